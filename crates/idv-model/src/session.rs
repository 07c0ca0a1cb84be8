//! Session results: the responses of `POST /sessions` and `GET /sessions/{id}`.
//!
//! Responses are tolerant: unknown fields are ignored, missing or `null` optional fields and
//! lists decode as `None` or empty, and every enum of server values has an `Unknown`
//! variant.

use std::fmt;

use serde::Deserialize;

use crate::open_enum::open_enum;
use crate::secret::ClientSessionToken;

/// The answer to `POST /sessions`.
#[derive(Clone, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct CreateSessionResult {
    /// The new session's id.
    pub session_id: String,
    /// The token the end user's browser or app uses; a secret, redacted in `Debug`.
    pub client_session_token: ClientSessionToken,
    /// Seconds left for the user to complete the session.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub client_session_token_ttl: u64,
}

impl fmt::Debug for CreateSessionResult {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CreateSessionResult")
            .field("session_id", &self.session_id)
            .field("client_session_token", &self.client_session_token)
            .field("client_session_token_ttl", &self.client_session_token_ttl)
            .finish()
    }
}

open_enum! {
    /// The state of a session.
    pub enum SessionState {
        /// Yoti is still working on the session's tasks and checks.
        Ongoing = "ONGOING",
        /// All checks and tasks are done.
        Completed = "COMPLETED",
        /// The session expired before its checks and tasks could complete.
        Expired = "EXPIRED",
    }
}

impl SessionState {
    /// Whether the session will change no more (completed or expired).
    pub fn is_terminal(&self) -> bool {
        matches!(self, SessionState::Completed | SessionState::Expired)
    }
}

open_enum! {
    /// The type of a check.
    pub enum CheckType {
        /// Document authenticity.
        IdDocumentAuthenticity = "ID_DOCUMENT_AUTHENTICITY",
        /// Document text data.
        IdDocumentTextDataCheck = "ID_DOCUMENT_TEXT_DATA_CHECK",
        /// Supplementary document text data.
        SupplementaryDocumentTextDataCheck = "SUPPLEMENTARY_DOCUMENT_TEXT_DATA_CHECK",
        /// Face on the document against the live selfie.
        IdDocumentFaceMatch = "ID_DOCUMENT_FACE_MATCH",
        /// Liveness.
        Liveness = "LIVENESS",
        /// Comparison of two documents.
        IdDocumentComparison = "ID_DOCUMENT_COMPARISON",
        /// Live selfie against an uploaded reference image.
        FaceComparison = "FACE_COMPARISON",
        /// Third-party identity.
        ThirdPartyIdentity = "THIRD_PARTY_IDENTITY",
        /// Watchlist screening.
        WatchlistScreening = "WATCHLIST_SCREENING",
        /// Advanced watchlist screening (ComplyAdvantage).
        WatchlistAdvancedCa = "WATCHLIST_ADVANCED_CA",
    }
}

open_enum! {
    /// The state of a check.
    pub enum CheckState {
        /// Created, waiting for resources.
        Created = "CREATED",
        /// Ready to run.
        Ready = "READY",
        /// Running.
        Pending = "PENDING",
        /// Failed inside Yoti.
        InternalError = "INTERNAL_ERROR",
        /// Finished; the report is available.
        Done = "DONE",
    }
}

open_enum! {
    /// The outcome a check recommends.
    pub enum RecommendationValue {
        /// The check passed.
        Approve = "APPROVE",
        /// The check failed.
        Reject = "REJECT",
        /// The check could not be carried out.
        NotAvailable = "NOT_AVAILABLE",
        /// Needs a human decision (address and watchlist checks).
        Consider = "CONSIDER",
    }
}

open_enum! {
    /// The result of one sub-check of a breakdown.
    pub enum BreakdownResult {
        /// Passed.
        Pass = "PASS",
        /// Failed.
        Fail = "FAIL",
    }
}

/// A session as `GET /sessions/{id}` returns it.
#[derive(Clone, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct GetSessionResult {
    /// The session id.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub session_id: String,
    /// Seconds left for the user; 0 once the session has expired.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub client_session_token_ttl: u64,
    /// The client session token; a secret, redacted in `Debug`.
    #[serde(default)]
    pub client_session_token: Option<ClientSessionToken>,
    /// Your tracking id, as given at creation.
    #[serde(default)]
    pub user_tracking_id: Option<String>,
    /// The session state; `None` if the server sent none.
    #[serde(default)]
    pub state: Option<SessionState>,
    /// When the user gave biometric consent (RFC 3339), if they did.
    #[serde(default)]
    pub biometric_consent: Option<String>,
    /// The checks of the session, in the order the server lists them.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub checks: Vec<CheckResponse>,
    /// The resources the user provided.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub resources: ResourceContainer,
}

impl fmt::Debug for GetSessionResult {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("GetSessionResult")
            .field("session_id", &self.session_id)
            .field("state", &self.state)
            .field("client_session_token_ttl", &self.client_session_token_ttl)
            .field("client_session_token", &self.client_session_token)
            .field("user_tracking_id", &self.user_tracking_id)
            .field("checks", &self.checks)
            .field("resources", &self.resources)
            .finish_non_exhaustive()
    }
}

