//! The JSON bodies the API answers with.

use std::time::SystemTime;

use serde_json::{Map, Value, json};

use super::{RequirementKind, Session};
use crate::documents;
use crate::util::format_rfc3339;

impl Session {
    /// Body of the `201` answer to `POST /sessions`.
    pub(crate) fn created_view(&self) -> Value {
        json!({
            "client_session_token_ttl": self.spec.ttl_secs,
            "client_session_token": self.token,
            "session_id": self.id,
        })
    }

    fn media_view(&self, media_id: &str) -> Option<Value> {
        let (id, media) = self.media.get_key_value(media_id)?;
        Some(json!({"media": {
            "id": id,
            "type": media.kind,
            "created": format_rfc3339(media.created),
            "last_updated": format_rfc3339(media.last_updated),
        }}))
    }

    /// One entry of `capture.required_resources`.
    fn requirement_view(&self, index: usize) -> Value {
        let r = &self.requirements[index];
        let state = if r.complete { "COMPLETE" } else { "REQUIRED" };
        let requested_tasks = |task: &str| -> Value {
            let wanted = self.spec.requested_tasks.iter().any(|t| t.kind == task);
            if wanted {
                json!([{"type": task, "state": "REQUIRED"}])
            } else {
                json!([])
            }
        };
        match &r.kind {
            RequirementKind::FaceCapture => json!({
                "type": "FACE_CAPTURE", "id": r.id, "state": state,
                "allowed_sources": [{"type": "RELYING_BUSINESS"}],
            }),
            RequirementKind::Liveness(t) => json!({
                "type": "LIVENESS", "id": r.id, "state": state,
                "allowed_sources": [{"type": "END_USER"}],
                "liveness_type": t.as_str(),
            }),
            RequirementKind::IdDocument(i) => {
                let filter = i
                    .and_then(|i| self.spec.required_documents.get(i))
                    .and_then(|d| d.raw.get("filter"))
                    .and_then(Value::as_object);
                let attempts = self
                    .spec
                    .sdk_config
                    .get("attempts_configuration")
                    .and_then(|a| a.get("ID_DOCUMENT_TEXT_DATA_EXTRACTION"))
                    .and_then(Value::as_object)
                    .cloned()
                    .unwrap_or_default();
                let mut remaining = Map::new();
                for category in ["GENERIC", "RECLASSIFICATION"] {
                    remaining.insert(
                        category.into(),
                        attempts.get(category).cloned().unwrap_or(json!(3)),
                    );
                }
                for (k, v) in attempts {
                    remaining.entry(k).or_insert(v);
                }
                json!({
                    "type": "ID_DOCUMENT", "id": r.id, "state": state,
                    "allowed_sources": [{"type": "END_USER"}],
                    "requested_tasks": requested_tasks("ID_DOCUMENT_TEXT_DATA_EXTRACTION"),
                    "supported_countries": documents::supported_countries(filter),
                    "allowed_capture_methods": self.spec.sdk_config
                        .get("allowed_capture_methods").cloned()
                        .unwrap_or(json!("CAMERA_AND_UPLOAD")),
                    "attempts_remaining": remaining,
                })
            }
            RequirementKind::SupplementaryDocument(i) => {
                let raw = self.spec.required_documents.get(*i).map(|d| &d.raw);
                let get = |name: &str| raw.and_then(|r| r.get(name)).cloned();
                json!({
                    "type": "SUPPLEMENTARY_DOCUMENT", "id": r.id, "state": state,
                    "allowed_sources": [{"type": "END_USER"}],
                    "requested_tasks": requested_tasks("SUPPLEMENTARY_DOCUMENT_TEXT_DATA_EXTRACTION"),
                    "document_types": get("document_types").unwrap_or_else(|| json!(documents::SUPPLEMENTARY_TYPES)),
                    "country_codes": get("country_codes").unwrap_or_else(|| json!([])),
                    "objective": get("objective").unwrap_or_else(|| json!({"type": "PROOF_OF_ADDRESS"})),
                })
            }
        }
    }

    /// Body of `GET /sessions/{id}/configuration`.
    pub(crate) fn configuration_view(&self, now: SystemTime) -> Value {
        let consent = if self.consent_required() {
            "REQUIRED"
        } else {
            "NOT_REQUIRED"
        };
        json!({
            "client_session_token_ttl": self.remaining_ttl(now),
            "session_id": self.id,
            "requested_checks": self.spec.requested_checks.iter().map(|c| c.kind.as_str()).collect::<Vec<_>>(),
            "capture": {
                "biometric_consent": consent,
                "required_resources": (0..self.requirements.len()).map(|i| self.requirement_view(i)).collect::<Vec<_>>(),
            },
            "sdk_config": self.spec.sdk_config,
        })
    }

