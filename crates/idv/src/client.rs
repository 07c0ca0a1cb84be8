//! The async client.

use std::fmt;
use std::sync::Arc;

use std::future::Future;
use std::pin::Pin;
use std::time::Instant;

use idv_core::retry::Decision;
use idv_core::{
    ApiRequest, AsyncTransport, BaseUrl, BodyStream, Operation, ResponseLimit, TransportError,
};

use crate::ClientConfig;
use crate::methods::api_methods;
use crate::telemetry::{CallInfo, CallSpan, describe};

pub(crate) struct Inner {
    pub(crate) config: ClientConfig,
    pub(crate) sandbox_base_url: BaseUrl,
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
    /// A client over any [`AsyncTransport`]: bring your own HTTP client.
    pub fn with_transport(config: ClientConfig, transport: impl AsyncTransport + 'static) -> Self {
        let sandbox_base_url = config.sandbox_base_url();
        Self {
            inner: Arc::new(Inner {
                config,
                sandbox_base_url,
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

    pub(crate) async fn execute_at<O: Operation + Send>(
        &self,
        base: &BaseUrl,
        operation: O,
    ) -> crate::Result<O::Output> {
        let request = operation.request()?;
        let limit = crate::engine::response_limit(&self.inner.config, &operation);
        let info = CallInfo::of::<O>(request.method());
        let response = self
            .send_with_retries::<Buffered>(info, base, &request, operation.is_idempotent(), limit)
            .await?;
        crate::engine::check_len(&response, limit)?;
        operation.parse(response)
    }

    /// Sends `request`, signed afresh for each attempt, until it succeeds or the retry policy
    /// says stop.
    pub(crate) async fn send_with_retries<E: Exchange>(
        &self,
        info: CallInfo,
        base: &BaseUrl,
        request: &ApiRequest,
        idempotent: bool,
        limit: usize,
    ) -> crate::Result<http::Response<E::Body>> {
        let config = &self.inner.config;
        let span = CallSpan::start(info);
        let started = Instant::now();
        let mut number = 1;
        loop {
            let mut http = request.to_http(base, &config.signer)?;
            http.extensions_mut().insert(ResponseLimit(limit));
            let result = E::call(&*self.inner.transport, http).await;
            let (status, error) = describe(&result);
            match crate::engine::decide(config, number, started, idempotent, &result) {
                Decision::Retry(wait) => {
                    span.retrying(number, status, error, wait);
                    self.inner.transport.sleep(wait).await;
                }
                Decision::Stop => {
                    span.finish(number, status, error);
                    return Ok(result?);
                }
            }
            number += 1;
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

type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// How one attempt is sent: buffered or streamed.
pub(crate) trait Exchange {
    /// The response body type.
    type Body: Send;
    /// Sends one attempt.
    fn call(
        transport: &dyn AsyncTransport,
        request: http::Request<Vec<u8>>,
    ) -> BoxFuture<'_, Result<http::Response<Self::Body>, TransportError>>;
}

/// The whole body in memory.
pub(crate) struct Buffered;

impl Exchange for Buffered {
    type Body = Vec<u8>;
    fn call(
        transport: &dyn AsyncTransport,
        request: http::Request<Vec<u8>>,
    ) -> BoxFuture<'_, Result<http::Response<Vec<u8>>, TransportError>> {
        transport.send(request)
    }
}

/// The body as a stream.
pub(crate) struct Streamed;

impl Exchange for Streamed {
    type Body = BodyStream;
    fn call(
        transport: &dyn AsyncTransport,
        request: http::Request<Vec<u8>>,
    ) -> BoxFuture<'_, Result<http::Response<BodyStream>, TransportError>> {
        transport.send_streaming(request)
    }
}
