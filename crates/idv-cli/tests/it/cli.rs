//! The `idv` binary against an in-process emulator: every command, and the error paths
//! (bad keys, unknown ids, server down, missing credentials) with their exit codes.
//!
//! The keys in `tests/data` are test fixtures copied from `idv-auth` and `idv`: public, never
//! to be used anywhere else.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use assert_cmd::Command;
use idv::model::ClientSessionToken;
use idv::{ClientBuilder, PrivateKey};
use idv_emulator::Emulator;
use serde_json::Value;

const SDK_ID: &str = "00000000-0000-4000-8000-00000000c11e";

/// A fixture: a shared test key (`idv_test_support::keys`, one copy for the workspace), or a
/// file of this crate's `tests/data`.
fn data(name: &str) -> PathBuf {
    if idv_test_support::keys::FILES.contains(&name) {
        return idv_test_support::keys::path(name);
    }
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(name)
}

fn key() -> PrivateKey {
    PrivateKey::from_pem_file(data("test-key.pem")).expect("test key")
}

/// A fresh file path under the target directory's scratch space.
fn scratch(name: &str) -> PathBuf {
    static N: AtomicUsize = AtomicUsize::new(0);
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("idv-cli-tests");
    std::fs::create_dir_all(&dir).expect("scratch dir");
    let n = N.fetch_add(1, Ordering::Relaxed);
    dir.join(format!("{}-{n}-{name}", std::process::id()))
}

fn emulator() -> Emulator {
    Emulator::builder()
        .app(SDK_ID, key().public_key())
        .start()
        .expect("emulator starts")
}

/// `idv` with no credentials in its environment.
fn bare_idv() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_idv"));
    cmd.env_remove("YOTI_CLIENT_SDK_ID")
        .env_remove("YOTI_KEY_FILE_PATH")
        .env_remove("YOTI_IDV_API_URL")
        .timeout(Duration::from_secs(60));
    cmd
}

/// `idv` with the emulator's credentials in the environment.
fn idv(emulator: &Emulator) -> Command {
    let mut cmd = bare_idv();
    cmd.env("YOTI_CLIENT_SDK_ID", SDK_ID)
        .env("YOTI_KEY_FILE_PATH", data("test-key.pem"))
        .env("YOTI_IDV_API_URL", emulator.sandbox_base_url());
    cmd
}

