//! Pure helpers for the hosted capture page and the selfie-authentication decision.

use std::fmt;

use idv_model::{
    CheckResponse, CheckState, CheckType, ClientSessionToken, GetSessionResult, SessionId,
    SessionState,
};

use crate::error::InvalidInputError;
use crate::request::{BaseUrl, encode_component, path_segment};

/// The URL of Yoti's hosted capture page for a session: open it in the user's browser or
/// embed it in an iframe.
///
/// It carries the client session token, so it is a secret too: `Debug` redacts it and there
/// is no `Display`; [`HostedPageUrl::expose_secret`] gives the URL.
#[derive(Clone, PartialEq, Eq)]
pub struct HostedPageUrl(String);

impl HostedPageUrl {
    /// `{base}/web/index.html?sessionID={session_id}&sessionToken={token}`, both values
    /// percent-encoded.
    ///
    /// ```
    /// use idv_core::{flow::HostedPageUrl, request::BaseUrl};
    /// use idv_model::ClientSessionToken;
    ///
    /// let url = HostedPageUrl::new(
    ///     &BaseUrl::default(),
    ///     &"9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a".into(),
    ///     &ClientSessionToken::new("1a2b3c4d"),
    /// )
    /// .unwrap();
    /// assert_eq!(
    ///     url.expose_secret(),
    ///     "https://api.yoti.com/idverify/v1/web/index.html\
    ///      ?sessionID=9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a&sessionToken=1a2b3c4d"
    /// );
    /// assert!(!format!("{url:?}").contains("1a2b3c4d"));
    /// ```
    ///
    /// # Errors
    ///
    /// [`InvalidInputError`] for an empty or dot-segment session id, or an empty token.
    pub fn new(
        base: &BaseUrl,
        session_id: &SessionId,
        token: &ClientSessionToken,
    ) -> Result<Self, InvalidInputError> {
        path_segment("session_id", session_id)?;
        if token.expose_secret().is_empty() {
            return Err(InvalidInputError::new(
                "client_session_token",
                "must not be empty",
            ));
        }
        Ok(Self(format!(
            "{}/web/index.html?sessionID={}&sessionToken={}",
            base.as_str(),
            encode_component(session_id),
            encode_component(token.expose_secret())
        )))
    }

    /// The URL, token included. Do not log it.
    pub fn expose_secret(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for HostedPageUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("HostedPageUrl(<redacted>)")
    }
}

/// The selfie-authentication decision of Yoti's face-comparison guide, with three outcomes.
///
/// * [`Pass`](SelfieAuthVerdict::Pass): the session is `COMPLETED`, at least one `LIVENESS`
///   check and every `FACE_COMPARISON` check are `DONE` and recommend `APPROVE`.
/// * [`Fail`](SelfieAuthVerdict::Fail): a final decision against the user: the session
///   `EXPIRED`, or it is `COMPLETED` and a finished check did not approve (or a check the
///   rule needs was never part of the session).
/// * [`Pending`](SelfieAuthVerdict::Pending): no decision yet. The session is still
///   `ONGOING` (the user may be mid-capture), or it is `COMPLETED` but the checks the rule
///   needs are not `DONE`. Ask again later; never turn a user away on this.
///
/// ```
/// # use idv_core::flow::SelfieAuthVerdict;
/// let ongoing: idv_model::GetSessionResult =
///     serde_json::from_str(r#"{"state":"ONGOING","checks":[]}"#).unwrap();
/// let verdict = SelfieAuthVerdict::evaluate(&ongoing);
/// assert!(verdict.is_pending());
/// assert_eq!(verdict.to_string(), "PENDING: the session is ONGOING");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum SelfieAuthVerdict {
    /// The user passed.
    Pass,
    /// A final decision against the user.
    Fail {
        /// Why, one entry per failed rule.
        reasons: Vec<String>,
    },
    /// No decision yet: evaluate again once the session has moved on.
    Pending {
        /// What is still awaited.
        reasons: Vec<String>,
    },
}

