//! # idv — a Rust SDK for Yoti's Identity Verification (IDV) API
//!
//! Create an IDV session, send your user to Yoti's hosted capture page, and read back the
//! checks — from blocking or async code, with the HTTP client of your choice.
//!
//! ```no_run
//! # #[cfg(feature = "ureq")] {
//! use idv::model::*;
//! use idv::{BlockingClient, ClientConfig, PrivateKey, SelfieAuthVerdict};
//!
//! let key = PrivateKey::from_pem_file("/path/to/key.pem")?;
//! let client = BlockingClient::with_ureq(ClientConfig::new("your-sdk-id", key)?);
//!
//! // 1. a session with static liveness and face comparison
//! let created = client.create_session(
//!     &SessionSpecification::new()
//!         .with_client_session_token_ttl(600)
//!         .with_resources_ttl(90_000)
//!         .with_requested_check(RequestedLivenessCheck::static_liveness().with_max_retries(3))
//!         .with_requested_check(RequestedFaceComparisonCheck::new().with_manual_check_never())
//!         .with_sdk_config(SdkConfig::new().with_success_url("https://example.com/ok")),
//! )?;
//! // 2. the reference image
//! let config = client.get_session_configuration(&created.session_id)?;
//! if let Some(requirement) = config.face_capture_requirements().next() {
//!     let resource = client.create_face_capture_resource(
//!         &created.session_id,
//!         &CreateFaceCaptureResourcePayload::new(requirement.id.clone()),
//!     )?;
//!     let jpeg = std::fs::read("reference.jpg")?;
//!     client.upload_face_capture_image(
//!         &created.session_id,
//!         &resource.id,
//!         &UploadFaceCaptureImagePayload::jpeg(jpeg),
//!     )?;
//! }
//! // 3. the page the user opens
//! let url = client.hosted_page_url(&created.session_id, &created.client_session_token)?;
//! // ... later: 4. the result, 5. the decision
//! let session = client.get_session(&created.session_id)?;
//! println!("{}", SelfieAuthVerdict::evaluate(&session));
//! # let _ = url;
//! # }
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! ## Layers
//!
//! `idv` re-exports a workspace of small crates:
//!
//! * [`model`] (`idv-model`): the JSON wire types;
//! * `idv-auth`: key loading and request signing ([`PrivateKey`]);
//! * `idv-core`: one sans-IO [`Operation`] per endpoint, the [`Error`] type, the transport
//!   traits [`SyncTransport`] and [`AsyncTransport`];
//! * `idv-transport-ureq` and `idv-transport-reqwest`: the transports.
//!
//! [`Client`] and [`BlockingClient`] are concrete types over a `dyn` transport, so they are
//! easy to store in application state; the one virtual call per request costs nothing next to
//! an RSA signature.
//!
//! ## Features
//!
//! | feature | default | what it enables |
//! |---|---|---|
//! | `reqwest` | yes | [`Client::with_reqwest`]: the async client over reqwest |
//! | `ureq` | no | [`BlockingClient::with_ureq`]: the blocking client over ureq (no tokio) |
//! | `rustls` | yes | TLS through rustls for the enabled transports |
//! | `native-tls` | no | TLS through the platform library for the enabled transports |
//! | `aws-lc-rs` | yes | signing with `aws-lc-rs` (as fast as OpenSSL) |
//! | `rust-crypto` | no | signing with the pure-Rust `rsa` crate (no C compiler needed) |
//! | `tracing` | no | one `tracing` span per API call, without bodies, tokens or ids |
//! | `sandbox` | no | the sandbox API's response configuration on both clients |
//!
//! With `default-features = false`, [`Client::with_transport`] and
//! [`BlockingClient::with_transport`] take any transport you implement; enable one signing
//! backend (`rust-crypto` or `aws-lc-rs`) to load keys.
#![cfg_attr(docsrs, feature(doc_cfg))]

mod blocking;
mod client;
mod config;
mod engine;
mod media;
mod methods;
#[cfg(feature = "sandbox")]
#[cfg_attr(docsrs, doc(cfg(feature = "sandbox")))]
#[path = "sandbox.rs"]
mod sandbox_methods;
mod telemetry;
mod wait;

pub use blocking::BlockingClient;
pub use client::Client;
pub use config::{ClientConfig, ConfigError, ENV_API_URL, ENV_KEY_FILE_PATH, ENV_SDK_ID};
pub use media::{MediaReader, MediaStream};
pub use wait::{WaitError, WaitOptions, WaitTimeout};

pub use idv_auth::{Backend, KeyError, PrivateKey, PublicKey};
pub use idv_core::notifications;
pub use idv_core::{
    ApiError, AsyncTransport, BaseUrl, DecodeError, Error, ErrorReport, HostedPageUrl,
    InvalidInputError, Operation, PropertyError, Result, RetryPolicy, SelfieAuthVerdict,
    SyncTransport, TransportConfig, TransportError, TransportErrorKind,
};
pub use idv_core::{operations, sandbox};

/// The wire types (`idv-model`).
///
/// Ids are typed ([`model::SessionId`], [`model::MediaId`], [`model::ResourceId`]...): what
/// one call returns goes into the next as it is, with no conversion,
///
/// ```
/// use idv::model::*;
///
/// fn first_media(
///     client: &idv::BlockingClient,
///     created: &CreateSessionResult,
/// ) -> idv::Result<Option<Media>> {
///     let session = client.get_session(&created.session_id)?;
///     match session.checks.iter().flat_map(|c| c.generated_media()).next() {
///         Some(media) => client.get_media_content(&created.session_id, &media.id),
///         None => Ok(None),
///     }
/// }
/// ```
///
/// and an id of one kind is not accepted where another is expected: the same code with the
/// two ids swapped does not compile.
///
/// ```compile_fail,E0308
/// use idv::model::*;
///
/// fn first_media(
///     client: &idv::BlockingClient,
///     created: &CreateSessionResult,
/// ) -> idv::Result<Option<Media>> {
///     let session = client.get_session(&created.session_id)?;
///     match session.checks.iter().flat_map(|c| c.generated_media()).next() {
///         Some(media) => client.get_media_content(&media.id, &created.session_id),
///         None => Ok(None),
///     }
/// }
/// ```
pub mod model {
    pub use idv_model::*;
}

/// Request signing (`idv-auth`).
pub mod auth {
    pub use idv_auth::*;
}

/// The sans-IO core (`idv-core`): build your own client or transport on it.
pub mod core {
    pub use idv_core::*;
}

/// The built-in transports.
pub mod transport {
    #[cfg(feature = "ureq")]
    #[cfg_attr(docsrs, doc(cfg(feature = "ureq")))]
    pub use idv_transport_ureq::UreqTransport;

    #[cfg(feature = "reqwest")]
    #[cfg_attr(docsrs, doc(cfg(feature = "reqwest")))]
    pub use idv_transport_reqwest::ReqwestTransport;
}

/// The README's Rust examples, compiled as doc tests.
#[cfg(doctest)]
#[doc = include_str!("../../../README.md")]
struct ReadmeDoctests;
