//! The workspace's test-only keys: one copy, in `crates/idv-auth/tests/data`.
//!
//! They live beside the key loader's test corpus because `idv-auth` is published with its
//! tests and its documentation examples, which read them: its package must carry them. Every
//! other crate's tests take them from here (this crate is never published). Public on purpose
//! and accepted by no real service (see the `README.md` in that folder).

use std::path::PathBuf;

/// The test key, PKCS#1 PEM (`BEGIN RSA PRIVATE KEY`): the key of the signing vectors.
pub const TEST_KEY: &str = include_str!("../../idv-auth/tests/data/test-key.pem");
/// The same key as PKCS#8 PEM (`BEGIN PRIVATE KEY`).
pub const TEST_KEY_PKCS8: &str = include_str!("../../idv-auth/tests/data/test-key.pkcs8.pem");
/// The public key of [`TEST_KEY`], SPKI PEM (`BEGIN PUBLIC KEY`).
pub const TEST_PUB: &str = include_str!("../../idv-auth/tests/data/test-key.pub.pem");
/// A second RSA key, PKCS#1 PEM: "signed with a key the server does not know".
pub const OTHER_KEY: &str = include_str!("../../idv-auth/tests/data/other-key.pem");
/// The public key of [`OTHER_KEY`], SPKI PEM.
pub const OTHER_PUB: &str = include_str!("../../idv-auth/tests/data/other-key.pub.pem");

/// The shared key files: the ones other crates' tests use (the folder also holds the rest of
/// `idv-auth`'s key-error corpus).
pub const FILES: &[&str] = &[
    "test-key.pem",
    "test-key.pkcs8.pem",
    "test-key.pub.pem",
    "other-key.pem",
    "other-key.pub.pem",
    "ec-key.pem",
    "encrypted-pkcs1.pem",
    "encrypted-pkcs8.pem",
];

/// The folder that holds the shared keys.
pub fn dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../idv-auth/tests/data")
}

/// The path of one shared key file, for tests that hand a file to a loader or a command.
///
/// # Panics
///
/// When `name` is not one of [`FILES`]: a test asking for a key that is not shared is a bug.
pub fn path(name: &str) -> PathBuf {
    assert!(FILES.contains(&name), "{name} is not a shared test key");
    dir().join(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_listed_file_exists() {
        for name in FILES {
            assert!(path(name).is_file(), "{name}");
        }
    }

    /// One copy: no crate of the workspace keeps a file with the same bytes as a shared key
    /// under its `tests/` (the fuzz corpus and the examples' demo key are not tests).
    #[test]
    fn no_crate_keeps_its_own_copy_of_a_shared_key() {
        let shared: Vec<(String, Vec<u8>)> = FILES
            .iter()
            .map(|n| {
                (
                    (*n).to_owned(),
                    std::fs::read(path(n)).unwrap_or_else(|e| panic!("{e}")),
                )
            })
            .collect();
        let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("../..")
            .canonicalize()
            .unwrap_or_else(|e| panic!("{e}"));
        let mut copies = Vec::new();
        let mut stack = vec![root.join("crates"), root.join("examples")];
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{e}")) {
                let file = entry.unwrap_or_else(|e| panic!("{e}")).path();
                if file.is_dir() {
                    stack.push(file);
                } else if file.components().any(|c| c.as_os_str() == "tests")
                    && !file.starts_with(dir_canon())
                {
                    let bytes = std::fs::read(&file).unwrap_or_else(|e| panic!("{e}"));
                    if let Some((name, _)) = shared.iter().find(|(_, b)| *b == bytes) {
                        copies.push(format!("{} (a copy of {name})", file.display()));
                    }
                }
            }
        }
        assert!(copies.is_empty(), "copies of shared test keys: {copies:?}");
    }

    fn dir_canon() -> PathBuf {
        dir().canonicalize().unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn the_constants_are_the_files() {
        for (text, name) in [
            (TEST_KEY, "test-key.pem"),
            (TEST_KEY_PKCS8, "test-key.pkcs8.pem"),
            (TEST_PUB, "test-key.pub.pem"),
            (OTHER_KEY, "other-key.pem"),
            (OTHER_PUB, "other-key.pub.pem"),
        ] {
            let file = std::fs::read_to_string(path(name)).unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(text, file, "{name}");
        }
    }
}
