"""Rules on the pacte industrie-territoire and its members (SPEC §7-8)."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from ti_cli.findings import Finding, Severity
from ti_cli.french import date_short
from ti_cli.i18n import N_, _
from ti_cli.loading.bundle import PacteBundle
from ti_cli.model.pacte import BOOLEAN_UNITS, TEXT_UNITS, Side, membership_end, next_review
from ti_cli.rules.registry import Context, rule

E, W = Severity.error, Severity.warning


def luhn_ok(digits: str) -> bool:
    total = 0
    for i, char in enumerate(reversed(digits)):
        n = int(char) * (2 if i % 2 else 1)
        total += n - 9 if n > 9 else n
    return total % 10 == 0


@rule(
    "TI070",
    "siret-checksum",
    E,
    "pacte",
    doc=N_(
        "A member's SIRET passes the Luhn checksum every SIRET carries (a typo almost always fails it).\n\n"
        'Bad: ``siret: "73282932000075"`` (one digit off). Fix: copy it again from the Kbis or '
        "annuaire-entreprises."
    ),
)
def siret_checksum(bundle: PacteBundle, _context: Context) -> Iterator[Finding]:
    for src in bundle.members:
        siret = src.model.siret if src.model else None
        if siret and not luhn_ok(siret):
            yield src.finding(
                "TI070", E, _("SIRET {siret} fails its checksum: a digit is wrong").format(siret=siret), ("siret",)
            )


@rule(
    "TI076",
    "pacte-ids-unique",
    E,
    "pacte",
    doc=N_(
        "Theme, commitment and indicator ids are unique across the pacte, since members refer to them.\n\n"
        "Bad: two commitments ``id: env-e1``. Fix: renumber the second."
    ),
)
def pacte_ids_unique(bundle: PacteBundle, _context: Context) -> Iterator[Finding]:
    pacte = bundle.pacte.model
    if pacte is None:
        return
    seen: set[str] = set()
    for t, theme in enumerate(pacte.themes):
        places: list[tuple[tuple[str | int, ...], str]] = [(("themes", t, "id"), theme.id)]
        places += [(("themes", t, "commitments", i, "id"), c.id) for i, c in enumerate(theme.commitments)]
        places += [(("themes", t, "indicators", i, "id"), x.id) for i, x in enumerate(theme.indicators)]
        for at, ident in places:
            if ident in seen:
                yield bundle.pacte.finding("TI076", E, _("id '{id}' is used twice in the pacte").format(id=ident), at)
            seen.add(ident)


@rule(
    "TI071",
    "member-commitments",
    E,
    "pacte",
    doc=N_(
        "A member takes commitments that exist in ``pacte.yaml``, on the ``entreprise`` side.\n\n"
        "Bad: ``commitments: [attr-t1]`` (a commitment of the territoire). Fix: use an ``entreprise`` one."
    ),
)
def member_commitments(bundle: PacteBundle, _context: Context) -> Iterator[Finding]:
    pacte = bundle.pacte.model
    if pacte is None:
        return
    known = pacte.commitments()
    for src in bundle.members:
        for i, ident in enumerate(src.model.commitments if src.model else []):
            commitment = known.get(ident)
            if commitment is None:
                yield src.finding(
                    "TI071", E, _("no commitment '{id}' in the pacte").format(id=ident), ("commitments", i)
                )
            elif commitment.side is not Side.entreprise:
                yield src.finding(
                    "TI071",
                    E,
                    _("'{id}' is a commitment of the territoire, not of a company").format(id=ident),
                    ("commitments", i),
                )


@rule(
    "TI073",
    "review-indicators",
    E,
    "pacte",
    doc=N_(
        "A review reports indicators of the pacte, with values of their unit's kind: a number, except for "
        "units ``texte`` (any text) and ``oui/non`` (true or false).\n\n"
        'Bad: ``emplois-crees: "une dizaine"`` for a unit ``nombre``. Fix: ``emplois-crees: 10``.'
    ),
)
def review_indicators(bundle: PacteBundle, _context: Context) -> Iterator[Finding]:
    pacte = bundle.pacte.model
    if pacte is None:
        return
    known = pacte.indicators()
    for src in bundle.members:
        for r, review in enumerate(src.model.reviews if src.model else []):
            for ident, value in review.indicators.items():
                at = ("reviews", r, "indicators", ident)
                indicator = known.get(ident)
                if indicator is None:
                    yield src.finding("TI073", E, _("no indicator '{id}' in the pacte").format(id=ident), at, key=True)
                elif not _fits(indicator.unit, value):
                    yield src.finding(
                        "TI073",
                        E,
                        _("'{id}' is in {unit}: {expected}, found {value}").format(
                            id=ident, unit=indicator.unit, expected=_expected(indicator.unit), value=repr(value)
                        ),
                        at,
                    )


def _fits(unit: str, value: object) -> bool:
    if unit in TEXT_UNITS:
        return isinstance(value, str)
    if unit in BOOLEAN_UNITS:
        return isinstance(value, bool)
    return isinstance(value, (int, Decimal)) and not isinstance(value, bool)


def _expected(unit: str) -> str:
    if unit in TEXT_UNITS:
        return _("expected text")
    return _("expected true or false") if unit in BOOLEAN_UNITS else _("expected a number")


@rule(
    "TI074",
    "review-after-joining",
    E,
    "pacte",
    doc=N_(
        "A member's reviews are dated on or after the day it joined.\n\n"
        "Bad: ``joined_on: 2024-02-29`` with a review on 2023-12-01. Fix: correct either date."
    ),
)
def review_after_joining(bundle: PacteBundle, _context: Context) -> Iterator[Finding]:
    for src in bundle.members:
        member = src.model
        if member is None:  # a member file that did not validate has its own findings
            continue
        for r, review in enumerate(member.reviews):
            if review.date < member.joined_on:
                yield src.finding(
                    "TI074",
                    E,
                    _("the review of {date} is before joining ({joined})").format(
                        date=date_short(review.date), joined=date_short(member.joined_on)
                    ),
                    ("reviews", r, "date"),
                )


@rule(
    "TI079",
    "pacte-territory",
    E,
    "pacte",
    doc=N_(
        "A pacte's ``territory`` names a contract of the same data repo (``data/contracts/<id>/``).\n\n"
        "Bad: ``territory: rochefort`` when the contract folder is ``rochefort-royan-marennes-oleron``. Fix: "
        "use the contract's id, or leave ``territory`` out."
    ),
)
def pacte_territory(bundle: PacteBundle, _context: Context) -> Iterator[Finding]:
    pacte = bundle.pacte.model
    contracts = bundle.root.parent.parent / "contracts"
    if pacte and pacte.territory and contracts.is_dir() and not (contracts / pacte.territory).is_dir():
        yield bundle.pacte.finding(
            "TI079",
            E,
            _("no contract '{contract}' under {folder}").format(contract=pacte.territory, folder=contracts),
            ("territory",),
        )


@rule(
    "TI077",
    "review-overdue",
    W,
    "pacte",
    doc=N_(
        "A member whose yearly review (``review_every_months`` after the last one, or after joining) has "
        "passed is reported, as of today or ``--as-of``. Due today is not yet overdue; reviews dated after "
        "``--as-of`` do not count (they had not been held on that day).\n\n"
        "Fix: hold the review and add it under ``reviews:`` with its date and indicators."
    ),
)
def review_overdue(bundle: PacteBundle, context: Context) -> Iterator[Finding]:
    pacte = bundle.pacte.model
    if pacte is None:
        return
    for src in bundle.members:
        member = src.model
        if member is None or membership_end(member, pacte) <= context.as_of:
            continue
        due = next_review(member, pacte, context.as_of)
        if due < context.as_of:
            yield src.finding(
                "TI077",
                W,
                _("{company}: review overdue since {date}").format(company=member.company, date=date_short(due)),
                ("reviews",),
                key=True,
            )


@rule(
    "TI078",
    "membership-ended",
    W,
    "pacte",
    doc=N_(
        "A member whose membership (``membership_years`` from joining) has ended, as of today or ``--as-of``;"
        " it ends on the anniversary day itself.\n\n"
        "Fix: renew it (a new ``joined_on`` after the final review) or move the file out of ``members/``."
    ),
)
def membership_ended(bundle: PacteBundle, context: Context) -> Iterator[Finding]:
    pacte = bundle.pacte.model
    if pacte is None:
        return
    for src in bundle.members:
        member = src.model
        if member is not None and (end := membership_end(member, pacte)) <= context.as_of:
            yield src.finding(
                "TI078",
                W,
                _("{company}: membership ended on {date}").format(company=member.company, date=date_short(end)),
                ("joined_on",),
            )
