//! Fault injection, programmatic and through the admin API: status (with `Retry-After`),
//! delay, connection reset, truncated body, malformed JSON; counting and matching.

use crate::common;

use std::time::{Duration, Instant};

use common::*;
use idv_emulator::{Fault, FaultAction};
use serde_json::json;

#[test]
fn status_with_retry_after_for_the_next_n_matching_requests() {
    let emulator = emulator();
    let client = Client::new(&emulator);
    let app = App::test();
    let (id, _) = client.create_session(&app, &selfie_spec());
    emulator.inject(
        Fault::status(503)
            .retry_after(2)
            .on("GET", "/sessions/*")
            .times(2),
    );
    assert_eq!(emulator.pending_faults().len(), 1);

    // A POST and another route do not match.
    assert_eq!(
        client
            .post_json(&app, API, "/sessions", &selfie_spec())
            .status,
        201
    );
    assert_eq!(
        client
            .get(&app, &format!("/sessions/{id}/configuration"))
            .status,
        200
    );
    for _ in 0..2 {
        let resp = client.get(&app, &format!("/sessions/{id}"));
        resp.expect_error(503, "INJECTED_FAULT");
        assert_eq!(resp.header("retry-after"), Some("2"));
    }
    assert!(emulator.pending_faults().is_empty());
    assert_eq!(client.get(&app, &format!("/sessions/{id}")).status, 200);
    // The sandbox base matches the same pattern.
    emulator.inject(Fault::status(429).on("GET", "/sessions/{id}"));
    client
        .sandbox_get(&app, &format!("/sessions/{id}"))
        .expect_error(429, "INJECTED_FAULT");
}

#[test]
fn delay_then_normal_answer() {
    let emulator = emulator();
    let client = Client::new(&emulator);
    let app = App::test();
    emulator.inject(Fault::delay(Duration::from_millis(300)));
    let started = Instant::now();
    client
        .get(&app, "/sessions/x")
        .expect_error(404, "SESSION_NOT_FOUND");
    assert!(
        started.elapsed() >= Duration::from_millis(300),
        "{:?}",
        started.elapsed()
    );
}

#[test]
fn reset_closes_the_connection_without_an_answer() {
    let emulator = emulator();
    let client = Client::new(&emulator);
    let app = App::test();
    let (id, _) = client.create_session(&app, &selfie_spec());
    emulator.inject(Fault::reset().on("GET", "/sessions/*"));
    let target = signed_path(SDK_ID, &format!("/sessions/{id}"));
    let sig = digest(&app.key, "GET", &target, b"");
    let err = client
        .try_raw(
            "GET",
            &format!("{SANDBOX}{target}"),
            &[("X-Yoti-Auth-Digest", &sig)],
            b"",
        )
        .expect_err("reset");
    assert!(!err.is_empty());
    // The request was not handled: its nonce is still unused.
    let resp = client.raw(
        "GET",
        &format!("{SANDBOX}{target}"),
        &[("X-Yoti-Auth-Digest", &sig)],
        b"",
    );
    assert_eq!(resp.status, 200);
}

#[test]
fn truncated_body() {
    let emulator = emulator();
    let client = Client::new(&emulator);
    let app = App::test();
    let (id, _) = client.create_session(&app, &selfie_spec());
    emulator.inject(Fault::truncate_body().on("GET", "/sessions/*"));
    let target = signed_path(SDK_ID, &format!("/sessions/{id}"));
    let sig = digest(&app.key, "GET", &target, b"");
    let err = client
        .try_raw(
            "GET",
            &format!("{API}{target}"),
            &[("X-Yoti-Auth-Digest", &sig)],
            b"",
        )
        .expect_err("truncated");
    assert!(err.starts_with("body"), "{err}");
    // The next one is whole.
    assert_eq!(client.session(&app, &id)["session_id"], id.as_str());
}

#[test]
fn malformed_json() {
    let emulator = emulator();
    let client = Client::new(&emulator);
    let app = App::test();
    let (id, _) = client.create_session(&app, &selfie_spec());
    emulator.inject(Fault::malformed_json().on("GET", "/sessions/*"));
    let resp = client.get(&app, &format!("/sessions/{id}"));
    assert_eq!(resp.status, 200);
    assert_eq!(resp.content_type.as_deref(), Some("application/json"));
    assert!(serde_json::from_slice::<serde_json::Value>(&resp.body).is_err());
}

