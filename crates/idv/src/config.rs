//! Client construction: [`ClientBuilder`], and [`ClientConfig`], the validated settings a
//! built client reports.

use std::fmt;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use idv_auth::{KeyError, NonceSource, PrivateKey, RequestSigner, TimestampSource};
use idv_core::{
    BaseUrl, BearerToken, ConfigError, ConfigErrorKind, Error, InvalidInputError, RetryPolicy,
    TransportConfig,
};

use crate::bearer::{BlockingTokenProvider, StaticToken, TokenProvider, TokenSettings};

/// Environment variable holding the client SDK id.
pub const ENV_SDK_ID: &str = "YOTI_CLIENT_SDK_ID";
/// Environment variable holding the path of the PEM private key.
pub const ENV_KEY_FILE_PATH: &str = "YOTI_KEY_FILE_PATH";
/// Environment variable holding the API base URL (optional; production by default).
pub const ENV_API_URL: &str = "YOTI_IDV_API_URL";
/// Every environment variable [`ClientBuilder::from_env`] reads the base URL from, first
/// match wins: this crate's own [`ENV_API_URL`], then `YOTI_IDV_API` (Yoti's Node SDK), then
/// `YOTI_DOC_SCAN_API_URL` (Yoti's Go, Python, PHP and .NET SDKs).
pub const ENV_API_URL_VARS: [&str; 3] = [ENV_API_URL, "YOTI_IDV_API", "YOTI_DOC_SCAN_API_URL"];

/// Builds a [`Client`](crate::Client) or a [`BlockingClient`](crate::BlockingClient).
///
/// Setters never fail: every configuration error (no SDK id or key, a bad key, a bad base
/// URL, an `https` URL without a TLS feature, no signing backend) is reported by the
/// terminal method as an [`Error::Config`](crate::Error::Config) whose [`ConfigError::kind`] says which.
///
/// | terminal method | client | transport |
/// |---|---|---|
/// | [`build`](Self::build) | [`Client`](crate::Client) | reqwest (feature `reqwest`) |
/// | [`build_blocking`](Self::build_blocking) | [`BlockingClient`](crate::BlockingClient) | ureq (feature `ureq`) |
/// | [`build_with_transport`](Self::build_with_transport) | [`Client`](crate::Client) | any [`AsyncTransport`](crate::AsyncTransport) |
/// | [`build_blocking_with_transport`](Self::build_blocking_with_transport) | [`BlockingClient`](crate::BlockingClient) | any [`SyncTransport`](crate::SyncTransport) |
///
/// ```no_run
/// # #[cfg(feature = "reqwest")] {
/// let client = idv::Client::builder()
///     .sdk_id("your-client-sdk-id")
///     .key_file("/path/to/key.pem")
///     .build()?;
/// # }
/// # Ok::<(), idv::Error>(())
/// ```
///
/// The builder is cheap to clone, so one configuration can build several clients.
#[derive(Clone)]
pub struct ClientBuilder {
    sdk_id: Option<String>,
    key: Option<Result<PrivateKey, Arc<KeyError>>>,
    base_url: Option<String>,
    sandbox_base_url: Option<String>,
    transport: TransportConfig,
    retry: RetryPolicy,
    max_json_bytes: usize,
    nonce: Option<Arc<dyn NonceSource>>,
    timestamps: Option<Arc<dyn TimestampSource>>,
    auth: AuthChoice,
    token_url: Option<String>,
    token_scopes: Vec<String>,
    token_refresh_margin: Option<Duration>,
    /// A problem found while reading the environment, reported by `build()`.
    env_problem: Option<(ConfigErrorKind, String)>,
}

impl Default for ClientBuilder {
    fn default() -> Self {
        Self::new()
    }
}

impl ClientBuilder {
    /// Default largest JSON response: 16 MiB.
    pub const DEFAULT_MAX_JSON_BYTES: usize = 16 * 1024 * 1024;

    /// An empty builder for the production API: set at least the SDK id and the key.
    pub fn new() -> Self {
        Self {
            sdk_id: None,
            key: None,
            base_url: None,
            sandbox_base_url: None,
            transport: TransportConfig::default(),
            retry: RetryPolicy::default(),
            max_json_bytes: Self::DEFAULT_MAX_JSON_BYTES,
            nonce: None,
            timestamps: None,
            auth: AuthChoice::Signed,
            token_url: None,
            token_scopes: Vec::new(),
            token_refresh_margin: None,
            env_problem: None,
        }
    }

