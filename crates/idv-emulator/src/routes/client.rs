//! The hosted capture page and the client API it talks to.
//!
//! The page, `GET {base}/web/index.html?sessionID=..&sessionToken=..`, is plain HTML and
//! JavaScript with no external assets. The server checks the session id and token before
//! serving it: a missing id or token, an unknown session, a wrong token, a token already
//! used up, or an expired session gets an error page (client error codes 2003/2004, 2001,
//! 2000, 2002) and no session data.
//!
//! The client API is authenticated with the client session token in `X-Yoti-Auth-Token`, as
//! Yoti's client API is (400 `MALFORMED_REQUEST` without it, 401 `BAD_TOKEN` when it is
//! wrong or no longer valid, 409 `SESSION_EXPIRED`):
//!
//! | method and path (under `{base}/client/sessions/{id}`) | what it does |
//! |---|---|
//! | `GET /configuration` | what the page needs: end-user requirements, consent, colours, URLs |
//! | `POST /consent` | records biometric consent |
//! | `PUT /liveness` | the selfie: a JPEG or PNG body (at most 10 MiB) |
//! | `PUT /documents/{requirement_id}?issuing_country=&document_type=` | a document photo |
//! | `POST /complete` | completes the capture; answers `{"redirect_url": success_url}` (null without one) |

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post, put};
use serde::Deserialize;
use serde_json::{Value, json};

use super::api::ApiResult;
use crate::error::{ApiError, FieldError, json_response};
use crate::limits::{BodyPermit, declared_length};
use crate::media::{ImageType, MAX_IMAGE_BYTES};
use crate::sandbox::SuppliedDocument;
use crate::session::capture::check_image;
use crate::session::{Device, RequirementKind, Session};
use crate::state::{Access, AppState};

const PAGE: &str = include_str!("../../assets/hosted.html");

/// The hosted page and client API under `prefix`.
pub(crate) fn routes(prefix: &str) -> Router<AppState> {
    let c = |path: &str| format!("{prefix}/client/sessions/{{session_id}}{path}");
    Router::new()
        .route(&format!("{prefix}/web/index.html"), get(index))
        .route(&c("/configuration"), get(configuration))
        .route(&c("/consent"), post(consent))
        .route(&c("/liveness"), put(liveness))
        .route(&c("/documents/{requirement_id}"), put(document))
        .route(&c("/complete"), post(complete))
}

#[derive(Deserialize)]
struct PageQuery {
    #[serde(rename = "sessionID")]
    session_id: Option<String>,
    #[serde(rename = "sessionToken")]
    session_token: Option<String>,
}

