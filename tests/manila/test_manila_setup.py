"""Loading, options, setup errors, TLS: the driver as manila-share loads it (MANILA.md §1.1, §4.2)."""

from __future__ import annotations

import socket
from typing import Any

import pytest
from manila_testlib import SIM_VIPS, control, https_simulator, rule, share

from vastplan.sim import Simulator

pytestmark = pytest.mark.manila
pytest.importorskip("manila.share.driver")

from manila import exception
from manila.share import driver as share_driver

from manila_vast.exceptions import VastBackendError
from manila_vast.options import VAST_OPTS, list_opts

CONTRACT_OPTIONS = {
    "vast_mgmt_host": None,
    "vast_mgmt_port": 443,
    "vast_vippool_name": None,
    "vast_root_export": "manila",
    "vast_mgmt_user": None,
    "vast_mgmt_password": None,
    "vast_api_token": "",
    "vast_ssl_cert_verify": True,
    "vast_ssl_cert_path": None,
    "vast_tenant_name": None,
    "vast_root_squash": False,
}


def test_loads_as_manila_share_loads_it(make_driver: Any) -> None:
    drv = make_driver()
    assert isinstance(drv, share_driver.ShareDriver)
    assert drv.driver_handles_share_servers is False
    assert drv.ipv6_implemented is True
    assert drv.get_network_allocations_number() == 0
    # The options live in the backend's group (config_opts), with the contract's defaults.
    group = drv.configuration.config_group
    assert drv.configuration.safe_get("vast_vippool_name") == "vippool-1"
    assert group.startswith("vast_test_")


def test_options_are_the_contract_with_help_and_secrets() -> None:
    opts = {opt.name: opt for opt in VAST_OPTS}
    for name, default in CONTRACT_OPTIONS.items():
        assert opts[name].default == default, name
    assert all(opt.help for opt in VAST_OPTS)
    assert {o.name for o in VAST_OPTS if o.secret} == {"vast_mgmt_password", "vast_api_token"}
    assert list_opts() == [("DEFAULT", VAST_OPTS)]


def test_entry_point_lists_the_options() -> None:
    from importlib.metadata import entry_points

    (entry,) = [e for e in entry_points(group="oslo.config.opts") if e.name == "manila_vast"]
    assert entry.load()() == list_opts()


@pytest.mark.parametrize("missing", ["vast_mgmt_host", "vast_vippool_name"])
def test_missing_required_option(make_driver: Any, missing: str) -> None:
    drv = make_driver(setup=False, **{missing: None})
    with pytest.raises(
        exception.BadConfigurationException, match=f"{missing} must be set in the \\[vast_test_"
    ):
        drv.do_setup(None)


def test_missing_credentials(make_driver: Any) -> None:
    drv = make_driver(setup=False, vast_mgmt_password=None)
    with pytest.raises(
        exception.BadConfigurationException, match="vast_mgmt_user and vast_mgmt_password, or"
    ):
        drv.do_setup(None)


def test_bad_root_export(make_driver: Any) -> None:
    drv = make_driver(setup=False, vast_root_export="/")
    with pytest.raises(exception.BadConfigurationException, match="vast_root_export"):
        drv.do_setup(None)


def test_wrong_password_is_a_clear_error_without_the_password(make_driver: Any) -> None:
    drv = make_driver(setup=False, vast_mgmt_password="not-the-password-xyz")
    drv.do_setup(None)
    with pytest.raises(VastBackendError, match="refused the credentials") as caught:
        drv.check_for_setup_error()
    assert "not-the-password-xyz" not in str(caught.value)


def test_api_token_login(make_driver: Any, sim: Simulator) -> None:
    # In-tree bug 10: token mode logged in with no password at setup. Here the token is simply used.
    token = control(sim, "POST", "/_sim/apitokens", {"owner": "admin"})["token"]
    drv = make_driver(vast_mgmt_user=None, vast_mgmt_password=None, vast_api_token=token)
    assert drv.create_share(None, share("tok"))


def test_missing_vip_pool(make_driver: Any) -> None:
    drv = make_driver(setup=False, vast_vippool_name="no-such-pool")
    drv.do_setup(None)
    with pytest.raises(VastBackendError, match="VIP pool 'no-such-pool' does not exist"):
        drv.check_for_setup_error()


def test_missing_tenant(make_driver: Any) -> None:
    drv = make_driver(setup=False, vast_tenant_name="no-such-tenant")
    drv.do_setup(None)
    with pytest.raises(VastBackendError, match="tenant 'no-such-tenant'"):
        drv.check_for_setup_error()


def test_unreachable_cluster(make_driver: Any) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # nothing listens here once the socket is closed
    drv = make_driver(
        setup=False, adapter=None, vast_mgmt_host="127.0.0.1", vast_mgmt_port=port, vast_mgmt_timeout=2
    )
    drv.do_setup(None)
    with pytest.raises(VastBackendError, match="cannot reach the VMS at https://127.0.0.1"):
        drv.check_for_setup_error()


def test_tls_is_verified_by_default(make_driver: Any, tmp_path: Any) -> None:
    # In-tree bug 9: verification was hard-coded off. Here an unknown CA is refused...
    with https_simulator(tmp_path) as (server, ca_file):
        options = {"adapter": None, "vast_mgmt_host": "127.0.0.1", "vast_mgmt_port": server.port}
        drv = make_driver(setup=False, **options)
        drv.do_setup(None)
        with pytest.raises(VastBackendError, match="cannot reach the VMS"):
            drv.check_for_setup_error()
        # ...and the CA bundle option makes it trusted, over real HTTPS.
        drv = make_driver(vast_ssl_cert_path=ca_file, **options)
        locations = drv.create_share(None, share("tls"))
        assert [loc["path"].split(":")[0] for loc in locations] == SIM_VIPS
        assert drv.update_access(None, share("tls"), [rule("10.0.0.0/24")], [], [], []) == {}


@pytest.mark.filterwarnings("ignore:Unverified HTTPS request")
def test_tls_verification_can_be_turned_off_explicitly(make_driver: Any, tmp_path: Any) -> None:
    with https_simulator(tmp_path) as (server, _):
        drv = make_driver(
            adapter=None, vast_mgmt_host="127.0.0.1", vast_mgmt_port=server.port, vast_ssl_cert_verify=False
        )
        assert drv.create_share(None, share("insecure"))


def test_no_secret_in_logs_or_errors(make_driver: Any, sim: Simulator, caplog: Any) -> None:
    import logging

    caplog.set_level(logging.DEBUG)
    token = control(sim, "POST", "/_sim/apitokens", {"owner": "admin"})["token"]
    drv = make_driver(vast_mgmt_user=None, vast_mgmt_password=None, vast_api_token=token)
    drv.create_share(None, share("s1"))
    drv.update_access(None, share("s1"), [rule("10.0.0.0/24")], [], [], [])
    drv.ensure_shares(None, [share("s1")])
    drv.delete_share(None, share("s1"))
    errors = []
    for options in (
        {"vast_mgmt_password": "pw-never-shown-42"},
        {"vast_api_token": "tok-never-shown-42", "vast_mgmt_user": None},
    ):
        bad = make_driver(setup=False, **options)
        bad.do_setup(None)
        with pytest.raises(VastBackendError) as caught:
            bad.check_for_setup_error()
        errors.append(str(caught.value))
        assert "never-shown" not in repr(bad.backend.client.config)
    shown = caplog.text + "".join(errors)
    for secret in (token, "pw-never-shown-42", "tok-never-shown-42"):
        assert secret not in shown
