//! The one error type of the SDK.
//!
//! [`Error`] says *what kind* of thing went wrong, so callers can match on it, and carries
//! the details in opaque context types with accessors. `Display` says what happened with its
//! details (status, API code and message, the key's problem, the transport's kind), so
//! `main() -> Result<(), Box<dyn Error>>` prints a useful line; when it includes an inner
//! error's text, `source()` skips to that inner error's own source, so walking the chain
//! (or [`ErrorReport`]) never prints a message twice. No error message contains a private
//! key, a client session token, a request body or a response body.

use std::borrow::Cow;
use std::error::Error as StdError;
use std::fmt;
use std::sync::Arc;

use http::StatusCode;

pub use idv_auth::SignError;

use crate::transport::{TransportError, TransportErrorKind};

/// Everything that can go wrong calling the IDV API.
///
/// ```
/// # use idv_core::{Error, InvalidInputError};
/// let err = Error::from(InvalidInputError::new("session_id", "must not be empty"));
/// match &err {
///     Error::Config(e) => eprintln!("fix the configuration: {e}"),
///     Error::Api(e) if e.status() == http::StatusCode::NOT_FOUND => eprintln!("no such session"),
///     other => eprintln!("{other}"),
/// }
/// assert_eq!(err.to_string(), "invalid input: session_id must not be empty");
/// ```
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// The client is misconfigured: found when it is built (missing SDK id or key, a bad key
    /// or base URL, a missing TLS or signing backend), or told by the service (an unknown
    /// SDK id, a base URL that is not the IDV API). See [`ConfigError::kind`].
    Config(ConfigError),
    /// The request could not be built from the caller's input (for example an empty id).
    /// Nothing was sent.
    InvalidInput(InvalidInputError),
    /// The request could not be signed. Nothing was sent.
    Sign(SignError),
    /// The HTTP exchange failed: the request may or may not have reached the server.
    Transport(TransportError),
    /// The server answered with a non-success status.
    Api(ApiError),
    /// The server answered with a success status but a body that could not be decoded.
    Decode(DecodeError),
}

impl Error {
    /// The error for a non-success response: [`Error::Config`] when the answer says the
    /// client is misconfigured (see [`ConfigErrorKind::UnknownSdkId`] and
    /// [`ConfigErrorKind::NoSuchEndpoint`]), else [`Error::Api`].
    pub fn from_response(response: http::Response<Vec<u8>>) -> Self {
        let api = ApiError::from_response(response);
        match ConfigError::from_api(api) {
            Ok(config) => Error::Config(config),
            Err(api) => Error::Api(api),
        }
    }

