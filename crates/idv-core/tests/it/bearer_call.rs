//! The call machine with bearer tokens: it asks for a token, sends it instead of a signature,
//! and after a 401 refreshes once and retries once (non-idempotent calls only when the 401
//! carries the `invalid_token` challenge).
#![allow(clippy::unwrap_used)]

use std::sync::Arc;

use http::StatusCode;
use idv_core::call::{CallContext, OperationCall, Step};
use idv_core::operations::{CreateSession, GetSession};
use idv_core::{BaseUrl, BearerToken, Error};
use idv_model::{SessionId, SessionSpecification};

fn token(t: &str) -> BearerToken {
    BearerToken::new(t).unwrap()
}

fn response(status: u16, challenge: bool, body: &str) -> http::Response<Vec<u8>> {
    let mut builder = http::Response::builder().status(status);
    if challenge {
        builder = builder.header(
            "www-authenticate",
            "Bearer realm=\"idv\", error=\"invalid_token\"",
        );
    }
    builder.body(body.as_bytes().to_vec()).unwrap()
}

const SESSION: &str = r#"{"session_id":"s1","client_session_token_ttl":600,"state":"ONGOING","resources":{},"checks":[]}"#;

/// The tokens asked for (the rejected one of each ask), the requests sent, the result.
type Driven<T> = (
    Vec<Option<String>>,
    Vec<http::Request<Vec<u8>>>,
    Result<T, Error>,
);

/// Drives `call`, answering each attempt from `replies`; returns the tokens asked for
/// (the rejected one of each ask) and the result.
fn drive<O: idv_core::Operation>(
    mut call: OperationCall<O>,
    replies: Vec<http::Response<Vec<u8>>>,
    tokens: &[&str],
) -> Driven<O::Output> {
    let mut replies = replies.into_iter();
    let mut tokens = tokens.iter();
    let mut asks = Vec::new();
    let mut sent = Vec::new();
    let result = loop {
        match call.next() {
            Ok(Step::Authenticate(need)) => {
                asks.push(need.rejected.map(|t| t.expose_secret().to_owned()));
                call.on_token(token(tokens.next().expect("a token more than scripted")));
            }
            Ok(Step::Send(request)) => {
                sent.push(request);
                call.on_response(replies.next().expect("an attempt more than scripted"));
            }
            Ok(Step::Sleep(_)) => panic!("no sleep expected"),
            Ok(Step::Done(output)) => break Ok(output),
            Err(e) => break Err(e),
        }
    };
    (asks, sent, result)
}

fn context() -> Arc<CallContext> {
    Arc::new(CallContext::bearer())
}

#[test]
fn a_bearer_call_carries_the_token_and_no_signature() {
    let id = SessionId::from("s1");
    let call = OperationCall::new(
        context(),
        BaseUrl::parse_allow_http("http://127.0.0.1:1/idverify/v1").unwrap(),
        GetSession { session_id: &id },
    )
    .unwrap();
    let (asks, sent, result) = drive(call, vec![response(200, false, SESSION)], &["tok-1"]);
    result.unwrap();
    assert_eq!(asks, vec![None]);
    let request = &sent[0];
    assert_eq!(request.headers()["authorization"], "Bearer tok-1");
    assert!(request.headers()["authorization"].is_sensitive());
    assert!(request.headers().get("x-yoti-auth-digest").is_none());
    assert_eq!(
        request.uri().to_string(),
        "http://127.0.0.1:1/idverify/v1/sessions/s1"
    );
}

#[test]
fn an_idempotent_401_refreshes_once_then_succeeds() {
    let id = SessionId::from("s1");
    let call = OperationCall::new(
        context(),
        BaseUrl::default(),
        GetSession { session_id: &id },
    )
    .unwrap();
    let (asks, sent, result) = drive(
        call,
        vec![response(401, false, "{}"), response(200, false, SESSION)],
        &["old", "new"],
    );
    result.unwrap();
    assert_eq!(asks, vec![None, Some("old".to_owned())]);
    assert_eq!(sent[1].headers()["authorization"], "Bearer new");
}

#[test]
fn a_second_401_ends_the_call_unauthorized() {
    let id = SessionId::from("s1");
    let call = OperationCall::new(
        context(),
        BaseUrl::default(),
        GetSession { session_id: &id },
    )
    .unwrap();
    let (asks, sent, result) = drive(
        call,
        vec![response(401, true, "{}"), response(401, true, "{}")],
        &["old", "new"],
    );
    let err = result.unwrap_err();
    assert!(err.is_unauthorized(), "{err}");
    assert_eq!(asks.len(), 2);
    assert_eq!(sent.len(), 2);
}

#[test]
fn create_session_is_resent_only_with_the_invalid_token_challenge() {
    let spec = SessionSpecification::new();
    let created =
        r#"{"session_id":"s1","client_session_token":"c","client_session_token_ttl":600}"#;
    // With the challenge: not processed, resent.
    let call =
        OperationCall::new(context(), BaseUrl::default(), CreateSession { spec: &spec }).unwrap();
    let (asks, _, result) = drive(
        call,
        vec![response(401, true, "{}"), response(201, false, created)],
        &["old", "new"],
    );
    result.unwrap();
    assert_eq!(asks.len(), 2);
    // Without: it may have been processed, so the 401 ends the call.
    let call =
        OperationCall::new(context(), BaseUrl::default(), CreateSession { spec: &spec }).unwrap();
    let (asks, sent, result) = drive(call, vec![response(401, false, "{}")], &["old"]);
    assert_eq!(result.unwrap_err().status(), Some(StatusCode::UNAUTHORIZED));
    assert_eq!((asks.len(), sent.len()), (1, 1));
}

#[test]
fn a_token_failure_ends_the_call() {
    let id = SessionId::from("s1");
    let mut call = OperationCall::new(
        context(),
        BaseUrl::default(),
        GetSession { session_id: &id },
    )
    .unwrap();
    assert!(matches!(call.next().unwrap(), Step::Authenticate(_)));
    call.on_token_error(Error::InvalidInput(idv_core::InvalidInputError::new(
        "token", "none",
    )));
    assert!(matches!(call.next(), Err(Error::InvalidInput(_))));
}
