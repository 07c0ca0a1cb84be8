//! Turns the raw outputs of one `scripts/bench.sh` run into a Markdown report, every figure
//! next to the reference measured in the same run.
//!
//! Inputs, all in the run's output directory:
//!
//! * `machine.txt`: free text, copied as is;
//! * `openssl.txt`: one `openssl speed` signs-per-second figure per line;
//! * the criterion directory: `*/new/benchmark.json` (the id) and `*/new/estimates.json`
//!   (the median, in nanoseconds);
//! * `e2e.jsonl`: `{"case", "backend"?, "rps", ...}` lines from `idv-bench e2e` and the Node
//!   loop, several rounds (the best of each case is reported);
//! * `media.jsonl`: `{"case", "above_baseline_kib", ...}` or `{"case", "error"}` lines;
//! * `footprint.jsonl`: `{"config", "crates", "build_secs"?}` lines;
//! * `callgrind.jsonl`: `{"what", "backend", "instructions"}` lines (per iteration of
//!   `idv-bench loop`).

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

use serde_json::Value;

/// Medians of the criterion benchmarks, by full id (`sign/raw/aws-lc-rs`), in nanoseconds.
pub fn criterion_medians(dir: &Path) -> BTreeMap<String, f64> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(path) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&path) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if !path.is_dir() {
                continue;
            }
            if path.file_name().is_some_and(|n| n == "new") {
                let id = read_json(&path.join("benchmark.json"))
                    .and_then(|b| b["full_id"].as_str().map(str::to_owned));
                let median = read_json(&path.join("estimates.json"))
                    .and_then(|e| e["median"]["point_estimate"].as_f64());
                if let (Some(id), Some(median)) = (id, median) {
                    out.insert(id, median);
                }
            } else {
                stack.push(path);
            }
        }
    }
    out
}

fn read_json(path: &Path) -> Option<Value> {
    serde_json::from_slice(&std::fs::read(path).ok()?).ok()
}

fn read_lines(path: &Path) -> Vec<Value> {
    std::fs::read_to_string(path)
        .unwrap_or_default()
        .lines()
        .filter_map(|l| serde_json::from_str(l.trim()).ok())
        .collect()
}

/// A duration in nanoseconds, human-sized.
fn time(ns: f64) -> String {
    if ns >= 1e6 {
        format!("{:.2} ms", ns / 1e6)
    } else if ns >= 1e3 {
        format!("{:.1} µs", ns / 1e3)
    } else {
        format!("{ns:.0} ns")
    }
}

fn verdict(ok: bool) -> &'static str {
    if ok { "met" } else { "**missed**" }
}