fn error_page(status: StatusCode, code: u16, text: &str) -> Response {
    let html = format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Verification unavailable</title>\
<style>body{{font:16px system-ui,sans-serif;color:#1b2733;background:#f4f7fa}}main{{max-width:520px;margin:64px auto;background:#fff;border:1px solid #dde3ea;border-radius:12px;padding:24px}}</style>\
</head><body><main><h1>We can't continue</h1><p>{text}</p><p id=\"error-code\">Error {code}</p></main>\
<script>if(window.parent!==window){{window.parent.postMessage({{eventType:\"ERROR\",eventCode:{code}}},\"*\");}}</script></body></html>"
    );
    let mut response = (status, Html(html)).into_response();
    no_store(&mut response);
    response
}

fn no_store(response: &mut Response) {
    let headers = response.headers_mut();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
}

async fn index(
    State(state): State<AppState>,
    Query(q): Query<PageQuery>,
    headers: HeaderMap,
) -> Response {
    let Some(session_id) = q.session_id.filter(|s| !s.is_empty()) else {
        return error_page(
            StatusCode::BAD_REQUEST,
            2004,
            "This link has no session ID.",
        );
    };
    let Some(token) = q.session_token.filter(|s| !s.is_empty()) else {
        return error_page(
            StatusCode::BAD_REQUEST,
            2003,
            "This link has no session token.",
        );
    };
    let now = state.clock.now();
    let device = Device::from_headers(&headers);
    let result = state.sessions.with(
        Access::Token(&token),
        &session_id,
        now,
        &state.notifier,
        |s| {
            if !s.config_loaded {
                s.config_loaded = true;
                s.track("CONFIG_FIRST_LOADED", None, device, now);
            }
            Ok(())
        },
    );
    match result {
        Ok(()) => {
            let mut response = Html(PAGE).into_response();
            no_store(&mut response);
            response
        }
        Err(e) => match e.code_str() {
            "SESSION_NOT_FOUND" => error_page(
                StatusCode::NOT_FOUND,
                2001,
                "This verification session does not exist.",
            ),
            "SESSION_EXPIRED" => error_page(
                StatusCode::GONE,
                2002,
                "This verification session has expired. Please start again.",
            ),
            _ => error_page(
                StatusCode::UNAUTHORIZED,
                2000,
                "This link is not valid, or has already been used.",
            ),
        },
    }
}

/// Runs `f` on the session named in the path, authenticated by `X-Yoti-Auth-Token`.
fn with_client<R>(
    state: &AppState,
    headers: &HeaderMap,
    session_id: &str,
    f: impl FnOnce(&mut Session, std::time::SystemTime) -> Result<R, ApiError>,
) -> Result<R, ApiError> {
    let token = headers
        .get("x-yoti-auth-token")
        .and_then(|v| v.to_str().ok())
        .filter(|t| !t.is_empty())
        .ok_or_else(|| {
            ApiError::malformed("Missing X-Yoti-Auth-Token header").with_errors(vec![
                FieldError::new("header.X-Yoti-Auth-Token", "must not be null or empty"),
            ])
        })?;
    let now = state.clock.now();
    state.sessions.with(
        Access::Token(token),
        session_id,
        now,
        &state.notifier,
        |s| f(s, now),
    )
}

/// The uploaded image of a client request: at most [`MAX_IMAGE_BYTES`], JPEG or PNG as its
/// bytes and `Content-Type` say.
///
/// The client session token and the declared length are checked from the request head
/// first: a request without a valid token, or declaring more than the cap, is refused
/// before a byte of its body is read.
async fn read_image(
    state: &AppState,
    headers: &HeaderMap,
    session_id: &str,
    body: Body,
) -> Result<(ImageType, Bytes, BodyPermit), ApiError> {
    with_client(state, headers, session_id, |s, now| s.ensure_open(now))?;
    let too_large = || ApiError::too_large("body", MAX_IMAGE_BYTES);
    let declared = declared_length(headers, MAX_IMAGE_BYTES, too_large)?;
    let (bytes, permit) = state
        .gates
        .read_body(body, declared, MAX_IMAGE_BYTES, too_large)
        .await?;
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok());
    let kind = check_image("body", content_type, &bytes)?;
    Ok((kind, bytes, permit))
}

fn string(value: Option<&Value>) -> Option<String> {
    value.and_then(Value::as_str).map(str::to_owned)
}

async fn configuration(
    State(state): State<AppState>,
    Path(session_id): Path<String>,
    headers: HeaderMap,
) -> ApiResult {
    let view = with_client(&state, &headers, &session_id, |s, now| {
        let full = s.configuration_view(now);
        let requirements: Vec<Value> = full["capture"]["required_resources"]
            .as_array()
            .map(|all| {
                all.iter()
                    .filter(|r| r["type"] != "FACE_CAPTURE")
                    .cloned()
                    .collect()
            })
            .unwrap_or_default();
        let sdk = &s.spec.sdk_config;
        Ok(json!({
            "session_id": s.id,
            "client_session_token_ttl": s.remaining_ttl(now),
            "biometric_consent": full["capture"]["biometric_consent"],
            "requirements": requirements,
            "allowed_capture_methods": string(sdk.get("allowed_capture_methods")),
            "primary_colour": string(sdk.get("primary_colour")),
            "locale": string(sdk.get("locale")),
            "success_url": string(sdk.get("success_url")),
            "error_url": string(sdk.get("error_url")),
        }))
    })?;
    Ok(json_response(StatusCode::OK, &view))
}

