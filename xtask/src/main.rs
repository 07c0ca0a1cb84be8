//! Development chores of the `idv` workspace: `cargo xtask <command>`.
//!
//! * `cargo xtask ci`: runs the same steps as `.ci/run` (fmt, generated files, module cycles, clippy, tests,
//!   docs).
//! * `cargo xtask codegen [--check]`: generates `crates/idv-model/src/generated/*.rs` from
//!   `spec/idv-openapi.json`; `--check` prints a diff and fails when they are stale.
//! * `cargo xtask readme-samples`: builds every Rust sample of `README.md` in a scratch crate
//!   outside the workspace, with exactly the dependencies the README gives for it.
//! * `cargo xtask public-api [--check]`: writes the public API of each published library
//!   crate to `public-api/<crate>.txt` (from rustdoc's JSON); `--check` fails when stale.
//! * `cargo xtask module-cycles`: fails, printing the circle, when a module of any workspace
//!   crate imports another that imports it back, directly or through others.
#![cfg_attr(not(test), warn(unused_crate_dependencies))]

mod codegen;
mod module_cycles;
mod public_api;
mod readme_samples;

use std::process::{Command, ExitCode};

fn main() -> ExitCode {
    // `cargo xtask public-api` runs cargo with this binary as RUSTDOC.
    if let Some(code) = public_api::as_rustdoc_wrapper() {
        return code;
    }
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("ci") => run_ci(),
        Some("codegen") => match codegen::run(&args[1..]) {
            Ok(true) => ExitCode::SUCCESS,
            Ok(false) => ExitCode::FAILURE,
            Err(e) => {
                eprintln!("codegen: {e}");
                ExitCode::FAILURE
            }
        },
        Some("readme-samples") => report("readme-samples", readme_samples::run(&args[1..])),
        Some("public-api") => report("public-api", public_api::run(&args[1..])),
        Some("module-cycles") => report("module-cycles", module_cycles::run(&args[1..])),
        Some("-h" | "--help") | None => {
            println!(
                "usage: cargo xtask <command>\n\ncommands:\n  ci                  fmt, clippy, tests and docs, as CI runs them\n  codegen [--check]   generate the idv-model wire types from spec/idv-openapi.json\n  readme-samples      build each README Rust sample in a scratch crate with the README's dependencies\n  public-api [--check]  write (or check) the public API snapshots in public-api/\n  module-cycles       fail when a module of any workspace crate imports one that imports it back"
            );
            ExitCode::SUCCESS
        }
        Some(other) => {
            eprintln!("unknown command `{other}` (try --help)");
            ExitCode::from(2)
        }
    }
}

/// The exit code of a subcommand that reports success, failure or an error.
fn report(name: &str, result: Result<bool, String>) -> ExitCode {
    match result {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(e) => {
            eprintln!("{name}: {e}");
            ExitCode::FAILURE
        }
    }
}

/// A cargo invocation: its arguments and extra environment variables.
type Step = (
    &'static [&'static str],
    &'static [(&'static str, &'static str)],
);

fn run_ci() -> ExitCode {
    let steps: &[Step] = &[
        (&["fmt", "--all", "--check"], &[]),
        (&["xtask", "codegen", "--check"], &[]),
        (&["xtask", "module-cycles"], &[]),
        (
            &[
                "clippy",
                "--workspace",
                "--all-targets",
                "--all-features",
                "--",
                "-D",
                "warnings",
            ],
            &[],
        ),
        (&["test", "--workspace"], &[]),
        (
            &["doc", "--workspace", "--no-deps", "--all-features"],
            &[("RUSTDOCFLAGS", "-D warnings")],
        ),
    ];
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    for (args, env) in steps {
        eprintln!("==> cargo {}", args.join(" "));
        let status = Command::new(&cargo)
            .args(*args)
            .envs(env.iter().copied())
            .status();
        match status {
            Ok(s) if s.success() => {}
            Ok(s) => {
                eprintln!("step failed: cargo {} ({s})", args.join(" "));
                return ExitCode::FAILURE;
            }
            Err(e) => {
                eprintln!("could not run cargo: {e}");
                return ExitCode::FAILURE;
            }
        }
    }
    ExitCode::SUCCESS
}