#[test]
fn faults_apply_in_order_and_can_be_cleared() {
    let emulator = emulator();
    let client = Client::new(&emulator);
    let app = App::test();
    emulator.inject(Fault::status(500));
    emulator.inject(Fault::status(502).times(5));
    client
        .get(&app, "/sessions/x")
        .expect_error(500, "INJECTED_FAULT");
    client
        .get(&app, "/sessions/x")
        .expect_error(502, "INJECTED_FAULT");
    assert_eq!(emulator.pending_faults()[0].remaining(), 4);
    assert_eq!(
        emulator.pending_faults()[0].action(),
        &FaultAction::Status {
            status: 502,
            retry_after: None
        }
    );
    emulator.clear_faults();
    client
        .get(&app, "/sessions/x")
        .expect_error(404, "SESSION_NOT_FOUND");
}

#[test]
fn admin_api_only_when_enabled() {
    let emulator = emulator();
    let client = Client::new(&emulator);
    client
        .raw("GET", "/__admin/faults", &[], b"")
        .expect_error(404, "NOT_FOUND");

    let emulator = builder().admin(true).start().expect("starts");
    assert!(emulator.admin_url().ends_with("/__admin"));
    let client = Client::new(&emulator);
    let app = App::test();
    let post = |body: serde_json::Value| {
        client.raw(
            "POST",
            "/__admin/faults",
            &[("Content-Type", "application/json")],
            body.to_string().as_bytes(),
        )
    };
    let resp = post(json!({"method": "GET", "path": "/sessions/*", "times": 1,
        "action": {"type": "status", "status": 503, "retry_after": 1}}));
    assert_eq!(resp.status, 201, "{}", String::from_utf8_lossy(&resp.body));
    let resp = client.get(&app, "/sessions/x");
    resp.expect_error(503, "INJECTED_FAULT");
    assert_eq!(resp.header("retry-after"), Some("1"));

    for action in [
        json!({"type": "delay", "millis": 10}),
        json!({"type": "reset"}),
        json!({"type": "truncate_body"}),
        json!({"type": "malformed_json"}),
    ] {
        assert_eq!(
            post(json!({"path": "/never/*", "action": action})).status,
            201
        );
    }
    let list = client.raw("GET", "/__admin/faults", &[], b"").json();
    assert_eq!(list.as_array().map(Vec::len), Some(4));
    assert_eq!(list[1]["action"]["type"], "reset");
    post(json!({"action": {"type": "teleport"}})).expect_error(400, "PAYLOAD_VALIDATION");
    assert_eq!(
        client
            .raw(
                "DELETE",
                "/__admin/faults",
                &[("Content-Type", "application/json")],
                b""
            )
            .status,
        204
    );
    assert!(emulator.pending_faults().is_empty());

    // Clock and stats.
    let (id, _) = client.create_session(&app, &selfie_spec());
    let resp = client.raw(
        "POST",
        "/__admin/clock/advance",
        &[("Content-Type", "application/json")],
        br#"{"seconds": 600}"#,
    );
    assert_eq!(resp.status, 204);
    assert_eq!(client.session(&app, &id)["state"], "EXPIRED");
    let stats = client.raw("GET", "/__admin/stats", &[], b"").json();
    assert_eq!(stats["sessions"], 1);
    assert!(
        stats["connections_accepted"]
            .as_u64()
            .is_some_and(|n| n >= 1)
    );
}

#[test]
fn connections_are_counted() {
    let emulator = emulator();
    assert_eq!(emulator.connections_accepted(), 0);
    let client = Client::new(&emulator); // ureq keeps one connection alive
    let app = App::test();
    for _ in 0..10 {
        client
            .get(&app, "/sessions/x")
            .expect_error(404, "SESSION_NOT_FOUND");
    }
    assert_eq!(emulator.connections_accepted(), 1);
    for _ in 0..3 {
        Client::new(&emulator)
            .get(&app, "/sessions/x")
            .expect_error(404, "SESSION_NOT_FOUND");
    }
    assert_eq!(emulator.connections_accepted(), 4);
}
