"""What changed in a contract's actions between two versions, as data: the diff and what it needs.

Actions are matched by ``number``: a number only in the new version is an *ajout*, only in the old a
*suppression*, in both with different fields a *modification* listing each ``Change(number, field,
before, after)``. Fields are named by dotted path (``cost.investment``, ``financing.etat.amount``,
``indicators.emplois-crees.target``, ``indicators.emplois-crees.measures.2025-12-31.value``).

Every field of the models is compared: the comparison walks ``Action.model_fields`` (and the models of
its fields), so a field added to a model is compared without being named here. ``LEFT_OUT`` lists the
few fields deliberately not compared, each with its reason; ``FIELDS`` says how each compared field
reads in a document; ``NEEDS`` classifies each change — does it need an avenant, does it need the
regional COPIL (Article 5) — in one table. ``tests/test_diff.py`` fails on a model field that is
neither labelled in ``FIELDS`` nor left out in ``LEFT_OUT``.
"""

from __future__ import annotations

import datetime as dt
import types
import typing
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from fnmatch import fnmatchcase
from typing import Any

from pydantic import BaseModel

from ti_cli.compute.totals import AXIS_LABELS, Totals, contract_totals, group_totals
from ti_cli.i18n import N_
from ti_cli.model import Action, Contract, Decisions, Party
from ti_cli.model.action import Axis, Category
from ti_cli.model.contract import PartyRole

# Article 5: « toute évolution de l'économie générale du contrat » needs the signatories' approval and
# may need the regional COPIL. Where the contract sets ``governance.copil_threshold`` (a rate, 0.10 for
# 10 %), ti reads "the contract's total cost moves by more than that rate" as such an evolution (strictly
# more; from a zero total, any move counts). Where it sets none, ti sets no number of its own: whether a
# move of the total is such an evolution is for the partners to judge (``economy_changed`` is None).

Value = str | int | Decimal | dt.date | tuple[str, ...] | None


class Kind(StrEnum):
    added = "added"
    removed = "removed"
    modified = "modified"


@dataclass(frozen=True)
class FieldSpec:
    path: str  # dotted; ``*`` stands for a financer id
    label: str  # how people name it: an English msgid, French through ``_`` (documents: ``in_french``)
    money: bool = False


# How each compared field reads, in the order changes are listed (``*`` stands for a key). ``cost.total``
# is the action's cost as the annex adds it (investment + operating), whether or not the file writes
# ``total:``. A financing line is keyed by its financer (a second line of the same financer is
# ``financer#2``); a line that appears or goes shows as its ``eligibility`` going from or to null. An
# indicator is keyed by its ``id`` (compared too: an indicator that appears or goes shows as its id from
# or to null); a measure by its date ``on`` (one that appears or goes shows as its value from or to null).
FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("title", N_("title")),
    FieldSpec("axis", N_("axis")),
    FieldSpec("strategic_axis", N_("strategic axis")),
    FieldSpec("category", N_("category")),
    FieldSpec("owner", N_("maître d'ouvrage")),
    FieldSpec("owner_parties", N_("signatory maîtres d'ouvrage")),
    FieldSpec("owner_siret", N_("SIRET of the maître d'ouvrage")),
    FieldSpec("cost.investment", N_("investment cost"), money=True),
    FieldSpec("cost.operating", N_("operating cost"), money=True),
    FieldSpec("cost.total", N_("total cost"), money=True),
    FieldSpec("financing.*.eligibility", N_("eligibility")),
    FieldSpec("financing.*.scheme", N_("scheme")),
    FieldSpec("financing.*.amount", N_("amount"), money=True),
    FieldSpec("financing.*.dispositif", N_("dispositif (phase 2)")),
    FieldSpec("financing.*.volet", N_("volet (Fonds vert)")),
    FieldSpec("financing.*.status", N_("financing stage")),
    FieldSpec("financing.*.paid", N_("paid"), money=True),
    FieldSpec("financing.*.requested_on", N_("request date")),
    FieldSpec("financing.*.decided_on", N_("decision date")),
    FieldSpec("financing.*.reference", N_("file reference")),
    FieldSpec("financing.*.comment", N_("financing comment")),
    FieldSpec("description", N_("action sheet description")),
    FieldSpec("planned_start", N_("planned start")),
    FieldSpec("planned_end", N_("planned end")),
    FieldSpec("other_axes", N_("other axes")),
    FieldSpec("derogation_l1111_10", N_("CGCT L1111-10 derogation")),
    FieldSpec("indicators.*.id", N_("indicator")),
    FieldSpec("indicators.*.title", N_("indicator title")),
    FieldSpec("indicators.*.unit", N_("indicator unit")),
    FieldSpec("indicators.*.target", N_("indicator target")),
    FieldSpec("indicators.*.measures.*.value", N_("indicator measure")),
    FieldSpec("comment", N_("comment")),
)

