//! Private keys, client session tokens and personal data never reach `Debug` or `Display`.

#![allow(clippy::unwrap_used)]

use crate::support;

use idv::model::*;
use idv::{ClientBuilder, HostedPageUrl, PrivateKey};

const TOKEN: &str = "c0ffee00-tok3n-5ecr3t-0000-deadbeef0001";

/// Lines of the PEM body: none may appear anywhere.
fn key_lines() -> Vec<&'static str> {
    support::KEY
        .lines()
        .filter(|l| !l.starts_with("-----") && l.len() > 16)
        .collect()
}

fn assert_clean(what: &str, text: &str, secrets: &[&str]) {
    for secret in secrets {
        assert!(!text.contains(secret), "{what} leaks {secret:?}: {text}");
    }
    for line in key_lines() {
        assert!(!text.contains(line), "{what} leaks key material: {text}");
    }
    assert!(!text.contains("PRIVATE KEY"), "{what}: {text}");
}

#[test]
fn keys_configs_and_clients_print_no_key_material() {
    let key = PrivateKey::from_pem(support::KEY).unwrap();
    assert_clean("PrivateKey", &format!("{key:?}"), &[]);
    let config = ClientBuilder::new().sdk_id("sdk-id").key(key);
    assert_clean("ClientBuilder", &format!("{config:?}"), &[]);
    let blocking = config.clone().build_blocking().unwrap();
    assert_clean("BlockingClient", &format!("{blocking:?}"), &[]);
    let client = config.build().unwrap();
    assert_clean("Client", &format!("{client:?}"), &[]);
}

#[test]
fn session_results_print_no_token() {
    let created: CreateSessionResult = serde_json::from_str(&format!(
        r#"{{"client_session_token_ttl":600,"client_session_token":"{TOKEN}","session_id":"s1"}}"#
    ))
    .unwrap();
    assert_eq!(created.client_session_token.expose_secret(), TOKEN);
    assert_clean("CreateSessionResult", &format!("{created:?}"), &[TOKEN]);
    assert_clean(
        "ClientSessionToken",
        &created.client_session_token.to_string(),
        &[TOKEN],
    );

    let session: GetSessionResult = serde_json::from_str(&format!(
        r#"{{"session_id":"s1","client_session_token":"{TOKEN}","state":"COMPLETED","checks":[],"resources":{{}}}}"#
    ))
    .unwrap();
    assert_clean("GetSessionResult", &format!("{session:?}"), &[TOKEN]);
    assert_clean(
        "GetSessionResult (pretty)",
        &format!("{session:#?}"),
        &[TOKEN],
    );

    let url = HostedPageUrl::new(
        &idv::BaseUrl::default(),
        &"s1".into(),
        &created.client_session_token,
    )
    .unwrap();
    assert!(url.expose_secret().contains(TOKEN));
    assert_clean("HostedPageUrl", &format!("{url:?}"), &[TOKEN]);
}

#[test]
fn media_prints_no_bytes() {
    let media = Media::new("image/jpeg", b"\xff\xd8 a face".to_vec());
    assert_clean("Media", &format!("{media:?}"), &["a face", "255, 216"]);
    let payload = UploadFaceCaptureImagePayload::jpeg(b"\xff\xd8 a face".to_vec());
    assert_clean(
        "UploadFaceCaptureImagePayload",
        &format!("{payload:?}"),
        &["a face", "255, 216"],
    );
}

#[test]
fn errors_print_no_token() {
    // A server echoing the token in an error message: the message is the server's, but the
    // SDK's own Display of the error kind never adds secrets, and Debug redacts the body.
    let response = http::Response::builder()
        .status(400)
        .body(format!(r#"{{"code":"BAD","message":"x","extra":"{TOKEN}"}}"#).into_bytes())
        .unwrap();
    let err = idv::Error::Api(idv::ApiError::from_response(response));
    assert_clean("Error Display", &err.to_string(), &[TOKEN]);
    assert_clean("Error Debug", &format!("{err:?}"), &[TOKEN]);
    assert_clean("ErrorReport", &idv::ErrorReport(&err).to_string(), &[TOKEN]);
}
