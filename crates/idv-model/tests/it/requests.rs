//! Every request type serialises to exactly the JSON expected on the wire: field names,
//! order (the Node SDK's `toJSON` order where Node has the type), what is omitted when unset.

// Test helpers: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used)]

use idv_model::*;
use serde_json::json;

fn json_of<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap()
}

#[test]
fn empty_session_specification_sends_the_three_lists() {
    assert_eq!(
        json_of(&SessionSpecification::new()),
        r#"{"requested_checks":[],"requested_tasks":[],"required_documents":[]}"#
    );
}

/// The selfie flow's body is byte-identical to the Node SDK's (the digest test in idv-core
/// checks the same bytes against the Node SDK's signature).
#[test]
fn selfie_specification_matches_the_node_sdk() {
    let spec = SessionSpecification::new()
        .with_client_session_token_ttl(600)
        .with_resources_ttl(90_000)
        .with_user_tracking_id("some-user-tracking-id")
        .with_requested_check(RequestedLivenessCheck::static_liveness().with_max_retries(3))
        .with_requested_check(RequestedFaceComparisonCheck::new().with_manual_check_never())
        .with_sdk_config(
            SdkConfig::new()
                .with_success_url("https://localhost:8443/idv/success")
                .with_error_url("https://localhost:8443/idv/error")
                .with_allow_handoff(true),
        );
    assert_eq!(
        json_of(&spec),
        r#"{"client_session_token_ttl":600,"resources_ttl":90000,"user_tracking_id":"some-user-tracking-id","requested_checks":[{"type":"LIVENESS","config":{"max_retries":3,"liveness_type":"STATIC"}},{"type":"FACE_COMPARISON","config":{"manual_check":"NEVER"}}],"requested_tasks":[],"sdk_config":{"success_url":"https://localhost:8443/idv/success","error_url":"https://localhost:8443/idv/error","allow_handoff":true},"required_documents":[]}"#
    );
}

#[test]
fn full_session_specification_in_wire_order() {
    let spec = SessionSpecification::new()
        .with_client_session_token_ttl(900)
        .with_session_deadline("2026-03-09T10:15:30.000Z")
        .with_resources_ttl(604_800)
        .with_user_tracking_id("u-1")
        .with_notifications(
            NotificationConfig::new("https://example.com/hook")
                .with_auth_token("user:pass")
                .with_auth_type(NotificationAuthType::Basic)
                .with_topics([NotificationTopic::SessionCompletion])
                .with_topic(NotificationTopic::ClientSessionTokenDeleted)
                .with_topic("INSTRUCTIONS_EMAIL_REQUESTED"),
        )
        .with_requested_check(RequestedDocumentAuthenticityCheck::new())
        .with_requested_task(
            RequestedTextExtractionTask::new().with_manual_check(ManualCheck::Fallback),
        )
        .with_sdk_config(SdkConfig::new().with_locale("en-GB"))
        .with_required_document(RequiredIdDocument::new())
        .with_block_biometric_consent(false)
        .with_identity_profile_requirements(IdentityProfileRequirements::new(
            "UK_TFIDA",
            IdentityProfileScheme::new("DBS").with_objective("BASIC"),
        ))
        .with_subject(Subject::new("subject-1"))
        .with_advanced_identity_profile_requirements(
            AdvancedIdentityProfileRequirements::new().with_profile(
                AdvancedIdentityProfile::new("UK_TFIDA")
                    .with_scheme(AdvancedIdentityProfileScheme::new("RTW", "rtw-label")),
            ),
        )
        .with_create_identity_profile_preview(true)
        .with_import_token(ImportToken::new().with_ttl(2_592_000))
        .with_ibv_options(IbvOptions::new(IbvSupport::Mandatory))
        .with_resources(
            SessionResources::new().with_applicant_profile(
                json!({"full_name": "Jane Doe"})
                    .as_object()
                    .unwrap()
                    .clone(),
            ),
        )
        .with_ephemeral_media(true);
    assert_eq!(
        json_of(&spec),
        concat!(
            r#"{"client_session_token_ttl":900,"session_deadline":"2026-03-09T10:15:30.000Z","resources_ttl":604800,"user_tracking_id":"u-1","#,
            r#""notifications":{"auth_token":"user:pass","auth_type":"BASIC","endpoint":"https://example.com/hook","topics":["SESSION_COMPLETION","CLIENT_SESSION_TOKEN_DELETED","INSTRUCTIONS_EMAIL_REQUESTED"]},"#,
            r#""requested_checks":[{"type":"ID_DOCUMENT_AUTHENTICITY","config":{}}],"#,
            r#""requested_tasks":[{"type":"ID_DOCUMENT_TEXT_DATA_EXTRACTION","config":{"manual_check":"FALLBACK"}}],"#,
            r#""sdk_config":{"locale":"en-GB"},"required_documents":[{"type":"ID_DOCUMENT"}],"block_biometric_consent":false,"#,
            r#""identity_profile_requirements":{"trust_framework":"UK_TFIDA","scheme":{"type":"DBS","objective":"BASIC"}},"#,
            r#""subject":{"subject_id":"subject-1"},"#,
            r#""advanced_identity_profile_requirements":{"profiles":[{"trust_framework":"UK_TFIDA","schemes":[{"type":"RTW","label":"rtw-label"}]}]},"#,
            r#""create_identity_profile_preview":true,"import_token":{"ttl":2592000},"ibv_options":{"support":"MANDATORY"},"#,
            r#""resources":{"applicant_profile":{"full_name":"Jane Doe"}},"ephemeral_media":true}"#
        )
    );
}

