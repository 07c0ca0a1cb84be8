//! The call state machine driven by a scripted transport: every decision (send, sleep, done,
//! fail) is checked without a socket and without sleeping. Time and jitter come from a
//! scripted environment that the driver advances by the sleeps it is asked for.

// Test helpers: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used)]

use std::collections::{HashSet, VecDeque};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use http::{HeaderMap, StatusCode};
use idv_auth::{NonceSource, PrivateKey, RequestSigner, TimestampSource};
use idv_core::call::{
    BodyAction, CallContext, CallEnv, Limits, MAX_STREAMED_ERROR_BODY, OperationCall, Step,
    StreamedCall,
};
use idv_core::operations::{CreateSession, GetMediaContent, GetSession};
use idv_core::{BaseUrl, Error, ResponseLimit, RetryPolicy, TransportError, TransportErrorKind};
use idv_model::SessionSpecification;

const KEY: &str = idv_test_support::keys::TEST_KEY;
const SDK_ID: &str = "6e7f4c8a-1b2d-4e3f-9a0b-c1d2e3f4a5b6";
const SESSION: &str = r#"{"session_id":"s-1","state":"ONGOING","checks":[]}"#;
/// A session of 80 bytes.
const BIG: &str =
    r#"{"session_id":"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"}"#;
const CREATED: &str =
    r#"{"client_session_token_ttl":600,"client_session_token":"tok-secret","session_id":"s1"}"#;

/// A clock the test moves, a fixed wall clock and jitter, and counters of what was read.
#[derive(Debug, Default)]
struct Env {
    now: Mutex<Duration>,
    monotonic_reads: AtomicUsize,
    wall_reads: AtomicUsize,
    jitter_reads: AtomicUsize,
}

impl Env {
    fn advance(&self, by: Duration) {
        *self.now.lock().unwrap() += by;
    }
}

impl CallEnv for Env {
    fn monotonic(&self) -> Duration {
        self.monotonic_reads.fetch_add(1, Ordering::SeqCst);
        *self.now.lock().unwrap()
    }

    fn wall_clock(&self) -> SystemTime {
        self.wall_reads.fetch_add(1, Ordering::SeqCst);
        SystemTime::UNIX_EPOCH + Duration::from_secs(1_767_225_600)
    }

    fn jitter(&self) -> f64 {
        self.jitter_reads.fetch_add(1, Ordering::SeqCst);
        0.0
    }
}

/// Nonces `n-1`, `n-2`, ... and timestamps 1000, 2000, ...: each attempt's are visible.
#[derive(Debug, Default)]
struct Counter(AtomicU64);

impl NonceSource for Counter {
    fn nonce(&self) -> String {
        format!("n-{}", self.0.fetch_add(1, Ordering::SeqCst) + 1)
    }
}

/// The signer's clock is the scripted clock too (from 1 January 2026), so a timestamp shows
/// when its attempt was signed.
#[derive(Debug)]
struct EnvClock(Arc<Env>);

impl TimestampSource for EnvClock {
    fn now_millis(&self) -> u64 {
        let now = *self.0.now.lock().unwrap();
        1_767_225_600_000 + u64::try_from(now.as_millis()).unwrap()
    }
}

/// What the scripted transport does with one attempt.
enum Reply {
    Status(u16, &'static [(&'static str, &'static str)], &'static str),
    Fail(TransportErrorKind),
}

fn status(code: u16) -> Reply {
    Reply::Status(code, &[], "")
}

fn respond(reply: Reply) -> Result<http::Response<Vec<u8>>, TransportError> {
    match reply {
        Reply::Status(code, headers, body) => {
            let mut response = http::Response::new(body.as_bytes().to_vec());
            *response.status_mut() = StatusCode::from_u16(code).unwrap();
            for (name, value) in headers {
                response
                    .headers_mut()
                    .insert(*name, http::HeaderValue::from_static(value));
            }
            Ok(response)
        }
        Reply::Fail(kind) => Err(TransportError::from_kind(kind)),
    }
}

/// What the driver saw, in order.
#[derive(Debug, PartialEq, Eq)]
enum Seen {
    Send,
    Sleep(Duration),
}

struct Rig {
    env: Arc<Env>,
    context: Arc<CallContext>,
}

