"""The Excel tableau des actions: exported cell by cell, read back, imported into action files."""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from typer.testing import CliRunner

from conftest import CONTRACT, edit, said
from ti_cli.cli import app
from ti_cli.cli.common import UsageProblem
from ti_cli.loading.bundle import load_contract
from ti_cli.loading.writer import dump_yaml, load_rt, write_atomic
from ti_cli.output.xlsx import EUROS, EUROS_CENTS

ID = "rochefort-royan-marennes-oleron"
A1 = f"{CONTRACT}/actions/01-filiere-aeronautique.yaml"
FINANCERS = [
    "Europe",
    "TIGA",
    "PIA3",
    "Etat",
    "Région Nouvelle-Aquitaine",
    "Banque des territoires (subventions)",
    "Banque des territoires (prêts)",
    "BPI France",
    "Business France",
    "Pôle emploi",
    "ADEME",
    "Privés / Industriels",
    "EPCI",
    "Autofinancement",
]


def invoke(*args: str):
    return CliRunner().invoke(app, list(args))


def export(name: str = "t.xlsx") -> Path:
    result = invoke("totals", ID, "--format", "xlsx", "--output", name)
    assert result.exit_code == 0, result.output
    return Path(name)


def columns(ws) -> dict[tuple[str, str | None], int]:
    """(header, sub-header) → column number, reading the two header rows as a person would."""
    found, group = {}, None
    for c in range(1, ws.max_column + 1):
        group = ws.cell(1, c).value or group
        found[(group, ws.cell(2, c).value)] = c
    return found


def as_decimal(value) -> Decimal:
    return Decimal(repr(value)) if isinstance(value, float) else Decimal(value)


def test_actions_sheet_cell_by_cell(sample):
    wb = load_workbook(export())
    assert wb.sheetnames == [
        "Actions",
        "Synthèse",
        "Par axe",
        "Par catégorie",
        "Par financeur",
        "Par maître d'ouvrage",
        "Par statut",
    ]
    ws = wb["Actions"]
    assert [ws.cell(1, c).value for c in range(1, 8)] == [
        "Axe stratégique du contrat",
        "Axe du programme Territoire d'industrie",
        "N°",
        "Action structurante / en amorçage",
        "Titre fiche action",
        "Maître d'ouvrage",
        "Coût estimé HT",
    ]
    assert [ws.cell(2, c).value for c in range(7, 12)] == ["Total", "Invest", "Fonct", "Invest", "Fonct"]
    assert [ws.cell(1, 12 + 3 * i).value for i in range(14)] == FINANCERS
    assert [ws.cell(2, c).value for c in range(12, 15)] == ["Éligibilité", "Dispositif", "Montant"]
    assert ws.cell(1, 12 + 3 * 14).value == "Commentaires"
    assert ws.freeze_panes == "F3"

    row1 = [ws.cell(3, c).value for c in range(1, 12)]
    assert row1 == [
        None,
        "ATTIRER",
        1,
        "Action structurante",
        "Développement de la filière aéronautique",
        "Syndicat Mixte Aéroport de Rochefort/Charente-Maritime CARA/CARO",
        16753500,
        16663500,
        90000,
        "X",
        "X",
    ]
    assert ws.cell(3, 7).number_format == EUROS
    cols = columns(ws)
    marked = [name for name in FINANCERS if ws.cell(3, cols[(name, "Éligibilité")]).value == "validée"]
    assert marked == [
        "Etat",
        "Région Nouvelle-Aquitaine",
        "Banque des territoires (subventions)",
        "BPI France",
        "Privés / Industriels",
        "EPCI",
    ]
    # Action 5 has no cost: empty cells, not zeros; action 6 has no investment: no Invest mark.
    assert [ws.cell(7, c).value for c in (3, 7, 8, 9, 10, 11)] == [5, None, None, None, None, None]
    assert ws.cell(7, cols[("BPI France", "Éligibilité")]).value == "à confirmer"
    assert [ws.cell(8, c).value for c in (3, 7, 8, 9, 10, 11)] == [6, 20000, 0, 20000, None, "X"]
    # The totals row under the nine actions.
    assert [ws.cell(12, c).value for c in (3, 5, 7, 8, 9)] == [None, "Total", 43823500, 42939000, 884500]
    assert ws.cell(13, 5).value is None


