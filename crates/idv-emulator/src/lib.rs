//! A local emulator of Yoti's Identity Verification (IDV, "Doc Scan") API.
//!
//! Examples and tests run against it on `127.0.0.1` instead of Yoti's servers. It checks
//! request signatures the way the real service does, keeps sessions in memory, and offers
//! a sandbox `agent` call that plays the end user so a session can complete without the
//! hosted web UI.
//!
//! This first cut covers the selfie (face comparison) flow: sessions, configuration,
//! face-capture resources and uploads, media, and LIVENESS / FACE_COMPARISON checks.
//!
//! # Starting it
//!
//! From Rust (sync code, `#[test]` or `#[tokio::test]`; the server has its own runtime on a
//! background thread):
//!
//! ```no_run
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let pem = std::fs::read_to_string("tests/data/test-key.pub.pem")?;
//! let emulator = idv_emulator::Emulator::builder()
//!     .app("6e7f4c8a-1b2d-4e3f-9a0b-c1d2e3f4a5b6", idv_auth::PublicKey::from_pem(&pem)?)
//!     .start()?;
//! let base_url = emulator.base_url(); // http://127.0.0.1:PORT/idverify/v1
//! // ... point the SDK at base_url ...
//! emulator.shutdown(); // or just drop it
//! # Ok(())
//! # }
//! ```
//!
//! From the command line:
//!
//! ```text
//! idv-emulator --port 8080 --app 6e7f4c8a-1b2d-4e3f-9a0b-c1d2e3f4a5b6=app.pub.pem
//! ```
//!
//! The binary prints the two base URLs and then logs one line per request to stderr
//! (method, path without query string, status, latency); never bodies, queries or tokens.
//!
//! # Endpoints
//!
//! Under the API base `/idverify/v1`, and identically under the sandbox base
//! `/sandbox/idverify/v1` (one shared session store):
//!
//! | method and path | success |
//! |---|---|
//! | `POST /sessions` | 201 `{client_session_token_ttl, client_session_token, session_id}` |
//! | `GET /sessions/{id}` | 200 session result |
//! | `DELETE /sessions/{id}` | 204 (409 `SESSION_LOCKED` while the session is `ONGOING`) |
//! | `GET /sessions/{id}/configuration` | 200 `{client_session_token_ttl, session_id, requested_checks, capture}` |
//! | `POST /sessions/{id}/resources/face-capture` | 201 `{id, frames: 1}` |
//! | `PUT /sessions/{id}/resources/face-capture/{rid}/image` | 204 |
//! | `GET /sessions/{id}/media/{mid}/content` | 200 bytes with the media's `Content-Type`, or 204 |
//! | `DELETE /sessions/{id}/media/{mid}/content` | 204 (409 `SESSION_LOCKED` while `ONGOING`) |
//!
//! Under the sandbox base only: `POST /agent` (see [below](#the-sandbox-agent-call)).
//!
//! # Authentication
//!
//! Every endpoint is signed as the official SDKs sign: the query carries `sdkId`, `nonce`
//! and `timestamp`, and `X-Yoti-Auth-Digest` is the base64 RSASSA-PKCS1-v1_5/SHA-256
//! signature of `METHOD&TARGET` (plus `&base64(body)` when the body is non-empty). TARGET is
//! the request target exactly as received, with the `/idverify/v1` or
//! `/sandbox/idverify/v1` prefix removed; it is not decoded or normalised. The checks run in
//! this order:
//!
//! 1. `sdkId`, `nonce` or `timestamp` missing or empty: **400** `MALFORMED_REQUEST`, with an
//!    `errors[]` entry per parameter (`query.sdkId`, `query.nonce`, `query.timestamp`). Their
//!    format is not checked (the SDKs disagree on nonce format and timestamp units), and
//!    nonces are not checked for replay.
//! 2. `sdkId` not registered: **404** `APPLICATION_NOT_FOUND` (the signature cannot be
//!    checked without the application's key, so this comes before 401).
//! 3. `X-Yoti-Auth-Digest` missing or not base64, or the signature does not verify:
//!    **401** `UNAUTHORIZED`.
//!
//! The `sdkId` parameter name is matched exactly (Go's `sdkID` spelling is not accepted).
//! A session is visible only to the application that created it; to any other it is
//! **404** `SESSION_NOT_FOUND`, exactly like a missing one.
//!
//! # Sessions
//!
//! `POST /sessions` validates the specification and reports every wrong property at once
//! as **400** `PAYLOAD_VALIDATION` with `errors: [{property, message}]`, `property` being a
//! path such as `requested_checks[0].type`:
//!
//! * `client_session_token_ttl`: an integer from 300 to 604800 (default 600).
//!   `session_deadline`: an RFC 3339 date-time with zone, 300 s to one week ahead; not
//!   together with `client_session_token_ttl`.
//! * `resources_ttl`: an integer, at least the session lifetime + 86400.
//! * `requested_checks`, `requested_tasks`, `required_documents`: arrays of objects whose
//!   string `type` is one the API knows. LIVENESS `config.liveness_type` is `STATIC`
//!   (default) or `ZOOM`.
//! * `user_tracking_id` a string, `block_biometric_consent` a boolean. Other properties
//!   (`sdk_config`, `notifications`, ...) are accepted and ignored.
//!
//! The session configuration lists one required resource per need: a `FACE_CAPTURE`
//! requirement (allowed source `RELYING_BUSINESS`) when FACE_COMPARISON is requested, and a
//! `LIVENESS` requirement (`liveness_type` as requested, allowed source `END_USER`) when
//! LIVENESS is. A requirement's `state` is `REQUIRED`, then `COMPLETE` once satisfied.
//! `capture.biometric_consent` is `REQUIRED` while a biometric check is requested and no
//! consent has been given (unless `block_biometric_consent`), else `NOT_REQUIRED`.
//!
//! A session is `ONGOING` until the agent completes it (`COMPLETED`), or `EXPIRED` once its
//! `client_session_token_ttl` runs out; `client_session_token_ttl` in `GET` responses is the
//! remaining time in seconds, 0 when expired. Creating face-capture resources, uploading and
//! the agent need an `ONGOING` session: otherwise **409** `SESSION_EXPIRED` or
//! `SESSION_COMPLETED`.
//!
//! Face-capture uploads are `multipart/form-data` with one part named `binary-content`,
//! carrying a filename and a part `Content-Type` of `image/jpeg`, `image/jpg` or
//! `image/png`; the content must really be that image type (its magic bytes are checked).
//! Media content is served back byte for byte (`image/jpg` is served as `image/jpeg`).
//! `GET .../media/{mid}/content` also takes the id of a face-capture or liveness resource
//! and then answers with its image, or **204** while it has none; deleted media content
//! also gives **204**; unknown ids give **404** `MEDIA_NOT_FOUND`.
//!
//! Bodies over 16 MiB are refused with **413** `PAYLOAD_TOO_LARGE`.
//!
//! # The sandbox agent call
//!
//! Yoti's sandbox completes a session without the UI through `POST /agent` on the sandbox
//! base, signed like every other call. The emulator follows that shape:
//!
//! ```text
//! POST /sandbox/idverify/v1/agent?sdkId=..&nonce=..&timestamp=..
//! {"session_id": "...", "client_session_token": "...",
//!  "resources": {...},                      (optional; accepted, not yet emulated)
//!  "liveness_image": "<base64 JPEG or PNG>"} (optional; emulator extension)
//! ```
//!
//! It answers **204**. Missing or wrong properties give 400 `PAYLOAD_VALIDATION`; a token
//! that is not the session's gives **401** `BAD_TOKEN`; a session of another application
//! **404**; a session that is not `ONGOING` **409**. The agent:
//!
//! 1. adds a liveness resource per LIVENESS requirement (source `END_USER`) with an
//!    `IMAGE` media: `liveness_image` if given, else a built-in 32x32 JPEG. A `STATIC`
//!    resource has it as `image`; a `ZOOM` resource as its one frame, plus a `BINARY`
//!    facemap;
//! 2. marks the liveness requirements `COMPLETE`, and records biometric consent (the
//!    session's `biometric_consent` timestamp) unless `block_biometric_consent` was set;
//! 3. creates one check per requested check, all `DONE`, and moves the session to
//!    `COMPLETED`.
//!
//! # Check outcomes (deterministic)
//!
//! Checks appear only once the agent has completed the session; before that `checks` is
//! empty and the state is `ONGOING`.
//!
//! | check | outcome |
//! |---|---|
//! | `LIVENESS` | `APPROVE`, breakdown `liveness_auth` `PASS`, `resources_used` = the liveness resource. (`NOT_AVAILABLE`, reason `LIVENESS_NOT_CAPTURED`, if there were none.) |
//! | `FACE_COMPARISON` | `APPROVE`, breakdown `ai_face_match` `PASS` with detail `confidence_score` `"0.99"`, when a face-capture resource has an uploaded image and a liveness capture exists; `resources_used` = [face capture, liveness]. Otherwise `NOT_AVAILABLE` with reason `REFERENCE_IMAGE_MISSING` or `LIVENESS_NOT_CAPTURED`. |
//! | any other type | `NOT_AVAILABLE`, reason `NOT_SUPPORTED_BY_EMULATOR` |
//!
//! # Errors
//!
//! Every error is JSON `{"code": ..., "message": ..., "errors"?: [{"property", "message"}]}`.
//! Messages are fixed texts: they never contain tokens, bodies or query strings. Unknown
//! paths give 404 `NOT_FOUND`, a wrong method on a known path (once authenticated) 405
//! `METHOD_NOT_ALLOWED`.
//!
//! # Not emulated yet
//!
//! Identity documents and their checks and tasks, the sandbox `response-config` calls,
//! notifications (webhooks), tracked devices, supported documents, IBV instructions,
//! applicants, and the hosted web UI.

mod auth;
mod error;
mod media;
mod routes;
mod sandbox;
mod server;
mod session;
mod state;
mod util;

pub use server::{Emulator, EmulatorBuilder};
