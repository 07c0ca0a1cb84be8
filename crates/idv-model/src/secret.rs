//! Values that must never be printed.

use std::fmt;

use serde::{Deserialize, Serialize};

/// The client session token of a session: the credential the end user's browser or app uses
/// to act on the session. It is a secret: `Debug` and `Display` print `<redacted>`; read it
/// with [`ClientSessionToken::expose_secret`] when you build the hosted page URL or hand it
/// to a front end.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ClientSessionToken(String);

impl ClientSessionToken {
    /// Wraps a token.
    pub fn new(token: impl Into<String>) -> Self {
        Self(token.into())
    }

    /// The token itself. Do not log it.
    pub fn expose_secret(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for ClientSessionToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ClientSessionToken(<redacted>)")
    }
}

impl fmt::Display for ClientSessionToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}
