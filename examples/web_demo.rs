//! A small web application doing what Yoti's own IDV demo apps do, for selfie authentication
//! (a liveness check and a face comparison with a reference photo):
//!
//! ```text
//! cargo run --example web_demo                  # then open http://127.0.0.1:8000
//! cargo run --example web_demo -- --port 8080
//! ```
//!
//! * `GET /`: a page with a Start button (and the browser's signed cookie, see below).
//! * `POST /start`: with the page's CSRF token, creates a session (the checks of Yoti's face-comparison guide, success and
//!   error URLs back to this app, notifications to its `/notifications` with a Basic token),
//!   uploads the reference photo (`examples/data/reference-face.jpg`), and shows the hosted
//!   capture page in an `<iframe allow="camera">`.
//! * `POST /notifications`: Yoti's notifications (webhooks), verified with
//!   [`Notification::from_request`] and recorded per session.
//! * `GET /done?ref=..`: the session's success URL. The hosted page sends its iframe there;
//!   the page moves the whole window on to the result.
//! * `GET /error?ref=..&yotiErrorCode=..`: the session's error URL.
//! * `GET /sessions/{id}`: the result. Waits briefly for the `session_completion`
//!   notification (falling back to polling with `wait_for_completion`), then shows each check
//!   with its breakdown, the [`SelfieAuthVerdict`], the notifications received and the images.
//! * `GET /sessions/{id}/media/{media_id}`: one image of the session, through
//!   `get_media_content`.
//!
//! By default the app starts the embedded `idv-emulator` with the demo key of
//! `examples/common`, so everything runs on this machine. With `YOTI_CLIENT_SDK_ID`,
//! `YOTI_KEY_FILE_PATH` (and `YOTI_IDV_API_URL`) set it talks to that server instead. Yoti
//! posts notifications to `https://` endpoints only: behind a TLS-terminating proxy, give the
//! public address with `--public-url https://...`; without one the app polls.
//!
//! The client session token is a secret: it goes into the iframe's `src` and nowhere else
//! (not into logs, not into any other page). The private key is never shown.
//!
//! # What the app defends
//!
//! * **Billable sessions.** `POST /start` creates a session Yoti bills for, so it needs the
//!   CSRF token of the start page: an HMAC of the browser's id (its signed cookie) under a
//!   random key of this process, compared in constant time. Another site cannot read it, so
//!   it cannot make a visitor's browser start sessions.
//! * **DNS rebinding.** Requests whose `Host` is not this app's own address (its listener,
//!   `localhost` on the same port, or the `--public-url` host) are refused with 421.
//! * **Other people's results.** The browser that starts a session owns it: the result and
//!   media routes answer 403 to any other browser. A browser is known by the
//!   `idv_demo_browser` cookie, `ID.HMAC(ID)` (HttpOnly, SameSite=Lax), which only this
//!   process can sign; a restart forgets every browser and session.
//! * **Bodies** are capped at 64 KiB; at most 256 connections are served at once, and a
//!   connection on which no byte moves for 20 s (slow headers, an unread answer, an idle
//!   keep-alive) is closed ([`ServerLimits`]).

pub(crate) mod common;

use std::collections::HashMap;
use std::error::Error as StdError;
use std::fmt::Write as _;
use std::net::Ipv4Addr;
use std::process::ExitCode;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use aws_lc_rs::hmac;
use axum::Router;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Path, Query, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use idv::model::{
    CreateFaceCaptureResourcePayload, GetSessionResult, NotificationAuthType, NotificationConfig,
    SdkConfig, UploadFaceCaptureImagePayload,
};
use idv::notifications::{Notification, NotificationAuth, Topic};
use idv::{Client, ErrorReport, HostedPageUrl, SelfieAuthVerdict, WaitError, WaitOptions};
use subtle::ConstantTimeEq;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{Notify, OwnedSemaphorePermit, Semaphore};

use common::Target;

/// Errors of the app's own work (they cross `.await`s inside handlers).
type BoxError = Box<dyn StdError + Send + Sync>;

/// The port when `--port` is not given.
const DEFAULT_PORT: u16 = 8000;

/// How long the result page waits for the `session_completion` notification.
const NOTIFICATION_WAIT: Duration = Duration::from_secs(4);

/// How long it then polls the session, when no notification came.
const POLL_WAIT: Duration = Duration::from_secs(3);

/// The largest request body the app reads (its form and Yoti's notifications are small).
const MAX_BODY_BYTES: usize = 64 * 1024;

/// The cookie naming the browser: `ID.HMAC(ID)`.
const BROWSER_COOKIE: &str = "idv_demo_browser";

/// The topics the sessions subscribe to.
const TOPICS: [Topic; 4] = [
    Topic::ResourceUpdate,
    Topic::CheckCompletion,
    Topic::SessionCompletion,
    Topic::ClientSessionTokenDeleted,
];

#[tokio::main]
async fn main() -> ExitCode {
    match run().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {}", ErrorReport(e.as_ref()));
            ExitCode::from(2)
        }
    }
}

async fn run() -> Result<(), Box<dyn StdError>> {
    let args = Args::parse()?;
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, args.port))
        .await
        .map_err(|e| format!("cannot listen on 127.0.0.1:{}: {e} (try --port)", args.port))?;
    let target = match common::env_target() {
        Some(target) => target,
        None => emulator_target()?,
    };
    let mut app = DemoApp::start(target, listener, args.public_url).await?;
    println!("running against the {}", app.target_description());
    println!("open {}/ in your browser (Ctrl-C stops)", app.url());
    app.serve().await
}

