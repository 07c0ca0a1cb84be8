//! The session specification: the body of `POST /sessions`.
//!
//! Requests are built with a constructor and consuming `with_*` setters, so they read like
//! the official SDKs' builders and can grow without breaking callers:
//!
//! ```
//! use idv_model::spec::*;
//!
//! let spec = SessionSpecification::new()
//!     .with_client_session_token_ttl(600)
//!     .with_resources_ttl(90_000)
//!     .with_user_tracking_id("some-user-tracking-id")
//!     .with_requested_check(RequestedLivenessCheck::static_liveness().with_max_retries(3))
//!     .with_requested_check(RequestedFaceComparisonCheck::new().with_manual_check_never())
//!     .with_sdk_config(
//!         SdkConfig::new()
//!             .with_success_url("https://localhost:8443/idv/success")
//!             .with_error_url("https://localhost:8443/idv/error")
//!             .with_allow_handoff(true),
//!     );
//! let json = serde_json::to_string(&spec).unwrap();
//! assert!(json.starts_with(r#"{"client_session_token_ttl":600,"resources_ttl":90000"#));
//! ```
//!
//! Field order follows the official Node SDK's `toJSON`, and the three lists
//! (`requested_checks`, `requested_tasks`, `required_documents`) are always sent, empty or
//! not, as the Node, Java, PHP, Python and .NET SDKs do (Go alone omits empty lists). With
//! the same inputs the body is byte-identical to the Node SDK's.

use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};

use crate::open_enum::open_enum;

/// The body of `POST /sessions`.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[non_exhaustive]
pub struct SessionSpecification {
    /// Seconds the end user has to complete the session (the API's default is 600).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_session_token_ttl: Option<u64>,
    /// An RFC 3339 point in time by which the user must finish; not to be combined with
    /// `client_session_token_ttl`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub session_deadline: Option<String>,
    /// Seconds the uploaded resources are kept; at least 24 hours more than the token TTL.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resources_ttl: Option<u64>,
    /// Your own identifier of the user, to track them across sessions. Must not be PII.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_tracking_id: Option<String>,
    /// The checks to run.
    pub requested_checks: Vec<RequestedCheck>,
    /// The tasks to run.
    pub requested_tasks: Vec<RequestedTask>,
    /// How the hosted capture page behaves.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sdk_config: Option<SdkConfig>,
    /// The documents the user must provide.
    pub required_documents: Vec<serde_json::Value>,
    /// Skip the biometric-consent screen.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub block_biometric_consent: Option<bool>,
}

impl SessionSpecification {
    /// An empty specification: no checks, no tasks, no documents.
    pub fn new() -> Self {
        Self::default()
    }

    /// Seconds the end user has to complete the session.
    pub fn with_client_session_token_ttl(mut self, seconds: u64) -> Self {
        self.client_session_token_ttl = Some(seconds);
        self
    }

    /// An RFC 3339 deadline by which the user must finish (instead of a token TTL).
    pub fn with_session_deadline(mut self, deadline: impl Into<String>) -> Self {
        self.session_deadline = Some(deadline.into());
        self
    }

    /// Seconds the uploaded resources are kept.
    pub fn with_resources_ttl(mut self, seconds: u64) -> Self {
        self.resources_ttl = Some(seconds);
        self
    }

    /// Your identifier of the user (not PII).
    pub fn with_user_tracking_id(mut self, id: impl Into<String>) -> Self {
        self.user_tracking_id = Some(id.into());
        self
    }

    /// Adds a requested check.
    pub fn with_requested_check(mut self, check: impl Into<RequestedCheck>) -> Self {
        self.requested_checks.push(check.into());
        self
    }

    /// Adds a requested task.
    pub fn with_requested_task(mut self, task: impl Into<RequestedTask>) -> Self {
        self.requested_tasks.push(task.into());
        self
    }

    /// Sets the hosted page configuration.
    pub fn with_sdk_config(mut self, config: SdkConfig) -> Self {
        self.sdk_config = Some(config);
        self
    }

    /// Whether to skip the biometric-consent screen.
    pub fn with_block_biometric_consent(mut self, block: bool) -> Self {
        self.block_biometric_consent = Some(block);
        self
    }
}

open_enum! {
    /// Static (a single selfie) or Zoom (a 3D face map) liveness.
    pub enum LivenessType {
        /// A single still selfie.
        Static = "STATIC",
        /// FaceTec Zoom 3D liveness.
        Zoom = "ZOOM",
    }
}

open_enum! {
    /// When a check falls back to a manual (human) review.
    pub enum ManualCheck {
        /// Always review manually.
        Always = "ALWAYS",
        /// Review manually only when the automated check fails.
        Fallback = "FALLBACK",
        /// Never review manually.
        Never = "NEVER",
    }
}

/// A check to run in the session. Build one from its typed request
/// ([`RequestedLivenessCheck`], [`RequestedFaceComparisonCheck`]) with `.into()`, or send any
/// other type with [`RequestedCheck::custom`].
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum RequestedCheck {
    /// `LIVENESS`.
    Liveness(RequestedLivenessCheck),
    /// `FACE_COMPARISON`: the live selfie against an uploaded reference image.
    FaceComparison(RequestedFaceComparisonCheck),
    /// Any other check type, sent as given.
    Custom {
        /// The check type, e.g. `ID_DOCUMENT_AUTHENTICITY`.
        check_type: String,
        /// Its `config` object.
        config: serde_json::Value,
    },
}

