//! The request signer and its injected nonce and clock sources.

use std::fmt;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;

use crate::backend::MAX_SIGNATURE_LEN;
use crate::{PrivateKey, SignError};

/// The canonical string Yoti signs:
/// `METHOD & path_and_query [& base64(body)]`.
///
/// - `method` is used verbatim; pass it in upper case, exactly as sent.
/// - `path_and_query` is the request target relative to the API base URL
///   (without the `/idverify/v1` prefix), already percent-encoded exactly as it
///   will be sent, e.g. `/sessions?sdkId=...&nonce=...&timestamp=...`.
/// - The body part (standard, padded base64) is appended only when `body` is
///   `Some` and non-empty.
///
/// ```
/// use idv_auth::string_to_sign;
///
/// assert_eq!(string_to_sign("GET", "/sessions/1?sdkId=a", None), "GET&/sessions/1?sdkId=a");
/// assert_eq!(string_to_sign("POST", "/sessions?sdkId=a", Some(b"")), "POST&/sessions?sdkId=a");
/// assert_eq!(string_to_sign("POST", "/sessions?sdkId=a", Some(b"{}")), "POST&/sessions?sdkId=a&e30=");
/// ```
pub fn string_to_sign(method: &str, path_and_query: &str, body: Option<&[u8]>) -> String {
    let body = body.filter(|b| !b.is_empty());
    let capacity =
        method.len() + 1 + path_and_query.len() + body.map_or(0, |b| 1 + b.len().div_ceil(3) * 4);
    let mut out = String::with_capacity(capacity);
    out.push_str(method);
    out.push('&');
    out.push_str(path_and_query);
    if let Some(body) = body {
        out.push('&');
        STANDARD.encode_string(body, &mut out);
    }
    out
}

/// Where request nonces come from. Injected so signing is a pure function in tests.
pub trait NonceSource: Send + Sync + fmt::Debug {
    /// A fresh nonce (Yoti's SDKs send a lower-case v4 UUID).
    fn nonce(&self) -> String;
}

/// Where request timestamps come from. Injected so signing is a pure function in tests.
pub trait TimestampSource: Send + Sync + fmt::Debug {
    /// Milliseconds since the Unix epoch.
    fn now_millis(&self) -> u64;
}

/// Random lower-case RFC 4122 version-4 UUIDs from the OS RNG (`getrandom`).
///
/// Never panics: should the OS RNG fail, the nonce is derived instead from
/// the time, the process id and a process-wide counter, which keeps nonces
/// unique (though not unpredictable).
#[derive(Debug, Clone, Copy, Default)]
pub struct RandomNonce;

impl NonceSource for RandomNonce {
    fn nonce(&self) -> String {
        let mut bytes = [0u8; 16];
        if getrandom::fill(&mut bytes).is_err() {
            bytes = fallback_nonce_bytes();
        }
        format_uuid_v4(bytes)
    }
}

/// 128 bits that are unique per call without an RNG.
fn fallback_nonce_bytes() -> [u8; 16] {
    use std::hash::{DefaultHasher, Hash, Hasher};

    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let count = COUNTER.fetch_add(1, Ordering::Relaxed);
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    let pid = std::process::id();
    let thread = std::thread::current().id();
    // The address of a local adds a little per-process entropy (ASLR).
    let stack = std::ptr::addr_of!(count) as usize;

    let mut out = [0u8; 16];
    for (lane, half) in (0u8..).zip(out.chunks_exact_mut(8)) {
        let mut hasher = DefaultHasher::new();
        (lane, count, nanos, pid, thread, stack).hash(&mut hasher);
        half.copy_from_slice(&hasher.finish().to_le_bytes());
    }
    out
}

/// Lower-case hyphenated text of a version-4 UUID made from `bytes` (the version and
/// RFC 4122 variant bits are set by `uuid`).
fn format_uuid_v4(bytes: [u8; 16]) -> String {
    uuid::Builder::from_random_bytes(bytes)
        .into_uuid()
        .hyphenated()
        .to_string()
}

/// The system clock: milliseconds since the Unix epoch (0 if the clock is
/// before 1970).
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemTimestamp;

impl TimestampSource for SystemTimestamp {
    fn now_millis(&self) -> u64 {
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
    }
}

/// Always the same nonce. For tests and known-answer vectors.
#[derive(Debug, Clone)]
pub struct FixedNonce(pub String);

impl NonceSource for FixedNonce {
    fn nonce(&self) -> String {
        self.0.clone()
    }
}

/// Always the same time. For tests and known-answer vectors.
#[derive(Debug, Clone, Copy)]
pub struct FixedTimestamp(pub u64);

