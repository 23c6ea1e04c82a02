"""One truth (SPEC §14): a figure printed in two outputs has the same value, under the same name, in both.

Every output is rendered for the embedded phase-1 contract and for a phase-2 plan made here with what
breaks sums — a refused line, a line without an amount, partial payments, a milestone past due — then
each printed figure is read back from the text and compared with ``ti totals --format json``, the
computation itself.
"""

from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import CONTRACT, edit
from ti_cli.cli import app

PLAN = "data/contracts/rochefort-royan-marennes-oleron-2023"
PLAN_ID = "rochefort-royan-marennes-oleron-2023"
AS_OF = "2026-11-23"
AMOUNT = r"(−?\d{1,3}(?:[\u202f ]\d{3})*(?:,\d{2})?)[\u00a0 ]€"

runner = CliRunner()


def ti(*args: str) -> str:
    result = runner.invoke(app, list(args), env={"COLUMNS": "200"})  # a wide terminal: one row, one line
    assert result.exit_code == 0, result.stdout + result.stderr
    return result.stdout


def euros(text: str) -> Decimal:
    """« 10 250 000 € » or « 1 257 000,50 € » read back as a Decimal."""
    return Decimal(re.sub(r"[\u202f ]", "", text).replace(",", ".").replace("−", "-"))


def figure(text: str, name: str) -> Decimal:
    """The amount printed right after ``name`` (on its table row, or after its colon): one value only."""
    flat = re.sub(r"\*\*", "", text.replace("\u00a0", " ").replace("\u202f", " "))
    found = re.findall(re.escape(name) + r"[ |:]+" + AMOUNT, flat)
    assert found, f"« {name} » not printed"
    values = {euros(f) for f in found}
    assert len(values) == 1, f"« {name} » printed with {len(values)} values: {values}"
    return values.pop()


def totals(contract: str) -> dict[str, object]:
    return json.loads(ti("totals", contract, "--format", "json"))


@pytest.fixture
def plan(sample: Path) -> Path:
    """The embedded phase-2 plan, with a line whose amount is not known yet and a milestone past due."""
    action = Path(PLAN, "actions/06-ecosysteme-innovation.yaml")
    text = action.read_text(encoding="utf-8")
    assert "financing:" in text
    action.write_text(
        text.replace("financing:\n", "financing:\n  - {financer: region, status: sollicite}\n", 1), encoding="utf-8"
    )
    edit(
        Path(PLAN, "progress/2026-Q3.yaml"),
        "{number: 2, status: en_cours, progress: 20, spent: {investment: 600000}}",
        "{number: 2, status: en_cours, progress: 20, spent: {investment: 600000},"
        " milestones: [{date: 2026-09-15, label: Permis d'aménager déposé}]}",
    )
    return sample


def test_the_plan_keeps_its_known_figures_and_counts_the_unknown_line_apart(plan: Path) -> None:
    data = totals(PLAN_ID)["financing"]
    assert data["refused"] == "500000.00" and data["unknown_amounts"] == 1
    assert Decimal(data["financed"]) == Decimal(data["secured"]) + Decimal(data["requested"])
    assert Decimal(data["paid"]) > Decimal(data["settled"])  # partial payments on lines not yet soldées


def test_every_grouping_has_the_same_total_des_financements_refuse_outside(plan: Path) -> None:
    financed = Decimal(totals(PLAN_ID)["financing"]["financed"])
    for by in ("financer", "stage", "dispositif"):
        groups = json.loads(ti("totals", PLAN_ID, "--by", by, "--format", "json"))["groups"]
        assert sum(Decimal(g["total"]) for g in groups if g["key"] != "refuse") == financed, by
        assert all("investment" not in g for g in groups), by
        table = ti("totals", PLAN_ID, "--by", by, "--format", "markdown")
        assert figure(table, "Total des financements") == financed, by


