"""A shared cost split between members, ``cost-sharing/<slug>.yaml`` (SPEC §6)."""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum

from pydantic import Field

from ti_cli.model.base import Money, Slug, Strict, Text


class Key(StrEnum):
    equal = "equal"
    weights = "weights"
    fixed = "fixed"


class Subsidy(Strict):
    financer: Slug
    rate: Decimal | None = Field(default=None, ge=0, le=1)
    cap: Money | None = None
    amount: Money | None = None


class ShareMember(Strict):
    id: Slug
    name: Text
    weight: Decimal | None = Field(default=None, ge=0)
    amount: Money | None = None


class CostSharing(Strict):
    title: Text
    amount: Money
    subsidies: list[Subsidy] = Field(default_factory=list)
    key: Key = Key.equal
    members: list[ShareMember] = Field(min_length=1)
