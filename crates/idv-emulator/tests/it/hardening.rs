//! The emulator as a server under hostile input (issue #11, items 1-5, and #17 item 3): the
//! `idv-emulator` binary, and the library where a limit is easier to reach in process.
//! Everything runs on loopback with fixed counts and bounded time.

use crate::common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use common::*;
use idv_emulator::Fault;
use serde_json::json;

/// The emulator binary as a child process, killed when dropped.
struct Running {
    child: Child,
    addr: SocketAddr,
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Running {
    fn alive(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }

    fn rss_kib(&self) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id()))
            .expect("reads /proc/<pid>/status");
        status
            .lines()
            .find_map(|l| l.strip_prefix("VmRSS:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
            .expect("VmRSS")
    }
}

/// Starts `program` with `args`, reads the base URL it prints first; its stdin is `stdin`.
fn start_with(mut command: Command, stdin: Stdio) -> Running {
    let mut child = command
        .stdin(stdin)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("the emulator starts");
    let stdout = child.stdout.take().expect("stdout");
    let mut lines = BufReader::new(stdout).lines();
    let mut addr = None;
    for line in lines.by_ref() {
        let line = line.expect("a line");
        // `idv-emulator` prints the URL alone; `idv emulator` prefixes it.
        if let Some(rest) = line
            .split("http://")
            .nth(1)
            .and_then(|r| r.strip_suffix("/idverify/v1"))
        {
            addr = Some(rest.parse().expect("host:port"));
            break;
        }
    }
    // Keep reading what it prints, so that it never writes into a closed pipe.
    std::thread::spawn(move || lines.count());
    Running {
        child,
        addr: addr.expect("the emulator prints its base URL"),
    }
}

fn emulator_binary(extra: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_idv-emulator"));
    command.arg(format!(
        "--app={SDK_ID}={}",
        idv_test_support::keys::path("test-key.pub.pem").display()
    ));
    command.args(extra);
    command
}

/// A signed request over the process's API succeeds (the app is known, the session not).
fn signed_request_succeeds(addr: SocketAddr) {
    let client = Client::for_addr(addr);
    client
        .get(&App::test(), "/sessions/no-such-session")
        .expect_error(404, "SESSION_NOT_FOUND");
}

/// Sends `head` (and `body`), returns the status of the answer.
fn status_of(addr: SocketAddr, head: &str, body: &[u8]) -> std::io::Result<u16> {
    let mut stream = TcpStream::connect(addr)?;
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    stream.set_write_timeout(Some(Duration::from_secs(10)))?;
    stream.write_all(head.as_bytes())?;
    // The server may refuse and close before taking all of it.
    let _ = stream.write_all(body);
    let mut answer = Vec::new();
    let mut buf = [0u8; 1024];
    while !answer.windows(4).any(|w| w == b"\r\n\r\n") {
        let n = stream.read(&mut buf)?;
        if n == 0 {
            break;
        }
        answer.extend_from_slice(&buf[..n]);
    }
    let text = String::from_utf8_lossy(&answer);
    text.strip_prefix("HTTP/1.1 ")
        .and_then(|rest| rest.get(..3))
        .and_then(|code| code.parse().ok())
        .ok_or_else(|| std::io::Error::other(format!("no status line in {text:?}")))
}

const DECLARED: usize = 15 * 1024 * 1024;

