//! Receiving Yoti's notifications (webhooks), framework-neutral.
//!
//! When a session specification has a `notifications` object, Yoti `POST`s a small JSON
//! document to its `endpoint` as the session progresses, for each subscribed topic:
//!
//! ```json
//! {"session_id": "…", "topic": "check_completion", "check_id": "…"}
//! ```
//!
//! The only authenticity mechanism is the `Authorization` header built from the session's
//! `auth_token` and `auth_type`: `Basic base64(auth_token)` (Yoti does the base64 encoding of
//! the configured `username:password` string) or `Bearer auth_token`. The payload carries no
//! signature, timestamp or event id, and Yoti documents no ordering or retry policy, so
//! treat a notification as a hint: read the session (`get_session`) for the result, and
//! answer `200` quickly.
//!
//! This module gives the receiving side, with no web framework in its signatures:
//!
//! * [`NotificationAuth`] holds the configured token (a secret: redacted `Debug`, zeroized on
//!   drop) and [verifies](NotificationAuth::verify) the `Authorization` header of an
//!   `http::HeaderMap` in constant time;
//! * [`Notification`] is the payload: [`Topic`] (an open enum), the session id, the optional
//!   check, task and resource ids, and every other field in [`Notification::extra`];
//! * [`Notification::from_request`] does both, headers first, then the body (at most
//!   [`MAX_BODY_BYTES`]);
//! * [`NotificationError::status`] is the status to answer with: 401, 400 or 413.
//!
//! ```
//! use idv_core::notifications::{Notification, NotificationAuth, Topic};
//!
//! let auth = NotificationAuth::basic("username:password");
//! // in your handler: the request's headers and body bytes
//! let mut headers = http::HeaderMap::new();
//! headers.insert(http::header::AUTHORIZATION, "Basic dXNlcm5hbWU6cGFzc3dvcmQ=".parse()?);
//! let body = br#"{"session_id":"abc","topic":"session_completion"}"#;
//!
//! match Notification::from_request(&headers, body, &auth) {
//!     Ok(notification) => {
//!         assert_eq!(notification.topic, Topic::SessionCompletion);
//!         // answer 200, then fetch the session
//!     }
//!     Err(e) => {
//!         // answer e.status() (401, 400 or 413); e never contains the token or the header
//!         let _ = e.status();
//!     }
//! }
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! Errors and `Debug` output never contain the configured token or the received header value.

use std::borrow::Cow;
use std::fmt;
use std::str::FromStr;

use base64::Engine as _;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use http::{HeaderMap, StatusCode, header::AUTHORIZATION};
use idv_model::{CheckId, ResourceId, SessionId, TaskId};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Value};
use subtle::ConstantTimeEq;
use zeroize::Zeroizing;

/// The largest notification body accepted: 64 KiB. Yoti's notifications are a few hundred
/// bytes; anything much larger is not one.
pub const MAX_BODY_BYTES: usize = 64 * 1024;

/// Base64 as Yoti sends it (standard alphabet), accepting bodies with or without padding.
const BASE64_LENIENT: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::STANDARD,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

// ---------------------------------------------------------------------------------------------
// Topic

/// What a notification is about: the `topic` of the payload.
///
/// The payload carries topics in lower case (`session_completion`), the session
/// specification in upper case (`SESSION_COMPLETION`): [`Topic::parse`] accepts any case,
/// [`Topic::as_str`] gives the payload's form and [`Topic::as_spec_str`] the specification's.
/// A topic this version does not know is kept as [`Topic::Unknown`] with the raw value.
///
/// ```
/// use idv_core::notifications::Topic;
///
/// assert_eq!(Topic::parse("session_completion"), Topic::SessionCompletion);
/// assert_eq!(Topic::parse("SESSION_COMPLETION"), Topic::SessionCompletion);
/// assert_eq!(Topic::SessionCompletion.as_str(), "session_completion");
/// assert_eq!(Topic::SessionCompletion.as_spec_str(), "SESSION_COMPLETION");
/// assert_eq!(Topic::parse("brand_new"), Topic::Unknown("brand_new".into()));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Topic {
    /// A resource of the session changed, e.g. the user uploaded a document
    /// (`resource_id` is set).
    ResourceUpdate,
    /// A task completed, e.g. text extraction (`task_id` is set).
    TaskCompletion,
    /// A check completed (`check_id` is set).
    CheckCompletion,
    /// Every task and every check of the session completed: read the result now.
    SessionCompletion,
    /// The client session token was deleted.
    ClientSessionTokenDeleted,
    /// In-Branch Verification: the user downloaded the instructions PDF.
    NewPdfSupplied,
    /// In-Branch Verification: the instructions e-mail should be sent.
    InstructionsEmailRequested,
    /// In-Branch Verification: the thank-you e-mail should be sent.
    ThankYouEmailRequested,
    /// In-Branch Verification: the user visited a branch for the first time.
    FirstBranchVisit,
    /// A topic this version does not know, as received.
    Unknown(String),
}