struct Output {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

fn run(cmd: &mut Command) -> Output {
    let out = cmd.output().expect("runs");
    let output = Output {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    };
    assert_no_secret(&output);
    output
}

/// No output ever shows key material.
fn assert_no_secret(out: &Output) {
    for text in [&out.stdout, &out.stderr] {
        assert!(!text.contains("PRIVATE KEY-----"), "{text}");
        assert!(!text.contains("MII"), "key material in output: {text}");
    }
}

/// The command failed with `code` and exactly one `error: ` line on standard error.
fn assert_error(out: &Output, code: i32, needles: &[&str]) {
    assert_eq!(
        out.code,
        Some(code),
        "stdout: {}\nstderr: {}",
        out.stdout,
        out.stderr
    );
    let lines: Vec<&str> = out.stderr.lines().collect();
    assert_eq!(lines.len(), 1, "one line expected: {:?}", out.stderr);
    assert!(lines[0].starts_with("error: "), "{}", lines[0]);
    for needle in needles {
        assert!(
            lines[0].contains(needle),
            "{needle:?} missing from {:?}",
            lines[0]
        );
    }
}

fn success(out: &Output) {
    assert_eq!(
        out.code,
        Some(0),
        "stdout: {}\nstderr: {}",
        out.stdout,
        out.stderr
    );
}

/// Creates a session through the CLI and returns `(session id, client session token)`.
fn create_session(emulator: &Emulator) -> (String, String) {
    let out = run(idv(emulator)
        .args(["session", "create", "--json", "--show-token", "--spec"])
        .arg(data("selfie-spec.json")));
    success(&out);
    let answer: Value = serde_json::from_str(&out.stdout).expect("JSON answer");
    let id = answer["session_id"]
        .as_str()
        .expect("session id")
        .to_owned();
    let token = answer["client_session_token"]
        .as_str()
        .expect("token")
        .to_owned();
    (id, token)
}

// --- help ------------------------------------------------------------------------------------

#[test]
fn every_command_has_help_with_the_exit_codes() {
    for args in [
        &[][..],
        &["session"],
        &["session", "create"],
        &["session", "get"],
        &["session", "delete"],
        &["session", "upload-reference"],
        &["session", "url"],
        &["session", "verdict"],
        &["sandbox"],
        &["sandbox", "complete"],
        &["media"],
        &["media", "get"],
        &["supported-documents"],
        &["key"],
        &["key", "check"],
        &["emulator"],
    ] {
        let out = run(bare_idv().args(args).arg("--help"));
        success(&out);
        assert!(
            out.stdout.contains("Usage: idv"),
            "{args:?}: {}",
            out.stdout
        );
        assert!(out.stdout.contains("Exit codes:"), "{args:?}");
        assert!(out.stdout.contains("3  transport error"), "{args:?}");
    }
    // a usage error is exit code 2
    let out = run(bare_idv().args(["session", "frobnicate"]));
    assert_eq!(out.code, Some(2));
}

// --- sessions and media ----------------------------------------------------------------------

#[test]
fn session_lifecycle_and_media_download() {
    let emulator = emulator();

    // the summary of create hides the token
    let out = run(idv(&emulator)
        .args(["session", "create", "--spec"])
        .arg(data("selfie-spec.json")));
    success(&out);
    assert!(
        out.stdout.starts_with("session created: "),
        "{}",
        out.stdout
    );
    assert!(out.stdout.contains("client session token: <redacted>"));

    let (session_id, token) = create_session(&emulator);
    let out = run(idv(&emulator).args(["session", "get", &session_id]));
    success(&out);
    assert!(out.stdout.contains("state: ONGOING"), "{}", out.stdout);
    assert!(out.stdout.contains("checks (0):"));
    assert!(!out.stdout.contains(&token));

    // play the user through the sandbox, with the SDK
    let config = ClientBuilder::new()
        .sdk_id(SDK_ID)
        .key(key())
        .base_url(&emulator.sandbox_base_url());
    config
        .build_blocking()
        .unwrap()
        .sandbox_complete_session(
            &session_id.as_str().into(),
            &ClientSessionToken::new(token.clone()),
        )
        .expect("completes");

    let out = run(idv(&emulator).args(["session", "get", &session_id]));
    success(&out);
    for expected in [
        format!("session {session_id}").as_str(),
        "state: COMPLETED",
        "checks (2):",
        "LIVENESS",
        "recommendation APPROVE",
        "FACE_COMPARISON",
        "liveness_capture",
        "media ",
    ] {
        assert!(
            out.stdout.contains(expected),
            "{expected:?} in\n{}",
            out.stdout
        );
    }
    assert!(!out.stdout.contains(&token));

    // --json: the session as JSON, the token redacted
    let out = run(idv(&emulator).args(["session", "get", &session_id, "--json"]));
    success(&out);
    let session: Value = serde_json::from_str(&out.stdout).expect("JSON");
    assert_eq!(session["client_session_token"], "<redacted>");
    assert_eq!(session["state"], "COMPLETED");
    let media_id = session["resources"]["liveness_capture"][0]["image"]["media"]["id"]
        .as_str()
        .expect("liveness media id")
        .to_owned();
    assert!(out.stdout.contains(&media_id));

    // media get: streamed to a file
    let file = scratch("liveness.jpg");
    let out = run(idv(&emulator)
        .args(["media", "get", &session_id, &media_id, "-o"])
        .arg(&file));
    success(&out);
    let bytes = std::fs::read(&file).expect("written");
    assert!(bytes.starts_with(&[0xFF, 0xD8]), "a JPEG");
    assert_eq!(
        out.stdout.trim(),
        format!(
            "wrote {} bytes (image/jpeg) to {}",
            bytes.len(),
            file.display()
        )
    );

    // and to standard output
    let out = idv(&emulator)
        .args(["media", "get", &session_id, &media_id, "-o", "-"])
        .output()
        .expect("runs");
    assert!(out.status.success());
    assert_eq!(out.stdout, bytes);

    // unknown media: 404, nothing written
    let missing = scratch("missing.jpg");
    let out = run(idv(&emulator)
        .args(["media", "get", &session_id, "no-such-media", "-o"])
        .arg(&missing));
    assert_error(
        &out,
        1,
        &[
            "get media",
            "404",
            "MEDIA_NOT_FOUND",
            "hint: check the media id",
        ],
    );
    assert!(!missing.exists());

    // delete, then it is gone
    let out = run(idv(&emulator).args(["session", "delete", &session_id]));
    success(&out);
    assert_eq!(out.stdout.trim(), format!("deleted session {session_id}"));
    let out = run(idv(&emulator).args(["session", "get", &session_id]));
    assert_error(
        &out,
        1,
        &["404", "SESSION_NOT_FOUND", "hint: check the session id"],
    );
}

#[test]
fn create_sends_the_specification_as_given_or_says_why_not() {
    let emulator = emulator();

    // from standard input, with --show-token: token and hosted page
    let spec = std::fs::read(data("selfie-spec.json")).expect("spec");
    let out = run(idv(&emulator)
        .args(["session", "create", "--show-token", "--spec", "-"])
        .write_stdin(spec));
    success(&out);
    assert!(out.stdout.contains("client session token: "));
    assert!(out.stdout.contains("hosted page: http://127.0.0.1:"));

    let out = run(idv(&emulator).args(["session", "create", "--spec", "/no/such/spec.json"]));
    assert_error(&out, 2, &["cannot read /no/such/spec.json"]);

    let out = run(idv(&emulator)
        .args(["session", "create", "--spec", "-"])
        .write_stdin("{not json"));
    assert_error(&out, 2, &["not valid JSON", "line 1"]);

    let out = run(idv(&emulator)
        .args(["session", "create", "--spec", "-"])
        .write_stdin("[1, 2]"));
    assert_error(&out, 2, &["JSON object"]);

    // the API's validation error, with the property
    let out = run(idv(&emulator)
        .args(["session", "create", "--spec", "-"])
        .write_stdin(r#"{"requested_checks":[{"type":"NO_SUCH_CHECK"}]}"#));
    assert_error(
        &out,
        1,
        &[
            "create session",
            "400",
            "PAYLOAD_VALIDATION",
            "requested_checks[0].type",
        ],
    );
}

// --- error paths -----------------------------------------------------------------------------

#[test]
fn unknown_session_is_a_404_with_a_hint() {
    let emulator = emulator();
    let out = run(idv(&emulator).args(["session", "get", "0c7d5a2e-0000-4000-8000-000000000000"]));
    assert_error(
        &out,
        1,
        &[
            "error: get session: the API answered 404 Not Found: SESSION_NOT_FOUND",
            "hint: check the session id",
        ],
    );
    let out = run(idv(&emulator).args(["session", "delete", "nope"]));
    assert_error(&out, 1, &["delete session", "404"]);
    // an id that cannot be a path segment is refused before anything is sent
    let out = run(idv(&emulator).args(["session", "get", ".."]));
    assert_error(&out, 2, &["session_id"]);
}

#[test]
fn wrong_key_or_sdk_id_is_explained() {
    let emulator = emulator();
    let out = run(idv(&emulator)
        .arg("--key")
        .arg(data("other-key.pem"))
        .args(["session", "get", "x"]));
    assert_error(&out, 1, &["401", "hint: check the SDK id", "key pair"]);

    let out = run(idv(&emulator).args(["--sdk-id", "someone-else", "session", "get", "x"]));
    assert_error(&out, 1, &["404", "APPLICATION_NOT_FOUND", "--sdk-id"]);
}

#[test]
fn server_down_is_a_transport_error() {
    // a port nobody listens on
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("free port")
        .port();
    let url = format!("http://127.0.0.1:{port}/idverify/v1");
    let started = Instant::now();
    let out = run(bare_idv()
        .args(["--sdk-id", SDK_ID, "--api-url", &url, "--key"])
        .arg(data("test-key.pem"))
        .args(["session", "get", "x"]));
    assert_error(
        &out,
        3,
        &[
            "cannot connect to",
            &url,
            "hint: check --api-url",
            "server is running",
        ],
    );
    assert!(started.elapsed() < Duration::from_secs(30));
}

#[test]
fn missing_credentials_are_usage_errors() {
    let out = run(bare_idv().args(["session", "get", "x"]));
    assert_error(&out, 2, &["no SDK id", "--sdk-id", "YOTI_CLIENT_SDK_ID"]);

    let out = run(bare_idv()
        .env("YOTI_CLIENT_SDK_ID", SDK_ID)
        .args(["session", "get", "x"]));
    assert_error(&out, 2, &["no private key", "--key", "YOTI_KEY_FILE_PATH"]);

    let out = run(bare_idv()
        .args([
            "--sdk-id",
            SDK_ID,
            "--api-url",
            "http://example.com/idverify/v1",
            "--key",
        ])
        .arg(data("test-key.pem"))
        .args(["session", "get", "x"]));
    assert_error(&out, 2, &["--api-url", "https"]);
}

#[test]
fn bad_keys_are_named_precisely() {
    let emulator = emulator();
    let garbage = scratch("garbage.pem");
    std::fs::write(&garbage, "this is not a key\n").expect("write");

    let cases: [(PathBuf, &str); 4] = [
        (garbage, "no PEM block"),
        (data("encrypted-pkcs8.pem"), "encrypted with a passphrase"),
        (data("encrypted-pkcs1.pem"), "encrypted with a passphrase"),
        (data("ec-key.pem"), "not an RSA key"),
    ];
    for (path, reason) in &cases {
        let out = run(idv(&emulator)
            .arg("--key")
            .arg(path)
            .args(["session", "get", "x"]));
        assert_error(&out, 2, &["is not usable", reason]);
        let out = run(bare_idv().args(["key", "check"]).arg(path));
        assert_error(&out, 2, &["is not a usable key", reason]);
    }

    let out = run(idv(&emulator).args(["--key", "/no/such/key.pem", "session", "get", "x"]));
    assert_error(&out, 2, &["key file not found: /no/such/key.pem", "--key"]);
    let out = run(bare_idv().args(["key", "check", "/no/such/key.pem"]));
    assert_error(&out, 2, &["key file not found"]);
}

// --- key check -------------------------------------------------------------------------------

#[test]
fn key_check_prints_type_size_and_fingerprint_only() {
    let fingerprint = key().public_key().fingerprint_sha256_hex();
    for (file, format) in [
        ("test-key.pem", "PKCS#1 (BEGIN RSA PRIVATE KEY)"),
        ("test-key.pkcs8.pem", "PKCS#8 (BEGIN PRIVATE KEY)"),
        ("test-key.pub.pem", "SPKI (BEGIN PUBLIC KEY)"),
    ] {
        let out = run(bare_idv().args(["key", "check"]).arg(data(file)));
        success(&out);
        assert!(
            out.stdout.contains(&format!("format: {format}")),
            "{}",
            out.stdout
        );
        assert!(out.stdout.contains("size: 2048 bits"));
        assert!(
            out.stdout
                .contains(&format!("public key SHA-256 fingerprint: {fingerprint}")),
            "{}",
            out.stdout
        );
        assert_eq!(out.stdout.lines().count(), 4, "{}", out.stdout);
    }
}

// --- supported documents ---------------------------------------------------------------------

#[test]
fn supported_documents_needs_no_sdk_id() {
    let emulator = emulator();
    let out = run(idv(&emulator)
        .env_remove("YOTI_CLIENT_SDK_ID")
        .arg("supported-documents"));
    success(&out);
    assert!(out.stdout.contains("PASSPORT"), "{}", out.stdout);
    let latin_countries = out.stdout.lines().count();

    let out = run(idv(&emulator).args(["supported-documents", "--include-non-latin", "--json"]));
    success(&out);
    let answer: Value = serde_json::from_str(&out.stdout).expect("JSON");
    let countries = answer["supported_countries"].as_array().expect("countries");
    assert!(!countries.is_empty());
    assert!(out.stdout.contains("\"is_strictly_latin\": false"));
    assert!(countries.len() + 1 >= latin_countries);
}

// --- emulator --------------------------------------------------------------------------------

/// Kills the child if a test fails before it exits.
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        if let Ok(None) = self.0.try_wait() {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }
}

#[test]
fn emulator_serves_until_end_of_input_when_asked() {
    let mut child = Running(
        std::process::Command::new(env!("CARGO_BIN_EXE_idv"))
            .env_remove("YOTI_CLIENT_SDK_ID")
            .env_remove("YOTI_KEY_FILE_PATH")
            .env_remove("YOTI_IDV_API_URL")
            .arg("emulator")
            .arg("--port=0")
            .arg("--exit-on-stdin-eof")
            .arg(format!(
                "--app={SDK_ID}={}",
                data("test-key.pub.pem").display()
            ))
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("starts"),
    );
    let stdout = child.0.stdout.take().expect("stdout");
    let mut lines = BufReader::new(stdout).lines();
    let mut url = None;
    for line in lines.by_ref() {
        let line = line.expect("line");
        if let Some(u) = line.strip_prefix("export YOTI_IDV_API_URL=") {
            url = Some(u.to_owned());
            break;
        }
    }
    // keep reading what it prints, so that it never writes into a closed pipe
    let drain = std::thread::spawn(move || lines.count());
    let url = url.expect("the emulator prints its URL");
    assert!(url.starts_with("http://127.0.0.1:"));

    // the application is registered: an unknown session, not an unknown application
    let out = run(bare_idv()
        .args(["--sdk-id", SDK_ID, "--api-url", &url, "--key"])
        .arg(data("test-key.pem"))
        .args(["session", "get", "nope"]));
    assert_error(&out, 1, &["SESSION_NOT_FOUND"]);

    // end of input stops it
    drop(child.0.stdin.take());
    let deadline = Instant::now() + Duration::from_secs(10);
    let status = loop {
        if let Some(status) = child.0.try_wait().expect("waits") {
            break status;
        }
        assert!(Instant::now() < deadline, "the emulator did not stop");
        std::thread::sleep(Duration::from_millis(20));
    };
    assert!(status.success(), "{status:?}");
    drain.join().expect("drained");
}

/// `idv emulator` does not read standard input unless asked (#17 item 3): it serves with
/// stdin closed, /dev/null, or a pipe nobody writes, and keeps running.
#[test]
fn emulator_serves_whatever_its_stdin() {
    let app = format!("--app={SDK_ID}={}", data("test-key.pub.pem").display());
    let idv = env!("CARGO_BIN_EXE_idv");
    for (label, closed, stdin) in [
        ("closed", true, Stdio::null()),
        ("/dev/null", false, Stdio::null()),
        ("a pipe never written", false, Stdio::piped()),
    ] {
        let mut command = if closed {
            let mut sh = std::process::Command::new("/bin/sh");
            sh.args(["-c", r#"exec "$@" <&-"#, "sh", idv]);
            sh
        } else {
            std::process::Command::new(idv)
        };
        let mut child = Running(
            command
                .env_remove("YOTI_CLIENT_SDK_ID")
                .env_remove("YOTI_KEY_FILE_PATH")
                .env_remove("YOTI_IDV_API_URL")
                .args(["emulator", "--port=0", &app])
                .stdin(stdin)
                .stdout(Stdio::piped())
                .stderr(Stdio::null())
                .spawn()
                .expect("starts"),
        );
        let stdout = child.0.stdout.take().expect("stdout");
        let mut lines = BufReader::new(stdout).lines();
        let url = lines
            .by_ref()
            .map_while(Result::ok)
            .find_map(|l| {
                l.strip_prefix("export YOTI_IDV_API_URL=")
                    .map(str::to_owned)
            })
            .unwrap_or_else(|| panic!("stdin {label}: no URL printed"));
        let drain = std::thread::spawn(move || lines.count());
        std::thread::sleep(Duration::from_millis(500));
        assert!(
            matches!(child.0.try_wait(), Ok(None)),
            "stdin {label}: the emulator stopped"
        );
        let out = run(bare_idv()
            .args(["--sdk-id", SDK_ID, "--api-url", &url, "--key"])
            .arg(data("test-key.pem"))
            .args(["session", "get", "nope"]));
        assert_error(&out, 1, &["SESSION_NOT_FOUND"]);
        assert!(matches!(child.0.try_wait(), Ok(None)), "stdin {label}");
        drop(child);
        let _ = drain.join();
    }
}

#[test]
fn emulator_rejects_bad_apps() {
    let out = run(bare_idv().args(["emulator", "--app", "no-equals-sign"]));
    assert_error(&out, 2, &["--app", "SDK_ID=PUBLIC_KEY.pem"]);
    let out = run(bare_idv()
        .args(["emulator", "--app"])
        .arg(format!("x={}", data("encrypted-pkcs8.pem").display())));
    assert_error(&out, 2, &["--app x", "private key"]);
}

// --- the seed flow by hand -------------------------------------------------------------------

/// The session id from `session create`'s summary.
fn created_session_id(out: &Output) -> String {
    out.stdout
        .lines()
        .find_map(|l| l.strip_prefix("session created: "))
        .unwrap_or_else(|| panic!("no session id in {}", out.stdout))
        .to_owned()
}

/// `session create --selfie`, the token written to a file: `(session id, token file)`.
fn create_selfie_session(emulator: &Emulator) -> (String, PathBuf) {
    let token_file = scratch("token");
    let out = run(idv(emulator)
        .args([
            "session",
            "create",
            "--selfie",
            "--success-url",
            "https://localhost:8443/idv/success",
            "--error-url",
            "https://localhost:8443/idv/error",
            "--user-tracking-id",
            "cli-user-1",
            "--token-ttl",
            "900",
            "--token-out",
        ])
        .arg(&token_file));
    success(&out);
    (created_session_id(&out), token_file)
}

#[test]
fn the_seed_flow_runs_by_hand() {
    let emulator = emulator();
    let (session_id, token_file) = create_selfie_session(&emulator);
    let token = std::fs::read_to_string(&token_file).expect("token written");
    let token = token.trim();
    assert!(!token.is_empty());
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&token_file)
            .expect("meta")
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600, "the token file is the owner's only");
    }

    // the template's session, as the emulator stored it
    let out = run(idv(&emulator).args(["session", "get", &session_id, "--json"]));
    success(&out);
    let session: Value = serde_json::from_str(&out.stdout).expect("JSON");
    assert_eq!(session["user_tracking_id"], "cli-user-1");
    assert_eq!(session["client_session_token_ttl"], 900);

    // nothing done yet: pending, exit code 6, never FAIL
    let out = run(idv(&emulator).args(["session", "verdict", &session_id, "--json"]));
    assert_eq!(out.code, Some(6), "{} {}", out.stdout, out.stderr);
    let answer: Value = serde_json::from_str(&out.stdout).expect("JSON");
    assert_eq!(answer["verdict"], "PENDING");
    assert_eq!(answer["reasons"][0], "the session is ONGOING");
    let out = run(idv(&emulator).args(["session", "verdict", &session_id]));
    assert_eq!(out.code, Some(6), "{} {}", out.stdout, out.stderr);
    assert!(
        out.stdout
            .starts_with("verdict: PENDING: the session is ONGOING"),
        "{}",
        out.stdout
    );

    // the reference photo
    let out = run(idv(&emulator)
        .args(["session", "upload-reference", &session_id])
        .arg(data("reference-face.jpg")));
    success(&out);
    assert!(
        out.stdout.contains("(")
            && out
                .stdout
                .contains("bytes, image/jpeg) to face-capture resource "),
        "{}",
        out.stdout
    );

    // the hosted page URL, the token from the file, from standard input or the environment
    let expected = format!(
        "{}/web/index.html?sessionID={session_id}&sessionToken={token}",
        emulator.sandbox_base_url()
    );
    let out = run(idv(&emulator)
        .args(["session", "url", &session_id, "--token-file"])
        .arg(&token_file));
    success(&out);
    assert_eq!(out.stdout.trim(), expected);
    let out = run(idv(&emulator)
        .args(["session", "url", &session_id, "--token-file", "-"])
        .write_stdin(format!("{token}\n")));
    success(&out);
    assert_eq!(out.stdout.trim(), expected);
    // no SDK id or key needed for a URL
    let out = run(idv(&emulator)
        .env_remove("YOTI_CLIENT_SDK_ID")
        .env_remove("YOTI_KEY_FILE_PATH")
        .env("YOTI_CLIENT_SESSION_TOKEN", token)
        .args(["session", "url", &session_id]));
    success(&out);
    assert_eq!(out.stdout.trim(), expected);

    // the sandbox agent plays the user
    let out = run(idv(&emulator)
        .args(["sandbox", "complete", &session_id, "--token-file"])
        .arg(&token_file));
    success(&out);
    assert!(!out.stdout.contains(token));

    // the verdict: PASS with both checks, exit code 0
    let out = run(idv(&emulator).args(["session", "verdict", &session_id]));
    success(&out);
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert_eq!(lines[0], "verdict: PASS", "{}", out.stdout);
    assert_eq!(lines[1], format!("session {session_id}: state COMPLETED"));
    for check in ["LIVENESS", "FACE_COMPARISON"] {
        assert!(
            lines.iter().any(|l| l.trim_start().starts_with(check)
                && l.contains("state DONE, recommendation APPROVE")),
            "{check}: {}",
            out.stdout
        );
    }
    assert!(!out.stdout.contains(token));

    // and as JSON, for scripts
    let out = run(idv(&emulator).args(["session", "verdict", &session_id, "--json"]));
    success(&out);
    let answer: Value = serde_json::from_str(&out.stdout).expect("JSON");
    assert_eq!(answer["verdict"], "PASS");
    assert_eq!(answer["reasons"], serde_json::json!([]));
    assert_eq!(answer["session_id"], session_id.as_str());
    assert_eq!(answer["state"], "COMPLETED");
    let checks = answer["checks"].as_array().expect("checks");
    assert_eq!(checks.len(), 2, "{answer}");
    assert!(checks.iter().all(|c| c["recommendation"] == "APPROVE"));
}

#[test]
fn the_verdict_fails_when_a_check_rejects() {
    let emulator = emulator();
    let (session_id, token_file) = create_selfie_session(&emulator);
    let out = run(idv(&emulator)
        .args(["session", "upload-reference", &session_id])
        .arg(data("reference-face.jpg")));
    success(&out);
    let out = run(idv(&emulator)
        .args([
            "sandbox",
            "complete",
            &session_id,
            "--face-comparison",
            "reject:DIFFERENT_PERSON",
            "--token-file",
        ])
        .arg(&token_file));
    success(&out);

    let out = run(idv(&emulator).args(["session", "verdict", &session_id]));
    assert_eq!(out.code, Some(5), "{} {}", out.stdout, out.stderr);
    assert!(
        out.stdout
            .starts_with("verdict: FAIL: FACE_COMPARISON is not APPROVE"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout
            .contains("state DONE, recommendation REJECT (DIFFERENT_PERSON)"),
        "{}",
        out.stdout
    );
}

#[test]
fn the_seed_commands_refuse_bad_input() {
    let emulator = emulator();
    let (session_id, _) = create_selfie_session(&emulator);

    // no token source: a usage error naming both
    let out = run(idv(&emulator)
        .env_remove("YOTI_CLIENT_SESSION_TOKEN")
        .args(["session", "url", &session_id]));
    assert_error(&out, 2, &["--token-file", "YOTI_CLIENT_SESSION_TOKEN"]);
    let out = run(idv(&emulator)
        .args(["sandbox", "complete", &session_id, "--token-file", "-"])
        .write_stdin("two words\n"));
    assert_error(&out, 2, &["not a client session token"]);
    // a token is never taken from the command line
    let out = run(idv(&emulator).args(["session", "url", &session_id, "--token", "x"]));
    assert_eq!(out.code, Some(2));

    // not an image
    let out = run(idv(&emulator)
        .args(["session", "upload-reference", &session_id])
        .arg(data("selfie-spec.json")));
    assert_error(&out, 2, &["not a JPEG or PNG image"]);
    // a session without a face comparison has nowhere to put it
    let out = run(idv(&emulator)
        .args(["session", "create", "--spec", "-"])
        .write_stdin(
            r#"{"requested_checks":[{"type":"LIVENESS","config":{"liveness_type":"STATIC"}}]}"#,
        ));
    success(&out);
    let other = created_session_id(&out);
    let out = run(idv(&emulator)
        .args(["session", "upload-reference", &other])
        .arg(data("reference-face.jpg")));
    assert_error(&out, 1, &["no FACE_CAPTURE requirement", "--selfie"]);

    // the template's options need --selfie; --spec and --selfie exclude each other
    let out =
        run(idv(&emulator).args(["session", "create", "--success-url", "https://a.example/"]));
    assert_eq!(out.code, Some(2));
    let out = run(idv(&emulator)
        .args(["session", "create", "--selfie", "--spec"])
        .arg(data("selfie-spec.json")));
    assert_eq!(out.code, Some(2));
    let out = run(idv(&emulator).args(["sandbox", "complete", &session_id, "--liveness", "maybe"]));
    assert_eq!(out.code, Some(2));
    assert!(out.stderr.contains("approve, reject"), "{}", out.stderr);
}

/// `--auth bearer`: every API call carries a bearer token from the token endpoint
/// (`--auth-url` or `YOTI_AUTH_URL`), none is signed; the settings are checked before any
/// request.
#[test]
fn bearer_auth_sends_tokens_instead_of_signatures() {
    let emulator = emulator();
    let before = emulator.auth_counts();
    let out = run(idv(&emulator)
        .env("YOTI_AUTH_URL", emulator.token_url())
        .args(["--auth", "bearer", "session", "create", "--selfie"]));
    success(&out);
    let session_id = created_session_id(&out);
    let out = run(idv(&emulator).args([
        "--auth",
        "bearer",
        "--auth-url",
        &emulator.token_url(),
        "session",
        "get",
        &session_id,
        "--json",
    ]));
    success(&out);
    let session: Value = serde_json::from_str(&out.stdout).expect("JSON");
    assert_eq!(session["session_id"], session_id.as_str());
    let out = run(idv(&emulator)
        .env("YOTI_AUTH_URL", emulator.token_url())
        .args(["--auth", "bearer", "supported-documents", "--json"]));
    success(&out);
    let counts = emulator.auth_counts();
    assert_eq!(counts.signed, before.signed, "{counts:?}");
    assert_eq!(counts.bearer - before.bearer, 3, "{counts:?}");
    assert_eq!(counts.tokens_issued - before.tokens_issued, 3, "{counts:?}");

    // signed stays the default
    let out = run(idv(&emulator).args(["session", "get", &session_id]));
    success(&out);
    assert_eq!(emulator.auth_counts().signed, before.signed + 1);

    // bad settings: usage errors, nothing sent
    let requests = emulator.auth_counts().token_requests;
    let out = run(idv(&emulator).args([
        "--auth",
        "bearer",
        "--auth-url",
        "ftp://127.0.0.1/token",
        "session",
        "get",
        &session_id,
    ]));
    assert_error(&out, 2, &["--auth-url"]);
    let out = run(idv(&emulator).args([
        "--auth",
        "bearer",
        "--auth-url",
        "http://auth.example.com/v1/oauth/token",
        "session",
        "get",
        &session_id,
    ]));
    assert_error(&out, 2, &["--auth-url"]);
    let out = run(bare_idv()
        .args([
            "--auth",
            "bearer",
            "--api-url",
            &emulator.sandbox_base_url(),
        ])
        .arg("--key")
        .arg(data("test-key.pem"))
        .args(["supported-documents"]));
    assert_error(&out, 2, &["no SDK id"]);
    let out = run(idv(&emulator).args(["--auth", "token", "session", "get", &session_id]));
    assert_eq!(out.code, Some(2), "{}", out.stderr);
    assert_eq!(emulator.auth_counts().token_requests, requests);
}

// --- output hygiene --------------------------------------------------------------------------

/// A one-shot HTTP server on 127.0.0.1 that answers every request with `status` and the
/// JSON `body`: a crafted, hostile API.
fn crafted_server(status: u16, body: &'static str) -> String {
    use std::io::{Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("binds");
    let port = listener.local_addr().expect("addr").port();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
            let mut seen = Vec::new();
            let mut buf = [0u8; 4096];
            while !seen.windows(4).any(|w| w == b"\r\n\r\n") {
                match stream.read(&mut buf) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => seen.extend_from_slice(&buf[..n]),
                }
            }
            let _ = write!(
                stream,
                "HTTP/1.1 {status} X\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\
                 Connection: close\r\n\r\n{body}",
                body.len()
            );
        }
    });
    format!("http://127.0.0.1:{port}/idverify/v1")
}

