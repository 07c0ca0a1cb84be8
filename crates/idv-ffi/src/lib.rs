//! UniFFI bindings of the `idv` SDK, for SDKs written in Python, Kotlin and Swift.
//!
//! One implementation of signing, request building, the wire model, retries and the
//! decision rules, with the host language's own HTTP stack or ours:
//!
//! * **Host-driven (sans-IO).** [`Idv::call`] starts an [`Operation`] as a [`HostCall`], the
//!   `idv_core::Call` state machine behind one object. The host loops on
//!   [`HostCall::next`]: a [`CallStep::Send`] hands it a signed [`HttpRequest`] to send with
//!   its own HTTP client, and it reports the answer with [`HostCall::on_response`] (status,
//!   headers, body) or [`HostCall::on_transport_error`]; [`CallStep::Sleep`] asks it to wait
//!   before the retry; [`CallStep::Done`] carries the decoded [`CallOutput`]; a failure is an
//!   [`IdvError`].
//! * **Built-in client.** [`Idv::execute`] and the typed methods ([`Idv::get_session`], ...)
//!   drive the same machine over the ureq transport of `idv-transport-ureq`, blocking.
//!
//! Plus the selfie-authentication verdict ([`Session::selfie_verdict`]), notification
//! parsing and verification ([`verify_notification`]), and the request digest
//! ([`auth_digest`]). Secrets (the private key, client session tokens, notification tokens)
//! are never in an error message or a generated `repr`: the key is a constructor argument
//! that is not kept as text, tokens are opaque objects.

uniffi::setup_scaffolding!();

mod error;
mod ops;
mod types;

use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use idv_auth::{FixedNonce, FixedTimestamp, PrivateKey, RequestSigner};
use idv_core::call::{Call, CallContext, Limits, Step};
use idv_core::notifications::{AuthType, Notification as CoreNotification, NotificationAuth};
use idv_core::{BaseUrl, RetryPolicy, SyncTransport, TransportConfig, TransportError};
use idv_transport_ureq::UreqTransport;

pub use error::{ConfigErrorKind, IdvError, PropertyError, TransportErrorKind};
pub use ops::{CallOutput, Operation};
pub use types::{
    CheckSummary, ClientSessionToken, CreatedSession, FaceCaptureResource, Header, HttpRequest,
    Image, JsonDocument, MediaContent, SandboxOutcome, SelfieSessionSpec, SelfieVerdict, Session,
    SessionConfiguration, VerdictOutcome,
};

use ops::Api;

/// How a client retries and times out. Every field is optional: `None` keeps the Rust SDK's
/// default.
#[derive(Debug, Clone, Default, uniffi::Record)]
pub struct ClientOptions {
    /// Most attempts per call (1 disables retries).
    #[uniffi(default)]
    pub max_attempts: Option<u32>,
    /// The first backoff, in milliseconds (doubled per retry, with jitter).
    #[uniffi(default)]
    pub base_backoff_ms: Option<u64>,
    /// The largest backoff, in milliseconds.
    #[uniffi(default)]
    pub max_backoff_ms: Option<u64>,
    /// The time budget of all the attempts of one call, in milliseconds.
    #[uniffi(default)]
    pub retry_budget_ms: Option<u64>,
    /// The built-in client's whole-request timeout, in milliseconds.
    #[uniffi(default)]
    pub timeout_ms: Option<u64>,
    /// The built-in client's connect timeout, in milliseconds.
    #[uniffi(default)]
    pub connect_timeout_ms: Option<u64>,
    /// Tests only: sign every request with this nonce (the replay check refuses a second
    /// request with it).
    #[uniffi(default)]
    pub fixed_nonce: Option<String>,
    /// Tests only: sign every request with this timestamp (milliseconds since the epoch).
    #[uniffi(default)]
    pub fixed_timestamp_ms: Option<u64>,
}

