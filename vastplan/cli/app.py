"""The typer application: the root options and the table of commands (DESIGN §10).

Each command lives in a module of its own; this module only wires them. Commands import the engine
lazily, so that ``--help`` and ``--version`` answer at once and ``validate`` never loads the client.
"""

from __future__ import annotations

import typer

import vastplan
from vastplan.cli.apply import apply
from vastplan.cli.export import export
from vastplan.cli.options import DebugOpt, NoColorOpt, VerboseOpt, activate
from vastplan.cli.plan import plan
from vastplan.cli.show import show
from vastplan.cli.sim import sim_app
from vastplan.cli.validate import validate

HELP = (
    "Terraform-style plan/apply for VAST Data clusters.\n\n"
    "Keep views, view policies, quotas, folders and snapshots in YAML specs: plan shows what would change, "
    "apply changes exactly that.\n\n"
    "Connection: --endpoint or VAST_ENDPOINT; VAST_USER and VAST_PASSWORD, or VAST_API_TOKEN. "
    "No cluster at hand? Use --endpoint sim://demo.json, an embedded simulator."
)

app = typer.Typer(
    name="vastplan",
    help=HELP,
    no_args_is_help=True,
    add_completion=False,
    # main() reports errors itself: a one-paragraph message, and a traceback only with --debug.
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _print_version(value: bool) -> None:
    if value:
        typer.echo(f"vastplan {vastplan.__version__}")
        raise typer.Exit()


@app.callback()
def root(
    ctx: typer.Context,
    version: bool = typer.Option(
        False, "--version", is_eager=True, callback=_print_version, help="Print the version and exit."
    ),
    verbose: VerboseOpt = 0,
    debug: DebugOpt = False,
    no_color: NoColorOpt = False,
) -> None:
    activate(ctx, verbose, debug, no_color)


app.command()(validate)
app.command()(plan)
app.command()(show)
app.command()(apply)
app.command()(export)
app.add_typer(sim_app)
