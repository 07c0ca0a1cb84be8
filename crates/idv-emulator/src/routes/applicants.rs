//! Handlers of the applicant and pool endpoints (Face Search, applicant face auth), signed
//! like every IDV call and served under both bases. The store and its rules are in
//! [`crate::applicants`]; attaching an applicant to a session is
//! [`Session::attach_applicant`](crate::session::Session::attach_applicant).
//!
//! | endpoint | success |
//! |---|---|
//! | A1 `POST /applicants` (`{face?}`) | 201 applicant |
//! | A2 `POST /applicants/{id}/faces` (`{face}`) | 201 `{id}` |
//! | A3 `GET /applicants/{id}` (also `/applicant/{id}`, as the docs write it) | 200 applicant |
//! | A4 `GET /applicants/{id}/faces/{fid}` (also `/applicant/...`) | 200 `{face: {data, content_type}}` |
//! | A5 `DELETE /applicants/{id}` | 204 |
//! | A6 `DELETE /applicants/{id}/faces/{fid}` | 204 |
//! | P1 `POST /pools` (`{label}`) | 201 `{id, label}` |
//! | P2 `POST /pools/{pid}/applicants` (`{applicant_id}`) | 204 |
//! | P3 `DELETE /pools/{pid}` | 204 |
//! | P4 `DELETE /pools/{pid}/applicants/{id}` | 204 |
//! | S1 `PUT /sessions/{sid}/resources/face-capture/{rid}/applicant` (`{applicant_id}`) | 200, no body |

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::{get, post, put};
use axum::{Extension, Router};
use serde_json::json;

use super::api::{ApiResult, Base, Caller, with_session};
use crate::applicants::{self, FaceImage, FaceInput, Owner};
use crate::error::{ApiError, json_response};
use crate::media::sniff_image;
use crate::state::AppState;

/// The applicant and pool endpoints under `prefix`.
pub(crate) fn routes(prefix: &str) -> Router<AppState> {
    let p = |path: &str| format!("{prefix}{path}");
    let base = Base {
        sandbox: prefix == crate::paths::SANDBOX_PREFIX,
    };
    Router::new()
        .route(&p("/applicants"), post(create_applicant))
        .route(
            &p("/applicants/{applicant_id}"),
            get(get_applicant).delete(delete_applicant),
        )
        .route(&p("/applicant/{applicant_id}"), get(get_applicant))
        .route(&p("/applicants/{applicant_id}/faces"), post(add_face))
        .route(
            &p("/applicants/{applicant_id}/faces/{face_id}"),
            get(get_face).delete(delete_face),
        )
        .route(
            &p("/applicant/{applicant_id}/faces/{face_id}"),
            get(get_face),
        )
        .route(&p("/pools"), post(create_pool))
        .route(&p("/pools/{pool_id}"), axum::routing::delete(delete_pool))
        .route(&p("/pools/{pool_id}/applicants"), post(add_member))
        .route(
            &p("/pools/{pool_id}/applicants/{applicant_id}"),
            axum::routing::delete(remove_member),
        )
        .route(
            &p("/sessions/{session_id}/resources/face-capture/{resource_id}/applicant"),
            put(attach_applicant),
        )
        .route_layer(Extension(base))
}

fn owner(req: &Caller) -> Owner<'_> {
    Owner {
        sdk_id: &req.sdk_id,
        sandbox: req.sandbox,
    }
}

/// The image of a face input: as given, or read from a session of the same application
/// and base (404 `SESSION_NOT_FOUND` / `MEDIA_NOT_FOUND` otherwise), held to the same
/// limits as inline data (a sandbox agent's liveness image may be a little larger).
fn resolve(state: &AppState, req: &Caller, input: FaceInput) -> Result<FaceImage, ApiError> {
    match input {
        FaceInput::Data(image) => Ok(image),
        FaceInput::Source {
            session_id,
            media_id,
        } => {
            let property = "face.source.media_id";
            let (_, data) = with_session(state, req, &session_id, |s, _| {
                s.image_media(&media_id, property)
            })?;
            let kind = sniff_image(property, &data)?;
            Ok(FaceImage { kind, data })
        }
    }
}

