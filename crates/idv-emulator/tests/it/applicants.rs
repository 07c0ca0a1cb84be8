//! Applicants, faces and pools (A1-A6, P1-P4), attaching an applicant to a session (S1),
//! and the two checks that use them: FACE_COMPARISON against an attached applicant and
//! FAMILIAR_FACE_SEARCH against a pool, with and without a sandbox response config.

use crate::common;

use std::time::Duration;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use common::*;
use serde_json::{Value, json};

/// The sandbox agent's liveness image when it is given none.
const DEFAULT_LIVE_JPEG: &[u8] = include_bytes!("../../assets/liveness.jpg");

fn b64(bytes: &[u8]) -> String {
    STANDARD.encode(bytes)
}

fn ok_json(resp: &Resp, status: u16) -> Value {
    assert_eq!(
        resp.status,
        status,
        "{}",
        String::from_utf8_lossy(&resp.body)
    );
    resp.json()
}

fn id(value: &Value) -> String {
    value["id"].as_str().expect("an id").to_owned()
}

/// Creates an applicant (with a face when `image` is given); its id.
fn applicant(client: &Client, app: &App, image: Option<&[u8]>) -> String {
    let body = match image {
        Some(image) => json!({"face": {"data": b64(image)}}),
        None => json!({}),
    };
    id(&ok_json(
        &client.post_json(app, SANDBOX, "/applicants", &body),
        201,
    ))
}

fn pool(client: &Client, app: &App, label: &str) -> String {
    id(&ok_json(
        &client.post_json(app, SANDBOX, "/pools", &json!({"label": label})),
        201,
    ))
}

fn add_member(client: &Client, app: &App, pool_id: &str, applicant_id: &str) -> Resp {
    client.post_json(
        app,
        SANDBOX,
        &format!("/pools/{pool_id}/applicants"),
        &json!({"applicant_id": applicant_id}),
    )
}

/// The selfie session's face-capture resource id.
fn face_capture(client: &Client, app: &App, session_id: &str) -> String {
    let config = ok_json(
        &client.get(app, &format!("/sessions/{session_id}/configuration")),
        200,
    );
    let requirement = config["capture"]["required_resources"]
        .as_array()
        .and_then(|r| r.iter().find(|r| r["type"] == "FACE_CAPTURE"))
        .expect("a FACE_CAPTURE requirement");
    id(&ok_json(
        &client.post_json(
            app,
            SANDBOX,
            &format!("/sessions/{session_id}/resources/face-capture"),
            &json!({"requirement_id": requirement["id"]}),
        ),
        201,
    ))
}

fn attach(
    client: &Client,
    app: &App,
    session_id: &str,
    resource_id: &str,
    applicant: &str,
) -> Resp {
    client.put_json(
        app,
        SANDBOX,
        &format!("/sessions/{session_id}/resources/face-capture/{resource_id}/applicant"),
        &json!({"applicant_id": applicant}),
    )
}

fn check<'a>(session: &'a Value, kind: &str) -> &'a Value {
    session["checks"]
        .as_array()
        .and_then(|c| c.iter().find(|c| c["type"] == kind))
        .unwrap_or_else(|| panic!("no {kind} check in {session}"))
}

/// Runs the agent with `live` as the liveness image (`None`: the built-in JPEG).
fn complete(client: &Client, app: &App, session_id: &str, token: &str, live: Option<&[u8]>) {
    let extra = live.map(|image| ("liveness_image", json!(b64(image))));
    let resp = client.agent(app, session_id, token, extra);
    assert_eq!(resp.status, 204, "{}", String::from_utf8_lossy(&resp.body));
}

/// A selfie session with `applicant` attached, completed with `live`; the session.
fn compare_with_applicant(
    client: &Client,
    app: &App,
    applicant: &str,
    live: Option<&[u8]>,
    config: Option<&Value>,
) -> Value {
    let (session_id, token) = client.create_session(app, &selfie_spec());
    if let Some(config) = config {
        let resp = client.put_json(
            app,
            SANDBOX,
            &format!("/sessions/{session_id}/response-config"),
            config,
        );
        assert_eq!(resp.status, 200, "{}", String::from_utf8_lossy(&resp.body));
    }
    let resource = face_capture(client, app, &session_id);
    let resp = attach(client, app, &session_id, &resource, applicant);
    assert_eq!(resp.status, 200, "{}", String::from_utf8_lossy(&resp.body));
    assert!(resp.body.is_empty());
    complete(client, app, &session_id, &token, live);
    client.session(app, &session_id)
}

fn search_spec(pool_id: &str, criteria: &str) -> Value {
    json!({
        "client_session_token_ttl": 600,
        "requested_checks": [
            {"type": "LIVENESS", "config": {"liveness_type": "STATIC", "max_retries": 1}},
            {"type": "FAMILIAR_FACE_SEARCH", "config": {"pool_id": pool_id, "approval_criteria": criteria}}
        ]
    })
}

/// A search session over `pool_id`, completed with `live`; its FAMILIAR_FACE_SEARCH check.
fn search(
    client: &Client,
    app: &App,
    pool_id: &str,
    criteria: &str,
    live: Option<&[u8]>,
    config: Option<&Value>,
) -> Value {
    let (session_id, token) = client.create_session(app, &search_spec(pool_id, criteria));
    if let Some(config) = config {
        let resp = client.put_json(
            app,
            SANDBOX,
            &format!("/sessions/{session_id}/response-config"),
            config,
        );
        assert_eq!(resp.status, 200, "{}", String::from_utf8_lossy(&resp.body));
    }
    complete(client, app, &session_id, &token, live);
    let session = client.session(app, &session_id);
    let liveness_id = session["resources"]["liveness_capture"][0]["id"].clone();
    let check = check(&session, "FAMILIAR_FACE_SEARCH").clone();
    assert_eq!(check["state"], "DONE");
    assert_eq!(check["resources_used"], json!([liveness_id]));
    check
}

