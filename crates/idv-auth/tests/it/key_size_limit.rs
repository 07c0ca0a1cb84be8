//! Key loading reads a bounded amount, from files and pipes alike, and junk input does not
//! make the PEM handling allocate in proportion to it.

// Test helpers: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used)]

use crate::common;

use std::time::{Duration, Instant};

use common::{data, data_path};
use idv_auth::{KeyError, MAX_KEY_BYTES, PrivateKey, PublicKey};

fn assert_too_large(err: &KeyError) {
    match err {
        KeyError::TooLarge { limit } => assert_eq!(*limit, MAX_KEY_BYTES),
        other => panic!("expected TooLarge, got {other:?}"),
    }
    assert!(err.to_string().contains("larger than 65536 bytes"), "{err}");
}

#[cfg(unix)]
#[test]
fn dev_zero_is_too_large_quickly() {
    let started = Instant::now();
    let err = PrivateKey::from_pem_file("/dev/zero").unwrap_err();
    assert_too_large(&err);
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
}

/// A FIFO fed by a writer that never stops: reading ends at the limit.
#[cfg(unix)]
#[test]
fn an_endless_pipe_is_too_large_quickly() {
    use std::io::Write as _;

    let dir = std::env::temp_dir().join(format!("idv-auth-fifo-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let fifo = dir.join("key.pem");
    let _ = std::fs::remove_file(&fifo);
    let status = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(status.success());
    let writer_path = fifo.clone();
    let writer = std::thread::spawn(move || {
        let mut pipe = std::fs::OpenOptions::new()
            .write(true)
            .open(&writer_path)
            .unwrap();
        let line = [b'A'; 4096];
        // Writes until the reader goes away (a broken pipe ends the loop).
        while pipe.write_all(&line).is_ok() {}
    });
    let started = Instant::now();
    let err = PrivateKey::from_pem_file(&fifo).unwrap_err();
    assert_too_large(&err);
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
    writer.join().unwrap();
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn in_memory_input_over_the_limit_is_refused_before_parsing() {
    // 20 MB of newlines: one line each, the worst case for a per-line index.
    let junk = vec![b'\n'; 20 * 1024 * 1024];
    assert_too_large(&PrivateKey::from_pem_bytes(&junk).unwrap_err());
    let text = String::from_utf8(junk).unwrap();
    assert_too_large(&PublicKey::from_pem(&text).unwrap_err());
}

#[test]
fn a_key_with_text_around_it_up_to_the_limit_still_loads() {
    let key = data("test-key.pem");
    let mut padded = vec![b'#'; MAX_KEY_BYTES - key.len() - 1];
    padded.push(b'\n');
    padded.extend_from_slice(&key);
    assert_eq!(padded.len(), MAX_KEY_BYTES);
    let dir = std::env::temp_dir().join(format!("idv-auth-padded-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("key.pem");
    std::fs::write(&path, &padded).unwrap();
    assert_eq!(PrivateKey::from_pem_file(&path).unwrap().bits(), 2048);
    padded.insert(0, b'#');
    std::fs::write(&path, &padded).unwrap();
    assert_too_large(&PrivateKey::from_pem_file(&path).unwrap_err());
    std::fs::remove_dir_all(&dir).unwrap();
    // The fixture itself still loads from its file.
    PrivateKey::from_pem_file(data_path("test-key.pem")).unwrap();
}
