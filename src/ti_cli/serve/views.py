"""What each page shows, as plain values for its template: built from the same functions as ``ti totals``,
``ti report quarterly``, ``ti pacte status`` and ``ti validate`` — a page only arranges their results.

Bars on the charts are widths in percent of the largest value: a float there only places a rectangle,
every figure printed beside it is the Decimal, formatted the French way by the templates.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from ti_cli.findings import Finding
from ti_cli.french import count
from ti_cli.i18n import N_, _
from ti_cli.serve.repository import Loaded, Repository, amount, fold

# Query parameters of the action table: French, as the user sees them in the address bar.
SORTS = {
    "numero": lambda r: r.number,
    "titre": lambda r: r.title.casefold(),
    "axe": lambda r: r.axis,
    "porteur": lambda r: r.owner.casefold(),
    "statut": lambda r: r.status,
    "avancement": lambda r: r.progress,
    "cout": lambda r: (r.total is not None, r.total or 0),  # costs not given sort first
    "securise": lambda r: (r.secured is not None, r.secured or 0),  # amounts not given sort first
    "reste": lambda r: (r.to_find is not None, r.to_find or 0),
}
EDITOR_URL = "vscode://file/{path}:{line}:{column}"  # TI_EDITOR_URL overrides it (see docs/serve.md)


CONTRACT_STATUS = {"projet": N_("draft"), "signe": N_("signed"), "proroge": N_("extended"), "clos": N_("closed")}
CADENCES = {
    "trimestriel": N_("quarterly"),
    "semestriel": N_("half-yearly"),
    "annuel": N_("annual"),
    "ad_hoc": N_("ad hoc (as projects require)"),
}


def words() -> dict[str, Any]:
    """The enumerations as the pages name them, in the chosen language (the documents' are French)."""
    from ti_cli.output.figures import WORDS

    return {
        "status_labels": {k: _(v) for k, v in WORDS["status"].items()},
        "category_labels": {k: _(v) for k, v in WORDS["category"].items()},
        "cadences": {k: _(v) for k, v in CADENCES.items()},
    }


@dataclass(frozen=True)
class Bar:
    label: str
    value: Decimal
    width: float  # percent of the longest bar
    href: str | None = None


def bars(items: list[tuple[str, Decimal]]) -> list[Bar]:
    top = max((v for _, v in items), default=Decimal(0))
    return [Bar(label, value, float(value / top * 100) if top else 0.0) for label, value in items]


# -- home ---------------------------------------------------------------------------------------------


HOME_SORTS = {
    "titre": lambda c: fold(c.get("title") or ""),
    "region": lambda c: fold(c.get("region") or ""),
    "actions": lambda c: c.get("actions") or 0,
    "cout": lambda c: c.get("total_amount") or Decimal(0),
    "acquis": lambda c: c.get("secured_amount") or Decimal(0),
    "reste": lambda c: c.get("to_find_amount") or Decimal(0),
    "constats": lambda c: (c.get("errors") or 0, c.get("warnings") or 0),
}
FIGURE_SORTS = ("actions", "cout", "acquis", "reste")  # columns a contract with errors has no figure for
PROGRAMME_LABELS = {"ti-2019": N_("phase 1 (2019-2022)"), "ti-2023": N_("phase 2 (2023-2027)")}
FINDING_CHOICES = {"avec": N_("with findings"), "erreurs": N_("with errors"), "sans": N_("without findings")}
HOME_ROWS = 250  # rows of a home page at most (SHOWN_BYTES keeps any page small): more are counted, not listed


@dataclass(frozen=True)
class HomeQuery:
    """The home page's search, filters and order, as the address bar carries them (a view can be shared)."""

    text: str = ""
    region: str = ""
    programme: str = ""
    findings: str = ""
    sort: str = "titre"
    descending: bool = False

    @classmethod
    def from_query(cls, query: Any) -> HomeQuery:
        sort = query.get("tri", "titre")
        found = query.get("constats", "")
        return cls(
            text=query.get("q", "").strip()[:200],
            region=query.get("region", ""),
            programme=query.get("programme", ""),
            findings=found if found in FINDING_CHOICES else "",
            sort=sort if sort in HOME_SORTS else "titre",
            descending=query.get("ordre") == "desc",
        )

    def keep(self, line: dict[str, Any]) -> bool:
        findings = (line.get("errors") or 0) + (line.get("warnings") or 0)
        wanted = fold(self.text).split()
        haystack = line.get("search") or fold(f"{line.get('id', '')} {line.get('title') or ''}")
        return (
            all(word in haystack for word in wanted)
            and (not self.region or line.get("region") == self.region)
            and (not self.programme or line.get("programme") == self.programme)
            and (
                not self.findings
                or (self.findings == "avec" and findings > 0)
                or (self.findings == "erreurs" and (line.get("errors") or 0) > 0)
                or (self.findings == "sans" and findings == 0)
            )
        )

    def query(self, **changes: Any) -> str:
        from urllib.parse import urlencode

        values = {
            "q": self.text,
            "region": self.region,
            "programme": self.programme,
            "constats": self.findings,
            "tri": self.sort if self.sort != "titre" else "",
            "ordre": "desc" if self.descending else "",
        }
        values.update(changes)
        return urlencode({k: v for k, v in values.items() if v})

    def sort_link(self, column: str) -> str:
        flip = column == self.sort and not self.descending
        return self.query(tri=column, ordre="desc" if flip else "")

    @property
    def active(self) -> bool:
        return bool(self.text or self.region or self.programme or self.findings)


@dataclass(frozen=True)
class Selection:
    """The totals of the contracts a home page shows: sums of each contract's ``ti totals`` figures."""

    contracts: int
    actions: int
    total: Decimal
    secured: Decimal
    to_find: Decimal
    unknown: int  # contracts with errors: no figure, counted apart


def home(repo: Repository, query: HomeQuery | None = None) -> dict[str, Any]:
    query = query or HomeQuery()
    contracts = repo.summaries("contract")
    for line in contracts:
        for name in ("total", "secured", "to_find"):
            line[name + "_amount"] = amount(line.get(name))
    kept = [c for c in contracts if query.keep(c)]
    figured = [c for c in kept if c.get("total_amount") is not None]
    unknown = [c for c in kept if c.get("total_amount") is None]  # errors: no figure to sort by
    if query.sort in FIGURE_SORTS:  # in either order, the contracts without figures come after the others
        shown = sorted(figured, key=HOME_SORTS[query.sort], reverse=query.descending) + sorted(
            unknown, key=HOME_SORTS["titre"]
        )
    else:
        shown = sorted(kept, key=HOME_SORTS[query.sort], reverse=query.descending)
    selection = Selection(
        contracts=len(shown),
        actions=sum(c.get("actions") or 0 for c in figured),
        total=sum((c["total_amount"] for c in figured), Decimal("0.00")),
        secured=sum((c["secured_amount"] for c in figured), Decimal("0.00")),
        to_find=sum((c["to_find_amount"] for c in figured), Decimal("0.00")),
        unknown=len(shown) - len(figured),
    )
    return {
        "contracts": shown[:HOME_ROWS],
        "cut": max(0, len(shown) - HOME_ROWS),
        "all_contracts": len(contracts),
        "selection": selection,
        "query": query,
        "regions": sorted({c["region"] for c in contracts if c.get("region")}, key=fold),
        "programmes": {k: _(v) for k, v in PROGRAMME_LABELS.items()},
        "finding_choices": {k: _(v) for k, v in FINDING_CHOICES.items()},
        "pactes": repo.summaries("pacte"),
        "today": repo.today,
    }


# -- a contract ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ActionLine:
    number: int
    title: str
    axis: str
    axis_label: str
    owner: str
    status: str
    status_label: str
    progress: int
    total: Decimal | None  # None: the action gives no cost (SPEC §4 allows it en amorçage)
    secured: Decimal | None  # None: acquis lines whose amounts are not given
    to_find: Decimal | None  # None with the cost
    late: bool


@dataclass(frozen=True)
class Filters:
    axis: str = ""
    status: str = ""
    owner: str = ""
    late: bool = False
    sort: str = "numero"
    descending: bool = False

    @classmethod
    def from_query(cls, query: Any) -> Filters:
        sort = query.get("tri", "numero")
        return cls(
            axis=query.get("axe", ""),
            status=query.get("statut", ""),
            owner=query.get("porteur", ""),
            late=query.get("retard") == "oui",
            sort=sort if sort in SORTS else "numero",
            descending=query.get("ordre") == "desc",
        )

    def keep(self, line: ActionLine) -> bool:
        return (
            (not self.axis or line.axis == self.axis)
            and (not self.status or line.status == self.status)
            and (not self.owner or line.owner == self.owner)
            and (line.late or not self.late)
        )

    def query(self, **changes: Any) -> str:
        """This selection as a query string, with ``changes`` (a column header's link flips the order)."""
        from urllib.parse import urlencode

        values = {
            "axe": self.axis,
            "statut": self.status,
            "porteur": self.owner,
            "retard": "oui" if self.late else "",
            "tri": self.sort,
            "ordre": "desc" if self.descending else "",
        }
        values.update(changes)
        return urlencode({k: v for k, v in values.items() if v})

    def sort_link(self, column: str) -> str:
        flip = column == self.sort and not self.descending
        return self.query(tri=column, ordre="desc" if flip else "")


def late_numbers(bundle: Any, day: dt.date) -> set[int]:
    """Late on the server's day, as every output judges it (``compute.progress.late_at``)."""
    from ti_cli.compute.progress import late_at

    return late_at(bundle.action_models(), [p for _, p in bundle.valid_progress()], day)


def action_lines(bundle: Any, day: dt.date) -> list[ActionLine]:
    from ti_cli.compute.progress import state_at
    from ti_cli.compute.totals import action_rows, from_cents, latest_statuses
    from ti_cli.render.context import action_row

    contract, actions = bundle.contract.model, bundle.action_models()
    reports = [p for _, p in bundle.valid_progress()]
    rows = action_rows(contract, actions, latest_statuses(reports))
    state = state_at(reports, "9999-Q4")
    late = late_numbers(bundle, day)
    return [
        ActionLine(
            number=a.number,
            title=a.title,
            axis=row["axis"],
            axis_label=row["axis_label"],
            owner=action_row(contract, a).owner,
            status=row["status"],
            status_label=row["status_label"],
            progress=state[a.number].progress.progress if a.number in state else 0,
            total=None if row["uncosted"] else from_cents(row["total"]),  # unknown is not zero
            # unknown is not zero: an acquis of lines whose amounts are not given prints as a dash
            secured=None if row["unknown_secured"] and not row["secured"] else from_cents(row["secured"]),
            to_find=None if row["uncosted"] else from_cents(row["to_find"]),
            late=a.number in late,
        )
        for a, row in zip(actions, rows, strict=True)
    ]


@dataclass(frozen=True)
class Stage:
    label: str
    amount: Decimal | None  # None: the lines' amounts are not given
    note: str


def stages(contract: Any, actions: list[Any], totals: Any) -> list[Stage]:
    """Totals by stage of financing. A phase-2 plan has its stages (SPEC §10: sollicité → versé, or
    refusé), from the same ``group_totals`` as ``ti totals --by stage``. Phase 1 knows two: lines whose
    eligibility is ``validee`` (the secured figure of ``ti totals``) and lines ``a_confirmer``. Either
    way, the rest of the cost has no line yet."""
    from ti_cli.compute.totals import group_totals
    from ti_cli.model.programme import PHASE_2
    from ti_cli.output.figures import word

    uncovered = Stage(_("No financing identified"), totals.unfunded, _("cost that no financer is named for yet"))
    if contract.programme == PHASE_2:
        groups = group_totals(contract, actions, "stage")
        return [*(Stage(word("stage", g.key), g.total, _(STAGE_NOTES[g.key])) for g in groups), uncovered]
    return [
        Stage(
            _("Eligibility validated"),
            totals.secured_known,  # unknown is not zero
            _("secured financing"),
        ),
        # the « dont à confirmer » of the rest to finance, as `ti totals` and the deck name it: with the
        # validated and the uncovered parts it adds up to the cost (a sum of known amounts alone read 0 €)
        Stage(_("To be confirmed by identified financers"), totals.to_confirm, _("still to finance, a financer named")),
        uncovered,
    ]


STAGE_NOTES = {
    "sollicite": N_("applications filed, awaiting a decision"),
    "obtenu": N_("granted: decision or agreement signed"),
    "engage": N_("committed in the financer's accounts"),
    "verse": N_("paid in full"),
    "refuse": N_("refused: counted in no sum"),
}


def contract_page(repo: Repository, loaded: Loaded, filters: Filters) -> dict[str, Any]:
    from ti_cli.compute.totals import contract_totals, group_totals
    from ti_cli.model.progress import Status
    from ti_cli.render.context import labels

    bundle = loaded.bundle
    contract, actions = bundle.contract.model, bundle.action_models()
    totals = contract_totals(contract, actions)
    by_axis = group_totals(contract, actions, "axis")
    by_stage = stages(contract, actions, totals)
    lines = action_lines(bundle, repo.today)
    shown = sorted((line for line in lines if filters.keep(line)), key=SORTS[filters.sort], reverse=filters.descending)
    found = evaluation(bundle, repo.today) if contract.phase2 else None
    return {
        **labels(),
        # the filter offers the axes of the contract's own programme (SPEC §10), by their labels
        "axis_choices": {a.code: a.label for a in contract.programme_def.axes},
        "meetings": meetings(repo, bundle),
        "today": repo.today,
        "indicators": found.indicators if found else [],
        "evaluation": found,
        "stage_words": stage_words(),
        "indicator_bars": indicator_bars(found.indicators if found else []),
        "contract": contract,
        "status": _(CONTRACT_STATUS[contract.status.value]),
        "loaded": loaded,
        "totals": totals,
        "by_axis": by_axis,
        "axis_bars": bars([(g.label, g.total) for g in by_axis]),
        "stages": by_stage,
        "stage_bars": bars([(s.label, s.amount) for s in by_stage if s.amount is not None]),
        "lines": shown,
        "all_lines": lines,
        "filters": filters,
        "owners": sorted({line.owner for line in lines}, key=str.casefold),
        "statuses": [s.value for s in Status],
        "quarters": sorted(p.quarter for _, p in bundle.valid_progress()),
    }


# -- phase 2: decisions and indicators ----------------------------------------------------------------

OPINIONS = {"favorable": N_("favourable"), "defavorable": N_("unfavourable"), "ajourne": N_("postponed")}
# The programme's words for a decision and a meeting's body (model/programme.py) in the language chosen.
DECISION_KINDS = {
    "ajout": N_("addition to the plan"),
    "retrait": N_("removal from the plan"),
    "modification": N_("change"),
    "validation": N_("validation"),
    "avis-fonds-vert": N_("Fonds vert opinion"),
    "autre": N_("other decision"),
}
BODIES = {
    "copil-local": N_("local steering committee"),
    "copil-regional": N_("regional steering committee"),
    "comite-de-projets": N_("projects committee"),
    "autre": N_("other body"),
}


@dataclass(frozen=True)
class DecisionLine:
    action: int | None
    kind: str  # its label, never the code
    opinion: str | None  # the label of a Fonds vert avis
    opinion_key: str | None
    summary: str


@dataclass(frozen=True)
class Meeting:
    date: dt.date
    body: str  # its label
    title: str
    present: list[str]
    file: str | None
    decisions: list[DecisionLine]
    draft: bool = False  # a relevé still to adopt (``draft: true``): its decisions are proposed, not taken


def meetings(repo: Repository, bundle: Any) -> list[Meeting]:
    """The governance's relevés of decisions (SPEC §10), newest first, dated on or before ``day``."""
    out = []
    for source, f in bundle.valid_decisions():
        if f.date > repo.today:
            continue
        lines = [
            DecisionLine(
                d.action,
                _(DECISION_KINDS[d.kind.value]) if d.kind.value in DECISION_KINDS else d.kind.value,
                _(OPINIONS[d.opinion.value]) if d.opinion is not None else None,
                d.opinion.value if d.opinion is not None else None,
                d.summary,
            )
            for d in f.decisions
        ]
        out.append(
            Meeting(
                f.date,
                _(BODIES[f.body.value]) if f.body.value in BODIES else f.body.value,
                f.title,
                list(f.present),
                relative(repo, source.path),
                lines,
                f.draft,
            )
        )
    return sorted(out, key=lambda m: m.date, reverse=True)


def stage_words() -> dict[str, str]:
    """The stages an evaluation shows side by side (refusé apart), by their words in the chosen language."""
    from ti_cli.compute.evaluation import SHOWN_STAGES
    from ti_cli.output.figures import word

    return {s: word("stage", s) for s in SHOWN_STAGES}


def evaluation(bundle: Any, day: dt.date) -> Any:
    """The plan's evaluation as of ``day`` (``compute.evaluation``, the same as ``ti report evaluation``)."""
    from ti_cli.compute.evaluation import evaluate

    return evaluate(bundle, day)


def indicator_bars(indicators: list[Any]) -> list[dict[str, Any]]:
    """Each indicator's latest value against its target: the bar's width is the rounded share (capped)."""
    return [
        {"indicator": i, "width": min(float(i.reached), 100.0) if i.reached is not None else 0.0}
        for i in indicators
        if i.target is not None
    ]


# -- an action ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class HistoryLine:
    quarter: str
    status_key: str
    progress: int
    spent: Decimal
    comment: str | None


def action_page(repo: Repository, loaded: Loaded, number: int) -> dict[str, Any] | None:
    from ti_cli.compute.progress import latest_quarter, quarterly
    from ti_cli.output.figures import word
    from ti_cli.render.context import action_row, fiche_context

    bundle = loaded.bundle
    action = next((a for a in bundle.action_models() if a.number == number), None)
    if action is None:
        return None
    reports = [p for _, p in bundle.valid_progress()]
    history = [
        HistoryLine(p.quarter, e.status.value, e.progress, e.spent.investment + e.spent.operating, e.comment)
        for p in reports
        for e in p.actions
        if e.number == number
    ]
    quarter = latest_quarter(reports)
    line = None
    if quarter is not None:
        line = next(a for a in quarterly(bundle.action_models(), reports, quarter).actions if a.number == number)
    from ti_cli.compute.evaluation import indicator_value

    indicators = [indicator_value(number, i, repo.today) for i in action.indicators]
    decided = [(m, d) for m in meetings(repo, bundle) for d in m.decisions if d.action == number]
    return {
        **fiche_context(bundle, action, repo.today),
        "phase2": bundle.contract.model.phase2,
        "indicators": indicators,
        "indicator_bars": indicator_bars(indicators),
        "decided": decided,
        "row": action_row(bundle.contract.model, action),
        "history": history,
        "line": line,
        "quarter": quarter,
        "file": _file_of(repo, bundle, number),
        "markdown": markdown,
        # where each financing line stands: its phase-2 stage, else its eligibility
        "standings": [
            word("stage", f.status.value).lower() if f.status is not None else word("eligibility", f.eligibility.value)
            for f in action.financing
        ],
    }


def markdown(text: str) -> Any:
    """A description as HTML: the documents' Markdown parser (raw HTML off, so escaped), images left as
    written — never read from disk and inlined as ``ti render`` does; the CSP keeps them from loading."""
    from markupsafe import Markup

    from ti_cli.render.markdown import parser

    return Markup(parser().render(text))


def _file_of(repo: Repository, bundle: Any, number: int) -> str | None:
    for source in bundle.actions:
        if source.model is not None and source.model.number == number:
            return relative(repo, source.path)
    return None


# -- a pacte ------------------------------------------------------------------------------------------


def pacte_page(repo: Repository, loaded: Loaded) -> dict[str, Any]:
    from ti_cli.compute.pacte import campaign, pacte_report
    from ti_cli.render.pacte import SIZES, value

    bundle = loaded.bundle
    report = pacte_report(bundle.pacte.model, bundle.loaded_members(), repo.today)
    stakeholders = bundle.stakeholders.model if bundle.stakeholders else None
    return {
        "pacte": bundle.pacte.model,
        "report": report,
        "status": report.status,
        "loaded": loaded,
        "members": bundle.loaded_members(),
        "campaign": campaign(stakeholders, repo.today) if stakeholders else None,
        "value": value,
        "sizes": SIZES,
        "today": repo.today,
    }


def member_page(repo: Repository, loaded: Loaded, slug: str) -> dict[str, Any] | None:
    """One member of the pacte: its commitments, its reviews and indicators (``compute.pacte.fiche``, the
    same as its follow-up sheet), looked up among the member files (the URL never builds a path)."""
    from ti_cli.compute.pacte import fiche
    from ti_cli.render.pacte import SIZES, value

    bundle = loaded.bundle
    member = dict(bundle.loaded_members()).get(slug)
    if member is None:
        return None
    source = next((s for s in bundle.members if s.path.stem == slug), None)
    return {
        "pacte": bundle.pacte.model,
        "slug": slug,
        "member": member,
        "fiche": fiche(bundle.pacte.model, slug, member, repo.today),
        "file": relative(repo, source.path) if source is not None else None,
        "value": value,
        "sizes": SIZES,
        "today": repo.today,
    }


# -- findings -----------------------------------------------------------------------------------------


@dataclass
class FileFindings:
    path: str  # relative to the data folder, as the file view's address takes it
    shown: str  # as ti validate prints it
    findings: list[dict[str, Any]] = field(default_factory=list)


def relative(repo: Repository, path: Path | str) -> str | None:
    """A file's path relative to the data folder, or None when it lies outside it."""
    try:
        return Path(path).resolve().relative_to(repo.root.resolve()).as_posix()
    except (ValueError, OSError):
        return None


SHOWN_BYTES = 1024 * 1024  # a data file is a few KB; a page never carries more than this of one


SHOWN_LINES = 20_000  # lines of a file on its page at most (each line is a link: a page stays a few MB)


def read_lines(path: Path, most: int | None = None) -> list[str]:
    """The file as it is now (a cached copy would show an old line after an edit), its first MB at most,
    and its first ``most`` lines when given."""
    try:
        with path.open("rb") as file:
            data = file.read(SHOWN_BYTES + 1)
    except OSError:
        return []
    lines = data[:SHOWN_BYTES].decode("utf-8-sig", errors="replace").splitlines()
    if most is not None and len(lines) > most:
        return [*lines[:most], _("… (the file goes on: only its first {n} lines are shown)").format(n=count(most))]
    if len(data) > SHOWN_BYTES:
        lines.append(_("… (the file goes on: only its first megabyte is shown)"))
    return lines


def editor_link(path: Path, line: int, column: int) -> str:
    import os

    template = os.environ.get("TI_EDITOR_URL", EDITOR_URL)
    return template.format(path=path.resolve().as_posix(), line=line, column=column)


def findings_page(repo: Repository, findings: list[Finding]) -> list[FileFindings]:
    """Findings grouped by file, each with its source line and the column for the caret."""
    groups: dict[str, FileFindings] = {}
    for f in findings:
        path = Path(f.file)
        rel = relative(repo, path)
        group = groups.setdefault(str(f.file), FileFindings(rel or "", str(f.file)))
        inside = path.resolve().is_relative_to(repo.root.resolve())
        lines = read_lines(path) if inside else []  # a line of a file linked from outside is never shown
        source = lines[f.line - 1] if 0 < f.line <= len(lines) else None
        group.findings.append(
            {
                "finding": f,
                "source": source,
                "caret": " " * (f.column - 1) + "^",
                "editor": editor_link(path, f.line, f.column),
            }
        )
    return list(groups.values())


def all_findings(repo: Repository) -> tuple[int, list[Finding]]:
    """``ti validate`` on the whole data folder, its cache included: (files, findings)."""
    from ti_cli.rules.engine import validate

    report = validate([repo.root], repo.context(), cache=repo.cache)
    return report.files, report.findings
