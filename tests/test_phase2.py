"""Phase 2 (SPEC §10): the programme's axes, financing by stage, indicators, decisions — one planted
defect per rule, reported at its line with the figures involved; the phase-2 sample is clean."""

from __future__ import annotations

import json
import shutil
from decimal import Decimal
from pathlib import Path

from openpyxl import load_workbook

from conftest import edit, found, line_of, planted, run, said
from gitrepo import amend_actions, init_repo, ti
from test_xlsx import columns
from ti_cli import i18n

P2 = "data/contracts/rochefort-royan-marennes-oleron-2023"
C2 = f"{P2}/contract.yaml"
F1 = f"{P2}/actions/01-foncier-aeroport.yaml"
F3 = f"{P2}/actions/03-pole-formation-maison-industries.yaml"
F4 = f"{P2}/actions/04-pacte-industrie-territoire.yaml"
F5 = f"{P2}/actions/05-decarbonation-site-industriel.yaml"
D1 = f"{P2}/decisions/2024-03-14-copil-local.yaml"
D2 = f"{P2}/decisions/2024-09-10-comite-de-projets.yaml"


def codes(report, code):
    return [f for f in report.findings if f.code == code]


def test_the_phase2_sample_is_clean(sample):
    report = run(P2)
    assert report.findings == []
    assert report.files == 11  # contract, 6 actions, 3 decisions, 1 progress


def test_phase1_axis_in_a_phase2_plan_lists_the_programme_axes(sample):
    edit(F1, "axis: FONCIER", "axis: ATTIRER")
    [finding] = codes(run(P2), "TI110")
    assert finding.line == line_of(F1, "axis: ATTIRER")
    assert said(finding.message) == (
        "l'axe « ATTIRER » n'est pas un axe du programme ti-2023 : choisissez TRANSITION, "
        "INNOVATION, COMPETENCES, FONCIER"
    )


def test_phase2_axis_in_a_phase1_contract_and_other_axes(sample):
    edit(C2, "programme: ti-2023", "programme: ti-2019")
    report = run(P2)
    assert ("TI110", "01-foncier-aeroport.yaml", line_of(F1, "axis: FONCIER")) in found(report)
    assert ("TI110", "01-foncier-aeroport.yaml", line_of(F1, "other_axes:")) in found(report)
    assert "ATTIRER, RECRUTER, INNOVER, SIMPLIFIER" in codes(report, "TI110")[0].message


def test_paid_above_amount_shows_both_figures(sample):
    edit(F1, "amount: 600000\n    paid: 240000", "amount: 300000\n    paid: 350000")
    [finding] = codes(run(P2), "TI111")
    assert finding.line == line_of(F1, "paid: 350000")
    assert finding.message == "versé (paid) 350 000 € > montant (amount) 300 000 € (50 000 € de trop)"


def test_decided_before_requested(sample):
    edit(F1, "decided_on: 2024-06-10", "decided_on: 2024-01-10")
    assert planted(run(P2)) == {("TI112", "01-foncier-aeroport.yaml", line_of(F1, "decided_on: 2024-01-10"))}


def test_eligibility_and_status_on_one_line(sample):
    edit(F1, "- financer: bdt\n", "- financer: bdt\n    eligibility: validee\n")
    assert planted(run(P2)) == {("TI113", "01-foncier-aeroport.yaml", line_of(F1, "status: sollicite"))}


def test_a_measure_in_the_future_is_an_error_whatever_as_of(sample):
    edit(F1, "{on: 2026-06-30, value: 8.5}", "{on: 2099-06-30, value: 8.5}")
    assert planted(run(P2)) == {("TI114", "01-foncier-aeroport.yaml", line_of(F1, "2099-06-30"))}


def test_siren_and_siret_checksums(sample):
    edit(C2, 'siren: "200041762"', 'siren: "200041763"')
    edit(F5, 'owner_siret: "99999999800019"', 'owner_siret: "99999999800018"')
    report = run(P2)
    assert ("TI115", "contract.yaml", line_of(C2, "200041763")) in found(report)
    assert ("TI116", "05-decarbonation-site-industriel.yaml", line_of(F5, "owner_siret")) in found(report)


