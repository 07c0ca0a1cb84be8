//! The operations, owned: one enum the host builds, for both the sans-IO calls and the
//! built-in client.
//!
//! `idv-core`'s operations borrow their inputs (`GetSession<'a>`); a foreign host hands over
//! owned values. Rather than a second, owned set of operations in `idv-core`, the binding
//! keeps the owned inputs in [`Operation`] and lends them to `idv-core`'s own operation
//! twice: once for `request()` when the call starts, once for `parse()` when it ends. The
//! untyped `idv_core::Call` in between owns its request, so no borrow spans the call.

use std::sync::Arc;

use http::Method;
use idv_core::operation::{Operation as _, decode_json, expect_empty};
use idv_core::request::{ApiRequest, Body, path_segment};
use idv_core::{CallInfo, operations as op, sandbox, sandbox_config};
use idv_model::sandbox::{SandboxCheckReports, SandboxResponseConfig};
use idv_model::{
    CreateFaceCaptureResourcePayload, MediaId, ResourceId, SessionId, UploadFaceCaptureImagePayload,
};

use crate::error::IdvError;
use crate::types::{
    ClientSessionToken, CreatedSession, FaceCaptureResource, Image, JsonDocument, MediaContent,
    SandboxOutcome, SelfieSessionSpec, Session, SessionConfiguration,
};

/// Every API call the binding makes, with its inputs. The selfie flow's calls end in typed
/// values; the long tail's in a [`JsonDocument`] (see [`CallOutput`]).
#[derive(uniffi::Enum)]
pub enum Operation {
    /// `POST /sessions` with the selfie template ([`SelfieSessionSpec`]) → `CreatedSession`.
    CreateSelfieSession {
        /// The template's settings.
        spec: SelfieSessionSpec,
    },
    /// `POST /sessions` with any session specification, as JSON → `CreatedSession`.
    CreateSession {
        /// The specification (a JSON object).
        spec_json: String,
    },
    /// `GET /sessions/{id}` → `Session`.
    GetSession {
        /// The session id.
        session_id: String,
    },
    /// `DELETE /sessions/{id}` → `Empty`.
    DeleteSession {
        /// The session id.
        session_id: String,
    },
    /// `GET /sessions/{id}/configuration` → `Configuration`.
    GetSessionConfiguration {
        /// The session id.
        session_id: String,
    },
    /// `POST /sessions/{id}/resources/face-capture` → `FaceCaptureResource`.
    CreateFaceCaptureResource {
        /// The session id.
        session_id: String,
        /// The `FACE_CAPTURE` requirement it satisfies.
        requirement_id: String,
    },
    /// `PUT /sessions/{id}/resources/face-capture/{resource_id}/image` → `Empty`.
    UploadFaceCaptureImage {
        /// The session id.
        session_id: String,
        /// The face-capture resource id.
        resource_id: String,
        /// The reference image (JPEG or PNG).
        image: Arc<Image>,
    },
    /// `GET /sessions/{id}/media/{media_id}/content` → `Media` (none on 204).
    GetMediaContent {
        /// The session id.
        session_id: String,
        /// The media id.
        media_id: String,
    },
    /// `DELETE /sessions/{id}/media/{media_id}/content` → `Empty`.
    DeleteMediaContent {
        /// The session id.
        session_id: String,
        /// The media id.
        media_id: String,
    },
    /// `GET /supported-documents` → `Json`.
    GetSupportedDocuments {
        /// Include documents in non-Latin scripts.
        include_non_latin: bool,
    },
    /// `GET /sessions/{id}/tracked-devices` → `Json` (personal data).
    GetTrackedDevices {
        /// The session id.
        session_id: String,
    },
    /// `DELETE /sessions/{id}/tracked-devices` → `Empty`.
    DeleteTrackedDevices {
        /// The session id.
        session_id: String,
    },
    /// `GET /sessions/{id}/instructions` → `Json`.
    GetIbvInstructions {
        /// The session id.
        session_id: String,
    },
    /// `PUT /sessions/{id}/instructions` with the instructions as JSON → `Empty`.
    PutIbvInstructions {
        /// The session id.
        session_id: String,
        /// The instructions (a JSON object).
        instructions_json: String,
    },
    /// `GET /sessions/{id}/instructions/pdf` → `Media` (none on 204).
    GetIbvInstructionsPdf {
        /// The session id.
        session_id: String,
    },
    /// `GET /sessions/{id}/instructions/contact-profile` → `Json` (personal data).
    FetchInstructionsContactProfile {
        /// The session id.
        session_id: String,
    },
    /// `POST /sessions/{id}/instructions/email` → `Empty`.
    TriggerIbvEmailNotification {
        /// The session id.
        session_id: String,
    },
    /// Sandbox: `POST /agent` plays the end user and completes the session → `Empty`.
    SandboxCompleteSessionAsAgent {
        /// The session id.
        session_id: String,
        /// The session's client session token.
        client_session_token: Arc<ClientSessionToken>,
    },
    /// Sandbox: `PUT /sessions/{id}/response-config` with the selfie checks' outcomes →
    /// `Empty`.
    SandboxConfigureSelfie {
        /// The session id.
        session_id: String,
        /// What the static liveness check reports.
        liveness: SandboxOutcome,
        /// What the face-comparison check reports.
        face_comparison: SandboxOutcome,
    },
    /// Sandbox: `PUT /sessions/{id}/response-config` with any response config, as JSON →
    /// `Empty`.
    SandboxConfigureSession {
        /// The session id.
        session_id: String,
        /// The response config (a JSON object).
        config_json: String,
    },
}

