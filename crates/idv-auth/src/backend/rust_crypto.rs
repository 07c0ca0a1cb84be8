//! The pure-Rust RustCrypto backend (`rsa` 0.10 + `sha2`).
//!
//! `rsa::PrivateKey` zeroizes its components on drop. Signing uses the OS RNG
//! for RSA blinding (the `getrandom` feature of `rsa`); blinding does not
//! change the (deterministic) PKCS#1 v1.5 signature.

use rsa::pkcs1::{DecodeRsaPrivateKey, DecodeRsaPublicKey};
use rsa::pkcs1v15::{Signature, SigningKey, VerifyingKey};
use rsa::pkcs8::{DecodePrivateKey, EncodePublicKey};
use rsa::signature::{SignatureEncoding, Signer, Verifier as _};
use sha2::{Digest, Sha256, Sha384};

use super::{KeyFormat, SigningBackend};
use crate::{Backend, KeyError, SignError, VerifyError};

const NAME: &str = "rust-crypto";

pub(crate) struct RustCryptoKey {
    key: SigningKey<Sha256>,
    bits: usize,
}

impl RustCryptoKey {
    pub(crate) fn load(der: &[u8], format: KeyFormat, bits: usize) -> Result<Self, KeyError> {
        let key = match format {
            KeyFormat::Pkcs1 => rsa::PrivateKey::from_pkcs1_der(der).ok(),
            KeyFormat::Pkcs8 => rsa::PrivateKey::from_pkcs8_der(der).ok(),
        }
        .ok_or_else(|| {
            KeyError::malformed(
                "the RSA key components are invalid (rejected by the rust-crypto backend)",
            )
        })?;
        Ok(Self {
            key: SigningKey::new(key),
            bits,
        })
    }
}

impl SigningBackend for RustCryptoKey {
    fn backend(&self) -> Backend {
        Backend::RustCrypto
    }

    fn sign_into(&self, message: &[u8], out: &mut [u8]) -> Result<usize, SignError> {
        let signature = self
            .key
            .try_sign(message)
            .map_err(|_| SignError::new(NAME))?
            .to_bytes();
        out.get_mut(..signature.len())
            .ok_or_else(|| SignError::new(NAME))?
            .copy_from_slice(&signature);
        Ok(signature.len())
    }

    fn sign_pss_sha384(&self, message: &[u8]) -> Result<Vec<u8>, SignError> {
        // The salt length is the digest's (48 bytes), as JWS PS384 requires.
        let private: &rsa::PrivateKey = self.key.as_ref();
        rsa::pss::SigningKey::<Sha384>::new(private.clone())
            .try_sign(message)
            .map(|signature| signature.to_vec())
            .map_err(|_| SignError::new(NAME))
    }

    fn public_key_spki_der(&self) -> Result<Vec<u8>, KeyError> {
        let public: &rsa::PublicKey = self.key.as_ref().as_ref();
        public
            .to_public_key_der()
            .map(|doc| doc.into_vec())
            .map_err(|_| KeyError::malformed("could not encode the public key"))
    }

    fn bits(&self) -> usize {
        self.bits
    }
}

pub(crate) struct Verifier {
    key: VerifyingKey<Sha256>,
    pss: rsa::pss::VerifyingKey<Sha384>,
}

impl Verifier {
    pub(crate) fn new(pkcs1: &[u8]) -> Result<Self, KeyError> {
        let key = rsa::PublicKey::from_pkcs1_der(pkcs1).map_err(|_| {
            KeyError::malformed(
                "the RSA public key is invalid (rejected by the rust-crypto backend)",
            )
        })?;
        Ok(Self {
            pss: rsa::pss::VerifyingKey::new(key.clone()),
            key: VerifyingKey::new(key),
        })
    }

    pub(crate) fn verify_pss_sha384(
        &self,
        message: &[u8],
        signature: &[u8],
    ) -> Result<(), VerifyError> {
        let signature = rsa::pss::Signature::try_from(signature).map_err(|_| VerifyError::new())?;
        self.pss
            .verify(message, &signature)
            .map_err(|_| VerifyError::new())
    }

    pub(crate) fn verify(&self, message: &[u8], signature: &[u8]) -> Result<(), VerifyError> {
        let signature = Signature::try_from(signature).map_err(|_| VerifyError::new())?;
        self.key
            .verify(message, &signature)
            .map_err(|_| VerifyError::new())
    }
}

pub(crate) fn sha256(data: &[u8]) -> [u8; 32] {
    let mut out = [0u8; 32];
    out.copy_from_slice(&Sha256::digest(data));
    out
}
