//! The sandbox API's request bodies: `POST /agent` and the `response-config` calls.

use std::collections::HashMap;

use axum::body::Bytes;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use serde_json::{Map, Value};

use crate::error::{ApiError, FieldError};
use crate::media::ImageType;
use crate::session::spec::{KNOWN_CHECKS, KNOWN_TASKS, parse_object};

/// The states a sandbox entry may script with `check_state` (the emulator's extension).
pub(crate) const SCRIPTABLE_CHECK_STATES: &[&str] = &["CREATED", "READY", "INTERNAL_ERROR"];

/// A document the sandbox agent or the hosted page supplies.
#[derive(Debug, Clone)]
pub(crate) struct SuppliedDocument {
    pub(crate) issuing_country: String,
    pub(crate) document_type: String,
    pub(crate) capture_method: String,
}

/// What the sandbox agent supplies when it completes a session.
#[derive(Debug, Clone, Default)]
pub(crate) struct AgentCapture {
    /// The liveness image; `None` means the built-in JPEG.
    pub(crate) liveness_image: Option<(ImageType, Bytes)>,
    pub(crate) id_documents: Vec<SuppliedDocument>,
    pub(crate) supplementary_documents: Vec<SuppliedDocument>,
}

/// Which base URL an application may use, as Yoti's sandbox and production are separate
/// services with separate keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum AppEnvironment {
    /// Only the sandbox base `/sandbox/idverify/v1`.
    Sandbox,
    /// Only the API base `/idverify/v1`.
    Production,
    /// Both bases (what [`EmulatorBuilder::app`](crate::EmulatorBuilder::app) registers).
    /// Sessions stay apart even so: a session is reachable only through the base it was
    /// created through.
    Both,
}

impl AppEnvironment {
    fn allows(self, sandbox: bool) -> bool {
        match self {
            Self::Both => true,
            Self::Sandbox => sandbox,
            Self::Production => !sandbox,
        }
    }
}

/// The environment each registered application may use.
#[derive(Debug, Default)]
pub(crate) struct AppEnvironments(std::sync::RwLock<HashMap<String, AppEnvironment>>);

impl AppEnvironments {
    pub(crate) fn set(&self, sdk_id: String, environment: AppEnvironment) {
        self.0
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .insert(sdk_id, environment);
    }

    /// Whether `sdk_id` may call the sandbox (`true`) or the API base (`false`). An
    /// application registered without an environment may use both.
    pub(crate) fn allows(&self, sdk_id: &str, sandbox: bool) -> bool {
        self.0
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .get(sdk_id)
            .is_none_or(|e| e.allows(sandbox))
    }
}

/// Check types a response config may script: every requested check type, plus the
/// text-data checks that the extraction tasks generate.
fn scriptable_check(kind: &str) -> bool {
    KNOWN_CHECKS.contains(&kind)
        || matches!(
            kind,
            "ID_DOCUMENT_TEXT_DATA_CHECK" | "SUPPLEMENTARY_DOCUMENT_TEXT_DATA_CHECK"
        )
}

/// A parsed sandbox response config (`PUT .../response-config`).
#[derive(Debug, Clone, Default)]
pub(crate) struct ResponseConfig {
    /// Check type to its scripted entries (an object is read as a one-element array, except
    /// for the [`LIST_ONLY_CHECKS`]).
    pub(crate) check_reports: HashMap<String, Vec<Value>>,
    /// Task type to its scripted entries.
    pub(crate) task_results: HashMap<String, Vec<Value>>,
    /// Seconds between the capture completing and the reports being `DONE`.
    pub(crate) async_report_delay: Option<u64>,
    /// Media types (`IMAGE`, `JSON`, `BINARY`) whose content is answered 204 "withheld"
    /// (the emulator's extension `withheld_media`).
    pub(crate) withheld_media: Vec<String>,
}

/// Check types whose reports the service takes only as a list (Java's sandbox package sends
/// `WATCHLIST_ADVANCED_CA` as a list; a single object is refused, as the service does).
const LIST_ONLY_CHECKS: &[&str] = &["WATCHLIST_ADVANCED_CA"];

