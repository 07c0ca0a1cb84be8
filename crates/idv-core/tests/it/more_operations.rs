//! Requests and responses of the operations beyond the selfie flow: supported documents,
//! tracked devices and in-branch (IBV) instructions.

// Test helpers: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used)]

use idv_auth::{FixedNonce, FixedTimestamp, PrivateKey, RequestSigner};
use idv_core::operations::*;
use idv_core::request::BaseUrl;
use idv_core::{Error, Operation};
use idv_model::*;

const KEY: &str = idv_test_support::keys::TEST_KEY;
const SDK_ID: &str = "sdk-1";

fn build<O: Operation>(op: &O) -> http::Request<Vec<u8>> {
    let signer = RequestSigner::new(SDK_ID, PrivateKey::from_pem(KEY).unwrap())
        .with_nonce_source(FixedNonce("n-1".to_owned()))
        .with_timestamp_source(FixedTimestamp(7));
    op.request()
        .unwrap()
        .to_http(&BaseUrl::default(), &signer)
        .unwrap()
}

fn response(status: u16, content_type: Option<&str>, body: &[u8]) -> http::Response<Vec<u8>> {
    let mut b = http::Response::builder().status(status);
    if let Some(ct) = content_type {
        b = b.header("content-type", ct);
    }
    b.body(body.to_vec()).unwrap()
}

fn json(body: &str) -> http::Response<Vec<u8>> {
    response(200, Some("application/json"), body.as_bytes())
}

#[test]
fn supported_documents_request_and_response() {
    let req = build(&GetSupportedDocuments {
        include_non_latin: false,
    });
    assert_eq!(req.method(), http::Method::GET);
    assert_eq!(
        req.uri().path_and_query().unwrap().as_str(),
        "/idverify/v1/supported-documents?nonce=n-1&timestamp=7"
    );
    assert!(req.headers().contains_key("x-yoti-auth-digest"));
    let req = build(&GetSupportedDocuments {
        include_non_latin: true,
    });
    assert_eq!(
        req.uri().query().unwrap(),
        "includeNonLatin=true&nonce=n-1&timestamp=7"
    );

    let docs = GetSupportedDocuments::default()
        .parse(json(
            r#"{"supported_countries":[{"code":"GBR","supported_documents":[{"type":"PASSPORT","is_strictly_latin":true},{"type":"DRIVING_LICENCE"}]},{"code":"USA","supported_documents":[]}]}"#,
        ))
        .unwrap();
    assert_eq!(docs.supported_countries.len(), 2);
    assert_eq!(docs.supported_countries[0].code.as_deref(), Some("GBR"));
    assert_eq!(docs.supported_countries[0].supported_documents.len(), 2);
}

#[test]
fn tracked_devices_requests_and_response() {
    let req = build(&GetTrackedDevices {
        session_id: &"s1".into(),
    });
    assert_eq!(req.method(), http::Method::GET);
    assert_eq!(req.uri().path(), "/idverify/v1/sessions/s1/tracked-devices");
    assert_eq!(
        req.uri().query().unwrap(),
        "sdkId=sdk-1&nonce=n-1&timestamp=7"
    );
    let req = build(&DeleteTrackedDevices {
        session_id: &"s1".into(),
    });
    assert_eq!(req.method(), http::Method::DELETE);
    assert_eq!(req.uri().path(), "/idverify/v1/sessions/s1/tracked-devices");

    let events = GetTrackedDevices { session_id: &"s1".into() }
        .parse(json(
            r#"[{"event":"CONFIG_FIRST_LOADED","created":"2026-01-01T00:00:00Z","device":{"ip_address":"203.0.113.9","ip_iso_country_code":"GBR","browser_name":"Chrome"}},
                {"event":"SOMETHING_NEW","device":null}]"#,
        ))
        .unwrap();
    assert_eq!(events.len(), 2);
    let debug = format!("{events:?}");
    assert!(!debug.contains("203.0.113.9"), "{debug}");
    assert!(
        DeleteTrackedDevices {
            session_id: &"s1".into()
        }
        .parse(response(204, None, b""))
        .is_ok()
    );
}

