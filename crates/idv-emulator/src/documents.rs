//! The emulator's catalogue of supported documents, and document filters.
//!
//! `GET /supported-documents` lists it, and an `ID_DOCUMENT` requirement's
//! `supported_countries` is this catalogue narrowed by the required document's `filter`.

use serde_json::{Map, Value, json};

use crate::util::strings;

/// `(country, document type, is_strictly_latin)`: a small, fixed catalogue.
pub(crate) const CATALOGUE: &[(&str, &str, bool)] = &[
    ("GBR", "PASSPORT", true),
    ("GBR", "DRIVING_LICENCE", true),
    ("GBR", "RESIDENCE_PERMIT", true),
    ("GBR", "PASS_CARD", true),
    ("IRL", "PASSPORT", true),
    ("IRL", "DRIVING_LICENCE", true),
    ("IRL", "NATIONAL_ID", true),
    ("FRA", "PASSPORT", true),
    ("FRA", "NATIONAL_ID", true),
    ("DEU", "PASSPORT", true),
    ("DEU", "NATIONAL_ID", true),
    ("ESP", "PASSPORT", true),
    ("ESP", "NATIONAL_ID", true),
    ("ITA", "PASSPORT", true),
    ("USA", "PASSPORT", true),
    ("USA", "DRIVING_LICENCE", true),
    ("USA", "STATE_ID", true),
    ("IND", "PASSPORT", true),
    ("IND", "AADHAAR", false),
    ("JPN", "PASSPORT", true),
    ("JPN", "DRIVING_LICENCE", false),
    ("CHN", "PASSPORT", true),
    ("CHN", "NATIONAL_ID", false),
];

/// Supplementary document types offered when a requirement names none.
pub(crate) const SUPPLEMENTARY_TYPES: &[&str] = &["UTILITY_BILL", "BANK_STATEMENT", "COUNCIL_TAX"];

/// Body of `GET /supported-documents`.
pub(crate) fn supported_documents(include_non_latin: bool) -> Value {
    let docs: Vec<_> = CATALOGUE
        .iter()
        .filter(|(_, _, latin)| include_non_latin || *latin)
        .collect();
    json!({ "supported_countries": group(&docs) })
}

/// `supported_countries` of an ID_DOCUMENT requirement with this `filter`.
pub(crate) fn supported_countries(filter: Option<&Map<String, Value>>) -> Value {
    let allow_non_latin = filter
        .and_then(|f| f.get("allow_non_latin_documents"))
        .and_then(Value::as_bool)
        .unwrap_or(false);
    let docs: Vec<_> = CATALOGUE
        .iter()
        .filter(|(country, kind, latin)| {
            (allow_non_latin || *latin) && filter.is_none_or(|f| matches(f, country, kind))
        })
        .collect();
    Value::Array(group(&docs))
}

fn group(docs: &[&(&str, &str, bool)]) -> Vec<Value> {
    let mut countries: Vec<(&str, Vec<Value>)> = Vec::new();
    for (country, kind, latin) in docs {
        let entry = json!({"type": kind, "is_strictly_latin": latin});
        match countries.iter_mut().find(|(c, _)| c == country) {
            Some((_, list)) => list.push(entry),
            None => countries.push((country, vec![entry])),
        }
    }
    countries
        .into_iter()
        .map(|(code, docs)| json!({"code": code, "supported_documents": docs}))
        .collect()
}

/// Whether a WHITELIST/BLACKLIST restriction lets `value` through.
fn restriction_allows(restriction: Option<&Value>, list_key: &str, value: &str) -> bool {
    let Some(r) = restriction.and_then(Value::as_object) else {
        return true;
    };
    let list = strings(r.get(list_key));
    let listed = list.contains(&value);
    match r.get("inclusion").and_then(Value::as_str) {
        Some("BLACKLIST") => !listed,
        _ => list.is_empty() || listed,
    }
}

/// Whether a document filter (`ORTHOGONAL_RESTRICTIONS` or `DOCUMENT_RESTRICTIONS`) accepts
/// a document of `kind` from `country`.
pub(crate) fn matches(filter: &Map<String, Value>, country: &str, kind: &str) -> bool {
    match filter.get("type").and_then(Value::as_str) {
        Some("DOCUMENT_RESTRICTIONS") => {
            let listed = filter
                .get("documents")
                .and_then(Value::as_array)
                .map(|docs| {
                    docs.iter().any(|d| {
                        let types = strings(d.get("document_types"));
                        let countries = strings(d.get("country_codes"));
                        (types.is_empty() || types.contains(&kind))
                            && (countries.is_empty() || countries.contains(&country))
                    })
                })
                .unwrap_or(false);
            match filter.get("inclusion").and_then(Value::as_str) {
                Some("BLACKLIST") => !listed,
                _ => listed,
            }
        }
        _ => {
            restriction_allows(filter.get("country_restriction"), "country_codes", country)
                && restriction_allows(filter.get("type_restriction"), "document_types", kind)
        }
    }
}

/// Whether a sandbox `document_filter` (`{document_types, country_codes}`) accepts a document.
pub(crate) fn sandbox_filter_matches(filter: Option<&Value>, country: &str, kind: &str) -> bool {
    let Some(f) = filter.and_then(Value::as_object) else {
        return true;
    };
    let types = strings(f.get("document_types"));
    let countries = strings(f.get("country_codes"));
    (types.is_empty() || types.contains(&kind))
        && (countries.is_empty() || countries.contains(&country))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters() {
        let f = json!({"type": "ORTHOGONAL_RESTRICTIONS",
            "country_restriction": {"inclusion": "WHITELIST", "country_codes": ["GBR"]},
            "type_restriction": {"inclusion": "BLACKLIST", "document_types": ["PASS_CARD"]}});
        let f = f.as_object().expect("object");
        assert!(matches(f, "GBR", "PASSPORT"));
        assert!(!matches(f, "GBR", "PASS_CARD"));
        assert!(!matches(f, "FRA", "PASSPORT"));
        let d = json!({"type": "DOCUMENT_RESTRICTIONS", "inclusion": "WHITELIST",
            "documents": [{"country_codes": ["FRA"], "document_types": ["NATIONAL_ID"]}]});
        let d = d.as_object().expect("object");
        assert!(matches(d, "FRA", "NATIONAL_ID"));
        assert!(!matches(d, "FRA", "PASSPORT"));
        let countries = supported_countries(Some(f));
        assert_eq!(countries.as_array().map(Vec::len), Some(1));
    }

    #[test]
    fn non_latin_only_on_request() {
        let latin = supported_documents(false).to_string();
        let all = supported_documents(true).to_string();
        assert!(!latin.contains("AADHAAR"));
        assert!(all.contains("AADHAAR"));
    }
}
