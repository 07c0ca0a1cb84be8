//! One `tracing` span per call (feature `tracing`), fed by the call state machine's events:
//! the operation name, the method, the path *template* (never the ids), the final status, the
//! number of attempts and the latency; one event per retried attempt. Nothing else: no body,
//! no query string, no token, no identifier. Without the feature every function here is an
//! empty inline stub.
//!
//! The target stays `idv::telemetry`, where the spans were emitted before the call lifecycle
//! moved into the core, so that subscribers' filters keep matching.

use std::time::Duration;
#[cfg(feature = "tracing")]
use std::time::Instant;

use super::CallInfo;

/// The span of one call.
pub(super) struct CallSpan {
    #[cfg(feature = "tracing")]
    span: tracing::Span,
    #[cfg(feature = "tracing")]
    started: Instant,
}

impl CallSpan {
    #[inline]
    pub(super) fn start(info: &CallInfo, method: &http::Method) -> Self {
        #[cfg(not(feature = "tracing"))]
        let _ = (info, method);
        Self {
            #[cfg(feature = "tracing")]
            span: tracing::info_span!(
                target: "idv::telemetry",
                "idv.call",
                operation = info.operation,
                method = static_method(method),
                path = info.path_template,
                status = tracing::field::Empty,
                attempts = tracing::field::Empty,
                latency_ms = tracing::field::Empty,
                error = tracing::field::Empty,
            ),
            #[cfg(feature = "tracing")]
            started: Instant::now(),
        }
    }

    /// An attempt failed and will be retried after `wait`.
    #[inline]
    pub(super) fn retrying(
        &self,
        attempt: u32,
        status: Option<u16>,
        error: Option<&str>,
        wait: Duration,
    ) {
        #[cfg(feature = "tracing")]
        tracing::debug!(
            target: "idv::telemetry",
            parent: &self.span,
            attempt,
            status,
            error,
            wait_ms = u64::try_from(wait.as_millis()).unwrap_or(u64::MAX),
            "retrying"
        );
        #[cfg(not(feature = "tracing"))]
        let _ = (attempt, status, error, wait);
    }

    /// The call ended after `attempts` attempts.
    #[inline]
    pub(super) fn finish(&self, attempts: u32, status: Option<u16>, error: Option<&str>) {
        #[cfg(feature = "tracing")]
        {
            let latency_ms = self.started.elapsed().as_secs_f64() * 1000.0;
            self.span.record("attempts", attempts);
            self.span.record("latency_ms", latency_ms);
            if let Some(status) = status {
                self.span.record("status", status);
            }
            if let Some(error) = error {
                self.span.record("error", error);
            }
        }
        #[cfg(not(feature = "tracing"))]
        let _ = (attempts, status, error);
    }
}

#[cfg(feature = "tracing")]
fn static_method(method: &http::Method) -> &'static str {
    match *method {
        http::Method::GET => "GET",
        http::Method::POST => "POST",
        http::Method::PUT => "PUT",
        http::Method::DELETE => "DELETE",
        http::Method::PATCH => "PATCH",
        _ => "OTHER",
    }
}
