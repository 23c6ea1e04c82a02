"""``ti new action CONTRACT --title … --axis … --category …``: the next numbered fiche action, ready to fill.

The file is built from the action schema (every field, commented with what it takes), written through
``loading.writer`` (round-trip YAML, atomic, never over an existing file without ``--force``), then
validated with the rest of the contract so that what ti wrote is known to load. The number is never
one that an action of the contract carried in any committed revision (``vcs.history``): ``ti diff``
and the avenant then see a removal and an addition, not an old action retitled.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from ti_cli.cli.common import ContractArg, UsageProblem, contract_root
from ti_cli.i18n import _
from ti_cli.loading.naming import PREFIX, action_file
from ti_cli.numbers import MAX_ACTION_NUMBER

if TYPE_CHECKING:
    from ti_cli.loading.bundle import ContractBundle
    from ti_cli.vcs.history import PastUse

new = typer.Typer(help=_("Create a file from the schema, ready to fill in."), no_args_is_help=True)

# The modeline the sample's action files carry: schemas/ at the top of the data repo (SPEC §1 layout).
DEFAULT_SCHEMA = "../../../../schemas/action.schema.json"


def register(app: typer.Typer) -> None:
    from ti_cli.cli.new_files import register as register_files
    from ti_cli.cli.plan import register as register_plan

    register_plan(new)
    register_files(new)
    app.add_typer(new, name="new")


MAX_ATTEMPTS = 50


@contextlib.contextmanager
def claim(folder: Path, number: int) -> Iterator[bool]:
    """Hold number ``number`` in ``folder`` while its file is written: an exclusive create (O_EXCL, on
    every OS) of a hidden marker, removed afterwards. Yields whether the claim succeeded."""
    marker = folder / f".ti-claim-{number}"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        os.close(os.open(marker, os.O_CREAT | os.O_EXCL | os.O_WRONLY))
    except FileExistsError:
        yield False
        return
    try:
        yield True
    finally:
        marker.unlink(missing_ok=True)


def _numbered(folder: Path, number: int, mine: Path) -> bool:
    """Whether a file other than ``mine`` in ``folder`` is named for ``number`` (read afresh)."""
    return any(p != mine and (m := PREFIX.match(p.name)) and int(m.group(1)) == number for p in folder.glob("*.y*ml"))


def numbers_in_use(bundle: ContractBundle) -> set[int]:
    """The numbers the work tree's action files hold, read from their contents and from their names (so
    a file that does not load yet still holds its number)."""
    used = {a.number for a in bundle.action_models()}
    return used | {int(m.group(1)) for s in bundle.actions if (m := PREFIX.match(s.path.name))}


def next_number(bundle: ContractBundle, past: Iterable[int] = ()) -> int:
    """One more than the highest number in use in the work tree or in any committed revision (``past``):
    a removed action's number is never given to a new one."""
    return max(numbers_in_use(bundle) | set(past), default=0) + 1


def refuse_past_number(number: int, use: PastUse, free: int) -> UsageProblem:
    """A number only a removed action carried: reused, ``ti diff`` and the avenant would read the new
    action as the old one retitled."""
    return UsageProblem(
        _(
            "number {number} was used before: actions/{file}, in {revision}. A new action takes a new number, so that "
            "ti diff and the avenant show an action removed and an action added: choose --number {free} (free)."
        ).format(number=number, file=use.path.name, revision=use.revision(), free=free)
    )


def modeline_schema(bundle: ContractBundle) -> str:
    """The ``$schema`` the other action files point at, so the new one completes the same way."""
    from ti_cli.loading.writer import MODELINE

    for source in bundle.actions:
        if source.doc is not None and source.doc.text.startswith(MODELINE):
            return source.doc.text.splitlines()[0].removeprefix(MODELINE).strip()
    return DEFAULT_SCHEMA