/// `(topic, payload form, specification form)` of every known topic.
const KNOWN: [(Topic, &str, &str); 9] = [
    (Topic::ResourceUpdate, "resource_update", "RESOURCE_UPDATE"),
    (Topic::TaskCompletion, "task_completion", "TASK_COMPLETION"),
    (
        Topic::CheckCompletion,
        "check_completion",
        "CHECK_COMPLETION",
    ),
    (
        Topic::SessionCompletion,
        "session_completion",
        "SESSION_COMPLETION",
    ),
    (
        Topic::ClientSessionTokenDeleted,
        "client_session_token_deleted",
        "CLIENT_SESSION_TOKEN_DELETED",
    ),
    (
        Topic::NewPdfSupplied,
        "new_pdf_supplied",
        "NEW_PDF_SUPPLIED",
    ),
    (
        Topic::InstructionsEmailRequested,
        "instructions_email_requested",
        "INSTRUCTIONS_EMAIL_REQUESTED",
    ),
    (
        Topic::ThankYouEmailRequested,
        "thank_you_email_requested",
        "THANK_YOU_EMAIL_REQUESTED",
    ),
    (
        Topic::FirstBranchVisit,
        "first_branch_visit",
        "FIRST_BRANCH_VISIT",
    ),
];

impl Topic {
    /// Every topic this version knows, in the order of the documentation.
    pub fn known() -> impl Iterator<Item = Topic> {
        KNOWN.into_iter().map(|(topic, _, _)| topic)
    }

    /// Parses a topic in any case; an unknown one is kept as [`Topic::Unknown`], unchanged.
    pub fn parse(value: &str) -> Topic {
        KNOWN
            .into_iter()
            .find(|(_, wire, _)| wire.eq_ignore_ascii_case(value))
            .map_or_else(|| Topic::Unknown(value.to_owned()), |(topic, _, _)| topic)
    }

    fn names(&self) -> Option<(&'static str, &'static str)> {
        KNOWN
            .iter()
            .find(|(topic, _, _)| topic == self)
            .map(|(_, wire, spec)| (*wire, *spec))
    }

    /// The topic as the payload carries it: lower case (`session_completion`); an unknown
    /// topic as received.
    pub fn as_str(&self) -> &str {
        match self {
            Topic::Unknown(raw) => raw,
            known => known.names().map_or("", |(wire, _)| wire),
        }
    }

    /// The topic as a session specification lists it: upper case (`SESSION_COMPLETION`); an
    /// unknown topic upper-cased.
    pub fn as_spec_str(&self) -> Cow<'_, str> {
        match self {
            Topic::Unknown(raw) => Cow::Owned(raw.to_ascii_uppercase()),
            known => Cow::Borrowed(known.names().map_or("", |(_, spec)| spec)),
        }
    }

    /// Whether this is a topic of In-Branch Verification (IBV) sessions.
    pub fn is_ibv(&self) -> bool {
        matches!(
            self,
            Topic::NewPdfSupplied
                | Topic::InstructionsEmailRequested
                | Topic::ThankYouEmailRequested
                | Topic::FirstBranchVisit
        )
    }

    /// Whether the topic is one this version knows.
    pub fn is_known(&self) -> bool {
        !matches!(self, Topic::Unknown(_))
    }
}