/// Validates a `WATCHLIST_ADVANCED_CA` entry's `sources_filter`: `{type: TYPE_LIST, types:
/// [string]}` or `{type: PROFILE, search_profile: string}`.
fn check_sources_filter(filter: &Value, path: &str, errors: &mut Vec<FieldError>) {
    if filter.is_null() {
        return;
    }
    let valid = match filter.get("type").and_then(Value::as_str) {
        Some("TYPE_LIST") => filter
            .get("types")
            .and_then(Value::as_array)
            .is_some_and(|a| a.iter().all(Value::is_string)),
        Some("PROFILE") => filter
            .get("search_profile")
            .and_then(Value::as_str)
            .is_some_and(|p| !p.is_empty()),
        _ => false,
    };
    if !valid {
        errors.push(FieldError::new(
            path,
            "must be {type: TYPE_LIST, types: [string]} or {type: PROFILE, search_profile: string}",
        ));
    }
}

fn entries(value: &Value, path: &str, list_only: bool, errors: &mut Vec<FieldError>) -> Vec<Value> {
    let list = match value {
        Value::Array(items) => items.clone(),
        Value::Object(_) if list_only => {
            errors.push(FieldError::new(path, "must be an array of objects"));
            return Vec::new();
        }
        Value::Object(_) => vec![value.clone()],
        _ if list_only => {
            errors.push(FieldError::new(path, "must be an array of objects"));
            return Vec::new();
        }
        _ => {
            errors.push(FieldError::new(
                path,
                "must be an object or an array of objects",
            ));
            return Vec::new();
        }
    };
    for (i, e) in list.iter().enumerate() {
        let epath = format!("{path}[{i}]");
        let Some(obj) = e.as_object() else {
            errors.push(FieldError::new(epath, "must be an object"));
            continue;
        };
        if let Some(result) = obj.get("result") {
            let Some(result) = result.as_object() else {
                errors.push(FieldError::new(
                    format!("{epath}.result"),
                    "must be an object",
                ));
                continue;
            };
            if let Some(report) = result.get("report") {
                let value = report
                    .get("recommendation")
                    .and_then(|r| r.get("value"))
                    .and_then(Value::as_str);
                if value.is_none() {
                    errors.push(FieldError::new(
                        format!("{epath}.result.report.recommendation.value"),
                        "must not be null",
                    ));
                }
                if let Some(b) = report.get("breakdown")
                    && !b.is_null()
                    && !b.as_array().is_some_and(|a| {
                        a.iter().all(|x| {
                            x.get("sub_check").is_some_and(Value::is_string)
                                && x.get("result").is_some_and(Value::is_string)
                        })
                    })
                {
                    errors.push(FieldError::new(
                        format!("{epath}.result.report.breakdown"),
                        "must be an array of {sub_check, result, details}",
                    ));
                }
            }
        }
        if let Some(state) = obj.get("check_state")
            && !state
                .as_str()
                .is_some_and(|s| SCRIPTABLE_CHECK_STATES.contains(&s))
        {
            errors.push(FieldError::new(
                format!("{epath}.check_state"),
                "must be CREATED, READY or INTERNAL_ERROR",
            ));
        }
        if let Some(delay) = obj.get("response_delay")
            && !delay.is_u64()
        {
            errors.push(FieldError::new(
                format!("{epath}.response_delay"),
                "must be a non-negative integer",
            ));
        }
        for key in ["document_filter", "secondary_document_filter"] {
            if let Some(f) = obj.get(key)
                && !f.is_null()
                && !f.is_object()
            {
                errors.push(FieldError::new(
                    format!("{epath}.{key}"),
                    "must be an object",
                ));
            }
        }
        if let Some(f) = obj.get("sources_filter") {
            check_sources_filter(f, &format!("{epath}.sources_filter"), errors);
        }
        if let Some(result) = obj.get("result").and_then(Value::as_object) {
            for key in ["detected_country", "detected_document_type"] {
                if let Some(v) = result.get(key)
                    && !v.is_null()
                    && !v.is_string()
                {
                    errors.push(FieldError::new(
                        format!("{epath}.result.{key}"),
                        "must be a string",
                    ));
                }
            }
        }
    }
    list
}

