//! Both transports keep connections alive: 100 sequential calls open one connection.

#![allow(clippy::unwrap_used)]

use crate::support;

use idv::ClientBuilder;
use idv::model::*;
use idv_emulator::Emulator;

/// The emulator, a configuration, and a session created on a client of its own (whose
/// connection does not count in the tests).
fn setup() -> (Emulator, ClientBuilder, idv::model::SessionId) {
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
fn ureq_reuses_one_connection_for_100_calls() {
    let (emulator, config, session_id) = setup();
    let before = emulator.connections_accepted();
    let client = config.build_blocking().unwrap();
    for _ in 0..100 {
        client.get_session(&session_id).unwrap();
    }
    assert_eq!(emulator.connections_accepted() - before, 1);
}

#[tokio::test]
async fn reqwest_reuses_one_connection_for_100_calls() {
    let (emulator, config, session_id) = setup();
    let before = emulator.connections_accepted();
    let client = config.build().unwrap();
    for _ in 0..100 {
        client.get_session(&session_id).await.unwrap();
    }
    assert_eq!(emulator.connections_accepted() - before, 1);
}
