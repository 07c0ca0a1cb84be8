//! Issue 14 through the client, against the emulator: the sandbox agent's `resources`, the
//! one-call face-capture helper (blocking and async), and media as base64 / a `data:` URL.

// Test helpers: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used)]

use crate::support;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use idv::model::sandbox::{
    SandboxAgentIdDocument, SandboxAgentResources, SandboxAgentSupplementaryDocument,
};
use idv::model::{
    CaptureMethod, MediaId, Objective, RecommendationValue, RequestedDocumentAuthenticityCheck,
    RequestedFaceComparisonCheck, RequestedLivenessCheck, RequiredIdDocument,
    RequiredSupplementaryDocument, SessionSpecification, SessionState,
    UploadFaceCaptureImagePayload,
};

fn selfie_spec() -> SessionSpecification {
    SessionSpecification::new()
        .with_client_session_token_ttl(600)
        .with_requested_check(RequestedLivenessCheck::static_liveness())
        .with_requested_check(RequestedFaceComparisonCheck::new().with_manual_check_never())
}

fn liveness_only_spec() -> SessionSpecification {
    SessionSpecification::new()
        .with_client_session_token_ttl(600)
        .with_requested_check(RequestedLivenessCheck::static_liveness())
}

#[test]
fn the_agent_presents_the_documents_the_client_names() {
    let (_emulator, config) = support::emulator();
    let client = config.build_blocking().unwrap();
    let spec = SessionSpecification::new()
        .with_client_session_token_ttl(600)
        .with_requested_check(RequestedDocumentAuthenticityCheck::new())
        .with_required_document(RequiredIdDocument::new())
        .with_required_document(RequiredSupplementaryDocument::new(
            Objective::proof_of_address(),
        ));
    let created = client.create_session(&spec).unwrap();
    let resources = SandboxAgentResources::new()
        .with_id_document(
            SandboxAgentIdDocument::new("IRL", "DRIVING_LICENCE").with_capture_method("UPLOAD"),
        )
        .with_supplementary_document(SandboxAgentSupplementaryDocument::new(
            "FRA",
            "BANK_STATEMENT",
        ));
    client
        .sandbox_complete_session_with_resources(
            &created.session_id,
            &created.client_session_token,
            &resources,
        )
        .unwrap();
    let session = client.get_session(&created.session_id).unwrap();
    assert_eq!(session.state, Some(SessionState::Completed));
    let id_docs = &session.resources.id_documents;
    assert_eq!(id_docs.len(), 1);
    assert_eq!(id_docs[0].document_type.as_deref(), Some("DRIVING_LICENCE"));
    assert_eq!(id_docs[0].issuing_country.as_deref(), Some("IRL"));
    assert_eq!(
        id_docs[0].pages[0].capture_method,
        Some(CaptureMethod::Upload)
    );
    let supplementary = &session.resources.supplementary_documents;
    assert_eq!(supplementary.len(), 1);
    assert_eq!(
        supplementary[0].document_type.as_deref(),
        Some("BANK_STATEMENT")
    );
    assert_eq!(supplementary[0].issuing_country.as_deref(), Some("FRA"));

    // A document the session does not accept is the service's 400, and nothing is captured.
    let created = client.create_session(&spec).unwrap();
    let wrong = SandboxAgentResources::new()
        .with_id_document(SandboxAgentIdDocument::new("FRA", "DRIVING_LICENCE"))
        .with_supplementary_document(SandboxAgentSupplementaryDocument::new(
            "GBR",
            "UTILITY_BILL",
        ));
    let err = client
        .sandbox_complete_session_with_resources(
            &created.session_id,
            &created.client_session_token,
            &wrong,
        )
        .unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(400), "{err}");
    assert_eq!(
        err.as_api().unwrap().property_errors()[0]
            .property
            .as_deref(),
        Some("resources.id_documents[0]")
    );
    let session = client.get_session(&created.session_id).unwrap();
    assert!(session.resources.id_documents.is_empty());
}

