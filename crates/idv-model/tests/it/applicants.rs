//! The Face Search responses decode from the shapes Yoti documents (fixtures/applicants.json),
//! and face images never print.

// Test helpers: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used)]

use idv_model::*;

fn fixture(part: &str) -> serde_json::Value {
    let all: serde_json::Value =
        serde_json::from_str(include_str!("../fixtures/applicants.json")).unwrap();
    all[part].clone()
}

#[test]
fn created_applicant_has_timestamps_and_no_faces() {
    let a: ApplicantResponse = serde_json::from_value(fixture("create_applicant")).unwrap();
    assert_eq!(a.id, "5b2f1a3c-0000-4c8e-9f11-0000000000b1");
    assert_eq!(a.created_at.unwrap().as_str(), "2025-05-29T11:15:03Z");
    assert!(a.last_updated.is_some());
    assert_eq!(a.faces.archetype_face, None);
    assert!(a.faces.faces.is_empty());
    assert!(a.pools.is_empty());
}

#[test]
fn fetched_applicant_names_its_face_and_pools() {
    let a: ApplicantResponse = serde_json::from_value(fixture("get_applicant")).unwrap();
    assert_eq!(a.created_at, None);
    assert_eq!(
        a.faces.archetype_face,
        Some(FaceId::from("f0000000-0000-4000-8000-0000000000c1"))
    );
    assert_eq!(a.faces.faces.len(), 1);
    assert_eq!(a.pools[0].id, "9e7a1c1e-5a55-4f0e-8d0e-0000000000a1");
    assert_eq!(a.pools[0].label.as_deref(), Some("returning customers"));
    // only the id is required
    let bare: ApplicantResponse = serde_json::from_str(r#"{"id":"a"}"#).unwrap();
    assert!(bare.pools.is_empty() && bare.faces.faces.is_empty());
    assert!(serde_json::from_str::<ApplicantResponse>("{}").is_err());
}

#[test]
fn face_pool_and_added_face() {
    let f: AddFaceResponse = serde_json::from_value(fixture("add_face")).unwrap();
    assert_eq!(f.id, FaceId::from("f0000000-0000-4000-8000-0000000000c1"));
    let p: PoolResponse = serde_json::from_value(fixture("create_pool")).unwrap();
    assert_eq!(p.id, PoolId::from("9e7a1c1e-5a55-4f0e-8d0e-0000000000a1"));
    let face: FaceContentResponse = serde_json::from_value(fixture("get_face")).unwrap();
    assert_eq!(
        face.face.data.as_bytes(),
        b"\xFF\xD8\xFF\xE0\x00\x10JFIF".as_slice()
    );
    assert_eq!(face.face.content_type.as_deref(), Some("image/jpeg"));
    let debug = format!("{face:?}");
    assert!(
        debug.contains("<redacted>") && !debug.contains("/9j/"),
        "{debug}"
    );
    assert_eq!(format!("{:?}", face.face.data), "FaceImageData(<10 bytes>)");
    let bad = serde_json::from_str::<FaceContentResponse>(r#"{"face":{"data":"not base64!"}}"#);
    assert!(bad.is_err());
}

#[test]
fn familiar_face_search_result_reads_config_and_matches() {
    let s: GetSessionResult =
        serde_json::from_str(include_str!("../fixtures/get_session_full.json")).unwrap();
    let c = s.familiar_face_search_checks().next().unwrap();
    assert_eq!(c.recommendation(), Some(&RecommendationValue::Reject));
    let config = c.config.as_ref().unwrap();
    assert_eq!(config.approval_criteria, Some(ApprovalCriteria::NoMatch));
    assert_eq!(config.pool_label.as_deref(), Some("returning customers"));
    let pool = PoolId::from("9e7a1c1e-5a55-4f0e-8d0e-0000000000a1");
    assert_eq!(config.pool_id.as_ref(), Some(&pool));
    assert_eq!(
        c.matches(),
        [(
            Some(pool),
            ApplicantId::from("5b2f1a3c-0000-4c8e-9f11-0000000000b1")
        )]
    );
    // no match: a breakdown without details
    let none: GetSessionResult = serde_json::from_str(
        r#"{"checks":[{"type":"FAMILIAR_FACE_SEARCH","report":{"recommendation":{"value":"REJECT"},
        "breakdown":[{"sub_check":"face_found_in_pool","result":"FAIL","details":[]}]}}]}"#,
    )
    .unwrap();
    let c = none.familiar_face_search_checks().next().unwrap();
    assert!(c.matches().is_empty());
    assert_eq!(c.matched_applicant(), None);
}

#[test]
fn unlisted_criteria_and_check_types_stay_open() {
    let c: FamiliarFaceSearchConfig =
        serde_json::from_str(r#"{"approval_criteria":"BEST_MATCH"}"#).unwrap();
    let criteria = c.approval_criteria.unwrap();
    assert!(criteria.is_unknown());
    assert_eq!(criteria.as_str(), "BEST_MATCH");
    assert_eq!(ApprovalCriteria::from("MATCH"), ApprovalCriteria::Match);
    assert_eq!(
        CheckType::from("FAMILIAR_FACE_SEARCH"),
        CheckType::FamiliarFaceSearch
    );
}
