//! What the blocking and the async client share around the transport: the response limit of
//! an operation and the retry decision for an attempt. The loops themselves are in
//! `blocking.rs` and `client.rs`.

use std::time::{Instant, SystemTime};

use idv_core::retry::{Attempt, Decision, Outcome};
use idv_core::{Operation, TransportError, TransportErrorKind};

use crate::ClientConfig;

/// The largest response body `operation` may receive.
pub(crate) fn response_limit<O: Operation>(config: &ClientConfig, operation: &O) -> usize {
    let media = config.transport.max_response_bytes;
    if operation.is_media() {
        media
    } else {
        config.max_json_bytes.min(media)
    }
}

/// Refuses a buffered body over `limit`, for transports that ignore the
/// [`idv_core::ResponseLimit`] hint.
pub(crate) fn check_len(
    response: &http::Response<Vec<u8>>,
    limit: usize,
) -> Result<(), TransportError> {
    if response.body().len() > limit {
        Err(TransportError::from_kind(TransportErrorKind::BodyTooLarge))
    } else {
        Ok(())
    }
}

/// Whether to try again after attempt `number` ended in `result`.
pub(crate) fn decide<B>(
    config: &ClientConfig,
    number: u32,
    started: Instant,
    idempotent: bool,
    result: &Result<http::Response<B>, TransportError>,
) -> Decision {
    // The common case: a success is never retried. Skip the clock read and the random
    // jitter (a getrandom call) the policy would otherwise be handed.
    if result.as_ref().is_ok_and(|r| r.status().is_success()) {
        return Decision::Stop;
    }
    let outcome = match result {
        Ok(response) => Outcome::Response {
            status: response.status(),
            headers: response.headers(),
        },
        Err(e) => Outcome::Transport(e),
    };
    config.retry.decide(&Attempt {
        number,
        elapsed: started.elapsed(),
        idempotent,
        outcome,
        jitter: idv_core::retry::jitter(),
        now: SystemTime::now(),
    })
}
