//! Replays the six requests the official Node SDK sent for the selfie flow
//! (`tests/data/selfie-flow-capture.json`): same methods, paths, headers and body bytes,
//! re-signed with the test key under a fresh nonce and timestamp, with the capture's ids
//! replaced by the ones this emulator handed out. Each must be accepted, and each response
//! must have (at least) the shape the Node SDK was given.

use crate::common;

use std::collections::HashMap;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use common::*;
use serde_json::Value;

const CAPTURE: &str = include_str!("../data/selfie-flow-capture.json");

/// Headers not replayed: the client sets its own transport headers, and the digest is new.
const SKIPPED_HEADERS: &[&str] = &[
    "host",
    "accept-encoding",
    "content-length",
    "connection",
    "x-yoti-auth-digest",
];

/// A request as sent: method, full target, headers, body.
type Sent = (String, String, Vec<(String, String)>, Vec<u8>);

struct Exchange {
    method: String,
    /// Path without prefix and query.
    path: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
    status: u16,
    response: Option<Value>,
    response_body: Vec<u8>,
}

fn exchanges() -> (String, Vec<Exchange>) {
    let capture: Value = serde_json::from_str(CAPTURE).expect("capture json");
    let sdk_id = capture["server"]["expected_sdk_id"]
        .as_str()
        .expect("sdk id")
        .to_owned();
    let exchanges = capture["exchanges"]
        .as_array()
        .expect("exchanges")
        .iter()
        .map(|e| {
            let request = &e["request"];
            let target = request["target"].as_str().expect("target");
            let path = target
                .strip_prefix(API)
                .expect("prefix")
                .split('?')
                .next()
                .expect("path")
                .to_owned();
            let headers = request["headers"]
                .as_array()
                .expect("headers")
                .iter()
                .map(|h| {
                    (
                        h[0].as_str().expect("name").to_owned(),
                        h[1].as_str().expect("value").to_owned(),
                    )
                })
                .filter(|(name, _)| !SKIPPED_HEADERS.contains(&name.to_ascii_lowercase().as_str()))
                .collect();
            let response = &e["response"];
            Exchange {
                method: request["method"].as_str().expect("method").to_owned(),
                path,
                headers,
                body: STANDARD
                    .decode(request["body_b64"].as_str().expect("body"))
                    .expect("b64"),
                status: u16::try_from(response["status"].as_u64().expect("status")).expect("u16"),
                response: response.get("body_json").cloned(),
                response_body: STANDARD
                    .decode(response["body_b64"].as_str().unwrap_or(""))
                    .expect("b64"),
            }
        })
        .collect();
    (sdk_id, exchanges)
}

/// Replaces every captured id in `text` with ours.
fn map_ids(text: &str, ids: &HashMap<String, String>) -> String {
    ids.iter().fold(text.to_owned(), |acc, (theirs, ours)| {
        acc.replace(theirs, ours)
    })
}

fn looks_generated(s: &str) -> bool {
    // UUIDs, tokens and timestamps differ between runs; everything else must match.
    (s.len() == 36 && s.matches('-').count() == 4)
        || (s.len() >= 20 && s.ends_with('Z') && s.contains('T'))
}

