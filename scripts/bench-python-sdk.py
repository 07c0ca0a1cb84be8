# The official Python SDK (PyPI package `yoti`) doing the get-session loop of `idv-bench e2e`,
# against the same emulator, for scripts/bench.sh. The package is installed by that script
# into a scratch virtual environment under the target directory; it is never committed.
#
#   python bench-python-sdk.py SDK_ID KEY.pem API_URL SESSION_ID SECS MAX
#
# Prints one JSON line: {"case":"python-c1","requests","errors","secs","rps","cpu_us_per_request"}
# (CPU time of this process, user + system, per request). A sequential loop bounded by MAX
# requests and SECS seconds, after a 300 ms warm-up; talks to API_URL (loopback) only.
import json
import sys
import time

from yoti_python_sdk.doc_scan import DocScanClient


def run(client, session_id, deadline, limit):
    ok = errors = 0
    first_error = None
    while time.monotonic() < deadline and ok + errors < limit:
        try:
            client.get_session(session_id)
            ok += 1
        except Exception as e:  # the SDK raises its own and requests' exceptions
            errors += 1
            first_error = first_error or e
    return ok, errors, first_error


def main():
    if len(sys.argv) != 7:
        print("usage: bench-python-sdk.py SDK_ID KEY.pem API_URL SESSION_ID SECS MAX", file=sys.stderr)
        sys.exit(2)
    sdk_id, key_path, api_url, session_id, secs, limit = sys.argv[1:]
    client = DocScanClient(sdk_id, key_path, api_url=api_url)
    run(client, session_id, time.monotonic() + 0.3, float("inf"))
    cpu = time.process_time()
    start = time.monotonic()
    ok, errors, first_error = run(client, session_id, start + float(secs), int(limit))
    elapsed = time.monotonic() - start
    used_us = (time.process_time() - cpu) * 1e6
    print(json.dumps({
        "case": "python-c1",
        "requests": ok,
        "errors": errors,
        "secs": round(elapsed, 3),
        "rps": round(ok / elapsed, 1),
        "cpu_us_per_request": round(used_us / max(ok, 1), 1),
    }), flush=True)
    if errors:
        print(f"bench-python-sdk: {errors} requests failed; first: {first_error}", file=sys.stderr)
        sys.exit(1)


main()
