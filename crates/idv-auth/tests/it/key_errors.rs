//! Every way loading a key can fail: the specific `KeyError` variant, a clear
//! message, and never any key material in the message. These run in every
//! feature combination (format problems are found before a backend is used).

use crate::common;

use std::io;

use idv_auth::{Backend, KeyError, PrivateKey, PublicKey};

use common::{assert_no_key_material, data, data_path, data_str};

/// Loads `input` through the default path and through every backend; all
/// must give the same kind of error, which is returned (from the default path).
fn load_err(input: &[u8]) -> KeyError {
    for &backend in Backend::available() {
        let err = PrivateKey::from_pem_with_backend(input, backend)
            .expect_err("must not load with an explicit backend");
        let default = PrivateKey::from_pem_bytes(input).expect_err("must not load");
        assert_eq!(
            std::mem::discriminant(&err),
            std::mem::discriminant(&default),
            "{backend}: {err:?} vs {default:?}"
        );
    }
    let err = PrivateKey::from_pem_bytes(input).expect_err("must not load");
    if let Ok(text) = std::str::from_utf8(input) {
        let via_str = PrivateKey::from_pem(text).expect_err("must not load");
        assert_eq!(via_str.to_string(), err.to_string());
    }
    err
}

/// The Display and Debug of `err` contain nothing from the fixture or the test key.
fn assert_clean(err: &KeyError, fixture_text: &str) {
    for text in [err.to_string(), format!("{err:?}")] {
        assert_no_key_material(&text, fixture_text);
        assert_no_key_material(&text, &data_str("test-key.pem"));
    }
}

#[test]
fn encrypted_pkcs8() {
    let err = load_err(&data("encrypted-pkcs8.pem"));
    assert!(matches!(err, KeyError::Encrypted), "{err:?}");
    let msg = err.to_string();
    assert!(msg.contains("encrypted with a passphrase"), "{msg}");
    assert_clean(&err, &data_str("encrypted-pkcs8.pem"));
}

#[test]
fn encrypted_legacy_pkcs1() {
    let fixture = data_str("encrypted-pkcs1.pem");
    assert!(fixture.contains("Proc-Type: 4,ENCRYPTED"));
    let err = load_err(fixture.as_bytes());
    assert!(matches!(err, KeyError::Encrypted), "{err:?}");
    assert!(err.to_string().contains("not supported"));
    assert_clean(&err, &fixture);
}

#[test]
fn ec_key_sec1() {
    let err = load_err(&data("ec-key.pem"));
    match &err {
        KeyError::NotRsa { label } => assert_eq!(label, "EC PRIVATE KEY"),
        other => panic!("expected NotRsa, got {other:?}"),
    }
    let msg = err.to_string();
    assert!(
        msg.contains("not an RSA key") && msg.contains("EC PRIVATE KEY"),
        "{msg}"
    );
    assert_clean(&err, &data_str("ec-key.pem"));
}

#[test]
fn ec_key_pkcs8() {
    let err = load_err(&data("ec-key.pkcs8.pem"));
    match &err {
        KeyError::NotRsa { label } => assert_eq!(label, "EC (1.2.840.10045.2.1)"),
        other => panic!("expected NotRsa, got {other:?}"),
    }
    assert!(err.to_string().contains("not an RSA key (found EC"));
    assert_clean(&err, &data_str("ec-key.pkcs8.pem"));
}

#[test]
fn ed25519_key_pkcs8() {
    let err = load_err(&data("ed25519-key.pkcs8.pem"));
    match &err {
        KeyError::NotRsa { label } => assert!(label.starts_with("Ed25519"), "{label}"),
        other => panic!("expected NotRsa, got {other:?}"),
    }
}

#[test]
fn garbage_bytes() {
    let err = load_err(&data("garbage.bin"));
    assert!(matches!(err, KeyError::NotPem), "{err:?}");
    assert!(err.to_string().contains("no PEM block found"));

    let err = load_err(b"this is not a key");
    assert!(matches!(err, KeyError::NotPem), "{err:?}");
}

#[test]
fn empty_file() {
    let err = PrivateKey::from_pem_file(data_path("empty.pem")).expect_err("empty");
    assert!(matches!(err, KeyError::Empty), "{err:?}");
    assert!(err.to_string().contains("the key is empty"));
    assert!(matches!(load_err(b""), KeyError::Empty));
}

#[test]
fn whitespace_only() {
    let err = load_err(b"  \n\t\r\n  ");
    assert!(matches!(err, KeyError::Empty), "{err:?}");
    let err = PrivateKey::from_pem_file(data_path("whitespace.pem")).expect_err("blank");
    assert!(matches!(err, KeyError::Empty), "{err:?}");
    assert!(matches!(PublicKey::from_pem("\n \n"), Err(KeyError::Empty)));
}

#[test]
fn missing_file() {
    let path = data_path("no-such-key.pem");
    let err = PrivateKey::from_pem_file(&path).expect_err("missing");
    match &err {
        KeyError::Io { path: p, source } => {
            assert_eq!(p, &path);
            assert_eq!(source.kind(), io::ErrorKind::NotFound);
        }
        other => panic!("expected Io, got {other:?}"),
    }
    let msg = err.to_string();
    assert!(msg.starts_with("key file not found: "), "{msg}");
    assert!(msg.contains(&path.display().to_string()), "{msg}");
    assert!(std::error::Error::source(&err).is_some());
}

