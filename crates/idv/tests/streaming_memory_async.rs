//! A 64 MiB media download through the async streaming API keeps memory flat.
//!
//! One test in its own process (integration test binary), so that the peak RSS it reads is
//! its own.

#![allow(clippy::unwrap_used)]

// The helpers of the `it` binary, shared by path.
#[path = "it/support.rs"]
mod support;

use idv::{ClientBuilder, PrivateKey};

const SIZE: u64 = 64 * 1024 * 1024;

#[tokio::test]
async fn streaming_a_64_mib_media_stays_under_16_mib_above_the_start() {
    let base = support::big_media_server(SIZE);
    let config = ClientBuilder::new()
        .sdk_id("sdk")
        .key(PrivateKey::from_pem(support::KEY).unwrap())
        .base_url(&base)
        .max_media_bytes(1024 * 1024);
    let client = config.build().unwrap();

    let before = support::peak_rss();
    let mut media = client
        .get_media_content_stream(&"s".into(), &"m".into())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(media.mime_type(), "image/jpeg");
    let mut total = 0u64;
    while let Some(chunk) = media.next_chunk().await {
        total += chunk.unwrap().len() as u64;
    }
    let grown = support::peak_rss().saturating_sub(before);
    assert_eq!(total, SIZE);
    assert!(
        grown < 16 * 1024 * 1024,
        "peak RSS grew by {} MiB",
        grown / (1024 * 1024)
    );
    eprintln!("peak RSS grew by {} KiB", grown / 1024);

    let err = client
        .get_media_content(&"s".into(), &"m".into())
        .await
        .unwrap_err();
    assert!(
        matches!(&err, idv::Error::Transport(e) if e.kind() == idv::TransportErrorKind::BodyTooLarge),
        "{err:?}"
    );
}