/// What a finished call returns.
#[derive(uniffi::Enum)]
pub enum CallOutput {
    /// Nothing (204 and other empty successes).
    Empty,
    /// A new session.
    CreatedSession {
        /// It.
        created: CreatedSession,
    },
    /// A session.
    Session {
        /// It.
        session: Arc<Session>,
    },
    /// A session's configuration.
    Configuration {
        /// It.
        configuration: SessionConfiguration,
    },
    /// A new face-capture resource.
    FaceCaptureResource {
        /// It.
        resource: FaceCaptureResource,
    },
    /// Media content; none when the server answered 204 No Content.
    Media {
        /// It.
        media: Option<Arc<MediaContent>>,
    },
    /// A JSON document of the long tail.
    Json {
        /// It.
        document: Arc<JsonDocument>,
    },
}

/// Which base URL an operation goes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Api {
    Main,
    Sandbox,
}

fn sid(session_id: &str) -> SessionId {
    SessionId::from(session_id.to_owned())
}

/// A JSON object given by the host, as a request body.
fn json_object(field: &'static str, json: &str) -> Result<Body, IdvError> {
    match serde_json::from_str::<serde_json::Value>(json) {
        Ok(serde_json::Value::Object(_)) => Ok(Body::json(json.as_bytes().to_vec())),
        Ok(_) => Err(IdvError::invalid_input(field, "is not a JSON object")),
        Err(e) => Err(IdvError::invalid_input(
            field,
            format!("is not JSON (line {}, column {})", e.line(), e.column()),
        )),
    }
}

/// The body of a JSON document the long tail returns, once the model's decoder accepted it.
fn json_document<T: serde::de::DeserializeOwned>(
    response: http::Response<Vec<u8>>,
) -> Result<CallOutput, IdvError> {
    let body = response.body().clone();
    decode_json::<T>(response)?;
    let text =
        String::from_utf8(body).map_err(|_| IdvError::invalid_input("response", "is not UTF-8"))?;
    Ok(CallOutput::Json {
        document: Arc::new(JsonDocument(text)),
    })
}

fn empty(response: http::Response<Vec<u8>>) -> Result<CallOutput, IdvError> {
    expect_empty(response)?;
    Ok(CallOutput::Empty)
}

fn media(media: Option<idv_model::Media>) -> CallOutput {
    CallOutput::Media {
        media: media.map(|m| Arc::new(MediaContent(m))),
    }
}

/// `(request, info)` of a core operation.
fn described<O: idv_core::Operation>(operation: &O) -> Result<(ApiRequest, CallInfo), IdvError> {
    Ok((operation.request()?, CallInfo::of(operation)))
}

