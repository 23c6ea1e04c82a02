"""``ti validate`` as a function: select the bundles, load them, run every rule, keep what was asked."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from ti_cli.findings import Finding, Severity, count
from ti_cli.loading.bundle import load_contract, load_pacte, select
from ti_cli.loading.source import display_path
from ti_cli.rules.registry import Context, check_contract, check_pacte


@dataclass(frozen=True)
class Report:
    files: int
    findings: list[Finding]

    @property
    def errors(self) -> int:
        return count(self.findings, Severity.error)

    @property
    def warnings(self) -> int:
        return count(self.findings, Severity.warning)

    def failed(self, strict: bool) -> bool:
        return self.errors > 0 or (strict and self.warnings > 0)


def validate(paths: Iterable[Path], context: Context) -> Report:
    selection = select(paths)
    findings = list(selection.strays)
    files: set[Path] = set()
    for root in selection.contracts:
        bundle = load_contract(root)
        files.update(s.path.resolve() for s in bundle.sources)
        findings.extend(check_contract(bundle, context))
    for root in selection.pactes:
        pacte = load_pacte(root)
        files.update(s.path.resolve() for s in pacte.sources)
        findings.extend(check_pacte(pacte, context))
    if selection.files is not None:
        wanted = {display_path(p) for p in selection.files}
        findings = [f for f in findings if f.file in wanted]
        files = selection.files
    return Report(len(files), sorted(set(findings), key=Finding.sort_key))
