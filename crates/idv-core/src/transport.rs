//! The boundary between the sans-IO core and an HTTP library.
//!
//! A transport moves one `http::Request<Vec<u8>>` over the network and hands back the
//! `http::Response<Vec<u8>>` exactly as received. It is deliberately dumb:
//!
//! * it does **not** turn status codes into errors (a 404 is `Ok(response)`);
//! * it does **not** follow redirects, retry, or decode bodies;
//! * it **does** enforce its time limits and the maximum response size it was given;
//! * it must send the request target byte for byte as it was built (the signature
//!   covers it) and must never log bodies or query strings.
//!
//! Retry, decoding and error mapping happen once, in the core.

use std::error::Error as StdError;
use std::fmt;
use std::time::Duration;

/// A boxed error from an HTTP library, kept as the `source()` of a [`TransportError`].
pub type BoxError = Box<dyn StdError + Send + Sync + 'static>;

/// Limits every transport honours. Built by the clients from their configuration.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct TransportConfig {
    /// Time allowed to establish a connection (TCP and TLS).
    pub connect_timeout: Duration,
    /// Time allowed for the whole exchange, from sending the request to the last byte of the
    /// response body.
    pub timeout: Duration,
    /// The largest response body a transport reads into memory; a larger body is an error of
    /// kind [`TransportErrorKind::BodyTooLarge`], never an out-of-memory.
    pub max_response_bytes: usize,
}

impl TransportConfig {
    /// Default connect timeout: 10 seconds.
    pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
    /// Default whole-request timeout: 60 seconds (media downloads included).
    pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);
    /// Default largest buffered response: 128 MiB.
    pub const DEFAULT_MAX_RESPONSE_BYTES: usize = 128 * 1024 * 1024;

    /// The defaults: 10 s to connect, 60 s per request, 128 MiB per response.
    pub fn new() -> Self {
        Self {
            connect_timeout: Self::DEFAULT_CONNECT_TIMEOUT,
            timeout: Self::DEFAULT_TIMEOUT,
            max_response_bytes: Self::DEFAULT_MAX_RESPONSE_BYTES,
        }
    }

    /// Sets the connect timeout.
    pub fn with_connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// Sets the whole-request timeout.
    pub fn with_timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Sets the largest response body read into memory.
    pub fn with_max_response_bytes(mut self, max: usize) -> Self {
        self.max_response_bytes = max;
        self
    }
}

impl Default for TransportConfig {
    fn default() -> Self {
        Self::new()
    }
}

/// What went wrong in a transport, as far as the transport can tell.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TransportErrorKind {
    /// The request was provably not sent: a **fresh** connection could not be established
    /// (name resolution failed, the connection was refused, the TLS set-up failed before any
    /// request byte was written). Because of that proof even a non-idempotent call (creating a
    /// session) may be retried, so a transport must use this kind narrowly: an error that may
    /// arrive after request bytes were written on a reused connection (network or host
    /// unreachable, reset, broken pipe) is [`Other`](Self::Other), never `Connect`.
    Connect,
    /// A time limit ran out. The request may or may not have been processed.
    Timeout,
    /// The response body was larger than [`TransportConfig::max_response_bytes`].
    BodyTooLarge,
    /// The request could not be handed to the HTTP library (for example an invalid URI).
    Request,
    /// Anything else: connection reset, broken pipe, network unreachable, truncated body,
    /// protocol error. The request may or may not have been processed.
    Other,
}

/// An error raised by a transport. The HTTP library's own error is its `source()`.
pub struct TransportError {
    kind: TransportErrorKind,
    source: Option<BoxError>,
}

impl TransportError {
    /// An error of `kind` wrapping the HTTP library's error.
    pub fn new(kind: TransportErrorKind, source: impl Into<BoxError>) -> Self {
        Self {
            kind,
            source: Some(source.into()),
        }
    }

    /// An error of `kind` with no underlying error.
    pub fn from_kind(kind: TransportErrorKind) -> Self {
        Self { kind, source: None }
    }

    /// What went wrong.
    pub fn kind(&self) -> TransportErrorKind {
        self.kind
    }

    /// Whether a time limit ran out.
    pub fn is_timeout(&self) -> bool {
        self.kind == TransportErrorKind::Timeout
    }

    /// Whether the connection could not be established.
    pub fn is_connect(&self) -> bool {
        self.kind == TransportErrorKind::Connect
    }
}

impl fmt::Debug for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TransportError")
            .field("kind", &self.kind)
            .field("source", &self.source)
            .finish()
    }
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self.kind {
            TransportErrorKind::Connect => "could not connect to the server",
            TransportErrorKind::Timeout => "the request timed out",
            TransportErrorKind::BodyTooLarge => "the response body exceeded the size limit",
            TransportErrorKind::Request => "the request could not be sent",
            TransportErrorKind::Other => "the HTTP exchange failed",
        })
    }
}

