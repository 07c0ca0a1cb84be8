//! Session results: the responses of `POST /sessions` ([`CreateSessionResult`]) and
//! `GET /sessions/{id}` ([`GetSessionResult`]), with every check, resource, task, report and
//! identity-profile type.
//!
//! Responses are tolerant: unknown fields are ignored, missing or `null` optional fields and
//! lists decode as `None` or empty, every enum of server values has an `Unknown` variant,
//! and a check, resource, task or liveness type this version does not know decodes as the
//! `Unknown` variant of its enum, which keeps its common fields and its raw JSON:
//!
//! ```
//! use idv_model::session::*;
//!
//! let session: GetSessionResult = serde_json::from_str(r#"{
//!     "session_id": "s1", "state": "COMPLETED",
//!     "checks": [
//!         {"type": "LIVENESS", "id": "c1", "state": "DONE",
//!          "report": {"recommendation": {"value": "APPROVE"}, "breakdown": []}},
//!         {"type": "BRAND_NEW_CHECK", "id": "c2", "state": "DONE", "extra": {"x": 1}}
//!     ]
//! }"#).unwrap();
//! assert!(session.liveness_checks().all(|c| c.is_approved()));
//! let CheckResponse::Unknown(new) = &session.checks[1] else { panic!() };
//! assert_eq!(new.check_type.as_str(), "BRAND_NEW_CHECK");
//! assert!(new.raw_json().contains(r#""extra":{"x": 1}"#));
//! assert_eq!(session.checks[1].id().map(|id| id.as_str()), Some("c2"));
//! assert_eq!(session.session_id.as_ref().map(|id| id.as_str()), Some("s1"));
//! ```

pub use crate::generated::session::*;
use crate::generated::spec::LivenessType;
use crate::ids::{CheckId, MediaId};
use crate::{ApplicantId, PoolId};

impl GetSessionResult {
    /// The checks of one type (known or not).
    pub fn checks_of_type<'a>(
        &'a self,
        check_type: &'a CheckType,
    ) -> impl Iterator<Item = &'a CheckResponse> + 'a {
        self.checks
            .iter()
            .filter(move |c| c.check_type() == *check_type)
    }

    /// The check with this id (a check the service sent without an id is never found).
    pub fn check(&self, id: &CheckId) -> Option<&CheckResponse> {
        self.checks.iter().find(|c| c.id() == Some(id))
    }

    /// The checks of types this version of the SDK does not know.
    pub fn unknown_checks(&self) -> impl Iterator<Item = &UnknownCheckResponse> + '_ {
        self.checks.iter().filter_map(|c| match c {
            CheckResponse::Unknown(c) => Some(c),
            _ => None,
        })
    }

    /// Whether the session is `COMPLETED`.
    pub fn is_completed(&self) -> bool {
        self.state == Some(SessionState::Completed)
    }
}

/// One typed accessor per check type on [`GetSessionResult`].
macro_rules! typed_checks {
    ($( $fn:ident => $variant:ident($ty:ident), $doc:literal; )*) => {
        impl GetSessionResult {
            $(
                #[doc = concat!("Every `", $doc, "` check, in order.")]
                pub fn $fn(&self) -> impl Iterator<Item = &$ty> + '_ {
                    self.checks.iter().filter_map(|c| match c {
                        CheckResponse::$variant(c) => Some(c),
                        _ => None,
                    })
                }
            )*
        }
    };
}

typed_checks! {
    id_document_authenticity_checks => IdDocumentAuthenticity(IdDocumentAuthenticityCheckResponse), "ID_DOCUMENT_AUTHENTICITY";
    id_document_text_data_checks => IdDocumentTextDataCheck(IdDocumentTextDataCheckResponse), "ID_DOCUMENT_TEXT_DATA_CHECK";
    supplementary_document_text_data_checks => SupplementaryDocumentTextDataCheck(SupplementaryDocumentTextDataCheckResponse), "SUPPLEMENTARY_DOCUMENT_TEXT_DATA_CHECK";
    id_document_face_match_checks => IdDocumentFaceMatch(IdDocumentFaceMatchCheckResponse), "ID_DOCUMENT_FACE_MATCH";
    liveness_checks => Liveness(LivenessCheckResponse), "LIVENESS";
    id_document_comparison_checks => IdDocumentComparison(IdDocumentComparisonCheckResponse), "ID_DOCUMENT_COMPARISON";
    face_comparison_checks => FaceComparison(FaceComparisonCheckResponse), "FACE_COMPARISON";
    third_party_identity_checks => ThirdPartyIdentity(ThirdPartyIdentityCheckResponse), "THIRD_PARTY_IDENTITY";
    third_party_identity_fraud_1_checks => ThirdPartyIdentityFraud1(ThirdPartyIdentityFraud1CheckResponse), "THIRD_PARTY_IDENTITY_FRAUD_1";
    watchlist_screening_checks => WatchlistScreening(WatchlistScreeningCheckResponse), "WATCHLIST_SCREENING";
    watchlist_advanced_ca_checks => WatchlistAdvancedCa(WatchlistAdvancedCaCheckResponse), "WATCHLIST_ADVANCED_CA";
    ibv_visual_review_checks => IbvVisualReviewCheck(IbvVisualReviewCheckResponse), "IBV_VISUAL_REVIEW_CHECK";
    document_scheme_validity_checks => DocumentSchemeValidityCheck(DocumentSchemeValidityCheckResponse), "DOCUMENT_SCHEME_VALIDITY_CHECK";
    profile_document_match_checks => ProfileDocumentMatch(ProfileDocumentMatchCheckResponse), "PROFILE_DOCUMENT_MATCH";
    synectics_identity_fraud_checks => SynecticsIdentityFraud(SynecticsIdentityFraudCheckResponse), "SYNECTICS_IDENTITY_FRAUD";
    familiar_face_search_checks => FamiliarFaceSearch(FamiliarFaceSearchCheckResponse), "FAMILIAR_FACE_SEARCH";
}

