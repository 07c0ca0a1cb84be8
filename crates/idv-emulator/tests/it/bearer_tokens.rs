//! The emulator's bearer-token endpoint: what it issues, what it refuses (bad signature,
//! wrong audience, expired, reused jti, the active-token cap, bad form), and bearer tokens on
//! IDV routes next to signed requests.
#![allow(clippy::unwrap_used)]

use crate::common;

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use common::*;
use idv_auth::ClientAssertion;
use idv_emulator::Emulator;

const FORM: &str = "application/x-www-form-urlencoded";

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

fn jti() -> String {
    format!("jti-{}", nonce())
}

fn form(assertion: &str) -> String {
    format!(
        "grant_type=client_credentials&client_assertion_type=urn%3Aietf%3Aparams%3Aoauth%3Aclient-assertion-type%3Ajwt-bearer&scope=a+b&client_assertion={assertion}"
    )
}

fn request_token(client: &Client, emulator: &Emulator, assertion: &str) -> Resp {
    let _ = emulator;
    client.raw(
        "POST",
        "/v1/oauth/token",
        &[("content-type", FORM)],
        form(assertion).as_bytes(),
    )
}

fn assertion(app: &App, audience: &str, issued_at: u64, jti: &str) -> String {
    ClientAssertion::new(&app.key, &app.sdk_id, audience, issued_at, jti)
        .unwrap()
        .expose_secret()
        .to_owned()
}

fn refused(resp: &Resp, status: u16, error: &str, says: &str) {
    assert_eq!(
        resp.status,
        status,
        "{}",
        String::from_utf8_lossy(&resp.body)
    );
    let body = resp.json();
    assert_eq!(body["error"], error, "{body}");
    assert!(
        body["error_description"].as_str().unwrap().contains(says),
        "{body}"
    );
}

#[test]
fn a_valid_assertion_gets_a_token_that_works_on_idv_routes() {
    let emulator = builder()
        .token_lifetime(Duration::from_secs(120))
        .start()
        .unwrap();
    let client = Client::new(&emulator);
    let app = App::test();
    let resp = request_token(
        &client,
        &emulator,
        &assertion(&app, &emulator.token_url(), now(), &jti()),
    );
    assert_eq!(resp.status, 200, "{}", String::from_utf8_lossy(&resp.body));
    let body = resp.json();
    assert_eq!(body["token_type"], "Bearer");
    assert_eq!(body["expires_in"], 120);
    assert_eq!(body["scope"], "a b");
    let token = body["access_token"].as_str().unwrap().to_owned();
    assert_eq!(token.len(), 64);

    let auth = format!("Bearer {token}");
    let spec = serde_json::to_vec(&selfie_spec()).unwrap();
    let created = client.raw(
        "POST",
        &format!("{API}/sessions"),
        &[
            ("authorization", &auth),
            ("content-type", "application/json"),
        ],
        &spec,
    );
    assert_eq!(
        created.status,
        201,
        "{}",
        String::from_utf8_lossy(&created.body)
    );
    let session_id = created.json()["session_id"].as_str().unwrap().to_owned();
    let got = client.raw(
        "GET",
        &format!("{API}/sessions/{session_id}"),
        &[("authorization", &auth)],
        b"",
    );
    assert_eq!(got.status, 200);
    // Signed requests still work, and see the same session (same application).
    let signed = client.signed(
        &app,
        "GET",
        API,
        &format!("/sessions/{session_id}"),
        None,
        b"",
    );
    assert_eq!(signed.status, 200);
    assert_eq!(signed.json()["session_id"], session_id.as_str());
    let counts = emulator.auth_counts();
    assert_eq!((counts.bearer, counts.signed), (2, 1));
    assert_eq!((counts.token_requests, counts.tokens_issued), (1, 1));

    // A wrong token, and a revoked one: 401 with the invalid_token challenge.
    for bad in ["Bearer nope", "Bearer "] {
        let resp = client.raw(
            "GET",
            &format!("{API}/sessions/{session_id}"),
            &[("authorization", bad)],
            b"",
        );
        resp.expect_error(401, "UNAUTHORIZED");
        assert!(
            resp.header("www-authenticate")
                .unwrap()
                .contains("invalid_token")
        );
    }
    emulator.revoke_tokens(SDK_ID, false);
    let resp = client.raw(
        "GET",
        &format!("{API}/sessions/{session_id}"),
        &[("authorization", &auth)],
        b"",
    );
    resp.expect_error(401, "UNAUTHORIZED");
    assert!(resp.header("www-authenticate").is_some());
}

