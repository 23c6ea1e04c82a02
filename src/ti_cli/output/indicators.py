"""``ti totals --indicators``: the programme's indicators added up (compute/indicators.py) as tables for
people, JSON and CSV for scripts, and a workbook. The evaluation's JSON and document print the same rows
through ``indicator_entry``.

JSON (SPEC §15): ``{"contract", "contracts", "as_of", "indicators": [{"id", "title", "unit", "target",
"value", "actions", "measured", "targeted", "items"}], "own": [...]}``. ``contract`` is the contract's id,
or null with ``--all`` (then ``contracts`` lists every contract added up); ``target`` and ``value`` are
exact decimals as strings (``"8.5"``), null when no action gives a target / is measured; ``items`` and
``own`` entries are ``{"contract", "action", "id", "title", "unit", "target", "value", "on"}``.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from ti_cli.compute.indicators import IndicatorTotal, IndicatorTotals, IndicatorValue
from ti_cli.french import date_short
from ti_cli.i18n import _, ngettext
from ti_cli.model.base import plain
from ti_cli.output.tables import Column, Table
from ti_cli.rules.phase2 import quantity


def exact(value: Decimal | None) -> str | None:
    """An indicator's figure in JSON: the exact decimal as a string, null when unknown."""
    return None if value is None else plain(value)


_exact = exact


def value_entry(v: IndicatorValue) -> dict[str, Any]:
    return {
        "contract": v.contract,
        "action": v.action,
        "id": v.id,
        "title": v.title,
        "unit": v.unit,
        "target": exact(v.target),
        "value": exact(v.value),
        "on": v.on.isoformat() if v.on else None,
    }


def indicator_entry(t: IndicatorTotal) -> dict[str, Any]:
    return {
        "id": t.id,
        "title": t.title,
        "unit": t.unit,
        "target": exact(t.target),
        "value": exact(t.value),
        "actions": t.actions,
        "measured": t.measured,
        "targeted": t.targeted,
        "items": [value_entry(i) for i in t.items],
    }


def as_json(totals: IndicatorTotals) -> dict[str, Any]:
    return {
        "contract": totals.contract,
        "contracts": list(totals.contracts),
        "as_of": totals.as_of.isoformat(),
        "indicators": [indicator_entry(t) for t in totals.indicators],
        "own": [value_entry(v) for v in totals.own],
    }


def shown(value: Decimal | None, unit: str = "") -> str:
    """An indicator's figure as people read it, French style: ``8,5 ha``; a dash when unknown."""
    return "–" if value is None else f"{quantity(value)} {unit}".strip()


def _where(v: IndicatorValue, portfolio: bool) -> str:
    return f"{v.contract} — {v.action}" if portfolio else str(v.action)


def tables(totals: IndicatorTotals) -> list[Table]:
    day = date_short(totals.as_of)
    portfolio = totals.contract is None
    main = Table(
        _("Programme indicators, added up across actions, as of {date}").format(date=day)
        + (
            ngettext(" — {n} contract", " — {n} contracts", len(totals.contracts)).format(n=len(totals.contracts))
            if portfolio
            else ""
        ),
        [
            Column("id", _("Indicator")),
            Column("unit", _("Unit")),
            Column("target", _("Target"), "figures"),
            Column("value", _("Value"), "figures"),
            Column("reached", _("Reached"), "percent"),
            Column("actions", _("Actions"), "count"),
            Column("measured", _("Measured"), "count"),
        ],
    )
    for t in totals.indicators:
        main.rows.append(
            [t.title, t.unit, shown(t.target), shown(t.value), t.reached, t.actions, t.measured],
        )
    if not totals.indicators:
        main.notes.append(_("No action carries an indicator of the programme's catalogue."))
    partial = [t for t in totals.indicators if t.targeted and t.targeted < t.actions]
    for t in partial:
        main.notes.append(
            ngettext(
                "{title}: the target is that of {n} action out of {actions}.",
                "{title}: the target is the sum of {n} targets out of {actions} actions.",
                t.targeted,
            ).format(title=t.title, n=t.targeted, actions=t.actions)
        )
    out = [main]
    if totals.own:
        own = Table(
            _("The actions' own indicators (not added up)"),
            [
                Column("action", _("Action")),
                Column("title", _("Indicator")),
                Column("unit", _("Unit")),
                Column("target", _("Target"), "figures"),
                Column("value", _("Value"), "figures"),
                Column("on", _("Measured on")),
            ],
        )
        for v in totals.own:
            own.rows.append([_where(v, portfolio), v.title, v.unit, shown(v.target), shown(v.value), date_short(v.on)])
        out.append(own)
    return out


