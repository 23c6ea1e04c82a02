"""Reading a "tableau des actions" spreadsheet: the one ``ti totals --format xlsx`` writes, or a
hand-made one with the same headers.

Headers are matched loosely (case, accents, spaces and line breaks do not matter). Every cell that
cannot be read becomes a finding placed at its row and column (``TI090``-``TI099``); nothing raises.
Amounts may be numbers or French text (``16 753 500 €``); a number Excel stored as a binary float is
taken back to the cent it stands for. The workbook is size-checked before openpyxl parses it, and
defusedxml (when installed, as ``ti`` requires) guards the XML.
"""

from __future__ import annotations

import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from ti_cli.findings import Finding, Severity
from ti_cli.french import count, euros
from ti_cli.i18n import _, ngettext
from ti_cli.loading.source import display_path
from ti_cli.model import Contract
from ti_cli.model.action import Axis, Category, Eligibility, FinancingLine, Stage
from ti_cli.model.programme import ELIGIBILITY_LABELS, STAGE_LABELS

ACTIONS_SHEET = "Actions"
FIXED_COLUMNS = (
    ("strategic_axis", "Axe stratégique du contrat"),
    ("axis", "Axe du programme Territoire d'industrie"),
    ("number", "N°"),
    ("category", "Action structurante / en amorçage"),
    ("title", "Titre fiche action"),
    ("owner", "Maître d'ouvrage"),
)
GROUP_COST = "Coût estimé HT"
COST_COLUMNS = (("total", "Total"), ("investment", "Invest"), ("operating", "Fonct"))
GROUP_TYPOLOGY = "Typologie d'actions"
TYPOLOGY_COLUMNS = (("investment", "Invest"), ("operating", "Fonct"))
FINANCER_COLUMNS = (("eligibility", "Éligibilité"), ("scheme", "Dispositif"), ("amount", "Montant"))
# A ti-2023 plan (SPEC §10): each financer's stage, dispositif, amount and paid so far.
# « Versé » names the stage, never a sum (SPEC §14): the paid column is « Payé »; sheets written by an
# earlier ti headed it « Versé » and still import.
PHASE2_FINANCER_COLUMNS = (("status", "Étape"), ("scheme", "Dispositif"), ("amount", "Montant"), ("paid", "Payé"))
STAGE_TEXT = {s: STAGE_LABELS[s.value].lower() for s in Stage}
COMMENT_COLUMN = "Commentaires"

CATEGORY_TEXT = {Category.structurante: "Action structurante", Category.amorcage: "Action en amorçage"}
ELIGIBILITY_TEXT = {e: ELIGIBILITY_LABELS[e.value] for e in Eligibility}

MAX_BYTES = 5 * 1024 * 1024  # a tableau des actions is a few dozen KB
MAX_UNZIPPED = 100 * 1024 * 1024  # refuse zip bombs before openpyxl inflates anything
HEADER_SCAN = 10  # the header row is among the first rows
# A tableau des actions has a few dozen rows and columns. Bounds checked in the XML, before openpyxl
# builds a cell (or a merged range's every cell) and before the grid is laid out in memory.
MAX_ROWS = 5_000
MAX_COLUMNS = 200
MAX_ACTION_NUMBER = 9_999
CENT = Decimal("0.01")
FLOAT_SLACK = Decimal("0.000001")  # a float within this of a cent is that cent (Excel arithmetic)

E = Severity.error


def norm(text: Any) -> str:
    """Header text compared loosely: no accents, no case, single spaces, no trailing colon."""
    plain = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode()
    return re.sub(r"\s+", " ", plain).strip().strip(":").strip().lower()


