//! One [`Operation`] per IDV endpoint.

use http::Method;

use idv_model::{
    ContactProfileResponse, CreateFaceCaptureResourcePayload, CreateFaceCaptureResourceResponse,
    CreateSessionResult, GetSessionResult, Instructions, InstructionsResponse, Media, MediaId,
    ResourceId, SessionConfiguration, SessionId, SessionSpecification, SupportedDocumentsResponse,
    TrackedDeviceEvent, UploadFaceCaptureImagePayload,
};

use crate::error::{Error, InvalidInputError};
use crate::multipart;
use crate::operation::{Operation, decode_json, expect_empty, expect_success, mime_type};
use crate::request::{ApiRequest, Auth, Body, path_segment};

/// Media bytes and their MIME type; `204 No Content` is `None`.
fn parse_media(response: http::Response<Vec<u8>>) -> Result<Option<Media>, Error> {
    let response = expect_success(response)?;
    if response.status() == http::StatusCode::NO_CONTENT {
        return Ok(None);
    }
    let mime = mime_type(response.headers());
    Ok(Some(Media::new(mime, response.into_body())))
}

fn json_body<T: serde::Serialize>(value: &T) -> Result<Body, Error> {
    serde_json::to_vec(value).map(Body::json).map_err(|e| {
        Error::InvalidInput(InvalidInputError::new(
            "body",
            format!("could not be serialised: {e}"),
        ))
    })
}

/// `POST /sessions`: creates a session.
///
/// Not idempotent: a repeated request creates a second (billable) session, so it is retried
/// only when the request provably never left. Any 2xx is success (the service answers 201;
/// Python's SDK insists on 201, the others accept any 2xx).
#[derive(Debug, Clone, Copy)]
pub struct CreateSession<'a> {
    /// The session specification.
    pub spec: &'a SessionSpecification,
}

impl Operation for CreateSession<'_> {
    type Output = CreateSessionResult;
    const NAME: &'static str = "create_session";
    const PATH_TEMPLATE: &'static str = "/sessions";

    fn is_idempotent(&self) -> bool {
        false
    }

    fn request(&self) -> Result<ApiRequest, Error> {
        Ok(ApiRequest::new(Method::POST, "/sessions".to_owned()).with_body(json_body(self.spec)?))
    }

    fn parse(&self, response: http::Response<Vec<u8>>) -> Result<Self::Output, Error> {
        decode_json(response)
    }
}

/// `GET /sessions/{session_id}`: the session, its checks and resources.
#[derive(Debug, Clone, Copy)]
pub struct GetSession<'a> {
    /// The session id.
    pub session_id: &'a SessionId,
}

impl Operation for GetSession<'_> {
    type Output = GetSessionResult;
    const NAME: &'static str = "get_session";
    const PATH_TEMPLATE: &'static str = "/sessions/{session_id}";

    fn is_idempotent(&self) -> bool {
        true
    }

    fn request(&self) -> Result<ApiRequest, Error> {
        let sid = path_segment("session_id", self.session_id)?;
        Ok(ApiRequest::new(Method::GET, format!("/sessions/{sid}")))
    }

    fn parse(&self, response: http::Response<Vec<u8>>) -> Result<Self::Output, Error> {
        decode_json(response)
    }
}

/// `DELETE /sessions/{session_id}`: deletes the session and all its media.
#[derive(Debug, Clone, Copy)]
pub struct DeleteSession<'a> {
    /// The session id.
    pub session_id: &'a SessionId,
}

impl Operation for DeleteSession<'_> {
    type Output = ();
    const NAME: &'static str = "delete_session";
    const PATH_TEMPLATE: &'static str = "/sessions/{session_id}";

    fn is_idempotent(&self) -> bool {
        true
    }

    fn request(&self) -> Result<ApiRequest, Error> {
        let sid = path_segment("session_id", self.session_id)?;
        Ok(ApiRequest::new(Method::DELETE, format!("/sessions/{sid}")))
    }

    fn parse(&self, response: http::Response<Vec<u8>>) -> Result<Self::Output, Error> {
        expect_empty(response)
    }
}

