//! The AWS-LC backend (`aws-lc-rs`).
//!
//! AWS-LC keeps the key in its own memory and clears it when the key is freed
//! (`OPENSSL_free` zeroizes).

use aws_lc_rs::encoding::AsDer;
use aws_lc_rs::rand::SystemRandom;
use aws_lc_rs::rsa::KeyPair;
use aws_lc_rs::signature::{KeyPair as _, RSA_PKCS1_SHA256, RSA_PSS_SHA384};

use super::{KeyFormat, SigningBackend};
use crate::{Backend, KeyError, SignError};

const NAME: &str = "aws-lc-rs";

pub(crate) struct AwsLcKey {
    key: KeyPair,
    bits: usize,
}

impl AwsLcKey {
    pub(crate) fn load(der: &[u8], format: KeyFormat, bits: usize) -> Result<Self, KeyError> {
        let key = match format {
            KeyFormat::Pkcs1 => KeyPair::from_der(der),
            KeyFormat::Pkcs8 => KeyPair::from_pkcs8(der),
        }
        .map_err(|rejected| KeyError::Malformed {
            // `KeyRejected` only ever describes the kind of problem.
            reason: format!("the RSA key was rejected by the aws-lc-rs backend ({rejected})"),
        })?;
        Ok(Self { key, bits })
    }
}

impl SigningBackend for AwsLcKey {
    fn backend(&self) -> Backend {
        Backend::AwsLc
    }

    fn sign_into(&self, message: &[u8], out: &mut [u8]) -> Result<usize, SignError> {
        let len = self.key.public_modulus_len();
        let signature = out.get_mut(..len).ok_or_else(|| SignError::new(NAME))?;
        // The RNG argument is ignored by aws-lc-rs for PKCS#1 v1.5 but required by the API
        // (AWS-LC blinds with its own DRBG). `SystemRandom` is a zero-sized handle.
        self.key
            .sign(&RSA_PKCS1_SHA256, &SystemRandom::new(), message, signature)
            .map_err(|_| SignError::new(NAME))?;
        Ok(len)
    }

    fn sign_pss_sha384(&self, message: &[u8]) -> Result<Vec<u8>, SignError> {
        let mut signature = vec![0u8; self.key.public_modulus_len()];
        // PSS salts from the RNG; aws-lc-rs's PSS salt length is the digest length (48).
        self.key
            .sign(
                &RSA_PSS_SHA384,
                &SystemRandom::new(),
                message,
                &mut signature,
            )
            .map_err(|_| SignError::new(NAME))?;
        Ok(signature)
    }

    fn public_key_spki_der(&self) -> Result<Vec<u8>, KeyError> {
        self.key
            .public_key()
            .as_der()
            .map(|der| der.as_ref().to_vec())
            .map_err(|_| KeyError::malformed("could not encode the public key"))
    }

    fn bits(&self) -> usize {
        self.bits
    }
}

#[cfg(not(feature = "rust-crypto"))]
pub(crate) use verify::{Verifier, sha256};

#[cfg(not(feature = "rust-crypto"))]
mod verify {
    use aws_lc_rs::digest::{SHA256, digest};
    use aws_lc_rs::signature::{
        ParsedPublicKey, RSA_PKCS1_2048_8192_SHA256, RSA_PSS_2048_8192_SHA384,
    };

    use crate::{KeyError, VerifyError};

    pub(crate) struct Verifier {
        key: ParsedPublicKey,
        pss: ParsedPublicKey,
    }

    impl Verifier {
        pub(crate) fn new(spki: &[u8]) -> Result<Self, KeyError> {
            let key =
                ParsedPublicKey::new(&RSA_PKCS1_2048_8192_SHA256, spki).map_err(|rejected| {
                    KeyError::Malformed {
                        reason: format!(
                            "the RSA public key was rejected by the aws-lc-rs backend ({rejected})"
                        ),
                    }
                })?;
            let pss = ParsedPublicKey::new(&RSA_PSS_2048_8192_SHA384, spki)
                .map_err(|_| KeyError::malformed("the RSA public key was rejected for PSS"))?;
            Ok(Self { key, pss })
        }

        pub(crate) fn verify_pss_sha384(
            &self,
            message: &[u8],
            signature: &[u8],
        ) -> Result<(), VerifyError> {
            self.pss
                .verify_sig(message, signature)
                .map_err(|_| VerifyError::new())
        }

        pub(crate) fn verify(&self, message: &[u8], signature: &[u8]) -> Result<(), VerifyError> {
            self.key
                .verify_sig(message, signature)
                .map_err(|_| VerifyError::new())
        }
    }

    pub(crate) fn sha256(data: &[u8]) -> [u8; 32] {
        let mut out = [0u8; 32];
        out.copy_from_slice(digest(&SHA256, data).as_ref());
        out
    }
}
