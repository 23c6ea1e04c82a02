"""``ti avenant``: the draft names every change, the parties concerned and the new total, French style."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import CONTRACT, edit, said
from gitrepo import A3, ACTION_3_ROWS, ID, amend_actions, commit, init_repo, ti

A8 = f"{CONTRACT}/actions/08-promotion-industrie-attractivite.yaml"
INTERCOMMUNALITES = [
    "Communauté d'Agglomération Rochefort Océan",
    "Communauté d'Agglomération Royan Atlantique",
    "Communauté de communes du Bassin de Marennes",
    "Communauté de communes de l'île d'Oléron",
]


@pytest.fixture
def repo(sample: Path) -> Path:
    return init_repo(sample)


def draft(*extra: str) -> str:
    result = ti("avenant", ID, "--base", "main", "--output", "out/avenant.md", *extra)
    assert result.exit_code == 0, result.output
    return Path("out/avenant.md").read_text(encoding="utf-8")


def parties(text: str) -> list[str]:
    block = text.split("## Entre les parties concernées")[1].split("Vu le")[0]
    return [line.split("**")[1] for line in block.splitlines() if line.startswith("- **")]


def test_the_avenant_names_every_change_and_the_new_total(repo):
    amend_actions()
    text = draft()
    assert text.startswith("# Avenant n° 1 au Contrat Territoire d'industrie")
    assert "## Article 2 — Modification de l'action n° 3" in text
    assert all(row in text for row in ACTION_3_ROWS)
    assert "## Article 3 — Suppression de l'action n° 9" in text
    assert "## Article 4 — Ajout de l'action n° 10" in text
    assert "« Campus d'innovation industrielle » est ajoutée" in text
    assert "Coût estimé : **300 000 € HT** (investissement 250 000 €, fonctionnement 50 000 €)" in text
    assert "passe de **43 823 500 € HT** à **44 593 500 € HT** (+770 000 €, soit +1,8 %)" in text
    assert "**Comité de pilotage régional** : validation requise (action structurante concernée : 3)." in said(text)
    # the updated annex: action 10 in, action 9 out, the new total
    assert "| 10 | Innover | Amorçage | Campus d'innovation industrielle |" in text
    assert "| 9 |" not in text.split("## Annexe")[1]
    assert "**Total (9 actions)** | | **44 593 500 €**" in text


def test_parties_are_the_owners_and_financers_of_the_changed_actions_plus_the_intercommunalites(repo):
    edit(A3, "investment: 7500000", "investment: 7600000")
    edit(A3, "total: 7580000", "total: 7680000")
    # action 3: owner CARO; financers État, Région, Banque des territoires (subventions), privés (not a party)
    assert parties(draft()) == [
        *INTERCOMMUNALITES,
        "Région Nouvelle-Aquitaine",
        "État",
        "Banque des territoires, groupe Caisse des Dépôts et Consignations",
    ]


def test_a_small_amorcage_change_needs_the_intercommunalites_only_and_no_copil(repo):
    edit(A8, "operating: 130000", "operating: 140000")
    edit(A8, "total: 130000", "total: 140000")
    text = draft()
    assert parties(text) == INTERCOMMUNALITES
    assert "validation non requise" in text and "seuil de 10 %" in text


def test_a_move_of_the_general_economy_calls_every_signatory(repo):
    edit(A8, "operating: 130000", "operating: 5130000")
    edit(A8, "total: 130000", "total: 5130000")
    text = draft()
    assert len(parties(text)) == 14
    assert "le coût total du contrat évolue de +11,4 % (seuil : 10 %)" in said(text)


def test_the_number_follows_the_signed_amendments(repo):
    edit(
        f"{CONTRACT}/contract.yaml",
        "amendments: []",
        "amendments:\n  - {number: 1, signed_on: 2021-06-30, summary: Ajout de l'action 10}",
    )
    commit("avenant 1 signé")
    amend_actions()
    text = draft()
    assert text.startswith("# Avenant n° 2 ")
    assert "Vu l'avenant n° 1 du 30 juin 2021 (Ajout de l'action 10) ;" in text


def test_a_draft_is_never_overwritten_without_force(repo):
    amend_actions()
    draft()
    Path("out/avenant.md").write_text("mes corrections", encoding="utf-8")
    again = ti("avenant", ID, "--base", "main", "--output", "out/avenant.md")
    assert again.exit_code == 2 and "--force" in again.output
    assert Path("out/avenant.md").read_text(encoding="utf-8") == "mes corrections"
    assert draft("--force").startswith("# Avenant n° 1")


def test_word_draft_holds_the_articles_as_real_tables(repo):
    import docx

    amend_actions()
    result = ti("avenant", ID, "--base", "main", "--to", "docx", "--output", "out")
    assert result.exit_code == 0, result.output
    document = docx.Document("out/avenant-01.docx")
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert "Article 4 — Ajout de l'action n° 10" in headings
    cells = {c.text for t in document.tables for row in t.rows for c in row.cells}
    assert {"8 000 000 €", "44 593 500 €"} <= cells


def test_nothing_changed_means_no_avenant(repo):
    result = ti("avenant", ID, "--base", "main")
    assert result.exit_code == 2
    assert f"rien à modifier par avenant : aucune action de {ID} n'a changé entre main et " in result.output.replace(
        "\u00a0", " "
    )


def test_the_versions_are_named_by_date_and_subject_never_by_git_refs(repo: Path) -> None:
    import datetime as dt
    import subprocess

    amend_actions()
    commit("Avenant 1 : action 10 ajoutée, action 9 retirée")
    day = subprocess.run(
        ["git", "log", "-1", "--format=%cs"], check=True, capture_output=True, text=True
    ).stdout.strip()
    when = dt.date.fromisoformat(day)
    from ti_cli.french import date_long

    head = ti("avenant", ID, "--base", "HEAD~1", "--head", "HEAD", "--output", "out/avenant.md")
    assert head.exit_code == 0, head.output
    text = Path("out/avenant.md").read_text(encoding="utf-8")
    assert (
        f"entre la version du {date_long(when)} (\u00ab\u00a0contrat signé\u00a0\u00bb) et la version du "
        f"{date_long(when)} (\u00ab\u00a0Avenant 1\u00a0: action 10 ajoutée, action 9 retirée\u00a0\u00bb)"
    ) in text
    assert "HEAD" not in text and "WORKTREE" not in text
