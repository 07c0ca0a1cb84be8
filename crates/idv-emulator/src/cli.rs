//! The command line of `idv-emulator`, shared with `idv emulator` (feature `cli`, on by
//! default): one clap definition, [`Args`], that both flatten, so both take the same flags.
//!
//! ```no_run
//! use clap::Parser as _;
//!
//! #[derive(clap::Parser)]
//! struct Cli {
//!     #[command(flatten)]
//!     emulator: idv_emulator::cli::Args,
//! }
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let cli = Cli::parse();
//! let emulator = cli.emulator.builder()?.start()?;
//! println!("{}", emulator.base_url());
//! cli.emulator.serve_until_stopped(emulator);
//! # Ok(())
//! # }
//! ```

use std::fmt;
use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::time::Duration;

use idv_auth::PublicKey;
use zeroize::Zeroizing;

use crate::apps::DEFAULT_REPLAY_WINDOW;
use crate::limits::{
    DEFAULT_BODY_MEMORY, DEFAULT_FACE_MEMORY, DEFAULT_MAX_APPLICANTS, DEFAULT_MAX_CONNECTIONS,
    DEFAULT_MAX_FACES_PER_APPLICANT, DEFAULT_MAX_IN_FLIGHT, DEFAULT_MAX_NONCES,
    DEFAULT_MAX_NOTIFICATIONS, DEFAULT_MAX_POOL_MEMBERS, DEFAULT_MAX_POOLS, DEFAULT_MAX_SESSIONS,
};
use crate::{Emulator, EmulatorBuilder};

/// Largest key file `--app` reads: a PEM RSA public key is well under 2 KiB.
pub const MAX_KEY_FILE_BYTES: u64 = 64 * 1024;

