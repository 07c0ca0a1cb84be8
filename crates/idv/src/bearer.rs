//! Bearer-token authentication ("Central Auth"): the token providers.
//!
//! With [`ClientBuilder::bearer_auth`](crate::ClientBuilder::bearer_auth) a client sends
//! `Authorization: Bearer <token>` instead of signing each request. The built-in provider
//! ([`KeyTokenProvider`], [`BlockingKeyTokenProvider`]) mints a client assertion with the
//! application's key, exchanges it for a token at the token endpoint over the client's own
//! transport, keeps the token, and gets a new one before it expires. Concurrent calls that
//! find the token expired share one token request. A 401 on a call asks the provider for a
//! fresh token once (see [`idv_core::bearer`]).
//!
//! [`StaticToken`] is a token obtained elsewhere
//! ([`ClientBuilder::bearer_token`](crate::ClientBuilder::bearer_token)); implement
//! [`TokenProvider`] or [`BlockingTokenProvider`] for any other source.

use std::fmt;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use idv_auth::{ClientAssertion, PrivateKey};
use idv_core::bearer::{AccessToken, parse_token_response, token_request};
use idv_core::{AsyncTransport, BearerToken, Error, SyncTransport};

/// The lifetime assumed when the token endpoint does not say (`expires_in` missing): 30
/// minutes, the interval after which Yoti advises getting a new token.
pub const DEFAULT_TOKEN_LIFETIME: Duration = Duration::from_secs(30 * 60);

/// How long before its expiry a token is replaced by default: 60 seconds (at most half the
/// token's lifetime).
pub const DEFAULT_REFRESH_MARGIN: Duration = Duration::from_secs(60);

/// A source of bearer tokens for the async [`Client`](crate::Client).
#[async_trait::async_trait]
pub trait TokenProvider: Send + Sync + fmt::Debug {
    /// A token to send. `rejected` is the token the service has just refused (401): return
    /// another one if you can (a provider that already holds a newer token returns it).
    ///
    /// # Errors
    /// Any [`Error`]: the call that asked ends with it.
    async fn token(&self, rejected: Option<&BearerToken>) -> Result<BearerToken, Error>;
}

/// A source of bearer tokens for the [`BlockingClient`](crate::BlockingClient).
pub trait BlockingTokenProvider: Send + Sync + fmt::Debug {
    /// A token to send. `rejected` is the token the service has just refused (401): return
    /// another one if you can.
    ///
    /// # Errors
    /// Any [`Error`]: the call that asked ends with it.
    fn token(&self, rejected: Option<&BearerToken>) -> Result<BearerToken, Error>;
}

/// A token obtained elsewhere (as the Java SDK's `withAuthenticationToken`): always the same
/// token, so a call it no longer authorises fails with 401 after one retry.
#[derive(Debug, Clone)]
pub struct StaticToken(BearerToken);

impl StaticToken {
    /// The provider of `token`.
    pub fn new(token: BearerToken) -> Self {
        Self(token)
    }
}

#[async_trait::async_trait]
impl TokenProvider for StaticToken {
    async fn token(&self, _rejected: Option<&BearerToken>) -> Result<BearerToken, Error> {
        Ok(self.0.clone())
    }
}

impl BlockingTokenProvider for StaticToken {
    fn token(&self, _rejected: Option<&BearerToken>) -> Result<BearerToken, Error> {
        Ok(self.0.clone())
    }
}

/// What the built-in providers need to mint assertions and ask for tokens.
#[derive(Clone)]
pub struct TokenSettings {
    sdk_id: String,
    key: PrivateKey,
    token_url: String,
    scopes: Vec<String>,
    margin: Duration,
}

impl TokenSettings {
    /// Tokens for application `sdk_id`, whose key is `key`, from the default endpoint
    /// ([`idv_core::bearer::TOKEN_URL`]), with no scope, refreshed
    /// [`DEFAULT_REFRESH_MARGIN`] before they expire.
    pub fn new(sdk_id: impl Into<String>, key: PrivateKey) -> Self {
        Self {
            sdk_id: sdk_id.into(),
            key,
            token_url: idv_core::bearer::TOKEN_URL.to_owned(),
            scopes: Vec::new(),
            margin: DEFAULT_REFRESH_MARGIN,
        }
    }

    /// Sets the token endpoint (also the assertion's `aud`).
    pub fn with_token_url(mut self, url: impl Into<String>) -> Self {
        self.token_url = url.into();
        self
    }

    /// Sets the scopes asked for (sent joined by one space).
    pub fn with_scopes(mut self, scopes: Vec<String>) -> Self {
        self.scopes = scopes;
        self
    }

    /// Sets how long before its expiry a token is replaced (capped at half its lifetime).
    pub fn with_refresh_margin(mut self, margin: Duration) -> Self {
        self.margin = margin;
        self
    }

