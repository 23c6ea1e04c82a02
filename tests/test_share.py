"""``ti share``: subsidies first, then shares to the cent that add up exactly (SPEC §6, §9)."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from conftest import CONTRACT, edit, said
from ti_cli.cli import app
from ti_cli.compute.share import largest_remainder, per_year, split
from ti_cli.model import CostSharing

ID = "rochefort-royan-marennes-oleron"
FILE = "chef-de-projet-finistere"
SHARING = f"{CONTRACT}/cost-sharing/{FILE}.yaml"


def invoke(*args: str):
    return CliRunner().invoke(app, ["share", ID, *args])


def as_json(*args: str) -> dict:
    result = invoke(*args, "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_the_seed_case_gives_quimper_23_187_euros(sample):
    data = as_json(FILE)
    assert list(data) == ["title", "amount", "subsidies", "to_share", "shares"]
    assert (data["amount"], data["subsidies"], data["to_share"]) == (
        "207600.00",
        [{"financer": "etat", "amount": "80000.00"}],
        "127600.00",
    )  # 50 % capped at 80 000
    shares = {s["member"]: s for s in data["shares"]}
    assert shares["qbo"] == {"member": "qbo", "name": "Quimper Bretagne Occidentale", "share": "23187.00"}
    assert sum(Decimal(s["share"]) for s in data["shares"]) == Decimal("127600.00")
    assert [s["member"] for s in data["shares"]][:2] == ["brest-metropole", "qbo"]  # the file's order


def test_per_year_gives_the_deliberations_annual_figure(sample):
    shares = {s["member"]: s for s in as_json(FILE, "--per-year", "2")["shares"]}
    assert shares["qbo"]["per_year"] == ["11593.50", "11593.50"]
    # An odd cent goes to the first year; the years add up to the share exactly.
    assert shares["brest-metropole"]["share"] == "39579.51"
    assert shares["brest-metropole"]["per_year"] == ["19789.76", "19789.75"]


def test_markdown_annex_for_a_convention_de_financement(sample):
    result = invoke(FILE, "--per-year", "2", "--format", "markdown")
    assert result.exit_code == 0
    out = result.stdout
    assert out.startswith("# Annexe financière — Poste de chef de projet Territoire d'industrie Finistère\n")
    assert "| Subvention Etat (50 %, plafonnée à 80 000 €) | 80 000 € |" in out
    assert "| Reste à répartir entre les membres | 127 600 € |" in out
    assert "| Quimper Bretagne Occidentale | 123 025 (18,17 %) | 23 187,00 € | 11 593,50 € |" in out
    assert "| **Total** |  | **127 600,00 €** |" in out


def test_table_and_csv(sample):
    table = invoke(FILE)
    assert table.exit_code == 0 and "23 187,00 €" in table.stdout
    lines = invoke(FILE, "--format", "csv", "--per-year", "2").stdout.splitlines()
    assert lines[0] == "member,name,weight,share,year_1,year_2"
    assert "qbo,Quimper Bretagne Occidentale,123025,23187.00,11593.50,11593.50" in lines
    assert lines[-1] == "total,Total,,127600.00,63800.02,63799.98"


def test_file_by_path_and_by_name(sample):
    assert as_json(SHARING)["to_share"] == "127600.00"
    assert as_json(f"{FILE}.yaml")["to_share"] == "127600.00"


def test_a_file_outside_the_contract_is_checked_too(sample):
    outside = Path("elsewhere.yaml")
    outside.write_text(
        Path(SHARING).read_text(encoding="utf-8").replace("financer: etat", "financer: nobody"), encoding="utf-8"
    )
    result = invoke(str(outside))
    assert result.exit_code == 1 and "TI060" in result.stderr


def test_unknown_file_is_a_usage_problem_naming_the_choices(sample):
    result = invoke("nope")
    assert result.exit_code == 2
    assert FILE in result.stderr


def test_refuses_fixed_shares_that_do_not_add_up(sample):
    text = Path(SHARING).read_text(encoding="utf-8")
    body = text[: text.index("key: weights")] + (
        "key: fixed\nmembers:\n  - {id: a, name: A, amount: 100000}\n  - {id: b, name: B, amount: 27500}\n"
    )
    Path(SHARING).write_text(body, encoding="utf-8")
    result = invoke(FILE, "--format", "json")
    assert result.exit_code == 1 and result.stdout == ""
    assert "TI061" in result.stderr and "100 € manquants" in said(result.stderr)
    edit(SHARING, "amount: 27500}", "amount: 27600}")
    assert [s["share"] for s in as_json(FILE)["shares"]] == ["100000.00", "27600.00"]


def sharing(**fields) -> CostSharing:
    base = {
        "title": "T",
        "amount": Decimal(100),
        "members": [{"id": "a", "name": "A"}, {"id": "b", "name": "B"}, {"id": "c", "name": "C"}],
    }
    return CostSharing.model_validate({**base, **fields})


def test_equal_split_gives_the_odd_cent_to_the_first_member():
    assert split(sharing()).shares == [Decimal("33.34"), Decimal("33.33"), Decimal("33.33")]


def test_subsidy_by_amount_and_by_capped_rate():
    done = split(
        sharing(subsidies=[{"financer": "etat", "amount": 10}, {"financer": "region", "rate": "0.5", "cap": 20}])
    )
    assert done.subsidies == [("etat", Decimal(10)), ("region", Decimal(20))]
    assert done.to_share == Decimal(70)
    assert sum(done.shares) == Decimal(70)


def test_largest_remainder_goes_to_the_largest_fraction_first():
    # 10 € by weights 1, 1, 1, 3 → 1.666…, 1.666…, 1.666…, 5.00: the 2 spare cents go to the first two.
    assert largest_remainder(Decimal(10), [Decimal(1)] * 3 + [Decimal(3)]) == [
        Decimal("1.67"),
        Decimal("1.67"),
        Decimal("1.66"),
        Decimal("5.00"),
    ]


@given(
    st.integers(min_value=0, max_value=10**11).map(lambda c: Decimal(c).scaleb(-2)),
    st.lists(st.integers(min_value=0, max_value=10**7), min_size=1, max_size=12).filter(any),
)
def test_shares_always_add_up_to_the_cent_and_stay_within_a_cent(total, raw_weights):
    weights = [Decimal(w) for w in raw_weights]
    parts = largest_remainder(total, weights)
    assert sum(parts) == total
    assert all(p == p.quantize(Decimal("0.01")) for p in parts)
    for part, weight in zip(parts, weights, strict=True):
        assert abs(part - total * weight / sum(weights)) < Decimal("0.01")


@pytest.mark.parametrize("years", [1, 2, 3, 7])
def test_per_year_parts_add_up(years):
    shares = [Decimal("23187.00"), Decimal("0.05"), Decimal("100.01")]
    for share, parts in zip(shares, per_year(shares, years), strict=True):
        assert sum(parts) == share and len(parts) == years
        assert max(parts) - min(parts) <= Decimal("0.01")
