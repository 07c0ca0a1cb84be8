//! Test helpers: a plain HTTP client (ureq) that signs requests itself.
#![allow(dead_code, unreachable_pub)]

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use idv_auth::{PrivateKey, PublicKey};
use idv_emulator::Emulator;
use serde_json::Value;

pub const SDK_ID: &str = "6e7f4c8a-1b2d-4e3f-9a0b-c1d2e3f4a5b6";
pub const OTHER_SDK_ID: &str = "0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9";
pub const API: &str = "/idverify/v1";
pub const SANDBOX: &str = "/sandbox/idverify/v1";

pub const TEST_KEY: &str = idv_test_support::keys::TEST_KEY;
pub const TEST_PUB: &str = idv_test_support::keys::TEST_PUB;
pub const OTHER_KEY: &str = idv_test_support::keys::OTHER_KEY;
pub const OTHER_PUB: &str = idv_test_support::keys::OTHER_PUB;
pub const REFERENCE_JPEG: &[u8] = include_bytes!("../data/reference-face.jpg");
pub const SMALL_PNG: &[u8] = include_bytes!("../data/small.png");

/// An application as a client sees it: its SDK id and private key.
pub struct App {
    pub sdk_id: String,
    pub key: PrivateKey,
}

impl App {
    pub fn test() -> Self {
        Self::new(SDK_ID, TEST_KEY)
    }

    pub fn other() -> Self {
        Self::new(OTHER_SDK_ID, OTHER_KEY)
    }

    pub fn new(sdk_id: &str, pem: &str) -> Self {
        Self {
            sdk_id: sdk_id.to_owned(),
            key: PrivateKey::from_pem(pem).expect("test private key"),
        }
    }
}

pub fn public_key(pem: &str) -> PublicKey {
    PublicKey::from_pem(pem).expect("test public key")
}

/// An emulator with the test app and the other app registered.
pub fn emulator() -> Emulator {
    builder().start().expect("emulator starts")
}

/// A builder with the test app and the other app registered.
pub fn builder() -> idv_emulator::EmulatorBuilder {
    Emulator::builder()
        .app(SDK_ID, public_key(TEST_PUB))
        .app(OTHER_SDK_ID, public_key(OTHER_PUB))
}

/// A response, read whole.
#[derive(Debug)]
pub struct Resp {
    pub status: u16,
    pub content_type: Option<String>,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Resp {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| {
            panic!(
                "status {} body is not JSON ({e}): {}",
                self.status,
                String::from_utf8_lossy(&self.body)
            )
        })
    }

    /// Asserts an error response with this status and code; returns the body.
    pub fn expect_error(&self, status: u16, code: &str) -> Value {
        assert_eq!(
            self.status,
            status,
            "body: {}",
            String::from_utf8_lossy(&self.body)
        );
        assert_eq!(self.content_type.as_deref(), Some("application/json"));
        let body = self.json();
        assert_eq!(body["code"], code, "body: {body}");
        assert!(body["message"].is_string(), "body: {body}");
        body
    }
}

static NONCE: AtomicU64 = AtomicU64::new(1);

/// A fresh v4-shaped nonce, unique in this process.
pub fn nonce() -> String {
    let n = NONCE.fetch_add(1, Ordering::Relaxed);
    let pid = u64::from(std::process::id()) & 0xffff;
    format!("00000000-{pid:04x}-4000-8000-{n:012x}")
}

pub fn timestamp_millis() -> u128 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("clock after 1970")
        .as_millis()
}

/// `path?sdkId=..&nonce=..&timestamp=..` as the Node SDK builds it.
pub fn signed_path(sdk_id: &str, path: &str) -> String {
    format!(
        "{path}?sdkId={sdk_id}&nonce={}&timestamp={}",
        nonce(),
        timestamp_millis()
    )
}

/// The digest header value: base64 PKCS#1 v1.5 SHA-256 over `METHOD&target[&b64(body)]`.
pub fn digest(key: &PrivateKey, method: &str, target: &str, body: &[u8]) -> String {
    let body_part = (!body.is_empty()).then_some(body);
    let message = idv_auth::string_to_sign(method, target, body_part);
    STANDARD.encode(key.sign(message.as_bytes()).expect("signs"))
}

pub struct Client {
    agent: ureq::Agent,
    origin: String,
}

impl Client {
    pub fn new(emulator: &Emulator) -> Self {
        Self::for_addr(emulator.addr())
    }

    /// A client of an emulator at `addr` (one started as a separate process, say).
    pub fn for_addr(addr: std::net::SocketAddr) -> Self {
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .build()
            .into();
        Self {
            agent,
            origin: format!("http://{addr}"),
        }
    }

    /// Sends a raw request: `target` is the full request target (with the API prefix).
    pub fn raw(&self, method: &str, target: &str, headers: &[(&str, &str)], body: &[u8]) -> Resp {
        self.try_raw(method, target, headers, body)
            .unwrap_or_else(|e| panic!("HTTP exchange failed: {e}"))
    }

    /// Like [`Client::raw`], but transport and body errors are returned.
    pub fn try_raw(
        &self,
        method: &str,
        target: &str,
        headers: &[(&str, &str)],
        body: &[u8],
    ) -> Result<Resp, String> {
        let mut builder = ureq::http::Request::builder()
            .method(method)
            .uri(format!("{}{target}", self.origin));
        for (name, value) in headers {
            builder = builder.header(*name, *value);
        }
        let request = builder.body(body.to_vec()).expect("request builds");
        let mut response = self.agent.run(request).map_err(|e| e.to_string())?;
        let status = response.status().as_u16();
        let all_headers = response
            .headers()
            .iter()
            .map(|(n, v)| (n.as_str().to_owned(), v.to_str().unwrap_or("").to_owned()))
            .collect();
        let content_type = response
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let body = response
            .body_mut()
            .with_config()
            .limit(64 * 1024 * 1024)
            .read_to_vec()
            .map_err(|e| format!("body: {e}"))?;
        Ok(Resp {
            status,
            content_type,
            headers: all_headers,
            body,
        })
    }

