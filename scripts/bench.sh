#!/usr/bin/env bash
# Runs every benchmark of the idv workspace in one go, with the references they are compared
# with measured in the same run, and writes the report. BENCHMARKS.md explains each figure.
#
#   scripts/bench.sh [--quick] [--no-build-times] [--no-node] [--no-python] [--secs N] [--rounds N]
#                    [--only STEPS]
#
# STEPS is a comma-separated subset of: signing,callgrind,e2e,startup,wait,flows,media,footprint
# (default: all). startup, wait and flows are the scale benchmarks (start-up to the first call;
# 10,000 concurrent waits; full selfie flows and the emulator's memory per session).
# --quick: 2 s per end-to-end case, one round, criterion's --quick, no callgrind, no clean
# builds. Instruction counts need valgrind (skipped without it).
# Output: target/idv-bench/results.md (also printed), next to the raw inputs it is made of.
# Needs cargo, openssl, node and npm (the official SDK, npm package `yoti`, is installed into
# target/idv-bench/node, never committed), python3 with venv (the official Python SDK,
# `yoti==2.14.6`, is installed into a scratch virtual environment target/idv-bench-python,
# never committed). Every request loop targets 127.0.0.1 only and is
# bounded in count and time; the emulator started here is stopped on exit.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
ARGS="$*"
TARGET_DIR=${CARGO_TARGET_DIR:-$ROOT/target}
OUT=$TARGET_DIR/idv-bench
BIN=$TARGET_DIR/release/idv-bench
EMULATOR=$TARGET_DIR/release/idv-emulator
KEY=$ROOT/crates/idv-auth/tests/data/test-key.pem
PUB=$ROOT/crates/idv-auth/tests/data/test-key.pub.pem
SDK_ID=00000000-0000-4000-8000-0000000bench
YOTI_VERSION=4.13.2
PYTHON_YOTI_VERSION=2.14.6
SECS=5 ROUNDS=2 MAX=50000 BUILD_TIMES=1 NODE=1 PYTHON=1 CALLGRIND=1 CRITERION_ARGS=()
ONLY=signing,callgrind,e2e,startup,wait,flows,media,footprint
WAIT_SESSIONS=10000 WAIT_INTERVAL=60 STORE_SESSIONS=10000 FLOWS_PER_CASE=300 STARTUP_RUNS=15

while [ $# -gt 0 ]; do
    case "$1" in
        --quick) SECS=2 ROUNDS=1 BUILD_TIMES=0 CALLGRIND=0 CRITERION_ARGS=(--quick)
            WAIT_SESSIONS=2000 STORE_SESSIONS=2000 FLOWS_PER_CASE=100 STARTUP_RUNS=5 ;;
        --no-build-times) BUILD_TIMES=0 ;;
        --no-node) NODE=0 ;;
        --no-python) PYTHON=0 ;;
        --only) ONLY=$2; shift ;;
        --secs) SECS=$2; shift ;;
        --rounds) ROUNDS=$2; shift ;;
        -h | --help) sed -n '2,21p' "$0"; exit 0 ;;
        *) echo "bench.sh: unknown argument '$1'" >&2; exit 2 ;;
    esac
    shift
done

step() { printf '\n==> %s\n' "$*" >&2; }
wanted() { case ",$ONLY," in *",$1,"*) return 0 ;; *) return 1 ;; esac; }

