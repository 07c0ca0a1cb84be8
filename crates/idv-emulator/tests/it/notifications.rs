//! Notifications: the emulator POSTs `{session_id, topic[, id]}` to a receiver with the
//! configured `Authorization`, for the subscribed topics, and retries failures: over TLS
//! (a receiver with a certificate from a test CA), or in plain HTTP to a loopback receiver
//! behind the emulator's opt-in.

use crate::common;

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

/// The emulator's records once every delivery has its answer: the receiver records a request
/// before it answers, so a record read at once may still be in flight (under load, with the
/// whole `it` binary running in parallel, it often is).
fn settled(emulator: &idv_emulator::Emulator) -> Vec<idv_emulator::NotificationRecord> {
    let deadline = Instant::now() + Duration::from_secs(5);
    while emulator.notifications().iter().any(|r| !r.delivered) && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
    emulator.notifications()
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
    let emulator = builder()
        .allow_plain_http_notifications(true)
        .start()
        .expect("starts");
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

    // The receiver records a request before it answers: wait for the last answer.
    let deadline = Instant::now() + Duration::from_secs(5);
    while emulator.notifications().iter().any(|r| !r.delivered) && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
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
        .allow_plain_http_notifications(true)
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
    let records = settled(&emulator);
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
        .allow_plain_http_notifications(true)
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

/// A TLS receiver on 127.0.0.1 with a certificate issued by a fresh test CA: records every
/// request (in arrival order) as it is read, then answers 200.
struct TlsReceiver {
    url: String,
    ca_pem: String,
    received: Received,
    _runtime: tokio::runtime::Runtime,
}

fn tls_receiver() -> TlsReceiver {
    use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, Issuer, KeyPair};
    use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt};
    use tokio_rustls::rustls;

    let ca_key = KeyPair::generate().expect("CA key");
    let mut ca_params = CertificateParams::new(Vec::<String>::new()).expect("CA params");
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca_params
        .distinguished_name
        .push(DnType::CommonName, "idv-emulator test CA");
    let ca_cert = ca_params.self_signed(&ca_key).expect("CA certificate");
    let issuer = Issuer::new(ca_params, ca_key);
    let leaf_key = KeyPair::generate().expect("leaf key");
    let leaf = CertificateParams::new(vec!["127.0.0.1".to_owned(), "localhost".to_owned()])
        .expect("leaf params")
        .signed_by(&leaf_key, &issuer)
        .expect("leaf certificate");

    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .expect("protocol versions")
        .with_no_client_auth()
        .with_single_cert(
            vec![leaf.der().clone()],
            rustls::pki_types::PrivateKeyDer::Pkcs8(leaf_key.serialize_der().into()),
        )
        .expect("server config");
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .expect("runtime");
    let listener = runtime
        .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
        .expect("bind");
    let url = format!("https://{}/hooks/idv", listener.local_addr().expect("addr"));
    let received: Received = Arc::default();
    let sink = Arc::clone(&received);
    runtime.spawn(async move {
        loop {
            let Ok((tcp, _)) = listener.accept().await else {
                continue;
            };
            let acceptor = acceptor.clone();
            let sink = Arc::clone(&sink);
            tokio::spawn(async move {
                let Ok(tls) = acceptor.accept(tcp).await else {
                    return;
                };
                let mut reader = tokio::io::BufReader::new(tls);
                let mut line = String::new();
                if reader.read_line(&mut line).await.is_err()
                    || !line.starts_with("POST /hooks/idv HTTP/1.1")
                {
                    return;
                }
                let (mut auth, mut length) = (None, 0usize);
                loop {
                    line.clear();
                    if reader.read_line(&mut line).await.is_err() {
                        return;
                    }
                    let l = line.trim_end();
                    if l.is_empty() {
                        break;
                    }
                    if let Some((name, value)) = l.split_once(':') {
                        match name.to_ascii_lowercase().as_str() {
                            "authorization" => auth = Some(value.trim().to_owned()),
                            "content-length" => length = value.trim().parse().unwrap_or(0),
                            _ => {}
                        }
                    }
                }
                let mut body = vec![0u8; length];
                if reader.read_exact(&mut body).await.is_err() {
                    return;
                }
                if let Ok(json) = serde_json::from_slice(&body) {
                    sink.lock().expect("lock").push((auth, json));
                }
                let mut tls = reader.into_inner();
                let _ = tls
                    .write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\nconnection: close\r\n\r\n")
                    .await;
                let _ = tls.shutdown().await;
            });
        }
    });
    TlsReceiver {
        url,
        ca_pem: ca_cert.pem(),
        received,
        _runtime: runtime,
    }
}