/// Checks that `actual` has every property `expected` has, with the same JSON type, and
/// the same value for fixed strings (enums, names).
fn assert_shape(expected: &Value, actual: &Value, path: &str) {
    match (expected, actual) {
        (Value::Object(exp), Value::Object(act)) => {
            for (key, value) in exp {
                let child = format!("{path}.{key}");
                let Some(other) = act.get(key) else {
                    panic!("{child} missing in {actual}");
                };
                // The capture's server picked this value arbitrarily; see the crate docs.
                if child.ends_with("capture.biometric_consent") {
                    assert!(other.is_string(), "{child}");
                    continue;
                }
                assert_shape(value, other, &child);
            }
        }
        (Value::Array(exp), Value::Array(act)) => {
            assert!(
                act.len() >= exp.len(),
                "{path}: {} < {} elements",
                act.len(),
                exp.len()
            );
            for (i, (e, a)) in exp.iter().zip(act).enumerate() {
                assert_shape(e, a, &format!("{path}[{i}]"));
            }
        }
        (Value::String(e), Value::String(a)) => {
            if !looks_generated(e) {
                assert_eq!(e, a, "{path}");
            }
        }
        (Value::Number(_), Value::Number(_))
        | (Value::Bool(_), Value::Bool(_))
        | (Value::Null, Value::Null) => {}
        _ => panic!("{path}: expected {expected}, got {actual}"),
    }
}

#[test]
fn replays_the_node_sdk_selfie_flow() {
    let (sdk_id, exchanges) = exchanges();
    assert_eq!(exchanges.len(), 6);
    let emulator = idv_emulator::Emulator::builder()
        .app(sdk_id.clone(), public_key(TEST_PUB))
        .start()
        .expect("starts");
    let client = Client::new(&emulator);
    let app = App::new(&sdk_id, TEST_KEY);
    let mut ids: HashMap<String, String> = HashMap::new();
    let mut session = (String::new(), String::new()); // our session id and token
    let mut sent: Vec<Sent> = Vec::new();

    for (seq, exchange) in exchanges.iter().enumerate() {
        let seq = seq + 1;
        if seq == 5 {
            // Between the upload and the GET, the end user completes the session.
            assert_eq!(client.agent(&app, &session.0, &session.1, None).status, 204);
        }

        let path = map_ids(&exchange.path, &ids);
        let body = if seq == 3 {
            // The face-capture body names the requirement: same bytes, our id.
            map_ids(std::str::from_utf8(&exchange.body).expect("utf-8"), &ids).into_bytes()
        } else {
            exchange.body.clone()
        };
        let target = signed_path(&sdk_id, &path);
        let sig = digest(&app.key, &exchange.method, &target, &body);
        let mut headers: Vec<(&str, &str)> = exchange
            .headers
            .iter()
            .map(|(n, v)| (n.as_str(), v.as_str()))
            .collect();
        headers.push(("X-Yoti-Auth-Digest", &sig));
        let resp = client.raw(
            &exchange.method,
            &format!("{SANDBOX}{target}"),
            &headers,
            &body,
        );
        sent.push((
            exchange.method.clone(),
            format!("{SANDBOX}{target}"),
            headers
                .iter()
                .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
                .collect(),
            body.clone(),
        ));
        assert_eq!(
            resp.status,
            exchange.status,
            "request {seq} ({} {}): {}",
            exchange.method,
            exchange.path,
            String::from_utf8_lossy(&resp.body)
        );

        if let Some(expected) = &exchange.response {
            let actual = resp.json();
            assert_shape(expected, &actual, &format!("response{seq}"));
            // Learn our ids from the answers, keyed by the capture's ids.
            let mut learn = |theirs: &Value, ours: &Value| {
                if let (Some(t), Some(o)) = (theirs.as_str(), ours.as_str()) {
                    ids.insert(t.to_owned(), o.to_owned());
                }
            };
            match seq {
                1 => {
                    learn(&expected["session_id"], &actual["session_id"]);
                    session = (
                        actual["session_id"].as_str().expect("id").to_owned(),
                        actual["client_session_token"]
                            .as_str()
                            .expect("token")
                            .to_owned(),
                    );
                }
                2 => learn(
                    &expected["capture"]["required_resources"][0]["id"],
                    &actual["capture"]["required_resources"][0]["id"],
                ),
                3 => learn(&expected["id"], &actual["id"]),
                5 => learn(
                    &expected["resources"]["face_capture"][0]["image"]["media"]["id"],
                    &actual["resources"]["face_capture"][0]["image"]["media"]["id"],
                ),
                _ => {}
            }
        } else if exchange.status == 200 {
            // Media content: the bytes uploaded in request 4, as image/jpeg.
            assert_eq!(resp.content_type.as_deref(), Some("image/jpeg"));
            assert_eq!(resp.body, exchange.response_body);
            assert_eq!(resp.body, REFERENCE_JPEG);
        } else {
            assert!(resp.body.is_empty(), "request {seq}: expected no body");
        }
    }

    // Sent verbatim a second time, every request is refused as a replay.
    for (seq, (method, target, headers, body)) in sent.iter().enumerate() {
        let headers: Vec<(&str, &str)> = headers
            .iter()
            .map(|(n, v)| (n.as_str(), v.as_str()))
            .collect();
        let body_json = client
            .raw(method, target, &headers, body)
            .expect_error(401, "REPLAYED_NONCE");
        assert!(body_json.get("errors").is_none(), "request {}", seq + 1);
    }
}