/// Command-line options.
struct Args {
    port: u16,
    public_url: Option<String>,
}

impl Args {
    fn parse() -> Result<Self, String> {
        let mut parsed = Args {
            port: DEFAULT_PORT,
            public_url: None,
        };
        let mut args = std::env::args().skip(1);
        while let Some(arg) = args.next() {
            match arg.as_str() {
                "--port" => {
                    parsed.port = args
                        .next()
                        .and_then(|p| p.parse().ok())
                        .ok_or("--port needs a port number (0 picks a free one)")?;
                }
                "--public-url" => {
                    parsed.public_url = Some(args.next().ok_or("--public-url needs a URL")?);
                }
                "-h" | "--help" => {
                    println!(
                        "usage: web_demo [--port PORT] [--public-url URL]\n\n\
                         A web app running Yoti's selfie-authentication flow in the browser, on\n\
                         http://127.0.0.1:PORT (default {DEFAULT_PORT}).\n\
                         With YOTI_CLIENT_SDK_ID, YOTI_KEY_FILE_PATH and YOTI_IDV_API_URL set it\n\
                         talks to that server; otherwise to an embedded emulator.\n\
                         --public-url: the address browsers (and Yoti's notifications) reach this\n\
                         app at, if not http://127.0.0.1:PORT; notifications need https://."
                    );
                    std::process::exit(0);
                }
                other => return Err(format!("unknown argument `{other}` (try --help)")),
            }
        }
        Ok(parsed)
    }
}

/// The embedded emulator with the demo application, whatever the environment says.
pub(crate) fn emulator_target() -> Result<Target, Box<dyn StdError>> {
    common::emulator_target()
}

/// The running app: its server task, and the emulator it talks to (if any).
pub(crate) struct DemoApp {
    url: String,
    description: String,
    server: tokio::task::JoinHandle<std::io::Result<()>>,
    // Dropped after the server task is aborted: the emulator stops with the app.
    _target: Target,
}

impl DemoApp {
    /// Serves the app on `listener`. `public_url` is where browsers reach it (default
    /// `http://` + the listener's address); the session's success URL and notification
    /// endpoint are built on it.
    pub(crate) async fn start(
        target: Target,
        listener: TcpListener,
        public_url: Option<String>,
    ) -> Result<Self, Box<dyn StdError>> {
        Self::start_with_limits(target, listener, public_url, ServerLimits::default()).await
    }

    /// [`DemoApp::start`] with other connection limits.
    pub(crate) async fn start_with_limits(
        target: Target,
        listener: TcpListener,
        public_url: Option<String>,
        limits: ServerLimits,
    ) -> Result<Self, Box<dyn StdError>> {
        let url = match public_url {
            Some(url) => url.trim_end_matches('/').to_owned(),
            None => format!("http://{}", listener.local_addr()?),
        };
        let emulated = matches!(target, Target::Emulator(..));
        // Yoti only posts to https:// endpoints; the emulator also to http:// on loopback
        // (opted in above).
        let notification_auth = if emulated || url.starts_with("https://") {
            let secret = random_hex(16).map_err(|e| e as Box<dyn StdError>)?;
            Some(NotificationAuth::basic(format!("idv-demo:{secret}")))
        } else {
            println!(
                "notifications off: {url} is not https:// (give --public-url); results are polled"
            );
            None
        };
        let description = target.describe();
        let port = listener.local_addr()?.port();
        let mut allowed_hosts = vec![
            listener.local_addr()?.to_string(),
            format!("localhost:{port}"),
        ];
        let authority = url.split_once("://").map_or(url.as_str(), |(_, rest)| rest);
        let authority = authority.split('/').next().unwrap_or_default();
        if !authority.is_empty() && !allowed_hosts.iter().any(|h| h == authority) {
            allowed_hosts.push(authority.to_owned());
        }
        let demo = Arc::new(Demo {
            client: target.builder().build()?,
            secure_cookies: url.starts_with("https://"),
            url: url.clone(),
            description: description.clone(),
            notification_auth,
            signer: Signer::new().map_err(|e| e as Box<dyn StdError>)?,
            allowed_hosts,
            store: Mutex::default(),
            changed: Notify::new(),
        });
        let listener = LimitedListener {
            inner: listener,
            permits: Arc::new(Semaphore::new(limits.max_connections)),
            idle_timeout: limits.idle_timeout,
        };
        let server = tokio::spawn(async move { axum::serve(listener, router(demo)).await });
        Ok(Self {
            url,
            description,
            server,
            _target: target,
        })
    }

    /// The app's base URL, without a trailing slash.
    pub(crate) fn url(&self) -> &str {
        &self.url
    }

    /// Which server the app talks to.
    pub(crate) fn target_description(&self) -> &str {
        &self.description
    }

    /// Runs until the server fails.
    async fn serve(&mut self) -> Result<(), Box<dyn StdError>> {
        (&mut self.server).await??;
        Ok(())
    }
}

impl Drop for DemoApp {
    fn drop(&mut self) {
        self.server.abort();
    }
}

