"""``ti render contract`` and ``ti render fiche``: documents straight from the YAML, through Jinja.

Also the options every document command shares (``--to``, ``--output``, ``--templates``) and
``emit``, which writes one document and says where; ``ti report`` uses them too.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from ti_cli.cli.common import AsOf, ContractArg, Force, UsageProblem, load_checked_contract, today
from ti_cli.i18n import _

if TYPE_CHECKING:
    from ti_cli.model.action import Action
    from ti_cli.render.charts import Figures
    from ti_cli.workflow.documents import Document

OUT = Path("out")
FORMAT_CHOICES = "md|html|docx|pdf"
DOCUMENT_OR_JSON = ("document", "json")  # --format of the commands that also print JSON

To = Annotated[
    list[str] | None,
    typer.Option(
        "--to",
        "-t",
        metavar=FORMAT_CHOICES,
        help=_(
            "The document's format; repeat the option (or separate with commas) for several (default: "
            "md, or the extension of --output)."
        ),
    ),
]
Output = Annotated[
    Path | None,
    typer.Option(
        "--output", "-o", metavar=_("PATH"), help=_("A folder (default: out/), or a file when one format is asked.")
    ),
]
Templates = Annotated[
    Path | None,
    typer.Option(
        "--templates",
        metavar=_("FOLDER"),
        help=_("A folder of your own templates, looked up before the built-in ones (rendered sandboxed)."),
    ),
]

ReferenceDocx = Annotated[
    Path | None,
    typer.Option(
        "--reference-docx",
        metavar=_("FILE"),
        help=_(
            "A Word file whose styles (Titre 1…, Normal, Tableau) the .docx takes: your visual "
            "identity. Default: reference.docx in --templates, if any."
        ),
    ),
]

render_app = typer.Typer(
    name="render", help=_("Documents from the YAML: the contract, the action sheets."), no_args_is_help=True
)


def register(app: typer.Typer) -> None:
    app.add_typer(render_app)


def formats_for(to: list[str] | None, output: Path | None) -> list[str]:
    from ti_cli.render.documents import FORMATS

    if to:  # --to md --to pdf, or --to md,pdf
        return list(dict.fromkeys(f.strip().lower().lstrip(".") for item in to for f in item.split(",") if f.strip()))
    suffix = output.suffix.lower().lstrip(".") if output is not None else ""
    return [suffix] if suffix in FORMATS else ["md"]


def emit_document(
    doc: Document,
    to: list[str] | None,
    output: Path | None,
    templates: Path | None,
    reference_docx: Path | None = None,
    force: bool = False,
) -> list[Path]:
    """A document of the registry (``workflow.documents``), as ``ti serve`` makes it too."""
    return emit(doc.template, doc.build, to, output, templates, doc.file_stem, reference_docx, force)


def emit(
    template: str,
    build: Callable[[Figures | None], dict[str, Any]],
    to: list[str] | None,
    output: Path | None,
    templates: Path | None,
    name: str,
    reference_docx: Path | None = None,
    force: bool = False,
) -> list[Path]:
    """Render ``template`` with the context ``build`` makes (charts go next to the documents) and print
    the path of each file written, one a line. Usage problems (bad format, template error, PDF engine
    missing, a file in the way) exit 2."""
    from ti_cli.render.documents import DocumentError, produce

    if templates is not None and not templates.is_dir():
        raise UsageProblem(_("--templates {folder}: no such folder").format(folder=templates))
    if reference_docx is not None and not reference_docx.is_file():
        raise UsageProblem(_("--reference-docx {file}: no such file").format(file=reference_docx))
    formats = formats_for(to, output)
    try:
        written = produce(template, build, formats, output or OUT, templates, name, reference_docx, force=force)
    except DocumentError as exc:
        raise UsageProblem(str(exc)) from exc
    for path in written:
        typer.echo(str(path))
    return written


def no_action(number: int, contract: str, actions: list[Action]) -> UsageProblem:
    """The usage problem of an action number the contract does not have, listing those it has."""
    if not actions:
        return UsageProblem(
            _("no action {number} in {contract}: it has no action yet").format(number=number, contract=contract)
        )
    return UsageProblem(
        _("no action {number} in {contract} (its actions: {known})").format(
            number=number, contract=contract, known=", ".join(str(a.number) for a in actions)
        )
    )


@render_app.command(
    "contract",
    help=_(
        "The contract: parties, preamble and articles (text/*.md), binômes and "
        "chefs de projet, and the annex table of actions with its totals."
    ),
)
def contract(
    contract: ContractArg,
    to: To = None,
    output: Output = None,
    templates: Templates = None,
    reference_docx: ReferenceDocx = None,
    force: Force = False,
) -> None:
    from ti_cli.workflow.documents import contract_document

    emit_document(contract_document(load_checked_contract(contract)), to, output, templates, reference_docx, force)


@render_app.command(
    "fiche", help=_("One action sheet (cost, financing plan, description, latest progress), or every one with --all.")
)
def fiche(
    contract: ContractArg,
    number: Annotated[int | None, typer.Argument(metavar=_("NUMBER"), help=_("The action's number."))] = None,
    every: Annotated[bool, typer.Option("--all", help=_("Every action, one document each."))] = False,
    to: To = None,
    output: Output = None,
    templates: Templates = None,
    reference_docx: ReferenceDocx = None,
    force: Force = False,
    as_of: AsOf = None,
) -> None:
    from ti_cli.workflow.documents import fiche_document

    day = today(as_of)
    if (number is None) == (not every):
        raise UsageProblem(_("give an action number, or --all for every action (not both)"))
    bundle = load_checked_contract(contract)
    actions = bundle.action_models()
    if number is not None:  # not --all
        chosen = [a for a in actions if a.number == number]
        if not chosen:
            raise no_action(number, contract, actions)
        emit_document(fiche_document(bundle, chosen[0], day), to, output, templates, reference_docx, force)
        return
    if output is not None and output.suffix.lstrip(".") in ("md", "html", "docx", "pdf"):
        raise UsageProblem(_("--all writes one file per action: give --output a folder"))
    from rich.console import Console
    from rich.progress import Progress as Bar

    with Bar(console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task(_("action sheets"), total=len(actions))
        for action in actions:
            emit_document(fiche_document(bundle, action, day), to, output, templates, reference_docx, force)
            bar.advance(task)
