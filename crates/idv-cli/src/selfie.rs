//! The selfie-authentication flow of Yoti's face-comparison guide, as the CLI runs it: the
//! built-in session template, the reference image, the sandbox outcomes and the verdict.

use std::fmt;
use std::io::Read;
use std::path::Path;

use idv::SelfieAuthVerdict;
use idv::model::sandbox::{SandboxCheckReport, SandboxCheckReports, SandboxResponseConfig};
use idv::model::{
    GetSessionResult, RequestedFaceComparisonCheck, RequestedLivenessCheck, SdkConfig,
    SessionSpecification, UploadFaceCaptureImagePayload,
};

use crate::failure::Failure;

/// The largest reference image `upload-reference` reads (the CLI's own limit).
pub(crate) const MAX_IMAGE_BYTES: u64 = 10 * 1024 * 1024;

/// The options of the built-in selfie template (`idv session create --selfie`).
#[derive(Debug, Clone, Default)]
pub(crate) struct SelfieOptions {
    pub(crate) success_url: Option<String>,
    pub(crate) error_url: Option<String>,
    pub(crate) user_tracking_id: Option<String>,
    pub(crate) client_session_token_ttl: u64,
    pub(crate) resources_ttl: u64,
    pub(crate) liveness_max_retries: u32,
}

/// The session of the face-comparison guide: a static `LIVENESS` check and a
/// `FACE_COMPARISON` check (no manual check), with the given URLs, tracking id and TTLs.
pub(crate) fn selfie_spec(options: &SelfieOptions) -> SessionSpecification {
    let mut sdk_config = SdkConfig::new().with_allow_handoff(true);
    if let Some(url) = &options.success_url {
        sdk_config = sdk_config.with_success_url(url.clone());
    }
    if let Some(url) = &options.error_url {
        sdk_config = sdk_config.with_error_url(url.clone());
    }
    let mut spec = SessionSpecification::new()
        .with_client_session_token_ttl(options.client_session_token_ttl)
        .with_resources_ttl(options.resources_ttl)
        .with_requested_check(
            RequestedLivenessCheck::static_liveness()
                .with_max_retries(options.liveness_max_retries),
        )
        .with_requested_check(RequestedFaceComparisonCheck::new().with_manual_check_never())
        .with_sdk_config(sdk_config);
    if let Some(id) = &options.user_tracking_id {
        spec = spec.with_user_tracking_id(id.clone());
    }
    spec
}

/// Reads a JPEG or PNG reference image (by its first bytes), at most [`MAX_IMAGE_BYTES`].
pub(crate) fn reference_image(path: &Path) -> Result<UploadFaceCaptureImagePayload, Failure> {
    let cannot = |e: std::io::Error| Failure::usage(format!("cannot read {}: {e}", path.display()));
    let file = std::fs::File::open(path).map_err(cannot)?;
    let mut bytes = Vec::new();
    file.take(MAX_IMAGE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(cannot)?;
    if bytes.len() as u64 > MAX_IMAGE_BYTES {
        return Err(Failure::usage(format!(
            "{}: larger than {} MiB, the limit for a reference image",
            path.display(),
            MAX_IMAGE_BYTES / (1024 * 1024)
        )));
    }
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Ok(UploadFaceCaptureImagePayload::jpeg(bytes))
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Ok(UploadFaceCaptureImagePayload::png(bytes))
    } else {
        Err(Failure::usage(format!(
            "{}: not a JPEG or PNG image (the API takes only these)",
            path.display()
        )))
    }
}

/// What the sandbox reports for one check (`idv sandbox complete --liveness ...`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Outcome {
    Approve,
    Reject(String),
    NotAvailable(String),
}

