//! The web example end to end in headless Chromium: the app (with its embedded emulator) on a
//! free port; the browser opens `/`, starts a session, completes Yoti's hosted page inside
//! the iframe (consent, a selfie file), follows the redirect to the result page, and the test
//! checks that the page shows APPROVE for LIVENESS and FACE_COMPARISON, the PASS verdict, the
//! `session_completion` notification and the images, and never the client session token. It
//! saves a screenshot of the result page to `target/web-demo.png`.
//!
//! Needs Debian's `chromium` and `chromium-driver`, so it is `#[ignore]`d: a plain `cargo test`
//! lists it as ignored, and `.ci/run` runs it with `--ignored`. Run by hand without them, it
//! is skipped with a message, unless `CI` is set: then it fails.
//!
//! The other tests are plain HTTP (ureq, or a raw socket for a forged `Host`): the CSRF
//! token of `POST /start`, the `Host` check, the owner check of the result and media routes,
//! and the three verdicts (PASS, FAIL, PENDING) on the result page.

// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used)]

// The example itself, `main` and all: the test starts its app.
#[allow(dead_code)]
#[path = "../../web_demo.rs"]
mod app;

use std::time::{Duration, Instant};

use idv_test_support::webdriver::{Driver, browser_programs, target_dir};
use serde_json::Value;

/// What the result page shows, read in the browser.
const READ_RESULT: &str = r#"
const text = (el) => (el ? el.textContent.trim() : null);
return {
  verdict: text(document.getElementById("verdict")),
  checks: Array.from(document.querySelectorAll("tr.check"))
    .map((row) => [row.dataset.type, text(row.querySelector(".recommendation"))]),
  images: Array.from(document.querySelectorAll("img.media"))
    .map((img) => ({ complete: img.complete, width: img.naturalWidth })),
  notifications: Array.from(document.querySelectorAll("li.notification"))
    .map((li) => li.dataset.topic),
  html: document.documentElement.outerHTML,
};
"#;

