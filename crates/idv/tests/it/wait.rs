//! `wait_for_completion`: completes when the session completes, times out with a typed error,
//! and an async wait cancelled by dropping it leaves nothing running.

#![allow(clippy::unwrap_used)]

use crate::support;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use idv::model::*;
use idv::transport::ReqwestTransport;
use idv::{AsyncTransport, TransportError, WaitError, WaitOptions};

fn spec() -> SessionSpecification {
    SessionSpecification::new()
        .with_requested_check(RequestedLivenessCheck::static_liveness().with_max_retries(1))
}

fn fast(timeout: Duration) -> WaitOptions {
    WaitOptions::new(timeout)
        .with_initial_interval(Duration::from_millis(20))
        .with_max_interval(Duration::from_millis(100))
}

#[test]
fn blocking_wait_returns_the_completed_session() {
    let (_emulator, config) = support::emulator();
    let client = config.build_blocking().unwrap();
    let created = client.create_session(&spec()).unwrap();
    let completer = {
        let client = client.clone();
        let created = created.clone();
        std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(200));
            client
                .sandbox_complete_session(&created.session_id, &created.client_session_token)
                .unwrap();
        })
    };
    let session = client
        .wait_for_completion(&created.session_id, &fast(Duration::from_secs(10)))
        .unwrap();
    completer.join().unwrap();
    assert_eq!(session.state, Some(SessionState::Completed));
    assert_eq!(session.liveness_checks().count(), 1);
}

#[test]
fn blocking_wait_times_out_with_a_typed_error() {
    let (_emulator, config) = support::emulator();
    let client = config.build_blocking().unwrap();
    let created = client.create_session(&spec()).unwrap();
    let err = client
        .wait_for_completion(&created.session_id, &fast(Duration::from_millis(250)))
        .unwrap_err();
    match &err {
        WaitError::Timeout(t) => {
            assert_eq!(t.last_state(), Some(&SessionState::Ongoing));
            assert!(t.polls() >= 2, "{t}");
            assert!(t.waited() >= Duration::from_millis(250));
        }
        other => panic!("expected a timeout, got {other:?}"),
    }
    assert!(err.is_timeout());
}

#[test]
fn blocking_wait_on_an_unknown_session_is_an_api_error() {
    let (_emulator, config) = support::emulator();
    let client = config.build_blocking().unwrap();
    let err = client
        .wait_for_completion(&"no-such-session".into(), &fast(Duration::from_secs(5)))
        .unwrap_err();
    assert!(
        matches!(&err, WaitError::Api(e) if e.is_not_found()),
        "{err:?}"
    );
}

/// A transport that counts what it sends.
struct Counting {
    inner: ReqwestTransport,
    sent: Arc<AtomicUsize>,
}

#[async_trait::async_trait]
impl AsyncTransport for Counting {
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

#[tokio::test]
async fn async_wait_completes_and_cancels_cleanly() {
    let (_emulator, config) = support::emulator();
    let sent = Arc::new(AtomicUsize::new(0));
    let transport = Counting {
        inner: ReqwestTransport::new(idv::TransportConfig::default()).unwrap(),
        sent: sent.clone(),
    };
    let client = config.build_with_transport(transport).unwrap();

    // completes
    let created = client.create_session(&spec()).await.unwrap();
    let waiting = {
        let client = client.clone();
        let id = created.session_id.clone();
        tokio::spawn(async move {
            client
                .wait_for_completion(&id, &fast(Duration::from_secs(10)))
                .await
        })
    };
    tokio::time::sleep(Duration::from_millis(150)).await;
    client
        .sandbox_complete_session(&created.session_id, &created.client_session_token)
        .await
        .unwrap();
    let session = waiting.await.unwrap().unwrap();
    assert_eq!(session.state, Some(SessionState::Completed));

    // cancelled by dropping: no request is sent after the drop
    let pending = client.create_session(&spec()).await.unwrap();
    let options = fast(Duration::from_secs(60));
    let wait = client.wait_for_completion(&pending.session_id, &options);
    let cancelled = tokio::time::timeout(Duration::from_millis(150), wait).await;
    assert!(
        cancelled.is_err(),
        "the wait should still be running when cancelled"
    );
    let at_cancel = sent.load(Ordering::SeqCst);
    tokio::time::sleep(Duration::from_millis(400)).await;
    assert_eq!(
        sent.load(Ordering::SeqCst),
        at_cancel,
        "requests went on after cancellation"
    );
}
