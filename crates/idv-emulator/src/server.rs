//! Running the emulator: [`EmulatorBuilder`] and the [`Emulator`] handle.

use std::fmt;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, mpsc};
use std::thread::JoinHandle;
use std::time::Duration;

use idv_auth::PublicKey;
use tokio::sync::watch;

use crate::apps::{Apps, AuthPolicy, NonceStore};
use crate::clock::{Clock, EmuClock, SystemClock};
use crate::conn::{Activity, TrackedStream};
use crate::fault::{Fault, Faults};
use crate::limits::{Gates, Limits};
use crate::notify::{self, DeliveryConfig, NotificationRecord, RetryPolicy};
use crate::paths::{API_PREFIX, SANDBOX_PREFIX};
use crate::routes;
use crate::sandbox::{AppEnvironment, AppEnvironments};
use crate::state::{AppState, Sessions, Shared};

/// How often due transitions (reports after `async_report_delay`, expiry) are applied and
/// their notifications sent, in real time.
const TICK: Duration = Duration::from_millis(100);

/// The shortest wait between two idle checks of one connection.
const IDLE_RECHECK: Duration = Duration::from_millis(100);

/// How long a shutdown waits for open connections before it stops the server anyway.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(3);

/// Configures and starts an [`Emulator`].
///
/// ```no_run
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let key = idv_auth::PublicKey::from_pem(&std::fs::read_to_string("app.pub.pem")?)?;
/// let emulator = idv_emulator::Emulator::builder()
///     .app("my-sdk-id", key)
///     .start()?;
/// println!("{}", emulator.base_url());
/// # Ok(())
/// # }
/// ```
#[must_use = "an EmulatorBuilder does nothing until start() is called"]
pub struct EmulatorBuilder {
    port: u16,
    apps: Vec<(String, PublicKey, AppEnvironment)>,
    log_requests: bool,
    clock: Arc<dyn Clock>,
    auth: AuthPolicy,
    admin: bool,
    notifications: DeliveryConfig,
    pub(crate) limits: Limits,
    token_path: String,
    token_lifetime: Duration,
    max_active_tokens: usize,
}

impl Default for EmulatorBuilder {
    fn default() -> Self {
        Self {
            port: 0,
            apps: Vec::new(),
            log_requests: false,
            clock: Arc::new(SystemClock),
            auth: AuthPolicy::default(),
            admin: false,
            notifications: DeliveryConfig::default(),
            limits: Limits::default(),
            token_path: crate::tokens::DEFAULT_TOKEN_PATH.to_owned(),
            token_lifetime: crate::tokens::DEFAULT_TOKEN_LIFETIME,
            max_active_tokens: crate::tokens::DEFAULT_MAX_ACTIVE_TOKENS,
        }
    }
}

impl fmt::Debug for EmulatorBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EmulatorBuilder")
            .field("port", &self.port)
            .field(
                "apps",
                &self
                    .apps
                    .iter()
                    .map(|(id, _, env)| (id, env))
                    .collect::<Vec<_>>(),
            )
            .field("log_requests", &self.log_requests)
            .field("timestamp_skew", &self.auth.skew)
            .field("replay_window", &self.auth.replay_window)
            .field("admin", &self.admin)
            .field("limits", &self.limits)
            .finish_non_exhaustive()
    }
}

impl EmulatorBuilder {
    /// The TCP port to listen on, on 127.0.0.1. The default, 0, lets the system pick a free
    /// port; read it back with [`Emulator::addr`] or [`Emulator::base_url`].
    pub fn port(mut self, port: u16) -> Self {
        self.port = port;
        self
    }

    /// Registers an application: requests with `sdkId=<sdk_id>` must be signed with the
    /// private key matching `public_key`. Registering the same id again replaces its key.
    ///
    /// The application may use both the API base and the sandbox base
    /// ([`AppEnvironment::Both`]); see [`app_for`](Self::app_for).
    pub fn app(self, sdk_id: impl Into<String>, public_key: PublicKey) -> Self {
        self.app_for(sdk_id, public_key, AppEnvironment::Both)
    }