#[test]
fn applicant_faces_lifecycle() {
    let emulator = emulator();
    let client = Client::new(&emulator);
    let app = App::test();

    // A1 without a body: an applicant without faces.
    let resp = client.signed(&app, "POST", SANDBOX, "/applicants", None, b"");
    let empty = ok_json(&resp, 201);
    assert_eq!(resp.content_type.as_deref(), Some("application/json"));
    assert_eq!(empty["faces"], json!({"archetype_face": null, "faces": []}));
    assert_eq!(empty["pools"], json!([]));
    assert!(
        empty["created_at"]
            .as_str()
            .is_some_and(|t| t.ends_with('Z'))
    );
    assert!(empty["last_updated"].is_string());

    // A1 with a face, then A2 with a PNG.
    let created = ok_json(
        &client.post_json(
            &app,
            SANDBOX,
            "/applicants",
            &json!({"face": {"data": b64(REFERENCE_JPEG)}}),
        ),
        201,
    );
    let applicant = id(&created);
    let first_face = created["faces"]["archetype_face"]
        .as_str()
        .expect("archetype")
        .to_owned();
    assert_eq!(created["faces"]["faces"][0]["id"], first_face.as_str());
    let second = ok_json(
        &client.post_json(
            &app,
            SANDBOX,
            &format!("/applicants/{applicant}/faces"),
            &json!({"face": {"data": b64(SMALL_PNG)}}),
        ),
        201,
    );
    let second_face = id(&second);
    assert_eq!(second.as_object().map(|o| o.len()), Some(1), "{second}");

    // A3 under both spellings: two faces, the first is the archetype.
    for path in [
        format!("/applicants/{applicant}"),
        format!("/applicant/{applicant}"),
    ] {
        let view = ok_json(&client.get(&app, &path), 200);
        assert_eq!(view["id"], applicant.as_str());
        assert_eq!(view["faces"]["archetype_face"], first_face.as_str());
        let ids: Vec<&str> = view["faces"]["faces"]
            .as_array()
            .expect("faces")
            .iter()
            .filter_map(|f| f["id"].as_str())
            .collect();
        assert_eq!(ids, [first_face.as_str(), second_face.as_str()]);
    }

    // A4: the image back, base64, with its type.
    for (face, bytes, mime) in [
        (&first_face, REFERENCE_JPEG, "image/jpeg"),
        (&second_face, SMALL_PNG, "image/png"),
    ] {
        for prefix in ["applicants", "applicant"] {
            let got = ok_json(
                &client.get(&app, &format!("/{prefix}/{applicant}/faces/{face}")),
                200,
            );
            assert_eq!(got["face"]["content_type"], mime);
            assert_eq!(
                STANDARD
                    .decode(got["face"]["data"].as_str().expect("data"))
                    .expect("base64"),
                bytes
            );
        }
    }

    // A6: one face goes; the other becomes the archetype.
    let path = format!("/applicants/{applicant}/faces/{first_face}");
    assert_eq!(client.delete(&app, &path).status, 204);
    client.get(&app, &path).expect_error(404, "FACE_NOT_FOUND");
    client
        .delete(&app, &path)
        .expect_error(404, "FACE_NOT_FOUND");
    let view = ok_json(&client.get(&app, &format!("/applicants/{applicant}")), 200);
    assert_eq!(view["faces"]["archetype_face"], second_face.as_str());

    // A5: the applicant goes.
    let path = format!("/applicants/{applicant}");
    assert_eq!(client.delete(&app, &path).status, 204);
    client
        .get(&app, &path)
        .expect_error(404, "APPLICANT_NOT_FOUND");
    client
        .delete(&app, &path)
        .expect_error(404, "APPLICANT_NOT_FOUND");
    client
        .get(&app, &format!("{path}/faces/{second_face}"))
        .expect_error(404, "APPLICANT_NOT_FOUND");
}

