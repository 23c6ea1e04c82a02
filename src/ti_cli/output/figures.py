"""What ``ti totals`` and ``ti share`` print: their JSON (SPEC §9, exactly) and their tables.

Amounts stay ``Decimal`` until printed; percentages appear in tables for people, never in JSON.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from ti_cli.compute import totals as compute
from ti_cli.compute.share import Split
from ti_cli.compute.totals import Group, OwnShare, Totals
from ti_cli.french import euros, json_amount, number, percent
from ti_cli.i18n import N_, _, ngettext
from ti_cli.model.cost_sharing import CostSharing, Key
from ti_cli.output.tables import Column, Table

GROUP_TITLES = {  # the grouping column's header
    "axis": N_("Programme axis"),
    "category": N_("Category"),
    "financer": N_("Financer"),
    "owner": N_("Maître d'ouvrage"),
    "status": N_("Status (latest progress report)"),
    "region": N_("Region"),
    "contract": N_("Contract"),
    "stage": N_("Financing stage"),
    "dispositif": N_("Dispositif"),
}
BY_TITLES = {  # the grouped table's title
    "axis": N_("By programme axis"),
    "category": N_("By category"),
    "financer": N_("By financer"),
    "owner": N_("By maître d'ouvrage"),
    "status": N_("By status (latest progress report)"),
    "region": N_("By region"),
    "contract": N_("By contract"),
    "stage": N_("By financing stage"),
    "dispositif": N_("By dispositif"),
}


# Words of the enumerations, for people: the JSON keeps the French labels of ``compute.totals`` (scripts
# see the same in both languages); a test checks these say the same in French (and the documents' words).
WORDS: dict[str, dict[str, str]] = {
    "status": {
        "a_lancer": N_("To launch"),
        "en_cours": N_("In progress"),
        "termine": N_("Finished"),
        "suspendu": N_("Suspended"),
        "abandonne": N_("Abandoned"),
    },
    "category": {"structurante": N_("Structuring"), "amorcage": N_("Seed")},
    "stage": {
        "sollicite": N_("Requested"),
        "obtenu": N_("Obtained"),
        "engage": N_("Committed"),
        "verse": N_("Paid"),
        "refuse": N_("Refused"),
    },
    "dispositif": {"non-renseigne": N_("Dispositif not given")},
    "owner": {"non-renseigne": N_("Maître d'ouvrage not given")},
    "axis": {"A_CHOISIR": N_("Axis to choose")},
    "eligibility": {"validee": N_("validated"), "a_confirmer": N_("to be confirmed")},
}


def word(kind: str, key: str) -> str:
    """An enumeration's value in words, in the chosen language: ``word("stage", "obtenu")``."""
    return _(WORDS[kind][key])


def label(by: str, group: Group) -> str:
    """A group's label as people read it in the chosen language."""
    word = WORDS.get(by, {}).get(group.key)
    return _(word) if word else group.label


@dataclass
class TotalsView:
    """One run of ``ti totals``: a contract, or the portfolio (``contract`` None)."""

    contract: str | None
    title: str
    totals: Totals
    by: str | None = None
    groups: list[Group] = field(default_factory=list)
    contracts: list[str] = field(default_factory=list)
    nested_by: str | None = None  # portfolio by region: each region's groups of this kind
    nested: dict[str, list[Group]] = field(default_factory=dict)
    own_shares: list[OwnShare] = field(default_factory=list)
    phase2: bool = False  # the words of the programme: stages (phase 2) or eligibility (phase 1)


def ratio(part: Decimal, whole: Decimal) -> Decimal | None:
    """``part`` as a percentage of ``whole``, exact (None when the whole is 0): a sharing key's part,
    printed with the decimals its table chooses."""
    return part * 100 / whole if whole else None


def percentage(part: Decimal, whole: Decimal) -> Decimal | None:
    """A figure's share as SPEC §14 rounds it, once, in compute (one decimal): the table, the text and
    the chart print the same value."""
    return compute.share(part, whole) if whole else None


pct = percentage  # short, for the table rows


def unknown_when(amount: Decimal, unknown: int) -> Decimal | str:
    """Unknown is not zero: a sum of nothing but lines without amounts reads « non précisé »."""
    return _("not given") if unknown and not amount else amount


def unknown_lines(t: Totals, key: str) -> int:
    """How many lines without an amount a summary row's sum leaves out: the acquis ones for « acquis »,
    all of them for the total identified (refusé aside)."""
    return {"secured": t.unknown_secured, "financed": t.unknown_amounts}.get(key, 0)


