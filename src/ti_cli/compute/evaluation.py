"""The mid-term / end-of-phase evaluation of a plan (SPEC §10): per axis and per action, the cost, the
financing by stage, the progress, each indicator's target against its latest value, the decisions taken,
the actions late against ``planned_end`` — every figure as of a date, exact (Decimal). The indicators
added up across actions are compute/indicators.py's (the same as ``ti totals --indicators``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Protocol

from ti_cli.compute.indicators import IndicatorTotals, programme_indicators
from ti_cli.compute.indicators import IndicatorValue as IndicatorValue  # re-exported: the per-action rows
from ti_cli.compute.indicators import indicator_value as indicator_value
from ti_cli.compute.progress import late_at
from ti_cli.loading.bundle import ContractBundle
from ti_cli.model.action import Action, Stage
from ti_cli.model.programme import STAGES
from ti_cli.model.progress import Status

ZERO = Decimal("0.00")
# The stages an evaluation shows side by side (refusé is counted apart, in no sum).
SHOWN_STAGES = tuple(s for s, _ in STAGES if s != Stage.refuse.value)


@dataclass(frozen=True)
class ActionEvaluation:
    number: int
    title: str
    axis: str
    cost: Decimal
    stages: dict[str, Decimal]  # sollicite | obtenu | engage | verse → sum of the line amounts
    refused: Decimal
    paid: Decimal
    status: str
    progress: int
    planned_end: dt.date | None
    late: bool
    indicators: list[IndicatorValue]


class _Group(Protocol):
    @property
    def actions(self) -> list[ActionEvaluation]: ...


class Summed:
    """Cost, financing by stage and paid of a group of actions (an axis, the whole plan).

    A mixin: ``actions`` is a field of an axis and a property (every axis's) of the whole plan."""

    @property
    def cost(self: _Group) -> Decimal:
        return sum((a.cost for a in self.actions), ZERO)

    @property
    def stages(self: _Group) -> dict[str, Decimal]:
        return {s: sum((a.stages[s] for a in self.actions), ZERO) for s in SHOWN_STAGES}

    @property
    def paid(self: _Group) -> Decimal:
        """« Payé à ce jour »: every line's ``paid``, whatever its stage."""
        return sum((a.paid for a in self.actions), ZERO)

    @property
    def financed(self: _Group) -> Decimal:
        """« Total des financements identifiés »: every stage but refusé (SPEC §14)."""
        return sum((v for a in self.actions for v in a.stages.values()), ZERO)

    @property
    def refused(self: _Group) -> Decimal:
        return sum((a.refused for a in self.actions), ZERO)


@dataclass(frozen=True)
class AxisEvaluation(Summed):
    code: str
    label: str
    actions: list[ActionEvaluation]


@dataclass(frozen=True)
class DecisionTaken:
    date: dt.date
    body: str
    title: str
    action: int | None
    kind: str
    summary: str


@dataclass(frozen=True)
class Evaluation(Summed):
    as_of: dt.date
    axes: list[AxisEvaluation]
    # The programme's indicators added up across actions: ``ti totals --indicators``'s very figures
    # (compute/indicators.py, SPEC §15); each action's own rows below are its items.
    totals: IndicatorTotals
    decisions: list[DecisionTaken] = field(default_factory=list)

    @property
    def actions(self) -> list[ActionEvaluation]:
        return [a for axis in self.axes for a in axis.actions]

    @property
    def indicators(self) -> list[IndicatorValue]:
        return [i for a in self.actions for i in a.indicators]

    @property
    def late(self) -> list[ActionEvaluation]:
        return [a for a in self.actions if a.late]


def _progress(bundle: ContractBundle, as_of: dt.date) -> dict[int, tuple[str, int]]:
    """Each action's latest (status, progress) in the progress files reported on or before ``as_of``."""
    out: dict[int, tuple[str, int]] = {}
    for _, report in bundle.valid_progress():
        if report.reported_on > as_of:
            continue
        for entry in report.actions:
            out[entry.number] = (entry.status.value, entry.progress)
    return out


def action_evaluation(
    action: Action, progress: tuple[str, int] | None, as_of: dt.date, late: bool = False, contract: str = ""
) -> ActionEvaluation:
    stages = dict.fromkeys(SHOWN_STAGES, ZERO)
    refused = paid = ZERO
    for line in action.financing:
        amount = line.amount or ZERO
        paid += line.paid or ZERO
        if line.status is Stage.refuse:
            refused += amount
        else:
            stages[line.stage] += amount
    status, percent = progress or (Status.a_lancer.value, 0)
    return ActionEvaluation(
        number=action.number,
        title=action.title,
        axis=action.axis.value,
        cost=action.total,
        stages=stages,
        refused=refused,
        paid=paid,
        status=status,
        progress=percent,
        planned_end=action.planned_end,
        late=late,
        indicators=[indicator_value(action.number, i, as_of, contract) for i in action.indicators],
    )


def evaluate(bundle: ContractBundle, as_of: dt.date) -> Evaluation:
    contract = bundle.contract.model
    assert contract is not None  # checked before
    progress = _progress(bundle, as_of)
    late = late_at(bundle.action_models(), [p for _, p in bundle.valid_progress()], as_of)
    actions = [
        action_evaluation(a, progress.get(a.number), as_of, a.number in late, contract.id)
        for a in bundle.action_models()
    ]
    programme = contract.programme_def
    axes = [
        AxisEvaluation(axis.code, axis.label, [a for a in actions if a.axis == axis.code]) for axis in programme.axes
    ]
    others = [a for a in actions if a.axis not in programme.axis_codes()]
    if others:  # an axis still to choose (a carried-over action): shown, not lost
        axes.append(AxisEvaluation("A_CHOISIR", "Axe à choisir", others))
    decisions = [
        DecisionTaken(f.date, f.body.value, f.title, d.action, d.kind.value, d.summary)
        for _, f in bundle.held_decisions()  # a draft's decisions are proposed, not taken
        if f.date <= as_of
        for d in f.decisions
    ]
    return Evaluation(as_of, [a for a in axes if a.actions], programme_indicators(bundle, as_of), decisions)
