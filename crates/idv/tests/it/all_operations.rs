//! Every operation of the API on both clients, end to end against the emulator.

#![allow(clippy::unwrap_used)]

use crate::support;

use idv::model::*;

fn spec() -> SessionSpecification {
    SessionSpecification::new()
        .with_requested_check(RequestedLivenessCheck::static_liveness().with_max_retries(1))
        .with_requested_check(RequestedFaceComparisonCheck::new().with_manual_check_never())
}

fn instructions() -> Instructions {
    Instructions::new()
        .with_contact_profile(
            ContactProfile::new()
                .with_first_name("Ada")
                .with_last_name("Lovelace")
                .with_email("ada@example.com"),
        )
        .with_branch(
            UkPostOfficeBranch::new()
                .with_fad_code("123456")
                .with_name("Main St")
                .with_address("1 Main St")
                .with_post_code("AB1 2CD")
                .with_location(Location::new(51.5, -0.12)),
        )
}

#[test]
fn blocking_client_runs_every_operation() {
    let (_emulator, config) = support::emulator();
    let client = config.build_blocking().unwrap();

    let docs = client.get_supported_documents(false).unwrap();
    assert!(!docs.supported_countries.is_empty());
    let with_non_latin = client.get_supported_documents(true).unwrap();
    assert!(with_non_latin.supported_countries.len() >= docs.supported_countries.len());

    let created = client.create_session(&spec()).unwrap();
    let sid = &created.session_id;
    let _resource = support::upload_reference(&client, sid);

    client.put_ibv_instructions(sid, &instructions()).unwrap();
    let got = client.get_ibv_instructions(sid).unwrap();
    assert_eq!(got.contact_profile_exists, Some(true));
    let profile = client.fetch_instructions_contact_profile(sid).unwrap();
    assert_eq!(profile.first_name.as_deref(), Some("Ada"));
    assert_eq!(profile.email.as_deref(), Some("ada@example.com"));
    if let Some(pdf) = client.get_ibv_instructions_pdf(sid).unwrap() {
        assert_eq!(pdf.mime_type, "application/pdf");
        assert!(pdf.content.starts_with(b"%PDF"));
    }
    client.trigger_ibv_email_notification(sid).unwrap();

    client
        .sandbox_complete_session(sid, &created.client_session_token)
        .unwrap();
    let session = client.get_session(sid).unwrap();
    assert_eq!(session.state, Some(SessionState::Completed));

    let _devices = client.get_tracked_devices(sid).unwrap();
    client.delete_tracked_devices(sid).unwrap();
    assert!(client.get_tracked_devices(sid).unwrap().is_empty());

    let media_ids: Vec<MediaId> = session.resources.media_ids().into_iter().cloned().collect();
    assert!(!media_ids.is_empty());
    let first = &media_ids[0];
    assert!(client.get_media_content(sid, first).unwrap().is_some());
    client.delete_media_content(sid, first).unwrap();
    let after = client.get_media_content(sid, first);
    assert!(
        matches!(after, Ok(None)) || after.as_ref().is_err_and(|e| e.is_not_found()),
        "{after:?}"
    );

    client.delete_session(sid).unwrap();
    assert!(client.get_session(sid).unwrap_err().is_not_found());
}

#[tokio::test]
async fn async_client_runs_every_operation() {
    let (_emulator, config) = support::emulator();
    let client = config.build().unwrap();

    assert!(
        !client
            .get_supported_documents(false)
            .await
            .unwrap()
            .supported_countries
            .is_empty()
    );
    let created = client.create_session(&spec()).await.unwrap();
    let sid = &created.session_id;
    let _resource = support::upload_reference_async(&client, sid).await;
    client
        .put_ibv_instructions(sid, &instructions())
        .await
        .unwrap();
    assert_eq!(
        client
            .get_ibv_instructions(sid)
            .await
            .unwrap()
            .contact_profile_exists,
        Some(true)
    );
    assert_eq!(
        client
            .fetch_instructions_contact_profile(sid)
            .await
            .unwrap()
            .last_name
            .as_deref(),
        Some("Lovelace")
    );
    let _ = client.get_ibv_instructions_pdf(sid).await.unwrap();
    client.trigger_ibv_email_notification(sid).await.unwrap();
    client
        .sandbox_complete_session(sid, &created.client_session_token)
        .await
        .unwrap();
    let session = client.get_session(sid).await.unwrap();
    let _ = client.get_tracked_devices(sid).await.unwrap();
    client.delete_tracked_devices(sid).await.unwrap();
    let media_id = session.resources.media_ids()[0].clone();
    client.delete_media_content(sid, &media_id).await.unwrap();
    client.delete_session(sid).await.unwrap();
    assert!(client.get_session(sid).await.unwrap_err().is_not_found());
}
