"""``ti diff``: actions compared by number between real git commits — exact changes, exact totals."""

from __future__ import annotations

import dataclasses
import json
import types
import typing
from decimal import Decimal
from pathlib import Path

import pytest
from pydantic import BaseModel

from conftest import CONTRACT, edit, said
from gitrepo import A3, ACTION_3_ROWS, ID, amend_actions, commit, init_repo, ti
from ti_cli.compute.diff import FIELDS, LEFT_OUT, Kind, Side, diff, model_fields
from ti_cli.loading.bundle import load_contract
from ti_cli.model import Action
from ti_cli.model.action import Cost, FinancingLine

A1 = f"{CONTRACT}/actions/01-filiere-aeronautique.yaml"
P2 = "data/contracts/rochefort-royan-marennes-oleron-2023"
P2_ID = "rochefort-royan-marennes-oleron-2023"
A5 = f"{P2}/actions/05-decarbonation-site-industriel.yaml"


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
        # action 3 is structurante; the sample contract sets no threshold of its own
        "copil": {"needed": True, "actions": [3], "threshold": None},
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


def sides(change, contract: str = CONTRACT, threshold: str | None = None) -> tuple[Side, Side]:
    """The contract and a changed copy; ``threshold``: its ``governance.copil_threshold`` (none by default,
    as in the sample)."""
    bundle = load_contract(Path(contract))
    contract, actions = bundle.contract.model, bundle.action_models()
    if threshold is not None:
        governance = contract.governance.model_copy(update={"copil_threshold": Decimal(threshold)})
        contract = contract.model_copy(update={"governance": governance})
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
    found = diff(*sides(grow(7, Decimal(900000)), threshold="0.10"))
    assert [a.kind for a in found.actions] == [Kind.modified]
    assert found.needs_copil is False and found.to_sign


def test_the_general_economy_threshold_is_the_contracts_and_strictly_more(sample):
    tenth = Decimal("4382350")  # 10 % of the total, 43 823 500 €
    at = diff(*sides(grow(7, Decimal(800000) + tenth), threshold="0.10"))
    above = diff(*sides(grow(7, Decimal(800000) + tenth + Decimal("0.01")), threshold="0.10"))
    assert at.economy_move == Decimal("0.1") and at.needs_copil is False
    assert above.needs_copil is True and above.copil_actions == []
    # a threshold of 15 % is the contract's own: the same move stays below it
    assert diff(*sides(grow(7, Decimal(800000) + tenth + 1), threshold="0.15")).needs_copil is False


def test_without_a_threshold_a_move_of_the_total_is_for_the_partners_to_judge(sample):
    moved = diff(*sides(grow(7, Decimal(900000))))
    assert moved.threshold is None and moved.economy_changed is None and moved.needs_copil is None
    # an unchanged total needs no threshold to be judged: no move, no COPIL for an amorçage action
    same = diff(*sides(lambda a: a.model_copy(update={"owner": "Un autre"}) if a.number == 7 else a))
    assert same.economy_changed is False and same.needs_copil is False


def test_an_internal_comment_is_listed_but_needs_no_avenant(sample):
    found = diff(*sides(lambda a: a.model_copy(update={"comment": "à relancer"}) if a.number == 2 else a))
    [change] = found.actions
    assert [c.field for c in change.changes] == ["comment"]
    assert change.article is None and found.to_sign == [] and not found.needs_copil


# Every field of the models is compared (SPEC §14 « Changes »), and seen by the user.


def _model(annotation) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        return next((m for a in typing.get_args(annotation) if (m := _model(a))), None)
    if typing.get_origin(annotation) is list:
        return _model(typing.get_args(annotation)[0])
    return None


def every_field(model: type[BaseModel], prefix: str = "") -> set[str]:
    """The models' fields as the diff names them: ``cost.investment``, ``financing.*.volet``…"""
    out: set[str] = set()
    for name, info in model.model_fields.items():
        sub = _model(info.annotation)
        if sub is None:
            out.add(prefix + name)
        else:
            many = typing.get_origin(info.annotation) is list
            out |= every_field(sub, f"{prefix}{name}.*." if many else f"{prefix}{name}.")
    return out


