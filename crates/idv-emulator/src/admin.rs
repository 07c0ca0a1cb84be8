//! The admin API, served only when enabled ([`EmulatorBuilder::admin`](crate::EmulatorBuilder::admin),
//! or `--admin` on the command line). It is not signed: never expose it beyond loopback.
//!
//! | method and path | what it does |
//! |---|---|
//! | `GET /__admin/faults` | the pending faults |
//! | `POST /__admin/faults` | injects a fault (body below); 201 |
//! | `DELETE /__admin/faults` | removes every pending fault; 204 |
//! | `POST /__admin/clock/advance` | `{"seconds": N}`: ages the sessions (see [`Emulator::advance_clock`](crate::Emulator::advance_clock)); 204 |
//! | `GET /__admin/stats` | `{connections_accepted, sessions, notifications, nonces}` |
//! | `POST /__admin/tokens/revoke` | `{"sdk_id": ID, "for_good": false}`: revokes the application's bearer tokens (see [`Emulator::revoke_tokens`](crate::Emulator::revoke_tokens)); 204 |
//!
//! Every admin request must name the emulator itself in `Host` (`127.0.0.1:PORT` or
//! `localhost:PORT`, the port it listens on), and an `Origin`, when sent, must be
//! `http://` and one of those; else 403 `FORBIDDEN`. This blocks DNS rebinding (a foreign
//! host name resolving to 127.0.0.1) and pages of other sites. Requests that change state
//! (any method but `GET` and `HEAD`) must say `Content-Type: application/json`, else 415
//! `UNSUPPORTED_MEDIA_TYPE`: an HTML form cannot send that without a CORS preflight, which
//! the emulator never grants. Bodies are at most 64 KiB.
//!
//! A fault body: `{"method": "GET", "path": "/sessions/*", "times": 2, "action": ACTION}`
//! (`method` and `path` default to any, `times` to 1) with `action` one of
//! `{"type": "status", "status": 503, "retry_after": 1}`, `{"type": "delay", "millis": 500}`,
//! `{"type": "reset"}`, `{"type": "truncate_body"}`, `{"type": "malformed_json"}`.

use std::sync::atomic::Ordering;
use std::time::Duration;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde_json::{Value, json};

use crate::error::{ApiError, json_response};
use crate::fault::{Fault, FaultAction};
use crate::limits::{ADMIN_BODY_CAP, BodyPermit, declared_length};
use crate::session::spec::parse_object;
use crate::state::AppState;

pub(crate) fn routes(state: &AppState) -> Router<AppState> {
    Router::new()
        .route("/__admin/faults", get(list).post(inject).delete(clear))
        .route("/__admin/clock/advance", post(advance))
        .route("/__admin/stats", get(stats))
        .route("/__admin/tokens/revoke", post(revoke_tokens))
        .route_layer(middleware::from_fn_with_state(state.clone(), guard))
}

/// Refuses admin requests that do not come from this machine's own pages and tools (see
/// the module docs).
async fn guard(State(state): State<AppState>, request: Request, next: Next) -> Response {
    match check_request(state.local_addr.port(), request.method(), request.headers()) {
        Ok(()) => next.run(request).await,
        Err(e) => e.into_response(),
    }
}

fn check_request(port: u16, method: &Method, headers: &HeaderMap) -> Result<(), ApiError> {
    let own = [format!("127.0.0.1:{port}"), format!("localhost:{port}")];
    let is_own = |host: &str| own.iter().any(|o| o.eq_ignore_ascii_case(host));
    let host = headers.get(header::HOST).and_then(|v| v.to_str().ok());
    if !host.is_some_and(is_own) {
        return Err(ApiError::forbidden(
            "The admin API answers only requests for the emulator's own loopback address and port",
        ));
    }
    if let Some(origin) = headers.get(header::ORIGIN) {
        let own_origin = origin
            .to_str()
            .ok()
            .and_then(|o| o.strip_prefix("http://"))
            .is_some_and(is_own);
        if !own_origin {
            return Err(ApiError::forbidden(
                "The admin API refuses requests from other origins",
            ));
        }
    }
    if method != Method::GET && method != Method::HEAD {
        let json = headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(';').next())
            .is_some_and(|v| v.trim().eq_ignore_ascii_case("application/json"));
        if !json {
            return Err(ApiError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "UNSUPPORTED_MEDIA_TYPE",
                "Admin requests that change state must be application/json",
            ));
        }
    }
    Ok(())
}

