"""A contract diff printed for scripts (JSON, SPEC §9), people on a terminal (table, in their language)
and pull requests (Markdown, in French like the documents it announces: ``in_french``). Values read the
French way (``ti_cli.french``) in both languages.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any, Literal

from ti_cli import french
from ti_cli.compute.diff import ActionChange, Change, ContractDiff, Kind, Value, plain_value
from ti_cli.i18n import _, in_french, ngettext
from ti_cli.model import Contract, Decisions

LONG_TEXT = ("description",)


def as_json(d: ContractDiff) -> str:
    data = {
        "base": d.base.label,
        "head": d.head.label,
        "added": [a.number for a in d.of(Kind.added)],
        "removed": [a.number for a in d.of(Kind.removed)],
        "modified": [
            {
                "number": a.number,
                "changes": [
                    {
                        "field": c.field,
                        "before": plain_value(c.before, c.spec.money),
                        "after": plain_value(c.after, c.spec.money),
                    }
                    for c in a.changes
                ],
            }
            for a in d.of(Kind.modified)
        ],
        "totals": {"before": french.json_amount(d.before.total), "after": french.json_amount(d.after.total)},
        # Article 5: whether the regional COPIL must validate (null: for the partners to judge, the contract
        # setting no threshold), the actions structurantes concerned, the contract's threshold (a rate) or null.
        "copil": {
            "needed": d.needs_copil,
            "actions": d.copil_actions,
            "threshold": None if d.threshold is None else plain_value(d.threshold, money=False),
        },
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def shown(change: Change, value: Value) -> str:
    """A field's value for people: amounts in euros, other numbers the French way, enumerations by their
    label, long text cut."""
    from ti_cli.compute.totals import AXIS_LABELS
    from ti_cli.model.action import Axis
    from ti_cli.output.figures import word

    if value is None:
        if change.field.startswith("financing.") and change.field.endswith((".eligibility", ".status")):
            return _("no line")  # a line needs these: without one, the line is not there (taken out or new)
        return _("not split") if change.unsplit else "–"  # a split unknown, not an absent cost
    if isinstance(value, Decimal):
        return french.euros(value) if change.spec.money else quantity(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, dt.date):
        return french.date_long(value)
    if isinstance(value, tuple):
        return ", ".join(value)
    name = change.field.rsplit(".", 1)[-1]
    if name == "axis":
        return AXIS_LABELS[Axis(value)]
    if name in ("category", "eligibility", "status"):
        return word("stage" if name == "status" else name, value)  # a financing line's status is its stage
    return short(value) if name in LONG_TEXT else value


def quantity(value: Decimal) -> str:
    """A number that is not money (an indicator's target or measure) with the decimals it has: ``420,5``."""
    exponent = value.normalize().as_tuple().exponent
    return french.number(value, max(0, -exponent) if isinstance(exponent, int) else None)


def short(text: str, width: int = 60) -> str:
    line = " ".join(text.split())
    return line if len(line) <= width else line[: width - 1].rstrip() + "…"


def field_label(change: Change, contract: Contract) -> str:
    """``montant (Région Nouvelle-Aquitaine)`` for a financing field, ``cible de l'indicateur (Emplois
    créés)`` for an indicator's (``, 31 décembre 2025`` for a measure), the field's label otherwise."""
    from ti_cli.model.programme import INDICATORS

    label = _(change.spec.label)
    if change.field.startswith("indicators."):
        parts = change.field.split(".")
        known = INDICATORS.get(parts[1].partition("#")[0])
        name = known.title if known else parts[1]
        if parts[2] == "measures":
            on = parts[3].partition("#")[0]
            return _("{field} ({indicator}, {date})").format(
                field=label, indicator=name, date=french.date_long(dt.date.fromisoformat(on))
            )
        return _("{field} ({indicator})").format(field=label, indicator=name)
    if change.field.startswith("financing."):
        key = change.field.split(".")[1]
        financer_id, _sep, nth = key.partition("#")
        financer = contract.financer(financer_id)
        name = financer.name if financer else financer_id
        if nth:
            return _("{field} ({financer}, line {n})").format(field=label, financer=name, n=nth)
        return _("{field} ({financer})").format(field=label, financer=name)
    return label


def signed(amount: Decimal | None) -> str:
    return "" if amount is None else french.signed(amount)


def action_cost(a: ActionChange) -> tuple[Decimal | None, Decimal | None]:
    """The action's total cost before and after (None where it does not exist)."""
    return (a.before.total if a.before else None), (a.after.total if a.after else None)


def rows(a: ActionChange, contract: Contract, fields: bool = False) -> list[tuple[str, str, str, str]]:
    """(what, before, after, difference) lines of one action's change: its whole cost for an ajout or a
    suppression, one line per field otherwise, named in words (« montant (État) »). ``fields``: for the
    terminal, in the user's language; without, for the avenant and the pull request, in French."""
    from ti_cli.compute.totals import AXIS_LABELS, CATEGORY_LABELS

    before, after = action_cost(a)
    action = a.action
    about = f"{CATEGORY_LABELS[action.category]}, {AXIS_LABELS[action.axis]}"  # documents only: French
    if a.kind is Kind.added:
        return [(_("added") if fields else f"**ajout** ({about})", "–", french.euros(after), signed(after))]
    if a.kind is Kind.removed:
        return [
            (
                _("removed") if fields else f"**suppression** ({about})",
                french.euros(before),
                "–",
                signed(-before if before is not None else None),
            )
        ]
    return [(field_label(c, contract), shown(c, c.before), shown(c, c.after), signed(c.delta)) for c in a.changes]


def copil_reasons(d: ContractDiff) -> list[str]:
    """Why the regional COPIL must validate (empty when it need not)."""
    reasons = []
    numbers = d.copil_actions
    if numbers:
        reasons.append(
            ngettext(
                "action structurante concerned: {numbers}", "actions structurantes concerned: {numbers}", len(numbers)
            ).format(numbers=", ".join(str(n) for n in numbers))
        )
    if d.economy_changed and d.threshold is not None:
        move = d.economy_move
        threshold = rate(d.threshold)
        if move is None:
            reasons.append(
                _("the contract's total cost moves from zero (threshold: {threshold})").format(threshold=threshold)
            )
        else:
            reasons.append(
                _("the contract's total cost moves by {move} (threshold: {threshold})").format(
                    move=french.signed(move * 100, "%", 1), threshold=threshold
                )
            )
    return reasons


def rate(value: Decimal) -> str:
    """A rate as a percentage with the decimals it has: 0.10 → ``10 %``, 0.125 → ``12,5 %``."""
    return f"{quantity(value * 100)}{french.NBSP}%"


def move(d: ContractDiff) -> str:
    """The move of the contract's total cost, « +1,8 % » (« – » from a zero total)."""
    return "–" if d.economy_move is None else french.signed(d.economy_move * 100, "%", 1)


def copil_line(d: ContractDiff) -> str:
    """The regional COPIL line of the terminal and the pull request: needed and why, not needed, or —
    when only the move of the total could call for it and the contract sets no threshold — for the
    partners to judge."""
    reasons = copil_reasons(d)
    if reasons:
        return _("Regional COPIL: needed — {reasons}").format(reasons=" ; ".join(reasons))
    if d.needs_copil is None:
        return _(
            "Regional COPIL: for the partners to judge — the total cost moves by {move} and the contract sets no "
            "threshold (governance.copil_threshold)"
        ).format(move=move(d))
    return _("Regional COPIL: not needed")


def counts(d: ContractDiff) -> str:
    added, removed, modified = (len(d.of(kind)) for kind in (Kind.added, Kind.removed, Kind.modified))
    parts = [
        ngettext("{n} action added", "{n} actions added", added).format(n=added) if added else "",
        ngettext("{n} action removed", "{n} actions removed", removed).format(n=removed) if removed else "",
        ngettext("{n} action modified", "{n} actions modified", modified).format(n=modified) if modified else "",
    ]
    return ", ".join(p for p in parts if p) or _("no action modified")


def version_title(
    when: dt.datetime | None,
    today: dt.date,
    contract: Contract,
    decisions: list[Decisions],
    precise: bool = False,
) -> str:
    """How a document names a version, in the contract's language — never a git ref, never a commit's
    subject (a developer's « wip fix yaml typo »): « la version en cours (23 novembre 2026) » for the
    files on disk (``when`` None); for a revision, the day it was committed and what the territory had
    recorded in it (``recorded``): « la version du 3 mars 2024 (après l'avenant n° 1 du 30 juin 2021 :
    Ajout de l'action 10) ». ``precise`` adds the time of day, to tell apart two versions of one day that
    record the same."""
    if when is None:
        return f"la version en cours ({french.date_long(today)})"
    named = f"la version du {french.date_long(when.date())}"
    if precise:
        named += f" à {when.hour}{french.NBSP}h{french.NBSP}{when.minute:02d}"
    return french.typography(f"{named} ({recorded(contract, decisions)})")


def recorded(contract: Contract, decisions: list[Decisions]) -> str:
    """What a version of the contract records of its own history, in its words: the last avenant of a
    phase-1 contract (its number, date and object) or the last meeting of a phase-2 plan's governance
    (its instance and date); « contrat initial » / « plan initial » before any."""
    from ti_cli.model.programme import BODY_LABELS

    if contract.phase2:
        decisions = [d for d in decisions if not d.draft]  # a draft relevé is a meeting still to hold
        if not decisions:
            return "plan initial"
        last = max(decisions, key=lambda d: d.date)
        body = "la réunion" if last.body.value == "autre" else f"le {BODY_LABELS[last.body.value]}"
        return f"après {body} du {french.date_long(last.date)}"
    if not contract.amendments:
        signed_on = f", signé le {french.date_long(contract.signed_on)}" if contract.signed_on else ""
        return f"contrat initial{signed_on}"
    amendment = max(contract.amendments, key=lambda a: a.number)
    text = f"après l'avenant n°{french.NBSP}{amendment.number}"
    if amendment.signed_on:
        text += f" du {french.date_long(amendment.signed_on)}"
    if amendment.summary:
        text += f" : {amendment.summary}"
    return text


def version(label: str) -> str:
    """A revision as people name it: the files on disk are not a git ref."""
    from ti_cli.vcs.revision import WORKTREE

    return _("the files on disk") if label == WORKTREE else label


@in_french()
def markdown(d: ContractDiff) -> str:
    """For a pull request (comment or job summary): every change, money deltas, totals by axis, COPIL."""
    from ti_cli.render.environment import cell

    contract = d.head.contract
    out = [
        f"### {contract.title} : `{version(d.base.label)}` → `{version(d.head.label)}`",
        "",
        f"**{counts(d)}.** Coût total : {french.euros(d.before.total)} → {french.euros(d.after.total)} "
        f"({signed(d.after.total - d.before.total)}).",
        "",
    ]
    if d.actions:
        out += ["| Action | Changement | Avant | Après | Écart |", "|---|---|---|---|---:|"]
        for a in d.actions:
            name = cell(f"{a.number}. {short(a.action.title, 50)}")
            for what, before, after, delta in rows(a, contract):
                out.append(f"| {name} | {cell(what)} | {cell(before)} | {cell(after)} | {delta} |")
                name = ""
        out.append("")
    out += ["| Axe | Avant | Après | Écart |", "|---|---:|---:|---:|"]
    for m in d.by_axis:
        out.append(f"| {m.label} | {french.euros(m.before)} | {french.euros(m.after)} | {signed(m.delta)} |")
    out += [
        f"| **Total** | **{french.euros(d.before.total)}** | **{french.euros(d.after.total)}** | "
        f"**{signed(d.after.total - d.before.total)}** |",
        "",
    ]
    head, _sep, tail = copil_line(d).partition(":")  # « COPIL régional : … », in French (in_french)
    out.append(f"**{head.strip()}** : {tail.strip()}.")
    if d.to_sign and contract.phase2:  # a plan evolves by decisions of its governance, not by avenant
        out.append("")
        out.append(
            f"**Relevé de décisions** : ces changements demandent une décision de la gouvernance "
            f"(`ti decisions draft {contract.id} --base {d.base.label}`)."
        )
    elif d.to_sign:
        out.append("")
        out.append(
            f"**Avenant** : ces changements demandent l'avenant n° {d.base.contract.next_amendment} "
            f"(`ti avenant {contract.id} --base {d.base.label}`)."
        )
    return "\n".join(out) + "\n"


def table(d: ContractDiff) -> list[Any]:
    """Rich renderables for a terminal: the changes, then the totals by axis, then the COPIL line."""
    from rich.table import Table
    from rich.text import Text

    contract = d.head.contract
    changes = Table(
        title=_("{contract}: {base} → {head}").format(
            contract=contract.id, base=version(d.base.label), head=version(d.head.label)
        ),
        title_justify="left",
    )
    columns: list[tuple[str, Literal["left", "right"]]] = [
        (_("action"), "right"),
        (_("field"), "left"),
        (_("before"), "right"),
        (_("after"), "right"),
        (_("difference"), "right"),
    ]
    for name, justify in columns:
        changes.add_column(
            name, justify=justify, overflow="fold" if justify == "left" else "ellipsis", no_wrap=justify == "right"
        )
    for a in d.actions:
        changes.add_row(str(a.number), Text(short(a.action.title, 45), "bold"), "", "", "")
        style = {Kind.added: "green", Kind.removed: "red"}.get(a.kind, "")
        for what, before, after, delta in rows(a, contract, fields=True):
            changes.add_row("", Text(what, style), before, after, delta)
    totals = Table(title=_("Total cost by axis"), title_justify="left")
    for name in (_("axis"), _("before"), _("after"), _("difference")):
        totals.add_column(name, justify="left" if name == _("axis") else "right")
    for m in d.by_axis:
        totals.add_row(m.label, french.euros(m.before), french.euros(m.after), signed(m.delta))
    totals.add_row(
        Text(_("Total"), "bold"),
        french.euros(d.before.total),
        french.euros(d.after.total),
        signed(d.after.total - d.before.total),
    )
    copil = Text(copil_line(d), "green" if d.needs_copil is False else "yellow")
    summary = Text(counts(d))
    return [summary, *([changes] if d.actions else []), totals, copil]


@in_french()
def avenant_context(d: ContractDiff) -> dict[str, Any]:
    """What ``templates/avenant.md.j2`` sees: the changes as articles (values already written the French
    way), the parties concerned, the updated annex (the contract template's own ``_annex.md.j2``), the
    totals before and after, and the COPIL line."""
    from ti_cli.compute.diff import parties_concerned
    from ti_cli.compute.totals import group_totals
    from ti_cli.render.context import action_row, labels

    head, base = d.head, d.base
    articles = []
    for a in d.to_sign:
        contract = head.contract if a.after else base.contract
        changes = [
            {
                "field": c.field,
                "label": field_label(c, head.contract),
                "before": shown(c, c.before),
                "after": shown(c, c.after),
                "delta": signed(c.delta),
                "text": c.after if c.field in LONG_TEXT else None,
            }
            for c in a.contractual
        ]
        articles.append(
            {
                "kind": a.article,
                "number": a.number,
                "structurante": a.structurante,
                "row": action_row(contract, a.action),
                "changes": changes,
            }
        )
    return {
        **labels(),
        "contract": head.contract,
        "amendment": base.contract.next_amendment,
        "base": base.title or base.label,
        "head": head.title or head.label,
        "parties": parties_concerned(d),
        "articles": articles,
        "added": [a.number for a in d.of(Kind.added)],
        "removed": [a.number for a in d.of(Kind.removed)],
        "modified": [a.number for a in d.to_sign if a.kind is Kind.modified],
        "before": d.before,
        "after": d.after,
        "difference": d.after.total - d.before.total,
        "moves": d.by_axis,
        "copil": copil_reasons(d),
        "copil_needed": d.needs_copil,  # None: for the partners to judge (no threshold in the contract)
        "economy_move": d.economy_move,
        "threshold": None if d.threshold is None else rate(d.threshold),
        # for _annex.md.j2, the tableau des actions as it now reads
        "actions": [action_row(head.contract, a) for a in head.actions],
        "totals": d.after,
        "by_axis": group_totals(head.contract, head.actions, "axis"),
        "by_category": group_totals(head.contract, head.actions, "category"),
        "charts": {},
    }
