//! Sessions: creation and validation of the session specification, state, resources,
//! checks, and the JSON views the API returns.

use std::collections::HashMap;
use std::time::{Duration, SystemTime};

use axum::body::Bytes;
use serde::Serialize;
use serde_json::{Map, Value};

use crate::error::{ApiError, FieldError};
use crate::media::{self, ImageType, Media};
use crate::util::{format_rfc3339, new_uuid, parse_rfc3339};

/// `client_session_token_ttl` when the specification gives neither it nor `session_deadline`.
pub(crate) const DEFAULT_TTL_SECS: u64 = 600;
/// Smallest accepted `client_session_token_ttl` (the docs: "longer than 5 minutes").
pub(crate) const MIN_TTL_SECS: u64 = 300;
/// Largest accepted `client_session_token_ttl` (one week; the docs give no maximum).
pub(crate) const MAX_TTL_SECS: u64 = 604_800;
/// `resources_ttl` must exceed the session's lifetime by at least this much (24 h).
pub(crate) const RESOURCES_TTL_MARGIN_SECS: u64 = 86_400;
/// The confidence score reported by an approved FACE_COMPARISON.
pub(crate) const FACE_MATCH_CONFIDENCE: &str = "0.99";

/// Check types the API knows. Only LIVENESS and FACE_COMPARISON are emulated so far.
const KNOWN_CHECKS: &[&str] = &[
    "ID_DOCUMENT_AUTHENTICITY",
    "ID_DOCUMENT_FACE_MATCH",
    "FACE_COMPARISON",
    "LIVENESS",
    "ID_DOCUMENT_COMPARISON",
    "THIRD_PARTY_IDENTITY",
    "WATCHLIST_SCREENING",
    "WATCHLIST_ADVANCED_CA",
    "IBV_VISUAL_REVIEW_CHECK",
    "DOCUMENT_SCHEME_VALIDITY_CHECK",
    "PROFILE_DOCUMENT_MATCH",
];

const KNOWN_TASKS: &[&str] = &[
    "ID_DOCUMENT_TEXT_DATA_EXTRACTION",
    "SUPPLEMENTARY_DOCUMENT_TEXT_DATA_EXTRACTION",
];

const KNOWN_DOCUMENTS: &[&str] = &["ID_DOCUMENT", "SUPPLEMENTARY_DOCUMENT"];

/// Lifecycle state of a session.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SessionState {
    Ongoing,
    Completed,
    Expired,
}

impl SessionState {
    fn as_str(self) -> &'static str {
        match self {
            Self::Ongoing => "ONGOING",
            Self::Completed => "COMPLETED",
            Self::Expired => "EXPIRED",
        }
    }
}

/// `liveness_type` of a LIVENESS check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum LivenessType {
    Static,
    Zoom,
}

impl LivenessType {
    fn as_str(self) -> &'static str {
        match self {
            Self::Static => "STATIC",
            Self::Zoom => "ZOOM",
        }
    }
}

