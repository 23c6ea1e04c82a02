"""The registry of document types: every document ``ti`` renders, made the same way by ``ti render``,
``ti report``, ``ti pacte`` and ``ti serve`` (which lists them all and renders one on demand, in a
temporary folder, never in the data).

A document is named by a key (``contrat``, ``fiche-03``, ``etat-2021-Q4``…) and a file stem for the
command line (``contract``, ``fiche-03``, ``quarterly-2021-Q4``…): in a URL the key is looked up, never
turned into a path, so no URL reaches another file.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
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
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "ics": "text/calendar; charset=utf-8",
}
FORMAT_LABELS = {
    "md": "Markdown",
    "html": "HTML",
    "docx": "Word",
    "pdf": "PDF",
    "pptx": "PowerPoint",
    "ics": "iCalendar",
}


@dataclass(frozen=True)
class Document:
    key: str  # in the URL
    title: str  # for people
    template: str
    build: Callable[[Any], dict[str, Any]]  # Figures | None → the template's context
    stem: str = ""  # the file ``ti render`` / ``ti report`` writes (the key when empty)
    # formats made otherwise than from the template: the deck as PowerPoint, the calendar as iCalendar
    extra: Mapping[str, Callable[[], bytes]] = field(default_factory=dict)

    @property
    def file_stem(self) -> str:
        return self.stem or self.key

    @property
    def formats(self) -> list[str]:
        """The formats it is offered in: those of its template (none without one), then its own."""
        return [*(FORMATS if self.template else ()), *self.extra]


# One builder per document type -------------------------------------------------------------------


def contract_document(bundle: Any) -> Document:
    from ti_cli.render import context as ctx

    return Document(
        "contrat",
        _("The contract and its financial annex"),
        "contract.md.j2",
        lambda figures: ctx.contract_context(bundle, figures),
        "contract",
    )


def quarterly_document(bundle: Any, quarter: str) -> Document:
    from ti_cli.render import context as ctx
    from ti_cli.render.environment import quarter as in_words

    return Document(
        f"etat-{quarter}",
        _("Progress report, {quarter}").format(quarter=in_words(quarter)),
        "quarterly.md.j2",
        lambda figures: ctx.quarterly_context(bundle, quarter, figures),
        f"quarterly-{quarter}",
    )


def fiche_document(bundle: Any, action: Any, day: dt.date) -> Document:
    from ti_cli.render import context as ctx

    return Document(
        f"fiche-{action.number:02d}",
        _("Action sheet {number} — {title}").format(number=action.number, title=action.title),
        "fiche.md.j2",
        lambda _figures: ctx.fiche_context(bundle, action, day),
    )


def completion_document(bundle: Any, number: int) -> Document:
    """Raises ``render.context.NotFinished`` when the action has no completion report yet."""
    from ti_cli.render import context as ctx

    context = ctx.completion_context(bundle, number)
    return Document(
        f"bilan-{number:02d}",
        _("Report on action {number} (finished)").format(number=number),
        "completion.md.j2",
        lambda _figures: context,
        f"completion-{number:02d}",
    )


def evaluation_document(bundle: Any, day: dt.date) -> Document:
    """The plan's evaluation (SPEC §10) as of ``day``."""
    from ti_cli.compute.evaluation import evaluate
    from ti_cli.output.evaluation import document_context
    from ti_cli.render import context as ctx

    found = evaluate(bundle, day)
    return Document(
        f"evaluation-{day.isoformat()}",
        _("Evaluation of the plan as of {date}").format(date=date_short(day)),
        "evaluation.md.j2",
        lambda figures: {**ctx.labels(), **document_context(bundle.contract.model, found, figures)},
    )


def change_documents(bundle: Any, day: dt.date) -> list[Document]:
    """The draft that the plan's changes since the default branch call for (what ``ti decisions draft``
    and ``ti avenant`` make without ``--base``): the relevé de décisions of a phase-2 plan, the avenant of
    a phase-1 contract. None when the folder is in no git repository, the base does not validate, or
    nothing changed."""
    from ti_cli.compute.diff import Side, diff
    from ti_cli.findings import Severity
    from ti_cli.output.diff import version_title
    from ti_cli.rules import Context, check_contract
    from ti_cli.vcs.git import GitProblem, Repo
    from ti_cli.vcs.revision import WORKTREE, committed_at, load_contract_at

    root = bundle.root
    try:
        base, _branch = Repo.containing(root).default_base()
        before = load_contract_at(root, base)
        when = committed_at(root, base)
    except (GitProblem, OSError):
        return []
    if before.contract.model is None or any(f.severity is Severity.error for f in check_contract(before, Context(day))):
        return []

    def side(version: Any, label: str, at: Any) -> Side:
        decisions = [d for _source, d in version.valid_decisions()]
        title = version_title(at, day, version.contract.model, decisions, False)
        return Side(label, version.contract.model, version.action_models(), title, decisions)

    found = diff(side(before, base, when), side(bundle, WORKTREE, None))
    if not found.to_sign:
        return []
    if bundle.contract.model.phase2:
        from ti_cli.output.decisions import document_context

        return [
            Document(
                f"releve-decisions-{day.isoformat()}",
                _("Draft record of decisions (changes since {base})").format(base=base),
                "decisions.md.j2",
                lambda _figures: document_context(found, day),
            )
        ]
    from ti_cli.output.diff import avenant_context

    number = found.base.contract.next_amendment
    return [
        Document(
            f"avenant-{number:02d}",
            _("Draft avenant no. {number} (changes since {base})").format(number=number, base=base),
            "avenant.md.j2",
            lambda _figures: avenant_context(found),
        )
    ]