impl fmt::Display for Topic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Topic {
    type Err = std::convert::Infallible;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(Topic::parse(s))
    }
}

impl From<&str> for Topic {
    fn from(value: &str) -> Self {
        Topic::parse(value)
    }
}

impl Serialize for Topic {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Topic {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw = Cow::<'de, str>::deserialize(deserializer)?;
        Ok(Topic::parse(&raw))
    }
}

// ---------------------------------------------------------------------------------------------
// Notification

/// One notification: the JSON document Yoti `POST`s to the notification endpoint.
///
/// Only `session_id` and `topic` are always present. `check_id`, `task_id` and
/// `resource_id` come with the check-completion, task-completion and resource-update topics;
/// every other field is kept in [`Notification::extra`], so nothing the service adds is lost.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Notification {
    /// The session the notification is about.
    pub session_id: SessionId,
    /// What happened.
    pub topic: Topic,
    /// The completed check (topic `check_completion`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub check_id: Option<CheckId>,
    /// The completed task (topic `task_completion`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub task_id: Option<TaskId>,
    /// The updated resource (topic `resource_update`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resource_id: Option<ResourceId>,
    /// Every other field of the payload, as received.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl Notification {
    /// The largest body accepted: [`MAX_BODY_BYTES`].
    pub const MAX_BODY_BYTES: usize = MAX_BODY_BYTES;

    /// A notification about `session_id` (for tests and emulators; receivers parse one).
    pub fn new(session_id: impl Into<SessionId>, topic: Topic) -> Self {
        Self {
            session_id: session_id.into(),
            topic,
            check_id: None,
            task_id: None,
            resource_id: None,
            extra: Map::new(),
        }
    }

    /// Sets the check id.
    pub fn with_check_id(mut self, id: impl Into<CheckId>) -> Self {
        self.check_id = Some(id.into());
        self
    }

    /// Sets the task id.
    pub fn with_task_id(mut self, id: impl Into<TaskId>) -> Self {
        self.task_id = Some(id.into());
        self
    }

    /// Sets the resource id.
    pub fn with_resource_id(mut self, id: impl Into<ResourceId>) -> Self {
        self.resource_id = Some(id.into());
        self
    }

    /// Verifies the `Authorization` header against `auth`, then parses the body: the whole
    /// job of a notification endpoint, minus answering. Nothing of an unauthenticated
    /// request's body is looked at.
    ///
    /// # Errors
    /// See [`NotificationAuth::verify`] and [`Notification::from_slice`];
    /// [`NotificationError::status`] is the status to answer with.
    pub fn from_request(
        headers: &HeaderMap,
        body: &[u8],
        auth: &NotificationAuth,
    ) -> Result<Notification, NotificationError> {
        auth.verify(headers)?;
        Notification::from_slice(body)
    }

    /// [`Notification::from_request`] for a whole `http::Request` whose body is bytes.
    ///
    /// # Errors
    /// See [`Notification::from_request`].
    pub fn from_http_request<B: AsRef<[u8]>>(
        request: &http::Request<B>,
        auth: &NotificationAuth,
    ) -> Result<Notification, NotificationError> {
        Notification::from_request(request.headers(), request.body().as_ref(), auth)
    }

    /// Parses a notification body, with no authentication: call
    /// [`NotificationAuth::verify`] first (or use [`Notification::from_request`]).
    ///
    /// The body must be a JSON object of at most [`MAX_BODY_BYTES`] bytes with a non-empty
    /// string `session_id` and `topic`; `check_id`, `task_id` and `resource_id`, when
    /// present and not `null`, must be strings.
    ///
    /// # Errors
    /// [`NotificationError::BodyTooLarge`], or [`NotificationError::InvalidBody`] saying
    /// what is wrong (never quoting the body's values).
    ///
    /// ```
    /// use idv_core::notifications::{Notification, Topic};
    ///
    /// let n = Notification::from_slice(
    ///     br#"{"session_id":"s1","topic":"check_completion","check_id":"c1","new":1}"#,
    /// )?;
    /// assert_eq!((n.topic, n.check_id.as_deref()), (Topic::CheckCompletion, Some("c1")));
    /// assert_eq!(n.extra["new"], 1);
    /// # Ok::<(), idv_core::notifications::NotificationError>(())
    /// ```
    pub fn from_slice(body: &[u8]) -> Result<Notification, NotificationError> {
        if body.len() > MAX_BODY_BYTES {
            return Err(NotificationError::BodyTooLarge {
                size: body.len(),
                limit: MAX_BODY_BYTES,
            });
        }
        if body.iter().all(u8::is_ascii_whitespace) {
            return Err(NotificationError::invalid("the body is empty"));
        }
        let value: Value = serde_json::from_slice(body).map_err(|e| {
            NotificationError::invalid(format!(
                "not valid JSON (line {}, column {})",
                e.line(),
                e.column()
            ))
        })?;
        match value {
            Value::Object(map) => Notification::from_map(map).map_err(NotificationError::invalid),
            _ => Err(NotificationError::invalid("not a JSON object")),
        }
    }

    /// Builds a notification from the fields of a JSON object. The error names the field
    /// and what is wrong, never its value.
    fn from_map(mut map: Map<String, Value>) -> Result<Notification, String> {
        let mut required = |name: &str| match map.remove(name) {
            Some(Value::String(s)) if !s.is_empty() => Ok(s),
            Some(Value::String(_)) => Err(format!("`{name}` is empty")),
            Some(_) => Err(format!("`{name}` is not a string")),
            None => Err(format!("`{name}` is missing")),
        };
        let session_id = required("session_id")?;
        let topic = Topic::parse(&required("topic")?);
        let mut optional = |name: &str| match map.remove(name) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s)),
            Some(_) => Err(format!("`{name}` is not a string")),
        };
        let check_id = optional("check_id")?;
        let task_id = optional("task_id")?;
        let resource_id = optional("resource_id")?;
        Ok(Notification {
            session_id: SessionId::from(session_id),
            topic,
            check_id: check_id.map(CheckId::from),
            task_id: task_id.map(TaskId::from),
            resource_id: resource_id.map(ResourceId::from),
            extra: map,
        })
    }
}