/// `GET /sessions/{session_id}/configuration`: the checks and the resources to capture.
#[derive(Debug, Clone, Copy)]
pub struct GetSessionConfiguration<'a> {
    /// The session id.
    pub session_id: &'a SessionId,
}

impl Operation for GetSessionConfiguration<'_> {
    type Output = SessionConfiguration;
    const NAME: &'static str = "get_session_configuration";
    const PATH_TEMPLATE: &'static str = "/sessions/{session_id}/configuration";

    fn is_idempotent(&self) -> bool {
        true
    }

    fn request(&self) -> Result<ApiRequest, Error> {
        let sid = path_segment("session_id", self.session_id)?;
        Ok(ApiRequest::new(
            Method::GET,
            format!("/sessions/{sid}/configuration"),
        ))
    }

    fn parse(&self, response: http::Response<Vec<u8>>) -> Result<Self::Output, Error> {
        decode_json(response)
    }
}

/// `POST /sessions/{session_id}/resources/face-capture`: creates the resource that will hold
/// the reference image.
#[derive(Debug, Clone, Copy)]
pub struct CreateFaceCaptureResource<'a> {
    /// The session id.
    pub session_id: &'a SessionId,
    /// The requirement it satisfies.
    pub payload: &'a CreateFaceCaptureResourcePayload,
}

impl Operation for CreateFaceCaptureResource<'_> {
    type Output = CreateFaceCaptureResourceResponse;
    const NAME: &'static str = "create_face_capture_resource";
    const PATH_TEMPLATE: &'static str = "/sessions/{session_id}/resources/face-capture";

    fn is_idempotent(&self) -> bool {
        false
    }

    fn request(&self) -> Result<ApiRequest, Error> {
        let sid = path_segment("session_id", self.session_id)?;
        Ok(ApiRequest::new(
            Method::POST,
            format!("/sessions/{sid}/resources/face-capture"),
        )
        .with_body(json_body(self.payload)?))
    }

    fn parse(&self, response: http::Response<Vec<u8>>) -> Result<Self::Output, Error> {
        decode_json(response)
    }
}

/// `PUT /sessions/{session_id}/resources/face-capture/{resource_id}/image`: uploads the
/// reference image as `multipart/form-data`.
#[derive(Debug, Clone, Copy)]
pub struct UploadFaceCaptureImage<'a> {
    /// The session id.
    pub session_id: &'a SessionId,
    /// The face-capture resource id.
    pub resource_id: &'a ResourceId,
    /// The image.
    pub payload: &'a UploadFaceCaptureImagePayload,
}

impl Operation for UploadFaceCaptureImage<'_> {
    type Output = ();
    const NAME: &'static str = "upload_face_capture_image";
    const PATH_TEMPLATE: &'static str =
        "/sessions/{session_id}/resources/face-capture/{resource_id}/image";

    fn is_idempotent(&self) -> bool {
        true
    }

    fn request(&self) -> Result<ApiRequest, Error> {
        let sid = path_segment("session_id", self.session_id)?;
        let rid = path_segment("resource_id", self.resource_id)?;
        if self.payload.image.is_empty() {
            return Err(InvalidInputError::new("image", "must not be empty").into());
        }
        let body = multipart::form_data(
            "binary-content",
            "face-capture-image",
            &self.payload.content_type,
            &self.payload.image,
        )?;
        Ok(ApiRequest::new(
            Method::PUT,
            format!("/sessions/{sid}/resources/face-capture/{rid}/image"),
        )
        .with_body(body))
    }

    fn parse(&self, response: http::Response<Vec<u8>>) -> Result<Self::Output, Error> {
        expect_empty(response)
    }
}

