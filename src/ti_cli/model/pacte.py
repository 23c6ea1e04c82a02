"""The pacte industrie-territoire (SPEC §7): ``pacte.yaml``, ``members/*.yaml``, ``stakeholders.yaml``."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from enum import StrEnum
from typing import Annotated

from pydantic import BeforeValidator, Field

from ti_cli.model.base import Day, Slug, Strict, Text

# Units whose values are not numbers; every other unit takes numbers (rule TI073).
TEXT_UNITS = frozenset({"texte"})
BOOLEAN_UNITS = frozenset({"oui/non"})


def _siret_text(value: object) -> object:
    """A SIRET written as a bare YAML number is read as its 14 digits (leading zeros restored)."""
    return str(value).zfill(14) if isinstance(value, int) and not isinstance(value, bool) else value


Siret = Annotated[str, BeforeValidator(_siret_text), Field(pattern=r"^\d{14}$")]


class Side(StrEnum):
    territoire = "territoire"
    entreprise = "entreprise"


class Scope(StrEnum):
    individuel = "individuel"
    collectif = "collectif"


class Cadence(StrEnum):
    trimestriel = "trimestriel"
    semestriel = "semestriel"
    annuel = "annuel"
    ad_hoc = "ad_hoc"


class Size(StrEnum):
    micro = "micro"
    pme = "pme"
    eti = "eti"
    ge = "ge"


class Priority(StrEnum):
    prioritaire = "prioritaire"
    souhaitable = "souhaitable"
    facultative = "facultative"


class ContactStatus(StrEnum):
    a_contacter = "a_contacter"
    contacte = "contacte"
    entretien_realise = "entretien_realise"
    decline = "decline"


class Commitment(Strict):
    id: Slug
    side: Side
    title: Text
    items: list[str] = Field(default_factory=list)


class Indicator(Strict):
    id: Slug
    title: Text
    unit: str
    scope: Scope
    source: str | None = None


class Committee(Strict):
    participants: list[str] = Field(default_factory=list)
    cadence: Cadence = Cadence.ad_hoc
    partners: list[str] = Field(default_factory=list)


class Theme(Strict):
    id: Slug
    title: Text
    commitments: list[Commitment] = Field(default_factory=list)
    indicators: list[Indicator] = Field(default_factory=list)
    committee: Committee | None = None


class Pacte(Strict):
    id: Slug
    title: Text
    territory: Slug | None = None
    adopted_on: Day | None = None
    membership_years: int = Field(default=3, ge=1, le=50)
    review_every_months: int = Field(default=12, ge=1, le=120)
    themes: list[Theme] = Field(default_factory=list)

    def commitments(self) -> dict[str, Commitment]:
        return {c.id: c for t in self.themes for c in t.commitments}

    def indicators(self) -> dict[str, Indicator]:
        return {i.id: i for t in self.themes for i in t.indicators}


class Plan(Strict):
    one_year: list[str] = Field(default_factory=list)
    three_years: list[str] = Field(default_factory=list)


IndicatorValue = bool | int | Decimal | str


class Review(Strict):
    date: Day
    indicators: dict[Slug, IndicatorValue] = Field(default_factory=dict)
    notes: str | None = None


class Member(Strict):
    company: Text
    siret: Siret | None = None
    size: Size
    sector: str | None = None
    joined_on: Day
    challenges: list[str] = Field(default_factory=list)
    contribution: list[str] = Field(default_factory=list)
    commitments: list[Slug] = Field(default_factory=list)
    plan: Plan = Field(default_factory=Plan)
    reviews: list[Review] = Field(default_factory=list)


class Contact(Strict):
    typology: Text
    entity: Text
    last_name: str = ""
    first_name: str = ""
    priority: Priority
    contact_owner: str | None = None
    status: ContactStatus = ContactStatus.a_contacter
    interview_on: dt.date | None = None
    notes: str | None = None


class Stakeholders(Strict):
    contacts: list[Contact] = Field(default_factory=list)


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` plus whole months; the 29-31st of a shorter month falls on its last day."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    next_month = dt.date(year + (month + 1) // 12, (month + 1) % 12 + 1, 1)
    last_day = (next_month - dt.timedelta(days=1)).day
    return dt.date(year, month + 1, min(day.day, last_day))


def membership_end(member: Member, pacte: Pacte) -> dt.date:
    """The day membership ends: ``membership_years`` after joining (29 February → 28 February)."""
    return add_months(member.joined_on, 12 * pacte.membership_years)


def reviews_until(member: Member, as_of: dt.date | None = None) -> list[Review]:
    """The member's reviews held on or before ``as_of`` (all of them without it), oldest first.

    A review dated after ``as_of`` had not happened yet on that day: ``--as-of`` answers as of then.
    """
    return sorted((r for r in member.reviews if as_of is None or r.date <= as_of), key=lambda r: r.date)


def last_review(member: Member, as_of: dt.date | None = None) -> dt.date | None:
    return max((r.date for r in reviews_until(member, as_of)), default=None)


def next_review(member: Member, pacte: Pacte, as_of: dt.date | None = None) -> dt.date:
    """Due ``review_every_months`` after the last review, or after joining when there is none yet."""
    return add_months(last_review(member, as_of) or member.joined_on, pacte.review_every_months)
