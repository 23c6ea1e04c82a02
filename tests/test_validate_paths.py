"""``ti validate PATH`` for any path inside a contract or pacte (a file, ``actions/``, ``progress/``…):
the findings of what was asked, computed with the whole bundle's rules; a path in no bundle is exit 2."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import CONTRACT, PACTE, edit, line_of, said
from ti_cli.cli import app

A1 = f"{CONTRACT}/actions/01-filiere-aeronautique.yaml"


def invoke(*args: str):
    return CliRunner().invoke(
        app, [*args, "--no-cache", "--as-of", "2025-06-01", "--format", "plain"], env={"GITHUB_ACTIONS": ""}
    )


@pytest.mark.parametrize("target", [f"{CONTRACT}/actions", f"{CONTRACT}/actions/", A1, CONTRACT, "data"])
def test_an_error_in_actions_is_found_and_exits_1(sample, target: str):
    edit(A1, "total: 16753500", "total: 16754500")
    result = invoke("validate", target)
    assert result.exit_code == 1, result.output
    assert f"{A1}:{line_of(A1, 'total:')}:10: error TI023" in result.output


def test_a_folder_reports_only_its_files_with_the_contracts_rules(sample):
    edit(A1, "total: 16753500", "total: 16754500")
    result = invoke("validate", f"{CONTRACT}/progress")
    assert result.exit_code == 0, result.output  # the action's error is not in progress/
    assert "erreur" not in result.output.splitlines()[-1].replace("0 erreur", "")
    # a rule spanning files still runs: a financer removed from contract.yaml breaks the actions naming it
    edit(
        f"{CONTRACT}/contract.yaml",
        "  - {id: bdt-subventions, name: Banque des territoires (subventions), kind: operateur, "
        "party: banque-des-territoires}\n",
        "",
    )
    result = invoke("validate", f"{CONTRACT}/actions")
    assert result.exit_code == 1 and "« bdt-subventions »" in said(result.output)
    assert f"{CONTRACT}/contract.yaml" not in result.output  # contract.yaml was not asked for


def test_a_part_folder_counts_its_own_files(sample):
    actions = len(list(Path(CONTRACT, "actions").glob("*.yaml")))
    result = invoke("validate", f"{CONTRACT}/actions")
    assert result.exit_code == 0
    assert result.output.splitlines()[-1].startswith(f"{actions} fichiers, 0 erreur")


def test_pacte_members_folder(sample):
    member = sorted(Path(PACTE, "members").glob("*.yaml"))[0]
    edit(member, "size: ", "size: geante\nsector_x: ")
    result = invoke("validate", f"{PACTE}/members")
    assert result.exit_code == 1 and str(member) in result.output


@pytest.mark.parametrize("content", [b"title: \xe9t\xe9\n", "title: été\n".encode("utf-16")])
def test_a_file_that_is_not_utf8_is_an_error_at_its_relative_path(sample, content: bytes):
    bad = Path(CONTRACT, "actions/11-mauvais.yaml")
    bad.write_bytes(content)
    for args in ((str(bad),), (f"{CONTRACT}/actions",), ()):
        result = invoke("validate", *args)
        assert result.exit_code == 1, (args, result.output)
        assert f"{bad}:" in result.output and "TI004" in result.output
        assert str(Path.cwd()) not in result.output  # never an absolute path


def test_a_file_too_large_is_an_error_when_named(sample):
    big = Path(CONTRACT, "actions/12-enorme.yaml")
    big.write_bytes(b"comment: '" + b"x" * (6 * 1024 * 1024) + b"'\n")
    result = invoke("validate", str(big))
    assert result.exit_code == 1 and f"{big}:1:1: error TI005" in result.output


@pytest.mark.parametrize("name", ["elsewhere", "README.md"])
def test_a_path_in_no_contract_or_pacte_is_exit_2(sample, name: str):
    Path("elsewhere").mkdir()
    Path("elsewhere/x.yaml").write_text("a: 1\n", encoding="utf-8")
    Path("README.md").write_text("# x\n", encoding="utf-8")
    result = invoke("validate", name)
    assert result.exit_code == 2
    assert "n'appartient à aucun contrat ni pacte" in result.output and name in result.output


@pytest.mark.parametrize("fast", [True, False])
def test_a_yaml_file_in_no_contract_or_pacte_is_skipped_with_a_note(sample, fast: bool):
    """SPEC §11: a hook given every YAML file of a repository checks only the data (issue 22)."""
    Path(".github/workflows").mkdir(parents=True)
    Path(".github/workflows/ti.yml").write_text("name: ti\n", encoding="utf-8")
    Path("elsewhere").mkdir()
    Path("elsewhere/x.yml").write_text("a: 1\n", encoding="utf-8")
    args = ["validate", ".github/workflows/ti.yml", "elsewhere/x.yml"]
    if fast:  # the pre-commit hook's path, without Typer
        done = subprocess.run([sys.executable, "-m", "ti_cli", *args], capture_output=True, text=True)
        code, out, err = done.returncode, done.stdout, done.stderr
    else:
        result = CliRunner().invoke(app, args, env={"GITHUB_ACTIONS": ""})
        code, out, err = result.exit_code, result.stdout, result.stderr
    assert code == 0 and out == ""
    assert said(err).splitlines() == [
        "ti: .github/workflows/ti.yml : n'appartient à aucun contrat ni pacte, ignoré",
        "ti: elsewhere/x.yml : n'appartient à aucun contrat ni pacte, ignoré",
    ]
    # With a data file alongside, the data is checked and the other file is still only a note.
    result = CliRunner().invoke(app, ["validate", "elsewhere/x.yml", f"{CONTRACT}/contract.yaml"])
    assert result.exit_code == 0 and "ignoré" in result.stderr and "1 fichier" in result.stdout


def test_an_unknown_file_inside_a_contract_is_a_warning(sample):
    Path(CONTRACT, "notes.yaml").write_text("a: 1\n", encoding="utf-8")
    result = invoke("validate", f"{CONTRACT}/notes.yaml")
    assert result.exit_code == 0 and "TI016" in result.output


def test_non_utf8_file_in_changed_since_and_ci_is_found_at_its_relative_path(sample):
    """Issue 15 cause 3: ``--changed-since`` and ``ti ci`` used to pass a UTF-16 file, or annotate it with
    an absolute path GitHub cannot attach to the diff."""
    from gitrepo import init_repo, ti

    init_repo(sample)
    bad = f"{CONTRACT}/actions/11-mauvais.yaml"
    Path(bad).write_bytes("title: été\n".encode("utf-16"))
    result = ti("validate", "--changed-since", "main", "--format", "plain")
    assert result.exit_code == 1 and f"{bad}:1:1: error TI004" in result.output
    result = ti(
        "ci", "--base", "main", "--as-of", "2025-06-01", env={"GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": ""}
    )
    assert result.exit_code == 1 and f"::error file={bad},line=1,col=1,title=TI004::" in result.output


def test_a_folder_that_is_no_data_repository_is_refused_without_being_walked(tmp_path, monkeypatch):
    """``ti validate /`` read the whole disk (41 s, exit 1 on strangers' files): a folder not laid out as
    data (SPEC §1) is exit 2 in one sentence; its subfolders are never listed."""
    import os

    from ti_cli.loading import bundle

    listed: list[str] = []
    real_walk = os.walk
    monkeypatch.setattr(bundle.os, "walk", lambda folder, *a, **k: listed.append(str(folder)) or real_walk(folder))
    deep = tmp_path / "a" / "b" / "data" / "contracts" / "x"
    deep.mkdir(parents=True)
    with pytest.raises(bundle.OutsideBundles):
        bundle.select([tmp_path])
    assert listed == []
