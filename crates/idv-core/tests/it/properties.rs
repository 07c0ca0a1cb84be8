//! Properties over hostile input: any identifier stays inside its path segment; any response
//! body decodes or errors, never panics.

// Test helpers: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used)]

use idv_auth::{FixedNonce, FixedTimestamp, PrivateKey, RequestSigner};
use idv_core::Operation;
use idv_core::operations::{GetMediaContent, GetSession, GetSessionConfiguration};
use idv_core::request::BaseUrl;
use proptest::prelude::*;
use serde_json::Value;

const KEY: &str = idv_test_support::keys::TEST_KEY;

fn signer() -> RequestSigner {
    RequestSigner::new("sdk", PrivateKey::from_pem(KEY).unwrap())
        .with_nonce_source(FixedNonce("n".to_owned()))
        .with_timestamp_source(FixedTimestamp(1))
}

fn json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>()
            .prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
        ".{0,12}".prop_map(Value::String),
        prop_oneof![
            Just("LIVENESS"),
            Just("FACE_COMPARISON"),
            Just("DONE"),
            Just("APPROVE"),
            Just("STATIC"),
            Just("COMPLETED"),
            Just("type"),
            Just("checks")
        ]
        .prop_map(|s| Value::String(s.to_owned())),
    ];
    let keys = prop_oneof![
        Just("session_id"),
        Just("state"),
        Just("checks"),
        Just("resources"),
        Just("type"),
        Just("id"),
        Just("report"),
        Just("recommendation"),
        Just("value"),
        Just("breakdown"),
        Just("liveness_capture"),
        Just("face_capture"),
        Just("image"),
        Just("media"),
        Just("client_session_token_ttl"),
        Just("client_session_token"),
        Just("capture"),
        Just("required_resources"),
        Just("details"),
        Just("unknown_field")
    ];
    leaf.prop_recursive(6, 96, 8, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec((keys.clone(), inner), 0..8).prop_map(|kv| {
                Value::Object(kv.into_iter().map(|(k, v)| (k.to_owned(), v)).collect())
            }),
        ]
    })
}