/// `recommendation()` and `is_approved()` on every check struct.
macro_rules! check_helpers {
    ($($ty:ident),* $(,)?) => {
        $(
            impl $ty {
                /// The recommendation's value, if the check has a report.
                pub fn recommendation(&self) -> Option<&RecommendationValue> {
                    recommendation(self.report.as_ref())
                }

                /// Whether the check recommends `APPROVE`.
                pub fn is_approved(&self) -> bool {
                    self.recommendation() == Some(&RecommendationValue::Approve)
                }
            }
        )*
    };
}

check_helpers!(
    IdDocumentAuthenticityCheckResponse,
    IdDocumentTextDataCheckResponse,
    SupplementaryDocumentTextDataCheckResponse,
    IdDocumentFaceMatchCheckResponse,
    LivenessCheckResponse,
    IdDocumentComparisonCheckResponse,
    FaceComparisonCheckResponse,
    ThirdPartyIdentityCheckResponse,
    ThirdPartyIdentityFraud1CheckResponse,
    WatchlistScreeningCheckResponse,
    WatchlistAdvancedCaCheckResponse,
    IbvVisualReviewCheckResponse,
    DocumentSchemeValidityCheckResponse,
    ProfileDocumentMatchCheckResponse,
    SynecticsIdentityFraudCheckResponse,
    FamiliarFaceSearchCheckResponse,
    UnknownCheckResponse,
);

impl FamiliarFaceSearchCheckResponse {
    /// The pool and applicant the search matched, first match first: one entry per
    /// breakdown item that names a `matching_applicant` (with its `matching_pool`, if given).
    ///
    /// A match is reported whatever the `approval_criteria`: with `NO_MATCH` a match means
    /// the check rejects. How the service reports several matches is not documented; every
    /// breakdown item is read.
    ///
    /// ```
    /// # use idv_model::*;
    /// let session: GetSessionResult = serde_json::from_str(r#"{"checks":[{
    ///     "type":"FAMILIAR_FACE_SEARCH","state":"DONE",
    ///     "report":{"recommendation":{"value":"APPROVE"},"breakdown":[{
    ///         "sub_check":"face_found_in_pool","result":"PASS","details":[
    ///             {"name":"matching_pool","value":"p-1"},
    ///             {"name":"matching_applicant","value":"a-1"}]}]},
    ///     "config":{"pool_id":"p-1","pool_label":"members","approval_criteria":"MATCH"}}]}"#)
    ///     .unwrap();
    /// let check = session.familiar_face_search_checks().next().unwrap();
    /// assert!(check.is_approved());
    /// assert_eq!(check.matches(), [(Some(PoolId::from("p-1")), ApplicantId::from("a-1"))]);
    /// assert_eq!(check.matched_applicant(), Some(ApplicantId::from("a-1")));
    /// ```
    pub fn matches(&self) -> Vec<(Option<PoolId>, ApplicantId)> {
        let Some(report) = &self.report else {
            return Vec::new();
        };
        report
            .breakdown
            .iter()
            .filter_map(|b| {
                let detail = |name: &str| {
                    b.details
                        .iter()
                        .find(|d| d.name.as_deref() == Some(name))
                        .and_then(|d| d.value.as_deref())
                        .filter(|v| !v.is_empty())
                };
                let applicant = detail("matching_applicant")?;
                Some((
                    detail("matching_pool").map(PoolId::from),
                    ApplicantId::from(applicant),
                ))
            })
            .collect()
    }

    /// The first applicant the search matched, if any.
    pub fn matched_applicant(&self) -> Option<ApplicantId> {
        self.matches().into_iter().next().map(|(_, a)| a)
    }
}

fn recommendation(report: Option<&Report>) -> Option<&RecommendationValue> {
    report?.recommendation.as_ref().map(|r| &r.value)
}

impl CheckResponse {
    /// The recommendation's value, if the check has a report.
    pub fn recommendation(&self) -> Option<&RecommendationValue> {
        recommendation(self.report())
    }

    /// Whether the check recommends `APPROVE`.
    pub fn is_approved(&self) -> bool {
        self.recommendation() == Some(&RecommendationValue::Approve)
    }

