"""``ti init``: a data repository that validates as written, refuses to overwrite, refuses bad ids."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ti_cli.cli import app

ID = "pays-de-test"


def invoke(*args: str):
    return CliRunner().invoke(app, list(args), env={"GITHUB_ACTIONS": ""})


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    result = invoke(
        "init",
        "territoire",
        "--contract",
        ID,
        "--title",
        "Contrat Pays de Test",
        "--pacte",
        "pacte-test",
        "--programme",
        "ti-2019",
    )
    assert result.exit_code == 0, result.output
    return tmp_path / "territoire"


def test_init_writes_a_repository_that_validates_as_written(repo: Path, monkeypatch: pytest.MonkeyPatch):
    contract = repo / "data/contracts" / ID
    for name in (
        "contract.yaml",
        "actions/01-exemple.yaml",
        "progress/.gitkeep",
        ".gitignore",
        "README.md",
        ".vscode/settings.json",
        ".github/workflows/ti.yml",
        ".pre-commit-config.yaml",
        "schemas/action.schema.json",
    ):
        assert (contract / name if not name.startswith((".", "README", "schemas")) else repo / name).exists(), name
    assert (repo / "data/pactes/pacte-test/pacte.yaml").is_file()
    assert not (contract / "decisions").exists()  # ti-2019 has no decisions/
    assert (repo / ".gitignore").read_text(encoding="utf-8").splitlines()[1:] == ["out/", ".ti-cache/"]
    text = (contract / "contract.yaml").read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../../../schemas/contract.schema.json\n")
    assert f"id: {ID} " in text and "title: Contrat Pays de Test\n" in text
    associations = json.loads((repo / ".vscode/settings.json").read_text(encoding="utf-8"))["yaml.schemas"]
    assert associations["schemas/action.schema.json"] == "data/contracts/*/actions/*.yaml"
    assert sorted(associations) == sorted(f"schemas/{p.name}" for p in (repo / "schemas").iterdir())
    monkeypatch.chdir(repo)
    result = invoke("validate", "--no-cache")
    assert result.exit_code == 0, result.output
    assert result.output.endswith("3 fichiers, 0 erreur, 0 avertissement\n")


def test_ci_and_pre_commit_install_the_released_tool_pinned_to_this_version(repo: Path):
    from ti_cli import __version__

    workflow = (repo / ".github/workflows/ti.yml").read_text(encoding="utf-8")
    hooks = (repo / ".pre-commit-config.yaml").read_text(encoding="utf-8")
    assert f'pip install "ti-cli=={__version__}"' in workflow
    assert "${{ github.base_ref }}" in workflow and 'ti ci --base "origin/$BASE_REF"' in workflow
    assert f'additional_dependencies: ["ti-cli=={__version__}"]' in hooks
    assert "pip install ." not in workflow  # never the data repository itself


@pytest.mark.skipif(shutil.which("git") is None, reason="git not installed")
def test_init_makes_a_git_repository(repo: Path):
    out = subprocess.run(["git", "rev-parse", "--show-toplevel"], cwd=repo, capture_output=True, text=True)
    assert Path(out.stdout.strip()).resolve() == repo.resolve()


def test_non_empty_folder_is_listed_and_nothing_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "notes.txt").write_text("à moi\n", encoding="utf-8")
    (tmp_path / "data").mkdir()
    result = invoke("init", "--contract", ID, "--programme", "ti-2019")
    assert result.exit_code == 2
    assert "n'est pas vide" in result.output and "  data/\n  notes.txt\n" in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data", "notes.txt"]


def test_force_rewrites_the_starter_files_and_keeps_the_others(repo: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.chdir(repo)
    (repo / "README.md").write_text("changé\n", encoding="utf-8")
    (repo / "mine.txt").write_text("à moi\n", encoding="utf-8")
    result = invoke("init", "--contract", ID, "--programme", "ti-2019", "--force")
    assert result.exit_code == 0, result.output
    assert (repo / "README.md").read_text(encoding="utf-8").startswith("# Contrat Territoire d'industrie")
    assert (repo / "mine.txt").read_text(encoding="utf-8") == "à moi\n"


@pytest.mark.parametrize("bad", ["Mon Territoire", "mon_territoire", "-x", "été"])
def test_an_id_that_is_not_a_slug_is_refused_with_the_rule(tmp_path: Path, monkeypatch, bad: str):
    monkeypatch.chdir(tmp_path)
    result = invoke("init", "--contract", bad, "--programme", "ti-2019")
    assert result.exit_code == 2
    said = result.output.replace("\u00a0", " ")
    assert f"identifiant de contrat « {bad} » refusé" in said and "tirets" in said
    assert list(tmp_path.iterdir()) == []


def test_unknown_programme_is_a_usage_error(tmp_path: Path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = invoke("init", "--contract", ID, "--programme", "ti-2030")
    assert result.exit_code == 2 and "ti-2023 ou ti-2019" in result.output


def test_ti_2023_repository_has_decisions_and_a_foncier_action(tmp_path: Path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = invoke("init", "--contract", ID)  # ti-2023 is the default: what territories run today
    assert result.exit_code == 0, result.output
    contract = tmp_path / "data/contracts" / ID
    assert "programme: ti-2023" in (contract / "contract.yaml").read_text(encoding="utf-8")
    assert (contract / "decisions").is_dir()
    assert "axis: FONCIER" in (contract / "actions/01-exemple.yaml").read_text(encoding="utf-8")
    result = invoke("validate", "--no-cache")
    assert result.exit_code == 0 and "0 avertissement" in result.output, result.output


def test_a_new_plan_renders_its_evaluation_and_refuses_to_write_over_its_files(tmp_path: Path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert invoke("init", "--contract", ID).exit_code == 0
    result = invoke("report", "evaluation", ID, "--to", "md")  # no indicator measured yet: no chart, no error
    assert result.exit_code == 0, result.output
    assert "Action 1 — Exemple" in next((tmp_path / "out").glob("evaluation-*.md")).read_text(encoding="utf-8")
    contract = tmp_path / "data/contracts" / ID / "contract.yaml"
    before, listing = contract.read_bytes(), sorted(p.name for p in contract.parent.iterdir())
    result = invoke("render", "contract", ID, "--to", "pdf", "--output", str(contract))
    assert result.exit_code == 2 and "est un fichier, pas un dossier" in result.output
    assert contract.read_bytes() == before and sorted(p.name for p in contract.parent.iterdir()) == listing


def test_version_is_the_package_metadata():
    from importlib.metadata import version

    result = invoke("--version")
    assert result.exit_code == 0 and result.output == f"ti {version('ti-cli')}\n"
