//! What the two selfie-authentication examples share: arguments, the embedded emulator,
//! the session specification of the guide, and the printing of results.

#![allow(dead_code, unreachable_pub)]

use std::path::PathBuf;

use idv::model::*;
use idv::{ClientBuilder, PrivateKey};

/// The reference face used when `--image` is not given (a 32x32 JPEG).
pub const DEFAULT_IMAGE: &[u8] = include_bytes!("../data/reference-face.jpg");

/// A demo key pair for the embedded emulator only. It is public: never use it elsewhere.
pub const DEMO_KEY_PEM: &str = include_str!("../data/demo-key.pem");

/// The demo application's SDK id on the embedded emulator.
pub const DEMO_SDK_ID: &str = "00000000-0000-4000-8000-00000000d3e0";

/// Command-line options.
pub struct Args {
    pub image: Option<PathBuf>,
    /// Wait for a person to complete the hosted page instead of playing the user.
    pub wait: bool,
    /// `--auth bearer`: bearer tokens ("Central Auth") instead of signed requests.
    pub bearer: bool,
}

/// How long `--wait` waits for a person to complete the hosted page.
pub const WAIT_FOR_PERSON: std::time::Duration = std::time::Duration::from_secs(600);

impl Args {
    pub fn parse() -> Result<Self, String> {
        let mut image = None;
        let mut wait = false;
        let mut bearer = false;
        let mut args = std::env::args().skip(1);
        while let Some(arg) = args.next() {
            match arg.as_str() {
                "--image" => {
                    image = Some(PathBuf::from(args.next().ok_or("--image needs a path")?))
                }
                "--wait" => wait = true,
                "--auth" => match args.next().as_deref() {
                    Some("bearer") => bearer = true,
                    Some("signed") => bearer = false,
                    _ => return Err("--auth takes `signed` or `bearer`".into()),
                },
                "-h" | "--help" => {
                    println!(
                        "usage: selfie_auth [--image PATH] [--wait] [--auth signed|bearer]\n\n\
                         Runs Yoti's selfie-authentication flow (liveness + face comparison).\n\
                         With YOTI_CLIENT_SDK_ID, YOTI_KEY_FILE_PATH and YOTI_IDV_API_URL set it\n\
                         talks to that server; otherwise to an embedded emulator, where the\n\
                         sandbox plays the user unless --wait is given: then open the printed\n\
                         hosted page URL in a browser and complete it (up to 10 minutes).\n\
                         --auth bearer authenticates with bearer tokens (Central Auth) from the\n\
                         token endpoint (YOTI_AUTH_URL, or the emulator's) instead of signing."
                    );
                    std::process::exit(0);
                }
                other => return Err(format!("unknown argument `{other}` (try --help)")),
            }
        }
        Ok(Self {
            image,
            wait,
            bearer,
        })
    }

    /// The reference image: the file given, or the bundled one.
    pub fn image(&self) -> Result<UploadFaceCaptureImagePayload, String> {
        match &self.image {
            None => Ok(UploadFaceCaptureImagePayload::jpeg(DEFAULT_IMAGE)),
            Some(path) => {
                let bytes = std::fs::read(path)
                    .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
                let is_png = bytes.starts_with(b"\x89PNG");
                Ok(if is_png {
                    UploadFaceCaptureImagePayload::png(bytes)
                } else {
                    UploadFaceCaptureImagePayload::jpeg(bytes)
                })
            }
        }
    }
}

/// Where the flow runs.
pub enum Target {
    /// A server named by the environment: the user has to use the hosted page.
    Remote(ClientBuilder),
    /// The embedded emulator: the example plays the user through the sandbox call.
    Emulator(idv_emulator::Emulator, ClientBuilder),
}

