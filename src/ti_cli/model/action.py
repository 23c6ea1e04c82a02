"""A fiche action, ``actions/NN-slug.yaml`` (SPEC §4)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from enum import StrEnum

from pydantic import Field

from ti_cli.model.base import Money, Slug, Strict, Text
from ti_cli.model.pacte import Siret
from ti_cli.model.programme import ALL_AXES, AXIS_TO_CHOOSE
from ti_cli.numbers import MAX_ACTION_NUMBER

# Every programme's axes (SPEC §10) plus the placeholder of a carried-over action; which of them an
# action may take depends on its contract's programme, checked by rule TI110 with that list.
Axis = StrEnum("Axis", {code: code for code in (*ALL_AXES, AXIS_TO_CHOOSE)})  # type: ignore[misc]  # members from data


class Category(StrEnum):
    structurante = "structurante"
    amorcage = "amorcage"


class Eligibility(StrEnum):
    validee = "validee"
    a_confirmer = "a_confirmer"


class Cost(Strict):
    investment: Money = Decimal(0)
    operating: Money = Decimal(0)
    total: Money | None = None

    @property
    def split_known(self) -> bool:
        """False for ``cost: {total: N}`` alone (SPEC §16): the total is known, not its split."""
        return self.total is None or bool({"investment", "operating"} & self.model_fields_set)

    @property
    def unsplit(self) -> Decimal:
        """The part of the cost not split into investment / operating (SPEC §14): the whole total of a
        ``cost: {total: N}``, else 0."""
        return Decimal(0) if self.split_known or self.total is None else self.total

    @property
    def amount(self) -> Decimal:
        """The cost as the annex adds it: investment + operating, or the total alone when the split is
        unknown (otherwise ``total`` is only a cross-check)."""
        return self.investment + self.operating + self.unsplit


class Stage(StrEnum):
    """A phase-2 financing line's stage (SPEC §10): sollicité → obtenu → engagé → versé, or refusé."""

    sollicite = "sollicite"
    obtenu = "obtenu"
    engage = "engage"
    verse = "verse"
    refuse = "refuse"


SECURED = frozenset({Stage.obtenu, Stage.engage, Stage.verse})


class FinancingLine(Strict):
    financer: Slug
    eligibility: Eligibility = Eligibility.a_confirmer
    scheme: str | None = None
    amount: Money | None = None
    comment: str | None = None
    # Phase 2 (SPEC §10): the line's dispositif and stage instead of the phase-1 eligibility.
    dispositif: Slug | None = None
    volet: int | None = Field(default=None, ge=1)
    status: Stage | None = None
    paid: Money | None = None
    requested_on: dt.date | None = None
    decided_on: dt.date | None = None
    reference: str | None = None

    @property
    def secured(self) -> bool:
        """Secured: ``eligibility: validee`` (phase 1) or a stage of obtenu, engagé or versé (phase 2)."""
        if self.status is not None:
            return self.status in SECURED
        return self.eligibility is Eligibility.validee

    @property
    def stage(self) -> str:
        """The stage for sums by stage; a phase-1 line counts as obtenu when validée, else sollicité."""
        if self.status is not None:
            return self.status.value
        return Stage.obtenu.value if self.eligibility is Eligibility.validee else Stage.sollicite.value


class Measure(Strict):
    on: dt.date
    value: Decimal


class ActionIndicator(Strict):
    """What an action must achieve: a catalogue indicator by id, or one of its own with title and unit."""

    id: Slug
    title: str | None = None
    unit: str | None = None
    target: Decimal | None = None
    measures: list[Measure] = Field(default_factory=list)

    def latest(self, as_of: dt.date | None = None) -> Measure | None:
        """The measure of latest date on or before ``as_of`` (measures are cumulative)."""
        dated = [m for m in self.measures if as_of is None or m.on <= as_of]
        return max(dated, key=lambda m: m.on, default=None)


class Action(Strict):
    number: int = Field(ge=1, le=MAX_ACTION_NUMBER)
    title: Text
    axis: Axis
    strategic_axis: str | None = None
    category: Category
    owner: str | None = None
    owner_parties: list[Slug] = Field(default_factory=list)
    cost: Cost | None = None
    financing: list[FinancingLine] = Field(default_factory=list)
    description: str | None = None
    comment: str | None = None
    planned_end: dt.date | None = None
    derogation_l1111_10: str | None = None
    # Phase 2 (SPEC §10), allowed in any programme.
    other_axes: list[Axis] = Field(default_factory=list)
    owner_siret: Siret | None = None
    planned_start: dt.date | None = None
    indicators: list[ActionIndicator] = Field(default_factory=list)

    @property
    def total(self) -> Decimal:
        return self.cost.amount if self.cost else Decimal(0)

    @property
    def investment(self) -> Decimal:
        return self.cost.investment if self.cost else Decimal(0)

    @property
    def operating(self) -> Decimal:
        return self.cost.operating if self.cost else Decimal(0)

    @property
    def unsplit(self) -> Decimal:
        """The part of the cost given without its investment / operating split (SPEC §14)."""
        return self.cost.unsplit if self.cost else Decimal(0)