/// Acceptance (#11): 50 unauthenticated requests declaring 15 MiB uploads are refused
/// unread, and the process's memory stays flat.
#[test]
fn unauthenticated_uploads_are_refused_unread() {
    let mut emulator = start_with(emulator_binary(&[]), Stdio::null());
    let addr = emulator.addr;
    signed_request_succeeds(addr);
    let before = emulator.rss_kib();

    // A well-formed digest of the right length that is not a signature: only the body
    // could tell, and the body is never read.
    let fake_digest = STANDARD.encode([7u8; 256]);
    let heads: Vec<String> = (0..50)
        .map(|i| {
            let target = if i % 2 == 0 {
                format!(
                    "/idverify/v1/sessions/s{i}/resources/face-capture/r/image?sdkId={SDK_ID}&nonce={}&timestamp={}",
                    nonce(),
                    timestamp_millis()
                )
            } else {
                format!("/idverify/v1/sessions?sdkId={SDK_ID}&nonce={}&timestamp={}", nonce(), timestamp_millis())
            };
            let method = if i % 2 == 0 { "PUT" } else { "POST" };
            format!(
                "{method} {target} HTTP/1.1\r\nHost: {addr}\r\nX-Yoti-Auth-Digest: {fake_digest}\r\nContent-Type: multipart/form-data; boundary=x\r\nContent-Length: {DECLARED}\r\n\r\n"
            )
        })
        // and the hosted page's upload routes, with a token that is not the session's
        .chain((0..10).map(|i| {
            format!(
                "PUT /idverify/v1/client/sessions/s{i}/liveness HTTP/1.1\r\nHost: {addr}\r\nX-Yoti-Auth-Token: not-a-token\r\nContent-Type: image/jpeg\r\nContent-Length: {DECLARED}\r\n\r\n"
            )
        }))
        .collect();
    let first_part = vec![b'x'; 16 * 1024];
    let started = Instant::now();
    let statuses: Vec<std::io::Result<u16>> = std::thread::scope(|scope| {
        let handles: Vec<_> = heads
            .iter()
            .map(|head| scope.spawn(|| status_of(addr, head, &first_part)))
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("thread"))
            .collect()
    });
    for (i, status) in statuses.iter().enumerate() {
        match status {
            // The signed API refuses the declared size; the client API the token.
            Ok(code) if i < 50 => assert_eq!(*code, 413, "request {i}"),
            Ok(code) => assert!(matches!(code, 401 | 404), "request {i}: {code}"),
            Err(e) => panic!("request {i} was not answered (the body was awaited?): {e}"),
        }
    }
    assert!(started.elapsed() < Duration::from_secs(10));
    let after = emulator.rss_kib();
    let growth_mib = after.saturating_sub(before) / 1024;
    eprintln!("RSS before {before} KiB, after {after} KiB");
    assert!(growth_mib < 64, "RSS grew by {growth_mib} MiB");
    assert!(emulator.alive());
    signed_request_succeeds(addr);
}

/// Acceptance (#11): 2,000 idle connections are closed by the server within the idle
/// timeout, while a signed request still succeeds.
#[test]
fn idle_connections_are_closed() {
    let idle = Duration::from_secs(1);
    let mut emulator = start_with(
        emulator_binary(&["--idle-timeout", "1", "--max-connections", "2100"]),
        Stdio::null(),
    );
    let addr = emulator.addr;
    let opened = Instant::now();
    let idle_ones: Vec<TcpStream> = (0..2000)
        .map(|_| TcpStream::connect(addr).expect("connects"))
        .collect();
    let connected = opened.elapsed();
    signed_request_succeeds(addr);

    // Every connection sees the server close it (end of stream or a reset).
    let deadline = opened + connected + idle + Duration::from_secs(4);
    for (i, mut stream) in idle_ones.into_iter().enumerate() {
        let left = deadline.saturating_duration_since(Instant::now());
        stream
            .set_read_timeout(Some(left.max(Duration::from_millis(10))))
            .expect("timeout");
        let mut buf = [0u8; 16];
        match stream.read(&mut buf) {
            Ok(0) => {}
            Ok(n) => panic!("connection {i}: {n} unexpected bytes"),
            Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => {}
            Err(e) => panic!("connection {i} still open after the idle timeout: {e}"),
        }
    }
    assert!(emulator.alive());
    signed_request_succeeds(addr);
}

