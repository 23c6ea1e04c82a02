"""Shared fixtures: a copy of the embedded sample in a temporary folder, and a way to plant defects."""

from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
os.environ.pop("TI_LANG", None)  # the tests read ti in its default language, French


def _compile_catalogs() -> None:
    """``pytest`` alone (without ``make``) reads the catalogs as they are: compile a stale .mo first."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    for po in (ROOT / "src/ti_cli/locale").glob("*/LC_MESSAGES/*.po"):
        mo = po.with_suffix(".mo")
        if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
            with po.open("rb") as source, mo.open("wb") as target:
                write_mo(target, read_po(source, locale=po.parent.parent.name))


_compile_catalogs()

from ti_cli.rules import Context  # noqa: E402 (after the catalogs are compiled)
from ti_cli.rules.engine import Report, validate  # noqa: E402

CONTRACT = "data/contracts/rochefort-royan-marennes-oleron"
PACTE = "data/pactes/rochefort-royan-marennes-oleron"
AS_OF = dt.date(2026, 11, 23)


@pytest.fixture(autouse=True)
def _state_dir(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """ti's ledger of the files it wrote stays in the test's own folder, not the user's home."""
    monkeypatch.setenv("TI_STATE_DIR", str(tmp_path_factory.mktemp("ti-state")))


@pytest.fixture
def sample(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The sample data repo copied to a temporary folder, which becomes the current directory."""
    shutil.copytree(ROOT / "data", tmp_path / "data")
    shutil.copytree(ROOT / "templates", tmp_path / "templates")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def said(text: str) -> str:
    """What a person reads, with French typography's no-break spaces as ordinary ones (for assertions)."""
    return text.replace("\u00a0", " ").replace("\u202f", " ")


def edit(path: str | Path, old: str, new: str) -> None:
    """Replace one exact occurrence of ``old`` in ``path`` (fails loudly if it is not there once)."""
    file = Path(path)
    text = file.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} found {text.count(old)} times in {file}"
    file.write_text(text.replace(old, new), encoding="utf-8")


PREAMBLE = f"{CONTRACT}/text/00-preambule.md"


def fill_blanks() -> None:
    """The seed's blanks of the sample's preamble (« n°XXX », « communauté XXX », « du XXX »: TI039
    warnings) filled in, for a test that needs a sample without a warning on its contract."""
    text = Path(PREAMBLE).read_text(encoding="utf-8")
    Path(PREAMBLE).write_text(text.replace("XXX", "2019-12"), encoding="utf-8")


Q4_REPORT = f"{CONTRACT}/progress/2021-Q4.yaml"


def close_milestones() -> None:
    """The seven milestones the phase-1 sample's last report (2021-Q4) leaves open, all past due since 2022
    (TI056 warnings on any later --as-of), reported done: a sample without a warning on its progress."""
    text = Path(Q4_REPORT).read_text(encoding="utf-8")
    assert text.count("done: false") == 7
    Path(Q4_REPORT).write_text(text.replace("done: false", "done: true"), encoding="utf-8")


def line_of(path: str | Path, needle: str) -> int:
    """1-based line of the first line containing ``needle``."""
    for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        if needle in line:
            return number
    raise AssertionError(f"{needle!r} not in {path}")


def run(*paths: str, as_of: dt.date = AS_OF) -> Report:
    return validate([Path(p) for p in paths or ("data",)], Context(as_of))


def found(report: Report) -> set[tuple[str, str, int]]:
    """(code, file name, line) of every finding."""
    return {(f.code, Path(f.file).name, f.line) for f in report.findings}


_CLEAN: list[set[tuple[str, str, int]]] = []


def planted(report: Report) -> set[tuple[str, str, int]]:
    """The findings a planted defect brought: every finding but those of the clean sample (its pacte
    review warnings), so that a test can assert the exact set and a spurious extra finding fails."""
    if not _CLEAN:
        from ti_cli.rules import Context

        _CLEAN.append(found(validate([ROOT / "data"], Context(AS_OF))))
    return found(report) - _CLEAN[0]
