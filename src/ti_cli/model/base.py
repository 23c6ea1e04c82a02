"""Shared building blocks of the models: strictness, slugs, money."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, WithJsonSchema
from pydantic_core import PydanticCustomError

from ti_cli.i18n import _
from ti_cli.numbers import out_of_bounds

MAX_AMOUNT = Decimal(10) ** 12
"""No amount above a thousand billion euros: far above any contract, far below where sums stop being
exact (``ti_cli.numbers``) or int64 cents overflow (pandas, 9.2 × 10¹⁶ €)."""


class Strict(BaseModel):
    """Unknown keys are errors: a typo in a field name must not silently drop data."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True, defer_build=True)


Slug = Annotated[str, Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")]
Text = Annotated[str, Field(min_length=1)]

_MULTIPLIERS = {"m€": Decimal(1_000_000), "meur": Decimal(1_000_000), "k€": Decimal(1000), "keur": Decimal(1000)}


def suggest_number(text: str) -> Decimal | None:
    """What a French-written amount such as ``16 753 500 €`` or ``1,5 M€`` should be as a YAML number."""
    cleaned = re.sub(r"[\s\u00a0\u202f]", "", text).lower()
    factor = Decimal(1)
    for suffix, mult in _MULTIPLIERS.items():
        if cleaned.endswith(suffix):
            cleaned, factor = cleaned[: -len(suffix)], mult
            break
    cleaned = cleaned.removesuffix("€").removesuffix("eur").removesuffix("euros")
    if cleaned.count(",") == 1 and "." not in cleaned:
        cleaned = cleaned.replace(",", ".")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        return None
    return None if out_of_bounds(value) else value * factor


def plain(value: Decimal) -> str:
    """A Decimal as one writes it in YAML: no exponent, no trailing zeros beyond the cents."""
    text = f"{value.normalize():f}"
    return text


def _money(value: Any) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, (int, Decimal, float, str)):
        raise PydanticCustomError("money_type", _("an amount must be a number of euros, e.g. 16753500"))
    if isinstance(value, str):
        hint = suggest_number(value)
        if hint is None:
            raise PydanticCustomError(
                "money_type",
                _("'{text}' is not an amount: write a plain number of euros, e.g. 16753500"),
                {"text": value},
            )
        raise PydanticCustomError(
            "money_type",
            _("'{text}' is text, not a number: write {hint}"),
            {"text": value, "hint": plain(hint)},
        )
    amount = value if isinstance(value, Decimal) else Decimal(str(value))
    if not amount.is_finite():
        raise PydanticCustomError("money_type", _("an amount must be a finite number of euros"))
    if abs(amount) > MAX_AMOUNT:  # before any quantize or format, which a huge number would break
        raise PydanticCustomError(
            "money_too_large",
            _("amount above 10¹² € (a thousand billion): check the number of digits"),
        )
    exponent = amount.as_tuple().exponent  # an int: the amount is finite ('n', 'N', 'F' are not)
    if isinstance(exponent, int) and exponent < -2 and amount != amount.quantize(Decimal("0.01")):
        raise PydanticCustomError(
            "money_decimals",
            _("{value} has more than 2 decimals: amounts are in euros and cents"),
            {"value": plain(amount)},
        )
    if amount < 0:
        raise PydanticCustomError(
            "money_negative", _("{value} is negative: amounts are never below 0"), {"value": plain(amount)}
        )
    return amount


# In the JSON Schema a number of euros, from 0 to 10¹²: the editor refuses « 16 753 500 € » as ti does.
Money = Annotated[Decimal, BeforeValidator(_money), WithJsonSchema({"type": "number", "minimum": 0, "maximum": 10**12})]

FIRST_DAY, LAST_DAY = dt.date(1900, 1, 1), dt.date(2199, 12, 31)


def _day(value: dt.date) -> dt.date:
    if not FIRST_DAY <= value <= LAST_DAY:
        raise PydanticCustomError(
            "day_out_of_range",
            _("date out of bounds: between 1900 and 2199 (the computed deadlines depend on it)"),
        )
    return value


Day = Annotated[dt.date, AfterValidator(_day)]
"""A date from which ``ti`` computes others (memberships, reviews): bounded so that adding years or
months to it always stays a date (Python's dates end in 9999)."""
