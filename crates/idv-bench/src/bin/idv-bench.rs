//! `idv-bench`: the benchmarks that need a server or a process of their own.
//!
//! ```text
//! idv-bench setup --base-url URL --sdk-id ID --key KEY.pem
//!     creates a session on the emulator, completes it through the sandbox agent (so it has
//!     checks and resources) and prints its id
//! idv-bench e2e --case blocking|blocking-resolver|async1|async8|async32 --base-url URL --sdk-id ID
//!     --key KEY.pem --session ID [--backend rust-crypto|aws-lc-rs] [--secs 5] [--max 20000]
//!     get-session requests per second against a running emulator; one JSON line
//! idv-bench media [--size-mib 64]
//!     peak RSS of a media download, one child process per case; one JSON line per case
//! idv-bench loop --what sign|digest|get_session|create_session|parse|decode_typed|decode_value|decode_parse
//!     [--n 100] [--backend B]
//!     one offline step N times, to count instructions under valgrind --tool=callgrind
//! idv-bench report --dir OUT --criterion target/criterion
//!     the Markdown report of a scripts/bench.sh run
//! ```
//!
//! Every loop is bounded by a request count and a duration and talks to 127.0.0.1 only.
//! `scripts/bench.sh` runs all of this; read `BENCHMARKS.md` for what the figures mean.

#![cfg_attr(not(test), warn(unused_crate_dependencies))]

// Dependencies of the `idv_bench` library that this binary reaches only through it.
use http as _;
use idv_transport_ureq as _;

use std::collections::HashMap;
use std::io::Read;
use std::process::{Command, ExitCode};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use idv::model::CreateFaceCaptureResourcePayload;
use idv::{Backend, ClientBuilder, PrivateKey};
use idv_bench::{cpu_time_us, current_rss_kib, media_server, peak_rss_kib};

type BoxError = Box<dyn std::error::Error + Send + Sync>;

const USAGE: &str = "usage: idv-bench setup|e2e|media [--flag value]... (see the source's docs)";

