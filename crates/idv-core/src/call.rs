//! The lifecycle of one API call, as a sans-IO state machine.
//!
//! A [`Call`] owns everything about a call except the I/O and the sleeping: it signs each
//! attempt afresh (new nonce and timestamp), hands the request out, takes the response or the
//! transport error, asks the [`RetryPolicy`] what to do, enforces the response size limit, and
//! ends with the response, or an error. A driver only sends and sleeps:
//!
//! ```
//! use std::sync::Arc;
//! use idv_core::call::{CallContext, OperationCall, Step};
//! use idv_core::operations::GetSession;
//! use idv_core::{BaseUrl, Error, SyncTransport};
//!
//! fn get_session(
//!     transport: &dyn SyncTransport,
//!     context: Arc<CallContext>,
//!     session_id: &idv_model::SessionId,
//! ) -> Result<idv_model::GetSessionResult, Error> {
//!     let mut call = OperationCall::new(context, BaseUrl::default(), GetSession { session_id })?;
//!     loop {
//!         match call.next()? {
//!             Step::Send(request) => match transport.send(request) {
//!                 Ok(response) => call.on_response(response),
//!                 Err(error) => call.on_transport_error(error),
//!             },
//!             Step::Sleep(wait) => std::thread::sleep(wait),
//!             // Only with bearer tokens (`CallContext::bearer`): get one, hand it over.
//!             Step::Authenticate(_) => call.on_token_error(Error::InvalidInput(
//!                 idv_core::InvalidInputError::new("token", "this driver has none"),
//!             )),
//!             Step::Done(session) => return Ok(session),
//!         }
//!     }
//! }
//! ```
//!
//! The blocking and the async clients of the `idv` crate are exactly such loops (the async one
//! sleeps with its transport's timer), in the way `aws-smithy-runtime` keeps its orchestrator
//! apart from its HTTP client and its async sleep.
//!
//! # Shape, and why
//!
//! * **Pull, then push.** [`Call::next`] says what to do; the driver reports what happened with
//!   [`Call::on_response`] or [`Call::on_transport_error`]. Signing happens inside `next()`,
//!   after any sleep, so a retried request never carries a stale timestamp.
//! * **Untyped core, typed shell.** [`Call`] is not generic: it works on an [`ApiRequest`] and
//!   `http` values, owns all its data (the shared [`CallContext`] is behind an `Arc`) and
//!   takes and returns owned values, so a binding for another language (UniFFI) can wrap it
//!   as one object. [`OperationCall`] adds the operation's parser for Rust callers, and
//!   [`StreamedCall`] the head-only flow of media downloads.
//! * **Time and randomness are injected** through [`CallEnv`] (monotonic clock for the retry
//!   budget, wall clock for `Retry-After` dates, jitter), so a test drives every decision
//!   without sleeping or a socket. A successful attempt reads neither the clock nor the
//!   random source.
//! * **Streaming decides on the head.** For a streamed download the driver hands over the
//!   status and headers ([`Call::on_response_head`]) and keeps the body; the machine answers
//!   with a [`BodyAction`]: deliver it, discard it and retry, or read a bounded error body.
//! * **Telemetry once.** With the `tracing` feature, the machine's events (start, retry, end)
//!   become one `tracing` span per call (target `idv::telemetry`), whatever drives it.

use std::convert::Infallible;
use std::fmt;
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant, SystemTime};

use http::{HeaderMap, StatusCode};
use idv_auth::RequestSigner;

use crate::bearer::{BearerToken, TokenNeed, rejected_before_processing};
use crate::error::{Error, InvalidInputError};
use crate::operation::Operation;
use crate::request::{ApiRequest, BaseUrl};
use crate::retry::{Attempt, Decision, Outcome, RetryPolicy};
use crate::transport::{ResponseLimit, TransportConfig, TransportError, TransportErrorKind};

mod telemetry;

/// The most bytes of an error response a streamed call reads (see [`BodyAction::ReadError`]).
pub const MAX_STREAMED_ERROR_BODY: usize = 64 * 1024;

