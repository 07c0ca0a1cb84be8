//! The clients against the emulator's fault injection: retries where they are safe, never a
//! duplicated create-session, Retry-After honoured, timeouts bounded, bad bodies reported.

#![allow(clippy::unwrap_used)]

use crate::support;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use idv::model::*;
use idv::transport::{ReqwestTransport, UreqTransport};
use idv::{
    AsyncTransport, BlockingClient, Client, ClientBuilder, Error, PrivateKey, RetryPolicy,
    SyncTransport, TransportError, TransportErrorKind,
};
use idv_emulator::{Emulator, Fault};

const SDK_ID: &str = "6e7f4c8a-1b2d-4e3f-9a0b-c1d2e3f4a5b6";

/// Counts the attempts a client makes.
#[derive(Clone)]
struct Counting<T> {
    inner: T,
    sent: Arc<AtomicUsize>,
}

impl<T> Counting<T> {
    fn sent(&self) -> usize {
        self.sent.load(Ordering::SeqCst)
    }
}

impl<T: SyncTransport> SyncTransport for Counting<T> {
    fn send(
        &self,
        request: http::Request<Vec<u8>>,
    ) -> Result<http::Response<Vec<u8>>, TransportError> {
        self.sent.fetch_add(1, Ordering::SeqCst);
        self.inner.send(request)
    }
}

#[async_trait::async_trait]
impl<T: AsyncTransport> AsyncTransport for Counting<T> {
    async fn send(
        &self,
        request: http::Request<Vec<u8>>,
    ) -> Result<http::Response<Vec<u8>>, TransportError> {
        self.sent.fetch_add(1, Ordering::SeqCst);
        self.inner.send(request).await
    }

    async fn sleep(&self, duration: Duration) {
        self.inner.sleep(duration).await
    }
}

struct Rig {
    emulator: Emulator,
    config: ClientBuilder,
    transport: idv::TransportConfig,
    session_id: idv::model::SessionId,
}

fn rig(configure: impl Fn(ClientBuilder) -> ClientBuilder) -> Rig {
    let key = PrivateKey::from_pem(support::KEY).unwrap();
    let emulator = Emulator::builder()
        .app(SDK_ID, key.public_key())
        .start()
        .unwrap();
    let config = configure(
        ClientBuilder::new()
            .sdk_id(SDK_ID)
            .key(key)
            .base_url(&emulator.sandbox_base_url())
            .retry_policy(
                RetryPolicy::new()
                    .with_base_backoff(Duration::from_millis(20))
                    .with_max_backoff(Duration::from_millis(100)),
            ),
    );
    let client = config.clone().build_blocking().unwrap();
    let transport = client.config().transport_config().clone();
    let session_id = client.create_session(&spec()).unwrap().session_id;
    Rig {
        emulator,
        config,
        transport,
        session_id,
    }
}

fn spec() -> SessionSpecification {
    SessionSpecification::new()
        .with_requested_check(RequestedLivenessCheck::static_liveness().with_max_retries(1))
}

fn blocking(rig: &Rig) -> (BlockingClient, Counting<UreqTransport>) {
    let transport = Counting {
        inner: UreqTransport::new(rig.transport.clone()),
        sent: Arc::new(AtomicUsize::new(0)),
    };
    (
        rig.config
            .clone()
            .build_blocking_with_transport(transport.clone())
            .unwrap(),
        transport,
    )
}

fn asynchronous(rig: &Rig) -> (Client, Counting<ReqwestTransport>) {
    let transport = Counting {
        inner: ReqwestTransport::new(rig.transport.clone()).unwrap(),
        sent: Arc::new(AtomicUsize::new(0)),
    };
    (
        rig.config
            .clone()
            .build_with_transport(transport.clone())
            .unwrap(),
        transport,
    )
}

// --- 503 then 200: one retry ---

#[test]
fn blocking_503_then_200_succeeds_after_one_retry() {
    let rig = rig(|c| c);
    let (client, counter) = blocking(&rig);
    rig.emulator
        .inject(Fault::status(503).on("GET", "/sessions/*").times(1));
    client.get_session(&rig.session_id).unwrap();
    assert_eq!(counter.sent(), 2);
}

#[tokio::test]
async fn async_503_then_200_succeeds_after_one_retry() {
    let rig = rig(|c| c);
    let (client, counter) = asynchronous(&rig);
    rig.emulator
        .inject(Fault::status(503).on("GET", "/sessions/*").times(1));
    client.get_session(&rig.session_id).await.unwrap();
    assert_eq!(counter.sent(), 2);
}

// --- 429 with Retry-After: waits at least that long ---

#[test]
fn blocking_429_honours_retry_after() {
    let rig = rig(|c| c);
    let (client, counter) = blocking(&rig);
    rig.emulator.inject(
        Fault::status(429)
            .retry_after(1)
            .on("GET", "/sessions/*")
            .times(1),
    );
    let started = Instant::now();
    client.get_session(&rig.session_id).unwrap();
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(counter.sent(), 2);
}

#[tokio::test]
async fn async_429_honours_retry_after() {
    let rig = rig(|c| c);
    let (client, counter) = asynchronous(&rig);
    rig.emulator.inject(
        Fault::status(429)
            .retry_after(1)
            .on("GET", "/sessions/*")
            .times(1),
    );
    let started = Instant::now();
    client.get_session(&rig.session_id).await.unwrap();
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(counter.sent(), 2);
}

// --- create session on 503: sent once, never duplicated ---