def test_every_model_field_is_compared_written_and_imported_or_listed_with_its_reason():
    from ti_cli.cli.new import NOT_WRITTEN, action_document
    from ti_cli.loading.xlsx import COST_COLUMNS, NOT_IMPORTED, SheetAction, SheetLine

    # ti diff: every field is labelled in FIELDS (and so compared: the comparison walks the models) or
    # left out in LEFT_OUT, with a reason, never both.
    labelled = {f.path for f in FIELDS}
    fields = every_field(Action)
    assert fields - labelled - set(LEFT_OUT) == set(), "a model field neither compared nor left out"
    assert labelled | set(LEFT_OUT) == fields and not labelled & set(LEFT_OUT)
    assert sorted(model_fields()) == sorted(labelled)  # what the comparison walks is what is labelled
    assert all(reason.strip() for reason in LEFT_OUT.values())

    # ti new action: every field of an action is in the new file or in NOT_WRITTEN, with a reason.
    document = action_document(1, "Titre", "ATTIRER", "amorcage", None, [])
    actions = set(Action.model_fields)
    assert actions - set(document) - set(NOT_WRITTEN) == set(), "a field ti new action neither writes nor lists"
    assert not set(document) & set(NOT_WRITTEN) and set(NOT_WRITTEN) <= actions
    assert set(document["cost"]) == set(Cost.model_fields)
    assert all(reason.strip() for reason in NOT_WRITTEN.values())

    # ti import xlsx: every field is read from the sheet (SheetAction, SheetLine, the cost columns) or in
    # NOT_IMPORTED, with a reason; a line's financer is its columns' key.
    sheet = {f.name for f in dataclasses.fields(SheetAction)} - {"row"}
    line = {f.name for f in dataclasses.fields(SheetLine)} - {"phase2"} | {"financer"}
    top = {k for k in NOT_IMPORTED if "." not in k}
    lines = {k.removeprefix("financing.") for k in NOT_IMPORTED if k.startswith("financing.")}
    assert actions - sheet - top == set(), "a field ti import xlsx neither reads nor lists"
    assert set(FinancingLine.model_fields) - line - lines == set(), (
        "a financing field the import neither reads nor lists"
    )
    assert not sheet & top and top <= actions and not line & lines and lines <= set(FinancingLine.model_fields)
    assert {key for key, _title in COST_COLUMNS} == set(Cost.model_fields)
    assert set(NOT_IMPORTED) == top | {f"financing.{k}" for k in lines}
    assert all(reason.strip() for reason in NOT_IMPORTED.values())


OWN_INDICATOR = "  - {id: tonnes-recyclees, title: Tonnes recyclées, unit: t}\ndescription:"
# A change to a field ti used not to compare: the edit of action 5 of the phase-2 plan, the changes in
# JSON, the rows of the terminal (label, before, after) in French.
NEWLY_SEEN = {
    "owner_siret": (
        ('owner_siret: "99999999800019"', 'owner_siret: "99999999800027"'),
        [("owner_siret", "99999999800019", "99999999800027")],
        [("SIRET du maître d'ouvrage", "99999999800019", "99999999800027")],
    ),
    "volet": (
        ("volet: 1", "volet: 2"),
        [("financing.etat.volet", 1, 2)],
        [("volet du Fonds vert (État)", "1", "2")],
    ),
    "requested_on": (
        ("requested_on: 2024-09-15", "requested_on: 2024-10-01"),
        [("financing.etat.requested_on", "2024-09-15", "2024-10-01")],
        [("date de demande (État)", "15 septembre 2024", "1er octobre 2024")],
    ),
    "decided_on": (
        ("decided_on: 2025-01-20", "decided_on: 2025-02-03"),
        [("financing.etat.decided_on", "2025-01-20", "2025-02-03")],
        [("date de décision (État)", "20 janvier 2025", "3 février 2025")],
    ),
    "reference": (
        ("reference: Décision ADEME (illustrative)", "reference: ADEME-2025-042"),
        [("financing.etat.reference", "Décision ADEME (illustrative)", "ADEME-2025-042")],
        [("référence du dossier (État)", "Décision ADEME (illustrative)", "ADEME-2025-042")],
    ),
    "target": (
        ("target: 1200", "target: 1500"),
        [("indicators.emissions-evitees.target", "1200", "1500")],
        [("cible de l'indicateur (Émissions de GES évitées)", "1 200", "1 500")],
    ),
    "measure": (
        ("value: 300}", "value: 350}\n      - {on: 2026-03-31, value: 420.5}"),
        [
            ("indicators.emissions-evitees.measures.2025-12-31.value", "300", "350"),
            ("indicators.emissions-evitees.measures.2026-03-31.value", None, "420.5"),
        ],
        [
            ("mesure de l'indicateur (Émissions de GES évitées, au 31 décembre 2025)", "300", "350"),
            ("mesure de l'indicateur (Émissions de GES évitées, au 31 mars 2026)", "–", "420,5"),
        ],
    ),
    "indicator": (
        ("description:", OWN_INDICATOR),
        [
            ("indicators.tonnes-recyclees.id", None, "tonnes-recyclees"),
            ("indicators.tonnes-recyclees.title", None, "Tonnes recyclées"),
            ("indicators.tonnes-recyclees.unit", None, "t"),
        ],
        [
            ("indicateur (tonnes-recyclees)", "–", "tonnes-recyclees"),
            ("intitulé de l'indicateur (tonnes-recyclees)", "–", "Tonnes recyclées"),
            ("unité de l'indicateur (tonnes-recyclees)", "–", "t"),
        ],
    ),
}


