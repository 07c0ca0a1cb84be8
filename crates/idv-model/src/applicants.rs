//! Applicants, their faces and pools (Yoti's Face Search API): `POST /applicants`,
//! `POST /applicants/{id}/faces`, `GET /applicants/{id}`, `GET /applicants/{id}/faces/{face_id}`,
//! `POST /pools`, `POST /pools/{id}/applicants`, and the attach payload of
//! `PUT /sessions/{id}/resources/face-capture/{resource_id}/applicant`.
//!
//! No official Yoti SDK models these. Where Yoti's documentation is silent the choices are
//! written once, in the `applicants` tag of `spec/idv-openapi.json`.
//!
//! A face is either an image you hold or a media of an earlier session:
//!
//! ```
//! use idv_model::{AddFacePayload, FacePayload};
//!
//! let inline = AddFacePayload::new(FacePayload::image(vec![0xFF, 0xD8, 0xFF, 0xE0]));
//! assert_eq!(
//!     serde_json::to_string(&inline).unwrap(),
//!     r#"{"face":{"data":"/9j/4A=="}}"#
//! );
//! assert!(!format!("{inline:?}").contains("/9j/"));
//!
//! let captured = AddFacePayload::new(FacePayload::session_media("s-1".into(), "m-1".into()));
//! assert_eq!(
//!     serde_json::to_string(&captured).unwrap(),
//!     r#"{"face":{"source":{"session_id":"s-1","media_id":"m-1"}}}"#
//! );
//! ```

use std::fmt;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

pub use crate::generated::applicants::*;
use crate::{MediaId, SessionId};

/// The bytes of a face image (JPEG or PNG), standard base64 on the wire.
///
/// A face is personal data: `Debug` prints only its size, and there is no `Display`.
#[derive(Clone, PartialEq, Eq, Default)]
pub struct FaceImageData(Vec<u8>);

impl FaceImageData {
    /// Wraps image bytes.
    pub fn new(bytes: impl Into<Vec<u8>>) -> Self {
        Self(bytes.into())
    }

    /// The image bytes.
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }

    /// The image bytes, owned.
    pub fn into_bytes(self) -> Vec<u8> {
        self.0
    }

    /// The number of bytes.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether there are no bytes.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl From<Vec<u8>> for FaceImageData {
    fn from(bytes: Vec<u8>) -> Self {
        Self(bytes)
    }
}

impl From<&[u8]> for FaceImageData {
    fn from(bytes: &[u8]) -> Self {
        Self(bytes.to_vec())
    }
}

impl fmt::Debug for FaceImageData {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "FaceImageData(<{} bytes>)", self.0.len())
    }
}

impl Serialize for FaceImageData {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&STANDARD.encode(&self.0))
    }
}

impl<'de> Deserialize<'de> for FaceImageData {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = std::borrow::Cow::<'de, str>::deserialize(d)?;
        STANDARD
            .decode(text.as_bytes())
            .map(Self)
            .map_err(|_| serde::de::Error::custom("the face image is not standard base64"))
    }
}

impl FacePayload {
    /// A face image you hold (JPEG or PNG bytes), sent inline as base64.
    pub fn image(bytes: impl Into<Vec<u8>>) -> Self {
        Self::new().with_data(FaceImageData::new(bytes))
    }

    /// A face Yoti captured in an earlier session of this application: the session and the
    /// media id of the image (for example a liveness selfie).
    pub fn session_media(session_id: SessionId, media_id: MediaId) -> Self {
        Self::new().with_source(FaceSource::new(session_id, media_id))
    }
}

impl CreateApplicantPayload {
    /// An applicant created with a first face.
    pub fn with_first_face(face: FacePayload) -> Self {
        Self::new().with_face(face)
    }
}