#[test]
fn tokens_expire_after_their_lifetime() {
    let emulator = builder()
        .token_lifetime(Duration::from_millis(300))
        .start()
        .unwrap();
    let client = Client::new(&emulator);
    let app = App::test();
    let resp = request_token(
        &client,
        &emulator,
        &assertion(&app, &emulator.token_url(), now(), &jti()),
    );
    let auth = format!("Bearer {}", resp.json()["access_token"].as_str().unwrap());
    let get = || {
        client.raw(
            "GET",
            &format!("{API}/sessions/unknown"),
            &[("authorization", &auth)],
            b"",
        )
    };
    get().expect_error(404, "SESSION_NOT_FOUND");
    std::thread::sleep(Duration::from_millis(400));
    get().expect_error(401, "UNAUTHORIZED");
}

#[test]
fn bad_assertions_are_refused() {
    let emulator = emulator();
    let client = Client::new(&emulator);
    let app = App::test();
    let url = emulator.token_url();

    // Signed with another key than the registered one.
    let wrong_key = App::new(SDK_ID, OTHER_KEY);
    let resp = request_token(
        &client,
        &emulator,
        &assertion(&wrong_key, &url, now(), &jti()),
    );
    refused(&resp, 401, "invalid_client", "signature");

    // Audience of another endpoint.
    let resp = request_token(
        &client,
        &emulator,
        &assertion(
            &app,
            "https://auth.api.yoti.com/v1/oauth/token",
            now(),
            &jti(),
        ),
    );
    refused(&resp, 401, "invalid_client", "aud");

    // Expired (issued 301 seconds ago, so exp is a second ago).
    let resp = request_token(
        &client,
        &emulator,
        &assertion(&app, &url, now() - 301, &jti()),
    );
    refused(&resp, 401, "invalid_client", "expired");

    // exp more than 30 minutes ahead.
    let resp = request_token(
        &client,
        &emulator,
        &assertion(&app, &url, now() + 1800, &jti()),
    );
    refused(&resp, 401, "invalid_client", "30 minutes");

    // jti too short, then too long.
    let resp = request_token(&client, &emulator, &assertion(&app, &url, now(), "short"));
    refused(&resp, 401, "invalid_client", "jti");
    let resp = request_token(
        &client,
        &emulator,
        &assertion(&app, &url, now(), &"j".repeat(129)),
    );
    refused(&resp, 401, "invalid_client", "jti");

    // A jti used once is used up.
    let once = jti();
    let first = request_token(&client, &emulator, &assertion(&app, &url, now(), &once));
    assert_eq!(first.status, 200);
    let resp = request_token(&client, &emulator, &assertion(&app, &url, now(), &once));
    refused(&resp, 401, "invalid_client", "used before");

    // An unregistered application.
    let stranger = App::new("not-registered", TEST_KEY);
    let resp = request_token(
        &client,
        &emulator,
        &assertion(&stranger, &url, now(), &jti()),
    );
    refused(&resp, 401, "invalid_client", "registered");

    // A tampered claim breaks the signature.
    let good = assertion(&app, &url, now(), &jti());
    let mut parts: Vec<String> = good.split('.').map(str::to_owned).collect();
    let claims = String::from_utf8(
        base64::Engine::decode(&base64::engine::general_purpose::URL_SAFE_NO_PAD, &parts[1])
            .unwrap(),
    )
    .unwrap()
    .replace(SDK_ID, OTHER_SDK_ID);
    parts[1] = base64::Engine::encode(&base64::engine::general_purpose::URL_SAFE_NO_PAD, claims);
    let resp = request_token(&client, &emulator, &parts.join("."));
    refused(&resp, 401, "invalid_client", "signature");

    // Not a JWT; a wrong grant; a wrong assertion type; not a form.
    refused(
        &request_token(&client, &emulator, "abc"),
        401,
        "invalid_client",
        "JWS",
    );
    let resp = client.raw(
        "POST",
        "/v1/oauth/token",
        &[("content-type", FORM)],
        b"grant_type=password&client_assertion=x",
    );
    refused(&resp, 400, "unsupported_grant_type", "client_credentials");
    let resp = client.raw(
        "POST",
        "/v1/oauth/token",
        &[("content-type", FORM)],
        b"grant_type=client_credentials&client_assertion_type=x&client_assertion=x",
    );
    refused(&resp, 400, "invalid_request", "client_assertion_type");
    let resp = client.raw(
        "POST",
        "/v1/oauth/token",
        &[("content-type", "application/json")],
        b"{}",
    );
    refused(&resp, 400, "invalid_request", "form");

    // Nothing was issued, every request was counted.
    let counts = emulator.auth_counts();
    assert_eq!(counts.tokens_issued, 1);
    assert_eq!(counts.token_requests, 14);
}

