"""What changed in a contract's actions between two versions, as data: the diff and what it needs.

Actions are matched by ``number``: a number only in the new version is an *ajout*, only in the old a
*suppression*, in both with different fields a *modification* listing each ``Change(number, field,
before, after)``. Fields are named by dotted path (``cost.investment``, ``financing.etat.amount``).
``FIELDS`` says which fields are compared and how they read in a document; ``NEEDS`` classifies each
change — does it need an avenant, does it need the regional COPIL (Article 5) — in one table.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from fnmatch import fnmatchcase
from typing import Any

from ti_cli.compute.totals import AXIS_LABELS, Totals, contract_totals, group_totals
from ti_cli.i18n import N_
from ti_cli.model import Action, Contract, Party
from ti_cli.model.action import Axis, Category
from ti_cli.model.contract import PartyRole

# Article 5: « toute évolution de l'économie générale du contrat » needs the signatories' approval and
# may need the regional COPIL. ti reads "the contract's total cost moves by more than 10 %" as such an
# evolution (strictly more; from a zero total, any move counts).
ECONOMY_THRESHOLD = Decimal("0.10")

Value = str | Decimal | dt.date | tuple[str, ...] | None


class Kind(StrEnum):
    added = "added"
    removed = "removed"
    modified = "modified"


@dataclass(frozen=True)
class FieldSpec:
    path: str  # dotted; ``*`` stands for a financer id
    label: str  # how people name it: an English msgid, French through ``_`` (documents: ``in_french``)
    money: bool = False


# Compared fields, in the order they are listed. ``cost.total`` is the action's cost as the annex adds
# it (investment + operating), whether or not the file writes ``total:``. A financing line is keyed by
# its financer (a second line of the same financer is ``financer#2``); a line that appears or goes
# shows as its ``eligibility`` going from or to null.
FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("title", N_("title")),
    FieldSpec("axis", N_("axis")),
    FieldSpec("strategic_axis", N_("strategic axis")),
    FieldSpec("category", N_("category")),
    FieldSpec("owner", N_("maître d'ouvrage")),
    FieldSpec("owner_parties", N_("signatory maîtres d'ouvrage")),
    FieldSpec("cost.investment", N_("investment cost"), money=True),
    FieldSpec("cost.operating", N_("operating cost"), money=True),
    FieldSpec("cost.total", N_("total cost"), money=True),
    FieldSpec("financing.*.eligibility", N_("eligibility")),
    FieldSpec("financing.*.scheme", N_("scheme")),
    FieldSpec("financing.*.amount", N_("amount"), money=True),
    FieldSpec("financing.*.dispositif", N_("dispositif (phase 2)")),
    FieldSpec("financing.*.status", N_("financing stage")),
    FieldSpec("financing.*.paid", N_("paid"), money=True),
    FieldSpec("financing.*.comment", N_("financing comment")),
    FieldSpec("description", N_("action sheet description")),
    FieldSpec("planned_start", N_("planned start")),
    FieldSpec("planned_end", N_("planned end")),
    FieldSpec("other_axes", N_("other axes")),
    FieldSpec("derogation_l1111_10", N_("CGCT L1111-10 derogation")),
    FieldSpec("comment", N_("comment")),
)


@dataclass(frozen=True)
class Needs:
    kind: Kind
    fields: str  # fnmatch pattern on the dotted field ("*" for an ajout or a suppression)
    article: str | None  # the avenant's article kind; None: no article, the change is not contractual
    copil_if_structurante: bool  # Article 5: « l'évolution d'une action structurante »


# What each change needs, first matching row wins. Internal notes are not part of the contract.
NEEDS: tuple[Needs, ...] = (
    Needs(Kind.added, "*", "ajout", copil_if_structurante=True),
    Needs(Kind.removed, "*", "suppression", copil_if_structurante=True),
    Needs(Kind.modified, "comment", None, copil_if_structurante=False),
    Needs(Kind.modified, "financing.*.comment", None, copil_if_structurante=False),
    # A line's progress through its stages and its payments are the plan's execution, not a change to it.
    Needs(Kind.modified, "financing.*.status", None, copil_if_structurante=False),
    Needs(Kind.modified, "financing.*.paid", None, copil_if_structurante=False),
    Needs(Kind.modified, "*", "modification", copil_if_structurante=True),
)


@dataclass(frozen=True)
class Change:
    number: int
    field: str
    before: Value
    after: Value

    @property
    def spec(self) -> FieldSpec:
        return next(f for f in FIELDS if fnmatchcase(self.field, f.path))

    @property
    def needs(self) -> Needs:
        return needs(Kind.modified, self.field)

    @property
    def delta(self) -> Decimal | None:
        """after - before for an amount (an absent amount counts 0); None for other fields."""
        if not self.spec.money:
            return None
        return _zero(self.after) - _zero(self.before)


@dataclass(frozen=True)
class ActionChange:
    number: int
    kind: Kind
    before: Action | None
    after: Action | None
    changes: tuple[Change, ...] = ()

    @property
    def action(self) -> Action:
        """The action as it now reads (as it read, for a suppression)."""
        found = self.after or self.before
        assert found is not None
        return found

    @property
    def contractual(self) -> tuple[Change, ...]:
        """The changes an avenant must state (internal notes left out)."""
        return tuple(c for c in self.changes if c.needs.article is not None)

    @property
    def article(self) -> str | None:
        if self.kind is not Kind.modified:
            return needs(self.kind, "*").article
        return "modification" if self.contractual else None

    @property
    def structurante(self) -> bool:
        return any(a is not None and a.category is Category.structurante for a in (self.before, self.after))

    @property
    def needs_copil(self) -> bool:
        if not self.structurante:
            return False
        if self.kind is not Kind.modified:
            return needs(self.kind, "*").copil_if_structurante
        return any(c.needs.copil_if_structurante for c in self.changes)


@dataclass(frozen=True)
class AxisMove:
    key: str
    label: str
    before: Decimal
    after: Decimal

    @property
    def delta(self) -> Decimal:
        return self.after - self.before


@dataclass(frozen=True)
class Side:
    """One version of the contract: its ``contract.yaml`` and its actions."""

    label: str
    contract: Contract
    actions: list[Action]
    title: str = ""  # how a document names this version: its date and subject, never a git ref

    def totals(self) -> Totals:
        return contract_totals(self.contract, self.actions)


@dataclass(frozen=True)
class ContractDiff:
    base: Side
    head: Side
    actions: list[ActionChange]
    before: Totals
    after: Totals
    by_axis: list[AxisMove] = field(default_factory=list)

    def of(self, kind: Kind) -> list[ActionChange]:
        return [a for a in self.actions if a.kind is kind]

    @property
    def to_sign(self) -> list[ActionChange]:
        """The changes an avenant states, in number order."""
        return [a for a in self.actions if a.article is not None]

    @property
    def economy_move(self) -> Decimal | None:
        """after/before - 1 of the contract's total cost (None from a zero total)."""
        if self.before.total == 0:
            return None
        return self.after.total / self.before.total - 1

    @property
    def economy_changed(self) -> bool:
        """Article 5's « évolution de l'économie générale du contrat »: the total moved by more than
        ``ECONOMY_THRESHOLD``."""
        move = self.economy_move
        if move is None:
            return self.after.total != self.before.total
        return abs(move) > ECONOMY_THRESHOLD

    @property
    def copil_actions(self) -> list[int]:
        return [a.number for a in self.actions if a.needs_copil]

    @property
    def needs_copil(self) -> bool:
        return bool(self.copil_actions) or self.economy_changed