/// The emulator's flags, as `idv-emulator` and `idv emulator` take them.
///
/// Every limit has a default (see the [`limits`](crate::limits) module); the flags change
/// them. Nothing is read from standard input unless `--exit-on-stdin-eof` is given, so the
/// emulator can run as a background job (`idv-emulator &`) in an interactive shell.
#[derive(Debug, Clone, clap::Args)]
#[non_exhaustive]
pub struct Args {
    /// TCP port on 127.0.0.1 (0: any free port).
    #[arg(long, default_value_t = 0)]
    pub port: u16,
    /// Register an application: its SDK id and its RSA public key, PEM (SPKI or PKCS#1).
    /// Repeatable. A private key is refused: the emulator keeps no private keys.
    #[arg(long = "app", value_name = "SDK_ID=PUBLIC_KEY.pem")]
    pub apps: Vec<String>,
    /// Serve the unsigned admin API under /__admin/ (fault injection, clock, stats); for
    /// tests on this machine only (it answers only Host 127.0.0.1:PORT or localhost:PORT).
    #[arg(long)]
    pub admin: bool,
    /// Refuse requests whose timestamp is not an epoch time (seconds or milliseconds)
    /// within this many seconds of the clock, either way (401 STALE_TIMESTAMP); 600 is a
    /// usual choice. The emulator's own check: 0, the default, accepts any integer, as Yoti
    /// documents no window and the Java SDK's timestamp is no epoch time.
    #[arg(long, value_name = "SECONDS", default_value_t = 0)]
    pub skew: u64,
    /// Accept only `sdkId` in the query, refusing the Go SDK's `sdkID` (the emulator's own
    /// check; Yoti accepts both).
    #[arg(long)]
    pub strict_query_names: bool,
    /// How long nonces are remembered, in seconds (0 turns the replay check off).
    #[arg(long, value_name = "SECONDS", default_value_t = DEFAULT_REPLAY_WINDOW.as_secs())]
    pub replay_window: u64,
    /// Most connections open at once; further clients wait in the listen backlog.
    #[arg(long, value_name = "N", default_value_t = DEFAULT_MAX_CONNECTIONS)]
    pub max_connections: usize,
    /// Most requests handled at once; more get 503 SERVER_BUSY with Retry-After: 1.
    #[arg(long, value_name = "N", default_value_t = DEFAULT_MAX_IN_FLIGHT)]
    pub max_in_flight: usize,
    /// Seconds for a request head to arrive (from the connection or the previous response);
    /// then the connection is closed.
    #[arg(long = "header-timeout", value_name = "SECONDS", value_parser = parse_seconds,
          default_value = "10")]
    pub header_timeout: Duration,
    /// Seconds for a request body to arrive after its head; then 408 REQUEST_TIMEOUT.
    #[arg(long = "body-timeout", value_name = "SECONDS", value_parser = parse_seconds,
          default_value = "30")]
    pub body_timeout: Duration,
    /// Seconds a connection may stay idle (no request in progress, nothing sent or
    /// received) before it is closed.
    #[arg(long = "idle-timeout", value_name = "SECONDS", value_parser = parse_seconds,
          default_value = "30")]
    pub idle_timeout: Duration,
    /// Bytes of request bodies held at once, by declared length; a body that does not fit
    /// gets 503 SERVER_BUSY unread. Per-route caps (1 MiB JSON, 10 MiB images) apply too.
    #[arg(long, value_name = "BYTES", default_value_t = DEFAULT_BODY_MEMORY)]
    pub body_memory: usize,
    /// Most sessions kept; creating one more forgets the oldest.
    #[arg(long, value_name = "N", default_value_t = DEFAULT_MAX_SESSIONS)]
    pub max_sessions: usize,
    /// Most nonces remembered for the replay check; the oldest is forgotten first.
    #[arg(long, value_name = "N", default_value_t = DEFAULT_MAX_NONCES)]
    pub max_nonces: usize,
    /// Most notification records kept; the oldest is dropped first.
    #[arg(long, value_name = "N", default_value_t = DEFAULT_MAX_NOTIFICATIONS)]
    pub max_notifications: usize,
    /// Most Face Search applicants per application and base; creating one more gets 409
    /// LIMIT_REACHED.
    #[arg(long, value_name = "N", default_value_t = DEFAULT_MAX_APPLICANTS)]
    pub max_applicants: usize,
    /// Most faces per applicant; adding one more gets 409 LIMIT_REACHED.
    #[arg(long, value_name = "N", default_value_t = DEFAULT_MAX_FACES_PER_APPLICANT)]
    pub max_faces_per_applicant: usize,
    /// Most applicant pools per application and base; creating one more gets 409
    /// LIMIT_REACHED.
    #[arg(long, value_name = "N", default_value_t = DEFAULT_MAX_POOLS)]
    pub max_pools: usize,
    /// Most applicants in one pool; adding one more gets 409 LIMIT_REACHED.
    #[arg(long, value_name = "N", default_value_t = DEFAULT_MAX_POOL_MEMBERS)]
    pub max_pool_members: usize,
    /// Bytes of applicant face images held per application and base; a face that does not
    /// fit gets 409 LIMIT_REACHED.
    #[arg(long, value_name = "BYTES", default_value_t = DEFAULT_FACE_MEMORY)]
    pub face_memory: usize,
    /// Stop at the end of standard input (Ctrl-D). Without it, standard input is never
    /// read and the emulator runs until it is stopped by a signal (Ctrl-C, SIGTERM).
    #[arg(long)]
    pub exit_on_stdin_eof: bool,
    /// Trust this PEM CA certificate (besides the platform's roots) when delivering
    /// notifications over HTTPS, e.g. the CA of a local test receiver. Repeatable.
    #[arg(long = "notification-ca", value_name = "CA.pem")]
    pub notification_cas: Vec<PathBuf>,
    /// Accept `http://` notification endpoints on loopback hosts and deliver to them in
    /// plain HTTP. Production accepts `https://` endpoints only; this is the emulator's own
    /// opt-in, for local receivers.
    #[arg(long)]
    pub allow_plain_http_notifications: bool,
    /// The path of the bearer-token endpoint (the client's token URL is this path on the
    /// emulator's address).
    #[arg(long, value_name = "PATH", default_value = crate::DEFAULT_TOKEN_PATH)]
    pub token_path: String,
    /// The lifetime of issued bearer tokens, in seconds (fractions allowed).
    #[arg(long = "token-lifetime", value_name = "SECONDS", value_parser = parse_seconds,
          default_value = "300")]
    pub token_lifetime: Duration,
    /// The most unexpired bearer tokens one application may hold.
    #[arg(long, value_name = "N", default_value_t = crate::DEFAULT_MAX_ACTIVE_TOKENS)]
    pub max_active_tokens: usize,
}

