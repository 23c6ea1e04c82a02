"""A cost given as a total alone (``cost: {total: N}``, SPEC §16): a warning asks for the split, the
sums count the total, and the investment / operating sums say how much is not split (SPEC §14)."""

from __future__ import annotations

import json
import re
from pathlib import Path

from openpyxl import load_workbook
from typer.testing import CliRunner

from conftest import edit, found, line_of, run, said
from ti_cli.cli import app

ID = "rochefort-royan-marennes-oleron-2023"
A1 = f"data/contracts/{ID}/actions/01-foncier-aeroport.yaml"


def invoke(*args: str):
    return CliRunner().invoke(app, list(args))


def only_total() -> None:
    edit(A1, "cost:\n  investment: 2400000\n  operating: 60000\n", "cost:\n  total: 2460000\n")


def test_a_total_alone_is_valid_with_a_warning_at_its_line(sample):
    only_total()
    report = run(f"data/contracts/{ID}")
    assert ("TI025", "01-foncier-aeroport.yaml", line_of(A1, "total: 2460000")) in found(report)
    assert not [f for f in report.findings if f.severity.value == "error"]
    message = next(f.message for f in report.findings if f.code == "TI025")
    assert said(message) == (
        "coût 2 460 000 € donné en total seulement : sa ventilation entre investissement et fonctionnement est inconnue"
    )