impl StdError for TransportError {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        self.source
            .as_deref()
            .map(|e| e as &(dyn StdError + 'static))
    }
}

/// A blocking HTTP transport. Implemented by `idv-transport-ureq`; implement it to bring your
/// own HTTP client.
pub trait SyncTransport: Send + Sync {
    /// Sends `request` and returns the response as received, whatever its status.
    ///
    /// # Errors
    ///
    /// A [`TransportError`] whose kind says what failed; a non-success status is not an error
    /// here.
    fn send(
        &self,
        request: http::Request<Vec<u8>>,
    ) -> Result<http::Response<Vec<u8>>, TransportError>;

    /// Sends `request` and returns the response with its body unread, so that memory stays
    /// flat however large the body is (media downloads). The default implementation buffers
    /// through [`SyncTransport::send`]; the built-in transports stream for real.
    ///
    /// # Errors
    ///
    /// As [`SyncTransport::send`].
    fn send_streaming(
        &self,
        request: http::Request<Vec<u8>>,
    ) -> Result<http::Response<BodyReader>, TransportError> {
        let response = self.send(request)?;
        Ok(response.map(|body| Box::new(std::io::Cursor::new(body)) as BodyReader))
    }
}

/// An async HTTP transport. Implemented by `idv-transport-reqwest`; implement it to bring your
/// own HTTP client.
#[async_trait::async_trait]
pub trait AsyncTransport: Send + Sync {
    /// Sends `request` and returns the response as received, whatever its status.
    async fn send(
        &self,
        request: http::Request<Vec<u8>>,
    ) -> Result<http::Response<Vec<u8>>, TransportError>;

    /// Sends `request` and returns the response with its body as a stream of chunks, so that
    /// memory stays flat however large the body is (media downloads). The default
    /// implementation buffers through [`AsyncTransport::send`]; the built-in transports stream
    /// for real.
    async fn send_streaming(
        &self,
        request: http::Request<Vec<u8>>,
    ) -> Result<http::Response<BodyStream>, TransportError> {
        let response = self.send(request).await?;
        Ok(response.map(|body| {
            let once = futures_util_once(bytes::Bytes::from(body));
            Box::pin(once) as BodyStream
        }))
    }

    /// Waits for `duration` (used between retries). The default implementation needs no
    /// async runtime: it parks a helper thread and wakes the task when the time is up.
    /// Transports tied to a runtime override it with the runtime's timer.
    async fn sleep(&self, duration: Duration) {
        crate::sleep::thread_sleep(duration).await
    }
}

impl<T: SyncTransport + ?Sized> SyncTransport for std::sync::Arc<T> {
    fn send(
        &self,
        request: http::Request<Vec<u8>>,
    ) -> Result<http::Response<Vec<u8>>, TransportError> {
        (**self).send(request)
    }

    fn send_streaming(
        &self,
        request: http::Request<Vec<u8>>,
    ) -> Result<http::Response<BodyReader>, TransportError> {
        (**self).send_streaming(request)
    }
}

#[async_trait::async_trait]
impl<T: AsyncTransport + ?Sized> AsyncTransport for std::sync::Arc<T> {
    async fn send(
        &self,
        request: http::Request<Vec<u8>>,
    ) -> Result<http::Response<Vec<u8>>, TransportError> {
        (**self).send(request).await
    }

    async fn send_streaming(
        &self,
        request: http::Request<Vec<u8>>,
    ) -> Result<http::Response<BodyStream>, TransportError> {
        (**self).send_streaming(request).await
    }

