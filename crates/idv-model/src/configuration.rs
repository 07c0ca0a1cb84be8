//! Session configuration (`GET /sessions/{id}/configuration`) and face-capture resources
//! (`POST /sessions/{id}/resources/face-capture`, `PUT .../face-capture/{resource_id}/image`).

pub use crate::generated::configuration::*;
use crate::generated::session::SourceType;

impl SessionConfiguration {
    /// Every required resource, in the server's order.
    pub fn required_resources(&self) -> impl Iterator<Item = &RequiredResource> + '_ {
        self.capture
            .iter()
            .flat_map(|c| c.required_resources.iter())
    }

    /// The face-capture requirements (for the reference image of a face comparison).
    pub fn face_capture_requirements(
        &self,
    ) -> impl Iterator<Item = &RequiredFaceCaptureResource> + '_ {
        self.required_resources().filter_map(|r| match r {
            RequiredResource::FaceCapture(r) => Some(r),
            _ => None,
        })
    }

    /// The ID document requirements.
    pub fn id_document_requirements(
        &self,
    ) -> impl Iterator<Item = &RequiredIdDocumentResource> + '_ {
        self.required_resources().filter_map(|r| match r {
            RequiredResource::IdDocument(r) => Some(r),
            _ => None,
        })
    }

    /// The supplementary document requirements.
    pub fn supplementary_document_requirements(
        &self,
    ) -> impl Iterator<Item = &RequiredSupplementaryDocumentResource> + '_ {
        self.required_resources().filter_map(|r| match r {
            RequiredResource::SupplementaryDocument(r) => Some(r),
            _ => None,
        })
    }

    /// The liveness requirements (static and Zoom alike: see their `liveness_type`).
    pub fn liveness_requirements(&self) -> impl Iterator<Item = &RequiredLivenessResource> + '_ {
        self.required_resources().filter_map(|r| match r {
            RequiredResource::Liveness(r) => Some(r),
            _ => None,
        })
    }
}

impl RequiredResource {
    /// Whether you (the relying business) may provide this resource through the API.
    pub fn is_relying_business_allowed(&self) -> bool {
        self.allowed_sources()
            .iter()
            .any(|s| s.source_type == Some(SourceType::RelyingBusiness))
    }
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