/// The largest `--notification-ca` file read (a CA bundle is a few KiB).
pub const MAX_CA_FILE_BYTES: u64 = 1024 * 1024;

/// One `--app SDK_ID=PUBLIC_KEY.pem`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct AppArg {
    /// The application's SDK id.
    pub sdk_id: String,
    /// The public key file.
    pub path: PathBuf,
}

impl AppArg {
    /// Reads `SDK_ID=PUBLIC_KEY.pem`.
    ///
    /// # Errors
    /// No `=`, or an empty SDK id or path.
    pub fn parse(text: &str) -> Result<AppArg, ArgsError> {
        text.split_once('=')
            .filter(|(id, path)| !id.is_empty() && !path.is_empty())
            .map(|(sdk_id, path)| AppArg {
                sdk_id: sdk_id.to_owned(),
                path: PathBuf::from(path),
            })
            .ok_or_else(|| ArgsError {
                message: format!("--app: expected SDK_ID=PUBLIC_KEY.pem, got '{text}'"),
            })
    }
}

fn parse_seconds(text: &str) -> Result<Duration, String> {
    text.parse::<f64>()
        .ok()
        .and_then(|secs| Duration::try_from_secs_f64(secs).ok())
        .ok_or_else(|| format!("'{text}' is not a number of seconds"))
}

/// A flag that cannot be used: a key file that is missing, too large, private or not a key.
#[derive(Debug)]
#[non_exhaustive]
pub struct ArgsError {
    message: String,
}

impl fmt::Display for ArgsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ArgsError {}

impl Args {
    /// The `--app` flags, read.
    ///
    /// # Errors
    /// An `--app` that is not `SDK_ID=PUBLIC_KEY.pem`.
    pub fn app_args(&self) -> Result<Vec<AppArg>, ArgsError> {
        self.apps.iter().map(|a| AppArg::parse(a)).collect()
    }

    /// An [`EmulatorBuilder`] with every flag applied and every `--app` key loaded (request
    /// logging on, as the command line wants it).
    ///
    /// # Errors
    /// An `--app` that is not `SDK_ID=PUBLIC_KEY.pem`, or whose key file cannot be read, is
    /// over [`MAX_KEY_FILE_BYTES`], holds a private key, or is not an RSA public key; a
    /// `--notification-ca` file that cannot be read or is over [`MAX_CA_FILE_BYTES`].
    pub fn builder(&self) -> Result<EmulatorBuilder, ArgsError> {
        let mut builder = Emulator::builder()
            .port(self.port)
            .log_requests(true)
            .admin(self.admin)
            .timestamp_skew((self.skew > 0).then(|| Duration::from_secs(self.skew)))
            .strict_query_names(self.strict_query_names)
            .replay_window(Duration::from_secs(self.replay_window))
            .max_connections(self.max_connections)
            .max_in_flight(self.max_in_flight)
            .header_read_timeout(self.header_timeout)
            .body_read_timeout(self.body_timeout)
            .idle_timeout(self.idle_timeout)
            .body_memory(self.body_memory)
            .max_sessions(self.max_sessions)
            .max_nonces(self.max_nonces)
            .max_notifications(self.max_notifications)
            .max_applicants(self.max_applicants)
            .max_faces_per_applicant(self.max_faces_per_applicant)
            .max_pools(self.max_pools)
            .max_pool_members(self.max_pool_members)
            .face_memory(self.face_memory)
            .allow_plain_http_notifications(self.allow_plain_http_notifications)
            .token_path(self.token_path.clone())
            .token_lifetime(self.token_lifetime)
            .max_active_tokens(self.max_active_tokens);
        for path in &self.notification_cas {
            let pem = read_bounded(path, MAX_CA_FILE_BYTES).map_err(|message| ArgsError {
                message: format!("--notification-ca {}: {message}", path.display()),
            })?;
            builder = builder.notification_ca_pem(pem);
        }
        for app in self.app_args()? {
            let key = load_public_key(&app.path).map_err(|message| ArgsError {
                message: format!("--app {}: {message}", app.sdk_id),
            })?;
            builder = builder.app(app.sdk_id, key);
        }
        Ok(builder)
    }

