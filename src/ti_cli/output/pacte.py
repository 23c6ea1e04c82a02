"""``ti pacte status`` and ``ti pacte stakeholders`` printed for people (rich tables) and scripts (JSON).

Figures come from ``compute.pacte``; dates and shares are printed the French way by ``ti_cli.french``.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from ti_cli.french import date_short, percent
from ti_cli.i18n import N_, _, ngettext
from ti_cli.model.pacte import ContactStatus

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


def status_tables(status: PacteStatus) -> list[RenderableType]:
    from rich import box
    from rich.table import Table

    # The figures tables' light frame: the six columns then fit 80 columns, dates never cut.
    table = Table(title=_("Pacte {pacte} — as of {date}").format(pacte=status.pacte, date=date_short(status.as_of)),
                  title_justify="left", box=box.SIMPLE_HEAD, pad_edge=False, collapse_padding=True)
    table.add_column(_("member"), ratio=1, min_width=14)
    for header in (_("joined"), _("ends"), _("last review"), _("next review")):
        table.add_column(header, min_width=10)  # a date is never cut; a header wraps between words
    table.add_column(_("state"))
    for m in status.members:
        table.add_row(_esc(m.company), date_short(m.joined_on), date_short(m.ends_on), date_short(m.last_review),
                      date_short(m.next_review), state(m))
    counts = ", ".join((
        ngettext("{n} member: {current} current", "{n} members: {current} current", len(status.members)).format(
            n=len(status.members), current=len(status.current)),
        ngettext("{n} ended", "{n} ended", len(status.ended)).format(n=len(status.ended)),
        ngettext("{n} review overdue", "{n} reviews overdue", len(status.overdue)).format(n=len(status.overdue)),
    ))
    lines: list[RenderableType] = [table, counts]
    lines += [_("joins later: {company} on {date}").format(company=_esc(company), date=date_short(day))
              for company, day in status.upcoming]
    return lines


# --- ti pacte stakeholders -------------------------------------------------------------------------


def _tally_table(title: str, first: str, tallies: list[Tally]) -> RenderableType:
    from rich.table import Table

    table = Table(title=title, title_justify="left")
    table.add_column(first, ratio=1, min_width=18)
    for header in (_("contacts"), *map(_, STATUS_WORDS.values()), _("left"), _("done")):
        table.add_column(header, justify="right")
    for t in tallies:
        table.add_row(_esc(t.key), str(t.total), *(str(n) for n in t.counts.values()), str(t.left),
                      percent(t.share_done))
    return table


def campaign_tables(pacte: str, c: Campaign) -> list[RenderableType]:
    from rich.table import Table

    overall = c.overall
    head = _("Pacte {pacte} — interview campaign as of {date}: {done} interviews held out of {total} contacts "
             "({share}), {left} left to do, {waiting} not contacted yet").format(
        pacte=pacte, date=date_short(c.as_of), done=overall.done, total=overall.total,
        share=percent(overall.share_done), left=overall.left, waiting=overall.counts[ContactStatus.a_contacter])
    todo = Table(title=_("Left to do, most important first"), title_justify="left")
    todo.add_column(_("priority"), no_wrap=True)
    for header in (_("entity"), _("typology"), _("who contacts")):
        todo.add_column(header, ratio=1)
    todo.add_column(_("status"))
    for contact, status in c.to_do():
        todo.add_row(contact.priority.value, _esc(contact.entity), _esc(contact.typology),
                     _esc(contact.contact_owner or "–"), _(STATUS_WORDS[status.value]))
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
            {"entity": x.entity, "typology": x.typology, "priority": x.priority.value,
             "contact_owner": x.contact_owner, "status": s.value}
            for x, s in c.to_do()
        ],
    }


def _esc(text: str) -> str:
    """Text shown literally by rich (a ``[`` in a company name is not markup)."""
    return text.replace("[", "\\[")