def test_a_siret_whose_siren_fails_is_refused(sample):
    # 14 digits that pass the checksum while their first 9 do not.
    edit(F5, 'owner_siret: "99999999800019"', 'owner_siret: "99999999900009"')
    [finding] = codes(run(P2), "TI116")
    assert "SIREN 999999999" in finding.message


def test_a_phase2_field_on_a_phase1_line_is_an_error(sample):
    edit(
        F4,
        "{financer: caro, status: engage, amount: 90000, paid: 45000}",
        "{financer: caro, eligibility: validee, amount: 90000, paid: 45000}",
    )
    assert planted(run(P2)) == {("TI117", "04-pacte-industrie-territoire.yaml", line_of(F4, "paid: 45000"))}


def test_custom_indicator_needs_title_and_unit_and_opinion_only_on_avis(sample):
    edit(
        F4,
        "{id: revues-pacte, title: Revues annuelles des membres du pacte tenues, unit: revues, target: 60}",
        "{id: revues-pacte, target: 60}",
    )
    edit(D1, "{action: 1, kind: validation,", "{action: 1, kind: validation, opinion: favorable,")
    report = run(P2)
    assert ("TI117", "04-pacte-industrie-territoire.yaml", line_of(F4, "revues-pacte")) in found(report)
    assert ("TI117", "2024-03-14-copil-local.yaml", line_of(D1, "opinion")) in found(report)


def test_unknown_dispositif_is_a_warning(sample):
    edit(F1, "dispositif: fnadt", "dispositif: fnadtt")
    [finding] = codes(run(P2), "TI120")
    assert finding.severity.value == "warning" and finding.line == line_of(F1, "fnadtt")


def test_decision_on_an_unknown_action_unless_withdrawn(sample):
    edit(D1, "{action: 4, kind: validation", "{action: 14, kind: validation")
    report = run(P2)
    assert ("TI121", "2024-03-14-copil-local.yaml", line_of(D1, "action: 14")) in found(report)
    assert ("TI123", "04-pacte-industrie-territoire.yaml", line_of(F4, "number: 4")) in found(report)


def test_a_removed_action_awaits_its_retrait(sample):
    Path(F4).unlink()
    assert planted(run(P2)) == {
        ("TI121", "2024-03-14-copil-local.yaml", line_of(D1, "action: 4")),
        ("TI040", "2026-Q3.yaml", line_of(f"{P2}/progress/2026-Q3.yaml", "number: 4")),  # its quarter reports on it
    }
    with open(D1, "a", encoding="utf-8") as f:
        f.write("  - {action: 4, kind: retrait, summary: Retrait de l'animation du pacte}\n")
    assert not codes(run(P2), "TI121")


def test_retrait_of_an_action_whose_file_remains(sample):
    with open(D1, "a", encoding="utf-8") as f:
        f.write("  - {action: 2, kind: retrait, summary: Retrait}\n")
    assert planted(run(P2)) == {("TI124", "2024-03-14-copil-local.yaml", line_of(D1, "kind: retrait"))}


def test_fonds_vert_for_a_company_needs_the_governance_opinion_before_the_decision(sample):
    edit(D2, "date: 2024-09-10", "date: 2025-02-10")  # the opinion now comes after the grant (2025-01-20)
    [finding] = codes(run(P2), "TI122")
    assert finding.line == line_of(F5, "dispositif: fonds-vert-ti")
    assert "au plus tard le 20/01/2025" in finding.message
    shutil.move(D2, f"{P2}/2024-09-10-comite-de-projets.yaml.bak")
    assert codes(run(P2), "TI122")  # no opinion at all


def test_fonds_vert_for_a_collectivite_needs_no_opinion(sample):
    assert not codes(run(P2), "TI122")  # action 3: fonds-vert-ti, maître d'ouvrage CARO


def test_verse_line_not_fully_paid(sample):
    edit(F4, "paid: 90000", "paid: 60000")
    [finding] = codes(run(P2), "TI125")
    assert finding.line == line_of(F4, "paid: 60000")
    assert "30 000 € restent à verser" in finding.message


def test_indicator_below_target_after_planned_end(sample):
    edit(F5, "{on: 2025-12-31, value: 300}", "{on: 2026-10-31, value: 300}")
    [finding] = codes(run(P2), "TI126")
    assert finding.line == line_of(F5, "value: 300")
    assert said(finding.message) == (
        "indicateur « emissions-evitees » : 300 au 31/10/2026, sous la cible 1 200 (fin prévue le 30/09/2026)"
    )


