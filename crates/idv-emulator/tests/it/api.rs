//! End-to-end tests over HTTP: the selfie flow, authentication, validation, media, deletion.

use crate::common;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use common::*;
use idv_emulator::Emulator;
use serde_json::{Value, json};

fn error_properties(body: &Value) -> Vec<String> {
    body["errors"]
        .as_array()
        .map(|errors| {
            errors
                .iter()
                .map(|e| e["property"].as_str().unwrap_or_default().to_owned())
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn full_selfie_flow() {
    let emulator = emulator();
    let client = Client::new(&emulator);
    let app = App::test();

    // Create, with the Node SDK's exact body bytes.
    let resp = client.signed(
        &app,
        "POST",
        SANDBOX,
        "/sessions",
        Some("application/json"),
        SELFIE_SPEC.as_bytes(),
    );
    assert_eq!(resp.status, 201, "{}", String::from_utf8_lossy(&resp.body));
    assert_eq!(resp.content_type.as_deref(), Some("application/json"));
    let created = resp.json();
    assert_eq!(created["client_session_token_ttl"], 600);
    let session_id = created["session_id"]
        .as_str()
        .expect("session_id")
        .to_owned();
    let token = created["client_session_token"]
        .as_str()
        .expect("token")
        .to_owned();
    assert_eq!(session_id.len(), 36);
    assert_ne!(session_id, token);

    // Configuration: a FACE_CAPTURE and a STATIC LIVENESS requirement.
    let config = client.get(&app, &format!("/sessions/{session_id}/configuration"));
    assert_eq!(config.status, 200);
    let config = config.json();
    assert_eq!(config["session_id"], session_id.as_str());
    assert_eq!(
        config["requested_checks"],
        json!(["LIVENESS", "FACE_COMPARISON"])
    );
    let ttl = config["client_session_token_ttl"].as_u64().expect("ttl");
    assert!((595..=600).contains(&ttl), "{ttl}");
    assert_eq!(config["capture"]["biometric_consent"], "REQUIRED");
    let required = config["capture"]["required_resources"]
        .as_array()
        .expect("array");
    assert_eq!(required.len(), 2);
    assert_eq!(required[0]["type"], "FACE_CAPTURE");
    assert_eq!(required[0]["state"], "REQUIRED");
    assert_eq!(
        required[0]["allowed_sources"],
        json!([{"type": "RELYING_BUSINESS"}])
    );
    assert_eq!(required[1]["type"], "LIVENESS");
    assert_eq!(required[1]["liveness_type"], "STATIC");
    assert_eq!(
        required[1]["allowed_sources"],
        json!([{"type": "END_USER"}])
    );
    let requirement_id = required[0]["id"].as_str().expect("id").to_owned();

    // Before the agent: ONGOING, no checks, no consent.
    let session = client.get(&app, &format!("/sessions/{session_id}")).json();
    assert_eq!(session["state"], "ONGOING");
    assert_eq!(session["checks"], json!([]));
    assert_eq!(session["user_tracking_id"], "some-user-tracking-id");
    assert_eq!(session["client_session_token"], token.as_str());
    assert!(session.get("biometric_consent").is_none());
    assert_eq!(
        session["resources"],
        json!({"id_documents": [], "supplementary_documents": [], "liveness_capture": [], "face_capture": []})
    );

    // Face-capture resource, then the reference image as Node sends it (image/jpg).
    let resp = client.post_json(
        &app,
        SANDBOX,
        &format!("/sessions/{session_id}/resources/face-capture"),
        &json!({"requirement_id": requirement_id}),
    );
    assert_eq!(resp.status, 201, "{}", String::from_utf8_lossy(&resp.body));
    let resource = resp.json();
    assert_eq!(resource["frames"], 1);
    let resource_id = resource["id"].as_str().expect("id").to_owned();

    let no_media = client.get(
        &app,
        &format!("/sessions/{session_id}/media/{resource_id}/content"),
    );
    // A resource without an image yet names no media: 404, as the API reference lists.
    no_media.expect_error(404, "MEDIA_NOT_FOUND");

    let upload = client.upload_image(&app, &session_id, &resource_id, "image/jpg", REFERENCE_JPEG);
    assert_eq!(
        upload.status,
        204,
        "{}",
        String::from_utf8_lossy(&upload.body)
    );
    assert!(upload.body.is_empty());

    let config = client
        .get(&app, &format!("/sessions/{session_id}/configuration"))
        .json();
    assert_eq!(
        config["capture"]["required_resources"][0]["state"],
        "COMPLETE"
    );
    assert_eq!(
        config["capture"]["required_resources"][1]["state"],
        "REQUIRED"
    );

    let session = client.get(&app, &format!("/sessions/{session_id}")).json();
    assert_eq!(session["state"], "ONGOING");
    let face = &session["resources"]["face_capture"][0];
    assert_eq!(face["id"], resource_id.as_str());
    assert_eq!(face["image"]["media"]["type"], "IMAGE");
    let face_media_id = face["image"]["media"]["id"]
        .as_str()
        .expect("media id")
        .to_owned();
    assert!(
        face["image"]["media"]["created"]
            .as_str()
            .is_some_and(|t| t.ends_with('Z'))
    );

    // The agent completes the session.
    let resp = client.agent(&app, &session_id, &token, None);
    assert_eq!(resp.status, 204, "{}", String::from_utf8_lossy(&resp.body));

    let session = client.get(&app, &format!("/sessions/{session_id}")).json();
    assert_eq!(session["state"], "COMPLETED");
    assert!(
        session["biometric_consent"]
            .as_str()
            .is_some_and(|t| t.ends_with('Z'))
    );
    let liveness = &session["resources"]["liveness_capture"][0];
    assert_eq!(liveness["liveness_type"], "STATIC");
    assert_eq!(liveness["source"]["type"], "END_USER");
    let liveness_id = liveness["id"].as_str().expect("liveness id").to_owned();
    let liveness_media_id = liveness["image"]["media"]["id"]
        .as_str()
        .expect("media")
        .to_owned();

    let checks = session["checks"].as_array().expect("checks");
    assert_eq!(checks.len(), 2);
    assert_eq!(checks[0]["type"], "LIVENESS");
    assert_eq!(checks[0]["state"], "DONE");
    assert_eq!(
        checks[0]["report"]["recommendation"],
        json!({"value": "APPROVE"})
    );
    assert_eq!(
        checks[0]["report"]["breakdown"],
        json!([
            {"sub_check": "liveness_auth", "result": "PASS", "details": []},
            {"sub_check": "face_processing", "result": "PASS", "details": []},
            {"sub_check": "payload_signature_verification", "result": "PASS", "details": []},
        ])
    );
    assert_eq!(checks[0]["resources_used"], json!([liveness_id]));
    assert_eq!(checks[1]["type"], "FACE_COMPARISON");
    assert_eq!(checks[1]["state"], "DONE");
    assert_eq!(
        checks[1]["report"]["recommendation"],
        json!({"value": "APPROVE"})
    );
    assert_eq!(
        checks[1]["report"]["breakdown"],
        json!([{"sub_check": "ai_face_match", "result": "PASS", "details": [{"name": "confidence_score", "value": "0.99"}]}])
    );
    assert_eq!(
        checks[1]["resources_used"],
        json!([resource_id, liveness_id])
    );

    // Media bytes come back exactly; image/jpg is served as image/jpeg.
    let media = client.get(
        &app,
        &format!("/sessions/{session_id}/media/{face_media_id}/content"),
    );
    assert_eq!(media.status, 200);
    assert_eq!(media.content_type.as_deref(), Some("image/jpeg"));
    assert_eq!(media.body, REFERENCE_JPEG);

    let media = client.get(
        &app,
        &format!("/sessions/{session_id}/media/{liveness_media_id}/content"),
    );
    assert_eq!(media.status, 200);
    assert_eq!(media.content_type.as_deref(), Some("image/jpeg"));
    assert!(media.body.starts_with(&[0xFF, 0xD8, 0xFF]));

    // The same session through the sandbox base.
    let via_sandbox = client.signed(
        &app,
        "GET",
        SANDBOX,
        &format!("/sessions/{session_id}"),
        None,
        b"",
    );
    assert_eq!(via_sandbox.status, 200);
    assert_eq!(via_sandbox.json()["state"], "COMPLETED");

    emulator.shutdown();
}

#[test]
fn agent_takes_a_given_liveness_image() {
    let emulator = emulator();
    let client = Client::new(&emulator);
    let app = App::test();
    let (session_id, token) = client.create_session(&app, &selfie_spec());

    let resp = client.agent(
        &app,
        &session_id,
        &token,
        Some(("liveness_image", json!(STANDARD.encode(SMALL_PNG)))),
    );
    assert_eq!(resp.status, 204, "{}", String::from_utf8_lossy(&resp.body));

    let session = client.get(&app, &format!("/sessions/{session_id}")).json();
    let media_id = session["resources"]["liveness_capture"][0]["image"]["media"]["id"]
        .as_str()
        .expect("media id")
        .to_owned();
    let media = client.get(
        &app,
        &format!("/sessions/{session_id}/media/{media_id}/content"),
    );
    assert_eq!(media.status, 200);
    assert_eq!(media.content_type.as_deref(), Some("image/png"));
    assert_eq!(media.body, SMALL_PNG);

    // No reference image was uploaded: FACE_COMPARISON is NOT_AVAILABLE.
    let checks = &session["checks"];
    assert_eq!(checks[0]["report"]["recommendation"]["value"], "APPROVE");
    assert_eq!(
        checks[1]["report"]["recommendation"],
        json!({"value": "NOT_AVAILABLE", "reason": "REFERENCE_IMAGE_MISSING"})
    );
    assert_eq!(checks[1]["report"]["breakdown"], json!([]));
}

#[test]
fn agent_errors() {
    let emulator = emulator();
    let client = Client::new(&emulator);
    let app = App::test();
    let (session_id, token) = client.create_session(&app, &selfie_spec());

    client
        .agent(&app, &session_id, "not-the-token", None)
        .expect_error(401, "BAD_TOKEN");
    client
        .agent(&App::other(), &session_id, &token, None)
        .expect_error(404, "SESSION_NOT_FOUND");
    let body = client
        .post_json(&app, SANDBOX, "/agent", &json!({"session_id": session_id}))
        .expect_error(400, "PAYLOAD_VALIDATION");
    assert_eq!(error_properties(&body), ["client_session_token"]);
    // The agent lives on the sandbox base only.
    client
        .post_json(
            &app,
            API,
            "/agent",
            &json!({"session_id": session_id, "client_session_token": token}),
        )
        .expect_error(404, "NOT_FOUND");

    assert_eq!(client.agent(&app, &session_id, &token, None).status, 204);
    client
        .agent(&app, &session_id, &token, None)
        .expect_error(409, "SESSION_COMPLETED");
}

#[test]
fn rejects_a_wrong_signature() {
    let emulator = emulator();
    let client = Client::new(&emulator);
    let app = App::test();
    let body = SELFIE_SPEC.as_bytes();

    // Signed over another body than the one sent.
    let target = signed_path(SDK_ID, "/sessions");
    let sig = digest(&app.key, "POST", &target, b"{}");
    client
        .raw(
            "POST",
            &format!("{API}{target}"),
            &[
                ("X-Yoti-Auth-Digest", &sig),
                ("Content-Type", "application/json"),
            ],
            body,
        )
        .expect_error(401, "UNAUTHORIZED");

    // Signed over the path including the /idverify/v1 prefix.
    let target = signed_path(SDK_ID, "/sessions");
    let sig = digest(&app.key, "POST", &format!("{API}{target}"), body);
    client
        .raw(
            "POST",
            &format!("{API}{target}"),
            &[("X-Yoti-Auth-Digest", &sig)],
            body,
        )
        .expect_error(401, "UNAUTHORIZED");

    // Signed with another method.
    let target = signed_path(SDK_ID, "/sessions/abc");
    let sig = digest(&app.key, "DELETE", &target, b"");
    client
        .raw(
            "GET",
            &format!("{API}{target}"),
            &[("X-Yoti-Auth-Digest", &sig)],
            b"",
        )
        .expect_error(401, "UNAUTHORIZED");

    // Not base64 at all.
    let target = signed_path(SDK_ID, "/sessions/abc");
    client
        .raw(
            "GET",
            &format!("{API}{target}"),
            &[("X-Yoti-Auth-Digest", "not base64!")],
            b"",
        )
        .expect_error(401, "UNAUTHORIZED");
}

#[test]
fn rejects_the_key_of_another_app() {
    let emulator = emulator();
    let client = Client::new(&emulator);
    // sdkId of the test app, signature by the other app's key.
    let impostor = App {
        sdk_id: SDK_ID.to_owned(),
        key: App::other().key,
    };
    client
        .signed(
            &impostor,
            "POST",
            SANDBOX,
            "/sessions",
            Some("application/json"),
            SELFIE_SPEC.as_bytes(),
        )
        .expect_error(401, "UNAUTHORIZED");
}

#[test]
fn rejects_a_missing_digest() {
    let emulator = emulator();
    let client = Client::new(&emulator);
    let target = signed_path(SDK_ID, "/sessions");
    let body = client
        .raw(
            "POST",
            &format!("{API}{target}"),
            &[("Content-Type", "application/json")],
            SELFIE_SPEC.as_bytes(),
        )
        .expect_error(401, "UNAUTHORIZED");
    assert!(
        body["message"]
            .as_str()
            .is_some_and(|m| m.contains("X-Yoti-Auth-Digest"))
    );
}

#[test]
fn unknown_sdk_id_is_404_before_the_signature() {
    let emulator = emulator();
    let client = Client::new(&emulator);
    let stranger = App::new("11111111-2222-4333-8444-555555555555", TEST_KEY);
    client
        .get(&stranger, "/sessions/abc")
        .expect_error(404, "APPLICATION_NOT_FOUND");
    // Even without a digest.
    let target = signed_path(&stranger.sdk_id, "/sessions/abc");
    client
        .raw("GET", &format!("{API}{target}"), &[], b"")
        .expect_error(404, "APPLICATION_NOT_FOUND");
}

#[test]
fn missing_auth_query_parameters_are_400() {
    let emulator = emulator();
    let client = Client::new(&emulator);
    let app = App::test();
    let target = format!("/sessions/abc?sdkId={SDK_ID}");
    let body = client
        .signed_target(&app, "GET", API, &target, None, b"")
        .expect_error(400, "MALFORMED_REQUEST");
    assert_eq!(error_properties(&body), ["query.nonce", "query.timestamp"]);

    let body = client
        .raw("GET", &format!("{API}/sessions/abc"), &[], b"")
        .expect_error(400, "MALFORMED_REQUEST");
    assert_eq!(
        error_properties(&body),
        ["query.sdkId", "query.nonce", "query.timestamp"]
    );
}

#[test]
fn verifies_the_raw_request_target() {
    let emulator = emulator();
    let client = Client::new(&emulator);
    let app = App::test();
    // Query order, extra parameters and escapes are signed exactly as sent.
    let raw = format!(
        "/sessions?x=a%20b&timestamp={}&sdkId={SDK_ID}&nonce={}",
        timestamp_millis(),
        nonce()
    );
    let resp = client.signed_target(
        &app,
        "POST",
        SANDBOX,
        &raw,
        Some("application/json"),
        SELFIE_SPEC.as_bytes(),
    );
    assert_eq!(resp.status, 201, "{}", String::from_utf8_lossy(&resp.body));

    // Signing the decoded form of the same target fails (with a fresh nonce: a used one is
    // refused from the request head, before the signature is looked at).
    let raw = format!(
        "/sessions?x=a%20b&timestamp={}&sdkId={SDK_ID}&nonce={}",
        timestamp_millis(),
        nonce()
    );
    let sig = digest(
        &app.key,
        "POST",
        &raw.replace("%20", " "),
        SELFIE_SPEC.as_bytes(),
    );
    client
        .raw(
            "POST",
            &format!("{API}{raw}"),
            &[("X-Yoti-Auth-Digest", &sig)],
            SELFIE_SPEC.as_bytes(),
        )
        .expect_error(401, "UNAUTHORIZED");
}

#[test]
fn sessions_of_one_app_are_invisible_to_another() {
    let emulator = emulator();
    let client = Client::new(&emulator);
    let (app, other) = (App::test(), App::other());
    let (session_id, _) = client.create_session(&app, &selfie_spec());

    for path in [
        format!("/sessions/{session_id}"),
        format!("/sessions/{session_id}/configuration"),
        format!("/sessions/{session_id}/media/whatever/content"),
    ] {
        client
            .get(&other, &path)
            .expect_error(404, "SESSION_NOT_FOUND");
    }
    client
        .delete(&other, &format!("/sessions/{session_id}"))
        .expect_error(404, "SESSION_NOT_FOUND");
    // Still there for its owner.
    assert_eq!(
        client.get(&app, &format!("/sessions/{session_id}")).status,
        200
    );
}

#[test]
fn unknown_check_type_names_the_property() {
    let emulator = emulator();
    let client = Client::new(&emulator);
    let app = App::test();
    let spec = json!({"requested_checks": [{"type": "NOT_A_CHECK", "config": {}}]});
    let body = client
        .post_json(&app, SANDBOX, "/sessions", &spec)
        .expect_error(400, "PAYLOAD_VALIDATION");
    assert_eq!(error_properties(&body), ["requested_checks[0].type"]);

    let spec = json!({"client_session_token_ttl": "600", "requested_checks": [{"type": "LIVENESS"}, {"kind": "x"}]});
    let body = client
        .post_json(&app, SANDBOX, "/sessions", &spec)
        .expect_error(400, "PAYLOAD_VALIDATION");
    assert_eq!(
        error_properties(&body),
        [
            "client_session_token_ttl",
            "requested_checks[0].config.liveness_type",
            "requested_checks[1].type"
        ]
    );

    client
        .signed(
            &app,
            "POST",
            SANDBOX,
            "/sessions",
            Some("application/json"),
            b"{not json",
        )
        .expect_error(400, "MALFORMED_REQUEST");
}

#[test]
fn face_capture_errors() {
    let emulator = emulator();
    let client = Client::new(&emulator);
    let app = App::test();
    let (session_id, _) = client.create_session(&app, &selfie_spec());
    let path = format!("/sessions/{session_id}/resources/face-capture");

    let body = client
        .post_json(&app, SANDBOX, &path, &json!({"requirement_id": "nope"}))
        .expect_error(400, "PAYLOAD_VALIDATION");
    assert_eq!(error_properties(&body), ["requirement_id"]);

    let config = client
        .get(&app, &format!("/sessions/{session_id}/configuration"))
        .json();
    let requirement_id = config["capture"]["required_resources"][0]["id"].clone();
    let resource = client
        .post_json(
            &app,
            SANDBOX,
            &path,
            &json!({"requirement_id": requirement_id}),
        )
        .json();
    let resource_id = resource["id"].as_str().expect("id");

    let body = client
        .upload_image(&app, &session_id, resource_id, "image/gif", b"GIF89a")
        .expect_error(400, "PAYLOAD_VALIDATION");
    assert_eq!(error_properties(&body), ["binary-content"]);
    client
        .upload_image(
            &app,
            &session_id,
            resource_id,
            "image/jpeg",
            b"not really a jpeg",
        )
        .expect_error(400, "PAYLOAD_VALIDATION");
    client
        .upload_image(
            &app,
            &session_id,
            "unknown-resource",
            "image/jpeg",
            REFERENCE_JPEG,
        )
        .expect_error(404, "RESOURCE_NOT_FOUND");
    let not_multipart = client.signed(
        &app,
        "PUT",
        SANDBOX,
        &format!("/sessions/{session_id}/resources/face-capture/{resource_id}/image"),
        Some("image/jpeg"),
        REFERENCE_JPEG,
    );
    not_multipart.expect_error(400, "MALFORMED_REQUEST");
    // PNG is accepted too.
    assert_eq!(
        client
            .upload_image(&app, &session_id, resource_id, "image/png", SMALL_PNG)
            .status,
        204
    );
}

#[test]
fn media_without_content_and_unknown_media() {
    let emulator = emulator();
    let client = Client::new(&emulator);
    let app = App::test();
    let (session_id, token) = client.create_session(&app, &selfie_spec());
    let config = client
        .get(&app, &format!("/sessions/{session_id}/configuration"))
        .json();
    let requirement_id = config["capture"]["required_resources"][0]["id"].clone();
    let resource = client
        .post_json(
            &app,
            SANDBOX,
            &format!("/sessions/{session_id}/resources/face-capture"),
            &json!({"requirement_id": requirement_id}),
        )
        .json();
    let resource_id = resource["id"].as_str().expect("id").to_owned();

    let resp = client.get(
        &app,
        &format!("/sessions/{session_id}/media/{resource_id}/content"),
    );
    resp.expect_error(404, "MEDIA_NOT_FOUND");
    client
        .get(
            &app,
            &format!("/sessions/{session_id}/media/00000000-0000-4000-8000-000000000000/content"),
        )
        .expect_error(404, "MEDIA_NOT_FOUND");

    // Media deletion: locked while ONGOING, allowed once completed; then 204 on GET.
    assert_eq!(
        client
            .upload_image(&app, &session_id, &resource_id, "image/jpg", REFERENCE_JPEG)
            .status,
        204
    );
    let session = client.get(&app, &format!("/sessions/{session_id}")).json();
    let media_id = session["resources"]["face_capture"][0]["image"]["media"]["id"]
        .as_str()
        .expect("media")
        .to_owned();
    let media_path = format!("/sessions/{session_id}/media/{media_id}/content");
    client
        .delete(&app, &media_path)
        .expect_error(409, "SESSION_LOCKED");
    assert_eq!(client.agent(&app, &session_id, &token, None).status, 204);
    assert_eq!(client.delete(&app, &media_path).status, 204);
    // Deleted content is gone: 404, and deleting again is 404 too.
    client
        .get(&app, &media_path)
        .expect_error(404, "MEDIA_NOT_FOUND");
    client
        .delete(&app, &media_path)
        .expect_error(404, "MEDIA_NOT_FOUND");
}

#[test]
fn deleted_session_is_404() {
    let emulator = emulator();
    let client = Client::new(&emulator);
    let app = App::test();
    let (session_id, token) = client.create_session(&app, &selfie_spec());
    let path = format!("/sessions/{session_id}");

    client
        .delete(&app, &path)
        .expect_error(409, "SESSION_LOCKED");
    assert_eq!(client.agent(&app, &session_id, &token, None).status, 204);
    let resp = client.delete(&app, &path);
    assert_eq!(resp.status, 204);
    assert!(resp.body.is_empty());

    client
        .get(&app, &path)
        .expect_error(404, "SESSION_NOT_FOUND");
    client
        .get(&app, &format!("{path}/configuration"))
        .expect_error(404, "SESSION_NOT_FOUND");
    client
        .delete(&app, &path)
        .expect_error(404, "SESSION_NOT_FOUND");
}

#[test]
fn unknown_routes_and_methods() {
    let emulator = emulator();
    let client = Client::new(&emulator);
    let app = App::test();
    client
        .get(&app, "/no-such-thing")
        .expect_error(404, "NOT_FOUND");
    client
        .raw("GET", "/elsewhere", &[], b"")
        .expect_error(404, "NOT_FOUND");
    client
        .signed(&app, "PATCH", API, "/sessions", None, b"")
        .expect_error(405, "METHOD_NOT_ALLOWED");
}

#[test]
fn apps_can_be_registered_at_runtime() {
    let emulator = Emulator::builder().start().expect("starts");
    let client = Client::new(&emulator);
    let app = App::test();
    client
        .get(&app, "/sessions/x")
        .expect_error(404, "APPLICATION_NOT_FOUND");
    emulator.register_app(SDK_ID, public_key(TEST_PUB));
    client
        .get(&app, "/sessions/x")
        .expect_error(404, "SESSION_NOT_FOUND");
}

#[test]
fn urls_and_shutdown() {
    let emulator = emulator();
    let addr = emulator.addr();
    assert!(addr.ip().is_loopback());
    assert_ne!(addr.port(), 0);
    assert_eq!(
        emulator.base_url(),
        format!("http://127.0.0.1:{}/idverify/v1", addr.port())
    );
    assert_eq!(
        emulator.sandbox_base_url(),
        format!("http://127.0.0.1:{}/sandbox/idverify/v1", addr.port())
    );

    // The port is taken while it runs.
    let err = Emulator::builder()
        .port(addr.port())
        .start()
        .expect_err("port in use");
    assert_eq!(err.kind(), std::io::ErrorKind::AddrInUse);

    // A keep-alive connection does not hold up shutdown.
    let client = Client::new(&emulator);
    assert_eq!(client.get(&App::test(), "/sessions/x").status, 404);
    let started = std::time::Instant::now();
    emulator.shutdown();
    assert!(
        started.elapsed() < std::time::Duration::from_secs(3),
        "{:?}",
        started.elapsed()
    );
    assert!(
        std::net::TcpStream::connect(addr).is_err(),
        "still listening after shutdown"
    );
}

#[tokio::test]
async fn works_inside_a_tokio_runtime() {
    let emulator = emulator();
    let base = emulator.base_url();
    // Blocking HTTP from a blocking task; the emulator runs on its own runtime.
    let status = tokio::task::spawn_blocking(move || {
        let client_emulator_addr = base;
        let app = App::test();
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .build()
            .into();
        let target = signed_path(SDK_ID, "/sessions");
        let sig = digest(&app.key, "POST", &target, SELFIE_SPEC.as_bytes());
        let url = format!("{}{target}", client_emulator_addr);
        agent
            .post(&url)
            .header("X-Yoti-Auth-Digest", &sig)
            .header("Content-Type", "application/json")
            .send(SELFIE_SPEC.as_bytes())
            .expect("exchange")
            .status()
            .as_u16()
    })
    .await
    .expect("task");
    assert_eq!(status, 201);
    drop(emulator); // dropping inside the runtime is fine too
}

#[test]
fn handles_are_send_and_sync() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<Emulator>();
    assert_send_sync::<idv_emulator::EmulatorBuilder>();
}

#[test]
fn sandbox_and_production_sessions_are_separate() {
    let sandbox_only = "11111111-1111-4111-8111-111111111111";
    let production_only = "22222222-2222-4222-8222-222222222222";
    let emulator = builder()
        .app_for(
            sandbox_only,
            public_key(OTHER_PUB),
            idv_emulator::AppEnvironment::Sandbox,
        )
        .app_for(
            production_only,
            public_key(OTHER_PUB),
            idv_emulator::AppEnvironment::Production,
        )
        .start()
        .expect("starts");
    let client = Client::new(&emulator);
    let app = App::test();

    // A session created through the API base: the sandbox (agent, response config, and the
    // API under the sandbox base) does not see it.
    let created = client
        .post_json(&app, API, "/sessions", &selfie_spec())
        .json();
    let id = created["session_id"].as_str().expect("id");
    let token = created["client_session_token"].as_str().expect("token");
    client
        .agent(&app, id, token, None)
        .expect_error(404, "SESSION_NOT_FOUND");
    client
        .put_json(
            &app,
            SANDBOX,
            &format!("/sessions/{id}/response-config"),
            &json!({"check_reports": {}}),
        )
        .expect_error(404, "SESSION_NOT_FOUND");
    client
        .get(&app, &format!("/sessions/{id}"))
        .expect_error(404, "SESSION_NOT_FOUND");
    let through_api = client.signed(&app, "GET", API, &format!("/sessions/{id}"), None, b"");
    assert_eq!(through_api.status, 200);
    assert_eq!(
        through_api.json()["state"],
        "ONGOING",
        "the agent did nothing"
    );

    // A sandbox session is not reachable through the API base.
    let (id, _) = client.create_session(&app, &selfie_spec());
    client
        .signed(&app, "GET", API, &format!("/sessions/{id}"), None, b"")
        .expect_error(404, "SESSION_NOT_FOUND");
    client
        .signed(&app, "DELETE", API, &format!("/sessions/{id}"), None, b"")
        .expect_error(404, "SESSION_NOT_FOUND");

    // Applications registered for one environment only.
    let sandbox_app = App::new(sandbox_only, OTHER_KEY);
    client
        .post_json(&sandbox_app, API, "/sessions", &selfie_spec())
        .expect_error(404, "APPLICATION_NOT_FOUND");
    assert_eq!(
        client
            .post_json(&sandbox_app, SANDBOX, "/sessions", &selfie_spec())
            .status,
        201
    );
    let production_app = App::new(production_only, OTHER_KEY);
    client
        .post_json(&production_app, SANDBOX, "/sessions", &selfie_spec())
        .expect_error(404, "APPLICATION_NOT_FOUND");
    assert_eq!(
        client
            .post_json(&production_app, API, "/sessions", &selfie_spec())
            .status,
        201
    );
}
