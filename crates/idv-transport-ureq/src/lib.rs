//! A blocking [`SyncTransport`] for the `idv` SDK, built on [ureq] 3.
//!
//! [`UreqTransport`] moves one `http::Request<Vec<u8>>` over the network and returns the
//! `http::Response<Vec<u8>>` exactly as the server sent it:
//!
//! * every status is a response: a `404` or a `500` is `Ok`, with its body;
//! * redirects are not followed: a `302` comes back as it is;
//! * the request target (path and query) is written byte for byte as given, because the caller
//!   has signed it;
//! * the connect timeout, the whole-exchange timeout and the largest response body of the
//!   [`TransportConfig`] are enforced; a body over the limit is refused while it is read (and up
//!   front when its `Content-Length` already says so), so memory stays bounded;
//! * nothing is logged by this crate, and no error message carries the URI or a body.
//!
//! Connections are kept alive and reused through the agent's connection pool; clones of a
//! transport share that pool. Host names are resolved once and cached by a
//! [`CachingResolver`] (IP literals are never looked up): ureq's default resolver would start
//! a thread and call `getaddrinfo` for every request. The cache lasts
//! [`CachingResolver::DEFAULT_TTL`] (set it with [`UreqTransport::with_resolver`]) and a host
//! is resolved again after a request to it failed.
//!
//! Failures become a [`TransportError`] whose kind says what happened
//! ([`Connect`](TransportErrorKind::Connect) only when the request provably never left,
//! [`Timeout`](TransportErrorKind::Timeout), [`BodyTooLarge`](TransportErrorKind::BodyTooLarge),
//! [`Request`](TransportErrorKind::Request) or [`Other`](TransportErrorKind::Other)) and whose
//! `source()` is ureq's own error.
//!
//! # Features
//!
//! * `rustls` (default): TLS through rustls with Mozilla's root certificates, using rustls's
//!   crypto provider chosen by `aws-lc-rs` (default, the provider reqwest's rustls uses, so no
//!   `ring` is built) or `ring`; with neither, the process-wide default provider.
//! * `native-tls`: TLS through the platform's library and its root certificates. When both
//!   features are enabled, [`UreqTransport::new`] uses native-tls.
//!
//! # Example
//!
//! The SDK's blocking client is normally the one calling [`SyncTransport::send`], with a
//! request it has built and signed; by hand it looks like this:
//!
//! ```no_run
//! use std::time::Duration;
//! use idv_core::{SyncTransport, TransportConfig};
//! use idv_transport_ureq::UreqTransport;
//!
//! let transport = UreqTransport::new(
//!     TransportConfig::new().with_timeout(Duration::from_secs(30)),
//! );
//! let request = http::Request::get("https://api.yoti.com/idverify/v1/sessions/123?sdkId=abc")
//!     .body(Vec::new())?;
//! let response = transport.send(request)?;
//! println!("{} ({} bytes)", response.status(), response.body().len());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! The underlying library is re-exported as [`ureq`] so that an agent can be
//! configured further and wrapped with [`UreqTransport::from_agent`].
#![cfg_attr(not(test), warn(unused_crate_dependencies))]

use std::error::Error as StdError;
use std::fmt;
use std::io::{self, Read};

use http::{Method, StatusCode};
use idv_core::{
    BodyReader, ResponseLimit, SyncTransport, TransportConfig, TransportError, TransportErrorKind,
};

use idv_core::transport::support::{
    check_uri, declared_length, method_defines_content, response_has_body,
};

pub use resolver::CachingResolver;
pub use ureq;

mod resolver;

/// The most memory reserved up front from a response's `Content-Length`; a larger body grows
/// the buffer as its bytes actually arrive.
const MAX_PREALLOCATION: usize = 1024 * 1024;

/// A blocking HTTP transport over a [`ureq::Agent`].
///
/// Cheap to clone: clones share the agent and its connection pool.
#[derive(Clone, Debug)]
pub struct UreqTransport {
    agent: ureq::Agent,
    max_response_bytes: usize,
    /// The agent's resolver when this crate built the agent: told about failed requests.
    resolver: Option<CachingResolver>,
}

