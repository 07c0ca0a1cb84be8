//! Check and task outcomes: the documented defaults for every check type, and the sandbox
//! response configs overriding them per session and per application.

use crate::common;

use common::*;
use serde_json::{Value, json};

fn check<'a>(session: &'a Value, kind: &str) -> &'a Value {
    session["checks"]
        .as_array()
        .and_then(|c| c.iter().find(|c| c["type"] == kind))
        .unwrap_or_else(|| panic!("no {kind} check in {session}"))
}

fn everything_spec() -> Value {
    json!({
        "client_session_token_ttl": 600,
        "requested_checks": [
            {"type": "ID_DOCUMENT_AUTHENTICITY", "config": {}},
            {"type": "ID_DOCUMENT_FACE_MATCH", "config": {"manual_check": "NEVER"}},
            {"type": "ID_DOCUMENT_COMPARISON", "config": {}},
            {"type": "LIVENESS", "config": {"liveness_type": "STATIC", "max_retries": 1}},
            {"type": "FACE_COMPARISON", "config": {"manual_check": "NEVER"}},
            {"type": "THIRD_PARTY_IDENTITY", "config": {}},
            {"type": "THIRD_PARTY_IDENTITY_FRAUD_1", "config": {}},
            {"type": "SYNECTICS_IDENTITY_FRAUD", "config": {}},
            {"type": "WATCHLIST_SCREENING", "config": {"categories": ["ADVERSE-MEDIA", "SANCTIONS"]}},
            {"type": "WATCHLIST_ADVANCED_CA", "config": {"type": "WITH_CUSTOM_ACCOUNT", "api_key": "secret-key", "client_ref": "ref",
                "monitoring": true, "matching_strategy": {"type": "FUZZY", "fuzziness": 0.5},
                "sources": {"type": "TYPE_LIST", "types": ["pep", "adverse-media"]}}},
            {"type": "IBV_VISUAL_REVIEW_CHECK", "config": {"manual_check": "IBV"}}
        ],
        "requested_tasks": [
            {"type": "ID_DOCUMENT_TEXT_DATA_EXTRACTION", "config": {"manual_check": "NEVER"}},
            {"type": "SUPPLEMENTARY_DOCUMENT_TEXT_DATA_EXTRACTION", "config": {"manual_check": "NEVER"}}
        ],
        "required_documents": [
            {"type": "ID_DOCUMENT"},
            {"type": "SUPPLEMENTARY_DOCUMENT", "objective": {"type": "PROOF_OF_ADDRESS"}}
        ]
    })
}

fn run_agent(client: &Client, app: &App, id: &str, token: &str) {
    let resources = json!({
        "id_documents": [{"issuing_country": "FRA", "document_type": "NATIONAL_ID", "capture_method": "UPLOAD"}],
        "supplementary_documents": [{"issuing_country": "GBR", "document_type": "BANK_STATEMENT"}]
    });
    let resp = client.agent(app, id, token, Some(("resources", resources)));
    assert_eq!(resp.status, 204, "{}", String::from_utf8_lossy(&resp.body));
}

