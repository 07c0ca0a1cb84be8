#!/usr/bin/env bash
# Builds the Python binding (crates/idv-ffi, UniFFI through maturin) as a wheel, installs it
# into a fresh virtual environment and runs its pytest suite against idv-emulator.
#
#   scripts/python-binding.sh [--release] [pytest args...]
#
# Everything goes under the target directory ($CARGO_TARGET_DIR, else ./target): the venv
# (python-binding/venv, recreated each run), the wheel (python-binding/wheels). maturin and
# pytest are pinned. The dev profile (the CI's target directory is reused) unless --release.
#
# IDV_EMULATOR: an idv-emulator binary already built (CI passes the one `cargo test
# --workspace` built, so the emulator is not built a second time with other features);
# without it, the script builds one.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
TARGET="${CARGO_TARGET_DIR:-$ROOT/target}"
case "$TARGET" in /*) ;; *) TARGET="$ROOT/$TARGET" ;; esac
export CARGO_TARGET_DIR="$TARGET"

MATURIN_VERSION=1.16.0
PYTEST_VERSION=8.3.5
PROFILE=dev
if [ "${1:-}" = "--release" ]; then PROFILE=release; shift; fi

OUT="$TARGET/python-binding"
VENV="$OUT/venv"
WHEELS="$OUT/wheels"

step() { printf '\n==> %s\n' "$*" >&2; }

step "fresh virtual environment with maturin $MATURIN_VERSION and pytest $PYTEST_VERSION"
rm -rf "$VENV" "$WHEELS"
python3 -m venv "$VENV"
"$VENV/bin/pip" install --quiet --disable-pip-version-check \
    "maturin==$MATURIN_VERSION" "pytest==$PYTEST_VERSION"

step "idv-emulator (the tests start it)"
PROFILE_DIR=debug
PROFILE_ARGS=()
if [ "$PROFILE" = release ]; then PROFILE_DIR=release; PROFILE_ARGS=(--release); fi
if [ -n "${IDV_EMULATOR:-}" ]; then
    echo "using $IDV_EMULATOR" >&2
else
    cargo build --quiet "${PROFILE_ARGS[@]}" -p idv-emulator --bin idv-emulator
fi
IDV_EMULATOR="${IDV_EMULATOR:-$TARGET/$PROFILE_DIR/idv-emulator}"

step "uniffi-bindgen (crates/idv-ffi/bindgen, a workspace of its own) at the workspace's UniFFI version"
uniffi_version() { grep -A1 '^name = "uniffi"$' "$1" | sed -n 's/^version = "\(.*\)"$/\1/p'; }
WORKSPACE_UNIFFI=$(uniffi_version Cargo.lock)
BINDGEN_UNIFFI=$(uniffi_version crates/idv-ffi/bindgen/Cargo.lock)
if [ -z "$WORKSPACE_UNIFFI" ] || [ "$WORKSPACE_UNIFFI" != "$BINDGEN_UNIFFI" ]; then
    echo "uniffi $WORKSPACE_UNIFFI in Cargo.lock but $BINDGEN_UNIFFI in crates/idv-ffi/bindgen/Cargo.lock" >&2
    exit 1
fi
cargo build --quiet --locked "${PROFILE_ARGS[@]}" --manifest-path crates/idv-ffi/bindgen/Cargo.toml
# maturin runs the `uniffi-bindgen` it finds on PATH: this one, alone in its directory.
BINDGEN_DIR="$OUT/bindgen"
mkdir -p "$BINDGEN_DIR"
ln -sf "$TARGET/$PROFILE_DIR/uniffi-bindgen" "$BINDGEN_DIR/uniffi-bindgen"
export UNIFFI_BINDGEN="$BINDGEN_DIR/uniffi-bindgen"

step "the wheel: maturin build --profile $PROFILE"
(cd crates/idv-ffi/python && PATH="$BINDGEN_DIR:$PATH" "$VENV/bin/maturin" build --quiet --profile "$PROFILE" --out "$WHEELS")
WHEEL=$(ls "$WHEELS"/idv-*.whl)
echo "$WHEEL" >&2
"$VENV/bin/pip" install --quiet --disable-pip-version-check --force-reinstall "$WHEEL"

step "pytest crates/idv-ffi/python/tests"
IDV_EMULATOR="$IDV_EMULATOR" IDV_WHEEL="$WHEEL" \
    "$VENV/bin/python" -m pytest -q -p no:cacheprovider crates/idv-ffi/python/tests "$@"
