//! One `tracing` span per API call (feature `tracing`), with the operation name, the method,
//! the path *template* (never the ids), the final status, the number of attempts and the
//! latency; one event per retried attempt. Nothing else: no body, no query string, no token,
//! no identifier. Without the feature every function here is an empty inline stub.

use std::time::{Duration, Instant};

/// What the span says about a call.
#[derive(Clone, Copy)]
#[cfg_attr(not(feature = "tracing"), allow(dead_code))]
pub(crate) struct CallInfo {
    pub(crate) operation: &'static str,
    pub(crate) path: &'static str,
    pub(crate) method: &'static str,
}

impl CallInfo {
    pub(crate) fn of<O: idv_core::Operation>(method: &http::Method) -> Self {
        Self {
            operation: O::NAME,
            path: O::PATH_TEMPLATE,
            method: static_method(method),
        }
    }
}

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

/// The span of one call.
pub(crate) struct CallSpan {
    #[cfg(feature = "tracing")]
    span: tracing::Span,
    started: Instant,
}

impl CallSpan {
    pub(crate) fn start(info: CallInfo) -> Self {
        #[cfg(not(feature = "tracing"))]
        let _ = info;
        Self {
            #[cfg(feature = "tracing")]
            span: tracing::info_span!(
                "idv.call",
                operation = info.operation,
                method = info.method,
                path = info.path,
                status = tracing::field::Empty,
                attempts = tracing::field::Empty,
                latency_ms = tracing::field::Empty,
                error = tracing::field::Empty,
            ),
            started: Instant::now(),
        }
    }

    /// An attempt failed and will be retried after `wait`.
    pub(crate) fn retrying(
        &self,
        attempt: u32,
        status: Option<u16>,
        error: Option<&str>,
        wait: Duration,
    ) {
        #[cfg(feature = "tracing")]
        tracing::debug!(
            parent: &self.span,
            attempt,
            status,
            error,
            wait_ms = wait.as_millis() as u64,
            "retrying"
        );
        #[cfg(not(feature = "tracing"))]
        let _ = (attempt, status, error, wait);
    }

    /// The call ended after `attempts` attempts.
    pub(crate) fn finish(&self, attempts: u32, status: Option<u16>, error: Option<&str>) {
        let latency_ms = self.started.elapsed().as_secs_f64() * 1000.0;
        #[cfg(feature = "tracing")]
        {
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
        let _ = (attempts, status, error, latency_ms);
    }
}

/// The status or error kind of an attempt, for the span.
pub(crate) fn describe<B>(
    result: &Result<http::Response<B>, idv_core::TransportError>,
) -> (Option<u16>, Option<&'static str>) {
    match result {
        Ok(r) => (Some(r.status().as_u16()), None),
        Err(e) => (
            None,
            Some(match e.kind() {
                idv_core::TransportErrorKind::Connect => "connect",
                idv_core::TransportErrorKind::Timeout => "timeout",
                idv_core::TransportErrorKind::BodyTooLarge => "body_too_large",
                idv_core::TransportErrorKind::Request => "request",
                _ => "transport",
            }),
        ),
    }
}
