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
    let signed = api::routes(API_PREFIX)
        .merge(api::routes(SANDBOX_PREFIX))
        .merge(applicants::routes(API_PREFIX))
        .merge(applicants::routes(SANDBOX_PREFIX))
        .merge(sandbox::routes(SANDBOX_PREFIX))
        .route_layer(middleware::from_fn_with_state(
            state.clone(),
            auth::authenticate,
        ));
    let mut app = signed
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
        app.layer(middleware::from_fn(log_request))
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

/// Logs one line per request to stderr: method, path (no query string), status, latency.
/// Paths carry session and media ids (random, not secrets), never tokens.
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