#[test]
fn sdk_config_in_node_order_with_the_java_extras_last() {
    let config = SdkConfig::new()
        .with_allowed_capture_methods(AllowedCaptureMethods::CameraAndUpload)
        .with_primary_colour("#2d9fff")
        .with_secondary_colour("#fff")
        .with_font_colour("#000")
        .with_locale("en-GB")
        .with_preset_issuing_country("GBR")
        .with_success_url("https://e.com/ok")
        .with_error_url("https://e.com/ko")
        .with_privacy_policy_url("https://e.com/privacy")
        .with_biometric_consent_flow(BiometricConsentFlow::JustInTime)
        .with_allow_handoff(true)
        .with_attempts_configuration(
            AttemptsConfiguration::new()
                .with_id_document_text_data_extraction_attempts("GENERIC", 3u32)
                .with_id_document_text_data_extraction_attempts("RECLASSIFICATION", 2u32),
        )
        .with_brand_id("brand-1")
        .with_suppressed_screen(SuppressedScreen::IdDocumentEducation)
        .with_suppressed_screen(SuppressedScreen::FlowCompletion)
        .with_dark_mode(DarkMode::Auto)
        .with_primary_colour_dark_mode("#123456");
    assert_eq!(
        json_of(&config),
        concat!(
            r##"{"allowed_capture_methods":"CAMERA_AND_UPLOAD","primary_colour":"#2d9fff","secondary_colour":"#fff","font_colour":"#000","##,
            r##""locale":"en-GB","preset_issuing_country":"GBR","success_url":"https://e.com/ok","error_url":"https://e.com/ko","##,
            r##""privacy_policy_url":"https://e.com/privacy","biometric_consent_flow":"JUST_IN_TIME","allow_handoff":true,"##,
            r##""attempts_configuration":{"ID_DOCUMENT_TEXT_DATA_EXTRACTION":{"GENERIC":3,"RECLASSIFICATION":2}},"##,
            r##""brand_id":"brand-1","suppressed_screens":["ID_DOCUMENT_EDUCATION","FLOW_COMPLETION"],"dark_mode":"AUTO","primary_colour_dark_mode":"#123456"}"##
        )
    );
    assert_eq!(json_of(&SdkConfig::new()), "{}");
    assert_eq!(json_of(&AttemptsConfiguration::new()), "{}");
}

