//! The DER structures around an RSA key, read with RustCrypto's `pkcs1`, `pkcs8` and `spki`
//! crates: just what is needed to classify a key before it reaches a backend, to measure its
//! modulus and to build its canonical `SubjectPublicKeyInfo`.
//!
//! Error reasons name the structure and `der`'s error kind; they never contain input bytes.

use der::asn1::{AnyRef, BitStringRef, ObjectIdentifier, UintRef};
use der::{Decode as _, Encode as _};
use pkcs1::{RsaPrivateKeyRef, RsaPublicKeyRef, Version};
use pkcs8::PrivateKeyInfoRef;
use pkcs8::spki::{AlgorithmIdentifierRef, SubjectPublicKeyInfoRef};

/// `rsaEncryption` (1.2.840.113549.1.1.1).
pub(crate) const OID_RSA_ENCRYPTION: ObjectIdentifier = pkcs1::ALGORITHM_OID;

/// Why a structure failed to parse: a key-free description.
pub(crate) type Reason = String;

fn invalid(what: &str, err: der::Error) -> Reason {
    format!("{what} is not valid DER ({})", err.kind())
}

/// The bit length of a positive INTEGER (`UintRef` has already refused negative values and
/// stripped the leading zero octets).
fn bits(int: UintRef<'_>) -> usize {
    match int.as_bytes().split_first() {
        Some((&top, rest)) => rest.len() * 8 + (8 - top.leading_zeros() as usize),
        None => 0,
    }
}

/// Parses a PKCS#1 `RSAPrivateKey` (two-prime) and returns the modulus size in bits.
pub(crate) fn pkcs1_private_key_bits(der: &[u8]) -> Result<usize, Reason> {
    let key = RsaPrivateKeyRef::from_der(der)
        .map_err(|e| invalid("the PKCS#1 RSAPrivateKey structure", e))?;
    if key.version() == Version::Multi {
        return Err("multi-prime RSA keys are not supported".to_owned());
    }
    Ok(bits(key.modulus))
}

/// Parses a PKCS#1 `RSAPublicKey` and returns the modulus size in bits.
pub(crate) fn pkcs1_public_key_bits(der: &[u8]) -> Result<usize, Reason> {
    let key = RsaPublicKeyRef::from_der(der)
        .map_err(|e| invalid("the PKCS#1 RSAPublicKey structure", e))?;
    if bits(key.public_exponent) < 2 {
        return Err("invalid RSA public exponent".to_owned());
    }
    Ok(bits(key.modulus))
}

/// The parts of a PKCS#8 `PrivateKeyInfo` (RFC 5208 / `OneAsymmetricKey`, RFC 5958).
pub(crate) struct Pkcs8<'a> {
    /// The algorithm OID.
    pub(crate) algorithm: ObjectIdentifier,
    /// Content octets of the `privateKey` OCTET STRING (a PKCS#1 key for RSA).
    pub(crate) private_key: &'a [u8],
}

/// Parses the outer layer of an unencrypted PKCS#8 key.
pub(crate) fn pkcs8(der: &[u8]) -> Result<Pkcs8<'_>, Reason> {
    let info = PrivateKeyInfoRef::from_der(der)
        .map_err(|e| invalid("the PKCS#8 PrivateKeyInfo structure", e))?;
    check_rsa_parameters(&info.algorithm)?;
    Ok(Pkcs8 {
        algorithm: info.algorithm.oid,
        private_key: info.private_key.as_bytes(),
    })
}

/// The parts of a `SubjectPublicKeyInfo` (RFC 5280).
pub(crate) struct Spki<'a> {
    /// The algorithm OID.
    pub(crate) algorithm: ObjectIdentifier,
    /// The public key bits (a PKCS#1 `RSAPublicKey` for RSA).
    pub(crate) public_key: &'a [u8],
}

