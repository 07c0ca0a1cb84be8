//! `cargo xtask readme-samples`: builds every Rust sample of `README.md` in a scratch crate
//! outside the workspace, with exactly the dependencies the README gives for it.
//!
//! The rule the README follows (CONTRIBUTING.md says it too):
//!
//! * A fence whose info string starts with `rust` is a sample, unless it carries `ignore`
//!   (fragments such as a handler body) or `compile_fail`.
//! * A sample's dependencies are the nearest ```` ```toml ```` block before it in the same
//!   section (no heading in between). That block is what a reader pastes into
//!   `[dependencies]`: its `idv` line is rewritten to a path dependency on `crates/idv`,
//!   keeping `default-features` and `features` exactly as written; every other line is
//!   copied unchanged. A sample without such a block, or whose block names `idv` more than
//!   once or not at all, is an error.
//!
//! Each sample becomes `target/readme-samples/sample-N/` (a `[workspace]` of its own, the
//! workspace's `Cargo.lock` copied in so versions match) and is built with
//! `cargo build`, sharing the workspace's target directory so that dependencies already
//! built by earlier steps are reused.

use std::path::{Path, PathBuf};
use std::process::Command;

/// One Rust sample of the README and the dependency block that goes with it.
#[derive(Debug, PartialEq)]
pub(crate) struct Sample {
    /// 1-based line of the opening fence in the README.
    pub(crate) line: usize,
    /// The code between the fences.
    pub(crate) code: String,
    /// The lines of the paired ```` ```toml ```` block.
    pub(crate) deps: Vec<String>,
}

/// Splits a README into its checked Rust samples, each with its dependency block.
pub(crate) fn samples(readme: &str) -> Result<Vec<Sample>, String> {
    let mut out = Vec::new();
    let mut lines = readme.lines().enumerate();
    // The last toml block seen in the current section.
    let mut last_toml: Option<Vec<String>> = None;
    while let Some((index, line)) = lines.next() {
        let trimmed = line.trim_start();
        if trimmed.starts_with('#') {
            // A heading ends the section: its toml blocks do not reach the next one.
            last_toml = None;
            continue;
        }
        let Some(info) = trimmed.strip_prefix("```") else {
            continue;
        };
        let fence_indent = line.len() - trimmed.len();
        let mut body = Vec::new();
        let mut closed = false;
        for (_, inner) in lines.by_ref() {
            if inner.trim_start().starts_with("```") {
                closed = true;
                break;
            }
            body.push(
                inner
                    .get(fence_indent..)
                    .unwrap_or(inner.trim_start())
                    .to_owned(),
            );
        }
        if !closed {
            return Err(format!(
                "README.md:{}: code fence is never closed",
                index + 1
            ));
        }
        let tokens: Vec<&str> = info
            .split([',', ' '])
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .collect();
        match tokens.first().copied() {
            Some("toml") => last_toml = Some(body),
            Some("rust") => {
                if tokens
                    .iter()
                    .any(|t| *t == "ignore" || *t == "compile_fail")
                {
                    continue;
                }
                let deps = last_toml.clone().ok_or_else(|| {
                    format!(
                        "README.md:{}: a Rust sample needs its dependencies in a ```toml block \
                         before it, in the same section",
                        index + 1
                    )
                })?;
                out.push(Sample {
                    line: index + 1,
                    code: body.join("\n") + "\n",
                    deps,
                });
            }
            _ => {}
        }
    }
    Ok(out)
}

