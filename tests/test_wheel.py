"""The wheel as a new user gets it: built, installed non-editable in a fresh virtual environment, and used
from a folder outside the source tree — ``ti init``, validate, documents, quarterly report (issue 10).

The fresh environment borrows the dependencies (pydantic, typst…) from the environment running the
tests through a ``.pth`` line, and ``pip check`` proves the wheel's declared requirements are met by them:
installing them again took 80 s of a 5-minute CI budget. ``ti_cli`` itself comes only from the wheel (the
editable install is a finder hook, which a ``.pth``-added folder does not run). Marked ``wheel``
(``pytest -m "not wheel"`` skips it while working); ``make test`` and CI run it.
"""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from conftest import ROOT

pytestmark = pytest.mark.wheel
ID = "pays-de-la-roue"
PROGRESS = """\
quarter: 2025-Q1
reported_on: 2025-04-10
actions:
  - number: 1
    status: en_cours
    progress: 20
    spent: {investment: 30000, operating: 5000}
    comment: Premier bilan de la roue.
"""
ACTION = """\
number: 2
title: Atelier partagé de la roue
axis: INNOVER
category: structurante
owner: Communauté de la roue
cost: {investment: 150000, operating: 25000}
financing:
  - {financer: etat, eligibility: validee, amount: 60000}
description: |
  Un atelier partagé pour les entreprises de la roue.
"""


def run(cmd: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, f"{cmd}: {done.stdout}\n{done.stderr}"
    return done


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """``bin/`` of a fresh virtual environment where the project's wheel is installed (not editable)."""
    base = tmp_path_factory.mktemp("wheel")
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(base / "dist"), str(ROOT)], base, env)
    [wheel] = (base / "dist").glob("ti_cli-*.whl")
    run([sys.executable, "-m", "venv", "--without-pip", str(base / "venv")], base, env)
    bin_dir = base / "venv" / ("Scripts" if os.name == "nt" else "bin")
    python = str(bin_dir / "python")
    site = Path(run([python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"], base, env).stdout.strip())
    (site / "borrowed-dependencies.pth").write_text(sysconfig.get_path("purelib") + "\n", encoding="utf-8")
    run([sys.executable, "-m", "pip", "--python", python, "install", "--no-deps", "--quiet", str(wheel)], base, env)
    run([sys.executable, "-m", "pip", "--python", python, "check"], base, env)
    env["PATH"] = f"{bin_dir}{os.pathsep}{env.get('PATH', '')}"
    return bin_dir, env


def test_the_installed_wheel_does_the_whole_job_outside_the_source_tree(installed, tmp_path: Path):
    bin_dir, env = installed
    ti = str(bin_dir / "ti")
    where = run(
        [str(bin_dir / "python"), "-c", "from ti_cli.resources import builtin; print(builtin())"], tmp_path, env
    ).stdout.strip()
    assert Path(where).is_relative_to(bin_dir.parent) and not Path(where).is_relative_to(ROOT)

    assert run([ti, "--version"], tmp_path, env).stdout.startswith("ti 0.")
    run(
        [ti, "init", "territoire", "--contract", ID, "--title", "Contrat de la roue", "--programme", "ti-2019"],
        tmp_path,
        env,
    )
    repo = tmp_path / "territoire"
    contract = repo / "data" / "contracts" / ID
    text = (contract / "contract.yaml").read_text(encoding="utf-8")
    start = text.index("period: ")
    text = text[:start] + "period: {start: 2024-01-01, end: 2027-12-31}" + text[text.index("   #", start) :]
    (contract / "contract.yaml").write_text(text, encoding="utf-8")
    (contract / "actions" / "02-atelier.yaml").write_text(ACTION, encoding="utf-8")
    (contract / "progress" / "2025-Q1.yaml").write_text(PROGRESS, encoding="utf-8")

    assert run([ti, "validate"], repo, env).stdout.endswith("4 fichiers, 0 erreur, 0 avertissement\n")
    # the wheel carries the compiled catalog: French by default, English on request, tables included
    assert "Coût total HT" in run([ti, "totals", ID], repo, env).stdout
    assert "Total cost excl. VAT" in run([ti, "--lang", "en", "totals", ID], repo, env).stdout
    run([ti, "render", "contract", ID, "--to", "md", "--to", "docx", "--to", "pdf", "--output", "out"], repo, env)
    run([ti, "report", "quarterly", ID, "--to", "md", "--to", "pdf", "--output", "out"], repo, env)
    made = {p.name for p in (repo / "out").iterdir() if p.is_file()}
    assert {"contract.md", "contract.docx", "contract.pdf"} <= made, made
    markdown = (repo / "out" / "contract.md").read_text(encoding="utf-8")
    assert "Contrat de la roue" in markdown and "Atelier partagé de la roue" in markdown
    assert "175 000" in markdown  # the action's cost, printed French style by the packaged templates
    assert any(name.endswith(".pdf") and name != "contract.pdf" for name in made), made  # the quarterly report
    for pdf in (repo / "out").glob("*.pdf"):
        assert pdf.read_bytes().startswith(b"%PDF")
