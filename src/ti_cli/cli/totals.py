"""``ti totals CONTRACT``: how much, invested or operating, secured or still to find — to the cent."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NamedTuple

import typer

from ti_cli.cli.common import (
    DATA,
    AsOf,
    Force,
    UsageProblem,
    check_format,
    load_checked_contract,
    refuse_on_errors,
    today,
)
from ti_cli.i18n import _, ngettext

if TYPE_CHECKING:
    from ti_cli.compute.indicators import IndicatorValue
    from ti_cli.findings import Finding
    from ti_cli.output.figures import TotalsView
    from ti_cli.rules import Context

FORMATS = ("table", "json", "csv", "markdown", "xlsx")
EXTENSIONS = {".json": "json", ".csv": "csv", ".md": "markdown", ".xlsx": "xlsx", ".txt": "table"}


def register(app: typer.Typer) -> None:
    app.command(
        "totals", help=_("Funding totals: total, investment / operating, financing secured vs still to find, by group.")
    )(totals)


def totals(
    contract: Annotated[
        str | None, typer.Argument(metavar=_("CONTRACT"), help=_("A contract id under data/contracts/, or its folder."))
    ] = None,
    by: Annotated[
        str | None,
        typer.Option(
            "--by",
            metavar=_("GROUP"),
            help=_(
                "Group by axis, category, financer, owner, status (actions' progress), "
                "stage or dispositif (financing lines, phase 2); with --all: region (default), contract, axis, "
                "category or status."
            ),
        ),
    ] = None,
    all_contracts: Annotated[
        bool, typer.Option("--all", help=_("Every contract under data/contracts/: the portfolio by region and axis."))
    ] = False,
    fmt: Annotated[
        str | None,
        typer.Option(
            "--format", "-f", metavar="|".join(FORMATS), help=_("Default: from the extension of --output, else table.")
        ),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            metavar=_("FILE"),
            help=_("Write to this file. xlsx without --output writes <contract-id>-actions.xlsx here."),
        ),
    ] = None,
    csv_dialect: Annotated[
        str | None,
        typer.Option(
            "--csv-dialect",
            metavar="machine|fr",
            help=_(
                "CSV for scripts (machine, the default: commas, decimal point) or for French Excel "
                "(fr: semicolons, decimal comma, UTF-8 BOM)."
            ),
        ),
    ] = None,
    indicators: Annotated[
        bool,
        typer.Option(
            "--indicators",
            help=_(
                "The programme's indicators added up across actions (with --all, across contracts): targets, "
                "latest values on or before --as-of, actions measured; own indicators listed apart."
            ),
        ),
    ] = False,
    as_of: AsOf = None,
    force: Force = False,
) -> None:
    chosen = pick_format(fmt, output)
    dialect = pick_dialect(csv_dialect, chosen)
    if all_contracts == (contract is not None):
        raise UsageProblem(_("give a contract, or --all for every contract under data/contracts/"))
    if indicators:
        if by is not None:
            raise UsageProblem(_("--indicators adds up indicators, not money: it takes no --by"))
        indicator_totals(contract, all_contracts, chosen, output, as_of, force, dialect)
        return
    if all_contracts:
        if chosen == "xlsx":
            raise UsageProblem(_("--format xlsx exports one contract's tableau des actions: name the contract"))
        view = portfolio_view(by or "region", as_of)
    else:
        bundle = load_checked_contract(contract or "", as_of)
        if chosen == "xlsx":
            from ti_cli.output.xlsx import export_actions

            target = output or Path(f"{bundle.contract.model.id}-actions.xlsx")  # type: ignore[union-attr]  # load_checked_contract refused a contract with no model
            export_actions(bundle, target, force=force)
            typer.echo(_("wrote {path}").format(path=target), err=True)
            return
        view = contract_view(bundle, by)
    emit(view, chosen, output, force, dialect)


def pick_dialect(dialect: str | None, fmt: str) -> str:
    from ti_cli.output.tables import CSV_DIALECTS

    if dialect is None:
        return "machine"
    if dialect not in CSV_DIALECTS:
        raise UsageProblem(
            _("unknown CSV dialect '{dialect}': choose one of: {choices}").format(
                dialect=dialect, choices=", ".join(CSV_DIALECTS)
            )
        )
    if fmt != "csv":
        raise UsageProblem(_("--csv-dialect goes with --format csv"))
    return dialect


def pick_format(
    fmt: str | None, output: Path | None, formats: tuple[str, ...] = FORMATS, extensions: dict[str, str] = EXTENSIONS
) -> str:
    """``--format``, else what ``--output``'s extension says, else table."""
    if fmt is None:
        return extensions.get(output.suffix.lower(), "table") if output else "table"
    check_format(fmt, formats)
    return fmt


def contract_view(bundle, by: str | None) -> TotalsView:  # type: ignore[no-untyped-def]  # a ContractBundle; typing it adds an import across packages
    from ti_cli.compute.totals import BY
    from ti_cli.output import figures

    if by is not None and by not in BY:
        raise UsageProblem(_("cannot group by '{by}': choose one of: {choices}").format(by=by, choices=", ".join(BY)))
    return figures.contract_view(bundle, by)