def cells(output: str) -> list[list[str]]:
    """The rows of a rich table, each as its stripped cells."""
    return [[c.strip() for c in line.split("│")[1:-1]] for line in said(output).splitlines() if "│" in line]


@pytest.mark.parametrize("name", NEWLY_SEEN)
def test_a_change_to_a_field_ti_used_to_miss_shows_in_ti_diff(sample, name):
    (old, new), changes, rows = NEWLY_SEEN[name]
    init_repo(sample)
    edit(A5, old, new)
    data = json.loads(ti("diff", P2_ID, "--base", "main", "-f", "json").output)
    assert data["modified"] == [
        {"number": 5, "changes": [{"field": f, "before": b, "after": a} for f, b, a in changes]}
    ]
    result = ti("diff", P2_ID, "--base", "main", env={"GITHUB_ACTIONS": "", "COLUMNS": "250"})
    assert result.exit_code == 0, result.output
    table = cells(result.output)
    for label, before, after in rows:
        assert ["", label, before, after, ""] in table, result.output


def test_the_avenant_states_the_contractual_changes_only(sample):
    """The SIRET, a Fonds vert volet, an indicator and its target are the contract; the dates and the
    reference of a financer's file and the measures of an indicator are its execution."""
    init_repo(sample)
    edit(A3, "owner_parties: [caro]\n", 'owner_parties: [caro]\nowner_siret: "99999999800019"\n')
    edit(
        A3,
        "  - {financer: etat, eligibility: validee}",
        "  - {financer: etat, dispositif: fonds-vert-ti, volet: 1, status: obtenu, requested_on: 2024-09-15, "
        "decided_on: 2025-01-20, reference: FV-2024-001}",
    )
    edit(
        A3,
        "comment: null\n",
        "comment: null\nindicators:\n  - id: personnes-formees\n    target: 200\n"
        "    measures:\n      - {on: 2025-12-31, value: 40}\n",
    )
    commit("the action's Fonds vert file and its indicator")
    for old, new in (
        ("99999999800019", "99999999800027"),
        ("volet: 1", "volet: 2"),
        ("requested_on: 2024-09-15", "requested_on: 2024-10-01"),
        ("decided_on: 2025-01-20", "decided_on: 2025-02-03"),
        ("FV-2024-001", "FV-2024-042"),
        ("target: 200", "target: 250"),
        ("value: 40}\n", "value: 55}\n  - {id: tonnes-recyclees, title: Tonnes recyclées, unit: t}\n"),
    ):
        edit(A3, old, new)
    result = ti("avenant", ID, "--base", "main", "--output", "out/avenant.md")
    assert result.exit_code == 0, result.output
    article = Path("out/avenant.md").read_text(encoding="utf-8").split("## Article 2")[1].split("## Article 3")[0]
    assert "Modification de l'action n° 3" in article
    assert [line for line in article.splitlines() if line.startswith("| ") and "Élément" not in line] == [
        "| SIRET du maître d'ouvrage | 99999999800019 | 99999999800027 |  |",
        "| volet du Fonds vert (Etat) | 1 | 2 |  |",
        "| cible de l'indicateur (Personnes formées) | 200 | 250 |  |",
        "| indicateur (tonnes-recyclees) | – | tonnes-recyclees |  |",
        "| intitulé de l'indicateur (tonnes-recyclees) | – | Tonnes recyclées |  |",
        "| unité de l'indicateur (tonnes-recyclees) | – | t |  |",
    ]
    # the diff still lists the execution facts, the avenant does not
    shown = said(ti("diff", ID, "--base", "main", "-f", "markdown").output)
    for label in ("date de demande (Etat)", "date de décision (Etat)", "référence du dossier (Etat)"):
        assert f"| {label} |" in shown and label not in article
    assert "mesure de l'indicateur (Personnes formées, au 31 décembre 2025) | 40 | 55 |" in shown