// ---------------------------------------------------------------------------------------------
// Connections: a cap, and a deadline for slow or idle peers

/// How many connections the app serves at once, and how long a connection may make no
/// progress (nothing read, nothing written) before it is closed.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ServerLimits {
    /// Connections served at once; more wait in the kernel's accept queue.
    pub(crate) max_connections: usize,
    /// A connection on which no byte moves for this long is closed: a peer that sends its
    /// headers slowly, never reads its answer, or idles between keep-alive requests.
    pub(crate) idle_timeout: Duration,
}

impl Default for ServerLimits {
    fn default() -> Self {
        Self {
            max_connections: 256,
            // longer than the result page's own wait (NOTIFICATION_WAIT + POLL_WAIT)
            idle_timeout: Duration::from_secs(20),
        }
    }
}

/// A listener that accepts a connection only when a permit is free, and hands out
/// connections that close when idle.
struct LimitedListener {
    inner: TcpListener,
    permits: Arc<Semaphore>,
    idle_timeout: Duration,
}

impl axum::serve::Listener for LimitedListener {
    type Io = LimitedConnection;
    type Addr = std::net::SocketAddr;

    async fn accept(&mut self) -> (Self::Io, Self::Addr) {
        loop {
            let Ok(permit) = Arc::clone(&self.permits).acquire_owned().await else {
                // the semaphore is never closed
                std::future::pending::<()>().await;
                continue;
            };
            match self.inner.accept().await {
                Ok((stream, addr)) => {
                    let deadline = Box::pin(tokio::time::sleep(self.idle_timeout));
                    return (
                        LimitedConnection {
                            stream,
                            _permit: permit,
                            idle_timeout: self.idle_timeout,
                            deadline,
                        },
                        addr,
                    );
                }
                // e.g. out of file descriptors: wait a little rather than spin
                Err(_) => tokio::time::sleep(Duration::from_millis(50)).await,
            }
        }
    }

    fn local_addr(&self) -> std::io::Result<Self::Addr> {
        self.inner.local_addr()
    }
}

/// A connection holding its permit, failing with `TimedOut` once no byte has moved for the
/// idle timeout.
struct LimitedConnection {
    stream: TcpStream,
    _permit: OwnedSemaphorePermit,
    idle_timeout: Duration,
    deadline: std::pin::Pin<Box<tokio::time::Sleep>>,
}

impl LimitedConnection {
    fn progressed(&mut self) {
        let next = tokio::time::Instant::now() + self.idle_timeout;
        self.deadline.as_mut().reset(next);
    }

    /// `Pending` becomes a `TimedOut` error once the deadline has passed.
    fn or_timeout<T>(
        &mut self,
        cx: &mut std::task::Context<'_>,
        poll: std::task::Poll<std::io::Result<T>>,
    ) -> std::task::Poll<std::io::Result<T>> {
        use std::future::Future as _;
        match poll {
            std::task::Poll::Pending => match self.deadline.as_mut().poll(cx) {
                std::task::Poll::Ready(()) => std::task::Poll::Ready(Err(std::io::Error::new(
                    std::io::ErrorKind::TimedOut,
                    "the peer made no progress",
                ))),
                std::task::Poll::Pending => std::task::Poll::Pending,
            },
            ready => ready,
        }
    }
}

impl AsyncRead for LimitedConnection {
    fn poll_read(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        let this = &mut *self;
        let before = buf.filled().len();
        let poll = std::pin::Pin::new(&mut this.stream).poll_read(cx, buf);
        if matches!(poll, std::task::Poll::Ready(Ok(()))) && buf.filled().len() > before {
            this.progressed();
        }
        this.or_timeout(cx, poll)
    }
}

impl AsyncWrite for LimitedConnection {
    fn poll_write(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
        data: &[u8],
    ) -> std::task::Poll<std::io::Result<usize>> {
        let this = &mut *self;
        let poll = std::pin::Pin::new(&mut this.stream).poll_write(cx, data);
        if matches!(poll, std::task::Poll::Ready(Ok(n)) if n > 0) {
            this.progressed();
        }
        this.or_timeout(cx, poll)
    }

    fn poll_flush(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        let this = &mut *self;
        let poll = std::pin::Pin::new(&mut this.stream).poll_flush(cx);
        this.or_timeout(cx, poll)
    }

    fn poll_shutdown(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        std::pin::Pin::new(&mut self.stream).poll_shutdown(cx)
    }
}

/// What the handlers share.
struct Demo {
    client: Client,
    url: String,
    description: String,
    /// The token of the sessions' notifications (`None`: notifications not requested).
    notification_auth: Option<NotificationAuth>,
    /// Signs the browser cookies and the CSRF tokens.
    signer: Signer,
    /// The `Host` values this app answers to.
    allowed_hosts: Vec<String>,
    /// Whether the cookies get `Secure` (the app is reached over https).
    secure_cookies: bool,
    store: Mutex<Store>,
    /// Woken whenever a notification is recorded.
    changed: Notify,
}

/// The sessions this app created.
#[derive(Default)]
struct Store {
    /// The `ref` of a success or error URL -> the session id.
    refs: HashMap<String, String>,
    /// Session id -> the notifications received about it, in order.
    sessions: HashMap<String, Vec<Received>>,
    /// Session id -> the id of the browser that started it.
    owners: HashMap<String, String>,
}