def test_structurante_secured_by_a_phase2_stage(sample):
    # Nothing paid on a line only requested (else TI133 too).
    edit(F5, "status: engage\n    amount: 540000\n    paid: 162000", "status: sollicite\n    amount: 540000")
    edit(F5, "{financer: autofinancement, status: engage", "{financer: autofinancement, status: sollicite")
    assert planted(run(P2)) == {("TI050", "05-decarbonation-site-industriel.yaml", line_of(F5, "category:"))}


def test_an_invalid_decisions_file_is_reported_at_its_line(sample):
    edit(D2, "body: comite-de-projets", "body: bureau")
    assert planted(run(P2)) == {("TI013", "2024-09-10-comite-de-projets.yaml", line_of(D2, "body: bureau"))}


# Figures ------------------------------------------------------------------------------------------


def totals_json(*args):
    result = ti("totals", "rochefort-royan-marennes-oleron-2023", "--format", "json", *args)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_phase2_totals_by_stage_are_exact(sample):
    data = totals_json("--by", "stage")
    assert data["total"] == "13560000.00"
    assert data["financing"] | {"own_shares": None} == {
        "secured": "7690000.00",  # obtenu + engagé + versé
        "requested": "2560000.00",
        "refused": "500000.00",  # in no other sum
        "paid": "1257000.00",  # payé à ce jour: every line's paid, whatever its stage
        "settled": "810000.00",  # soldé: the lines at stage versé
        "financed": "10250000.00",  # acquis + sollicité
        "to_find": "5870000.00",
        "unfunded": "3310000.00",
        "loans": "0.00",
        "unknown_amounts": 0,
        "own_shares": None,
    }
    assert {g["key"]: g["total"] for g in data["groups"]} == {
        "sollicite": "2560000.00",
        "obtenu": "2590000.00",
        "engage": "4290000.00",
        "verse": "810000.00",
        "refuse": "500000.00",
    }
    # the same « total des financements » under every grouping, refusé outside it
    for by in ("stage", "financer", "dispositif"):
        groups = totals_json("--by", by)["groups"]
        assert sum(Decimal(g["total"]) for g in groups if g["key"] != "refuse") == Decimal("10250000.00"), by


def test_phase2_totals_by_dispositif_leave_refused_lines_out(sample):
    groups = {g["key"]: g["total"] for g in totals_json("--by", "dispositif")["groups"]}
    assert groups["fonds-vert-ti"] == "1540000.00"
    assert groups["fnadt"] == "690000.00"
    assert "dsil" not in groups  # the only DSIL line was refused
    assert next(iter(groups)) == "region-industrie-durable"  # the contract's own dispositifs first


def test_phase2_totals_by_axis_use_the_programme_axes_and_count_an_action_once(sample):
    groups = totals_json("--by", "axis")["groups"]
    assert [(g["key"], g["total"]) for g in groups] == [
        ("TRANSITION", "1980000.00"),
        ("INNOVATION", "120000.00"),
        ("COMPETENCES", "5500000.00"),
        ("FONCIER", "5960000.00"),
    ]


# Decisions instead of avenants ---------------------------------------------------------------------


def phase2_repo(sample):
    init_repo(sample)
    edit(F1, "amount: 600000\n    paid: 240000", "amount: 700000\n    paid: 240000")  # +100 000 € from the État
    Path(F4).unlink()
    edit(
        f"{P2}/progress/2026-Q3.yaml",
        "  - {number: 4, status: en_cours, progress: 60, spent: {operating: 100000}}\n",
        "",
    )
    new = Path(F4).with_name("07-ecole-de-production.yaml")
    new.write_text(
        "number: 7\ntitle: École de production aéronautique\naxis: COMPETENCES\ncategory: amorcage\n"
        "cost: {investment: 0, operating: 250000}\n",
        encoding="utf-8",
    )


