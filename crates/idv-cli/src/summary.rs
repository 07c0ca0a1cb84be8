//! Human-readable summaries of API answers, read from the JSON generically so that fields
//! and values this version does not know still show.

use std::borrow::Cow;
use std::fmt::Write as _;

use serde_json::Value;

use crate::out::clean;

/// What replaces the client session token in printed JSON.
pub(crate) const REDACTED: &str = "<redacted>";

/// Replaces every `client_session_token` string in `value` by [`REDACTED`].
pub(crate) fn redact_tokens(value: &mut Value) {
    match value {
        Value::Object(map) => {
            for (key, v) in map.iter_mut() {
                if key == "client_session_token" && v.is_string() {
                    *v = Value::String(REDACTED.to_owned());
                } else {
                    redact_tokens(v);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(redact_tokens),
        _ => {}
    }
}

/// Pretty JSON (never fails for a `Value`; falls back to the compact form), with the
/// control characters JSON leaves raw escaped (see [`crate::out::clean_json`]).
pub(crate) fn pretty(value: &Value) -> String {
    let text = serde_json::to_string_pretty(value).unwrap_or_else(|_| value.to_string());
    crate::out::clean_json(&text).into_owned()
}

/// The string at `key`, neutralised for a terminal (`-` when absent).
fn text<'a>(value: &'a Value, key: &str) -> Cow<'a, str> {
    value
        .get(key)
        .and_then(Value::as_str)
        .map_or(Cow::Borrowed("-"), clean)
}

/// The string at `key`, if any, neutralised for a terminal.
fn opt_text<'a>(value: &'a Value, key: &str) -> Option<Cow<'a, str>> {
    value.get(key).and_then(Value::as_str).map(clean)
}

fn items<'a>(value: &'a Value, key: &str) -> &'a [Value] {
    value
        .get(key)
        .and_then(Value::as_array)
        .map_or(&[], Vec::as_slice)
}

/// The summary of `GET /sessions/{id}`: state, checks with recommendations, tasks,
/// resources and every media id.
pub(crate) fn session(session: &Value) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "session {}", text(session, "session_id"));
    let _ = writeln!(out, "  state: {}", text(session, "state"));
    if let Some(ttl) = session
        .get("client_session_token_ttl")
        .and_then(Value::as_i64)
    {
        let _ = writeln!(out, "  client session token ttl: {ttl} s");
    }
    if let Some(id) = opt_text(session, "user_tracking_id") {
        let _ = writeln!(out, "  user tracking id: {id}");
    }

    let checks = items(session, "checks");
    let _ = writeln!(out, "checks ({}):", checks.len());
    for check in checks {
        let recommendation = check.get("report").and_then(|r| r.get("recommendation"));
        let value = recommendation.map_or(Cow::Borrowed("-"), |r| text(r, "value"));
        let _ = write!(
            out,
            "  {} {}: state {}, recommendation {value}",
            text(check, "type"),
            text(check, "id"),
            text(check, "state"),
        );
        if let Some(reason) = recommendation.and_then(|r| opt_text(r, "reason")) {
            let _ = write!(out, " ({reason})");
        }
        out.push('\n');
        for media in items(check, "generated_media") {
            let _ = writeln!(
                out,
                "    generated media {} {}",
                text(media, "id"),
                text(media, "type")
            );
        }
    }

    let tasks = items(session, "tasks");
    if !tasks.is_empty() {
        let _ = writeln!(out, "tasks ({}):", tasks.len());
        for task in tasks {
            let _ = writeln!(
                out,
                "  {} {}: state {}",
                text(task, "type"),
                text(task, "id"),
                text(task, "state")
            );
        }
    }

    let _ = writeln!(out, "resources:");
    let mut any = false;
    if let Some(resources) = session.get("resources").and_then(Value::as_object) {
        for (kind, list) in resources {
            for resource in list.as_array().map_or(&[][..], Vec::as_slice) {
                any = true;
                let _ = write!(out, "  {} {}", clean(kind), text(resource, "id"));
                if let Some(t) = opt_text(resource, "liveness_type") {
                    let _ = write!(out, " ({t})");
                } else if let Some(t) = opt_text(resource, "document_type") {
                    let _ = write!(out, " ({t})");
                }
                out.push('\n');
                let mut media = Vec::new();
                find_media(resource, String::new(), &mut media);
                for (path, id, kind) in media {
                    let (path, id, kind) = (clean(&path), clean(&id), clean(&kind));
                    let _ = writeln!(out, "    media {id} {kind} ({path})");
                }
            }
        }
    }
    if !any {
        let _ = writeln!(out, "  (none)");
    }
    out
}

/// Collects `(path, media id, media type)` for every `{"media": {"id": ..}}` under `value`.
fn find_media(value: &Value, path: String, out: &mut Vec<(String, String, String)>) {
    match value {
        Value::Object(map) => {
            if let Some(id) = map
                .get("media")
                .and_then(|m| m.get("id"))
                .and_then(Value::as_str)
            {
                let kind = map
                    .get("media")
                    .and_then(|m| m.get("type"))
                    .and_then(Value::as_str)
                    .unwrap_or("-")
                    .to_owned();
                let at = if path.is_empty() {
                    ".".to_owned()
                } else {
                    path.clone()
                };
                out.push((at, id.to_owned(), kind));
            }
            for (key, v) in map {
                if key == "media" {
                    continue;
                }
                let next = if path.is_empty() {
                    key.clone()
                } else {
                    format!("{path}.{key}")
                };
                find_media(v, next, out);
            }
        }
        Value::Array(list) => {
            for (i, v) in list.iter().enumerate() {
                find_media(v, format!("{path}[{i}]"), out);
            }
        }
        _ => {}
    }
}

