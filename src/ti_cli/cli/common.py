"""What every command shares: option types, resolving a contract, refusing to compute on broken data."""

from __future__ import annotations

import datetime as dt
import os
import sys
from pathlib import Path
from typing import Annotated, NoReturn

import typer

DATA = Path("data")

AsOf = Annotated[
    dt.datetime | None,
    typer.Option("--as-of", formats=["%Y-%m-%d"], help="Date the answer is computed for (default: today)."),
]
Strict = Annotated[bool, typer.Option("--strict", help="Warnings also make the exit code 1.")]


class UsageProblem(Exception):
    """A problem with what the user asked (a missing path, an unknown contract): exit 2, no traceback."""


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
    raise UsageProblem(f"no contract '{contract}': give an id under {DATA / 'contracts'}/ or a folder "
                       "holding contract.yaml")


def pacte_root(pacte: str) -> Path:
    path = Path(pacte)
    for candidate in (path, DATA / "pactes" / pacte):
        if (candidate / "pacte.yaml").is_file():
            return candidate
    raise UsageProblem(f"no pacte '{pacte}': give an id under {DATA / 'pactes'}/ or a folder holding pacte.yaml")


def on_terminal() -> bool:
    return sys.stdout.isatty()


def in_github_actions() -> bool:
    return os.environ.get("GITHUB_ACTIONS") == "true"


def run(app: typer.Typer) -> None:
    """Run the app; a usage problem or an I/O error is one line and exit 2, never a traceback."""
    try:
        app()
    except UsageProblem as exc:
        fail(str(exc))
    except OSError as exc:
        fail(f"{exc.filename or ''}: {exc.strerror or exc}".lstrip(": "))
    except KeyboardInterrupt:
        fail("interrupted", 130)
