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
from ti_cli.model.decision import Body, Decisions
from ti_cli.model.programme import BODY_LABELS, DECISION_KIND_LABELS, axis_label
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


def recorded(d: ContractDiff, drafts: bool = True) -> set[tuple[int, str]]:
    """The (action, kind) pairs the plan's governance recorded since the base revision: decisions of the
    head's relevés that the base's did not hold (a decision on one action, of one kind, counted as many
    times as it was taken). A draft relevé's proposals count as drafted (``drafts``): drafting twice
    proposes nothing twice."""
    from collections import Counter

    def counted(side_decisions: list[Decisions]) -> Counter[tuple[int, str]]:
        return Counter(
            (decision.action, decision.kind.value)
            for meeting in side_decisions
            if drafts or not meeting.draft
            for decision in meeting.decisions
            if decision.action is not None
        )

    before, after = counted(d.base.decisions), counted(d.head.decisions)
    return {pair for pair, n in after.items() if n > before[pair]}


def pending(d: ContractDiff, drafts: bool = True) -> list[ActionChange]:
    """The changes a relevé must decide: contractual, and not already recorded by a decision on the same
    action and of the same kind since the base revision (drafting twice proposes nothing again; with
    ``drafts`` False, a draft relevé's proposals are still to decide)."""
    done = recorded(d, drafts)
    return [c for c in d.to_sign if (c.number, KINDS[c.kind]) not in done]


def body(d: ContractDiff) -> Body:
    """The instance the changes need (Article 5, the programme's rule): the regional COPIL when a change
    touches an action structurante or moves the total beyond the contract's threshold, else the comité
    de projets."""
    if any(c.needs_copil for c in pending(d)) or d.economy_changed:
        return Body.copil_regional
    return Body.comite_de_projets


def body_reasons(d: ContractDiff) -> list[str]:
    """Why the regional COPIL is proposed (empty for the comité de projets)."""
    from ti_cli.output.diff import move, rate

    reasons = []
    numbers = [c.number for c in pending(d) if c.needs_copil]
    if numbers:
        which = ", ".join(str(n) for n in numbers)
        reasons.append(
            f"actions structurantes concernées : {which}"
            if len(numbers) > 1
            else f"action structurante concernée : {which}"
        )
    if d.economy_changed and d.threshold is not None:
        reasons.append(f"coût total du plan {move(d)}, au-delà du seuil de {rate(d.threshold)} fixé par le plan")
    return reasons


@in_french()  # the summaries go into a decisions file, a French document, and into JSON alike
def proposals(d: ContractDiff) -> list[Proposal]:
    out = []
    for change in pending(d):
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
    """The ``decisions/`` file to complete: date, the instance the changes need, title, one decision per
    change not yet recorded."""
    instance = body(d)
    return {
        "date": day,
        "body": instance.value,
        "title": f"{BODY_LABELS[instance.value].capitalize()} du {french.date_long(day)} (projet de relevé)",
        "draft": True,
        "present": [],
        "decisions": as_json(d)["decisions"],
    }


DRAFT_NOTE = (
    "# Projet de relevé : ses décisions sont proposées, pas prises. Supprimez la ligne « draft: true »\n"
    "# une fois le relevé adopté par la réunion (ti le compte alors comme une réunion tenue).\n"
)


def draft_yaml(d: ContractDiff, day: dt.date, schema: str) -> str:
    """The text of the new ``decisions/`` file: ``decisions_file`` with, above ``draft: true``, the French
    comment that tells the user to delete the line once the meeting has adopted the relevé."""
    from ti_cli.loading.writer import dump_yaml

    text = dump_yaml(decisions_file(d, day), schema=schema)
    return text.replace("\ndraft: true\n", f"\n{DRAFT_NOTE}draft: true\n", 1)


def document_context(d: ContractDiff, day: dt.date) -> dict[str, Any]:
    """What ``templates/decisions.md.j2`` sees: every figure already computed and written, every code
    already a label."""
    found = proposals(d)
    instance = body(d)
    return {
        "contract": d.head.contract,
        "base": d.base.title or d.base.label,
        "head": d.head.title or d.head.label,
        "date": day,
        "body": BODY_LABELS[instance.value],
        "body_reasons": body_reasons(d),
        "already": len(d.to_sign) - len(found),
        "proposals": [
            {
                "action": p.action,
                "kind": DECISION_KIND_LABELS[p.kind],
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
        # acquis moves only where both sides are known (unknown is not zero: no difference from a guess)
        "secured_delta": (
            signed(d.after.secured - d.before.secured)
            if d.before.secured_known is not None and d.after.secured_known is not None
            else ""
        ),
        "to_find_delta": signed(d.after.to_find - d.before.to_find),
    }
