"""Fixtures: the idv-emulator binary started per test session, and a client of it.

The emulator is the one built into the same target directory as the wheel
(``$CARGO_TARGET_DIR/debug/idv-emulator``, or ``IDV_EMULATOR``). It is started on a free port
with the admin API (fault injection) and stops when its standard input closes.
"""

import os
import pathlib
import subprocess
import urllib.request
import json

import pytest

import idv

REPO = pathlib.Path(__file__).resolve().parents[4]
AUTH_DATA = REPO / "crates" / "idv-auth" / "tests" / "data"
KEY_PEM = (AUTH_DATA / "test-key.pem").read_text()
PUBLIC_KEY = AUTH_DATA / "test-key.pub.pem"
REFERENCE_IMAGE = REPO / "examples" / "data" / "reference-face.jpg"
SDK_ID = "00000000-0000-4000-8000-0000000f0f1"


def emulator_binary():
    explicit = os.environ.get("IDV_EMULATOR")
    if explicit:
        return pathlib.Path(explicit)
    target = pathlib.Path(os.environ.get("CARGO_TARGET_DIR", REPO / "target"))
    return target / "debug" / "idv-emulator"


class Emulator:
    """A running idv-emulator: its URLs and its admin API."""

    def __init__(self, *extra_args):
        binary = emulator_binary()
        if not binary.exists():
            raise RuntimeError(f"{binary} not found: cargo build -p idv-emulator first")
        self.process = subprocess.Popen(
            [str(binary), "--port", "0", "--admin", "--exit-on-stdin-eof",
             "--app", f"{SDK_ID}={PUBLIC_KEY}", *extra_args],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
            text=True,
        )
        self.base_url = self.process.stdout.readline().strip()
        self.sandbox_base_url = self.process.stdout.readline().strip()
        self.admin_url = self.process.stdout.readline().strip()
        if not self.base_url.startswith("http://127.0.0.1:"):
            self.stop()
            raise RuntimeError(f"the emulator did not start (printed {self.base_url!r})")

    def admin(self, method, path, body=None):
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(
            self.admin_url.rstrip("/") + path, data=data, method=method,
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status

    def inject(self, fault):
        return self.admin("POST", "/faults", fault)

    def stop(self):
        if self.process.poll() is None:
            self.process.stdin.close()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


@pytest.fixture(scope="session")
def emulator():
    running = Emulator()
    yield running
    running.stop()


@pytest.fixture
def client(emulator):
    """A client with quick retries (the 503 test waits for them)."""
    return idv.Idv(
        SDK_ID, KEY_PEM, emulator.sandbox_base_url, emulator.sandbox_base_url,
        idv.ClientOptions(base_backoff_ms=10, max_backoff_ms=50),
    )


@pytest.fixture(scope="session")
def reference_image():
    return idv.Image.jpeg(REFERENCE_IMAGE.read_bytes())
