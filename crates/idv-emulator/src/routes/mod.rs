//! The HTTP routes: the signed API and sandbox API ([`api`], [`sandbox`]), applicants and
//! pools ([`applicants`]), the hosted page
//! and its client API ([`client`]), the optional admin API, fault injection and the
//! request log.

pub(crate) mod api;
pub(crate) mod applicants;
pub(crate) mod client;
pub(crate) mod sandbox;

use std::time::Instant;

use axum::Router;
use axum::extract::Request;
use axum::middleware::{self, Next};
use axum::response::Response;

use crate::auth;
use crate::error::ApiError;
use crate::paths::{API_PREFIX, SANDBOX_PREFIX};
use crate::state::AppState;

/// Builds the whole application.
pub(crate) fn router(state: AppState, log_requests: bool) -> Router {
    let token_path = std::sync::Arc::<str>::from(state.tokens.path.as_str());
    let signed = api::routes(API_PREFIX)
        .merge(api::routes(SANDBOX_PREFIX))
        .merge(applicants::routes(API_PREFIX))
        .merge(applicants::routes(SANDBOX_PREFIX))
        .merge(sandbox::routes(SANDBOX_PREFIX))
        .route_layer(middleware::from_fn_with_state(
            state.clone(),
            auth::authenticate,
        ));
    let token = Router::new()
        .route(&state.tokens.path, axum::routing::post(token_endpoint))
        .layer(axum::extract::DefaultBodyLimit::max(
            crate::tokens::TOKEN_BODY_CAP,
        ));
    let mut app = signed
        .merge(token)
        .merge(client::routes(API_PREFIX))
        .merge(client::routes(SANDBOX_PREFIX));
    if state.admin {
        app = app.merge(crate::admin::routes(&state));
    }
    let app = app
        .method_not_allowed_fallback(method_not_allowed)
        .fallback(not_found)
        .layer(middleware::from_fn_with_state(
            state.clone(),
            crate::inject::apply,
        ))
        .with_state(state);
    if log_requests {
        app.layer(middleware::from_fn_with_state(token_path, log_request))
    } else {
        app
    }
}

async fn not_found() -> ApiError {
    ApiError::route_not_found()
}

async fn method_not_allowed() -> ApiError {
    ApiError::method_not_allowed()
}

/// Logs one line per request to stderr: method, path (no query string), status, latency, and
/// how the request authenticated (`auth=bearer`, `auth=signed`, `auth=assertion` for the
/// token endpoint or `auth=none`, from the
/// presence of the headers; never their values). Paths carry session and media ids (random,
/// not secrets), never tokens.
async fn log_request(
    axum::extract::State(token_path): axum::extract::State<std::sync::Arc<str>>,
    request: Request,
    next: Next,
) -> Response {
    let headers = request.headers();
    let auth = if request.uri().path() == &*token_path {
        "assertion"
    } else if headers.contains_key(axum::http::header::AUTHORIZATION) {
        "bearer"
    } else if headers.contains_key("x-yoti-auth-digest") {
        "signed"
    } else {
        "none"
    };
    let started = Instant::now();
    let method = request.method().clone();
    let path = request.uri().path().to_owned();
    let response = next.run(request).await;
    let millis = started.elapsed().as_secs_f64() * 1000.0;
    eprintln!(
        "{method} {path} {} {millis:.1}ms auth={auth}",
        response.status().as_u16()
    );
    response
}

/// The token endpoint (bearer-token auth): the state's parts handed to the pure
/// [`crate::tokens::token_response`], so `tokens` never reaches back into the state.
async fn token_endpoint(
    axum::extract::State(state): axum::extract::State<AppState>,
    headers: axum::http::HeaderMap,
    body: axum::body::Bytes,
) -> axum::response::Response {
    let now = state.clock.request_now();
    crate::tokens::token_response(
        &state.tokens,
        &state.apps,
        state.local_addr,
        now,
        &headers,
        &body,
    )
}
