//! The integration tests of this crate, in one binary: one module per topic.

mod host_call;
