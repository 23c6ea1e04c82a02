"""Money, dates and numbers printed the French way: one place, used by every output."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
NBSP = "\u202f"  # narrow no-break space, the French thousands separator in print
MONTHS = (
    "janvier", "février", "mars", "avril", "mai", "juin",
    "juillet", "août", "septembre", "octobre", "novembre", "décembre",
)


def cents(amount: Decimal) -> Decimal:
    """Round to the cent, half away from zero (Decimal's default is half-even)."""
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def json_amount(amount: Decimal | None) -> str | None:
    """Amounts in JSON: strings with exactly two decimals, never floats."""
    return None if amount is None else f"{cents(amount):.2f}"


def group_thousands(integer: str, sep: str = " ") -> str:
    head = len(integer) % 3 or 3
    parts = [integer[:head]] + [integer[i : i + 3] for i in range(head, len(integer), 3)]
    return sep.join(parts)


def number(value: Decimal | int, decimals: int | None = None, sep: str = " ") -> str:
    """``16753500`` → ``16 753 500``; ``11593.5`` → ``11 593,50``; cents only when there are some."""
    value = Decimal(value)
    if decimals is None:
        decimals = 0 if value == value.to_integral_value() else 2
    quantum = Decimal(1).scaleb(-decimals)
    text = f"{abs(value.quantize(quantum, rounding=ROUND_HALF_UP)):f}"
    integer, _, fraction = text.partition(".")
    sign = "-" if value < 0 else ""
    out = sign + group_thousands(integer, sep)
    return f"{out},{fraction}" if fraction else out


def euros(value: Decimal | int | None, decimals: int | None = None, sep: str = " ") -> str:
    """``16 753 500 €``, ``11 593,50 €``; an unknown amount prints as a dash."""
    if value is None:
        return "–"
    return f"{number(value, decimals, sep)} €"


def percent(value: Decimal | float | int | None, decimals: int = 0) -> str:
    if value is None:
        return "–"
    return f"{number(Decimal(str(value)), decimals)} %"


def date_long(value: dt.date | None) -> str:
    """``17 mars 2022``; the first of the month is written ``1er``."""
    if value is None:
        return "–"
    day = "1er" if value.day == 1 else str(value.day)
    return f"{day} {MONTHS[value.month - 1]} {value.year}"


def date_short(value: dt.date | None) -> str:
    return "–" if value is None else value.strftime("%d/%m/%Y")
