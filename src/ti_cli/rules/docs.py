"""``docs/rules.md`` (French) and ``docs/rules.en.md`` generated from the registry, so that the
documentation cannot drift from the rules: each rule's ``doc`` and each loading code's text are
messages of the catalog, translated like everything ti says.

Run ``make docs`` (``TI_LANG=fr python -m ti_cli.rules.docs > docs/rules.md``, and ``en`` for the
English twin); a test checks both files are current.
"""

from __future__ import annotations

from ti_cli.i18n import N_, _, language
from ti_cli.rules.codes import LOADING
from ti_cli.rules.registry import all_rules

SEVERITIES = {"error": N_("error"), "warning": N_("warning")}
SCOPES = {"contract": N_("contract"), "pacte": N_("pacte")}
OTHER_LANGUAGE = {"fr": "*In English: [rules.en.md](rules.en.md).*", "en": "*En français : [rules.md](rules.md).*"}


def anchor(code: str) -> str:
    """An anchor that does not depend on the heading's words: the SARIF rules' ``helpUri`` points at it."""
    return f'<a id="{code.lower()}"></a>'


def markdown() -> str:
    """The rules' documentation in the chosen language."""
    out = [
        "# " + _("Rules of `ti validate`"),
        "",
        OTHER_LANGUAGE[language()],
        "",
        _("Generated from each rule's documentation by `make docs`; do not edit by hand."),
        _(
            "Every finding reads `file:line:col: severity CODE message`. Errors make `ti validate` exit 1; "
            "warnings too with `--strict`. Codes never change meaning and are never reused."
        ),
        "",
        "## " + _("Loading and schema (every file)"),
        "",
        "| {} | {} | {} |".format(_("code"), _("name"), _("what it means")),
        "|---|---|---|",
        *(f"| {anchor(code)}{code} | {name} | {_(text)} |" for code, (name, text) in sorted(LOADING.items())),
        "",
        "## " + _("Rules"),
    ]
    for code, rule in sorted(all_rules().items()):
        heading = (
            f"### {anchor(code)}{code} `{rule.name}` — {_(SEVERITIES[rule.severity.value])} ({_(SCOPES[rule.scope])})"
        )
        out += ["", heading, "", _(rule.doc)]
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    print(markdown(), end="")
