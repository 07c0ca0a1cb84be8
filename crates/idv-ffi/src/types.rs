//! The values a host passes and gets back. Anything secret or personal (tokens, images,
//! media, documents with personal data, whole sessions) is an object with accessors, never a
//! record, so the generated `repr`/`toString` of a record never shows it.

use std::fmt;
use std::sync::Arc;

use idv_core::SelfieAuthVerdict;
use idv_model::GetSessionResult;

use crate::error::IdvError;

/// A client session token: a secret. Its `repr` shows nothing of it;
/// [`ClientSessionToken::expose_secret`] gives it (to hand to the user's browser only).
#[derive(uniffi::Object)]
pub struct ClientSessionToken(pub(crate) idv_model::ClientSessionToken);

#[uniffi::export]
impl ClientSessionToken {
    /// Wraps a token received elsewhere (e.g. from a stored session).
    #[uniffi::constructor]
    pub fn new(token: String) -> Arc<Self> {
        Arc::new(Self(idv_model::ClientSessionToken::new(token)))
    }

    /// The token. Do not log it.
    pub fn expose_secret(&self) -> String {
        self.0.expose_secret().to_owned()
    }
}

impl fmt::Debug for ClientSessionToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ClientSessionToken(<redacted>)")
    }
}

/// An image to upload (personal data: its bytes never appear in a `repr`).
#[derive(uniffi::Object)]
pub struct Image {
    pub(crate) content_type: String,
    pub(crate) bytes: Vec<u8>,
}

#[uniffi::export]
impl Image {
    /// An image of the given MIME type (`image/jpeg` or `image/png` for a face capture).
    #[uniffi::constructor]
    pub fn new(content_type: String, bytes: Vec<u8>) -> Arc<Self> {
        Arc::new(Self {
            content_type,
            bytes,
        })
    }

    /// A JPEG image.
    #[uniffi::constructor]
    pub fn jpeg(bytes: Vec<u8>) -> Arc<Self> {
        Self::new("image/jpeg".to_owned(), bytes)
    }

    /// A PNG image.
    #[uniffi::constructor]
    pub fn png(bytes: Vec<u8>) -> Arc<Self> {
        Self::new("image/png".to_owned(), bytes)
    }

    /// Its MIME type.
    pub fn content_type(&self) -> String {
        self.content_type.clone()
    }

    /// Its size in bytes.
    pub fn len(&self) -> u64 {
        self.bytes.len() as u64
    }

    /// Whether it has no bytes.
    pub fn is_empty(&self) -> bool {
        self.bytes.is_empty()
    }
}

/// The content of a media object (personal data: bytes only through [`MediaContent::bytes`]).
#[derive(uniffi::Object)]
pub struct MediaContent(pub(crate) idv_model::Media);

#[uniffi::export]
impl MediaContent {
    /// Its MIME type (empty when the server sent none).
    pub fn mime_type(&self) -> String {
        self.0.mime_type.clone()
    }

    /// Its bytes.
    pub fn bytes(&self) -> Vec<u8> {
        self.0.content.clone()
    }

    /// Its size in bytes.
    pub fn len(&self) -> u64 {
        self.0.len() as u64
    }

    /// Whether it has no bytes.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// A JSON document returned by an operation of the long tail (tracked devices,
/// instructions, contact profile, supported documents): validated by the Rust model's
/// decoder, handed over as text. It may hold personal data, so it is an object.
#[derive(uniffi::Object)]
pub struct JsonDocument(pub(crate) String);

#[uniffi::export]
impl JsonDocument {
    /// The JSON text, as the server sent it.
    pub fn text(&self) -> String {
        self.0.clone()
    }
}

/// The answer to creating a session.
#[derive(uniffi::Record)]
pub struct CreatedSession {
    /// The new session's id.
    pub session_id: String,
    /// The token of the user's browser or app (a secret object).
    pub client_session_token: Arc<ClientSessionToken>,
    /// Seconds left for the user to complete the session, when the service says.
    pub client_session_token_ttl: Option<u64>,
}

impl From<idv_model::CreateSessionResult> for CreatedSession {
    fn from(created: idv_model::CreateSessionResult) -> Self {
        Self {
            session_id: created.session_id.to_string(),
            client_session_token: Arc::new(ClientSessionToken(created.client_session_token)),
            client_session_token_ttl: created.client_session_token_ttl,
        }
    }
}

/// What a session's configuration says about capture, for the selfie flow.
#[derive(Debug, Clone, uniffi::Record)]
pub struct SessionConfiguration {
    /// The session id, when the service says.
    pub session_id: Option<String>,
    /// Seconds left for the user, when the service says.
    pub client_session_token_ttl: Option<u64>,
    /// The ids of the `FACE_CAPTURE` requirements (create a face-capture resource for one).
    pub face_capture_requirement_ids: Vec<String>,
}

impl From<idv_model::SessionConfiguration> for SessionConfiguration {
    fn from(c: idv_model::SessionConfiguration) -> Self {
        Self {
            face_capture_requirement_ids: c
                .face_capture_requirements()
                .map(|r| r.id.to_string())
                .collect(),
            session_id: c.session_id.as_ref().map(ToString::to_string),
            client_session_token_ttl: c.client_session_token_ttl,
        }
    }
}

/// A face-capture resource, created to hold the reference image.
#[derive(Debug, Clone, uniffi::Record)]
pub struct FaceCaptureResource {
    /// Its id, for the upload.
    pub id: String,
    /// How many frames it expects, when the service says.
    pub frames: Option<u32>,
}

/// One check of a session, as far as the selfie flow cares.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct CheckSummary {
    /// The check id.
    pub id: Option<String>,
    /// Its type, e.g. `LIVENESS`.
    pub check_type: String,
    /// Its state, e.g. `DONE`.
    pub state: Option<String>,
    /// Its recommendation, e.g. `APPROVE`.
    pub recommendation: Option<String>,
}