def summary_value(t: Totals, key: str, amount: Decimal) -> tuple[Decimal | str, Decimal | None]:
    """A summary row's amount and share of the cost, both withheld (« non précisé », no share) where the
    sum has nothing but lines without amounts."""
    shown = unknown_when(amount, unknown_lines(t, key))
    return shown, (pct(amount, t.total) if isinstance(shown, Decimal) else None)


# JSON ---------------------------------------------------------------------------------------------


def group_json(group: Group) -> dict[str, Any]:
    if group.lines:  # a group of financing lines: its own amounts, no split (SPEC §14)
        return {
            "key": group.key,
            "label": group.label,
            "actions": group.actions,
            "total": json_amount(group.total),
            "secured": json_amount(group.secured),
            "requested": json_amount(group.requested),
            "paid": json_amount(group.paid),
            "unknown_amounts": group.unknown_amounts,
        }
    return {
        "key": group.key,
        "total": json_amount(group.total),
        "investment": json_amount(group.investment),
        "operating": json_amount(group.operating),
        # extras, after the keys SPEC §9 fixes
        "label": group.label,
        "secured": json_amount(group.secured),
        "actions": group.actions,
        "unsplit": json_amount(group.unsplit),  # the part of the cost not split (SPEC §14)
    }


def totals_json(view: TotalsView) -> dict[str, Any]:
    t = view.totals
    data: dict[str, Any] = {
        "contract": view.contract,
        "total": json_amount(t.total),
        "investment": json_amount(t.investment),
        "operating": json_amount(t.operating),
        "financing": {
            "secured": json_amount(t.secured),
            **(
                {"requested": json_amount(t.requested)}
                if view.phase2 or view.contract is None
                else {"to_confirm": json_amount(t.to_confirm)}
            ),
            "refused": json_amount(t.refused),
            "paid": json_amount(t.paid),
            "settled": json_amount(t.settled),
            "financed": json_amount(t.financed),
            "to_find": json_amount(t.to_find),
            "unfunded": json_amount(t.unfunded),
            "loans": json_amount(t.loans),
            "unknown_amounts": t.unknown_amounts,
            "own_shares": [
                {"number": s.number, "owner": s.owner, "own": json_amount(s.own), "public": json_amount(s.public)}
                for s in view.own_shares
            ],
        },
    }
    if t.unsplit:  # cost given as a total only: investment + operating + unsplit = total (SPEC §14)
        data["unsplit"] = json_amount(t.unsplit)
    if view.contract is None:
        data["contracts"] = view.contracts
    if view.by is not None:
        groups = []
        for group in view.groups:
            item = group_json(group)
            if view.nested_by:
                item[GROUP_KEYS[view.nested_by]] = [group_json(g) for g in view.nested.get(group.key, [])]
            groups.append(item)
        data["groups"] = groups
    return data


GROUP_KEYS = {"axis": "axes"}


# Tables -------------------------------------------------------------------------------------------


def summary_rows(t: Totals, phase2: bool) -> list[tuple[str, str, Decimal]]:
    """The figures of SPEC §14 in the order people read them, named in the programme's words."""
    rows = [
        ("total", _("Total cost excl. VAT"), t.total),
        ("investment", _("of which investment"), t.investment),
        ("operating", _("of which operating"), t.operating),
    ]
    if t.unsplit:  # never « 0 € » of investment for a cost whose split is unknown
        rows.append(("unsplit", _("of which not split into investment / operating"), t.unsplit))
    if phase2:
        rows += [
            ("secured", _("Secured financing (obtained, committed, paid)"), t.secured),
            ("loans", _("of which loans"), t.loans),
            ("requested", _("Financing requested"), t.requested),
            ("financed", _("Total identified financing"), t.financed),
            ("to_find", _("Still to finance"), t.to_find),
            # not « sollicité »: it also covers lines whose amounts are not given (SPEC §14's « dont »)
            ("to_confirm", _("of which awaited from identified financers"), t.to_confirm),
            ("unfunded", _("of which no financer identified"), t.unfunded),
            ("paid", _("Paid to date"), t.paid),
            ("settled", _("Settled (stage paid)"), t.settled),
        ]
        if t.refused:
            rows.append(("refused", _("Refused (in no other sum)"), t.refused))
        return rows
    return [
        *rows,
        ("secured", _("Secured financing (eligibility validated)"), t.secured),
        ("loans", _("of which loans"), t.loans),
        ("financed", _("Total identified financing"), t.financed),
        ("to_find", _("Still to finance"), t.to_find),
        # not the lines « à confirmer » alone: a named financer whose amount is not given awaits too
        ("to_confirm", _("of which to be confirmed by identified financers"), t.to_confirm),
        ("unfunded", _("of which no financer identified"), t.unfunded),
    ]


