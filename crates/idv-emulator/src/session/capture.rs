//! What gets added to a session: the relying business's reference image, the end user's
//! captures (hosted page client API, or the sandbox agent), and the completion of the
//! capture.

use std::time::{Duration, SystemTime};

use axum::body::Bytes;
use serde_json::Value;

use super::spec::{RequestedCheck, SessionSpec};
use super::{
    Device, DocumentResource, FaceCapture, LivenessCapture, LivenessType, Requirement,
    RequirementKind, Session,
};
use crate::applicants::Applicants;
use crate::documents;
use crate::error::{ApiError, FieldError};
use crate::media::{
    self, DEFAULT_FACEMAP, DEFAULT_LIVENESS_JPEG, ImageType, MAX_IMAGE_BYTES, Media,
};
use crate::sandbox::{AgentCapture, ResponseConfig, SuppliedDocument};
use crate::util::new_uuid;

/// Checks that need an ID document even when `required_documents` names none.
const ID_DOCUMENT_CHECKS: &[&str] = &[
    "ID_DOCUMENT_AUTHENTICITY",
    "ID_DOCUMENT_FACE_MATCH",
    "ID_DOCUMENT_COMPARISON",
];

/// The required resources that follow from the requested checks, tasks and documents:
/// FACE_CAPTURE (FACE_COMPARISON), LIVENESS, then one per required document (plus an
/// implied ID_DOCUMENT when a document check or the text extraction task asks for one).
pub(crate) fn requirements_for(spec: &SessionSpec) -> Result<Vec<Requirement>, ApiError> {
    let has = |kind: &str| spec.requested_checks.iter().any(|c| c.kind == kind);
    let mut kinds = Vec::new();
    if has("FACE_COMPARISON") {
        kinds.push(RequirementKind::FaceCapture);
    }
    if let Some(l) = spec.requested_checks.iter().find(|c| c.kind == "LIVENESS") {
        kinds.push(RequirementKind::Liveness(l.liveness_type));
    }
    let mut any_id_document = false;
    for (i, doc) in spec.required_documents.iter().enumerate() {
        if doc.supplementary {
            kinds.push(RequirementKind::SupplementaryDocument(i));
        } else {
            any_id_document = true;
            kinds.push(RequirementKind::IdDocument(Some(i)));
        }
    }
    let needs_id_document = ID_DOCUMENT_CHECKS.iter().any(|c| has(c))
        || spec
            .requested_tasks
            .iter()
            .any(|t| t.kind == "ID_DOCUMENT_TEXT_DATA_EXTRACTION");
    if needs_id_document && !any_id_document {
        kinds.push(RequirementKind::IdDocument(None));
    }
    kinds
        .into_iter()
        .map(|kind| {
            Ok(Requirement {
                id: new_uuid()?,
                kind,
                complete: false,
            })
        })
        .collect()
}

/// Reads an image body: size, declared type and magic bytes.
pub(crate) fn check_image(
    property: &str,
    declared: Option<&str>,
    data: &Bytes,
) -> Result<ImageType, ApiError> {
    if data.len() > MAX_IMAGE_BYTES {
        return Err(ApiError::too_large(property, MAX_IMAGE_BYTES));
    }
    let declared = declared.and_then(ImageType::from_mime).ok_or_else(|| {
        ApiError::invalid(
            property,
            "Content-Type must be image/jpeg, image/jpg or image/png",
        )
    })?;
    if data.is_empty() {
        return Err(ApiError::invalid(property, "must not be empty"));
    }
    if ImageType::sniff(data) != Some(declared) {
        return Err(ApiError::invalid(
            property,
            "content does not match its declared image type",
        ));
    }
    Ok(declared)
}

impl Session {
    fn liveness_check(&self) -> Option<&RequestedCheck> {
        self.spec
            .requested_checks
            .iter()
            .find(|c| c.kind == "LIVENESS")
    }

