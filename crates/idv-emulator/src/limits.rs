//! The emulator's limits as a server: connections, requests in flight, time, body sizes and
//! the memory of its stores. Every limit applies before the allocation it protects.
//!
//! | limit | default | builder / flag |
//! |---|---|---|
//! | open connections | 1024 (more wait in the listen backlog, 1,024 deep) | [`max_connections`](crate::EmulatorBuilder::max_connections), `--max-connections` |
//! | requests in flight | 256 (more get 503 `SERVER_BUSY`, `Retry-After: 1`) | [`max_in_flight`](crate::EmulatorBuilder::max_in_flight), `--max-in-flight` |
//! | request head | must arrive within 10 s (of the connection or the previous response) | [`header_read_timeout`](crate::EmulatorBuilder::header_read_timeout), `--header-timeout` |
//! | request body | must arrive within 30 s of the head, else 408 `REQUEST_TIMEOUT` | [`body_read_timeout`](crate::EmulatorBuilder::body_read_timeout), `--body-timeout` |
//! | idle connection | closed after 30 s with no request in progress and nothing received | [`idle_timeout`](crate::EmulatorBuilder::idle_timeout), `--idle-timeout` |
//! | bodies held at once | 64 MiB in all (by declared length; more gets 503 `SERVER_BUSY`) | [`body_memory`](crate::EmulatorBuilder::body_memory), `--body-memory` |
//! | sessions | 10,000 (creating one more forgets the oldest) | [`max_sessions`](crate::EmulatorBuilder::max_sessions), `--max-sessions` |
//! | remembered nonces | 100,000 (the oldest is forgotten first, even within the replay window) | [`max_nonces`](crate::EmulatorBuilder::max_nonces), `--max-nonces` |
//! | notification log | 10,000 records (the oldest is dropped first) | [`max_notifications`](crate::EmulatorBuilder::max_notifications), `--max-notifications` |
//! | applicants, per application and base | 1,000 (more: 409 `LIMIT_REACHED`; nothing is forgotten) | [`max_applicants`](crate::EmulatorBuilder::max_applicants), `--max-applicants` |
//! | faces per applicant | 5 (409 `LIMIT_REACHED`) | [`max_faces_per_applicant`](crate::EmulatorBuilder::max_faces_per_applicant), `--max-faces-per-applicant` |
//! | face image bytes, per application and base | 256 MiB (409 `LIMIT_REACHED`) | [`face_memory`](crate::EmulatorBuilder::face_memory), `--face-memory` |
//! | pools, per application and base | 100 (409 `LIMIT_REACHED`) | [`max_pools`](crate::EmulatorBuilder::max_pools), `--max-pools` |
//! | applicants per pool | 1,000 (409 `LIMIT_REACHED`) | [`max_pool_members`](crate::EmulatorBuilder::max_pool_members), `--max-pool-members` |
//!
//! Request body caps depend on the route and are checked against `Content-Length` (or
//! while reading a chunked body) before anything is read, and only after the request's
//! authentication has passed every check that needs no body:
//!
//! | route | cap |
//! |---|---|
//! | face-capture image upload (multipart) | 10 MiB + 64 KiB |
//! | hosted page client uploads (raw image) | 10 MiB |
//! | sandbox `POST /agent`, response configs (base64 images in JSON) | 14 MiB |
//! | `POST /applicants`, `POST /applicants/{id}/faces` (a base64 face in JSON) | 13.4 MiB (the base64 of 10 MiB) + 64 KiB |
//! | every other route | 1 MiB |
//! | admin API | 64 KiB |
//!
//! A body over its cap is refused with 413 `PAYLOAD_TOO_LARGE` without being read.

use std::sync::Arc;
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::http::{HeaderMap, StatusCode, header};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use crate::error::ApiError;
use crate::media::MAX_IMAGE_BYTES;

