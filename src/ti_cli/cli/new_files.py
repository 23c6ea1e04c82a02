"""The rest of the year from ``ti new``: the quarter's progress file, a relevé de décisions, a pacte
member, the pacte's stakeholders file — each ready to fill, valid as written.

Like ``ti new action``: round-trip YAML with comments and the ``# yaml-language-server`` modeline,
written through ``loading.writer`` (atomic, never over an existing file without ``--force``), then
checked with the rules of its contract or pacte; the findings on the new file are printed, and an error
exits 1 (warnings are what remains to fill in).
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from ti_cli.cli.common import ContractArg, UsageProblem, contract_root, pacte_root
from ti_cli.i18n import N_, _

if TYPE_CHECKING:
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    from ti_cli.loading.bundle import ContractBundle

# The modelines of the sample's files: schemas/ at the top of the data repository (SPEC §1 layout).
SCHEMAS = {
    "progress": "../../../../schemas/progress.schema.json",
    "decisions": "../../../../schemas/decisions.schema.json",
    "member": "../../../../schemas/member.schema.json",
    "stakeholders": "../../../schemas/stakeholders.schema.json",
}
QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")

PacteArg = Annotated[str, typer.Argument(metavar=_("PACTE"), help=_("A pacte id under data/pactes/, or its folder."))]
Force = Annotated[bool, typer.Option("--force", help=_("Overwrite the file if it exists."))]


def register(group: typer.Typer) -> None:
    group.command("progress", help=_("Create progress/YYYY-QN.yaml: every action with its last known status."))(
        new_progress
    )
    group.command("decisions", help=_("Create a relevé de décisions (decisions/YYYY-MM-DD-body.yaml) to fill in."))(
        new_decisions
    )
    group.command("member", help=_("Create a pacte member's file (members/slug.yaml), ready to fill in."))(new_member)
    group.command("stakeholders", help=_("Create the pacte's stakeholders.yaml, ready to fill in."))(new_stakeholders)


# -- helpers ----------------------------------------------------------------------------------------------


def current_quarter(day: dt.date) -> str:
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def _flow(items: list[Any]) -> CommentedSeq:
    from ruamel.yaml.comments import CommentedSeq

    seq = CommentedSeq(items)
    seq.fa.set_flow_style()
    return seq


def _flow_map(**items: Any) -> CommentedMap:
    from ruamel.yaml.comments import CommentedMap

    mapping = CommentedMap(**items)
    mapping.fa.set_flow_style()
    return mapping


def _note(doc: CommentedMap, key: str, note: str, written: str, indent: int = 0) -> None:
    """``# note`` after ``key: written`` (two spaces before '#', as yamllint expects); ``indent`` is the
    key's column (4 in an item of a list)."""
    doc.yaml_add_eol_comment(f"# {note}", key, column=indent + len(f"{key}: {written}".rstrip()) + 2)


def _write(path: Path, doc: Any, schema: str, force: bool) -> None:
    from ti_cli.loading.source import display_path
    from ti_cli.loading.writer import dump_yaml, write_atomic

    write_atomic(path, dump_yaml(doc, schema=schema), force=force)
    typer.echo(_("created {path}").format(path=display_path(path)))


def _report(findings: list[Any], path: Path) -> None:
    """The findings on the new file; an error (ti wrote something its rules refuse) exits 1."""
    from ti_cli.loading.source import display_path
    from ti_cli.output.findings import plain
    from ti_cli.rules.engine import Report

    mine = [f for f in findings if Path(f.file) == display_path(path)]
    if mine:
        report = Report(1, mine)
        typer.echo(plain(report), nl=False)
        if report.errors:
            raise typer.Exit(1)


def _check_contract(root: Path, path: Path) -> None:
    from ti_cli.loading.bundle import load_contract
    from ti_cli.rules import Context, check_contract

    _report(check_contract(load_contract(root), Context(dt.date.today())), path)


def _check_pacte(root: Path, path: Path) -> None:
    from ti_cli.loading.bundle import load_pacte
    from ti_cli.rules import Context, check_pacte

    _report(check_pacte(load_pacte(root), Context(dt.date.today())), path)


def _refuse_existing(path: Path, force: bool) -> None:
    from ti_cli.loading.source import display_path

    if path.exists() and not force:
        raise UsageProblem(_("{path} already exists: use --force to overwrite it").format(path=display_path(path)))


# -- ti new progress --------------------------------------------------------------------------------------


