//! The blocking client.

use std::fmt;
use std::sync::Arc;

use std::time::Instant;

use idv_core::retry::Decision;
use idv_core::{ApiRequest, BaseUrl, Operation, ResponseLimit, SyncTransport, TransportError};

use crate::methods::api_methods;
use crate::telemetry::{CallInfo, CallSpan, describe};
use crate::{ClientBuilder, ClientConfig};

pub(crate) struct Inner {
    pub(crate) config: ClientConfig,
    pub(crate) sandbox_base_url: BaseUrl,
    transport: Arc<dyn SyncTransport>,
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
    ) -> Self {
        let sandbox_base_url = config.sandbox_base_url.clone();
        Self {
            inner: Arc::new(Inner {
                config,
                sandbox_base_url,
                transport: Arc::new(transport),
            }),
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

    pub(crate) fn execute_at<O: Operation>(
        &self,
        base: &BaseUrl,
        operation: O,
    ) -> crate::Result<O::Output> {
        let request = operation.request()?;
        let limit = crate::engine::response_limit(&self.inner.config, &operation);
        let info = CallInfo::of::<O>(request.method());
        let response = self.send_with_retries(
            info,
            base,
            &request,
            operation.is_idempotent(),
            limit,
            |t, r| t.send(r),
        )?;
        crate::engine::check_len(&response, limit)?;
        operation.parse(response)
    }

    /// Sends `request`, signed afresh for each attempt, until it succeeds or the retry policy
    /// says stop.
    pub(crate) fn send_with_retries<B>(
        &self,
        info: CallInfo,
        base: &BaseUrl,
        request: &ApiRequest,
        idempotent: bool,
        limit: usize,
        send: impl Fn(
            &dyn SyncTransport,
            http::Request<Vec<u8>>,
        ) -> Result<http::Response<B>, TransportError>,
    ) -> crate::Result<http::Response<B>> {
        let config = &self.inner.config;
        let span = CallSpan::start(info);
        let started = Instant::now();
        let mut number = 1;
        loop {
            let mut http = request.to_http(base, &config.signer)?;
            http.extensions_mut().insert(ResponseLimit(limit));
            let result = send(&*self.inner.transport, http);
            let (status, error) = describe(&result);
            match crate::engine::decide(config, number, started, idempotent, &result) {
                Decision::Retry(wait) => {
                    span.retrying(number, status, error, wait);
                    std::thread::sleep(wait);
                }
                Decision::Stop => {
                    span.finish(number, status, error);
                    return Ok(result?);
                }
            }
            number += 1;
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