def test_terminal_markdown_spreadsheet_and_evaluation_print_the_json_figures(plan: Path) -> None:
    import openpyxl

    data = totals(PLAN_ID)
    money = data["financing"]
    names = {
        "Coût total HT": data["total"],
        "Financements acquis (obtenus, engagés, versés)": money["secured"],
        "Financements sollicités": money["requested"],
        "Total des financements identifiés": money["financed"],
        "Reste à financer": money["to_find"],
        "Payé à ce jour": money["paid"],
        "Soldé (étape versé)": money["settled"],
        "Refusé (dans aucune autre somme)": money["refused"],
    }
    markdown = ti("totals", PLAN_ID, "--format", "markdown")
    terminal = ti("totals", PLAN_ID)
    for name, value in names.items():
        assert figure(markdown, name) == Decimal(value), name
        assert figure(terminal, name) == Decimal(value), name
    assert "1 ligne de financement sans montant" in markdown.replace("\u00a0", " ")

    ti("totals", PLAN_ID, "--format", "xlsx", "--output", "out/plan.xlsx")
    book = openpyxl.load_workbook("out/plan.xlsx")
    sheet = book["Synthèse"]
    cells = {ws_row[0].value: ws_row[1].value for ws_row in sheet.iter_rows(min_row=3) if ws_row[0].value}
    for name, value in names.items():
        assert Decimal(str(cells[name])) == Decimal(value), name
    stages = book["Par étape"]
    footer = [row for row in stages.iter_rows(values_only=True) if row[1] == "Total des financements"]
    assert Decimal(str(footer[0][3])) == Decimal(money["financed"])

    ti("report", "evaluation", PLAN_ID, "--as-of", AS_OF, "--to", "md", "--output", "out/")
    evaluation = Path(f"out/evaluation-{AS_OF}.md").read_text(encoding="utf-8")
    assert figure(evaluation, "Total des financements identifiés") == Decimal(money["financed"])
    assert figure(evaluation, "Payé à ce jour") == Decimal(money["paid"])
    assert figure(evaluation, "Soldé (étape « Versé »)") == Decimal(money["settled"])
    assert figure(evaluation, "Refusé (dans aucune autre somme)") == Decimal(money["refused"])
    assert "Financements versés" not in evaluation and "sommes versées" not in evaluation
    # late on the same date as the fiche and the quarterly report: action 2's milestone is past due
    assert re.search(r"\| Actions en retard sur leur échéance \| \d+ \(n° [^)]*\b2\b", evaluation)

    ti("render", "contract", PLAN_ID, "--to", "md", "--output", "out/plan/")
    annex = Path("out/plan/contract.md").read_text(encoding="utf-8")
    assert figure(annex, "Financements acquis (obtenus, engagés ou versés)") == Decimal(money["secured"])
    assert figure(annex, "payés à ce jour") == Decimal(money["paid"])
    assert "éligibilité validée" not in annex and "à confirmer" not in annex  # phase 2 speaks of stages


def test_a_fiche_and_ti_serve_total_leaves_the_refused_line_out(plan: Path) -> None:
    from ti_cli.compute.totals import contract_totals
    from ti_cli.loading.bundle import load_contract

    bundle = load_contract(Path(PLAN))
    action = next(a for a in bundle.action_models() if a.number == 2)
    financed = contract_totals(bundle.contract.model, [action]).financed
    assert financed == Decimal("2450000.00")  # 1 050 000 + 700 000 + 400 000 + 300 000, the refused 500 000 out
    ti("render", "fiche", PLAN_ID, "2", "--as-of", AS_OF, "--output", "out/")
    fiche = Path("out/fiche-02.md").read_text(encoding="utf-8")
    assert figure(fiche, "Total des financements identifiés") == financed
    assert "| Financeur | Étape |" in fiche


def test_a_milestone_past_due_is_late_in_the_fiche_and_the_quarterly_report(plan: Path) -> None:
    ti("render", "fiche", PLAN_ID, "2", "--as-of", AS_OF, "--output", "out/")
    fiche = Path("out/fiche-02.md").read_text(encoding="utf-8").replace("\u00a0", " ")
    assert "15 septembre 2026 — Permis d'aménager déposé : **non réalisé, échéance dépassée**" in fiche
    ti("report", "quarterly", PLAN_ID, "--quarter", "2026-Q3", "--to", "md", "--output", "out/")
    quarterly = Path("out/quarterly-2026-Q3.md").read_text(encoding="utf-8").replace("\u00a0", " ")
    assert "Permis d'aménager déposé : **non réalisé, échéance dépassée**" in quarterly
    assert re.search(r"\| Actions en retard \| 1 \(n° 2\) \|", quarterly)


def test_the_phase1_annex_never_says_zero_for_amounts_not_given(sample: Path) -> None:
    data = totals("rochefort-royan-marennes-oleron")["financing"]
    assert data["unknown_amounts"] == 21 and data["secured"] == "0.00"
    ti("render", "contract", "rochefort-royan-marennes-oleron", "--to", "md", "--output", "out/")
    annex = Path("out/contract.md").read_text(encoding="utf-8").replace("\u00a0", " ")
    assert "16 lignes validées, montants non précisés dans le contrat" in annex
    assert not re.search(r"acquis[^.\n]*: \*\*0 €", annex)
    table = ti("totals", "rochefort-royan-marennes-oleron", "--format", "markdown").replace("\u00a0", " ")
    assert "| Financements acquis (éligibilité validée) | non précisé |" in table
    assert Path(CONTRACT).is_dir()