#[test]
fn every_requested_check() {
    let filter = OrthogonalRestrictionsFilter::new().with_allow_expired_documents(false);
    let cases: Vec<(RequestedCheck, &str)> = vec![
        (
            RequestedDocumentAuthenticityCheck::new()
                .with_manual_check(ManualCheck::Always)
                .with_issuing_authority_sub_check(
                    IssuingAuthoritySubCheck::new()
                        .with_requested(true)
                        .with_filter(filter),
                )
                .into(),
            r#"{"type":"ID_DOCUMENT_AUTHENTICITY","config":{"manual_check":"ALWAYS","issuing_authority_sub_check":{"requested":true,"filter":{"type":"ORTHOGONAL_RESTRICTIONS","allow_expired_documents":false}}}}"#,
        ),
        (
            RequestedFaceMatchCheck::new()
                .with_manual_check(ManualCheck::Fallback)
                .into(),
            r#"{"type":"ID_DOCUMENT_FACE_MATCH","config":{"manual_check":"FALLBACK"}}"#,
        ),
        (
            RequestedLivenessCheck::zoom_liveness().into(),
            r#"{"type":"LIVENESS","config":{"liveness_type":"ZOOM"}}"#,
        ),
        (
            RequestedLivenessCheck::new(LivenessType::Static)
                .with_max_retries(1)
                .with_manual_check(ManualCheck::Never)
                .into(),
            r#"{"type":"LIVENESS","config":{"max_retries":1,"liveness_type":"STATIC","manual_check":"NEVER"}}"#,
        ),
        (
            RequestedFaceComparisonCheck::new().into(),
            r#"{"type":"FACE_COMPARISON","config":{}}"#,
        ),
        (
            RequestedIdDocumentComparisonCheck::new().into(),
            r#"{"type":"ID_DOCUMENT_COMPARISON","config":{}}"#,
        ),
        (
            RequestedThirdPartyIdentityCheck::new().into(),
            r#"{"type":"THIRD_PARTY_IDENTITY","config":{}}"#,
        ),
        (
            RequestedWatchlistScreeningCheck::new()
                .with_category(WatchlistCategory::AdverseMedia)
                .with_category(WatchlistCategory::Sanctions)
                .into(),
            r#"{"type":"WATCHLIST_SCREENING","config":{"categories":["ADVERSE-MEDIA","SANCTIONS"]}}"#,
        ),
        (
            RequestedWatchlistScreeningCheck::new()
                .with_manual_check(ManualCheck::Never)
                .into(),
            r#"{"type":"WATCHLIST_SCREENING","config":{"manual_check":"NEVER"}}"#,
        ),
        (
            RequestedYotiAccountWatchlistAdvancedCaConfig::new()
                .with_remove_deceased(true)
                .with_share_url(false)
                .with_sources(RequestedTypeListSources::new().with_types(["pep", "warning"]))
                .with_matching_strategy(RequestedExactMatchingStrategy::new())
                .into(),
            r#"{"type":"WATCHLIST_ADVANCED_CA","config":{"type":"WITH_YOTI_ACCOUNT","remove_deceased":true,"share_url":false,"sources":{"type":"TYPE_LIST","types":["pep","warning"]},"matching_strategy":{"type":"EXACT","exact_match":true}}}"#,
        ),
        (
            RequestedCustomAccountWatchlistAdvancedCaConfig::new("api-key", "client-ref")
                .with_monitoring(true)
                .with_tag("tag_name", "value")
                .with_sources(RequestedSearchProfileSources::new("profile-1"))
                .with_matching_strategy(RequestedFuzzyMatchingStrategy::new(0.6))
                .into(),
            r#"{"type":"WATCHLIST_ADVANCED_CA","config":{"type":"WITH_CUSTOM_ACCOUNT","api_key":"api-key","monitoring":true,"tags":{"tag_name":"value"},"client_ref":"client-ref","sources":{"type":"PROFILE","search_profile":"profile-1"},"matching_strategy":{"type":"FUZZY","fuzziness":0.6}}}"#,
        ),
        (
            RequestedCheck::from(RequestedWatchlistAdvancedCaCheck::from(
                RequestedYotiAccountWatchlistAdvancedCaConfig::new(),
            )),
            r#"{"type":"WATCHLIST_ADVANCED_CA","config":{"type":"WITH_YOTI_ACCOUNT"}}"#,
        ),
        (
            RequestedIbvVisualReviewCheck::new()
                .with_manual_check(ManualCheck::Ibv)
                .into(),
            r#"{"type":"IBV_VISUAL_REVIEW_CHECK","config":{"manual_check":"IBV"}}"#,
        ),
        (
            RequestedDocumentSchemeValidityCheck::new("UK_DBS")
                .with_manual_check(ManualCheck::Ibv)
                .into(),
            r#"{"type":"DOCUMENT_SCHEME_VALIDITY_CHECK","config":{"manual_check":"IBV","scheme":"UK_DBS"}}"#,
        ),
        (
            RequestedProfileDocumentMatchCheck::new()
                .with_manual_check(ManualCheck::Ibv)
                .into(),
            r#"{"type":"PROFILE_DOCUMENT_MATCH","config":{"manual_check":"IBV"}}"#,
        ),
        (
            RequestedCheck::custom("NEW_CHECK", json!({"a": [1]})),
            r#"{"type":"NEW_CHECK","config":{"a":[1]}}"#,
        ),
    ];
    for (check, expected) in cases {
        assert_eq!(json_of(&check), expected);
        let wire: serde_json::Value = serde_json::from_str(expected).unwrap();
        assert_eq!(check.check_type(), wire["type"]);
    }
    // the typed sources and strategies on their own
    assert_eq!(
        json_of(&RequestedTypeListSources::new()),
        r#"{"type":"TYPE_LIST","types":[]}"#
    );
    assert_eq!(
        json_of(&RequestedCaSources::from(
            RequestedTypeListSources::new().with_source_type("pep")
        )),
        r#"{"type":"TYPE_LIST","types":["pep"]}"#
    );
    assert_eq!(
        json_of(&RequestedCaMatchingStrategy::from(
            RequestedExactMatchingStrategy::new()
        )),
        r#"{"type":"EXACT","exact_match":true}"#
    );
}

