"""The figures of the quarterly état d'avancement (contract Article 6) and of a completion report.

Every amount is a ``Decimal`` summed exactly. What the spec leaves open, decided here:

- An action with no entry in the quarter's file keeps the figures of its latest earlier report (the
  état d'avancement is cumulative) and is flagged *not updated*; an action never reported counts as
  ``a_lancer`` at 0 %.
- Global progress is the average of the actions' progress weighted by their cost (investment +
  operating); when no action has a cost yet, the plain average.
- Variance is spent − planned (negative: still to spend; positive: over the estimate).
- An action whose cost is a total alone (``cost: {total: N}``, SPEC §16) has its planned investment and
  operating unknown (None), never 0: its total counts in the planned cost (``planned_unsplit``), and the
  variance by nature is unknown for it and for the sums of the plan.
- A milestone is overdue when it is not done and dated on or before the end of the quarter. An
  action is *late* when it is neither ``termine`` nor ``abandonne`` and its ``planned_end`` is before
  the end of the quarter or one of its milestones is overdue. Decided here only: the fiche, the
  quarterly report and its counts all read these flags.
- The change since the previous quarter compares with the latest report before this one.
- An action is *at risk* on a day (the COPIL deck's « à risque », ``risk_at``) when it is not late,
  neither finished nor abandoned, and is suspended, or absent from the latest progress report made by
  that day, or due to end within the next ``AT_RISK_MONTHS`` months.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from ti_cli.model import Action, Progress
from ti_cli.model.pacte import add_months
from ti_cli.model.progress import ActionProgress, Milestone, Status, quarter_bounds

ZERO = Decimal(0)
TENTH = Decimal("0.1")
DONE = (Status.termine, Status.abandonne)
AT_RISK_MONTHS = 3  # the COPIL's horizon, « les trois prochains mois » (SPEC §15): ending by then is a risk


@dataclass(frozen=True)
class Entry:
    """An action's latest reported state at some quarter, and the quarter it was reported in."""

    progress: ActionProgress
    quarter: str


@dataclass(frozen=True)
class MilestoneView:
    date: dt.date
    label: str
    done: bool
    overdue: bool


@dataclass(frozen=True)
class ActionReport:
    number: int
    title: str
    costed: bool  # the fiche gives a cost (an action en amorçage may not have one yet)
    status: Status
    progress: int
    planned_investment: Decimal | None  # None: the cost is a total alone, its split unknown (SPEC §16)
    planned_operating: Decimal | None
    spent_investment: Decimal
    spent_operating: Decimal
    milestones: list[MilestoneView]
    comment: str | None
    updated: bool  # has an entry in this quarter's file
    reported_in: str | None  # the quarter its figures come from (None: never reported)
    late: bool  # past its planned end or with an overdue milestone, and neither finished nor abandoned
    past_planned_end: bool
    planned_end: dt.date | None
    previous_status: Status | None
    progress_change: int | None  # None when there is nothing to compare with
    spent_change: Decimal | None
    planned_unsplit: Decimal = ZERO  # the cost given as a total alone: planned = investment + operating + unsplit
    spent_declared: bool = True  # False: the entry gives no ``spent`` (counted 0 in the sums, but not « 0 € spent »)

    @property
    def split_known(self) -> bool:
        return self.planned_investment is not None and self.planned_operating is not None

    @property
    def planned(self) -> Decimal:
        return (self.planned_investment or ZERO) + (self.planned_operating or ZERO) + self.planned_unsplit

    @property
    def spent(self) -> Decimal:
        return self.spent_investment + self.spent_operating

    @property
    def variance_investment(self) -> Decimal | None:
        """None when the split is unknown (no planned figure by nature to compare with) or when the entry
        declares no spending (an undeclared spending is no « −100 % »): it counts in no variance sum."""
        if self.planned_investment is None or not self.spent_declared:
            return None
        return self.spent_investment - self.planned_investment

    @property
    def variance_operating(self) -> Decimal | None:
        if self.planned_operating is None or not self.spent_declared:
            return None
        return self.spent_operating - self.planned_operating

    @property
    def variance(self) -> Decimal | None:
        """Spent − planned; None when the entry declares no spending (the plan's variance leaves it out)."""
        return self.spent - self.planned if self.spent_declared else None

    @property
    def status_changed(self) -> bool:
        return self.previous_status is not None and self.previous_status is not self.status


