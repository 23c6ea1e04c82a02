"""What a French office suite makes of ti's files: the tableau des actions saved again by LibreOffice in
French keeps its amounts and shows them in euros, not thousands; the French CSV opens as numbers."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from ti_cli.cli import app
from ti_cli.output.xlsx import EUROS, EUROS_CENTS

ID = "rochefort-royan-marennes-oleron"
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


def _scales_by_thousands(number_format: str) -> bool:
    """A comma right after the last digit placeholder divides by 1 000 (`#,##0,` shows 2 460 for 2 460 000)."""
    code = re.sub(r'"[^"]*"|\\.|\[[^\]]*\]', "", number_format)  # quoted text, escaped characters, [$€-40C]
    return re.search(r"[0#],(?![0#])", code) is not None


def test_the_euro_formats_do_not_scale():
    assert not _scales_by_thousands(EUROS) and not _scales_by_thousands(EUROS_CENTS)
    assert _scales_by_thousands("#,##0,\\€")  # what LibreOffice made of the former `#,##0 €`


def _amounts(path: Path) -> dict[tuple[str, str], tuple[Decimal, str]]:
    wb = load_workbook(path)
    found = {}
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if "€" in cell.number_format and isinstance(cell.value, int | float):
                    found[ws.title, cell.coordinate] = (Decimal(str(cell.value)), cell.number_format)
    return found


@pytest.mark.skipif(
    SOFFICE is None, reason="LibreOffice (soffice) is not installed: apt-get install libreoffice-calc-nogui"
)
def test_the_spreadsheet_survives_a_save_in_french_libreoffice(sample, tmp_path):
    exported = tmp_path / "actions.xlsx"
    assert CliRunner().invoke(app, ["totals", ID, "--format", "xlsx", "--output", str(exported)]).exit_code == 0
    saved = tmp_path / "saved"
    french = {"LANG": "fr_FR.UTF-8", "LC_ALL": "fr_FR.UTF-8", "LANGUAGE": "fr", "HOME": str(tmp_path)}
    done = subprocess.run(
        [
            str(SOFFICE),
            f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}",  # its own profile: no user's settings
            "--headless",
            "--convert-to",
            "xlsx",
            "--outdir",
            str(saved),
            str(exported),
        ],
        capture_output=True,
        text=True,
        env={**os.environ, **french},
        timeout=180,
    )
    assert done.returncode == 0 and (saved / "actions.xlsx").exists(), done.stderr
    before, after = _amounts(exported), _amounts(saved / "actions.xlsx")
    assert len(before) > 20
    assert {key: amount for key, (amount, _) in after.items()} == {key: amount for key, (amount, _) in before.items()}
    for key, (_amount, number_format) in after.items():
        assert not _scales_by_thousands(number_format), (key, number_format)
        assert "€" in number_format, (key, number_format)
        assert (".00" in number_format) == (".00" in before[key][1]), (key, number_format)  # cents kept


def test_french_csv_has_semicolons_a_decimal_comma_and_a_bom(sample, tmp_path):
    target = tmp_path / "totaux.csv"
    result = CliRunner().invoke(app, ["totals", ID, "--output", str(target), "--csv-dialect", "fr", "--by", "axis"])
    assert result.exit_code == 0, result.output
    raw = target.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    text = raw.decode("utf-8-sig")
    assert "\r\n" in text
    header, *rows = text.splitlines()
    assert header.startswith("key;label;actions;total;")
    total = next(row for row in rows if row.startswith("total;"))
    # the last cell, acquis, is empty: the validated lines have no amounts (unknown is not zero)
    assert re.fullmatch(r"total;Total;\d+(;\d+,\d\d)+;", total), total
    assert next(row for row in rows if row.startswith("INNOVER;")).endswith(";0,00")  # none validated: 0


def test_machine_csv_is_unchanged_and_the_dialect_needs_csv(sample):
    machine = CliRunner().invoke(app, ["totals", ID, "--format", "csv"]).output
    assert not machine.startswith("\ufeff") and machine.splitlines()[0].startswith("contract,total,")
    assert CliRunner().invoke(app, ["totals", ID, "--format", "json", "--csv-dialect", "fr"]).exit_code == 2
    assert CliRunner().invoke(app, ["totals", ID, "--format", "csv", "--csv-dialect", "de"]).exit_code == 2
