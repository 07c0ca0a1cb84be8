//! Building the exact request that is signed and sent.
//!
//! Rule 4 of the design: build the final percent-encoded request target first, sign it,
//! then send it without further normalisation. [`ApiRequest::to_http`] does all three steps
//! in one place, so the target the signature covers is, byte for byte, the target of the
//! `http::Request` handed to the transport.

use http::Method;
use http::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE, HeaderName, HeaderValue};

use crate::encoding::is_loopback;
use crate::error::{Error, InvalidInputError};

pub use crate::encoding::encode_component;

/// Encodes a caller-supplied identifier as exactly one path segment.
///
/// Empty identifiers and the dot segments `.` and `..` are refused: no encoding of a dot
/// segment survives every HTTP client (WHATWG URL parsers treat `%2E%2E` as `..`), so they
/// could change which endpoint is called. Everything else is percent-encoded, so `/`, `?`,
/// `#`, `%` and spaces can never leave the segment.
///
/// # Errors
///
/// [`InvalidInputError`] for an empty value, `.` or `..`.
pub fn path_segment(field: &'static str, value: &str) -> Result<String, InvalidInputError> {
    if value.is_empty() {
        return Err(InvalidInputError::new(field, "must not be empty"));
    }
    if value == "." || value == ".." {
        return Err(InvalidInputError::new(field, "must not be `.` or `..`"));
    }
    Ok(encode_component(value))
}

/// The API's base URL, e.g. `https://api.yoti.com/idverify/v1`.
///
/// `https` is required, except for loopback hosts (`localhost`, `127.0.0.0/8`, `[::1]`) where
/// plain `http` is accepted for emulators and tests; [`BaseUrl::parse_allow_http`] lifts the
/// rule explicitly.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BaseUrl {
    /// Without a trailing slash.
    url: String,
}

impl BaseUrl {
    /// Yoti's production IDV API.
    pub const PRODUCTION: &'static str = "https://api.yoti.com/idverify/v1";
    /// Yoti's sandbox IDV API.
    pub const SANDBOX: &'static str = "https://api.yoti.com/sandbox/idverify/v1";

    /// Parses a base URL: `http(s)://host[:port][/path]`, no query, no fragment, `https` unless
    /// the host is loopback.
    ///
    /// ```
    /// use idv_core::request::BaseUrl;
    /// assert!(BaseUrl::parse("https://api.yoti.com/idverify/v1").is_ok());
    /// assert!(BaseUrl::parse("http://127.0.0.1:8080/idverify/v1").is_ok());
    /// assert!(BaseUrl::parse("http://api.example.com/idverify/v1").is_err());
    /// ```
    ///
    /// # Errors
    ///
    /// [`InvalidInputError`] for a URL that is not absolute, has no host, a query, a fragment
    /// or credentials, or is not `https` (plain `http` only on loopback hosts).
    pub fn parse(url: &str) -> Result<Self, InvalidInputError> {
        Self::parse_inner(url, false)
    }

    /// Like [`BaseUrl::parse`], but accepts plain `http` for any host. Only for test rigs on
    /// networks you control: requests are signed, not encrypted.
    ///
    /// # Errors
    ///
    /// As [`BaseUrl::parse`], except for the `https` rule.
    pub fn parse_allow_http(url: &str) -> Result<Self, InvalidInputError> {
        Self::parse_inner(url, true)
    }

    fn parse_inner(url: &str, allow_http: bool) -> Result<Self, InvalidInputError> {
        const FIELD: &str = "base_url";
        let trimmed = url.trim();
        let uri: http::Uri = trimmed
            .parse()
            .map_err(|_| InvalidInputError::new(FIELD, "is not a valid absolute URL"))?;
        let scheme = uri
            .scheme_str()
            .ok_or_else(|| InvalidInputError::new(FIELD, "must start with https://"))?;
        let host = uri
            .host()
            .ok_or_else(|| InvalidInputError::new(FIELD, "has no host"))?;
        match scheme {
            "https" => {}
            "http" if allow_http || is_loopback(host) => {}
            "http" => {
                return Err(InvalidInputError::new(
                    FIELD,
                    "must use https (plain http is accepted only for loopback hosts)",
                ));
            }
            _ => return Err(InvalidInputError::new(FIELD, "must use https")),
        }
        if trimmed.contains('?') || trimmed.contains('#') {
            return Err(InvalidInputError::new(
                FIELD,
                "must not have a query or a fragment",
            ));
        }
        if uri.authority().is_some_and(|a| a.as_str().contains('@')) {
            return Err(InvalidInputError::new(
                FIELD,
                "must not contain credentials",
            ));
        }
        Ok(Self {
            url: trimmed.trim_end_matches('/').to_owned(),
        })
    }