IGNORED = {norm(GROUP_TYPOLOGY)}
FIXED_BY_HEADER = {norm(title): key for key, title in FIXED_COLUMNS} | {
    "axe strategique": "strategic_axis",
    "axes strategiques du projet de contrat (optionnel)": "strategic_axis",
    "axe du programme": "axis",
    "axe": "axis",
    "no": "number",
    "n": "number",
    "numero": "number",
    "categorie": "category",
    "titre": "title",
    "action": "title",
    "intitule": "title",
}
COST_BY_HEADER = {norm(t): k for k, t in COST_COLUMNS} | {"investissement": "investment", "fonctionnement": "operating"}
FINANCER_BY_HEADER = {norm(t): k for k, t in (*FINANCER_COLUMNS, *PHASE2_FINANCER_COLUMNS)} | {
    "eligibilite validee": "eligibility",
    "montant (eur)": "amount",
    "montant (€)": "amount",
    "verse": "paid",
    "paye a ce jour": "paid",
}
STAGE_BY_TEXT = {norm(t): s for s, t in STAGE_TEXT.items()} | {norm(s.value): s for s in Stage}
ELIGIBILITY_BY_TEXT = {norm(t): e for e, t in ELIGIBILITY_TEXT.items()} | {
    "validee": Eligibility.validee,
    "x": Eligibility.validee,
    "oui": Eligibility.validee,
    "a_confirmer": Eligibility.a_confirmer,
    "a confirmer": Eligibility.a_confirmer,
    "?": Eligibility.a_confirmer,
}


# The fields of an action (``financing.`` those of its lines) a tableau des actions does not carry, with the
# reason: ``ti import xlsx`` leaves them as the action file has them (SheetAction and SheetLine hold the
# rest; a line is keyed by its financer's columns, the cost by its columns). tests/test_diff.py fails on
# a model field in neither.
NOT_IMPORTED: dict[str, str] = {
    "owner_parties": "party ids of contract.yaml: the sheet names the maître d'ouvrage in words",
    "description": "the fiche action's text, written in its file, not in the annex table",
    "planned_start": "the schedule is not a column of the tableau des actions",
    "planned_end": "the schedule is not a column of the tableau des actions",
    "derogation_l1111_10": "not a column of the tableau des actions: written in the action file",
    "other_axes": "the sheet has one axis column, the action's own",
    "owner_siret": "not a column of the tableau des actions: written in the action file",
    "indicators": "followed in the action file (targets and measures), not in the annex table",
    "financing.comment": "the sheet has one comment column, for the action",
    "financing.volet": "the sheet's financer columns are stage, dispositif, amount and paid",
    "financing.requested_on": "the line's instruction dates are kept in the action file",
    "financing.decided_on": "the line's instruction dates are kept in the action file",
    "financing.reference": "the financer's file reference is kept in the action file",
}


@dataclass
class SheetLine:
    eligibility: Eligibility | None
    scheme: str | None
    amount: Decimal | None
    # Phase 2 (a sheet with an « Étape » column): the stage, the dispositif (that sheet's « Dispositif »
    # column), and the amount paid; ``eligibility`` is then None unless the cell holds a phase-1 word.
    status: Stage | None = None
    dispositif: str | None = None
    paid: Decimal | None = None
    phase2: bool = False


@dataclass
class SheetAction:
    """One readable row: the values the sheet carries for an action."""

    row: int
    number: int
    title: str
    axis: Axis
    category: Category
    strategic_axis: str | None = None
    owner: str | None = None
    comment: str | None = None
    cost: dict[str, Decimal | None] | None = None  # investment, operating, total
    financing: dict[str, SheetLine] = field(default_factory=dict)  # by financer id, in contract order


@dataclass
class Sheet:
    path: Path
    actions: list[SheetAction] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    financers: list[str] = field(default_factory=list)  # financers the sheet has columns for


@dataclass(frozen=True)
class Layout:
    fixed: dict[str, int]  # key → column
    cost: dict[str, int]
    financers: dict[str, dict[str, int]]  # financer id → {eligibility|scheme|amount|single: column}
    comment: int | None
    first_row: int


