//! Supported documents: the answer to `GET /supported-documents` (optionally with
//! `includeNonLatin=true`), also used by the `ID_DOCUMENT` requirements of a session
//! configuration.

pub use crate::generated::supported_documents::*;

impl SupportedDocumentsResponse {
    /// The documents supported for a country (ISO 3166-1 alpha-3 code), if it is supported.
    pub fn country(&self, code: &str) -> Option<&SupportedCountry> {
        self.supported_countries
            .iter()
            .find(|c| c.code.as_deref() == Some(code))
    }
}
