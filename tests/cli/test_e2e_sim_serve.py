"""``vastplan sim serve`` as other programs use it: HTTPS with a certificate, state kept in a file."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from .harness import EXAMPLES, SIM_PASSWORD, SIM_USER, SimServer, base_env, run

pytestmark = pytest.mark.e2e

QUICKSTART = EXAMPLES / "quickstart.yaml"


@pytest.fixture(scope="module")
def tls_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    trustme = pytest.importorskip("trustme")
    folder = tmp_path_factory.mktemp("tls")
    ca = trustme.CA()
    cert = ca.issue_cert("127.0.0.1", "localhost")
    files = {"ca": folder / "ca.pem", "cert": folder / "cert.pem", "key": folder / "key.pem"}
    ca.cert_pem.write_to_path(str(files["ca"]))
    cert.cert_chain_pems[0].write_to_path(str(files["cert"]))
    cert.private_key_pem.write_to_path(str(files["key"]))
    return files


@pytest.fixture(scope="module")
def https_sim(tmp_path_factory: pytest.TempPathFactory, tls_files: dict[str, Path]) -> Iterator[SimServer]:
    server = SimServer(
        tmp_path_factory.mktemp("https") / "state.json",
        "--cert",
        str(tls_files["cert"]),
        "--key",
        str(tls_files["key"]),
        ca_bundle=str(tls_files["ca"]),
    )
    try:
        yield server
    finally:
        server.stop()


def _login(url: str, **extra: str) -> dict[str, str]:
    return base_env(VAST_ENDPOINT=url, VAST_USER=SIM_USER, VAST_PASSWORD=SIM_PASSWORD, **extra)


def test_https_with_a_ca_bundle(https_sim: SimServer, tls_files: dict[str, Path]) -> None:
    assert https_sim.url.startswith("https://127.0.0.1:")
    result = run("plan", QUICKSTART, "--ca-bundle", tls_files["ca"], env=_login(https_sim.url))
    assert result.code == 0, result.output
    assert "WARNING" not in result.err


def test_unverified_certificate_is_an_error_naming_the_endpoint(https_sim: SimServer) -> None:
    run("plan", QUICKSTART, env=_login(https_sim.url)).assert_error("127.0.0.1")


@pytest.mark.parametrize("how", ["flag", "env"])
def test_insecure_works_with_a_warning(https_sim: SimServer, how: str) -> None:
    flags, extra = (["--insecure"], {}) if how == "flag" else ([], {"VAST_INSECURE": "1"})
    result = run("plan", QUICKSTART, *flags, env=_login(https_sim.url, **extra))
    assert result.code == 0, result.output
    assert "WARNING" in result.err and "TLS verification is off" in result.err


def test_state_file_outlives_the_server(tmp_path: Path) -> None:
    state = tmp_path / "state.json"
    first = SimServer(state)
    try:
        assert run("apply", QUICKSTART, "--auto-approve", env=_login(first.url)).code == 0
    finally:
        first.stop()
    assert first.proc.returncode == 0  # SIGTERM is a clean stop
    second = SimServer(state)
    try:
        again = run("plan", QUICKSTART, "--detailed-exitcode", env=_login(second.url))
        assert again.code == 0, again.output
    finally:
        second.stop()


def test_missing_certificate_file(tmp_path: Path) -> None:
    result = run("sim", "serve", "--cert", tmp_path / "no.pem", "--key", tmp_path / "no.key")
    result.assert_error("--cert", "no.pem")