/// An admin body: at most [`ADMIN_BODY_CAP`], within the body read timeout.
async fn admin_body(
    state: &AppState,
    headers: &HeaderMap,
    body: Body,
) -> Result<(Bytes, BodyPermit), ApiError> {
    let too_large = || ApiError::payload_too_large(ADMIN_BODY_CAP);
    let declared = declared_length(headers, ADMIN_BODY_CAP, too_large)?;
    state
        .gates
        .read_body(body, declared, ADMIN_BODY_CAP, too_large)
        .await
}

fn fault_json(f: &Fault) -> Value {
    let action = match f.action() {
        FaultAction::Status {
            status,
            retry_after,
        } => {
            json!({"type": "status", "status": status, "retry_after": retry_after})
        }
        FaultAction::Delay(d) => json!({"type": "delay", "millis": d.as_millis()}),
        FaultAction::Reset => json!({"type": "reset"}),
        FaultAction::TruncateBody => json!({"type": "truncate_body"}),
        FaultAction::MalformedJson => json!({"type": "malformed_json"}),
    };
    json!({"remaining": f.remaining(), "action": action})
}

async fn list(State(state): State<AppState>) -> Response {
    let faults: Vec<Value> = state.faults.pending().iter().map(fault_json).collect();
    json_response(StatusCode::OK, &faults)
}

/// Parses an admin fault body.
pub(crate) fn parse_fault(body: &[u8]) -> Result<Fault, ApiError> {
    let obj = parse_object(body)?;
    let action = obj
        .get("action")
        .and_then(Value::as_object)
        .ok_or_else(|| ApiError::invalid("action", "must be an object"))?;
    let number = |name: &str| action.get(name).and_then(Value::as_u64);
    let fault = match action.get("type").and_then(Value::as_str) {
        Some("status") => {
            let status = number("status")
                .and_then(|s| u16::try_from(s).ok())
                .filter(|s| (100..=599).contains(s))
                .ok_or_else(|| ApiError::invalid("action.status", "must be an HTTP status"))?;
            let f = Fault::status(status);
            match number("retry_after") {
                Some(secs) => f.retry_after(secs),
                None => f,
            }
        }
        Some("delay") => Fault::delay(Duration::from_millis(
            number("millis")
                .ok_or_else(|| ApiError::invalid("action.millis", "must be an integer"))?,
        )),
        Some("reset") => Fault::reset(),
        Some("truncate_body") => Fault::truncate_body(),
        Some("malformed_json") => Fault::malformed_json(),
        _ => {
            return Err(ApiError::invalid(
                "action.type",
                "must be status, delay, reset, truncate_body or malformed_json",
            ));
        }
    };
    let method = obj.get("method").and_then(Value::as_str).unwrap_or("*");
    let path = obj.get("path").and_then(Value::as_str).unwrap_or("*");
    let times = obj
        .get("times")
        .and_then(Value::as_u64)
        .map_or(1, |t| u32::try_from(t).unwrap_or(u32::MAX));
    Ok(fault.on(method, path).times(times))
}

