"""The draft relevé de décisions of a phase-2 plan as a préfet would read it: its plan's changes only,
nothing already recorded proposed again, the instance the changes need, versions named by their date
and their last meeting — never a commit subject, never a code."""

from __future__ import annotations

import json
from pathlib import Path

import docx

from conftest import edit, said
from gitrepo import amend_actions, commit, git, ti
from test_phase2 import C2, F1, P2, phase2_repo

PLAN = "rochefort-royan-marennes-oleron-2023"
DRAFT = ("decisions", "draft", PLAN, "--as-of", "2026-11-20")
CODES = ("avis-fonds-vert", "COMPETENCES", "comite-de-projets", "copil-regional", "copil-local", "`ti`")


def proposed(*args: str) -> list[tuple[int, str]]:
    result = ti(*DRAFT, "--base", "main", "--format", "json", *args)
    assert result.exit_code == 0, result.output
    return [(d["action"], d["kind"]) for d in json.loads(result.stdout)["decisions"]]


def documents(tmp_path: Path, *args: str) -> tuple[str, str, str]:
    """The relevé as Markdown and as Word text, and the decisions file it wrote."""
    result = ti(*DRAFT, "--to", "md", "--to", "docx", "--output", str(tmp_path / "out"), *args)
    assert result.exit_code == 0, result.output
    markdown = (tmp_path / "out" / "releve-decisions-2026-11-20.md").read_text(encoding="utf-8")
    word = docx.Document(str(tmp_path / "out" / "releve-decisions-2026-11-20.docx"))
    text = "\n".join(
        [p.text for p in word.paragraphs] + [c.text for t in word.tables for row in t.rows for c in row.cells]
    )
    written = Path(P2, "decisions", "2026-11-20-projet-releve.yaml").read_text(encoding="utf-8")
    return said(markdown), said(text), written


def test_a_releve_covers_its_plan_only(sample):
    phase2_repo(sample)
    amend_actions()  # the phase-1 contract of the same repository changes too: actions 3, 9 and 10
    assert proposed() == [(1, "modification"), (4, "retrait"), (7, "ajout")]


def test_versions_are_named_by_date_and_meeting_never_by_commit_subject_and_no_code_shows(sample, tmp_path):
    phase2_repo(sample)
    commit("wip fix yaml typo")
    markdown, word, _written = documents(tmp_path, "--base", "HEAD~1", "--head", "HEAD")
    day = said(git("log", "-1", "--format=%cs").strip())
    import datetime as dt

    from ti_cli.french import date_long

    named = said(date_long(dt.date.fromisoformat(day)))
    for text in (markdown, word):
        assert "Établi par ti le 20 novembre 2026" in text
        assert f"la version du {named} à " in text and "(après le comité de projets du 26 juin 2025)" in text
        for never in ("wip", "yaml typo", "contrat signé", "HEAD", *CODES):
            assert never not in text, never
        assert "ajout au plan" in text and "retrait du plan" in text
        assert "Instance proposée : comité de pilotage régional (action structurante concernée : 1)." in text


def test_drafting_twice_proposes_nothing_already_recorded(sample, tmp_path):
    phase2_repo(sample)
    _markdown, _word, written = documents(tmp_path, "--base", "main")
    assert written.count("kind:") == 3
    assert proposed() == []  # the draft's decisions record every change
    # a decision recorded in the governance's own file since main is not proposed again either
    Path(P2, "decisions", "2026-11-20-projet-releve.yaml").unlink()
    Path(P2, "decisions", "2026-10-01-comite-de-projets.yaml").write_text(
        "date: 2026-10-01\nbody: comite-de-projets\ntitle: Comité de projets du 1er octobre 2026\ndecisions:\n"
        "  - {action: 7, kind: ajout, summary: Inscription de l'école de production}\n"
        "  - {action: 1, kind: validation, summary: Validation du foncier}\n",
        encoding="utf-8",
    )
    git("checkout", "-q", "-b", "plan")
    commit("decisions")
    edit(F1, "amount: 700000", "amount: 750000")  # after main, so still to decide
    # action 7's ajout is recorded; action 1's validation is another kind: its modification is still to decide
    assert proposed() == [(1, "modification"), (4, "retrait")]
    markdown, _word, _written = documents(tmp_path, "--base", "main")
    assert "Une modification déjà inscrite à un relevé de décisions depuis la version du" in markdown
    assert "| 7 |" not in markdown and "| 1 | modification |" in markdown


def test_the_instance_is_the_one_the_changes_need(sample):
    phase2_repo(sample)
    edit(F1, "amount: 700000", "amount: 600000")  # action 1 (structurante) back as it was
    # action 4 withdrawn, action 7 added: both amorçage, a move of the total of +0,5 %
    result = ti(*DRAFT, "--base", "main", "--to", "md", "--output", "out")
    assert result.exit_code == 0, result.output
    written = Path(P2, "decisions", "2026-11-20-projet-releve.yaml")
    assert "body: comite-de-projets\n" in written.read_text(encoding="utf-8")
    assert "Instance proposée : comité de projets." in said(Path("out/releve-decisions-2026-11-20.md").read_text())
    written.unlink()
    # the plan's own threshold exceeded: the regional COPIL
    edit(C2, "governance:\n", "governance:\n  copil_threshold: 0.004\n")
    result = ti(*DRAFT, "--base", "main", "--to", "md", "--output", "out")
    assert result.exit_code == 0, result.output
    assert "body: copil-regional\n" in written.read_text(encoding="utf-8")
    assert (
        "Instance proposée : comité de pilotage régional (coût total du plan +0,5 %, au-delà du seuil de 0,4 % "
        "fixé par le plan)."
    ) in said(Path("out/releve-decisions-2026-11-20.md").read_text(encoding="utf-8"))


