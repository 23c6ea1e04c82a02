"""``ti avenant``: the draft names every change, the parties concerned and the new total, French style."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import docx
import pytest

from conftest import CONTRACT, edit, said
from gitrepo import A3, ACTION_3_ROWS, ID, amend_actions, commit, git, init_repo, ti

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


def copil_threshold(rate: str) -> None:
    """The contract sets its own threshold of the general economy (the sample sets none)."""
    edit(f"{CONTRACT}/contract.yaml", "governance:\n", f"governance:\n  copil_threshold: {rate}\n")


def copil(text: str) -> str:
    return said(text).split("**Comité de pilotage régional** : ")[1].split("\n")[0]


def test_a_small_amorcage_change_needs_the_intercommunalites_only_and_the_partners_judge(repo):
    edit(A8, "operating: 130000", "operating: 140000")
    edit(A8, "total: 130000", "total: 140000")
    text = draft()
    assert parties(text) == INTERCOMMUNALITES
    # the contract sets no threshold: ti sets none of its own, the partners judge
    assert copil(text) == (
        "aucune action structurante n'est concernée ; le contrat ne fixant pas de seuil d'évolution de son "
        "économie générale, les partenaires apprécient si l'évolution du coût total (+0,0 %) demande la "
        "validation du comité de pilotage régional."
    )
    assert "10 %" not in said(text) and "seuil de" not in text


def test_a_small_change_under_the_contracts_own_threshold_needs_no_copil(repo):
    copil_threshold("0.10")
    edit(A8, "operating: 130000", "operating: 140000")
    edit(A8, "total: 130000", "total: 140000")
    assert copil(draft()) == (
        "validation non requise (aucune action structurante concernée ; évolution du coût total inférieure au "
        "seuil de 10 % fixé par le contrat)."
    )


def test_a_move_beyond_the_contracts_threshold_calls_every_signatory(repo):
    copil_threshold("0.10")
    edit(A8, "operating: 130000", "operating: 5130000")
    edit(A8, "total: 130000", "total: 5130000")
    text = draft()
    assert len(parties(text)) == 14
    assert copil(text) == "validation requise (le coût total du contrat évolue de +11,4 % (seuil : 10 %))."
    json_copil = json.loads(ti("diff", ID, "--base", "main", "--format", "json").stdout)["copil"]
    assert json_copil == {"needed": True, "actions": [], "threshold": "0.10"}


def test_the_same_move_under_a_higher_threshold_or_with_none_is_no_general_economy_change(repo):
    edit(A8, "operating: 130000", "operating: 5130000")
    edit(A8, "total: 130000", "total: 5130000")
    text = draft()
    assert parties(text) == INTERCOMMUNALITES and "les partenaires apprécient" in copil(text)
    assert "(+11,4 %)" in copil(text) and "10 %" not in said(text)
    assert json.loads(ti("diff", ID, "--base", "main", "--format", "json").stdout)["copil"] == {
        "needed": None,
        "actions": [],
        "threshold": None,
    }
    copil_threshold("0.125")
    assert "inférieure au seuil de 12,5 % fixé par le contrat" in copil(draft("--force"))


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
    assert f"rien à modifier par avenant : aucune action du contrat {ID} n'a changé entre main et " in said(
        result.output
    )  # « du contrat », never « de essai »


def test_the_versions_are_named_by_date_and_what_the_territory_recorded_never_by_commit_subjects(repo):
    from ti_cli.french import date_long

    git("commit", "-q", "--allow-empty", "-m", "v1")  # a developer's subjects, in English: never in a document
    day = said(date_long(dt.date.fromisoformat(git("log", "-1", "--format=%cs").strip())))
    edit(
        f"{CONTRACT}/contract.yaml",
        "amendments: []",
        "amendments:\n  - {number: 1, signed_on: 2021-06-30, summary: Ajout de l'action 10}",
    )
    commit("wip fix yaml typo")
    amend_actions()
    commit("fix: amend actions (see #12)")
    head = ti("avenant", ID, "--base", "HEAD~2", "--head", "HEAD", "--output", "out/avenant.md")
    assert head.exit_code == 0, head.output
    text = said(Path("out/avenant.md").read_text(encoding="utf-8"))
    assert (
        f"entre la version du {day} (contrat initial) et la version du {day} (après l'avenant n° 1 du "
        "30 juin 2021 : Ajout de l'action 10) du contrat"
    ) in text
    result = ti("avenant", ID, "--base", "HEAD~2", "--head", "HEAD", "--to", "docx", "--output", "out/word")
    assert result.exit_code == 0, result.output
    words = "\n".join(p.text for p in docx.Document("out/word/avenant-01.docx").paragraphs)
    assert "(après l'avenant n° 1 du 30 juin 2021 : Ajout de l'action 10)" in said(words)
    for document in (text, words):
        for subject in ("v1", "wip", "yaml typo", "fix:", "#12", "contrat signé", "HEAD", "WORKTREE"):
            assert subject not in document, subject


def test_the_files_on_disk_are_the_version_in_progress(repo):
    from ti_cli.french import date_long

    amend_actions()
    text = said(draft())
    assert f"et la version en cours ({said(date_long(dt.date.today()))}) du contrat" in text


def test_two_versions_of_one_day_recording_the_same_are_told_apart_by_their_time(repo):
    amend_actions()
    commit("v2")
    result = ti("avenant", ID, "--base", "HEAD~1", "--head", "HEAD", "--output", "out/avenant.md")
    assert result.exit_code == 0, result.output
    first = said(Path("out/avenant.md").read_text(encoding="utf-8")).splitlines()[2]
    assert len(re.findall(r"la version du [^(]+ à \d+ h \d\d \(contrat initial\)", first)) == 2, first


def test_a_threshold_written_as_a_percentage_is_refused_with_the_rate_to_write(sample):
    from conftest import run

    copil_threshold("10")
    [finding] = [f for f in run(CONTRACT).findings if f.code == "TI014"]
    assert said(finding.message) == (
        "governance.copil_threshold : 10 se lit comme un pourcentage : écrivez le taux, 0.10 pour 10 % (trouvé : 10)"
    )


def test_financing_whose_amounts_the_contract_never_gave_is_not_said_to_be_0_euros(repo):
    # the phase-1 sample's lines are validées without amounts: « 0 € → 0 € » would tell the préfet that
    # nothing is secured, where the contract simply does not say how much
    edit(A3, "investment: 7500000", "investment: 7600000")
    edit(A3, "total: 7580000", "total: 7680000")
    text = said(draft())
    assert "financements acquis : 0 € → 0 €" not in text
    assert "financements acquis : montants non précisés (16 lignes acquises) → montants non précisés " in text
    # the figure keeps its one name (SPEC §14: « Acquis »), never « sécurisés »
    assert "sécurisé" not in text


def test_two_modified_actions_read_des_actions(repo):
    edit(A3, "investment: 7500000", "investment: 7600000")
    edit(A3, "total: 7580000", "total: 7680000")
    edit(A8, "operating: 130000", "operating: 140000")
    edit(A8, "total: 130000", "total: 140000")
    text = said(draft())
    assert "- modification des actions n° 3 et 8 ;" in text
    assert "l'actions" not in text


def test_a_financing_line_taken_out_or_put_in_reads_aucune_ligne_not_a_dash(repo):
    edit(A3, "  - {financer: bdt-subventions, eligibility: validee}\n", "")
    edit(
        A3,
        "  - {financer: prives, eligibility: validee}\n",
        "  - {financer: prives, eligibility: validee}\n  - {financer: ademe, eligibility: a_confirmer}\n",
    )
    text = said(draft())
    assert "| éligibilité (Banque des territoires (subventions)) | validée | aucune ligne |  |" in text
    assert "| éligibilité (ADEME) | aucune ligne | à confirmer |  |" in text
