//! The errors a host sees, as typed exceptions: status, API code and property errors, never
//! a secret.

use idv_core::notifications::NotificationError;

/// One problem with one property of a request, as the API reports it.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct PropertyError {
    /// The property, e.g. `requested_checks[0].type`.
    pub property: Option<String>,
    /// What is wrong with it.
    pub message: Option<String>,
}

/// What is wrong with a client's configuration (see `idv_core::ConfigErrorKind`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum ConfigErrorKind {
    /// The SDK id is missing, empty or contains whitespace or control characters.
    InvalidSdkId,
    /// The private key is missing or could not be loaded.
    InvalidKey,
    /// The base URL is not a valid IDV API URL.
    InvalidBaseUrl,
    /// The service does not know the SDK id.
    UnknownSdkId,
    /// The base URL does not lead to the IDV API.
    NoSuchEndpoint,
    /// Anything else about the configuration.
    Other,
}

/// What went wrong in a transport, as far as it can tell (see
/// `idv_core::TransportErrorKind`). A host reports its own HTTP failures with one of these.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum TransportErrorKind {
    /// A fresh connection could not be established: the request provably never left, so
    /// even a non-idempotent call may be retried. Use it narrowly.
    Connect,
    /// A time limit ran out; the request may or may not have been processed.
    Timeout,
    /// The response body was larger than the call's limit.
    BodyTooLarge,
    /// The request could not be handed to the HTTP library.
    Request,
    /// Anything else: reset, broken pipe, truncated body, protocol error.
    Other,
}

impl From<TransportErrorKind> for idv_core::TransportErrorKind {
    fn from(kind: TransportErrorKind) -> Self {
        match kind {
            TransportErrorKind::Connect => Self::Connect,
            TransportErrorKind::Timeout => Self::Timeout,
            TransportErrorKind::BodyTooLarge => Self::BodyTooLarge,
            TransportErrorKind::Request => Self::Request,
            TransportErrorKind::Other => Self::Other,
        }
    }
}

impl From<idv_core::TransportErrorKind> for TransportErrorKind {
    fn from(kind: idv_core::TransportErrorKind) -> Self {
        match kind {
            idv_core::TransportErrorKind::Connect => Self::Connect,
            idv_core::TransportErrorKind::Timeout => Self::Timeout,
            idv_core::TransportErrorKind::BodyTooLarge => Self::BodyTooLarge,
            idv_core::TransportErrorKind::Request => Self::Request,
            _ => Self::Other,
        }
    }
}

/// Every failure of the binding. In Python each variant is an exception class
/// (`IdvError.Api`, `IdvError.Config`, ...) with these fields as attributes. `message` is the
/// Rust SDK's own description, which never contains a private key, a client session token,
/// a request body or a response body.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Error)]
pub enum IdvError {
    /// The server answered with a non-success status.
    Api {
        /// The HTTP status.
        status: u16,
        /// The API's error code, e.g. `SESSION_NOT_FOUND`.
        code: Option<String>,
        /// The property errors of a 400.
        property_errors: Vec<PropertyError>,
        /// The request id the server gave, for support.
        request_id: Option<String>,
        /// `Retry-After`, when the server sent one.
        retry_after: Option<String>,
        /// A one-line description.
        message: String,
    },
    /// The client is misconfigured: found when it was built, or told by the service.
    Config {
        /// How.
        kind: ConfigErrorKind,
        /// The status of the answer that said so (none when found locally).
        status: Option<u16>,
        /// The API's error code of that answer.
        code: Option<String>,
        /// What to fix.
        message: String,
    },
    /// The request could not be built from the input (for example an empty id), or the
    /// call was driven out of order. Nothing was sent.
    InvalidInput {
        /// The field at fault (`call` for a driver error).
        field: String,
        /// Why.
        reason: String,
        /// A one-line description.
        message: String,
    },
    /// The request could not be signed. Nothing was sent.
    Sign {
        /// A one-line description.
        message: String,
    },
    /// The HTTP exchange failed.
    Transport {
        /// What kind of failure.
        kind: TransportErrorKind,
        /// A one-line description.
        message: String,
    },
    /// A success status with a body that does not decode.
    Decode {
        /// The HTTP status.
        status: u16,
        /// The JSON path of the failure.
        path: String,
        /// A one-line description.
        message: String,
    },
    /// A notification was refused.
    Notification {
        /// The status to answer the sender with (401 or 400/413).
        status: u16,
        /// Whether the sender failed authentication.
        unauthorized: bool,
        /// A one-line description (never the token or a value from the body).
        message: String,
    },
}

