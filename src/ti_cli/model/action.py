"""A fiche action, ``actions/NN-slug.yaml`` (SPEC §4)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from enum import StrEnum

from pydantic import Field

from ti_cli.model.base import Money, Slug, Strict, Text


class Axis(StrEnum):
    ATTIRER = "ATTIRER"
    RECRUTER = "RECRUTER"
    INNOVER = "INNOVER"
    SIMPLIFIER = "SIMPLIFIER"


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
    def amount(self) -> Decimal:
        """The cost as the annex adds it: investment + operating (``total`` is only a cross-check)."""
        return self.investment + self.operating


class FinancingLine(Strict):
    financer: Slug
    eligibility: Eligibility = Eligibility.a_confirmer
    scheme: str | None = None
    amount: Money | None = None
    comment: str | None = None


class Action(Strict):
    number: int = Field(ge=1)
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

    @property
    def total(self) -> Decimal:
        return self.cost.amount if self.cost else Decimal(0)

    @property
    def investment(self) -> Decimal:
        return self.cost.investment if self.cost else Decimal(0)

    @property
    def operating(self) -> Decimal:
        return self.cost.operating if self.cost else Decimal(0)