async fn consent(
    State(state): State<AppState>,
    Path(session_id): Path<String>,
    headers: HeaderMap,
) -> ApiResult {
    with_client(&state, &headers, &session_id, |s, now| {
        s.give_consent(now);
        Ok(())
    })?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

async fn liveness(
    State(state): State<AppState>,
    Path(session_id): Path<String>,
    headers: HeaderMap,
    body: Body,
) -> ApiResult {
    let (kind, bytes, _permit) = read_image(&state, &headers, &session_id, body).await?;
    let device = Device::from_headers(&headers);
    let id = with_client(&state, &headers, &session_id, |s, now| {
        s.ensure_open(now)?;
        if !s.liveness.is_empty()
            && s.requirements
                .iter()
                .all(|r| !matches!(r.kind, RequirementKind::Liveness(_)) || r.complete)
        {
            return Err(ApiError::conflict(
                "ALREADY_CAPTURED",
                "The liveness capture is already done",
            ));
        }
        s.add_liveness((kind, bytes), device, now)
    })?;
    Ok(json_response(StatusCode::CREATED, &json!({"id": id})))
}

#[derive(Deserialize)]
struct DocumentQuery {
    issuing_country: Option<String>,
    document_type: Option<String>,
}

async fn document(
    State(state): State<AppState>,
    Path((session_id, requirement_id)): Path<(String, String)>,
    Query(q): Query<DocumentQuery>,
    headers: HeaderMap,
    body: Body,
) -> ApiResult {
    let (kind, bytes, _permit) = read_image(&state, &headers, &session_id, body).await?;
    let mut errors = Vec::new();
    if q.issuing_country.as_deref().is_none_or(str::is_empty) {
        errors.push(FieldError::new(
            "query.issuing_country",
            "must not be null or empty",
        ));
    }
    if q.document_type.as_deref().is_none_or(str::is_empty) {
        errors.push(FieldError::new(
            "query.document_type",
            "must not be null or empty",
        ));
    }
    if !errors.is_empty() {
        return Err(ApiError::validation(errors));
    }
    let doc = SuppliedDocument {
        issuing_country: q.issuing_country.unwrap_or_default(),
        document_type: q.document_type.unwrap_or_default(),
        capture_method: "UPLOAD".to_owned(),
    };
    let device = Device::from_headers(&headers);
    let id = with_client(&state, &headers, &session_id, |s, now| {
        s.ensure_open(now)?;
        if s.requirements
            .iter()
            .any(|r| r.id == requirement_id && r.complete)
        {
            return Err(ApiError::conflict(
                "ALREADY_CAPTURED",
                "This document is already captured",
            ));
        }
        s.add_document(&requirement_id, doc, (kind, bytes), "query", device, now)
    })?;
    Ok(json_response(StatusCode::CREATED, &json!({"id": id})))
}

async fn complete(
    State(state): State<AppState>,
    Path(session_id): Path<String>,
    headers: HeaderMap,
) -> ApiResult {
    // The application's response config, looked up under the session's own application.
    let sdk_id = with_client(&state, &headers, &session_id, |s, _| Ok(s.sdk_id.clone()))?;
    let app_config = state.app_config(&sdk_id);
    let redirect = with_client(&state, &headers, &session_id, |s, now| {
        s.ensure_open(now)?;
        let missing = s.missing_requirements();
        if !missing.is_empty() {
            return Err(ApiError::validation(missing));
        }
        s.finish_capture(app_config.as_ref(), &state.applicants, now)?;
        Ok(string(s.spec.sdk_config.get("success_url")))
    })?;
    Ok(json_response(
        StatusCode::OK,
        &json!({"redirect_url": redirect}),
    ))
}