#[test]
fn every_requested_task() {
    let cases: Vec<(RequestedTask, &str)> = vec![
        (
            RequestedTextExtractionTask::new()
                .with_manual_check(ManualCheck::Always)
                .with_chip_data(ChipData::Desired)
                .with_create_expanded_document_fields(true)
                .into(),
            r#"{"type":"ID_DOCUMENT_TEXT_DATA_EXTRACTION","config":{"manual_check":"ALWAYS","chip_data":"DESIRED","create_expanded_document_fields":true}}"#,
        ),
        (
            RequestedSupplementaryDocTextExtractionTask::new()
                .with_manual_check(ManualCheck::Never)
                .into(),
            r#"{"type":"SUPPLEMENTARY_DOCUMENT_TEXT_DATA_EXTRACTION","config":{"manual_check":"NEVER"}}"#,
        ),
        (
            RequestedTask::custom("NEW_TASK", json!({})),
            r#"{"type":"NEW_TASK","config":{}}"#,
        ),
    ];
    for (task, expected) in cases {
        assert_eq!(json_of(&task), expected);
        assert!(expected.contains(task.task_type()));
    }
}

#[test]
fn required_documents_and_filters() {
    let orthogonal = OrthogonalRestrictionsFilter::new()
        .with_country_restriction(
            CountryRestriction::new(Inclusion::Whitelist).with_country_codes(["GBR", "USA"]),
        )
        .with_type_restriction(
            TypeRestriction::new(Inclusion::Blacklist).with_document_type("PASSPORT"),
        )
        .with_allow_expired_documents(true)
        .with_allow_non_latin_documents(false);
    let id = RequiredIdDocument::new().with_filter(orthogonal);
    assert_eq!(
        json_of(&RequiredDocument::from(id)),
        r#"{"type":"ID_DOCUMENT","filter":{"type":"ORTHOGONAL_RESTRICTIONS","country_restriction":{"inclusion":"WHITELIST","country_codes":["GBR","USA"]},"type_restriction":{"inclusion":"BLACKLIST","document_types":["PASSPORT"]},"allow_expired_documents":true,"allow_non_latin_documents":false}}"#
    );

    let restrictions = DocumentRestrictionsFilter::new(Inclusion::Whitelist)
        .with_document(
            DocumentRestriction::new()
                .with_document_type("PASSPORT")
                .with_country_code("GBR"),
        )
        .with_document(DocumentRestriction::new())
        .with_allow_non_latin_documents(true);
    assert_eq!(
        json_of(&DocumentFilter::from(restrictions)),
        r#"{"type":"DOCUMENT_RESTRICTIONS","inclusion":"WHITELIST","documents":[{"document_types":["PASSPORT"],"country_codes":["GBR"]},{}],"allow_non_latin_documents":true}"#
    );
    assert_eq!(
        json_of(&DocumentRestrictionsFilter::new(Inclusion::Blacklist)),
        r#"{"type":"DOCUMENT_RESTRICTIONS","inclusion":"BLACKLIST","documents":[]}"#
    );
    assert_eq!(
        json_of(&CountryRestriction::new(Inclusion::Whitelist)),
        r#"{"inclusion":"WHITELIST","country_codes":[]}"#
    );

    let supplementary = RequiredSupplementaryDocument::from(Objective::proof_of_address())
        .with_document_types(["UTILITY_BILL", "BANK_STATEMENT"])
        .with_country_code("GBR")
        .with_filter(DocumentRestrictionsFilter::new(Inclusion::Whitelist));
    assert_eq!(
        json_of(&RequiredDocument::from(supplementary)),
        r#"{"type":"SUPPLEMENTARY_DOCUMENT","objective":{"type":"PROOF_OF_ADDRESS"},"document_types":["UTILITY_BILL","BANK_STATEMENT"],"country_codes":["GBR"],"filter":{"type":"DOCUMENT_RESTRICTIONS","inclusion":"WHITELIST","documents":[]}}"#
    );
    assert_eq!(
        json_of(&RequiredSupplementaryDocument::new(Objective::new(
            "NEW_OBJECTIVE"
        ))),
        r#"{"type":"SUPPLEMENTARY_DOCUMENT","objective":{"type":"NEW_OBJECTIVE"}}"#
    );
}

