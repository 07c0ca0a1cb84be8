//! Media: stored content, `multipart/form-data` parsing for uploads, image sniffing.
//!
//! The multipart parser is a small one written for this emulator (RFC 7578 / RFC 2046): the
//! body has to be read as raw bytes anyway, because the signature covers the exact bytes.

use std::time::SystemTime;

use axum::body::Bytes;

use crate::error::ApiError;

/// The image the sandbox agent uses for a liveness capture when the caller gives none:
/// a 32x32 JPEG of a cartoon face.
pub(crate) const DEFAULT_LIVENESS_JPEG: &[u8] = include_bytes!("../assets/liveness.jpg");

/// Largest face-capture or client image upload the emulator accepts (10 MiB). The docs
/// give no limit for IDV; 10 MiB is far above any camera selfie or document photo.
pub(crate) const MAX_IMAGE_BYTES: usize = 10 * 1024 * 1024;

/// Placeholder content of a ZOOM facemap (media type `BINARY`).
pub(crate) const DEFAULT_FACEMAP: &[u8] = b"idv-emulator facemap placeholder";

/// A stored media object of a session.
#[derive(Debug, Clone)]
pub(crate) struct Media {
    /// Media type as the API reports it: `IMAGE`, `BINARY`, `JSON`.
    pub(crate) kind: &'static str,
    /// The `Content-Type` returned with the content.
    pub(crate) content_type: &'static str,
    /// `None` once the content has been deleted.
    pub(crate) content: Option<Bytes>,
    pub(crate) created: SystemTime,
    pub(crate) last_updated: SystemTime,
}

impl Media {
    pub(crate) fn new(
        kind: &'static str,
        content_type: &'static str,
        content: Bytes,
        now: SystemTime,
    ) -> Self {
        Self {
            kind,
            content_type,
            content: Some(content),
            created: now,
            last_updated: now,
        }
    }
}

/// An image format the API accepts for face-capture uploads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ImageType {
    Jpeg,
    Png,
}

impl ImageType {
    /// The canonical MIME type (`image/jpg` is stored and served as `image/jpeg`).
    pub(crate) fn mime(self) -> &'static str {
        match self {
            Self::Jpeg => "image/jpeg",
            Self::Png => "image/png",
        }
    }

    /// Reads a declared part content type; accepts `image/jpeg`, `image/jpg` (Node's label)
    /// and `image/png`, case-insensitively and with parameters ignored.
    pub(crate) fn from_mime(mime: &str) -> Option<Self> {
        let essence = mime.split(';').next().unwrap_or("").trim();
        if essence.eq_ignore_ascii_case("image/jpeg") || essence.eq_ignore_ascii_case("image/jpg") {
            Some(Self::Jpeg)
        } else if essence.eq_ignore_ascii_case("image/png") {
            Some(Self::Png)
        } else {
            None
        }
    }

    /// Recognises the content from its magic bytes.
    pub(crate) fn sniff(bytes: &[u8]) -> Option<Self> {
        if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
            Some(Self::Jpeg)
        } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
            Some(Self::Png)
        } else {
            None
        }
    }
}

/// Checks image bytes whose type nobody declared (a base64 `face.data`): at most
/// [`MAX_IMAGE_BYTES`] (413 naming `property`), non-empty, and a JPEG or PNG by its magic
/// bytes (400 `PAYLOAD_VALIDATION` naming `property`).
pub(crate) fn sniff_image(property: &str, data: &[u8]) -> Result<ImageType, ApiError> {
    if data.len() > MAX_IMAGE_BYTES {
        return Err(ApiError::too_large(property, MAX_IMAGE_BYTES));
    }
    if data.is_empty() {
        return Err(ApiError::invalid(property, "must not be empty"));
    }
    ImageType::sniff(data).ok_or_else(|| ApiError::invalid(property, "must be a JPEG or PNG image"))
}

/// One part of a `multipart/form-data` body.
#[derive(Debug, Clone)]
pub(crate) struct Part {
    pub(crate) name: Option<String>,
    pub(crate) filename: Option<String>,
    pub(crate) content_type: Option<String>,
    pub(crate) data: Bytes,
}

/// Why a multipart body could not be read. The texts are safe to return to the client.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum MultipartError {
    NotMultipart,
    MissingBoundary,
    NoOpeningDelimiter,
    Truncated,
    BadPartHeaders,
}

impl MultipartError {
    pub(crate) fn message(self) -> &'static str {
        match self {
            Self::NotMultipart => "Content-Type must be multipart/form-data",
            Self::MissingBoundary => "multipart Content-Type has no boundary parameter",
            Self::NoOpeningDelimiter => "multipart body does not start with the boundary",
            Self::Truncated => "multipart body ends without the closing boundary",
            Self::BadPartHeaders => "multipart part headers cannot be read",
        }
    }
}

