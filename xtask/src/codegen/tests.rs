//! The freshness gate and the spec's own consistency.

use std::path::PathBuf;

use super::*;

fn spec() -> Json {
    match read_spec(&workspace_root()) {
        Ok(s) => s,
        Err(e) => panic!("{e}"),
    }
}

/// `cargo test --workspace` fails when the generated files are stale.
#[test]
fn generated_files_are_fresh() {
    let out = workspace_root().join(OUT_DIR);
    match check(&spec(), &out) {
        Ok(Outcome::Fresh) => {}
        Ok(Outcome::Stale(report)) => {
            panic!("{report}\ngenerated files are stale: run `cargo xtask codegen`")
        }
        Err(e) => panic!("{e}"),
    }
}

#[test]
fn generation_is_deterministic() {
    let spec = spec();
    assert_eq!(generate(&spec), generate(&spec));
}

#[test]
fn every_generated_file_starts_with_the_header() {
    for (name, text) in generate(&spec()).unwrap_or_default() {
        let first = text.lines().next().unwrap_or_default();
        assert_eq!(first, emit::HEADER, "{name}");
        assert!(first.contains("cargo xtask codegen") && first.contains("do not edit"));
    }
}

struct TempDir(PathBuf);

impl TempDir {
    fn new(tag: &str) -> Self {
        let dir = std::env::temp_dir().join(format!("idv-xtask-{tag}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
        Self(dir)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A hand edit of a copy of a generated file is reported, with a diff naming the edit.
#[test]
fn check_mode_reports_a_hand_edit() {
    let spec = spec();
    let tmp = TempDir::new("edit");
    for (name, text) in generate(&spec).unwrap_or_default() {
        std::fs::write(tmp.0.join(name), text).unwrap_or_else(|e| panic!("{e}"));
    }
    assert!(matches!(check(&spec, &tmp.0), Ok(Outcome::Fresh)));

    let victim = tmp.0.join("session.rs");
    let text = std::fs::read_to_string(&victim).unwrap_or_default();
    let edited = text.replacen(
        "pub session_id: crate::SessionId,",
        "pub session_id: crate::SessionId, // hand edit",
        1,
    );
    assert_ne!(text, edited, "the edit must change the file");
    std::fs::write(&victim, edited).unwrap_or_else(|e| panic!("{e}"));
    match check(&spec, &tmp.0) {
        Ok(Outcome::Stale(report)) => {
            assert!(report.contains("session.rs"), "{report}");
            assert!(
                report.contains("-    pub session_id: crate::SessionId, // hand edit"),
                "{report}"
            );
            assert!(
                report.contains("+    pub session_id: crate::SessionId,"),
                "{report}"
            );
        }
        Ok(Outcome::Fresh) => panic!("a hand edit went unnoticed"),
        Err(e) => panic!("{e}"),
    }

    // a stray file is reported too, and `write` repairs everything
    std::fs::write(tmp.0.join("extra.rs"), "// stray\n").unwrap_or_else(|e| panic!("{e}"));
    assert!(matches!(check(&spec, &tmp.0), Ok(Outcome::Stale(r)) if r.contains("extra.rs")));
    assert!(write(&spec, &tmp.0).is_ok());
    assert!(matches!(check(&spec, &tmp.0), Ok(Outcome::Fresh)));
}

/// The spec is OpenAPI 3.1 JSON, every `$ref` resolves, and every operation is complete.
#[test]
fn spec_is_consistent() {
    let spec = spec();
    assert_eq!(spec.str_of("openapi"), Some("3.1.0"));
    let mut refs = Vec::new();
    spec.refs(&mut refs);
    assert!(refs.len() > 100);
    for r in &refs {
        assert!(spec.pointer(r).is_some(), "dangling $ref {r}");
    }
    let mut ids = Vec::new();
    let paths = spec.get("paths").map(Json::as_obj).unwrap_or(&[]);
    for (path, item) in paths {
        for (method, op) in item.as_obj() {
            assert!(
                ["get", "put", "post", "delete"].contains(&method.as_str()),
                "{path}: {method}"
            );
            let id = op
                .str_of("operationId")
                .unwrap_or_else(|| panic!("{method} {path}: no operationId"));
            ids.push(id.to_owned());
            assert!(
                op.get("tags").is_some_and(|t| !t.as_arr().is_empty()),
                "{id}: no tag"
            );
            assert!(op.str_of("description").is_some(), "{id}: no description");
            assert!(op.get("responses").is_some(), "{id}: no responses");
        }
    }
    let expected = [
        "createSession",
        "getSession",
        "deleteSession",
        "getMediaContent",
        "deleteMediaContent",
        "getSupportedDocuments",
        "getSessionConfiguration",
        "createFaceCaptureResource",
        "uploadFaceCaptureImage",
        "getTrackedDevices",
        "deleteTrackedDevices",
        "putIbvInstructions",
        "getIbvInstructions",
        "getIbvInstructionsPdf",
        "fetchInstructionsContactProfile",
        "triggerIbvEmailNotification",
        "configureSessionResponse",
        "configureApplicationResponse",
        "completeSessionAsAgent",
    ];
    let mut sorted = ids.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(sorted.len(), ids.len(), "duplicate operationId");
    for e in expected {
        assert!(ids.iter().any(|i| i == e), "missing operation {e}");
    }
    // every schema is used somewhere (no dead definitions)
    let schemas = spec
        .pointer("#/components/schemas")
        .map(Json::as_obj)
        .unwrap_or(&[]);
    for (key, _) in schemas {
        let r = format!("#/components/schemas/{key}");
        assert!(
            refs.iter().any(|x| *x == r),
            "schema {key} is never referenced"
        );
    }
}
