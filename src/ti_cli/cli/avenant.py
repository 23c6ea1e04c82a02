"""``ti avenant CONTRACT --base REF [--head REF]``: the draft of the avenant those changes need."""

from __future__ import annotations

from typing import Annotated

import typer

from ti_cli.cli.common import AsOf, UsageProblem
from ti_cli.cli.diff import Base, ContractArg, Head
from ti_cli.cli.render import OUT, Output, ReferenceDocx, Templates, To, emit, formats_for


def register(app: typer.Typer) -> None:
    app.command("avenant")(avenant)


def avenant(
    contract: ContractArg,
    base: Base,
    head: Head = None,
    to: To = None,
    output: Output = None,
    templates: Templates = None,
    reference_docx: ReferenceDocx = None,
    force: Annotated[bool, typer.Option("--force", help="Replace a draft already written there (it may "
                                        "hold your edits).")] = False,
    as_of: AsOf = None,
) -> None:
    """Draft the next avenant from the changes since REF: parties, articles, totals, COPIL, annex.

    The avenant n° follows the contract's amendments: parties concerned, one article per change,
    totals before and after, whether the regional COPIL must validate, signatures, the updated annex.
    """
    from ti_cli.cli.diff import contract_diff
    from ti_cli.output.diff import avenant_context
    from ti_cli.render.documents import DocumentError, targets

    found = contract_diff(contract, base, head, as_of)
    if found.head.contract.phase2:
        raise UsageProblem(f"{found.head.contract.id} est un plan d'actions ti-2023 : il évolue par décisions de sa "
                           f"gouvernance, pas par avenant — utilisez `ti decisions draft {contract} --base {base}`")
    if not found.to_sign:
        raise UsageProblem(f"nothing to amend: no action of {found.head.contract.id} changed between {base} and "
                           f"{found.head.label}")
    name = f"avenant-{found.base.contract.next_amendment:02d}"
    try:
        where = targets("avenant.md.j2", formats_for(to, output), output or OUT, name)
    except DocumentError as exc:
        raise UsageProblem(str(exc)) from exc
    existing = [p for p in where.values() if p.exists()]
    if existing and not force:
        # A draft is meant to be edited: never lose those edits silently.
        raise UsageProblem(f"{existing[0]} already exists: use --force to replace it")
    emit("avenant.md.j2", lambda _: avenant_context(found), to, output, templates, name, reference_docx, force)