async fn inject(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, ApiError> {
    let (body, _permit) = admin_body(&state, &headers, body).await?;
    let fault = parse_fault(&body)?;
    let view = fault_json(&fault);
    state.faults.inject(fault);
    Ok(json_response(StatusCode::CREATED, &view))
}

async fn clear(State(state): State<AppState>) -> Response {
    state.faults.clear();
    StatusCode::NO_CONTENT.into_response()
}

async fn advance(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, ApiError> {
    let (body, _permit) = admin_body(&state, &headers, body).await?;
    let obj = parse_object(&body)?;
    let seconds = obj
        .get("seconds")
        .and_then(Value::as_u64)
        .ok_or_else(|| ApiError::invalid("seconds", "must be a non-negative integer"))?;
    state.clock.advance(Duration::from_secs(seconds));
    state.tick();
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// Parses an admin revoke body: the application's SDK id and whether to withdraw its bearer
/// access for good (default: no, a new token works).
pub(crate) fn parse_revoke(body: &[u8]) -> Result<(String, bool), ApiError> {
    let obj = parse_object(body)?;
    let sdk_id = obj
        .get("sdk_id")
        .and_then(Value::as_str)
        .filter(|id| !id.is_empty())
        .ok_or_else(|| ApiError::invalid("sdk_id", "must be a non-empty string"))?;
    let for_good = match obj.get("for_good") {
        None | Some(Value::Null) => false,
        Some(Value::Bool(b)) => *b,
        Some(_) => return Err(ApiError::invalid("for_good", "must be a boolean")),
    };
    Ok((sdk_id.to_owned(), for_good))
}

async fn revoke_tokens(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, ApiError> {
    let (body, _permit) = admin_body(&state, &headers, body).await?;
    let (sdk_id, for_good) = parse_revoke(&body)?;
    state.tokens.revoke(&sdk_id, for_good);
    Ok(StatusCode::NO_CONTENT.into_response())
}

async fn stats(State(state): State<AppState>) -> Response {
    json_response(
        StatusCode::OK,
        &json!({
            "connections_accepted": state.connections.load(Ordering::Relaxed),
            "sessions": state.sessions.len(),
            "notifications": state.notifier.records().len(),
            "nonces": state.nonces.len(),
        }),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(pairs: &[(header::HeaderName, &'static str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.insert(name.clone(), HeaderValue::from_static(value));
        }
        map
    }

    #[test]
    fn host_origin_and_content_type() {
        let ok = |m: Method, h: &[(header::HeaderName, &'static str)]| {
            check_request(8080, &m, &headers(h)).map_err(|e| e.code())
        };
        let json = (header::CONTENT_TYPE, "application/json; charset=utf-8");
        assert_eq!(ok(Method::GET, &[(header::HOST, "127.0.0.1:8080")]), Ok(()));
        assert_eq!(ok(Method::GET, &[(header::HOST, "LOCALHOST:8080")]), Ok(()));
        assert_eq!(
            ok(Method::GET, &[(header::HOST, "evil.example:8080")]),
            Err("FORBIDDEN")
        );
        assert_eq!(
            ok(Method::GET, &[(header::HOST, "127.0.0.1:8081")]),
            Err("FORBIDDEN")
        );
        assert_eq!(ok(Method::GET, &[]), Err("FORBIDDEN"));
        let host = (header::HOST, "127.0.0.1:8080");
        assert_eq!(ok(Method::POST, &[host.clone(), json.clone()]), Ok(()));
        assert_eq!(
            ok(
                Method::POST,
                &[host.clone(), (header::CONTENT_TYPE, "text/plain")]
            ),
            Err("UNSUPPORTED_MEDIA_TYPE")
        );
        assert_eq!(
            ok(Method::DELETE, std::slice::from_ref(&host)),
            Err("UNSUPPORTED_MEDIA_TYPE")
        );
        assert_eq!(
            ok(
                Method::POST,
                &[
                    host.clone(),
                    json.clone(),
                    (header::ORIGIN, "http://localhost:8080")
                ]
            ),
            Ok(())
        );
        assert_eq!(
            ok(
                Method::POST,
                &[
                    host.clone(),
                    json.clone(),
                    (header::ORIGIN, "https://evil.example")
                ]
            ),
            Err("FORBIDDEN")
        );
        assert_eq!(
            ok(Method::POST, &[host, json, (header::ORIGIN, "null")]),
            Err("FORBIDDEN")
        );
    }
}