#[derive(Debug, Clone)]
struct RequestedCheck {
    kind: String,
    liveness_type: LivenessType,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum RequirementKind {
    FaceCapture,
    Liveness(LivenessType),
}

#[derive(Debug, Clone)]
struct Requirement {
    id: String,
    kind: RequirementKind,
    complete: bool,
}

#[derive(Debug, Clone)]
struct FaceCapture {
    id: String,
    /// Media id of the uploaded image.
    image: Option<String>,
}

#[derive(Debug, Clone)]
struct LivenessCapture {
    id: String,
    liveness_type: LivenessType,
    /// STATIC: the image; ZOOM: the one frame.
    image: Option<String>,
    /// ZOOM only.
    facemap: Option<String>,
}

#[derive(Debug, Clone)]
struct SubCheck {
    sub_check: &'static str,
    result: &'static str,
    details: Vec<(&'static str, String)>,
}

#[derive(Debug, Clone)]
struct Check {
    kind: String,
    id: String,
    resources_used: Vec<String>,
    recommendation: &'static str,
    reason: Option<&'static str>,
    breakdown: Vec<SubCheck>,
    created: SystemTime,
}

/// A validated session specification (body of `POST /sessions`).
#[derive(Debug, Clone)]
pub(crate) struct SessionSpec {
    ttl_secs: u64,
    user_tracking_id: Option<String>,
    block_biometric_consent: bool,
    requested_checks: Vec<RequestedCheck>,
}

impl SessionSpec {
    /// Parses and validates a session specification. All property errors are reported at once.
    pub(crate) fn parse(body: &[u8], now: SystemTime) -> Result<Self, ApiError> {
        let value: Value = serde_json::from_slice(body)
            .map_err(|_| ApiError::malformed("Request body is not valid JSON"))?;
        let Value::Object(obj) = value else {
            return Err(ApiError::malformed("Request body must be a JSON object"));
        };
        let mut errors = Vec::new();

        let ttl = optional_u64(&obj, "client_session_token_ttl", &mut errors);
        if let Some(ttl) = ttl
            && !(MIN_TTL_SECS..=MAX_TTL_SECS).contains(&ttl)
        {
            errors.push(FieldError::new(
                "client_session_token_ttl",
                format!("must be between {MIN_TTL_SECS} and {MAX_TTL_SECS}"),
            ));
        }

        let mut ttl_secs = ttl.unwrap_or(DEFAULT_TTL_SECS);
        match obj.get("session_deadline") {
            None | Some(Value::Null) => {}
            Some(Value::String(text)) => {
                if ttl.is_some() {
                    errors.push(FieldError::new(
                        "session_deadline",
                        "must not be used together with client_session_token_ttl",
                    ));
                }
                match parse_rfc3339(text).map(|t| t.duration_since(now)) {
                    Some(Ok(remaining)) => {
                        let secs = remaining.as_secs();
                        if !(MIN_TTL_SECS..=MAX_TTL_SECS).contains(&secs) {
                            errors.push(FieldError::new(
                                "session_deadline",
                                format!(
                                    "must be between {MIN_TTL_SECS} and {MAX_TTL_SECS} seconds from now"
                                ),
                            ));
                        }
                        ttl_secs = secs;
                    }
                    Some(Err(_)) => {
                        errors.push(FieldError::new("session_deadline", "must be in the future"))
                    }
                    None => errors.push(FieldError::new(
                        "session_deadline",
                        "must be an RFC 3339 date-time with a time zone",
                    )),
                }
            }
            Some(_) => errors.push(FieldError::new("session_deadline", "must be a string")),
        }

        if let Some(resources_ttl) = optional_u64(&obj, "resources_ttl", &mut errors)
            && resources_ttl < ttl_secs + RESOURCES_TTL_MARGIN_SECS
        {
            errors.push(FieldError::new(
                "resources_ttl",
                "must be at least 86400 seconds longer than the session's lifetime",
            ));
        }

        let user_tracking_id = match obj.get("user_tracking_id") {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) => Some(s.clone()),
            Some(_) => {
                errors.push(FieldError::new("user_tracking_id", "must be a string"));
                None
            }
        };

        let block_biometric_consent = match obj.get("block_biometric_consent") {
            None | Some(Value::Null) => false,
            Some(Value::Bool(b)) => *b,
            Some(_) => {
                errors.push(FieldError::new(
                    "block_biometric_consent",
                    "must be a boolean",
                ));
                false
            }
        };

        let requested_checks = parse_requested_checks(&obj, &mut errors);
        validate_typed_array(&obj, "requested_tasks", KNOWN_TASKS, "task", &mut errors);
        validate_typed_array(
            &obj,
            "required_documents",
            KNOWN_DOCUMENTS,
            "document",
            &mut errors,
        );

        if errors.is_empty() {
            Ok(Self {
                ttl_secs,
                user_tracking_id,
                block_biometric_consent,
                requested_checks,
            })
        } else {
            Err(ApiError::validation(errors))
        }
    }
}

fn optional_u64(obj: &Map<String, Value>, name: &str, errors: &mut Vec<FieldError>) -> Option<u64> {
    match obj.get(name) {
        None | Some(Value::Null) => None,
        Some(Value::Number(n)) if n.is_u64() => n.as_u64(),
        Some(Value::Number(n)) if n.is_i64() => {
            errors.push(FieldError::new(name, "must not be negative"));
            None
        }
        Some(_) => {
            errors.push(FieldError::new(name, "must be an integer"));
            None
        }
    }
}

/// Looks up an optional array property; reports it when present but not an array.
fn optional_array<'a>(
    obj: &'a Map<String, Value>,
    name: &str,
    errors: &mut Vec<FieldError>,
) -> &'a [Value] {
    match obj.get(name) {
        None | Some(Value::Null) => &[],
        Some(Value::Array(items)) => items,
        Some(_) => {
            errors.push(FieldError::new(name, "must be an array"));
            &[]
        }
    }
}

/// The `type` of an element of a typed array, validated against `known`.
fn element_type<'a>(
    item: &'a Value,
    path: &str,
    known: &[&str],
    what: &str,
    errors: &mut Vec<FieldError>,
) -> Option<&'a str> {
    let Value::Object(entry) = item else {
        errors.push(FieldError::new(path, "must be an object"));
        return None;
    };
    match entry.get("type") {
        Some(Value::String(kind)) if known.contains(&kind.as_str()) => Some(kind),
        Some(Value::String(_)) => {
            errors.push(FieldError::new(
                format!("{path}.type"),
                format!("unknown {what} type"),
            ));
            None
        }
        None | Some(Value::Null) => {
            errors.push(FieldError::new(format!("{path}.type"), "must not be null"));
            None
        }
        Some(_) => {
            errors.push(FieldError::new(format!("{path}.type"), "must be a string"));
            None
        }
    }
}

