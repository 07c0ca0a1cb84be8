//! The hosted capture page and its client API over plain HTTP (the browser test drives the
//! same page in Chromium).

use crate::common;

use common::*;
use serde_json::json;

fn page(client: &Client, id: &str, token: &str) -> Resp {
    client.raw(
        "GET",
        &format!("{API}/web/index.html?sessionID={id}&sessionToken={token}"),
        &[],
        b"",
    )
}

fn client_call(
    client: &Client,
    method: &str,
    id: &str,
    path: &str,
    token: &str,
    content_type: Option<&str>,
    body: &[u8],
) -> Resp {
    let mut headers = vec![("X-Yoti-Auth-Token", token)];
    if let Some(ct) = content_type {
        headers.push(("Content-Type", ct));
    }
    client.raw(
        method,
        &format!("{API}/client/sessions/{id}{path}"),
        &headers,
        body,
    )
}

#[test]
fn the_page_is_served_only_for_a_valid_session_and_token() {
    let emulator = emulator();
    let client = Client::new(&emulator);
    let app = App::test();
    let (id, token) = client.create_session(&app, &selfie_spec());
    let (other_id, other_token) = client.create_session(&app, &selfie_spec());

    let ok = page(&client, &id, &token);
    assert_eq!(ok.status, 200);
    assert!(
        ok.content_type
            .as_deref()
            .is_some_and(|c| c.starts_with("text/html"))
    );
    let html = String::from_utf8_lossy(&ok.body);
    assert!(
        html.contains("<script>") && !html.contains("src=\"http"),
        "no external assets"
    );
    assert!(
        !html.contains(&token),
        "the token is not written into the page"
    );
    assert_eq!(ok.header("cache-control"), Some("no-store"));

    for (sid, tok, status, code) in [
        (id.as_str(), other_token.as_str(), 401, "2000"),
        (other_id.as_str(), token.as_str(), 401, "2000"),
        (
            "00000000-0000-4000-8000-000000000000",
            token.as_str(),
            404,
            "2001",
        ),
    ] {
        let resp = page(&client, sid, tok);
        assert_eq!(resp.status, status);
        let html = String::from_utf8_lossy(&resp.body);
        assert!(html.contains(&format!("Error {code}")), "{html}");
        assert!(!html.contains(&id) && !html.contains(&other_id));
    }
    let resp = client.raw(
        "GET",
        &format!("{API}/web/index.html?sessionID={id}"),
        &[],
        b"",
    );
    assert!(String::from_utf8_lossy(&resp.body).contains("Error 2003"));
    // Another session's client API is refused with this token.
    client_call(
        &client,
        "GET",
        &other_id,
        "/configuration",
        &token,
        None,
        b"",
    )
    .expect_error(401, "BAD_TOKEN");
    client_call(&client, "GET", &id, "/configuration", "", None, b"")
        .expect_error(400, "MALFORMED_REQUEST");
    // Expired: 2002.
    emulator.advance_clock(std::time::Duration::from_secs(601));
    let resp = page(&client, &id, &token);
    assert_eq!(resp.status, 410);
    assert!(String::from_utf8_lossy(&resp.body).contains("Error 2002"));
    client_call(&client, "GET", &id, "/configuration", &token, None, b"")
        .expect_error(409, "SESSION_EXPIRED");
}