/// A configured client: credentials, base URLs, retry policy and limits. Cheap to share
/// between threads. It starts host-driven calls ([`Idv::call`]) and runs calls itself over
/// its own blocking HTTP client ([`Idv::execute`] and the typed methods).
#[derive(uniffi::Object)]
pub struct Idv {
    context: Arc<CallContext>,
    base: BaseUrl,
    sandbox: BaseUrl,
    transport_config: TransportConfig,
    transport: OnceLock<UreqTransport>,
}

impl std::fmt::Debug for Idv {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Idv")
            .field("sdk_id", &self.sdk_id())
            .field("base_url", &self.base.as_str())
            .finish_non_exhaustive()
    }
}

fn base_url(field: &str, url: &str) -> Result<BaseUrl, IdvError> {
    BaseUrl::parse(url)
        .map_err(|e| IdvError::config(ConfigErrorKind::InvalidBaseUrl, format!("{field}: {e}")))
}

fn millis(ms: u64) -> Duration {
    Duration::from_millis(ms)
}

#[uniffi::export]
impl Idv {
    /// A client of the application `sdk_id`, signing with the PEM private key `key_pem`
    /// (PKCS#1 or PKCS#8), against `base_url` (e.g. `https://api.yoti.com/idverify/v1`; plain
    /// `http` only on loopback hosts). Sandbox calls go to `sandbox_base_url`, by default
    /// derived from `base_url` (`.../sandbox/idverify/v1`).
    ///
    /// # Errors
    /// `Config` with kind `INVALID_SDK_ID`, `INVALID_KEY` or `INVALID_BASE_URL`; the message
    /// never contains the key.
    #[uniffi::constructor(default(sandbox_base_url = None, options = None))]
    pub fn new(
        sdk_id: String,
        key_pem: String,
        base_url: String,
        sandbox_base_url: Option<String>,
        options: Option<ClientOptions>,
    ) -> Result<Arc<Self>, IdvError> {
        if sdk_id.is_empty() || sdk_id.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(IdvError::config(
                ConfigErrorKind::InvalidSdkId,
                "the SDK id is empty or contains whitespace or control characters",
            ));
        }
        let key = PrivateKey::from_pem(&key_pem).map_err(|e| {
            IdvError::config(
                ConfigErrorKind::InvalidKey,
                format!("the private key could not be loaded: {e}"),
            )
        })?;
        drop(key_pem);
        let base = base_url_of("base_url", &base_url)?;
        let sandbox = match sandbox_base_url {
            Some(url) => base_url_of("sandbox_base_url", &url)?,
            None => base.to_sandbox(),
        };
        let options = options.unwrap_or_default();
        let mut signer = RequestSigner::new(sdk_id, key);
        if let Some(nonce) = options.fixed_nonce.clone() {
            signer = signer.with_nonce_source(FixedNonce(nonce));
        }
        if let Some(ts) = options.fixed_timestamp_ms {
            signer = signer.with_timestamp_source(FixedTimestamp(ts));
        }
        let mut retry = RetryPolicy::default();
        if let Some(n) = options.max_attempts {
            retry = retry.with_max_attempts(n);
        }
        if let Some(ms) = options.base_backoff_ms {
            retry = retry.with_base_backoff(millis(ms));
        }
        if let Some(ms) = options.max_backoff_ms {
            retry = retry.with_max_backoff(millis(ms));
        }
        if let Some(ms) = options.retry_budget_ms {
            retry = retry.with_budget(millis(ms));
        }
        let mut transport_config = TransportConfig::default();
        if let Some(ms) = options.timeout_ms {
            transport_config = transport_config.with_timeout(millis(ms));
        }
        if let Some(ms) = options.connect_timeout_ms {
            transport_config = transport_config.with_connect_timeout(millis(ms));
        }
        let limits = Limits::new(
            Limits::DEFAULT_MAX_JSON_BYTES,
            transport_config.max_response_bytes,
        );
        let context = CallContext::new(signer)
            .with_retry_policy(retry)
            .with_limits(limits);
        Ok(Arc::new(Self {
            context: Arc::new(context),
            base,
            sandbox,
            transport_config,
            transport: OnceLock::new(),
        }))
    }

    /// The application's SDK id.
    pub fn sdk_id(&self) -> String {
        // The binding's contexts always sign (bearer tokens are not offered through it).
        self.context
            .signer()
            .map(|signer| signer.sdk_id().to_owned())
            .unwrap_or_default()
    }

    /// The API base URL.
    pub fn base_url(&self) -> String {
        self.base.as_str().to_owned()
    }

    /// The sandbox API base URL.
    pub fn sandbox_base_url(&self) -> String {
        self.sandbox.as_str().to_owned()
    }

    /// Starts a host-driven call of `operation`: nothing is signed or sent until
    /// [`HostCall::next`].
    ///
    /// # Errors
    /// `InvalidInput` when the operation's input cannot make a request (an empty id, a
    /// JSON input that is not an object); nothing is sent.
    pub fn call(&self, operation: Operation) -> Result<Arc<HostCall>, IdvError> {
        let (request, info) = operation.describe()?;
        let base = self.base_for(operation.api()).clone();
        let call = Call::new(Arc::clone(&self.context), base, request, info);
        Ok(Arc::new(HostCall {
            inner: Mutex::new(HostCallInner { call, operation }),
        }))
    }

    /// Runs `operation` over the built-in blocking HTTP client (ureq, rustls): signs, sends,
    /// retries, parses. Releases nothing of the host's runtime: call it from a thread the
    /// host may block.
    ///
    /// # Errors
    /// The call's failure: `Api`, `Config`, `InvalidInput`, `Transport`, `Decode`, `Sign`.
    pub fn execute(&self, operation: Operation) -> Result<CallOutput, IdvError> {
        let (request, info) = operation.describe()?;
        let base = self.base_for(operation.api()).clone();
        let mut call = Call::new(Arc::clone(&self.context), base, request, info);
        let transport = self
            .transport
            .get_or_init(|| UreqTransport::new(self.transport_config.clone()));
        loop {
            match call.next()? {
                Step::Send(request) => match transport.send(request) {
                    Ok(response) => call.on_response(response),
                    Err(error) => call.on_transport_error(error),
                },
                Step::Sleep(wait) => std::thread::sleep(wait),
                Step::Done(response) => return operation.parse(response),
                Step::Authenticate(_) => return Err(bearer_unsupported()),
            }
        }
    }

    /// Creates a session of the selfie template.
    ///
    /// # Errors
    /// As [`Idv::execute`].
    pub fn create_selfie_session(
        &self,
        spec: SelfieSessionSpec,
    ) -> Result<CreatedSession, IdvError> {
        match self.execute(Operation::CreateSelfieSession { spec })? {
            CallOutput::CreatedSession { created } => Ok(created),
            _ => Err(unexpected()),
        }
    }

    /// Reads a session.
    ///
    /// # Errors
    /// As [`Idv::execute`].
    pub fn get_session(&self, session_id: String) -> Result<Arc<Session>, IdvError> {
        match self.execute(Operation::GetSession { session_id })? {
            CallOutput::Session { session } => Ok(session),
            _ => Err(unexpected()),
        }
    }

    /// Reads a session's configuration.
    ///
    /// # Errors
    /// As [`Idv::execute`].
    pub fn get_session_configuration(
        &self,
        session_id: String,
    ) -> Result<SessionConfiguration, IdvError> {
        match self.execute(Operation::GetSessionConfiguration { session_id })? {
            CallOutput::Configuration { configuration } => Ok(configuration),
            _ => Err(unexpected()),
        }
    }

    /// Creates a face-capture resource for the requirement `requirement_id`.
    ///
    /// # Errors
    /// As [`Idv::execute`].
    pub fn create_face_capture_resource(
        &self,
        session_id: String,
        requirement_id: String,
    ) -> Result<FaceCaptureResource, IdvError> {
        match self.execute(Operation::CreateFaceCaptureResource {
            session_id,
            requirement_id,
        })? {
            CallOutput::FaceCaptureResource { resource } => Ok(resource),
            _ => Err(unexpected()),
        }
    }

    /// Uploads the reference image of a face-capture resource.
    ///
    /// # Errors
    /// As [`Idv::execute`].
    pub fn upload_face_capture_image(
        &self,
        session_id: String,
        resource_id: String,
        image: Arc<Image>,
    ) -> Result<(), IdvError> {
        self.execute(Operation::UploadFaceCaptureImage {
            session_id,
            resource_id,
            image,
        })
        .map(drop)
    }

    /// Fetches a media object's content; none when the server answers 204.
    ///
    /// # Errors
    /// As [`Idv::execute`].
    pub fn get_media_content(
        &self,
        session_id: String,
        media_id: String,
    ) -> Result<Option<Arc<MediaContent>>, IdvError> {
        match self.execute(Operation::GetMediaContent {
            session_id,
            media_id,
        })? {
            CallOutput::Media { media } => Ok(media),
            _ => Err(unexpected()),
        }
    }

    /// Deletes a session and its media.
    ///
    /// # Errors
    /// As [`Idv::execute`].
    pub fn delete_session(&self, session_id: String) -> Result<(), IdvError> {
        self.execute(Operation::DeleteSession { session_id })
            .map(drop)
    }

    /// Sandbox: scripts what the selfie checks of a session report.
    ///
    /// # Errors
    /// As [`Idv::execute`].
    pub fn sandbox_configure_selfie(
        &self,
        session_id: String,
        liveness: SandboxOutcome,
        face_comparison: SandboxOutcome,
    ) -> Result<(), IdvError> {
        self.execute(Operation::SandboxConfigureSelfie {
            session_id,
            liveness,
            face_comparison,
        })
        .map(drop)
    }

    /// Sandbox: plays the end user of a session and completes it.
    ///
    /// # Errors
    /// As [`Idv::execute`].
    pub fn sandbox_complete_session(
        &self,
        session_id: String,
        client_session_token: Arc<ClientSessionToken>,
    ) -> Result<(), IdvError> {
        self.execute(Operation::SandboxCompleteSessionAsAgent {
            session_id,
            client_session_token,
        })
        .map(drop)
    }

    /// The URL of Yoti's hosted capture page for a session. It carries the token: show it
    /// to the user only, never log it.
    ///
    /// # Errors
    /// `InvalidInput` for an empty or dot-segment session id or an empty token.
    pub fn hosted_page_url(
        &self,
        session_id: String,
        client_session_token: Arc<ClientSessionToken>,
    ) -> Result<String, IdvError> {
        let url = idv_core::HostedPageUrl::new(
            &self.base,
            &idv_model::SessionId::from(session_id),
            &client_session_token.0,
        )?;
        Ok(url.expose_secret().to_owned())
    }
}

