"""``ti ci --base REF``: the pull-request check — validation as GitHub annotations, the change summary.

It validates like ``ti validate --format github`` (same findings, same exit code), then writes what
changed in each contract since ``REF`` as Markdown to ``$GITHUB_STEP_SUMMARY`` (the job's summary page),
or to stdout when that variable is not set. A contract that cannot be compared (errors on either side,
absent at ``REF``) gets a line saying why instead of a diff; only the validation decides the exit code,
so a pull request that repairs broken data on the base branch passes.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Annotated

import typer

from ti_cli.cli.common import DATA, AsOf, Strict, UsageProblem, today
from ti_cli.cli.diff import Base, base_revision
from ti_cli.i18n import _


def register(app: typer.Typer) -> None:
    app.command(
        "ci",
        help=_(
            "For a pull request: validate with GitHub annotations and summarise the changes "
            "since the base revision. The summary (Markdown) goes to $GITHUB_STEP_SUMMARY when "
            "set; exit 1 when validation fails, as ti validate."
        ),
    )(ci)


def ci(
    base: Base = None,
    paths: Annotated[
        list[Path] | None, typer.Argument(metavar=_("PATH"), help=_("Files or folders to validate (default: data/)."))
    ] = None,
    strict: Strict = False,
    as_of: AsOf = None,
) -> None:
    from ti_cli.loading.bundle import OutsideBundles, select
    from ti_cli.output.findings import github
    from ti_cli.rules import Context
    from ti_cli.rules.engine import validate
    from ti_cli.vcs.git import Repo

    targets = paths or [DATA]
    for path in targets:
        if not path.exists():
            raise UsageProblem(_("{path}: no such file or folder").format(path=path))
    base = base_revision(base, targets[0])
    Repo.containing(targets[0]).commit(base)  # an unknown base is a usage problem before any output
    day = today(as_of)
    try:
        report = validate(targets, Context(day))
    except OutsideBundles as exc:
        raise UsageProblem(str(exc)) from None
    typer.echo(github(report), nl=False)
    sections = [summary(root, base, day) for root in select(targets).contracts]
    text = "\n".join(s for s in sections if s) or f"Aucun contrat modifié depuis `{base}`.\n"
    target = os.environ.get("GITHUB_STEP_SUMMARY")
    if target:
        with open(target, "a", encoding="utf-8") as handle:  # GitHub collects what each step appends
            handle.write(text)
    else:
        typer.echo("")
        typer.echo(text, nl=False)
    raise typer.Exit(1 if report.failed(strict) else 0)


def summary(root: Path, base: str, day: dt.date) -> str:
    """The Markdown change summary of one contract since ``base`` ('' when nothing changed there)."""
    from ti_cli.cli.diff import bundle_at, side
    from ti_cli.compute.diff import diff
    from ti_cli.findings import Severity
    from ti_cli.output.diff import markdown
    from ti_cli.rules import Context, check_contract
    from ti_cli.vcs.git import Repo
    from ti_cli.vcs.revision import WORKTREE, NotAtRevision

    repo = Repo.containing(root)
    folder = repo.relative(root)
    if not any(str(p).startswith(f"{folder}/") for p in repo.changed(base)):
        return ""
    sides = []
    for ref in (base, None):
        try:
            bundle = bundle_at(root, ref)
        except NotAtRevision:
            return f"### `{folder}`\n\nNouveau contrat : absent de `{base}`.\n"
        errors = [f for f in check_contract(bundle, Context(day)) if f.severity is Severity.error]
        if errors:
            where = f"`{base}`" if ref else "cette branche"
            return (
                f"### `{folder}`\n\nComparaison impossible : les fichiers de {where} ont "
                f"{len(errors)} erreur{'s' if len(errors) > 1 else ''} (`ti validate`).\n"
            )
        sides.append(side(bundle, ref or WORKTREE))
    return markdown(diff(*sides))
