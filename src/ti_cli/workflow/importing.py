"""From a read spreadsheet to action files: what would change, checked, then written all at once.

An action already in the contract is updated **in place** (ruamel round-trip): only the values that
differ are set, so its comments, its description and every field the sheet does not carry
(``owner_parties``, ``planned_end``, a line's ``comment``…) survive, and an unchanged action is
byte-identical. A new action gets ``actions/NN-slug.yaml`` with the modeline of its neighbours. The
whole contract, as it would be after the import, is validated before anything is written.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from ti_cli.findings import Finding, Severity
from ti_cli.i18n import _
from ti_cli.loading.bundle import ContractBundle
from ti_cli.loading.naming import action_file
from ti_cli.loading.source import display_path
from ti_cli.loading.writer import MODELINE, dump_yaml, load_rt
from ti_cli.loading.xlsx import Sheet, SheetAction, SheetLine, cell_name, merged
from ti_cli.model import Contract


def _load_rt(text: str, path: Path, shown: Path, row: int, plan: Any) -> Any:
    """The file as round-trip data, or None after a finding: the validating loader accepts a few
    things ruamel's scanner refuses (a tab after ``key:``), and what cannot be rewritten is said, at
    the place in the file, not raised."""
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    try:
        return load_rt(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"{display_path(path)}:{mark.line + 1}:{mark.column + 1}" if mark else display_path(path)
        reason = exc.problem
    except YAMLError as exc:
        where, reason = str(display_path(path)), str(exc)
    plan.findings.append(
        Finding(
            "TI099",
            Severity.error,
            _(
                "{cell}: ti cannot rewrite {where} ({reason}): correct that passage (a tab "
                "by a space, for example), then try again"
            ).format(cell=cell_name(row, 1), where=where, reason=reason),
            shown,
            row,
            1,
        )
    )
    return None


DEFAULT_SCHEMA = "../../../../schemas/action.schema.json"  # from data/contracts/<id>/actions/
KEY_ORDER = (
    "number",
    "title",
    "axis",
    "strategic_axis",
    "category",
    "owner",
    "owner_parties",
    "cost",
    "financing",
    "description",
    "comment",
)


@dataclass
class Change:
    number: int
    path: Path
    before: str | None  # None: a new file
    after: str


@dataclass
class Plan:
    changes: list[Change] = field(default_factory=list)
    unchanged: list[int] = field(default_factory=list)
    not_in_sheet: list[int] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)


def plan_import(sheet: Sheet, bundle: ContractBundle, *, force: bool = False) -> Plan:
    contract = bundle.contract.model
    assert contract is not None  # the contract was checked first
    plan = Plan()
    existing = {action.number: src.path for src, action in bundle.valid_actions()}
    schema = _schema(bundle)
    shown = display_path(sheet.path)
    for row in sheet.actions:
        path = existing.get(row.number)
        if path is not None:
            before = path.read_text(encoding="utf-8")
            data = _load_rt(before, path, shown, row.row, plan)
            if data is None:
                continue
            conflict = update(data, row, contract, sheet.financers)
            if conflict:
                plan.findings.append(
                    Finding(
                        "TI097",
                        Severity.error,
                        _(
                            "{cell}: action {number} has several lines for {financer} in {path}; "
                            "the sheet holds one — edit that file by hand"
                        ).format(
                            cell=cell_name(row.row, 1), number=row.number, financer=conflict, path=display_path(path)
                        ),
                        shown,
                        row.row,
                        1,
                    )
                )
                continue
            after = dump_yaml(data)
            if after == before:
                plan.unchanged.append(row.number)
            else:
                plan.changes.append(Change(row.number, path, before, after))
            continue
        path = bundle.root / "actions" / action_file(row.number, row.title)
        if path.exists() and not force:
            plan.findings.append(
                Finding(
                    "TI099",
                    Severity.error,
                    _(
                        "{cell}: {path} exists and is not the file of action {number}: use --force to overwrite it"
                    ).format(cell=cell_name(row.row, 1), path=display_path(path), number=row.number),
                    shown,
                    row.row,
                    1,
                )
            )
            continue
        plan.changes.append(Change(row.number, path, None, dump_yaml(new_action(row, contract), schema=schema)))
    on_sheet = {row.number for row in sheet.actions}
    plan.not_in_sheet = sorted(n for n in existing if n not in on_sheet)
    return plan


def _schema(bundle: ContractBundle) -> str:
    """The modeline target the contract's action files already use, else the standard layout's."""
    for src in bundle.actions:
        first = src.path.read_text(encoding="utf-8").split("\n", 1)[0]
        if first.startswith(MODELINE):
            return first.removeprefix(MODELINE).strip()
    return DEFAULT_SCHEMA


def check_plan(plan: Plan, bundle: ContractBundle, as_of: Any) -> list[Finding]:
    """The contract's findings as it would be once the plan is written (errors only matter)."""
    from ti_cli.loading.source import load
    from ti_cli.model import Action
    from ti_cli.rules import Context, check_contract

    changed = {c.path.resolve(): c for c in plan.changes}
    actions = [s for s in bundle.actions if s.path.resolve() not in changed]
    actions += [load(c.path, Action, text=c.after) for c in plan.changes]
    future = ContractBundle(
        bundle.root, bundle.contract, actions, bundle.progress, bundle.cost_sharing, bundle.decisions
    )
    return check_contract(future, Context(as_of))


