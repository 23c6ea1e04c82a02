"""The checks of ``ti validate``: one module per family, one registry keyed by stable code.

A rule is a function that takes a bundle and a ``Context`` and *yields* findings; it never prints,
raises or decides the exit code. Its decorator carries its documentation, ``doc=N_("…")``: what it
checks, why, a bad example and the fix — ``docs/rules.md`` (French, through the catalog) and
``docs/rules.en.md`` are generated from it. Codes never change meaning and are never
reused. Loading and schema problems have codes too (``codes.LOADING``), so every finding reads alike.
"""

from ti_cli.rules.registry import RULES, Context, all_rules, check_contract, check_pacte, rule

__all__ = ["RULES", "Context", "all_rules", "check_contract", "check_pacte", "rule"]