fn new_rig(policy: RetryPolicy, limits: Limits) -> Rig {
    let env = Arc::new(Env::default());
    let signer = RequestSigner::new(SDK_ID, PrivateKey::from_pem(KEY).unwrap())
        .with_nonce_source(Counter::default())
        .with_timestamp_source(EnvClock(env.clone()));
    let context = CallContext::new(signer)
        .with_retry_policy(policy)
        .with_limits(limits)
        .with_env(env.clone());
    Rig {
        env,
        context: Arc::new(context),
    }
}

/// Backoff from 100 ms (50 ms with jitter 0), five attempts, 30 s budget.
fn policy() -> RetryPolicy {
    RetryPolicy::new()
        .with_max_attempts(5)
        .with_base_backoff(Duration::from_millis(100))
        .with_max_backoff(Duration::from_secs(1))
}

/// The result of a driven call, what the driver saw, and the requests it sent.
type Driven<T> = (Result<T, Error>, Vec<Seen>, Vec<http::Request<Vec<u8>>>);

/// Drives `call` against `script`: every request handed out is recorded, each sleep only
/// advances the scripted clock. Panics if the call asks for more attempts than scripted.
fn drive<O: idv_core::Operation>(
    rig: &Rig,
    mut call: OperationCall<O>,
    script: Vec<Reply>,
) -> Driven<O::Output> {
    let mut script = VecDeque::from(script);
    let mut seen = Vec::new();
    let mut sent = Vec::new();
    let result = loop {
        match call.next() {
            Ok(Step::Send(request)) => {
                seen.push(Seen::Send);
                sent.push(request);
                match respond(script.pop_front().expect("an attempt more than scripted")) {
                    Ok(response) => call.on_response(response),
                    Err(error) => call.on_transport_error(error),
                }
            }
            Ok(Step::Sleep(wait)) => {
                seen.push(Seen::Sleep(wait));
                rig.env.advance(wait);
            }
            Ok(Step::Authenticate(_)) => panic!("a signed call asked for a token"),
            Ok(Step::Done(output)) => break Ok(output),
            Err(error) => break Err(error),
        }
    };
    assert!(
        script.is_empty(),
        "{} scripted replies unused",
        script.len()
    );
    (result, seen, sent)
}

/// An id that lives for the whole test (operations borrow their ids).
fn leak_session(id: &str) -> &'static idv_model::SessionId {
    Box::leak(Box::new(id.into()))
}

fn get_session(rig: &Rig) -> OperationCall<GetSession<'static>> {
    OperationCall::new(
        rig.context.clone(),
        BaseUrl::default(),
        GetSession {
            session_id: leak_session("s-1"),
        },
    )
    .unwrap()
}

fn query(request: &http::Request<Vec<u8>>, name: &str) -> String {
    request
        .uri()
        .query()
        .unwrap()
        .split('&')
        .find_map(|pair| pair.strip_prefix(&format!("{name}=")))
        .unwrap()
        .to_owned()
}

#[test]
fn a_get_rides_out_503_429_reset_and_timeout_then_succeeds() {
    let rig = new_rig(policy(), Limits::default());
    let (result, seen, sent) = drive(
        &rig,
        get_session(&rig),
        vec![
            status(503),
            Reply::Status(429, &[("retry-after", "3")], ""),
            Reply::Fail(TransportErrorKind::Other), // connection reset
            Reply::Fail(TransportErrorKind::Timeout),
            Reply::Status(200, &[], SESSION),
        ],
    );
    let session = result.unwrap();
    assert_eq!(session.session_id.as_deref(), Some("s-1"));
    assert_eq!(
        seen,
        vec![
            Seen::Send,
            // backoff 1: 100 ms × ½ (jitter 0)
            Seen::Sleep(Duration::from_millis(50)),
            Seen::Send,
            // Retry-After wins over the backoff
            Seen::Sleep(Duration::from_secs(3)),
            Seen::Send,
            // backoff 3: 400 ms × ½
            Seen::Sleep(Duration::from_millis(200)),
            Seen::Send,
            // backoff 4: 800 ms × ½
            Seen::Sleep(Duration::from_millis(400)),
            Seen::Send,
        ]
    );
    // each attempt is signed afresh, after its sleep: new nonce, new timestamp, new digest
    let nonces: Vec<String> = sent.iter().map(|r| query(r, "nonce")).collect();
    assert_eq!(nonces, ["n-1", "n-2", "n-3", "n-4", "n-5"]);
    let stamps: Vec<u64> = sent
        .iter()
        .map(|r| query(r, "timestamp").parse::<u64>().unwrap() - 1_767_225_600_000)
        .collect();
    assert_eq!(stamps, [0, 50, 3050, 3250, 3650]);
    let digests: HashSet<&[u8]> = sent
        .iter()
        .map(|r| r.headers()["x-yoti-auth-digest"].as_bytes())
        .collect();
    assert_eq!(digests.len(), 5);
    // and the signature covers exactly the target handed out
    let public = PrivateKey::from_pem(KEY).unwrap().public_key();
    for request in &sent {
        let target = request
            .uri()
            .path_and_query()
            .unwrap()
            .as_str()
            .strip_prefix("/idverify/v1")
            .unwrap();
        let message = idv_auth::string_to_sign("GET", target, None);
        let digest = base64_decode(request.headers()["x-yoti-auth-digest"].to_str().unwrap());
        public.verify(message.as_bytes(), &digest).unwrap();
    }
}