def needs(kind: Kind, dotted: str) -> Needs:
    return next(n for n in NEEDS if n.kind is kind and fnmatchcase(dotted, n.fields))


def _zero(value: Value) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(0)


def flatten(action: Action) -> dict[str, Value]:
    """Every compared field of an action by dotted path; absent values are None."""
    cost = action.cost
    out: dict[str, Value] = {
        "title": action.title,
        "axis": action.axis.value,
        "strategic_axis": action.strategic_axis,
        "category": action.category.value,
        "owner": action.owner,
        "owner_parties": tuple(action.owner_parties) or None,
        "cost.investment": cost.investment if cost else None,
        "cost.operating": cost.operating if cost else None,
        "cost.total": cost.amount if cost else None,
    }
    seen: dict[str, int] = {}
    for line in action.financing:
        seen[line.financer] = seen.get(line.financer, 0) + 1
        key = line.financer if seen[line.financer] == 1 else f"{line.financer}#{seen[line.financer]}"
        out[f"financing.{key}.eligibility"] = line.eligibility.value
        out[f"financing.{key}.scheme"] = line.scheme
        out[f"financing.{key}.amount"] = line.amount
        out[f"financing.{key}.dispositif"] = line.dispositif
        out[f"financing.{key}.status"] = line.status.value if line.status else None
        out[f"financing.{key}.paid"] = line.paid
        out[f"financing.{key}.comment"] = line.comment
    out.update(
        {
            "description": action.description,
            "planned_start": action.planned_start,
            "planned_end": action.planned_end,
            "other_axes": tuple(a.value for a in action.other_axes) or None,
            "derogation_l1111_10": action.derogation_l1111_10,
            "comment": action.comment,
        }
    )
    return out


