//! `idv applicant ...` and `idv pool ...`: Yoti's Face Search applicants and pools.
//!
//! Deletes are idempotent: a 404 prints "... was already gone" and exits 0, like a delete
//! that removed something; every other failure has the usual exit codes.

use std::path::{Path, PathBuf};

use clap::{ArgGroup, Args, Subcommand};
use idv::Deleted;
use idv::model::{
    AddFacePayload, ApplicantId, CreateApplicantPayload, CreatePoolPayload, FaceId, FacePayload,
    PoolId,
};
use idv::operations::{AddApplicantFace, CreateApplicant, CreatePool, GetApplicant};

use crate::api::Api;
use crate::failure::Failure;
use crate::out::{clean, outln};
use crate::{EXIT_CODES, Global, selfie};

/// `idv applicant ...`
#[derive(Debug, Subcommand)]
pub(crate) enum ApplicantCommand {
    /// Create an applicant (Face Search), optionally with a first face; prints its id.
    #[command(after_help = EXIT_CODES)]
    Create {
        /// A first face: a JPEG or PNG file (at most 10 MiB).
        #[arg(long, value_name = "IMAGE")]
        image: Option<PathBuf>,
        /// Print the server's answer as JSON (control characters escaped) instead of a line.
        #[arg(long)]
        json: bool,
    },
    /// Add a face to an applicant: an image file, or a media of an earlier session
    /// (--session and --media, e.g. the liveness image `idv session get` lists); prints the
    /// face id.
    #[command(after_help = EXIT_CODES)]
    AddFace(AddFaceArgs),
    /// Show an applicant: its reference face, number of faces and pools.
    #[command(after_help = EXIT_CODES)]
    Get {
        /// The applicant id.
        applicant_id: String,
        /// Print the server's answer as JSON (control characters escaped) instead of a line.
        #[arg(long)]
        json: bool,
    },
    /// Delete an applicant (or, with --face, one of its faces). A 404 means it was already
    /// gone: that is reported and exits 0.
    #[command(after_help = EXIT_CODES)]
    Delete {
        /// The applicant id.
        applicant_id: String,
        /// Delete only this face of the applicant.
        #[arg(long, value_name = "FACE_ID")]
        face: Option<String>,
    },
}

/// The face of `idv applicant add-face`.
#[derive(Debug, Args)]
#[command(group(ArgGroup::new("face").required(true).args(["image", "session"])))]
pub(crate) struct AddFaceArgs {
    /// The applicant id.
    applicant_id: String,
    /// The face: a JPEG or PNG file (at most 10 MiB).
    #[arg(long, value_name = "IMAGE")]
    image: Option<PathBuf>,
    /// The face: the session that captured it (with --media).
    #[arg(long, value_name = "SESSION_ID", requires = "media")]
    session: Option<String>,
    /// The media id of the face image in that session.
    #[arg(long, value_name = "MEDIA_ID", requires = "session")]
    media: Option<String>,
    /// Print the server's answer as JSON (control characters escaped) instead of a line.
    #[arg(long)]
    json: bool,
}

/// `idv pool ...`
#[derive(Debug, Subcommand)]
pub(crate) enum PoolCommand {
    /// Create an applicant pool with a label; prints its id.
    #[command(after_help = EXIT_CODES)]
    Create {
        /// A human-readable name (echoed in FAMILIAR_FACE_SEARCH results).
        label: String,
        /// Print the server's answer as JSON (control characters escaped) instead of a line.
        #[arg(long)]
        json: bool,
    },
    /// Add an applicant to a pool.
    #[command(after_help = EXIT_CODES)]
    Add {
        /// The pool id.
        pool_id: String,
        /// The applicant id.
        applicant_id: String,
    },
    /// Remove an applicant from a pool (the applicant stays). A 404 means it was not in it:
    /// reported, exit 0.
    #[command(after_help = EXIT_CODES)]
    Remove {
        /// The pool id.
        pool_id: String,
        /// The applicant id.
        applicant_id: String,
    },
    /// Delete a pool (its applicants stay). A 404 means it was already gone: reported,
    /// exit 0.
    #[command(after_help = EXIT_CODES)]
    Delete {
        /// The pool id.
        pool_id: String,
    },
}

fn face_image(path: &Path) -> Result<FacePayload, Failure> {
    Ok(FacePayload::image(selfie::reference_image(path)?.image))
}

fn deleted(what: &str, outcome: Deleted) -> Result<(), Failure> {
    match outcome {
        Deleted::AlreadyGone => outln!("{what} was already gone (404)"),
        _ => outln!("deleted {what}"),
    }
}

