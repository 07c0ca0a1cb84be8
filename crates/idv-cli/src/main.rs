//! `idv`: a command-line tool for Yoti's Identity Verification (IDV) API, built on the `idv`
//! SDK (blocking client over ureq, pure-Rust signing).
//!
//! ```text
//! cargo install --path crates/idv-cli
//!
//! idv session create --spec session.json     create a session from a JSON specification
//! idv session create --selfie [--token-out FILE] [--success-url URL] ...
//!                                            a selfie session (liveness + face comparison)
//! idv session upload-reference SESSION_ID IMAGE   upload the reference photo (JPEG or PNG)
//! idv session url SESSION_ID [--token-file FILE]  the hosted page URL (a secret)
//! idv session verdict SESSION_ID [--json]    PASS / FAIL / PENDING with the checks
//! idv session get SESSION_ID [--json]        state, checks, resources and media ids
//! idv session delete SESSION_ID              delete a session and its media
//! idv sandbox complete SESSION_ID [--token-file FILE] [--liveness R] [--face-comparison R]
//!                                            play the user (sandbox or emulator only)
//! idv media get SESSION_ID MEDIA_ID -o FILE  download a media object (streamed)
//! idv applicant create [--image FILE] [--json]   create a Face Search applicant
//! idv applicant add-face APPLICANT_ID (--image FILE | --session ID --media ID) [--json]
//! idv applicant get APPLICANT_ID [--json]    its reference face, faces and pools
//! idv applicant delete APPLICANT_ID [--face FACE_ID]   (already gone: exit 0)
//! idv pool create LABEL [--json] | add POOL_ID APPLICANT_ID | remove POOL_ID APPLICANT_ID | delete POOL_ID
//! idv supported-documents [--include-non-latin] [--json]
//! idv key check KEY.pem                      validate a key; print its type, size, fingerprint
//! idv emulator [--port N] [--app SDK_ID=PUBLIC_KEY.pem]   run the local IDV API emulator (the flags of idv-emulator)
//! ```
//!
//! Credentials come from `--sdk-id`, `--key` and `--api-url`, or from the environment
//! variables `YOTI_CLIENT_SDK_ID`, `YOTI_KEY_FILE_PATH` and `YOTI_IDV_API_URL` (the
//! production API by default). Calls are signed with the key; `--auth bearer` sends Central
//! Auth bearer tokens obtained with the key instead (token endpoint: `--auth-url` or
//! `YOTI_AUTH_URL`). `idv <command> --help` documents each command.
//!
//! # Errors and exit codes
//!
//! A failure is one line on standard error, `error: ...`, with the API status and code when
//! the API answered, and a hint (a 401 suggests checking the SDK id and the key pair, a 404
//! the ids, a connection error the URL). No output ever contains the private key; the client
//! session token is shown only with `--show-token`, written with `--token-out` (a file
//! readable by its owner only), and read by `session url` and `sandbox complete` from
//! `--token-file FILE` (`-`: standard input) or the `YOTI_CLIENT_SESSION_TOKEN` variable, never
//! from a command-line argument (it would stay in the shell history and show in `ps`).
//!
//! Text that comes from the server (error messages, codes, check names, any value printed)
//! has its control characters and bidirectional overrides shown as escapes (`\u{1b}`), so
//! a server cannot drive the terminal. A closed standard output (`idv ... | head -1`) ends
//! the command quietly with exit code 4.
//!
//! | code | meaning |
//! |---|---|
//! | 0 | success |
//! | 1 | the API answered with an error status (or a body that could not be decoded) |
//! | 2 | usage or configuration error: bad arguments, missing credentials, unusable key, invalid specification file |
//! | 3 | transport error: the server could not be reached, the connection broke, or it timed out |
//! | 4 | local I/O error: the output file could not be written, standard output was closed, the emulator could not start |
//! | 5 | `session verdict`: FAIL (a final decision) |
//! | 6 | `session verdict`: PENDING (the session or its checks are not finished yet) |
#![cfg_attr(not(test), warn(unused_crate_dependencies))]

mod api;
mod applicants;
mod clean;
mod commands;
mod failure;
mod ops;
mod out;
mod selfie;
mod summary;

