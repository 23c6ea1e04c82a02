"""The deck of the next comité de pilotage (SPEC §15): its slides as plain content — titles, lines,
tables and charts already written the French way — from which ``render.slides`` writes the PowerPoint
file and ``templates/copil.md.j2`` the Markdown (then the PDF handout). One content, two layouts: the
handout says what the slides say.

Every figure comes from ``compute`` (``Totals`` and its groups, the progress of ``compute.progress``,
the evaluation's per-action stages, the programme's indicators, the calendar); this module chooses,
orders and words them, and adds nothing up. The changes since the last meeting and the decisions to
take come from the workflow (``ti decisions draft``'s proposals, ``ti avenant``'s articles), as
``Changes``. Codes never show: axes, statuses, stages, dispositifs, decision kinds and financers are
printed by their labels (SPEC §14).

What is decided here, and only here:

- how *late* and *at risk* (judged by ``compute.progress.risk_at``, with SPEC §14's ``late_at``) are
  worded;
- an action's *next milestone* is its earliest milestone not done in its latest progress report (an
  overdue one first), else its planned end when that is still ahead;
- the structuring actions (``category: structurante``) get a slide each; the annex lists every action,
  ``ANNEX_ROWS`` a slide.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from ti_cli import french
from ti_cli.compute.evaluation import ActionEvaluation, Evaluation, evaluate
from ti_cli.compute.progress import Entry, Risk, milestone_views, risk_at, state_at, weighted_progress
from ti_cli.compute.totals import (
    STATUS_LABELS,
    Group,
    Totals,
    action_rows,
    contract_totals,
    group_totals,
    latest_statuses,
    sub_groups,
)
from ti_cli.loading.bundle import ContractBundle
from ti_cli.model import Action, Contract, Progress
from ti_cli.model.programme import AXIS_TO_CHOOSE, CATEGORY_LABELS, STAGE_LABELS, axis_label
from ti_cli.model.progress import Status
from ti_cli.render.context import action_row
from ti_cli.render.environment import quarter_label

ANNEX_ROWS = 12  # actions per annex slide: a table that still reads at the back of the room
FINANCING_ROWS = 8  # financing lines on a structuring action's slide (more: the fiche has them)
CALENDAR_ROWS = 12
WINDOW_MONTHS = 3  # « le calendrier des trois prochains mois »
ZERO = Decimal("0.00")


@dataclass(frozen=True)
class Chart:
    """A chart's data: ``amounts`` (euros per category), ``percent`` (0-100 per category) or ``targets``
    (each category's value as a percentage of its target: units differ). ``name`` is the file stem of its
    image in the handout."""

    kind: str
    name: str
    title: str
    categories: tuple[str, ...]
    values: tuple[Decimal, ...]
    texts: tuple[str, ...]  # each value as printed (« 2 560 000 € », « 45 % »)


@dataclass(frozen=True)
class Table:
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    numeric: tuple[int, ...] = ()  # the right-aligned columns
    last_total: bool = False  # the last row is a total (bold)


@dataclass(frozen=True)
class Slide:
    key: str  # stable: titre, synthese, avancement, financements, retards, evolutions, decisions,
    # indicateurs, calendrier, action-NN, annexe-N
    title: str
    layout: str = "content"  # "title" for the first slide, "content" for every other
    subtitle: str = ""
    lines: tuple[str, ...] = ()
    tables: tuple[Table, ...] = ()
    charts: tuple[Chart, ...] = ()
    note: str = ""


@dataclass(frozen=True)
class Deck:
    contract: Contract
    as_of: dt.date
    title: str
    slides: tuple[Slide, ...]

    @property
    def phase2(self) -> bool:
        return self.contract.phase2


@dataclass(frozen=True)
class Change:
    """One action changed since the version compared with."""

    number: int
    title: str
    what: str  # « ajout », « retrait », « modification : montant (État) … »
    delta: str  # the cost's change, signed, or ""


@dataclass(frozen=True)
class Proposal:
    """One decision to take (phase 2: what ``ti decisions draft`` proposes; phase 1: an article of the
    next avenant)."""

    action: int
    kind: str  # its label: « ajout au plan », « modification »…
    summary: str


@dataclass(frozen=True)
class Changes:
    """The changes since ``--since``, as the workflow found them (``note`` says why there are none to
    show: no git history, the version compared with has errors…)."""

    since: str = ""  # how people name that version: « la version du 26 juin 2025 (« … ») »
    changes: tuple[Change, ...] = ()
    proposals: tuple[Proposal, ...] = ()
    before: Totals | None = None
    after: Totals | None = None
    copil: tuple[str, ...] = ()  # phase 1: why the regional COPIL must validate
    amendment: int | None = None  # phase 1: the number of the avenant to prepare
    note: str = ""


@dataclass(frozen=True)
class Indicator:
    """One line of the programme's indicators, as ``compute.indicators`` sums it."""

    title: str
    unit: str
    target: Decimal | None
    value: Decimal | None
    actions: int
    measured: int
    reached: Decimal | None  # the value as a percentage of the target, rounded once in compute


@dataclass(frozen=True)
class Event:
    on: dt.date
    summary: str
    done: bool = False


@dataclass
class Inputs:
    """What the deck shows besides the bundle: the programme's indicators and the events of the window,
    computed by ``compute.indicators`` and ``compute.calendar`` (the workflow passes them)."""

    changes: Changes = field(default_factory=Changes)
    indicators: list[Indicator] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)