def test_group_and_summary_sheets(sample):
    wb = load_workbook(export())
    axes = [[c.value for c in row] for row in wb["Par axe"].iter_rows(min_row=2)]
    assert axes == [
        ["ATTIRER", "Attirer", 6, 35403500, 34639000, 764500, 0],
        ["RECRUTER", "Recruter", 1, 7580000, 7500000, 80000, 0],
        ["INNOVER", "Innover", 2, 840000, 800000, 40000, 0],
        [None, "Total", 9, 43823500, 42939000, 884500, 0],
    ]
    categories = {row[0].value: row[3].value for row in wb["Par catégorie"].iter_rows(min_row=2) if row[0].value}
    assert categories == {"structurante": 42803500, "amorcage": 1020000}
    summary = {row[0].value: row[1].value for row in wb["Synthèse"].iter_rows(min_row=3)}
    assert summary["Coût total HT"] == 43823500 and summary["Reste à financer"] == 43823500


def test_cents_are_exact_numbers_with_a_cents_format(sample):
    edit(
        A1,
        "  - {financer: etat, eligibility: validee}\n",
        "  - {financer: etat, eligibility: validee, scheme: DSIL, amount: 1234567.89}\n",
    )
    edit(
        A1,
        "  - {financer: region, eligibility: validee}\n",
        "  - {financer: region, eligibility: validee, amount: 0.1}\n",
    )
    ws = load_workbook(export())["Actions"]
    cols = columns(ws)
    etat, region = ws.cell(3, cols[("Etat", "Montant")]), ws.cell(3, cols[("Région Nouvelle-Aquitaine", "Montant")])
    assert as_decimal(etat.value) == Decimal("1234567.89") and etat.number_format == EUROS_CENTS
    assert as_decimal(region.value) == Decimal("0.1")
    assert ws.cell(3, cols[("Etat", "Dispositif")]).value == "DSIL"
    assert as_decimal(ws.cell(12, cols[("Etat", "Montant")]).value) == Decimal("1234567.89")  # totals row


def test_default_file_name_is_written_in_the_current_folder(sample):
    result = invoke("totals", ID, "--format", "xlsx")
    assert result.exit_code == 0
    assert Path(f"{ID}-actions.xlsx").is_file()


# Import -------------------------------------------------------------------------------------------


def sheet_fields(action) -> tuple:
    """What the sheet carries of an action."""
    cost = None if action.cost is None else (action.cost.investment, action.cost.operating, action.total)
    lines = sorted((f.financer, f.eligibility, f.scheme, f.amount) for f in action.financing)
    return (
        action.number,
        action.title,
        action.axis,
        action.strategic_axis,
        action.category,
        action.owner,
        cost,
        lines,
        action.comment,
    )


def snapshot() -> dict[str, str]:
    return {str(p): p.read_text(encoding="utf-8") for p in sorted(Path(CONTRACT, "actions").glob("*.yaml"))}


def test_export_then_import_changes_nothing(sample):
    before = snapshot()
    result = invoke("import", "xlsx", str(export()), "--contract", ID)
    assert result.exit_code == 0, result.output
    assert "inchangées\u00a0: actions 1, 2, 3, 4, 5, 6, 7, 8, 9" in result.stdout
    assert snapshot() == before


def test_a_comment_of_several_lines_round_trips(sample):
    """A block comment (``comment: |``, as ``ti import`` of a Territoires en Transitions plan writes it)
    ends with a newline no cell keeps: the import once rewrote it as ``|-`` in every such action."""
    edit(
        f"{CONTRACT}/actions/03-pole-territorial-formation.yaml",
        "\ncomment: null",
        "\ncomment: |\n  Importé.\n  Priorité : haute",
    )
    before = snapshot()
    result = invoke("import", "xlsx", str(export()), "--contract", ID)
    assert result.exit_code == 0, result.output
    assert "inchangées\u00a0: actions 1, 2, 3, 4, 5, 6, 7, 8, 9" in result.stdout
    assert snapshot() == before