fn base_url_of(field: &str, url: &str) -> Result<BaseUrl, IdvError> {
    base_url(field, url)
}

/// The binding builds signed-request contexts only, so its calls never ask for a bearer token;
/// if one does, this is the error rather than a panic.
fn bearer_unsupported() -> IdvError {
    IdvError::invalid_input(
        "call",
        "asked for a bearer token, which this binding does not provide (it signs requests)",
    )
}

fn unexpected() -> IdvError {
    IdvError::invalid_input("call", "the operation returned an unexpected output")
}

impl Idv {
    fn base_for(&self, api: Api) -> &BaseUrl {
        match api {
            Api::Main => &self.base,
            Api::Sandbox => &self.sandbox,
        }
    }
}

/// What the host does next.
#[derive(uniffi::Enum)]
pub enum CallStep {
    /// Send this request unchanged, then report the outcome with
    /// [`HostCall::on_response`] or [`HostCall::on_transport_error`].
    Send {
        /// The signed request.
        request: Arc<HttpRequest>,
    },
    /// Wait this long, then call `next()` again.
    Sleep {
        /// Milliseconds.
        millis: u64,
    },
    /// The call is over: its result.
    Done {
        /// The decoded result.
        output: CallOutput,
    },
}

struct HostCallInner {
    call: Call,
    operation: Operation,
}

