//! Client configuration: credentials, base URL, limits.

use std::fmt;
use std::path::PathBuf;

use idv_auth::{Clock, NonceSource, PrivateKey, RequestSigner};
use std::time::Duration;

use idv_core::{BaseUrl, Error, InvalidInputError, RetryPolicy, TransportConfig};

/// Environment variable holding the client SDK id.
pub const ENV_SDK_ID: &str = "YOTI_CLIENT_SDK_ID";
/// Environment variable holding the path of the PEM private key.
pub const ENV_KEY_FILE_PATH: &str = "YOTI_KEY_FILE_PATH";
/// Environment variable holding the API base URL (optional; production by default).
pub const ENV_API_URL: &str = "YOTI_IDV_API_URL";

/// Everything a client needs: the application's credentials, where the API is, and limits.
///
/// ```no_run
/// use idv::{ClientConfig, PrivateKey};
///
/// let key = PrivateKey::from_pem_file("/path/to/key.pem")?;
/// let config = ClientConfig::new("your-client-sdk-id", key)?
///     .with_base_url("https://api.yoti.com/idverify/v1")?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone)]
pub struct ClientConfig {
    pub(crate) signer: RequestSigner,
    pub(crate) base_url: BaseUrl,
    pub(crate) sandbox_base_url: Option<BaseUrl>,
    pub(crate) transport: TransportConfig,
    pub(crate) retry: RetryPolicy,
    pub(crate) max_json_bytes: usize,
}

impl ClientConfig {
    /// Default largest JSON response: 16 MiB.
    pub const DEFAULT_MAX_JSON_BYTES: usize = 16 * 1024 * 1024;

    /// A configuration for the production API. The SDK id must not be empty.
    pub fn new(sdk_id: impl Into<String>, key: PrivateKey) -> Result<Self, Error> {
        let sdk_id = sdk_id.into();
        if sdk_id.trim().is_empty() {
            return Err(InvalidInputError::new("sdk_id", "must not be empty").into());
        }
        Ok(Self {
            signer: RequestSigner::new(sdk_id, key),
            base_url: BaseUrl::default(),
            sandbox_base_url: None,
            transport: TransportConfig::default(),
            retry: RetryPolicy::default(),
            max_json_bytes: Self::DEFAULT_MAX_JSON_BYTES,
        })
    }

    /// Reads `YOTI_CLIENT_SDK_ID`, `YOTI_KEY_FILE_PATH` and (optionally) `YOTI_IDV_API_URL`.
    /// Returns `Ok(None)` when neither the SDK id nor the key path is set, and an error when
    /// only one is, or when the key or the URL is invalid.
    pub fn from_env() -> Result<Option<Self>, ConfigError> {
        let sdk_id = std::env::var(ENV_SDK_ID).ok().filter(|v| !v.is_empty());
        let key_path = std::env::var_os(ENV_KEY_FILE_PATH).filter(|v| !v.is_empty());
        let (sdk_id, key_path) = match (sdk_id, key_path) {
            (None, None) => return Ok(None),
            (Some(_), None) => return Err(ConfigError::Missing(ENV_KEY_FILE_PATH)),
            (None, Some(_)) => return Err(ConfigError::Missing(ENV_SDK_ID)),
            (Some(s), Some(k)) => (s, PathBuf::from(k)),
        };
        let key = PrivateKey::from_pem_file(&key_path).map_err(ConfigError::Key)?;
        let mut config = Self::new(sdk_id, key).map_err(ConfigError::Invalid)?;
        if let Some(url) = std::env::var(ENV_API_URL).ok().filter(|v| !v.is_empty()) {
            config = config.with_base_url(&url).map_err(ConfigError::Invalid)?;
        }
        Ok(Some(config))
    }

    /// Sets the API base URL. `https` is required except for loopback hosts.
    pub fn with_base_url(mut self, url: &str) -> Result<Self, Error> {
        self.base_url = BaseUrl::parse(url)?;
        Ok(self)
    }

    /// Sets an already parsed base URL (see [`BaseUrl::parse_allow_http`] for test rigs).
    pub fn with_parsed_base_url(mut self, url: BaseUrl) -> Self {
        self.base_url = url;
        self
    }