/// Takes the boundary from a `multipart/form-data; boundary=...` header value.
pub(crate) fn boundary(content_type: &str) -> Result<String, MultipartError> {
    let mut params = split_params(content_type).into_iter();
    let essence = params.next().unwrap_or_default();
    if !essence.trim().eq_ignore_ascii_case("multipart/form-data") {
        return Err(MultipartError::NotMultipart);
    }
    params
        .filter_map(|p| parse_param(&p))
        .find(|(name, _)| name.eq_ignore_ascii_case("boundary"))
        .map(|(_, value)| value)
        .filter(|b| !b.is_empty() && b.len() <= 200)
        .ok_or(MultipartError::MissingBoundary)
}

/// Splits a multipart body into its parts.
pub(crate) fn parse_multipart(body: &Bytes, boundary: &str) -> Result<Vec<Part>, MultipartError> {
    let delimiter = format!("--{boundary}");
    let delimiter = delimiter.as_bytes();
    let mut crlf_delimiter = b"\r\n".to_vec();
    crlf_delimiter.extend_from_slice(delimiter);

    // The first delimiter is at the very start or after a preamble ending in CRLF.
    let mut pos = if body.starts_with(delimiter) {
        delimiter.len()
    } else {
        find(body, &crlf_delimiter, 0).ok_or(MultipartError::NoOpeningDelimiter)?
            + crlf_delimiter.len()
    };

    let mut parts = Vec::new();
    loop {
        // After a delimiter: `--` closes the body; otherwise optional whitespace, then CRLF.
        if body.get(pos..pos + 2) == Some(b"--") {
            return Ok(parts);
        }
        while matches!(body.get(pos), Some(b' ' | b'\t')) {
            pos += 1;
        }
        if body.get(pos..pos + 2) != Some(b"\r\n") {
            return Err(MultipartError::Truncated);
        }
        pos += 2;

        let (headers_end, content_start) = if body.get(pos..pos + 2) == Some(b"\r\n") {
            (pos, pos + 2)
        } else {
            let end = find(body, b"\r\n\r\n", pos).ok_or(MultipartError::Truncated)?;
            (end, end + 4)
        };
        let headers = std::str::from_utf8(&body[pos..headers_end])
            .map_err(|_| MultipartError::BadPartHeaders)?;
        let content_end =
            find(body, &crlf_delimiter, content_start).ok_or(MultipartError::Truncated)?;

        let mut part = Part {
            name: None,
            filename: None,
            content_type: None,
            data: body.slice(content_start..content_end),
        };
        for line in headers.split("\r\n").filter(|l| !l.is_empty()) {
            let (name, value) = line.split_once(':').ok_or(MultipartError::BadPartHeaders)?;
            let value = value.trim();
            if name.trim().eq_ignore_ascii_case("content-disposition") {
                let mut params = split_params(value).into_iter();
                if !params
                    .next()
                    .is_some_and(|d| d.trim().eq_ignore_ascii_case("form-data"))
                {
                    return Err(MultipartError::BadPartHeaders);
                }
                for (key, val) in params.filter_map(|p| parse_param(&p)) {
                    if key.eq_ignore_ascii_case("name") {
                        part.name = Some(val);
                    } else if key.eq_ignore_ascii_case("filename") {
                        part.filename = Some(val);
                    }
                }
            } else if name.trim().eq_ignore_ascii_case("content-type") {
                part.content_type = Some(value.to_owned());
            }
        }
        parts.push(part);
        pos = content_end + crlf_delimiter.len();
    }
}

fn find(haystack: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    if needle.is_empty() || from > haystack.len() {
        return None;
    }
    haystack[from..]
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|p| p + from)
}

/// Splits a header value on `;`, keeping quoted strings (which may contain `;`) intact.
fn split_params(value: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut in_quotes = false;
    let mut escaped = false;
    for c in value.chars() {
        if escaped {
            current.push(c);
            escaped = false;
            continue;
        }
        match c {
            '\\' if in_quotes => {
                current.push(c);
                escaped = true;
            }
            '"' => {
                in_quotes = !in_quotes;
                current.push(c);
            }
            ';' if !in_quotes => out.push(std::mem::take(&mut current)),
            _ => current.push(c),
        }
    }
    out.push(current);
    out
}

