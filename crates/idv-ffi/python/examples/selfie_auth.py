"""Selfie authentication (liveness + face comparison) with the idv Python binding.

    python selfie_auth.py [--host-http] [--emulator PATH]

Starts the idv-emulator (``--emulator``, else ``$CARGO_TARGET_DIR/debug/idv-emulator`` or
``target/debug/idv-emulator``) on a free port, runs the flow against it with the sandbox
playing the user, and prints the verdict. By default the binding's built-in HTTP client does
the IO; with ``--host-http`` every request is sent by Python's own ``urllib`` through the
binding's sans-IO calls (the binding signs, retries and decodes; Python only moves bytes).
Exit code: 0 PASS, 1 FAIL, 3 PENDING, 2 error.
"""

import argparse
import os
import pathlib
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import idv

REPO = pathlib.Path(__file__).resolve().parents[4]
KEY_FILE = REPO / "crates" / "idv-auth" / "tests" / "data" / "test-key.pem"
PUBLIC_KEY = REPO / "crates" / "idv-auth" / "tests" / "data" / "test-key.pub.pem"
IMAGE = REPO / "examples" / "data" / "reference-face.jpg"
SDK_ID = "00000000-0000-4000-8000-00000000d3e0"


class UrllibHttp:
    """Drives a binding call with urllib: sends what it hands out, sleeps when it says."""

    def __init__(self):
        self.requests_sent = 0

    def send(self, request, call):
        self.requests_sent += 1
        headers = {h.name: h.value for h in request.headers()}
        body = request.body()
        outgoing = urllib.request.Request(
            request.url(), data=body if body else None, method=request.method(),
            headers=headers,
        )
        limit = request.max_response_bytes()
        try:
            with urllib.request.urlopen(outgoing, timeout=30) as response:
                status, answer_headers, data = response.status, response.headers, response.read(limit + 1)
        except urllib.error.HTTPError as error:
            status, answer_headers, data = error.code, error.headers, error.read(limit + 1)
        except urllib.error.URLError as error:
            kind = (idv.TransportErrorKind.CONNECT
                    if isinstance(error.reason, ConnectionRefusedError)
                    else idv.TransportErrorKind.OTHER)
            call.on_transport_error(kind, str(error.reason))
            return
        except (socket.timeout, TimeoutError) as error:
            call.on_transport_error(idv.TransportErrorKind.TIMEOUT, str(error))
            return
        except OSError as error:
            call.on_transport_error(idv.TransportErrorKind.OTHER, str(error))
            return
        headers = [idv.Header(name=k.lower(), value=v) for k, v in answer_headers.items()]
        call.on_response(status, headers, data)

    def execute(self, client, operation):
        call = client.call(operation)
        while True:
            step = call.next()
            if isinstance(step, idv.CallStep.SEND):
                self.send(step.request, call)
            elif isinstance(step, idv.CallStep.SLEEP):
                time.sleep(step.millis / 1000)
            else:
                return step.output


class BuiltIn:
    """The binding's own blocking HTTP client (ureq)."""

    def execute(self, client, operation):
        return client.execute(operation)


def start_emulator(binary):
    process = subprocess.Popen(
        [str(binary), "--port", "0", "--exit-on-stdin-eof", "--app", f"{SDK_ID}={PUBLIC_KEY}"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
    )
    base_url = process.stdout.readline().strip()
    sandbox_base_url = process.stdout.readline().strip()
    return process, base_url, sandbox_base_url


def selfie_flow(client, http, image):
    """Runs the flow; returns the verdict (idv.SelfieVerdict)."""
    O = idv.Operation
    created = http.execute(client, O.CREATE_SELFIE_SESSION(spec=idv.SelfieSessionSpec())).created
    session_id = created.session_id
    print(f"session id: {session_id}")

    configuration = http.execute(client, O.GET_SESSION_CONFIGURATION(session_id=session_id)).configuration
    requirement = configuration.face_capture_requirement_ids[0]
    resource = http.execute(
        client, O.CREATE_FACE_CAPTURE_RESOURCE(session_id=session_id, requirement_id=requirement)
    ).resource
    http.execute(client, O.UPLOAD_FACE_CAPTURE_IMAGE(
        session_id=session_id, resource_id=resource.id, image=image))
    print(f"uploaded the reference image ({image.len()} bytes) to resource {resource.id}")

    # The user's part: the sandbox agent plays it (approve both checks).
    http.execute(client, O.SANDBOX_CONFIGURE_SELFIE(
        session_id=session_id, liveness=idv.SandboxOutcome.APPROVE(),
        face_comparison=idv.SandboxOutcome.APPROVE()))
    http.execute(client, O.SANDBOX_COMPLETE_SESSION_AS_AGENT(
        session_id=session_id, client_session_token=created.client_session_token))

    session = http.execute(client, O.GET_SESSION(session_id=session_id)).session
    print(f"session state: {session.state()}")
    for check in session.checks():
        print(f"check {check.check_type}: {check.state}, {check.recommendation}")
    for media_id in session.media_ids():
        media = http.execute(client, O.GET_MEDIA_CONTENT(session_id=session_id, media_id=media_id)).media
        if media is not None:
            print(f"media {media_id}: {media.len()} bytes, {media.mime_type()}")
    verdict = session.selfie_verdict()
    print(f"verdict: {verdict.summary}")
    return verdict


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host-http", action="store_true",
                        help="send every request with Python's urllib (sans-IO mode)")
    parser.add_argument("--emulator", type=pathlib.Path, help="the idv-emulator binary")
    args = parser.parse_args()
    target = pathlib.Path(os.environ.get("CARGO_TARGET_DIR", REPO / "target"))
    binary = args.emulator or target / "debug" / "idv-emulator"
    process, base_url, sandbox_base_url = start_emulator(binary)
    try:
        if not base_url.startswith("http://"):
            print(f"error: the emulator ({binary}) did not start", file=sys.stderr)
            return 2
        print(f"running against the embedded emulator at {sandbox_base_url}")
        # The sandbox base: sessions created there can be completed by the sandbox agent.
        client = idv.Idv(SDK_ID, KEY_FILE.read_text(), sandbox_base_url, sandbox_base_url)
        http = UrllibHttp() if args.host_http else BuiltIn()
        verdict = selfie_flow(client, http, idv.Image.jpeg(IMAGE.read_bytes()))
        if args.host_http:
            print(f"requests sent by urllib: {http.requests_sent}")
    except idv.IdvError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    finally:
        process.stdin.close()
        process.wait(timeout=10)
    return {idv.VerdictOutcome.PASS: 0, idv.VerdictOutcome.FAIL: 1}.get(verdict.outcome, 3)


if __name__ == "__main__":
    sys.exit(main())