impl Target {
    /// The environment's server when any of `YOTI_CLIENT_SDK_ID`, `YOTI_KEY_FILE_PATH` or a
    /// base URL variable is set (a partial set is an error when the client is built, never
    /// a silent fall-back to the emulator), else a freshly started emulator on 127.0.0.1.
    pub fn from_env() -> Result<Self, Box<dyn std::error::Error>> {
        match env_target() {
            Some(target) => Ok(target),
            None => emulator_target(),
        }
    }

    /// As [`Target::from_env`]; with `bearer`, the clients authenticate with bearer tokens:
    /// from the emulator's token endpoint (and the emulator logs every request, with how it
    /// authenticated), or from `YOTI_AUTH_URL` (Yoti's endpoint when unset).
    pub fn for_args(args: &Args) -> Result<Self, Box<dyn std::error::Error>> {
        if !args.bearer {
            return Self::from_env();
        }
        Ok(match env_target() {
            Some(Target::Remote(builder)) => {
                let builder = builder.bearer_auth();
                Target::Remote(match env_value("YOTI_AUTH_URL") {
                    Some(url) => builder.token_url(&url),
                    None => builder,
                })
            }
            _ => {
                let (emulator, builder) = demo_emulator(true)?;
                let builder = builder.bearer_auth().token_url(&emulator.token_url());
                Target::Emulator(emulator, builder)
            }
        })
    }

    /// On the emulator with `--auth bearer`: reports how the calls authenticated, and fails
    /// if any was signed.
    pub fn check_auth(&self, args: &Args) -> Result<(), String> {
        let Target::Emulator(emulator, _) = self else {
            return Ok(());
        };
        let counts = emulator.auth_counts();
        println!(
            "emulator: {} bearer-authenticated calls, {} signed, {} token requests",
            counts.bearer, counts.signed, counts.token_requests
        );
        if args.bearer && (counts.signed > 0 || counts.bearer == 0) {
            return Err(format!(
                "--auth bearer: expected bearer-authenticated calls only, got {counts:?}"
            ));
        }
        Ok(())
    }

    /// The builder of the clients for this target.
    pub fn builder(&self) -> ClientBuilder {
        match self {
            Target::Remote(c) | Target::Emulator(_, c) => c.clone(),
        }
    }

    pub fn describe(&self) -> String {
        match self {
            Target::Remote(_) => {
                let url = idv::ENV_API_URL_VARS
                    .iter()
                    .find_map(|name| env_value(name))
                    .unwrap_or_else(|| idv::BaseUrl::PRODUCTION.to_owned());
                format!("server {url} (from the environment)")
            }
            Target::Emulator(e, _) => format!("embedded emulator at {}", e.sandbox_base_url()),
        }
    }
}

/// The session specification of Yoti's face-comparison guide.
pub fn selfie_spec() -> SessionSpecification {
    SessionSpecification::new()
        .with_client_session_token_ttl(600)
        .with_resources_ttl(90_000)
        .with_user_tracking_id("some-user-tracking-id")
        .with_requested_check(RequestedLivenessCheck::static_liveness().with_max_retries(3))
        .with_requested_check(RequestedFaceComparisonCheck::new().with_manual_check_never())
        .with_sdk_config(
            SdkConfig::new()
                .with_success_url("https://localhost:8443/idv/success")
                .with_error_url("https://localhost:8443/idv/error")
                .with_allow_handoff(true),
        )
}

/// Prints every liveness and face-comparison check.
pub fn print_checks(session: &GetSessionResult) {
    println!(
        "session state: {}",
        session.state.as_ref().map_or("(none)", |s| s.as_str())
    );
    let selfie_checks = [CheckType::Liveness, CheckType::FaceComparison];
    for check in session
        .checks
        .iter()
        .filter(|c| selfie_checks.contains(&c.check_type()))
    {
        let state = check.state().map_or("(none)", |s| s.as_str());
        let recommendation = check.recommendation().map_or("(none)", |r| r.as_str());
        println!(
            "check {} {}: state {state}, recommendation {recommendation}",
            check.check_type(),
            check.id().map_or("(no id)", |id| id.as_str())
        );
        if let Some(report) = check.report() {
            for b in &report.breakdown {
                let mut line = format!("  {} {}", b.sub_check.as_deref().unwrap_or("?"), b.result);
                for d in &b.details {
                    line.push_str(&format!(
                        " {}={}",
                        d.name.as_deref().unwrap_or("?"),
                        d.value.as_deref().unwrap_or("?")
                    ));
                }
                println!("{line}");
            }
        }
    }
}

