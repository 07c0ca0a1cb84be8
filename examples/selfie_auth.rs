//! Selfie authentication (liveness + face comparison) with the blocking client.
//!
//! ```text
//! cargo run --example selfie_auth [-- --image face.jpg] [-- --auth bearer]
//! ```
//!
//! `--auth bearer` authenticates with bearer tokens (Central Auth) instead of signing each
//! request; on the embedded emulator its request log then shows `auth=bearer` on every call.
//!
//! With no environment set it starts the `idv-emulator` in-process and plays the end user
//! through the sandbox `POST /agent` call. With `YOTI_CLIENT_SDK_ID`, `YOTI_KEY_FILE_PATH`
//! and `YOTI_IDV_API_URL` set it runs against that server, stops after the upload and prints
//! the hosted page URL for the user to open; the verdict is then PENDING until the user has
//! completed it. Exit code: 0 PASS, 1 FAIL, 3 PENDING, 2 error.

mod common;

use std::process::ExitCode;

use idv::{ErrorReport, SelfieAuthVerdict, WaitOptions};

use common::{Args, Target};

fn main() -> ExitCode {
    match run() {
        Ok(verdict) => common::exit_code(&verdict),
        Err(e) => {
            eprintln!("error: {}", ErrorReport(e.as_ref()));
            ExitCode::from(2)
        }
    }
}

fn run() -> Result<SelfieAuthVerdict, Box<dyn std::error::Error>> {
    let args = Args::parse()?;
    let image = args.image()?;
    let target = Target::for_args(&args)?;
    println!("running against the {}", target.describe());
    let client = target.builder().build_blocking()?;

    // 1. Create the session.
    let created = client.create_session(&common::selfie_spec())?;
    let session_id = &created.session_id;
    println!("session id: {session_id}");

    // 2. Read the configuration, create the face-capture resource, upload the image: one call.
    let resource_id = client.add_face_capture_resource(session_id, &image)?;
    println!(
        "uploaded the reference image ({} bytes) to face-capture resource {}",
        image.image.len(),
        resource_id
    );

    // 3. The page the user opens (it carries the client session token: show it only to them).
    let url = client.hosted_page_url(session_id, &created.client_session_token)?;
    println!("hosted page: {}", url.expose_secret());

    // The user's part: on the emulator, the sandbox agent plays it.
    match &target {
        Target::Emulator(..) if args.wait => {
            println!("open the hosted page above in a browser and complete it; waiting...");
            client.wait_for_completion(session_id, &WaitOptions::new(common::WAIT_FOR_PERSON))?;
        }
        Target::Emulator(..) => {
            client.sandbox_complete_session(session_id, &created.client_session_token)?;
            println!("the sandbox agent completed the user's part");
        }
        Target::Remote(_) => {
            println!(
                "open the hosted page to complete the session; until then the verdict is PENDING"
            );
        }
    }

    // 4. Read the checks and the media.
    let session = client.get_session(session_id)?;
    common::print_checks(&session);
    for (kind, media_id) in common::resource_media(&session) {
        let media = client.get_media_content(session_id, &media_id)?;
        common::print_media(kind, &media_id, &media);
    }

    // 5. Decide.
    let verdict = SelfieAuthVerdict::evaluate(&session);
    common::print_verdict(&verdict);
    target.check_auth(&args)?;
    Ok(verdict)
}
