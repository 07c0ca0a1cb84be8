//! The one error type of the SDK.
//!
//! [`Error`] says *what kind* of thing went wrong, so callers can match on it, and carries
//! the details in opaque context types with accessors. `Display` never repeats the
//! `source()`: walk the chain (or use [`ErrorReport`]) to print everything. No error message
//! contains a private key, a client session token, a request body or a response body.

use std::error::Error as StdError;
use std::fmt;

use crate::transport::{TransportError, TransportErrorKind};

/// Everything that can go wrong calling the IDV API.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// The request could not be built from the caller's input (for example an empty id or a
    /// base URL that is not https). Nothing was sent.
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
    /// The HTTP status, if the server answered.
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Api(e) => Some(e.status()),
            Error::Decode(e) => Some(e.status()),
            _ => None,
        }
    }

    /// The API error, if the server answered with a non-success status.
    pub fn as_api(&self) -> Option<&ApiError> {
        match self {
            Error::Api(e) => Some(e),
            _ => None,
        }
    }

    /// The API's error code (for example `SESSION_NOT_FOUND`), if it sent one.
    pub fn code(&self) -> Option<&str> {
        self.as_api().and_then(ApiError::code)
    }

    /// Whether a time limit ran out.
    pub fn is_timeout(&self) -> bool {
        matches!(self, Error::Transport(e) if e.is_timeout())
    }

    /// Whether the connection could not be established.
    pub fn is_connect(&self) -> bool {
        matches!(self, Error::Transport(e) if e.is_connect())
    }

    /// Whether the server answered 404.
    pub fn is_not_found(&self) -> bool {
        self.status() == Some(404)
    }

    /// Whether the server answered 401 (check the SDK id and the key pair).
    pub fn is_unauthorized(&self) -> bool {
        self.status() == Some(401)
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
            Error::Api(e) => matches!(e.status(), 429 | 502 | 503 | 504),
            _ => false,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::InvalidInput(_) => f.write_str("invalid input"),
            Error::Sign(_) => f.write_str("failed to sign the request"),
            Error::Transport(_) => f.write_str("transport error"),
            Error::Api(e) => write!(f, "the IDV API answered {}", e.status()),
            Error::Decode(e) => write!(f, "could not decode the IDV API's {} response", e.status()),
        }
    }
}

impl StdError for Error {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        match self {
            Error::InvalidInput(e) => Some(e),
            Error::Sign(e) => Some(e),
            Error::Transport(e) => Some(e),
            Error::Api(e) => Some(e),
            Error::Decode(e) => Some(e),
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

/// Signing failed.
#[derive(Debug)]
pub struct SignError {
    source: idv_auth::SignError,
}

impl SignError {
    pub(crate) fn new(source: idv_auth::SignError) -> Self {
        Self { source }
    }
}

impl fmt::Display for SignError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("RSA signing failed")
    }
}

impl StdError for SignError {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        Some(&self.source)
    }
}

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
    status: u16,
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
                status: parts.status.as_u16(),
                code: decoded.code.or(decoded.error),
                message: decoded.message,
                errors: decoded.errors.unwrap_or_default(),
                headers: parts.headers,
                body,
            }),
        }
    }

    /// The HTTP status.
    pub fn status(&self) -> u16 {
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
        write!(f, "HTTP {}", self.inner.status)?;
        match (&self.inner.code, &self.inner.message) {
            (Some(c), Some(m)) => write!(f, " {c} - {m}")?,
            (Some(c), None) => write!(f, " {c}")?,
            (None, Some(m)) => write!(f, " {m}")?,
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
    status: u16,
    path: String,
    message: String,
    snippet: String,
}

impl DecodeError {
    /// The longest body snippet kept.
    pub const SNIPPET_LEN: usize = 256;

    pub(crate) fn new(status: u16, path: String, message: &str, body: &[u8]) -> Self {
        let end = body.len().min(Self::SNIPPET_LEN);
        Self {
            status,
            path,
            message: redact_quoted(message),
            snippet: String::from_utf8_lossy(&body[..end]).into_owned(),
        }
    }

    /// The HTTP status of the response.
    pub fn status(&self) -> u16 {
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
