//! Bearer-token authentication end to end against the emulator: single-flight refresh under
//! concurrency, refresh of a token expiring mid-run, a revoked token, an independent check of
//! the client assertion, and secrets kept out of Debug and errors.

#![allow(clippy::unwrap_used)]

use crate::support;

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use idv::model::*;
use idv::{ClientBuilder, PrivateKey, SyncTransport, TransportError};
use idv_emulator::Emulator;

use support::{KEY, SDK_ID};

fn emulator(lifetime: Duration) -> Emulator {
    Emulator::builder()
        .app(SDK_ID, PrivateKey::from_pem(KEY).unwrap().public_key())
        .token_lifetime(lifetime)
        .start()
        .unwrap()
}

fn builder(emulator: &Emulator) -> ClientBuilder {
    ClientBuilder::new()
        .sdk_id(SDK_ID)
        .key_pem(KEY)
        .base_url(&emulator.base_url())
        .bearer_auth()
        .token_url(&emulator.token_url())
}

fn spec() -> SessionSpecification {
    SessionSpecification::new().with_client_session_token_ttl(600)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sixty_four_calls_with_an_expired_token_make_one_token_request() {
    let emulator = emulator(Duration::from_secs(1));
    let client = builder(&emulator).build().unwrap();
    let created = client.create_session(&spec()).await.unwrap();
    assert_eq!(emulator.auth_counts().token_requests, 1);
    // Let the token expire, for the client and for the server.
    tokio::time::sleep(Duration::from_millis(1200)).await;

    let calls = (0..64).map(|_| {
        let client = client.clone();
        let id = created.session_id.clone();
        tokio::spawn(async move { client.get_session(&id).await })
    });
    for call in futures_join(calls).await {
        call.unwrap();
    }
    let counts = emulator.auth_counts();
    assert_eq!(counts.token_requests, 2, "{counts:?}");
    assert_eq!(counts.bearer, 65);
    assert_eq!(counts.signed, 0);
}

async fn futures_join<T>(handles: impl Iterator<Item = tokio::task::JoinHandle<T>>) -> Vec<T> {
    let mut out = Vec::new();
    for handle in handles.collect::<Vec<_>>() {
        out.push(handle.await.unwrap());
    }
    out
}

#[test]
fn a_token_expiring_mid_run_is_refreshed_without_a_failed_call() {
    // Margin 0: the client keeps each token to its last moment, so some calls reach the
    // server just after it expired and take the 401 path (refresh once, send again).
    for margin in [Duration::ZERO, Duration::from_secs(60)] {
        let emulator = emulator(Duration::from_secs(1));
        let client = builder(&emulator)
            .token_refresh_margin(margin)
            .build_blocking()
            .unwrap();
        let created = client.create_session(&spec()).unwrap();
        let started = Instant::now();
        let mut calls = 0;
        while started.elapsed() < Duration::from_millis(2600) {
            client.get_session(&created.session_id).unwrap();
            calls += 1;
        }
        let counts = emulator.auth_counts();
        assert!(counts.token_requests >= 3, "{margin:?}: {counts:?}");
        assert_eq!(counts.signed, 0);
        assert!(counts.bearer > calls, "{counts:?} {calls}");
    }
}

#[test]
fn a_revoked_token_ends_unauthorized_after_one_refresh() {
    let emulator = emulator(Duration::from_secs(300));
    let client = builder(&emulator).build_blocking().unwrap();
    let created = client.create_session(&spec()).unwrap();
    emulator.revoke_tokens(SDK_ID, true);

    let before = emulator.auth_counts().token_requests;
    let err = client.get_session(&created.session_id).unwrap_err();
    assert!(err.is_unauthorized(), "{err}");
    assert_eq!(emulator.auth_counts().token_requests, before + 1);

    // A create-session POST is sent again too: the 401 carries the invalid_token challenge,
    // so it was not processed.
    let before = emulator.auth_counts().token_requests;
    let err = client.create_session(&spec()).unwrap_err();
    assert!(err.is_unauthorized(), "{err}");
    assert_eq!(emulator.auth_counts().token_requests, before + 1);
}

#[test]
fn a_revoked_token_is_replaced_when_the_app_may_still_have_tokens() {
    let emulator = emulator(Duration::from_secs(300));
    let client = builder(&emulator).build_blocking().unwrap();
    let created = client.create_session(&spec()).unwrap();
    emulator.revoke_tokens(SDK_ID, false);
    client.get_session(&created.session_id).unwrap();
    assert_eq!(emulator.auth_counts().token_requests, 2);
}

#[test]
fn a_static_token_is_sent_as_it_is_and_never_refreshed() {
    let emulator = emulator(Duration::from_secs(300));
    // Get a token with a key-backed client, then use it alone.
    let minting = builder(&emulator).build_blocking().unwrap();
    minting.create_session(&spec()).unwrap();
    let capture = Capture::new();
    let key_client = builder(&emulator)
        .build_blocking_with_transport(capture.clone())
        .unwrap();
    key_client.create_session(&spec()).unwrap();
    let token = capture.bearer().unwrap();

    let client = ClientBuilder::new()
        .sdk_id(SDK_ID)
        .base_url(&emulator.base_url())
        .bearer_token(token.clone())
        .build_blocking()
        .unwrap();
    client.create_session(&spec()).unwrap();
    let requests = emulator.auth_counts().token_requests;
    emulator.revoke_tokens(SDK_ID, true);
    let err = client.create_session(&spec()).unwrap_err();
    assert!(err.is_unauthorized());
    assert_eq!(emulator.auth_counts().token_requests, requests);

    // Never in Debug, Display or the error.
    for text in [
        format!("{client:?}"),
        format!("{:?}", client.config()),
        format!("{err}"),
        format!("{err:?}"),
        format!("{}", idv::ErrorReport(&err)),
        format!("{:?}", ClientBuilder::new().bearer_token(token.clone())),
    ] {
        assert!(!text.contains(&token), "{text}");
    }
    // An empty token is a build error, and says nothing of the token.
    let err = ClientBuilder::new()
        .sdk_id(SDK_ID)
        .bearer_token("  ")
        .build_blocking()
        .unwrap_err();
    assert_eq!(
        err.as_config().unwrap().kind(),
        idv::ConfigErrorKind::InvalidAuth
    );
}

/// A transport that forwards to ureq and keeps every request it sends.
#[derive(Clone)]
struct Capture {
    inner: Arc<idv::transport::UreqTransport>,
    sent: Arc<Mutex<Vec<http::Request<Vec<u8>>>>>,
}

impl Capture {
    fn new() -> Self {
        Self {
            inner: Arc::new(idv::transport::UreqTransport::new(Default::default())),
            sent: Arc::default(),
        }
    }

    fn bearer(&self) -> Option<String> {
        self.sent.lock().unwrap().iter().find_map(|r| {
            r.headers()
                .get("authorization")
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.strip_prefix("Bearer "))
                .map(str::to_owned)
        })
    }

    fn token_requests(&self) -> Vec<http::Request<Vec<u8>>> {
        self.sent
            .lock()
            .unwrap()
            .iter()
            .filter(|r| r.uri().path() == "/v1/oauth/token")
            .cloned()
            .collect()
    }
}