def test_decisions_draft_json_proposes_one_decision_per_change_and_writes_nothing(sample):
    phase2_repo(sample)
    before = sorted(Path(P2, "decisions").iterdir())
    result = ti("decisions", "draft", "rochefort-royan-marennes-oleron-2023", "--base", "main", "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == {
        "decisions": [
            {
                "action": 1,
                "kind": "modification",
                "summary": "Modification de l'action 1 « Commercialisation du foncier "
                "de 20 ha de l'aéroport de Rochefort-Charente-Maritime » : montant (État) 600 000 € → 700 000 € "
                "(+100 000 €)",
            },
            {
                "action": 4,
                "kind": "retrait",
                "summary": "Retrait du plan de l'action 4 « Animation du pacte "
                "industrie-territoire » (coût 180 000 € HT)",
            },
            {
                "action": 7,
                "kind": "ajout",
                "summary": "Inscription au plan de l'action 7 « École de production "
                "aéronautique » (axe Lever les freins au recrutement, compétences et attractivité, coût 250 000 € HT)",
            },
        ]
    }
    assert sorted(Path(P2, "decisions").iterdir()) == before


def test_decisions_draft_writes_a_new_file_that_completes_the_plan(sample, tmp_path):
    phase2_repo(sample)
    args = (
        "decisions",
        "draft",
        "rochefort-royan-marennes-oleron-2023",
        "--base",
        "main",
        "--as-of",
        "2026-11-20",
        "--output",
        str(tmp_path / "out"),
    )
    result = ti(*args)
    assert result.exit_code == 0, result.output
    written = Path(P2, "decisions", "2026-11-20-projet-releve.yaml")
    text = written.read_text(encoding="utf-8")
    # action 1, modified, is structurante: the regional COPIL decides (Article 5)
    assert "body: copil-regional\n" in text and "kind: retrait" in text
    assert "title: Comité de pilotage régional du 20 novembre 2026 (projet de relevé)\n" in said(text)
    document = said((tmp_path / "out" / "releve-decisions-2026-11-20.md").read_text(encoding="utf-8"))
    assert "| 7 | ajout au plan |" in document
    assert "| Coût total HT | 13 560 000 € | 13 630 000 € | +70 000 € |" in document
    # a draft decides nothing yet: the new action still waits for its ajout; its retrait names the removed one
    assert [(f.code, Path(f.file).name) for f in run(P2).findings if f.code in ("TI121", "TI123")] == [
        ("TI123", "07-ecole-de-production.yaml")
    ]
    assert "\ndraft: true\n" in text
    written.write_text(text.replace("\ndraft: true\n", "\n"), encoding="utf-8")  # the meeting adopted it
    assert not {f.code for f in run(P2).findings} & {"TI121", "TI123"}
    written.write_text(text, encoding="utf-8")
    again = ti(*args)  # every change is now in the draft's decisions: nothing new to propose, nothing written
    assert again.exit_code == 0 and said(again.output).startswith(
        "ti: rien de nouveau à décider : chaque changement de rochefort-royan-marennes-oleron-2023 depuis main est "
        "déjà proposé dans un projet de relevé (un fichier de decisions/ avec draft: true) — complétez-le"
    )
    assert written.read_text(encoding="utf-8") == text
    edit(F3, "title: ", "title: Nouveau ")  # a further change, on the same day
    third = ti(*args)
    assert third.exit_code == 2 and "existe déjà" in third.output  # never over an existing file


def test_avenant_and_decisions_name_each_other(sample):
    phase2_repo(sample)
    amend_actions()
    avenant = ti("avenant", "rochefort-royan-marennes-oleron-2023", "--base", "main")
    assert avenant.exit_code == 2 and "ti decisions draft" in avenant.output
    draft = ti("decisions", "draft", "rochefort-royan-marennes-oleron", "--base", "main")
    assert draft.exit_code == 2 and "ti avenant rochefort-royan-marennes-oleron --base main" in draft.output


def test_the_pull_request_summary_of_a_plan_asks_for_decisions_not_an_avenant(sample):
    phase2_repo(sample)
    plan = ti("diff", "rochefort-royan-marennes-oleron-2023", "--base", "main", "--format", "markdown")
    assert "`ti decisions draft rochefort-royan-marennes-oleron-2023 --base main`" in plan.output
    assert "ti avenant" not in plan.output
    amend_actions()
    contract = ti("diff", "rochefort-royan-marennes-oleron", "--base", "main", "--format", "markdown")
    assert "`ti avenant rochefort-royan-marennes-oleron --base main`" in contract.output


