"""Every dated event of a contract or a pacte in a window of days (SPEC §15): what ``ti calendar`` exports
as iCalendar, what the COPIL deck shows as « les trois prochains mois ». A document module: summaries and
descriptions are French, like the documents (the calendar file is one).

An event keeps a stable ``uid`` derived from the contract (or pacte) and the item's identity, never from
its date, so that a calendar importing the file again updates an event that moved instead of adding a
second one. The identities, decided here:

- a milestone: its action's number and its label (a label reworded is a new milestone; two identical
  labels in one action are told apart by their order). Milestones are read from each action's latest
  entry in ``progress/`` (the lists are cumulative, SPEC §5);
- an action's planned start and planned end: its number;
- a meeting recorded in ``decisions/``: its file's name (TI136 asks that name to carry the meeting's date:
  a meeting moved to another day keeps its file, or is a new event);
- a financing line still at stage sollicité with a ``requested_on``: a reminder on ``requested_on`` + 6
  months (one fallen due before the window comes on its first day, « due depuis le … »), identified by
  its action, financer and dispositif (and their order when one action has two such lines);
- the contract's period end: the contract;
- a pacte member's review: the member's file and the review's rank since joining (the 2nd review is the
  same event whether due or held, so holding it late moves it); the end of its membership: the member;
- a pacte committee's meeting (``adopted_on`` + k × cadence): its theme and k.

Events are all-day (a date, no time); their texts get French typography's no-break spaces. A milestone
already done is listed, marked « atteint »: a calendar keeps what happened. Sorted by date, then kind, then uid.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, replace

from ti_cli.french import euros
from ti_cli.loading.bundle import ContractBundle, PacteBundle
from ti_cli.model.action import Action, Stage
from ti_cli.model.pacte import Member, Pacte, add_months, membership_end, reviews_until
from ti_cli.model.programme import BODY_LABELS, DISPOSITIFS
from ti_cli.model.progress import Milestone
from ti_cli.typography import typography

PACTE_WINDOW_DAYS = 365  # a pacte whose memberships have all ended: a year ahead by default
REMINDER_MONTHS = 6  # a line requested this long ago with no decision: time to ask the financer
UID_DOMAIN = "ti-cli"

# The kinds of event, in the order they are listed on one day.
KINDS: dict[str, str] = {
    "meeting": "Réunion",
    "committee": "Comité du pacte",
    "milestone": "Jalon",
    "start": "Début prévu",
    "end": "Fin prévue",
    "reminder": "Relance",
    "review": "Revue",
    "membership-end": "Fin d'adhésion",
    "contract-end": "Fin du contrat",
}
_KIND_ORDER = {k: i for i, k in enumerate(KINDS)}


@dataclass(frozen=True)
class Event:
    uid: str  # stable: the contract or pacte and the item's identity, never its date
    date: dt.date  # all-day
    kind: str  # a key of KINDS
    summary: str  # French, one line
    description: str  # French, may span lines
    owner: str  # the contract's or the pacte's id
    file: str  # the file it comes from, relative to the contract's or pacte's folder
    action: int | None = None  # the action it refers to
    member: str | None = None  # the pacte member (its file's stem) it refers to
    done: bool = False  # a milestone reached, a review held, a meeting past

    @property
    def kind_label(self) -> str:
        return KINDS[self.kind]


def events(source: ContractBundle | PacteBundle, start: dt.date, end: dt.date) -> list[Event]:
    """Every dated event of the contract or pacte between ``start`` and ``end`` (both included)."""
    found = contract_events(source, end) if isinstance(source, ContractBundle) else pacte_events(source, end)
    # A reminder fallen due before the window is still to do (the line is still sollicité): it comes on the
    # window's first day, saying since when, rather than vanishing from the calendar and the deck.
    found = [
        replace(e, date=start, summary=f"{e.summary} (relance due depuis le {_date(e.date)})")
        if e.kind == "reminder" and e.date < start
        else e
        for e in found
    ]
    return sorted(
        (
            replace(e, summary=typography(e.summary), description=typography(e.description))
            for e in found
            if start <= e.date <= end
        ),
        key=lambda e: (e.date, _KIND_ORDER[e.kind], e.uid),
    )


# ---------------------------------------------------------------------------------------------------
# Identities


def default_end(bundle: ContractBundle | PacteBundle, first: dt.date) -> dt.date:
    """The calendar's last day when none is asked: the end of the contract's period; for a pacte, the
    last membership's end (a year ahead when every membership has ended, or there is none)."""
    if isinstance(bundle, ContractBundle):
        assert bundle.contract.model is not None  # checked before
        return bundle.contract.model.period.end
    pacte = bundle.pacte.model
    assert pacte is not None  # checked before
    last = max((membership_end(m, pacte) for _, m in bundle.loaded_members()), default=first)
    return last if last > first else first + dt.timedelta(days=PACTE_WINDOW_DAYS)