@pytest.mark.parametrize(
    "line",
    [
        {"requested_on": "2024-10-01"},
        {"decided_on": "2025-02-03"},
        {"reference": "ADEME-2025-042"},
    ],
)
def test_a_financer_file_s_dates_and_reference_need_no_decision(sample, line):
    def change(action):
        if action.number != 5:
            return action
        etat = action.financing[0].model_copy(update={k: v for k, v in line.items()})
        return action.model_copy(update={"financing": [etat, *action.financing[1:]]})

    found = diff(*sides(change, P2))
    [modified] = found.actions
    assert len(modified.changes) == 1 and modified.article is None
    assert found.to_sign == [] and not found.needs_copil


def test_a_measure_needs_no_decision_a_target_does(sample):
    def indicator(**update):
        def change(action):
            if action.number != 5:
                return action
            [emissions] = action.indicators
            return action.model_copy(update={"indicators": [emissions.model_copy(update=update)]})

        return change

    [emissions] = next(a for a in load_contract(Path(P2)).action_models() if a.number == 5).indicators
    measured = diff(*sides(indicator(measures=[emissions.measures[0].model_copy(update={"value": Decimal(350)})]), P2))
    assert measured.to_sign == [] and not measured.needs_copil
    targeted = diff(*sides(indicator(target=Decimal(1500)), P2))
    assert [a.number for a in targeted.to_sign] == [5] and targeted.copil_actions == [5]  # structurante


def test_the_proposed_decisions_name_the_contractual_changes_only(sample):
    init_repo(sample)
    edit(A5, "volet: 1", "volet: 2")
    edit(A5, "requested_on: 2024-09-15", "requested_on: 2024-10-01")
    edit(A5, "target: 1200", "target: 1500")
    result = ti("decisions", "draft", P2_ID, "--base", "main", "--format", "json")
    assert result.exit_code == 0, result.output
    [decision] = json.loads(result.stdout)["decisions"]
    assert said(decision["summary"]).endswith(
        " : volet du Fonds vert (État) : 1 → 2 ; cible de l'indicateur (Émissions de GES évitées) : 1 200 → 1 500"
    )


def test_without_base_a_branch_is_compared_with_where_it_left_main(repo):
    """SPEC §11: the default --base is the merge-base of HEAD with the default branch (issue 22)."""
    from gitrepo import git

    fork = git("rev-parse", "--short=12", "HEAD").strip()
    git("checkout", "-q", "-b", "avenant-1")
    amend_actions()
    commit("avenant 1")
    result = ti("diff", ID, "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["base"] == fork
    assert said(result.stderr) == f"ti: sans --base : comparaison avec {fork}, le point où HEAD a quitté main\n"


def test_an_unknown_base_names_the_branches_that_exist(repo):
    from gitrepo import git

    git("branch", "avenant-1")
    result = ti("diff", ID, "--base", "master")
    assert result.exit_code == 2
    assert "révision inconnue « master »" in said(result.output) and "ses branches : avenant-1, main" in said(
        result.output
    )


def test_without_base_nor_default_branch_the_branches_are_named(repo):
    from gitrepo import git

    git("branch", "-m", "main", "travail")
    result = ti("diff", ID)
    assert result.exit_code == 2
    assert "aucune branche par défaut avec laquelle comparer (origin/HEAD, main ou master) : donnez --base" in said(
        result.output
    )
    assert said(result.output).rstrip().endswith(": travail")


def test_nothing_changed_means_nothing_to_decide_said_in_french(repo):
    result = ti("decisions", "draft", P2_ID, "--base", "main")
    assert result.exit_code == 2
    assert f"rien à décider : aucune action du plan {P2_ID} n'a changé entre main et " in said(result.output)


def test_an_unknown_document_format_is_refused_before_the_draft_releve_is_written(sample):
    init_repo(sample)
    edit(A5, "target: 1200", "target: 1500")
    result = ti("decisions", "draft", P2_ID, "--base", "main", "--to", "odt")
    assert result.exit_code == 2
    assert "format inconnu « odt »" in said(result.output)
    assert not list((sample / "data/contracts" / P2_ID / "decisions").glob("*projet-releve.yaml"))
