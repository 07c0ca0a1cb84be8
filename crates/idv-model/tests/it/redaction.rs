//! Secrets and personal data never reach `Debug`.

// Test helpers: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used)]

use idv_model::*;

fn fixture<T: serde::de::DeserializeOwned>(name: &str) -> T {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn assert_hidden(debug: &str, secrets: &[&str]) {
    for s in secrets {
        assert!(!debug.contains(s), "`{s}` is printed: {debug}");
    }
    assert!(debug.contains("<redacted>"), "{debug}");
}

#[test]
fn responses_hide_tokens_and_personal_data() {
    let created: CreateSessionResult = fixture("create_session_result.json");
    assert_hidden(&format!("{created:?}"), &["c0ffee00-1234"]);
    assert!(format!("{created:?}").contains("3f0b1c2d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"));

    let session: GetSessionResult = fixture("get_session_full.json");
    let debug = format!("{session:?}");
    assert_hidden(
        &debug,
        &[
            "b5c9e1d2-0a3b",
            "subject-jane-doe-1985",
            "ca-api-key-do-not-print",
        ],
    );
    // the rest stays useful for debugging
    assert!(debug.contains("c1000000-0000-4000-8000-000000000001"));
    assert!(debug.contains("IdDocumentAuthenticity"));

    let devices: Vec<TrackedDeviceEvent> = fixture("tracked_devices.json");
    let debug = format!("{devices:?}");
    assert_hidden(&debug, &["203.0.113.42", "198.51.100.7"]);
    assert!(debug.contains("iPhone 15"));

    let contact: ContactProfileResponse = fixture("contact_profile.json");
    assert_hidden(
        &format!("{contact:?}"),
        &["Jane", "Doe", "jane.doe@example.com"],
    );
}

#[test]
fn unknown_variants_print_their_size_not_their_raw_json() {
    let session: GetSessionResult = serde_json::from_str(
        r#"{"checks":[{"type":"NEW","id":"c1","passport_number":"123456789"}]}"#,
    )
    .unwrap();
    let debug = format!("{:?}", session.checks[0]);
    assert!(!debug.contains("123456789"), "{debug}");
    assert!(debug.contains("raw_json_len"), "{debug}");
    assert!(debug.contains("\"c1\""), "{debug}");
}

#[test]
fn requests_hide_credentials_and_personal_data() {
    let notifications =
        NotificationConfig::new("https://e.com/hook").with_auth_token("user:hunter2");
    assert_hidden(&format!("{notifications:?}"), &["hunter2"]);

    let ca = RequestedCustomAccountWatchlistAdvancedCaConfig::new("ca-secret-key", "ref");
    let check = RequestedCheck::from(ca);
    assert_hidden(&format!("{check:?}"), &["ca-secret-key"]);

    let contact = ContactProfile::new()
        .with_first_name("Jane")
        .with_last_name("Doe")
        .with_email("jane.doe@example.com");
    let instructions = Instructions::new().with_contact_profile(contact);
    assert_hidden(
        &format!("{instructions:?}"),
        &["Jane", "Doe", "jane.doe@example.com"],
    );

    let spec = SessionSpecification::new()
        .with_subject(Subject::new("subject-42"))
        .with_resources(
            SessionResources::new().with_applicant_profile(
                serde_json::json!({"full_name": "Jane Doe"})
                    .as_object()
                    .unwrap()
                    .clone(),
            ),
        )
        .with_notifications(notifications);
    assert_hidden(&format!("{spec:?}"), &["subject-42", "Jane Doe", "hunter2"]);

    let agent = SandboxAgentPayload::new("s1", ClientSessionToken::new("tok-secret"));
    assert_hidden(&format!("{agent:?}"), &["tok-secret"]);

    let photo = SandboxDocumentIdPhoto::new("image/jpeg", "/9j/4AAQSkZJRgABAQ");
    let fields = serde_json::json!({"full_name": "JANE DOE"})
        .as_object()
        .unwrap()
        .clone();
    let result = SandboxTaskResultData::new()
        .with_document_id_photo(photo)
        .with_document_fields(fields.clone());
    assert_hidden(&format!("{result:?}"), &["/9j/4AAQ", "JANE DOE"]);
    let check = SandboxCheckResult::new().with_document_fields(fields);
    assert_hidden(&format!("{check:?}"), &["JANE DOE"]);

    let image = UploadFaceCaptureImagePayload::jpeg(vec![0xff, 0xd8, 0xff, 0xe0]);
    assert_eq!(
        format!("{image:?}"),
        r#"UploadFaceCaptureImagePayload { content_type: "image/jpeg", len: 4 }"#
    );
}
