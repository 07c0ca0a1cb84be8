//! Every response type decodes from a fixture written from the API inventory, and its key
//! fields read back as expected.

// Test helpers: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used)]

use idv_model::*;

fn fixture<T: serde::de::DeserializeOwned>(name: &str) -> T {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap();
    let de = &mut serde_json::Deserializer::from_str(&text);
    match serde_path_to_error::deserialize(de) {
        Ok(v) => v,
        Err(e) => panic!("{name}: at {}: {}", e.path(), e.inner()),
    }
}

fn session() -> GetSessionResult {
    fixture("get_session_full.json")
}

#[test]
fn create_session_result() {
    let created: CreateSessionResult = fixture("create_session_result.json");
    assert_eq!(created.session_id, "3f0b1c2d-4e5f-4a6b-8c7d-9e0f1a2b3c4d");
    assert_eq!(created.client_session_token_ttl, Some(599));
    assert_eq!(
        created.client_session_token.expose_secret(),
        "c0ffee00-1234-4abc-8def-0123456789ab"
    );
    assert_eq!(
        created.session_deadline.as_deref(),
        Some("2026-03-09T10:15:30.000Z")
    );
}

#[test]
fn session_top_level_fields() {
    let s = session();
    assert_eq!(
        s.session_id.as_deref(),
        Some("3f0b1c2d-4e5f-4a6b-8c7d-9e0f1a2b3c4d")
    );
    assert_eq!(s.client_session_token_ttl, Some(0));
    assert_eq!(s.user_tracking_id.as_deref(), Some("user-7f3e9a"));
    assert_eq!(s.state, Some(SessionState::Completed));
    assert!(s.is_completed());
    assert!(s.state.as_ref().unwrap().is_terminal());
    assert_eq!(
        s.client_session_token.as_ref().unwrap().expose_secret(),
        "b5c9e1d2-0a3b-4c5d-8e6f-7a8b9c0d1e2f"
    );
    assert_eq!(
        s.biometric_consent.as_deref(),
        Some("2026-03-02T10:15:30.123Z")
    );
    assert_eq!(s.checks.len(), 18);
    assert!(s.unknown_checks().next().is_none());
}

#[test]
fn every_check_type_is_typed() {
    let s = session();
    let types: Vec<CheckType> = s.checks.iter().map(|c| c.check_type()).collect();
    for t in CheckType::KNOWN {
        assert!(types.contains(t), "no {t} check in the fixture");
    }
    assert_eq!(s.id_document_authenticity_checks().count(), 1);
    assert_eq!(s.id_document_text_data_checks().count(), 1);
    assert_eq!(s.supplementary_document_text_data_checks().count(), 1);
    assert_eq!(s.id_document_face_match_checks().count(), 1);
    assert_eq!(s.liveness_checks().count(), 2);
    assert_eq!(s.id_document_comparison_checks().count(), 1);
    assert_eq!(s.face_comparison_checks().count(), 1);
    assert_eq!(s.third_party_identity_checks().count(), 1);
    assert_eq!(s.third_party_identity_fraud_1_checks().count(), 1);
    assert_eq!(s.watchlist_screening_checks().count(), 1);
    assert_eq!(s.watchlist_advanced_ca_checks().count(), 2);
    assert_eq!(s.ibv_visual_review_checks().count(), 1);
    assert_eq!(s.document_scheme_validity_checks().count(), 1);
    assert_eq!(s.profile_document_match_checks().count(), 1);
    assert_eq!(s.synectics_identity_fraud_checks().count(), 1);
    assert_eq!(s.familiar_face_search_checks().count(), 1);
    assert_eq!(s.checks_of_type(&CheckType::Liveness).count(), 2);
}

