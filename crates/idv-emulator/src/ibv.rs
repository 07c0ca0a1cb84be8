//! In-branch verification (IBV) instructions: `PUT/GET /sessions/{id}/instructions`, the
//! instructions PDF, the contact profile and the instructions e-mail.

use serde_json::{Map, Value, json};

use crate::error::{ApiError, FieldError};
use crate::session::Session;
use crate::session::spec::parse_object;

impl Session {
    /// `PUT /sessions/{id}/instructions`: `{contact_profile?, documents?, branch?}`.
    pub(crate) fn put_instructions(&mut self, body: &[u8]) -> Result<(), ApiError> {
        let obj = parse_object(body)?;
        let mut errors = Vec::new();
        if let Some(c) = obj.get("contact_profile").filter(|v| !v.is_null()) {
            match c.as_object() {
                Some(c) => {
                    for name in ["first_name", "last_name", "email"] {
                        if !c.get(name).is_some_and(Value::is_string) {
                            errors.push(FieldError::new(
                                format!("contact_profile.{name}"),
                                "must be a string",
                            ));
                        }
                    }
                }
                None => errors.push(FieldError::new("contact_profile", "must be an object")),
            }
        }
        if let Some(d) = obj.get("documents").filter(|v| !v.is_null()) {
            match d.as_array() {
                Some(docs) => {
                    for (i, doc) in docs.iter().enumerate() {
                        let known = doc
                            .get("requirement_id")
                            .and_then(Value::as_str)
                            .is_some_and(|id| self.requirements.iter().any(|r| r.id == id));
                        if !known {
                            errors.push(FieldError::new(
                                format!("documents[{i}].requirement_id"),
                                "does not match a requirement of this session",
                            ));
                        }
                    }
                }
                None => errors.push(FieldError::new("documents", "must be an array")),
            }
        }
        if let Some(b) = obj.get("branch").filter(|v| !v.is_null())
            && !b.is_object()
        {
            errors.push(FieldError::new("branch", "must be an object"));
        }
        if !errors.is_empty() {
            return Err(ApiError::validation(errors));
        }
        self.instructions = Some(obj);
        self.notify("NEW_PDF_SUPPLIED", None);
        Ok(())
    }

    fn instructions(&self) -> Result<&Map<String, Value>, ApiError> {
        self.instructions.as_ref().ok_or_else(|| {
            ApiError::not_found(
                "INSTRUCTIONS_NOT_FOUND",
                "No instructions were set for this session",
            )
        })
    }

    /// Body of `GET /sessions/{id}/instructions`.
    pub(crate) fn instructions_view(&self) -> Result<Value, ApiError> {
        let i = self.instructions()?;
        let mut v = json!({
            "contact_profile_exists": i.get("contact_profile").is_some_and(Value::is_object),
            "documents": i.get("documents").cloned().unwrap_or_else(|| json!([])),
        });
        if let Some(b) = i.get("branch").filter(|b| b.is_object()) {
            v["branch"] = b.clone();
        }
        Ok(v)
    }

    /// Body of `GET /sessions/{id}/instructions/contact-profile`.
    pub(crate) fn contact_profile(&self) -> Result<Value, ApiError> {
        self.instructions()?
            .get("contact_profile")
            .filter(|c| c.is_object())
            .cloned()
            .ok_or_else(|| {
                ApiError::not_found(
                    "CONTACT_PROFILE_NOT_FOUND",
                    "The instructions have no contact profile",
                )
            })
    }

    /// `GET /sessions/{id}/instructions/pdf`: a small PDF, or `None` (204) without
    /// instructions.
    pub(crate) fn instructions_pdf(&self) -> Option<Vec<u8>> {
        let i = self.instructions.as_ref()?;
        let branch = i
            .get("branch")
            .and_then(|b| b.get("name"))
            .and_then(Value::as_str)
            .unwrap_or("any branch");
        let documents = i
            .get("documents")
            .and_then(Value::as_array)
            .map_or(0, Vec::len);
        Some(tiny_pdf(&[
            "IDV emulator - in-branch verification instructions",
            &format!("Visit: {branch}"),
            &format!("Documents to bring: {documents}"),
        ]))
    }

    /// `POST /sessions/{id}/instructions/email`: needs a contact profile.
    pub(crate) fn email_instructions(&mut self) -> Result<(), ApiError> {
        self.contact_profile().map_err(|_| {
            ApiError::conflict(
                "CONTACT_PROFILE_MISSING",
                "The instructions have no contact profile to e-mail",
            )
        })?;
        self.notify("INSTRUCTIONS_EMAIL_REQUESTED", None);
        Ok(())
    }
}

/// A one-page PDF with these lines of text (Helvetica, ASCII only).
pub(crate) fn tiny_pdf(lines: &[&str]) -> Vec<u8> {
    let mut text = String::from("BT /F1 14 Tf 50 780 Td 18 TL\n");
    for line in lines {
        let clean: String = line
            .chars()
            .filter(|c| c.is_ascii() && !c.is_ascii_control())
            .map(|c| {
                if matches!(c, '(' | ')' | '\\') {
                    ' '
                } else {
                    c
                }
            })
            .collect();
        text.push_str(&format!("({clean}) Tj T*\n"));
    }
    text.push_str("ET");
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>".to_owned(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_owned(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>".to_owned(),
        format!("<< /Length {} >>\nstream\n{text}\nendstream", text.len()),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_owned(),
    ];
    let mut out = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (i, obj) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n{obj}\nendobj\n", i + 1).as_bytes());
    }
    let xref = out.len();
    out.extend_from_slice(
        format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes(),
    );
    for o in offsets {
        out.extend_from_slice(format!("{o:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    out
}
