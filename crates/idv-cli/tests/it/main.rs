//! The integration tests of this crate, in one binary: one module per topic.

mod applicants;
mod cli;
mod signing_backend;