# The fields of an action the new file leaves out, with the reason (the rest are written, null or empty,
# with a comment saying what they take). tests/test_diff.py fails on a model field in neither.
NOT_WRITTEN: dict[str, str] = {
    "planned_start": "known later, in phase 2: added with the schedule (the schema completes it)",
    "planned_end": "known later: added with the schedule (the schema completes it)",
    "derogation_l1111_10": "rare (a CGCT L1111-10 derogation): added only when the prefect grants one",
    "other_axes": "phase 2 only, optional: the axis given with --axis is the action's own",
    "owner_siret": "only when a company carries the action (Fonds vert axe 3), known when its file is made",
    "indicators": "chosen with the plan's indicators (SPEC §10 catalogue), once the action is defined",
}


def action_document(
    number: int,
    title: str,
    axis: str,
    category: str,
    owner: str | None,
    owner_parties: list[str],
    axes: tuple[str, ...] = ("ATTIRER", "RECRUTER", "INNOVER", "SIMPLIFIER"),
    phase2: bool = False,
) -> Any:
    """The new action as commented round-trip data: every field of SPEC §4, in the sample's order."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    from ti_cli.model.action import Category, Eligibility, Stage

    def flow(items: list[Any]) -> CommentedSeq:
        seq = CommentedSeq(items)
        seq.fa.set_flow_style()
        return seq

    cost = CommentedMap(investment=0, operating=0, total=0)
    doc = CommentedMap()
    doc["number"] = number
    doc["title"] = title
    doc["axis"] = axis
    doc["strategic_axis"] = None
    doc["category"] = category
    doc["owner"] = owner
    doc["owner_parties"] = flow(owner_parties)
    doc["cost"] = cost
    doc["financing"] = flow([])
    doc["description"] = None
    doc["comment"] = None
    # A phase-2 line has a stage (SPEC §10), a phase-1 line an eligibility: each plan reads its own words.
    if phase2:
        line = f"- {{financer: <id>, dispositif: <id>, status: {' | '.join(s.value for s in Stage)}, amount: …}}"
    else:
        line = f"- {{financer: <id>, eligibility: {' | '.join(e.value for e in Eligibility)}, scheme: …, amount: …}}"
    notes = {
        "axis": " | ".join(axes),
        "category": " | ".join(c.value for c in Category),
        "owner": _("maître d'ouvrage, as the contract writes it"),
        "owner_parties": _("party ids of the maître d'ouvrage (contract.yaml)"),
        "cost": _("estimated cost excluding VAT, in euros; total = investment + operating"),
        "financing": line,
        "description": _("the fiche action, in Markdown (use a | block)"),
    }
    for key, note in notes.items():
        # Two spaces before '#', as yamllint expects: the column follows the value as it is written.
        doc.yaml_add_eol_comment(f"# {note}", key, column=len(f"{key}: {_written(doc[key])}".rstrip()) + 2)
    return doc


def _phase2(bundle: ContractBundle) -> bool:
    return bundle.contract.model is not None and bundle.contract.model.phase2


def _written(value: Any) -> str:
    """How a simple value is written on its key's line (a mapping starts on the next line)."""
    if value is None:
        return "null"
    if isinstance(value, dict):
        return ""
    if isinstance(value, list):
        return f"[{', '.join(map(str, value))}]"
    return str(value)


def _choice(value: str, enum: Any, option: str) -> str:
    allowed = [e.value for e in enum]
    if value not in allowed:
        raise UsageProblem(
            _("{option} '{value}' is not allowed: choose one of: {choices}").format(
                option=option, value=value, choices=", ".join(allowed)
            )
        )
    return value


