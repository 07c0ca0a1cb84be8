//! `idv applicant ...` and `idv pool ...` against a scripted server that records each
//! request: what every command sends (method, path, JSON body), what it prints, and its exit
//! code (0 on success and on a delete that finds nothing, 1 for an API error, 2 for usage).

use std::io::{Read, Write};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use assert_cmd::Command;
use serde_json::{Value, json};

const SDK_ID: &str = "00000000-0000-4000-8000-00000000c11e";

/// A fixture: a shared test key (`idv_test_support::keys`, one copy for the workspace), or a
/// file of this crate's `tests/data`.
fn data(name: &str) -> PathBuf {
    if idv_test_support::keys::FILES.contains(&name) {
        return idv_test_support::keys::path(name);
    }
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(name)
}

/// One recorded request: method, path (without the base path), JSON body if any.
type Seen = (String, String, Option<Value>);

/// Answers each request with the next canned `(status, body)`, recording it.
fn server(answers: Vec<(u16, &'static str)>) -> (String, Arc<Mutex<Vec<Seen>>>) {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("binds");
    let port = listener.local_addr().expect("addr").port();
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = seen.clone();
    std::thread::spawn(move || {
        let mut answers = answers.into_iter();
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
            let mut buf = Vec::new();
            let mut chunk = [0u8; 4096];
            let head_end = loop {
                if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                    break i + 4;
                }
                match stream.read(&mut chunk) {
                    Ok(0) | Err(_) => return,
                    Ok(n) => buf.extend_from_slice(&chunk[..n]),
                }
            };
            let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
            let length: usize = head
                .lines()
                .find_map(|l| {
                    let (k, v) = l.split_once(':')?;
                    k.eq_ignore_ascii_case("content-length")
                        .then(|| v.trim().parse().ok())?
                })
                .unwrap_or(0);
            while buf.len() < head_end + length {
                match stream.read(&mut chunk) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => buf.extend_from_slice(&chunk[..n]),
                }
            }
            let mut words = head.split_whitespace();
            let method = words.next().unwrap_or_default().to_owned();
            let target = words.next().unwrap_or_default();
            assert!(target.contains(&format!("sdkId={SDK_ID}")), "{target}");
            let path = target
                .split('?')
                .next()
                .unwrap_or_default()
                .trim_start_matches("/idverify/v1")
                .to_owned();
            let body = &buf[head_end..];
            let body = (!body.is_empty()).then(|| serde_json::from_slice(body).expect("JSON"));
            log.lock().expect("log").push((method, path, body));
            let (status, answer) = answers.next().unwrap_or((500, ""));
            let _ = write!(
                stream,
                "HTTP/1.1 {status} X\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\
                 Connection: close\r\n\r\n{answer}",
                answer.len()
            );
        }
    });
    (format!("http://127.0.0.1:{port}/idverify/v1"), seen)
}

