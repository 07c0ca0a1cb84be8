//! Shared server state: registered applications, sessions, applicants and pools, clock,
//! faults, notifications.

use std::collections::{HashMap, VecDeque};
use std::net::SocketAddr;
use std::ops::Deref;
use std::sync::atomic::AtomicU64;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::SystemTime;

use subtle::ConstantTimeEq;

use crate::apps::{Apps, AuthPolicy, NonceStore};
use crate::clock::EmuClock;
use crate::error::ApiError;
use crate::fault::Faults;
use crate::limits::Gates;
use crate::notify::Notifier;
use crate::sandbox::ResponseConfig;
use crate::session::Session;

/// Cheaply cloneable handle on everything the handlers share.
#[derive(Clone)]
pub(crate) struct AppState(Arc<Shared>);

/// The shared state behind [`AppState`].
pub(crate) struct Shared {
    pub(crate) apps: Apps,
    pub(crate) sessions: Sessions,
    pub(crate) clock: EmuClock,
    pub(crate) auth: AuthPolicy,
    pub(crate) nonces: NonceStore,
    pub(crate) faults: Faults,
    pub(crate) notifier: Notifier,
    /// Per-application sandbox response configs.
    pub(crate) app_configs: Mutex<HashMap<String, ResponseConfig>>,
    pub(crate) connections: Arc<AtomicU64>,
    pub(crate) admin: bool,
    /// Limits on requests in flight and body memory, and the configured limits.
    pub(crate) gates: Gates,
    /// The address the emulator listens on (the admin API's `Host` check).
    pub(crate) local_addr: SocketAddr,
    /// Which base each application may use (sandbox, production, both).
    pub(crate) environments: crate::sandbox::AppEnvironments,
    /// Applicants, their faces, and pools, per application and base.
    pub(crate) applicants: crate::applicants::Applicants,
}

impl AppState {
    pub(crate) fn new(shared: Shared) -> Self {
        Self(Arc::new(shared))
    }

    /// The sandbox response config of an application, if one was set.
    pub(crate) fn app_config(&self, sdk_id: &str) -> Option<ResponseConfig> {
        self.app_configs
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .get(sdk_id)
            .cloned()
    }

    /// Applies due transitions to every session and drops those past `resources_ttl`.
    pub(crate) fn tick(&self) {
        self.sessions.tick(self.clock.now(), &self.notifier);
    }
}

impl Deref for AppState {
    type Target = Shared;

    fn deref(&self) -> &Shared {
        &self.0
    }
}

/// All sessions, of all applications, by session id: at most `max`, the oldest forgotten
/// first when one more is created.
pub(crate) struct Sessions {
    map: Mutex<HashMap<String, Session>>,
    /// Session ids in creation order (ids of sessions removed since are skipped).
    order: Mutex<VecDeque<String>>,
    max: usize,
}

/// Who may see a session: the application that created it, or the holder of its client
/// session token.
pub(crate) enum Access<'a> {
    App(&'a str),
    Token(&'a str),
}

impl Sessions {
    pub(crate) fn new(max: usize) -> Self {
        Self {
            map: Mutex::new(HashMap::new()),
            order: Mutex::new(VecDeque::new()),
            max: max.max(1),
        }
    }

    pub(crate) fn insert(&self, session: Session) {
        let mut map = self.lock();
        let mut order = self.order.lock().unwrap_or_else(PoisonError::into_inner);
        while map.len() >= self.max {
            match order.pop_front() {
                Some(oldest) => {
                    map.remove(&oldest);
                }
                None => break,
            }
        }
        if order.len() >= self.max.saturating_mul(2) {
            order.retain(|id| map.contains_key(id));
        }
        let id = session.id().to_owned();
        order.push_back(id.clone());
        map.insert(id, session);
    }

    pub(crate) fn len(&self) -> usize {
        self.lock().len()
    }

    /// Runs `f` on a session after applying the transitions due at `now`, then hands the
    /// notifications it queued to `notifier`.
    ///
    /// A session of another application is reported exactly like a missing one
    /// (404 `SESSION_NOT_FOUND`), so applications cannot probe each other's sessions. With
    /// [`Access::Token`], a wrong or deleted token is 401 `BAD_TOKEN`.
    pub(crate) fn with<R>(
        &self,
        access: Access<'_>,
        session_id: &str,
        now: SystemTime,
        notifier: &Notifier,
        f: impl FnOnce(&mut Session) -> Result<R, ApiError>,
    ) -> Result<R, ApiError> {
        let mut map = self.lock();
        let Some(session) = map.get_mut(session_id) else {
            return Err(ApiError::session_not_found());
        };
        if let Access::App(sdk_id) = access
            && session.sdk_id() != sdk_id
        {
            return Err(ApiError::session_not_found());
        }
        if session.is_gone(now) {
            map.remove(session_id);
            return Err(ApiError::session_not_found());
        }
        session.refresh(now);
        if let Access::Token(token) = access {
            if session.state(now) == crate::session::SessionState::Expired {
                notifier.send_all(std::mem::take(&mut session.outbox));
                return Err(ApiError::session_expired());
            }
            if session.token_deleted
                || !bool::from(token.as_bytes().ct_eq(session.token.as_bytes()))
            {
                notifier.send_all(std::mem::take(&mut session.outbox));
                return Err(ApiError::bad_token());
            }
        }
        let result = f(session);
        notifier.send_all(std::mem::take(&mut session.outbox));
        result
    }

    /// Deletes a session once [`Session::ensure_deletable`] allows it.
    pub(crate) fn delete(
        &self,
        sdk_id: &str,
        session_id: &str,
        now: SystemTime,
        notifier: &Notifier,
    ) -> Result<(), ApiError> {
        self.with(Access::App(sdk_id), session_id, now, notifier, |s| {
            s.ensure_deletable(now)
        })?;
        self.lock().remove(session_id);
        Ok(())
    }

    fn tick(&self, now: SystemTime, notifier: &Notifier) {
        let mut map = self.lock();
        map.retain(|_, s| !s.is_gone(now));
        for session in map.values_mut() {
            session.refresh(now);
            if !session.outbox.is_empty() {
                notifier.send_all(std::mem::take(&mut session.outbox));
            }
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Session>> {
        self.map.lock().unwrap_or_else(PoisonError::into_inner)
    }
}
