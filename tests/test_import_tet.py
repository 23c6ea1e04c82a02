"""``ti import xlsx`` on a plan typed into Territoires en Transitions' import template (SPEC §16)."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from conftest import said
from tet_fixture import FICHES, HEADERS, tet_workbook
from ti_cli.cli import app

P2 = "rochefort-royan-marennes-oleron-2023"
P1 = "rochefort-royan-marennes-oleron"
ROOT2 = Path(f"data/contracts/{P2}")
AXES = '"1 - Foncier et immobilier d\'entreprise": FONCIER\n"2 - Compétences": COMPETENCES\n'
ACTION_7 = """\
# yaml-language-server: $schema=../../../../schemas/action.schema.json
number: 7
title: Requalification de la zone des Soeurs
axis: FONCIER
strategic_axis: 1 - Foncier et immobilier d'entreprise > 1.1 Requalifier les zones d'activités
category: structurante
owner: CARO
planned_start: 2026-03-01
planned_end: 2027-06-30
cost:
  total: 1200000
financing:
  - {financer: etat, status: sollicite, amount: 300000}
  - {financer: region, status: sollicite}
description: |
  Reprise des voiries et des réseaux de la zone.
  Signalétique commune.
comment: |
  Importé de Territoires en Transitions.
  Objectifs : Accueillir 5 entreprises
  Partenaires : CCI Charente-Maritime
  Niveau de priorité : Élevé