    /// A builder from the environment: the SDK id from `YOTI_CLIENT_SDK_ID`, the key from
    /// the file named by `YOTI_KEY_FILE_PATH`, and the base URL from the first of
    /// [`ENV_API_URL_VARS`] that is set (`YOTI_IDV_API_URL`, then `YOTI_IDV_API`, then
    /// `YOTI_DOC_SCAN_API_URL`; production when none is). Values are trimmed, and an empty
    /// variable counts as unset. Setters called afterwards override what was read.
    ///
    /// Nothing fails here; `build()` reports a missing variable by name, and a base URL set
    /// without the SDK id and key path as [`ConfigErrorKind::Environment`] (a URL alone
    /// would otherwise look configured while being unusable).
    pub fn from_env() -> Self {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// [`ClientBuilder::from_env`] over any variable lookup (tests).
    fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Self {
        let read = |name: &str| {
            lookup(name)
                .map(|v| v.trim().to_owned())
                .filter(|v| !v.is_empty())
        };
        let mut builder = Self::new();
        let sdk_id = read(ENV_SDK_ID);
        let key_path = read(ENV_KEY_FILE_PATH);
        let url = ENV_API_URL_VARS
            .iter()
            .find_map(|name| read(name).map(|url| (*name, url)));
        match (&sdk_id, &key_path, &url) {
            (None, None, Some((name, _))) => {
                builder.env_problem = Some((
                    ConfigErrorKind::Environment,
                    format!(
                        "{name} is set but {ENV_SDK_ID} and {ENV_KEY_FILE_PATH} are not: set \
                         all three to use that API, or unset {name}"
                    ),
                ));
            }
            (None, _, _) => {
                builder.env_problem = Some((
                    ConfigErrorKind::MissingSdkId,
                    format!("the environment variable {ENV_SDK_ID} is not set"),
                ));
            }
            (Some(_), None, _) => {
                builder.env_problem = Some((
                    ConfigErrorKind::MissingKey,
                    format!("the environment variable {ENV_KEY_FILE_PATH} is not set"),
                ));
            }
            _ => {}
        }
        if let Some(id) = sdk_id {
            builder = builder.sdk_id(id);
        }
        if let Some(path) = key_path {
            builder = builder.key_file(path);
        }
        if let Some((_, url)) = url {
            builder = builder.base_url(&url);
        }
        builder
    }

    /// Sets the client SDK id of your application (Yoti Hub). Surrounding whitespace (a
    /// trailing newline from a file, say) is trimmed; an id that is then empty or still
    /// contains whitespace or control characters is refused by `build()`.
    pub fn sdk_id(mut self, sdk_id: impl Into<String>) -> Self {
        self.sdk_id = Some(sdk_id.into());
        self.clear_env_problem(ConfigErrorKind::MissingSdkId);
        self
    }

    /// Sets the application's private key.
    pub fn key(mut self, key: PrivateKey) -> Self {
        self.key = Some(Ok(key));
        self.clear_env_problem(ConfigErrorKind::MissingKey);
        self
    }

    /// Sets the private key from PEM text (PKCS#1 or PKCS#8); a bad key is reported by
    /// `build()` with the key's problem.
    pub fn key_pem(mut self, pem: impl AsRef<str>) -> Self {
        self.key = Some(PrivateKey::from_pem(pem.as_ref()).map_err(Arc::new));
        self.clear_env_problem(ConfigErrorKind::MissingKey);
        self
    }

    /// Sets the private key from a PEM file; a missing or bad file is reported by
    /// `build()`.
    pub fn key_file(mut self, path: impl AsRef<Path>) -> Self {
        self.key = Some(PrivateKey::from_pem_file(path.as_ref()).map_err(Arc::new));
        self.clear_env_problem(ConfigErrorKind::MissingKey);
        self
    }

    /// Sets the API base URL (default: production, [`BaseUrl::PRODUCTION`]). `build()`
    /// refuses a URL that is not `https` (plain `http` is accepted for loopback hosts), and
    /// one whose path does not end with `/idverify/v1` unless its host is loopback (where
    /// emulators and test servers live).
    pub fn base_url(mut self, url: &str) -> Self {
        self.base_url = Some(url.to_owned());
        self
    }

    /// Sets the base URL of the sandbox API, used by the sandbox operations. By default it is
    /// derived from the base URL ([`BaseUrl::to_sandbox`]). Checked like
    /// [`base_url`](Self::base_url).
    pub fn sandbox_base_url(mut self, url: &str) -> Self {
        self.sandbox_base_url = Some(url.to_owned());
        self
    }

    /// Sets the timeouts and the response size limit of the built-in transports.
    pub fn transport_config(mut self, transport: TransportConfig) -> Self {
        self.transport = transport;
        self
    }

    /// Sets the connect timeout of the built-in transports (default 10 s).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.transport = self.transport.with_connect_timeout(timeout);
        self
    }