def test_the_proposed_decisions_are_the_same_french_text_whatever_the_language(sample):
    phase2_repo(sample)
    args = ("decisions", "draft", "rochefort-royan-marennes-oleron-2023", "--base", "main", "--format", "json")
    french = ti(*args)
    i18n.activate("en")
    try:
        english = ti(*args)
        table = ti("diff", "rochefort-royan-marennes-oleron-2023", "--base", "main")
    finally:
        i18n.activate("fr")
    assert "1 action added, 1 action removed, 1 action modified" in table.output  # English was on
    assert french.stdout == english.stdout and "montant (État)" in french.stdout


# Evaluation -----------------------------------------------------------------------------------------


def evaluation_json(*args):
    result = ti("report", "evaluation", "rochefort-royan-marennes-oleron-2023", "--format", "json", *args)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_evaluation_json_gives_each_indicator_target_and_latest_value(sample):
    data = evaluation_json("--as-of", "2026-11-23")
    assert data["contract"] == "rochefort-royan-marennes-oleron-2023" and data["as_of"] == "2026-11-23"
    by_id = {(i["action"], i["id"]): i for i in data["indicators"]}
    assert by_id[(1, "foncier-mobilise")] | {"title": None} == {
        "action": 1,
        "id": "foncier-mobilise",
        "title": None,
        "unit": "ha",
        "target": "20",
        "value": "8.5",
        "on": "2026-06-30",
    }
    assert by_id[(4, "revues-pacte")]["value"] is None
    assert data["financing"] == {
        "sollicite": "2560000.00",
        "obtenu": "2590000.00",
        "engage": "4290000.00",
        "verse": "810000.00",
        "paid": "1257000.00",
    }
    assert data["late"] == [5]  # planned_end 30/09/2026, 80 % done
    assert [d["action"] for d in data["decisions"]] == [1, 2, 3, 4, 5, 5, 6]


def test_evaluation_as_of_an_earlier_date_counts_only_the_measures_until_then(sample):
    data = evaluation_json("--as-of", "2025-12-31")
    by_id = {(i["action"], i["id"]): i["value"] for i in data["indicators"]}
    assert by_id[(1, "foncier-mobilise")] == "4"  # the 2026 measure is not yet there
    assert by_id[(1, "emplois-crees")] is None
    assert data["late"] == [] and [d["action"] for d in data["decisions"]] == [1, 2, 3, 4, 5, 5, 6]
    assert {a["number"]: a["progress"] for a in data["actions"]}[5] == 0  # the 2026-Q3 report comes later


def test_evaluation_document_shows_axes_stages_indicators_and_decisions(sample, tmp_path):
    result = ti(
        "report",
        "evaluation",
        "rochefort-royan-marennes-oleron-2023",
        "--as-of",
        "2026-11-23",
        "--to",
        "md",
        "--to",
        "docx",
        "--output",
        str(tmp_path),
    )
    assert result.exit_code == 0, result.output
    text = (tmp_path / "evaluation-2026-11-23.md").read_text(encoding="utf-8")
    assert (
        "| Mobiliser un foncier industriel adapté | 2 | 5 960 000 € | 1 000 000 € | 1 530 000 € | 1 300 000 € "
        "| 720 000 € | 960 000 € |"
    ) in text
    assert "| Foncier industriel mobilisé | 20 ha | 8,5 ha | 30/06/2026 | 42,5 % |" in text
    assert "échéance prévue le 30 septembre 2026 — **en retard**" in text
    assert "| 10/09/2024 | Comité de projets du 10 septembre 2024 | 5 | avis sur le Fonds vert |" in text
    assert (tmp_path / "evaluation-2026-11-23-figures" / "indicateurs-cible-valeur.png").stat().st_size > 1000
    assert (tmp_path / "evaluation-2026-11-23.docx").stat().st_size > 0


# Carry-over --------------------------------------------------------------------------------------------


