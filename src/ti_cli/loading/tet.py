"""Reading a plan written in Territoires en Transitions' import template (``modele-import-pa.xlsx``,
one row per fiche action; SPEC §16), recognised by its headers.

Headers are matched ignoring case, accents, spaces, punctuation (« · », « - », « € ») and a parenthesised
hint (« Axe (x) », « Date de début (JJ/MM/AAAA) »). Every cell that cannot be read becomes a finding at
its row and column, as in ``loading/xlsx.py``; nothing raises. What the rows mean for a contract (axes,
financers, stages, progress) is decided in ``workflow/tet.py``.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from ti_cli.findings import Finding
from ti_cli.i18n import _
from ti_cli.loading.xlsx import HEADER_SCAN, Problems, _grid, _open, amount

# The template's columns in its order: key → header as TeT writes it (SPEC §16, territoires-en-transitions.md).
COLUMNS: tuple[tuple[str, str], ...] = (
    ("axis", "Axe"),
    ("sub_axis", "Sous-axe"),
    ("sub_sub_axis", "Sous-sous-axe"),
    ("title", "Titre de la fiche action"),
    ("sub_action", "Sous-action"),
    ("description", "Descriptif"),
    ("governance", "Instances de gouvernance"),
    ("objectives", "Objectifs"),
    ("indicators", "Indicateurs liés"),
    ("owner", "Structure pilote"),
    ("means", "Moyens humains et techniques"),
    ("partners", "Partenaires"),
    ("service", "Service-département-pôle pilote"),
    ("person", "Personne pilote"),
    ("elected", "Élu·e référent·e"),
    ("citizens", "Participation citoyenne"),
    ("financing_text", "Financements"),
    ("financer", "Financeur"),  # Financeur 1, 2, 3…, each followed by its « Montant € HT »
    ("amount", "Montant € HT"),
    ("budget", "Budget prévisionnel total € HT"),
    ("status", "Statut"),
    ("priority", "Niveau de priorité"),
    ("start", "Date de début"),
    ("end", "Date de fin provisoire"),
    ("continuous", "Action en amélioration continue"),
    ("calendar", "Calendrier"),
    ("linked_actions", "Actions liées"),
    ("linked_fiches", "Fiches des plans liées"),
    ("notes", "Notes complémentaires"),
    ("documents", "Documents et liens"),
)
HEADERS = dict(COLUMNS)
# Known columns ti has no field for: kept in the action's ``comment``, each under its header.
TO_COMMENT = (
    "objectives",
    "governance",
    "means",
    "partners",
    "service",
    "person",
    "elected",
    "citizens",
    "financing_text",
    "priority",
    "continuous",
    "calendar",
    "linked_actions",
    "linked_fiches",
    "notes",
)
# Known columns not imported at all (TeT itself does not import them), listed to the user.
NOT_IMPORTED = ("sub_action", "indicators", "documents")
# TeT's statuses (SPEC §16), by their loose form → ti's (SPEC §5).
STATUSES = {
    "avenir": "a_lancer",
    "encours": "en_cours",
    "enretard": "en_cours",
    "bloque": "en_cours",
    "adiscuter": "en_cours",
    "enpause": "suspendu",
    "realise": "termine",
    "abandonne": "abandonne",
}
HINT = re.compile(r"\([^)]*\)")


def loose(text: Any) -> str:
    """A header or a name compared loosely: no hint in parentheses, no accents, no case, nothing but
    letters and digits (spaces and punctuation such as « · », « - », « € » ignored)."""
    plain = unicodedata.normalize("NFKD", HINT.sub("", str(text))).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]", "", plain.lower())


def header_key(text: Any) -> str:
    """A header compared loosely, « HT » at its end optional too (« Budget prévisionnel total (€ HT) »)."""
    key = loose(text)
    return key[:-2] if key.endswith("ht") else key


BY_LOOSE = {header_key(h): k for k, h in COLUMNS}
FINANCER = re.compile(r"^financeur(\d+)$")


@dataclass
class TetFinancer:
    name: str
    amount: Decimal | None
    row: int
    col: int


@dataclass
class TetRow:
    """One fiche of the template, as written (the plan decides what it becomes)."""

    row: int
    title: str
    headings: list[str]  # Axe, Sous-axe, Sous-sous-axe as written, the empty ones left out
    description: str | None = None
    owner: str | None = None
    budget: Decimal | None = None
    financers: list[TetFinancer] = field(default_factory=list)
    status: str | None = None  # as written
    status_code: str | None = None  # ti's (SPEC §5)
    start: dt.date | None = None
    end: dt.date | None = None
    comment: list[tuple[str, str]] = field(default_factory=list)  # (header as written, text)


@dataclass
class TetSheet:
    path: Path
    rows: list[TetRow] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)  # headers that are not the template's
    not_imported: list[str] = field(default_factory=list)  # template headers ti does not import
    in_comment: list[str] = field(default_factory=list)  # template headers kept in the comment


def header_row(values: list[list[Any]]) -> int | None:
    """The 0-based row of TeT's headers among the first rows: the one naming « Titre de la fiche action »
    and at least two more of the template's columns."""
    for r in range(min(HEADER_SCAN, len(values))):
        keys = {BY_LOOSE.get(header_key(v)) for v in values[r] if v is not None}
        if "title" in keys and len(keys - {None}) >= 3:
            return r
    return None