/// The `[dependencies]` table of a sample's scratch crate: the README's lines with the `idv`
/// line pointed at `idv_path`.
pub(crate) fn manifest_dependencies(deps: &[String], idv_path: &Path) -> Result<String, String> {
    let path = idv_path.display().to_string().replace('\\', "/");
    let mut out = String::new();
    let mut idv_lines = 0;
    for line in deps {
        let trimmed = strip_comment(line).trim();
        if trimmed == "[dependencies]" {
            continue;
        }
        if trimmed.starts_with('[') {
            return Err(format!(
                "its toml block has the table `{trimmed}`: give `[dependencies]` lines only"
            ));
        }
        let Some(rest) = trimmed.strip_prefix("idv") else {
            out.push_str(line);
            out.push('\n');
            continue;
        };
        let Some(value) = rest.trim_start().strip_prefix('=') else {
            // another crate whose name starts with `idv` (idv-emulator = ...)
            out.push_str(line);
            out.push('\n');
            continue;
        };
        idv_lines += 1;
        let value = value.trim();
        let rewritten = if value.starts_with('"') {
            // idv = "0.1": default features
            format!("idv = {{ path = \"{path}\" }}")
        } else if let Some(inner) = value.strip_prefix('{').and_then(|v| v.strip_suffix('}')) {
            let kept: Vec<&str> = split_top_level(inner)
                .into_iter()
                .map(str::trim)
                .filter(|kv| !kv.is_empty())
                .filter(|kv| {
                    let key = kv.split('=').next().unwrap_or("").trim();
                    !matches!(key, "version" | "git" | "branch" | "tag" | "rev" | "path")
                })
                .collect();
            let mut fields = vec![format!("path = \"{path}\"")];
            fields.extend(kept.iter().map(|s| (*s).to_owned()));
            format!("idv = {{ {} }}", fields.join(", "))
        } else {
            return Err(format!("cannot read the idv dependency line `{trimmed}`"));
        };
        out.push_str(&rewritten);
        out.push('\n');
    }
    match idv_lines {
        1 => Ok(out),
        0 => Err("its toml block has no `idv = ...` line".to_owned()),
        n => Err(format!(
            "its toml block has {n} `idv = ...` lines: give one per sample"
        )),
    }
}

/// The line without a trailing `# comment` (a `#` outside strings).
fn strip_comment(line: &str) -> &str {
    let mut in_string = false;
    for (i, c) in line.char_indices() {
        match c {
            '"' => in_string = !in_string,
            '#' if !in_string => return &line[..i],
            _ => {}
        }
    }
    line
}