#[test]
fn check_common_fields_and_reports() {
    let s = session();
    let auth = s.id_document_authenticity_checks().next().unwrap();
    assert_eq!(
        auth.id.as_deref(),
        Some("c1000000-0000-4000-8000-000000000001")
    );
    assert_eq!(auth.state, Some(CheckState::Done));
    assert_eq!(
        auth.resources_used,
        ["a1d0c6e8-0001-4c8e-9f11-7b2c5d6e7f80"]
    );
    assert!(auth.is_approved());
    let report = auth.report.as_ref().unwrap();
    assert_eq!(report.breakdown.len(), 3);
    assert_eq!(
        report.breakdown[0].sub_check.as_deref(),
        Some("document_in_date")
    );
    assert_eq!(report.breakdown[0].result, BreakdownResult::Pass);
    assert_eq!(report.breakdown[0].process.as_deref(), Some("AUTOMATED"));
    assert_eq!(
        report.breakdown[2].details[0].name.as_deref(),
        Some("issuing_authority")
    );
    assert_eq!(
        report.breakdown[2].details[0].value.as_deref(),
        Some("HMPO")
    );
    assert_eq!(auth.created.as_deref(), Some("2026-03-02T10:20:00Z"));
    assert_eq!(auth.last_updated.as_deref(), Some("2026-03-02T10:21:00Z"));

    let text = s.id_document_text_data_checks().next().unwrap();
    assert_eq!(text.generated_media[0].media_type, Some(MediaType::Json));

    let supp = s.supplementary_document_text_data_checks().next().unwrap();
    let rec = supp
        .report
        .as_ref()
        .unwrap()
        .recommendation
        .as_ref()
        .unwrap();
    assert_eq!(rec.value, RecommendationValue::NotAvailable);
    assert_eq!(rec.reason.as_deref(), Some("PHOTO_TOO_DARK"));
    assert_eq!(rec.recovery_suggestion.as_deref(), Some("BETTER_LIGHTING"));

    let face_match = s.id_document_face_match_checks().next().unwrap();
    let detail = &face_match.report.as_ref().unwrap().breakdown[0].details[0];
    assert_eq!(
        (detail.name.as_deref(), detail.value.as_deref()),
        (Some("confidence_score"), Some("0.93"))
    );

    let liveness: Vec<_> = s.liveness_checks().collect();
    assert_eq!(
        liveness[0].recommendation(),
        Some(&RecommendationValue::Reject)
    );
    assert!(liveness[1].is_approved());

    let face = s.face_comparison_checks().next().unwrap();
    assert!(
        face.resources_used
            .contains(&ResourceId::from("a5d0c6e8-0005-4c8e-9f11-7b2c5d6e7f84"))
    );

    let scheme = s.document_scheme_validity_checks().next().unwrap();
    assert_eq!(scheme.scheme.as_deref(), Some("UK_DBS"));

    let pending = s.profile_document_match_checks().next().unwrap();
    assert_eq!(pending.state, Some(CheckState::Pending));
    assert!(pending.report.is_none());
    assert_eq!(pending.recommendation(), None);

    let synectics = s.synectics_identity_fraud_checks().next().unwrap();
    assert_eq!(
        synectics.recommendation(),
        Some(&RecommendationValue::Reject)
    );
}

#[test]
fn enum_accessors_read_every_variant() {
    let s = session();
    for c in &s.checks {
        assert!(c.id().is_some_and(|id| !id.is_empty()));
        assert!(c.state().is_some());
        assert!(!c.resources_used().is_empty());
        assert!(c.created().is_some() && c.last_updated().is_some());
        assert!(!c.check_type().is_unknown());
    }
    let ibv = s
        .check(&"cc000000-0000-4000-8000-00000000000c".into())
        .unwrap();
    assert_eq!(ibv.check_type(), CheckType::IbvVisualReviewCheck);
    assert!(ibv.is_approved());
    assert_eq!(
        ibv.report().unwrap().breakdown[0].process.as_deref(),
        Some("IBV")
    );
    let text = s
        .check(&"c2000000-0000-4000-8000-000000000002".into())
        .unwrap();
    assert_eq!(
        text.generated_media()[0].id,
        "m9100000-0000-4000-8000-000000000091"
    );
    assert!(s.check(&CheckId::from("nope")).is_none());
}

