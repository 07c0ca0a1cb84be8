//! The pure half of enrolling a returning user's face: which face of a passed selfie session
//! to store, and what the clients' `enrol_face` returns. The clients make the calls.
//!
//! # Why the face is sent as a `{session_id, media_id}` source
//!
//! The face is the one Yoti captured in the session, so the enrolment names it
//! (`face.source = {session_id, media_id}`, Yoti's documented way to "assign face images from
//! the liveness check in the previous IDV session" to an applicant) instead of downloading
//! the image and uploading it again as inline base64:
//!
//! * the image never passes through (or stays in the memory or logs of) your server: less
//!   personal data handled, nothing to redact;
//! * one small JSON request instead of a media download plus a body a third larger than the
//!   image;
//! * the service resolves exactly the bytes its own liveness check approved: no re-encoding,
//!   no chance of enrolling a different image than the one that passed.
//!
//! The cost: it works only while the session's media still exist (its `resources_ttl`); enrol
//! right after the session completes. To enrol an image you hold, use `add_applicant_face`
//! with [`FacePayload::image`](idv_model::FacePayload::image).

use idv_model::{
    ApplicantId, CheckType, FaceId, GetSessionResult, LivenessResource, MediaId, PoolId,
    ResourceId, SessionId,
};

use crate::error::InvalidInputError;
use crate::flow::SelfieAuthVerdict;

/// What to enrol: the face of a completed, passed selfie session, into a new applicant or an
/// existing one, and optionally into a pool.
///
/// ```
/// use idv_core::enrolment::EnrolFace;
///
/// let new_user = EnrolFace::new("session-1".into()).with_pool("pool-1".into());
/// let returning = EnrolFace::new("session-2".into()).into_applicant("applicant-1".into());
/// assert!(new_user.applicant_id.is_none() && returning.pool_id.is_none());
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct EnrolFace {
    /// The completed session whose selfie-authentication verdict passed.
    pub session_id: SessionId,
    /// The applicant to add the face to; `None` creates a new applicant.
    pub applicant_id: Option<ApplicantId>,
    /// A pool to add the applicant to.
    pub pool_id: Option<PoolId>,
}

impl EnrolFace {
    /// Enrols the session's face into a new applicant, in no pool.
    pub fn new(session_id: SessionId) -> Self {
        Self {
            session_id,
            applicant_id: None,
            pool_id: None,
        }
    }

    /// Adds the face to this existing applicant instead of creating one.
    pub fn into_applicant(mut self, applicant_id: ApplicantId) -> Self {
        self.applicant_id = Some(applicant_id);
        self
    }

    /// Also adds the applicant to this pool.
    pub fn with_pool(mut self, pool_id: PoolId) -> Self {
        self.pool_id = Some(pool_id);
        self
    }
}

/// What `enrol_face` did.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Enrolment {
    /// The applicant the face now belongs to.
    pub applicant_id: ApplicantId,
    /// The new face.
    pub face_id: FaceId,
    /// The session media the face was taken from.
    pub media_id: MediaId,
    /// Whether the applicant was created by this enrolment.
    pub created_applicant: bool,
    /// The pool the applicant was added to, if one was asked for.
    pub pool_id: Option<PoolId>,
}

impl Enrolment {
    /// What an enrolment did (for clients built on this crate).
    pub fn new(
        applicant_id: ApplicantId,
        face_id: FaceId,
        media_id: MediaId,
        created_applicant: bool,
        pool_id: Option<PoolId>,
    ) -> Self {
        Self {
            applicant_id,
            face_id,
            media_id,
            created_applicant,
            pool_id,
        }
    }
}

/// The media of the face the user showed in a session that passed selfie authentication.
///
/// The session must be `COMPLETED` with a [`SelfieAuthVerdict::Pass`]. The face is the image
/// of the liveness capture that an approved `LIVENESS` check used (static liveness: its
/// image; Zoom: its first frame), else the latest liveness capture with an image, else the
/// image of a face-capture resource.
///
/// # Errors
///
/// [`InvalidInputError`] (field `session`) when the verdict is not a pass (its reasons are
/// in the message: check states and recommendations, no personal data), or when the session
/// holds no face image.
pub fn face_to_enrol(session: &GetSessionResult) -> Result<MediaId, InvalidInputError> {
    let verdict = SelfieAuthVerdict::evaluate(session);
    if !verdict.is_pass() {
        return Err(InvalidInputError::new(
            "session",
            format!("only a passed selfie session can be enrolled; its verdict is {verdict}"),
        ));
    }
    let approved: Vec<&ResourceId> = session
        .checks_of_type(&CheckType::Liveness)
        .filter(|c| c.is_approved())
        .flat_map(|c| c.resources_used())
        .collect();
    let liveness = &session.resources.liveness_capture;
    let used = liveness
        .iter()
        .filter(|r| r.id().is_some_and(|id| approved.contains(&id)))
        .find_map(liveness_media);
    let any = || liveness.iter().rev().find_map(liveness_media);
    let face_capture = || {
        session.resources.face_capture.iter().rev().find_map(|r| {
            r.image
                .as_ref()
                .and_then(|i| i.media.as_ref())
                .map(|m| m.id.clone())
        })
    };
    used.or_else(any).or_else(face_capture).ok_or_else(|| {
        InvalidInputError::new(
            "session",
            "the session has no liveness or face-capture image to enrol",
        )
    })
}