fn base64_decode(text: &str) -> Vec<u8> {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD
        .decode(text)
        .unwrap()
}

#[test]
fn retries_stop_at_max_attempts_with_the_last_answer() {
    let rig = new_rig(policy().with_max_attempts(3), Limits::default());
    let (result, seen, _) = drive(
        &rig,
        get_session(&rig),
        vec![status(503), status(502), status(504)],
    );
    assert_eq!(result.unwrap_err().status().map(|s| s.as_u16()), Some(504));
    assert_eq!(
        seen,
        vec![
            Seen::Send,
            Seen::Sleep(Duration::from_millis(50)),
            Seen::Send,
            Seen::Sleep(Duration::from_millis(100)),
            Seen::Send,
        ]
    );
}

#[test]
fn the_budget_is_measured_on_the_injected_clock() {
    // A Retry-After past the budget is not waited for.
    let rig1 = new_rig(policy(), Limits::default());
    let (result, seen, _) = drive(
        &rig1,
        get_session(&rig1),
        vec![Reply::Status(503, &[("retry-after", "120")], "")],
    );
    assert_eq!(result.unwrap_err().status().map(|s| s.as_u16()), Some(503));
    assert_eq!(seen, vec![Seen::Send]);

    // An attempt that took 29.99 s of the 30 s budget leaves no room for a 50 ms backoff.
    let rig2 = new_rig(policy(), Limits::default());
    let mut call = get_session(&rig2);
    assert!(matches!(call.next().unwrap(), Step::Send(_)));
    rig2.env.advance(Duration::from_millis(29_990));
    call.on_transport_error(TransportError::from_kind(TransportErrorKind::Timeout));
    assert!(call.next().unwrap_err().is_timeout());
}

#[test]
fn create_session_is_not_repeated_once_it_may_have_been_sent() {
    let spec = SessionSpecification::new();
    for reply in [
        status(503),
        Reply::Status(429, &[("retry-after", "1")], ""),
        Reply::Fail(TransportErrorKind::Other),
        Reply::Fail(TransportErrorKind::Timeout),
    ] {
        let rig = new_rig(policy(), Limits::default());
        let call = OperationCall::new(
            rig.context.clone(),
            BaseUrl::default(),
            CreateSession { spec: &spec },
        )
        .unwrap();
        let (result, seen, sent) = drive(&rig, call, vec![reply]);
        assert!(result.is_err());
        assert_eq!(seen, vec![Seen::Send], "sent once, never slept");
        assert_eq!(sent[0].method(), http::Method::POST);
    }

    // A connect error proves the request never left: retried, then created once.
    let rig = new_rig(policy(), Limits::default());
    let call = OperationCall::new(
        rig.context.clone(),
        BaseUrl::default(),
        CreateSession { spec: &spec },
    )
    .unwrap();
    let (result, seen, _) = drive(
        &rig,
        call,
        vec![
            Reply::Fail(TransportErrorKind::Connect),
            Reply::Status(201, &[], CREATED),
        ],
    );
    assert_eq!(result.unwrap().session_id, "s1");
    assert_eq!(
        seen,
        vec![
            Seen::Send,
            Seen::Sleep(Duration::from_millis(50)),
            Seen::Send
        ]
    );
}

