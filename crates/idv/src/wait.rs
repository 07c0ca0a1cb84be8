//! Waiting for a session to finish by polling it: the fallback when notifications (webhooks)
//! cannot be received.

use std::fmt;
use std::time::{Duration, Instant};

use idv_core::Error;
use idv_model::{GetSessionResult, SessionState};

/// How [`crate::Client::wait_for_completion`] and
/// [`crate::BlockingClient::wait_for_completion`] poll.
///
/// ```
/// use std::time::Duration;
/// let options = idv::WaitOptions::new(Duration::from_secs(300))
///     .with_initial_interval(Duration::from_secs(2));
/// # let _ = options;
/// ```
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct WaitOptions {
    /// How long to wait in all before giving up.
    pub timeout: Duration,
    /// The first pause between two polls.
    pub initial_interval: Duration,
    /// The longest pause between two polls.
    pub max_interval: Duration,
    /// How much the pause grows after each poll.
    pub multiplier: f64,
    /// How much each pause varies at random around the interval, as a fraction of it: each
    /// pause is the interval times a factor drawn uniformly from `1 - jitter` to
    /// `1 + jitter` (0.5 by default, clamped to 0..=1). The mean pause is the interval, so
    /// many waits poll at sessions ÷ interval requests per second in all, but they drift
    /// apart instead of polling in lockstep (no thundering herd when many waits start at
    /// once). 0 polls exactly at the interval.
    pub jitter: f64,
}

impl WaitOptions {
    /// Polls for up to `timeout`: at once, then after 1 s, then 1.5 times longer each time, at
    /// most every 15 s, each pause varied at random by up to half of it either way.
    pub fn new(timeout: Duration) -> Self {
        Self {
            timeout,
            initial_interval: Duration::from_secs(1),
            max_interval: Duration::from_secs(15),
            multiplier: 1.5,
            jitter: 0.5,
        }
    }

    /// Sets how much each pause varies around the interval (see [`WaitOptions::jitter`]).
    pub fn with_jitter(mut self, jitter: f64) -> Self {
        self.jitter = jitter;
        self
    }

    /// The pause for `interval` given a uniform random number `random` in `[0, 1)`.
    pub(crate) fn jittered(&self, interval: Duration, random: f64) -> Duration {
        let jitter = if self.jitter.is_finite() {
            self.jitter.clamp(0.0, 1.0)
        } else {
            0.0
        };
        let random = if random.is_finite() {
            random.clamp(0.0, 1.0)
        } else {
            0.5
        };
        interval.mul_f64(1.0 - jitter + 2.0 * jitter * random)
    }

    /// Sets the first pause.
    pub fn with_initial_interval(mut self, interval: Duration) -> Self {
        self.initial_interval = interval;
        self
    }

    /// Sets the longest pause.
    pub fn with_max_interval(mut self, interval: Duration) -> Self {
        self.max_interval = interval;
        self
    }

    /// Sets the growth factor of the pause (1.0 polls at a fixed interval).
    pub fn with_multiplier(mut self, multiplier: f64) -> Self {
        self.multiplier = multiplier;
        self
    }

    pub(crate) fn next_interval(&self, current: Duration) -> Duration {
        let factor = if self.multiplier.is_finite() && self.multiplier >= 1.0 {
            self.multiplier
        } else {
            1.0
        };
        current.mul_f64(factor).min(self.max_interval)
    }
}

/// The session did not finish before the deadline of a wait.
#[derive(Debug)]
pub struct WaitTimeout {
    waited: Duration,
    polls: u32,
    last_state: Option<SessionState>,
}

impl WaitTimeout {
    /// How long the wait lasted.
    pub fn waited(&self) -> Duration {
        self.waited
    }

    /// How many times the session was read.
    pub fn polls(&self) -> u32 {
        self.polls
    }

    /// The state the session was last seen in.
    pub fn last_state(&self) -> Option<&SessionState> {
        self.last_state.as_ref()
    }
}