impl ResponseConfig {
    /// Parses `{check_reports: {TYPE: [...], async_report_delay}, task_results: {TYPE: [...]}}`.
    pub(crate) fn parse(body: &[u8]) -> Result<Self, ApiError> {
        let obj = parse_object(body)?;
        let mut errors = Vec::new();
        let mut config = Self::default();
        let section = |name: &str, errors: &mut Vec<FieldError>| -> Map<String, Value> {
            match obj.get(name) {
                None | Some(Value::Null) => Map::new(),
                Some(Value::Object(m)) => m.clone(),
                Some(_) => {
                    errors.push(FieldError::new(name, "must be an object"));
                    Map::new()
                }
            }
        };
        for (kind, value) in section("check_reports", &mut errors) {
            let path = format!("check_reports.{kind}");
            if kind == "async_report_delay" {
                match value.as_u64() {
                    Some(d) => config.async_report_delay = Some(d),
                    None if value.is_null() => {}
                    None => errors.push(FieldError::new(path, "must be a non-negative integer")),
                }
            } else if scriptable_check(&kind) {
                let list_only = LIST_ONLY_CHECKS.contains(&kind.as_str());
                let list = entries(&value, &path, list_only, &mut errors);
                config.check_reports.insert(kind, list);
            } else {
                errors.push(FieldError::new(path, "unknown check type"));
            }
        }
        for (kind, value) in section("task_results", &mut errors) {
            let path = format!("task_results.{kind}");
            if KNOWN_TASKS.contains(&kind.as_str()) {
                let list = entries(&value, &path, false, &mut errors);
                config.task_results.insert(kind, list);
            } else {
                errors.push(FieldError::new(path, "unknown task type"));
            }
        }
        if let Some(v) = obj.get("async_report_delay") {
            match v.as_u64() {
                Some(d) => config.async_report_delay = Some(d),
                None => errors.push(FieldError::new(
                    "async_report_delay",
                    "must be a non-negative integer",
                )),
            }
        }
        match obj.get("withheld_media") {
            None | Some(Value::Null) => {}
            Some(Value::Array(kinds)) => {
                for (i, kind) in kinds.iter().enumerate() {
                    match kind.as_str() {
                        Some(k @ ("IMAGE" | "JSON" | "BINARY")) => {
                            config.withheld_media.push(k.to_owned());
                        }
                        _ => errors.push(FieldError::new(
                            format!("withheld_media[{i}]"),
                            "must be IMAGE, JSON or BINARY",
                        )),
                    }
                }
            }
            Some(_) => errors.push(FieldError::new("withheld_media", "must be an array")),
        }
        if errors.is_empty() {
            Ok(config)
        } else {
            Err(ApiError::validation(errors))
        }
    }
}

/// The parsed body of `POST /sandbox/idverify/v1/agent`.
#[derive(Debug, Clone)]
pub(crate) struct AgentRequest {
    pub(crate) session_id: String,
    pub(crate) client_session_token: String,
    pub(crate) capture: AgentCapture,
}

fn documents(
    resources: &Map<String, Value>,
    name: &str,
    errors: &mut Vec<FieldError>,
) -> Vec<SuppliedDocument> {
    let items = match resources.get(name) {
        None | Some(Value::Null) => return Vec::new(),
        Some(Value::Array(items)) => items,
        Some(_) => {
            errors.push(FieldError::new(
                format!("resources.{name}"),
                "must be an array",
            ));
            return Vec::new();
        }
    };
    let mut out = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let path = format!("resources.{name}[{i}]");
        let field = |key: &str, errors: &mut Vec<FieldError>| match item.get(key) {
            Some(Value::String(s)) if !s.is_empty() => Some(s.clone()),
            _ => {
                errors.push(FieldError::new(
                    format!("{path}.{key}"),
                    "must not be null or empty",
                ));
                None
            }
        };
        let country = field("issuing_country", errors);
        let kind = field("document_type", errors);
        let method = item
            .get("capture_method")
            .and_then(Value::as_str)
            .unwrap_or("CAMERA")
            .to_owned();
        if !matches!(method.as_str(), "CAMERA" | "UPLOAD") {
            errors.push(FieldError::new(
                format!("{path}.capture_method"),
                "must be CAMERA or UPLOAD",
            ));
        }
        if let (Some(issuing_country), Some(document_type)) = (country, kind) {
            out.push(SuppliedDocument {
                issuing_country,
                document_type,
                capture_method: method,
            });
        }
    }
    out
}