def unknown_note(t: Totals) -> list[str]:
    """Unknown is not zero: how many lines no sum counts, said wherever the sums are printed."""
    if not t.unknown_amounts:
        return []
    return [
        ngettext(
            "{n} financing line without an amount (of which {k} secured): counted in no sum.",
            "{n} financing lines without an amount (of which {k} secured): counted in no sum.",
            t.unknown_amounts,
        ).format(n=number(t.unknown_amounts), k=number(t.unknown_secured))
    ]


def summary_table(view: TotalsView) -> Table:
    t = view.totals
    rows = summary_rows(t, view.phase2 or (view.contract is None and bool(t.requested or t.paid)))
    actions = ngettext("{n} action", "{n} actions", t.actions).format(n=number(t.actions))
    return Table(
        title=f"{view.title} — {actions}",
        columns=[
            Column("key", "", audience="machine"),
            Column("label", ""),
            Column("amount", _("Amount"), "euros"),
            Column("share", _("Share of total cost"), "percent"),
        ],
        rows=[[key, label, *summary_value(t, key, amount)] for key, label, amount in rows],
        notes=unknown_note(t),
    )


def groups_table(view: TotalsView) -> Table:
    by = view.by or ""
    if by in ("financer", "stage", "dispositif"):
        return financer_table(view)
    t = view.totals
    table = Table(
        title=_(BY_TITLES[by]),
        columns=[
            Column("key", "Code", audience="machine"),
            Column("label", _(GROUP_TITLES[by])),
            Column("actions", _("Actions"), "count"),
            Column("total", _("Total cost"), "euros"),
            Column("investment", _("Invest."), "euros"),
            Column("operating", _("Operat."), "euros"),
            Column("secured", _("Secured"), "euros"),
            Column("share", _("Share of total cost"), "percent"),  # the group's cost, not its acquis
        ],
        rows=[
            [
                g.key,
                label(by, g),
                g.actions,
                *(
                    (g.total, g.investment, g.operating)
                    if g.cost_known
                    else (_("not given"),) * 3  # unknown is not zero (SPEC §14)
                ),
                unknown_when(g.secured, g.unknown_secured),
                pct(g.total, t.total) if g.cost_known else None,
            ]
            for g in view.groups
        ],
        footer=[
            "total",
            _("Total"),
            t.actions,
            t.total,
            t.investment,
            t.operating,
            unknown_when(t.secured, t.unknown_secured),
            pct(t.total, t.total),
        ],
    )
    return with_unsplit(table, [g.unsplit for g in view.groups], t.unsplit)


def with_unsplit(table: Table, parts: list[Decimal], whole: Decimal) -> Table:
    """A cost given as a total only (SPEC §14): a column « non ventilé » after the split, and a note —
    so that no investment / operating sum reads as the whole cost. Unchanged when every split is known."""
    if not whole:
        return table
    at = [c.key for c in table.columns].index("operating") + 1
    return replace(
        table,
        columns=[*table.columns[:at], Column("unsplit", _("Not split"), "euros"), *table.columns[at:]],
        rows=[[*row[:at], part, *row[at:]] for row, part in zip(table.rows, parts, strict=True)],
        footer=[*table.footer[:at], whole, *table.footer[at:]] if table.footer else table.footer,
        notes=[*table.notes, unsplit_note(whole)],
    )


def unsplit_note(amount: Decimal) -> str:
    return _("{amount} of the cost is given as a total only, not split into investment / operating.").format(
        amount=euros(amount)
    )