impl fmt::Display for WaitTimeout {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "the session did not complete within {:.1?} ({} polls, last state {})",
            self.waited,
            self.polls,
            self.last_state.as_ref().map_or("unknown", |s| s.as_str())
        )
    }
}

impl std::error::Error for WaitTimeout {}

/// Why a wait ended without a finished session.
#[derive(Debug)]
#[non_exhaustive]
pub enum WaitError {
    /// The deadline passed first.
    Timeout(WaitTimeout),
    /// Reading the session failed (after the client's retries).
    Api(Error),
}

impl WaitError {
    /// Whether the deadline passed.
    pub fn is_timeout(&self) -> bool {
        matches!(self, WaitError::Timeout(_))
    }
}

impl fmt::Display for WaitError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WaitError::Timeout(_) => f.write_str("timed out waiting for the session"),
            WaitError::Api(_) => f.write_str("failed to read the session while waiting"),
        }
    }
}

impl std::error::Error for WaitError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            WaitError::Timeout(e) => Some(e),
            WaitError::Api(e) => Some(e),
        }
    }
}

impl From<Error> for WaitError {
    fn from(e: Error) -> Self {
        WaitError::Api(e)
    }
}

/// The bookkeeping of one wait, shared by both clients.
pub(crate) struct Waiter<'a> {
    options: &'a WaitOptions,
    started: Instant,
    interval: Duration,
    polls: u32,
    /// A uniform random number in `[0, 1)` per pause (the OS's; fixed in tests).
    random: fn() -> f64,
}

impl<'a> Waiter<'a> {
    pub(crate) fn new(options: &'a WaitOptions) -> Self {
        Self {
            options,
            started: Instant::now(),
            interval: options.initial_interval,
            polls: 0,
            random: idv_core::retry::jitter,
        }
    }

    /// After a poll: `Ok(None)` when done (the session is returned by the caller), else the
    /// pause before the next poll, or the timeout.
    pub(crate) fn after_poll(
        &mut self,
        session: &GetSessionResult,
    ) -> Result<Option<Duration>, WaitTimeout> {
        self.polls += 1;
        if session
            .state
            .as_ref()
            .is_some_and(SessionState::is_terminal)
        {
            return Ok(None);
        }
        let waited = self.started.elapsed();
        let Some(left) = self
            .options
            .timeout
            .checked_sub(waited)
            .filter(|d| !d.is_zero())
        else {
            return Err(WaitTimeout {
                waited,
                polls: self.polls,
                last_state: session.state.clone(),
            });
        };
        let pause = self
            .options
            .jittered(self.interval, (self.random)())
            .min(left);
        self.interval = self.options.next_interval(self.interval);
        Ok(Some(pause))
    }
}

impl crate::BlockingClient {
    /// Polls a session until it is `COMPLETED` or `EXPIRED`, or `options.timeout` passes.
    ///
    /// Prefer notifications (webhooks) where your service can receive them; this is the
    /// fallback when it cannot. Transient failures of each read are retried by the client's
    /// retry policy; other errors end the wait.
    ///
    /// # Errors
    ///
    /// [`WaitError::Timeout`] when the deadline passes first, [`WaitError::Api`] when reading
    /// the session fails.
    pub fn wait_for_completion(
        &self,
        session_id: &idv_model::SessionId,
        options: &WaitOptions,
    ) -> Result<GetSessionResult, WaitError> {
        let mut waiter = Waiter::new(options);
        loop {
            let session = self.get_session(session_id)?;
            match waiter.after_poll(&session) {
                Ok(None) => return Ok(session),
                Ok(Some(pause)) => std::thread::sleep(pause),
                Err(timeout) => return Err(WaitError::Timeout(timeout)),
            }
        }
    }
}