/// The largest response bodies accepted, by kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Limits {
    /// The largest JSON response (never more than `max_media_bytes`).
    pub max_json_bytes: usize,
    /// The largest buffered media response.
    pub max_media_bytes: usize,
}

impl Limits {
    /// Default largest JSON response: 16 MiB.
    pub const DEFAULT_MAX_JSON_BYTES: usize = 16 * 1024 * 1024;

    /// The given limits.
    pub fn new(max_json_bytes: usize, max_media_bytes: usize) -> Self {
        Self {
            max_json_bytes,
            max_media_bytes,
        }
    }

    /// The limit of a buffered response: the media limit for media, else the smaller of the
    /// two.
    pub fn for_response(&self, media: bool) -> usize {
        if media {
            self.max_media_bytes
        } else {
            self.max_json_bytes.min(self.max_media_bytes)
        }
    }
}

impl Default for Limits {
    /// 16 MiB of JSON, [`TransportConfig::DEFAULT_MAX_RESPONSE_BYTES`] of media.
    fn default() -> Self {
        Self::new(
            Self::DEFAULT_MAX_JSON_BYTES,
            TransportConfig::DEFAULT_MAX_RESPONSE_BYTES,
        )
    }
}

/// The time and randomness a call needs, injected so that tests are deterministic.
pub trait CallEnv: Send + Sync + fmt::Debug {
    /// A monotonic clock: the time since an arbitrary fixed origin. Measures the retry budget.
    fn monotonic(&self) -> Duration;
    /// The wall clock, to read a `Retry-After` date.
    fn wall_clock(&self) -> SystemTime;
    /// A random number in `[0, 1)` for the backoff jitter.
    fn jitter(&self) -> f64;
}

/// The real clocks and the operating system's random numbers.
#[derive(Debug, Clone, Copy, Default)]
#[non_exhaustive]
pub struct SystemEnv;

impl CallEnv for SystemEnv {
    fn monotonic(&self) -> Duration {
        static ORIGIN: OnceLock<Instant> = OnceLock::new();
        ORIGIN.get_or_init(Instant::now).elapsed()
    }

    fn wall_clock(&self) -> SystemTime {
        SystemTime::now()
    }

    fn jitter(&self) -> f64 {
        crate::retry::jitter()
    }
}

/// How the calls of a [`CallContext`] authenticate.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum Authentication {
    /// Every attempt is signed with this signer (`sdkId`, `nonce`, `timestamp` and
    /// `X-Yoti-Auth-Digest`): the default.
    Signed(RequestSigner),
    /// Every attempt carries `Authorization: Bearer <token>` and nothing is signed; the
    /// machine asks its driver for the token with [`Step::Authenticate`] (see
    /// [`crate::bearer`]).
    Bearer,
}

/// What every call of a client shares: the authentication, the retry policy, the limits and
/// the environment. Build it once per client and share it with an `Arc`.
#[derive(Debug, Clone)]
pub struct CallContext {
    auth: Authentication,
    retry: RetryPolicy,
    limits: Limits,
    env: Arc<dyn CallEnv>,
}

impl CallContext {
    /// Calls signed by `signer`, with the default retry policy, limits and [`SystemEnv`].
    pub fn new(signer: RequestSigner) -> Self {
        Self::with_authentication(Authentication::Signed(signer))
    }

    /// Calls authenticated with bearer tokens, with the default retry policy, limits and
    /// [`SystemEnv`].
    pub fn bearer() -> Self {
        Self::with_authentication(Authentication::Bearer)
    }

    /// Calls authenticated as `auth` says, with the default retry policy, limits and
    /// [`SystemEnv`].
    pub fn with_authentication(auth: Authentication) -> Self {
        Self {
            auth,
            retry: RetryPolicy::default(),
            limits: Limits::default(),
            env: Arc::new(SystemEnv),
        }
    }

    /// Sets the retry policy.
    pub fn with_retry_policy(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }

    /// Sets the response limits.
    pub fn with_limits(mut self, limits: Limits) -> Self {
        self.limits = limits;
        self
    }

