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

// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used)]

// The example itself, `main` and all: the test starts its app.
#[allow(dead_code)]
#[path = "../web_demo.rs"]
mod web_demo;

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
        let target = web_demo::emulator_target().unwrap();
        web_demo::DemoApp::start(target, listener, None)
            .await
            .unwrap()
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
