//! `idv-bench`: the benchmarks that need a server or a process of their own.
//!
//! ```text
//! idv-bench setup --base-url URL --sdk-id ID --key KEY.pem
//!     creates a session on the emulator, completes it through the sandbox agent (so it has
//!     checks and resources) and prints its id
//! idv-bench e2e --case blocking|blocking-ureq-resolver|async1|async8|async32 --base-url URL --sdk-id ID
//!     --key KEY.pem --session ID [--backend rust-crypto|aws-lc-rs] [--secs 5] [--max 20000]
//!     get-session requests per second against a running emulator; one JSON line
//! idv-bench media [--size-mib 64]
//!     peak RSS of a media download, one child process per case; one JSON line per case
//! idv-bench loop --what sign|digest|get_session|create_session|parse|decode_typed|decode_value|decode_parse
//!     [--n 100] [--backend B]
//!     one offline step N times, to count instructions under valgrind --tool=callgrind
//! idv-bench startup --runs 15 --base-url URL --sdk-id ID --key KEY.pem --session ID
//!     [--node-dir DIR] [--python PATH]
//!     process start to the first completed get-session, per client; one JSON line each
//! idv-bench wait --sessions 10000 --interval 20 --base-url URL --admin-url URL --sdk-id ID
//!     --key KEY.pem
//!     10,000 concurrent wait_for_completion: memory per wait, requests/s, time to see them end
//! idv-bench flows --concurrency 8 --flows 500 --server-pid PID --base-url URL --sdk-id ID
//!     --key KEY.pem
//!     full selfie flows per second, CPU per flow (client and emulator), emulator memory
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
    let started = Instant::now();
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
        "startup" => startup(&flags),
        "startup-child" => startup_child(&flags, started),
        "wait" => wait_bench(&flags),
        "flows" => flows(&flags),
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
    // The emulator's sandbox base for both: its sessions can be completed by the agent.
    let base = flags.get("base-url")?;
    Ok(ClientBuilder::new()
        .sdk_id(flags.get("sdk-id")?)
        .key(key)
        .base_url(base)
        .sandbox_base_url(base))
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

