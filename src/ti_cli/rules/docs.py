"""``docs/rules.md`` generated from the registry, so the documentation cannot drift from the rules.

Run ``make docs`` (``python -m ti_cli.rules.docs > docs/rules.md``); a test checks the file is current.
"""

from __future__ import annotations

import textwrap

from ti_cli.rules.codes import LOADING
from ti_cli.rules.registry import all_rules


def markdown() -> str:
    out = [
        "# Rules of `ti validate`",
        "",
        "Generated from the rules' own docstrings by `make docs`; do not edit by hand.",
        "Every finding reads `file:line:col: severity CODE message`. Errors make `ti validate` exit 1;",
        "warnings too with `--strict`. Codes never change meaning and are never reused.",
        "",
        "## Loading and schema (every file)",
        "",
        "| code | name | what it means |",
        "|---|---|---|",
        *(f"| {code} | {name} | {text} |" for code, (name, text) in sorted(LOADING.items())),
        "",
        "## Rules",
    ]
    for code, rule in sorted(all_rules().items()):
        out += ["", f"### {code} `{rule.name}` — {rule.severity.value} ({rule.scope})", "",
                textwrap.dedent(_reflow(rule.doc)).strip()]
    return "\n".join(out) + "\n"


def _reflow(doc: str) -> str:
    first, _, rest = doc.partition("\n")
    return first + "\n" + textwrap.dedent(rest)


if __name__ == "__main__":
    print(markdown(), end="")