#[test]
fn profiles_and_watchlist_summaries() {
    let s = session();
    for c in &s.checks {
        let has_profile = matches!(
            c.check_type(),
            CheckType::ThirdPartyIdentity
                | CheckType::ThirdPartyIdentityFraud1
                | CheckType::WatchlistScreening
                | CheckType::SynecticsIdentityFraud
        ) || c
            .id()
            .is_some_and(|id| id == "ca000000-0000-4000-8000-00000000000a");
        assert_eq!(c.generated_profile().is_some(), has_profile, "{:?}", c.id());
    }
    let tpi = s.third_party_identity_checks().next().unwrap();
    let media = tpi
        .generated_profile
        .as_ref()
        .unwrap()
        .media
        .as_ref()
        .unwrap();
    assert_eq!(media.id, "m8000000-0000-4000-8000-000000000080");
    assert_eq!(media.media_type, Some(MediaType::Json));

    // screening: categories only
    let screening = s.watchlist_screening_checks().next().unwrap();
    let report = screening.report.as_ref().unwrap();
    assert_eq!(
        report.recommendation.as_ref().unwrap().value,
        RecommendationValue::Consider
    );
    let summary = report.watchlist_summary.as_ref().unwrap();
    assert_eq!(summary.total_hits, Some(2));
    assert_eq!(summary.associated_country_codes, ["GBR", "FRA"]);
    assert_eq!(
        summary
            .raw_results
            .as_ref()
            .unwrap()
            .media
            .as_ref()
            .unwrap()
            .id,
        "m9500000-0000-4000-8000-000000000095"
    );
    let config = summary.search_config.as_ref().unwrap();
    assert_eq!(config.account, None);
    assert_eq!(
        config.categories,
        [
            WatchlistCategory::AdverseMedia,
            WatchlistCategory::Sanctions
        ]
    );

    // advanced, Yoti account: type list + exact
    let ca: Vec<_> = s.watchlist_advanced_ca_checks().collect();
    let yoti = ca[0]
        .report
        .as_ref()
        .unwrap()
        .watchlist_summary
        .as_ref()
        .unwrap();
    let config = yoti.search_config.as_ref().unwrap();
    assert_eq!(
        config.account,
        Some(WatchlistAdvancedCaAccount::WithYotiAccount)
    );
    assert_eq!(config.remove_deceased, Some(true));
    assert_eq!(config.share_url, Some(false));
    match config.sources.as_ref().unwrap() {
        CaSources::TypeList(t) => assert_eq!(t.types, ["pep", "fitness-probity", "warning"]),
        other => panic!("{other:?}"),
    }
    match config.matching_strategy.as_ref().unwrap() {
        CaMatchingStrategy::Exact(e) => assert_eq!(e.exact_match, Some(true)),
        other => panic!("{other:?}"),
    }
    assert_eq!(
        config.sources.as_ref().unwrap().sources_type(),
        CaSourcesType::TypeList
    );

    // advanced, custom account: profile + fuzzy
    let custom = ca[1]
        .report
        .as_ref()
        .unwrap()
        .watchlist_summary
        .as_ref()
        .unwrap();
    assert_eq!(custom.total_hits, Some(3));
    assert!(custom.raw_results.is_none());
    let config = custom.search_config.as_ref().unwrap();
    assert_eq!(
        config.account,
        Some(WatchlistAdvancedCaAccount::WithCustomAccount)
    );
    match config.sources.as_ref().unwrap() {
        CaSources::Profile(p) => assert_eq!(
            p.search_profile.as_deref(),
            Some("b41b7d9c-2f4c-4d3a-9b25-0a6c1f2e3d4c")
        ),
        other => panic!("{other:?}"),
    }
    match config.matching_strategy.as_ref().unwrap() {
        CaMatchingStrategy::Fuzzy(f) => assert_eq!(f.fuzziness, Some(0.6)),
        other => panic!("{other:?}"),
    }
    assert_eq!(
        config.matching_strategy.as_ref().unwrap().strategy_type(),
        CaMatchingStrategyType::Fuzzy
    );
    assert_eq!(config.monitoring, Some(true));
    assert_eq!(config.tags["team"], "onboarding");
    assert_eq!(config.client_ref.as_deref(), Some("client-ref-42"));
    assert_eq!(config.api_key.as_deref(), Some("ca-api-key-do-not-print"));
    assert!(ca[1].generated_profile.is_none());
    assert_eq!(
        s.checks[12].watchlist_summary().unwrap().total_hits,
        Some(3)
    );
}