def looks_like_tet(path: Path) -> bool:
    """Whether the workbook is TeT's template (its headers), without reporting anything."""
    ws = _open(path, Problems(path, []))
    return ws is not None and header_row(_grid(ws)) is not None


def read_tet(path: Path) -> TetSheet:
    sheet = TetSheet(path)
    problem = Problems(path, sheet.findings)
    ws = _open(path, problem)
    if ws is None:
        return sheet
    values = _grid(ws)
    top = header_row(values)
    if top is None:
        problem("TI090", _("no header row of Territoires en Transitions' template in the first rows"))
        return sheet
    columns: dict[int, str] = {}  # column (1-based) → key; financer n / amount paired by position
    headers: dict[int, str] = {}
    for c, value in enumerate(values[top], start=1):
        if value is None or not str(value).strip():
            continue
        text = " ".join(str(value).split())
        headers[c] = text
        key = BY_LOOSE.get(header_key(value))
        if key is None and FINANCER.match(header_key(value)):
            key = "financer"
        if key is None:
            sheet.unknown.append(text)
            continue
        columns[c] = key
        if key in NOT_IMPORTED:
            sheet.not_imported.append(text)
        elif key in TO_COMMENT:
            sheet.in_comment.append(text)
    if "title" not in columns.values():  # header_row found it; kept for the type checker's sake
        return sheet
    for r in range(top + 2, len(values) + 1):
        line = values[r - 1]
        cells = {c: line[c - 1] if c - 1 < len(line) else None for c in columns}
        if all(v is None or not str(v).strip() for v in cells.values()):
            continue
        found = _row(r, cells, columns, headers, problem)
        if found is not None:
            sheet.rows.append(found)
    return sheet


def _text(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def _date(value: Any, r: int, c: int, problem: Problems) -> dt.date | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    m = re.fullmatch(r"\s*(\d{1,2})/(\d{1,2})/(\d{4})\s*", str(value))
    try:
        if m:
            return dt.date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        pass
    problem("TI093", _("'{value}' is not a date (JJ/MM/AAAA)").format(value=value), r, c)
    return None


def _money(value: Any, r: int, c: int, problem: Problems) -> Decimal | None:
    found = amount(value)
    if isinstance(found, str):
        problem("TI094", found, r, c)
        return None
    return found


def _row(
    r: int, cells: dict[int, Any], columns: dict[int, str], headers: dict[int, str], problem: Problems
) -> TetRow | None:
    by_key: dict[str, tuple[int, Any]] = {}
    for c, key in columns.items():
        if key not in ("financer", "amount"):
            by_key.setdefault(key, (c, cells[c]))
    title_col, title = by_key["title"]
    if _text(title) is None:
        problem("TI092", _("the fiche has no title"), r, title_col)
        return None
    row = TetRow(
        r,
        str(_text(title)),
        [h for k in ("axis", "sub_axis", "sub_sub_axis") if k in by_key and (h := _text(by_key[k][1])) is not None],
    )
    row.description = _text(by_key.get("description", (0, None))[1])
    row.owner = _text(by_key.get("owner", (0, None))[1])
    if "budget" in by_key:
        row.budget = _money(by_key["budget"][1], r, by_key["budget"][0], problem)
    if "status" in by_key:
        c, value = by_key["status"]
        row.status = _text(value)
        if row.status is not None:
            row.status_code = STATUSES.get(loose(row.status))
            if row.status_code is None:
                problem(
                    "TI093",
                    _("status '{value}' is not one of Territoires en Transitions' ({choices})").format(
                        value=row.status,
                        choices="À venir, En cours, Réalisé, En pause, Abandonné, Bloqué, En retard, A discuter",
                    ),
                    r,
                    c,
                )
    for key, attr in (("start", "start"), ("end", "end")):
        if key in by_key:
            setattr(row, attr, _date(by_key[key][1], r, by_key[key][0], problem))
    for key in TO_COMMENT:
        if key in by_key and (text := _text(by_key[key][1])) is not None:
            row.comment.append((headers[by_key[key][0]], text))
    # Each « Financeur n » with the « Montant » column that follows it.
    ordered = sorted(columns)
    for i, c in enumerate(ordered):
        if columns[c] != "financer":
            continue
        name = _text(cells[c])
        following = ordered[i + 1] if i + 1 < len(ordered) and columns[ordered[i + 1]] == "amount" else None
        money = _money(cells[following], r, following, problem) if following is not None else None
        if name is None:
            if money is not None:
                problem("TI092", _("an amount without its financer"), r, following or c)
            continue
        row.financers.append(TetFinancer(name, money, r, c))
    return row