#[test]
fn blocking_face_capture_helper_adds_the_reference_image_in_one_call() {
    let (_emulator, config) = support::emulator();
    let client = config.build_blocking().unwrap();
    let created = client.create_session(&selfie_spec()).unwrap();
    let sid = &created.session_id;
    let image = UploadFaceCaptureImagePayload::jpeg(support::FACE);
    let resource_id = client.add_face_capture_resource(sid, &image).unwrap();

    // The resource exists, holds the image, and the face comparison uses it.
    let session = client.get_session(sid).unwrap();
    let face = &session.resources.face_capture;
    assert_eq!(face.len(), 1);
    assert_eq!(face[0].id.as_ref(), Some(&resource_id));
    let media_id = face[0]
        .image
        .as_ref()
        .and_then(|i| i.media.as_ref())
        .map(|m| m.id.clone())
        .unwrap();
    let media = client.get_media_content(sid, &media_id).unwrap().unwrap();
    assert_eq!(media.content, support::FACE);
    client
        .sandbox_complete_session(sid, &created.client_session_token)
        .unwrap();
    let session = client.get_session(sid).unwrap();
    let face: Vec<_> = session.face_comparison_checks().collect();
    assert_eq!(
        face[0].recommendation(),
        Some(&RecommendationValue::Approve)
    );
}

#[test]
fn blocking_face_capture_helper_without_a_requirement_is_a_clear_error() {
    let (_emulator, config) = support::emulator();
    let client = config.build_blocking().unwrap();
    let created = client.create_session(&liveness_only_spec()).unwrap();
    let sid = &created.session_id;
    let err = client
        .add_face_capture_resource(sid, &UploadFaceCaptureImagePayload::jpeg(support::FACE))
        .unwrap_err();
    match &err {
        idv::Error::InvalidInput(e) => {
            assert_eq!(e.field(), "session_id");
            assert!(e.reason().contains("no FACE_CAPTURE requirement"), "{e}");
        }
        other => panic!("expected InvalidInput, got {other:?}"),
    }
    assert!(err.to_string().contains("FACE_CAPTURE"), "{err}");
    // Nothing was created.
    let session = client.get_session(sid).unwrap();
    assert!(session.resources.face_capture.is_empty());
}

#[tokio::test]
async fn async_face_capture_helper_happy_path_and_no_requirement() {
    let (_emulator, config) = support::emulator();
    let client = config.build().unwrap();
    let created = client.create_session(&selfie_spec()).await.unwrap();
    let sid = &created.session_id;
    let image = UploadFaceCaptureImagePayload::jpeg(support::FACE);
    let resource_id = client.add_face_capture_resource(sid, &image).await.unwrap();
    let session = client.get_session(sid).await.unwrap();
    assert_eq!(
        session.resources.face_capture[0].id.as_ref(),
        Some(&resource_id)
    );
    assert!(session.resources.face_capture[0].image.is_some());

    let other = client.create_session(&liveness_only_spec()).await.unwrap();
    let err = client
        .add_face_capture_resource(&other.session_id, &image)
        .await
        .unwrap_err();
    assert!(
        matches!(&err, idv::Error::InvalidInput(e) if e.field() == "session_id"),
        "{err:?}"
    );
}

#[test]
fn media_as_base64_and_as_a_data_url() {
    let (_emulator, config) = support::emulator();
    let client = config.build_blocking().unwrap();
    let created = client.create_session(&selfie_spec()).unwrap();
    let sid = &created.session_id;
    let resource_id = client
        .add_face_capture_resource(sid, &UploadFaceCaptureImagePayload::jpeg(support::FACE))
        .unwrap();
    // The emulator serves a face-capture resource's image under the resource id too.
    let media = client
        .get_media_content(sid, &MediaId::from(resource_id.as_str()))
        .unwrap()
        .unwrap();
    assert_eq!(media.mime_type, "image/jpeg");
    let expected = STANDARD.encode(support::FACE);
    assert_eq!(media.to_base64(), expected);
    assert_eq!(
        media.to_data_url(),
        format!("data:image/jpeg;base64,{expected}")
    );
}
