"""``ti pacte status`` and ``ti pacte stakeholders`` printed for people (rich tables) and scripts (JSON).

Figures come from ``compute.pacte``; dates and shares are printed the French way by ``ti_cli.french``.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from ti_cli.french import date_short, percent
from ti_cli.model.pacte import ContactStatus

if TYPE_CHECKING:
    from rich.console import RenderableType

    from ti_cli.compute.pacte import Campaign, MemberStatus, PacteStatus, Tally

STATUS_WORDS = {
    "a_contacter": "to contact",
    "contacte": "contacted",
    "entretien_realise": "interviewed",
    "decline": "declined",
}


def dumps(data: object) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


# --- ti pacte status -------------------------------------------------------------------------------


def state(m: MemberStatus) -> str:
    if m.ended:
        return "[yellow]ended[/]"
    if m.review_overdue:
        return "[red]review overdue[/]"
    return "[green]up to date[/]"


def status_tables(status: PacteStatus) -> list[RenderableType]:
    from rich.table import Table

    table = Table(title=f"Pacte {status.pacte} — as of {date_short(status.as_of)}", title_justify="left")
    table.add_column("member", ratio=1, min_width=22)
    for header in ("joined", "ends", "last review", "next review"):
        table.add_column(header, min_width=10, no_wrap=True)  # a date is never cut
    table.add_column("state", no_wrap=True)
    for m in status.members:
        table.add_row(_esc(m.company), date_short(m.joined_on), date_short(m.ends_on), date_short(m.last_review),
                      date_short(m.next_review), state(m))
    counts = (f"{len(status.members)} members: {len(status.current)} current, {len(status.ended)} ended, "
              f"{len(status.overdue)} review(s) overdue")
    lines: list[RenderableType] = [table, counts]
    lines += [f"joins later: {_esc(company)} on {date_short(day)}" for company, day in status.upcoming]
    return lines


# --- ti pacte stakeholders -------------------------------------------------------------------------


def _tally_table(title: str, tallies: list[Tally]) -> RenderableType:
    from rich.table import Table

    table = Table(title=title, title_justify="left")
    table.add_column(title.split(" ")[-1], ratio=1, min_width=22)
    for header in ("contacts", *STATUS_WORDS.values(), "left", "done"):
        table.add_column(header, justify="right")
    for t in tallies:
        table.add_row(_esc(t.key), str(t.total), *(str(n) for n in t.counts.values()), str(t.left),
                      percent(t.share_done))
    return table


def campaign_tables(pacte: str, c: Campaign) -> list[RenderableType]:
    from rich.table import Table

    overall = c.overall
    head = (f"Pacte {pacte} — interview campaign as of {date_short(c.as_of)}: {overall.done} interviews held out "
            f"of {overall.total} contacts ({percent(overall.share_done)}), {overall.left} left to do, "
            f"{overall.counts[ContactStatus.a_contacter]} not contacted yet")
    todo = Table(title="Left to do, most important first", title_justify="left")
    todo.add_column("priority", no_wrap=True)
    for header in ("entity", "typology", "who contacts"):
        todo.add_column(header, ratio=1)
    todo.add_column("status", no_wrap=True)
    for contact, status in c.to_do():
        todo.add_row(contact.priority.value, _esc(contact.entity), _esc(contact.typology),
                     _esc(contact.contact_owner or "–"), STATUS_WORDS[status.value])
    return [
        head,
        _tally_table("By typology", c.by_typology),
        _tally_table("By priority", c.by_priority),
        _tally_table("Who contacts whom: by owner", c.by_owner),
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
