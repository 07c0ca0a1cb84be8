//! Sessions: state, lifecycle, resources, media, and the events they emit.
//!
//! * [`spec`]: the session specification and its validation;
//! * [`capture`]: what the relying business, the end user (hosted page) and the sandbox
//!   agent add to a session;
//! * [`outcomes`]: check and task results, default or scripted by a response config;
//! * [`view`]: the JSON the API answers with.
//!
//! # Lifecycle
//!
//! A session is `ONGOING` from creation. When the end user's part is done (the sandbox
//! agent, or the hosted page's last step), the capture is *complete*: the client session
//! token stops working for the client API, the checks and tasks are created `PENDING`, and
//! `async_report_delay` seconds later (immediately by default) they are `DONE` and the
//! session is `COMPLETED`. A session whose capture did not complete before its deadline
//! (`client_session_token_ttl` or `session_deadline`) is `EXPIRED`. `resources_ttl` seconds
//! after the client session token's lifetime ends (the reading of the v8.0 system
//! preferences page: the retention starts "once the `client_session_token_ttl` is
//! completed") the session and all its media are deleted: every call then gets 404.
//! Transitions are applied whenever a session is read, and by a background tick.

pub(crate) mod capture;
pub(crate) mod outcomes;
pub(crate) mod spec;
pub(crate) mod view;

use std::collections::HashMap;
use std::time::{Duration, SystemTime};

use axum::body::Bytes;
use serde_json::{Map, Value, json};

use crate::error::ApiError;
use crate::media::Media;
use crate::sandbox::ResponseConfig;
use crate::util::{format_rfc3339, new_uuid};

pub(crate) use spec::{LivenessType, SessionSpec};

/// Lifecycle state of a session.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SessionState {
    Ongoing,
    Completed,
    Expired,
}

impl SessionState {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Self::Ongoing => "ONGOING",
            Self::Completed => "COMPLETED",
            Self::Expired => "EXPIRED",
        }
    }
}

/// What a required resource asks for.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum RequirementKind {
    /// The reference image of FACE_COMPARISON, supplied by the relying business.
    FaceCapture,
    Liveness(LivenessType),
    /// Index into `spec.required_documents`, or `None` for an ID document implied by the
    /// checks.
    IdDocument(Option<usize>),
    SupplementaryDocument(usize),
}

/// One entry of `capture.required_resources`.
#[derive(Debug, Clone)]
pub(crate) struct Requirement {
    pub(crate) id: String,
    pub(crate) kind: RequirementKind,
    pub(crate) complete: bool,
}

/// A face-capture resource (the FACE_COMPARISON reference image).
#[derive(Debug, Clone)]
pub(crate) struct FaceCapture {
    pub(crate) id: String,
    pub(crate) image: Option<String>,
    /// The applicant attached as the reference (S1), when that came after any upload.
    pub(crate) applicant: Option<String>,
}

/// A liveness capture.
#[derive(Debug, Clone)]
pub(crate) struct LivenessCapture {
    pub(crate) id: String,
    pub(crate) liveness_type: LivenessType,
    /// STATIC: the image; ZOOM: the one frame.
    pub(crate) image: Option<String>,
    /// ZOOM only.
    pub(crate) facemap: Option<String>,
}

/// A task of a document resource.
#[derive(Debug, Clone)]
pub(crate) struct Task {
    pub(crate) id: String,
    pub(crate) kind: String,
    /// `DONE` or `FAILED` once finished.
    pub(crate) outcome: &'static str,
    pub(crate) done: bool,
    pub(crate) generated_checks: Vec<(String, String)>,
    pub(crate) generated_media: Vec<String>,
    pub(crate) recommendation: Option<Value>,
    pub(crate) created: SystemTime,
    pub(crate) finished: Option<SystemTime>,
}

/// An ID document or a supplementary document.
#[derive(Debug, Clone)]
pub(crate) struct DocumentResource {
    pub(crate) id: String,
    pub(crate) supplementary: bool,
    pub(crate) document_type: String,
    pub(crate) issuing_country: String,
    pub(crate) capture_method: String,
    /// Media id of the page image.
    pub(crate) page: String,
    pub(crate) document_fields: Option<String>,
    pub(crate) document_id_photo: Option<String>,
    pub(crate) tasks: Vec<Task>,
}