/// #11 item 2: a head sent slowly is cut off by the header timeout; a body sent slowly gets
/// 408 after the body timeout.
#[test]
fn slow_heads_and_bodies_time_out() {
    let emulator = start_with(
        emulator_binary(&["--header-timeout", "1", "--body-timeout", "1"]),
        Stdio::null(),
    );
    let addr = emulator.addr;

    // A byte every 150 ms: never idle, but the head never completes.
    let mut slow = TcpStream::connect(addr).expect("connects");
    slow.set_read_timeout(Some(Duration::from_millis(50)))
        .expect("timeout");
    let started = Instant::now();
    let mut cut_off = None;
    let mut buf = [0u8; 256];
    let head = b"GET /idverify/v1/sessions HTTP/1.1\r\nHost: x\r\nX-Slow: ";
    for byte in head.iter().chain(std::iter::repeat(&b'a')) {
        if started.elapsed() > Duration::from_secs(6) {
            break;
        }
        if slow.write_all(&[*byte]).is_err() {
            cut_off = Some(started.elapsed());
            break;
        }
        match slow.read(&mut buf) {
            // Closed, or an answer before closing: either way, cut off.
            Ok(_) => {
                cut_off = Some(started.elapsed());
                break;
            }
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ) => {}
            Err(_) => {
                cut_off = Some(started.elapsed());
                break;
            }
        }
        std::thread::sleep(Duration::from_millis(150));
    }
    assert!(
        cut_off.is_some_and(|t| t < Duration::from_secs(4)),
        "a slow head was not cut off: {cut_off:?}"
    );

    // A signed-looking head declaring 100 bytes, then only 10: 408, not a wait for ever.
    let head = format!(
        "POST /idverify/v1/sessions?sdkId={SDK_ID}&nonce={}&timestamp={} HTTP/1.1\r\nHost: {addr}\r\nX-Yoti-Auth-Digest: {}\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n",
        nonce(),
        timestamp_millis(),
        STANDARD.encode([7u8; 256])
    );
    let started = Instant::now();
    assert_eq!(
        status_of(addr, &head, b"{\"a\": 1234").expect("answered"),
        408
    );
    assert!(started.elapsed() < Duration::from_secs(5));
}

/// #11 item 2: requests beyond the in-flight cap are refused at once with 503 and
/// `Retry-After`, not queued.
#[test]
fn requests_beyond_the_in_flight_cap_get_503() {
    let emulator = builder().max_in_flight(1).start().expect("starts");
    emulator.inject(Fault::delay(Duration::from_millis(1500)).on("GET", "/sessions/*"));
    let addr = emulator.addr();
    let app = App::test();
    let slow = std::thread::spawn(move || {
        Client::for_addr(addr)
            .get(&App::test(), "/sessions/slow")
            .status
    });
    std::thread::sleep(Duration::from_millis(300));
    let resp = Client::for_addr(addr).get(&app, "/supported-documents");
    resp.expect_error(503, "SERVER_BUSY");
    assert_eq!(resp.header("retry-after"), Some("1"));
    assert_eq!(slow.join().expect("thread"), 404);
    // The slot is free again.
    assert_eq!(
        Client::for_addr(addr)
            .get(&app, "/supported-documents")
            .status,
        200
    );
}

/// #11 item 3: the hosted page's URLs must be https (or http on loopback).
#[test]
fn hosted_page_urls_must_be_https_or_loopback() {
    let emulator = emulator();
    let client = Client::new(&emulator);
    let app = App::test();
    for (name, url) in [
        ("success_url", "javascript:alert(document.cookie)"),
        ("error_url", "http://evil.example/steal"),
        (
            "privacy_policy_url",
            "data:text/html,<script>alert(1)</script>",
        ),
    ] {
        let mut spec = selfie_spec();
        spec["sdk_config"][name] = json!(url);
        let body = client
            .post_json(&app, API, "/sessions", &spec)
            .expect_error(400, "PAYLOAD_VALIDATION");
        assert_eq!(
            body["errors"][0]["property"],
            format!("sdk_config.{name}"),
            "{body}"
        );
        assert!(
            !body.to_string().contains(url),
            "the URL is not echoed: {body}"
        );
    }
    let mut spec = selfie_spec();
    spec["sdk_config"]["success_url"] = json!("http://127.0.0.1:3000/done");
    spec["sdk_config"]["error_url"] = json!("https://example.com/error");
    client.create_session(&app, &spec);
}

