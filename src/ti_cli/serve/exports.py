"""The tables of figures a page shows, as files: the CSV of ``ti totals --format csv --csv-dialect fr``
(what a spreadsheet opens in French) and the workbook of ``ti totals --format xlsx`` — the same writers
(``output.figures``, ``output.tables``, ``output.xlsx``) over the same computed figures, nothing
recomputed here."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

# the file names of a contract's exports (French, as the user sees them) → ``ti totals --by``
EXPORTS: dict[str, str | None] = {
    "totaux": None,
    "par-axe": "axis",
    "par-etape": "stage",
    "par-financeur": "financer",
    "par-dispositif": "dispositif",
    "par-statut": "status",
    "actions": None,  # xlsx only: the tableau des actions
}
MEDIA = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def view(bundle: Any, by: str | None) -> Any:
    """The ``TotalsView`` of ``ti totals CONTRACT [--by BY]``."""
    from ti_cli.output.figures import contract_view

    return contract_view(bundle, by)


def csv(bundle: Any, by: str | None) -> bytes:
    from ti_cli.output.figures import totals_csv_table
    from ti_cli.output.tables import to_csv

    return to_csv(totals_csv_table(view(bundle, by)), "fr").encode("utf-8")


def xlsx(bundle: Any) -> bytes:
    """The workbook of ``ti totals CONTRACT --format xlsx``, written in a temporary folder."""
    from ti_cli.output.xlsx import export_actions

    with tempfile.TemporaryDirectory(prefix="ti-serve-") as folder:
        target = Path(folder) / "actions.xlsx"
        export_actions(bundle, target)
        return target.read_bytes()
