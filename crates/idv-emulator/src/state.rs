//! Shared server state: registered applications and the session store.

use std::collections::HashMap;
use std::ops::Deref;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::SystemTime;

use crate::auth::Apps;
use crate::error::ApiError;
use crate::session::Session;

/// Cheaply cloneable handle on everything the handlers share.
#[derive(Clone, Default)]
pub(crate) struct AppState(Arc<Shared>);

/// The shared state behind [`AppState`].
#[derive(Default)]
pub(crate) struct Shared {
    pub(crate) apps: Apps,
    pub(crate) sessions: Sessions,
}

impl Deref for AppState {
    type Target = Shared;

    fn deref(&self) -> &Shared {
        &self.0
    }
}

/// All sessions, of all applications, by session id.
#[derive(Default)]
pub(crate) struct Sessions {
    map: Mutex<HashMap<String, Session>>,
}

impl Sessions {
    pub(crate) fn insert(&self, session: Session) {
        self.lock().insert(session.id().to_owned(), session);
    }

    /// Runs `f` on the session `session_id` of application `sdk_id`.
    ///
    /// A session of another application is reported exactly like a missing one
    /// (404 `SESSION_NOT_FOUND`), so applications cannot probe each other's sessions.
    pub(crate) fn with<R>(
        &self,
        sdk_id: &str,
        session_id: &str,
        f: impl FnOnce(&mut Session) -> Result<R, ApiError>,
    ) -> Result<R, ApiError> {
        let mut map = self.lock();
        match map.get_mut(session_id) {
            Some(session) if session.sdk_id() == sdk_id => f(session),
            _ => Err(ApiError::session_not_found()),
        }
    }

    /// Deletes a session once [`Session::ensure_deletable`] allows it.
    pub(crate) fn delete(
        &self,
        sdk_id: &str,
        session_id: &str,
        now: SystemTime,
    ) -> Result<(), ApiError> {
        let mut map = self.lock();
        match map.get(session_id) {
            Some(session) if session.sdk_id() == sdk_id => {
                session.ensure_deletable(now)?;
                map.remove(session_id);
                Ok(())
            }
            _ => Err(ApiError::session_not_found()),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Session>> {
        self.map.lock().unwrap_or_else(PoisonError::into_inner)
    }
}