#[test]
fn faces_from_session_media() {
    let emulator = emulator();
    let client = Client::new(&emulator);
    let app = App::test();
    let (session_id, token) = client.create_session(&app, &selfie_spec());
    let resource = face_capture(&client, &app, &session_id);
    assert_eq!(
        client
            .upload_image(&app, &session_id, &resource, "image/jpeg", REFERENCE_JPEG)
            .status,
        204
    );
    complete(&client, &app, &session_id, &token, Some(SMALL_PNG));
    let session = client.session(&app, &session_id);
    let live_media = session["resources"]["liveness_capture"][0]["image"]["media"]["id"]
        .as_str()
        .expect("liveness media")
        .to_owned();

    // A1 and A2 with a source: the session's liveness image is copied in.
    let source = json!({"face": {"source": {"session_id": session_id, "media_id": live_media}}});
    let created = ok_json(
        &client.post_json(&app, SANDBOX, "/applicants", &source),
        201,
    );
    let applicant = id(&created);
    let face = created["faces"]["archetype_face"].as_str().expect("face");
    let got = ok_json(
        &client.get(&app, &format!("/applicants/{applicant}/faces/{face}")),
        200,
    );
    assert_eq!(got["face"]["content_type"], "image/png");
    assert_eq!(
        STANDARD
            .decode(got["face"]["data"].as_str().expect("data"))
            .expect("b64"),
        SMALL_PNG
    );
    let faces = format!("/applicants/{applicant}/faces");
    ok_json(&client.post_json(&app, SANDBOX, &faces, &source), 201);

    // Unknown media, unknown session, another application's session, the other base.
    let unknown_media = json!({"face": {"source": {"session_id": session_id, "media_id": "nope"}}});
    client
        .post_json(&app, SANDBOX, &faces, &unknown_media)
        .expect_error(404, "MEDIA_NOT_FOUND");
    let unknown_session =
        json!({"face": {"source": {"session_id": "nope", "media_id": live_media}}});
    client
        .post_json(&app, SANDBOX, &faces, &unknown_session)
        .expect_error(404, "SESSION_NOT_FOUND");
    let other = App::other();
    let other_applicant = applicant_of(&client, &other);
    client
        .post_json(
            &other,
            SANDBOX,
            &format!("/applicants/{other_applicant}/faces"),
            &source,
        )
        .expect_error(404, "SESSION_NOT_FOUND");
    let api_applicant = id(&ok_json(
        &client.post_json(&app, API, "/applicants", &json!({})),
        201,
    ));
    client
        .post_json(
            &app,
            API,
            &format!("/applicants/{api_applicant}/faces"),
            &source,
        )
        .expect_error(404, "SESSION_NOT_FOUND");
    // Media that is no image (a ZOOM facemap): 400 naming the media id.
    let (zoom, zoom_token) = client.create_session(
        &app,
        &json!({"requested_checks": [{"type": "LIVENESS", "config": {"liveness_type": "ZOOM"}}]}),
    );
    complete(&client, &app, &zoom, &zoom_token, None);
    let session = client.session(&app, &zoom);
    let facemap = session["resources"]["liveness_capture"][0]["facemap"]["media"]["id"]
        .as_str()
        .expect("facemap media")
        .to_owned();
    let err = client
        .post_json(
            &app,
            SANDBOX,
            &faces,
            &json!({"face": {"source": {"session_id": zoom, "media_id": facemap}}}),
        )
        .expect_error(400, "PAYLOAD_VALIDATION");
    assert_eq!(err["errors"][0]["property"], "face.source.media_id");
    // A source missing its ids: property errors.
    let body = client
        .post_json(&app, SANDBOX, &faces, &json!({"face": {"source": {}}}))
        .expect_error(400, "PAYLOAD_VALIDATION");
    assert_eq!(body["errors"][0]["property"], "face.source.session_id");
    assert_eq!(body["errors"][1]["property"], "face.source.media_id");
}

/// Sends a signed POST head declaring `length` body bytes, sends no body, and returns the
/// status the emulator answers with.
fn declared_only(emulator: &idv_emulator::Emulator, app: &App, path: &str, length: usize) -> u16 {
    use std::io::{Read as _, Write as _};
    let target = signed_path(&app.sdk_id, path);
    let digest = digest(&app.key, "POST", &target, b"");
    let mut stream = std::net::TcpStream::connect(emulator.addr()).expect("connects");
    stream
        .set_read_timeout(Some(Duration::from_secs(5)))
        .expect("timeout");
    let head = format!(
        "POST {SANDBOX}{target} HTTP/1.1\r\nHost: {}\r\nX-Yoti-Auth-Digest: {digest}\r\nContent-Type: application/json\r\nContent-Length: {length}\r\n\r\n",
        emulator.addr()
    );
    stream.write_all(head.as_bytes()).expect("head sent");
    let mut answer = Vec::new();
    let mut buf = [0u8; 1024];
    while !answer.windows(4).any(|w| w == b"\r\n\r\n") {
        match stream.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => answer.extend_from_slice(&buf[..n]),
        }
    }
    let text = String::from_utf8_lossy(&answer);
    text.split(' ')
        .nth(1)
        .and_then(|code| code.parse().ok())
        .unwrap_or_else(|| panic!("no status in {text:?}"))
}

fn applicant_of(client: &Client, app: &App) -> String {
    applicant(client, app, None)
}

#[test]
fn bad_images_are_refused_with_the_property() {
    let emulator = emulator();
    let client = Client::new(&emulator);
    let app = App::test();
    let applicant = applicant(&client, &app, None);
    let faces = format!("/applicants/{applicant}/faces");
    for (body, property) in [
        (json!({"face": {"data": "not base64!"}}), "face.data"),
        (
            json!({"face": {"data": b64(b"GIF89a\x01\x00\x01\x00")}}),
            "face.data",
        ),
        (json!({"face": {"data": ""}}), "face.data"),
        (json!({"face": {"data": 42}}), "face.data"),
        (
            json!({"face": {"data": format!("data:image/jpeg;base64,{}", b64(REFERENCE_JPEG))}}),
            "face.data",
        ),
        (json!({"face": {}}), "face"),
        (json!({"face": "x"}), "face"),
        (
            json!({"face": {"data": b64(REFERENCE_JPEG), "source": {"session_id": "s", "media_id": "m"}}}),
            "face",
        ),
        (json!({}), "face"),
    ] {
        for path in [faces.as_str(), "/applicants"] {
            if path == "/applicants" && body == json!({}) {
                continue; // A1 may come without a face
            }
            let err = client
                .post_json(&app, SANDBOX, path, &body)
                .expect_error(400, "PAYLOAD_VALIDATION");
            assert_eq!(err["errors"][0]["property"], property, "{body} -> {err}");
        }
    }
    // Not JSON at all.
    client
        .signed(
            &app,
            "POST",
            SANDBOX,
            &faces,
            Some("application/json"),
            b"{",
        )
        .expect_error(400, "MALFORMED_REQUEST");
    // Over 10 MiB once decoded: 413 naming the property (the body itself is within its cap).
    let big = vec![0xFFu8; 10 * 1024 * 1024 + 1];
    let err = client
        .post_json(&app, SANDBOX, &faces, &json!({"face": {"data": b64(&big)}}))
        .expect_error(413, "PAYLOAD_TOO_LARGE");
    assert_eq!(err["errors"][0]["property"], "face.data");
    // A body over its route's cap is refused from the head, unread: 13.4 MiB + 64 KiB for
    // a face, 1 MiB for a pool.
    let face_cap = (10 * 1024 * 1024usize).div_ceil(3) * 4 + 64 * 1024;
    assert_eq!(declared_only(&emulator, &app, &faces, face_cap + 1), 413);
    assert_eq!(
        declared_only(&emulator, &app, "/pools", 1024 * 1024 + 1),
        413
    );
    // Nothing was added by the refused calls.
    let view = ok_json(&client.get(&app, &format!("/applicants/{applicant}")), 200);
    assert_eq!(view["faces"]["faces"], json!([]));
}