/// Cap of a JSON body on the signed API.
pub(crate) const JSON_BODY_CAP: usize = 1024 * 1024;
/// Cap of a multipart image upload on the signed API: an image and its part headers.
pub(crate) const MULTIPART_BODY_CAP: usize = MAX_IMAGE_BYTES + 64 * 1024;
/// Cap of an applicant body that may carry a base64 face image (A1, A2): the base64 of a
/// [`MAX_IMAGE_BYTES`] image and 64 KiB for the JSON around it.
pub(crate) const FACE_JSON_BODY_CAP: usize = MAX_IMAGE_BYTES.div_ceil(3) * 4 + 64 * 1024;
/// Cap of a sandbox body that may carry base64 images (agent, response configs).
pub(crate) const SANDBOX_BODY_CAP: usize = 14 * 1024 * 1024;
/// Cap of an admin API body.
pub(crate) const ADMIN_BODY_CAP: usize = 64 * 1024;

/// The configurable limits (see the module docs for the defaults).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Limits {
    pub(crate) max_connections: usize,
    pub(crate) max_in_flight: usize,
    pub(crate) header_read_timeout: Duration,
    pub(crate) body_read_timeout: Duration,
    pub(crate) idle_timeout: Duration,
    pub(crate) body_memory: usize,
    pub(crate) max_sessions: usize,
    pub(crate) max_nonces: usize,
    pub(crate) max_notifications: usize,
    pub(crate) store: StoreLimits,
}

/// Default cap on open connections.
pub(crate) const DEFAULT_MAX_CONNECTIONS: usize = 1024;
/// Default cap on requests in flight.
pub(crate) const DEFAULT_MAX_IN_FLIGHT: usize = 256;
/// Default time for a request head to arrive.
pub(crate) const DEFAULT_HEADER_READ_TIMEOUT: Duration = Duration::from_secs(10);
/// Default time for a request body to arrive.
pub(crate) const DEFAULT_BODY_READ_TIMEOUT: Duration = Duration::from_secs(30);
/// Default idle time before a connection is closed.
pub(crate) const DEFAULT_IDLE_TIMEOUT: Duration = Duration::from_secs(30);
/// Default budget of request bodies held at once.
pub(crate) const DEFAULT_BODY_MEMORY: usize = 64 * 1024 * 1024;
/// Default cap on sessions.
pub(crate) const DEFAULT_MAX_SESSIONS: usize = 10_000;
/// Default cap on remembered nonces.
pub(crate) const DEFAULT_MAX_NONCES: usize = 100_000;
/// Default cap on notification records.
pub(crate) const DEFAULT_MAX_NOTIFICATIONS: usize = 10_000;
/// Default cap on applicants, per application and base.
pub(crate) const DEFAULT_MAX_APPLICANTS: usize = 1_000;
/// Default cap on faces per applicant.
pub(crate) const DEFAULT_MAX_FACES_PER_APPLICANT: usize = 5;
/// Default cap on pools, per application and base.
pub(crate) const DEFAULT_MAX_POOLS: usize = 100;
/// Default cap on applicants per pool.
pub(crate) const DEFAULT_MAX_POOL_MEMBERS: usize = 1_000;
/// Default budget of face image bytes, per application and base: 256 MiB.
pub(crate) const DEFAULT_FACE_MEMORY: usize = 256 * 1024 * 1024;

/// The limits of the applicant and pool store (Face Search): refused growth (409
/// `LIMIT_REACHED`), never forgetting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct StoreLimits {
    /// Most applicants one application holds (per base).
    pub(crate) applicants: usize,
    /// Most faces one applicant holds.
    pub(crate) faces_per_applicant: usize,
    /// Most pools one application holds (per base).
    pub(crate) pools: usize,
    /// Most applicants in one pool.
    pub(crate) pool_members: usize,
    /// Most bytes of face images one application holds (per base).
    pub(crate) face_bytes: usize,
}

