"""The bounds of every number ``ti`` reads, and the one decimal context it computes in.

No real contract, pacte or spreadsheet holds a number of more than 18 digits before the decimal point
or 24 significant digits: anything beyond is refused where it is read (the YAML loader, the xlsx
reader), with its line and column, before it can reach ``int()`` (4 300-digit limit), a quantize
(precision) or a formatter (``1e999999999`` written out is a gigabyte). Amounts have their own,
tighter bound (``model.base.MAX_AMOUNT``).

Within these bounds, 40 digits of precision make every sum and difference exact: at most 100 000
values of at most 24 significant digits between 10⁻¹⁶ and 10¹⁸ need 18 + 5 + 16 < 40 digits.
"""

from __future__ import annotations

import decimal
from decimal import Decimal

MAX_INTEGER_DIGITS = 18
# The largest action number: as many digits as any number ti reads (a YAML integer past it is TI009).
MAX_ACTION_NUMBER = 10**MAX_INTEGER_DIGITS - 1
MAX_SIGNIFICANT_DIGITS = 24
PRECISION = 40

CONTEXT = decimal.Context(
    prec=PRECISION,
    rounding=decimal.ROUND_HALF_EVEN,
    Emax=999_999,
    Emin=-999_999,
    traps=[decimal.InvalidOperation, decimal.DivisionByZero, decimal.Overflow],
)


def install_context() -> None:
    """Make ``CONTEXT`` the context of this thread and of every thread started afterwards."""
    decimal.setcontext(CONTEXT.copy())
    decimal.DefaultContext.prec = PRECISION


def out_of_bounds(value: Decimal) -> str | None:
    """Why ``value`` is not a number ``ti`` accepts, or None. Never formats ``value`` itself."""
    from ti_cli.i18n import _

    if not value.is_finite():
        return _("this number is not finite")
    if value.is_zero():
        return None
    digits = value.as_tuple().digits
    significant = len(digits) - next((i for i, d in enumerate(reversed(digits)) if d), 0)
    if value.adjusted() >= MAX_INTEGER_DIGITS:
        return _("number too large: at most {n} digits before the decimal point").format(n=MAX_INTEGER_DIGITS)
    if value.adjusted() < -MAX_SIGNIFICANT_DIGITS or significant > MAX_SIGNIFICANT_DIGITS:
        return _("number too precise: at most {n} significant digits").format(n=MAX_SIGNIFICANT_DIGITS)
    return None


def is_large_literal(text: str) -> bool:
    """Whether a numeric literal needs ``out_of_bounds`` (a cheap test: ordinary numbers are short)."""
    return len(text) > MAX_INTEGER_DIGITS or "e" in text or "E" in text


install_context()
