//! Error types. None of them ever carries key material.

use std::io;
use std::path::{Path, PathBuf};

/// The accepted private key formats, for error messages.
const EXPECTED: &str = "expected an unencrypted RSA private key in PEM: \"RSA PRIVATE KEY\" (PKCS#1) or \"PRIVATE KEY\" (PKCS#8)";

/// Why a key could not be loaded.
///
/// Every case has a distinct, actionable message. Messages and fields never
/// include key bytes.
#[non_exhaustive]
#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    /// The input (or file) is empty or contains only whitespace.
    #[error("the key is empty (no data, or only whitespace); {EXPECTED}")]
    Empty,
    /// No PEM block (`-----BEGIN ...-----`) was found in the input.
    #[error("no PEM block found (is this a DER or otherwise binary file?); {EXPECTED}")]
    NotPem,
    /// The key is encrypted with a passphrase (`ENCRYPTED PRIVATE KEY` or a
    /// legacy `Proc-Type: 4,ENCRYPTED` PKCS#1 key). Passphrases are not supported.
    #[error(
        "the private key is encrypted with a passphrase, which is not supported; \
         decrypt it first, e.g. `openssl pkcs8 -topk8 -nocrypt -in encrypted.pem -out key.pem`"
    )]
    Encrypted,
    /// The key is not an RSA key (an EC key, Ed25519, ...). `label` is the PEM
    /// label or the PKCS#8 algorithm name.
    #[error("the key is not an RSA key (found {label}); Yoti request signing needs an RSA key")]
    NotRsa {
        /// The PEM label (e.g. `EC PRIVATE KEY`) or PKCS#8 algorithm (e.g. `EC (1.2.840.10045.2.1)`).
        label: String,
    },
    /// The PEM block is of a kind that is not accepted here (a certificate, a
    /// public key given as a private key, ...).
    #[error("unsupported PEM block \"{label}\"; {expected}", expected = expected_for(label))]
    UnsupportedPemLabel {
        /// The label found after `-----BEGIN `.
        label: String,
    },
    /// The PEM structure is fine but its contents are not a valid RSA key.
    #[error("the key is malformed: {reason}")]
    Malformed {
        /// What is wrong. Never contains key bytes.
        reason: String,
    },
    /// The RSA modulus size is outside what both backends support (2048 to 8192 bits).
    #[error("the RSA key is {bits} bits; only 2048 to 8192-bit keys are supported")]
    UnsupportedKeySize {
        /// The modulus size in bits.
        bits: usize,
    },
    /// The key (text or file) is larger than [`MAX_KEY_BYTES`](crate::MAX_KEY_BYTES): a PEM
    /// RSA key is a few KiB, so this is not a key file (or it is `/dev/zero`, or a pipe that
    /// does not end). Nothing past the limit is read.
    #[error("the key is larger than {limit} bytes, which no PEM RSA key is; {EXPECTED}")]
    TooLarge {
        /// The limit, in bytes.
        limit: usize,
    },
    /// The key file could not be read.
    #[error("{}", io_message(path, source))]
    Io {
        /// The file that was being read.
        path: PathBuf,
        /// The underlying I/O error.
        #[source]
        source: io::Error,
    },
    /// The crate was built without any signing backend feature.
    #[error(
        "no signing backend is enabled: build idv-auth with the `rust-crypto` or `aws-lc-rs` feature"
    )]
    NoBackend,
}

fn expected_for(label: &str) -> &'static str {
    match label {
        "PUBLIC KEY" | "RSA PUBLIC KEY" | "CERTIFICATE" | "TRUSTED CERTIFICATE" => {
            "this is public material, not a private key; expected an unencrypted RSA private key in PEM: \
             \"RSA PRIVATE KEY\" (PKCS#1) or \"PRIVATE KEY\" (PKCS#8)"
        }
        "OPENSSH PRIVATE KEY" => {
            "OpenSSH keys are not supported; convert with `ssh-keygen -p -m PEM -f <file>` to get \
             an \"RSA PRIVATE KEY\" (PKCS#1) PEM"
        }
        _ => EXPECTED,
    }
}

fn io_message(path: &Path, source: &io::Error) -> String {
    let path = path.display();
    match source.kind() {
        io::ErrorKind::NotFound => format!("key file not found: {path}"),
        io::ErrorKind::PermissionDenied => {
            format!("permission denied reading key file {path}")
        }
        kind => format!("could not read key file {path}: {kind}"),
    }
}

impl KeyError {
    pub(crate) fn malformed(reason: impl Into<String>) -> Self {
        Self::Malformed {
            reason: reason.into(),
        }
    }
}

/// Signing failed. Opaque on purpose: the cause is never useful to callers
/// and must not leak anything about the key.
#[derive(Debug, thiserror::Error)]
#[error("failed to sign the request")]
pub struct SignError {
    backend: &'static str,
}

impl SignError {
    pub(crate) fn new(backend: &'static str) -> Self {
        Self { backend }
    }
}

/// A signature did not verify against the public key and message.
#[derive(Debug, thiserror::Error)]
#[error("signature does not verify")]
pub struct VerifyError {
    _private: (),
}

impl VerifyError {
    pub(crate) fn new() -> Self {
        Self { _private: () }
    }
}
