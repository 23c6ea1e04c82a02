"""``ti new progress | decisions | member | stakeholders``: the rest of the year's files, ready to fill,
valid as written (``ti validate`` stays clean of errors), never written over without ``--force``."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import CONTRACT, PACTE, run, said
from ti_cli.cli import app
from ti_cli.cli.new_files import current_quarter
from ti_cli.loading.source import load
from ti_cli.model.decision import Decisions
from ti_cli.model.pacte import Member, Stakeholders
from ti_cli.model.progress import Progress

PLAN = "data/contracts/rochefort-royan-marennes-oleron-2023"


def ti(*args: str):
    return CliRunner().invoke(app, list(args))


def errors_on(path: Path) -> list[str]:
    report = run("data", as_of=dt.date.today())
    return [f.code for f in report.findings if f.severity == "error" and Path(f.file) == path]


def written(result, path: Path) -> None:
    assert result.exit_code == 0, result.output
    assert said(result.output).splitlines()[0] == f"créé : {path}"
    assert path.read_text(encoding="utf-8").startswith("# yaml-language-server: $schema=../../")
    assert errors_on(path) == []


def refuses_to_overwrite(path: Path, *args: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + "# mes notes\n", encoding="utf-8")
    again = ti(*args)
    assert again.exit_code == 2 and "--force" in again.output
    assert path.read_text(encoding="utf-8").endswith("# mes notes\n")
    assert ti(*args, "--force").exit_code == 0
    assert not path.read_text(encoding="utf-8").endswith("# mes notes\n")


def test_progress_carries_every_action_at_its_last_status(sample):
    path = Path(CONTRACT, "progress", "2022-Q1.yaml")
    result = ti("new", "progress", "rochefort-royan-marennes-oleron", "--quarter", "2022-Q1")
    written(result, path)
    report = load(path, Progress).model
    assert report is not None and report.quarter == "2022-Q1" and report.reported_on == dt.date.today()
    last = {}
    for quarter in ("2021-Q2", "2021-Q3", "2021-Q4"):  # the latest earlier quarter that reports each
        last |= {a.number: a for a in load(Path(CONTRACT, "progress", f"{quarter}.yaml"), Progress).model.actions}
    actions = sorted(p.name for p in Path(CONTRACT, "actions").glob("*.yaml"))
    assert len(report.actions) == len(actions)
    for entry in report.actions:
        before = last.get(entry.number)
        assert (entry.status.value, entry.progress) == (
            (before.status.value, before.progress) if before else ("a_lancer", 0)
        )
        if before:
            assert entry.spent == before.spent
    refuses_to_overwrite(path, "new", "progress", "rochefort-royan-marennes-oleron", "--quarter", "2022-Q1")


def test_progress_defaults_to_the_current_quarter(sample):
    path = Path(PLAN, "progress", f"{current_quarter(dt.date.today())}.yaml")
    path.unlink(missing_ok=True)
    written(ti("new", "progress", "rochefort-royan-marennes-oleron-2023"), path)
    assert current_quarter(dt.date(2026, 11, 3)) == "2026-Q4" and current_quarter(dt.date(2026, 1, 1)) == "2026-Q1"


def test_a_bad_quarter_is_refused(sample):
    result = ti("new", "progress", "rochefort-royan-marennes-oleron", "--quarter", "2022-T1")
    assert result.exit_code == 2 and "YYYY-QN" in result.output


def test_a_releve_to_fill(sample):
    path = Path(PLAN, "decisions", "2026-06-12-copil-local.yaml")
    args = ("new", "decisions", "rochefort-royan-marennes-oleron-2023", "--date", "2026-06-12", "--body", "copil-local")
    written(ti(*args), path)
    relevé = load(path, Decisions).model
    assert relevé is not None and said(relevé.title) == "Comité de pilotage local du 12 juin 2026"
    assert relevé.decisions == []
    refuses_to_overwrite(path, *args)


@pytest.mark.parametrize(
    ("contract", "body", "said_"),
    [
        ("rochefort-royan-marennes-oleron", "copil-local", "avenant"),
        ("rochefort-royan-marennes-oleron-2023", "copil", "copil-local"),
    ],
)
def test_a_releve_is_refused_for_phase_1_or_an_unknown_body(sample, contract, body, said_):
    result = ti("new", "decisions", contract, "--date", "2026-06-12", "--body", body)
    assert result.exit_code == 2 and said_ in result.output


def test_a_member_to_fill(sample):
    path = Path(PACTE, "members", "forges-arsenal.yaml")
    args = ("new", "member", "rochefort-royan-marennes-oleron", "--company", "Forges de l'Arsenal", "--size", "eti")
    written(ti(*args), path)
    member = load(path, Member).model
    assert member is not None and (member.company, member.size.value) == ("Forges de l'Arsenal", "eti")
    assert "attr-e1" in path.read_text(encoding="utf-8")  # the company-side commitments to choose from
    refuses_to_overwrite(path, *args)


def test_stakeholders_to_fill(sample):
    path = Path(PACTE, "stakeholders.yaml")
    path.unlink()
    written(ti("new", "stakeholders", "rochefort-royan-marennes-oleron"), path)
    assert len(load(path, Stakeholders).model.contacts) == 5
    assert ti("pacte", "stakeholders", "rochefort-royan-marennes-oleron").exit_code == 0
    refuses_to_overwrite(path, "new", "stakeholders", "rochefort-royan-marennes-oleron")
