//! What the blocking and the async client share: the [`CallContext`] of their calls, built
//! once from the configuration, and the token provider of a bearer-authenticated client. The
//! lifecycle of a call (signing or the bearer token, retries, limits, telemetry) is
//! `idv_core::call`; the clients only drive it (`blocking.rs`, `client.rs`, `media.rs`).

use std::sync::Arc;

use idv_core::call::{Authentication, CallContext, Limits};
use idv_core::{AsyncTransport, ConfigError, ConfigErrorKind, SyncTransport};

use crate::ClientConfig;
use crate::bearer::{
    BlockingKeyTokenProvider, BlockingTokenProvider, KeyTokenProvider, TokenProvider,
};
use crate::config::BearerSource;

/// The context of every call of a client built from `config`.
pub(crate) fn call_context(config: &ClientConfig) -> Arc<CallContext> {
    let auth = match &config.signer {
        Some(signer) => Authentication::Signed(signer.clone()),
        None => Authentication::Bearer,
    };
    Arc::new(
        CallContext::with_authentication(auth)
            .with_retry_policy(config.retry.clone())
            .with_limits(Limits::new(
                config.max_json_bytes,
                config.transport.max_response_bytes,
            )),
    )
}

fn wrong_flavour(which: &str) -> ConfigError {
    ConfigError::new(
        ConfigErrorKind::InvalidAuth,
        format!("a {which} token provider cannot serve this client"),
    )
}

/// The async client's token provider, if it uses bearer tokens.
pub(crate) fn async_tokens(
    config: &ClientConfig,
    transport: &Arc<dyn AsyncTransport>,
) -> Result<Option<Arc<dyn TokenProvider>>, ConfigError> {
    Ok(match &config.bearer {
        None => None,
        Some(BearerSource::Key(settings)) => Some(Arc::new(KeyTokenProvider::new(
            settings.clone(),
            Arc::clone(transport),
        ))),
        Some(BearerSource::Static(token)) => Some(Arc::new(token.clone())),
        Some(BearerSource::Async(provider)) => Some(Arc::clone(provider)),
        Some(BearerSource::Blocking(_)) => return Err(wrong_flavour("blocking")),
    })
}

/// The blocking client's token provider, if it uses bearer tokens.
pub(crate) fn blocking_tokens(
    config: &ClientConfig,
    transport: &Arc<dyn SyncTransport>,
) -> Result<Option<Arc<dyn BlockingTokenProvider>>, ConfigError> {
    Ok(match &config.bearer {
        None => None,
        Some(BearerSource::Key(settings)) => Some(Arc::new(BlockingKeyTokenProvider::new(
            settings.clone(),
            Arc::clone(transport),
        ))),
        Some(BearerSource::Static(token)) => Some(Arc::new(token.clone())),
        Some(BearerSource::Blocking(provider)) => Some(Arc::clone(provider)),
        Some(BearerSource::Async(_)) => return Err(wrong_flavour("async")),
    })
}
