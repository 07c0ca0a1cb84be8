//! Sans-IO core of the `idv` SDK.
//!
//! Every IDV endpoint is an [`Operation`]: a pure `request()` that describes the call, and a
//! pure `parse()` that turns an `http::Response<Vec<u8>>` into a typed value or an
//! [`Error`]. [`ApiRequest::to_http`] builds the final request target, signs exactly that
//! target, and returns the `http::Request<Vec<u8>>` a transport sends unchanged. Transports
//! ([`SyncTransport`], [`AsyncTransport`]) only move `http` values over a socket.
//!
//! The lifecycle of one call (sign each attempt, hand it out, take the response or the
//! transport error, retry or not, enforce the size limit, parse) is the sans-IO state machine
//! [`Call`] of the [`call`] module, so the blocking and the async clients of the `idv` crate
//! are two short driver loops that only send and sleep, and a host in another runtime or
//! language drives the same machine.
#![cfg_attr(not(test), warn(unused_crate_dependencies))]

pub mod bearer;
pub mod call;
mod encoding;
pub mod enrolment;
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

pub use bearer::{AccessToken, BearerToken, TokenNeed};
pub use call::{
    Authentication, BodyAction, Call, CallContext, CallEnv, CallInfo, Limits, OperationCall, Step,
};
pub use enrolment::{EnrolFace, Enrolment};
pub use error::{
    ApiError, ConfigError, ConfigErrorKind, DecodeError, Error, ErrorReport, InvalidInputError,
    PropertyError, SignError,
};
pub use flow::{HostedPageUrl, SelfieAuthVerdict};
pub use operation::Operation;
pub use operations::Deleted;
pub use request::{ApiRequest, BaseUrl};
pub use retry::RetryPolicy;
pub use transport::{
    AsyncTransport, BodyReader, BodyStream, BoxError, ResponseLimit, SyncTransport,
    TransportConfig, TransportError, TransportErrorKind, async_fn, sync_fn,
};

/// The result type of every call.
pub type Result<T, E = Error> = std::result::Result<T, E>;
