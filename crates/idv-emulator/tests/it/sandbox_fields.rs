//! Issue 14, section 2: the sandbox fields the official packages send — WATCHLIST_ADVANCED_CA
//! as a list with `sources_filter`, `secondary_document_filter`, a task's `response_delay`
//! and `detected_document_type`, the agent's `resources` — are accepted in the documented
//! form only and change what the session reports.

use crate::common;

use std::time::Duration;

use common::*;
use serde_json::{Value, json};

fn checks_of<'a>(session: &'a Value, kind: &str) -> Vec<&'a Value> {
    session["checks"]
        .as_array()
        .expect("checks")
        .iter()
        .filter(|c| c["type"] == kind)
        .collect()
}

fn configure(client: &Client, app: &App, id: &str, config: &Value) -> Resp {
    client.put_json(
        app,
        SANDBOX,
        &format!("/sessions/{id}/response-config"),
        config,
    )
}

fn ca_spec(sources: Value) -> Value {
    json!({
        "client_session_token_ttl": 600,
        "requested_checks": [
            {"type": "WATCHLIST_ADVANCED_CA", "config": {"type": "WITH_YOTI_ACCOUNT", "sources": sources}}
        ]
    })
}

fn consider() -> Value {
    json!({"report": {"recommendation": {"value": "CONSIDER", "reason": "POTENTIAL_MATCH"}, "breakdown": []}})
}

#[test]
fn watchlist_advanced_ca_takes_the_list_form_only() {
    let emulator = emulator();
    let client = Client::new(&emulator);
    let app = App::test();
    let (id, _) = client.create_session(
        &app,
        &ca_spec(json!({"type": "TYPE_LIST", "types": ["pep"]})),
    );

    // The single object idv used to send, and the emulator used to take, is refused.
    let single = json!({"check_reports": {"WATCHLIST_ADVANCED_CA": {"result": consider()}}});
    let err = configure(&client, &app, &id, &single).expect_error(400, "PAYLOAD_VALIDATION");
    assert_eq!(
        err["errors"][0]["property"], "check_reports.WATCHLIST_ADVANCED_CA",
        "{err}"
    );
    // So is a malformed sources filter.
    for bad in [
        json!({"type": "TYPE_LIST"}),
        json!({"type": "PROFILE"}),
        json!({"type": "NOPE", "types": []}),
        json!("pep"),
    ] {
        let config = json!({"check_reports": {"WATCHLIST_ADVANCED_CA": [{"result": consider(), "sources_filter": bad}]}});
        let err = configure(&client, &app, &id, &config).expect_error(400, "PAYLOAD_VALIDATION");
        assert_eq!(
            err["errors"][0]["property"], "check_reports.WATCHLIST_ADVANCED_CA[0].sources_filter",
            "{err}"
        );
    }

    // The list form (as Java sends it) is taken.
    let list = json!({"check_reports": {"WATCHLIST_ADVANCED_CA": [{"result": consider()}]}});
    let resp = configure(&client, &app, &id, &list);
    assert_eq!(resp.status, 200, "{}", String::from_utf8_lossy(&resp.body));

    // Other single-object check types keep taking a single object.
    let single_face = json!({"check_reports": {"WATCHLIST_SCREENING": {"result": consider()}}});
    assert_eq!(configure(&client, &app, &id, &single_face).status, 200);
}

#[test]
fn watchlist_advanced_ca_entries_apply_to_the_check_their_sources_filter_names() {
    let emulator = emulator();
    let client = Client::new(&emulator);
    let app = App::test();
    let config = json!({"check_reports": {"WATCHLIST_ADVANCED_CA": [
        {"result": {"report": {"recommendation": {"value": "REJECT", "reason": "PROFILE_HIT"}, "breakdown": []}},
         "sources_filter": {"type": "PROFILE", "search_profile": "profile-1"}},
        {"result": consider(),
         "sources_filter": {"type": "TYPE_LIST", "types": ["adverse-media", "pep"]}},
        {"result": {"report": {"recommendation": {"value": "NOT_AVAILABLE", "reason": "FALLBACK"}, "breakdown": []}}}
    ]}});
    let outcome = |sources: Value| {
        let (id, token) = client.create_session(&app, &ca_spec(sources));
        let resp = configure(&client, &app, &id, &config);
        assert_eq!(resp.status, 200, "{}", String::from_utf8_lossy(&resp.body));
        assert_eq!(client.agent(&app, &id, &token, None).status, 204);
        let s = client.session(&app, &id);
        let ca = checks_of(&s, "WATCHLIST_ADVANCED_CA");
        assert_eq!(ca.len(), 1, "{s}");
        ca[0]["report"]["recommendation"]["reason"]
            .as_str()
            .expect("reason")
            .to_owned()
    };
    assert_eq!(
        outcome(json!({"type": "PROFILE", "search_profile": "profile-1"})),
        "PROFILE_HIT"
    );
    // The same types in another order match; other types or profiles fall through.
    assert_eq!(
        outcome(json!({"type": "TYPE_LIST", "types": ["pep", "adverse-media"]})),
        "POTENTIAL_MATCH"
    );
    assert_eq!(
        outcome(json!({"type": "TYPE_LIST", "types": ["pep"]})),
        "FALLBACK"
    );
    assert_eq!(
        outcome(json!({"type": "PROFILE", "search_profile": "profile-2"})),
        "FALLBACK"
    );
}