async fn create_applicant(State(state): State<AppState>, req: Caller) -> ApiResult {
    let face = applicants::parse_create_applicant(&req.body)?
        .map(|input| resolve(&state, &req, input))
        .transpose()?;
    let view = state
        .applicants
        .create_applicant(owner(&req), face, state.clock.now())?;
    Ok(json_response(StatusCode::CREATED, &view))
}

async fn add_face(
    State(state): State<AppState>,
    req: Caller,
    Path(applicant_id): Path<String>,
) -> ApiResult {
    let input = applicants::parse_add_face(&req.body)?;
    if !state.applicants.has_applicant(owner(&req), &applicant_id) {
        return Err(applicants::applicant_not_found());
    }
    let face = resolve(&state, &req, input)?;
    let id = state
        .applicants
        .add_face(owner(&req), &applicant_id, face, state.clock.now())?;
    Ok(json_response(StatusCode::CREATED, &json!({"id": id})))
}

async fn get_applicant(
    State(state): State<AppState>,
    req: Caller,
    Path(applicant_id): Path<String>,
) -> ApiResult {
    let view = state
        .applicants
        .applicant_view(owner(&req), &applicant_id)?;
    Ok(json_response(StatusCode::OK, &view))
}

async fn get_face(
    State(state): State<AppState>,
    req: Caller,
    Path((applicant_id, face_id)): Path<(String, String)>,
) -> ApiResult {
    let view = state
        .applicants
        .face_view(owner(&req), &applicant_id, &face_id)?;
    Ok(json_response(StatusCode::OK, &view))
}

async fn delete_applicant(
    State(state): State<AppState>,
    req: Caller,
    Path(applicant_id): Path<String>,
) -> ApiResult {
    state
        .applicants
        .delete_applicant(owner(&req), &applicant_id)?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

async fn delete_face(
    State(state): State<AppState>,
    req: Caller,
    Path((applicant_id, face_id)): Path<(String, String)>,
) -> ApiResult {
    state
        .applicants
        .delete_face(owner(&req), &applicant_id, &face_id, state.clock.now())?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

async fn create_pool(State(state): State<AppState>, req: Caller) -> ApiResult {
    let label = applicants::parse_pool(&req.body)?;
    let view = state.applicants.create_pool(owner(&req), label)?;
    Ok(json_response(StatusCode::CREATED, &view))
}

async fn delete_pool(
    State(state): State<AppState>,
    req: Caller,
    Path(pool_id): Path<String>,
) -> ApiResult {
    state.applicants.delete_pool(owner(&req), &pool_id)?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

async fn add_member(
    State(state): State<AppState>,
    req: Caller,
    Path(pool_id): Path<String>,
) -> ApiResult {
    let applicant_id = applicants::parse_applicant_id(&req.body)?;
    state
        .applicants
        .add_member(owner(&req), &pool_id, &applicant_id)?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

async fn remove_member(
    State(state): State<AppState>,
    req: Caller,
    Path((pool_id, applicant_id)): Path<(String, String)>,
) -> ApiResult {
    state
        .applicants
        .remove_member(owner(&req), &pool_id, &applicant_id)?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// S1. The body first (400), then the resource (404) and the session's state (409
/// `SESSION_EXPIRED` / `SESSION_COMPLETED`), then the applicant: 404 `APPLICANT_NOT_FOUND`,
/// or 422 `APPLICANT_HAS_NO_FACE` for one without a face.
async fn attach_applicant(
    State(state): State<AppState>,
    req: Caller,
    Path((session_id, resource_id)): Path<(String, String)>,
) -> ApiResult {
    let applicant_id = applicants::parse_applicant_id(&req.body)?;
    let store = &state.applicants;
    let owner = owner(&req);
    with_session(&state, &req, &session_id, |s, now| {
        s.attach_applicant(
            &resource_id,
            applicant_id,
            |id| match store.faces_of(owner, id) {
                None => Err(applicants::applicant_not_found()),
                Some(faces) if faces.is_empty() => Err(applicants::applicant_has_no_face()),
                Some(_) => Ok(()),
            },
            now,
        )
    })?;
    Ok(StatusCode::OK.into_response())
}