# Building and updating the YAML -------------------------------------------------------------------


def _flow(mapping: dict[str, Any]) -> Any:
    from ruamel.yaml.comments import CommentedMap

    out = CommentedMap(mapping)
    out.fa.set_flow_style()
    return out


def line_data(financer: str, line: SheetLine) -> Any:
    data: dict[str, Any] = {"financer": financer}
    if line.eligibility is not None:
        data["eligibility"] = line.eligibility.value
    for key in ("dispositif", "status", "amount", "paid") if line.phase2 else ():
        value = getattr(line, key)
        if value is not None:
            data[key] = value.value if key == "status" else value
    if line.phase2:
        return _flow(data)
    if line.scheme is not None:
        data["scheme"] = line.scheme
    if line.amount is not None:
        data["amount"] = line.amount
    return _flow(data)


def cost_data(cost: dict[str, Decimal | None]) -> Any:
    from ruamel.yaml.comments import CommentedMap

    if cost["investment"] is None and cost["operating"] is None:  # the split unknown (SPEC §16)
        return CommentedMap([("total", cost["total"])])
    data = CommentedMap([("investment", cost["investment"]), ("operating", cost["operating"])])
    if cost.get("total") is not None:
        data["total"] = cost["total"]
    return data


def new_action(row: SheetAction, contract: Contract) -> Any:
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    data = CommentedMap()
    data["number"] = row.number
    data["title"] = row.title
    data["axis"] = row.axis.value
    data["strategic_axis"] = row.strategic_axis
    data["category"] = row.category.value
    data["owner"] = row.owner
    if row.cost is not None:
        data["cost"] = cost_data(row.cost)
    data["financing"] = CommentedSeq(line_data(f, line) for f, line in row.financing.items())
    data["comment"] = row.comment
    return data


def _put(data: Any, key: str, value: Any) -> None:
    """Set ``key`` only when its value differs (an equal value keeps its spelling and quotes); a new
    key goes where the canonical order puts it."""
    if key in data:
        if not _same(data[key], value):
            data[key] = value
        return
    if value is None:
        return
    rank = KEY_ORDER.index(key)
    position = sum(1 for k in data if k in KEY_ORDER and KEY_ORDER.index(k) < rank)
    data.insert(position, key, value)


def _same(old: Any, new: Any) -> bool:
    if old is None or new is None:
        return old is None and new is None
    if isinstance(new, Decimal):
        try:
            return Decimal(str(old)) == new
        except ArithmeticError:
            return False
    if isinstance(new, str):  # a block (``|``) ends with a newline that no cell keeps
        return str(old).rstrip("\n") == new.rstrip("\n")
    return str(old) == str(new)


def update(data: Any, row: SheetAction, contract: Contract, sheet_financers: list[str]) -> str | None:
    """Bring ``data`` (an action file's ruamel data) in line with the sheet; returns the name of a
    financer whose several lines the sheet cannot express, else None."""
    for key in ("title", "strategic_axis", "owner", "comment"):
        value = getattr(row, key)
        if key in data or value is not None:
            _put(data, key, value)
    _put(data, "axis", row.axis.value)
    _put(data, "category", row.category.value)
    _update_cost(data, row.cost)
    return _update_financing(data, row, contract, sheet_financers)


