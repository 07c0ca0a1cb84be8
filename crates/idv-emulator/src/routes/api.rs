//! Handlers of the signed IDV API (served under both the API and the sandbox prefix).

use axum::extract::{FromRequestParts, Path, Query, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use axum::{Extension, Router};
use serde::Deserialize;

use crate::auth::Verified;
use crate::documents;
use crate::error::{ApiError, FieldError, json_response};
use crate::session::{MediaContent, Session, SessionSpec};
use crate::state::{Access, AppState};

pub(crate) type ApiResult = Result<Response, ApiError>;

/// Which base a route is served under (set per router by [`routes`] and the sandbox routes).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Base {
    pub(crate) sandbox: bool,
}

/// The authenticated caller and the base it called through. Refuses an application that is
/// not registered for that base (404 `APPLICATION_NOT_FOUND`, as an unknown sdkId).
#[derive(Debug, Clone)]
pub(crate) struct Caller {
    verified: Verified,
    pub(crate) sandbox: bool,
}

impl std::ops::Deref for Caller {
    type Target = Verified;

    fn deref(&self) -> &Verified {
        &self.verified
    }
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let verified = parts
            .extensions
            .get::<Verified>()
            .cloned()
            .ok_or_else(|| ApiError::internal("the request was not authenticated"))?;
        let sandbox = parts.extensions.get::<Base>().is_some_and(|b| b.sandbox);
        if !state.environments.allows(&verified.sdk_id, sandbox) {
            return Err(ApiError::app_not_found());
        }
        Ok(Self { verified, sandbox })
    }
}

/// The signed endpoints under `prefix`.
pub(crate) fn routes(prefix: &str) -> Router<AppState> {
    let p = |path: &str| format!("{prefix}{path}");
    let base = Base {
        sandbox: prefix == crate::paths::SANDBOX_PREFIX,
    };
    Router::new()
        .route(&p("/sessions"), post(create_session))
        .route(
            &p("/sessions/{session_id}"),
            get(get_session).delete(delete_session),
        )
        .route(
            &p("/sessions/{session_id}/configuration"),
            get(get_configuration),
        )
        .route(
            &p("/sessions/{session_id}/resources/face-capture"),
            post(create_face_capture),
        )
        .route(
            &p("/sessions/{session_id}/resources/face-capture/{resource_id}/image"),
            put(upload_face_capture_image),
        )
        .route(
            &p("/sessions/{session_id}/media/{media_id}/content"),
            get(get_media_content).delete(delete_media_content),
        )
        .route(
            &p("/sessions/{session_id}/tracked-devices"),
            get(get_tracked_devices).delete(delete_tracked_devices),
        )
        .route(&p("/supported-documents"), get(supported_documents))
        .route(
            &p("/sessions/{session_id}/instructions"),
            put(put_instructions).get(get_instructions),
        )
        .route(
            &p("/sessions/{session_id}/instructions/pdf"),
            get(get_instructions_pdf),
        )
        .route(
            &p("/sessions/{session_id}/instructions/contact-profile"),
            get(get_contact_profile),
        )
        .route(
            &p("/sessions/{session_id}/instructions/email"),
            post(email_instructions),
        )
        .route_layer(Extension(base))
}

/// Runs `f` on a session of the signing application created through the same base: a
/// session of the other base is 404 `SESSION_NOT_FOUND`, like a missing one.
pub(crate) fn with_session<R>(
    state: &AppState,
    req: &Caller,
    session_id: &str,
    f: impl FnOnce(&mut Session, std::time::SystemTime) -> Result<R, ApiError>,
) -> Result<R, ApiError> {
    let now = state.clock.now();
    state.sessions.with(
        Access::App(&req.sdk_id),
        session_id,
        now,
        &state.notifier,
        |s| {
            if s.sandbox != req.sandbox {
                return Err(ApiError::session_not_found());
            }
            f(s, now)
        },
    )
}

fn empty(status: StatusCode) -> Response {
    status.into_response()
}

async fn create_session(State(state): State<AppState>, req: Caller) -> ApiResult {
    let now = state.clock.now();
    let spec = SessionSpec::parse(&req.body, now, state.notifier.allows_plain_http())?;
    // A FAMILIAR_FACE_SEARCH names a pool of this application (and base).
    let owner = crate::applicants::Owner {
        sdk_id: &req.sdk_id,
        sandbox: req.sandbox,
    };
    let unknown_pools: Vec<FieldError> = spec
        .requested_checks
        .iter()
        .enumerate()
        .filter(|(_, c)| c.kind == "FAMILIAR_FACE_SEARCH")
        .filter_map(|(i, c)| {
            let pool_id = c.config.get("pool_id").and_then(|p| p.as_str())?;
            (!state.applicants.has_pool(owner, pool_id)).then(|| {
                FieldError::new(
                    format!("requested_checks[{i}].config.pool_id"),
                    "names no pool of this application",
                )
            })
        })
        .collect();
    if !unknown_pools.is_empty() {
        return Err(ApiError::validation(unknown_pools));
    }
    let mut session = Session::create(&req.sdk_id, spec, now)?;
    session.sandbox = req.sandbox;
    let response = json_response(StatusCode::CREATED, &session.created_view());
    state.sessions.insert(session);
    Ok(response)
}