fn validate_typed_array(
    obj: &Map<String, Value>,
    name: &str,
    known: &[&str],
    what: &str,
    errors: &mut Vec<FieldError>,
) {
    for (i, item) in optional_array(obj, name, errors).iter().enumerate() {
        element_type(item, &format!("{name}[{i}]"), known, what, errors);
    }
}

fn parse_requested_checks(
    obj: &Map<String, Value>,
    errors: &mut Vec<FieldError>,
) -> Vec<RequestedCheck> {
    let mut checks = Vec::new();
    for (i, item) in optional_array(obj, "requested_checks", errors)
        .iter()
        .enumerate()
    {
        let path = format!("requested_checks[{i}]");
        let Some(kind) = element_type(item, &path, KNOWN_CHECKS, "check", errors) else {
            continue;
        };
        let mut liveness_type = LivenessType::Static;
        match item.get("config") {
            None | Some(Value::Null) | Some(Value::Object(_)) => {}
            Some(_) => errors.push(FieldError::new(
                format!("{path}.config"),
                "must be an object",
            )),
        }
        if kind == "LIVENESS" {
            match item.get("config").and_then(|c| c.get("liveness_type")) {
                None | Some(Value::Null) => {}
                Some(Value::String(t)) if t == "STATIC" => {}
                Some(Value::String(t)) if t == "ZOOM" => liveness_type = LivenessType::Zoom,
                Some(_) => errors.push(FieldError::new(
                    format!("{path}.config.liveness_type"),
                    "must be STATIC or ZOOM",
                )),
            }
        }
        checks.push(RequestedCheck {
            kind: kind.to_owned(),
            liveness_type,
        });
    }
    checks
}

/// What the sandbox agent supplies when it completes a session.
#[derive(Debug, Clone)]
pub(crate) struct AgentCapture {
    /// The liveness image; `None` means the built-in JPEG.
    pub(crate) liveness_image: Option<(ImageType, Bytes)>,
}

/// What `GET /sessions/{id}/media/{mid}/content` answers.
#[derive(Debug, Clone)]
pub(crate) enum MediaContent {
    /// 200 with this content type and these bytes.
    Content(&'static str, Bytes),
    /// 204: the media (or resource) exists but there is no content.
    NoContent,
}

/// One IDV session.
#[derive(Debug, Clone)]
pub(crate) struct Session {
    id: String,
    sdk_id: String,
    token: String,
    ttl_secs: u64,
    deadline: SystemTime,
    user_tracking_id: Option<String>,
    block_biometric_consent: bool,
    requested_checks: Vec<RequestedCheck>,
    requirements: Vec<Requirement>,
    face_captures: Vec<FaceCapture>,
    liveness: Vec<LivenessCapture>,
    media: HashMap<String, Media>,
    checks: Vec<Check>,
    completed: Option<SystemTime>,
    biometric_consent: Option<SystemTime>,
}

impl Session {
    /// Creates a session for `sdk_id` with fresh random ids and token.
    pub(crate) fn create(
        sdk_id: &str,
        spec: SessionSpec,
        now: SystemTime,
    ) -> Result<Self, ApiError> {
        let mut requirements = Vec::new();
        if spec
            .requested_checks
            .iter()
            .any(|c| c.kind == "FACE_COMPARISON")
        {
            requirements.push(Requirement {
                id: new_uuid()?,
                kind: RequirementKind::FaceCapture,
                complete: false,
            });
        }
        if let Some(liveness) = spec.requested_checks.iter().find(|c| c.kind == "LIVENESS") {
            requirements.push(Requirement {
                id: new_uuid()?,
                kind: RequirementKind::Liveness(liveness.liveness_type),
                complete: false,
            });
        }
        Ok(Self {
            id: new_uuid()?,
            sdk_id: sdk_id.to_owned(),
            token: new_uuid()?,
            ttl_secs: spec.ttl_secs,
            deadline: now + Duration::from_secs(spec.ttl_secs),
            user_tracking_id: spec.user_tracking_id,
            block_biometric_consent: spec.block_biometric_consent,
            requested_checks: spec.requested_checks,
            requirements,
            face_captures: Vec::new(),
            liveness: Vec::new(),
            media: HashMap::new(),
            checks: Vec::new(),
            completed: None,
            biometric_consent: None,
        })
    }

    pub(crate) fn id(&self) -> &str {
        &self.id
    }

    pub(crate) fn sdk_id(&self) -> &str {
        &self.sdk_id
    }

    pub(crate) fn state(&self, now: SystemTime) -> SessionState {
        if self.completed.is_some() {
            SessionState::Completed
        } else if now >= self.deadline {
            SessionState::Expired
        } else {
            SessionState::Ongoing
        }
    }

    /// Seconds left for the end user, rounded up; 0 once the session has expired.
    fn remaining_ttl(&self, now: SystemTime) -> u64 {
        match self.deadline.duration_since(now) {
            Ok(left) => left.as_secs() + u64::from(left.subsec_nanos() > 0),
            Err(_) => 0,
        }
    }