impl UreqTransport {
    /// A transport with its own agent, configured from `config`.
    ///
    /// The agent treats every status as a response, follows no redirects, applies
    /// [`TransportConfig::connect_timeout`] to establishing a connection (TCP and TLS) and
    /// [`TransportConfig::timeout`] to the whole exchange, up to the last byte of the body.
    /// Host names are resolved through a [`CachingResolver`] with
    /// [`CachingResolver::DEFAULT_TTL`].
    ///
    /// ```
    /// use std::time::Duration;
    /// use idv_core::TransportConfig;
    /// use idv_transport_ureq::UreqTransport;
    ///
    /// let config = TransportConfig::new()
    ///     .with_connect_timeout(Duration::from_secs(5))
    ///     .with_timeout(Duration::from_secs(30))
    ///     .with_max_response_bytes(16 * 1024 * 1024);
    /// let transport = UreqTransport::new(config);
    /// assert_eq!(transport.max_response_bytes(), 16 * 1024 * 1024);
    /// ```
    pub fn new(config: TransportConfig) -> Self {
        Self::with_resolver(config, CachingResolver::default())
    }

    /// A transport configured from `config`, as [`UreqTransport::new`], resolving host names
    /// through `resolver` (for example one with another time to live). The transport calls
    /// [`CachingResolver::forget`] for a request's host when the request fails.
    ///
    /// ```
    /// use std::time::Duration;
    /// use idv_core::TransportConfig;
    /// use idv_transport_ureq::{CachingResolver, UreqTransport};
    ///
    /// let resolver = CachingResolver::new(Duration::from_secs(300));
    /// let transport = UreqTransport::with_resolver(TransportConfig::new(), resolver);
    /// # let _ = transport;
    /// ```
    pub fn with_resolver(config: TransportConfig, resolver: CachingResolver) -> Self {
        let builder = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .max_redirects(0)
            .timeout_global(Some(config.timeout))
            .timeout_connect(Some(config.connect_timeout));

        // ureq never picks native-tls by itself: it has to be asked for, together with the
        // platform's roots (its default roots are Mozilla's).
        #[cfg(feature = "native-tls")]
        let builder = builder.tls_config(
            ureq::tls::TlsConfig::builder()
                .provider(ureq::tls::TlsProvider::NativeTls)
                .root_certs(ureq::tls::RootCerts::PlatformVerifier)
                .build(),
        );

        // rustls with the crypto provider our features chose (aws-lc-rs, else ring).
        #[cfg(all(feature = "rustls", not(feature = "native-tls")))]
        let builder = match provider::chosen() {
            Some(crypto) => builder.tls_config(
                ureq::tls::TlsConfig::builder()
                    .provider(ureq::tls::TlsProvider::Rustls)
                    .unversioned_rustls_crypto_provider(crypto)
                    .build(),
            ),
            None => builder,
        };

        Self {
            agent: ureq::Agent::with_parts(
                builder.build(),
                ureq::unversioned::transport::DefaultConnector::default(),
                resolver.clone(),
            ),
            max_response_bytes: config.max_response_bytes,
            resolver: Some(resolver),
        }
    }

    /// A transport over an agent configured by the caller, reading at most
    /// `max_response_bytes` of any response body.
    ///
    /// The agent's own timeouts, TLS and proxy settings are used as they are. Whatever the
    /// agent says about statuses and redirects, the transport still returns every status as a
    /// response and follows no redirect: it overrides those two settings per request when the
    /// agent has them on. Such request-level settings make ureq rebuild its TLS configuration
    /// for each new connection, so prefer an agent built with `http_status_as_error(false)` and
    /// `max_redirects(0)`, as below.
    ///
    /// ```
    /// use std::time::Duration;
    /// use idv_transport_ureq::{UreqTransport, ureq};
    ///
    /// let agent: ureq::Agent = ureq::Agent::config_builder()
    ///     .http_status_as_error(false)
    ///     .max_redirects(0)
    ///     .timeout_global(Some(Duration::from_secs(20)))
    ///     .user_agent("my-app/1.0")
    ///     .build()
    ///     .into();
    /// let transport = UreqTransport::from_agent(agent, 8 * 1024 * 1024);
    /// # let _ = transport;
    /// ```
    ///
    /// With the `rustls` feature and an agent whose TLS configuration names no rustls crypto
    /// provider, the provider our features chose (aws-lc-rs, else ring) is installed as
    /// rustls's process-wide default if there is none yet, which is where ureq looks next.
    pub fn from_agent(agent: ureq::Agent, max_response_bytes: usize) -> Self {
        #[cfg(feature = "rustls")]
        if agent
            .config()
            .tls_config()
            .unversioned_rustls_crypto_provider()
            .is_none()
            && let Some(crypto) = provider::chosen()
        {
            // Fails only when another provider was installed meanwhile: that one is used.
            let _ = rustls::crypto::CryptoProvider::install_default(
                std::sync::Arc::unwrap_or_clone(crypto),
            );
        }
        Self {
            agent,
            max_response_bytes,
            resolver: None,
        }
    }