impl Default for StoreLimits {
    fn default() -> Self {
        Self {
            applicants: DEFAULT_MAX_APPLICANTS,
            faces_per_applicant: DEFAULT_MAX_FACES_PER_APPLICANT,
            pools: DEFAULT_MAX_POOLS,
            pool_members: DEFAULT_MAX_POOL_MEMBERS,
            face_bytes: DEFAULT_FACE_MEMORY,
        }
    }
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_connections: DEFAULT_MAX_CONNECTIONS,
            max_in_flight: DEFAULT_MAX_IN_FLIGHT,
            header_read_timeout: DEFAULT_HEADER_READ_TIMEOUT,
            body_read_timeout: DEFAULT_BODY_READ_TIMEOUT,
            idle_timeout: DEFAULT_IDLE_TIMEOUT,
            body_memory: DEFAULT_BODY_MEMORY,
            max_sessions: DEFAULT_MAX_SESSIONS,
            max_nonces: DEFAULT_MAX_NONCES,
            max_notifications: DEFAULT_MAX_NOTIFICATIONS,
            store: StoreLimits::default(),
        }
    }
}

/// The run-time side of [`Limits`]: semaphores for requests in flight and body memory.
pub(crate) struct Gates {
    pub(crate) limits: Limits,
    in_flight: Arc<Semaphore>,
    body_memory: Arc<Semaphore>,
}

/// Holds a share of the body memory budget while a body is alive.
#[derive(Debug)]
pub(crate) struct BodyPermit(#[allow(dead_code)] Option<OwnedSemaphorePermit>);

impl BodyPermit {
    /// No share held (no body).
    pub(crate) fn none() -> Self {
        Self(None)
    }
}

impl Gates {
    pub(crate) fn new(limits: Limits) -> Self {
        Self {
            limits,
            in_flight: Arc::new(Semaphore::new(
                limits.max_in_flight.clamp(1, Semaphore::MAX_PERMITS),
            )),
            body_memory: Arc::new(Semaphore::new(budget_units(limits.body_memory))),
        }
    }

    /// A slot for one request in flight, or `None` when all are taken.
    pub(crate) fn try_request(&self) -> Option<OwnedSemaphorePermit> {
        Arc::clone(&self.in_flight).try_acquire_owned().ok()
    }

    /// Reads a body whose head passed [`declared_length`]: reserves its size in the body
    /// memory budget (503 when the budget is spent), then reads at most `cap` bytes within
    /// the body read timeout (408 when it is slower, 413 when it is longer).
    pub(crate) async fn read_body(
        &self,
        body: Body,
        declared: Option<u64>,
        cap: usize,
        too_large: impl FnOnce() -> ApiError,
    ) -> Result<(Bytes, BodyPermit), ApiError> {
        let reserve = declared.map_or(cap, |len| usize::try_from(len).unwrap_or(usize::MAX));
        if reserve == 0 {
            // Nothing declared: hyper gives an empty body; still read it to be exact.
            let bytes = self.read_within(body, cap, too_large).await?;
            return Ok((bytes, BodyPermit(None)));
        }
        let units = u32::try_from(reserve.div_ceil(BUDGET_UNIT)).unwrap_or(u32::MAX);
        let permit = Arc::clone(&self.body_memory)
            .try_acquire_many_owned(units)
            .map_err(|_| ApiError::busy())?;
        let bytes = self.read_within(body, cap, too_large).await?;
        Ok((bytes, BodyPermit(Some(permit))))
    }

    async fn read_within(
        &self,
        body: Body,
        cap: usize,
        too_large: impl FnOnce() -> ApiError,
    ) -> Result<Bytes, ApiError> {
        match tokio::time::timeout(self.limits.body_read_timeout, collect(body, cap)).await {
            Err(_) => Err(ApiError::new(
                StatusCode::REQUEST_TIMEOUT,
                "REQUEST_TIMEOUT",
                "The request body did not arrive in time",
            )),
            Ok(Err(Collect::TooLong)) => Err(too_large()),
            Ok(Err(Collect::Broken)) => Err(ApiError::malformed("Request body could not be read")),
            Ok(Ok(bytes)) => Ok(bytes),
        }
    }
}

enum Collect {
    TooLong,
    Broken,
}

/// Reads a body frame by frame, refusing it as soon as it passes `cap`.
async fn collect(body: Body, cap: usize) -> Result<Bytes, Collect> {
    use futures_util::StreamExt as _;
    let mut stream = body.into_data_stream();
    let mut first: Option<Bytes> = None;
    let mut rest: Vec<u8> = Vec::new();
    let mut len = 0usize;
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.map_err(|_| Collect::Broken)?;
        len = len.saturating_add(chunk.len());
        if len > cap {
            return Err(Collect::TooLong);
        }
        match first.take() {
            None if rest.is_empty() => first = Some(chunk),
            None => rest.extend_from_slice(&chunk),
            Some(one) => {
                rest.reserve(len);
                rest.extend_from_slice(&one);
                rest.extend_from_slice(&chunk);
            }
        }
    }
    Ok(first.unwrap_or_else(|| Bytes::from(rest)))
}

