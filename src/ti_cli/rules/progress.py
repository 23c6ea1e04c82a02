"""Rules on the quarterly états d'avancement (contract Article 6)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

from ti_cli.compute.progress import DONE, milestone_views
from ti_cli.findings import Finding, Severity
from ti_cli.french import date_short, euros
from ti_cli.i18n import N_, _, ngettext
from ti_cli.loading.bundle import ContractBundle
from ti_cli.loading.source import Source
from ti_cli.model.progress import ActionProgress, Progress, Status, quarter_bounds
from ti_cli.rules.registry import Context, rule

E, W = Severity.error, Severity.warning
QUARTER = re.compile(r"\d{4}-Q[1-4]")


@rule(
    "TI040",
    "progress-action-exists",
    E,
    "contract",
    doc=N_(
        "Every progress entry is about an action of the contract, once per file.\n\n"
        "Bad: ``- number: 12`` in ``2021-Q3.yaml`` when the contract has 9 actions. Fix: correct the number, "
        "or add the action's file first (by avenant)."
    ),
)
def progress_action_exists(bundle: ContractBundle, _context: Context) -> Iterator[Finding]:
    numbers = bundle.action_numbers()
    for src, progress in bundle.valid_progress():
        seen: set[int] = set()
        for i, entry in enumerate(progress.actions):
            if numbers is not None and entry.number not in numbers:
                yield src.finding(
                    "TI040",
                    E,
                    _("no action number {number} in this contract").format(number=entry.number),
                    ("actions", i, "number"),
                )
            elif entry.number in seen:
                yield src.finding(
                    "TI040",
                    E,
                    _("action {number} is reported twice in this quarter").format(number=entry.number),
                    ("actions", i, "number"),
                )
            seen.add(entry.number)


@rule(
    "TI041",
    "quarter-in-period",
    E,
    "contract",
    doc=N_(
        "A progress file's quarter lies inside the contract period, and the file is named after it.\n\n"
        "Bad: ``2023-Q1.yaml`` for a 2020-2022 contract, or ``2021-Q3.yaml`` holding ``quarter: 2021-Q2``. "
        "Fix: correct the quarter; a contract extended by avenant records its new ``period.end``."
    ),
)
def quarter_in_period(bundle: ContractBundle, _context: Context) -> Iterator[Finding]:
    contract = bundle.contract.model
    for src, progress in bundle.valid_progress():
        if src.path.stem != progress.quarter:
            yield src.finding(
                "TI041",
                E,
                _("the file '{file}' holds the quarter {quarter}: name it '{quarter}.yaml'").format(
                    file=src.path.name, quarter=progress.quarter
                ),
                ("quarter",),
            )
        start, end = quarter_bounds(progress.quarter)
        if contract and (end < contract.period.start or start > contract.period.end):
            yield src.finding(
                "TI041",
                E,
                _("the quarter {quarter} is outside the contract's period, {start}–{end}").format(
                    quarter=progress.quarter,
                    start=date_short(contract.period.start),
                    end=date_short(contract.period.end),
                ),
                ("quarter",),
            )


@rule(
    "TI042",
    "milestone-in-period",
    E,
    "contract",
    doc=N_(
        "Milestone dates lie inside the contract period.\n\n"
        "Bad: ``{date: 2019-06-01, label: Étude}`` in a 2020-2022 contract. Fix: correct the date."
    ),
)
def milestone_in_period(bundle: ContractBundle, _context: Context) -> Iterator[Finding]:
    contract = bundle.contract.model
    if contract is None:
        return
    for src, progress in bundle.valid_progress():
        for i, entry in enumerate(progress.actions):
            for j, milestone in enumerate(entry.milestones):
                if not contract.period.contains(milestone.date):
                    yield src.finding(
                        "TI042",
                        E,
                        _("the milestone's date {date} is outside the contract's period, {start}–{end}").format(
                            date=date_short(milestone.date),
                            start=date_short(contract.period.start),
                            end=date_short(contract.period.end),
                        ),
                        ("actions", i, "milestones", j, "date"),
                    )


@rule(
    "TI043",
    "reported-after-start",
    E,
    "contract",
    doc=N_(
        "A quarter's état d'avancement is not reported before that quarter starts.\n\n"
        "Bad: ``quarter: 2021-Q3`` with ``reported_on: 2021-06-15``. Fix: correct either date."
    ),
)
def reported_after_start(bundle: ContractBundle, _context: Context) -> Iterator[Finding]:
    for src, progress in bundle.valid_progress():
        if progress.reported_on < progress.quarter_start:
            yield src.finding(
                "TI043",
                E,
                _("reported on {date}, before the quarter starts ({start})").format(
                    date=date_short(progress.reported_on), start=date_short(progress.quarter_start)
                ),
                ("reported_on",),
            )


@rule(
    "TI052",
    "spent-within-cost",
    W,
    "contract",
    doc=N_(
        "Spending reported (cumulative) stays within the action's planned investment and operating cost.\n\n"
        "Bad: investment planned 2 995 500 €, ``spent: {investment: 3100000}``. Fix: check the figure; if the"
        " cost really grew, amend the action (avenant)."
    ),
)
def spent_within_cost(bundle: ContractBundle, _context: Context) -> Iterator[Finding]:
    actions = {a.number: a for a in bundle.action_models()}
    for src, progress in bundle.valid_progress():
        for i, entry in enumerate(progress.actions):
            action = actions.get(entry.number)
            if action is None or action.cost is None:
                continue
            if not action.cost.split_known:  # a total alone (SPEC §16): the spending against the total
                spent_total = entry.spent.investment + entry.spent.operating
                if spent_total > action.cost.amount:
                    yield src.finding(
                        "TI052",
                        W,
                        _("spent {spent} exceeds the planned total {planned} ({gap} over)").format(
                            spent=euros(spent_total),
                            planned=euros(action.cost.amount),
                            gap=euros(spent_total - action.cost.amount),
                        ),
                        ("actions", i, "spent"),
                    )
                continue
            for part in ("investment", "operating"):
                spent, planned = getattr(entry.spent, part), getattr(action.cost, part)
                if spent > planned:
                    message = (
                        _("investment spent {spent} exceeds the planned {planned} ({gap} over)")
                        if part == "investment"
                        else _("operating spent {spent} exceeds the planned {planned} ({gap} over)")
                    )
                    yield src.finding(
                        "TI052",
                        W,
                        message.format(spent=euros(spent), planned=euros(planned), gap=euros(spent - planned)),
                        ("actions", i, "spent", part),
                    )


@rule(
    "TI053",
    "finished-at-100",
    W,
    "contract",
    doc=N_(
        "An action reported ``termine`` is at 100 % progress.\n\n"
        "Bad: ``status: termine`` with ``progress: 90``. Fix: set 100, or keep ``en_cours``."
    ),
)
def finished_at_100(bundle: ContractBundle, _context: Context) -> Iterator[Finding]:
    for src, progress in bundle.valid_progress():
        for i, entry in enumerate(progress.actions):
            if entry.status is Status.termine and entry.progress < 100:
                yield src.finding(
                    "TI053",
                    W,
                    _("action {number} is termine at {progress} %").format(
                        number=entry.number, progress=entry.progress
                    ),
                    ("actions", i, "progress"),
                )


@rule(
    "TI054",
    "completion-report",
    W,
    "contract",
    doc=N_(
        "An action reported ``termine`` has a ``completion_report`` (results, pérennisation).\n\n"
        "Why: Article 6 — when an action is finished, a report of its implementation, results and how they "
        "will last goes to the regional COPIL. Fix: add ``completion_report: {results: …, perennisation: "
        "…}``."
    ),
)
def completion_report(bundle: ContractBundle, _context: Context) -> Iterator[Finding]:
    for src, progress in bundle.valid_progress():
        for i, entry in enumerate(progress.actions):
            if entry.status is Status.termine and entry.completion_report is None:
                yield src.finding(
                    "TI054",
                    W,
                    _("action {number} is termine without a completion_report (Article 6)").format(number=entry.number),
                    ("actions", i, "status"),
                    details=(
                        _("add to this action:"),
                        "  completion_report:",
                        "    results: " + _("<what the action achieved>"),
                        "    perennisation: " + _("<how the results will last>"),
                    ),
                )


def latest_entries(
    bundle: ContractBundle, as_of: dt.date
) -> Iterator[tuple[int, Source[Progress], int, ActionProgress]]:
    """(number, file, index, entry) of each action's latest progress entry reported on or before ``as_of``,
    by action number: the milestones TI055 and TI056 judge (those the documents show at that date). None
    while a progress file that may be the latest is broken: it has its own finding, and the older reports'
    milestones are no cascade of it."""
    for src in bundle.progress:
        if src.model is None and not _after(src.path.stem, as_of):
            return
    latest: dict[int, tuple[Source[Progress], int]] = {}
    for src, progress in bundle.valid_progress():  # oldest quarter first: the latest entry wins
        if progress.reported_on > as_of:
            continue
        for i, entry in enumerate(progress.actions):
            latest[entry.number] = (src, i)
    for number, (src, i) in sorted(latest.items()):
        assert src.model is not None  # a valid progress file
        yield number, src, i, src.model.actions[i]


def _after(quarter: str, day: dt.date) -> bool:
    """Whether a file named ``quarter`` (``2021-Q4``) is of a quarter that starts after ``day``."""
    if not QUARTER.fullmatch(quarter):
        return False
    return quarter_bounds(quarter)[0] > day


@rule(
    "TI055",
    "milestone-due-soon",
    W,
    "contract",
    doc=N_(
        "With ``ti validate --soon N``: a milestone not done that falls due within the next N days after "
        "``--as-of`` (today by default), to prepare it while there is time. A milestone dated on or before "
        "``--as-of`` and not done is late (every output says so, SPEC §14), not « soon ». The milestones are "
        "those of each action's latest progress entry reported by then; the finding sits on the milestone's "
        "date.\n\n"
        "Example: ``ti validate --soon 30`` on 2026-09-10 warns of ``{date: 2026-09-30, label: Permis déposé, "
        "done: false}``. Fix: nothing to fix — do it, or set ``done: true`` once it is."
    ),
)
def milestone_due_soon(bundle: ContractBundle, context: Context) -> Iterator[Finding]:
    if context.soon is None:
        return
    horizon = context.as_of + dt.timedelta(days=context.soon)
    for number, src, i, entry in latest_entries(bundle, context.as_of):
        # The date logic of « late » (compute.progress.milestone_views): overdue on a day when not done and
        # dated on or before it. Soon: not overdue on --as-of, overdue on the horizon.
        now = milestone_views(entry.milestones, context.as_of)
        then = milestone_views(entry.milestones, horizon)
        for j, (today, later) in enumerate(zip(now, then, strict=True)):
            if today.overdue or not later.overdue:
                continue
            days = (later.date - context.as_of).days
            yield src.finding(
                "TI055",
                W,
                ngettext(
                    "action {number}: milestone '{label}' due on {date}, in {days} day",
                    "action {number}: milestone '{label}' due on {date}, in {days} days",
                    days,
                ).format(number=number, label=later.label, date=date_short(later.date), days=days),
                ("actions", i, "milestones", j, "date"),
            )


@rule(
    "TI056",
    "milestone-late",
    W,
    "contract",
    doc=N_(
        "A milestone dated on or before ``--as-of`` (today by default) and not done is late — the same "
        "judgement as every document's « en retard » (SPEC §14). The milestones are those of each action's "
        "latest progress entry reported by then, unless it reports the action termine or abandonne; the finding "
        "sits on the milestone's date.\n\n"
        "Bad: ``{date: 2021-11-30, label: Démarrage des travaux, done: false}`` in the latest report, checked "
        "on 2022-01-15. Fix: once it is done, set ``done: true`` in the action's entry of the état "
        "d'avancement (this quarter's file, or the next one's); if it was postponed, write its new date as "
        "the partners agreed it (an avenant in phase 1, a decision recorded in ``decisions/`` in phase 2)."
    ),
)
def milestone_late(bundle: ContractBundle, context: Context) -> Iterator[Finding]:
    for number, src, i, entry in latest_entries(bundle, context.as_of):
        if entry.status in DONE:  # a finished or abandoned action is not late (compute.progress.late_at)
            continue
        # « Late » has one definition (compute.progress.milestone_views): not done, dated on or before the day.
        for j, view in enumerate(milestone_views(entry.milestones, context.as_of)):
            if not view.overdue:
                continue
            yield src.finding(
                "TI056",
                W,
                _("action {number}: milestone '{label}' was due on {date} and is not done").format(
                    number=number, label=view.label, date=date_short(view.date)
                ),
                ("actions", i, "milestones", j, "date"),
                details=(
                    _("if it is done: set `done: true` on this milestone in the action's progress report"),
                    _(
                        "if it was postponed: write its new date, as agreed by avenant (phase 1) or recorded in "
                        "a decision (phase 2)"
                    ),
                ),
            )