    /// Registers an application for the sandbox base, the API base, or both. A request
    /// through a base the application is not registered for is 404 `APPLICATION_NOT_FOUND`,
    /// as at Yoti, whose sandbox and production are separate services with separate keys.
    /// Whatever the registration, a session is reachable only through the base it was
    /// created through.
    pub fn app_for(
        mut self,
        sdk_id: impl Into<String>,
        public_key: PublicKey,
        environment: AppEnvironment,
    ) -> Self {
        self.apps.push((sdk_id.into(), public_key, environment));
        self
    }

    /// The path of the bearer-token endpoint (default [`DEFAULT_TOKEN_PATH`](crate::DEFAULT_TOKEN_PATH),
    /// `/v1/oauth/token`); a path that does not start with `/` gets one. Its URL is
    /// [`Emulator::token_url`]. See the `tokens` module docs for what it checks.
    pub fn token_path(mut self, path: impl Into<String>) -> Self {
        let path = path.into();
        self.token_path = if path.starts_with('/') {
            path
        } else {
            format!("/{path}")
        };
        self
    }

    /// The lifetime of the bearer tokens issued (default 5 minutes; at least 1 ms). Tests set
    /// a short one to watch tokens expire; [`Emulator::set_token_lifetime`] changes it later.
    pub fn token_lifetime(mut self, lifetime: Duration) -> Self {
        self.token_lifetime = lifetime.max(Duration::from_millis(1));
        self
    }

    /// The most unexpired bearer tokens one application may hold (default 200, Yoti's
    /// documented cap); the next token request is refused with 429.
    pub fn max_active_tokens(mut self, max: usize) -> Self {
        self.max_active_tokens = max;
        self
    }

    /// Logs one line per request to stderr: method, path without the query string, status
    /// and latency in milliseconds. Bodies, query strings and tokens are never logged.
    /// Off by default.
    pub fn log_requests(mut self, enabled: bool) -> Self {
        self.log_requests = enabled;
        self
    }

    /// The clock the emulator reads ([`SystemClock`] by default). With a
    /// [`ManualClock`](crate::ManualClock), time moves only when the test moves it; see
    /// the [`clock`](crate::clock) module for what reads which time.
    pub fn clock(mut self, clock: impl Clock) -> Self {
        self.clock = Arc::new(clock);
        self
    }

    /// How far a request's `timestamp` may be from the emulator's clock, either way, read as
    /// epoch seconds or milliseconds; beyond it, 401 `STALE_TIMESTAMP`. Default `None`: any
    /// integer is accepted, as Yoti documents no window and the Java SDK sends
    /// `System.nanoTime() / 1000`, which is no epoch time. This check is the emulator's own.
    pub fn timestamp_skew(mut self, skew: Option<Duration>) -> Self {
        self.auth.skew = skew;
        self
    }

    /// Refuses the Go SDK's `sdkID` query name (400 `query.sdkId`), accepting only `sdkId`.
    /// Off by default: the Go SDK sends `sdkID` and Yoti accepts it. This check is the
    /// emulator's own.
    pub fn strict_query_names(mut self, strict: bool) -> Self {
        self.auth.strict_query_names = strict;
        self
    }

    /// How long a nonce is remembered: a request reusing one within this window is refused
    /// with 401 `REPLAYED_NONCE` (default 10 minutes; `Duration::ZERO` turns the check off).
    pub fn replay_window(mut self, window: Duration) -> Self {
        self.auth.replay_window = window;
        self
    }

    /// Serves the unsigned admin API under `/__admin/` (fault injection, clock, stats); see
    /// the [`admin`](crate::admin) module. Off by default.
    pub fn admin(mut self, enabled: bool) -> Self {
        self.admin = enabled;
        self
    }

