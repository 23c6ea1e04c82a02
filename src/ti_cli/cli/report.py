"""``ti report quarterly`` (the état d'avancement of Article 6) and ``ti report completion`` (the report
on a finished action), rendered through the same templates and formats as ``ti render``."""

from __future__ import annotations

import re
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