#[test]
fn identity_profiles_subject_import_token_ibv_options_resources() {
    assert_eq!(
        json_of(&IdentityProfileRequirements::new(
            "UK_TFIDA",
            IdentityProfileScheme::new("RTW")
        )),
        r#"{"trust_framework":"UK_TFIDA","scheme":{"type":"RTW"}}"#
    );
    let advanced = AdvancedIdentityProfileRequirements::new().with_profiles([
        AdvancedIdentityProfile::new("UK_TFIDA").with_schemes([
            AdvancedIdentityProfileScheme::new("DBS", "dbs-basic")
                .with_objective("BASIC")
                .with_config(
                    AdvancedIdentityProfileSchemeConfig::new().with_filter(
                        DocumentRestrictionsFilter::new(Inclusion::Whitelist)
                            .with_document(DocumentRestriction::new().with_country_code("GBR")),
                    ),
                ),
        ]),
        AdvancedIdentityProfile::new("YOTI_GLOBAL").with_scheme(
            AdvancedIdentityProfileScheme::new("IDENTITY", "id").with_objective("AL_L1"),
        ),
    ]);
    assert_eq!(
        json_of(&advanced),
        concat!(
            r#"{"profiles":[{"trust_framework":"UK_TFIDA","schemes":[{"type":"DBS","objective":"BASIC","label":"dbs-basic","config":{"filter":{"type":"DOCUMENT_RESTRICTIONS","inclusion":"WHITELIST","documents":[{"country_codes":["GBR"]}]}}}]},"#,
            r#"{"trust_framework":"YOTI_GLOBAL","schemes":[{"type":"IDENTITY","objective":"AL_L1","label":"id"}]}]}"#
        )
    );
    assert_eq!(
        json_of(&AdvancedIdentityProfileRequirements::new()),
        r#"{"profiles":[]}"#
    );
    assert_eq!(json_of(&AdvancedIdentityProfileSchemeConfig::new()), "{}");
    assert_eq!(json_of(&Subject::new("s-1")), r#"{"subject_id":"s-1"}"#);
    assert_eq!(json_of(&ImportToken::new()), "{}");
    assert_eq!(
        json_of(
            &IbvOptions::new(IbvSupport::NotAllowed)
                .with_guidance_url("https://e.com/branch")
                .with_user_price(UserPrice::new("3.99", "GBP"))
        ),
        r#"{"support":"NOT_ALLOWED","guidance_url":"https://e.com/branch","user_price":{"amount":"3.99","currency":"GBP"}}"#
    );
    assert_eq!(json_of(&SessionResources::new()), "{}");
    assert_eq!(
        json_of(&NotificationConfig::new("https://e.com/n")),
        r#"{"endpoint":"https://e.com/n"}"#
    );
}

#[test]
fn face_capture_payload() {
    assert_eq!(
        json_of(&CreateFaceCaptureResourcePayload::new("req-1")),
        r#"{"requirement_id":"req-1"}"#
    );
}

#[test]
fn ibv_instructions() {
    let instructions = Instructions::new()
        .with_contact_profile(
            ContactProfile::new()
                .with_first_name("Jane")
                .with_last_name("Doe")
                .with_email("jane@example.com"),
        )
        .with_document(DocumentProposal::new(
            "r1",
            SelectedIdDocument::new("GBR", "PASSPORT"),
        ))
        .with_document(DocumentProposal::new(
            "r2",
            SelectedSupplementaryDocument::new("GBR", "UTILITY_BILL"),
        ))
        .with_branch(
            UkPostOfficeBranch::new()
                .with_fad_code("2811032")
                .with_name("High Street")
                .with_address("1 High Street, London")
                .with_post_code("SW1A 1AA")
                .with_location(Location::new(51.5, -0.14)),
        );
    assert_eq!(
        json_of(&instructions),
        concat!(
            r#"{"contact_profile":{"first_name":"Jane","last_name":"Doe","email":"jane@example.com"},"#,
            r#""documents":[{"requirement_id":"r1","document":{"type":"ID_DOCUMENT","country_code":"GBR","document_type":"PASSPORT"}},"#,
            r#"{"requirement_id":"r2","document":{"type":"SUPPLEMENTARY_DOCUMENT","country_code":"GBR","document_type":"UTILITY_BILL"}}],"#,
            r#""branch":{"type":"UK_POST_OFFICE","fad_code":"2811032","name":"High Street","address":"1 High Street, London","post_code":"SW1A 1AA","location":{"latitude":51.5,"longitude":-0.14}}}"#
        )
    );
    assert_eq!(json_of(&Instructions::new()), "{}");
    assert_eq!(
        json_of(&Branch::from(UkPostOfficeBranch::new())),
        r#"{"type":"UK_POST_OFFICE"}"#
    );
    assert_eq!(
        json_of(&SelectedDocument::from(SelectedIdDocument::new(
            "FRA",
            "NATIONAL_ID"
        ))),
        r#"{"type":"ID_DOCUMENT","country_code":"FRA","document_type":"NATIONAL_ID"}"#
    );
}

#[test]
fn sandbox_response_config() {
    let report = |value| {
        SandboxCheckReport::new(
            SandboxCheckResult::new().with_report(
                SandboxReport::new(SandboxRecommendation::new(value)).with_breakdown_item(
                    SandboxBreakdown::new("sub", BreakdownResult::Pass)
                        .with_detail(SandboxDetail::new("confidence_score", "0.99")),
                ),
            ),
        )
    };
    let config = SandboxResponseConfig::new()
        .with_check_reports(
            SandboxCheckReports::new()
                .with_id_document_authenticity([report(RecommendationValue::Approve)
                    .with_document_filter(
                        SandboxDocumentFilter::new()
                            .with_document_type("PASSPORT")
                            .with_country_code("GBR"),
                    )])
                .with_id_document_text_data_check([SandboxCheckReport::new(
                    SandboxCheckResult::new()
                        .with_report_template("SUCCESS")
                        .with_document_fields(
                            json!({"full_name": "JANE DOE"})
                                .as_object()
                                .unwrap()
                                .clone(),
                        ),
                )])
                .with_supplementary_document_text_data_check([report(RecommendationValue::Approve)])
                .with_id_document_face_match([report(RecommendationValue::Reject)])
                .with_liveness([report(RecommendationValue::Approve)
                    .with_liveness_type(LivenessType::Zoom)
                    .with_response_delay(5)])
                .with_id_document_comparison([report(RecommendationValue::Approve)])
                .with_face_comparison(SandboxCheckReport::new(
                    SandboxCheckResult::new().with_report(SandboxReport::new(
                        SandboxRecommendation::new(RecommendationValue::NotAvailable)
                            .with_reason("PICTURE_TOO_DARK")
                            .with_recovery_suggestion("BETTER_LIGHTING"),
                    )),
                ))
                .with_third_party_identity(report(RecommendationValue::Approve))
                .with_watchlist_screening(report(RecommendationValue::Consider))
                .with_watchlist_advanced_ca([report(RecommendationValue::Approve)])
                .with_third_party_identity_fraud(report(RecommendationValue::Approve))
                .with_synectics_identity_fraud([report(RecommendationValue::Reject)])
                .with_async_report_delay(10),
        )
        .with_task_results(
            SandboxTaskResults::new()
                .with_id_document_text_data_extraction([
                    SandboxTaskResult::new().with_result(
                        SandboxTaskResultData::new()
                            .with_document_fields(
                                json!({"date_of_birth": "1985-01-01"})
                                    .as_object()
                                    .unwrap()
                                    .clone(),
                            )
                            .with_document_id_photo(SandboxDocumentIdPhoto::new(
                                "image/jpeg",
                                "/9j/4AAQ",
                            ))
                            .with_detected_country("GBR")
                            .with_recommendation(
                                SandboxTaskRecommendation::new("MUST_TRY_AGAIN").with_reason(
                                    SandboxTaskRecommendationReason::new("QUALITY")
                                        .with_detail("GLARE"),
                                ),
                            ),
                    ),
                    SandboxTaskResult::new()
                        .with_result_template("UNABLE_TO_OCR")
                        .with_document_filter(
                            SandboxDocumentFilter::new().with_country_code("GBR"),
                        ),
                ])
                .with_supplementary_document_text_data_extraction([SandboxTaskResult::new()]),
        );
    let d = r#"{"sub_check":"sub","result":"PASS","details":[{"name":"confidence_score","value":"0.99"}]}"#;
    let approve = format!(
        r#"{{"result":{{"report":{{"recommendation":{{"value":"APPROVE"}},"breakdown":[{d}]}}}}}}"#
    );
    let expected = [
        r#"{"check_reports":{"ID_DOCUMENT_AUTHENTICITY":[{"result":{"report":{"recommendation":{"value":"APPROVE"},"breakdown":["#.to_owned(),
        d.to_owned(),
        r#"]}},"document_filter":{"document_types":["PASSPORT"],"country_codes":["GBR"]}}],"#.to_owned(),
        r#""ID_DOCUMENT_TEXT_DATA_CHECK":[{"result":{"report_template":"SUCCESS","document_fields":{"full_name":"JANE DOE"}}}],"#.to_owned(),
        format!(r#""SUPPLEMENTARY_DOCUMENT_TEXT_DATA_CHECK":[{approve}],"#),
        format!(r#""ID_DOCUMENT_FACE_MATCH":[{}],"#, approve.replace("APPROVE", "REJECT")),
        format!(r#""LIVENESS":[{}],"#, approve.replace("]}}}", r#"]}},"liveness_type":"ZOOM","response_delay":5}"#)),
        format!(r#""ID_DOCUMENT_COMPARISON":[{approve}],"#),
        r#""FACE_COMPARISON":{"result":{"report":{"recommendation":{"value":"NOT_AVAILABLE","reason":"PICTURE_TOO_DARK","recovery_suggestion":"BETTER_LIGHTING"},"breakdown":[]}}},"#.to_owned(),
        format!(r#""THIRD_PARTY_IDENTITY":{approve},"#),
        format!(r#""WATCHLIST_SCREENING":{},"#, approve.replace("APPROVE", "CONSIDER")),
        format!(r#""WATCHLIST_ADVANCED_CA":[{approve}],"THIRD_PARTY_IDENTITY_FRAUD_1":{approve},"#),
        format!(r#""SYNECTICS_IDENTITY_FRAUD":[{}],"async_report_delay":10}},"#, approve.replace("APPROVE", "REJECT")),
        r#""task_results":{"ID_DOCUMENT_TEXT_DATA_EXTRACTION":[{"result":{"document_fields":{"date_of_birth":"1985-01-01"},"document_id_photo":{"content_type":"image/jpeg","data":"/9j/4AAQ"},"detected_country":"GBR","recommendation":{"value":"MUST_TRY_AGAIN","reason":{"value":"QUALITY","detail":"GLARE"}}}},"#.to_owned(),
        r#"{"result_template":"UNABLE_TO_OCR","document_filter":{"document_types":[],"country_codes":["GBR"]}}],"SUPPLEMENTARY_DOCUMENT_TEXT_DATA_EXTRACTION":[{}]}}"#.to_owned(),
    ]
    .concat();
    assert_eq!(json_of(&config), expected);
    assert_eq!(json_of(&SandboxResponseConfig::new()), "{}");
    assert_eq!(json_of(&SandboxCheckReports::new()), "{}");
    assert_eq!(json_of(&SandboxTaskResults::new()), "{}");
}

#[test]
fn sandbox_agent_payload() {
    let payload = SandboxAgentPayload::new("s1", ClientSessionToken::new("tok"));
    assert_eq!(
        json_of(&payload),
        r#"{"session_id":"s1","client_session_token":"tok"}"#
    );
    let payload = payload.with_resources(
        SandboxAgentResources::new()
            .with_id_document(
                SandboxAgentIdDocument::new("GBR", "PASSPORT").with_capture_method("CAMERA"),
            )
            .with_supplementary_document(SandboxAgentSupplementaryDocument::new(
                "GBR",
                "UTILITY_BILL",
            )),
    );
    assert_eq!(
        json_of(&payload),
        r#"{"session_id":"s1","client_session_token":"tok","resources":{"id_documents":[{"issuing_country":"GBR","document_type":"PASSPORT","capture_method":"CAMERA"}],"supplementary_documents":[{"issuing_country":"GBR","document_type":"UTILITY_BILL"}]}}"#
    );
    assert_eq!(json_of(&SandboxAgentResources::new()), "{}");
}

/// Every request type of the spec is built in this file.
#[test]
fn every_request_type_is_tested_here() {
    let spec: serde_json::Value =
        serde_json::from_str(include_str!("../../../../spec/idv-openapi.json")).unwrap();
    let source = include_str!("requests.rs");
    for (key, schema) in spec["components"]["schemas"].as_object().unwrap() {
        if schema["x-rust-role"] != "request" {
            continue;
        }
        let name = schema["x-rust-name"].as_str().unwrap_or(key);
        let used = source.contains(&format!("{name}::")) || source.contains(&format!("<{name}>"));
        assert!(used, "request type {name} has no serialisation test");
    }
}

/// Applicants, faces, pools and the familiar-face search check (Face Search).
#[test]
fn applicant_pool_and_face_search_requests() {
    let jpeg = vec![0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10];
    assert_eq!(json_of(&CreateApplicantPayload::new()), "{}");
    let with_face = CreateApplicantPayload::with_first_face(FacePayload::image(jpeg.clone()));
    assert_eq!(json_of(&with_face), r#"{"face":{"data":"/9j/4AAQ"}}"#);
    assert!(!format!("{with_face:?}").contains("/9j/"));
    let source = FaceSource::new("s-1", "m-1");
    assert_eq!(
        json_of(&AddFacePayload::new(FacePayload::new().with_source(source))),
        r#"{"face":{"source":{"session_id":"s-1","media_id":"m-1"}}}"#
    );
    assert_eq!(
        json_of(&CreatePoolPayload::new("members")),
        r#"{"label":"members"}"#
    );
    assert_eq!(
        json_of(&AddPoolApplicantPayload::new("a-1")),
        r#"{"applicant_id":"a-1"}"#
    );
    assert_eq!(
        json_of(&AttachApplicantPayload::new("a-1")),
        r#"{"applicant_id":"a-1"}"#
    );
    let check: RequestedCheck =
        RequestedFamiliarFaceSearchCheck::new("p-1", ApprovalCriteria::NoMatch).into();
    assert_eq!(
        json_of(&check),
        r#"{"type":"FAMILIAR_FACE_SEARCH","config":{"pool_id":"p-1","approval_criteria":"NO_MATCH"}}"#
    );
    let agent = SandboxAgentPayload::new("s1", ClientSessionToken::new("tok-9f2"))
        .with_liveness_image(FaceImageData::new(jpeg));
    assert_eq!(
        json_of(&agent),
        r#"{"session_id":"s1","client_session_token":"tok-9f2","liveness_image":"/9j/4AAQ"}"#
    );
    let debug = format!("{agent:?}");
    assert!(
        !debug.contains("/9j/") && !debug.contains("tok-9f2"),
        "{debug}"
    );
}