# The fields of the models deliberately not compared, by the same dotted pattern, with the reason. The
# only place a field is left out: ``tests/test_diff.py`` checks that every other field is in ``FIELDS``.
LEFT_OUT: dict[str, str] = {
    "number": "the key: actions are matched by number; a number in one version only is an ajout or a suppression",
    "financing.*.financer": "the key of a financing line (financing.<financer>[#n]); a line that appears or goes "
    "shows as its eligibility, which always has a value, going from or to null",
    "indicators.*.measures.*.on": "the key of a measure (measures.<date>); a measure that appears or goes shows as "
    "its value, which is required, going from or to null",
}

# Fields compared by a value derived from their model rather than the value written. ``cost.total`` is
# investment + operating: a written ``total`` is only a cross-check (TI023 refuses a wrong one, and the
# diff is not computed on data with errors).
DERIVED: dict[str, Callable[[Any], Value]] = {
    "cost.total": lambda cost: cost.amount,
    # A cost given as a total alone (SPEC §16) has no split: unknown, never « 0 € ».
    "cost.investment": lambda cost: cost.investment if cost.split_known else None,
    "cost.operating": lambda cost: cost.operating if cost.split_known else None,
}

SPLIT = ("cost.investment", "cost.operating")  # unknown (None) for a cost given as a total alone

# How the items of a list of models are keyed (the dotted name of the list, ``*`` for an outer key).
KEYS: dict[str, Callable[[Any], str]] = {
    "financing": lambda line: line.financer,
    "indicators": lambda indicator: indicator.id,
    "indicators.*.measures": lambda measure: measure.on.isoformat(),
}


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
    # So are the dates a file was requested and decided on and its reference at the financer: they record
    # how the line's instruction went, they do not change the plan of financing.
    Needs(Kind.modified, "financing.*.requested_on", None, copil_if_structurante=False),
    Needs(Kind.modified, "financing.*.decided_on", None, copil_if_structurante=False),
    Needs(Kind.modified, "financing.*.reference", None, copil_if_structurante=False),
    # A measure of an indicator reports what the action achieved; its target is what it committed to.
    Needs(Kind.modified, "indicators.*.measures.*", None, copil_if_structurante=False),
    # Contractual, said here rather than left to the last row: the Fonds vert volet a line is asked under,
    # what the action commits to achieve (its indicators, their target), and who carries it (the SIRET of
    # a company maître d'ouvrage names the beneficiary).
    Needs(Kind.modified, "financing.*.volet", "modification", copil_if_structurante=True),
    Needs(Kind.modified, "indicators.*", "modification", copil_if_structurante=True),
    Needs(Kind.modified, "owner_siret", "modification", copil_if_structurante=True),
    Needs(Kind.modified, "*", "modification", copil_if_structurante=True),
)


