//! The hosted capture page in a real browser: headless Chromium, driven through
//! chromedriver's W3C WebDriver HTTP API, completes a selfie-authentication session created
//! through `idv`; the test then reads the session through `idv` and expects APPROVE for
//! liveness and face comparison. It saves a screenshot of the page to
//! `target/hosted-page.png`.
//!
//! Needs Debian's `chromium` and `chromium-driver`. Without them the test is skipped with a
//! message, unless `CI` is set: then it fails.

// Test helpers: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used)]

mod common;

use std::io::{Read, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use common::{REFERENCE_JPEG, SDK_ID, TEST_KEY};
use idv::model::{
    CreateFaceCaptureResourcePayload, RequestedFaceComparisonCheck, RequestedLivenessCheck,
    SdkConfig, SessionSpecification, SessionState, UploadFaceCaptureImagePayload,
};
use idv::{BlockingClient, ClientConfig, PrivateKey, SelfieAuthVerdict};
use serde_json::{Value, json};

/// The W3C element reference key.
const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

fn find_program(names: &[&str]) -> Option<PathBuf> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    names.iter().find_map(|name| {
        std::env::split_paths(&path)
            .chain([
                PathBuf::from("/usr/bin"),
                PathBuf::from("/usr/lib/chromium"),
            ])
            .map(|dir| dir.join(name))
            .find(|p| p.is_file())
    })
}

/// Kills chromedriver (the process this test started) when the test ends, even on panic.
struct Driver {
    child: Child,
    url: String,
    agent: ureq::Agent,
    session: Option<String>,
}

impl Drop for Driver {
    fn drop(&mut self) {
        if let Some(session) = self.session.take() {
            let _ = self
                .agent
                .delete(&format!("{}/session/{session}", self.url))
                .call();
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Driver {
    fn start(chromedriver: &Path) -> Self {
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let child = Command::new(chromedriver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(Duration::from_secs(60)))
            .build()
            .into();
        let driver = Self {
            child,
            url: format!("http://127.0.0.1:{port}"),
            agent,
            session: None,
        };
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if let Ok(mut resp) = driver.agent.get(&format!("{}/status", driver.url)).call() {
                let status: Value = read_json(&mut resp);
                if status["value"]["ready"] == true {
                    break;
                }
            }
            assert!(Instant::now() < deadline, "chromedriver did not start");
            std::thread::sleep(Duration::from_millis(100));
        }
        driver
    }

    fn call(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        let url = format!("{}{path}", self.url);
        let mut resp = match (method, body) {
            ("GET", _) => self.agent.get(&url).call(),
            ("DELETE", _) => self.agent.delete(&url).call(),
            (_, body) => self
                .agent
                .post(&url)
                .header("Content-Type", "application/json")
                .send(serde_json::to_vec(&body.unwrap_or_else(|| json!({}))).unwrap()),
        }
        .unwrap();
        let status = resp.status().as_u16();
        let value: Value = read_json(&mut resp);
        assert!(status < 300, "WebDriver {method} {path}: {status} {value}");
        value["value"].clone()
    }

    fn open_session(&mut self, chromium: &Path, profile: &Path) {
        let args = [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-dev-shm-usage",
            "--window-size=900,1100",
        ]
        .iter()
        .map(|s| (*s).to_owned())
        .chain([format!("--user-data-dir={}", profile.display())])
        .collect::<Vec<_>>();
        let value = self.call(
            "POST",
            "/session",
            Some(json!({"capabilities": {"alwaysMatch": {
                "browserName": "chrome",
                "goog:chromeOptions": {"binary": chromium.to_string_lossy(), "args": args}
            }}})),
        );
        self.session = Some(value["sessionId"].as_str().unwrap().to_owned());
    }

    fn s(&self, path: &str) -> String {
        format!("/session/{}{path}", self.session.as_deref().unwrap())
    }

    fn navigate(&self, url: &str) {
        self.call("POST", &self.s("/url"), Some(json!({"url": url})));
    }

    fn current_url(&self) -> String {
        self.call("GET", &self.s("/url"), None)
            .as_str()
            .unwrap_or("")
            .to_owned()
    }

    /// Waits for an element (the page renders its steps after fetching its configuration).
    fn find(&self, css: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let url = format!("{}{}", self.url, self.s("/element"));
            let mut resp = self
                .agent
                .post(&url)
                .header("Content-Type", "application/json")
                .send(json!({"using": "css selector", "value": css}).to_string())
                .unwrap();
            let ok = resp.status().is_success();
            let value: Value = read_json(&mut resp);
            if ok {
                return value["value"][ELEMENT]
                    .as_str()
                    .unwrap_or_else(|| panic!("{css}: {value}"))
                    .to_owned();
            }
            assert!(Instant::now() < deadline, "no element {css}: {value}");
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    fn click(&self, element: &str) {
        self.call("POST", &self.s(&format!("/element/{element}/click")), None);
    }

    fn send_keys(&self, element: &str, text: &str) {
        self.call(
            "POST",
            &self.s(&format!("/element/{element}/value")),
            Some(json!({"text": text})),
        );
    }

    fn screenshot(&self, to: &Path) {
        let b64 = self.call("GET", &self.s("/screenshot"), None);
        std::fs::write(to, STANDARD.decode(b64.as_str().unwrap()).unwrap()).unwrap();
    }
}

fn read_json(resp: &mut ureq::http::Response<ureq::Body>) -> Value {
    let bytes = resp
        .body_mut()
        .with_config()
        .limit(64 * 1024 * 1024)
        .read_to_vec()
        .unwrap();
    serde_json::from_slice(&bytes).unwrap_or(Value::Null)
}

/// A page to land on after the redirect: answers 200 to anything, once per connection.
fn landing_page() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/idv/success", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let mut stream = stream;
            let mut buf = [0u8; 4096];
            let _ = stream.read(&mut buf);
            let body = "<!doctype html><title>Done</title><h1>Verification submitted</h1>";
            let _ = stream.write_all(
                format!("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}", body.len())
                    .as_bytes(),
            );
        }
    });
    url
}