    fn tasks_view(&self, tasks: &[super::Task]) -> Vec<Value> {
        tasks
            .iter()
            .map(|t| {
                let mut v = json!({
                    "type": t.kind,
                    "id": t.id,
                    "state": if t.done { t.outcome } else { "PENDING" },
                    "created": format_rfc3339(t.created),
                    "last_updated": format_rfc3339(t.finished.unwrap_or(t.created)),
                    "generated_checks": if t.done {
                        t.generated_checks.iter().map(|(id, kind)| json!({"id": id, "type": kind})).collect::<Vec<_>>()
                    } else { Vec::new() },
                    "generated_media": if t.done {
                        t.generated_media.iter().map(|id| json!({"id": id, "type": "JSON"})).collect::<Vec<_>>()
                    } else { Vec::new() },
                });
                if let (true, Some(r)) = (t.done, &t.recommendation) {
                    v["recommendation"] = r.clone();
                }
                v
            })
            .collect()
    }

    fn document_view(&self, doc: &super::DocumentResource) -> Value {
        let done = self.reports_done;
        let mut v = json!({
            "id": doc.id,
            "source": {"type": "END_USER"},
            "document_type": doc.document_type,
            "issuing_country": doc.issuing_country,
            "tasks": self.tasks_view(&doc.tasks),
            "pages": [{
                "capture_method": doc.capture_method,
                "media": self.media_view(&doc.page).map(|m| m["media"].clone()),
                "frames": [self.media_view(&doc.page)],
            }],
        });
        if done {
            if let Some(m) = doc
                .document_fields
                .as_deref()
                .and_then(|id| self.media_view(id))
            {
                v["document_fields"] = m;
            }
            if let Some(m) = doc
                .document_id_photo
                .as_deref()
                .and_then(|id| self.media_view(id))
            {
                v["document_id_photo"] = m;
            }
        }
        v
    }

    /// Body of `GET /sessions/{id}`.
    pub(crate) fn session_view(&self, now: SystemTime) -> Value {
        let liveness: Vec<Value> = self
            .liveness
            .iter()
            .map(|l| {
                let image = l.image.as_deref().and_then(|id| self.media_view(id));
                let mut v = json!({
                    "id": l.id,
                    "liveness_type": l.liveness_type.as_str(),
                    "tasks": [],
                    "source": {"type": "END_USER"},
                });
                match l.liveness_type {
                    super::LivenessType::Static => {
                        if let Some(image) = image {
                            v["image"] = image;
                        }
                    }
                    super::LivenessType::Zoom => {
                        v["frames"] = Value::Array(image.into_iter().collect());
                        if let Some(f) = l.facemap.as_deref().and_then(|id| self.media_view(id)) {
                            v["facemap"] = f;
                        }
                    }
                }
                v
            })
            .collect();
        let face_capture: Vec<Value> = self
            .face_captures
            .iter()
            .map(|fc| {
                let mut v =
                    json!({"id": fc.id, "tasks": [], "source": {"type": "RELYING_BUSINESS"}});
                if let Some(image) = fc.image.as_deref().and_then(|id| self.media_view(id)) {
                    v["image"] = image;
                }
                v
            })
            .collect();
        let checks: Vec<Value> = self
            .checks
            .iter()
            .map(|c| {
                let mut v = json!({
                    "type": c.kind,
                    "id": c.id,
                    "state": c.state(),
                    "resources_used": c.resources_used,
                    "generated_media": if c.done {
                        c.generated_media.iter().map(|id| json!({"id": id, "type": "JSON"})).collect::<Vec<_>>()
                    } else { Vec::new() },
                    "created": format_rfc3339(c.created),
                    "last_updated": format_rfc3339(c.finished.unwrap_or(c.created)),
                });
                if let Some(config) = &c.config {
                    v["config"] = config.clone();
                }
                if c.done {
                    v["report"] = c.report.clone();
                    if let Some(p) = c.generated_profile.as_deref().and_then(|id| self.media_view(id)) {
                        v["generated_profile"] = p;
                    }
                }
                v
            })
            .collect();
        let mut v = json!({
            "client_session_token_ttl": self.remaining_ttl(now),
            "session_id": self.id,
            "state": self.state(now).as_str(),
            "client_session_token": self.token,
            "resources": {
                "id_documents": self.documents.iter().filter(|d| !d.supplementary).map(|d| self.document_view(d)).collect::<Vec<_>>(),
                "supplementary_documents": self.documents.iter().filter(|d| d.supplementary).map(|d| self.document_view(d)).collect::<Vec<_>>(),
                "liveness_capture": liveness,
                "face_capture": face_capture,
            },
            "checks": checks,
        });
        if let Some(u) = &self.spec.user_tracking_id {
            v["user_tracking_id"] = json!(u);
        }
        if let Some(c) = self.biometric_consent {
            v["biometric_consent"] = json!(format_rfc3339(c));
        }
        v
    }
}
