"""What the pacte templates see (``pacte-report.md.j2``, ``pacte-fiche.md.j2``), and the fiche's charts.

The context holds the computed objects of ``compute.pacte`` as they are (templates read their
attributes) plus ``value(unit, v)``, which prints an indicator's value the way its unit reads.
The context keys are listed in docs/pacte.md for people who write their own templates.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from ti_cli import french

if TYPE_CHECKING:
    from ti_cli.compute.pacte import Fiche, PacteReport
    from ti_cli.render.charts import Figures

CADENCES = {
    "trimestriel": "trimestrielle",
    "semestriel": "semestrielle",
    "annuel": "annuelle",
    "ad_hoc": "ad hoc (selon les projets)",
}
SIZES = {"micro": "micro-entreprise", "pme": "PME", "eti": "ETI", "ge": "grande entreprise"}


def value(unit: str, v: Any) -> str:
    """An indicator's value as people read it: ``oui``/``non``, ``185 000 €``, ``12,50 %``, ``14``, text."""
    if v is None:
        return "–"
    if isinstance(v, bool):
        return "oui" if v else "non"
    if isinstance(v, str):
        return v
    if unit == "€":
        return french.euros(v)
    if unit == "%":
        return f"{french.number(v)}{french.NBSP}%"
    return french.number(v) if unit == "nombre" else f"{french.number(v)}{french.NBSP}{unit}"


def _common(pacte: Any, as_of: Any) -> dict[str, Any]:
    return {"pacte": pacte, "as_of": as_of, "value": value, "cadences": CADENCES, "sizes": SIZES}


def report_context(report: PacteReport) -> dict[str, Any]:
    return {**_common(report.pacte, report.as_of), "report": report, "status": report.status}


def fiche_context(fiche: Fiche, charts: list[tuple[str, str]]) -> dict[str, Any]:
    """``charts``: (title, image path relative to the document) of each chart drawn for the fiche."""
    return {
        **_common(fiche.pacte, fiche.as_of),
        "fiche": fiche,
        "member": fiche.member,
        "status": fiche.status,
        "charts": charts,
    }


def fiche_charts(fiche: Fiche, figures: Figures, slug: str) -> list[tuple[str, str]]:
    """One small bar chart per numeric indicator reported at two reviews or more: its value at each review."""
    from ti_cli.render.charts import horizontal_bars

    drawn: list[tuple[str, str]] = []
    for series in fiche.indicators:
        if not series.numeric or len(series.points) < 2:
            continue
        indicator = series.indicator
        path, href = figures.path(f"{slug}-{indicator.id}")
        horizontal_bars(
            [french.date_short(day) for day, _ in series.points],
            [Decimal(v) for _, v in series.points],
            path,
            indicator.title,
            texts=[value(indicator.unit, v) for _, v in series.points],
        )
        drawn.append((indicator.title, href))
    return drawn
