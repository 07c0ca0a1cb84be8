//! Notifications: the emulator POSTs `{session_id, topic[, id]}` to a local receiver with
//! the configured `Authorization`, for the subscribed topics, and retries failures.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::*;
use serde_json::{Value, json};

/// One received notification: the Authorization header and the JSON body.
type Received = Arc<Mutex<Vec<(Option<String>, Value)>>>;

/// A tiny HTTP receiver on 127.0.0.1: answers 500 to the first `failures` requests, then 200.
fn receiver(failures: usize) -> (String, Received) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let url = format!("http://{}/hooks/idv", listener.local_addr().expect("addr"));
    let received: Received = Arc::default();
    let sink = Arc::clone(&received);
    std::thread::spawn(move || {
        let mut seen = 0usize;
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut reader = BufReader::new(stream.try_clone().expect("clone"));
            let mut auth = None;
            let mut length = 0usize;
            let mut line = String::new();
            reader.read_line(&mut line).expect("request line");
            assert!(line.starts_with("POST /hooks/idv HTTP/1.1"), "{line}");
            loop {
                line.clear();
                reader.read_line(&mut line).expect("header");
                let l = line.trim_end();
                if l.is_empty() {
                    break;
                }
                let (name, value) = l.split_once(':').expect("header");
                match name.to_ascii_lowercase().as_str() {
                    "authorization" => auth = Some(value.trim().to_owned()),
                    "content-length" => length = value.trim().parse().expect("length"),
                    _ => {}
                }
            }
            let mut body = vec![0u8; length];
            reader.read_exact(&mut body).expect("body");
            seen += 1;
            let status = if seen <= failures {
                "500 Internal Server Error"
            } else {
                "200 OK"
            };
            let _ = stream.write_all(
                format!("HTTP/1.1 {status}\r\ncontent-length: 0\r\nconnection: close\r\n\r\n")
                    .as_bytes(),
            );
            if seen > failures {
                sink.lock()
                    .expect("lock")
                    .push((auth, serde_json::from_slice(&body).expect("json body")));
            }
        }
    });
    (url, received)
}

