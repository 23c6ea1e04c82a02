"""``ti validate [PATH…]``: every file checked, every finding at its file, line and column."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ti_cli.cli.common import AsOf, Force, Strict, today
from ti_cli.i18n import _

Format = Annotated[
    str,
    typer.Option(
        "--format",
        "-f",
        metavar="auto|table|plain|json|github|junit|sarif",
        help=_("auto: GitHub annotations inside GitHub Actions, the table on a terminal, plain lines otherwise."),
    ),
]
Output = Annotated[
    Path | None,
    typer.Option("--output", "-o", metavar=_("FILE"), help=_("Write to this file; the format follows its extension.")),
]


def register(app: typer.Typer) -> None:
    app.command("validate", help=_("Check files against the formats and the contract's rules; exit 1 on errors."))(
        validate
    )


def validate(
    paths: Annotated[
        list[Path] | None, typer.Argument(metavar=_("PATH"), help=_("Files or folders (default: data/)."))
    ] = None,
    fmt: Format = "auto",
    strict: Strict = False,
    output: Output = None,
    as_of: AsOf = None,
    changed_since: Annotated[
        str | None,
        typer.Option(
            "--changed-since",
            metavar=_("REVISION"),
            help=_(
                "Only the files git sees changed since this revision, "
                "plus every rule that spans the contract or pacte they belong to (for pull requests)."
            ),
        ),
    ] = None,
    no_cache: Annotated[
        bool, typer.Option("--no-cache", help=_("Ignore the validation cache and write nothing to it."))
    ] = False,
    soon: Annotated[
        int | None,
        typer.Option(
            "--soon",
            min=0,
            metavar="N",
            help=_("Also warn of milestones not done that fall due within N days after --as-of (TI055)."),
        ),
    ] = None,
    force: Force = False,
) -> None:
    from ti_cli.validation import check

    raise typer.Exit(check(paths, fmt, strict, output, today(as_of), changed_since, no_cache, force=force, soon=soon))
