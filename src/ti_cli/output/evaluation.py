"""``ti report evaluation`` for scripts (JSON, SPEC §10) and for the document (its Jinja context, every
figure already computed and written the French way, and the chart of targets against values)."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from ti_cli.compute.evaluation import SHOWN_STAGES, Evaluation, IndicatorValue
from ti_cli.compute.indicators import IndicatorTotal
from ti_cli.french import json_amount, percent
from ti_cli.model.base import plain
from ti_cli.model.programme import STAGES
from ti_cli.output.indicators import indicator_entry, shown

if TYPE_CHECKING:
    from ti_cli.model import Contract
    from ti_cli.render.charts import Figures

STAGE_LABELS = dict(STAGES)


def _exact(value: Decimal | None) -> str | None:
    return None if value is None else plain(value)


def as_json(contract: Contract, e: Evaluation) -> dict[str, Any]:
    return {
        "contract": contract.id,
        "programme": contract.programme.value,
        "as_of": e.as_of.isoformat(),
        "cost": json_amount(e.cost),
        "financing": {**{s: json_amount(v) for s, v in e.stages.items()}, "paid": json_amount(e.paid)},
        "axes": [
            {"code": a.code, "label": a.label, "cost": json_amount(a.cost), "actions": [x.number for x in a.actions]}
            for a in e.axes
        ],
        "actions": [
            {
                "number": a.number,
                "title": a.title,
                "axis": a.axis,
                "cost": json_amount(a.cost),
                "financing": {
                    **{s: json_amount(v) for s, v in a.stages.items()},
                    "refuse": json_amount(a.refused),
                    "paid": json_amount(a.paid),
                },
                "status": a.status,
                "progress": a.progress,
                "planned_end": a.planned_end.isoformat() if a.planned_end else None,
                "late": a.late,
            }
            for a in e.actions
        ],
        "indicators": [
            {
                "action": i.action,
                "id": i.id,
                "title": i.title,
                "unit": i.unit,
                "target": _exact(i.target),
                "value": _exact(i.value),
                "on": i.on.isoformat() if i.on else None,
            }
            for i in e.indicators
        ],
        # The catalogue's indicators added up across actions: ``ti totals --indicators``'s rows (SPEC §15).
        "programme_indicators": [indicator_entry(t) for t in e.totals.indicators],
        "decisions": [
            {"date": d.date.isoformat(), "body": d.body, "action": d.action, "kind": d.kind, "summary": d.summary}
            for d in e.decisions
        ],
        "late": [a.number for a in e.late],
    }


def _shown(value: Decimal | None, unit: str) -> str:
    return shown(value, unit)


def programme_row(t: IndicatorTotal) -> dict[str, Any]:
    """A row of the evaluation's « Indicateurs du programme »: the figures of ``ti totals --indicators``."""
    return {
        "title": t.title,
        "unit": t.unit,
        "target": shown(t.target, t.unit),
        "value": shown(t.value, t.unit),
        "reached": percent(t.reached, 1) if t.reached is not None else "–",
        "actions": t.actions,
        "measured": t.measured,
        "targeted": t.targeted,
    }


def indicator_row(i: IndicatorValue) -> dict[str, Any]:
    reached = percent(i.reached, 1) if i.reached is not None else "–"
    return {
        "action": i.action,
        "title": i.title,
        "target": _shown(i.target, i.unit),
        "value": _shown(i.value, i.unit),
        "on": i.on,
        "reached": reached,
    }


def document_context(contract: Contract, e: Evaluation, figures: Figures | None) -> dict[str, Any]:
    charts: dict[str, str] = {}
    measured = [i for i in e.indicators if i.target]
    if figures is not None and measured:
        from ti_cli.render import charts as draw

        path, charts["indicators"] = figures.path("indicateurs-cible-valeur")
        draw.target_bars(
            [f"{i.action}. {i.title}" for i in measured],
            [i.target for i in measured if i.target is not None],  # every one: measured have a target
            [i.value for i in measured],
            path,
            "Indicateurs : valeur atteinte (foncé) et cible (clair), en % de la cible",
        )
    return {
        "contract": contract,
        "evaluation": e,
        "stages": [(s, STAGE_LABELS[s]) for s in SHOWN_STAGES],
        "indicators": {a.number: [indicator_row(i) for i in a.indicators] for a in e.actions},
        "programme_indicators": [programme_row(t) for t in e.totals.indicators],
        "charts": charts,
    }