def test_totals_count_the_total_and_report_what_is_not_split(sample):
    before = json.loads(invoke("totals", ID, "--format", "json").stdout)
    only_total()
    result = invoke("totals", ID, "--by", "axis", "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["total"] == before["total"] == "13560000.00"
    assert (data["investment"], data["operating"], data["unsplit"]) == ("10500000.00", "600000.00", "2460000.00")
    assert "unsplit" not in before  # only when not zero
    foncier = next(g for g in data["groups"] if g["key"] == "FONCIER")
    others = [g for g in data["groups"] if g["key"] != "FONCIER"]
    assert foncier["unsplit"] == "2460000.00" and all(g["unsplit"] == "0.00" for g in others)
    for g in data["groups"]:
        parts = sum(float(g[k]) * 100 for k in ("investment", "operating", "unsplit"))
        assert round(parts) == round(float(g["total"]) * 100)
    table = said(invoke("totals", ID, "--format", "markdown").stdout)
    assert "| dont non ventilé entre investissement et fonctionnement | 2 460 000 € | 18,1 % |" in table
    csv = invoke("totals", ID, "--format", "csv").stdout.splitlines()
    assert csv[0].split(",")[:5] == ["contract", "total", "investment", "operating", "unsplit"]
    assert csv[1].split(",")[:5] == [ID, "13560000.00", "10500000.00", "600000.00", "2460000.00"]


def test_the_spreadsheet_leaves_the_split_blank_and_reads_the_total_back(sample):
    only_total()
    before = Path(A1).read_text(encoding="utf-8")
    assert invoke("totals", ID, "--format", "xlsx", "--output", "t.xlsx").exit_code == 0
    ws = load_workbook("t.xlsx")["Actions"]
    row = next(r for r in range(3, ws.max_row + 1) if ws.cell(r, 3).value == 1)
    heads = {(ws.cell(2, c).value or ws.cell(1, c).value): c for c in range(1, ws.max_column + 1)}
    assert ws.cell(row, heads["Total"]).value == 2460000
    assert ws.cell(row, heads["Invest"]).value is None and ws.cell(row, heads["Fonct"]).value is None
    result = invoke("import", "xlsx", "t.xlsx", "--contract", ID)
    assert result.exit_code == 0, result.output
    assert Path(A1).read_text(encoding="utf-8") == before


def test_the_annex_says_how_much_is_not_split(sample):
    only_total()
    result = invoke("render", "contract", ID, "--to", "md", "--output", "out")
    assert result.exit_code == 0, result.output
    text = said(next(Path("out").rglob("*.md")).read_text(encoding="utf-8"))
    assert "Dont 2 460 000 € de coût donné en total seulement" in text


def test_the_quarterly_report_counts_the_total_and_says_the_split_is_unknown(sample):
    only_total()
    result = invoke("report", "quarterly", ID, "--quarter", "2026-Q3", "--to", "md", "--output", "out/")
    assert result.exit_code == 0, result.output
    text = said(Path("out/quarterly-2026-Q3.md").read_text(encoding="utf-8"))
    # the plan's planned cost counts the total (never 0 € for action 1), as ti totals does: 13 560 000 €
    assert "| Coût prévu des actions | 13 560 000 € |" in text
    assert re.search(r"\| 1 \| Commercialisation du foncier [^|]*\| En cours \| 45 % \| – \| 2 460 000 € \|", text)
    # by nature: the split is unknown, no planned figure and no variance; the plan's variances by nature
    # cannot be computed, and a note says why
    assert "| 1 | non ventilé | 1 100 000 € | – | non ventilé | 30 000 € | – |" in text
    assert "| **Total** | **10 500 000 €** | **3 700 000 €** | **–** | **600 000 €** | **150 000 €** | **–** |" in text
    assert (
        "Dont 2 460 000 € de coût prévu donné en total seulement, non ventilé entre investissement et "
        "fonctionnement (action n° 1)" in text
    )


def test_cgct_l1111_10_is_not_judged_on_a_total_alone_and_the_warning_says_so(sample):
    a3 = "data/contracts/rochefort-royan-marennes-oleron/actions/03-pole-territorial-formation.yaml"
    edit(
        a3, "  - {financer: etat, eligibility: validee}", "  - {financer: etat, eligibility: validee, amount: 1000000}"
    )
    # split known: CARO's own share is 0 % of the public financing, TI051
    assert [f.code for f in run("data/contracts/rochefort-royan-marennes-oleron").findings if f.code == "TI051"] == [
        "TI051"
    ]
    edit(a3, "  investment: 7500000\n  operating: 80000\n  total: 7580000\n", "  total: 7580000\n")
    report = run("data/contracts/rochefort-royan-marennes-oleron")
    assert not [f for f in report.findings if f.code == "TI051"]  # whether it is an investment is unknown
    [unsplit] = [f for f in report.findings if f.code == "TI025"]
    assert [said(d) for d in unsplit.details] == [
        "correction : ajoutez investment et operating (leur somme est le total)",
        "d'ici là, la part propre du maître d'ouvrage (CGCT L1111-10, règle TI051) n'est pas vérifiée : on ne "
        "sait pas si l'action est un investissement",
    ]
    # a derogation recorded: TI051 would not apply, nothing to say about it
    edit(a3, "comment: null", "comment: null\nderogation_l1111_10: arrêté préfectoral du 3 mars 2021")
    [unsplit] = [f for f in run("data/contracts/rochefort-royan-marennes-oleron").findings if f.code == "TI025"]
    assert len(unsplit.details) == 1


def test_the_diff_shows_a_split_become_unknown_as_not_split_never_a_negative_move(sample):
    from gitrepo import init_repo

    init_repo(sample)
    only_total()
    result = invoke("diff", ID, "--base", "main", "--format", "markdown")
    assert result.exit_code == 0, result.output
    text = said(result.stdout)
    assert (
        "| 1. Commercialisation du foncier de 20 ha de l'aéropo… | coût d'investissement | 2 400 000 € "
        "| non ventilé |  |" in text
    )
    assert "|  | coût de fonctionnement | 60 000 € | non ventilé |  |" in text
    assert "−2 400 000 €" not in text and "−60 000 €" not in text
    assert "Coût total : 13 560 000 € → 13 560 000 € (0 €)" in text  # the total is unchanged
    changes = json.loads(invoke("diff", ID, "--base", "main", "--format", "json").stdout)["modified"][0]["changes"]
    assert changes == [
        {"field": "cost.investment", "before": "2400000.00", "after": None},
        {"field": "cost.operating", "before": "60000.00", "after": None},
    ]
    # and back: the split given again reads as from « non ventilé », no positive move either
    from gitrepo import commit

    commit("total alone")
    edit(A1, "cost:\n  total: 2460000\n", "cost:\n  investment: 2300000\n  operating: 160000\n")
    text = said(invoke("diff", ID, "--base", "main", "--format", "markdown").stdout)
    assert "| coût d'investissement | non ventilé | 2 300 000 € |  |" in text
    assert "+2 300 000 €" not in text
