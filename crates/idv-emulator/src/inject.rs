//! The middleware that applies the injected faults ([`crate::fault`]) to requests: outermost,
//! before authentication; admin routes are never faulted.

use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde_json::json;

use crate::conn::ConnHandle;
use crate::fault::FaultAction;
use crate::paths::ADMIN_PREFIX;
use crate::state::AppState;

/// Body of an injected malformed JSON answer.
const MALFORMED_JSON: &[u8] = b"{\"session_id\": \"idv-emulator-injected-fault\", \"state\": ";

/// Middleware applying the faults (outermost, before authentication).
pub(crate) async fn apply(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let path = request.uri().path();
    if path.starts_with(ADMIN_PREFIX) {
        return next.run(request).await;
    }
    let Some(action) = state.faults.take(request.method().as_str(), path) else {
        return next.run(request).await;
    };
    match action {
        FaultAction::Status {
            status,
            retry_after,
        } => {
            let status = StatusCode::from_u16(status).unwrap_or(StatusCode::SERVICE_UNAVAILABLE);
            let body =
                json!({"code": "INJECTED_FAULT", "message": "Fault injected by the emulator"});
            let mut response = (status, body.to_string()).into_response();
            response.headers_mut().insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            );
            if let Some(secs) = retry_after
                && let Ok(value) = HeaderValue::from_str(&secs.to_string())
            {
                response.headers_mut().insert(header::RETRY_AFTER, value);
            }
            response
        }
        FaultAction::Delay(by) => {
            tokio::time::sleep(by).await;
            next.run(request).await
        }
        FaultAction::Reset => {
            if let Some(ConnectInfo(conn)) = request.extensions().get::<ConnectInfo<ConnHandle>>() {
                conn.reset();
            }
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
        FaultAction::TruncateBody => {
            let response = next.run(request).await;
            let (mut parts, body) = response.into_parts();
            let bytes = axum::body::to_bytes(body, usize::MAX)
                .await
                .unwrap_or_default();
            let half = bytes.slice(..bytes.len() / 2);
            parts.headers.insert(
                header::CONTENT_LENGTH,
                HeaderValue::from(bytes.len().max(1)),
            );
            let stream = truncated_stream(half);
            Response::from_parts(parts, Body::from_stream(stream))
        }
        FaultAction::MalformedJson => {
            let response = next.run(request).await;
            let (mut parts, _) = response.into_parts();
            parts.headers.insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            );
            parts.headers.insert(
                header::CONTENT_LENGTH,
                HeaderValue::from(MALFORMED_JSON.len()),
            );
            if parts.status == StatusCode::NO_CONTENT {
                parts.status = StatusCode::OK;
            }
            Response::from_parts(parts, Body::from(MALFORMED_JSON))
        }
    }
}

/// A body stream that yields `first`, waits a moment (so the server flushes what it has),
/// then fails, so the connection is cut mid-body.
fn truncated_stream(
    first: Bytes,
) -> impl futures_util::Stream<Item = Result<Bytes, std::io::Error>> + Send {
    use futures_util::StreamExt as _;
    futures_util::stream::iter([Ok(first)]).chain(futures_util::stream::once(async {
        tokio::time::sleep(Duration::from_millis(50)).await;
        Err(std::io::Error::from(std::io::ErrorKind::UnexpectedEof))
    }))
}
