"""``ti decisions draft CONTRACT --base REF``: the draft relevé de décisions of a phase-2 plan (SPEC §10).

A ``ti-2023`` plan changes by decisions of its governance rather than by avenant: from the changes since
REF, one proposed decision per action added, removed or modified, written as a new ``decisions/`` file
to complete (never over an existing one) and as a document; ``--format json`` writes nothing.
"""

from __future__ import annotations

import json
from typing import Annotated

import typer

from ti_cli.cli.common import AsOf, UsageProblem, today
from ti_cli.cli.diff import Base, ContractArg, Head
from ti_cli.cli.render import Output, Templates, To, emit

decisions_app = typer.Typer(name="decisions", help="Phase 2: the governance's decisions on the plan d'actions.",
                            no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.add_typer(decisions_app)


@decisions_app.command("draft")
def draft(
    contract: ContractArg,
    base: Base,
    head: Head = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="document (the decisions/ file and the document) "
                                     "| json (printed, nothing written).")] = "document",
    to: To = None,
    output: Output = None,
    templates: Templates = None,
    as_of: AsOf = None,
) -> None:
    """Draft the next relevé de décisions from the changes since REF: one decision per action added,
    removed or modified, with the money deltas (ti-2023 plans; ti-2019 contracts use ti avenant)."""
    from ti_cli.cli.diff import contract_diff
    from ti_cli.output import decisions as out

    if fmt not in ("document", "json"):
        raise UsageProblem(f"format inconnu '{fmt}' : choisissez document ou json")
    found = contract_diff(contract, base, head, as_of)
    plan = found.head.contract
    if not plan.phase2:
        raise UsageProblem(f"{plan.id} relève du programme {plan.programme.value} : ses changements passent par "
                           f"avenant — utilisez `ti avenant {contract} --base {base}`")
    if fmt == "json":
        typer.echo(json.dumps(out.as_json(found), ensure_ascii=False, indent=2))
        return
    if not found.to_sign:
        raise UsageProblem(f"rien à décider : aucune action de {plan.id} n'a changé entre {base} et "
                           f"{found.head.label}")
    write_draft(contract, found, today(as_of))
    name = f"releve-decisions-{today(as_of).isoformat()}"
    emit("decisions.md.j2", lambda _: out.document_context(found, today(as_of)), to, output, templates, name)


def write_draft(contract: str, found, day) -> None:  # type: ignore[no-untyped-def]
    """The new ``decisions/YYYY-MM-DD-projet-releve.yaml``, never over an existing file."""
    from ti_cli.cli.diff import contract_folder
    from ti_cli.loading.source import display_path
    from ti_cli.loading.writer import dump_yaml, write_atomic
    from ti_cli.output.decisions import decisions_file

    path = contract_folder(contract) / "decisions" / f"{day.isoformat()}-projet-releve.yaml"
    if path.exists():
        raise UsageProblem(f"{display_path(path)} existe déjà : complétez-le, ou renommez-le avant un nouveau projet")
    write_atomic(path, dump_yaml(decisions_file(found, day), schema="../../../../schemas/decisions.schema.json"))
    typer.echo(str(display_path(path)))