@dataclass(frozen=True)
class QuarterlyReport:
    quarter: str
    start: dt.date
    end: dt.date
    reported_on: dt.date
    previous_quarter: str | None
    actions: list[ActionReport]
    global_progress: Decimal
    previous_global_progress: Decimal | None

    def _sum(self, figure: str) -> Decimal:
        """The sum over the actions; an unknown figure (None, a split unknown) counts in no sum."""
        return sum((getattr(a, figure) or ZERO for a in self.actions), ZERO)

    def _by_nature(self, figure: str) -> Decimal | None:
        """A variance by nature of the plan: unknown (None) when an action's split is unknown."""
        return self._sum(figure) if not self.planned_unsplit else None

    planned_investment = property(lambda self: self._sum("planned_investment"))  # the split actions' only
    planned_operating = property(lambda self: self._sum("planned_operating"))
    planned_unsplit = property(lambda self: self._sum("planned_unsplit"))
    planned = property(lambda self: self._sum("planned"))  # investment + operating + unsplit
    spent_investment = property(lambda self: self._sum("spent_investment"))
    spent_operating = property(lambda self: self._sum("spent_operating"))
    spent = property(lambda self: self._sum("spent"))
    variance_investment = property(lambda self: self._by_nature("variance_investment"))
    variance_operating = property(lambda self: self._by_nature("variance_operating"))
    variance = property(lambda self: self._sum("variance"))

    @property
    def unsplit(self) -> list[ActionReport]:
        """The actions whose cost is a total alone (SPEC §16)."""
        return [a for a in self.actions if a.costed and not a.split_known]

    @property
    def spent_change(self) -> Decimal | None:
        changes = [a.spent_change for a in self.actions if a.spent_change is not None]
        return sum(changes, ZERO) if self.previous_quarter else None

    @property
    def progress_change(self) -> Decimal | None:
        if self.previous_global_progress is None:
            return None
        return self.global_progress - self.previous_global_progress

    @property
    def not_updated(self) -> list[ActionReport]:
        return [a for a in self.actions if not a.updated]

    @property
    def late(self) -> list[ActionReport]:
        return [a for a in self.actions if a.late]

    @property
    def finished(self) -> list[ActionReport]:
        return [a for a in self.actions if a.status is Status.termine]


def state_at(reports: list[Progress], quarter: str) -> dict[int, Entry]:
    """Each action's latest entry in the reports up to and including ``quarter``."""
    state: dict[int, Entry] = {}
    for report in sorted(reports, key=lambda r: r.quarter):
        if report.quarter > quarter:
            break
        for entry in report.actions:
            state[entry.number] = Entry(entry, report.quarter)
    return state


def late_at(actions: list[Action], reports: list[Progress], day: dt.date) -> set[int]:
    """The actions late on ``day`` (SPEC §14, one date for every output): neither finished nor
    abandoned in their latest report made by then, and past their planned end or with a milestone past
    due and not done. The quarterly report judges the same way at its quarter's end."""
    latest: dict[int, ActionProgress] = {}
    for report in sorted(reports, key=lambda r: r.quarter):
        if report.reported_on <= day:
            latest.update((entry.number, entry) for entry in report.actions)
    late = set()
    for action in actions:
        entry = latest.get(action.number)
        if entry is not None and entry.status in DONE:
            continue
        past_end = action.planned_end is not None and action.planned_end < day
        overdue = entry is not None and any(m.overdue for m in milestone_views(entry.milestones, day))
        if past_end or overdue:
            late.add(action.number)
    return late


def weighted_progress(actions: list[Action], state: dict[int, Entry]) -> Decimal:
    """Progress of the whole plan in %, to a tenth: each action's % weighted by its cost (plain mean when
    no action has a cost). Rounded here so that the change between quarters is the difference of the
    figures people read."""
    if not actions:
        return ZERO
    progress = {a.number: Decimal(state[a.number].progress.progress) if a.number in state else ZERO for a in actions}
    weight = sum((a.total for a in actions), ZERO)
    if weight == 0:
        value = sum(progress.values(), ZERO) / len(actions)
    else:
        value = sum((progress[a.number] * a.total for a in actions), ZERO) / weight
    return value.quantize(TENTH, rounding=ROUND_HALF_UP)


