//! Notifications (webhooks): what the emulator POSTs to a session's notification endpoint.
//!
//! Each notification is `POST <endpoint>` with `Content-Type: application/json`, the body
//! `{"session_id": ..., "topic": "<lower-case topic>"[, "check_id" | "task_id" | "resource_id"]}`
//! and, when the session gave an `auth_token`, `Authorization: Basic base64(auth_token)`
//! (`auth_type` `BASIC`, or none given: the docs recommend Basic) or `Bearer auth_token`.
//!
//! Delivery is over HTTPS with a real HTTP client (reqwest on rustls), as production
//! delivers: the server certificate must verify against the platform's roots, plus any CA
//! certificate given to [`EmulatorBuilder::notification_ca_pem`](crate::EmulatorBuilder::notification_ca_pem)
//! (for tests with a private CA). An `http://` endpoint is refused at session creation, as
//! production refuses it, unless [`EmulatorBuilder::allow_plain_http_notifications`](crate::EmulatorBuilder::allow_plain_http_notifications)
//! was turned on: then `http://` to a loopback host (`localhost`, `127.0.0.0/8`, `[::1]`) is
//! accepted and delivered in plain HTTP (the emulator's opt-in, for local receivers such as
//! the examples). Redirects are not followed and proxies are not used.
//!
//! Delivery policy (Yoti documents none for IDV; this is the emulator's): any 2xx answer is
//! success; anything else, a connection or TLS failure, or no answer within 5 seconds is
//! retried, up to 5 attempts in all by default, after 200 ms, 400 ms, 800 ms, 1.6 s (doubling,
//! at most 5 s). The notifications of one session are delivered one after the other, in the
//! order they were raised, each after the previous one was delivered or given up: so
//! `session_completion` always comes after every `task_completion` and `check_completion` of
//! its session. Different sessions are delivered concurrently. Every notification, delivered
//! or not, is listed by [`Emulator::notifications`](crate::Emulator::notifications).

use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use std::collections::{HashMap, VecDeque};

use serde_json::Value;
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
/// How long one attempt may take (connect, TLS, send, read the answer).
const ATTEMPT_TIMEOUT: Duration = Duration::from_secs(5);
/// How long connecting may take.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(3);

/// How notifications are delivered: retries, trusted CAs, the plain-HTTP opt-in.
#[derive(Debug, Clone, Default)]
pub(crate) struct DeliveryConfig {
    pub(crate) retry: RetryPolicy,
    /// Extra trusted CA certificates, PEM.
    pub(crate) extra_roots_pem: Vec<Vec<u8>>,
    /// Accept (at creation) and deliver to `http://` loopback endpoints.
    pub(crate) allow_plain_http: bool,
}

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

/// Per session id, the notifications (log index, payload) waiting to be delivered.
type Queues = HashMap<String, VecDeque<(usize, Outgoing)>>;

/// The sending half, shared by the handlers.
#[derive(Clone)]
pub(crate) struct Notifier {
    tx: mpsc::UnboundedSender<(usize, Outgoing)>,
    log: Arc<Mutex<Log>>,
    allow_plain_http: bool,
}

/// The delivering half, run on the emulator's runtime.
pub(crate) struct Worker {
    rx: mpsc::UnboundedReceiver<(usize, Outgoing)>,
    log: Arc<Mutex<Log>>,
    policy: RetryPolicy,
    client: reqwest::Client,
    /// Per session, the notifications waiting behind the one being delivered. A session has
    /// an entry exactly while a delivery task runs for it.
    queues: Arc<Mutex<Queues>>,
}

