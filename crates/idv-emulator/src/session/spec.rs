//! The session specification (body of `POST /sessions`): parsing and validation.
//!
//! Every wrong property is reported at once, as 400 `PAYLOAD_VALIDATION` with
//! `errors: [{property, message}]` and `property` a path such as `requested_checks[0].type`.

use std::time::SystemTime;

use serde_json::{Map, Value};

use crate::error::{ApiError, FieldError};
use crate::urls::is_loopback_host;
pub(crate) use crate::util::parse_object;
use crate::util::parse_rfc3339;

/// `client_session_token_ttl` when the specification gives neither it nor `session_deadline`
/// (the API reference's default).
pub(crate) const DEFAULT_TTL_SECS: u64 = 600;
/// `client_session_token_ttl` must be greater than this (the docs: "longer than 5 minutes").
pub(crate) const MIN_TTL_EXCLUSIVE_SECS: u64 = 300;
/// `resources_ttl` must exceed the session's lifetime by at least this much (24 h).
pub(crate) const RESOURCES_TTL_MARGIN_SECS: u64 = 86_400;
/// `resources_ttl` when none is given: one week (the guide's default; the API reference's
/// 87000 disagrees), or the session's lifetime + 24 h when that is longer.
pub(crate) const DEFAULT_RESOURCES_TTL_SECS: u64 = 604_800;

/// Check types the API knows.
pub(crate) const KNOWN_CHECKS: &[&str] = &[
    "ID_DOCUMENT_AUTHENTICITY",
    "ID_DOCUMENT_FACE_MATCH",
    "FACE_COMPARISON",
    "LIVENESS",
    "ID_DOCUMENT_COMPARISON",
    "THIRD_PARTY_IDENTITY",
    "THIRD_PARTY_IDENTITY_FRAUD_1",
    "SYNECTICS_IDENTITY_FRAUD",
    "WATCHLIST_SCREENING",
    "WATCHLIST_ADVANCED_CA",
    "IBV_VISUAL_REVIEW_CHECK",
    "DOCUMENT_SCHEME_VALIDITY_CHECK",
    "PROFILE_DOCUMENT_MATCH",
    "FAMILIAR_FACE_SEARCH",
];

/// Task types the API knows.
pub(crate) const KNOWN_TASKS: &[&str] = &[
    "ID_DOCUMENT_TEXT_DATA_EXTRACTION",
    "SUPPLEMENTARY_DOCUMENT_TEXT_DATA_EXTRACTION",
];

/// Notification topics (request side; upper or lower case accepted).
pub(crate) const KNOWN_TOPICS: &[&str] = &[
    "RESOURCE_UPDATE",
    "TASK_COMPLETION",
    "CHECK_COMPLETION",
    "SESSION_COMPLETION",
    "CLIENT_SESSION_TOKEN_DELETED",
    "NEW_PDF_SUPPLIED",
    "INSTRUCTIONS_EMAIL_REQUESTED",
    "THANK_YOU_EMAIL_REQUESTED",
    "FIRST_BRANCH_VISIT",
];

/// `liveness_type` of a LIVENESS check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum LivenessType {
    Static,
    Zoom,
}

impl LivenessType {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Self::Static => "STATIC",
            Self::Zoom => "ZOOM",
        }
    }
}

/// One requested check: its type and its raw `config` object.
#[derive(Debug, Clone)]
pub(crate) struct RequestedCheck {
    pub(crate) kind: String,
    pub(crate) config: Map<String, Value>,
    pub(crate) liveness_type: LivenessType,
}

/// One requested task.
#[derive(Debug, Clone)]
pub(crate) struct RequestedTask {
    pub(crate) kind: String,
}

/// One required document: `ID_DOCUMENT` or `SUPPLEMENTARY_DOCUMENT`, with its raw object.
#[derive(Debug, Clone)]
pub(crate) struct RequiredDocument {
    pub(crate) supplementary: bool,
    pub(crate) raw: Map<String, Value>,
}