/// Prints one fetched media object (never its bytes).
pub fn print_media(kind: &str, media_id: &str, media: &Option<Media>) {
    match media {
        Some(m) => println!(
            "media {kind} {media_id}: {} bytes, {}",
            m.len(),
            if m.mime_type.is_empty() {
                "(no type)"
            } else {
                &m.mime_type
            }
        ),
        None => println!("media {kind} {media_id}: no content (204)"),
    }
}

/// `(kind, media id)` of every resource image of the session.
pub fn resource_media(session: &GetSessionResult) -> Vec<(&'static str, MediaId)> {
    let mut out = Vec::new();
    for r in &session.resources.liveness_capture {
        if let Some(m) = r.image().and_then(|i| i.media.as_ref()) {
            out.push(("liveness", m.id.clone()));
        }
    }
    for r in &session.resources.face_capture {
        if let Some(m) = r.image.as_ref().and_then(|i| i.media.as_ref()) {
            out.push(("face-capture", m.id.clone()));
        }
    }
    out
}

fn env_value(name: &str) -> Option<String> {
    std::env::var(name)
        .ok()
        .map(|v| v.trim().to_owned())
        .filter(|v| !v.is_empty())
}

/// The server the environment names, if any of the SDK's variables is set.
pub fn env_target() -> Option<Target> {
    let any_set = [idv::ENV_SDK_ID, idv::ENV_KEY_FILE_PATH]
        .iter()
        .chain(idv::ENV_API_URL_VARS.iter())
        .any(|name| env_value(name).is_some());
    any_set.then(|| Target::Remote(ClientBuilder::from_env()))
}

/// The embedded emulator with the demo application, whatever the environment says.
pub fn emulator_target() -> Result<Target, Box<dyn std::error::Error>> {
    let (emulator, builder) = demo_emulator(false)?;
    Ok(Target::Emulator(emulator, builder))
}

/// The embedded emulator with the demo application (logging every request when `log`), and
/// the builder of clients for it.
fn demo_emulator(
    log: bool,
) -> Result<(idv_emulator::Emulator, ClientBuilder), Box<dyn std::error::Error>> {
    let key = PrivateKey::from_pem(DEMO_KEY_PEM)?;
    let emulator = idv_emulator::Emulator::builder()
        .app(DEMO_SDK_ID, key.public_key())
        .allow_plain_http_notifications(true) // the examples' receivers are http on loopback
        .log_requests(log)
        .start()?;
    // The sandbox base: sessions created there can be completed by the sandbox agent.
    let builder = ClientBuilder::new()
        .sdk_id(DEMO_SDK_ID)
        .key(key)
        .base_url(&emulator.sandbox_base_url());
    Ok((emulator, builder))
}

/// The exit code of a verdict: 0 pass, 1 fail, 3 pending (ask again later).
pub fn exit_code(verdict: &idv::SelfieAuthVerdict) -> std::process::ExitCode {
    if verdict.is_pass() {
        std::process::ExitCode::SUCCESS
    } else if verdict.is_pending() {
        std::process::ExitCode::from(3)
    } else {
        std::process::ExitCode::from(1)
    }
}

/// Prints the verdict, saying what each outcome means.
pub fn print_verdict(verdict: &idv::SelfieAuthVerdict) {
    match verdict {
        idv::SelfieAuthVerdict::Pass => println!("verdict: PASS"),
        idv::SelfieAuthVerdict::Pending { .. } => {
            println!("verdict: {verdict} (no decision yet: read the session again later)")
        }
        _ => println!("verdict: {verdict}"),
    }
}
