"""A relevé de décisions of the plan's governance, ``decisions/YYYY-MM-DD-slug.yaml`` (SPEC §10).

A phase-2 plan changes by decisions of its governance (comité de projets, copil) rather than by avenant.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from pydantic import Field

from ti_cli.model.base import Strict, Text


class Body(StrEnum):
    copil_local = "copil-local"
    copil_regional = "copil-regional"
    comite_de_projets = "comite-de-projets"
    autre = "autre"


class Kind(StrEnum):
    ajout = "ajout"
    retrait = "retrait"
    modification = "modification"
    validation = "validation"
    avis_fonds_vert = "avis-fonds-vert"
    autre = "autre"


class Opinion(StrEnum):
    favorable = "favorable"
    defavorable = "defavorable"
    ajourne = "ajourne"


class Decision(Strict):
    action: int | None = Field(default=None, ge=1)
    kind: Kind
    opinion: Opinion | None = None
    summary: Text


class Decisions(Strict):
    date: dt.date
    body: Body
    title: Text
    present: list[str] = Field(default_factory=list)
    decisions: list[Decision] = Field(default_factory=list)
    # A relevé still to adopt (``ti decisions draft`` writes it): not a meeting held — its decisions are
    # proposed, not taken — until the user deletes the line once the meeting has adopted it.
    draft: bool = False
