//! Applicants, faces and pools (Yoti's Face Search API), and attaching an applicant to a
//! session's face-capture resource. No official Yoti SDK implements these.
//!
//! Where Yoti's documentation is silent or contradicts itself, the choices are written once,
//! in the `applicants` tag of `spec/idv-openapi.json`: the plural read paths
//! ([`APPLICANT_READ_PREFIX`]), any 2xx as success, a 404 on a delete as
//! [`Deleted::AlreadyGone`], which calls are retried.

use http::Method;

use idv_model::{
    AddFacePayload, AddFaceResponse, AddPoolApplicantPayload, ApplicantId, ApplicantResponse,
    AttachApplicantPayload, CreateApplicantPayload, CreatePoolPayload, FaceContentResponse, FaceId,
    FacePayload, PoolId, PoolResponse, ResourceId, SessionId,
};

use super::json_body;
use crate::error::{Error, InvalidInputError};
use crate::operation::{Operation, decode_json, expect_empty, expect_success};
use crate::request::{ApiRequest, path_segment};

/// The path prefix of the two applicant reads (`GET .../{id}` and `GET .../{id}/faces/{face_id}`).
///
/// Yoti's documentation writes these two paths with a singular `/applicant/` while every other
/// applicant endpoint is plural; this SDK sends the plural, the reading consistent with the
/// rest of the API. Change it here (and in the spec) if the live API proves otherwise.
pub const APPLICANT_READ_PREFIX: &str = "/applicants";

/// What a delete found: the thing was there and is now gone, or it was already gone (the
/// service answered 404).
///
/// Deleting is idempotent from the caller's point of view: both mean "it no longer exists"
/// (except a 404 that says the SDK id is unknown: that stays an [`Error::Config`]).
/// A 404 is not retried (no status in that class is); it is reported as
/// [`AlreadyGone`](Deleted::AlreadyGone) so a caller can tell a repeated delete (or a delete
/// after a lost response) from the first one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Deleted {
    /// The service deleted it (2xx).
    Removed,
    /// It did not exist (404): deleted earlier, never created, or another application's.
    AlreadyGone,
}

impl Deleted {
    /// Whether the service reported it was already gone.
    pub fn was_already_gone(self) -> bool {
        self == Deleted::AlreadyGone
    }
}

/// A 2xx is [`Deleted::Removed`], a 404 [`Deleted::AlreadyGone`], anything else an error.
///
/// One 404 stays an error: the one that says the SDK id is unknown
/// ([`ConfigErrorKind::UnknownSdkId`](crate::ConfigErrorKind::UnknownSdkId)), which is a
/// misconfigured client, not a missing applicant or pool. A bare 404 is read as "gone": the
/// error body of these endpoints is not documented.
fn parse_delete(response: http::Response<Vec<u8>>) -> Result<Deleted, Error> {
    if response.status() == http::StatusCode::NOT_FOUND {
        return match Error::from_response(response) {
            Error::Config(e) if e.kind() == crate::ConfigErrorKind::UnknownSdkId => {
                Err(Error::Config(e))
            }
            _ => Ok(Deleted::AlreadyGone),
        };
    }
    expect_success(response).map(|_| Deleted::Removed)
}

/// Exactly one of `data` (non-empty) or `source` (non-empty ids).
fn check_face(face: &FacePayload) -> Result<(), Error> {
    match (&face.data, &face.source) {
        (Some(data), None) if data.is_empty() => {
            Err(InvalidInputError::new("face.data", "must not be empty").into())
        }
        (Some(_), None) => Ok(()),
        (None, Some(source)) => {
            path_segment("face.source.session_id", &source.session_id)?;
            path_segment("face.source.media_id", &source.media_id)?;
            Ok(())
        }
        (Some(_), Some(_)) => {
            Err(InvalidInputError::new("face", "give either data or source, not both").into())
        }
        (None, None) => Err(InvalidInputError::new("face", "give data or source").into()),
    }
}

/// `POST /applicants`: creates an applicant, optionally with a first face.
///
/// Not idempotent (a repeat creates a second applicant): retried only when the request
/// provably never left. Any 2xx is success.
#[derive(Debug, Clone, Copy)]
pub struct CreateApplicant<'a> {
    /// The optional first face (`CreateApplicantPayload::new()` for none).
    pub payload: &'a CreateApplicantPayload,
}

impl Operation for CreateApplicant<'_> {
    type Output = ApplicantResponse;
    const NAME: &'static str = "create_applicant";
    const PATH_TEMPLATE: &'static str = "/applicants";

    fn is_idempotent(&self) -> bool {
        false
    }

    fn request(&self) -> Result<ApiRequest, Error> {
        if let Some(face) = &self.payload.face {
            check_face(face)?;
        }
        Ok(ApiRequest::new(Method::POST, "/applicants".to_owned())
            .with_body(json_body(self.payload)?))
    }

    fn parse(&self, response: http::Response<Vec<u8>>) -> Result<Self::Output, Error> {
        decode_json(response)
    }
}