impl AgentRequest {
    /// Parses `{session_id, client_session_token, resources?, liveness_image?}`.
    ///
    /// `resources.id_documents[{issuing_country, document_type, capture_method}]` and
    /// `resources.supplementary_documents[{issuing_country, document_type}]` are Yoti's
    /// shape; `liveness_image` is this emulator's extension: standard base64 of a JPEG or
    /// PNG to use as the liveness capture.
    pub(crate) fn parse(body: &[u8]) -> Result<Self, ApiError> {
        if body.is_empty() {
            return Err(ApiError::malformed(
                "Request body must be a JSON object with session_id and client_session_token",
            ));
        }
        let obj = parse_object(body)?;
        let mut errors = Vec::new();
        let mut required_string = |name: &str| match obj.get(name) {
            Some(Value::String(s)) if !s.is_empty() => s.clone(),
            Some(Value::String(_)) | None | Some(Value::Null) => {
                errors.push(FieldError::new(name, "must not be null or empty"));
                String::new()
            }
            Some(_) => {
                errors.push(FieldError::new(name, "must be a string"));
                String::new()
            }
        };
        let session_id = required_string("session_id");
        let client_session_token = required_string("client_session_token");

        let mut capture = AgentCapture::default();
        match obj.get("resources") {
            None | Some(Value::Null) => {}
            Some(Value::Object(resources)) => {
                capture.id_documents = documents(resources, "id_documents", &mut errors);
                capture.supplementary_documents =
                    documents(resources, "supplementary_documents", &mut errors);
            }
            Some(_) => errors.push(FieldError::new("resources", "must be an object")),
        }

        capture.liveness_image = match obj.get("liveness_image") {
            None | Some(Value::Null) => None,
            Some(Value::String(b64)) => match STANDARD.decode(b64.trim()) {
                Ok(bytes) => match ImageType::sniff(&bytes) {
                    Some(kind) => Some((kind, Bytes::from(bytes))),
                    None => {
                        errors.push(FieldError::new(
                            "liveness_image",
                            "must be a JPEG or PNG image",
                        ));
                        None
                    }
                },
                Err(_) => {
                    errors.push(FieldError::new(
                        "liveness_image",
                        "must be standard base64 with padding",
                    ));
                    None
                }
            },
            Some(_) => {
                errors.push(FieldError::new("liveness_image", "must be a string"));
                None
            }
        };

        if !errors.is_empty() {
            return Err(ApiError::validation(errors));
        }
        Ok(Self {
            session_id,
            client_session_token,
            capture,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::media::DEFAULT_LIVENESS_JPEG;

    #[test]
    fn parses_minimal_and_image() {
        let r = AgentRequest::parse(
            br#"{"session_id":"s","client_session_token":"t","resources":{"id_documents":[{"issuing_country":"GBR","document_type":"PASSPORT","capture_method":"CAMERA"}]}}"#,
        )
        .expect("minimal");
        assert_eq!(r.session_id, "s");
        assert_eq!(r.client_session_token, "t");
        assert!(r.capture.liveness_image.is_none());
        assert_eq!(r.capture.id_documents[0].document_type, "PASSPORT");

        let b64 = STANDARD.encode(DEFAULT_LIVENESS_JPEG);
        let body =
            format!(r#"{{"session_id":"s","client_session_token":"t","liveness_image":"{b64}"}}"#);
        let r = AgentRequest::parse(body.as_bytes()).expect("image");
        let (kind, bytes) = r.capture.liveness_image.expect("image");
        assert_eq!(kind, ImageType::Jpeg);
        assert_eq!(&bytes[..], DEFAULT_LIVENESS_JPEG);
    }

    #[test]
    fn reports_bad_properties() {
        let err = AgentRequest::parse(br#"{"session_id":5,"liveness_image":"!!","resources":[]}"#)
            .expect_err("bad");
        let props: Vec<_> = err.errors().iter().map(|e| e.property.as_str()).collect();
        assert_eq!(
            props,
            [
                "session_id",
                "client_session_token",
                "resources",
                "liveness_image"
            ]
        );
        let err = AgentRequest::parse(
            br#"{"session_id":"s","client_session_token":"t","resources":{"id_documents":[{"issuing_country":"GBR"}]}}"#,
        )
        .expect_err("doc");
        assert_eq!(
            err.errors()[0].property,
            "resources.id_documents[0].document_type"
        );
        assert_eq!(
            AgentRequest::parse(b"").expect_err("empty").code(),
            "MALFORMED_REQUEST"
        );
    }

    #[test]
    fn response_config() {
        let c = ResponseConfig::parse(br#"{"check_reports":{"LIVENESS":[{"liveness_type":"STATIC","result":{"report":{"recommendation":{"value":"REJECT"},"breakdown":[]}}}],"THIRD_PARTY_IDENTITY":{"result":{"report":{"recommendation":{"value":"APPROVE"}}}},"async_report_delay":5},"task_results":{"ID_DOCUMENT_TEXT_DATA_EXTRACTION":[{"result":{"document_fields":{"a":1}}}]}}"#)
            .expect("valid");
        assert_eq!(c.async_report_delay, Some(5));
        assert_eq!(c.check_reports["THIRD_PARTY_IDENTITY"].len(), 1);
        let err = ResponseConfig::parse(br#"{"check_reports":{"NOPE":[],"LIVENESS":[{"result":{"report":{}}}]},"task_results":{"X":[]}}"#)
            .expect_err("bad");
        let mut props: Vec<_> = err.errors().iter().map(|e| e.property.clone()).collect();
        props.sort();
        assert_eq!(
            props,
            [
                "check_reports.LIVENESS[0].result.report.recommendation.value",
                "check_reports.NOPE",
                "task_results.X"
            ]
        );
    }
}

#[cfg(test)]
mod spec_consistency {
    //! The emulator validates requests with its own lists; these tests keep those lists in
    //! step with `spec/idv-openapi.json`, the description the SDK's model is generated from.

    use serde_json::Value;

    use super::scriptable_check;
    use crate::session::spec::{KNOWN_CHECKS, KNOWN_TASKS, KNOWN_TOPICS};

    const SPEC: &str = include_str!("../../../spec/idv-openapi.json");

    fn schema(name: &str) -> Value {
        let spec: Value = serde_json::from_str(SPEC).expect("the spec is JSON");
        spec["components"]["schemas"][name].clone()
    }

    fn discriminators(name: &str) -> Vec<String> {
        schema(name)["oneOf"]
            .as_array()
            .expect("a oneOf")
            .iter()
            .map(|v| {
                v["properties"]["type"]["const"]
                    .as_str()
                    .expect("a const")
                    .to_owned()
            })
            .collect()
    }

    #[test]
    fn every_check_the_sdk_can_request_is_accepted() {
        let checks = discriminators("RequestedCheck");
        assert!(checks.len() >= 10);
        for check in &checks {
            assert!(KNOWN_CHECKS.contains(&check.as_str()), "{check}");
        }
    }

    #[test]
    fn tasks_and_topics_match_the_spec() {
        let mut tasks = discriminators("RequestedTask");
        tasks.sort();
        let mut known: Vec<String> = KNOWN_TASKS.iter().map(|s| s.to_string()).collect();
        known.sort();
        assert_eq!(tasks, known);

        let mut topics: Vec<String> = schema("NotificationTopic")["enum"]
            .as_array()
            .expect("an enum")
            .iter()
            .map(|v| v.as_str().expect("a string").to_owned())
            .collect();
        topics.sort();
        let mut known: Vec<String> = KNOWN_TOPICS.iter().map(|s| s.to_string()).collect();
        known.sort();
        assert_eq!(topics, known);
    }

    #[test]
    fn every_check_report_the_sdk_can_script_is_accepted() {
        let reports = schema("SandboxCheckReports");
        let keys: Vec<&String> = reports["properties"]
            .as_object()
            .expect("properties")
            .keys()
            .filter(|k| k.as_str() != "async_report_delay")
            .collect();
        assert!(keys.len() >= 10);
        for key in keys {
            assert!(scriptable_check(key), "{key}");
        }
    }
}
