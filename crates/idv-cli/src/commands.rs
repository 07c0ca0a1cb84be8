//! What each command does.

use std::fs::File;
use std::io::{self, IsTerminal, Read, Write};
use std::path::Path;

use idv::core::BaseUrl;
use idv::model::{CheckType, ClientSessionToken, CreateFaceCaptureResourcePayload, SessionId};
use idv::{ErrorReport, HostedPageUrl, KeyError, PrivateKey, PublicKey};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use serde_json::Value;
use zeroize::Zeroizing;

use crate::api::{Api, non_empty};
use crate::failure::{Failure, Kind};
use crate::ops::{CreateSessionRaw, GetSessionRaw, SupportedDocuments};
use crate::out::{self, clean, outln};
use crate::selfie::{self, Outcome, SelfieOptions};
use crate::summary::{self, REDACTED};
use crate::{
    Cli, Command, EmulatorArgs, Global, KeyCommand, MediaCommand, SandboxCommand, SessionCommand,
    TokenArgs,
};

/// The environment variable `session url` and `sandbox complete` read the client session
/// token from when no `--token-file` is given.
const ENV_TOKEN: &str = "YOTI_CLIENT_SESSION_TOKEN";

/// The longest client session token file read (a token is a few dozen bytes).
const MAX_TOKEN_BYTES: u64 = 4096;

/// Media at least this large (or of unknown size) get a progress bar on a terminal.
const PROGRESS_THRESHOLD: u64 = 1024 * 1024;

/// Runs the parsed command line; `Ok` carries the exit code (0, or a verdict's).
pub(crate) fn run(cli: Cli) -> Result<u8, Failure> {
    let Cli { global, command } = cli;
    match command {
        Command::Session(SessionCommand::Create {
            spec,
            selfie,
            template,
            json,
            show_token,
            token_out,
        }) => {
            let spec = match (spec, selfie) {
                (Some(path), false) => Spec::File(path),
                (None, true) => Spec::Selfie(SelfieOptions {
                    success_url: template.success_url,
                    error_url: template.error_url,
                    user_tracking_id: template.user_tracking_id,
                    client_session_token_ttl: template.token_ttl,
                    resources_ttl: template.resources_ttl,
                    liveness_max_retries: template.liveness_retries,
                }),
                _ => return Err(Failure::usage("give either --spec FILE.json or --selfie")),
            };
            let output = CreateOutput {
                json,
                show_token,
                token_out,
            };
            session_create(&global, &spec, &output).map(|()| 0)
        }
        Command::Session(SessionCommand::UploadReference { session_id, image }) => {
            upload_reference(&global, &session_id, &image).map(|()| 0)
        }
        Command::Session(SessionCommand::Url { session_id, token }) => {
            session_url(&global, &session_id, &token).map(|()| 0)
        }
        Command::Session(SessionCommand::Verdict { session_id, json }) => {
            session_verdict(&global, &session_id, json)
        }
        Command::Session(SessionCommand::Get {
            session_id,
            json,
            show_token,
        }) => session_get(&global, &session_id, json, show_token).map(|()| 0),
        Command::Session(SessionCommand::Delete { session_id }) => {
            session_delete(&global, &session_id).map(|()| 0)
        }
        Command::Sandbox(SandboxCommand::Complete {
            session_id,
            token,
            liveness,
            face_comparison,
        }) => sandbox_complete(
            &global,
            &session_id,
            &token,
            liveness.as_ref(),
            face_comparison.as_ref(),
        )
        .map(|()| 0),
        Command::Media(MediaCommand::Get {
            session_id,
            media_id,
            output,
        }) => media_get(&global, &session_id, &media_id, &output).map(|()| 0),
        Command::SupportedDocuments {
            include_non_latin,
            json,
        } => supported_documents(&global, include_non_latin, json).map(|()| 0),
        Command::Key(KeyCommand::Check { file }) => key_check(&file).map(|()| 0),
        Command::Emulator(args) => emulator(&global, &args).map(|()| 0),
        Command::Applicant(command) => crate::applicants::applicant(&global, command).map(|()| 0),
        Command::Pool(command) => crate::applicants::pool(&global, command).map(|()| 0),
    }
}

// ---------------------------------------------------------------------------------------------
// session

/// Where a session's specification comes from.
enum Spec {
    File(std::path::PathBuf),
    Selfie(SelfieOptions),
}

