"""A real git repository around the sample, for the change-control tests: commits, then changes."""

from __future__ import annotations

import subprocess
from pathlib import Path

from typer.testing import CliRunner

from conftest import CONTRACT, edit
from ti_cli.cli import app

ID = "rochefort-royan-marennes-oleron"

A3 = f"{CONTRACT}/actions/03-pole-territorial-formation.yaml"
A9 = f"{CONTRACT}/actions/09-densification-fonciere.yaml"
A10 = f"{CONTRACT}/actions/10-campus-innovation.yaml"
NEW_ACTION = """\
number: 10
title: Campus d'innovation industrielle
axis: INNOVER
category: amorcage
owner: Communauté d'Agglomération Royan Atlantique
owner_parties: [cara]
cost:
  investment: 250000
  operating: 50000
financing:
  - {financer: region, eligibility: a_confirmer}
"""


# How ``amend_actions``'s changes to action 3 read in the Markdown diff and in the avenant.
ACTION_3_ROWS = (
    "| coût d'investissement | 7 500 000 € | 8 000 000 € | +500 000 € |",
    "| montant (Etat) | – | 1 000 000 € | +1 000 000 € |",
)


def git(*args: str) -> str:
    done = subprocess.run(["git", "-c", "commit.gpgsign=false", *args], check=True, capture_output=True, text=True)
    return done.stdout


def ti(*args: str, env: dict[str, str] | None = None):
    """Run ``ti`` in-process; outside GitHub Actions unless ``env`` says otherwise."""
    return CliRunner().invoke(app, list(args), env=env or {"GITHUB_ACTIONS": ""})


def init_repo(sample: Path) -> Path:
    """The sample (the current directory) as the first commit of branch ``main``."""
    git("init", "-q", "-b", "main")
    git("config", "user.name", "Chef de projet")
    git("config", "user.email", "chef@example.org")
    commit("contrat signé")
    return sample


def commit(message: str) -> None:
    git("add", "-A", ".")
    git("commit", "-q", "-m", message)


def amend_actions() -> None:
    """Action 3 costs 500 000 € more and gains an amount from the État; action 9 goes (with its progress
    entries); action 10 arrives (300 000 €)."""
    edit(A3, "investment: 7500000", "investment: 8000000")
    edit(A3, "total: 7580000", "total: 8080000")
    edit(
        A3,
        "  - {financer: etat, eligibility: validee}",
        "  - {financer: etat, eligibility: validee, scheme: DSIL, amount: 1000000}",
    )
    Path(A9).unlink()
    for progress in sorted(Path(CONTRACT, "progress").glob("*.yaml")):
        text = progress.read_text(encoding="utf-8")
        progress.write_text(text[: text.index("  - number: 9\n")], encoding="utf-8")
    Path(A10).write_text(NEW_ACTION, encoding="utf-8")