def portfolio_view(by: str, as_of: AsOf) -> TotalsView:
    """Every contract under data/contracts/, all checked first: one broken contract stops the sum."""
    from ti_cli.compute import totals as compute
    from ti_cli.output.figures import TotalsView
    from ti_cli.rules import Context
    from ti_cli.rules.engine import parallel_map

    if by not in compute.PORTFOLIO_BY:
        raise UsageProblem(_("with --all, group by one of: {choices}").format(choices=", ".join(compute.PORTFOLIO_BY)))
    folders = sorted(p.parent for p in (DATA / "contracts").glob("*/contract.yaml"))
    if not folders:
        raise UsageProblem(_("no contract under {folder}/").format(folder=DATA / "contracts"))
    context = Context(today(as_of))
    parts = parallel_map(portfolio_part, [(folder, context) for folder in folders])
    # Every contract is checked before refusing, so that one run lists all the errors to fix.
    refuse_on_errors([f for part in parts for f in part.findings], sum(part.files for part in parts))
    rows = [row for part in parts for row in part.rows]
    ids = [part.contract for part in parts]
    groups = compute.portfolio_groups(rows, by)
    nested = {g.key: compute.sub_groups(rows, "region", g.key, "axis") for g in groups} if by == "region" else {}
    return TotalsView(
        contract=None,
        title=ngettext("Portfolio — {n} contract", "Portfolio — {n} contracts", len(ids)).format(n=len(ids)),
        totals=compute.totals_of(rows),
        by=by,
        groups=groups,
        contracts=ids,
        nested_by="axis" if nested else None,
        nested=nested,
    )


class PortfolioPart(NamedTuple):
    contract: str
    files: int
    findings: list[Finding]
    rows: list[dict[str, Any]]


def portfolio_part(task: tuple[Path, Context]) -> PortfolioPart:
    """One contract of the portfolio, loaded and checked (in a worker process): its findings and the
    per-action rows the sums need — small to send back, unlike the models."""
    from ti_cli.compute import totals as compute
    from ti_cli.loading.bundle import load_contract
    from ti_cli.rules import check_contract

    folder, context = task
    bundle = load_contract(folder)
    findings = check_contract(bundle, context)
    contract = bundle.contract.model
    if contract is None or any(f.severity.value == "error" for f in findings):
        return PortfolioPart(folder.name, len(bundle.sources), findings, [])
    statuses = compute.latest_statuses(p for _source, p in bundle.valid_progress())
    rows = compute.action_rows(contract, bundle.action_models(), statuses)
    return PortfolioPart(contract.id, len(bundle.sources), findings, rows)


def indicator_totals(
    contract: str | None, all_contracts: bool, fmt: str, output: Path | None, as_of: AsOf, force: bool, dialect: str
) -> None:
    """``ti totals --indicators``: the catalogue's indicators added up (SPEC §15)."""
    from ti_cli.compute.indicators import add_up, programme_indicators
    from ti_cli.output import indicators, tables

    day = today(as_of)
    if all_contracts:
        from ti_cli.rules import Context
        from ti_cli.rules.engine import parallel_map

        folders = sorted(p.parent for p in (DATA / "contracts").glob("*/contract.yaml"))
        if not folders:
            raise UsageProblem(_("no contract under {folder}/").format(folder=DATA / "contracts"))
        parts = parallel_map(indicator_part, [(folder, Context(day)) for folder in folders])
        refuse_on_errors([f for part in parts for f in part.findings], sum(part.files for part in parts))
        found = add_up([v for part in parts for v in part.values], tuple(p.contract for p in parts), day)
    else:
        found = programme_indicators(load_checked_contract(contract or "", as_of), day)
    if fmt == "xlsx":
        target = output or Path(f"{found.contract or 'portefeuille'}-indicateurs.xlsx")
        indicators.write_xlsx(found, target, force=force)
        typer.echo(_("wrote {path}").format(path=target), err=True)
        return
    tables.emit(
        fmt,
        output,
        tables=lambda: indicators.tables(found),
        data=lambda: indicators.as_json(found),
        csv_table=lambda: indicators.csv_table(found, decimal_comma=dialect == "fr"),
        force=force,
        csv_dialect=dialect,
    )


class IndicatorPart(NamedTuple):
    contract: str
    files: int
    findings: list[Finding]
    values: list[IndicatorValue]


def indicator_part(task: tuple[Path, Context]) -> IndicatorPart:
    """One contract's indicators on the date, loaded and checked (in a worker process)."""
    from ti_cli.compute.indicators import action_values
    from ti_cli.loading.bundle import load_contract
    from ti_cli.rules import check_contract

    folder, context = task
    bundle = load_contract(folder)
    findings = check_contract(bundle, context)
    contract = bundle.contract.model
    if contract is None or any(f.severity.value == "error" for f in findings):
        return IndicatorPart(folder.name, len(bundle.sources), findings, [])
    return IndicatorPart(contract.id, len(bundle.sources), findings, action_values(bundle, context.as_of))


def emit(view: TotalsView, fmt: str, output: Path | None, force: bool = False, csv_dialect: str = "machine") -> None:
    from ti_cli.output import figures, tables

    tables.emit(
        fmt,
        output,
        tables=lambda: figures.totals_tables(view),
        data=lambda: figures.totals_json(view),
        csv_table=lambda: figures.totals_csv_table(view),
        force=force,
        csv_dialect=csv_dialect,
    )