    /// Sets the clocks and the random source (tests: a scripted environment).
    pub fn with_env(mut self, env: Arc<dyn CallEnv>) -> Self {
        self.env = env;
        self
    }

    /// The signer, when calls are signed.
    pub fn signer(&self) -> Option<&RequestSigner> {
        match &self.auth {
            Authentication::Signed(signer) => Some(signer),
            Authentication::Bearer => None,
        }
    }

    /// How calls authenticate.
    pub fn authentication(&self) -> &Authentication {
        &self.auth
    }

    /// The retry policy.
    pub fn retry_policy(&self) -> &RetryPolicy {
        &self.retry
    }

    /// The response limits.
    pub fn limits(&self) -> &Limits {
        &self.limits
    }
}

/// What a call is, as far as its lifecycle cares: safe to log (no ids).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct CallInfo {
    /// A stable name, e.g. `get_session`.
    pub operation: &'static str,
    /// The path with placeholders instead of ids.
    pub path_template: &'static str,
    /// Whether sending it twice has the same effect as once (see [`Operation::is_idempotent`]).
    pub idempotent: bool,
    /// Whether the response is media (the media size limit applies).
    pub media: bool,
}

impl CallInfo {
    /// A call named `operation` on `path_template`, not idempotent, not media.
    pub fn new(operation: &'static str, path_template: &'static str) -> Self {
        Self {
            operation,
            path_template,
            idempotent: false,
            media: false,
        }
    }

    /// Sets whether the call is safe to repeat.
    pub fn with_idempotent(mut self, idempotent: bool) -> Self {
        self.idempotent = idempotent;
        self
    }

    /// Sets whether the response is media.
    pub fn with_media(mut self, media: bool) -> Self {
        self.media = media;
        self
    }

    /// The description of `operation`.
    pub fn of<O: Operation>(operation: &O) -> Self {
        Self::new(O::NAME, O::PATH_TEMPLATE)
            .with_idempotent(operation.is_idempotent())
            .with_media(operation.is_media())
    }
}

/// What a driver does next.
// A `Step` lives for one `match` and is moved once; boxing the request would cost an
// allocation per attempt for nothing.
#[allow(clippy::large_enum_variant)]
pub enum Step<T = http::Response<Vec<u8>>> {
    /// Send this request (signed for this attempt), then report the outcome with
    /// [`Call::on_response`] (or [`Call::on_response_head`]) or [`Call::on_transport_error`].
    Send(http::Request<Vec<u8>>),
    /// Wait this long, then call `next()` again.
    Sleep(Duration),
    /// Bearer-token authentication: get a token (a fresh one if [`TokenNeed::rejected`] is
    /// set, unless the one the provider holds now is another), report it with
    /// [`Call::on_token`] (or the failure with [`Call::on_token_error`]), then call `next()`.
    Authenticate(TokenNeed),
    /// The call is over: its result.
    Done(T),
}

impl<T> fmt::Debug for Step<T> {
    /// The method of a request, never its target, headers or body (ids, signature, personal
    /// data).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Step::Send(request) => f
                .debug_struct("Send")
                .field("method", request.method())
                .finish_non_exhaustive(),
            Step::Sleep(wait) => f.debug_tuple("Sleep").field(wait).finish(),
            Step::Authenticate(need) => f.debug_tuple("Authenticate").field(need).finish(),
            Step::Done(_) => f.write_str("Done(..)"),
        }
    }
}

/// What a streaming driver does with the body of a response whose head it reported.
///
/// Exhaustive on purpose, like [`Step`]: a new action needs every driver to handle it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyAction {
    /// Success: hand the body to the caller. The call is over.
    Deliver,
    /// `204 No Content`: there is no body. The call is over.
    Empty,
    /// The attempt is retried: drop the body and call `next()`.
    Discard,
    /// The call failed with this status: read at most `max_bytes` of the body (a read error
    /// just ends it) and hand them to [`Call::on_error_body`], which turns them into the
    /// [`ApiError`](crate::ApiError) that `next()` returns.
    ReadError {
        /// The most bytes to read.
        max_bytes: usize,
    },
}

