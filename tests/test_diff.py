"""``ti diff``: actions compared by number between real git commits — exact changes, exact totals."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from conftest import CONTRACT, edit, said
from gitrepo import A3, ACTION_3_ROWS, ID, amend_actions, commit, init_repo, ti
from ti_cli.compute.diff import ECONOMY_THRESHOLD, Kind, Side, diff
from ti_cli.loading.bundle import load_contract

A1 = f"{CONTRACT}/actions/01-filiere-aeronautique.yaml"


@pytest.fixture
def repo(sample: Path) -> Path:
    return init_repo(sample)


def test_json_names_added_removed_and_modified_fields_exactly(repo):
    amend_actions()
    commit("avenant 1")
    result = ti("diff", ID, "--base", "main~1", "--head", "main", "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == {
        "base": "main~1",
        "head": "main",
        "added": [10],
        "removed": [9],
        "modified": [
            {
                "number": 3,
                "changes": [
                    {"field": "cost.investment", "before": "7500000.00", "after": "8000000.00"},
                    {"field": "cost.total", "before": "7580000.00", "after": "8080000.00"},
                    {"field": "financing.etat.scheme", "before": None, "after": "DSIL"},
                    {"field": "financing.etat.amount", "before": None, "after": "1000000.00"},
                ],
            }
        ],
        # 43 823 500 + 500 000 (action 3) - 30 000 (action 9) + 300 000 (action 10)
        "totals": {"before": "43823500.00", "after": "44593500.00"},
    }


def test_head_defaults_to_the_files_on_disk(repo):
    edit(A3, "axis: RECRUTER", "axis: ATTIRER")
    data = json.loads(ti("diff", ID, "--base", "main", "-f", "json").output)
    assert data["head"] == "WORKTREE"
    assert data["modified"] == [{"number": 3, "changes": [{"field": "axis", "before": "RECRUTER", "after": "ATTIRER"}]}]
    assert data["totals"] == {"before": "43823500.00", "after": "43823500.00"}


def test_financing_lines_are_compared_by_financer(repo):
    edit(A1, "  - {financer: bpifrance, eligibility: validee}\n", "")
    edit(A1, "  - {financer: etat, eligibility: validee}", "  - {financer: etat, eligibility: a_confirmer}")
    [modified] = json.loads(ti("diff", ID, "--base", "main", "-f", "json").output)["modified"]
    assert modified["changes"] == [
        {"field": "financing.etat.eligibility", "before": "validee", "after": "a_confirmer"},
        {"field": "financing.bpifrance.eligibility", "before": "validee", "after": None},
    ]


def test_markdown_shows_money_deltas_totals_by_axis_and_the_copil(repo):
    amend_actions()
    result = ti("diff", ID, "--base", "main", "-f", "markdown")
    assert result.exit_code == 0, result.output
    text = result.output
    assert all(row in text for row in ACTION_3_ROWS)
    assert "**suppression** (Amorçage, Attirer) | 30 000 € | – | −30 000 € |" in text
    assert "**ajout** (Amorçage, Innover) | – | 300 000 € | +300 000 € |" in text
    assert "| Recruter | 7 580 000 € | 8 080 000 € | +500 000 € |" in text
    assert "| Innover | 840 000 € | 1 140 000 € | +300 000 € |" in text
    assert "| **Total** | **43 823 500 €** | **44 593 500 €** | **+770 000 €** |" in text
    assert "**COPIL régional** : validation requise — action structurante concernée : 3." in said(text)


def test_table_is_the_default_format(repo):
    amend_actions()
    result = ti("diff", ID, "--base", "main")
    assert result.exit_code == 0
    assert "1 action ajoutée, 1 action supprimée, 1 action modifiée" in result.output
    assert "main → les fichiers sur le disque" in result.output  # the files on disk, not a git label
    assert "coût d'investissement" in result.output and "+500 000 €" in result.output


@pytest.mark.parametrize(
    "ref, message",
    [
        ("nope", "révision inconnue « nope »"),
        ("--upload-pack=touch x", "n'est pas une révision"),
        ("main..HEAD", "révision inconnue"),
    ],
)
def test_a_bad_ref_is_a_usage_problem(repo, ref, message):
    result = ti("diff", ID, "--base", ref)
    assert result.exit_code == 2
    assert message in said(result.output)
    assert "Traceback" not in result.output and not Path("x").exists()


def test_outside_a_git_repository_is_a_usage_problem(sample):
    result = ti("diff", ID, "--base", "main")
    assert result.exit_code == 2
    assert "pas dans un dépôt git" in result.output


def test_an_invalid_base_prints_its_findings_labelled_with_the_revision(repo):
    edit(A1, "total: 16753500", "total: 16754500")
    commit("a typo on main")
    edit(A1, "total: 16754500", "total: 16753500")
    result = ti("diff", ID, "--base", "main")
    assert result.exit_code == 1
    assert f"main:{A1}:16:10: error TI023 total 16 754 500 €" in result.output
    assert "Traceback" not in result.output


def test_no_change_is_an_empty_diff_and_an_unknown_contract_a_usage_problem(repo):
    data = json.loads(ti("diff", ID, "--base", "main", "--head", "main", "-f", "json").output)
    assert (data["added"], data["removed"], data["modified"]) == ([], [], [])
    result = ti("diff", "other-contract", "--base", "main")
    assert result.exit_code == 2 and "pas de contrat à la révision « main »" in said(result.output)


# The classification table, on the compute layer (no git needed).


def sides(change) -> tuple[Side, Side]:
    bundle = load_contract(Path(CONTRACT))
    contract, actions = bundle.contract.model, bundle.action_models()
    return Side("base", contract, actions), Side("head", contract, [change(a) for a in actions])


def grow(number: int, investment: Decimal):
    def change(action):
        if action.number != number:
            return action
        return action.model_copy(
            update={"cost": action.cost.model_copy(update={"investment": investment, "total": None})}
        )

    return change


def test_a_change_to_an_amorcage_action_under_the_threshold_needs_no_copil(sample):
    found = diff(*sides(grow(7, Decimal(900000))))
    assert [a.kind for a in found.actions] == [Kind.modified]
    assert not found.needs_copil and found.to_sign


def test_the_general_economy_threshold_is_strictly_more_than_10_percent(sample):
    tenth = Decimal("43823500") * ECONOMY_THRESHOLD  # 4 382 350 €
    at = diff(*sides(grow(7, Decimal(800000) + tenth)))
    above = diff(*sides(grow(7, Decimal(800000) + tenth + Decimal("0.01"))))
    assert at.economy_move == Decimal("0.1") and not at.needs_copil
    assert above.needs_copil and above.copil_actions == []


def test_an_internal_comment_is_listed_but_needs_no_avenant(sample):
    found = diff(*sides(lambda a: a.model_copy(update={"comment": "à relancer"}) if a.number == 2 else a))
    [change] = found.actions
    assert [c.field for c in change.changes] == ["comment"]
    assert change.article is None and found.to_sign == [] and not found.needs_copil
