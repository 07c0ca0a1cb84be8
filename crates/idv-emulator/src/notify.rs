//! Notifications (webhooks): what the emulator POSTs to a session's notification endpoint.
//!
//! Each notification is `POST <endpoint>` with `Content-Type: application/json`, the body
//! `{"session_id": ..., "topic": "<lower-case topic>"[, "check_id" | "task_id" | "resource_id"]}`
//! and, when the session gave an `auth_token`, `Authorization: Basic base64(auth_token)`
//! (`auth_type` `BASIC`, or none given: the docs recommend Basic) or `Bearer auth_token`.
//!
//! Delivery policy (Yoti documents none for IDV; this is the emulator's): any 2xx answer is
//! success; anything else, a connection failure or no answer within 5 seconds is retried,
//! up to 5 attempts in all by default, after 200 ms, 400 ms, 800 ms, 1.6 s (doubling, at most
//! 5 s). Notifications are delivered concurrently, so their order is not guaranteed.
//! Endpoints are reached over plain HTTP on loopback only: an `https://` endpoint is accepted
//! at session creation (as the API requires) but the emulator has no TLS client, so such a
//! notification is recorded as undelivered without any attempt. Every notification, delivered
//! or not, is listed by [`Emulator::notifications`](crate::Emulator::notifications).

use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::sync::mpsc;

use crate::session::Outgoing;

/// How notifications are retried.
#[derive(Debug, Clone, Copy)]
pub(crate) struct RetryPolicy {
    pub(crate) max_attempts: u32,
    pub(crate) base_backoff: Duration,
}

/// Largest wait between two attempts.
const MAX_BACKOFF: Duration = Duration::from_secs(5);
/// How long one attempt may take (connect, send, read the status line).
const ATTEMPT_TIMEOUT: Duration = Duration::from_secs(5);

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_attempts: 5,
            base_backoff: Duration::from_millis(200),
        }
    }
}

/// One notification the emulator sent (or tried to send).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct NotificationRecord {
    /// The endpoint it was sent to.
    pub endpoint: String,
    /// The session it is about.
    pub session_id: String,
    /// The `topic` of the payload (lower case).
    pub topic: String,
    /// The JSON payload.
    pub body: String,
    /// Attempts made so far.
    pub attempts: u32,
    /// Whether an attempt got a 2xx answer.
    pub delivered: bool,
    /// The status of the last answer, if any.
    pub last_status: Option<u16>,
}

/// The sending half, shared by the handlers.
#[derive(Clone)]
pub(crate) struct Notifier {
    tx: mpsc::UnboundedSender<(usize, Outgoing)>,
    log: Arc<Mutex<Log>>,
}

/// The delivering half, run on the emulator's runtime.
pub(crate) struct Worker {
    rx: mpsc::UnboundedReceiver<(usize, Outgoing)>,
    log: Arc<Mutex<Log>>,
    policy: RetryPolicy,
}

/// The notification records: at most `max`, the oldest dropped first; a record keeps its
/// index (`base` counts the dropped ones) so deliveries still find theirs.
struct Log {
    base: usize,
    records: std::collections::VecDeque<NotificationRecord>,
    max: usize,
}

impl Log {
    fn push(&mut self, record: NotificationRecord) -> usize {
        while self.records.len() >= self.max.max(1) && self.records.pop_front().is_some() {
            self.base += 1;
        }
        self.records.push_back(record);
        self.base + self.records.len() - 1
    }

    fn get_mut(&mut self, index: usize) -> Option<&mut NotificationRecord> {
        let at = index.checked_sub(self.base)?;
        self.records.get_mut(at)
    }
}

pub(crate) fn channel(policy: RetryPolicy, max_records: usize) -> (Notifier, Worker) {
    let (tx, rx) = mpsc::unbounded_channel();
    let log = Arc::new(Mutex::new(Log {
        base: 0,
        records: std::collections::VecDeque::new(),
        max: max_records,
    }));
    (
        Notifier {
            tx,
            log: Arc::clone(&log),
        },
        Worker { rx, log, policy },
    )
}

impl Notifier {
    pub(crate) fn send_all(&self, outgoing: Vec<Outgoing>) {
        for o in outgoing {
            let text = |key: &str| {
                o.body
                    .get(key)
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_owned()
            };
            let record = NotificationRecord {
                endpoint: o.endpoint.clone(),
                session_id: text("session_id"),
                topic: text("topic"),
                body: o.body.to_string(),
                attempts: 0,
                delivered: false,
                last_status: None,
            };
            let index = {
                let mut log = self.log.lock().unwrap_or_else(PoisonError::into_inner);
                log.push(record)
            };
            let _ = self.tx.send((index, o));
        }
    }

