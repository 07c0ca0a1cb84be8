//! A runtime-independent timer future for the default [`AsyncTransport::sleep`].
//!
//! [`AsyncTransport::sleep`]: crate::transport::AsyncTransport::sleep

use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Waker};
use std::time::Duration;

#[derive(Default)]
struct Shared {
    done: bool,
    waker: Option<Waker>,
}

/// Resolves after `duration`, using a short-lived helper thread instead of a runtime timer.
pub(crate) fn thread_sleep(duration: Duration) -> impl Future<Output = ()> + Send {
    ThreadSleep {
        duration,
        shared: None,
    }
}

struct ThreadSleep {
    duration: Duration,
    shared: Option<Arc<Mutex<Shared>>>,
}

impl Future for ThreadSleep {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if self.duration.is_zero() {
            return Poll::Ready(());
        }
        let duration = self.duration;
        let shared = self.shared.get_or_insert_with(|| {
            let shared = Arc::new(Mutex::new(Shared::default()));
            let theirs = Arc::clone(&shared);
            std::thread::spawn(move || {
                std::thread::sleep(duration);
                let mut s = theirs.lock().unwrap_or_else(|p| p.into_inner());
                s.done = true;
                if let Some(w) = s.waker.take() {
                    w.wake();
                }
            });
            shared
        });
        let mut s = shared.lock().unwrap_or_else(|p| p.into_inner());
        if s.done {
            Poll::Ready(())
        } else {
            s.waker = Some(cx.waker().clone());
            Poll::Pending
        }
    }
}
