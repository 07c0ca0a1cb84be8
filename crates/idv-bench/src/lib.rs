//! Benchmarks of the `idv` SDK, and what they share.
//!
//! Nothing here is part of the SDK. The crate holds:
//!
//! * `benches/` (criterion, run by `cargo bench -p idv-bench`, never by `cargo test`):
//!   `signing` (each backend per signature), `per_call` (build + sign + parse without a
//!   network) and `decode` (a large session result, typed model against `serde_json::Value`);
//! * `src/bin/idv-bench.rs`: the end-to-end loops against a running `idv-emulator` and the
//!   peak-memory measurement of a 64 MiB media download;
//! * this library: the fixtures ([`fixtures`]), the test key ([`TEST_KEY_PEM`]), peak RSS
//!   ([`peak_rss_kib`]), a tiny media server ([`media_server`]) and the report of a run
//!   ([`report`]).
//!
//! `scripts/bench.sh` at the workspace root runs all of them in one go, together with the
//! references they are compared with (`openssl speed`, the official Node SDK), and
//! `BENCHMARKS.md` records the figures.
#![cfg_attr(not(test), warn(unused_crate_dependencies))]

// The `idv-bench` binary and the benches use these; the library does not.
use async_trait as _;
use idv as _;
use idv_core as _;
use idv_transport_ureq as _;
use tokio as _;

pub mod fixtures;
pub mod media_server;
pub mod report;

/// The RSA-2048 test key of `idv-auth` (PKCS#1 PEM): a throwaway key, never used anywhere
/// real.
pub const TEST_KEY_PEM: &str = include_str!("../../idv-auth/tests/data/test-key.pem");

/// The SDK id the benchmarks sign with.
pub const BENCH_SDK_ID: &str = "00000000-0000-4000-8000-0000000bench";

/// The base URL the offline benchmarks build requests for (nothing is sent to it).
pub const OFFLINE_BASE_URL: &str = "https://api.yoti.com/idverify/v1";

/// A `VmHWM`-style line of `/proc/self/status` (`"VmHWM:    1234 kB"`), in KiB.
fn status_field_kib(status: &str, field: &str) -> Option<u64> {
    status
        .lines()
        .find_map(|line| line.strip_prefix(field)?.strip_prefix(':'))
        .and_then(|rest| rest.trim().strip_suffix("kB"))
        .and_then(|n| n.trim().parse().ok())
}

/// The peak resident set size of this process so far (`VmHWM` of `/proc/self/status`), in
/// KiB; `None` where `/proc` is not available.
pub fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status_field_kib(&status, "VmHWM")
}

/// The current resident set size of this process (`VmRSS`), in KiB.
pub fn current_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status_field_kib(&status, "VmRSS")
}

/// CPU time this process has used so far, user + system, all threads (`utime` + `stime`
/// of `/proc/self/stat`), in microseconds; `None` where `/proc` is not available. Its
/// resolution is the kernel's clock tick (10 ms at the usual 100 Hz).
pub fn cpu_time_us() -> Option<u64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    cpu_time_from_stat(&stat)
}

/// CPU time process `pid` has used so far (as [`cpu_time_us`]), for the emulator's CPU per
/// request; `None` where `/proc` is not available.
pub fn process_cpu_time_us(pid: u32) -> Option<u64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    cpu_time_from_stat(&stat)
}

/// The current resident set size of process `pid` (`VmRSS`), in KiB.
pub fn process_rss_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status_field_kib(&status, "VmRSS")
}

fn cpu_time_from_stat(stat: &str) -> Option<u64> {
    // The command name (field 2) may contain spaces: count fields after its closing ')'.
    let rest = &stat[stat.rfind(')')? + 1..];
    let mut fields = rest.split_whitespace();
    // rest starts at field 3 (state); utime and stime are fields 14 and 15.
    let utime: u64 = fields.nth(11)?.parse().ok()?;
    let stime: u64 = fields.next()?.parse().ok()?;
    const TICKS_PER_SECOND: u64 = 100; // sysconf(_SC_CLK_TCK) on Linux
    Some((utime + stime) * 1_000_000 / TICKS_PER_SECOND)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_status_fields() {
        let status = "Name:\tx\nVmPeak:\t  10 kB\nVmHWM:\t    1234 kB\nVmRSS:\t 99 kB\n";
        assert_eq!(status_field_kib(status, "VmHWM"), Some(1234));
        assert_eq!(status_field_kib(status, "VmRSS"), Some(99));
        assert_eq!(status_field_kib(status, "VmSwap"), None);
    }

    #[test]
    fn reads_cpu_time() {
        let stat = "42 (a b) S 1 42 42 0 -1 4194560 100 0 0 0 250 50 0 0 20 0 1 0 5 1000 10";
        assert_eq!(cpu_time_from_stat(stat), Some(3_000_000));
        assert!(cpu_time_us().is_some());
    }

    #[test]
    fn test_key_loads_with_every_backend() {
        for &backend in idv_auth::Backend::available() {
            let key = idv_auth::PrivateKey::from_pem_with_backend(TEST_KEY_PEM.as_bytes(), backend)
                .expect("the test key loads");
            assert_eq!(key.bits(), 2048);
        }
    }
}
