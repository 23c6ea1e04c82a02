"""The Excel "tableau des actions" (openpyxl): the annex layout partners know, exact euros.

Sheet ``Actions``: two header rows (groups, then sub-columns), one row per action, a totals row. Each
financer has a group of three columns — eligibility, dispositif, amount — so that the amount stays a
number Excel can add. Then ``Synthèse`` and one sheet per grouping. Euro cells are numbers (an ``int``
when whole, else the ``Decimal`` itself: openpyxl writes its exact text) with a euro number format.
``ti import xlsx`` reads the ``Actions`` sheet back (``ti_cli.loading.xlsx``, which owns the layout).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ti_cli.compute.totals import LINE_BY, contract_totals, group_totals
from ti_cli.french import euros
from ti_cli.i18n import in_french
from ti_cli.loading.xlsx import (
    ACTIONS_SHEET,
    CATEGORY_TEXT,
    COMMENT_COLUMN,
    COST_COLUMNS,
    ELIGIBILITY_TEXT,
    FINANCER_COLUMNS,
    FIXED_COLUMNS,
    GROUP_COST,
    GROUP_TYPOLOGY,
    PHASE2_FINANCER_COLUMNS,
    STAGE_TEXT,
    TYPOLOGY_COLUMNS,
    merged,
)

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

    from ti_cli.compute.totals import Group, Totals
    from ti_cli.loading.bundle import ContractBundle

# A space before « € » escaped and the sign quoted: LibreOffice in French reads an unescaped space after
# a digit as its thousands separator and saves `#,##0 €` as `#,##0,\€`, which shows thousands (issue 22).
EUROS = '#,##0\\ "€"'
EUROS_CENTS = '#,##0.00\\ "€"'
HEADER_FILL = "DDE4EE"
GROUP_SHEETS = {
    "axis": "Par axe",
    "category": "Par catégorie",
    "financer": "Par financeur",
    "owner": "Par maître d'ouvrage",
    "status": "Par statut",
    "stage": "Par étape",
    "dispositif": "Par dispositif",
}
PHASE2_ONLY = ("stage", "dispositif")
WIDTHS = {"title": 60, "owner": 40, "comment": 40}  # wrapped text columns: a fixed, readable width


def excel_amount(amount: Decimal) -> int | Decimal:
    """A number for a euro cell, never a float: an int when whole, else the Decimal (exact text)."""
    return int(amount) if amount == amount.to_integral_value() else amount


def put_euros(ws: Worksheet, row: int, col: int, amount: Decimal | None) -> None:
    if amount is None:
        return
    cell = ws.cell(row, col, excel_amount(amount))
    cell.number_format = EUROS if amount == amount.to_integral_value() else EUROS_CENTS


def export_actions(bundle: ContractBundle, target: Path, *, force: bool = False) -> None:
    from openpyxl import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

    from ti_cli.loading.writer import write_output

    wb = Workbook()
    ws = wb.active
    if not isinstance(ws, Worksheet):  # never: a new workbook opens on its one worksheet
        raise TypeError(f"a new workbook's active sheet is {ws!r}")
    ws.title = ACTIONS_SHEET
    write_actions(ws, bundle)
    write_summary(wb.create_sheet("Synthèse"), bundle)
    write_groups(wb, bundle)
    contract = bundle.contract.model
    if contract is not None and contract.phase2:
        write_indicators(wb.create_sheet("Indicateurs"), bundle)
    if contract is not None:
        wb.properties.title = f"Tableau des actions — {contract.title}"
        wb.properties.keywords = contract.id
    write_output(target, _saved(wb), force=force)


def _saved(wb: Any) -> bytes:
    from io import BytesIO

    out = BytesIO()
    wb.save(out)
    return out.getvalue()


def _header(ws: Worksheet, row: int, col: int, text: str, span: int = 1, rows: int = 1) -> None:
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

    thin = Side(style="thin", color="8899AA")
    for r in range(row, row + rows):
        for c in range(col, col + span):
            cell = ws.cell(r, c)
            cell.font = Font(bold=True)
            cell.fill = PatternFill("solid", fgColor=HEADER_FILL)
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
            cell.border = Border(top=thin, bottom=thin, left=thin, right=thin)
    ws.cell(row, col, text)
    if span > 1 or rows > 1:
        ws.merge_cells(start_row=row, start_column=col, end_row=row + rows - 1, end_column=col + span - 1)


def write_actions(ws: Worksheet, bundle: ContractBundle) -> None:
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    contract = bundle.contract.model
    assert contract is not None  # load_checked_contract ran first
    actions = bundle.action_models()
    columns = PHASE2_FINANCER_COLUMNS if contract.phase2 else FINANCER_COLUMNS
    col = 1
    for _key, title in FIXED_COLUMNS:
        _header(ws, 1, col, title, rows=2)
        col += 1
    _header(ws, 1, col, GROUP_COST, span=len(COST_COLUMNS))
    for i, (_key, title) in enumerate(COST_COLUMNS):
        _header(ws, 2, col + i, title)
    col += len(COST_COLUMNS)
    _header(ws, 1, col, GROUP_TYPOLOGY, span=len(TYPOLOGY_COLUMNS))
    for i, (_key, title) in enumerate(TYPOLOGY_COLUMNS):
        _header(ws, 2, col + i, title)
    col += len(TYPOLOGY_COLUMNS)
    first_financer = col
    for financer in contract.financers:
        _header(ws, 1, col, financer.name, span=len(columns))
        for i, (_key, title) in enumerate(columns):
            _header(ws, 2, col + i, title)
        col += len(columns)
    _header(ws, 1, col, COMMENT_COLUMN, rows=2)
    last = col

    wrap = Alignment(wrap_text=True, vertical="top")
    for row, action in enumerate(actions, start=3):
        values = {
            "strategic_axis": action.strategic_axis,
            "axis": action.axis.value,
            "number": action.number,
            "category": CATEGORY_TEXT[action.category],
            "title": action.title,
            "owner": action.owner,
        }
        for c, (key, _title) in enumerate(FIXED_COLUMNS, start=1):
            ws.cell(row, c, values[key]).alignment = wrap
        c = len(FIXED_COLUMNS) + 1
        if action.cost is not None:
            put_euros(ws, row, c, action.cost.total if action.cost.total is not None else action.total)
            if action.cost.split_known:  # a total alone leaves the split blank, never « 0 € » (SPEC §16)
                put_euros(ws, row, c + 1, action.investment)
                put_euros(ws, row, c + 2, action.operating)
        c += len(COST_COLUMNS)
        ws.cell(row, c, "X" if action.investment > 0 else None)
        ws.cell(row, c + 1, "X" if action.operating > 0 else None)
        for f, financer in enumerate(contract.financers):
            fc = first_financer + f * len(columns)
            lines = [line for line in action.financing if line.financer == financer.id]
            if not lines:
                continue
            line = lines[0]
            if len(lines) > 1:  # the sheet has one cell group per financer: the lines are merged
                line = merged(lines)
            if contract.phase2:
                phase2_cells(
                    ws, row, fc, line, eligibility_written=any("eligibility" in x.model_fields_set for x in lines)
                )
                continue
            ws.cell(row, fc, ELIGIBILITY_TEXT[line.eligibility])
            ws.cell(row, fc + 1, line.scheme)
            put_euros(ws, row, fc + 2, line.amount)
        ws.cell(row, last, action.comment).alignment = wrap

    total_row = len(actions) + 3
    bold = Font(bold=True)
    ws.cell(total_row, FIXED_COLUMNS_INDEX["title"], "Total").font = bold
    c = len(FIXED_COLUMNS) + 1
    totals = contract_totals(contract, actions)
    for i, amount in enumerate((totals.total, totals.investment, totals.operating)):
        put_euros(ws, total_row, c + i, amount)
        ws.cell(total_row, c + i).font = bold
    if totals.unsplit:
        ws.cell(total_row, last, f"Dont {euros(totals.unsplit)} non ventilés entre investissement et fonctionnement")
    # The financers' totals are their groups' (SPEC §14: refusé in no sum, an unknown amount in none).
    by_financer = {g.key: g for g in group_totals(contract, actions, "financer")}
    for f, financer in enumerate(contract.financers):
        fc = first_financer + f * len(columns) + 2
        group = by_financer.get(financer.id)
        if group is not None and (group.total or not group.unknown_amounts):
            put_euros(ws, total_row, fc, group.total)
            ws.cell(total_row, fc).font = bold

    ws.freeze_panes = ws.cell(3, FIXED_COLUMNS_INDEX["owner"]).coordinate
    fit_widths(
        ws,
        last,
        fixed={FIXED_COLUMNS_INDEX[k]: w for k, w in WIDTHS.items() if k in FIXED_COLUMNS_INDEX}
        | {last: WIDTHS["comment"]},
    )
    ws.print_title_rows = "1:2"
    ws.page_setup.orientation = "landscape"
    ws.auto_filter.ref = f"A2:{get_column_letter(last)}{max(total_row - 1, 2)}"


FIXED_COLUMNS_INDEX = {key: i for i, (key, _) in enumerate(FIXED_COLUMNS, start=1)}


def phase2_cells(ws: Worksheet, row: int, col: int, line: Any, eligibility_written: bool) -> None:
    """A phase-2 financer's group (SPEC §10): stage (or the phase-1 word the line was written with),
    dispositif, amount, paid — what ``ti import xlsx`` reads back unchanged."""
    if line.status is not None:
        ws.cell(row, col, STAGE_TEXT[line.status])
    elif eligibility_written:
        ws.cell(row, col, ELIGIBILITY_TEXT[line.eligibility])
    ws.cell(row, col + 1, line.dispositif)
    put_euros(ws, row, col + 2, line.amount)
    put_euros(ws, row, col + 3, line.paid)


def write_indicators(ws: Worksheet, bundle: ContractBundle) -> None:
    """The plan's indicators, one row each: target and latest value (SPEC §10)."""
    from ti_cli.compute.evaluation import indicator_value

    headers = ["N°", "Action", "Indicateur", "Intitulé", "Unité", "Cible", "Dernière valeur", "Mesurée le"]
    for c, text in enumerate(headers, start=1):
        _header(ws, 1, c, text)
    r = 2
    for action in bundle.action_models():
        for indicator in action.indicators:
            found = indicator_value(action.number, indicator, dt.date.today())
            cells: list[int | str | Decimal | dt.date | None] = [
                action.number,
                action.title,
                found.id,
                found.title,
                found.unit,
                excel_amount(found.target) if found.target is not None else None,
                excel_amount(found.value) if found.value is not None else None,
                found.on,
            ]
            for c, value in enumerate(cells, start=1):
                cell = ws.cell(r, c, value)
                if isinstance(value, dt.date):
                    cell.number_format = "DD/MM/YYYY"
            r += 1
    ws.freeze_panes = "A2"
    fit_widths(ws, len(headers), fixed={2: 50, 4: 40})