# Words -------------------------------------------------------------------------------------------


def text(value: Any) -> str:
    """Running text made French (no-break spaces before : ; ? ! and inside « »)."""
    return french.typography(str(value))


def euros(value: Decimal | None) -> str:
    return french.euros(value)


def quantity(value: Decimal | None, unit: str = "") -> str:
    """An indicator's figure as every output prints it (``rules.phase2.quantity``: ``8,5 ha``, ``1 200``)."""
    from ti_cli.rules.phase2 import quantity as shown

    if value is None:
        return "–"
    return f"{shown(value)}{french.NBSP}{unit}" if unit else shown(value)


def known(amount: Decimal, unknown: int) -> str:
    """Unknown is not zero (SPEC §14): a sum of nothing but lines without amounts reads « non précisé »."""
    return "non précisé" if unknown and not amount else euros(amount)


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later (the last of the month when that month is shorter)."""
    import calendar

    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def window(day: dt.date) -> tuple[dt.date, dt.date]:
    """The deck's calendar: from the meeting's date to three months later, both included."""
    return day, add_months(day, WINDOW_MONTHS)


def pending_word(phase2: bool) -> str:
    """Sollicité (phase 2) / the part of the rest a named financer is to confirm (phase 1, ``to_confirm``:
    never bare « À confirmer », the name of the lines ``a_confirmer`` in the charts), SPEC §14."""
    return "Sollicité" if phase2 else "À confirmer auprès des financeurs identifiés"


def stage_word(key: str, phase2: bool) -> str:
    """A line's standing in the programme's words: its stage (phase 2), its eligibility (phase 1)."""
    if phase2:
        return STAGE_LABELS[key]
    return "Éligibilité validée" if key == "obtenu" else "Éligibilité à confirmer"


def status_word(status: str) -> str:
    return STATUS_LABELS[Status(status)]


# The facts the slides share ----------------------------------------------------------------------


@dataclass(frozen=True)
class Facts:
    bundle: ContractBundle
    contract: Contract
    day: dt.date
    actions: list[Action]
    totals: Totals
    evaluation: Evaluation
    state: dict[int, Entry]  # each action's latest progress entry reported by the date
    latest: Progress | None  # the latest progress report made by the date

    @property
    def phase2(self) -> bool:
        return self.contract.phase2

    def evaluated(self, number: int) -> ActionEvaluation:
        return next(a for a in self.evaluation.actions if a.number == number)


def facts(bundle: ContractBundle, day: dt.date) -> Facts:
    contract = bundle.contract.model
    assert contract is not None  # checked before
    actions = sorted(bundle.action_models(), key=lambda a: a.number)
    reports = [p for _, p in bundle.valid_progress() if p.reported_on <= day]
    latest = max(reports, key=lambda p: p.quarter, default=None)
    state = state_at(reports, latest.quarter) if latest else {}
    return Facts(
        bundle, contract, day, actions, contract_totals(contract, actions), evaluate(bundle, day), state, latest
    )


def next_milestone(f: Facts, action: Action) -> str:
    """The earliest milestone not done (overdue first), else the planned end still ahead, else « – »."""
    entry = f.state.get(action.number)
    views = sorted(
        (m for m in milestone_views(entry.progress.milestones if entry else [], f.day) if not m.done),
        key=lambda m: m.date,
    )
    if views:
        m = views[0]
        late = " (en retard)" if m.overdue else ""
        return text(f"{french.date_short(m.date)} — {m.label}{late}")
    if action.planned_end is not None and action.planned_end >= f.day:
        return f"{french.date_short(action.planned_end)} — fin prévue"
    return "–"


def risk(f: Facts, action: Action, evaluated: ActionEvaluation) -> str:
    """Why an action is late or at risk (``compute.progress.risk_at``), in words; "" when it is neither."""
    why = risk_at(action, Status(evaluated.status), evaluated.late, f.latest, f.day)
    if why is None:
        return ""
    if why is Risk.past_end or why is Risk.ending:
        return f"{'en retard' if why.late else 'à risque'} : fin prévue le {french.date_short(action.planned_end)}"
    if why is Risk.milestone:
        return "en retard : jalon dépassé"
    if why is Risk.suspended:
        return "à risque : suspendue"
    assert f.latest is not None  # Risk.not_reported
    return f"à risque : absente de l'état d'avancement du {quarter_label(f.latest.quarter)}"


def owner(contract: Contract, action: Action) -> str:
    return action_row(contract, action).owner


# The slides --------------------------------------------------------------------------------------


def title_slide(f: Facts) -> Slide:
    c = f.contract
    lines = []
    for b in c.governance.binomes:
        elu = b.elu.name + (f", {b.elu.title}" if b.elu.title else "")
        industriel = b.industriel.name + (f", {b.industriel.title}" if b.industriel.title else "")
        if b.industriel.company:
            industriel += f" ({b.industriel.company})"
        lines.append(text(f"Binôme : {elu} — {industriel}"))
    leads = [lead.name + (f", {lead.title}" if lead.title else "") for lead in c.governance.project_leads]
    if len(leads) == 1:
        lines.append(text(f"Chef de projet : {leads[0]}"))
    elif leads:
        lines.append(text(f"Chefs de projet : {' ; '.join(lead.split(',')[0] for lead in leads)}"))
    return Slide(
        "titre",
        text(c.title),
        layout="title",
        subtitle=text(f"Comité de pilotage du {french.date_long(f.day)}"),
        lines=tuple(lines),
    )


def glance_slide(f: Facts) -> Slide:
    t = f.totals
    unknown = (
        f" ({t.unknown_secured} ligne{'s' if t.unknown_secured > 1 else ''} au montant non précisé)"
        if t.unknown_secured
        else ""
    )
    pending = t.requested if f.phase2 else t.to_confirm
    rows = [
        ("Coût total HT", euros(t.total)),
        ("dont investissement", euros(t.investment)),
        ("dont fonctionnement", euros(t.operating)),
        *([("dont non ventilé (coût donné en total)", euros(t.unsplit))] if t.unsplit else []),
        ("Acquis" + unknown, known(t.secured, t.unknown_secured)),
        *([("dont prêts (à rembourser)", euros(t.loans))] if t.loans else []),
        (pending_word(f.phase2), euros(pending)),
        ("Reste à financer", euros(t.to_find)),
        ("dont sans financeur identifié", euros(t.unfunded)),
    ]
    if f.phase2:
        rows += [("Payé à ce jour", euros(t.paid)), ("Refusé (dans aucune autre somme)", euros(t.refused))]
    figures = Table(("Le plan", "Montant"), tuple(rows), numeric=(1,))
    statuses = _statuses(f)
    rows_by_status = action_rows(f.contract, f.actions, statuses)
    axes = group_totals(f.contract, f.actions, "axis", statuses=statuses)
    shown = [s for s in Status if any(r["status"] == s.value for r in rows_by_status)]
    matrix = []
    for axis in axes:
        counts = {g.key: g.actions for g in sub_groups(rows_by_status, "axis", axis.key, "status")}
        matrix.append((axis.label, *(str(counts.get(s.value, 0)) for s in shown), str(axis.actions)))
    by_status = {g.key: g.actions for g in group_totals(f.contract, f.actions, "status", statuses=statuses)}
    matrix.append(("Total", *(str(by_status.get(s.value, 0)) for s in shown), str(t.actions)))
    grid = Table(
        ("Actions par axe", *(STATUS_LABELS[s] for s in shown), "Total"),
        tuple(matrix),
        numeric=tuple(range(1, len(shown) + 2)),
        last_total=True,
    )
    note = (
        f"{t.unknown_amounts} ligne{'s' if t.unknown_amounts > 1 else ''} de financement sans montant précisé "
        "(dans aucune somme)."
        if t.unknown_amounts
        else ""
    )
    return Slide("synthese", "Le plan en un coup d'œil", tables=(figures, grid), note=note)


def _statuses(f: Facts) -> dict[int, Status]:
    return latest_statuses([p for _, p in f.bundle.valid_progress() if p.reported_on <= f.day])


def progress_slide(f: Facts) -> Slide:
    axes = []
    for axis in f.evaluation.axes:
        numbers = {a.number for a in axis.actions}
        axes.append((axis.label, weighted_progress([a for a in f.actions if a.number in numbers], f.state)))
    overall = weighted_progress(f.actions, f.state)
    chart = Chart(
        "percent",
        "avancement-par-axe",
        "Avancement par axe (pondéré par le coût)",
        tuple(label for label, _ in axes),
        tuple(v for _, v in axes),
        tuple(french.percent(v, 1) for _, v in axes),
    )
    source = (
        f"D'après l'état d'avancement du {quarter_label(f.latest.quarter)}"
        f" (remis le {french.date_short(f.latest.reported_on)})."
        if f.latest
        else "Aucun état d'avancement remis à cette date : toutes les actions comptent à 0 %."
    )
    if not axes:
        return Slide("avancement", "Avancement par axe", lines=("Aucune action au plan à cette date.",))
    return Slide(
        "avancement",
        "Avancement par axe",
        lines=(text(f"Avancement global du plan : {french.percent(overall, 1)}"), text(source)),
        charts=(chart,),
    )


def _financing_chart(groups: list[Group], name: str, title: str, labels: Sequence[str]) -> Chart | None:
    known = [(label, g) for label, g in zip(labels, groups, strict=True) if g.total or not g.unknown_amounts]
    if not any(g.total for _, g in known):
        return None
    return Chart(
        "amounts",
        name,
        title,
        tuple(label for label, _ in known),
        tuple(g.total for _, g in known),
        tuple(euros(g.total) for _, g in known),
    )


def financing_slide(f: Facts) -> Slide:
    stages = group_totals(f.contract, f.actions, "stage")
    financers = group_totals(f.contract, f.actions, "financer")
    shown = [g for g in stages if g.key != "refuse"]
    charts = [
        c
        for c in (
            _financing_chart(
                shown,
                "financements-par-etape",
                "Par étape" if f.phase2 else "Par éligibilité",
                [stage_word(g.key, f.phase2) for g in shown],
            ),
            _financing_chart(financers, "financements-par-financeur", "Par financeur", [g.label for g in financers]),
        )
        if c is not None
    ]
    lines = [text(f"Total des financements identifiés : {known(f.totals.financed, f.totals.unknown_amounts)}")]
    refused = next((g for g in stages if g.key == "refuse"), None)
    if refused is not None and refused.total:
        lines.append(text(f"Refusé (dans aucune autre somme) : {euros(refused.total)}"))
    unknown = sum(g.unknown_amounts for g in shown)
    if unknown:
        lines.append(f"{unknown} ligne{'s' if unknown > 1 else ''} de financement au montant non précisé.")
    tables: tuple[Table, ...] = ()
    if not charts and financers:  # nothing to draw: amounts not given; the table says how many lines each has
        tables = (
            Table(
                ("Financeur", "Actions", "Lignes au montant non précisé"),
                tuple((g.label, str(g.actions), str(g.unknown_amounts)) for g in financers),
                numeric=(1, 2),
            ),
        )
    return Slide(
        "financements",
        "Financements par étape et par financeur",
        lines=tuple(lines),
        charts=tuple(charts),
        tables=tables,
    )


def late_slide(f: Facts) -> Slide:
    rows = []
    for action in f.actions:
        why = risk(f, action, f.evaluated(action.number))
        if why:
            rows.append((str(action.number), text(action.title), text(why), next_milestone(f, action)))
    if not rows:
        return Slide(
            "retards",
            "Actions en retard ou à risque",
            lines=(text(f"Aucune action en retard ni à risque au {french.date_long(f.day)}."),),
        )
    return Slide(
        "retards",
        "Actions en retard ou à risque",
        tables=(Table(("N°", "Action", "Situation", "Prochaine échéance"), tuple(rows), numeric=(0,)),),
        note=text(f"Situation au {french.date_long(f.day)}."),
    )


def changes_slide(f: Facts, changes: Changes) -> Slide:
    title = "Évolutions depuis le dernier comité" if f.phase2 else "Évolutions depuis le dernier avenant"
    if changes.note:
        return Slide("evolutions", title, lines=(text(changes.note),))
    lines = [text(f"Par rapport à {changes.since}.")] if changes.since else []
    if changes.before is not None and changes.after is not None:
        lines.append(
            text(
                f"Coût total : {euros(changes.before.total)} → {euros(changes.after.total)} "
                f"({french.signed(changes.after.total - changes.before.total)})"
            )
        )
    if not changes.changes:
        lines.append("Aucune action ajoutée, retirée ni modifiée.")
        return Slide("evolutions", title, lines=tuple(lines))
    rows = tuple((str(c.number), text(c.title), text(c.what), c.delta) for c in changes.changes)
    return Slide(
        "evolutions",
        title,
        lines=tuple(lines),
        tables=(Table(("N°", "Action", "Évolution", "Coût"), rows, numeric=(0, 3)),),
    )


def decisions_slide(f: Facts, changes: Changes, awaited: list[tuple[Action, str]]) -> Slide:
    lines: list[str] = []
    if changes.amendment is not None and changes.proposals:
        lines.append(f"Avenant n° {changes.amendment} à préparer.")
    lines += [text(f"Action {p.action} — {p.kind} : {p.summary}") for p in changes.proposals]
    lines += [text(f"Validation par le comité de pilotage régional : {r}") for r in changes.copil]
    proposed = {p.action for p in changes.proposals}
    for action in uninscribed(f):
        if action.number not in proposed:  # TI123: in the files, but no decision put it in the plan
            lines.append(
                text(
                    f"Action {action.number} — inscription au plan : "
                    f"aucune décision n'inscrit encore « {action.title} »"
                )
            )
    for action, why in awaited:
        lines.append(
            text(
                f"Avis de la gouvernance attendu sur le Fonds vert (action {action.number} « {action.title} ») : {why}"
            )
        )
    if not lines:
        lines.append(
            "Aucune décision proposée (voir les évolutions)." if changes.note else "Aucune décision à prendre."
        )
    title = "Décisions à prendre" if f.phase2 else "Décisions à prendre (avenant)"
    return Slide("decisions", title, lines=tuple(text(line) for line in lines))


def uninscribed(f: Facts) -> list[Action]:
    """The plan's actions that no decision (ajout or validation) puts in the plan yet (rule TI123)."""
    from ti_cli.rules.phase2 import undecided_actions

    if not f.phase2 or not f.bundle.decisions_complete():
        return []
    numbers = set(undecided_actions(f.bundle))
    return [a for a in f.actions if a.number in numbers]


