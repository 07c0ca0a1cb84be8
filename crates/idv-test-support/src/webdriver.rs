//! A minimal W3C WebDriver client over chromedriver, driving Debian's headless Chromium, for
//! the browser tests of the hosted page (idv-emulator) and of the web demo (examples).

// Test support: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used)]

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
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

/// `(chromium, chromedriver)`, or `None` when they are missing and `CI` is unset (the test
/// is then skipped with a message). With `CI` set, missing programs fail the test.
pub fn browser_programs(test: &str) -> Option<(PathBuf, PathBuf)> {
    // Debian's /usr/bin/chromium is a shell launcher; chromedriver wants the binary itself.
    let chromium = Some(PathBuf::from("/usr/lib/chromium/chromium"))
        .filter(|p| p.is_file())
        .or_else(|| find_program(&["chromium", "chromium-browser"]));
    let chromedriver = find_program(&["chromedriver"]);
    match (chromium, chromedriver) {
        (Some(chromium), Some(chromedriver)) => Some((chromium, chromedriver)),
        _ => {
            assert!(
                std::env::var_os("CI").is_none(),
                "CI is set but chromium or chromedriver is missing: install Debian's chromium and chromium-driver"
            );
            eprintln!(
                "SKIPPED {test}: chromium and chromium-driver are not installed (apt-get install chromium chromium-driver)"
            );
            None
        }
    }
}

/// The workspace's target directory, as an absolute path without `..` (Chromium does not
/// find its profile through a path with `..`).
pub fn target_dir() -> PathBuf {
    let dir = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target"));
    std::fs::create_dir_all(&dir).unwrap();
    dir.canonicalize().unwrap()
}

/// chromedriver and one browser session. Dropping it ends both, even on panic.
pub struct Driver {
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
    /// Starts chromedriver on a free port and opens a headless Chromium session.
    pub fn start(chromedriver: &Path, chromium: &Path, profile: &Path) -> Self {
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
        let mut driver = Self {
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
            std::thread::sleep(Duration::from_millis(50));
        }
        driver.open_session(chromium, profile);
        driver
    }

    /// One WebDriver command: `Ok(value)` or `Err(description)`.
    fn try_call(&self, method: &str, path: &str, body: Option<Value>) -> Result<Value, String> {
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
        .map_err(|e| format!("WebDriver {method} {path}: {e}"))?;
        let status = resp.status().as_u16();
        let value: Value = read_json(&mut resp);
        if status < 300 {
            Ok(value["value"].clone())
        } else {
            Err(format!("WebDriver {method} {path}: {status} {value}"))
        }
    }

    fn call(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        self.try_call(method, path, body)
            .unwrap_or_else(|e| panic!("{e}"))
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
            "--window-size=1000,1150",
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

    /// Opens `url` in the current browsing context.
    pub fn navigate(&self, url: &str) {
        self.call("POST", &self.s("/url"), Some(json!({"url": url})));
    }

    /// The top-level page's URL (empty while it cannot be read, e.g. mid-navigation).
    pub fn current_url(&self) -> String {
        self.try_call("GET", &self.s("/url"), None)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default()
    }

    /// Waits (up to 10 s) for an element of the current frame and returns its reference.
    pub fn find(&self, css: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            match self.try_call(
                "POST",
                &self.s("/element"),
                Some(json!({"using": "css selector", "value": css})),
            ) {
                Ok(value) => {
                    return value[ELEMENT]
                        .as_str()
                        .unwrap_or_else(|| panic!("{css}: {value}"))
                        .to_owned();
                }
                Err(e) => assert!(Instant::now() < deadline, "no element {css}: {e}"),
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Clicks an element (an id returned by `find`).
    pub fn click(&self, element: &str) {
        self.call("POST", &self.s(&format!("/element/{element}/click")), None);
    }

    /// Types `text` into an element (for a file input: the file's path).
    pub fn send_keys(&self, element: &str, text: &str) {
        self.call(
            "POST",
            &self.s(&format!("/element/{element}/value")),
            Some(json!({"text": text})),
        );
    }

    /// An element's property (`src` resolves to the absolute URL).
    pub fn property(&self, element: &str, name: &str) -> Value {
        self.call(
            "GET",
            &self.s(&format!("/element/{element}/property/{name}")),
            None,
        )
    }

    /// Makes an iframe element the current browsing context.
    pub fn switch_to_frame(&self, element: &str) {
        self.call(
            "POST",
            &self.s("/frame"),
            Some(json!({"id": {ELEMENT: element}})),
        );
    }

    /// Makes the top-level page the current browsing context again.
    pub fn switch_to_top(&self) {
        self.call("POST", &self.s("/frame"), Some(json!({"id": null})));
    }

    /// Runs a synchronous script in the current frame and returns its value.
    pub fn execute(&self, script: &str) -> Value {
        self.call(
            "POST",
            &self.s("/execute/sync"),
            Some(json!({"script": script, "args": []})),
        )
    }

    /// Saves a PNG screenshot of the page to `to`.
    pub fn screenshot(&self, to: &Path) {
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