/// HMAC-SHA256 under a random key of this process: the browser cookies and CSRF tokens.
struct Signer {
    key: hmac::Key,
}

impl Signer {
    fn new() -> Result<Self, BoxError> {
        let mut key = [0u8; 32];
        getrandom::fill(&mut key).map_err(|e| format!("no randomness: {e}"))?;
        Ok(Self {
            key: hmac::Key::new(hmac::HMAC_SHA256, &key),
        })
    }

    /// The hex MAC of `value` for `purpose` (a browser cookie, a CSRF token): a MAC for one
    /// purpose is never valid for another.
    fn mac(&self, purpose: &str, value: &str) -> String {
        let message = format!("{purpose}\0{value}");
        hex::encode(hmac::sign(&self.key, message.as_bytes()).as_ref())
    }

    /// Whether `mac` is the MAC of `value` for `purpose`, compared in constant time.
    fn verify(&self, purpose: &str, value: &str, mac: &str) -> bool {
        self.mac(purpose, value)
            .as_bytes()
            .ct_eq(mac.as_bytes())
            .into()
    }

    /// The cookie value naming a browser.
    fn browser_cookie(&self, browser: &str) -> String {
        format!("{browser}.{}", self.mac("browser", browser))
    }

    /// The browser id of a cookie value, if this process signed it.
    fn browser_of_cookie(&self, value: &str) -> Option<String> {
        let (browser, mac) = value.split_once('.')?;
        (!browser.is_empty() && self.verify("browser", browser, mac)).then(|| browser.to_owned())
    }

    /// The CSRF token of a browser's start form.
    fn csrf(&self, browser: &str) -> String {
        self.mac("csrf", browser)
    }
}

/// One notification, as shown on the result page.
struct Received {
    topic: Topic,
    /// The check, task or resource it names: `("check", id)`.
    about: Option<(&'static str, String)>,
}

impl Demo {
    fn store(&self) -> std::sync::MutexGuard<'_, Store> {
        self.store.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Whether `browser` started the session (unknown sessions: nobody did).
    fn owned_by(&self, session_id: &str, browser: Option<&str>) -> Access {
        match (self.store().owners.get(session_id), browser) {
            (None, _) => Access::Unknown,
            (Some(owner), Some(browser)) if owner.as_bytes().ct_eq(browser.as_bytes()).into() => {
                Access::Owner
            }
            (Some(_), _) => Access::Other,
        }
    }

    /// The browser id of a request's signed cookie, if it has one.
    fn browser(&self, headers: &HeaderMap) -> Option<String> {
        headers
            .get_all(header::COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(';'))
            .filter_map(|c| c.trim().strip_prefix(BROWSER_COOKIE)?.strip_prefix('='))
            .find_map(|v| self.signer.browser_of_cookie(v))
    }

    /// The `Set-Cookie` value naming `browser`.
    fn set_browser_cookie(&self, browser: &str) -> String {
        format!(
            "{BROWSER_COOKIE}={}; Path=/; HttpOnly; SameSite=Lax{}",
            self.signer.browser_cookie(browser),
            if self.secure_cookies { "; Secure" } else { "" }
        )
    }

    fn session_of_ref(&self, reference: Option<&String>) -> Option<String> {
        reference.and_then(|r| self.store().refs.get(r).cloned())
    }

    /// Creates a session owned by `browser`, uploads the reference photo, and returns the
    /// session id and the hosted page URL.
    async fn create_session(&self, browser: &str) -> Result<(String, HostedPageUrl), BoxError> {
        // The session id is only known once it exists: the URLs carry a reference instead.
        let reference = random_hex(16)?;
        let mut spec = common::selfie_spec().with_sdk_config(
            SdkConfig::new()
                .with_success_url(format!("{}/done?ref={reference}", self.url))
                .with_error_url(format!("{}/error?ref={reference}", self.url))
                .with_allow_handoff(true),
        );
        if let Some(auth) = &self.notification_auth {
            spec = spec.with_notifications(
                NotificationConfig::new(format!("{}/notifications", self.url))
                    .with_topics(TOPICS.iter().map(|t| t.as_spec_str().into_owned()))
                    .with_auth_token(auth.expose_token())
                    .with_auth_type(NotificationAuthType::Basic),
            );
        }
        let created = self.client.create_session(&spec).await?;
        let session_id = created.session_id.clone();
        {
            let mut store = self.store();
            store.sessions.insert(session_id.to_string(), Vec::new());
            store
                .owners
                .insert(session_id.to_string(), browser.to_owned());
            store.refs.insert(reference, session_id.to_string());
        }
        println!("session {session_id} created");

        let configuration = self.client.get_session_configuration(&session_id).await?;
        let requirement = configuration
            .face_capture_requirements()
            .next()
            .ok_or("the session configuration has no FACE_CAPTURE requirement")?;
        let resource = self
            .client
            .create_face_capture_resource(
                &session_id,
                &CreateFaceCaptureResourcePayload::new(requirement.id.clone()),
            )
            .await?;
        self.client
            .upload_face_capture_image(
                &session_id,
                &resource.id,
                &UploadFaceCaptureImagePayload::jpeg(common::DEFAULT_IMAGE),
            )
            .await?;
        let hosted = self
            .client
            .hosted_page_url(&session_id, &created.client_session_token)?;
        Ok((session_id.to_string(), hosted))
    }