impl crate::Client {
    /// Polls a session until it is `COMPLETED` or `EXPIRED`, or `options.timeout` passes.
    ///
    /// Prefer notifications (webhooks) where your service can receive them; this is the
    /// fallback when it cannot. Cancel it by dropping the future (for example with
    /// `tokio::time::timeout` or `select!`): nothing keeps running. Transient failures of each
    /// read are retried by the client's retry policy; other errors end the wait.
    ///
    /// # Errors
    ///
    /// [`WaitError::Timeout`] when the deadline passes first, [`WaitError::Api`] when reading
    /// the session fails.
    pub async fn wait_for_completion(
        &self,
        session_id: &idv_model::SessionId,
        options: &WaitOptions,
    ) -> Result<GetSessionResult, WaitError> {
        let mut waiter = Waiter::new(options);
        loop {
            let session = self.get_session(session_id).await?;
            match waiter.after_poll(&session) {
                Ok(None) => return Ok(session),
                Ok(Some(pause)) => self.inner.transport.sleep(pause).await,
                Err(timeout) => return Err(WaitError::Timeout(timeout)),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ongoing() -> GetSessionResult {
        serde_json::from_str(r#"{"state": "ONGOING"}"#).unwrap()
    }

    fn pauses(options: &WaitOptions, random: fn() -> f64, n: usize) -> Vec<Duration> {
        let mut waiter = Waiter::new(options);
        waiter.random = random;
        let session = ongoing();
        (0..n)
            .map(|_| waiter.after_poll(&session).unwrap().unwrap())
            .collect()
    }

    #[test]
    fn each_pause_is_the_interval_varied_by_the_jitter_either_way() {
        let options = WaitOptions::new(Duration::from_secs(3600))
            .with_initial_interval(Duration::from_secs(2))
            .with_multiplier(1.0);
        assert_eq!(pauses(&options, || 0.0, 2), [Duration::from_secs(1); 2]);
        assert_eq!(pauses(&options, || 0.5, 2), [Duration::from_secs(2); 2]);
        assert_eq!(pauses(&options, || 0.75, 1), [Duration::from_millis(2500)]);
        let no_jitter = options.clone().with_jitter(0.0);
        assert_eq!(pauses(&no_jitter, || 0.0, 1), [Duration::from_secs(2)]);
        // Out-of-range settings are clamped, never negative or wild.
        let wild = options.clone().with_jitter(f64::NAN);
        assert_eq!(pauses(&wild, || 0.9, 1), [Duration::from_secs(2)]);
        let over = options.with_jitter(7.0);
        assert_eq!(pauses(&over, || 1.0, 1), [Duration::from_secs(4)]);
    }

    /// Many waits started together do not poll in lockstep, and poll at the interval on
    /// average (so sessions ÷ interval requests per second in all).
    #[test]
    fn waits_started_together_spread_out_at_the_mean_interval() {
        let options = WaitOptions::new(Duration::from_secs(3600))
            .with_initial_interval(Duration::from_secs(2))
            .with_multiplier(1.0);
        let firsts: Vec<Duration> = (0..2000)
            .map(|_| pauses(&options, idv_core::retry::jitter, 1)[0])
            .collect();
        let mean = firsts.iter().sum::<Duration>().as_secs_f64() / firsts.len() as f64;
        assert!((mean - 2.0).abs() < 0.1, "mean pause {mean}");
        assert!(
            firsts
                .iter()
                .all(|p| *p >= Duration::from_secs(1) && *p <= Duration::from_secs(3))
        );
        let distinct: std::collections::BTreeSet<_> = firsts.iter().collect();
        assert!(distinct.len() > 1900, "{} distinct pauses", distinct.len());
        // A quarter of the range holds about a quarter of the waits, not all of them.
        let early = firsts
            .iter()
            .filter(|p| **p < Duration::from_millis(1500))
            .count();
        assert!(
            (350..650).contains(&early),
            "{early} of 2000 in the first quarter"
        );
    }

    #[test]
    fn a_pause_never_passes_the_deadline() {
        let options = WaitOptions::new(Duration::from_millis(300))
            .with_initial_interval(Duration::from_secs(10));
        let pause = pauses(&options, || 0.99, 1)[0];
        assert!(pause <= Duration::from_millis(300), "{pause:?}");
    }
}
