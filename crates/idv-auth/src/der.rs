//! A minimal, strict DER reader: just enough ASN.1 to classify keys before they
//! reach a backend (PKCS#1, PKCS#8 and SPKI outer structures), to measure the
//! modulus and to build a canonical SPKI encoding.
//!
//! Error reasons are fixed strings; they never contain input bytes.

const TAG_INTEGER: u8 = 0x02;
const TAG_BIT_STRING: u8 = 0x03;
const TAG_OCTET_STRING: u8 = 0x04;
const TAG_NULL: u8 = 0x05;
const TAG_OID: u8 = 0x06;
const TAG_SEQUENCE: u8 = 0x30;

/// `rsaEncryption` (1.2.840.113549.1.1.1), content octets only.
pub(crate) const OID_RSA_ENCRYPTION: &[u8] =
    &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01];

/// Why a structure failed to parse. A fixed, key-free description.
pub(crate) type Reason = &'static str;

struct Reader<'a> {
    data: &'a [u8],
}

impl<'a> Reader<'a> {
    fn new(data: &'a [u8]) -> Self {
        Self { data }
    }

    fn is_empty(&self) -> bool {
        self.data.is_empty()
    }

    fn peek_tag(&self) -> Option<u8> {
        self.data.first().copied()
    }

    /// Reads one TLV with a definite length and returns `(tag, contents)`.
    fn read_any(&mut self) -> Result<(u8, &'a [u8]), Reason> {
        const TRUNCATED: Reason = "truncated DER structure";
        let (&tag, rest) = self.data.split_first().ok_or(TRUNCATED)?;
        if tag & 0x1f == 0x1f {
            return Err("unsupported multi-byte DER tag");
        }
        let (&first, rest) = rest.split_first().ok_or(TRUNCATED)?;
        let (len, rest) = if first < 0x80 {
            (usize::from(first), rest)
        } else {
            let n = usize::from(first & 0x7f);
            if n == 0 {
                return Err("indefinite-length encoding is not DER");
            }
            if n > 4 || rest.len() < n {
                return Err(TRUNCATED);
            }
            let (len_bytes, rest) = rest.split_at(n);
            if len_bytes[0] == 0 {
                return Err("non-minimal DER length");
            }
            let len = len_bytes
                .iter()
                .fold(0usize, |acc, &b| (acc << 8) | usize::from(b));
            if len < 0x80 {
                return Err("non-minimal DER length");
            }
            (len, rest)
        };
        if rest.len() < len {
            return Err(TRUNCATED);
        }
        let (contents, rest) = rest.split_at(len);
        self.data = rest;
        Ok((tag, contents))
    }

    fn read(&mut self, tag: u8, what: Reason) -> Result<&'a [u8], Reason> {
        match self.read_any()? {
            (t, contents) if t == tag => Ok(contents),
            _ => Err(what),
        }
    }

    fn finish(&self) -> Result<(), Reason> {
        if self.is_empty() {
            Ok(())
        } else {
            Err("unexpected trailing data after the DER structure")
        }
    }
}

/// Reads a single outer SEQUENCE that must fill `der` exactly.
fn outer_sequence<'a>(der: &'a [u8], what: Reason) -> Result<Reader<'a>, Reason> {
    let mut outer = Reader::new(der);
    let body = outer.read(TAG_SEQUENCE, what)?;
    outer.finish()?;
    Ok(Reader::new(body))
}

/// Checks a DER INTEGER is positive and returns its bit length.
fn positive_integer_bits(int: &[u8]) -> Result<usize, Reason> {
    let (&first, _) = int.split_first().ok_or("empty DER INTEGER")?;
    if first & 0x80 != 0 {
        return Err("negative RSA modulus");
    }
    let significant = match int.iter().position(|&b| b != 0) {
        Some(i) => &int[i..],
        None => return Ok(0),
    };
    let top = significant[0];
    Ok((significant.len() - 1) * 8 + (8 - top.leading_zeros() as usize))
}

fn small_integer(int: &[u8]) -> Option<u8> {
    match int {
        [v] => Some(*v),
        _ => None,
    }
}

/// Parses a PKCS#1 `RSAPrivateKey` (two-prime) and returns the modulus size in bits.
pub(crate) fn pkcs1_private_key_bits(der: &[u8]) -> Result<usize, Reason> {
    const NOT_PKCS1: Reason = "not a PKCS#1 RSAPrivateKey structure";
    let mut seq = outer_sequence(der, NOT_PKCS1)?;
    let version = seq.read(TAG_INTEGER, NOT_PKCS1)?;
    match small_integer(version) {
        Some(0) => {}
        Some(1) => return Err("multi-prime RSA keys are not supported"),
        _ => return Err("unknown PKCS#1 RSAPrivateKey version"),
    }
    let modulus = seq.read(TAG_INTEGER, NOT_PKCS1)?;
    // publicExponent, privateExponent, prime1, prime2, exponent1, exponent2, coefficient
    for _ in 0..7 {
        seq.read(TAG_INTEGER, "incomplete PKCS#1 RSAPrivateKey structure")?;
    }
    seq.finish()?;
    positive_integer_bits(modulus)
}