/// `POST /applicants/{applicant_id}/faces`: adds a face, inline or from an earlier session's
/// media. Not idempotent; any 2xx is success.
#[derive(Debug, Clone, Copy)]
pub struct AddApplicantFace<'a> {
    /// The applicant.
    pub applicant_id: &'a ApplicantId,
    /// The face.
    pub payload: &'a AddFacePayload,
}

impl Operation for AddApplicantFace<'_> {
    type Output = AddFaceResponse;
    const NAME: &'static str = "add_applicant_face";
    const PATH_TEMPLATE: &'static str = "/applicants/{applicant_id}/faces";

    fn is_idempotent(&self) -> bool {
        false
    }

    fn request(&self) -> Result<ApiRequest, Error> {
        let aid = path_segment("applicant_id", self.applicant_id)?;
        check_face(&self.payload.face)?;
        Ok(
            ApiRequest::new(Method::POST, format!("/applicants/{aid}/faces"))
                .with_body(json_body(self.payload)?),
        )
    }

    fn parse(&self, response: http::Response<Vec<u8>>) -> Result<Self::Output, Error> {
        decode_json(response)
    }
}

/// `GET /applicants/{applicant_id}` (see [`APPLICANT_READ_PREFIX`]): the applicant, its
/// faces and pools.
#[derive(Debug, Clone, Copy)]
pub struct GetApplicant<'a> {
    /// The applicant.
    pub applicant_id: &'a ApplicantId,
}

impl Operation for GetApplicant<'_> {
    type Output = ApplicantResponse;
    const NAME: &'static str = "get_applicant";
    const PATH_TEMPLATE: &'static str = "/applicants/{applicant_id}";

    fn is_idempotent(&self) -> bool {
        true
    }

    fn request(&self) -> Result<ApiRequest, Error> {
        let aid = path_segment("applicant_id", self.applicant_id)?;
        Ok(ApiRequest::new(
            Method::GET,
            format!("{APPLICANT_READ_PREFIX}/{aid}"),
        ))
    }

    fn parse(&self, response: http::Response<Vec<u8>>) -> Result<Self::Output, Error> {
        decode_json(response)
    }
}

/// `GET /applicants/{applicant_id}/faces/{face_id}` (see [`APPLICANT_READ_PREFIX`]): the
/// face image (base64 in JSON, decoded; personal data, never printed).
#[derive(Debug, Clone, Copy)]
pub struct GetApplicantFace<'a> {
    /// The applicant.
    pub applicant_id: &'a ApplicantId,
    /// The face.
    pub face_id: &'a FaceId,
}

impl Operation for GetApplicantFace<'_> {
    type Output = FaceContentResponse;
    const NAME: &'static str = "get_applicant_face";
    const PATH_TEMPLATE: &'static str = "/applicants/{applicant_id}/faces/{face_id}";

    fn is_idempotent(&self) -> bool {
        true
    }

    /// The image travels base64 inside JSON, so the media size limit applies, not the JSON one.
    fn is_media(&self) -> bool {
        true
    }

    fn request(&self) -> Result<ApiRequest, Error> {
        let aid = path_segment("applicant_id", self.applicant_id)?;
        let fid = path_segment("face_id", self.face_id)?;
        Ok(ApiRequest::new(
            Method::GET,
            format!("{APPLICANT_READ_PREFIX}/{aid}/faces/{fid}"),
        ))
    }

    fn parse(&self, response: http::Response<Vec<u8>>) -> Result<Self::Output, Error> {
        decode_json(response)
    }
}

/// `POST /pools`: creates an applicant pool. Not idempotent; any 2xx is success.
#[derive(Debug, Clone, Copy)]
pub struct CreatePool<'a> {
    /// The pool's label.
    pub payload: &'a CreatePoolPayload,
}

impl Operation for CreatePool<'_> {
    type Output = PoolResponse;
    const NAME: &'static str = "create_pool";
    const PATH_TEMPLATE: &'static str = "/pools";

    fn is_idempotent(&self) -> bool {
        false
    }

    fn request(&self) -> Result<ApiRequest, Error> {
        Ok(ApiRequest::new(Method::POST, "/pools".to_owned()).with_body(json_body(self.payload)?))
    }

    fn parse(&self, response: http::Response<Vec<u8>>) -> Result<Self::Output, Error> {
        decode_json(response)
    }
}

/// `POST /pools/{pool_id}/applicants`: adds an applicant to a pool (204).
///
/// Not treated as idempotent: what a repeat does (409, or nothing) is not documented, so it
/// is retried only when the request provably never left.
#[derive(Debug, Clone, Copy)]
pub struct AddPoolApplicant<'a> {
    /// The pool.
    pub pool_id: &'a PoolId,
    /// The applicant to add.
    pub applicant_id: &'a ApplicantId,
}

