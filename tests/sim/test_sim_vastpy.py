"""VAST's own SDK, vastpy, against ``serve()`` over HTTPS with Basic auth: a fidelity check of the wire shape.

vastpy builds ``https://<address>/api/latest/<resource>/`` URLs, sends Basic auth (or ``Api-Token``), repeats
list-valued query keys and verifies the server against ``cert_file`` (a CA bundle) when given one.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from vastplan.sim import SimServer, serve

vastpy = pytest.importorskip("vastpy")


@pytest.fixture
def tls_server(tls_files: dict[str, Path]) -> Iterator[SimServer]:
    with serve(cert=tls_files["cert"], key=tls_files["key"]) as server:
        yield server


def _client(server: SimServer, tls_files: dict[str, Path], **auth: Any) -> Any:
    return vastpy.VASTClient(address=f"127.0.0.1:{server.port}", cert_file=str(tls_files["ca"]), **auth)


def test_vastpy_manages_a_view_policy_and_a_view(tls_server: SimServer, tls_files: dict[str, Path]) -> None:
    client = _client(tls_server, tls_files, user="admin", password="123456")
    assert client.viewpolicies.get() == []

    policy = client.viewpolicies.post(name="vastpy-pol", nfs_read_write=["10.0.0.0/24"])
    assert policy["name"] == "vastpy-pol" and policy["nfs_read_only"] == ["*"]
    updated = client.viewpolicies[policy["id"]].patch(nfs_read_only=[])
    assert updated["nfs_read_only"] == []
    assert [p["name"] for p in client.viewpolicies.get(name="vastpy-pol")] == ["vastpy-pol"]

    view = client.views.post(path="/vastpy/share", policy_id=policy["id"], create_dir=True, protocols=["NFS"])
    assert view["policy"] == "vastpy-pol"
    assert [v["id"] for v in client.views.get(path="/vastpy/share")] == [view["id"]]
    assert client.views[view["id"]].patch(protocols=["NFS", "NFS4"])["protocols"] == ["NFS", "NFS4"]
    assert [v["path"] for v in client.views.get(path__in=["/vastpy/share", "/other"])] == ["/vastpy/share"]

    with pytest.raises(vastpy.RESTFailure) as refused:
        client.viewpolicies[policy["id"]].delete()
    assert refused.value.status == 400

    client.views[view["id"]].delete()
    client.viewpolicies[policy["id"]].delete()
    assert client.views.get() == [] and client.viewpolicies.get() == []
    assert client.folders.stat_path.post(path="/vastpy/share", tenant_id=1)["is_directory"] is True


def test_vastpy_with_an_api_token_and_a_wrong_password(
    tls_server: SimServer, tls_files: dict[str, Path]
) -> None:
    import requests

    minted = requests.post(
        f"{tls_server.url}/_sim/apitokens", json={}, verify=str(tls_files["ca"]), timeout=5
    )
    client = _client(tls_server, tls_files, token=minted.json()["token"])
    assert client.versions.get(status="success")[0]["sys_version"] == "5.3.0"
    wrong = _client(tls_server, tls_files, user="admin", password="wrong")
    with pytest.raises(vastpy.RESTFailure) as failed:
        wrong.views.get()
    assert failed.value.status == 401


def test_vastpy_clones_a_snapshot_and_tears_the_stream_down(
    tls_server: SimServer, tls_files: dict[str, Path]
) -> None:
    client = _client(tls_server, tls_files, user="admin", password="123456")
    client.folders.create_folder.post(path="/vastpy/src")
    snapshot = client.snapshots.post(name="vastpy-snap", path="/vastpy/src/")
    stream = client.snapshots[snapshot["id"]].clone.post(
        name="vastpy-clone", loanee_root_path="/vastpy/clone", loanee_tenant_id=1, enabled=True
    )
    assert stream["async_task"]["state"] == "RUNNING"
    assert client.vtasks[stream["async_task"]["id"]].get()["state"] == "COMPLETED"
    [listed] = client.globalsnapstreams.get(loanee_snapshot__id=snapshot["id"])
    assert listed["status"]["state"] == "FINISHED"
    deleted = client.globalsnapstreams[stream["id"]].delete(remove_dir=True)
    assert deleted["async_task"]["state"] == "COMPLETED"
    assert client.globalsnapstreams.get() == []
    with pytest.raises(vastpy.RESTFailure):
        client.folders.stat_path.post(path="/vastpy/clone", tenant_id=1)