def fit_widths(ws: Worksheet, last: int, fixed: dict[int, int]) -> None:
    """Each column as wide as its longest value (headers included, merged group titles excepted)."""
    from openpyxl.utils import get_column_letter

    merged_cells = {(r.min_row, r.min_col) for r in ws.merged_cells.ranges if r.max_col > r.min_col}
    for col in range(1, last + 1):
        if col in fixed:
            width = fixed[col]
        else:
            lengths = [
                _width(cell)
                for cell in ws[get_column_letter(col)]
                if cell.value is not None and (cell.row, cell.column) not in merged_cells
            ]
            width = min(max(lengths, default=6) + 2, 40)
        ws.column_dimensions[get_column_letter(col)].width = max(width, 6)


def _width(cell: Any) -> int:
    """Characters the cell needs; header text wraps, so only its longest word counts."""
    if cell.font is not None and cell.font.b and isinstance(cell.value, str):
        return max(len(word) for word in cell.value.split())
    return len(_shown(cell.value))


def _shown(value: Any) -> str:
    """Roughly what Excel shows: amounts with thousands separators and the euro sign."""
    if isinstance(value, int | Decimal) and not isinstance(value, bool):
        return f"{value:,.2f} €" if isinstance(value, Decimal) else f"{value:,} €"
    return str(value)