enum State {
    /// The next attempt is to be signed and handed out.
    Ready,
    /// An attempt is out; its outcome is awaited.
    InFlight,
    /// A token was asked for; [`Call::on_token`] is awaited.
    AwaitToken,
    /// The attempt failed and is retried after this wait.
    Backoff(Duration),
    /// The call ended with this response.
    Respond(http::Response<Vec<u8>>),
    /// The call ended with this error.
    Fail(Error),
    /// A streamed call failed with this head; its error body is awaited.
    ErrorBody {
        status: StatusCode,
        headers: HeaderMap,
    },
    /// Everything was handed out.
    Finished,
}

/// One API call, from the first attempt to its result. See the [module docs](self).
pub struct Call {
    context: Arc<CallContext>,
    base: BaseUrl,
    request: ApiRequest,
    info: CallInfo,
    limit: usize,
    attempts: u32,
    started: Option<Duration>,
    state: State,
    span: telemetry::CallSpan,
    /// The bearer token of the next attempts.
    token: Option<BearerToken>,
    /// The token the service refused, handed to the next [`Step::Authenticate`].
    rejected: Option<BearerToken>,
    /// Whether the one refresh after a 401 was used.
    refreshed: bool,
}

impl Call {
    /// A buffered call of `request` against `base`: the response body is limited to
    /// [`Limits::for_response`] of `info.media`.
    pub fn new(
        context: Arc<CallContext>,
        base: BaseUrl,
        request: ApiRequest,
        info: CallInfo,
    ) -> Self {
        let limit = context.limits.for_response(info.media);
        Self::with_limit(context, base, request, info, limit)
    }

    /// A buffered call of `operation`.
    ///
    /// # Errors
    /// The operation's own [`Operation::request`] errors (invalid input); nothing is sent.
    pub fn for_operation<O: Operation>(
        context: Arc<CallContext>,
        base: BaseUrl,
        operation: &O,
    ) -> Result<Self, Error> {
        Ok(Self::new(
            context,
            base,
            operation.request()?,
            CallInfo::of(operation),
        ))
    }

    /// A streamed call: the driver reports heads with [`Call::on_response_head`] and keeps the
    /// bodies, which have no size limit (the caller reads them as they arrive).
    pub fn streamed(
        context: Arc<CallContext>,
        base: BaseUrl,
        request: ApiRequest,
        info: CallInfo,
    ) -> Self {
        Self::with_limit(context, base, request, info, usize::MAX)
    }

    fn with_limit(
        context: Arc<CallContext>,
        base: BaseUrl,
        request: ApiRequest,
        info: CallInfo,
        limit: usize,
    ) -> Self {
        let span = telemetry::CallSpan::start(&info, request.method());
        Self {
            context,
            base,
            request,
            info,
            limit,
            attempts: 0,
            started: None,
            state: State::Ready,
            span,
            token: None,
            rejected: None,
            refreshed: false,
        }
    }

    /// What the call is.
    pub fn info(&self) -> &CallInfo {
        &self.info
    }

    /// The attempts handed out so far.
    pub fn attempts(&self) -> u32 {
        self.attempts
    }

    /// The largest response body accepted (`usize::MAX` for a streamed call).
    pub fn response_limit(&self) -> usize {
        self.limit
    }