class Problems:
    """Collects the findings of one workbook, each placed at its row and column (A1 name in the text)."""

    def __init__(self, path: Path, findings: list[Finding]) -> None:
        self.shown = display_path(path)
        self.findings = findings

    def __call__(self, code: str, message: str, row: int = 1, col: int = 1) -> None:
        text = at_cell(row, col, message) if row > 1 or col > 1 else message
        self.findings.append(Finding(code, E, text, self.shown, row, col))

    def __len__(self) -> int:
        return len(self.findings)


def read_actions(path: Path, contract: Contract) -> Sheet:
    sheet = Sheet(path)
    problem = Problems(path, sheet.findings)
    ws = _open(path, problem)
    if ws is None:
        return sheet
    values = _grid(ws)
    layout = _layout(values, contract, problem)
    if layout is None:
        return sheet
    sheet.financers = list(layout.financers)
    seen: dict[int, int] = {}
    for r in range(layout.first_row, len(values) + 1):
        action = _row(values, r, layout, contract, problem)
        if action is None:
            continue
        if action.number in seen:
            problem(
                "TI096",
                _("action {number} is already on row {row}").format(number=action.number, row=seen[action.number]),
                r,
                layout.fixed["number"],
            )
            continue
        seen[action.number] = r
        sheet.actions.append(action)
    return sheet


def merged(lines: list[Any]) -> Any:
    """Several lines of one financer shown in one cell group: amounts added, dispositifs joined,
    validée only when every line is; a stage only when every line has that one."""
    amounts = [line.amount for line in lines if line.amount is not None]
    paid = [line.paid for line in lines if line.paid is not None]
    statuses = {line.status for line in lines}
    return FinancingLine(
        financer=lines[0].financer,
        eligibility=Eligibility.validee
        if all(x.eligibility is Eligibility.validee for x in lines)
        else Eligibility.a_confirmer,
        scheme="; ".join(x.scheme for x in lines if x.scheme) or None,
        amount=sum(amounts, Decimal(0)) if amounts else None,
        dispositif=next(iter({x.dispositif for x in lines})) if len({x.dispositif for x in lines}) == 1 else None,
        status=next(iter(statuses)) if len(statuses) == 1 else None,
        paid=sum(paid, Decimal(0)) if paid else None,
    )


def cell_name(row: int, col: int) -> str:
    from openpyxl.utils import get_column_letter

    return f"{get_column_letter(col)}{row}"


def at_cell(row: int, col: int, message: str) -> str:
    """``message`` led by the name of its cell (« G8 : … », with French punctuation)."""
    return _("{cell}: {message}").format(cell=cell_name(row, col), message=message)


def _open(path: Path, problem: Problems) -> Any:
    """The ``Actions`` sheet (or the first one), or None after a TI090 finding."""
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            problem(
                "TI090",
                _("the workbook is {size} bytes; the limit is {limit} (5 MB)").format(
                    size=count(size), limit=count(MAX_BYTES)
                ),
            )
            return None
        with zipfile.ZipFile(path) as archive:
            unzipped = sum(info.file_size for info in archive.infolist())
            if unzipped > MAX_UNZIPPED:
                problem(
                    "TI090",
                    _("the workbook unpacks to {size} bytes; the limit is {limit}").format(
                        size=count(unzipped), limit=count(MAX_UNZIPPED)
                    ),
                )
                return None
            if not _scan_sheets(archive, problem):
                return None
        import warnings

        from openpyxl import load_workbook

        with warnings.catch_warnings():
            # openpyxl warns (in English) of Excel features it drops on reading — data validation,
            # conditional formatting, slicers: ti reads only the cells' values, so none of it matters.
            warnings.simplefilter("ignore")
            wb = load_workbook(path, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, TypeError):  # openpyxl's reasons are English
        problem(
            "TI090",
            _("not an Excel workbook (.xlsx) ti can read: open it in Excel or LibreOffice Calc and save it as .xlsx"),
        )
        return None
    except Exception:  # openpyxl raises many kinds on a damaged file; none may reach the user
        problem(
            "TI090",
            _("the workbook cannot be read (damaged?): open it in Excel or LibreOffice Calc and save it again"),
        )
        return None
    return wb[ACTIONS_SHEET] if ACTIONS_SHEET in wb.sheetnames else wb.worksheets[0]