#[test]
fn deterministic_defaults_for_every_check_type() {
    let emulator = emulator();
    let client = Client::new(&emulator);
    let app = App::test();
    let (id, token) = client.create_session(&app, &everything_spec());
    run_agent(&client, &app, &id, &token);
    let s = client.session(&app, &id);
    assert_eq!(s["state"], "COMPLETED");

    // Resources: the agent's documents, with pages and media.
    let doc = &s["resources"]["id_documents"][0];
    assert_eq!(
        (
            doc["issuing_country"].as_str(),
            doc["document_type"].as_str()
        ),
        (Some("FRA"), Some("NATIONAL_ID"))
    );
    assert_eq!(doc["pages"][0]["capture_method"], "UPLOAD");
    assert_eq!(doc["pages"][0]["media"]["type"], "IMAGE");
    let fields_id = doc["document_fields"]["media"]["id"]
        .as_str()
        .expect("document_fields");
    let fields = client.get(&app, &format!("/sessions/{id}/media/{fields_id}/content"));
    assert_eq!(fields.content_type.as_deref(), Some("application/json"));
    assert_eq!(fields.json()["document_number"], "EMU000001");
    let task = &doc["tasks"][0];
    assert_eq!(task["type"], "ID_DOCUMENT_TEXT_DATA_EXTRACTION");
    assert_eq!(task["state"], "DONE");
    assert_eq!(
        task["generated_checks"][0]["type"],
        "ID_DOCUMENT_TEXT_DATA_CHECK"
    );
    assert_eq!(task["generated_media"][0]["type"], "JSON");
    let sup = &s["resources"]["supplementary_documents"][0];
    assert_eq!(sup["document_type"], "BANK_STATEMENT");
    assert_eq!(
        sup["tasks"][0]["generated_checks"][0]["type"],
        "SUPPLEMENTARY_DOCUMENT_TEXT_DATA_CHECK"
    );

    let value = |kind: &str| {
        check(&s, kind)["report"]["recommendation"]["value"]
            .as_str()
            .unwrap_or("")
            .to_owned()
    };
    for kind in [
        "ID_DOCUMENT_AUTHENTICITY",
        "ID_DOCUMENT_FACE_MATCH",
        "ID_DOCUMENT_COMPARISON",
        "LIVENESS",
        "THIRD_PARTY_IDENTITY",
        "THIRD_PARTY_IDENTITY_FRAUD_1",
        "SYNECTICS_IDENTITY_FRAUD",
        "WATCHLIST_SCREENING",
        "WATCHLIST_ADVANCED_CA",
        "ID_DOCUMENT_TEXT_DATA_CHECK",
        "SUPPLEMENTARY_DOCUMENT_TEXT_DATA_CHECK",
    ] {
        assert_eq!(value(kind), "APPROVE", "{kind}");
        assert_eq!(check(&s, kind)["state"], "DONE");
    }
    // No reference image: FACE_COMPARISON is NOT_AVAILABLE; unknown-to-the-emulator checks too.
    assert_eq!(
        check(&s, "FACE_COMPARISON")["report"]["recommendation"]["reason"],
        "REFERENCE_IMAGE_MISSING"
    );
    assert_eq!(
        check(&s, "IBV_VISUAL_REVIEW_CHECK")["report"]["recommendation"]["reason"],
        "NOT_SUPPORTED_BY_EMULATOR"
    );

    let auth = check(&s, "ID_DOCUMENT_AUTHENTICITY");
    assert_eq!(auth["resources_used"], json!([doc["id"]]));
    assert!(
        auth["report"]["breakdown"]
            .as_array()
            .is_some_and(|b| b.len() == 7 && b.iter().all(|x| x["result"] == "PASS"))
    );
    let fm = check(&s, "ID_DOCUMENT_FACE_MATCH");
    assert_eq!(
        fm["report"]["breakdown"][0]["details"][0],
        json!({"name": "confidence_score", "value": "0.91"})
    );
    assert_eq!(fm["resources_used"].as_array().map(Vec::len), Some(2));

    let ws = check(&s, "WATCHLIST_SCREENING");
    let summary = &ws["report"]["watchlist_summary"];
    assert_eq!(summary["total_hits"], 0);
    assert_eq!(
        summary["search_config"],
        json!({"categories": ["ADVERSE-MEDIA", "SANCTIONS"]})
    );
    let subs: Vec<&str> = ws["report"]["breakdown"]
        .as_array()
        .expect("b")
        .iter()
        .filter_map(|b| b["sub_check"].as_str())
        .collect();
    assert_eq!(subs, ["adverse_media", "sanctions"]);
    assert_eq!(ws["generated_profile"]["media"]["type"], "JSON");
    let raw = summary["raw_results"]["media"]["id"]
        .as_str()
        .expect("raw results");
    assert_eq!(
        client
            .get(&app, &format!("/sessions/{id}/media/{raw}/content"))
            .json()["total_hits"],
        0
    );

    let ca = check(&s, "WATCHLIST_ADVANCED_CA");
    let config = &ca["report"]["watchlist_summary"]["search_config"];
    assert_eq!(config["type"], "WITH_CUSTOM_ACCOUNT");
    assert_eq!(config["matching_strategy"]["type"], "FUZZY");
    assert!(config.get("api_key").is_none(), "the API key is not echoed");
    assert!(ca["generated_profile"]["media"]["id"].is_string());
    let tpi = check(&s, "THIRD_PARTY_IDENTITY");
    assert!(tpi["generated_profile"]["media"]["id"].is_string());
}