#[test]
fn one_applicant_holds_at_most_five_faces() {
    let emulator = emulator();
    let client = Client::new(&emulator);
    let app = App::test();
    let applicant = applicant(&client, &app, Some(SMALL_PNG));
    let faces = format!("/applicants/{applicant}/faces");
    let body = json!({"face": {"data": b64(SMALL_PNG)}});
    for _ in 1..5 {
        ok_json(&client.post_json(&app, SANDBOX, &faces, &body), 201);
    }
    client
        .post_json(&app, SANDBOX, &faces, &body)
        .expect_error(409, "LIMIT_REACHED");
}

/// The store's limits are the builder's (and the flags'): each refuses the one past it with
/// 409 `LIMIT_REACHED` naming it, and deleting frees room.
#[test]
fn store_limits_are_configurable() {
    let emulator = builder()
        .max_applicants(2)
        .max_faces_per_applicant(2)
        .max_pools(1)
        .max_pool_members(1)
        .face_memory(SMALL_PNG.len() * 3)
        .start()
        .expect("starts");
    let client = Client::new(&emulator);
    let app = App::test();
    let a = applicant(&client, &app, Some(SMALL_PNG));
    let faces = format!("/applicants/{a}/faces");
    let body = json!({"face": {"data": b64(SMALL_PNG)}});
    ok_json(&client.post_json(&app, SANDBOX, &faces, &body), 201);
    let err = client
        .post_json(&app, SANDBOX, &faces, &body)
        .expect_error(409, "LIMIT_REACHED");
    assert!(
        err["message"]
            .as_str()
            .unwrap_or_default()
            .contains("2 faces"),
        "{err}"
    );
    // a second applicant with a face: the face budget (3 images) is then spent
    let b = applicant(&client, &app, Some(SMALL_PNG));
    let err = client
        .post_json(&app, SANDBOX, "/applicants", &json!({}))
        .expect_error(409, "LIMIT_REACHED");
    assert!(
        err["message"]
            .as_str()
            .unwrap_or_default()
            .contains("2 applicants"),
        "{err}"
    );
    client
        .post_json(&app, SANDBOX, &format!("/applicants/{b}/faces"), &body)
        .expect_error(409, "LIMIT_REACHED");
    // deleting an applicant frees its place and its faces' bytes
    assert_eq!(client.delete(&app, &format!("/applicants/{a}")).status, 204);
    let c = applicant(&client, &app, Some(SMALL_PNG));
    ok_json(
        &client.post_json(&app, SANDBOX, &format!("/applicants/{c}/faces"), &body),
        201,
    );
    let p = pool(&client, &app, "one");
    client
        .post_json(&app, SANDBOX, "/pools", &json!({"label": "two"}))
        .expect_error(409, "LIMIT_REACHED");
    assert_eq!(add_member(&client, &app, &p, &b).status, 204);
    add_member(&client, &app, &p, &c).expect_error(409, "LIMIT_REACHED");
}

#[test]
fn unknown_and_foreign_ids_are_404() {
    let emulator = emulator();
    let client = Client::new(&emulator);
    let app = App::test();
    let other = App::other();
    let applicant = applicant(&client, &app, Some(REFERENCE_JPEG));
    let face = ok_json(&client.get(&app, &format!("/applicants/{applicant}")), 200)["faces"]
        ["archetype_face"]
        .as_str()
        .expect("face")
        .to_owned();
    let pool = pool(&client, &app, "mine");
    let other_applicant = applicant_of(&client, &other);
    let other_pool = self::pool(&client, &other, "theirs");

    // The other application: every id of this one is unknown to it.
    let face_body = json!({"face": {"data": b64(SMALL_PNG)}});
    let member = json!({"applicant_id": applicant});
    for (method, path, body, code) in [
        (
            "GET",
            format!("/applicants/{applicant}"),
            None,
            "APPLICANT_NOT_FOUND",
        ),
        (
            "GET",
            format!("/applicant/{applicant}"),
            None,
            "APPLICANT_NOT_FOUND",
        ),
        (
            "GET",
            format!("/applicants/{applicant}/faces/{face}"),
            None,
            "APPLICANT_NOT_FOUND",
        ),
        (
            "POST",
            format!("/applicants/{applicant}/faces"),
            Some(&face_body),
            "APPLICANT_NOT_FOUND",
        ),
        (
            "DELETE",
            format!("/applicants/{applicant}/faces/{face}"),
            None,
            "APPLICANT_NOT_FOUND",
        ),
        (
            "DELETE",
            format!("/applicants/{applicant}"),
            None,
            "APPLICANT_NOT_FOUND",
        ),
        (
            "POST",
            format!("/pools/{pool}/applicants"),
            Some(&member),
            "POOL_NOT_FOUND",
        ),
        (
            "DELETE",
            format!("/pools/{pool}/applicants/{applicant}"),
            None,
            "POOL_NOT_FOUND",
        ),
        ("DELETE", format!("/pools/{pool}"), None, "POOL_NOT_FOUND"),
    ] {
        let bytes = body
            .map(|b| serde_json::to_vec(b).expect("json"))
            .unwrap_or_default();
        let ct = body.map(|_| "application/json");
        let resp = client.signed(&other, method, SANDBOX, &path, ct, &bytes);
        resp.expect_error(404, code);
        // The same through the API base, for this application: apart from the sandbox's.
        let resp = client.signed(&app, method, API, &path, ct, &bytes);
        resp.expect_error(404, code);
    }
    // Its own pool with this application's applicant, and the reverse.
    add_member(&client, &other, &other_pool, &applicant).expect_error(404, "APPLICANT_NOT_FOUND");
    add_member(&client, &app, &pool, &other_applicant).expect_error(404, "APPLICANT_NOT_FOUND");
    // Still all there for the owner.
    ok_json(
        &client.get(&app, &format!("/applicants/{applicant}/faces/{face}")),
        200,
    );
    assert_eq!(add_member(&client, &app, &pool, &applicant).status, 204);
    // Unknown ids.
    client
        .get(&app, "/applicants/nope")
        .expect_error(404, "APPLICANT_NOT_FOUND");
    client
        .delete(&app, "/pools/nope")
        .expect_error(404, "POOL_NOT_FOUND");
}