def test_new_plan_from_a_phase1_contract_carries_unfinished_actions_with_an_axis_to_choose(sample):
    result = ti("new", "plan", "rochefort-2023", "--from", "rochefort-royan-marennes-oleron")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0].replace("\u00a0", " ").replace("\u202f", " ") == (
        "data/contracts/rochefort-2023 créé : 8 actions reprises (1, 2, 3, 4, 5, 7, 8, 9) ; choisissez l'axe de chacune"
    )
    plan = Path("data/contracts/rochefort-2023")
    assert sorted(p.name[:2] for p in (plan / "actions").iterdir()) == [
        "01",
        "02",
        "03",
        "04",
        "05",
        "07",
        "08",
        "09",
    ]  # action 6 is terminée
    contract = (plan / "contract.yaml").read_text(encoding="utf-8")
    assert "programme: ti-2023\n" in contract and "- intercommunalite: cc-ile-oleron\n" in contract
    a1 = plan / "actions" / "01-filiere-aeronautique.yaml"
    assert "  investment: 16663500\n" in a1.read_text(encoding="utf-8")  # the figures come along
    report = run(str(plan))
    assert ("TI110", "01-filiere-aeronautique.yaml", line_of(a1, "axis: A_CHOISIR")) in found(report)
    assert "axe à choisir" in codes(report, "TI110")[0].message
    edit(a1, "axis: A_CHOISIR", "axis: FONCIER")
    assert ("TI110", "01-filiere-aeronautique.yaml", line_of(a1, "axis: FONCIER")) not in found(run(str(plan)))
    totals = ti("totals", "rochefort-2023", "--format", "json")
    assert totals.exit_code == 1  # the axes still to choose are errors: nothing is computed on them
    again = ti("new", "plan", "rochefort-2023", "--from", "rochefort-royan-marennes-oleron")
    assert again.exit_code == 2 and "existe déjà" in again.output


# Documents -----------------------------------------------------------------------------------------------


def test_contract_and_quarterly_documents_show_stages_and_decisions(sample, tmp_path):
    for args in (("render", "contract"), ("report", "quarterly")):
        result = ti(*args, "rochefort-royan-marennes-oleron-2023", "--to", "md", "--output", str(tmp_path))
        assert result.exit_code == 0, result.output
    contract = (tmp_path / "contract.md").read_text(encoding="utf-8")
    assert "- **Comité de projets du 26 juin 2025** (26 juin 2025) : action 6, ajout au plan —" in contract
    row = "| 2 | 700 000 € | 1 050 000 € | 700 000 € | 0 € | 0 € | 500 000 € |"
    assert row in contract and "| N° | Financeur | Étape | Dispositif | Montant |" in contract
    assert "| Mobiliser un foncier industriel adapté | 2 | 5 960 000 € |" in contract
    quarterly = (tmp_path / "quarterly-2026-Q3.md").read_text(encoding="utf-8")
    assert "## Plan de financement par étape" in quarterly and row in quarterly


def test_phase1_documents_keep_their_eligibility_table(sample, tmp_path):
    assert (
        ti("render", "contract", "rochefort-royan-marennes-oleron", "--to", "md", "--output", str(tmp_path)).exit_code
        == 0
    )
    text = (tmp_path / "contract.md").read_text(encoding="utf-8")
    assert "| N° | Financeur | Éligibilité | Dispositif | Montant |" in text
    assert "par étape" not in text and "Décisions de la gouvernance" not in text


# Excel both ways -------------------------------------------------------------------------------------------


def phase2_book(tmp_path):
    book = tmp_path / "plan.xlsx"
    result = ti("totals", "rochefort-royan-marennes-oleron-2023", "--format", "xlsx", "--output", str(book))
    assert result.exit_code == 0, result.output
    return book


def plan_files():
    return {str(p): p.read_text(encoding="utf-8") for p in sorted(Path(P2).rglob("*.yaml"))}