/// Sends a raw admin request with exactly these headers.
fn admin_status(addr: SocketAddr, method: &str, path: &str, headers: &str, body: &str) -> u16 {
    let head = format!(
        "{method} {path} HTTP/1.1\r\n{headers}Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    status_of(addr, &head, b"").expect("answered")
}

/// #11 item 4: the admin API answers only its own loopback host, no foreign origin, and
/// state changes only as JSON.
#[test]
fn admin_api_refuses_foreign_hosts_origins_and_forms() {
    let emulator = builder().admin(true).start().expect("starts");
    let addr = emulator.addr();
    let port = addr.port();
    let fault = r#"{"path": "/never/*", "action": {"type": "reset"}}"#;
    let own = format!("Host: 127.0.0.1:{port}\r\n");
    let json_type = "Content-Type: application/json\r\n";

    // DNS rebinding: a foreign name resolving to 127.0.0.1.
    let rebound = format!("Host: attacker.example:{port}\r\n{json_type}");
    assert_eq!(
        admin_status(addr, "POST", "/__admin/faults", &rebound, fault),
        403
    );
    assert_eq!(
        admin_status(
            addr,
            "GET",
            "/__admin/stats",
            &format!("Host: attacker.example:{port}\r\n"),
            ""
        ),
        403
    );
    // Another port of this machine.
    let other_port = format!("Host: 127.0.0.1:{}\r\n{json_type}", port.wrapping_add(1));
    assert_eq!(
        admin_status(addr, "POST", "/__admin/faults", &other_port, fault),
        403
    );
    // A cross-site page.
    let foreign = format!("{own}{json_type}Origin: https://attacker.example\r\n");
    assert_eq!(
        admin_status(addr, "POST", "/__admin/faults", &foreign, fault),
        403
    );
    // An HTML form (no preflight): not JSON.
    let form = format!("{own}Content-Type: application/x-www-form-urlencoded\r\n");
    assert_eq!(
        admin_status(addr, "POST", "/__admin/faults", &form, fault),
        415
    );
    let plain = format!("{own}Content-Type: text/plain\r\n");
    assert_eq!(
        admin_status(
            addr,
            "POST",
            "/__admin/clock/advance",
            &plain,
            r#"{"seconds": 1}"#
        ),
        415
    );
    assert!(emulator.pending_faults().is_empty(), "nothing was injected");

    // The emulator's own page and tools are served.
    let same = format!("Host: localhost:{port}\r\n{json_type}Origin: http://localhost:{port}\r\n");
    assert_eq!(
        admin_status(addr, "POST", "/__admin/faults", &same, fault),
        201
    );
    assert_eq!(admin_status(addr, "GET", "/__admin/stats", &own, ""), 200);
    assert_eq!(emulator.pending_faults().len(), 1);
}

/// #11 item 5: sessions, nonces and notification records are capped.
#[test]
fn stores_are_bounded() {
    let emulator = builder()
        .admin(true)
        .max_sessions(3)
        .max_nonces(4)
        .max_notifications(2)
        .allow_plain_http_notifications(true)
        .start()
        .expect("starts");
    let client = Client::new(&emulator);
    let app = App::test();
    let mut spec = selfie_spec();
    // Notifications to a loopback port nobody listens on: recorded, never delivered.
    spec["notifications"] = json!({
        "endpoint": "http://127.0.0.1:9/hook",
        "topics": ["RESOURCE_UPDATE", "CHECK_COMPLETION", "SESSION_COMPLETION", "CLIENT_SESSION_TOKEN_DELETED"]
    });
    let mut ids = Vec::new();
    for _ in 0..6 {
        ids.push(client.create_session(&app, &spec));
    }
    let (last_id, last_token) = ids.last().cloned().expect("sessions");
    let resp = client.agent(&app, &last_id, &last_token, None);
    assert_eq!(resp.status, 204, "{}", String::from_utf8_lossy(&resp.body));

    // The oldest sessions are forgotten, the newest kept.
    client
        .get(&app, &format!("/sessions/{}", ids[0].0))
        .expect_error(404, "SESSION_NOT_FOUND");
    assert_eq!(
        client.session(&app, &last_id)["session_id"],
        last_id.as_str()
    );
    let stats = client.raw("GET", "/__admin/stats", &[], b"").json();
    assert_eq!(stats["sessions"], 3, "{stats}");
    assert_eq!(stats["nonces"], 4, "{stats}");
    assert_eq!(stats["notifications"], 2, "{stats}");
    assert_eq!(emulator.notifications().len(), 2);
}

/// The stdin cases of #17 item 3, for a command: closed, /dev/null, a pipe never written.
fn serves_whatever_stdin(make: impl Fn() -> Command) {
    // Closed: run through sh with fd 0 closed.
    let mut closed = Command::new("/bin/sh");
    let inner = make();
    closed
        .arg("-c")
        .arg(r#"exec "$@" <&-"#)
        .arg("sh")
        .arg(inner.get_program())
        .args(inner.get_args());
    for (label, command, stdin) in [
        ("closed", closed, Stdio::null()),
        ("/dev/null", make(), Stdio::null()),
        ("a pipe never written", make(), Stdio::piped()),
    ] {
        let mut running = start_with(command, stdin);
        // Give a reader of stdin time to see its end (or error) and stop.
        std::thread::sleep(Duration::from_millis(500));
        assert!(running.alive(), "stdin {label}: the emulator stopped");
        signed_request_succeeds(running.addr);
        assert!(running.alive(), "stdin {label}");
    }
}

/// #17 item 3: `idv-emulator` never reads stdin: it serves with stdin closed, /dev/null or
/// a pipe nobody writes.
#[test]
fn emulator_binary_serves_whatever_its_stdin() {
    serves_whatever_stdin(|| emulator_binary(&[]));
}

/// #11 item 9 (emulator): `--app` takes a public key only.
#[test]
fn app_flag_refuses_private_keys() {
    let out = Command::new(env!("CARGO_BIN_EXE_idv-emulator"))
        .arg(format!(
            "--app={SDK_ID}={}",
            idv_test_support::keys::path("test-key.pem").display()
        ))
        .stdin(Stdio::null())
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("private key"), "{stderr}");
    assert!(stderr.contains("public key"), "{stderr}");
    assert!(
        !stderr.contains("BEGIN"),
        "no key material in the message: {stderr}"
    );
    assert!(out.stdout.is_empty(), "it did not start");
}

/// #11 item 12: the emulator verifies with aws-lc-rs; RustCrypto `rsa` is not in its
/// normal dependency tree.
#[test]
fn verifies_without_rust_crypto() {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let out = Command::new(cargo)
        .args([
            "tree",
            "--offline",
            "-p",
            "idv-emulator",
            "-e",
            "normal",
            "--prefix",
            "none",
        ])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("cargo tree runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let tree = String::from_utf8_lossy(&out.stdout);
    assert!(tree.lines().any(|l| l.starts_with("aws-lc-rs ")), "{tree}");
    assert!(
        !tree.lines().any(|l| l.starts_with("rsa ")),
        "rsa is in the tree:\n{tree}"
    );
}

/// #18 item 1: requests shaped as the Go SDK (`sdkID`) and the Java SDK (timestamp
/// `System.nanoTime() / 1000`) send them are accepted at the defaults; the emulator's own
/// stricter checks refuse them only when turned on.
#[test]
fn official_sdk_query_forms_are_accepted_at_the_defaults() {
    let app = App::test();
    let java_timestamp = 5_512_345_678u64; // microseconds since some monotonic origin
    let go = || {
        format!(
            "/sessions/x?nonce={}&timestamp={}&sdkID={SDK_ID}",
            nonce(),
            timestamp_millis() / 1000
        )
    };
    let java = || {
        format!(
            "/sessions/x?sdkId={SDK_ID}&nonce={}&timestamp={java_timestamp}",
            nonce()
        )
    };
    let send =
        |client: &Client, target: &str| client.signed_target(&app, "GET", API, target, None, b"");

    let emulator = emulator();
    let client = Client::new(&emulator);
    send(&client, &go()).expect_error(404, "SESSION_NOT_FOUND");
    send(&client, &java()).expect_error(404, "SESSION_NOT_FOUND");
    // Not an integer at all is still malformed.
    let bad = format!(
        "/sessions/x?sdkId={SDK_ID}&nonce={}&timestamp=soon",
        nonce()
    );
    send(&client, &bad).expect_error(400, "MALFORMED_REQUEST");

    let strict = builder()
        .strict_query_names(true)
        .timestamp_skew(Some(Duration::from_secs(600)))
        .start()
        .expect("starts");
    let client = Client::new(&strict);
    let body = send(&client, &go()).expect_error(400, "MALFORMED_REQUEST");
    assert_eq!(body["errors"][0]["property"], "query.sdkId", "{body}");
    send(&client, &java()).expect_error(401, "STALE_TIMESTAMP");
}

/// #11 item 2: the idle timeout never cuts a request in progress, however slow.
#[test]
fn a_slow_request_is_not_closed_as_idle() {
    let emulator = builder()
        .idle_timeout(Duration::from_millis(200))
        .start()
        .expect("starts");
    emulator.inject(Fault::delay(Duration::from_millis(1000)).on("GET", "/sessions/*"));
    let started = Instant::now();
    Client::new(&emulator)
        .get(&App::test(), "/sessions/slow")
        .expect_error(404, "SESSION_NOT_FOUND");
    assert!(started.elapsed() >= Duration::from_millis(1000));
}

/// Reads one HTTP/1.1 response (head and a `Content-Length` body) from `stream`.
fn read_response(stream: &mut TcpStream) -> String {
    let mut data = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        if let Some(end) = data.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&data[..end]).to_ascii_lowercase();
            let len: usize = head
                .lines()
                .find_map(|l| l.strip_prefix("content-length:"))
                .map_or(0, |v| v.trim().parse().expect("a Content-Length"));
            if data.len() >= end + 4 + len {
                return String::from_utf8_lossy(&data).into_owned();
            }
        }
        match stream.read(&mut buf) {
            Ok(0) | Err(_) => return String::from_utf8_lossy(&data).into_owned(),
            Ok(n) => data.extend_from_slice(&buf[..n]),
        }
    }
}