def progress_document(bundle: ContractBundle, quarter: str, day: dt.date) -> CommentedMap:
    """The quarter's report: every action of the contract, as the latest earlier quarter left it."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    from ti_cli.model.progress import Status

    last: dict[int, Any] = {}
    for _source, report in sorted(bundle.valid_progress(), key=lambda pair: pair[1].quarter):
        if report.quarter < quarter:
            for entry in report.actions:
                last[entry.number] = entry
    doc = CommentedMap()
    doc["quarter"] = quarter
    doc["reported_on"] = day
    actions = CommentedSeq()
    for action in sorted(bundle.action_models(), key=lambda a: a.number):
        before = last.get(action.number)
        item = CommentedMap()
        item["number"] = action.number
        item["status"] = before.status.value if before else Status.a_lancer.value
        item["progress"] = before.progress if before else 0
        item["spent"] = _flow_map(
            investment=before.spent.investment if before else 0, operating=before.spent.operating if before else 0
        )
        if before and before.milestones:
            item["milestones"] = CommentedSeq(
                _flow_map(date=m.date, label=m.label, done=m.done) for m in before.milestones
            )
        if before and before.completion_report:
            item["completion_report"] = before.completion_report.model_dump(mode="json", exclude_none=True)
        item["comment"] = None
        item.yaml_set_start_comment(action.title, indent=2)
        actions.append(item)
    doc["actions"] = actions
    if actions:
        first = actions[0]
        _note(first, "status", " | ".join(s.value for s in Status), first["status"], indent=4)
        _note(first, "progress", _("percent, 0 to 100"), str(first["progress"]), indent=4)
        spent = first["spent"]
        written = f"{{investment: {spent['investment']}, operating: {spent['operating']}}}"
        _note(first, "spent", _("cumulative, realised, in euros excluding VAT"), written, indent=4)
    return doc


def new_progress(
    contract: ContractArg,
    quarter: Annotated[
        str | None,
        typer.Option("--quarter", metavar="YYYY-QN", help=_("The quarter (default: the current one).")),
    ] = None,
    force: Force = False,
) -> None:
    """Create progress/YYYY-QN.yaml: every action with its last known status."""
    from ti_cli.loading.bundle import load_contract

    day = dt.date.today()
    quarter = quarter or current_quarter(day)
    if not QUARTER.match(quarter):
        raise UsageProblem(
            _("--quarter '{value}' is not a quarter: write it YYYY-QN, e.g. 2026-Q3").format(value=quarter)
        )
    root = contract_root(contract)
    path = root / "progress" / f"{quarter}.yaml"
    _refuse_existing(path, force)
    _write(path, progress_document(load_contract(root), quarter, day), SCHEMAS["progress"], force)
    _check_contract(root, path)


# -- ti new decisions -------------------------------------------------------------------------------------


def decisions_document(day: dt.date, body: str) -> CommentedMap:
    from ruamel.yaml.comments import CommentedMap

    from ti_cli import french
    from ti_cli.model.decision import Kind, Opinion
    from ti_cli.model.programme import BODY_LABELS

    doc = CommentedMap()
    doc["date"] = day
    doc["body"] = body
    # The title is the document's, in French like every document ti writes.
    doc["title"] = f"{BODY_LABELS[body][0].upper()}{BODY_LABELS[body][1:]} du {french.date_long(day)}"
    doc["present"] = _flow([])
    doc["decisions"] = _flow([])
    _note(doc, "present", _("who attended: names, as the minutes write them"), "[]")
    _note(
        doc,
        "decisions",
        f"- {{action: N, kind: {' | '.join(k.value for k in Kind)}, summary: …}}; "
        + _("opinion: {opinions} for avis-fonds-vert").format(opinions=" | ".join(o.value for o in Opinion)),
        "[]",
    )
    return doc


def new_decisions(
    contract: ContractArg,
    date: Annotated[
        dt.datetime,
        typer.Option("--date", formats=["%Y-%m-%d"], metavar="YYYY-MM-DD", help=_("The meeting's date.")),
    ],
    body: Annotated[
        str,
        typer.Option(
            "--body",
            metavar="copil-local|copil-regional|comite-de-projets|autre",
            help=_("The body that met."),
        ),
    ],
    force: Force = False,
) -> None:
    """Create a relevé de décisions to fill in (ti-2023 plans)."""
    from ti_cli.loading.bundle import load_contract
    from ti_cli.model.decision import Body

    allowed = [b.value for b in Body]
    if body not in allowed:
        raise UsageProblem(
            _("{option} '{value}' is not allowed: choose one of: {choices}").format(
                option="--body", value=body, choices=", ".join(allowed)
            )
        )
    root = contract_root(contract)
    model = load_contract(root).contract.model
    if model is not None and not model.phase2:
        raise UsageProblem(
            _(
                "{contract} belongs to the {programme} programme: its changes go through an avenant (ti avenant), "
                "not a relevé de décisions"
            ).format(contract=model.id, programme=model.programme.value)
        )
    day = date.date()
    path = root / "decisions" / f"{day.isoformat()}-{body}.yaml"
    _refuse_existing(path, force)
    _write(path, decisions_document(day, body), SCHEMAS["decisions"], force)
    _check_contract(root, path)


# -- ti new member ----------------------------------------------------------------------------------------


def member_document(company: str, size: str, joined_on: dt.date, commitments: list[str]) -> CommentedMap:
    from ruamel.yaml.comments import CommentedMap

    from ti_cli.model.pacte import Size

    doc = CommentedMap()
    doc["company"] = company
    doc["siret"] = None
    doc["size"] = size
    doc["sector"] = None
    doc["joined_on"] = joined_on
    doc["challenges"] = _flow([])
    doc["contribution"] = _flow([])
    doc["commitments"] = _flow([])
    doc["plan"] = CommentedMap(one_year=_flow([]), three_years=_flow([]))
    doc["reviews"] = _flow([])
    _note(doc, "siret", _("14 digits, in quotes"), "null")
    _note(doc, "size", " | ".join(s.value for s in Size), size)
    _note(doc, "challenges", _("the company's challenges, one line each"), "[]")
    _note(doc, "contribution", _("what the company brings to the territory, one line each"), "[]")
    choices = ", ".join(commitments) if commitments else "…"
    _note(doc, "commitments", _("ids of the pacte's company-side commitments: {ids}").format(ids=choices), "[]")
    _note(doc, "reviews", "- {date: YYYY-MM-DD, indicators: {<id>: …}, notes: …}", "[]")
    return doc


def new_member(
    pacte: PacteArg,
    company: Annotated[
        str, typer.Option("--company", metavar=_("NAME"), help=_("The company's name (the file is named after it)."))
    ],
    size: Annotated[str, typer.Option("--size", metavar="micro|pme|eti|ge", help=_("The company's size."))] = "pme",
    joined_on: Annotated[
        dt.datetime | None,
        typer.Option(
            "--joined-on", formats=["%Y-%m-%d"], metavar="YYYY-MM-DD", help=_("Date of joining (default: today).")
        ),
    ] = None,
    force: Force = False,
) -> None:
    """Create a pacte member's file, ready to fill in."""
    from ti_cli.loading.bundle import load_pacte
    from ti_cli.loading.naming import slug
    from ti_cli.model.pacte import Side, Size

    if not company.strip():
        raise UsageProblem(_("--company is empty: give the company's name"))
    allowed = [s.value for s in Size]
    if size not in allowed:
        raise UsageProblem(
            _("{option} '{value}' is not allowed: choose one of: {choices}").format(
                option="--size", value=size, choices=", ".join(allowed)
            )
        )
    root = pacte_root(pacte)
    model = load_pacte(root).pacte.model
    commitments = [
        c.id for theme in (model.themes if model else []) for c in theme.commitments if c.side is Side.entreprise
    ]
    path = root / "members" / f"{slug(company)}.yaml"
    _refuse_existing(path, force)
    day = joined_on.date() if joined_on else dt.date.today()
    _write(path, member_document(company.strip(), size, day, commitments), SCHEMAS["member"], force)
    _check_pacte(root, path)