#[test]
fn agent_documents_must_match_the_filters() {
    let emulator = emulator();
    let client = Client::new(&emulator);
    let app = App::test();
    let spec = json!({"requested_checks": [{"type": "ID_DOCUMENT_AUTHENTICITY"}],
        "required_documents": [{"type": "ID_DOCUMENT", "filter": {"type": "DOCUMENT_RESTRICTIONS", "inclusion": "WHITELIST",
            "documents": [{"country_codes": ["GBR"], "document_types": ["DRIVING_LICENCE"]}]}}]});
    let (id, token) = client.create_session(&app, &spec);
    let wrong = json!({"id_documents": [{"issuing_country": "GBR", "document_type": "PASSPORT", "capture_method": "CAMERA"}]});
    let body = client
        .agent(&app, &id, &token, Some(("resources", wrong)))
        .expect_error(400, "PAYLOAD_VALIDATION");
    assert_eq!(body["errors"][0]["property"], "resources.id_documents[0]");
    // Nothing was captured by the refused call; with no documents named, the first one the
    // filter accepts is used.
    assert_eq!(
        client.session(&app, &id)["resources"]["id_documents"],
        json!([])
    );
    assert_eq!(client.agent(&app, &id, &token, None).status, 204);
    let s = client.session(&app, &id);
    assert_eq!(
        s["resources"]["id_documents"][0]["document_type"],
        "DRIVING_LICENCE"
    );
}

fn liveness_reject() -> Value {
    json!({"check_reports": {
        "LIVENESS": [{"liveness_type": "STATIC", "result": {"report": {
            "recommendation": {"value": "REJECT"},
            "breakdown": [{"sub_check": "liveness_auth", "result": "FAIL"}]}}}],
        "FACE_COMPARISON": {"result": {"report": {"recommendation": {"value": "NOT_AVAILABLE", "reason": "FACE_NOT_FOUND"}, "breakdown": []}}}
    }})
}

#[test]
fn session_response_config_overrides_the_defaults() {
    let emulator = emulator();
    let client = Client::new(&emulator);
    let app = App::test();
    let (id, token) = client.create_session(&app, &selfie_spec());
    let resp = client.put_json(
        &app,
        SANDBOX,
        &format!("/sessions/{id}/response-config"),
        &liveness_reject(),
    );
    assert_eq!(resp.status, 200, "{}", String::from_utf8_lossy(&resp.body));
    assert!(resp.body.is_empty());
    assert_eq!(client.agent(&app, &id, &token, None).status, 204);
    let s = client.session(&app, &id);
    let l = check(&s, "LIVENESS");
    assert_eq!(l["report"]["recommendation"], json!({"value": "REJECT"}));
    assert_eq!(
        l["report"]["breakdown"],
        json!([{"sub_check": "liveness_auth", "result": "FAIL", "details": []}])
    );
    assert_eq!(
        check(&s, "FACE_COMPARISON")["report"]["recommendation"]["reason"],
        "FACE_NOT_FOUND"
    );
    // Other sessions keep the defaults.
    let (id2, token2) = client.create_session(&app, &selfie_spec());
    assert_eq!(client.agent(&app, &id2, &token2, None).status, 204);
    assert_eq!(
        check(&client.session(&app, &id2), "LIVENESS")["report"]["recommendation"]["value"],
        "APPROVE"
    );
    // Too late once the capture is complete; not on the production base; not for another app.
    client
        .put_json(
            &app,
            SANDBOX,
            &format!("/sessions/{id}/response-config"),
            &liveness_reject(),
        )
        .expect_error(409, "SESSION_COMPLETED");
    client
        .put_json(
            &app,
            API,
            &format!("/sessions/{id}/response-config"),
            &liveness_reject(),
        )
        .expect_error(404, "NOT_FOUND");
    client
        .put_json(
            &App::other(),
            SANDBOX,
            &format!("/sessions/{id}/response-config"),
            &liveness_reject(),
        )
        .expect_error(404, "SESSION_NOT_FOUND");
}

