//! IBV instructions (PUT/GET, PDF, contact profile, e-mail) and tracked devices.

use crate::common;

use common::*;
use serde_json::json;

#[test]
fn instructions_round_trip() {
    let emulator = emulator();
    let client = Client::new(&emulator);
    let app = App::test();
    let spec = json!({"requested_checks": [{"type": "ID_DOCUMENT_AUTHENTICITY"}], "required_documents": [{"type": "ID_DOCUMENT"}]});
    let (id, _) = client.create_session(&app, &spec);
    let base = format!("/sessions/{id}/instructions");

    client
        .get(&app, &base)
        .expect_error(404, "INSTRUCTIONS_NOT_FOUND");
    let pdf = client.get(&app, &format!("{base}/pdf"));
    assert_eq!(pdf.status, 204);
    client
        .get(&app, &format!("{base}/contact-profile"))
        .expect_error(404, "INSTRUCTIONS_NOT_FOUND");
    client
        .post_json(&app, SANDBOX, &format!("{base}/email"), &json!({}))
        .expect_error(409, "CONTACT_PROFILE_MISSING");

    let config = client
        .get(&app, &format!("/sessions/{id}/configuration"))
        .json();
    let requirement = config["capture"]["required_resources"][0]["id"].clone();
    let bad =
        json!({"documents": [{"requirement_id": "nope"}], "contact_profile": {"first_name": 1}});
    let body = client
        .put_json(&app, SANDBOX, &base, &bad)
        .expect_error(400, "PAYLOAD_VALIDATION");
    assert_eq!(body["errors"].as_array().map(Vec::len), Some(4));

    let instructions = json!({
        "contact_profile": {"first_name": "Jane", "last_name": "Doe", "email": "jane@example.com"},
        "documents": [{"requirement_id": requirement, "document": {"type": "ID_DOCUMENT", "country_code": "GBR", "document_type": "PASSPORT"}}],
        "branch": {"type": "UK_POST_OFFICE", "name": "Emulator Street", "post_code": "SW1A 1AA", "location": {"latitude": 51.5, "longitude": -0.14}}
    });
    let resp = client.put_json(&app, SANDBOX, &base, &instructions);
    assert_eq!(resp.status, 200, "{}", String::from_utf8_lossy(&resp.body));
    let got = client.get(&app, &base).json();
    assert_eq!(got["contact_profile_exists"], true);
    assert_eq!(got["documents"], instructions["documents"]);
    assert_eq!(got["branch"]["type"], "UK_POST_OFFICE");
    assert_eq!(
        client.get(&app, &format!("{base}/contact-profile")).json(),
        instructions["contact_profile"]
    );
    let pdf = client.get(&app, &format!("{base}/pdf"));
    assert_eq!(pdf.status, 200);
    assert_eq!(pdf.content_type.as_deref(), Some("application/pdf"));
    assert!(pdf.body.starts_with(b"%PDF-1.4"));
    assert!(pdf.body.ends_with(b"%%EOF\n"));
    let email = client.post_json(&app, SANDBOX, &format!("{base}/email"), &json!({}));
    assert_eq!(email.status, 200);
    // The same without a body, as the SDKs send it.
    assert_eq!(
        client
            .signed(&app, "POST", SANDBOX, &format!("{base}/email"), None, b"")
            .status,
        200
    );
    // Invisible to another application.
    client
        .get(&App::other(), &base)
        .expect_error(404, "SESSION_NOT_FOUND");
}

#[test]
fn tracked_devices_record_and_delete() {
    let emulator = emulator();
    let client = Client::new(&emulator);
    let app = App::test();
    let (id, token) = client.create_session(&app, &selfie_spec());
    let path = format!("/sessions/{id}/tracked-devices");
    assert_eq!(client.get(&app, &path).json(), json!([]));

    // The hosted page is loaded (twice: recorded once), then the agent completes.
    let page = format!("{API}/web/index.html?sessionID={id}&sessionToken={token}");
    let headers = [
        (
            "User-Agent",
            "Mozilla/5.0 (X11; Linux x86_64) Chrome/156.0 Safari/537.36",
        ),
        ("Accept-Language", "en-GB,en;q=0.9"),
    ];
    assert_eq!(client.raw("GET", &page, &headers, b"").status, 200);
    assert_eq!(client.raw("GET", &page, &headers, b"").status, 200);
    assert_eq!(client.agent(&app, &id, &token, None).status, 204);

    let events = client.get(&app, &path).json();
    let names: Vec<&str> = events
        .as_array()
        .expect("array")
        .iter()
        .filter_map(|e| e["event"].as_str())
        .collect();
    assert_eq!(
        names,
        [
            "CONFIG_FIRST_LOADED",
            "RESOURCE_CREATED",
            "CLIENT_SESSION_TOKEN_DELETED"
        ]
    );
    let first = &events[0];
    assert_eq!(first["device"]["browser_name"], "Chrome");
    assert_eq!(first["device"]["os_name"], "Linux");
    assert_eq!(first["device"]["locale"], "en-GB");
    assert!(first["created"].as_str().is_some_and(|c| c.ends_with('Z')));
    assert!(events[1]["resource_id"].is_string());

    let del = client.delete(&app, &path);
    assert_eq!(del.status, 204);
    assert_eq!(client.get(&app, &path).json(), json!([]));
    client
        .delete(&App::other(), &path)
        .expect_error(404, "SESSION_NOT_FOUND");
}
