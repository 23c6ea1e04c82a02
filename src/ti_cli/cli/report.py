"""``ti report quarterly`` (the état d'avancement of Article 6) and ``ti report completion`` (the report
on a finished action), rendered through the same templates and formats as ``ti render``."""

from __future__ import annotations

import re
from typing import Annotated

import typer

from ti_cli.cli.common import AsOf, Force, UsageProblem, fail, load_checked_contract, today
from ti_cli.cli.render import ContractArg, Output, ReferenceDocx, Templates, To, emit

report_app = typer.Typer(name="report", help="Reports to the regional COPIL: quarterly progress, finished "
                         "actions.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.add_typer(report_app)


@report_app.command("quarterly")
def quarterly(
    contract: ContractArg,
    quarter: Annotated[str | None, typer.Option("--quarter", "-q", help="YYYY-QN (default: the latest "
                                                "progress file).")] = None,
    to: To = None,
    output: Output = None,
    templates: Templates = None,
    reference_docx: ReferenceDocx = None,
    force: Force = False,
) -> None:
    """The quarterly état d'avancement: global progress weighted by cost, each action's status, progress,
    spent vs planned and variance, milestones, change since the previous quarter; actions not updated
    and actions late are flagged."""
    from ti_cli.render.context import quarterly_context, reports

    if quarter is not None and not re.fullmatch(r"\d{4}-Q[1-4]", quarter):
        raise UsageProblem(f"--quarter {quarter}: write it YYYY-QN, e.g. 2021-Q4")
    bundle = load_checked_contract(contract)
    known = sorted(r.quarter for r in reports(bundle))
    if not known:
        raise UsageProblem(f"no progress file in {bundle.root / 'progress'}: nothing to report")
    chosen = quarter or known[-1]
    if chosen not in known:
        raise UsageProblem(f"no progress file for {chosen} (there are: {', '.join(known)})")
    emit("quarterly.md.j2", lambda figures: quarterly_context(bundle, chosen, figures), to, output, templates,
         f"quarterly-{chosen}", reference_docx, force)


@report_app.command("completion")
def completion(
    contract: ContractArg,
    number: Annotated[int, typer.Argument(help="The finished action's number.")],
    to: To = None,
    output: Output = None,
    templates: Templates = None,
    reference_docx: ReferenceDocx = None,
    force: Force = False,
) -> None:
    """The report on a finished action (Article 6): how it was carried out, its results, how they last —
    from the completion_report of its 'termine' progress entry. Exit 1 if the action is not finished."""
    from ti_cli.render.context import NotFinished, completion_context

    bundle = load_checked_contract(contract)
    if number not in {a.number for a in bundle.action_models()}:
        raise UsageProblem(f"no action {number} in {contract}")
    try:
        context = completion_context(bundle, number)
    except NotFinished as exc:
        fail(str(exc), 1)
    emit("completion.md.j2", lambda _: context, to, output, templates, f"completion-{number:02d}", reference_docx,
         force)


@report_app.command("evaluation")
def evaluation(
    contract: ContractArg,
    fmt: Annotated[str, typer.Option("--format", "-f", help="document (md/html/docx/pdf with --to) | json.")] = (
        "document"),
    to: To = None,
    output: Output = None,
    templates: Templates = None,
    as_of: AsOf = None,
    reference_docx: ReferenceDocx = None,
    force: Force = False,
) -> None:
    """The mid-term or end-of-phase evaluation of the plan: per axis and per action, cost, financing by
    stage, progress, each indicator's target against its latest value (with a chart), the decisions
    taken, the actions late against planned_end."""
    import json

    from ti_cli.compute.evaluation import evaluate
    from ti_cli.output import evaluation as out

    if fmt not in ("document", "json"):
        raise UsageProblem(f"format inconnu '{fmt}' : choisissez document ou json")
    bundle = load_checked_contract(contract, as_of)
    model = bundle.contract.model
    day = today(as_of)
    found = evaluate(bundle, day)
    if fmt == "json":
        typer.echo(json.dumps(out.as_json(model, found), ensure_ascii=False, indent=2))  # type: ignore[arg-type]
        return
    from ti_cli.render.context import labels

    emit("evaluation.md.j2", lambda figures: {**labels(), **out.document_context(model, found, figures)},  # type: ignore[arg-type]
         to, output, templates, f"evaluation-{day.isoformat()}", reference_docx, force)