def awaited_avis(f: Facts) -> list[tuple[Action, str]]:
    """The companies' files that wait for the governance's avis on the Fonds vert axe 3 (SPEC §10, rule
    TI122): a ``fonds-vert-ti`` line not refused, on an action whose maître d'ouvrage is a company, and
    no favourable ``avis-fonds-vert`` decision for it (by the line's ``decided_on``, when it has one)."""
    from ti_cli.model.action import Stage
    from ti_cli.model.decision import Kind, Opinion
    from ti_cli.model.programme import FONDS_VERT_TI
    from ti_cli.rules.phase2 import company_owner

    if not f.phase2:
        return []
    favourable: dict[int, list[dt.date]] = {}
    for _, d in f.bundle.held_decisions():
        for one in d.decisions:
            if one.kind is Kind.avis_fonds_vert and one.opinion is Opinion.favorable and one.action is not None:
                favourable.setdefault(one.action, []).append(d.date)
    out = []
    for action in f.actions:
        if not company_owner(f.contract, action):
            continue
        for line in action.financing:
            if line.dispositif != FONDS_VERT_TI or line.status is Stage.refuse:
                continue
            dates = favourable.get(action.number, [])
            if not any(line.decided_on is None or day <= line.decided_on for day in dates):
                out.append((action, f"{STAGE_LABELS[line.stage].lower()}, {euros(line.amount)}"))
                break
    return out