    /// Writes (resources, uploads, the agent) need an `ONGOING` session.
    fn ensure_ongoing(&self, now: SystemTime) -> Result<(), ApiError> {
        match self.state(now) {
            SessionState::Ongoing => Ok(()),
            SessionState::Expired => Err(ApiError::session_expired()),
            SessionState::Completed => Err(ApiError::conflict(
                "SESSION_COMPLETED",
                "The session is completed and its resources are locked",
            )),
        }
    }

    /// Sessions can be deleted only once their checks are finished (or the session expired).
    pub(crate) fn ensure_deletable(&self, now: SystemTime) -> Result<(), ApiError> {
        match self.state(now) {
            SessionState::Ongoing => Err(ApiError::conflict(
                "SESSION_LOCKED",
                "The checks are not finished",
            )),
            SessionState::Completed | SessionState::Expired => Ok(()),
        }
    }

    fn add_media(&mut self, media: Media) -> Result<String, ApiError> {
        let id = new_uuid()?;
        self.media.insert(id.clone(), media);
        Ok(id)
    }

    /// `POST /sessions/{id}/resources/face-capture` with `{"requirement_id": ...}`.
    pub(crate) fn create_face_capture(
        &mut self,
        body: &[u8],
        now: SystemTime,
    ) -> Result<impl Serialize + use<>, ApiError> {
        let value: Value = serde_json::from_slice(body)
            .map_err(|_| ApiError::malformed("Request body is not valid JSON"))?;
        let Value::Object(obj) = value else {
            return Err(ApiError::malformed("Request body must be a JSON object"));
        };
        let requirement_id = match obj.get("requirement_id") {
            Some(Value::String(id)) => id,
            None | Some(Value::Null) => {
                return Err(ApiError::invalid("requirement_id", "must not be null"));
            }
            Some(_) => return Err(ApiError::invalid("requirement_id", "must be a string")),
        };
        let known = self
            .requirements
            .iter()
            .any(|r| r.kind == RequirementKind::FaceCapture && &r.id == requirement_id);
        if !known {
            return Err(ApiError::invalid(
                "requirement_id",
                "does not match a FACE_CAPTURE requirement of this session",
            ));
        }
        self.ensure_ongoing(now)?;
        let id = new_uuid()?;
        self.face_captures.push(FaceCapture {
            id: id.clone(),
            image: None,
        });
        Ok(FaceCaptureCreatedView { id, frames: 1 })
    }

    /// `PUT /sessions/{id}/resources/face-capture/{rid}/image` (multipart, part `binary-content`).
    pub(crate) fn upload_face_capture_image(
        &mut self,
        resource_id: &str,
        content_type: Option<&str>,
        body: &Bytes,
        now: SystemTime,
    ) -> Result<(), ApiError> {
        let index = self
            .face_captures
            .iter()
            .position(|fc| fc.id == resource_id)
            .ok_or_else(ApiError::resource_not_found)?;
        self.ensure_ongoing(now)?;

        let content_type = content_type
            .ok_or_else(|| ApiError::malformed(media::MultipartError::NotMultipart.message()))?;
        let boundary =
            media::boundary(content_type).map_err(|e| ApiError::malformed(e.message()))?;
        let parts = media::parse_multipart(body, &boundary)
            .map_err(|e| ApiError::malformed(e.message()))?;
        let part = parts
            .iter()
            .find(|p| p.name.as_deref() == Some("binary-content"))
            .ok_or_else(|| ApiError::invalid("binary-content", "must not be null"))?;
        if part.filename.as_deref().is_none_or(str::is_empty) {
            return Err(ApiError::invalid(
                "binary-content",
                "Content-Disposition must set a filename",
            ));
        }
        let declared = part
            .content_type
            .as_deref()
            .and_then(ImageType::from_mime)
            .ok_or_else(|| {
                ApiError::invalid(
                    "binary-content",
                    "Content-Type must be image/jpeg, image/jpg or image/png",
                )
            })?;
        if part.data.is_empty() {
            return Err(ApiError::invalid("binary-content", "must not be empty"));
        }
        if ImageType::sniff(&part.data) != Some(declared) {
            return Err(ApiError::invalid(
                "binary-content",
                "content does not match its declared image type",
            ));
        }

        let media_id = self.add_media(Media::new("IMAGE", declared.mime(), part.data.clone()))?;
        self.face_captures[index].image = Some(media_id);
        for requirement in &mut self.requirements {
            if requirement.kind == RequirementKind::FaceCapture {
                requirement.complete = true;
            }
        }
        Ok(())
    }

    /// Looks up media content by media id. The id of a face-capture or liveness resource
    /// also works: it gives that resource's image, or 204 while it has none.
    pub(crate) fn media_content(&self, media_id: &str) -> Result<MediaContent, ApiError> {
        let media_id = self.resolve_media_id(media_id)?;
        let Some(media_id) = media_id else {
            return Ok(MediaContent::NoContent);
        };
        let media = self
            .media
            .get(media_id)
            .ok_or_else(ApiError::media_not_found)?;
        Ok(match &media.content {
            Some(bytes) => MediaContent::Content(media.content_type, bytes.clone()),
            None => MediaContent::NoContent,
        })
    }

