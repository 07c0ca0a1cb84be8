//! What `Display` of an error says, and how a non-success answer is classified.

use std::error::Error as _;

use http::StatusCode;
use idv_core::{
    ConfigError, ConfigErrorKind, Error, ErrorReport, TransportError, TransportErrorKind,
};

const TOKEN: &str = "c0ffee00-tok3n-5ecr3t-0000-deadbeef0001";

fn response(status: u16, body: &str) -> http::Response<Vec<u8>> {
    http::Response::builder()
        .status(status)
        .header("content-type", "application/json")
        .body(body.as_bytes().to_vec())
        .expect("a response")
}

#[test]
fn an_api_error_says_status_code_message_and_properties() {
    let err = Error::from_response(response(
        400,
        r#"{"code":"PAYLOAD_VALIDATION","message":"There were errors validating the payload",
            "errors":[{"property":"requested_checks[0].type","message":"must not be null"}]}"#,
    ));
    assert!(matches!(err, Error::Api(_)));
    assert_eq!(err.status(), Some(StatusCode::BAD_REQUEST));
    assert_eq!(
        err.to_string(),
        "the IDV API answered 400 Bad Request: PAYLOAD_VALIDATION - There were errors \
         validating the payload: requested_checks[0].type \"must not be null\""
    );
    // Display already holds the details: the chain adds nothing, repeats nothing.
    assert!(err.source().is_none());
    assert_eq!(ErrorReport(&err).to_string(), err.to_string());
}

#[test]
fn a_missing_session_is_not_found_and_not_a_configuration_error() {
    let err = Error::from_response(response(
        404,
        r#"{"code":"SESSION_NOT_FOUND","message":"Session not found"}"#,
    ));
    assert!(err.is_not_found());
    assert!(!err.is_config());
    assert_eq!(err.code(), Some("SESSION_NOT_FOUND"));
    assert!(err.to_string().contains("404 Not Found"), "{err}");
}

#[test]
fn an_unknown_sdk_id_is_a_configuration_error_with_a_hint() {
    for code in ["APPLICATION_NOT_FOUND", "APP_NOT_FOUND"] {
        let err = Error::from_response(response(
            404,
            &format!(r#"{{"code":"{code}","message":"Application not found"}}"#),
        ));
        let Error::Config(config) = &err else {
            panic!("{err:?}")
        };
        assert_eq!(config.kind(), ConfigErrorKind::UnknownSdkId);
        assert!(!err.is_not_found());
        assert!(err.is_config());
        assert_eq!(err.status(), Some(StatusCode::NOT_FOUND));
        assert_eq!(err.code(), Some(code));
        let text = err.to_string();
        assert!(text.contains("SDK id"), "{text}");
        assert!(text.contains("YOTI_CLIENT_SDK_ID"), "{text}");
        assert!(text.contains(code), "{text}");
    }
}

#[test]
fn a_base_url_without_the_api_path_is_a_configuration_error() {
    for body in ["", "<html>Not Found</html>", r#"{"code":"NOT_FOUND"}"#] {
        let err = Error::from_response(response(404, body));
        let Some(config) = err.as_config() else {
            panic!("{body:?}: {err:?}")
        };
        assert_eq!(config.kind(), ConfigErrorKind::NoSuchEndpoint, "{body:?}");
        assert!(!err.is_not_found());
        assert!(err.to_string().contains("/idverify/v1"), "{err}");
    }
    // Other statuses without a body stay API errors.
    let err = Error::from_response(response(503, ""));
    assert!(matches!(err, Error::Api(_)));
    assert!(err.is_retryable());
}

#[test]
fn a_key_error_says_why_and_prints_no_key_material() {
    let pem = "-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIBYr\n-----END EC PRIVATE KEY-----\n";
    let key_error = idv_auth::PrivateKey::from_pem(pem).unwrap_err();
    let err = Error::from(ConfigError::key(key_error));
    let text = err.to_string();
    assert_eq!(
        err.as_config().map(ConfigError::kind),
        Some(ConfigErrorKind::InvalidKey)
    );
    assert!(text.contains("not an RSA key"), "{text}");
    assert!(!text.contains("MHcCAQEEIBYr"), "{text}");
    // The chain does not repeat the key error's text.
    assert_eq!(
        ErrorReport(&err)
            .to_string()
            .matches("not an RSA key")
            .count(),
        1
    );
}

#[test]
fn a_missing_key_file_says_which_file() {
    let key_error = idv_auth::PrivateKey::from_pem_file("/nonexistent/idv-key.pem").unwrap_err();
    let err = Error::from(ConfigError::key(key_error));
    let text = ErrorReport(&err).to_string();
    assert!(text.contains("/nonexistent/idv-key.pem"), "{text}");
    assert!(text.contains("not found"), "{text}");
}

#[test]
fn a_transport_error_says_its_kind_and_the_cause_follows_once() {
    let cause = std::io::Error::new(std::io::ErrorKind::ConnectionRefused, "connection refused");
    let err = Error::from(TransportError::new(TransportErrorKind::Connect, cause));
    assert_eq!(
        err.to_string(),
        "transport error: could not connect to the server"
    );
    assert!(err.is_connect());
    assert_eq!(
        ErrorReport(&err).to_string(),
        "transport error: could not connect to the server: connection refused"
    );
}

#[test]
fn no_token_in_any_message() {
    // A server that echoes the token in its body: Display shows code and message only.
    let err = Error::from_response(response(
        401,
        &format!(r#"{{"code":"BAD_TOKEN","message":"Cannot authorize","token":"{TOKEN}"}}"#),
    ));
    assert!(err.is_unauthorized());
    assert!(!err.to_string().contains(TOKEN));
    assert!(!format!("{err:?}").contains(TOKEN));
    assert!(
        err.to_string()
            .contains("401 Unauthorized: BAD_TOKEN - Cannot authorize")
    );
}