#[test]
fn id_document_comparison_entries_apply_by_secondary_document_filter() {
    let emulator = emulator();
    let client = Client::new(&emulator);
    let app = App::test();
    let spec = json!({
        "client_session_token_ttl": 600,
        "requested_checks": [{"type": "ID_DOCUMENT_COMPARISON", "config": {}}],
        "required_documents": [{"type": "ID_DOCUMENT"}, {"type": "ID_DOCUMENT"}]
    });
    let (id, token) = client.create_session(&app, &spec);
    // Not an object: refused.
    let bad = json!({"check_reports": {"ID_DOCUMENT_COMPARISON": [{"result": consider(), "secondary_document_filter": []}]}});
    configure(&client, &app, &id, &bad).expect_error(400, "PAYLOAD_VALIDATION");
    // The entry for a GBR passport compared with a French ID card rejects; the entry whose
    // secondary document is a driving licence (which the session does not have) never
    // applies.
    let config = json!({"check_reports": {"ID_DOCUMENT_COMPARISON": [
        {"result": {"report": {"recommendation": {"value": "REJECT", "reason": "NOT_USED"}, "breakdown": []}},
         "secondary_document_filter": {"document_types": ["DRIVING_LICENCE"], "country_codes": []}},
        {"result": {"report": {"recommendation": {"value": "REJECT", "reason": "DOCUMENTS_DIFFER"}, "breakdown": []}},
         "document_filter": {"document_types": ["PASSPORT"], "country_codes": ["GBR"]},
         "secondary_document_filter": {"document_types": ["NATIONAL_ID"], "country_codes": ["FRA"]}}
    ]}});
    let resp = configure(&client, &app, &id, &config);
    assert_eq!(resp.status, 200, "{}", String::from_utf8_lossy(&resp.body));
    let resources = json!({"id_documents": [
        {"issuing_country": "GBR", "document_type": "PASSPORT", "capture_method": "CAMERA"},
        {"issuing_country": "FRA", "document_type": "NATIONAL_ID", "capture_method": "CAMERA"}
    ]});
    let resp = client.agent(&app, &id, &token, Some(("resources", resources)));
    assert_eq!(resp.status, 204, "{}", String::from_utf8_lossy(&resp.body));
    let s = client.session(&app, &id);
    let reasons: Vec<_> = checks_of(&s, "ID_DOCUMENT_COMPARISON")
        .iter()
        .map(|c| {
            c["report"]["recommendation"]["value"]
                .as_str()
                .map(str::to_owned)
                .zip(
                    c["report"]["recommendation"]["reason"]
                        .as_str()
                        .map(str::to_owned),
                )
        })
        .collect();
    // One check per ID document: the passport's (secondary: the French ID) is rejected,
    // the French ID's has no scripted entry (its document filter names the passport).
    assert_eq!(
        reasons,
        [
            Some(("REJECT".to_owned(), "DOCUMENTS_DIFFER".to_owned())),
            None
        ],
        "{s}"
    );
    assert_eq!(
        checks_of(&s, "ID_DOCUMENT_COMPARISON")[1]["report"]["recommendation"]["value"],
        "APPROVE"
    );
}

fn extraction_spec() -> Value {
    json!({
        "client_session_token_ttl": 600,
        "requested_checks": [{"type": "ID_DOCUMENT_AUTHENTICITY", "config": {}}],
        "requested_tasks": [{"type": "ID_DOCUMENT_TEXT_DATA_EXTRACTION", "config": {"manual_check": "NEVER"}}],
        "required_documents": [{"type": "ID_DOCUMENT"}]
    })
}

fn extraction_task(session: &Value) -> &Value {
    &session["resources"]["id_documents"][0]["tasks"][0]
}