/// Runs `idv applicant ...`.
pub(crate) fn applicant(global: &Global, command: ApplicantCommand) -> Result<(), Failure> {
    match command {
        ApplicantCommand::Create { image, json } => {
            let payload = match &image {
                Some(path) => CreateApplicantPayload::with_first_face(face_image(path)?),
                None => CreateApplicantPayload::new(),
            };
            let api = Api::connect(global, true)?;
            if json {
                return api.print_json("create applicant", CreateApplicant { payload: &payload });
            }
            let created = api
                .client
                .create_applicant(&payload)
                .map_err(|e| api.fail("create applicant", &e))?;
            outln!("created applicant {}", clean(&created.id))
        }
        ApplicantCommand::AddFace(args) => {
            let face = match (&args.image, &args.session, &args.media) {
                (Some(path), None, None) => face_image(path)?,
                (None, Some(session), Some(media)) => {
                    FacePayload::session_media(session.as_str().into(), media.as_str().into())
                }
                _ => {
                    return Err(Failure::usage(
                        "give either --image FILE or --session ID --media ID",
                    ));
                }
            };
            let api = Api::connect(global, true)?;
            let applicant_id = ApplicantId::from(args.applicant_id);
            let payload = AddFacePayload::new(face);
            if args.json {
                let add = AddApplicantFace {
                    applicant_id: &applicant_id,
                    payload: &payload,
                };
                return api.print_json("add face", add);
            }
            let added = api
                .client
                .add_applicant_face(&applicant_id, &payload)
                .map_err(|e| api.fail("add face", &e))?;
            outln!(
                "added face {} to applicant {}",
                clean(&added.id),
                clean(&applicant_id)
            )
        }
        ApplicantCommand::Get { applicant_id, json } => {
            let api = Api::connect(global, true)?;
            let applicant_id = ApplicantId::from(applicant_id);
            if json {
                let get = GetApplicant {
                    applicant_id: &applicant_id,
                };
                return api.print_json("get applicant", get);
            }
            let a = api
                .client
                .get_applicant(&applicant_id)
                .map_err(|e| api.fail("get applicant", &e))?;
            let mut text = format!("applicant {}\n", clean(&a.id));
            if let Some(face) = &a.faces.archetype_face {
                text.push_str(&format!("reference face: {}\n", clean(face)));
            }
            text.push_str(&format!("faces: {}\n", a.faces.faces.len()));
            for pool in &a.pools {
                text.push_str(&format!(
                    "pool {} {}\n",
                    clean(&pool.id),
                    clean(pool.label.as_deref().unwrap_or(""))
                ));
            }
            crate::out::print(&text)
        }
        ApplicantCommand::Delete { applicant_id, face } => {
            let api = Api::connect(global, true)?;
            let id = ApplicantId::from(applicant_id);
            match face {
                Some(face) => {
                    let face = FaceId::from(face);
                    let outcome = api
                        .client
                        .delete_applicant_face(&id, &face)
                        .map_err(|e| api.fail("delete face", &e))?;
                    deleted(
                        &format!("face {} of applicant {}", clean(&face), clean(&id)),
                        outcome,
                    )
                }
                None => {
                    let outcome = api
                        .client
                        .delete_applicant(&id)
                        .map_err(|e| api.fail("delete applicant", &e))?;
                    deleted(&format!("applicant {}", clean(&id)), outcome)
                }
            }
        }
    }
}

/// Runs `idv pool ...`.
pub(crate) fn pool(global: &Global, command: PoolCommand) -> Result<(), Failure> {
    let api = Api::connect(global, true)?;
    match command {
        PoolCommand::Create { label, json } => {
            let payload = CreatePoolPayload::new(label);
            if json {
                return api.print_json("create pool", CreatePool { payload: &payload });
            }
            let pool = api
                .client
                .create_pool(&payload)
                .map_err(|e| api.fail("create pool", &e))?;
            outln!("created pool {}", clean(&pool.id))
        }
        PoolCommand::Add {
            pool_id,
            applicant_id,
        } => {
            let (pool, applicant) = (PoolId::from(pool_id), ApplicantId::from(applicant_id));
            api.client
                .add_pool_applicant(&pool, &applicant)
                .map_err(|e| api.fail("add applicant to pool", &e))?;
            outln!(
                "added applicant {} to pool {}",
                clean(&applicant),
                clean(&pool)
            )
        }
        PoolCommand::Remove {
            pool_id,
            applicant_id,
        } => {
            let (pool, applicant) = (PoolId::from(pool_id), ApplicantId::from(applicant_id));
            let outcome = api
                .client
                .remove_pool_applicant(&pool, &applicant)
                .map_err(|e| api.fail("remove applicant from pool", &e))?;
            match outcome {
                Deleted::AlreadyGone => outln!(
                    "applicant {} was not in pool {} (404)",
                    clean(&applicant),
                    clean(&pool)
                ),
                _ => outln!(
                    "removed applicant {} from pool {}",
                    clean(&applicant),
                    clean(&pool)
                ),
            }
        }
        PoolCommand::Delete { pool_id } => {
            let pool = PoolId::from(pool_id);
            let outcome = api
                .client
                .delete_pool(&pool)
                .map_err(|e| api.fail("delete pool", &e))?;
            deleted(&format!("pool {}", clean(&pool)), outcome)
        }
    }
}
