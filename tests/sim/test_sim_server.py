"""``serve()`` over HTTP and HTTPS, faults on the wire, and ``run_serve`` as a process."""

from __future__ import annotations

import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import requests

from vastplan.sim import SimServer, SimServerError, Simulator, serve

AUTH = ("admin", "123456")


def test_http_server_serves_the_api_and_the_control_calls(http_server: SimServer) -> None:
    assert http_server.url == f"http://127.0.0.1:{http_server.port}"
    created = requests.post(
        f"{http_server.url}/api/v1/viewpolicies/", json={"name": "p"}, auth=AUTH, timeout=5
    )
    assert created.status_code == 201
    assert created.json()["url"] == f"{http_server.url}/api/v1/viewpolicies/1/"
    calls = requests.get(f"{http_server.url}/_sim/calls", timeout=5).json()
    assert [(c["method"], c["path"], c["status"]) for c in calls] == [("POST", "/api/v1/viewpolicies/", 201)]
    page = requests.get(f"{http_server.url}/api/viewpolicies/", params={"page_size": 1}, auth=AUTH, timeout=5)
    assert page.json()["count"] == 1
    deleted = requests.delete(
        f"{http_server.url}/api/folders/delete_folder/", json={"path": "/nope"}, auth=AUTH, timeout=5
    )
    assert deleted.status_code == 400 and "no such directory" in deleted.text


def test_https_server_with_a_test_certificate(tls_files: dict[str, Path]) -> None:
    with serve(cert=tls_files["cert"], key=tls_files["key"]) as server:
        assert server.url.startswith("https://127.0.0.1:")
        response = requests.get(
            f"{server.url}/api/latest/tenants/", auth=AUTH, verify=str(tls_files["ca"]), timeout=5
        )
        assert response.status_code == 200
        assert response.json()[0]["url"].startswith(server.url)
        with pytest.raises(requests.exceptions.SSLError):
            requests.get(f"{server.url}/api/tenants/", auth=AUTH, timeout=5)  # not trusted without the CA


def test_drop_after_commit_closes_the_socket_without_an_answer(http_server: SimServer) -> None:
    requests.post(f"{http_server.url}/_sim/faults", json={"drop_after_commit": True, "times": 1}, timeout=5)
    with pytest.raises(requests.exceptions.ConnectionError):
        requests.post(f"{http_server.url}/api/viewpolicies/", json={"name": "kept"}, auth=AUTH, timeout=5)
    listed = requests.get(f"{http_server.url}/api/viewpolicies/", auth=AUTH, timeout=5).json()
    assert [p["name"] for p in listed] == ["kept"]


def test_one_slow_request_does_not_delay_another(http_server: SimServer) -> None:
    requests.post(
        f"{http_server.url}/_sim/faults", json={"path": "/views/", "latency_ms": 600, "times": 1}, timeout=5
    )
    slow_done: list[float] = []
    started = time.monotonic()

    def slow() -> None:
        requests.get(f"{http_server.url}/api/views/", auth=AUTH, timeout=5)
        slow_done.append(time.monotonic() - started)

    worker = threading.Thread(target=slow)
    worker.start()
    time.sleep(0.05)
    fast_started = time.monotonic()
    assert requests.get(f"{http_server.url}/api/tenants/", auth=AUTH, timeout=5).status_code == 200
    assert time.monotonic() - fast_started < 0.4
    worker.join()
    assert slow_done and slow_done[0] >= 0.6


def test_server_over_a_state_file_and_an_existing_simulator(tmp_path: Path) -> None:
    state = tmp_path / "served.json"
    with serve(state_file=state) as server:
        requests.post(f"{server.url}/api/viewpolicies/", json={"name": "on-disk"}, auth=AUTH, timeout=5)
    assert "on-disk" in state.read_text()
    sim = Simulator()
    with serve(simulator=sim) as server:
        requests.post(f"{server.url}/api/viewpolicies/", json={"name": "shared"}, auth=AUTH, timeout=5)
    assert sim.backend.viewpolicies.find(name="shared")


def test_serve_refuses_bad_options(tls_files: dict[str, Path], http_server: SimServer) -> None:
    with pytest.raises(SimServerError, match="certificate and a key"):
        serve(cert=tls_files["cert"])
    with pytest.raises(SimServerError, match="cannot load certificate"):
        serve(cert=tls_files["key"], key=tls_files["key"])
    with pytest.raises(SimServerError, match="cannot listen"):
        serve(port=http_server.port)


def test_run_serve_prints_the_url_and_exits_cleanly_on_sigterm(tmp_path: Path) -> None:
    code = "from vastplan.sim import run_serve; raise SystemExit(run_serve(port=0))"
    process = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None
        line = process.stdout.readline().strip()
        assert line.startswith("vastplan simulator listening on http://127.0.0.1:")
        url = line.rsplit(" ", 1)[1]
        assert requests.get(f"{url}/api/versions/", auth=AUTH, timeout=5).json()[0]["sys_version"] == "5.3.0"
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=10) == 0
    finally:
        if process.poll() is None:
            process.kill()


def test_server_answers_without_waiting_for_delayed_acks() -> None:
    # With Nagle's algorithm on, each request on a kept-alive connection waited ~40 ms for a delayed ACK
    # (headers and body are separate writes). Timing is not asserted in tests; the socket option is.
    from vastplan.sim.server import _Handler

    assert _Handler.disable_nagle_algorithm is True