/// How `session create` shows what it created.
struct CreateOutput {
    json: bool,
    show_token: bool,
    token_out: Option<std::path::PathBuf>,
}

fn session_create(global: &Global, spec: &Spec, output: &CreateOutput) -> Result<(), Failure> {
    let spec = match spec {
        Spec::File(path) => read_spec(path)?,
        Spec::Selfie(options) => serde_json::to_vec(&selfie::selfie_spec(options))
            .map_err(|e| Failure::usage(format!("the selfie template: {e}")))?,
    };
    let api = Api::connect(global, true)?;
    let mut answer = api
        .client
        .execute(CreateSessionRaw { spec })
        .map_err(|e| api.fail("create session", &e))?;

    let token = answer
        .get("client_session_token")
        .and_then(Value::as_str)
        .map(ClientSessionToken::new);
    if let Some(path) = &output.token_out {
        let token = token.as_ref().ok_or_else(|| {
            Failure::new(
                Kind::Api,
                "create session: the answer has no client_session_token to write",
            )
        })?;
        write_secret(path, token.expose_secret())?;
    }

    if output.json {
        if !output.show_token {
            summary::redact_tokens(&mut answer);
        }
        return outln!("{}", summary::pretty(&answer));
    }
    let session_id = answer
        .get("session_id")
        .and_then(Value::as_str)
        .ok_or_else(|| Failure::new(Kind::Api, "create session: the answer has no session_id"))?;
    outln!("session created: {}", clean(session_id))?;
    if let Some(ttl) = answer
        .get("client_session_token_ttl")
        .and_then(Value::as_i64)
    {
        outln!("client session token ttl: {ttl} s")?;
    }
    match (&token, &output.token_out) {
        (Some(token), _) if output.show_token => {
            outln!("client session token: {}", clean(token.expose_secret()))?;
            if let Ok(url) = api
                .client
                .hosted_page_url(&SessionId::from(session_id), token)
            {
                outln!("hosted page: {}", clean(url.expose_secret()))?;
            }
        }
        (Some(_), Some(path)) => outln!(
            "client session token: written to {} (`idv session url SESSION_ID --token-file {}` \
             prints the hosted page URL)",
            path.display(),
            path.display()
        )?,
        (Some(_), None) => outln!(
            "client session token: {REDACTED} (--show-token prints it and the hosted page URL; \
             --token-out FILE writes it to a file)"
        )?,
        (None, _) => {}
    }
    Ok(())
}

/// Reads and checks a session specification file.
fn read_spec(spec_path: &Path) -> Result<Vec<u8>, Failure> {
    let spec = read_input(spec_path)?;
    let parsed: Value = serde_json::from_slice(&spec).map_err(|e| {
        Failure::usage(format!(
            "{}: not valid JSON (line {}, column {})",
            spec_path.display(),
            e.line(),
            e.column()
        ))
    })?;
    if !parsed.is_object() {
        return Err(Failure::usage(format!(
            "{}: a session specification is a JSON object",
            spec_path.display()
        )));
    }
    Ok(spec)
}

/// Writes a secret to a new or truncated file readable by its owner only.
fn write_secret(path: &Path, secret: &str) -> Result<(), Failure> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let cannot = |e: io::Error| Failure::io(format!("cannot write {}: {e}", path.display()));
    let mut file = options.open(path).map_err(cannot)?;
    #[cfg(unix)]
    {
        // an existing file keeps its mode on open: narrow it
        use std::os::unix::fs::PermissionsExt;
        file.set_permissions(std::fs::Permissions::from_mode(0o600))
            .map_err(cannot)?;
    }
    file.write_all(secret.as_bytes())
        .and_then(|()| file.write_all(b"\n"))
        .map_err(cannot)
}