    /// The HTTP status, if the server answered.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::Api(e) => Some(e.status()),
            Error::Decode(e) => Some(e.status()),
            Error::Config(e) => e.api().map(ApiError::status),
            _ => None,
        }
    }

    /// The API error, if the server answered with a non-success status (also when that
    /// answer was classified as a [`ConfigError`]).
    pub fn as_api(&self) -> Option<&ApiError> {
        match self {
            Error::Api(e) => Some(e),
            Error::Config(e) => e.api(),
            _ => None,
        }
    }

    /// The configuration error, if the client is misconfigured.
    pub fn as_config(&self) -> Option<&ConfigError> {
        match self {
            Error::Config(e) => Some(e),
            _ => None,
        }
    }

    /// The API's error code (for example `SESSION_NOT_FOUND`), if it sent one.
    pub fn code(&self) -> Option<&str> {
        self.as_api().and_then(ApiError::code)
    }

    /// Whether the client is misconfigured (see [`Error::Config`]).
    pub fn is_config(&self) -> bool {
        matches!(self, Error::Config(_))
    }

    /// Whether a time limit ran out.
    pub fn is_timeout(&self) -> bool {
        matches!(self, Error::Transport(e) if e.is_timeout())
    }

    /// Whether the connection could not be established.
    pub fn is_connect(&self) -> bool {
        matches!(self, Error::Transport(e) if e.is_connect())
    }

    /// Whether the server answered 404 for a session, resource or media that does not
    /// exist. An unknown SDK id or a base URL that is not the IDV API is an
    /// [`Error::Config`] instead, and not reported here.
    pub fn is_not_found(&self) -> bool {
        matches!(self, Error::Api(e) if e.status() == StatusCode::NOT_FOUND)
    }

    /// Whether the server answered 401 (check the SDK id and the key pair).
    pub fn is_unauthorized(&self) -> bool {
        self.status() == Some(StatusCode::UNAUTHORIZED)
    }

    /// Whether the same call may succeed if tried again later: connect errors, timeouts,
    /// 429, 502, 503, 504. Whether it is *safe* to repeat depends on the operation too; the
    /// clients' retry policy takes both into account.
    pub fn is_retryable(&self) -> bool {
        match self {
            Error::Transport(e) => matches!(
                e.kind(),
                TransportErrorKind::Connect
                    | TransportErrorKind::Timeout
                    | TransportErrorKind::Other
            ),
            Error::Api(e) => matches!(
                e.status(),
                StatusCode::TOO_MANY_REQUESTS
                    | StatusCode::BAD_GATEWAY
                    | StatusCode::SERVICE_UNAVAILABLE
                    | StatusCode::GATEWAY_TIMEOUT
            ),
            _ => false,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Config(e) => write!(f, "misconfigured client: {e}"),
            Error::InvalidInput(e) => write!(f, "invalid input: {e}"),
            Error::Sign(e) => write!(f, "{e}"),
            Error::Transport(e) => write!(f, "transport error: {e}"),
            Error::Api(e) => write!(f, "the IDV API answered {e}"),
            Error::Decode(e) => write!(
                f,
                "could not decode the IDV API's {} response {e}",
                e.status()
            ),
        }
    }
}

impl StdError for Error {
    /// The inner error's own source: `Display` already includes the inner error's text.
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        match self {
            Error::Config(e) => e.source(),
            Error::InvalidInput(e) => e.source(),
            Error::Sign(e) => e.source(),
            Error::Transport(e) => e.source(),
            Error::Api(e) => e.source(),
            Error::Decode(e) => e.source(),
        }
    }
}

impl From<TransportError> for Error {
    fn from(e: TransportError) -> Self {
        Error::Transport(e)
    }
}

impl From<InvalidInputError> for Error {
    fn from(e: InvalidInputError) -> Self {
        Error::InvalidInput(e)
    }
}

impl From<ConfigError> for Error {
    fn from(e: ConfigError) -> Self {
        Error::Config(e)
    }
}

impl From<SignError> for Error {
    fn from(e: SignError) -> Self {
        Error::Sign(e)
    }
}

/// What is wrong with a client's configuration.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ConfigErrorKind {
    /// No SDK id was given.
    MissingSdkId,
    /// The SDK id is empty or contains whitespace or control characters.
    InvalidSdkId,
    /// No private key was given.
    MissingKey,
    /// The private key could not be loaded; its [`idv_auth::KeyError`] says why.
    InvalidKey,
    /// No signing backend is compiled in: enable `idv`'s `aws-lc-rs` or `rust-crypto`
    /// feature.
    NoSigningBackend,
    /// The base URL (or the sandbox base URL) is not a valid IDV API URL.
    InvalidBaseUrl,
    /// The base URL is `https` but no TLS backend is compiled in: enable `idv`'s `rustls`
    /// or `native-tls` feature.
    NoTlsBackend,
    /// The environment variables contradict each other (for example a URL without
    /// credentials) or hold an unusable value.
    Environment,
    /// The service does not know the SDK id (404 with the code `APPLICATION_NOT_FOUND` or
    /// `APP_NOT_FOUND`): a typo, or an id of the other environment (sandbox or production).
    UnknownSdkId,
    /// The base URL does not lead to the IDV API: the service answered 404 without the
    /// API's error body, or with the generic code `NOT_FOUND` (no such endpoint). Most
    /// often the base URL misses `/idverify/v1`.
    NoSuchEndpoint,
    /// The bearer-token settings are unusable: an empty or malformed token, a token URL that
    /// is not an `http(s)` URL, or a token provider of the other client flavour (a blocking
    /// provider for the async client, or the reverse).
    InvalidAuth,
}

