"""Typed exceptions (status, API code, property errors), retries on a 503, transport
failures reported by the host, key errors, and secrets kept out of messages and reprs."""

import time
import urllib.request

import pytest

import idv

from conftest import AUTH_DATA, KEY_PEM, SDK_ID

O = idv.Operation


def drive(call, send):
    """A minimal host loop: `send(request)` returns (status, headers, body) or raises."""
    steps = []
    while True:
        step = call.next()
        if isinstance(step, idv.CallStep.SEND):
            steps.append("send")
            send(step.request, call)
        elif isinstance(step, idv.CallStep.SLEEP):
            steps.append(("sleep", step.millis))
            time.sleep(step.millis / 1000)
        else:
            return step.output, steps


def urllib_send(request, call):
    import urllib.error
    outgoing = urllib.request.Request(
        request.url(), data=request.body() or None, method=request.method(),
        headers={h.name: h.value for h in request.headers()})
    try:
        with urllib.request.urlopen(outgoing, timeout=10) as r:
            status, headers, body = r.status, r.headers, r.read()
    except urllib.error.HTTPError as e:
        status, headers, body = e.code, e.headers, e.read()
    call.on_response(status, [idv.Header(name=k, value=v) for k, v in headers.items()], body)


def test_an_unknown_session_is_a_404_api_error_with_its_code(client):
    with pytest.raises(idv.IdvError.Api) as raised:
        client.get_session("00000000-0000-4000-8000-000000000404")
    assert raised.value.status == 404
    assert raised.value.code == "SESSION_NOT_FOUND"
    assert "404" in str(raised.value)


def test_a_bad_specification_is_a_400_with_property_errors(client):
    with pytest.raises(idv.IdvError.Api) as raised:
        client.execute(O.CREATE_SESSION(spec_json='{"requested_checks": [{"type": 42}]}'))
    error = raised.value
    assert error.status == 400
    assert error.code
    assert error.property_errors, error
    assert all(isinstance(p, idv.PropertyError) for p in error.property_errors)
    assert any(p.property for p in error.property_errors)


def test_invalid_input_is_refused_before_anything_is_sent(client):
    with pytest.raises(idv.IdvError.InvalidInput) as raised:
        client.call(O.GET_SESSION(session_id=""))
    assert raised.value.field == "session_id"
    with pytest.raises(idv.IdvError.InvalidInput) as raised:
        client.call(O.CREATE_SESSION(spec_json="[1, 2]"))
    assert raised.value.field == "spec_json"


def test_a_key_that_does_not_load_is_a_config_error_without_the_key(emulator):
    broken = KEY_PEM.replace("MII", "XXX", 1)
    with pytest.raises(idv.IdvError.Config) as raised:
        idv.Idv(SDK_ID, broken, emulator.sandbox_base_url)
    assert raised.value.kind == idv.ConfigErrorKind.INVALID_KEY
    body_line = KEY_PEM.splitlines()[2]
    assert body_line not in str(raised.value) and body_line not in repr(raised.value)
    with pytest.raises(idv.IdvError.Config) as raised:
        idv.Idv(SDK_ID, "not a key at all", emulator.sandbox_base_url)
    assert raised.value.kind == idv.ConfigErrorKind.INVALID_KEY
    assert "not a key at all" not in str(raised.value)


def test_a_key_the_service_does_not_know_is_refused_with_401(emulator):
    other_key = (AUTH_DATA / "other-key.pem").read_text()
    client = idv.Idv(SDK_ID, other_key, emulator.sandbox_base_url,
                     options=idv.ClientOptions(max_attempts=1))
    with pytest.raises(idv.IdvError.Api) as raised:
        client.get_session("00000000-0000-4000-8000-000000000001")
    assert raised.value.status == 401


def test_an_unknown_sdk_id_is_a_config_error(emulator):
    client = idv.Idv("00000000-0000-4000-8000-00000000dead", KEY_PEM, emulator.sandbox_base_url)
    with pytest.raises(idv.IdvError.Config) as raised:
        client.get_session("00000000-0000-4000-8000-000000000001")
    assert raised.value.kind == idv.ConfigErrorKind.UNKNOWN_SDK_ID
    assert raised.value.status == 404


