//! What each command does.

use std::fs::File;
use std::io::{self, IsTerminal, Read, Write};
use std::path::Path;
use std::time::Duration;

use idv::model::ClientSessionToken;
use idv::{BlockingClient, ClientConfig, ErrorReport, KeyError, PrivateKey, PublicKey};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use serde_json::Value;
use zeroize::Zeroizing;

use crate::failure::{Failure, Kind};
use crate::ops::{CreateSessionRaw, GetSessionRaw, SupportedDocuments};
use crate::summary::{self, REDACTED};
use crate::{Cli, Command, EmulatorArgs, Global, KeyCommand, MediaCommand, SessionCommand};

/// Media at least this large (or of unknown size) get a progress bar on a terminal.
const PROGRESS_THRESHOLD: u64 = 1024 * 1024;

/// Runs the parsed command line.
pub(crate) fn run(cli: Cli) -> Result<(), Failure> {
    let Cli { global, command } = cli;
    match command {
        Command::Session(SessionCommand::Create {
            spec,
            json,
            show_token,
        }) => session_create(&global, &spec, json, show_token),
        Command::Session(SessionCommand::Get {
            session_id,
            json,
            show_token,
        }) => session_get(&global, &session_id, json, show_token),
        Command::Session(SessionCommand::Delete { session_id }) => {
            session_delete(&global, &session_id)
        }
        Command::Media(MediaCommand::Get {
            session_id,
            media_id,
            output,
        }) => media_get(&global, &session_id, &media_id, &output),
        Command::SupportedDocuments {
            include_non_latin,
            json,
        } => supported_documents(&global, include_non_latin, json),
        Command::Key(KeyCommand::Check { file }) => key_check(&file),
        Command::Emulator(args) => emulator(&global, &args),
    }
}

// ---------------------------------------------------------------------------------------------
// The client

/// A configured client and the base URL it talks to (for messages).
struct Api {
    client: BlockingClient,
    base_url: String,
}

impl Api {
    /// Builds the client from the global options. `need_sdk_id`: false for the calls
    /// signed without an SDK id.
    fn connect(global: &Global, need_sdk_id: bool) -> Result<Api, Failure> {
        let sdk_id = match non_empty(&global.sdk_id) {
            Some(id) => id.to_owned(),
            None if need_sdk_id => {
                return Err(Failure::usage(
                    "no SDK id: pass --sdk-id or set YOTI_CLIENT_SDK_ID",
                ));
            }
            // not sent by the calls that do not need it
            None => "unused".to_owned(),
        };
        let key_path = global
            .key
            .as_deref()
            .filter(|p| !p.as_os_str().is_empty())
            .ok_or_else(|| {
                Failure::usage("no private key: pass --key KEY.pem or set YOTI_KEY_FILE_PATH")
            })?;
        let key = load_private_key(key_path)?;
        let mut config =
            ClientConfig::new(sdk_id, key).map_err(|e| Failure::usage(ErrorReport(&e)))?;
        if let Some(url) = non_empty(&global.api_url) {
            config = config.with_base_url(url).map_err(|e| {
                Failure::usage(format!("--api-url / YOTI_IDV_API_URL: {}", ErrorReport(&e)))
            })?;
        }
        let timeout = Duration::from_secs(global.timeout.max(1));
        config = config
            .with_timeout(timeout)
            .with_connect_timeout(timeout.min(Duration::from_secs(10)));
        let base_url = config.base_url().to_string();
        Ok(Api {
            client: BlockingClient::with_ureq(config),
            base_url,
        })
    }

    fn fail(&self, what: &str, err: &idv::Error) -> Failure {
        Failure::from_sdk(what, &self.base_url, err)
    }
}

fn non_empty(value: &Option<String>) -> Option<&str> {
    value.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

/// Loads the signing key; the error says which key problem, never the key.
fn load_private_key(path: &Path) -> Result<PrivateKey, Failure> {
    PrivateKey::from_pem_file(path).map_err(|e| match e {
        KeyError::Io { .. } => {
            Failure::usage(format!("{e}; hint: check --key / YOTI_KEY_FILE_PATH"))
        }
        _ => Failure::usage(format!("the key {} is not usable: {e}", path.display())),
    })
}

// ---------------------------------------------------------------------------------------------
// session

fn session_create(
    global: &Global,
    spec_path: &Path,
    json: bool,
    show_token: bool,
) -> Result<(), Failure> {
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
    let api = Api::connect(global, true)?;
    let mut answer = api
        .client
        .execute(CreateSessionRaw { spec })
        .map_err(|e| api.fail("create session", &e))?;

    if json {
        if !show_token {
            summary::redact_tokens(&mut answer);
        }
        println!("{}", summary::pretty(&answer));
        return Ok(());
    }
    let session_id = answer
        .get("session_id")
        .and_then(Value::as_str)
        .ok_or_else(|| Failure::new(Kind::Api, "create session: the answer has no session_id"))?;
    println!("session created: {session_id}");
    if let Some(ttl) = answer
        .get("client_session_token_ttl")
        .and_then(Value::as_i64)
    {
        println!("client session token ttl: {ttl} s");
    }
    let token = answer.get("client_session_token").and_then(Value::as_str);
    match token {
        Some(token) if show_token => {
            let token = ClientSessionToken::new(token);
            println!("client session token: {}", token.expose_secret());
            if let Ok(url) = api.client.hosted_page_url(&session_id.into(), &token) {
                println!("hosted page: {}", url.expose_secret());
            }
        }
        Some(_) => {
            println!(
                "client session token: {REDACTED} (--show-token prints it and the hosted page URL)"
            )
        }
        None => {}
    }
    Ok(())
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
        println!("{}", summary::pretty(&session));
    } else {
        print!("{}", summary::session(&session));
    }
    Ok(())
}

