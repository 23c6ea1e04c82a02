"""``ti export projets CONTRACT|--all --output FILE.csv``: the actions as the « schéma commun des projets
de collectivités » (SPEC §16), for Territoires en Transitions, Mon Espace Collectivité and the others."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ti_cli.cli.common import DATA, AsOf, Force, UsageProblem, check_format, refuse_on_errors, today
from ti_cli.i18n import _, ngettext

FORMATS = ("csv", "json")
# Errors of ti validate that only concern a value the export checks row by row against the schema: the
# action is then left out and named with the field and reason, the other rows written (SPEC §16).
ROW_CHECKED = frozenset({"TI116"})

export_app = typer.Typer(
    name="export",
    help=_("Write the data in the formats of other tools (the schéma commun des projets)."),
    no_args_is_help=True,
)


def register(app: typer.Typer) -> None:
    app.add_typer(export_app)


@export_app.command(
    "projets",
    help=_(
        "One row per action in the 'schéma commun des projets de collectivités' (Territoires en Transitions, "
        "Mon Espace Collectivité): a row the schema would refuse is named with its field and reason, not written."
    ),
)
def export_projets(
    contract: Annotated[
        str | None, typer.Argument(metavar=_("CONTRACT"), help=_("A contract id under data/contracts/, or its folder."))
    ] = None,
    all_contracts: Annotated[bool, typer.Option("--all", help=_("Every contract under data/contracts/."))] = False,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", metavar=_("FILE"), help=_("The file to write (.csv or .json)."))
    ] = None,
    fmt: Annotated[
        str | None,
        typer.Option(
            "--format", "-f", metavar="|".join(FORMATS), help=_("Default: from the extension of --output, else csv.")
        ),
    ] = None,
    as_of: AsOf = None,
    force: Force = False,
) -> None:
    from ti_cli.loading.writer import write_output
    from ti_cli.workflow.checked import checked
    from ti_cli.workflow.exporting import as_csv, as_json, export_projects

    if all_contracts == (contract is not None):
        raise UsageProblem(_("give a contract, or --all for every contract under data/contracts/"))
    if output is None:
        example = f"projets.{fmt if fmt in FORMATS else 'csv'}"
        raise UsageProblem(_("give the file to write with --output (e.g. --output {example})").format(example=example))
    chosen = fmt or ("json" if output.suffix.lower() == ".json" else "csv")
    check_format(chosen, FORMATS)
    day = today(as_of)
    if all_contracts:
        roots = sorted(p.parent for p in (DATA / "contracts").glob("*/contract.yaml"))
        if not roots:
            raise UsageProblem(_("no contract under {folder}/").format(folder=DATA / "contracts"))
    else:
        from ti_cli.cli.common import contract_root

        roots = [contract_root(contract or "")]
    done = [checked("contract", root, day) for root in roots]
    # An error the row check reports itself (a SIRET failing its key) leaves out that row, not the file.
    findings = [f for d in done for f in d.findings if f.code not in ROW_CHECKED]
    refuse_on_errors(findings, sum(d.files for d in done), outcome=_("nothing was written"))
    exported = export_projects([d.bundle for d in done], day)
    for p in exported.problems:
        typer.echo(
            _("{file}: action {number} not exported: {field}: {reason}").format(
                file=p.file, number=p.number, field=p.field, reason=p.reason
            ),
            err=True,
        )
    text = as_json(exported.rows) if chosen == "json" else as_csv(exported.rows)
    write_output(output, text, force=force)
    refused = len({(p.contract, p.number) for p in exported.problems})
    typer.echo(
        ngettext("wrote {path}: {n} project", "wrote {path}: {n} projects", len(exported.rows)).format(
            path=output, n=len(exported.rows)
        )
        + (
            ngettext(" ({k} action left out, above)", " ({k} actions left out, above)", refused).format(k=refused)
            if refused
            else ""
        ),
        err=True,
    )
    if refused:
        raise typer.Exit(1)
