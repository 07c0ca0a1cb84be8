//! The integration tests of this crate, in one binary: one module per topic.

mod assertion;
mod common;
mod key_errors;
mod key_size_limit;
mod nonce;
mod redaction;
mod vectors;
