"""``contract.yaml`` (SPEC §3): parties, financers, governance, period, amendments."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from enum import StrEnum
from typing import Annotated

from pydantic import BeforeValidator, Field
from pydantic_core import PydanticCustomError

from ti_cli.i18n import _
from ti_cli.model.base import Slug, Strict, Text
from ti_cli.model.programme import DEFAULT_PROGRAMME, Programme
from ti_cli.model.programme import programme as programme_of


class ProgrammeCode(StrEnum):
    ti_2019 = "ti-2019"
    ti_2023 = "ti-2023"


def _digits(value: object) -> object:
    """A SIREN written as a bare YAML number is read as its 9 digits (leading zeros restored)."""
    return str(value).zfill(9) if isinstance(value, int) and not isinstance(value, bool) else value


Siren = Annotated[str, BeforeValidator(_digits), Field(pattern=r"^\d{9}$")]


class ContractStatus(StrEnum):
    projet = "projet"
    signe = "signe"
    proroge = "proroge"
    clos = "clos"


class PartyRole(StrEnum):
    intercommunalite = "intercommunalite"
    region = "region"
    etat = "etat"
    operateur = "operateur"
    industriel = "industriel"
    autre = "autre"


class FinancerKind(StrEnum):
    europe = "europe"
    etat = "etat"
    region = "region"
    operateur = "operateur"
    collectivite = "collectivite"
    prive = "prive"
    autofinancement = "autofinancement"


class Person(Strict):
    name: Text
    title: str | None = None


class Industriel(Person):
    company: str | None = None


class Period(Strict):
    start: dt.date
    end: dt.date

    def contains(self, day: dt.date) -> bool:
        return self.start <= day <= self.end


class Party(Strict):
    id: Slug
    name: Text
    role: PartyRole
    represented_by: list[Person] = Field(default_factory=list)
    siren: Siren | None = None


class Financer(Strict):
    id: Slug
    name: Text
    kind: FinancerKind
    loan: bool = False
    party: Slug | None = None


class Binome(Strict):
    intercommunalite: Slug
    elu: Person
    industriel: Industriel


class ProjectLead(Strict):
    intercommunalite: Slug
    name: Text
    title: str | None = None


def _rate(value: object) -> object:
    """A threshold written as a percentage (``10``) is refused with the rate to write (``0.10``)."""
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool) and 1 < value <= 100:
        rate = Decimal(str(value)) / 100
        raise PydanticCustomError(
            "rate_as_percent",
            _("{value} reads as a percentage: write the rate, {rate} for {value} %"),
            {"value": str(value), "rate": f"{rate:.2f}" if rate == rate.quantize(Decimal("0.01")) else f"{rate}"},
        )
    return value


class Governance(Strict):
    binomes: list[Binome] = Field(default_factory=list)
    project_leads: list[ProjectLead] = Field(default_factory=list)
    # Optional: the move of the contract's total cost (a rate, 0.10 for 10 %, like a subsidy's ``rate``)
    # above which a change touches « l'économie générale du contrat » (Article 5) and needs the regional
    # COPIL. Absent: the contract sets no figure, and the partners judge (ti sets none of its own).
    copil_threshold: Annotated[Annotated[Decimal, Field(gt=0, le=1)] | None, BeforeValidator(_rate)] = None


class Amendment(Strict):
    number: int = Field(ge=1)
    signed_on: dt.date | None = None
    summary: str | None = None


class Dispositif(Strict):
    """A scheme the contract declares itself (a Région's, a department's), SPEC §10."""

    id: Slug
    name: Text
    financer: Slug | None = None


class Contract(Strict):
    id: Slug
    title: Text
    region: Text
    period: Period
    status: ContractStatus
    signed_on: dt.date | None = None
    tribunal: str | None = None
    parties: list[Party] = Field(default_factory=list)
    financers: list[Financer] = Field(default_factory=list)
    governance: Governance = Field(default_factory=Governance)
    amendments: list[Amendment] = Field(default_factory=list)
    programme: ProgrammeCode = ProgrammeCode(DEFAULT_PROGRAMME)
    id_ti: str | None = None
    dispositifs: list[Dispositif] = Field(default_factory=list)

    @property
    def programme_def(self) -> Programme:
        return programme_of(self.programme.value)

    @property
    def phase2(self) -> bool:
        return self.programme is ProgrammeCode.ti_2023

    # Optional (not in SPEC §3): image files (PNG, JPEG), relative to the contract folder, shown on the
    # cover of the contract's documents — the territory's and the partners' logos.
    logos: list[str] = Field(default_factory=list)

    def party(self, party_id: str) -> Party | None:
        return next((p for p in self.parties if p.id == party_id), None)

    def financer(self, financer_id: str) -> Financer | None:
        return next((f for f in self.financers if f.id == financer_id), None)

    @property
    def next_amendment(self) -> int:
        return max((a.number for a in self.amendments), default=0) + 1
