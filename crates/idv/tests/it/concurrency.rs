//! Clients are `Clone + Send + Sync`, cheap to clone, and share connections: 64 concurrent
//! async tasks and 8 threads against the emulator, every request verified and answered.

#![allow(clippy::unwrap_used)]

use crate::support;

use idv::model::*;
use idv::{BlockingClient, Client, ClientBuilder};
use idv_emulator::Emulator;

fn assert_send_sync_clone<T: Send + Sync + Clone + 'static>() {}

/// The emulator, a configuration, and a session created on a client of its own (whose
/// connection does not count in the tests).
fn setup() -> (Emulator, ClientBuilder, SessionId) {
    let (emulator, config) = support::emulator();
    let spec = SessionSpecification::new()
        .with_requested_check(RequestedLivenessCheck::static_liveness().with_max_retries(1));
    let session_id = config
        .clone()
        .build_blocking()
        .unwrap()
        .create_session(&spec)
        .unwrap()
        .session_id;
    (emulator, config, session_id)
}

#[test]
fn clients_are_send_sync_and_clone() {
    assert_send_sync_clone::<Client>();
    assert_send_sync_clone::<BlockingClient>();
    assert_send_sync_clone::<ClientBuilder>();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sixty_four_concurrent_async_tasks() {
    let (_emulator, config, session_id) = setup();
    let client = config.build().unwrap();
    let mut tasks = Vec::new();
    for _ in 0..64 {
        let client = client.clone();
        let session_id = session_id.clone();
        tasks.push(tokio::spawn(async move {
            for _ in 0..4 {
                let session = client.get_session(&session_id).await.unwrap();
                assert_eq!(session.session_id, Some(session_id.clone()));
            }
        }));
    }
    for task in tasks {
        task.await.unwrap();
    }
}

#[test]
fn eight_threads_share_one_blocking_client() {
    let (_emulator, config, session_id) = setup();
    let client = config.build_blocking().unwrap();
    std::thread::scope(|scope| {
        for _ in 0..8 {
            let client = client.clone();
            let session_id = &session_id;
            scope.spawn(move || {
                for _ in 0..16 {
                    let session = client.get_session(session_id).unwrap();
                    assert_eq!(session.session_id.as_ref(), Some(session_id));
                }
            });
        }
    });
}