/// The three outcomes of the selfie-authentication rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum VerdictOutcome {
    /// The user passed.
    Pass,
    /// A final decision against the user.
    Fail,
    /// No decision yet: evaluate again later; never turn a user away on this.
    Pending,
}

/// The selfie-authentication verdict (`idv_core::SelfieAuthVerdict`) of a session.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct SelfieVerdict {
    /// The outcome.
    pub outcome: VerdictOutcome,
    /// Why (for `FAIL`) or what is awaited (for `PENDING`); empty for `PASS`.
    pub reasons: Vec<String>,
    /// The Rust SDK's one-line description, e.g. `PENDING: the session is ONGOING`.
    pub summary: String,
}

impl From<SelfieAuthVerdict> for SelfieVerdict {
    fn from(verdict: SelfieAuthVerdict) -> Self {
        let summary = verdict.to_string();
        let (outcome, reasons) = match verdict {
            SelfieAuthVerdict::Pass => (VerdictOutcome::Pass, Vec::new()),
            SelfieAuthVerdict::Fail { reasons } => (VerdictOutcome::Fail, reasons),
            SelfieAuthVerdict::Pending { reasons } => (VerdictOutcome::Pending, reasons),
            // Non-exhaustive: a new outcome is not a decision yet.
            _ => (VerdictOutcome::Pending, Vec::new()),
        };
        Self {
            outcome,
            reasons,
            summary,
        }
    }
}

/// A session as `GET /sessions/{id}` returns it: typed accessors for the selfie flow, the
/// whole JSON for the rest. It holds personal data, so its `repr` shows nothing of it.
#[derive(uniffi::Object)]
pub struct Session {
    pub(crate) session: GetSessionResult,
    pub(crate) json: String,
}

impl Session {
    pub(crate) fn new(session: GetSessionResult, body: Vec<u8>) -> Result<Self, IdvError> {
        let json = String::from_utf8(body)
            .map_err(|_| IdvError::invalid_input("session_json", "is not UTF-8"))?;
        Ok(Self { session, json })
    }
}

#[uniffi::export]
impl Session {
    /// A session from its JSON (e.g. one stored earlier), to apply the verdict rule to.
    ///
    /// # Errors
    /// `InvalidInput` when the text is not a session.
    #[uniffi::constructor]
    pub fn from_json(json: String) -> Result<Arc<Self>, IdvError> {
        let session: GetSessionResult = serde_json::from_str(&json).map_err(|e| {
            IdvError::invalid_input(
                "session_json",
                format!(
                    "is not a session (line {}, column {})",
                    e.line(),
                    e.column()
                ),
            )
        })?;
        Ok(Arc::new(Self { session, json }))
    }

    /// The session id, when the service says.
    pub fn session_id(&self) -> Option<String> {
        self.session.session_id.as_ref().map(ToString::to_string)
    }

    /// The state, e.g. `ONGOING`, `COMPLETED`, `EXPIRED`.
    pub fn state(&self) -> Option<String> {
        self.session.state.as_ref().map(|s| s.as_str().to_owned())
    }

    /// Your tracking id, as given at creation.
    pub fn user_tracking_id(&self) -> Option<String> {
        self.session.user_tracking_id.clone()
    }

    /// Seconds left for the user, when the service says.
    pub fn client_session_token_ttl(&self) -> Option<u64> {
        self.session.client_session_token_ttl
    }

    /// Every check, in the server's order.
    pub fn checks(&self) -> Vec<CheckSummary> {
        self.session
            .checks
            .iter()
            .map(|c| CheckSummary {
                id: c.id().map(ToString::to_string),
                check_type: c.check_type().to_string(),
                state: c.state().map(|s| s.as_str().to_owned()),
                recommendation: c.recommendation().map(|r| r.as_str().to_owned()),
            })
            .collect()
    }

