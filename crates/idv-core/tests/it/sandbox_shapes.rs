//! Issue 14, section 2: each sandbox field is sent with the JSON shape of the official
//! package that has it. Every expected body below is written out literally, with the package
//! (and the file the shape is read from) it comes from; the body compared is the one the
//! operation puts on the wire.

// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used)]

use idv_core::Operation;
use idv_core::sandbox::CompleteSessionAsAgent;
use idv_core::sandbox_config::ConfigureSessionResponse;
use idv_model::sandbox::*;
use idv_model::{
    ClientSessionToken, RequestedSearchProfileSources, RequestedTypeListSources, SessionId,
};
use serde_json::Value;

/// The exact bytes `PUT /sessions/{id}/response-config` sends for `config`.
fn sent(config: &SandboxResponseConfig) -> String {
    let session_id = SessionId::from("s");
    let request = ConfigureSessionResponse {
        session_id: &session_id,
        config,
    }
    .request()
    .unwrap();
    String::from_utf8(request.body().unwrap().bytes().to_vec()).unwrap()
}

fn json(text: &str) -> Value {
    serde_json::from_str(text).unwrap()
}

fn checks(reports: SandboxCheckReports) -> SandboxResponseConfig {
    SandboxResponseConfig::new().with_check_reports(reports)
}

fn tasks(results: SandboxTaskResults) -> SandboxResponseConfig {
    SandboxResponseConfig::new().with_task_results(results)
}

#[test]
fn id_document_comparison_secondary_document_filter_is_sent_as_go_sends_it() {
    // yoti-go-sdk 3.15.0, docscan/sandbox/request/check/id_document_comparison_check_test.go
    // (its example's output, with APPROVE/PASS for its placeholder values), inside the
    // ID_DOCUMENT_COMPARISON list of check_reports_test.go.
    let expected = r#"{"check_reports":{"ID_DOCUMENT_COMPARISON":[{"result":{"report":{"recommendation":{"value":"APPROVE"},"breakdown":[{"sub_check":"document_match","result":"PASS","details":[{"name":"some_name","value":"some_value"}]}]}},"secondary_document_filter":{"document_types":[],"country_codes":["AUS"]}}]}}"#;
    let config = checks(
        SandboxCheckReports::new().with_id_document_comparison([SandboxCheckReport::approve()
            .with_breakdown_item(
                SandboxBreakdown::pass("document_match")
                    .with_detail(SandboxDetail::new("some_name", "some_value")),
            )
            .with_secondary_document_filter(
                SandboxDocumentFilter::new().with_country_code("AUS"),
            )]),
    );
    assert_eq!(sent(&config), expected);

    // Without the field nothing is sent for it (Go's `omitempty`).
    let plain = checks(
        SandboxCheckReports::new().with_id_document_comparison([SandboxCheckReport::approve()]),
    );
    assert!(!sent(&plain).contains("secondary_document_filter"));
}

#[test]
fn watchlist_advanced_ca_is_a_list_with_a_type_list_sources_filter_as_java_sends_it() {
    // yoti-java-sdk 4.1.0, yoti-sdk-sandbox .../docs/request/SandboxCheckReports.java
    // (`List<SandboxWatchlistAdvancedCaCheck>` under WATCHLIST_ADVANCED_CA),
    // check/SandboxWatchlistAdvancedCaCheck.java (`sources_filter`),
    // check/SandboxCaSourcesFilter.java (`type` names the subtype: TYPE_LIST, PROFILE) and
    // check/SandboxCaTypeListSourcesFilter.java (`types`). Java's plain ObjectMapper also
    // writes `"report_template":null` inside `result`; a null is the same as an absent field
    // to the service, and idv leaves it out.
    let expected = r#"{"check_reports":{"WATCHLIST_ADVANCED_CA":[{"result":{"report":{"recommendation":{"value":"APPROVE"},"breakdown":[]}},"sources_filter":{"type":"TYPE_LIST","types":["pep","adverse-media"]}}]}}"#;
    let config = checks(SandboxCheckReports::new().with_watchlist_advanced_ca([
        SandboxCheckReport::approve().with_sources_filter(
            RequestedTypeListSources::new().with_types(["pep", "adverse-media"]),
        ),
    ]));
    assert_eq!(sent(&config), expected);
}

#[test]
fn watchlist_advanced_ca_profile_sources_filter_is_sent_as_java_sends_it() {
    // yoti-java-sdk 4.1.0, check/SandboxCaProfileSourcesFilter.java (`search_profile`), two
    // checks in the list as `withWatchlistAdvancedCaCheck` called twice adds them.
    let expected = r#"{"check_reports":{"WATCHLIST_ADVANCED_CA":[{"result":{"report_template":"SUCCESS"},"sources_filter":{"type":"PROFILE","search_profile":"profile-1"}},{"result":{"report":{"recommendation":{"value":"CONSIDER","reason":"POTENTIAL_MATCH"},"breakdown":[]}}}]}}"#;
    let config = checks(
        SandboxCheckReports::new().with_watchlist_advanced_ca([
            SandboxCheckReport::template("SUCCESS")
                .with_sources_filter(RequestedSearchProfileSources::new("profile-1")),
            SandboxCheckReport::consider("POTENTIAL_MATCH"),
        ]),
    );
    assert_eq!(sent(&config), expected);
    // Never the single object idv used to send.
    let value = json(&sent(&config));
    assert!(value["check_reports"]["WATCHLIST_ADVANCED_CA"].is_array());
}