    fn record(&self, notification: Notification) {
        println!(
            "notification {} for session {}",
            notification.topic, notification.session_id
        );
        let mut store = self.store();
        let Some(list) = store.sessions.get_mut(notification.session_id.as_str()) else {
            return; // not one of ours
        };
        if list.len() < 100 {
            let about = [
                ("check", notification.check_id.map(String::from)),
                ("task", notification.task_id.map(String::from)),
                ("resource", notification.resource_id.map(String::from)),
            ]
            .into_iter()
            .find_map(|(kind, id)| Some((kind, id?)));
            list.push(Received {
                topic: notification.topic,
                about,
            });
        }
        drop(store);
        self.changed.notify_waiters();
    }

    fn completion_notified(&self, session_id: &str) -> bool {
        self.store()
            .sessions
            .get(session_id)
            .is_some_and(|list| list.iter().any(|n| n.topic == Topic::SessionCompletion))
    }

    /// Waits up to `within` for the `session_completion` notification of a session.
    async fn wait_for_notification(&self, session_id: &str, within: Duration) -> bool {
        let deadline = tokio::time::Instant::now() + within;
        loop {
            let changed = self.changed.notified();
            let mut changed = std::pin::pin!(changed);
            changed.as_mut().enable(); // registered before the check: no wake-up is lost
            if self.completion_notified(session_id) {
                return true;
            }
            if tokio::time::timeout_at(deadline, changed).await.is_err() {
                return false;
            }
        }
    }
}

fn router(demo: Arc<Demo>) -> Router {
    Router::new()
        .route("/", get(index))
        .route("/start", post(start)) // not GET: each call creates a (billable) session
        .route("/notifications", post(notifications))
        .route("/done", get(done))
        .route("/error", get(capture_error))
        .route("/sessions/{id}", get(result))
        .route("/sessions/{id}/media/{media_id}", get(media))
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(middleware::from_fn_with_state(demo.clone(), check_host))
        .with_state(demo)
}

/// Whether the browser asking may see a session.
enum Access {
    Owner,
    Other,
    Unknown,
}

/// Refuses requests for a `Host` that is not this app's (DNS rebinding).
async fn check_host(State(demo): State<Arc<Demo>>, request: Request, next: Next) -> Response {
    let host = request
        .headers()
        .get(header::HOST)
        .and_then(|h| h.to_str().ok());
    let ours = host.is_some_and(|host| {
        demo.allowed_hosts
            .iter()
            .any(|allowed| allowed.eq_ignore_ascii_case(host))
    });
    if ours {
        next.run(request).await
    } else {
        message_page(
            StatusCode::MISDIRECTED_REQUEST,
            "Wrong address",
            "This app answers only at its own address.",
        )
    }
}

// ---------------------------------------------------------------------------------------------
// Handlers

async fn index(State(demo): State<Arc<Demo>>, headers: HeaderMap) -> Response {
    let (browser, new_cookie) = match demo.browser(&headers) {
        Some(browser) => (browser, None),
        None => match random_hex(16) {
            Ok(browser) => {
                let cookie = demo.set_browser_cookie(&browser);
                (browser, Some(cookie))
            }
            Err(e) => {
                eprintln!("{e}");
                return StatusCode::INTERNAL_SERVER_ERROR.into_response();
            }
        },
    };
    let mut response = page(
        "Selfie authentication demo",
        &format!(
            r#"<h1>Selfie authentication</h1>
<p>Take a selfie (or choose a photo): Yoti's service checks that it shows a live person and
compares it with the reference photo this app uploads for you.</p>
<form method="post" action="/start"><input type="hidden" name="csrf" value="{}"><button id="start" type="submit">Start</button></form>
<p class="muted">Against the {}.</p>"#,
            esc(&demo.signer.csrf(&browser)),
            esc(&demo.description)
        ),
    )
    .into_response();
    let headers = response.headers_mut();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    if let Some(cookie) = new_cookie.and_then(|c| HeaderValue::from_str(&c).ok()) {
        headers.insert(header::SET_COOKIE, cookie);
    }
    response
}

/// The value of `name` in an `application/x-www-form-urlencoded` body (the values this app
/// reads are hex: no decoding needed).
fn form_field<'a>(body: &'a [u8], name: &str) -> Option<&'a str> {
    std::str::from_utf8(body)
        .ok()?
        .split('&')
        .find_map(|pair| pair.strip_prefix(name)?.strip_prefix('='))
}

async fn start(State(demo): State<Arc<Demo>>, headers: HeaderMap, body: Bytes) -> Response {
    // A billable action: the browser's signed cookie and its page's CSRF token.
    let Some(browser) = demo.browser(&headers) else {
        return message_page(
            StatusCode::FORBIDDEN,
            "Refused",
            "This browser has no valid cookie of this app: open the start page and try again.",
        );
    };
    let csrf_ok =
        form_field(&body, "csrf").is_some_and(|token| demo.signer.verify("csrf", &browser, token));
    if !csrf_ok {
        return message_page(
            StatusCode::FORBIDDEN,
            "Refused",
            "The form's token is missing or wrong: open the start page and try again.",
        );
    }
    let (session_id, hosted) = match demo.create_session(&browser).await {
        Ok(created) => created,
        Err(e) => {
            eprintln!("could not create a session: {}", ErrorReport(e.as_ref()));
            return message_page(
                StatusCode::BAD_GATEWAY,
                "Could not start",
                &format!("Creating the session failed: {}", ErrorReport(e.as_ref())),
            );
        }
    };
    let body = format!(
        r#"<h1>Verify your identity</h1>
<p class="muted">Session <code>{sid}</code>. The page below is Yoti's: it sends you back here when you are done.</p>
<iframe id="idv" title="Identity verification" src="{src}" allow="camera"
  style="height:605px;width:100%;border:none"></iframe>"#,
        sid = esc(&session_id),
        // the only place the client session token goes
        src = esc(hosted.expose_secret()),
    );
    let mut response = page("Verify your identity", &body).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    response
}

