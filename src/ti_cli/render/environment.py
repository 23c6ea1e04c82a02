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
from ti_cli.i18n import _, ngettext
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
    year, _sep, number = quarter.partition("-Q")
    return f"{number}{'er' if number == '1' else 'e'}{french.NBSP}trimestre {year}"


def join(values: Any, last: str = " et ") -> str:
    """``a, b et c``: a French enumeration."""
    items = [str(v) for v in values]
    return ", ".join(items[:-1]) + last + items[-1] if len(items) > 1 else "".join(items)


ENGLISH_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def day(value: Any) -> str:
    """A date in the chosen language, for the pages of ``ti serve`` (documents use ``date_long``)."""
    from ti_cli.i18n import language

    if language() == "fr" or value is None:
        return french.date_long(value)
    return f"{value.day} {ENGLISH_MONTHS[value.month - 1]} {value.year}"


def quarter(value: str) -> str:
    """A quarter in the chosen language, for the pages of ``ti serve``: « 4e trimestre 2021 », Q4 2021."""
    from ti_cli.i18n import language

    if language() == "fr":
        return quarter_label(value)
    year, _sep, number = value.partition("-Q")
    return f"Q{number} {year}"


def quantity(value: Any) -> str:
    """An indicator's value French style, with the decimals it has: ``6,5``, ``4 000`` (``–`` for none)."""
    from decimal import Decimal

    if value is None:
        return "–"
    integer, _sep, fraction = f"{Decimal(value).normalize():f}".partition(".")
    sign = french.MINUS if integer.startswith("-") else ""
    return sign + french.group_thousands(integer.lstrip("-")) + (f",{fraction}" if fraction else "")


FILTERS = {
    "euros": french.euros,
    "quantity": quantity,
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
    "day": day,
    "quarter": quarter,
}


def _autoescape(name: str | None) -> bool:
    # select_autoescape() would not recognise the ``.html.j2`` double extension.
    return name is not None and name.removesuffix(".j2").endswith((".html", ".htm", ".xml"))


def environment(templates_dir: Path | None = None) -> Environment:
    """The environment for the built-in templates, or a sandboxed one looking in ``templates_dir`` first."""
    return _environment(templates_dir.resolve() if templates_dir else None)


# What a user template (``--templates``) may build: no value or document longer than MAX_SIZE items or
# characters, no number above it as a width or count, no rendering longer than MAX_SECONDS.
MAX_SIZE = 5_000_000
MAX_EXPONENT = 100
MAX_SECONDS = 20.0
_WIDTH = re.compile(r"%[-+ #0]*(\d+)|\{[^{}]*?(\d+)[^{}]*\}")


def _too_big(what: str) -> Exception:
    from jinja2.exceptions import SecurityError

    return SecurityError(
        _("template too greedy: {what} goes over the limit of {limit} (characters, items or width)").format(
            what=what, limit=f"{MAX_SIZE:,}".replace(",", " ")
        )
    )


def _size(value: Any) -> int:
    return len(value) if isinstance(value, (str, bytes, list, tuple, dict, set)) else 0


def _check_widths(fmt: Any) -> None:
    """``'%999999999d' % 1`` or ``'{:>999999999}'``: a format string may not ask for a huge width."""
    if isinstance(fmt, str) and any(int(w or v or 0) > MAX_SIZE for w, v in _WIDTH.findall(fmt)):
        raise _too_big(_("a format width"))


_SIZED_FILTERS = frozenset({"center", "indent", "wordwrap", "truncate", "batch", "slice", "replace"})


def _bounded_filter(name: str, function: Any) -> Any:
    """A filter whose widths and counts, and whose result, are bounded by MAX_SIZE."""
    import functools

    @functools.wraps(function)
    def bounded(*args: Any, **kwargs: Any) -> Any:
        if name in _SIZED_FILTERS:
            for arg in (*args, *kwargs.values()):
                if isinstance(arg, (int, float)) and not isinstance(arg, bool) and abs(arg) > MAX_SIZE:
                    raise _too_big(_("the argument {value}").format(value=repr(arg)))
        if name == "format" and args:
            _check_widths(args[0])
        result = function(*args, **kwargs)
        if _size(result) > MAX_SIZE:
            raise _too_big(_("the result of a filter"))
        return result

    return bounded