    /// Serves until the process is stopped by a signal, or, with `--exit-on-stdin-eof`,
    /// until standard input ends; then shuts the emulator down.
    pub fn serve_until_stopped(&self, emulator: Emulator) {
        if self.exit_on_stdin_eof {
            // A read error (no usable stdin) counts as the end of input.
            let _ = std::io::copy(&mut std::io::stdin().lock(), &mut std::io::sink());
            emulator.shutdown();
        } else {
            loop {
                std::thread::park();
            }
        }
    }
}

/// Loads an RSA public key from a PEM file, reading at most [`MAX_KEY_FILE_BYTES`] into a
/// buffer that is zeroed when dropped. A private key is refused, with the way to make the
/// public one.
///
/// # Errors
/// A message naming the file: unreadable, too large, a private key, or not a public key.
pub fn load_public_key(path: &Path) -> Result<PublicKey, String> {
    let file = std::fs::File::open(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => format!("key file not found: {}", path.display()),
        _ => format!("cannot read {}: {e}", path.display()),
    })?;
    let mut bytes = Zeroizing::new(Vec::new());
    file.take(MAX_KEY_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    if bytes.len() as u64 > MAX_KEY_FILE_BYTES {
        return Err(format!(
            "{} is larger than {MAX_KEY_FILE_BYTES} bytes: not a PEM public key",
            path.display()
        ));
    }
    let text = std::str::from_utf8(&bytes)
        .map_err(|_| format!("{} is not a PEM file (not UTF-8 text)", path.display()))?;
    if text.contains("PRIVATE KEY-----") {
        return Err(format!(
            "{} holds a private key; the emulator takes the application's public key only \
             (make it with: openssl pkey -in KEY.pem -pubout -out KEY.pub.pem)",
            path.display()
        ));
    }
    PublicKey::from_pem(text)
        .map_err(|e| format!("{} is not a usable RSA public key: {e}", path.display()))
}