#[test]
fn id_documents_with_pages_frames_fields_and_photo() {
    let s = session();
    let doc = &s.resources.id_documents[0];
    assert_eq!(
        doc.id.as_deref(),
        Some("a1d0c6e8-0001-4c8e-9f11-7b2c5d6e7f80")
    );
    assert_eq!(doc.document_type.as_deref(), Some("PASSPORT"));
    assert_eq!(doc.issuing_country.as_deref(), Some("GBR"));
    assert_eq!(
        doc.source.as_ref().unwrap().source_type,
        Some(SourceType::EndUser)
    );
    let page = &doc.pages[0];
    assert_eq!(page.capture_method, Some(CaptureMethod::Camera));
    let media = page.media.as_ref().unwrap();
    assert_eq!(media.id, "m1000000-0000-4000-8000-000000000001");
    assert_eq!(media.media_type, Some(MediaType::Image));
    assert_eq!(media.created.as_deref(), Some("2026-03-02T10:15:50Z"));
    assert_eq!(media.last_updated.as_deref(), Some("2026-03-02T10:15:50Z"));
    assert_eq!(page.frames.len(), 3);
    assert!(page.frames[1].media.is_none() && page.frames[2].media.is_none());
    assert_eq!(
        page.extraction_image_ids,
        ["m1000000-0000-4000-8000-000000000001"]
    );
    let id =
        |m: &Option<DocumentFieldsResponse>| m.as_ref().unwrap().media.as_ref().unwrap().id.clone();
    assert_eq!(
        id(&doc.document_fields),
        "m1200000-0000-4000-8000-000000000012"
    );
    assert_eq!(
        id(&doc.expanded_document_fields),
        "m1300000-0000-4000-8000-000000000013"
    );
    assert_eq!(
        doc.document_id_photo
            .as_ref()
            .unwrap()
            .media
            .as_ref()
            .unwrap()
            .id,
        "m1400000-0000-4000-8000-000000000014"
    );

    // its text-extraction task
    let TaskResponse::IdDocumentTextDataExtraction(task) = &doc.tasks[0] else {
        panic!("{:?}", doc.tasks[0])
    };
    assert_eq!(
        task.id.as_deref(),
        Some("t1000000-0000-4000-8000-000000000001")
    );
    assert_eq!(task.state, Some(TaskState::Done));
    assert_eq!(
        task.generated_checks[0].check_type,
        Some(CheckType::IdDocumentTextDataCheck)
    );
    assert_eq!(
        task.generated_media[0].id,
        "m9000000-0000-4000-8000-000000000009"
    );
    let rec = task.recommendation.as_ref().unwrap();
    assert_eq!(rec.value.as_deref(), Some("PROGRESS"));
    let reason = rec.reason.as_ref().unwrap();
    assert_eq!(
        (reason.value.as_deref(), reason.detail.as_deref()),
        (Some("QUALITY"), Some("GLARE"))
    );
    assert_eq!(
        doc.tasks[0].task_type(),
        TaskType::IdDocumentTextDataExtraction
    );
    assert_eq!(doc.tasks[0].generated_checks().len(), 1);
    assert_eq!(
        doc.tasks[0].created().map(|v| v.as_str()),
        Some("2026-03-02T10:16:01Z")
    );
}

#[test]
fn supplementary_documents_liveness_face_capture_share_codes_applicants() {
    let s = session();
    let r = &s.resources;
    let supp = &r.supplementary_documents[0];
    assert_eq!(supp.document_type.as_deref(), Some("UTILITY_BILL"));
    assert_eq!(supp.pages[0].capture_method, Some(CaptureMethod::Upload));
    assert_eq!(
        supp.file
            .as_ref()
            .unwrap()
            .media
            .as_ref()
            .unwrap()
            .media_type,
        Some(MediaType::Binary)
    );
    let TaskResponse::SupplementaryDocumentTextDataExtraction(task) = &supp.tasks[0] else {
        panic!()
    };
    assert_eq!(
        task.recommendation.as_ref().unwrap().value.as_deref(),
        Some("MUST_TRY_AGAIN")
    );

    assert_eq!(r.liveness_capture.len(), 2);
    let zoom = r.zoom_liveness().next().unwrap();
    assert_eq!(
        zoom.facemap.as_ref().unwrap().media.as_ref().unwrap().id,
        "m3000000-0000-4000-8000-000000000030"
    );
    assert_eq!(zoom.frames.len(), 2);
    let stat = r.static_liveness().next().unwrap();
    assert_eq!(stat.capture_type.as_deref(), Some("ACTIVE"));
    assert_eq!(
        stat.image.as_ref().unwrap().media.as_ref().unwrap().id,
        "m4000000-0000-4000-8000-000000000040"
    );
    assert_eq!(r.liveness_capture[1].liveness_type(), LivenessType::Static);
    assert_eq!(
        r.liveness_capture[0].id().map(|id| id.as_str()),
        Some("a3d0c6e8-0003-4c8e-9f11-7b2c5d6e7f82")
    );
    assert_eq!(r.liveness_of_type(&LivenessType::Zoom).count(), 1);
    assert!(r.liveness_capture[1].image().is_some());

    let face = &r.face_capture[0];
    assert_eq!(
        face.source.as_ref().unwrap().source_type,
        Some(SourceType::RelyingBusiness)
    );
    assert_eq!(
        face.image.as_ref().unwrap().media.as_ref().unwrap().id,
        "m5000000-0000-4000-8000-000000000050"
    );

    let code = &r.share_codes[0];
    assert_eq!(code.created_at.as_deref(), Some("2026-03-02T10:19:00Z"));
    assert_eq!(code.last_updated.as_deref(), Some("2026-03-02T10:19:10Z"));
    assert_eq!(
        code.lookup_profile
            .as_ref()
            .unwrap()
            .media
            .as_ref()
            .unwrap()
            .id,
        "m6000000-0000-4000-8000-000000000060"
    );
    assert!(code.returned_profile.is_some() && code.id_photo.is_some() && code.file.is_some());
    assert!(matches!(
        code.tasks[0],
        TaskResponse::VerifyShareCodeTask(_)
    ));

    let applicant = &r.applicant_profiles[0];
    assert_eq!(
        applicant.media.as_ref().unwrap().id,
        "m7000000-0000-4000-8000-000000000070"
    );

    let ids = r.media_ids();
    assert_eq!(ids.len(), 17, "{ids:?}");
    assert_eq!(ids[0], "m1000000-0000-4000-8000-000000000001");
    assert!(
        ids.iter()
            .any(|id| *id == "m5000000-0000-4000-8000-000000000050")
    );
    assert!(
        ids.iter()
            .any(|id| *id == "m7000000-0000-4000-8000-000000000070")
    );
}