/// One API call driven by the host: `idv_core::Call` (signing per attempt, retries with
/// backoff, the response limit) plus the operation's parser. See the crate docs.
#[derive(uniffi::Object)]
pub struct HostCall {
    inner: Mutex<HostCallInner>,
}

impl std::fmt::Debug for HostCall {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("HostCall(..)")
    }
}

impl HostCall {
    fn lock(&self) -> std::sync::MutexGuard<'_, HostCallInner> {
        // A panic while locked cannot leave the machine half-updated in a way that matters
        // more than failing the call: keep going with what is there.
        self.inner
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

#[uniffi::export]
impl HostCall {
    /// What to do next: send a freshly signed attempt, sleep before one, or take the result.
    ///
    /// # Errors
    /// The call's failure (`Api`, `Transport`, `Decode`, `Sign`, `Config`), or
    /// `InvalidInput` on the field `call` when it is driven out of order.
    #[allow(clippy::should_implement_trait)]
    pub fn next(&self) -> Result<CallStep, IdvError> {
        let mut inner = self.lock();
        let limit = inner.call.response_limit() as u64;
        Ok(match inner.call.next()? {
            Step::Send(request) => {
                let (parts, body) = request.into_parts();
                let headers = parts
                    .headers
                    .iter()
                    .map(|(name, value)| {
                        Ok(Header {
                            name: name.as_str().to_owned(),
                            value: value
                                .to_str()
                                .map_err(|_| {
                                    IdvError::invalid_input("request", "has a non-ASCII header")
                                })?
                                .to_owned(),
                        })
                    })
                    .collect::<Result<Vec<_>, IdvError>>()?;
                CallStep::Send {
                    request: Arc::new(HttpRequest {
                        method: parts.method.as_str().to_owned(),
                        url: parts.uri.to_string(),
                        headers,
                        body,
                        max_response_bytes: limit,
                    }),
                }
            }
            Step::Sleep(wait) => CallStep::Sleep {
                millis: u64::try_from(wait.as_millis()).unwrap_or(u64::MAX),
            },
            Step::Done(response) => CallStep::Done {
                output: inner.operation.parse(response)?,
            },
            Step::Authenticate(_) => return Err(bearer_unsupported()),
        })
    }

