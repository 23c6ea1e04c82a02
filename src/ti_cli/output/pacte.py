"""``ti pacte status`` and ``ti pacte stakeholders`` printed for people (rich tables) and scripts (JSON).

Figures come from ``compute.pacte``; dates and shares are printed the French way by ``ti_cli.french``.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from ti_cli.french import date_short, percent
from ti_cli.i18n import N_, _, ngettext
from ti_cli.model.pacte import ContactStatus
from ti_cli.output.tables import Column, Table

if TYPE_CHECKING:
    from rich.console import RenderableType

    from ti_cli.compute.pacte import Campaign, MemberStatus, PacteStatus, Tally

STATUS_WORDS = {
    "a_contacter": N_("to contact"),
    "contacte": N_("contacted"),
    "entretien_realise": N_("interviewed"),
    "decline": N_("declined"),
}


def dumps(data: object) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


# --- ti pacte status -------------------------------------------------------------------------------


def state(m: MemberStatus) -> str:
    if m.ended:
        return "[yellow]" + _("ended") + "[/]"
    if m.review_overdue:
        return "[red]" + _("review overdue") + "[/]"
    return "[green]" + _("up to date") + "[/]"


def status_tables(status: PacteStatus) -> list[RenderableType | Table]:
    # The figures tables (``output.tables``): within the terminal's width, dates and words never cut.
    table = Table(
        title=_("Pacte {pacte} — as of {date}").format(pacte=status.pacte, date=date_short(status.as_of)),
        columns=[
            Column("member", _("member")),
            Column("joined", _("joined"), "figures"),
            Column("ends", _("ends"), "figures"),
            Column("last_review", _("last review"), "figures"),
            Column("next_review", _("next review"), "figures"),
            Column("state", _("state")),
        ],
        rows=[
            [
                _esc(m.company),
                date_short(m.joined_on),
                date_short(m.ends_on),
                date_short(m.last_review),
                date_short(m.next_review),
                state(m),
            ]
            for m in status.members
        ],
    )
    counts = ", ".join(
        (
            ngettext("{n} member: {current} current", "{n} members: {current} current", len(status.members)).format(
                n=len(status.members), current=len(status.current)
            ),
            ngettext("{n} ended", "{n} ended", len(status.ended)).format(n=len(status.ended)),
            ngettext("{n} review overdue", "{n} reviews overdue", len(status.overdue)).format(n=len(status.overdue)),
        )
    )
    lines: list[RenderableType | Table] = [table, counts]
    lines += [
        _("joins later: {company} on {date}").format(company=_esc(company), date=date_short(day))
        for company, day in status.upcoming
    ]
    return lines


# --- ti pacte stakeholders -------------------------------------------------------------------------


def _tally_table(title: str, first: str, tallies: list[Tally]) -> Table:
    headers = (_("contacts"), *map(_, STATUS_WORDS.values()), _("left"))
    return Table(
        title=title,
        columns=[
            Column("key", first),
            *(Column(f"n{i}", h, "count") for i, h in enumerate(headers)),
            Column("done", _("done"), "figures"),
        ],
        rows=[[_esc(t.key), t.total, *t.counts.values(), t.left, percent(t.share_done)] for t in tallies],
    )


def campaign_tables(pacte: str, c: Campaign) -> list[RenderableType | Table]:
    overall = c.overall
    head = _(
        "Pacte {pacte} — interview campaign as of {date}: {done} interviews held out of {total} contacts "
        "({share}), {left} left to do, {waiting} not contacted yet"
    ).format(
        pacte=pacte,
        date=date_short(c.as_of),
        done=overall.done,
        total=overall.total,
        share=percent(overall.share_done),
        left=overall.left,
        waiting=overall.counts[ContactStatus.a_contacter],
    )
    todo = Table(
        title=_("Left to do, most important first"),
        columns=[
            Column("priority", _("priority"), "figures"),
            Column("entity", _("entity")),
            Column("typology", _("typology")),
            Column("owner", _("who contacts")),
            Column("status", _("status")),
        ],
        rows=[
            [
                contact.priority.value,
                _esc(contact.entity),
                _esc(contact.typology),
                _esc(contact.contact_owner or "–"),
                _(STATUS_WORDS[status.value]),
            ]
            for contact, status in c.to_do()
        ],
    )
    return [
        head,
        _tally_table(_("By typology"), _("typology"), c.by_typology),
        _tally_table(_("By priority"), _("priority"), c.by_priority),
        _tally_table(_("Who contacts whom: by owner"), _("owner"), c.by_owner),
        todo,
    ]


def campaign_json(pacte: str, c: Campaign) -> dict[str, object]:
    return {
        "pacte": pacte,
        "as_of": c.as_of.isoformat(),
        "contacts": c.overall.total,
        "interviewed": c.overall.done,
        "left": c.overall.left,
        "by_typology": [t.as_json("typology") for t in c.by_typology],
        "by_priority": [t.as_json("priority") for t in c.by_priority],
        "by_owner": [
            {**t.as_json("contact_owner"), "entities": [x.entity for x, _ in c.owned_by(t.key)]} for t in c.by_owner
        ],
        "to_do": [
            {
                "entity": x.entity,
                "typology": x.typology,
                "priority": x.priority.value,
                "contact_owner": x.contact_owner,
                "status": s.value,
            }
            for x, s in c.to_do()
        ],
    }


def _esc(text: str) -> str:
    """Text shown literally by rich (a ``[`` in a company name is not markup)."""
    return text.replace("[", "\\[")
