//! A returning user, with the async client (the twin of `face_auth_returning_user`): enrol the face of a passed selfie session,
//! authenticate later visits against it, and search a pool for a familiar face.
//!
//! ```text
//! cargo run --example face_auth_returning_user_async
//! ```
//!
//! 1. **First visit**: the selfie flow (liveness + face comparison against an uploaded
//!    reference); once it passes, `enrol_face` stores the face the user just showed in a new
//!    applicant, in a pool.
//! 2. **Second visit**: a LIVENESS + FACE_COMPARISON session whose reference is the applicant
//!    (attached to the face-capture resource instead of an upload): the same face, PASS.
//! 3. **Third visit**: the same session with a different face: FAIL.
//! 4. **Familiar-face search**: a LIVENESS + FAMILIAR_FACE_SEARCH session over the pool finds
//!    the enrolled applicant for the known face and nobody for the unknown one.
//!
//! The user is played by the sandbox agent, showing a chosen face (`liveness_image`). With no
//! environment set this runs against an embedded `idv-emulator`, whose rule is that a live
//! face matches a stored face when the image bytes are equal. With `YOTI_CLIENT_SDK_ID`,
//! `YOTI_KEY_FILE_PATH` and `YOTI_IDV_API_URL` set it runs against that server, which must be
//! a sandbox (the agent call); the outcomes are then that server's.
//!
//! Exit code: 0 when every visit had the expected outcome, 1 otherwise, 2 on error.

mod common;

use std::process::ExitCode;

use idv::model::*;
use idv::{Client, EnrolFace, ErrorReport, SelfieAuthVerdict};

use common::Target;

/// The enrolled user's face, and somebody else's.
const KNOWN_FACE: &[u8] = include_bytes!("data/reference-face.jpg");
const OTHER_FACE: &[u8] = include_bytes!("data/other-face.jpg");

type Res<T> = Result<T, Box<dyn std::error::Error>>;

#[tokio::main]
async fn main() -> ExitCode {
    match run().await {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => {
            println!("some outcome was not the expected one");
            ExitCode::from(1)
        }
        Err(e) => {
            eprintln!("error: {}", ErrorReport(e.as_ref()));
            ExitCode::from(2)
        }
    }
}

async fn run() -> Res<bool> {
    let target = Target::from_env()?;
    println!("running against the {}", target.describe());
    let client = target.builder().build()?;

    // First visit: the selfie flow, then the enrolment of the face that passed.
    let pool = client
        .create_pool(&CreatePoolPayload::new("returning users"))
        .await?;
    println!("pool {}", pool.id);
    let first = selfie_visit(&client).await?;
    let enrolment = client
        .enrol_face(&EnrolFace::new(first).with_pool(pool.id.clone()))
        .await?;
    println!(
        "enrolled face {} (session media {}) into applicant {}",
        enrolment.face_id, enrolment.media_id, enrolment.applicant_id
    );
    let applicant = enrolment.applicant_id;

    // Second and third visits: face comparison against the applicant.
    let returning = face_auth_visit(&client, &applicant, KNOWN_FACE).await?;
    println!("return visit, same face: {returning}");
    let impostor = face_auth_visit(&client, &applicant, OTHER_FACE).await?;
    println!("return visit, another face: {impostor}");

    // Familiar-face search over the pool.
    let known = search_visit(&client, &pool.id, KNOWN_FACE).await?;
    print_search("known face", &known);
    let unknown = search_visit(&client, &pool.id, OTHER_FACE).await?;
    print_search("unknown face", &unknown);

    // Clean up: the applicant and the pool persist until deleted.
    println!(
        "delete applicant: {:?}",
        client.delete_applicant(&applicant).await?
    );
    println!("delete pool: {:?}", client.delete_pool(&pool.id).await?);

    Ok(returning.is_pass()
        && impostor.is_fail()
        && known.as_ref() == Some(&applicant)
        && unknown.is_none())
}

