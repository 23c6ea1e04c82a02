"""Money, dates, numbers and punctuation printed the French way: one place, used by every output.

Typography (Imprimerie nationale): a narrow no-break space (U+202F) between thousands, a no-break space
(U+00A0) before ``€`` and ``%`` and before ``:``, inside « »; a narrow one before ``;`` ``!`` ``?``;
a true minus (U+2212) before a negative amount. Nothing that belongs together can then break across
a line, in a terminal, a Markdown file, a web page, a Word file, a PDF or a chart.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from ti_cli.typography import NBSP, NNBSP, typography

__all__ = ["NBSP", "NNBSP", "typography"]  # re-exported: documents take all their typography from here

CENT = Decimal("0.01")
MINUS = "\u2212"  # the minus sign of a negative amount (a hyphen is for words)
MONTHS = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)


def cents(amount: Decimal) -> Decimal:
    """Round to the cent, half away from zero (Decimal's default is half-even)."""
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def json_amount(amount: Decimal | None) -> str | None:
    """Amounts in JSON: strings with exactly two decimals, never floats."""
    return None if amount is None else f"{cents(amount):.2f}"


def group_thousands(integer: str, sep: str = NNBSP) -> str:
    head = len(integer) % 3 or 3
    parts = [integer[:head]] + [integer[i : i + 3] for i in range(head, len(integer), 3)]
    return sep.join(parts)


def count(n: int) -> str:
    """A count in a message (bytes, nodes) grouped the way the message's language writes it:
    ``27 750 825`` in French, ``27,750,825`` in English."""
    from ti_cli.i18n import language

    return group_thousands(str(n)) if language() == "fr" else f"{n:,}"


def number(value: Decimal | int, decimals: int | None = None, sep: str = NNBSP) -> str:
    """``16753500`` → ``16 753 500``; ``11593.5`` → ``11 593,50``; cents only when there are some;
    ``-7220000`` → ``−7 220 000`` (true minus)."""
    value = Decimal(value)
    if decimals is None:
        decimals = 0 if value == value.to_integral_value() else 2
    quantum = Decimal(1).scaleb(-decimals)
    text = f"{abs(value.quantize(quantum, rounding=ROUND_HALF_UP)):f}"
    integer, _, fraction = text.partition(".")
    sign = MINUS if value < 0 and text.strip("0.") else ""
    out = sign + group_thousands(integer, sep)
    return f"{out},{fraction}" if fraction else out


def euros(value: Decimal | int | None, decimals: int | None = None, sep: str = NNBSP) -> str:
    """``16 753 500 €``, ``11 593,50 €``; an unknown amount prints as a dash."""
    if value is None:
        return "–"
    return f"{number(value, decimals, sep)}{NBSP}€"


def percent(value: Decimal | float | int | None, decimals: int | None = 0) -> str:
    if value is None:
        return "–"
    return f"{number(Decimal(str(value)), decimals)}{NBSP}%"


def date_long(value: dt.date | None) -> str:
    """``17 mars 2022``; the first of the month is written ``1er``."""
    if value is None:
        return "–"
    day = "1er" if value.day == 1 else str(value.day)
    return f"{day}{NBSP}{MONTHS[value.month - 1]} {value.year}"


def date_short(value: dt.date | None) -> str:
    return "–" if value is None else value.strftime("%d/%m/%Y")


def signed(value: Decimal | int | None, unit: str = "€", decimals: int | None = None) -> str:
    """A change with its sign: ``+1 500 €``, ``−1 500 €``, ``0 €``; ``unit`` may be ``%`` or ``""``."""
    if value is None:
        return "–"
    text = number(value, decimals)
    text = f"+{text}" if value > 0 and text.strip("0,") else text
    return f"{text}{NBSP}{unit}" if unit else text


PLAIN = {NNBSP: " ", NBSP: " ", MINUS: "-", "\u2013": "-", "\u2014": "-", "«": '"', "»": '"'}


def plain_fallback(error: UnicodeError) -> tuple[str, int]:
    """Codec error handler for a terminal or pipe that cannot show French typography (a Windows
    console in cp1252 cannot encode U+202F): ordinary spaces and hyphens instead of a crash."""
    if not isinstance(error, UnicodeEncodeError):
        raise error
    text = error.object[error.start : error.end]
    return "".join(PLAIN.get(c, "?") for c in text), error.end


def ordinal(n: int, feminine: bool = False) -> str:
    """A position as people count it: « 1re », « 1er », « 4e » (in English, with ``--lang en``: 1st, 4th)."""
    from ti_cli.i18n import language

    if language() == "en":
        suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
        return f"{n}{suffix}"
    if n == 1:
        return "1re" if feminine else "1er"
    return f"{n}e"