class _Deadline:
    """Stops a sandboxed rendering after MAX_SECONDS, portably (no signal: Windows has no SIGALRM).

    Only frames of compiled templates are traced, line by line, so the cost falls on user templates
    alone; a loop with an empty body still runs lines of the template's code, hence is stopped too."""

    def __init__(self) -> None:
        import time

        self.clock = time.monotonic
        self.end = self.clock() + MAX_SECONDS

    def _global(self, frame: Any, event: str, arg: Any) -> Any:
        name = frame.f_code.co_filename
        return self._local if name.endswith(".j2") or name.startswith("<") else None

    def _local(self, frame: Any, event: str, arg: Any) -> Any:
        if self.clock() > self.end:
            from jinja2.exceptions import SecurityError

            raise SecurityError(
                _("template too slow to produce: more than {seconds} s").format(seconds=f"{MAX_SECONDS:.0f}")
            )
        return self._local


def _sandbox() -> type[Environment]:
    """Jinja's sandbox, also bounding what a template builds (``"a" * 10**12`` would eat the memory
    before failing) and how long it runs."""
    import sys

    from jinja2.compiler import CodeGenerator
    from jinja2.exceptions import SecurityError
    from jinja2.sandbox import SandboxedEnvironment

    class BoundedCodeGenerator(CodeGenerator):
        def visit_Concat(self, node: Any, frame: Any) -> None:
            # ``a ~ b`` goes through the environment, which checks the length of the result first.
            self.write("environment.bounded_join(")
            super().visit_Concat(node, frame)
            self.write(")")

    class Sandbox(SandboxedEnvironment):
        intercepted_binops = frozenset({"*", "**", "+", "%"})
        code_generator_class = BoundedCodeGenerator

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self.tracing = False

        def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
            if operator == "**" and isinstance(right, (int, float)) and abs(right) > MAX_EXPONENT:
                raise SecurityError(f"exponent {right} is too large")
            if operator == "*":
                for seq, count in ((left, right), (right, left)):
                    if _size(seq) and isinstance(count, int) and _size(seq) * count > MAX_SIZE:
                        raise _too_big(_("a repetition"))
            elif operator == "+" and _size(left) + _size(right) > MAX_SIZE:
                raise _too_big(_("a concatenation"))
            elif operator == "%":
                _check_widths(left)
            return super().call_binop(context, operator, left, right)

        def wrap_str_format(self, value: Any) -> Any:
            _check_widths(getattr(value, "__self__", None))  # ``'{:>999999999}'.format(1)``
            return super().wrap_str_format(value)

        def bounded_join(self, value: str) -> str:
            if len(value) > MAX_SIZE:
                raise _too_big(_("a concatenation"))
            return value

        def concat(self, parts: Any) -> str:
            """The whole document (and every macro's output): bounded in size and in time."""
            deadline = None if self.tracing else _Deadline()
            if deadline is not None:
                self.tracing = True
                previous = sys.gettrace()
                sys.settrace(deadline._global)
            try:
                out: list[str] = []
                size = 0
                for part in parts:
                    size += len(part)
                    if size > MAX_SIZE:
                        raise _too_big(_("the document produced"))
                    out.append(part)
                return "".join(out)
            finally:
                if deadline is not None:
                    sys.settrace(previous)
                    self.tracing = False

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
    # the pages of ti serve speak the chosen language (documents are written in French, without them)
    env.globals.update({"_": _, "ngettext": ngettext})
    if templates_dir is not None:
        env.filters.update({name: _bounded_filter(name, f) for name, f in env.filters.items()})
        env.globals["lipsum"] = _bounded_lipsum  # Jinja's runs in its own code, where the deadline cannot see
    return env


MAX_LIPSUM = 100  # paragraphs, and words per paragraph ×10: a placeholder text, not a denial of service


def _bounded_lipsum(n: int = 5, html: bool = True, min: int = 20, max: int = 100) -> str:
    from jinja2.utils import generate_lorem_ipsum

    if not all(isinstance(v, int) and 0 <= v <= MAX_LIPSUM * 10 for v in (n, min, max)) or n > MAX_LIPSUM:
        raise _too_big(_("lipsum"))
    return str(generate_lorem_ipsum(n=n, html=html, min=min, max=max))