    /// How notifications are retried: at most `max_attempts` attempts in all, waiting
    /// `base_backoff`, then twice as long each time (at most 5 s). Default: 5 attempts,
    /// 200 ms.
    pub fn notification_retries(mut self, max_attempts: u32, base_backoff: Duration) -> Self {
        self.notifications.retry = RetryPolicy {
            max_attempts,
            base_backoff,
        };
        self
    }

    /// At most this many connections are open at once (default 1024); further clients
    /// wait in the listen backlog until one closes. See the [`limits`](crate::limits)
    /// module for every limit.
    pub fn max_connections(mut self, max: usize) -> Self {
        self.limits.max_connections = max.max(1);
        self
    }

    /// At most this many requests are handled at once (default 256); more are answered
    /// 503 `SERVER_BUSY` with `Retry-After: 1`.
    pub fn max_in_flight(mut self, max: usize) -> Self {
        self.limits.max_in_flight = max.max(1);
        self
    }

    /// A request head must arrive within this time of the connection opening or of the
    /// previous response (default 10 s); else the connection is closed.
    pub fn header_read_timeout(mut self, timeout: Duration) -> Self {
        self.limits.header_read_timeout = timeout;
        self
    }

    /// A request body must arrive within this time of its head (default 30 s); else 408
    /// `REQUEST_TIMEOUT`.
    pub fn body_read_timeout(mut self, timeout: Duration) -> Self {
        self.limits.body_read_timeout = timeout;
        self
    }

    /// A connection with no request in progress that receives and sends nothing for this
    /// long is closed (default 30 s).
    pub fn idle_timeout(mut self, timeout: Duration) -> Self {
        self.limits.idle_timeout = timeout;
        self
    }

    /// The request bodies held in memory at once, by their declared length, add up to at
    /// most this many bytes (default 64 MiB); a body that does not fit is answered 503
    /// `SERVER_BUSY` unread.
    pub fn body_memory(mut self, bytes: usize) -> Self {
        self.limits.body_memory = bytes;
        self
    }

    /// At most this many sessions are kept (default 10,000); creating one more forgets the
    /// oldest.
    pub fn max_sessions(mut self, max: usize) -> Self {
        self.limits.max_sessions = max.max(1);
        self
    }

    /// At most this many nonces are remembered for the replay check (default 100,000); the
    /// oldest is forgotten first, even within the replay window.
    pub fn max_nonces(mut self, max: usize) -> Self {
        self.limits.max_nonces = max.max(1);
        self
    }

    /// At most this many notification records are kept (default 10,000); the oldest is
    /// dropped first (its delivery still goes on).
    pub fn max_notifications(mut self, max: usize) -> Self {
        self.limits.max_notifications = max.max(1);
        self
    }

    /// At most this many applicants per application and base (default 1,000); creating one
    /// more is refused with 409 `LIMIT_REACHED` (nothing is forgotten).
    pub fn max_applicants(mut self, max: usize) -> Self {
        self.limits.store.applicants = max.max(1);
        self
    }

    /// At most this many faces per applicant (default 5); adding one more is refused with
    /// 409 `LIMIT_REACHED`.
    pub fn max_faces_per_applicant(mut self, max: usize) -> Self {
        self.limits.store.faces_per_applicant = max.max(1);
        self
    }

    /// At most this many pools per application and base (default 100); creating one more is
    /// refused with 409 `LIMIT_REACHED`.
    pub fn max_pools(mut self, max: usize) -> Self {
        self.limits.store.pools = max.max(1);
        self
    }

    /// At most this many applicants in one pool (default 1,000); adding one more is refused
    /// with 409 `LIMIT_REACHED`.
    pub fn max_pool_members(mut self, max: usize) -> Self {
        self.limits.store.pool_members = max.max(1);
        self
    }

    /// At most this many bytes of applicant face images per application and base (default
    /// 256 MiB); a face that does not fit is refused with 409 `LIMIT_REACHED`, and deleting
    /// faces frees their share.
    pub fn face_memory(mut self, bytes: usize) -> Self {
        self.limits.store.face_bytes = bytes;
        self
    }

