"""Pull-request checks: ``ti ci`` (GitHub annotations, job summary), ``ti validate --changed-since``, and
the workflow and pre-commit files a data repo copies."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from conftest import CONTRACT, ROOT, edit, said
from gitrepo import A3, amend_actions, commit, init_repo, ti

A1 = f"{CONTRACT}/actions/01-filiere-aeronautique.yaml"
A5 = f"{CONTRACT}/actions/05-excellence-filiere-nautique.yaml"
A7 = f"{CONTRACT}/actions/07-centre-amenagement-interieur.yaml"
AS_OF = ("--as-of", "2025-06-01")  # before any pacte review is due: no warning from the pacte


def in_actions(*args: str, summary: Path | None = None):
    """``ti`` as a GitHub Actions job runs it, with or without a job summary file."""
    return ti(*args, env={"GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": str(summary) if summary else ""})


@pytest.fixture
def repo(sample: Path) -> Path:
    return init_repo(sample)


def test_errors_become_github_annotations_and_exit_1(repo):
    edit(A1, "total: 16753500", "total: 16754500")
    result = in_actions("ci", "--base", "main", *AS_OF)
    assert result.exit_code == 1
    assert (
        f"::error file={A1},line=16,col=10,title=TI023::total 16 754 500 € ≠ investissement + fonctionnement "
        "16 753 500 € (1 000 € de trop)"
    ) in said(result.output).splitlines()
    # the diff cannot be computed on broken data: the summary says so instead
    assert "Comparaison impossible : les fichiers de cette branche ont 1 erreur" in result.output


def test_the_change_summary_goes_to_the_job_summary(repo, tmp_path):
    amend_actions()
    summary = tmp_path / "summary.md"
    summary.write_text("earlier step\n", encoding="utf-8")
    result = in_actions("ci", "--base", "main", *AS_OF, summary=summary)
    assert result.exit_code == 0, result.output
    # TI051 on action 3, the six blanks of the seed's preamble (TI039), and the six milestones of actions
    # 1-4, 7 and 8 that the last report (2021-Q4) leaves open, past due (TI056; action 9 is deleted)
    assert result.output.splitlines()[-1] == "31 fichiers, 0 erreur, 13 avertissements"
    text = summary.read_text(encoding="utf-8")
    assert text.startswith("earlier step\n### Contrat Territoire d'industrie")  # appended, never replaced
    assert "**1 action ajoutée, 1 action supprimée, 1 action modifiée.**" in text
    assert "| **Total** | **43 823 500 €** | **44 593 500 €** | **+770 000 €** |" in text


def test_strict_fails_on_warnings_like_validate(repo):
    amend_actions()
    assert in_actions("ci", "--base", "main", "--strict", *AS_OF).exit_code == 1


def test_a_broken_base_does_not_fail_the_pull_request_that_repairs_it(repo, tmp_path):
    edit(A1, "total: 16753500", "total: 16754500")
    commit("broken on main")
    edit(A1, "total: 16754500", "total: 16753500")
    summary = tmp_path / "summary.md"
    assert in_actions("ci", "--base", "main", *AS_OF, summary=summary).exit_code == 0
    assert "les fichiers de `main` ont 1 erreur" in summary.read_text(encoding="utf-8")


def test_unknown_base_is_a_usage_problem(repo):
    result = in_actions("ci", "--base", "origin/main")
    assert result.exit_code == 2 and "révision inconnue « origin/main »" in said(result.output)
    assert "::" not in result.output


def test_changed_since_reports_changed_files_and_what_they_break_elsewhere(repo):
    # on main, action 7 carries an unknown field (a loading problem of that file alone)
    edit(A7, "comment: null", "comment: null\nnote: à revoir")
    commit("action 7 with a typo")
    assert (
        in_actions("validate", "--changed-since", "main", "-f", "plain", *AS_OF).output
        == "0 fichier, 0 erreur, 0 avertissement\n"
    )
    # a branch drops the financer bpifrance, which the untouched action 5 uses
    edit(f"{CONTRACT}/contract.yaml", "  - {id: bpifrance, name: BPI France, kind: operateur, party: bpifrance}\n", "")
    result = in_actions("validate", "--changed-since", "main", "-f", "plain", *AS_OF)
    assert result.exit_code == 1
    codes = {(Path(line.split(":")[0]).name, line.split()[2]) for line in result.output.splitlines()[:-1]}
    assert ("05-excellence-filiere-nautique.yaml", "TI033") in codes  # cross-file: reported
    assert ("01-filiere-aeronautique.yaml", "TI033") in codes
    assert not any(code == "TI010" for _, code in codes)  # action 7's own problem: not this branch's
    assert in_actions("validate", *AS_OF).exit_code == 1  # a full run still sees it


def test_changed_since_counts_new_and_deleted_files(repo):
    amend_actions()
    edit(A3, "comment: null", "comment: à suivre")
    result = in_actions("validate", "--changed-since", "main", "-f", "plain", *AS_OF)
    # changed and present: actions 3 and 10 and the three progress files (action 9 is deleted); TI051 on
    # action 3 and the six milestones 2021-Q4 leaves open, past due (TI056)
    assert result.output.splitlines()[-1] == "5 fichiers, 0 erreur, 7 avertissements"


def test_the_workflow_checks_out_history_and_runs_ti_ci():
    workflow = yaml.safe_load((ROOT / ".github/workflows/ti.yml").read_text(encoding="utf-8"))
    steps = workflow["jobs"]["check"]["steps"]
    checkout = next(s for s in steps if s.get("uses", "").startswith("actions/checkout"))
    python = next(s for s in steps if s.get("uses", "").startswith("actions/setup-python"))
    assert checkout["with"]["fetch-depth"] == 0 and python["with"]["python-version"] == "3.11"
    assert any('ti ci --base "origin/$BASE_REF"' in s.get("run", "") for s in steps)


def test_the_pre_commit_hook_validates_yaml_files():
    [hook] = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert (hook["id"], hook["entry"], hook["language"], hook["pass_filenames"]) == (
        "ti-validate",
        "ti validate",
        "python",
        True,
    )
    assert re.search(hook["files"], "data/contracts/x/actions/01-a.yaml")
    assert re.search(hook["files"], "data/x.yml") and not re.search(hook["files"], "README.md")
    # Only the data: never a workflow or a tool's configuration (issue 22).
    assert not re.search(hook["files"], ".github/workflows/ti.yml")
    assert not re.search(hook["files"], ".pre-commit-config.yaml")