/// Parses a PKCS#1 `RSAPublicKey` and returns the modulus size in bits.
pub(crate) fn pkcs1_public_key_bits(der: &[u8]) -> Result<usize, Reason> {
    const NOT_PKCS1: Reason = "not a PKCS#1 RSAPublicKey structure";
    let mut seq = outer_sequence(der, NOT_PKCS1)?;
    let modulus = seq.read(TAG_INTEGER, NOT_PKCS1)?;
    let exponent = seq.read(TAG_INTEGER, NOT_PKCS1)?;
    seq.finish()?;
    if positive_integer_bits(exponent)? < 2 {
        return Err("invalid RSA public exponent");
    }
    positive_integer_bits(modulus)
}

/// The parts of a PKCS#8 `PrivateKeyInfo` (RFC 5208 / `OneAsymmetricKey`, RFC 5958).
pub(crate) struct Pkcs8<'a> {
    /// Content octets of the algorithm OID.
    pub(crate) algorithm: &'a [u8],
    /// Content octets of the `privateKey` OCTET STRING (a PKCS#1 key for RSA).
    pub(crate) private_key: &'a [u8],
}

/// Parses the outer layer of an unencrypted PKCS#8 key.
pub(crate) fn pkcs8(der: &[u8]) -> Result<Pkcs8<'_>, Reason> {
    const NOT_PKCS8: Reason = "not a PKCS#8 PrivateKeyInfo structure";
    let mut seq = outer_sequence(der, NOT_PKCS8)?;
    let version = seq.read(TAG_INTEGER, NOT_PKCS8)?;
    if !matches!(small_integer(version), Some(0 | 1)) {
        return Err("unknown PKCS#8 version");
    }
    let algorithm = algorithm_identifier(&mut seq, NOT_PKCS8)?;
    let private_key = seq.read(TAG_OCTET_STRING, NOT_PKCS8)?;
    // Optional [0] attributes and [1] public key follow; they are ignored.
    while !seq.is_empty() {
        seq.read_any()?;
    }
    Ok(Pkcs8 {
        algorithm,
        private_key,
    })
}

/// The parts of a `SubjectPublicKeyInfo` (RFC 5280).
pub(crate) struct Spki<'a> {
    /// Content octets of the algorithm OID.
    pub(crate) algorithm: &'a [u8],
    /// The public key bits (a PKCS#1 `RSAPublicKey` for RSA).
    pub(crate) public_key: &'a [u8],
}

/// Parses a DER `SubjectPublicKeyInfo`.
pub(crate) fn spki(der: &[u8]) -> Result<Spki<'_>, Reason> {
    const NOT_SPKI: Reason = "not a SubjectPublicKeyInfo structure";
    let mut seq = outer_sequence(der, NOT_SPKI)?;
    let algorithm = algorithm_identifier(&mut seq, NOT_SPKI)?;
    let bits = seq.read(TAG_BIT_STRING, NOT_SPKI)?;
    seq.finish()?;
    match bits.split_first() {
        Some((0, public_key)) => Ok(Spki {
            algorithm,
            public_key,
        }),
        _ => Err("invalid BIT STRING in SubjectPublicKeyInfo"),
    }
}

/// Reads an `AlgorithmIdentifier` and returns its OID. For `rsaEncryption`
/// the parameters must be NULL or absent.
fn algorithm_identifier<'a>(seq: &mut Reader<'a>, what: Reason) -> Result<&'a [u8], Reason> {
    let mut alg = Reader::new(seq.read(TAG_SEQUENCE, what)?);
    let oid = alg.read(TAG_OID, what)?;
    if oid == OID_RSA_ENCRYPTION {
        if alg.peek_tag() == Some(TAG_NULL) && !alg.read(TAG_NULL, what)?.is_empty() {
            return Err("invalid rsaEncryption parameters");
        }
        alg.finish()?;
    }
    Ok(oid)
}

fn push_len(out: &mut Vec<u8>, len: usize) {
    if len < 0x80 {
        out.push(len as u8);
    } else {
        let bytes = len.to_be_bytes();
        let skip = bytes.iter().take_while(|&&b| b == 0).count();
        out.push(0x80 | (bytes.len() - skip) as u8);
        out.extend_from_slice(&bytes[skip..]);
    }
}