    /// The URL, without a trailing slash.
    pub fn as_str(&self) -> &str {
        &self.url
    }

    /// The matching sandbox base URL: this one if its path already starts with `/sandbox`,
    /// otherwise the same with `/sandbox` put before the path
    /// (`https://api.yoti.com/idverify/v1` gives `https://api.yoti.com/sandbox/idverify/v1`).
    ///
    /// ```
    /// use idv_core::request::BaseUrl;
    /// let base = BaseUrl::parse("http://127.0.0.1:9000/idverify/v1").unwrap();
    /// assert_eq!(base.to_sandbox().as_str(), "http://127.0.0.1:9000/sandbox/idverify/v1");
    /// assert_eq!(base.to_sandbox().to_sandbox(), base.to_sandbox());
    /// ```
    pub fn to_sandbox(&self) -> BaseUrl {
        let after_scheme = self.url.find("://").map_or(0, |i| i + 3);
        let path_start = self.url[after_scheme..]
            .find('/')
            .map_or(self.url.len(), |i| after_scheme + i);
        let path = &self.url[path_start..];
        if path == "/sandbox" || path.starts_with("/sandbox/") {
            return self.clone();
        }
        BaseUrl {
            url: format!("{}/sandbox{}", &self.url[..path_start], path),
        }
    }
}

impl Default for BaseUrl {
    fn default() -> Self {
        Self {
            url: Self::PRODUCTION.to_owned(),
        }
    }
}

impl std::fmt::Display for BaseUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.url)
    }
}

/// The `X-Yoti-SDK` header value.
pub const SDK_NAME: &str = "Rust";
/// The `X-Yoti-SDK-Version` header value: `Rust-<version>`.
pub const SDK_VERSION: &str = concat!("Rust-", env!("CARGO_PKG_VERSION"));

static X_YOTI_AUTH_DIGEST: HeaderName = HeaderName::from_static("x-yoti-auth-digest");
static X_YOTI_SDK: HeaderName = HeaderName::from_static("x-yoti-sdk");
static X_YOTI_SDK_VERSION: HeaderName = HeaderName::from_static("x-yoti-sdk-version");

/// How a request authenticates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Auth {
    /// Signed, with `sdkId`, `nonce` and `timestamp` in the query (every IDV call).
    Signed,
    /// Signed, with `nonce` and `timestamp` but no `sdkId` (supported documents).
    SignedWithoutSdkId,
}

/// A request body and its content type.
#[derive(Clone, PartialEq, Eq)]
pub struct Body {
    bytes: Vec<u8>,
    content_type: HeaderValue,
}

impl Body {
    /// A JSON body.
    pub fn json(bytes: Vec<u8>) -> Self {
        Self {
            bytes,
            content_type: HeaderValue::from_static("application/json"),
        }
    }

    /// A body of any content type.
    pub fn new(bytes: Vec<u8>, content_type: HeaderValue) -> Self {
        Self {
            bytes,
            content_type,
        }
    }

    /// The bytes.
    pub fn bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// The content type.
    pub fn content_type(&self) -> &HeaderValue {
        &self.content_type
    }
}

impl std::fmt::Debug for Body {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Body")
            .field("content_type", &self.content_type)
            .field("len", &self.bytes.len())
            .finish()
    }
}

/// An API call before authentication: method, encoded path, extra query, body.
#[derive(Debug, Clone)]
pub struct ApiRequest {
    method: Method,
    path: String,
    query: Vec<(&'static str, String)>,
    body: Option<Body>,
    auth: Auth,
}

impl ApiRequest {
    /// A request of `method` to `path` (already encoded, relative to the base URL, starting
    /// with `/`). Build `path` with [`path_segment`] for every caller-supplied id.
    pub fn new(method: Method, path: String) -> Self {
        Self {
            method,
            path,
            query: Vec::new(),
            body: None,
            auth: Auth::Signed,
        }
    }

    /// Adds a query parameter, sent before the authentication parameters. The name and the
    /// value are both percent-encoded when the request is built (as [`encode_component`]
    /// does), so a name holding `&`, `=`, `#` or a space stays one parameter, and what is
    /// signed is what is sent.
    pub fn with_query(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.query.push((name, value.into()));
        self
    }

    /// Sets the body.
    pub fn with_body(mut self, body: Body) -> Self {
        self.body = Some(body);
        self
    }