/// No character a terminal acts on, except the CLI's own line feeds.
fn assert_inert(text: &str) {
    assert!(
        !text.chars().any(|c| (c.is_control() && c != '\n')
            || matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')),
        "raw control characters in {text:?}"
    );
}

#[test]
fn server_strings_are_neutralised() {
    // an API error whose code and message try to drive the terminal and fake a line
    let url = crafted_server(
        400,
        r#"{"code":"BAD\u001b[31m","message":"m\u001b]0;pwned\u0007\r\nerror: fake\u202etxt","errors":[{"property":"p\u009b2J","message":"x\u0000"}]}"#,
    );
    let out = run(bare_idv()
        .args(["--sdk-id", SDK_ID, "--api-url", &url, "--key"])
        .arg(data("test-key.pem"))
        .args(["session", "get", "s1"]));
    assert_error(&out, 1, &["400", "BAD\\u{1b}[31m", "\\u{1b}]0;pwned\\u{7}"]);
    assert_inert(&out.stderr);
    assert_eq!(out.stderr.lines().count(), 1);

    // a session whose values do the same, as a summary, a verdict and JSON
    let url = crafted_server(
        200,
        r#"{"session_id":"s1\u001b[2J","state":"COMPLETED\r\nstate: FAKE","user_tracking_id":"\u202eevil","checks":[{"type":"LIVENESS","id":"c\u001b[8m","state":"DONE","report":{"recommendation":{"value":"APPROVE\u009b","reason":"r\u0007"}}}]}"#,
    );
    for args in [
        &["session", "get", "s1"][..],
        &["session", "get", "s1", "--json"],
        &["session", "verdict", "s1"],
    ] {
        let out = run(bare_idv()
            .args(["--sdk-id", SDK_ID, "--api-url", &url, "--key"])
            .arg(data("test-key.pem"))
            .args(args));
        assert!(
            matches!(out.code, Some(0 | 5 | 6)),
            "{args:?}: {}",
            out.stderr
        );
        assert!(!out.stdout.is_empty(), "{args:?}");
        assert_inert(&out.stdout);
        assert_inert(&out.stderr);
        assert!(
            !out.stdout
                .lines()
                .any(|l| l.trim_start().starts_with("state: FAKE")),
            "{args:?}: a faked line\n{}",
            out.stdout
        );
    }
}

#[test]
fn a_closed_stdout_ends_quietly_with_an_error_code() {
    let emulator = emulator();
    // the answer comes late: the reader is gone before anything is written
    emulator.inject(idv_emulator::Fault::delay(Duration::from_millis(500)));
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_idv"))
        .env("YOTI_KEY_FILE_PATH", data("test-key.pem"))
        .env("YOTI_IDV_API_URL", emulator.base_url())
        .args(["supported-documents", "--include-non-latin"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("starts");
    drop(child.stdout.take()); // `| head -0`
    let out = child.wait_with_output().expect("ends");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(4), "stderr: {stderr}");
    assert!(stderr.is_empty(), "not quiet: {stderr}");
}
