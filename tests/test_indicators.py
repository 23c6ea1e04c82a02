"""The programme's indicators added up across actions (SPEC §15): ``ti totals --indicators`` in every format,
``--all`` across contracts, and the evaluation printing the very same figures."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from typer.testing import CliRunner

from conftest import edit, said
from ti_cli.cli import app

P2 = "data/contracts/rochefort-royan-marennes-oleron-2023"
ID = "rochefort-royan-marennes-oleron-2023"
A3 = f"{P2}/actions/03-pole-formation-maison-industries.yaml"
A6 = f"{P2}/actions/06-ecosysteme-innovation.yaml"
AS_OF = "2026-11-23"


def invoke(*args: str):
    return CliRunner().invoke(app, list(args))


def totals_json(*args: str) -> dict:
    result = invoke("totals", *args, "--indicators", "--as-of", AS_OF, "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def rows(data: dict) -> dict[tuple[str, str], dict]:
    return {(i["id"], i["unit"]): i for i in data["indicators"]}


def two_trainings(sample: Path) -> None:
    """The case of the issue: « personnes formées » on two actions, 150 + 96 targeted, 41 + 28 done."""
    edit(A3, "target: 400", "target: 150")
    edit(A3, "{on: 2025-12-31, value: 60}", "{on: 2025-12-31, value: 41}")
    edit(
        A6,
        "description: |",
        "indicators:\n"
        "  - id: personnes-formees\n"
        "    target: 96\n"
        "    measures:\n"
        "      - {on: 2026-03-31, value: 12}\n"
        "      - {on: 2026-09-30, value: 28}\n"
        "description: |",
    )


def test_the_sample_plan_s_indicators_one_row_each_and_its_own_one_apart(sample):
    data = totals_json(P2)
    assert (data["contract"], data["contracts"], data["as_of"]) == (ID, [ID], AS_OF)
    got = {i["id"]: (i["unit"], i["target"], i["value"], i["actions"], i["measured"]) for i in data["indicators"]}
    assert got == {
        "emplois-crees": ("ETP", "150", "35", 1, 1),
        "foncier-mobilise": ("ha", "20", "8.5", 1, 1),
        "friches-requalifiees": ("ha", "6", "1.5", 1, 1),
        "personnes-formees": ("personnes", "400", "60", 1, 1),
        "emissions-evitees": ("tCO2e/an", "1200", "300", 1, 1),
        "entreprises-accompagnees": ("entreprises", "40", "21", 1, 1),
    }
    # the catalogue's order, so that every territory's report lists them alike
    assert [i["id"] for i in data["indicators"]][:2] == ["emplois-crees", "foncier-mobilise"]
    [own] = data["own"]
    assert (own["action"], own["id"], own["unit"], own["target"], own["value"]) == (
        4,
        "revues-pacte",
        "revues",
        "60",
        None,
    )


def test_the_same_catalogue_indicator_on_two_actions_is_added_up_exactly(sample):
    two_trainings(sample)
    trained = rows(totals_json(P2))[("personnes-formees", "personnes")]
    assert (trained["target"], trained["value"], trained["actions"], trained["measured"]) == ("246", "69", 2, 2)
    assert [(i["action"], i["target"], i["value"], i["on"]) for i in trained["items"]] == [
        (3, "150", "41", "2025-12-31"),
        (6, "96", "28", "2026-09-30"),
    ]


def test_values_are_the_latest_on_or_before_as_of_and_unmeasured_actions_are_counted(sample):
    two_trainings(sample)
    result = invoke("totals", P2, "--indicators", "--as-of", "2026-06-30", "--format", "json")
    trained = rows(json.loads(result.stdout))[("personnes-formees", "personnes")]
    assert (trained["value"], trained["measured"]) == ("53", 2)  # 41 + 12 (the measure of 31 March)
    result = invoke("totals", P2, "--indicators", "--as-of", "2026-01-31", "--format", "json")
    trained = rows(json.loads(result.stdout))[("personnes-formees", "personnes")]
    assert (trained["target"], trained["value"], trained["actions"], trained["measured"]) == ("246", "41", 2, 1)


def test_a_catalogue_id_in_another_unit_is_never_added_to_the_catalogue_s_unit(sample):
    edit(
        A6,
        "description: |",
        "indicators:\n  - {id: personnes-formees, unit: heures, target: 3000}\ndescription: |",
    )
    data = rows(totals_json(P2))
    assert data[("personnes-formees", "personnes")]["target"] == "400"
    assert (data[("personnes-formees", "heures")]["target"], data[("personnes-formees", "heures")]["value"]) == (
        "3000",
        None,
    )


def test_the_table_reads_in_french_with_the_figures_and_the_own_indicator(sample):
    two_trainings(sample)
    result = invoke("totals", P2, "--indicators", "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    text = said(result.stdout)
    assert "Indicateurs du programme, additionnés sur les actions, au 23/11/2026" in text
    line = next(line for line in text.splitlines() if "Personnes" in line)
    assert line.split()[-6:] == ["246", "69", "28,0", "%", "2", "2"]
    assert "Indicateurs propres aux actions (non additionnés)" in text
    assert "Revues annuelles" in text


def test_a_target_given_on_one_action_of_two_is_said_in_the_singular(sample):
    edit(A6, "description: |", "indicators:\n  - {id: personnes-formees}\ndescription: |")
    result = invoke("totals", P2, "--indicators", "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    assert "Personnes formées : la cible est celle de 1 action sur 2." in said(result.stdout)


def test_csv_and_xlsx_carry_the_exact_figures(sample, tmp_path):
    two_trainings(sample)
    result = invoke("totals", P2, "--indicators", "--as-of", AS_OF, "--format", "csv")
    table = list(csv.DictReader(io.StringIO(result.stdout)))
    trained = next(r for r in table if r["id"] == "personnes-formees")
    assert (trained["kind"], trained["target"], trained["value"], trained["actions"]) == ("catalogue", "246", "69", "2")
    foncier = next(r for r in table if r["id"] == "foncier-mobilise")
    assert foncier["value"] == "8.5"
    own = next(r for r in table if r["kind"] == "own")
    assert (own["contract"], own["action"], own["id"], own["value"]) == (ID, "4", "revues-pacte", "")
    result = invoke("totals", P2, "--indicators", "--as-of", AS_OF, "--format", "csv", "--csv-dialect", "fr")
    assert ";foncier-mobilise;Foncier industriel mobilisé;ha;20;8,5;1;1" in result.stdout  # French Excel's numbers

    from openpyxl import load_workbook

    out = tmp_path / "out" / "indicateurs.xlsx"
    result = invoke("totals", P2, "--indicators", "--as-of", AS_OF, "--output", str(out))
    assert result.exit_code == 0, result.output
    book = load_workbook(out)
    sums = {r[1]: r for r in book["Indicateurs"].iter_rows(min_row=2, values_only=True)}
    assert sums["personnes-formees"][3:] == (246, 69, 2, 2)
    assert sums["foncier-mobilise"][4] == 8.5
    per_action = [r for r in book["Par action"].iter_rows(min_row=2, values_only=True) if r[3] == "personnes-formees"]
    assert [(r[1], r[5], r[6]) for r in per_action] == [(3, 150, 41), (6, 96, 28)]
    assert [r[3] for r in book["Indicateurs propres"].iter_rows(min_row=2, values_only=True)] == ["revues-pacte"]


def test_all_adds_up_across_contracts(sample):
    two_trainings(sample)
    data = totals_json("--all")
    assert data["contract"] is None
    assert data["contracts"] == ["rochefort-royan-marennes-oleron", ID]  # the phase-1 contract has none
    trained = rows(data)[("personnes-formees", "personnes")]
    assert (trained["target"], trained["value"], trained["actions"]) == ("246", "69", 2)
    assert {i["contract"] for i in trained["items"]} == {ID}
    words = " ".join(said(invoke("totals", "--all", "--indicators", "--as-of", AS_OF).stdout).split())
    assert words.startswith("Indicateurs du programme, additionnés sur les actions, au 23/11/2026 — 2 contrats ")


def test_indicators_take_no_by(sample):
    result = invoke("totals", P2, "--indicators", "--by", "axis")
    assert result.exit_code == 2
    assert "--indicators" in result.stderr


def test_the_evaluation_prints_the_figures_of_totals_indicators(sample):
    two_trainings(sample)
    result = invoke("report", "evaluation", P2, "--as-of", AS_OF, "--format", "json")
    assert result.exit_code == 0, result.output
    evaluation = json.loads(result.stdout)
    assert evaluation["programme_indicators"] == totals_json(P2)["indicators"]
    result = invoke("report", "evaluation", P2, "--as-of", AS_OF, "--to", "md", "--output", "out/")
    assert result.exit_code == 0, result.output
    text = said(next(Path("out").glob("evaluation-*.md")).read_text(encoding="utf-8"))
    assert "## Indicateurs du programme" in text
    assert "| Personnes formées | 246 personnes | 69 personnes | 28,0 % | 2 | 2 |" in text
    assert "| Foncier industriel mobilisé | 20 ha | 8,5 ha | 42,5 % | 1 | 1 |" in text