    /// Trusts the CA certificate(s) in `pem` for notification delivery over HTTPS, besides
    /// the platform's roots (e.g. a test CA that signed a local receiver's certificate). May
    /// be called more than once. [`start`](Self::start) fails if `pem` holds no certificate.
    pub fn notification_ca_pem(mut self, pem: impl Into<Vec<u8>>) -> Self {
        self.notifications.extra_roots_pem.push(pem.into());
        self
    }

    /// Accepts an `http://` notification endpoint on a loopback host (`localhost`,
    /// `127.0.0.0/8`, `[::1]`) at session creation and delivers to it in plain HTTP.
    /// Off by default: as in production, only `https://` endpoints are accepted (400
    /// naming `notifications.endpoint`). This is the emulator's own opt-in, for local
    /// receivers such as the examples'.
    pub fn allow_plain_http_notifications(mut self, allowed: bool) -> Self {
        self.notifications.allow_plain_http = allowed;
        self
    }

    /// Binds 127.0.0.1 and starts serving on a background thread with its own Tokio runtime.
    ///
    /// Returns once the server accepts connections. Because the runtime is the emulator's
    /// own, this works from plain synchronous code, from `#[test]`, and from inside another
    /// Tokio runtime (`#[tokio::test]`) alike.
    ///
    /// # Errors
    ///
    /// Binding the port, creating the runtime or spawning the thread failed, or a
    /// [notification CA](Self::notification_ca_pem) is not a PEM certificate.
    pub fn start(self) -> std::io::Result<Emulator> {
        let listener = listen(self.port)?;
        listener.set_nonblocking(true)?;
        let addr = listener.local_addr()?;

        let apps = Apps::default();
        let environments = AppEnvironments::default();
        for (sdk_id, key, environment) in self.apps {
            environments.set(sdk_id.clone(), environment);
            apps.register(sdk_id, key);
        }
        let (notifier, worker) =
            notify::channel(self.notifications, self.limits.max_notifications)?;
        let connections = Arc::new(AtomicU64::new(0));
        let limits = self.limits;
        let state = AppState::new(Shared {
            apps,
            sessions: Sessions::new(limits.max_sessions),
            clock: EmuClock::new(self.clock),
            auth: self.auth,
            nonces: NonceStore::default(),
            faults: Faults::default(),
            notifier,
            app_configs: Mutex::new(Default::default()),
            connections: Arc::clone(&connections),
            admin: self.admin,
            gates: Gates::new(limits),
            local_addr: addr,
            environments,
            applicants: crate::applicants::Applicants::with_limits(limits.store),
            tokens: crate::tokens::Tokens::new(
                self.token_path,
                self.token_lifetime,
                self.max_active_tokens,
            ),
        });
        let app = routes::router(state.clone(), self.log_requests);
        let ticker_state = state.clone();
        let serve_state = state.clone();
        let (shutdown_tx, shutdown_rx) = watch::channel(false);
        let (ready_tx, ready_rx) = mpsc::channel::<std::io::Result<()>>();

        let thread = std::thread::Builder::new()
            .name("idv-emulator".to_owned())
            .spawn(move || {
                let runtime = match tokio::runtime::Builder::new_multi_thread()
                    .worker_threads(2)
                    .thread_name("idv-emulator-worker")
                    .enable_all()
                    .build()
                {
                    Ok(runtime) => runtime,
                    Err(e) => {
                        let _ = ready_tx.send(Err(e));
                        return;
                    }
                };
                runtime.block_on(async move {
                    let listener = match tokio::net::TcpListener::from_std(listener) {
                        Ok(listener) => listener,
                        Err(e) => {
                            let _ = ready_tx.send(Err(e));
                            return;
                        }
                    };
                    tokio::spawn(worker.run());
                    tokio::spawn(async move {
                        let mut interval = tokio::time::interval(TICK);
                        loop {
                            interval.tick().await;
                            ticker_state.tick();
                        }
                    });
                    let _ = ready_tx.send(Ok(()));
                    serve(listener, connections, app, serve_state, shutdown_rx).await;
                });
                runtime.shutdown_timeout(Duration::from_secs(1));
            })?;

        match ready_rx.recv() {
            Ok(Ok(())) => Ok(Emulator {
                addr,
                state,
                shutdown_tx: Some(shutdown_tx),
                thread: Some(thread),
            }),
            Ok(Err(e)) => {
                let _ = thread.join();
                Err(e)
            }
            Err(_) => {
                let _ = thread.join();
                Err(std::io::Error::other(
                    "the emulator thread ended before it was ready",
                ))
            }
        }
    }
}