    /// Every media id of every resource (to fetch with `GetMediaContent`).
    pub fn media_ids(&self) -> Vec<String> {
        self.session
            .resources
            .media_ids()
            .into_iter()
            .map(ToString::to_string)
            .collect()
    }

    /// The selfie-authentication verdict: the Rust SDK's rule, applied to this session.
    pub fn selfie_verdict(&self) -> SelfieVerdict {
        SelfieAuthVerdict::evaluate(&self.session).into()
    }

    /// The whole session, as the server sent it.
    pub fn to_json(&self) -> String {
        self.json.clone()
    }
}

/// The outcome the sandbox reports for one check.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Enum)]
pub enum SandboxOutcome {
    /// `APPROVE`.
    Approve,
    /// `REJECT` with a reason, e.g. `DIFFERENT_PERSON`.
    Reject {
        /// The reason.
        reason: String,
    },
    /// `NOT_AVAILABLE` with a reason, e.g. `REFERENCE_IMAGE_MISSING`.
    NotAvailable {
        /// The reason.
        reason: String,
    },
}

impl SandboxOutcome {
    pub(crate) fn report(&self) -> idv_model::sandbox::SandboxCheckReport {
        use idv_model::sandbox::SandboxCheckReport;
        match self {
            SandboxOutcome::Approve => SandboxCheckReport::approve(),
            SandboxOutcome::Reject { reason } => SandboxCheckReport::reject(reason.clone()),
            SandboxOutcome::NotAvailable { reason } => {
                SandboxCheckReport::not_available(reason.clone())
            }
        }
    }
}

/// The session of Yoti's face-comparison guide: a static `LIVENESS` check and a
/// `FACE_COMPARISON` check (never manual), with these settings.
#[derive(Debug, Clone, uniffi::Record)]
pub struct SelfieSessionSpec {
    /// Seconds the user has to complete the session.
    #[uniffi(default = 600)]
    pub client_session_token_ttl: u64,
    /// Seconds the resources are kept.
    #[uniffi(default = 90000)]
    pub resources_ttl: u64,
    /// How many times the user may retry the liveness capture.
    #[uniffi(default = 3)]
    pub liveness_max_retries: u32,
    /// Your id for the user.
    #[uniffi(default)]
    pub user_tracking_id: Option<String>,
    /// Where the hosted page sends the user on success.
    #[uniffi(default)]
    pub success_url: Option<String>,
    /// Where the hosted page sends the user on error.
    #[uniffi(default)]
    pub error_url: Option<String>,
}

impl SelfieSessionSpec {
    pub(crate) fn to_model(&self) -> idv_model::SessionSpecification {
        use idv_model::{
            RequestedFaceComparisonCheck, RequestedLivenessCheck, SdkConfig, SessionSpecification,
        };
        let mut sdk_config = SdkConfig::new().with_allow_handoff(true);
        if let Some(url) = &self.success_url {
            sdk_config = sdk_config.with_success_url(url.clone());
        }
        if let Some(url) = &self.error_url {
            sdk_config = sdk_config.with_error_url(url.clone());
        }
        let mut spec = SessionSpecification::new()
            .with_client_session_token_ttl(self.client_session_token_ttl)
            .with_resources_ttl(self.resources_ttl)
            .with_requested_check(
                RequestedLivenessCheck::static_liveness()
                    .with_max_retries(self.liveness_max_retries),
            )
            .with_requested_check(RequestedFaceComparisonCheck::new().with_manual_check_never())
            .with_sdk_config(sdk_config);
        if let Some(id) = &self.user_tracking_id {
            spec = spec.with_user_tracking_id(id.clone());
        }
        spec
    }
}

/// One HTTP header.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Header {
    /// The name (lower case when it comes from the binding).
    pub name: String,
    /// The value.
    pub value: String,
}

/// A signed request for the host to send unchanged: method, URL, headers and body exactly as
/// they were signed. An object, as its body may hold personal data.
#[derive(uniffi::Object)]
pub struct HttpRequest {
    pub(crate) method: String,
    pub(crate) url: String,
    pub(crate) headers: Vec<Header>,
    pub(crate) body: Vec<u8>,
    pub(crate) max_response_bytes: u64,
}

#[uniffi::export]
impl HttpRequest {
    /// The method, e.g. `GET`.
    pub fn method(&self) -> String {
        self.method.clone()
    }

    /// The full URL, query (`sdkId`, `nonce`, `timestamp`) included.
    pub fn url(&self) -> String {
        self.url.clone()
    }

    /// The headers to send (the signature `X-Yoti-Auth-Digest` among them).
    pub fn headers(&self) -> Vec<Header> {
        self.headers.clone()
    }

    /// The body (empty for none).
    pub fn body(&self) -> Vec<u8> {
        self.body.clone()
    }

    /// The most response-body bytes the call accepts: read no more (a larger body fails the
    /// call as `BodyTooLarge`).
    pub fn max_response_bytes(&self) -> u64 {
        self.max_response_bytes
    }
}