def test_an_action_just_made_by_ti_new_action_round_trips_with_its_empty_financing(sample):
    """``ti new action`` writes ``financing: []  # …``; the import once rewrote it as an invalid
    ``financing:  # …`` then ``[]`` on its own line, and refused the whole sheet."""
    made = invoke(
        "new",
        "action",
        ID,
        "--title",
        "Halle d'innovation",
        "--axis",
        "INNOVER",
        "--category",
        "amorcage",
        "--owner",
        "CARO",
    )
    assert made.exit_code == 0, made.output
    before = snapshot()
    result = invoke("import", "xlsx", str(export()), "--contract", ID)
    assert result.exit_code == 0, result.output
    assert "inchangées\u00a0: actions 1, 2, 3, 4, 5, 6, 7, 8, 9, 10" in result.stdout
    assert snapshot() == before


def test_export_then_import_into_an_empty_contract_gives_the_same_data(sample):
    original = {a.number: sheet_fields(a) for a in load_contract(Path(CONTRACT)).action_models()}
    book = export()
    fresh = Path("data/contracts/copie")
    fresh.mkdir()
    shutil.copy(Path(CONTRACT, "contract.yaml"), fresh / "contract.yaml")
    edit(fresh / "contract.yaml", f"id: {ID}", "id: copie")
    result = invoke("import", "xlsx", str(book), "--contract", "copie")
    assert result.exit_code == 0, result.output
    assert result.stdout.count("créé\u00a0:") == 9
    imported = {a.number: sheet_fields(a) for a in load_contract(fresh).action_models()}
    assert imported == original
    first = (fresh / "actions/01-developpement-filiere-aeronautique.yaml").read_text(encoding="utf-8")
    assert first.startswith("# yaml-language-server: $schema=../../../../schemas/action.schema.json\n")
    assert invoke("validate", str(fresh)).exit_code == 0


def edit_sheet(book: Path, changes: dict[tuple[int, tuple[str, str | None] | int], object]) -> None:
    wb = load_workbook(book)
    ws = wb["Actions"]
    cols = columns(ws)
    for (row, col), value in changes.items():
        ws.cell(row, cols[col] if isinstance(col, tuple) else col).value = value
    wb.save(book)


def test_changed_cells_update_the_file_in_place_keeping_comments(sample):
    book = export()
    edit_sheet(
        book,
        {
            (3, ("Etat", "Montant")): 2500000.5,
            (3, ("Etat", "Dispositif")): "DSIL",
            (4, ("Région Nouvelle-Aquitaine", "Éligibilité")): None,
            (5, ("Europe", "Éligibilité")): "à confirmer",
            (5, ("Europe", "Montant")): "1 200 000 €",
        },
    )
    before = Path(A1).read_text(encoding="utf-8")
    result = invoke("import", "xlsx", str(book), "--contract", ID)
    assert result.exit_code == 0, result.output
    after = Path(A1).read_text(encoding="utf-8")
    assert after == before.replace(
        "  - {financer: etat, eligibility: validee}\n",
        "  - {financer: etat, eligibility: validee, scheme: DSIL, amount: 2500000.50}\n",
    )
    port = Path(CONTRACT, "actions/02-port-de-commerce.yaml").read_text(encoding="utf-8")
    assert "financer: region" not in port and "# Source:" in port
    formation = Path(CONTRACT, "actions/03-pole-territorial-formation.yaml").read_text(encoding="utf-8")
    # A new line takes its place in the contract's financer order.
    assert (
        "financing:\n  - {financer: europe, eligibility: a_confirmer, amount: 1200000}\n  - {financer: etat"
        in formation
    )


