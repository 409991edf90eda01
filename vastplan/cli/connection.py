"""Connection options shared by every command that talks to a cluster, and opening the client.

Flags override the ``VAST_*`` environment (read by :meth:`ConnectionConfig.from_env`, the one place that
knows the variables). Secrets have no flag on purpose: a command line is visible to every user of the
machine in ``ps``. They come from ``VAST_PASSWORD`` / ``VAST_API_TOKEN`` or, on a terminal, a hidden prompt.
"""

from __future__ import annotations

import getpass
import logging
import os
import sys
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated, Any

import typer

from vastplan.cli import redact
from vastplan.cli.console import is_terminal

if TYPE_CHECKING:
    from vastplan.client import ConnectionConfig, VmsClient

log = logging.getLogger(__name__)

_PANEL = "Connection"

EndpointOpt = Annotated[
    str | None,
    typer.Option(
        "--endpoint",
        metavar="URL",
        rich_help_panel=_PANEL,
        help="https://host[:port], http://127.0.0.1:PORT (a local simulator) or sim://FILE. "
        "Default: $VAST_ENDPOINT.",
    ),
]
TenantOpt = Annotated[
    str | None,
    typer.Option(
        "--tenant",
        metavar="NAME",
        rich_help_panel=_PANEL,
        help="Tenant to act in (sent as X-Tenant-Name). Default: $VAST_TENANT.",
    ),
]
CaBundleOpt = Annotated[
    str | None,
    typer.Option(
        "--ca-bundle",
        metavar="PEM",
        rich_help_panel=_PANEL,
        help="CA certificates to verify the VMS certificate with. Default: $VAST_CA_BUNDLE.",
    ),
]
InsecureOpt = Annotated[
    bool,
    typer.Option(
        "--insecure",
        rich_help_panel=_PANEL,
        help="Do not verify the VMS certificate (also VAST_INSECURE=1). Logs a warning.",
    ),
]
UserOpt = Annotated[
    str | None,
    typer.Option(
        "--user",
        metavar="NAME",
        rich_help_panel=_PANEL,
        help="VMS user. Default: $VAST_USER. The password comes from $VAST_PASSWORD or a prompt; "
        "or use $VAST_API_TOKEN.",
    ),
]


@dataclass(frozen=True)
class ConnectionOptions:
    """The connection flags as given; None means "use the environment"."""

    endpoint: str | None = None
    tenant: str | None = None
    ca_bundle: str | None = None
    insecure: bool = False
    user: str | None = None


Prompt = Callable[[str], str]


def build_config(
    options: ConnectionOptions,
    environ: Mapping[str, str] | None = None,
    *,
    terminal: bool | None = None,
    ask_user: Prompt = input,
    ask_secret: Prompt = getpass.getpass,
) -> ConnectionConfig:
    """A validated config from flags and environment, asking for a login only on a terminal."""
    from vastplan.client import ConnectionConfig

    env = dict(os.environ if environ is None else environ)
    redact.remember_environment(env)
    overrides: dict[str, Any] = {
        "endpoint": options.endpoint,
        "tenant": options.tenant,
        "ca_bundle": options.ca_bundle,
        "username": options.user,
    }
    if options.insecure:
        overrides["verify_tls"] = False
    interactive = is_terminal(sys.stdin) if terminal is None else terminal
    if interactive and _needs_login(options, env):
        user = options.user or env.get("VAST_USER") or ask_user("VMS user: ").strip()
        password = ask_secret(f"Password for {user}: ")
        redact.remember([password])
        overrides.update(username=user, password=password)
    return ConnectionConfig.from_env(env, **overrides)


def _needs_login(options: ConnectionOptions, env: Mapping[str, str]) -> bool:
    """True when nothing in the environment authenticates us to a real VMS (sim:// needs no login)."""
    endpoint = options.endpoint or env.get("VAST_ENDPOINT", "")
    if not endpoint or endpoint.startswith("sim://"):
        return False
    return not env.get("VAST_API_TOKEN") and not env.get("VAST_PASSWORD")


@contextmanager
def open_client(options: ConnectionOptions) -> Iterator[VmsClient]:
    """Connect as the options and environment say; close the session afterwards."""
    from vastplan.client import connect

    config = build_config(options)
    # The client itself logs a warning when TLS verification is off; logging shows warnings by default.
    log.info("connecting to %s%s", config.endpoint, f" (tenant {config.tenant})" if config.tenant else "")
    with connect(config) as client:
        yield client
