"""``ti share CONTRACT FILE``: a shared cost split between members, every share to the cent."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ti_cli.cli.common import AsOf, ContractArg, Force, UsageProblem, load_checked_contract
from ti_cli.i18n import _

FORMATS = ("table", "json", "csv", "markdown")
EXTENSIONS = {".json": "json", ".csv": "csv", ".md": "markdown"}


def register(app: typer.Typer) -> None:
    app.command(
        "share",
        help=_(
            "A shared cost split between members: subsidies first (rate, cap), then the rest "
            "split equal / weights / fixed; the shares add up to the cent."
        ),
    )(share)


MAX_YEARS = 100  # a contract runs 6 years; a bound keeps a typo from allocating millions of rows


def share(
    contract: ContractArg,
    file: Annotated[
        str,
        typer.Argument(
            metavar=_("FILE"),
            help=_(
                "A cost-sharing file: its name under the contract's cost-sharing/ (with or without .yaml), or a path."
            ),
        ),
    ],
    per_year: Annotated[
        int | None,
        typer.Option(
            "--per-year",
            min=1,
            max=MAX_YEARS,
            metavar=_("YEARS"),
            help=_("Also divide each share over this many years (at most 100), to the cent."),
        ),
    ] = None,
    fmt: Annotated[
        str | None,
        typer.Option(
            "--format",
            "-f",
            metavar="|".join(FORMATS),
            help=_(
                "markdown: an annex for a convention de financement. "
                "Default: from the extension of --output, else table."
            ),
        ),
    ] = None,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", metavar=_("FILE"), help=_("Write to this file."))
    ] = None,
    as_of: AsOf = None,
    force: Force = False,
) -> None:
    from ti_cli.cli.totals import pick_format
    from ti_cli.compute import share as compute
    from ti_cli.output import figures, tables

    chosen = pick_format(fmt, output, FORMATS, EXTENSIONS)
    bundle = load_checked_contract(contract, as_of)
    wanted = resolve(bundle.root, file).resolve()
    source = next((s for s in bundle.cost_sharing if s.path.resolve() == wanted), None)
    if source is None:
        source = checked_outside(bundle, wanted, as_of)
    sharing = source.model
    assert sharing is not None and bundle.contract.model is not None  # checked above
    split = compute.split(sharing)
    view = figures.ShareView(
        sharing,
        split,
        {f.id: f.name for f in bundle.contract.model.financers},
        compute.per_year(split.shares, per_year) if per_year else None,
    )
    tables.emit(
        chosen,
        output,
        tables=lambda: figures.share_tables(view),
        data=lambda: figures.share_json(view),
        csv_table=lambda: figures.share_tables(view)[1],
        markdown=lambda: (
            "# "
            + _("Financial annex — {title}").format(title=sharing.title)
            + "\n\n"
            + tables.to_markdown(figures.share_tables(view, annex=True))
        ),
        force=force,
    )


def resolve(root: Path, file: str) -> Path:
    folder = root / "cost-sharing"
    for candidate in (Path(file), folder / file, folder / f"{file}.yaml", folder / f"{file}.yml"):
        if candidate.is_file():
            return candidate
    names = sorted(p.stem for p in folder.glob("*.y*ml")) if folder.is_dir() else []
    if names:
        raise UsageProblem(
            _("no cost-sharing file '{file}': choose one of: {choices}").format(file=file, choices=", ".join(names))
        )
    raise UsageProblem(_("no cost-sharing file '{file}' (and {folder} holds none)").format(file=file, folder=folder))


def checked_outside(bundle, path: Path, as_of: AsOf):  # type: ignore[no-untyped-def]  # a ContractBundle; typing it adds an import across packages
    """A cost-sharing file kept elsewhere, checked against the contract like its own files."""
    from ti_cli.cli.common import refuse_on_errors, today
    from ti_cli.loading.bundle import ContractBundle
    from ti_cli.loading.source import load
    from ti_cli.model import CostSharing
    from ti_cli.rules import Context, check_contract

    source = load(path, CostSharing)
    alone = ContractBundle(bundle.root, bundle.contract, [], [], [source])
    findings = [f for f in check_contract(alone, Context(today(as_of))) if f.file == source.display]
    refuse_on_errors(findings, 1)
    return source