def financer_table(view: TotalsView) -> Table:
    """Groups of financing lines carry their own amounts (SPEC §14): the sum of their lines, its acquis,
    sollicité and paid parts; never the cost of the actions they touch. The total row is the « total
    des financements », the same under every grouping; refusé shows as its own row, outside it."""
    by = view.by or "financer"
    groups = view.groups
    all_financing = view.totals.financed  # the groups' lines add up to it, under every grouping (tested)
    phase2 = view.phase2 or (view.contract is None and any(g.requested or g.paid for g in groups))
    columns = [
        Column("key", "Code", audience="machine"),
        Column("label", _(GROUP_TITLES[by])),
        Column("actions", _("Actions"), "count"),
        Column("total", _("Amount"), "euros"),
        Column("secured", _("of which secured"), "euros"),
    ]
    if phase2:
        columns += [Column("requested", _("of which requested"), "euros"), Column("paid", _("Paid to date"), "euros")]
    columns.append(Column("share", _("Share of financing"), "percent"))

    def cells(g: Group, amount_share: Decimal | None) -> list[Any]:
        extra = [g.requested, g.paid] if phase2 else []
        known = unknown_when(g.total, g.unknown_amounts)
        if not isinstance(known, Decimal):
            return [g.key, label(by, g), g.actions, known, known, *extra, None]
        return [g.key, label(by, g), g.actions, known, g.secured, *extra, amount_share]

    t = view.totals  # the total row is the contract's figures, computed once (SPEC §14), never re-added
    total_row = Group("total", _("Total financing"), all_financing, None, None, t.secured, 0, t.requested, t.paid)
    footer = cells(total_row, pct(all_financing, all_financing))
    footer[2] = None
    notes = [
        _(
            "Amount: the sum of the group's financing lines (a line without an amount counts in no sum; a "
            "refused line counts only in its own row, outside the total)."
        )
    ]
    unknown = view.totals.unknown_amounts
    if unknown:
        notes.append(
            ngettext(
                "{n} financing line without an amount: counted in no sum.",
                "{n} financing lines without an amount: counted in no sum.",
                unknown,
            ).format(n=number(unknown))
        )
    return Table(
        title=_(BY_TITLES[by]),
        columns=columns,
        rows=[cells(g, None if g.key == "refuse" else pct(g.total, all_financing)) for g in groups],
        footer=footer,
        notes=notes,
    )


def own_share_table(view: TotalsView) -> Table:
    return Table(
        title=_("Own share of the maître d'ouvrage (CGCT L1111-10 III, local authorities' investment actions)"),
        columns=[
            Column("number", _("No."), "count"),
            Column("owner", _("Maître d'ouvrage")),
            Column("own", _("Own share"), "euros"),
            Column("public", _("Public financing"), "euros"),
            Column("share", _("Share"), "percent"),
        ],
        rows=[[s.number, s.owner, s.own, s.public, ratio(s.own, s.public)] for s in view.own_shares],
        notes=[_("At least 20 per cent of the public financing, own share included.")],
    )


def nested_tables(view: TotalsView) -> list[Table]:
    """The portfolio's region × axis breakdown: one small table per region."""
    tables = []
    for group in view.groups:
        subs = view.nested.get(group.key, [])
        tables.append(
            Table(
                title=f"{label(view.by or 'region', group)} — {euros(group.total)}",
                columns=[
                    Column("key", _("Axis")),
                    Column("actions", _("Actions"), "count"),
                    Column("total", _("Total cost"), "euros"),
                    Column("share", _("Share of the region"), "percent"),
                ],
                rows=[
                    [label(view.nested_by or "axis", g), g.actions, g.total, pct(g.total, group.total)] for g in subs
                ],
            )
        )
    return tables


def totals_tables(view: TotalsView) -> list[Table]:
    tables = [summary_table(view)]
    if view.by:
        tables.append(groups_table(view))
    if view.nested_by:
        tables.extend(nested_tables(view))
    if view.own_shares:
        tables.append(own_share_table(view))
    return tables


def totals_csv_table(view: TotalsView) -> Table:
    """CSV: the groups (with a ``total`` row last) when grouped, else the figures as one row."""
    if view.by:
        return groups_table(view)
    t = view.totals
    table = Table(
        title=view.title,
        columns=[
            Column("contract", ""),
            Column("total", "", "euros"),
            Column("investment", "", "euros"),
            Column("operating", "", "euros"),
            Column("secured", "", "euros"),
            Column("loans", "", "euros"),
            Column("to_find", "", "euros"),
            Column("actions", "", "count"),
        ],
        rows=[[view.contract or "all", t.total, t.investment, t.operating, t.secured, t.loans, t.to_find, t.actions]],
    )
    return with_unsplit(table, [t.unsplit], t.unsplit)


# Cost sharing -------------------------------------------------------------------------------------


@dataclass
class ShareView:
    sharing: CostSharing
    split: Split
    financer_names: dict[str, str]
    per_year: list[list[Decimal]] | None = None  # each member's share split over the years


def share_json(view: ShareView) -> dict[str, Any]:
    s, split = view.sharing, view.split
    shares = []
    for i, (member, share) in enumerate(zip(s.members, split.shares, strict=True)):
        item: dict[str, Any] = {"member": member.id, "name": member.name, "share": json_amount(share)}
        if view.per_year is not None:
            item["per_year"] = [json_amount(a) for a in view.per_year[i]]
        shares.append(item)
    return {
        "title": s.title,
        "amount": json_amount(s.amount),
        "subsidies": [{"financer": f, "amount": json_amount(a)} for f, a in split.subsidies],
        "to_share": json_amount(split.to_share),
        "shares": shares,
    }


