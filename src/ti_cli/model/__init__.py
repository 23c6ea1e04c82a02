"""The domain model: one pydantic class per file kind of SPEC §3-7, strict about unknown fields."""

from ti_cli.model.action import Action, Cost, FinancingLine
from ti_cli.model.contract import Contract, Financer, Party
from ti_cli.model.cost_sharing import CostSharing
from ti_cli.model.decision import Decisions
from ti_cli.model.pacte import Member, Pacte, Stakeholders
from ti_cli.model.progress import Progress

__all__ = [
    "Action",
    "Contract",
    "Cost",
    "CostSharing",
    "Decisions",
    "Financer",
    "FinancingLine",
    "Member",
    "Pacte",
    "Party",
    "Progress",
    "Stakeholders",
]
