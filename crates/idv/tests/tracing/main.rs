//! The tests that install a `tracing` subscriber and assert on what it saw, in their own
//! binary.
//!
//! `tracing` caches each callsite's interest process-wide. In the shared `it` binary, other
//! tests hit the same callsites on other threads while these tests' scoped subscribers come and
//! go, and a span could be missed (seen: the bearer test's capture without its `get_session`
//! span under load). Here only subscriber tests run, so what they capture is theirs.

#![allow(clippy::unwrap_used)]

// The helpers of the `it` binary, shared by path.
#[path = "../it/support.rs"]
mod support;

mod bearer;
mod spans;