use std::io::{self, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

/// The exit codes, shown at the end of `idv --help`.
const EXIT_CODES: &str = "\
Exit codes:
  0  success
  1  the API answered with an error status (or an undecodable body)
  2  usage or configuration error (arguments, credentials, key, specification file)
  3  transport error (server unreachable, connection broken, timeout)
  4  local I/O error (writing the output file or standard output, starting the emulator)
  5  session verdict: FAIL
  6  session verdict: PENDING (not finished yet)";

/// A command-line tool for Yoti's Identity Verification (IDV) API.
#[derive(Debug, Parser)]
#[command(
    name = "idv",
    version,
    about = "A command-line tool for Yoti's Identity Verification (IDV) API",
    long_about = "A command-line tool for Yoti's Identity Verification (IDV) API.\n\n\
        Credentials come from --sdk-id, --key and --api-url, or from YOTI_CLIENT_SDK_ID, \
        YOTI_KEY_FILE_PATH and YOTI_IDV_API_URL. Errors are one line on standard error; \
        the private key is never printed, the client session token only with --show-token.",
    after_help = EXIT_CODES,
    propagate_version = true
)]
pub(crate) struct Cli {
    #[command(flatten)]
    pub(crate) global: Global,

    #[command(subcommand)]
    pub(crate) command: Command,
}

/// Options every command accepts.
#[derive(Debug, Args)]
pub(crate) struct Global {
    /// The client SDK id of your application (Yoti Hub).
    #[arg(
        long,
        global = true,
        help_heading = "Global options",
        env = "YOTI_CLIENT_SDK_ID",
        hide_env_values = true,
        value_name = "ID"
    )]
    pub(crate) sdk_id: Option<String>,

    /// The application's RSA private key, PEM (PKCS#1 or PKCS#8, unencrypted).
    #[arg(
        long,
        global = true,
        help_heading = "Global options",
        env = "YOTI_KEY_FILE_PATH",
        hide_env_values = true,
        value_name = "KEY.pem"
    )]
    pub(crate) key: Option<PathBuf>,

    /// The API base URL (the production API by default).
    #[arg(
        long,
        global = true,
        help_heading = "Global options",
        env = "YOTI_IDV_API_URL",
        hide_env_values = true,
        value_name = "URL",
        help = "The API base URL [default: https://api.yoti.com/idverify/v1]. Plain http only \
                for loopback hosts (an emulator)"
    )]
    pub(crate) api_url: Option<String>,

    /// Time limit for each HTTP request, in seconds.
    #[arg(
        long,
        global = true,
        help_heading = "Global options",
        value_name = "SECONDS",
        default_value_t = 60
    )]
    pub(crate) timeout: u64,

    /// How calls authenticate: `signed` (each request signed with the key) or `bearer`
    /// (Central Auth: tokens obtained with the key at the token endpoint, kept and renewed
    /// before they expire; the SDK id is then needed by every command).
    #[arg(
        long,
        global = true,
        help_heading = "Global options",
        value_enum,
        default_value_t = AuthMode::Signed,
        value_name = "MODE"
    )]
    pub(crate) auth: AuthMode,

    /// The token endpoint of `--auth bearer`.
    #[arg(
        long,
        global = true,
        help_heading = "Global options",
        env = "YOTI_AUTH_URL",
        hide_env_values = true,
        value_name = "URL",
        help = "The token endpoint of --auth bearer [default: \
                https://auth.api.yoti.com/v1/oauth/token]. Plain http only for loopback hosts \
                (an emulator: `idv emulator` prints its token URL)"
    )]
    pub(crate) auth_url: Option<String>,
}

/// How the API commands authenticate (`--auth`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum AuthMode {
    /// Each request signed with the key (the default).
    Signed,
    /// Bearer tokens (Central Auth) obtained with the key.
    Bearer,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Create, read and delete sessions.
    #[command(subcommand, after_help = EXIT_CODES)]
    Session(SessionCommand),
    /// Download the media of a session.
    #[command(subcommand, after_help = EXIT_CODES)]
    Media(MediaCommand),
    /// List the identity documents the service supports, by country.
    ///
    /// Needs --key (the call is signed) but not the SDK id.
    #[command(after_help = EXIT_CODES)]
    SupportedDocuments {
        /// Include documents in non-Latin scripts.
        #[arg(long)]
        include_non_latin: bool,
        /// Print the JSON answer instead of a summary.
        #[arg(long)]
        json: bool,
    },
    /// Face Search applicants: people whose stored face later sessions compare with
    /// (FACE_COMPARISON with an attached applicant) or search for (FAMILIAR_FACE_SEARCH).
    #[command(subcommand, after_help = EXIT_CODES)]
    Applicant(applicants::ApplicantCommand),
    /// Face Search pools: groups of applicants a FAMILIAR_FACE_SEARCH check searches.
    #[command(subcommand, after_help = EXIT_CODES)]
    Pool(applicants::PoolCommand),
    /// Sandbox only (Yoti's sandbox or the emulator): play the user of a session.
    #[command(subcommand, after_help = EXIT_CODES)]
    Sandbox(SandboxCommand),
    /// Work with key files.
    #[command(subcommand, after_help = EXIT_CODES)]
    Key(KeyCommand),
    /// Run the local IDV API emulator in the foreground.
    ///
    /// Serves the IDV API, the sandbox API and the hosted page on 127.0.0.1, checking
    /// request signatures as the real service does, and logs one line per request. Takes
    /// the same flags as `idv-emulator`. Runs until stopped by a signal (Ctrl-C); standard
    /// input is not read unless --exit-on-stdin-eof, so it can run as a background job.
    /// With no --app, the public half of the --sdk-id/--key application (or the
    /// environment's) is registered, if given.
    #[command(after_help = EXIT_CODES)]
    Emulator(EmulatorArgs),
}

