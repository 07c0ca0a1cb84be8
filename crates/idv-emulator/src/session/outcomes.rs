//! Check and task results: deterministic defaults, or what a sandbox response config
//! scripts (see the crate docs for both). FACE_COMPARISON against an attached applicant and
//! FAMILIAR_FACE_SEARCH read the applicant store (`crate::applicants`) when the checks are
//! created, and decide "same person" with its rule (equal image bytes).

use std::time::{Duration, SystemTime};

use axum::body::Bytes;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use std::collections::HashMap;

use serde_json::{Map, Value, json};

use super::{Check, LivenessType, Session, Task};
use crate::applicants::{Applicants, Owner, same_person};
use crate::documents::sandbox_filter_matches;
use crate::error::ApiError;
use crate::media::{ImageType, Media};
use crate::sandbox::{ResponseConfig, SCRIPTABLE_CHECK_STATES};
use crate::util::new_uuid;

/// The confidence score reported by an approved FACE_COMPARISON.
pub(crate) const FACE_COMPARISON_CONFIDENCE: &str = "0.99";
/// The confidence score reported by a FACE_COMPARISON against an applicant whose faces do
/// not match.
pub(crate) const FACE_COMPARISON_NO_MATCH_CONFIDENCE: &str = "0.01";
/// The confidence score reported by an approved ID_DOCUMENT_FACE_MATCH.
pub(crate) const FACE_MATCH_CONFIDENCE: &str = "0.91";

/// Sub-checks of an approved ID_DOCUMENT_AUTHENTICITY.
const AUTHENTICITY_SUB_CHECKS: &[&str] = &[
    "data_in_correct_position",
    "document_in_date",
    "expected_data_present",
    "fraud_list_check",
    "no_sign_of_tampering",
    "other_security_features",
    "real_document",
];

/// Report templates (current sandbox docs) that mean NOT_AVAILABLE rather than REJECT.
const NOT_AVAILABLE_TEMPLATES: &[&str] = &[
    "PHOTO_TOO_BLURRY",
    "GLARE_OBSTRUCTION",
    "PHOTO_OVEREXPOSED",
    "PHOTO_TOO_DARK",
];

fn pass(sub_check: &str) -> Value {
    json!({"sub_check": sub_check, "result": "PASS", "details": []})
}

fn approve(breakdown: Vec<Value>) -> Value {
    json!({"recommendation": {"value": "APPROVE"}, "breakdown": breakdown})
}

fn ai_face_match(result: &str, confidence: &str) -> Value {
    json!({"sub_check": "ai_face_match", "result": result,
        "details": [{"name": "confidence_score", "value": confidence}]})
}

/// FACE_COMPARISON of the live face with an attached applicant's faces (the emulator's
/// rule: equal image bytes are the same person).
fn applicant_comparison(live: &[u8], faces: &[Bytes]) -> Value {
    if faces.iter().any(|f| same_person(live, f)) {
        approve(vec![ai_face_match("PASS", FACE_COMPARISON_CONFIDENCE)])
    } else {
        json!({"recommendation": {"value": "REJECT"},
            "breakdown": [ai_face_match("FAIL", FACE_COMPARISON_NO_MATCH_CONFIDENCE)]})
    }
}

