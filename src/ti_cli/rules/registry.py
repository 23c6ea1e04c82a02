"""The rule registry and the two entry points that run every rule of a scope on a bundle."""

from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, TypeVar

from ti_cli.findings import Finding, Severity

RULE_MODULES = ("contract", "actions", "progress", "cost_sharing", "pacte", "phase2", "placeholders")


@dataclass(frozen=True)
class Context:
    as_of: dt.date
    soon: int | None = None  # ``ti validate --soon N``: warn of milestones due within N days of as_of


@dataclass(frozen=True)
class Rule:
    code: str
    name: str
    severity: Severity
    scope: str  # "contract" | "pacte"
    check: Callable[[Any, Context], Iterable[Finding]]
    doc: str  # what it checks, why, a bad example and the fix: an English msgid (docs/rules.md, French)


RULES: dict[str, Rule] = {}

_Check = TypeVar("_Check", bound=Callable[[Any, Context], Iterable[Finding]])


def rule(code: str, name: str, severity: Severity, scope: str, doc: str) -> Callable[[_Check], _Check]:
    """Registers a check under ``code``; ``doc`` (marked ``N_``) is its documentation for people."""

    def register(check: _Check) -> _Check:
        if code in RULES:
            raise ValueError(f"rule code {code} registered twice")
        RULES[code] = Rule(code, name, severity, scope, check, doc)
        return check

    return register


def _load_rules() -> None:
    for module in RULE_MODULES:
        importlib.import_module(f"ti_cli.rules.{module}")


def all_rules() -> dict[str, Rule]:
    """Every registered rule (importing the rule modules registers them)."""
    _load_rules()
    return RULES


def _run(scope: str, bundle: Any, context: Context) -> list[Finding]:
    findings: list[Finding] = []
    for source in bundle.sources:
        findings.extend(source.findings)
    for registered in all_rules().values():
        if registered.scope == scope:
            findings.extend(registered.check(bundle, context))
    return findings


def check_contract(bundle: Any, context: Context) -> list[Finding]:
    return _run("contract", bundle, context)


def check_pacte(bundle: Any, context: Context) -> list[Finding]:
    return _run("pacte", bundle, context)
