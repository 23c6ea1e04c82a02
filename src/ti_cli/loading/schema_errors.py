"""Pydantic errors turned into findings at the YAML line and column of the key or value concerned."""

from __future__ import annotations

import difflib
import types
import typing
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from ti_cli.findings import Finding, Severity
from ti_cli.loading.yamlsafe import Document

_MONEY_CODES = {
    "money_type": "TI020", "money_decimals": "TI021", "money_negative": "TI022", "money_too_large": "TI024",
}
_EXPECTED = {
    "date": "a date written YYYY-MM-DD",
    "datetime": "a date written YYYY-MM-DD",
    "int": "a whole number",
    "decimal": "a number",
    "float": "a number",
    "bool": "true or false",
    "string": "text",
    "list": "a list (lines starting with '- ')",
    "dict": "a mapping (lines of 'key: value')",
    "model": "a mapping (lines of 'key: value')",
}
_PATTERNS = {
    r"^[a-z0-9]+(-[a-z0-9]+)*$": "an id in lowercase letters, digits and hyphens, such as 'caro'",
    r"^\d{14}$": "14 digits (a SIRET)",
    r"^\d{4}-Q[1-4]$": "a quarter written YYYY-QN, such as 2021-Q3",
}


def findings_from(exc: ValidationError, doc: Document, file: Path, model: type[BaseModel]) -> list[Finding]:
    return [_finding(err, doc, file, model) for err in exc.errors(include_url=False)]


def _finding(err: Any, doc: Document, file: Path, model: type[BaseModel]) -> Finding:
    loc = tuple(err["loc"])
    kind: str = err["type"]
    mark = doc.mark(loc)
    name = _dotted(loc)
    if kind == "extra_forbidden":
        code, line, col = "TI010", mark.key_line, mark.key_col
        message = f"unknown field '{loc[-1]}'" + _did_you_mean(str(loc[-1]), model, loc[:-1])
    elif kind == "missing":
        code, line, col = "TI011", mark.line, mark.col
        message = f"missing field '{name}'"
    else:
        code, line, col = _code(kind), mark.line, mark.col
        message = f"{name}: {_explain(kind, err)}" if name else _explain(kind, err)
    return Finding(code, Severity.error, message, file, line, col)


def _code(kind: str) -> str:
    if kind in _MONEY_CODES:
        return _MONEY_CODES[kind]
    if kind in ("enum", "literal_error"):
        return "TI013"
    if kind.endswith(("_type", "_parsing")) or kind.startswith(("date_", "datetime_")):
        return "TI012"
    return "TI014"


def _explain(kind: str, err: Any) -> str:
    found = err.get("input")
    if kind in ("enum", "literal_error"):
        allowed = err.get("ctx", {}).get("expected", "").replace("'", "").replace(" or ", ", ")
        return f"'{found}' is not allowed; choose one of: {allowed}"
    if kind in _MONEY_CODES:
        return err["msg"]
    if kind == "string_pattern_mismatch":
        pattern = err.get("ctx", {}).get("pattern", "")
        return f"'{found}' is not {_PATTERNS.get(pattern, f'of the form {pattern}')}"
    prefix = kind.split("_")[0]
    if kind.endswith(("_type", "_parsing")) or prefix in ("date", "datetime"):
        what = _EXPECTED.get(prefix, prefix)
        return f"expected {what}, found {_show(found)}"
    return f"{err['msg'][0].lower()}{err['msg'][1:]} (found {_show(found)})"


def _show(value: Any) -> str:
    if isinstance(value, (dict, list)):
        return "a mapping" if isinstance(value, dict) else "a list"
    return repr(value) if isinstance(value, str) else str(value)


def _dotted(loc: tuple[Any, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _did_you_mean(key: str, model: type[BaseModel], loc: tuple[Any, ...]) -> str:
    target = _model_at(model, loc)
    if target is None:
        return ""
    allowed = list(target.model_fields)
    close = difflib.get_close_matches(key, allowed, n=1)
    hint = f"; did you mean '{close[0]}'?" if close else ""
    return f"{hint} (allowed: {', '.join(allowed)})"


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
