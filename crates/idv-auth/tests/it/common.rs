//! Helpers shared by the integration tests. Fixtures are read only from
//! this crate's `tests/data`.
#![allow(dead_code)]

use std::path::PathBuf;

/// The path of a fixture in `tests/data`.
pub(crate) fn data_path(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join("data")
        .join(name)
}

/// The bytes of a fixture in `tests/data`.
pub(crate) fn data(name: &str) -> Vec<u8> {
    let path = data_path(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()))
}

/// The text of a fixture in `tests/data`.
pub(crate) fn data_str(name: &str) -> String {
    String::from_utf8(data(name)).expect("fixture is UTF-8")
}

/// Asserts `text` contains nothing of the base64 body of `pem`: no line, and
/// no 16-character window of any line.
pub(crate) fn assert_no_key_material(text: &str, pem: &str) {
    assert!(!text.contains("BEGIN"), "output mentions BEGIN: {text}");
    for line in pem.lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with("-----") || line.contains(':') {
            continue;
        }
        assert!(!text.contains(line), "output contains a key line: {text}");
        for window in line.as_bytes().windows(16) {
            let window = std::str::from_utf8(window).expect("base64 is ASCII");
            assert!(
                !text.contains(window),
                "output contains key material {window:?}: {text}"
            );
        }
    }
}
