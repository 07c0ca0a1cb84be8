//! Bearer-token authentication ("Central Auth"): the pure parts.
//!
//! Instead of signing every request, an application may exchange a client assertion (a JWT
//! signed with its key, [`idv_auth::ClientAssertion`]) for an access token at Yoti's token
//! endpoint (OAuth 2.0 client credentials, RFC 6749 §4.4 with RFC 7523 client
//! authentication), then send `Authorization: Bearer <token>` on IDV calls, which then carry
//! no `sdkId`, `nonce`, `timestamp` or `X-Yoti-Auth-Digest`.
//!
//! This module builds the token request ([`token_request`]) and reads its answer
//! ([`parse_token_response`]) without any I/O, so any driver can run the exchange; the call
//! state machine ([`crate::call`]) asks its driver for a token with
//! [`Step::Authenticate`](crate::call::Step::Authenticate) when its
//! [`CallContext`](crate::call::CallContext) uses bearer tokens.
//!
//! # A 401 with a token
//!
//! A call that gets 401 with a token asks for a fresh token once (the [`TokenNeed`] names the
//! rejected token) and is sent again once. A call that is not idempotent (creating a session)
//! is sent again only when the 401 shows that the request was not processed: the answer
//! carries the RFC 6750 challenge `WWW-Authenticate: Bearer ... error="invalid_token"`, which
//! an authentication layer sends before a request reaches the service (see
//! [`rejected_before_processing`]). Yoti does not document its 401 for a bad token; without
//! that challenge, a non-idempotent call ends with the 401.

use std::fmt;

use http::header::{ACCEPT, CONTENT_TYPE, HeaderMap, HeaderValue, WWW_AUTHENTICATE};
use http::{Method, StatusCode};
use idv_auth::ClientAssertion;
use zeroize::Zeroizing;

use crate::encoding::{encode_component, is_loopback};
use crate::error::{DecodeError, Error, InvalidInputError};
use crate::transport::ResponseLimit;

/// The default token endpoint, [`idv_auth::TOKEN_URL`].
pub const TOKEN_URL: &str = idv_auth::TOKEN_URL;

/// The largest token response read (64 KiB).
pub const MAX_TOKEN_RESPONSE_BYTES: usize = 64 * 1024;

/// The longest token accepted (8 KiB).
pub const MAX_TOKEN_LEN: usize = 8 * 1024;

/// An access token. A secret: `Debug` shows only `<redacted>`, it is zeroized on drop, and
/// [`expose_secret`](Self::expose_secret) is the one way to read it.
#[derive(Clone, PartialEq, Eq)]
pub struct BearerToken {
    token: Zeroizing<String>,
}

impl BearerToken {
    /// A token as received. Surrounding whitespace is trimmed.
    ///
    /// # Errors
    /// [`InvalidInputError`] on the field `token` if it is empty, longer than
    /// [`MAX_TOKEN_LEN`], or holds a character that cannot be sent in an `Authorization`
    /// header (outside visible ASCII). The message never contains the token.
    pub fn new(token: impl Into<String>) -> Result<Self, InvalidInputError> {
        let mut token = Zeroizing::new(token.into());
        let trimmed = token.trim();
        if trimmed.is_empty() {
            return Err(InvalidInputError::new("token", "is empty"));
        }
        if trimmed.len() > MAX_TOKEN_LEN {
            return Err(InvalidInputError::new("token", "is longer than 8 KiB"));
        }
        if !trimmed.bytes().all(|b| b.is_ascii_graphic()) {
            return Err(InvalidInputError::new(
                "token",
                "holds a character that is not visible ASCII",
            ));
        }
        if trimmed.len() != token.len() {
            token = Zeroizing::new(trimmed.to_owned());
        }
        Ok(Self { token })
    }

    /// The token itself, to put in a header. Never log it.
    pub fn expose_secret(&self) -> &str {
        &self.token
    }

    /// The `Authorization` header value `Bearer <token>`, marked sensitive (HTTP/2 never
    /// indexes it; `http`'s `Debug` hides it).
    pub fn authorization(&self) -> HeaderValue {
        let value = Zeroizing::new(format!("Bearer {}", self.expose_secret()));
        // `new` allowed visible ASCII only, which is always a valid header value.
        let mut header =
            HeaderValue::from_str(&value).unwrap_or_else(|_| HeaderValue::from_static("Bearer"));
        header.set_sensitive(true);
        header
    }
}

impl fmt::Debug for BearerToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("BearerToken(<redacted>)")
    }
}

/// The token endpoint's answer.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct AccessToken {
    /// The token (`access_token`).
    pub token: BearerToken,
    /// Its lifetime in seconds (`expires_in`), if the endpoint said.
    pub expires_in: Option<u64>,
    /// The granted scopes (`scope`), if the endpoint said.
    pub scope: Option<String>,
    /// The token type (`token_type`; `Bearer`), if the endpoint said.
    pub token_type: Option<String>,
}