    /// The profile the check generated (third-party, fraud and watchlist checks).
    pub fn generated_profile(&self) -> Option<&GeneratedProfileResponse> {
        match self {
            CheckResponse::ThirdPartyIdentity(c) => c.generated_profile.as_ref(),
            CheckResponse::ThirdPartyIdentityFraud1(c) => c.generated_profile.as_ref(),
            CheckResponse::WatchlistScreening(c) => c.generated_profile.as_ref(),
            CheckResponse::WatchlistAdvancedCa(c) => c.generated_profile.as_ref(),
            CheckResponse::SynecticsIdentityFraud(c) => c.generated_profile.as_ref(),
            _ => None,
        }
    }

    /// The watchlist summary of the report (watchlist checks).
    pub fn watchlist_summary(&self) -> Option<&WatchlistSummary> {
        self.report()?.watchlist_summary.as_ref()
    }
}

impl SessionState {
    /// Whether the session will change no more (completed or expired).
    pub fn is_terminal(&self) -> bool {
        matches!(self, SessionState::Completed | SessionState::Expired)
    }
}

impl ResourceContainer {
    /// Static liveness resources.
    pub fn static_liveness(&self) -> impl Iterator<Item = &StaticLivenessResource> + '_ {
        self.liveness_capture.iter().filter_map(|r| match r {
            LivenessResource::Static(r) => Some(r),
            _ => None,
        })
    }

    /// Zoom liveness resources.
    pub fn zoom_liveness(&self) -> impl Iterator<Item = &ZoomLivenessResource> + '_ {
        self.liveness_capture.iter().filter_map(|r| match r {
            LivenessResource::Zoom(r) => Some(r),
            _ => None,
        })
    }

    /// Liveness resources of a type this version of the SDK does not know.
    pub fn unknown_liveness(&self) -> impl Iterator<Item = &UnknownLivenessResource> + '_ {
        self.liveness_capture.iter().filter_map(|r| match r {
            LivenessResource::Unknown(r) => Some(r),
            _ => None,
        })
    }

    /// Liveness resources of one type.
    pub fn liveness_of_type<'a>(
        &'a self,
        liveness_type: &'a LivenessType,
    ) -> impl Iterator<Item = &'a LivenessResource> + 'a {
        self.liveness_capture
            .iter()
            .filter(move |r| r.liveness_type() == *liveness_type)
    }

    /// Every media id of every resource (pages, frames, document fields, photos, files,
    /// face maps, selfies, profiles), resource by resource in the container's order. Media
    /// generated by tasks and checks are not included (see their `generated_media`).
    pub fn media_ids(&self) -> Vec<&MediaId> {
        fn frames(frames: &[FrameResponse]) -> impl Iterator<Item = Option<&MediaResponse>> {
            frames.iter().map(|f| f.media.as_ref())
        }
        fn pages(pages: &[PageResponse]) -> impl Iterator<Item = Option<&MediaResponse>> {
            pages
                .iter()
                .flat_map(|p| std::iter::once(p.media.as_ref()).chain(frames(&p.frames)))
        }
        let mut all: Vec<Option<&MediaResponse>> = Vec::new();
        for d in &self.id_documents {
            all.extend(pages(&d.pages));
            all.push(d.document_fields.as_ref().and_then(|m| m.media.as_ref()));
            all.push(
                d.expanded_document_fields
                    .as_ref()
                    .and_then(|m| m.media.as_ref()),
            );
            all.push(d.document_id_photo.as_ref().and_then(|m| m.media.as_ref()));
        }
        for d in &self.supplementary_documents {
            all.extend(pages(&d.pages));
            all.push(d.document_fields.as_ref().and_then(|m| m.media.as_ref()));
            all.push(d.file.as_ref().and_then(|m| m.media.as_ref()));
        }
        for l in &self.liveness_capture {
            match l {
                LivenessResource::Zoom(z) => {
                    all.push(z.facemap.as_ref().and_then(|m| m.media.as_ref()));
                    all.extend(frames(&z.frames));
                }
                LivenessResource::Static(s) => {
                    all.push(s.image.as_ref().and_then(|m| m.media.as_ref()))
                }
                _ => {}
            }
        }
        for f in &self.face_capture {
            all.push(f.image.as_ref().and_then(|m| m.media.as_ref()));
        }
        for s in &self.share_codes {
            for m in [&s.lookup_profile, &s.returned_profile, &s.id_photo] {
                all.push(m.as_ref().and_then(|m| m.media.as_ref()));
            }
            all.push(s.file.as_ref().and_then(|m| m.media.as_ref()));
        }
        for a in &self.applicant_profiles {
            all.push(a.media.as_ref());
        }
        all.into_iter().flatten().map(|m| &m.id).collect()
    }
}

impl LivenessResource {
    /// The selfie of a static liveness resource.
    pub fn image(&self) -> Option<&ImageResponse> {
        match self {
            LivenessResource::Static(s) => s.image.as_ref(),
            _ => None,
        }
    }
}
