//! # idv — a Rust SDK for Yoti's Identity Verification (IDV) API
//!
//! Create an IDV session, send your user to Yoti's hosted capture page, and read back the
//! checks — from blocking or async code, with the HTTP client of your choice.
//!
//! ```no_run
//! # #[cfg(feature = "ureq")] {
//! use idv::model::*;
//! use idv::{BlockingClient, SelfieAuthVerdict};
//!
//! let client = BlockingClient::builder()
//!     .sdk_id("your-sdk-id")
//!     .key_file("/path/to/key.pem")
//!     .build_blocking()?;
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
//! match SelfieAuthVerdict::evaluate(&session) {
//!     SelfieAuthVerdict::Pass => println!("passed"),
//!     SelfieAuthVerdict::Pending { .. } => println!("not finished yet: ask again later"),
//!     verdict => println!("{verdict}"), // FAIL: the reasons
//! }
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
//! | `reqwest` | yes | [`ClientBuilder::build`]: the async [`Client`] over reqwest |
//! | `ureq` | no | [`ClientBuilder::build_blocking`]: the [`BlockingClient`] over ureq (no tokio) |
//! | `rustls` | yes | TLS through rustls for the enabled transports |
//! | `native-tls` | no | TLS through the platform library for the enabled transports |
//! | `aws-lc-rs` | yes | signing with `aws-lc-rs` (as fast as OpenSSL) |
//! | `rust-crypto` | no | signing with the pure-Rust `rsa` crate (no C compiler needed) |
//! | `tracing` | no | one `tracing` span per API call, without bodies, tokens or ids |
//! | `sandbox` | no | the sandbox API's response configuration on both clients |
//!
//! With `default-features = false`, [`ClientBuilder::build_with_transport`] and
//! [`ClientBuilder::build_blocking_with_transport`] take any transport you implement; enable
//! one signing backend (`rust-crypto` or `aws-lc-rs`) to load keys. A missing backend is
//! reported when the client is built, never at the first request: no signing backend, or an
//! `https` base URL with neither `rustls` nor `native-tls` for a built-in transport, is an
//! [`Error::Config`] naming the feature to enable. Each item that needs a feature says so in
//! its documentation ("Available with the `ureq` feature.").
//!
//! ## Errors
//!
//! Every call returns [`Error`]; its `Display` is one readable line with the details
//! (status, API code and message, property errors; a key's problem; a transport's kind), so
//! `main() -> Result<(), Box<dyn std::error::Error>>` prints something useful, and
//! [`ErrorReport`] adds the underlying causes. Match on it to act:
//!
//! ```no_run
//! # #[cfg(feature = "ureq")]
//! # fn run(client: &idv::BlockingClient) {
//! use idv::{ConfigErrorKind, Error};
//!
//! match client.get_session(&"a-session-id".into()) {
//!     Ok(session) => println!("{:?}", session.state),
//!     Err(e) if e.is_not_found() => println!("no such session"),
//!     Err(Error::Config(e)) if e.kind() == ConfigErrorKind::UnknownSdkId => {
//!         println!("check the SDK id: {e}")
//!     }
//!     Err(e) => println!("{}", idv::ErrorReport(&e)),
//! }
//! # }
//! ```
#![cfg_attr(docsrs, feature(doc_cfg))]
#![cfg_attr(not(test), warn(unused_crate_dependencies))]

pub mod bearer;
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
mod wait;

#[doc(inline)]
pub use blocking::BlockingClient;
pub use client::Client;
pub use config::{
    ClientBuilder, ClientConfig, ENV_API_URL, ENV_API_URL_VARS, ENV_KEY_FILE_PATH, ENV_SDK_ID,
};
pub use media::{MediaReader, MediaStream};
pub use wait::{WaitError, WaitOptions, WaitTimeout};

#[doc(inline)]
pub use idv_auth::{Backend, KeyError, PrivateKey, PublicKey};
#[doc(inline)]
pub use idv_core::notifications;
#[doc(inline)]
pub use idv_core::operations;
/// The sandbox API's operations (`idv-core`). Available with the `sandbox` feature.
#[cfg(feature = "sandbox")]
#[doc(inline)]
pub use idv_core::sandbox;
#[doc(inline)]
pub use idv_core::{
    ApiError, AsyncTransport, BaseUrl, BearerToken, ConfigError, ConfigErrorKind, DecodeError,
    Deleted, EnrolFace, Enrolment, Error, ErrorReport, HostedPageUrl, InvalidInputError, Operation,
    PropertyError, Result, RetryPolicy, SelfieAuthVerdict, SignError, SyncTransport,
    TransportConfig, TransportError, TransportErrorKind,
};

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

/// Request signing: the `idv-auth` crate itself (its items that a client user needs are
/// re-exported at the root of `idv`, which is their documented path).
#[doc(no_inline)]
pub use idv_auth as auth;

/// The sans-IO core: the `idv-core` crate itself, to build your own client or transport on
/// it (its items that a client user needs are re-exported at the root of `idv`, which is
/// their documented path).
#[doc(no_inline)]
pub use idv_core as core;

/// The built-in transports.
pub mod transport {
    /// The blocking transport over ureq. Available with the `ureq` feature.
    #[cfg(feature = "ureq")]
    #[cfg_attr(docsrs, doc(cfg(feature = "ureq")))]
    #[doc(inline)]
    pub use idv_transport_ureq::UreqTransport;

    /// The async transport over reqwest. Available with the `reqwest` feature.
    #[cfg(feature = "reqwest")]
    #[cfg_attr(docsrs, doc(cfg(feature = "reqwest")))]
    #[doc(inline)]
    pub use idv_transport_reqwest::ReqwestTransport;
}

/// The README's Rust examples, compiled as doc tests.
#[cfg(doctest)]
#[doc = include_str!("../../../README.md")]
struct ReadmeDoctests;