    /// What to do next: send a freshly signed attempt, sleep before one, or take the result.
    ///
    /// # Errors
    /// The call's failure: the request could not be signed or built, the last attempt's
    /// transport error, a response body over the limit, the [`ApiError`](crate::ApiError) of a streamed
    /// call; or a driver error (`next()` while an attempt is out, or after the end), as
    /// [`Error::InvalidInput`] on the field `call`.
    #[allow(clippy::should_implement_trait)]
    pub fn next(&mut self) -> Result<Step, Error> {
        match std::mem::replace(&mut self.state, State::Finished) {
            State::Ready => {
                if self.started.is_none() {
                    self.started = Some(self.context.env.monotonic());
                }
                let built = match (&self.context.auth, &self.token) {
                    (Authentication::Signed(signer), _) => self.request.to_http(&self.base, signer),
                    (Authentication::Bearer, Some(token)) => {
                        self.request.to_http_bearer(&self.base, token)
                    }
                    (Authentication::Bearer, None) => {
                        self.state = State::AwaitToken;
                        return Ok(Step::Authenticate(TokenNeed {
                            rejected: self.rejected.take(),
                        }));
                    }
                };
                let mut request = match built {
                    Ok(request) => request,
                    Err(e) => {
                        self.span.finish(self.attempts, None, Some("sign"));
                        return Err(e);
                    }
                };
                request.extensions_mut().insert(ResponseLimit(self.limit));
                self.attempts += 1;
                self.state = State::InFlight;
                Ok(Step::Send(request))
            }
            State::Backoff(wait) => {
                self.state = State::Ready;
                Ok(Step::Sleep(wait))
            }
            State::Respond(response) => Ok(Step::Done(response)),
            State::Fail(error) => Err(error),
            state @ State::InFlight => {
                self.state = state;
                Err(misuse(
                    "next() was called before the outcome of the attempt was reported",
                ))
            }
            state @ State::AwaitToken => {
                self.state = state;
                Err(misuse("next() was called before on_token()"))
            }
            state @ State::ErrorBody { .. } => {
                self.state = state;
                Err(misuse("next() was called before on_error_body()"))
            }
            State::Finished => Err(misuse("next() was called after the call ended")),
        }
    }

    /// Reports the buffered response of the attempt handed out.
    pub fn on_response(&mut self, response: http::Response<Vec<u8>>) {
        if !self.take_in_flight() {
            return;
        }
        let status = response.status();
        if self.refresh_after(status, response.headers()) {
            return;
        }
        if !status.is_success()
            && self.retry(
                Outcome::Response {
                    status,
                    headers: response.headers(),
                },
                Some(status.as_u16()),
                None,
            )
        {
            return;
        }
        self.span.finish(self.attempts, Some(status.as_u16()), None);
        self.state = if response.body().len() > self.limit {
            State::Fail(Error::Transport(TransportError::from_kind(
                TransportErrorKind::BodyTooLarge,
            )))
        } else {
            State::Respond(response)
        };
    }

    /// Reports that the attempt handed out failed in the transport.
    pub fn on_transport_error(&mut self, error: TransportError) {
        if !self.take_in_flight() {
            return;
        }
        let name = kind_name(error.kind());
        if self.retry(Outcome::Transport(&error), None, Some(name)) {
            return;
        }
        self.span.finish(self.attempts, None, Some(name));
        self.state = State::Fail(Error::Transport(error));
    }

    /// Reports the status and headers of a streamed response; the driver keeps the body and
    /// does what the answer says with it.
    pub fn on_response_head(&mut self, status: StatusCode, headers: &HeaderMap) -> BodyAction {
        if !self.take_in_flight() {
            return BodyAction::Discard;
        }
        if status.is_success() {
            self.span.finish(self.attempts, Some(status.as_u16()), None);
            self.state = State::Finished;
            return if status == StatusCode::NO_CONTENT {
                BodyAction::Empty
            } else {
                BodyAction::Deliver
            };
        }
        if self.refresh_after(status, headers)
            || self.retry(
                Outcome::Response { status, headers },
                Some(status.as_u16()),
                None,
            )
        {
            return BodyAction::Discard;
        }
        self.span.finish(self.attempts, Some(status.as_u16()), None);
        self.state = State::ErrorBody {
            status,
            headers: headers.clone(),
        };
        BodyAction::ReadError {
            max_bytes: MAX_STREAMED_ERROR_BODY,
        }
    }

    /// Reports the error body read after [`BodyAction::ReadError`] (at most its `max_bytes`
    /// are kept); `next()` then returns the [`ApiError`](crate::ApiError).
    pub fn on_error_body(&mut self, mut body: Vec<u8>) {
        match std::mem::replace(&mut self.state, State::Finished) {
            State::ErrorBody { status, headers } => {
                body.truncate(MAX_STREAMED_ERROR_BODY);
                let mut response = http::Response::new(body);
                *response.status_mut() = status;
                *response.headers_mut() = headers;
                self.state = State::Fail(Error::from_response(response));
            }
            _ => {
                self.state = State::Fail(misuse(
                    "on_error_body() was called without a BodyAction::ReadError",
                ));
            }
        }
    }

