#!/usr/bin/env python3
"""What goes into each published .crate: checked after `cargo package`.

  scripts/check-packages.py FILE.crate...   check packages; exit 1 on any problem
  scripts/check-packages.py --self-test     prove each rule rejects what it should

Rules, for every file in the package:
  * no file over 1 MiB;
  * no scratch or benchmark output: target/, *.log, criterion output, *.profraw, perf data,
    screenshots (*.png outside tests/data and assets/), node_modules/, editor and patch leftovers;
  * key material (*.pem, *.key, *.der, *.p12, *.pfx) only when documented as test-only: a
    README.md in the same folder of the package that says "test-only", or "test-only" in the
    file name;
and the package has LICENSE-MIT, LICENSE-APACHE and README.md at its root.
"""

from __future__ import annotations

import io
import sys
import tarfile
import tempfile
from pathlib import Path, PurePosixPath

MAX_FILE = 1024 * 1024
KEY_SUFFIXES = {".pem", ".key", ".der", ".p12", ".pfx"}
REQUIRED = ("LICENSE-MIT", "LICENSE-APACHE", "README.md")


def stray(rel: PurePosixPath) -> str | None:
    """Why a path is scratch or benchmark output, or None."""
    parts = rel.parts
    name = rel.name
    if "target" in parts[:-1]:
        return "a target/ directory"
    if "node_modules" in parts:
        return "node_modules/"
    if "criterion" in parts or name.endswith(".jsonl"):
        return "benchmark output"
    if name.endswith((".log", ".profraw", ".profdata", ".orig", ".rej", ".swp", "~", ".bak")) \
            and name != "Cargo.toml.orig":
        return "scratch file"
    if name.startswith("perf.data") or name in (".DS_Store", "core") or name.startswith("callgrind.out"):
        return "scratch file"
    if name.endswith((".png", ".webp")) and not ({"data", "assets", "fixtures"} & set(parts[:-1])):
        return "a screenshot or image outside test data and assets"
    return None


def check_crate(path: Path) -> list[str]:
    problems = []
    with tarfile.open(path) as tar:
        members = [m for m in tar.getmembers() if m.isfile()]
        files = {}
        for m in members:
            rel = PurePosixPath(m.name)
            # Every entry is under "<name>-<version>/".
            rel = PurePosixPath(*rel.parts[1:])
            files[rel] = m
        for rel, m in sorted(files.items()):
            if m.size > MAX_FILE:
                problems.append(f"{rel}: {m.size} bytes, over the 1 MiB limit")
            why = stray(rel)
            if why:
                problems.append(f"{rel}: {why}")
            if rel.suffix in KEY_SUFFIXES and "test-only" not in rel.name:
                readme = files.get(rel.parent / "README.md")
                text = tar.extractfile(readme).read().decode("utf-8", "replace") if readme else ""
                if "test-only" not in text.lower():
                    problems.append(
                        f"{rel}: key material without a README.md beside it that says it is test-only"
                    )
        for required in REQUIRED:
            if PurePosixPath(required) not in files:
                problems.append(f"{required} is missing")
    return [f"{path.name}: {p}" for p in problems]


def make_crate(directory: Path, name: str, entries: dict[str, bytes]) -> Path:
    path = directory / f"{name}-0.1.0.crate"
    with tarfile.open(path, "w:gz") as tar:
        for rel, data in entries.items():
            info = tarfile.TarInfo(f"{name}-0.1.0/{rel}")
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return path


def self_test() -> None:
    base = {
        "Cargo.toml": b"[package]\n",
        "Cargo.toml.orig": b"[package]\n",
        "LICENSE-MIT": b"MIT",
        "LICENSE-APACHE": b"Apache",
        "README.md": b"# x\n",
        "src/lib.rs": b"",
        "tests/data/README.md": b"These keys are test-only keys.\n",
        "tests/data/test-key.pem": b"-----BEGIN PRIVATE KEY-----\n",
        "assets/logo.png": b"\x89PNG",
    }
    cases = {
        "big file": ({"src/blob.bin": b"\0" * (MAX_FILE + 1)}, "over the 1 MiB limit"),
        "target dir": ({"target/debug/x": b""}, "target/"),
        "log": ({"build.log": b""}, "scratch file"),
        "criterion": ({"criterion/signing/report.json": b""}, "benchmark output"),
        "screenshot": ({"hosted-page.png": b""}, "screenshot"),
        "undocumented key": ({"examples/key.pem": b""}, "test-only"),
        "no licence": ({"LICENSE-MIT": None}, "LICENSE-MIT is missing"),
        "no apache": ({"LICENSE-APACHE": None}, "LICENSE-APACHE is missing"),
        "no readme": ({"README.md": None}, "README.md is missing"),
    }
    failures = []
    with tempfile.TemporaryDirectory() as tmp:
        good = make_crate(Path(tmp), "good", base)
        if check_crate(good):
            failures.append(f"a clean package was rejected: {check_crate(good)}")
        for n, (case, (change, expected)) in enumerate(cases.items()):
            entries = {k: v for k, v in {**base, **change}.items() if v is not None}
            problems = check_crate(make_crate(Path(tmp), f"bad{n}", entries))
            if not any(expected in p for p in problems):
                failures.append(f"{case}: not rejected (problems: {problems})")
    if failures:
        sys.exit("package check self-test failed:\n  " + "\n  ".join(failures))
    print(f"package check self-test: a clean package passes, {len(cases)} bad ones are rejected")


def main() -> None:
    if sys.argv[1:] == ["--self-test"]:
        self_test()
        return
    crates = [Path(a) for a in sys.argv[1:]]
    if not crates:
        sys.exit(__doc__)
    problems = [p for c in crates for p in check_crate(c)]
    if problems:
        sys.exit("package contents:\n  " + "\n  ".join(problems))
    for c in crates:
        with tarfile.open(c) as tar:
            files = [m for m in tar.getmembers() if m.isfile()]
        print(f"{c.name}: {len(files)} files, largest {max(m.size for m in files)} bytes, "
              "licences and README present")


if __name__ == "__main__":
    main()