impl TimestampSource for FixedTimestamp {
    fn now_millis(&self) -> u64 {
        self.0
    }
}

/// An application's credentials (SDK ID and private key) plus the nonce and
/// clock sources used to sign requests. Cheap to clone; `Debug` redacts the key.
#[derive(Clone)]
pub struct RequestSigner {
    sdk_id: Arc<str>,
    key: PrivateKey,
    nonce_source: Arc<dyn NonceSource>,
    clock: Arc<dyn TimestampSource>,
}

impl RequestSigner {
    /// A signer using [`RandomNonce`] and [`SystemTimestamp`].
    ///
    /// ```
    /// # #[cfg(any(feature = "rust-crypto", feature = "aws-lc-rs"))] {
    /// use idv_auth::{FixedTimestamp, FixedNonce, PrivateKey, RequestSigner};
    ///
    /// let key = PrivateKey::from_pem(include_str!("../tests/data/test-key.pem"))?;
    /// let signer = RequestSigner::new("my-sdk-id", key)
    ///     .with_nonce_source(FixedNonce("00000000-0000-4000-8000-000000000001".into()))
    ///     .with_timestamp_source(FixedTimestamp(1_767_225_601_000));
    /// let path = format!(
    ///     "/sessions?sdkId={}&nonce={}&timestamp={}",
    ///     signer.sdk_id(),
    ///     signer.nonce(),
    ///     signer.timestamp_millis()
    /// );
    /// let digest = signer.digest("GET", &path, None).expect("signs");
    /// assert_eq!(digest.len(), 344); // RSA-2048: 256 bytes, base64
    /// # }
    /// # Ok::<(), idv_auth::KeyError>(())
    /// ```
    pub fn new(sdk_id: impl Into<String>, key: PrivateKey) -> RequestSigner {
        RequestSigner {
            sdk_id: Arc::from(sdk_id.into()),
            key,
            nonce_source: Arc::new(RandomNonce),
            clock: Arc::new(SystemTimestamp),
        }
    }

    /// Replaces the nonce source.
    pub fn with_nonce_source(mut self, n: impl NonceSource + 'static) -> Self {
        self.nonce_source = Arc::new(n);
        self
    }

    /// Replaces the clock.
    pub fn with_timestamp_source(mut self, c: impl TimestampSource + 'static) -> Self {
        self.clock = Arc::new(c);
        self
    }

    /// The application's SDK ID.
    pub fn sdk_id(&self) -> &str {
        &self.sdk_id
    }

    /// The signing key.
    pub fn key(&self) -> &PrivateKey {
        &self.key
    }

    /// A nonce from the nonce source.
    pub fn nonce(&self) -> String {
        self.nonce_source.nonce()
    }

    /// The current time from the clock, in milliseconds since the Unix epoch.
    pub fn timestamp_millis(&self) -> u64 {
        self.clock.now_millis()
    }

    /// The `X-Yoti-Auth-Digest` header value: standard padded base64 of the
    /// RSASSA-PKCS1-v1_5/SHA-256 signature of
    /// [`string_to_sign(method, path_and_query, body)`](string_to_sign).
    ///
    /// # Errors
    /// [`SignError`] if the backend fails.
    pub fn digest(
        &self,
        method: &str,
        path_and_query: &str,
        body: Option<&[u8]>,
    ) -> Result<String, SignError> {
        // Two allocations, each of its exact final size: the string to sign and the header
        // value. The signature itself goes to a stack buffer.
        let message = string_to_sign(method, path_and_query, body);
        let mut signature = [0u8; MAX_SIGNATURE_LEN];
        let len = self.key.sign_into(message.as_bytes(), &mut signature)?;
        let signature = &signature[..len];
        let mut digest = String::with_capacity(len.div_ceil(3) * 4);
        STANDARD.encode_string(signature, &mut digest);
        Ok(digest)
    }
}

impl fmt::Debug for RequestSigner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RequestSigner")
            .field("sdk_id", &self.sdk_id)
            .field("key", &"<redacted>")
            .field("nonce_source", &self.nonce_source)
            .field("clock", &self.clock)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uuid_bits_are_set() {
        let s = format_uuid_v4([0xff; 16]);
        assert_eq!(s, "ffffffff-ffff-4fff-bfff-ffffffffffff");
        let s = format_uuid_v4([0; 16]);
        assert_eq!(s, "00000000-0000-4000-8000-000000000000");
    }

    #[test]
    fn fallback_is_unique() {
        let a = fallback_nonce_bytes();
        let b = fallback_nonce_bytes();
        assert_ne!(a, b);
    }
}
