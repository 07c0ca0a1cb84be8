"""The selfie flow against the emulator, twice: Python's urllib doing the IO through the
sans-IO calls, and the binding's built-in client; plus the example script in both modes."""

import importlib.util
import os
import pathlib
import subprocess
import sys
import urllib.request

import idv

from conftest import SDK_ID, REPO, emulator_binary

EXAMPLE = pathlib.Path(__file__).resolve().parents[1] / "examples" / "selfie_auth.py"


def load_example():
    spec = importlib.util.spec_from_file_location("selfie_auth_example", EXAMPLE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


example = load_example()


def test_selfie_flow_with_urllib_sends_every_request_from_python(
        client, reference_image, monkeypatch):
    opened = []
    real_urlopen = urllib.request.urlopen

    def counting_urlopen(request, *args, **kwargs):
        opened.append((request.get_method(), request.full_url))
        return real_urlopen(request, *args, **kwargs)

    monkeypatch.setattr(urllib.request, "urlopen", counting_urlopen)
    http = example.UrllibHttp()
    verdict = example.selfie_flow(client, http, reference_image)
    assert verdict.outcome == idv.VerdictOutcome.PASS, verdict.summary
    assert verdict.reasons == []

    # Every request of the flow went through Python's urllib, in the flow's order.
    assert len(opened) == http.requests_sent
    paths = [(m, u.split("/sandbox/idverify/v1", 1)[1].split("?")[0]) for m, u in opened]
    sid = paths[1][1].split("/")[2]
    expected = [
        ("POST", "/sessions"),
        ("GET", f"/sessions/{sid}/configuration"),
        ("POST", f"/sessions/{sid}/resources/face-capture"),
    ]
    assert paths[:3] == expected
    assert paths[3][0] == "PUT" and paths[3][1].endswith("/image")
    assert paths[4] == ("PUT", f"/sessions/{sid}/response-config")
    assert paths[5] == ("POST", "/agent")
    assert paths[6] == ("GET", f"/sessions/{sid}")
    media = [p for p in paths[7:] if p[1].endswith("/content")]
    assert media and len(paths) == 7 + len(media)
    # Each request was signed by the binding: the query carries sdkId, nonce and timestamp.
    assert all(f"sdkId={SDK_ID}" in u and "nonce=" in u for _, u in opened)


def test_selfie_flow_with_the_built_in_client(client, reference_image):
    created = client.create_selfie_session(idv.SelfieSessionSpec(user_tracking_id="user-1"))
    session_id = created.session_id
    assert session_id
    assert created.client_session_token.expose_secret()

    configuration = client.get_session_configuration(session_id)
    assert len(configuration.face_capture_requirement_ids) == 1
    resource = client.create_face_capture_resource(
        session_id, configuration.face_capture_requirement_ids[0])
    client.upload_face_capture_image(session_id, resource.id, reference_image)

    pending = client.get_session(session_id)
    assert pending.selfie_verdict().outcome == idv.VerdictOutcome.PENDING
    assert pending.user_tracking_id() == "user-1"

    client.sandbox_configure_selfie(
        session_id, idv.SandboxOutcome.APPROVE(), idv.SandboxOutcome.APPROVE())
    client.sandbox_complete_session(session_id, created.client_session_token)

    session = client.get_session(session_id)
    assert session.state() == "COMPLETED"
    types = sorted(c.check_type for c in session.checks())
    assert types == ["FACE_COMPARISON", "LIVENESS"]
    assert all(c.recommendation == "APPROVE" for c in session.checks())
    verdict = session.selfie_verdict()
    assert verdict.outcome == idv.VerdictOutcome.PASS, verdict.summary

    # The reference image comes back as media.
    reference = REPO / "examples" / "data" / "reference-face.jpg"
    contents = [client.get_media_content(session_id, m) for m in session.media_ids()]
    assert any(c is not None and c.bytes() == reference.read_bytes() for c in contents)

    # The typed session and its JSON agree; the verdict rule applies to stored JSON too.
    again = idv.Session.from_json(session.to_json())
    assert again.selfie_verdict() == verdict

    client.delete_session(session_id)
    try:
        client.get_session(session_id)
        raise AssertionError("a deleted session was found")
    except idv.IdvError.Api as error:
        assert error.status == 404


def test_a_rejected_face_comparison_fails(client, reference_image):
    created = client.create_selfie_session(idv.SelfieSessionSpec())
    sid = created.session_id
    requirement = client.get_session_configuration(sid).face_capture_requirement_ids[0]
    resource = client.create_face_capture_resource(sid, requirement)
    client.upload_face_capture_image(sid, resource.id, reference_image)
    client.sandbox_configure_selfie(
        sid, idv.SandboxOutcome.APPROVE(),
        idv.SandboxOutcome.REJECT(reason="DIFFERENT_PERSON"))
    client.sandbox_complete_session(sid, created.client_session_token)
    verdict = client.get_session(sid).selfie_verdict()
    assert verdict.outcome == idv.VerdictOutcome.FAIL
    assert any("FACE_COMPARISON" in r for r in verdict.reasons), verdict.reasons


def run_example(*args):
    env = dict(os.environ, IDV_EMULATOR=str(emulator_binary()))
    return subprocess.run(
        [sys.executable, str(EXAMPLE), "--emulator", str(emulator_binary()), *args],
        capture_output=True, text=True, timeout=120, env=env,
    )


def test_the_readme_example_prints_the_verdict_with_the_built_in_client():
    done = run_example()
    assert done.returncode == 0, done.stderr
    assert "verdict: PASS" in done.stdout


def test_the_readme_example_prints_the_verdict_with_urllib():
    done = run_example("--host-http")
    assert done.returncode == 0, done.stderr
    assert "verdict: PASS" in done.stdout
    sent = [l for l in done.stdout.splitlines() if l.startswith("requests sent by urllib: ")]
    assert sent and int(sent[0].split(": ")[1]) >= 8
