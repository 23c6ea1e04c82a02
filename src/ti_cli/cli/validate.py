"""``ti validate [PATH…]``: every file checked, every finding at its file, line and column."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ti_cli.cli.common import AsOf, Force, Strict, today

Format = Annotated[
    str,
    typer.Option("--format", "-f", help="auto | table | plain | json | github | junit | sarif. auto: GitHub "
                 "annotations inside GitHub Actions, the table on a terminal, plain lines otherwise."),
]
Output = Annotated[
    Path | None, typer.Option("--output", "-o", help="Write to FILE; the format follows its extension.")
]


def register(app: typer.Typer) -> None:
    app.command("validate")(validate)


def validate(
    paths: Annotated[list[Path] | None, typer.Argument(help="Files or folders (default: data/).")] = None,
    fmt: Format = "auto",
    strict: Strict = False,
    output: Output = None,
    as_of: AsOf = None,
    changed_since: Annotated[str | None, typer.Option(
        "--changed-since", metavar="REF", help="Only the files git sees changed since REF, plus every rule "
        "that spans the contract or pacte they belong to (for pull requests).")] = None,
    no_cache: Annotated[bool, typer.Option("--no-cache", help="Ignore and do not write .ti-cache/.")] = False,
    force: Force = False,
) -> None:
    """Check files against the formats and the contract's rules; exit 1 on errors."""
    from ti_cli.validation import check

    raise typer.Exit(check(paths, fmt, strict, output, today(as_of), changed_since, no_cache, force=force))
