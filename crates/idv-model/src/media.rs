//! Media content: bytes plus their MIME type.

use std::fmt;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;

/// The content of a media object (an image, a PDF, a JSON document).
///
/// `Debug` prints the MIME type and the size, never the bytes: media are usually images of
/// a person or their documents.
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Media {
    /// The MIME type without parameters, e.g. `image/jpeg` (empty if the server sent none).
    pub mime_type: String,
    /// The bytes.
    pub content: Vec<u8>,
}

impl Media {
    /// Media of the given type and bytes.
    pub fn new(mime_type: impl Into<String>, content: Vec<u8>) -> Self {
        Self {
            mime_type: mime_type.into(),
            content,
        }
    }

    /// The size in bytes.
    pub fn len(&self) -> usize {
        self.content.len()
    }

    /// Whether there are no bytes.
    pub fn is_empty(&self) -> bool {
        self.content.is_empty()
    }

    /// The bytes as standard base64 with padding (what Node's `getBase64Content` gives),
    /// encoded straight from [`content`](Self::content) into one string of the final size.
    ///
    /// ```
    /// let media = idv_model::Media::new("image/png", b"\x89PNG".to_vec());
    /// assert_eq!(media.to_base64(), "iVBORw==");
    /// ```
    pub fn to_base64(&self) -> String {
        let mut out = String::with_capacity(encoded_len(self.content.len()));
        STANDARD.encode_string(&self.content, &mut out);
        out
    }

    /// The media as a `data:` URL, `data:<mime type>;base64,<bytes as base64>` (what Go,
    /// Java, PHP, .NET and Python give), for an `<img src>` or a JSON field. A MIME type that
    /// is empty or not a plain `type/subtype` becomes `application/octet-stream`. The bytes
    /// are encoded once, straight into the URL.
    ///
    /// ```
    /// let media = idv_model::Media::new("image/png", b"\x89PNG".to_vec());
    /// assert_eq!(media.to_data_url(), "data:image/png;base64,iVBORw==");
    /// ```
    pub fn to_data_url(&self) -> String {
        let mime = if is_plain_mime_type(&self.mime_type) {
            self.mime_type.as_str()
        } else {
            "application/octet-stream"
        };
        let prefix_len = "data:".len() + mime.len() + ";base64,".len();
        let mut out = String::with_capacity(prefix_len + encoded_len(self.content.len()));
        out.push_str("data:");
        out.push_str(mime);
        out.push_str(";base64,");
        STANDARD.encode_string(&self.content, &mut out);
        out
    }
}

/// The length of the padded base64 of `n` bytes (0 if it would not fit, which only costs
/// a reallocation).
fn encoded_len(n: usize) -> usize {
    base64::encoded_len(n, true).unwrap_or(0)
}

/// Whether `s` is `type/subtype` made of RFC 9110 token characters only.
fn is_plain_mime_type(s: &str) -> bool {
    let token = |t: &str| {
        !t.is_empty()
            && t.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
    };
    matches!(s.split_once('/'), Some((ty, sub)) if token(ty) && token(sub))
}

impl fmt::Debug for Media {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Media")
            .field("mime_type", &self.mime_type)
            .field("len", &self.content.len())
            .finish()
    }
}
