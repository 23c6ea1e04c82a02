"""``ti avenant CONTRACT --base REF [--head REF]``: the draft of the avenant those changes need."""

from __future__ import annotations

from typing import Annotated

import typer

from ti_cli.cli.common import AsOf, UsageProblem
from ti_cli.cli.diff import Base, ContractArg, Head
from ti_cli.cli.render import OUT, Output, ReferenceDocx, Templates, To, emit, formats_for
from ti_cli.i18n import _


def register(app: typer.Typer) -> None:
    app.command(
        "avenant",
        help=_(
            "Draft the next avenant from the changes since --base: parties, articles, totals, COPIL, annex.\n\n"
            "The avenant's number follows the contract's amendments: the parties concerned, one article per change, "
            "the totals before and after, whether the regional COPIL must validate, the signatures, the updated "
            "annex."
        ),
    )(avenant)


def avenant(
    contract: ContractArg,
    base: Base = None,
    head: Head = None,
    to: To = None,
    output: Output = None,
    templates: Templates = None,
    reference_docx: ReferenceDocx = None,
    force: Annotated[
        bool, typer.Option("--force", help=_("Replace a draft already written there (it may hold your edits)."))
    ] = False,
    as_of: AsOf = None,
) -> None:
    from ti_cli.cli.diff import base_revision, contract_diff, contract_folder
    from ti_cli.output.diff import avenant_context, version
    from ti_cli.render.documents import DocumentError, targets

    base = base_revision(base, contract_folder(contract))
    found = contract_diff(contract, base, head, as_of)
    if found.head.contract.phase2:
        raise UsageProblem(
            _(
                "{plan} is a ti-2023 action plan: it changes by decisions of its governance, not by "
                "avenant — use `ti decisions draft {contract} --base {base}`"
            ).format(plan=found.head.contract.id, contract=contract, base=base)
        )
    if not found.to_sign:
        raise UsageProblem(
            _("nothing to amend: no action of {contract} changed between {base} and {head}").format(
                contract=found.head.contract.id, base=base, head=version(found.head.label)
            )
        )
    name = f"avenant-{found.base.contract.next_amendment:02d}"
    try:
        where = targets("avenant.md.j2", formats_for(to, output), output or OUT, name)
    except DocumentError as exc:
        raise UsageProblem(str(exc)) from exc
    existing = [p for p in where.values() if p.exists()]
    if existing and not force:
        # A draft is meant to be edited: never lose those edits silently.
        raise UsageProblem(_("{path} already exists: use --force to replace it").format(path=existing[0]))
    emit("avenant.md.j2", lambda _figures: avenant_context(found), to, output, templates, name, reference_docx, force)
