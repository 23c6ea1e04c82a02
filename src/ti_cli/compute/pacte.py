"""Figures of the pacte industrie-territoire: memberships and reviews, collective indicators, committees,
the interview campaign. Pure functions of the models and a date; nothing here prints or renders.

Choices where SPEC §7 is silent (documented in docs/pacte.md):

- A member *counts* as of a date when it has joined (``joined_on <= as_of``) and its membership has
  not ended (it ends on the anniversary day, see ``model.pacte.membership_end``). Reviews dated after
  the date are ignored: ``--as-of`` answers as the pacte stood on that day.
- Collective indicators come from the **latest review** of each current member: numbers are summed,
  except percentages (unit ``%``), whose mean is given since a sum of shares means nothing; ``oui/non``
  gives how many members answered yes and their share of those who answered; ``texte`` lists the
  answers with the company's name.
- A committee meets every 3, 6 or 12 months (trimestriel, semestriel, annuel) counted from the pacte's
  ``adopted_on``: meetings fall on ``adopted_on + k × cadence`` (k ≥ 1, same day of the month, the
  last day of a shorter month); the next meeting is the first of those on or after the date. ``ad_hoc``
  committees, and pactes without ``adopted_on``, have no next meeting.
- An interview dated after the date had not taken place yet: the contact counts as ``contacte``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from ti_cli.model.pacte import (
    BOOLEAN_UNITS,
    TEXT_UNITS,
    Cadence,
    Commitment,
    Committee,
    Contact,
    ContactStatus,
    Indicator,
    IndicatorValue,
    Member,
    Pacte,
    Priority,
    Review,
    Side,
    Stakeholders,
    Theme,
    add_months,
    last_review,
    membership_end,
    next_review,
    reviews_until,
)

MEAN_UNITS = frozenset({"%"})  # shares are averaged over members, never added up
CADENCE_MONTHS: dict[Cadence, int | None] = {
    Cadence.trimestriel: 3,
    Cadence.semestriel: 6,
    Cadence.annuel: 12,
    Cadence.ad_hoc: None,
}
HUNDRED = Decimal(100)
TWO_PLACES = Decimal("0.01")

Members = list[tuple[str, Member]]  # (file stem, member), the file stem being how a user names a member


# ---------------------------------------------------------------------------------------------------
# Memberships and reviews


@dataclass(frozen=True)
class MemberStatus:
    slug: str
    company: str
    joined_on: dt.date
    ends_on: dt.date
    last_review: dt.date | None
    next_review: dt.date | None  # None once the membership has ended: no review is due any more
    review_overdue: bool  # due before the date (due today is not overdue); never for an ended membership
    ended: bool  # from the anniversary day on

    def as_json(self) -> dict[str, object]:
        """The member entry of ``ti pacte status --format json`` (SPEC §9): dates ISO, or null."""
        return {
            "company": self.company,
            "joined_on": self.joined_on.isoformat(),
            "ends_on": self.ends_on.isoformat(),
            "last_review": _iso(self.last_review),
            "next_review": _iso(self.next_review),
            "review_overdue": self.review_overdue,
            "ended": self.ended,
        }


def _iso(day: dt.date | None) -> str | None:
    return None if day is None else day.isoformat()


def member_status(slug: str, member: Member, pacte: Pacte, as_of: dt.date) -> MemberStatus:
    ends_on = membership_end(member, pacte)
    ended = ends_on <= as_of
    due = None if ended else next_review(member, pacte, as_of)
    return MemberStatus(
        slug=slug,
        company=member.company,
        joined_on=member.joined_on,
        ends_on=ends_on,
        last_review=last_review(member, as_of),
        next_review=due,
        review_overdue=due is not None and due < as_of,
        ended=ended,
    )


@dataclass(frozen=True)
class PacteStatus:
    pacte: str
    as_of: dt.date
    members: list[MemberStatus]  # members that have joined by ``as_of``, in file order
    upcoming: list[tuple[str, dt.date]] = field(default_factory=list)  # (company, joined_on) joining later

    @property
    def current(self) -> list[MemberStatus]:
        return [m for m in self.members if not m.ended]

    @property
    def ended(self) -> list[MemberStatus]:
        return [m for m in self.members if m.ended]

    @property
    def overdue(self) -> list[MemberStatus]:
        return [m for m in self.members if m.review_overdue]

    def due_order(self) -> list[MemberStatus]:
        """Current members, the most urgent review first."""
        return sorted(self.current, key=lambda m: (m.next_review or dt.date.max, m.company))

    def as_json(self) -> dict[str, object]:
        return {"pacte": self.pacte, "as_of": self.as_of.isoformat(), "members": [m.as_json() for m in self.members]}


def pacte_status(pacte: Pacte, members: Members, as_of: dt.date) -> PacteStatus:
    joined = [(slug, m) for slug, m in members if m.joined_on <= as_of]
    return PacteStatus(
        pacte=pacte.id,
        as_of=as_of,
        members=[member_status(slug, m, pacte, as_of) for slug, m in joined],
        upcoming=[(m.company, m.joined_on) for _, m in members if m.joined_on > as_of],
    )


def current_members(pacte: Pacte, members: Members, as_of: dt.date) -> Members:
    """Members that have joined by ``as_of`` and whose membership has not ended."""
    return [(slug, m) for slug, m in members if m.joined_on <= as_of < membership_end(m, pacte)]


def latest_review(member: Member, as_of: dt.date) -> Review | None:
    held = reviews_until(member, as_of)
    return held[-1] if held else None


# ---------------------------------------------------------------------------------------------------
# Collective indicators


@dataclass(frozen=True)
class IndicatorFigure:
    """One indicator over the current members' latest reviews."""

    indicator: Indicator
    aggregation: str  # "sum" | "mean" | "yes_no" | "texts"
    values: list[tuple[str, IndicatorValue]]  # (company, value) of each member whose latest review has it
    total: Decimal | None = None  # the sum, or the mean for "mean" (rounded to 2 decimals)
    yes: int | None = None  # "yes_no": members answering yes
    share: Decimal | None = None  # "yes_no": yes / members answering, in percent (rounded to 2 decimals)

    @property
    def reporting(self) -> int:
        return len(self.values)

    @property
    def texts(self) -> list[tuple[str, str]]:
        return [(company, str(value)) for company, value in self.values]