    /// Whether biometric consent must still be given before the capture can complete.
    pub(crate) fn consent_required(&self) -> bool {
        let biometric = self.spec.requested_checks.iter().any(|c| {
            matches!(
                c.kind.as_str(),
                "LIVENESS" | "FACE_COMPARISON" | "ID_DOCUMENT_FACE_MATCH" | "FAMILIAR_FACE_SEARCH"
            )
        });
        biometric && !self.spec.block_biometric_consent && self.biometric_consent.is_none()
    }

    /// `POST /sessions/{id}/resources/face-capture` with `{"requirement_id": ...}`.
    pub(crate) fn create_face_capture(
        &mut self,
        body: &[u8],
        now: SystemTime,
    ) -> Result<Value, ApiError> {
        let obj = super::spec::parse_object(body)?;
        let requirement_id = match obj.get("requirement_id") {
            Some(Value::String(id)) => id,
            None | Some(Value::Null) => {
                return Err(ApiError::invalid("requirement_id", "must not be null"));
            }
            Some(_) => return Err(ApiError::invalid("requirement_id", "must be a string")),
        };
        let known = self
            .requirements
            .iter()
            .any(|r| r.kind == RequirementKind::FaceCapture && &r.id == requirement_id);
        if !known {
            return Err(ApiError::invalid(
                "requirement_id",
                "does not match a FACE_CAPTURE requirement of this session",
            ));
        }
        self.ensure_open(now)?;
        let id = new_uuid()?;
        self.face_captures.push(FaceCapture {
            id: id.clone(),
            image: None,
            applicant: None,
        });
        self.track("RESOURCE_CREATED", Some(id.clone()), Device::default(), now);
        self.notify("RESOURCE_UPDATE", Some(("resource_id", &id)));
        Ok(serde_json::json!({"id": id, "frames": 1}))
    }

    /// `PUT /sessions/{id}/resources/face-capture/{rid}/image` (multipart, part `binary-content`).
    pub(crate) fn upload_face_capture_image(
        &mut self,
        resource_id: &str,
        content_type: Option<&str>,
        body: &Bytes,
        now: SystemTime,
    ) -> Result<(), ApiError> {
        let index = self
            .face_captures
            .iter()
            .position(|fc| fc.id == resource_id)
            .ok_or_else(ApiError::resource_not_found)?;
        self.ensure_open(now)?;

        let content_type = content_type
            .ok_or_else(|| ApiError::malformed(media::MultipartError::NotMultipart.message()))?;
        let boundary =
            media::boundary(content_type).map_err(|e| ApiError::malformed(e.message()))?;
        let parts = media::parse_multipart(body, &boundary)
            .map_err(|e| ApiError::malformed(e.message()))?;
        let part = parts
            .iter()
            .find(|p| p.name.as_deref() == Some("binary-content"))
            .ok_or_else(|| ApiError::invalid("binary-content", "must not be null"))?;
        if part.filename.as_deref().is_none_or(str::is_empty) {
            return Err(ApiError::invalid(
                "binary-content",
                "Content-Disposition must set a filename",
            ));
        }
        let kind = check_image("binary-content", part.content_type.as_deref(), &part.data)?;
        // A copy, not `part.data.clone()`: the part is a slice of the request body, which can
        // share its allocation with the connection's read buffer (8 KiB or more); keeping the
        // slice would keep that whole buffer alive for as long as the session is stored.
        let image = Bytes::copy_from_slice(&part.data);
        let media_id = self.add_media(Media::new("IMAGE", kind.mime(), image, now))?;
        self.face_captures[index].image = Some(media_id);
        // The latest reference wins: an upload replaces an attached applicant.
        self.face_captures[index].applicant = None;
        self.mark_face_capture_complete();
        self.notify("RESOURCE_UPDATE", Some(("resource_id", resource_id)));
        Ok(())
    }