#[test]
fn identity_profiles_previews_and_import_token() {
    let s = session();
    let ip = s.identity_profile.as_ref().unwrap();
    assert_eq!(ip.subject_id.as_deref(), Some("subject-jane-doe-1985"));
    assert_eq!(ip.result.as_deref(), Some("DONE"));
    let failure = ip.failure_reason.as_ref().unwrap();
    assert_eq!(
        failure.reason_code.as_deref(),
        Some("MANDATORY_DOCUMENT_COULD_NOT_BE_PROVIDED")
    );
    let detail = &failure.requirements_not_met_details[0];
    assert_eq!(
        detail.failure_type.as_deref(),
        Some("ID_DOCUMENT_EXTRACTION")
    );
    assert_eq!(detail.document_type.as_deref(), Some("PASSPORT"));
    assert_eq!(detail.document_country_iso_code.as_deref(), Some("GBR"));
    assert_eq!(detail.audit_id.as_deref(), Some("audit-0001"));
    assert_eq!(detail.details.as_deref(), Some("NOT_APPLICABLE_FOR_SCHEME"));
    let report = ip.identity_profile_report.as_ref().unwrap();
    assert_eq!(report.trust_framework.as_deref(), Some("UK_TFIDA"));
    let dbs = &report.schemes_compliance[0];
    assert_eq!(
        dbs.scheme.as_ref().unwrap().scheme_type.as_deref(),
        Some("DBS")
    );
    assert_eq!(
        dbs.scheme.as_ref().unwrap().objective.as_deref(),
        Some("BASIC")
    );
    assert_eq!(dbs.requirements_met, Some(true));
    let rtw = &report.schemes_compliance[1];
    assert_eq!(rtw.requirements_met, Some(false));
    assert_eq!(
        rtw.requirements_not_met_info.as_deref(),
        Some("Expired document")
    );
    assert_eq!(
        report.media.as_ref().unwrap().id,
        "mb000000-0000-4000-8000-0000000000b0"
    );

    let adv = s.advanced_identity_profile.as_ref().unwrap();
    assert_eq!(adv.result.as_deref(), Some("DONE"));
    assert!(adv.failure_reason.is_none());
    let report = adv.identity_profile_report.as_ref().unwrap();
    assert_eq!(report.compliance.len(), 2);
    assert_eq!(
        report.compliance[1].trust_framework.as_deref(),
        Some("YOTI_GLOBAL")
    );
    let scheme = report.compliance[1].schemes_compliance[0]
        .scheme
        .as_ref()
        .unwrap();
    assert_eq!(scheme.label.as_deref(), Some("label-for-IDENTITY"));
    assert_eq!(scheme.objective.as_deref(), Some("AL_L1"));

    let preview = s
        .identity_profile_preview
        .as_ref()
        .unwrap()
        .media
        .as_ref()
        .unwrap();
    assert_eq!(preview.media_type, Some(MediaType::Pdf));
    assert!(s.advanced_identity_profile_preview.is_some());
    let token = s.import_token.as_ref().unwrap();
    assert_eq!(
        token.failure_reason.as_deref(),
        Some("NOT_ALL_CHECKS_PASSED")
    );
    assert_eq!(
        token.media.as_ref().unwrap().id,
        "mf100000-0000-4000-8000-0000000000f1"
    );
}