/// FAMILIAR_FACE_SEARCH's report (the results page's examples and outcome matrix): with
/// `approval_criteria` MATCH the sub-check is `face_found_in_pool`, with NO_MATCH
/// `face_not_found_in_pool`; it passes (APPROVE) when the criterion holds, else REJECT with
/// reason `MATCH_FOUND` (documented) or `NO_MATCH_FOUND` (the emulator's). A match lists
/// `matching_pool` and one `matching_applicant` per matching applicant, in pool order.
fn familiar_face_report(criteria: &str, pool_id: &str, matches: &[String]) -> Value {
    let want_match = criteria == "MATCH";
    let found = !matches.is_empty();
    let passed = want_match == found;
    let mut details = Vec::new();
    if found {
        details.push(json!({"name": "matching_pool", "value": pool_id}));
        details.extend(
            matches
                .iter()
                .map(|a| json!({"name": "matching_applicant", "value": a})),
        );
    }
    let mut recommendation = json!({"value": if passed { "APPROVE" } else { "REJECT" }});
    if !passed {
        recommendation["reason"] = json!(if found {
            "MATCH_FOUND"
        } else {
            "NO_MATCH_FOUND"
        });
    }
    json!({
        "recommendation": recommendation,
        "breakdown": [{
            "sub_check": if want_match { "face_found_in_pool" } else { "face_not_found_in_pool" },
            "result": if passed { "PASS" } else { "FAIL" },
            "details": details,
            "process": "AUTOMATED",
        }],
    })
}

fn not_available(reason: &str) -> Value {
    json!({"recommendation": {"value": "NOT_AVAILABLE", "reason": reason}, "breakdown": []})
}

/// Fictitious document fields (no real person's data).
fn document_fields(country: &str, kind: &str, supplementary: bool) -> Value {
    if supplementary {
        json!({
            "full_name": "JANE EMULATOR DOE",
            "address": "1 Emulator Street, London, SW1A 1AA",
            "issuing_country": country,
            "document_type": kind,
        })
    } else {
        json!({
            "full_name": "JANE EMULATOR DOE",
            "given_names": "JANE EMULATOR",
            "family_name": "DOE",
            "date_of_birth": "1990-01-01",
            "nationality": country,
            "issuing_country": country,
            "document_type": kind,
            "document_number": "EMU000001",
            "expiration_date": "2035-01-01",
        })
    }
}

fn profile() -> Value {
    json!({"full_name": "JANE EMULATOR DOE", "date_of_birth": "1990-01-01", "hits": []})
}

/// Normalises a scripted report: `recommendation` kept as given, `breakdown` items get
/// `details: []` when they have none, other keys (e.g. `watchlist_summary`) are kept.
fn scripted_report(report: &Map<String, Value>) -> Value {
    let mut out = report.clone();
    let breakdown: Vec<Value> = report
        .get("breakdown")
        .and_then(Value::as_array)
        .map(|items| {
            items
                .iter()
                .map(|b| {
                    let mut b = b.clone();
                    if b.get("details").is_none_or(Value::is_null) {
                        b["details"] = json!([]);
                    }
                    b
                })
                .collect()
        })
        .unwrap_or_default();
    out.insert("breakdown".into(), Value::Array(breakdown));
    Value::Object(out)
}

/// The report of a template (`SUCCESS`, `TAMPERED`, ...) given the default report.
fn template_report(template: &str, default: Value) -> Value {
    if template == "SUCCESS" {
        return default;
    }
    if NOT_AVAILABLE_TEMPLATES.contains(&template) {
        return json!({"recommendation": {"value": "NOT_AVAILABLE", "reason": template, "recovery_suggestion": "BETTER_LIGHTING"}, "breakdown": []});
    }
    let mut breakdown = default["breakdown"].as_array().cloned().unwrap_or_default();
    if let Some(first) = breakdown.first_mut() {
        first["result"] = json!("FAIL");
    }
    json!({"recommendation": {"value": "REJECT", "reason": template}, "breakdown": breakdown})
}

/// Picks the scripted entry for a check or task of `kind` on a document of
/// (country, type), or of a liveness type.
fn entry<'a>(
    entries: Option<&'a Vec<Value>>,
    document: Option<(&str, &str)>,
    liveness: Option<LivenessType>,
) -> Option<&'a Value> {
    entries?.iter().find(|e| {
        let doc_ok = match document {
            Some((country, kind)) => {
                sandbox_filter_matches(e.get("document_filter"), country, kind)
            }
            None => true,
        };
        let liveness_ok = match (liveness, e.get("liveness_type").and_then(Value::as_str)) {
            (Some(l), Some(want)) => l.as_str() == want,
            _ => true,
        };
        doc_ok && liveness_ok
    })
}