#[test]
fn errors_that_are_never_retried_end_the_call_at_once() {
    for (reply, check) in [
        (
            status(404),
            Box::new(|e: &Error| e.status().map(|s| s.as_u16()) == Some(404))
                as Box<dyn Fn(&Error) -> bool>,
        ),
        (
            status(500),
            Box::new(|e: &Error| e.status().map(|s| s.as_u16()) == Some(500)),
        ),
        (
            Reply::Fail(TransportErrorKind::Request),
            Box::new(
                |e: &Error| matches!(e, Error::Transport(t) if t.kind() == TransportErrorKind::Request),
            ),
        ),
    ] {
        let rig = new_rig(policy(), Limits::default());
        let (result, seen, _) = drive(&rig, get_session(&rig), vec![reply]);
        let error = result.unwrap_err();
        assert!(check(&error), "{error:?}");
        assert_eq!(seen, vec![Seen::Send]);
    }
}

#[test]
fn a_success_reads_neither_the_wall_clock_nor_the_random_source() {
    let rig = new_rig(policy(), Limits::default());
    let (result, _, _) = drive(&rig, get_session(&rig), vec![status(200)]);
    // an empty body does not decode as a session, but the call ended on the first attempt
    assert!(matches!(result, Err(Error::Decode(_))), "{result:?}");
    assert_eq!(rig.env.jitter_reads.load(Ordering::SeqCst), 0);
    assert_eq!(rig.env.wall_reads.load(Ordering::SeqCst), 0);
    assert_eq!(rig.env.monotonic_reads.load(Ordering::SeqCst), 1);

    let rig = new_rig(policy(), Limits::default());
    let _ = drive(&rig, get_session(&rig), vec![status(503), status(200)]);
    assert_eq!(rig.env.jitter_reads.load(Ordering::SeqCst), 1);
    assert_eq!(rig.env.wall_reads.load(Ordering::SeqCst), 1);
}

#[test]
fn response_limits_are_handed_out_and_enforced() {
    let limits = Limits::new(64, 1000);
    // JSON: the request carries the JSON limit, and a larger body is refused after the fact
    // (for transports that ignore the hint)
    let rig = new_rig(policy(), limits);
    let big = BIG;
    let (result, _, sent) = drive(&rig, get_session(&rig), vec![Reply::Status(200, &[], big)]);
    assert_eq!(
        sent[0].extensions().get::<ResponseLimit>(),
        Some(&ResponseLimit(64))
    );
    assert!(
        matches!(&result, Err(Error::Transport(t)) if t.kind() == TransportErrorKind::BodyTooLarge),
        "{result:?}"
    );
    // the same body within the limit is parsed
    let rig = new_rig(policy(), Limits::new(1000, 1000));
    let (result, _, _) = drive(&rig, get_session(&rig), vec![Reply::Status(200, &[], big)]);
    assert!(result.is_ok());

    // media: the media limit
    let rig = new_rig(policy(), limits);
    let call = OperationCall::new(
        rig.context.clone(),
        BaseUrl::default(),
        GetMediaContent {
            session_id: leak_session("s-1"),
            media_id: Box::leak(Box::new("m-1".into())),
        },
    )
    .unwrap();
    let (result, _, sent) = drive(
        &rig,
        call,
        vec![Reply::Status(200, &[("content-type", "image/jpeg")], big)],
    );
    assert_eq!(
        sent[0].extensions().get::<ResponseLimit>(),
        Some(&ResponseLimit(1000))
    );
    assert_eq!(result.unwrap().unwrap().content.len(), big.len());
}

fn streamed(rig: &Rig) -> StreamedCall {
    StreamedCall::new(
        rig.context.clone(),
        BaseUrl::default(),
        &GetMediaContent {
            session_id: leak_session("s-1"),
            media_id: Box::leak(Box::new("m-1".into())),
        },
    )
    .unwrap()
}

