//! When to try a call again, and how long to wait first: a pure decision, so it is tested as a
//! table and shared by the blocking and the async client.
//!
//! The default policy retries **safe** calls (GET, DELETE, the image upload PUT) on connect
//! errors, timeouts, broken connections and the statuses 429, 502, 503 and 504, with
//! exponential backoff and jitter, honouring `Retry-After` (seconds or an HTTP date) within a
//! total time budget. A call that is **not** safe to repeat — creating a session, creating a
//! face-capture resource — is retried only when the request provably never left the machine (a
//! [`TransportErrorKind::Connect`] error, which transports raise only for a fresh connection
//! that could not be set up: refused, name not resolved, TLS set-up failed): a second
//! `POST /sessions` that reached the service would create a second, billable session. A
//! reset, a broken pipe or an unreachable network may follow a request written on a reused
//! connection, so they are never taken as "not sent". Every attempt is signed afresh, with a
//! new nonce and timestamp.

use std::time::{Duration, SystemTime};

use http::{HeaderMap, StatusCode};

use crate::transport::{TransportError, TransportErrorKind};

/// How often and how patiently a client retries.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct RetryPolicy {
    /// Attempts in all, the first included; 1 means no retries.
    pub max_attempts: u32,
    /// The most time a call may take from its first attempt to the start of its last; a wait
    /// that would end past it is not made.
    pub budget: Duration,
    /// The wait before the first retry (before jitter); it doubles with each retry.
    pub base_backoff: Duration,
    /// The longest wait between attempts computed by backoff (a `Retry-After` within the
    /// budget is honoured even when longer).
    pub max_backoff: Duration,
}

impl RetryPolicy {
    /// The default: 3 attempts within 30 seconds, backoff from 200 ms up to 5 s.
    pub fn new() -> Self {
        Self {
            max_attempts: 3,
            budget: Duration::from_secs(30),
            base_backoff: Duration::from_millis(200),
            max_backoff: Duration::from_secs(5),
        }
    }

    /// No retries: every call is attempted once.
    pub fn disabled() -> Self {
        Self {
            max_attempts: 1,
            ..Self::new()
        }
    }

    /// Sets the number of attempts, the first included (at least 1).
    pub fn with_max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// Sets the total time budget.
    pub fn with_budget(mut self, budget: Duration) -> Self {
        self.budget = budget;
        self
    }

    /// Sets the wait before the first retry.
    pub fn with_base_backoff(mut self, backoff: Duration) -> Self {
        self.base_backoff = backoff;
        self
    }

    /// Sets the longest backoff wait.
    pub fn with_max_backoff(mut self, backoff: Duration) -> Self {
        self.max_backoff = backoff;
        self
    }

    /// The backoff before retry number `retry` (1 for the first retry): `base × 2^(retry-1)`,
    /// capped at `max_backoff`, then scaled into `[½, 1]` of itself by `jitter` in `[0, 1)`
    /// ("equal jitter": never less than half, so retries do not hammer the server).
    pub fn backoff(&self, retry: u32, jitter: f64) -> Duration {
        let exp = retry.saturating_sub(1).min(30);
        let raw = self
            .base_backoff
            .saturating_mul(1u32 << exp)
            .min(self.max_backoff);
        let jitter = if jitter.is_finite() {
            jitter.clamp(0.0, 1.0)
        } else {
            0.0
        };
        raw.mul_f64(0.5 + jitter / 2.0)
    }

    /// Decides what to do after an attempt.
    pub fn decide(&self, attempt: &Attempt<'_>) -> Decision {
        if attempt.number >= self.max_attempts {
            return Decision::Stop;
        }
        let retry_after = match attempt.outcome {
            Outcome::Transport(e) => {
                let retryable = match e.kind() {
                    TransportErrorKind::Connect => true,
                    TransportErrorKind::Timeout | TransportErrorKind::Other => attempt.idempotent,
                    _ => false,
                };
                if !retryable {
                    return Decision::Stop;
                }
                None
            }
            Outcome::Response { status, headers } => {
                let retryable = matches!(status.as_u16(), 429 | 502 | 503 | 504);
                if !retryable || !attempt.idempotent {
                    return Decision::Stop;
                }
                retry_after(headers, attempt.now)
            }
        };
        let wait = retry_after.unwrap_or_else(|| self.backoff(attempt.number, attempt.jitter));
        match attempt.elapsed.checked_add(wait) {
            Some(end) if end <= self.budget => Decision::Retry(wait),
            _ => Decision::Stop,
        }
    }
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self::new()
    }
}

/// What happened in one attempt.
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub enum Outcome<'a> {
    /// The server answered.
    Response {
        /// Its status.
        status: StatusCode,
        /// Its headers (for `Retry-After`).
        headers: &'a HeaderMap,
    },
    /// The transport failed.
    Transport(&'a TransportError),
}

/// Everything [`RetryPolicy::decide`] looks at.
#[derive(Debug, Clone, Copy)]
pub struct Attempt<'a> {
    /// The attempt that just ended, from 1.
    pub number: u32,
    /// Time since the first attempt started.
    pub elapsed: Duration,
    /// Whether the call is safe to repeat.
    pub idempotent: bool,
    /// What happened.
    pub outcome: Outcome<'a>,
    /// A random number in `[0, 1)` for the jitter.
    pub jitter: f64,
    /// The current time, to read a `Retry-After` date.
    pub now: SystemTime,
}

/// What to do next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Decision {
    /// Wait this long, then send the call again (signed afresh).
    Retry(Duration),
    /// Return this attempt's result.
    Stop,
}