/// Where [`report_of`] passes an entry's emulator extensions (`check_state`,
/// `response_delay`) on to [`Builder::check`], which removes it.
const EXTRAS: &str = "\u{0}emulator-extras";

/// The report of a check: the scripted one if any, else `default`; with the entry's
/// `check_state` and `response_delay` attached for [`Builder::check`].
fn report_of(entry: Option<&Value>, default: Value) -> Value {
    let mut report = report_body(entry, default);
    if let Some(e) = entry {
        let state = e.get("check_state").and_then(Value::as_str);
        let delay = e.get("response_delay").and_then(Value::as_u64);
        if (state.is_some() || delay.is_some())
            && let Some(obj) = report.as_object_mut()
        {
            obj.insert(EXTRAS.into(), json!({"state": state, "delay": delay}));
        }
    }
    report
}

/// Removes what [`report_of`] attached: (extra delay, scripted state).
fn take_extras(report: &mut Value) -> (Duration, Option<&'static str>) {
    let Some(extras) = report.as_object_mut().and_then(|o| o.remove(EXTRAS)) else {
        return (Duration::ZERO, None);
    };
    let delay = Duration::from_secs(extras["delay"].as_u64().unwrap_or(0));
    let state = extras["state"]
        .as_str()
        .and_then(|s| SCRIPTABLE_CHECK_STATES.iter().find(|k| **k == s).copied());
    (delay, state)
}

/// The n-th (from 0) scripted LIVENESS entry for a liveness type: each attempt has its own.
fn nth_liveness_entry(
    entries: Option<&Vec<Value>>,
    liveness: LivenessType,
    n: usize,
) -> Option<&Value> {
    entries?
        .iter()
        .filter(|e| {
            e.get("liveness_type")
                .and_then(Value::as_str)
                .is_none_or(|want| want == liveness.as_str())
        })
        .nth(n)
}

/// How many liveness attempts the sandbox agent makes: one per scripted LIVENESS entry of
/// that type (at least one), at most `1 + max_retries` when the check sets it.
pub(crate) fn liveness_attempts(
    config: Option<&ResponseConfig>,
    liveness: LivenessType,
    max_retries: Option<u64>,
) -> usize {
    let scripted = config
        .and_then(|c| c.check_reports.get("LIVENESS"))
        .map_or(0, |entries| {
            entries
                .iter()
                .filter(|e| {
                    e.get("liveness_type")
                        .and_then(Value::as_str)
                        .is_none_or(|want| want == liveness.as_str())
                })
                .count()
        });
    let cap = max_retries.map_or(usize::MAX, |r| {
        usize::try_from(r).unwrap_or(usize::MAX).saturating_add(1)
    });
    scripted.clamp(1, cap.max(1))
}

/// The template of a task entry (`SUCCESS` when none).
fn task_template(entry: &Value) -> &str {
    entry
        .get("result_template")
        .or_else(|| entry.get("result").and_then(|r| r.get("result_template")))
        .and_then(Value::as_str)
        .unwrap_or("SUCCESS")
}

/// The report of a check without the emulator's extensions.
fn report_body(entry: Option<&Value>, default: Value) -> Value {
    let Some(result) = entry.and_then(|e| e.get("result")) else {
        return default;
    };
    if let Some(report) = result.get("report").and_then(Value::as_object) {
        return scripted_report(report);
    }
    if let Some(template) = result
        .get("report_template")
        .or_else(|| result.get("result_template"))
        .and_then(Value::as_str)
    {
        return template_report(template, default);
    }
    default
}

struct Builder<'a> {
    session: &'a mut Session,
    config: Option<&'a ResponseConfig>,
    gallery: &'a Applicants,
    now: SystemTime,
}