def _key_cell(view: ShareView, index: int) -> str:
    s = view.sharing
    member = s.members[index]
    if s.key is Key.weights:
        weights = sum((m.weight or Decimal(0) for m in s.members), Decimal(0))
        return f"{number(member.weight or 0)} ({percent(ratio(member.weight or Decimal(0), weights), 2)})"
    if s.key is Key.equal:
        return f"1/{len(s.members)}"
    return _("fixed amount")


def _years_cell(parts: list[Decimal]) -> str:
    """``11 593,50 €`` when every year is the same, else each year's figure."""
    if len(set(parts)) == 1:
        return euros(parts[0], 2)
    return " / ".join(euros(p, 2) for p in parts)


KEY_TITLES = {Key.weights: N_("Weight (share)"), Key.equal: N_("Key"), Key.fixed: N_("Key")}


def share_tables(view: ShareView, annex: bool = False) -> list[Table]:
    """The cost and its subsidies, then the shares. ``annex``: the document already carries the title."""
    s, split = view.sharing, view.split
    head = Table(
        title=_("Cost and subsidies") if annex else s.title,
        columns=[Column("label", ""), Column("amount", _("Amount"), "euros")],
        rows=[
            [_("Cost to cover"), s.amount],
            *[
                [
                    _("Subsidy {financer}{terms}").format(
                        financer=view.financer_names.get(f, f), terms=_subsidy_terms(s, i)
                    ),
                    a,
                ]
                for i, (f, a) in enumerate(split.subsidies)
            ],
            [_("Left to share between the members"), split.to_share],
        ],
    )
    columns = [
        Column("member", "Code", audience="machine"),
        Column("name", _("Member")),
        Column("weight", "Poids", "count", audience="machine"),
        Column("key", _(KEY_TITLES[s.key]), audience="people"),
        Column("share", _("Share"), "euros"),
    ]
    rows: list[list[Any]] = [
        [m.id, m.name, m.weight, _key_cell(view, i), split.shares[i]] for i, m in enumerate(s.members)
    ]
    footer: list[Any] = ["total", _("Total"), None, "", sum(split.shares, Decimal(0))]
    if view.per_year is not None:
        years = len(view.per_year[0]) if view.per_year else 0
        columns.append(
            Column(
                "per_year",
                ngettext("Per year ({n} year)", "Per year ({n} years)", years).format(n=years),
                "figures",
                audience="people",
            )
        )
        columns.extend(Column(f"year_{y + 1}", "", "euros", audience="machine") for y in range(years))
        by_year = [sum(col, Decimal(0)) for col in zip(*view.per_year, strict=True)]
        for row, parts in zip(rows, view.per_year, strict=True):
            row.extend([_years_cell(parts), *parts])
        footer.extend([_years_cell(by_year), *by_year])
    shares = Table(
        title=_("Sharing"),
        columns=columns,
        rows=rows,
        footer=footer,
        notes=[
            _(
                "Shares rounded to the cent; the cents left over go to the largest remainders (on "
                "a tie, to the member listed first): their sum is exactly the amount left to "
                "share."
            )
        ],
    )
    return [head, shares]


def _subsidy_terms(sharing: CostSharing, index: int) -> str:
    sub = sharing.subsidies[index]
    if sub.rate is None:
        return ""
    cap = _(", capped at {amount}").format(amount=euros(sub.cap)) if sub.cap is not None else ""
    return f" ({percent(sub.rate * 100, 0 if (sub.rate * 100) == int(sub.rate * 100) else 2)}{cap})"


def contract_view(bundle: Any, by: str | None) -> TotalsView:
    """The figures of ``ti totals CONTRACT [--by BY]`` for a checked ``ContractBundle``: what the terminal,
    the files and ``ti serve``'s exports all print."""
    from ti_cli.compute.totals import contract_totals, group_totals, latest_statuses, own_shares

    contract, actions = bundle.contract.model, bundle.action_models()
    statuses = latest_statuses(p for _source, p in bundle.valid_progress())
    return TotalsView(
        contract=contract.id,
        title=contract.title,
        totals=contract_totals(contract, actions),
        phase2=contract.phase2,
        by=by,
        groups=group_totals(contract, actions, by, statuses=statuses) if by else [],
        own_shares=own_shares(contract, actions),
    )
