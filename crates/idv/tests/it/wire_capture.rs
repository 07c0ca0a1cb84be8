//! The selfie flow through a recording transport, compared request by request with what the
//! official Node SDK sent for the same flow (`tests/data/selfie-flow-capture.json`).
//!
//! Same method, path, query keys in order, SDK-set header names, JSON bodies equal as JSON
//! values, multipart with the same part name and filename; and every recorded request carries
//! a signature that verifies over exactly the target the transport received.

// Test helpers: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used)]

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use idv::model::*;
use idv::{ClientBuilder, PrivateKey, SelfieAuthVerdict, SyncTransport, TransportError};
use serde_json::Value;

const CAPTURE: &str = include_str!("../data/selfie-flow-capture.json");
const KEY: &str = idv_test_support::keys::TEST_KEY;
const SDK_ID: &str = "6e7f4c8a-1b2d-4e3f-9a0b-c1d2e3f4a5b6";

/// Replays canned responses in order and records every request it is handed.
#[derive(Clone, Default)]
struct Recorder {
    responses: Arc<Mutex<VecDeque<http::Response<Vec<u8>>>>>,
    requests: Arc<Mutex<Vec<http::Request<Vec<u8>>>>>,
}

impl SyncTransport for Recorder {
    fn send(
        &self,
        request: http::Request<Vec<u8>>,
    ) -> Result<http::Response<Vec<u8>>, TransportError> {
        self.requests.lock().unwrap().push(request);
        Ok(self
            .responses
            .lock()
            .unwrap()
            .pop_front()
            .expect("more requests than canned responses"))
    }
}

fn b64(v: &Value) -> Vec<u8> {
    STANDARD.decode(v.as_str().unwrap_or("")).unwrap()
}

fn canned(exchange: &Value) -> http::Response<Vec<u8>> {
    let resp = &exchange["response"];
    let mut builder = http::Response::builder().status(resp["status"].as_u64().unwrap() as u16);
    for h in resp["headers"].as_array().unwrap() {
        builder = builder.header(h[0].as_str().unwrap(), h[1].as_str().unwrap());
    }
    builder.body(b64(&resp["body_b64"])).unwrap()
}

/// The headers an SDK sets itself (the rest come from the HTTP stack).
fn sdk_header_names(headers: impl Iterator<Item = String>) -> Vec<String> {
    let stack = ["host", "accept-encoding", "content-length", "connection"];
    let mut names: Vec<String> = headers
        .map(|h| h.to_ascii_lowercase())
        .filter(|h| !stack.contains(&h.as_str()))
        .collect();
    names.sort();
    names
}

fn query_keys(query: &str) -> Vec<String> {
    query
        .split('&')
        .map(|kv| kv.split('=').next().unwrap().to_owned())
        .collect()
}

