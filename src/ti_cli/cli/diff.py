"""``ti diff CONTRACT --base REF [--head REF]``: what changed in the actions between two git revisions."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ti_cli.cli.common import DATA, AsOf, UsageProblem, check_format, contract_root, refuse_on_errors, today
from ti_cli.cli.common import ContractArg as ContractArg  # one spelling of CONTRACT for every command
from ti_cli.i18n import _

if TYPE_CHECKING:
    from ti_cli.compute.diff import ContractDiff, Side
    from ti_cli.loading.bundle import ContractBundle

FORMATS = ("table", "json", "markdown")

Base = Annotated[
    str | None,
    typer.Option(
        "--base",
        metavar=_("REVISION"),
        help=_(
            "The revision compared from (a branch, tag or commit, e.g. origin/main; default: where HEAD left the "
            "default branch, origin/HEAD, main or master)."
        ),
    ),
]
Head = Annotated[
    str | None,
    typer.Option(
        "--head",
        metavar=_("REVISION"),
        help=_("The revision compared to (default: the files on disk, labelled WORKTREE)."),
    ),
]


def register(app: typer.Typer) -> None:
    app.command(
        "diff",
        help=_(
            "What changed in the actions between two revisions, field by field, with the money deltas.\n\n"
            "Actions added, removed, modified field by field, the totals before and after by axis, and whether the "
            "regional COPIL must validate."
        ),
    )(diff)


def contract_folder(contract: str) -> Path:
    """The contract's folder in the work tree — where it is, or where it was when it is gone from disk."""
    try:
        return contract_root(contract)
    except UsageProblem:
        path = Path(contract)
        return path if len(path.parts) > 1 else DATA / "contracts" / contract


def bundle_at(folder: Path, ref: str | None) -> ContractBundle:
    """The contract folder on disk (``ref`` None) or as it was at ``ref``."""
    from ti_cli.loading.bundle import load_contract
    from ti_cli.vcs.revision import load_contract_at

    return load_contract(contract_root(str(folder))) if ref is None else load_contract_at(folder, ref)


def side(bundle: ContractBundle, label: str, title: str = "") -> Side:
    from ti_cli.compute.diff import Side

    assert bundle.contract.model is not None  # checked before
    decisions = [d for _source, d in bundle.valid_decisions()]
    return Side(label, bundle.contract.model, bundle.action_models(), title, decisions)


def checked_side(folder: Path, ref: str | None, day: dt.date) -> Side:
    """One version of the contract, validated first: its errors are printed (labelled with the revision)
    and the exit code is 1 — never a diff of broken data."""
    from ti_cli.rules import Context, check_contract
    from ti_cli.vcs.revision import WORKTREE

    bundle = bundle_at(folder, ref)
    refuse_on_errors(check_contract(bundle, Context(day)), len(bundle.sources))
    return titled(side(bundle, ref or WORKTREE), folder, ref, day)


def titled(found: Side, folder: Path, ref: str | None, day: dt.date, precise: bool = False) -> Side:
    """The side with the name documents give it: its date and what it records (never a ref or a subject)."""
    from ti_cli.output.diff import version_title
    from ti_cli.vcs.revision import committed_at

    when = None if ref is None else committed_at(folder, ref)
    return dataclasses.replace(found, title=version_title(when, day, found.contract, found.decisions, precise))


def base_revision(base: str | None, path: Path) -> str:
    """``--base`` as given, else the merge-base of HEAD with the default branch (SPEC §11), said on stderr."""
    from ti_cli.vcs.git import Repo

    if base is not None:
        return base
    commit, branch = Repo.containing(path).default_base()
    typer.echo(
        "ti: " + _("no --base: compared with {commit}, where HEAD left {branch}").format(commit=commit, branch=branch),
        err=True,
    )
    return commit


def contract_diff(contract: str, base: str | None, head: str | None, as_of: dt.datetime | None) -> ContractDiff:
    from ti_cli.compute.diff import diff as compute

    folder = contract_folder(contract)
    day = today(as_of)
    base = base_revision(base, folder)
    old, new = checked_side(folder, base, day), checked_side(folder, head, day)
    if old.title == new.title and head is not None:  # two versions of one day recording the same: the time
        old, new = titled(old, folder, base, day, precise=True), titled(new, folder, head, day, precise=True)
    return compute(old, new)


def diff(
    contract: ContractArg,
    base: Base = None,
    head: Head = None,
    fmt: Annotated[
        str,
        typer.Option(
            "--format", "-f", metavar="|".join(FORMATS), help=_("table, json or markdown (for a pull request).")
        ),
    ] = "table",
    as_of: AsOf = None,
) -> None:
    from ti_cli.output import diff as out

    check_format(fmt, FORMATS)
    found = contract_diff(contract, base, head, as_of)
    if fmt == "json":
        typer.echo(out.as_json(found), nl=False)
    elif fmt == "markdown":
        typer.echo(out.markdown(found), nl=False)
    else:
        from rich.console import Console

        console = Console(highlight=False)
        for block in out.table(found):
            console.print(block)