fn liveness_media(resource: &LivenessResource) -> Option<MediaId> {
    match resource {
        LivenessResource::Static(r) => r.image.as_ref()?.media.as_ref().map(|m| m.id.clone()),
        LivenessResource::Zoom(r) => r
            .frames
            .iter()
            .find_map(|f| f.media.as_ref())
            .map(|m| m.id.clone()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn session(json: &str) -> GetSessionResult {
        serde_json::from_str(json).expect("fixture")
    }

    const CHECKS: &str = r#""checks":[
        {"type":"LIVENESS","state":"DONE","resources_used":["l-1"],"report":{"recommendation":{"value":"REJECT"}}},
        {"type":"LIVENESS","state":"DONE","resources_used":["l-2"],"report":{"recommendation":{"value":"APPROVE"}}},
        {"type":"FACE_COMPARISON","state":"DONE","report":{"recommendation":{"value":"APPROVE"}}}]"#;

    #[test]
    fn picks_the_image_of_the_approved_liveness_capture() {
        let s = session(&format!(
            r#"{{"state":"COMPLETED",{CHECKS},"resources":{{
            "liveness_capture":[
              {{"id":"l-1","liveness_type":"STATIC","image":{{"media":{{"id":"m-1"}}}}}},
              {{"id":"l-2","liveness_type":"STATIC","image":{{"media":{{"id":"m-2"}}}}}},
              {{"id":"l-3","liveness_type":"STATIC","image":{{"media":{{"id":"m-3"}}}}}}],
            "face_capture":[{{"id":"f-1","image":{{"media":{{"id":"m-ref"}}}}}}]}}}}"#
        ));
        assert_eq!(face_to_enrol(&s).expect("face"), MediaId::from("m-2"));
    }

    #[test]
    fn falls_back_to_zoom_frames_then_the_face_capture_image() {
        let zoom = session(&format!(
            r#"{{"state":"COMPLETED",{CHECKS},"resources":{{"liveness_capture":[
              {{"id":"l-9","liveness_type":"ZOOM","frames":[{{}},{{"media":{{"id":"frame-1"}}}}]}}]}}}}"#
        ));
        assert_eq!(
            face_to_enrol(&zoom).expect("face"),
            MediaId::from("frame-1")
        );
        let capture = session(&format!(
            r#"{{"state":"COMPLETED",{CHECKS},"resources":{{
              "face_capture":[{{"id":"f-1","image":{{"media":{{"id":"m-ref"}}}}}}]}}}}"#
        ));
        assert_eq!(
            face_to_enrol(&capture).expect("face"),
            MediaId::from("m-ref")
        );
        let none = session(&format!(r#"{{"state":"COMPLETED",{CHECKS}}}"#));
        let e = face_to_enrol(&none).expect_err("no image");
        assert_eq!(e.field(), "session");
    }

    #[test]
    fn refuses_a_session_that_did_not_pass() {
        let failed = session(
            r#"{"state":"COMPLETED","checks":[
            {"type":"LIVENESS","state":"DONE","resources_used":["l-1"],"report":{"recommendation":{"value":"APPROVE"}}},
            {"type":"FACE_COMPARISON","state":"DONE","report":{"recommendation":{"value":"REJECT","reason":"DIFFERENT_PERSON"}}}],
            "resources":{"liveness_capture":[{"id":"l-1","liveness_type":"STATIC","image":{"media":{"id":"m-1"}}}]}}"#,
        );
        let e = face_to_enrol(&failed).expect_err("failed");
        assert!(e.to_string().contains("FAIL"), "{e}");
        let ongoing = session(r#"{"state":"ONGOING"}"#);
        assert!(
            face_to_enrol(&ongoing)
                .expect_err("pending")
                .to_string()
                .contains("PENDING")
        );
    }
}
