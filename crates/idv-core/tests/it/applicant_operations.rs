//! The Face Search operations (applicants, faces, pools, the face-capture attach): the exact
//! method, path, query, headers and JSON body of each request, its signature, and the parsing
//! of the documented responses (including 404 on a delete).

// Test helpers: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used)]

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use idv_auth::{FixedNonce, FixedTimestamp, PrivateKey, RequestSigner, string_to_sign};
use idv_core::operations::*;
use idv_core::request::BaseUrl;
use idv_core::{Error, Operation};
use idv_model::*;
use serde_json::{Value, json};

const KEY: &str = idv_test_support::keys::TEST_KEY;
const SDK_ID: &str = "6e7f4c8a-1b2d-4e3f-9a0b-c1d2e3f4a5b6";
const TS: u64 = 1_767_225_600_000;

fn build<O: Operation>(op: &O) -> http::Request<Vec<u8>> {
    let signer = RequestSigner::new(SDK_ID, PrivateKey::from_pem(KEY).unwrap())
        .with_nonce_source(FixedNonce("n-1".to_owned()))
        .with_timestamp_source(FixedTimestamp(TS));
    op.request()
        .unwrap()
        .to_http(&BaseUrl::default(), &signer)
        .unwrap()
}

/// Method, path and query as sent; the body as JSON (or `None`); the signature checked.
fn sent<O: Operation>(op: &O) -> (http::Method, String, Option<Value>) {
    let req = build(op);
    let target = req.uri().path_and_query().unwrap().as_str().to_owned();
    let path = target.strip_prefix("/idverify/v1").unwrap().to_owned();
    let query = format!("sdkId={SDK_ID}&nonce=n-1&timestamp={TS}");
    let (bare, q) = path.split_once('?').unwrap();
    assert_eq!(q, query, "query of {path}");
    let body = (!req.body().is_empty()).then(|| req.body().as_slice());
    if body.is_some() {
        assert_eq!(req.headers()["content-type"], "application/json");
    }
    // the digest is the signature of METHOD&path?query[&base64(body)]
    let digest = STANDARD
        .decode(req.headers()["x-yoti-auth-digest"].as_bytes())
        .unwrap();
    let message = string_to_sign(req.method().as_str(), &path, body);
    PrivateKey::from_pem(KEY)
        .unwrap()
        .public_key()
        .verify(message.as_bytes(), &digest)
        .unwrap();
    (
        req.method().clone(),
        bare.to_owned(),
        body.map(|b| serde_json::from_slice(b).unwrap()),
    )
}

fn response(status: u16, body: &str) -> http::Response<Vec<u8>> {
    let mut b = http::Response::builder().status(status);
    if !body.is_empty() {
        b = b.header("content-type", "application/json");
    }
    b.body(body.as_bytes().to_vec()).unwrap()
}

/// The parser of one delete operation.
type Parser<'a> = Box<dyn Fn(http::Response<Vec<u8>>) -> Result<Deleted, Error> + 'a>;

const JPEG: &[u8] = &[0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10];

