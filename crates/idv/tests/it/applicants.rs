//! The Face Search methods of both clients through a scripted, recording transport: the exact
//! method, path, query and JSON body each sends, what it decodes, a 404 on delete reported as
//! `Deleted::AlreadyGone` after a single attempt, and the one-call enrolment (its calls, its
//! refusal of a session that did not pass, and its clean-up when a later step fails).

// Test helpers: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used)]

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

use idv::core::{async_fn, sync_fn};
use idv::model::*;
use idv::{BlockingClient, Client, ClientBuilder, Deleted, EnrolFace, Error, PrivateKey};
use serde_json::{Value, json};

const KEY: &str = idv_test_support::keys::TEST_KEY;
const SDK_ID: &str = "sdk-fsc";

/// What a request looked like: method, path (without the base path), query keys, JSON body.
#[derive(Debug, Clone, PartialEq)]
struct Sent {
    method: String,
    path: String,
    query_keys: Vec<String>,
    body: Option<Value>,
}

fn sent(method: &str, path: &str, body: Option<Value>) -> Sent {
    Sent {
        method: method.to_owned(),
        path: path.to_owned(),
        query_keys: vec!["sdkId".into(), "nonce".into(), "timestamp".into()],
        body,
    }
}

/// Canned responses in order; every request recorded.
#[derive(Clone, Default)]
struct Script {
    responses: Arc<Mutex<VecDeque<(u16, String)>>>,
    requests: Arc<Mutex<Vec<Sent>>>,
}

impl Script {
    fn new(responses: &[(u16, &str)]) -> Self {
        let s = Self::default();
        s.responses
            .lock()
            .unwrap()
            .extend(responses.iter().map(|(c, b)| (*c, (*b).to_owned())));
        s
    }

    fn answer(&self, request: http::Request<Vec<u8>>) -> http::Response<Vec<u8>> {
        let uri = request.uri().clone();
        // the API base and the sandbox base both end in `/idverify/v1`
        let path = uri.path().split_once("/idverify/v1").unwrap().1.to_owned();
        let query = uri.query().unwrap_or_default();
        assert!(query.contains(&format!("sdkId={SDK_ID}")), "{query}");
        assert!(request.headers().contains_key("x-yoti-auth-digest"));
        let body = request.body();
        self.requests.lock().unwrap().push(Sent {
            method: request.method().to_string(),
            path,
            query_keys: query
                .split('&')
                .map(|kv| kv.split('=').next().unwrap().to_owned())
                .collect(),
            body: (!body.is_empty()).then(|| serde_json::from_slice(body).unwrap()),
        });
        let (status, body) = self.responses.lock().unwrap().pop_front().unwrap();
        let mut b = http::Response::builder().status(status);
        if !body.is_empty() {
            b = b.header("content-type", "application/json");
        }
        b.body(body.into_bytes()).unwrap()
    }

    fn blocking(&self) -> BlockingClient {
        let me = self.clone();
        config()
            .build_blocking_with_transport(sync_fn(move |r| Ok(me.answer(r))))
            .unwrap()
    }

    fn asynchronous(&self) -> Client {
        let me = self.clone();
        config()
            .build_with_transport(async_fn(move |r| {
                let response = me.answer(r);
                async move { Ok(response) }
            }))
            .unwrap()
    }

    fn requests(&self) -> Vec<Sent> {
        self.requests.lock().unwrap().clone()
    }
}

fn config() -> ClientBuilder {
    ClientBuilder::new()
        .sdk_id(SDK_ID)
        .key(PrivateKey::from_pem(KEY).unwrap())
        .base_url("http://127.0.0.1:9/idverify/v1")
}

const JPEG: &[u8] = &[0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10];

