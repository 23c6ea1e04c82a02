"""``ti decisions draft CONTRACT --base REF``: the draft relevé de décisions of a phase-2 plan (SPEC §10).

A ``ti-2023`` plan changes by decisions of its governance rather than by avenant: from the changes since
REF, one proposed decision per action added, removed or modified, written as a new ``decisions/`` file
to complete (never over an existing one) and as a document; ``--format json`` writes nothing.
"""

from __future__ import annotations

import json
from typing import Annotated

import typer

from ti_cli.cli.common import AsOf, UsageProblem, check_format, today
from ti_cli.cli.diff import Base, ContractArg, Head
from ti_cli.cli.render import DOCUMENT_OR_JSON, Output, Templates, To, emit, formats_for
from ti_cli.i18n import _

decisions_app = typer.Typer(
    name="decisions", help=_("Phase 2: the governance's decisions on the action plan."), no_args_is_help=True
)


def register(app: typer.Typer) -> None:
    app.add_typer(decisions_app)


@decisions_app.command(
    "draft",
    help=_(
        "Draft the next record of decisions (relevé de décisions) from the changes since --base: one decision per "
        "action added, removed or modified, with the money deltas (ti-2023 plans; ti-2019 contracts use ti avenant)."
    ),
)
def draft(
    contract: ContractArg,
    base: Base = None,
    head: Head = None,
    fmt: Annotated[
        str,
        typer.Option(
            "--format",
            "-f",
            metavar="|".join(DOCUMENT_OR_JSON),
            help=_("document (the decisions/ file and the document) or json (printed, nothing written)."),
        ),
    ] = "document",
    to: To = None,
    output: Output = None,
    templates: Templates = None,
    as_of: AsOf = None,
) -> None:
    from ti_cli.cli.diff import base_revision, contract_diff, contract_folder
    from ti_cli.output import decisions as out
    from ti_cli.output.diff import version

    check_format(fmt, DOCUMENT_OR_JSON)
    if fmt != "json":  # a format ti cannot write is refused before the draft relevé is written
        from ti_cli.render.documents import FORMATS

        check_format(next((f for f in formats_for(to, output) if f not in FORMATS), FORMATS[0]), FORMATS)
    base = base_revision(base, contract_folder(contract))
    found = contract_diff(contract, base, head, as_of)
    plan = found.head.contract
    if not plan.phase2:
        raise UsageProblem(
            _(
                "{plan} belongs to the {programme} programme: its changes go through an avenant — use "
                "`ti avenant {contract} --base {base}`"
            ).format(plan=plan.id, programme=plan.programme.value, contract=contract, base=base)
        )
    if fmt == "json":
        typer.echo(json.dumps(out.as_json(found), ensure_ascii=False, indent=2))
        return
    if not found.to_sign:
        raise UsageProblem(
            _("nothing to decide: no action of {plan} changed between {base} and {head}").format(
                plan=plan.id, base=base, head=version(found.head.label)
            )
        )
    if not out.pending(found) and out.pending(found, drafts=False):
        typer.echo(
            "ti: "
            + _(
                "nothing new to decide: every change of {plan} since {base} is already proposed in a draft relevé "
                "(a decisions/ file with draft: true) — complete it, and delete its line draft: true once the "
                "meeting has adopted it; nothing written"
            ).format(plan=plan.id, base=base),
            err=True,
        )
        return
    if not out.pending(found):
        typer.echo(
            "ti: "
            + _(
                "nothing new to decide: every change of {plan} since {base} is already recorded in its decisions/ "
                "files (a decision on the same action, of the same kind); nothing written"
            ).format(plan=plan.id, base=base),
            err=True,
        )
        return
    write_draft(contract, found, today(as_of))
    name = f"releve-decisions-{today(as_of).isoformat()}"
    emit("decisions.md.j2", lambda _figures: out.document_context(found, today(as_of)), to, output, templates, name)


def write_draft(contract: str, found, day) -> None:  # type: ignore[no-untyped-def]  # a ContractDiff and a date: typing them adds an import across packages
    """The new ``decisions/YYYY-MM-DD-projet-releve.yaml``, never over an existing file."""
    from ti_cli.cli.diff import contract_folder
    from ti_cli.loading.source import display_path
    from ti_cli.loading.writer import write_atomic
    from ti_cli.output.decisions import draft_yaml

    path = contract_folder(contract) / "decisions" / f"{day.isoformat()}-projet-releve.yaml"
    if path.exists():
        raise UsageProblem(
            _("{path} already exists: complete it, or rename it before a new draft").format(path=display_path(path))
        )
    write_atomic(path, draft_yaml(found, day, "../../../../schemas/decisions.schema.json"))
    typer.echo(str(display_path(path)))
