//! Running the emulator: [`EmulatorBuilder`] and the [`Emulator`] handle.

use std::fmt;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, mpsc};
use std::thread::JoinHandle;
use std::time::Duration;

use idv_auth::PublicKey;
use tokio::sync::watch;

use crate::auth::{API_PREFIX, Apps, AuthPolicy, NonceStore, SANDBOX_PREFIX};
use crate::clock::{Clock, EmuClock, SystemClock};
use crate::conn::{ConnHandle, CountingListener};
use crate::fault::{Fault, Faults};
use crate::notify::{self, DeliveryConfig, NotificationRecord, RetryPolicy};
use crate::routes;
use crate::sandbox::{AppEnvironment, AppEnvironments};
use crate::state::{AppState, Sessions, Shared};

/// How often due transitions (reports after `async_report_delay`, expiry) are applied and
/// their notifications sent, in real time.
const TICK: Duration = Duration::from_millis(100);

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

    /// How far a request's `timestamp` may be from the emulator's clock, either way
    /// (default 10 minutes). `None` turns the check off (the Java SDK, for one, sends a
    /// timestamp that is not an epoch time).
    pub fn timestamp_skew(mut self, skew: Option<Duration>) -> Self {
        self.auth.skew = skew;
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
        let listener = std::net::TcpListener::bind((Ipv4Addr::LOCALHOST, self.port))?;
        listener.set_nonblocking(true)?;
        let addr = listener.local_addr()?;

        let apps = Apps::default();
        let environments = AppEnvironments::default();
        for (sdk_id, key, environment) in self.apps {
            environments.set(sdk_id.clone(), environment);
            apps.register(sdk_id, key);
        }
        let (notifier, worker) = notify::channel(self.notifications)?;
        let connections = Arc::new(AtomicU64::new(0));
        let state = AppState::new(Shared {
            apps,
            sessions: Sessions::default(),
            clock: EmuClock::new(self.clock),
            auth: self.auth,
            nonces: NonceStore::default(),
            faults: Faults::default(),
            notifier,
            app_configs: Mutex::new(Default::default()),
            connections: Arc::clone(&connections),
            admin: self.admin,
            environments,
        });
        let app = routes::router(state.clone(), self.log_requests);
        let ticker_state = state.clone();
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
                        Ok(inner) => CountingListener {
                            inner,
                            accepted: connections,
                        },
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
                    if let Err(e) = serve(listener, app, shutdown_rx).await {
                        eprintln!("idv-emulator: server error: {e}");
                    }
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

/// Serves until the shutdown flag is set (or its sender is dropped), then drains open
/// connections for at most [`SHUTDOWN_GRACE`].
async fn serve(
    listener: CountingListener,
    app: axum::Router,
    shutdown: watch::Receiver<bool>,
) -> std::io::Result<()> {
    let mut graceful = shutdown.clone();
    let mut deadline = shutdown;
    let service = app.into_make_service_with_connect_info::<ConnHandle>();
    let server = axum::serve(listener, service).with_graceful_shutdown(async move {
        let _ = graceful.wait_for(|stop| *stop).await;
    });
    tokio::select! {
        result = server => result,
        () = async move {
            let _ = deadline.wait_for(|stop| *stop).await;
            tokio::time::sleep(SHUTDOWN_GRACE).await;
        } => Ok(()),
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