@new.command(
    "action", help=_("Create actions/NN-slug.yaml with the next free number, every field present, then validate it.")
)
def new_action(
    contract: ContractArg,
    title: Annotated[
        str, typer.Option("--title", metavar=_("TITLE"), help=_("The action's title (the file is named after it)."))
    ],
    axis: Annotated[
        str,
        typer.Option(
            "--axis",
            metavar=_("AXIS"),
            help=_(
                "An axis of the contract's programme: ATTIRER, RECRUTER, INNOVER, SIMPLIFIER (ti-2019); TRANSITION, "
                "INNOVATION, COMPETENCES, FONCIER (ti-2023)."
            ),
        ),
    ],
    category: Annotated[
        str, typer.Option("--category", metavar="structurante|amorcage", help=_("The action's category."))
    ],
    owner: Annotated[
        str | None,
        typer.Option(
            "--owner",
            metavar=_("OWNER"),
            help=_("The maître d'ouvrage: a party id of the contract (recorded in owner_parties too) or a name."),
        ),
    ] = None,
    number: Annotated[
        int | None,
        typer.Option(
            "--number",
            min=1,
            max=MAX_ACTION_NUMBER,  # as the model bounds it: a usage error, before anything is written
            metavar=_("NUMBER"),
            help=_(
                "Use this number (default: the next free one); refused when another file holds it or a committed "
                "revision used it."
            ),
        ),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help=_("Overwrite the file if it exists."))] = False,
) -> None:
    from ti_cli.loading.bundle import load_contract
    from ti_cli.loading.source import display_path
    from ti_cli.loading.writer import dump_yaml, write_atomic
    from ti_cli.model.action import Category
    from ti_cli.model.programme import DEFAULT_PROGRAMME, programme
    from ti_cli.output.findings import plain
    from ti_cli.rules import Context, check_contract
    from ti_cli.rules.engine import Report

    if not title.strip():
        raise UsageProblem(_("--title is empty: give the action's title"))
    _choice(category, Category, "--category")
    root = contract_root(contract)
    bundle = load_contract(root)
    model = bundle.contract.model
    axes = programme(model.programme.value if model else DEFAULT_PROGRAMME).axis_codes()
    if axis not in axes:
        raise UsageProblem(
            _("{option} '{value}' is not allowed: choose one of: {choices}").format(
                option="--axis", value=axis, choices=", ".join(axes)
            )
        )
    from ti_cli.vcs.history import past_numbers

    past = past_numbers(root)
    chosen = number
    if number is not None and number in past and number not in numbers_in_use(bundle):
        raise refuse_past_number(number, past[number], next_number(bundle, past))
    number = number or next_number(bundle, past)
    owner_parties: list[str] = []
    party = bundle.contract.model.party(owner) if owner and bundle.contract.model else None
    if party is not None:
        owner, owner_parties = party.name, [party.id]
    for _attempt in range(MAX_ATTEMPTS):
        path = root / "actions" / action_file(number, title)
        holder = next(
            (s for s in bundle.actions if s.model and s.model.number == number and s.path.resolve() != path.resolve()),
            None,
        )
        if holder is not None:
            raise UsageProblem(
                _("action {number} already exists in {path}: choose another --number").format(
                    number=number, path=holder.display
                )
            )
        with claim(root / "actions", number) as free:
            # Another ``ti new action`` running at the same moment may have taken the number: the
            # claim is exclusive, and the folder is read again under it.
            if free and not _numbered(root / "actions", number, path):
                text = dump_yaml(
                    action_document(
                        number, title.strip(), axis, category, owner, owner_parties, axes, phase2=_phase2(bundle)
                    ),
                    schema=modeline_schema(bundle),
                )
                write_atomic(path, text, force=force)
                break
        if chosen is not None:
            raise UsageProblem(
                _("action {number} is being created by another ti: choose another --number").format(number=number)
            )
        number += 1
    else:
        raise UsageProblem(_("no free action number found: try again"))
    typer.echo(_("created {path} (action {number})").format(path=display_path(path), number=number))
    findings = check_contract(load_contract(root), Context(dt.date.today()))
    mine = [f for f in findings if f.file == display_path(path)]
    if mine:
        report = Report(1, mine)
        typer.echo(plain(report), nl=False)
        if report.errors:
            raise typer.Exit(1)