    /// Sets the whole-request timeout of the built-in transports (default 60 s): from sending
    /// a request to the last byte of its response, per attempt.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.transport = self.transport.with_timeout(timeout);
        self
    }

    /// Sets the retry policy (default [`RetryPolicy::new`]; [`RetryPolicy::disabled`] turns
    /// retries off).
    pub fn retry_policy(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }

    /// Sets the largest JSON response accepted (default 16 MiB): a larger one is an error of
    /// kind [`idv_core::TransportErrorKind::BodyTooLarge`], never an out-of-memory.
    pub fn max_json_bytes(mut self, max: usize) -> Self {
        self.max_json_bytes = max;
        self
    }

    /// Sets the largest media response read into memory by `get_media_content` (default
    /// 128 MiB; the streaming downloads have no such limit).
    pub fn max_media_bytes(mut self, max: usize) -> Self {
        self.transport = self.transport.with_max_response_bytes(max);
        self
    }

    /// Replaces the nonce source (tests: make signing deterministic).
    pub fn nonce_source(mut self, nonce: impl NonceSource + 'static) -> Self {
        self.nonce = Some(Arc::new(nonce));
        self
    }

    /// Replaces the source of request timestamps (tests: make signing deterministic).
    pub fn timestamp_source(mut self, timestamps: impl TimestampSource + 'static) -> Self {
        self.timestamps = Some(Arc::new(timestamps));
        self
    }

    /// Authenticates calls with bearer tokens ("Central Auth") instead of signing them: the
    /// client mints a client assertion with the application's key (set the SDK id and the key
    /// as usual), exchanges it for a token at the token endpoint ([`token_url`](Self::token_url))
    /// over its own transport, reuses the token and replaces it before it expires; calls then
    /// carry `Authorization: Bearer` and no signature. See the [`bearer`](crate::bearer)
    /// module.
    ///
    /// ```no_run
    /// # #[cfg(feature = "reqwest")] {
    /// let client = idv::Client::builder()
    ///     .sdk_id("your-client-sdk-id")
    ///     .key_file("/path/to/key.pem")
    ///     .bearer_auth()
    ///     .build()?;
    /// # }
    /// # Ok::<(), idv::Error>(())
    /// ```
    pub fn bearer_auth(mut self) -> Self {
        self.auth = AuthChoice::KeyBearer;
        self
    }

    /// Authenticates calls with a bearer token obtained elsewhere (as the Java SDK's
    /// `withAuthenticationToken`). No key is needed (one set is not used); the SDK id is
    /// still required. The token is never refreshed: once it expires, calls fail with 401
    /// ([`Error::is_unauthorized`]). An empty or malformed token is reported by `build()`
    /// ([`ConfigErrorKind::InvalidAuth`]).
    pub fn bearer_token(mut self, token: impl Into<String>) -> Self {
        self.auth = AuthChoice::Token(BearerToken::new(token));
        self
    }

    /// Authenticates the async client's calls with tokens from your own provider. No key is
    /// needed; the SDK id is still required.
    pub fn token_provider(mut self, provider: impl TokenProvider + 'static) -> Self {
        self.auth = AuthChoice::Provider(Arc::new(provider));
        self
    }

    /// Authenticates the blocking client's calls with tokens from your own provider. No key
    /// is needed; the SDK id is still required.
    pub fn blocking_token_provider(
        mut self,
        provider: impl BlockingTokenProvider + 'static,
    ) -> Self {
        self.auth = AuthChoice::BlockingProvider(Arc::new(provider));
        self
    }

    /// Sets the token endpoint of [`bearer_auth`](Self::bearer_auth) (default
    /// [`idv_core::bearer::TOKEN_URL`]); it is also the assertion's audience. `build()`
    /// refuses a URL that is not `http(s)`.
    pub fn token_url(mut self, url: &str) -> Self {
        self.token_url = Some(url.to_owned());
        self
    }

    /// Sets the scopes [`bearer_auth`](Self::bearer_auth) asks for (sent joined by one
    /// space). None by default: Yoti documents no IDV scope, and the `scope` parameter is
    /// then left out.
    pub fn token_scopes<S: Into<String>>(mut self, scopes: impl IntoIterator<Item = S>) -> Self {
        self.token_scopes = scopes.into_iter().map(Into::into).collect();
        self
    }

    /// Sets how long before its expiry [`bearer_auth`](Self::bearer_auth) replaces a token
    /// (default [`DEFAULT_REFRESH_MARGIN`](crate::bearer::DEFAULT_REFRESH_MARGIN); at most
    /// half the token's lifetime).
    pub fn token_refresh_margin(mut self, margin: Duration) -> Self {
        self.token_refresh_margin = Some(margin);
        self
    }

    fn clear_env_problem(&mut self, kind: ConfigErrorKind) {
        if self.env_problem.as_ref().is_some_and(|(k, _)| *k == kind) {
            self.env_problem = None;
        }
    }

    /// Checks everything and produces the settings of a client.
    pub(crate) fn validate(self) -> Result<ClientConfig, ConfigError> {
        if let Some((kind, message)) = self.env_problem {
            return Err(ConfigError::new(kind, message));
        }
        let sdk_id = match self.sdk_id {
            None => {
                return Err(ConfigError::new(
                    ConfigErrorKind::MissingSdkId,
                    "no SDK id: call ClientBuilder::sdk_id, or set YOTI_CLIENT_SDK_ID for \
                     ClientBuilder::from_env",
                ));
            }
            Some(id) => check_sdk_id(&id)?,
        };
        let needs_key = matches!(self.auth, AuthChoice::Signed | AuthChoice::KeyBearer);
        let key = match self.key {
            None if !needs_key => None,
            Some(_) if !needs_key => None,
            None => {
                return Err(ConfigError::new(
                    ConfigErrorKind::MissingKey,
                    "no private key: call ClientBuilder::key, key_pem or key_file, or set \
                     YOTI_KEY_FILE_PATH for ClientBuilder::from_env",
                ));
            }
            Some(Ok(key)) => Some(key),
            Some(Err(e)) => return Err(ConfigError::key(e)),
        };
        let base_url = match &self.base_url {
            None => BaseUrl::default(),
            Some(url) => parse_base_url("base URL", url)?,
        };
        let sandbox_base_url = match &self.sandbox_base_url {
            None => base_url.to_sandbox(),
            Some(url) => parse_base_url("sandbox base URL", url)?,
        };
        let invalid_auth = |e: InvalidInputError| {
            ConfigError::new(
                ConfigErrorKind::InvalidAuth,
                "invalid bearer-token settings",
            )
            .with_input_error(e)
        };
        let token_url = self
            .token_url
            .unwrap_or_else(|| idv_core::bearer::TOKEN_URL.to_owned());
        let (signer, bearer) = match (self.auth, key) {
            (AuthChoice::Signed, Some(key)) => {
                let mut signer = RequestSigner::new(sdk_id.clone(), key);
                if let Some(nonce) = self.nonce {
                    signer = signer.with_nonce_source(ArcNonce(nonce));
                }
                if let Some(timestamps) = self.timestamps {
                    signer = signer.with_timestamp_source(ArcTimestamps(timestamps));
                }
                (Some(signer), None)
            }
            (AuthChoice::KeyBearer, Some(key)) => {
                idv_core::bearer::check_token_url(&token_url).map_err(|e| match e {
                    Error::InvalidInput(e) => invalid_auth(e),
                    _ => ConfigError::new(ConfigErrorKind::InvalidAuth, "invalid token URL"),
                })?;
                let mut settings = TokenSettings::new(sdk_id.clone(), key)
                    .with_token_url(token_url)
                    .with_scopes(self.token_scopes);
                if let Some(margin) = self.token_refresh_margin {
                    settings = settings.with_refresh_margin(margin);
                }
                (None, Some(BearerSource::Key(settings)))
            }
            (AuthChoice::Token(token), _) => {
                let token = token.map_err(invalid_auth)?;
                (None, Some(BearerSource::Static(StaticToken::new(token))))
            }
            (AuthChoice::Provider(p), _) => (None, Some(BearerSource::Async(p))),
            (AuthChoice::BlockingProvider(p), _) => (None, Some(BearerSource::Blocking(p))),
            (AuthChoice::Signed | AuthChoice::KeyBearer, None) => {
                return Err(ConfigError::new(
                    ConfigErrorKind::MissingKey,
                    "no private key: call ClientBuilder::key, key_pem or key_file",
                ));
            }
        };
        Ok(ClientConfig {
            sdk_id,
            signer,
            bearer,
            base_url,
            sandbox_base_url,
            transport: self.transport,
            retry: self.retry,
            max_json_bytes: self.max_json_bytes,
        })
    }
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("sdk_id", &self.sdk_id)
            .field("key", &self.key.as_ref().map(|k| k.is_ok()))
            .field("base_url", &self.base_url)
            .field("sandbox_base_url", &self.sandbox_base_url)
            .field("transport", &self.transport)
            .field("retry", &self.retry)
            .field("max_json_bytes", &self.max_json_bytes)
            .field("auth", &self.auth)
            .field("token_url", &self.token_url)
            .field("token_scopes", &self.token_scopes)
            .finish_non_exhaustive()
    }
}