#[test]
fn selfie_flow_matches_the_node_sdk_on_the_wire() {
    let capture: Value = serde_json::from_str(CAPTURE).unwrap();
    let exchanges = capture["exchanges"].as_array().unwrap();
    let recorder = Recorder::default();
    recorder
        .responses
        .lock()
        .unwrap()
        .extend(exchanges.iter().map(canned));

    let key = PrivateKey::from_pem(KEY).unwrap();
    let public = key.public_key();
    let config = ClientBuilder::new()
        .sdk_id(SDK_ID)
        .key(key)
        .base_url("http://127.0.0.1:39227/idverify/v1");
    let client = config
        .build_blocking_with_transport(recorder.clone())
        .unwrap();

    // The seed's flow, with the same inputs the Node SDK was given.
    let spec = SessionSpecification::new()
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
        );
    let created = client.create_session(&spec).unwrap();
    let sid = created.session_id.clone();
    let configuration = client.get_session_configuration(&sid).unwrap();
    let requirement = configuration.face_capture_requirements().next().unwrap();
    let resource = client
        .create_face_capture_resource(
            &sid,
            &CreateFaceCaptureResourcePayload::new(requirement.id.clone()),
        )
        .unwrap();
    assert_eq!(resource.frames, Some(1));
    let image = b64(&exchanges[3]["request"]["body_b64"]);
    let jpeg = {
        // the image inside the Node SDK's multipart body
        let start = image.windows(4).position(|w| w == b"\r\n\r\n").unwrap() + 4;
        let tail = image.windows(4).rposition(|w| w == b"\r\n--").unwrap();
        image[start..tail].to_vec()
    };
    client
        .upload_face_capture_image(
            &sid,
            &resource.id,
            &UploadFaceCaptureImagePayload::jpeg(jpeg.clone()),
        )
        .unwrap();
    let session = client.get_session(&sid).unwrap();
    assert!(SelfieAuthVerdict::evaluate(&session).is_pass());
    let media_id = session.resources.face_capture[0]
        .image
        .as_ref()
        .unwrap()
        .media
        .as_ref()
        .unwrap()
        .id
        .clone();
    let media = client.get_media_content(&sid, &media_id).unwrap().unwrap();
    assert_eq!(media.mime_type, "image/jpeg");

    let requests = recorder.requests.lock().unwrap();
    assert_eq!(requests.len(), exchanges.len());
    for (ours, exchange) in requests.iter().zip(exchanges) {
        let theirs = &exchange["request"];
        let seq = exchange["seq"].as_u64().unwrap();
        // method
        assert_eq!(
            ours.method().as_str(),
            theirs["method"].as_str().unwrap(),
            "seq {seq}"
        );
        // path and query keys, in order
        let (their_path, their_query) = theirs["target"].as_str().unwrap().split_once('?').unwrap();
        let pq = ours.uri().path_and_query().unwrap();
        assert_eq!(pq.path(), their_path, "seq {seq}");
        assert_eq!(
            query_keys(pq.query().unwrap()),
            query_keys(their_query),
            "seq {seq}"
        );
        assert!(
            pq.query()
                .unwrap()
                .starts_with(&format!("sdkId={SDK_ID}&nonce="))
        );
        // header names the SDK sets
        let their_headers = theirs["headers"].as_array().unwrap();
        assert_eq!(
            sdk_header_names(ours.headers().keys().map(|k| k.as_str().to_owned())),
            sdk_header_names(
                their_headers
                    .iter()
                    .map(|h| h[0].as_str().unwrap().to_owned())
            ),
            "seq {seq}"
        );
        assert_eq!(ours.headers()["accept"], "application/json");
        assert_eq!(ours.headers()["x-yoti-sdk"], "Rust");
        assert_eq!(
            ours.headers()["x-yoti-sdk-version"],
            concat!("Rust-", env!("CARGO_PKG_VERSION"))
        );
        // bodies
        let their_body = b64(&theirs["body_b64"]);
        match ours.method().as_str() {
            "POST" => {
                assert_eq!(ours.headers()["content-type"], "application/json");
                let a: Value = serde_json::from_slice(ours.body()).unwrap();
                let b: Value = serde_json::from_slice(&their_body).unwrap();
                assert_eq!(a, b, "seq {seq}");
                // and byte for byte, since field order follows the Node SDK
                assert_eq!(ours.body(), &their_body, "seq {seq}");
            }
            "PUT" => {
                let ct = ours.headers()["content-type"].to_str().unwrap();
                let boundary = ct.strip_prefix("multipart/form-data; boundary=").unwrap();
                let body = ours.body();
                let head = format!(
                    "--{boundary}\r\nContent-Disposition: form-data; name=\"binary-content\"; \
                     filename=\"face-capture-image\"\r\nContent-Type: image/jpeg\r\n\r\n"
                );
                assert!(body.starts_with(head.as_bytes()));
                let tail = format!("\r\n--{boundary}--\r\n");
                assert!(body.ends_with(tail.as_bytes()));
                assert_eq!(&body[head.len()..body.len() - tail.len()], jpeg.as_slice());
            }
            _ => {
                assert!(ours.body().is_empty(), "seq {seq}");
                assert!(!ours.headers().contains_key("content-type"), "seq {seq}");
            }
        }
        // the signature covers exactly the target handed to the transport
        let target = pq.as_str().strip_prefix("/idverify/v1").unwrap();
        let body = (!ours.body().is_empty()).then_some(ours.body().as_slice());
        let message = idv::auth::string_to_sign(ours.method().as_str(), target, body);
        let digest = STANDARD
            .decode(ours.headers()["x-yoti-auth-digest"].as_bytes())
            .unwrap();
        public.verify(message.as_bytes(), &digest).unwrap();
    }
}
