"""From Territoires en Transitions' template to a contract's files (SPEC §16): one new action per fiche,
its budget, its financers matched to the contract's, at the most prudent stage; its status in the
progress file of the current quarter. Nothing is written unless every row can be placed and the
contract, as it would be, has no error — as for ti's own spreadsheet (``workflow/importing.py``).
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ti_cli.findings import Finding, Severity
from ti_cli.i18n import _, ngettext
from ti_cli.loading.bundle import ContractBundle
from ti_cli.loading.naming import action_file, slug
from ti_cli.loading.source import display_path
from ti_cli.loading.tet import TetRow, TetSheet, loose
from ti_cli.loading.writer import dump_yaml, load_rt
from ti_cli.loading.xlsx import at_cell
from ti_cli.model import Contract
from ti_cli.workflow.importing import Change, _schema

E = Severity.error
IMPORTED_FROM = "Importé de Territoires en Transitions."
ADDED_FINANCER = "ajouté par ti import depuis Territoires en Transitions : vérifiez sa nature (kind)"
# A financer added by --add-financers: its kind guessed from words of its name, else collectivite.
KIND_WORDS = (
    ("europe", ("europe", "feder", "fse", "leader", "interreg")),
    ("etat", ("etat", "dsil", "detr", "prefecture", "ministere", "france2030", "fondsvert")),
    ("region", ("region",)),
    ("operateur", ("ademe", "banquedesterritoire", "caissedesdepots", "bpi", "agence", "anct", "cerema")),
    ("prive", ("prive", "entreprise", "industriel", "mecenat")),
    ("autofinancement", ("autofinancement", "fondspropres")),
)


@dataclass
class TetPlan:
    changes: list[Change] = field(default_factory=list)  # action files, then contract.yaml and progress
    findings: list[Finding] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what went where, said to the user
    skipped: list[tuple[int, int]] = field(default_factory=list)  # (sheet row, existing action number)


def quoted(items: Iterable[str]) -> str:
    """Each of ``items`` between the quotes of the user's language (« … » in French), one after another."""
    return ", ".join(_("'{item}'").format(item=i) for i in items)


def quarter_of(day: dt.date) -> str:
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def plan_tet(
    sheet: TetSheet,
    bundle: ContractBundle,
    day: dt.date,
    *,
    axis_map: dict[str, str] | None = None,
    add_financers: bool = False,
    partial: bool = False,
) -> TetPlan:
    contract = bundle.contract.model
    assert contract is not None  # the contract was checked first
    plan = TetPlan()
    shown = display_path(sheet.path)

    def stop(code: str, message: str, row: int = 1, col: int = 1) -> None:
        text = at_cell(row, col, message) if row > 1 else message
        plan.findings.append(Finding(code, E, text, shown, row, col))

    if sheet.unknown:
        if partial:
            plan.notes.append(
                _("not imported (not columns of the template): {headers}").format(headers=quoted(sheet.unknown))
            )
        else:
            stop(
                "TI090",
                ngettext(
                    "a header that is not one of Territoires en Transitions' template: {headers}; nothing imported "
                    "(--partial imports the known columns)",
                    "headers that are not Territoires en Transitions' template: {headers}; nothing imported "
                    "(--partial imports the known columns)",
                    len(sheet.unknown),
                ).format(headers=quoted(sheet.unknown)),
            )
    if sheet.not_imported:
        plan.notes.append(
            _("not imported (ti has no field for them): {headers}").format(headers=quoted(sheet.not_imported))
        )
    if sheet.in_comment:
        plan.notes.append(_("kept in each action's comment: {headers}").format(headers=quoted(sheet.in_comment)))

    axes = _axes(sheet.rows, contract, axis_map or {}, stop)
    financers, added = _financers(sheet.rows, contract, add_financers, stop)
    if plan.findings:
        return plan

    existing = {loose(a.title): a.number for _s, a in bundle.valid_actions()}
    number = max((a.number for _s, a in bundle.valid_actions()), default=0)
    schema = _schema(bundle)
    statuses: list[tuple[int, TetRow]] = []
    for row in sheet.rows:
        if loose(row.title) in existing:
            plan.skipped.append((row.row, existing[loose(row.title)]))
            continue
        number += 1
        path = bundle.root / "actions" / action_file(number, row.title)
        data = _action(row, number, axes[row.row], financers, contract)
        plan.changes.append(Change(number, path, None, dump_yaml(data, schema=schema)))
        if row.status_code is not None:
            statuses.append((number, row))
    if added:
        plan.changes.append(_contract_change(bundle, added))
        plan.notes.append(
            ngettext(
                "financer added to contract.yaml (its kind guessed: check it): {names}",
                "financers added to contract.yaml (their kind guessed: check it): {names}",
                len(added),
            ).format(names=quoted(f["name"] for f in added))
        )
    if statuses:
        plan.changes.append(_progress_change(bundle, day, statuses, schema))
    return plan


