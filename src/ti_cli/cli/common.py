"""What every command shares: option types, resolving a contract, refusing to compute on broken data."""

from __future__ import annotations

import datetime as dt
import functools
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer

from ti_cli.i18n import _
from ti_cli.usage import UsageProblem as UsageProblem  # defined without Typer (fast path of ti validate)
from ti_cli.usage import check_format as check_format
from ti_cli.usage import os_problem

if TYPE_CHECKING:
    from ti_cli.findings import Finding
    from ti_cli.loading.bundle import ContractBundle, PacteBundle

DATA = Path("data")

# The options and arguments several commands share: one spelling, one help text each.
AsOf = Annotated[
    dt.datetime | None,
    typer.Option(
        "--as-of",
        formats=["%Y-%m-%d"],
        metavar=_("YYYY-MM-DD"),
        help=_("Date the answer is computed for (default: today)."),
    ),
]
Strict = Annotated[bool, typer.Option("--strict", help=_("Warnings also make the exit code 1."))]
Force = Annotated[
    bool,
    typer.Option(
        "--force", help=_("Replace the --output file even if ti did not write it (never needed for ti's own).")
    ),
]
ContractArg = Annotated[
    str, typer.Argument(metavar=_("CONTRACT"), help=_("A contract id under data/contracts/, or its folder."))
]


def today(as_of: dt.datetime | None) -> dt.date:
    return as_of.date() if as_of else dt.date.today()


def fail(message: str, code: int = 2) -> NoReturn:
    typer.echo(f"ti: {message}", err=True)
    raise typer.Exit(code)


def contract_root(contract: str) -> Path:
    """``CONTRACT`` is an id under ``data/contracts/`` or a path to its folder."""
    path = Path(contract)
    for candidate in (path, DATA / "contracts" / contract):
        if (candidate / "contract.yaml").is_file():
            return candidate
    raise UsageProblem(
        _("no contract '{contract}': give an id under {folder}/ or a folder holding contract.yaml").format(
            contract=contract, folder=DATA / "contracts"
        )
    )


def pacte_root(pacte: str) -> Path:
    path = Path(pacte)
    for candidate in (path, DATA / "pactes" / pacte):
        if (candidate / "pacte.yaml").is_file():
            return candidate
    raise UsageProblem(
        _("no pacte '{pacte}': give an id under {folder}/ or a folder holding pacte.yaml").format(
            pacte=pacte, folder=DATA / "pactes"
        )
    )


def on_terminal() -> bool:
    return sys.stdout.isatty()


def in_github_actions() -> bool:
    return os.environ.get("GITHUB_ACTIONS") == "true"


def _guarded(callback: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(callback)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return callback(*args, **kwargs)
        except UsageProblem as exc:
            fail(str(exc))
        except OSError as exc:
            fail(os_problem(exc))

    return wrapper


def guard(app: typer.Typer) -> None:
    """Wrap every command (sub-apps included): usage and I/O problems become one line and exit 2; every
    command and group speaks the user's language, Typer's own words included (``cli/words.py``)."""
    from typer.core import TyperCommand

    from ti_cli.cli.words import Command, Group

    for command in app.registered_commands:
        if command.cls in (None, TyperCommand):  # Typer's default: give it the user's words
            command.cls = Command
        if command.callback is not None and not hasattr(command.callback, "__wrapped__"):
            command.callback = _guarded(command.callback)
    for group in app.registered_groups:
        group.cls = Group
        if group.typer_instance is not None:
            guard(group.typer_instance)


def run(app: typer.Typer) -> None:
    """Run the app (commands are guarded); an interrupt is one line, never a traceback."""
    try:
        app()
    except KeyboardInterrupt:
        fail(_("interrupted"), 130)


def load_checked_contract(contract: str, as_of: dt.datetime | dt.date | None = None) -> ContractBundle:
    """The contract loaded and validated; on errors its findings go to stderr and the exit code is 1.

    Every command that computes or renders goes through here: nothing is ever computed on broken data.
    """
    from ti_cli.workflow.checked import checked

    done = checked("contract", contract_root(contract), _day(as_of))
    refuse_on_errors(done.findings, done.files)
    bundle: ContractBundle = done.bundle
    return bundle


def load_checked_pacte(pacte: str, as_of: dt.datetime | dt.date | None = None) -> PacteBundle:
    """The pacte loaded and validated, like ``load_checked_contract``."""
    from ti_cli.workflow.checked import checked

    done = checked("pacte", pacte_root(pacte), _day(as_of))
    refuse_on_errors(done.findings, done.files)
    bundle: PacteBundle = done.bundle
    return bundle


def refuse_on_errors(
    findings: list[Finding], files: int, *, show_source: bool = True, outcome: str | None = None
) -> None:
    """Print the error findings (stderr: stdout stays clean for JSON) and exit 1 when there are any.

    ``show_source=False`` when the files on disk are not what the findings are about (a spreadsheet,
    files not written yet): plain lines then, without quoting the file."""
    from ti_cli.findings import Severity
    from ti_cli.output.findings import plain, table
    from ti_cli.rules.engine import Report

    errors = sorted({f for f in findings if f.severity is Severity.error}, key=lambda f: f.sort_key())
    if not errors:
        return
    report = Report(files, errors)
    if show_source and sys.stderr.isatty():
        from rich.console import Console

        Console(stderr=True, highlight=False, soft_wrap=True).print(table(report), end="")
    else:
        typer.echo(plain(report), err=True, nl=False)
    typer.echo(
        "ti: "
        + _("the data has errors (above); fix them first — {outcome}.").format(
            outcome=outcome or _("nothing was computed")
        ),
        err=True,
    )
    raise typer.Exit(1)


def _day(as_of: dt.datetime | dt.date | None) -> dt.date:
    if isinstance(as_of, dt.datetime):
        return as_of.date()
    return as_of or dt.date.today()
