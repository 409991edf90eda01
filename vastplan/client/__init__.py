"""The VMS REST client: ``requests`` underneath, one exception tree, paging, versions, auth.

Typical use::

    from vastplan.client import ConnectionConfig, connect

    with connect(ConnectionConfig.from_env()) as vms:
        views = vms.list("/views/", {"tenant_id": 1})
        vms.require_version("trash_api")

See docs/client.md for the user's guide; DESIGN.md §7 for the contract.
"""

from __future__ import annotations

from vastplan.client.config import AuthMode, ConnectionConfig, RetryPolicy
from vastplan.client.connect import connect
from vastplan.client.errors import (
    VmsApiError,
    VmsAuthError,
    VmsBadRequest,
    VmsConfigError,
    VmsConflict,
    VmsConnectionError,
    VmsError,
    VmsNotFound,
    VmsPermissionDenied,
    VmsProtocolError,
    VmsServerError,
    VmsTransientError,
    VmsUnsupportedError,
)
from vastplan.client.session import SIM_ORIGIN, Params, RequestHook, VmsClient
from vastplan.client.versions import FEATURES, Feature, parse_version

__all__ = [
    "FEATURES",
    "SIM_ORIGIN",
    "AuthMode",
    "ConnectionConfig",
    "Feature",
    "Params",
    "RequestHook",
    "RetryPolicy",
    "VmsApiError",
    "VmsAuthError",
    "VmsBadRequest",
    "VmsClient",
    "VmsConfigError",
    "VmsConflict",
    "VmsConnectionError",
    "VmsError",
    "VmsNotFound",
    "VmsPermissionDenied",
    "VmsProtocolError",
    "VmsServerError",
    "VmsTransientError",
    "VmsUnsupportedError",
    "connect",
    "parse_version",
]