#[test]
#[ignore = "needs chromium and chromedriver; .ci/run runs it with --ignored"]
fn web_demo_completes_a_selfie_session_in_chromium() {
    let test = "web_demo_completes_a_selfie_session_in_chromium";
    let Some((chromium, chromedriver)) = browser_programs(test) else {
        return;
    };

    // The app, with the embedded emulator, on a free port.
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let app = runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let target = app::emulator_target().unwrap();
        app::DemoApp::start(target, listener, None).await.unwrap()
    });
    let base = app.url().to_owned();

    let scratch = target_dir().join(format!("web-demo-test-{}", std::process::id()));
    std::fs::create_dir_all(&scratch).unwrap();
    let selfie = scratch.join("selfie.jpg");
    std::fs::copy(
        concat!(env!("CARGO_MANIFEST_DIR"), "/data/reference-face.jpg"),
        &selfie,
    )
    .unwrap();
    let driver = Driver::start(&chromedriver, &chromium, &scratch.join("profile"));

    // Start a session.
    driver.navigate(&format!("{base}/"));
    let start = driver.find("#start");
    driver.click(&start);
    let iframe = driver.find("iframe#idv");
    let src = driver.property(&iframe, "src");
    let src = src.as_str().unwrap();
    let token = src
        .split(['?', '&'])
        .find_map(|p| p.strip_prefix("sessionToken="))
        .unwrap()
        .to_owned();
    assert!(!token.is_empty());

    // Yoti's hosted page, inside the iframe.
    driver.switch_to_frame(&iframe);
    let consent = driver.find("#consent");
    driver.click(&consent);
    let input = driver.find("#selfie");
    driver.send_keys(&input, &selfie.canonicalize().unwrap().to_string_lossy());
    driver.find("img.preview[src^='blob:']");
    let submit = driver.find("#submit");
    driver.click(&submit);

    // The iframe goes to the success URL, which sends the whole window to the result.
    let deadline = Instant::now() + Duration::from_secs(15);
    while !driver
        .current_url()
        .starts_with(&format!("{base}/sessions/"))
    {
        assert!(
            Instant::now() < deadline,
            "no redirect to the result page; at {}",
            driver.current_url()
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    driver.switch_to_top();
    driver.find("#verdict");

    // Read the page once its images have loaded.
    let deadline = Instant::now() + Duration::from_secs(10);
    let page = loop {
        let page = driver.execute(READ_RESULT);
        let images = page["images"].as_array().unwrap();
        if !images.is_empty() && images.iter().all(|i| i["complete"] == true) {
            break page;
        }
        assert!(
            Instant::now() < deadline,
            "images did not load: {}",
            page["images"]
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    let shot = target_dir().join("web-demo.png");
    driver.screenshot(&shot);
    drop(driver);
    let _ = std::fs::remove_dir_all(&scratch);

    let checks: Vec<(String, String)> = serde_json::from_value(page["checks"].clone()).unwrap();
    for check_type in ["LIVENESS", "FACE_COMPARISON"] {
        assert!(
            checks
                .iter()
                .any(|(t, r)| t == check_type && r == "APPROVE"),
            "no APPROVE for {check_type}: {checks:?}"
        );
    }
    assert_eq!(page["verdict"], "PASS");
    // The selfie and the reference photo, each decoded by the browser.
    let images = page["images"].as_array().unwrap();
    assert_eq!(images.len(), 2, "{images:?}");
    assert!(
        images.iter().all(|i| i["width"].as_u64() > Some(0)),
        "an image did not render: {images:?}"
    );
    let topics: Vec<&str> = page["notifications"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert!(topics.contains(&"session_completion"), "{topics:?}");
    assert!(
        page["html"]
            .as_str()
            .unwrap()
            .contains("learnt from the <code>session_completion</code> notification"),
        "the result did not come from the notification"
    );
    assert!(
        !page["html"].as_str().unwrap().contains(&token),
        "the result page shows the client session token"
    );

    drop(app);
    drop(runtime);
    eprintln!("screenshot of the result page: {}", shot.display());
}

// --- plain HTTP tests ------------------------------------------------------------------------

use std::io::{Read, Write};

use idv::core::sandbox_config::ConfigureSessionResponse;
use idv::model::ClientSessionToken;
use idv::model::sandbox::{SandboxCheckReport, SandboxCheckReports, SandboxResponseConfig};
use idv::{BlockingClient, PrivateKey};

/// The app with its embedded emulator, on a free port, and the runtime serving it.
fn start_app() -> (tokio::runtime::Runtime, app::DemoApp) {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let app = runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let target = app::emulator_target().unwrap();
        app::DemoApp::start(target, listener, None).await.unwrap()
    });
    (runtime, app)
}

/// One browser: its cookie, kept between requests.
struct Browser {
    agent: ureq::Agent,
    base: String,
    cookie: Option<String>,
}

impl Browser {
    fn new(base: &str) -> Self {
        let agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .max_redirects(0)
            .build()
            .into();
        Self {
            agent,
            base: base.to_owned(),
            cookie: None,
        }
    }

    fn keep_cookie(&mut self, response: &ureq::http::Response<ureq::Body>) {
        if let Some(cookie) = response
            .headers()
            .get("set-cookie")
            .and_then(|v| v.to_str().ok())
        {
            self.cookie = Some(cookie.split(';').next().unwrap().to_owned());
        }
    }

    fn get(&mut self, path: &str) -> (u16, String, Vec<u8>) {
        let mut request = self.agent.get(format!("{}{path}", self.base));
        if let Some(cookie) = &self.cookie {
            request = request.header("Cookie", cookie);
        }
        let mut response = request.call().unwrap();
        self.keep_cookie(&response);
        let status = response.status().as_u16();
        let content_type = response
            .headers()
            .get("content-type")
            .map(|v| v.to_str().unwrap().to_owned())
            .unwrap_or_default();
        let body = response.body_mut().read_to_vec().unwrap();
        (status, content_type, body)
    }

    /// Opens the start page: the cookie, and the form's CSRF token.
    fn csrf(&mut self) -> String {
        let (status, _, body) = self.get("/");
        assert_eq!(status, 200);
        let page = String::from_utf8(body).unwrap();
        between(&page, r#"name="csrf" value=""#, "\"").to_owned()
    }

    fn post_start(&mut self, form: &str) -> (u16, String) {
        let mut request = self
            .agent
            .post(format!("{}/start", self.base))
            .header("Content-Type", "application/x-www-form-urlencoded");
        if let Some(cookie) = &self.cookie {
            request = request.header("Cookie", cookie);
        }
        let mut response = request.send(form).unwrap();
        let status = response.status().as_u16();
        (status, response.body_mut().read_to_string().unwrap())
    }

    /// Starts a session: `(session id, emulator base URL, client session token)`.
    fn start_session(&mut self) -> (String, String, ClientSessionToken) {
        let csrf = self.csrf();
        let (status, page) = self.post_start(&format!("csrf={csrf}"));
        assert_eq!(status, 200, "{page}");
        let session_id = between(&page, "Session <code>", "</code>").to_owned();
        let src = between(&page, r#"src=""#, "\"").replace("&amp;", "&");
        let (base, query) = src.split_once("/web/index.html?").unwrap();
        let token = query
            .split('&')
            .find_map(|p| p.strip_prefix("sessionToken="))
            .unwrap();
        (
            session_id,
            base.to_owned(),
            ClientSessionToken::new(token.to_owned()),
        )
    }
}

fn between<'a>(text: &'a str, start: &str, end: &str) -> &'a str {
    let from = text
        .find(start)
        .unwrap_or_else(|| panic!("{start:?} not in {text}"))
        + start.len();
    let len = text[from..].find(end).unwrap();
    &text[from..from + len]
}

/// The demo application's client on the emulator (to play the user through the sandbox).
fn demo_client(base_url: &str) -> BlockingClient {
    let key = PrivateKey::from_pem(app::common::DEMO_KEY_PEM).unwrap();
    BlockingClient::builder()
        .sdk_id(app::common::DEMO_SDK_ID)
        .key(key)
        .base_url(base_url)
        .build_blocking()
        .unwrap()
}

/// A raw HTTP/1.1 request with any `Host`: the status code.
fn raw_status(app_url: &str, request: &str) -> u16 {
    let addr = app_url.strip_prefix("http://").unwrap();
    let mut stream = std::net::TcpStream::connect(addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    stream.write_all(request.as_bytes()).unwrap();
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer);
    let answer = String::from_utf8_lossy(&answer);
    answer
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no status in {answer:?}"))
}

#[test]
fn starting_a_session_needs_this_browser_s_csrf_token() {
    let (_runtime, app) = start_app();
    let mut alice = Browser::new(app.url());
    let mut bob = Browser::new(app.url());
    let csrf = alice.csrf();
    let bobs_csrf = bob.csrf();
    assert_eq!(csrf.len(), 64);
    assert_ne!(csrf, bobs_csrf, "a token per browser");
    let alices_cookie = alice.cookie.clone().unwrap();
    assert!(alices_cookie.starts_with("idv_demo_browser="));

    // no cookie, the right token: refused
    let mut stranger = Browser::new(app.url());
    assert_eq!(stranger.post_start(&format!("csrf={csrf}")).0, 403);
    // the cookie, no token / an empty one / a wrong one / another browser's: refused
    assert_eq!(alice.post_start("").0, 403);
    assert_eq!(alice.post_start("csrf=").0, 403);
    assert_eq!(alice.post_start(&format!("csrf={}", "0".repeat(64))).0, 403);
    assert_eq!(alice.post_start(&format!("csrf={bobs_csrf}")).0, 403);
    // a forged cookie (an id this process did not sign), with a token it cannot know
    let mut forger = Browser::new(app.url());
    forger.cookie = Some(format!("idv_demo_browser=abcd.{}", "0".repeat(64)));
    assert_eq!(forger.post_start(&format!("csrf={csrf}")).0, 403);
    // the cookie and its token: a session
    let (status, page) = alice.post_start(&format!("csrf={csrf}"));
    assert_eq!(status, 200, "{page}");
    assert!(page.contains(r#"<iframe id="idv""#));
}

#[test]
fn a_foreign_host_is_refused() {
    let (_runtime, app) = start_app();
    let url = app.url().to_owned();
    let own = url.strip_prefix("http://").unwrap();
    let port = own.rsplit(':').next().unwrap();
    let mut alice = Browser::new(&url);
    let csrf = alice.csrf();
    let cookie = alice.cookie.clone().unwrap();

    let get = |host: &str| format!("GET / HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n");
    assert_eq!(raw_status(&url, &get(own)), 200);
    assert_eq!(raw_status(&url, &get(&format!("localhost:{port}"))), 200);
    // DNS rebinding: a name the attacker controls, pointing at 127.0.0.1
    assert_eq!(raw_status(&url, &get(&format!("evil.example:{port}"))), 421);
    assert_eq!(raw_status(&url, &get("evil.example")), 421);
    // even with a valid cookie and token, a billable POST under a foreign Host
    let body = format!("csrf={csrf}");
    let post = format!(
        "POST /start HTTP/1.1\r\nHost: evil.example:{port}\r\nCookie: {cookie}\r\n\
         Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\
         Connection: close\r\n\r\n{body}",
        body.len()
    );
    assert_eq!(raw_status(&url, &post), 421);
}

#[test]
fn only_the_browser_that_started_a_session_sees_its_result_and_media() {
    let (_runtime, app) = start_app();
    let mut alice = Browser::new(app.url());
    let (session_id, base, token) = alice.start_session();
    let client = demo_client(&base);
    client
        .sandbox_complete_session(&session_id.as_str().into(), &token)
        .unwrap();

    let result = format!("/sessions/{session_id}");
    let (status, _, page) = alice.get(&result);
    let page = String::from_utf8(page).unwrap();
    assert_eq!(status, 200, "{page}");
    assert!(page.contains(r#"<p id="verdict">PASS</p>"#), "{page}");
    let media_path = format!("/sessions/{session_id}/media/");
    let media_id = between(&page, &media_path, "\"");
    let media = format!("{media_path}{media_id}");
    let (status, content_type, bytes) = alice.get(&media);
    assert_eq!(status, 200);
    assert_eq!(content_type, "image/jpeg");
    assert!(bytes.starts_with(&[0xFF, 0xD8]));

    // another browser (with a valid cookie of its own), and a browser with none
    let mut bob = Browser::new(app.url());
    bob.csrf();
    assert!(bob.cookie.is_some());
    let mut nobody = Browser::new(app.url());
    for browser in [&mut bob, &mut nobody] {
        let (status, _, page) = browser.get(&result);
        let page = String::from_utf8(page).unwrap();
        assert_eq!(status, 403, "{page}");
        assert!(!page.contains(r#"id="verdict""#), "{page}");
        let (status, _, bytes) = browser.get(&media);
        assert_eq!(status, 403);
        assert!(!bytes.starts_with(&[0xFF, 0xD8]));
    }
    // Alice's session id under Bob's cookie, with Alice's id but a forged signature
    let alice_id = alice
        .cookie
        .as_deref()
        .unwrap()
        .split(['=', '.'])
        .nth(1)
        .unwrap()
        .to_owned();
    bob.cookie = Some(format!("idv_demo_browser={alice_id}.{}", "0".repeat(64)));
    assert_eq!(bob.get(&result).0, 403);
}

#[test]
fn the_result_page_shows_pass_fail_and_pending() {
    let (_runtime, app) = start_app();
    let mut alice = Browser::new(app.url());
    let verdict = |browser: &mut Browser, session_id: &str| {
        let (status, _, page) = browser.get(&format!("/sessions/{session_id}"));
        assert_eq!(status, 200);
        let page = String::from_utf8(page).unwrap();
        between(&page, r#"<p id="verdict">"#, "</p>").to_owned()
    };

    // FAIL: the face comparison rejects
    let (failing, base, token) = alice.start_session();
    // The demo's sessions live on the sandbox base, where the response configuration and
    // the agent act.
    let client = demo_client(&base);
    let sandbox = demo_client(&base);
    let config = SandboxResponseConfig::new().with_check_reports(
        SandboxCheckReports::new()
            .with_static_liveness(SandboxCheckReport::approve())
            .with_face_comparison(SandboxCheckReport::reject("DIFFERENT_PERSON")),
    );
    sandbox
        .execute(ConfigureSessionResponse {
            session_id: &failing.as_str().into(),
            config: &config,
        })
        .unwrap();
    client
        .sandbox_complete_session(&failing.as_str().into(), &token)
        .unwrap();
    assert_eq!(verdict(&mut alice, &failing), "FAIL");

    // PASS
    let (passing, _, token) = alice.start_session();
    client
        .sandbox_complete_session(&passing.as_str().into(), &token)
        .unwrap();
    assert_eq!(verdict(&mut alice, &passing), "PASS");

    // PENDING: the user has not done their part (the page waits a few seconds first)
    let (ongoing, _, _) = alice.start_session();
    assert_eq!(verdict(&mut alice, &ongoing), "PENDING");
}

#[test]
fn idle_and_slow_connections_are_closed_and_capped() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let limits = app::ServerLimits {
        max_connections: 2,
        idle_timeout: Duration::from_secs(1),
    };
    let app = runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let target = app::emulator_target().unwrap();
        app::DemoApp::start_with_limits(target, listener, None, limits)
            .await
            .unwrap()
    });
    let url = app.url().to_owned();
    let addr = url.strip_prefix("http://").unwrap().to_owned();

    // two peers take every slot: one sends nothing, one half a request line
    let started = Instant::now();
    let mut idle = std::net::TcpStream::connect(&addr).unwrap();
    let mut slow = std::net::TcpStream::connect(&addr).unwrap();
    slow.write_all(b"GET / HTT").unwrap();
    std::thread::sleep(Duration::from_millis(100));

    // a third request waits for a slot, then is served
    let request = format!("GET / HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n");
    assert_eq!(raw_status(&url, &request), 200);
    assert!(
        started.elapsed() >= Duration::from_millis(800),
        "served at once: no connection cap ({:?})",
        started.elapsed()
    );

    // the server closed both (end of stream, or a reset)
    for stream in [&mut idle, &mut slow] {
        stream
            .set_read_timeout(Some(Duration::from_secs(5)))
            .unwrap();
        let mut buf = [0u8; 256];
        // hyper may first answer a half request (400/408) before closing
        let _ = stream.read(&mut buf);
        let again = stream.read(&mut buf);
        assert!(
            matches!(again, Ok(0))
                || again
                    .as_ref()
                    .is_err_and(|e| e.kind() != std::io::ErrorKind::WouldBlock
                        && e.kind() != std::io::ErrorKind::TimedOut),
            "still open: {again:?}"
        );
    }
    assert!(started.elapsed() < Duration::from_secs(8));
    drop(app);
    drop(runtime);
}