/// Connections the kernel completes and queues for the emulator before it accepts them.
/// `std::net::TcpListener::bind` asks for 128: a test suite that opens hundreds of
/// connections at once then has SYNs dropped and waits for the client's retransmission (1 s,
/// then 3 s...). The kernel caps this at `net.core.somaxconn` (4096 on current Linux).
pub(crate) const LISTEN_BACKLOG: i32 = 1024;

/// A listener on 127.0.0.1:`port` (0: any free port) with [`LISTEN_BACKLOG`], address
/// reuse as std sets it on Unix (a restarted emulator can take its port back while old
/// connections are in TIME_WAIT).
fn listen(port: u16) -> std::io::Result<std::net::TcpListener> {
    use socket2::{Domain, Protocol, Socket, Type};
    let socket = Socket::new(Domain::IPV4, Type::STREAM, Some(Protocol::TCP))?;
    #[cfg(unix)]
    socket.set_reuse_address(true)?;
    socket.bind(&SocketAddr::from((Ipv4Addr::LOCALHOST, port)).into())?;
    socket.listen(LISTEN_BACKLOG)?;
    Ok(socket.into())
}

/// Serves until the shutdown flag is set (or its sender is dropped), then lets open
/// connections finish for at most [`SHUTDOWN_GRACE`].
///
/// At most `max_connections` connections are open at once: the next is accepted only when
/// one closes (further clients wait in the listen backlog). Each connection has hyper's
/// header read timeout and the emulator's idle timeout; each request takes a slot of
/// `max_in_flight` or gets 503 `SERVER_BUSY`.
async fn serve(
    listener: tokio::net::TcpListener,
    accepted: Arc<AtomicU64>,
    app: axum::Router,
    state: AppState,
    mut shutdown: watch::Receiver<bool>,
) {
    let limits = state.gates.limits;
    let max_connections = limits
        .max_connections
        .clamp(1, tokio::sync::Semaphore::MAX_PERMITS);
    let slots = Arc::new(tokio::sync::Semaphore::new(max_connections));
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(hyper_util::rt::TokioTimer::new())
        .header_read_timeout(limits.header_read_timeout)
        .keep_alive(true);
    loop {
        let slot = tokio::select! {
            slot = Arc::clone(&slots).acquire_owned() => match slot {
                Ok(slot) => slot,
                Err(_) => break,
            },
            _ = shutdown.wait_for(|stop| *stop) => break,
        };
        let stream = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                // Too many open files and the like: wait a little, as axum's own loop does.
                Err(_) => {
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            _ = shutdown.wait_for(|stop| *stop) => break,
        };
        accepted.fetch_add(1, Ordering::Relaxed);
        let _ = stream.set_nodelay(true);
        let (io, handle, activity) = TrackedStream::new(stream);
        let router = hyper_util::service::TowerToHyperService::new(app.clone());
        let state = state.clone();
        let service_activity = Arc::clone(&activity);
        let service =
            hyper::service::service_fn(move |request: hyper::Request<hyper::body::Incoming>| {
                let in_flight = service_activity.begin();
                let slot = state.gates.try_request();
                // The body is lent to the router: if it answers without reading a small
                // body, the rest is drained before the answer goes out (see `drain`).
                let declared = crate::limits::declared_length(
                    request.headers(),
                    crate::drain::DRAIN_LIMIT as usize,
                    || {
                        crate::error::ApiError::payload_too_large(
                            crate::drain::DRAIN_LIMIT as usize,
                        )
                    },
                )
                .ok()
                .flatten();
                let (parts, body) = request.into_parts();
                let (body, unread) = crate::drain::LentBody::new(body);
                let mut request = hyper::Request::from_parts(parts, body);
                request
                    .extensions_mut()
                    .insert(axum::extract::ConnectInfo(handle.clone()));
                let call = slot
                    .is_some()
                    .then(|| hyper::service::Service::call(&router, request));
                async move {
                    let response = match call {
                        Some(call) => call.await?,
                        None => axum::response::IntoResponse::into_response(
                            crate::error::ApiError::busy(),
                        ),
                    };
                    crate::drain::drain(&unread, declared).await;
                    drop((slot, in_flight));
                    Ok::<_, std::convert::Infallible>(response)
                }
            });
        let connection = http.serve_connection(hyper_util::rt::TokioIo::new(io), service);
        tokio::spawn(watch_connection(
            connection,
            activity,
            limits.idle_timeout,
            shutdown.clone(),
            slot,
        ));
    }
    // Wait for open connections to end (every slot back), for a while at most.
    let all = u32::try_from(max_connections).unwrap_or(u32::MAX);
    let _ = tokio::time::timeout(SHUTDOWN_GRACE, slots.acquire_many(all)).await;
}