/// The client session token, from `--token-file` or the environment.
fn read_token(args: &TokenArgs) -> Result<ClientSessionToken, Failure> {
    let (text, source) = match &args.token_file {
        Some(path) => {
            let mut bytes = Zeroizing::new(Vec::new());
            let source = if path == Path::new("-") {
                "standard input".to_owned()
            } else {
                path.display().to_string()
            };
            let result = if path == Path::new("-") {
                io::stdin()
                    .lock()
                    .take(MAX_TOKEN_BYTES + 1)
                    .read_to_end(&mut bytes)
            } else {
                File::open(path).and_then(|f| f.take(MAX_TOKEN_BYTES + 1).read_to_end(&mut bytes))
            };
            result.map_err(|e| Failure::usage(format!("cannot read {source}: {e}")))?;
            if bytes.len() as u64 > MAX_TOKEN_BYTES {
                return Err(Failure::usage(format!(
                    "{source}: too large for a client session token"
                )));
            }
            let text = String::from_utf8(bytes.to_vec())
                .map_err(|_| Failure::usage(format!("{source}: a client session token is text")))?;
            (Zeroizing::new(text), source)
        }
        None => match std::env::var(ENV_TOKEN) {
            Ok(text) => (Zeroizing::new(text), ENV_TOKEN.to_owned()),
            Err(_) => {
                return Err(Failure::usage(format!(
                    "no client session token: pass --token-file FILE (see `session create \
                     --token-out`) or set {ENV_TOKEN}"
                )));
            }
        },
    };
    let token = text.trim();
    if token.is_empty() || token.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(Failure::usage(format!(
            "{source}: not a client session token (empty, or more than one word)"
        )));
    }
    Ok(ClientSessionToken::new(token))
}

fn upload_reference(global: &Global, session_id: &str, image_path: &Path) -> Result<(), Failure> {
    let session_id = &SessionId::from(session_id);
    let image = selfie::reference_image(image_path)?;
    let api = Api::connect(global, true)?;
    let configuration = api
        .client
        .get_session_configuration(session_id)
        .map_err(|e| api.fail("get session configuration", &e))?;
    let requirement = configuration
        .face_capture_requirements()
        .next()
        .ok_or_else(|| {
            Failure::new(
                Kind::Api,
                "upload reference: the session asks for no face capture (no FACE_CAPTURE \
                 requirement); hint: create it with a FACE_COMPARISON check, e.g. `idv \
                 session create --selfie`",
            )
        })?;
    let resource = api
        .client
        .create_face_capture_resource(
            session_id,
            &CreateFaceCaptureResourcePayload::new(requirement.id.clone()),
        )
        .map_err(|e| api.fail("create face-capture resource", &e))?;
    api.client
        .upload_face_capture_image(session_id, &resource.id, &image)
        .map_err(|e| api.fail("upload reference image", &e))?;
    outln!(
        "uploaded {} ({} bytes, {}) to face-capture resource {}",
        image_path.display(),
        image.image.len(),
        clean(&image.content_type),
        clean(&resource.id)
    )
}

fn session_url(global: &Global, session_id: &str, token: &TokenArgs) -> Result<(), Failure> {
    let session_id = &SessionId::from(session_id);
    let token = read_token(token)?;
    // no request is made: neither the SDK id nor the key is needed, only the base URL
    let base = match non_empty(&global.api_url) {
        Some(url) => BaseUrl::parse(url).map_err(|e| {
            Failure::usage(format!("--api-url / YOTI_IDV_API_URL: {}", ErrorReport(&e)))
        })?,
        None => BaseUrl::default(),
    };
    let url = HostedPageUrl::new(&base, session_id, &token)
        .map_err(|e| Failure::usage(format!("hosted page URL: {}", ErrorReport(&e))))?;
    outln!("{}", url.expose_secret())
}

fn session_verdict(global: &Global, session_id: &str, json: bool) -> Result<u8, Failure> {
    let session_id = &SessionId::from(session_id);
    let api = Api::connect(global, true)?;
    let session = api
        .client
        .get_session(session_id)
        .map_err(|e| api.fail("get session", &e))?;
    let verdict = selfie::evaluate(&session);
    if json {
        let checks: Vec<Value> = session
            .checks
            .iter()
            .filter(|c| {
                matches!(
                    c.check_type(),
                    CheckType::Liveness | CheckType::FaceComparison
                )
            })
            .map(|c| {
                let recommendation = c.report().and_then(|r| r.recommendation.as_ref());
                serde_json::json!({
                    "type": c.check_type().to_string(),
                    "id": c.id(),
                    "state": c.state().map(|s| s.as_str()),
                    "recommendation": recommendation.map(|r| r.value.as_str()),
                    "reason": recommendation.and_then(|r| r.reason.as_deref()),
                })
            })
            .collect();
        let answer = serde_json::json!({
            "verdict": verdict.word(),
            "reasons": verdict.reasons(),
            "session_id": session.session_id,
            "state": session.state.as_ref().map(|s| s.as_str()),
            "checks": checks,
        });
        outln!("{}", summary::pretty(&answer))?;
        return Ok(verdict.exit_code());
    }
    let mut text = format!("verdict: {}\n", clean(&verdict.to_string()));
    let state = session.state.as_ref().map_or("-", |s| s.as_str());
    text.push_str(&format!(
        "session {}: state {}\n",
        clean(session.session_id.as_deref().unwrap_or_default()),
        clean(state)
    ));
    for check in session.checks.iter().filter(|c| {
        matches!(
            c.check_type(),
            CheckType::Liveness | CheckType::FaceComparison
        )
    }) {
        let state = check.state().map_or("-", |s| s.as_str());
        let recommendation = check.report().and_then(|r| r.recommendation.as_ref());
        text.push_str(&format!(
            "  {} {}: state {}, recommendation {}",
            clean(&check.check_type().to_string()),
            clean(check.id().map(|id| id.as_str()).unwrap_or_default()),
            clean(state),
            clean(recommendation.map_or("-", |r| r.value.as_str()))
        ));
        if let Some(reason) = recommendation.and_then(|r| r.reason.as_deref()) {
            text.push_str(&format!(" ({})", clean(reason)));
        }
        text.push('\n');
    }
    out::print(&text)?;
    Ok(verdict.exit_code())
}