    fn mark_face_capture_complete(&mut self) {
        for requirement in &mut self.requirements {
            if requirement.kind == RequirementKind::FaceCapture {
                requirement.complete = true;
            }
        }
    }

    /// `PUT /sessions/{id}/resources/face-capture/{rid}/applicant` with `{applicant_id}`:
    /// the applicant's faces become the resource's reference (the latest reference wins:
    /// this replaces an uploaded image, and a later upload replaces the applicant).
    /// 404 `RESOURCE_NOT_FOUND` for an unknown resource, then 409 once the session expired
    /// or its capture completed; `applicant_ok` then checks the applicant (404, 422).
    pub(crate) fn attach_applicant(
        &mut self,
        resource_id: &str,
        applicant_id: String,
        applicant_ok: impl FnOnce(&str) -> Result<(), ApiError>,
        now: SystemTime,
    ) -> Result<(), ApiError> {
        let index = self
            .face_captures
            .iter()
            .position(|fc| fc.id == resource_id)
            .ok_or_else(ApiError::resource_not_found)?;
        self.ensure_open(now)?;
        applicant_ok(&applicant_id)?;
        self.face_captures[index].applicant = Some(applicant_id);
        self.mark_face_capture_complete();
        self.notify("RESOURCE_UPDATE", Some(("resource_id", resource_id)));
        Ok(())
    }

    /// Adds a liveness capture for the LIVENESS requirement (end user).
    pub(crate) fn add_liveness(
        &mut self,
        image: (ImageType, Bytes),
        device: Device,
        now: SystemTime,
    ) -> Result<String, ApiError> {
        let liveness_type = self
            .liveness_check()
            .map(|c| c.liveness_type)
            .ok_or_else(|| {
                ApiError::conflict("NOT_REQUIRED", "This session requires no liveness")
            })?;
        let image_id = self.add_media(Media::new("IMAGE", image.0.mime(), image.1, now))?;
        let facemap = match liveness_type {
            LivenessType::Zoom => Some(self.add_media(Media::new(
                "BINARY",
                "application/octet-stream",
                Bytes::from_static(DEFAULT_FACEMAP),
                now,
            ))?),
            LivenessType::Static => None,
        };
        let id = new_uuid()?;
        self.liveness.push(LivenessCapture {
            id: id.clone(),
            liveness_type,
            image: Some(image_id),
            facemap,
        });
        for r in &mut self.requirements {
            if matches!(r.kind, RequirementKind::Liveness(_)) {
                r.complete = true;
            }
        }
        self.track("RESOURCE_CREATED", Some(id.clone()), device, now);
        self.notify("RESOURCE_UPDATE", Some(("resource_id", &id)));
        Ok(id)
    }

    /// Checks that `doc` fits the document requirement `requirement_id`.
    fn check_document(
        &self,
        requirement: &Requirement,
        doc: &SuppliedDocument,
        property: &str,
    ) -> Result<(), ApiError> {
        let fits = match requirement.kind {
            RequirementKind::IdDocument(index) => {
                let filter = index
                    .and_then(|i| self.spec.required_documents.get(i))
                    .and_then(|d| d.raw.get("filter"))
                    .and_then(Value::as_object);
                documents::CATALOGUE.iter().any(|(c, t, latin)| {
                    *c == doc.issuing_country
                        && *t == doc.document_type
                        && (*latin
                            || filter
                                .and_then(|f| f.get("allow_non_latin_documents"))
                                .and_then(Value::as_bool)
                                .unwrap_or(false))
                        && filter.is_none_or(|f| documents::matches(f, c, t))
                })
            }
            RequirementKind::SupplementaryDocument(i) => {
                let raw = self.spec.required_documents.get(i).map(|d| &d.raw);
                let list = |name: &str| crate::util::strings(raw.and_then(|r| r.get(name)));
                let (types, countries) = (list("document_types"), list("country_codes"));
                (types.is_empty() || types.contains(&doc.document_type.as_str()))
                    && (countries.is_empty() || countries.contains(&doc.issuing_country.as_str()))
            }
            _ => false,
        };
        if fits {
            Ok(())
        } else {
            Err(ApiError::invalid(
                property,
                "document does not match the session's document requirement",
            ))
        }
    }

