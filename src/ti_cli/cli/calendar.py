"""``ti calendar CONTRACT|PACTE``: every dated event of a contract or a pacte in a window, as an iCalendar
file to import into a calendar, a table, or JSON (SPEC §15)."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ti_cli.cli.common import (
    DATA,
    Force,
    UsageProblem,
    check_format,
    contract_root,
    load_checked_contract,
    load_checked_pacte,
    pacte_root,
)
from ti_cli.i18n import _

if TYPE_CHECKING:
    from ti_cli.compute.calendar import Event
    from ti_cli.loading.bundle import ContractBundle, PacteBundle

FORMATS = ("ics", "table", "json")
EXTENSIONS = {".ics": "ics", ".ical": "ics", ".json": "json", ".md": "table", ".txt": "table"}


def register(app: typer.Typer) -> None:
    app.command(
        "calendar",
        help=_(
            "Every dated event of a contract or a pacte — milestones, planned starts and ends, meetings recorded in "
            "decisions/, reviews due, reminders for financing requested six months ago and still undecided — as an "
            "iCalendar file (ics) to import into a calendar, a table or JSON. Each event keeps its identifier "
            "(UID): importing the file again updates the events, never duplicates them."
        ),
    )(calendar)


def calendar(
    source: Annotated[
        str,
        typer.Argument(
            metavar=_("CONTRACT|PACTE"),
            help=_("A contract or pacte id under data/, or its folder (an id naming both: the contract)."),
        ),
    ],
    start: Annotated[
        dt.datetime | None,
        typer.Option("--from", formats=["%Y-%m-%d"], metavar=_("YYYY-MM-DD"), help=_("First day (default: today).")),
    ] = None,
    end: Annotated[
        dt.datetime | None,
        typer.Option(
            "--to",
            formats=["%Y-%m-%d"],
            metavar=_("YYYY-MM-DD"),
            help=_("Last day (default: the end of the contract's period; for a pacte, of its last membership)."),
        ),
    ] = None,
    fmt: Annotated[
        str | None,
        typer.Option(
            "--format", "-f", metavar="|".join(FORMATS), help=_("Default: from the extension of --output, else table.")
        ),
    ] = None,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", metavar=_("FILE"), help=_("Write to this file (default: stdout)."))
    ] = None,
    force: Force = False,
) -> None:
    from ti_cli.compute.calendar import default_end, events

    chosen = _format(fmt, output)
    first = start.date() if start else dt.date.today()
    bundle = _load(source)
    last = end.date() if end else default_end(bundle, first)
    over = last < first
    if over:
        if end is not None:
            raise UsageProblem(
                _("--to {end} is before --from {start}").format(end=last.isoformat(), start=first.isoformat())
            )
        typer.echo(
            "ti: "
            + _(
                "the period ended on {end}: no date ahead, the calendar is empty (--from gives an earlier window)"
            ).format(end=last.strftime("%d/%m/%Y")),
            err=True,
        )
        last = first
    found = events(bundle, first, last)
    owner, kind, name = _names(bundle)
    if not found and not over:
        typer.echo(
            "ti: "
            + _("no dated event between {start} and {end}: the calendar is empty").format(
                start=first.strftime("%d/%m/%Y"), end=last.strftime("%d/%m/%Y")
            ),
            err=True,
        )
    _emit(chosen, output, force, found, owner, kind, name, first, last)


def _format(fmt: str | None, output: Path | None) -> str:
    if fmt is None:
        return EXTENSIONS.get(output.suffix.lower(), "table") if output else "table"
    check_format(fmt, FORMATS)
    return fmt


def _load(source: str) -> ContractBundle | PacteBundle:
    """A contract (first) or a pacte, checked: nothing is exported from broken data."""
    try:
        contract_root(source)
    except UsageProblem:
        try:
            pacte_root(source)
        except UsageProblem:
            raise UsageProblem(
                _(
                    "no contract or pacte '{name}': give an id under {contracts}/ or {pactes}/, or a folder holding "
                    "contract.yaml or pacte.yaml"
                ).format(name=source, contracts=DATA / "contracts", pactes=DATA / "pactes")
            ) from None
        return load_checked_pacte(source)
    return load_checked_contract(source)


def _names(bundle: ContractBundle | PacteBundle) -> tuple[str, str, str]:
    from ti_cli.loading.bundle import ContractBundle

    if isinstance(bundle, ContractBundle):
        contract = bundle.contract.model
        assert contract is not None  # checked
        return contract.id, "contract", contract.title
    pacte = bundle.pacte.model
    assert pacte is not None  # checked
    return pacte.id, "pacte", pacte.title


def _emit(
    fmt: str,
    output: Path | None,
    force: bool,
    found: list[Event],
    owner: str,
    kind: str,
    name: str,
    first: dt.date,
    last: dt.date,
) -> None:
    from ti_cli.output import calendar as out
    from ti_cli.output import tables

    if fmt == "ics":
        data = out.to_ics(found, name, first, last)
        if output is None:
            sys.stdout.buffer.write(data)
            sys.stdout.flush()
            return
        from ti_cli.loading.writer import write_output

        write_output(output, data, force=force)
        typer.echo(_("wrote {path}").format(path=output), err=True)
        return
    table = out.table(found, name, first, last)
    tables.emit(
        fmt,
        output,
        tables=lambda: [table],
        data=lambda: out.as_json(found, owner, kind, first, last),
        csv_table=lambda: table,
        force=force,
    )