#[test]
fn unsigned_and_badly_signed_requests_are_refused() {
    let emulator = emulator();
    let client = Client::new(&emulator);
    let app = App::test();
    let body = br#"{"label":"x"}"#;
    for path in ["/pools", "/applicants"] {
        let resp = client.raw(
            "POST",
            &format!("{SANDBOX}{path}"),
            &[("Content-Type", "application/json")],
            body,
        );
        resp.expect_error(400, "MALFORMED_REQUEST");
        // Signed over another body.
        let target = signed_path(&app.sdk_id, path);
        let wrong = digest(&app.key, "POST", &target, b"{}");
        let resp = client.raw(
            "POST",
            &format!("{SANDBOX}{target}"),
            &[
                ("Content-Type", "application/json"),
                ("X-Yoti-Auth-Digest", &wrong),
            ],
            body,
        );
        resp.expect_error(401, "UNAUTHORIZED");
        // Signed with another application's key.
        let target = signed_path(&app.sdk_id, path);
        let foreign = digest(&App::other().key, "POST", &target, body);
        let resp = client.raw(
            "POST",
            &format!("{SANDBOX}{target}"),
            &[
                ("Content-Type", "application/json"),
                ("X-Yoti-Auth-Digest", &foreign),
            ],
            body,
        );
        resp.expect_error(401, "UNAUTHORIZED");
    }
    let resp = client.raw(
        "PUT",
        &format!("{SANDBOX}/sessions/s/resources/face-capture/r/applicant"),
        &[("Content-Type", "application/json")],
        br#"{"applicant_id":"a"}"#,
    );
    resp.expect_error(400, "MALFORMED_REQUEST");
    let resp = client.raw(
        "GET",
        &format!("{SANDBOX}/applicants/a?sdkId={SDK_ID}&nonce=n&timestamp=1"),
        &[],
        b"",
    );
    resp.expect_error(401, "UNAUTHORIZED");
}

#[test]
fn pools_and_membership() {
    let emulator = emulator();
    let client = Client::new(&emulator);
    let app = App::test();
    let created = ok_json(
        &client.post_json(
            &app,
            SANDBOX,
            "/pools",
            &json!({"label": "returning users"}),
        ),
        201,
    );
    assert_eq!(created["label"], "returning users");
    let pool = id(&created);
    for (body, message_for) in [
        (json!({}), "label"),
        (json!({"label": ""}), "label"),
        (json!({"label": 5}), "label"),
        (json!({"label": "x".repeat(257)}), "label"),
    ] {
        let err = client
            .post_json(&app, SANDBOX, "/pools", &body)
            .expect_error(400, "PAYLOAD_VALIDATION");
        assert_eq!(err["errors"][0]["property"], message_for);
    }

    let a = applicant(&client, &app, None);
    let b = applicant(&client, &app, None);
    let resp = add_member(&client, &app, &pool, &a);
    assert_eq!(resp.status, 204, "{}", String::from_utf8_lossy(&resp.body));
    assert!(resp.body.is_empty());
    add_member(&client, &app, &pool, &a).expect_error(409, "ALREADY_IN_POOL");
    add_member(&client, &app, &pool, "nope").expect_error(404, "APPLICANT_NOT_FOUND");
    add_member(&client, &app, "nope", &a).expect_error(404, "POOL_NOT_FOUND");
    let err = client
        .post_json(
            &app,
            SANDBOX,
            &format!("/pools/{pool}/applicants"),
            &json!({"applicant_id": 1}),
        )
        .expect_error(400, "PAYLOAD_VALIDATION");
    assert_eq!(err["errors"][0]["property"], "applicant_id");
    assert_eq!(add_member(&client, &app, &pool, &b).status, 204);

    // A3 lists the pools an applicant is in.
    let view = ok_json(&client.get(&app, &format!("/applicants/{a}")), 200);
    assert_eq!(
        view["pools"],
        json!([{"id": pool, "label": "returning users"}])
    );

    // P4, and P4 of a non-member.
    let member = format!("/pools/{pool}/applicants/{a}");
    assert_eq!(client.delete(&app, &member).status, 204);
    client
        .delete(&app, &member)
        .expect_error(404, "APPLICANT_NOT_IN_POOL");
    let view = ok_json(&client.get(&app, &format!("/applicants/{a}")), 200);
    assert_eq!(view["pools"], json!([]));
    assert_eq!(add_member(&client, &app, &pool, &a).status, 204);

    // Deleting an applicant takes it out of its pools.
    assert_eq!(client.delete(&app, &format!("/applicants/{b}")).status, 204);
    client
        .delete(&app, &format!("/pools/{pool}/applicants/{b}"))
        .expect_error(404, "APPLICANT_NOT_IN_POOL");

    // Deleting the pool leaves its applicants.
    assert_eq!(client.delete(&app, &format!("/pools/{pool}")).status, 204);
    client
        .delete(&app, &format!("/pools/{pool}"))
        .expect_error(404, "POOL_NOT_FOUND");
    let view = ok_json(&client.get(&app, &format!("/applicants/{a}")), 200);
    assert_eq!(view["pools"], json!([]));
}

