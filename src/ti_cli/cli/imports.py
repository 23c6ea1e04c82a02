"""``ti import xlsx FILE --contract ID``: action files bootstrapped or updated from a tableau des actions."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ti_cli.cli.common import AsOf, UsageProblem, load_checked_contract, refuse_on_errors, today

import_app = typer.Typer(name="import", help="Bring data in from other tools (a tableau des actions in Excel).",
                         no_args_is_help=True)


NOTHING_WRITTEN = "nothing was written"


def register(app: typer.Typer) -> None:
    app.add_typer(import_app)


@import_app.command("xlsx")
def import_xlsx(
    file: Annotated[Path, typer.Argument(help="The .xlsx tableau des actions (ti's export, or one with its headers).")],
    contract: Annotated[str, typer.Option(
        "--contract", "-c", help="Contract id under data/contracts/, or its folder.")],
    dry_run: Annotated[bool, typer.Option("--dry-run", "-n", help="Show what would change; write nothing.")] = False,
    force: Annotated[bool, typer.Option(
        "--force", help="Overwrite a file that is in the way of a new action's file.")] = False,
    as_of: AsOf = None,
) -> None:
    """Create or update actions/NN-slug.yaml from the sheet's rows. Existing actions are edited in place
    (comments and description kept); nothing is written when a row cannot be read or the result would
    not validate."""
    from ti_cli.loading.importer import check_plan, plan_import
    from ti_cli.loading.xlsx import read_actions

    if not file.is_file():
        raise UsageProblem(f"{file}: no such file")
    bundle = load_checked_contract(contract, as_of)
    sheet = read_actions(file, bundle.contract.model)  # type: ignore[arg-type]
    refuse_on_errors(sheet.findings, 1, show_source=False, outcome=NOTHING_WRITTEN)
    plan = plan_import(sheet, bundle, force=force)
    refuse_on_errors(plan.findings, 1, show_source=False, outcome=NOTHING_WRITTEN)
    future = check_plan(plan, bundle, today(as_of))
    refuse_on_errors(future, len(plan.changes) or 1, show_source=False,
                     outcome=f"{NOTHING_WRITTEN} (the findings are about the files as the import would write them)")
    report(plan, dry_run)
    if dry_run:
        return
    from ti_cli.loading.writer import write_atomic

    for change in plan.changes:
        # An in-place update replaces the action's own file; a new file never replaces another
        # without --force (plan_import refused that already).
        write_atomic(change.path, change.after, force=change.before is not None or force)


def report(plan, dry_run: bool) -> None:  # type: ignore[no-untyped-def]
    import difflib

    from ti_cli.loading.source import display_path

    verb = ("would create", "would update") if dry_run else ("created", "updated")
    for change in plan.changes:
        shown = display_path(change.path)
        typer.echo(f"{verb[0] if change.before is None else verb[1]} {shown} (action {change.number})")
        if dry_run:
            before = (change.before or "").splitlines(keepends=True)
            diff = difflib.unified_diff(before, change.after.splitlines(keepends=True),
                                        "/dev/null" if change.before is None else f"a/{shown}", f"b/{shown}")
            typer.echo("".join(diff), nl=False)
    if not plan.changes and not plan.unchanged:
        typer.echo("no action on the sheet: nothing to import")
    if plan.unchanged:
        typer.echo(f"unchanged: action{'s' if len(plan.unchanged) > 1 else ''} "
                   f"{', '.join(map(str, plan.unchanged))}")
    if plan.not_in_sheet:
        typer.echo(f"not in the sheet, left as they are: action{'s' if len(plan.not_in_sheet) > 1 else ''} "
                   f"{', '.join(map(str, plan.not_in_sheet))}")
