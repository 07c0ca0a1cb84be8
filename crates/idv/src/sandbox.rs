//! Sandbox-only calls (Yoti's sandbox API, or `idv-emulator`): script what a session's
//! checks and tasks report. Behind the `sandbox` feature.
//!
//! ```no_run
//! # #[cfg(feature = "ureq")] {
//! use idv::model::sandbox::*;
//! # fn run(client: &idv::BlockingClient, session_id: &idv::model::SessionId) -> idv::Result<()> {
//! client.sandbox_configure_session_response(
//!     session_id,
//!     &SandboxResponseConfig::new().with_check_reports(
//!         SandboxCheckReports::new()
//!             .with_static_liveness(SandboxCheckReport::approve())
//!             .with_face_comparison(SandboxCheckReport::reject("DIFFERENT_PERSON")),
//!     ),
//! )?;
//! # Ok(()) }
//! # }
//! ```

use idv_core::sandbox_config::{ConfigureApplicationResponse, ConfigureSessionResponse};
use idv_model::sandbox::SandboxResponseConfig;

use crate::{BlockingClient, Client};

impl Client {
    /// Scripts the reports of one session (`PUT /sessions/{id}/response-config` on the
    /// sandbox base URL). Call it before the end user's part completes.
    ///
    /// Available with the `sandbox` feature.
    ///
    /// # Errors
    ///
    /// [`Error::Api`](crate::Error::Api) when the service refuses the call (for example 404 for
    /// an unknown session), [`Error::Config`](crate::Error::Config) when its answer says the
    /// client is misconfigured (unknown SDK id, wrong base URL),
    /// [`Error::InvalidInput`](crate::Error::InvalidInput) for an empty or dot-segment id,
    /// [`Error::Transport`](crate::Error::Transport) when the exchange fails,
    /// [`Error::Decode`](crate::Error::Decode) when the answer cannot be read.
    pub async fn sandbox_configure_session_response(
        &self,
        session_id: &idv_model::SessionId,
        config: &SandboxResponseConfig,
    ) -> crate::Result<()> {
        let base = self.inner.config.sandbox_base_url.clone();
        self.execute_at(&base, ConfigureSessionResponse { session_id, config })
            .await
    }

    /// Scripts the reports of every session of this client's application that has no
    /// session config (`PUT /apps/{sdkId}/response-config` on the sandbox base URL).
    ///
    /// Available with the `sandbox` feature.
    ///
    /// # Errors
    ///
    /// [`Error::Api`](crate::Error::Api) when the service refuses the call (for example 404 for
    /// an unknown session), [`Error::Config`](crate::Error::Config) when its answer says the
    /// client is misconfigured (unknown SDK id, wrong base URL),
    /// [`Error::InvalidInput`](crate::Error::InvalidInput) for an empty or dot-segment id,
    /// [`Error::Transport`](crate::Error::Transport) when the exchange fails,
    /// [`Error::Decode`](crate::Error::Decode) when the answer cannot be read.
    pub async fn sandbox_configure_application_response(
        &self,
        config: &SandboxResponseConfig,
    ) -> crate::Result<()> {
        let base = self.inner.config.sandbox_base_url.clone();
        let sdk_id = self.config().sdk_id().to_owned();
        self.execute_at(
            &base,
            ConfigureApplicationResponse {
                sdk_id: &sdk_id,
                config,
            },
        )
        .await
    }
}

impl BlockingClient {
    /// Scripts the reports of one session (`PUT /sessions/{id}/response-config` on the
    /// sandbox base URL). Call it before the end user's part completes.
    ///
    /// Available with the `sandbox` feature.
    ///
    /// # Errors
    ///
    /// [`Error::Api`](crate::Error::Api) when the service refuses the call (for example 404 for
    /// an unknown session), [`Error::Config`](crate::Error::Config) when its answer says the
    /// client is misconfigured (unknown SDK id, wrong base URL),
    /// [`Error::InvalidInput`](crate::Error::InvalidInput) for an empty or dot-segment id,
    /// [`Error::Transport`](crate::Error::Transport) when the exchange fails,
    /// [`Error::Decode`](crate::Error::Decode) when the answer cannot be read.
    pub fn sandbox_configure_session_response(
        &self,
        session_id: &idv_model::SessionId,
        config: &SandboxResponseConfig,
    ) -> crate::Result<()> {
        let base = self.inner.config.sandbox_base_url.clone();
        self.execute_at(&base, ConfigureSessionResponse { session_id, config })
    }

    /// Scripts the reports of every session of this client's application that has no
    /// session config (`PUT /apps/{sdkId}/response-config` on the sandbox base URL).
    ///
    /// Available with the `sandbox` feature.
    ///
    /// # Errors
    ///
    /// [`Error::Api`](crate::Error::Api) when the service refuses the call (for example 404 for
    /// an unknown session), [`Error::Config`](crate::Error::Config) when its answer says the
    /// client is misconfigured (unknown SDK id, wrong base URL),
    /// [`Error::InvalidInput`](crate::Error::InvalidInput) for an empty or dot-segment id,
    /// [`Error::Transport`](crate::Error::Transport) when the exchange fails,
    /// [`Error::Decode`](crate::Error::Decode) when the answer cannot be read.
    pub fn sandbox_configure_application_response(
        &self,
        config: &SandboxResponseConfig,
    ) -> crate::Result<()> {
        let base = self.inner.config.sandbox_base_url.clone();
        let sdk_id = self.config().sdk_id().to_owned();
        self.execute_at(
            &base,
            ConfigureApplicationResponse {
                sdk_id: &sdk_id,
                config,
            },
        )
    }
}
