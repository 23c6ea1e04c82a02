"""Where chefs de projet work: a file saved on Windows (CRLF line ends, a BOM) reads the same, and its
findings are at the same line and column."""

from __future__ import annotations

from pathlib import Path

from conftest import CONTRACT, edit, found, line_of, run

A1 = f"{CONTRACT}/actions/01-filiere-aeronautique.yaml"


def windows(path: str) -> None:
    text = Path(path).read_text(encoding="utf-8")
    Path(path).write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"))


def test_crlf_and_bom_files_validate_clean(sample):
    for path in [f"{CONTRACT}/contract.yaml", A1, *map(str, Path(CONTRACT, "progress").glob("*.yaml"))]:
        windows(path)
    assert [f for f in run(CONTRACT).findings if f.severity == "error"] == []


def test_crlf_findings_are_at_the_same_line_and_column(sample):
    edit(A1, "total: 16753500", "total: 16754500")
    unix = {(f.code, f.line, f.column) for f in run(A1).findings}
    windows(A1)
    assert {(f.code, f.line, f.column) for f in run(A1).findings} == unix
    assert ("TI023", "01-filiere-aeronautique.yaml", line_of(A1, "total:")) in found(run(A1))