def test_a_phase2_plan_round_trips_through_excel_unchanged(sample, tmp_path):
    before = plan_files()
    book = phase2_book(tmp_path)
    wb = load_workbook(book)
    cols = columns(wb["Actions"])
    assert [wb["Actions"].cell(2, cols[("État", sub)]).value for sub in ("Étape", "Dispositif", "Montant", "Payé")] == [
        "Étape",
        "Dispositif",
        "Montant",
        "Payé",
    ]
    row = [wb["Actions"].cell(3, cols[("État", sub)]).value for sub in ("Étape", "Dispositif", "Montant", "Payé")]
    assert row == ["engagé", "fnadt", 600000, 240000]
    indicators = [[c.value for c in r][:7] for r in wb["Indicateurs"].iter_rows(min_row=2)]
    assert [
        1,
        "Commercialisation du foncier de 20 ha de l'aéroport de Rochefort-Charente-Maritime",
        "foncier-mobilise",
        "Foncier industriel mobilisé",
        "ha",
        20,
        8.5,
    ] in indicators
    assert {"Par étape", "Par dispositif"} <= set(wb.sheetnames)
    result = ti("import", "xlsx", str(book), "--contract", "rochefort-royan-marennes-oleron-2023")
    assert result.exit_code == 0, result.output
    assert "inchangées\u00a0: actions 1, 2, 3, 4, 5, 6" in result.output
    assert plan_files() == before


def test_a_stage_and_a_payment_changed_in_excel_come_back_to_the_yaml(sample, tmp_path):
    book = phase2_book(tmp_path)
    wb = load_workbook(book)
    ws = wb["Actions"]
    cols = columns(ws)
    ws.cell(3, cols[("Banque des territoires", "Étape")]).value = "obtenu"
    ws.cell(3, cols[("État", "Payé")]).value = 360000
    wb.save(book)
    result = ti("import", "xlsx", str(book), "--contract", "rochefort-royan-marennes-oleron-2023")
    assert result.exit_code == 0, result.output
    text = Path(F1).read_text(encoding="utf-8")
    assert "    paid: 360000\n" in text and "  - financer: bdt\n    status: obtenu\n" in text
    data = totals_json()
    assert data["financing"]["paid"] == "1377000.00" and data["financing"]["requested"] == "2260000.00"


def test_an_unknown_stage_in_excel_is_a_finding_at_its_cell(sample, tmp_path):
    book = phase2_book(tmp_path)
    wb = load_workbook(book)
    cols = columns(wb["Actions"])
    wb["Actions"].cell(3, cols[("État", "Étape")]).value = "promis"
    wb.save(book)
    result = ti("import", "xlsx", str(book), "--contract", "rochefort-royan-marennes-oleron-2023")
    assert result.exit_code == 1 and "TI093" in result.output and "étape « promis » inconnue" in said(result.output)


def test_new_action_in_a_phase2_plan_takes_the_2023_axes(sample):
    refused = ti(
        "new",
        "action",
        "rochefort-royan-marennes-oleron-2023",
        "--title",
        "Campus",
        "--axis",
        "ATTIRER",
        "--category",
        "amorcage",
    )
    assert refused.exit_code == 2 and "TRANSITION, INNOVATION, COMPETENCES, FONCIER" in refused.output
    made = ti(
        "new",
        "action",
        "rochefort-royan-marennes-oleron-2023",
        "--title",
        "Campus",
        "--axis",
        "INNOVATION",
        "--category",
        "amorcage",
    )
    assert made.exit_code == 0, made.output
    text = Path(P2, "actions", "07-campus.yaml").read_text(encoding="utf-8")
    assert "axis: INNOVATION  # TRANSITION | INNOVATION | COMPETENCES | FONCIER\n" in text


# Issue 23.8: phase-2 inconsistencies that validated clean. One planted defect each, the exact findings.
C2_REGION = "name: Région Nouvelle-Aquitaine — soutien à l'industrie durable, financer: region}"
F2 = f"{P2}/actions/02-hub-aeronautique.yaml"
BDT = "status: sollicite\n    amount: 300000"


def test_paid_on_a_refused_line_is_an_error(sample):
    edit(F1, BDT, "status: refuse\n    amount: 300000\n    paid: 1000")
    assert planted(run(P2)) == {("TI127", "01-foncier-aeroport.yaml", line_of(F1, "paid: 1000"))}
    assert said(codes(run(P2), "TI127")[0].message).startswith("versé (paid) 1 000 € sur une ligne refusée")


def test_paid_on_a_requested_line_is_a_warning(sample):
    edit(F1, BDT, f"{BDT}\n    paid: 1000")
    assert planted(run(P2)) == {("TI133", "01-foncier-aeroport.yaml", line_of(F1, "paid: 1000"))}
    assert codes(run(P2), "TI133")[0].severity.value == "warning"