/// The workspace's target directory, as an absolute path without `..` (Chromium does not
/// find its profile through a path with `..`).
fn target_dir() -> PathBuf {
    let dir = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target"));
    std::fs::create_dir_all(&dir).unwrap();
    dir.canonicalize().unwrap()
}

#[test]
fn hosted_page_completes_a_selfie_session_in_chromium() {
    // Debian's /usr/bin/chromium is a shell launcher; chromedriver wants the binary itself.
    let chromium = Some(PathBuf::from("/usr/lib/chromium/chromium"))
        .filter(|p| p.is_file())
        .or_else(|| find_program(&["chromium", "chromium-browser"]));
    let chromedriver = find_program(&["chromedriver"]);
    let (Some(chromium), Some(chromedriver)) = (chromium, chromedriver) else {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI is set but chromium or chromedriver is missing: install Debian's chromium and chromium-driver"
        );
        eprintln!(
            "SKIPPED hosted_page_completes_a_selfie_session_in_chromium: chromium and chromium-driver are not installed (apt-get install chromium chromium-driver)"
        );
        return;
    };

    // The session, through idv.
    let key = PrivateKey::from_pem(TEST_KEY).unwrap();
    let emulator = idv_emulator::Emulator::builder()
        .app(SDK_ID, key.public_key())
        .start()
        .unwrap();
    let client = BlockingClient::with_ureq(
        ClientConfig::new(SDK_ID, key)
            .unwrap()
            .with_base_url(&emulator.base_url())
            .unwrap(),
    );
    let success = landing_page();
    let created = client
        .create_session(
            &SessionSpecification::new()
                .with_client_session_token_ttl(600)
                .with_requested_check(RequestedLivenessCheck::static_liveness().with_max_retries(3))
                .with_requested_check(RequestedFaceComparisonCheck::new().with_manual_check_never())
                .with_sdk_config(
                    SdkConfig::new()
                        .with_success_url(success.clone())
                        .with_error_url(format!("{success}/../error")),
                ),
        )
        .unwrap();
    let sid = created.session_id.clone();
    let configuration = client.get_session_configuration(&sid).unwrap();
    let requirement = configuration.face_capture_requirements().next().unwrap();
    let resource = client
        .create_face_capture_resource(
            &sid,
            &CreateFaceCaptureResourcePayload::new(requirement.id.clone()),
        )
        .unwrap();
    client
        .upload_face_capture_image(
            &sid,
            &resource.id,
            &UploadFaceCaptureImagePayload::jpeg(REFERENCE_JPEG),
        )
        .unwrap();
    let page = client
        .hosted_page_url(&sid, &created.client_session_token)
        .unwrap();

    // The browser.
    let scratch = target_dir().join(format!("browser-test-{}", std::process::id()));
    std::fs::create_dir_all(&scratch).unwrap();
    let selfie = scratch.join("selfie.jpg");
    std::fs::write(&selfie, REFERENCE_JPEG).unwrap();
    let mut driver = Driver::start(&chromedriver);
    driver.open_session(&chromium, &scratch.join("profile"));
    driver.navigate(page.expose_secret());

    let consent = driver.find("#consent");
    driver.click(&consent);
    let input = driver.find("#selfie");
    driver.send_keys(&input, &selfie.canonicalize().unwrap().to_string_lossy());
    driver.find("img.preview[src^='blob:']");
    let shot = target_dir().join("hosted-page.png");
    driver.screenshot(&shot);
    let submit = driver.find("#submit");
    driver.click(&submit);

    let deadline = Instant::now() + Duration::from_secs(15);
    while !driver.current_url().starts_with(&success) {
        assert!(
            Instant::now() < deadline,
            "no redirect to the success URL; at {}",
            driver.current_url()
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    drop(driver);
    let _ = std::fs::remove_dir_all(&scratch);

    // The result, through idv.
    let session = client.get_session(&sid).unwrap();
    assert_eq!(session.state, Some(SessionState::Completed));
    let liveness: Vec<_> = session.liveness_checks().collect();
    let face: Vec<_> = session.face_comparison_checks().collect();
    assert_eq!((liveness.len(), face.len()), (1, 1));
    assert!(liveness[0].is_approved());
    assert!(face[0].is_approved());
    assert!(SelfieAuthVerdict::evaluate(&session).is_pass());
    // The selfie the browser uploaded is the liveness image.
    let media = client
        .get_media_content(&sid, &session_liveness_media(&client, &sid))
        .unwrap()
        .unwrap();
    assert_eq!(media.content, REFERENCE_JPEG);
    eprintln!("screenshot of the hosted page: {}", shot.display());
}

fn session_liveness_media(client: &BlockingClient, sid: &str) -> String {
    // Through the raw JSON shape, to stay independent of the model's resource types.
    let session = client.get_session(sid).unwrap();
    let checks: Vec<_> = session.liveness_checks().collect();
    checks[0].resources_used[0].clone()
}
