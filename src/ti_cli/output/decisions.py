"""The draft relevé de décisions of a phase-2 plan (SPEC §10): one proposed decision per action added,
removed or modified since a revision, with the money deltas — what ``ti decisions draft`` writes as a
``decisions/`` file to complete, as a document, or as JSON."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from ti_cli import french
from ti_cli.compute.diff import ActionChange, ContractDiff, Kind
from ti_cli.i18n import in_french
from ti_cli.model.programme import axis_label
from ti_cli.output.diff import field_label, shown, signed

KINDS = {Kind.added: "ajout", Kind.removed: "retrait", Kind.modified: "modification"}


@dataclass(frozen=True)
class Proposal:
    action: int
    kind: str  # ajout | retrait | modification
    summary: str
    title: str
    cost_before: Decimal | None
    cost_after: Decimal | None

    @property
    def delta(self) -> Decimal:
        return (self.cost_after or Decimal(0)) - (self.cost_before or Decimal(0))


def _modification(change: ActionChange, d: ContractDiff) -> str:
    parts = []
    for c in change.contractual:
        label = field_label(c, d.head.contract)
        if c.delta is not None:
            parts.append(f"{label} {shown(c, c.before)} → {shown(c, c.after)} ({signed(c.delta)})")
        elif c.field in ("description",):
            parts.append(f"{label} mise à jour")
        else:
            parts.append(f"{label} : {shown(c, c.before)} → {shown(c, c.after)}")
    return " ; ".join(parts)


@in_french()  # the summaries go into a decisions file, a French document, and into JSON alike
def proposals(d: ContractDiff) -> list[Proposal]:
    out = []
    for change in d.to_sign:
        action = change.action
        before = change.before.total if change.before else None
        after = change.after.total if change.after else None
        quoted = f"l'action {action.number} « {action.title} »"
        if change.kind is Kind.added:
            summary = (
                f"Inscription au plan de {quoted} (axe {axis_label(action.axis.value)}, coût {french.euros(after)} HT)"
            )
        elif change.kind is Kind.removed:
            summary = f"Retrait du plan de {quoted} (coût {french.euros(before)} HT)"
        else:
            summary = f"Modification de {quoted} : {_modification(change, d)}"
        out.append(Proposal(action.number, KINDS[change.kind], summary, action.title, before, after))
    return out


def as_json(d: ContractDiff) -> dict[str, Any]:
    return {"decisions": [{"action": p.action, "kind": p.kind, "summary": p.summary} for p in proposals(d)]}


def decisions_file(d: ContractDiff, day: dt.date) -> dict[str, Any]:
    """The ``decisions/`` file to complete: date, body and title proposed, one decision per change."""
    return {
        "date": day,
        "body": "comite-de-projets",
        "title": f"Comité de projets du {french.date_long(day)} (projet de relevé)",
        "present": [],
        "decisions": as_json(d)["decisions"],
    }


def document_context(d: ContractDiff, day: dt.date) -> dict[str, Any]:
    """What ``templates/decisions.md.j2`` sees: every figure already computed and written."""
    found = proposals(d)
    return {
        "contract": d.head.contract,
        "base": d.base.title or d.base.label,
        "head": d.head.title or d.head.label,
        "date": day,
        "proposals": [
            {
                "action": p.action,
                "kind": p.kind,
                "title": p.title,
                "summary": p.summary,
                "before": p.cost_before,
                "after": p.cost_after,
                "delta": signed(p.delta),
            }
            for p in found
        ],
        "before": d.before,
        "after": d.after,
        "delta": signed(d.after.total - d.before.total),
    }
