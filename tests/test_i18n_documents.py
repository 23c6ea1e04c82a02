"""The document, change and pacte commands speak French by default and English on request: their help
pages (options named in words a person reads, never a Python type) and their messages (SPEC §12)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import pytest

from conftest import ROOT

CONTRACT = "rochefort-royan-marennes-oleron"
PACTE = "rochefort-royan-marennes-oleron"

# Each command, a phrase of its French help page and the same in English (metavars included: they are
# translated too).
HELP = {
    ("render",): (
        "Les documents tirés du YAML : le contrat, les fiches actions.",
        "Documents from the YAML: the contract, the action sheets.",
    ),
    ("render", "contract"): (
        "et en annexe le tableau des actions avec ses totaux",
        "and the annex table of actions with its totals",
    ),
    ("render", "fiche"): ("Une fiche action (coût, plan de financement", "One action sheet (cost, financing plan"),
    ("report",): ("Les rapports au COPIL régional", "Reports to the regional COPIL"),
    ("report", "quarterly"): (
        "L'état d'avancement trimestriel : avancement global pondéré par le coût",
        "The quarterly progress report (état d'avancement): global progress weighted",
    ),
    ("report", "completion"): (
        "Le rapport sur une action terminée (article 6)",
        "The report on a finished action (Article 6)",
    ),
    ("report", "evaluation"): (
        "L'évaluation à mi-parcours ou de fin de phase du plan",
        "The mid-term or end-of-phase evaluation of the plan",
    ),
    ("diff",): (
        "Ce qui a changé dans les actions entre deux révisions",
        "What changed in the actions between two revisions",
    ),
    ("avenant",): ("Prépare le projet du prochain avenant", "Draft the next avenant"),
    ("decisions",): (
        "Phase 2 : les décisions de la gouvernance sur le plan d'actions.",
        "Phase 2: the governance's decisions on the action plan.",
    ),
    ("decisions", "draft"): ("Prépare le prochain relevé de décisions", "Draft the next record of decisions"),
    ("pacte",): ("Le pacte industrie-territoire : adhésions et revues", "The pacte industrie-territoire: memberships"),
    ("pacte", "status"): ("Pour chaque membre : fin d'adhésion", "Each member's end of membership"),
    ("pacte", "stakeholders"): (
        "La campagne d'entretiens (étape 1 de la méthode)",
        "The interview campaign (step 1 of the method)",
    ),
    ("pacte", "report"): ("La revue annuelle du pacte", "The annual review of the pacte"),
    ("pacte", "fiche"): ("La fiche d'animation d'une entreprise", "One company's follow-up sheet"),
    ("serve",): (
        "Le dépôt dans un navigateur, en local et en lecture seule",
        "The repository in a browser, locally and read-only",
    ),
    ("new", "plan"): ("Démarre un plan de phase 2 (ti-2023)", "Start a phase-2 plan (ti-2023)"),
}

# The metavars of these commands' own options and arguments, one spelling per language.
METAVARS = {
    ("render", "fiche"): (
        ["CONTRAT", "NUMÉRO", "md|html|docx|pdf", "CHEMIN", "DOSSIER", "FICHIER"],
        ["CONTRACT", "NUMBER", "md|html|docx|pdf", "PATH", "FOLDER", "FILE"],
    ),
    ("report", "quarterly"): (["CONTRAT", "AAAA-QN"], ["CONTRACT", "YYYY-QN"]),
    ("report", "evaluation"): (["document|json"], ["document|json"]),
    ("diff",): (["CONTRAT", "RÉVISION", "table|json|markdown"], ["CONTRACT", "REVISION", "table|json|markdown"]),
    ("avenant",): (["CONTRAT", "RÉVISION"], ["CONTRACT", "REVISION"]),
    ("pacte", "fiche"): (["PACTE", "MEMBRE"], ["PACTE", "MEMBER"]),
    ("pacte", "status"): (["PACTE", "table|json"], ["PACTE", "table|json"]),
    ("serve",): (["DOSSIER", "NUMÉRO", "ADRESSE"], ["FOLDER", "NUMBER", "ADDRESS"]),
    ("new", "plan"): (["IDENTIFIANT", "CONTRAT", "TITRE"], ["ID", "CONTRACT", "TITLE"]),
}

# The options of these commands have metavars: the types column never shows a Python type for them. (The
# arguments' types, the flags' <bool> and --as-of's format come from the machinery, in cli/common.py.)
MACHINERY = re.compile(r"<(bool|%Y-%m-%d)>")
PYTHON_TYPE = re.compile(r"<[^>]*>|list\[")


def _python_types_of_options(page: str) -> list[str]:
    """The Python types shown in the Options panel of a help page, the machinery's aside."""
    panel = page[page.index("Options") :] if "Options" in page else ""
    panel = panel[: panel.index("╰")] if "╰" in panel else panel
    return PYTHON_TYPE.findall(MACHINERY.sub("", panel))


