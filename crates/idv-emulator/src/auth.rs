//! Request authentication, as the real IDV service does it.
//!
//! For every request under `/idverify/v1` or `/sandbox/idverify/v1` (except the hosted page,
//! its client API and the admin routes):
//!
//! 1. The query string must carry `sdkId`, `nonce` and `timestamp` (non-empty); the Go SDK's
//!    `sdkID` counts as `sdkId` unless the emulator's own strict check is on
//!    ([`EmulatorBuilder::strict_query_names`](crate::EmulatorBuilder::strict_query_names),
//!    `--strict-query-names`). Otherwise:
//!    400 `MALFORMED_REQUEST`, one `errors[]` entry per missing parameter (`query.sdkId`, ...).
//!    `GET /supported-documents` may leave `sdkId` out (the Node SDK does): its signature is
//!    then checked against every registered application's key. It may also come entirely
//!    unsigned (no digest, nonce or timestamp), as the Java SDK sends it: it is public data.
//! 2. `sdkId` must name a registered application, else 404 `APPLICATION_NOT_FOUND`. This comes
//!    before the signature check because verifying needs that application's public key.
//! 3. `X-Yoti-Auth-Digest` must be present and valid base64 (standard alphabet), else
//!    401 `UNAUTHORIZED`; a signature whose length does not match the key's is 401
//!    `UNAUTHORIZED` too.
//! 4. `timestamp` must be an integer (else 400 `MALFORMED_REQUEST`, `query.timestamp`). Yoti
//!    documents no window, and the official SDKs differ (the Java SDK sends
//!    `System.nanoTime() / 1000`, which is no epoch time), so by default that is all. With a
//!    skew window (the emulator's own check, [`EmulatorBuilder::timestamp_skew`](crate::EmulatorBuilder::timestamp_skew),
//!    `--skew`) it is read as Unix epoch **seconds** below 10^11 and epoch **milliseconds**
//!    otherwise, and must be within the window of the emulator's request clock, else 401
//!    `STALE_TIMESTAMP`.
//! 5. The nonce must not have been seen (for the same application) within the replay window
//!    (default 10 minutes), else 401 `REPLAYED_NONCE`.
//! 6. The declared body length (`Content-Length`) must be within the route's cap (see the
//!    [`limits`](crate::limits) module), else 413 `PAYLOAD_TOO_LARGE`, and the body is never
//!    read. Only now is the body read (a chunked body is cut off at the cap, 413; a body
//!    slower than the body read timeout is 408).
//! 7. The digest must verify, with the application's key, over
//!    `METHOD&TARGET[&base64(body)]`, where TARGET is the request target exactly as it came
//!    over the wire with the `/idverify/v1` or `/sandbox/idverify/v1` prefix removed, and the
//!    body part is present only when the body is non-empty. Else 401 `UNAUTHORIZED`. Only
//!    then is the nonce recorded.
//!
//! Steps 1 to 6 need no body: a request that fails them is refused before a byte of its
//! body is read.
//!
//! The verified application and the body bytes are handed on to the handler as a
//! [`Verified`] request extension.

use std::sync::Arc;

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use percent_encoding::percent_decode_str;

use crate::apps::{parse_timestamp, within};
use crate::error::{ApiError, FieldError};
use crate::limits::{
    BodyPermit, FACE_JSON_BODY_CAP, JSON_BODY_CAP, MULTIPART_BODY_CAP, SANDBOX_BODY_CAP,
    declared_length,
};
use crate::paths::{API_PREFIX, SANDBOX_PREFIX};
use crate::state::AppState;

/// The header carrying the request signature.
const DIGEST_HEADER: &str = "x-yoti-auth-digest";

/// What a handler receives once the request is authenticated.
#[derive(Debug, Clone)]
pub(crate) struct Verified {
    /// The application that signed the request.
    pub(crate) sdk_id: String,
    /// The raw request body (possibly empty).
    pub(crate) body: Bytes,
    /// The body's share of the body memory budget, held while the request lives.
    pub(crate) _permit: Arc<BodyPermit>,
}

/// The auth query parameters, percent-decoded.
#[derive(Debug, Default, PartialEq, Eq)]
struct AuthParams {
    sdk_id: Option<String>,
    nonce: Option<String>,
    timestamp: Option<String>,
}

/// Reads `sdkId`, `nonce` and `timestamp` (first occurrence of each, names case-sensitive).
/// Unless `strict`, the Go SDK's `sdkID` stands for `sdkId` when `sdkId` is absent.
fn auth_params(query: Option<&str>, strict: bool) -> AuthParams {
    let mut params = AuthParams::default();
    let mut go_sdk_id = None;
    for pair in query.unwrap_or("").split('&') {
        let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
        let slot = match name {
            "sdkId" => &mut params.sdk_id,
            "sdkID" if !strict => &mut go_sdk_id,
            "nonce" => &mut params.nonce,
            "timestamp" => &mut params.timestamp,
            _ => continue,
        };
        if slot.is_none() {
            let decoded = percent_decode_str(value).decode_utf8_lossy().into_owned();
            *slot = Some(decoded);
        }
    }
    if params.sdk_id.is_none() {
        params.sdk_id = go_sdk_id;
    }
    params
}