#[test]
fn application_response_config_applies_to_sessions_without_their_own() {
    let emulator = emulator();
    let client = Client::new(&emulator);
    let app = App::test();
    let resp = client.put_json(
        &app,
        SANDBOX,
        &format!("/apps/{SDK_ID}/response-config"),
        &liveness_reject(),
    );
    assert_eq!(resp.status, 200, "{}", String::from_utf8_lossy(&resp.body));
    // Another app may not set it for us.
    client
        .put_json(
            &App::other(),
            SANDBOX,
            &format!("/apps/{SDK_ID}/response-config"),
            &liveness_reject(),
        )
        .expect_error(404, "APPLICATION_NOT_FOUND");

    let (id, token) = client.create_session(&app, &selfie_spec());
    assert_eq!(client.agent(&app, &id, &token, None).status, 204);
    assert_eq!(
        check(&client.session(&app, &id), "LIVENESS")["report"]["recommendation"]["value"],
        "REJECT"
    );

    // A session config wins over the app config.
    let (id, token) = client.create_session(&app, &selfie_spec());
    let approve = json!({"check_reports": {"LIVENESS": [{"result": {"report": {"recommendation": {"value": "APPROVE"}, "breakdown": []}}}]}});
    assert_eq!(
        client
            .put_json(
                &app,
                SANDBOX,
                &format!("/sessions/{id}/response-config"),
                &approve
            )
            .status,
        200
    );
    assert_eq!(client.agent(&app, &id, &token, None).status, 204);
    assert_eq!(
        check(&client.session(&app, &id), "LIVENESS")["report"]["recommendation"]["value"],
        "APPROVE"
    );

    // The other application is unaffected.
    let other = App::other();
    let (id, token) = client.create_session(&other, &selfie_spec());
    assert_eq!(client.agent(&other, &id, &token, None).status, 204);
    assert_eq!(
        check(&client.session(&other, &id), "LIVENESS")["report"]["recommendation"]["value"],
        "APPROVE"
    );
}

#[test]
fn templates_document_filters_and_task_results() {
    let emulator = emulator();
    let client = Client::new(&emulator);
    let app = App::test();
    let (id, token) = client.create_session(&app, &everything_spec());
    let config = json!({
        "check_reports": {
            "ID_DOCUMENT_AUTHENTICITY": [
                {"document_filter": {"document_types": ["PASSPORT"], "country_codes": []}, "result": {"report_template": "SUCCESS"}},
                {"document_filter": {"document_types": ["NATIONAL_ID"], "country_codes": ["FRA"]}, "result": {"report_template": "TAMPERED"}}
            ],
            "ID_DOCUMENT_TEXT_DATA_CHECK": [{"result": {"report": {"recommendation": {"value": "APPROVE"}, "breakdown": []}, "document_fields": {"full_name": "SCRIPTED NAME"}}}],
            "WATCHLIST_SCREENING": {"result": {"report": {"recommendation": {"value": "CONSIDER", "reason": "POTENTIAL_MATCH"}, "breakdown": [],
                "watchlist_summary": {"total_hits": 3, "search_config": {"categories": ["SANCTIONS"]}}}}},
            "THIRD_PARTY_IDENTITY": {"result": {"report": {"recommendation": {"value": "REJECT", "reason": "NO_MATCH"}, "breakdown": []}}},
            "ID_DOCUMENT_FACE_MATCH": [{"result": {"report_template": "PHOTO_TOO_BLURRY"}}]
        },
        "task_results": {
            "ID_DOCUMENT_TEXT_DATA_EXTRACTION": [{"result": {"document_fields": {"full_name": "TASK NAME", "nationality": "FRA"}}}],
            // One failing entry per attempt (3 by default) fails the task.
            "SUPPLEMENTARY_DOCUMENT_TEXT_DATA_EXTRACTION": [
                {"result_template": "UNABLE_TO_OCR"},
                {"result_template": "UNABLE_TO_OCR"},
                {"result_template": "UNABLE_TO_OCR"}
            ]
        }
    });
    let resp = client.put_json(
        &app,
        SANDBOX,
        &format!("/sessions/{id}/response-config"),
        &config,
    );
    assert_eq!(resp.status, 200, "{}", String::from_utf8_lossy(&resp.body));
    run_agent(&client, &app, &id, &token);
    let s = client.session(&app, &id);
    let auth = check(&s, "ID_DOCUMENT_AUTHENTICITY");
    assert_eq!(
        auth["report"]["recommendation"],
        json!({"value": "REJECT", "reason": "TAMPERED"})
    );
    assert_eq!(auth["report"]["breakdown"][0]["result"], "FAIL");
    assert_eq!(
        check(&s, "ID_DOCUMENT_FACE_MATCH")["report"]["recommendation"]["value"],
        "NOT_AVAILABLE"
    );
    let ws = check(&s, "WATCHLIST_SCREENING");
    assert_eq!(ws["report"]["recommendation"]["value"], "CONSIDER");
    assert_eq!(ws["report"]["watchlist_summary"]["total_hits"], 3);
    assert_eq!(
        check(&s, "THIRD_PARTY_IDENTITY")["report"]["recommendation"]["reason"],
        "NO_MATCH"
    );

    let doc = &s["resources"]["id_documents"][0];
    let fields_id = doc["document_fields"]["media"]["id"]
        .as_str()
        .expect("fields");
    assert_eq!(
        client
            .get(&app, &format!("/sessions/{id}/media/{fields_id}/content"))
            .json()["full_name"],
        "TASK NAME"
    );
    let text = check(&s, "ID_DOCUMENT_TEXT_DATA_CHECK");
    let generated = text["generated_media"][0]["id"]
        .as_str()
        .expect("generated");
    assert_eq!(
        client
            .get(&app, &format!("/sessions/{id}/media/{generated}/content"))
            .json()["full_name"],
        "SCRIPTED NAME"
    );

    let sup = &s["resources"]["supplementary_documents"][0];
    assert_eq!(sup["tasks"][0]["state"], "FAILED");
    assert_eq!(sup["tasks"][0]["generated_checks"], json!([]));
    assert!(
        s["checks"]
            .as_array()
            .expect("c")
            .iter()
            .all(|c| c["type"] != "SUPPLEMENTARY_DOCUMENT_TEXT_DATA_CHECK")
    );
}