impl SyncTransport for Capture {
    fn send(
        &self,
        request: http::Request<Vec<u8>>,
    ) -> Result<http::Response<Vec<u8>>, TransportError> {
        self.sent.lock().unwrap().push(request.clone());
        self.inner.send(request)
    }
}

/// The assertion the client sends, checked with the `rsa` crate directly (not the SDK's
/// code): the form, the JWT header and claims, and the PS384 signature with the public key.
#[test]
fn the_client_assertion_verifies_independently() {
    use base64::Engine as _;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    use rsa::pkcs8::DecodePublicKey;
    use rsa::signature::Verifier;

    let emulator = emulator(Duration::from_secs(300));
    let capture = Capture::new();
    let client = builder(&emulator)
        .token_scopes(["idv:sessions", "idv:media"])
        .build_blocking_with_transport(capture.clone())
        .unwrap();
    client.create_session(&spec()).unwrap();

    let requests = capture.token_requests();
    assert_eq!(requests.len(), 1);
    let request = &requests[0];
    assert_eq!(request.method(), http::Method::POST);
    assert_eq!(
        request.headers()["content-type"],
        "application/x-www-form-urlencoded"
    );
    assert!(request.headers().get("authorization").is_none());
    let body = std::str::from_utf8(request.body()).unwrap();
    let form: std::collections::HashMap<String, String> = body
        .split('&')
        .map(|pair| {
            let (k, v) = pair.split_once('=').unwrap();
            let v = percent_decode(v);
            (k.to_owned(), v)
        })
        .collect();
    assert_eq!(form["grant_type"], "client_credentials");
    assert_eq!(
        form["client_assertion_type"],
        "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
    );
    assert_eq!(form["scope"], "idv:sessions idv:media");

    let jwt = &form["client_assertion"];
    let parts: Vec<&str> = jwt.split('.').collect();
    assert_eq!(parts.len(), 3);
    let header: serde_json::Value =
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(parts[0]).unwrap()).unwrap();
    assert_eq!(header, serde_json::json!({"alg": "PS384", "typ": "JWT"}));
    let claims: serde_json::Value =
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(parts[1]).unwrap()).unwrap();
    let subject = format!("sdk:{SDK_ID}");
    assert_eq!(claims["iss"], subject.as_str());
    assert_eq!(claims["sub"], subject.as_str());
    assert_eq!(claims["aud"], emulator.token_url().as_str());
    let jti = claims["jti"].as_str().unwrap();
    assert!((16..=128).contains(&jti.len()));
    let iat = claims["iat"].as_u64().unwrap();
    let exp = claims["exp"].as_u64().unwrap();
    assert_eq!(exp - iat, 300);
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    assert!(iat <= now && now - iat < 60);

    let public = rsa::PublicKey::from_public_key_pem(
        &PrivateKey::from_pem(KEY).unwrap().public_key().to_pem(),
    )
    .unwrap();
    let verifier = rsa::pss::VerifyingKey::<rsa::sha2::Sha384>::new(public);
    let signature =
        rsa::pss::Signature::try_from(URL_SAFE_NO_PAD.decode(parts[2]).unwrap().as_slice())
            .unwrap();
    let signed = format!("{}.{}", parts[0], parts[1]);
    verifier.verify(signed.as_bytes(), &signature).unwrap();
    assert!(verifier.verify(b"something else", &signature).is_err());

    // The IDV call that followed carried the token and no signature or sdkId.
    let sent = capture.sent.lock().unwrap();
    let call = sent
        .iter()
        .find(|r| r.uri().path().ends_with("/sessions"))
        .unwrap();
    assert!(
        call.headers()["authorization"]
            .to_str()
            .unwrap()
            .starts_with("Bearer ")
    );
    assert!(call.headers().get("x-yoti-auth-digest").is_none());
    assert_eq!(call.uri().query(), None);
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' => {
                out.push(u8::from_str_radix(&text[i + 1..i + 3], 16).unwrap());
                i += 3;
            }
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).unwrap()
}

/// The streamed media download answers `Step::Authenticate` too, and refreshes after a 401.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn streamed_downloads_use_and_refresh_the_token() {
    let emulator = emulator(Duration::from_secs(300));
    let client = builder(&emulator).build().unwrap();
    let created = client.create_session(&spec()).await.unwrap();
    emulator.revoke_tokens(SDK_ID, false);
    let err = client
        .get_media_content_stream(&created.session_id, &"no-such-media".into())
        .await
        .map(|_| ())
        .unwrap_err();
    assert!(err.is_not_found(), "{err}");
    assert_eq!(emulator.auth_counts().token_requests, 2);

    let blocking = builder(&emulator).build_blocking().unwrap();
    let session_id = created.session_id.clone();
    let before = emulator.auth_counts();
    let err = tokio::task::spawn_blocking(move || {
        blocking
            .get_media_content_reader(&session_id, &"no-such-media".into())
            .map(|_| ())
            .unwrap_err()
    })
    .await
    .unwrap();
    assert!(err.is_not_found(), "{err}");
    let after = emulator.auth_counts();
    assert_eq!(after.token_requests, before.token_requests + 1);
    assert_eq!(after.signed, 0);
}
