"""One ``Finding`` type for everything ``ti validate`` reports: YAML, schema and rule problems alike."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any


class Severity(StrEnum):
    error = "error"
    warning = "warning"


@dataclass(frozen=True)
class Finding:
    code: str
    severity: Severity
    message: str
    file: Path
    line: int = 1
    column: int = 1
    details: tuple[str, ...] = field(default=(), compare=False)  # expected/found/fix lines, for people

    def sort_key(self) -> tuple[str, int, int, str]:
        return (str(self.file), self.line, self.column, self.code)

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "severity": self.severity.value,
            "file": str(self.file),
            "line": self.line,
            "column": self.column,
            "message": self.message,
            "details": list(self.details),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Finding:
        return cls(
            data["code"],
            Severity(data["severity"]),
            data["message"],
            Path(data["file"]),
            data["line"],
            data["column"],
            tuple(data["details"]),
        )


class LoadProblem(Exception):
    """A file that cannot be turned into data at all; carries the one finding that says why."""

    def __init__(self, finding: Finding) -> None:
        super().__init__(finding.message)
        self.finding = finding


def count(findings: list[Finding], severity: Severity) -> int:
    return sum(1 for f in findings if f.severity is severity)
