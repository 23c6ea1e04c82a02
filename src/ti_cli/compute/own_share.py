"""The own share of a collectivité maître d'ouvrage (CGCT L1111-10 III), used by rule TI051 and by totals."""

from __future__ import annotations

from decimal import Decimal

from ti_cli.model import Action, Contract
from ti_cli.model.contract import FinancerKind, PartyRole


def collectivite_owners(contract: Contract, action: Action) -> set[str]:
    """The action's maîtres d'ouvrage that are collectivités in the sense of CGCT L1111-10 (parties of role
    intercommunalite or region)."""
    return {
        p
        for p in action.owner_parties
        if (party := contract.party(p)) and party.role in (PartyRole.intercommunalite, PartyRole.region)
    }


def own_share(contract: Contract, action: Action) -> tuple[Decimal, Decimal] | None:
    """(own share, public financing) when CGCT L1111-10 III applies to the action, else None. It applies to
    an investment: a cost given as a total alone (split unknown, SPEC §16) cannot tell — None, not a
    judgement made on an investment read as 0 (rule TI051 documents it, TI025 says it on the action)."""
    owners = collectivite_owners(contract, action)
    if not owners or action.derogation_l1111_10:
        return None
    if action.cost is not None and not action.cost.split_known:
        return None  # whether there is an investment, and how much, is unknown
    if action.investment <= 0:
        return None
    own = public = Decimal(0)
    for line in action.financing:
        financer = contract.financer(line.financer)
        if line.amount is None or financer is None or financer.kind is FinancerKind.prive or financer.loan:
            continue
        public += line.amount
        if financer.kind is FinancerKind.autofinancement or financer.party in owners:
            own += line.amount
    return (own, public) if public > 0 else None
