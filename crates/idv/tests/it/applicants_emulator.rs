//! The Face Search methods end to end against `idv-emulator`, which verifies every request's
//! signature: each operation accepted, the documented answers decoded, a repeated delete
//! `AlreadyGone`, and `enrol_face` on a real passed session, then a return visit that passes.

// Test helpers: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used)]

use crate::support;

use idv::model::*;
use idv::{Deleted, EnrolFace, SelfieAuthVerdict};

const FACE: &[u8] = include_bytes!("../data/reference-face.jpg");

#[test]
fn every_operation_is_signed_accepted_and_decoded() {
    let (_emulator, config) = support::emulator();
    let client = config.build_blocking().unwrap();

    let pool = client
        .create_pool(&CreatePoolPayload::new("members"))
        .unwrap();
    assert_eq!(pool.label.as_deref(), Some("members"));
    let applicant = client
        .create_applicant(&CreateApplicantPayload::new())
        .unwrap();
    let face = client
        .add_applicant_face(
            &applicant.id,
            &AddFacePayload::new(FacePayload::image(FACE)),
        )
        .unwrap();
    let fetched = client.get_applicant_face(&applicant.id, &face.id).unwrap();
    assert_eq!(fetched.face.data.as_bytes(), FACE);
    client.add_pool_applicant(&pool.id, &applicant.id).unwrap();
    let got = client.get_applicant(&applicant.id).unwrap();
    assert_eq!(got.id, applicant.id);
    assert!(got.pools.iter().any(|p| p.id == pool.id), "{got:?}");

    assert_eq!(
        client
            .remove_pool_applicant(&pool.id, &applicant.id)
            .unwrap(),
        Deleted::Removed
    );
    assert_eq!(
        client
            .remove_pool_applicant(&pool.id, &applicant.id)
            .unwrap(),
        Deleted::AlreadyGone
    );
    assert_eq!(
        client
            .delete_applicant_face(&applicant.id, &face.id)
            .unwrap(),
        Deleted::Removed
    );
    assert_eq!(
        client.delete_applicant(&applicant.id).unwrap(),
        Deleted::Removed
    );
    assert_eq!(
        client.delete_applicant(&applicant.id).unwrap(),
        Deleted::AlreadyGone
    );
    assert!(
        client
            .get_applicant(&applicant.id)
            .unwrap_err()
            .is_not_found()
    );
    assert_eq!(client.delete_pool(&pool.id).unwrap(), Deleted::Removed);
    assert_eq!(client.delete_pool(&pool.id).unwrap(), Deleted::AlreadyGone);
}

#[tokio::test]
async fn async_enrolment_then_a_return_visit_passes() {
    let (_emulator, config) = support::emulator();
    let client = config.build().unwrap();
    let spec = SessionSpecification::new()
        .with_requested_check(RequestedLivenessCheck::static_liveness().with_max_retries(3))
        .with_requested_check(RequestedFaceComparisonCheck::new().with_manual_check_never());
    let agent = |s: &CreateSessionResult| {
        SandboxAgentPayload::new(s.session_id.clone(), s.client_session_token.clone())
            .with_liveness_image(FaceImageData::new(FACE))
    };
    let resource = |sid: SessionId| {
        let client = client.clone();
        async move {
            let configuration = client.get_session_configuration(&sid).await.unwrap();
            let requirement = configuration.face_capture_requirements().next().unwrap();
            client
                .create_face_capture_resource(
                    &sid,
                    &CreateFaceCaptureResourcePayload::new(requirement.id.clone()),
                )
                .await
                .unwrap()
                .id
        }
    };

    // first visit: reference upload, pass, enrol
    let first = client.create_session(&spec).await.unwrap();
    let rid = resource(first.session_id.clone()).await;
    client
        .upload_face_capture_image(
            &first.session_id,
            &rid,
            &UploadFaceCaptureImagePayload::jpeg(FACE),
        )
        .await
        .unwrap();
    // not completed yet: enrolment is refused
    let refused = client
        .enrol_face(&EnrolFace::new(first.session_id.clone()))
        .await
        .unwrap_err();
    assert!(
        matches!(refused, idv::Error::InvalidInput(_)),
        "{refused:?}"
    );
    client
        .sandbox_complete_session_with(&agent(&first))
        .await
        .unwrap();
    let enrolment = client
        .enrol_face(&EnrolFace::new(first.session_id.clone()))
        .await
        .unwrap();
    assert!(enrolment.created_applicant);
    let stored = client
        .get_applicant_face(&enrolment.applicant_id, &enrolment.face_id)
        .await
        .unwrap();
    assert_eq!(stored.face.data.as_bytes(), FACE);

    // return visit: the applicant is the reference
    let second = client.create_session(&spec).await.unwrap();
    let rid = resource(second.session_id.clone()).await;
    client
        .attach_face_capture_applicant(&second.session_id, &rid, &enrolment.applicant_id)
        .await
        .unwrap();
    client
        .sandbox_complete_session_with(&agent(&second))
        .await
        .unwrap();
    let session = client.get_session(&second.session_id).await.unwrap();
    assert!(SelfieAuthVerdict::evaluate(&session).is_pass());
}

/// A familiar-face search finds the enrolled face; the sandbox response config (the typed
/// `with_familiar_face_search`) overrides the outcome.
#[test]
fn familiar_face_search_matches_and_the_sandbox_config_overrides_it() {
    let (_emulator, config) = support::emulator();
    let client = config.build_blocking().unwrap();
    let pool = client
        .create_pool(&CreatePoolPayload::new("members"))
        .unwrap();
    let applicant = client
        .create_applicant(&CreateApplicantPayload::with_first_face(
            FacePayload::image(FACE),
        ))
        .unwrap();
    client.add_pool_applicant(&pool.id, &applicant.id).unwrap();
    let spec = SessionSpecification::new()
        .with_requested_check(RequestedLivenessCheck::static_liveness())
        .with_requested_check(RequestedFamiliarFaceSearchCheck::new(
            pool.id.clone(),
            ApprovalCriteria::Match,
        ));
    let search = |script: Option<SandboxResponseConfig>| {
        let created = client.create_session(&spec).unwrap();
        if let Some(script) = script {
            client
                .sandbox_configure_session_response(&created.session_id, &script)
                .unwrap();
        }
        client
            .sandbox_complete_session_with(
                &SandboxAgentPayload::new(
                    created.session_id.clone(),
                    created.client_session_token.clone(),
                )
                .with_liveness_image(FaceImageData::new(FACE)),
            )
            .unwrap();
        let session = client.get_session(&created.session_id).unwrap();
        session
            .familiar_face_search_checks()
            .next()
            .unwrap()
            .clone()
    };
    let found = search(None);
    assert!(found.is_approved());
    assert_eq!(found.matched_applicant(), Some(applicant.id.clone()));
    let config = found.config.as_ref().unwrap();
    assert_eq!(config.pool_id.as_ref(), Some(&pool.id));
    assert_eq!(config.pool_label.as_deref(), Some("members"));
    assert_eq!(config.approval_criteria, Some(ApprovalCriteria::Match));

    let overridden = search(Some(
        SandboxResponseConfig::new().with_check_reports(
            SandboxCheckReports::new()
                .with_familiar_face_search(SandboxCheckReport::reject("SCRIPTED")),
        ),
    ));
    assert_eq!(
        overridden.recommendation(),
        Some(&RecommendationValue::Reject)
    );
}