/// Parses `name=value` or `name="quoted \" value"`.
fn parse_param(param: &str) -> Option<(String, String)> {
    let (name, value) = param.split_once('=')?;
    let name = name.trim().to_owned();
    let value = value.trim();
    let value = match value.strip_prefix('"').and_then(|v| v.strip_suffix('"')) {
        Some(inner) => {
            let mut out = String::with_capacity(inner.len());
            let mut chars = inner.chars();
            while let Some(c) = chars.next() {
                if c == '\\' {
                    if let Some(next) = chars.next() {
                        out.push(next);
                    }
                } else {
                    out.push(c);
                }
            }
            out
        }
        None => value.to_owned(),
    };
    Some((name, value))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(boundary: &str, parts: &[(&str, &[u8])]) -> Bytes {
        let mut out = Vec::new();
        for (headers, data) in parts {
            out.extend_from_slice(format!("--{boundary}\r\n{headers}\r\n\r\n").as_bytes());
            out.extend_from_slice(data);
            out.extend_from_slice(b"\r\n");
        }
        out.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
        Bytes::from(out)
    }

    #[test]
    fn boundary_from_header() {
        assert_eq!(
            boundary("multipart/form-data; boundary=----abc").as_deref(),
            Ok("----abc")
        );
        assert_eq!(
            boundary("Multipart/Form-Data; charset=utf-8; boundary=\"a;b c\"").as_deref(),
            Ok("a;b c")
        );
        assert_eq!(
            boundary("application/json"),
            Err(MultipartError::NotMultipart)
        );
        assert_eq!(
            boundary("multipart/form-data"),
            Err(MultipartError::MissingBoundary)
        );
    }

    #[test]
    fn parses_node_style_body() {
        let data: &[u8] = b"\xFF\xD8\xFF\xE0binary\r\n--not-the-boundary\r\n";
        let b = "--------------------------4093c46961c1ba2bdc76b7ae";
        let raw = body(
            b,
            &[(
                "Content-Disposition: form-data; name=\"binary-content\"; filename=\"face-capture-image\"\r\nContent-Type: image/jpg",
                data,
            )],
        );
        let parts = parse_multipart(&raw, b).expect("parse");
        assert_eq!(parts.len(), 1);
        assert_eq!(parts[0].name.as_deref(), Some("binary-content"));
        assert_eq!(parts[0].filename.as_deref(), Some("face-capture-image"));
        assert_eq!(parts[0].content_type.as_deref(), Some("image/jpg"));
        assert_eq!(&parts[0].data[..], data);
    }

    #[test]
    fn parses_several_parts_and_preamble() {
        let mut raw = b"preamble text\r\n".to_vec();
        raw.extend_from_slice(&body(
            "XyZ",
            &[
                ("Content-Disposition: form-data; name=\"a\"", b"one"),
                ("content-disposition: form-data; name=b", b""),
            ],
        ));
        let parts = parse_multipart(&Bytes::from(raw), "XyZ").expect("parse");
        assert_eq!(parts.len(), 2);
        assert_eq!(parts[0].name.as_deref(), Some("a"));
        assert_eq!(&parts[0].data[..], b"one");
        assert_eq!(parts[1].name.as_deref(), Some("b"));
        assert!(parts[1].data.is_empty());
        assert_eq!(parts[1].content_type, None);
    }

    #[test]
    fn rejects_broken_bodies() {
        let ok = body("B", &[("Content-Disposition: form-data; name=\"a\"", b"x")]);
        let truncated = ok.slice(..ok.len() - 8);
        assert_eq!(
            parse_multipart(&truncated, "B").err(),
            Some(MultipartError::Truncated)
        );
        assert_eq!(
            parse_multipart(&ok, "other").err(),
            Some(MultipartError::NoOpeningDelimiter)
        );
        let bad_header = body("B", &[("no colon here", b"x")]);
        assert_eq!(
            parse_multipart(&bad_header, "B").err(),
            Some(MultipartError::BadPartHeaders)
        );
    }

    #[test]
    fn image_types() {
        assert_eq!(ImageType::from_mime("image/jpg"), Some(ImageType::Jpeg));
        assert_eq!(
            ImageType::from_mime("IMAGE/JPEG; q=1"),
            Some(ImageType::Jpeg)
        );
        assert_eq!(ImageType::from_mime("image/png"), Some(ImageType::Png));
        assert_eq!(ImageType::from_mime("image/gif"), None);
        assert_eq!(
            ImageType::sniff(DEFAULT_LIVENESS_JPEG),
            Some(ImageType::Jpeg)
        );
        assert_eq!(
            ImageType::sniff(b"\x89PNG\r\n\x1a\nrest"),
            Some(ImageType::Png)
        );
        assert_eq!(ImageType::sniff(b"GIF89a"), None);
    }
}
