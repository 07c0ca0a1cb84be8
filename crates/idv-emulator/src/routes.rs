//! The HTTP routes and their handlers.

use std::time::{Instant, SystemTime};

use axum::extract::{Path, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use axum::{Extension, Router};

use crate::auth::{self, API_PREFIX, SANDBOX_PREFIX, Verified};
use crate::error::{ApiError, json_response};
use crate::sandbox::AgentRequest;
use crate::session::{MediaContent, Session, SessionSpec};
use crate::state::AppState;

/// Builds the whole application: the IDV API and the sandbox API, both signed.
pub(crate) fn router(state: AppState, log_requests: bool) -> Router {
    let sandbox =
        session_routes(SANDBOX_PREFIX).route(&format!("{SANDBOX_PREFIX}/agent"), post(agent));
    let router = session_routes(API_PREFIX)
        .merge(sandbox)
        .method_not_allowed_fallback(method_not_allowed)
        .route_layer(middleware::from_fn_with_state(
            state.clone(),
            auth::authenticate,
        ))
        .fallback(not_found)
        .with_state(state);
    if log_requests {
        router.layer(middleware::from_fn(log_request))
    } else {
        router
    }
}

/// The session endpoints, served under both the API and the sandbox prefix.
fn session_routes(prefix: &str) -> Router<AppState> {
    Router::new()
        .route(&format!("{prefix}/sessions"), post(create_session))
        .route(
            &format!("{prefix}/sessions/{{session_id}}"),
            get(get_session).delete(delete_session),
        )
        .route(
            &format!("{prefix}/sessions/{{session_id}}/configuration"),
            get(get_configuration),
        )
        .route(
            &format!("{prefix}/sessions/{{session_id}}/resources/face-capture"),
            post(create_face_capture),
        )
        .route(
            &format!(
                "{prefix}/sessions/{{session_id}}/resources/face-capture/{{resource_id}}/image"
            ),
            put(upload_face_capture_image),
        )
        .route(
            &format!("{prefix}/sessions/{{session_id}}/media/{{media_id}}/content"),
            get(get_media_content).delete(delete_media_content),
        )
}

type ApiResult = Result<Response, ApiError>;

async fn create_session(
    State(state): State<AppState>,
    Extension(req): Extension<Verified>,
) -> ApiResult {
    let now = SystemTime::now();
    let spec = SessionSpec::parse(&req.body, now)?;
    let session = Session::create(&req.sdk_id, spec, now)?;
    let response = json_response(StatusCode::CREATED, &session.created_view());
    state.sessions.insert(session);
    Ok(response)
}

async fn get_session(
    State(state): State<AppState>,
    Extension(req): Extension<Verified>,
    Path(session_id): Path<String>,
) -> ApiResult {
    let now = SystemTime::now();
    state.sessions.with(&req.sdk_id, &session_id, |s| {
        Ok(json_response(StatusCode::OK, &s.session_view(now)))
    })
}

async fn delete_session(
    State(state): State<AppState>,
    Extension(req): Extension<Verified>,
    Path(session_id): Path<String>,
) -> ApiResult {
    state
        .sessions
        .delete(&req.sdk_id, &session_id, SystemTime::now())?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

async fn get_configuration(
    State(state): State<AppState>,
    Extension(req): Extension<Verified>,
    Path(session_id): Path<String>,
) -> ApiResult {
    let now = SystemTime::now();
    state.sessions.with(&req.sdk_id, &session_id, |s| {
        Ok(json_response(StatusCode::OK, &s.configuration_view(now)))
    })
}

async fn create_face_capture(
    State(state): State<AppState>,
    Extension(req): Extension<Verified>,
    Path(session_id): Path<String>,
) -> ApiResult {
    let now = SystemTime::now();
    let body = state.sessions.with(&req.sdk_id, &session_id, |s| {
        s.create_face_capture(&req.body, now)
    })?;
    Ok(json_response(StatusCode::CREATED, &body))
}

async fn upload_face_capture_image(
    State(state): State<AppState>,
    Extension(req): Extension<Verified>,
    Path((session_id, resource_id)): Path<(String, String)>,
    headers: HeaderMap,
) -> ApiResult {
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok());
    let now = SystemTime::now();
    state.sessions.with(&req.sdk_id, &session_id, |s| {
        s.upload_face_capture_image(&resource_id, content_type, &req.body, now)
    })?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

async fn get_media_content(
    State(state): State<AppState>,
    Extension(req): Extension<Verified>,
    Path((session_id, media_id)): Path<(String, String)>,
) -> ApiResult {
    let content = state
        .sessions
        .with(&req.sdk_id, &session_id, |s| s.media_content(&media_id))?;
    Ok(match content {
        MediaContent::Content(content_type, bytes) => {
            let mut response = (StatusCode::OK, bytes).into_response();
            response
                .headers_mut()
                .insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
            response
        }
        MediaContent::NoContent => StatusCode::NO_CONTENT.into_response(),
    })
}

async fn delete_media_content(
    State(state): State<AppState>,
    Extension(req): Extension<Verified>,
    Path((session_id, media_id)): Path<(String, String)>,
) -> ApiResult {
    let now = SystemTime::now();
    state
        .sessions
        .with(&req.sdk_id, &session_id, |s| s.delete_media(&media_id, now))?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

async fn agent(State(state): State<AppState>, Extension(req): Extension<Verified>) -> ApiResult {
    let agent = AgentRequest::parse(&req.body)?;
    let now = SystemTime::now();
    state.sessions.with(&req.sdk_id, &agent.session_id, |s| {
        s.complete_by_agent(&agent.client_session_token, agent.capture, now)
    })?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

async fn not_found() -> ApiError {
    ApiError::route_not_found()
}

async fn method_not_allowed() -> ApiError {
    ApiError::method_not_allowed()
}

/// Logs one line per request to stderr: method, path (no query string), status, latency.
async fn log_request(request: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = request.method().clone();
    let path = request.uri().path().to_owned();
    let response = next.run(request).await;
    let millis = started.elapsed().as_secs_f64() * 1000.0;
    eprintln!(
        "{method} {path} {} {millis:.1}ms",
        response.status().as_u16()
    );
    response
}
