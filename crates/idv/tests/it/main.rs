//! The integration tests of this crate, in one binary: one module per topic.

mod all_operations;
mod applicants;
mod applicants_emulator;
mod bearer;
mod closure_transport;
mod concurrency;
mod connection_reuse;
mod e2e_emulator;
mod faults;
mod misconfiguration;
mod sandbox;
mod sandbox_conveniences;
mod secrets;
mod support;
mod wait;
mod wire_capture;
