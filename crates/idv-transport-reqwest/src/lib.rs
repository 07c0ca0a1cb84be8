//! An async [`AsyncTransport`] for the `idv` SDK, built on [reqwest] 0.13 (and so on tokio).
//!
//! [`ReqwestTransport`] moves one `http::Request<Vec<u8>>` over the network and returns the
//! `http::Response<Vec<u8>>` exactly as the server sent it:
//!
//! * every status is a response: a `404` or a `500` is `Ok`, with its body;
//! * redirects are not followed: a `302` comes back as it is;
//! * the request target (path and query) is sent byte for byte as given, because the caller
//!   has signed it. reqwest carries URLs as [`reqwest::Url`], whose parser normalises some
//!   targets (dot segments, characters it escapes); such a request is refused with a
//!   [`Request`](TransportErrorKind::Request) error instead of being sent altered;
//! * the connect timeout, the whole-exchange timeout and the largest response body of the
//!   [`TransportConfig`] are enforced; a body over the limit is refused while it is read (and up
//!   front when its `Content-Length` already says so), so memory stays bounded;
//! * nothing is logged by this crate, and no error message carries the URL or a body (reqwest's
//!   errors are kept without their URL).
//!
//! Connections are kept alive and reused through the client's connection pool; clones of a
//! transport share that pool. Waiting between retries uses tokio's timer.
//!
//! Failures become a [`TransportError`] whose kind says what happened
//! ([`Connect`](TransportErrorKind::Connect) only when the request provably never left,
//! [`Timeout`](TransportErrorKind::Timeout), [`BodyTooLarge`](TransportErrorKind::BodyTooLarge),
//! [`Request`](TransportErrorKind::Request) or [`Other`](TransportErrorKind::Other)) and whose
//! `source()` is reqwest's own error.
//!
//! # Features
//!
//! * `rustls` (default): TLS through rustls, verifying certificates with the platform's
//!   verifier.
//! * `native-tls`: TLS through the platform's library. When both features are enabled, reqwest
//!   uses native-tls.
//!
//! # Example
//!
//! The SDK's async client is normally the one calling [`AsyncTransport::send`], with a request
//! it has built and signed; by hand it looks like this:
//!
//! ```no_run
//! use std::time::Duration;
//! use idv_core::{BodyStream, ResponseLimit, AsyncTransport, TransportConfig};
//! use idv_transport_reqwest::ReqwestTransport;
//!
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! let transport = ReqwestTransport::new(
//!     TransportConfig::new().with_timeout(Duration::from_secs(30)),
//! )?;
//! let request = http::Request::get("https://api.yoti.com/idverify/v1/sessions/123?sdkId=abc")
//!     .body(Vec::new())?;
//! let response = transport.send(request).await?;
//! println!("{} ({} bytes)", response.status(), response.body().len());
//! # Ok(())
//! # }
//! ```
//!
//! The underlying library is re-exported as [`reqwest`] so that a client can be configured
//! further with [`ReqwestTransport::from_client_builder`] (which always turns redirects off).
#![cfg_attr(not(test), warn(unused_crate_dependencies))]

use std::error::Error as StdError;
use std::fmt;
use std::time::Duration;

use http::{HeaderValue, Method, StatusCode, header};
use idv_core::{
    AsyncTransport, BodyStream, ResponseLimit, TransportConfig, TransportError, TransportErrorKind,
};

use idv_core::transport::support::{
    check_uri, declared_length, method_defines_content, response_has_body,
};

pub use reqwest;

/// The most memory reserved up front from a response's `Content-Length`; a larger body grows
/// the buffer as its bytes actually arrive.
const MAX_PREALLOCATION: usize = 1024 * 1024;

/// An async HTTP transport over a [`reqwest::Client`].
///
/// Cheap to clone: clones share the client and its connection pool. Must be used from within
/// a tokio runtime, as reqwest requires.
#[derive(Clone, Debug)]
pub struct ReqwestTransport {
    client: reqwest::Client,
    max_response_bytes: usize,
}

impl ReqwestTransport {
    /// A transport with its own client, configured from `config`.
    ///
    /// The client follows no redirects, applies [`TransportConfig::connect_timeout`] to
    /// establishing a connection (TCP and TLS) and [`TransportConfig::timeout`] to the whole
    /// exchange, up to the last byte of the body. reqwest never turns a status into an error.
    ///
    /// # Errors
    ///
    /// Building the client fails if the TLS backend cannot be initialised (for example if the
    /// platform's root certificates cannot be loaded). The error has kind
    /// [`Other`](TransportErrorKind::Other) and reqwest's error as its source.
    ///
    /// ```
    /// use std::time::Duration;
    /// use idv_core::TransportConfig;
    /// use idv_transport_reqwest::ReqwestTransport;
    ///
    /// let config = TransportConfig::new()
    ///     .with_connect_timeout(Duration::from_secs(5))
    ///     .with_timeout(Duration::from_secs(30))
    ///     .with_max_response_bytes(16 * 1024 * 1024);
    /// let transport = ReqwestTransport::new(config)?;
    /// assert_eq!(transport.max_response_bytes(), 16 * 1024 * 1024);
    /// # Ok::<(), idv_core::TransportError>(())
    /// ```
    pub fn new(config: TransportConfig) -> Result<Self, TransportError> {
        let builder = reqwest::Client::builder()
            .connect_timeout(config.connect_timeout)
            .timeout(config.timeout);
        Self::from_client_builder(builder, config.max_response_bytes)
    }

    /// A transport over a client the caller configures, reading at most `max_response_bytes`
    /// of any response body.
    ///
    /// The transport takes the caller's [`reqwest::ClientBuilder`] rather than a built
    /// [`reqwest::Client`] because a built client's redirect policy cannot be read or changed,
    /// and reqwest follows up to ten redirects by default: a followed redirect would re-send
    /// the signed request (its signature, body and all) to wherever the `Location` points.
    /// This constructor sets [`redirect::Policy::none()`](reqwest::redirect::Policy::none) on
    /// the builder, whatever it said, so every `3xx` comes back as a response. The builder's
    /// other settings (timeouts, TLS, proxy, user agent...) are used as they are; give it a
    /// [`timeout`](reqwest::ClientBuilder::timeout): reqwest has none by default.
    ///
    /// ```
    /// use std::time::Duration;
    /// use idv_transport_reqwest::{ReqwestTransport, reqwest};
    ///
    /// let builder = reqwest::Client::builder()
    ///     .timeout(Duration::from_secs(20))
    ///     .user_agent("my-app/1.0");
    /// let transport = ReqwestTransport::from_client_builder(builder, 8 * 1024 * 1024)?;
    /// # let _ = transport;
    /// # Ok::<(), idv_core::TransportError>(())
    /// ```
    ///
    /// # Errors
    ///
    /// As [`ReqwestTransport::new`]: building the client fails if its TLS backend cannot be
    /// initialised (kind [`Other`](TransportErrorKind::Other), reqwest's error as the source).
    pub fn from_client_builder(
        builder: reqwest::ClientBuilder,
        max_response_bytes: usize,
    ) -> Result<Self, TransportError> {
        let client = builder
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|err| TransportError::new(TransportErrorKind::Other, err.without_url()))?;
        Ok(Self {
            client,
            max_response_bytes,
        })
    }

    /// The client requests go through.
    pub fn client(&self) -> &reqwest::Client {
        &self.client
    }

    /// The largest response body this transport reads into memory.
    pub fn max_response_bytes(&self) -> usize {
        self.max_response_bytes
    }
}

