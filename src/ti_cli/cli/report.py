"""``ti report quarterly`` (the état d'avancement of Article 6) and ``ti report completion`` (the report
on a finished action), rendered through the same templates and formats as ``ti render``."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated

import typer

from ti_cli.cli.common import AsOf, ContractArg, Force, UsageProblem, check_format, fail, load_checked_contract, today
from ti_cli.cli.render import (
    DOCUMENT_OR_JSON,
    Output,
    ReferenceDocx,
    Templates,
    To,
    emit_document,
    no_action,
)
from ti_cli.i18n import _

report_app = typer.Typer(
    name="report",
    help=_("Reports to the regional COPIL: quarterly progress, finished actions, evaluation of the plan."),
    no_args_is_help=True,
)


def register(app: typer.Typer) -> None:
    app.add_typer(report_app)


@report_app.command(
    "quarterly",
    help=_(
        "The quarterly progress report (état d'avancement): global progress weighted by cost, each action's status, "
        "progress, spent against planned and variance, milestones, change since the previous quarter; actions not "
        "updated and actions late are flagged."
    ),
)
def quarterly(
    contract: ContractArg,
    quarter: Annotated[
        str | None,
        typer.Option(
            "--quarter",
            "-q",
            metavar=_("YYYY-QN"),
            help=_("The quarter, e.g. 2021-Q4 or 2021-T4 (default: the latest progress file)."),
        ),
    ] = None,
    to: To = None,
    output: Output = None,
    templates: Templates = None,
    reference_docx: ReferenceDocx = None,
    force: Force = False,
) -> None:
    from ti_cli.render.context import reports
    from ti_cli.workflow.documents import quarterly_document

    if quarter is not None:
        quarter = quarter.strip().upper()
        found = re.fullmatch(r"(\d{4})-?[QT]([1-4])", quarter)  # a French user may write T for trimestre
        if found is None:
            raise UsageProblem(_("--quarter {quarter}: write it YYYY-QN, e.g. 2021-Q4").format(quarter=quarter))
        quarter = f"{found[1]}-Q{found[2]}"
    bundle = load_checked_contract(contract)
    known = sorted(r.quarter for r in reports(bundle))
    if not known:
        raise UsageProblem(_("no progress file in {folder}: nothing to report").format(folder=bundle.root / "progress"))
    chosen = quarter or known[-1]
    if chosen not in known:
        raise UsageProblem(
            _("no progress file for {quarter} (there are: {known})").format(quarter=chosen, known=", ".join(known))
        )
    emit_document(quarterly_document(bundle, chosen), to, output, templates, reference_docx, force)


@report_app.command(
    "completion",
    help=_(
        "The report on a finished action (Article 6): how it was carried out, its results, how they last — from the "
        "completion_report of its 'termine' progress entry. Exit code 1 if the action is not finished."
    ),
)
def completion(
    contract: ContractArg,
    number: Annotated[int, typer.Argument(metavar=_("NUMBER"), help=_("The finished action's number."))],
    to: To = None,
    output: Output = None,
    templates: Templates = None,
    reference_docx: ReferenceDocx = None,
    force: Force = False,
) -> None:
    from ti_cli.render.context import NotFinished
    from ti_cli.workflow.documents import completion_document

    bundle = load_checked_contract(contract)
    actions = bundle.action_models()
    if number not in {a.number for a in actions}:
        raise no_action(number, contract, actions)
    try:
        doc = completion_document(bundle, number)
    except NotFinished as exc:
        fail(str(exc), 1)
    emit_document(doc, to, output, templates, reference_docx, force)


@report_app.command(
    "evaluation",
    help=_(
        "The mid-term or end-of-phase evaluation of the plan: per axis and per action, cost, financing by stage, "
        "progress, each indicator's target against its latest value (with a chart), the decisions taken, the actions "
        "late against planned_end."
    ),
)
def evaluation(
    contract: ContractArg,
    fmt: Annotated[
        str,
        typer.Option(
            "--format",
            "-f",
            metavar="|".join(DOCUMENT_OR_JSON),
            help=_("document (md, html, docx or pdf, chosen with --to) or json."),
        ),
    ] = "document",
    to: To = None,
    output: Output = None,
    templates: Templates = None,
    as_of: AsOf = None,
    reference_docx: ReferenceDocx = None,
    force: Force = False,
) -> None:
    import json

    from ti_cli.compute.evaluation import evaluate
    from ti_cli.output import evaluation as out

    check_format(fmt, DOCUMENT_OR_JSON)
    bundle = load_checked_contract(contract, as_of)
    model = bundle.contract.model
    day = today(as_of)
    if fmt == "json":
        found = evaluate(bundle, day)
        typer.echo(json.dumps(out.as_json(model, found), ensure_ascii=False, indent=2))  # type: ignore[arg-type]  # load_checked_contract refused a contract with no model
        return
    from ti_cli.workflow.documents import evaluation_document

    emit_document(evaluation_document(bundle, day), to, output, templates, reference_docx, force)


COPIL_FORMATS = ("pptx", "pdf", "md", "html", "docx")


@report_app.command(
    "copil",
    help=_(
        "The deck of the next steering committee (COPIL), in the order the meeting runs: title, the plan at a "
        "glance, progress by axis, financing by stage and by financer, actions late or at risk, changes since "
        "--since and the decisions to take, indicators against targets, the next three months, one slide per "
        "structuring action, the annex of every action. PowerPoint with native charts (--to pptx, the default), "
        "or the same content as a handout (--to pdf, md)."
    ),
)
def copil(
    contract: ContractArg,
    since: Annotated[
        str | None,
        typer.Option(
            "--since",
            metavar=_("REVISION"),
            help=_(
                "The git revision the changes are counted from (default: the last commit that touched decisions/ "
                "for a ti-2023 plan, the last avenant for a ti-2019 contract)."
            ),
        ),
    ] = None,
    to: Annotated[
        list[str] | None,
        typer.Option(
            "--to",
            "-t",
            metavar="pptx|pdf|md",
            help=_("The deck's format; repeat the option for several (default: pptx, or the extension of --output)."),
        ),
    ] = None,
    output: Output = None,
    as_of: AsOf = None,
    reference_pptx: Annotated[
        Path | None,
        typer.Option(
            "--reference-pptx",
            metavar=_("FILE"),
            help=_(
                "A PowerPoint file whose slide masters the deck takes: it needs a title layout (title and "
                "subtitle) and a layout with a title (Title Only, or Title and Content)."
            ),
        ),
    ] = None,
    templates: Templates = None,
    force: Force = False,
) -> None:
    from ti_cli.cli.render import OUT, emit
    from ti_cli.loading.writer import check_output, write_output
    from ti_cli.render.documents import DocumentError
    from ti_cli.workflow.copil import deck
    from ti_cli.workflow.documents import copil_document

    suffix = output.suffix.lower().lstrip(".") if output is not None else ""
    if to:
        formats = list(
            dict.fromkeys(f.strip().lower().lstrip(".") for item in to for f in item.split(",") if f.strip())
        )
    else:
        formats = [suffix] if suffix in COPIL_FORMATS else ["pptx"]
    unknown = [f for f in formats if f not in COPIL_FORMATS]
    if unknown:
        raise UsageProblem(
            _("unknown format '{format}': choose one of: {choices}").format(
                format=unknown[0], choices=", ".join(COPIL_FORMATS)
            )
        )
    if reference_pptx is not None and not reference_pptx.is_file():
        raise UsageProblem(_("--reference-pptx {file}: no such file").format(file=reference_pptx))
    bundle = load_checked_contract(contract, as_of)
    day = today(as_of)
    made = deck(bundle, day, since)
    name = f"copil-{day.isoformat()}"
    in_file = suffix in COPIL_FORMATS and not (output is not None and output.is_dir())
    pptx_path = None
    data = b""
    if "pptx" in formats:
        from ti_cli.render.slides import to_pptx

        folder = output or OUT
        pptx_path = output.with_suffix(".pptx") if in_file and output is not None else folder / f"{name}.pptx"
        try:
            check_output(pptx_path, force=force)
            data = to_pptx(made, reference_pptx)  # a bad reference is refused before anything is written
        except DocumentError as exc:
            raise UsageProblem(str(exc)) from exc
    documents = [f for f in formats if f != "pptx"]
    if documents:
        target = output.with_suffix(f".{documents[0]}") if in_file and output is not None else output
        doc = copil_document(bundle, day, made=made)
        emit(doc.template, doc.build, documents, target, templates, name, force=force)
    if pptx_path is not None:
        pptx_path.parent.mkdir(parents=True, exist_ok=True)
        write_output(pptx_path, data, force=force)
        typer.echo(str(pptx_path))