# -- ti new stakeholders ----------------------------------------------------------------------------------

# The five categories of actors of the ANCT guide's step 1 (« Définition des engagements »).
TYPOLOGIES = (
    N_("Local authorities"),
    N_("State services and operators"),
    N_("Companies"),
    N_("Civil society"),
    N_("Partners of the pacte"),
)


def stakeholders_document() -> CommentedMap:
    """One line per typology of the ANCT guide's step 1, each to copy for every actor to contact."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    from ti_cli.model.pacte import ContactStatus, Priority

    contacts = CommentedSeq()
    for typology in TYPOLOGIES:
        contact = CommentedMap()
        contact["typology"] = _(typology)
        contact["entity"] = _("(to fill in)")
        contact["last_name"] = ""
        contact["first_name"] = ""
        contact["priority"] = Priority.souhaitable.value
        contact["contact_owner"] = None
        contact["status"] = ContactStatus.a_contacter.value
        contact["interview_on"] = None
        contacts.append(contact)
    first = contacts[0]
    _note(first, "entity", _("the organisation to contact"), first["entity"], indent=4)
    _note(first, "priority", " | ".join(p.value for p in Priority), first["priority"], indent=4)
    _note(first, "contact_owner", _("who on the team contacts them"), "null", indent=4)
    _note(first, "status", " | ".join(s.value for s in ContactStatus), first["status"], indent=4)
    _note(first, "interview_on", "YYYY-MM-DD", "null", indent=4)
    return CommentedMap(contacts=contacts)


def new_stakeholders(pacte: PacteArg, force: Force = False) -> None:
    """Create the pacte's stakeholders.yaml, ready to fill in."""
    root = pacte_root(pacte)
    path = root / "stakeholders.yaml"
    _refuse_existing(path, force)
    _write(path, stakeholders_document(), SCHEMAS["stakeholders"], force)
    _check_pacte(root, path)
