//! The selfie-authentication verdict: pass, fail and pending.

use idv_core::SelfieAuthVerdict;
use idv_model::GetSessionResult;

fn check(kind: &str, state: &str, recommendation: Option<&str>) -> String {
    let report = match recommendation {
        Some(r) => format!(r#","report":{{"recommendation":{{"value":"{r}"}},"breakdown":[]}}"#),
        None => String::new(),
    };
    format!(r#"{{"type":"{kind}","id":"{kind}-{state}","state":"{state}"{report}}}"#)
}

fn session(state: &str, checks: &[String]) -> GetSessionResult {
    let json = format!(r#"{{"state":"{state}","checks":[{}]}}"#, checks.join(","));
    serde_json::from_str(&json).expect("a session")
}

#[test]
fn an_ongoing_session_is_pending_never_fail() {
    for checks in [
        vec![],
        vec![check("LIVENESS", "CREATED", None)],
        vec![
            check("LIVENESS", "DONE", Some("REJECT")),
            check("FACE_COMPARISON", "PENDING", None),
        ],
    ] {
        let verdict = SelfieAuthVerdict::evaluate(&session("ONGOING", &checks));
        assert!(verdict.is_pending(), "{verdict}");
        assert!(!verdict.is_fail() && !verdict.is_pass());
        assert_eq!(verdict.to_string(), "PENDING: the session is ONGOING");
    }
}

#[test]
fn a_session_without_state_is_pending() {
    let verdict = SelfieAuthVerdict::evaluate(&serde_json::from_str(r#"{"checks":[]}"#).unwrap());
    assert!(verdict.is_pending(), "{verdict}");
}

#[test]
fn a_completed_session_whose_checks_are_not_done_is_pending() {
    let verdict = SelfieAuthVerdict::evaluate(&session(
        "COMPLETED",
        &[
            check("LIVENESS", "PENDING", None),
            check("FACE_COMPARISON", "CREATED", None),
        ],
    ));
    assert!(verdict.is_pending(), "{verdict}");
    assert_eq!(verdict.reasons().len(), 2);
    assert!(verdict.to_string().starts_with("PENDING: "), "{verdict}");
    assert!(verdict.to_string().contains("LIVENESS"), "{verdict}");
    assert!(verdict.to_string().contains("FACE_COMPARISON"), "{verdict}");

    let verdict = SelfieAuthVerdict::evaluate(&session(
        "COMPLETED",
        &[
            check("LIVENESS", "DONE", Some("APPROVE")),
            check("FACE_COMPARISON", "PENDING", None),
        ],
    ));
    assert!(verdict.is_pending(), "{verdict}");
}

#[test]
fn completed_with_both_approved_is_pass() {
    let verdict = SelfieAuthVerdict::evaluate(&session(
        "COMPLETED",
        &[
            check("LIVENESS", "DONE", Some("REJECT")),
            check("LIVENESS", "DONE", Some("APPROVE")),
            check("FACE_COMPARISON", "DONE", Some("APPROVE")),
        ],
    ));
    assert_eq!(verdict, SelfieAuthVerdict::Pass);
    assert!(verdict.is_pass());
    assert!(verdict.reasons().is_empty());
    assert_eq!(verdict.to_string(), "PASS");
}

#[test]
fn completed_with_a_reject_is_fail() {
    let verdict = SelfieAuthVerdict::evaluate(&session(
        "COMPLETED",
        &[
            check("LIVENESS", "DONE", Some("APPROVE")),
            check("FACE_COMPARISON", "DONE", Some("REJECT")),
        ],
    ));
    assert!(verdict.is_fail(), "{verdict}");
    assert_eq!(
        verdict.to_string(),
        "FAIL: FACE_COMPARISON is not APPROVE (DONE REJECT)"
    );

    // A final reject wins over a check still running.
    let verdict = SelfieAuthVerdict::evaluate(&session(
        "COMPLETED",
        &[
            check("LIVENESS", "PENDING", None),
            check("FACE_COMPARISON", "DONE", Some("REJECT")),
        ],
    ));
    assert!(verdict.is_fail(), "{verdict}");

    let verdict = SelfieAuthVerdict::evaluate(&session(
        "COMPLETED",
        &[
            check("LIVENESS", "DONE", Some("REJECT")),
            check("FACE_COMPARISON", "DONE", Some("APPROVE")),
        ],
    ));
    assert!(verdict.is_fail(), "{verdict}");
}

#[test]
fn completed_without_the_checks_is_fail() {
    let verdict = SelfieAuthVerdict::evaluate(&session("COMPLETED", &[]));
    assert_eq!(
        verdict.to_string(),
        "FAIL: no LIVENESS check; no FACE_COMPARISON check"
    );
}

#[test]
fn an_expired_session_is_fail() {
    let verdict =
        SelfieAuthVerdict::evaluate(&session("EXPIRED", &[check("LIVENESS", "CREATED", None)]));
    assert!(verdict.is_fail(), "{verdict}");
    assert!(verdict.to_string().starts_with("FAIL: "), "{verdict}");
    assert!(verdict.to_string().contains("EXPIRED"), "{verdict}");
}

#[test]
fn a_check_in_internal_error_in_a_completed_session_is_a_final_fail() {
    // Yoti could not carry the check out and the session is over: it will never report, so
    // the answer is final, not pending for ever.
    let verdict = SelfieAuthVerdict::evaluate(&session(
        "COMPLETED",
        &[
            check("LIVENESS", "DONE", Some("APPROVE")),
            check("FACE_COMPARISON", "INTERNAL_ERROR", None),
        ],
    ));
    assert!(verdict.is_fail(), "{verdict}");
    assert!(verdict.to_string().contains("INTERNAL_ERROR"), "{verdict}");

    let verdict = SelfieAuthVerdict::evaluate(&session(
        "COMPLETED",
        &[
            check("LIVENESS", "INTERNAL_ERROR", None),
            check("FACE_COMPARISON", "DONE", Some("APPROVE")),
        ],
    ));
    assert!(verdict.is_fail(), "{verdict}");

    // While the session is still ongoing the same check is only pending.
    let verdict = SelfieAuthVerdict::evaluate(&session(
        "ONGOING",
        &[check("FACE_COMPARISON", "INTERNAL_ERROR", None)],
    ));
    assert!(verdict.is_pending(), "{verdict}");
}
