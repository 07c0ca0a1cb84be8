"""Kotlin and Swift bindings come from the same build: `uniffi-bindgen` from
crates/idv-ffi/bindgen (the one maturin ran for Python) in library mode, on the library inside
the installed wheel. They are generated here, not compiled."""

import os
import pathlib
import subprocess

import pytest

import idv

from conftest import REPO


def bindgen():
    path = os.environ.get("UNIFFI_BINDGEN")
    if not path:
        target = pathlib.Path(os.environ.get("CARGO_TARGET_DIR", REPO / "target"))
        path = target / "debug" / "uniffi-bindgen"
    return pathlib.Path(path)


def library():
    found = sorted(pathlib.Path(idv.__file__).parent.glob("*idv_ffi*.so")) + sorted(
        pathlib.Path(idv.__file__).parent.glob("*idv_ffi*.dylib"))
    assert found, "the wheel holds no idv_ffi library"
    return found[0]


@pytest.mark.parametrize("language, expected", [
    ("kotlin", {"uniffi/idv_ffi/idv_ffi.kt": ["class Idv", "fun `call`", "IdvException"]}),
    ("swift", {"idv_ffi.swift": ["class Idv", "func call(", "IdvError"],
               "idv_ffiFFI.h": ["uniffi_idv_ffi_fn_"],
               "idv_ffiFFI.modulemap": ["idv_ffiFFI"]}),
])
def test_generation_succeeds_and_writes_the_expected_files(tmp_path, language, expected):
    assert bindgen().exists(), f"{bindgen()} not built (scripts/python-binding.sh builds it)"
    done = subprocess.run(
        [str(bindgen()), "generate", "--library", str(library()), "--language", language,
         "--no-format", "--out-dir", str(tmp_path)],
        cwd=REPO, capture_output=True, text=True, timeout=300,
    )
    assert done.returncode == 0, done.stderr
    for name, needles in expected.items():
        text = (tmp_path / name).read_text()
        for needle in needles:
            assert needle in text, f"{needle!r} not in {name}"