#[derive(Debug)]
enum ConfigSource {
    Key(Arc<idv_auth::KeyError>),
    Input(InvalidInputError),
    Api(ApiError),
}

/// The client is misconfigured. [`ConfigError::kind`] says how; `Display` says what to fix
/// (never with a secret).
#[derive(Debug)]
pub struct ConfigError {
    kind: ConfigErrorKind,
    message: Cow<'static, str>,
    source: Option<Box<ConfigSource>>,
}

impl ConfigError {
    /// An error of `kind`; `message` says what is wrong and how to fix it, and must not
    /// contain a secret.
    pub fn new(kind: ConfigErrorKind, message: impl Into<Cow<'static, str>>) -> Self {
        Self {
            kind,
            message: message.into(),
            source: None,
        }
    }

    /// A key that could not be loaded ([`ConfigErrorKind::InvalidKey`], or
    /// [`ConfigErrorKind::NoSigningBackend`] for [`idv_auth::KeyError::NoBackend`]).
    pub fn key(error: impl Into<Arc<idv_auth::KeyError>>) -> Self {
        let error = error.into();
        if matches!(*error, idv_auth::KeyError::NoBackend) {
            return Self::new(
                ConfigErrorKind::NoSigningBackend,
                "no signing backend is compiled in: enable the `aws-lc-rs` or the \
                 `rust-crypto` feature of the `idv` crate",
            );
        }
        Self {
            kind: ConfigErrorKind::InvalidKey,
            message: Cow::Borrowed("the private key could not be loaded"),
            source: Some(Box::new(ConfigSource::Key(error))),
        }
    }

    /// Attaches the invalid input that caused this error (its text joins the message).
    pub fn with_input_error(mut self, error: InvalidInputError) -> Self {
        self.source = Some(Box::new(ConfigSource::Input(error)));
        self
    }

    /// Classifies a non-success answer: `Ok` when it says the client is misconfigured
    /// ([`ConfigErrorKind::UnknownSdkId`], [`ConfigErrorKind::NoSuchEndpoint`]), else the
    /// API error back.
    ///
    /// # Errors
    ///
    /// Returns the [`ApiError`] unchanged when it is not a configuration problem.
    pub fn from_api(api: ApiError) -> Result<Self, ApiError> {
        if api.status() != StatusCode::NOT_FOUND {
            return Err(api);
        }
        let (kind, message) = match api.code() {
            Some("APPLICATION_NOT_FOUND" | "APP_NOT_FOUND") => (
                ConfigErrorKind::UnknownSdkId,
                "the IDV API does not know this SDK id; check the client SDK id \
                 (YOTI_CLIENT_SDK_ID), and that it belongs to the environment of the base URL \
                 (sandbox or production)",
            ),
            Some("NOT_FOUND") => (ConfigErrorKind::NoSuchEndpoint, NO_SUCH_ENDPOINT),
            None if api.message().is_none() => (ConfigErrorKind::NoSuchEndpoint, NO_SUCH_ENDPOINT),
            _ => return Err(api),
        };
        Ok(Self {
            kind,
            message: Cow::Borrowed(message),
            source: Some(Box::new(ConfigSource::Api(api))),
        })
    }

    /// What is wrong.
    pub fn kind(&self) -> ConfigErrorKind {
        self.kind
    }

    /// What is wrong and how to fix it, without the details of the inner error.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The key error, for [`ConfigErrorKind::InvalidKey`].
    pub fn key_error(&self) -> Option<&idv_auth::KeyError> {
        match self.source.as_deref() {
            Some(ConfigSource::Key(e)) => Some(e),
            _ => None,
        }
    }

    /// The service's answer, for [`ConfigErrorKind::UnknownSdkId`] and
    /// [`ConfigErrorKind::NoSuchEndpoint`].
    pub fn api(&self) -> Option<&ApiError> {
        match self.source.as_deref() {
            Some(ConfigSource::Api(e)) => Some(e),
            _ => None,
        }
    }
}