impl ReqwestTransport {
    /// Sends the request (after checking that reqwest keeps its target byte for byte) and
    /// returns reqwest's response with its body unread.
    async fn exchange(
        &self,
        mut request: http::Request<Vec<u8>>,
    ) -> Result<(Method, reqwest::Response), TransportError> {
        check_uri(request.uri())?;
        let method = request.method().clone();

        // hyper frames an empty body with no header at all; methods that define a meaning for
        // content get an explicit `Content-Length: 0`, as RFC 9110 asks.
        let headers = request.headers();
        if request.body().is_empty()
            && method_defines_content(&method)
            && !headers.contains_key(header::CONTENT_LENGTH)
            && !headers.contains_key(header::TRANSFER_ENCODING)
        {
            request
                .headers_mut()
                .insert(header::CONTENT_LENGTH, HeaderValue::from_static("0"));
        }

        let uri = request.uri().clone();
        let request = reqwest::Request::try_from(request).map_err(map_error)?;
        if !target_preserved(&uri, request.url()) {
            return Err(TransportError::new(
                TransportErrorKind::Request,
                "the request target would not be sent as given: reqwest's URL parser \
                 normalises or re-escapes it",
            ));
        }
        let response = self.client.execute(request).await.map_err(map_error)?;
        Ok((method, response))
    }
}

