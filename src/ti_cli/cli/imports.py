"""``ti import xlsx FILE --contract ID``: action files bootstrapped or updated from a tableau des actions."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ti_cli.cli.common import AsOf, UsageProblem, load_checked_contract, refuse_on_errors, today
from ti_cli.i18n import _, ngettext

import_app = typer.Typer(
    name="import", help=_("Bring data in from other tools (a tableau des actions in Excel)."), no_args_is_help=True
)


def register(app: typer.Typer) -> None:
    app.add_typer(import_app)


@import_app.command(
    "xlsx",
    help=_(
        "Create or update actions/NN-slug.yaml from the sheet's rows. Existing actions are edited in place (comments "
        "and description kept); nothing is written when a row cannot be read or the result would not validate."
    ),
)
def import_xlsx(
    file: Annotated[
        Path,
        typer.Argument(
            metavar=_("FILE"), help=_("The .xlsx tableau des actions (ti's export, or one with its headers).")
        ),
    ],
    contract: Annotated[
        str,
        typer.Option(
            "--contract", "-c", metavar=_("CONTRACT"), help=_("A contract id under data/contracts/, or its folder.")
        ),
    ],
    dry_run: Annotated[bool, typer.Option("--dry-run", "-n", help=_("Show what would change; write nothing."))] = False,
    force: Annotated[
        bool, typer.Option("--force", help=_("Overwrite a file that is in the way of a new action's file."))
    ] = False,
    axis_map: Annotated[
        Path | None,
        typer.Option(
            "--axis-map",
            metavar=_("FILE.yaml"),
            help=_(
                "A plan from Territoires en Transitions: a YAML file mapping its headings to the programme's axes, "
                'one line each: "heading": AXIS.'
            ),
        ),
    ] = None,
    add_financers: Annotated[
        bool,
        typer.Option(
            "--add-financers",
            help=_("A plan from Territoires en Transitions: add its unknown financers to contract.yaml."),
        ),
    ] = False,
    partial: Annotated[
        bool,
        typer.Option(
            "--partial",
            help=_(
                "A plan from Territoires en Transitions: import the known columns even when others are not "
                "the template's."
            ),
        ),
    ] = False,
    as_of: AsOf = None,
) -> None:
    from ti_cli.loading.tet import looks_like_tet
    from ti_cli.loading.xlsx import read_actions
    from ti_cli.workflow.importing import check_plan, plan_import

    if file.is_dir():
        raise UsageProblem(_("{path} is a folder: give the spreadsheet's file (.xlsx)").format(path=file))
    if not file.is_file():
        raise UsageProblem(_("{path}: no such file").format(path=file))
    bundle = load_checked_contract(contract, as_of)
    if looks_like_tet(file):
        import_tet(file, bundle, today(as_of), axis_map, add_financers=add_financers, partial=partial, dry_run=dry_run)
        return
    if axis_map is not None or add_financers or partial:
        raise UsageProblem(
            _("--axis-map, --add-financers and --partial go with a plan from Territoires en Transitions")
        )
    sheet = read_actions(file, bundle.contract.model)  # type: ignore[arg-type]  # load_checked_contract refused a contract with no model
    refuse_on_errors(sheet.findings, 1, show_source=False, outcome=_("nothing was written"))
    plan = plan_import(sheet, bundle, force=force)
    refuse_on_errors(plan.findings, 1, show_source=False, outcome=_("nothing was written"))
    future = check_plan(plan, bundle, today(as_of))
    refuse_on_errors(
        future,
        len(plan.changes) or 1,
        show_source=False,
        outcome=_("nothing was written (the findings are about the files as the import would write them)"),
    )
    report(plan, dry_run)
    if dry_run:
        return
    from ti_cli.loading.writer import write_atomic

    for change in plan.changes:
        # An in-place update replaces the action's own file; a new file never replaces another
        # without --force (plan_import refused that already).
        write_atomic(change.path, change.after, force=change.before is not None or force)


def report(plan, dry_run: bool) -> None:  # type: ignore[no-untyped-def]  # plan: loading.importer's Plan; typing it adds an import across packages
    import difflib

    from ti_cli.loading.source import display_path

    for change in plan.changes:
        shown = display_path(change.path)
        if dry_run:
            line = (
                _("would create {path} (action {number})")
                if change.before is None
                else _("would update {path} (action {number})")
            )
        else:
            line = (
                _("created {path} (action {number})")
                if change.before is None
                else _("updated {path} (action {number})")
            )
        typer.echo(line.format(path=shown, number=change.number))
        if dry_run:
            before = (change.before or "").splitlines(keepends=True)
            diff = difflib.unified_diff(
                before,
                change.after.splitlines(keepends=True),
                "/dev/null" if change.before is None else f"a/{shown}",
                f"b/{shown}",
            )
            typer.echo("".join(diff), nl=False)
    if not plan.changes and not plan.unchanged:
        typer.echo(_("no action on the sheet: nothing to import"))
    if plan.unchanged:
        typer.echo(
            ngettext("unchanged: action {numbers}", "unchanged: actions {numbers}", len(plan.unchanged)).format(
                numbers=", ".join(map(str, plan.unchanged))
            )
        )
    if plan.not_in_sheet:
        typer.echo(
            ngettext(
                "not in the sheet, left as it is: action {numbers}",
                "not in the sheet, left as they are: actions {numbers}",
                len(plan.not_in_sheet),
            ).format(numbers=", ".join(map(str, plan.not_in_sheet)))
        )


def import_tet(  # type: ignore[no-untyped-def]  # bundle: a ContractBundle; typing it adds an import across packages
    file: Path, bundle, day, axis_map: Path | None, *, add_financers: bool, partial: bool, dry_run: bool
) -> None:
    """A plan written in Territoires en Transitions' import template (SPEC §16)."""
    import difflib

    from ti_cli.loading.source import display_path
    from ti_cli.loading.tet import read_tet
    from ti_cli.loading.writer import write_atomic
    from ti_cli.workflow.tet import check_tet, plan_tet, read_axis_map

    mapping = read_axis_map(axis_map) if axis_map is not None else {}
    sheet = read_tet(file)
    refuse_on_errors(sheet.findings, 1, show_source=False, outcome=_("nothing was written"))
    plan = plan_tet(sheet, bundle, day, axis_map=mapping, add_financers=add_financers, partial=partial)
    refuse_on_errors(plan.findings, 1, show_source=False, outcome=_("nothing was written"))
    future = check_tet(plan, bundle, day)
    refuse_on_errors(
        future,
        len(plan.changes) or 1,
        show_source=False,
        outcome=_("nothing was written (the findings are about the files as the import would write them)"),
    )
    typer.echo(
        ngettext(
            "a plan from Territoires en Transitions: {n} fiche",
            "a plan from Territoires en Transitions: {n} fiches",
            len(sheet.rows),
        ).format(n=len(sheet.rows))
    )
    for change in plan.changes:
        shown = display_path(change.path)
        what = _("action {number}").format(number=change.number) if change.number else change.path.name
        if dry_run:
            line = _("would create {path} ({what})") if change.before is None else _("would update {path} ({what})")
        else:
            line = _("created {path} ({what})") if change.before is None else _("updated {path} ({what})")
        typer.echo(line.format(path=shown, what=what))
        if dry_run:
            diff = difflib.unified_diff(
                (change.before or "").splitlines(keepends=True),
                change.after.splitlines(keepends=True),
                "/dev/null" if change.before is None else f"a/{shown}",
                f"b/{shown}",
            )
            typer.echo("".join(diff), nl=False)
    for row, number in plan.skipped:
        typer.echo(
            _("row {row}: already in the contract as action {number} (same title), left as it is").format(
                row=row, number=number
            )
        )
    for note in plan.notes:
        typer.echo(note)
    if dry_run:
        return
    for change in plan.changes:
        write_atomic(change.path, change.after, force=change.before is not None)