const NO_SUCH_ENDPOINT: &str = "the base URL does not lead to the IDV API (no such endpoint); \
     it should end with /idverify/v1, e.g. https://api.yoti.com/idverify/v1";

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)?;
        match self.source.as_deref() {
            None => Ok(()),
            Some(ConfigSource::Key(e)) => write!(f, ": {e}"),
            Some(ConfigSource::Input(e)) => write!(f, ": {e}"),
            Some(ConfigSource::Api(e)) => write!(f, " (the IDV API answered {e})"),
        }
    }
}

impl StdError for ConfigError {
    /// The inner error's own source: `Display` already includes the inner error's text.
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        match self.source.as_deref()? {
            ConfigSource::Key(e) => e.source(),
            ConfigSource::Input(e) => e.source(),
            ConfigSource::Api(e) => e.source(),
        }
    }
}

/// Prints an error and its whole `source()` chain on one line: `a: b: c`.
///
/// ```
/// # use idv_core::{Error, ErrorReport, InvalidInputError};
/// let err = Error::from(InvalidInputError::new("session_id", "must not be empty"));
/// assert_eq!(ErrorReport(&err).to_string(), "invalid input: session_id must not be empty");
/// ```
pub struct ErrorReport<'a>(pub &'a (dyn StdError + 'static));

impl fmt::Display for ErrorReport<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)?;
        let mut next = self.0.source();
        while let Some(e) = next {
            write!(f, ": {e}")?;
            next = e.source();
        }
        Ok(())
    }
}

/// The caller's input cannot make a valid request.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct InvalidInputError {
    field: &'static str,
    reason: String,
}

impl InvalidInputError {
    /// `field` is the name of the offending input, `reason` what is wrong with it. Neither
    /// may contain the offending value if it could be secret.
    pub fn new(field: &'static str, reason: impl Into<String>) -> Self {
        Self {
            field,
            reason: reason.into(),
        }
    }

    /// The name of the offending input.
    pub fn field(&self) -> &str {
        self.field
    }

    /// What is wrong with it.
    pub fn reason(&self) -> &str {
        &self.reason
    }
}

impl fmt::Display for InvalidInputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.field, self.reason)
    }
}

impl StdError for InvalidInputError {}

/// One property the server rejected, from the `errors` list of an API error body.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
#[non_exhaustive]
pub struct PropertyError {
    /// The property, e.g. `requested_checks[0].type`.
    #[serde(default)]
    pub property: Option<String>,
    /// What is wrong with it.
    #[serde(default)]
    pub message: Option<String>,
}

#[derive(Debug, Default, serde::Deserialize)]
struct ErrorBody {
    #[serde(default)]
    code: Option<String>,
    #[serde(default)]
    message: Option<String>,
    #[serde(default)]
    error: Option<String>,
    #[serde(default)]
    errors: Option<Vec<PropertyError>>,
}

/// The server answered with a non-success status.
///
/// The body, when it has the API's error shape `{code, message, errors[{property,
/// message}]}`, is decoded; the raw bytes stay available through [`ApiError::body`].
pub struct ApiError {
    inner: Box<ApiErrorInner>,
}

struct ApiErrorInner {
    status: StatusCode,
    code: Option<String>,
    message: Option<String>,
    errors: Vec<PropertyError>,
    headers: http::HeaderMap,
    body: Vec<u8>,
}

