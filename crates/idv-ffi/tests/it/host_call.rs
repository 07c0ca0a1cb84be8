//! The host-driven call without a host language: scripted responses into `HostCall`.
#![allow(clippy::unwrap_used)] // test helpers: a failure is the test failing

use std::sync::Arc;

use idv_ffi::{
    CallOutput, CallStep, ClientOptions, Header, HostCall, HttpRequest, Idv, IdvError, Operation,
    TransportErrorKind, VerdictOutcome,
};

const KEY: &str = include_str!("../../../idv-auth/tests/data/test-key.pem");
const VECTORS: &str = include_str!("../../../idv-auth/tests/data/signing-vectors.json");
const SID: &str = "c5a1e7d2-3f4b-4c6d-8e9f-0a1b2c3d4e5f";

fn client(options: ClientOptions) -> Arc<Idv> {
    Idv::new(
        "sdk-1".into(),
        KEY.into(),
        "http://127.0.0.1:1/idverify/v1".into(),
        None,
        Some(options),
    )
    .unwrap()
}

fn quick() -> ClientOptions {
    ClientOptions {
        base_backoff_ms: Some(1),
        max_backoff_ms: Some(2),
        ..ClientOptions::default()
    }
}

fn send(call: &HostCall) -> Arc<HttpRequest> {
    match call.next().unwrap() {
        CallStep::Send { request } => request,
        _ => panic!("expected a request"),
    }
}

fn json_headers() -> Vec<Header> {
    vec![Header {
        name: "content-type".into(),
        value: "application/json".into(),
    }]
}

#[test]
fn a_503_is_retried_and_the_session_decoded() {
    let call = client(quick())
        .call(Operation::GetSession {
            session_id: SID.into(),
        })
        .unwrap();
    let first = send(&call);
    assert_eq!(first.method(), "GET");
    assert!(
        first
            .url()
            .contains(&format!("/sessions/{SID}?sdkId=sdk-1&nonce="))
    );
    assert!(
        first
            .headers()
            .iter()
            .any(|h| h.name == "x-yoti-auth-digest" && h.value.len() == 344)
    );
    call.on_response(503, vec![], b"{}".to_vec()).unwrap();
    assert!(matches!(call.next().unwrap(), CallStep::Sleep { .. }));
    let second = send(&call);
    assert_ne!(
        first.url(),
        second.url(),
        "a retry is signed afresh (new nonce)"
    );
    let body = br#"{"session_id":"s","state":"ONGOING","checks":[]}"#.to_vec();
    call.on_response(200, json_headers(), body).unwrap();
    match call.next().unwrap() {
        CallStep::Done {
            output: CallOutput::Session { session },
        } => {
            assert_eq!(session.state().as_deref(), Some("ONGOING"));
            assert_eq!(session.selfie_verdict().outcome, VerdictOutcome::Pending);
        }
        _ => panic!("expected a session"),
    }
    assert_eq!(call.attempts(), 2);
}

#[test]
fn an_api_error_carries_status_code_and_property_errors() {
    let call = client(quick())
        .call(Operation::CreateSession {
            spec_json: "{}".into(),
        })
        .unwrap();
    send(&call);
    let body = br#"{"code":"PAYLOAD_VALIDATION","message":"bad","errors":[{"property":"requested_checks","message":"must not be empty"}]}"#;
    call.on_response(400, json_headers(), body.to_vec())
        .unwrap();
    match call.next() {
        Err(IdvError::Api {
            status,
            code,
            property_errors,
            ..
        }) => {
            assert_eq!(status, 400);
            assert_eq!(code.as_deref(), Some("PAYLOAD_VALIDATION"));
            assert_eq!(
                property_errors[0].property.as_deref(),
                Some("requested_checks")
            );
        }
        other => panic!("expected an API error, got {:?}", other.err()),
    }
}

#[test]
fn transport_errors_end_the_call_after_the_attempts() {
    let call = client(ClientOptions {
        max_attempts: Some(2),
        ..quick()
    })
    .call(Operation::GetSession {
        session_id: SID.into(),
    })
    .unwrap();
    send(&call);
    call.on_transport_error(TransportErrorKind::Connect, "refused".into());
    assert!(matches!(call.next().unwrap(), CallStep::Sleep { .. }));
    send(&call);
    call.on_transport_error(TransportErrorKind::Connect, "refused".into());
    assert!(matches!(
        call.next(),
        Err(IdvError::Transport {
            kind: TransportErrorKind::Connect,
            ..
        })
    ));
}

#[test]
fn a_key_error_does_not_show_the_key() {
    let broken = KEY.replacen("MII", "XXX", 1);
    let err = Idv::new(
        "sdk-1".into(),
        broken.clone(),
        "https://api.yoti.com/idverify/v1".into(),
        None,
        None,
    )
    .unwrap_err();
    let line = KEY.lines().nth(2).unwrap();
    assert!(matches!(err, IdvError::Config { .. }));
    assert!(!err.to_string().contains(line) && !format!("{err:?}").contains(line));
}

#[test]
fn the_get_session_vector_is_signed_as_the_node_sdk_signs_it() {
    let vectors: serde_json::Value = serde_json::from_str(VECTORS).unwrap();
    let vector = &vectors["vectors"][0];
    assert_eq!(vector["id"], "get-session");
    let idv = Idv::new(
        vectors["constants"]["sdk_id"].as_str().unwrap().into(),
        KEY.into(),
        vector["base_url"].as_str().unwrap().into(),
        None,
        Some(ClientOptions {
            fixed_nonce: Some(vector["pinned"]["nonce"].as_str().unwrap().into()),
            fixed_timestamp_ms: vector["pinned"]["timestamp"].as_u64(),
            ..ClientOptions::default()
        }),
    )
    .unwrap();
    let request = send(
        &idv.call(Operation::GetSession {
            session_id: SID.into(),
        })
        .unwrap(),
    );
    assert_eq!(request.url(), vector["full_url"].as_str().unwrap());
    let digest = request
        .headers()
        .into_iter()
        .find(|h| h.name == "x-yoti-auth-digest")
        .unwrap();
    assert_eq!(digest.value, vector["x_yoti_auth_digest"].as_str().unwrap());
}
