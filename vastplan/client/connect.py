"""``connect()``: a client for any endpoint, ``sim://FILE`` included."""

from __future__ import annotations

import os
from dataclasses import replace

from vastplan.client.config import ConnectionConfig
from vastplan.client.session import RequestHook, VmsClient

__all__ = ["SIM_DEFAULT_PASSWORD", "SIM_DEFAULT_USER", "connect"]

# The login of a fresh simulated cluster (DESIGN.md §8); used for sim:// when no credentials are given,
# since the embedded simulator is a local demo with nothing to protect.
SIM_DEFAULT_USER = "admin"
SIM_DEFAULT_PASSWORD = "123456"


def connect(config: ConnectionConfig, *, on_request: RequestHook | None = None) -> VmsClient:
    """A :class:`VmsClient` for ``config.endpoint``.

    ``https://`` and ``http://`` endpoints go over the network. ``sim://FILE`` opens an in-process
    simulator whose state lives in FILE (relative to the current directory) and mounts it as the
    session's transport: no socket, no TLS.
    """
    endpoint = config.parsed_endpoint
    if endpoint.scheme != "sim":
        return VmsClient(config, on_request=on_request)
    # Imported here: the client must not need the simulator unless a sim:// endpoint is used.
    from vastplan.sim import Simulator

    state_file = os.path.abspath(os.path.expanduser(endpoint.sim_file))
    adapter = Simulator.open_file(state_file).adapter()
    if not config.username and not config.api_token:
        config = replace(config, username=SIM_DEFAULT_USER, password=SIM_DEFAULT_PASSWORD)
    return VmsClient(config, adapter=adapter, on_request=on_request)
