//! Every operation's request (method, path, query, headers, body) and response parsing,
//! without a network.

// Test helpers: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used)]

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use idv_auth::{FixedNonce, FixedTimestamp, PrivateKey, RequestSigner};
use idv_core::operations::*;
use idv_core::request::BaseUrl;
use idv_core::{Error, Operation};
use idv_model::*;
use serde_json::Value;

const KEY: &str = idv_test_support::keys::TEST_KEY;
const VECTORS: &str = include_str!("../data/signing-vectors.json");
const SDK_ID: &str = "6e7f4c8a-1b2d-4e3f-9a0b-c1d2e3f4a5b6";

fn signer(nonce: &str, ts: u64) -> RequestSigner {
    RequestSigner::new(SDK_ID, PrivateKey::from_pem(KEY).unwrap())
        .with_nonce_source(FixedNonce(nonce.to_owned()))
        .with_timestamp_source(FixedTimestamp(ts))
}

fn build<O: Operation>(op: &O) -> http::Request<Vec<u8>> {
    op.request()
        .unwrap()
        .to_http(&BaseUrl::default(), &signer("n-1", 1_767_225_600_000))
        .unwrap()
}

fn target(req: &http::Request<Vec<u8>>) -> &str {
    req.uri().path_and_query().unwrap().as_str()
}