/// A check, as created when the capture completes.
#[derive(Debug, Clone)]
pub(crate) struct Check {
    pub(crate) id: String,
    pub(crate) kind: String,
    pub(crate) done: bool,
    pub(crate) resources_used: Vec<String>,
    /// The report shown once the check is `DONE`.
    pub(crate) report: Value,
    pub(crate) generated_media: Vec<String>,
    pub(crate) generated_profile: Option<String>,
    pub(crate) created: SystemTime,
    pub(crate) finished: Option<SystemTime>,
    /// A LIVENESS entry's `response_delay`: this check is `DONE` that much later than the
    /// others.
    pub(crate) extra_delay: Duration,
    /// A state scripted by the sandbox (`check_state`, the emulator's extension): `CREATED`,
    /// `READY` or `INTERNAL_ERROR`, kept instead of `PENDING`/`DONE`.
    pub(crate) scripted_state: Option<&'static str>,
    /// The check's `config` as the result shows it (FAMILIAR_FACE_SEARCH: the request's
    /// `pool_id` and `approval_criteria`, enriched with the pool's `pool_label`).
    pub(crate) config: Option<Value>,
}

impl Check {
    /// The `state` the API shows.
    pub(crate) fn state(&self) -> &'static str {
        match (self.scripted_state, self.done) {
            (Some(state), _) => state,
            (None, true) => "DONE",
            (None, false) => "PENDING",
        }
    }

    /// Whether the check no longer holds the session open: `DONE`, or `INTERNAL_ERROR`.
    fn finished_for_session(&self) -> bool {
        self.done || self.scripted_state == Some("INTERNAL_ERROR")
    }
}

/// One tracked-device event.
#[derive(Debug, Clone)]
pub(crate) struct DeviceEvent {
    pub(crate) event: &'static str,
    pub(crate) resource_id: Option<String>,
    pub(crate) created: SystemTime,
    pub(crate) device: Device,
}

/// What the emulator knows of the device behind a client request.
#[derive(Debug, Clone, Default)]
pub(crate) struct Device {
    pub(crate) browser_name: Option<String>,
    pub(crate) os_name: Option<String>,
    pub(crate) locale: Option<String>,
}

impl Device {
    /// A rough reading of `User-Agent` and `Accept-Language` (no version numbers kept).
    pub(crate) fn from_headers(headers: &axum::http::HeaderMap) -> Self {
        let ua = headers
            .get(axum::http::header::USER_AGENT)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        let browser = [
            ("Edg/", "Edge"),
            ("Chrome/", "Chrome"),
            ("Firefox/", "Firefox"),
            ("Safari/", "Safari"),
            ("ureq", "ureq"),
            ("reqwest", "reqwest"),
        ]
        .iter()
        .find(|(needle, _)| ua.contains(needle))
        .map(|(_, name)| (*name).to_owned());
        let os = [
            ("Android", "Android"),
            ("iPhone", "iOS"),
            ("Windows", "Windows"),
            ("Mac OS X", "macOS"),
            ("Linux", "Linux"),
        ]
        .iter()
        .find(|(needle, _)| ua.contains(needle))
        .map(|(_, name)| (*name).to_owned());
        let locale = headers
            .get(axum::http::header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split([',', ';']).next())
            .map(str::trim)
            .filter(|l| {
                !l.is_empty()
                    && l.len() <= 35
                    && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
            })
            .map(str::to_owned);
        Self {
            browser_name: browser,
            os_name: os,
            locale,
        }
    }
}

/// A notification waiting to be delivered (built only for subscribed topics).
#[derive(Debug, Clone)]
pub(crate) struct Outgoing {
    pub(crate) endpoint: String,
    pub(crate) authorization: Option<String>,
    pub(crate) body: Value,
}