impl Outcome {
    /// `approve`, `reject[:REASON]` or `not-available[:REASON]`.
    pub(crate) fn parse(text: &str) -> Result<Self, String> {
        let (word, reason) = match text.split_once(':') {
            Some((word, reason)) => (word, Some(reason.trim())),
            None => (text, None),
        };
        match (word.trim().to_ascii_lowercase().as_str(), reason) {
            ("approve", None) => Ok(Outcome::Approve),
            ("reject", reason) => Ok(Outcome::Reject(
                reason.unwrap_or("DIFFERENT_PERSON").to_owned(),
            )),
            ("not-available", reason) => Ok(Outcome::NotAvailable(
                reason.unwrap_or("REFERENCE_IMAGE_MISSING").to_owned(),
            )),
            _ => Err("expected approve, reject[:REASON] or not-available[:REASON]".to_owned()),
        }
    }

    fn report(&self) -> SandboxCheckReport {
        match self {
            Outcome::Approve => SandboxCheckReport::approve(),
            Outcome::Reject(reason) => SandboxCheckReport::reject(reason.clone()),
            Outcome::NotAvailable(reason) => SandboxCheckReport::not_available(reason.clone()),
        }
    }
}

/// The sandbox response configuration scripting these outcomes (`None` if neither is set).
pub(crate) fn sandbox_config(
    liveness: Option<&Outcome>,
    face_comparison: Option<&Outcome>,
) -> Option<SandboxResponseConfig> {
    if liveness.is_none() && face_comparison.is_none() {
        return None;
    }
    let mut reports = SandboxCheckReports::new();
    if let Some(outcome) = liveness {
        reports = reports.with_static_liveness(outcome.report());
    }
    if let Some(outcome) = face_comparison {
        reports = reports.with_face_comparison(outcome.report());
    }
    Some(SandboxResponseConfig::new().with_check_reports(reports))
}

/// The selfie-authentication outcome printed by `idv session verdict`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Verdict {
    /// A final pass: exit code 0.
    Pass,
    /// A final failure, with its reasons: exit code 5.
    Fail(Vec<String>),
    /// Not decided yet (the user or Yoti is not done), with what is missing: exit code 6.
    Pending(Vec<String>),
}

impl Verdict {
    /// `PASS`, `FAIL` or `PENDING`.
    pub(crate) fn word(&self) -> &'static str {
        match self {
            Verdict::Pass => "PASS",
            Verdict::Fail(_) => "FAIL",
            Verdict::Pending(_) => "PENDING",
        }
    }

    /// Why it failed, or what it waits for (empty on a pass).
    pub(crate) fn reasons(&self) -> &[String] {
        match self {
            Verdict::Pass => &[],
            Verdict::Fail(reasons) | Verdict::Pending(reasons) => reasons,
        }
    }

    /// The exit code of `idv session verdict`.
    pub(crate) fn exit_code(&self) -> u8 {
        match self {
            Verdict::Pass => 0,
            Verdict::Fail(_) => 5,
            Verdict::Pending(_) => 6,
        }
    }
}

impl fmt::Display for Verdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (word, reasons) = match self {
            Verdict::Pass => return f.write_str("PASS"),
            Verdict::Fail(reasons) => ("FAIL", reasons),
            Verdict::Pending(reasons) => ("PENDING", reasons),
        };
        write!(f, "{word}: {}", reasons.join("; "))
    }
}