fn sandbox_complete(
    global: &Global,
    session_id: &str,
    token: &TokenArgs,
    liveness: Option<&Outcome>,
    face_comparison: Option<&Outcome>,
) -> Result<(), Failure> {
    let session_id = &SessionId::from(session_id);
    let token = read_token(token)?;
    let api = Api::connect(global, true)?;
    if let Some(config) = selfie::sandbox_config(liveness, face_comparison) {
        api.client
            .sandbox_configure_session_response(session_id, &config)
            .map_err(|e| api.fail("sandbox: configure the session's checks", &e))?;
    }
    api.client
        .sandbox_complete_session(session_id, &token)
        .map_err(|e| api.fail("sandbox: complete the session", &e))?;
    outln!(
        "completed session {} as its user (sandbox); `idv session verdict {}` shows the result",
        clean(session_id),
        clean(session_id)
    )
}

fn session_get(
    global: &Global,
    session_id: &str,
    json: bool,
    show_token: bool,
) -> Result<(), Failure> {
    let api = Api::connect(global, true)?;
    let mut session = api
        .client
        .execute(GetSessionRaw { session_id })
        .map_err(|e| api.fail("get session", &e))?;
    if json {
        if !show_token {
            summary::redact_tokens(&mut session);
        }
        outln!("{}", summary::pretty(&session))
    } else {
        out::print(&summary::session(&session))
    }
}

fn session_delete(global: &Global, session_id: &str) -> Result<(), Failure> {
    let api = Api::connect(global, true)?;
    api.client
        .delete_session(&session_id.into())
        .map_err(|e| api.fail("delete session", &e))?;
    outln!("deleted session {session_id}")
}

/// Reads a file, or standard input for `-`.
fn read_input(path: &Path) -> Result<Vec<u8>, Failure> {
    if path == Path::new("-") {
        let mut bytes = Vec::new();
        io::stdin()
            .read_to_end(&mut bytes)
            .map_err(|e| Failure::usage(format!("cannot read standard input: {e}")))?;
        return Ok(bytes);
    }
    std::fs::read(path).map_err(|e| Failure::usage(format!("cannot read {}: {e}", path.display())))
}

// ---------------------------------------------------------------------------------------------
// media

fn media_get(
    global: &Global,
    session_id: &str,
    media_id: &str,
    output: &Path,
) -> Result<(), Failure> {
    let api = Api::connect(global, true)?;
    let reader = api
        .client
        .get_media_content_reader(&session_id.into(), &media_id.into())
        .map_err(|e| api.fail("get media", &e))?;
    let Some(mut reader) = reader else {
        let _ = writeln!(
            io::stderr(),
            "media {} has no content (the API answered 204): nothing written",
            clean(media_id)
        );
        return Ok(());
    };
    let mime = match reader.mime_type() {
        "" => "no content type".to_owned(),
        m => clean(m).into_owned(),
    };
    let bar = progress_bar(reader.content_length());

    if output == Path::new("-") {
        let result = copy(
            &mut reader,
            &mut io::stdout().lock(),
            "standard output",
            &bar,
        );
        bar.finish_and_clear();
        let written = result?;
        let _ = writeln!(
            io::stderr(),
            "wrote {written} bytes ({mime}) to standard output"
        );
    } else {
        let mut file = File::create(output)
            .map_err(|e| Failure::io(format!("cannot create {}: {e}", output.display())))?;
        let label = output.display().to_string();
        let result = copy(&mut reader, &mut file, &label, &bar).and_then(|n| {
            file.sync_all()
                .map(|()| n)
                .map_err(|e| Failure::io(format!("cannot write {label}: {e}")))
        });
        bar.finish_and_clear();
        if result.is_err() {
            // no half-written media left behind
            drop(file);
            let _ = std::fs::remove_file(output);
        }
        let written = result?;
        outln!("wrote {written} bytes ({mime}) to {label}")?;
    }
    Ok(())
}

