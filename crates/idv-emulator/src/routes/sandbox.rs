//! Handlers of the sandbox API: the `agent` call and the response configs.

use std::sync::PoisonError;

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::IntoResponse;
use axum::routing::{post, put};
use axum::{Extension, Router};

use super::api::{ApiResult, Base, Caller, with_session};
use crate::error::ApiError;
use crate::sandbox::{AgentRequest, ResponseConfig};
use crate::session::Device;
use crate::state::AppState;

/// The sandbox-only endpoints under `prefix`.
pub(crate) fn routes(prefix: &str) -> Router<AppState> {
    Router::new()
        .route(&format!("{prefix}/agent"), post(agent))
        .route(
            &format!("{prefix}/sessions/{{session_id}}/response-config"),
            put(session_response_config),
        )
        .route(
            &format!("{prefix}/apps/{{sdk_id}}/response-config"),
            put(app_response_config),
        )
        .route_layer(Extension(Base { sandbox: true }))
}

async fn agent(State(state): State<AppState>, req: Caller, headers: HeaderMap) -> ApiResult {
    let agent = AgentRequest::parse(&req.body)?;
    let app_config = state.app_config(&req.sdk_id);
    let device = Device::from_headers(&headers);
    with_session(&state, &req, &agent.session_id, |s, now| {
        s.complete_by_agent(
            &agent.client_session_token,
            agent.capture,
            app_config.as_ref(),
            &state.applicants,
            device,
            now,
        )
    })?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// `PUT /sessions/{id}/response-config`: must come before the capture completes.
async fn session_response_config(
    State(state): State<AppState>,
    req: Caller,
    Path(session_id): Path<String>,
) -> ApiResult {
    let config = ResponseConfig::parse(&req.body)?;
    with_session(&state, &req, &session_id, |s, now| {
        s.ensure_open(now)?;
        s.response_config = Some(config);
        Ok(())
    })?;
    Ok(StatusCode::OK.into_response())
}

/// `PUT /apps/{sdkId}/response-config`: for sessions of that application whose capture
/// completes afterwards and that have no session config. Only the application itself may
/// set it.
async fn app_response_config(
    State(state): State<AppState>,
    req: Caller,
    Path(sdk_id): Path<String>,
) -> ApiResult {
    if sdk_id != req.sdk_id {
        return Err(ApiError::app_not_found());
    }
    let config = ResponseConfig::parse(&req.body)?;
    state
        .app_configs
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .insert(sdk_id, config);
    Ok(StatusCode::OK.into_response())
}
