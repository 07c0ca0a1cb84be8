//! Notifications: `Authorization` verification (Basic and Bearer), payload parsing, limits,
//! and that no secret reaches `Debug` or an error message.

use http::HeaderMap;
use http::header::{AUTHORIZATION, HeaderValue};
use idv_core::notifications::{
    AuthType, MAX_BODY_BYTES, Notification, NotificationAuth, NotificationError, Topic,
};

const BASIC_TOKEN: &str = "username:password";
/// `base64("username:password")`, the example of Yoti's documentation.
const BASIC_HEADER: &str = "Basic dXNlcm5hbWU6cGFzc3dvcmQ=";
const BEARER_TOKEN: &str = "b3arer-t0ken.with~chars";

fn headers(values: &[&str]) -> HeaderMap {
    let mut map = HeaderMap::new();
    for v in values {
        map.append(
            AUTHORIZATION,
            HeaderValue::from_str(v).expect("header value"),
        );
    }
    map
}

fn body(topic: &str) -> Vec<u8> {
    format!(r#"{{"session_id":"0a1b2c3d","topic":"{topic}"}}"#).into_bytes()
}

// --- Authorization ---------------------------------------------------------------------------

#[test]
fn basic_accepts_the_documented_header_and_case_variants() {
    let auth = NotificationAuth::basic(BASIC_TOKEN);
    for value in [
        BASIC_HEADER,
        "basic dXNlcm5hbWU6cGFzc3dvcmQ=",
        "BASIC dXNlcm5hbWU6cGFzc3dvcmQ=",
        "Basic   dXNlcm5hbWU6cGFzc3dvcmQ=  ",
        "Basic dXNlcm5hbWU6cGFzc3dvcmQ", // without padding
    ] {
        assert_eq!(auth.verify(&headers(&[value])), Ok(()), "{value}");
    }
}

#[test]
fn basic_header_is_what_yoti_sends() {
    let auth = NotificationAuth::basic(BASIC_TOKEN);
    let value = auth.to_header_value().expect("valid header");
    assert_eq!(value, BASIC_HEADER);
    assert!(value.is_sensitive());
    let bearer = NotificationAuth::bearer(BEARER_TOKEN).to_header_value();
    assert_eq!(
        bearer.expect("valid header"),
        format!("Bearer {BEARER_TOKEN}").as_str()
    );
    assert!(
        NotificationAuth::bearer("bad\ntoken")
            .to_header_value()
            .is_none()
    );
}

#[test]
fn basic_rejects_wrong_credentials_and_schemes() {
    let auth = NotificationAuth::basic(BASIC_TOKEN);
    let cases: &[(&str, NotificationError)] = &[
        // the token itself, not base64-encoded
        (
            "Basic username:password",
            NotificationError::WrongCredentials,
        ),
        // base64 of another token
        (
            "Basic dXNlcm5hbWU6d3Jvbmc=",
            NotificationError::WrongCredentials,
        ),
        // a prefix of the right one
        ("Basic dXNlcm5hbWU6", NotificationError::WrongCredentials),
        (
            "Basic !!!not-base64!!!",
            NotificationError::WrongCredentials,
        ),
        ("Basic", NotificationError::WrongCredentials),
        (
            "Bearer dXNlcm5hbWU6cGFzc3dvcmQ=",
            NotificationError::WrongScheme {
                expected: AuthType::Basic,
            },
        ),
        (
            "dXNlcm5hbWU6cGFzc3dvcmQ=",
            NotificationError::WrongScheme {
                expected: AuthType::Basic,
            },
        ),
        (
            "Basicx dXNlcm5hbWU6cGFzc3dvcmQ=",
            NotificationError::WrongScheme {
                expected: AuthType::Basic,
            },
        ),
    ];
    for (value, expected) in cases {
        let err = auth.verify(&headers(&[value])).expect_err(value);
        assert_eq!(&err, expected, "{value}");
        assert!(err.is_unauthorized());
        assert_eq!(err.status(), http::StatusCode::UNAUTHORIZED);
    }
}

#[test]
fn bearer_accepts_the_token_and_rejects_anything_else() {
    let auth = NotificationAuth::bearer(BEARER_TOKEN);
    assert_eq!(auth.auth_type(), AuthType::Bearer);
    for value in [
        format!("Bearer {BEARER_TOKEN}"),
        format!("bearer {BEARER_TOKEN}"),
        format!("BEARER\t{BEARER_TOKEN}"),
    ] {
        assert_eq!(auth.verify(&headers(&[&value])), Ok(()), "{value}");
    }
    let wrong = [
        (
            format!("Bearer {BEARER_TOKEN}x"),
            NotificationError::WrongCredentials,
        ),
        (
            format!("Bearer {}", &BEARER_TOKEN[1..]),
            NotificationError::WrongCredentials,
        ),
        (
            format!("Bearer {}", BEARER_TOKEN.to_uppercase()),
            NotificationError::WrongCredentials,
        ),
        ("Bearer ".to_owned(), NotificationError::WrongCredentials),
        (
            format!("Basic {BEARER_TOKEN}"),
            NotificationError::WrongScheme {
                expected: AuthType::Bearer,
            },
        ),
        (
            BEARER_TOKEN.to_owned(),
            NotificationError::WrongScheme {
                expected: AuthType::Bearer,
            },
        ),
    ];
    for (value, expected) in wrong {
        assert_eq!(auth.verify(&headers(&[&value])), Err(expected), "{value}");
    }
}

#[test]
fn missing_and_repeated_headers_are_refused() {
    let auth = NotificationAuth::basic(BASIC_TOKEN);
    assert_eq!(
        auth.verify(&HeaderMap::new()),
        Err(NotificationError::MissingAuthorization)
    );
    // even when one of them is right
    assert_eq!(
        auth.verify(&headers(&[BASIC_HEADER, BASIC_HEADER])),
        Err(NotificationError::MultipleAuthorization)
    );
    assert_eq!(
        auth.verify(&headers(&["Basic d3Jvbmc=", BASIC_HEADER])),
        Err(NotificationError::MultipleAuthorization)
    );
}

#[test]
fn an_empty_token_never_verifies() {
    for auth in [NotificationAuth::basic(""), NotificationAuth::bearer("")] {
        let scheme = auth.auth_type().scheme();
        assert_eq!(
            auth.verify(&headers(&[scheme])),
            Err(NotificationError::WrongCredentials)
        );
        assert_eq!(
            auth.verify(&headers(&[&format!("{scheme} =")])),
            Err(NotificationError::WrongCredentials)
        );
    }
}

#[test]
fn auth_type_names() {
    assert_eq!(AuthType::parse("basic"), Some(AuthType::Basic));
    assert_eq!(AuthType::parse("BEARER"), Some(AuthType::Bearer));
    assert_eq!(AuthType::parse("digest"), None);
    assert_eq!(AuthType::Basic.as_spec_str(), "BASIC");
    assert_eq!(AuthType::Bearer.scheme(), "Bearer");
}

// --- Payload ---------------------------------------------------------------------------------

const ALL_TOPICS: [(&str, Topic); 9] = [
    ("resource_update", Topic::ResourceUpdate),
    ("task_completion", Topic::TaskCompletion),
    ("check_completion", Topic::CheckCompletion),
    ("session_completion", Topic::SessionCompletion),
    (
        "client_session_token_deleted",
        Topic::ClientSessionTokenDeleted,
    ),
    ("new_pdf_supplied", Topic::NewPdfSupplied),
    (
        "instructions_email_requested",
        Topic::InstructionsEmailRequested,
    ),
    ("thank_you_email_requested", Topic::ThankYouEmailRequested),
    ("first_branch_visit", Topic::FirstBranchVisit),
];

#[test]
fn every_known_topic_parses_in_lower_and_upper_case() {
    for (wire, topic) in ALL_TOPICS {
        for raw in [wire.to_owned(), wire.to_uppercase()] {
            let n = Notification::from_slice(&body(&raw)).expect(wire);
            assert_eq!(n.topic, topic, "{raw}");
            assert_eq!(n.session_id, "0a1b2c3d");
            assert!(n.topic.is_known());
        }
        assert_eq!(topic.as_str(), wire);
        assert_eq!(topic.as_spec_str(), wire.to_uppercase());
        assert_eq!(topic.to_string(), wire);
        assert_eq!(wire.parse::<Topic>(), Ok(topic.clone()));
    }
    assert_eq!(Topic::known().count(), ALL_TOPICS.len());
    assert!(Topic::FirstBranchVisit.is_ibv());
    assert!(!Topic::SessionCompletion.is_ibv());
}

#[test]
fn documented_payloads_parse_with_their_ids() {
    let n = Notification::from_slice(
        br#"{"session_id":"s1","check_id":"c1","topic":"check_completion"}"#,
    )
    .expect("check completion");
    assert_eq!(n.check_id.as_deref(), Some("c1"));
    assert_eq!(
        (n.task_id.as_deref(), n.resource_id.as_deref()),
        (None, None)
    );
    assert!(n.extra.is_empty());

    let n = Notification::from_slice(
        br#"{"session_id":"s1","task_id":"t1","topic":"task_completion"}"#,
    )
    .expect("task completion");
    assert_eq!(n.task_id.as_deref(), Some("t1"));

    let n = Notification::from_slice(
        br#"{"session_id":"s1","resource_id":"r1","topic":"resource_update","check_id":null}"#,
    )
    .expect("resource update");
    assert_eq!(n.resource_id.as_deref(), Some("r1"));
    assert_eq!(n.check_id, None);
}

#[test]
fn unknown_topics_and_extra_fields_are_kept() {
    let raw = br#"{"session_id":"s1","topic":"Brand_New_Topic","attempt":2,
                   "nested":{"a":[1,2]},"when":"2026-01-01T00:00:00Z"}"#;
    let n = Notification::from_slice(raw).expect("parses");
    assert_eq!(n.topic, Topic::Unknown("Brand_New_Topic".to_owned()));
    assert!(!n.topic.is_known());
    assert_eq!(n.topic.as_str(), "Brand_New_Topic");
    assert_eq!(n.topic.as_spec_str(), "BRAND_NEW_TOPIC");
    assert_eq!(n.extra.len(), 3);
    assert_eq!(n.extra["attempt"], 2);
    assert_eq!(n.extra["nested"]["a"][1], 2);

    // and they survive a round trip
    let json = serde_json::to_vec(&n).expect("serialises");
    let again: Notification = serde_json::from_slice(&json).expect("deserialises");
    assert_eq!(again, n);
}

