"""The loops of scripts/bench-python.sh: get-session against the same emulator, through the
idv Python binding (built-in client, or urllib through the sans-IO calls) and through the
official Python SDK (yoti). Prints one JSON line per run.

    python bench_python.py setup   BASE_URL SDK_ID KEY IMAGE
    python bench_python.py MODE    BASE_URL SDK_ID KEY SESSION_ID SECS MAX

MODE is binding-builtin, binding-urllib or yoti. Each run: a 300 ms warm-up, then requests
one after another until SECS seconds or MAX requests; wall time and this process's CPU time
(user + system, `time.process_time`) are measured around the loop.
"""

import json
import sys
import time
import urllib.error
import urllib.request


def binding_client(base_url, sdk_id, key_file):
    import idv
    return idv, idv.Idv(sdk_id, open(key_file).read(), base_url, base_url)


def setup(base_url, sdk_id, key_file, image):
    idv, client = binding_client(base_url, sdk_id, key_file)
    created = client.create_selfie_session(idv.SelfieSessionSpec())
    sid = created.session_id
    requirement = client.get_session_configuration(sid).face_capture_requirement_ids[0]
    resource = client.create_face_capture_resource(sid, requirement)
    client.upload_face_capture_image(sid, resource.id, idv.Image.jpeg(open(image, "rb").read()))
    client.sandbox_configure_selfie(sid, idv.SandboxOutcome.APPROVE(), idv.SandboxOutcome.APPROVE())
    client.sandbox_complete_session(sid, created.client_session_token)
    assert client.get_session(sid).selfie_verdict().outcome == idv.VerdictOutcome.PASS
    print(sid)


def urllib_get_session(idv, client, session_id):
    call = client.call(idv.Operation.GET_SESSION(session_id=session_id))
    while True:
        step = call.next()
        if isinstance(step, idv.CallStep.SEND):
            r = step.request
            req = urllib.request.Request(
                r.url(), method=r.method(), headers={h.name: h.value for h in r.headers()})
            try:
                with urllib.request.urlopen(req, timeout=30) as resp:
                    status, headers, body = resp.status, resp.headers, resp.read()
            except urllib.error.HTTPError as e:
                status, headers, body = e.code, e.headers, e.read()
            call.on_response(status, [idv.Header(name=k, value=v) for k, v in headers.items()], body)
        elif isinstance(step, idv.CallStep.SLEEP):
            time.sleep(step.millis / 1000)
        else:
            return step.output.session


def make_call(mode, base_url, sdk_id, key_file, session_id):
    if mode == "binding-builtin":
        idv, client = binding_client(base_url, sdk_id, key_file)
        return lambda: client.get_session(session_id).state()
    if mode == "binding-urllib":
        idv, client = binding_client(base_url, sdk_id, key_file)
        return lambda: urllib_get_session(idv, client, session_id).state()
    if mode == "yoti":
        from yoti_python_sdk.doc_scan import DocScanClient
        client = DocScanClient(sdk_id, key_file, api_url=base_url)
        return lambda: client.get_session(session_id).state
    raise SystemExit(f"unknown mode {mode}")


def run(mode, base_url, sdk_id, key_file, session_id, secs, max_requests):
    call = make_call(mode, base_url, sdk_id, key_file, session_id)
    state = call()
    if state != "COMPLETED":
        raise SystemExit(f"{mode}: the session is {state}, not COMPLETED")
    warm_until = time.monotonic() + 0.3
    while time.monotonic() < warm_until:
        call()
    n = 0
    cpu0, t0 = time.process_time(), time.perf_counter()
    deadline = t0 + secs
    while n < max_requests and time.perf_counter() < deadline:
        call()
        n += 1
    wall, cpu = time.perf_counter() - t0, time.process_time() - cpu0
    print(json.dumps({"mode": mode, "requests": n, "wall_s": round(wall, 4),
                      "cpu_s": round(cpu, 4), "rps": round(n / wall, 1),
                      "cpu_us_per_call": round(cpu / n * 1e6, 1)}))


if __name__ == "__main__":
    if sys.argv[1] == "setup":
        setup(*sys.argv[2:6])
    else:
        mode, base_url, sdk_id, key_file, session_id, secs, max_requests = sys.argv[1:8]
        run(mode, base_url, sdk_id, key_file, session_id, float(secs), int(max_requests))
