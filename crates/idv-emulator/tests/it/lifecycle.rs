//! Session lifecycle with an injectable clock: TTL countdown, expiry, deadlines,
//! `resources_ttl`, asynchronous reports, and every validation rule of the specification.

use crate::common;

use std::time::{Duration, SystemTime};

use common::*;
use idv_emulator::ManualClock;
use serde_json::{Value, json};

fn props(body: &Value) -> Vec<String> {
    body["errors"]
        .as_array()
        .map(|e| {
            e.iter()
                .map(|x| x["property"].as_str().unwrap_or("").to_owned())
                .collect()
        })
        .unwrap_or_default()
}

fn rfc3339(t: SystemTime) -> String {
    let secs = t
        .duration_since(SystemTime::UNIX_EPOCH)
        .expect("after 1970")
        .as_secs();
    // civil date from days (same algorithm as the emulator, re-done here independently)
    let days = (secs / 86_400) as i64;
    let rem = secs % 86_400;
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        (rem % 3600) / 60,
        rem % 60
    )
}

#[test]
fn token_ttl_counts_down_and_the_session_expires() {
    let emulator = emulator();
    let client = Client::new(&emulator);
    let app = App::test();
    let (id, token) = client.create_session(&app, &selfie_spec());
    assert_eq!(client.session(&app, &id)["client_session_token_ttl"], 600);

    emulator.advance_clock(Duration::from_secs(120));
    let s = client.session(&app, &id);
    assert_eq!(s["state"], "ONGOING");
    assert_eq!(s["client_session_token_ttl"], 480);
    let config = client
        .get(&app, &format!("/sessions/{id}/configuration"))
        .json();
    assert_eq!(config["client_session_token_ttl"], 480);

    emulator.advance_clock(Duration::from_secs(480));
    let s = client.session(&app, &id);
    assert_eq!(s["state"], "EXPIRED");
    assert_eq!(s["client_session_token_ttl"], 0);
    assert_eq!(s["checks"], json!([]));
    // Writes are refused; the agent too; deletion too (below).
    client
        .agent(&app, &id, &token, None)
        .expect_error(409, "SESSION_EXPIRED");
    let config = client
        .get(&app, &format!("/sessions/{id}/configuration"))
        .json();
    let requirement = config["capture"]["required_resources"][0]["id"].clone();
    client
        .post_json(
            &app,
            SANDBOX,
            &format!("/sessions/{id}/resources/face-capture"),
            &json!({"requirement_id": requirement}),
        )
        .expect_error(409, "SESSION_EXPIRED");
    // The token was deleted at expiry.
    let events = client
        .get(&app, &format!("/sessions/{id}/tracked-devices"))
        .json();
    assert!(
        events
            .as_array()
            .expect("array")
            .iter()
            .any(|e| e["event"] == "CLIENT_SESSION_TOKEN_DELETED")
    );
}

#[test]
fn deleting_an_expired_session_that_never_completed_is_409() {
    // The docs: sessions can only be deleted once completed; too early is 409 "The checks
    // are not finished". An expired session never completes.
    let emulator = emulator();
    let client = Client::new(&emulator);
    let app = App::test();
    let (id, _) = client.create_session(&app, &selfie_spec());
    emulator.advance_clock(Duration::from_secs(601));
    assert_eq!(client.session(&app, &id)["state"], "EXPIRED");
    let body = client
        .delete(&app, &format!("/sessions/{id}"))
        .expect_error(409, "SESSION_LOCKED");
    assert_eq!(body["message"], "The checks are not finished");
    assert_eq!(client.session(&app, &id)["state"], "EXPIRED", "not deleted");
}

#[test]
fn session_deadline_sets_the_ttl() {
    let clock = ManualClock::starting_now();
    let emulator = builder().clock(clock.clone()).start().expect("starts");
    let client = Client::new(&emulator);
    let app = App::test();
    let deadline = rfc3339(clock.now_for_test() + Duration::from_secs(3600));
    let resp = client.post_json(
        &app,
        SANDBOX,
        "/sessions",
        &json!({"session_deadline": deadline, "requested_checks": []}),
    );
    assert_eq!(resp.status, 201, "{}", String::from_utf8_lossy(&resp.body));
    let created = resp.json();
    let ttl = created["client_session_token_ttl"].as_u64().expect("ttl");
    assert!((3599..=3600).contains(&ttl), "{ttl}");
    let id = created["session_id"].as_str().expect("id").to_owned();
    emulator.advance_clock(Duration::from_secs(3600));
    assert_eq!(client.session(&app, &id)["state"], "EXPIRED");
}