Stop = Callable[..., None]


def _axes(rows: list[TetRow], contract: Contract, axis_map: dict[str, str], stop: Stop) -> dict[int, str]:
    """Each row's programme axis: from ``--axis-map`` (its most specific heading first), else a heading
    that names an axis of the programme (its code or label). Unmapped headings stop the import."""
    codes = contract.programme_def.axis_codes()
    known = {loose(k): v for k, v in axis_map.items()}
    for heading, code in axis_map.items():
        if code not in codes:
            stop(
                "TI091",
                _("--axis-map: '{code}' (for '{heading}') is not an axis of the programme: {choices}").format(
                    code=code, heading=heading, choices=", ".join(codes)
                ),
            )
    inferred = {loose(a.code): a.code for a in contract.programme_def.axes} | {
        loose(a.label): a.code for a in contract.programme_def.axes
    }
    found: dict[int, str] = {}
    unmapped: dict[str, None] = {}
    for row in rows:
        candidates = [known.get(loose(h)) or inferred.get(loose(h)) for h in reversed(row.headings)]
        axis = next((c for c in candidates if c), None)
        if axis is not None:
            found[row.row] = axis
        elif row.headings:
            unmapped.setdefault(row.headings[0], None)
        else:
            stop("TI091", _("the fiche '{title}' has no axis").format(title=row.title), row.row)
    if unmapped:
        stop(
            "TI091",
            ngettext(
                "no axis of the programme for this heading of the plan: {headings}; map it in a YAML file "
                '(a line "heading": AXIS, axes {choices}) given with --axis-map',
                "no axis of the programme for these headings of the plan: {headings}; map them in a YAML file "
                '(a line "heading": AXIS each, axes {choices}) given with --axis-map',
                len(unmapped),
            ).format(headings=quoted(unmapped), choices=", ".join(codes)),
        )
    return found


def _financers(
    rows: list[TetRow], contract: Contract, add: bool, stop: Stop
) -> tuple[dict[str, str], list[dict[str, str]]]:
    """TeT's financer names → the contract's financer ids (name or id, matched loosely); with ``add``,
    the unmatched ones as new financers, else a finding naming the closest."""
    ids = {loose(f.name): f.id for f in contract.financers} | {loose(f.id): f.id for f in contract.financers}
    names = {loose(f.name): f.name for f in contract.financers}
    taken = {f.id for f in contract.financers}
    matched: dict[str, str] = {}
    added: list[dict[str, str]] = []
    for row in rows:
        for financer in row.financers:
            key = loose(financer.name)
            if key in ids or key in matched:
                matched.setdefault(key, ids.get(key, ""))
                continue
            if add:
                new_id = _free_id(slug(financer.name), taken)
                taken.add(new_id)
                added.append({"id": new_id, "name": financer.name, "kind": _kind(key)})
                matched[key] = new_id
                ids[key] = new_id
                continue
            closest = difflib.get_close_matches(key, list(names), n=1, cutoff=0)
            stop(
                "TI098",
                (
                    _(
                        "financer '{name}' is not one of the contract's (the closest: '{closest}'): nothing "
                        "imported; correct the name, add it to contract.yaml, or use --add-financers"
                    )
                    if closest
                    else _(
                        "financer '{name}' is not one of the contract's: nothing imported; add it to "
                        "contract.yaml, or use --add-financers"
                    )
                ).format(name=financer.name, closest=names[closest[0]] if closest else ""),
                financer.row,
                financer.col,
            )
            matched[key] = ""  # said once
    return {k: v for k, v in matched.items() if v}, added


def _free_id(base: str, taken: set[str]) -> str:
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    return candidate


def _kind(key: str) -> str:
    return next((kind for kind, words in KIND_WORDS if any(w in key for w in words)), "collectivite")


def _action(row: TetRow, number: int, axis: str, financers: dict[str, str], contract: Contract) -> Any:
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    data = CommentedMap()
    data["number"] = number
    data["title"] = row.title
    data["axis"] = axis
    if row.headings:
        data["strategic_axis"] = " > ".join(row.headings)
    # TeT has no category: a fiche with a budget is taken as structurante, one without as en amorçage.
    data["category"] = "structurante" if row.budget is not None else "amorcage"
    if row.owner is not None:
        data["owner"] = row.owner
    if row.start is not None:
        data["planned_start"] = row.start
    if row.end is not None:
        data["planned_end"] = row.end
    if row.budget is not None:
        data["cost"] = CommentedMap([("total", row.budget)])  # the split unknown (SPEC §16): TI025 asks for it
    lines = CommentedSeq()
    for financer in row.financers:
        line = CommentedMap([("financer", financers[loose(financer.name)])])
        if contract.phase2:
            line["status"] = "sollicite"  # the most prudent stage: never acquis
        else:
            line["eligibility"] = "a_confirmer"
        if financer.amount is not None:
            line["amount"] = financer.amount
        line.fa.set_flow_style()
        lines.append(line)
    data["financing"] = lines
    if row.description is not None:
        data["description"] = _literal(row.description)
    data["comment"] = _literal("\n".join([IMPORTED_FROM, *(f"{h} : {t}" for h, t in row.comment)]))
    return data


