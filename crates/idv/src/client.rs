//! The async client.

use std::fmt;
use std::sync::Arc;

use idv_core::call::{CallContext, OperationCall, Step};
use idv_core::{AsyncTransport, BaseUrl, Operation};

#[cfg(feature = "reqwest")]
use crate::config::require_tls;
use crate::methods::api_methods;
use crate::{ClientBuilder, ClientConfig, Error};

pub(crate) struct Inner {
    pub(crate) config: ClientConfig,
    pub(crate) calls: Arc<CallContext>,
    pub(crate) transport: Arc<dyn AsyncTransport>,
    /// Bearer-authenticated clients: where tokens come from.
    pub(crate) tokens: Option<Arc<dyn crate::bearer::TokenProvider>>,
}

/// An async IDV client. Cheap to clone (one `Arc`), `Send + Sync`, and clones share the
/// transport's connection pool. Its futures are `Send`. Made by [`Client::builder`].
///
/// ```no_run
/// # #[cfg(feature = "reqwest")]
/// # async fn run() -> Result<(), Box<dyn std::error::Error>> {
/// use idv::Client;
///
/// let client = Client::builder()
///     .sdk_id("your-client-sdk-id")
///     .key_file("/path/to/key.pem")
///     .build()?;
/// let session = client.get_session(&"a-session-id".into()).await?;
/// println!("{:?}", session.state);
/// # Ok(())
/// # }
/// ```
#[derive(Clone)]
pub struct Client {
    pub(crate) inner: Arc<Inner>,
}

impl Client {
    /// A [`ClientBuilder`]: finish it with [`ClientBuilder::build`] (over reqwest) or
    /// [`ClientBuilder::build_with_transport`] (over your own [`AsyncTransport`]).
    pub fn builder() -> ClientBuilder {
        ClientBuilder::new()
    }

    pub(crate) fn from_parts(
        config: ClientConfig,
        transport: impl AsyncTransport + 'static,
    ) -> crate::Result<Self> {
        let calls = crate::engine::call_context(&config);
        let transport: Arc<dyn AsyncTransport> = Arc::new(transport);
        let tokens = crate::engine::async_tokens(&config, &transport)?;
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
    pub(crate) async fn authenticate(
        &self,
        rejected: Option<&idv_core::BearerToken>,
    ) -> crate::Result<idv_core::BearerToken> {
        match &self.inner.tokens {
            Some(provider) => provider.token(rejected).await,
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
    pub async fn execute<O: Operation + Send>(&self, operation: O) -> crate::Result<O::Output> {
        self.execute_at(&self.inner.config.base_url, operation)
            .await
    }

    /// Drives the call of `operation` against `base`: sends what the call state machine hands
    /// out, sleeps (with the transport's timer) when it says so. Signing, retries, limits and
    /// parsing are the machine's.
    pub(crate) async fn execute_at<O: Operation + Send>(
        &self,
        base: &BaseUrl,
        operation: O,
    ) -> crate::Result<O::Output> {
        let mut call = OperationCall::new(Arc::clone(&self.inner.calls), base.clone(), operation)?;
        let transport = &*self.inner.transport;
        loop {
            match call.next()? {
                Step::Send(request) => match transport.send(request).await {
                    Ok(response) => call.on_response(response),
                    Err(error) => call.on_transport_error(error),
                },
                Step::Sleep(wait) => transport.sleep(wait).await,
                Step::Authenticate(need) => match self.authenticate(need.rejected.as_ref()).await {
                    Ok(token) => call.on_token(token),
                    Err(error) => call.on_token_error(error),
                },
                Step::Done(output) => return Ok(output),
            }
        }
    }

    api_methods!(async; .await);
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("config", &self.inner.config)
            .finish_non_exhaustive()
    }
}

// The builder's terminal methods that make this client live here, beside it, so that
// `config` never names the clients (one way: client -> config).
impl ClientBuilder {
    /// Builds the async [`Client`](crate::Client) over reqwest, with the timeouts and limits
    /// set here.
    ///
    /// Available with the `reqwest` feature (on by default).
    ///
    /// # Errors
    ///
    /// [`Error::Config`] for any configuration problem (see [`ConfigErrorKind`](crate::ConfigErrorKind)), including
    /// an `https` base URL when neither the `rustls` nor the `native-tls` feature is
    /// enabled; [`Error::Transport`] if reqwest cannot be initialised.
    #[cfg(feature = "reqwest")]
    pub fn build(self) -> Result<crate::Client, Error> {
        let config = self.validate()?;
        require_tls(&config)?;
        let transport = idv_transport_reqwest::ReqwestTransport::new(config.transport.clone())?;
        crate::Client::from_parts(config, transport)
    }

    /// Builds the async [`Client`](crate::Client) over your own transport (TLS is its
    /// business; the timeouts and the transport limits set here are not applied to it).
    ///
    /// # Errors
    ///
    /// [`Error::Config`] for any configuration problem (see [`ConfigErrorKind`](crate::ConfigErrorKind)).
    pub fn build_with_transport(
        self,
        transport: impl AsyncTransport + 'static,
    ) -> Result<crate::Client, Error> {
        crate::Client::from_parts(self.validate()?, transport)
    }
}
