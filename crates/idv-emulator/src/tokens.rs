//! Bearer-token authentication ("Central Auth"): the token endpoint and the tokens it issued.
//!
//! `POST <token path>` (default `/v1/oauth/token`, [`DEFAULT_TOKEN_PATH`]) takes the form the
//! official SDKs send (`grant_type=client_credentials`,
//! `client_assertion_type=urn:ietf:params:oauth:client-assertion-type:jwt-bearer`,
//! `client_assertion=<JWT>`, optional `scope`) and checks the assertion as Yoti documents it:
//!
//! * header `alg` is `PS384` and `typ` is `JWT`;
//! * `iss` and `sub` are both `sdk:<SDK id>` of a registered application;
//! * `aud` is the token endpoint's URL (a string, or an array holding it, as Java sends);
//! * `exp` is in the future and at most 30 minutes ahead; `iat`, if present, not in the future
//!   (60 seconds of skew);
//! * `jti` is a string of 16 to 128 bytes, never used before by that application;
//! * the PS384 signature verifies with the application's public key.
//!
//! A refused assertion is 401 `{"error":"invalid_client","error_description":...}`; a bad form
//! is 400 `invalid_request` or `unsupported_grant_type`. An application holding
//! [`DEFAULT_MAX_ACTIVE_TOKENS`] unexpired tokens (Yoti's documented cap) gets 429
//! `{"error":"too_many_active_tokens"}`. A token is 32 random bytes in hex, valid for the
//! configured lifetime (`expires_in`).
//!
//! Every signed IDV route also accepts `Authorization: Bearer <token>` (see the `auth`
//! module); an unknown, expired or revoked token is 401 `UNAUTHORIZED`
//! with `WWW-Authenticate: Bearer error="invalid_token"` (the request was not processed).

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use percent_encoding::percent_decode_str;
use serde_json::Value;

use std::net::SocketAddr;

use crate::apps::Apps;

/// The default path of the token endpoint (Yoti's is `https://auth.api.yoti.com/v1/oauth/token`).
pub const DEFAULT_TOKEN_PATH: &str = "/v1/oauth/token";
/// The default lifetime of an issued token: 5 minutes.
pub const DEFAULT_TOKEN_LIFETIME: Duration = Duration::from_secs(300);
/// Yoti's documented cap of active tokens per application.
pub const DEFAULT_MAX_ACTIVE_TOKENS: usize = 200;
/// The largest token request body read.
pub(crate) const TOKEN_BODY_CAP: usize = 16 * 1024;
/// How far ahead `exp` may be (Yoti: at most 30 minutes).
const MAX_ASSERTION_LIFETIME: Duration = Duration::from_secs(30 * 60);
/// How far in the future `iat` may be.
const IAT_SKEW: Duration = Duration::from_secs(60);
/// The most remembered `jti`s, all applications together.
const MAX_JTIS: usize = 100_000;

/// How each IDV call was authenticated, counted since the emulator started.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct AuthCounts {
    /// Calls with a valid `X-Yoti-Auth-Digest` signature.
    pub signed: u64,
    /// Calls with a valid bearer token.
    pub bearer: u64,
    /// Requests to the token endpoint, accepted or not.
    pub token_requests: u64,
    /// Tokens issued.
    pub tokens_issued: u64,
}

struct Issued {
    sdk_id: String,
    expires: SystemTime,
}

#[derive(Default)]
struct Inner {
    tokens: HashMap<String, Issued>,
    /// `sdk_id \n jti` -> the assertion's expiry.
    jtis: HashMap<String, SystemTime>,
    /// Applications whose tokens are refused, even those issued later.
    revoked: HashSet<String>,
}

/// The token endpoint's settings and the issued tokens.
pub(crate) struct Tokens {
    pub(crate) path: String,
    lifetime_millis: AtomicU64,
    max_active: usize,
    inner: Mutex<Inner>,
    signed: AtomicU64,
    bearer: AtomicU64,
    requests: AtomicU64,
    issued: AtomicU64,
}