def aggregation(unit: str) -> str:
    if unit in TEXT_UNITS:
        return "texts"
    if unit in BOOLEAN_UNITS:
        return "yes_no"
    return "mean" if unit in MEAN_UNITS else "sum"


def indicator_figure(indicator: Indicator, latest: list[tuple[str, Review]]) -> IndicatorFigure:
    """``latest``: (company, latest review) of each current member that has had one."""
    values = [(company, r.indicators[indicator.id]) for company, r in latest if indicator.id in r.indicators]
    how = aggregation(indicator.unit)
    if how == "texts":
        return IndicatorFigure(indicator, how, values)
    if how == "yes_no":
        yes = sum(1 for _, v in values if v is True)
        share = _rounded(Decimal(yes) * HUNDRED / len(values)) if values else None
        return IndicatorFigure(indicator, how, values, yes=yes, share=share)
    numbers = [Decimal(v) for _, v in values if isinstance(v, (int, Decimal)) and not isinstance(v, bool)]
    if not numbers:
        return IndicatorFigure(indicator, how, values)
    total = sum(numbers, Decimal(0))
    return IndicatorFigure(indicator, how, values, total=_rounded(total / len(numbers)) if how == "mean" else total)


def _rounded(value: Decimal) -> Decimal:
    return value.quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


# ---------------------------------------------------------------------------------------------------
# Committees


