//! The integration tests of this crate, in one binary: one module per topic.

mod applicants;
mod media_encoding;
mod redaction;
mod requests;
mod responses;
mod unknown;
