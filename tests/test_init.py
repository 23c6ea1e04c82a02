"""``ti init``: a data repository that validates as written, refuses to overwrite, refuses bad ids."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import said
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


def test_ci_and_pre_commit_install_what_the_running_ti_came_from(repo: Path):
    """This ti is an editable install of a folder: nothing another machine can install (issue 22)."""
    workflow = (repo / ".github/workflows/ti.yml").read_text(encoding="utf-8")
    hooks = (repo / ".pre-commit-config.yaml").read_text(encoding="utf-8")
    placeholder = "<À REMPLACER par la source pip de ti-cli>"
    assert f'pip install "{placeholder}"' in workflow and "# À REMPLACER : ti a été installé" in workflow
    assert "${{ github.base_ref }}" in workflow and 'ti ci --base "origin/$BASE_REF"' in workflow
    assert f'additional_dependencies: ["{placeholder}"]' in hooks and "# À REMPLACER" in hooks
    assert "pip install ." not in workflow  # never the data repository itself


def test_a_local_install_is_said_in_one_sentence(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.chdir(tmp_path)
    result = invoke("init", "--contract", ID)
    assert result.exit_code == 0, result.output
    [sentence] = [line for line in said(result.output).splitlines() if "ordinateur" in line]
    assert sentence.startswith("Ce ti a été installé depuis des fichiers de cet ordinateur")
    assert "--tool-source" in sentence and "<À REMPLACER par la source pip de ti-cli>" in sentence


@pytest.mark.parametrize(
    ("direct", "expected"),
    [
        (None, "ti-cli==1.2.3"),
        (
            {
                "url": "https://github.com/o/ti",
                "vcs_info": {"vcs": "git", "commit_id": "abc123", "requested_revision": "v1"},
            },
            "ti-cli @ git+https://github.com/o/ti@abc123",
        ),
        (
            {"url": "https://github.com/o/ti", "vcs_info": {"vcs": "git", "requested_revision": "v1"}},
            "ti-cli @ git+https://github.com/o/ti@v1",
        ),
        (
            {"url": "https://example.org/ti_cli-1.2.3-py3-none-any.whl", "archive_info": {}},
            "ti-cli @ https://example.org/ti_cli-1.2.3-py3-none-any.whl",
        ),
        ({"url": "file:///home/me/ti", "dir_info": {"editable": True}}, None),
        ({"url": "file:///home/me/ti_cli-1.2.3-py3-none-any.whl", "archive_info": {}}, None),
        ({"url": "file:///home/me/ti", "vcs_info": {"vcs": "git", "commit_id": "abc"}}, None),
    ],
)
def test_the_requirement_follows_pep_610(monkeypatch: pytest.MonkeyPatch, direct, expected):
    from importlib import metadata

    from ti_cli import scaffold

    class Dist:
        def read_text(self, name: str) -> str | None:
            assert name == "direct_url.json"
            return None if direct is None else json.dumps(direct)

    monkeypatch.setattr(metadata, "distribution", lambda name: Dist())
    assert scaffold.tool_requirement("1.2.3") == expected


def test_tool_source_is_written_the_same_in_both_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.chdir(tmp_path)
    spec = "ti-cli @ git+https://github.com/o/ti@v0.2.0"
    result = invoke("init", "--contract", ID, "--tool-source", spec)
    assert result.exit_code == 0, result.output
    assert "ordinateur" not in result.output
    workflow = (tmp_path / ".github/workflows/ti.yml").read_text(encoding="utf-8")
    hooks = (tmp_path / ".pre-commit-config.yaml").read_text(encoding="utf-8")
    assert f'pip install "{spec}"' in workflow and f'additional_dependencies: ["{spec}"]' in hooks
    assert "REMPLACER" not in workflow + hooks + (tmp_path / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("spec", "reason"),
    [
        ("ti-cli @", "pip ne peut pas le lire comme une exigence"),
        ("ti-cli=>1", "pip ne peut pas le lire"),
        ("v0.1.0", "il installe v0.1.0, pas ti-cli"),
    ],
)
def test_a_tool_source_pip_cannot_use_is_refused_with_the_reason(tmp_path: Path, monkeypatch, spec: str, reason: str):
    monkeypatch.chdir(tmp_path)
    result = invoke("init", "--contract", ID, "--tool-source", spec)
    assert result.exit_code == 2
    assert f"--tool-source « {spec} » refusé : {reason}" in said(result.output)
    assert list(tmp_path.iterdir()) == []


def _git_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A machine whose git makes ``master`` by default."""
    config = tmp_path.parent / f"{tmp_path.name}.gitconfig"
    config.write_text("[init]\n\tdefaultBranch = master\n[user]\n\tname = T\n\temail = t@example.org\n")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(config))


@pytest.mark.skipif(shutil.which("git") is None, reason="git not installed")
def test_init_is_on_main_whatever_git_defaults_to(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    _git_env(tmp_path, monkeypatch)
    monkeypatch.chdir(tmp_path)
    result = invoke("init", "repo", "--contract", ID)
    assert result.exit_code == 0, result.output
    assert "dépôt git créé dans repo, sur la branche main" in said(result.output)
    head = subprocess.run(["git", "symbolic-ref", "HEAD"], cwd="repo", capture_output=True, text=True)
    assert head.stdout.strip() == "refs/heads/main"


@pytest.mark.skipif(shutil.which("git") is None, reason="git not installed")
def test_a_repository_with_commits_keeps_its_branch_and_says_which(tmp_path: Path, monkeypatch):
    _git_env(tmp_path, monkeypatch)
    monkeypatch.chdir(tmp_path)
    subprocess.run(["git", "init", "-q"], check=True)
    subprocess.run(["git", "-c", "commit.gpgsign=false", "commit", "-q", "--allow-empty", "-m", "x"], check=True)
    result = invoke("init", "--contract", ID)
    assert result.exit_code == 0, result.output
    assert "le dépôt a déjà des commits : il reste sur sa branche master" in said(result.output)
    head = subprocess.run(["git", "symbolic-ref", "HEAD"], capture_output=True, text=True)
    assert head.stdout.strip() == "refs/heads/master"


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