#[test]
fn notifications_are_delivered_over_tls_with_a_test_ca() {
    let receiver = tls_receiver();
    let emulator = builder()
        .notification_ca_pem(receiver.ca_pem.clone())
        .start()
        .expect("starts");
    let client = Client::new(&emulator);
    let app = App::test();
    let (id, token) = client.create_session(
        &app,
        &spec_with(
            &receiver.url,
            &["SESSION_COMPLETION"],
            json!({"auth_token": "user:pass", "auth_type": "BASIC"}),
        ),
    );
    assert_eq!(client.agent(&app, &id, &token, None).status, 204);
    let got = wait_for(&receiver.received, 1);
    assert_eq!(
        got,
        vec![(
            Some("Basic dXNlcjpwYXNz".to_owned()),
            json!({"session_id": id, "topic": "session_completion"})
        )]
    );
    let records = settled(&emulator);
    assert_eq!(
        (records[0].delivered, records[0].last_status),
        (true, Some(200))
    );
}

#[test]
fn an_untrusted_certificate_is_not_delivered_to() {
    // Without the test CA the receiver's certificate does not verify: every attempt fails.
    let receiver = tls_receiver();
    let emulator = builder()
        .notification_retries(2, Duration::from_millis(10))
        .start()
        .expect("starts");
    let client = Client::new(&emulator);
    let app = App::test();
    let (id, token) = client.create_session(
        &app,
        &spec_with(&receiver.url, &["SESSION_COMPLETION"], json!({})),
    );
    assert_eq!(client.agent(&app, &id, &token, None).status, 204);
    let deadline = Instant::now() + Duration::from_secs(10);
    while emulator.notifications().iter().any(|r| r.attempts < 2) && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
    let records = emulator.notifications();
    assert_eq!(
        (
            records[0].attempts,
            records[0].delivered,
            records[0].last_status
        ),
        (2, false, None)
    );
    assert!(receiver.received.lock().expect("lock").is_empty());
}

#[test]
fn http_endpoints_are_refused_at_creation_without_the_opt_in() {
    let emulator = emulator();
    let client = Client::new(&emulator);
    let app = App::test();
    for endpoint in [
        "http://127.0.0.1:9/hook",
        "http://example.com/hook",
        "ftp://x/y",
    ] {
        let resp = client.post_json(
            &app,
            API,
            "/sessions",
            &spec_with(endpoint, &["SESSION_COMPLETION"], json!({})),
        );
        let body = resp.expect_error(400, "PAYLOAD_VALIDATION");
        assert_eq!(body["errors"][0]["property"], "notifications.endpoint");
    }
    // With the opt-in, loopback only.
    let emulator = builder()
        .allow_plain_http_notifications(true)
        .start()
        .expect("starts");
    let client = Client::new(&emulator);
    let ok = client.post_json(
        &app,
        API,
        "/sessions",
        &spec_with(
            "http://127.0.0.1:9/hook",
            &["SESSION_COMPLETION"],
            json!({}),
        ),
    );
    assert_eq!(ok.status, 201);
    let far = client.post_json(
        &app,
        API,
        "/sessions",
        &spec_with(
            "http://example.com/hook",
            &["SESSION_COMPLETION"],
            json!({}),
        ),
    );
    far.expect_error(400, "PAYLOAD_VALIDATION");
}

#[test]
fn session_completion_comes_last_in_every_run() {
    let receiver = tls_receiver();
    let emulator = builder()
        .notification_ca_pem(receiver.ca_pem.clone())
        .start()
        .expect("starts");
    let client = Client::new(&emulator);
    let app = App::test();
    let mut spec = json!({
        "requested_checks": [
            {"type": "ID_DOCUMENT_AUTHENTICITY"},
            {"type": "ID_DOCUMENT_FACE_MATCH", "config": {"manual_check": "NEVER"}},
            {"type": "LIVENESS", "config": {"liveness_type": "STATIC", "max_retries": 1}},
        ],
        "requested_tasks": [{"type": "ID_DOCUMENT_TEXT_DATA_EXTRACTION"}],
    });
    spec["notifications"] = json!({
        "endpoint": receiver.url,
        "topics": ["TASK_COMPLETION", "CHECK_COMPLETION", "SESSION_COMPLETION"],
    });
    let mut expected_total = 0;
    for run in 0..5 {
        let (id, token) = client.create_session(&app, &spec);
        assert_eq!(client.agent(&app, &id, &token, None).status, 204);
        // 4 checks (authenticity, face match, liveness, the generated text-data check),
        // 1 task, 1 session completion.
        expected_total += 6;
        let got = wait_for(&receiver.received, expected_total);
        assert_eq!(got.len(), expected_total, "run {run}: {got:?}");
        let topics: Vec<&str> = got[expected_total - 6..]
            .iter()
            .map(|(_, body)| body["topic"].as_str().expect("topic"))
            .collect();
        assert_eq!(
            topics.last(),
            Some(&"session_completion"),
            "run {run}: {topics:?}"
        );
        assert_eq!(
            topics.iter().filter(|t| **t == "check_completion").count(),
            4,
            "run {run}: {topics:?}"
        );
        assert_eq!(
            topics.iter().filter(|t| **t == "task_completion").count(),
            1
        );
    }
}