/// Drives one connection: closes it once idle, or gracefully at shutdown. Dropping the
/// connection closes the socket and gives its slot back.
async fn watch_connection<F>(
    connection: F,
    activity: Arc<Activity>,
    idle: Duration,
    mut shutdown: watch::Receiver<bool>,
    _slot: tokio::sync::OwnedSemaphorePermit,
) where
    F: std::future::Future + GracefulShutdown,
{
    let connection = std::pin::pin!(connection);
    let mut connection = connection;
    let mut stopping = false;
    loop {
        // While a request runs past the idle deadline, look again now and then, not in a
        // busy loop.
        let deadline = activity
            .idle_deadline(idle)
            .max(tokio::time::Instant::now() + IDLE_RECHECK);
        tokio::select! {
            _ = connection.as_mut() => return,
            () = tokio::time::sleep_until(deadline) => {
                if activity.is_idle(idle) {
                    return;
                }
            }
            _ = shutdown.wait_for(|stop| *stop), if !stopping => {
                stopping = true;
                connection.as_mut().shutdown_gracefully();
            }
        }
    }
}

/// hyper's HTTP/1 connection, seen through the one method [`watch_connection`] needs.
trait GracefulShutdown {
    fn shutdown_gracefully(self: std::pin::Pin<&mut Self>);
}

impl<I, S> GracefulShutdown for hyper::server::conn::http1::Connection<I, S>
where
    S: hyper::service::HttpService<hyper::body::Incoming>,
    S::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
    I: hyper::rt::Read + hyper::rt::Write + Unpin,
    S::ResBody: hyper::body::Body + 'static,
    <S::ResBody as hyper::body::Body>::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
{
    fn shutdown_gracefully(self: std::pin::Pin<&mut Self>) {
        self.graceful_shutdown();
    }
}

/// A running emulator, listening on 127.0.0.1.
///
/// Dropping it shuts the server down (as [`Emulator::shutdown`] does). Requests must be
/// signed by a registered application; see the [crate docs](crate) for the endpoints.
pub struct Emulator {
    addr: SocketAddr,
    state: AppState,
    shutdown_tx: Option<watch::Sender<bool>>,
    thread: Option<JoinHandle<()>>,
}

impl fmt::Debug for Emulator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Emulator")
            .field("addr", &self.addr)
            .finish_non_exhaustive()
    }
}

impl Emulator {
    /// Starts configuring an emulator.
    pub fn builder() -> EmulatorBuilder {
        EmulatorBuilder::default()
    }