    /// Deletes media content (the pointer stays in the session; its content then gives 204).
    pub(crate) fn delete_media(&mut self, media_id: &str, now: SystemTime) -> Result<(), ApiError> {
        let resolved = self.resolve_media_id(media_id)?.map(str::to_owned);
        if self.state(now) == SessionState::Ongoing {
            return Err(ApiError::conflict(
                "SESSION_LOCKED",
                "Session is locked (in progress before checks triggered)",
            ));
        }
        if let Some(media) = resolved.and_then(|id| self.media.get_mut(&id)) {
            media.content = None;
            media.last_updated = now;
        }
        Ok(())
    }

    /// Maps a media id, or a resource id, to `Some(media id)`, or `None` for a resource
    /// without media. Unknown ids are 404 `MEDIA_NOT_FOUND`.
    fn resolve_media_id<'a>(&'a self, id: &'a str) -> Result<Option<&'a str>, ApiError> {
        if self.media.contains_key(id) {
            return Ok(Some(id));
        }
        if let Some(fc) = self.face_captures.iter().find(|fc| fc.id == id) {
            return Ok(fc.image.as_deref());
        }
        if let Some(lc) = self.liveness.iter().find(|lc| lc.id == id) {
            return Ok(lc.image.as_deref());
        }
        Err(ApiError::media_not_found())
    }

    /// `POST /sandbox/idverify/v1/agent`: plays the end user and completes the session.
    pub(crate) fn complete_by_agent(
        &mut self,
        token: &str,
        capture: AgentCapture,
        now: SystemTime,
    ) -> Result<(), ApiError> {
        if token != self.token {
            return Err(ApiError::bad_token());
        }
        self.ensure_ongoing(now)?;

        let liveness_requirements: Vec<LivenessType> = self
            .requirements
            .iter()
            .filter_map(|r| match r.kind {
                RequirementKind::Liveness(t) => Some(t),
                RequirementKind::FaceCapture => None,
            })
            .collect();
        let (image_type, image) = capture.liveness_image.unwrap_or((
            ImageType::Jpeg,
            Bytes::from_static(media::DEFAULT_LIVENESS_JPEG),
        ));
        for liveness_type in liveness_requirements {
            let image_id = self.add_media(Media::new("IMAGE", image_type.mime(), image.clone()))?;
            let facemap = match liveness_type {
                LivenessType::Zoom => Some(self.add_media(Media::new(
                    "BINARY",
                    "application/octet-stream",
                    Bytes::from_static(media::DEFAULT_FACEMAP),
                ))?),
                LivenessType::Static => None,
            };
            self.liveness.push(LivenessCapture {
                id: new_uuid()?,
                liveness_type,
                image: Some(image_id),
                facemap,
            });
        }
        for requirement in &mut self.requirements {
            if matches!(requirement.kind, RequirementKind::Liveness(_)) {
                requirement.complete = true;
            }
        }
        if !self.block_biometric_consent {
            self.biometric_consent = Some(now);
        }

        let mut checks = Vec::with_capacity(self.requested_checks.len());
        for requested in &self.requested_checks {
            checks.push(self.evaluate(&requested.kind, now)?);
        }
        self.checks = checks;
        self.completed = Some(now);
        Ok(())
    }

    /// The deterministic outcome of one requested check (see the crate docs).
    fn evaluate(&self, kind: &str, now: SystemTime) -> Result<Check, ApiError> {
        let liveness = self.liveness.iter().rev().find(|l| l.image.is_some());
        let reference = self
            .face_captures
            .iter()
            .rev()
            .find(|fc| fc.image.is_some());
        let mut check = Check {
            kind: kind.to_owned(),
            id: new_uuid()?,
            resources_used: Vec::new(),
            recommendation: "NOT_AVAILABLE",
            reason: None,
            breakdown: Vec::new(),
            created: now,
        };
        match kind {
            "LIVENESS" => match liveness {
                Some(l) => {
                    check.resources_used.push(l.id.clone());
                    check.recommendation = "APPROVE";
                    check.breakdown.push(SubCheck {
                        sub_check: "liveness_auth",
                        result: "PASS",
                        details: Vec::new(),
                    });
                }
                None => check.reason = Some("LIVENESS_NOT_CAPTURED"),
            },
            "FACE_COMPARISON" => {
                check
                    .resources_used
                    .extend(reference.iter().map(|r| r.id.clone()));
                check
                    .resources_used
                    .extend(liveness.iter().map(|l| l.id.clone()));
                match (reference, liveness) {
                    (Some(_), Some(_)) => {
                        check.recommendation = "APPROVE";
                        check.breakdown.push(SubCheck {
                            sub_check: "ai_face_match",
                            result: "PASS",
                            details: vec![("confidence_score", FACE_MATCH_CONFIDENCE.to_owned())],
                        });
                    }
                    (None, _) => check.reason = Some("REFERENCE_IMAGE_MISSING"),
                    (Some(_), None) => check.reason = Some("LIVENESS_NOT_CAPTURED"),
                }
            }
            _ => check.reason = Some("NOT_SUPPORTED_BY_EMULATOR"),
        }
        Ok(check)
    }

