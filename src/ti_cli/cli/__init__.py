"""The ``ti`` command: every command family registered here, in one visible place.

Each module under ``cli/`` parses its options and calls the engine; none computes or renders itself.
Heavy libraries (pandas, jinja, document writers) are imported inside the commands that need them so
that ``ti --help`` and ``ti validate`` stay fast.
"""

from __future__ import annotations

import typer

from ti_cli.cli import (
    avenant,
    ci,
    decisions,
    diff,
    imports,
    init,
    new,
    pacte,
    render,
    report,
    schema,
    serve,
    share,
    totals,
    validate,
)
from ti_cli.cli.common import guard

app = typer.Typer(
    name="ti",
    help="Territoire d'industrie: the contract, its actions and the pacte as YAML files — checked, "
    "added up and turned into documents.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode="rich",
    pretty_exceptions_enable=False,
)


def version_line() -> str:
    from ti_cli import __version__

    return f"ti {__version__}"


def _show_version(value: bool) -> None:
    if value:
        typer.echo(version_line())
        raise typer.Exit()


@app.callback()
def _options(
    version: bool = typer.Option(False, "--version", is_eager=True, callback=_show_version,
                                 help="Affiche la version de ti et s'arrête."),
) -> None:
    """Territoire d'industrie: the contract, its actions and the pacte as YAML files — checked, added up and
    turned into documents."""


COMMANDS = (init, validate, schema, pacte, totals, render, report, diff, avenant, decisions, ci, new, share, imports,
            serve)
for module in COMMANDS:
    module.register(app)

guard(app)


def main() -> None:
    from ti_cli.cli.common import run

    run(app)


def help_page() -> str:
    """What ``ti --help`` prints, as stored in ``help.txt`` for the fast path of ``ti_cli.launch``."""
    from typer.testing import CliRunner

    return CliRunner().invoke(app, ["--help"], prog_name="ti", env={"COLUMNS": "100", "NO_COLOR": "1"}).output
