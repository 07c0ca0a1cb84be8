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
}

impl WaitOptions {
    /// Polls for up to `timeout`: first after 1 s, then 1.5 times longer each time, at most
    /// every 15 s.
    pub fn new(timeout: Duration) -> Self {
        Self {
            timeout,
            initial_interval: Duration::from_secs(1),
            max_interval: Duration::from_secs(15),
            multiplier: 1.5,
        }
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
}

impl<'a> Waiter<'a> {
    pub(crate) fn new(options: &'a WaitOptions) -> Self {
        Self {
            options,
            started: Instant::now(),
            interval: options.initial_interval,
            polls: 0,
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
        let pause = self.interval.min(left);
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