/// The reference image the setup uploads (the examples' face).
const REFERENCE_JPEG: &[u8] = include_bytes!("../../../../examples/data/reference-face.jpg");

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let Some(command) = args.next() else {
        eprintln!("{USAGE}");
        return ExitCode::from(2);
    };
    let flags = match parse_flags(args) {
        Ok(flags) => flags,
        Err(e) => {
            eprintln!("idv-bench: {e}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let result = match command.as_str() {
        "setup" => setup(&flags),
        "e2e" => e2e(&flags),
        "media" => media(&flags),
        "media-child" => media_child(&flags),
        "loop" => offline_loop(&flags),
        "report" => report(&flags),
        _ => Err(format!("unknown command '{command}'").into()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("idv-bench {command}: {e}");
            ExitCode::FAILURE
        }
    }
}

/// `--name value` pairs.
#[derive(Debug)]
struct Flags(HashMap<String, String>);

fn parse_flags(mut args: impl Iterator<Item = String>) -> Result<Flags, String> {
    let mut map = HashMap::new();
    while let Some(arg) = args.next() {
        let name = arg
            .strip_prefix("--")
            .ok_or_else(|| format!("unexpected argument '{arg}'"))?;
        let value = args
            .next()
            .ok_or_else(|| format!("--{name} needs a value"))?;
        map.insert(name.to_owned(), value);
    }
    Ok(Flags(map))
}

impl Flags {
    fn get(&self, name: &str) -> Result<&str, BoxError> {
        self.0
            .get(name)
            .map(String::as_str)
            .ok_or_else(|| format!("--{name} is required").into())
    }

    fn get_or<T: std::str::FromStr>(&self, name: &str, default: T) -> Result<T, BoxError> {
        match self.0.get(name) {
            None => Ok(default),
            Some(v) => v
                .parse()
                .map_err(|_| format!("--{name}: '{v}' is not valid").into()),
        }
    }
}

fn backend(flags: &Flags) -> Result<Backend, BoxError> {
    match flags.0.get("backend").map(String::as_str) {
        None => Backend::default_backend().ok_or_else(|| "no signing backend".into()),
        Some(name) => Backend::available()
            .iter()
            .copied()
            .find(|b| b.name() == name)
            .ok_or_else(|| format!("--backend: unknown backend '{name}'").into()),
    }
}

fn config(flags: &Flags) -> Result<ClientBuilder, BoxError> {
    let pem = std::fs::read(flags.get("key")?)?;
    let key = PrivateKey::from_pem_with_backend(&pem, backend(flags)?)?;
    Ok(ClientBuilder::new()
        .sdk_id(flags.get("sdk-id")?)
        .key(key)
        .base_url(flags.get("base-url")?))
}

/// Creates a liveness + face-comparison session, uploads the reference image, completes it
/// with the sandbox agent, and prints the session id.
fn setup(flags: &Flags) -> Result<(), BoxError> {
    let client = config(flags)?.build_blocking()?;
    let created = client.create_session(&idv_bench::fixtures::session_specification())?;
    let session_id = &created.session_id;
    let configuration = client.get_session_configuration(session_id)?;
    if let Some(requirement) = configuration.face_capture_requirements().next() {
        let resource = client.create_face_capture_resource(
            session_id,
            &CreateFaceCaptureResourcePayload::new(requirement.id.clone()),
        )?;
        client.upload_face_capture_image(
            session_id,
            &resource.id,
            &idv::model::UploadFaceCaptureImagePayload::jpeg(REFERENCE_JPEG.to_vec()),
        )?;
    }
    client.sandbox_complete_session(session_id, &created.client_session_token)?;
    let session = client.get_session(session_id)?;
    if !session.is_completed() {
        return Err("the session did not complete".into());
    }
    println!("{session_id}");
    Ok(())
}

/// `--what STEP --n N [--backend B]`: runs one offline step N times, for
/// `valgrind --tool=callgrind` (instruction counts do not depend on what else the machine is
/// doing). `sign` is the raw signature, `digest` the header value, `get_session` and
/// `create_session` build + sign + parse as in the `per_call` bench, `parse` the 20 KB
/// get-session parse alone; `decode_typed`, `decode_value` and `decode_parse` decode the
/// 1 MiB session result as the `decode` bench does.
fn offline_loop(flags: &Flags) -> Result<(), BoxError> {
    use idv_bench::{BENCH_SDK_ID, OFFLINE_BASE_URL, TEST_KEY_PEM, fixtures};
    use idv_core::Operation;
    use idv_core::operations::{CreateSession, GetSession};

    let what = flags.get("what")?;
    let n: u64 = flags.get_or("n", 100)?;
    let key = PrivateKey::from_pem_with_backend(TEST_KEY_PEM.as_bytes(), backend(flags)?)?;
    let signer = idv_auth::RequestSigner::new(BENCH_SDK_ID, key.clone());
    let base = idv_core::BaseUrl::parse(OFFLINE_BASE_URL)?;
    let spec = fixtures::session_specification();
    let create = CreateSession { spec: &spec };
    let created = fixtures::json_response(201, fixtures::create_session_response_body());
    let get = GetSession {
        session_id: &fixtures::SESSION_ID.into(),
    };
    let session = fixtures::json_response(200, fixtures::session_result_20k());
    let target = "/sessions/a1b2c3d4-e5f6-4a0b-8c1d-2e3f4a5b6c7d?sdkId=00000000-0000-4000-8000-0000000bench&nonce=6b1f0c3e-9a47-4d2b-8f3e-2c5d7a9b1e04&timestamp=1767225601000";
    let message = format!("GET&{target}");
    let large = if what.starts_with("decode_") {
        fixtures::session_result_1m()
    } else {
        Vec::new()
    };
    for _ in 0..n {
        match what {
            "sign" => drop(std::hint::black_box(key.sign(message.as_bytes())?)),
            "digest" => drop(std::hint::black_box(signer.digest("GET", target, None)?)),
            "get_session" => {
                let http = get.request()?.to_http(&base, &signer)?;
                std::hint::black_box(&http);
                std::hint::black_box(get.parse(session.clone())?);
            }
            "create_session" => {
                let http = create.request()?.to_http(&base, &signer)?;
                std::hint::black_box(&http);
                std::hint::black_box(create.parse(created.clone())?);
            }
            "parse" => drop(std::hint::black_box(get.parse(session.clone())?)),
            "decode_typed" => drop(std::hint::black_box(serde_json::from_slice::<
                idv_model::GetSessionResult,
            >(&large)?)),
            "decode_value" => drop(std::hint::black_box(serde_json::from_slice::<
                serde_json::Value,
            >(&large)?)),
            "decode_parse" => drop(std::hint::black_box(
                get.parse(fixtures::json_response(200, large.clone()))?,
            )),
            other => return Err(format!("--what: unknown step '{other}'").into()),
        }
    }
    Ok(())
}

/// `--dir OUT --criterion DIR`: prints the Markdown report of a `scripts/bench.sh` run.
fn report(flags: &Flags) -> Result<(), BoxError> {
    let dir = std::path::Path::new(flags.get("dir")?);
    let criterion = std::path::Path::new(flags.get("criterion")?);
    print!("{}", idv_bench::report::render(dir, criterion));
    Ok(())
}

/// How many requests a loop may still start, and until when.
struct Budget {
    left: AtomicU64,
    deadline: Instant,
}

impl Budget {
    fn take(&self) -> bool {
        Instant::now() < self.deadline
            && self
                .left
                .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |n| n.checked_sub(1))
                .is_ok()
    }
}