#[test]
fn unreadable_path_is_io_with_a_different_message() {
    // A directory cannot be read as a file.
    let dir = data_path("");
    let err = PrivateKey::from_pem_file(&dir).expect_err("a directory");
    assert!(matches!(err, KeyError::Io { .. }), "{err:?}");
    let msg = err.to_string();
    assert!(!msg.contains("not found"), "{msg}");
    assert!(msg.contains(&dir.display().to_string()), "{msg}");
}

#[test]
fn certificate_given_as_private_key() {
    let err = load_err(&data("certificate.pem"));
    match &err {
        KeyError::UnsupportedPemLabel { label } => assert_eq!(label, "CERTIFICATE"),
        other => panic!("expected UnsupportedPemLabel, got {other:?}"),
    }
    let msg = err.to_string();
    assert!(msg.contains("not a private key"), "{msg}");
    assert_clean(&err, &data_str("certificate.pem"));
}

#[test]
fn public_keys_given_as_private_key() {
    for (file, label) in [
        ("test-key.pub.pem", "PUBLIC KEY"),
        ("test-key.rsapub.pem", "RSA PUBLIC KEY"),
    ] {
        let err = load_err(&data(file));
        match &err {
            KeyError::UnsupportedPemLabel { label: l } => assert_eq!(l, label),
            other => panic!("expected UnsupportedPemLabel, got {other:?}"),
        }
        assert!(err.to_string().contains(&format!("\"{label}\"")));
        assert_clean(&err, &data_str(file));
    }
}

#[test]
fn private_key_given_as_public_key() {
    let err = PublicKey::from_pem(&data_str("test-key.pem")).expect_err("not a public key");
    match &err {
        KeyError::UnsupportedPemLabel { label } => assert_eq!(label, "RSA PRIVATE KEY"),
        other => panic!("expected UnsupportedPemLabel, got {other:?}"),
    }
    assert_clean(&err, &data_str("test-key.pem"));
}

#[test]
fn valid_label_broken_base64() {
    let fixture = data_str("broken-base64.pem");
    let err = load_err(fixture.as_bytes());
    match &err {
        KeyError::Malformed { reason } => assert!(reason.contains("base64"), "{reason}"),
        other => panic!("expected Malformed, got {other:?}"),
    }
    assert!(err.to_string().starts_with("the key is malformed"));
    assert_clean(&err, &fixture);
}

#[test]
fn valid_label_broken_der() {
    let fixture = data_str("broken-der.pem");
    let err = load_err(fixture.as_bytes());
    match &err {
        KeyError::Malformed { reason } => assert!(reason.contains("DER"), "{reason}"),
        other => panic!("expected Malformed, got {other:?}"),
    }
    assert_clean(&err, &fixture);

    // A PKCS#8 label around PKCS#1 contents.
    let swapped = data_str("test-key.pem").replace("RSA PRIVATE KEY", "PRIVATE KEY");
    let err = load_err(swapped.as_bytes());
    assert!(matches!(err, KeyError::Malformed { .. }), "{err:?}");
    assert_clean(&err, &swapped);
}

#[test]
fn missing_end_line() {
    let pem = data_str("test-key.pem");
    let cut = pem.replace("-----END RSA PRIVATE KEY-----", "");
    let err = load_err(cut.as_bytes());
    match &err {
        KeyError::Malformed { reason } => assert!(reason.contains("no END line"), "{reason}"),
        other => panic!("expected Malformed, got {other:?}"),
    }
    assert_clean(&err, &pem);
}

#[test]
fn too_small_key() {
    let err = load_err(&data("rsa-1024.pem"));
    assert!(
        matches!(err, KeyError::UnsupportedKeySize { bits: 1024 }),
        "{err:?}"
    );
    assert!(err.to_string().contains("1024 bits"));
}

#[test]
fn every_message_is_distinct() {
    let errors = [
        load_err(b""),
        load_err(b"garbage"),
        load_err(&data("encrypted-pkcs8.pem")),
        load_err(&data("ec-key.pem")),
        load_err(&data("certificate.pem")),
        load_err(&data("broken-der.pem")),
        load_err(&data("rsa-1024.pem")),
        PrivateKey::from_pem_file(data_path("no-such-key.pem")).expect_err("missing"),
    ];
    let messages: std::collections::HashSet<String> =
        errors.iter().map(ToString::to_string).collect();
    assert_eq!(messages.len(), errors.len());
}

#[cfg(not(any(feature = "rust-crypto", feature = "aws-lc-rs")))]
#[test]
fn no_backend_is_reported() {
    assert_eq!(Backend::default_backend(), None);
    assert!(Backend::available().is_empty());
    for file in ["test-key.pem", "test-key.pkcs8.pem"] {
        let err = PrivateKey::from_pem(&data_str(file)).expect_err("no backend");
        assert!(matches!(err, KeyError::NoBackend), "{err:?}");
        assert!(
            err.to_string().contains("no signing backend is enabled"),
            "{err}"
        );
    }
    let err = PrivateKey::from_pem_file(data_path("test-key.pem")).expect_err("no backend");
    assert!(matches!(err, KeyError::NoBackend), "{err:?}");
    let err = PublicKey::from_pem(&data_str("test-key.pub.pem")).expect_err("no backend");
    assert!(matches!(err, KeyError::NoBackend), "{err:?}");
}
