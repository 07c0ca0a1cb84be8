//! Operations of the sandbox `response-config` calls (Yoti's sandbox API and
//! `idv-emulator`): script what a session's checks and tasks report.

use http::Method;

use idv_model::SessionId;
use idv_model::sandbox::SandboxResponseConfig;

use crate::error::{Error, InvalidInputError};
use crate::operation::{Operation, expect_empty};
use crate::request::{ApiRequest, Body, path_segment};

fn body(config: &SandboxResponseConfig) -> Result<Body, Error> {
    serde_json::to_vec(config)
        .map(Body::json)
        .map_err(|_| InvalidInputError::new("response_config", "could not be serialised").into())
}

/// `PUT /sessions/{session_id}/response-config`: the reports of one session. Must be set
/// before the end user's part completes. The service answers 200 with no body.
#[derive(Debug, Clone, Copy)]
pub struct ConfigureSessionResponse<'a> {
    /// The session id.
    pub session_id: &'a SessionId,
    /// What the checks and tasks report.
    pub config: &'a SandboxResponseConfig,
}

impl Operation for ConfigureSessionResponse<'_> {
    type Output = ();
    const NAME: &'static str = "sandbox_configure_session_response";
    const PATH_TEMPLATE: &'static str = "/sessions/{session_id}/response-config";

    fn is_idempotent(&self) -> bool {
        true
    }

    fn request(&self) -> Result<ApiRequest, Error> {
        let id = path_segment("session_id", self.session_id)?;
        Ok(
            ApiRequest::new(Method::PUT, format!("/sessions/{id}/response-config"))
                .with_body(body(self.config)?),
        )
    }

    fn parse(&self, response: http::Response<Vec<u8>>) -> Result<Self::Output, Error> {
        expect_empty(response)
    }
}

/// `PUT /apps/{sdk_id}/response-config`: the reports of the application's sessions that
/// have no session config of their own. The service answers 200 with no body.
#[derive(Debug, Clone, Copy)]
pub struct ConfigureApplicationResponse<'a> {
    /// The application's SDK id (the one the request is signed with).
    pub sdk_id: &'a str,
    /// What the checks and tasks report.
    pub config: &'a SandboxResponseConfig,
}

impl Operation for ConfigureApplicationResponse<'_> {
    type Output = ();
    const NAME: &'static str = "sandbox_configure_application_response";
    const PATH_TEMPLATE: &'static str = "/apps/{sdk_id}/response-config";

    fn is_idempotent(&self) -> bool {
        true
    }

    fn request(&self) -> Result<ApiRequest, Error> {
        let id = path_segment("sdk_id", self.sdk_id)?;
        Ok(
            ApiRequest::new(Method::PUT, format!("/apps/{id}/response-config"))
                .with_body(body(self.config)?),
        )
    }

    fn parse(&self, response: http::Response<Vec<u8>>) -> Result<Self::Output, Error> {
        expect_empty(response)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use idv_model::sandbox::{SandboxCheckReport, SandboxCheckReports};

    #[test]
    fn builds_both_requests() {
        let config = SandboxResponseConfig::new().with_check_reports(
            SandboxCheckReports::new().with_static_liveness(SandboxCheckReport::approve()),
        );
        let r = ConfigureSessionResponse {
            session_id: &"a/b".into(),
            config: &config,
        }
        .request()
        .expect("builds");
        assert_eq!(r.method(), Method::PUT);
        assert_eq!(r.path(), "/sessions/a%2Fb/response-config");
        let json: serde_json::Value =
            serde_json::from_slice(r.body().expect("body").bytes()).expect("json");
        assert_eq!(
            json["check_reports"]["LIVENESS"][0]["liveness_type"],
            "STATIC"
        );
        let r = ConfigureApplicationResponse {
            sdk_id: "sdk",
            config: &config,
        }
        .request()
        .expect("builds");
        assert_eq!(r.path(), "/apps/sdk/response-config");
        assert!(
            ConfigureSessionResponse {
                session_id: &"".into(),
                config: &config
            }
            .request()
            .is_err()
        );
    }
}
