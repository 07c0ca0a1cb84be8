//! A local emulator of Yoti's Identity Verification (IDV, "Doc Scan") API.
//!
//! Examples and tests run against it on `127.0.0.1` instead of Yoti's servers, through the
//! whole lifecycle: sessions, their configuration, face-capture uploads, the hosted capture
//! page, checks and tasks, media, tracked devices, supported documents, IBV instructions,
//! applicants and pools (face search, returning users), notifications, and the sandbox API
//! that scripts outcomes. Requests are authenticated the
//! way the real service does it (signature over the raw target and body, nonce replay,
//! timestamp skew), and errors have the API's shape. Faults can be injected to test clients
//! against a misbehaving server. Facts come from Yoti's public documentation; where it is
//! silent, the choice made here is written down below, and the crate's README carries a
//! fidelity table: for each behaviour, what Yoti documents, what the emulator does, and
//! whether that is documented, a reading of an ambiguous page, or the emulator's own choice.
//!
//! # Starting it
//!
//! From Rust (sync code, `#[test]` or `#[tokio::test]`; the server has its own runtime on a
//! background thread):
//!
//! ```no_run
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! use std::time::Duration;
//! use idv_emulator::{Emulator, Fault};
//!
//! let pem = std::fs::read_to_string("tests/data/test-key.pub.pem")?;
//! let emulator = Emulator::builder()
//!     .app("6e7f4c8a-1b2d-4e3f-9a0b-c1d2e3f4a5b6", idv_auth::PublicKey::from_pem(&pem)?)
//!     .start()?;
//! let base_url = emulator.base_url(); // http://127.0.0.1:PORT/idverify/v1
//! let sandbox_url = emulator.sandbox_base_url(); // sandbox sessions, the agent
//! // ... point the SDK at base_url ...
//! emulator.inject(Fault::status(503).retry_after(1).on("GET", "/sessions/*"));
//! emulator.advance_clock(Duration::from_secs(600)); // sessions age; no waiting
//! println!("{} connections", emulator.connections_accepted());
//! emulator.shutdown(); // or just drop it
//! # Ok(())
//! # }
//! ```
//!
//! From the command line (`idv-emulator --help` for every flag):
//!
//! ```text
//! idv-emulator --port 8080 --app 6e7f4c8a-1b2d-4e3f-9a0b-c1d2e3f4a5b6=app.pub.pem [--admin]
//! ```
//!
//! The binary prints the base URLs and logs one line per request to stderr (method, path
//! without the query string, status, latency); never bodies, queries or tokens. It never
//! reads standard input (unless `--exit-on-stdin-eof`), so `idv-emulator &` runs as a
//! background job; it runs until a signal stops it. `--app` takes public keys only. Its
//! flags are [`cli::Args`] (feature `cli`, on by default), which `idv emulator` shares.
//!
//! # Limits
//!
//! The emulator is a server any local process can reach, so it limits before it allocates:
//! requests are authenticated from their head before their body is read, bodies are capped
//! per route, and connections, requests in flight, time (request head, body, idle
//! connections) and its stores (sessions, nonces, notification records) are bounded. The
//! [`limits`] module lists each limit, its default, and its builder method and flag.
//!
//! # Endpoints
//!
//! Under the API base `/idverify/v1`, and identically under the sandbox base
//! `/sandbox/idverify/v1`, all signed. The two are apart, as Yoti's sandbox and production
//! are: a session is reachable only through the base it was created through (through the
//! other, 404 `SESSION_NOT_FOUND`), so sandbox sessions are created through the sandbox base;
//! an application registered for one base only ([`EmulatorBuilder::app_for`],
//! [`AppEnvironment`]) gets 404 `APPLICATION_NOT_FOUND` at the other.
//!
//! | method and path | success |
//! |---|---|
//! | `POST /sessions` | 201 `{client_session_token_ttl, client_session_token, session_id}` |
//! | `GET /sessions/{id}` | 200 session result |
//! | `DELETE /sessions/{id}` | 204; 409 `SESSION_LOCKED` until the session is `COMPLETED` (an expired session too) |
//! | `GET /sessions/{id}/configuration` | 200 `{client_session_token_ttl, session_id, requested_checks, capture, sdk_config}` |
//! | `POST /sessions/{id}/resources/face-capture` | 201 `{id, frames: 1}` |
//! | `PUT /sessions/{id}/resources/face-capture/{rid}/image` | 204 |
//! | `GET /sessions/{id}/media/{mid}/content` | 200 bytes with the media's `Content-Type`; 204 when the sandbox config withholds it; 404 `MEDIA_NOT_FOUND` for an id naming no media |
//! | `DELETE /sessions/{id}/media/{mid}/content` | 204; 409 while the checks are not finished; afterwards the content is 404 |
//! | `GET`, `DELETE /sessions/{id}/tracked-devices` | 200 array of device events; 204 |
//! | `GET /supported-documents?includeNonLatin=true\|1` | 200 `{supported_countries}` (signed with or without `sdkId`, or unsigned) |
//! | `PUT`, `GET /sessions/{id}/instructions` | 200 (no body); 200 `{contact_profile_exists, documents, branch}` or 404 |
//! | `GET /sessions/{id}/instructions/pdf` | 200 `application/pdf` (a one-page PDF), or 204 without instructions |
//! | `GET /sessions/{id}/instructions/contact-profile` | 200 `{first_name, last_name, email}` or 404 |
//! | `POST /sessions/{id}/instructions/email` | 200; 409 `CONTACT_PROFILE_MISSING` without a contact profile |
//! | `POST /applicants` (`{face?}`) | 201 `{id, created_at, last_updated, faces: {archetype_face, faces: [{id, created_at}]}, pools: [{id, label}]}` |
//! | `POST /applicants/{id}/faces` (`{face}`) | 201 `{id}` |
//! | `GET /applicants/{id}`, also `/applicant/{id}` | 200 the applicant, as above |
//! | `GET /applicants/{id}/faces/{fid}`, also `/applicant/...` | 200 `{face: {data, content_type}}` |
//! | `DELETE /applicants/{id}`, `DELETE /applicants/{id}/faces/{fid}` | 204 |
//! | `POST /pools` (`{label}`) | 201 `{id, label}` |
//! | `POST /pools/{pid}/applicants` (`{applicant_id}`) | 204; 409 `ALREADY_IN_POOL` |
//! | `DELETE /pools/{pid}`, `DELETE /pools/{pid}/applicants/{id}` | 204; 404 `APPLICANT_NOT_IN_POOL` for a non-member |
//! | `PUT /sessions/{id}/resources/face-capture/{rid}/applicant` (`{applicant_id}`) | 200, no body |
//!
//! Under the sandbox base only: `POST /agent`, `PUT /sessions/{id}/response-config`,
//! `PUT /apps/{sdkId}/response-config` (see [below](#the-sandbox-api)). Unsigned: the hosted
//! page and its client API (see [below](#the-hosted-page)), and the [`admin`] API when
//! enabled. Unknown paths give 404 `NOT_FOUND`, a wrong method 405 `METHOD_NOT_ALLOWED`.
//!
//! # Authentication
//!
//! As the official SDKs sign: the query carries `sdkId`, `nonce` and `timestamp`, and
//! `X-Yoti-Auth-Digest` is the base64 RSASSA-PKCS1-v1_5/SHA-256 signature of
//! `METHOD&TARGET` (plus `&base64(body)` when the body is non-empty), TARGET being the
//! request target exactly as received with the base path removed. In order:
//!
//! 1. `sdkId`, `nonce` or `timestamp` missing: 400 `MALFORMED_REQUEST`, one `errors[]` entry
//!    each (`query.sdkId`, ...). The Go SDK's `sdkID` (yoti-go-sdk `requests`, the signed
//!    strategy's query parameters) counts as `sdkId`, unless the emulator's own
//!    [`EmulatorBuilder::strict_query_names`] (`--strict-query-names`) is on.
//! 2. `sdkId` not registered: 404 `APPLICATION_NOT_FOUND`.
//! 3. Digest missing, not base64, or of the wrong length: 401 `UNAUTHORIZED`.
//! 4. `timestamp` not an integer: 400 (`query.timestamp`). By default any integer is
//!    accepted: Yoti documents no window, and the Java SDK sends `System.nanoTime() / 1000`
//!    (yoti-java-sdk `PathFactory.createTimestamp`), which is no epoch time. The emulator's
//!    own stricter check, [`EmulatorBuilder::timestamp_skew`] (`--skew`), reads it as epoch
//!    **seconds** below 10^11 and **milliseconds** otherwise, and refuses one outside the
//!    window with 401 `STALE_TIMESTAMP`.
//! 5. A nonce already used by the same application within the replay window (10 minutes by
//!    default, [`EmulatorBuilder::replay_window`]): 401 `REPLAYED_NONCE`. Only requests that
//!    pass every other check use their nonce up.
//! 6. A declared body over the route's cap: 413 `PAYLOAD_TOO_LARGE`, unread. Only now is the
//!    body read, and the digest verified over it: 401 `UNAUTHORIZED` when it does not match.
//!
//! Bearer tokens ("Central Auth", as the Java and PHP SDKs use it) work on every one of
//! these routes instead of a signature: `Authorization: Bearer <token>`, with no query
//! parameters and no digest. The token must come from the emulator's token endpoint
//! ([`Emulator::token_url`], `POST /v1/oauth/token` by default, [`EmulatorBuilder::token_path`],
//! `--token-path`), which checks the PS384 client assertion (signature with the
//! application's key, `iss` = `sub` = `sdk:<SDK id>`, `aud` = its own URL, `exp` in the future
//! and at most 30 minutes ahead, `jti` of 16 to 128 bytes used once), issues opaque tokens
//! valid for [`EmulatorBuilder::token_lifetime`] (`--token-lifetime`, 5 minutes by default)
//! and refuses a 201st active token of one application with 429 (Yoti's documented cap,
//! [`EmulatorBuilder::max_active_tokens`]). An unknown, expired or revoked
//! ([`Emulator::revoke_tokens`], or `POST /__admin/tokens/revoke` with `--admin`) token is
//! 401 `UNAUTHORIZED` with
//! `WWW-Authenticate: Bearer error="invalid_token"`; Yoti documents neither that answer nor
//! the token endpoint's error format, so both are the emulator's choice (OAuth's
//! `{"error", "error_description"}` for the endpoint). [`Emulator::auth_counts`] counts the
//! calls by how they authenticated, and the request log (`log_requests`) ends each line with
//! `auth=signed`, `auth=bearer`, `auth=assertion` (the token endpoint) or `auth=none`.
//!
//! A session is visible only to the application that created it; to any other it is 404
//! `SESSION_NOT_FOUND`, exactly like a missing one.
//!
//! # Sessions
//!
//! `POST /sessions` validates the specification and reports every wrong property at once as
//! 400 `PAYLOAD_VALIDATION` with `errors: [{property, message}]`, `property` being a path such
//! as `requested_checks[0].config.liveness_type`:
//!
//! * `client_session_token_ttl`: an integer greater than 300 (the docs; no maximum, as the
//!   docs give none); default 600. `session_deadline`: an RFC 3339 date-time with zone, more
//!   than 300 s ahead, and not together with `client_session_token_ttl`.
//! * `resources_ttl`: at least the session's lifetime + 86400; default one week (or the
//!   lifetime + 86400 when longer). It counts from the end of the client session token's
//!   lifetime (the docs disagree on when; see the fidelity table in the README).
//! * Check, task and document types must be ones the API knows; LIVENESS needs
//!   `config.liveness_type` (`STATIC` or `ZOOM`); `manual_check` is `ALWAYS`, `FALLBACK`,
//!   `NEVER` or `IBV`; WATCHLIST_ADVANCED_CA needs `config.type`, and with
//!   `WITH_CUSTOM_ACCOUNT` an `api_key` and a `client_ref`; a document `filter` needs a known
//!   `type`, and `DOCUMENT_RESTRICTIONS` an `inclusion`.
//! * `sdk_config.allowed_capture_methods` is `CAMERA` or `CAMERA_AND_UPLOAD`.
//! * `notifications.endpoint` must be `https://` (the docs), or, only with
//!   [`EmulatorBuilder::allow_plain_http_notifications`], `http://` to a loopback host
//!   (`127.0.0.0/8`, `[::1]`, `localhost`: the emulator's opt-in, so local receivers work);
//!   `topics` are known topics in upper or lower case; `auth_type` is `BASIC` or `BEARER`.
//!
//! The configuration's `required_resources` follow from the specification: `FACE_CAPTURE`
//! (source `RELYING_BUSINESS`) for FACE_COMPARISON, `LIVENESS` (its `liveness_type`), one
//! `ID_DOCUMENT` or `SUPPLEMENTARY_DOCUMENT` per required document, and an `ID_DOCUMENT` when
//! a document check or the text extraction task needs one and none is required. An
//! ID_DOCUMENT lists its `supported_countries` (the emulator's catalogue, narrowed by the
//! filter), `requested_tasks`, `allowed_capture_methods` and `attempts_remaining` (3 each
//! unless `sdk_config.attempts_configuration` says otherwise). `biometric_consent` is
//! `REQUIRED` while a biometric check is requested and consent was not given (unless
//! `block_biometric_consent`).
//!
//! Lifecycle (see also the [`clock`] module): `ONGOING` until the end user's part is done
//! (the agent, or the hosted page's last step); then the client session token is deleted,
//! the checks and tasks are `PENDING` for `async_report_delay` seconds (0 by default), and
//! then `DONE` with the session `COMPLETED`. A session whose capture did not complete by its
//! deadline is `EXPIRED` (`client_session_token_ttl` 0); writes to it are 409
//! `SESSION_EXPIRED`, writes after the capture 409 `SESSION_COMPLETED`. After
//! `resources_ttl` the session and its media are gone: 404.
//!
//! Face-capture uploads are `multipart/form-data` with one part `binary-content` carrying a
//! filename and a part `Content-Type` of `image/jpeg`, `image/jpg` or `image/png`; the bytes
//! must really be that type (magic bytes), non-empty, and at most 10 MiB (413
//! `PAYLOAD_TOO_LARGE` naming `binary-content`; the docs give no limit). A request body over
//! its route's cap (1 MiB for JSON, 10 MiB and its multipart headers for an image) is refused
//! with 413 before it is read; see [`limits`].
//!
//! # Check and task outcomes
//!
//! Deterministic defaults, once the end user's part is done:
//!
//! | check / task | default outcome |
//! |---|---|
//! | `LIVENESS` | one per liveness capture: APPROVE; STATIC breakdown `liveness_auth`, `face_processing`, `payload_signature_verification` PASS; ZOOM `liveness_auth` |
//! | `FACE_COMPARISON` | with an uploaded reference image and a liveness capture: APPROVE, `ai_face_match` PASS with `confidence_score` `"0.99"`; with an attached applicant, the same when the liveness image matches one of its faces ([same person](#applicants-pools-and-face-search)), else REJECT, `ai_face_match` FAIL `"0.01"`; NOT_AVAILABLE `REFERENCE_IMAGE_MISSING` (no reference, or the applicant or all its faces deleted since) / `LIVENESS_NOT_CAPTURED` |
//! | `FAMILIAR_FACE_SEARCH` | `config` echoed with the pool's `pool_label`; one breakdown item, `process` `AUTOMATED`: see [below](#applicants-pools-and-face-search); NOT_AVAILABLE `POOL_NOT_FOUND` when the pool was deleted since |
//! | `ID_DOCUMENT_AUTHENTICITY` | one per ID document: APPROVE, seven sub-checks PASS (`data_in_correct_position` ... `real_document`) |
//! | `ID_DOCUMENT_FACE_MATCH` | APPROVE, `ai_face_match` PASS `confidence_score` `"0.91"` (document + liveness); NOT_AVAILABLE `FACE_NOT_FOUND` without liveness |
//! | `ID_DOCUMENT_COMPARISON` | APPROVE, `document_match` PASS |
//! | `ID_DOCUMENT_TEXT_DATA_EXTRACTION` | task DONE on each ID document: `document_fields` media (fictitious JSON: `JANE EMULATOR DOE`, `EMU000001`, ...), and a generated `ID_DOCUMENT_TEXT_DATA_CHECK`: APPROVE, `text_data_readable` PASS |
//! | `SUPPLEMENTARY_DOCUMENT_TEXT_DATA_EXTRACTION` | the same for supplementary documents (`SUPPLEMENTARY_DOCUMENT_TEXT_DATA_CHECK`) |
//! | `THIRD_PARTY_IDENTITY` | APPROVE, `third_party_identity_match` PASS, a `generated_profile` JSON media |
//! | `THIRD_PARTY_IDENTITY_FRAUD_1`, `SYNECTICS_IDENTITY_FRAUD` | APPROVE, `fraud_list_check` PASS, a `generated_profile` |
//! | `WATCHLIST_SCREENING` | APPROVE, one PASS sub-check per category (`adverse_media`, `sanctions`), `watchlist_summary {total_hits: 0, raw_results, associated_country_codes: [], search_config: {categories}}`, a `generated_profile` |
//! | `WATCHLIST_ADVANCED_CA` | the same, sub-checks from `sources.types` (default `pep`, `sanction`), `search_config` = the requested config without `api_key` |
//! | other types | NOT_AVAILABLE `NOT_SUPPORTED_BY_EMULATOR` |
//!
//! Checks without what they need (no document, no liveness) are NOT_AVAILABLE
//! (`DOCUMENT_NOT_CAPTURED`, `LIVENESS_NOT_CAPTURED`).
//!
//! # Applicants, pools and face search
//!
//! Yoti's Face Search and applicant face authentication (no official SDK has them). An
//! application's applicants and pools are its own, and apart per base as sessions are: an
//! id of another application or base is 404 (`APPLICANT_NOT_FOUND`, `FACE_NOT_FOUND`,
//! `POOL_NOT_FOUND`), like an unknown one. The endpoints are in the table above.
//!
//! * A face is `{data}`, the standard base64 of a JPEG or PNG (at most 10 MiB, checked by
//!   the text's length before decoding; 413 naming `face.data` over it; 400 naming
//!   `face.data` for anything not base64 or not a JPEG or PNG by its magic bytes, a `data:`
//!   URI prefix included), or `{source: {session_id, media_id}}`, an image media of a session
//!   of the same application and base (404 `SESSION_NOT_FOUND` / `MEDIA_NOT_FOUND`). `POST
//!   /applicants` takes either (the docs show only `data` there), or no face at all.
//! * The applicant's `archetype_face` is its oldest face. Deleting an applicant deletes its
//!   faces and takes it out of every pool; deleting a pool leaves its applicants.
//! * `PUT .../face-capture/{rid}/applicant`: 404 `RESOURCE_NOT_FOUND` for an unknown
//!   resource, then 409 `SESSION_EXPIRED` / `SESSION_COMPLETED` as for an upload, then 404
//!   `APPLICANT_NOT_FOUND`, or 422 `APPLICANT_HAS_NO_FACE` (the documented 422 "media not
//!   processable"). The applicant's faces become the resource's reference (read when the
//!   checks run, so a face deleted meanwhile no longer counts); the latest reference wins
//!   (an upload after it replaces the applicant, and the reverse). The applicant's faces do
//!   not appear among the session's media.
//! * `FAMILIAR_FACE_SEARCH` needs `config.pool_id` (a pool of this application and base:
//!   else 400 naming `requested_checks[i].config.pool_id`) and `config.approval_criteria`
//!   (`MATCH` or `NO_MATCH`), and a LIVENESS check in the session (as FACE_COMPARISON).
//!
//! **Same person.** The live face is the image of the session's latest liveness capture: the
//! sandbox agent's `liveness_image`, or its built-in JPEG, or the hosted page's selfie. It
//! matches a stored face when the image **bytes are equal**; nothing else matches. So a face
//! enrolled from a session's liveness media, or the same image sent again, matches; any
//! other image does not. A sandbox response config entry for `FACE_COMPARISON` or
//! `FAMILIAR_FACE_SEARCH` replaces the computed report, as for every check. An uploaded
//! reference image (no applicant) keeps the default above: APPROVE.
//!
//! | `approval_criteria` | match | report |
//! |---|---|---|
//! | `MATCH` | yes | APPROVE; `face_found_in_pool` PASS, details `matching_pool` and one `matching_applicant` per matching member (pool order) |
//! | `MATCH` | no | REJECT `NO_MATCH_FOUND`; `face_found_in_pool` FAIL, no details |
//! | `NO_MATCH` | yes | REJECT `MATCH_FOUND`; `face_not_found_in_pool` FAIL, the same details |
//! | `NO_MATCH` | no | APPROVE; `face_not_found_in_pool` PASS, no details |
//!
//! The stores never forget: past their limits (see [`limits`]) a call is 409
//! `LIMIT_REACHED`.
//!
//! # The sandbox API
//!
//! `PUT /sessions/{id}/response-config` (before the capture completes; else 409) and
//! `PUT /apps/{sdkId}/response-config` (only by that application) take
//! `{check_reports: {TYPE: [entry...] | entry, async_report_delay}, task_results: {TYPE: [entry...]}}`
//! (`WATCHLIST_ADVANCED_CA` takes the list only, as the sandbox packages send it; its
//! entries may carry `sources_filter` `{type: TYPE_LIST, types}` or `{type: PROFILE,
//! search_profile}`, and apply to the check whose requested `sources` match)
//! and answer 200 with no body. A session's config wins over its application's. A check entry
//! is `{result: {report: {recommendation: {value, reason?, recovery_suggestion?}, breakdown: [...]}}}`
//! (passed through; `watchlist_summary` too) or `{result: {report_template: "SUCCESS" | "TAMPERED" | ...}}`
//! (SUCCESS keeps the default; `PHOTO_TOO_BLURRY`, `GLARE_OBSTRUCTION`, `PHOTO_OVEREXPOSED`,
//! `PHOTO_TOO_DARK` give NOT_AVAILABLE; any other gives REJECT with that reason), optionally
//! with `document_filter {document_types, country_codes}`, for ID_DOCUMENT_COMPARISON
//! `secondary_document_filter` (the other ID document must match it) and, for LIVENESS,
//! `liveness_type`;
//! the first matching entry applies; text-data checks may carry `result.document_fields`. A
//! task entry is `{result: {document_fields, document_id_photo {content_type, data}, detected_country, detected_document_type, recommendation}}`
//! or `{result_template}`, optionally with `response_delay` (seconds: the task and its
//! generated check are `DONE` that much later, and the session waits for them). A detected
//! country or document type replaces the one the user presented: the resource shows it and
//! the default fields and the generated check's filters use it. Entry *i* is the task's attempt *i*: the task fails (FAILED, no
//! generated check) only when each of its attempts
//! (`sdk_config.attempts_configuration.ID_DOCUMENT_TEXT_DATA_EXTRACTION.GENERIC`, 3 by
//! default) has a failing entry (anything but SUCCESS); past the list an attempt succeeds.
//! LIVENESS entry *i* is liveness attempt *i*: the agent makes one attempt per entry (at most
//! `1 + max_retries`), and an entry's `response_delay` (seconds) makes its check `DONE` that
//! much later. The emulator's extensions: a check entry's `check_state` (`CREATED`, `READY`
//! or `INTERNAL_ERROR`) keeps the check in that state without a report (`INTERNAL_ERROR` is
//! final, the others hold the session `ONGOING`), and a top-level `withheld_media` (`IMAGE`,
//! `JSON`, `BINARY`) answers the content of such media 204, the documented "withheld" case.
//! Without any response config, every check and task gets the defaults above.
//!
//! `POST /agent` with `{session_id, client_session_token, resources?: {id_documents: [{issuing_country, document_type, capture_method}], supplementary_documents: [{issuing_country, document_type}]}, liveness_image?}`
//! plays the end user and answers 204: a liveness capture per LIVENESS requirement (the
//! emulator's extension `liveness_image`, base64 JPEG or PNG, or a built-in JPEG), one
//! document resource (page + media) per document requirement from `resources`, in order (when
//! none is named, the first document the requirement accepts: GBR PASSPORT unfiltered),
//! consent, then the capture completes. A document the requirement does not accept is 400
//! naming `resources.id_documents[i]`, and nothing is captured. A wrong token is 401
//! `BAD_TOKEN`.
//!
//! # The hosted page
//!
//! `GET /idverify/v1/web/index.html?sessionID=..&sessionToken=..` (and under the sandbox
//! base) is a small HTML page with no external assets: consent where required, a selfie (file
//! chooser, and the camera where the browser allows it), a document photo per document
//! requirement, then a redirect to `success_url` (or a "thank you" screen and a `SUCCESS`
//! postMessage without one); on failure a redirect to `error_url?yotiErrorCode=CODE` (or an
//! error screen and an `ERROR` postMessage). A wrong or used-up token, an unknown or expired
//! session get an error page (codes 2000, 2001, 2002) and no session data. The page talks to
//! the client API documented in the `routes::client` module: `X-Yoti-Auth-Token` carries the
//! client session token. Loading it records a `CONFIG_FIRST_LOADED` tracked-device event;
//! resources created record `RESOURCE_CREATED`; the token's deletion
//! `CLIENT_SESSION_TOKEN_DELETED`.
//!
//! # Notifications
//!
//! With `notifications` in the specification, the subscribed topics are POSTed as the docs
//! describe: `{session_id, topic}` plus `resource_id` (resource update: a liveness, document
//! or face-capture resource created, a reference image uploaded), `task_id` (task completion)
//! or `check_id` (check completion); session completion once every check and task is done;
//! client session token deleted at the end of the capture or at expiry; `new_pdf_supplied`
//! and `instructions_email_requested` for IBV. The delivery and retry policy is in the
//! [`notify`] module.
//!
//! # Fault injection
//!
//! [`Emulator::inject`] with a [`Fault`], or the [`admin`] API (`--admin`): see [`Fault`] and
//! [`FaultAction`].
//!
//! # Errors
//!
//! Every error is JSON `{"code": ..., "message": ..., "errors"?: [{"property", "message"}]}`.
//! Messages are fixed texts: they never contain tokens, bodies or query strings.
//!
//! # Not emulated
//!
//! Share codes, identity profiles, import tokens, the `postMessage` launch
//! handshake (`INIT_SESSION`), and handoff to mobile.
#![cfg_attr(not(test), warn(unused_crate_dependencies))]

pub mod admin;
mod applicants;
mod apps;
mod auth;
#[cfg(feature = "cli")]
pub mod cli;
pub mod clock;
mod conn;
mod documents;
mod drain;
mod error;
mod fault;
mod ibv;
mod inject;
pub mod limits;
mod media;
pub mod notify;
mod paths;
mod routes;
mod sandbox;
mod server;
mod session;
mod state;
mod tokens;
mod urls;
mod util;

pub use clock::{Clock, ManualClock, SystemClock};
pub use fault::{Fault, FaultAction};
pub use notify::NotificationRecord;
pub use sandbox::AppEnvironment;
pub use server::{Emulator, EmulatorBuilder};
pub use tokens::{
    AuthCounts, DEFAULT_MAX_ACTIVE_TOKENS, DEFAULT_TOKEN_LIFETIME, DEFAULT_TOKEN_PATH,
};