/// The wait a `Retry-After` header asks for: whole seconds, or an HTTP date (a date in the past
/// means no wait).
pub fn retry_after(headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
    let value = headers
        .get(http::header::RETRY_AFTER)?
        .to_str()
        .ok()?
        .trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let date = httpdate::parse_http_date(value).ok()?;
    Some(date.duration_since(now).unwrap_or(Duration::ZERO))
}

/// A random number in `[0, 1)` from the OS (0.5 if it is unavailable).
pub fn jitter() -> f64 {
    match getrandom::u32() {
        Ok(n) => f64::from(n) / (f64::from(u32::MAX) + 1.0),
        Err(_) => 0.5,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn response(status: u16, retry_after: Option<&str>) -> HeaderMap {
        let _ = status;
        let mut h = HeaderMap::new();
        if let Some(v) = retry_after {
            h.insert(http::header::RETRY_AFTER, v.parse().expect("header"));
        }
        h
    }

    fn decide(
        policy: &RetryPolicy,
        number: u32,
        idempotent: bool,
        outcome: Outcome<'_>,
    ) -> Decision {
        policy.decide(&Attempt {
            number,
            elapsed: Duration::ZERO,
            idempotent,
            outcome,
            jitter: 0.0,
            now: SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000),
        })
    }

    #[test]
    fn statuses_table() {
        let p = RetryPolicy::new();
        let h = HeaderMap::new();
        for (status, idempotent, retry) in [
            (429, true, true),
            (502, true, true),
            (503, true, true),
            (504, true, true),
            (500, true, false),
            (400, true, false),
            (401, true, false),
            (404, true, false),
            (200, true, false),
            (503, false, false),
            (429, false, false),
        ] {
            let outcome = Outcome::Response {
                status: StatusCode::from_u16(status).expect("status"),
                headers: &h,
            };
            let d = decide(&p, 1, idempotent, outcome);
            assert_eq!(
                matches!(d, Decision::Retry(_)),
                retry,
                "{status} idempotent={idempotent}: {d:?}"
            );
        }
    }

    #[test]
    fn transport_errors_table() {
        let p = RetryPolicy::new();
        for (kind, idempotent, retry) in [
            (TransportErrorKind::Connect, true, true),
            (TransportErrorKind::Connect, false, true),
            (TransportErrorKind::Timeout, true, true),
            (TransportErrorKind::Timeout, false, false),
            (TransportErrorKind::Other, true, true),
            (TransportErrorKind::Other, false, false),
            (TransportErrorKind::BodyTooLarge, true, false),
            (TransportErrorKind::Request, true, false),
        ] {
            let e = TransportError::from_kind(kind);
            let d = decide(&p, 1, idempotent, Outcome::Transport(&e));
            assert_eq!(
                matches!(d, Decision::Retry(_)),
                retry,
                "{kind:?} {idempotent}"
            );
        }
    }

    #[test]
    fn attempts_and_budget_bound_retries() {
        let p = RetryPolicy::new().with_max_attempts(3);
        let e = TransportError::from_kind(TransportErrorKind::Connect);
        assert!(matches!(
            decide(&p, 2, true, Outcome::Transport(&e)),
            Decision::Retry(_)
        ));
        assert_eq!(decide(&p, 3, true, Outcome::Transport(&e)), Decision::Stop);
        assert_eq!(
            decide(&RetryPolicy::disabled(), 1, true, Outcome::Transport(&e)),
            Decision::Stop
        );
        let tight = RetryPolicy::new().with_budget(Duration::from_millis(50));
        assert_eq!(
            decide(&tight, 1, true, Outcome::Transport(&e)),
            Decision::Stop
        );
    }

    #[test]
    fn backoff_doubles_caps_and_jitters() {
        let p = RetryPolicy::new()
            .with_base_backoff(Duration::from_millis(100))
            .with_max_backoff(Duration::from_millis(1000));
        assert_eq!(p.backoff(1, 0.0), Duration::from_millis(50));
        assert_eq!(p.backoff(1, 0.999_999), Duration::from_nanos(99_999_950));
        assert_eq!(p.backoff(2, 0.0), Duration::from_millis(100));
        assert_eq!(p.backoff(3, 0.0), Duration::from_millis(200));
        assert_eq!(p.backoff(10, 0.0), Duration::from_millis(500));
        assert_eq!(p.backoff(u32::MAX, 1.0), Duration::from_millis(1000));
        assert_eq!(p.backoff(1, f64::NAN), Duration::from_millis(50));
    }

    #[test]
    fn retry_after_seconds_and_dates() {
        let p = RetryPolicy::new();
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        let h = response(503, Some("2"));
        assert_eq!(retry_after(&h, now), Some(Duration::from_secs(2)));
        let d = decide(
            &p,
            1,
            true,
            Outcome::Response {
                status: StatusCode::SERVICE_UNAVAILABLE,
                headers: &h,
            },
        );
        assert_eq!(d, Decision::Retry(Duration::from_secs(2)));

        let date = httpdate::fmt_http_date(now + Duration::from_secs(7));
        let h = response(429, Some(&date));
        assert_eq!(retry_after(&h, now), Some(Duration::from_secs(7)));
        let past = httpdate::fmt_http_date(now - Duration::from_secs(7));
        assert_eq!(
            retry_after(&response(429, Some(&past)), now),
            Some(Duration::ZERO)
        );
        assert_eq!(retry_after(&response(429, Some("soon")), now), None);

        // A Retry-After beyond the budget is not waited for.
        let h = response(503, Some("120"));
        let d = decide(
            &p,
            1,
            true,
            Outcome::Response {
                status: StatusCode::SERVICE_UNAVAILABLE,
                headers: &h,
            },
        );
        assert_eq!(d, Decision::Stop);
    }

    #[test]
    fn jitter_is_in_range() {
        for _ in 0..100 {
            let j = jitter();
            assert!((0.0..1.0).contains(&j));
        }
    }
}