    /// Reports the response to the request last handed out: its status, headers and whole
    /// body (at most the request's `max_response_bytes`).
    ///
    /// # Errors
    /// `InvalidInput` when the status is not 100..=999 or a header is not valid HTTP; the
    /// call is unchanged (report a transport error instead).
    pub fn on_response(
        &self,
        status: u16,
        headers: Vec<Header>,
        body: Vec<u8>,
    ) -> Result<(), IdvError> {
        let mut builder = http::Response::builder().status(
            http::StatusCode::from_u16(status)
                .map_err(|_| IdvError::invalid_input("status", "is not an HTTP status"))?,
        );
        for header in &headers {
            let name = http::HeaderName::from_bytes(header.name.as_bytes())
                .map_err(|_| IdvError::invalid_input("headers", "has an invalid name"))?;
            let value = http::HeaderValue::from_str(&header.value)
                .map_err(|_| IdvError::invalid_input("headers", "has an invalid value"))?;
            builder = builder.header(name, value);
        }
        let response = builder
            .body(body)
            .map_err(|_| IdvError::invalid_input("response", "is not valid HTTP"))?;
        self.lock().call.on_response(response);
        Ok(())
    }

    /// Reports that sending the request last handed out failed; `message` says how (it
    /// becomes part of the error's description).
    pub fn on_transport_error(&self, kind: TransportErrorKind, message: String) {
        let error = TransportError::new(kind.into(), message);
        self.lock().call.on_transport_error(error);
    }