def indicators_slide(f: Facts, indicators: list[Indicator]) -> Slide:
    if not indicators:
        return Slide("indicateurs", "Indicateurs du programme", lines=("Aucune action ne porte d'indicateur.",))
    rows = []
    measured = []
    for i in indicators:
        reached = i.reached
        rows.append(
            (
                text(i.title),
                quantity(i.target, i.unit),
                quantity(i.value, i.unit),
                french.percent(reached, 1) if reached is not None else "–",
                f"{i.measured} / {i.actions}",
            )
        )
        if i.target:
            measured.append((i, reached or ZERO))
    charts: tuple[Chart, ...] = ()
    if measured:
        charts = (
            Chart(
                "targets",
                "indicateurs-cible",
                "Valeur atteinte, en % de la cible",
                tuple(text(i.title) for i, _ in measured),
                tuple(r for _, r in measured),
                tuple(french.percent(r, 1) if i.value is not None else "non mesuré" for i, r in measured),
            ),
        )
    return Slide(
        "indicateurs",
        "Indicateurs : réalisé et cibles",
        tables=(
            Table(
                ("Indicateur", "Cible", "Dernière valeur", "Atteint", "Actions mesurées"),
                tuple(rows),
                numeric=(1, 2, 3, 4),
            ),
        ),
        charts=charts,
        note=text(
            f"Dernières valeurs mesurées au plus tard le {french.date_long(f.day)}, "
            "additionnées par indicateur et unité."
        ),
    )