fn response(body: Vec<u8>) -> http::Response<Vec<u8>> {
    http::Response::builder()
        .status(200)
        .header("content-type", "application/json")
        .body(body)
        .unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Whatever the caller passes as ids, the request targets exactly the intended endpoint:
    /// the id occupies one path segment and decodes back to itself.
    #[test]
    fn any_identifier_stays_in_its_segment(sid in any::<String>(), mid in any::<String>()) {
        let op = GetMediaContent { session_id: &sid.as_str().into(), media_id: &mid.as_str().into() };
        match op.request() {
            Err(_) => prop_assert!(sid.is_empty() || mid.is_empty() || sid == "." || sid == ".." || mid == "." || mid == ".."),
            Ok(req) => {
                let http = req.to_http(&BaseUrl::default(), &signer()).unwrap();
                let uri = http.uri();
                prop_assert_eq!(uri.host(), Some("api.yoti.com"));
                prop_assert_eq!(uri.query().unwrap(), "sdkId=sdk&nonce=n&timestamp=1");
                let segments: Vec<&str> = uri.path().split('/').collect();
                prop_assert_eq!(segments.len(), 8, "{}", uri.path());
                prop_assert_eq!(&segments[..4], &["", "idverify", "v1", "sessions"]);
                prop_assert_eq!(segments[5], "media");
                prop_assert_eq!(segments[7], "content");
                for (segment, original) in [(segments[4], &sid), (segments[6], &mid)] {
                    prop_assert!(segment.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_.!~*()%".contains(&b)));
                    let decoded = percent_encoding::percent_decode_str(segment).decode_utf8().unwrap();
                    prop_assert_eq!(decoded.as_ref(), original.as_str());
                }
            }
        }
        let op = GetSessionConfiguration { session_id: &sid.as_str().into() };
        if let Ok(req) = op.request() {
            let http = req.to_http(&BaseUrl::default(), &signer()).unwrap();
            prop_assert!(http.uri().path().starts_with("/idverify/v1/sessions/"));
            prop_assert!(http.uri().path().ends_with("/configuration"));
            prop_assert_eq!(http.uri().path().matches('/').count(), 5);
        }
    }

    /// Any JSON value as a session result or a configuration decodes or errors: no panic.
    #[test]
    fn any_json_decodes_or_errors(value in json()) {
        let body = serde_json::to_vec(&value).unwrap();
        let _ = GetSession { session_id: &"s".into() }.parse(response(body.clone()));
        let _ = GetSessionConfiguration { session_id: &"s".into() }.parse(response(body));
    }

    /// Any bytes as a body: an error or a value, no panic.
    #[test]
    fn any_bytes_decode_or_error(body in prop::collection::vec(any::<u8>(), 0..512)) {
        let _ = GetSession { session_id: &"s".into() }.parse(response(body));
    }
}

#[test]
fn deep_nesting_is_an_error_not_a_stack_overflow() {
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    let err = GetSession {
        session_id: &"s".into(),
    }
    .parse(response(deep.into_bytes()))
    .unwrap_err();
    assert!(matches!(err, idv_core::Error::Decode(_)));
    let deep = format!(
        "{{\"checks\":{}{}}}",
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    assert!(
        GetSession {
            session_id: &"s".into()
        }
        .parse(response(deep.into_bytes()))
        .is_err()
    );
}

/// The query of `request` as decoded `(name, value)` pairs, and whether the digest header
/// verifies over exactly the target that is sent (the base URL's path prefix removed).
fn sent_query_and_signature_ok(request: &http::Request<Vec<u8>>) -> (Vec<(String, String)>, bool) {
    let decode = |s: &str| {
        percent_encoding::percent_decode_str(s)
            .decode_utf8()
            .unwrap()
            .into_owned()
    };
    let target = request.uri().path_and_query().unwrap().as_str();
    let signed_target = target.strip_prefix("/idverify/v1").unwrap();
    let digest = request.headers()["x-yoti-auth-digest"].to_str().unwrap();
    let signature = {
        use base64::Engine as _;
        base64::engine::general_purpose::STANDARD
            .decode(digest)
            .unwrap()
    };
    let message = idv_auth::string_to_sign(request.method().as_str(), signed_target, None);
    let public = PrivateKey::from_pem(KEY).unwrap().public_key();
    let verified = public.verify(message.as_bytes(), &signature).is_ok();
    let pairs = request
        .uri()
        .query()
        .unwrap()
        .split('&')
        .map(|pair| {
            let (name, value) = pair.split_once('=').unwrap();
            (decode(name), decode(value))
        })
        .collect();
    (pairs, verified)
}

#[test]
fn a_hostile_query_name_stays_one_parameter() {
    let request = idv_core::ApiRequest::new(http::Method::GET, "/sessions".to_owned())
        .with_query("a&sdkId=evil b#c", "v&w=x");
    let http = request.to_http(&BaseUrl::default(), &signer()).unwrap();
    assert_eq!(
        http.uri().query().unwrap(),
        "a%26sdkId%3Devil%20b%23c=v%26w%3Dx&sdkId=sdk&nonce=n&timestamp=1"
    );
    let (pairs, verified) = sent_query_and_signature_ok(&http);
    assert!(verified, "the digest covers the target that is sent");
    assert_eq!(
        pairs,
        [
            ("a&sdkId=evil b#c".to_owned(), "v&w=x".to_owned()),
            ("sdkId".to_owned(), "sdk".to_owned()),
            ("nonce".to_owned(), "n".to_owned()),
            ("timestamp".to_owned(), "1".to_owned()),
        ]
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Any parameter name and value stay one parameter, and the signature covers what is sent.
    #[test]
    fn any_query_name_stays_one_parameter(name in any::<String>(), value in any::<String>()) {
        // `with_query` takes a `&'static str` name; leaking a test string is fine here.
        let leaked: &'static str = Box::leak(name.clone().into_boxed_str());
        let request = idv_core::ApiRequest::new(http::Method::GET, "/sessions".to_owned())
            .with_query(leaked, value.clone());
        let http = request.to_http(&BaseUrl::default(), &signer()).unwrap();
        let (pairs, verified) = sent_query_and_signature_ok(&http);
        prop_assert!(verified);
        prop_assert_eq!(pairs.len(), 4);
        prop_assert_eq!(&pairs[0], &(name, value));
    }
}

/// A content type that would break out of its part header is refused before any request
/// exists, so nothing is sent.
#[test]
fn an_upload_content_type_with_crlf_is_refused_before_sending() {
    use idv_core::operations::UploadFaceCaptureImage;
    use idv_model::UploadFaceCaptureImagePayload;
    for content_type in [
        "image/png\r\nX-Injected: 1",
        "image/png\n",
        "image/\u{1}png",
    ] {
        let payload = UploadFaceCaptureImagePayload::new(content_type, vec![1, 2, 3]);
        let err = UploadFaceCaptureImage {
            session_id: &"s1".into(),
            resource_id: &"r1".into(),
            payload: &payload,
        }
        .request()
        .unwrap_err();
        match err {
            idv_core::Error::InvalidInput(e) => assert_eq!(e.field(), "content_type"),
            other => panic!("expected InvalidInput, got {other:?}"),
        }
    }
}