/// `GET /sessions/{session_id}/media/{media_id}/content`: the bytes of a media object.
///
/// `204 No Content` means the media exists but has no content: `Ok(None)`, not an error.
#[derive(Debug, Clone, Copy)]
pub struct GetMediaContent<'a> {
    /// The session id.
    pub session_id: &'a SessionId,
    /// The media id.
    pub media_id: &'a MediaId,
}

impl Operation for GetMediaContent<'_> {
    type Output = Option<Media>;
    const NAME: &'static str = "get_media_content";
    const PATH_TEMPLATE: &'static str = "/sessions/{session_id}/media/{media_id}/content";

    fn is_idempotent(&self) -> bool {
        true
    }

    fn is_media(&self) -> bool {
        true
    }

    fn request(&self) -> Result<ApiRequest, Error> {
        let sid = path_segment("session_id", self.session_id)?;
        let mid = path_segment("media_id", self.media_id)?;
        Ok(ApiRequest::new(
            Method::GET,
            format!("/sessions/{sid}/media/{mid}/content"),
        ))
    }

    fn parse(&self, response: http::Response<Vec<u8>>) -> Result<Self::Output, Error> {
        parse_media(response)
    }
}

/// `DELETE /sessions/{session_id}/media/{media_id}/content`: deletes one media object.
#[derive(Debug, Clone, Copy)]
pub struct DeleteMediaContent<'a> {
    /// The session id.
    pub session_id: &'a SessionId,
    /// The media id.
    pub media_id: &'a MediaId,
}

impl Operation for DeleteMediaContent<'_> {
    type Output = ();
    const NAME: &'static str = "delete_media_content";
    const PATH_TEMPLATE: &'static str = "/sessions/{session_id}/media/{media_id}/content";

    fn is_idempotent(&self) -> bool {
        true
    }

    fn request(&self) -> Result<ApiRequest, Error> {
        let sid = path_segment("session_id", self.session_id)?;
        let mid = path_segment("media_id", self.media_id)?;
        Ok(ApiRequest::new(
            Method::DELETE,
            format!("/sessions/{sid}/media/{mid}/content"),
        ))
    }

    fn parse(&self, response: http::Response<Vec<u8>>) -> Result<Self::Output, Error> {
        expect_empty(response)
    }
}

/// `GET /supported-documents`: the countries and document types the service supports.
///
/// The official SDKs disagree on this call: Java sends it unsigned, .NET adds `sdkId`, and the
/// `includeNonLatin` flag is spelled `true`/`false`, `1`/`0` or left out. This SDK does what
/// the Node SDK does: signed with `nonce` and `timestamp` but no `sdkId`, and
/// `includeNonLatin=true` only when asked for (the service's default is `false`).
#[derive(Debug, Clone, Copy, Default)]
pub struct GetSupportedDocuments {
    /// Include documents in non-Latin scripts.
    pub include_non_latin: bool,
}

impl Operation for GetSupportedDocuments {
    type Output = SupportedDocumentsResponse;
    const NAME: &'static str = "get_supported_documents";
    const PATH_TEMPLATE: &'static str = "/supported-documents";

    fn is_idempotent(&self) -> bool {
        true
    }

    fn request(&self) -> Result<ApiRequest, Error> {
        let mut request = ApiRequest::new(Method::GET, "/supported-documents".to_owned())
            .with_auth(Auth::SignedWithoutSdkId);
        if self.include_non_latin {
            request = request.with_query("includeNonLatin", "true");
        }
        Ok(request)
    }

    fn parse(&self, response: http::Response<Vec<u8>>) -> Result<Self::Output, Error> {
        decode_json(response)
    }
}