trait NowForTest {
    fn now_for_test(&self) -> SystemTime;
}

impl NowForTest for ManualClock {
    fn now_for_test(&self) -> SystemTime {
        use idv_emulator::Clock;
        self.now()
    }
}

#[test]
fn resources_ttl_deletes_the_session_and_its_media() {
    let emulator = emulator();
    let client = Client::new(&emulator);
    let app = App::test();
    let (id, token) = client.create_session(&app, &selfie_spec()); // resources_ttl 90000
    assert_eq!(client.agent(&app, &id, &token, None).status, 204);
    let s = client.session(&app, &id);
    let media = s["resources"]["liveness_capture"][0]["image"]["media"]["id"]
        .as_str()
        .expect("media")
        .to_owned();
    let media_path = format!("/sessions/{id}/media/{media}/content");
    assert_eq!(client.get(&app, &media_path).status, 200);

    // resources_ttl counts from the end of the client session token's lifetime (600 s):
    // the session is still there 90000 s after creation, and gone 90600 s after it.
    emulator.advance_clock(Duration::from_secs(90_000));
    assert_eq!(client.session(&app, &id)["state"], "COMPLETED");
    assert_eq!(client.get(&app, &media_path).status, 200);
    emulator.advance_clock(Duration::from_secs(599));
    assert_eq!(client.session(&app, &id)["state"], "COMPLETED");
    emulator.advance_clock(Duration::from_secs(1));
    client
        .get(&app, &format!("/sessions/{id}"))
        .expect_error(404, "SESSION_NOT_FOUND");
    client
        .get(&app, &media_path)
        .expect_error(404, "SESSION_NOT_FOUND");
}

#[test]
fn async_report_delay_keeps_checks_pending() {
    let emulator = emulator();
    let client = Client::new(&emulator);
    let app = App::test();
    let (id, token) = client.create_session(&app, &selfie_spec());
    let config = json!({"check_reports": {"async_report_delay": 30}});
    assert_eq!(
        client
            .put_json(
                &app,
                SANDBOX,
                &format!("/sessions/{id}/response-config"),
                &config
            )
            .status,
        200
    );
    assert_eq!(client.agent(&app, &id, &token, None).status, 204);

    let s = client.session(&app, &id);
    assert_eq!(s["state"], "ONGOING");
    let checks = s["checks"].as_array().expect("checks");
    assert_eq!(checks.len(), 2);
    for c in checks {
        assert_eq!(c["state"], "PENDING");
        assert!(c.get("report").is_none(), "{c}");
    }
    // Still locked while pending.
    client
        .delete(&app, &format!("/sessions/{id}"))
        .expect_error(409, "SESSION_LOCKED");
    // The capture is complete: the agent cannot run twice.
    client
        .agent(&app, &id, &token, None)
        .expect_error(409, "SESSION_COMPLETED");

    emulator.advance_clock(Duration::from_secs(29));
    assert_eq!(client.session(&app, &id)["state"], "ONGOING");
    emulator.advance_clock(Duration::from_secs(1));
    let s = client.session(&app, &id);
    assert_eq!(s["state"], "COMPLETED");
    let checks = s["checks"].as_array().expect("checks");
    assert!(checks.iter().all(|c| c["state"] == "DONE"));
    assert_eq!(checks[0]["report"]["recommendation"]["value"], "APPROVE");
    // No reference image was uploaded.
    assert_eq!(
        checks[1]["report"]["recommendation"]["reason"],
        "REFERENCE_IMAGE_MISSING"
    );
}