/// How the built client authenticates, as chosen on the builder.
#[derive(Clone)]
enum AuthChoice {
    Signed,
    KeyBearer,
    Token(Result<BearerToken, InvalidInputError>),
    Provider(Arc<dyn TokenProvider>),
    BlockingProvider(Arc<dyn BlockingTokenProvider>),
}

impl fmt::Debug for AuthChoice {
    /// The kind only: never the token.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            AuthChoice::Signed => "Signed",
            AuthChoice::KeyBearer => "Bearer(key)",
            AuthChoice::Token(_) => "Bearer(token)",
            AuthChoice::Provider(_) => "Bearer(provider)",
            AuthChoice::BlockingProvider(_) => "Bearer(blocking provider)",
        })
    }
}

/// Where a bearer-authenticated client gets its tokens.
#[derive(Clone)]
pub(crate) enum BearerSource {
    Key(TokenSettings),
    Static(StaticToken),
    Async(Arc<dyn TokenProvider>),
    Blocking(Arc<dyn BlockingTokenProvider>),
}

impl BearerSource {
    fn kind(&self) -> &'static str {
        match self {
            BearerSource::Key(_) => "bearer (key)",
            BearerSource::Static(_) => "bearer (token)",
            BearerSource::Async(_) => "bearer (provider)",
            BearerSource::Blocking(_) => "bearer (blocking provider)",
        }
    }
}

