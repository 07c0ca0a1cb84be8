//! Session configuration (`GET /sessions/{id}/configuration`) and face-capture resources.

use serde::{Deserialize, Serialize};

use crate::open_enum::open_enum;

/// A session's configuration: what it checks and what the user must capture.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct SessionConfiguration {
    /// The session id.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub session_id: String,
    /// Seconds left for the user.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub client_session_token_ttl: u64,
    /// The requested check types.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub requested_checks: Vec<crate::session::CheckType>,
    /// What must be captured.
    #[serde(default)]
    pub capture: Option<Capture>,
}

impl SessionConfiguration {
    /// The face-capture requirements (for the reference image of a face comparison).
    pub fn face_capture_requirements(&self) -> impl Iterator<Item = &RequiredResource> + '_ {
        self.required_resources()
            .filter(|r| r.resource_type == RequiredResourceType::FaceCapture)
    }

    /// Every required resource.
    pub fn required_resources(&self) -> impl Iterator<Item = &RequiredResource> + '_ {
        self.capture
            .iter()
            .flat_map(|c| c.required_resources.iter())
    }
}

/// What the user must capture.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct Capture {
    /// `REQUIRED`, `NOT_REQUIRED`, ...
    #[serde(default)]
    pub biometric_consent: Option<String>,
    /// The resources still to provide.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub required_resources: Vec<RequiredResource>,
}

open_enum! {
    /// The kind of a required resource.
    pub enum RequiredResourceType {
        /// An identity document.
        IdDocument = "ID_DOCUMENT",
        /// A supplementary document.
        SupplementaryDocument = "SUPPLEMENTARY_DOCUMENT",
        /// A liveness capture.
        Liveness = "LIVENESS",
        /// A face capture (reference image).
        FaceCapture = "FACE_CAPTURE",
    }
}

/// A resource the session still needs.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct RequiredResource {
    /// Its kind.
    #[serde(rename = "type")]
    pub resource_type: RequiredResourceType,
    /// The requirement id (for example to create a face-capture resource).
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub id: String,
    /// `REQUIRED`, `COMPLETE`, ...
    #[serde(default)]
    pub state: Option<String>,
    /// For liveness: static or Zoom.
    #[serde(default)]
    pub liveness_type: Option<crate::spec::LivenessType>,
    /// Who may provide it.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub allowed_sources: Vec<AllowedSource>,
}

/// Who may provide a resource.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct AllowedSource {
    /// `END_USER`, `RELYING_BUSINESS`, `IBV`.
    #[serde(rename = "type", default)]
    pub source_type: Option<String>,
}

/// The body of `POST /sessions/{id}/resources/face-capture`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct CreateFaceCaptureResourcePayload {
    /// The id of the face-capture requirement from the session configuration.
    pub requirement_id: String,
}

impl CreateFaceCaptureResourcePayload {
    /// A payload for the given requirement id.
    pub fn new(requirement_id: impl Into<String>) -> Self {
        Self {
            requirement_id: requirement_id.into(),
        }
    }
}

/// The answer to `POST /sessions/{id}/resources/face-capture`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct CreateFaceCaptureResourceResponse {
    /// The new resource's id, for the image upload.
    pub id: String,
    /// How many frames the resource expects.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub frames: u32,
}

/// The image of `PUT /sessions/{id}/resources/face-capture/{resource_id}/image`: the reference
/// face a `FACE_COMPARISON` check compares the live selfie with.
///
/// It is sent as `multipart/form-data` with one part named `binary-content`, filename
/// `face-capture-image`. JPEG images are labelled `image/jpeg` (the registered type; the Node
/// SDK sends the non-standard `image/jpg`, Java, PHP and .NET send `image/jpeg`).
///
/// `Debug` prints the type and size, never the bytes: this is a picture of a person.
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct UploadFaceCaptureImagePayload {
    /// `image/jpeg` or `image/png`.
    pub content_type: String,
    /// The image bytes.
    pub image: Vec<u8>,
}

impl UploadFaceCaptureImagePayload {
    /// A JPEG image.
    pub fn jpeg(image: impl Into<Vec<u8>>) -> Self {
        Self::new("image/jpeg", image)
    }

    /// A PNG image.
    pub fn png(image: impl Into<Vec<u8>>) -> Self {
        Self::new("image/png", image)
    }

    /// An image with an explicit MIME type.
    pub fn new(content_type: impl Into<String>, image: impl Into<Vec<u8>>) -> Self {
        Self {
            content_type: content_type.into(),
            image: image.into(),
        }
    }
}

impl std::fmt::Debug for UploadFaceCaptureImagePayload {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("UploadFaceCaptureImagePayload")
            .field("content_type", &self.content_type)
            .field("len", &self.image.len())
            .finish()
    }
}