/// Builds the two halves.
///
/// # Errors
///
/// A CA certificate is not PEM, or the HTTP client cannot be built.
/// The notification records: at most `max`, the oldest dropped first; a record keeps its
/// index (`base` counts the dropped ones) so deliveries still find theirs.
pub(crate) struct Log {
    base: usize,
    records: VecDeque<NotificationRecord>,
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

pub(crate) fn channel(
    config: DeliveryConfig,
    max_records: usize,
) -> std::io::Result<(Notifier, Worker)> {
    let mut roots = Vec::new();
    for pem in &config.extra_roots_pem {
        let certs = reqwest::Certificate::from_pem_bundle(pem).map_err(|_| {
            std::io::Error::new(
                std::io::ErrorKind::InvalidInput,
                "the notification CA certificate is not a PEM certificate",
            )
        })?;
        if certs.is_empty() {
            return Err(std::io::Error::new(
                std::io::ErrorKind::InvalidInput,
                "the notification CA file holds no certificate",
            ));
        }
        roots.extend(certs);
    }
    let client = reqwest::Client::builder()
        .timeout(ATTEMPT_TIMEOUT)
        .connect_timeout(CONNECT_TIMEOUT)
        .redirect(reqwest::redirect::Policy::none())
        .no_proxy()
        .https_only(!config.allow_plain_http)
        .user_agent("idv-emulator")
        .tls_certs_merge(roots)
        .build()
        .map_err(|_| std::io::Error::other("the notification HTTP client cannot be built"))?;
    let (tx, rx) = mpsc::unbounded_channel();
    let log = Arc::new(Mutex::new(Log {
        base: 0,
        records: VecDeque::new(),
        max: max_records,
    }));
    Ok((
        Notifier {
            tx,
            log: Arc::clone(&log),
            allow_plain_http: config.allow_plain_http,
        },
        Worker {
            rx,
            log,
            policy: config.retry,
            client,
            queues: Arc::default(),
        },
    ))
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

    /// Whether `http://` loopback endpoints are accepted (the emulator's opt-in).
    pub(crate) fn allows_plain_http(&self) -> bool {
        self.allow_plain_http
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
            let session_id = outgoing
                .body
                .get("session_id")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned();
            let start = {
                let mut queues = self.queues.lock().unwrap_or_else(PoisonError::into_inner);
                match queues.get_mut(&session_id) {
                    Some(queue) => {
                        queue.push_back((index, outgoing));
                        false
                    }
                    None => {
                        queues.insert(session_id.clone(), VecDeque::from([(index, outgoing)]));
                        true
                    }
                }
            };
            if start {
                tokio::spawn(deliver_session(
                    session_id,
                    Arc::clone(&self.queues),
                    Arc::clone(&self.log),
                    self.policy,
                    self.client.clone(),
                ));
            }
        }
    }
}

/// Delivers one session's notifications in order until its queue is empty.
async fn deliver_session(
    session_id: String,
    queues: Arc<Mutex<Queues>>,
    log: Arc<Mutex<Log>>,
    policy: RetryPolicy,
    client: reqwest::Client,
) {
    loop {
        let next = {
            let mut map = queues.lock().unwrap_or_else(PoisonError::into_inner);
            match map.get_mut(&session_id).and_then(VecDeque::pop_front) {
                Some(next) => next,
                None => {
                    map.remove(&session_id);
                    return;
                }
            }
        };
        deliver(next.0, next.1, &log, policy, &client).await;
    }
}

async fn deliver(
    index: usize,
    outgoing: Outgoing,
    log: &Mutex<Log>,
    policy: RetryPolicy,
    client: &reqwest::Client,
) {
    let body = outgoing.body.to_string();
    let authorization = outgoing
        .authorization
        .as_deref()
        .and_then(|a| reqwest::header::HeaderValue::from_str(a).ok())
        .map(|mut value| {
            value.set_sensitive(true);
            value
        });
    let mut backoff = policy.base_backoff;
    for attempt in 1..=policy.max_attempts.max(1) {
        let mut request = client
            .post(&outgoing.endpoint)
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .body(body.clone());
        if let Some(value) = &authorization {
            request = request.header(reqwest::header::AUTHORIZATION, value.clone());
        }
        let status = match request.send().await {
            Ok(response) => Some(response.status().as_u16()),
            Err(_) => None,
        };
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
