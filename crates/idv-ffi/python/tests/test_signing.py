"""Signatures made through the binding verify with the Rust crates' test vectors (produced
by the official Node SDK): crates/idv-auth/tests/data/signing-vectors.json."""

import base64
import json

import pytest

import idv

from conftest import AUTH_DATA

VECTORS = json.loads((AUTH_DATA / "signing-vectors.json").read_text())
KEY_FILES = ["test-key.pem", "test-key.pkcs8.pem"]


def operation(vector):
    constants = VECTORS["constants"]
    body = base64.b64decode(vector["body_b64"]) if vector["body_b64"] else b""
    if vector["id"] == "get-session":
        return idv.Operation.GET_SESSION(session_id=constants["session_id"])
    if vector["id"] == "create-session-selfie":
        return idv.Operation.CREATE_SESSION(spec_json=body.decode())
    if vector["id"] == "create-face-capture-resource":
        return idv.Operation.CREATE_FACE_CAPTURE_RESOURCE(
            session_id=constants["session_id"],
            requirement_id=json.loads(body)["requirement_id"])
    raise AssertionError(f"no operation for vector {vector['id']}")


@pytest.mark.parametrize("key_file", KEY_FILES)
@pytest.mark.parametrize("vector", VECTORS["vectors"], ids=lambda v: v["id"])
def test_the_binding_signs_as_the_vectors_say(vector, key_file):
    key = (AUTH_DATA / key_file).read_text()
    client = idv.Idv(
        VECTORS["constants"]["sdk_id"], key, vector["base_url"],
        options=idv.ClientOptions(fixed_nonce=vector["pinned"]["nonce"],
                                  fixed_timestamp_ms=vector["pinned"]["timestamp"]),
    )
    step = client.call(operation(vector)).next()
    assert isinstance(step, idv.CallStep.SEND)
    request = step.request
    assert request.method() == vector["method"]
    assert request.url() == vector["full_url"]
    headers = {h.name.lower(): h.value for h in request.headers()}
    assert headers["x-yoti-auth-digest"] == vector["x_yoti_auth_digest"]
    expected_body = base64.b64decode(vector["body_b64"]) if vector["body_b64"] else b""
    assert request.body() == expected_body


@pytest.mark.parametrize("vector", VECTORS["vectors"], ids=lambda v: v["id"])
def test_auth_digest_matches_the_vectors(vector):
    key = (AUTH_DATA / "test-key.pem").read_text()
    body = base64.b64decode(vector["body_b64"]) if vector["body_b64"] else None
    digest = idv.auth_digest(key, vector["method"], vector["signed_path"], body)
    assert digest == vector["x_yoti_auth_digest"]


def test_a_different_timestamp_changes_the_signature():
    vector = VECTORS["vectors"][0]
    client = idv.Idv(
        VECTORS["constants"]["sdk_id"], (AUTH_DATA / "test-key.pem").read_text(),
        vector["base_url"],
        options=idv.ClientOptions(fixed_nonce=vector["pinned"]["nonce"],
                                  fixed_timestamp_ms=vector["pinned"]["timestamp"] + 1),
    )
    request = client.call(operation(vector)).next().request
    headers = {h.name.lower(): h.value for h in request.headers()}
    assert headers["x-yoti-auth-digest"] != vector["x_yoti_auth_digest"]