#[test]
fn response_config_validation() {
    let emulator = emulator();
    let client = Client::new(&emulator);
    let app = App::test();
    let (id, _) = client.create_session(&app, &selfie_spec());
    let bad = json!({"check_reports": {"NOT_A_CHECK": [], "async_report_delay": -1, "LIVENESS": [{"result": {"report": {"breakdown": []}}}]}});
    let body = client
        .put_json(
            &app,
            SANDBOX,
            &format!("/sessions/{id}/response-config"),
            &bad,
        )
        .expect_error(400, "PAYLOAD_VALIDATION");
    let mut props: Vec<String> = body["errors"]
        .as_array()
        .expect("e")
        .iter()
        .map(|e| e["property"].as_str().unwrap_or("").to_owned())
        .collect();
    props.sort();
    assert_eq!(
        props,
        [
            "check_reports.LIVENESS[0].result.report.recommendation.value",
            "check_reports.NOT_A_CHECK",
            "check_reports.async_report_delay"
        ]
    );
}

fn set_config(client: &Client, app: &App, id: &str, config: &Value) {
    let resp = client.put_json(
        app,
        SANDBOX,
        &format!("/sessions/{id}/response-config"),
        config,
    );
    assert_eq!(resp.status, 200, "{}", String::from_utf8_lossy(&resp.body));
}

fn liveness_spec() -> Value {
    json!({"requested_checks": [
        {"type": "LIVENESS", "config": {"liveness_type": "STATIC", "max_retries": 3}},
        {"type": "ID_DOCUMENT_AUTHENTICITY"}
    ]})
}