/// The summary of `GET /supported-documents`: one line per country.
pub(crate) fn supported_documents(answer: &Value) -> String {
    let mut out = String::new();
    let countries = items(answer, "supported_countries");
    for country in countries {
        let docs: Vec<String> = items(country, "supported_documents")
            .iter()
            .map(|d| {
                let kind = text(d, "type");
                match d.get("is_strictly_latin").and_then(Value::as_bool) {
                    Some(false) => format!("{kind} (non-Latin)"),
                    _ => kind.into_owned(),
                }
            })
            .collect();
        let _ = writeln!(out, "{}: {}", text(country, "code"), docs.join(", "));
    }
    let _ = writeln!(out, "{} countries", countries.len());
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn summarises_a_completed_selfie_session() {
        let session = json!({
            "session_id": "s1",
            "state": "COMPLETED",
            "client_session_token": "secret-token",
            "client_session_token_ttl": 0,
            "checks": [
                {"type": "LIVENESS", "id": "c1", "state": "DONE",
                 "report": {"recommendation": {"value": "APPROVE"}}},
                {"type": "FACE_COMPARISON", "id": "c2", "state": "DONE",
                 "report": {"recommendation": {"value": "NOT_AVAILABLE",
                                               "reason": "REFERENCE_IMAGE_MISSING"}},
                 "generated_media": [{"id": "g1", "type": "JSON"}]}
            ],
            "resources": {
                "liveness_capture": [{"id": "r1", "liveness_type": "STATIC",
                                      "image": {"media": {"id": "m1", "type": "IMAGE"}}}],
                "face_capture": [{"id": "r2", "image": {"media": {"id": "m2", "type": "IMAGE"}}}],
                "id_documents": [{"id": "r3", "document_type": "PASSPORT",
                                  "pages": [{"media": {"id": "m3", "type": "IMAGE"}}]}]
            }
        });
        let text = super::session(&session);
        for expected in [
            "session s1",
            "state: COMPLETED",
            "LIVENESS c1: state DONE, recommendation APPROVE",
            "FACE_COMPARISON c2: state DONE, recommendation NOT_AVAILABLE (REFERENCE_IMAGE_MISSING)",
            "generated media g1 JSON",
            "liveness_capture r1 (STATIC)",
            "media m1 IMAGE (image)",
            "face_capture r2",
            "media m2 IMAGE (image)",
            "id_documents r3 (PASSPORT)",
            "media m3 IMAGE (pages[0])",
        ] {
            assert!(
                text.contains(expected),
                "{expected:?} missing from:\n{text}"
            );
        }
        assert!(!text.contains("secret-token"));
    }

    #[test]
    fn server_strings_cannot_drive_the_terminal() {
        let session = json!({
            "session_id": "s1\u{001b}]0;owned\u{0007}",
            "state": "COMPLETED\r\nstate: FAKE",
            "user_tracking_id": "u\u{202e}evil",
            "checks": [{"type": "LIVENESS\u{001b}[2J", "id": "c\u{009b}1", "state": "DONE",
                        "report": {"recommendation": {"value": "APPROVE\u{001b}[8m",
                                                      "reason": "r\nr"}}}],
            "resources": {"face\u{001b}capture": [{"id": "r\u{0000}",
                "image": {"media": {"id": "m\u{001b}", "type": "IMAGE\u{007f}"}}}]}
        });
        let text = super::session(&session);
        assert!(
            !text
                .chars()
                .any(|c| c != '\n' && (c.is_control() || ('\u{2000}'..='\u{206f}').contains(&c))),
            "{text:?}"
        );
        assert!(text.contains("state: COMPLETED\\r\\nstate: FAKE"), "{text}");
        assert!(!text.lines().any(|l| l.starts_with("state: FAKE")));
        assert!(text.contains("LIVENESS\\u{1b}[2J"), "{text}");
        assert!(text.contains("user tracking id: u\\u{202e}evil"), "{text}");
        let docs = supported_documents(&json!({"supported_countries": [
            {"code": "G\u{001b}B", "supported_documents": [{"type": "P\u{009b}X"}]}]}));
        assert!(
            !docs.chars().any(|c| c != '\n' && c.is_control()),
            "{docs:?}"
        );
    }

    #[test]
    fn summarises_an_empty_session() {
        let text = session(&json!({"session_id": "s1"}));
        assert!(text.contains("state: -"));
        assert!(text.contains("checks (0):"));
        assert!(text.contains("(none)"));
    }

    #[test]
    fn redacts_tokens_everywhere() {
        let mut v = json!({"client_session_token": "t", "x": [{"client_session_token": "u"}],
                           "client_session_token_ttl": 5});
        redact_tokens(&mut v);
        assert_eq!(v["client_session_token"], REDACTED);
        assert_eq!(v["x"][0]["client_session_token"], REDACTED);
        assert_eq!(v["client_session_token_ttl"], 5);
    }

    #[test]
    fn summarises_supported_documents() {
        let text = supported_documents(&json!({"supported_countries": [
            {"code": "GBR", "supported_documents": [
                {"type": "PASSPORT", "is_strictly_latin": true},
                {"type": "DRIVING_LICENCE", "is_strictly_latin": false}]}
        ]}));
        assert!(text.contains("GBR: PASSPORT, DRIVING_LICENCE (non-Latin)"));
        assert!(text.contains("1 countries"));
    }
}