/// CPU time (all threads of this process) used since `start`, in microseconds.
fn cpu_since(start: Option<u64>) -> Option<u64> {
    Some(cpu_time_us()?.saturating_sub(start?))
}

/// One end-to-end case: get-session in a loop for `--secs` seconds or `--max` requests,
/// after a warm-up of 300 ms. Prints `{"case", "backend", "requests", "errors", "secs", "rps",
/// "cpu_us_per_request"}`: the last is this client process's CPU time (user + system, all
/// threads) per request, which depends much less than `rps` on what else the machine runs.
fn e2e(flags: &Flags) -> Result<(), BoxError> {
    let case = flags.get("case")?.to_owned();
    let session = idv::model::SessionId::from(flags.get("session")?);
    let secs: f64 = flags.get_or("secs", 5.0)?;
    let max: u64 = flags.get_or("max", 20_000)?;
    let config = config(flags)?;
    let backend = backend(flags)?.name();
    let warm_up = Duration::from_millis(300);

    let (requests, errors, elapsed, cpu_us) = if case.starts_with("blocking") {
        let client = match case.as_str() {
            "blocking" => config.build_blocking()?,
            // The same transport over an agent whose resolver starts no thread per request
            // (see `idv_bench::ureq_resolver`).
            "blocking-resolver" => {
                let agent = idv_bench::ureq_resolver::agent(&idv::TransportConfig::default());
                let transport = idv::transport::UreqTransport::from_agent(
                    agent,
                    idv::TransportConfig::default().max_response_bytes,
                );
                config.build_blocking_with_transport(transport)?
            }
            other => return Err(format!("--case: unknown case '{other}'").into()),
        };
        let run = |budget: &Budget| {
            let (mut ok, mut failed) = (0u64, 0u64);
            while budget.take() {
                match client.get_session(&session) {
                    Ok(_) => ok += 1,
                    Err(_) => failed += 1,
                }
            }
            (ok, failed)
        };
        run(&Budget {
            left: AtomicU64::new(u64::MAX),
            deadline: Instant::now() + warm_up,
        });
        let cpu = cpu_time_us();
        let start = Instant::now();
        let (ok, failed) = run(&Budget {
            left: AtomicU64::new(max),
            deadline: start + Duration::from_secs_f64(secs),
        });
        (ok, failed, start.elapsed(), cpu_since(cpu))
    } else {
        let concurrency: usize = case
            .strip_prefix("async")
            .and_then(|n| n.parse().ok())
            .filter(|&n| n > 0)
            .ok_or_else(|| format!("--case: '{case}' is not blocking or asyncN"))?;
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()?;
        runtime.block_on(async move {
            let client = config.build()?;
            let run = |budget: Arc<Budget>| {
                let tasks: Vec<_> = (0..concurrency)
                    .map(|_| {
                        let client = client.clone();
                        let session = session.clone();
                        let budget = Arc::clone(&budget);
                        tokio::spawn(async move {
                            let (mut ok, mut failed) = (0u64, 0u64);
                            while budget.take() {
                                match client.get_session(&session).await {
                                    Ok(_) => ok += 1,
                                    Err(_) => failed += 1,
                                }
                            }
                            (ok, failed)
                        })
                    })
                    .collect();
                async move {
                    let (mut ok, mut failed) = (0, 0);
                    for task in tasks {
                        let (o, f) = task.await.unwrap_or((0, 1));
                        ok += o;
                        failed += f;
                    }
                    (ok, failed)
                }
            };
            run(Arc::new(Budget {
                left: AtomicU64::new(u64::MAX),
                deadline: Instant::now() + warm_up,
            }))
            .await;
            let cpu = cpu_time_us();
            let start = Instant::now();
            let (ok, failed) = run(Arc::new(Budget {
                left: AtomicU64::new(max),
                deadline: start + Duration::from_secs_f64(secs),
            }))
            .await;
            Ok::<_, BoxError>((ok, failed, start.elapsed(), cpu_since(cpu)))
        })?
    };
    let secs = elapsed.as_secs_f64();
    let cpu_per_request = cpu_us.map_or("null".to_owned(), |us| {
        format!("{:.1}", us as f64 / requests.max(1) as f64)
    });
    println!(
        "{{\"case\":\"{case}\",\"backend\":\"{backend}\",\"requests\":{requests},\"errors\":{errors},\"secs\":{secs:.3},\"rps\":{:.1},\"cpu_us_per_request\":{cpu_per_request}}}",
        requests as f64 / secs
    );
    if errors > 0 {
        return Err(format!("{errors} requests failed").into());
    }
    Ok(())
}