@dataclass(frozen=True)
class Change:
    number: int
    field: str
    before: Value
    after: Value
    # The side that is None is an investment / operating unknown — a cost given as a total alone (SPEC §16)
    # — not an absent cost: it reads « non ventilé », and the change has no difference (never −2 400 000 €).
    unsplit: bool = False

    @property
    def spec(self) -> FieldSpec:
        return spec(self.field)

    @property
    def needs(self) -> Needs:
        return needs(Kind.modified, self.field)

    @property
    def delta(self) -> Decimal | None:
        """after - before for an amount (an absent amount counts 0); None for other fields, and for a split
        that becomes or was unknown (unknown is not zero)."""
        if not self.spec.money or self.unsplit:
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
    title: str = ""  # how a document names this version: its date and what it records, never a git ref
    decisions: list[Decisions] = field(default_factory=list)  # a phase-2 plan's relevés in this version

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
    def threshold(self) -> Decimal | None:
        """The contract's ``governance.copil_threshold`` (as it now reads, else as it read), None when it
        sets none."""
        for contract in (self.head.contract, self.base.contract):
            if contract.governance.copil_threshold is not None:
                return contract.governance.copil_threshold
        return None

    @property
    def economy_changed(self) -> bool | None:
        """Article 5's « évolution de l'économie générale du contrat »: the total moved by more than the
        contract's threshold. An unchanged total is no such evolution; a moved one, when the contract sets
        no threshold, is for the partners to judge: None."""
        if self.after.total == self.before.total:
            return False
        threshold = self.threshold
        if threshold is None:
            return None
        move = self.economy_move
        return move is None or abs(move) > threshold

    @property
    def copil_actions(self) -> list[int]:
        return [a.number for a in self.actions if a.needs_copil]

    @property
    def needs_copil(self) -> bool | None:
        """Whether the regional COPIL must validate: an action structurante concerned, or the threshold
        exceeded; None when only the partners' judgement of the total's move can tell."""
        if self.copil_actions or self.economy_changed:
            return True
        return None if self.economy_changed is None else False


def needs(kind: Kind, dotted: str) -> Needs:
    return next(n for n in NEEDS if n.kind is kind and fnmatchcase(dotted, n.fields))


def _zero(value: Value) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(0)


def spec(dotted: str) -> FieldSpec:
    """The field's label; a field the models gained without a label reads by its name (the test fails)."""
    return next((f for f in FIELDS if fnmatchcase(dotted, f.path)), FieldSpec(dotted, dotted))


@dataclass(frozen=True)
class Leaf:
    pattern: str  # the field in ``FIELDS`` terms, ``*`` for each key
    keys: tuple[str, ...]  # the keys on the way (financer, indicator id, measure date)
    value: Value


def _model_of(annotation: Any) -> type[BaseModel] | None:
    """``M`` for a field typed ``M`` or ``M | None``."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        found = [a for a in typing.get_args(annotation) if isinstance(a, type) and issubclass(a, BaseModel)]
        return found[0] if len(found) == 1 else None
    return None


def _items_of(annotation: Any) -> type[BaseModel] | None:
    """``M`` for a field typed ``list[M]``."""
    if typing.get_origin(annotation) is list:
        return _model_of(typing.get_args(annotation)[0])
    return None


def _plain(value: Any) -> Value:
    if isinstance(value, StrEnum):
        return value.value
    if isinstance(value, list):
        return tuple(str(_plain(v)) for v in value) or None
    return value  # type: ignore[no-any-return]


def _keyed(pattern: str, items: list[Any]) -> Iterator[tuple[str, Any]]:
    """Each item with its key; a second item of the same key is ``key#2`` (by position without a key)."""
    key = KEYS.get(pattern)
    seen: dict[str, int] = {}
    for n, item in enumerate(items, 1):
        name = key(item) if key else str(n)
        seen[name] = seen.get(name, 0) + 1
        yield (name if seen[name] == 1 else f"{name}#{seen[name]}"), item