def test_planned_end_before_start_is_an_error_alone(sample):
    edit(F1, "planned_end: 2027-06-30", "planned_end: 2023-06-30")
    assert planted(run(P2)) == {("TI128", "01-foncier-aeroport.yaml", line_of(F1, "planned_end: 2023-06-30"))}


def test_volet_out_of_range_for_fonds_vert(sample):
    edit(F5, "volet: 1", "volet: 99")
    assert planted(run(P2)) == {("TI129", "05-decarbonation-site-industriel.yaml", line_of(F5, "volet: 99"))}
    assert said(codes(run(P2), "TI129")[0].message) == (
        "le volet 99 n'existe pas pour fonds-vert-ti : ses volets vont de 1 à 3"
    )


def test_two_dispositifs_with_one_id(sample):
    edit(C2, "dispositifs:\n", "dispositifs:\n  - {id: region-industrie-durable, name: Doublon, financer: region}\n")
    second = line_of(C2, C2_REGION)
    assert planted(run(P2)) == {("TI130", "contract.yaml", second)}


def test_a_dispositif_naming_a_financer_the_contract_lacks(sample):
    edit(C2, C2_REGION, C2_REGION.replace("financer: region", "financer: departement"))
    assert planted(run(P2)) == {("TI131", "contract.yaml", line_of(C2, "financer: departement"))}


def test_a_dispositif_of_one_financer_on_another_financers_line(sample):
    edit(
        F1,
        "- financer: region\n    dispositif: region-industrie-durable",
        "- financer: etat\n    dispositif: region-industrie-durable",
    )
    found_ = planted(run(P2))
    line = line_of(F1, "dispositif: region-industrie-durable")
    assert found_ == {("TI132", "01-foncier-aeroport.yaml", line)}


def test_measures_before_the_plan_or_twice_on_one_date(sample):
    edit(F1, "{on: 2025-06-30, value: 4}", "{on: 2020-06-30, value: 4}")
    assert planted(run(P2)) == {("TI134", "01-foncier-aeroport.yaml", line_of(F1, "2020-06-30"))}
    edit(F1, "{on: 2020-06-30, value: 4}", "{on: 2026-06-30, value: 4}")
    assert planted(run(P2)) == {("TI134", "01-foncier-aeroport.yaml", line_of(F1, "{on: 2026-06-30, value: 8.5}"))}


def test_an_indicator_listed_twice_on_an_action(sample):
    edit(F1, "  - id: emplois-crees\n", "  - id: foncier-mobilise\n")
    assert planted(run(P2)) == {("TI135", "01-foncier-aeroport.yaml", line_of(F1, "id: foncier-mobilise") + 5)}


def test_a_decisions_file_whose_name_and_date_differ(sample):
    edit(D1, "date: 2024-03-14", "date: 2019-01-01")
    assert planted(run(P2)) == {("TI136", "2024-03-14-copil-local.yaml", line_of(D1, "date: 2019-01-01"))}


def test_the_same_decision_twice_in_a_file_or_the_same_meeting_in_two(sample):
    copy = (
        "  - {action: 1, kind: validation, summary: Validation de la commercialisation du foncier de l'aéroport "
        "(20 ha)}\n"
    )
    edit(D1, "decisions:\n", f"decisions:\n{copy}")
    assert planted(run(P2)) == {("TI137", "2024-03-14-copil-local.yaml", line_of(D1, "action: 1,") + 1)}
    edit(D1, f"decisions:\n{copy}", "decisions:\n")
    shutil.copy(D2, f"{P2}/decisions/2024-09-10-comite-bis.yaml")
    assert planted(run(P2)) == {("TI137", "2024-09-10-comite-de-projets.yaml", line_of(D2, "date: 2024-09-10"))}


def test_a_progress_file_of_a_quarter_before_the_plan_is_already_ti041(sample):
    text = Path(f"{P2}/progress/2026-Q3.yaml").read_text(encoding="utf-8")
    early = Path(f"{P2}/progress/2023-Q3.yaml")
    early.write_text(text.replace("2026-Q3", "2023-Q3").replace("2026-10-08", "2023-10-08"), encoding="utf-8")
    assert planted(run(P2)) == {("TI041", "2023-Q3.yaml", line_of(early, "quarter: 2023-Q3"))}
