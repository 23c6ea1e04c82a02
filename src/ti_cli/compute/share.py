"""Cost sharing (SPEC §6): subsidies first, then the rest split to the cent by largest remainder."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal

from ti_cli.french import CENT, cents
from ti_cli.model.cost_sharing import CostSharing, Key, Subsidy


@dataclass(frozen=True)
class Split:
    subsidies: list[tuple[str, Decimal]]
    to_share: Decimal
    shares: list[Decimal]


def subsidy_amount(subsidy: Subsidy, amount: Decimal) -> Decimal:
    value = subsidy.amount if subsidy.amount is not None else cents(amount * (subsidy.rate or Decimal(0)))
    return min(value, subsidy.cap) if subsidy.cap is not None else value


def subsidies(sharing: CostSharing) -> list[tuple[str, Decimal]]:
    return [(s.financer, subsidy_amount(s, sharing.amount)) for s in sharing.subsidies]


def largest_remainder(total: Decimal, weights: list[Decimal]) -> list[Decimal]:
    """``total`` split in proportion to ``weights``, each part in cents, the parts adding up exactly.

    Every part is first rounded down to the cent; the cents left over go one each to the largest
    remainders, ties to the member listed first.
    """
    weight_sum = sum(weights, Decimal(0))
    if weight_sum == 0:
        raise ValueError("the weights add up to 0")
    exact = [total * w / weight_sum for w in weights]
    floors = [e.quantize(CENT, rounding=ROUND_DOWN) for e in exact]
    left = int((total - sum(floors, Decimal(0))) / CENT)
    order = sorted(range(len(weights)), key=lambda i: (-(exact[i] - floors[i]), i))
    for i in order[:left]:
        floors[i] += CENT
    return floors


def split(sharing: CostSharing) -> Split:
    """The whole computation; ``fixed`` shares are taken as written (rule TI061 checks their sum)."""
    subs = subsidies(sharing)
    to_share = sharing.amount - sum((a for _, a in subs), Decimal(0))
    members = sharing.members
    if sharing.key is Key.fixed:
        shares = [m.amount or Decimal(0) for m in members]
    elif sharing.key is Key.weights:
        shares = largest_remainder(to_share, [m.weight or Decimal(0) for m in members])
    else:
        shares = largest_remainder(to_share, [Decimal(1)] * len(members))
    return Split(subs, to_share, shares)


def per_year(shares: list[Decimal], years: int) -> list[list[Decimal]]:
    """Each share divided over ``years`` years, to the cent, the years adding up exactly to the share
    (largest remainder again: an odd cent goes to the first year)."""
    if years < 1:
        raise ValueError("the number of years is at least 1")
    return [largest_remainder(share, [Decimal(1)] * years) for share in shares]
