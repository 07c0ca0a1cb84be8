//! What the blocking and the async client share: the [`CallContext`] of their calls, built
//! once from the configuration. The lifecycle of a call (signing, retries, limits, telemetry)
//! is `idv_core::call`; the clients only drive it (`blocking.rs`, `client.rs`, `media.rs`).

use std::sync::Arc;

use idv_core::call::{CallContext, Limits};

use crate::ClientConfig;

/// The context of every call of a client built from `config`.
pub(crate) fn call_context(config: &ClientConfig) -> Arc<CallContext> {
    Arc::new(
        CallContext::new(config.signer.clone())
            .with_retry_policy(config.retry.clone())
            .with_limits(Limits::new(
                config.max_json_bytes,
                config.transport.max_response_bytes,
            )),
    )
}