    async fn sleep(&self, duration: Duration) {
        (**self).sleep(duration).await
    }
}

/// A closure (or function) is a blocking transport: handy as a test double, so that a unit
/// test of code using the SDK needs no server. [`sync_fn`] spells the closure's types out for
/// the compiler.
impl<F> SyncTransport for F
where
    F: Fn(http::Request<Vec<u8>>) -> Result<http::Response<Vec<u8>>, TransportError> + Send + Sync,
{
    fn send(
        &self,
        request: http::Request<Vec<u8>>,
    ) -> Result<http::Response<Vec<u8>>, TransportError> {
        self(request)
    }
}

/// A closure returning a future (or an `async` closure) is an async transport, the twin of
/// the blocking one: a test double that needs no server. [`async_fn`] spells the closure's
/// types out for the compiler. Waiting between retries uses the default, runtime-free
/// [`AsyncTransport::sleep`].
#[async_trait::async_trait]
impl<F, Fut> AsyncTransport for F
where
    F: Fn(http::Request<Vec<u8>>) -> Fut + Send + Sync,
    Fut: std::future::Future<Output = Result<http::Response<Vec<u8>>, TransportError>> + Send,
{
    async fn send(
        &self,
        request: http::Request<Vec<u8>>,
    ) -> Result<http::Response<Vec<u8>>, TransportError> {
        self(request).await
    }
}

/// Returns `f` unchanged, typed as a blocking transport: a closure passed straight to a generic
/// `impl SyncTransport` parameter cannot have its argument type inferred, one passed through
/// `sync_fn` can.
///
/// ```
/// use idv_core::transport::sync_fn;
/// use idv_core::SyncTransport;
///
/// let transport = sync_fn(|request| {
///     assert_eq!(request.method(), http::Method::GET);
///     Ok(http::Response::builder().status(404).body(b"{}".to_vec()).expect("valid"))
/// });
/// let response = transport.send(http::Request::get("https://h/x").body(Vec::new())?)?;
/// assert_eq!(response.status(), 404);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn sync_fn<F>(f: F) -> F
where
    F: Fn(http::Request<Vec<u8>>) -> Result<http::Response<Vec<u8>>, TransportError> + Send + Sync,
{
    f
}

/// Returns `f` unchanged, typed as an async transport (see [`sync_fn`]).
///
/// ```
/// use idv_core::transport::async_fn;
/// use idv_core::AsyncTransport;
///
/// let transport = async_fn(|request| async move {
///     let status = if request.uri().path().ends_with("/missing") { 404 } else { 200 };
///     Ok(http::Response::builder().status(status).body(Vec::new()).expect("valid"))
/// });
/// # let _ = &transport as &dyn AsyncTransport;
/// ```
pub fn async_fn<F, Fut>(f: F) -> F
where
    F: Fn(http::Request<Vec<u8>>) -> Fut + Send + Sync,
    Fut: std::future::Future<Output = Result<http::Response<Vec<u8>>, TransportError>> + Send,
{
    f
}

/// A request extension narrowing the largest response body a transport may read into memory
/// for this one request: the clients set it to the JSON limit for JSON calls and to the media
/// limit for media downloads. Transports apply `min(this, their own maximum)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ResponseLimit(pub usize);

impl ResponseLimit {
    /// The limit for `request`: its [`ResponseLimit`] extension capped by `transport_max`.
    pub fn for_request<B>(request: &http::Request<B>, transport_max: usize) -> usize {
        request
            .extensions()
            .get::<ResponseLimit>()
            .map_or(transport_max, |l| l.0.min(transport_max))
    }
}

/// A response body read incrementally by a blocking transport. Read errors are
/// `std::io::Error`s whose inner error is a [`TransportError`].
pub type BodyReader = Box<dyn std::io::Read + Send>;

/// A response body delivered incrementally by an async transport.
pub type BodyStream = std::pin::Pin<
    Box<dyn futures_core::Stream<Item = Result<bytes::Bytes, TransportError>> + Send>,
>;

/// A stream yielding one chunk (empty bodies yield nothing).
fn futures_util_once(
    chunk: bytes::Bytes,
) -> impl futures_core::Stream<Item = Result<bytes::Bytes, TransportError>> + Send {
    struct Once(Option<bytes::Bytes>);
    impl futures_core::Stream for Once {
        type Item = Result<bytes::Bytes, TransportError>;
        fn poll_next(
            mut self: std::pin::Pin<&mut Self>,
            _cx: &mut std::task::Context<'_>,
        ) -> std::task::Poll<Option<Self::Item>> {
            std::task::Poll::Ready(self.0.take().filter(|c| !c.is_empty()).map(Ok))
        }
    }
    Once(Some(chunk))
}

/// Small rules every HTTP transport applies the same way; the built-in transports use them,
/// and so can yours.
pub mod support {
    use http::{Method, StatusCode, header};

    use super::{TransportError, TransportErrorKind};

    /// Whether RFC 9110 gives content a meaning for `method`, so that an empty body is still
    /// sent with `Content-Length: 0`.
    pub fn method_defines_content(method: &Method) -> bool {
        *method == Method::POST || *method == Method::PUT || *method == Method::PATCH
    }

    /// Refuses a URI that cannot be sent, without repeating it in the error.
    ///
    /// # Errors
    ///
    /// [`TransportErrorKind::Request`] for a URI without a scheme or host.
    pub fn check_uri(uri: &http::Uri) -> Result<(), TransportError> {
        let absolute =
            matches!(uri.scheme_str(), Some("http" | "https")) && uri.authority().is_some();
        if absolute {
            Ok(())
        } else {
            Err(TransportError::new(
                TransportErrorKind::Request,
                "the request URI is not an absolute http or https URI",
            ))
        }
    }

    /// Whether a response to `method` with `status` can carry a body, and so whether its
    /// `Content-Length` describes bytes that will be read.
    pub fn response_has_body(method: &Method, status: StatusCode) -> bool {
        *method != Method::HEAD
            && !status.is_informational()
            && status != StatusCode::NO_CONTENT
            && status != StatusCode::NOT_MODIFIED
    }

    /// The response's `Content-Length`, when it is a single valid number.
    pub fn declared_length(headers: &http::HeaderMap) -> Option<u64> {
        let mut values = headers.get_all(header::CONTENT_LENGTH).iter();
        let first = values.next()?;
        if values.any(|other| other != first) {
            return None;
        }
        first.to_str().ok()?.trim().parse().ok()
    }
}
