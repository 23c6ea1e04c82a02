"""The ``ti`` command: every command family registered here, in one visible place.

Each module under ``cli/`` parses its options and calls the engine; none computes or renders itself.
Heavy libraries (jinja, document writers, openpyxl) are imported inside the commands that need them so
that ``ti --help`` and ``ti validate`` stay fast.
"""

from __future__ import annotations

import typer

from ti_cli.cli import (
    avenant,
    calendar,
    ci,
    decisions,
    diff,
    export,
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
from ti_cli.cli.words import Group
from ti_cli.i18n import _, language

app = typer.Typer(
    name="ti",
    cls=Group,
    help=_(
        "Territoire d'industrie: the contract, its actions and the pacte as YAML files — checked, added up "
        "and turned into documents."
    ),
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
    version: bool = typer.Option(
        False, "--version", is_eager=True, callback=_show_version, help=_("Print ti's version and stop.")
    ),
    lang: str = typer.Option(
        language(),
        "--lang",
        metavar="fr|en",
        show_default=False,
        help=_("Language of every message: fr (default) or en; also TI_LANG=en."),
    ),
) -> None:
    """``--lang`` is read by the console script (``launch.py``) before the app is built, since Typer reads
    help texts then; it is declared here so that help pages show it."""


COMMANDS = (
    init,
    validate,
    schema,
    pacte,
    totals,
    calendar,
    render,
    report,
    diff,
    avenant,
    decisions,
    ci,
    new,
    share,
    imports,
    export,
    serve,
)
for module in COMMANDS:
    module.register(app)

guard(app)


def main() -> None:
    import sys

    from ti_cli.cli.common import run

    run(narrowed(app, sys.argv[1:2]))


def narrowed(full: typer.Typer, first: list[str]) -> typer.Typer:
    """The app with only the command named first on the command line, when there is one: Typer builds
    every command's options before running one (some 30 ms of the 3× budget of ``ti render … --to pdf``,
    issue 12). Anything else (an option, an unknown word) runs the full app, which explains it."""
    commands = [c for c in full.registered_commands if first and c.name == first[0]]
    groups = [
        g
        for g in full.registered_groups
        if first and g.typer_instance is not None and first[0] in (g.name, g.typer_instance.info.name)
    ]
    if not commands and not groups:
        return full
    narrow = typer.Typer(
        **{k: getattr(full.info, k) for k in ("name", "help", "no_args_is_help")},
        cls=Group,
        add_completion=False,
        rich_markup_mode="rich",
        pretty_exceptions_enable=False,
    )
    narrow.registered_callback = full.registered_callback
    narrow.registered_commands, narrow.registered_groups = commands, groups
    return narrow


def help_page() -> str:
    """What ``ti --help`` prints in the current language, as stored in ``help.<lang>.txt`` for the fast path
    of ``ti_cli.launch`` (``make docs`` runs it once per language: Typer reads help texts at import)."""
    from typer.testing import CliRunner

    return CliRunner().invoke(app, ["--help"], prog_name="ti", env={"COLUMNS": "100", "NO_COLOR": "1"}).output