/// A progress bar on standard error for large (or unknown-size) media when it is a
/// terminal; a hidden one otherwise.
fn progress_bar(length: Option<u64>) -> ProgressBar {
    if !io::stderr().is_terminal() || length.is_some_and(|l| l < PROGRESS_THRESHOLD) {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(length, ProgressDrawTarget::stderr());
    let template = if length.is_some() {
        "{bytes}/{total_bytes} [{bar:30}] {bytes_per_sec}, {eta} left"
    } else {
        "{spinner} {bytes} {bytes_per_sec}"
    };
    if let Ok(style) = ProgressStyle::with_template(template) {
        bar.set_style(style.progress_chars("=> "));
    }
    bar
}

/// Copies the download to `writer`, telling a broken download (transport) from a failed
/// write (local I/O).
fn copy(
    reader: &mut impl Read,
    writer: &mut impl Write,
    label: &str,
    bar: &ProgressBar,
) -> Result<u64, Failure> {
    let mut buf = vec![0u8; 64 * 1024];
    let mut total = 0u64;
    loop {
        let n = match reader.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => {
                return Err(Failure::new(
                    Kind::Transport,
                    format!(
                        "get media: the download broke off after {total} bytes ({}); hint: try \
                         again, or raise --timeout for large media",
                        ErrorReport(&e)
                    ),
                ));
            }
        };
        writer
            .write_all(&buf[..n])
            .map_err(|e| write_failure(label, &e))?;
        total += n as u64;
        bar.inc(n as u64);
    }
    writer.flush().map_err(|e| write_failure(label, &e))?;
    Ok(total)
}

/// A failed write of the download: a closed standard output ends quietly.
fn write_failure(label: &str, e: &io::Error) -> Failure {
    if label == "standard output" {
        out::stdout_error(e)
    } else {
        Failure::io(format!("cannot write {label}: {e}"))
    }
}

// ---------------------------------------------------------------------------------------------
// supported documents

fn supported_documents(
    global: &Global,
    include_non_latin: bool,
    json: bool,
) -> Result<(), Failure> {
    let api = Api::connect(global, false)?;
    let answer = api
        .client
        .execute(SupportedDocuments { include_non_latin })
        .map_err(|e| api.fail("get supported documents", &e))?;
    if json {
        outln!("{}", summary::pretty(&answer))
    } else {
        out::print(&summary::supported_documents(&answer))
    }
}

// ---------------------------------------------------------------------------------------------
// key check

/// The label of the first PEM block (`RSA PRIVATE KEY`, `PUBLIC KEY`, ...).
fn pem_label(text: &str) -> Option<&str> {
    text.lines()
        .find_map(|line| line.trim().strip_prefix("-----BEGIN "))
        .and_then(|rest| rest.strip_suffix("-----"))
}

fn key_check(path: &Path) -> Result<(), Failure> {
    let bytes = Zeroizing::new(std::fs::read(path).map_err(|e| {
        Failure::usage(match e.kind() {
            io::ErrorKind::NotFound => format!("key file not found: {}", path.display()),
            _ => format!("cannot read {}: {e}", path.display()),
        })
    })?);
    let unusable =
        |e: KeyError| Failure::usage(format!("{} is not a usable key: {e}", path.display()));
    let label = std::str::from_utf8(&bytes).ok().and_then(pem_label);
    let (what, format, public) = match label {
        Some(label @ ("PUBLIC KEY" | "RSA PUBLIC KEY")) => {
            let text = std::str::from_utf8(&bytes).unwrap_or_default();
            let public = PublicKey::from_pem(text).map_err(unusable)?;
            let format = if label == "PUBLIC KEY" {
                "SPKI"
            } else {
                "PKCS#1"
            };
            (
                "RSA public key",
                format!("{format} (BEGIN {label})"),
                public,
            )
        }
        _ => {
            let private = PrivateKey::from_pem_bytes(&bytes).map_err(unusable)?;
            let format = match label {
                Some("RSA PRIVATE KEY") => "PKCS#1 (BEGIN RSA PRIVATE KEY)".to_owned(),
                Some("PRIVATE KEY") => "PKCS#8 (BEGIN PRIVATE KEY)".to_owned(),
                Some(other) => format!("BEGIN {other}"),
                None => "PEM".to_owned(),
            };
            ("RSA private key, unencrypted", format, private.public_key())
        }
    };
    outln!(
        "{}: valid {what}\n  format: {format}\n  size: {} bits\n  public key SHA-256 \
         fingerprint: {}",
        path.display(),
        public.bits(),
        public.fingerprint_sha256_hex()
    )
}