#[test]
fn validation_names_the_property() {
    let emulator = emulator();
    let client = Client::new(&emulator);
    let app = App::test();
    let cases: &[(Value, &[&str])] = &[
        (
            json!({"client_session_token_ttl": 300}),
            &["client_session_token_ttl"],
        ),
        (
            json!({"client_session_token_ttl": 600, "resources_ttl": 86_999}),
            &["resources_ttl"],
        ),
        (
            json!({"client_session_token_ttl": 600, "session_deadline": "2999-01-01T00:00:00Z"}),
            &["session_deadline"],
        ),
        (
            json!({"session_deadline": "yesterday"}),
            &["session_deadline"],
        ),
        (
            json!({"requested_checks": [{"type": "LIVENESS", "config": {}}]}),
            &["requested_checks[0].config.liveness_type"],
        ),
        (
            json!({"requested_checks": [{"type": "BLOOD_TEST"}]}),
            &["requested_checks[0].type"],
        ),
        (
            json!({"requested_tasks": [{"type": "MIND_READING"}]}),
            &["requested_tasks[0].type"],
        ),
        (
            json!({"required_documents": [{"type": "LIBRARY_CARD"}]}),
            &["required_documents[0].type"],
        ),
        (
            json!({"required_documents": [{"type": "ID_DOCUMENT", "filter": {"type": "DOCUMENT_RESTRICTIONS"}}]}),
            &["required_documents[0].filter.inclusion"],
        ),
        (
            json!({"requested_checks": [{"type": "WATCHLIST_ADVANCED_CA", "config": {"type": "WITH_CUSTOM_ACCOUNT"}}]}),
            &[
                "requested_checks[0].config.api_key",
                "requested_checks[0].config.client_ref",
            ],
        ),
        (
            json!({"requested_checks": [{"type": "LIVENESS", "config": {"liveness_type": "STATIC"}}, {"type": "FACE_COMPARISON", "config": {"manual_check": "ALWAYS"}}]}),
            &["requested_checks[1].config.manual_check"],
        ),
        (
            // The current face-comparison page: FACE_COMPARISON needs LIVENESS.
            json!({"requested_checks": [{"type": "FACE_COMPARISON", "config": {"manual_check": "NEVER"}}]}),
            &["requested_checks[0]"],
        ),
        (
            json!({"notifications": {"endpoint": "http://127.0.0.1:9/hook", "topics": ["SESSION_COMPLETION"]}}),
            &["notifications.endpoint"],
        ),
        (
            json!({"sdk_config": {"allowed_capture_methods": "FAX"}}),
            &["sdk_config.allowed_capture_methods"],
        ),
        (
            json!({"notifications": {"endpoint": "http://example.com/hook", "topics": ["SESSION_COMPLETION"]}}),
            &["notifications.endpoint"],
        ),
        (
            json!({"notifications": {"topics": ["session_completion"]}}),
            &["notifications.endpoint"],
        ),
        (
            json!({"notifications": {"endpoint": "https://example.com/hook", "topics": ["NOPE"], "auth_type": "DIGEST"}}),
            &["notifications.topics[0]", "notifications.auth_type"],
        ),
    ];
    for (spec, expected) in cases {
        let body = client
            .post_json(&app, SANDBOX, "/sessions", spec)
            .expect_error(400, "PAYLOAD_VALIDATION");
        assert_eq!(props(&body), *expected, "{spec}");
    }
    // Accepted: https endpoints, lower-case topics, 301 s; no upper limit on the lifetime
    // (the docs give none: a TTL or deadline beyond a week is fine).
    for spec in [
        json!({"client_session_token_ttl": 301, "notifications": {"endpoint": "https://example.com/hook", "topics": ["session_completion"]}}),
        json!({"client_session_token_ttl": 604_801, "resources_ttl": 2_000_000}),
        json!({"session_deadline": "2999-01-01T00:00:00Z"}),
        json!({"requested_checks": [{"type": "LIVENESS", "config": {"liveness_type": "STATIC"}}, {"type": "FACE_COMPARISON"}]}),
    ] {
        assert_eq!(
            client.post_json(&app, SANDBOX, "/sessions", &spec).status,
            201,
            "{spec}"
        );
    }
}