/// A request refused from its head alone (here: no such route) with a small body still
/// arriving: the emulator reads and discards the small body before it answers, so the client
/// reads its answer instead of a broken pipe, and the connection stays open for the next one.
#[test]
fn a_small_body_refused_unread_is_drained_and_the_connection_kept() {
    let emulator = emulator();
    let mut stream = TcpStream::connect(emulator.addr()).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    let body = br#"{"checks":[]}"#;
    let head = format!(
        "PUT {API}/no/such/route HTTP/1.1\r\nHost: {}\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\n\r\n",
        emulator.addr(),
        body.len()
    );
    stream.write_all(head.as_bytes()).unwrap();
    // The body comes a little later, as from a client that writes head and body apart.
    std::thread::sleep(Duration::from_millis(200));
    stream.write_all(body).unwrap();
    let first = read_response(&mut stream);
    assert!(first.starts_with("HTTP/1.1 404"), "{first}");

    // The same connection serves the next request.
    let next = format!(
        "GET {API}/no/such/route HTTP/1.1\r\nHost: {}\r\n\r\n",
        emulator.addr()
    );
    stream.write_all(next.as_bytes()).unwrap();
    let second = read_response(&mut stream);
    assert!(
        second.starts_with("HTTP/1.1 404"),
        "second answer: {second:?}"
    );
}