/// The signed target: the request target minus the API prefix.
fn signed_target(path_and_query: &str) -> Option<&str> {
    [SANDBOX_PREFIX, API_PREFIX]
        .iter()
        .find_map(|prefix| path_and_query.strip_prefix(prefix))
        .filter(|rest| rest.starts_with('/'))
}

/// Middleware that authenticates a request (see the module docs) and stores [`Verified`].
pub(crate) async fn authenticate(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    match verify(&state, request).await {
        Ok(request) => next.run(request).await,
        Err(error) => error.into_response(),
    }
}

async fn verify(state: &AppState, request: Request) -> Result<Request, ApiError> {
    let (mut parts, body) = request.into_parts();

    let target = parts
        .uri
        .path_and_query()
        .map(|pq| pq.as_str())
        .and_then(signed_target)
        .ok_or_else(|| ApiError::unauthorized("Request target cannot be signed"))?
        .to_owned();
    let public = target.split('?').next() == Some("/supported-documents");
    let params = auth_params(parts.uri.query(), state.auth.strict_query_names);
    let digest = parts.headers.get(DIGEST_HEADER).cloned();

    if public
        && digest.is_none()
        && params.sdk_id.is_none()
        && params.nonce.is_none()
        && params.timestamp.is_none()
    {
        // Unsigned, as the Java SDK sends it: public data.
        parts.extensions.insert(Verified {
            sdk_id: String::new(),
            body: Bytes::new(),
            _permit: Arc::new(BodyPermit::none()),
        });
        return Ok(Request::from_parts(parts, body));
    }

    let mut missing = Vec::new();
    for (name, value) in [
        ("sdkId", &params.sdk_id),
        ("nonce", &params.nonce),
        ("timestamp", &params.timestamp),
    ] {
        if value.as_deref().is_none_or(str::is_empty) && !(public && name == "sdkId") {
            missing.push(FieldError::new(
                format!("query.{name}"),
                "must not be null or empty",
            ));
        }
    }
    if !missing.is_empty() {
        return Err(
            ApiError::malformed("Missing authentication query parameters").with_errors(missing),
        );
    }

    let candidates = match params.sdk_id.as_deref().filter(|s| !s.is_empty()) {
        Some(sdk_id) => {
            let key = state.apps.key(sdk_id).ok_or_else(ApiError::app_not_found)?;
            vec![(sdk_id.to_owned(), key)]
        }
        None => state.apps.all(),
    };

    // Everything that needs no body comes first: an unauthenticated request is refused
    // before a byte of its body is read.
    let digest =
        digest.ok_or_else(|| ApiError::unauthorized("Missing X-Yoti-Auth-Digest header"))?;
    let signature = digest
        .to_str()
        .ok()
        .filter(|d| !d.trim().is_empty())
        .and_then(|d| STANDARD.decode(d.trim()).ok())
        .ok_or_else(|| ApiError::unauthorized("X-Yoti-Auth-Digest is not valid base64"))?;
    if !candidates
        .iter()
        .any(|(_, key)| signature.len() == key.bits().div_ceil(8))
    {
        return Err(ApiError::unauthorized(
            "X-Yoti-Auth-Digest does not match the request",
        ));
    }

    let now = state.clock.request_now();
    let timestamp = params.timestamp.as_deref().unwrap_or_default();
    let not_integer = || {
        ApiError::malformed("timestamp must be an integer").with_errors(vec![FieldError::new(
            "query.timestamp",
            "must be an integer",
        )])
    };
    match state.auth.skew {
        // The check the emulator adds on request: an epoch time near its clock.
        Some(skew) => {
            let sent_at = parse_timestamp(timestamp).ok_or_else(not_integer)?;
            if !within(sent_at, now, skew) {
                return Err(ApiError::stale_timestamp());
            }
        }
        // As Yoti documents it: any integer (the Java SDK sends nanoTime()/1000).
        None => {
            timestamp.parse::<i64>().map_err(|_| not_integer())?;
        }
    }
    let nonce = params.nonce.unwrap_or_default();
    if candidates.iter().all(|(sdk_id, _)| {
        state
            .nonces
            .seen(&nonce_key(sdk_id, &nonce), now, state.auth.replay_window)
    }) {
        return Err(ApiError::replayed_nonce());
    }

    let cap = body_cap(parts.uri.path());
    let declared = declared_length(&parts.headers, cap, || ApiError::payload_too_large(cap))?;
    let (body, permit) = state
        .gates
        .read_body(body, declared, cap, || ApiError::payload_too_large(cap))
        .await?;

    let body_part = (!body.is_empty()).then_some(&body[..]);
    let message = idv_auth::string_to_sign(parts.method.as_str(), &target, body_part);
    let sdk_id = candidates
        .into_iter()
        .find(|(_, key)| key.verify(message.as_bytes(), &signature).is_ok())
        .map(|(id, _)| id)
        .ok_or_else(|| ApiError::unauthorized("X-Yoti-Auth-Digest does not match the request"))?;

    if !state.nonces.record(
        nonce_key(&sdk_id, &nonce),
        now,
        state.auth.replay_window,
        state.gates.limits.max_nonces,
    ) {
        return Err(ApiError::replayed_nonce());
    }

    parts.extensions.insert(Verified {
        sdk_id,
        body: body.clone(),
        _permit: Arc::new(permit),
    });
    Ok(Request::from_parts(parts, Body::from(body)))
}