async fn notifications(
    State(demo): State<Arc<Demo>>,
    headers: HeaderMap,
    body: Bytes,
) -> StatusCode {
    let Some(auth) = &demo.notification_auth else {
        return StatusCode::NOT_FOUND;
    };
    match Notification::from_request(&headers, &body, auth) {
        Ok(notification) => {
            demo.record(notification);
            StatusCode::OK
        }
        Err(e) => {
            // never contains the token or the header value
            eprintln!("refused a notification ({}): {e}", e.status());
            e.status()
        }
    }
}

/// The success URL. The hosted page loads it in its iframe: move the whole window on.
async fn done(
    State(demo): State<Arc<Demo>>,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let Some(session_id) = demo.session_of_ref(query.get("ref")) else {
        return unknown_link();
    };
    page(
        "Done",
        &format!(
            r#"<h1>Thank you</h1>
<p><a id="result" href="/sessions/{}" target="_top">See the result</a></p>
<script>window.top.location.replace(document.getElementById("result").href);</script>"#,
            esc(&seg(&session_id))
        ),
    )
    .into_response()
}

/// The error URL: the capture failed.
async fn capture_error(
    State(demo): State<Arc<Demo>>,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let Some(session_id) = demo.session_of_ref(query.get("ref")) else {
        return unknown_link();
    };
    let code = query.get("yotiErrorCode").map_or("(none)", String::as_str);
    page(
        "Capture failed",
        &format!(
            r#"<h1>The capture did not complete</h1>
<p>Error code <code id="error-code">{}</code> from the hosted page.</p>
<p><a href="/sessions/{}" target="_top">The session</a> · <a href="/" target="_top">Start again</a></p>
<script>if (window.top !== window.self) {{ window.top.location.replace(window.location.href); }}</script>"#,
            esc(code),
            esc(&seg(&session_id))
        ),
    )
    .into_response()
}

/// How the result page learnt that the session was complete.
enum Learnt {
    Notification,
    Polling,
}

async fn result(
    State(demo): State<Arc<Demo>>,
    Path(session_id): Path<String>,
    headers: HeaderMap,
) -> Response {
    match demo.owned_by(&session_id, demo.browser(&headers).as_deref()) {
        Access::Owner => {}
        Access::Other => return not_yours(),
        Access::Unknown => return unknown_session(),
    }
    let learnt = if demo.notification_auth.is_some()
        && demo
            .wait_for_notification(&session_id, NOTIFICATION_WAIT)
            .await
    {
        Learnt::Notification
    } else {
        Learnt::Polling
    };
    let options = WaitOptions::new(POLL_WAIT)
        .with_initial_interval(Duration::from_millis(250))
        .with_max_interval(Duration::from_secs(1));
    let session = match demo
        .client
        .wait_for_completion(&session_id.as_str().into(), &options)
        .await
    {
        Ok(session) => session,
        Err(WaitError::Timeout(t)) => {
            let state = t.last_state().map_or("unknown", |s| s.as_str());
            return pending_page(&session_id, state);
        }
        Err(e) => {
            eprintln!("could not read session {session_id}: {}", ErrorReport(&e));
            return message_page(
                StatusCode::BAD_GATEWAY,
                "Could not read the session",
                &format!("Reading the session failed: {}", ErrorReport(&e)),
            );
        }
    };
    let received = demo
        .store()
        .sessions
        .get(&session_id)
        .map(|list| {
            list.iter()
                .map(|n| (n.topic.clone(), n.about.clone()))
                .collect::<Vec<_>>()
        })
        .unwrap_or_default();
    page(
        "Verification result",
        &result_body(&session, &received, &learnt),
    )
    .into_response()
}

