//! The registered applications and the signature policy: who may sign, how old a timestamp
//! may be, and the nonces seen in the replay window. [`crate::auth`] checks requests against
//! them; [`crate::state`] holds them.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex, PoisonError, RwLock};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use idv_auth::PublicKey;

/// Registered applications: SDK id to public key.
#[derive(Default)]
pub(crate) struct Apps {
    keys: RwLock<HashMap<String, Arc<PublicKey>>>,
}

impl Apps {
    pub(crate) fn register(&self, sdk_id: String, key: PublicKey) {
        self.keys
            .write()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(sdk_id, Arc::new(key));
    }

    pub(crate) fn key(&self, sdk_id: &str) -> Option<Arc<PublicKey>> {
        self.keys
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .get(sdk_id)
            .cloned()
    }

    pub(crate) fn all(&self) -> Vec<(String, Arc<PublicKey>)> {
        self.keys
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .iter()
            .map(|(id, key)| (id.clone(), Arc::clone(key)))
            .collect()
    }
}

/// The skew and replay windows, and how strictly the query is read.
#[derive(Debug, Clone, Copy)]
pub(crate) struct AuthPolicy {
    /// `None` (the default): timestamps are not compared with the clock.
    pub(crate) skew: Option<Duration>,
    /// Refuse the Go SDK's `sdkID` spelling (default: accepted as `sdkId`).
    pub(crate) strict_query_names: bool,
    /// `Duration::ZERO`: nonces are not remembered.
    pub(crate) replay_window: Duration,
}

/// Default replay window: 10 minutes (as long as a timestamp stays acceptable).
pub(crate) const DEFAULT_REPLAY_WINDOW: Duration = Duration::from_secs(600);

impl Default for AuthPolicy {
    fn default() -> Self {
        Self {
            skew: None,
            strict_query_names: false,
            replay_window: DEFAULT_REPLAY_WINDOW,
        }
    }
}

/// Nonces seen within the replay window: when each was seen, and the same in order.
#[derive(Default)]
struct Seen {
    at: HashMap<String, SystemTime>,
    order: VecDeque<(SystemTime, String)>,
}

/// Nonces seen within the replay window, oldest first, at most a configured number
/// (the oldest is forgotten first when more arrive).
#[derive(Default)]
pub(crate) struct NonceStore {
    inner: Mutex<Seen>,
}

impl NonceStore {
    /// Whether `key` was recorded within `window` of `now` (nothing is recorded).
    pub(crate) fn seen(&self, key: &str, now: SystemTime, window: Duration) -> bool {
        if window.is_zero() {
            return false;
        }
        let guard = self.inner.lock().unwrap_or_else(PoisonError::into_inner);
        guard
            .at
            .get(key)
            .is_some_and(|at| now.duration_since(*at).map_or(true, |age| age < window))
    }

    /// Records `key` at `now`; `false` when it was already seen within `window`. Keeps at
    /// most `max` nonces.
    pub(crate) fn record(
        &self,
        key: String,
        now: SystemTime,
        window: Duration,
        max: usize,
    ) -> bool {
        if window.is_zero() {
            return true;
        }
        let mut guard = self.inner.lock().unwrap_or_else(PoisonError::into_inner);
        let Seen { at: seen, order } = &mut *guard;
        // Forget what has left the window (amortised: each nonce is popped once).
        while let Some((at, _)) = order.front() {
            if now.duration_since(*at).is_ok_and(|age| age >= window) {
                if let Some((_, old)) = order.pop_front() {
                    seen.remove(&old);
                }
            } else {
                break;
            }
        }
        if let Some(at) = seen.get(&key)
            && now.duration_since(*at).map_or(true, |age| age < window)
        {
            return false;
        }
        // Within the cap: the oldest goes first.
        while order.len() >= max.max(1) {
            match order.pop_front() {
                Some((_, old)) => {
                    seen.remove(&old);
                }
                None => break,
            }
        }
        seen.insert(key.clone(), now);
        order.push_back((now, key));
        true
    }

    /// How many nonces are remembered.
    pub(crate) fn len(&self) -> usize {
        self.inner
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .order
            .len()
    }
}

/// Reads a `timestamp` as epoch seconds (below 10^11) or epoch milliseconds.
pub(crate) fn parse_timestamp(text: &str) -> Option<SystemTime> {
    let value: u64 = text.parse().ok()?;
    let millis = if value < 100_000_000_000 {
        value.checked_mul(1000)?
    } else {
        value
    };
    UNIX_EPOCH.checked_add(Duration::from_millis(millis))
}

pub(crate) fn within(a: SystemTime, b: SystemTime, window: Duration) -> bool {
    match a.duration_since(b) {
        Ok(d) => d <= window,
        Err(e) => e.duration() <= window,
    }
}