def calendar_slide(f: Facts, events: list[Event]) -> Slide:
    start, end = window(f.day)
    title = "Les trois prochains mois"
    span = text(f"Du {french.date_long(start)} au {french.date_long(end)}.")
    if not events:
        return Slide("calendrier", title, lines=(span, "Aucune échéance dans cette période."))
    shown = events[:CALENDAR_ROWS]
    rows = tuple((french.date_short(e.on), text(e.summary + (" (fait)" if e.done else ""))) for e in shown)
    more = len(events) - len(shown)
    return Slide(
        "calendrier",
        title,
        lines=(span,),
        tables=(Table(("Date", "Échéance"), rows),),
        note=f"Et {more} autre{'s' if more > 1 else ''} échéance{'s' if more > 1 else ''} (ti calendar)."
        if more
        else "",
    )


def objective(action: Action) -> str:
    """The first paragraph of the action's description, its Markdown marks taken off (a slide shows text)."""
    import re

    described = (action.description or "").strip()
    first = re.sub(r"\*\*|__|^#+\s*", "", described.split("\n\n")[0]).replace("\n", " ").strip()
    return first if len(first) <= 320 else first[:319].rstrip() + "…"


def action_slide(f: Facts, action: Action) -> Slide:
    row = action_row(f.contract, action)
    ev = f.evaluated(action.number)
    cost = euros(action.total) if action.cost is not None else "non précisé"
    if action.cost is not None and action.investment and action.operating:
        cost += f" (dont investissement {euros(action.investment)}, fonctionnement {euros(action.operating)})"
    lines = [
        text(f"Objectif : {objective(action)}") if objective(action) else "",
        text(f"Maître d'ouvrage : {row.owner}"),
        text(f"Coût : {cost}"),
        text(f"Statut : {status_word(ev.status)}, avancement {french.percent(ev.progress)}"),
        text(f"Prochaine échéance : {next_milestone(f, action)}"),
    ]
    financing = [
        (
            text(line.financer),
            text(line.scheme or "–"),
            line.eligibility.capitalize(),
            euros(line.amount) if line.amount is not None else "non précisé",
        )
        for line in row.financing[:FINANCING_ROWS]
    ]
    tables: tuple[Table, ...] = ()
    if financing:
        figures = row.figures
        total = (
            "Total identifié (hors refusé)",
            "",
            "",
            euros(figures.financed) if row.financed is not None else "non précisé",
        )
        tables = (
            Table(
                ("Financeur", "Dispositif", "Étape" if f.phase2 else "Éligibilité", "Montant"),
                (*financing, total),
                numeric=(3,),
                last_total=True,
            ),
        )
    more = len(row.financing) - FINANCING_ROWS
    return Slide(
        f"action-{action.number:02d}",
        text(f"Action {action.number} — {action.title}"),
        subtitle=text(f"{axis_label(action.axis.value)} · action {CATEGORY_LABELS[action.category.value].lower()}"),
        lines=tuple(line for line in lines if line),
        tables=tables,
        note=f"Et {more} autre{'s' if more > 1 else ''} ligne{'s' if more > 1 else ''} de financement (fiche action)."
        if more > 0
        else ("Aucun financement identifié." if not financing else ""),
    )