/// The capture's requests exactly as the Node SDK sent them (its nonce, timestamp and
/// digest).
fn verbatim() -> Vec<Sent> {
    let capture: Value = serde_json::from_str(CAPTURE).expect("capture json");
    capture["exchanges"]
        .as_array()
        .expect("exchanges")
        .iter()
        .map(|e| {
            let r = &e["request"];
            let headers = r["headers"]
                .as_array()
                .expect("headers")
                .iter()
                .map(|h| {
                    (
                        h[0].as_str().expect("name").to_owned(),
                        h[1].as_str().expect("value").to_owned(),
                    )
                })
                .filter(|(n, _)| {
                    !["host", "content-length", "connection"]
                        .contains(&n.to_ascii_lowercase().as_str())
                })
                .collect();
            (
                r["method"].as_str().expect("method").to_owned(),
                r["target"].as_str().expect("target").to_owned(),
                headers,
                STANDARD
                    .decode(r["body_b64"].as_str().expect("body"))
                    .expect("b64"),
            )
        })
        .collect()
}

#[test]
fn the_capture_sent_verbatim_is_refused_as_stale() {
    let (sdk_id, _) = exchanges();
    let emulator = idv_emulator::Emulator::builder()
        .app(sdk_id, public_key(TEST_PUB))
        .timestamp_skew(Some(std::time::Duration::from_secs(600)))
        .start()
        .expect("starts");
    let client = Client::new(&emulator);
    for (seq, (method, target, headers, body)) in verbatim().iter().enumerate() {
        let headers: Vec<(&str, &str)> = headers
            .iter()
            .map(|(n, v)| (n.as_str(), v.as_str()))
            .collect();
        let resp = client.raw(method, target, &headers, body);
        // Its signature is genuine (the capture used the test key), but it is days old.
        resp.expect_error(401, "STALE_TIMESTAMP");
        let _ = seq;
    }
}

#[test]
fn the_capture_at_its_own_time_is_accepted_once_then_refused_as_a_replay() {
    let (sdk_id, _) = exchanges();
    let requests = verbatim();
    // The first request's timestamp, as the emulator's clock.
    let ts: u64 = requests[0]
        .1
        .split("timestamp=")
        .nth(1)
        .and_then(|t| t.parse().ok())
        .expect("timestamp");
    let clock = idv_emulator::ManualClock::new(
        std::time::UNIX_EPOCH + std::time::Duration::from_millis(ts),
    );
    let emulator = idv_emulator::Emulator::builder()
        .app(sdk_id, public_key(TEST_PUB))
        .clock(clock)
        .start()
        .expect("starts");
    let client = Client::new(&emulator);
    let (method, target, headers, body) = &requests[0];
    let headers: Vec<(&str, &str)> = headers
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    assert_eq!(client.raw(method, target, &headers, body).status, 201);
    client
        .raw(method, target, &headers, body)
        .expect_error(401, "REPLAYED_NONCE");
}
