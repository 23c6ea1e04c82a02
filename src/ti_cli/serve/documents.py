"""Every document ``ti`` renders, produced on demand in a temporary folder (never in the data) through the
same contexts and ``produce`` as ``ti render``, ``ti report`` and ``ti pacte``.

A document is named in a URL by a key from the list this module makes (``contrat``, ``fiche-03``,
``etat-2021-Q4``…): the name is looked up, never turned into a path, so no URL reaches another file.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ti_cli.french import date_short
from ti_cli.i18n import _
from ti_cli.render.documents import FORMATS

MEDIA = {
    "md": "text/markdown; charset=utf-8",
    "html": "text/html; charset=utf-8",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}
FORMAT_LABELS = {"md": "Markdown", "html": "HTML", "docx": "Word", "pdf": "PDF"}


@dataclass(frozen=True)
class Document:
    key: str  # in the URL
    title: str  # for people
    template: str
    build: Callable[[Any], dict[str, Any]]  # Figures | None → the template's context


def contract_documents(bundle: Any, day: dt.date | None = None) -> list[Document]:
    """Every document of a contract, judged as of ``day`` (today when not given), as ``ti render`` and
    ``ti report`` make them."""
    from ti_cli.render import context as ctx
    from ti_cli.render.environment import quarter

    day = day or dt.date.today()
    docs = [
        Document(
            "contrat",
            _("The contract and its financial annex"),
            "contract.md.j2",
            lambda figures: ctx.contract_context(bundle, figures),
        )
    ]
    if bundle.contract.model.phase2:  # the plan's evaluation (SPEC §10), as ``ti report evaluation``

        def evaluation(figures: Any) -> dict[str, Any]:
            from ti_cli.compute.evaluation import evaluate
            from ti_cli.output.evaluation import document_context

            return {**ctx.labels(), **document_context(bundle.contract.model, evaluate(bundle, day), figures)}

        docs.append(
            Document(
                f"evaluation-{day.isoformat()}",
                _("Evaluation of the plan as of {date}").format(date=date_short(day)),
                "evaluation.md.j2",
                evaluation,
            )
        )
    for p in sorted((p for _path, p in bundle.valid_progress()), key=lambda p: p.quarter, reverse=True):

        def quarterly(figures: Any, q: str = p.quarter) -> dict[str, Any]:
            return ctx.quarterly_context(bundle, q, figures)

        docs.append(
            Document(
                f"etat-{p.quarter}",
                _("Progress report, {quarter}").format(quarter=quarter(p.quarter)),
                "quarterly.md.j2",
                quarterly,
            )
        )
    for action in bundle.action_models():

        def fiche(_figures: Any, a: Any = action) -> dict[str, Any]:  # a: an Action (the bundle is untyped here)
            return ctx.fiche_context(bundle, a, day)

        docs.append(
            Document(
                f"fiche-{action.number:02d}",
                _("Action sheet {number} — {title}").format(number=action.number, title=action.title),
                "fiche.md.j2",
                fiche,
            )
        )
        try:
            completion = ctx.completion_context(bundle, action.number)
        except ctx.NotFinished:
            continue

        def completed(_figures: Any, c: dict[str, Any] = completion) -> dict[str, Any]:
            return c

        docs.append(
            Document(
                f"bilan-{action.number:02d}",
                _("Report on action {number} (finished)").format(number=action.number),
                "completion.md.j2",
                completed,
            )
        )
    return docs


def pacte_documents(bundle: Any, day: Any) -> list[Document]:
    from ti_cli.compute.pacte import fiche, pacte_report
    from ti_cli.render.pacte import fiche_charts, fiche_context, report_context

    pacte, members = bundle.pacte.model, bundle.loaded_members()
    docs = [
        Document(
            "bilan-annuel",
            _("Annual report of the pacte"),
            "pacte-report.md.j2",
            lambda _figures: report_context(pacte_report(pacte, members, day)),
        )
    ]
    for slug, member in members:
        made = fiche(pacte, slug, member, day)

        def build(figures: Any, made: Any = made, slug: str = slug) -> dict[str, Any]:
            return fiche_context(made, fiche_charts(made, figures, slug) if figures else [])

        docs.append(
            Document(
                f"fiche-{slug}",
                _("Follow-up sheet — {company}").format(company=member.company),
                "pacte-fiche.md.j2",
                build,
            )
        )
    return docs


def make(document: Document, fmt: str) -> bytes:
    """The document in one format, written in a temporary folder that is gone when this returns."""
    from ti_cli.render.documents import produce

    if fmt not in FORMATS:
        raise ValueError(fmt)
    with tempfile.TemporaryDirectory(prefix="ti-serve-") as folder:
        written = produce(document.template, document.build, [fmt], Path(folder), None, document.key)
        return written[0].read_bytes()