def _literal(text: str) -> Any:
    """Text of several lines as a YAML block (``|``), one line as it is."""
    from ruamel.yaml.scalarstring import LiteralScalarString

    return LiteralScalarString(text.rstrip() + "\n") if "\n" in text.strip() else text.strip()


def _contract_change(bundle: ContractBundle, added: list[dict[str, str]]) -> Change:
    from ruamel.yaml.comments import CommentedMap

    path = bundle.contract.path
    before = path.read_text(encoding="utf-8")
    data = load_rt(before)
    for financer in added:
        item = CommentedMap([("id", financer["id"]), ("name", financer["name"]), ("kind", financer["kind"])])
        item.fa.set_flow_style()
        data["financers"].append(item)
        data["financers"].yaml_add_eol_comment(ADDED_FINANCER, len(data["financers"]) - 1)
    return Change(0, path, before, dump_yaml(data))


def _progress_change(bundle: ContractBundle, day: dt.date, statuses: list[tuple[int, TetRow]], schema: str) -> Change:
    """The statuses into ``progress/<quarter>.yaml`` of ``day``'s quarter: created, or updated without
    touching the other actions' entries (SPEC §16)."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    quarter = quarter_of(day)
    path = bundle.root / "progress" / f"{quarter}.yaml"
    before = path.read_text(encoding="utf-8") if path.is_file() else None
    if before is not None:
        data = load_rt(before)
        if data.get("actions") is None:
            data["actions"] = CommentedSeq()
    else:
        data = CommentedMap([("quarter", quarter), ("reported_on", day), ("actions", CommentedSeq())])
    entries = data["actions"]
    for number, row in statuses:
        progress = {"a_lancer": 0, "termine": 100}.get(str(row.status_code), 0)
        note = f"Statut dans Territoires en Transitions : « {row.status} »"
        if row.status_code not in ("a_lancer", "termine"):
            note += " ; avancement inconnu, mis à 0"
        entry = CommentedMap(
            [("number", number), ("status", row.status_code), ("progress", progress), ("comment", note)]
        )
        old = next((i for i, e in enumerate(entries) if e.get("number") == number), None)
        if old is None:
            entries.append(entry)
        else:
            entries[old] = entry
    progress_schema = schema.replace("action.schema.json", "progress.schema.json")
    text = dump_yaml(data, schema=None if before is not None else progress_schema)
    return Change(0, path, before, text)


def check_tet(plan: TetPlan, bundle: ContractBundle, day: dt.date) -> list[Finding]:
    """The contract's findings as it would be once the plan is written."""
    from ti_cli.loading.source import load
    from ti_cli.model import Action, Contract, Progress
    from ti_cli.rules import Context, check_contract

    changed = {c.path.resolve(): c for c in plan.changes}
    contract = bundle.contract
    if contract.path.resolve() in changed:
        contract = load(contract.path, Contract, text=changed[contract.path.resolve()].after)
    actions = [s for s in bundle.actions if s.path.resolve() not in changed]
    progress = [s for s in bundle.progress if s.path.resolve() not in changed]
    for c in plan.changes:
        if c.path.parent.name == "actions":
            actions.append(load(c.path, Action, text=c.after))
        elif c.path.parent.name == "progress":
            progress.append(load(c.path, Progress, text=c.after))
    future = ContractBundle(bundle.root, contract, actions, progress, bundle.cost_sharing, bundle.decisions)
    return check_contract(future, Context(day))


def read_axis_map(path: Path) -> dict[str, str]:
    """``--axis-map FILE.yaml``: a mapping {"heading as written in TeT": AXIS_CODE}."""
    from ti_cli.usage import UsageProblem, os_problem

    try:
        data = load_rt(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise UsageProblem(
            _("{path}: cannot be read ({reason})").format(
                path=path, reason=os_problem(OSError(exc.errno, exc.strerror or str(exc)))
            )
        ) from None
    except Exception:  # any YAML error: said in one sentence
        raise UsageProblem(_("{path}: not a YAML file").format(path=path)) from None
    if not isinstance(data, dict) or not all(isinstance(v, str) for v in data.values()):
        raise UsageProblem(_('{path}: expected lines "heading as written in TeT": AXIS').format(path=path))
    return {str(k): str(v) for k, v in data.items()}
