//! Issue #18 item 1: requests shaped exactly as each official SDK sends them are accepted at
//! the emulator's defaults.
//!
//! The shapes come from the SDKs' sources, as recorded in the project's signing reference
//! (query parameter names and order, nonce form, timestamp form, escaping, headers, JSON
//! formatting): Node 4.13.2, Go 3.15.0, Java 4.1.0, Python 2.14.6, PHP 4.5.0, .NET 3.18.0.
//! Each SDK creates a session (a signed POST with its JSON body and headers), reads it back
//! (a signed GET) and asks to delete it (a signed DELETE, answered with the documented 409
//! while its checks are unfinished).

// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used)]

use crate::common;

use common::*;

/// One official SDK's way of building a signed request.
struct Shape {
    name: &'static str,
    /// The query string for this SDK's SDK id, nonce and timestamp.
    query: fn(sdk_id: &str, nonce: &str, timestamp: &str) -> String,
    /// Its nonce.
    nonce: fn(n: u64) -> String,
    /// Its timestamp.
    timestamp: fn() -> String,
    /// `X-Yoti-SDK` and `X-Yoti-SDK-Version`.
    sdk: (&'static str, &'static str),
    /// Whether it sends `Content-Type: application/json` (and Accept) on a GET or DELETE.
    json_headers_without_body: bool,
    /// The JSON text of `{"client_session_token_ttl":600,"requested_checks":[...]}`.
    body: &'static str,
}

fn millis() -> String {
    timestamp_millis().to_string()
}

fn lower_v4(n: u64) -> String {
    let pid = u64::from(std::process::id()) & 0xffff;
    format!("5d0c1b2a-{pid:04x}-4a00-8b00-{n:012x}")
}

const COMPACT: &str = r#"{"client_session_token_ttl":600,"requested_checks":[{"type":"LIVENESS","config":{"liveness_type":"STATIC","max_retries":1}}]}"#;

fn shapes() -> Vec<Shape> {
    vec![
        // Node: sdkId, nonce, timestamp (epoch ms); Accept always, Content-Type with a body.
        Shape {
            name: "Node",
            query: |id, n, t| format!("sdkId={id}&nonce={n}&timestamp={t}"),
            nonce: lower_v4,
            timestamp: millis,
            sdk: ("Node", "Node-4.13.2"),
            json_headers_without_body: false,
            body: COMPACT,
        },
        // Go: `sdkID`, parameters in map (random) order, upper-case hex nonce without version
        // bits, epoch ms rounded to a whole second; version without prefix.
        Shape {
            name: "Go",
            query: |id, n, t| format!("timestamp={t}&sdkID={id}&nonce={n}"),
            nonce: |n| {
                let pid = u64::from(std::process::id()) & 0xffff;
                format!("A1B2C3D4-{pid:04X}-F6A7-B8C9-{n:012X}")
            },
            timestamp: || (timestamp_millis() / 1000 * 1000).to_string(),
            sdk: ("Go", "3.15.0"),
            json_headers_without_body: false,
            body: COMPACT,
        },
        // Java: sdkId, nonce, timestamp = System.nanoTime()/1000 (µs on a monotonic clock,
        // not epoch time); Content-Type application/json on every request.
        Shape {
            name: "Java",
            query: |id, n, t| format!("sdkId={id}&nonce={n}&timestamp={t}"),
            nonce: lower_v4,
            timestamp: || "987654321012".to_owned(),
            sdk: ("Java", "Java-4.1.0"),
            json_headers_without_body: true,
            body: COMPACT,
        },
        // Python: sdkId, nonce, timestamp (ms); both JSON headers on every request; json.dumps
        // with ", " and ": " separators.
        Shape {
            name: "Python",
            query: |id, n, t| format!("sdkId={id}&nonce={n}&timestamp={t}"),
            nonce: lower_v4,
            timestamp: millis,
            sdk: ("Python", "Python-2.14.6"),
            json_headers_without_body: true,
            body: r#"{"client_session_token_ttl": 600, "requested_checks": [{"type": "LIVENESS", "config": {"liveness_type": "STATIC", "max_retries": 1}}]}"#,
        },
        // PHP: sdkId, nonce (mt_rand, UUID-like: no version or variant rule), timestamp (ms).
        Shape {
            name: "PHP",
            query: |id, n, t| format!("sdkId={id}&nonce={n}&timestamp={t}"),
            nonce: |n| {
                let pid = u64::from(std::process::id()) & 0xffff;
                format!("9f8e7d6c-{pid:04x}-1234-f567-{n:012x}")
            },
            timestamp: millis,
            sdk: ("PHP", "PHP-4.5.0"),
            json_headers_without_body: false,
            body: COMPACT,
        },
        // .NET: sdkId, then timestamp before nonce, unescaped.
        Shape {
            name: ".NET",
            query: |id, n, t| format!("sdkId={id}&timestamp={t}&nonce={n}"),
            nonce: lower_v4,
            timestamp: millis,
            sdk: (".NET", ".NET-3.18.0"),
            json_headers_without_body: false,
            body: COMPACT,
        },
    ]
}

