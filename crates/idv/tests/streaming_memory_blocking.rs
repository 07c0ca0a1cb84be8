//! A 64 MiB media download through the blocking streaming API keeps memory flat.
//!
//! One test in its own process (integration test binary), so that the peak RSS it reads is
//! its own.

#![allow(clippy::unwrap_used)]

// The helpers of the `it` binary, shared by path.
#[path = "it/support.rs"]
mod support;

use std::io::Read;

use idv::{ClientBuilder, PrivateKey};

const SIZE: u64 = 64 * 1024 * 1024;

#[test]
fn streaming_a_64_mib_media_stays_under_16_mib_above_the_start() {
    let base = support::big_media_server(SIZE);
    let config = ClientBuilder::new()
        .sdk_id("sdk")
        .key(PrivateKey::from_pem(support::KEY).unwrap())
        .base_url(&base)
        // even a buffered limit far below the media size does not matter when streaming
        .max_media_bytes(1024 * 1024);
    let client = config.build_blocking().unwrap();

    let before = support::peak_rss();
    let mut media = client
        .get_media_content_reader(&"s".into(), &"m".into())
        .unwrap()
        .unwrap();
    assert_eq!(media.mime_type(), "image/jpeg");
    assert_eq!(media.content_length(), Some(SIZE));
    let mut buf = vec![0u8; 64 * 1024];
    let mut total = 0u64;
    let mut check = 0u64;
    loop {
        let n = media.read(&mut buf).unwrap();
        if n == 0 {
            break;
        }
        for (i, b) in buf[..n].iter().enumerate() {
            check += u64::from(*b == (((total + i as u64) % (64 * 1024)) % 251) as u8);
        }
        total += n as u64;
    }
    let grown = support::peak_rss().saturating_sub(before);
    assert_eq!(total, SIZE);
    assert_eq!(check, SIZE, "the bytes arrive in order");
    assert!(
        grown < 16 * 1024 * 1024,
        "peak RSS grew by {} MiB",
        grown / (1024 * 1024)
    );
    eprintln!("peak RSS grew by {} KiB", grown / 1024);

    // The buffered call refuses the same media with a limit error, not an out-of-memory.
    let err = client
        .get_media_content(&"s".into(), &"m".into())
        .unwrap_err();
    assert!(
        matches!(&err, idv::Error::Transport(e) if e.kind() == idv::TransportErrorKind::BodyTooLarge),
        "{err:?}"
    );
}