#[test]
fn attaching_an_applicant_and_its_rejections() {
    let emulator = emulator();
    let client = Client::new(&emulator);
    let app = App::test();
    let with_face = applicant(&client, &app, Some(DEFAULT_LIVE_JPEG));
    let faceless = applicant(&client, &app, None);
    let (session_id, _token) = client.create_session(&app, &selfie_spec());
    let resource = face_capture(&client, &app, &session_id);

    attach(&client, &app, &session_id, "nope", &with_face).expect_error(404, "RESOURCE_NOT_FOUND");
    attach(&client, &app, &session_id, &resource, "nope").expect_error(404, "APPLICANT_NOT_FOUND");
    attach(&client, &app, &session_id, &resource, &faceless)
        .expect_error(422, "APPLICANT_HAS_NO_FACE");
    attach(&client, &app, "nope", &resource, &with_face).expect_error(404, "SESSION_NOT_FOUND");
    let other = App::other();
    let foreign = applicant(&client, &other, Some(DEFAULT_LIVE_JPEG));
    attach(&client, &app, &session_id, &resource, &foreign)
        .expect_error(404, "APPLICANT_NOT_FOUND");
    attach(&client, &other, &session_id, &resource, &foreign)
        .expect_error(404, "SESSION_NOT_FOUND");
    let err = client
        .put_json(
            &app,
            SANDBOX,
            &format!("/sessions/{session_id}/resources/face-capture/{resource}/applicant"),
            &json!({}),
        )
        .expect_error(400, "PAYLOAD_VALIDATION");
    assert_eq!(err["errors"][0]["property"], "applicant_id");

    let resp = attach(&client, &app, &session_id, &resource, &with_face);
    assert_eq!(resp.status, 200, "{}", String::from_utf8_lossy(&resp.body));
    assert!(resp.body.is_empty());

    // Once the session expired: 409.
    emulator.advance_clock(Duration::from_secs(601));
    assert_eq!(client.session(&app, &session_id)["state"], "EXPIRED");
    attach(&client, &app, &session_id, &resource, &with_face).expect_error(409, "SESSION_EXPIRED");

    // Once the capture completed: 409 too.
    let (done, token) = client.create_session(&app, &selfie_spec());
    let resource = face_capture(&client, &app, &done);
    assert_eq!(
        attach(&client, &app, &done, &resource, &with_face).status,
        200
    );
    complete(&client, &app, &done, &token, None);
    attach(&client, &app, &done, &resource, &with_face).expect_error(409, "SESSION_COMPLETED");
}

#[test]
fn face_comparison_against_an_attached_applicant() {
    let emulator = emulator();
    let client = Client::new(&emulator);
    let app = App::test();
    // Enrolled with the image the agent shows by default.
    let enrolled = applicant(&client, &app, Some(DEFAULT_LIVE_JPEG));

    // Same bytes: MATCH, APPROVE.
    let s = compare_with_applicant(&client, &app, &enrolled, None, None);
    assert_eq!(s["state"], "COMPLETED");
    let fc = check(&s, "FACE_COMPARISON");
    assert_eq!(fc["report"]["recommendation"], json!({"value": "APPROVE"}));
    assert_eq!(fc["report"]["breakdown"][0]["sub_check"], "ai_face_match");
    assert_eq!(fc["report"]["breakdown"][0]["result"], "PASS");
    let resource = s["resources"]["face_capture"][0]["id"].clone();
    let liveness = s["resources"]["liveness_capture"][0]["id"].clone();
    assert_eq!(fc["resources_used"], json!([resource, liveness]));
    // The applicant's face is not copied into the session's media.
    assert!(s["resources"]["face_capture"][0].get("image").is_none());

    // The same image given explicitly: still a match.
    let s = compare_with_applicant(&client, &app, &enrolled, Some(DEFAULT_LIVE_JPEG), None);
    assert_eq!(
        check(&s, "FACE_COMPARISON")["report"]["recommendation"]["value"],
        "APPROVE"
    );

    // Another face: NO_MATCH, REJECT.
    let s = compare_with_applicant(&client, &app, &enrolled, Some(REFERENCE_JPEG), None);
    let fc = check(&s, "FACE_COMPARISON");
    assert_eq!(fc["report"]["recommendation"], json!({"value": "REJECT"}));
    assert_eq!(fc["report"]["breakdown"][0]["result"], "FAIL");

    // Any of the applicant's faces matches.
    let two = applicant(&client, &app, Some(SMALL_PNG));
    ok_json(
        &client.post_json(
            &app,
            SANDBOX,
            &format!("/applicants/{two}/faces"),
            &json!({"face": {"data": b64(REFERENCE_JPEG)}}),
        ),
        201,
    );
    let s = compare_with_applicant(&client, &app, &two, Some(REFERENCE_JPEG), None);
    assert_eq!(
        check(&s, "FACE_COMPARISON")["report"]["recommendation"]["value"],
        "APPROVE"
    );

    // The sandbox config overrides both ways.
    let scripted = |value: &str, result: &str| {
        json!({"check_reports": {"FACE_COMPARISON": {"result": {"report": {
            "recommendation": {"value": value},
            "breakdown": [{"sub_check": "ai_face_match", "result": result}]
        }}}}})
    };
    let s = compare_with_applicant(
        &client,
        &app,
        &enrolled,
        None,
        Some(&scripted("REJECT", "FAIL")),
    );
    let fc = check(&s, "FACE_COMPARISON");
    assert_eq!(fc["report"]["recommendation"]["value"], "REJECT");
    assert_eq!(fc["report"]["breakdown"][0]["result"], "FAIL");
    let s = compare_with_applicant(
        &client,
        &app,
        &enrolled,
        Some(REFERENCE_JPEG),
        Some(&scripted("APPROVE", "PASS")),
    );
    assert_eq!(
        check(&s, "FACE_COMPARISON")["report"]["recommendation"]["value"],
        "APPROVE"
    );

    // An uploaded image after the attach replaces the applicant: today's default (APPROVE).
    let (session_id, token) = client.create_session(&app, &selfie_spec());
    let resource = face_capture(&client, &app, &session_id);
    assert_eq!(
        attach(&client, &app, &session_id, &resource, &enrolled).status,
        200
    );
    assert_eq!(
        client
            .upload_image(&app, &session_id, &resource, "image/jpeg", SMALL_PNG)
            .status,
        400,
        "a PNG declared as JPEG is refused"
    );
    assert_eq!(
        client
            .upload_image(&app, &session_id, &resource, "image/png", SMALL_PNG)
            .status,
        204
    );
    complete(&client, &app, &session_id, &token, Some(REFERENCE_JPEG));
    let s = client.session(&app, &session_id);
    assert_eq!(
        check(&s, "FACE_COMPARISON")["report"]["recommendation"]["value"],
        "APPROVE"
    );

    // The applicant deleted after the attach: no reference left.
    let gone = applicant(&client, &app, Some(DEFAULT_LIVE_JPEG));
    let (session_id, token) = client.create_session(&app, &selfie_spec());
    let resource = face_capture(&client, &app, &session_id);
    assert_eq!(
        attach(&client, &app, &session_id, &resource, &gone).status,
        200
    );
    assert_eq!(
        client.delete(&app, &format!("/applicants/{gone}")).status,
        204
    );
    complete(&client, &app, &session_id, &token, None);
    let s = client.session(&app, &session_id);
    assert_eq!(
        check(&s, "FACE_COMPARISON")["report"]["recommendation"],
        json!({"value": "NOT_AVAILABLE", "reason": "REFERENCE_IMAGE_MISSING"})
    );
}