/// One IDV session.
#[derive(Debug, Clone)]
pub(crate) struct Session {
    pub(crate) id: String,
    pub(crate) sdk_id: String,
    /// Created through the sandbox base: reachable only through it (and the API base's
    /// sessions only through the API base).
    pub(crate) sandbox: bool,
    pub(crate) token: String,
    pub(crate) spec: SessionSpec,
    pub(crate) deadline: SystemTime,
    pub(crate) resources_expire: SystemTime,
    pub(crate) requirements: Vec<Requirement>,
    pub(crate) face_captures: Vec<FaceCapture>,
    pub(crate) liveness: Vec<LivenessCapture>,
    pub(crate) documents: Vec<DocumentResource>,
    pub(crate) media: HashMap<String, Media>,
    pub(crate) checks: Vec<Check>,
    pub(crate) biometric_consent: Option<SystemTime>,
    /// When the end user's part was completed.
    pub(crate) captured: Option<SystemTime>,
    /// When the checks and tasks are due (`captured` + `async_report_delay`).
    pub(crate) reports_due: Option<SystemTime>,
    pub(crate) reports_done: bool,
    pub(crate) token_deleted: bool,
    pub(crate) config_loaded: bool,
    /// The sandbox response config set on this session.
    pub(crate) response_config: Option<ResponseConfig>,
    pub(crate) tracked: Vec<DeviceEvent>,
    pub(crate) instructions: Option<Map<String, Value>>,
    pub(crate) outbox: Vec<Outgoing>,
    /// Media types (`IMAGE`, `JSON`, `BINARY`) whose content is withheld: 204, as for
    /// content regulations prevent returning (scripted by the sandbox's `withheld_media`).
    pub(crate) withheld_media: Vec<String>,
}

impl Session {
    /// Creates a session for `sdk_id` with fresh random ids and token.
    pub(crate) fn create(
        sdk_id: &str,
        spec: SessionSpec,
        now: SystemTime,
    ) -> Result<Self, ApiError> {
        let requirements = capture::requirements_for(&spec)?;
        Ok(Self {
            id: new_uuid()?,
            sdk_id: sdk_id.to_owned(),
            sandbox: false,
            token: new_uuid()?,
            deadline: now + Duration::from_secs(spec.ttl_secs),
            // Retention counts from the end of the client session token's lifetime.
            resources_expire: now
                + Duration::from_secs(spec.ttl_secs)
                + Duration::from_secs(spec.resources_ttl_secs),
            spec,
            requirements,
            face_captures: Vec::new(),
            liveness: Vec::new(),
            documents: Vec::new(),
            media: HashMap::new(),
            checks: Vec::new(),
            biometric_consent: None,
            captured: None,
            reports_due: None,
            reports_done: false,
            token_deleted: false,
            config_loaded: false,
            response_config: None,
            tracked: Vec::new(),
            instructions: None,
            outbox: Vec::new(),
            withheld_media: Vec::new(),
        })
    }

    pub(crate) fn id(&self) -> &str {
        &self.id
    }

    pub(crate) fn sdk_id(&self) -> &str {
        &self.sdk_id
    }

    /// The state at `now` (call [`Session::refresh`] first to apply due transitions).
    pub(crate) fn state(&self, now: SystemTime) -> SessionState {
        if self.captured.is_some() {
            if self.reports_done {
                SessionState::Completed
            } else {
                SessionState::Ongoing
            }
        } else if now >= self.deadline {
            SessionState::Expired
        } else {
            SessionState::Ongoing
        }
    }

    /// Whether the session (and its media) is past its `resources_ttl`.
    pub(crate) fn is_gone(&self, now: SystemTime) -> bool {
        now >= self.resources_expire
    }

    /// Applies the transitions due at `now`: reports becoming `DONE`, expiry.
    pub(crate) fn refresh(&mut self, now: SystemTime) {
        if let Some(due) = self.reports_due
            && !self.reports_done
            && now >= due
        {
            self.finish_reports(due, now);
        }
        if self.captured.is_none() && now >= self.deadline && !self.token_deleted {
            self.delete_token(self.deadline);
        }
    }

    /// Seconds left for the end user, rounded up; 0 once the deadline has passed.
    pub(crate) fn remaining_ttl(&self, now: SystemTime) -> u64 {
        match self.deadline.duration_since(now) {
            Ok(left) => left.as_secs() + u64::from(left.subsec_nanos() > 0),
            Err(_) => 0,
        }
    }