fn idv(url: &str, args: &[&str]) -> (Option<i32>, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_idv"))
        .env("YOTI_CLIENT_SDK_ID", SDK_ID)
        .env("YOTI_KEY_FILE_PATH", data("test-key.pem"))
        .env("YOTI_IDV_API_URL", url)
        .timeout(Duration::from_secs(60))
        .args(args)
        .output()
        .expect("runs");
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn seen(method: &str, path: &str, body: Option<Value>) -> Seen {
    (method.to_owned(), path.to_owned(), body)
}

#[test]
fn applicant_commands_send_and_print() {
    let image = data("reference-face.jpg");
    let image = image.to_str().expect("utf-8 path");
    let (url, log) = server(vec![
        (201, r#"{"id":"a-1"}"#),
        (201, r#"{"id":"f-1"}"#),
        (201, r#"{"id":"f-2"}"#),
        (
            200,
            r#"{"id":"a-1","faces":{"archetype_face":"f-1","faces":[{},{}]},"pools":[{"id":"p-1","label":"members"}]}"#,
        ),
        (204, ""),
        (
            404,
            r#"{"code":"APPLICANT_NOT_FOUND","message":"no such applicant"}"#,
        ),
    ]);
    let (code, out, err) = idv(&url, &["applicant", "create"]);
    assert_eq!(
        (code, out.as_str()),
        (Some(0), "created applicant a-1\n"),
        "{err}"
    );
    let (code, out, _) = idv(&url, &["applicant", "add-face", "a-1", "--image", image]);
    assert_eq!(
        (code, out.as_str()),
        (Some(0), "added face f-1 to applicant a-1\n")
    );
    let (code, out, _) = idv(
        &url,
        &[
            "applicant",
            "add-face",
            "a-1",
            "--session",
            "s-1",
            "--media",
            "m-1",
        ],
    );
    assert_eq!(
        (code, out.as_str()),
        (Some(0), "added face f-2 to applicant a-1\n")
    );
    let (code, out, _) = idv(&url, &["applicant", "get", "a-1"]);
    assert_eq!(code, Some(0));
    assert_eq!(
        out,
        "applicant a-1\nreference face: f-1\nfaces: 2\npool p-1 members\n"
    );
    let (code, out, _) = idv(&url, &["applicant", "delete", "a-1", "--face", "f-1"]);
    assert_eq!(
        (code, out.as_str()),
        (Some(0), "deleted face f-1 of applicant a-1\n")
    );
    let (code, out, _) = idv(&url, &["applicant", "delete", "a-1"]);
    assert_eq!(
        (code, out.as_str()),
        (Some(0), "applicant a-1 was already gone (404)\n")
    );

    let jpeg = std::fs::read(data("reference-face.jpg")).expect("image");
    use base64::Engine as _;
    let b64 = base64::engine::general_purpose::STANDARD.encode(jpeg);
    assert_eq!(
        *log.lock().expect("log"),
        [
            seen("POST", "/applicants", Some(json!({}))),
            seen(
                "POST",
                "/applicants/a-1/faces",
                Some(json!({"face": {"data": b64}}))
            ),
            seen(
                "POST",
                "/applicants/a-1/faces",
                Some(json!({"face": {"source": {"session_id": "s-1", "media_id": "m-1"}}}))
            ),
            seen("GET", "/applicants/a-1", None),
            seen("DELETE", "/applicants/a-1/faces/f-1", None),
            seen("DELETE", "/applicants/a-1", None),
        ]
    );
}

/// `--json`: the server's whole answer (fields the SDK does not model included), still valid
/// JSON with the same value, but with bidirectional controls escaped; the requests are the
/// same as without `--json`.
#[test]
fn json_output_is_the_whole_answer_made_inert() {
    let image = data("reference-face.jpg");
    let image = image.to_str().expect("utf-8 path");
    let applicant = r#"{"id":"a-1","faces":{"archetype_face":"f-1","faces":[{"id":"f-1"}]},"pools":[{"id":"p-1","label":"evil\u202e"}],"created":"2026-12-01T00:00:00Z"}"#;
    let answers: [(u16, &'static str); 4] = [
        (201, r#"{"id":"a-1","note":"kept"}"#),
        (201, r#"{"id":"f-1","quality":0.9}"#),
        (200, applicant),
        (201, r#"{"id":"p-1","label":"members","size":0}"#),
    ];
    let (url, log) = server(answers.to_vec());
    let commands: [&[&str]; 4] = [
        &["applicant", "create", "--json"],
        &["applicant", "add-face", "a-1", "--image", image, "--json"],
        &["applicant", "get", "a-1", "--json"],
        &["pool", "create", "members", "--json"],
    ];
    for (args, (_, answer)) in commands.iter().zip(answers) {
        let (code, out, err) = idv(&url, args);
        assert_eq!(code, Some(0), "{args:?}: {err}");
        assert!(
            !out.contains('\u{202e}'),
            "{args:?} printed a raw bidi control: {out}"
        );
        let printed: Value = serde_json::from_str(&out).expect("the output is JSON");
        let expected: Value = serde_json::from_str(answer).expect("the answer is JSON");
        assert_eq!(printed, expected, "{args:?}");
    }
    let log = log.lock().expect("log");
    let requests: Vec<(&str, &str)> = log
        .iter()
        .map(|(method, path, _)| (method.as_str(), path.as_str()))
        .collect();
    assert_eq!(
        requests,
        [
            ("POST", "/applicants"),
            ("POST", "/applicants/a-1/faces"),
            ("GET", "/applicants/a-1"),
            ("POST", "/pools"),
        ]
    );
    assert_eq!(log[3].2, Some(json!({"label": "members"})));
    // the face went as the image's bytes, as without --json
    let face = log[1].2.as_ref().expect("a body");
    assert!(face["face"]["data"].is_string(), "{face}");
}

#[test]
fn pool_commands_send_and_print() {
    let (url, log) = server(vec![
        (201, r#"{"id":"p-1","label":"members"}"#),
        (204, ""),
        (
            409,
            r#"{"code":"ALREADY_IN_POOL","message":"already a member"}"#,
        ),
        (204, ""),
        (
            404,
            r#"{"code":"NOT_A_MEMBER","message":"not in the pool"}"#,
        ),
        (204, ""),
    ]);
    let (code, out, _) = idv(&url, &["pool", "create", "members"]);
    assert_eq!((code, out.as_str()), (Some(0), "created pool p-1\n"));
    let (code, out, _) = idv(&url, &["pool", "add", "p-1", "a-1"]);
    assert_eq!(
        (code, out.as_str()),
        (Some(0), "added applicant a-1 to pool p-1\n")
    );
    // an API error: exit 1 with the status and code
    let (code, _, err) = idv(&url, &["pool", "add", "p-1", "a-1"]);
    assert_eq!(code, Some(1), "{err}");
    assert!(
        err.contains("409") && err.contains("ALREADY_IN_POOL"),
        "{err}"
    );
    let (code, out, _) = idv(&url, &["pool", "remove", "p-1", "a-1"]);
    assert_eq!(
        (code, out.as_str()),
        (Some(0), "removed applicant a-1 from pool p-1\n")
    );
    let (code, out, _) = idv(&url, &["pool", "remove", "p-1", "a-1"]);
    assert_eq!(
        (code, out.as_str()),
        (Some(0), "applicant a-1 was not in pool p-1 (404)\n")
    );
    let (code, out, _) = idv(&url, &["pool", "delete", "p-1"]);
    assert_eq!((code, out.as_str()), (Some(0), "deleted pool p-1\n"));
    assert_eq!(
        *log.lock().expect("log"),
        [
            seen("POST", "/pools", Some(json!({"label": "members"}))),
            seen(
                "POST",
                "/pools/p-1/applicants",
                Some(json!({"applicant_id": "a-1"}))
            ),
            seen(
                "POST",
                "/pools/p-1/applicants",
                Some(json!({"applicant_id": "a-1"}))
            ),
            seen("DELETE", "/pools/p-1/applicants/a-1", None),
            seen("DELETE", "/pools/p-1/applicants/a-1", None),
            seen("DELETE", "/pools/p-1", None),
        ]
    );
}

#[test]
fn bad_usage_is_exit_2_and_sends_nothing() {
    let (url, log) = server(Vec::new());
    // neither an image nor a session media
    let (code, _, _) = idv(&url, &["applicant", "add-face", "a-1"]);
    assert_eq!(code, Some(2));
    // a session without its media
    let (code, _, _) = idv(&url, &["applicant", "add-face", "a-1", "--session", "s-1"]);
    assert_eq!(code, Some(2));
    // not an image
    let not_image = data("selfie-spec.json");
    let (code, _, err) = idv(
        &url,
        &[
            "applicant",
            "create",
            "--image",
            not_image.to_str().expect("utf-8"),
        ],
    );
    assert_eq!(code, Some(2), "{err}");
    let (code, _, _) = idv(&url, &["pool", "create"]);
    assert_eq!(code, Some(2));
    assert!(log.lock().expect("log").is_empty());
    // the help lists the exit codes
    let (code, out, _) = idv(&url, &["pool", "--help"]);
    assert_eq!(code, Some(0));
    assert!(out.contains("Exit codes:"), "{out}");
}

/// The commands against the emulator, which verifies each request's signature.
#[test]
fn applicant_and_pool_lifecycle_against_the_emulator() {
    let key = idv::PrivateKey::from_pem_file(data("test-key.pem")).expect("key");
    let emulator = idv_emulator::Emulator::builder()
        .app(SDK_ID, key.public_key())
        .start()
        .expect("emulator starts");
    let url = emulator.sandbox_base_url();
    let image = data("reference-face.jpg");
    let last_word = |out: &str| out.split_whitespace().last().unwrap_or_default().to_owned();

    let (code, out, err) = idv(&url, &["pool", "create", "members"]);
    assert_eq!(code, Some(0), "{err}");
    let pool = last_word(&out);
    let (code, out, err) = idv(
        &url,
        &[
            "applicant",
            "create",
            "--image",
            image.to_str().expect("utf-8"),
        ],
    );
    assert_eq!(code, Some(0), "{err}");
    let applicant = last_word(&out);
    let (code, _, err) = idv(&url, &["pool", "add", &pool, &applicant]);
    assert_eq!(code, Some(0), "{err}");
    let (code, out, _) = idv(&url, &["applicant", "get", &applicant]);
    assert_eq!(code, Some(0));
    assert!(out.contains(&format!("pool {pool} members")), "{out}");
    let (code, out, err) = idv(&url, &["applicant", "get", &applicant, "--json"]);
    assert_eq!(code, Some(0), "{err}");
    let answer: Value = serde_json::from_str(&out).expect("JSON");
    assert_eq!(answer["id"], applicant.as_str(), "{answer}");
    assert_eq!(answer["pools"][0]["id"], pool.as_str(), "{answer}");
    let (code, out, _) = idv(&url, &["applicant", "delete", &applicant]);
    assert_eq!(
        (code, out),
        (Some(0), format!("deleted applicant {applicant}\n"))
    );
    let (code, out, _) = idv(&url, &["applicant", "delete", &applicant]);
    assert_eq!(
        (code, out),
        (
            Some(0),
            format!("applicant {applicant} was already gone (404)\n")
        )
    );
    // a read of a deleted applicant is an API error: exit 1
    let (code, _, err) = idv(&url, &["applicant", "get", &applicant]);
    assert_eq!(code, Some(1), "{err}");
    assert!(err.contains("404"), "{err}");
    let (code, _, _) = idv(&url, &["pool", "delete", &pool]);
    assert_eq!(code, Some(0));
}
