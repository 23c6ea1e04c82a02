"""The Jinja environment every document is rendered in: strict, French filters, sandboxed for users.

A typo in a template must fail loudly (``StrictUndefined``), HTML templates are autoescaped, and a
template a user supplies with ``--templates DIR`` runs in a ``SandboxedEnvironment`` (it can read the
context, not reach Python internals). The user's folder is searched first, the built-in one after, so
a user may override one template and keep the others.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ti_cli import french
from ti_cli.resources import templates_dir as builtin_templates

if TYPE_CHECKING:
    from jinja2 import Environment

_HEADING = re.compile(r"^(#{1,6})(?=\s)", re.MULTILINE)
_FENCE = re.compile(r"^(```|~~~)", re.MULTILINE)


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]|])")
_BREAKING_SPACE = re.compile(r"[ \t\r\n\f\v]+")  # not str.split(): no-break spaces must stay


def one_line(text: str) -> str:
    """Runs of ordinary whitespace made one space; no-break spaces (French typography) kept."""
    return _BREAKING_SPACE.sub(" ", text).strip()


def plain(value: Any) -> str:
    """Text shown as typed, not read as Markdown, on one line: ``*``, ``_``, backquotes, brackets and
    pipes escaped (a title such as ``Action *pilote*`` keeps its stars; safe in a table cell too)."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", one_line("" if value is None else str(value)))


def cell(value: Any) -> str:
    """Markdown safe inside a table cell: one line, pipes escaped (emphasis kept; for text that must
    show as typed, use ``plain``)."""
    text = "" if value is None else str(value)
    return one_line(text).replace("|", "\\|")


def demote(markdown: str, levels: int = 1) -> str:
    """Shift every ATX heading down ``levels`` (``#`` → ``##``), leaving fenced code alone, capped at h6."""
    if _FENCE.search(markdown):
        parts = re.split(r"(^(?:```|~~~)[\s\S]*?^(?:```|~~~)\s*$)", markdown, flags=re.MULTILINE)
        return "".join(p if i % 2 else demote(p, levels) for i, p in enumerate(parts))
    return _HEADING.sub(lambda m: "#" * min(6, len(m.group(1)) + levels), markdown)


def nobreak(value: Any) -> str:
    """Spaces made non-breaking: a short label (``En cours``) stays on one line in a narrow column."""
    return str(value).replace(" ", french.NBSP)


def signed(value: Any, decimals: int | None = None) -> str:
    """An amount with its sign, for variances: ``+1 500 €``, ``−1 500 €``, ``0 €``."""
    return french.signed(value, "€", decimals)


def points(value: Any) -> str:
    """A change of percentage: ``+10 pts``, ``−5 pts``, ``0 pt``."""
    if value is None:
        return "–"
    decimals = 0 if value == int(value) else 1
    return french.signed(value, f"pt{'s' if abs(value) > 1 else ''}", decimals)


def quarter_label(quarter: str) -> str:
    """``2021-Q4`` → ``4e trimestre 2021``; ``2022-Q1`` → ``1er trimestre 2022``."""
    year, _, number = quarter.partition("-Q")
    return f"{number}{'er' if number == '1' else 'e'}{french.NBSP}trimestre {year}"


def join(values: Any, last: str = " et ") -> str:
    """``a, b et c``: a French enumeration."""
    items = [str(v) for v in values]
    return ", ".join(items[:-1]) + last + items[-1] if len(items) > 1 else "".join(items)


FILTERS = {
    "euros": french.euros,
    "number": french.number,
    "percent": french.percent,
    "date_long": french.date_long,
    "date_short": french.date_short,
    "cell": cell,
    "plain": plain,
    "demote": demote,
    "signed": signed,
    "nobreak": nobreak,
    "points": points,
    "quarter_label": quarter_label,
    "enumerate_fr": join,
}


def _autoescape(name: str | None) -> bool:
    # select_autoescape() would not recognise the ``.html.j2`` double extension.
    return bool(name) and name.removesuffix(".j2").endswith((".html", ".htm", ".xml"))  # type: ignore[union-attr]


def environment(templates_dir: Path | None = None) -> Environment:
    """The environment for the built-in templates, or a sandboxed one looking in ``templates_dir`` first."""
    return _environment(templates_dir.resolve() if templates_dir else None)


MAX_REPEAT = 100_000  # a user template may not build a string or list longer than this with ``*``
MAX_EXPONENT = 100


def _sandbox() -> type[Environment]:
    """Jinja's sandbox, also refusing ``"a" * 10**12`` (it would eat the memory before failing)."""
    from jinja2.exceptions import SecurityError
    from jinja2.sandbox import SandboxedEnvironment

    class Sandbox(SandboxedEnvironment):
        intercepted_binops = frozenset({"*", "**"})

        def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
            if operator == "**" and isinstance(right, int) and abs(right) > MAX_EXPONENT:
                raise SecurityError(f"exponent {right} is too large")
            if operator == "*":
                for seq, count in ((left, right), (right, left)):
                    if isinstance(seq, (str, list, tuple)) and isinstance(count, int) and count > MAX_REPEAT:
                        raise SecurityError(f"repeating a value {count} times is too much")
            return super().call_binop(context, operator, left, right)

    return Sandbox


@lru_cache(maxsize=8)
def _environment(templates_dir: Path | None) -> Environment:
    from jinja2 import Environment, FileSystemLoader, StrictUndefined

    # The built-in templates ship in the package (ti_cli.resources), found the same way installed or not.
    folders = [builtin_templates()] if templates_dir is None else [templates_dir, builtin_templates()]
    kind = Environment if templates_dir is None else _sandbox()
    env = kind(
        loader=FileSystemLoader([str(f) for f in folders]),
        undefined=StrictUndefined,
        autoescape=_autoescape,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(FILTERS)
    return env
