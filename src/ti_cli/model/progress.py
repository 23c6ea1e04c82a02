"""The quarterly état d'avancement, ``progress/YYYY-QN.yaml`` (SPEC §5, contract Article 6)."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from pydantic import Field

from ti_cli.model.base import Money, Strict

QUARTER_PATTERN = r"^\d{4}-Q[1-4]$"


class Status(StrEnum):
    a_lancer = "a_lancer"
    en_cours = "en_cours"
    termine = "termine"
    suspendu = "suspendu"
    abandonne = "abandonne"


class Spent(Strict):
    investment: Money = Field(default=0, validate_default=True)  # a Decimal once validated; 0 in the schema
    operating: Money = Field(default=0, validate_default=True)


class Milestone(Strict):
    date: dt.date
    label: str
    done: bool = False


class CompletionReport(Strict):
    """What Article 6 asks when an action is finished: how, what results, how they last."""

    results: str = Field(min_length=1)
    perennisation: str = Field(min_length=1)
    implementation: str | None = None
    reported_on: dt.date | None = None


class ActionProgress(Strict):
    number: int = Field(ge=1)
    status: Status
    progress: int = Field(ge=0, le=100)
    spent: Spent = Field(default_factory=Spent)
    milestones: list[Milestone] = Field(default_factory=list)
    comment: str | None = None
    completion_report: CompletionReport | None = None


class Progress(Strict):
    quarter: str = Field(pattern=QUARTER_PATTERN)
    reported_on: dt.date
    actions: list[ActionProgress] = Field(default_factory=list)

    @property
    def quarter_start(self) -> dt.date:
        return quarter_bounds(self.quarter)[0]


def quarter_bounds(quarter: str) -> tuple[dt.date, dt.date]:
    """``2021-Q3`` → (2021-07-01, 2021-09-30)."""
    year, q = int(quarter[:4]), int(quarter[-1])
    start = dt.date(year, 3 * q - 2, 1)
    end = dt.date(year + 1, 1, 1) if q == 4 else dt.date(year, 3 * q + 1, 1)
    return start, end - dt.timedelta(days=1)