def slug(text: str) -> str:
    """ASCII lowercase words joined by hyphens: ``Début des travaux`` → ``debut-des-travaux``."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or "x"


def _digest(text: str) -> str:
    """A short fingerprint of a label, insensitive to case and spacing (a long label makes no long UID)."""
    normal = " ".join(unicodedata.normalize("NFC", text).casefold().split())
    return hashlib.sha1(normal.encode("utf-8"), usedforsecurity=False).hexdigest()[:10]


def uid(owner: str, *parts: str | int) -> str:
    """``<owner>.<part>.<part>@ti-cli``: unique across contracts and pactes, stable across runs."""
    return ".".join([owner, *(str(p) for p in parts)]) + "@" + UID_DOMAIN


def _date(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


# ---------------------------------------------------------------------------------------------------
# A contract


def _latest_milestones(bundle: ContractBundle) -> dict[int, tuple[str, list[Milestone]]]:
    """Each action's milestones as its latest progress entry lists them, with that file's name."""
    out: dict[int, tuple[str, list[Milestone]]] = {}
    for src, report in bundle.valid_progress():  # oldest quarter first: the latest wins
        for entry in report.actions:
            out[entry.number] = (f"progress/{src.path.name}", entry.milestones)
    return out


def contract_events(bundle: ContractBundle, until: dt.date | None = None) -> list[Event]:
    """Every dated event of the contract, unsorted and unfiltered (``until`` is unused: a contract's
    events are finite)."""
    contract = bundle.contract.model
    if contract is None:
        return []
    cid = contract.id
    financers = {f.id: f.name for f in contract.financers}
    dispositifs = {d.id: d.name for d in contract.dispositifs}
    actions = {a.number: a for a in bundle.action_models()}
    out: list[Event] = []
    for number, (file, milestones) in sorted(_latest_milestones(bundle).items()):
        out.extend(_milestone_events(cid, number, actions.get(number), file, milestones))
    for src, action in bundle.valid_actions():
        file = f"actions/{src.path.name}"
        out.extend(_action_events(cid, action, file, financers, dispositifs))
    for record, meeting in bundle.valid_decisions():
        listed = [
            f"- {'action ' + str(d.action) + ' : ' if d.action is not None else ''}{d.summary}"
            for d in meeting.decisions
        ]
        present = f"Présents : {', '.join(meeting.present)}." if meeting.present else ""
        body = BODY_LABELS.get(meeting.body.value, meeting.body.value)
        summary = meeting.title
        if meeting.draft and "projet de relevé" not in summary.lower():
            summary = f"{summary} (projet de relevé)"
        out.append(
            Event(
                uid=uid(cid, "reunion", slug(record.path.stem)),  # the same once the draft is adopted
                date=meeting.date,
                kind="meeting",
                summary=summary,
                description="\n".join(
                    part
                    for part in (
                        f"{body[0].upper()}{body[1:]} — {contract.title}.",
                        "Projet de relevé, pas encore adopté : ses décisions sont proposées, pas prises."
                        if meeting.draft
                        else "",
                        present,
                        ("Décisions proposées :" if meeting.draft else "Décisions :")
                        if listed
                        else "Aucune décision inscrite.",
                        *listed,
                    )
                    if part
                ),
                owner=cid,
                file=f"decisions/{record.path.name}",
            )
        )
    out.append(
        Event(
            uid=uid(cid, "fin-du-contrat"),
            date=contract.period.end,
            kind="contract-end",
            summary=f"Fin de la période du contrat — {contract.title}",
            description=f"Période : du {_date(contract.period.start)} au {_date(contract.period.end)}.",
            owner=cid,
            file="contract.yaml",
        )
    )
    return out


def _milestone_events(
    cid: str, number: int, action: Action | None, file: str, milestones: list[Milestone]
) -> list[Event]:
    seen: Counter[str] = Counter()
    out = []
    for milestone in milestones:
        key = _digest(milestone.label)
        seen[key] += 1
        identity = key if seen[key] == 1 else f"{key}-{seen[key]}"
        title = f" — {action.title}" if action else ""
        out.append(
            Event(
                uid=uid(cid, f"action-{number}", "jalon", identity),
                date=milestone.date,
                kind="milestone",
                summary=f"Jalon{' atteint' if milestone.done else ''} — action {number} : {milestone.label}",
                description=f"Action {number}{title}.\nJalon : {milestone.label}"
                + (" (atteint)." if milestone.done else " (à atteindre)."),
                owner=cid,
                file=file,
                action=number,
                done=milestone.done,
            )
        )
    return out


def _action_events(
    cid: str, action: Action, file: str, financers: dict[str, str], dispositifs: dict[str, str]
) -> list[Event]:
    out = []
    n = action.number
    for part, kind, words, day in (
        ("debut", "start", "Début prévu", action.planned_start),
        ("fin", "end", "Fin prévue", action.planned_end),
    ):
        if day is not None:
            out.append(
                Event(
                    uid=uid(cid, f"action-{n}", part),
                    date=day,
                    kind=kind,
                    summary=f"{words} — action {n} : {action.title}",
                    description=f"Action {n} — {action.title}.\nMaître d'ouvrage : {action.owner or 'non renseigné'}.",
                    owner=cid,
                    file=file,
                    action=n,
                )
            )
    seen: Counter[str] = Counter()
    for line in action.financing:
        if line.status is not Stage.sollicite or line.requested_on is None:
            continue
        key = f"{line.financer}-{line.dispositif or 'sans-dispositif'}"
        seen[key] += 1
        identity = key if seen[key] == 1 else f"{key}-{seen[key]}"
        financer = financers.get(line.financer, line.financer)
        scheme = dispositifs.get(line.dispositif or "") or DISPOSITIFS.get(line.dispositif or "") or line.dispositif
        what = f"{financer}{' (' + scheme + ')' if scheme else ''}"
        amount = euros(line.amount) if line.amount is not None else "montant non précisé"
        out.append(
            Event(
                uid=uid(cid, f"action-{n}", "relance", slug(identity)),
                date=add_months(line.requested_on, REMINDER_MONTHS),
                kind="reminder",
                summary=f"Relance — action {n} : financement sollicité auprès du financeur {what}, sans décision",
                description=(
                    f"Action {n} — {action.title}.\n"
                    f"Financement sollicité le {_date(line.requested_on)} auprès du financeur {what} : {amount}.\n"
                    f"Toujours à l'étape « sollicité » {REMINDER_MONTHS} mois plus tard : relancer le financeur, "
                    "ou inscrire sa décision (status, decided_on)."
                ),
                owner=cid,
                file=file,
                action=n,
            )
        )
    return out


# ---------------------------------------------------------------------------------------------------
# A pacte


def pacte_events(bundle: PacteBundle, until: dt.date) -> list[Event]:
    """Every dated event of the pacte up to ``until`` (committees meet without end), unsorted."""
    pacte = bundle.pacte.model
    if pacte is None:
        return []
    out: list[Event] = []
    for src in bundle.members:
        if src.model is not None:
            out.extend(_member_events(pacte, src.path.stem, f"members/{src.path.name}", src.model))
    out.extend(_committee_events(pacte, until))
    return out


def _member_events(pacte: Pacte, member_slug: str, file: str, member: Member) -> list[Event]:
    pid = pacte.id
    held = reviews_until(member)
    ends = membership_end(member, pacte)
    since = f"{member.company}, membre du pacte « {pacte.title} » depuis le {_date(member.joined_on)}."

    def review(rank: int, day: dt.date, done: bool) -> Event:
        """A review held (``done``) or due: one UID per rank, so a review keeps it from due to held."""
        if done:
            summary, said = f"Revue tenue — {member.company} (revue n° {rank})", f"tenue le {_date(day)}"
        else:
            summary = f"Revue due — {member.company} (revue n° {rank})"
            said = f"due le {_date(day)} (une revue tous les {pacte.review_every_months} mois)"
        return Event(
            uid=uid(pid, f"membre-{member_slug}", f"revue-{rank}"),
            date=day,
            kind="review",
            summary=summary,
            description=f"{since}\nRevue n° {rank} {said}.",
            owner=pid,
            file=file,
            member=member_slug,
            done=done,
        )

    out = [review(rank, held_review.date, True) for rank, held_review in enumerate(held, start=1)]
    due = add_months(held[-1].date if held else member.joined_on, pacte.review_every_months)
    rank = len(held) + 1
    while due < ends:
        out.append(review(rank, due, False))
        due = add_months(due, pacte.review_every_months)
        rank += 1
    out.append(
        Event(
            uid=uid(pid, f"membre-{member_slug}", "fin-adhesion"),
            date=ends,
            kind="membership-end",
            summary=f"Fin d'adhésion — {member.company}",
            description=f"{member.company} a adhéré au pacte « {pacte.title} » le {_date(member.joined_on)} pour "
            f"{pacte.membership_years} ans : l'adhésion prend fin le {_date(ends)}, sauf renouvellement.",
            owner=pid,
            file=file,
            member=member_slug,
        )
    )
    return out


def _committee_events(pacte: Pacte, until: dt.date) -> list[Event]:
    from ti_cli.compute.pacte import CADENCE_MONTHS

    out: list[Event] = []
    if pacte.adopted_on is None:
        return out
    for theme in pacte.themes:
        committee = theme.committee
        months = CADENCE_MONTHS[committee.cadence] if committee else None
        if committee is None or months is None:
            continue
        k = 1
        while (day := add_months(pacte.adopted_on, k * months)) <= until:
            participants = ", ".join(committee.participants)
            out.append(
                Event(
                    uid=uid(pacte.id, f"comite-{theme.id}", k),
                    date=day,
                    kind="committee",
                    summary=f"Comité du pacte — {theme.title} (réunion n° {k})",
                    description=f"Pacte « {pacte.title} », thématique « {theme.title} » : comité "
                    f"{committee.cadence.value}." + (f"\nParticipants : {participants}." if participants else ""),
                    owner=pacte.id,
                    file="pacte.yaml",
                )
            )
            k += 1
    return out
