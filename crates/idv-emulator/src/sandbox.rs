//! The sandbox API (`/sandbox/idverify/v1`): the `agent` call that completes a session
//! without the hosted user interface.

use axum::body::Bytes;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use serde_json::Value;

use crate::error::{ApiError, FieldError};
use crate::media::ImageType;
use crate::session::AgentCapture;

/// The parsed body of `POST /sandbox/idverify/v1/agent`.
#[derive(Debug, Clone)]
pub(crate) struct AgentRequest {
    pub(crate) session_id: String,
    pub(crate) client_session_token: String,
    pub(crate) capture: AgentCapture,
}

impl AgentRequest {
    /// Parses `{session_id, client_session_token, resources?, liveness_image?}`.
    ///
    /// `resources` (Yoti's id/supplementary document list) is accepted and ignored: documents
    /// are not emulated yet. `liveness_image` is this emulator's extension: standard base64
    /// of a JPEG or PNG to use as the liveness capture.
    pub(crate) fn parse(body: &[u8]) -> Result<Self, ApiError> {
        if body.is_empty() {
            return Err(ApiError::malformed(
                "Request body must be a JSON object with session_id and client_session_token",
            ));
        }
        let value: Value = serde_json::from_slice(body)
            .map_err(|_| ApiError::malformed("Request body is not valid JSON"))?;
        let Value::Object(obj) = value else {
            return Err(ApiError::malformed("Request body must be a JSON object"));
        };
        let mut errors = Vec::new();
        let mut required_string = |name: &str| match obj.get(name) {
            Some(Value::String(s)) if !s.is_empty() => s.clone(),
            Some(Value::String(_)) | None | Some(Value::Null) => {
                errors.push(FieldError::new(name, "must not be null or empty"));
                String::new()
            }
            Some(_) => {
                errors.push(FieldError::new(name, "must be a string"));
                String::new()
            }
        };
        let session_id = required_string("session_id");
        let client_session_token = required_string("client_session_token");

        match obj.get("resources") {
            None | Some(Value::Null) | Some(Value::Object(_)) => {}
            Some(_) => errors.push(FieldError::new("resources", "must be an object")),
        }

        let liveness_image = match obj.get("liveness_image") {
            None | Some(Value::Null) => None,
            Some(Value::String(b64)) => match STANDARD.decode(b64.trim()) {
                Ok(bytes) => match ImageType::sniff(&bytes) {
                    Some(kind) => Some((kind, Bytes::from(bytes))),
                    None => {
                        errors.push(FieldError::new(
                            "liveness_image",
                            "must be a JPEG or PNG image",
                        ));
                        None
                    }
                },
                Err(_) => {
                    errors.push(FieldError::new(
                        "liveness_image",
                        "must be standard base64 with padding",
                    ));
                    None
                }
            },
            Some(_) => {
                errors.push(FieldError::new("liveness_image", "must be a string"));
                None
            }
        };

        if !errors.is_empty() {
            return Err(ApiError::validation(errors));
        }
        Ok(Self {
            session_id,
            client_session_token,
            capture: AgentCapture { liveness_image },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::media::DEFAULT_LIVENESS_JPEG;

    #[test]
    fn parses_minimal_and_image() {
        let r = AgentRequest::parse(
            br#"{"session_id":"s","client_session_token":"t","resources":{"id_documents":[]}}"#,
        )
        .expect("minimal");
        assert_eq!(r.session_id, "s");
        assert_eq!(r.client_session_token, "t");
        assert!(r.capture.liveness_image.is_none());

        let b64 = STANDARD.encode(DEFAULT_LIVENESS_JPEG);
        let body =
            format!(r#"{{"session_id":"s","client_session_token":"t","liveness_image":"{b64}"}}"#);
        let r = AgentRequest::parse(body.as_bytes()).expect("image");
        let (kind, bytes) = r.capture.liveness_image.expect("image");
        assert_eq!(kind, ImageType::Jpeg);
        assert_eq!(&bytes[..], DEFAULT_LIVENESS_JPEG);
    }

    #[test]
    fn reports_bad_properties() {
        let err = AgentRequest::parse(br#"{"session_id":5,"liveness_image":"!!","resources":[]}"#)
            .expect_err("bad");
        let props: Vec<_> = err.errors().iter().map(|e| e.property.as_str()).collect();
        assert_eq!(
            props,
            [
                "session_id",
                "client_session_token",
                "resources",
                "liveness_image"
            ]
        );
        let err = AgentRequest::parse(
            br#"{"session_id":"s","client_session_token":"t","liveness_image":"R0lGODlh"}"#,
        )
        .expect_err("gif");
        assert_eq!(err.errors()[0].property, "liveness_image");
        assert_eq!(
            AgentRequest::parse(b"").expect_err("empty").code(),
            "MALFORMED_REQUEST"
        );
    }
}