/// Splits `a = 1, b = ["x", "y"]` at the commas outside brackets and strings.
fn split_top_level(s: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let (mut depth, mut in_string, mut start) = (0i32, false, 0);
    for (i, c) in s.char_indices() {
        match c {
            '"' => in_string = !in_string,
            '[' | '{' if !in_string => depth += 1,
            ']' | '}' if !in_string => depth -= 1,
            ',' if !in_string && depth == 0 => {
                parts.push(&s[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&s[start..]);
    parts
}

/// `cargo xtask readme-samples`: writes and builds every sample; true when all build.
pub(crate) fn run(args: &[String]) -> Result<bool, String> {
    if let Some(arg) = args.first() {
        return Err(format!("unexpected argument `{arg}`"));
    }
    let root = crate::codegen::workspace_root();
    let readme = std::fs::read_to_string(root.join("README.md"))
        .map_err(|e| format!("reading README.md: {e}"))?;
    let samples = samples(&readme)?;
    if samples.is_empty() {
        return Err("README.md has no Rust sample to check".to_owned());
    }
    let target_dir = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("target"));
    let target_dir = if target_dir.is_absolute() {
        target_dir
    } else {
        root.join(target_dir)
    };
    let scratch = target_dir.join("readme-samples");
    let lock = std::fs::read(root.join("Cargo.lock")).map_err(|e| format!("Cargo.lock: {e}"))?;
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let mut all_ok = true;
    for (n, sample) in samples.iter().enumerate() {
        let name = format!("readme-sample-{}", n + 1);
        let dir = scratch.join(format!("sample-{}", n + 1));
        let deps = manifest_dependencies(&sample.deps, &root.join("crates/idv"))
            .map_err(|e| format!("README.md:{}: {e}", sample.line))?;
        let manifest = format!(
            "# Generated by `cargo xtask readme-samples` from README.md line {line}.\n\
             [package]\nname = \"{name}\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n\
             [dependencies]\n{deps}\n\
             # Not a member of the idv workspace.\n[workspace]\n",
            line = sample.line
        );
        let write = |path: PathBuf, contents: &[u8]| {
            std::fs::write(&path, contents).map_err(|e| format!("{}: {e}", path.display()))
        };
        std::fs::create_dir_all(dir.join("src")).map_err(|e| format!("{}: {e}", dir.display()))?;
        write(dir.join("Cargo.toml"), manifest.as_bytes())?;
        write(dir.join("Cargo.lock"), &lock)?;
        write(dir.join("src/main.rs"), sample.code.as_bytes())?;
        eprintln!(
            "==> README.md:{}: cargo check in {} with\n{}",
            sample.line,
            dir.display(),
            deps.trim_end()
        );
        // `cargo check`: every type, trait, method and feature gate is checked as in a build
        // (a sample needing a feature its toml block does not name fails), without codegen.
        let status = Command::new(&cargo)
            .arg("check")
            .arg("--quiet")
            .current_dir(&dir)
            .env("CARGO_TARGET_DIR", &target_dir)
            .status()
            .map_err(|e| format!("could not run cargo: {e}"))?;
        if !status.success() {
            eprintln!(
                "README.md:{}: the sample does not build with the dependencies its toml block gives",
                sample.line
            );
            all_ok = false;
        }
    }
    if all_ok {
        eprintln!("{} README samples build", samples.len());
    }
    Ok(all_ok)
}

#[cfg(test)]
mod tests {
    use super::*;

    const README: &str = r#"# Title

## Install

```toml
idv = { version = "0.1", default-features = false, features = ["ureq", "rustls"] }
```

Some prose.

```rust,no_run
fn main() {}
```

```rust,ignore
handler_body();
```

## Next section

```rust
fn main() { println!("no deps"); }
```
"#;

    #[test]
    fn a_sample_takes_the_toml_block_of_its_section() {
        let err = samples(README).unwrap_err();
        // The second section's sample has no toml block of its own.
        assert!(err.contains("README.md:21"), "{err}");
        let first = README.split("## Next").next().unwrap();
        let found = samples(first).unwrap();
        assert_eq!(found.len(), 1, "the `ignore` fragment is not a sample");
        assert_eq!(found[0].line, 11);
        assert_eq!(found[0].code, "fn main() {}\n");
        assert_eq!(
            found[0].deps,
            vec![
                r#"idv = { version = "0.1", default-features = false, features = ["ureq", "rustls"] }"#
            ]
        );
    }

    #[test]
    fn the_idv_line_becomes_a_path_dependency_with_the_same_features() {
        let deps = vec![
            r#"idv = { version = "0.1", default-features = false, features = ["ureq", "rustls", "aws-lc-rs"] }"#.to_owned(),
            r#"tokio = { version = "1", features = ["macros", "rt-multi-thread"] }"#.to_owned(),
        ];
        let out = manifest_dependencies(&deps, Path::new("/w/crates/idv")).unwrap();
        assert_eq!(
            out,
            "idv = { path = \"/w/crates/idv\", default-features = false, features = [\"ureq\", \"rustls\", \"aws-lc-rs\"] }\n\
             tokio = { version = \"1\", features = [\"macros\", \"rt-multi-thread\"] }\n"
        );
        let with_header = manifest_dependencies(
            &[
                "[dependencies]".to_owned(),
                r#"idv = { path = "../idv/crates/idv" } # after publishing: idv = "0.1""#
                    .to_owned(),
            ],
            Path::new("/p"),
        )
        .unwrap();
        assert_eq!(with_header, "idv = { path = \"/p\" }\n");
        let table = manifest_dependencies(&["[dev-dependencies]".to_owned()], Path::new("/p"));
        assert!(table.unwrap_err().contains("[dev-dependencies]"));
        let plain = manifest_dependencies(&["idv = \"0.1\"".to_owned()], Path::new("/p")).unwrap();
        assert_eq!(
            plain, "idv = { path = \"/p\" }\n",
            "default features stay on"
        );
        let git = manifest_dependencies(
            &[r#"idv = { git = "https://example.invalid/idv", features = ["ureq"] }"#.to_owned()],
            Path::new("/p"),
        )
        .unwrap();
        assert_eq!(git, "idv = { path = \"/p\", features = [\"ureq\"] }\n");
    }

    #[test]
    fn a_block_must_name_idv_exactly_once() {
        let none = manifest_dependencies(&["tokio = \"1\"".to_owned()], Path::new("/p"));
        assert!(none.unwrap_err().contains("no `idv"));
        let two = manifest_dependencies(
            &["idv = \"0.1\"".to_owned(), "idv = \"0.1\"".to_owned()],
            Path::new("/p"),
        );
        assert!(two.unwrap_err().contains("2 `idv"));
        let other = manifest_dependencies(
            &[
                "idv = \"0.1\"".to_owned(),
                "idv-emulator = \"0.1\"".to_owned(),
            ],
            Path::new("/p"),
        )
        .unwrap();
        assert!(other.ends_with("idv-emulator = \"0.1\"\n"), "{other}");
    }

    #[test]
    fn an_unclosed_fence_is_an_error() {
        assert!(samples("```rust\nfn main() {}\n").is_err());
    }
}
