//! The error body every failing endpoint returns: `{code, message, errors?}`.
//!
//! Messages are fixed texts written here. They never echo tokens, request bodies or query
//! strings back to the caller.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

/// One entry of the `errors` array: which property was wrong and why.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct FieldError {
    pub(crate) property: String,
    pub(crate) message: String,
}

impl FieldError {
    pub(crate) fn new(property: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            property: property.into(),
            message: message.into(),
        }
    }
}

/// An error response of the emulated API.
#[derive(Debug, Clone)]
pub(crate) struct ApiError {
    status: StatusCode,
    code: &'static str,
    message: String,
    errors: Vec<FieldError>,
}

#[derive(Serialize)]
struct ErrorBody<'a> {
    code: &'a str,
    message: &'a str,
    #[serde(skip_serializing_if = "<[FieldError]>::is_empty")]
    errors: &'a [FieldError],
}

impl ApiError {
    pub(crate) fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        Self {
            status,
            code,
            message: message.into(),
            errors: Vec::new(),
        }
    }

    pub(crate) fn with_errors(mut self, errors: Vec<FieldError>) -> Self {
        self.errors = errors;
        self
    }

    /// 400 `MALFORMED_REQUEST`: the request could not be read (query, headers, body syntax).
    pub(crate) fn malformed(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "MALFORMED_REQUEST", message)
    }

    /// 400 `PAYLOAD_VALIDATION`: the body was read but a property is wrong.
    pub(crate) fn validation(errors: Vec<FieldError>) -> Self {
        let message = match errors.first() {
            Some(first) if errors.len() == 1 => {
                format!("Payload validation failed: {}", first.property)
            }
            Some(first) => format!(
                "Payload validation failed: {} and {} more",
                first.property,
                errors.len() - 1
            ),
            None => "Payload validation failed".to_owned(),
        };
        Self::new(StatusCode::BAD_REQUEST, "PAYLOAD_VALIDATION", message).with_errors(errors)
    }

    /// 400 `PAYLOAD_VALIDATION` for one property.
    pub(crate) fn invalid(property: impl Into<String>, message: impl Into<String>) -> Self {
        Self::validation(vec![FieldError::new(property, message)])
    }

    pub(crate) fn unauthorized(message: impl Into<String>) -> Self {
        Self::new(StatusCode::UNAUTHORIZED, "UNAUTHORIZED", message)
    }

    pub(crate) fn bad_token() -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            "BAD_TOKEN",
            "Cannot authorize your request for the session with the given token",
        )
    }

    pub(crate) fn app_not_found() -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            "APPLICATION_NOT_FOUND",
            "No application is registered for this sdkId",
        )
    }

    pub(crate) fn session_not_found() -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            "SESSION_NOT_FOUND",
            "Session not found",
        )
    }

    pub(crate) fn resource_not_found() -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            "RESOURCE_NOT_FOUND",
            "Resource not found in this session",
        )
    }

    pub(crate) fn media_not_found() -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            "MEDIA_NOT_FOUND",
            "Media not found in this session",
        )
    }

    pub(crate) fn route_not_found() -> Self {
        Self::new(StatusCode::NOT_FOUND, "NOT_FOUND", "No such endpoint")
    }

    pub(crate) fn method_not_allowed() -> Self {
        Self::new(
            StatusCode::METHOD_NOT_ALLOWED,
            "METHOD_NOT_ALLOWED",
            "Method not allowed on this endpoint",
        )
    }

    pub(crate) fn conflict(code: &'static str, message: impl Into<String>) -> Self {
        Self::new(StatusCode::CONFLICT, code, message)
    }

    pub(crate) fn session_expired() -> Self {
        Self::conflict("SESSION_EXPIRED", "The session has expired")
    }

    pub(crate) fn payload_too_large(limit: usize) -> Self {
        Self::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "PAYLOAD_TOO_LARGE",
            format!("Request body exceeds the emulator's limit of {limit} bytes"),
        )
    }

    /// 413 for an image over the upload limit, naming the property.
    pub(crate) fn too_large(property: &str, limit: usize) -> Self {
        Self::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "PAYLOAD_TOO_LARGE",
            format!("Image exceeds the emulator's limit of {limit} bytes"),
        )
        .with_errors(vec![FieldError::new(
            property,
            format!("must be at most {limit} bytes"),
        )])
    }

    /// 401 `REPLAYED_NONCE`: this nonce was already used within the replay window.
    pub(crate) fn replayed_nonce() -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            "REPLAYED_NONCE",
            "This nonce has already been used",
        )
    }

    /// 401 `STALE_TIMESTAMP`: the timestamp is outside the accepted skew window.
    pub(crate) fn stale_timestamp() -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            "STALE_TIMESTAMP",
            "The request timestamp is outside the accepted window",
        )
    }

    /// 404 with a code and message of the caller's choosing.
    pub(crate) fn not_found(code: &'static str, message: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, code, message)
    }

    /// 503 `SERVER_BUSY` with `Retry-After: 1`: a server limit (requests in flight, body
    /// memory) is reached for now.
    pub(crate) fn busy() -> Self {
        Self::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "SERVER_BUSY",
            "The emulator is at a limit; retry shortly",
        )
    }

    /// 403 `FORBIDDEN` (the admin API's host, origin and content-type checks).
    pub(crate) fn forbidden(message: impl Into<String>) -> Self {
        Self::new(StatusCode::FORBIDDEN, "FORBIDDEN", message)
    }

    pub(crate) fn code_str(&self) -> &'static str {
        self.code
    }

    pub(crate) fn internal(message: impl Into<String>) -> Self {
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "INTERNAL_SERVER_ERROR",
            message,
        )
    }

    #[cfg(test)]
    pub(crate) fn code(&self) -> &'static str {
        self.code
    }

    #[cfg(test)]
    pub(crate) fn errors(&self) -> &[FieldError] {
        &self.errors
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = ErrorBody {
            code: self.code,
            message: &self.message,
            errors: &self.errors,
        };
        // Serialising plain strings cannot fail; fall back to a fixed body all the same.
        let bytes = serde_json::to_vec(&body).unwrap_or_else(|_| {
            br#"{"code":"INTERNAL_SERVER_ERROR","message":"error body could not be written"}"#
                .to_vec()
        });
        let mut response = (self.status, bytes).into_response();
        response.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        );
        if self.status == StatusCode::SERVICE_UNAVAILABLE && self.code == "SERVER_BUSY" {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
        }
        response
    }
}

/// A `200`/`201` JSON response with `Content-Type: application/json`.
pub(crate) fn json_response(status: StatusCode, body: &impl Serialize) -> Response {
    match serde_json::to_vec(body) {
        Ok(bytes) => {
            let mut response = (status, bytes).into_response();
            response.headers_mut().insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            );
            response
        }
        Err(_) => ApiError::internal("response body could not be written").into_response(),
    }
}
