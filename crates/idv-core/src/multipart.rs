//! `multipart/form-data` bodies for image uploads.

use http::HeaderValue;

use crate::error::InvalidInputError;
use crate::request::Body;

/// Builds a one-part `multipart/form-data` body, as the IDV API expects for uploads.
///
/// The boundary is 26 `-` and 24 random hex digits, the shape the official Node SDK uses;
/// a new one is drawn in the (astronomically unlikely) case that it occurs in the content.
///
/// ```
/// let body = idv_core::multipart::form_data("file", "image", "image/jpeg", b"...")?;
/// assert!(body.content_type().to_str()?.starts_with("multipart/form-data; boundary="));
/// assert!(idv_core::multipart::form_data("file", "image", "image/jpeg\r\nX-Evil: 1", b"").is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Errors
///
/// An [`InvalidInputError`] (field `content_type`, `name` or `filename`), before anything is
/// built, when a value would not stay inside its part header: a content type that is empty or
/// holds anything but visible ASCII and spaces (CR, LF, other control characters, non-ASCII),
/// or a part name or filename with a control character, `"` or `\`.
pub fn form_data(
    name: &str,
    filename: &str,
    content_type: &str,
    content: &[u8],
) -> Result<Body, InvalidInputError> {
    check_content_type(content_type)?;
    check_quoted("name", name)?;
    check_quoted("filename", filename)?;
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
    Ok(Body::new(bytes, header))
}

/// A content type is written raw after `Content-Type: `: visible ASCII and spaces only.
fn check_content_type(content_type: &str) -> Result<(), InvalidInputError> {
    if content_type.trim().is_empty() {
        return Err(InvalidInputError::new("content_type", "must not be empty"));
    }
    if content_type
        .bytes()
        .all(|b| b == b' ' || b.is_ascii_graphic())
    {
        Ok(())
    } else {
        Err(InvalidInputError::new(
            "content_type",
            "must be visible ASCII (no CR, LF or other control characters)",
        ))
    }
}

/// A part name or filename is written inside a quoted string: no control characters (CR and
/// LF would end the header), no `"` (would end the string) and no `\` (would escape it).
fn check_quoted(field: &'static str, value: &str) -> Result<(), InvalidInputError> {
    if value
        .chars()
        .any(|c| c.is_control() || c == '"' || c == '\\')
    {
        Err(InvalidInputError::new(
            field,
            "must not contain control characters, `\"` or `\\`",
        ))
    } else {
        Ok(())
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_in_the_content_type_are_refused() {
        for bad in [
            "image/jpeg\r\nX-Injected: 1",
            "image/jpeg\n",
            "image/jpeg\r",
            "image/\0jpeg",
            "image/jpeg\t",
            "image/jpeg\x7f",
            "image/jpég",
            "",
            "  ",
        ] {
            let err = form_data("binary-content", "f", bad, b"img").expect_err(bad);
            assert_eq!(err.field(), "content_type", "{bad:?}");
        }
    }

    #[test]
    fn quotes_and_control_characters_in_names_are_refused() {
        for bad in ["a\"b", "a\r\nb", "a\\b", "a\u{0}b", "a\u{85}b"] {
            let err = form_data(bad, "f", "image/png", b"img").expect_err(bad);
            assert_eq!(err.field(), "name");
            let err = form_data("n", bad, "image/png", b"img").expect_err(bad);
            assert_eq!(err.field(), "filename");
        }
    }

    #[test]
    fn a_good_part_is_framed_as_before() {
        let body = form_data(
            "binary-content",
            "face-capture-image",
            "image/png; q=1",
            b"IMG",
        )
        .expect("valid");
        let text = String::from_utf8(body.bytes().to_vec()).expect("ascii");
        assert!(text.contains(
            "\r\nContent-Disposition: form-data; name=\"binary-content\"; \
             filename=\"face-capture-image\"\r\nContent-Type: image/png; q=1\r\n\r\nIMG\r\n--"
        ));
        assert_eq!(text.matches("\r\n").count(), 6);
    }
}