def annex_slides(f: Facts) -> list[Slide]:
    rows = []
    for action in f.actions:
        ev = f.evaluated(action.number)
        figures = contract_totals(f.contract, [action])
        rows.append(
            (
                str(action.number),
                text(action.title),
                axis_label(action.axis.value) if action.axis.value != AXIS_TO_CHOOSE else "Axe à choisir",
                CATEGORY_LABELS[action.category.value],
                euros(action.total) if action.cost is not None else "non précisé",
                known(figures.secured, figures.unknown_secured),
                status_word(ev.status),
            )
        )
    header = ("N°", "Action", "Axe", "Catégorie", "Coût", "Acquis", "Statut")
    pages = [rows[i : i + ANNEX_ROWS] for i in range(0, len(rows), ANNEX_ROWS)] or [[]]
    total = ("", "Total", "", "", euros(f.totals.total), known(f.totals.secured, f.totals.unknown_secured), "")
    slides = []
    for n, page in enumerate(pages, 1):
        last = n == len(pages)
        slides.append(
            Slide(
                f"annexe-{n}",
                "Annexe — toutes les actions" + (f" ({n}/{len(pages)})" if len(pages) > 1 else ""),
                tables=(Table(header, tuple(page) + ((total,) if last else ()), numeric=(0, 4, 5), last_total=last),),
            )
        )
    return slides


def build(bundle: ContractBundle, day: dt.date, inputs: Inputs | None = None) -> Deck:
    """Every slide, in the order a COPIL runs (SPEC §15)."""
    inputs = inputs or Inputs()
    f = facts(bundle, day)
    slides = [
        title_slide(f),
        glance_slide(f),
        progress_slide(f),
        financing_slide(f),
        late_slide(f),
        changes_slide(f, inputs.changes),
        decisions_slide(f, inputs.changes, awaited_avis(f)),
        indicators_slide(f, inputs.indicators),
        calendar_slide(f, inputs.events),
        *(action_slide(f, a) for a in f.actions if a.category.value == "structurante"),
        *annex_slides(f),
    ]
    return Deck(f.contract, day, text(f"Comité de pilotage du {french.date_long(day)}"), tuple(slides))