    // ---- JSON views ----------------------------------------------------------------------

    /// Body of the `201` answer to `POST /sessions`.
    pub(crate) fn created_view(&self) -> impl Serialize + '_ {
        CreatedView {
            client_session_token_ttl: self.ttl_secs,
            client_session_token: &self.token,
            session_id: &self.id,
        }
    }

    /// Body of `GET /sessions/{id}/configuration`.
    pub(crate) fn configuration_view(&self, now: SystemTime) -> impl Serialize + '_ {
        let biometric = self
            .requested_checks
            .iter()
            .any(|c| c.kind == "LIVENESS" || c.kind == "FACE_COMPARISON");
        let consent =
            if biometric && !self.block_biometric_consent && self.biometric_consent.is_none() {
                "REQUIRED"
            } else {
                "NOT_REQUIRED"
            };
        ConfigurationView {
            client_session_token_ttl: self.remaining_ttl(now),
            session_id: &self.id,
            requested_checks: self
                .requested_checks
                .iter()
                .map(|c| c.kind.as_str())
                .collect(),
            capture: CaptureView {
                biometric_consent: consent,
                required_resources: self
                    .requirements
                    .iter()
                    .map(|r| {
                        let (kind, liveness_type, source) = match r.kind {
                            RequirementKind::FaceCapture => {
                                ("FACE_CAPTURE", None, "RELYING_BUSINESS")
                            }
                            RequirementKind::Liveness(t) => {
                                ("LIVENESS", Some(t.as_str()), "END_USER")
                            }
                        };
                        RequiredResourceView {
                            kind,
                            id: &r.id,
                            state: if r.complete { "COMPLETE" } else { "REQUIRED" },
                            liveness_type,
                            allowed_sources: vec![SourceView { kind: source }],
                        }
                    })
                    .collect(),
            },
        }
    }

    /// Body of `GET /sessions/{id}`.
    pub(crate) fn session_view(&self, now: SystemTime) -> impl Serialize + '_ {
        SessionView {
            client_session_token_ttl: self.remaining_ttl(now),
            session_id: &self.id,
            user_tracking_id: self.user_tracking_id.as_deref(),
            state: self.state(now).as_str(),
            client_session_token: &self.token,
            biometric_consent: self.biometric_consent.map(format_rfc3339),
            resources: ResourcesView {
                id_documents: Vec::new(),
                supplementary_documents: Vec::new(),
                liveness_capture: self
                    .liveness
                    .iter()
                    .map(|l| {
                        let image = l.image.as_deref().and_then(|id| self.media_view(id));
                        let (image, frames) = match l.liveness_type {
                            LivenessType::Static => (image, None),
                            LivenessType::Zoom => (None, Some(image.into_iter().collect())),
                        };
                        LivenessView {
                            id: &l.id,
                            liveness_type: l.liveness_type.as_str(),
                            tasks: Vec::new(),
                            image,
                            frames,
                            facemap: l.facemap.as_deref().and_then(|id| self.media_view(id)),
                            source: SourceView { kind: "END_USER" },
                        }
                    })
                    .collect(),
                face_capture: self
                    .face_captures
                    .iter()
                    .map(|fc| FaceCaptureView {
                        id: &fc.id,
                        tasks: Vec::new(),
                        image: fc.image.as_deref().and_then(|id| self.media_view(id)),
                        source: SourceView {
                            kind: "RELYING_BUSINESS",
                        },
                    })
                    .collect(),
            },
            checks: self
                .checks
                .iter()
                .map(|c| {
                    let at = format_rfc3339(c.created);
                    CheckView {
                        kind: &c.kind,
                        id: &c.id,
                        state: "DONE",
                        resources_used: &c.resources_used,
                        generated_media: Vec::new(),
                        report: ReportView {
                            recommendation: RecommendationView {
                                value: c.recommendation,
                                reason: c.reason,
                            },
                            breakdown: c
                                .breakdown
                                .iter()
                                .map(|b| BreakdownView {
                                    sub_check: b.sub_check,
                                    result: b.result,
                                    details: b
                                        .details
                                        .iter()
                                        .map(|(name, value)| DetailView { name, value })
                                        .collect(),
                                })
                                .collect(),
                        },
                        created: at.clone(),
                        last_updated: at,
                    }
                })
                .collect(),
        }
    }

    fn media_view(&self, media_id: &str) -> Option<MediaWrapperView<'_>> {
        let (id, media) = self.media.get_key_value(media_id)?;
        Some(MediaWrapperView {
            media: MediaView {
                id,
                kind: media.kind,
                created: format_rfc3339(media.created),
                last_updated: format_rfc3339(media.last_updated),
            },
        })
    }
}

