#!/usr/bin/env bash
# Get-session requests/s and CPU per call of the idv Python binding (built-in client, and
# urllib through the sans-IO calls) next to the official Python SDK (PyPI `yoti`), against
# the same idv-emulator in the same run. BENCHMARKS.md ("Python binding") explains it.
#
#   scripts/bench-python.sh [--secs N] [--rounds N]
#
# Release builds (idv-emulator, the wheel). Scratch virtual environments under
# $CARGO_TARGET_DIR/python-bench (never committed): one with the wheel, one with
# yoti==2.14.6. Output: $CARGO_TARGET_DIR/python-bench/results.md (also printed). Loops target
# 127.0.0.1 only and are bounded in time and count; the emulator stops when the script ends.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
TARGET="${CARGO_TARGET_DIR:-$ROOT/target}"
case "$TARGET" in /*) ;; *) TARGET="$ROOT/$TARGET" ;; esac
export CARGO_TARGET_DIR="$TARGET"
OUT=$TARGET/python-bench
KEY=$ROOT/crates/idv-auth/tests/data/test-key.pem
PUB=$ROOT/crates/idv-auth/tests/data/test-key.pub.pem
IMAGE=$ROOT/examples/data/reference-face.jpg
SDK_ID=00000000-0000-4000-8000-00000000b0b0
MATURIN_VERSION=1.16.0
YOTI_VERSION=2.14.6
# yoti 2.14.6 imports `past` (package `future`) without declaring it
FUTURE_VERSION=1.0.0
SECS=5 ROUNDS=2 MAX=20000

while [ $# -gt 0 ]; do
    case "$1" in
        --secs) SECS=$2; shift ;;
        --rounds) ROUNDS=$2; shift ;;
        -h | --help) sed -n '2,11p' "$0"; exit 0 ;;
        *) echo "bench-python.sh: unknown argument '$1'" >&2; exit 2 ;;
    esac
    shift
done

step() { printf '\n==> %s\n' "$*" >&2; }
mkdir -p "$OUT"

step "release builds: idv-emulator, the wheel (maturin $MATURIN_VERSION)"
cargo build --quiet --release -p idv-emulator --bin idv-emulator
if [ ! -x "$OUT/venv/bin/maturin" ]; then
    python3 -m venv "$OUT/venv"
    "$OUT/venv/bin/pip" install --quiet --disable-pip-version-check "maturin==$MATURIN_VERSION"
fi
rm -rf "$OUT/wheels"
(cd crates/idv-ffi/python && "$OUT/venv/bin/maturin" build --quiet --release --out "$OUT/wheels")
"$OUT/venv/bin/pip" install --quiet --disable-pip-version-check --force-reinstall "$OUT"/wheels/idv-*.whl

step "the official SDK: yoti==$YOTI_VERSION in a scratch venv"
if [ ! -x "$OUT/yoti-venv/bin/python" ] || ! "$OUT/yoti-venv/bin/pip" show yoti 2>/dev/null | grep -q "^Version: $YOTI_VERSION$"; then
    rm -rf "$OUT/yoti-venv"
    python3 -m venv "$OUT/yoti-venv"
    "$OUT/yoti-venv/bin/pip" install --quiet --disable-pip-version-check \
        "yoti==$YOTI_VERSION" "future==$FUTURE_VERSION"
fi

step "emulator"
coproc EMU { exec "$TARGET/release/idv-emulator" --port 0 --exit-on-stdin-eof --app "$SDK_ID=$PUB" 2>/dev/null; }
trap 'exec {EMU[1]}>&-; wait "$EMU_PID" 2>/dev/null || true' EXIT
read -r _API_URL <&"${EMU[0]}"
read -r SANDBOX_URL <&"${EMU[0]}"
echo "$SANDBOX_URL" >&2

SID=$("$OUT/venv/bin/python" scripts/bench_python.py setup "$SANDBOX_URL" "$SDK_ID" "$KEY" "$IMAGE")
echo "session $SID (completed, verdict PASS)" >&2

step "get-session loops: $ROUNDS rounds x ${SECS}s (at most $MAX requests) per mode"
RESULTS=$OUT/runs.jsonl
: > "$RESULTS"
for round in $(seq "$ROUNDS"); do
    for mode in binding-builtin binding-urllib yoti; do
        py="$OUT/venv/bin/python"
        [ "$mode" = yoti ] && py="$OUT/yoti-venv/bin/python"
        "$py" scripts/bench_python.py "$mode" "$SANDBOX_URL" "$SDK_ID" "$KEY" "$SID" "$SECS" "$MAX" \
            | tee -a "$RESULTS" >&2
    done
done

step "report"
python3 - "$RESULTS" "$OUT/results.md" <<'PY'
import json, sys, platform, os, datetime
runs = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
best = {}
for r in runs:
    if r["mode"] not in best or r["rps"] > best[r["mode"]]["rps"]:
        best[r["mode"]] = r
ref = best["yoti"]
names = {"binding-builtin": "idv binding, built-in client (ureq)",
         "binding-urllib": "idv binding, sans-IO calls, IO by urllib",
         "yoti": "official SDK yoti 2.14.6 (requests)"}
lines = [f"date: {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%dT%H:%M:%SZ}, "
         f"python {platform.python_version()}, nproc {os.cpu_count()}, "
         f"load avg {open('/proc/loadavg').read().split()[0]}",
         "",
         "| client | requests/s | x official | CPU per call (client process) | x official |",
         "|---|---:|---:|---:|---:|"]
for mode in ["binding-builtin", "binding-urllib", "yoti"]:
    r = best[mode]
    lines.append(f"| {names[mode]} | {r['rps']:.0f} | {r['rps'] / ref['rps']:.2f} | "
                 f"{r['cpu_us_per_call']:.0f} µs | {r['cpu_us_per_call'] / ref['cpu_us_per_call']:.2f} |")
text = "\n".join(lines) + "\n"
open(sys.argv[2], "w").write(text)
print(text)
PY
