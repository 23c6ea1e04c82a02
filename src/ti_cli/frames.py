"""The plans as pandas DataFrames, for the people who consolidate them in notebooks (SPEC §16).

Install with the extra ``ti-cli[analyse]`` (pandas, nothing else). ``path`` is a data repository, its
``data/`` folder, or a contract folder: every contract under it is loaded and checked as ``ti validate``
checks it, and a repository with errors raises one ``InvalidData`` listing the findings — nothing is
computed on broken data. Amounts are integer cents (nullable ``Int64``: summing them is exact, and an
amount not given is ``<NA>``, never 0); ``decimal=True`` adds the same amounts in euros as ``Decimal``.
Their sums equal ``ti totals --format json`` to the cent.

``ti``'s own commands never import this module, nor pandas: importing pandas alone takes longer than a
whole ``ti validate`` (README, « Libraries, and why »).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ti_cli.compute.totals import to_cents
from ti_cli.findings import Finding, Severity
from ti_cli.loading.bundle import ContractBundle, select
from ti_cli.model import Contract
from ti_cli.output.findings import plain
from ti_cli.rules.engine import Report

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["InvalidData", "actions", "decisions", "financing", "indicators"]

ACTIONS = (
    "contract",
    "number",
    "title",
    "axis",
    "category",
    "owner",
    "planned_start",
    "planned_end",
    "investment_cents",
    "operating_cents",
    "total_cents",
    "unsplit_cents",  # the part of total_cents given without its split (``cost: {total}``, SPEC §14)
    "region",
)
FINANCING = (
    "contract",
    "action",
    "financer",
    "dispositif",
    "volet",
    "stage",
    "amount_cents",
    "paid_cents",
    "requested_on",
    "decided_on",
)
INDICATORS = ("contract", "action", "id", "unit", "target", "value", "measured_on")
DECISIONS = ("contract", "date", "body", "action", "kind", "opinion", "summary")
DATES = ("planned_start", "planned_end", "requested_on", "decided_on", "measured_on", "date")


class InvalidData(ValueError):
    """The repository has errors (``ti validate`` would exit 1): ``findings`` lists them, as does the
    message."""

    def __init__(self, findings: list[Finding], files: int) -> None:
        self.findings = findings
        super().__init__(plain(Report(files, findings)))


def _bundles(path: str | Path, as_of: dt.date | None) -> Iterator[tuple[Contract, ContractBundle]]:
    """Every contract under ``path``, checked as ``ti validate`` checks it; errors raise."""
    from ti_cli.workflow.checked import checked

    day = as_of or dt.date.today()
    done = [checked("contract", root, day) for root in select([Path(path)]).contracts]
    errors = [f for d in done for f in d.findings if f.severity is Severity.error]
    if errors:
        raise InvalidData(errors, sum(d.files for d in done))
    for d in done:
        bundle: ContractBundle = d.bundle
        assert bundle.contract.model is not None  # no error: the contract loaded
        yield bundle.contract.model, bundle


def _frame(rows: list[dict[str, Any]], columns: tuple[str, ...], cents: tuple[str, ...], decimal: bool) -> pd.DataFrame:
    import pandas as pd

    data: dict[str, Any] = {}
    for column in columns:
        values = [row[column] for row in rows]
        if column in cents:
            data[column] = pd.array(values, dtype="Int64")
        elif column in DATES:
            data[column] = pd.to_datetime(pd.Series(values, dtype="object"))
        elif column in ("number", "action", "volet"):
            data[column] = pd.array(values, dtype="Int64")
        else:
            data[column] = pd.Series(values, dtype="object")
    frame = pd.DataFrame(data, columns=list(columns))
    if decimal:
        for column in cents:
            frame[column.removesuffix("_cents")] = [
                None if row[column] is None else Decimal(row[column]).scaleb(-2) for row in rows
            ]
    return frame


def actions(path: str | Path, *, decimal: bool = False, as_of: dt.date | None = None) -> pd.DataFrame:
    """One row per action: contract, number, title, axis, category, owner, planned_start, planned_end,
    investment_cents, operating_cents, total_cents (an action without cost: ``<NA>``; a cost given as a
    total alone: investment and operating ``<NA>``, the total in ``unsplit_cents`` too), region."""
    rows = []
    for contract, bundle in _bundles(path, as_of):
        for action in bundle.action_models():
            cost = action.cost
            split = cost is not None and cost.split_known
            rows.append(
                {
                    "contract": contract.id,
                    "number": action.number,
                    "title": action.title,
                    "axis": action.axis.value,
                    "category": action.category.value,
                    "owner": action.owner,
                    "planned_start": action.planned_start,
                    "planned_end": action.planned_end,
                    "investment_cents": to_cents(action.investment) if split else None,
                    "operating_cents": to_cents(action.operating) if split else None,
                    "total_cents": to_cents(action.total) if cost is not None else None,
                    "unsplit_cents": to_cents(action.unsplit) if cost is not None else None,
                    "region": contract.region,
                }
            )
    cents = ("investment_cents", "operating_cents", "total_cents", "unsplit_cents")
    return _frame(rows, ACTIONS, cents, decimal)


def financing(path: str | Path, *, decimal: bool = False, as_of: dt.date | None = None) -> pd.DataFrame:
    """One row per financing line: contract, action (its number), financer (id), dispositif, volet, stage
    (the phase-2 stage — sollicite, obtenu, engage, verse, refuse — or the phase-1 eligibility — validee,
    a_confirmer), amount_cents (``<NA>`` when not given), paid_cents, requested_on, decided_on."""
    rows = []
    for contract, bundle in _bundles(path, as_of):
        for action in bundle.action_models():
            for line in action.financing:
                rows.append(
                    {
                        "contract": contract.id,
                        "action": action.number,
                        "financer": line.financer,
                        "dispositif": line.dispositif,
                        "volet": line.volet,
                        "stage": line.status.value if line.status is not None else line.eligibility.value,
                        "amount_cents": None if line.amount is None else to_cents(line.amount),
                        "paid_cents": None if line.paid is None else to_cents(line.paid),
                        "requested_on": line.requested_on,
                        "decided_on": line.decided_on,
                    }
                )
    return _frame(rows, FINANCING, ("amount_cents", "paid_cents"), decimal)


def indicators(path: str | Path, *, as_of: dt.date | None = None) -> pd.DataFrame:
    """One row per measure of an action's indicator (an indicator not measured yet: one row, value
    ``NaN``): contract, action, id, unit, target, value, measured_on. Targets and values are floats:
    they are counts and percentages, not money."""
    import pandas as pd

    rows = []
    for contract, bundle in _bundles(path, as_of):
        for action in bundle.action_models():
            for indicator in action.indicators:
                base = {"contract": contract.id, "action": action.number, "id": indicator.id, "unit": indicator.unit}
                target = None if indicator.target is None else float(indicator.target)
                measures: list[Any] = list(indicator.measures) or [None]
                for m in measures:
                    rows.append(
                        {
                            **base,
                            "target": target,
                            "value": None if m is None else float(m.value),
                            "measured_on": None if m is None else m.on,
                        }
                    )
    frame = _frame(rows, INDICATORS, (), False)
    for column in ("target", "value"):
        frame[column] = pd.to_numeric(frame[column]).astype("float64")
    return frame


def decisions(path: str | Path, *, as_of: dt.date | None = None) -> pd.DataFrame:
    """One row per decision of the governance's records (SPEC §10): contract, date, body, action (its
    number, ``<NA>`` for a decision on the plan as a whole), kind, opinion, summary — of meetings held
    only, as the evaluation counts them: a draft relevé (``draft: true``) proposes, it does not decide."""
    rows = []
    for contract, bundle in _bundles(path, as_of):
        for _src, record in bundle.held_decisions():
            for decision in record.decisions:
                rows.append(
                    {
                        "contract": contract.id,
                        "date": record.date,
                        "body": record.body.value,
                        "action": decision.action,
                        "kind": decision.kind.value,
                        "opinion": decision.opinion.value if decision.opinion is not None else None,
                        "summary": decision.summary,
                    }
                )
    return _frame(rows, DECISIONS, (), False)
