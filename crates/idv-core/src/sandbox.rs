//! Operations of Yoti's sandbox IDV API (`https://api.yoti.com/sandbox/idverify/v1`), which
//! the `idv-emulator` serves too. They script what the end user and the checks do, so a
//! whole session can run without a browser.

use http::Method;

use idv_model::sandbox::{SandboxAgentPayload, SandboxAgentResources};
use idv_model::{ClientSessionToken, SessionId};

use crate::error::{Error, InvalidInputError};
use crate::operation::{Operation, expect_empty};
use crate::request::{ApiRequest, Body};

/// `POST /agent`: plays the end user of a session (populates the captured media) and
/// completes it, as Yoti's sandbox does. The body is a [`SandboxAgentPayload`], with the
/// documents the agent presents when `resources` is set (they should match the session's
/// document filters). The service answers 204.
#[derive(Clone, Copy)]
pub struct CompleteSessionAsAgent<'a> {
    /// The session id.
    pub session_id: &'a SessionId,
    /// The session's client session token.
    pub client_session_token: &'a ClientSessionToken,
    /// The documents the agent presents (`resources`): ID documents and supplementary
    /// documents with their issuing country, type and capture method. `None` sends no
    /// `resources`, and the service picks documents the session accepts.
    pub resources: Option<&'a SandboxAgentResources>,
}

impl std::fmt::Debug for CompleteSessionAsAgent<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CompleteSessionAsAgent")
            .field("session_id", &self.session_id)
            .field("resources", &self.resources)
            .finish_non_exhaustive()
    }
}

impl Operation for CompleteSessionAsAgent<'_> {
    type Output = ();
    const NAME: &'static str = "sandbox_complete_session_as_agent";
    const PATH_TEMPLATE: &'static str = "/agent";

    fn is_idempotent(&self) -> bool {
        false
    }

    fn request(&self) -> Result<ApiRequest, Error> {
        if self.session_id.is_empty() {
            return Err(InvalidInputError::new("session_id", "must not be empty").into());
        }
        let mut payload =
            SandboxAgentPayload::new(self.session_id, self.client_session_token.clone());
        if let Some(resources) = self.resources {
            payload = payload.with_resources(resources.clone());
        }
        let body = serde_json::to_vec(&payload)
            .map_err(|_| InvalidInputError::new("body", "could not be serialised"))?;
        Ok(ApiRequest::new(Method::POST, "/agent".to_owned()).with_body(Body::json(body)))
    }

    fn parse(&self, response: http::Response<Vec<u8>>) -> Result<Self::Output, Error> {
        expect_empty(response)
    }
}

/// `POST /agent` with a full [`SandboxAgentPayload`]: the documents the agent presents and,
/// on `idv-emulator`, the face it shows for the liveness capture (`liveness_image`, an
/// emulator extension that Yoti's sandbox ignores). Answers 204.
///
/// `Debug` shows the payload's `Debug`: the token and the image are redacted.
#[derive(Debug, Clone, Copy)]
pub struct CompleteSessionAsAgentWith<'a> {
    /// The agent's payload.
    pub payload: &'a SandboxAgentPayload,
}

impl Operation for CompleteSessionAsAgentWith<'_> {
    type Output = ();
    const NAME: &'static str = "sandbox_complete_session_as_agent";
    const PATH_TEMPLATE: &'static str = "/agent";

    fn is_idempotent(&self) -> bool {
        false
    }

    fn request(&self) -> Result<ApiRequest, Error> {
        if self.payload.session_id.is_empty() {
            return Err(InvalidInputError::new("session_id", "must not be empty").into());
        }
        if self
            .payload
            .liveness_image
            .as_ref()
            .is_some_and(|i| i.is_empty())
        {
            return Err(InvalidInputError::new("liveness_image", "must not be empty").into());
        }
        let body = serde_json::to_vec(self.payload)
            .map_err(|_| InvalidInputError::new("body", "could not be serialised"))?;
        Ok(ApiRequest::new(Method::POST, "/agent".to_owned()).with_body(Body::json(body)))
    }

    fn parse(&self, response: http::Response<Vec<u8>>) -> Result<Self::Output, Error> {
        expect_empty(response)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_full_payload_carries_the_liveness_image_and_hides_it() {
        let payload = SandboxAgentPayload::new("s1", ClientSessionToken::new("tok-secret"))
            .with_liveness_image(idv_model::FaceImageData::new(vec![0xFF, 0xD8, 0xFF]));
        let op = CompleteSessionAsAgentWith { payload: &payload };
        let r = op.request().expect("builds");
        assert_eq!(r.method(), Method::POST);
        assert_eq!(r.path(), "/agent");
        assert_eq!(
            r.body().expect("body").bytes(),
            br#"{"session_id":"s1","client_session_token":"tok-secret","liveness_image":"/9j/"}"#
        );
        let debug = format!("{op:?}");
        assert!(
            !debug.contains("tok-secret") && !debug.contains("/9j/"),
            "{debug}"
        );
        let empty = SandboxAgentPayload::new("s1", ClientSessionToken::new("t"))
            .with_liveness_image(idv_model::FaceImageData::new(Vec::new()));
        assert!(
            CompleteSessionAsAgentWith { payload: &empty }
                .request()
                .is_err()
        );
    }

    use super::*;

    #[test]
    fn posts_the_agent_payload_and_keeps_the_token_out_of_debug() {
        let token = ClientSessionToken::new("tok-secret");
        let op = CompleteSessionAsAgent {
            session_id: &"s1".into(),
            client_session_token: &token,
            resources: None,
        };
        let r = op.request().expect("builds");
        assert_eq!(r.method(), Method::POST);
        assert_eq!(r.path(), "/agent");
        assert_eq!(
            r.body().expect("body").bytes(),
            br#"{"session_id":"s1","client_session_token":"tok-secret"}"#
        );
        let debug = format!("{op:?}");
        assert!(debug.contains("s1"));
        assert!(!debug.contains("tok-secret"));
        assert!(
            CompleteSessionAsAgent {
                session_id: &"".into(),
                client_session_token: &token,
                resources: None,
            }
            .request()
            .is_err()
        );
    }
}