#[derive(Debug)]
struct ArcNonce(Arc<dyn NonceSource>);

impl NonceSource for ArcNonce {
    fn nonce(&self) -> String {
        self.0.nonce()
    }
}

#[derive(Debug)]
struct ArcTimestamps(Arc<dyn TimestampSource>);

impl TimestampSource for ArcTimestamps {
    fn now_millis(&self) -> u64 {
        self.0.now_millis()
    }
}

/// Trims the SDK id and refuses what cannot be one.
fn check_sdk_id(id: &str) -> Result<String, ConfigError> {
    let id = id.trim();
    if id.is_empty() {
        return Err(ConfigError::new(
            ConfigErrorKind::InvalidSdkId,
            "the SDK id is empty",
        ));
    }
    if id.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(ConfigError::new(
            ConfigErrorKind::InvalidSdkId,
            "the SDK id contains whitespace or control characters; copy it again from the \
             Yoti Hub",
        ));
    }
    Ok(id.to_owned())
}

/// Parses a base URL and refuses a path that cannot be the IDV API's on a non-loopback host.
fn parse_base_url(what: &'static str, url: &str) -> Result<BaseUrl, ConfigError> {
    let parsed = BaseUrl::parse(url).map_err(|e| {
        ConfigError::new(ConfigErrorKind::InvalidBaseUrl, format!("invalid {what}"))
            .with_input_error(e)
    })?;
    // `BaseUrl::parse` checked it is an absolute URL with a host.
    let uri: Option<http::Uri> = parsed.as_str().parse().ok();
    let host = uri.as_ref().and_then(http::Uri::host).unwrap_or("");
    let path = uri.as_ref().map_or("", |u| u.path());
    if !is_loopback(host) && !path.trim_end_matches('/').ends_with("/idverify/v1") {
        return Err(ConfigError::new(
            ConfigErrorKind::InvalidBaseUrl,
            format!(
                "the {what} {} cannot be the IDV API: its path must end with /idverify/v1 \
                 (e.g. {} or {})",
                parsed.as_str(),
                BaseUrl::PRODUCTION,
                BaseUrl::SANDBOX
            ),
        ));
    }
    Ok(parsed)
}