#[test]
fn task_detected_document_type_is_sent_as_java_sends_it() {
    // yoti-java-sdk 4.1.0, task/SandboxDocumentTextDataExtractionTaskResult.java
    // (`detected_document_type` after `detected_country`; NON_NULL, so exactly these keys).
    let expected = r#"{"task_results":{"ID_DOCUMENT_TEXT_DATA_EXTRACTION":[{"result":{"detected_country":"FRA","detected_document_type":"NATIONAL_ID"}}]}}"#;
    let config = tasks(
        SandboxTaskResults::new().with_id_document_text_data_extraction([SandboxTaskResult::new()
            .with_result(
                SandboxTaskResultData::new()
                    .with_detected_country("FRA")
                    .with_detected_document_type("NATIONAL_ID"),
            )]),
    );
    assert_eq!(sent(&config), expected);
}

#[test]
fn task_response_delay_is_sent_as_java_sends_it() {
    // yoti-java-sdk 4.1.0, task/SandboxDocumentTextDataExtractionTask.java and
    // task/SandboxSupplementaryDocTextDataExtractionTask.java: `response_delay` (an Integer,
    // seconds) next to `result`; NON_NULL, so no other key.
    let expected = r#"{"task_results":{"ID_DOCUMENT_TEXT_DATA_EXTRACTION":[{"result":{"document_fields":{"full_name":"JANE DOE"}},"response_delay":5}],"SUPPLEMENTARY_DOCUMENT_TEXT_DATA_EXTRACTION":[{"result":{"detected_country":"GBR"},"response_delay":0}]}}"#;
    let config = tasks(
        SandboxTaskResults::new()
            .with_id_document_text_data_extraction([SandboxTaskResult::success()
                .with_document_field("full_name", "JANE DOE")
                .with_response_delay(5)])
            .with_supplementary_document_text_data_extraction([SandboxTaskResult::new()
                .with_result(SandboxTaskResultData::new().with_detected_country("GBR"))
                .with_response_delay(0)]),
    );
    assert_eq!(sent(&config), expected);
    // `response_delay` of a template result goes next to `result_template` (Java's order
    // puts it before; the keys and values are the same).
    let templated = tasks(
        SandboxTaskResults::new().with_id_document_text_data_extraction([
            SandboxTaskResult::template("UNABLE_TO_OCR").with_response_delay(2),
        ]),
    );
    assert_eq!(
        json(&sent(&templated)),
        json(
            r#"{"task_results":{"ID_DOCUMENT_TEXT_DATA_EXTRACTION":[{"response_delay":2,"result_template":"UNABLE_TO_OCR"}]}}"#
        )
    );
}

#[test]
fn agent_resources_are_sent_as_the_sandbox_guide_documents_them() {
    // No official package wraps `POST /agent`; the shape is Yoti's sandbox integration guide
    // (developers.yoti.com/sandbox-beta/sandbox-integration-guide and
    // developers.yoti.com/identity-verification/sandbox): `resources.id_documents[]` with
    // `issuing_country`, `document_type`, `capture_method`, and
    // `resources.supplementary_documents[]` with `issuing_country`, `document_type`.
    let expected = r#"{"session_id":"s1","client_session_token":"tok-secret-7","resources":{"id_documents":[{"issuing_country":"GBR","document_type":"PASSPORT","capture_method":"CAMERA"},{"issuing_country":"FRA","document_type":"NATIONAL_ID"}],"supplementary_documents":[{"issuing_country":"GBR","document_type":"UTILITY_BILL"}]}}"#;
    let resources = SandboxAgentResources::new()
        .with_id_document(
            SandboxAgentIdDocument::new("GBR", "PASSPORT").with_capture_method("CAMERA"),
        )
        .with_id_document(SandboxAgentIdDocument::new("FRA", "NATIONAL_ID"))
        .with_supplementary_document(SandboxAgentSupplementaryDocument::new(
            "GBR",
            "UTILITY_BILL",
        ));
    let session_id = SessionId::from("s1");
    let token = ClientSessionToken::new("tok-secret-7");
    let op = CompleteSessionAsAgent {
        session_id: &session_id,
        client_session_token: &token,
        resources: Some(&resources),
    };
    let request = op.request().unwrap();
    assert_eq!(request.path(), "/agent");
    assert_eq!(
        std::str::from_utf8(request.body().unwrap().bytes()).unwrap(),
        expected
    );
    // The token stays out of Debug; the documents (not personal data) are shown.
    let debug = format!("{op:?}");
    assert!(!debug.contains("tok-secret-7"), "{debug}");
    assert!(debug.contains("PASSPORT"), "{debug}");

    // Without resources: the two required fields only, as before.
    let bare = CompleteSessionAsAgent {
        session_id: &session_id,
        client_session_token: &token,
        resources: None,
    }
    .request()
    .unwrap();
    assert_eq!(
        bare.body().unwrap().bytes(),
        br#"{"session_id":"s1","client_session_token":"tok-secret-7"}"#
    );
}