/// The report for the run in `out_dir`, with criterion's results in `criterion_dir`.
pub fn render(out_dir: &Path, criterion_dir: &Path) -> String {
    let mut md = String::new();
    let bench = criterion_medians(criterion_dir);
    let get = |id: &str| bench.get(id).copied();
    let mut targets: Vec<String> = Vec::new();

    let machine = std::fs::read_to_string(out_dir.join("machine.txt")).unwrap_or_default();
    let _ = writeln!(
        md,
        "### Machine and run\n\n```text\n{}\n```\n",
        machine.trim()
    );

    // Signing.
    let openssl: Vec<f64> = std::fs::read_to_string(out_dir.join("openssl.txt"))
        .unwrap_or_default()
        .lines()
        .filter_map(|l| l.trim().parse().ok())
        .collect();
    let best_openssl = openssl
        .iter()
        .copied()
        .fold(None, |m: Option<f64>, x| Some(m.map_or(x, |m| m.max(x))));
    let _ = writeln!(
        md,
        "### Signing: one RSA-2048 PKCS#1 v1.5 SHA-256 signature\n"
    );
    let _ = writeln!(
        md,
        "| what | time per signature (median) | signatures/s | × openssl's time |\n|---|---|---|---|"
    );
    if let Some(sps) = best_openssl {
        let runs: Vec<String> = openssl.iter().map(|s| format!("{s:.0}")).collect();
        let _ = writeln!(
            md,
            "| `openssl speed -seconds 3 rsa2048` (reference; best of runs: {} sign/s) | {} | {sps:.0} | 1.00 |",
            runs.join(", "),
            time(1e9 / sps)
        );
    }
    let default_backend = idv_auth::Backend::default_backend().map_or("none", |b| b.name());
    for backend in ["aws-lc-rs", "rust-crypto"] {
        for (kind, label) in [
            ("raw", "`PrivateKey::sign`"),
            (
                "digest",
                "`RequestSigner::digest` (string to sign + signature + base64)",
            ),
        ] {
            let Some(ns) = get(&format!("sign/{kind}/{backend}")) else {
                continue;
            };
            let ratio = best_openssl.map(|sps| ns / (1e9 / sps));
            let _ = writeln!(
                md,
                "| {backend}: {label} | {} | {:.0} | {} |",
                time(ns),
                1e9 / ns,
                ratio.map_or("-".to_owned(), |r| format!("{r:.2}"))
            );
            if kind == "digest"
                && backend == default_backend
                && let Some(r) = ratio
            {
                targets.push(format!(
                    "| default backend ({backend}) signing ≤ 1.2× openssl's time | {r:.2}× | {} |",
                    verdict(r <= 1.2)
                ));
            }
        }
    }
    md.push('\n');

    // Per call.
    let _ = writeln!(
        md,
        "### Per call without network: describe + build + sign + parse a canned response\n"
    );
    let _ = writeln!(
        md,
        "| call | backend | time (median) | of which the signature (`digest`) | the rest |\n|---|---|---|---|---|"
    );
    for call in ["create_session", "get_session"] {
        for backend in ["aws-lc-rs", "rust-crypto"] {
            let (Some(total), Some(sign)) = (
                get(&format!("per_call/{call}/{backend}")),
                get(&format!("sign/digest/{backend}")),
            ) else {
                continue;
            };
            let label = if call == "get_session" {
                "get_session (20 KB result)"
            } else {
                "create_session"
            };
            let _ = writeln!(
                md,
                "| {label} | {backend} | {} | {:.0}% | {} |",
                time(total),
                100.0 * sign / total,
                time((total - sign).max(0.0))
            );
        }
    }
    for (id, label) in [
        (
            "per_call/get_session_parse_only",
            "`GetSession::parse` alone, 20 KB (with JSON-path tracking)",
        ),
        (
            "per_call/get_session_typed_only",
            "`serde_json::from_slice::<GetSessionResult>` alone, 20 KB",
        ),
    ] {
        if let Some(ns) = get(id) {
            let _ = writeln!(md, "| {label} | - | {} | - | - |", time(ns));
        }
    }
    md.push('\n');

    // Instruction counts.
    let counts: BTreeMap<(String, String), f64> = read_lines(&out_dir.join("callgrind.jsonl"))
        .iter()
        .filter_map(|l| {
            Some((
                (
                    l["what"].as_str()?.to_owned(),
                    l["backend"].as_str()?.to_owned(),
                ),
                l["instructions"].as_f64()?,
            ))
        })
        .collect();
    if !counts.is_empty() {
        let _ = writeln!(
            md,
            "Instructions per step (callgrind; the same on a busy or an idle machine):\n"
        );
        let _ = writeln!(
            md,
            "| step | backend | instructions | × the reference's |\n|---|---|---|---|"
        );
        for ((what, backend), n) in &counts {
            // Calls are compared with the raw signature, decoders with `Value`.
            let (reference, name) = if what.starts_with("decode_") {
                (("decode_value".to_owned(), backend.clone()), "decode_value")
            } else {
                (("sign".to_owned(), backend.clone()), "sign")
            };
            let ratio = counts
                .get(&reference)
                .map_or("-".to_owned(), |r| format!("{:.3} ({name})", n / r));
            let _ = writeln!(md, "| {what} | {backend} | {n:.0} | {ratio} |");
        }
        md.push('\n');
    }

    // Decode.
    let _ = writeln!(md, "### Decoding a large session result\n");
    if let (Some(typed), Some(value)) = (get("decode_1mb/typed"), get("decode_1mb/value")) {
        let _ = writeln!(
            md,
            "| decoder (same ≥ 1 MiB bytes) | time (median) | × `Value`'s time |\n|---|---|---|"
        );
        let _ = writeln!(
            md,
            "| `serde_json::Value` (reference) | {} | 1.00 |",
            time(value)
        );
        let _ = writeln!(
            md,
            "| typed `GetSessionResult` | {} | {:.2} |",
            time(typed),
            typed / value
        );
        if let Some(parse) = get("decode_1mb/get_session_parse") {
            let _ = writeln!(
                md,
                "| `GetSession::parse` (typed, with JSON-path tracking) | {} | {:.2} |",
                time(parse),
                parse / value
            );
        }
        targets.push(format!(
            "| typed decode at least as fast as `Value` | {:.2}× `Value`'s time | {} |",
            typed / value,
            verdict(typed <= value)
        ));
        md.push('\n');
    }

    // End to end.
    // Per case: the best requests/s, the number of rounds, the lowest CPU time per request.
    let mut best: BTreeMap<String, (f64, usize, Option<f64>)> = BTreeMap::new();
    for line in read_lines(&out_dir.join("e2e.jsonl")) {
        let Some(case) = line["case"].as_str() else {
            continue;
        };
        let key = match line["backend"].as_str() {
            Some(b) => format!("{case}/{b}"),
            None => case.to_owned(),
        };
        let rps = line["rps"].as_f64().unwrap_or(0.0);
        let cpu = line["cpu_us_per_request"].as_f64();
        let entry = best.entry(key).or_insert((0.0, 0, None));
        entry.0 = entry.0.max(rps);
        entry.1 += 1;
        entry.2 = match (entry.2, cpu) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
    }
    if !best.is_empty() {
        let node1 = best.get("node-c1").map(|b| b.0);
        let node1_cpu = best.get("node-c1").and_then(|b| b.2);
        let _ = writeln!(
            md,
            "### End to end on loopback: get-session against `idv-emulator` (separate process)\n"
        );
        let _ = writeln!(
            md,
            "| client | requests/s (best of rounds) | rounds | × Node SDK at concurrency 1 | client CPU per request (lowest of rounds) | × Node's CPU per request |\n|---|---|---|---|---|---|"
        );
        let order = [
            (
                "node-c1",
                "official Node SDK (`yoti`), sequential loop (reference)",
            ),
            ("node-c32", "official Node SDK, 32 concurrent loops"),
            (
                "python-c1",
                "official Python SDK (`yoti`), sequential loop (second reference)",
            ),
        ];
        let mut rows: Vec<(String, String)> = order
            .iter()
            .map(|(k, l)| ((*k).to_owned(), (*l).to_owned()))
            .collect();
        for backend in ["aws-lc-rs", "rust-crypto"] {
            for (case, label) in [
                (
                    "blocking",
                    "`BlockingClient` (ureq, caching resolver: the default), one thread",
                ),
                (
                    "blocking-ureq-resolver",
                    "`BlockingClient` (ureq over ureq's own resolver, as before), one thread",
                ),
                ("async1", "`Client` (reqwest), concurrency 1"),
                ("async8", "`Client` (reqwest), concurrency 8"),
                ("async32", "`Client` (reqwest), concurrency 32"),
            ] {
                rows.push((format!("{case}/{backend}"), format!("{label}, {backend}")));
            }
        }
        for (key, label) in rows {
            if let Some((rps, rounds, cpu)) = best.get(&key) {
                let ratio = node1.map_or("-".to_owned(), |n| format!("{:.2}", rps / n));
                let cpu_text = cpu.map_or("-".to_owned(), |c| format!("{c:.0} µs"));
                let cpu_ratio = match (cpu, node1_cpu) {
                    (Some(c), Some(n)) => format!("{:.2}", c / n),
                    _ => "-".to_owned(),
                };
                let _ = writeln!(
                    md,
                    "| {label} | {rps:.0} | {rounds} | {ratio} | {cpu_text} | {cpu_ratio} |"
                );
            }
        }
        md.push('\n');
        if let Some(node) = node1 {
            let default = default_backend;
            if let Some((rps, _, _)) = best.get(&format!("async32/{default}")) {
                targets.push(format!(
                    "| async at concurrency 32 ≥ 3× Node's req/s | {:.2}× | {} |",
                    rps / node,
                    verdict(*rps >= 3.0 * node)
                ));
            }
            if let Some((rps, _, _)) = best.get(&format!("blocking/{default}")) {
                targets.push(format!(
                    "| blocking, one thread ≥ 3.5× Node's req/s | {:.2}× | {} |",
                    rps / node,
                    verdict(*rps >= 3.5 * node)
                ));
            }
        }
    }

    // Media.
    let media = read_lines(&out_dir.join("media.jsonl"));
    if !media.is_empty() {
        let _ = writeln!(md, "### Peak memory of a 64 MiB media download\n");
        let _ = writeln!(
            md,
            "| case | peak RSS above baseline | baseline peak RSS |\n|---|---|---|"
        );
        for line in &media {
            let case = line["case"].as_str().unwrap_or("?");
            match (
                line["above_baseline_kib"].as_u64(),
                line["baseline_kib"].as_u64(),
            ) {
                (Some(above), Some(base)) => {
                    let _ = writeln!(
                        md,
                        "| {case} | {:.1} MiB | {:.1} MiB |",
                        above as f64 / 1024.0,
                        base as f64 / 1024.0
                    );
                    if case.ends_with("streaming") {
                        targets.push(format!(
                            "| streaming ({case}) peak < 16 MiB above baseline | {:.1} MiB | {} |",
                            above as f64 / 1024.0,
                            verdict(above < 16 * 1024)
                        ));
                    }
                }
                _ => {
                    let why = line["error"].as_str().unwrap_or("no figure");
                    let _ = writeln!(md, "| {case} | {why} | - |");
                    if case.ends_with("streaming") {
                        targets.push(format!(
                            "| streaming ({case}) peak < 16 MiB above baseline | not measured | **open** |"
                        ));
                    }
                }
            }
        }
        md.push('\n');
    }

    // Footprint.
    let footprint = read_lines(&out_dir.join("footprint.jsonl"));
    if !footprint.is_empty() {
        let _ = writeln!(md, "### Build footprint of `idv`\n");
        let _ = writeln!(
            md,
            "| features (`--no-default-features --features ...`) | crates in the normal dependency tree | clean `cargo build` (dev profile) |\n|---|---|---|"
        );
        for line in &footprint {
            let secs = line["build_secs"]
                .as_f64()
                .map_or("not run".to_owned(), |s| format!("{s:.0} s"));
            let _ = writeln!(
                md,
                "| `{}` | {} | {secs} |",
                line["config"].as_str().unwrap_or("?"),
                line["crates"].as_u64().unwrap_or(0)
            );
        }
        md.push('\n');
    }

    scale(out_dir, best_openssl, &mut md, &mut targets);

    if !targets.is_empty() {
        let _ = writeln!(
            md,
            "### Targets\n\n| target | this run | |\n|---|---|---|\n{}\n",
            targets.join("\n")
        );
    }
    md
}