#[test]
fn ibv_instructions_requests_and_responses() {
    let instructions = Instructions::new()
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
                .with_location(Location::new(51.5, -0.12)),
        );
    let req = build(&PutIbvInstructions {
        session_id: &"s1".into(),
        instructions: &instructions,
    });
    assert_eq!(req.method(), http::Method::PUT);
    assert_eq!(req.uri().path(), "/idverify/v1/sessions/s1/instructions");
    assert_eq!(req.headers()["content-type"], "application/json");
    let body: serde_json::Value = serde_json::from_slice(req.body()).unwrap();
    assert_eq!(body["contact_profile"]["first_name"], "Ada");
    assert_eq!(body["branch"]["type"], "UK_POST_OFFICE");
    assert_eq!(body["branch"]["location"]["latitude"], 51.5);
    assert!(
        PutIbvInstructions {
            session_id: &"s1".into(),
            instructions: &instructions
        }
        .is_idempotent()
    );

    for (req, method, path) in [
        (
            build(&GetIbvInstructions {
                session_id: &"s1".into(),
            }),
            "GET",
            "/instructions",
        ),
        (
            build(&GetIbvInstructionsPdf {
                session_id: &"s1".into(),
            }),
            "GET",
            "/instructions/pdf",
        ),
        (
            build(&FetchInstructionsContactProfile {
                session_id: &"s1".into(),
            }),
            "GET",
            "/instructions/contact-profile",
        ),
        (
            build(&TriggerIbvEmailNotification {
                session_id: &"s1".into(),
            }),
            "POST",
            "/instructions/email",
        ),
    ] {
        assert_eq!(req.method().as_str(), method);
        assert_eq!(req.uri().path(), format!("/idverify/v1/sessions/s1{path}"));
        assert!(req.body().is_empty());
    }
    assert!(
        !TriggerIbvEmailNotification {
            session_id: &"s1".into()
        }
        .is_idempotent()
    );
    assert!(
        GetIbvInstructionsPdf {
            session_id: &"s1".into()
        }
        .is_media()
    );
    assert!(
        !GetIbvInstructions {
            session_id: &"s1".into()
        }
        .is_media()
    );

    let got = GetIbvInstructions { session_id: &"s1".into() }
        .parse(json(
            r#"{"contact_profile_exists":true,"documents":[{"requirement_id":"r1","document":{"type":"ID_DOCUMENT","country_code":"GBR","document_type":"PASSPORT"}}],
                "branch":{"type":"UK_POST_OFFICE","fad_code":"123456","name":"Main St","address":"1 Main St","post_code":"AB1 2CD","location":{"latitude":51.5,"longitude":-0.12}}}"#,
        ))
        .unwrap();
    assert_eq!(got.contact_profile_exists, Some(true));
    assert_eq!(got.documents.len(), 1);

    let profile = FetchInstructionsContactProfile {
        session_id: &"s1".into(),
    }
    .parse(json(
        r#"{"first_name":"Ada","last_name":"Lovelace","email":"ada@example.com"}"#,
    ))
    .unwrap();
    assert_eq!(profile.first_name.as_deref(), Some("Ada"));
    let debug = format!("{profile:?}");
    assert!(
        !debug.contains("Ada") && !debug.contains("ada@example.com"),
        "{debug}"
    );

    let pdf = GetIbvInstructionsPdf {
        session_id: &"s1".into(),
    }
    .parse(response(200, Some("application/pdf"), b"%PDF-1.4"))
    .unwrap()
    .unwrap();
    assert_eq!(pdf.mime_type, "application/pdf");
    assert!(
        GetIbvInstructionsPdf {
            session_id: &"s1".into()
        }
        .parse(response(204, None, b""))
        .unwrap()
        .is_none()
    );
    assert!(
        TriggerIbvEmailNotification {
            session_id: &"s1".into()
        }
        .parse(response(202, None, b""))
        .is_ok()
    );
}

#[test]
fn every_new_operation_maps_api_errors() {
    let error = || {
        response(
            404,
            Some("application/json"),
            br#"{"code":"SESSION_NOT_FOUND","message":"no such session","errors":[{"property":"session_id","message":"unknown"}]}"#,
        )
    };
    let errors: Vec<Error> = vec![
        GetSupportedDocuments::default().parse(error()).unwrap_err(),
        GetTrackedDevices {
            session_id: &"s".into(),
        }
        .parse(error())
        .unwrap_err(),
        DeleteTrackedDevices {
            session_id: &"s".into(),
        }
        .parse(error())
        .unwrap_err(),
        GetIbvInstructions {
            session_id: &"s".into(),
        }
        .parse(error())
        .unwrap_err(),
        GetIbvInstructionsPdf {
            session_id: &"s".into(),
        }
        .parse(error())
        .unwrap_err(),
        FetchInstructionsContactProfile {
            session_id: &"s".into(),
        }
        .parse(error())
        .unwrap_err(),
        TriggerIbvEmailNotification {
            session_id: &"s".into(),
        }
        .parse(error())
        .unwrap_err(),
        PutIbvInstructions {
            session_id: &"s".into(),
            instructions: &Instructions::new(),
        }
        .parse(error())
        .unwrap_err(),
    ];
    for err in errors {
        assert!(err.is_not_found());
        assert_eq!(err.code(), Some("SESSION_NOT_FOUND"));
        let api = err.as_api().unwrap();
        assert_eq!(
            api.property_errors()[0].property.as_deref(),
            Some("session_id")
        );
    }
}
