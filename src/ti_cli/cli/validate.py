"""``ti validate [PATH…]``: every file checked, every finding at its file, line and column."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ti_cli.cli.common import DATA, AsOf, Force, Strict, UsageProblem, in_github_actions, on_terminal, today

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
    from ti_cli.output.findings import EXTENSIONS, FORMATS, RENDERERS
    from ti_cli.rules import Context
    from ti_cli.rules.engine import validate as run_validate

    targets = paths or [DATA]
    for path in targets:
        if not path.exists():
            raise UsageProblem(f"{path}: no such file or folder")
    chosen = pick_format(fmt, output, FORMATS, EXTENSIONS)
    if changed_since is None:
        from ti_cli.cache import Cache

        report = run_validate(targets, Context(today(as_of)), cache=None if no_cache else Cache())
    else:
        from ti_cli.vcs.changes import validate_changed

        report = validate_changed(changed_since, targets, Context(today(as_of)))
    text = RENDERERS[chosen](report)
    if output is not None:
        from ti_cli.loading.writer import write_output

        write_output(output, text, force=force)
    elif chosen == "table":
        from rich.console import Console

        Console(highlight=False, soft_wrap=True).print(text, end="")
    else:
        typer.echo(text, nl=False)
    raise typer.Exit(1 if report.failed(strict) else 0)


def pick_format(fmt: str, output: Path | None, formats: tuple[str, ...], extensions: dict[str, str]) -> str:
    if fmt not in formats:
        raise UsageProblem(f"unknown format '{fmt}': choose one of {', '.join(formats)}")
    if fmt != "auto":
        return fmt
    if output is not None:
        return extensions.get(output.suffix, "plain")
    if in_github_actions():
        return "github"
    return "table" if on_terminal() else "plain"