/// Parses a DER `SubjectPublicKeyInfo`.
pub(crate) fn spki(der: &[u8]) -> Result<Spki<'_>, Reason> {
    let info = SubjectPublicKeyInfoRef::from_der(der)
        .map_err(|e| invalid("the SubjectPublicKeyInfo structure", e))?;
    check_rsa_parameters(&info.algorithm)?;
    let public_key = info
        .subject_public_key
        .as_bytes()
        .ok_or_else(|| "invalid BIT STRING in SubjectPublicKeyInfo".to_owned())?;
    Ok(Spki {
        algorithm: info.algorithm.oid,
        public_key,
    })
}

/// For `rsaEncryption` the parameters must be NULL or absent (RFC 8017, appendix A.1).
fn check_rsa_parameters(algorithm: &AlgorithmIdentifierRef<'_>) -> Result<(), Reason> {
    match algorithm.parameters {
        Some(params) if algorithm.oid == OID_RSA_ENCRYPTION && params != AnyRef::NULL => {
            Err("invalid rsaEncryption parameters".to_owned())
        }
        _ => Ok(()),
    }
}

/// Wraps a PKCS#1 `RSAPublicKey` in the canonical `SubjectPublicKeyInfo`
/// (`rsaEncryption` with NULL parameters), as OpenSSL writes it.
pub(crate) fn rsa_spki_from_pkcs1(pkcs1: &[u8]) -> Result<Vec<u8>, Reason> {
    let encode = |e| invalid("the SubjectPublicKeyInfo encoding", e);
    SubjectPublicKeyInfoRef {
        algorithm: AlgorithmIdentifierRef {
            oid: OID_RSA_ENCRYPTION,
            parameters: Some(AnyRef::NULL),
        },
        subject_public_key: BitStringRef::from_bytes(pkcs1).map_err(encode)?,
    }
    .to_der()
    .map_err(encode)
}

/// A human-readable name for a key algorithm OID, for error messages.
pub(crate) fn algorithm_name(oid: ObjectIdentifier) -> String {
    let known = match oid.to_string().as_str() {
        "1.2.840.10045.2.1" => Some("EC"),
        "1.3.101.112" => Some("Ed25519"),
        "1.3.101.113" => Some("Ed448"),
        "1.3.101.110" => Some("X25519"),
        "1.3.101.111" => Some("X448"),
        "1.2.840.10040.4.1" => Some("DSA"),
        "1.2.840.113549.1.1.10" => Some("RSASSA-PSS"),
        _ => None,
    };
    match known {
        Some(name) => format!("{name} ({oid})"),
        None => oid.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_known_and_unknown_oids() {
        let ec = ObjectIdentifier::new_unwrap("1.2.840.10045.2.1");
        assert_eq!(algorithm_name(ec), "EC (1.2.840.10045.2.1)");
        let other = ObjectIdentifier::new_unwrap("1.3.6.1");
        assert_eq!(algorithm_name(other), "1.3.6.1");
    }

    #[test]
    fn spki_wrapping_round_trips() {
        // A tiny fake RSAPublicKey: SEQUENCE { INTEGER 0x00c5, INTEGER 3 }.
        let pkcs1 = [0x30, 0x07, 0x02, 0x02, 0x00, 0xc5, 0x02, 0x01, 0x03];
        let spki_der = rsa_spki_from_pkcs1(&pkcs1).expect("encodes");
        let parsed = spki(&spki_der).expect("parses");
        assert_eq!(parsed.algorithm, OID_RSA_ENCRYPTION);
        assert_eq!(parsed.public_key, &pkcs1);
        assert_eq!(pkcs1_public_key_bits(parsed.public_key), Ok(8));
    }

    #[test]
    fn truncated_and_trailing_der_is_refused() {
        let pkcs1 = [0x30, 0x07, 0x02, 0x02, 0x00, 0xc5, 0x02, 0x01, 0x03];
        assert!(pkcs1_public_key_bits(&pkcs1[..8]).is_err());
        let mut trailing = pkcs1.to_vec();
        trailing.push(0);
        assert!(pkcs1_public_key_bits(&trailing).is_err());
    }
}