#[test]
fn every_applicant_and_pool_call_on_the_wire() {
    let script = Script::new(&[
        (
            201,
            r#"{"id":"a-1","created_at":"2025-05-29T11:15:03Z","faces":{"faces":[]},"pools":[]}"#,
        ),
        (201, r#"{"id":"f-1"}"#),
        (
            200,
            r#"{"id":"a-1","faces":{"archetype_face":"f-1","faces":[{}]},"pools":[{"id":"p-1","label":"members"}]}"#,
        ),
        (
            200,
            r#"{"face":{"data":"/9j/4AAQ","content_type":"image/jpeg"}}"#,
        ),
        (201, r#"{"id":"p-1","label":"members"}"#),
        (204, ""),
        (200, ""),
        (204, ""),
        (204, ""),
        (204, ""),
        (204, ""),
    ]);
    let client = script.blocking();
    let applicant = client
        .create_applicant(&CreateApplicantPayload::new())
        .unwrap();
    assert_eq!(applicant.id, "a-1");
    let face = client
        .add_applicant_face(
            &applicant.id,
            &AddFacePayload::new(FacePayload::image(JPEG)),
        )
        .unwrap();
    assert_eq!(face.id, FaceId::from("f-1"));
    let got = client.get_applicant(&applicant.id).unwrap();
    assert_eq!(got.faces.archetype_face.as_ref(), Some(&face.id));
    assert_eq!(got.pools[0].label.as_deref(), Some("members"));
    let image = client.get_applicant_face(&applicant.id, &face.id).unwrap();
    assert_eq!(image.face.data.as_bytes(), JPEG);
    let pool = client
        .create_pool(&CreatePoolPayload::new("members"))
        .unwrap();
    assert_eq!(pool.id, PoolId::from("p-1"));
    client.add_pool_applicant(&pool.id, &applicant.id).unwrap();
    client
        .attach_face_capture_applicant(&"s-1".into(), &"r-1".into(), &applicant.id)
        .unwrap();
    assert_eq!(
        client
            .remove_pool_applicant(&pool.id, &applicant.id)
            .unwrap(),
        Deleted::Removed
    );
    assert_eq!(client.delete_pool(&pool.id).unwrap(), Deleted::Removed);
    assert_eq!(
        client
            .delete_applicant_face(&applicant.id, &face.id)
            .unwrap(),
        Deleted::Removed
    );
    assert_eq!(
        client.delete_applicant(&applicant.id).unwrap(),
        Deleted::Removed
    );
    assert_eq!(
        script.requests(),
        [
            sent("POST", "/applicants", Some(json!({}))),
            sent(
                "POST",
                "/applicants/a-1/faces",
                Some(json!({"face": {"data": "/9j/4AAQ"}}))
            ),
            sent("GET", "/applicants/a-1", None),
            sent("GET", "/applicants/a-1/faces/f-1", None),
            sent("POST", "/pools", Some(json!({"label": "members"}))),
            sent(
                "POST",
                "/pools/p-1/applicants",
                Some(json!({"applicant_id": "a-1"}))
            ),
            sent(
                "PUT",
                "/sessions/s-1/resources/face-capture/r-1/applicant",
                Some(json!({"applicant_id": "a-1"}))
            ),
            sent("DELETE", "/pools/p-1/applicants/a-1", None),
            sent("DELETE", "/pools/p-1", None),
            sent("DELETE", "/applicants/a-1/faces/f-1", None),
            sent("DELETE", "/applicants/a-1", None),
        ]
    );
}

#[test]
fn a_404_on_delete_is_already_gone_after_one_attempt() {
    let gone = r#"{"code":"APPLICANT_NOT_FOUND","message":"no such applicant"}"#;
    let script = Script::new(&[(404, gone), (404, gone), (404, ""), (404, gone)]);
    let client = script.blocking();
    let aid = ApplicantId::from("a-1");
    let pid = PoolId::from("p-1");
    assert_eq!(client.delete_applicant(&aid).unwrap(), Deleted::AlreadyGone);
    assert!(
        client
            .delete_applicant_face(&aid, &"f-1".into())
            .unwrap()
            .was_already_gone()
    );
    assert_eq!(client.delete_pool(&pid).unwrap(), Deleted::AlreadyGone);
    assert_eq!(
        client.remove_pool_applicant(&pid, &aid).unwrap(),
        Deleted::AlreadyGone
    );
    // one request each: a 404 is never retried
    assert_eq!(script.requests().len(), 4);
    // a 404 on a read stays an error
    let script = Script::new(&[(404, gone)]);
    let err = script.blocking().get_applicant(&aid).unwrap_err();
    assert!(err.is_not_found(), "{err:?}");
}

/// A completed session that passed selfie authentication, with two liveness attempts (the
/// second approved) and the uploaded reference image.
fn passed_session() -> String {
    session_with_face_comparison("APPROVE")
}

fn session_with_face_comparison(recommendation: &str) -> String {
    json!({
        "session_id": "s-1", "state": "COMPLETED",
        "checks": [
            {"type": "LIVENESS", "state": "DONE", "resources_used": ["l-1"], "report": {"recommendation": {"value": "REJECT"}}},
            {"type": "LIVENESS", "state": "DONE", "resources_used": ["l-2"], "report": {"recommendation": {"value": "APPROVE"}}},
            {"type": "FACE_COMPARISON", "state": "DONE", "resources_used": ["f-1"], "report": {"recommendation": {"value": recommendation}}}
        ],
        "resources": {
            "liveness_capture": [
                {"id": "l-1", "liveness_type": "STATIC", "image": {"media": {"id": "m-1", "type": "IMAGE"}}},
                {"id": "l-2", "liveness_type": "STATIC", "image": {"media": {"id": "m-2", "type": "IMAGE"}}}
            ],
            "face_capture": [{"id": "f-1", "image": {"media": {"id": "m-ref", "type": "IMAGE"}}}]
        }
    })
    .to_string()
}

fn enrol_calls(applicant: Option<&str>) -> Vec<Sent> {
    let mut calls = vec![sent("GET", "/sessions/s-1", None)];
    if applicant.is_none() {
        calls.push(sent("POST", "/applicants", Some(json!({}))));
    }
    let aid = applicant.unwrap_or("a-new");
    calls.push(sent(
        "POST",
        &format!("/applicants/{aid}/faces"),
        Some(json!({"face": {"source": {"session_id": "s-1", "media_id": "m-2"}}})),
    ));
    calls.push(sent(
        "POST",
        "/pools/p-1/applicants",
        Some(json!({"applicant_id": aid})),
    ));
    calls
}

#[test]
fn enrol_face_into_a_new_applicant_and_a_pool() {
    let session = passed_session();
    let script = Script::new(&[
        (200, &session),
        (201, r#"{"id":"a-new"}"#),
        (201, r#"{"id":"f-9"}"#),
        (204, ""),
    ]);
    let enrolment = script
        .blocking()
        .enrol_face(&EnrolFace::new("s-1".into()).with_pool("p-1".into()))
        .unwrap();
    assert_eq!(enrolment.applicant_id, "a-new");
    assert_eq!(enrolment.face_id, FaceId::from("f-9"));
    assert_eq!(enrolment.media_id, MediaId::from("m-2"));
    assert!(enrolment.created_applicant);
    assert_eq!(enrolment.pool_id, Some(PoolId::from("p-1")));
    assert_eq!(script.requests(), enrol_calls(None));
}

#[tokio::test]
async fn async_enrol_face_into_an_existing_applicant() {
    let session = passed_session();
    let script = Script::new(&[(200, &session), (201, r#"{"id":"f-9"}"#), (204, "")]);
    let enrolment = script
        .asynchronous()
        .enrol_face(
            &EnrolFace::new("s-1".into())
                .into_applicant("a-old".into())
                .with_pool("p-1".into()),
        )
        .await
        .unwrap();
    assert_eq!(enrolment.applicant_id, "a-old");
    assert!(!enrolment.created_applicant);
    assert_eq!(script.requests(), enrol_calls(Some("a-old")));
}

#[test]
fn enrol_face_refuses_a_session_that_did_not_pass() {
    let failed = session_with_face_comparison("REJECT");
    let script = Script::new(&[(200, &failed)]);
    let err = script
        .blocking()
        .enrol_face(&EnrolFace::new("s-1".into()))
        .unwrap_err();
    match &err {
        Error::InvalidInput(e) => {
            assert_eq!(e.field(), "session");
            assert!(e.to_string().contains("FAIL"), "{e}");
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(script.requests(), [sent("GET", "/sessions/s-1", None)]);
}

#[test]
fn enrol_face_removes_what_it_created_when_a_later_step_fails() {
    let session = passed_session();
    let no_pool = r#"{"code":"POOL_NOT_FOUND","message":"no such pool"}"#;
    // new applicant: the pool add fails, the applicant is deleted again
    let script = Script::new(&[
        (200, &session),
        (201, r#"{"id":"a-new"}"#),
        (201, r#"{"id":"f-9"}"#),
        (404, no_pool),
        (204, ""),
    ]);
    let err = script
        .blocking()
        .enrol_face(&EnrolFace::new("s-1".into()).with_pool("p-1".into()))
        .unwrap_err();
    assert!(err.is_not_found(), "{err:?}");
    let mut want = enrol_calls(None);
    want.push(sent("DELETE", "/applicants/a-new", None));
    assert_eq!(script.requests(), want);
    // existing applicant: only the added face is deleted
    let script = Script::new(&[
        (200, &session),
        (201, r#"{"id":"f-9"}"#),
        (404, no_pool),
        (204, ""),
    ]);
    script
        .blocking()
        .enrol_face(
            &EnrolFace::new("s-1".into())
                .into_applicant("a-old".into())
                .with_pool("p-1".into()),
        )
        .unwrap_err();
    let mut want = enrol_calls(Some("a-old"));
    want.push(sent("DELETE", "/applicants/a-old/faces/f-9", None));
    assert_eq!(script.requests(), want);
}

#[test]
fn the_sandbox_agent_sends_the_liveness_image() {
    let script = Script::new(&[(204, "")]);
    let client = script.blocking();
    client
        .sandbox_complete_session_with(
            &SandboxAgentPayload::new("s-1", ClientSessionToken::new("tok-77"))
                .with_liveness_image(FaceImageData::new(JPEG)),
        )
        .unwrap();
    let requests = script.requests();
    assert_eq!(requests[0].method, "POST");
    assert_eq!(requests[0].path, "/agent");
    assert_eq!(
        requests[0].body,
        Some(
            json!({"session_id": "s-1", "client_session_token": "tok-77", "liveness_image": "/9j/4AAQ"})
        )
    );
}
