"""``ti validate`` as a user and a CI script see it: exit codes, formats, JSON shape, no traceback."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from conftest import CONTRACT, close_milestones, edit, fill_blanks, said
from ti_cli.cli import app

A1 = f"{CONTRACT}/actions/01-filiere-aeronautique.yaml"


def invoke(*args: str, env: dict[str, str] | None = None):
    return CliRunner().invoke(app, list(args), env=env or {"GITHUB_ACTIONS": ""})


def test_clean_sample_exits_0_with_a_summary(sample):
    result = invoke("validate", "--as-of", "2026-11-23")
    assert result.exit_code == 0
    # the pacte's two reviews, the six blanks of the seed's preamble (« n°XXX »…: TI039), and the seven
    # milestones the phase-1 contract's last report (2021-Q4) leaves open, past due since 2022 (TI056)
    assert result.output.rstrip().endswith("31 fichiers, 0 erreur, 15 avertissements")


def test_strict_makes_warnings_fail(sample):
    assert invoke("validate", "--strict", "--as-of", "2026-11-23").exit_code == 1
    fill_blanks()
    assert invoke("validate", "--strict", "--as-of", "2025-06-01").exit_code == 1  # the milestones late (TI056)
    close_milestones()
    assert invoke("validate", "--strict", "--as-of", "2025-06-01").exit_code == 0


def test_json_shape_is_the_spec(sample):
    fill_blanks()
    close_milestones()
    edit(A1, "total: 16753500", "total: 16754500")
    result = invoke("validate", "--format", "json", "--as-of", "2025-06-01")
    assert result.exit_code == 1
    data = json.loads(result.output)
    assert set(data) == {"files", "errors", "warnings", "findings"}
    assert data["errors"] == 1 and data["warnings"] == 0
    [finding] = data["findings"]
    assert finding == {
        "code": "TI023",
        "severity": "error",
        "file": A1,
        "line": 16,
        "column": 10,
        "message": "total 16\u202f754\u202f500\u00a0€ ≠ investissement + fonctionnement 16\u202f753\u202f500\u00a0€ "
        "(1\u202f000\u00a0€ de trop)",
    }


def test_github_annotations(sample):
    edit(A1, "total: 16753500", "total: 16754500")
    result = invoke("validate", "--as-of", "2025-06-01", env={"GITHUB_ACTIONS": "true"})
    assert said(result.output).splitlines()[0] == (
        f"::error file={A1},line=16,col=10,title=TI023::total 16 754 500 € ≠ investissement + fonctionnement "
        "16 753 500 € (1 000 € de trop)"
    )


def test_plain_lines_when_not_on_a_terminal(sample):
    edit(A1, "total: 16753500", "total: 16754500")
    lines = invoke("validate", "--as-of", "2025-06-01").output.splitlines()
    assert lines[0].startswith(f"{A1}:16:10: error TI023 total 16 754 500 €")


def test_table_shows_the_line_and_a_caret(sample):
    edit(A1, "total: 16753500", "total: 16754500")
    out = invoke("validate", "--format", "table", "--as-of", "2025-06-01").output
    assert "  16 |   total: 16754500" in out
    assert "     |          ^" in out
    assert "attendu : 16 753 500 €" in said(out)


def test_output_file_format_follows_extension(sample, tmp_path):
    target = tmp_path / "report.sarif"
    assert invoke("validate", "--output", str(target), "--as-of", "2025-06-01").exit_code == 0
    assert json.loads(target.read_text(encoding="utf-8"))["version"] == "2.1.0"
    junit = tmp_path / "report.xml"
    invoke("validate", "--output", str(junit))
    assert junit.read_text(encoding="utf-8").startswith('<?xml version="1.0"')


def test_missing_path_is_a_usage_error(sample):
    result = invoke("validate", "nowhere/")
    assert result.exit_code == 2
    assert "nowhere : fichier ou dossier introuvable" in result.output.replace("\u00a0", " ")
    assert "Traceback" not in result.output


def test_unknown_format_is_a_usage_error(sample):
    assert invoke("validate", "--format", "xml").exit_code == 2


def test_broken_yaml_is_a_finding_not_a_crash(sample):
    with open(A1, "a", encoding="utf-8") as f:
        f.write("cost: [\n")
    result = invoke("validate", "--format", "json")
    assert result.exit_code == 1
    assert json.loads(result.output)["findings"][0]["code"] in {"TI001", "TI002"}


def test_schema_command_writes_every_kind(sample, tmp_path):
    assert invoke("schema", "--output", str(tmp_path / "s")).exit_code == 0
    written = sorted(p.name for p in (tmp_path / "s").iterdir())
    assert written == sorted(
        f"{k}.schema.json"
        for k in ("contract", "action", "progress", "cost-sharing", "decisions", "pacte", "member", "stakeholders")
    )
    action = json.loads((tmp_path / "s" / "action.schema.json").read_text(encoding="utf-8"))
    assert action["additionalProperties"] is False
    assert action["properties"]["axis"]["$ref"]


def test_committed_schemas_are_current():
    from conftest import ROOT
    from ti_cli.cli.schema import schemas

    for kind, doc in schemas().items():
        stored = json.loads((ROOT / "schemas" / f"{kind}.schema.json").read_text(encoding="utf-8"))
        assert stored == doc, f"schemas/{kind}.schema.json is stale: run `make schemas`"
