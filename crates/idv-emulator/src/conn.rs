//! Accepted connections: their activity (for the idle timeout), and a fault that resets one.

use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::task::{Context, Poll};
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpStream;
use tokio::time::Instant;

/// What a connection is doing, for the idle timeout: when it last received or sent bytes,
/// and how many of its requests are being handled.
pub(crate) struct Activity {
    start: Instant,
    last_millis: AtomicU64,
    in_flight: AtomicUsize,
}

impl Activity {
    fn new() -> Self {
        Self {
            start: Instant::now(),
            last_millis: AtomicU64::new(0),
            in_flight: AtomicUsize::new(0),
        }
    }

    fn touch(&self) {
        let millis = u64::try_from(self.start.elapsed().as_millis()).unwrap_or(u64::MAX);
        self.last_millis.store(millis, Ordering::Relaxed);
    }

    fn last(&self) -> Instant {
        self.start + Duration::from_millis(self.last_millis.load(Ordering::Relaxed))
    }

    /// When the connection is idle for `idle`, if nothing happens before.
    pub(crate) fn idle_deadline(&self, idle: Duration) -> Instant {
        self.last() + idle
    }

    /// No request in progress and nothing received or sent for `idle`.
    pub(crate) fn is_idle(&self, idle: Duration) -> bool {
        self.in_flight.load(Ordering::Acquire) == 0 && self.last().elapsed() >= idle
    }

    /// Marks a request in progress until the guard is dropped.
    pub(crate) fn begin(self: &Arc<Self>) -> InFlight {
        self.in_flight.fetch_add(1, Ordering::AcqRel);
        InFlight(Arc::clone(self))
    }
}

/// A request in progress on a connection (see [`Activity::begin`]).
pub(crate) struct InFlight(Arc<Activity>);

impl Drop for InFlight {
    fn drop(&mut self) {
        self.0.touch();
        self.0.in_flight.fetch_sub(1, Ordering::AcqRel);
    }
}

/// An accepted connection. Once its reset flag is set, the next write fails and the socket
/// closes with `SO_LINGER` 0, so the peer sees a TCP reset instead of a response.
pub(crate) struct TrackedStream {
    inner: TcpStream,
    reset: Arc<AtomicBool>,
    activity: Arc<Activity>,
}

impl TrackedStream {
    /// Wraps an accepted connection; returns it with its reset handle and its activity.
    pub(crate) fn new(inner: TcpStream) -> (Self, ConnHandle, Arc<Activity>) {
        let reset = Arc::new(AtomicBool::new(false));
        let activity = Arc::new(Activity::new());
        let handle = ConnHandle {
            reset: Arc::clone(&reset),
        };
        (
            Self {
                inner,
                reset,
                activity: Arc::clone(&activity),
            },
            handle,
            activity,
        )
    }

    fn check_reset(&self) -> io::Result<()> {
        if self.reset.load(Ordering::Acquire) {
            let _ = self.inner.set_zero_linger();
            Err(io::Error::from(io::ErrorKind::ConnectionReset))
        } else {
            Ok(())
        }
    }
}

impl AsyncRead for TrackedStream {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let before = buf.filled().len();
        let result = Pin::new(&mut self.inner).poll_read(cx, buf);
        if buf.filled().len() > before {
            self.activity.touch();
        }
        result
    }
}

impl AsyncWrite for TrackedStream {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        if let Err(e) = self.check_reset() {
            return Poll::Ready(Err(e));
        }
        self.activity.touch();
        Pin::new(&mut self.inner).poll_write(cx, buf)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        if let Err(e) = self.check_reset() {
            return Poll::Ready(Err(e));
        }
        self.activity.touch();
        Pin::new(&mut self.inner).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        if let Err(e) = self.check_reset() {
            return Poll::Ready(Err(e));
        }
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        if let Err(e) = self.check_reset() {
            return Poll::Ready(Err(e));
        }
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}

/// Per-connection handle given to handlers (as `ConnectInfo`): resets the connection.
#[derive(Clone, Debug)]
pub(crate) struct ConnHandle {
    reset: Arc<AtomicBool>,
}

impl ConnHandle {
    /// The connection is reset instead of answering.
    pub(crate) fn reset(&self) {
        self.reset.store(true, Ordering::Release);
    }
}