PRINT_HELP = """
import json, sys
from typer.testing import CliRunner
from ti_cli.cli import app
pages = {" ".join(c): CliRunner().invoke(app, [*c, "--help"], env={"COLUMNS": "250", "NO_COLOR": "1"}).output
         for c in json.loads(sys.argv[1])}
print(json.dumps(pages))
"""


def _words(text: str) -> str:
    """The help page with its box drawing and wrapping gone: one line of words."""
    text = text.replace("\u00a0", " ").replace("\u202f", " ")
    return " ".join(w for w in text.split() if w.strip("│╭╮╰╯─"))


def _help_pages(lang: str) -> dict[str, str]:
    """Every page of HELP as printed in ``lang``: Typer reads help texts when the app is built, so each
    language is a new process."""
    env = {k: v for k, v in os.environ.items() if k != "TI_LANG"} | {"TI_LANG": lang}
    done = subprocess.run(
        [sys.executable, "-c", PRINT_HELP, json.dumps([list(c) for c in HELP])],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout)


@pytest.mark.parametrize(("lang", "side"), [("fr", 0), ("en", 1)])
def test_help_pages_in_the_language_asked_with_metavars_in_words(lang: str, side: int):
    pages = _help_pages(lang)
    for command, phrases in HELP.items():
        page = _words(pages[" ".join(command)])
        assert phrases[side] in page, command
        assert phrases[1 - side] not in page, command
        for metavar in METAVARS.get(command, ([], []))[side]:
            assert f" {metavar} " in f" {page} ", (command, metavar)
        assert not _python_types_of_options(pages[" ".join(command)]), command


def _ti(*args: str, lang: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "TI_LANG"} | ({"TI_LANG": lang} if lang else {})
    return subprocess.run([sys.executable, "-m", "ti_cli", *args], capture_output=True, text=True, cwd=ROOT, env=env)


@pytest.mark.parametrize(
    ("args", "french", "english"),
    [
        (
            ("render", "fiche", CONTRACT),
            "ti: indiquez un numéro d'action, ou --all pour toutes les actions (pas les deux)",
            "ti: give an action number, or --all for every action (not both)",
        ),
        (
            ("render", "fiche", CONTRACT, "42"),
            f"ti: pas d'action n° 42 dans {CONTRACT} (ses actions : 1, 2, 3, 4, 5, 6, 7, 8, 9)",
            f"ti: no action 42 in {CONTRACT} (its actions: 1, 2, 3, 4, 5, 6, 7, 8, 9)",
        ),
        (
            ("diff", CONTRACT, "--base", "main", "--format", "csv"),
            "ti: format inconnu « csv » : choisissez parmi table, json, markdown",
            "ti: unknown format 'csv': choose one of: table, json, markdown",
        ),
        (
            ("pacte", "fiche", PACTE, "zzz"),
            "ti: aucun membre « zzz » : indiquez l'un de ceux-ci : ",
            "ti: no member 'zzz': give one of ",
        ),
        (
            ("serve", "--port", "70000"),
            "ti: --port 70000 : un port va de 1 à 65535",
            "ti: --port 70000: a port goes from 1 to 65535",
        ),
    ],
)
def test_usage_problems_in_french_and_in_english(args: tuple[str, ...], french: str, english: str):
    done = _ti(*args)
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.replace("\u00a0", " ").startswith(french), done.stderr
    # French typography: the space before a colon does not break (never a colon alone on a line)
    assert (" :" in french) == ("\u00a0:" in done.stderr)
    done = _ti(*args, lang="en")
    assert done.returncode == 2 and done.stderr.startswith(english), done.stderr


def test_new_plan_says_which_actions_wait_for_their_axis_singular_and_plural():
    from ti_cli import i18n
    from ti_cli.cli.plan import carried_over

    def lines() -> list[str]:
        return [
            carried_over("data/contracts/p2", n).replace("\u00a0", " ").replace("\u202f", " ")
            for n in ([], [4], [1, 2])
        ]

    assert lines() == [
        "data/contracts/p2 créé : aucune action reprise (toutes terminées ou abandonnées)",
        "data/contracts/p2 créé : 1 action reprise (4) ; choisissez son axe",
        "data/contracts/p2 créé : 2 actions reprises (1, 2) ; choisissez l'axe de chacune",
    ]
    i18n.activate("en")
    try:
        assert lines() == [
            "created data/contracts/p2: no action carried over (all finished or abandoned)",
            "created data/contracts/p2: 1 action carried over (4); choose its axis",
            "created data/contracts/p2: 2 actions carried over (1, 2); choose the axis of each",
        ]
    finally:
        i18n.activate("fr")