def csv_table(totals: IndicatorTotals, decimal_comma: bool = False) -> Table:
    """One row per catalogue indicator and unit, then one per own indicator (``kind: own``): exact
    decimals with a point (a comma for ``--csv-dialect fr``), empty when unknown."""

    def exact(value: Decimal | None) -> str | None:
        text = _exact(value)
        return text.replace(".", ",") if text is not None and decimal_comma else text

    table = Table(
        "indicators",
        [
            Column("kind", "kind"),
            Column("contract", "contract"),
            Column("action", "action"),
            Column("id", "id"),
            Column("title", "title"),
            Column("unit", "unit"),
            Column("target", "target"),
            Column("value", "value"),
            Column("actions", "actions"),
            Column("measured", "measured"),
        ],
    )
    for t in totals.indicators:
        table.rows.append(
            [
                "catalogue",
                totals.contract or "",
                "",
                t.id,
                t.title,
                t.unit,
                exact(t.target),
                exact(t.value),
                t.actions,
                t.measured,
            ]
        )
    for v in totals.own:
        table.rows.append(
            [
                "own",
                v.contract,
                v.action,
                v.id,
                v.title,
                v.unit,
                exact(v.target),
                exact(v.value),
                1,
                1 if v.value is not None else 0,
            ]
        )
    return table


def write_xlsx(totals: IndicatorTotals, target: Path, *, force: bool = False) -> None:
    """A workbook: the sums (sheet « Indicateurs »), every action's row (« Par action ») and the own
    indicators (« Indicateurs propres »); figures as numbers, exact."""
    from io import BytesIO

    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    from ti_cli.loading.writer import write_output

    wb = Workbook()
    sums = wb.active
    assert sums is not None  # a new workbook opens on its one worksheet
    sums.title = _("Indicators")[:31]
    day = date_short(totals.as_of)
    headers = [_("Indicator"), "id", _("Unit"), _("Target"), _("Value as of {date}").format(date=day)]
    headers += [_("Actions"), _("Measured")]
    sums.append(headers)
    for t in totals.indicators:
        sums.append([t.title, t.id, t.unit, _number(t.target), _number(t.value), t.actions, t.measured])
    rows = wb.create_sheet(_("By action")[:31])
    rows.append([_("Contract"), _("Action"), _("Indicator"), "id", _("Unit"), _("Target"), _("Value")])
    for t in totals.indicators:
        for v in t.items:
            rows.append(_value_row(v))
    own = wb.create_sheet(_("Own indicators")[:31])
    own.append([_("Contract"), _("Action"), _("Indicator"), "id", _("Unit"), _("Target"), _("Value")])
    for v in totals.own:
        own.append(_value_row(v))
    for ws in (sums, rows, own):
        for cell in ws[1]:
            cell.font = Font(bold=True)
        ws.freeze_panes = "A2"
        for index, column in enumerate(ws.iter_cols(), start=1):
            width = min(60, max(len(str(c.value or "")) for c in column) + 2)
            ws.column_dimensions[get_column_letter(index)].width = width
    wb.properties.title = _("Programme indicators")
    wb.properties.keywords = ", ".join(totals.contracts)
    out = BytesIO()
    wb.save(out)
    write_output(target, out.getvalue(), force=force)


def _number(value: Decimal | None) -> int | float | None:
    """A cell's number: an int when whole; a float otherwise (Excel holds doubles), from the exact decimal."""
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def _value_row(v: IndicatorValue) -> list[Any]:
    return [v.contract, v.action, v.title, v.id, v.unit, _number(v.target), _number(v.value)]