/// `idv session ...`
#[derive(Debug, Subcommand)]
pub(crate) enum SessionCommand {
    /// Create a session: from a JSON session specification (sent as given), or from the
    /// built-in selfie-authentication template (--selfie).
    ///
    /// --selfie: a static LIVENESS check and a FACE_COMPARISON check (no manual check), as
    /// in Yoti's face-comparison guide; then `idv session upload-reference`, `idv session
    /// url`, and `idv session verdict`.
    #[command(after_help = EXIT_CODES)]
    Create {
        /// The session specification, a JSON object ("-" reads standard input).
        #[arg(long, value_name = "FILE.json", required_unless_present = "selfie")]
        spec: Option<PathBuf>,
        /// Use the built-in selfie-authentication template instead of a specification.
        #[arg(long, conflicts_with = "spec")]
        selfie: bool,
        #[command(flatten)]
        template: SelfieArgs,
        /// Print the JSON answer instead of a summary.
        #[arg(long)]
        json: bool,
        /// Also print the client session token and the hosted page URL (secrets: they let
        /// anyone act as the user of the session).
        #[arg(long)]
        show_token: bool,
        /// Write the client session token to this file (created readable by its owner
        /// only), for `--token-file` of `session url` and `sandbox complete`.
        #[arg(long, value_name = "FILE")]
        token_out: Option<PathBuf>,
    },
    /// Upload the reference photo of a selfie session: reads the session configuration,
    /// creates the face-capture resource its FACE_CAPTURE requirement asks for, and uploads
    /// the image (JPEG or PNG, at most 10 MiB).
    #[command(after_help = EXIT_CODES)]
    UploadReference {
        /// The session id.
        session_id: String,
        /// The image file, JPEG or PNG.
        #[arg(value_name = "IMAGE")]
        image: PathBuf,
    },
    /// Print the URL of the hosted capture page of a session, for the user to open. It
    /// contains the client session token: give it to that user only.
    #[command(after_help = EXIT_CODES)]
    Url {
        /// The session id.
        session_id: String,
        #[command(flatten)]
        token: TokenArgs,
    },
    /// Print the selfie-authentication verdict of a session, PASS, FAIL or PENDING, and its
    /// LIVENESS and FACE_COMPARISON checks. The exit code says which: 0 PASS, 5 FAIL,
    /// 6 PENDING (the session or its checks are not finished: ask again later).
    #[command(after_help = EXIT_CODES)]
    Verdict {
        /// The session id.
        session_id: String,
        /// Print the verdict as JSON: {"verdict": "PASS"|"FAIL"|"PENDING", "reasons",
        /// "session_id", "state", "checks"}.
        #[arg(long)]
        json: bool,
    },
    /// Show a session: its state, each check with its recommendation, its resources and
    /// their media ids.
    #[command(after_help = EXIT_CODES)]
    Get {
        /// The session id.
        session_id: String,
        /// Print the session's JSON instead of a summary (the client session token
        /// redacted unless --show-token).
        #[arg(long)]
        json: bool,
        /// Do not redact the client session token in --json output.
        #[arg(long, requires = "json")]
        show_token: bool,
    },
    /// Delete a session and all its media.
    #[command(after_help = EXIT_CODES)]
    Delete {
        /// The session id.
        session_id: String,
    },
}

