//! The `sandbox` feature: scripting check outcomes through `idv` against the emulator,
//! blocking and async, per session and per application.

// Test helpers: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used)]

use crate::support;

use idv::model::sandbox::*;
use idv::model::{
    RecommendationValue, RequestedFaceComparisonCheck, RequestedLivenessCheck,
    SessionSpecification, SessionState,
};

fn spec() -> SessionSpecification {
    SessionSpecification::new()
        .with_client_session_token_ttl(600)
        .with_requested_check(RequestedLivenessCheck::static_liveness().with_max_retries(3))
        .with_requested_check(RequestedFaceComparisonCheck::new().with_manual_check_never())
}

fn reject_face() -> SandboxResponseConfig {
    SandboxResponseConfig::new().with_check_reports(
        SandboxCheckReports::new()
            .with_static_liveness(
                SandboxCheckReport::approve()
                    .with_breakdown_item(SandboxBreakdown::pass("liveness_auth")),
            )
            .with_face_comparison(
                SandboxCheckReport::reject("DIFFERENT_PERSON").with_breakdown_item(
                    SandboxBreakdown::fail("ai_face_match")
                        .with_detail(SandboxDetail::new("confidence_score", "0.12")),
                ),
            ),
    )
}

#[test]
fn blocking_session_response_config_scripts_a_rejection() {
    let (_emulator, config) = support::emulator();
    let client = config.build_blocking().unwrap();
    let created = client.create_session(&spec()).unwrap();
    let sid = &created.session_id;
    support::upload_reference(&client, sid);
    client
        .sandbox_configure_session_response(sid, &reject_face())
        .unwrap();
    client
        .sandbox_complete_session(sid, &created.client_session_token)
        .unwrap();
    let session = client.get_session(sid).unwrap();
    assert!(session.liveness_checks().all(|c| c.is_approved()));
    let face: Vec<_> = session.face_comparison_checks().collect();
    assert_eq!(face.len(), 1);
    assert_eq!(face[0].recommendation(), Some(&RecommendationValue::Reject));
    assert!(!idv::SelfieAuthVerdict::evaluate(&session).is_pass());

    // Once the capture is complete the config can no longer change: a 409 API error.
    let err = client
        .sandbox_configure_session_response(sid, &reject_face())
        .unwrap_err();
    assert_eq!(err.status(), Some(http::StatusCode::CONFLICT));
}

#[test]
fn blocking_application_response_config_and_async_delay() {
    let (emulator, config) = support::emulator();
    let client = config.build_blocking().unwrap();
    client
        .sandbox_configure_application_response(
            &SandboxResponseConfig::new().with_check_reports(
                SandboxCheckReports::new()
                    .with_static_liveness(SandboxCheckReport::template("SUCCESS"))
                    .with_async_report_delay(30),
            ),
        )
        .unwrap();
    let created = client.create_session(&spec()).unwrap();
    let sid = &created.session_id;
    support::upload_reference(&client, sid);
    client
        .sandbox_complete_session(sid, &created.client_session_token)
        .unwrap();
    let pending = client.get_session(sid).unwrap();
    assert_eq!(pending.state, Some(SessionState::Ongoing));
    assert!(
        pending
            .liveness_checks()
            .all(|c| c.recommendation().is_none())
    );
    emulator.advance_clock(std::time::Duration::from_secs(30));
    let done = client.get_session(sid).unwrap();
    assert_eq!(done.state, Some(SessionState::Completed));
    assert!(idv::SelfieAuthVerdict::evaluate(&done).is_pass());
}

#[tokio::test]
async fn async_client_scripts_outcomes_too() {
    let (_emulator, config) = support::emulator();
    let client = config.build().unwrap();
    let created = client.create_session(&spec()).await.unwrap();
    let sid = &created.session_id;
    client
        .sandbox_configure_session_response(
            sid,
            &SandboxResponseConfig::new().with_check_reports(
                SandboxCheckReports::new()
                    .with_static_liveness(SandboxCheckReport::not_available("FACE_NOT_FOUND")),
            ),
        )
        .await
        .unwrap();
    client
        .sandbox_complete_session(sid, &created.client_session_token)
        .await
        .unwrap();
    let session = client.get_session(sid).await.unwrap();
    let liveness: Vec<_> = session.liveness_checks().collect();
    assert_eq!(
        liveness[0].recommendation(),
        Some(&RecommendationValue::NotAvailable)
    );
    client
        .sandbox_configure_application_response(&reject_face())
        .await
        .unwrap();
}