/// The selfie flow of `selfie_auth`, the user showing the known face; returns the session.
async fn selfie_visit(client: &Client) -> Res<SessionId> {
    let created = client.create_session(&common::selfie_spec()).await?;
    let session_id = created.session_id;
    let resource = face_capture_resource(client, &session_id).await?;
    client
        .upload_face_capture_image(
            &session_id,
            &resource,
            &UploadFaceCaptureImagePayload::jpeg(KNOWN_FACE),
        )
        .await?;
    play_user(
        client,
        &session_id,
        &created.client_session_token,
        KNOWN_FACE,
    )
    .await?;
    let verdict = SelfieAuthVerdict::evaluate(&client.get_session(&session_id).await?);
    println!("first visit (selfie flow): {verdict}");
    if !verdict.is_pass() {
        return Err(format!("the first visit did not pass: {verdict}").into());
    }
    Ok(session_id)
}

/// LIVENESS + FACE_COMPARISON with the applicant as the reference; the user shows `face`.
async fn face_auth_visit(
    client: &Client,
    applicant: &ApplicantId,
    face: &[u8],
) -> Res<SelfieAuthVerdict> {
    let created = client.create_session(&common::selfie_spec()).await?;
    let session_id = created.session_id;
    let resource = face_capture_resource(client, &session_id).await?;
    client
        .attach_face_capture_applicant(&session_id, &resource, applicant)
        .await?;
    play_user(client, &session_id, &created.client_session_token, face).await?;
    let session = client.get_session(&session_id).await?;
    common::print_checks(&session);
    Ok(SelfieAuthVerdict::evaluate(&session))
}

/// LIVENESS + FAMILIAR_FACE_SEARCH over `pool`; the user shows `face`. The matched applicant.
async fn search_visit(client: &Client, pool: &PoolId, face: &[u8]) -> Res<Option<ApplicantId>> {
    let spec = SessionSpecification::new()
        .with_requested_check(RequestedLivenessCheck::static_liveness().with_max_retries(3))
        .with_requested_check(RequestedFamiliarFaceSearchCheck::new(
            pool.clone(),
            ApprovalCriteria::Match,
        ));
    let created = client.create_session(&spec).await?;
    play_user(
        client,
        &created.session_id,
        &created.client_session_token,
        face,
    )
    .await?;
    let session = client.get_session(&created.session_id).await?;
    let check = session
        .familiar_face_search_checks()
        .next()
        .ok_or("the session has no FAMILIAR_FACE_SEARCH check")?;
    println!(
        "familiar-face search: {}",
        check
            .recommendation()
            .map_or("(no recommendation)", |r| r.as_str())
    );
    Ok(check.matched_applicant())
}

fn print_search(what: &str, matched: &Option<ApplicantId>) {
    match matched {
        Some(applicant) => println!("{what}: matched applicant {applicant}"),
        None => println!("{what}: no match"),
    }
}

/// The face-capture resource of the session's FACE_CAPTURE requirement.
async fn face_capture_resource(client: &Client, session_id: &SessionId) -> Res<ResourceId> {
    let configuration = client.get_session_configuration(session_id).await?;
    let requirement = configuration
        .face_capture_requirements()
        .next()
        .ok_or("the session configuration has no FACE_CAPTURE requirement")?;
    let resource = client
        .create_face_capture_resource(
            session_id,
            &CreateFaceCaptureResourcePayload::new(requirement.id.clone()),
        )
        .await?;
    Ok(resource.id)
}

/// The sandbox agent completes the user's part, showing `face` to the liveness capture.
async fn play_user(
    client: &Client,
    session_id: &SessionId,
    token: &ClientSessionToken,
    face: &[u8],
) -> Res<()> {
    client
        .sandbox_complete_session_with(
            &SandboxAgentPayload::new(session_id.clone(), token.clone())
                .with_liveness_image(FaceImageData::new(face)),
        )
        .await?;
    Ok(())
}
