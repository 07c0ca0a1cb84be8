//! `multipart/form-data` bodies for image uploads.

use http::HeaderValue;

use crate::request::Body;

/// Builds a one-part `multipart/form-data` body, as the IDV API expects for uploads.
///
/// The boundary is 26 `-` and 24 random hex digits, the shape the official Node SDK uses;
/// a new one is drawn in the (astronomically unlikely) case that it occurs in the content.
pub fn form_data(name: &str, filename: &str, content_type: &str, content: &[u8]) -> Body {
    let boundary = loop {
        let b = random_boundary();
        if !contains(content, b.as_bytes()) {
            break b;
        }
    };
    let mut bytes = Vec::with_capacity(content.len() + 256);
    bytes.extend_from_slice(b"--");
    bytes.extend_from_slice(boundary.as_bytes());
    bytes.extend_from_slice(b"\r\nContent-Disposition: form-data; name=\"");
    bytes.extend_from_slice(name.as_bytes());
    bytes.extend_from_slice(b"\"; filename=\"");
    bytes.extend_from_slice(filename.as_bytes());
    bytes.extend_from_slice(b"\"\r\nContent-Type: ");
    bytes.extend_from_slice(content_type.as_bytes());
    bytes.extend_from_slice(b"\r\n\r\n");
    bytes.extend_from_slice(content);
    bytes.extend_from_slice(b"\r\n--");
    bytes.extend_from_slice(boundary.as_bytes());
    bytes.extend_from_slice(b"--\r\n");
    let header = format!("multipart/form-data; boundary={boundary}");
    // The boundary is ASCII dashes and hex digits, always a valid header value.
    let header = HeaderValue::from_str(&header)
        .unwrap_or_else(|_| HeaderValue::from_static("multipart/form-data"));
    Body::new(bytes, header)
}

fn random_boundary() -> String {
    let mut raw = [0u8; 12];
    if getrandom::fill(&mut raw).is_err() {
        // No OS randomness: fall back to the clock; uniqueness within the body is all that
        // matters here, and it is checked by the caller.
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0);
        raw.copy_from_slice(&nanos.to_le_bytes()[..12]);
    }
    let mut s = String::with_capacity(50);
    s.push_str("--------------------------");
    for b in raw {
        s.push(char::from(b"0123456789abcdef"[usize::from(b >> 4)]));
        s.push(char::from(b"0123456789abcdef"[usize::from(b & 15)]));
    }
    s
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}