/// CPU time the server process `pid` used since `start`, in microseconds.
fn server_cpu_since(pid: Option<u32>, start: Option<u64>) -> Option<u64> {
    Some(idv_bench::process_cpu_time_us(pid?)?.saturating_sub(start?))
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

    let server: Option<u32> = match flags.0.get("server-pid") {
        Some(pid) => Some(pid.parse()?),
        None => None,
    };
    let (requests, errors, elapsed, cpu_us, server_us) = if case.starts_with("blocking") {
        let client = match case.as_str() {
            "blocking" => config.build_blocking()?,
            // The transport as it was before its caching resolver: an agent configured the
            // same way over ureq's default resolver (a thread and a lookup per request).
            "blocking-ureq-resolver" => {
                let transport_config = idv::TransportConfig::default();
                let agent: idv_transport_ureq::ureq::Agent =
                    idv_transport_ureq::ureq::Agent::config_builder()
                        .http_status_as_error(false)
                        .max_redirects(0)
                        .timeout_global(Some(transport_config.timeout))
                        .timeout_connect(Some(transport_config.connect_timeout))
                        .build()
                        .into();
                let transport = idv::transport::UreqTransport::from_agent(
                    agent,
                    transport_config.max_response_bytes,
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
        let (cpu, server_cpu) = (
            cpu_time_us(),
            server.and_then(idv_bench::process_cpu_time_us),
        );
        let start = Instant::now();
        let (ok, failed) = run(&Budget {
            left: AtomicU64::new(max),
            deadline: start + Duration::from_secs_f64(secs),
        });
        (
            ok,
            failed,
            start.elapsed(),
            cpu_since(cpu),
            server_cpu_since(server, server_cpu),
        )
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
            let (cpu, server_cpu) = (
                cpu_time_us(),
                server.and_then(idv_bench::process_cpu_time_us),
            );
            let start = Instant::now();
            let (ok, failed) = run(Arc::new(Budget {
                left: AtomicU64::new(max),
                deadline: start + Duration::from_secs_f64(secs),
            }))
            .await;
            Ok::<_, BoxError>((
                ok,
                failed,
                start.elapsed(),
                cpu_since(cpu),
                server_cpu_since(server, server_cpu),
            ))
        })?
    };
    let secs = elapsed.as_secs_f64();
    let cpu_per_request = cpu_us.map_or("null".to_owned(), |us| {
        format!("{:.1}", us as f64 / requests.max(1) as f64)
    });
    let server_per_request = server_us.map_or("null".to_owned(), |us| {
        format!("{:.1}", us as f64 / requests.max(1) as f64)
    });
    println!(
        "{{\"case\":\"{case}\",\"backend\":\"{backend}\",\"requests\":{requests},\"errors\":{errors},\"secs\":{secs:.3},\"rps\":{:.1},\"cpu_us_per_request\":{cpu_per_request},\"server_cpu_us_per_request\":{server_per_request}}}",
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

// ---------------------------------------------------------------------------------------
// Memory: a counting global allocator (bytes currently allocated by this process).

/// The system allocator, counting the bytes currently allocated.
struct CountingAllocator;

/// Bytes currently allocated through [`CountingAllocator`].
static LIVE_BYTES: std::sync::atomic::AtomicI64 = std::sync::atomic::AtomicI64::new(0);

#[global_allocator]
static ALLOCATOR: CountingAllocator = CountingAllocator;

// The only unsafe code of the workspace: delegating to the system allocator, as every global
// allocator must, and counting.
#[allow(unsafe_code)]
unsafe impl std::alloc::GlobalAlloc for CountingAllocator {
    unsafe fn alloc(&self, layout: std::alloc::Layout) -> *mut u8 {
        // SAFETY: the caller's contract for `alloc` is passed on unchanged.
        let ptr = unsafe { std::alloc::System.alloc(layout) };
        if !ptr.is_null() {
            LIVE_BYTES.fetch_add(layout.size() as i64, Ordering::Relaxed);
        }
        ptr
    }

    unsafe fn alloc_zeroed(&self, layout: std::alloc::Layout) -> *mut u8 {
        // SAFETY: as for `alloc`.
        let ptr = unsafe { std::alloc::System.alloc_zeroed(layout) };
        if !ptr.is_null() {
            LIVE_BYTES.fetch_add(layout.size() as i64, Ordering::Relaxed);
        }
        ptr
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: std::alloc::Layout) {
        // SAFETY: `ptr` was allocated by `System` with `layout` (we allocate through it only).
        unsafe { std::alloc::System.dealloc(ptr, layout) };
        LIVE_BYTES.fetch_sub(layout.size() as i64, Ordering::Relaxed);
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: std::alloc::Layout, new_size: usize) -> *mut u8 {
        // SAFETY: as for `dealloc`, and `new_size` is the caller's, checked by its contract.
        let new = unsafe { std::alloc::System.realloc(ptr, layout, new_size) };
        if !new.is_null() {
            LIVE_BYTES.fetch_add(new_size as i64 - layout.size() as i64, Ordering::Relaxed);
        }
        new
    }
}

fn live_bytes() -> i64 {
    LIVE_BYTES.load(Ordering::Relaxed)
}

// ---------------------------------------------------------------------------------------
// Start-up: process start to the first completed get_session.

/// `startup --runs N --base-url URL --sdk-id ID --key KEY.pem --session ID [--node-dir DIR]
/// [--python PATH]`: starts a fresh process N times per client and measures, from this
/// process, the wall time from spawning it to its exit after one get-session: `idv-bench
/// startup-child --kind blocking|async`, the official Node SDK (`node -e`, requiring `yoti`)
/// and, with `--python`, the official Python SDK (`python -c`). One JSON line per client:
/// median and lowest of the runs, and the phases the Rust child reports (of its median run).
fn startup(flags: &Flags) -> Result<(), BoxError> {
    let runs: usize = flags.get_or("runs", 15)?;
    let (base_url, sdk_id, key, session) = (
        flags.get("base-url")?,
        flags.get("sdk-id")?,
        flags.get("key")?,
        flags.get("session")?,
    );
    let exe = std::env::current_exe()?;
    let mut clients: Vec<(String, Command)> = Vec::new();
    for kind in ["blocking", "async"] {
        let mut command = Command::new(&exe);
        command.args(["startup-child", "--kind", kind, "--base-url", base_url]);
        command.args(["--sdk-id", sdk_id, "--key", key, "--session", session]);
        clients.push((kind.to_owned(), command));
    }
    if let Ok(node_dir) = flags.get("node-dir") {
        let mut command = Command::new("node");
        command.env("NODE_PATH", format!("{node_dir}/node_modules"));
        command.args(["-e", NODE_STARTUP, sdk_id, key, base_url, session]);
        clients.push(("node".to_owned(), command));
    }
    if let Ok(python) = flags.get("python") {
        let mut command = Command::new(python);
        command.args(["-c", PYTHON_STARTUP, sdk_id, key, base_url, session]);
        clients.push(("python".to_owned(), command));
    }
    // Interleaved, so that a change in the machine's load touches every client alike.
    let mut times: Vec<Vec<(f64, String)>> = vec![Vec::new(); clients.len()];
    for _ in 0..runs {
        for (i, (name, command)) in clients.iter_mut().enumerate() {
            let start = Instant::now();
            let output = command.output()?;
            let ms = start.elapsed().as_secs_f64() * 1000.0;
            if !output.status.success() {
                return Err(
                    format!("{name}: {}", String::from_utf8_lossy(&output.stderr).trim()).into(),
                );
            }
            times[i].push((
                ms,
                String::from_utf8_lossy(&output.stdout).trim().to_owned(),
            ));
        }
    }
    for ((name, _), mut runs) in clients.iter().zip(times) {
        runs.sort_by(|a, b| a.0.total_cmp(&b.0));
        let (median, phases) = &runs[runs.len() / 2];
        let phases = if phases.starts_with('{') {
            phases.as_str()
        } else {
            "null"
        };
        println!(
            "{{\"startup\":\"{name}\",\"runs\":{},\"median_ms\":{median:.1},\"min_ms\":{:.1},\"phases\":{phases}}}",
            runs.len(),
            runs[0].0
        );
    }
    Ok(())
}

/// The Node SDK's start-up case: require `yoti`, make a client, one getSession.
const NODE_STARTUP: &str = "const [sdkId, key, apiUrl, sid] = process.argv.slice(1); \
     const { IDVClient } = require('yoti'); \
     new IDVClient(sdkId, require('fs').readFileSync(key, 'utf8'), { apiUrl }) \
     .getSession(sid).then(() => {}, (e) => { console.error(e.message); process.exit(1); });";

/// The Python SDK's start-up case: import it, make a client, one get_session.
const PYTHON_STARTUP: &str = "import sys\n\
     from yoti_python_sdk.doc_scan import DocScanClient\n\
     sdk_id, key, api_url, sid = sys.argv[1:]\n\
     DocScanClient(sdk_id, key, api_url=api_url).get_session(sid)\n";

/// `startup-child --kind blocking|async ...`: loads the key, builds the client, makes one
/// get-session; prints the time of each phase (µs since `main` started).
fn startup_child(flags: &Flags, started: Instant) -> Result<(), BoxError> {
    let kind = flags.get("kind")?;
    let session = idv::model::SessionId::from(flags.get("session")?);
    let pem = std::fs::read_to_string(flags.get("key")?)?;
    let key = PrivateKey::from_pem(&pem)?;
    let key_loaded = started.elapsed();
    let builder = ClientBuilder::new()
        .sdk_id(flags.get("sdk-id")?)
        .key(key)
        .base_url(flags.get("base-url")?);
    let (built, called) = match kind {
        "blocking" => {
            let client = builder.build_blocking()?;
            let built = started.elapsed();
            client.get_session(&session)?;
            (built, started.elapsed())
        }
        "async" => {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()?;
            runtime.block_on(async {
                let client = builder.build()?;
                let built = started.elapsed();
                client.get_session(&session).await?;
                Ok::<_, BoxError>((built, started.elapsed()))
            })?
        }
        other => return Err(format!("--kind: unknown '{other}'").into()),
    };
    println!(
        "{{\"key_loaded_us\":{},\"client_built_us\":{},\"first_call_done_us\":{}}}",
        key_loaded.as_micros(),
        built.as_micros(),
        called.as_micros()
    );
    Ok(())
}

// ---------------------------------------------------------------------------------------
// A sign-up day: 10,000 concurrent waits in one process.

/// An async transport counting the requests it sends (retries included).
struct CountingTransport {
    inner: idv::transport::ReqwestTransport,
    sent: Arc<AtomicU64>,
}

#[async_trait::async_trait]
impl idv::AsyncTransport for CountingTransport {
    async fn send(
        &self,
        request: http::Request<Vec<u8>>,
    ) -> Result<http::Response<Vec<u8>>, idv::TransportError> {
        self.sent.fetch_add(1, Ordering::Relaxed);
        self.inner.send(request).await
    }

    async fn sleep(&self, duration: Duration) {
        self.inner.sleep(duration).await
    }
}

/// Posts `body` to the emulator's admin API (`--admin`), which is not signed.
fn admin_post(admin_url: &str, path: &str, body: &str) -> Result<(), BoxError> {
    let response = idv_transport_ureq::ureq::post(format!("{admin_url}{path}"))
        .header("content-type", "application/json")
        .send(body)?;
    if !response.status().is_success() {
        return Err(format!("admin {path}: {}", response.status()).into());
    }
    Ok(())
}

/// `wait --sessions N --interval SECS --base-url URL --admin-url URL --sdk-id ID --key KEY
/// [--settle SECS] [--window SECS]`: creates N sessions, starts N concurrent
/// `wait_for_completion` on one async client (fixed interval, default jitter), lets the first
/// polls settle, then over the window counts the requests actually sent (against N ÷
/// interval) and samples the bytes allocated per waiting session (a counting allocator:
/// this process only, the emulator runs in its own). Then ends every session at once
/// (advancing the emulator's clock past their deadline through its admin API: they become
/// `EXPIRED`, which ends a wait as `COMPLETED` does) and measures the time until every wait
/// has returned. One JSON line.
fn wait_bench(flags: &Flags) -> Result<(), BoxError> {
    let sessions: usize = flags.get_or("sessions", 10_000)?;
    let interval = Duration::from_secs_f64(flags.get_or("interval", 20.0)?);
    let settle = Duration::from_secs_f64(flags.get_or("settle", 1.5 * interval.as_secs_f64())?);
    let window = Duration::from_secs_f64(flags.get_or("window", interval.as_secs_f64())?);
    let admin_url = flags.get("admin-url")?.to_owned();
    let config = config(flags)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async move {
        let sent = Arc::new(AtomicU64::new(0));
        let transport = CountingTransport {
            inner: idv::transport::ReqwestTransport::new(idv::TransportConfig::default())?,
            sent: Arc::clone(&sent),
        };
        let client = config.build_with_transport(transport)?;

        // The sessions, created 32 at a time.
        let spec = idv_bench::fixtures::session_specification();
        let mut ids = Vec::with_capacity(sessions);
        let created_at = Instant::now();
        while ids.len() < sessions {
            let batch = (sessions - ids.len()).min(32);
            let mut tasks = Vec::with_capacity(batch);
            for _ in 0..batch {
                let (client, spec) = (client.clone(), spec.clone());
                tasks.push(tokio::spawn(async move { client.create_session(&spec).await }));
            }
            for task in tasks {
                ids.push(task.await??.session_id);
            }
        }
        eprintln!("created {sessions} sessions in {:.1?}", created_at.elapsed());

        let options = idv::WaitOptions::new(Duration::from_secs(3600))
            .with_initial_interval(interval)
            .with_max_interval(interval)
            .with_multiplier(1.0);
        let baseline = live_bytes();
        let done = Arc::new(AtomicU64::new(0));
        let failed = Arc::new(AtomicU64::new(0));
        let started = Instant::now();
        let mut tasks = Vec::with_capacity(sessions);
        for id in ids {
            let (client, options) = (client.clone(), options.clone());
            let (done, failed) = (Arc::clone(&done), Arc::clone(&failed));
            tasks.push(tokio::spawn(async move {
                match client.wait_for_completion(&id, &options).await {
                    Ok(_) => done.fetch_add(1, Ordering::Relaxed),
                    Err(_) => failed.fetch_add(1, Ordering::Relaxed),
                };
            }));
        }
        tokio::time::sleep(settle).await;

        // The window: requests sent, and the allocated bytes sampled 20 times.
        let sent_before = sent.load(Ordering::Relaxed);
        let window_start = Instant::now();
        let mut samples = Vec::new();
        for _ in 0..20 {
            tokio::time::sleep(window / 20).await;
            samples.push(live_bytes() - baseline);
        }
        let window_secs = window_start.elapsed().as_secs_f64();
        let sent_in_window = sent.load(Ordering::Relaxed) - sent_before;
        let rate = sent_in_window as f64 / window_secs;
        let expected = sessions as f64 / interval.as_secs_f64();
        samples.sort_unstable();
        let per_session = |bytes: i64| bytes as f64 / sessions as f64;
        let still_waiting = sessions as u64 - done.load(Ordering::Relaxed) - failed.load(Ordering::Relaxed);

        // End them all at once; time until every wait has returned.
        let end_admin = admin_url.clone();
        tokio::task::spawn_blocking(move || {
            // Past the sessions' 600 s token ttl (EXPIRED), well before their 90,000 s
            // resources ttl (after which they are gone: 404).
            admin_post(&end_admin, "/__admin/clock/advance", "{\"seconds\": 3600}")
        })
        .await??;
        let ended = Instant::now();
        for task in tasks {
            task.await?;
        }
        let all_seen = ended.elapsed();
        let failed = failed.load(Ordering::Relaxed);
        println!(
            "{{\"wait\":\"async\",\"sessions\":{sessions},\"interval_s\":{:.1},\"waiting_in_window\":{still_waiting},\"window_s\":{window_secs:.1},\"requests_in_window\":{sent_in_window},\"requests_per_s\":{rate:.1},\"expected_per_s\":{expected:.1},\"rate_ratio\":{:.3},\"bytes_per_waiting_session_median\":{:.0},\"bytes_per_waiting_session_max\":{:.0},\"secs_until_all_seen_ended\":{:.2},\"failed\":{failed},\"total_secs\":{:.1}}}",
            interval.as_secs_f64(),
            rate / expected,
            per_session(samples[samples.len() / 2]),
            per_session(samples[samples.len() - 1]),
            all_seen.as_secs_f64(),
            started.elapsed().as_secs_f64(),
        );
        if failed > 0 {
            return Err(format!("{failed} waits failed").into());
        }
        Ok(())
    })
}

// ---------------------------------------------------------------------------------------
// The emulator under parallel suites: full selfie flows.

/// The 1 KB image of a flow: the examples' face, padded after its end marker.
fn image_1kb() -> Vec<u8> {
    let mut image = REFERENCE_JPEG.to_vec();
    image.resize(1024.max(image.len()), 0);
    image
}

/// One full selfie flow: create, configuration, face-capture resource, upload, sandbox
/// agent, get, media.
async fn selfie_flow(
    client: &idv::Client,
    spec: &idv::model::SessionSpecification,
    image: &[u8],
) -> Result<(), BoxError> {
    let created = client.create_session(spec).await?;
    let id = &created.session_id;
    let configuration = client.get_session_configuration(id).await?;
    let requirement = configuration
        .face_capture_requirements()
        .next()
        .ok_or("no face-capture requirement")?;
    let resource = client
        .create_face_capture_resource(
            id,
            &CreateFaceCaptureResourcePayload::new(requirement.id.clone()),
        )
        .await?;
    client
        .upload_face_capture_image(
            id,
            &resource.id,
            &idv::model::UploadFaceCaptureImagePayload::jpeg(image.to_vec()),
        )
        .await?;
    client
        .sandbox_complete_session(id, &created.client_session_token)
        .await?;
    let session = client.get_session(id).await?;
    let media = session
        .resources
        .media_ids()
        .into_iter()
        .next()
        .cloned()
        .ok_or("no media in the completed session")?;
    client
        .get_media_content(id, &media)
        .await?
        .ok_or("no media content")?;
    Ok(())
}

/// `flows --concurrency C --flows N --server-pid PID --base-url URL --sdk-id ID --key KEY`:
/// N full selfie flows (1 KB image), C at a time, on one async client. One JSON line: flows
/// per second, this client's and the emulator's CPU per flow, and the emulator's resident
/// memory before and after (per flow: the memory of a stored completed session).
fn flows(flags: &Flags) -> Result<(), BoxError> {
    let concurrency: usize = flags.get_or("concurrency", 8)?;
    let total: u64 = flags.get_or("flows", 500)?;
    let server: u32 = flags.get("server-pid")?.parse()?;
    let config = config(flags)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    let (elapsed, failed, cpu, server_cpu, rss) = runtime.block_on(async move {
        let client = config.build()?;
        let spec = idv_bench::fixtures::session_specification();
        let image: Arc<[u8]> = image_1kb().into();
        let left = Arc::new(AtomicU64::new(total));
        let rss_before = idv_bench::process_rss_kib(server);
        let (cpu, server_cpu) = (cpu_time_us(), idv_bench::process_cpu_time_us(server));
        let start = Instant::now();
        let tasks: Vec<_> = (0..concurrency)
            .map(|_| {
                let (client, spec, image, left) = (
                    client.clone(),
                    spec.clone(),
                    Arc::clone(&image),
                    Arc::clone(&left),
                );
                tokio::spawn(async move {
                    let mut failed = 0u64;
                    while left
                        .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |n| n.checked_sub(1))
                        .is_ok()
                    {
                        if let Err(e) = selfie_flow(&client, &spec, &image).await {
                            if failed == 0 {
                                eprintln!("flow failed: {e}");
                            }
                            failed += 1;
                        }
                    }
                    failed
                })
            })
            .collect();
        let mut failed = 0;
        for task in tasks {
            failed += task.await?;
        }
        let elapsed = start.elapsed();
        let cpu = cpu_since(cpu);
        let server_cpu = server_cpu.and_then(|before| {
            Some(idv_bench::process_cpu_time_us(server)?.saturating_sub(before))
        });
        let rss = rss_before.zip(idv_bench::process_rss_kib(server));
        Ok::<_, BoxError>((elapsed, failed, cpu, server_cpu, rss))
    })?;
    let per_flow = |us: Option<u64>| {
        us.map_or("null".to_owned(), |us| {
            format!("{:.1}", us as f64 / total as f64)
        })
    };
    let (rss_before, rss_after) = rss.unwrap_or((0, 0));
    println!(
        "{{\"flows\":{total},\"concurrency\":{concurrency},\"failed\":{failed},\"secs\":{:.3},\"flows_per_s\":{:.1},\"client_cpu_us_per_flow\":{},\"server_cpu_us_per_flow\":{},\"server_rss_before_kib\":{rss_before},\"server_rss_after_kib\":{rss_after},\"server_bytes_per_flow\":{:.0}}}",
        elapsed.as_secs_f64(),
        total as f64 / elapsed.as_secs_f64(),
        per_flow(cpu),
        per_flow(server_cpu),
        (rss_after.saturating_sub(rss_before) * 1024) as f64 / total as f64,
    );
    if failed > 0 {
        return Err(format!("{failed} flows failed").into());
    }
    Ok(())
}