impl GetSessionResult {
    /// The checks of one type.
    pub fn checks_of_type<'a>(
        &'a self,
        check_type: &'a CheckType,
    ) -> impl Iterator<Item = &'a CheckResponse> + 'a {
        self.checks
            .iter()
            .filter(move |c| &c.check_type == check_type)
    }

    /// Every `LIVENESS` check.
    pub fn liveness_checks(&self) -> impl Iterator<Item = &CheckResponse> + '_ {
        self.checks
            .iter()
            .filter(|c| c.check_type == CheckType::Liveness)
    }

    /// Every `FACE_COMPARISON` check.
    pub fn face_comparison_checks(&self) -> impl Iterator<Item = &CheckResponse> + '_ {
        self.checks
            .iter()
            .filter(|c| c.check_type == CheckType::FaceComparison)
    }

    /// The session state, `Unknown("")` folded to `None`.
    pub fn is_completed(&self) -> bool {
        self.state == Some(SessionState::Completed)
    }
}

/// One check of a session. All check types share this shape.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct CheckResponse {
    /// The check type.
    #[serde(rename = "type")]
    pub check_type: CheckType,
    /// The check id.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub id: String,
    /// The check state.
    #[serde(default)]
    pub state: Option<CheckState>,
    /// Ids of the resources the check used.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub resources_used: Vec<String>,
    /// Media the check generated.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub generated_media: Vec<GeneratedMedia>,
    /// The report, once the check is done.
    #[serde(default)]
    pub report: Option<Report>,
    /// When the check was created (RFC 3339).
    #[serde(default)]
    pub created: Option<String>,
    /// When the check last changed (RFC 3339).
    #[serde(default)]
    pub last_updated: Option<String>,
}

impl CheckResponse {
    /// The recommendation's value, if the check has a report.
    pub fn recommendation(&self) -> Option<&RecommendationValue> {
        self.report
            .as_ref()
            .and_then(|r| r.recommendation.as_ref())
            .map(|r| &r.value)
    }

    /// Whether the check is done and recommends `APPROVE`.
    pub fn is_approved(&self) -> bool {
        self.recommendation() == Some(&RecommendationValue::Approve)
    }
}

/// Media generated by a check.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct GeneratedMedia {
    /// The media id, for the media endpoint.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub id: String,
    /// The media type, e.g. `JSON`.
    #[serde(rename = "type", default)]
    pub media_type: Option<String>,
}

/// A check's report.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct Report {
    /// What the check recommends.
    #[serde(default)]
    pub recommendation: Option<Recommendation>,
    /// The sub-checks behind the recommendation.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub breakdown: Vec<Breakdown>,
}

/// A check's recommendation.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct Recommendation {
    /// Approve, reject, not available, consider.
    pub value: RecommendationValue,
    /// Why, with `REJECT` and `NOT_AVAILABLE`.
    #[serde(default)]
    pub reason: Option<String>,
    /// What the user can do about it, e.g. `BETTER_LIGHTING`.
    #[serde(default)]
    pub recovery_suggestion: Option<String>,
}

/// One sub-check of a report.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct Breakdown {
    /// The sub-check's name, e.g. `ai_face_match`.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub sub_check: String,
    /// Pass or fail.
    pub result: BreakdownResult,
    /// Name/value details, e.g. `confidence_score`.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub details: Vec<Detail>,
}

/// A name/value detail of a breakdown.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct Detail {
    /// The detail's name.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub name: String,
    /// Its value, as a string.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub value: String,
}

/// The resources of a session.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct ResourceContainer {
    /// Liveness captures (static selfies or Zoom face maps).
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub liveness_capture: Vec<LivenessResource>,
    /// Reference face images uploaded by the relying business.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub face_capture: Vec<FaceCaptureResource>,
}

impl ResourceContainer {
    /// Static liveness resources.
    pub fn static_liveness(&self) -> impl Iterator<Item = &LivenessResource> + '_ {
        self.liveness_capture
            .iter()
            .filter(|r| r.liveness_type == Some(crate::spec::LivenessType::Static))
    }

    /// Every media id of every resource, in order.
    pub fn media_ids(&self) -> Vec<&str> {
        let live = self
            .liveness_capture
            .iter()
            .filter_map(|r| r.image.as_ref()?.media.as_ref());
        let face = self
            .face_capture
            .iter()
            .filter_map(|r| r.image.as_ref()?.media.as_ref());
        live.chain(face).map(|m| m.id.as_str()).collect()
    }
}

/// A liveness capture.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct LivenessResource {
    /// The resource id.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub id: String,
    /// Static or Zoom.
    #[serde(default)]
    pub liveness_type: Option<crate::spec::LivenessType>,
    /// The selfie, for static liveness.
    #[serde(default)]
    pub image: Option<ImageResponse>,
}

/// A face-capture resource: the reference image for face comparison.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct FaceCaptureResource {
    /// The resource id.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub id: String,
    /// The uploaded image, once uploaded.
    #[serde(default)]
    pub image: Option<ImageResponse>,
}

/// An image of a resource.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct ImageResponse {
    /// Its media, fetched by id from the media endpoint.
    #[serde(default)]
    pub media: Option<MediaResponse>,
}

/// A media object's metadata.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct MediaResponse {
    /// The media id.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub id: String,
    /// `IMAGE`, `JSON`, ...
    #[serde(rename = "type", default)]
    pub media_type: Option<String>,
    /// When it was created (RFC 3339).
    #[serde(default)]
    pub created: Option<String>,
    /// When it last changed (RFC 3339).
    #[serde(default)]
    pub last_updated: Option<String>,
}