fn session_delete(global: &Global, session_id: &str) -> Result<(), Failure> {
    let api = Api::connect(global, true)?;
    api.client
        .delete_session(&session_id.into())
        .map_err(|e| api.fail("delete session", &e))?;
    println!("deleted session {session_id}");
    Ok(())
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
        eprintln!("media {media_id} has no content (the API answered 204): nothing written");
        return Ok(());
    };
    let mime = match reader.mime_type() {
        "" => "no content type".to_owned(),
        m => m.to_owned(),
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
        eprintln!("wrote {written} bytes ({mime}) to standard output");
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
        println!("wrote {written} bytes ({mime}) to {label}");
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
            .map_err(|e| Failure::io(format!("cannot write {label}: {e}")))?;
        total += n as u64;
        bar.inc(n as u64);
    }
    writer
        .flush()
        .map_err(|e| Failure::io(format!("cannot write {label}: {e}")))?;
    Ok(total)
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
        println!("{}", summary::pretty(&answer));
    } else {
        print!("{}", summary::supported_documents(&answer));
    }
    Ok(())
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
    println!("{}: valid {what}", path.display());
    println!("  format: {format}");
    println!("  size: {} bits", public.bits());
    println!(
        "  public key SHA-256 fingerprint: {}",
        public.fingerprint_sha256_hex()
    );
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// emulator

/// Loads the public half of a PEM key (a public key, or a private key).
fn load_public_key(path: &Path) -> Result<PublicKey, String> {
    let bytes = Zeroizing::new(std::fs::read(path).map_err(|e| match e.kind() {
        io::ErrorKind::NotFound => format!("key file not found: {}", path.display()),
        _ => format!("cannot read {}: {e}", path.display()),
    })?);
    let text = std::str::from_utf8(&bytes).unwrap_or_default();
    PublicKey::from_pem(text)
        .or_else(|e| {
            PrivateKey::from_pem_bytes(&bytes)
                .map(|private| private.public_key())
                .map_err(|_| e)
        })
        .map_err(|e| format!("{} is not a usable key: {e}", path.display()))
}

fn emulator(global: &Global, args: &EmulatorArgs) -> Result<(), Failure> {
    let mut builder = idv_emulator::Emulator::builder()
        .port(args.port)
        .log_requests(true)
        .admin(args.admin);
    let mut apps = Vec::new();
    for app in &args.apps {
        let (sdk_id, path) = app
            .split_once('=')
            .filter(|(id, path)| !id.is_empty() && !path.is_empty())
            .ok_or_else(|| {
                Failure::usage(format!("--app: expected SDK_ID=KEY.pem, got '{app}'"))
            })?;
        let key = load_public_key(Path::new(path))
            .map_err(|e| Failure::usage(format!("--app {sdk_id}: {e}")))?;
        builder = builder.app(sdk_id, key);
        apps.push(sdk_id.to_owned());
    }
    if let (true, Some(sdk_id), Some(path)) = (
        args.apps.is_empty(),
        non_empty(&global.sdk_id),
        global.key.as_deref(),
    ) {
        let key = load_public_key(path).map_err(|e| Failure::usage(format!("--key: {e}")))?;
        builder = builder.app(sdk_id, key);
        apps.push(sdk_id.to_owned());
    }
    let emulator = builder.start().map_err(|e| {
        Failure::io(format!(
            "cannot start the emulator on 127.0.0.1:{}: {e}",
            args.port
        ))
    })?;

    println!("idv emulator listening on {}", emulator.addr());
    println!("API base URL:     {}", emulator.base_url());
    println!("sandbox base URL: {}", emulator.sandbox_base_url());
    if args.admin {
        println!("admin URL:        {}", emulator.admin_url());
    }
    if apps.is_empty() {
        eprintln!(
            "warning: no application registered (--app SDK_ID=KEY.pem, or --sdk-id and --key): \
             every request will get 404 APPLICATION_NOT_FOUND"
        );
    } else {
        println!("applications: {}", apps.join(", "));
    }
    println!("export YOTI_IDV_API_URL={}", emulator.base_url());
    if args.ignore_stdin {
        println!("stop it with Ctrl-C");
    } else {
        println!("stop it with Ctrl-C or at the end of input (Ctrl-D)");
    }
    let _ = io::stdout().flush();

    if args.ignore_stdin {
        loop {
            std::thread::park();
        }
    }
    // Serve until standard input ends (the read fails only if there is no usable stdin).
    let _ = io::copy(&mut io::stdin().lock(), &mut io::sink());
    emulator.shutdown();
    eprintln!("emulator stopped");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

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