static COUNTER: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);

/// Sends one request as `shape` builds it and returns the response.
fn send(client: &Client, app: &App, shape: &Shape, method: &str, path: &str, body: &[u8]) -> Resp {
    let n = COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let query = (shape.query)(&app.sdk_id, &(shape.nonce)(n), &(shape.timestamp)());
    let target = format!("{path}?{query}");
    let digest = digest(&app.key, method, &target, body);
    let mut headers = vec![
        ("X-Yoti-Auth-Digest", digest.as_str()),
        ("X-Yoti-SDK", shape.sdk.0),
        ("X-Yoti-SDK-Version", shape.sdk.1),
    ];
    if !body.is_empty() || shape.json_headers_without_body {
        headers.push(("Content-Type", "application/json"));
        headers.push(("Accept", "application/json"));
    }
    client.raw(method, &format!("{API}{target}"), &headers, body)
}

#[test]
fn every_official_sdk_request_shape_is_accepted_at_the_defaults() {
    let emulator = emulator();
    let client = Client::new(&emulator);
    let app = App::test();
    for shape in shapes() {
        let created = send(
            &client,
            &app,
            &shape,
            "POST",
            "/sessions",
            shape.body.as_bytes(),
        );
        assert_eq!(
            created.status,
            201,
            "{}: create session: {}",
            shape.name,
            String::from_utf8_lossy(&created.body)
        );
        let session_id = created.json()["session_id"].as_str().unwrap().to_owned();
        let path = format!("/sessions/{session_id}");

        let read = send(&client, &app, &shape, "GET", &path, b"");
        assert_eq!(
            read.status,
            200,
            "{}: get session: {}",
            shape.name,
            String::from_utf8_lossy(&read.body)
        );
        assert_eq!(
            read.json()["session_id"],
            session_id.as_str(),
            "{}",
            shape.name
        );

        // Authenticated and understood: an ongoing session whose checks are unfinished cannot
        // be deleted yet (the documented 409), which is an answer only a signed request gets.
        let deleted = send(&client, &app, &shape, "DELETE", &path, b"");
        assert_eq!(deleted.status, 409, "{}: delete session", shape.name);
    }
}

#[test]
fn a_wrong_signature_in_any_shape_is_still_refused() {
    // The tolerance is for the forms the SDKs send, not for the signature.
    let emulator = emulator();
    let client = Client::new(&emulator);
    let impostor = App::new(SDK_ID, OTHER_KEY);
    for shape in shapes() {
        let refused = send(&client, &impostor, &shape, "GET", "/sessions/x", b"");
        assert_eq!(refused.status, 401, "{}", shape.name);
    }
}