impl<'de> Deserialize<'de> for Notification {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let map = Map::<String, Value>::deserialize(deserializer)?;
        Notification::from_map(map).map_err(serde::de::Error::custom)
    }
}

// ---------------------------------------------------------------------------------------------
// Authentication

/// How the notification token is sent: the session specification's `auth_type`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum AuthType {
    /// `Authorization: Basic base64(auth_token)`: what Yoti recommends; `auth_token` is
    /// usually `username:password`.
    Basic,
    /// `Authorization: Bearer auth_token`.
    Bearer,
}

impl AuthType {
    /// The value in the session specification: `BASIC` or `BEARER`.
    pub fn as_spec_str(&self) -> &'static str {
        match self {
            AuthType::Basic => "BASIC",
            AuthType::Bearer => "BEARER",
        }
    }

    /// The HTTP authentication scheme: `Basic` or `Bearer`.
    pub fn scheme(&self) -> &'static str {
        match self {
            AuthType::Basic => "Basic",
            AuthType::Bearer => "Bearer",
        }
    }

    /// Parses `BASIC` or `BEARER`, in any case.
    pub fn parse(value: &str) -> Option<AuthType> {
        [AuthType::Basic, AuthType::Bearer]
            .into_iter()
            .find(|t| t.as_spec_str().eq_ignore_ascii_case(value))
    }
}

impl fmt::Display for AuthType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.scheme())
    }
}

/// The notification credentials configured in the session specification (`auth_token` and
/// `auth_type`), and the check of an incoming `Authorization` header against them.
///
/// The token is a secret: `Debug` does not show it, no error contains it, and its memory is
/// zeroized when the value is dropped.
///
/// ```
/// use idv_core::notifications::NotificationAuth;
///
/// let auth = NotificationAuth::bearer("s3cret-token");
/// let mut headers = http::HeaderMap::new();
/// headers.insert(http::header::AUTHORIZATION, "bearer s3cret-token".parse()?);
/// assert!(auth.verify(&headers).is_ok());
/// assert_eq!(format!("{auth:?}"), r#"NotificationAuth { auth_type: Bearer, token: "<redacted>" }"#);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone)]
pub struct NotificationAuth {
    auth_type: AuthType,
    token: Zeroizing<String>,
}