    /// Writes by the relying business or the agent need an `ONGOING` session whose capture is
    /// not complete.
    pub(crate) fn ensure_open(&self, now: SystemTime) -> Result<(), ApiError> {
        match self.state(now) {
            SessionState::Expired => Err(ApiError::session_expired()),
            SessionState::Completed => Err(completed()),
            SessionState::Ongoing if self.captured.is_some() => Err(completed()),
            SessionState::Ongoing => Ok(()),
        }
    }

    /// Sessions and media can be deleted only once the session is completed: 409 "The
    /// checks are not finished" otherwise, as the docs say, an expired session that never
    /// completed included.
    pub(crate) fn ensure_deletable(&self, now: SystemTime) -> Result<(), ApiError> {
        match self.state(now) {
            SessionState::Ongoing | SessionState::Expired => Err(ApiError::conflict(
                "SESSION_LOCKED",
                "The checks are not finished",
            )),
            SessionState::Completed => Ok(()),
        }
    }

    /// Attempts the end user has at the text extraction:
    /// `sdk_config.attempts_configuration.ID_DOCUMENT_TEXT_DATA_EXTRACTION.GENERIC`, 3 by
    /// default (the docs' default).
    pub(crate) fn text_extraction_attempts(&self) -> usize {
        self.spec
            .sdk_config
            .get("attempts_configuration")
            .and_then(|a| a.get("ID_DOCUMENT_TEXT_DATA_EXTRACTION"))
            .and_then(|a| a.get("GENERIC"))
            .and_then(Value::as_u64)
            .map_or(3, |n| usize::try_from(n).unwrap_or(usize::MAX))
            .clamp(1, 100)
    }

    pub(crate) fn add_media(&mut self, media: Media) -> Result<String, ApiError> {
        let id = new_uuid()?;
        self.media.insert(id.clone(), media);
        Ok(id)
    }

    /// Queues a notification if the session subscribed to `topic` (upper case).
    pub(crate) fn notify(&mut self, topic: &str, id_field: Option<(&str, &str)>) {
        let Some(config) = &self.spec.notifications else {
            return;
        };
        if !config.wants(topic) {
            return;
        }
        let mut body = json!({"session_id": self.id, "topic": topic.to_ascii_lowercase()});
        if let Some((name, value)) = id_field {
            body[name] = Value::String(value.to_owned());
        }
        let authorization = config
            .auth_token
            .as_ref()
            .map(|token| match config.auth_type {
                spec::AuthType::Basic => {
                    use base64::Engine as _;
                    format!(
                        "Basic {}",
                        base64::engine::general_purpose::STANDARD.encode(token.as_bytes())
                    )
                }
                spec::AuthType::Bearer => format!("Bearer {token}"),
            });
        self.outbox.push(Outgoing {
            endpoint: config.endpoint.clone(),
            authorization,
            body,
        });
    }

    pub(crate) fn track(
        &mut self,
        event: &'static str,
        resource_id: Option<String>,
        device: Device,
        now: SystemTime,
    ) {
        self.tracked.push(DeviceEvent {
            event,
            resource_id,
            created: now,
            device,
        });
    }

    /// Marks the client session token deleted (capture complete, or expiry).
    pub(crate) fn delete_token(&mut self, now: SystemTime) {
        if self.token_deleted {
            return;
        }
        self.token_deleted = true;
        self.track("CLIENT_SESSION_TOKEN_DELETED", None, Device::default(), now);
        self.notify("CLIENT_SESSION_TOKEN_DELETED", None);
    }

    /// Tasks, then checks, become `DONE` when due (`due`, plus a check's own
    /// `response_delay`); once every task and check is finished the session is `COMPLETED`
    /// and `session_completion` is queued, after every task and check completion.
    fn finish_reports(&mut self, due: SystemTime, now: SystemTime) {
        let mut task_events = Vec::new();
        for doc in &mut self.documents {
            for task in &mut doc.tasks {
                if !task.done {
                    task.done = true;
                    task.finished = Some(due);
                    task_events.push(task.id.clone());
                }
            }
        }
        for id in task_events {
            self.notify("TASK_COMPLETION", Some(("task_id", &id)));
        }
        let mut check_events = Vec::new();
        for check in &mut self.checks {
            let check_due = due + check.extra_delay;
            if !check.done && check.scripted_state.is_none() && now >= check_due {
                check.done = true;
                check.finished = Some(check_due);
                check_events.push(check.id.clone());
            }
        }
        for id in check_events {
            self.notify("CHECK_COMPLETION", Some(("check_id", &id)));
        }
        if self.checks.iter().all(Check::finished_for_session) {
            self.reports_done = true;
            self.notify("SESSION_COMPLETION", None);
        }
    }