#[derive(Serialize)]
struct CreatedView<'a> {
    client_session_token_ttl: u64,
    client_session_token: &'a str,
    session_id: &'a str,
}

#[derive(Serialize)]
struct FaceCaptureCreatedView {
    id: String,
    frames: u32,
}

#[derive(Serialize)]
struct ConfigurationView<'a> {
    client_session_token_ttl: u64,
    session_id: &'a str,
    requested_checks: Vec<&'a str>,
    capture: CaptureView<'a>,
}

#[derive(Serialize)]
struct CaptureView<'a> {
    biometric_consent: &'static str,
    required_resources: Vec<RequiredResourceView<'a>>,
}

#[derive(Serialize)]
struct RequiredResourceView<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    id: &'a str,
    state: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    liveness_type: Option<&'static str>,
    allowed_sources: Vec<SourceView>,
}

#[derive(Serialize)]
struct SourceView {
    #[serde(rename = "type")]
    kind: &'static str,
}

#[derive(Serialize)]
struct SessionView<'a> {
    client_session_token_ttl: u64,
    session_id: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    user_tracking_id: Option<&'a str>,
    state: &'static str,
    client_session_token: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    biometric_consent: Option<String>,
    resources: ResourcesView<'a>,
    checks: Vec<CheckView<'a>>,
}

#[derive(Serialize)]
struct ResourcesView<'a> {
    id_documents: Vec<Value>,
    supplementary_documents: Vec<Value>,
    liveness_capture: Vec<LivenessView<'a>>,
    face_capture: Vec<FaceCaptureView<'a>>,
}

#[derive(Serialize)]
struct LivenessView<'a> {
    id: &'a str,
    liveness_type: &'static str,
    tasks: Vec<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    image: Option<MediaWrapperView<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    frames: Option<Vec<MediaWrapperView<'a>>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    facemap: Option<MediaWrapperView<'a>>,
    source: SourceView,
}

#[derive(Serialize)]
struct FaceCaptureView<'a> {
    id: &'a str,
    tasks: Vec<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    image: Option<MediaWrapperView<'a>>,
    source: SourceView,
}

#[derive(Serialize)]
struct MediaWrapperView<'a> {
    media: MediaView<'a>,
}

#[derive(Serialize)]
struct MediaView<'a> {
    id: &'a str,
    #[serde(rename = "type")]
    kind: &'static str,
    created: String,
    last_updated: String,
}

#[derive(Serialize)]
struct CheckView<'a> {
    #[serde(rename = "type")]
    kind: &'a str,
    id: &'a str,
    state: &'static str,
    resources_used: &'a [String],
    generated_media: Vec<Value>,
    report: ReportView<'a>,
    created: String,
    last_updated: String,
}

#[derive(Serialize)]
struct ReportView<'a> {
    recommendation: RecommendationView,
    breakdown: Vec<BreakdownView<'a>>,
}

#[derive(Serialize)]
struct RecommendationView {
    value: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    reason: Option<&'static str>,
}

#[derive(Serialize)]
struct BreakdownView<'a> {
    sub_check: &'static str,
    result: &'static str,
    details: Vec<DetailView<'a>>,
}