/// The verdict of a session: the SDK's [`SelfieAuthVerdict`] (pending until the session and
/// its checks are done; fail only on a final decision), with the CLI's exit codes.
pub(crate) fn evaluate(session: &GetSessionResult) -> Verdict {
    let verdict = SelfieAuthVerdict::evaluate(session);
    if verdict.is_pass() {
        Verdict::Pass
    } else if verdict.is_pending() {
        Verdict::Pending(verdict.reasons().to_vec())
    } else {
        Verdict::Fail(verdict.reasons().to_vec())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn session(json: serde_json::Value) -> GetSessionResult {
        serde_json::from_value(json).expect("a session")
    }

    fn check(kind: &str, state: &str, value: &str) -> serde_json::Value {
        serde_json::json!({"type": kind, "id": format!("{kind}-1"), "state": state,
                           "report": {"recommendation": {"value": value}}})
    }

    #[test]
    fn ongoing_or_unfinished_is_pending_never_fail() {
        let ongoing = session(serde_json::json!({"session_id": "s", "state": "ONGOING",
                                                  "checks": []}));
        let verdict = evaluate(&ongoing);
        assert_eq!(
            verdict,
            Verdict::Pending(vec!["the session is ONGOING".into()])
        );
        assert_eq!(verdict.exit_code(), 6);

        let running = session(serde_json::json!({"session_id": "s", "state": "COMPLETED",
            "checks": [check("LIVENESS", "DONE", "APPROVE"),
                       {"type": "FACE_COMPARISON", "id": "f", "state": "PENDING"}]}));
        assert!(matches!(evaluate(&running), Verdict::Pending(r)
                         if r.len() == 1 && r[0].contains("FACE_COMPARISON")));
    }

    #[test]
    fn a_completed_session_passes_or_fails() {
        let pass = session(serde_json::json!({"session_id": "s", "state": "COMPLETED",
            "checks": [check("LIVENESS", "DONE", "APPROVE"),
                       check("FACE_COMPARISON", "DONE", "APPROVE")]}));
        assert_eq!(evaluate(&pass), Verdict::Pass);
        assert_eq!(evaluate(&pass).exit_code(), 0);

        let fail = session(serde_json::json!({"session_id": "s", "state": "COMPLETED",
            "checks": [check("LIVENESS", "DONE", "APPROVE"),
                       check("FACE_COMPARISON", "DONE", "REJECT")]}));
        let verdict = evaluate(&fail);
        assert!(matches!(&verdict, Verdict::Fail(r) if r[0].contains("FACE_COMPARISON")));
        assert_eq!(verdict.exit_code(), 5);
        assert!(verdict.to_string().starts_with("FAIL: "));

        let expired = session(serde_json::json!({"session_id": "s", "state": "EXPIRED"}));
        assert!(matches!(evaluate(&expired), Verdict::Fail(_)));
    }

    #[test]
    fn outcomes_parse() {
        assert_eq!(Outcome::parse("approve"), Ok(Outcome::Approve));
        assert_eq!(
            Outcome::parse("reject"),
            Ok(Outcome::Reject("DIFFERENT_PERSON".into()))
        );
        assert_eq!(
            Outcome::parse("REJECT:FAKE"),
            Ok(Outcome::Reject("FAKE".into()))
        );
        assert!(Outcome::parse("maybe").is_err());
        assert!(Outcome::parse("approve:why").is_err());
        assert!(sandbox_config(None, None).is_none());
        let config = sandbox_config(Some(&Outcome::Approve), Some(&Outcome::Reject("X".into())))
            .expect("config");
        let json = serde_json::to_value(&config).expect("serialises");
        assert_eq!(
            json["check_reports"]["FACE_COMPARISON"]["result"]["report"]["recommendation"]["value"],
            "REJECT",
            "{json}"
        );
    }

    #[test]
    fn the_template_is_the_guide_s_session() {
        let spec = selfie_spec(&SelfieOptions {
            success_url: Some("https://example.com/ok".into()),
            error_url: None,
            user_tracking_id: Some("user-1".into()),
            client_session_token_ttl: 600,
            resources_ttl: 90_000,
            liveness_max_retries: 3,
        });
        let json = serde_json::to_value(&spec).expect("serialises");
        assert_eq!(json["client_session_token_ttl"], 600);
        assert_eq!(json["resources_ttl"], 90_000);
        assert_eq!(json["user_tracking_id"], "user-1");
        assert_eq!(json["sdk_config"]["success_url"], "https://example.com/ok");
        assert!(json["sdk_config"].get("error_url").is_none());
        let checks = json["requested_checks"].as_array().expect("checks");
        assert_eq!(checks[0]["type"], "LIVENESS");
        assert_eq!(checks[1]["type"], "FACE_COMPARISON");
    }
}
