//! Pure helpers for the hosted capture page and the selfie-authentication decision.

use std::fmt;

use idv_model::{CheckResponse, CheckType, ClientSessionToken, GetSessionResult, SessionId};

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

/// The selfie-authentication decision of Yoti's face-comparison guide: pass when at least one
/// `LIVENESS` check and the `FACE_COMPARISON` check recommend `APPROVE`.
///
/// ```
/// # use idv_core::flow::SelfieAuthVerdict;
/// # let session: idv_model::GetSessionResult = serde_json::from_str(r#"{"checks":[]}"#).unwrap();
/// let verdict = SelfieAuthVerdict::evaluate(&session);
/// assert!(!verdict.is_pass());
/// assert_eq!(verdict.to_string(), "FAIL: no LIVENESS check; no FACE_COMPARISON check");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct SelfieAuthVerdict {
    reasons: Vec<String>,
}

impl SelfieAuthVerdict {
    /// Applies the rule to a session. Every `FACE_COMPARISON` check must approve (there is
    /// normally one), and at least one `LIVENESS` check must (the user may have retried).
    pub fn evaluate(session: &GetSessionResult) -> Self {
        let mut reasons = Vec::new();
        let liveness: Vec<&CheckResponse> = session.checks_of_type(&CheckType::Liveness).collect();
        if liveness.is_empty() {
            reasons.push("no LIVENESS check".to_owned());
        } else if !liveness.iter().any(|c| c.is_approved()) {
            reasons.push(format!(
                "no LIVENESS check is APPROVE ({})",
                describe(&liveness)
            ));
        }
        let face: Vec<&CheckResponse> =
            session.checks_of_type(&CheckType::FaceComparison).collect();
        if face.is_empty() {
            reasons.push("no FACE_COMPARISON check".to_owned());
        } else if !face.iter().all(|c| c.is_approved()) {
            reasons.push(format!(
                "FACE_COMPARISON is not APPROVE ({})",
                describe(&face)
            ));
        }
        Self { reasons }
    }

    /// Whether the user passed.
    pub fn is_pass(&self) -> bool {
        self.reasons.is_empty()
    }

    /// Why the user failed (empty on a pass).
    pub fn reasons(&self) -> &[String] {
        &self.reasons
    }
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
        if self.is_pass() {
            f.write_str("PASS")
        } else {
            write!(f, "FAIL: {}", self.reasons.join("; "))
        }
    }
}

/// The check types the selfie-authentication rule looks at.
pub const SELFIE_AUTH_CHECKS: [CheckType; 2] = [CheckType::Liveness, CheckType::FaceComparison];
