//! In-Branch Verification (IBV) instructions: the body of `PUT /sessions/{id}/instructions`
//! ([`Instructions`]), the answer of `GET /sessions/{id}/instructions`
//! ([`InstructionsResponse`]) and of `GET /sessions/{id}/instructions/contact-profile`
//! ([`ContactProfileResponse`]).
//!
//! Contact profiles hold personal data: their `Debug` prints `<redacted>` for names and
//! e-mail addresses.
//!
//! ```
//! use idv_model::instructions::*;
//!
//! let instructions = Instructions::new()
//!     .with_contact_profile(
//!         ContactProfile::new()
//!             .with_first_name("Jane")
//!             .with_last_name("Doe")
//!             .with_email("jane@example.com"),
//!     )
//!     .with_document(DocumentProposal::new(
//!         "requirement-1",
//!         SelectedIdDocument::new("GBR", "PASSPORT"),
//!     ))
//!     .with_branch(UkPostOfficeBranch::new().with_fad_code("1234567"));
//! let json = serde_json::to_string(&instructions).unwrap();
//! assert!(json.contains(r#""document":{"type":"ID_DOCUMENT","country_code":"GBR""#));
//! assert!(!format!("{instructions:?}").contains("Jane"));
//! ```

pub use crate::generated::instructions::*;