#[test]
fn serialises_like_the_service() {
    let n = Notification::new("s1", Topic::CheckCompletion).with_check_id("c1");
    let json: serde_json::Value = serde_json::to_value(&n).expect("serialises");
    assert_eq!(
        json,
        serde_json::json!({"session_id": "s1", "topic": "check_completion", "check_id": "c1"})
    );
}

#[test]
fn malformed_bodies_are_refused_with_a_reason_and_no_value() {
    let cases: &[(&[u8], &str)] = &[
        (b"", "empty"),
        (b"  \n", "empty"),
        (b"{", "not valid JSON"),
        (b"not json at all", "not valid JSON"),
        (b"[1,2]", "not a JSON object"),
        (b"\"session_completion\"", "not a JSON object"),
        (
            br#"{"topic":"session_completion"}"#,
            "`session_id` is missing",
        ),
        (br#"{"session_id":"s1"}"#, "`topic` is missing"),
        (br#"{"session_id":"s1","topic":""}"#, "`topic` is empty"),
        (
            br#"{"session_id":42,"topic":"session_completion"}"#,
            "`session_id` is not a string",
        ),
        (
            br#"{"session_id":"s1","topic":"check_completion","check_id":{"secret":"x"}}"#,
            "`check_id` is not a string",
        ),
        (b"\xff\xfe", "not valid JSON"),
    ];
    for (raw, reason) in cases {
        let err = Notification::from_slice(raw).expect_err(reason);
        assert_eq!(err.status(), http::StatusCode::BAD_REQUEST);
        assert!(!err.is_unauthorized());
        let text = err.to_string();
        assert!(text.contains(reason), "{text:?} should contain {reason:?}");
        assert!(!text.contains("secret") && !text.contains("42"), "{text}");
    }
}

#[test]
fn oversized_bodies_are_refused_before_parsing() {
    let mut big = body("session_completion");
    big.truncate(big.len() - 1);
    big.extend(std::iter::repeat_n(b' ', MAX_BODY_BYTES));
    big.push(b'}');
    let err = Notification::from_slice(&big).expect_err("too large");
    assert_eq!(
        err,
        NotificationError::BodyTooLarge {
            size: big.len(),
            limit: MAX_BODY_BYTES
        }
    );
    assert_eq!(err.status(), http::StatusCode::PAYLOAD_TOO_LARGE);

    // exactly at the limit is fine
    let mut at_limit = body("session_completion");
    let pad = MAX_BODY_BYTES - at_limit.len();
    at_limit.splice(1..1, std::iter::repeat_n(b' ', pad));
    assert_eq!(at_limit.len(), MAX_BODY_BYTES);
    assert!(Notification::from_slice(&at_limit).is_ok());
}

// --- Both together ---------------------------------------------------------------------------

#[test]
fn from_request_checks_the_header_before_the_body() {
    let auth = NotificationAuth::basic(BASIC_TOKEN);
    let ok = Notification::from_request(
        &headers(&[BASIC_HEADER]),
        &body("session_completion"),
        &auth,
    )
    .expect("accepted");
    assert_eq!(ok.topic, Topic::SessionCompletion);

    // a wrong header wins over a malformed body
    assert_eq!(
        Notification::from_request(&headers(&["Basic d3Jvbmc="]), b"{", &auth),
        Err(NotificationError::WrongCredentials)
    );
    assert_eq!(
        Notification::from_request(&headers(&[BASIC_HEADER]), b"{", &auth).map_err(|e| e.status()),
        Err(http::StatusCode::BAD_REQUEST)
    );

    let request = http::Request::post("/notifications")
        .header(AUTHORIZATION, BASIC_HEADER)
        .body(body("check_completion"))
        .expect("request");
    let n = Notification::from_http_request(&request, &auth).expect("accepted");
    assert_eq!(n.topic, Topic::CheckCompletion);
}

// --- Secrets ---------------------------------------------------------------------------------

#[test]
fn debug_and_errors_never_show_the_token_or_the_header() {
    let secret = "super-secret-token-value";
    for auth in [
        NotificationAuth::basic(secret),
        NotificationAuth::bearer(secret),
    ] {
        let debug = format!("{auth:?} {:#?}", auth.clone());
        assert!(!debug.contains(secret), "{debug}");
        assert!(debug.contains("<redacted>"));
        assert_eq!(auth.expose_token(), secret);
        let header_debug = format!("{:?}", auth.to_header_value());
        assert!(!header_debug.contains(secret), "{header_debug}");

        let near_misses = [
            format!("Bearer {secret}x"),
            format!("Basic {secret}"),
            format!("Digest {secret}"),
            format!("Bearer {secret}"),
        ];
        for value in near_misses {
            if let Err(e) = auth.verify(&headers(&[&value])) {
                let text = format!("{e} {e:?}");
                assert!(!text.contains(secret), "{text}");
                assert!(!text.contains("Digest"), "{text}");
            }
        }
    }
}

#[test]
fn ids_come_back_typed() {
    let n = Notification::from_slice(
        br#"{"session_id":"s1","topic":"task_completion","task_id":"t1","resource_id":null}"#,
    )
    .unwrap();
    let session_id: &idv_model::SessionId = &n.session_id;
    assert_eq!(session_id, "s1");
    assert_eq!(n.task_id, Some(idv_model::TaskId::from("t1")));
    assert_eq!((n.check_id, n.resource_id), (None, None));
    let built = Notification::new(session_id, Topic::CheckCompletion).with_check_id("c1");
    assert_eq!(
        serde_json::to_string(&built).unwrap(),
        r#"{"session_id":"s1","topic":"check_completion","check_id":"c1"}"#
    );
}