impl RequestedCheck {
    /// A check of a type this SDK has no typed request for.
    pub fn custom(check_type: impl Into<String>, config: serde_json::Value) -> Self {
        RequestedCheck::Custom {
            check_type: check_type.into(),
            config,
        }
    }

    /// The wire name of the check type.
    pub fn check_type(&self) -> &str {
        match self {
            RequestedCheck::Liveness(_) => "LIVENESS",
            RequestedCheck::FaceComparison(_) => "FACE_COMPARISON",
            RequestedCheck::Custom { check_type, .. } => check_type,
        }
    }
}

impl Serialize for RequestedCheck {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(2))?;
        map.serialize_entry("type", self.check_type())?;
        match self {
            RequestedCheck::Liveness(c) => map.serialize_entry("config", c)?,
            RequestedCheck::FaceComparison(c) => map.serialize_entry("config", c)?,
            RequestedCheck::Custom { config, .. } => map.serialize_entry("config", config)?,
        }
        map.end()
    }
}

/// The `LIVENESS` check.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct RequestedLivenessCheck {
    /// How many attempts the user gets after the first (the Node, Java, PHP and .NET SDKs
    /// default to 1; this SDK sends only what you set).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_retries: Option<u32>,
    /// Static or Zoom.
    pub liveness_type: LivenessType,
    /// Manual-check fallback. Not sent unless set (as Node and Java do).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub manual_check: Option<ManualCheck>,
}

impl RequestedLivenessCheck {
    /// A liveness check of the given type.
    pub fn new(liveness_type: LivenessType) -> Self {
        Self {
            max_retries: None,
            liveness_type,
            manual_check: None,
        }
    }

    /// Static liveness: one selfie.
    pub fn static_liveness() -> Self {
        Self::new(LivenessType::Static)
    }

    /// Zoom liveness: a 3D face map.
    pub fn zoom_liveness() -> Self {
        Self::new(LivenessType::Zoom)
    }

    /// How many retries the user gets.
    pub fn with_max_retries(mut self, retries: u32) -> Self {
        self.max_retries = Some(retries);
        self
    }

    /// The manual-check fallback.
    pub fn with_manual_check(mut self, manual_check: ManualCheck) -> Self {
        self.manual_check = Some(manual_check);
        self
    }
}

impl From<RequestedLivenessCheck> for RequestedCheck {
    fn from(c: RequestedLivenessCheck) -> Self {
        RequestedCheck::Liveness(c)
    }
}

/// The `FACE_COMPARISON` check: compares the live selfie with a reference image uploaded to
/// a face-capture resource.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[non_exhaustive]
pub struct RequestedFaceComparisonCheck {
    /// Manual-check fallback; only `NEVER` is offered by the service today.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub manual_check: Option<ManualCheck>,
}

impl RequestedFaceComparisonCheck {
    /// A face-comparison check with the service's defaults.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets the manual-check fallback.
    pub fn with_manual_check(mut self, manual_check: ManualCheck) -> Self {
        self.manual_check = Some(manual_check);
        self
    }

    /// No manual check: the automated comparison decides.
    pub fn with_manual_check_never(self) -> Self {
        self.with_manual_check(ManualCheck::Never)
    }
}

impl From<RequestedFaceComparisonCheck> for RequestedCheck {
    fn from(c: RequestedFaceComparisonCheck) -> Self {
        RequestedCheck::FaceComparison(c)
    }
}

/// A task to run in the session (for example text extraction from a document).
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum RequestedTask {
    /// Any task type, sent as given.
    Custom {
        /// The task type, e.g. `ID_DOCUMENT_TEXT_DATA_EXTRACTION`.
        task_type: String,
        /// Its `config` object.
        config: serde_json::Value,
    },
}

impl RequestedTask {
    /// A task of the given type and config.
    pub fn custom(task_type: impl Into<String>, config: serde_json::Value) -> Self {
        RequestedTask::Custom {
            task_type: task_type.into(),
            config,
        }
    }
}

impl Serialize for RequestedTask {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(2))?;
        match self {
            RequestedTask::Custom { task_type, config } => {
                map.serialize_entry("type", task_type)?;
                map.serialize_entry("config", config)?;
            }
        }
        map.end()
    }
}

/// How the hosted capture page behaves.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[non_exhaustive]
pub struct SdkConfig {
    /// Where the page sends the user when they finish.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub success_url: Option<String>,
    /// Where the page sends the user when the session fails.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error_url: Option<String>,
    /// Whether the user may move from desktop to a phone mid-flow.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub allow_handoff: Option<bool>,
}

impl SdkConfig {
    /// The service's defaults.
    pub fn new() -> Self {
        Self::default()
    }

    /// Where the user goes on success.
    pub fn with_success_url(mut self, url: impl Into<String>) -> Self {
        self.success_url = Some(url.into());
        self
    }

    /// Where the user goes on error.
    pub fn with_error_url(mut self, url: impl Into<String>) -> Self {
        self.error_url = Some(url.into());
        self
    }

    /// Whether the user may hand off to another device.
    pub fn with_allow_handoff(mut self, allow: bool) -> Self {
        self.allow_handoff = Some(allow);
        self
    }
}