#[test]
fn familiar_face_search_outcomes() {
    let emulator = emulator();
    let client = Client::new(&emulator);
    let app = App::test();
    let known = applicant(&client, &app, Some(DEFAULT_LIVE_JPEG));
    let stranger = applicant(&client, &app, Some(SMALL_PNG));
    let pool = pool(&client, &app, "members");
    assert_eq!(add_member(&client, &app, &pool, &stranger).status, 204);
    assert_eq!(add_member(&client, &app, &pool, &known).status, 204);
    let found_details = json!([
        {"name": "matching_pool", "value": pool},
        {"name": "matching_applicant", "value": known},
    ]);

    // MATCH criterion, a known face: APPROVE with the matched pool and applicant.
    let c = search(&client, &app, &pool, "MATCH", None, None);
    assert_eq!(
        c["config"],
        json!({"pool_id": pool, "pool_label": "members", "approval_criteria": "MATCH"})
    );
    assert_eq!(c["report"]["recommendation"], json!({"value": "APPROVE"}));
    assert_eq!(
        c["report"]["breakdown"],
        json!([{"sub_check": "face_found_in_pool", "result": "PASS",
            "details": found_details, "process": "AUTOMATED"}])
    );

    // MATCH criterion, an unknown face: REJECT, no details.
    let c = search(&client, &app, &pool, "MATCH", Some(REFERENCE_JPEG), None);
    assert_eq!(
        c["report"]["recommendation"],
        json!({"value": "REJECT", "reason": "NO_MATCH_FOUND"})
    );
    assert_eq!(
        c["report"]["breakdown"],
        json!([{"sub_check": "face_found_in_pool", "result": "FAIL",
            "details": [], "process": "AUTOMATED"}])
    );

    // NO_MATCH criterion: a known face is REJECT MATCH_FOUND, an unknown one APPROVE.
    let c = search(&client, &app, &pool, "NO_MATCH", None, None);
    assert_eq!(
        c["report"]["recommendation"],
        json!({"value": "REJECT", "reason": "MATCH_FOUND"})
    );
    assert_eq!(
        c["report"]["breakdown"][0]["sub_check"],
        "face_not_found_in_pool"
    );
    assert_eq!(c["report"]["breakdown"][0]["result"], "FAIL");
    assert_eq!(c["report"]["breakdown"][0]["details"], found_details);
    let c = search(&client, &app, &pool, "NO_MATCH", Some(REFERENCE_JPEG), None);
    assert_eq!(c["report"]["recommendation"], json!({"value": "APPROVE"}));
    assert_eq!(c["report"]["breakdown"][0]["result"], "PASS");

    // Two matching applicants are both listed, in pool order.
    let twin = applicant(&client, &app, Some(SMALL_PNG));
    assert_eq!(add_member(&client, &app, &pool, &twin).status, 204);
    let c = search(&client, &app, &pool, "MATCH", Some(SMALL_PNG), None);
    assert_eq!(
        c["report"]["breakdown"][0]["details"],
        json!([
            {"name": "matching_pool", "value": pool},
            {"name": "matching_applicant", "value": stranger},
            {"name": "matching_applicant", "value": twin},
        ])
    );

    // A member taken out of the pool (or deleted) is no longer found.
    assert_eq!(
        client
            .delete(&app, &format!("/pools/{pool}/applicants/{known}"))
            .status,
        204
    );
    let c = search(&client, &app, &pool, "MATCH", None, None);
    assert_eq!(c["report"]["recommendation"]["value"], "REJECT");
    assert_eq!(add_member(&client, &app, &pool, &known).status, 204);
    assert_eq!(
        client.delete(&app, &format!("/applicants/{known}")).status,
        204
    );
    let c = search(&client, &app, &pool, "MATCH", None, None);
    assert_eq!(c["report"]["recommendation"]["value"], "REJECT");

    // The sandbox config overrides both ways.
    let scripted = |value: &str, result: &str| {
        json!({"check_reports": {"FAMILIAR_FACE_SEARCH": {"result": {"report": {
            "recommendation": {"value": value},
            "breakdown": [{"sub_check": "face_found_in_pool", "result": result,
                "details": [{"name": "matching_applicant", "value": "scripted"}]}]
        }}}}})
    };
    let c = search(
        &client,
        &app,
        &pool,
        "MATCH",
        Some(REFERENCE_JPEG),
        Some(&scripted("APPROVE", "PASS")),
    );
    assert_eq!(c["report"]["recommendation"]["value"], "APPROVE");
    assert_eq!(
        c["report"]["breakdown"][0]["details"][0]["value"],
        "scripted"
    );
    assert_eq!(c["config"]["pool_label"], "members");
    let c = search(
        &client,
        &app,
        &pool,
        "MATCH",
        Some(SMALL_PNG),
        Some(&scripted("REJECT", "FAIL")),
    );
    assert_eq!(c["report"]["recommendation"]["value"], "REJECT");
    assert_eq!(c["report"]["breakdown"][0]["result"], "FAIL");
    // The same through the application's response config.
    let resp = client.put_json(
        &app,
        SANDBOX,
        &format!("/apps/{SDK_ID}/response-config"),
        &scripted("REJECT", "FAIL"),
    );
    assert_eq!(resp.status, 200, "{}", String::from_utf8_lossy(&resp.body));
    let c = search(&client, &app, &pool, "MATCH", Some(SMALL_PNG), None);
    assert_eq!(c["report"]["recommendation"]["value"], "REJECT");
}

