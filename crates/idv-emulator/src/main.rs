//! `idv-emulator`: runs the IDV API emulator on 127.0.0.1 until the process is stopped.
#![cfg_attr(not(test), warn(unused_crate_dependencies))]

use std::process::ExitCode;

use clap::Parser;

// The `idv_emulator` library's dependencies: this binary reaches them only through it. The
// library's own `unused_crate_dependencies` keeps them needed; a dependency of the binary
// alone goes above this list, used.
use axum as _;
use base64 as _;
use futures_util as _;
use getrandom as _;
use hyper as _;
use hyper_util as _;
use idv_auth as _;
use jiff as _;
use percent_encoding as _;
use reqwest as _;
use serde as _;
use serde_json as _;
use socket2 as _;
use subtle as _;
use tokio as _;
use uuid as _;
use zeroize as _;

const ABOUT: &str = "\
Runs a local emulator of Yoti's Identity Verification (IDV) API on 127.0.0.1: the API,
the sandbox API (response configs, the agent call) and the hosted capture page, with
request signatures checked as the real service checks them.";

const AFTER_HELP: &str = "\
Prints the API base URL, the sandbox base URL (and the admin URL with --admin), then
logs one line per request to stderr: method, path, status, latency. Never bodies,
query strings or tokens. Standard input is not read (unless --exit-on-stdin-eof), so it
runs as a background job too; stop it with Ctrl-C or a signal.

Limits: a request is authenticated from its head before its body is read; a body over
its route's cap (1 MiB for JSON, 10 MiB for images, 14 MiB for sandbox calls carrying
images) is refused with 413 unread.

Example:
  idv-emulator --port 8080 --app my-sdk-id=app.pub.pem &
  export YOTI_IDV_API_URL=http://127.0.0.1:8080/sandbox/idverify/v1
  # hosted page: http://127.0.0.1:8080/idverify/v1/web/index.html?sessionID=..&sessionToken=..";

/// The `idv-emulator` command line: the shared [`idv_emulator::cli::Args`].
#[derive(Debug, Parser)]
#[command(name = "idv-emulator", version, about = ABOUT, after_help = AFTER_HELP)]
struct Cli {
    #[command(flatten)]
    args: idv_emulator::cli::Args,
}

fn main() -> ExitCode {
    let Cli { args } = Cli::parse();
    if args.apps.is_empty() {
        eprintln!(
            "idv-emulator: warning: no --app given; every request will get 404 APPLICATION_NOT_FOUND"
        );
    }
    let builder = match args.builder() {
        Ok(builder) => builder,
        Err(e) => {
            eprintln!("idv-emulator: {e}");
            return ExitCode::from(2);
        }
    };
    let emulator = match builder.start() {
        Ok(emulator) => emulator,
        Err(e) => {
            eprintln!(
                "idv-emulator: cannot start the emulator on port {}: {e}",
                args.port
            );
            return ExitCode::FAILURE;
        }
    };
    println!("{}", emulator.base_url());
    println!("{}", emulator.sandbox_base_url());
    if args.admin {
        println!("{}", emulator.admin_url());
    }
    args.serve_until_stopped(emulator);
    ExitCode::SUCCESS
}