impl Tokens {
    pub(crate) fn new(path: String, lifetime: Duration, max_active: usize) -> Self {
        Self {
            path,
            lifetime_millis: AtomicU64::new(millis(lifetime)),
            max_active,
            inner: Mutex::default(),
            signed: AtomicU64::new(0),
            bearer: AtomicU64::new(0),
            requests: AtomicU64::new(0),
            issued: AtomicU64::new(0),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }

    pub(crate) fn set_lifetime(&self, lifetime: Duration) {
        self.lifetime_millis
            .store(millis(lifetime), Ordering::Release);
    }

    fn lifetime(&self) -> Duration {
        Duration::from_millis(self.lifetime_millis.load(Ordering::Acquire))
    }

    /// Ends every token of `sdk_id`; with `for_good`, tokens issued later are refused too.
    pub(crate) fn revoke(&self, sdk_id: &str, for_good: bool) {
        let mut inner = self.lock();
        inner.tokens.retain(|_, issued| issued.sdk_id != sdk_id);
        if for_good {
            inner.revoked.insert(sdk_id.to_owned());
        }
    }

    /// The application a bearer token authenticates, if it is valid at `now`.
    pub(crate) fn check(&self, token: &str, now: SystemTime) -> Option<String> {
        let inner = self.lock();
        let issued = inner.tokens.get(token)?;
        (issued.expires > now && !inner.revoked.contains(&issued.sdk_id))
            .then(|| issued.sdk_id.clone())
    }

    pub(crate) fn count_signed(&self) {
        self.signed.fetch_add(1, Ordering::Relaxed);
    }

    pub(crate) fn count_bearer(&self) {
        self.bearer.fetch_add(1, Ordering::Relaxed);
    }

    pub(crate) fn counts(&self) -> AuthCounts {
        AuthCounts {
            signed: self.signed.load(Ordering::Relaxed),
            bearer: self.bearer.load(Ordering::Relaxed),
            token_requests: self.requests.load(Ordering::Relaxed),
            tokens_issued: self.issued.load(Ordering::Relaxed),
        }
    }
}

fn millis(d: Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX)
}

fn oauth_error(status: StatusCode, error: &str, description: &str) -> Response {
    let body = serde_json::json!({"error": error, "error_description": description});
    let mut response = (status, body.to_string()).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        header::HeaderValue::from_static("application/json"),
    );
    response
}

fn invalid_client(description: &str) -> Response {
    oauth_error(StatusCode::UNAUTHORIZED, "invalid_client", description)
}

/// `application/x-www-form-urlencoded` pairs (`+` is a space); the first of each name wins.
fn form(body: &[u8]) -> Option<HashMap<String, String>> {
    let text = std::str::from_utf8(body).ok()?;
    let mut out = HashMap::new();
    for pair in text.split('&').filter(|p| !p.is_empty()) {
        let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
        let decode = |s: &str| {
            percent_decode_str(&s.replace('+', " "))
                .decode_utf8()
                .ok()
                .map(|v| v.into_owned())
        };
        out.entry(decode(name)?).or_insert(decode(value)?);
    }
    Some(out)
}

fn decode_json(part: &str) -> Option<Value> {
    let bytes = URL_SAFE_NO_PAD.decode(part).ok()?;
    serde_json::from_slice(&bytes).ok()
}

fn unix(t: SystemTime) -> u64 {
    t.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs())
}

/// The token endpoint (see the module docs).
pub(crate) fn token_response(
    tokens: &Tokens,
    apps: &Apps,
    local_addr: SocketAddr,
    now: SystemTime,
    headers: &HeaderMap,
    body: &[u8],
) -> Response {
    tokens.requests.fetch_add(1, Ordering::Relaxed);
    let form_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    if !form_type {
        return oauth_error(
            StatusCode::BAD_REQUEST,
            "invalid_request",
            "the body must be application/x-www-form-urlencoded",
        );
    }
    let Some(form) = form(body) else {
        return oauth_error(
            StatusCode::BAD_REQUEST,
            "invalid_request",
            "unreadable form",
        );
    };
    if form.get("grant_type").map(String::as_str) != Some("client_credentials") {
        return oauth_error(
            StatusCode::BAD_REQUEST,
            "unsupported_grant_type",
            "grant_type must be client_credentials",
        );
    }
    if form.get("client_assertion_type").map(String::as_str)
        != Some("urn:ietf:params:oauth:client-assertion-type:jwt-bearer")
    {
        return oauth_error(
            StatusCode::BAD_REQUEST,
            "invalid_request",
            "client_assertion_type must be urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
        );
    }
    let Some(jwt) = form.get("client_assertion") else {
        return oauth_error(
            StatusCode::BAD_REQUEST,
            "invalid_request",
            "no client_assertion",
        );
    };
    let host = headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let audiences = [
        format!("http://{}{}", local_addr, tokens.path),
        format!("http://{host}{}", tokens.path),
    ];
    let sdk_id = match verify_assertion(tokens, apps, jwt, &audiences, now) {
        Ok(sdk_id) => sdk_id,
        Err(response) => return response,
    };

    let lifetime = tokens.lifetime();
    let mut inner = tokens.lock();
    inner.tokens.retain(|_, issued| issued.expires > now);
    let active = inner
        .tokens
        .values()
        .filter(|issued| issued.sdk_id == sdk_id)
        .count();
    if active >= tokens.max_active {
        return oauth_error(
            StatusCode::TOO_MANY_REQUESTS,
            "too_many_active_tokens",
            "the application holds the most active tokens allowed",
        );
    }
    let mut bytes = [0u8; 32];
    if getrandom::fill(&mut bytes).is_err() {
        return oauth_error(
            StatusCode::INTERNAL_SERVER_ERROR,
            "server_error",
            "no randomness",
        );
    }
    let token: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    inner.tokens.insert(
        token.clone(),
        Issued {
            sdk_id,
            expires: now + lifetime,
        },
    );
    drop(inner);
    tokens.issued.fetch_add(1, Ordering::Relaxed);
    let mut body = serde_json::json!({
        "access_token": token,
        "token_type": "Bearer",
        "expires_in": lifetime.as_secs().max(1),
    });
    if let Some(scope) = form.get("scope") {
        body["scope"] = Value::String(scope.clone());
    }
    let mut response = (StatusCode::OK, body.to_string()).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        header::HeaderValue::from_static("application/json"),
    );
    headers.insert(
        header::CACHE_CONTROL,
        header::HeaderValue::from_static("no-store"),
    );
    response
}

