//! Requests of Yoti's sandbox IDV API (`https://api.yoti.com/sandbox/idverify/v1`), which
//! the `idv-emulator` serves too: the scripted reports of `PUT /sessions/{id}/response-config`
//! and `PUT /apps/{sdkId}/response-config` ([`SandboxResponseConfig`]), and the scripted end
//! user of `POST /agent` ([`SandboxAgentPayload`]).
//!
//! The types are generated from the spec; the shortcuts below them cover the common cases:
//! [`SandboxCheckReport::approve`], [`SandboxCheckReport::reject`],
//! [`SandboxCheckReport::template`], [`SandboxBreakdown::pass`],
//! [`SandboxCheckReports::with_static_liveness`], [`SandboxTaskResult::success`],
//! [`SandboxTaskResult::with_document_field`], ...
//!
//! ```
//! use idv_model::sandbox::*;
//! use idv_model::{BreakdownResult, LivenessType, RecommendationValue};
//!
//! let approve = SandboxReport::new(SandboxRecommendation::new(RecommendationValue::Approve))
//!     .with_breakdown_item(SandboxBreakdown::new("liveness_auth", BreakdownResult::Pass));
//! let config = SandboxResponseConfig::new().with_check_reports(
//!     SandboxCheckReports::new()
//!         .with_liveness([SandboxCheckReport::new(SandboxCheckResult::new().with_report(approve))
//!             .with_liveness_type(LivenessType::Static)])
//!         .with_async_report_delay(5),
//! );
//! let json = serde_json::to_string(&config).unwrap();
//! assert_eq!(
//!     json,
//!     r#"{"check_reports":{"LIVENESS":[{"result":{"report":{"recommendation":{"value":"APPROVE"},"breakdown":[{"sub_check":"liveness_auth","result":"PASS","details":[]}]}},"liveness_type":"STATIC"}],"async_report_delay":5}}"#
//! );
//!
//! // The same with the shortcuts, plus a rejected face comparison and a text extraction.
//! let config = SandboxResponseConfig::new()
//!     .with_check_reports(
//!         SandboxCheckReports::new()
//!             .with_static_liveness(
//!                 SandboxCheckReport::approve().with_breakdown_item(SandboxBreakdown::pass("liveness_auth")),
//!             )
//!             .with_face_comparison(SandboxCheckReport::reject("DIFFERENT_PERSON").with_breakdown_item(
//!                 SandboxBreakdown::fail("ai_face_match")
//!                     .with_detail(SandboxDetail::new("confidence_score", "0.12")),
//!             ))
//!             .with_async_report_delay(5),
//!     )
//!     .with_task_results(SandboxTaskResults::new().with_id_document_text_data_extraction([
//!         SandboxTaskResult::success().with_document_field("full_name", "JANE DOE"),
//!     ]));
//! let json = serde_json::to_value(&config).unwrap();
//! assert_eq!(json["check_reports"]["LIVENESS"][0]["liveness_type"], "STATIC");
//! assert_eq!(json["check_reports"]["FACE_COMPARISON"]["result"]["report"]["recommendation"]["reason"], "DIFFERENT_PERSON");
//! assert_eq!(
//!     json["task_results"]["ID_DOCUMENT_TEXT_DATA_EXTRACTION"][0]["result"]["document_fields"]["full_name"],
//!     "JANE DOE"
//! );
//! ```

pub use crate::generated::sandbox::*;

use serde_json::Value;

use crate::{BreakdownResult, LivenessType, RecommendationValue};

impl SandboxRecommendation {
    /// `APPROVE`.
    pub fn approve() -> Self {
        Self::new(RecommendationValue::Approve)
    }

    /// `REJECT` with a reason, e.g. `DIFFERENT_PERSON`, `TAMPERED`.
    pub fn reject(reason: impl Into<String>) -> Self {
        Self::new(RecommendationValue::Reject).with_reason(reason)
    }

    /// `NOT_AVAILABLE` with a reason, e.g. `FACE_NOT_FOUND`, `PICTURE_TOO_DARK`.
    pub fn not_available(reason: impl Into<String>) -> Self {
        Self::new(RecommendationValue::NotAvailable).with_reason(reason)
    }

    /// `CONSIDER` (watchlist checks) with a reason, e.g. `POTENTIAL_MATCH`.
    pub fn consider(reason: impl Into<String>) -> Self {
        Self::new(RecommendationValue::Consider).with_reason(reason)
    }
}