    /// Sends a request signed by `app`; `path` is relative to `prefix` (no query).
    pub fn signed(
        &self,
        app: &App,
        method: &str,
        prefix: &str,
        path: &str,
        content_type: Option<&str>,
        body: &[u8],
    ) -> Resp {
        let target = signed_path(&app.sdk_id, path);
        self.signed_target(app, method, prefix, &target, content_type, body)
    }

    /// Sends a request signed by `app` to `prefix` + `target` (target includes the query).
    pub fn signed_target(
        &self,
        app: &App,
        method: &str,
        prefix: &str,
        target: &str,
        content_type: Option<&str>,
        body: &[u8],
    ) -> Resp {
        let digest = digest(&app.key, method, target, body);
        let mut headers = vec![
            ("X-Yoti-Auth-Digest", digest.as_str()),
            ("Accept", "application/json"),
        ];
        if let Some(ct) = content_type {
            headers.push(("Content-Type", ct));
        }
        self.raw(method, &format!("{prefix}{target}"), &headers, body)
    }

    pub fn put_json(&self, app: &App, prefix: &str, path: &str, body: &Value) -> Resp {
        let bytes = serde_json::to_vec(body).expect("json");
        self.signed(app, "PUT", prefix, path, Some("application/json"), &bytes)
    }

    /// GET `path` on the sandbox base.
    pub fn sandbox_get(&self, app: &App, path: &str) -> Resp {
        self.signed(app, "GET", SANDBOX, path, None, b"")
    }

    /// The session as JSON (asserts 200).
    pub fn session(&self, app: &App, session_id: &str) -> Value {
        let resp = self.get(app, &format!("/sessions/{session_id}"));
        assert_eq!(resp.status, 200, "{}", String::from_utf8_lossy(&resp.body));
        resp.json()
    }

    /// GET `path` on the sandbox base, where [`Client::create_session`] creates sessions.
    pub fn get(&self, app: &App, path: &str) -> Resp {
        self.signed(app, "GET", SANDBOX, path, None, b"")
    }

    /// DELETE `path` on the sandbox base.
    pub fn delete(&self, app: &App, path: &str) -> Resp {
        self.signed(app, "DELETE", SANDBOX, path, None, b"")
    }

    pub fn post_json(&self, app: &App, prefix: &str, path: &str, body: &Value) -> Resp {
        let bytes = serde_json::to_vec(body).expect("json");
        self.signed(app, "POST", prefix, path, Some("application/json"), &bytes)
    }

    /// Creates a session through the sandbox base (so the sandbox agent can complete it);
    /// returns (session_id, client_session_token).
    pub fn create_session(&self, app: &App, spec: &Value) -> (String, String) {
        let resp = self.post_json(app, SANDBOX, "/sessions", spec);
        assert_eq!(resp.status, 201, "{}", String::from_utf8_lossy(&resp.body));
        let body = resp.json();
        (
            body["session_id"].as_str().expect("session_id").to_owned(),
            body["client_session_token"]
                .as_str()
                .expect("token")
                .to_owned(),
        )
    }

    /// Uploads a face-capture image the way the Node SDK does (multipart, `image/jpg`).
    pub fn upload_image(
        &self,
        app: &App,
        session_id: &str,
        resource_id: &str,
        part_type: &str,
        image: &[u8],
    ) -> Resp {
        let boundary = "--------------------------0123456789abcdef01234567";
        let body = multipart(boundary, part_type, image);
        self.signed(
            app,
            "PUT",
            SANDBOX,
            &format!("/sessions/{session_id}/resources/face-capture/{resource_id}/image"),
            Some(&format!("multipart/form-data; boundary={boundary}")),
            &body,
        )
    }

    /// Runs the sandbox agent on a session.
    pub fn agent(
        &self,
        app: &App,
        session_id: &str,
        token: &str,
        extra: Option<(&str, Value)>,
    ) -> Resp {
        let mut body = serde_json::json!({
            "session_id": session_id,
            "client_session_token": token,
        });
        if let Some((name, value)) = extra {
            body[name] = value;
        }
        self.post_json(app, SANDBOX, "/agent", &body)
    }
}

pub fn multipart(boundary: &str, part_type: &str, image: &[u8]) -> Vec<u8> {
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"binary-content\"; filename=\"face-capture-image\"\r\nContent-Type: {part_type}\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(image);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    body
}

/// The Node SDK's selfie session specification, byte for byte.
pub const SELFIE_SPEC: &str = r#"{"client_session_token_ttl":600,"resources_ttl":90000,"user_tracking_id":"some-user-tracking-id","requested_checks":[{"type":"LIVENESS","config":{"max_retries":3,"liveness_type":"STATIC"}},{"type":"FACE_COMPARISON","config":{"manual_check":"NEVER"}}],"requested_tasks":[],"sdk_config":{"success_url":"https://localhost:8443/idv/success","error_url":"https://localhost:8443/idv/error","allow_handoff":true},"required_documents":[]}"#;

pub fn selfie_spec() -> Value {
    serde_json::from_str(SELFIE_SPEC).expect("spec json")
}