#[test]
fn create_applicant_with_and_without_a_face() {
    let empty = CreateApplicantPayload::new();
    let op = CreateApplicant { payload: &empty };
    assert_eq!(
        sent(&op),
        (http::Method::POST, "/applicants".into(), Some(json!({})))
    );
    assert!(!op.is_idempotent());
    let face = CreateApplicantPayload::with_first_face(FacePayload::image(JPEG));
    let op = CreateApplicant { payload: &face };
    assert_eq!(
        sent(&op).2,
        Some(json!({"face": {"data": STANDARD.encode(JPEG)}}))
    );
    let created = op
        .parse(response(
            201,
            r#"{"id":"a-1","created_at":"2025-05-29T11:15:03Z","last_updated":"2025-05-29T11:15:03Z","faces":{"faces":[]},"pools":[]}"#,
        ))
        .unwrap();
    assert_eq!(created.id, ApplicantId::from("a-1"));
    // any 2xx
    assert!(op.parse(response(200, r#"{"id":"a-1"}"#)).is_ok());
    let err = op
        .parse(response(
            400,
            r#"{"code":"PAYLOAD_VALIDATION","message":"bad"}"#,
        ))
        .unwrap_err();
    assert_eq!(err.status(), Some(http::StatusCode::BAD_REQUEST));
}

#[test]
fn add_face_inline_or_from_a_session_media() {
    let aid = ApplicantId::from("a-1");
    let inline = AddFacePayload::new(FacePayload::image(JPEG));
    let op = AddApplicantFace {
        applicant_id: &aid,
        payload: &inline,
    };
    assert_eq!(
        sent(&op),
        (
            http::Method::POST,
            "/applicants/a-1/faces".into(),
            Some(json!({"face": {"data": "/9j/4AAQ"}}))
        )
    );
    assert!(!op.is_idempotent());
    let media = AddFacePayload::new(FacePayload::session_media("s-1".into(), "m-1".into()));
    let op = AddApplicantFace {
        applicant_id: &aid,
        payload: &media,
    };
    assert_eq!(
        sent(&op).2,
        Some(json!({"face": {"source": {"session_id": "s-1", "media_id": "m-1"}}}))
    );
    let added = op.parse(response(201, r#"{"id":"f-1"}"#)).unwrap();
    assert_eq!(added.id, FaceId::from("f-1"));
    let err = op
        .parse(response(
            404,
            r#"{"code":"APPLICANT_NOT_FOUND","message":"no such applicant"}"#,
        ))
        .unwrap_err();
    assert!(err.is_not_found());
}

#[test]
fn a_face_needs_exactly_one_of_data_and_source() {
    let aid = ApplicantId::from("a-1");
    for (face, field) in [
        (FacePayload::new(), "face"),
        (FacePayload::image(Vec::new()), "face.data"),
        (
            FacePayload::image(JPEG).with_source(FaceSource::new("s", "m")),
            "face",
        ),
        (
            FacePayload::session_media("".into(), "m".into()),
            "face.source.session_id",
        ),
        (
            FacePayload::session_media("s".into(), "..".into()),
            "face.source.media_id",
        ),
    ] {
        let payload = AddFacePayload::new(face);
        let op = AddApplicantFace {
            applicant_id: &aid,
            payload: &payload,
        };
        match op.request() {
            Err(Error::InvalidInput(e)) => assert_eq!(e.field(), field),
            other => panic!("{field}: {other:?}"),
        }
    }
    let bad = CreateApplicantPayload::with_first_face(FacePayload::new());
    assert!(matches!(
        CreateApplicant { payload: &bad }.request(),
        Err(Error::InvalidInput(_))
    ));
    let empty = AddFacePayload::new(FacePayload::image(JPEG));
    assert!(matches!(
        AddApplicantFace {
            applicant_id: &"".into(),
            payload: &empty
        }
        .request(),
        Err(Error::InvalidInput(_))
    ));
}

#[test]
fn get_applicant_and_face_use_the_plural_read_path() {
    assert_eq!(APPLICANT_READ_PREFIX, "/applicants");
    let aid = ApplicantId::from("a/1");
    let op = GetApplicant { applicant_id: &aid };
    assert_eq!(
        sent(&op),
        (http::Method::GET, "/applicants/a%2F1".into(), None)
    );
    assert!(op.is_idempotent());
    let a = op
        .parse(response(
            200,
            r#"{"id":"a/1","faces":{"archetype_face":"f-1","faces":[]},"pools":[{"id":"p-1","label":"members"}]}"#,
        ))
        .unwrap();
    assert_eq!(a.faces.archetype_face, Some(FaceId::from("f-1")));
    assert_eq!(a.pools[0].id, PoolId::from("p-1"));

    let fid = FaceId::from("f-1");
    let op = GetApplicantFace {
        applicant_id: &aid,
        face_id: &fid,
    };
    assert_eq!(
        sent(&op),
        (
            http::Method::GET,
            "/applicants/a%2F1/faces/f-1".into(),
            None
        )
    );
    assert!(op.is_media());
    let face = op
        .parse(response(
            200,
            r#"{"face":{"data":"/9j/4AAQ","content_type":"image/jpeg"}}"#,
        ))
        .unwrap();
    assert_eq!(face.face.data.as_bytes(), JPEG);
    assert!(matches!(
        op.parse(response(200, r#"{"face":{"data":"%%"}}"#)),
        Err(Error::Decode(_))
    ));
}

#[test]
fn pools_create_add_and_attach() {
    let payload = CreatePoolPayload::new("returning customers");
    let op = CreatePool { payload: &payload };
    assert_eq!(
        sent(&op),
        (
            http::Method::POST,
            "/pools".into(),
            Some(json!({"label": "returning customers"}))
        )
    );
    assert!(!op.is_idempotent());
    let pool = op
        .parse(response(
            200,
            r#"{"id":"p-1","label":"returning customers"}"#,
        ))
        .unwrap();
    assert_eq!(pool.id, PoolId::from("p-1"));

    let (pid, aid) = (PoolId::from("p-1"), ApplicantId::from("a-1"));
    let op = AddPoolApplicant {
        pool_id: &pid,
        applicant_id: &aid,
    };
    assert_eq!(
        sent(&op),
        (
            http::Method::POST,
            "/pools/p-1/applicants".into(),
            Some(json!({"applicant_id": "a-1"}))
        )
    );
    assert!(!op.is_idempotent());
    op.parse(response(204, "")).unwrap();
    let dup = op
        .parse(response(409, r#"{"code":"CONFLICT"}"#))
        .unwrap_err();
    assert_eq!(dup.status(), Some(http::StatusCode::CONFLICT));

    let (sid, rid) = (SessionId::from("s-1"), ResourceId::from("r-1"));
    let op = AttachFaceCaptureApplicant {
        session_id: &sid,
        resource_id: &rid,
        applicant_id: &aid,
    };
    assert_eq!(
        sent(&op),
        (
            http::Method::PUT,
            "/sessions/s-1/resources/face-capture/r-1/applicant".into(),
            Some(json!({"applicant_id": "a-1"}))
        )
    );
    assert!(op.is_idempotent());
    op.parse(response(200, "")).unwrap();
    let expired = op
        .parse(response(409, r#"{"code":"SESSION_EXPIRED"}"#))
        .unwrap_err();
    assert_eq!(expired.status(), Some(http::StatusCode::CONFLICT));
}

#[test]
fn deletes_report_404_as_already_gone() {
    let (aid, fid, pid) = (
        ApplicantId::from("a-1"),
        FaceId::from("f-1"),
        PoolId::from("p-1"),
    );
    let cases: Vec<(Parser<'_>, http::Request<Vec<u8>>, &str)> = vec![
        {
            let op = DeleteApplicant { applicant_id: &aid };
            assert!(op.is_idempotent());
            let req = build(&op);
            (Box::new(move |r| op.parse(r)), req, "/applicants/a-1")
        },
        {
            let op = DeleteApplicantFace {
                applicant_id: &aid,
                face_id: &fid,
            };
            let req = build(&op);
            (
                Box::new(move |r| op.parse(r)),
                req,
                "/applicants/a-1/faces/f-1",
            )
        },
        {
            let op = DeletePool { pool_id: &pid };
            let req = build(&op);
            (Box::new(move |r| op.parse(r)), req, "/pools/p-1")
        },
        {
            let op = RemovePoolApplicant {
                pool_id: &pid,
                applicant_id: &aid,
            };
            let req = build(&op);
            (
                Box::new(move |r| op.parse(r)),
                req,
                "/pools/p-1/applicants/a-1",
            )
        },
    ];
    for (parse, req, path) in cases {
        assert_eq!(req.method(), http::Method::DELETE);
        assert_eq!(req.uri().path(), format!("/idverify/v1{path}"), "{path}");
        assert!(req.body().is_empty());
        assert_eq!(parse(response(204, "")).unwrap(), Deleted::Removed);
        let gone = parse(response(404, r#"{"code":"NOT_FOUND"}"#)).unwrap();
        assert_eq!(gone, Deleted::AlreadyGone);
        assert!(gone.was_already_gone());
        assert!(matches!(parse(response(403, "")), Err(Error::Api(_))));
        // a 404 that says the SDK id is unknown is a misconfiguration, not "gone"
        assert!(matches!(
            parse(response(404, r#"{"code":"APPLICATION_NOT_FOUND"}"#)),
            Err(Error::Config(e)) if e.kind() == idv_core::ConfigErrorKind::UnknownSdkId
        ));
    }
    assert!(matches!(
        DeletePool {
            pool_id: &"".into()
        }
        .request(),
        Err(Error::InvalidInput(_))
    ));
}

#[test]
fn familiar_face_search_is_sent_in_the_session_specification() {
    let spec = SessionSpecification::new()
        .with_requested_check(RequestedLivenessCheck::static_liveness().with_max_retries(3))
        .with_requested_check(RequestedFamiliarFaceSearchCheck::new(
            "p-1",
            ApprovalCriteria::Match,
        ));
    let (_, _, body) = sent(&CreateSession { spec: &spec });
    assert_eq!(
        body.unwrap()["requested_checks"][1],
        json!({"type": "FAMILIAR_FACE_SEARCH", "config": {"pool_id": "p-1", "approval_criteria": "MATCH"}})
    );
}