#[test]
fn required_resources_follow_checks_and_documents() {
    let emulator = emulator();
    let client = Client::new(&emulator);
    let app = App::test();
    let spec = json!({
        "requested_checks": [
            {"type": "ID_DOCUMENT_AUTHENTICITY", "config": {}},
            {"type": "LIVENESS", "config": {"liveness_type": "ZOOM", "max_retries": 1}},
            {"type": "ID_DOCUMENT_FACE_MATCH", "config": {"manual_check": "NEVER"}}
        ],
        "requested_tasks": [{"type": "ID_DOCUMENT_TEXT_DATA_EXTRACTION", "config": {"manual_check": "NEVER"}}],
        "required_documents": [
            {"type": "ID_DOCUMENT", "filter": {"type": "ORTHOGONAL_RESTRICTIONS",
                "country_restriction": {"inclusion": "WHITELIST", "country_codes": ["GBR", "FRA"]},
                "type_restriction": {"inclusion": "WHITELIST", "document_types": ["PASSPORT"]}}},
            {"type": "SUPPLEMENTARY_DOCUMENT", "objective": {"type": "PROOF_OF_ADDRESS"}, "document_types": ["UTILITY_BILL"], "country_codes": ["GBR"]}
        ],
        "sdk_config": {"allowed_capture_methods": "CAMERA", "attempts_configuration": {"ID_DOCUMENT_TEXT_DATA_EXTRACTION": {"GENERIC": 2}}}
    });
    let (id, _) = client.create_session(&app, &spec);
    let config = client
        .get(&app, &format!("/sessions/{id}/configuration"))
        .json();
    let required = config["capture"]["required_resources"]
        .as_array()
        .expect("array");
    let types: Vec<&str> = required
        .iter()
        .map(|r| r["type"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(types, ["LIVENESS", "ID_DOCUMENT", "SUPPLEMENTARY_DOCUMENT"]);
    assert_eq!(required[0]["liveness_type"], "ZOOM");
    let doc = &required[1];
    assert_eq!(
        doc["requested_tasks"],
        json!([{"type": "ID_DOCUMENT_TEXT_DATA_EXTRACTION", "state": "REQUIRED"}])
    );
    assert_eq!(doc["allowed_capture_methods"], "CAMERA");
    assert_eq!(
        doc["attempts_remaining"],
        json!({"GENERIC": 2, "RECLASSIFICATION": 3})
    );
    assert_eq!(
        doc["supported_countries"],
        json!([
            {"code": "GBR", "supported_documents": [{"type": "PASSPORT", "is_strictly_latin": true}]},
            {"code": "FRA", "supported_documents": [{"type": "PASSPORT", "is_strictly_latin": true}]}
        ])
    );
    assert_eq!(required[2]["document_types"], json!(["UTILITY_BILL"]));
    assert_eq!(
        required[2]["objective"],
        json!({"type": "PROOF_OF_ADDRESS"})
    );
    assert_eq!(required[2]["requested_tasks"], json!([]));
    assert_eq!(config["capture"]["biometric_consent"], "REQUIRED");

    // Document checks without required_documents imply one ID document.
    let (id, _) = client.create_session(
        &app,
        &json!({"requested_checks": [{"type": "ID_DOCUMENT_AUTHENTICITY"}]}),
    );
    let config = client
        .get(&app, &format!("/sessions/{id}/configuration"))
        .json();
    assert_eq!(
        config["capture"]["required_resources"][0]["type"],
        "ID_DOCUMENT"
    );
    assert_eq!(config["capture"]["biometric_consent"], "NOT_REQUIRED");
}

#[test]
fn face_capture_upload_limits() {
    let emulator = emulator();
    let client = Client::new(&emulator);
    let app = App::test();
    let (id, _) = client.create_session(&app, &selfie_spec());
    let config = client
        .get(&app, &format!("/sessions/{id}/configuration"))
        .json();
    let requirement = config["capture"]["required_resources"][0]["id"].clone();
    let resource = client
        .post_json(
            &app,
            SANDBOX,
            &format!("/sessions/{id}/resources/face-capture"),
            &json!({"requirement_id": requirement}),
        )
        .json();
    let rid = resource["id"].as_str().expect("id");
    // 10 MiB + 1 byte of JPEG-looking data: 413 naming the part.
    let mut big = vec![0u8; 10 * 1024 * 1024 + 1];
    big[..3].copy_from_slice(&[0xFF, 0xD8, 0xFF]);
    let body = client
        .upload_image(&app, &id, rid, "image/jpeg", &big)
        .expect_error(413, "PAYLOAD_TOO_LARGE");
    assert_eq!(props(&body), ["binary-content"]);
    // Exactly at the limit is fine.
    big.pop();
    assert_eq!(
        client
            .upload_image(&app, &id, rid, "image/jpeg", &big)
            .status,
        204
    );
}