fn selfie_spec() -> SessionSpecification {
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

fn response(status: u16, content_type: Option<&str>, body: &[u8]) -> http::Response<Vec<u8>> {
    let mut b = http::Response::builder().status(status);
    if let Some(ct) = content_type {
        b = b.header("content-type", ct);
    }
    b.body(body.to_vec()).unwrap()
}

/// With the Node SDK's pinned nonce and timestamp, our create-session request carries the
/// very digest the Node SDK computed: same target, same body bytes, same signature.
#[test]
fn create_session_digest_equals_the_node_sdk_vector() {
    let vectors: Value = serde_json::from_str(VECTORS).unwrap();
    let v = vectors["vectors"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["id"] == "create-session-selfie")
        .unwrap();
    let spec = selfie_spec();
    let req = CreateSession { spec: &spec }
        .request()
        .unwrap()
        .to_http(
            &BaseUrl::default(),
            &signer(
                v["pinned"]["nonce"].as_str().unwrap(),
                v["pinned"]["timestamp"].as_u64().unwrap(),
            ),
        )
        .unwrap();
    assert_eq!(req.uri().to_string(), v["full_url"].as_str().unwrap());
    assert_eq!(
        STANDARD.encode(req.body()),
        v["body_b64"].as_str().unwrap(),
        "body bytes differ from the Node SDK's"
    );
    assert_eq!(
        req.headers()["x-yoti-auth-digest"],
        v["x_yoti_auth_digest"].as_str().unwrap()
    );
}

#[test]
fn every_get_vector_matches_too() {
    let vectors: Value = serde_json::from_str(VECTORS).unwrap();
    let sid = vectors["constants"]["session_id"].as_str().unwrap();
    for v in vectors["vectors"].as_array().unwrap() {
        if v["method"] != "GET" {
            continue;
        }
        let endpoint = v["endpoint"].as_str().unwrap();
        let req = if endpoint == format!("/sessions/{sid}") {
            GetSession {
                session_id: &sid.into(),
            }
            .request()
            .unwrap()
        } else {
            continue;
        };
        let http = req
            .to_http(
                &BaseUrl::default(),
                &signer(
                    v["pinned"]["nonce"].as_str().unwrap(),
                    v["pinned"]["timestamp"].as_u64().unwrap(),
                ),
            )
            .unwrap();
        assert_eq!(
            http.headers()["x-yoti-auth-digest"],
            v["x_yoti_auth_digest"].as_str().unwrap()
        );
    }
}

#[test]
fn create_session_request() {
    let spec = selfie_spec();
    let req = build(&CreateSession { spec: &spec });
    assert_eq!(req.method(), http::Method::POST);
    assert_eq!(
        target(&req),
        format!("/idverify/v1/sessions?sdkId={SDK_ID}&nonce=n-1&timestamp=1767225600000")
    );
    assert_eq!(req.headers()["content-type"], "application/json");
    assert_eq!(req.headers()["accept"], "application/json");
    assert_eq!(req.headers()["x-yoti-sdk"], "Rust");
    assert_eq!(
        std::str::from_utf8(req.body()).unwrap(),
        r#"{"client_session_token_ttl":600,"resources_ttl":90000,"user_tracking_id":"some-user-tracking-id","requested_checks":[{"type":"LIVENESS","config":{"max_retries":3,"liveness_type":"STATIC"}},{"type":"FACE_COMPARISON","config":{"manual_check":"NEVER"}}],"requested_tasks":[],"sdk_config":{"success_url":"https://localhost:8443/idv/success","error_url":"https://localhost:8443/idv/error","allow_handoff":true},"required_documents":[]}"#
    );
    assert!(!CreateSession { spec: &spec }.is_idempotent());
}

#[test]
fn simple_requests() {
    let cases: Vec<(http::Request<Vec<u8>>, &str, &str)> = vec![
        (
            build(&GetSession {
                session_id: &"s1".into(),
            }),
            "GET",
            "/idverify/v1/sessions/s1",
        ),
        (
            build(&DeleteSession {
                session_id: &"s1".into(),
            }),
            "DELETE",
            "/idverify/v1/sessions/s1",
        ),
        (
            build(&GetSessionConfiguration {
                session_id: &"s1".into(),
            }),
            "GET",
            "/idverify/v1/sessions/s1/configuration",
        ),
        (
            build(&GetMediaContent {
                session_id: &"s1".into(),
                media_id: &"m1".into(),
            }),
            "GET",
            "/idverify/v1/sessions/s1/media/m1/content",
        ),
        (
            build(&DeleteMediaContent {
                session_id: &"s1".into(),
                media_id: &"m1".into(),
            }),
            "DELETE",
            "/idverify/v1/sessions/s1/media/m1/content",
        ),
    ];
    for (req, method, path) in cases {
        assert_eq!(req.method().as_str(), method);
        assert_eq!(req.uri().path(), path);
        assert_eq!(
            req.uri().query().unwrap(),
            format!("sdkId={SDK_ID}&nonce=n-1&timestamp=1767225600000")
        );
        assert!(req.body().is_empty());
        assert!(!req.headers().contains_key("content-type"));
        assert!(req.headers().contains_key("x-yoti-auth-digest"));
    }
}

#[test]
fn face_capture_requests() {
    let payload = CreateFaceCaptureResourcePayload::new("req-1");
    let req = build(&CreateFaceCaptureResource {
        session_id: &"s1".into(),
        payload: &payload,
    });
    assert_eq!(req.method(), http::Method::POST);
    assert_eq!(
        req.uri().path(),
        "/idverify/v1/sessions/s1/resources/face-capture"
    );
    assert_eq!(req.body().as_slice(), br#"{"requirement_id":"req-1"}"#);

    let image = UploadFaceCaptureImagePayload::png(vec![0x89, b'P', b'N', b'G']);
    let req = build(&UploadFaceCaptureImage {
        session_id: &"s1".into(),
        resource_id: &"r1".into(),
        payload: &image,
    });
    assert_eq!(req.method(), http::Method::PUT);
    assert_eq!(
        req.uri().path(),
        "/idverify/v1/sessions/s1/resources/face-capture/r1/image"
    );
    let ct = req.headers()["content-type"].to_str().unwrap();
    let boundary = ct.strip_prefix("multipart/form-data; boundary=").unwrap();
    assert_eq!(boundary.len(), 50);
    let expected = [
        format!("--{boundary}\r\nContent-Disposition: form-data; name=\"binary-content\"; filename=\"face-capture-image\"\r\nContent-Type: image/png\r\n\r\n").into_bytes(),
        vec![0x89, b'P', b'N', b'G'],
        format!("\r\n--{boundary}--\r\n").into_bytes(),
    ]
    .concat();
    assert_eq!(req.body(), &expected);

    let empty = UploadFaceCaptureImagePayload::jpeg(Vec::new());
    let err = UploadFaceCaptureImage {
        session_id: &"s1".into(),
        resource_id: &"r1".into(),
        payload: &empty,
    }
    .request()
    .unwrap_err();
    assert!(matches!(err, Error::InvalidInput(_)));
}

#[test]
fn identifiers_are_one_encoded_path_segment() {
    let req = build(&GetMediaContent {
        session_id: &"a/b?c#d %2F".into(),
        media_id: &"../x".into(),
    });
    assert_eq!(
        req.uri().path(),
        "/idverify/v1/sessions/a%2Fb%3Fc%23d%20%252F/media/..%2Fx/content"
    );
    for bad in ["", ".", ".."] {
        let err = GetSession {
            session_id: &bad.into(),
        }
        .request()
        .unwrap_err();
        match err {
            Error::InvalidInput(e) => assert_eq!(e.field(), "session_id"),
            other => panic!("expected invalid input, got {other:?}"),
        }
    }
}

#[test]
fn parse_create_session_and_session_configuration() {
    let created = CreateSession { spec: &selfie_spec() }
        .parse(response(
            201,
            Some("application/json"),
            br#"{"client_session_token_ttl":600,"client_session_token":"tok-secret","session_id":"s1"}"#,
        ))
        .unwrap();
    assert_eq!(created.session_id, "s1");
    assert_eq!(created.client_session_token.expose_secret(), "tok-secret");
    assert!(!format!("{created:?}").contains("tok-secret"));

    let config = GetSessionConfiguration { session_id: &"s1".into() }
        .parse(response(
            200,
            Some("application/json"),
            br#"{"client_session_token_ttl":600,"session_id":"s1","requested_checks":["LIVENESS","FACE_COMPARISON","SOMETHING_NEW"],
               "capture":{"biometric_consent":"NOT_REQUIRED","required_resources":[
                 {"type":"FACE_CAPTURE","id":"req-1","state":"REQUIRED","allowed_sources":[{"type":"RELYING_BUSINESS"}]},
                 {"type":"LIVENESS","id":"req-2","state":"REQUIRED","liveness_type":"STATIC","allowed_sources":[{"type":"END_USER"}]},
                 {"type":"NEW_KIND","id":"req-3"}]}}"#,
        ))
        .unwrap();
    let face: Vec<_> = config.face_capture_requirements().collect();
    assert_eq!(face.len(), 1);
    assert_eq!(face[0].id, "req-1");
    assert_eq!(config.requested_checks[2].as_str(), "SOMETHING_NEW");
    assert_eq!(config.required_resources().count(), 3);
}

#[test]
fn parse_media_content() {
    let op = GetMediaContent {
        session_id: &"s1".into(),
        media_id: &"m1".into(),
    };
    let media = op
        .parse(response(200, Some("image/jpeg; charset=UTF-8"), &[1, 2, 3]))
        .unwrap()
        .unwrap();
    assert_eq!(media.mime_type, "image/jpeg");
    assert_eq!(media.content, vec![1, 2, 3]);
    assert!(op.parse(response(204, None, b"")).unwrap().is_none());
    let media = op.parse(response(200, None, b"x")).unwrap().unwrap();
    assert_eq!(media.mime_type, "");
}

#[test]
fn api_errors_keep_code_message_and_properties() {
    let err = GetSession { session_id: &"s1".into() }
        .parse(response(
            400,
            Some("application/json"),
            br#"{"code":"PAYLOAD_VALIDATION","message":"There were errors validating the payload","errors":[{"property":"requested_checks[0].type","message":"unknown check type"}]}"#,
        ))
        .unwrap_err();
    assert_eq!(err.status(), Some(http::StatusCode::BAD_REQUEST));
    assert_eq!(err.code(), Some("PAYLOAD_VALIDATION"));
    let api = err.as_api().unwrap();
    assert_eq!(
        api.message(),
        Some("There were errors validating the payload")
    );
    assert_eq!(
        api.property_errors()[0].property.as_deref(),
        Some("requested_checks[0].type")
    );
    assert_eq!(
        api.to_string(),
        "400 Bad Request: PAYLOAD_VALIDATION - There were errors validating the payload: requested_checks[0].type \"unknown check type\""
    );
    assert!(!err.is_retryable());

    let err = DeleteSession {
        session_id: &"s1".into(),
    }
    .parse(response(503, Some("text/html"), b"<html>down</html>"))
    .unwrap_err();
    assert_eq!(err.status(), Some(http::StatusCode::SERVICE_UNAVAILABLE));
    assert_eq!(err.code(), None);
    assert!(err.is_retryable());
    assert_eq!(err.as_api().unwrap().body(), b"<html>down</html>");

    let err = GetSession {
        session_id: &"s1".into(),
    }
    .parse(response(
        401,
        Some("application/json"),
        br#"{"code":"UNAUTHORIZED","message":"bad signature"}"#,
    ))
    .unwrap_err();
    assert!(err.is_unauthorized());
}

#[test]
fn decode_errors_keep_the_path_and_hide_values() {
    let err = GetSession { session_id: &"s1".into() }
        .parse(response(
            200,
            Some("application/json"),
            br#"{"session_id":"s1","checks":[{"type":"LIVENESS","id":"c1","resources_used":"Jane Doe"}]}"#,
        ))
        .unwrap_err();
    match &err {
        Error::Decode(d) => {
            assert_eq!(d.path(), "checks[0].resources_used");
            assert!(!d.to_string().contains("Jane Doe"), "{d}");
            assert!(!format!("{d:?}").contains("Jane Doe"));
            assert!(d.snippet().starts_with("{\"session_id\""));
        }
        other => panic!("expected a decode error, got {other:?}"),
    }
    let err = GetSession {
        session_id: &"s1".into(),
    }
    .parse(response(200, Some("application/json"), b"{\"session_id\":"))
    .unwrap_err();
    assert!(matches!(err, Error::Decode(_)));
}

#[test]
fn session_results_tolerate_unknown_and_null() {
    let session = GetSession { session_id: &"s1".into() }
        .parse(response(
            200,
            Some("application/json"),
            br#"{"session_id":"s1","state":"SOMETHING_NEW","client_session_token_ttl":null,"new_field":{"a":1},
                "checks":[{"type":"BRAND_NEW_CHECK","id":"c9","state":"DONE","report":{"recommendation":{"value":"MAYBE"},"breakdown":null}},
                          {"type":"LIVENESS","id":"c1","state":"DONE","report":{"recommendation":{"value":"APPROVE"},"breakdown":[{"sub_check":"liveness_auth","result":"PASS","details":[]}]}}],
                "resources":null}"#,
        ))
        .unwrap();
    assert_eq!(session.state.as_ref().unwrap().as_str(), "SOMETHING_NEW");
    assert_eq!(session.checks[0].check_type().as_str(), "BRAND_NEW_CHECK");
    assert!(session.checks[0].check_type().is_unknown());
    assert_eq!(
        session.checks[0].recommendation().unwrap().as_str(),
        "MAYBE"
    );
    assert_eq!(session.liveness_checks().count(), 1);
    assert!(session.resources.face_capture.is_empty());
}