impl SelfieAuthVerdict {
    /// Applies the rule to a session. Every `FACE_COMPARISON` check must approve (there is
    /// normally one), and at least one `LIVENESS` check must (the user may have retried).
    pub fn evaluate(session: &GetSessionResult) -> Self {
        match &session.state {
            Some(SessionState::Completed) => {}
            Some(SessionState::Expired) => {
                return Self::Fail {
                    reasons: vec!["the session EXPIRED before its checks completed".to_owned()],
                };
            }
            Some(other) => {
                return Self::Pending {
                    reasons: vec![format!("the session is {}", other.as_str())],
                };
            }
            None => {
                return Self::Pending {
                    reasons: vec!["the session has no state yet".to_owned()],
                };
            }
        }
        let mut failed = Vec::new();
        let mut pending = Vec::new();

        let liveness: Vec<&CheckResponse> = session.checks_of_type(&CheckType::Liveness).collect();
        if liveness.is_empty() {
            failed.push("no LIVENESS check".to_owned());
        } else if !liveness.iter().any(|c| is_done(c) && c.is_approved()) {
            if liveness.iter().any(|c| !is_done(c)) {
                pending.push(format!(
                    "no LIVENESS check is DONE and APPROVE yet ({})",
                    describe(&liveness)
                ));
            } else {
                failed.push(format!(
                    "no LIVENESS check is APPROVE ({})",
                    describe(&liveness)
                ));
            }
        }

        let face: Vec<&CheckResponse> =
            session.checks_of_type(&CheckType::FaceComparison).collect();
        if face.is_empty() {
            failed.push("no FACE_COMPARISON check".to_owned());
        } else if face.iter().any(|c| is_done(c) && !c.is_approved()) {
            failed.push(format!(
                "FACE_COMPARISON is not APPROVE ({})",
                describe(&face)
            ));
        } else if face.iter().any(|c| !is_done(c)) {
            pending.push(format!(
                "FACE_COMPARISON is not DONE yet ({})",
                describe(&face)
            ));
        }

        if !failed.is_empty() {
            Self::Fail { reasons: failed }
        } else if !pending.is_empty() {
            Self::Pending { reasons: pending }
        } else {
            Self::Pass
        }
    }

    /// Whether the user passed.
    pub fn is_pass(&self) -> bool {
        matches!(self, Self::Pass)
    }

    /// Whether this is a final decision against the user.
    pub fn is_fail(&self) -> bool {
        matches!(self, Self::Fail { .. })
    }

    /// Whether there is no decision yet.
    pub fn is_pending(&self) -> bool {
        matches!(self, Self::Pending { .. })
    }

    /// Why the user failed, or what is still awaited (empty on a pass).
    pub fn reasons(&self) -> &[String] {
        match self {
            Self::Pass => &[],
            Self::Fail { reasons } | Self::Pending { reasons } => reasons,
        }
    }
}

/// Whether a check has reached a state it will not leave: `DONE`, or `INTERNAL_ERROR` (a
/// check Yoti could not carry out; in a completed session it will never report, so waiting
/// for it would keep the user pending for ever: it counts as finished and not approved).
fn is_done(check: &CheckResponse) -> bool {
    matches!(
        check.state(),
        Some(CheckState::Done | CheckState::InternalError)
    )
}

fn describe(checks: &[&CheckResponse]) -> String {
    checks
        .iter()
        .map(|c| {
            let state = c.state().map_or("no state", |s| s.as_str());
            match c.report().and_then(|r| r.recommendation.as_ref()) {
                Some(r) => match &r.reason {
                    Some(reason) => format!("{} {}: {}", state, r.value, reason),
                    None => format!("{} {}", state, r.value),
                },
                None => format!("{state}, no recommendation"),
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

impl fmt::Display for SelfieAuthVerdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Pass => f.write_str("PASS"),
            Self::Fail { reasons } => write!(f, "FAIL: {}", reasons.join("; ")),
            Self::Pending { reasons } => write!(f, "PENDING: {}", reasons.join("; ")),
        }
    }
}

/// The check types the selfie-authentication rule looks at.
pub const SELFIE_AUTH_CHECKS: [CheckType; 2] = [CheckType::Liveness, CheckType::FaceComparison];