/// How the `Authorization` header of a notification is built.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum AuthType {
    Basic,
    Bearer,
}

/// The `notifications` object of a session specification.
#[derive(Debug, Clone)]
pub(crate) struct NotificationConfig {
    pub(crate) endpoint: String,
    /// Upper case.
    pub(crate) topics: Vec<String>,
    pub(crate) auth_token: Option<String>,
    pub(crate) auth_type: AuthType,
}

impl NotificationConfig {
    pub(crate) fn wants(&self, topic: &str) -> bool {
        self.topics.iter().any(|t| t == topic)
    }
}

/// A validated session specification.
#[derive(Debug, Clone)]
pub(crate) struct SessionSpec {
    pub(crate) ttl_secs: u64,
    pub(crate) resources_ttl_secs: u64,
    pub(crate) user_tracking_id: Option<String>,
    pub(crate) block_biometric_consent: bool,
    pub(crate) requested_checks: Vec<RequestedCheck>,
    pub(crate) requested_tasks: Vec<RequestedTask>,
    pub(crate) required_documents: Vec<RequiredDocument>,
    pub(crate) sdk_config: Map<String, Value>,
    pub(crate) notifications: Option<NotificationConfig>,
}

impl SessionSpec {
    /// Parses and validates a session specification. All property errors are reported at once.
    ///
    /// `allow_plain_http` also accepts an `http://` notification endpoint on a loopback host
    /// (the emulator's opt-in; production accepts `https://` only).
    pub(crate) fn parse(
        body: &[u8],
        now: SystemTime,
        allow_plain_http: bool,
    ) -> Result<Self, ApiError> {
        let obj = parse_object(body)?;
        let mut errors = Vec::new();

        let ttl = optional_u64(&obj, "client_session_token_ttl", &mut errors);
        if let Some(ttl) = ttl
            && ttl <= MIN_TTL_EXCLUSIVE_SECS
        {
            errors.push(FieldError::new(
                "client_session_token_ttl",
                format!("must be greater than {MIN_TTL_EXCLUSIVE_SECS}"),
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
                        if secs <= MIN_TTL_EXCLUSIVE_SECS {
                            errors.push(FieldError::new(
                                "session_deadline",
                                format!(
                                    "must be more than {MIN_TTL_EXCLUSIVE_SECS} seconds from now"
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

        let resources_ttl_secs = match optional_u64(&obj, "resources_ttl", &mut errors) {
            Some(r) => {
                if r < ttl_secs + RESOURCES_TTL_MARGIN_SECS {
                    errors.push(FieldError::new(
                        "resources_ttl",
                        "must be at least 86400 seconds longer than the session's lifetime",
                    ));
                }
                r
            }
            None => DEFAULT_RESOURCES_TTL_SECS.max(ttl_secs + RESOURCES_TTL_MARGIN_SECS),
        };

        let user_tracking_id = optional_string(&obj, "user_tracking_id", &mut errors);
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

        let requested_checks = parse_checks(&obj, &mut errors);
        let requested_tasks = optional_array(&obj, "requested_tasks", &mut errors)
            .iter()
            .enumerate()
            .filter_map(|(i, item)| {
                let path = format!("requested_tasks[{i}]");
                let kind = element_type(item, &path, KNOWN_TASKS, "task", &mut errors)?;
                optional_object_at(item, "config", &path, &mut errors);
                Some(RequestedTask {
                    kind: kind.to_owned(),
                })
            })
            .collect();
        let required_documents = parse_documents(&obj, &mut errors);
        let sdk_config = parse_sdk_config(&obj, &mut errors);
        let notifications = parse_notifications(&obj, allow_plain_http, &mut errors);
        face_comparison_needs_liveness(&requested_checks, &mut errors);

        if errors.is_empty() {
            Ok(Self {
                ttl_secs,
                resources_ttl_secs,
                user_tracking_id,
                block_biometric_consent,
                requested_checks,
                requested_tasks,
                required_documents,
                sdk_config,
                notifications,
            })
        } else {
            Err(ApiError::validation(errors))
        }
    }
}

/// Parses a JSON object body (400 `MALFORMED_REQUEST` otherwise).
pub(crate) fn optional_u64(
    obj: &Map<String, Value>,
    name: &str,
    errors: &mut Vec<FieldError>,
) -> Option<u64> {
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

pub(crate) fn optional_string(
    obj: &Map<String, Value>,
    name: &str,
    errors: &mut Vec<FieldError>,
) -> Option<String> {
    match obj.get(name) {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(s.clone()),
        Some(_) => {
            errors.push(FieldError::new(name, "must be a string"));
            None
        }
    }
}

/// Looks up an optional array property; reports it when present but not an array.
pub(crate) fn optional_array<'a>(
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

/// `item.name` as an object (empty when absent); reported at `path.name` when not an object.
fn optional_object_at(
    item: &Value,
    name: &str,
    path: &str,
    errors: &mut Vec<FieldError>,
) -> Map<String, Value> {
    match item.get(name) {
        None | Some(Value::Null) => Map::new(),
        Some(Value::Object(o)) => o.clone(),
        Some(_) => {
            errors.push(FieldError::new(
                format!("{path}.{name}"),
                "must be an object",
            ));
            Map::new()
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

fn one_of(
    obj: &Map<String, Value>,
    name: &str,
    path: &str,
    allowed: &[&str],
    required: bool,
    errors: &mut Vec<FieldError>,
) -> Option<String> {
    match obj.get(name) {
        None | Some(Value::Null) if !required => None,
        Some(Value::String(s)) if allowed.contains(&s.as_str()) => Some(s.clone()),
        None | Some(Value::Null) => {
            errors.push(FieldError::new(
                format!("{path}.{name}"),
                "must not be null",
            ));
            None
        }
        Some(_) => {
            errors.push(FieldError::new(
                format!("{path}.{name}"),
                format!("must be one of {}", allowed.join(", ")),
            ));
            None
        }
    }
}

fn parse_checks(obj: &Map<String, Value>, errors: &mut Vec<FieldError>) -> Vec<RequestedCheck> {
    let mut checks = Vec::new();
    for (i, item) in optional_array(obj, "requested_checks", errors)
        .iter()
        .enumerate()
    {
        let path = format!("requested_checks[{i}]");
        let Some(kind) = element_type(item, &path, KNOWN_CHECKS, "check", errors) else {
            continue;
        };
        let config = optional_object_at(item, "config", &path, errors);
        let cpath = format!("{path}.config");
        let mut liveness_type = LivenessType::Static;
        match kind {
            "LIVENESS" => {
                if let Some(t) = one_of(
                    &config,
                    "liveness_type",
                    &cpath,
                    &["STATIC", "ZOOM"],
                    true,
                    errors,
                ) && t == "ZOOM"
                {
                    liveness_type = LivenessType::Zoom;
                }
                if let Some(v) = config.get("max_retries")
                    && !v.is_null()
                    && !v.is_u64()
                {
                    errors.push(FieldError::new(
                        format!("{cpath}.max_retries"),
                        "must be a non-negative integer",
                    ));
                }
            }
            "WATCHLIST_ADVANCED_CA" => {
                let account = one_of(
                    &config,
                    "type",
                    &cpath,
                    &["WITH_YOTI_ACCOUNT", "WITH_CUSTOM_ACCOUNT"],
                    true,
                    errors,
                );
                if account.as_deref() == Some("WITH_CUSTOM_ACCOUNT") {
                    for name in ["api_key", "client_ref"] {
                        if config
                            .get(name)
                            .and_then(Value::as_str)
                            .is_none_or(str::is_empty)
                        {
                            errors.push(FieldError::new(
                                format!("{cpath}.{name}"),
                                "must not be null or empty",
                            ));
                        }
                    }
                }
            }
            "FAMILIAR_FACE_SEARCH" => {
                // Both are required ("a config ... needs to be provided"); whether the pool
                // exists is checked by the handler, which sees the applicant store.
                match config.get("pool_id") {
                    Some(Value::String(id)) if !id.is_empty() => {}
                    _ => errors.push(FieldError::new(
                        format!("{cpath}.pool_id"),
                        "must be a non-empty string",
                    )),
                }
                one_of(
                    &config,
                    "approval_criteria",
                    &cpath,
                    &["MATCH", "NO_MATCH"],
                    true,
                    errors,
                );
            }
            "WATCHLIST_SCREENING" => {
                if let Some(c) = config.get("categories")
                    && !c.is_null()
                    && !c.as_array().is_some_and(|a| a.iter().all(Value::is_string))
                {
                    errors.push(FieldError::new(
                        format!("{cpath}.categories"),
                        "must be an array of strings",
                    ));
                }
            }
            _ => {}
        }
        if kind == "FACE_COMPARISON" {
            // The current face-comparison page: automated only, the manual check is NEVER.
            one_of(&config, "manual_check", &cpath, &["NEVER"], false, errors);
        } else if kind != "LIVENESS" {
            one_of(
                &config,
                "manual_check",
                &cpath,
                &["ALWAYS", "FALLBACK", "NEVER", "IBV"],
                false,
                errors,
            );
        }
        checks.push(RequestedCheck {
            kind: kind.to_owned(),
            config,
            liveness_type,
        });
    }
    checks
}

/// The current face-comparison page: a session with FACE_COMPARISON needs LIVENESS too.
/// FAMILIAR_FACE_SEARCH searches with the liveness selfie (the docs' example uses the
/// liveness resource), so the emulator asks the same of it.
fn face_comparison_needs_liveness(checks: &[RequestedCheck], errors: &mut Vec<FieldError>) {
    let has = |kind: &str| checks.iter().position(|c| c.kind == kind);
    if has("LIVENESS").is_some() {
        return;
    }
    for kind in ["FACE_COMPARISON", "FAMILIAR_FACE_SEARCH"] {
        if let Some(i) = has(kind) {
            errors.push(FieldError::new(
                format!("requested_checks[{i}]"),
                format!("{kind} needs a LIVENESS check in the same session"),
            ));
        }
    }
}

fn parse_documents(
    obj: &Map<String, Value>,
    errors: &mut Vec<FieldError>,
) -> Vec<RequiredDocument> {
    let mut docs = Vec::new();
    for (i, item) in optional_array(obj, "required_documents", errors)
        .iter()
        .enumerate()
    {
        let path = format!("required_documents[{i}]");
        let Some(kind) = element_type(
            item,
            &path,
            &["ID_DOCUMENT", "SUPPLEMENTARY_DOCUMENT"],
            "document",
            errors,
        ) else {
            continue;
        };
        let Some(raw) = item.as_object().cloned() else {
            continue;
        };
        let filter = optional_object_at(item, "filter", &path, errors);
        if !filter.is_empty() {
            let fpath = format!("{path}.filter");
            let ftype = one_of(
                &filter,
                "type",
                &fpath,
                &["ORTHOGONAL_RESTRICTIONS", "DOCUMENT_RESTRICTIONS"],
                true,
                errors,
            );
            if ftype.as_deref() == Some("DOCUMENT_RESTRICTIONS") {
                one_of(
                    &filter,
                    "inclusion",
                    &fpath,
                    &["WHITELIST", "BLACKLIST"],
                    true,
                    errors,
                );
            }
        }
        if kind == "SUPPLEMENTARY_DOCUMENT" {
            for name in ["document_types", "country_codes"] {
                if let Some(v) = raw.get(name)
                    && !v.is_null()
                    && !v.as_array().is_some_and(|a| a.iter().all(Value::is_string))
                {
                    errors.push(FieldError::new(
                        format!("{path}.{name}"),
                        "must be an array of strings",
                    ));
                }
            }
        }
        docs.push(RequiredDocument {
            supplementary: kind == "SUPPLEMENTARY_DOCUMENT",
            raw,
        });
    }
    docs
}

fn parse_sdk_config(obj: &Map<String, Value>, errors: &mut Vec<FieldError>) -> Map<String, Value> {
    let config = match obj.get("sdk_config") {
        None | Some(Value::Null) => return Map::new(),
        Some(Value::Object(c)) => c.clone(),
        Some(_) => {
            errors.push(FieldError::new("sdk_config", "must be an object"));
            return Map::new();
        }
    };
    one_of(
        &config,
        "allowed_capture_methods",
        "sdk_config",
        &["CAMERA", "CAMERA_AND_UPLOAD"],
        false,
        errors,
    );
    for name in ["success_url", "error_url", "privacy_policy_url", "locale"] {
        if let Some(v) = config.get(name)
            && !v.is_null()
            && !v.is_string()
        {
            errors.push(FieldError::new(
                format!("sdk_config.{name}"),
                "must be a string",
            ));
        }
    }
    // Hardening hook: URLs the hosted page navigates to (see `crate::urls`).
    for name in ["success_url", "error_url", "privacy_policy_url"] {
        if let Some(url) = config.get(name).and_then(Value::as_str)
            && !crate::urls::page_url_allowed(url)
        {
            errors.push(FieldError::new(
                format!("sdk_config.{name}"),
                "must be an https:// URL (http:// is accepted for loopback hosts only)",
            ));
        }
    }
    config
}

/// `https://` endpoints (the API reference's pattern `^https://.+$`), and, only with the
/// emulator's opt-in, `http://` to a loopback host (so local examples can receive).
pub(crate) fn endpoint_allowed(endpoint: &str, allow_plain_http: bool) -> bool {
    if let Some(rest) = endpoint.strip_prefix("https://") {
        return !rest.is_empty();
    }
    if !allow_plain_http {
        return false;
    }
    let Some(rest) = endpoint.strip_prefix("http://") else {
        return false;
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host = match authority.strip_prefix('[') {
        Some(v6) => v6.split(']').next().unwrap_or(""),
        None => authority.rsplit_once(':').map_or(authority, |(h, _)| h),
    };
    is_loopback_host(host)
}

fn parse_notifications(
    obj: &Map<String, Value>,
    allow_plain_http: bool,
    errors: &mut Vec<FieldError>,
) -> Option<NotificationConfig> {
    let config = match obj.get("notifications") {
        None | Some(Value::Null) => return None,
        Some(Value::Object(c)) => c,
        Some(_) => {
            errors.push(FieldError::new("notifications", "must be an object"));
            return None;
        }
    };
    let before = errors.len();
    let endpoint = match config.get("endpoint") {
        Some(Value::String(e)) if endpoint_allowed(e, allow_plain_http) => e.clone(),
        Some(Value::String(_)) => {
            errors.push(FieldError::new(
                "notifications.endpoint",
                "must match ^https://.+$",
            ));
            String::new()
        }
        _ => {
            errors.push(FieldError::new(
                "notifications.endpoint",
                "must not be null",
            ));
            String::new()
        }
    };
    let mut topics = Vec::new();
    for (i, t) in optional_array(config, "topics", errors).iter().enumerate() {
        match t.as_str().map(str::to_ascii_uppercase) {
            Some(upper) if KNOWN_TOPICS.contains(&upper.as_str()) => {
                if !topics.contains(&upper) {
                    topics.push(upper);
                }
            }
            _ => errors.push(FieldError::new(
                format!("notifications.topics[{i}]"),
                "unknown topic",
            )),
        }
    }
    let auth_token = optional_string(config, "auth_token", errors);
    let auth_type = match one_of(
        config,
        "auth_type",
        "notifications",
        &["BASIC", "BEARER"],
        false,
        errors,
    )
    .as_deref()
    {
        Some("BEARER") => AuthType::Bearer,
        _ => AuthType::Basic,
    };
    (errors.len() == before).then_some(NotificationConfig {
        endpoint,
        topics,
        auth_token,
        auth_type,
    })
}