/// The media download cases, each measured in a child process of its own.
const MEDIA_CASES: &[&str] = &[
    "blocking-buffered",
    "async-buffered",
    "blocking-streaming",
    "async-streaming",
];

/// Serves the media from [`media_server`] and runs one `media-child` per case.
fn media(flags: &Flags) -> Result<(), BoxError> {
    let size_mib: usize = flags.get_or("size-mib", 64)?;
    let size = size_mib * 1024 * 1024;
    let server = media_server::start(size)?;
    let exe = std::env::current_exe()?;
    for case in MEDIA_CASES {
        let output = Command::new(&exe)
            .args(["media-child", "--case", case, "--base-url"])
            .arg(server.base_url())
            .args(["--size", &size.to_string()])
            .output()?;
        let stdout = String::from_utf8_lossy(&output.stdout);
        if output.status.success() {
            print!("{stdout}");
        } else {
            let why = String::from_utf8_lossy(&output.stderr);
            let why = why.trim().replace('"', "'");
            println!("{{\"case\":\"{case}\",\"error\":\"{why}\"}}");
        }
    }
    Ok(())
}

/// One media download in this (child) process: a warm-up download of 1 KiB, the baseline
/// peak RSS, the download, the new peak RSS.
fn media_child(flags: &Flags) -> Result<(), BoxError> {
    let case = flags.get("case")?;
    let base_url = flags.get("base-url")?;
    let size: u64 = flags.get_or("size", 64 * 1024 * 1024)?;
    let key = PrivateKey::from_pem(idv_bench::TEST_KEY_PEM)?;
    let config = ClientBuilder::new()
        .sdk_id(idv_bench::BENCH_SDK_ID)
        .key(key)
        .base_url(base_url);
    let (session, media_id) = (
        &idv::model::SessionId::from("session"),
        &idv::model::MediaId::from("media"),
    );

    let (baseline, bytes) = match case {
        "blocking-buffered" | "blocking-streaming" => {
            let client = config.build_blocking()?;
            let warm = client.get_media_content(session, &"small".into())?;
            std::hint::black_box(&warm);
            drop(warm);
            let baseline = rss_now()?;
            let bytes = if case == "blocking-buffered" {
                let media = client.get_media_content(session, media_id)?;
                media.map_or(0, |m| m.content.len() as u64)
            } else {
                let reader = client.get_media_content_reader(session, media_id)?;
                reader.map_or(Ok(0), drain)?
            };
            (baseline, bytes)
        }
        "async-buffered" | "async-streaming" => {
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .enable_all()
                .build()?;
            runtime.block_on(async {
                let client = config.build()?;
                let warm = client.get_media_content(session, &"small".into()).await?;
                std::hint::black_box(&warm);
                drop(warm);
                let baseline = rss_now()?;
                let bytes = if case == "async-buffered" {
                    let media = client.get_media_content(session, media_id).await?;
                    media.map_or(0, |m| m.content.len() as u64)
                } else {
                    let mut total = 0u64;
                    if let Some(mut stream) =
                        client.get_media_content_stream(session, media_id).await?
                    {
                        while let Some(chunk) = stream.next_chunk().await {
                            total += chunk?.len() as u64;
                        }
                    }
                    total
                };
                Ok::<_, BoxError>((baseline, bytes))
            })?
        }
        other => return Err(format!("unknown case '{other}'").into()),
    };
    let peak = peak_rss_kib().ok_or("no /proc/self/status")?;
    if bytes != size {
        return Err(format!("downloaded {bytes} bytes, expected {size}").into());
    }
    println!(
        "{{\"case\":\"{case}\",\"bytes\":{bytes},\"baseline_kib\":{baseline},\"peak_kib\":{peak},\"above_baseline_kib\":{}}}",
        peak.saturating_sub(baseline)
    );
    Ok(())
}

/// The peak RSS so far (after the warm-up, the high-water mark is the baseline).
fn rss_now() -> Result<u64, BoxError> {
    let peak = peak_rss_kib().ok_or("no /proc/self/status")?;
    let current = current_rss_kib().ok_or("no /proc/self/status")?;
    Ok(peak.max(current))
}

/// Reads `reader` to the end through a 64 KiB buffer, keeping nothing; the byte count.
fn drain(mut reader: impl Read) -> std::io::Result<u64> {
    let mut buf = vec![0u8; 64 * 1024];
    let mut total = 0u64;
    loop {
        match reader.read(&mut buf)? {
            0 => return Ok(total),
            n => total += n as u64,
        }
    }
}