#[test]
fn check_states_created_ready_and_internal_error_can_be_scripted() {
    let emulator = emulator();
    let client = Client::new(&emulator);
    let app = App::test();
    for state in ["CREATED", "READY", "INTERNAL_ERROR"] {
        let (id, token) = client.create_session(&app, &liveness_spec());
        set_config(
            &client,
            &app,
            &id,
            &json!({"check_reports": {"ID_DOCUMENT_AUTHENTICITY": [{"check_state": state}]}}),
        );
        assert_eq!(client.agent(&app, &id, &token, None).status, 204);
        let s = client.session(&app, &id);
        let scripted = check(&s, "ID_DOCUMENT_AUTHENTICITY");
        assert_eq!(scripted["state"], state, "{s}");
        assert!(
            scripted.get("report").is_none(),
            "no report until DONE: {scripted}"
        );
        assert_eq!(check(&s, "LIVENESS")["state"], "DONE");
        // INTERNAL_ERROR is final: the session completes; CREATED and READY hold it open.
        let expected = if state == "INTERNAL_ERROR" {
            "COMPLETED"
        } else {
            "ONGOING"
        };
        assert_eq!(s["state"], expected, "{state}");
    }
    let (id, _) = client.create_session(&app, &liveness_spec());
    let bad = client.put_json(
        &app,
        SANDBOX,
        &format!("/sessions/{id}/response-config"),
        &json!({"check_reports": {"LIVENESS": [{"check_state": "DONE", "response_delay": -1}]}}),
    );
    let body = bad.expect_error(400, "PAYLOAD_VALIDATION");
    let mut props: Vec<&str> = body["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .map(|e| e["property"].as_str().expect("property"))
        .collect();
    props.sort_unstable();
    assert_eq!(
        props,
        [
            "check_reports.LIVENESS[0].check_state",
            "check_reports.LIVENESS[0].response_delay"
        ]
    );
}

#[test]
fn withheld_media_answers_204_and_a_resource_without_image_404() {
    let emulator = emulator();
    let client = Client::new(&emulator);
    let app = App::test();
    let (id, token) = client.create_session(&app, &liveness_spec());
    set_config(&client, &app, &id, &json!({"withheld_media": ["IMAGE"]}));
    assert_eq!(client.agent(&app, &id, &token, None).status, 204);
    let s = client.session(&app, &id);
    let image = s["resources"]["liveness_capture"][0]["image"]["media"]["id"]
        .as_str()
        .expect("image media");
    let resp = client.get(&app, &format!("/sessions/{id}/media/{image}/content"));
    assert_eq!(resp.status, 204, "withheld");
    assert!(resp.body.is_empty());

    // Without the config the same media is served.
    let (id, token) = client.create_session(&app, &liveness_spec());
    assert_eq!(client.agent(&app, &id, &token, None).status, 204);
    let s = client.session(&app, &id);
    let image = s["resources"]["liveness_capture"][0]["image"]["media"]["id"]
        .as_str()
        .expect("image media");
    let resp = client.get(&app, &format!("/sessions/{id}/media/{image}/content"));
    assert_eq!(resp.status, 200);

    // A face-capture resource without an image yet: 404, not 204.
    let (id, _) = client.create_session(&app, &selfie_spec());
    let config = client
        .get(&app, &format!("/sessions/{id}/configuration"))
        .json();
    let requirement = config["capture"]["required_resources"][0]["id"].clone();
    let resource = client
        .post_json(
            &app,
            SANDBOX,
            &format!("/sessions/{id}/resources/face-capture"),
            &json!({"requirement_id": requirement}),
        )
        .json();
    let rid = resource["id"].as_str().expect("id");
    client
        .get(&app, &format!("/sessions/{id}/media/{rid}/content"))
        .expect_error(404, "MEDIA_NOT_FOUND");
}

fn text_spec() -> Value {
    json!({
        "requested_checks": [{"type": "ID_DOCUMENT_AUTHENTICITY"}],
        "requested_tasks": [{"type": "ID_DOCUMENT_TEXT_DATA_EXTRACTION"}],
    })
}

fn task_state(client: &Client, app: &App, config: &Value) -> String {
    let (id, token) = client.create_session(app, &text_spec());
    set_config(client, app, &id, config);
    assert_eq!(client.agent(app, &id, &token, None).status, 204);
    let s = client.session(app, &id);
    s["resources"]["id_documents"][0]["tasks"][0]["state"]
        .as_str()
        .expect("task state")
        .to_owned()
}

#[test]
fn text_extraction_fails_only_after_one_failing_entry_per_attempt() {
    let emulator = emulator();
    let client = Client::new(&emulator);
    let app = App::test();
    let fail = json!({"result_template": "UNABLE_TO_OCR"});
    let ok = json!({"result_template": "SUCCESS"});
    let with = |entries: Vec<Value>| json!({"task_results": {"ID_DOCUMENT_TEXT_DATA_EXTRACTION": entries}});
    // 3 attempts by default.
    assert_eq!(task_state(&client, &app, &with(vec![fail.clone()])), "DONE");
    assert_eq!(
        task_state(&client, &app, &with(vec![fail.clone(), fail.clone()])),
        "DONE"
    );
    assert_eq!(
        task_state(&client, &app, &with(vec![fail.clone(), fail.clone(), ok])),
        "DONE"
    );
    assert_eq!(
        task_state(
            &client,
            &app,
            &with(vec![fail.clone(), fail.clone(), fail.clone()])
        ),
        "FAILED"
    );
    // attempts_configuration sets the number of attempts.
    let (id, token) = client.create_session(
        &app,
        &json!({
            "requested_tasks": [{"type": "ID_DOCUMENT_TEXT_DATA_EXTRACTION"}],
            "sdk_config": {"attempts_configuration": {"ID_DOCUMENT_TEXT_DATA_EXTRACTION": {"GENERIC": 1}}},
        }),
    );
    set_config(&client, &app, &id, &with(vec![fail]));
    assert_eq!(client.agent(&app, &id, &token, None).status, 204);
    let s = client.session(&app, &id);
    assert_eq!(
        s["resources"]["id_documents"][0]["tasks"][0]["state"],
        "FAILED"
    );
}

#[test]
fn liveness_entries_give_each_attempt_its_result_and_honour_response_delay() {
    let emulator = emulator();
    let client = Client::new(&emulator);
    let app = App::test();
    let (id, token) = client.create_session(&app, &liveness_spec());
    let reject =
        json!({"liveness_type": "STATIC", "result": {"report_template": "PHOTO_TOO_DARK"}});
    let approve = json!({"liveness_type": "STATIC", "response_delay": 30, "result": {"report_template": "SUCCESS"}});
    set_config(
        &client,
        &app,
        &id,
        &json!({"check_reports": {"LIVENESS": [reject, approve]}}),
    );
    assert_eq!(client.agent(&app, &id, &token, None).status, 204);
    let s = client.session(&app, &id);
    assert_eq!(
        s["resources"]["liveness_capture"].as_array().map(Vec::len),
        Some(2),
        "one liveness attempt per entry"
    );
    let liveness: Vec<&Value> = s["checks"]
        .as_array()
        .expect("checks")
        .iter()
        .filter(|c| c["type"] == "LIVENESS")
        .collect();
    assert_eq!(liveness.len(), 2);
    assert_eq!(liveness[0]["state"], "DONE");
    assert_eq!(
        liveness[0]["report"]["recommendation"]["value"],
        "NOT_AVAILABLE"
    );
    // The second attempt's entry has a 30 s response delay: pending, session ongoing.
    assert_eq!(liveness[1]["state"], "PENDING");
    assert_eq!(s["state"], "ONGOING");
    emulator.advance_clock(std::time::Duration::from_secs(30));
    let s = client.session(&app, &id);
    let second = s["checks"]
        .as_array()
        .expect("checks")
        .iter()
        .filter(|c| c["type"] == "LIVENESS")
        .nth(1)
        .expect("second liveness")
        .clone();
    assert_eq!(second["state"], "DONE");
    assert_eq!(second["report"]["recommendation"]["value"], "APPROVE");
    assert_eq!(s["state"], "COMPLETED");
}

#[test]
fn no_response_config_gives_the_documented_defaults() {
    // Yoti's sandbox has a default response when none is set (its contents undocumented):
    // the emulator's is every check APPROVE and every task DONE (see the fidelity table).
    let emulator = emulator();
    let client = Client::new(&emulator);
    let app = App::test();
    let (id, token) = client.create_session(&app, &text_spec());
    assert_eq!(client.agent(&app, &id, &token, None).status, 204);
    let s = client.session(&app, &id);
    assert_eq!(s["state"], "COMPLETED");
    for c in s["checks"].as_array().expect("checks") {
        assert_eq!(c["state"], "DONE");
        assert_eq!(c["report"]["recommendation"]["value"], "APPROVE", "{c}");
    }
    assert_eq!(
        s["resources"]["id_documents"][0]["tasks"][0]["state"],
        "DONE"
    );
}
