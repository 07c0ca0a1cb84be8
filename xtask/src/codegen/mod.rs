//! `cargo xtask codegen [--check]`: the wire types of `idv-model` from `spec/idv-openapi.json`.
//!
//! The generator reads the spec (keeping its property order, which is the wire order), builds
//! a small model of named types, and emits one Rust file per `x-rust-module` into
//! `crates/idv-model/src/generated/`, formatted with `prettyplease`. The output depends only
//! on the spec: no timestamps, no hash-map order. `--check` compares in memory and prints a
//! unified diff of every stale file.

mod emit;
mod json;
mod model;

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

pub(crate) use json::Json;

/// The spec, relative to the workspace root.
pub(crate) const SPEC: &str = "spec/idv-openapi.json";
/// The generated files' directory, relative to the workspace root.
pub(crate) const OUT_DIR: &str = "crates/idv-model/src/generated";

/// The workspace root (the parent of this crate).
pub(crate) fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."))
}

/// Reads and parses the spec.
pub(crate) fn read_spec(root: &Path) -> Result<Json, String> {
    let path = root.join(SPEC);
    let text = std::fs::read_to_string(&path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    serde_json::from_str(&text).map_err(|e| format!("{} is not valid JSON: {e}", path.display()))
}

/// Every generated file: `(file name, contents)`.
pub(crate) fn generate(spec: &Json) -> Result<Vec<(String, String)>, String> {
    let model = model::build(spec)?;
    emit::files(&model)
}

/// What `--check` found.
pub(crate) enum Outcome {
    /// Every file is as the generator would write it.
    Fresh,
    /// Some files differ: a readable report with unified diffs.
    Stale(String),
}

/// Compares the generated files with those in `out_dir` (nothing is written).
pub(crate) fn check(spec: &Json, out_dir: &Path) -> Result<Outcome, String> {
    let files = generate(spec)?;
    let mut report = String::new();
    for (name, want) in &files {
        let path = out_dir.join(name);
        let have = std::fs::read_to_string(&path).unwrap_or_default();
        let have = have.replace("\r\n", "\n");
        if have != *want {
            let diff = similar::TextDiff::from_lines(&have, want);
            let _ = writeln!(
                report,
                "{}",
                diff.unified_diff().context_radius(3).header(
                    &format!("{} (on disk)", shown(&path)),
                    &format!("{} (generated)", shown(&path))
                )
            );
        }
    }
    for extra in stray_files(out_dir, &files)? {
        let _ = writeln!(
            report,
            "{}: not generated from the spec (remove it)",
            extra.display()
        );
    }
    Ok(if report.is_empty() {
        Outcome::Fresh
    } else {
        Outcome::Stale(report)
    })
}

/// A path relative to the workspace root when it is inside it.
fn shown(path: &Path) -> String {
    let root = workspace_root();
    path.strip_prefix(&root)
        .unwrap_or(path)
        .display()
        .to_string()
}

/// `.rs` files in `out_dir` that the generator does not write.
fn stray_files(out_dir: &Path, files: &[(String, String)]) -> Result<Vec<PathBuf>, String> {
    let mut out = Vec::new();
    let Ok(entries) = std::fs::read_dir(out_dir) else {
        return Ok(out);
    };
    for entry in entries {
        let path = entry.map_err(|e| e.to_string())?.path();
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default()
            .to_owned();
        if name.ends_with(".rs") && !files.iter().any(|(f, _)| *f == name) {
            out.push(path);
        }
    }
    out.sort();
    Ok(out)
}

/// Writes the generated files (and removes stray ones); returns the names written.
pub(crate) fn write(spec: &Json, out_dir: &Path) -> Result<Vec<String>, String> {
    let files = generate(spec)?;
    std::fs::create_dir_all(out_dir)
        .map_err(|e| format!("cannot create {}: {e}", out_dir.display()))?;
    let mut written = Vec::new();
    for (name, text) in &files {
        let path = out_dir.join(name);
        if std::fs::read_to_string(&path).ok().as_deref() != Some(text) {
            std::fs::write(&path, text)
                .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
            written.push(name.clone());
        }
    }
    for stray in stray_files(out_dir, &files)? {
        std::fs::remove_file(&stray)
            .map_err(|e| format!("cannot remove {}: {e}", stray.display()))?;
        written.push(format!("{} (removed)", stray.display()));
    }
    Ok(written)
}

/// `cargo xtask codegen [--check]`.
pub(crate) fn run(args: &[String]) -> Result<bool, String> {
    let check_only = match args {
        [] => false,
        [flag] if flag == "--check" => true,
        _ => return Err("usage: cargo xtask codegen [--check]".into()),
    };
    let root = workspace_root();
    let spec = read_spec(&root)?;
    let out_dir = root.join(OUT_DIR);
    if check_only {
        match check(&spec, &out_dir)? {
            Outcome::Fresh => {
                eprintln!("generated files are up to date with {SPEC}");
                Ok(true)
            }
            Outcome::Stale(report) => {
                eprintln!("{report}");
                eprintln!(
                    "generated files are stale: run `cargo xtask codegen` and commit the result"
                );
                Ok(false)
            }
        }
    } else {
        let written = write(&spec, &out_dir)?;
        if written.is_empty() {
            eprintln!("generated files were already up to date");
        }
        for w in written {
            eprintln!("wrote {OUT_DIR}/{w}");
        }
        Ok(true)
    }
}

#[cfg(test)]
mod tests;
