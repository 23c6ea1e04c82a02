"""``ti export projets``: the actions as the « schéma commun des projets de collectivités » (SPEC §16),
checked with frictionless against the copy of the schema ti ships."""

from __future__ import annotations

import csv
import json
import os
import uuid
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import ROOT, edit
from gitrepo import git
from ti_cli.cli import app
from ti_cli.workflow.exporting import check_row, columns

SCHEMA = ROOT / "templates/interop/schema_projets"
P1 = "rochefort-royan-marennes-oleron"
P2 = "rochefort-royan-marennes-oleron-2023"
A1 = f"data/contracts/{P1}/actions/01-filiere-aeronautique.yaml"
A5 = f"data/contracts/{P2}/actions/05-decarbonation-site-industriel.yaml"


def invoke(*args: str):
    return CliRunner().invoke(app, list(args))


def frictionless_errors(path: Path) -> list[str]:
    from frictionless import Resource, Schema

    schema = Schema.from_descriptor(json.loads((SCHEMA / "schema.json").read_text(encoding="utf-8")))
    report = Resource(path=path.name, basepath=str(path.parent), schema=schema).validate()
    return [f"{e.type}: {e.message}" for task in report.tasks for e in task.errors]


def rows(path: str) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_the_schemas_own_valid_example_is_valid_and_frictionless_judges(tmp_path):
    """The check itself can fail: the published example passes, a broken copy does not."""
    assert frictionless_errors(SCHEMA / "exemple-valide.csv") == []
    broken = tmp_path / "broken.csv"
    text = (SCHEMA / "exemple-valide.csv").read_text(encoding="utf-8")
    broken.write_text(text.replace(",Étude,", ",Chantier,", 1), encoding="utf-8")
    assert [e.split(":")[0] for e in frictionless_errors(broken)] == ["constraint-error"]


def test_every_action_of_the_sample_exports_to_a_csv_the_schema_validates(sample):
    result = invoke("export", "projets", "--all", "--output", "projets.csv", "--as-of", "2026-11-23")
    assert result.exit_code == 0, result.output
    assert frictionless_errors(sample / "projets.csv") == []
    found = rows("projets.csv")
    assert list(found[0]) == columns()
    assert len(found) == 15  # 9 actions of phase 1, 6 of phase 2
    first = found[0]
    assert first["id"] == str(uuid.uuid5(uuid.NAMESPACE_URL, f"ti:{P1}:1")) == "adacf13a-40f1-52cf-9afc-a00a688c396c"
    assert (first["nom"], first["budgetPrevisionnel"], first["programme"]) == (
        "Développement de la filière aéronautique",
        "16753500",
        "Territoires d'industrie",
    )
    assert first["description"].startswith("**Développement d'une offre d'accueil")
    by_id = {r["id"]: r for r in found}
    decarbonation = by_id[str(uuid.uuid5(uuid.NAMESPACE_URL, f"ti:{P2}:5"))]
    assert decarbonation["porteurCodeSiret"] == "99999999800019"
    assert decarbonation["dateDebutPrevisionnelle"] == "2025-01-01"
    foncier = by_id[str(uuid.uuid5(uuid.NAMESPACE_URL, f"ti:{P2}:1"))]
    assert json.loads(foncier["collectiviteIds"]) == ["200041762"]  # the SIREN of the owner party (caro)
    assert foncier["collectiviteIds"] == '["200041762"]'  # as the schema's valid example writes arrays
    assert result.stderr.replace("\u00a0", " ") == "projets.csv écrit : 15 projets\n"


def test_phase_and_status_follow_the_latest_progress_and_lateness(sample):
    def states(as_of: str) -> list[tuple[str, str]]:
        result = invoke("export", "projets", P1, "--output", f"{as_of}.csv", "--as-of", as_of)
        assert result.exit_code == 0, result.output
        return [(r["phase"], r["phaseStatut"]) for r in rows(f"{as_of}.csv")]

    # Before the first report (2021-Q2, made in July 2021): every action still to start.
    assert states("2021-01-15") == [("Étude", "En cours")] * 9
    # After the 2021-Q3 report, every action en_cours.
    assert states("2021-10-20") == [("Opération", "En cours")] * 9
    # By 2026, every action past its planned end is late, but action 6, finished, and action 5, with no end.
    late = states("2026-11-23")
    assert late[5] == ("Opération", "Terminé") and late[4] == ("Opération", "En cours")
    assert late[:4] + late[6:] == [("Opération", "En retard")] * 7


def test_suspended_and_abandoned_map_to_the_schemas_words(sample):
    progress = sorted(Path(f"data/contracts/{P2}/progress").glob("*.yaml"))[-1]
    text = progress.read_text(encoding="utf-8")
    assert "status: en_cours" in text
    progress.write_text(text.replace("status: en_cours", "status: suspendu", 1), encoding="utf-8")
    result = invoke("export", "projets", P2, "--output", "p.csv", "--as-of", "2026-11-23")
    assert result.exit_code == 0, result.output
    assert ("Opération", "En pause") in {(r["phase"], r["phaseStatut"]) for r in rows("p.csv")}