def test_the_plans_documents_list_the_governances_decisions_by_their_labels(sample, tmp_path):
    result = ti("render", "contract", PLAN, "--to", "md", "--output", str(tmp_path))
    assert result.exit_code == 0, result.output
    text = said((tmp_path / "contract.md").read_text(encoding="utf-8"))
    decisions = text.split("Décisions de la gouvernance sur le plan d'actions :")[1].split("## ")[0]
    assert "action 5, avis sur le Fonds vert — Avis favorable au dossier Fonds vert axe 3 volet 1" in decisions
    assert "action 6, ajout au plan — " in decisions
    assert not any(code in decisions for code in CODES)


def test_the_releves_amounts_are_right_aligned_in_pdf_and_word(sample, tmp_path):
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    phase2_repo(sample)
    amend_actions()
    markdown, _word, _written = documents(tmp_path)
    assert "| Action | Décision | Objet | Coût avant | Coût après | Écart |\n|---:|---|---|---:|---:|---:|" in markdown
    assert "| | Avant | Après | Écart |\n|---|---:|---:|---:|" in markdown
    word = docx.Document(str(tmp_path / "out" / "releve-decisions-2026-11-20.docx"))
    costs = word.tables[-1]
    assert costs.rows[1].cells[1].paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.RIGHT


def test_a_draft_releve_is_a_meeting_still_to_hold_until_its_draft_line_goes(sample, tmp_path):
    import datetime as dt

    from conftest import found, line_of, run
    from test_phase2 import F4

    phase2_repo(sample)
    git("checkout", "-q", "-b", "plan")
    commit("plan modifié")
    _markdown, _word, written = documents(tmp_path, "--base", "main")
    path = Path(P2, "decisions", "2026-11-20-projet-releve.yaml")
    assert "\n# Projet de relevé : ses décisions sont proposées, pas prises. Supprimez la ligne « draft: true »\n" in (
        written
    )
    assert "\ndraft: true\npresent: []\n" in written
    commit("projet de relevé")
    seven = Path(F4).with_name("07-ecole-de-production.yaml")

    def taken() -> list[tuple[int, str]]:
        result = ti("report", "evaluation", PLAN, "--as-of", "2026-11-23", "--format", "json")
        assert result.exit_code == 0, result.output
        return [(d["action"], d["kind"]) for d in json.loads(result.stdout)["decisions"] if d["date"] == "2026-11-20"]

    def warned() -> bool:
        return ("TI123", seven.name, line_of(str(seven), "number: 7")) in found(run(P2, as_of=dt.date(2026, 11, 23)))

    assert taken() == [] and warned()  # the draft decides nothing yet: action 7 is still to put in the plan
    assert "TI138" not in {f.code for f in run(P2, as_of=dt.date(2026, 12, 20)).findings}
    late = [f for f in run(P2, as_of=dt.date(2026, 12, 23)).findings if f.code == "TI138"]
    assert [(f.severity.value, Path(f.file).name, f.line) for f in late] == [
        ("warning", path.name, written.splitlines().index("draft: true") + 1)
    ]
    assert said(late[0].message) == said(
        "relevé resté en projet 33 jours après sa réunion du 20/11/2026 : une fois le relevé adopté, supprimez la "
        "ligne draft: true"
    )
    # drafting again proposes nothing: the draft's own proposals are already drafted
    assert proposed() == []
    # the COPIL deck counts the changes from the last meeting held, named by it, and the draft's proposals
    # are its decisions to take
    result = ti("report", "copil", PLAN, "--as-of", "2026-11-23", "--to", "md", "--output", "copil.md")
    assert result.exit_code == 0, result.output
    deck = said(Path("copil.md").read_text(encoding="utf-8"))
    assert "(après le comité de projets du 26 juin 2025)" in deck and "du 20 novembre 2026)" not in deck
    to_take = deck.split("Décisions à prendre")[1]
    assert "Aucune décision à prendre" not in to_take
    for number in (1, 4, 7):
        assert f"Action {number} — " in to_take, number
    # the meeting adopted it: the line goes, and its decisions are taken
    edit(str(path), "draft: true\n", "")
    assert taken() == [(1, "modification"), (4, "retrait"), (7, "ajout")] and not warned()


def test_the_releves_plan_table_gives_every_difference(sample, tmp_path):
    """« Financements acquis » and « Reste à financer » moved with no Écart printed beside them."""
    import re
    from decimal import Decimal

    phase2_repo(sample)
    markdown, _word, _written = documents(tmp_path, "--base", "main")
    flat = markdown.replace("\u202f", " ").replace("\u00a0", " ").replace("−", "-")

    def euros(text: str) -> Decimal:
        return Decimal(text.replace(" ", "").replace("€", "").replace("+", "").replace(",", "."))

    for name in ("Coût total HT", "Financements acquis", "Reste à financer"):
        before, after, gap = re.search(rf"\| {name} \| ([^|]+) \| ([^|]+) \| ([^|]+) \|", flat).groups()
        assert euros(gap) == euros(after) - euros(before), name