def pacte_report_document(bundle: Any, day: dt.date) -> Document:
    from ti_cli.compute.pacte import pacte_report
    from ti_cli.render.pacte import report_context

    result = pacte_report(bundle.pacte.model, bundle.loaded_members(), day)
    return Document(
        "bilan-annuel",
        _("Annual report of the pacte"),
        "pacte-report.md.j2",
        lambda _figures: report_context(result),
        "pacte-report",
    )


def pacte_fiche_document(bundle: Any, slug: str, member: Any, day: dt.date) -> Document:
    from ti_cli.compute.pacte import fiche
    from ti_cli.render.pacte import fiche_charts, fiche_context

    made = fiche(bundle.pacte.model, slug, member, day)

    def build(figures: Any) -> dict[str, Any]:
        return fiche_context(made, fiche_charts(made, figures, slug) if figures else [])

    return Document(
        f"fiche-{slug}",
        _("Follow-up sheet — {company}").format(company=member.company),
        "pacte-fiche.md.j2",
        build,
        f"pacte-fiche-{slug}",
    )


# Every document of a bundle (ti serve's lists) ----------------------------------------------------


def contract_documents(bundle: Any, day: dt.date | None = None) -> list[Document]:
    """Every document of a contract, judged as of ``day`` (today when not given)."""
    from ti_cli.render.context import NotFinished

    day = day or dt.date.today()
    docs = [contract_document(bundle)]
    if bundle.contract.model.phase2:
        docs.append(evaluation_document(bundle, day))
    docs += change_documents(bundle, day)
    docs += [copil_document(bundle, day), calendar_document(bundle, day)]
    quarters = sorted((p.quarter for _path, p in bundle.valid_progress()), reverse=True)
    docs += [quarterly_document(bundle, q) for q in quarters]
    for action in bundle.action_models():
        docs.append(fiche_document(bundle, action, day))
        try:
            docs.append(completion_document(bundle, action.number))
        except NotFinished:
            continue
    return docs


def pacte_documents(bundle: Any, day: dt.date) -> list[Document]:
    return [
        pacte_report_document(bundle, day),
        calendar_document(bundle, day),
        *(pacte_fiche_document(bundle, slug, member, day) for slug, member in bundle.loaded_members()),
    ]


def make(document: Document, fmt: str) -> bytes:
    """The document in one format, written in a temporary folder that is gone when this returns."""
    from ti_cli.render.documents import produce

    if fmt in document.extra:
        return document.extra[fmt]()
    if fmt not in FORMATS or not document.template:
        raise ValueError(fmt)
    with tempfile.TemporaryDirectory(prefix="ti-serve-") as folder:
        written = produce(document.template, document.build, [fmt], Path(folder), None, document.key)
        return written[0].read_bytes()


# The COPIL deck (SPEC §15) ------------------------------------------------------------------------


def copil_document(bundle: Any, day: dt.date, since: str | None = None, made: Any = None) -> Document:
    """The deck of the next comité de pilotage as of ``day``, as a document (Markdown, and through it the
    PDF handout, HTML, Word, and PowerPoint with native charts). ``made``: the deck when the caller has
    built it already (``workflow.copil.deck``); else it is built when a format is asked for (a listing of
    the documents reads no git history)."""
    from ti_cli.workflow.copil import context, deck

    def build(figures: Any) -> dict[str, Any]:
        return context(made if made is not None else deck(bundle, day, since), figures)

    return Document(
        f"copil-{day.isoformat()}",
        _("COPIL deck of {date}").format(date=date_short(day)),
        "copil.md.j2",
        build,
        extra={"pptx": lambda: copil_pptx(bundle, day, since)},
    )


def calendar_document(bundle: Any, day: dt.date) -> Document:
    """The dated events ahead (``ti calendar``: from ``day`` to the end of the period), as an iCalendar
    file a calendar imports again without duplicates."""

    def ics() -> bytes:
        from ti_cli.compute.calendar import default_end, events
        from ti_cli.loading.bundle import ContractBundle
        from ti_cli.output.calendar import to_ics

        owner = bundle.contract.model if isinstance(bundle, ContractBundle) else bundle.pacte.model
        assert owner is not None  # documents are listed for valid data only
        last = max(default_end(bundle, day), day)
        return to_ics(events(bundle, day, last), owner.title, day, last)

    return Document("calendrier", _("Calendar of the dates ahead"), "", lambda _figures: {}, extra={"ics": ics})


def copil_pptx(bundle: Any, day: dt.date, since: str | None = None, reference: Path | None = None) -> bytes:
    """The deck as a PowerPoint file (native charts), on ``reference``'s masters when given; raises
    ``render.slides.ReferenceProblem`` (a ``DocumentError``) for a reference that cannot serve."""
    from ti_cli.render.slides import to_pptx
    from ti_cli.workflow.copil import deck

    return to_pptx(deck(bundle, day, since), reference)
