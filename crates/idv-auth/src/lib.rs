//! Request signing for Yoti's Identity Verification (IDV) API.
//!
//! Every IDV request carries an `X-Yoti-Auth-Digest` header: an RSA signature,
//! made with the application's private key, over a canonical string built from
//! the request. This crate loads the key, builds that string and signs it,
//! byte-for-byte as the official Yoti SDKs do (it is tested against vectors
//! produced by the official Node SDK).
//!
//! # The algorithm
//!
//! ```text
//! string_to_sign     = METHOD "&" PATH_AND_QUERY                     (no body)
//!                    | METHOD "&" PATH_AND_QUERY "&" BASE64(BODY)    (body sent)
//! PATH_AND_QUERY     = endpoint relative to the base URL, "?", query
//!                      e.g. /sessions?sdkId=<id>&nonce=<uuid v4>&timestamp=<epoch ms>
//! X-Yoti-Auth-Digest = BASE64(RSASSA-PKCS1-v1_5-SIGN(SHA-256, UTF-8(string_to_sign)))
//! ```
//!
//! `BASE64` is the standard alphabet with padding. The base URL's path prefix
//! (`/idverify/v1`) is not signed. Sign exactly the request target that is
//! sent, already percent-encoded. The body part is present only when a
//! non-empty body is sent (POST/PUT/PATCH with a payload). See
//! [`string_to_sign`] and [`RequestSigner::digest`].
//!
//! ```
//! # #[cfg(any(feature = "rust-crypto", feature = "aws-lc-rs"))] {
//! use idv_auth::{PrivateKey, RequestSigner, DIGEST_HEADER};
//!
//! let key = PrivateKey::from_pem(include_str!("../tests/data/test-key.pem"))?;
//! let signer = RequestSigner::new("6e7f4c8a-1b2d-4e3f-9a0b-c1d2e3f4a5b6", key);
//! let path_and_query = format!(
//!     "/sessions?sdkId={}&nonce={}&timestamp={}",
//!     signer.sdk_id(),
//!     signer.nonce(),
//!     signer.timestamp_millis(),
//! );
//! let body = br#"{"client_session_token_ttl":600}"#;
//! let digest = signer.digest("POST", &path_and_query, Some(body)).expect("signs");
//! // send `DIGEST_HEADER: digest` with POST <base URL><path_and_query>
//! # let _ = (DIGEST_HEADER, digest);
//! # }
//! # Ok::<(), idv_auth::KeyError>(())
//! ```
//!
//! # Keys
//!
//! [`PrivateKey`] accepts unencrypted RSA keys (2048 to 8192 bits) in PEM,
//! PKCS#1 (`BEGIN RSA PRIVATE KEY`, what Yoti Hub issues) or PKCS#8
//! (`BEGIN PRIVATE KEY`). Anything else fails early, when the key is loaded,
//! with a specific [`KeyError`]: encrypted keys, EC keys, certificates, public
//! keys, garbage. Keys are parsed once; key material is zeroized on drop and
//! never printed by `Debug` or error messages.
//!
//! # Backends
//!
//! Two interchangeable backends produce identical signatures (PKCS#1 v1.5 is
//! deterministic):
//!
//! - `aws-lc-rs` (default feature): AWS-LC, constant-time, with its own
//!   assembly for the big-number arithmetic; needs a C compiler to build.
//!   `Backend::AwsLc`.
//! - `rust-crypto`: the pure-Rust RustCrypto `rsa` crate, with RSA blinding
//!   from the OS RNG; builds anywhere Rust does. `Backend::RustCrypto`.
//!
//! With both enabled, [`PrivateKey::from_pem`] uses `aws-lc-rs` and
//! [`PrivateKey::from_pem_with_backend`] picks one explicitly. With neither,
//! the crate still builds but every key load returns [`KeyError::NoBackend`].
//!
//! `aws-lc-rs` is the default because one RSA-2048 signature is the largest
//! cost of every call the SDK makes, and it signs as fast as OpenSSL (1.01x
//! `openssl speed rsa2048`'s time per signature in the recorded benchmark
//! run, 0.96x to 1.01x across runs), while RustCrypto `rsa` takes about six
//! times as long (its generic big-number code, plus a modular inverse per
//! signature for blinding). At RustCrypto's speed signing alone caps a client
//! near 600 requests per second per core. For HTTPS over reqwest the default build already
//! contains AWS-LC (rustls's crypto provider), so the default costs no extra
//! C compilation there. Choose `rust-crypto` (with `default-features = false`)
//! where no C compiler is available or a pure-Rust build is required.
//! One cost to know: AWS-LC seeds its random generator (used for RSA
//! blinding) on the first signature of a process, which takes some tens of
//! milliseconds once. `BENCHMARKS.md` at the repository root has the figures
//! and the command that reproduces them.
//!
//! [`RequestSigner::digest`] allocates exactly twice per call (the string to
//! sign and the header value, each with its final capacity); the signature is
//! written to a stack buffer, and the key is parsed once, when it is loaded.
//!
//! # Verification
//!
//! [`PublicKey::verify`] checks a signature. The IDV emulator uses it to
//! verify incoming `X-Yoti-Auth-Digest` headers against the application's
//! public key, so the signer and the verifier share one implementation.
//! [`PublicKey::fingerprint_sha256_hex`] identifies a key (SHA-256 of its SPKI).
//!
//! # Testing
//!
//! Nonce and time are injected ([`NonceSource`], [`TimestampSource`]); with
//! [`FixedNonce`] and [`FixedTimestamp`] signing is a pure function.
#![cfg_attr(not(test), warn(unused_crate_dependencies))]
// Without a backend, `Backend` has no variants and key types cannot be built;
// the code paths that would use them are statically unreachable.
#![cfg_attr(
    not(any(feature = "rust-crypto", feature = "aws-lc-rs")),
    allow(dead_code, unreachable_code)
)]
#![cfg_attr(docsrs, feature(doc_cfg))]

mod assertion;
mod backend;
mod der;
mod error;
mod key;
mod pem;
mod signer;

pub use assertion::{ASSERTION_LIFETIME_SECS, ClientAssertion, TOKEN_URL};
pub use backend::Backend;
pub use error::{KeyError, SignError, VerifyError};
pub use key::{PrivateKey, PublicKey};
pub use signer::{
    FixedNonce, FixedTimestamp, NonceSource, RandomNonce, RequestSigner, SystemTimestamp,
    TimestampSource, string_to_sign,
};

/// The most bytes of key text accepted (64 KiB), from a file, a pipe or memory: a PEM RSA
/// key is at most about 6.5 KiB (8192 bits), so the limit leaves room for comments and other
/// blocks around it while keeping `/dev/zero` or an endless pipe from being read until memory
/// runs out. Larger input is a [`KeyError::TooLarge`].
pub const MAX_KEY_BYTES: usize = 64 * 1024;

/// The name of the header carrying the request signature.
pub const DIGEST_HEADER: &str = "X-Yoti-Auth-Digest";

#[cfg(test)]
mod tests {
    use super::*;

    fn assert_send_sync<T: Send + Sync + 'static>() {}

    #[test]
    fn public_types_are_send_and_sync() {
        assert_send_sync::<PrivateKey>();
        assert_send_sync::<PublicKey>();
        assert_send_sync::<RequestSigner>();
        assert_send_sync::<KeyError>();
        assert_send_sync::<SignError>();
        assert_send_sync::<VerifyError>();
        assert_send_sync::<Backend>();
    }
}