    /// The token endpoint.
    pub fn token_url(&self) -> &str {
        &self.token_url
    }

    fn request(&self) -> Result<http::Request<Vec<u8>>, Error> {
        let assertion =
            ClientAssertion::mint(&self.key, &self.sdk_id, &self.token_url).map_err(Error::Sign)?;
        token_request(&self.token_url, &assertion, &self.scopes)
    }

    fn cache(&self, token: AccessToken) -> Cached {
        let lifetime = token
            .expires_in
            .map_or(DEFAULT_TOKEN_LIFETIME, Duration::from_secs);
        let margin = self.margin.min(lifetime / 2);
        Cached {
            token: token.token,
            refresh_at: Instant::now() + (lifetime - margin),
        }
    }
}

impl fmt::Debug for TokenSettings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TokenSettings")
            .field("sdk_id", &self.sdk_id)
            .field("key", &"<redacted>")
            .field("token_url", &self.token_url)
            .field("scopes", &self.scopes)
            .field("margin", &self.margin)
            .finish()
    }
}

#[derive(Clone)]
struct Cached {
    token: BearerToken,
    refresh_at: Instant,
}

/// The cached token, if it is still good and not the rejected one.
fn fresh(slot: &Mutex<Option<Cached>>, rejected: Option<&BearerToken>) -> Option<BearerToken> {
    let slot = slot.lock().unwrap_or_else(PoisonError::into_inner);
    slot.as_ref()
        .filter(|c| c.refresh_at > Instant::now() && Some(&c.token) != rejected)
        .map(|c| c.token.clone())
}

/// The built-in provider of the async client: see the [module docs](self).
pub struct KeyTokenProvider {
    settings: TokenSettings,
    transport: Arc<dyn AsyncTransport>,
    cached: Mutex<Option<Cached>>,
    /// Held while a token is requested: one request serves every waiting call.
    refresh: futures_util::lock::Mutex<()>,
}

impl KeyTokenProvider {
    /// A provider that asks for tokens over `transport`.
    pub fn new(settings: TokenSettings, transport: Arc<dyn AsyncTransport>) -> Self {
        Self {
            settings,
            transport,
            cached: Mutex::new(None),
            refresh: futures_util::lock::Mutex::new(()),
        }
    }
}

#[async_trait::async_trait]
impl TokenProvider for KeyTokenProvider {
    async fn token(&self, rejected: Option<&BearerToken>) -> Result<BearerToken, Error> {
        if let Some(token) = fresh(&self.cached, rejected) {
            return Ok(token);
        }
        let _one_at_a_time = self.refresh.lock().await;
        // Whoever held the lock before may have got a token already.
        if let Some(token) = fresh(&self.cached, rejected) {
            return Ok(token);
        }
        let request = self.settings.request()?;
        let response = self
            .transport
            .send(request)
            .await
            .map_err(Error::Transport)?;
        let cached = self.settings.cache(parse_token_response(response)?);
        let token = cached.token.clone();
        *self.cached.lock().unwrap_or_else(PoisonError::into_inner) = Some(cached);
        Ok(token)
    }
}

impl fmt::Debug for KeyTokenProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("KeyTokenProvider")
            .field("settings", &self.settings)
            .finish_non_exhaustive()
    }
}

/// The built-in provider of the blocking client: see the [module docs](self).
pub struct BlockingKeyTokenProvider {
    settings: TokenSettings,
    transport: Arc<dyn SyncTransport>,
    cached: Mutex<Option<Cached>>,
    /// Held while a token is requested: one request serves every waiting call.
    refresh: Mutex<()>,
}

impl BlockingKeyTokenProvider {
    /// A provider that asks for tokens over `transport`.
    pub fn new(settings: TokenSettings, transport: Arc<dyn SyncTransport>) -> Self {
        Self {
            settings,
            transport,
            cached: Mutex::new(None),
            refresh: Mutex::new(()),
        }
    }
}

impl BlockingTokenProvider for BlockingKeyTokenProvider {
    fn token(&self, rejected: Option<&BearerToken>) -> Result<BearerToken, Error> {
        if let Some(token) = fresh(&self.cached, rejected) {
            return Ok(token);
        }
        let _one_at_a_time = self.refresh.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(token) = fresh(&self.cached, rejected) {
            return Ok(token);
        }
        let request = self.settings.request()?;
        let response = self.transport.send(request).map_err(Error::Transport)?;
        let cached = self.settings.cache(parse_token_response(response)?);
        let token = cached.token.clone();
        *self.cached.lock().unwrap_or_else(PoisonError::into_inner) = Some(cached);
        Ok(token)
    }
}

impl fmt::Debug for BlockingKeyTokenProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BlockingKeyTokenProvider")
            .field("settings", &self.settings)
            .finish_non_exhaustive()
    }
}
