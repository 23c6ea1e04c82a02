"""``contract.yaml`` (SPEC §3): parties, financers, governance, period, amendments."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from pydantic import Field

from ti_cli.model.base import Slug, Strict, Text


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


class Governance(Strict):
    binomes: list[Binome] = Field(default_factory=list)
    project_leads: list[ProjectLead] = Field(default_factory=list)


class Amendment(Strict):
    number: int = Field(ge=1)
    signed_on: dt.date | None = None
    summary: str | None = None


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
