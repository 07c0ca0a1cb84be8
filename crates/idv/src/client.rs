//! The async client.

use std::fmt;
use std::sync::Arc;

use idv_core::call::{CallContext, OperationCall, Step};
use idv_core::{AsyncTransport, BaseUrl, Operation};

use crate::ClientConfig;
use crate::methods::api_methods;

pub(crate) struct Inner {
    pub(crate) config: ClientConfig,
    pub(crate) sandbox_base_url: BaseUrl,
    pub(crate) calls: Arc<CallContext>,
    pub(crate) transport: Arc<dyn AsyncTransport>,
}

/// An async IDV client. Cheap to clone (one `Arc`), `Send + Sync`, and clones share the
/// transport's connection pool. Its futures are `Send`.
///
/// ```no_run
/// # #[cfg(feature = "reqwest")]
/// # async fn run() -> Result<(), Box<dyn std::error::Error>> {
/// use idv::{Client, ClientConfig, PrivateKey};
///
/// let key = PrivateKey::from_pem_file("/path/to/key.pem")?;
/// let client = Client::with_reqwest(ClientConfig::new("sdk-id", key)?)?;
/// let session = client.get_session("a-session-id").await?;
/// println!("{:?}", session.state);
/// # Ok(())
/// # }
/// ```
#[derive(Clone)]
pub struct Client {
    pub(crate) inner: Arc<Inner>,
}

impl Client {
    /// A client over any [`AsyncTransport`]: bring your own HTTP client.
    pub fn with_transport(config: ClientConfig, transport: impl AsyncTransport + 'static) -> Self {
        let sandbox_base_url = config.sandbox_base_url();
        let calls = crate::engine::call_context(&config);
        Self {
            inner: Arc::new(Inner {
                config,
                sandbox_base_url,
                calls,
                transport: Arc::new(transport),
            }),
        }
    }

    /// A client over reqwest, with the timeouts and limits of the configuration.
    #[cfg(feature = "reqwest")]
    #[cfg_attr(docsrs, doc(cfg(feature = "reqwest")))]
    pub fn with_reqwest(config: ClientConfig) -> crate::Result<Self> {
        let transport = idv_transport_reqwest::ReqwestTransport::new(config.transport.clone())?;
        Ok(Self::with_transport(config, transport))
    }

    /// Runs any operation against the API base URL: signs it, sends it, parses the answer.
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