    /// Base URL of the IDV API, `http://127.0.0.1:PORT/idverify/v1` (no trailing slash).
    pub fn base_url(&self) -> String {
        format!("http://{}{API_PREFIX}", self.addr)
    }

    /// Base URL of the sandbox API, `http://127.0.0.1:PORT/sandbox/idverify/v1`.
    pub fn sandbox_base_url(&self) -> String {
        format!("http://{}{SANDBOX_PREFIX}", self.addr)
    }

    /// The URL of the bearer-token endpoint, `http://127.0.0.1:PORT/v1/oauth/token` by
    /// default: give it to the client as its token URL.
    pub fn token_url(&self) -> String {
        format!("http://{}{}", self.addr, self.state.tokens.path)
    }

    /// How the IDV calls so far were authenticated (signed or bearer), and how many token
    /// requests came and how many tokens were issued.
    pub fn auth_counts(&self) -> crate::AuthCounts {
        self.state.tokens.counts()
    }

    /// Sets the lifetime of the bearer tokens issued from now on.
    pub fn set_token_lifetime(&self, lifetime: Duration) {
        self.state
            .tokens
            .set_lifetime(lifetime.max(Duration::from_millis(1)));
    }

    /// Revokes every bearer token of `sdk_id`: calls with them get 401. With `for_good`,
    /// tokens issued to it later are refused too (its bearer access is withdrawn); without,
    /// a new token works.
    pub fn revoke_tokens(&self, sdk_id: &str, for_good: bool) {
        self.state.tokens.revoke(sdk_id, for_good);
    }

    /// The address the emulator listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Registers an application while the emulator runs; see [`EmulatorBuilder::app`].
    pub fn register_app(&self, sdk_id: impl Into<String>, public_key: PublicKey) {
        self.register_app_for(sdk_id, public_key, AppEnvironment::Both);
    }

    /// Registers an application for one environment while the emulator runs; see
    /// [`EmulatorBuilder::app_for`].
    pub fn register_app_for(
        &self,
        sdk_id: impl Into<String>,
        public_key: PublicKey,
        environment: AppEnvironment,
    ) {
        let sdk_id = sdk_id.into();
        self.state.environments.set(sdk_id.clone(), environment);
        self.state.apps.register(sdk_id, public_key);
    }

    /// How many TCP connections the emulator has accepted so far (a client that reuses its
    /// connections keeps this low).
    pub fn connections_accepted(&self) -> u64 {
        self.state.connections.load(Ordering::Relaxed)
    }

    /// Ages every session by `by`: TTLs, deadlines, `resources_ttl` and
    /// `async_report_delay` behave as if that much time had passed, and due transitions
    /// (and their notifications) happen at once. Request timestamps are still compared
    /// with the unadvanced clock, so clients signing with their wall clock keep working.
    pub fn advance_clock(&self, by: Duration) {
        self.state.clock.advance(by);
        self.state.tick();
    }

    /// Injects a fault; see [`Fault`].
    pub fn inject(&self, fault: Fault) {
        self.state.faults.inject(fault);
    }

    /// Removes every pending fault.
    pub fn clear_faults(&self) {
        self.state.faults.clear();
    }

    /// The faults not used up yet, in the order they apply.
    pub fn pending_faults(&self) -> Vec<Fault> {
        self.state.faults.pending()
    }

    /// Every notification the emulator has queued, in order, with its delivery status.
    pub fn notifications(&self) -> Vec<NotificationRecord> {
        self.state.notifier.records()
    }

    /// Base URL of the admin API, `http://127.0.0.1:PORT/__admin` (served only when
    /// [`EmulatorBuilder::admin`] was enabled).
    pub fn admin_url(&self) -> String {
        format!("http://{}/__admin", self.addr)
    }

    /// Stops accepting connections, lets open ones finish (for a few seconds at most), and
    /// waits for the server thread to end.
    pub fn shutdown(mut self) {
        self.stop();
    }

    fn stop(&mut self) {
        if let Some(tx) = self.shutdown_tx.take() {
            let _ = tx.send(true);
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        self.stop();
    }
}