impl Operation {
    /// The base URL it goes to.
    pub(crate) fn api(&self) -> Api {
        match self {
            Operation::SandboxCompleteSessionAsAgent { .. }
            | Operation::SandboxConfigureSelfie { .. }
            | Operation::SandboxConfigureSession { .. } => Api::Sandbox,
            _ => Api::Main,
        }
    }

    fn selfie_config(liveness: &SandboxOutcome, face: &SandboxOutcome) -> SandboxResponseConfig {
        SandboxResponseConfig::new().with_check_reports(
            SandboxCheckReports::new()
                .with_static_liveness(liveness.report())
                .with_face_comparison(face.report()),
        )
    }

    /// The request and what the call is, built by `idv-core`'s operation where there is
    /// one; for inputs given as JSON, the same path and flags by hand.
    pub(crate) fn describe(&self) -> Result<(ApiRequest, CallInfo), IdvError> {
        match self {
            Operation::CreateSelfieSession { spec } => described(&op::CreateSession {
                spec: &spec.to_model(),
            }),
            Operation::CreateSession { spec_json } => Ok((
                ApiRequest::new(Method::POST, "/sessions".to_owned())
                    .with_body(json_object("spec_json", spec_json)?),
                CallInfo::new(op::CreateSession::NAME, op::CreateSession::PATH_TEMPLATE),
            )),
            Operation::GetSession { session_id } => described(&op::GetSession {
                session_id: &sid(session_id),
            }),
            Operation::DeleteSession { session_id } => described(&op::DeleteSession {
                session_id: &sid(session_id),
            }),
            Operation::GetSessionConfiguration { session_id } => {
                described(&op::GetSessionConfiguration {
                    session_id: &sid(session_id),
                })
            }
            Operation::CreateFaceCaptureResource {
                session_id,
                requirement_id,
            } => described(&op::CreateFaceCaptureResource {
                session_id: &sid(session_id),
                payload: &CreateFaceCaptureResourcePayload::new(requirement_id.clone()),
            }),
            Operation::UploadFaceCaptureImage {
                session_id,
                resource_id,
                image,
            } => described(&op::UploadFaceCaptureImage {
                session_id: &sid(session_id),
                resource_id: &ResourceId::from(resource_id.clone()),
                payload: &UploadFaceCaptureImagePayload::new(
                    image.content_type.clone(),
                    image.bytes.clone(),
                ),
            }),
            Operation::GetMediaContent {
                session_id,
                media_id,
            } => described(&op::GetMediaContent {
                session_id: &sid(session_id),
                media_id: &MediaId::from(media_id.clone()),
            }),
            Operation::DeleteMediaContent {
                session_id,
                media_id,
            } => described(&op::DeleteMediaContent {
                session_id: &sid(session_id),
                media_id: &MediaId::from(media_id.clone()),
            }),
            Operation::GetSupportedDocuments { include_non_latin } => {
                described(&op::GetSupportedDocuments {
                    include_non_latin: *include_non_latin,
                })
            }
            Operation::GetTrackedDevices { session_id } => described(&op::GetTrackedDevices {
                session_id: &sid(session_id),
            }),
            Operation::DeleteTrackedDevices { session_id } => {
                described(&op::DeleteTrackedDevices {
                    session_id: &sid(session_id),
                })
            }
            Operation::GetIbvInstructions { session_id } => described(&op::GetIbvInstructions {
                session_id: &sid(session_id),
            }),
            Operation::PutIbvInstructions {
                session_id,
                instructions_json,
            } => {
                let id = path_segment("session_id", session_id)?;
                Ok((
                    ApiRequest::new(Method::PUT, format!("/sessions/{id}/instructions"))
                        .with_body(json_object("instructions_json", instructions_json)?),
                    CallInfo::new(
                        op::PutIbvInstructions::NAME,
                        op::PutIbvInstructions::PATH_TEMPLATE,
                    )
                    .with_idempotent(true),
                ))
            }
            Operation::GetIbvInstructionsPdf { session_id } => {
                described(&op::GetIbvInstructionsPdf {
                    session_id: &sid(session_id),
                })
            }
            Operation::FetchInstructionsContactProfile { session_id } => {
                described(&op::FetchInstructionsContactProfile {
                    session_id: &sid(session_id),
                })
            }
            Operation::TriggerIbvEmailNotification { session_id } => {
                described(&op::TriggerIbvEmailNotification {
                    session_id: &sid(session_id),
                })
            }
            Operation::SandboxCompleteSessionAsAgent {
                session_id,
                client_session_token,
            } => described(&sandbox::CompleteSessionAsAgent {
                session_id: &sid(session_id),
                client_session_token: &client_session_token.0,
                resources: None,
            }),
            Operation::SandboxConfigureSelfie {
                session_id,
                liveness,
                face_comparison,
            } => described(&sandbox_config::ConfigureSessionResponse {
                session_id: &sid(session_id),
                config: &Self::selfie_config(liveness, face_comparison),
            }),
            Operation::SandboxConfigureSession {
                session_id,
                config_json,
            } => {
                let id = path_segment("session_id", session_id)?;
                Ok((
                    ApiRequest::new(Method::PUT, format!("/sessions/{id}/response-config"))
                        .with_body(json_object("config_json", config_json)?),
                    CallInfo::new(
                        sandbox_config::ConfigureSessionResponse::NAME,
                        sandbox_config::ConfigureSessionResponse::PATH_TEMPLATE,
                    )
                    .with_idempotent(true),
                ))
            }
        }
    }

