//! Realistic session results, generated (never checked in), and the requests and canned
//! responses the offline benchmarks use.
//!
//! A session result is built as `GET /sessions/{id}` returns it for a document + selfie
//! session: checks of several types with reports, breakdowns and details, identity
//! documents with pages, frames, text-extraction tasks and document fields, liveness
//! captures with frames, face captures. It also carries the fields a real response has and
//! the typed model may skip (tasks, sources, document fields), so typed decoding is
//! measured on the bytes the service really sends. Keys come in the service's order (a
//! check's `type` first), not sorted as `serde_json::Value` would write them. Everything is
//! deterministic: the same size gives the same bytes.

use serde_json::json;

/// The session id the fixtures and canned responses use.
pub const SESSION_ID: &str = "a1b2c3d4-e5f6-4a0b-8c1d-2e3f4a5b6c7d";

/// A JSON value whose objects keep their keys in the order written, as the service sends
/// them (`serde_json::Value` sorts keys, which would put every `type` discriminator last).
#[derive(Debug, Clone)]
enum J {
    Obj(Vec<(&'static str, J)>),
    Arr(Vec<J>),
    Str(String),
    Int(i64),
    Null,
}

fn s(value: impl Into<String>) -> J {
    J::Str(value.into())
}

fn o(fields: Vec<(&'static str, J)>) -> J {
    J::Obj(fields)
}

impl J {
    fn write(&self, out: &mut String) {
        match self {
            J::Obj(fields) => {
                out.push('{');
                for (i, (key, value)) in fields.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    write_str(out, key);
                    out.push(':');
                    value.write(out);
                }
                out.push('}');
            }
            J::Arr(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    item.write(out);
                }
                out.push(']');
            }
            J::Str(text) => write_str(out, text),
            J::Int(n) => out.push_str(&n.to_string()),
            J::Null => out.push_str("null"),
        }
    }

    fn id(&self) -> Option<&str> {
        match self {
            J::Obj(fields) => fields.iter().find_map(|(k, v)| match (k, v) {
                (&"id", J::Str(id)) => Some(id.as_str()),
                _ => None,
            }),
            _ => None,
        }
    }
}

fn write_str(out: &mut String, text: &str) {
    out.push_str(&serde_json::to_string(text).unwrap_or_default());
}

/// A small deterministic generator of UUID-shaped ids and timestamps.
#[derive(Debug, Clone)]
struct Ids(u64);

impl Ids {
    fn next_u64(&mut self) -> u64 {
        // xorshift64*
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn uuid(&mut self) -> J {
        let a = self.next_u64();
        let b = self.next_u64();
        s(format!(
            "{:08x}-{:04x}-4{:03x}-{:04x}-{:012x}",
            a >> 32,
            (a >> 16) & 0xffff,
            a & 0x0fff,
            0x8000 | ((b >> 48) & 0x3fff),
            b & 0xffff_ffff_ffff
        ))
    }

    fn timestamp(&mut self) -> J {
        let n = self.next_u64();
        s(format!(
            "2026-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z",
            1 + n % 12,
            1 + (n >> 8) % 28,
            (n >> 16) % 24,
            (n >> 24) % 60,
            (n >> 32) % 60,
            (n >> 40) % 1000
        ))
    }

    fn media(&mut self, media_type: &str) -> J {
        o(vec![
            ("id", self.uuid()),
            ("type", s(media_type)),
            ("created", self.timestamp()),
            ("last_updated", self.timestamp()),
        ])
    }
}

const CHECK_TYPES: &[&str] = &[
    "ID_DOCUMENT_AUTHENTICITY",
    "ID_DOCUMENT_TEXT_DATA_CHECK",
    "ID_DOCUMENT_FACE_MATCH",
    "LIVENESS",
    "FACE_COMPARISON",
    "WATCHLIST_SCREENING",
];

const SUB_CHECKS: &[&str] = &[
    "document_in_date",
    "fraud_list_check",
    "hologram",
    "mrz_validation",
    "ocr_mrz_comparison",
    "photo_physical_tampering",
    "security_features",
    "ai_face_match",
    "liveness_auth",
];

fn check(ids: &mut Ids, index: usize, resources: &[String]) -> J {
    let check_type = CHECK_TYPES[index % CHECK_TYPES.len()];
    let breakdown: Vec<J> = (0..5)
        .map(|i| {
            let sub_check = SUB_CHECKS[(index + i) % SUB_CHECKS.len()];
            o(vec![
                ("sub_check", s(sub_check)),
                (
                    "result",
                    s(if (index + i).is_multiple_of(11) {
                        "FAIL"
                    } else {
                        "PASS"
                    }),
                ),
                (
                    "details",
                    J::Arr(vec![
                        o(vec![
                            ("name", s("confidence_score")),
                            ("value", s(format!("0.{:02}", 70 + (index + i) % 30))),
                        ]),
                        o(vec![
                            ("name", s("model_version")),
                            ("value", s("2026.04.1")),
                        ]),
                    ]),
                ),
                ("process", s("AUTOMATED")),
            ])
        })
        .collect();
    let recommendation = if index % 7 == 3 {
        o(vec![
            ("value", s("REJECT")),
            ("reason", s("PHOTO_TOO_BLURRY")),
            ("recovery_suggestion", s("BETTER_LIGHTING")),
        ])
    } else {
        o(vec![("value", s("APPROVE"))])
    };
    let mut report = vec![
        ("recommendation", recommendation),
        ("breakdown", J::Arr(breakdown)),
    ];
    if check_type == "WATCHLIST_SCREENING" {
        report.push((
            "watchlist_summary",
            o(vec![
                ("total_hits", J::Int(0)),
                (
                    "search_config",
                    o(vec![
                        ("type", s("WITH_YOTI_ACCOUNT")),
                        ("categories", J::Arr(vec![s("SANCTIONS"), s("PEP")])),
                    ]),
                ),
            ]),
        ));
    }
    o(vec![
        ("type", s(check_type)),
        ("id", ids.uuid()),
        ("state", s("DONE")),
        (
            "resources_used",
            J::Arr(resources.iter().take(2).map(|r| s(r.as_str())).collect()),
        ),
        (
            "generated_media",
            J::Arr(vec![o(vec![("id", ids.uuid()), ("type", s("JSON"))])]),
        ),
        ("report", o(report)),
        ("created", ids.timestamp()),
        ("last_updated", ids.timestamp()),
    ])
}

fn id_document(ids: &mut Ids) -> J {
    let page = |ids: &mut Ids| {
        o(vec![
            ("capture_method", s("CAMERA")),
            ("media", ids.media("IMAGE")),
            (
                "frames",
                J::Arr(vec![
                    o(vec![("media", ids.media("IMAGE"))]),
                    o(vec![("media", ids.media("IMAGE"))]),
                ]),
            ),
        ])
    };
    let task = o(vec![
        ("type", s("ID_DOCUMENT_TEXT_DATA_EXTRACTION")),
        ("id", ids.uuid()),
        ("state", s("DONE")),
        ("created", ids.timestamp()),
        ("last_updated", ids.timestamp()),
        (
            "generated_checks",
            J::Arr(vec![o(vec![
                ("id", ids.uuid()),
                ("type", s("ID_DOCUMENT_TEXT_DATA_CHECK")),
            ])]),
        ),
        (
            "generated_media",
            J::Arr(vec![o(vec![("id", ids.uuid()), ("type", s("JSON"))])]),
        ),
    ]);
    o(vec![
        ("id", ids.uuid()),
        ("source", o(vec![("type", s("END_USER"))])),
        ("document_type", s("PASSPORT")),
        ("issuing_country", s("GBR")),
        ("tasks", J::Arr(vec![task])),
        ("pages", J::Arr(vec![page(ids), page(ids)])),
        ("document_fields", o(vec![("media", ids.media("JSON"))])),
        ("document_id_photo", o(vec![("media", ids.media("IMAGE"))])),
        ("created_at", ids.timestamp()),
        ("last_updated", ids.timestamp()),
    ])
}

fn liveness(ids: &mut Ids, index: usize) -> J {
    if index.is_multiple_of(2) {
        o(vec![
            ("id", ids.uuid()),
            ("source", o(vec![("type", s("END_USER"))])),
            ("liveness_type", s("STATIC")),
            ("image", o(vec![("media", ids.media("IMAGE"))])),
            ("tasks", J::Arr(vec![])),
        ])
    } else {
        o(vec![
            ("id", ids.uuid()),
            ("source", o(vec![("type", s("END_USER"))])),
            ("liveness_type", s("ZOOM")),
            ("facemap", o(vec![("media", ids.media("BINARY"))])),
            (
                "frames",
                J::Arr(
                    (0..3)
                        .map(|_| o(vec![("media", ids.media("IMAGE"))]))
                        .collect(),
                ),
            ),
            ("tasks", J::Arr(vec![])),
        ])
    }
}

fn face_capture(ids: &mut Ids) -> J {
    o(vec![
        ("id", ids.uuid()),
        ("source", o(vec![("type", s("RELYING_BUSINESS"))])),
        ("image", o(vec![("media", ids.media("IMAGE"))])),
        ("tasks", J::Arr(vec![])),
    ])
}

/// A session result with `groups` groups of resources (one identity document, one liveness
/// capture, one face capture each) and `checks` checks, as JSON bytes. Objects list their
/// keys in the service's order: a check's or task's `type` first.
pub fn session_result(groups: usize, checks: usize) -> Vec<u8> {
    let mut ids = Ids(0x9e37_79b9_7f4a_7c15);
    let id_documents: Vec<J> = (0..groups).map(|_| id_document(&mut ids)).collect();
    let liveness_capture: Vec<J> = (0..groups).map(|i| liveness(&mut ids, i)).collect();
    let face_captures: Vec<J> = (0..groups).map(|_| face_capture(&mut ids)).collect();
    let resource_ids: Vec<String> = id_documents
        .iter()
        .chain(&liveness_capture)
        .chain(&face_captures)
        .filter_map(|r| r.id().map(str::to_owned))
        .collect();
    let checks: Vec<J> = (0..checks)
        .map(|i| {
            let start = i % resource_ids.len().max(1);
            check(&mut ids, i, resource_ids.get(start..).unwrap_or(&[]))
        })
        .collect();
    let result = o(vec![
        ("client_session_token_ttl", J::Int(599)),
        ("session_id", s(SESSION_ID)),
        ("user_tracking_id", s("some-user-tracking-id")),
        ("biometric_consent", s("2026-04-01T10:00:00.000Z")),
        (
            "client_session_token",
            s("c1d2e3f4-a5b6-4c7d-8e9f-0a1b2c3d4e5f"),
        ),
        ("state", s("COMPLETED")),
        ("checks", J::Arr(checks)),
        (
            "resources",
            o(vec![
                ("id_documents", J::Arr(id_documents)),
                ("supplementary_documents", J::Arr(vec![])),
                ("liveness_capture", J::Arr(liveness_capture)),
                ("face_capture", J::Arr(face_captures)),
                ("applicant_profiles", J::Arr(vec![])),
            ]),
        ),
        ("identity_profile", J::Null),
        ("advanced_identity_profile", J::Null),
    ]);
    let mut out = String::new();
    result.write(&mut out);
    out.into_bytes()
}

/// The smallest generated session result of at least `min_bytes` bytes (one resource group
/// per three checks, as in a document + selfie session).
pub fn session_result_of_size(min_bytes: usize) -> Vec<u8> {
    // Each step adds about 4.5 KB; grow coarsely, then the result is at most one step over.
    let mut checks: usize = 3;
    loop {
        let bytes = session_result(checks.div_ceil(3), checks);
        if bytes.len() >= min_bytes {
            return bytes;
        }
        let per_check = bytes.len() / checks;
        let missing = (min_bytes - bytes.len()).div_ceil(per_check.max(1));
        checks += missing.clamp(1, 1024);
    }
}

/// The realistic ~20 KB session result of the per-call benchmark.
pub fn session_result_20k() -> Vec<u8> {
    session_result_of_size(20 * 1024)
}

/// The large (at least 1 MiB) session result of the decode benchmark.
pub fn session_result_1m() -> Vec<u8> {
    session_result_of_size(1024 * 1024)
}

/// A canned `200 OK` JSON response carrying `body`.
pub fn json_response(status: u16, body: Vec<u8>) -> http::Response<Vec<u8>> {
    let mut response = http::Response::new(body);
    *response.status_mut() = http::StatusCode::from_u16(status).unwrap_or(http::StatusCode::OK);
    response.headers_mut().insert(
        http::header::CONTENT_TYPE,
        http::HeaderValue::from_static("application/json"),
    );
    response
}

/// The canned `201 Created` answer to `POST /sessions`.
pub fn create_session_response_body() -> Vec<u8> {
    serde_json::to_vec(&json!({
        "client_session_token_ttl": 600,
        "client_session_token": "c1d2e3f4-a5b6-4c7d-8e9f-0a1b2c3d4e5f",
        "session_id": SESSION_ID,
    }))
    .unwrap_or_default()
}

/// A realistic session specification: static liveness, face comparison, document
/// authenticity, SDK config with URLs (what the README's flow sends, plus a document check).
pub fn session_specification() -> idv_model::SessionSpecification {
    use idv_model::*;
    SessionSpecification::new()
        .with_client_session_token_ttl(600)
        .with_resources_ttl(90_000)
        .with_user_tracking_id("some-user-tracking-id")
        .with_requested_check(RequestedLivenessCheck::static_liveness().with_max_retries(3))
        .with_requested_check(RequestedFaceComparisonCheck::new().with_manual_check_never())
        .with_sdk_config(
            SdkConfig::new()
                .with_success_url("https://example.com/idv/success")
                .with_error_url("https://example.com/idv/error")
                .with_allow_handoff(true),
        )
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    #[test]
    fn sizes_are_as_promised() {
        let small = session_result_20k();
        assert!(
            (20 * 1024..30 * 1024).contains(&small.len()),
            "{}",
            small.len()
        );
        let large = session_result_1m();
        assert!(large.len() >= 1024 * 1024, "{}", large.len());
        assert!(large.len() < 1024 * 1024 + 64 * 1024, "{}", large.len());
    }

    #[test]
    fn discriminators_come_first() {
        let text = String::from_utf8(session_result(1, 1)).unwrap();
        assert!(
            text.contains(r#""checks":[{"type":"ID_DOCUMENT_AUTHENTICITY","id":"#),
            "{text}"
        );
    }

    #[test]
    fn deterministic() {
        assert_eq!(session_result(2, 5), session_result(2, 5));
    }

    #[test]
    fn fixtures_decode_into_the_typed_model() {
        let bytes = session_result_20k();
        let value: Value = serde_json::from_slice(&bytes).expect("valid JSON");
        let typed: idv_model::GetSessionResult =
            serde_json::from_slice(&bytes).expect("decodes into the model");
        assert_eq!(typed.session_id.as_deref(), Some(SESSION_ID));
        assert_eq!(
            typed.checks.len(),
            value["checks"].as_array().map_or(0, Vec::len)
        );
        let created: idv_model::CreateSessionResult =
            serde_json::from_slice(&create_session_response_body()).expect("decodes");
        assert_eq!(created.session_id, SESSION_ID);
    }
}
