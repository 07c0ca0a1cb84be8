//! With the `tracing` feature, each API call is one span with the operation, method, path
//! template, status, attempts and latency, and nothing secret or identifying: no token, no
//! key, no session/resource/media id, no body.

#![allow(clippy::unwrap_used)]

use crate::support;

use std::sync::{Arc, Mutex};

use idv::model::*;
use idv::{ClientBuilder, PrivateKey};
use idv_emulator::{Emulator, Fault};
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing_subscriber::layer::{Context, Layer, SubscriberExt};

const SDK_ID: &str = "6e7f4c8a-1b2d-4e3f-9a0b-c1d2e3f4a5b6";
const FACE: &[u8] = include_bytes!("../data/reference-face.jpg");

/// Every span name, field and event a subscriber sees, as text.
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

#[test]
fn a_flow_traces_operations_without_secrets_or_ids() {
    let capture = Capture::default();
    let subscriber = tracing_subscriber::registry().with(capture.clone());
    let _guard = tracing::subscriber::set_default(subscriber);

    let key = PrivateKey::from_pem(support::KEY).unwrap();
    let emulator = Emulator::builder()
        .app(SDK_ID, key.public_key())
        .start()
        .unwrap();
    let client = ClientBuilder::new()
        .sdk_id(SDK_ID)
        .key(key)
        .base_url(&emulator.sandbox_base_url())
        .build_blocking()
        .unwrap();
    let spec = SessionSpecification::new()
        .with_user_tracking_id("tracking-5ecret")
        .with_requested_check(RequestedLivenessCheck::static_liveness().with_max_retries(3))
        .with_requested_check(RequestedFaceComparisonCheck::new().with_manual_check_never());
    let created = client.create_session(&spec).unwrap();
    let sid = created.session_id.clone();
    let config = client.get_session_configuration(&sid).unwrap();
    let requirement = config
        .face_capture_requirements()
        .next()
        .unwrap()
        .id
        .clone();
    let resource = client
        .create_face_capture_resource(
            &sid,
            &CreateFaceCaptureResourcePayload::new(requirement.clone()),
        )
        .unwrap();
    client
        .upload_face_capture_image(
            &sid,
            &resource.id,
            &UploadFaceCaptureImagePayload::jpeg(FACE),
        )
        .unwrap();
    client
        .sandbox_complete_session(&sid, &created.client_session_token)
        .unwrap();
    let session = client.get_session(&sid).unwrap();
    let media_ids: Vec<MediaId> = session.resources.media_ids().into_iter().cloned().collect();
    for m in &media_ids {
        client.get_media_content(&sid, m).unwrap();
    }
    let _ = client.get_session(&"no-such-session".into()).unwrap_err();

    let lines = capture.0.lock().unwrap().clone();
    let text = lines.join("\n");
    // the calls are there, one span each, with their templates and statuses
    for op in [
        "create_session",
        "get_session_configuration",
        "create_face_capture_resource",
        "upload_face_capture_image",
        "sandbox_complete_session_as_agent",
        "get_session",
        "get_media_content",
    ] {
        assert!(
            text.contains(&format!("operation=\"{op}\"")),
            "{op} missing:\n{text}"
        );
    }
    assert!(text.contains("path=\"/sessions/{session_id}/media/{media_id}/content\""));
    assert!(text.contains("status=201"));
    assert!(text.contains("status=404"));
    assert!(text.contains("attempts=1"));
    assert!(text.contains("latency_ms="));
    let spans = lines
        .iter()
        .filter(|l| l.starts_with("span idv.call"))
        .count();
    assert_eq!(spans, 7 + media_ids.len());
    // and nothing that identifies or authenticates
    let mut secrets = vec![
        created.client_session_token.expose_secret().to_owned(),
        sid.to_string(),
        resource.id.to_string(),
        requirement.to_string(),
        SDK_ID.to_owned(),
        "tracking-5ecret".to_owned(),
        "no-such-session".to_owned(),
    ];
    secrets.extend(media_ids.iter().map(MediaId::to_string));
    for secret in &secrets {
        assert!(
            !text.contains(secret.as_str()),
            "trace leaks {secret}:\n{text}"
        );
    }
    for line in support::KEY
        .lines()
        .filter(|l| l.len() > 16 && !l.starts_with("---"))
    {
        assert!(!text.contains(line));
    }
}

/// The span comes from the core's call state machine, so both clients trace a retried call
/// the same way: one span with two attempts, and one `retrying` event with the failed status.
#[tokio::test]
async fn a_retried_call_is_one_span_with_one_retry_event_in_both_clients() {
    let capture = Capture::default();
    let subscriber = tracing_subscriber::registry().with(capture.clone());
    let _guard = tracing::subscriber::set_default(subscriber);

    let key = PrivateKey::from_pem(support::KEY).unwrap();
    let emulator = Emulator::builder()
        .app(SDK_ID, key.public_key())
        .start()
        .unwrap();
    let config = ClientBuilder::new()
        .sdk_id(SDK_ID)
        .key(key)
        .base_url(&emulator.sandbox_base_url())
        .retry_policy(
            idv::RetryPolicy::new()
                .with_base_backoff(std::time::Duration::from_millis(10))
                .with_max_backoff(std::time::Duration::from_millis(20)),
        );
    let blocking = config.clone().build_blocking().unwrap();
    let sid = blocking
        .create_session(
            &SessionSpecification::new()
                .with_requested_check(RequestedLivenessCheck::static_liveness()),
        )
        .unwrap()
        .session_id;
    let fault = || Fault::status(503).on("GET", "/sessions/*").times(1);
    emulator.inject(fault());
    blocking.get_session(&sid).unwrap();
    emulator.inject(fault());
    config.build().unwrap().get_session(&sid).await.unwrap();

    let lines = capture.0.lock().unwrap().clone();
    let text = lines.join("\n");
    let count = |pred: &dyn Fn(&String) -> bool| lines.iter().filter(|l| pred(l)).count();
    assert_eq!(
        count(&|l| l.starts_with("span idv.call") && l.contains("operation=\"get_session\"")),
        2,
        "{text}"
    );
    assert_eq!(
        count(&|l| l.starts_with("event idv::telemetry")
            && l.contains("retrying")
            && l.contains("attempt=1")
            && l.contains("status=503")),
        2,
        "{text}"
    );
    assert_eq!(count(&|l| l.contains("attempts=2")), 2, "{text}");
    assert!(
        !text.contains(sid.as_str()),
        "trace leaks the session id:\n{text}"
    );
}