/// What a call needs before its next attempt: a token. Handed out by
/// [`Step::Authenticate`](crate::call::Step::Authenticate).
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct TokenNeed {
    /// The token the service just refused (401), if this is a refresh: a provider that still
    /// holds it must get a new one; one that holds another has refreshed already.
    pub rejected: Option<BearerToken>,
}

/// The token request: `POST token_url` with the form `grant_type=client_credentials`,
/// `client_assertion_type=urn:ietf:params:oauth:client-assertion-type:jwt-bearer`, `scope`
/// (the scopes joined by one space; left out when there are none) and `client_assertion`.
///
/// Yoti documents no scope for IDV (an open question, see the README): with no scopes the
/// parameter is left out, which OAuth 2.0 allows.
///
/// # Errors
/// [`Error::InvalidInput`] on the field `token_url` if the URL is not one
/// [`check_token_url`] accepts.
pub fn token_request(
    token_url: &str,
    assertion: &ClientAssertion,
    scopes: &[String],
) -> Result<http::Request<Vec<u8>>, Error> {
    check_token_url(token_url)?;
    let mut form = Zeroizing::new(String::with_capacity(1024));
    form.push_str("grant_type=client_credentials");
    form.push_str("&client_assertion_type=");
    form.push_str(&encode_component(
        "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
    ));
    if !scopes.is_empty() {
        form.push_str("&scope=");
        form.push_str(&encode_component(&scopes.join(" ")));
    }
    form.push_str("&client_assertion=");
    // A JWS is base64url and dots: nothing to encode.
    form.push_str(&encode_component(assertion.expose_secret()));
    let mut request = http::Request::builder()
        .method(Method::POST)
        .uri(token_url)
        .header(
            CONTENT_TYPE,
            HeaderValue::from_static("application/x-www-form-urlencoded"),
        )
        .header(ACCEPT, HeaderValue::from_static("application/json"))
        .body(form.as_bytes().to_vec())
        .map_err(|_| Error::InvalidInput(InvalidInputError::new("token_url", "is not a URL")))?;
    request
        .extensions_mut()
        .insert(ResponseLimit(MAX_TOKEN_RESPONSE_BYTES));
    Ok(request)
}

/// Checks that `url` can be a token endpoint: an absolute `https` URL with a host, or plain
/// `http` to a loopback host (an emulator or a test rig on this machine), the rule of the
/// API base URL: the client assertion and the token it buys are credentials, and never
/// cross a network in the clear.
///
/// # Errors
/// [`Error::InvalidInput`] on the field `token_url`.
pub fn check_token_url(url: &str) -> Result<(), Error> {
    let bad = |reason| Error::InvalidInput(InvalidInputError::new("token_url", reason));
    let uri: http::Uri = url.parse().map_err(|_| bad("is not a URL"))?;
    let host = uri.host().unwrap_or_default();
    let https = match uri.scheme_str() {
        Some("https") => true,
        Some("http") => false,
        _ => return Err(bad("must be an https URL")),
    };
    if host.is_empty() {
        return Err(bad("has no host"));
    }
    if !https && !is_loopback(host) {
        return Err(bad(
            "must use https (plain http is accepted only for loopback hosts)",
        ));
    }
    Ok(())
}

#[derive(serde::Deserialize)]
struct TokenBody {
    access_token: Option<String>,
    token_type: Option<String>,
    expires_in: Option<u64>,
    scope: Option<String>,
}

/// Reads the token endpoint's answer: a 2xx JSON object with `access_token` (required),
/// `token_type`, `expires_in` and `scope`; unknown fields are ignored.
///
/// # Errors
/// A non-success status is the [`Error`] of [`Error::from_response`] (its body, an OAuth
/// `{"error": ...}`, gives the code); a body that is not such an object, or without a usable
/// `access_token`, is [`Error::Decode`]. No error contains the token.
pub fn parse_token_response(response: http::Response<Vec<u8>>) -> Result<AccessToken, Error> {
    if !response.status().is_success() {
        return Err(Error::from_response(response));
    }
    let status = response.status();
    let body: TokenBody = serde_json::from_slice(response.body())
        .map_err(|e| decode_error(status, &e.to_string()))?;
    let token = body
        .access_token
        .map(Zeroizing::new)
        .ok_or_else(|| decode_error(status, "the token response has no access_token"))?;
    let token = BearerToken::new(token.as_str())
        .map_err(|e| decode_error(status, &format!("access_token {}", e.reason())))?;
    Ok(AccessToken {
        token,
        expires_in: body.expires_in,
        scope: body.scope,
        token_type: body.token_type,
    })
}

