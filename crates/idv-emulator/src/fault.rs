//! Fault injection: for the next N requests matching a method and a route pattern, answer a
//! given status, delay, reset the connection, truncate the body, or send malformed JSON.
//!
//! Faults are checked before authentication, in the order they were injected; the first one
//! that matches and still has requests left is used and counted down. Admin routes are never
//! faulted.

use std::sync::{Mutex, PoisonError};
use std::time::Duration;

use crate::paths::{API_PREFIX, SANDBOX_PREFIX};

/// What an injected fault does to a matching request.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum FaultAction {
    /// Answer this status at once (the request is not handled), with a JSON error body
    /// `{"code": "INJECTED_FAULT", ...}` and `Retry-After: <seconds>` when set.
    Status {
        /// The HTTP status.
        status: u16,
        /// `Retry-After` in seconds.
        retry_after: Option<u64>,
    },
    /// Wait this long, then handle the request normally.
    Delay(Duration),
    /// Close the connection with a TCP reset instead of answering (the request is not
    /// handled).
    Reset,
    /// Handle the request, then send the status and headers with the full `Content-Length`
    /// but only the first half of the body, and close the connection.
    TruncateBody,
    /// Handle the request, then replace its body with JSON that does not parse (same status,
    /// `Content-Type: application/json`).
    MalformedJson,
}

/// A fault for the next [`Fault::times`] requests matching [`Fault::on`].
///
/// ```
/// use std::time::Duration;
/// use idv_emulator::Fault;
///
/// // The next two GETs of any session answer 503 with `Retry-After: 1`.
/// let fault = Fault::status(503).retry_after(1).on("GET", "/sessions/*").times(2);
/// // The next request of any kind is delayed by 300 ms.
/// let slow = Fault::delay(Duration::from_millis(300));
/// # let _ = (fault, slow);
/// ```
///
/// A route pattern is matched against the request path without its query, either as a
/// whole or with the `/idverify/v1` or `/sandbox/idverify/v1` prefix removed. `*` (or
/// `{name}`) matches one path segment, a final `**` any rest, and `*` alone any path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fault {
    method: Option<String>,
    pattern: String,
    times: u32,
    action: FaultAction,
}

impl Fault {
    /// A fault with this action, for the next request of any method and route.
    pub fn new(action: FaultAction) -> Self {
        Self {
            method: None,
            pattern: "*".to_owned(),
            times: 1,
            action,
        }
    }

    /// Answer `status` (see [`FaultAction::Status`]).
    pub fn status(status: u16) -> Self {
        Self::new(FaultAction::Status {
            status,
            retry_after: None,
        })
    }

    /// Delay (see [`FaultAction::Delay`]).
    pub fn delay(by: Duration) -> Self {
        Self::new(FaultAction::Delay(by))
    }

    /// Reset the connection (see [`FaultAction::Reset`]).
    pub fn reset() -> Self {
        Self::new(FaultAction::Reset)
    }

    /// Truncate the body (see [`FaultAction::TruncateBody`]).
    pub fn truncate_body() -> Self {
        Self::new(FaultAction::TruncateBody)
    }

    /// Malformed JSON (see [`FaultAction::MalformedJson`]).
    pub fn malformed_json() -> Self {
        Self::new(FaultAction::MalformedJson)
    }

    /// Adds `Retry-After: <seconds>` to a status fault (no effect on other actions).
    pub fn retry_after(mut self, seconds: u64) -> Self {
        if let FaultAction::Status { retry_after, .. } = &mut self.action {
            *retry_after = Some(seconds);
        }
        self
    }

    /// Only requests with this method (`"*"` for any) and a path matching `pattern`.
    pub fn on(mut self, method: &str, pattern: &str) -> Self {
        self.method = (method != "*").then(|| method.to_ascii_uppercase());
        self.pattern = pattern.to_owned();
        self
    }

    /// For the next `n` matching requests (default 1).
    pub fn times(mut self, n: u32) -> Self {
        self.times = n;
        self
    }

    /// The action.
    pub fn action(&self) -> &FaultAction {
        &self.action
    }

    /// How many more matching requests it applies to.
    pub fn remaining(&self) -> u32 {
        self.times
    }

    fn matches(&self, method: &str, path: &str) -> bool {
        if self.method.as_deref().is_some_and(|m| m != method) {
            return false;
        }
        if self.pattern == "*" {
            return true;
        }
        let stripped = [SANDBOX_PREFIX, API_PREFIX]
            .iter()
            .find_map(|p| path.strip_prefix(p))
            .filter(|rest| rest.starts_with('/'));
        pattern_matches(&self.pattern, path)
            || stripped.is_some_and(|p| pattern_matches(&self.pattern, p))
    }
}

fn pattern_matches(pattern: &str, path: &str) -> bool {
    let mut pat = pattern.trim_end_matches('/').split('/');
    let mut segs = path.trim_end_matches('/').split('/');
    loop {
        match (pat.next(), segs.next()) {
            (Some("**"), _) => return true,
            (Some(p), Some(s)) => {
                let wildcard = p == "*" || (p.starts_with('{') && p.ends_with('}'));
                if !wildcard && p != s {
                    return false;
                }
            }
            (None, None) => return true,
            _ => return false,
        }
    }
}

/// The pending faults.
#[derive(Default)]
pub(crate) struct Faults {
    list: Mutex<Vec<Fault>>,
}

impl Faults {
    pub(crate) fn inject(&self, fault: Fault) {
        if fault.times > 0 {
            self.lock().push(fault);
        }
    }

    pub(crate) fn clear(&self) {
        self.lock().clear();
    }

    pub(crate) fn pending(&self) -> Vec<Fault> {
        self.lock().clone()
    }

    /// Takes one use of the first matching fault.
    pub(crate) fn take(&self, method: &str, path: &str) -> Option<FaultAction> {
        let mut list = self.lock();
        let index = list.iter().position(|f| f.matches(method, path))?;
        let action = list[index].action.clone();
        list[index].times -= 1;
        if list[index].times == 0 {
            list.remove(index);
        }
        Some(action)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<Fault>> {
        self.list.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns() {
        assert!(pattern_matches("/sessions/*", "/sessions/abc"));
        assert!(pattern_matches(
            "/sessions/{id}/media/*/content",
            "/sessions/a/media/b/content"
        ));
        assert!(!pattern_matches(
            "/sessions/*",
            "/sessions/abc/configuration"
        ));
        assert!(pattern_matches(
            "/sessions/**",
            "/sessions/abc/configuration"
        ));
        assert!(!pattern_matches("/sessions", "/sessions/abc"));
        let f = Fault::status(503).on("get", "/sessions/*");
        assert!(f.matches("GET", "/idverify/v1/sessions/x"));
        assert!(f.matches("GET", "/sandbox/idverify/v1/sessions/x"));
        assert!(!f.matches("POST", "/idverify/v1/sessions/x"));
        assert!(Fault::reset().matches("DELETE", "/anything"));
    }

    #[test]
    fn counts_down() {
        let faults = Faults::default();
        faults.inject(Fault::status(500).times(2).on("*", "/a"));
        faults.inject(Fault::reset().times(0));
        assert_eq!(faults.pending().len(), 1);
        assert!(faults.take("GET", "/b").is_none());
        assert!(faults.take("GET", "/a").is_some());
        assert!(faults.take("PUT", "/a").is_some());
        assert!(faults.take("GET", "/a").is_none());
    }
}