def _walk(
    model: type[BaseModel], obj: Any, pattern: str = "", path: str = "", keys: tuple[str, ...] = ()
) -> Iterator[tuple[str, Leaf]]:
    """(dotted path, leaf) of every compared field of ``obj`` (None: a model absent, its fields null).
    With ``obj`` the model itself (a class), one item stands for each list: the fields the models have."""
    schema = isinstance(obj, type)
    for name, info in model.model_fields.items():
        pat, dotted = pattern + name, path + name
        if pat in LEFT_OUT:
            continue
        value = obj if schema else getattr(obj, name, None)
        if (sub := _model_of(info.annotation)) is not None:
            yield from _walk(sub, sub if schema else value, pat + ".", dotted + ".", keys)
        elif (item := _items_of(info.annotation)) is not None:
            found = [("*", item)] if schema else _keyed(pat, value or [])
            for key, element in found:
                yield from _walk(item, element, pat + ".*.", f"{dotted}.{key}.", (*keys, key))
        else:
            derive = DERIVED.get(pat)
            if derive is not None:
                value = None if obj is None or schema else derive(obj)
            yield dotted, Leaf(pat, keys, None if schema else _plain(value))


def model_fields() -> list[str]:
    """Every compared field of the models, as ``FIELDS`` names it (for the test: each must be labelled)."""
    return [leaf.pattern for _path, leaf in _walk(Action, Action)]


def leaves(action: Action) -> dict[str, Leaf]:
    return dict(_walk(Action, action))


def flatten(action: Action) -> dict[str, Value]:
    """Every compared field of an action by dotted path; absent values are None."""
    return {path: leaf.value for path, leaf in leaves(action).items()}


def _order(found: dict[str, Leaf]) -> list[str]:
    """Field paths in ``FIELDS`` order, the fields of each item of a list together (a financing line
    whole, then the next), items in order of first appearance."""
    rank = {f.path: n for n, f in enumerate(FIELDS)}
    first: dict[str, int] = {}  # a list's place: the rank of its first field
    for f in FIELDS:
        for name in _lists(f.path):
            first.setdefault(name, rank[f.path])
    seen: dict[tuple[str, tuple[str, ...]], int] = {}  # (list, keys) in order of first appearance
    for leaf in found.values():
        for n, name in enumerate(_lists(leaf.pattern)):
            seen.setdefault((name, leaf.keys[: n + 1]), len(seen))

    def key(path: str) -> tuple[int, ...]:
        leaf = found[path]
        own = rank.get(leaf.pattern, len(FIELDS))
        out: list[int] = []
        for n, name in enumerate(_lists(leaf.pattern)):
            out += [first.get(name, own), seen[name, leaf.keys[: n + 1]]]
        return (*out, own)

    return sorted(found, key=key)


def _lists(pattern: str) -> list[str]:
    """The lists a field is inside: ``indicators.*.measures.*.value`` → indicators, indicators.*.measures."""
    parts = pattern.split(".*.")[:-1]
    return [".*.".join(parts[: n + 1]) for n in range(len(parts))]


def compare(before: Action, after: Action) -> tuple[Change, ...]:
    """The fields that differ; amounts compare by value (16753500 equals 16753500.00)."""
    old, new = leaves(before), leaves(after)
    both = {**old, **{p: leaf for p, leaf in new.items() if p not in old}}
    unsplit = any(a.cost is not None and not a.cost.split_known for a in (before, after))
    changes = (
        Change(
            after.number,
            p,
            old[p].value if p in old else None,
            new[p].value if p in new else None,
            unsplit=unsplit and p in SPLIT,
        )
        for p in _order(both)
    )
    return tuple(c for c in changes if c.before != c.after)


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


def plain_value(value: Value, money: bool = True) -> Any:
    """A value as JSON carries it: amounts as two-decimal strings (other numbers as exact decimal
    strings, ``money=False``), dates ISO, lists as lists."""
    from ti_cli.french import json_amount

    if isinstance(value, Decimal):
        return json_amount(value) if money else f"{value:f}"
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