/// A decode error of the token response, without its body (it holds the token).
fn decode_error(status: StatusCode, message: &str) -> Error {
    Error::Decode(DecodeError::new(status, ".".to_owned(), message, &[]))
}

/// Whether a 401 answer shows the request was refused before it was processed: it carries an
/// RFC 6750 `WWW-Authenticate: Bearer` challenge with `error="invalid_token"` (the token is
/// expired, revoked or unknown). Only then is a non-idempotent call sent again with a fresh
/// token.
pub fn rejected_before_processing(status: StatusCode, headers: &HeaderMap) -> bool {
    status == StatusCode::UNAUTHORIZED
        && headers.get_all(WWW_AUTHENTICATE).iter().any(|value| {
            value.to_str().is_ok_and(|v| {
                let v = v.trim_start();
                v.get(..6).is_some_and(|s| s.eq_ignore_ascii_case("bearer"))
                    && v.contains("error=\"invalid_token\"")
            })
        })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn tokens_are_checked_and_redacted() {
        let token = BearerToken::new(" abc.DEF-123 \n").unwrap();
        assert_eq!(token.expose_secret(), "abc.DEF-123");
        assert_eq!(format!("{token:?}"), "BearerToken(<redacted>)");
        assert!(token.authorization().is_sensitive());
        assert_eq!(token.authorization(), "Bearer abc.DEF-123");
        for bad in ["", "  ", "a b", "a\nb", "é"] {
            let err = BearerToken::new(bad).unwrap_err();
            assert_eq!(err.field(), "token");
            if !bad.trim().is_empty() {
                assert!(!err.to_string().contains(bad.trim()), "{err}");
            }
        }
        assert!(BearerToken::new("x".repeat(MAX_TOKEN_LEN + 1)).is_err());
    }

    #[test]
    fn a_token_endpoint_is_https_or_on_this_machine() {
        for good in [
            TOKEN_URL,
            "https://auth.example.com/v1/oauth/token",
            "http://127.0.0.1:8080/v1/oauth/token",
            "http://localhost/token",
            "http://[::1]:9000/token",
        ] {
            assert!(check_token_url(good).is_ok(), "{good}");
        }
        for (bad, reason) in [
            ("http://auth.example.com/v1/oauth/token", "plain http"),
            ("http://10.0.0.1/token", "plain http"),
            ("ftp://127.0.0.1/token", "https"),
            ("/v1/oauth/token", "https"),
            ("not a url at all", "not a URL"),
        ] {
            let Err(Error::InvalidInput(e)) = check_token_url(bad) else {
                panic!("{bad} accepted");
            };
            assert_eq!(e.field(), "token_url");
            assert!(e.to_string().contains(reason), "{bad}: {e}");
        }
    }

    #[test]
    fn the_challenge_decides() {
        let mut headers = HeaderMap::new();
        assert!(!rejected_before_processing(
            StatusCode::UNAUTHORIZED,
            &headers
        ));
        headers.insert(
            WWW_AUTHENTICATE,
            HeaderValue::from_static("Bearer realm=\"idv\", error=\"invalid_token\""),
        );
        assert!(rejected_before_processing(
            StatusCode::UNAUTHORIZED,
            &headers
        ));
        assert!(!rejected_before_processing(StatusCode::FORBIDDEN, &headers));
        headers.insert(
            WWW_AUTHENTICATE,
            HeaderValue::from_static("Bearer error=\"insufficient_scope\""),
        );
        assert!(!rejected_before_processing(
            StatusCode::UNAUTHORIZED,
            &headers
        ));
    }

    #[test]
    fn responses_parse_without_leaking() {
        let ok = |body: &str| {
            let mut r = http::Response::new(body.as_bytes().to_vec());
            *r.status_mut() = StatusCode::OK;
            parse_token_response(r)
        };
        let token =
            ok(r#"{"access_token":"t0k","token_type":"Bearer","expires_in":60,"x":1}"#).unwrap();
        assert_eq!(token.token.expose_secret(), "t0k");
        assert_eq!(token.expires_in, Some(60));
        let err = ok(r#"{"token_type":"Bearer"}"#).unwrap_err();
        assert!(matches!(err, Error::Decode(_)), "{err}");
        let err = ok(r#"{"access_token":"bad token secret"}"#).unwrap_err();
        assert!(!err.to_string().contains("secret"), "{err}");
        let mut refused = http::Response::new(br#"{"error":"invalid_client"}"#.to_vec());
        *refused.status_mut() = StatusCode::BAD_REQUEST;
        let err = parse_token_response(refused).unwrap_err();
        assert_eq!(err.code(), Some("invalid_client"));
    }
}