#[test]
fn familiar_face_search_requests_are_validated() {
    let emulator = emulator();
    let client = Client::new(&emulator);
    let app = App::test();
    let pool = pool(&client, &app, "p");
    let other_pool = self::pool(&client, &App::other(), "theirs");

    let errors = |spec: &Value| {
        let err = client
            .post_json(&app, SANDBOX, "/sessions", spec)
            .expect_error(400, "PAYLOAD_VALIDATION");
        let mut props: Vec<String> = err["errors"]
            .as_array()
            .expect("errors")
            .iter()
            .map(|e| e["property"].as_str().expect("property").to_owned())
            .collect();
        props.sort();
        props
    };
    assert_eq!(
        errors(&search_spec("nope", "MATCH")),
        ["requested_checks[1].config.pool_id"]
    );
    assert_eq!(
        errors(&search_spec(&other_pool, "MATCH")),
        ["requested_checks[1].config.pool_id"]
    );
    assert_eq!(
        errors(&search_spec(&pool, "MAYBE")),
        ["requested_checks[1].config.approval_criteria"]
    );
    assert_eq!(
        errors(&json!({"requested_checks": [{"type": "FAMILIAR_FACE_SEARCH", "config": {}}]})),
        [
            "requested_checks[0]",
            "requested_checks[0].config.approval_criteria",
            "requested_checks[0].config.pool_id",
        ]
    );
    // The pool is one of the sandbox base's: the API base does not know it.
    let err = client
        .post_json(&app, API, "/sessions", &search_spec(&pool, "MATCH"))
        .expect_error(400, "PAYLOAD_VALIDATION");
    assert_eq!(
        err["errors"][0]["property"],
        "requested_checks[1].config.pool_id"
    );

    // A pool deleted after the session was created: NOT_AVAILABLE.
    let (session_id, token) = client.create_session(&app, &search_spec(&pool, "MATCH"));
    let config = ok_json(
        &client.get(&app, &format!("/sessions/{session_id}/configuration")),
        200,
    );
    assert_eq!(
        config["requested_checks"],
        json!(["LIVENESS", "FAMILIAR_FACE_SEARCH"])
    );
    assert_eq!(client.delete(&app, &format!("/pools/{pool}")).status, 204);
    complete(&client, &app, &session_id, &token, None);
    let s = client.session(&app, &session_id);
    let c = check(&s, "FAMILIAR_FACE_SEARCH");
    assert_eq!(
        c["report"]["recommendation"],
        json!({"value": "NOT_AVAILABLE", "reason": "POOL_NOT_FOUND"})
    );
    assert_eq!(
        c["config"],
        json!({"pool_id": pool, "approval_criteria": "MATCH"})
    );
}

/// The hosted page's selfie is the live face too (the capture completes through the client
/// API, not the sandbox agent).
#[test]
fn the_hosted_page_selfie_is_the_live_face() {
    let emulator = emulator();
    let client = Client::new(&emulator);
    let app = App::test();
    let known = applicant(&client, &app, Some(SMALL_PNG));
    let pool = pool(&client, &app, "members");
    assert_eq!(add_member(&client, &app, &pool, &known).status, 204);
    let (session_id, token) = client.create_session(&app, &search_spec(&pool, "MATCH"));
    let call = |method: &str, path: &str, content_type: Option<&str>, body: &[u8]| {
        let mut headers = vec![("X-Yoti-Auth-Token", token.as_str())];
        if let Some(ct) = content_type {
            headers.push(("Content-Type", ct));
        }
        client.raw(
            method,
            &format!("{API}/client/sessions/{session_id}{path}"),
            &headers,
            body,
        )
    };
    assert_eq!(
        call("PUT", "/liveness", Some("image/png"), SMALL_PNG).status,
        201
    );
    assert_eq!(call("POST", "/consent", None, b"").status, 204);
    let done = call("POST", "/complete", None, b"");
    assert_eq!(done.status, 200, "{}", String::from_utf8_lossy(&done.body));
    let s = client.session(&app, &session_id);
    let c = check(&s, "FAMILIAR_FACE_SEARCH");
    assert_eq!(c["report"]["recommendation"], json!({"value": "APPROVE"}));
    assert_eq!(
        c["report"]["breakdown"][0]["details"],
        json!([
            {"name": "matching_pool", "value": pool},
            {"name": "matching_applicant", "value": known},
        ])
    );
}