#[test]
fn the_active_token_cap_is_enforced() {
    let emulator = builder().max_active_tokens(2).start().unwrap();
    let client = Client::new(&emulator);
    let app = App::test();
    let url = emulator.token_url();
    for _ in 0..2 {
        let resp = request_token(&client, &emulator, &assertion(&app, &url, now(), &jti()));
        assert_eq!(resp.status, 200);
    }
    let resp = request_token(&client, &emulator, &assertion(&app, &url, now(), &jti()));
    refused(&resp, 429, "too_many_active_tokens", "most active tokens");
    // Another application has its own cap.
    let other = App::other();
    let resp = request_token(&client, &emulator, &assertion(&other, &url, now(), &jti()));
    assert_eq!(resp.status, 200);
    // Revoked tokens are no longer active.
    emulator.revoke_tokens(SDK_ID, false);
    let resp = request_token(&client, &emulator, &assertion(&app, &url, now(), &jti()));
    assert_eq!(resp.status, 200);
}

#[test]
fn the_token_path_is_configurable_and_bodies_are_capped() {
    let emulator = builder().token_path("oauth2/token").start().unwrap();
    assert!(emulator.token_url().ends_with("/oauth2/token"));
    let client = Client::new(&emulator);
    let app = App::test();
    let body = form(&assertion(&app, &emulator.token_url(), now(), &jti()));
    let resp = client.raw(
        "POST",
        "/oauth2/token",
        &[("content-type", FORM)],
        body.as_bytes(),
    );
    assert_eq!(resp.status, 200);
    let huge = vec![b'a'; 64 * 1024];
    let resp = client.raw("POST", "/oauth2/token", &[("content-type", FORM)], &huge);
    assert_eq!(resp.status, 413);
}

#[test]
fn the_admin_api_revokes_tokens_for_a_while_or_for_good() {
    let emulator = builder().admin(true).start().unwrap();
    let client = Client::new(&emulator);
    let app = App::test();
    let url = emulator.token_url();
    let token = |client: &Client| {
        let resp = request_token(client, &emulator, &assertion(&app, &url, now(), &jti()));
        assert_eq!(resp.status, 200, "{}", String::from_utf8_lossy(&resp.body));
        format!("Bearer {}", resp.json()["access_token"].as_str().unwrap())
    };
    let status = |auth: &str| {
        client
            .raw(
                "GET",
                &format!("{API}/sessions/00000000-0000-4000-8000-000000000000"),
                &[("authorization", auth)],
                b"",
            )
            .status
    };
    let revoke = |body: &[u8]| {
        client.raw(
            "POST",
            "/__admin/tokens/revoke",
            &[("Content-Type", "application/json")],
            body,
        )
    };

    // A working token (404: authenticated, no such session) is 401 once revoked; a new one
    // works again.
    let first = token(&client);
    assert_eq!(status(&first), 404);
    let body = format!(r#"{{"sdk_id": "{SDK_ID}"}}"#);
    assert_eq!(revoke(body.as_bytes()).status, 204);
    assert_eq!(status(&first), 401);
    let second = token(&client);
    assert_eq!(status(&second), 404);

    // Another application's tokens are untouched.
    let other = App::other();
    let resp = request_token(&client, &emulator, &assertion(&other, &url, now(), &jti()));
    let other_auth = format!("Bearer {}", resp.json()["access_token"].as_str().unwrap());
    assert_eq!(revoke(body.as_bytes()).status, 204);
    assert_eq!(status(&other_auth), 404);

    // For good: tokens issued afterwards are refused too.
    let body = format!(r#"{{"sdk_id": "{SDK_ID}", "for_good": true}}"#);
    assert_eq!(revoke(body.as_bytes()).status, 204);
    assert_eq!(status(&token(&client)), 401);

    // Bodies that say nothing usable are 400, and nothing changes.
    revoke(br#"{}"#).expect_error(400, "PAYLOAD_VALIDATION");
    revoke(br#"{"sdk_id": ""}"#).expect_error(400, "PAYLOAD_VALIDATION");
    revoke(br#"{"sdk_id": "x", "for_good": "yes"}"#).expect_error(400, "PAYLOAD_VALIDATION");
    assert_eq!(status(&other_auth), 404);
}
