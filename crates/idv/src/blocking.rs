//! The blocking client.

use std::fmt;
use std::sync::Arc;

use idv_core::call::{CallContext, OperationCall, Step};
use idv_core::{BaseUrl, Operation, SyncTransport};

#[cfg(feature = "ureq")]
use crate::config::require_tls;
use crate::methods::api_methods;
use crate::{ClientBuilder, ClientConfig, Error};

pub(crate) struct Inner {
    pub(crate) config: ClientConfig,
    pub(crate) calls: Arc<CallContext>,
    pub(crate) transport: Arc<dyn SyncTransport>,
    /// Bearer-authenticated clients: where tokens come from.
    pub(crate) tokens: Option<Arc<dyn crate::bearer::BlockingTokenProvider>>,
}

/// A blocking IDV client. Cheap to clone (one `Arc`), `Send + Sync`, and clones share the
/// transport's connection pool. Made by [`BlockingClient::builder`].
///
/// ```no_run
/// # #[cfg(feature = "ureq")] {
/// use idv::BlockingClient;
/// use idv::model::*;
///
/// let client = BlockingClient::builder()
///     .sdk_id("your-client-sdk-id")
///     .key_file("/path/to/key.pem")
///     .build_blocking()?;
/// let session = client.create_session(
///     &SessionSpecification::new()
///         .with_requested_check(RequestedLivenessCheck::static_liveness().with_max_retries(3))
///         .with_requested_check(RequestedFaceComparisonCheck::new().with_manual_check_never()),
/// )?;
/// println!("session {}", session.session_id);
/// # }
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone)]
pub struct BlockingClient {
    pub(crate) inner: Arc<Inner>,
}

impl BlockingClient {
    /// A [`ClientBuilder`]: finish it with [`ClientBuilder::build_blocking`] (over ureq,
    /// feature `ureq`) or [`ClientBuilder::build_blocking_with_transport`] (over your own
    /// [`SyncTransport`]).
    pub fn builder() -> ClientBuilder {
        ClientBuilder::new()
    }

    pub(crate) fn from_parts(
        config: ClientConfig,
        transport: impl SyncTransport + 'static,
    ) -> crate::Result<Self> {
        let calls = crate::engine::call_context(&config);
        let transport: Arc<dyn SyncTransport> = Arc::new(transport);
        let tokens = crate::engine::blocking_tokens(&config, &transport)?;
        Ok(Self {
            inner: Arc::new(Inner {
                config,
                calls,
                transport,
                tokens,
            }),
        })
    }

    /// Answers a [`Step::Authenticate`]: the token provider's token, or its error.
    pub(crate) fn authenticate(
        &self,
        rejected: Option<&idv_core::BearerToken>,
    ) -> crate::Result<idv_core::BearerToken> {
        match &self.inner.tokens {
            Some(provider) => provider.token(rejected),
            None => Err(crate::Error::InvalidInput(crate::InvalidInputError::new(
                "token",
                "a signed client was asked for a bearer token",
            ))),
        }
    }

    /// Runs any operation against the API base URL: signs it, sends it, parses the answer.
    ///
    /// # Errors
    ///
    /// [`Error::Api`](crate::Error::Api) when the service refuses the call (for example 404 for
    /// an unknown session), [`Error::Config`](crate::Error::Config) when its answer says the
    /// client is misconfigured (unknown SDK id, wrong base URL),
    /// [`Error::InvalidInput`](crate::Error::InvalidInput) for an empty or dot-segment id,
    /// [`Error::Transport`](crate::Error::Transport) when the exchange fails,
    /// [`Error::Decode`](crate::Error::Decode) when the answer cannot be read.
    pub fn execute<O: Operation>(&self, operation: O) -> crate::Result<O::Output> {
        self.execute_at(&self.inner.config.base_url, operation)
    }

    /// Drives the call of `operation` against `base`: sends what the call state machine hands
    /// out, sleeps when it says so. Signing, retries, limits and parsing are the machine's.
    pub(crate) fn execute_at<O: Operation>(
        &self,
        base: &BaseUrl,
        operation: O,
    ) -> crate::Result<O::Output> {
        let mut call = OperationCall::new(Arc::clone(&self.inner.calls), base.clone(), operation)?;
        let transport = &*self.inner.transport;
        loop {
            match call.next()? {
                Step::Send(request) => match transport.send(request) {
                    Ok(response) => call.on_response(response),
                    Err(error) => call.on_transport_error(error),
                },
                Step::Sleep(wait) => std::thread::sleep(wait),
                Step::Authenticate(need) => match self.authenticate(need.rejected.as_ref()) {
                    Ok(token) => call.on_token(token),
                    Err(error) => call.on_token_error(error),
                },
                Step::Done(output) => return Ok(output),
            }
        }
    }

    api_methods!(;);
}

impl fmt::Debug for BlockingClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BlockingClient")
            .field("config", &self.inner.config)
            .finish_non_exhaustive()
    }
}

// The builder's terminal methods that make this client live here, beside it, so that
// `config` never names the clients (one way: client -> config).
impl ClientBuilder {
    /// Builds the [`BlockingClient`](crate::BlockingClient) over ureq, with the timeouts and
    /// limits set here.
    ///
    /// Available with the `ureq` feature.
    ///
    /// # Errors
    ///
    /// [`Error::Config`] for any configuration problem (see [`ConfigErrorKind`](crate::ConfigErrorKind)), including
    /// an `https` base URL when neither the `rustls` nor the `native-tls` feature is
    /// enabled.
    #[cfg(feature = "ureq")]
    pub fn build_blocking(self) -> Result<crate::BlockingClient, Error> {
        let config = self.validate()?;
        require_tls(&config)?;
        let transport = idv_transport_ureq::UreqTransport::new(config.transport.clone());
        crate::BlockingClient::from_parts(config, transport)
    }

    /// Builds the [`BlockingClient`](crate::BlockingClient) over your own transport (TLS is
    /// its business; the timeouts and the transport limits set here are not applied to it).
    ///
    /// # Errors
    ///
    /// [`Error::Config`] for any configuration problem (see [`ConfigErrorKind`](crate::ConfigErrorKind)).
    pub fn build_blocking_with_transport(
        self,
        transport: impl SyncTransport + 'static,
    ) -> Result<crate::BlockingClient, Error> {
        crate::BlockingClient::from_parts(self.validate()?, transport)
    }
}
