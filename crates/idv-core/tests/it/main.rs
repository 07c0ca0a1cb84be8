//! The integration tests of this crate, in one binary: one module per topic.

mod applicant_operations;
mod bearer_call;
mod call;
mod errors;
mod more_operations;
mod notifications;
mod operations;
mod properties;
mod sandbox_shapes;
mod verdict;