def test_phase1_a_confirmer_is_one_figure_in_totals_serve_and_the_deck(sample: Path) -> None:
    """« À confirmer » of a contract whose lines have no amounts: ti serve printed 0,00 € (a sum of known
    amounts) where ti totals --format json and the deck said 42 963 500 €; the identified total read 0 €."""
    from serving import get, serving

    phase1 = "rochefort-royan-marennes-oleron"
    money = totals(phase1)["financing"]
    assert money["to_confirm"] == "42963500.00" and money["unfunded"] == "860000.00"
    table = ti("totals", phase1, "--format", "markdown").replace("\u00a0", " ").replace("\u202f", " ")
    assert figure(table, "dont à confirmer auprès des financeurs identifiés") == Decimal(money["to_confirm"])
    assert figure(table, "dont sans financeur identifié") == Decimal(money["unfunded"])
    assert "| Total des financements identifiés | non précisé |" in table
    by_axis = ti("totals", phase1, "--by", "axis", "--format", "markdown").replace("\u00a0", " ").replace("\u202f", " ")
    # the axes whose validated lines have no amounts: acquis not known; « Innover » has none validated: 0 €
    assert re.search(r"\| Attirer \| 6 \| 35 403 500 € \|[^\n]*\| non précisé \|", by_axis)
    assert re.search(r"\| Innover \| 2 \| 840 000 € \|[^\n]*\| 0 € \|", by_axis)
    with serving(sample / "data", sample / ".ti-cache") as base:
        page = re.sub(r"<[^>]+>", " ", get(f"{base}/contrats/{phase1}").text)
    assert figure(page, "À confirmer auprès des financeurs identifiés") == Decimal(money["to_confirm"])
    ti("report", "copil", phase1, "--as-of", "2022-03-01", "--to", "md", "--output", "out/")
    [deck] = Path("out").glob("copil-*.md")
    text = deck.read_text(encoding="utf-8")
    assert figure(text, "À confirmer auprès des financeurs identifiés") == Decimal(money["to_confirm"])
    # « à confirmer » alone names the lines a_confirmer (the charts' group), never this other figure
    assert not re.search(r"\| À confirmer \|", text)


def test_ti_serve_prints_the_same_figures(plan: Path) -> None:
    from serving import get, serving

    money = totals(PLAN_ID)["financing"]
    with serving(plan / "data", plan / ".ti-cache") as base:
        page = get(f"{base}/contrats/{PLAN_ID}/actions/2").text
        contract = get(f"{base}/contrats/{PLAN_ID}").text
        evaluation = get(f"{base}/documents/contrats/{PLAN_ID}/evaluation-{AS_OF}.md").text  # as ti report makes it
    flat = re.sub(r"<[^>]+>", " ", page)
    assert figure(flat, "Total des financements identifiés") == Decimal("2450000.00")  # refusé out
    assert "Montants connus" not in flat
    shown = re.sub(r"<[^>]+>", " ", contract)
    assert figure(shown, "Refusé") == Decimal(money["refused"])
    assert figure(shown, "Sollicité") == Decimal(money["requested"])
    assert figure(evaluation, "Total des financements identifiés") == Decimal(money["financed"])


def test_word_pdf_and_csv_print_the_same_figures(plan: Path) -> None:
    import csv
    import io

    import docx
    from pypdf import PdfReader

    money = totals(PLAN_ID)["financing"]
    ti("report", "evaluation", PLAN_ID, "--as-of", AS_OF, "--to", "docx", "--to", "pdf", "--output", "out/")
    document = docx.Document(f"out/evaluation-{AS_OF}.docx")
    cells = {t.rows[r].cells[0].text: t.rows[r].cells[1].text for t in document.tables for r in range(len(t.rows))}
    assert euros(cells["Total des financements identifiés"].rstrip(" €\u00a0")) == Decimal(money["financed"])
    assert euros(cells["Payé à ce jour"].rstrip(" €\u00a0")) == Decimal(money["paid"])
    pdf = " ".join(page.extract_text() for page in PdfReader(f"out/evaluation-{AS_OF}.pdf").pages)
    assert figure(pdf, "Total des financements identifiés") == Decimal(money["financed"])
    rows = list(csv.DictReader(io.StringIO(ti("totals", PLAN_ID, "--by", "stage", "--format", "csv"))))
    assert Decimal(rows[-1]["total"]) == Decimal(money["financed"])  # the total row: refusé outside it


def test_phase1_a_line_without_amount_has_one_name_in_the_annex_the_fiche_and_the_deck(sample: Path) -> None:
    # SPEC §14 « Montant non précisé »: the annex said « à définir », the fiche « – », the deck « non précisé »
    phase1 = "rochefort-royan-marennes-oleron"
    ti("render", "contract", phase1, "--to", "md", "--output", "out/")
    ti("render", "fiche", phase1, "1", "--output", "out/")
    ti("report", "copil", phase1, "--as-of", "2022-03-01", "--to", "md", "--output", "out/")
    annex = Path("out/contract.md").read_text(encoding="utf-8")
    fiche = Path("out/fiche-01.md").read_text(encoding="utf-8")
    [deck] = Path("out").glob("copil-*.md")
    assert "| 1 | Etat | validée | – | non précisé |" in annex and "à définir" not in annex
    assert "| Etat | validée | – | non précisé |" in fiche
    assert "| Etat | – | Validée | non précisé |" in deck.read_text(encoding="utf-8")