impl SandboxBreakdown {
    /// A sub-check that passed, e.g. `liveness_auth`.
    pub fn pass(sub_check: impl Into<String>) -> Self {
        Self::new(sub_check, BreakdownResult::Pass)
    }

    /// A sub-check that failed, e.g. `ai_face_match`.
    pub fn fail(sub_check: impl Into<String>) -> Self {
        Self::new(sub_check, BreakdownResult::Fail)
    }
}

impl SandboxCheckResult {
    /// Adds one document field (text-data checks), e.g. `full_name`.
    pub fn with_document_field(mut self, name: impl Into<String>, value: impl Into<Value>) -> Self {
        self.document_fields.insert(name.into(), value.into());
        self
    }
}

impl SandboxCheckReport {
    /// A check reporting this recommendation, with an empty breakdown (add sub-checks with
    /// [`with_breakdown_item`](Self::with_breakdown_item)).
    pub fn recommending(recommendation: impl Into<SandboxRecommendation>) -> Self {
        Self::new(SandboxCheckResult::new().with_report(SandboxReport::new(recommendation)))
    }

    /// A check reporting `APPROVE`.
    pub fn approve() -> Self {
        Self::recommending(SandboxRecommendation::approve())
    }

    /// A check reporting `REJECT` with a reason.
    pub fn reject(reason: impl Into<String>) -> Self {
        Self::recommending(SandboxRecommendation::reject(reason))
    }

    /// A check reporting `NOT_AVAILABLE` with a reason.
    pub fn not_available(reason: impl Into<String>) -> Self {
        Self::recommending(SandboxRecommendation::not_available(reason))
    }

    /// A check reporting `CONSIDER` (watchlist checks) with a reason.
    pub fn consider(reason: impl Into<String>) -> Self {
        Self::recommending(SandboxRecommendation::consider(reason))
    }

    /// A check reporting a named template of the sandbox (`SUCCESS`, `TAMPERED`,
    /// `AUTO_FAIL`, ...) instead of an explicit report.
    pub fn template(name: impl Into<String>) -> Self {
        Self::new(SandboxCheckResult::new().with_report_template(name))
    }

    /// Adds a sub-check to the explicit report (no effect on a [`template`](Self::template)
    /// check, which has none).
    pub fn with_breakdown_item(mut self, breakdown: impl Into<SandboxBreakdown>) -> Self {
        if let Some(report) = &mut self.result.report {
            report.breakdown.push(breakdown.into());
        }
        self
    }

    /// Adds one document field to the result (text-data checks), e.g. `full_name`.
    pub fn with_document_field(mut self, name: impl Into<String>, value: impl Into<Value>) -> Self {
        self.result = self.result.with_document_field(name, value);
        self
    }
}

impl SandboxCheckReports {
    /// Adds a `LIVENESS` report for static liveness (sets its `liveness_type` to `STATIC`).
    pub fn with_static_liveness(mut self, report: impl Into<SandboxCheckReport>) -> Self {
        self.liveness
            .push(report.into().with_liveness_type(LivenessType::Static));
        self
    }

    /// Adds a `LIVENESS` report for Zoom liveness (sets its `liveness_type` to `ZOOM`).
    pub fn with_zoom_liveness(mut self, report: impl Into<SandboxCheckReport>) -> Self {
        self.liveness
            .push(report.into().with_liveness_type(LivenessType::Zoom));
        self
    }
}

impl SandboxTaskResultData {
    /// Adds one extracted field, e.g. `full_name`.
    pub fn with_document_field(mut self, name: impl Into<String>, value: impl Into<Value>) -> Self {
        self.document_fields.insert(name.into(), value.into());
        self
    }
}

impl SandboxTaskResult {
    /// A successful extraction with an explicit, empty result (`{"result": {}}`): the
    /// service's default fields unless some are set with
    /// [`with_document_field`](Self::with_document_field).
    pub fn success() -> Self {
        Self::new().with_result(SandboxTaskResultData::new())
    }

    /// An extraction ending with a named template of the sandbox (`SUCCESS`,
    /// `UNSUPPORTED_DOCUMENT`, `DOCUMENT_IS_EXPIRED`, `UNABLE_TO_OCR`).
    pub fn template(name: impl Into<String>) -> Self {
        Self::new().with_result_template(name)
    }

    /// Adds one extracted field to the explicit result (creating it if unset).
    pub fn with_document_field(mut self, name: impl Into<String>, value: impl Into<Value>) -> Self {
        let result = self.result.take().unwrap_or_default();
        self.result = Some(result.with_document_field(name, value));
        self
    }
}
