//! Failures: one line of text and an exit code, with a hint for the usual causes.

use std::fmt;

use idv::{Error, ErrorReport};

/// What kind of failure, i.e. which exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// 1: the API answered with an error (or an undecodable body).
    Api,
    /// 2: bad arguments or configuration.
    Usage,
    /// 3: the server could not be reached, or the exchange broke.
    Transport,
    /// 4: a local file could not be written, or a port not bound.
    Io,
}

/// A failed command: the line printed after `error: ` and the exit code.
#[derive(Debug)]
pub(crate) struct Failure {
    kind: Kind,
    message: String,
    /// Nothing to say: standard output was closed by its reader.
    quiet: bool,
}

impl Failure {
    pub(crate) fn new(kind: Kind, message: impl fmt::Display) -> Self {
        Self {
            kind,
            message: message.to_string(),
            quiet: false,
        }
    }

    /// Standard output was closed by its reader (`idv ... | head -1`): exit code 4 and no
    /// message, as other command-line tools end then.
    pub(crate) fn closed_stdout() -> Self {
        Self {
            kind: Kind::Io,
            message: String::new(),
            quiet: true,
        }
    }

    /// Whether nothing is to be printed (see [`Failure::closed_stdout`]).
    pub(crate) fn is_quiet(&self) -> bool {
        self.quiet
    }

    pub(crate) fn usage(message: impl fmt::Display) -> Self {
        Self::new(Kind::Usage, message)
    }

    pub(crate) fn io(message: impl fmt::Display) -> Self {
        Self::new(Kind::Io, message)
    }

    /// The text after `error: `, on one line, with every control or escape character
    /// (the API's message and code come from a server) neutralised.
    pub(crate) fn message(&self) -> String {
        crate::clean::clean(&self.message).into_owned()
    }

    pub(crate) fn code(&self) -> u8 {
        match self.kind {
            Kind::Api => 1,
            Kind::Usage => 2,
            Kind::Transport => 3,
            Kind::Io => 4,
        }
    }

    /// Describes an SDK error from the call `what` (e.g. "get session") made to `base_url`.
    pub(crate) fn from_sdk(what: &str, base_url: &str, err: &Error) -> Self {
        match err {
            // Misconfiguration the service's answer revealed (unknown SDK id, wrong URL).
            Error::Config(config) => match config.api() {
                Some(api) => {
                    let mut message = format!("{what}: {config}");
                    if let Some(hint) = api_hint(api.status().as_u16(), api.code()) {
                        message.push_str("; hint: ");
                        message.push_str(hint);
                    }
                    Self::new(Kind::Api, message)
                }
                None => Self::usage(format!("{what}: {}", ErrorReport(err))),
            },
            Error::Api(api) => {
                let mut message = format!("{what}: the API answered {api}");
                if let Some(id) = api.request_id() {
                    message.push_str(&format!(" (request id {id})"));
                }
                if let Some(hint) = api_hint(api.status().as_u16(), api.code()) {
                    message.push_str("; hint: ");
                    message.push_str(hint);
                }
                Self::new(Kind::Api, message)
            }
            Error::Decode(e) => Self::new(
                Kind::Api,
                format!(
                    "{what}: the API answered {} with a body that could not be decoded ({e}); \
                     hint: check that {base_url} is an IDV API",
                    e.status()
                ),
            ),
            Error::Transport(t) if t.is_connect() => Self::new(
                Kind::Transport,
                format!(
                    "{what}: cannot connect to {base_url} ({}); hint: check --api-url / \
                     YOTI_IDV_API_URL and that the server is running",
                    ErrorReport(t)
                ),
            ),
            Error::Transport(t) if t.is_timeout() => Self::new(
                Kind::Transport,
                format!(
                    "{what}: {base_url} did not answer in time ({}); hint: raise --timeout, or \
                     check that the server is healthy",
                    ErrorReport(t)
                ),
            ),
            Error::Transport(t) => Self::new(
                Kind::Transport,
                format!("{what}: {} (server {base_url})", ErrorReport(t)),
            ),
            Error::InvalidInput(_) => Self::usage(format!("{what}: {}", ErrorReport(err))),
            Error::Sign(_) => Self::usage(format!(
                "{what}: {}; hint: check the key with `idv key check`",
                ErrorReport(err)
            )),
            _ => Self::new(Kind::Api, format!("{what}: {}", ErrorReport(err))),
        }
    }
}

/// What to check for an API error status.
fn api_hint(status: u16, code: Option<&str>) -> Option<&'static str> {
    let code = code.unwrap_or_default();
    Some(match status {
        400 => "the request was refused as invalid; see the properties named above",
        401 => {
            "check the SDK id, and that the key is the private half of the key pair registered \
             for it (`idv key check KEY.pem` prints its public key's fingerprint)"
        }
        403 => "the application is not allowed to do this; check the SDK id and its settings",
        404 if code.contains("APPLICATION") => {
            "no application has this SDK id here; check --sdk-id / YOTI_CLIENT_SDK_ID and \
             --api-url"
        }
        404 if code.contains("MEDIA") => {
            "check the media id (`idv session get SESSION_ID` lists them) and the session id"
        }
        404 if code.contains("SESSION") => {
            "check the session id (sessions are visible only to the application that created \
             them)"
        }
        404 => "check the session and media ids, and --api-url",
        409 => "the session's state does not allow this now (for example it is still ONGOING)",
        413 => "the request body is too large",
        429 => "too many requests; wait and try again",
        500..=599 => "the service failed; try again later",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hints_follow_status_and_code() {
        assert!(api_hint(401, None).is_some_and(|h| h.contains("SDK id")));
        assert!(api_hint(404, Some("SESSION_NOT_FOUND")).is_some_and(|h| h.contains("session id")));
        assert!(api_hint(404, Some("MEDIA_NOT_FOUND")).is_some_and(|h| h.contains("media id")));
        assert!(
            api_hint(404, Some("APPLICATION_NOT_FOUND")).is_some_and(|h| h.contains("--sdk-id"))
        );
        assert_eq!(api_hint(418, None), None);
    }

    #[test]
    fn messages_are_one_line() {
        let failure = Failure::usage("a\nb\r\nc\u{1b}[2J");
        assert_eq!(failure.message(), "a\\nb\\r\\nc\\u{1b}[2J");
        assert_eq!(failure.code(), 2);
    }
}