@in_french()
def write_summary(ws: Worksheet, bundle: ContractBundle) -> None:
    """The figures of ``ti totals``, in the same words (French: a spreadsheet is a file one sends)."""
    from openpyxl.styles import Font

    from ti_cli.output.figures import summary_rows, summary_value, unknown_note

    contract = bundle.contract.model
    assert contract is not None
    t = contract_totals(contract, bundle.action_models())
    ws.cell(1, 1, contract.title).font = Font(bold=True, size=13)
    rows = summary_rows(t, contract.phase2)
    for r, (key, label, amount) in enumerate(rows, start=3):
        ws.cell(r, 1, label)
        shown = summary_value(t, key, amount)[0]
        if isinstance(shown, str):
            ws.cell(r, 2, shown)
        else:
            put_euros(ws, r, 2, shown)
    ws.cell(len(rows) + 3, 1, "Actions")
    ws.cell(len(rows) + 3, 2, t.actions)
    for r, note in enumerate(unknown_note(t), start=len(rows) + 5):
        ws.cell(r, 1, note)
    ws.column_dimensions["A"].width = 45
    ws.column_dimensions["B"].width = 18


def write_groups(wb: Any, bundle: ContractBundle) -> None:
    from ti_cli.compute.totals import latest_statuses

    contract = bundle.contract.model
    assert contract is not None
    actions = bundle.action_models()
    statuses = latest_statuses(p for _key, p in bundle.valid_progress())
    totals = contract_totals(contract, actions)
    for by, title in GROUP_SHEETS.items():
        if by in PHASE2_ONLY and not contract.phase2:
            continue
        groups = group_totals(contract, actions, by, statuses=statuses)
        write_group_sheet(wb.create_sheet(title), groups, by, totals, contract.phase2)