    /// The output of the final response, parsed as `idv-core`'s operation parses it.
    pub(crate) fn parse(&self, response: http::Response<Vec<u8>>) -> Result<CallOutput, IdvError> {
        use idv_model as m;
        Ok(match self {
            Operation::CreateSelfieSession { .. } | Operation::CreateSession { .. } => {
                CallOutput::CreatedSession {
                    created: decode_json::<m::CreateSessionResult>(response)?.into(),
                }
            }
            Operation::GetSession { .. } => {
                let response = idv_core::operation::expect_success(response)?;
                match serde_json::from_slice::<m::GetSessionResult>(response.body()) {
                    Ok(session) => CallOutput::Session {
                        session: Arc::new(Session::new(session, response.into_body())?),
                    },
                    // The model's decoder again, for the SDK's decode error with its path.
                    Err(_) => {
                        decode_json::<m::GetSessionResult>(response)?;
                        return Err(IdvError::invalid_input("response", "is not a session"));
                    }
                }
            }
            Operation::GetSessionConfiguration { .. } => CallOutput::Configuration {
                configuration: decode_json::<m::SessionConfiguration>(response)?.into(),
            },
            Operation::CreateFaceCaptureResource { .. } => {
                let r = decode_json::<m::CreateFaceCaptureResourceResponse>(response)?;
                CallOutput::FaceCaptureResource {
                    resource: FaceCaptureResource {
                        id: r.id.to_string(),
                        frames: r.frames,
                    },
                }
            }
            Operation::GetMediaContent {
                session_id,
                media_id,
            } => media(
                op::GetMediaContent {
                    session_id: &sid(session_id),
                    media_id: &MediaId::from(media_id.clone()),
                }
                .parse(response)?,
            ),
            Operation::GetIbvInstructionsPdf { session_id } => media(
                op::GetIbvInstructionsPdf {
                    session_id: &sid(session_id),
                }
                .parse(response)?,
            ),
            Operation::GetSupportedDocuments { .. } => {
                json_document::<m::SupportedDocumentsResponse>(response)?
            }
            Operation::GetTrackedDevices { .. } => {
                json_document::<Vec<m::TrackedDeviceEvent>>(response)?
            }
            Operation::GetIbvInstructions { .. } => {
                json_document::<m::InstructionsResponse>(response)?
            }
            Operation::FetchInstructionsContactProfile { .. } => {
                json_document::<m::ContactProfileResponse>(response)?
            }
            Operation::DeleteSession { .. }
            | Operation::UploadFaceCaptureImage { .. }
            | Operation::DeleteMediaContent { .. }
            | Operation::DeleteTrackedDevices { .. }
            | Operation::PutIbvInstructions { .. }
            | Operation::TriggerIbvEmailNotification { .. }
            | Operation::SandboxCompleteSessionAsAgent { .. }
            | Operation::SandboxConfigureSelfie { .. }
            | Operation::SandboxConfigureSession { .. } => empty(response)?,
        })
    }
}
