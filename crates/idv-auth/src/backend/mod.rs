//! The cryptographic backends behind [`PrivateKey`](crate::PrivateKey) and
//! [`PublicKey`](crate::PublicKey).

use std::fmt;
use std::sync::Arc;

use crate::{KeyError, SignError, VerifyError};

#[cfg(feature = "aws-lc-rs")]
mod aws_lc;
#[cfg(feature = "rust-crypto")]
mod rust_crypto;

// `Backend` lives here, not in `key`, so that `key` -> `backend` runs one way.
/// Which cryptographic library signs.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Backend {
    /// The pure-Rust RustCrypto `rsa` crate (feature `rust-crypto`).
    #[cfg(feature = "rust-crypto")]
    RustCrypto,
    /// AWS-LC through `aws-lc-rs` (feature `aws-lc-rs`, the default).
    #[cfg(feature = "aws-lc-rs")]
    AwsLc,
}

impl Backend {
    /// The backend [`PrivateKey::from_pem`](crate::PrivateKey::from_pem) uses: `AwsLc` if enabled (it signs
    /// about six times faster), else `RustCrypto`, else `None` (no backend
    /// feature compiled in).
    pub fn default_backend() -> Option<Backend> {
        Self::available().first().copied()
    }

    /// Every backend compiled into this build, the default first.
    pub fn available() -> &'static [Backend] {
        &[
            #[cfg(feature = "aws-lc-rs")]
            Backend::AwsLc,
            #[cfg(feature = "rust-crypto")]
            Backend::RustCrypto,
        ]
    }

    /// A short stable name: `"rust-crypto"` or `"aws-lc-rs"` (the feature names).
    pub fn name(&self) -> &'static str {
        match *self {
            #[cfg(feature = "rust-crypto")]
            Backend::RustCrypto => "rust-crypto",
            #[cfg(feature = "aws-lc-rs")]
            Backend::AwsLc => "aws-lc-rs",
        }
    }
}

impl fmt::Display for Backend {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The DER encoding of a private key handed to a backend.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum KeyFormat {
    /// PKCS#1 `RSAPrivateKey`.
    Pkcs1,
    /// PKCS#8 `PrivateKeyInfo` with the `rsaEncryption` algorithm.
    Pkcs8,
}

/// The longest signature of an accepted key (8192-bit modulus), in bytes: the size of the
/// stack buffer [`RequestSigner::digest`](crate::RequestSigner::digest) signs into.
pub(crate) const MAX_SIGNATURE_LEN: usize = 8192 / 8;

/// A parsed RSA private key able to produce RSASSA-PKCS1-v1_5/SHA-256 signatures.
///
/// Implementations zeroize their key material on drop.
pub(crate) trait SigningBackend: Send + Sync {
    /// Which backend this is.
    fn backend(&self) -> Backend;
    /// RSASSA-PKCS1-v1_5 with SHA-256 over `message`, written to the start of `out`; returns
    /// the signature's length (the modulus length). `out` is at least that long.
    fn sign_into(&self, message: &[u8], out: &mut [u8]) -> Result<usize, SignError>;
    /// RSASSA-PSS with SHA-384, MGF1-SHA-384 and a 48-byte salt (JWS `PS384`) over
    /// `message`: the raw signature, as long as the modulus.
    fn sign_pss_sha384(&self, message: &[u8]) -> Result<Vec<u8>, SignError>;
    /// The public half as DER `SubjectPublicKeyInfo`.
    fn public_key_spki_der(&self) -> Result<Vec<u8>, KeyError>;
    /// The modulus size in bits.
    fn bits(&self) -> usize;
}

/// Parses `der` with the chosen backend. `bits` was measured by the caller.
pub(crate) fn load(
    backend: Backend,
    der: &[u8],
    format: KeyFormat,
    bits: usize,
) -> Result<Arc<dyn SigningBackend>, KeyError> {
    #[cfg(not(any(feature = "rust-crypto", feature = "aws-lc-rs")))]
    let _ = (der, format, bits);
    match backend {
        #[cfg(feature = "rust-crypto")]
        Backend::RustCrypto => Ok(Arc::new(rust_crypto::RustCryptoKey::load(
            der, format, bits,
        )?)),
        #[cfg(feature = "aws-lc-rs")]
        Backend::AwsLc => Ok(Arc::new(aws_lc::AwsLcKey::load(der, format, bits)?)),
    }
}

/// A parsed public key, ready to verify signatures. Uses the rust-crypto
/// backend when it is compiled in, else aws-lc-rs.
pub(crate) enum Verifier {
    #[cfg(feature = "rust-crypto")]
    RustCrypto(rust_crypto::Verifier),
    #[cfg(all(feature = "aws-lc-rs", not(feature = "rust-crypto")))]
    AwsLc(aws_lc::Verifier),
}

impl Verifier {
    /// Parses a public key given both as PKCS#1 `RSAPublicKey` and as the
    /// canonical SPKI wrapping it; also returns the SHA-256 of the SPKI.
    pub(crate) fn new(pkcs1: &[u8], spki: &[u8]) -> Result<(Self, [u8; 32]), KeyError> {
        #[cfg(feature = "rust-crypto")]
        {
            let verifier = rust_crypto::Verifier::new(pkcs1)?;
            Ok((Self::RustCrypto(verifier), rust_crypto::sha256(spki)))
        }
        #[cfg(all(feature = "aws-lc-rs", not(feature = "rust-crypto")))]
        {
            let _ = pkcs1;
            let verifier = aws_lc::Verifier::new(spki)?;
            Ok((Self::AwsLc(verifier), aws_lc::sha256(spki)))
        }
        #[cfg(not(any(feature = "rust-crypto", feature = "aws-lc-rs")))]
        {
            let _ = (pkcs1, spki);
            Err(KeyError::NoBackend)
        }
    }

    /// Checks an RSASSA-PSS/SHA-384 signature (JWS `PS384`, salt of 48 bytes) over `message`.
    pub(crate) fn verify_pss_sha384(
        &self,
        message: &[u8],
        signature: &[u8],
    ) -> Result<(), VerifyError> {
        #[cfg(not(any(feature = "rust-crypto", feature = "aws-lc-rs")))]
        let _ = (message, signature);
        match *self {
            #[cfg(feature = "rust-crypto")]
            Self::RustCrypto(ref v) => v.verify_pss_sha384(message, signature),
            #[cfg(all(feature = "aws-lc-rs", not(feature = "rust-crypto")))]
            Self::AwsLc(ref v) => v.verify_pss_sha384(message, signature),
        }
    }

    /// Checks an RSASSA-PKCS1-v1_5/SHA-256 signature over `message`.
    pub(crate) fn verify(&self, message: &[u8], signature: &[u8]) -> Result<(), VerifyError> {
        #[cfg(not(any(feature = "rust-crypto", feature = "aws-lc-rs")))]
        let _ = (message, signature);
        match *self {
            #[cfg(feature = "rust-crypto")]
            Self::RustCrypto(ref v) => v.verify(message, signature),
            #[cfg(all(feature = "aws-lc-rs", not(feature = "rust-crypto")))]
            Self::AwsLc(ref v) => v.verify(message, signature),
        }
    }
}