    /// Sets the base URL of the sandbox API, used by the sandbox operations. By default it is
    /// derived from the base URL ([`BaseUrl::to_sandbox`]).
    pub fn with_sandbox_base_url(mut self, url: &str) -> Result<Self, Error> {
        self.sandbox_base_url = Some(BaseUrl::parse(url)?);
        Ok(self)
    }

    /// Sets the timeouts and the response size limit of the built-in transports.
    pub fn with_transport_config(mut self, transport: TransportConfig) -> Self {
        self.transport = transport;
        self
    }

    /// Sets the connect timeout of the built-in transports (default 10 s).
    pub fn with_connect_timeout(mut self, timeout: Duration) -> Self {
        self.transport = self.transport.with_connect_timeout(timeout);
        self
    }

    /// Sets the whole-request timeout of the built-in transports (default 60 s): from sending
    /// a request to the last byte of its response, per attempt.
    pub fn with_timeout(mut self, timeout: Duration) -> Self {
        self.transport = self.transport.with_timeout(timeout);
        self
    }

    /// Sets the retry policy (default [`RetryPolicy::new`]; [`RetryPolicy::disabled`] turns
    /// retries off).
    pub fn with_retry_policy(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }

    /// Sets the largest JSON response accepted (default 16 MiB): a larger one is an error of
    /// kind [`idv_core::TransportErrorKind::BodyTooLarge`], never an out-of-memory.
    pub fn with_max_json_bytes(mut self, max: usize) -> Self {
        self.max_json_bytes = max;
        self
    }

    /// Sets the largest media response read into memory by `get_media_content` (default
    /// 128 MiB; the streaming downloads have no such limit).
    pub fn with_max_media_bytes(mut self, max: usize) -> Self {
        self.transport = self.transport.with_max_response_bytes(max);
        self
    }

    /// The retry policy.
    pub fn retry_policy(&self) -> &RetryPolicy {
        &self.retry
    }

    /// Replaces the nonce source (tests: make signing deterministic).
    pub fn with_nonce_source(mut self, nonce: impl NonceSource + 'static) -> Self {
        self.signer = self.signer.with_nonce_source(nonce);
        self
    }

    /// Replaces the clock (tests: make signing deterministic).
    pub fn with_clock(mut self, clock: impl Clock + 'static) -> Self {
        self.signer = self.signer.with_clock(clock);
        self
    }

    /// The client SDK id.
    pub fn sdk_id(&self) -> &str {
        self.signer.sdk_id()
    }

    /// The API base URL.
    pub fn base_url(&self) -> &BaseUrl {
        &self.base_url
    }

    /// The sandbox API base URL.
    pub fn sandbox_base_url(&self) -> BaseUrl {
        self.sandbox_base_url
            .clone()
            .unwrap_or_else(|| self.base_url.to_sandbox())
    }

    /// The transport limits.
    pub fn transport_config(&self) -> &TransportConfig {
        &self.transport
    }
}

impl fmt::Debug for ClientConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientConfig")
            .field("sdk_id", &self.signer.sdk_id())
            .field("key", &"<redacted>")
            .field("base_url", &self.base_url.as_str())
            .field("transport", &self.transport)
            .field("retry", &self.retry)
            .field("max_json_bytes", &self.max_json_bytes)
            .finish_non_exhaustive()
    }
}

/// Why [`ClientConfig::from_env`] failed.
#[derive(Debug)]
#[non_exhaustive]
pub enum ConfigError {
    /// One of the two required variables is set and this one is not.
    Missing(&'static str),
    /// The key file could not be loaded.
    Key(idv_auth::KeyError),
    /// A value is invalid (empty SDK id, bad URL).
    Invalid(Error),
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConfigError::Missing(var) => write!(f, "environment variable {var} is not set"),
            ConfigError::Key(_) => write!(f, "could not load the key named by {ENV_KEY_FILE_PATH}"),
            ConfigError::Invalid(_) => f.write_str("invalid configuration in the environment"),
        }
    }
}

impl std::error::Error for ConfigError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            ConfigError::Missing(_) => None,
            ConfigError::Key(e) => Some(e),
            ConfigError::Invalid(e) => Some(e),
        }
    }
}