/// Declares an operation on `/sessions/{session_id}{suffix}` with no body.
macro_rules! session_operation {
    (
        $(#[$meta:meta])*
        $name:ident, $op:literal, $method:ident, $suffix:literal, idempotent = $idem:literal,
        $output:ty, $parse:expr
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy)]
        pub struct $name<'a> {
            /// The session id.
            pub session_id: &'a SessionId,
        }

        impl Operation for $name<'_> {
            type Output = $output;
            const NAME: &'static str = $op;
            const PATH_TEMPLATE: &'static str = concat!("/sessions/{session_id}", $suffix);

            fn is_idempotent(&self) -> bool {
                $idem
            }

            fn is_media(&self) -> bool {
                $suffix.ends_with("/pdf")
            }

            fn request(&self) -> Result<ApiRequest, Error> {
                let sid = path_segment("session_id", self.session_id)?;
                Ok(ApiRequest::new(Method::$method, format!(concat!("/sessions/{}", $suffix), sid)))
            }

            fn parse(&self, response: http::Response<Vec<u8>>) -> Result<Self::Output, Error> {
                ($parse)(response)
            }
        }
    };
}

session_operation! {
    /// `GET /sessions/{session_id}/tracked-devices`: the devices that took part in the session
    /// (IP addresses and device details: personal data, redacted in `Debug`).
    GetTrackedDevices, "get_tracked_devices", GET, "/tracked-devices", idempotent = true,
    Vec<TrackedDeviceEvent>, decode_json
}

session_operation! {
    /// `DELETE /sessions/{session_id}/tracked-devices`: forgets the session's devices.
    DeleteTrackedDevices, "delete_tracked_devices", DELETE, "/tracked-devices", idempotent = true,
    (), expect_empty
}

session_operation! {
    /// `GET /sessions/{session_id}/instructions`: the in-branch (IBV) instructions.
    GetIbvInstructions, "get_ibv_instructions", GET, "/instructions", idempotent = true,
    InstructionsResponse, decode_json
}

session_operation! {
    /// `GET /sessions/{session_id}/instructions/pdf`: the instructions as a PDF; `Ok(None)` on
    /// `204 No Content` (none yet).
    GetIbvInstructionsPdf, "get_ibv_instructions_pdf", GET, "/instructions/pdf", idempotent = true,
    Option<Media>, parse_media
}

session_operation! {
    /// `GET /sessions/{session_id}/instructions/contact-profile`: the contact profile the
    /// instructions were sent to (names and e-mail: personal data, redacted in `Debug`).
    FetchInstructionsContactProfile, "fetch_instructions_contact_profile", GET,
    "/instructions/contact-profile", idempotent = true,
    ContactProfileResponse, decode_json
}

session_operation! {
    /// `POST /sessions/{session_id}/instructions/email`: asks Yoti to e-mail the instructions.
    /// Not retried once it may have reached the service (it would send a second e-mail).
    TriggerIbvEmailNotification, "trigger_ibv_email_notification", POST, "/instructions/email",
    idempotent = false, (), expect_empty
}

/// `PUT /sessions/{session_id}/instructions`: sets the in-branch (IBV) instructions.
#[derive(Debug, Clone, Copy)]
pub struct PutIbvInstructions<'a> {
    /// The session id.
    pub session_id: &'a SessionId,
    /// The instructions.
    pub instructions: &'a Instructions,
}

impl Operation for PutIbvInstructions<'_> {
    type Output = ();
    const NAME: &'static str = "put_ibv_instructions";
    const PATH_TEMPLATE: &'static str = "/sessions/{session_id}/instructions";

    fn is_idempotent(&self) -> bool {
        true
    }

    fn request(&self) -> Result<ApiRequest, Error> {
        let sid = path_segment("session_id", self.session_id)?;
        Ok(
            ApiRequest::new(Method::PUT, format!("/sessions/{sid}/instructions"))
                .with_body(json_body(self.instructions)?),
        )
    }

    fn parse(&self, response: http::Response<Vec<u8>>) -> Result<Self::Output, Error> {
        expect_empty(response)
    }
}

mod applicants;

pub use applicants::{
    APPLICANT_READ_PREFIX, AddApplicantFace, AddPoolApplicant, AttachFaceCaptureApplicant,
    CreateApplicant, CreatePool, DeleteApplicant, DeleteApplicantFace, DeletePool, Deleted,
    GetApplicant, GetApplicantFace, RemovePoolApplicant,
};
