"""``ti_cli.frames``: the plans as pandas DataFrames (SPEC §16), the same figures as ``ti totals``."""

from __future__ import annotations

import json
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from conftest import edit
from tet_fixture import FICHES, tet_workbook
from ti_cli import frames
from ti_cli.cli import app

P1 = "rochefort-royan-marennes-oleron"
P2 = "rochefort-royan-marennes-oleron-2023"
SECURED = {"validee", "obtenu", "engage", "verse"}


def totals(*args: str) -> dict:
    result = CliRunner().invoke(app, ["totals", *args, "--format", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def euros(cents) -> str:
    return f"{Decimal(int(cents)).scaleb(-2):.2f}"


@pytest.mark.parametrize("contract", [P1, P2])
def test_the_sums_of_the_frames_are_ti_totals_to_the_cent(sample, contract):
    want = totals(contract)
    acts = frames.actions(f"data/contracts/{contract}")
    lines = frames.financing(f"data/contracts/{contract}")
    assert set(acts["contract"]) == {contract} and len(acts) == {P1: 9, P2: 6}[contract]
    assert euros(acts["total_cents"].sum()) == want["total"]
    assert euros(acts["investment_cents"].sum()) == want["investment"]
    assert euros(acts["operating_cents"].sum()) == want["operating"]
    money = want["financing"]
    counted = lines[lines["stage"] != "refuse"]
    assert euros(counted.loc[counted["stage"].isin(SECURED), "amount_cents"].sum()) == money["secured"]
    assert euros(counted["amount_cents"].sum()) == money["financed"]
    assert euros(lines["paid_cents"].sum()) == money["paid"]
    assert euros(lines.loc[lines["stage"] == "refuse", "amount_cents"].sum()) == money["refused"]
    assert int(counted["amount_cents"].isna().sum()) == money["unknown_amounts"]
    if contract == P2:
        assert euros(lines.loc[lines["stage"] == "sollicite", "amount_cents"].sum()) == money["requested"]
        assert euros(lines.loc[lines["stage"] == "verse", "amount_cents"].sum()) == money["settled"]


def test_a_repository_gives_the_portfolio_and_its_axes_are_ti_totals_groups(sample):
    acts = frames.actions(sample)
    assert list(acts.columns) == [
        "contract",
        "number",
        "title",
        "axis",
        "category",
        "owner",
        "planned_start",
        "planned_end",
        "investment_cents",
        "operating_cents",
        "total_cents",
        "unsplit_cents",
        "region",
    ]
    assert str(acts["total_cents"].dtype) == "Int64" and len(acts) == 15
    assert euros(acts["total_cents"].sum()) == totals("--all")["total"]
    by_axis = acts[acts["contract"] == P2].groupby("axis")["total_cents"].sum()
    for group in totals(P2, "--by", "axis")["groups"]:
        assert euros(by_axis[group["key"]]) == group["total"]
    assert frames.actions(sample / "data")["total_cents"].sum() == acts["total_cents"].sum()


def test_unknown_amounts_are_missing_not_zero_and_decimal_columns_on_request(sample):
    lines = frames.financing("data", decimal=True)
    phase1 = lines[lines["contract"] == P1]
    assert phase1["amount_cents"].isna().any() and phase1["amount"].isna().any()
    known = lines.dropna(subset=["amount_cents"])
    assert all(Decimal(int(c)).scaleb(-2) == a for c, a in zip(known["amount_cents"], known["amount"], strict=True))
    acts = frames.actions("data", decimal=True)
    first = acts.iloc[0]
    assert (first["total"], first["investment"], first["operating"]) == (
        Decimal("16753500.00"),
        Decimal("16663500.00"),
        Decimal("90000.00"),
    )
    assert "amount" not in frames.financing("data").columns


def test_a_cost_given_as_a_total_alone_has_no_split(sample):
    edit(
        f"data/contracts/{P2}/actions/01-foncier-aeroport.yaml",
        "cost:\n  investment: 2400000\n  operating: 60000\n",
        "cost:\n  total: 2460000\n",
    )
    acts = frames.actions(f"data/contracts/{P2}")
    first = acts.iloc[0]
    assert pd.isna(first["investment_cents"]) and pd.isna(first["operating_cents"])
    assert (first["total_cents"], first["unsplit_cents"]) == (246000000, 246000000)
    want = totals(P2)
    assert (
        euros(acts["investment_cents"].sum()) == want["investment"]
        and euros(acts["unsplit_cents"].sum()) == want["unsplit"]
    )


def test_indicators_and_decisions(sample):
    ind = frames.indicators("data")
    assert list(ind.columns) == ["contract", "action", "id", "unit", "target", "value", "measured_on"]
    assert ind["value"].dtype == "float64" and len(ind) > 0
    dec = frames.decisions("data")
    assert list(dec.columns) == ["contract", "date", "body", "action", "kind", "opinion", "summary"]
    assert set(dec["contract"]) == {P2} and dec["action"].dtype == "Int64"
    # a draft relevé (``ti decisions draft``) proposes, it does not decide: not among the decisions
    held = len(dec)
    meeting = Path(f"data/contracts/{P2}/decisions/2025-06-26-comite-de-projets.yaml")
    meeting.write_text(meeting.read_text(encoding="utf-8").replace("date: 2025-06-26", "date: 2025-06-26\ndraft: true"))
    assert len(frames.decisions("data")) < held


def test_a_repository_with_errors_raises_one_exception_listing_the_findings(sample):
    edit(f"data/contracts/{P1}/actions/01-filiere-aeronautique.yaml", "total: 16753500", "total: 16753501")
    with pytest.raises(frames.InvalidData) as raised:
        frames.actions("data")
    assert [f.code for f in raised.value.findings] == ["TI023"]
    assert "01-filiere-aeronautique.yaml" in str(raised.value) and "TI023" in str(raised.value)


COMMANDS = [
    ["validate", "data"],
    ["totals", P2, "--by", "axis", "--format", "json"],
    ["totals", P2, "--format", "xlsx", "--output", "t.xlsx"],
    ["export", "projets", "--all", "--output", "p.csv"],
    ["import", "xlsx", "plan.xlsx", "--contract", P2, "--dry-run"],
]


def test_tis_commands_never_import_pandas_though_it_is_installed(sample):
    """pandas is installed here (the test imports it above); each command runs in a fresh interpreter
    and reports whether pandas was imported. (numpy is not checked: openpyxl imports it when installed.)"""
    tet_workbook(
        "plan.xlsx", [{**FICHES[1], "Axe (x)": "Lever les freins au recrutement, compétences et attractivité"}]
    )
    probe = (
        "import sys; from ti_cli.launch import main; sys.argv = ['ti', *sys.argv[1:]]\n"
        "try:\n    main()\nexcept SystemExit as exc:\n    code = exc.code\nelse:\n    code = 0\n"
        "loaded = sorted(m for m in sys.modules if m.split('.')[0] == 'pandas')\n"
        "print('HEAVY', loaded, code, file=sys.stderr)\n"
    )
    for command in COMMANDS:
        done = subprocess.run(
            [sys.executable, "-c", probe, *command], capture_output=True, text=True, cwd=sample, check=False
        )
        last = done.stderr.strip().splitlines()[-1]
        assert last == "HEAVY [] 0", (command, done.stderr[-2000:])