def test_an_http_base_url_off_loopback_is_refused():
    with pytest.raises(idv.IdvError.Config) as raised:
        idv.Idv(SDK_ID, KEY_PEM, "http://example.com/idverify/v1")
    assert raised.value.kind == idv.ConfigErrorKind.INVALID_BASE_URL


def test_a_503_is_retried_by_the_host_driven_call(client, emulator):
    session_id = client.create_selfie_session(idv.SelfieSessionSpec()).session_id
    assert emulator.inject({"method": "GET", "path": f"/sessions/{session_id}", "times": 1,
                            "action": {"type": "status", "status": 503}}) == 201
    call = client.call(O.GET_SESSION(session_id=session_id))
    output, steps = drive(call, urllib_send)
    assert output.session.session_id() == session_id
    assert steps[0] == "send" and steps[-1] == "send" and len(steps) == 3
    assert steps[1][0] == "sleep"
    assert call.attempts() == 2


def test_a_503_is_retried_by_the_built_in_client(client, emulator):
    session_id = client.create_selfie_session(idv.SelfieSessionSpec()).session_id
    emulator.inject({"method": "GET", "path": f"/sessions/{session_id}", "times": 2,
                     "action": {"type": "status", "status": 503}})
    assert client.get_session(session_id).session_id() == session_id
    with urllib.request.urlopen(emulator.admin_url + "/faults", timeout=10) as r:
        assert r.read().strip() in (b"[]", b'{"faults":[]}'), "both faults were consumed"


def test_retries_end_with_the_last_503(emulator):
    client = idv.Idv(SDK_ID, KEY_PEM, emulator.sandbox_base_url,
                     options=idv.ClientOptions(max_attempts=2, base_backoff_ms=1))
    session_id = client.create_selfie_session(idv.SelfieSessionSpec()).session_id
    emulator.inject({"method": "GET", "path": f"/sessions/{session_id}", "times": 2,
                     "action": {"type": "status", "status": 503}})
    with pytest.raises(idv.IdvError.Api) as raised:
        client.get_session(session_id)
    assert raised.value.status == 503


def test_transport_errors_reported_by_the_host_are_retried_then_raised(emulator):
    client = idv.Idv(SDK_ID, KEY_PEM, emulator.sandbox_base_url,
                     options=idv.ClientOptions(max_attempts=3, base_backoff_ms=1))
    call = client.call(O.GET_SESSION(session_id="s1"))

    def refuse(request, call):
        call.on_transport_error(idv.TransportErrorKind.CONNECT, "connection refused")

    with pytest.raises(idv.IdvError.Transport) as raised:
        drive(call, refuse)
    assert raised.value.kind == idv.TransportErrorKind.CONNECT
    assert call.attempts() == 3


def test_driving_a_call_out_of_order_is_an_error(client):
    call = client.call(O.GET_SESSION(session_id="s1"))
    call.on_response(200, [], b"{}")
    with pytest.raises(idv.IdvError.InvalidInput) as raised:
        call.next()
    assert raised.value.field == "call"


def test_a_bad_status_from_the_host_is_refused(client):
    call = client.call(O.GET_SESSION(session_id="s1"))
    call.next()
    with pytest.raises(idv.IdvError.InvalidInput):
        call.on_response(42, [], b"")


def test_secrets_stay_out_of_reprs(client):
    created = client.create_selfie_session(idv.SelfieSessionSpec())
    token = created.client_session_token.expose_secret()
    assert token
    for text in (str(created), repr(created), repr(created.client_session_token),
                 str(O.SANDBOX_COMPLETE_SESSION_AS_AGENT(
                     session_id="s", client_session_token=created.client_session_token))):
        assert token not in text
    url = client.hosted_page_url(created.session_id, created.client_session_token)
    assert token in url