def test_dry_run_shows_the_diff_and_writes_nothing(sample):
    book = export()
    edit_sheet(book, {(3, ("Etat", "Montant")): 1000})
    before = snapshot()
    result = invoke("import", "xlsx", str(book), "--contract", ID, "--dry-run")
    assert result.exit_code == 0
    assert "modifierait" in result.stdout
    assert "+  - {financer: etat, eligibility: validee, amount: 1000}" in result.stdout
    assert snapshot() == before


def test_a_new_row_becomes_a_new_file(sample):
    book = export()
    wb = load_workbook(book)
    ws = wb["Actions"]
    ws.insert_rows(12)
    for c, v in {
        2: "SIMPLIFIER",
        3: 10,
        4: "Action en amorçage",
        5: "Guichet unique des aides",
        6: "CARO",
        7: 50000,
        9: 50000,
    }.items():
        ws.cell(12, c, v)
    wb.save(book)
    result = invoke("import", "xlsx", str(book), "--contract", ID)
    assert result.exit_code == 0, result.output
    new = Path(CONTRACT, "actions/10-guichet-unique-aides.yaml").read_text(encoding="utf-8")
    assert "number: 10\ntitle: Guichet unique des aides\naxis: SIMPLIFIER\n" in new
    assert "cost:\n  investment: 0\n  operating: 50000\n  total: 50000\nfinancing: []\n" in new


def test_unreadable_rows_are_findings_and_nothing_is_written(sample):
    book = export()
    edit_sheet(
        book,
        {
            (5, 3): "trois",
            (6, 2): "ATIRER",
            (7, 8): "beaucoup",
            (8, 7): 1,
            (3, ("Europe", "Éligibilité")): "peut-être",
            (14, 5): "Une action sans numéro",
        },
    )
    before = snapshot()
    result = invoke("import", "xlsx", str(book), "--contract", ID)
    assert result.exit_code == 1
    found = {
        line.split(": ")[0].split(":", 1)[1] + " " + line.split()[2]
        for line in result.stderr.splitlines()
        if line.startswith("t.xlsx:")
    }
    assert found == {"5:3 TI092", "6:2 TI093", "7:8 TI094", "8:7 TI095", "3:12 TI093", "14:3 TI092"}
    assert "H7 : « beaucoup » n'est pas un montant" in said(result.stderr)
    assert (
        "G8\u00a0: total 1\u00a0€ ≠ investissement 0\u00a0€ + fonctionnement 20\u202f000\u00a0€ "
        "(19\u202f999\u00a0€ manquants)" in result.stderr
    )
    assert "rien n'a été écrit" in result.stderr
    assert snapshot() == before


def test_a_result_that_would_not_validate_is_refused(sample):
    book = export()
    edit_sheet(book, {(8, ("Etat", "Éligibilité")): "validée", (8, ("Etat", "Montant")): 30000})  # cost 20 000
    result = invoke("import", "xlsx", str(book), "--contract", ID)
    assert result.exit_code == 1 and "TI035" in result.stderr


def test_a_file_in_the_way_of_a_new_action_needs_force(sample):
    from ti_cli.loading.xlsx import read_actions
    from ti_cli.workflow.importing import plan_import

    book = export()
    Path(CONTRACT, "actions/09-densification-fonciere.yaml").unlink()
    shutil.rmtree(Path(CONTRACT, "progress"))  # they report on action 9
    bundle = load_contract(Path(CONTRACT))
    sheet = read_actions(book, bundle.contract.model)
    # Written after the contract was checked (another program, a colleague's sync): not action 9's file.
    target = Path(CONTRACT, "actions/09-densification-espaces-economiques.yaml")
    target.write_text("# a draft\n", encoding="utf-8")
    plan = plan_import(sheet, bundle)
    assert [f.code for f in plan.findings] == ["TI099"] and plan.changes == []
    forced = plan_import(sheet, bundle, force=True)
    assert [c.path for c in forced.changes] == [target] and not forced.findings


