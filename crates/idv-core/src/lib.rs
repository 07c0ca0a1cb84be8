//! Sans-IO core of the `idv` SDK.
//!
//! Every IDV endpoint is an [`Operation`]: a pure `request()` that describes the call, and a
//! pure `parse()` that turns an `http::Response<Vec<u8>>` into a typed value or an
//! [`Error`]. [`ApiRequest::to_http`] builds the final request target, signs exactly that
//! target, and returns the `http::Request<Vec<u8>>` a transport sends unchanged. Transports
//! ([`SyncTransport`], [`AsyncTransport`]) only move `http` values over a socket, so the
//! blocking and the async clients of the `idv` crate are two short loops over the same
//! operations.

pub mod error;
pub mod flow;
pub mod multipart;
pub mod notifications;
pub mod operation;
pub mod operations;
pub mod request;
pub mod retry;
pub mod sandbox;
pub mod sandbox_config;
mod sleep;
pub mod transport;

pub use error::{
    ApiError, ConfigError, ConfigErrorKind, DecodeError, Error, ErrorReport, InvalidInputError,
    PropertyError, SignError,
};
pub use flow::{HostedPageUrl, SelfieAuthVerdict};
pub use operation::Operation;
pub use request::{ApiRequest, BaseUrl};
pub use retry::RetryPolicy;
pub use transport::{
    AsyncTransport, BodyReader, BodyStream, BoxError, ResponseLimit, SyncTransport,
    TransportConfig, TransportError, TransportErrorKind,
};

/// The result type of every call.
pub type Result<T, E = Error> = std::result::Result<T, E>;