impl NotificationAuth {
    /// Credentials sent as `auth_type`. An empty token never verifies.
    pub fn new(token: impl Into<String>, auth_type: AuthType) -> Self {
        Self {
            auth_type,
            token: Zeroizing::new(token.into()),
        }
    }

    /// `auth_type` `BASIC`: Yoti sends `Authorization: Basic base64(token)`. `token` is the
    /// `auth_token` of the session specification as configured (e.g.
    /// `username:password`), not base64-encoded.
    pub fn basic(token: impl Into<String>) -> Self {
        Self::new(token, AuthType::Basic)
    }

    /// `auth_type` `BEARER`: Yoti sends `Authorization: Bearer token`.
    pub fn bearer(token: impl Into<String>) -> Self {
        Self::new(token, AuthType::Bearer)
    }

    /// How the token is sent.
    pub fn auth_type(&self) -> AuthType {
        self.auth_type
    }

    /// The configured token, for building the session specification's `auth_token`.
    pub fn expose_token(&self) -> &str {
        &self.token
    }

    /// The `Authorization` header value Yoti sends for these credentials, marked sensitive
    /// (for tests, emulators and replaying). `None` when the token cannot be sent in a
    /// header (a Bearer token with control characters).
    pub fn to_header_value(&self) -> Option<http::HeaderValue> {
        let value = Zeroizing::new(match self.auth_type {
            AuthType::Basic => format!(
                "Basic {}",
                base64::engine::general_purpose::STANDARD.encode(self.token.as_bytes())
            ),
            AuthType::Bearer => format!("Bearer {}", self.token.as_str()),
        });
        let mut header = http::HeaderValue::from_str(&value).ok()?;
        header.set_sensitive(true);
        Some(header)
    }

    /// Checks the request's `Authorization` header against the configured credentials.
    ///
    /// Exactly one `Authorization` header must be present; its scheme (`Basic` or `Bearer`,
    /// in any case) must be the configured one; its credentials must equal the token —
    /// for Basic, once base64-decoded (padding optional). The comparison of the credentials
    /// takes a time that does not depend on the token's content (it may reveal its length).
    ///
    /// # Errors
    /// [`NotificationError::MissingAuthorization`],
    /// [`NotificationError::MultipleAuthorization`], [`NotificationError::WrongScheme`] or
    /// [`NotificationError::WrongCredentials`]; all answer 401.
    pub fn verify(&self, headers: &HeaderMap) -> Result<(), NotificationError> {
        let mut values = headers.get_all(AUTHORIZATION).iter();
        let value = values
            .next()
            .ok_or(NotificationError::MissingAuthorization)?;
        if values.next().is_some() {
            return Err(NotificationError::MultipleAuthorization);
        }
        let (scheme, credentials) = split_authorization(value.as_bytes());
        if !scheme.eq_ignore_ascii_case(self.auth_type.scheme().as_bytes()) {
            return Err(NotificationError::WrongScheme {
                expected: self.auth_type,
            });
        }
        if credentials.is_empty() || self.token.is_empty() {
            return Err(NotificationError::WrongCredentials);
        }
        let matches = match self.auth_type {
            AuthType::Basic => match BASE64_LENIENT.decode(credentials) {
                Ok(decoded) => {
                    let decoded = Zeroizing::new(decoded);
                    bool::from(decoded.as_slice().ct_eq(self.token.as_bytes()))
                }
                Err(_) => false,
            },
            AuthType::Bearer => bool::from(credentials.ct_eq(self.token.as_bytes())),
        };
        if matches {
            Ok(())
        } else {
            Err(NotificationError::WrongCredentials)
        }
    }
}

