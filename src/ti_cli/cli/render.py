"""``ti render contract`` and ``ti render fiche``: documents straight from the YAML, through Jinja.

Also the options every document command shares (``--to``, ``--output``, ``--templates``) and
``emit``, which writes one document and says where; ``ti report`` uses them too.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from ti_cli.cli.common import Force, UsageProblem, load_checked_contract

if TYPE_CHECKING:
    from ti_cli.render.charts import Figures

OUT = Path("out")

ContractArg = Annotated[str, typer.Argument(help="A contract id under data/contracts/, or its folder.")]
To = Annotated[
    list[str] | None,
    typer.Option("--to", "-t", help="md | html | docx | pdf; repeat (or comma-separate) for several "
                 "(default: md, or the extension of --output)."),
]
Output = Annotated[
    Path | None,
    typer.Option("--output", "-o", help="A folder (default: out/), or a file when one format is asked."),
]
Templates = Annotated[
    Path | None,
    typer.Option("--templates", help="A folder of your own templates, looked up before the built-in ones "
                 "(rendered sandboxed)."),
]

ReferenceDocx = Annotated[
    Path | None,
    typer.Option("--reference-docx", help="A Word file whose styles (Titre 1…, Normal, Tableau) the .docx "
                 "takes: your charte graphique. Default: reference.docx in --templates, if any."),
]

render_app = typer.Typer(name="render", help="Documents from the YAML: the contract, the fiches actions.",
                         no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.add_typer(render_app)


def formats_for(to: list[str] | None, output: Path | None) -> list[str]:
    from ti_cli.render.documents import FORMATS

    if to:  # --to md --to pdf, or --to md,pdf
        return list(dict.fromkeys(f.strip().lower().lstrip(".") for item in to for f in item.split(",") if f.strip()))
    suffix = output.suffix.lower().lstrip(".") if output is not None else ""
    return [suffix] if suffix in FORMATS else ["md"]


def emit(template: str, build: Callable[[Figures | None], dict[str, Any]], to: list[str] | None,
         output: Path | None, templates: Path | None, name: str, reference_docx: Path | None = None,
         force: bool = False) -> list[Path]:
    """Render ``template`` with the context ``build`` makes (charts go next to the documents) and print
    the path of each file written, one a line. Usage problems (bad format, template error, PDF engine
    missing, a file in the way) exit 2."""
    from ti_cli.render.documents import DocumentError, produce

    if templates is not None and not templates.is_dir():
        raise UsageProblem(f"--templates {templates}: no such folder")
    if reference_docx is not None and not reference_docx.is_file():
        raise UsageProblem(f"--reference-docx {reference_docx}: no such file")
    formats = formats_for(to, output)
    try:
        written = produce(template, build, formats, output or OUT, templates, name, reference_docx, force=force)
    except DocumentError as exc:
        raise UsageProblem(str(exc)) from exc
    for path in written:
        typer.echo(str(path))
    return written


@render_app.command("contract")
def contract(contract: ContractArg, to: To = None, output: Output = None, templates: Templates = None,
             reference_docx: ReferenceDocx = None,
             force: Force = False) -> None:
    """The contract: parties, préambule and articles (text/*.md), binômes and chefs de projet, and the
    annex tableau des actions with its totals."""
    from ti_cli.render.context import contract_context

    bundle = load_checked_contract(contract)
    emit("contract.md.j2", lambda figures: contract_context(bundle, figures), to, output, templates, "contract",
         reference_docx, force)


@render_app.command("fiche")
def fiche(
    contract: ContractArg,
    number: Annotated[int | None, typer.Argument(help="The action's number.")] = None,
    every: Annotated[bool, typer.Option("--all", help="Every action, one document each.")] = False,
    to: To = None,
    output: Output = None,
    templates: Templates = None,
    reference_docx: ReferenceDocx = None,
    force: Force = False,
) -> None:
    """One fiche action (cost, plan de financement, description, latest progress), or all with --all."""
    from ti_cli.render.context import fiche_context

    if (number is None) == (not every):
        raise UsageProblem("give an action number, or --all for every action (not both)")
    bundle = load_checked_contract(contract)
    actions = bundle.action_models()
    if not every:
        chosen = [a for a in actions if a.number == number]
        if not chosen:
            known = ", ".join(str(a.number) for a in actions) or "none"
            raise UsageProblem(f"no action {number} in {contract} (actions: {known})")
        action = chosen[0]
        emit("fiche.md.j2", lambda _: fiche_context(bundle, action), to, output, templates,
             f"fiche-{action.number:02d}", reference_docx, force)
        return
    if output is not None and output.suffix.lstrip(".") in ("md", "html", "docx", "pdf"):
        raise UsageProblem("--all writes one file per action: give --output a folder")
    from rich.console import Console
    from rich.progress import Progress as Bar

    with Bar(console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task("fiches actions", total=len(actions))
        for action in actions:
            emit("fiche.md.j2", lambda _, a=action: fiche_context(bundle, a), to, output, templates,
                 f"fiche-{action.number:02d}", reference_docx, force)
            bar.advance(task)
