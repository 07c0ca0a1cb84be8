//! The API methods, written once for both clients.
//!
//! `api_methods!` expands to the same methods on [`crate::Client`] (async, `.await`ed) and
//! [`crate::BlockingClient`]; each is one line over an operation of `idv_core::operations`.

macro_rules! api_methods {
    ($($async:ident)? ; $($await:tt)*) => {
        /// Creates a session (`POST /sessions`).
        ///
        /// Never retried once the request may have reached the server: a second request
        /// would create a second, billable session.
        ///
        /// # Errors
        ///
        /// [`Error::Api`](crate::Error::Api) when the service refuses the call (for example 404
        /// for an unknown session), [`Error::Config`](crate::Error::Config) when its answer
        /// says the client is misconfigured (unknown SDK id, wrong base URL),
        /// [`Error::InvalidInput`](crate::Error::InvalidInput) for an empty or dot-segment id,
        /// [`Error::Transport`](crate::Error::Transport) when the exchange fails,
        /// [`Error::Decode`](crate::Error::Decode) when the answer cannot be read.
        pub $($async)? fn create_session(
            &self,
            spec: &$crate::model::SessionSpecification,
        ) -> $crate::Result<$crate::model::CreateSessionResult> {
            self.execute($crate::operations::CreateSession { spec }) $($await)*
        }

        /// Gets a session: its state, checks and resources (`GET /sessions/{id}`).
        ///
        /// # Errors
        ///
        /// [`Error::Api`](crate::Error::Api) when the service refuses the call (for example 404
        /// for an unknown session), [`Error::Config`](crate::Error::Config) when its answer
        /// says the client is misconfigured (unknown SDK id, wrong base URL),
        /// [`Error::InvalidInput`](crate::Error::InvalidInput) for an empty or dot-segment id,
        /// [`Error::Transport`](crate::Error::Transport) when the exchange fails,
        /// [`Error::Decode`](crate::Error::Decode) when the answer cannot be read.
        pub $($async)? fn get_session(
            &self,
            session_id: &$crate::model::SessionId,
        ) -> $crate::Result<$crate::model::GetSessionResult> {
            self.execute($crate::operations::GetSession { session_id }) $($await)*
        }

        /// Deletes a session and all its media (`DELETE /sessions/{id}`).
        ///
        /// # Errors
        ///
        /// [`Error::Api`](crate::Error::Api) when the service refuses the call (for example 404
        /// for an unknown session), [`Error::Config`](crate::Error::Config) when its answer
        /// says the client is misconfigured (unknown SDK id, wrong base URL),
        /// [`Error::InvalidInput`](crate::Error::InvalidInput) for an empty or dot-segment id,
        /// [`Error::Transport`](crate::Error::Transport) when the exchange fails,
        /// [`Error::Decode`](crate::Error::Decode) when the answer cannot be read.
        pub $($async)? fn delete_session(&self, session_id: &$crate::model::SessionId) -> $crate::Result<()> {
            self.execute($crate::operations::DeleteSession { session_id }) $($await)*
        }

        /// Gets a session's configuration: its checks and the resources still to capture
        /// (`GET /sessions/{id}/configuration`).
        ///
        /// # Errors
        ///
        /// [`Error::Api`](crate::Error::Api) when the service refuses the call (for example 404
        /// for an unknown session), [`Error::Config`](crate::Error::Config) when its answer
        /// says the client is misconfigured (unknown SDK id, wrong base URL),
        /// [`Error::InvalidInput`](crate::Error::InvalidInput) for an empty or dot-segment id,
        /// [`Error::Transport`](crate::Error::Transport) when the exchange fails,
        /// [`Error::Decode`](crate::Error::Decode) when the answer cannot be read.
        pub $($async)? fn get_session_configuration(
            &self,
            session_id: &$crate::model::SessionId,
        ) -> $crate::Result<$crate::model::SessionConfiguration> {
            self.execute($crate::operations::GetSessionConfiguration { session_id }) $($await)*
        }

        /// Creates a face-capture resource for a requirement of the session configuration
        /// (`POST /sessions/{id}/resources/face-capture`).
        ///
        /// # Errors
        ///
        /// [`Error::Api`](crate::Error::Api) when the service refuses the call (for example 404
        /// for an unknown session), [`Error::Config`](crate::Error::Config) when its answer
        /// says the client is misconfigured (unknown SDK id, wrong base URL),
        /// [`Error::InvalidInput`](crate::Error::InvalidInput) for an empty or dot-segment id,
        /// [`Error::Transport`](crate::Error::Transport) when the exchange fails,
        /// [`Error::Decode`](crate::Error::Decode) when the answer cannot be read.
        pub $($async)? fn create_face_capture_resource(
            &self,
            session_id: &$crate::model::SessionId,
            payload: &$crate::model::CreateFaceCaptureResourcePayload,
        ) -> $crate::Result<$crate::model::CreateFaceCaptureResourceResponse> {
            self.execute($crate::operations::CreateFaceCaptureResource { session_id, payload })
                $($await)*
        }

        /// Uploads the reference image of a face-capture resource, as `multipart/form-data`
        /// (`PUT /sessions/{id}/resources/face-capture/{resource_id}/image`).
        ///
        /// # Errors
        ///
        /// [`Error::Api`](crate::Error::Api) when the service refuses the call (for example 404
        /// for an unknown session), [`Error::Config`](crate::Error::Config) when its answer
        /// says the client is misconfigured (unknown SDK id, wrong base URL),
        /// [`Error::InvalidInput`](crate::Error::InvalidInput) for an empty or dot-segment id,
        /// [`Error::Transport`](crate::Error::Transport) when the exchange fails,
        /// [`Error::Decode`](crate::Error::Decode) when the answer cannot be read.
        pub $($async)? fn upload_face_capture_image(
            &self,
            session_id: &$crate::model::SessionId,
            resource_id: &$crate::model::ResourceId,
            payload: &$crate::model::UploadFaceCaptureImagePayload,
        ) -> $crate::Result<()> {
            self.execute($crate::operations::UploadFaceCaptureImage {
                session_id,
                resource_id,
                payload,
            }) $($await)*
        }

        /// Adds the reference image of a face comparison in one call, as Go's
        /// `AddFaceCaptureResourceToSession` does: reads the session configuration
        /// (`GET /sessions/{id}/configuration`), takes its first `FACE_CAPTURE` requirement,
        /// creates a face-capture resource for it and uploads `image` to it. Returns the new
        /// resource's id.
        ///
        /// Not retried as a whole: if the upload fails, the resource exists without an image
        /// (upload again with [`upload_face_capture_image`](Self::upload_face_capture_image)).
        ///
        /// # Errors
        ///
        /// [`Error::InvalidInput`](crate::Error::InvalidInput) (field `session_id`) when the
        /// session's configuration has no `FACE_CAPTURE` requirement (the session did not
        /// request a `FACE_COMPARISON` check, or its face capture is done); nothing is created
        /// then. Otherwise the errors of the three calls:
        /// [`Error::Api`](crate::Error::Api) when the service refuses one (for example 404 for
        /// an unknown session), [`Error::Config`](crate::Error::Config) when its answer says
        /// the client is misconfigured, [`Error::InvalidInput`](crate::Error::InvalidInput) for
        /// an empty or dot-segment id, [`Error::Transport`](crate::Error::Transport) when an
        /// exchange fails, [`Error::Decode`](crate::Error::Decode) when an answer cannot be
        /// read.
        pub $($async)? fn add_face_capture_resource(
            &self,
            session_id: &$crate::model::SessionId,
            image: &$crate::model::UploadFaceCaptureImagePayload,
        ) -> $crate::Result<$crate::model::ResourceId> {
            let configuration = self.get_session_configuration(session_id) $($await)* ?;
            let requirement = configuration
                .face_capture_requirements()
                .next()
                .ok_or_else(|| {
                    $crate::InvalidInputError::new(
                        "session_id",
                        "names a session whose configuration has no FACE_CAPTURE requirement",
                    )
                })?;
            let payload =
                $crate::model::CreateFaceCaptureResourcePayload::new(requirement.id.clone());
            let resource = self.create_face_capture_resource(session_id, &payload) $($await)* ?;
            self.upload_face_capture_image(session_id, &resource.id, image) $($await)* ?;
            Ok(resource.id)
        }

        /// Gets the content of a media object (`GET /sessions/{id}/media/{media_id}/content`).
        /// `Ok(None)` when the service answers `204 No Content`.
        ///
        /// # Errors
        ///
        /// [`Error::Api`](crate::Error::Api) when the service refuses the call (for example 404
        /// for an unknown session), [`Error::Config`](crate::Error::Config) when its answer
        /// says the client is misconfigured (unknown SDK id, wrong base URL),
        /// [`Error::InvalidInput`](crate::Error::InvalidInput) for an empty or dot-segment id,
        /// [`Error::Transport`](crate::Error::Transport) when the exchange fails,
        /// [`Error::Decode`](crate::Error::Decode) when the answer cannot be read.
        pub $($async)? fn get_media_content(
            &self,
            session_id: &$crate::model::SessionId,
            media_id: &$crate::model::MediaId,
        ) -> $crate::Result<Option<$crate::model::Media>> {
            self.execute($crate::operations::GetMediaContent { session_id, media_id }) $($await)*
        }

        /// Deletes one media object (`DELETE /sessions/{id}/media/{media_id}/content`).
        ///
        /// # Errors
        ///
        /// [`Error::Api`](crate::Error::Api) when the service refuses the call (for example 404
        /// for an unknown session), [`Error::Config`](crate::Error::Config) when its answer
        /// says the client is misconfigured (unknown SDK id, wrong base URL),
        /// [`Error::InvalidInput`](crate::Error::InvalidInput) for an empty or dot-segment id,
        /// [`Error::Transport`](crate::Error::Transport) when the exchange fails,
        /// [`Error::Decode`](crate::Error::Decode) when the answer cannot be read.
        pub $($async)? fn delete_media_content(
            &self,
            session_id: &$crate::model::SessionId,
            media_id: &$crate::model::MediaId,
        ) -> $crate::Result<()> {
            self.execute($crate::operations::DeleteMediaContent { session_id, media_id }) $($await)*
        }

        /// The countries and documents the service supports (`GET /supported-documents`).
        /// `include_non_latin` adds documents in non-Latin scripts.
        ///
        /// # Errors
        ///
        /// [`Error::Api`](crate::Error::Api) when the service refuses the call (for example 404
        /// for an unknown session), [`Error::Config`](crate::Error::Config) when its answer
        /// says the client is misconfigured (unknown SDK id, wrong base URL),
        /// [`Error::InvalidInput`](crate::Error::InvalidInput) for an empty or dot-segment id,
        /// [`Error::Transport`](crate::Error::Transport) when the exchange fails,
        /// [`Error::Decode`](crate::Error::Decode) when the answer cannot be read.
        pub $($async)? fn get_supported_documents(
            &self,
            include_non_latin: bool,
        ) -> $crate::Result<$crate::model::SupportedDocumentsResponse> {
            self.execute($crate::operations::GetSupportedDocuments { include_non_latin }) $($await)*
        }

        /// The devices that took part in a session (`GET /sessions/{id}/tracked-devices`).
        ///
        /// # Errors
        ///
        /// [`Error::Api`](crate::Error::Api) when the service refuses the call (for example 404
        /// for an unknown session), [`Error::Config`](crate::Error::Config) when its answer
        /// says the client is misconfigured (unknown SDK id, wrong base URL),
        /// [`Error::InvalidInput`](crate::Error::InvalidInput) for an empty or dot-segment id,
        /// [`Error::Transport`](crate::Error::Transport) when the exchange fails,
        /// [`Error::Decode`](crate::Error::Decode) when the answer cannot be read.
        pub $($async)? fn get_tracked_devices(
            &self,
            session_id: &$crate::model::SessionId,
        ) -> $crate::Result<Vec<$crate::model::TrackedDeviceEvent>> {
            self.execute($crate::operations::GetTrackedDevices { session_id }) $($await)*
        }

        /// Forgets the devices of a session (`DELETE /sessions/{id}/tracked-devices`).
        ///
        /// # Errors
        ///
        /// [`Error::Api`](crate::Error::Api) when the service refuses the call (for example 404
        /// for an unknown session), [`Error::Config`](crate::Error::Config) when its answer
        /// says the client is misconfigured (unknown SDK id, wrong base URL),
        /// [`Error::InvalidInput`](crate::Error::InvalidInput) for an empty or dot-segment id,
        /// [`Error::Transport`](crate::Error::Transport) when the exchange fails,
        /// [`Error::Decode`](crate::Error::Decode) when the answer cannot be read.
        pub $($async)? fn delete_tracked_devices(&self, session_id: &$crate::model::SessionId) -> $crate::Result<()> {
            self.execute($crate::operations::DeleteTrackedDevices { session_id }) $($await)*
        }

        /// Sets the in-branch (IBV) instructions of a session
        /// (`PUT /sessions/{id}/instructions`).
        ///
        /// # Errors
        ///
        /// [`Error::Api`](crate::Error::Api) when the service refuses the call (for example 404
        /// for an unknown session), [`Error::Config`](crate::Error::Config) when its answer
        /// says the client is misconfigured (unknown SDK id, wrong base URL),
        /// [`Error::InvalidInput`](crate::Error::InvalidInput) for an empty or dot-segment id,
        /// [`Error::Transport`](crate::Error::Transport) when the exchange fails,
        /// [`Error::Decode`](crate::Error::Decode) when the answer cannot be read.
        pub $($async)? fn put_ibv_instructions(
            &self,
            session_id: &$crate::model::SessionId,
            instructions: &$crate::model::Instructions,
        ) -> $crate::Result<()> {
            self.execute($crate::operations::PutIbvInstructions { session_id, instructions })
                $($await)*
        }

        /// The in-branch (IBV) instructions of a session (`GET /sessions/{id}/instructions`).
        ///
        /// # Errors
        ///
        /// [`Error::Api`](crate::Error::Api) when the service refuses the call (for example 404
        /// for an unknown session), [`Error::Config`](crate::Error::Config) when its answer
        /// says the client is misconfigured (unknown SDK id, wrong base URL),
        /// [`Error::InvalidInput`](crate::Error::InvalidInput) for an empty or dot-segment id,
        /// [`Error::Transport`](crate::Error::Transport) when the exchange fails,
        /// [`Error::Decode`](crate::Error::Decode) when the answer cannot be read.
        pub $($async)? fn get_ibv_instructions(
            &self,
            session_id: &$crate::model::SessionId,
        ) -> $crate::Result<$crate::model::InstructionsResponse> {
            self.execute($crate::operations::GetIbvInstructions { session_id }) $($await)*
        }

        /// The instructions as a PDF (`GET /sessions/{id}/instructions/pdf`); `Ok(None)` when
        /// there is none yet.
        ///
        /// # Errors
        ///
        /// [`Error::Api`](crate::Error::Api) when the service refuses the call (for example 404
        /// for an unknown session), [`Error::Config`](crate::Error::Config) when its answer
        /// says the client is misconfigured (unknown SDK id, wrong base URL),
        /// [`Error::InvalidInput`](crate::Error::InvalidInput) for an empty or dot-segment id,
        /// [`Error::Transport`](crate::Error::Transport) when the exchange fails,
        /// [`Error::Decode`](crate::Error::Decode) when the answer cannot be read.
        pub $($async)? fn get_ibv_instructions_pdf(
            &self,
            session_id: &$crate::model::SessionId,
        ) -> $crate::Result<Option<$crate::model::Media>> {
            self.execute($crate::operations::GetIbvInstructionsPdf { session_id }) $($await)*
        }

        /// The contact profile of the instructions
        /// (`GET /sessions/{id}/instructions/contact-profile`).
        ///
        /// # Errors
        ///
        /// [`Error::Api`](crate::Error::Api) when the service refuses the call (for example 404
        /// for an unknown session), [`Error::Config`](crate::Error::Config) when its answer
        /// says the client is misconfigured (unknown SDK id, wrong base URL),
        /// [`Error::InvalidInput`](crate::Error::InvalidInput) for an empty or dot-segment id,
        /// [`Error::Transport`](crate::Error::Transport) when the exchange fails,
        /// [`Error::Decode`](crate::Error::Decode) when the answer cannot be read.
        pub $($async)? fn fetch_instructions_contact_profile(
            &self,
            session_id: &$crate::model::SessionId,
        ) -> $crate::Result<$crate::model::ContactProfileResponse> {
            self.execute($crate::operations::FetchInstructionsContactProfile { session_id })
                $($await)*
        }

        /// Asks Yoti to e-mail the instructions (`POST /sessions/{id}/instructions/email`).
        ///
        /// # Errors
        ///
        /// [`Error::Api`](crate::Error::Api) when the service refuses the call (for example 404
        /// for an unknown session), [`Error::Config`](crate::Error::Config) when its answer
        /// says the client is misconfigured (unknown SDK id, wrong base URL),
        /// [`Error::InvalidInput`](crate::Error::InvalidInput) for an empty or dot-segment id,
        /// [`Error::Transport`](crate::Error::Transport) when the exchange fails,
        /// [`Error::Decode`](crate::Error::Decode) when the answer cannot be read.
        pub $($async)? fn trigger_ibv_email_notification(
            &self,
            session_id: &$crate::model::SessionId,
        ) -> $crate::Result<()> {
            self.execute($crate::operations::TriggerIbvEmailNotification { session_id })
                $($await)*
        }

        /// Sandbox only (Yoti's sandbox API or `idv-emulator`): plays the end user of a
        /// session and completes it (`POST /agent` on the sandbox base URL).
        ///
        /// Available with the `sandbox` feature.
        ///
        /// # Errors
        ///
        /// [`Error::Api`](crate::Error::Api) when the service refuses the call (for example 404
        /// for an unknown session), [`Error::Config`](crate::Error::Config) when its answer
        /// says the client is misconfigured (unknown SDK id, wrong base URL),
        /// [`Error::InvalidInput`](crate::Error::InvalidInput) for an empty or dot-segment id,
        /// [`Error::Transport`](crate::Error::Transport) when the exchange fails,
        /// [`Error::Decode`](crate::Error::Decode) when the answer cannot be read.
        #[cfg(feature = "sandbox")]
        pub $($async)? fn sandbox_complete_session(
            &self,
            session_id: &$crate::model::SessionId,
            client_session_token: &$crate::model::ClientSessionToken,
        ) -> $crate::Result<()> {
            let base = self.inner.config.sandbox_base_url.clone();
            self.execute_at(
                &base,
                $crate::sandbox::CompleteSessionAsAgent {
                    session_id,
                    client_session_token,
                    resources: None,
                },
            ) $($await)*
        }

        /// Sandbox only (Yoti's sandbox API or `idv-emulator`): plays the end user of a
        /// session presenting the given documents, and completes it (`POST /agent` with
        /// `resources`, on the sandbox base URL). The documents should match the session's
        /// document filters.
        ///
        /// ```no_run
        /// # #[cfg(feature = "ureq")] {
        /// use idv::model::sandbox::{SandboxAgentIdDocument, SandboxAgentResources};
        /// # fn run(client: &idv::BlockingClient, created: &idv::model::CreateSessionResult) -> idv::Result<()> {
        /// let resources = SandboxAgentResources::new().with_id_document(
        ///     SandboxAgentIdDocument::new("FRA", "DRIVING_LICENCE").with_capture_method("UPLOAD"),
        /// );
        /// client.sandbox_complete_session_with_resources(
        ///     &created.session_id,
        ///     &created.client_session_token,
        ///     &resources,
        /// )?;
        /// # Ok(()) }
        /// # }
        /// ```
        ///
        /// Available with the `sandbox` feature.
        ///
        /// # Errors
        ///
        /// [`Error::Api`](crate::Error::Api) when the service refuses the call (for example 400
        /// when a document is not one the session accepts, 404 for an unknown session),
        /// [`Error::Config`](crate::Error::Config) when its answer says the client is
        /// misconfigured (unknown SDK id, wrong base URL),
        /// [`Error::InvalidInput`](crate::Error::InvalidInput) for an empty session id,
        /// [`Error::Transport`](crate::Error::Transport) when the exchange fails,
        /// [`Error::Decode`](crate::Error::Decode) when the answer cannot be read.
        #[cfg(feature = "sandbox")]
        pub $($async)? fn sandbox_complete_session_with_resources(
            &self,
            session_id: &$crate::model::SessionId,
            client_session_token: &$crate::model::ClientSessionToken,
            resources: &$crate::model::sandbox::SandboxAgentResources,
        ) -> $crate::Result<()> {
            let base = self.inner.config.sandbox_base_url.clone();
            self.execute_at(
                &base,
                $crate::sandbox::CompleteSessionAsAgent {
                    session_id,
                    client_session_token,
                    resources: Some(resources),
                },
            ) $($await)*
        }

        /// Creates an applicant (Face Search), optionally with a first face
        /// (`POST /applicants`). No official Yoti SDK has this call.
        ///
        /// Never retried once the request may have reached the server (a repeat would create
        /// a second applicant).
        ///
        /// # Errors
        ///
        /// [`Error::Api`](crate::Error::Api) when the service refuses the call,
        /// [`Error::Config`](crate::Error::Config) when its answer says the client is
        /// misconfigured, [`Error::InvalidInput`](crate::Error::InvalidInput) for an empty or
        /// dot-segment id or an invalid face, [`Error::Transport`](crate::Error::Transport) when
        /// the exchange fails, [`Error::Decode`](crate::Error::Decode) when the answer cannot be
        /// read.
        pub $($async)? fn create_applicant(
            &self,
            payload: &$crate::model::CreateApplicantPayload,
        ) -> $crate::Result<$crate::model::ApplicantResponse> {
            self.execute($crate::operations::CreateApplicant { payload }) $($await)*
        }

        /// Adds a face to an applicant: an image you hold, or a media of an earlier session
        /// (`POST /applicants/{id}/faces`). See also `enrol_face`.
        ///
        /// # Errors
        ///
        /// [`Error::Api`](crate::Error::Api) when the service refuses the call,
        /// [`Error::Config`](crate::Error::Config) when its answer says the client is
        /// misconfigured, [`Error::InvalidInput`](crate::Error::InvalidInput) for an empty or
        /// dot-segment id or an invalid face, [`Error::Transport`](crate::Error::Transport) when
        /// the exchange fails, [`Error::Decode`](crate::Error::Decode) when the answer cannot be
        /// read.
        pub $($async)? fn add_applicant_face(
            &self,
            applicant_id: &$crate::model::ApplicantId,
            payload: &$crate::model::AddFacePayload,
        ) -> $crate::Result<$crate::model::AddFaceResponse> {
            self.execute($crate::operations::AddApplicantFace { applicant_id, payload }) $($await)*
        }

        /// Gets an applicant: its faces and pools (`GET /applicants/{id}`; Yoti's docs write
        /// this path singular, see [`APPLICANT_READ_PREFIX`](crate::operations::APPLICANT_READ_PREFIX)).
        ///
        /// # Errors
        ///
        /// [`Error::Api`](crate::Error::Api) when the service refuses the call,
        /// [`Error::Config`](crate::Error::Config) when its answer says the client is
        /// misconfigured, [`Error::InvalidInput`](crate::Error::InvalidInput) for an empty or
        /// dot-segment id or an invalid face, [`Error::Transport`](crate::Error::Transport) when
        /// the exchange fails, [`Error::Decode`](crate::Error::Decode) when the answer cannot be
        /// read.
        pub $($async)? fn get_applicant(
            &self,
            applicant_id: &$crate::model::ApplicantId,
        ) -> $crate::Result<$crate::model::ApplicantResponse> {
            self.execute($crate::operations::GetApplicant { applicant_id }) $($await)*
        }

        /// Gets one face image of an applicant (`GET /applicants/{id}/faces/{face_id}`).
        /// The image is personal data: `Debug` never prints it.
        ///
        /// # Errors
        ///
        /// [`Error::Api`](crate::Error::Api) when the service refuses the call,
        /// [`Error::Config`](crate::Error::Config) when its answer says the client is
        /// misconfigured, [`Error::InvalidInput`](crate::Error::InvalidInput) for an empty or
        /// dot-segment id or an invalid face, [`Error::Transport`](crate::Error::Transport) when
        /// the exchange fails, [`Error::Decode`](crate::Error::Decode) when the answer cannot be
        /// read.
        pub $($async)? fn get_applicant_face(
            &self,
            applicant_id: &$crate::model::ApplicantId,
            face_id: &$crate::model::FaceId,
        ) -> $crate::Result<$crate::model::FaceContentResponse> {
            self.execute($crate::operations::GetApplicantFace { applicant_id, face_id }) $($await)*
        }

        /// Deletes an applicant and its faces (`DELETE /applicants/{id}`).
        ///
        /// # Errors
        ///
        /// A 404 is not an error but [`Deleted::AlreadyGone`](crate::Deleted::AlreadyGone),
        /// never retried (except a 404 saying the SDK id is unknown:
        /// [`Error::Config`](crate::Error::Config)). [`Error::Api`](crate::Error::Api) for any
        /// other refusal, [`Error::InvalidInput`](crate::Error::InvalidInput) for an empty or
        /// dot-segment id, [`Error::Transport`](crate::Error::Transport) when the exchange
        /// fails.
        pub $($async)? fn delete_applicant(
            &self,
            applicant_id: &$crate::model::ApplicantId,
        ) -> $crate::Result<$crate::Deleted> {
            self.execute($crate::operations::DeleteApplicant { applicant_id }) $($await)*
        }

        /// Deletes one face of an applicant (`DELETE /applicants/{id}/faces/{face_id}`).
        ///
        /// # Errors
        ///
        /// A 404 is not an error but [`Deleted::AlreadyGone`](crate::Deleted::AlreadyGone),
        /// never retried (except a 404 saying the SDK id is unknown:
        /// [`Error::Config`](crate::Error::Config)). [`Error::Api`](crate::Error::Api) for any
        /// other refusal, [`Error::InvalidInput`](crate::Error::InvalidInput) for an empty or
        /// dot-segment id, [`Error::Transport`](crate::Error::Transport) when the exchange
        /// fails.
        pub $($async)? fn delete_applicant_face(
            &self,
            applicant_id: &$crate::model::ApplicantId,
            face_id: &$crate::model::FaceId,
        ) -> $crate::Result<$crate::Deleted> {
            self.execute($crate::operations::DeleteApplicantFace { applicant_id, face_id }) $($await)*
        }

        /// Creates an applicant pool (`POST /pools`). Never retried once the request may
        /// have reached the server.
        ///
        /// # Errors
        ///
        /// [`Error::Api`](crate::Error::Api) when the service refuses the call,
        /// [`Error::Config`](crate::Error::Config) when its answer says the client is
        /// misconfigured, [`Error::InvalidInput`](crate::Error::InvalidInput) for an empty or
        /// dot-segment id or an invalid face, [`Error::Transport`](crate::Error::Transport) when
        /// the exchange fails, [`Error::Decode`](crate::Error::Decode) when the answer cannot be
        /// read.
        pub $($async)? fn create_pool(
            &self,
            payload: &$crate::model::CreatePoolPayload,
        ) -> $crate::Result<$crate::model::PoolResponse> {
            self.execute($crate::operations::CreatePool { payload }) $($await)*
        }

        /// Adds an applicant to a pool (`POST /pools/{id}/applicants`). Never retried once
        /// the request may have reached the server.
        ///
        /// # Errors
        ///
        /// [`Error::Api`](crate::Error::Api) when the service refuses the call,
        /// [`Error::Config`](crate::Error::Config) when its answer says the client is
        /// misconfigured, [`Error::InvalidInput`](crate::Error::InvalidInput) for an empty or
        /// dot-segment id or an invalid face, [`Error::Transport`](crate::Error::Transport) when
        /// the exchange fails, [`Error::Decode`](crate::Error::Decode) when the answer cannot be
        /// read.
        pub $($async)? fn add_pool_applicant(
            &self,
            pool_id: &$crate::model::PoolId,
            applicant_id: &$crate::model::ApplicantId,
        ) -> $crate::Result<()> {
            self.execute($crate::operations::AddPoolApplicant { pool_id, applicant_id }) $($await)*
        }

        /// Removes an applicant from a pool; the applicant stays
        /// (`DELETE /pools/{id}/applicants/{applicant_id}`).
        ///
        /// # Errors
        ///
        /// A 404 is not an error but [`Deleted::AlreadyGone`](crate::Deleted::AlreadyGone),
        /// never retried (except a 404 saying the SDK id is unknown:
        /// [`Error::Config`](crate::Error::Config)). [`Error::Api`](crate::Error::Api) for any
        /// other refusal, [`Error::InvalidInput`](crate::Error::InvalidInput) for an empty or
        /// dot-segment id, [`Error::Transport`](crate::Error::Transport) when the exchange
        /// fails.
        pub $($async)? fn remove_pool_applicant(
            &self,
            pool_id: &$crate::model::PoolId,
            applicant_id: &$crate::model::ApplicantId,
        ) -> $crate::Result<$crate::Deleted> {
            self.execute($crate::operations::RemovePoolApplicant { pool_id, applicant_id }) $($await)*
        }

        /// Deletes a pool; its applicants stay (`DELETE /pools/{id}`).
        ///
        /// # Errors
        ///
        /// A 404 is not an error but [`Deleted::AlreadyGone`](crate::Deleted::AlreadyGone),
        /// never retried (except a 404 saying the SDK id is unknown:
        /// [`Error::Config`](crate::Error::Config)). [`Error::Api`](crate::Error::Api) for any
        /// other refusal, [`Error::InvalidInput`](crate::Error::InvalidInput) for an empty or
        /// dot-segment id, [`Error::Transport`](crate::Error::Transport) when the exchange
        /// fails.
        pub $($async)? fn delete_pool(
            &self,
            pool_id: &$crate::model::PoolId,
        ) -> $crate::Result<$crate::Deleted> {
            self.execute($crate::operations::DeletePool { pool_id }) $($await)*
        }

        /// Makes an applicant's face the reference image of a face-capture resource, instead
        /// of uploading one (`PUT /sessions/{id}/resources/face-capture/{resource_id}/applicant`).
        /// The session's `FACE_COMPARISON` then compares the live face with the applicant's.
        ///
        /// # Errors
        ///
        /// [`Error::Api`](crate::Error::Api) when the service refuses the call,
        /// [`Error::Config`](crate::Error::Config) when its answer says the client is
        /// misconfigured, [`Error::InvalidInput`](crate::Error::InvalidInput) for an empty or
        /// dot-segment id or an invalid face, [`Error::Transport`](crate::Error::Transport) when
        /// the exchange fails, [`Error::Decode`](crate::Error::Decode) when the answer cannot be
        /// read. The service answers 409 once the session has expired.
        pub $($async)? fn attach_face_capture_applicant(
            &self,
            session_id: &$crate::model::SessionId,
            resource_id: &$crate::model::ResourceId,
            applicant_id: &$crate::model::ApplicantId,
        ) -> $crate::Result<()> {
            self.execute($crate::operations::AttachFaceCaptureApplicant {
                session_id,
                resource_id,
                applicant_id,
            }) $($await)*
        }

        /// Enrols the face a user just showed, in one call: reads the session, checks that it
        /// passed selfie authentication ([`SelfieAuthVerdict::Pass`](crate::SelfieAuthVerdict)),
        /// takes the image of its approved liveness capture (or its face-capture image), and
        /// adds it to the applicant of `request` (or to a new applicant), then adds the
        /// applicant to the pool, if one is given.
        ///
        /// The face is sent as a `{session_id, media_id}` source, not as downloaded bytes: the
        /// image never passes through your server, and the service stores exactly the image
        /// its liveness check approved (see [`idv_core::enrolment`](crate::core::enrolment)).
        /// A new applicant is created empty and the face added to it, so the face id is known.
        ///
        /// If a step after the first fails, what this call created is deleted again (best
        /// effort) before the error is returned: a new applicant, or the face added to an
        /// existing one.
        ///
        /// # Errors
        ///
        /// [`Error::InvalidInput`](crate::Error::InvalidInput) when the session did not pass
        /// (the verdict's reasons are in the message) or holds no face image; otherwise the
        /// first failing call's error, as for [`get_session`](Self::get_session),
        /// `create_applicant`, `add_applicant_face` and `add_pool_applicant`.
        pub $($async)? fn enrol_face(
            &self,
            request: &$crate::EnrolFace,
        ) -> $crate::Result<$crate::Enrolment> {
            let session_id = &request.session_id;
            let session = self.get_session(session_id) $($await)* ?;
            let media_id = $crate::core::enrolment::face_to_enrol(&session)?;
            let face = $crate::model::AddFacePayload::new($crate::model::FacePayload::session_media(
                session_id.clone(),
                media_id.clone(),
            ));
            let (applicant_id, created_applicant) = match &request.applicant_id {
                Some(id) => (id.clone(), false),
                None => {
                    let created = self
                        .create_applicant(&$crate::model::CreateApplicantPayload::new())
                        $($await)* ?;
                    (created.id, true)
                }
            };
            let face_id = match self.add_applicant_face(&applicant_id, &face) $($await)* {
                Ok(added) => added.id,
                Err(e) => {
                    if created_applicant {
                        let _ = self.delete_applicant(&applicant_id) $($await)*;
                    }
                    return Err(e);
                }
            };
            if let Some(pool_id) = &request.pool_id {
                if let Err(e) = self.add_pool_applicant(pool_id, &applicant_id) $($await)* {
                    if created_applicant {
                        let _ = self.delete_applicant(&applicant_id) $($await)*;
                    } else {
                        let _ = self.delete_applicant_face(&applicant_id, &face_id) $($await)*;
                    }
                    return Err(e);
                }
            }
            Ok($crate::Enrolment::new(
                applicant_id,
                face_id,
                media_id,
                created_applicant,
                request.pool_id.clone(),
            ))
        }

        /// Sandbox only: plays the end user with a full agent payload (`POST /agent` on the
        /// sandbox base URL): the documents to present and, on `idv-emulator`, the face to
        /// show for the liveness capture (`liveness_image`). Available with the `sandbox`
        /// feature.
        ///
        /// # Errors
        ///
        /// [`Error::Api`](crate::Error::Api) when the service refuses the call,
        /// [`Error::Config`](crate::Error::Config) when its answer says the client is
        /// misconfigured, [`Error::InvalidInput`](crate::Error::InvalidInput) for an empty or
        /// dot-segment id or an invalid face, [`Error::Transport`](crate::Error::Transport) when
        /// the exchange fails, [`Error::Decode`](crate::Error::Decode) when the answer cannot be
        /// read.
        #[cfg(feature = "sandbox")]
        pub $($async)? fn sandbox_complete_session_with(
            &self,
            payload: &$crate::model::SandboxAgentPayload,
        ) -> $crate::Result<()> {
            let base = self.inner.config.sandbox_base_url.clone();
            self.execute_at(&base, $crate::sandbox::CompleteSessionAsAgentWith { payload }) $($await)*
        }

        /// The hosted capture page URL of a session, on this client's base URL.
        ///
        /// # Errors
        ///
        /// [`Error::Api`](crate::Error::Api) when the service refuses the call (for example 404
        /// for an unknown session), [`Error::Config`](crate::Error::Config) when its answer
        /// says the client is misconfigured (unknown SDK id, wrong base URL),
        /// [`Error::InvalidInput`](crate::Error::InvalidInput) for an empty or dot-segment id,
        /// [`Error::Transport`](crate::Error::Transport) when the exchange fails,
        /// [`Error::Decode`](crate::Error::Decode) when the answer cannot be read.
        pub fn hosted_page_url(
            &self,
            session_id: &$crate::model::SessionId,
            client_session_token: &$crate::model::ClientSessionToken,
        ) -> $crate::Result<$crate::HostedPageUrl> {
            Ok($crate::HostedPageUrl::new(
                &self.inner.config.base_url,
                session_id,
                client_session_token,
            )?)
        }

        /// The configuration this client was built with.
        pub fn config(&self) -> &$crate::ClientConfig {
            &self.inner.config
        }
    };
}

pub(crate) use api_methods;