impl Operation for AddPoolApplicant<'_> {
    type Output = ();
    const NAME: &'static str = "add_pool_applicant";
    const PATH_TEMPLATE: &'static str = "/pools/{pool_id}/applicants";

    fn is_idempotent(&self) -> bool {
        false
    }

    fn request(&self) -> Result<ApiRequest, Error> {
        let pid = path_segment("pool_id", self.pool_id)?;
        path_segment("applicant_id", self.applicant_id)?;
        let payload = AddPoolApplicantPayload::new(self.applicant_id.clone());
        Ok(
            ApiRequest::new(Method::POST, format!("/pools/{pid}/applicants"))
                .with_body(json_body(&payload)?),
        )
    }

    fn parse(&self, response: http::Response<Vec<u8>>) -> Result<Self::Output, Error> {
        expect_empty(response)
    }
}

/// `PUT /sessions/{session_id}/resources/face-capture/{resource_id}/applicant`: makes the
/// applicant's face the reference image of a face-capture resource, instead of uploading an
/// image. Answers 200 with no body; the service refuses it with 409 once the session expired.
#[derive(Debug, Clone, Copy)]
pub struct AttachFaceCaptureApplicant<'a> {
    /// The session.
    pub session_id: &'a SessionId,
    /// The face-capture resource (from `create_face_capture_resource`).
    pub resource_id: &'a ResourceId,
    /// The applicant whose face becomes the reference.
    pub applicant_id: &'a ApplicantId,
}

impl Operation for AttachFaceCaptureApplicant<'_> {
    type Output = ();
    const NAME: &'static str = "attach_face_capture_applicant";
    const PATH_TEMPLATE: &'static str =
        "/sessions/{session_id}/resources/face-capture/{resource_id}/applicant";

    fn is_idempotent(&self) -> bool {
        true
    }

    fn request(&self) -> Result<ApiRequest, Error> {
        let sid = path_segment("session_id", self.session_id)?;
        let rid = path_segment("resource_id", self.resource_id)?;
        path_segment("applicant_id", self.applicant_id)?;
        let payload = AttachApplicantPayload::new(self.applicant_id.clone());
        Ok(ApiRequest::new(
            Method::PUT,
            format!("/sessions/{sid}/resources/face-capture/{rid}/applicant"),
        )
        .with_body(json_body(&payload)?))
    }

    fn parse(&self, response: http::Response<Vec<u8>>) -> Result<Self::Output, Error> {
        expect_empty(response)
    }
}

/// Declares a `DELETE` with path segments and a [`Deleted`] output.
macro_rules! delete_operation {
    (
        $(#[$meta:meta])*
        $name:ident, $op:literal, $template:literal, $format:literal,
        $( $field:ident : $ty:ty, $doc:literal ),+
    ) => {
        $(#[$meta])*
        ///
        /// Idempotent: a 2xx is [`Deleted::Removed`], a 404 [`Deleted::AlreadyGone`] (never
        /// retried).
        #[derive(Debug, Clone, Copy)]
        pub struct $name<'a> {
            $(
                #[doc = $doc]
                pub $field: &'a $ty,
            )+
        }

        impl Operation for $name<'_> {
            type Output = Deleted;
            const NAME: &'static str = $op;
            const PATH_TEMPLATE: &'static str = $template;

            fn is_idempotent(&self) -> bool {
                true
            }

            fn request(&self) -> Result<ApiRequest, Error> {
                $( let $field = path_segment(stringify!($field), self.$field)?; )+
                Ok(ApiRequest::new(Method::DELETE, format!($format)))
            }

            fn parse(&self, response: http::Response<Vec<u8>>) -> Result<Self::Output, Error> {
                parse_delete(response)
            }
        }
    };
}

delete_operation! {
    /// `DELETE /applicants/{applicant_id}`: deletes an applicant (its faces with it).
    DeleteApplicant, "delete_applicant", "/applicants/{applicant_id}",
    "/applicants/{applicant_id}",
    applicant_id: ApplicantId, "The applicant."
}

delete_operation! {
    /// `DELETE /applicants/{applicant_id}/faces/{face_id}`: deletes one face of an applicant.
    DeleteApplicantFace, "delete_applicant_face", "/applicants/{applicant_id}/faces/{face_id}",
    "/applicants/{applicant_id}/faces/{face_id}",
    applicant_id: ApplicantId, "The applicant.",
    face_id: FaceId, "The face."
}

delete_operation! {
    /// `DELETE /pools/{pool_id}`: deletes a pool (its applicants stay).
    DeletePool, "delete_pool", "/pools/{pool_id}", "/pools/{pool_id}",
    pool_id: PoolId, "The pool."
}

delete_operation! {
    /// `DELETE /pools/{pool_id}/applicants/{applicant_id}`: removes an applicant from a pool
    /// (the applicant stays).
    RemovePoolApplicant, "remove_pool_applicant", "/pools/{pool_id}/applicants/{applicant_id}",
    "/pools/{pool_id}/applicants/{applicant_id}",
    pool_id: PoolId, "The pool.",
    applicant_id: ApplicantId, "The applicant."
}
