//! Media content: bytes plus their MIME type.

use std::fmt;

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
}

impl fmt::Debug for Media {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Media")
            .field("mime_type", &self.mime_type)
            .field("len", &self.content.len())
            .finish()
    }
}
