//! The integration tests of this crate, in one binary: one module per topic.

mod api;
mod applicants;
mod auth;
mod bearer_tokens;
mod browser;
mod common;
mod faults;
mod hardening;
mod hosted;
mod ibv_and_devices;
mod lifecycle;
mod notifications;
mod official_sdk_shapes;
mod outcomes;
mod replay;
mod sandbox_fields;