#[test]
fn client_api_completes_a_document_and_selfie_session() {
    let emulator = emulator();
    let client = Client::new(&emulator);
    let app = App::test();
    let spec = json!({
        "requested_checks": [{"type": "LIVENESS", "config": {"liveness_type": "STATIC"}}, {"type": "ID_DOCUMENT_AUTHENTICITY"}],
        "required_documents": [{"type": "ID_DOCUMENT"}],
        "sdk_config": {"success_url": "https://example.com/done", "error_url": "https://example.com/oops", "primary_colour": "#123456"}
    });
    let (id, token) = client.create_session(&app, &spec);
    let config = client_call(&client, "GET", &id, "/configuration", &token, None, b"").json();
    assert_eq!(config["biometric_consent"], "REQUIRED");
    assert_eq!(config["success_url"], "https://example.com/done");
    let requirements = config["requirements"].as_array().expect("requirements");
    assert_eq!(requirements.len(), 2);
    let doc_requirement = requirements
        .iter()
        .find(|r| r["type"] == "ID_DOCUMENT")
        .expect("doc")["id"]
        .as_str()
        .expect("id")
        .to_owned();

    // Completing too early names what is missing.
    let body = client_call(&client, "POST", &id, "/complete", &token, None, b"")
        .expect_error(400, "PAYLOAD_VALIDATION");
    assert_eq!(body["errors"].as_array().map(Vec::len), Some(3));

    client_call(
        &client,
        "PUT",
        &id,
        "/liveness",
        &token,
        Some("image/gif"),
        b"GIF89a",
    )
    .expect_error(400, "PAYLOAD_VALIDATION");
    let resp = client_call(
        &client,
        "PUT",
        &id,
        "/liveness",
        &token,
        Some("image/png"),
        SMALL_PNG,
    );
    assert_eq!(resp.status, 201, "{}", String::from_utf8_lossy(&resp.body));
    let doc_path =
        format!("/documents/{doc_requirement}?issuing_country=USA&document_type=STATE_ID");
    let resp = client_call(
        &client,
        "PUT",
        &id,
        &doc_path,
        &token,
        Some("image/jpeg"),
        REFERENCE_JPEG,
    );
    assert_eq!(resp.status, 201, "{}", String::from_utf8_lossy(&resp.body));
    let wrong = format!("/documents/{doc_requirement}?issuing_country=USA&document_type=AADHAAR");
    client_call(
        &client,
        "PUT",
        &id,
        &wrong,
        &token,
        Some("image/jpeg"),
        REFERENCE_JPEG,
    )
    .expect_error(409, "ALREADY_CAPTURED");
    assert_eq!(
        client_call(&client, "POST", &id, "/consent", &token, None, b"").status,
        204
    );
    let done = client_call(&client, "POST", &id, "/complete", &token, None, b"");
    assert_eq!(done.status, 200, "{}", String::from_utf8_lossy(&done.body));
    assert_eq!(
        done.json(),
        json!({"redirect_url": "https://example.com/done"})
    );

    // The token is used up; the session's results are there.
    client_call(&client, "GET", &id, "/configuration", &token, None, b"")
        .expect_error(401, "BAD_TOKEN");
    assert_eq!(page(&client, &id, &token).status, 401);
    let s = client.session(&app, &id);
    assert_eq!(s["state"], "COMPLETED");
    assert_eq!(
        s["resources"]["id_documents"][0]["document_type"],
        "STATE_ID"
    );
    assert_eq!(
        s["resources"]["id_documents"][0]["pages"][0]["capture_method"],
        "UPLOAD"
    );
    let liveness_media = s["resources"]["liveness_capture"][0]["image"]["media"]["id"]
        .as_str()
        .expect("media");
    assert_eq!(
        client
            .get(
                &app,
                &format!("/sessions/{id}/media/{liveness_media}/content")
            )
            .body,
        SMALL_PNG
    );
    let checks: Vec<(&str, &str)> = s["checks"]
        .as_array()
        .expect("checks")
        .iter()
        .map(|c| {
            (
                c["type"].as_str().unwrap_or(""),
                c["report"]["recommendation"]["value"]
                    .as_str()
                    .unwrap_or(""),
            )
        })
        .collect();
    assert_eq!(
        checks,
        [
            ("LIVENESS", "APPROVE"),
            ("ID_DOCUMENT_AUTHENTICITY", "APPROVE")
        ]
    );
    assert!(s["biometric_consent"].is_string());
}
