#!/usr/bin/env bash
# RustSec advisories, offline: checks Cargo.lock against the dated snapshot in
# supply-chain/advisory-db.tsv with cargo-deny (accepted advisories: deny.toml), after proving
# that the check can fail: a made-up advisory against a crate of Cargo.lock must be reported.
#
#   scripts/check-advisories.sh CARGO_DENY TARGET_DIR
set -euo pipefail
cd "$(dirname "$0")/.."
deny="$1"
target="$2"

# cargo-deny keeps the default RustSec database in <db-path>/advisory-db-<hash of its URL>;
# this is the name cargo-deny 0.20 gives it (pinned in supply-chain/).
db_dir=advisory-db-3157b0e258782691

# 1. The self-test: the snapshot plus an advisory for `http` (always in Cargo.lock), fixed only
#    in a version that does not exist. The check must fail and name it.
selftest="$target/advisory-selftest"
mkdir -p "$selftest"
cp supply-chain/advisory-db.tsv "$selftest/snapshot.tsv"
printf 'RUSTSEC-2099-0001\thttp\t2099-01-01\tvulnerability\t\t>= 99.0.0\t\tSelf-test advisory: every http release is affected\n' \
    >>"$selftest/snapshot.tsv"
python3 scripts/advisory-db.py materialize "$selftest/dbs/$db_dir" "$selftest/snapshot.tsv" >/dev/null
if IDV_ADVISORY_DBS="$selftest/dbs" "$deny" --offline check advisories >"$selftest/out.txt" 2>&1; then
    cat "$selftest/out.txt" >&2
    echo "advisory self-test: cargo-deny passed a lockfile with an unlisted advisory" >&2
    exit 1
fi
if ! grep -q 'RUSTSEC-2099-0001' "$selftest/out.txt"; then
    cat "$selftest/out.txt" >&2
    echo "advisory self-test: cargo-deny failed, but not on the planted advisory" >&2
    exit 1
fi
echo "advisory self-test: an unlisted advisory against http fails the check, as it must"

# 2. The real check.
python3 scripts/advisory-db.py materialize "$target/advisory-dbs/$db_dir"
IDV_ADVISORY_DBS="$target/advisory-dbs" "$deny" --offline check advisories