impl Builder<'_> {
    fn json_media(&mut self, value: &Value) -> Result<String, ApiError> {
        let bytes = serde_json::to_vec(value)
            .map_err(|_| ApiError::internal("media could not be written"))?;
        self.session.add_media(Media::new(
            "JSON",
            "application/json",
            Bytes::from(bytes),
            self.now,
        ))
    }

    fn check(
        &mut self,
        kind: &str,
        resources_used: Vec<String>,
        mut report: Value,
    ) -> Result<usize, ApiError> {
        let (extra_delay, scripted_state) = take_extras(&mut report);
        self.session.checks.push(Check {
            extra_delay,
            scripted_state,
            id: new_uuid()?,
            kind: kind.to_owned(),
            done: false,
            resources_used,
            report,
            generated_media: Vec::new(),
            generated_profile: None,
            created: self.now,
            finished: None,
            config: None,
        });
        Ok(self.session.checks.len() - 1)
    }

    /// The image bytes of the latest liveness capture: the live face.
    fn live_face(&self) -> Option<Bytes> {
        let media_id = self.session.liveness.last()?.image.as_deref()?;
        self.session.media.get(media_id)?.content.clone()
    }

    fn owner(&self) -> Owner<'_> {
        Owner {
            sdk_id: &self.session.sdk_id,
            sandbox: self.session.sandbox,
        }
    }

    fn checks_entries(&self, kind: &str) -> Option<&Vec<Value>> {
        self.config.and_then(|c| c.check_reports.get(kind))
    }

    /// Runs the requested tasks on every document resource.
    fn tasks(&mut self) -> Result<(), ApiError> {
        let requested: Vec<String> = self
            .session
            .spec
            .requested_tasks
            .iter()
            .map(|t| t.kind.clone())
            .collect();
        for d in 0..self.session.documents.len() {
            let (supplementary, country, kind) = {
                let doc = &self.session.documents[d];
                (
                    doc.supplementary,
                    doc.issuing_country.clone(),
                    doc.document_type.clone(),
                )
            };
            let (task_kind, check_kind) = if supplementary {
                (
                    "SUPPLEMENTARY_DOCUMENT_TEXT_DATA_EXTRACTION",
                    "SUPPLEMENTARY_DOCUMENT_TEXT_DATA_CHECK",
                )
            } else {
                (
                    "ID_DOCUMENT_TEXT_DATA_EXTRACTION",
                    "ID_DOCUMENT_TEXT_DATA_CHECK",
                )
            };
            if !requested.iter().any(|t| t == task_kind) {
                continue;
            }
            // One scripted entry per attempt, in order: the task fails only when every
            // attempt has a failing entry; else the first succeeding attempt's entry (or
            // none, past the end of the list: the default) gives the result.
            let matching: Vec<&Value> = self
                .config
                .and_then(|c| c.task_results.get(task_kind))
                .map(|list| {
                    list.iter()
                        .filter(|e| {
                            sandbox_filter_matches(e.get("document_filter"), &country, &kind)
                        })
                        .collect()
                })
                .unwrap_or_default();
            let attempts = self.session.text_extraction_attempts();
            let scripted = match (0..attempts).find(|i| {
                matching
                    .get(*i)
                    .is_none_or(|e| task_template(e) == "SUCCESS")
            }) {
                Some(i) => matching.get(i).map(|e| (*e).clone()),
                None => matching.get(attempts - 1).map(|e| (*e).clone()),
            };
            let result = scripted.as_ref().and_then(|e| e.get("result"));
            let template = scripted
                .as_ref()
                .map_or("SUCCESS", task_template)
                .to_owned();
            let mut task = Task {
                id: new_uuid()?,
                kind: task_kind.to_owned(),
                outcome: "DONE",
                done: false,
                generated_checks: Vec::new(),
                generated_media: Vec::new(),
                recommendation: result.and_then(|r| r.get("recommendation")).cloned(),
                created: self.now,
                finished: None,
            };
            if template != "SUCCESS" {
                task.outcome = "FAILED";
                task.recommendation.get_or_insert_with(|| {
                    json!({"value": "MUST_TRY_AGAIN", "reason": {"value": "USER_ERROR", "detail": template}})
                });
                self.session.documents[d].tasks.push(task);
                continue;
            }
            let fields = result
                .and_then(|r| r.get("document_fields"))
                .cloned()
                .unwrap_or_else(|| document_fields(&country, &kind, supplementary));
            let fields_media = self.json_media(&fields)?;
            task.generated_media.push(fields_media.clone());
            if let Some(photo) = result.and_then(|r| r.get("document_id_photo")) {
                let data = photo
                    .get("data")
                    .and_then(Value::as_str)
                    .and_then(|d| STANDARD.decode(d).ok());
                let content_type = photo
                    .get("content_type")
                    .and_then(Value::as_str)
                    .and_then(ImageType::from_mime);
                if let (Some(data), Some(ct)) = (data, content_type) {
                    let id = self.session.add_media(Media::new(
                        "IMAGE",
                        ct.mime(),
                        Bytes::from(data),
                        self.now,
                    ))?;
                    self.session.documents[d].document_id_photo = Some(id);
                }
            }
            self.session.documents[d].document_fields = Some(fields_media);

            // The generated text-data check.
            let doc_id = self.session.documents[d].id.clone();
            let default = approve(vec![pass("text_data_readable")]);
            let report = report_of(
                entry(
                    self.checks_entries(check_kind),
                    Some((&country, &kind)),
                    None,
                ),
                default,
            );
            let check_fields = entry(
                self.checks_entries(check_kind),
                Some((&country, &kind)),
                None,
            )
            .and_then(|e| e.get("result"))
            .and_then(|r| r.get("document_fields"))
            .cloned()
            .unwrap_or(fields);
            let c = self.check(check_kind, vec![doc_id], report)?;
            let media = self.json_media(&check_fields)?;
            self.session.checks[c].generated_media.push(media);
            task.generated_checks
                .push((self.session.checks[c].id.clone(), check_kind.to_owned()));
            self.session.documents[d].tasks.push(task);
        }
        Ok(())
    }

    fn requested_check(&mut self, kind: &str, config: &Map<String, Value>) -> Result<(), ApiError> {
        let liveness = self
            .session
            .liveness
            .last()
            .map(|l| (l.id.clone(), l.liveness_type));
        // The latest face-capture resource with a reference: an image, or an applicant.
        let (reference, applicant) = self
            .session
            .face_captures
            .iter()
            .rev()
            .find(|fc| fc.image.is_some() || fc.applicant.is_some())
            .map(|fc| (Some(fc.id.clone()), fc.applicant.clone()))
            .unwrap_or_default();
        let id_docs: Vec<(String, String, String)> = self
            .session
            .documents
            .iter()
            .filter(|d| !d.supplementary)
            .map(|d| {
                (
                    d.id.clone(),
                    d.issuing_country.clone(),
                    d.document_type.clone(),
                )
            })
            .collect();
        let entries = self.checks_entries(kind).cloned();
        match kind {
            "LIVENESS" => {
                if self.session.liveness.is_empty() {
                    self.check(kind, Vec::new(), not_available("LIVENESS_NOT_CAPTURED"))?;
                }
                let mut attempt_of_type: HashMap<&'static str, usize> = HashMap::new();
                for l in self.session.liveness.clone() {
                    let n = attempt_of_type.entry(l.liveness_type.as_str()).or_insert(0);
                    let this_attempt = *n;
                    *n += 1;
                    let default = match l.liveness_type {
                        LivenessType::Static => approve(vec![
                            pass("liveness_auth"),
                            pass("face_processing"),
                            pass("payload_signature_verification"),
                        ]),
                        LivenessType::Zoom => approve(vec![pass("liveness_auth")]),
                    };
                    let report = report_of(
                        nth_liveness_entry(entries.as_ref(), l.liveness_type, this_attempt),
                        default,
                    );
                    self.check(kind, vec![l.id.clone()], report)?;
                }
            }
            "FACE_COMPARISON" => {
                let used: Vec<String> = reference
                    .iter()
                    .chain(liveness.iter().map(|l| &l.0))
                    .cloned()
                    .collect();
                let applicant_faces = applicant
                    .as_deref()
                    .map(|a| self.gallery.faces_of(self.owner(), a).unwrap_or_default());
                let live = self.live_face();
                let default = match (&reference, &liveness, applicant_faces) {
                    // A deleted applicant, or one whose faces were all deleted.
                    (_, Some(_), Some(faces)) if faces.is_empty() => {
                        not_available("REFERENCE_IMAGE_MISSING")
                    }
                    (_, Some(_), Some(faces)) => {
                        applicant_comparison(live.as_deref().unwrap_or_default(), &faces)
                    }
                    // An uploaded reference image: approved, as before applicants existed.
                    (Some(_), Some(_), None) => {
                        approve(vec![ai_face_match("PASS", FACE_COMPARISON_CONFIDENCE)])
                    }
                    (None, _, _) => not_available("REFERENCE_IMAGE_MISSING"),
                    (Some(_), None, _) => not_available("LIVENESS_NOT_CAPTURED"),
                };
                let report = report_of(entry(entries.as_ref(), None, None), default);
                self.check(kind, used, report)?;
            }
            "FAMILIAR_FACE_SEARCH" => {
                let pool_id = config
                    .get("pool_id")
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_owned();
                let criteria = config
                    .get("approval_criteria")
                    .and_then(Value::as_str)
                    .unwrap_or("MATCH")
                    .to_owned();
                let pool = self.gallery.pool_snapshot(self.owner(), &pool_id);
                let mut echo = json!({"pool_id": pool_id, "approval_criteria": criteria});
                if let Some(pool) = &pool {
                    echo["pool_label"] = json!(pool.label);
                }
                let used: Vec<String> = liveness.iter().map(|l| l.0.clone()).collect();
                let default = match (self.live_face(), pool) {
                    (None, _) => not_available("LIVENESS_NOT_CAPTURED"),
                    // Deleted since the session was created.
                    (_, None) => not_available("POOL_NOT_FOUND"),
                    (Some(live), Some(pool)) => {
                        let matches: Vec<String> = pool
                            .members
                            .into_iter()
                            .filter(|(_, faces)| faces.iter().any(|f| same_person(&live, f)))
                            .map(|(id, _)| id)
                            .collect();
                        familiar_face_report(&criteria, &pool_id, &matches)
                    }
                };
                let report = report_of(entry(entries.as_ref(), None, None), default);
                let c = self.check(kind, used, report)?;
                self.session.checks[c].config = Some(echo);
            }
            "ID_DOCUMENT_AUTHENTICITY" | "ID_DOCUMENT_FACE_MATCH" | "ID_DOCUMENT_COMPARISON" => {
                if id_docs.is_empty() {
                    self.check(kind, Vec::new(), not_available("DOCUMENT_NOT_CAPTURED"))?;
                }
                for (doc_id, country, doc_kind) in id_docs {
                    let mut used = vec![doc_id];
                    let default = match kind {
                        "ID_DOCUMENT_AUTHENTICITY" => {
                            approve(AUTHENTICITY_SUB_CHECKS.iter().map(|s| pass(s)).collect())
                        }
                        "ID_DOCUMENT_FACE_MATCH" => match &liveness {
                            Some((lid, _)) => {
                                used.push(lid.clone());
                                approve(vec![
                                    json!({"sub_check": "ai_face_match", "result": "PASS",
                                    "details": [{"name": "confidence_score", "value": FACE_MATCH_CONFIDENCE}]}),
                                ])
                            }
                            None => not_available("FACE_NOT_FOUND"),
                        },
                        _ => approve(vec![pass("document_match")]),
                    };
                    let report = report_of(
                        entry(entries.as_ref(), Some((&country, &doc_kind)), None),
                        default,
                    );
                    self.check(kind, used, report)?;
                }
            }
            "THIRD_PARTY_IDENTITY"
            | "THIRD_PARTY_IDENTITY_FRAUD_1"
            | "SYNECTICS_IDENTITY_FRAUD" => {
                let sub = match kind {
                    "THIRD_PARTY_IDENTITY" => "third_party_identity_match",
                    _ => "fraud_list_check",
                };
                let report = report_of(
                    entry(entries.as_ref(), None, None),
                    approve(vec![pass(sub)]),
                );
                let c = self.check(kind, Vec::new(), report)?;
                let media = self.json_media(&profile())?;
                self.session.checks[c].generated_profile = Some(media);
            }
            "WATCHLIST_SCREENING" | "WATCHLIST_ADVANCED_CA" => {
                let (search_config, subs): (Value, Vec<String>) = if kind == "WATCHLIST_SCREENING" {
                    let categories = crate::util::strings(config.get("categories"));
                    let subs = categories
                        .iter()
                        .map(|c| c.to_ascii_lowercase().replace('-', "_"))
                        .collect();
                    (json!({"categories": categories}), subs)
                } else {
                    let mut sc = config.clone();
                    sc.remove("api_key");
                    let subs = config
                        .get("sources")
                        .and_then(|s| s.get("types"))
                        .and_then(Value::as_array)
                        .map(|a| {
                            a.iter()
                                .filter_map(Value::as_str)
                                .map(|t| t.replace('-', "_"))
                                .collect()
                        })
                        .unwrap_or_else(|| vec!["pep".to_owned(), "sanction".to_owned()]);
                    (Value::Object(sc), subs)
                };
                let raw = self.json_media(&json!({"total_hits": 0, "hits": []}))?;
                let breakdown = subs
                    .iter()
                    .map(|s| json!({"sub_check": s, "result": "PASS", "details": [{"name": "number_of_hits", "value": "0"}]}))
                    .collect();
                let mut default = approve(breakdown);
                let summary = json!({
                    "total_hits": 0,
                    "raw_results": {"media": {"id": raw, "type": "JSON"}},
                    "associated_country_codes": [],
                    "search_config": search_config,
                });
                default["watchlist_summary"] = summary.clone();
                let mut report = report_of(entry(entries.as_ref(), None, None), default);
                if report.get("watchlist_summary").is_none() {
                    report["watchlist_summary"] = summary;
                }
                let c = self.check(kind, Vec::new(), report)?;
                let media = self.json_media(&profile())?;
                self.session.checks[c].generated_profile = Some(media);
            }
            _ => {
                let report = report_of(
                    entry(entries.as_ref(), None, None),
                    not_available("NOT_SUPPORTED_BY_EMULATOR"),
                );
                self.check(kind, Vec::new(), report)?;
            }
        }
        Ok(())
    }
}

/// Creates the checks and tasks of a session whose capture just completed; returns the
/// `async_report_delay` in seconds.
pub(crate) fn run(
    session: &mut Session,
    config: Option<&ResponseConfig>,
    gallery: &Applicants,
    now: SystemTime,
) -> Result<u64, ApiError> {
    let requested: Vec<(String, Map<String, Value>)> = session
        .spec
        .requested_checks
        .iter()
        .map(|c| (c.kind.clone(), c.config.clone()))
        .collect();
    let mut builder = Builder {
        session,
        config,
        gallery,
        now,
    };
    for (kind, cfg) in &requested {
        builder.requested_check(kind, cfg)?;
    }
    builder.tasks()?;
    Ok(config.and_then(|c| c.async_report_delay).unwrap_or(0))
}
