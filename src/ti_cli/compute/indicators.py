"""The programme's indicators added up across actions (SPEC §15): per catalogue indicator and unit, the sum
of the targets, the sum of the latest values on or before a date, how many actions carry it and how many
are measured by then. The national reporting asks for these sums; ``ti totals --indicators``, the
evaluation and the COPIL deck print them, computed here once.

What the spec leaves open, decided here:

- A catalogue indicator (``model.programme.INDICATORS``) is added up by (id, unit): an action that gives a
  catalogue id with another ``unit`` forms its own row, never summed with the catalogue's unit.
- ``target`` is the sum of the targets the actions give (``None`` when none gives one); ``value`` the sum
  of each action's latest measure on or before ``as_of`` (``None`` when no action is measured by then).
  ``targeted`` says how many actions gave a target: a sum of 2 targets out of 3 actions is shown as such.
- An own indicator (an id outside the catalogue) is listed with its action and its contract, never added to
  anything: two actions' « revues » may not count the same thing.
- Values are exact Decimals (cumulative measures, SPEC §10); no rounding but ``reached`` (one decimal,
  half up, like every percentage: ``compute.totals.share``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from ti_cli.loading.bundle import ContractBundle
from ti_cli.model.action import ActionIndicator
from ti_cli.model.programme import INDICATORS


@dataclass(frozen=True)
class IndicatorValue:
    """One action's indicator on a date: its target and its latest measure on or before it."""

    action: int
    id: str
    title: str
    unit: str
    target: Decimal | None
    value: Decimal | None  # the latest measure on or before the date; None when there is none
    on: dt.date | None
    contract: str = ""  # the contract's id (a portfolio lists several)

    @property
    def catalogue(self) -> bool:
        """An indicator of the programme's catalogue (added up), not one of the action's own."""
        return self.id in INDICATORS

    @property
    def reached(self) -> Decimal | None:
        """The value as a percentage of the target, rounded once to a tenth (``share``: the table and the
        chart say the same); None without both, or with a zero target."""
        return _reached(self.value, self.target)


@dataclass(frozen=True)
class IndicatorTotal:
    """A catalogue indicator added up across actions (and contracts, for a portfolio), for one unit."""

    id: str
    title: str
    unit: str
    target: Decimal | None  # sum of the targets given; None when no action gives one
    value: Decimal | None  # sum of the latest values on or before as_of; None when none is measured
    items: tuple[IndicatorValue, ...]  # every action carrying it, in contract then action order

    @property
    def actions(self) -> int:
        """How many actions carry it."""
        return len(self.items)

    @property
    def measured(self) -> int:
        """How many of them have a measure on or before the date."""
        return sum(1 for i in self.items if i.value is not None)

    @property
    def not_measured(self) -> int:
        return self.actions - self.measured

    @property
    def targeted(self) -> int:
        """How many of them give a target."""
        return sum(1 for i in self.items if i.target is not None)

    @property
    def reached(self) -> Decimal | None:
        return _reached(self.value, self.target)


@dataclass(frozen=True)
class IndicatorTotals:
    """Every indicator of a contract (or of several: ``contracts``) on ``as_of``."""

    contracts: tuple[str, ...]
    as_of: dt.date
    indicators: tuple[IndicatorTotal, ...]  # the catalogue's, in catalogue order (then by unit)
    own: tuple[IndicatorValue, ...]  # the actions' own indicators, each with its action, never summed

    @property
    def contract(self) -> str | None:
        """The contract's id; None for a portfolio of several."""
        return self.contracts[0] if len(self.contracts) == 1 else None

    @property
    def values(self) -> tuple[IndicatorValue, ...]:
        """Every action's indicator, catalogue and own, in contract then action order."""
        return tuple(sorted((*(i for t in self.indicators for i in t.items), *self.own), key=_order_key))

    def find(self, indicator_id: str) -> list[IndicatorTotal]:
        """The rows of one catalogue id (one per unit; usually one)."""
        return [t for t in self.indicators if t.id == indicator_id]


def _reached(value: Decimal | None, target: Decimal | None) -> Decimal | None:
    from ti_cli.compute.totals import share

    if value is None or not target:
        return None
    return share(value, target)


def indicator_value(number: int, indicator: ActionIndicator, as_of: dt.date, contract: str = "") -> IndicatorValue:
    """An action's indicator on ``as_of``: the catalogue's title and unit unless the action gives its own."""
    known = INDICATORS.get(indicator.id)
    latest = indicator.latest(as_of)
    return IndicatorValue(
        action=number,
        id=indicator.id,
        title=indicator.title or (known.title if known else indicator.id),
        unit=indicator.unit or (known.unit if known else ""),
        target=indicator.target,
        value=latest.value if latest else None,
        on=latest.on if latest else None,
        contract=contract,
    )


def action_values(bundle: ContractBundle, as_of: dt.date) -> list[IndicatorValue]:
    """Every indicator of every action of ``bundle``, in action order then as the file lists them."""
    contract = bundle.contract.model
    cid = contract.id if contract is not None else bundle.root.name
    return [indicator_value(a.number, i, as_of, cid) for a in bundle.action_models() for i in a.indicators]


def _order_key(v: IndicatorValue) -> tuple[str, int]:
    return (v.contract, v.action)


def _sum(values: Iterable[Decimal | None]) -> Decimal | None:
    known = [v for v in values if v is not None]
    return sum(known[1:], known[0]) if known else None


def add_up(values: Iterable[IndicatorValue], contracts: tuple[str, ...], as_of: dt.date) -> IndicatorTotals:
    """The totals of the given action indicators (each already taken on ``as_of``)."""
    groups: dict[tuple[str, str], list[IndicatorValue]] = {}
    own: list[IndicatorValue] = []
    for v in values:
        if v.catalogue:
            groups.setdefault((v.id, v.unit), []).append(v)
        else:
            own.append(v)
    order = list(INDICATORS)
    rows = []
    for (iid, unit), items in sorted(groups.items(), key=lambda kv: (order.index(kv[0][0]), kv[0][1])):
        items.sort(key=_order_key)
        rows.append(
            IndicatorTotal(
                id=iid,
                title=INDICATORS[iid].title,
                unit=unit,
                target=_sum(i.target for i in items),
                value=_sum(i.value for i in items),
                items=tuple(items),
            )
        )
    own.sort(key=_order_key)
    return IndicatorTotals(contracts, as_of, tuple(rows), tuple(own))


def programme_indicators(bundle: ContractBundle, as_of: dt.date) -> IndicatorTotals:
    """The contract's catalogue indicators added up across its actions, on ``as_of`` (SPEC §15)."""
    values = action_values(bundle, as_of)
    contract = bundle.contract.model
    cid = contract.id if contract is not None else bundle.root.name
    return add_up(values, (cid,), as_of)


def portfolio_indicators(bundles: Iterable[ContractBundle], as_of: dt.date) -> IndicatorTotals:
    """The same across several contracts (``ti totals --all --indicators``: the national reporting)."""
    values: list[IndicatorValue] = []
    ids: list[str] = []
    for bundle in bundles:
        contract = bundle.contract.model
        ids.append(contract.id if contract is not None else bundle.root.name)
        values.extend(action_values(bundle, as_of))
    return add_up(values, tuple(ids), as_of)