#[derive(Serialize)]
struct DetailView<'a> {
    name: &'static str,
    value: &'a str,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(json: &str) -> Result<SessionSpec, ApiError> {
        SessionSpec::parse(json.as_bytes(), SystemTime::now())
    }

    fn properties(err: &ApiError) -> Vec<&str> {
        err.errors().iter().map(|e| e.property.as_str()).collect()
    }

    #[test]
    fn accepts_node_selfie_spec() {
        let s = spec(r#"{"client_session_token_ttl":600,"resources_ttl":90000,"user_tracking_id":"u","requested_checks":[{"type":"LIVENESS","config":{"max_retries":3,"liveness_type":"STATIC"}},{"type":"FACE_COMPARISON","config":{"manual_check":"NEVER"}}],"requested_tasks":[],"sdk_config":{"allow_handoff":true},"required_documents":[]}"#)
            .expect("valid");
        assert_eq!(s.ttl_secs, 600);
        assert_eq!(s.requested_checks.len(), 2);
        assert_eq!(spec("{}").expect("empty spec").ttl_secs, DEFAULT_TTL_SECS);
    }

    #[test]
    fn names_the_bad_properties() {
        let err = spec(r#"{"requested_checks":[{"type":"LIVENESS"},{"type":"NOPE"}]}"#)
            .expect_err("unknown type");
        assert_eq!(err.status(), axum::http::StatusCode::BAD_REQUEST);
        assert_eq!(properties(&err), ["requested_checks[1].type"]);

        let err =
            spec(r#"{"client_session_token_ttl":"600","requested_checks":[{"config":{}}, 3]}"#)
                .expect_err("bad");
        assert_eq!(
            properties(&err),
            [
                "client_session_token_ttl",
                "requested_checks[0].type",
                "requested_checks[1]"
            ]
        );

        for bad in [
            r#"{"client_session_token_ttl":60}"#,
            r#"{"client_session_token_ttl":600.5}"#,
            r#"{"client_session_token_ttl":-1}"#,
            r#"{"client_session_token_ttl":9999999}"#,
        ] {
            let err = spec(bad).expect_err(bad);
            assert_eq!(properties(&err), ["client_session_token_ttl"], "{bad}");
        }
        let err =
            spec(r#"{"client_session_token_ttl":600,"resources_ttl":600}"#).expect_err("rttl");
        assert_eq!(properties(&err), ["resources_ttl"]);
        let err = spec(
            r#"{"requested_checks":[{"type":"LIVENESS","config":{"liveness_type":"BLINK"}}]}"#,
        )
        .expect_err("liveness type");
        assert_eq!(
            properties(&err),
            ["requested_checks[0].config.liveness_type"]
        );
        let err = spec(r#"{"requested_tasks":[{"type":"X"}],"required_documents":{}}"#)
            .expect_err("tasks");
        assert_eq!(
            properties(&err),
            ["requested_tasks[0].type", "required_documents"]
        );
    }

    #[test]
    fn malformed_bodies() {
        for bad in ["", "not json", "[]", "null"] {
            let err = spec(bad).expect_err(bad);
            assert_eq!(err.code(), "MALFORMED_REQUEST");
        }
    }

    #[test]
    fn session_deadline() {
        let now = SystemTime::now();
        let deadline = format_rfc3339(now + Duration::from_secs(3600));
        let s = SessionSpec::parse(
            format!(r#"{{"session_deadline":"{deadline}"}}"#).as_bytes(),
            now,
        )
        .expect("deadline");
        assert!((3598..=3600).contains(&s.ttl_secs), "{}", s.ttl_secs);
        let err = SessionSpec::parse(
            format!(r#"{{"session_deadline":"{deadline}","client_session_token_ttl":600}}"#)
                .as_bytes(),
            now,
        )
        .expect_err("both");
        assert_eq!(properties(&err), ["session_deadline"]);
        let err = SessionSpec::parse(br#"{"session_deadline":"2000-01-01T00:00:00Z"}"#, now)
            .expect_err("past");
        assert_eq!(properties(&err), ["session_deadline"]);
    }

    #[test]
    fn lifecycle_without_reference_image() {
        let now = SystemTime::now();
        let s = spec(r#"{"requested_checks":[{"type":"LIVENESS"},{"type":"FACE_COMPARISON"},{"type":"WATCHLIST_SCREENING"}]}"#)
            .expect("spec");
        let mut session = Session::create("app", s, now).expect("create");
        assert_eq!(session.state(now), SessionState::Ongoing);
        assert_eq!(session.remaining_ttl(now), DEFAULT_TTL_SECS);
        assert_eq!(
            session.ensure_deletable(now).expect_err("locked").code(),
            "SESSION_LOCKED"
        );
        let token = session.token.clone();
        assert_eq!(
            session
                .complete_by_agent(
                    "wrong",
                    AgentCapture {
                        liveness_image: None
                    },
                    now
                )
                .expect_err("token")
                .code(),
            "BAD_TOKEN"
        );
        session
            .complete_by_agent(
                &token,
                AgentCapture {
                    liveness_image: None,
                },
                now,
            )
            .expect("agent");
        assert_eq!(session.state(now), SessionState::Completed);
        let outcomes: Vec<_> = session
            .checks
            .iter()
            .map(|c| (c.kind.as_str(), c.recommendation, c.reason))
            .collect();
        assert_eq!(
            outcomes,
            [
                ("LIVENESS", "APPROVE", None),
                (
                    "FACE_COMPARISON",
                    "NOT_AVAILABLE",
                    Some("REFERENCE_IMAGE_MISSING")
                ),
                (
                    "WATCHLIST_SCREENING",
                    "NOT_AVAILABLE",
                    Some("NOT_SUPPORTED_BY_EMULATOR")
                ),
            ]
        );
        assert!(session.ensure_deletable(now).is_ok());
        assert_eq!(
            session
                .complete_by_agent(
                    &token,
                    AgentCapture {
                        liveness_image: None
                    },
                    now
                )
                .expect_err("twice")
                .code(),
            "SESSION_COMPLETED"
        );
    }

    #[test]
    fn expiry() {
        let now = SystemTime::now();
        let mut session = Session::create("app", spec("{}").expect("spec"), now).expect("create");
        let later = now + Duration::from_secs(DEFAULT_TTL_SECS);
        assert_eq!(session.state(later), SessionState::Expired);
        assert_eq!(session.remaining_ttl(later), 0);
        let token = session.token.clone();
        assert_eq!(
            session
                .complete_by_agent(
                    &token,
                    AgentCapture {
                        liveness_image: None
                    },
                    later
                )
                .expect_err("expired")
                .code(),
            "SESSION_EXPIRED"
        );
        assert!(session.ensure_deletable(later).is_ok());
    }
}