"""


def invoke(*args: str):
    return CliRunner().invoke(app, list(args))


def files() -> dict[str, str]:
    return {str(p): p.read_text(encoding="utf-8") for p in sorted(Path("data").rglob("*.yaml"))}


def tet_import(*extra: str, contract: str = P2, book: str = "plan.xlsx"):
    Path("axes.yaml").write_text(AXES, encoding="utf-8")
    return invoke("import", "xlsx", book, "--contract", contract, "--as-of", "2026-11-23", *extra)


def test_a_tet_plan_comes_in_with_its_fiches_budgets_financers_and_statuses(sample):
    tet_workbook("plan.xlsx", FICHES)
    before = json.loads(invoke("totals", P2, "--format", "json").stdout)
    result = tet_import("--axis-map", "axes.yaml")
    assert result.exit_code == 0, result.output
    out = said(result.stdout)
    assert "un plan de Territoires en Transitions : 3 fiches" in out
    assert f"{ROOT2}/actions/07-requalification-zone-soeurs.yaml créé (action 7)" in out
    assert f"{ROOT2}/progress/2026-Q4.yaml créé (2026-Q4.yaml)" in out
    # Every column it cannot place is said.
    assert (
        "non importé (ti n'a pas de champ pour elles) : « Sous-action », « Indicateurs liés », « Documents et liens »"
        in out
    )
    assert "gardé dans le commentaire de chaque action : « Instances de gouvernance », « Objectifs »" in out
    assert (ROOT2 / "actions/07-requalification-zone-soeurs.yaml").read_text(encoding="utf-8") == ACTION_7
    forum = (ROOT2 / "actions/08-forum-metiers-industrie.yaml").read_text(encoding="utf-8")
    assert "cost:\n  total: 40000\n" in forum and "{financer: cara, status: sollicite, amount: 15000.50}" in forum
    study = (ROOT2 / "actions/09-etude-besoins-recrutement.yaml").read_text(encoding="utf-8")
    assert "category: amorcage\n" in study and "cost" not in study
    assert (ROOT2 / "progress/2026-Q4.yaml").read_text(encoding="utf-8") == (
        "# yaml-language-server: $schema=../../../../schemas/progress.schema.json\n"
        "quarter: 2026-Q4\n"
        "reported_on: 2026-11-23\n"
        "actions:\n"
        "  - number: 7\n"
        "    status: en_cours\n"
        "    progress: 0\n"
        "    comment: 'Statut dans Territoires en Transitions : « En retard » ; avancement inconnu, mis à 0'\n"
        "  - number: 8\n"
        "    status: a_lancer\n"
        "    progress: 0\n"
        "    comment: 'Statut dans Territoires en Transitions : « À venir »'\n"
        "  - number: 9\n"
        "    status: termine\n"
        "    progress: 100\n"
        "    comment: 'Statut dans Territoires en Transitions : « Réalisé »'\n"
    )
    # The sums count the totals; the split they lack is said (SPEC §14), the lines are only sollicité.
    after = json.loads(invoke("totals", P2, "--format", "json").stdout)
    assert (before["total"], after["total"], after["unsplit"]) == ("13560000.00", "14800000.00", "1240000.00")
    assert (
        after["investment"] == before["investment"] and after["financing"]["secured"] == before["financing"]["secured"]
    )
    assert after["financing"]["requested"] == "2875000.50"  # 2 560 000 + 300 000 + 15 000,50
    checked = invoke("validate", str(ROOT2), "--as-of", "2026-11-23")
    assert checked.exit_code == 0, checked.output
    assert checked.output.count("TI025") == 2


def test_a_second_import_of_the_same_plan_changes_nothing(sample):
    tet_workbook("plan.xlsx", FICHES)
    assert tet_import("--axis-map", "axes.yaml").exit_code == 0
    before = files()
    again = tet_import("--axis-map", "axes.yaml")
    assert again.exit_code == 0, again.output
    assert "ligne 2 : déjà au contrat comme action 7 (même titre), laissée telle quelle" in said(again.stdout)
    assert files() == before


def test_dry_run_shows_the_files_and_writes_nothing(sample):
    tet_workbook("plan.xlsx", FICHES)
    before = files()
    result = tet_import("--axis-map", "axes.yaml", "--dry-run")
    assert result.exit_code == 0, result.output
    assert f"créerait {ROOT2}/actions/07-requalification-zone-soeurs.yaml (action 7)" in said(result.stdout)
    assert "+  - {financer: etat, status: sollicite, amount: 300000}" in result.stdout
    assert files() == before


def test_headers_are_matched_ignoring_case_accents_spaces_and_hints(sample):
    spelled = {
        "Axe (x)": "AXE",
        "Titre de la fiche action": "titre de la fiche-action",
        "Structure pilote": "STRUCTURE  PILOTE",
        "Budget prévisionnel total € HT": "Budget previsionnel total (€ HT)",
        "Date de début (JJ/MM/AAAA)": "Date de debut",
        "Élu·e référent·e": "Elu.e referent.e",
        "Financeur 1": "Financeur 1 (nom)",
    }
    headers = [spelled.get(h, h) for h in HEADERS]
    fiches = [{spelled.get(k, k): v for k, v in fiche.items()} for fiche in FICHES]
    tet_workbook("plan.xlsx", fiches, headers)
    result = tet_import("--axis-map", "axes.yaml")
    assert result.exit_code == 0, result.output
    assert (ROOT2 / "actions/07-requalification-zone-soeurs.yaml").read_text(encoding="utf-8") == ACTION_7


def test_unknown_headers_are_listed_and_nothing_is_imported_unless_partial(sample):
    headers = [*HEADERS, "Code analytique", "Référent DDT"]
    tet_workbook("plan.xlsx", FICHES, headers)
    before = files()
    result = tet_import("--axis-map", "axes.yaml")
    assert result.exit_code == 1
    assert (
        "des en-têtes hors du modèle de Territoires en Transitions : « Code analytique », « Référent DDT » ; "
        "rien n'est importé (--partial importe les colonnes connues)"
    ) in said(result.stderr)
    assert files() == before
    partial = tet_import("--axis-map", "axes.yaml", "--partial")
    assert partial.exit_code == 0, partial.output
    assert "non importé (colonnes hors du modèle) : « Code analytique », « Référent DDT »" in said(partial.stdout)
    assert (ROOT2 / "actions/07-requalification-zone-soeurs.yaml").is_file()


def test_an_axis_without_mapping_stops_with_the_headings_to_map(sample):
    fiches = [dict(FICHES[0]), {**FICHES[1], "Axe (x)": "Mobiliser un foncier industriel adapté"}]
    tet_workbook("plan.xlsx", fiches)
    result = invoke("import", "xlsx", "plan.xlsx", "--contract", P2, "--as-of", "2026-11-23")
    assert result.exit_code == 1
    # The second heading is the programme's own axis label: inferred, not asked for.
    assert (
        "aucun axe du programme pour ce titre du plan : « 1 - Foncier et immobilier d'entreprise » ; indiquez-le "
        'dans un fichier YAML (une ligne "titre": AXE, axes TRANSITION, INNOVATION, COMPETENCES, FONCIER) donné avec '
        "--axis-map"
    ) in said(result.stderr)
    Path("axes.yaml").write_text('"1.1 Requalifier les zones d\'activités": FONCIER\n', encoding="utf-8")
    mapped = invoke("import", "xlsx", "plan.xlsx", "-c", P2, "--axis-map", "axes.yaml", "--as-of", "2026-11-23")
    assert mapped.exit_code == 0, mapped.output  # a sub-heading's mapping serves too
    assert "axis: FONCIER\n" in (ROOT2 / "actions/08-forum-metiers-industrie.yaml").read_text(encoding="utf-8")


def test_an_unknown_financer_stops_naming_the_closest_unless_added(sample):
    fiches = [{**FICHES[1], "Financeur 2": "Banque des Territoire", "Montant € HT 2": 10000}]
    tet_workbook("plan.xlsx", fiches)
    before = files()
    result = tet_import("--axis-map", "axes.yaml")
    assert result.exit_code == 1
    assert (
        "T2 : le financeur « Banque des Territoire » n'est pas l'un de ceux du contrat (le plus proche : "
        "« Banque des territoires ») : rien n'est importé"
    ) in said(result.stderr)
    assert files() == before
    added = tet_import("--axis-map", "axes.yaml", "--add-financers")
    assert added.exit_code == 0, added.output
    assert "un plan de Territoires en Transitions : 1 fiche\n" in said(added.stdout)
    contract = (ROOT2 / "contract.yaml").read_text(encoding="utf-8")
    assert (
        "  - {id: banque-territoire, name: Banque des Territoire, kind: operateur}  # ajouté par ti import depuis "
        "Territoires en Transitions : vérifiez sa nature (kind)\n"
    ) in contract  # the data is French: so is what ti writes into it
    assert "{financer: banque-territoire, status: sollicite, amount: 10000}" in (
        ROOT2 / "actions/07-forum-metiers-industrie.yaml"
    ).read_text(encoding="utf-8")


def test_a_phase1_contract_gets_lines_to_confirm_and_its_quarter_file_updated(sample):
    Path("axes.yaml").write_text('"2 - Compétences": RECRUTER\n', encoding="utf-8")
    tet_workbook("plan.xlsx", [{**FICHES[1], "Financeur 1": "Région Nouvelle-Aquitaine"}])
    progress = Path(f"data/contracts/{P1}/progress/2021-Q4.yaml")
    before = progress.read_text(encoding="utf-8")
    result = invoke("import", "xlsx", "plan.xlsx", "-c", P1, "--axis-map", "axes.yaml", "--as-of", "2021-12-01")
    assert result.exit_code == 0, result.output
    action = Path(f"data/contracts/{P1}/actions/10-forum-metiers-industrie.yaml").read_text(encoding="utf-8")
    assert "  - {financer: region, eligibility: a_confirmer, amount: 15000.50}\n" in action
    after = progress.read_text(encoding="utf-8")
    assert after.startswith(before.rstrip("\n"))  # the other actions' entries untouched
    assert after[len(before.rstrip("\n")) :] == (
        "\n  - number: 10\n    status: a_lancer\n    progress: 0\n"
        "    comment: 'Statut dans Territoires en Transitions : « À venir »'\n"
    )


def test_a_status_tet_does_not_have_is_a_finding_at_its_cell(sample):
    tet_workbook("plan.xlsx", [{**FICHES[1], "Statut": "Presque fini"}])
    result = tet_import("--axis-map", "axes.yaml")
    assert result.exit_code == 1
    assert "Y2 : le statut « Presque fini » n'est pas l'un de ceux de Territoires en Transitions" in said(result.stderr)