#[test]
fn a_task_response_delay_holds_that_task_and_its_check_and_the_session() {
    let emulator = emulator();
    let client = Client::new(&emulator);
    let app = App::test();
    let (id, token) = client.create_session(&app, &extraction_spec());
    for bad in [json!(-1), json!("5"), json!(1.5)] {
        let config = json!({"task_results": {"ID_DOCUMENT_TEXT_DATA_EXTRACTION": [{"result": {}, "response_delay": bad}]}});
        let err = configure(&client, &app, &id, &config).expect_error(400, "PAYLOAD_VALIDATION");
        assert_eq!(
            err["errors"][0]["property"],
            "task_results.ID_DOCUMENT_TEXT_DATA_EXTRACTION[0].response_delay"
        );
    }
    let config = json!({"task_results": {"ID_DOCUMENT_TEXT_DATA_EXTRACTION": [{"result": {}, "response_delay": 30}]}});
    assert_eq!(configure(&client, &app, &id, &config).status, 200);
    assert_eq!(client.agent(&app, &id, &token, None).status, 204);

    // Right after: the authenticity check is done, the task and its text-data check are not,
    // and the session is still ONGOING.
    let s = client.session(&app, &id);
    assert_eq!(
        checks_of(&s, "ID_DOCUMENT_AUTHENTICITY")[0]["state"],
        "DONE",
        "{s}"
    );
    assert_eq!(extraction_task(&s)["state"], "PENDING", "{s}");
    assert_eq!(
        checks_of(&s, "ID_DOCUMENT_TEXT_DATA_CHECK")[0]["state"],
        "PENDING"
    );
    assert_eq!(s["state"], "ONGOING");

    emulator.advance_clock(Duration::from_secs(29));
    let s = client.session(&app, &id);
    assert_eq!(extraction_task(&s)["state"], "PENDING");
    assert_eq!(s["state"], "ONGOING");

    emulator.advance_clock(Duration::from_secs(1));
    let s = client.session(&app, &id);
    assert_eq!(extraction_task(&s)["state"], "DONE", "{s}");
    assert_eq!(
        checks_of(&s, "ID_DOCUMENT_TEXT_DATA_CHECK")[0]["state"],
        "DONE"
    );
    assert_eq!(s["state"], "COMPLETED");
}

#[test]
fn detected_document_type_and_country_replace_what_the_user_presented() {
    let emulator = emulator();
    let client = Client::new(&emulator);
    let app = App::test();
    let (id, token) = client.create_session(&app, &extraction_spec());
    let bad = json!({"task_results": {"ID_DOCUMENT_TEXT_DATA_EXTRACTION": [{"result": {"detected_document_type": 7}}]}});
    let err = configure(&client, &app, &id, &bad).expect_error(400, "PAYLOAD_VALIDATION");
    assert_eq!(
        err["errors"][0]["property"],
        "task_results.ID_DOCUMENT_TEXT_DATA_EXTRACTION[0].result.detected_document_type"
    );
    let config = json!({
        "task_results": {"ID_DOCUMENT_TEXT_DATA_EXTRACTION": [
            {"result": {"detected_document_type": "DRIVING_LICENCE", "detected_country": "IRL"}}
        ]},
        // The generated check's entries filter on the detected document.
        "check_reports": {"ID_DOCUMENT_TEXT_DATA_CHECK": [
            {"result": {"report": {"recommendation": {"value": "REJECT", "reason": "DETECTED"}, "breakdown": []}},
             "document_filter": {"document_types": ["DRIVING_LICENCE"], "country_codes": ["IRL"]}}
        ]}
    });
    assert_eq!(configure(&client, &app, &id, &config).status, 200);
    let resources = json!({"id_documents": [{"issuing_country": "GBR", "document_type": "PASSPORT", "capture_method": "CAMERA"}]});
    let resp = client.agent(&app, &id, &token, Some(("resources", resources)));
    assert_eq!(resp.status, 204, "{}", String::from_utf8_lossy(&resp.body));
    let s = client.session(&app, &id);
    let doc = &s["resources"]["id_documents"][0];
    assert_eq!(doc["document_type"], "DRIVING_LICENCE", "{s}");
    assert_eq!(doc["issuing_country"], "IRL");
    let fields_id = doc["document_fields"]["media"]["id"]
        .as_str()
        .expect("fields");
    let fields = client
        .get(&app, &format!("/sessions/{id}/media/{fields_id}/content"))
        .json();
    assert_eq!(fields["document_type"], "DRIVING_LICENCE");
    assert_eq!(fields["issuing_country"], "IRL");
    assert_eq!(
        checks_of(&s, "ID_DOCUMENT_TEXT_DATA_CHECK")[0]["report"]["recommendation"]["reason"],
        "DETECTED"
    );

    // Without them the resource keeps what the agent presented.
    let (id2, token2) = client.create_session(&app, &extraction_spec());
    let resources = json!({"id_documents": [{"issuing_country": "GBR", "document_type": "PASSPORT", "capture_method": "CAMERA"}]});
    assert_eq!(
        client
            .agent(&app, &id2, &token2, Some(("resources", resources)))
            .status,
        204
    );
    let doc = &client.session(&app, &id2)["resources"]["id_documents"][0];
    assert_eq!(doc["document_type"], "PASSPORT");
    assert_eq!(doc["issuing_country"], "GBR");
}
