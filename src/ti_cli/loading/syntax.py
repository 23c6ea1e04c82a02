"""A YAML syntax error said in plain words, with the fix for the usual slips of someone typing a fiche
action by hand: a ``:`` inside an unquoted title, a tab, no space after ``:``, a line indented unlike
its neighbours, a quote never closed. libyaml's own message (English, in its terms) is the last resort.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import yaml

from ti_cli.i18n import _

_KEY_VALUE_COLON = re.compile(
    r"^(?P<indent>\s*(?:-\s+)?)(?P<key>[\w.-]+):[ \t]+(?P<value>[^\"'\[{#|>][^#]*?:\s.*?)\s*$"
)
_NO_SPACE = re.compile(r"^(?P<indent>\s*(?:-\s+)?)(?P<key>[\w.-]+):(?P<value>[^\s/].*?)\s*$")
_ALIAS_NAME = re.compile(r"\*(?P<name>[^\s,\]}]+)")


@dataclass(frozen=True)
class Explained:
    message: str
    details: tuple[str, ...]
    line: int  # 1-based
    column: int


def explain(exc: yaml.MarkedYAMLError, text: str) -> Explained:
    """What went wrong, where, and how to fix it."""
    lines = text.splitlines()
    problem = exc.problem or ""
    mark = exc.problem_mark or exc.context_mark
    line = mark.line if mark else 0
    column = mark.column + 1 if mark else 1
    context_line = exc.context_mark.line if exc.context_mark else line

    def at(index: int) -> str:
        return lines[index] if 0 <= index < len(lines) else ""

    if "tab" in problem or "\t" in problem or (at(line)[:column].strip() == "" and "\t" in at(line)[:column]):
        fixed = at(line).replace("\t", "  ")
        return Explained(
            _("a tab is used to indent this line: YAML indents with spaces only"),
            (_("fix: {line}").format(line=fixed.rstrip()),),
            line + 1,
            column,
        )
    if "could not find expected ':'" in problem:
        found = _NO_SPACE.match(at(context_line))
        if found:
            fixed = f"{found['indent']}{found['key']}: {found['value']}"
            return Explained(
                _("a space is missing after the colon of '{key}'").format(key=found["key"]),
                (_("fix: {line}").format(line=fixed),),
                context_line + 1,
                len(found["indent"]) + len(found["key"]) + 2,
            )
        return Explained(
            _(
                "this line is not of the form 'field: value': add the field and its colon, or indent "
                "it under the field whose value it continues"
            ),
            (),
            context_line + 1,
            1,
        )
    if "mapping values are not allowed" in problem:
        found = _KEY_VALUE_COLON.match(at(line))
        if found:
            value = found["value"].replace('"', '\\"')
            fixed = f'{found["indent"]}{found["key"]}: "{value}"'
            return Explained(
                _("the value of '{key}' holds a colon followed by a space: put the value in quotes").format(
                    key=found["key"]
                ),
                (_("fix: {line}").format(line=fixed),),
                line + 1,
                column,
            )
        return _indentation(line, column)
    if "did not find expected key" in problem or "expected <block end>" in problem:
        return _indentation(line, column)
    if "end of stream" in problem and "quoted" in (exc.context or ""):
        return Explained(
            _("a quote opened here is never closed: close it at the end of the value"),
            (),
            context_line + 1,
            (exc.context_mark.column + 1) if exc.context_mark else 1,
        )
    if "expected ',' or ']'" in problem or "expected ',' or '}'" in problem:
        closing = "]" if "]" in problem else "}"
        return Explained(
            _("a list or mapping written between brackets is not closed: add '{closing}'").format(closing=closing),
            (),
            context_line + 1,
            (exc.context_mark.column + 1) if exc.context_mark else 1,
        )
    return _other(exc, at(line)[column - 1 :], line, column)


def _other(exc: yaml.MarkedYAMLError, there: str, line: int, column: int) -> Explained:
    """The rarer slips, named in words; libyaml's own message (English) only for what is left. ``there``:
    the line from the place of the problem (libyaml's messages name neither the character nor the alias)."""
    problem = exc.problem or ""
    if "cannot start any token" in problem and there:
        return Explained(
            _("a value cannot start with '{char}': put the value in quotes").format(char=there[0]), (), line + 1, column
        )
    if "undefined alias" in problem:
        found = _ALIAS_NAME.match(there)
        name = found["name"] if found else "…"
        return Explained(
            _(
                "'*{name}' refers to no '&{name}' above: YAML reads a '*' at the start of a value as "
                "such a reference — put the value in quotes"
            ).format(name=name),
            (),
            line + 1,
            column,
        )
    if "unknown escape character" in problem:
        return Explained(
            _(
                "a backslash inside double quotes starts an escape sequence: write the value between "
                "single quotes ('C:\\dossier') or double the backslash"
            ),
            (),
            line + 1,
            column,
        )
    english = "; ".join(p for p in (exc.context, exc.problem) if p) or str(exc)
    return Explained(_("YAML syntax: {problem}").format(problem=english), (), line + 1, column)


def _indentation(line: int, column: int) -> Explained:
    return Explained(
        _(
            "this line is not indented like the lines around it: align it with the other fields of "
            "the same level (spaces only)"
        ),
        (),
        line + 1,
        column,
    )
