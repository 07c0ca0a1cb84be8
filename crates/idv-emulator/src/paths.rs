//! The base paths the emulator serves, shared by the router, authentication, fault
//! injection and the admin API.

/// Base path of the IDV API.
pub(crate) const API_PREFIX: &str = "/idverify/v1";
/// Base path of the sandbox IDV API.
pub(crate) const SANDBOX_PREFIX: &str = "/sandbox/idverify/v1";
/// Where the admin routes live.
pub(crate) const ADMIN_PREFIX: &str = "/__admin/";