async fn media(
    State(demo): State<Arc<Demo>>,
    Path((session_id, media_id)): Path<(String, String)>,
    headers: HeaderMap,
) -> Response {
    match demo.owned_by(&session_id, demo.browser(&headers).as_deref()) {
        Access::Owner => {}
        Access::Other => return StatusCode::FORBIDDEN.into_response(),
        Access::Unknown => return StatusCode::NOT_FOUND.into_response(),
    }
    match demo
        .client
        .get_media_content(&session_id.as_str().into(), &media_id.as_str().into())
        .await
    {
        Ok(Some(media)) => {
            // Only images are shown as such; anything else is not rendered by the browser.
            let content_type = match media.mime_type.as_str() {
                "image/jpeg" => "image/jpeg",
                "image/png" => "image/png",
                _ => "application/octet-stream",
            };
            (
                [
                    (header::CONTENT_TYPE, content_type),
                    (header::CACHE_CONTROL, "private, no-store"),
                    (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
                ],
                media.content,
            )
                .into_response()
        }
        Ok(None) => StatusCode::NO_CONTENT.into_response(),
        Err(idv::Error::InvalidInput(_)) => StatusCode::BAD_REQUEST.into_response(),
        Err(e) if e.is_not_found() => StatusCode::NOT_FOUND.into_response(),
        Err(e) => {
            eprintln!(
                "could not fetch a media of session {session_id}: {}",
                ErrorReport(&e)
            );
            StatusCode::BAD_GATEWAY.into_response()
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Pages

/// The result: the verdict, every check, the images, the notifications.
fn result_body(
    session: &GetSessionResult,
    received: &[(Topic, Option<(&str, String)>)],
    learnt: &Learnt,
) -> String {
    let sid = session.session_id.as_deref().unwrap_or("");
    let mut out = String::new();
    let state = session.state.as_ref().map_or("(none)", |s| s.as_str());
    let _ = write!(
        out,
        r#"<h1>Verification result</h1>
<p class="muted">Session <code>{}</code> · state <b id="state">{}</b> · learnt from {}</p>"#,
        esc(sid),
        esc(state),
        match learnt {
            Learnt::Notification => "the <code>session_completion</code> notification",
            Learnt::Polling => "polling the session",
        }
    );

    verdict_section(&mut out, &Verdict::of(session));

    out.push_str(
        "<h2>Checks</h2><table><thead><tr><th>Check</th><th>State</th>\
         <th>Recommendation</th><th>Breakdown</th></tr></thead><tbody>",
    );
    for check in &session.checks {
        let check_type = check.check_type().to_string();
        let state = check.state().map_or("(none)", |s| s.as_str());
        let recommendation = check.report().and_then(|r| r.recommendation.as_ref());
        let (value, reason) = recommendation.map_or(("(none)", None), |r| {
            (r.value.as_str(), r.reason.as_deref())
        });
        let class = if check.is_approved() { "ok" } else { "bad" };
        let _ = write!(
            out,
            r#"<tr class="check" data-type="{t}"><td>{t}</td><td>{s}</td><td class="recommendation {class}">{v}</td><td>"#,
            t = esc(&check_type),
            s = esc(state),
            v = esc(value),
        );
        if let Some(reason) = reason {
            let _ = write!(out, "<div>reason: {}</div>", esc(reason));
        }
        if let Some(report) = check.report() {
            out.push_str("<ul class=\"breakdown\">");
            for b in &report.breakdown {
                let details = b
                    .details
                    .iter()
                    .map(|d| {
                        let name = d.name.as_deref().unwrap_or("");
                        format!("{}={}", esc(name), esc(d.value.as_deref().unwrap_or("")))
                    })
                    .collect::<Vec<_>>()
                    .join(", ");
                let _ = write!(
                    out,
                    "<li><code>{}</code> {}{}</li>",
                    esc(b.sub_check.as_deref().unwrap_or("")),
                    esc(b.result.as_str()),
                    if details.is_empty() {
                        String::new()
                    } else {
                        format!(" <span class=\"muted\">({details})</span>")
                    }
                );
            }
            out.push_str("</ul>");
        }
        out.push_str("</td></tr>");
    }
    out.push_str("</tbody></table>");

    out.push_str("<h2>Images</h2><div class=\"images\">");
    let images = session_images(session);
    if images.is_empty() {
        out.push_str("<p class=\"muted\">No images.</p>");
    }
    for (caption, media_id) in images {
        let _ = write!(
            out,
            r#"<figure><img class="media" src="/sessions/{}/media/{}" alt="{c}"><figcaption>{c}</figcaption></figure>"#,
            esc(&seg(sid)),
            esc(&seg(&media_id)),
            c = esc(caption),
        );
    }
    out.push_str("</div>");

    out.push_str("<h2>Notifications received</h2>");
    if received.is_empty() {
        out.push_str("<p class=\"muted\">None.</p>");
    } else {
        out.push_str("<ol class=\"notifications\">");
        for (topic, about) in received {
            let _ = write!(
                out,
                r#"<li class="notification" data-topic="{t}"><code>{t}</code>{}</li>"#,
                about
                    .as_ref()
                    .map(|(kind, id)| format!(" <span class=\"muted\">{kind} {}</span>", esc(id)))
                    .unwrap_or_default(),
                t = esc(topic.as_str()),
            );
        }
        out.push_str("</ol>");
    }
    out.push_str(r#"<p><a href="/">Start again</a></p>"#);
    out
}

/// The selfie-authentication outcome shown on the result page.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Verdict {
    Pass,
    Fail(Vec<String>),
    /// Not decided yet: the user or Yoti is not done.
    Pending(Vec<String>),
}

impl Verdict {
    /// The SDK's decision: pending until the session and its checks are done, fail only
    /// on a final decision.
    fn of(session: &GetSessionResult) -> Self {
        let verdict = SelfieAuthVerdict::evaluate(session);
        if verdict.is_pass() {
            Verdict::Pass
        } else if verdict.is_pending() {
            Verdict::Pending(verdict.reasons().to_vec())
        } else {
            Verdict::Fail(verdict.reasons().to_vec())
        }
    }
}

/// The verdict box: PASS, FAIL or PENDING, with the reasons.
fn verdict_section(out: &mut String, verdict: &Verdict) {
    let (class, word, reasons) = match verdict {
        Verdict::Pass => ("pass", "PASS", &[][..]),
        Verdict::Fail(reasons) => ("fail", "FAIL", reasons.as_slice()),
        Verdict::Pending(reasons) => ("pending", "PENDING", reasons.as_slice()),
    };
    let _ = write!(
        out,
        r#"<section class="verdict {class}"><p id="verdict">{word}</p>"#
    );
    if !reasons.is_empty() {
        out.push_str("<ul>");
        for reason in reasons {
            let _ = write!(out, "<li>{}</li>", esc(reason));
        }
        out.push_str("</ul>");
    }
    out.push_str("</section>");
}

/// `(caption, media id)` of the session's images: the selfies and the reference photo.
fn session_images(session: &GetSessionResult) -> Vec<(&'static str, String)> {
    let selfies = session
        .resources
        .liveness_capture
        .iter()
        .filter_map(|r| r.image()?.media.as_ref())
        .map(|m| ("Selfie (liveness capture)", m.id.to_string()));
    let references = session
        .resources
        .face_capture
        .iter()
        .filter_map(|r| r.image.as_ref()?.media.as_ref())
        .map(|m| ("Reference photo (face capture)", m.id.to_string()));
    selfies.chain(references).collect()
}

fn pending_page(session_id: &str, state: &str) -> Response {
    let mut verdict = String::new();
    verdict_section(
        &mut verdict,
        &Verdict::Pending(vec![format!("the session is {state}")]),
    );
    let body = format!(
        r#"<h1>Not finished yet</h1>
{verdict}
<p>Session <code>{}</code> is <b id="state">{}</b>. This page reloads itself.</p>
<p><a href="/">Start again</a></p>"#,
        esc(session_id),
        esc(state)
    );
    let html = page("Not finished yet", &body)
        .0
        .replace("<head>", r#"<head><meta http-equiv="refresh" content="2">"#);
    Html(html).into_response()
}

fn unknown_link() -> Response {
    message_page(
        StatusCode::NOT_FOUND,
        "Unknown link",
        "This link does not belong to a session of this app (it may have been restarted).",
    )
}

fn not_yours() -> Response {
    message_page(
        StatusCode::FORBIDDEN,
        "Not your session",
        "Only the browser that started this session can see its result.",
    )
}

fn unknown_session() -> Response {
    message_page(
        StatusCode::NOT_FOUND,
        "Unknown session",
        "This app did not create that session (it may have been restarted).",
    )
}

fn message_page(status: StatusCode, title: &str, text: &str) -> Response {
    let body = format!(
        r#"<h1>{}</h1><p>{}</p><p><a href="/" target="_top">Start again</a></p>"#,
        esc(title),
        esc(text)
    );
    (status, page(title, &body)).into_response()
}

/// The layout every page shares: one HTML document, no external assets.
fn page(title: &str, body: &str) -> Html<String> {
    Html(format!(
        r#"<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} · idv web demo</title>
<style>
  body {{ margin: 0; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1b2733; background: #f4f7fa; }}
  main {{ max-width: 820px; margin: 0 auto; padding: 16px; }}
  h1 {{ font-size: 22px; margin: 8px 0; }}
  h2 {{ font-size: 16px; margin: 16px 0 6px; }}
  .muted {{ color: #5b6b7b; }}
  button {{ font: inherit; border: 0; border-radius: 8px; padding: 10px 22px; cursor: pointer; background: #2d9fff; color: #fff; }}
  table {{ width: 100%; border-collapse: collapse; background: #fff; }}
  th, td {{ text-align: left; vertical-align: top; border: 1px solid #dde3ea; padding: 5px 8px; }}
  ul.breakdown {{ margin: 0; padding-left: 16px; }}
  .ok {{ color: #067647; font-weight: 700; }}
  .bad {{ color: #b42318; font-weight: 700; }}
  .verdict {{ border-radius: 10px; padding: 8px 14px; margin: 10px 0; }}
  .verdict p {{ font-size: 24px; font-weight: 800; margin: 0; }}
  .verdict.pass {{ background: #dcfae6; color: #067647; }}
  .verdict.fail {{ background: #fee4e2; color: #b42318; }}
  .verdict.pending {{ background: #fef0c7; color: #93370d; }}
  .images {{ display: flex; gap: 16px; flex-wrap: wrap; }}
  figure {{ margin: 0; }}
  figure img {{ width: 128px; height: 128px; object-fit: cover; border-radius: 8px; border: 1px solid #dde3ea; }}
  figcaption {{ font-size: 13px; color: #5b6b7b; }}
  ol.notifications {{ margin: 0; }}
</style>
</head>
<body><main>
{body}
</main></body>
</html>
"#,
        title = esc(title),
    ))
}

// ---------------------------------------------------------------------------------------------
// Small helpers

/// Escapes text for HTML content and quoted attribute values.
fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Percent-encodes a URL path segment.
fn seg(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(char::from(b));
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

/// `bytes` random bytes, hex-encoded.
fn random_hex(bytes: usize) -> Result<String, BoxError> {
    let mut buf = vec![0u8; bytes];
    getrandom::fill(&mut buf).map_err(|e| format!("no randomness: {e}"))?;
    Ok(hex::encode(&buf))
}