#[test]
fn every_report_builder_serialises_to_the_sandbox_shape() {
    let config = SandboxResponseConfig::new()
        .with_check_reports(
            SandboxCheckReports::new()
                .with_id_document_authenticity([SandboxCheckReport::approve()
                    .with_document_filter(
                        SandboxDocumentFilter::new()
                            .with_document_type("PASSPORT")
                            .with_country_code("GBR"),
                    )])
                .with_id_document_text_data_check([
                    SandboxCheckReport::approve().with_document_field("full_name", "A B")
                ])
                .with_supplementary_document_text_data_check([SandboxCheckReport::approve()])
                .with_id_document_face_match([SandboxCheckReport::template("AUTO_FAIL")])
                .with_zoom_liveness(SandboxCheckReport::approve())
                .with_id_document_comparison([SandboxCheckReport::approve()])
                .with_third_party_identity(SandboxCheckReport::approve())
                .with_watchlist_screening(SandboxCheckReport::consider("POTENTIAL_MATCH"))
                .with_watchlist_advanced_ca([SandboxCheckReport::approve()])
                .with_face_comparison(SandboxCheckReport::approve())
                .with_third_party_identity_fraud(SandboxCheckReport::approve())
                .with_synectics_identity_fraud([SandboxCheckReport::reject("FRAUD_LIST_MATCH")])
                .with_async_report_delay(3),
        )
        .with_task_results(
            SandboxTaskResults::new()
                .with_id_document_text_data_extraction([SandboxTaskResult::new().with_result(
                    SandboxTaskResultData::new()
                        .with_document_field("full_name", "A B")
                        .with_detected_country("GBR")
                        .with_document_id_photo(SandboxDocumentIdPhoto::new("image/jpeg", "/9j/"))
                        .with_recommendation(
                            SandboxTaskRecommendation::new("PROGRESS").with_reason(
                                SandboxTaskRecommendationReason::new("QUALITY").with_detail("OK"),
                            ),
                        ),
                )])
                .with_supplementary_document_text_data_extraction([SandboxTaskResult::template(
                    "UNABLE_TO_OCR",
                )]),
        );
    let json = serde_json::to_value(&config).unwrap();
    let reports = &json["check_reports"];
    assert_eq!(
        reports["ID_DOCUMENT_AUTHENTICITY"][0]["document_filter"]["document_types"][0],
        "PASSPORT"
    );
    assert_eq!(
        reports["ID_DOCUMENT_TEXT_DATA_CHECK"][0]["result"]["document_fields"]["full_name"],
        "A B"
    );
    assert_eq!(
        reports["ID_DOCUMENT_FACE_MATCH"][0]["result"]["report_template"],
        "AUTO_FAIL"
    );
    assert_eq!(reports["LIVENESS"][0]["liveness_type"], "ZOOM");
    assert_eq!(
        reports["THIRD_PARTY_IDENTITY"]["result"]["report"]["recommendation"]["value"],
        "APPROVE"
    );
    assert_eq!(
        reports["WATCHLIST_SCREENING"]["result"]["report"]["recommendation"]["value"],
        "CONSIDER"
    );
    assert_eq!(
        reports["SYNECTICS_IDENTITY_FRAUD"][0]["result"]["report"]["recommendation"]["reason"],
        "FRAUD_LIST_MATCH"
    );
    assert_eq!(
        reports["ID_DOCUMENT_AUTHENTICITY"][0]["document_filter"]["country_codes"][0],
        "GBR"
    );
    assert_eq!(
        reports["FACE_COMPARISON"]["result"]["report"]["recommendation"]["value"],
        "APPROVE"
    );
    assert_eq!(
        reports["WATCHLIST_ADVANCED_CA"][0]["result"]["report"]["recommendation"]["value"],
        "APPROVE"
    );
    assert_eq!(
        reports["THIRD_PARTY_IDENTITY_FRAUD_1"]["result"]["report"]["recommendation"]["value"],
        "APPROVE"
    );
    assert_eq!(reports["async_report_delay"], 3);
    let task = &json["task_results"]["ID_DOCUMENT_TEXT_DATA_EXTRACTION"][0]["result"];
    assert_eq!(task["recommendation"]["reason"]["detail"], "OK");
    assert_eq!(task["document_fields"]["full_name"], "A B");
    assert_eq!(task["detected_country"], "GBR");
    assert_eq!(task["document_id_photo"]["content_type"], "image/jpeg");
    assert_eq!(
        json["task_results"]["SUPPLEMENTARY_DOCUMENT_TEXT_DATA_EXTRACTION"][0]["result_template"],
        "UNABLE_TO_OCR"
    );

    // The emulator accepts every one of them.
    let (_emulator, client_config) = support::emulator();
    let client = client_config.build_blocking().unwrap();
    client
        .sandbox_configure_application_response(&config)
        .unwrap();
}
