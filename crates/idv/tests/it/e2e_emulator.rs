//! The selfie-authentication flow end to end against the emulator on 127.0.0.1, through the
//! real transports: blocking over ureq, async over reqwest.

// Test helpers: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used)]

use crate::support;

use idv::model::*;
use idv::{ClientBuilder, PrivateKey, SelfieAuthVerdict};

const OTHER_KEY: &str = idv_test_support::keys::OTHER_KEY;

fn spec() -> SessionSpecification {
    SessionSpecification::new()
        .with_client_session_token_ttl(600)
        .with_resources_ttl(90_000)
        .with_user_tracking_id("some-user-tracking-id")
        .with_requested_check(RequestedLivenessCheck::static_liveness().with_max_retries(3))
        .with_requested_check(RequestedFaceComparisonCheck::new().with_manual_check_never())
        .with_sdk_config(
            SdkConfig::new()
                .with_success_url("https://localhost:8443/idv/success")
                .with_error_url("https://localhost:8443/idv/error")
                .with_allow_handoff(true),
        )
}

#[test]
fn blocking_selfie_flow_passes() {
    let (_emulator, config) = support::emulator();
    let client = config.build_blocking().unwrap();

    let created = client.create_session(&spec()).unwrap();
    let sid = &created.session_id;
    let resource_id = support::upload_reference(&client, sid);

    // Before the user's part: no verdict.
    let before = client.get_session(sid).unwrap();
    assert_eq!(before.state, Some(SessionState::Ongoing));
    assert!(!SelfieAuthVerdict::evaluate(&before).is_pass());

    client
        .sandbox_complete_session(sid, &created.client_session_token)
        .unwrap();
    let session = client.get_session(sid).unwrap();
    assert_eq!(session.state, Some(SessionState::Completed));
    let liveness: Vec<_> = session.liveness_checks().collect();
    let face: Vec<_> = session.face_comparison_checks().collect();
    assert_eq!(liveness.len(), 1);
    assert_eq!(face.len(), 1);
    assert_eq!(liveness[0].state, Some(CheckState::Done));
    assert!(liveness[0].is_approved());
    assert!(face[0].is_approved());
    assert!(face[0].resources_used.contains(&resource_id));
    let verdict = SelfieAuthVerdict::evaluate(&session);
    assert!(verdict.is_pass(), "{verdict}");

    // The reference image comes back byte for byte; the liveness selfie is there too.
    let face_media = session.resources.face_capture[0]
        .image
        .as_ref()
        .unwrap()
        .media
        .as_ref()
        .unwrap()
        .id
        .clone();
    let media = client.get_media_content(sid, &face_media).unwrap().unwrap();
    assert_eq!(media.content, support::FACE);
    assert_eq!(media.mime_type, "image/jpeg");
    assert_eq!(session.resources.static_liveness().count(), 1);
    assert_eq!(session.resources.media_ids().len(), 2);

    client.delete_session(sid).unwrap();
    let err = client.get_session(sid).unwrap_err();
    assert!(err.is_not_found(), "{err:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn async_selfie_flow_passes() {
    let (_emulator, config) = support::emulator();
    let client = config.build().unwrap();

    let created = client.create_session(&spec()).await.unwrap();
    let sid = &created.session_id;
    let _resource = support::upload_reference_async(&client, sid).await;
    client
        .sandbox_complete_session(sid, &created.client_session_token)
        .await
        .unwrap();
    let session = client.get_session(sid).await.unwrap();
    let verdict = SelfieAuthVerdict::evaluate(&session);
    assert!(verdict.is_pass(), "{verdict}");
    for id in session.resources.media_ids() {
        let media = client.get_media_content(sid, id).await.unwrap().unwrap();
        assert!(!media.is_empty());
    }
}

#[test]
fn wrong_key_is_a_401_api_error_blocking() {
    let (emulator, _) = support::emulator();
    let config = ClientBuilder::new()
        .sdk_id(support::SDK_ID)
        .key(PrivateKey::from_pem(OTHER_KEY).unwrap())
        .base_url(&emulator.sandbox_base_url());
    let err = config
        .build_blocking()
        .unwrap()
        .create_session(&spec())
        .unwrap_err();
    assert!(err.is_unauthorized(), "{err:?}");
    assert_eq!(err.status(), Some(http::StatusCode::UNAUTHORIZED));
    assert!(matches!(err, idv::Error::Api(_)));
}

#[tokio::test]
async fn wrong_key_is_a_401_api_error_async() {
    let (emulator, _) = support::emulator();
    let config = ClientBuilder::new()
        .sdk_id(support::SDK_ID)
        .key(PrivateKey::from_pem(OTHER_KEY).unwrap())
        .base_url(&emulator.sandbox_base_url());
    let err = config
        .build()
        .unwrap()
        .get_session(&"no-such-session".into())
        .await
        .unwrap_err();
    assert_eq!(
        err.status(),
        Some(http::StatusCode::UNAUTHORIZED),
        "{err:?}"
    );
}

#[test]
fn hostile_identifiers_stay_in_their_segment() {
    // A session id that would be a different endpoint if spliced raw: it must reach the
    // emulator as one (unknown) session id, verify, and come back as a 404.
    let (_emulator, config) = support::emulator();
    let client = config.build_blocking().unwrap();
    for id in [
        "../sessions",
        "a/b",
        "?x=1",
        "#f",
        "%2F",
        "sp ace",
        "ünï",
        "ctl\u{1}",
    ] {
        let err = client.get_session(&id.into()).unwrap_err();
        assert_eq!(
            err.status(),
            Some(http::StatusCode::NOT_FOUND),
            "{id:?}: {err:?}"
        );
    }
}
