//! Forward compatibility: unknown fields, enum values and polymorphic types decode, stay
//! readable, and leave the rest of the response intact; decode errors keep their JSON path.

// Test helpers: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used)]

use idv_model::*;

fn decode<T: serde::de::DeserializeOwned>(json: &str) -> Result<T, (String, String)> {
    let de = &mut serde_json::Deserializer::from_str(json);
    serde_path_to_error::deserialize(de).map_err(|e| (e.path().to_string(), e.inner().to_string()))
}

fn unknown_session() -> GetSessionResult {
    let text = std::fs::read_to_string(format!(
        "{}/tests/fixtures/session_unknown.json",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap();
    decode(&text).unwrap()
}

#[test]
fn unknown_enum_values_and_fields_are_kept_and_nulls_tolerated() {
    let s = unknown_session();
    assert_eq!(s.state.as_ref().unwrap().as_str(), "ARCHIVED");
    assert!(s.state.as_ref().unwrap().is_unknown());
    assert_eq!(s.client_session_token_ttl, None);
    assert!(s.user_tracking_id.is_none());
    assert_eq!(s.checks.len(), 5);
}

#[test]
fn unknown_check_type_keeps_common_fields_and_raw_json() {
    let s = unknown_session();
    let CheckResponse::Unknown(q) = &s.checks[0] else {
        panic!("{:?}", s.checks[0])
    };
    assert_eq!(q.check_type.as_str(), "QUANTUM_IDENTITY_CHECK");
    assert!(q.check_type.is_unknown());
    assert_eq!(
        q.id.as_deref(),
        Some("c0000000-0000-4000-8000-00000000f00d")
    );
    assert_eq!(q.state.as_ref().unwrap().as_str(), "WARMING_UP");
    assert_eq!(q.resources_used, ["a1"]);
    assert!(q.generated_media.is_empty());
    assert_eq!(q.created.as_deref(), Some("2026-03-02T10:20:00Z"));
    assert_eq!(q.recommendation().unwrap().as_str(), "MAYBE");
    assert!(!q.is_approved());
    let raw: serde_json::Value = serde_json::from_str(q.raw_json()).unwrap();
    assert_eq!(raw["qubits"], 128);
    assert_eq!(raw["report"]["recommendation"]["reason"], "ENTANGLED");
    assert!(
        q.raw_json()
            .starts_with(r#"{"type":"QUANTUM_IDENTITY_CHECK","id":"#)
    );
    // through the enum's accessors
    let c = &s.checks[0];
    assert_eq!(c.check_type().as_str(), "QUANTUM_IDENTITY_CHECK");
    assert_eq!(
        c.id().map(|v| v.as_str()),
        Some("c0000000-0000-4000-8000-00000000f00d")
    );
    assert_eq!(c.recommendation().unwrap().as_str(), "MAYBE");
    assert_eq!(s.unknown_checks().count(), 2);
}

#[test]
fn a_discriminator_after_other_keys_still_selects_the_variant() {
    let s = unknown_session();
    let CheckResponse::Liveness(l) = &s.checks[1] else {
        panic!("{:?}", s.checks[1])
    };
    assert_eq!(
        l.id.as_deref(),
        Some("c0000000-0000-4000-8000-0000000000a2")
    );
    assert!(l.is_approved());
    assert!(l.report.as_ref().unwrap().breakdown[0].details.is_empty());
}

#[test]
fn nulls_everywhere_in_a_known_check() {
    let s = unknown_session();
    let CheckResponse::Liveness(l) = &s.checks[2] else {
        panic!()
    };
    assert!(l.state.is_none() && l.report.is_none() && l.created.is_none());
    assert!(l.resources_used.is_empty());
}

#[test]
fn a_check_without_type_is_unknown_with_an_empty_type() {
    let s = unknown_session();
    let CheckResponse::Unknown(u) = &s.checks[3] else {
        panic!()
    };
    assert_eq!(u.check_type.as_str(), "");
    assert_eq!(
        u.id.as_deref(),
        Some("c0000000-0000-4000-8000-0000000000a4")
    );
    assert!(u.raw_json().contains("a check without a type"));
}

#[test]
fn unknown_search_config_sources_and_strategy() {
    let s = unknown_session();
    let summary = s.checks[4].watchlist_summary().unwrap();
    assert_eq!(summary.total_hits, None);
    let config = summary.search_config.as_ref().unwrap();
    assert_eq!(
        config.account.as_ref().unwrap().as_str(),
        "WITH_PARTNER_ACCOUNT"
    );
    let sources = config.sources.as_ref().unwrap();
    assert_eq!(sources.sources_type().as_str(), "SATELLITE_FEED");
    let CaSources::Unknown(u) = sources else {
        panic!()
    };
    assert!(u.raw_json().contains(r#""feed":"x""#));
    let strategy = config.matching_strategy.as_ref().unwrap();
    assert_eq!(strategy.strategy_type().as_str(), "PHONETIC");
    let CaMatchingStrategy::Unknown(u) = strategy else {
        panic!()
    };
    assert!(u.raw_json().contains(r#""fuzziness":0.2"#));
}

#[test]
fn unknown_task_liveness_source_and_capture_values() {
    let s = unknown_session();
    let doc = &s.resources.id_documents[0];
    assert_eq!(doc.document_type.as_deref(), Some("STARSHIP_LICENCE"));
    assert_eq!(
        doc.source
            .as_ref()
            .unwrap()
            .source_type
            .as_ref()
            .unwrap()
            .as_str(),
        "DRONE"
    );
    assert_eq!(
        doc.pages[0].capture_method.as_ref().unwrap().as_str(),
        "TELEPATHY"
    );
    assert!(doc.pages[0].media.is_none() && doc.pages[0].frames.is_empty());
    let TaskResponse::Unknown(t) = &doc.tasks[0] else {
        panic!("{:?}", doc.tasks[0])
    };
    assert_eq!(t.task_type.as_str(), "HOLOGRAM_ANALYSIS");
    assert_eq!(t.state.as_ref().unwrap().as_str(), "THINKING");
    assert_eq!(
        t.generated_checks[0].check_type.as_ref().unwrap().as_str(),
        "HOLOGRAM_CHECK"
    );
    assert!(t.raw_json().contains(r#""depth":3"#));
    assert_eq!(doc.tasks[0].id().map(|v| v.as_str()), Some("t-new"));
    assert!(matches!(
        doc.tasks[1],
        TaskResponse::IdDocumentTextDataExtraction(_)
    ));

    let liveness = &s.resources.liveness_capture;
    assert_eq!(liveness[0].liveness_type().as_str(), "HEARTBEAT");
    assert_eq!(liveness[0].id().map(|v| v.as_str()), Some("l-new"));
    let u = s.resources.unknown_liveness().next().unwrap();
    assert!(u.raw_json().contains(r#""bpm":72"#));
    assert_eq!(
        u.source.as_ref().unwrap().source_type,
        Some(SourceType::EndUser)
    );
    let stat = s.resources.static_liveness().next().unwrap();
    let media = stat.image.as_ref().unwrap().media.as_ref().unwrap();
    assert_eq!(media.media_type.as_ref().unwrap().as_str(), "HOLOGRAM");
    assert!(s.resources.face_capture.is_empty() && s.resources.share_codes.is_empty());
    assert_eq!(s.resources.media_ids(), ["m-s"]);
}

#[test]
fn decode_errors_inside_a_variant_keep_their_path() {
    // discriminator first: the error path goes through the variant's fields
    let err = decode::<GetSessionResult>(
        r#"{"checks":[{"type":"LIVENESS","id":"c1"},{"type":"LIVENESS","id":"c2","report":{"breakdown":[{"sub_check":"x","result":7}]}}]}"#,
    )
    .unwrap_err();
    assert_eq!(err.0, "checks[1].report.breakdown[0].result", "{err:?}");
    assert!(err.1.contains("invalid type: integer `7`"), "{err:?}");

    let err = decode::<GetSessionResult>(
        r#"{"session_id":"s1","checks":[{"type":"LIVENESS","id":"c1","resources_used":"Jane Doe"}]}"#,
    )
    .unwrap_err();
    assert_eq!(err.0, "checks[0].resources_used");

    // discriminator after other keys: the path inside the object is in the message
    let err = decode::<GetSessionResult>(
        r#"{"checks":[{"id":"c1","report":{"breakdown":[{"result":7}]},"type":"LIVENESS"}]}"#,
    )
    .unwrap_err();
    assert_eq!(err.0, "checks[0]", "{err:?}");
    assert!(
        err.1
            .starts_with("at `report.breakdown[0].result`: invalid type"),
        "{err:?}"
    );

    // nested polymorphism: a resource's task
    let err = decode::<GetSessionResult>(
        r#"{"resources":{"id_documents":[{"id":"d","tasks":[{"type":"ID_DOCUMENT_TEXT_DATA_EXTRACTION","generated_checks":{}}]}]}}"#,
    )
    .unwrap_err();
    assert_eq!(err.0, "resources.id_documents[0].tasks[0].generated_checks");

    // a discriminator that is not a string, and an object that is not an object
    let err = decode::<GetSessionResult>(r#"{"checks":[{"type":5}]}"#).unwrap_err();
    assert_eq!(err.0, "checks[0].type");
    let err = decode::<GetSessionResult>(r#"{"checks":[17]}"#).unwrap_err();
    assert!(err.1.contains("expected a CheckResponse object"), "{err:?}");
}

#[test]
fn decoding_works_from_a_reader_and_a_value_too() {
    let json = r#"{"checks":[{"type":"LIVENESS","id":"c1"},{"type":"NEW","id":"c2","x":[1]}]}"#;
    let from_reader: GetSessionResult = serde_json::from_reader(json.as_bytes()).unwrap();
    let from_value: GetSessionResult =
        serde_json::from_value(serde_json::from_str(json).unwrap()).unwrap();
    let from_str: GetSessionResult = serde_json::from_str(json).unwrap();
    assert_eq!(from_reader.checks.len(), 2);
    assert_eq!(from_reader.checks[1].id().map(|v| v.as_str()), Some("c2"));
    assert_eq!(from_value.checks[1].check_type().as_str(), "NEW");
    assert_eq!(from_str, from_reader);
}

#[test]
fn escaped_keys_and_tags_decode() {
    let s: GetSessionResult =
        serde_json::from_str(r#"{"checks":[{"\u0074ype":"LIVEN\u0045SS","i\u0064":"c1"}]}"#)
            .unwrap();
    assert_eq!(s.checks[0].check_type(), CheckType::Liveness);
    assert_eq!(s.checks[0].id().map(|v| v.as_str()), Some("c1"));
}

#[test]
fn open_enums_round_trip_known_and_unknown_values() {
    for t in CheckType::KNOWN {
        assert_eq!(CheckType::from(t.as_str()), *t);
        assert!(!t.is_unknown());
        assert_eq!(serde_json::to_string(t).unwrap(), format!("\"{t}\""));
    }
    let new = CheckType::from("NEW_ONE");
    assert!(new.is_unknown());
    assert_eq!(
        serde_json::from_str::<CheckType>("\"NEW_ONE\"").unwrap(),
        new
    );
    assert_eq!(WatchlistCategory::AdverseMedia.as_str(), "ADVERSE-MEDIA");
}