fn nonce_key(sdk_id: &str, nonce: &str) -> String {
    format!("{sdk_id}\n{nonce}")
}

/// The body cap of a signed route (see the [`limits`](crate::limits) module).
fn body_cap(path: &str) -> usize {
    let path = [SANDBOX_PREFIX, API_PREFIX]
        .iter()
        .find_map(|prefix| path.strip_prefix(prefix))
        .unwrap_or(path);
    let sandbox_route = path == "/agent" || path.ends_with("/response-config");
    let face_json =
        path == "/applicants" || (path.starts_with("/applicants/") && path.ends_with("/faces"));
    if path.contains("/resources/face-capture/") && path.ends_with("/image") {
        MULTIPART_BODY_CAP
    } else if face_json {
        FACE_JSON_BODY_CAP
    } else if sandbox_route {
        SANDBOX_BODY_CAP
    } else {
        JSON_BODY_CAP
    }
}

#[cfg(test)]
mod tests {
    use std::time::{Duration, UNIX_EPOCH};

    use super::*;
    use crate::apps::NonceStore;

    #[test]
    fn reads_auth_params_raw_and_decoded() {
        let p = auth_params(Some("sdkId=abc%2Fd&nonce=n-1&timestamp=123&x=1"), false);
        assert_eq!(p.sdk_id.as_deref(), Some("abc/d"));
        assert_eq!(p.nonce.as_deref(), Some("n-1"));
        assert_eq!(p.timestamp.as_deref(), Some("123"));
    }

    #[test]
    fn first_occurrence_wins_and_names_are_exact() {
        let p = auth_params(Some("sdkID=x&sdkId=a&sdkId=b&nonce&timestamp="), false);
        assert_eq!(p.sdk_id.as_deref(), Some("a"));
        assert_eq!(p.nonce.as_deref(), Some(""));
        assert_eq!(p.timestamp.as_deref(), Some(""));
        assert_eq!(auth_params(None, false), AuthParams::default());
        // The Go SDK's spelling, alone: read as sdkId unless strict.
        let go = Some("nonce=n&sdkID=g&timestamp=1");
        assert_eq!(auth_params(go, false).sdk_id.as_deref(), Some("g"));
        assert_eq!(auth_params(go, true).sdk_id, None);
        assert_eq!(auth_params(Some("SDKID=g"), false).sdk_id, None);
    }

    #[test]
    fn strips_either_prefix() {
        assert_eq!(
            signed_target("/idverify/v1/sessions?sdkId=a"),
            Some("/sessions?sdkId=a")
        );
        assert_eq!(
            signed_target("/sandbox/idverify/v1/agent?sdkId=a"),
            Some("/agent?sdkId=a")
        );
        assert_eq!(signed_target("/idverify/v1x/sessions"), None);
        assert_eq!(signed_target("/other"), None);
    }

    #[test]
    fn timestamps_in_seconds_or_millis() {
        let t = UNIX_EPOCH + Duration::from_secs(1_795_627_009);
        assert_eq!(parse_timestamp("1795627009"), Some(t));
        assert_eq!(
            parse_timestamp("1795627009755"),
            Some(t + Duration::from_millis(755))
        );
        assert_eq!(parse_timestamp("x"), None);
        assert_eq!(parse_timestamp("-1"), None);
    }

    #[test]
    fn nonce_window() {
        let store = NonceStore::default();
        let t0 = UNIX_EPOCH + Duration::from_secs(1_000_000);
        let w = Duration::from_secs(10);
        let max = 100;
        assert!(store.record("a".into(), t0, w, max));
        assert!(store.seen("a", t0 + Duration::from_secs(9), w));
        assert!(!store.record("a".into(), t0 + Duration::from_secs(9), w, max));
        assert!(store.record("b".into(), t0 + Duration::from_secs(9), w, max));
        assert!(store.record("a".into(), t0 + Duration::from_secs(10), w, max));
        assert!(store.record("a".into(), t0, Duration::ZERO, max));
        assert!(store.record("a".into(), t0, Duration::ZERO, max));
    }

    #[test]
    fn nonce_store_is_capped() {
        let store = NonceStore::default();
        let t0 = UNIX_EPOCH + Duration::from_secs(1_000_000);
        let w = Duration::from_secs(600);
        for i in 0..1000 {
            assert!(store.record(format!("n{i}"), t0, w, 10));
        }
        assert_eq!(store.len(), 10);
        // The newest are remembered, the oldest forgotten.
        assert!(store.seen("n999", t0, w));
        assert!(!store.seen("n0", t0, w));
    }
}
