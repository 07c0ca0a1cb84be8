//! Development chores of the `idv` workspace: `cargo xtask <command>`.
//!
//! * `cargo xtask ci`: runs the same steps as `.ci/run` (fmt, generated files, clippy, tests,
//!   docs).
//! * `cargo xtask codegen [--check]`: generates `crates/idv-model/src/generated/*.rs` from
//!   `spec/idv-openapi.json`; `--check` prints a diff and fails when they are stale.

mod codegen;

use std::process::{Command, ExitCode};

fn main() -> ExitCode {
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
        Some("-h" | "--help") | None => {
            println!(
                "usage: cargo xtask <command>\n\ncommands:\n  ci                  fmt, clippy, tests and docs, as CI runs them\n  codegen [--check]   generate the idv-model wire types from spec/idv-openapi.json"
            );
            ExitCode::SUCCESS
        }
        Some(other) => {
            eprintln!("unknown command `{other}` (try --help)");
            ExitCode::from(2)
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
