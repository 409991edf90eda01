"""``vastplan sim serve``: the VMS simulator as a local HTTP(S) server (DESIGN §8).

For other programs and other VMS clients (vastpy, curl, a Terraform provider) to test against. It binds
127.0.0.1 by default: it accepts the well-known demo login, so it must not be reachable from elsewhere
unless someone asks for that explicitly.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from vastplan.cli.failures import CliError
from vastplan.cli.options import DebugOpt, NoColorOpt, VerboseOpt, activate

sim_app = typer.Typer(name="sim", help="The VAST VMS simulator.", no_args_is_help=True)

HostOpt = Annotated[str, typer.Option("--host", help="Address to listen on.")]
PortOpt = Annotated[
    int,
    typer.Option(
        "--port",
        min=0,
        max=65535,
        help="Port to listen on; 0 picks a free one. The first output line gives the URL.",
    ),
]
StateOpt = Annotated[
    Path | None,
    typer.Option(
        "--state", metavar="FILE", help="Keep the cluster's state in this JSON file (loaded if it exists)."
    ),
]
CertOpt = Annotated[
    Path | None,
    typer.Option("--cert", metavar="PEM", help="Serve HTTPS with this certificate (needs --key)."),
]
KeyOpt = Annotated[Path | None, typer.Option("--key", metavar="PEM", help="Private key of --cert.")]


@sim_app.command("serve")
def serve(
    ctx: typer.Context,
    host: HostOpt = "127.0.0.1",
    port: PortOpt = 0,
    state: StateOpt = None,
    cert: CertOpt = None,
    key: KeyOpt = None,
    verbose: VerboseOpt = 0,
    debug: DebugOpt = False,
    no_color: NoColorOpt = False,
) -> None:
    """Serve the simulator until interrupted (Ctrl-C or SIGTERM). Login: admin / 123456."""
    activate(ctx, verbose, debug, no_color)
    check_tls_files(cert, key)
    from vastplan.sim.server import run_serve

    code = run_serve(host, port, state, cert, key)
    if code:
        raise typer.Exit(code)


def check_tls_files(cert: Path | None, key: Path | None) -> None:
    if (cert is None) != (key is None):
        raise CliError("--cert and --key go together: give both to serve HTTPS, or neither for HTTP")
    for flag, path in (("--cert", cert), ("--key", key)):
        if path is not None and not path.is_file():
            raise CliError(f"{flag} {path}: no such file")
