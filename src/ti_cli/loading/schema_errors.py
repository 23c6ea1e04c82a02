"""Pydantic errors turned into findings at the YAML line and column of the key or value concerned."""

from __future__ import annotations

import difflib
import re
import types
import typing
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from ti_cli.findings import Finding, Severity
from ti_cli.i18n import N_, _
from ti_cli.loading.positions import position
from ti_cli.loading.yamlsafe import Document

_MONEY_CODES = {
    "money_type": "TI020",
    "money_decimals": "TI021",
    "money_negative": "TI022",
    "money_too_large": "TI024",
}
_EXPECTED = {
    "date": N_("a date written YYYY-MM-DD"),
    "datetime": N_("a date written YYYY-MM-DD"),
    "int": N_("a whole number"),
    "decimal": N_("a number"),
    "float": N_("a number"),
    "bool": N_("true or false"),
    "string": N_("text"),
    "list": N_("a list (lines starting with '- ')"),
    "dict": N_("a mapping (lines of 'key: value')"),
    "model": N_("a mapping (lines of 'key: value')"),
}
_PATTERNS = {
    r"^[a-z0-9]+(-[a-z0-9]+)*$": N_("an id in lowercase letters, digits and hyphens, such as 'caro'"),
    r"^\d{14}$": N_("14 digits (a SIRET)"),
    r"^\d{4}-Q[1-4]$": N_("a quarter written YYYY-QN, such as 2021-Q3"),
}


def findings_from(exc: ValidationError, doc: Document, file: Path, model: type[BaseModel]) -> list[Finding]:
    return [_finding(err, doc, file, model) for err in exc.errors(include_url=False)]


def _finding(err: ErrorDetails, doc: Document, file: Path, model: type[BaseModel]) -> Finding:
    loc = tuple(err["loc"])
    kind: str = err["type"]
    mark = doc.mark(loc)
    name = position(loc)
    if kind == "extra_forbidden":
        code, line, col = "TI010", mark.key_line, mark.key_col
        message = _did_you_mean(str(loc[-1]), model, loc[:-1])
        if len(loc) > 1:
            message = _("{where}: {problem}").format(where=position(loc[:-1]), problem=message)
    elif kind == "missing":
        code, line, col = "TI011", mark.line, mark.col
        message = (
            _("missing field '{name}'").format(name=loc[-1])
            if len(loc) < 2
            else _("{where}: missing field '{name}'").format(where=position(loc[:-1]), name=loc[-1])
        )
    else:
        code, line, col = _code(kind), mark.line, mark.col
        message = (
            _("{where}: {problem}").format(where=name, problem=_explain(kind, err)) if name else _explain(kind, err)
        )
    return Finding(code, Severity.error, message, file, line, col)


_WRITTEN_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")  # well written, yet no such day (2021-02-30)


def _code(kind: str) -> str:
    if kind in _MONEY_CODES:
        return _MONEY_CODES[kind]
    if kind in ("enum", "literal_error"):
        return "TI013"
    if kind.endswith(("_type", "_parsing")) or kind.startswith(("date_", "datetime_")):
        return "TI012"
    return "TI014"


def _explain(kind: str, err: ErrorDetails) -> str:
    found = err.get("input")
    if kind in ("enum", "literal_error"):
        allowed = err.get("ctx", {}).get("expected", "").replace("'", "").replace(" or ", ", ")
        choices = {choice.casefold(): choice for choice in allowed.split(", ")}
        close = difflib.get_close_matches(str(found).casefold(), list(choices), n=1, cutoff=0.75)
        if close:
            return _("'{found}' is not allowed; did you mean {close}? Choose one of: {allowed}").format(
                found=found, close=choices[close[0]], allowed=allowed
            )
        return _("'{found}' is not allowed; choose one of: {allowed}").format(found=found, allowed=allowed)
    if kind in _MONEY_CODES:
        return err["msg"]
    if kind == "string_pattern_mismatch":
        pattern = err.get("ctx", {}).get("pattern", "")
        if pattern in _PATTERNS:
            return _("'{found}' is not {what}").format(found=found, what=_(_PATTERNS[pattern]))
        return _("'{found}' is not of the form {pattern}").format(found=found, pattern=pattern)
    prefix = kind.split("_")[0]
    if prefix == "date" and isinstance(found, str) and _WRITTEN_DATE.fullmatch(found.strip()):
        return _("'{found}' is written as a date but no such day exists").format(found=found.strip())
    if kind.endswith(("_type", "_parsing")) or prefix in ("date", "datetime"):
        what = _(_EXPECTED[prefix]) if prefix in _EXPECTED else prefix
        return _("expected {what}, found {found}").format(what=what, found=_show(found))
    return _("{problem} (found {found})").format(problem=f"{err['msg'][0].lower()}{err['msg'][1:]}", found=_show(found))


def _show(value: Any) -> str:
    if isinstance(value, (dict, list)):
        return _("a mapping") if isinstance(value, dict) else _("a list")
    return repr(value) if isinstance(value, str) else str(value)


def _did_you_mean(key: str, model: type[BaseModel], loc: tuple[Any, ...]) -> str:
    """« champ inconnu « titel » ; vouliez-vous dire « title » ? (permis : …) »."""
    target = _model_at(model, loc)
    if target is None:
        return _("unknown field '{name}'").format(name=key)
    allowed = list(target.model_fields)
    close = difflib.get_close_matches(key, allowed, n=1)
    if close:
        return _("unknown field '{name}'; did you mean '{close}'? (allowed: {allowed})").format(
            name=key, close=close[0], allowed=", ".join(allowed)
        )
    return _("unknown field '{name}' (allowed: {allowed})").format(name=key, allowed=", ".join(allowed))


def _model_at(model: type[BaseModel], loc: tuple[Any, ...]) -> type[BaseModel] | None:
    current: Any = model
    for part in loc:
        if isinstance(part, int):
            continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)) or part not in current.model_fields:
            return None
        current = _inner_model(current.model_fields[part].annotation)
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def _inner_model(annotation: Any) -> Any:
    """``list[X] | None`` → ``X``: the model a nested field holds."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    if isinstance(annotation, types.UnionType) or typing.get_origin(annotation) is typing.Union:
        for arg in typing.get_args(annotation):
            found = _inner_model(arg)
            if found is not None:
                return found
        return None
    args = typing.get_args(annotation)
    return _inner_model(args[-1]) if args else None