def quarterly(actions: list[Action], reports: list[Progress], quarter: str) -> QuarterlyReport:
    """The état d'avancement of ``quarter`` (which must be one of ``reports``)."""
    current = next(r for r in reports if r.quarter == quarter)
    earlier = sorted((r.quarter for r in reports if r.quarter < quarter), reverse=True)
    previous_quarter = earlier[0] if earlier else None
    start, end = quarter_bounds(quarter)
    now = state_at(reports, quarter)
    before = state_at(reports, previous_quarter) if previous_quarter else {}
    updated = {e.number for e in current.actions}
    rows = [
        _action_report(
            a, now.get(a.number), before.get(a.number), a.number in updated, end, previous_quarter is not None
        )
        for a in sorted(actions, key=lambda a: a.number)
    ]
    return QuarterlyReport(
        quarter=quarter,
        start=start,
        end=end,
        reported_on=current.reported_on,
        previous_quarter=previous_quarter,
        actions=rows,
        global_progress=weighted_progress(actions, now),
        previous_global_progress=weighted_progress(actions, before) if previous_quarter else None,
    )


def _action_report(
    action: Action, now: Entry | None, before: Entry | None, updated: bool, end: dt.date, comparable: bool
) -> ActionReport:
    entry = now.progress if now else None
    status = entry.status if entry else Status.a_lancer
    spent_investment = entry.spent.investment if entry else ZERO
    spent_operating = entry.spent.operating if entry else ZERO
    previous = before.progress if before else None
    milestones = milestone_views(entry.milestones if entry else [], end)
    past_end = action.planned_end is not None and action.planned_end < end
    late = status not in DONE and (past_end or any(m.overdue for m in milestones))
    split = action.cost is None or action.cost.split_known
    return ActionReport(
        number=action.number,
        title=action.title,
        costed=action.cost is not None,
        status=status,
        progress=entry.progress if entry else 0,
        planned_investment=action.investment if split else None,
        planned_operating=action.operating if split else None,
        planned_unsplit=action.unsplit,
        spent_investment=spent_investment,
        spent_operating=spent_operating,
        spent_declared=entry is not None and "spent" in entry.model_fields_set,
        milestones=milestones,
        past_planned_end=past_end,
        comment=entry.comment if entry else None,
        updated=updated,
        reported_in=now.quarter if now else None,
        late=late,
        planned_end=action.planned_end,
        previous_status=previous.status if previous else None,
        progress_change=(entry.progress if entry else 0) - (previous.progress if previous else 0)
        if comparable
        else None,
        spent_change=(
            spent_investment
            + spent_operating
            - (previous.spent.investment + previous.spent.operating if previous else ZERO)
        )
        if comparable
        else None,
    )


def milestone_views(milestones: list[Milestone], end: dt.date) -> list[MilestoneView]:
    """Each milestone with whether it is overdue at ``end`` (not done, dated on or before it)."""
    return [MilestoneView(m.date, m.label, m.done, overdue=not m.done and m.date <= end) for m in milestones]


def latest_quarter(reports: list[Progress]) -> str | None:
    return max((r.quarter for r in reports), default=None)


def finished_entry(reports: list[Progress], number: int) -> tuple[Progress, ActionProgress] | None:
    """The earliest report where action ``number`` is ``termine`` (the one its completion report is in)."""
    for report in sorted(reports, key=lambda r: r.quarter):
        for entry in report.actions:
            if entry.number == number and entry.status is Status.termine:
                return report, entry
    return None


class Risk(StrEnum):
    """Why an action is late or at risk on a day (``risk_at``)."""

    past_end = "past_end"  # late: its planned end is past
    milestone = "milestone"  # late: a milestone past due and not done
    suspended = "suspended"  # at risk: reported suspendu
    not_reported = "not_reported"  # at risk: absent from the latest progress report made by the day
    ending = "ending"  # at risk: due to end within AT_RISK_MONTHS

    @property
    def late(self) -> bool:
        return self in (Risk.past_end, Risk.milestone)


def risk_at(action: Action, status: Status, late: bool, latest: Progress | None, day: dt.date) -> Risk | None:
    """Whether ``action`` is late or at risk on ``day``, and why; None when it is neither, or finished or
    abandoned. ``status`` is its latest reported status and ``late`` SPEC §14's judgement (``late_at``) on
    that day; ``latest`` the latest progress report made by then. At risk: not late, and suspended, or
    absent from ``latest``, or with a ``planned_end`` from ``day`` to ``AT_RISK_MONTHS`` months later, both
    included."""
    if status in DONE:
        return None
    if late:
        past_end = action.planned_end is not None and action.planned_end < day
        return Risk.past_end if past_end else Risk.milestone
    if status is Status.suspendu:
        return Risk.suspended
    if latest is not None and action.number not in {e.number for e in latest.actions}:
        return Risk.not_reported
    if action.planned_end is not None and day <= action.planned_end <= add_months(day, AT_RISK_MONTHS):
        return Risk.ending
    return None