    /// Reports the token asked for by [`Step::Authenticate`]; `next()` then hands out the
    /// attempt that carries it.
    pub fn on_token(&mut self, token: BearerToken) {
        match std::mem::replace(&mut self.state, State::Finished) {
            State::AwaitToken => {
                self.token = Some(token);
                self.state = State::Ready;
            }
            _ => {
                self.state =
                    State::Fail(misuse("on_token() was called without a Step::Authenticate"));
            }
        }
    }

    /// Reports that no token could be obtained: the call ends with `error`.
    pub fn on_token_error(&mut self, error: Error) {
        match std::mem::replace(&mut self.state, State::Finished) {
            State::AwaitToken => {
                self.span.finish(
                    self.attempts,
                    error.status().map(|s| s.as_u16()),
                    Some("token"),
                );
                self.state = State::Fail(error);
            }
            _ => {
                self.state = State::Fail(misuse(
                    "on_token_error() was called without a Step::Authenticate",
                ));
            }
        }
    }

    /// With a bearer token, a 401 asks for a fresh token once and sends the call again once;
    /// a call that is not idempotent only when the 401 shows it was not processed (see
    /// [`crate::bearer`]). Whether that happens.
    fn refresh_after(&mut self, status: StatusCode, headers: &HeaderMap) -> bool {
        if status != StatusCode::UNAUTHORIZED
            || self.refreshed
            || self.token.is_none()
            || !(self.info.idempotent || rejected_before_processing(status, headers))
        {
            return false;
        }
        self.refreshed = true;
        self.rejected = self.token.take();
        self.span.retrying(
            self.attempts,
            Some(status.as_u16()),
            Some("token"),
            Duration::ZERO,
        );
        self.state = State::Ready;
        true
    }

    /// Whether an attempt is out; if not, the driver misused the call, which then fails.
    fn take_in_flight(&mut self) -> bool {
        if matches!(self.state, State::InFlight) {
            return true;
        }
        self.state = State::Fail(misuse(
            "an outcome was reported while no attempt was in flight",
        ));
        false
    }

    /// Asks the retry policy about a failed attempt; on a retry, moves to the backoff.
    fn retry(&mut self, outcome: Outcome<'_>, status: Option<u16>, error: Option<&str>) -> bool {
        let env = &self.context.env;
        let elapsed = env
            .monotonic()
            .saturating_sub(self.started.unwrap_or_default());
        let decision = self.context.retry.decide(&Attempt {
            number: self.attempts,
            elapsed,
            idempotent: self.info.idempotent,
            outcome,
            jitter: env.jitter(),
            now: env.wall_clock(),
        });
        match decision {
            Decision::Retry(wait) => {
                self.span.retrying(self.attempts, status, error, wait);
                self.state = State::Backoff(wait);
                true
            }
            Decision::Stop => false,
        }
    }
}

impl fmt::Debug for Call {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Call")
            .field("info", &self.info)
            .field("attempts", &self.attempts)
            .finish_non_exhaustive()
    }
}

/// A buffered call of an operation, ending in the operation's output.
pub struct OperationCall<O> {
    operation: O,
    call: Call,
}

impl<O: Operation> OperationCall<O> {
    /// A call of `operation` against `base`.
    ///
    /// # Errors
    /// The operation's own [`Operation::request`] errors (invalid input); nothing is sent.
    pub fn new(context: Arc<CallContext>, base: BaseUrl, operation: O) -> Result<Self, Error> {
        let call = Call::for_operation(context, base, &operation)?;
        Ok(Self { operation, call })
    }