def _update_cost(data: Any, cost: dict[str, Decimal | None] | None) -> None:
    if cost is None:
        if data.get("cost") is not None:
            del data["cost"]
        return
    if data.get("cost") is None:
        _put(data, "cost", cost_data(cost))
        return
    current = data["cost"]
    if cost["investment"] is None and cost["operating"] is None:  # a total alone: the split unknown
        for key in ("investment", "operating"):
            if key in current:
                del current[key]
        _put(current, "total", cost["total"])
        return
    _put(current, "investment", cost["investment"])
    _put(current, "operating", cost["operating"])
    if "total" in current:  # a written total stays in step; an absent one is not added
        _put(current, "total", (cost["investment"] or 0) + (cost["operating"] or 0))


def _update_financing(data: Any, row: SheetAction, contract: Contract, sheet_financers: list[str]) -> str | None:
    from ruamel.yaml.comments import CommentedSeq

    from ti_cli.model.action import FinancingLine

    lines = data.get("financing")
    if lines is None:
        if not row.financing:
            return None
        lines = CommentedSeq()
        _put(data, "financing", lines)
    for financer, wanted in row.financing.items():
        mine = [item for item in lines if item.get("financer") == financer]
        if not mine:
            if not lines:  # `financing: []` grows into a block list like the others (an empty one stays `[]`)
                lines.fa.set_block_style()
            _insert_line(lines, line_data(financer, wanted), [f.id for f in contract.financers])
        elif len(mine) == 1 and wanted.phase2:
            # A phase-2 sheet: the line's stage (or its phase-1 eligibility word), dispositif, amount, paid.
            _set_or_drop(mine[0], "eligibility", wanted.eligibility.value if wanted.eligibility else None)
            _set_or_drop(mine[0], "dispositif", wanted.dispositif)
            _set_or_drop(mine[0], "status", wanted.status.value if wanted.status else None)
            _set_or_drop(mine[0], "amount", wanted.amount)
            _set_or_drop(mine[0], "paid", wanted.paid)
        elif len(mine) == 1:
            _put(mine[0], "eligibility", wanted.eligibility.value)  # type: ignore[union-attr]  # phase 1: always one
            _set_or_drop(mine[0], "scheme", wanted.scheme)
            _set_or_drop(mine[0], "amount", wanted.amount)
        else:
            shown = merged([FinancingLine.model_validate(dict(item)) for item in mine])
            if wanted.phase2:
                same = (shown.status, shown.dispositif, shown.amount, shown.paid) == (
                    wanted.status,
                    wanted.dispositif,
                    wanted.amount,
                    wanted.paid,
                )
            else:
                same = (shown.eligibility, shown.scheme, shown.amount) == (
                    wanted.eligibility,
                    wanted.scheme,
                    wanted.amount,
                )
            if not same:
                known = contract.financer(financer)
                return known.name if known else financer
    # A financer the sheet has columns for, left empty there, no longer finances the action.
    for i in reversed(range(len(lines))):
        financer = lines[i].get("financer")
        if financer in sheet_financers and financer not in row.financing:
            del lines[i]
    return None


def _insert_line(lines: Any, line: Any, order: list[str]) -> None:
    """A new line goes before the first line of a financer that comes later in the contract's order."""

    def rank(financer: Any) -> int:
        return order.index(financer) if financer in order else len(order)

    new = rank(line["financer"])
    position = next((i for i, item in enumerate(lines) if rank(item.get("financer")) > new), len(lines))
    lines.insert(position, line)


def _set_or_drop(line: Any, key: str, value: Any) -> None:
    if value is None:
        if line.get(key) is not None:
            del line[key]
        return
    if key in line:
        _put(line, key, value)
        return
    order = (
        "financer",
        "eligibility",
        "scheme",
        "dispositif",
        "volet",
        "status",
        "amount",
        "paid",
        "requested_on",
        "decided_on",
        "reference",
        "comment",
    )
    position = sum(1 for k in line if k in order and order.index(k) < order.index(key))
    line.insert(position, key, value)
