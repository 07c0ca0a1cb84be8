//! With bearer tokens, the `tracing` output of a run (including a refresh after a 401)
//! carries neither the token nor the client assertion.

#![allow(clippy::unwrap_used)]

use crate::support;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use idv::model::*;
use idv::{ClientBuilder, PrivateKey, SyncTransport, TransportError};
use idv_emulator::Emulator;
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing_subscriber::layer::{Context, Layer, SubscriberExt};

/// Every span and event a subscriber sees, as text.
#[derive(Clone, Default)]
struct Capture(Arc<Mutex<Vec<String>>>);

struct Fields<'a>(&'a mut String);

impl Visit for Fields<'_> {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        self.0.push_str(&format!(" {}={:?}", field.name(), value));
    }
}

impl<S: tracing::Subscriber> Layer<S> for Capture {
    fn on_new_span(&self, attrs: &Attributes<'_>, _id: &Id, _ctx: Context<'_, S>) {
        let mut line = format!("span {}", attrs.metadata().name());
        attrs.record(&mut Fields(&mut line));
        self.0.lock().unwrap().push(line);
    }

    fn on_record(&self, _id: &Id, values: &Record<'_>, _ctx: Context<'_, S>) {
        let mut line = "record".to_owned();
        values.record(&mut Fields(&mut line));
        self.0.lock().unwrap().push(line);
    }

    fn on_event(&self, event: &tracing::Event<'_>, _ctx: Context<'_, S>) {
        let mut line = format!("event {}", event.metadata().target());
        event.record(&mut Fields(&mut line));
        self.0.lock().unwrap().push(line);
    }
}

/// Forwards to ureq and keeps the secrets it sees: tokens and assertions.
#[derive(Clone)]
struct Secrets {
    inner: Arc<idv::transport::UreqTransport>,
    seen: Arc<Mutex<Vec<String>>>,
}

impl SyncTransport for Secrets {
    fn send(
        &self,
        request: http::Request<Vec<u8>>,
    ) -> Result<http::Response<Vec<u8>>, TransportError> {
        if let Some(v) = request.headers().get("authorization") {
            self.seen
                .lock()
                .unwrap()
                .push(v.to_str().unwrap()[7..].to_owned());
        }
        let body = String::from_utf8_lossy(request.body()).into_owned();
        if let Some(jwt) = body.split("client_assertion=").nth(1) {
            self.seen.lock().unwrap().push(jwt.to_owned());
        }
        let response = self.inner.send(request)?;
        if let Ok(json) = serde_json::from_slice::<serde_json::Value>(response.body())
            && let Some(token) = json["access_token"].as_str()
        {
            self.seen.lock().unwrap().push(token.to_owned());
        }
        Ok(response)
    }
}

#[test]
fn tokens_and_assertions_never_reach_tracing() {
    let capture = Capture::default();
    let subscriber = tracing_subscriber::registry().with(capture.clone());
    let _guard = tracing::subscriber::set_default(subscriber);

    let key = PrivateKey::from_pem(support::KEY).unwrap();
    let emulator = Emulator::builder()
        .app(support::SDK_ID, key.public_key())
        .token_lifetime(Duration::from_secs(300))
        .start()
        .unwrap();
    let secrets = Secrets {
        inner: Arc::new(idv::transport::UreqTransport::new(Default::default())),
        seen: Arc::default(),
    };
    let client = ClientBuilder::new()
        .sdk_id(support::SDK_ID)
        .key(key)
        .base_url(&emulator.base_url())
        .bearer_auth()
        .token_url(&emulator.token_url())
        .build_blocking_with_transport(secrets.clone())
        .unwrap();
    let created = client.create_session(&SessionSpecification::new()).unwrap();
    // A revoked token: a 401, a refresh, a new token.
    emulator.revoke_tokens(support::SDK_ID, false);
    client.get_session(&created.session_id).unwrap();

    let seen = secrets.seen.lock().unwrap().clone();
    assert!(seen.len() >= 4, "{seen:?}");
    let lines = capture.0.lock().unwrap().clone();
    assert!(lines.iter().any(|l| l.contains("get_session")), "{lines:?}");
    for line in &lines {
        for secret in &seen {
            assert!(!line.contains(secret.as_str()), "{line}");
        }
    }
}
