//! Time: the [`Clock`] the emulator reads, and a [`ManualClock`] tests move by hand.
//!
//! The emulator reads time in two ways:
//!
//! * **Request time** (timestamp skew, nonce replay window): the injected [`Clock`]
//!   ([`SystemClock`] unless [`EmulatorBuilder::clock`](crate::EmulatorBuilder::clock) says
//!   otherwise), because clients sign with their own wall clock.
//! * **Session time** (client session token TTL, `session_deadline`, `resources_ttl`,
//!   `async_report_delay`, media timestamps): the same clock plus the offset that
//!   [`Emulator::advance_clock`](crate::Emulator::advance_clock) adds. Advancing makes
//!   sessions age without making a client's freshly signed timestamps look stale.
//!
//! With a [`ManualClock`] both move only when the test moves them.

use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, SystemTime};

/// A source of wall-clock time.
pub trait Clock: Send + Sync + 'static {
    /// The current time.
    fn now(&self) -> SystemTime;
}

/// The system's wall clock (the default).
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> SystemTime {
        SystemTime::now()
    }
}

/// A clock that stands still until moved; clones share the same time.
///
/// ```
/// use std::time::{Duration, UNIX_EPOCH};
/// use idv_emulator::{Clock, ManualClock};
///
/// let clock = ManualClock::new(UNIX_EPOCH + Duration::from_secs(1_700_000_000));
/// let handle = clock.clone();
/// handle.advance(Duration::from_secs(60));
/// assert_eq!(clock.now(), UNIX_EPOCH + Duration::from_secs(1_700_000_060));
/// ```
#[derive(Clone)]
pub struct ManualClock {
    now: Arc<Mutex<SystemTime>>,
}

impl ManualClock {
    /// A clock standing at `start`.
    pub fn new(start: SystemTime) -> Self {
        Self {
            now: Arc::new(Mutex::new(start)),
        }
    }

    /// A clock standing at the current system time.
    pub fn starting_now() -> Self {
        Self::new(SystemTime::now())
    }

    /// Moves the clock forward.
    pub fn advance(&self, by: Duration) {
        let mut now = self.now.lock().unwrap_or_else(PoisonError::into_inner);
        *now = now.checked_add(by).unwrap_or(*now);
    }

    /// Sets the clock to `to` (which may be earlier).
    pub fn set(&self, to: SystemTime) {
        *self.now.lock().unwrap_or_else(PoisonError::into_inner) = to;
    }
}

impl Clock for ManualClock {
    fn now(&self) -> SystemTime {
        *self.now.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl fmt::Debug for ManualClock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ManualClock")
            .field("now", &self.now())
            .finish()
    }
}

/// The emulator's clock: the injected clock, plus the session-time offset.
pub(crate) struct EmuClock {
    base: Arc<dyn Clock>,
    offset_millis: AtomicU64,
}

impl EmuClock {
    pub(crate) fn new(base: Arc<dyn Clock>) -> Self {
        Self {
            base,
            offset_millis: AtomicU64::new(0),
        }
    }

    /// Request time: the injected clock alone.
    pub(crate) fn request_now(&self) -> SystemTime {
        self.base.now()
    }

    /// Session time: the injected clock plus everything [`EmuClock::advance`] added.
    pub(crate) fn now(&self) -> SystemTime {
        let offset = Duration::from_millis(self.offset_millis.load(Ordering::Acquire));
        let base = self.base.now();
        base.checked_add(offset).unwrap_or(base)
    }

    pub(crate) fn advance(&self, by: Duration) {
        let millis = u64::try_from(by.as_millis()).unwrap_or(u64::MAX);
        let _ = self
            .offset_millis
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |o| {
                Some(o.saturating_add(millis))
            });
    }
}

impl Default for EmuClock {
    fn default() -> Self {
        Self::new(Arc::new(SystemClock))
    }
}