/// Checks the client assertion; the application it authenticates. (The error is the response
/// itself, built once per refused request: boxing it would buy nothing.)
#[allow(clippy::result_large_err)]
fn verify_assertion(
    tokens: &Tokens,
    apps: &Apps,
    jwt: &str,
    audiences: &[String],
    now: SystemTime,
) -> Result<String, Response> {
    let parts: Vec<&str> = jwt.split('.').collect();
    let [header_part, claims_part, signature_part] = parts[..] else {
        return Err(invalid_client("the client assertion is not a compact JWS"));
    };
    let header = decode_json(header_part)
        .ok_or_else(|| invalid_client("the assertion header is not base64url JSON"))?;
    if header["alg"] != "PS384" {
        return Err(invalid_client("the assertion alg must be PS384"));
    }
    if header["typ"] != "JWT" {
        return Err(invalid_client("the assertion typ must be JWT"));
    }
    let claims = decode_json(claims_part)
        .ok_or_else(|| invalid_client("the assertion claims are not base64url JSON"))?;
    let iss = claims["iss"]
        .as_str()
        .ok_or_else(|| invalid_client("the assertion has no iss"))?;
    if claims["sub"].as_str() != Some(iss) {
        return Err(invalid_client("the assertion sub must equal its iss"));
    }
    let sdk_id = iss
        .strip_prefix("sdk:")
        .ok_or_else(|| invalid_client("the assertion iss must be sdk:<SDK id>"))?;
    let key = apps
        .key(sdk_id)
        .ok_or_else(|| invalid_client("the assertion iss names no registered application"))?;
    let aud_ok = match &claims["aud"] {
        Value::String(aud) => audiences.contains(aud),
        Value::Array(auds) => auds
            .iter()
            .any(|a| a.as_str().is_some_and(|a| audiences.iter().any(|x| x == a))),
        _ => false,
    };
    if !aud_ok {
        return Err(invalid_client(
            "the assertion aud must be the token endpoint's URL",
        ));
    }
    let exp = claims["exp"]
        .as_u64()
        .ok_or_else(|| invalid_client("the assertion has no numeric exp"))?;
    let now_secs = unix(now);
    if exp <= now_secs {
        return Err(invalid_client("the assertion has expired"));
    }
    if exp > now_secs + MAX_ASSERTION_LIFETIME.as_secs() {
        return Err(invalid_client(
            "the assertion exp is more than 30 minutes ahead",
        ));
    }
    if let Some(iat) = claims.get("iat") {
        let iat = iat
            .as_u64()
            .ok_or_else(|| invalid_client("the assertion iat is not a number"))?;
        if iat > now_secs + IAT_SKEW.as_secs() {
            return Err(invalid_client("the assertion iat is in the future"));
        }
    }
    let jti = claims["jti"]
        .as_str()
        .ok_or_else(|| invalid_client("the assertion has no jti"))?;
    if !(16..=128).contains(&jti.len()) {
        return Err(invalid_client("the assertion jti must be 16 to 128 bytes"));
    }
    let signature = URL_SAFE_NO_PAD
        .decode(signature_part)
        .map_err(|_| invalid_client("the assertion signature is not base64url"))?;
    let signed = &jwt[..header_part.len() + 1 + claims_part.len()];
    if key
        .verify_pss_sha384(signed.as_bytes(), &signature)
        .is_err()
    {
        return Err(invalid_client(
            "the assertion signature does not verify with the application's key",
        ));
    }
    // Only a valid assertion uses up its jti.
    let mut inner = tokens.lock();
    inner.jtis.retain(|_, expires| *expires > now);
    let key = format!("{sdk_id}\n{jti}");
    if inner.jtis.contains_key(&key) {
        return Err(invalid_client("the assertion jti was used before"));
    }
    if inner.jtis.len() >= MAX_JTIS {
        return Err(oauth_error(
            StatusCode::SERVICE_UNAVAILABLE,
            "temporarily_unavailable",
            "too many assertions in flight",
        ));
    }
    inner
        .jtis
        .insert(key, UNIX_EPOCH + Duration::from_secs(exp));
    Ok(sdk_id.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forms_decode() {
        let f = form(b"a=b+c&d=%2F&a=x&e").unwrap_or_default();
        assert_eq!(f.get("a").map(String::as_str), Some("b c"));
        assert_eq!(f.get("d").map(String::as_str), Some("/"));
        assert_eq!(f.get("e").map(String::as_str), Some(""));
    }
}