_CELL = re.compile(rb"<(?:\w+:)?c\b([^>]*?)(?:/>|>(.*?)</(?:\w+:)?c>)", re.DOTALL)
_REF = re.compile(rb'\br="([A-Z]{1,3})([0-9]{1,7})"')
_MERGE = re.compile(rb'<(?:\w+:)?mergeCell\b[^>]*\bref="([A-Z]{1,3})([0-9]{1,7}):([A-Z]{1,3})([0-9]{1,7})"')
_FORMULA = re.compile(rb"<(?:\w+:)?f\b")
_VALUE = re.compile(rb"<(?:\w+:)?v\b[^>]*>[^<]|<(?:\w+:)?is\b")  # ``<v></v>``: no value


def _column(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + letter - 64
    return number


def _scan_sheets(archive: zipfile.ZipFile, problem: Problems) -> bool:
    """Cells and merged ranges beyond MAX_ROWS × MAX_COLUMNS, and formulas saved without their value
    (a sheet written by a program, never opened in a spreadsheet), each a finding at its cell: read
    from the XML, before openpyxl would lay out a million rows or silently read the formula as empty."""
    fine = True
    for name in archive.namelist():
        if not (name.startswith("xl/worksheets/") and name.endswith(".xml")):
            continue
        xml = archive.read(name)
        for match in _MERGE.finditer(xml):
            row, col = int(match.group(4)), _column(match.group(3))
            if row > MAX_ROWS or col > MAX_COLUMNS:
                problem(
                    "TI090",
                    _(
                        "merged range {range} too large: a tableau des actions fits in {rows} rows and "
                        "{columns} columns"
                    ).format(
                        range=f"{match.group(1).decode()}{match.group(2).decode()}:{match.group(3).decode()}{row}",
                        rows=MAX_ROWS,
                        columns=MAX_COLUMNS,
                    ),
                    min(row, MAX_ROWS),
                    min(col, MAX_COLUMNS),
                )
                return False
        for match in _CELL.finditer(xml):
            ref = _REF.search(match.group(1))
            if ref is None:
                continue
            row, col = int(ref.group(2)), _column(ref.group(1))
            if row > MAX_ROWS or col > MAX_COLUMNS:
                problem(
                    "TI090",
                    _(
                        "cell outside the table: a tableau des actions fits in {rows} rows and "
                        "{columns} columns; empty or delete the rows and columns beyond"
                    ).format(rows=MAX_ROWS, columns=MAX_COLUMNS),
                    row,
                    col,
                )
                return False
            body = match.group(2) or b""
            if _FORMULA.search(body) and not _VALUE.search(body):
                problem(
                    "TI098",
                    _(
                        "formula without a computed value (a workbook written by a program): open it "
                        "and save it in Excel or LibreOffice, or type the number"
                    ),
                    row,
                    col,
                )
                fine = False
    return fine


def _grid(ws: Any) -> list[list[Any]]:
    """Cell values by [row-1][col-1]; a merged range's value fills all its cells (header groups)."""
    grid = [list(row) for row in ws.iter_rows(values_only=True)]
    for merged in ws.merged_cells.ranges:
        value = grid[merged.min_row - 1][merged.min_col - 1]
        for r in range(merged.min_row, merged.max_row + 1):
            for c in range(merged.min_col, merged.max_col + 1):
                if r - 1 < len(grid) and c - 1 < len(grid[r - 1]):
                    grid[r - 1][c - 1] = value
    return grid


def _layout(values: list[list[Any]], contract: Contract, problem: Problems) -> Layout | None:
    header = next(
        (
            r
            for r in range(min(HEADER_SCAN, len(values)))
            if {"number", "title"} <= {FIXED_BY_HEADER.get(norm(v)) for v in values[r] if v}
        ),
        None,
    )
    if header is None:
        problem(
            "TI090",
            _("no header row with 'N°' and 'Titre fiche action' in the first rows: is this a tableau des actions?"),
        )
        return None
    top = values[header]
    sub = values[header + 1] if header + 1 < len(values) else []
    financers = {norm(f.name): f.id for f in contract.financers} | {norm(f.id): f.id for f in contract.financers}
    fixed: dict[str, int] = {}
    cost: dict[str, int] = {}
    by_financer: dict[str, dict[str, int]] = {}
    comment = None
    unknown: set[str] = set()
    for c, text in enumerate(top, start=1):
        head = norm(text) if text is not None else ""
        below = norm(sub[c - 1]) if c - 1 < len(sub) and sub[c - 1] is not None else ""
        if head in FIXED_BY_HEADER and below in ("", head):
            fixed.setdefault(FIXED_BY_HEADER[head], c)
        elif head == norm(GROUP_COST) and below in COST_BY_HEADER:
            cost[COST_BY_HEADER[below]] = c
        elif head == norm(COMMENT_COLUMN):
            comment = c
        elif head in financers and below in FINANCER_BY_HEADER:
            by_financer.setdefault(financers[head], {})[FINANCER_BY_HEADER[below]] = c
        elif below in financers and head not in financers:  # the signed annex: one column per financer
            by_financer.setdefault(financers[below], {})["single"] = c
        elif head and head not in IGNORED and not head.startswith("plan de financement") and head not in unknown:
            # Typology marks are derived from the amounts; "Plan de financement…" tops the signed annex.
            unknown.add(head)
            problem(
                "TI091",
                _(
                    "column '{column}' is neither a column of the tableau des actions nor a financer "
                    "of the contract ({financers})"
                ).format(column=text, financers=", ".join(f.name for f in contract.financers)),
                header + 1,
                c,
            )
    missing = [
        title for key, title in FIXED_COLUMNS if key not in fixed and key in ("number", "title", "axis", "category")
    ]
    if missing:
        problem(
            "TI090",
            ngettext("missing column: {columns}", "missing columns: {columns}", len(missing)).format(
                columns=", ".join(missing)
            ),
            header + 1,
            1,
        )
        return None
    order = [f.id for f in contract.financers]
    by_financer = {k: by_financer[k] for k in order if k in by_financer}
    first = (
        header + 3
        if sub
        and any(
            norm(v) in COST_BY_HEADER or norm(v) in FINANCER_BY_HEADER or norm(v) in financers
            for v in sub
            if v is not None
        )
        else header + 2
    )
    return Layout(fixed, cost, by_financer, comment, first)


def _row(values: list[list[Any]], r: int, layout: Layout, contract: Contract, problem: Problems) -> SheetAction | None:
    row = values[r - 1]

    def at(c: int | None) -> Any:
        if c is None or c - 1 >= len(row):
            return None
        value = row[c - 1]
        return value.strip() or None if isinstance(value, str) else value

    fixed = {key: at(c) for key, c in layout.fixed.items()}
    number_cell = fixed.get("number")
    title = fixed.get("title")
    if number_cell is None:
        if title is not None and norm(title) != "total":
            problem("TI092", _("row '{title}' has no action number").format(title=title), r, layout.fixed["number"])
        return None
    before = len(problem)
    number = _number(number_cell)
    if number is None:
        problem(
            "TI092",
            _("'{value}' is not an action number (a whole number from 1)").format(value=number_cell),
            r,
            layout.fixed["number"],
        )
    if title is None:
        problem("TI092", _("the action has no title"), r, layout.fixed["title"])
    axis = _choice(fixed.get("axis"), {a.value.lower(): a for a in Axis})
    if axis is None:
        problem(
            "TI093",
            _("axis '{axis}' is not one of: {choices}").format(
                axis=fixed.get("axis"), choices=", ".join(a.value for a in Axis)
            ),
            r,
            layout.fixed["axis"],
        )
    category = _category(fixed.get("category"))
    if category is None:
        problem(
            "TI093",
            _("category '{category}' is not 'Action structurante' or 'Action en amorçage'").format(
                category=fixed.get("category")
            ),
            r,
            layout.fixed["category"],
        )
    cost = _cost(at, r, layout, problem)
    financing = {}
    for financer, columns in layout.financers.items():
        known = contract.financer(financer)  # always: the layout's financers are the contract's
        line = _line(at, r, columns, known.name if known else financer, problem)
        if line is not None:
            financing[financer] = line
    if len(problem) > before or number is None or title is None or axis is None or category is None:
        return None
    return SheetAction(
        row=r,
        number=number,
        title=str(title),
        axis=axis,
        category=category,
        strategic_axis=_text(fixed.get("strategic_axis")),
        owner=_text(fixed.get("owner")),
        comment=_text(at(layout.comment)),
        cost=cost,
        financing=financing,
    )


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value)


