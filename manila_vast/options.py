"""The driver's options (a contract, DESIGN §9), read from the backend section of manila.conf.

``list_opts`` is the ``oslo.config.opts`` entry point (``manila_vast``), so that
``oslo-config-generator --namespace manila_vast`` documents them. Like manila's own driver options they are
listed under ``DEFAULT`` and set in each backend section (``enabled_share_backends``).

The first seven keep the in-tree driver's names, defaults and meaning, so that a backend section written
for it works unchanged (MANILA.md §2.1 "Configuration options").
"""

from __future__ import annotations

from oslo_config import cfg

__all__ = ["VAST_OPTS", "list_opts"]

VAST_OPTS: list[cfg.Opt] = [
    cfg.HostAddressOpt(
        "vast_mgmt_host",
        help="Host name or IP address of the VAST management server (VMS). Required.",
    ),
    cfg.PortOpt(
        "vast_mgmt_port",
        default=443,
        help="HTTPS port of the VAST management server.",
    ),
    cfg.StrOpt(
        "vast_vippool_name",
        help="Name of the VAST VIP pool whose addresses are published as the shares' export locations. "
        "Required.",
    ),
    cfg.StrOpt(
        "vast_root_export",
        default="manila",
        help="Directory under which share directories are created, as /<vast_root_export>/manila-<share "
        "instance id>. Changing it hides every existing share from the driver.",
    ),
    cfg.StrOpt(
        "vast_mgmt_user",
        help="VMS user name. Give it with vast_mgmt_password, or give vast_api_token instead.",
    ),
    cfg.StrOpt(
        "vast_mgmt_password",
        secret=True,
        help="Password of vast_mgmt_user.",
    ),
    cfg.StrOpt(
        "vast_api_token",
        default="",
        secret=True,
        help="VMS API token (sent as 'Authorization: Api-Token ...'). When set it is used instead of "
        "vast_mgmt_user and vast_mgmt_password.",
    ),
    cfg.BoolOpt(
        "vast_ssl_cert_verify",
        default=True,
        help="Verify the VMS's TLS certificate. Turning this off exposes the management credentials to "
        "anyone who can intercept the connection; prefer vast_ssl_cert_path for a private CA.",
    ),
    cfg.StrOpt(
        "vast_ssl_cert_path",
        help="Path of a PEM file of CA certificates to verify the VMS's certificate with (a private CA). "
        "Unset: the system's trusted CAs.",
    ),
    cfg.StrOpt(
        "vast_tenant_name",
        help="VAST tenant that owns the shares' views, policies, quotas and snapshots. Unset: the "
        "cluster's default tenant.",
    ),
    cfg.BoolOpt(
        "vast_root_squash",
        default=False,
        help="False: hosts granted access keep root (they are listed in nfs_no_squash, as manila's "
        "reference NFS helper exports with no_root_squash). True: root is squashed for them (they are "
        "listed in nfs_root_squash).",
    ),
    cfg.FloatOpt(
        "vast_mgmt_timeout",
        default=60.0,
        min=1.0,
        help="Seconds to wait for the VMS to answer one request.",
    ),
    cfg.IntOpt(
        "vast_apply_parallelism",
        default=8,
        min=1,
        max=64,
        help="How many VMS calls one change may run at once (ensure_shares repairs many shares in one "
        "change).",
    ),
]


def list_opts() -> list[tuple[str, list[cfg.Opt]]]:
    """The ``oslo.config.opts`` entry point."""
    return [("DEFAULT", list(VAST_OPTS))]