/// The options of `idv session create --selfie`.
#[derive(Debug, Args)]
pub(crate) struct SelfieArgs {
    /// Where the hosted page sends the user after the capture (https, or http on loopback).
    #[arg(long, value_name = "URL", requires = "selfie")]
    pub(crate) success_url: Option<String>,
    /// Where the hosted page sends the user when the capture fails.
    #[arg(long, value_name = "URL", requires = "selfie")]
    pub(crate) error_url: Option<String>,
    /// Your id for the user, returned with the session.
    #[arg(long, value_name = "ID", requires = "selfie")]
    pub(crate) user_tracking_id: Option<String>,
    /// Lifetime of the client session token (and the user's part), in seconds.
    #[arg(
        long,
        value_name = "SECONDS",
        default_value_t = 600,
        requires = "selfie"
    )]
    pub(crate) token_ttl: u64,
    /// How long Yoti keeps the session's resources, in seconds (at least the token
    /// lifetime + 86400).
    #[arg(
        long,
        value_name = "SECONDS",
        default_value_t = 90_000,
        requires = "selfie"
    )]
    pub(crate) resources_ttl: u64,
    /// How many times the user may retry the liveness capture.
    #[arg(long, value_name = "N", default_value_t = 3, requires = "selfie")]
    pub(crate) liveness_retries: u32,
}

/// Where a command reads the client session token from.
#[derive(Debug, Args)]
pub(crate) struct TokenArgs {
    /// Read the client session token from this file ("-": standard input), e.g. the one
    /// `session create --token-out` wrote. Without it, the YOTI_CLIENT_SESSION_TOKEN
    /// environment variable. There is no option taking the token itself: it would stay in
    /// the shell history and show in the process list.
    #[arg(long, value_name = "FILE")]
    pub(crate) token_file: Option<PathBuf>,
}

/// `idv sandbox ...`
#[derive(Debug, Subcommand)]
pub(crate) enum SandboxCommand {
    /// Complete a session as its user would (the sandbox agent, POST /agent on the sandbox
    /// base URL): the captured media are filled in and the checks run. Optionally script
    /// what the LIVENESS and FACE_COMPARISON checks report first.
    #[command(after_help = EXIT_CODES)]
    Complete {
        /// The session id.
        session_id: String,
        #[command(flatten)]
        token: TokenArgs,
        /// What the LIVENESS check reports: approve, reject[:REASON] or
        /// not-available[:REASON] (default: the sandbox's own outcome).
        #[arg(long, value_name = "RESULT", value_parser = selfie::Outcome::parse)]
        liveness: Option<selfie::Outcome>,
        /// What the FACE_COMPARISON check reports (as --liveness).
        #[arg(long, value_name = "RESULT", value_parser = selfie::Outcome::parse)]
        face_comparison: Option<selfie::Outcome>,
    },
}

/// `idv media ...`
#[derive(Debug, Subcommand)]
pub(crate) enum MediaCommand {
    /// Download the content of a media object to a file, streamed (with a progress bar for
    /// large media when standard error is a terminal).
    #[command(after_help = EXIT_CODES)]
    Get {
        /// The session id.
        session_id: String,
        /// The media id (see `idv session get`).
        media_id: String,
        /// Where to write the content ("-" for standard output).
        #[arg(short, long, value_name = "FILE")]
        output: PathBuf,
    },
}

/// `idv key ...`
#[derive(Debug, Subcommand)]
pub(crate) enum KeyCommand {
    /// Validate a PEM key file and print its type, size and the SHA-256 fingerprint of its
    /// public key (never the key itself).
    ///
    /// Accepts the application's private key (PKCS#1 or PKCS#8) and public keys (SPKI or
    /// PKCS#1), so the fingerprints of the two halves of a pair can be compared.
    #[command(after_help = EXIT_CODES)]
    Check {
        /// The PEM file.
        #[arg(value_name = "KEY.pem")]
        file: PathBuf,
    },
}

/// `idv emulator` options: the emulator's own flag definition, shared with `idv-emulator`.
#[derive(Debug, Args)]
pub(crate) struct EmulatorArgs {
    #[command(flatten)]
    pub(crate) shared: idv_emulator::cli::Args,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match commands::run(cli) {
        Ok(code) => ExitCode::from(code),
        Err(failure) => {
            if !failure.is_quiet() {
                // not `eprintln!`: it panics when standard error is closed
                let _ = writeln!(io::stderr(), "error: {}", failure.message());
            }
            ExitCode::from(failure.code())
        }
    }
}