def next_meeting(adopted_on: dt.date | None, cadence: Cadence, as_of: dt.date) -> dt.date | None:
    """First ``adopted_on + k × cadence`` (k ≥ 1) on or after ``as_of``; None for ad_hoc or no adoption date.

    Each date is counted from ``adopted_on`` itself (not from the previous meeting) so that a pacte
    adopted on the 31st meets on the last day of short months without drifting to the 28th for good.
    """
    months = CADENCE_MONTHS[cadence]
    if months is None or adopted_on is None:
        return None
    elapsed = (as_of.year - adopted_on.year) * 12 + as_of.month - adopted_on.month
    k = max(1, elapsed // months)  # never past the answer: that meeting falls in an earlier month
    while (meeting := add_months(adopted_on, k * months)) < as_of:
        k += 1
    return meeting


# ---------------------------------------------------------------------------------------------------
# The annual review of the pacte


@dataclass(frozen=True)
class CommitmentRow:
    commitment: Commitment
    members: list[str]  # companies among the current members that took it (entreprise side only)


@dataclass(frozen=True)
class ThemeReport:
    theme: Theme
    commitments: list[CommitmentRow]
    indicators: list[IndicatorFigure]
    committee: Committee | None
    next_meeting: dt.date | None

    def side(self, side: str) -> list[CommitmentRow]:
        return [row for row in self.commitments if row.commitment.side == side]


@dataclass(frozen=True)
class PacteReport:
    pacte: Pacte
    as_of: dt.date
    status: PacteStatus
    themes: list[ThemeReport]
    reviewed: int  # current members with at least one review by the date

    @property
    def current(self) -> int:
        return len(self.status.current)


def pacte_report(pacte: Pacte, members: Members, as_of: dt.date) -> PacteReport:
    current = current_members(pacte, members, as_of)
    latest = [(m.company, r) for _, m in current if (r := latest_review(m, as_of)) is not None]
    themes = [
        ThemeReport(
            theme=theme,
            commitments=[
                CommitmentRow(c, [m.company for _, m in current if c.side is Side.entreprise and c.id in m.commitments])
                for c in theme.commitments
            ],
            indicators=[indicator_figure(i, latest) for i in theme.indicators],
            committee=theme.committee,
            next_meeting=next_meeting(pacte.adopted_on, theme.committee.cadence, as_of) if theme.committee else None,
        )
        for theme in pacte.themes
    ]
    return PacteReport(pacte, as_of, pacte_status(pacte, members, as_of), themes, len(latest))


# ---------------------------------------------------------------------------------------------------
# One member's fiche d'animation


@dataclass(frozen=True)
class IndicatorSeries:
    indicator: Indicator
    points: list[tuple[dt.date, IndicatorValue]]  # one per review that reports it, oldest first

    @property
    def numeric(self) -> bool:
        return aggregation(self.indicator.unit) in ("sum", "mean")

    def value_on(self, day: dt.date) -> IndicatorValue | None:
        return next((v for d, v in self.points if d == day), None)


@dataclass(frozen=True)
class TakenCommitment:
    theme: Theme
    commitment: Commitment
    territoire: list[Commitment]  # what the territoire commits to in return, in the same theme


@dataclass(frozen=True)
class Fiche:
    pacte: Pacte
    as_of: dt.date
    member: Member
    status: MemberStatus
    commitments: list[TakenCommitment]
    reviews: list[Review]  # held by the date, oldest first
    indicators: list[IndicatorSeries]  # in the pacte's order, only those the member has reported


def fiche(pacte: Pacte, slug: str, member: Member, as_of: dt.date) -> Fiche:
    by_id = {c.id: (t, c) for t in pacte.themes for c in t.commitments}
    taken = [
        TakenCommitment(theme, commitment, [c for c in theme.commitments if c.side is Side.territoire])
        for theme, commitment in (by_id[i] for i in member.commitments if i in by_id)
    ]
    reviews = reviews_until(member, as_of)
    series = [
        IndicatorSeries(ind, points)
        for ind in pacte.indicators().values()
        if (points := [(r.date, r.indicators[ind.id]) for r in reviews if ind.id in r.indicators])
    ]
    return Fiche(pacte, as_of, member, member_status(slug, member, pacte, as_of), taken, reviews, series)


# ---------------------------------------------------------------------------------------------------
# The interview campaign (step 1 of the guide's method)


STATUS_ORDER = tuple(ContactStatus)
PRIORITY_ORDER = tuple(Priority)


@dataclass(frozen=True)
class Tally:
    key: str  # a typology, a priority or a contact owner
    counts: dict[ContactStatus, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def done(self) -> int:
        return self.counts[ContactStatus.entretien_realise]

    @property
    def left(self) -> int:
        """Still to do: not contacted yet, or contacted without an interview held."""
        return self.counts[ContactStatus.a_contacter] + self.counts[ContactStatus.contacte]

    @property
    def share_done(self) -> Decimal | None:
        """Interviews held, in percent of the contacts (rounded to 2 decimals)."""
        return _rounded(Decimal(self.done) * HUNDRED / self.total) if self.total else None

    def as_json(self, name: str) -> dict[str, object]:
        return {
            name: self.key,
            "total": self.total,
            **{s.value: self.counts[s] for s in STATUS_ORDER},
            "left": self.left,
        }


@dataclass(frozen=True)
class Campaign:
    as_of: dt.date
    contacts: list[tuple[Contact, ContactStatus]]  # each contact with its status as of the date
    overall: Tally
    by_typology: list[Tally]
    by_priority: list[Tally]
    by_owner: list[Tally]

    def to_do(self) -> list[tuple[Contact, ContactStatus]]:
        """Contacts still to interview, the most important first, then by owner and entity."""
        left = (ContactStatus.a_contacter, ContactStatus.contacte)
        return sorted(
            ((c, s) for c, s in self.contacts if s in left),
            key=lambda pair: (PRIORITY_ORDER.index(pair[0].priority), pair[0].contact_owner or "", pair[0].entity),
        )

    def owned_by(self, owner: str) -> list[tuple[Contact, ContactStatus]]:
        return [(c, s) for c, s in self.contacts if _owner(c) == owner]


NO_OWNER = "(personne)"


def _owner(contact: Contact) -> str:
    return contact.contact_owner or NO_OWNER


def status_as_of(contact: Contact, as_of: dt.date) -> ContactStatus:
    """An interview dated after ``as_of`` had not taken place yet: the contact was only contacted."""
    if contact.status is ContactStatus.entretien_realise and contact.interview_on and contact.interview_on > as_of:
        return ContactStatus.contacte
    return contact.status


def _tallies(
    pairs: list[tuple[Contact, ContactStatus]], keys: Iterable[str], key_of: Callable[[Contact], str]
) -> list[Tally]:
    tallies = []
    for key in keys:
        counts = dict.fromkeys(STATUS_ORDER, 0)
        for contact, status in pairs:
            if key_of(contact) == key:
                counts[status] += 1
        tallies.append(Tally(key, counts))
    return tallies


def campaign(stakeholders: Stakeholders, as_of: dt.date) -> Campaign:
    pairs = [(c, status_as_of(c, as_of)) for c in stakeholders.contacts]
    typologies = list(dict.fromkeys(c.typology for c in stakeholders.contacts))  # file order
    owners = list(dict.fromkeys(_owner(c) for c in stakeholders.contacts))
    priorities = [p.value for p in PRIORITY_ORDER]
    return Campaign(
        as_of=as_of,
        contacts=pairs,
        overall=_tallies(pairs, ["all"], lambda _: "all")[0],
        by_typology=_tallies(pairs, typologies, lambda c: c.typology),
        by_priority=_tallies(pairs, priorities, lambda c: c.priority.value),
        by_owner=_tallies(pairs, owners, _owner),
    )
