"""``ti new plan ID --from CONTRACT``: a phase-2 plan (``ti-2023``) started from a phase-1 contract.

Parties, financers and governance are copied; the unfinished actions (latest progress status neither
``termine`` nor ``abandonne``) are carried with their figures, their axis left to choose (``A_CHOISIR``,
a validation error TI110 until the chef de projet picks one of the four axes of 2023). Everything goes
through the round-trip writer, so the comments of the phase-1 files are kept.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any

import typer

from ti_cli.cli.common import UsageProblem, contract_root
from ti_cli.i18n import _, ngettext

PHASE2_PERIOD = (dt.date(2023, 11, 9), dt.date(2027, 12, 31))  # labelled 9 Nov 2023, for 2023-2027
DONE = ("termine", "abandonne")
SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


def with_note(text: str, note: str) -> str:
    """``# note`` at the top of the file, after the editor's schema modeline (which must stay first)."""
    from ti_cli.loading.writer import MODELINE

    first, _newline, rest = text.partition("\n")
    return f"{first}\n# {note}\n{rest}" if first.startswith(MODELINE) else f"# {note}\n{text}"


def contract_data(text: str, plan_id: str, title: str | None) -> tuple[Any, str]:
    """The phase-1 ``contract.yaml`` turned into the plan's: new id, programme, period, status."""
    from ti_cli.loading.writer import load_rt

    data = load_rt(text)
    source = data["id"]
    data["id"] = plan_id
    data["title"] = title or f"Plan d'actions {str(data['title']).removeprefix('Contrat ')} (2023-2027)"
    keys = list(data)
    data.insert(keys.index("region") + 1 if "region" in keys else len(keys), "programme", "ti-2023")
    data["period"] = {"start": PHASE2_PERIOD[0], "end": PHASE2_PERIOD[1]}
    data["status"] = "projet"
    if "signed_on" in data:
        data["signed_on"] = None
    data["amendments"] = []  # a phase-2 plan changes by decisions (decisions/), not by avenant
    return data, f"Repris du contrat {source} (phase 1) par `ti new plan` : parties, financeurs et gouvernance copiés."


def action_data(text: str, axes: tuple[str, ...]) -> Any:
    from ti_cli.loading.writer import load_rt
    from ti_cli.model.programme import AXIS_TO_CHOOSE

    data = load_rt(text)
    was = data.get("axis")
    data["axis"] = AXIS_TO_CHOOSE
    data.yaml_add_eol_comment(f"# à choisir : {' | '.join(axes)} (phase 1 : {was})", "axis")
    return data


def register(group: typer.Typer) -> None:
    """``ti new plan``, on the group of ``ti new`` (which imports this module; this one imports none back)."""
    group.command(
        "plan",
        help=_(
            "Start a phase-2 plan (ti-2023) from a phase-1 contract: parties, financers and governance copied, "
            "unfinished actions carried over with their figures and an axis to choose."
        ),
    )(new_plan)


def new_plan(
    plan_id: Annotated[
        str, typer.Argument(metavar=_("ID"), help=_("The new plan's id (its folder's name), e.g. rochefort-2023."))
    ],
    source: Annotated[
        str, typer.Option("--from", metavar=_("CONTRACT"), help=_("The phase-1 contract to start from."))
    ],
    title: Annotated[
        str | None,
        typer.Option("--title", metavar=_("TITLE"), help=_("The plan's title (default: from the contract's).")),
    ] = None,
) -> None:
    from ti_cli.loading.bundle import load_contract
    from ti_cli.loading.source import display_path
    from ti_cli.loading.writer import dump_yaml, write_atomic
    from ti_cli.model.programme import PROGRAMMES
    from ti_cli.output.findings import plain
    from ti_cli.rules import Context, check_contract
    from ti_cli.rules.engine import Report

    if not SLUG.fullmatch(plan_id):
        raise UsageProblem(
            _("id '{id}': lowercase letters, digits and hyphens, like rochefort-2023").format(id=plan_id)
        )
    root = contract_root(source)
    bundle = load_contract(root)
    contract = bundle.contract.model
    if contract is None:
        raise UsageProblem(
            _("{file} does not load: fix it first (ti validate)").format(file=display_path(root / "contract.yaml"))
        )
    if contract.phase2:
        raise UsageProblem(_("{contract} is already a ti-2023 plan").format(contract=contract.id))
    target = root.parent / plan_id
    if target.exists():
        raise UsageProblem(_("{folder} already exists").format(folder=display_path(target)))
    statuses: dict[int, str] = {}
    for _source, report in bundle.valid_progress():
        for entry in report.actions:
            statuses[entry.number] = entry.status.value
    axes = PROGRAMMES["ti-2023"].axis_codes()
    data, note = contract_data((root / "contract.yaml").read_text(encoding="utf-8"), plan_id, title)
    write_atomic(target / "contract.yaml", with_note(dump_yaml(data), note))
    carried = []
    for src, action in bundle.valid_actions():
        if statuses.get(action.number) in DONE:
            continue
        text = src.path.read_text(encoding="utf-8")
        write_atomic(
            target / "actions" / src.path.name,
            with_note(
                dump_yaml(action_data(text, axes)),
                f"Action reprise du contrat {contract.id} (phase 1), avec ses montants : choisissez son axe.",
            ),
        )
        carried.append(action.number)
    typer.echo(carried_over(display_path(target), carried))
    findings = check_contract(load_contract(target), Context(dt.date.today()))
    if findings:
        typer.echo(plain(Report(len(carried) + 1, findings)), nl=False)


def carried_over(target: object, carried: list[int]) -> str:
    """The line that says where the plan is and which actions now wait for their axis."""
    if not carried:
        return _("created {folder}: no action carried over (all finished or abandoned)").format(folder=target)
    return ngettext(
        "created {folder}: {n} action carried over ({numbers}); choose its axis",
        "created {folder}: {n} actions carried over ({numbers}); choose the axis of each",
        len(carried),
    ).format(folder=target, n=len(carried), numbers=", ".join(map(str, carried)))
