//! Selfie authentication (liveness + face comparison) with the async client.
//!
//! ```text
//! cargo run --example selfie_auth_async [-- --image face.jpg]
//! ```
//!
//! The same flow as `selfie_auth`, on tokio and reqwest. Exit code: 0 PASS, 1 FAIL,
//! 3 PENDING, 2 error.

mod common;

use std::process::ExitCode;

use idv::{ErrorReport, SelfieAuthVerdict, WaitOptions};

use common::{Args, Target};

#[tokio::main]
async fn main() -> ExitCode {
    match run().await {
        Ok(verdict) => common::exit_code(&verdict),
        Err(e) => {
            eprintln!("error: {}", ErrorReport(e.as_ref()));
            ExitCode::from(2)
        }
    }
}

async fn run() -> Result<SelfieAuthVerdict, Box<dyn std::error::Error>> {
    let args = Args::parse()?;
    let image = args.image()?;
    let target = Target::for_args(&args)?;
    println!("running against the {}", target.describe());
    let client = target.builder().build()?;

    let created = client.create_session(&common::selfie_spec()).await?;
    let session_id = &created.session_id;
    println!("session id: {session_id}");

    // One call: read the configuration, create the face-capture resource, upload the image.
    let resource_id = client.add_face_capture_resource(session_id, &image).await?;
    println!(
        "uploaded the reference image ({} bytes) to face-capture resource {}",
        image.image.len(),
        resource_id
    );

    let url = client.hosted_page_url(session_id, &created.client_session_token)?;
    println!("hosted page: {}", url.expose_secret());

    match &target {
        Target::Emulator(..) if args.wait => {
            println!("open the hosted page above in a browser and complete it; waiting...");
            client
                .wait_for_completion(session_id, &WaitOptions::new(common::WAIT_FOR_PERSON))
                .await?;
        }
        Target::Emulator(..) => {
            client
                .sandbox_complete_session(session_id, &created.client_session_token)
                .await?;
            println!("the sandbox agent completed the user's part");
        }
        Target::Remote(_) => {
            println!(
                "open the hosted page to complete the session; until then the verdict is PENDING"
            );
        }
    }

    let session = client.get_session(session_id).await?;
    common::print_checks(&session);
    for (kind, media_id) in common::resource_media(&session) {
        let media = client.get_media_content(session_id, &media_id).await?;
        common::print_media(kind, &media_id, &media);
    }

    let verdict = SelfieAuthVerdict::evaluate(&session);
    common::print_verdict(&verdict);
    target.check_auth(&args)?;
    Ok(verdict)
}
