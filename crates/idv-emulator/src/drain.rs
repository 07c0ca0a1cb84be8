//! Answering a request without reading its body, politely.
//!
//! The emulator refuses many requests from their head alone (unknown route, bad signature,
//! declared length over the cap) and never reads their body. HTTP/1.1 then has to close the
//! connection, and a client still writing a small body can see the close as a broken pipe
//! before it reads the answer. So the request body is lent to the router in a wrapper that,
//! when dropped unread, hands it back; the connection then reads and discards what is left of
//! a *small* body (at most [`DRAIN_LIMIT`] declared bytes, within [`DRAIN_TIMEOUT`]) before
//! sending the answer, and the client reads the answer as it should. A large body is never
//! read: that is the point of refusing from the head.

use std::pin::Pin;
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll};
use std::time::Duration;

use hyper::body::{Body, Bytes, Frame, Incoming, SizeHint};

/// The largest declared body drained after an answer given without reading it.
pub(crate) const DRAIN_LIMIT: u64 = 64 * 1024;

/// How long draining may take.
pub(crate) const DRAIN_TIMEOUT: Duration = Duration::from_secs(1);

/// Where an unread body goes back when the router drops it.
type Slot = Arc<Mutex<Option<Incoming>>>;

/// A request body that gives itself back to `slot` if dropped before its end.
pub(crate) struct LentBody {
    inner: Option<Incoming>,
    slot: Slot,
}

impl LentBody {
    /// Wraps `inner`; the returned slot holds it again if it is dropped unfinished.
    pub(crate) fn new(inner: Incoming) -> (Self, Slot) {
        let slot: Slot = Arc::default();
        (
            Self {
                inner: Some(inner),
                slot: Arc::clone(&slot),
            },
            slot,
        )
    }
}

impl Drop for LentBody {
    fn drop(&mut self) {
        if let Some(inner) = self.inner.take()
            && !inner.is_end_stream()
        {
            *self.slot.lock().unwrap_or_else(PoisonError::into_inner) = Some(inner);
        }
    }
}

impl Body for LentBody {
    type Data = Bytes;
    type Error = hyper::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, hyper::Error>>> {
        match self.inner.as_mut() {
            Some(inner) => Pin::new(inner).poll_frame(cx),
            None => Poll::Ready(None),
        }
    }

    fn is_end_stream(&self) -> bool {
        self.inner.as_ref().is_none_or(Incoming::is_end_stream)
    }

    fn size_hint(&self) -> SizeHint {
        self.inner
            .as_ref()
            .map_or_else(|| SizeHint::with_exact(0), Incoming::size_hint)
    }
}

/// Reads and discards what is left of an unread body handed back to `slot`, if it declared
/// at most [`DRAIN_LIMIT`] bytes; gives up after [`DRAIN_TIMEOUT`].
pub(crate) async fn drain(slot: &Slot, declared: Option<u64>) {
    let Some(mut body) = slot.lock().unwrap_or_else(PoisonError::into_inner).take() else {
        return;
    };
    if declared.is_none_or(|len| len > DRAIN_LIMIT) {
        return;
    }
    let read = async {
        let mut seen: u64 = 0;
        while let Some(frame) = std::future::poll_fn(|cx| Pin::new(&mut body).poll_frame(cx)).await
        {
            let Ok(frame) = frame else { return };
            if let Some(data) = frame.data_ref() {
                seen = seen.saturating_add(data.len() as u64);
                if seen > DRAIN_LIMIT {
                    return;
                }
            }
        }
    };
    let _ = tokio::time::timeout(DRAIN_TIMEOUT, read).await;
}