fn header_len(len: usize) -> usize {
    if len < 0x80 {
        2
    } else {
        2 + (usize::BITS - len.leading_zeros()).div_ceil(8) as usize
    }
}

/// Wraps a PKCS#1 `RSAPublicKey` in the canonical `SubjectPublicKeyInfo`
/// (`rsaEncryption` with NULL parameters), as OpenSSL writes it.
pub(crate) fn rsa_spki_from_pkcs1(pkcs1: &[u8]) -> Vec<u8> {
    // AlgorithmIdentifier: SEQUENCE { OID rsaEncryption, NULL }
    let alg_len = 2 + OID_RSA_ENCRYPTION.len() + 2;
    let bit_len = 1 + pkcs1.len();
    let inner_len = header_len(alg_len) + alg_len + header_len(bit_len) + bit_len;
    let mut out = Vec::with_capacity(header_len(inner_len) + inner_len);
    out.push(TAG_SEQUENCE);
    push_len(&mut out, inner_len);
    out.push(TAG_SEQUENCE);
    push_len(&mut out, alg_len);
    out.push(TAG_OID);
    push_len(&mut out, OID_RSA_ENCRYPTION.len());
    out.extend_from_slice(OID_RSA_ENCRYPTION);
    out.extend_from_slice(&[TAG_NULL, 0]);
    out.push(TAG_BIT_STRING);
    push_len(&mut out, bit_len);
    out.push(0);
    out.extend_from_slice(pkcs1);
    out
}

/// A human-readable name for a key algorithm OID (content octets), for error messages.
pub(crate) fn algorithm_name(oid: &[u8]) -> String {
    let known = match oid {
        [0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01] => Some("EC"),
        [0x2b, 0x65, 0x70] => Some("Ed25519"),
        [0x2b, 0x65, 0x71] => Some("Ed448"),
        [0x2b, 0x65, 0x6e] => Some("X25519"),
        [0x2b, 0x65, 0x6f] => Some("X448"),
        [0x2a, 0x86, 0x48, 0xce, 0x38, 0x04, 0x01] => Some("DSA"),
        [0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0a] => Some("RSASSA-PSS"),
        _ => None,
    };
    let dotted = dotted_oid(oid);
    match known {
        Some(name) => format!("{name} ({dotted})"),
        None => dotted,
    }
}

fn dotted_oid(oid: &[u8]) -> String {
    let mut arcs: Vec<u128> = Vec::new();
    let mut acc: u128 = 0;
    for &b in oid {
        acc = acc.saturating_mul(128) | u128::from(b & 0x7f);
        if b & 0x80 == 0 {
            arcs.push(acc);
            acc = 0;
        }
    }
    let mut parts: Vec<String> = Vec::with_capacity(arcs.len() + 1);
    if let Some((&first, rest)) = arcs.split_first() {
        let (a, b) = match first {
            0..40 => (0, first),
            40..80 => (1, first - 40),
            _ => (2, first - 80),
        };
        parts.push(a.to_string());
        parts.push(b.to_string());
        parts.extend(rest.iter().map(u128::to_string));
    }
    if parts.is_empty() {
        "an unknown algorithm".to_owned()
    } else {
        parts.join(".")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_known_and_unknown_oids() {
        assert_eq!(
            algorithm_name(&[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01]),
            "EC (1.2.840.10045.2.1)"
        );
        assert_eq!(algorithm_name(&[0x2b, 0x06, 0x01]), "1.3.6.1");
    }

    #[test]
    fn integer_bits() {
        assert_eq!(positive_integer_bits(&[0x00, 0x80]), Ok(8));
        assert_eq!(positive_integer_bits(&[0x01, 0x00]), Ok(9));
        assert!(positive_integer_bits(&[0x80]).is_err());
    }

    #[test]
    fn spki_wrapping_round_trips() {
        // A tiny fake RSAPublicKey: SEQUENCE { INTEGER 0x00c5, INTEGER 3 }.
        let pkcs1 = [0x30, 0x07, 0x02, 0x02, 0x00, 0xc5, 0x02, 0x01, 0x03];
        let spki_der = rsa_spki_from_pkcs1(&pkcs1);
        let parsed = spki(&spki_der).expect("parses");
        assert_eq!(parsed.algorithm, OID_RSA_ENCRYPTION);
        assert_eq!(parsed.public_key, &pkcs1);
        assert_eq!(pkcs1_public_key_bits(parsed.public_key), Ok(8));

        let long = vec![0u8; 300];
        let wrapped = rsa_spki_from_pkcs1(&long);
        let parsed = spki(&wrapped).expect("parses long form lengths");
        assert_eq!(parsed.public_key.len(), 300);
    }
}