def test_the_budget_is_whole_euros_rounded_half_up(sample):
    edit(A1, "operating: 90000", "operating: 90000.50")
    edit(A1, "total: 16753500", "total: 16753500.50")
    assert invoke("export", "projets", P1, "--output", "p.csv").exit_code == 0
    assert rows("p.csv")[0]["budgetPrevisionnel"] == "16753501"


def test_dates_are_the_first_and_last_commits_of_the_action_file(sample):
    git("init", "-q", "-b", "main")
    git("config", "user.name", "Chef de projet")
    git("config", "user.email", "chef@example.org")
    env = {**os.environ}
    try:
        os.environ.update(GIT_COMMITTER_DATE="2024-03-03T10:00:00+01:00", GIT_AUTHOR_DATE="2024-03-03T10:00:00+01:00")
        git("add", "-A", ".")
        git("-c", "commit.gpgsign=false", "commit", "-q", "-m", "contrat signé")
        edit(A1, "comment: null", "comment: Revu en comité.")
        os.environ.update(GIT_COMMITTER_DATE="2025-06-30T18:30:05+02:00")
        git("-c", "commit.gpgsign=false", "commit", "-q", "-am", "avenant 1")
    finally:
        os.environ.clear()
        os.environ.update(env)
    assert invoke("export", "projets", P1, "--output", "p.csv").exit_code == 0
    found = rows("p.csv")
    assert (found[0]["createdAt"], found[0]["updatedAt"]) == ("2024-03-03T09:00:00Z", "2025-06-30T16:30:05Z")
    assert (found[1]["createdAt"], found[1]["updatedAt"]) == ("2024-03-03T09:00:00Z", "2024-03-03T09:00:00Z")


def test_outside_git_the_dates_are_the_files_modification_time(sample):
    os.utime(A1, (1700000000, 1700000000))
    assert invoke("export", "projets", P1, "--output", "p.csv").exit_code == 0
    first = rows("p.csv")[0]
    assert (first["createdAt"], first["updatedAt"]) == ("2023-11-14T22:13:20Z", "2023-11-14T22:13:20Z")


def test_a_siret_failing_its_key_leaves_that_row_out_with_field_and_reason(sample):
    edit(A5, '"99999999800019"', '"99999999800018"')
    result = invoke("export", "projets", P2, "--output", "p.csv")
    assert result.exit_code == 1
    assert (
        f"{A5} : action 5 non exportée : porteurCodeSiret : le SIRET 99999999800018 ne passe pas sa clé de Luhn "
        "(un chiffre est faux)"
    ) in result.stderr.replace("\u00a0", " ")
    numbers = {r["id"] for r in rows("p.csv")}
    assert len(numbers) == 5 and str(uuid.uuid5(uuid.NAMESPACE_URL, f"ti:{P2}:5")) not in numbers
    assert frictionless_errors(sample / "p.csv") == []


def test_any_other_error_stops_the_export_and_writes_nothing(sample):
    edit(A1, "total: 16753500", "total: 16753501")
    result = invoke("export", "projets", P1, "--output", "p.csv")
    assert result.exit_code == 1 and "TI023" in result.stderr
    assert not Path("p.csv").exists()


def test_without_output_the_example_given_has_the_format_asked_for(sample):
    result = invoke("export", "projets", P1, "--format", "json")
    assert result.exit_code == 2 and "--output projets.json" in result.stderr


def test_json_carries_the_same_rows_without_empty_fields(sample):
    assert invoke("export", "projets", "--all", "--output", "p.json").exit_code == 0
    assert invoke("export", "projets", "--all", "--output", "p.csv").exit_code == 0
    items = json.loads(Path("p.json").read_text(encoding="utf-8"))
    assert [i["id"] for i in items] == [r["id"] for r in rows("p.csv")]
    assert items[0]["budgetPrevisionnel"] == 16753500 and "porteurCodeSiret" not in items[0]
    assert items[9]["collectiviteIds"] == ["200041762"]


@pytest.mark.parametrize(
    ("change", "field", "reason"),
    [
        ({"porteurCodeSiret": "123"}, "porteurCodeSiret", "« 123 » ne suit pas le motif ^\\d{14}$"),
        ({"nom": None}, "nom", "obligatoire, et vide"),
        ({"phase": "Chantier"}, "phase", "« Chantier » n'est pas l'une des valeurs : Idée, Étude, Opération"),
        ({"id": "42"}, "id", "« 42 » n'est pas un UUID"),
        ({"budgetPrevisionnel": "1,5"}, "budgetPrevisionnel", "« 1,5 » n'est pas un nombre entier"),
    ],
)
def test_the_row_check_names_the_field_and_the_reason(change, field, reason):
    row = dict.fromkeys(columns())
    row.update(id=str(uuid.uuid4()), createdAt="2025-01-01T00:00:00Z", updatedAt="2025-01-01T00:00:00Z", nom="Projet")
    assert check_row(row) == []
    row.update(change)
    assert [(f, r.replace("\u00a0", " ")) for f, r in check_row(row)] == [(field, reason)]
