//! Wire types of Yoti's Identity Verification (IDV) API.
//!
//! No I/O and no HTTP here: only the JSON shapes the API sends and receives, with `serde`.
//!
//! * Requests ([`spec`], [`configuration::CreateFaceCaptureResourcePayload`]) are built with a
//!   constructor and consuming `with_*` setters.
//! * Responses ([`session`], [`configuration`]) ignore unknown fields, accept absent or
//!   `null` optional fields, and decode enum values they don't know into an `Unknown`
//!   variant that keeps the raw value ([`UnknownValue`]).
//! * Secrets ([`ClientSessionToken`]) and media bytes ([`Media`]) never print through `Debug`.

mod de;
mod open_enum;
mod secret;

pub mod configuration;
pub mod media;
pub mod session;
pub mod spec;

pub use configuration::{
    AllowedSource, Capture, CreateFaceCaptureResourcePayload, CreateFaceCaptureResourceResponse,
    RequiredResource, RequiredResourceType, SessionConfiguration, UploadFaceCaptureImagePayload,
};
pub use media::Media;
pub use open_enum::UnknownValue;
pub use secret::ClientSessionToken;
pub use session::{
    Breakdown, BreakdownResult, CheckResponse, CheckState, CheckType, CreateSessionResult, Detail,
    FaceCaptureResource, GeneratedMedia, GetSessionResult, ImageResponse, LivenessResource,
    MediaResponse, Recommendation, RecommendationValue, Report, ResourceContainer, SessionState,
};
pub use spec::{
    LivenessType, ManualCheck, RequestedCheck, RequestedFaceComparisonCheck,
    RequestedLivenessCheck, RequestedTask, SdkConfig, SessionSpecification,
};
