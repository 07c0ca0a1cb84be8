//! Issue 14, section 3: media as base64 and as a `data:` URL.

use idv_model::Media;

#[test]
fn base64_is_standard_with_padding() {
    // RFC 4648 section 10 test vectors.
    for (bytes, b64) in [
        (&b""[..], ""),
        (b"f", "Zg=="),
        (b"fo", "Zm8="),
        (b"foo", "Zm9v"),
        (b"foob", "Zm9vYg=="),
        (b"fooba", "Zm9vYmE="),
        (b"foobar", "Zm9vYmFy"),
    ] {
        assert_eq!(Media::new("text/plain", bytes.to_vec()).to_base64(), b64);
    }
    // Bytes that differ between the standard and the URL-safe alphabets.
    assert_eq!(
        Media::new("image/png", vec![0xfb, 0xff, 0xbf]).to_base64(),
        "+/+/"
    );
}

#[test]
fn data_url_carries_the_mime_type() {
    let media = Media::new("image/jpeg", vec![0xff, 0xd8, 0xff, 0xe0]);
    assert_eq!(media.to_data_url(), "data:image/jpeg;base64,/9j/4A==");
    let json = Media::new("application/json", br#"{"a":1}"#.to_vec());
    assert_eq!(
        json.to_data_url(),
        "data:application/json;base64,eyJhIjoxfQ=="
    );
    // Empty bytes still make a valid URL.
    assert_eq!(
        Media::new("image/png", Vec::new()).to_data_url(),
        "data:image/png;base64,"
    );
}

#[test]
fn a_missing_or_odd_mime_type_becomes_octet_stream() {
    for odd in [
        "",
        "image",
        "image/",
        "/png",
        "image/png;charset=x",
        "image/png,<script>",
        "image/p ng",
        "a/b/c",
        "imägé/png",
    ] {
        assert_eq!(
            Media::new(odd, b"f".to_vec()).to_data_url(),
            "data:application/octet-stream;base64,Zg==",
            "{odd:?}"
        );
    }
    assert_eq!(
        Media::new("application/vnd.yoti+json", b"f".to_vec()).to_data_url(),
        "data:application/vnd.yoti+json;base64,Zg=="
    );
}

#[test]
fn the_encoding_is_allocated_once_at_its_final_size() {
    let media = Media::new("image/jpeg", vec![7; 100_001]);
    let b64 = media.to_base64();
    assert_eq!(b64.len(), 133_336);
    assert_eq!(b64.capacity(), b64.len());
    let url = media.to_data_url();
    assert_eq!(url.len(), "data:image/jpeg;base64,".len() + 133_336);
    assert_eq!(url.capacity(), url.len());
}