    /// The agent requests go through.
    pub fn agent(&self) -> &ureq::Agent {
        &self.agent
    }

    /// The largest response body this transport reads into memory.
    pub fn max_response_bytes(&self) -> usize {
        self.max_response_bytes
    }

    /// Runs `request` on the agent, forcing "statuses are responses" and "no redirects" per
    /// request if the agent was configured otherwise.
    fn run<S: ureq::AsSendBody>(
        &self,
        request: http::Request<S>,
    ) -> Result<http::Response<ureq::Body>, ureq::Error> {
        let config = self.agent.config();
        if config.http_status_as_error() || config.max_redirects() > 0 {
            let request = self
                .agent
                .configure_request(request)
                .http_status_as_error(false)
                .max_redirects(0)
                .build();
            self.agent.run(request)
        } else {
            self.agent.run(request)
        }
    }
}

impl Default for UreqTransport {
    /// A transport configured with [`TransportConfig::default`].
    fn default() -> Self {
        Self::new(TransportConfig::default())
    }
}

impl From<ureq::Agent> for UreqTransport {
    /// Wraps `agent` with the default response size limit,
    /// [`TransportConfig::DEFAULT_MAX_RESPONSE_BYTES`]. See [`UreqTransport::from_agent`].
    fn from(agent: ureq::Agent) -> Self {
        Self::from_agent(agent, TransportConfig::DEFAULT_MAX_RESPONSE_BYTES)
    }
}

impl UreqTransport {
    /// Sends the request and returns ureq's response with its body unread.
    fn exchange(
        &self,
        request: http::Request<Vec<u8>>,
    ) -> Result<http::Response<ureq::Body>, TransportError> {
        check_uri(request.uri())?;
        #[cfg(feature = "rustls")]
        provider::check(&self.agent, request.uri())?;
        // An empty body is only framed (`Content-Length: 0`) for methods that define a meaning
        // for content; a GET or DELETE without a body goes out without framing headers.
        // Kept only to tell the resolver about a failure (a cheap, reference-counted clone).
        let uri = self.resolver.as_ref().map(|_| request.uri().clone());
        let response = if request.body().is_empty() && !method_defines_content(request.method()) {
            self.run(request.map(|_| ()))
        } else {
            self.run(request)
        }
        .map_err(|err| {
            if let (Some(resolver), Some(uri)) = (&self.resolver, &uri) {
                resolver.forget(uri);
            }
            map_error(err)
        })?;
        let (mut parts, body) = response.into_parts();
        // ureq's extensions (such as the request URI) are not part of the response received.
        parts.extensions = http::Extensions::new();
        Ok(http::Response::from_parts(parts, body))
    }
}

impl SyncTransport for UreqTransport {
    fn send(
        &self,
        request: http::Request<Vec<u8>>,
    ) -> Result<http::Response<Vec<u8>>, TransportError> {
        let method = request.method().clone();
        let limit = ResponseLimit::for_request(&request, self.max_response_bytes);
        let (parts, body) = self.exchange(request)?.into_parts();
        let body = read_body(body, &method, parts.status, &parts.headers, limit)?;
        Ok(http::Response::from_parts(parts, body))
    }