    pub(crate) fn records(&self) -> Vec<NotificationRecord> {
        self.log
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .records
            .iter()
            .cloned()
            .collect()
    }
}

impl Worker {
    pub(crate) async fn run(mut self) {
        while let Some((index, outgoing)) = self.rx.recv().await {
            let log = Arc::clone(&self.log);
            let policy = self.policy;
            tokio::spawn(deliver(index, outgoing, log, policy));
        }
    }
}

async fn deliver(index: usize, outgoing: Outgoing, log: Arc<Mutex<Log>>, policy: RetryPolicy) {
    let Some(target) = Target::parse(&outgoing.endpoint) else {
        return; // https or not loopback: recorded, never attempted
    };
    let body = outgoing.body.to_string();
    let mut backoff = policy.base_backoff;
    for attempt in 1..=policy.max_attempts.max(1) {
        let status = tokio::time::timeout(
            ATTEMPT_TIMEOUT,
            post(&target, outgoing.authorization.as_deref(), &body),
        )
        .await
        .ok()
        .flatten();
        let delivered = status.is_some_and(|s| (200..300).contains(&s));
        if let Some(record) = log
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .get_mut(index)
        {
            record.attempts = attempt;
            record.last_status = status;
            record.delivered = delivered;
        }
        if delivered {
            return;
        }
        if attempt < policy.max_attempts {
            tokio::time::sleep(backoff).await;
            backoff = (backoff * 2).min(MAX_BACKOFF);
        }
    }
}

/// A plain-HTTP loopback endpoint.
struct Target {
    host: String,
    port: u16,
    path: String,
}

impl Target {
    fn parse(endpoint: &str) -> Option<Self> {
        let rest = endpoint.strip_prefix("http://")?;
        let (authority, path) = match rest.find('/') {
            Some(i) => (&rest[..i], &rest[i..]),
            None => (rest, "/"),
        };
        let (host, port) = match authority.rsplit_once(':') {
            Some((h, p)) if !h.ends_with(']') || authority.starts_with('[') => (h, p.parse().ok()?),
            _ => (authority, 80),
        };
        let host = host.trim_start_matches('[').trim_end_matches(']');
        let loopback = host.eq_ignore_ascii_case("localhost")
            || host
                .parse::<std::net::IpAddr>()
                .is_ok_and(|ip| ip.is_loopback());
        if !loopback || path.contains(['\r', '\n', ' ']) {
            return None;
        }
        Some(Self {
            host: host.to_owned(),
            port,
            path: path.split('#').next().unwrap_or("/").to_owned(),
        })
    }
}

/// One HTTP/1.1 POST; returns the status code.
async fn post(target: &Target, authorization: Option<&str>, body: &str) -> Option<u16> {
    let host = if target.host.contains(':') {
        format!("[{}]", target.host)
    } else {
        target.host.clone()
    };
    let mut stream = tokio::net::TcpStream::connect((target.host.as_str(), target.port))
        .await
        .ok()?;
    let mut request = format!(
        "POST {} HTTP/1.1\r\nHost: {host}:{}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nUser-Agent: idv-emulator\r\nConnection: close\r\n",
        target.path,
        target.port,
        body.len()
    );
    if let Some(auth) = authorization.filter(|a| !a.contains(['\r', '\n'])) {
        request.push_str("Authorization: ");
        request.push_str(auth);
        request.push_str("\r\n");
    }
    request.push_str("\r\n");
    request.push_str(body);
    stream.write_all(request.as_bytes()).await.ok()?;
    let mut head = Vec::with_capacity(64);
    let mut buf = [0u8; 256];
    while !head.windows(2).any(|w| w == b"\r\n") && head.len() < 4096 {
        let n = stream.read(&mut buf).await.ok()?;
        if n == 0 {
            break;
        }
        head.extend_from_slice(&buf[..n]);
    }
    let line = std::str::from_utf8(&head).ok()?.lines().next()?;
    let mut words = line.split_whitespace();
    let version = words.next()?;
    if !version.starts_with("HTTP/") {
        return None;
    }
    words.next()?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets() {
        let t = Target::parse("http://127.0.0.1:8080/hooks/idv?x=1").expect("loopback");
        assert_eq!(
            (t.host.as_str(), t.port, t.path.as_str()),
            ("127.0.0.1", 8080, "/hooks/idv?x=1")
        );
        let t = Target::parse("http://localhost").expect("localhost");
        assert_eq!((t.port, t.path.as_str()), (80, "/"));
        let t = Target::parse("http://[::1]:9/x").expect("v6");
        assert_eq!((t.host.as_str(), t.port), ("::1", 9));
        assert!(Target::parse("https://example.com/x").is_none());
        assert!(Target::parse("http://example.com/x").is_none());
        assert!(Target::parse("http://127.0.0.1/a b").is_none());
    }
}
