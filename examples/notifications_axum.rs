//! Receiving Yoti's notifications (webhooks) in an axum handler.
//!
//! ```text
//! cargo run --example notifications_axum                  # the demo, on its own
//! cargo run --example notifications_axum -- --listen 127.0.0.1:8081
//! ```
//!
//! The handler is framework-neutral at heart: `Notification::from_request` checks the
//! `Authorization` header against the configured token in constant time, then parses the
//! body; the handler answers 200, or the error's status (401 for bad credentials, 400 for a
//! body that is not a notification, 413 for an oversized one).
//!
//! With no arguments it runs a demo and exits: it starts the receiver on 127.0.0.1, starts
//! the embedded `idv-emulator`, creates a selfie session whose specification asks for
//! notifications to that receiver (Basic auth), completes the session through the sandbox,
//! and waits (at most 15 s) for the `session_completion` notification.
//!
//! With `--listen ADDR` it only runs the receiver, at `http://ADDR/notifications`, until
//! Ctrl-C; the token is read from `IDV_NOTIFICATION_AUTH_TOKEN` and sent as Basic unless
//! `IDV_NOTIFICATION_AUTH_TYPE=BEARER`. Yoti only posts to `https://` endpoints: put it
//! behind your TLS-terminating proxy.

mod common;

use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use idv::model::{NotificationAuthType, NotificationConfig};
use idv::notifications::{AuthType, Notification, NotificationAuth, Topic};
use idv::{Client, ErrorReport, PrivateKey};
use tokio::sync::mpsc;

/// The demo's credentials. In production: a long random secret from your configuration,
/// the same one you put in the session specification.
const DEMO_TOKEN: &str = "demo-user:demo-password";

/// How long the demo waits for the session-completion notification.
const WAIT: Duration = Duration::from_secs(15);

/// What the handler needs: the credentials to check, and where to hand notifications over.
#[derive(Clone)]
struct Receiver {
    auth: Arc<NotificationAuth>,
    received: mpsc::UnboundedSender<Notification>,
}

/// The notification endpoint. Answer quickly: hand the notification over and let other code
/// fetch the session (`get_session`), which holds the actual result.
async fn receive(State(receiver): State<Receiver>, headers: HeaderMap, body: Bytes) -> StatusCode {
    match Notification::from_request(&headers, &body, &receiver.auth) {
        Ok(notification) => {
            println!(
                "notification: {} for session {}",
                notification.topic, notification.session_id
            );
            let _ = receiver.received.send(notification);
            StatusCode::OK
        }
        Err(e) => {
            // never contains the token or the header value
            eprintln!("refused a notification ({}): {e}", e.status());
            e.status()
        }
    }
}

fn router(auth: NotificationAuth) -> (Router, mpsc::UnboundedReceiver<Notification>) {
    let (received, rx) = mpsc::unbounded_channel();
    let receiver = Receiver {
        auth: Arc::new(auth),
        received,
    };
    let app = Router::new()
        .route("/notifications", post(receive))
        .with_state(receiver);
    (app, rx)
}

#[tokio::main]
async fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.iter().map(String::as_str).collect::<Vec<_>>()[..] {
        [] => demo().await,
        ["--listen", addr] => listen(addr).await.map(|()| true),
        ["-h" | "--help"] => {
            println!(
                "usage: notifications_axum [--listen ADDR]\n\n\
                 Without arguments: a self-contained demo against the embedded emulator.\n\
                 --listen ADDR: only the receiver, at http://ADDR/notifications, with the token\n\
                 of IDV_NOTIFICATION_AUTH_TOKEN (Basic, or IDV_NOTIFICATION_AUTH_TYPE=BEARER)."
            );
            Ok(true)
        }
        _ => Err("unknown arguments (try --help)".into()),
    };
    match result {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::from(1),
        Err(e) => {
            eprintln!("error: {}", ErrorReport(e.as_ref()));
            ExitCode::from(2)
        }
    }
}

/// Only the receiver, until Ctrl-C.
async fn listen(addr: &str) -> Result<(), Box<dyn std::error::Error>> {
    let token = std::env::var("IDV_NOTIFICATION_AUTH_TOKEN")
        .map_err(|_| "set IDV_NOTIFICATION_AUTH_TOKEN to the session specification's auth_token")?;
    let auth_type = std::env::var("IDV_NOTIFICATION_AUTH_TYPE")
        .ok()
        .and_then(|t| AuthType::parse(&t))
        .unwrap_or(AuthType::Basic);
    let (app, mut rx) = router(NotificationAuth::new(token, auth_type));
    let listener = tokio::net::TcpListener::bind(addr).await?;
    println!(
        "receiving notifications at http://{}/notifications ({auth_type} auth); Ctrl-C stops",
        listener.local_addr()?
    );
    // a real service would queue the session ids for a worker that fetches the results
    tokio::spawn(async move { while rx.recv().await.is_some() {} });
    axum::serve(listener, app).await?;
    Ok(())
}

/// The self-contained demo: receiver, emulator, session, notification.
async fn demo() -> Result<bool, Box<dyn std::error::Error>> {
    // 1. the receiver, on a free port
    let auth = NotificationAuth::basic(DEMO_TOKEN);
    let (app, mut received) = router(auth.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let endpoint = format!("http://{}/notifications", listener.local_addr()?);
    let server = tokio::spawn(async move { axum::serve(listener, app).await });
    println!("receiving notifications at {endpoint}");

    // 2. the embedded emulator, with the demo application
    let key = PrivateKey::from_pem(common::DEMO_KEY_PEM)?;
    // (Yoti only accepts https endpoints; this receiver is plain http on loopback, which
    // the emulator accepts only with this opt-in.)
    let emulator = idv_emulator::Emulator::builder()
        .app(common::DEMO_SDK_ID, key.public_key())
        .allow_plain_http_notifications(true)
        .start()?;
    let client = Client::builder()
        .sdk_id(common::DEMO_SDK_ID)
        .key(key)
        .base_url(&emulator.sandbox_base_url())
        .build()?;
    println!("embedded emulator at {}", emulator.sandbox_base_url());

    // 3. a selfie session that notifies the receiver.
    let topics = [
        Topic::ResourceUpdate,
        Topic::CheckCompletion,
        Topic::SessionCompletion,
    ];
    let spec = common::selfie_spec().with_notifications(
        NotificationConfig::new(endpoint.as_str())
            .with_topics(topics.iter().map(|t| t.as_spec_str().into_owned()))
            .with_auth_token(auth.expose_token())
            .with_auth_type(NotificationAuthType::Basic),
    );
    let created = client.create_session(&spec).await?;
    let session_id = created.session_id.clone();
    println!("session {session_id} created");

    // 4. the user's part, played by the sandbox
    client
        .sandbox_complete_session(&session_id, &created.client_session_token)
        .await?;
    println!("the sandbox agent completed the session; waiting for the notification");

    // 5. wait, bounded, for the session-completion notification
    let wait = tokio::time::timeout(WAIT, async {
        while let Some(n) = received.recv().await {
            if n.topic == Topic::SessionCompletion && n.session_id == session_id {
                return Some(n);
            }
        }
        None
    })
    .await;
    server.abort();
    emulator.shutdown();
    match wait {
        Ok(Some(_)) => {
            println!("session {session_id} is complete: fetch it with get_session for the result");
            Ok(true)
        }
        _ => {
            println!(
                "no session_completion notification arrived within {} s: this emulator does not \
                 send notifications (yet), or could not reach {endpoint}",
                WAIT.as_secs()
            );
            Ok(false)
        }
    }
}