#[test]
fn a_streamed_call_decides_on_the_head() {
    let rig = new_rig(policy(), Limits::new(64, 1000));
    let mut call = streamed(&rig);
    let Step::Send(request) = call.next().unwrap() else {
        panic!("expected a request")
    };
    // no buffering limit on a stream
    assert_eq!(
        request.extensions().get::<ResponseLimit>(),
        Some(&ResponseLimit(usize::MAX))
    );
    let mut retry_after = HeaderMap::new();
    retry_after.insert("retry-after", "2".parse().unwrap());
    assert_eq!(
        call.on_response_head(StatusCode::SERVICE_UNAVAILABLE, &retry_after),
        BodyAction::Discard
    );
    assert!(matches!(call.next().unwrap(), Step::Sleep(d) if d == Duration::from_secs(2)));
    assert!(matches!(call.next().unwrap(), Step::Send(_)));
    assert_eq!(
        call.on_response_head(StatusCode::OK, &HeaderMap::new()),
        BodyAction::Deliver
    );
    assert_eq!(call.call().attempts(), 2);
    // the call is over
    assert!(matches!(call.next(), Err(Error::InvalidInput(_))));

    let mut call = streamed(&rig);
    call.next().unwrap();
    assert_eq!(
        call.on_response_head(StatusCode::NO_CONTENT, &HeaderMap::new()),
        BodyAction::Empty
    );
}

#[test]
fn a_streamed_error_body_is_read_bounded_and_becomes_the_api_error() {
    let rig = new_rig(policy(), Limits::default());
    let mut call = streamed(&rig);
    call.next().unwrap();
    let action = call.on_response_head(StatusCode::NOT_FOUND, &HeaderMap::new());
    assert_eq!(
        action,
        BodyAction::ReadError {
            max_bytes: MAX_STREAMED_ERROR_BODY
        }
    );
    let mut body = br#"{"code":"MEDIA_NOT_FOUND"}"#.to_vec();
    call.on_error_body(body.clone());
    let error = call.next().unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(404));
    assert_eq!(error.code(), Some("MEDIA_NOT_FOUND"));

    // a driver that reads too much is cut at the bound
    let mut call = streamed(&rig);
    call.next().unwrap();
    call.on_response_head(StatusCode::NOT_FOUND, &HeaderMap::new());
    body.resize(MAX_STREAMED_ERROR_BODY * 2, b' ');
    call.on_error_body(body);
    let error = call.next().unwrap_err();
    assert_eq!(
        error.as_api().unwrap().body().len(),
        MAX_STREAMED_ERROR_BODY
    );

    // a transport failure of a stream is retried like any other
    let mut call = streamed(&rig);
    call.next().unwrap();
    call.on_transport_error(TransportError::from_kind(TransportErrorKind::Other));
    assert!(matches!(call.next().unwrap(), Step::Sleep(_)));
}

#[test]
fn a_misused_call_fails_instead_of_panicking() {
    let rig = new_rig(policy(), Limits::default());
    let mut call = get_session(&rig);
    assert!(matches!(call.next().unwrap(), Step::Send(_)));
    // next() again before reporting the attempt
    assert!(matches!(call.next(), Err(Error::InvalidInput(_))));
    call.on_response(respond(status(200)).unwrap());
    assert!(call.next().is_err()); // empty body: decode error, and the call is over
    assert!(matches!(call.next(), Err(Error::InvalidInput(_))));

    // an outcome reported with no attempt out
    let mut call = get_session(&rig);
    call.on_response(respond(status(200)).unwrap());
    assert!(matches!(call.next(), Err(Error::InvalidInput(_))));

    // an error body without ReadError
    let mut call = streamed(&rig);
    call.on_error_body(Vec::new());
    assert!(matches!(call.next(), Err(Error::InvalidInput(_))));
}

#[test]
fn debug_output_shows_no_target_signature_or_body() {
    let rig = new_rig(policy(), Limits::default());
    let mut call = get_session(&rig);
    let step = call.next().unwrap();
    let text = format!("{step:?} {call:?}");
    assert!(text.contains("GET"), "{text}");
    for secret in [SDK_ID, "n-1", "s-1", "x-yoti-auth-digest"] {
        assert!(!text.contains(secret), "{secret} in {text}");
    }
}

#[test]
fn calls_can_move_between_threads() {
    // Async drivers hold a call across awaits, and a foreign-language binding shares one
    // behind a lock: both need `Send`.
    fn send<T: Send + 'static>() {}
    send::<idv_core::Call>();
    send::<StreamedCall>();
    send::<OperationCall<GetSession<'static>>>();
    send::<Step>();
}