impl fmt::Debug for NotificationAuth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("NotificationAuth")
            .field("auth_type", &self.auth_type)
            .field("token", &"<redacted>")
            .finish()
    }
}

/// Splits `scheme SP credentials` (RFC 9110 §11.4), trimming optional whitespace. A value
/// with no space is all scheme.
fn split_authorization(value: &[u8]) -> (&[u8], &[u8]) {
    let is_ws = |b: &u8| *b == b' ' || *b == b'\t';
    let value = value.trim_ascii();
    match value.iter().position(is_ws) {
        Some(i) => (&value[..i], value[i..].trim_ascii()),
        None => (value, &[]),
    }
}

// ---------------------------------------------------------------------------------------------
// Errors

/// Why a notification was refused. Never contains the token, the `Authorization` header
/// value or values from the body.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum NotificationError {
    /// The request has no `Authorization` header.
    MissingAuthorization,
    /// The request has more than one `Authorization` header.
    MultipleAuthorization,
    /// The `Authorization` header does not use the configured scheme (or has none).
    WrongScheme {
        /// The configured scheme.
        expected: AuthType,
    },
    /// The `Authorization` header's credentials are not the configured token.
    WrongCredentials,
    /// The body is larger than [`MAX_BODY_BYTES`].
    BodyTooLarge {
        /// The body's size in bytes.
        size: usize,
        /// The limit in bytes.
        limit: usize,
    },
    /// The body is not a notification.
    InvalidBody {
        /// What is wrong (a field name and a problem; never a value from the body).
        reason: String,
    },
}

impl NotificationError {
    fn invalid(reason: impl Into<String>) -> Self {
        NotificationError::InvalidBody {
            reason: reason.into(),
        }
    }

    /// Whether the request failed authentication (answer 401).
    pub fn is_unauthorized(&self) -> bool {
        matches!(
            self,
            NotificationError::MissingAuthorization
                | NotificationError::MultipleAuthorization
                | NotificationError::WrongScheme { .. }
                | NotificationError::WrongCredentials
        )
    }

    /// The status to answer with: 401 for authentication failures, 413 for a body over the
    /// limit, 400 for a body that is not a notification.
    pub fn status(&self) -> StatusCode {
        match self {
            NotificationError::BodyTooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            NotificationError::InvalidBody { .. } => StatusCode::BAD_REQUEST,
            _ => StatusCode::UNAUTHORIZED,
        }
    }
}

impl fmt::Display for NotificationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NotificationError::MissingAuthorization => {
                f.write_str("the notification has no Authorization header")
            }
            NotificationError::MultipleAuthorization => {
                f.write_str("the notification has more than one Authorization header")
            }
            NotificationError::WrongScheme { expected } => write!(
                f,
                "the notification's Authorization header does not use the {expected} scheme"
            ),
            NotificationError::WrongCredentials => f.write_str(
                "the notification's Authorization credentials do not match the configured token",
            ),
            NotificationError::BodyTooLarge { size, limit } => write!(
                f,
                "the notification body is {size} bytes, over the limit of {limit} bytes"
            ),
            NotificationError::InvalidBody { reason } => {
                write!(f, "the notification body is invalid: {reason}")
            }
        }
    }
}

impl std::error::Error for NotificationError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_authorization_values() {
        assert_eq!(
            split_authorization(b"Basic abc"),
            (&b"Basic"[..], &b"abc"[..])
        );
        assert_eq!(
            split_authorization(b" Bearer \t tok  "),
            (&b"Bearer"[..], &b"tok"[..])
        );
        assert_eq!(split_authorization(b"Basic"), (&b"Basic"[..], &b""[..]));
        assert_eq!(split_authorization(b""), (&b""[..], &b""[..]));
    }

    #[test]
    fn every_known_topic_round_trips() {
        for topic in Topic::known() {
            assert!(topic.is_known());
            assert_eq!(Topic::parse(topic.as_str()), topic);
            assert_eq!(Topic::parse(&topic.as_spec_str()), topic);
            assert_eq!(topic.as_str().to_ascii_uppercase(), topic.as_spec_str());
        }
        assert_eq!(Topic::known().count(), 9);
    }
}