fn wait_for(received: &Received, n: usize) -> Vec<(Option<String>, Value)> {
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        let got = received.lock().expect("lock").clone();
        if got.len() >= n || Instant::now() > deadline {
            return got;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn spec_with(endpoint: &str, topics: &[&str], auth: Value) -> Value {
    let mut spec = selfie_spec();
    let mut notifications = json!({"endpoint": endpoint, "topics": topics});
    if let Value::Object(extra) = auth {
        for (k, v) in extra {
            notifications[k] = v;
        }
    }
    spec["notifications"] = notifications;
    spec
}

#[test]
fn selfie_flow_notifies_a_local_receiver_with_basic_auth() {
    let (url, received) = receiver(0);
    let emulator = emulator();
    let client = Client::new(&emulator);
    let app = App::test();
    let topics = [
        "RESOURCE_UPDATE",
        "TASK_COMPLETION",
        "check_completion",
        "SESSION_COMPLETION",
        "CLIENT_SESSION_TOKEN_DELETED",
    ];
    let spec = spec_with(
        &url,
        &topics,
        json!({"auth_token": "username:password", "auth_type": "BASIC"}),
    );
    let (id, token) = client.create_session(&app, &spec);
    assert_eq!(client.agent(&app, &id, &token, None).status, 204);
    let s = client.session(&app, &id);
    let liveness_id = s["resources"]["liveness_capture"][0]["id"]
        .as_str()
        .expect("liveness")
        .to_owned();

    // resource update (liveness), token deleted, 2 x check completion, session completion.
    let got = wait_for(&received, 5);
    assert_eq!(got.len(), 5, "{got:?}");
    for (auth, body) in &got {
        assert_eq!(auth.as_deref(), Some("Basic dXNlcm5hbWU6cGFzc3dvcmQ="));
        assert_eq!(body["session_id"], id.as_str());
    }
    let mut topics_seen: Vec<String> = got
        .iter()
        .map(|(_, b)| b["topic"].as_str().unwrap_or("").to_owned())
        .collect();
    topics_seen.sort();
    assert_eq!(
        topics_seen,
        [
            "check_completion",
            "check_completion",
            "client_session_token_deleted",
            "resource_update",
            "session_completion"
        ]
    );
    let resource = got
        .iter()
        .find(|(_, b)| b["topic"] == "resource_update")
        .expect("resource update");
    assert_eq!(
        resource.1,
        json!({"session_id": id, "topic": "resource_update", "resource_id": liveness_id})
    );
    let check_ids: Vec<&Value> = got
        .iter()
        .filter(|(_, b)| b["topic"] == "check_completion")
        .map(|(_, b)| &b["check_id"])
        .collect();
    for c in s["checks"].as_array().expect("checks") {
        assert!(check_ids.contains(&&c["id"]), "{c}");
    }
    let done = got
        .iter()
        .find(|(_, b)| b["topic"] == "session_completion")
        .expect("completion");
    assert_eq!(done.1.as_object().map(|o| o.len()), Some(2));

    let records = emulator.notifications();
    assert_eq!(records.len(), 5);
    assert!(
        records
            .iter()
            .all(|r| r.delivered && r.attempts == 1 && r.last_status == Some(200))
    );
}

#[test]
fn bearer_auth_only_subscribed_topics_and_retries() {
    let (url, received) = receiver(2);
    let emulator = builder()
        .notification_retries(4, Duration::from_millis(10))
        .start()
        .expect("starts");
    let client = Client::new(&emulator);
    let app = App::test();
    let spec = spec_with(
        &url,
        &["SESSION_COMPLETION"],
        json!({"auth_token": "tok-123", "auth_type": "BEARER"}),
    );
    let (id, token) = client.create_session(&app, &spec);
    assert_eq!(client.agent(&app, &id, &token, None).status, 204);
    let got = wait_for(&received, 1);
    assert_eq!(
        got,
        vec![(
            Some("Bearer tok-123".to_owned()),
            json!({"session_id": id, "topic": "session_completion"})
        )]
    );
    let records = emulator.notifications();
    assert_eq!(records.len(), 1);
    assert_eq!((records[0].attempts, records[0].delivered), (3, true));
}

#[test]
fn delayed_reports_notify_when_due_and_failures_are_bounded() {
    // A receiver that is not there: the attempts stop after the configured number.
    let dead = TcpListener::bind("127.0.0.1:0").expect("bind");
    let url = format!("http://{}/hook", dead.local_addr().expect("addr"));
    drop(dead);
    let emulator = builder()
        .notification_retries(2, Duration::from_millis(10))
        .start()
        .expect("starts");
    let client = Client::new(&emulator);
    let app = App::test();
    let (id, token) = client.create_session(
        &app,
        &spec_with(&url, &["SESSION_COMPLETION", "CHECK_COMPLETION"], json!({})),
    );
    let config = json!({"check_reports": {"async_report_delay": 60}});
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
    assert!(emulator.notifications().is_empty(), "nothing is due yet");
    emulator.advance_clock(Duration::from_secs(60));
    let records = emulator.notifications();
    assert_eq!(records.len(), 3, "{records:?}");
    let deadline = Instant::now() + Duration::from_secs(5);
    while emulator.notifications().iter().any(|r| r.attempts < 2) && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
    std::thread::sleep(Duration::from_millis(50));
    for r in emulator.notifications() {
        assert_eq!((r.attempts, r.delivered, r.last_status), (2, false, None));
    }
}

#[test]
fn https_endpoints_are_recorded_not_sent() {
    let emulator = emulator();
    let client = Client::new(&emulator);
    let app = App::test();
    let (id, token) = client.create_session(
        &app,
        &spec_with(
            "https://example.com/hook",
            &["SESSION_COMPLETION"],
            json!({"auth_token": "t"}),
        ),
    );
    assert_eq!(client.agent(&app, &id, &token, None).status, 204);
    std::thread::sleep(Duration::from_millis(50));
    let records = emulator.notifications();
    assert_eq!(records.len(), 1);
    assert_eq!((records[0].attempts, records[0].delivered), (0, false));
    assert_eq!(records[0].topic, "session_completion");
}