    /// Adds a document resource for the document requirement `requirement_id`.
    pub(crate) fn add_document(
        &mut self,
        requirement_id: &str,
        doc: SuppliedDocument,
        image: (ImageType, Bytes),
        property: &str,
        device: Device,
        now: SystemTime,
    ) -> Result<String, ApiError> {
        let index = self
            .requirements
            .iter()
            .position(|r| {
                r.id == requirement_id
                    && matches!(
                        r.kind,
                        RequirementKind::IdDocument(_) | RequirementKind::SupplementaryDocument(_)
                    )
            })
            .ok_or_else(|| {
                ApiError::invalid(
                    "requirement_id",
                    "does not match a document requirement of this session",
                )
            })?;
        self.check_document(&self.requirements[index], &doc, property)?;
        let supplementary = matches!(
            self.requirements[index].kind,
            RequirementKind::SupplementaryDocument(_)
        );
        let page = self.add_media(Media::new("IMAGE", image.0.mime(), image.1, now))?;
        let id = new_uuid()?;
        self.documents.push(DocumentResource {
            id: id.clone(),
            supplementary,
            document_type: doc.document_type,
            issuing_country: doc.issuing_country,
            capture_method: doc.capture_method,
            page,
            document_fields: None,
            document_id_photo: None,
            tasks: Vec::new(),
        });
        self.requirements[index].complete = true;
        self.track("RESOURCE_CREATED", Some(id.clone()), device, now);
        self.notify("RESOURCE_UPDATE", Some(("resource_id", &id)));
        Ok(id)
    }

    /// Records biometric consent (unless the session blocks the consent screen).
    pub(crate) fn give_consent(&mut self, now: SystemTime) {
        if !self.spec.block_biometric_consent && self.biometric_consent.is_none() {
            self.biometric_consent = Some(now);
        }
    }

    /// The end-user requirements not yet satisfied (FACE_CAPTURE is the relying business's).
    pub(crate) fn missing_requirements(&self) -> Vec<FieldError> {
        let mut missing: Vec<FieldError> = self
            .requirements
            .iter()
            .filter(|r| !r.complete && r.kind != RequirementKind::FaceCapture)
            .map(|r| FieldError::new(format!("required_resources.{}", r.id), "not captured yet"))
            .collect();
        if self.consent_required() {
            missing.push(FieldError::new("biometric_consent", "not given yet"));
        }
        missing
    }