    /// Sets how the request authenticates.
    pub fn with_auth(mut self, auth: Auth) -> Self {
        self.auth = auth;
        self
    }

    /// The method.
    pub fn method(&self) -> &Method {
        &self.method
    }

    /// The encoded path, relative to the base URL.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The body, if any.
    pub fn body(&self) -> Option<&Body> {
        self.body.as_ref()
    }

    /// Builds the signed `http::Request`: a fresh nonce and timestamp from `signer`, the query
    /// `[extra params] sdkId nonce timestamp`, the digest over exactly that target, and the
    /// headers `X-Yoti-Auth-Digest`, `X-Yoti-SDK`, `X-Yoti-SDK-Version`, `Accept`, and
    /// `Content-Type` when there is a body. Call it once per attempt.
    ///
    /// # Errors
    ///
    /// [`Error::Sign`] if the signature cannot be computed; [`Error::InvalidInput`] if the
    /// target is not a valid URI.
    pub fn to_http(
        &self,
        base: &crate::request::BaseUrl,
        signer: &idv_auth::RequestSigner,
    ) -> Result<http::Request<Vec<u8>>, Error> {
        let nonce = signer.nonce();
        let timestamp = signer.timestamp_millis();

        // path?query, built once, signed and sent as is.
        let mut target = String::with_capacity(self.path.len() + 160);
        target.push_str(&self.path);
        let mut sep = '?';
        let mut push = |target: &mut String, name: &str, value: &str| {
            target.push(sep);
            target.push_str(&encode_component(name));
            target.push('=');
            target.push_str(&encode_component(value));
            sep = '&';
        };
        for (name, value) in &self.query {
            push(&mut target, name, value);
        }
        if self.auth == Auth::Signed {
            push(&mut target, "sdkId", signer.sdk_id());
        }
        push(&mut target, "nonce", &nonce);
        push(&mut target, "timestamp", &timestamp.to_string());

        let body = self.body.as_ref().map(|b| b.bytes.as_slice());
        let digest = signer
            .digest(self.method.as_str(), &target, body)
            .map_err(Error::Sign)?;

        let digest = HeaderValue::from_str(&digest).map_err(|_| {
            Error::InvalidInput(InvalidInputError::new(
                "digest",
                "is not a valid header value",
            ))
        })?;
        self.build(base, &target, &X_YOTI_AUTH_DIGEST, digest)
    }

    /// Builds the `http::Request` of a bearer-authenticated call: the endpoint's own query
    /// only (no `sdkId`, `nonce` or `timestamp`, and no `?` when there is none), nothing
    /// signed, and `Authorization: Bearer <token>` (a sensitive header value) in place of
    /// `X-Yoti-Auth-Digest`; the other headers are those of [`to_http`](Self::to_http).
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] if the target is not a valid URI.
    pub fn to_http_bearer(
        &self,
        base: &crate::request::BaseUrl,
        token: &crate::bearer::BearerToken,
    ) -> Result<http::Request<Vec<u8>>, Error> {
        let mut target = String::with_capacity(self.path.len() + 64);
        target.push_str(&self.path);
        let mut sep = '?';
        for (name, value) in &self.query {
            target.push(sep);
            target.push_str(&encode_component(name));
            target.push('=');
            target.push_str(&encode_component(value));
            sep = '&';
        }
        self.build(base, &target, &AUTHORIZATION, token.authorization())
    }

    fn build(
        &self,
        base: &crate::request::BaseUrl,
        target: &str,
        auth_name: &HeaderName,
        auth_value: HeaderValue,
    ) -> Result<http::Request<Vec<u8>>, Error> {
        let mut url = String::with_capacity(base.as_str().len() + target.len());
        url.push_str(base.as_str());
        url.push_str(target);
        let mut builder = http::Request::builder()
            .method(self.method.clone())
            .uri(url)
            .header(auth_name, auth_value)
            .header(&X_YOTI_SDK, HeaderValue::from_static(SDK_NAME))
            .header(&X_YOTI_SDK_VERSION, HeaderValue::from_static(SDK_VERSION))
            .header(ACCEPT, HeaderValue::from_static("application/json"));
        let bytes = match &self.body {
            Some(b) => {
                builder = builder.header(CONTENT_TYPE, b.content_type.clone());
                b.bytes.clone()
            }
            None => Vec::new(),
        };
        builder.body(bytes).map_err(|_| {
            Error::InvalidInput(InvalidInputError::new(
                "request",
                "could not be built (invalid URI or header)",
            ))
        })
    }
}