// ---------------------------------------------------------------------------------------------
// emulator

/// The public half of the `--key` private key (for an emulator started without `--app`);
/// the private key is dropped (and zeroed) at once.
fn public_half_of_key(path: &Path) -> Result<PublicKey, String> {
    PrivateKey::from_pem_file(path)
        .map(|private| private.public_key())
        .map_err(|e| format!("{} is not a usable key: {e}", path.display()))
}

fn emulator(global: &Global, args: &EmulatorArgs) -> Result<(), Failure> {
    let shared = &args.shared;
    let mut builder = shared
        .builder()
        .map_err(|e| Failure::usage(e.to_string()))?;
    let mut apps: Vec<String> = shared
        .app_args()
        .map_err(|e| Failure::usage(e.to_string()))?
        .into_iter()
        .map(|a| a.sdk_id)
        .collect();
    if let (true, Some(sdk_id), Some(path)) = (
        shared.apps.is_empty(),
        non_empty(&global.sdk_id),
        global.key.as_deref(),
    ) {
        let key = public_half_of_key(path).map_err(|e| Failure::usage(format!("--key: {e}")))?;
        builder = builder.app(sdk_id, key);
        apps.push(sdk_id.to_owned());
    }
    let emulator = builder.start().map_err(|e| {
        Failure::io(format!(
            "cannot start the emulator on 127.0.0.1:{}: {e}",
            shared.port
        ))
    })?;

    outln!("idv emulator listening on {}", emulator.addr())?;
    outln!("API base URL:     {}", emulator.base_url())?;
    outln!("sandbox base URL: {}", emulator.sandbox_base_url())?;
    outln!("token URL:        {} (--auth bearer)", emulator.token_url())?;
    if shared.admin {
        outln!("admin URL:        {}", emulator.admin_url())?;
    }
    if apps.is_empty() {
        eprintln!(
            "warning: no application registered (--app SDK_ID=PUBLIC_KEY.pem, or --sdk-id and \
             --key): every request will get 404 APPLICATION_NOT_FOUND"
        );
    } else {
        outln!("applications: {}", apps.join(", "))?;
    }
    // The sandbox base: sessions created there can be completed by the sandbox agent.
    outln!("export YOTI_IDV_API_URL={}", emulator.sandbox_base_url())?;
    outln!("export YOTI_AUTH_URL={}", emulator.token_url())?;
    if shared.exit_on_stdin_eof {
        outln!("stop it with Ctrl-C or at the end of input (Ctrl-D)")?;
    } else {
        outln!("stop it with Ctrl-C")?;
    }
    let _ = io::stdout().flush();
    shared.serve_until_stopped(emulator);
    eprintln!("emulator stopped");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_closed_stdout_during_a_download_is_quiet() {
        let closed = io::Error::from(io::ErrorKind::BrokenPipe);
        assert!(write_failure("standard output", &closed).is_quiet());
        let file = write_failure("out.jpg", &closed);
        assert!(!file.is_quiet());
        assert_eq!(file.code(), 4);
        assert!(file.message().contains("cannot write out.jpg"));
    }

    #[test]
    fn finds_pem_labels() {
        assert_eq!(
            pem_label("junk\n-----BEGIN RSA PRIVATE KEY-----\nAAAA\n"),
            Some("RSA PRIVATE KEY")
        );
        assert_eq!(
            pem_label("  -----BEGIN PUBLIC KEY-----  "),
            Some("PUBLIC KEY")
        );
        assert_eq!(pem_label("no pem here"), None);
    }
}