impl ApiError {
    /// Builds the error from a non-success response.
    pub fn from_response(response: http::Response<Vec<u8>>) -> Self {
        let (parts, body) = response.into_parts();
        let decoded: ErrorBody = serde_json::from_slice(&body).unwrap_or_default();
        Self {
            inner: Box::new(ApiErrorInner {
                status: parts.status,
                code: decoded.code.or(decoded.error),
                message: decoded.message,
                errors: decoded.errors.unwrap_or_default(),
                headers: parts.headers,
                body,
            }),
        }
    }

    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        self.inner.status
    }

    /// The API's error code, e.g. `SESSION_NOT_FOUND`.
    pub fn code(&self) -> Option<&str> {
        self.inner.code.as_deref()
    }

    /// The API's error message.
    pub fn message(&self) -> Option<&str> {
        self.inner.message.as_deref()
    }

    /// The properties the server rejected.
    pub fn property_errors(&self) -> &[PropertyError] {
        &self.inner.errors
    }

    /// The response headers.
    pub fn headers(&self) -> &http::HeaderMap {
        &self.inner.headers
    }

    /// The request id, when the server sends one (`X-Request-Id`, `X-Yoti-Request-Id`).
    pub fn request_id(&self) -> Option<&str> {
        ["x-request-id", "x-yoti-request-id", "x-amzn-requestid"]
            .iter()
            .find_map(|h| self.inner.headers.get(*h)?.to_str().ok())
    }

    /// The raw response body.
    pub fn body(&self) -> &[u8] {
        &self.inner.body
    }

    /// The `Retry-After` header, if any.
    pub fn retry_after(&self) -> Option<&str> {
        self.inner
            .headers
            .get(http::header::RETRY_AFTER)?
            .to_str()
            .ok()
    }
}

impl fmt::Debug for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ApiError")
            .field("status", &self.inner.status)
            .field("code", &self.inner.code)
            .field("message", &self.inner.message)
            .field("errors", &self.inner.errors)
            .field("request_id", &self.request_id())
            .field("body_len", &self.inner.body.len())
            .finish()
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.inner.status)?;
        match (&self.inner.code, &self.inner.message) {
            (Some(c), Some(m)) => write!(f, ": {c} - {m}")?,
            (Some(c), None) => write!(f, ": {c}")?,
            (None, Some(m)) => write!(f, ": {m}")?,
            (None, None) => {}
        }
        let mut first = true;
        for e in &self.inner.errors {
            if let (Some(p), Some(m)) = (&e.property, &e.message) {
                f.write_str(if first { ": " } else { ", " })?;
                write!(f, "{p} \"{m}\"")?;
                first = false;
            }
        }
        Ok(())
    }
}

impl StdError for ApiError {}

/// A success response whose body could not be decoded.
pub struct DecodeError {
    status: StatusCode,
    path: String,
    message: String,
    snippet: String,
}

impl DecodeError {
    /// The longest body snippet kept.
    pub const SNIPPET_LEN: usize = 256;

    pub(crate) fn new(status: StatusCode, path: String, message: &str, body: &[u8]) -> Self {
        let end = body.len().min(Self::SNIPPET_LEN);
        Self {
            status,
            path,
            message: redact_quoted(message),
            snippet: String::from_utf8_lossy(&body[..end]).into_owned(),
        }
    }

    /// The HTTP status of the response.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The JSON path where decoding failed, e.g. `checks[0].type` (`.` for the root).
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The decoder's message, e.g. `invalid type: integer, expected a string`.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The first bytes of the body (at most [`DecodeError::SNIPPET_LEN`]), for diagnosis. It
    /// may hold personal data: it is not part of `Display` or `Debug`.
    pub fn snippet(&self) -> &str {
        &self.snippet
    }
}

impl fmt::Debug for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DecodeError")
            .field("status", &self.status)
            .field("path", &self.path)
            .field("message", &self.message)
            .field("snippet_len", &self.snippet.len())
            .finish()
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "at `{}`: {}", self.path, self.message)
    }
}

impl StdError for DecodeError {}

/// Replaces every quoted value in a decoder message (`"..."` or `` `...` ``) by `"…"`: serde
/// quotes the offending value, which may be personal data.
fn redact_quoted(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    let mut chars = message.chars();
    while let Some(c) = chars.next() {
        if c == '"' || c == '`' {
            out.push(c);
            out.push('…');
            for d in chars.by_ref() {
                if d == c {
                    break;
                }
            }
            out.push(c);
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decoder_messages_lose_quoted_values() {
        assert_eq!(
            redact_quoted("invalid type: string \"Jane Doe\", expected u64 at line 1 column 9"),
            "invalid type: string \"…\", expected u64 at line 1 column 9"
        );
        assert_eq!(
            redact_quoted("unknown variant `X`, expected `A`"),
            "unknown variant `…`, expected `…`"
        );
    }
}