impl std::fmt::Display for IdvError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            IdvError::Api { message, .. }
            | IdvError::Config { message, .. }
            | IdvError::InvalidInput { message, .. }
            | IdvError::Sign { message }
            | IdvError::Transport { message, .. }
            | IdvError::Decode { message, .. }
            | IdvError::Notification { message, .. } => f.write_str(message),
        }
    }
}

impl std::error::Error for IdvError {}

impl IdvError {
    pub(crate) fn invalid_input(field: &str, reason: impl Into<String>) -> Self {
        let reason = reason.into();
        IdvError::InvalidInput {
            message: format!("invalid input: {field} {reason}"),
            field: field.to_owned(),
            reason,
        }
    }

    pub(crate) fn config(kind: ConfigErrorKind, message: impl Into<String>) -> Self {
        IdvError::Config {
            kind,
            status: None,
            code: None,
            message: message.into(),
        }
    }
}

impl From<idv_core::Error> for IdvError {
    fn from(error: idv_core::Error) -> Self {
        let message = idv_core::ErrorReport(&error).to_string();
        match error {
            idv_core::Error::Api(api) => IdvError::Api {
                status: api.status().as_u16(),
                code: api.code().map(str::to_owned),
                property_errors: api
                    .property_errors()
                    .iter()
                    .map(|p| PropertyError {
                        property: p.property.clone(),
                        message: p.message.clone(),
                    })
                    .collect(),
                request_id: api.request_id().map(str::to_owned),
                retry_after: api.retry_after().map(str::to_owned),
                message,
            },
            idv_core::Error::Config(config) => {
                let kind = match config.kind() {
                    idv_core::ConfigErrorKind::MissingSdkId
                    | idv_core::ConfigErrorKind::InvalidSdkId => ConfigErrorKind::InvalidSdkId,
                    idv_core::ConfigErrorKind::MissingKey
                    | idv_core::ConfigErrorKind::InvalidKey => ConfigErrorKind::InvalidKey,
                    idv_core::ConfigErrorKind::InvalidBaseUrl => ConfigErrorKind::InvalidBaseUrl,
                    idv_core::ConfigErrorKind::UnknownSdkId => ConfigErrorKind::UnknownSdkId,
                    idv_core::ConfigErrorKind::NoSuchEndpoint => ConfigErrorKind::NoSuchEndpoint,
                    _ => ConfigErrorKind::Other,
                };
                IdvError::Config {
                    kind,
                    status: config.api().map(|a| a.status().as_u16()),
                    code: config.api().and_then(|a| a.code()).map(str::to_owned),
                    message,
                }
            }
            idv_core::Error::InvalidInput(e) => IdvError::InvalidInput {
                field: e.field().to_owned(),
                reason: e.reason().to_owned(),
                message,
            },
            idv_core::Error::Sign(_) => IdvError::Sign { message },
            idv_core::Error::Transport(e) => IdvError::Transport {
                kind: e.kind().into(),
                message,
            },
            idv_core::Error::Decode(e) => IdvError::Decode {
                status: e.status().as_u16(),
                path: e.path().to_owned(),
                message,
            },
            // `Error` is non-exhaustive: a new kind reaches the host as a transport-level
            // failure with the SDK's own description until the binding names it.
            _ => IdvError::Transport {
                kind: TransportErrorKind::Other,
                message,
            },
        }
    }
}

impl From<idv_core::InvalidInputError> for IdvError {
    fn from(error: idv_core::InvalidInputError) -> Self {
        idv_core::Error::from(error).into()
    }
}

impl From<NotificationError> for IdvError {
    fn from(error: NotificationError) -> Self {
        IdvError::Notification {
            status: error.status().as_u16(),
            unauthorized: error.is_unauthorized(),
            message: error.to_string(),
        }
    }
}
