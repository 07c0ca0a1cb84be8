//! The session specification: the body of `POST /sessions`, with its checks, tasks, required
//! documents, filters, notifications, hosted-page configuration and identity profiles.
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
//! # Choices where the official SDKs disagree
//!
//! * **Field order** follows the official Node SDK's `toJSON` (fields Node lacks come after
//!   Node's): with the same inputs the body, and so the signature, is byte-identical to the
//!   Node SDK's.
//! * **Empty lists.** `requested_checks`, `requested_tasks` and `required_documents` are
//!   always sent, empty or not, as the Node, Java, PHP, Python and .NET SDKs do (Go alone
//!   omits empty lists). Other lists are omitted when empty, except where the service expects
//!   them (restriction lists, advanced identity profiles, sandbox breakdowns).
//! * **Only what you set is sent.** Optional fields have no client-side defaults: no
//!   `max_retries: 1` or `manual_check: NEVER` on liveness (see [`RequestedLivenessCheck`]),
//!   no `remove_deceased: false` or default sources on watchlist checks, no
//!   `create_identity_profile_preview: false`. The service applies its own defaults.
//! * **Config-less checks** (`ID_DOCUMENT_COMPARISON`, `THIRD_PARTY_IDENTITY`) send
//!   `"config": {}`, as every SDK but PHP does.
//! * **EXACT matching** sends `exact_match: true` (see [`RequestedExactMatchingStrategy`]).
//! * **Notification topics and watchlist categories** are sent as given, in order, without
//!   de-duplication or sorting.
//! * **No client-side validation** of what the service validates (TTL ranges, fuzziness
//!   range, non-empty strings): the service's error names the property.

pub use crate::generated::spec::*;

impl RequestedLivenessCheck {
    /// Static liveness: one selfie.
    pub fn static_liveness() -> Self {
        Self::new(LivenessType::Static)
    }

    /// Zoom liveness: a 3D face map.
    pub fn zoom_liveness() -> Self {
        Self::new(LivenessType::Zoom)
    }
}

impl RequestedFaceComparisonCheck {
    /// No manual check: the automated comparison decides (the only value the service offers).
    pub fn with_manual_check_never(self) -> Self {
        self.with_manual_check(ManualCheck::Never)
    }
}

impl RequestedCheck {
    /// A check of a type this SDK has no typed request for, with its `config` object.
    ///
    /// ```
    /// # use idv_model::RequestedCheck;
    /// let check = RequestedCheck::custom("NEW_CHECK", serde_json::json!({"level": 2}));
    /// assert_eq!(check.check_type(), "NEW_CHECK");
    /// assert_eq!(
    ///     serde_json::to_string(&check).unwrap(),
    ///     r#"{"type":"NEW_CHECK","config":{"level":2}}"#
    /// );
    /// ```
    pub fn custom(check_type: impl Into<String>, config: serde_json::Value) -> Self {
        RequestedCheck::Custom {
            check_type: check_type.into(),
            config,
        }
    }
}

impl RequestedTask {
    /// A task of a type this SDK has no typed request for, with its `config` object.
    pub fn custom(task_type: impl Into<String>, config: serde_json::Value) -> Self {
        RequestedTask::Custom {
            task_type: task_type.into(),
            config,
        }
    }
}

impl Objective {
    /// A proof of address.
    pub fn proof_of_address() -> Self {
        Self::new(ObjectiveType::ProofOfAddress)
    }
}

impl From<Objective> for RequiredSupplementaryDocument {
    fn from(objective: Objective) -> Self {
        Self::new(objective)
    }
}