def _number(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if 1 <= value <= MAX_ACTION_NUMBER else None
    if isinstance(value, float) and value.is_integer() and 1 <= value <= MAX_ACTION_NUMBER:
        return int(value)
    if isinstance(value, str) and value.isascii() and value.isdigit() and len(value) <= 4 and int(value) >= 1:
        return int(value)  # isascii: '²' and other digits int() refuses
    return None


def _choice(value: Any, choices: dict[str, Any]) -> Any:
    return None if value is None else choices.get(norm(value))


def _category(value: Any) -> Category | None:
    text = norm(value) if value is not None else ""
    if "structurante" in text:
        return Category.structurante
    if "amorcage" in text:
        return Category.amorcage
    return None


def amount(value: Any) -> Decimal | str | None:
    """A cell as euros: a Decimal, None when empty, or the reason it is not an amount."""
    from ti_cli.model.base import MAX_AMOUNT, suggest_number
    from ti_cli.numbers import out_of_bounds

    if value is None:
        return None
    if isinstance(value, bool):
        return _("'{value}' is not an amount").format(value=value)
    if isinstance(value, int):
        found = Decimal(value)
    elif isinstance(value, float):
        exact = Decimal(repr(value))
        if not exact.is_finite() or out_of_bounds(exact) or abs(exact) > MAX_AMOUNT:
            return _("amount out of bounds: at most 10¹² € (a thousand billion)")
        found = exact.quantize(CENT) if abs(exact - exact.quantize(CENT)) <= FLOAT_SLACK else exact
    elif isinstance(value, Decimal):
        found = value
    else:
        hint = suggest_number(str(value))
        if hint is None:
            return _("'{value}' is not an amount: write a number of euros").format(value=value)
        found = hint
    why = out_of_bounds(found) if found.is_finite() else _("this number is not finite")
    if why or abs(found) > MAX_AMOUNT:  # the value itself may be unprintable
        return why or _("amount above 10¹² € (a thousand billion): check the number of digits")
    try:
        if found < 0:
            return _("{value} is negative: amounts are never below 0").format(value=found)
        if found != found.quantize(CENT):
            return _("{value} has more than 2 decimals: amounts are in euros and cents").format(value=found)
    except InvalidOperation:
        return _("'{value}' is not an amount").format(value=value)
    return found


def _cost(at: Any, r: int, layout: Layout, problem: Problems) -> dict[str, Decimal | None] | None:
    parsed: dict[str, Decimal | None] = {}
    for key, c in layout.cost.items():
        found = amount(at(c))
        if isinstance(found, str):
            problem("TI094", found, r, c)
            return None
        parsed[key] = found
    if all(v is None for v in parsed.values()):
        return None
    if parsed.get("investment") is None and parsed.get("operating") is None:  # a total alone: split unknown (§16)
        return {"investment": None, "operating": None, "total": parsed.get("total")}
    investment, operating = parsed.get("investment") or Decimal(0), parsed.get("operating") or Decimal(0)
    total = parsed.get("total")
    if total is not None and total != investment + operating:
        gap = total - investment - operating
        message = (
            _("total {total} ≠ investment {investment} + operating {operating} ({gap} too much)")
            if gap > 0
            else _("total {total} ≠ investment {investment} + operating {operating} ({gap} missing)")
        )
        problem(
            "TI095",
            message.format(
                total=euros(total), investment=euros(investment), operating=euros(operating), gap=euros(abs(gap))
            ),
            r,
            layout.cost["total"],
        )
        return None
    return {"investment": investment, "operating": operating, "total": total}


def _line(at: Any, r: int, columns: dict[str, int], name: str, problem: Problems) -> SheetLine | None:
    """A financer's cells: eligibility, dispositif, amount (or the annex's single cell: X or a number)."""
    if "single" in columns:
        c = columns["single"]
        value = at(c)
        if value is None:
            return None
        if isinstance(value, str) and norm(value) in ELIGIBILITY_BY_TEXT:
            return SheetLine(ELIGIBILITY_BY_TEXT[norm(value)], None, None)
        found = amount(value)
        if isinstance(found, str):
            problem(
                "TI094",
                _("{financer}: {problem} (or X when the eligibility is validated)").format(
                    financer=name, problem=found
                ),
                r,
                c,
            )
            return None
        return SheetLine(Eligibility.a_confirmer, None, found)
    if "status" in columns:
        return _phase2_line(at, r, columns, name, problem)
    eligibility_cell = at(columns.get("eligibility"))
    scheme = _text(at(columns.get("scheme")))
    found = amount(at(columns.get("amount")))
    if isinstance(found, str):
        problem("TI094", _("{financer}: {problem}").format(financer=name, problem=found), r, columns["amount"])
        return None
    if eligibility_cell is None and scheme is None and found is None:
        return None
    eligibility = Eligibility.a_confirmer
    if eligibility_cell is not None:
        chosen = ELIGIBILITY_BY_TEXT.get(norm(eligibility_cell))
        if chosen is None:
            problem(
                "TI093",
                _("{financer}: eligibility '{value}' is not 'validée' or 'à confirmer'").format(
                    financer=name, value=eligibility_cell
                ),
                r,
                columns["eligibility"],
            )
            return None
        eligibility = chosen
    return SheetLine(eligibility, scheme, found)


def _phase2_line(at: Any, r: int, columns: dict[str, int], name: str, problem: Problems) -> SheetLine | None:
    """A phase-2 financer's cells: stage (or a phase-1 eligibility word), dispositif, amount, paid."""
    stage_cell = at(columns.get("status"))
    dispositif = _text(at(columns.get("scheme")))
    found = amount(at(columns.get("amount")))
    paid = amount(at(columns.get("paid")))
    for value, key in ((found, "amount"), (paid, "paid")):
        if isinstance(value, str):
            problem("TI094", _("{financer}: {problem}").format(financer=name, problem=value), r, columns[key])
            return None
    if stage_cell is None and dispositif is None and found is None and paid is None:
        return None
    line = SheetLine(None, None, found, dispositif=dispositif, paid=paid, phase2=True)  # type: ignore[arg-type]  # text returned above
    if stage_cell is None:
        return line
    key = norm(stage_cell)
    if key in STAGE_BY_TEXT:
        line.status = STAGE_BY_TEXT[key]
    elif key in ELIGIBILITY_BY_TEXT:
        line.eligibility = ELIGIBILITY_BY_TEXT[key]
    else:
        allowed = ", ".join([*STAGE_TEXT.values(), *ELIGIBILITY_TEXT.values()])
        problem(
            "TI093",
            _("{financer}: unknown stage '{value}' (choose one of: {choices})").format(
                financer=name, value=stage_cell, choices=allowed
            ),
            r,
            columns["status"],
        )
        return None
    return line