def write_group_sheet(ws: Worksheet, groups: list[Group], by: str, totals: Totals, phase2: bool) -> None:
    """One grouping, as ``ti totals --by`` prints it: its rows and its total, both computed."""
    from openpyxl.styles import Font

    name = GROUP_SHEETS[by].removeprefix("Par ").capitalize()
    if by in LINE_BY:  # groups of financing lines: their own amounts, no split (SPEC §14)
        headers = ["Code", name, "Actions", "Montant", "dont acquis"]
        headers += ["dont sollicité", "Payé à ce jour"] if phase2 else []
        values: list[list[Decimal | None]] = [
            [g.total, g.secured, *([g.requested, g.paid] if phase2 else [])] for g in groups
        ]
        # the total row: the contract's figures (SPEC §14), as ti totals prints them
        footer = [totals.financed, totals.secured, *([totals.requested, totals.paid] if phase2 else [])]
        title, count = "Total des financements", None
    else:
        headers = ["Code", name, "Actions", "Coût total", "Investissement", "Fonctionnement", "Acquis"]
        values = [[g.total, g.investment, g.operating, g.secured] for g in groups]
        footer = [totals.total, totals.investment, totals.operating, totals.secured]
        title, count = "Total", totals.actions
    for c, text in enumerate(headers, start=1):
        _header(ws, 1, c, text)
    for r, (g, amounts) in enumerate(zip(groups, values, strict=True), start=2):
        ws.cell(r, 1, g.key)
        ws.cell(r, 2, g.label)
        ws.cell(r, 3, g.actions)
        for c, amount in enumerate(amounts, start=4):
            if g.lines and g.unknown_amounts and not g.total:
                ws.cell(r, c, "non précisé")
            else:
                put_euros(ws, r, c, amount)
    total_row = len(groups) + 2
    ws.cell(total_row, 2, title).font = Font(bold=True)
    if count is not None:
        ws.cell(total_row, 3, count).font = Font(bold=True)
    for c, amount in enumerate(footer, start=4):
        put_euros(ws, total_row, c, amount)
        ws.cell(total_row, c).font = Font(bold=True)
    ws.freeze_panes = "A2"
    fit_widths(ws, len(headers), fixed={2: 50})