def _paths(keys: Iterable[str]) -> list[str]:
    """Field paths in ``FIELDS`` order, each financing line whole, lines in order of first appearance."""
    lines = list(dict.fromkeys(k.split(".")[1] for k in keys if k.startswith("financing.")))
    per_line = [s.path for s in FIELDS if s.path.startswith("financing.")]
    out: list[str] = []
    for spec in FIELDS:
        if not spec.path.startswith("financing."):
            out.append(spec.path)
        elif spec.path == per_line[0]:
            out.extend(path.replace("*", line) for line in lines for path in per_line)
    return out


def compare(before: Action, after: Action) -> tuple[Change, ...]:
    """The fields that differ; amounts compare by value (16753500 equals 16753500.00)."""
    old, new = flatten(before), flatten(after)
    return tuple(
        Change(after.number, path, old.get(path), new.get(path))
        for path in _paths([*old, *new])
        if old.get(path) != new.get(path)
    )


def diff(base: Side, head: Side) -> ContractDiff:
    old = {a.number: a for a in base.actions}
    new = {a.number: a for a in head.actions}
    changes: list[ActionChange] = []
    for number in sorted(old.keys() | new.keys()):
        before, after = old.get(number), new.get(number)
        if before is None:
            changes.append(ActionChange(number, Kind.added, None, after))
        elif after is None:
            changes.append(ActionChange(number, Kind.removed, before, None))
        elif found := compare(before, after):
            changes.append(ActionChange(number, Kind.modified, before, after, found))
    return ContractDiff(base, head, changes, base.totals(), head.totals(), axis_moves(base, head))


def axis_moves(base: Side, head: Side) -> list[AxisMove]:
    """Total cost per axis before and after, every axis present in either version, in axis order."""
    old = {g.key: g.total for g in group_totals(base.contract, base.actions, "axis")}
    new = {g.key: g.total for g in group_totals(head.contract, head.actions, "axis")}
    zero = Decimal("0.00")
    return [
        AxisMove(axis.value, AXIS_LABELS[axis], old.get(axis.value, zero), new.get(axis.value, zero))
        for axis in Axis
        if axis.value in old or axis.value in new
    ]


def plain_value(value: Value) -> Any:
    """A value as JSON carries it: amounts as two-decimal strings, dates ISO, lists as lists."""
    from ti_cli.french import json_amount

    if isinstance(value, Decimal):
        return json_amount(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, tuple):
        return list(value)
    return value


def parties_concerned(d: ContractDiff) -> list[Party]:
    """Who signs the avenant (Article 5), in the contract's order: the maîtres d'ouvrage and the financers
    that are parties of every changed action, plus the intercommunalités — every signatory when the
    contract's general economy moves (« soumise à approbation préalable des signataires »)."""
    contract = d.head.contract
    if d.economy_changed:
        return list(contract.parties)
    ids: set[str] = set()
    for change in d.to_sign:
        for action in (change.before, change.after):
            if action is None:
                continue
            ids.update(action.owner_parties)
            for line in action.financing:
                financer = contract.financer(line.financer) or d.base.contract.financer(line.financer)
                if financer is not None and financer.party:
                    ids.add(financer.party)
    return [p for p in contract.parties if p.id in ids or p.role is PartyRole.intercommunalite]
