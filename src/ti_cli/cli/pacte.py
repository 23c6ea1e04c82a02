"""``ti pacte``: the pacte industrie-territoire's yearly cycle — who is due for review, the collective
indicators, the annual review document, each company's fiche d'animation, the interview campaign.

Every command loads the pacte and refuses to go on when it has errors (``load_checked_pacte``).
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Annotated

import typer

from ti_cli.cli.common import AsOf, Force, UsageProblem, load_checked_pacte, today
from ti_cli.cli.render import Output, ReferenceDocx, Templates, To, emit_document
from ti_cli.i18n import _

if TYPE_CHECKING:
    from rich.console import RenderableType

    from ti_cli.compute.pacte import Members
    from ti_cli.model.pacte import Member
    from ti_cli.output.tables import Table


class Format(StrEnum):
    table = "table"
    json = "json"


PacteArg = Annotated[
    str, typer.Argument(metavar=_("PACTE"), help=_("A pacte id under data/pactes/, or the folder holding pacte.yaml."))
]
FormatOpt = Annotated[
    Format,
    typer.Option("--format", "-f", metavar="|".join(Format), help=_("table (for people) or json (for scripts).")),
]

pacte_app = typer.Typer(
    name="pacte",
    help=_("The pacte industrie-territoire: memberships and reviews, collective indicators, documents, interviews."),
    no_args_is_help=True,
)


def register(app: typer.Typer) -> None:
    app.add_typer(pacte_app)


def _print(renderables: list[RenderableType | Table], fmt: Format, data: object) -> None:
    from ti_cli.output.pacte import dumps

    if fmt is Format.json:
        typer.echo(dumps(data), nl=False)
        return
    from rich.console import Console

    from ti_cli.output.tables import Table, print_table

    console = Console(highlight=False, soft_wrap=True)
    for item in renderables:
        if isinstance(item, Table):
            print_table(console, item)
        else:
            console.print(item)


@pacte_app.command(
    "status",
    help=_(
        "Each member's end of membership, last and next review, review overdue, membership ended.\n\n"
        "A review due today is not overdue yet; a membership ends on its anniversary day."
    ),
)
def status(pacte: PacteArg, as_of: AsOf = None, fmt: FormatOpt = Format.table) -> None:
    from ti_cli.compute.pacte import pacte_status
    from ti_cli.output.pacte import status_tables

    day = today(as_of)
    bundle = load_checked_pacte(pacte, day)
    result = pacte_status(bundle.pacte.model, bundle.loaded_members(), day)  # type: ignore[arg-type]  # load_checked_pacte refused a pacte with no model
    _print(status_tables(result) if fmt is Format.table else [], fmt, result.as_json())


@pacte_app.command(
    "stakeholders",
    help=_(
        "The interview campaign (step 1 of the method): progress by typology and priority, who contacts whom, what "
        "is left to do. An interview dated after --as-of counts as not held yet."
    ),
)
def stakeholders(pacte: PacteArg, as_of: AsOf = None, fmt: FormatOpt = Format.table) -> None:
    from ti_cli.compute.pacte import campaign
    from ti_cli.output.pacte import campaign_json, campaign_tables

    day = today(as_of)
    bundle = load_checked_pacte(pacte, day)
    if bundle.stakeholders is None or bundle.stakeholders.model is None:
        raise UsageProblem(
            _("no stakeholders.yaml in {folder}: the file of contacts is step 1 of the method").format(
                folder=bundle.root
            )
        )
    result = campaign(bundle.stakeholders.model, day)
    pacte_id = bundle.pacte.model.id  # type: ignore[union-attr]  # load_checked_pacte refused a pacte with no model
    _print(campaign_tables(pacte_id, result) if fmt is Format.table else [], fmt, campaign_json(pacte_id, result))


@pacte_app.command(
    "report",
    help=_(
        "The annual review of the pacte: per theme, the commitments of both sides and the members who took them, the "
        "collective indicators from members' latest reviews, the committee and its next meeting; memberships and "
        "reviews due."
    ),
)
def report(
    pacte: PacteArg,
    as_of: AsOf = None,
    to: To = None,
    output: Output = None,
    templates: Templates = None,
    reference_docx: ReferenceDocx = None,
    force: Force = False,
) -> None:
    from ti_cli.workflow.documents import pacte_report_document

    day = today(as_of)
    doc = pacte_report_document(load_checked_pacte(pacte, day), day)
    emit_document(doc, to, output, templates, reference_docx, force)


@pacte_app.command(
    "fiche",
    help=_(
        "One company's follow-up sheet (fiche d'animation): its challenges, its contribution, its commitments, its "
        "plan at 1 year and 3 years, its indicators over the reviews (with a small chart)."
    ),
)
def fiche(
    pacte: PacteArg,
    member: Annotated[
        str,
        typer.Argument(
            metavar=_("MEMBER"),
            help=_("The member's file name under members/ (without .yaml), or a part of its company name."),
        ),
    ],
    as_of: AsOf = None,
    to: To = None,
    output: Output = None,
    templates: Templates = None,
    reference_docx: ReferenceDocx = None,
    force: Force = False,
) -> None:
    from ti_cli.workflow.documents import pacte_fiche_document

    day = today(as_of)
    bundle = load_checked_pacte(pacte, day)
    slug, chosen = find_member(bundle.loaded_members(), member)
    doc = pacte_fiche_document(bundle, slug, chosen, day)
    emit_document(doc, to, output, templates, reference_docx, force)


def find_member(members: Members, wanted: str) -> tuple[str, Member]:
    """A member by its file name, else by a part of its company name (case and accents as written)."""
    for slug, m in members:
        if slug == wanted.removesuffix(".yaml"):
            return slug, m
    matches = [(slug, m) for slug, m in members if wanted.casefold() in m.company.casefold()]
    if len(matches) == 1:
        return matches[0]
    if not members:
        raise UsageProblem(_("no member '{wanted}': this pacte has no member yet").format(wanted=wanted))
    known = ", ".join(slug for slug, _member in members)
    if matches:
        raise UsageProblem(
            _("several members match '{wanted}': give one of {known}").format(wanted=wanted, known=known)
        )
    raise UsageProblem(_("no member '{wanted}': give one of {known}").format(wanted=wanted, known=known))