    fn send_streaming(
        &self,
        request: http::Request<Vec<u8>>,
    ) -> Result<http::Response<BodyReader>, TransportError> {
        let response = self.exchange(request)?;
        Ok(response.map(|body| {
            let reader = body.into_with_config().limit(u64::MAX).reader();
            Box::new(StreamingBody(reader)) as BodyReader
        }))
    }
}

/// rustls's crypto provider: chosen by our features, checked before ureq would panic for the
/// lack of one.
#[cfg(feature = "rustls")]
mod provider {
    use std::sync::Arc;

    use idv_core::{TransportError, TransportErrorKind};
    use rustls::crypto::CryptoProvider;

    /// The provider the `aws-lc-rs` or `ring` feature chose, if any.
    pub(crate) fn chosen() -> Option<Arc<CryptoProvider>> {
        #[cfg(feature = "aws-lc-rs")]
        return Some(Arc::new(rustls::crypto::aws_lc_rs::default_provider()));
        #[cfg(all(feature = "ring", not(feature = "aws-lc-rs")))]
        return Some(Arc::new(rustls::crypto::ring::default_provider()));
        #[cfg(not(any(feature = "aws-lc-rs", feature = "ring")))]
        return None;
    }

    /// Refuses an `https` request that rustls would have no crypto provider for (ureq panics
    /// in that case): possible only when neither `aws-lc-rs` nor `ring` is enabled and no
    /// process-wide default was installed.
    pub(crate) fn check(agent: &ureq::Agent, uri: &http::Uri) -> Result<(), TransportError> {
        let tls = agent.config().tls_config();
        let missing = uri.scheme_str() == Some("https")
            && tls.provider() == ureq::tls::TlsProvider::Rustls
            && tls.unversioned_rustls_crypto_provider().is_none()
            && CryptoProvider::get_default().is_none();
        if missing {
            Err(TransportError::new(
                TransportErrorKind::Request,
                "rustls has no crypto provider: enable the `aws-lc-rs` or `ring` feature of \
                 idv-transport-ureq (or idv), or install one with \
                 `rustls::crypto::CryptoProvider::install_default`",
            ))
        } else {
            Ok(())
        }
    }
}

/// A streamed body whose read errors carry a [`TransportError`] (kind and ureq source).
struct StreamingBody(ureq::BodyReader<'static>);

impl Read for StreamingBody {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.0
            .read(buf)
            .map_err(|err| io::Error::other(map_error(ureq::Error::from(err))))
    }
}

/// Reads the response body into memory, refusing more than `limit` bytes.
fn read_body(
    body: ureq::Body,
    method: &Method,
    status: StatusCode,
    headers: &http::HeaderMap,
    limit: usize,
) -> Result<Vec<u8>, TransportError> {
    let declared = if response_has_body(method, status) {
        declared_length(headers)
    } else {
        None
    };
    if let Some(length) = declared
        && length > limit as u64
    {
        return Err(TransportError::new(
            TransportErrorKind::BodyTooLarge,
            DeclaredBodyTooLarge { length, limit },
        ));
    }

    // `declared` is at most `limit`, so it fits a usize.
    let capacity = declared.map_or(0, |length| (length as usize).min(MAX_PREALLOCATION));
    let mut buffer = Vec::with_capacity(capacity);
    body.into_with_config()
        .limit(limit as u64)
        .reader()
        .read_to_end(&mut buffer)
        // ureq wraps its own errors (timeout, limit) in io::Error; this unwraps them again.
        .map_err(|err| map_error(ureq::Error::from(err)))?;
    Ok(buffer)
}

