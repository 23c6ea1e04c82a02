"""``ti totals``: the sample's figures to the cent, every JSON key of SPEC §9, the cents sums against plain Decimal."""

from __future__ import annotations

import csv
import io
import json
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from conftest import CONTRACT, edit, said
from ti_cli.cli import app
from ti_cli.compute.totals import BY, LINE_BY, contract_totals, group_totals, owner_group
from ti_cli.model import Action, Contract
from ti_cli.model.action import Eligibility

ID = "rochefort-royan-marennes-oleron"
A1 = f"{CONTRACT}/actions/01-filiere-aeronautique.yaml"
AMOUNT_KEYS = {"total", "investment", "operating"}


def invoke(*args: str):
    return CliRunner().invoke(app, list(args))


def as_json(*args: str) -> dict:
    result = invoke("totals", *args, "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def by_key(groups: list[dict]) -> dict[str, dict]:
    return {g["key"]: g for g in groups}


def plant_amounts() -> None:
    """Action 1 with known amounts: a validated grant with cents, a validated loan, one to confirm and
    an own share (CARO and CARA are the maîtres d'ouvrage)."""
    edit(
        A1,
        "  - {financer: etat, eligibility: validee}\n",
        "  - {financer: etat, eligibility: validee, scheme: DSIL, amount: 5000000.10}\n"
        "  - {financer: bdt-prets, eligibility: validee, amount: 1000000}\n"
        "  - {financer: autofinancement, eligibility: validee, amount: 1500000}\n",
    )
    edit(
        A1,
        "  - {financer: region, eligibility: validee}\n",
        "  - {financer: region, eligibility: a_confirmer, amount: 2000000}\n",
    )


def test_sample_totals_are_the_annex_figures(sample):
    data = as_json(ID)
    assert set(data) == {"contract", "total", "investment", "operating", "financing"}  # no groups without --by
    assert (data["contract"], data["total"], data["investment"], data["operating"]) == (
        ID,
        "43823500.00",
        "42939000.00",
        "884500.00",
    )
    # The seed gives no financing amount: nothing is secured yet.
    assert data["financing"]["secured"] == "0.00"
    assert data["financing"]["to_find"] == "43823500.00"


def test_by_axis_and_category_give_the_issue_figures(sample):
    axes = by_key(as_json(ID, "--by", "axis")["groups"])
    assert {k: g["total"] for k, g in axes.items()} == {
        "ATTIRER": "35403500.00",
        "RECRUTER": "7580000.00",
        "INNOVER": "840000.00",
    }
    assert list(axes) == ["ATTIRER", "RECRUTER", "INNOVER"]  # the programme's order
    categories = by_key(as_json(ID, "--by", "category")["groups"])
    assert {k: g["total"] for k, g in categories.items()} == {"structurante": "42803500.00", "amorcage": "1020000.00"}
    assert categories["amorcage"]["actions"] == 5


def test_group_objects_start_with_the_spec_keys_as_strings(sample):
    for by in BY:
        for group in as_json(ID, "--by", by)["groups"]:
            if by in LINE_BY:  # a group of financing lines: its own amounts, no split (SPEC §14)
                assert list(group)[:4] == ["key", "label", "actions", "total"]
                assert "investment" not in group and "operating" not in group
                amounts = {"total", "secured", "requested", "paid"}
            else:
                assert list(group)[:4] == ["key", "total", "investment", "operating"]
                amounts = AMOUNT_KEYS
            assert all(
                isinstance(group[k], str) and group[k].count(".") == 1 and len(group[k].split(".")[1]) == 2
                for k in amounts
            )
            assert not any("share" in k or "percent" in k for k in group)


def test_by_status_uses_the_latest_report_of_each_action(sample):
    groups = by_key(as_json(ID, "--by", "status")["groups"])
    # 2021-Q4: action 6 termine, the others en_cours (action 5, absent from Q4, was en_cours before).
    assert (groups["termine"]["total"], groups["termine"]["actions"]) == ("20000.00", 1)
    assert (groups["en_cours"]["total"], groups["en_cours"]["actions"]) == ("43803500.00", 8)


def test_an_action_never_reported_is_a_lancer(sample):
    for report in Path(CONTRACT, "progress").glob("*.yaml"):
        report.unlink()
    groups = as_json(ID, "--by", "status")["groups"]
    assert [(g["key"], g["actions"]) for g in groups] == [("a_lancer", 9)]


def test_by_owner_joins_party_ids_or_takes_the_text(sample):
    groups = by_key(as_json(ID, "--by", "owner")["groups"])
    assert groups["cara+caro"]["total"] == "19843500.00"  # actions 1 and 4
    assert groups["cara+caro"]["actions"] == 2
    port = "Syndicat Mixte du port de commerce de Rochefort/Tonnay-Charente"  # no owner_parties
    assert groups[port]["total"] == "15380000.00"


def test_secured_loans_and_to_find_on_planted_amounts(sample):
    plant_amounts()
    data = as_json(ID)
    assert data["financing"]["secured"] == "7500000.10"  # etat + bdt-prets + autofinancement, all validee
    assert data["financing"]["loans"] == "1000000.00"
    assert data["financing"]["to_find"] == "36323499.90"
    [own] = data["financing"]["own_shares"]
    # Public financing: etat, region (to confirm, but with an amount) and autofinancement; the loan is not.
    assert own == {"number": 1, "owner": own["owner"], "own": "1500000.00", "public": "8500000.10"}


def test_financer_groups_sum_every_line_and_count_actions(sample):
    plant_amounts()
    groups = by_key(as_json(ID, "--by", "financer")["groups"])
    assert (groups["etat"]["total"], groups["etat"]["secured"], groups["etat"]["actions"]) == (
        "5000000.10",
        "5000000.10",
        4,
    )
    assert (groups["region"]["total"], groups["region"]["secured"]) == ("2000000.00", "0.00")
    assert groups["bdt-prets"]["actions"] == 1
    # a financer's row carries its own amounts, never the cost of the actions it takes part in
    assert "investment" not in groups["bdt-prets"] and groups["bdt-prets"]["total"] == "1000000.00"
    assert list(groups)[:4] == ["etat", "region", "bdt-subventions", "bdt-prets"]  # the contract's column order


def test_table_shows_french_figures_and_the_financing_share(sample):
    plant_amounts()
    out = invoke("totals", ID, "--by", "financer", "--format", "markdown").stdout
    # One figure has cents: the whole column shows cents, so that the figures line up.
    assert "| Coût total HT | 43 823 500,00 € | 100,0 % |" in out
    assert "| Reste à financer | 36 323 499,90 € | 82,9 % |" in out
    assert "| dont prêts | 1 000 000,00 € | 2,3 % |" in out
    # Etat: 5 000 000,10 of 9 500 000,10 € of financing = 52.6 %.
    assert "| Etat | 4 | 5 000 000,10 € | 5 000 000,10 € | 52,6 % |" in out
    table = invoke("totals", ID, "--by", "axis")
    assert table.exit_code == 0 and "35 403 500 €" in table.stdout


def test_csv_has_machine_values_and_a_total_row(sample):
    rows = list(csv.DictReader(io.StringIO(invoke("totals", ID, "--by", "category", "--format", "csv").stdout)))
    assert [r["key"] for r in rows] == ["structurante", "amorcage", "total"]
    assert rows[-1]["total"] == "43823500.00" and rows[0]["investment"] == "42139000.00"
    [single] = list(csv.DictReader(io.StringIO(invoke("totals", ID, "--format", "csv").stdout)))
    assert single["contract"] == ID and single["to_find"] == "43823500.00"


def test_output_file_format_follows_its_extension(sample):
    assert invoke("totals", ID, "--output", "t.json").exit_code == 0
    assert json.loads(Path("t.json").read_text(encoding="utf-8"))["total"] == "43823500.00"


def test_refuses_to_compute_on_invalid_data(sample):
    edit(A1, "total: 16753500", "total: 16754500")
    result = invoke("totals", ID, "--format", "json")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert "TI023" in result.stderr and "rien n'a été calculé" in result.stderr


@pytest.mark.parametrize("args", [["--by", "colour"], [], [ID, "--all"], [ID, "--format", "pdf"]])
def test_usage_problems_exit_2(sample, args):
    assert invoke("totals", *args).exit_code == 2


def second_contract(region: str) -> Path:
    other = Path("data/contracts/autre-territoire")
    shutil.copytree(CONTRACT, other)
    edit(other / "contract.yaml", f"id: {ID}", "id: autre-territoire")
    edit(other / "contract.yaml", "region: Nouvelle-Aquitaine", f"region: {region}")
    return other


def test_all_aggregates_the_portfolio_by_region_and_axis(sample):
    second_contract("Occitanie")
    data = as_json("--all")
    assert data["contract"] is None and data["contracts"] == ["autre-territoire", ID, f"{ID}-2023"]
    assert data["total"] == "101207000.00"  # the phase-2 sample adds 13 560 000 €
    regions = by_key(data["groups"])
    assert set(regions) == {"Nouvelle-Aquitaine", "Occitanie"}
    assert {a["key"]: a["total"] for a in regions["Occitanie"]["axes"]} == {
        "ATTIRER": "35403500.00",
        "RECRUTER": "7580000.00",
        "INNOVER": "840000.00",
    }
    axes = by_key(as_json("--all", "--by", "axis")["groups"])
    assert axes["ATTIRER"]["total"] == "70807000.00" and axes["ATTIRER"]["actions"] == 12


def test_all_refuses_when_any_contract_is_invalid(sample):
    other = second_contract("Occitanie")
    edit(other / "actions/01-filiere-aeronautique.yaml", "total: 16753500", "total: 1")
    result = invoke("totals", "--all", "--format", "json")
    assert result.exit_code == 1 and result.stdout == ""
    assert "autre-territoire" in result.stderr and "TI023" in result.stderr


# integer-cents sums against a plain Decimal sum -------------------------------------------------------

CONTRACT_MODEL = Contract.model_validate(
    {
        "id": "c",
        "title": "C",
        "region": "R",
        "period": {"start": "2020-01-01", "end": "2022-12-31"},
        "status": "signe",
        "parties": [{"id": "caro", "name": "CARO", "role": "intercommunalite"}],
        "financers": [
            {"id": "etat", "name": "Etat", "kind": "etat"},
            {"id": "bdt-prets", "name": "Prêts", "kind": "operateur", "loan": True},
            {"id": "autofinancement", "name": "Autofinancement", "kind": "autofinancement"},
        ],
    }
)
CENTS = st.integers(min_value=0, max_value=10**13).map(lambda c: Decimal(c).scaleb(-2))
LINE = st.fixed_dictionaries(
    {
        "financer": st.sampled_from(["etat", "bdt-prets", "autofinancement"]),
        "eligibility": st.sampled_from(["validee", "a_confirmer"]),
        "amount": st.one_of(st.none(), CENTS),
    }
)
ACTION = st.fixed_dictionaries(
    {
        "title": st.just("A"),
        "axis": st.sampled_from(["ATTIRER", "RECRUTER", "INNOVER", "SIMPLIFIER"]),
        "category": st.sampled_from(["structurante", "amorcage"]),
        "owner_parties": st.sampled_from([[], ["caro"]]),
        "owner": st.sampled_from([None, "Syndicat"]),
        "cost": st.one_of(st.none(), st.fixed_dictionaries({"investment": CENTS, "operating": CENTS})),
        "financing": st.lists(LINE, max_size=4),
    }
)


def plain_sums(actions: list[Action], keep=lambda a: True) -> dict[str, Decimal]:
    chosen = [a for a in actions if keep(a)]
    lines = [(a, line) for a in chosen for line in a.financing if line.eligibility is Eligibility.validee]
    return {
        "total": sum((a.investment + a.operating for a in chosen), Decimal(0)),
        "investment": sum((a.investment for a in chosen), Decimal(0)),
        "operating": sum((a.operating for a in chosen), Decimal(0)),
        "secured": sum((line.amount or Decimal(0) for _, line in lines), Decimal(0)),
        "loans": sum((line.amount or Decimal(0) for _, line in lines if line.financer == "bdt-prets"), Decimal(0)),
    }


@settings(max_examples=60, deadline=None)
@given(st.lists(ACTION, min_size=1, max_size=8))
def test_every_figure_equals_a_plain_decimal_sum(raw):
    actions = [Action.model_validate({**a, "number": i}) for i, a in enumerate(raw, start=1)]
    totals = contract_totals(CONTRACT_MODEL, actions)
    expected = plain_sums(actions)
    assert (totals.total, totals.investment, totals.operating, totals.secured, totals.loans) == (
        expected["total"],
        expected["investment"],
        expected["operating"],
        expected["secured"],
        expected["loans"],
    )
    assert totals.to_find == expected["total"] - expected["secured"]
    keys = {
        "axis": lambda a: a.axis.value,
        "category": lambda a: a.category.value,
        "owner": lambda a: owner_group(CONTRACT_MODEL, a)[0],
        "status": lambda a: "a_lancer",
    }
    for by, key_of in keys.items():
        groups = group_totals(CONTRACT_MODEL, actions, by)
        assert sum(g.actions for g in groups) == len(actions)
        for g in groups:
            want = plain_sums(actions, lambda a, k=g.key, f=key_of: f(a) == k)
            assert (g.total, g.investment, g.operating, g.secured) == (
                want["total"],
                want["investment"],
                want["operating"],
                want["secured"],
            )
    for g in group_totals(CONTRACT_MODEL, actions, "financer"):
        lines = [line for a in actions for line in a.financing if line.financer == g.key]
        assert g.total == sum((line.amount or Decimal(0) for line in lines), Decimal(0))
        assert g.secured == sum(
            (line.amount or Decimal(0) for line in lines if line.eligibility is Eligibility.validee), Decimal(0)
        )
        assert g.actions == len({a.number for a in actions for line in a.financing if line.financer == g.key})


def test_a_group_of_actions_whose_cost_is_not_given_reads_non_precise_never_0_euros(sample):
    # action 6 (amorçage, alone « Terminé » in 2021-Q4) without its cost: SPEC §4 allows it, and the
    # contract's annex prints « – »; its group must not state a cost of « 0 € » (SPEC §14)
    edit(
        f"{CONTRACT}/actions/06-conciergerie-territoriale.yaml",
        "cost:\n  investment: 0\n  operating: 20000\n  total: 20000\n",
        "",
    )
    out = said(invoke("totals", ID, "--by", "status", "--format", "markdown").stdout)
    assert "| Terminé | 1 | non précisé | non précisé | non précisé |" in out, out
    assert "| Terminé | 1 | 0 € |" not in out
    # the other groups keep their figures
    assert "| En cours | 8 | 43 803 500 € |" in out
