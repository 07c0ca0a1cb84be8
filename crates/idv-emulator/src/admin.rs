//! The admin API, served only when enabled ([`EmulatorBuilder::admin`](crate::EmulatorBuilder::admin),
//! or `--admin` on the command line). It is not signed: never expose it beyond loopback.
//!
//! | method and path | what it does |
//! |---|---|
//! | `GET /__admin/faults` | the pending faults |
//! | `POST /__admin/faults` | injects a fault (body below); 201 |
//! | `DELETE /__admin/faults` | removes every pending fault; 204 |
//! | `POST /__admin/clock/advance` | `{"seconds": N}`: ages the sessions (see [`Emulator::advance_clock`](crate::Emulator::advance_clock)); 204 |
//! | `GET /__admin/stats` | `{connections_accepted, sessions, notifications}` |
//!
//! A fault body: `{"method": "GET", "path": "/sessions/*", "times": 2, "action": ACTION}`
//! (`method` and `path` default to any, `times` to 1) with `action` one of
//! `{"type": "status", "status": 503, "retry_after": 1}`, `{"type": "delay", "millis": 500}`,
//! `{"type": "reset"}`, `{"type": "truncate_body"}`, `{"type": "malformed_json"}`.

use std::sync::atomic::Ordering;
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde_json::{Value, json};

use crate::error::{ApiError, json_response};
use crate::fault::{Fault, FaultAction};
use crate::session::spec::parse_object;
use crate::state::AppState;

/// Where the admin routes live.
pub(crate) const ADMIN_PREFIX: &str = "/__admin/";

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/__admin/faults", get(list).post(inject).delete(clear))
        .route("/__admin/clock/advance", post(advance))
        .route("/__admin/stats", get(stats))
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

async fn inject(State(state): State<AppState>, body: Bytes) -> Result<Response, ApiError> {
    let fault = parse_fault(&body)?;
    let view = fault_json(&fault);
    state.faults.inject(fault);
    Ok(json_response(StatusCode::CREATED, &view))
}

async fn clear(State(state): State<AppState>) -> Response {
    state.faults.clear();
    StatusCode::NO_CONTENT.into_response()
}

async fn advance(State(state): State<AppState>, body: Bytes) -> Result<Response, ApiError> {
    let obj = parse_object(&body)?;
    let seconds = obj
        .get("seconds")
        .and_then(Value::as_u64)
        .ok_or_else(|| ApiError::invalid("seconds", "must be a non-negative integer"))?;
    state.clock.advance(Duration::from_secs(seconds));
    state.tick();
    Ok(StatusCode::NO_CONTENT.into_response())
}

async fn stats(State(state): State<AppState>) -> Response {
    json_response(
        StatusCode::OK,
        &json!({
            "connections_accepted": state.connections.load(Ordering::Relaxed),
            "sessions": state.sessions.len(),
            "notifications": state.notifier.records().len(),
        }),
    )
}