/// Sorts a ureq error into a [`TransportErrorKind`], keeping it as the source.
fn map_error(err: ureq::Error) -> TransportError {
    use TransportErrorKind as Kind;
    use ureq::Error as E;

    let kind = match &err {
        E::Timeout(_) => Kind::Timeout,
        E::Io(io) => io_error_kind(io),
        E::BodyExceedsLimit(_) => Kind::BodyTooLarge,
        // Raised while resolving, connecting, going through a proxy or setting up TLS (ureq
        // raises these only before a connection is handed out, never on a pooled one): the
        // request has not been written yet.
        E::HostNotFound
        | E::ConnectionFailed
        | E::ConnectProxyFailed(_)
        | E::Tls(_)
        | E::TlsRequired => Kind::Connect,
        #[cfg(any(feature = "rustls", feature = "native-tls"))]
        E::Pem(_) => Kind::Connect,
        #[cfg(feature = "rustls")]
        E::Rustls(_) => Kind::Connect,
        #[cfg(feature = "native-tls")]
        E::NativeTls(_) | E::Der(_) => Kind::Connect,
        // These two spell out the whole URI, query included: replace them.
        E::BadUri(_) => {
            return TransportError::new(
                Kind::Request,
                "the request URI is not an absolute http or https URI",
            );
        }
        E::RequireHttpsOnly(_) => {
            return TransportError::new(Kind::Request, "the agent only allows https URIs");
        }
        E::Http(_) | E::InvalidProxyUrl => Kind::Request,
        _ => Kind::Other,
    };
    TransportError::new(kind, err)
}

/// Sorts an I/O error. ureq reports a failed TCP connect and a failed write on a pooled
/// connection alike, as `Error::Io`, so only an error that a connection attempt alone can
/// produce counts as [`TransportErrorKind::Connect`] ("the request was not sent", which lets
/// even a non-idempotent call be retried): `ECONNREFUSED`, the answer to a SYN. A network or
/// host that became unreachable, a reset or a broken pipe may come after request bytes were
/// written on a reused connection, so they are [`TransportErrorKind::Other`].
fn io_error_kind(err: &io::Error) -> TransportErrorKind {
    use io::ErrorKind as Io;

    match err.kind() {
        Io::ConnectionRefused => TransportErrorKind::Connect,
        Io::TimedOut | Io::WouldBlock => TransportErrorKind::Timeout,
        _ => TransportErrorKind::Other,
    }
}

/// A response whose `Content-Length` is already over the limit.
#[derive(Debug)]
struct DeclaredBodyTooLarge {
    length: u64,
    limit: usize,
}

impl fmt::Display for DeclaredBodyTooLarge {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "the response declares {} bytes of content, over the limit of {} bytes",
            self.length, self.limit
        )
    }
}

impl StdError for DeclaredBodyTooLarge {}

#[cfg(test)]
mod tests {
    use super::*;

    /// With the default features, the transport's own agent uses rustls's aws-lc-rs provider
    /// (so no `ring` is needed), and the check before sending lets https through.
    #[cfg(all(feature = "rustls", feature = "aws-lc-rs", not(feature = "native-tls")))]
    #[test]
    fn the_agent_uses_the_aws_lc_rs_provider() {
        let transport = UreqTransport::new(TransportConfig::new());
        let tls = transport.agent().config().tls_config();
        let crypto = tls
            .unversioned_rustls_crypto_provider()
            .as_ref()
            .expect("a crypto provider is configured");
        let aws = rustls::crypto::aws_lc_rs::default_provider();
        let names = |p: &rustls::crypto::CryptoProvider| {
            p.cipher_suites
                .iter()
                .map(|s| s.suite())
                .collect::<Vec<_>>()
        };
        assert_eq!(names(crypto), names(&aws));
        let uri: http::Uri = "https://example.invalid/".parse().expect("uri");
        assert!(provider::check(transport.agent(), &uri).is_ok());
    }