def test_the_signed_annex_layout_is_read_too(sample):
    """A hand-made sheet like the seed's annex: one column per financer with X marks, amounts as text."""
    wb = Workbook()
    ws = wb.active
    ws.append(
        [
            "Axes stratégiques du projet de contrat (optionnel)",
            "Axe du programme Territoire d'industrie",
            "N°",
            "Action structurante / en amorçage",
            "Titre Fiche action",
            "Maître d'ouvrage",
            "Coût estimé HT",
            None,
            None,
            "Typologie d'actions",
            None,
            "Plan de financement prévisionnel",
            None,
            None,
        ]
    )
    ws.append(
        [
            None,
            None,
            None,
            None,
            None,
            None,
            "Total",
            "Invest",
            "Fonct",
            "Invest",
            "Fonct",
            "Etat",
            "Région Nouvelle-Aquitaine",
            "Privés / Industriels",
        ]
    )
    ws.append(
        [
            None,
            "ATTIRER",
            2,
            "Action structurante",
            "Développement du Port de commerce",
            "Syndicat Mixte du port",
            "15 380 000",
            14980000,
            400000,
            "X",
            None,
            "X",
            "x",
            "X",
        ]
    )
    for group in ("G1:I1", "J1:K1", "L1:N1"):
        ws.merge_cells(group)
    wb.save("annexe.xlsx")
    result = invoke("import", "xlsx", "annexe.xlsx", "--contract", ID, "--dry-run")
    assert result.exit_code == 0, result.output
    assert "-title: Développement du Port de commerce de Rochefort" in result.stdout
    assert "+title: Développement du Port de commerce\n" in result.stdout
    assert "unchanged" not in result.stdout  # the other actions are not in that sheet
    assert "absentes du tableau, laissées telles quelles\u00a0: actions 1, 3, 4, 5, 6, 7, 8, 9" in result.stdout


@pytest.mark.parametrize("content", [b"not a workbook", b"PK\x03\x04broken"])
def test_a_file_that_is_not_a_workbook_is_a_finding(sample, content):
    Path("bad.xlsx").write_bytes(content)
    result = invoke("import", "xlsx", "bad.xlsx", "--contract", ID)
    assert result.exit_code == 1 and "TI090" in result.stderr


def test_missing_file_is_a_usage_problem(sample):
    assert invoke("import", "xlsx", "nope.xlsx", "--contract", ID).exit_code == 2


# The YAML writer every command shares ---------------------------------------------------------------


def test_every_sample_file_round_trips_byte_identical(sample):
    for path in sorted(Path("data").rglob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        assert dump_yaml(load_rt(text)) == text, path


def test_dump_writes_exact_amounts_and_adds_the_modeline_to_new_files():
    text = dump_yaml({"a": Decimal("11593.50"), "b": Decimal("16753500"), "c": None}, schema="../s.json")
    assert text == "# yaml-language-server: $schema=../s.json\na: 11593.50\nb: 16753500\nc: null\n"


def test_write_atomic_refuses_to_overwrite_without_force(tmp_path):
    target = tmp_path / "a.yaml"
    write_atomic(target, "one\n")
    with pytest.raises(UsageProblem):
        write_atomic(target, "two\n")
    assert target.read_text() == "one\n"
    write_atomic(target, "two\n", force=True)
    assert target.read_text() == "two\n"
    assert [p.name for p in tmp_path.iterdir()] == ["a.yaml"]  # no temporary file left behind


def test_openpyxl_warnings_about_dropped_excel_features_never_reach_the_user(sample, monkeypatch, recwarn):
    import warnings

    import openpyxl

    book = export()
    real = openpyxl.load_workbook

    def warning_load(*args, **kwargs):  # what openpyxl does on a workbook made by Excel with data validation
        warnings.warn("Data Validation extension is not supported and will be removed", UserWarning, stacklevel=2)
        return real(*args, **kwargs)

    monkeypatch.setattr(openpyxl, "load_workbook", warning_load)
    result = invoke("import", "xlsx", str(book), "--contract", ID)
    assert result.exit_code == 0, result.output
    assert not [w for w in recwarn if "Data Validation" in str(w.message)]