    /// As [`Call::next`], with the final response parsed by the operation.
    ///
    /// # Errors
    /// Those of [`Call::next`], and the operation's parse errors (API status, decoding).
    #[allow(clippy::should_implement_trait)]
    pub fn next(&mut self) -> Result<Step<O::Output>, Error> {
        Ok(match self.call.next()? {
            Step::Send(request) => Step::Send(request),
            Step::Sleep(wait) => Step::Sleep(wait),
            Step::Authenticate(need) => Step::Authenticate(need),
            Step::Done(response) => Step::Done(self.operation.parse(response)?),
        })
    }

    /// See [`Call::on_token`].
    pub fn on_token(&mut self, token: BearerToken) {
        self.call.on_token(token);
    }

    /// See [`Call::on_token_error`].
    pub fn on_token_error(&mut self, error: Error) {
        self.call.on_token_error(error);
    }

    /// See [`Call::on_response`].
    pub fn on_response(&mut self, response: http::Response<Vec<u8>>) {
        self.call.on_response(response);
    }

    /// See [`Call::on_transport_error`].
    pub fn on_transport_error(&mut self, error: TransportError) {
        self.call.on_transport_error(error);
    }

    /// The underlying call.
    pub fn call(&self) -> &Call {
        &self.call
    }
}

impl<O> fmt::Debug for OperationCall<O> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OperationCall")
            .field("call", &self.call)
            .finish_non_exhaustive()
    }
}

/// A streamed call (media downloads): it ends when [`StreamedCall::on_response_head`] says
/// [`BodyAction::Deliver`] or [`BodyAction::Empty`], or with an error from `next()`.
#[derive(Debug)]
pub struct StreamedCall {
    call: Call,
}

impl StreamedCall {
    /// A streamed call of `operation` against `base`.
    ///
    /// # Errors
    /// The operation's own [`Operation::request`] errors (invalid input); nothing is sent.
    pub fn new<O: Operation>(
        context: Arc<CallContext>,
        base: BaseUrl,
        operation: &O,
    ) -> Result<Self, Error> {
        let call = Call::streamed(context, base, operation.request()?, CallInfo::of(operation));
        Ok(Self { call })
    }

    /// As [`Call::next`]; a streamed call never ends in `Done` (its end is a
    /// [`BodyAction`]).
    ///
    /// # Errors
    /// Those of [`Call::next`], the [`ApiError`](crate::ApiError) of a failed status included.
    #[allow(clippy::should_implement_trait)]
    pub fn next(&mut self) -> Result<Step<Infallible>, Error> {
        match self.call.next()? {
            Step::Send(request) => Ok(Step::Send(request)),
            Step::Sleep(wait) => Ok(Step::Sleep(wait)),
            Step::Authenticate(need) => Ok(Step::Authenticate(need)),
            Step::Done(_) => Err(misuse("a streamed call was given a buffered response")),
        }
    }

    /// See [`Call::on_token`].
    pub fn on_token(&mut self, token: BearerToken) {
        self.call.on_token(token);
    }

    /// See [`Call::on_token_error`].
    pub fn on_token_error(&mut self, error: Error) {
        self.call.on_token_error(error);
    }

    /// See [`Call::on_response_head`].
    pub fn on_response_head(&mut self, status: StatusCode, headers: &HeaderMap) -> BodyAction {
        self.call.on_response_head(status, headers)
    }

    /// See [`Call::on_error_body`].
    pub fn on_error_body(&mut self, body: Vec<u8>) {
        self.call.on_error_body(body);
    }

    /// See [`Call::on_transport_error`].
    pub fn on_transport_error(&mut self, error: TransportError) {
        self.call.on_transport_error(error);
    }

    /// The underlying call.
    pub fn call(&self) -> &Call {
        &self.call
    }
}

fn misuse(reason: &'static str) -> Error {
    Error::InvalidInput(InvalidInputError::new("call", reason))
}

/// A short name of a transport error kind, for telemetry.
fn kind_name(kind: TransportErrorKind) -> &'static str {
    match kind {
        TransportErrorKind::Connect => "connect",
        TransportErrorKind::Timeout => "timeout",
        TransportErrorKind::BodyTooLarge => "body_too_large",
        TransportErrorKind::Request => "request",
        _ => "transport",
    }
}