/// The head of `response` as an `http::Response` with `body`.
fn rebuild<B>(
    status: StatusCode,
    version: http::Version,
    headers: http::HeaderMap,
    body: B,
) -> http::Response<B> {
    let mut received = http::Response::new(body);
    *received.status_mut() = status;
    *received.version_mut() = version;
    *received.headers_mut() = headers;
    received
}

#[async_trait::async_trait]
impl AsyncTransport for ReqwestTransport {
    async fn send(
        &self,
        request: http::Request<Vec<u8>>,
    ) -> Result<http::Response<Vec<u8>>, TransportError> {
        let limit = ResponseLimit::for_request(&request, self.max_response_bytes);
        let (method, mut response) = self.exchange(request).await?;

        let status = response.status();
        let version = response.version();
        let headers = std::mem::take(response.headers_mut());

        let declared = if response_has_body(&method, status) {
            declared_length(&headers)
        } else {
            None
        };
        if let Some(length) = declared
            && length > limit as u64
        {
            return Err(TransportError::new(
                TransportErrorKind::BodyTooLarge,
                BodyTooLarge {
                    limit,
                    declared: Some(length),
                },
            ));
        }

        // `declared` is at most `limit`, so it fits a usize.
        let capacity = declared.map_or(0, |length| (length as usize).min(MAX_PREALLOCATION));
        let mut body = Vec::with_capacity(capacity);
        while let Some(chunk) = response.chunk().await.map_err(map_error)? {
            if chunk.len() > limit - body.len() {
                return Err(TransportError::new(
                    TransportErrorKind::BodyTooLarge,
                    BodyTooLarge {
                        limit,
                        declared: None,
                    },
                ));
            }
            body.extend_from_slice(&chunk);
        }
        Ok(rebuild(status, version, headers, body))
    }

    async fn send_streaming(
        &self,
        request: http::Request<Vec<u8>>,
    ) -> Result<http::Response<BodyStream>, TransportError> {
        let (_, mut response) = self.exchange(request).await?;
        let status = response.status();
        let version = response.version();
        let headers = std::mem::take(response.headers_mut());
        let chunks = futures_util::stream::unfold(Some(response), |state| async move {
            let mut response = state?;
            match response.chunk().await {
                Ok(Some(chunk)) => Some((Ok(chunk), Some(response))),
                Ok(None) => None,
                Err(err) => Some((Err(map_error(err)), None)),
            }
        });
        Ok(rebuild(
            status,
            version,
            headers,
            Box::pin(chunks) as BodyStream,
        ))
    }

    async fn sleep(&self, duration: Duration) {
        tokio::time::sleep(duration).await;
    }
}

/// Whether `url`, which reqwest parsed from `uri`, still carries the same path and query byte
/// for byte.
fn target_preserved(uri: &http::Uri, url: &reqwest::Url) -> bool {
    let (path, query) = match uri.path_and_query() {
        Some(target) => (target.path(), target.query()),
        None => ("/", None),
    };
    let path = if path.is_empty() { "/" } else { path };
    url.path() == path && url.query() == query
}

/// Sorts a reqwest error into a [`TransportErrorKind`], keeping it, without its URL, as the
/// source.
fn map_error(err: reqwest::Error) -> TransportError {
    // `is_connect` is hyper-util's connect error kind, raised only while a connection is
    // acquired (resolving, connecting, TLS), never for a request written on a pooled
    // connection: so `Connect` keeps meaning "the request was not sent".
    // A connect timeout is both a timeout and a connect error: it counts as a timeout.
    let kind = if err.is_timeout() {
        TransportErrorKind::Timeout
    } else if err.is_connect() {
        TransportErrorKind::Connect
    } else if err.is_builder() {
        TransportErrorKind::Request
    } else {
        TransportErrorKind::Other
    };
    TransportError::new(kind, err.without_url())
}

/// A response body over the size limit.
#[derive(Debug)]
struct BodyTooLarge {
    limit: usize,
    /// The `Content-Length`, when that is what gave it away.
    declared: Option<u64>,
}

impl fmt::Display for BodyTooLarge {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.declared {
            Some(length) => write!(
                f,
                "the response declares {length} bytes of content, over the limit of {} bytes",
                self.limit
            ),
            None => write!(
                f,
                "the response body is larger than the limit of {} bytes",
                self.limit
            ),
        }
    }
}

impl StdError for BodyTooLarge {}