#[test]
fn blocking_create_session_is_sent_once_on_503() {
    let rig = rig(|c| c);
    let (client, counter) = blocking(&rig);
    rig.emulator
        .inject(Fault::status(503).on("POST", "/sessions").times(3));
    let err = client.create_session(&spec()).unwrap_err();
    assert_eq!(err.status(), Some(http::StatusCode::SERVICE_UNAVAILABLE));
    assert!(
        err.is_retryable(),
        "the caller may decide to retry; the SDK does not"
    );
    assert_eq!(counter.sent(), 1);
}

#[tokio::test]
async fn async_create_session_is_sent_once_on_503() {
    let rig = rig(|c| c);
    let (client, counter) = asynchronous(&rig);
    rig.emulator
        .inject(Fault::status(503).on("POST", "/sessions").times(3));
    let err = client.create_session(&spec()).await.unwrap_err();
    assert_eq!(err.status(), Some(http::StatusCode::SERVICE_UNAVAILABLE));
    assert_eq!(counter.sent(), 1);
}

// --- a slow response ends in a timeout within the configured bound ---

fn slow_rig() -> Rig {
    rig(|c| {
        c.timeout(Duration::from_millis(300))
            .retry_policy(RetryPolicy::disabled())
    })
}

#[test]
fn blocking_slow_response_times_out() {
    let rig = slow_rig();
    let (client, _) = blocking(&rig);
    rig.emulator
        .inject(Fault::delay(Duration::from_secs(5)).on("GET", "/sessions/*"));
    let started = Instant::now();
    let err = client.get_session(&rig.session_id).unwrap_err();
    assert!(err.is_timeout(), "{err:?}");
    assert!(
        started.elapsed() < Duration::from_secs(4),
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn async_slow_response_times_out() {
    let rig = slow_rig();
    let (client, _) = asynchronous(&rig);
    rig.emulator
        .inject(Fault::delay(Duration::from_secs(5)).on("GET", "/sessions/*"));
    let started = Instant::now();
    let err = client.get_session(&rig.session_id).await.unwrap_err();
    assert!(err.is_timeout(), "{err:?}");
    assert!(
        started.elapsed() < Duration::from_secs(4),
        "{:?}",
        started.elapsed()
    );
}

// --- malformed JSON: a decode error with the path; truncated body: an error, or a retry ---

fn assert_bad_body(err: &Error) {
    match err {
        Error::Decode(d) => assert_eq!(d.status(), http::StatusCode::OK),
        Error::Transport(t) => assert_eq!(t.kind(), TransportErrorKind::Other, "{t:?}"),
        other => panic!("expected a decode or transport error, got {other:?}"),
    }
}

#[test]
fn blocking_malformed_json_and_truncated_bodies() {
    let rig = rig(|c| c.retry_policy(RetryPolicy::disabled()));
    let (client, _) = blocking(&rig);
    rig.emulator
        .inject(Fault::malformed_json().on("GET", "/sessions/*"));
    let err = client.get_session(&rig.session_id).unwrap_err();
    assert!(matches!(err, Error::Decode(_)), "{err:?}");
    rig.emulator
        .inject(Fault::truncate_body().on("GET", "/sessions/*"));
    assert_bad_body(&client.get_session(&rig.session_id).unwrap_err());
}

#[tokio::test]
async fn async_malformed_json_and_truncated_bodies() {
    let rig = rig(|c| c.retry_policy(RetryPolicy::disabled()));
    let (client, _) = asynchronous(&rig);
    rig.emulator
        .inject(Fault::malformed_json().on("GET", "/sessions/*"));
    let err = client.get_session(&rig.session_id).await.unwrap_err();
    assert!(matches!(err, Error::Decode(_)), "{err:?}");
    rig.emulator
        .inject(Fault::truncate_body().on("GET", "/sessions/*"));
    assert_bad_body(&client.get_session(&rig.session_id).await.unwrap_err());
}

#[test]
fn a_truncated_get_is_retried_by_default() {
    let rig = rig(|c| c);
    let (client, counter) = blocking(&rig);
    rig.emulator
        .inject(Fault::truncate_body().on("GET", "/sessions/*"));
    client.get_session(&rig.session_id).unwrap();
    assert_eq!(counter.sent(), 2);
}

// --- a reset connection is retried for GET ---

#[test]
fn blocking_reset_is_retried_for_get() {
    let rig = rig(|c| c);
    let (client, counter) = blocking(&rig);
    rig.emulator.inject(Fault::reset().on("GET", "/sessions/*"));
    client.get_session(&rig.session_id).unwrap();
    assert_eq!(counter.sent(), 2);
}

#[tokio::test]
async fn async_reset_is_retried_for_get() {
    let rig = rig(|c| c);
    let (client, counter) = asynchronous(&rig);
    rig.emulator.inject(Fault::reset().on("GET", "/sessions/*"));
    client.get_session(&rig.session_id).await.unwrap();
    assert_eq!(counter.sent(), 2);
}

#[test]
fn a_reset_create_session_is_not_retried() {
    let rig = rig(|c| c);
    let (client, counter) = blocking(&rig);
    rig.emulator.inject(Fault::reset().on("POST", "/sessions"));
    let err = client.create_session(&spec()).unwrap_err();
    assert!(matches!(err, Error::Transport(_)), "{err:?}");
    assert_eq!(counter.sent(), 1);
}

// --- every attempt is signed afresh: a replayed nonce would be refused ---

#[test]
fn retries_are_signed_afresh() {
    let rig = rig(|c| c);
    let (client, counter) = blocking(&rig);
    rig.emulator
        .inject(Fault::status(502).on("GET", "/sessions/*").times(2));
    client.get_session(&rig.session_id).unwrap();
    assert_eq!(counter.sent(), 3);
}
