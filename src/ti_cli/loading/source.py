"""One file of a data repo: its path, its parsed document, its model, and where each value came from."""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ValidationError

from ti_cli.findings import Finding, LoadProblem, Severity
from ti_cli.i18n import _
from ti_cli.loading.schema_errors import findings_from
from ti_cli.loading.yamlsafe import Document, Path_, parse, read_text
from ti_cli.usage import os_problem

M = TypeVar("M", bound=BaseModel)


@dataclass
class Source(Generic[M]):
    path: Path
    doc: Document | None = None
    model: M | None = None
    findings: list[Finding] = field(default_factory=list)

    @property
    def display(self) -> Path:
        return display_path(self.path)

    def finding(
        self,
        code: str,
        severity: Severity,
        message: str,
        at: Path_ = (),
        *,
        key: bool = False,
        details: tuple[str, ...] = (),
    ) -> Finding:
        """A finding placed on the value (or the key, with ``key=True``) at ``at`` in this file."""
        mark = self.doc.mark(at) if self.doc else None
        line, col = ((mark.key_line, mark.key_col) if key else (mark.line, mark.col)) if mark else (1, 1)
        return Finding(code, severity, message, self.display, line, col, details)


def display_path(path: Path) -> Path:
    """Paths relative to the current directory when they are below it, as SPEC §9 asks."""
    if not path.is_absolute():
        return Path(os.path.normpath(path))
    try:
        return path.relative_to(Path.cwd())
    except ValueError:
        return path


def load(path: Path, model: type[M], text: str | None = None) -> Source[M]:
    """Read, parse and validate one file; every problem becomes a finding, nothing raises."""
    source: Source[M] = Source(path)
    shown = source.display
    try:
        doc = parse(shown, read_text(path) if text is None else text)
    except LoadProblem as exc:
        # read_text() names the file as it was given (absolute for a bundle's files): shown like the others,
        # relative to the current folder, or `ti validate FILE` would filter the finding out.
        source.findings.append(replace(exc.finding, file=shown))
        return source
    except OSError as exc:
        source.findings.append(
            Finding(
                "TI008",
                Severity.error,
                _("cannot read the file: {reason}").format(reason=os_problem(OSError(exc.errno, exc.strerror))),
                shown,
            )
        )
        return source
    source.doc = doc
    source.findings.extend(doc.problems)
    data: Any = doc.data
    if not isinstance(data, dict):
        source.findings.append(source.finding("TI012", Severity.error, _("expected a mapping of 'key: value' lines")))
        return source
    try:
        source.model = model.model_validate(data)
    except ValidationError as exc:
        source.findings.extend(findings_from(exc, doc, shown, model))
    return source