# Starts an idv-emulator with the given extra flags; sets EMU_PID and EMU_BASE. Every
# emulator started here is stopped on exit.
EMULATOR_PIDS=()
trap 'for pid in "${EMULATOR_PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done' EXIT
start_emulator() {
    local log=$OUT/emulator-$((${#EMULATOR_PIDS[@]} + 1)).out
    "$EMULATOR" --port 0 --app "$SDK_ID=$PUB" "$@" >"$log" 2>/dev/null &
    EMU_PID=$!
    EMULATOR_PIDS+=("$EMU_PID")
    EMU_BASE=
    for _ in $(seq 100); do
        # The sandbox base: sessions there can be completed by the sandbox agent.
        EMU_BASE=$(grep -m1 '^http.*/sandbox/' "$log" 2>/dev/null || true)
        [ -n "$EMU_BASE" ] && break
        sleep 0.1
    done
    [ -n "$EMU_BASE" ] || { echo "bench.sh: the emulator did not start" >&2; exit 1; }
    echo "emulator at $EMU_BASE (pid $EMU_PID, flags: $*)" >&2
}
stop_emulator() {
    kill "$1" 2>/dev/null || true
    wait "$1" 2>/dev/null || true
}

rm -rf "$OUT"
mkdir -p "$OUT"

step "machine"
{
    echo "date:      $(date -u +%Y-%m-%dT%H:%M:%SZ)"
    echo "command:   scripts/bench.sh $ARGS"
    echo "git:       $(git rev-parse --short HEAD 2>/dev/null || echo '?')$(git diff --quiet 2>/dev/null || echo ' + uncommitted changes')"
    echo "nproc:     $(nproc)"
    echo "cpu:       $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
    echo "memory:    $(free -h | awk '/^Mem:/ {print $2}')"
    echo "kernel:    $(uname -sr)"
    echo "rustc:     $(rustc --version)"
    echo "openssl:   $(openssl version)"
    echo "node:      $(node --version 2>/dev/null || echo 'not found'), yoti@$YOTI_VERSION"
    echo "python:    $(python3 --version 2>/dev/null || echo 'not found'), yoti==$PYTHON_YOTI_VERSION"
    echo "load avg:  $(cut -d' ' -f1-3 /proc/loadavg) (start)"
} | tee "$OUT/machine.txt" >&2

step "release build: idv-emulator, idv-bench"
cargo build --release --quiet -p idv-emulator -p idv-bench --bins

# sign/s of `openssl speed`, located by the header's `sign/s` column (its position moved
# between OpenSSL versions).
openssl_speed() {
    openssl speed -seconds 3 rsa2048 2>/dev/null | awk '
        /sign\/s/ { for (i = 1; i <= NF; i++) if ($i == "sign/s") col = i }
        /^rsa 2048 bits/ && col { print $(col + 3) }' | tee -a "$OUT/openssl.txt" >&2
}

if wanted signing; then
step "signing: openssl speed, the signing bench, openssl speed again"
for group in sign per_call decode_1mb; do rm -rf "$TARGET_DIR/criterion/$group"; done
openssl_speed
cargo bench --quiet -p idv-bench --bench signing -- "${CRITERION_ARGS[@]}" 2>&1 | tee -a "$OUT/criterion.log" >&2
openssl_speed

step "per call without network, and decoding"
cargo bench --quiet -p idv-bench --bench per_call --bench decode -- "${CRITERION_ARGS[@]}" 2>&1 | tee -a "$OUT/criterion.log" >&2
fi

if wanted callgrind && [ "$CALLGRIND" = 1 ] && command -v valgrind >/dev/null; then
    step "instruction counts per step (valgrind --tool=callgrind; independent of the machine's load)"
    # Each step runs 5 and 15 times; the difference over 10 removes the one-time costs
    # (process start, key loading, AWS-LC's first-use seeding of its random generator).
    instructions() {
        valgrind --tool=callgrind --callgrind-out-file=/dev/null "$BIN" loop --what "$1" --backend "$2" --n "$3" 2>&1 |
            sed -n 's/.*Collected : \([0-9]*\).*/\1/p'
    }
    for backend in aws-lc-rs rust-crypto; do
        for what in sign digest create_session get_session parse; do
            [ "$backend" = rust-crypto ] && [ "$what" = create_session -o "$what" = parse ] && continue
            a=$(instructions "$what" "$backend" 5)
            b=$(instructions "$what" "$backend" 15)
            echo "{\"what\":\"$what\",\"backend\":\"$backend\",\"instructions\":$(((b - a) / 10))}" | tee -a "$OUT/callgrind.jsonl" >&2
        done
    done
    for what in decode_typed decode_value decode_parse; do
        a=$(instructions "$what" aws-lc-rs 2)
        b=$(instructions "$what" aws-lc-rs 6)
        echo "{\"what\":\"$what\",\"backend\":\"-\",\"instructions\":$(((b - a) / 4))}" | tee -a "$OUT/callgrind.jsonl" >&2
    done
fi

NODE_DIR=$OUT/node
if [ "$NODE" = 1 ] && { wanted e2e || wanted startup; }; then
    step "installing the official Node SDK (yoti@$YOTI_VERSION) into $NODE_DIR"
    mkdir -p "$NODE_DIR"
    echo '{"private": true}' >"$NODE_DIR/package.json"
    (cd "$NODE_DIR" && npm install --no-audit --no-fund --ignore-scripts --loglevel=error "yoti@$YOTI_VERSION" >&2)
fi
VENV=$TARGET_DIR/idv-bench-python
if [ "$PYTHON" = 1 ] && { wanted e2e || wanted startup; }; then
    step "the official Python SDK (yoti==$PYTHON_YOTI_VERSION) in a scratch virtual environment $VENV"
    [ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
    # `future` too: yoti 2.14.6 imports `past.builtins` without declaring the dependency.
    "$VENV/bin/pip" install --quiet --disable-pip-version-check "yoti==$PYTHON_YOTI_VERSION" future >&2
fi

if wanted e2e || wanted startup; then
step "end to end: the emulator in its own process"
start_emulator
EMULATOR_PID=$EMU_PID BASE=$EMU_BASE
SESSION=$("$BIN" setup --base-url "$BASE" --sdk-id "$SDK_ID" --key "$KEY")
echo "session $SESSION (completed, with checks and resources)" >&2

node_loop() {
    NODE_PATH=$NODE_DIR/node_modules node "$ROOT/scripts/bench-node-sdk.js" \
        "$SDK_ID" "$KEY" "$BASE" "$SESSION" "$1" "$SECS" "$MAX" | tee -a "$OUT/e2e.jsonl" >&2
}
python_loop() {
    "$VENV/bin/python" "$ROOT/scripts/bench-python-sdk.py" \
        "$SDK_ID" "$KEY" "$BASE" "$SESSION" "$SECS" "$MAX" | tee -a "$OUT/e2e.jsonl" >&2
}

if wanted e2e; then
# The signature reference of the CPU-per-call ratios, when the signing step did not run.
wanted signing || { step "openssl speed (the reference signature)"; openssl_speed; }
for round in $(seq "$ROUNDS"); do
    step "end to end, round $round of $ROUNDS ($SECS s or $MAX requests per case)"
    [ "$NODE" = 1 ] && node_loop 1
    [ "$PYTHON" = 1 ] && python_loop
    for backend in aws-lc-rs rust-crypto; do
        for case in blocking blocking-ureq-resolver async1 async8 async32; do
            "$BIN" e2e --case "$case" --backend "$backend" --base-url "$BASE" --sdk-id "$SDK_ID" \
                --key "$KEY" --session "$SESSION" --secs "$SECS" --max "$MAX" \
                --server-pid "$EMULATOR_PID" | tee -a "$OUT/e2e.jsonl" >&2
        done
    done
    [ "$NODE" = 1 ] && node_loop 32
done
wanted signing || openssl_speed
fi

if wanted startup; then
    step "start-up: process start to the first completed get-session ($STARTUP_RUNS runs each)"
    startup_refs=()
    [ "$NODE" = 1 ] && startup_refs+=(--node-dir "$NODE_DIR")
    [ "$PYTHON" = 1 ] && startup_refs+=(--python "$VENV/bin/python")
    "$BIN" startup --runs "$STARTUP_RUNS" --base-url "$BASE" --sdk-id "$SDK_ID" --key "$KEY" \
        --session "$SESSION" "${startup_refs[@]}" | tee "$OUT/startup.jsonl" >&2
fi
stop_emulator "$EMULATOR_PID"
fi

if wanted wait; then
    step "a sign-up day: $WAIT_SESSIONS concurrent waits in one process (interval $WAIT_INTERVAL s)"
    # The emulator's limits raised for this load (its defaults stay as they are).
    start_emulator --admin --max-sessions $((WAIT_SESSIONS + 100)) --max-nonces 5000000 \
        --max-connections 20000 --max-in-flight 20000
    "$BIN" wait --sessions "$WAIT_SESSIONS" --interval "$WAIT_INTERVAL" --base-url "$EMU_BASE" \
        --admin-url "${EMU_BASE%%/sandbox/*}" --sdk-id "$SDK_ID" --key "$KEY" | tee "$OUT/wait.jsonl" >&2
    stop_emulator "$EMU_PID"
fi

if wanted flows; then
    step "the emulator under parallel suites: full selfie flows at concurrency 1, 8, 32"
    start_emulator --max-sessions 20000
    for c in 1 8 32; do
        "$BIN" flows --concurrency "$c" --flows "$FLOWS_PER_CASE" --server-pid "$EMU_PID" \
            --base-url "$EMU_BASE" --sdk-id "$SDK_ID" --key "$KEY" | tee -a "$OUT/flows.jsonl" >&2
    done
    stop_emulator "$EMU_PID"
    step "the emulator's memory per stored completed session ($STORE_SESSIONS flows, 1 KB image)"
    # No replay window: the nonces of the requests would otherwise be counted as sessions'.
    start_emulator --max-sessions $((STORE_SESSIONS + 100)) --replay-window 0
    "$BIN" flows --concurrency 8 --flows "$STORE_SESSIONS" --server-pid "$EMU_PID" \
        --base-url "$EMU_BASE" --sdk-id "$SDK_ID" --key "$KEY" | tee "$OUT/store.jsonl" >&2
    stop_emulator "$EMU_PID"
fi

if wanted media; then
step "peak memory of a 64 MiB media download (one child process per case)"
"$BIN" media --size-mib 64 | tee "$OUT/media.jsonl" >&2
fi

if wanted footprint; then
step "build footprint of idv"
for features in ureq,rustls,aws-lc-rs ureq,rustls,rust-crypto reqwest,rustls,aws-lc-rs reqwest,rustls,rust-crypto; do
    # Crates of the normal dependency tree, each counted once (`(*)` marks a repeat).
    crates=$(cargo tree -q -p idv --no-default-features --features "$features" -e normal --prefix none |
        sed 's/ (\*)$//' | sort -u | wc -l)
    build_secs=null
    if [ "$BUILD_TIMES" = 1 ]; then
        dir=/tmp/idv-bench-clean-build-${features//,/-}
        rm -rf "$dir"
        start=$(date +%s.%N)
        CARGO_TARGET_DIR=$dir cargo build --quiet -p idv --no-default-features --features "$features"
        build_secs=$(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { printf "%.1f", e - s }')
        rm -rf "$dir"
    fi
    echo "{\"config\":\"$features\",\"crates\":$crates,\"build_secs\":$build_secs}" | tee -a "$OUT/footprint.jsonl" >&2
done
fi

echo "load avg:  $(cut -d' ' -f1-3 /proc/loadavg) (end)" >>"$OUT/machine.txt"
step "report: $OUT/results.md"
"$BIN" report --dir "$OUT" --criterion "$TARGET_DIR/criterion" | tee "$OUT/results.md"