fn is_loopback(host: &str) -> bool {
    let host = host.trim_start_matches('[').trim_end_matches(']');
    host.eq_ignore_ascii_case("localhost")
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// The built-in transports need a TLS feature for `https`.
#[cfg(any(feature = "reqwest", feature = "ureq"))]
pub(crate) fn require_tls(config: &ClientConfig) -> Result<(), ConfigError> {
    const TLS: bool = cfg!(any(feature = "rustls", feature = "native-tls"));
    let token_https = matches!(
        &config.bearer,
        Some(BearerSource::Key(settings)) if settings.token_url().starts_with("https://")
    );
    let https = token_https
        || [&config.base_url, &config.sandbox_base_url]
            .iter()
            .any(|u| u.as_str().starts_with("https://"));
    if https && !TLS {
        return Err(ConfigError::new(
            ConfigErrorKind::NoTlsBackend,
            "the base URL is https but no TLS backend is compiled in: enable the `rustls` or \
             the `native-tls` feature of the `idv` crate",
        ));
    }
    Ok(())
}

/// The validated settings of a built client, as [`Client::config`](crate::Client::config)
/// and [`BlockingClient::config`](crate::BlockingClient::config) report them. Made only by
/// [`ClientBuilder`]; `Debug` redacts the key.
#[derive(Clone)]
pub struct ClientConfig {
    pub(crate) sdk_id: String,
    /// Signed calls: the signer. `None` with bearer tokens.
    pub(crate) signer: Option<RequestSigner>,
    /// Bearer-authenticated calls: where the tokens come from.
    pub(crate) bearer: Option<BearerSource>,
    pub(crate) base_url: BaseUrl,
    pub(crate) sandbox_base_url: BaseUrl,
    pub(crate) transport: TransportConfig,
    pub(crate) retry: RetryPolicy,
    pub(crate) max_json_bytes: usize,
}

impl ClientConfig {
    /// The client SDK id.
    pub fn sdk_id(&self) -> &str {
        &self.sdk_id
    }

    /// Whether calls carry bearer tokens instead of signatures.
    pub fn uses_bearer_tokens(&self) -> bool {
        self.bearer.is_some()
    }

    /// The API base URL.
    pub fn base_url(&self) -> &BaseUrl {
        &self.base_url
    }

    /// The sandbox API base URL.
    pub fn sandbox_base_url(&self) -> &BaseUrl {
        &self.sandbox_base_url
    }

    /// The transport limits.
    pub fn transport_config(&self) -> &TransportConfig {
        &self.transport
    }

    /// The retry policy.
    pub fn retry_policy(&self) -> &RetryPolicy {
        &self.retry
    }

    /// The largest JSON response accepted.
    pub fn max_json_bytes(&self) -> usize {
        self.max_json_bytes
    }
}

impl fmt::Debug for ClientConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientConfig")
            .field("sdk_id", &self.sdk_id)
            .field("key", &"<redacted>")
            .field(
                "auth",
                &self.bearer.as_ref().map_or("signed", BearerSource::kind),
            )
            .field("base_url", &self.base_url.as_str())
            .field("sandbox_base_url", &self.sandbox_base_url.as_str())
            .field("transport", &self.transport)
            .field("retry", &self.retry)
            .field("max_json_bytes", &self.max_json_bytes)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    const KEY: &str = idv_test_support::keys::TEST_KEY;

    fn env(vars: &[(&str, &str)]) -> ClientBuilder {
        let map: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        ClientBuilder::from_lookup(move |name| map.get(name).cloned())
    }

    fn key_path() -> String {
        idv_test_support::keys::path("test-key.pem")
            .to_str()
            .unwrap()
            .to_owned()
    }

    fn kind(builder: ClientBuilder) -> ConfigErrorKind {
        builder.validate().map(|_| ()).unwrap_err().kind()
    }

    #[test]
    fn only_the_url_in_the_environment_is_an_error() {
        for name in ENV_API_URL_VARS {
            let builder = env(&[(name, "http://127.0.0.1:9/idverify/v1")]);
            let err = builder.validate().map(|_| ()).unwrap_err();
            assert_eq!(err.kind(), ConfigErrorKind::Environment);
            assert!(err.to_string().contains(name), "{err}");
            assert!(err.to_string().contains(ENV_SDK_ID), "{err}");
        }
    }

    #[test]
    fn an_empty_environment_names_the_missing_variable() {
        let err = env(&[]).validate().map(|_| ()).unwrap_err();
        assert_eq!(err.kind(), ConfigErrorKind::MissingSdkId);
        assert!(err.to_string().contains(ENV_SDK_ID), "{err}");
        let err = env(&[(ENV_SDK_ID, "abc")])
            .validate()
            .map(|_| ())
            .unwrap_err();
        assert_eq!(err.kind(), ConfigErrorKind::MissingKey);
        assert!(err.to_string().contains(ENV_KEY_FILE_PATH), "{err}");
        // A setter fills the gap the environment left.
        let config = env(&[(ENV_SDK_ID, "abc")]).key_pem(KEY).validate().unwrap();
        assert_eq!(config.sdk_id(), "abc");
    }

    #[test]
    fn the_sdk_id_is_trimmed_and_the_url_variables_have_a_precedence() {
        let path = key_path();
        let config = env(&[
            (ENV_SDK_ID, "  my-sdk-id\n"),
            (ENV_KEY_FILE_PATH, &path),
            ("YOTI_DOC_SCAN_API_URL", "http://127.0.0.1:3/idverify/v1"),
            ("YOTI_IDV_API", "http://127.0.0.1:2/idverify/v1\n"),
        ])
        .validate()
        .unwrap();
        assert_eq!(config.sdk_id(), "my-sdk-id");
        assert_eq!(config.base_url().as_str(), "http://127.0.0.1:2/idverify/v1");

        let config = env(&[
            (ENV_SDK_ID, "id"),
            (ENV_KEY_FILE_PATH, &path),
            ("YOTI_DOC_SCAN_API_URL", "http://127.0.0.1:3/idverify/v1"),
            (ENV_API_URL, "http://127.0.0.1:1/idverify/v1"),
            ("YOTI_IDV_API", "  "),
        ])
        .validate()
        .unwrap();
        assert_eq!(config.base_url().as_str(), "http://127.0.0.1:1/idverify/v1");

        let config = env(&[
            (ENV_SDK_ID, "id"),
            (ENV_KEY_FILE_PATH, &path),
            ("YOTI_DOC_SCAN_API_URL", "http://127.0.0.1:3/idverify/v1"),
        ])
        .validate()
        .unwrap();
        assert_eq!(config.base_url().as_str(), "http://127.0.0.1:3/idverify/v1");
    }

    #[test]
    fn bearer_settings_are_checked() {
        // The built-in provider needs the key; a static token does not.
        assert_eq!(
            kind(ClientBuilder::new().sdk_id("id").bearer_auth()),
            ConfigErrorKind::MissingKey
        );
        let config = ClientBuilder::new()
            .sdk_id("id")
            .bearer_token("tok")
            .validate()
            .unwrap();
        assert!(config.uses_bearer_tokens());
        assert!(!format!("{config:?}").contains("tok\""));
        for bad in ["", "a b"] {
            assert_eq!(
                kind(ClientBuilder::new().sdk_id("id").bearer_token(bad)),
                ConfigErrorKind::InvalidAuth
            );
        }
        for url in ["not a url", "ftp://example.com/token", "/v1/oauth/token"] {
            assert_eq!(
                kind(
                    ClientBuilder::new()
                        .sdk_id("id")
                        .key_pem(KEY)
                        .bearer_auth()
                        .token_url(url)
                ),
                ConfigErrorKind::InvalidAuth,
                "{url}"
            );
        }
        // Signed by default.
        let config = ClientBuilder::new()
            .sdk_id("id")
            .key_pem(KEY)
            .validate()
            .unwrap();
        assert!(!config.uses_bearer_tokens());
    }

    #[test]
    fn a_provider_of_the_other_flavour_is_refused() {
        let token = || crate::bearer::StaticToken::new(idv_core::BearerToken::new("t").unwrap());
        let err = ClientBuilder::new()
            .sdk_id("id")
            .blocking_token_provider(token())
            .build_with_transport(idv_core::async_fn(|_| async {
                Err(idv_core::TransportError::from_kind(
                    idv_core::TransportErrorKind::Connect,
                ))
            }))
            .map(|_| ())
            .unwrap_err();
        assert_eq!(
            err.as_config().unwrap().kind(),
            ConfigErrorKind::InvalidAuth
        );
        let err = ClientBuilder::new()
            .sdk_id("id")
            .token_provider(token())
            .build_blocking_with_transport(idv_core::sync_fn(|_| {
                Err(idv_core::TransportError::from_kind(
                    idv_core::TransportErrorKind::Connect,
                ))
            }))
            .map(|_| ())
            .unwrap_err();
        assert_eq!(
            err.as_config().unwrap().kind(),
            ConfigErrorKind::InvalidAuth
        );
    }

    #[test]
    fn bad_sdk_ids_are_refused() {
        for id in ["", "  \n", "my sdk id", "a\tb", "a\u{7}b"] {
            assert_eq!(
                kind(ClientBuilder::new().sdk_id(id).key_pem(KEY)),
                ConfigErrorKind::InvalidSdkId,
                "{id:?}"
            );
        }
    }

    #[test]
    fn missing_and_bad_keys_are_build_errors() {
        assert_eq!(
            kind(ClientBuilder::new().sdk_id("id")),
            ConfigErrorKind::MissingKey
        );
        let err = ClientBuilder::new()
            .sdk_id("id")
            .key_pem("not a key")
            .validate()
            .map(|_| ())
            .unwrap_err();
        assert_eq!(err.kind(), ConfigErrorKind::InvalidKey);
        assert!(err.key_error().is_some());
        assert!(err.to_string().contains("no PEM block"), "{err}");
        assert_eq!(
            kind(
                ClientBuilder::new()
                    .sdk_id("id")
                    .key_file("/nonexistent/key.pem")
            ),
            ConfigErrorKind::InvalidKey
        );
    }

    #[test]
    fn base_urls_that_cannot_be_the_idv_api_are_refused() {
        let ok = |url: &str| {
            ClientBuilder::new()
                .sdk_id("id")
                .key_pem(KEY)
                .base_url(url)
                .validate()
                .map(|c| c.base_url().as_str().to_owned())
        };
        assert!(ok("https://api.yoti.com/idverify/v1").is_ok());
        assert!(ok("https://api.yoti.com/sandbox/idverify/v1/").is_ok());
        // Emulators and test servers on loopback: any path.
        assert!(ok("http://127.0.0.1:8080/idverify/v1").is_ok());
        assert!(ok("http://localhost:8080").is_ok());
        assert!(ok("http://[::1]:8080/api").is_ok());
        for bad in [
            "https://api.yoti.com",
            "https://api.yoti.com/",
            "https://api.yoti.com/api/v1",
            "http://api.yoti.com/idverify/v1",
            "not a url",
        ] {
            let err = ok(bad).unwrap_err();
            assert_eq!(err.kind(), ConfigErrorKind::InvalidBaseUrl, "{bad}");
        }
        let err = ok("https://api.yoti.com").unwrap_err();
        assert!(err.to_string().contains("/idverify/v1"), "{err}");
        // The sandbox URL is checked too.
        assert_eq!(
            kind(
                ClientBuilder::new()
                    .sdk_id("id")
                    .key_pem(KEY)
                    .sandbox_base_url("https://example.com/sandbox")
            ),
            ConfigErrorKind::InvalidBaseUrl
        );
    }

    #[cfg(all(
        any(feature = "reqwest", feature = "ureq"),
        not(any(feature = "rustls", feature = "native-tls"))
    ))]
    #[test]
    fn https_without_a_tls_feature_is_a_build_error() {
        let config = ClientBuilder::new()
            .sdk_id("id")
            .key_pem(KEY)
            .validate()
            .unwrap();
        let err = require_tls(&config).unwrap_err();
        assert_eq!(err.kind(), ConfigErrorKind::NoTlsBackend);
        assert!(err.to_string().contains("rustls"), "{err}");
    }

    #[cfg(any(feature = "reqwest", feature = "ureq"))]
    #[test]
    fn plain_http_needs_no_tls_feature() {
        let config = ClientBuilder::new()
            .sdk_id("id")
            .key_pem(KEY)
            .base_url("http://127.0.0.1:1/idverify/v1")
            .validate()
            .unwrap();
        assert!(require_tls(&config).is_ok());
    }
}