    /// `POST /sandbox/idverify/v1/agent`: plays the end user and completes the capture.
    pub(crate) fn complete_by_agent(
        &mut self,
        token: &str,
        capture: AgentCapture,
        app_config: Option<&ResponseConfig>,
        gallery: &Applicants,
        device: Device,
        now: SystemTime,
    ) -> Result<(), ApiError> {
        if token != self.token {
            return Err(ApiError::bad_token());
        }
        self.ensure_open(now)?;
        let image = capture
            .liveness_image
            .unwrap_or((ImageType::Jpeg, Bytes::from_static(DEFAULT_LIVENESS_JPEG)));
        let pending: Vec<Requirement> = self
            .requirements
            .iter()
            .filter(|r| !r.complete)
            .cloned()
            .collect();
        // Validate every supplied document first, so a refused call changes nothing.
        let (mut ids, mut sups) = (0usize, 0usize);
        let mut plan = Vec::new();
        for r in &pending {
            let (list, k, name) = match r.kind {
                RequirementKind::IdDocument(_) => (&capture.id_documents, &mut ids, "id_documents"),
                RequirementKind::SupplementaryDocument(_) => (
                    &capture.supplementary_documents,
                    &mut sups,
                    "supplementary_documents",
                ),
                _ => continue,
            };
            let doc = list
                .get(*k)
                .cloned()
                .unwrap_or_else(|| self.default_document(r));
            let property = format!("resources.{name}[{k}]");
            self.check_document(r, &doc, &property)?;
            *k += 1;
            plan.push((r.id.clone(), doc, property));
        }
        if let Some(liveness_type) = pending.iter().find_map(|r| match r.kind {
            RequirementKind::Liveness(t) => Some(t),
            _ => None,
        }) {
            // One attempt per scripted LIVENESS entry (each gets its own result).
            let config = self.response_config.as_ref().or(app_config);
            let max_retries = self
                .liveness_check()
                .and_then(|c| c.config.get("max_retries"))
                .and_then(Value::as_u64);
            let attempts = super::outcomes::liveness_attempts(config, liveness_type, max_retries);
            for _ in 0..attempts {
                self.add_liveness(image.clone(), device.clone(), now)?;
            }
        }
        for (requirement_id, doc, property) in plan {
            let page = (ImageType::Jpeg, Bytes::from_static(DEFAULT_LIVENESS_JPEG));
            self.add_document(&requirement_id, doc, page, &property, device.clone(), now)?;
        }
        self.give_consent(now);
        self.finish_capture(app_config, gallery, now)
    }

    /// The document the agent uses when the call names none: the first one the requirement
    /// accepts (GBR PASSPORT for an unfiltered ID document, a UTILITY_BILL from GBR for a
    /// supplementary document).
    fn default_document(&self, requirement: &Requirement) -> SuppliedDocument {
        let (country, kind) = match requirement.kind {
            RequirementKind::SupplementaryDocument(i) => {
                let raw = self.spec.required_documents.get(i).map(|d| &d.raw);
                let first = |name: &str, fallback: &str| {
                    raw.and_then(|r| r.get(name))
                        .and_then(Value::as_array)
                        .and_then(|a| a.first())
                        .and_then(Value::as_str)
                        .unwrap_or(fallback)
                        .to_owned()
                };
                (
                    first("country_codes", "GBR"),
                    first("document_types", "UTILITY_BILL"),
                )
            }
            RequirementKind::IdDocument(index) => {
                let filter = index
                    .and_then(|i| self.spec.required_documents.get(i))
                    .and_then(|d| d.raw.get("filter"))
                    .and_then(Value::as_object);
                documents::CATALOGUE
                    .iter()
                    .find(|(c, t, latin)| {
                        *latin && filter.is_none_or(|f| documents::matches(f, c, t))
                    })
                    .map_or(("GBR".to_owned(), "PASSPORT".to_owned()), |(c, t, _)| {
                        ((*c).to_owned(), (*t).to_owned())
                    })
            }
            _ => ("GBR".to_owned(), "PASSPORT".to_owned()),
        };
        SuppliedDocument {
            issuing_country: country,
            document_type: kind,
            capture_method: "CAMERA".to_owned(),
        }
    }

    /// Completes the capture: deletes the client session token, creates the checks and
    /// tasks, and schedules their results after the configured `async_report_delay`.
    pub(crate) fn finish_capture(
        &mut self,
        app_config: Option<&ResponseConfig>,
        gallery: &Applicants,
        now: SystemTime,
    ) -> Result<(), ApiError> {
        let config = self.response_config.clone().or_else(|| app_config.cloned());
        self.withheld_media = config
            .as_ref()
            .map(|c| c.withheld_media.clone())
            .unwrap_or_default();
        self.captured = Some(now);
        self.delete_token(now);
        let delay = super::outcomes::run(self, config.as_ref(), gallery, now)?;
        self.reports_due = Some(now + Duration::from_secs(delay));
        self.refresh(now);
        Ok(())
    }
}