    /// The attempts handed out so far.
    pub fn attempts(&self) -> u32 {
        self.lock().call.attempts()
    }
}

/// The `X-Yoti-Auth-Digest` of a request: the RSASSA-PKCS1-v1_5/SHA-256 signature of
/// `METHOD&PATH_AND_QUERY[&base64(BODY)]`, standard base64. For hosts that build requests
/// themselves; [`Idv::call`] signs for you.
///
/// # Errors
/// `Config` (`INVALID_KEY`) for a key that does not load, `Sign` when signing fails.
#[uniffi::export]
pub fn auth_digest(
    key_pem: String,
    method: String,
    path_and_query: String,
    body: Option<Vec<u8>>,
) -> Result<String, IdvError> {
    let key = PrivateKey::from_pem(&key_pem).map_err(|e| {
        IdvError::config(
            ConfigErrorKind::InvalidKey,
            format!("the private key could not be loaded: {e}"),
        )
    })?;
    RequestSigner::new("unused", key)
        .digest(&method, &path_and_query, body.as_deref())
        .map_err(|e| idv_core::Error::Sign(e).into())
}

/// How a notification endpoint's token is sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum NotificationAuthType {
    /// `Authorization: Basic base64(token)`.
    Basic,
    /// `Authorization: Bearer token`.
    Bearer,
}

/// A notification Yoti sent to your endpoint.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Notification {
    /// The session it is about.
    pub session_id: String,
    /// The topic in its canonical lower-case form, e.g. `session_completion` (whatever the
    /// case it was sent in).
    pub topic: String,
    /// The check, for a check topic.
    pub check_id: Option<String>,
    /// The task, for a task topic.
    pub task_id: Option<String>,
    /// The resource, for a resource topic.
    pub resource_id: Option<String>,
    /// Any other fields, as a JSON object.
    pub extra_json: String,
}

impl From<CoreNotification> for Notification {
    fn from(n: CoreNotification) -> Self {
        Self {
            session_id: n.session_id.to_string(),
            topic: n.topic.as_str().to_owned(),
            check_id: n.check_id.map(|id| id.to_string()),
            task_id: n.task_id.map(|id| id.to_string()),
            resource_id: n.resource_id.map(|id| id.to_string()),
            extra_json: serde_json::Value::Object(n.extra).to_string(),
        }
    }
}

/// Parses a notification body, with no authentication (see [`verify_notification`]).
///
/// # Errors
/// `Notification` with the status to answer (400 or 413) and what is wrong.
#[uniffi::export]
pub fn parse_notification(body: Vec<u8>) -> Result<Notification, IdvError> {
    Ok(CoreNotification::from_slice(&body)?.into())
}

/// Verifies a notification request's `Authorization` header against the token configured
/// for the endpoint (in constant time), then parses its body. Nothing of an unauthenticated
/// body is looked at.
///
/// # Errors
/// `Notification` with `unauthorized` and status 401 for a missing or wrong
/// `Authorization`, or 400/413 for a body that is not a notification.
#[uniffi::export]
pub fn verify_notification(
    headers: Vec<Header>,
    body: Vec<u8>,
    auth_token: String,
    auth_type: NotificationAuthType,
) -> Result<Notification, IdvError> {
    let mut map = http::HeaderMap::new();
    for header in &headers {
        let name = http::HeaderName::from_bytes(header.name.as_bytes())
            .map_err(|_| IdvError::invalid_input("headers", "has an invalid name"))?;
        let value = http::HeaderValue::from_str(&header.value)
            .map_err(|_| IdvError::invalid_input("headers", "has an invalid value"))?;
        map.append(name, value);
    }
    let auth = NotificationAuth::new(
        auth_token,
        match auth_type {
            NotificationAuthType::Basic => AuthType::Basic,
            NotificationAuthType::Bearer => AuthType::Bearer,
        },
    );
    Ok(CoreNotification::from_request(&map, &body, &auth)?.into())
}

/// The version of the binding (the workspace version).
#[uniffi::export]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_owned()
}
