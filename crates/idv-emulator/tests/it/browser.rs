//! The hosted capture page in a real browser: headless Chromium, driven through
//! chromedriver's W3C WebDriver HTTP API, completes a selfie-authentication session created
//! through `idv`; the test then reads the session through `idv` and expects APPROVE for
//! liveness and face comparison. It saves a screenshot of the page to
//! `target/hosted-page.png`.
//!
//! Needs Debian's `chromium` and `chromium-driver`, so it is `#[ignore]`d: a plain `cargo test`
//! lists it as ignored, and `.ci/run` runs it with `--ignored`. Run by hand without them, it
//! is skipped with a message, unless `CI` is set: then it fails.

// Test helpers: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used)]

use crate::common;

use std::io::{Read, Write};
use std::net::TcpListener;
use std::time::{Duration, Instant};

use common::{REFERENCE_JPEG, SDK_ID, TEST_KEY};
use idv::model::{
    CreateFaceCaptureResourcePayload, RequestedFaceComparisonCheck, RequestedLivenessCheck,
    SdkConfig, SessionSpecification, SessionState, UploadFaceCaptureImagePayload,
};
use idv::{BlockingClient, ClientBuilder, PrivateKey, SelfieAuthVerdict};
use idv_test_support::webdriver::{Driver, browser_programs, target_dir};

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

#[test]
#[ignore = "needs chromium and chromedriver; .ci/run runs it with --ignored"]
fn hosted_page_completes_a_selfie_session_in_chromium() {
    let Some((chromium, chromedriver)) =
        browser_programs("hosted_page_completes_a_selfie_session_in_chromium")
    else {
        return;
    };

    // The session, through idv.
    let key = PrivateKey::from_pem(TEST_KEY).unwrap();
    let emulator = idv_emulator::Emulator::builder()
        .app(SDK_ID, key.public_key())
        .start()
        .unwrap();
    let client = ClientBuilder::new()
        .sdk_id(SDK_ID)
        .key(key)
        .base_url(&emulator.base_url())
        .build_blocking()
        .unwrap();
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
    let driver = Driver::start(&chromedriver, &chromium, &scratch.join("profile"));
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

fn session_liveness_media(
    client: &BlockingClient,
    sid: &idv::model::SessionId,
) -> idv::model::MediaId {
    // Through the raw JSON shape, to stay independent of the model's resource types.
    let session = client.get_session(sid).unwrap();
    let checks: Vec<_> = session.liveness_checks().collect();
    // the emulator names a liveness resource's media after the resource: an explicit
    // conversion, since the types keep resource and media ids apart
    idv::model::MediaId::from(checks[0].resources_used[0].as_str())
}