async fn get_session(
    State(state): State<AppState>,
    req: Caller,
    Path(session_id): Path<String>,
) -> ApiResult {
    with_session(&state, &req, &session_id, |s, now| {
        Ok(json_response(StatusCode::OK, &s.session_view(now)))
    })
}

async fn delete_session(
    State(state): State<AppState>,
    req: Caller,
    Path(session_id): Path<String>,
) -> ApiResult {
    // The base and the state first (409 until completed), then the deletion.
    with_session(&state, &req, &session_id, |s, now| s.ensure_deletable(now))?;
    state
        .sessions
        .delete(&req.sdk_id, &session_id, state.clock.now(), &state.notifier)?;
    Ok(empty(StatusCode::NO_CONTENT))
}

async fn get_configuration(
    State(state): State<AppState>,
    req: Caller,
    Path(session_id): Path<String>,
) -> ApiResult {
    with_session(&state, &req, &session_id, |s, now| {
        Ok(json_response(StatusCode::OK, &s.configuration_view(now)))
    })
}

async fn create_face_capture(
    State(state): State<AppState>,
    req: Caller,
    Path(session_id): Path<String>,
) -> ApiResult {
    let body = with_session(&state, &req, &session_id, |s, now| {
        s.create_face_capture(&req.body, now)
    })?;
    Ok(json_response(StatusCode::CREATED, &body))
}

async fn upload_face_capture_image(
    State(state): State<AppState>,
    req: Caller,
    Path((session_id, resource_id)): Path<(String, String)>,
    headers: HeaderMap,
) -> ApiResult {
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok());
    with_session(&state, &req, &session_id, |s, now| {
        s.upload_face_capture_image(&resource_id, content_type, &req.body, now)
    })?;
    Ok(empty(StatusCode::NO_CONTENT))
}

async fn get_media_content(
    State(state): State<AppState>,
    req: Caller,
    Path((session_id, media_id)): Path<(String, String)>,
) -> ApiResult {
    let content = with_session(&state, &req, &session_id, |s, _| s.media_content(&media_id))?;
    Ok(match content {
        MediaContent::Content(content_type, bytes) => {
            let mut response = (StatusCode::OK, bytes).into_response();
            response
                .headers_mut()
                .insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
            response
        }
        MediaContent::NoContent => empty(StatusCode::NO_CONTENT),
    })
}

async fn delete_media_content(
    State(state): State<AppState>,
    req: Caller,
    Path((session_id, media_id)): Path<(String, String)>,
) -> ApiResult {
    with_session(&state, &req, &session_id, |s, now| {
        s.delete_media(&media_id, now)
    })?;
    Ok(empty(StatusCode::NO_CONTENT))
}

async fn get_tracked_devices(
    State(state): State<AppState>,
    req: Caller,
    Path(session_id): Path<String>,
) -> ApiResult {
    with_session(&state, &req, &session_id, |s, _| {
        Ok(json_response(StatusCode::OK, &s.tracked_devices_view()))
    })
}

async fn delete_tracked_devices(
    State(state): State<AppState>,
    req: Caller,
    Path(session_id): Path<String>,
) -> ApiResult {
    with_session(&state, &req, &session_id, |s, _| {
        s.tracked.clear();
        Ok(())
    })?;
    Ok(empty(StatusCode::NO_CONTENT))
}

#[derive(Deserialize)]
struct SupportedDocumentsQuery {
    #[serde(rename = "includeNonLatin")]
    include_non_latin: Option<String>,
}

async fn supported_documents(Query(q): Query<SupportedDocumentsQuery>) -> ApiResult {
    let include = matches!(
        q.include_non_latin.as_deref(),
        Some("true" | "1" | "TRUE" | "True")
    );
    Ok(json_response(
        StatusCode::OK,
        &documents::supported_documents(include),
    ))
}

async fn put_instructions(
    State(state): State<AppState>,
    req: Caller,
    Path(session_id): Path<String>,
) -> ApiResult {
    with_session(&state, &req, &session_id, |s, _| {
        s.put_instructions(&req.body)
    })?;
    Ok(empty(StatusCode::OK))
}

async fn get_instructions(
    State(state): State<AppState>,
    req: Caller,
    Path(session_id): Path<String>,
) -> ApiResult {
    let view = with_session(&state, &req, &session_id, |s, _| s.instructions_view())?;
    Ok(json_response(StatusCode::OK, &view))
}

async fn get_instructions_pdf(
    State(state): State<AppState>,
    req: Caller,
    Path(session_id): Path<String>,
) -> ApiResult {
    let pdf = with_session(&state, &req, &session_id, |s, _| Ok(s.instructions_pdf()))?;
    Ok(match pdf {
        Some(bytes) => {
            let mut response = (StatusCode::OK, bytes).into_response();
            response.headers_mut().insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/pdf"),
            );
            response
        }
        None => empty(StatusCode::NO_CONTENT),
    })
}

async fn get_contact_profile(
    State(state): State<AppState>,
    req: Caller,
    Path(session_id): Path<String>,
) -> ApiResult {
    let view = with_session(&state, &req, &session_id, |s, _| s.contact_profile())?;
    Ok(json_response(StatusCode::OK, &view))
}

async fn email_instructions(
    State(state): State<AppState>,
    req: Caller,
    Path(session_id): Path<String>,
) -> ApiResult {
    with_session(&state, &req, &session_id, |s, _| s.email_instructions())?;
    Ok(empty(StatusCode::OK))
}
