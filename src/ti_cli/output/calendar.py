"""``ti calendar``: the dated events of compute/calendar.py as an iCalendar file (RFC 5545), a table for
people, or JSON for scripts.

The iCalendar file: one all-day ``VEVENT`` per event (``DTSTART;VALUE=DATE`` and ``DTEND`` the next day,
``TRANSP:TRANSPARENT``: a deadline does not make anyone busy), its stable ``UID``, a ``DTSTAMP`` (the time
of the export, UTC), the French ``SUMMARY`` and ``DESCRIPTION``, the kind as ``CATEGORIES``. A calendar
that imports the file again finds the same UIDs and updates its events rather than adding copies. A window
with no event gives a calendar with no event (RFC 5545 asks for one component at least: it carries the
territory's time zone, Europe/Paris, which no event uses).

JSON: ``{"owner", "type", "from", "to", "events": [{"uid", "date", "kind", "summary", "description",
"file", "action", "member", "done"}]}`` — ``type`` contract | pacte, dates ISO, ``action`` and ``member``
null when the event refers to none.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from ti_cli.compute.calendar import KINDS, Event
from ti_cli.french import date_short
from ti_cli.i18n import _
from ti_cli.output.tables import Column, Table

PRODID = "-//ti-cli//ti calendar//FR"
TIME_ZONE = "Europe/Paris"


def to_ics(events: list[Event], name: str, start: dt.date, end: dt.date, stamp: dt.datetime | None = None) -> bytes:
    """The events as an iCalendar file named ``name`` (``X-WR-CALNAME``)."""
    import icalendar

    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    stamp = (stamp or dt.datetime.now(dt.UTC)).astimezone(dt.UTC).replace(microsecond=0)
    for e in events:
        event = icalendar.Event()
        event.add("uid", e.uid)
        event.add("dtstamp", stamp)
        event.add("dtstart", e.date)
        event.add("dtend", e.date + dt.timedelta(days=1))
        event.add("summary", e.summary)
        event.add("description", e.description)
        event.add("categories", [KINDS[e.kind]])
        event.add("transp", "TRANSPARENT")
        calendar.add_component(event)
    if not events:
        calendar.add_component(_time_zone(start, end))
    data: bytes = calendar.to_ical()
    return data


def _time_zone(start: dt.date, end: dt.date) -> Any:
    import zoneinfo

    import icalendar

    # A year either side: a VTIMEZONE needs one STANDARD or DAYLIGHT part at least, even for one day.
    year = dt.timedelta(days=366)
    return icalendar.Timezone.from_tzinfo(zoneinfo.ZoneInfo(TIME_ZONE), first_date=start - year, last_date=end + year)


def as_json(events: list[Event], owner: str, kind: str, start: dt.date, end: dt.date) -> dict[str, Any]:
    return {
        "owner": owner,
        "type": kind,
        "from": start.isoformat(),
        "to": end.isoformat(),
        "events": [
            {
                "uid": e.uid,
                "date": e.date.isoformat(),
                "kind": e.kind,
                "summary": e.summary,
                "description": e.description,
                "file": e.file,
                "action": e.action,
                "member": e.member,
                "done": e.done,
            }
            for e in events
        ],
    }


def table(events: list[Event], name: str, start: dt.date, end: dt.date) -> Table:
    out = Table(
        _("{name} — from {start} to {end}").format(name=name, start=date_short(start), end=date_short(end)),
        [
            Column("date", _("Date")),
            Column("summary", _("Event")),
        ],
    )
    for e in events:
        out.rows.append([date_short(e.date), e.summary])
    return out