    /// The transport's resolver is asked once per host while requests succeed, and again
    /// after a request failed.
    #[test]
    fn the_host_is_resolved_once_and_again_after_a_failure() {
        use std::io::Write;
        use std::net::TcpListener;

        // A port nothing listens on, then a server answering every request with a 204.
        let closed = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap();
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let live = listener.local_addr().unwrap();
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { return };
                std::thread::spawn(move || {
                    let mut buf = [0u8; 4096];
                    let mut seen = Vec::new();
                    while let Ok(n) = stream.read(&mut buf) {
                        if n == 0 {
                            return;
                        }
                        seen.extend_from_slice(&buf[..n]);
                        while let Some(end) = seen.windows(4).position(|w| w == b"\r\n\r\n") {
                            seen.drain(..end + 4);
                            let answer = b"HTTP/1.1 204 No Content\r\n\r\n";
                            if stream.write_all(answer).is_err() {
                                return;
                            }
                        }
                    }
                });
            }
        });

        let send = |transport: &UreqTransport, port: u16| {
            let uri = format!("http://fake-host.test:{port}/x");
            transport.send(http::Request::get(uri).body(Vec::new()).unwrap())
        };

        let inner = resolver::tests::Counting::new(live);
        let resolver = CachingResolver::with_parts(
            inner.clone(),
            std::time::Duration::from_secs(30),
            Box::new(std::time::Instant::now),
        );
        let transport = UreqTransport::with_resolver(TransportConfig::new(), resolver);
        for _ in 0..3 {
            assert_eq!(send(&transport, live.port()).unwrap().status(), 204);
        }
        assert_eq!(inner.calls(), 1, "one lookup for three requests");

        let inner = resolver::tests::Counting::new(closed);
        let resolver = CachingResolver::with_parts(
            inner.clone(),
            std::time::Duration::from_secs(30),
            Box::new(std::time::Instant::now),
        );
        let transport = UreqTransport::with_resolver(TransportConfig::new(), resolver);
        let err = send(&transport, closed.port()).unwrap_err();
        assert_eq!(err.kind(), TransportErrorKind::Connect);
        assert!(send(&transport, closed.port()).is_err());
        assert_eq!(
            inner.calls(),
            2,
            "each failure makes the next request resolve again"
        );
    }

    /// Only what a fresh connection attempt alone produces means "not sent".
    #[test]
    fn only_refused_connections_and_connect_phase_errors_count_as_not_sent() {
        use io::ErrorKind as Io;
        for (io_kind, expected) in [
            (Io::ConnectionRefused, TransportErrorKind::Connect),
            (Io::NetworkUnreachable, TransportErrorKind::Other),
            (Io::HostUnreachable, TransportErrorKind::Other),
            (Io::NetworkDown, TransportErrorKind::Other),
            (Io::AddrNotAvailable, TransportErrorKind::Other),
            (Io::ConnectionReset, TransportErrorKind::Other),
            (Io::ConnectionAborted, TransportErrorKind::Other),
            (Io::BrokenPipe, TransportErrorKind::Other),
            (Io::UnexpectedEof, TransportErrorKind::Other),
            (Io::TimedOut, TransportErrorKind::Timeout),
        ] {
            let err = map_error(ureq::Error::Io(io::Error::from(io_kind)));
            assert_eq!(err.kind(), expected, "{io_kind:?}");
        }
        assert_eq!(
            map_error(ureq::Error::HostNotFound).kind(),
            TransportErrorKind::Connect
        );
        assert_eq!(
            map_error(ureq::Error::ConnectionFailed).kind(),
            TransportErrorKind::Connect
        );
    }

    /// A create-session POST that failed with an error that may follow a written request is
    /// not retried; one whose connection was refused is.
    #[test]
    fn a_post_is_retried_only_when_provably_not_sent() {
        use idv_core::retry::{Attempt, Decision, Outcome};
        let policy = idv_core::RetryPolicy::new();
        let decide = |err: &TransportError| {
            policy.decide(&Attempt {
                number: 1,
                elapsed: std::time::Duration::ZERO,
                idempotent: false,
                outcome: Outcome::Transport(err),
                jitter: 0.0,
                now: std::time::SystemTime::UNIX_EPOCH,
            })
        };
        for io_kind in [
            io::ErrorKind::NetworkUnreachable,
            io::ErrorKind::HostUnreachable,
            io::ErrorKind::ConnectionReset,
            io::ErrorKind::BrokenPipe,
        ] {
            let err = map_error(ureq::Error::Io(io::Error::from(io_kind)));
            assert_eq!(decide(&err), Decision::Stop, "{io_kind:?}");
        }
        let refused = map_error(ureq::Error::Io(io::Error::from(
            io::ErrorKind::ConnectionRefused,
        )));
        assert!(matches!(decide(&refused), Decision::Retry(_)));
    }
}