/// Reads at most `max` bytes of `path`; a longer file is an error, not a truncation.
fn read_bounded(path: &Path, max: u64) -> Result<Vec<u8>, String> {
    let file = std::fs::File::open(path).map_err(|e| format!("cannot open: {e}"))?;
    let mut bytes = Vec::new();
    file.take(max + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("cannot read: {e}"))?;
    if bytes.len() as u64 > max {
        return Err(format!("larger than {max} bytes"));
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::limits::{
        DEFAULT_BODY_READ_TIMEOUT, DEFAULT_HEADER_READ_TIMEOUT, DEFAULT_IDLE_TIMEOUT,
    };
    use clap::Parser as _;

    #[derive(clap::Parser)]
    struct Cli {
        #[command(flatten)]
        args: Args,
    }

    fn parse(args: &[&str]) -> Result<Args, clap::Error> {
        Cli::try_parse_from(std::iter::once("idv-emulator").chain(args.iter().copied()))
            .map(|c| c.args)
    }

    #[test]
    fn notification_ca_files_are_read_bounded() {
        let dir = std::env::temp_dir().join(format!("idv-emu-ca-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let big = dir.join("big.pem");
        std::fs::write(&big, vec![b'A'; (MAX_CA_FILE_BYTES + 1) as usize]).unwrap();
        let args = parse(&["--notification-ca", big.to_str().unwrap()]).unwrap();
        let err = args.builder().unwrap_err().to_string();
        assert!(
            err.contains("--notification-ca") && err.contains("larger than"),
            "{err}"
        );
        let missing = dir.join("missing.pem");
        let args = parse(&["--notification-ca", missing.to_str().unwrap()]).unwrap();
        assert!(
            args.builder()
                .unwrap_err()
                .to_string()
                .contains("cannot open")
        );
        let args = parse(&["--allow-plain-http-notifications"]).unwrap();
        assert!(args.allow_plain_http_notifications);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn the_store_flags_reach_the_builder() {
        let args = parse(&[]).unwrap();
        assert_eq!(
            args.builder().unwrap().limits.store,
            crate::limits::StoreLimits::default()
        );
        let args = parse(&[
            "--max-applicants",
            "3",
            "--max-faces-per-applicant=4",
            "--max-pools",
            "5",
            "--max-pool-members",
            "6",
            "--face-memory",
            "7000",
        ])
        .unwrap();
        assert_eq!(
            args.builder().unwrap().limits.store,
            crate::limits::StoreLimits {
                applicants: 3,
                faces_per_applicant: 4,
                pools: 5,
                pool_members: 6,
                face_bytes: 7000,
            }
        );
        assert!(parse(&["--max-pools", "-1"]).is_err());
    }

    #[test]
    fn parses_the_token_flags() {
        let args = parse(&[]).unwrap();
        assert_eq!(args.token_path, crate::DEFAULT_TOKEN_PATH);
        assert_eq!(args.token_lifetime, crate::DEFAULT_TOKEN_LIFETIME);
        assert_eq!(args.max_active_tokens, crate::DEFAULT_MAX_ACTIVE_TOKENS);
        let args = parse(&[
            "--token-path",
            "/oauth/t",
            "--token-lifetime",
            "1.5",
            "--max-active-tokens",
            "3",
        ])
        .unwrap();
        assert_eq!(args.token_path, "/oauth/t");
        assert_eq!(args.token_lifetime, Duration::from_millis(1500));
        assert_eq!(args.max_active_tokens, 3);
        assert!(parse(&["--token-lifetime", "soon"]).is_err());
    }

    #[test]
    fn parses_flags_and_defaults() {
        // The defaults clap shows in --help are the library's.
        let args = parse(&[]).unwrap();
        assert_eq!(args.port, 0);
        assert_eq!(args.idle_timeout, DEFAULT_IDLE_TIMEOUT);
        assert_eq!(args.header_timeout, DEFAULT_HEADER_READ_TIMEOUT);
        assert_eq!(args.body_timeout, DEFAULT_BODY_READ_TIMEOUT);
        assert_eq!(args.skew, 0);
        assert!(!args.strict_query_names);
        assert!(!args.exit_on_stdin_eof);
        let args = parse(&[
            "--port",
            "9",
            "--app",
            "a=x.pem",
            "--app=b=y.pem",
            "--idle-timeout",
            "0.5",
            "--max-connections=7",
            "--exit-on-stdin-eof",
        ])
        .unwrap();
        assert_eq!(args.port, 9);
        let apps = args.app_args().unwrap();
        assert_eq!(
            apps.iter().map(|a| a.sdk_id.as_str()).collect::<Vec<_>>(),
            ["a", "b"]
        );
        assert_eq!(apps[1].path, PathBuf::from("y.pem"));
        assert_eq!(args.idle_timeout, Duration::from_millis(500));
        assert_eq!(args.max_connections, 7);
        assert!(args.exit_on_stdin_eof);
    }

    #[test]
    fn rejects_bad_flags() {
        for bad in [
            &["--port"][..],
            &["--port", "70000"],
            &["--verbose"],
            &["--skew", "soon"],
            &["--idle-timeout", "-1"],
        ] {
            assert!(parse(bad).is_err(), "{bad:?}");
        }
        for bad in ["noequals", "=x.pem", "a="] {
            let args = parse(&["--app", bad]).unwrap();
            let err = args.builder().err().map(|e| e.to_string());
            assert!(
                err.is_some_and(|e| e.contains("SDK_ID=PUBLIC_KEY.pem")),
                "{bad}"
            );
        }
    }
}