/// The body memory budget counts in KiB (a semaphore holds at most `u32::MAX` permits).
const BUDGET_UNIT: usize = 1024;

fn budget_units(bytes: usize) -> usize {
    (bytes / BUDGET_UNIT).clamp(1, Semaphore::MAX_PERMITS.min(u32::MAX as usize))
}

/// What a request head declares about its body, checked against `cap` before anything is
/// read: `Some(len)` for a `Content-Length` (413 when over `cap`), `None` for a chunked
/// body (read with the cap), `Some(0)` for no body.
///
/// # Errors
/// `too_large()` when the declared length is over `cap`; 400 for a `Content-Length` that is
/// not a number.
pub(crate) fn declared_length(
    headers: &HeaderMap,
    cap: usize,
    too_large: impl FnOnce() -> ApiError,
) -> Result<Option<u64>, ApiError> {
    if let Some(value) = headers.get(header::CONTENT_LENGTH) {
        let len = value
            .to_str()
            .ok()
            .and_then(|v| v.trim().parse::<u64>().ok())
            .ok_or_else(|| ApiError::malformed("Content-Length is not a number"))?;
        if len > cap as u64 {
            return Err(too_large());
        }
        return Ok(Some(len));
    }
    if headers.contains_key(header::TRANSFER_ENCODING) {
        return Ok(None);
    }
    Ok(Some(0))
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(pairs: &[(header::HeaderName, &'static str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.insert(name.clone(), HeaderValue::from_static(value));
        }
        map
    }

    #[test]
    fn declared_length_against_the_cap() {
        let big = || ApiError::payload_too_large(10);
        assert_eq!(
            declared_length(&headers(&[(header::CONTENT_LENGTH, "10")]), 10, big).ok(),
            Some(Some(10))
        );
        let err = declared_length(&headers(&[(header::CONTENT_LENGTH, "11")]), 10, big);
        assert_eq!(err.err().map(|e| e.code()), Some("PAYLOAD_TOO_LARGE"));
        let err = declared_length(&headers(&[(header::CONTENT_LENGTH, "x")]), 10, big);
        assert_eq!(err.err().map(|e| e.code()), Some("MALFORMED_REQUEST"));
        assert_eq!(
            declared_length(&headers(&[(header::TRANSFER_ENCODING, "chunked")]), 10, big).ok(),
            Some(None)
        );
        assert_eq!(declared_length(&headers(&[]), 10, big).ok(), Some(Some(0)));
    }

    #[tokio::test]
    async fn body_budget_and_caps() {
        let gates = Gates::new(Limits {
            body_memory: 4 * 1024,
            ..Limits::default()
        });
        let big = || ApiError::payload_too_large(8);
        let (bytes, held) = gates
            .read_body(Body::from("abcd"), Some(4096), 8192, big)
            .await
            .unwrap();
        assert_eq!(&bytes[..], b"abcd");
        // The whole budget is held: a second body waits for none of it, it is refused.
        let err = gates
            .read_body(Body::from("x"), Some(1), 8, big)
            .await
            .unwrap_err();
        assert_eq!(err.code(), "SERVER_BUSY");
        drop(held);
        assert!(
            gates
                .read_body(Body::from("x"), Some(1), 8, big)
                .await
                .is_ok()
        );
        // Longer than the cap while reading (a chunked body): the caller's 413.
        let err = gates
            .read_body(Body::from("0123456789"), None, 8, big)
            .await
            .unwrap_err();
        assert_eq!(err.code(), "PAYLOAD_TOO_LARGE");
    }
}