#[test]
fn session_configuration_with_every_required_resource_kind() {
    let c: SessionConfiguration = fixture("session_configuration.json");
    assert_eq!(
        c.session_id.as_deref(),
        Some("3f0b1c2d-4e5f-4a6b-8c7d-9e0f1a2b3c4d")
    );
    assert_eq!(c.client_session_token_ttl, Some(587));
    assert_eq!(c.requested_checks[1], CheckType::Liveness);
    assert_eq!(c.requested_checks[3].as_str(), "A_CHECK_FROM_THE_FUTURE");
    let capture = c.capture.as_ref().unwrap();
    assert_eq!(capture.biometric_consent.as_deref(), Some("REQUIRED"));
    assert_eq!(c.required_resources().count(), 6);
    assert_eq!(
        c.sdk_config.as_ref().unwrap().suppressed_screens,
        [
            SuppressedScreen::IdDocumentEducation,
            SuppressedScreen::FlowCompletion
        ]
    );

    let id = c.id_document_requirements().next().unwrap();
    assert_eq!(id.id, "r1000000-0000-4000-8000-000000000001");
    assert_eq!(id.state.as_deref(), Some("REQUIRED"));
    assert_eq!(id.allowed_sources[1].source_type, Some(SourceType::Ibv));
    assert_eq!(
        id.requested_tasks[0].task_type,
        Some(TaskType::IdDocumentTextDataExtraction)
    );
    assert_eq!(id.requested_tasks[0].state.as_deref(), Some("REQUIRED"));
    assert_eq!(id.supported_countries[0].code.as_deref(), Some("GBR"));
    assert_eq!(
        id.supported_countries[0].supported_documents[1]
            .document_type
            .as_deref(),
        Some("DRIVING_LICENCE")
    );
    assert_eq!(
        id.supported_countries[0].supported_documents[1].is_strictly_latin,
        Some(false)
    );
    assert_eq!(
        id.allowed_capture_methods.as_deref(),
        Some("CAMERA_AND_UPLOAD")
    );
    assert_eq!(id.attempts_remaining["GENERIC"], 3);
    assert_eq!(id.attempts_remaining["RECLASSIFICATION"], 2);

    let supp = c.supplementary_document_requirements().next().unwrap();
    assert_eq!(supp.document_types, ["UTILITY_BILL", "BANK_STATEMENT"]);
    assert_eq!(supp.country_codes, ["GBR"]);
    assert_eq!(
        supp.objective.as_ref().unwrap().objective_type,
        Some(ObjectiveType::ProofOfAddress)
    );
    assert_eq!(supp.requested_tasks.len(), 1);

    let live: Vec<_> = c.liveness_requirements().collect();
    assert_eq!(live[0].liveness_type, Some(LivenessType::Static));
    assert_eq!(live[1].liveness_type, Some(LivenessType::Zoom));
    assert_eq!(live[1].state.as_deref(), Some("COMPLETE"));

    let face: Vec<_> = c.face_capture_requirements().collect();
    assert_eq!(face.len(), 1);
    assert_eq!(face[0].id, "r4000000-0000-4000-8000-000000000004");

    let all: Vec<_> = c.required_resources().collect();
    assert!(all[4].is_relying_business_allowed());
    assert!(!all[0].is_relying_business_allowed());
    assert_eq!(all[4].resource_type(), RequiredResourceType::FaceCapture);
    let RequiredResource::Unknown(voice) = all[5] else {
        panic!("{:?}", all[5])
    };
    assert_eq!(voice.resource_type.as_str(), "VOICE_SAMPLE");
    assert_eq!(voice.id, "r5000000-0000-4000-8000-000000000005");
    assert_eq!(
        voice.allowed_sources[0]
            .source_type
            .as_ref()
            .unwrap()
            .as_str(),
        "SOMEONE_NEW"
    );
    assert!(voice.raw_json().contains(r#""sample_rate":16000"#));
    assert_eq!(all[5].id(), "r5000000-0000-4000-8000-000000000005");
    assert_eq!(all[5].state(), Some("REQUIRED"));
}

#[test]
fn supported_documents() {
    let d: SupportedDocumentsResponse = fixture("supported_documents.json");
    assert_eq!(d.supported_countries.len(), 3);
    let gbr = d.country("GBR").unwrap();
    assert_eq!(
        gbr.supported_documents[0].document_type.as_deref(),
        Some("PASSPORT")
    );
    assert_eq!(gbr.supported_documents[0].is_strictly_latin, Some(true));
    assert_eq!(
        gbr.supported_documents[2]
            .requirements
            .as_ref()
            .unwrap()
            .date_from
            .as_deref(),
        Some("2019-01-01")
    );
    let ind = d.country("IND").unwrap();
    assert_eq!(
        ind.supported_documents[0].document_type.as_deref(),
        Some("AADHAAR")
    );
    assert_eq!(ind.supported_documents[1].is_strictly_latin, None);
    assert!(d.country("USA").unwrap().supported_documents.is_empty());
    assert!(d.country("FRA").is_none());
}

#[test]
fn tracked_devices() {
    let events: Vec<TrackedDeviceEvent> = fixture("tracked_devices.json");
    assert_eq!(events.len(), 3);
    assert_eq!(events[0].event.as_deref(), Some("CONFIG_FIRST_LOADED"));
    assert_eq!(events[0].created.as_deref(), Some("2026-03-02T10:10:00Z"));
    let device = events[0].device.as_ref().unwrap();
    assert_eq!(device.ip_address.as_deref(), Some("203.0.113.42"));
    assert_eq!(device.ip_iso_country_code.as_deref(), Some("GBR"));
    assert_eq!(device.manufacture_name.as_deref(), Some("Apple"));
    assert_eq!(device.model_name.as_deref(), Some("iPhone 15"));
    assert_eq!(device.os_name.as_deref(), Some("iOS"));
    assert_eq!(device.os_version.as_deref(), Some("19.1"));
    assert_eq!(device.browser_name.as_deref(), Some("Safari"));
    assert_eq!(device.browser_version.as_deref(), Some("19.1"));
    assert_eq!(device.locale.as_deref(), Some("en-GB"));
    assert_eq!(device.client_version.as_deref(), Some("3.42.0"));
    assert_eq!(
        events[1].resource_id.as_deref(),
        Some("a1d0c6e8-0001-4c8e-9f11-7b2c5d6e7f80")
    );
    assert!(events[2].device.is_none());
}

#[test]
fn ibv_instructions_and_contact_profile() {
    let i: InstructionsResponse = fixture("instructions_response.json");
    assert_eq!(i.contact_profile_exists, Some(true));
    assert_eq!(i.documents.len(), 3);
    assert_eq!(
        i.documents[0].requirement_id.as_deref(),
        Some("r1000000-0000-4000-8000-000000000001")
    );
    match i.documents[0].document.as_ref().unwrap() {
        SelectedDocumentResponse::IdDocument(d) => {
            assert_eq!(d.country_code.as_deref(), Some("GBR"));
            assert_eq!(d.document_type.as_deref(), Some("PASSPORT"));
        }
        other => panic!("{other:?}"),
    }
    match i.documents[1].document.as_ref().unwrap() {
        SelectedDocumentResponse::SupplementaryDocument(d) => {
            assert_eq!(d.document_type.as_deref(), Some("UTILITY_BILL"))
        }
        other => panic!("{other:?}"),
    }
    let unknown = i.documents[2].document.as_ref().unwrap();
    assert_eq!(unknown.kind().as_str(), "HOLOGRAPHIC_SCROLL");
    let SelectedDocumentResponse::Unknown(u) = unknown else {
        panic!()
    };
    assert!(u.raw_json().contains(r#""seal":"wax""#));

    let branch = i.branch.as_ref().unwrap();
    assert_eq!(branch.branch_type(), BranchType::UkPostOffice);
    let BranchResponse::UkPostOffice(b) = branch else {
        panic!()
    };
    assert_eq!(b.fad_code.as_deref(), Some("2811032"));
    assert_eq!(b.name.as_deref(), Some("High Street"));
    assert_eq!(b.address.as_deref(), Some("1 High Street, London"));
    assert_eq!(b.post_code.as_deref(), Some("SW1A 1AA"));
    let location = b.location.as_ref().unwrap();
    assert_eq!(
        (location.latitude, location.longitude),
        (Some(51.501009), Some(-0.141588))
    );

    let contact: ContactProfileResponse = fixture("contact_profile.json");
    assert_eq!(contact.first_name.as_deref(), Some("Jane"));
    assert_eq!(contact.last_name.as_deref(), Some("Doe"));
    assert_eq!(contact.email.as_deref(), Some("jane.doe@example.com"));
}

#[test]
fn face_capture_resource() {
    let r: CreateFaceCaptureResourceResponse = fixture("face_capture_resource.json");
    assert_eq!(r.id, "a5d0c6e8-0005-4c8e-9f11-7b2c5d6e7f84");
    assert_eq!(r.frames, Some(1));
    let r: CreateFaceCaptureResourceResponse =
        serde_json::from_str(r#"{"id":"x","frames":null}"#).unwrap();
    assert_eq!(r.frames, None);
    assert!(serde_json::from_str::<CreateFaceCaptureResourceResponse>(r#"{"frames":1}"#).is_err());
}

/// Every property of every response type of the spec appears in at least one fixture, so
/// the fixtures exercise the whole response model.
#[test]
fn fixtures_cover_every_response_property() {
    let spec: serde_json::Value =
        serde_json::from_str(include_str!("../../../../spec/idv-openapi.json")).unwrap();
    let mut keys = std::collections::BTreeSet::new();
    fn collect(v: &serde_json::Value, keys: &mut std::collections::BTreeSet<String>) {
        match v {
            serde_json::Value::Object(m) => {
                for (k, v) in m {
                    keys.insert(k.clone());
                    collect(v, keys);
                }
            }
            serde_json::Value::Array(a) => a.iter().for_each(|v| collect(v, keys)),
            _ => {}
        }
    }
    let dir = format!("{}/tests/fixtures", env!("CARGO_MANIFEST_DIR"));
    for entry in std::fs::read_dir(dir).unwrap() {
        let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
        collect(&serde_json::from_str(&text).unwrap(), &mut keys);
    }
    let mut missing = Vec::new();
    for (name, schema) in spec["components"]["schemas"].as_object().unwrap() {
        if schema["x-rust-role"] != "response" || schema["x-rust-skip"] == true {
            continue;
        }
        let mut props = Vec::new();
        if let Some(p) = schema["properties"].as_object() {
            props.extend(p.keys());
        }
        for part in schema["allOf"].as_array().into_iter().flatten() {
            if let Some(p) = part["properties"].as_object() {
                props.extend(p.keys());
            }
        }
        for p in props {
            if !keys.contains(p) {
                missing.push(format!("{name}.{p}"));
            }
        }
    }
    assert!(missing.is_empty(), "not in any fixture: {missing:?}");
}

/// What the official SDKs' fixtures leave out reads as absent, not as an empty value.
#[test]
fn absent_is_not_empty() {
    let s: GetSessionResult = serde_json::from_str(r#"{"state":"ONGOING"}"#).unwrap();
    assert_eq!(s.session_id, None);
    assert_eq!(s.client_session_token_ttl, None);
    assert!(s.client_session_token.is_none());
    // lists read as empty, as their documentation says
    assert!(s.checks.is_empty() && s.resources.id_documents.is_empty());

    let s: GetSessionResult =
        serde_json::from_str(r#"{"session_id":"","client_session_token_ttl":0}"#).unwrap();
    assert_eq!(s.session_id.as_deref(), Some(""));
    assert_eq!(s.client_session_token_ttl, Some(0));

    let c: SessionConfiguration = serde_json::from_str("{}").unwrap();
    assert_eq!((c.session_id, c.client_session_token_ttl), (None, None));

    let check: CheckResponse =
        serde_json::from_str(r#"{"type":"LIVENESS","state":"DONE"}"#).unwrap();
    assert_eq!(check.id(), None);
    let summary: WatchlistSummary = serde_json::from_str("{}").unwrap();
    assert_eq!(summary.total_hits, None);

    // a create-session result without its id or token is useless: it fails loudly
    assert!(
        serde_json::from_str::<CreateSessionResult>(r#"{"client_session_token":"t"}"#).is_err()
    );
    assert!(serde_json::from_str::<CreateSessionResult>(r#"{"session_id":"s"}"#).is_err());
    let created: CreateSessionResult =
        serde_json::from_str(r#"{"session_id":"s","client_session_token":"t"}"#).unwrap();
    assert_eq!(created.client_session_token_ttl, None);
    // so does a media object without the id it is fetched by
    assert!(serde_json::from_str::<MediaResponse>(r#"{"type":"IMAGE"}"#).is_err());
}

/// Ids come back typed, and timestamps keep their text whether they parse or not.
#[test]
fn typed_ids_and_timestamps() {
    let created: CreateSessionResult = fixture("create_session_result.json");
    let _: &SessionId = &created.session_id;
    assert_eq!(
        created
            .session_deadline
            .as_ref()
            .and_then(Timestamp::parsed),
        Some("2026-03-09T10:15:30Z".parse().unwrap())
    );
    let s = session();
    let consent = s.biometric_consent.as_ref().unwrap();
    assert_eq!(
        consent.parsed().map(|t| t.as_millisecond()),
        Some(1_772_446_530_123)
    );
    for c in &s.checks {
        assert!(c.created().is_some_and(Timestamp::is_valid), "{:?}", c.id());
    }

    // an unparsable timestamp does not fail the session: its text stays readable
    let s: GetSessionResult = serde_json::from_str(
        r#"{"session_id":"s1","biometric_consent":"sometime in March",
            "checks":[{"type":"LIVENESS","id":"c1","created":"2026-03-02 10:15","state":"DONE"}]}"#,
    )
    .unwrap();
    let consent = s.biometric_consent.as_ref().unwrap();
    assert_eq!(consent.as_str(), "sometime in March");
    assert_eq!(consent.parsed(), None);
    let created = s.checks[0].created().unwrap();
    assert_eq!(
        (created.as_str(), created.to_jiff()),
        ("2026-03-02 10:15", None)
    );
    assert_eq!(s.checks[0].id(), Some(&CheckId::from("c1")));
}