    /// Looks up media content by media id. The id of a face-capture or liveness resource
    /// also works (the emulator's convenience): it gives that resource's image, or 404
    /// `MEDIA_NOT_FOUND` while it has none, as for any id that names no media (the API
    /// reference's 404 "media not found"). 204 means "withheld" only, as documented: media
    /// whose type the sandbox config listed in `withheld_media`.
    pub(crate) fn media_content(&self, media_id: &str) -> Result<MediaContent, ApiError> {
        let Some(media_id) = self.resolve_media_id(media_id)? else {
            return Err(ApiError::media_not_found());
        };
        let media = self
            .media
            .get(media_id)
            .ok_or_else(ApiError::media_not_found)?;
        match &media.content {
            Some(_) if self.withheld_media.iter().any(|k| k == media.kind) => {
                Ok(MediaContent::NoContent)
            }
            Some(bytes) => Ok(MediaContent::Content(media.content_type, bytes.clone())),
            None => Err(ApiError::media_not_found()),
        }
    }

    /// The image bytes of media `media_id` (a `face.source` of an applicant face): 404
    /// `MEDIA_NOT_FOUND` for an id naming no media, or media whose content was deleted;
    /// 400 naming `property` for media that is no JPEG or PNG image.
    pub(crate) fn image_media(
        &self,
        media_id: &str,
        property: &str,
    ) -> Result<(crate::media::ImageType, Bytes), ApiError> {
        let media = self
            .media
            .get(media_id)
            .ok_or_else(ApiError::media_not_found)?;
        let content = media
            .content
            .clone()
            .ok_or_else(ApiError::media_not_found)?;
        match crate::media::ImageType::from_mime(media.content_type) {
            Some(kind) if media.kind == "IMAGE" => Ok((kind, content)),
            _ => Err(ApiError::invalid(property, "must name a JPEG or PNG image")),
        }
    }

    /// Deletes media content: afterwards its content is 404 (the pointer stays in the
    /// session result).
    pub(crate) fn delete_media(&mut self, media_id: &str, now: SystemTime) -> Result<(), ApiError> {
        let resolved = self.resolve_media_id(media_id)?.map(str::to_owned);
        self.ensure_deletable(now)?;
        if let Some(media) = resolved.and_then(|id| self.media.get_mut(&id)) {
            if media.content.is_none() {
                return Err(ApiError::media_not_found());
            }
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
        if let Some(doc) = self.documents.iter().find(|d| d.id == id) {
            return Ok(Some(doc.page.as_str()));
        }
        Err(ApiError::media_not_found())
    }

    /// Body of `GET /sessions/{id}/tracked-devices`.
    pub(crate) fn tracked_devices_view(&self) -> Value {
        Value::Array(
            self.tracked
                .iter()
                .map(|e| {
                    let mut device = Map::new();
                    device.insert("ip_address".into(), json!("127.0.0.1"));
                    for (name, value) in [
                        ("browser_name", &e.device.browser_name),
                        ("os_name", &e.device.os_name),
                        ("locale", &e.device.locale),
                    ] {
                        if let Some(v) = value {
                            device.insert(name.into(), json!(v));
                        }
                    }
                    let mut event = json!({
                        "event": e.event,
                        "created": format_rfc3339(e.created),
                        "device": device,
                    });
                    if let Some(r) = &e.resource_id {
                        event["resource_id"] = json!(r);
                    }
                    event
                })
                .collect(),
        )
    }
}

fn completed() -> ApiError {
    ApiError::conflict(
        "SESSION_COMPLETED",
        "The session is completed and its resources are locked",
    )
}

/// What `GET /sessions/{id}/media/{mid}/content` answers.
#[derive(Debug, Clone)]
pub(crate) enum MediaContent {
    /// 200 with this content type and these bytes.
    Content(&'static str, Bytes),
    /// 204: the media exists but its content is withheld (the documented "regulations
    /// prevent us from returning the media content").
    NoContent,
}