/// The lowest of `field` over the lines of `e2e.jsonl` for `case` with the default backend.
fn lowest(lines: &[Value], case: &str, field: &str) -> Option<f64> {
    let backend = idv_auth::Backend::default_backend().map_or("none", |b| b.name());
    lines
        .iter()
        .filter(|l| l["case"] == case && l["backend"] == backend)
        .filter_map(|l| l[field].as_f64())
        .reduce(f64::min)
}

/// Client CPU against the signature and the emulator; start-up; waits; flows; memory.
fn scale(out_dir: &Path, best_openssl: Option<f64>, md: &mut String, targets: &mut Vec<String>) {
    let e2e = read_lines(&out_dir.join("e2e.jsonl"));
    if !e2e.is_empty() {
        let _ = writeln!(
            md,
            "### CPU per get-session: client, bare signature, emulator\n\n| client (default backend) | client CPU per call (lowest of rounds) | × `openssl speed`'s time per signature | emulator CPU per call (same run) | emulator ÷ client |\n|---|---|---|---|---|"
        );
        let signature_us = best_openssl.map(|sps| 1e6 / sps);
        for (case, label) in [
            ("blocking", "`BlockingClient`, one thread"),
            (
                "blocking-ureq-resolver",
                "`BlockingClient` over ureq's own resolver (before)",
            ),
            ("async1", "`Client`, concurrency 1"),
            ("async32", "`Client`, concurrency 32"),
        ] {
            let Some(cpu) = lowest(&e2e, case, "cpu_us_per_request") else {
                continue;
            };
            let server = lowest(&e2e, case, "server_cpu_us_per_request");
            let ratio = signature_us.map(|sig| cpu / sig);
            let _ = writeln!(
                md,
                "| {label} | {cpu:.0} µs | {} | {} | {} |",
                ratio.map_or("-".to_owned(), |r| format!("{r:.2}")),
                server.map_or("-".to_owned(), |s| format!("{s:.0} µs")),
                server.map_or("-".to_owned(), |s| format!("{:.2}", s / cpu)),
            );
            if case == "blocking" || case == "async1" {
                if let Some(r) = ratio {
                    targets.push(format!(
                        "| client CPU per get-session ≤ 1.25× a bare signature ({label}) | {r:.2}× | {} |",
                        verdict(r <= 1.25)
                    ));
                }
                if let Some(server) = server {
                    targets.push(format!(
                        "| emulator CPU per get-session below the client's ({label}) | {:.2}× | {} |",
                        server / cpu,
                        verdict(server < cpu)
                    ));
                }
            }
        }
        md.push('\n');
    }

    let startup = read_lines(&out_dir.join("startup.jsonl"));
    if !startup.is_empty() {
        let node = startup
            .iter()
            .find(|l| l["startup"] == "node")
            .and_then(|l| l["median_ms"].as_f64());
        let _ = writeln!(
            md,
            "### Start-up: process start to the first completed get-session\n\n| client | median of runs | lowest | × Node's median | phases of the Rust client (median run): key loaded / client built / first call done |\n|---|---|---|---|---|"
        );
        for line in &startup {
            let name = line["startup"].as_str().unwrap_or("?");
            let median = line["median_ms"].as_f64().unwrap_or(0.0);
            let phases = &line["phases"];
            let phases = if phases.is_object() {
                let ms = |f: &str| {
                    phases[f]
                        .as_f64()
                        .map_or("-".to_owned(), |us| format!("{:.1} ms", us / 1000.0))
                };
                format!(
                    "{} / {} / {}",
                    ms("key_loaded_us"),
                    ms("client_built_us"),
                    ms("first_call_done_us")
                )
            } else {
                "-".to_owned()
            };
            let _ = writeln!(
                md,
                "| {name} | {median:.1} ms | {:.1} ms | {} | {phases} |",
                line["min_ms"].as_f64().unwrap_or(0.0),
                node.map_or("-".to_owned(), |n| format!("{:.2}", median / n)),
            );
            if let (Some(n), "blocking" | "async") = (node, name) {
                targets.push(format!(
                    "| start-up ({name}) ≤ ¼ of Node's | {:.2}× | {} |",
                    median / n,
                    verdict(median <= n / 4.0)
                ));
            }
        }
        md.push('\n');
    }

    for line in read_lines(&out_dir.join("wait.jsonl")) {
        let f = |k: &str| line[k].as_f64().unwrap_or(f64::NAN);
        let _ = writeln!(
            md,
            "### {} concurrent `wait_for_completion` in one process (interval {} s, multiplier 1, default jitter)\n\n| figure | this run | reference |\n|---|---|---|\n| requests/s actually sent (over {:.0} s, {} waits still waiting) | {:.1} | sessions ÷ interval = {:.1} (ratio {:.3}) |\n| client memory per waiting session (allocated bytes, median / max of 20 samples) | {:.0} B / {:.0} B | 8 KiB |\n| time until every wait returned after the emulator ended all sessions at once | {:.2} s | the interval, {} s (the longest jittered pause is 1.5×) |\n",
            f("sessions"),
            f("interval_s"),
            f("window_s"),
            f("waiting_in_window"),
            f("requests_per_s"),
            f("expected_per_s"),
            f("rate_ratio"),
            f("bytes_per_waiting_session_median"),
            f("bytes_per_waiting_session_max"),
            f("secs_until_all_seen_ended"),
            f("interval_s"),
        );
        targets.push(format!(
            "| waits: client memory per waiting session ≤ 8 KiB | {:.0} B (max sample) | {} |",
            f("bytes_per_waiting_session_max"),
            verdict(f("bytes_per_waiting_session_max") <= 8192.0)
        ));
        targets.push(format!(
            "| waits: request rate within 10% of sessions ÷ interval | {:.3}× | {} |",
            f("rate_ratio"),
            verdict((f("rate_ratio") - 1.0).abs() <= 0.10)
        ));
    }

    let flows = read_lines(&out_dir.join("flows.jsonl"));
    if !flows.is_empty() {
        let _ = writeln!(
            md,
            "### Full selfie flows against one emulator (create, configuration, face capture, upload 1 KB, agent, get, media)\n\n| concurrency | flows | flows/s | client CPU per flow | emulator CPU per flow | emulator ÷ client |\n|---|---|---|---|---|---|"
        );
        for line in &flows {
            let client = line["client_cpu_us_per_flow"].as_f64();
            let server = line["server_cpu_us_per_flow"].as_f64();
            let _ = writeln!(
                md,
                "| {} | {} | {:.1} | {} | {} | {} |",
                line["concurrency"],
                line["flows"],
                line["flows_per_s"].as_f64().unwrap_or(0.0),
                client.map_or("-".to_owned(), |c| format!("{c:.0} µs")),
                server.map_or("-".to_owned(), |s| format!("{s:.0} µs")),
                client
                    .zip(server)
                    .map_or("-".to_owned(), |(c, s)| format!("{:.2}", s / c)),
            );
        }
        md.push('\n');
    }
    for line in read_lines(&out_dir.join("store.jsonl")) {
        let per = line["server_bytes_per_flow"].as_f64().unwrap_or(f64::NAN);
        let _ = writeln!(
            md,
            "### Emulator memory per stored completed session\n\n{} completed sessions (full selfie flow, 1 KB image) on a fresh emulator: resident memory {} KiB before, {} KiB after: **{:.0} bytes per session** (target: under 16 KiB + the 1 KB image = 17,408 bytes).\n",
            line["flows"], line["server_rss_before_kib"], line["server_rss_after_kib"], per
        );
        targets.push(format!(
            "| emulator memory per completed session < 16 KiB + image | {:.0} B | {} |",
            per,
            verdict(per < 16.0 * 1024.0 + 1024.0)
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_what_it_finds() {
        let dir = std::env::temp_dir().join(format!("idv-bench-report-{}", std::process::id()));
        let bench = dir.join("criterion/sign/digest_aws-lc-rs/new");
        std::fs::create_dir_all(&bench).unwrap();
        std::fs::write(
            bench.join("benchmark.json"),
            r#"{"full_id":"sign/digest/aws-lc-rs"}"#,
        )
        .unwrap();
        std::fs::write(
            bench.join("estimates.json"),
            r#"{"median":{"point_estimate":310000.0}}"#,
        )
        .unwrap();
        std::fs::write(dir.join("openssl.txt"), "3000\n3200.4\n").unwrap();
        std::fs::write(
            dir.join("e2e.jsonl"),
            "{\"case\":\"node-c1\",\"rps\":500}\n{\"case\":\"blocking\",\"backend\":\"aws-lc-rs\",\"rps\":900}\n",
        )
        .unwrap();
        let md = render(&dir, &dir.join("criterion"));
        std::fs::remove_dir_all(&dir).unwrap();
        assert!(md.contains("| 3200 | 1.00 |"), "{md}");
        assert!(md.contains("310.0 µs"), "{md}");
        assert!(md.contains("| 900 | 1 | 1.80 | - | - |"), "{md}");
    }
}
