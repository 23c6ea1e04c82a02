"""Rules of phase 2 of the programme (SPEC §10): axes of the programme, financing by stage, indicators,
SIREN/SIRET, and the governance's decisions that replace the avenants.

Messages are in French: they speak to the chef de projet. Each finding sits on the value it is about.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from decimal import Decimal

from ti_cli.findings import Finding, Severity
from ti_cli.french import date_short, euros, group_thousands
from ti_cli.i18n import N_, _
from ti_cli.loading.bundle import ContractBundle
from ti_cli.model.action import Action, Stage
from ti_cli.model.contract import Contract, PartyRole
from ti_cli.model.decision import Kind, Opinion
from ti_cli.model.programme import AXIS_TO_CHOOSE, DISPOSITIFS, FONDS_VERT_TI, INDICATORS, VOLETS
from ti_cli.rules.pacte import luhn_ok
from ti_cli.rules.registry import Context, rule

E, W = Severity.error, Severity.warning
# Fields that only make sense with a phase-2 stage: on a line that speaks phase 1 (``eligibility``) they
# would be silently meaningless, so they are refused (TI117).
STAGE_FIELDS = ("paid", "requested_on", "decided_on", "reference")
PUBLIC_OWNERS = frozenset({PartyRole.intercommunalite, PartyRole.region})


def _contract(bundle: ContractBundle) -> Contract | None:
    return bundle.contract.model


@rule(
    "TI110",
    "axis-in-programme",
    E,
    "contract",
    doc=N_(
        "An action's ``axis`` (and each of its ``other_axes``) is one of its contract's programme's axes.\n\n"
        "Why: the axes belong to the programme — phase 1 (``ti-2019``, the default): ATTIRER, RECRUTER, "
        "INNOVER, SIMPLIFIER; phase 2 (``ti-2023``, the plan of 2023-2027 presented by the ANCT in its guide "
        "to the pacte industrie-territoire, 2025): TRANSITION, INNOVATION, COMPETENCES, FONCIER. Bad: ``axis:"
        " FONCIER`` in a contract without ``programme: ti-2023``; ``axis: A_CHOISIR`` left by ``ti new plan "
        "--from``. Fix: choose one of the axes the message lists, or set the contract's ``programme``."
    ),
)
def axis_in_programme(bundle: ContractBundle, _context: Context) -> Iterator[Finding]:
    contract = _contract(bundle)
    if contract is None:
        return
    prog = contract.programme_def
    allowed = prog.axis_codes()
    listed = ", ".join(allowed)
    for src, action in bundle.valid_actions():
        if action.axis.value == AXIS_TO_CHOOSE:
            yield src.finding(
                "TI110", E, _("axis to choose for this carried-over action: {axes}").format(axes=listed), ("axis",)
            )
        elif action.axis.value not in allowed:
            yield src.finding("TI110", E, _not_an_axis(action.axis.value, prog.code, listed), ("axis",))
        for i, other in enumerate(action.other_axes):
            if other.value not in allowed:
                yield src.finding("TI110", E, _not_an_axis(other.value, prog.code, listed), ("other_axes", i))


def _not_an_axis(axis: str, programme: str, listed: str) -> str:
    return _("'{axis}' is not an axis of the programme {programme}: choose {axes}").format(
        axis=axis, programme=programme, axes=listed
    )


@rule(
    "TI111",
    "paid-within-amount",
    E,
    "contract",
    doc=N_(
        "A financing line's ``paid`` (versé so far) is no more than its ``amount``.\n\n"
        "Bad: ``{amount: 300000, paid: 350000}``. Fix: correct the payment, or the amount if it was raised "
        "(an avenant to the convention of the financer)."
    ),
)
def paid_within_amount(bundle: ContractBundle, _context: Context) -> Iterator[Finding]:
    for src, action in bundle.valid_actions():
        for i, line in enumerate(action.financing):
            if line.paid is not None and line.amount is not None and line.paid > line.amount:
                yield src.finding(
                    "TI111",
                    E,
                    _("paid {paid} > amount {amount} ({gap} too much)").format(
                        paid=euros(line.paid), amount=euros(line.amount), gap=euros(line.paid - line.amount)
                    ),
                    ("financing", i, "paid"),
                )
            elif line.paid is not None and line.amount is None:
                yield src.finding(
                    "TI111",
                    E,
                    _("paid {paid} with no amount on the line").format(paid=euros(line.paid)),
                    ("financing", i, "paid"),
                )


@rule(
    "TI112",
    "decided-after-requested",
    E,
    "contract",
    doc=N_(
        "A financing line's ``decided_on`` is not before its ``requested_on``: a financer decides on an "
        "application already filed.\n\n"
        "Bad: ``requested_on: 2024-03-15, decided_on: 2024-01-10``. Fix: swap or correct the dates."
    ),
)
def decided_after_requested(bundle: ContractBundle, _context: Context) -> Iterator[Finding]:
    for src, action in bundle.valid_actions():
        for i, line in enumerate(action.financing):
            if line.requested_on and line.decided_on and line.decided_on < line.requested_on:
                yield src.finding(
                    "TI112",
                    E,
                    _("decision of {decided} before the request of {requested}").format(
                        decided=date_short(line.decided_on), requested=date_short(line.requested_on)
                    ),
                    ("financing", i, "decided_on"),
                )


@rule(
    "TI113",
    "eligibility-or-status",
    E,
    "contract",
    doc=N_(
        "A financing line has ``eligibility`` (phase 1's words) or ``status`` (phase 2's stages), not both: "
        "the two would say different things about whether the money is secured (SPEC §10).\n\n"
        "Bad: ``{financer: etat, eligibility: validee, status: sollicite}``. Fix: keep ``status`` in a "
        "phase-2 plan, ``eligibility`` in a phase-1 contract."
    ),
)
def eligibility_or_status(bundle: ContractBundle, _context: Context) -> Iterator[Finding]:
    for src, action in bundle.valid_actions():
        for i, line in enumerate(action.financing):
            if line.status is not None and "eligibility" in line.model_fields_set:
                yield src.finding(
                    "TI113",
                    E,
                    _("eligibility and status on the same line: keep one of them"),
                    ("financing", i, "status"),
                    key=True,
                )


@rule(
    "TI114",
    "measure-not-future",
    E,
    "contract",
    doc=N_(
        "An indicator's measure is not dated after today (the real date, whatever ``--as-of`` says): a value "
        "not yet measured is a target, not a measure.\n\n"
        "Bad: ``measures: [{on: 2030-12-31, value: 20}]``. Fix: put the figure in ``target``, or correct the "
        "date."
    ),
)
def measure_not_future(bundle: ContractBundle, _context: Context) -> Iterator[Finding]:
    today = dt.date.today()
    for src, action in bundle.valid_actions():
        for i, indicator in enumerate(action.indicators):
            for j, measure in enumerate(indicator.measures):
                if measure.on > today:
                    yield src.finding(
                        "TI114",
                        E,
                        _("measure dated {date}, after today").format(date=date_short(measure.on)),
                        ("indicators", i, "measures", j, "on"),
                    )


@rule(
    "TI115",
    "siren-checksum",
    E,
    "contract",
    doc=N_(
        "A party's ``siren`` passes the Luhn checksum every SIREN carries (a typo almost always fails it).\n\n"
        'Bad: ``siren: "200041763"``. Fix: copy it again from annuaire-entreprises.data.gouv.fr.'
    ),
)
def siren_checksum(bundle: ContractBundle, _context: Context) -> Iterator[Finding]:
    contract = _contract(bundle)
    for i, party in enumerate(contract.parties if contract else []):
        if party.siren and not luhn_ok(party.siren):
            yield bundle.contract.finding(
                "TI115",
                E,
                _("SIREN {siren} invalid: a digit is wrong (Luhn key)").format(siren=party.siren),
                ("parties", i, "siren"),
            )


@rule(
    "TI116",
    "owner-siret-checksum",
    E,
    "contract",
    doc=N_(
        "An action's ``owner_siret`` passes the Luhn checksum on its 14 digits, and its first 9 digits (the "
        "company's SIREN) pass theirs.\n\n"
        'Bad: ``owner_siret: "73282932000075"``. Fix: copy it again from the Kbis or annuaire-entreprises.'
    ),
)
def owner_siret_checksum(bundle: ContractBundle, _context: Context) -> Iterator[Finding]:
    for src, action in bundle.valid_actions():
        siret = action.owner_siret
        if siret and not luhn_ok(siret):
            yield src.finding(
                "TI116",
                E,
                _("SIRET {siret} invalid: a digit is wrong (Luhn key)").format(siret=siret),
                ("owner_siret",),
            )
        elif siret and not luhn_ok(siret[:9]):
            yield src.finding(
                "TI116",
                E,
                _("SIRET {siret} invalid: its SIREN {siren} fails the Luhn key").format(siret=siret, siren=siret[:9]),
                ("owner_siret",),
            )


@rule(
    "TI117",
    "phase2-field-placement",
    E,
    "contract",
    doc=N_(
        "A phase-2 field sits on a line of the right kind, never ignored: ``paid``, ``requested_on``, "
        "``decided_on`` and ``reference`` go with a ``status`` (not with phase 1's ``eligibility``), "
        "``volet`` with a ``dispositif``; an indicator of one's own (not in the catalogue of SPEC §10) has a "
        "``title`` and a ``unit``.\n\n"
        "Bad: ``{financer: etat, eligibility: validee, paid: 1000}``. Fix: write ``status: verse`` (or the "
        "line's stage) instead of ``eligibility``."
    ),
)
def phase2_field_placement(bundle: ContractBundle, _context: Context) -> Iterator[Finding]:
    for src, action in bundle.valid_actions():
        for i, line in enumerate(action.financing):
            if line.status is None:
                for name in STAGE_FIELDS:
                    if getattr(line, name) is not None:
                        yield src.finding(
                            "TI117",
                            E,
                            _(
                                "{field} only makes sense with a status (sollicite, obtenu, engage, verse or refuse)"
                            ).format(field=name),
                            ("financing", i, name),
                            key=True,
                        )
            if line.volet is not None and line.dispositif is None:
                yield src.finding(
                    "TI117",
                    E,
                    _("volet without a dispositif: give the dispositif of this volet"),
                    ("financing", i, "volet"),
                    key=True,
                )
        for i, indicator in enumerate(action.indicators):
            if indicator.id not in INDICATORS and (not indicator.title or not indicator.unit):
                yield src.finding(
                    "TI117",
                    E,
                    _(
                        "indicator '{id}' is not in the catalogue: give it a title and a unit (catalogue: {catalogue})"
                    ).format(id=indicator.id, catalogue=", ".join(INDICATORS)),
                    ("indicators", i, "id"),
                )
    for decisions_src, decisions in bundle.valid_decisions():
        for i, decision in enumerate(decisions.decisions):
            if decision.opinion is not None and decision.kind is not Kind.avis_fonds_vert:
                yield decisions_src.finding(
                    "TI117", E, _("opinion only goes with kind: avis-fonds-vert"), ("decisions", i, "opinion"), key=True
                )


@rule(
    "TI120",
    "dispositif-known",
    W,
    "contract",
    doc=N_(
        "A financing line's ``dispositif`` is a known one (fonds-vert-ti, fnadt, detr, dsil, france-2030, "
        "feder, autre) or one the contract declares in ``dispositifs:``.\n\n"
        "Bad: ``dispositif: fond-vert``. Fix: correct the slug, or declare the scheme in ``contract.yaml``: "
        "``dispositifs: [{id: region-usine-du-futur, name: Usine du futur, financer: region}]``."
    ),
)
def dispositif_known(bundle: ContractBundle, _context: Context) -> Iterator[Finding]:
    contract = _contract(bundle)
    known = [*DISPOSITIFS, *(d.id for d in contract.dispositifs)] if contract else list(DISPOSITIFS)
    for src, action in bundle.valid_actions():
        for i, line in enumerate(action.financing):
            if line.dispositif and line.dispositif not in known and (contract or not bundle.contract.findings):
                yield src.finding(
                    "TI120",
                    W,
                    _("unknown dispositif '{dispositif}' (known: {known})").format(
                        dispositif=line.dispositif, known=", ".join(known)
                    ),
                    ("financing", i, "dispositif"),
                )


@rule(
    "TI121",
    "decision-action-exists",
    W,
    "contract",
    doc=N_(
        "A decision names an action that has a file, unless a ``retrait`` decision for that number exists (an"
        " action removed from the files awaits its ``retrait``, which ``ti decisions draft`` proposes; a "
        "wrong number is caught the same way).\n\n"
        "Bad: ``{action: 14, kind: modification}`` with no ``actions/14-….yaml``. Fix: correct the number, or"
        " record the ``retrait`` of the action."
    ),
)
def decision_action_exists(bundle: ContractBundle, _context: Context) -> Iterator[Finding]:
    numbers = bundle.action_numbers()
    withdrawn = {d.action for _, f in bundle.valid_decisions() for d in f.decisions if d.kind is Kind.retrait}
    for src, decisions in bundle.valid_decisions():
        for i, decision in enumerate(decisions.decisions):
            if (
                numbers is not None
                and decision.action is not None
                and decision.action not in numbers
                and decision.action not in withdrawn
            ):
                yield src.finding(
                    "TI121",
                    W,
                    _("no action number {number} in actions/ (and no retrait decided for this number)").format(
                        number=decision.action
                    ),
                    ("decisions", i, "action"),
                )


@rule(
    "TI122",
    "fonds-vert-governance-opinion",
    W,
    "contract",
    doc=N_(
        "A Fonds vert axe 3 line (``dispositif: fonds-vert-ti``) at stage obtenu or later, for an action "
        "whose maître d'ouvrage is a company, has the local governance's favourable opinion: an "
        "``avis-fonds-vert`` decision for that action with ``opinion: favorable``, dated on or before the "
        "line's ``decided_on`` (or at all when ``decided_on`` is absent).\n\n"
        "Why: the Fonds vert axe 3 « Territoires d'industrie en transition écologique » is open to companies "
        "only with the agreement of the territory's governance (the programme's texts of 2023-2024). A "
        "company: ``owner_siret`` set, or no party of role intercommunalite or region in ``owner_parties``. "
        "Fix: record the comité's opinion in ``decisions/``."
    ),
)
def fonds_vert_opinion(bundle: ContractBundle, _context: Context) -> Iterator[Finding]:
    contract = _contract(bundle)
    if contract is None or not bundle.decisions_complete():
        return
    opinions: dict[int, list[dt.date]] = {}
    for _source, decisions in bundle.held_decisions():  # a draft's opinion is not given yet
        for d in decisions.decisions:
            if d.kind is Kind.avis_fonds_vert and d.opinion is Opinion.favorable and d.action is not None:
                opinions.setdefault(d.action, []).append(decisions.date)
    for src, action in bundle.valid_actions():
        if not company_owner(contract, action):
            continue
        for i, line in enumerate(action.financing):
            if line.dispositif != FONDS_VERT_TI or line.status not in (Stage.obtenu, Stage.engage, Stage.verse):
                continue
            dates = opinions.get(action.number, [])
            if not any(line.decided_on is None or day <= line.decided_on for day in dates):
                message = (
                    _(
                        "Fonds vert axe 3 for a company without a favourable opinion of the governance by "
                        "{date} (decision avis-fonds-vert for action {number})"
                    )
                    if line.decided_on
                    else _(
                        "Fonds vert axe 3 for a company without a favourable opinion of the governance (decision "
                        "avis-fonds-vert for action {number})"
                    )
                )
                yield src.finding(
                    "TI122",
                    W,
                    message.format(date=date_short(line.decided_on), number=action.number),
                    ("financing", i, "dispositif"),
                )


def company_owner(contract: Contract, action: Action) -> bool:
    """Whether the action's maître d'ouvrage is a company: it has a SIRET, or none of its owner parties is a
    public one (rule TI122, and the COPIL deck's Fonds vert avis awaited)."""
    if action.owner_siret:
        return True
    roles = {p.role for i in action.owner_parties if (p := contract.party(i)) is not None}
    return not roles & PUBLIC_OWNERS


def undecided_actions(bundle: ContractBundle) -> list[int]:
    """The numbers of the actions that no ``ajout`` or ``validation`` decision of a meeting held puts in the
    plan (rule TI123, and the COPIL deck's decisions to take): a draft relevé's decisions are still to take."""
    named = {
        d.action for _, f in bundle.held_decisions() for d in f.decisions if d.kind in (Kind.ajout, Kind.validation)
    }
    return [action.number for _, action in bundle.valid_actions() if action.number not in named]


@rule(
    "TI123",
    "action-decided",
    W,
    "contract",
    doc=N_(
        "In a ``ti-2023`` plan, every action was put in the plan by a decision of its governance: an "
        "``ajout`` or ``validation`` decision names it.\n\n"
        "Why: the plan d'actions évolutif changes by decisions of the binôme's governance, not by avenant. "
        "Fix: add the decision that put it in the plan to ``decisions/`` (``ti decisions draft`` proposes "
        "it)."
    ),
)
def action_decided(bundle: ContractBundle, _context: Context) -> Iterator[Finding]:
    contract = _contract(bundle)
    if contract is None or not contract.phase2 or not bundle.decisions_complete():
        return
    undecided = set(undecided_actions(bundle))
    for src, action in bundle.valid_actions():
        if action.number in undecided:
            yield src.finding(
                "TI123",
                W,
                _("no decision (ajout or validation) puts action {number} in the plan").format(number=action.number),
                ("number",),
            )


@rule(
    "TI124",
    "withdrawn-file-gone",
    W,
    "contract",
    doc=N_(
        "A ``retrait`` decision's action has no file any more: an action withdrawn by the governance leaves "
        "the plan.\n\n"
        "Fix: delete (``git rm``) the action's file, or correct the decision's number."
    ),
)
def withdrawn_file_gone(bundle: ContractBundle, _context: Context) -> Iterator[Finding]:
    numbers = {a.number for a in bundle.action_models()}
    for src, decisions in bundle.valid_decisions():
        for i, decision in enumerate(decisions.decisions):
            if decision.kind is Kind.retrait and decision.action in numbers:
                yield src.finding(
                    "TI124",
                    W,
                    _("retrait of action {number}, whose file is still in actions/").format(number=decision.action),
                    ("decisions", i, "action"),
                )


@rule(
    "TI125",
    "verse-fully-paid",
    W,
    "contract",
    doc=N_(
        "A line at stage ``verse`` (paid in full) has ``paid`` equal to its ``amount``.\n\n"
        "Bad: ``{status: verse, amount: 300000, paid: 120000}``. Fix: the stage is ``engage`` until the "
        "balance is paid, or ``paid`` is out of date."
    ),
)
def verse_fully_paid(bundle: ContractBundle, _context: Context) -> Iterator[Finding]:
    for src, action in bundle.valid_actions():
        for i, line in enumerate(action.financing):
            if (
                line.status is Stage.verse
                and line.paid is not None
                and line.amount is not None
                and line.paid < line.amount
            ):
                yield src.finding(
                    "TI125",
                    W,
                    _("status verse but paid {paid} < amount {amount} ({left} still to pay)").format(
                        paid=euros(line.paid), amount=euros(line.amount), left=euros(line.amount - line.paid)
                    ),
                    ("financing", i, "paid"),
                )


@rule(
    "TI126",
    "indicator-target-missed",
    W,
    "contract",
    doc=N_(
        "An indicator whose latest measure is dated on or after the action's ``planned_end`` reached its "
        "``target``: the evaluation of the phase counts what each action achieved.\n\n"
        "Fix: explain the gap in the action's ``comment``, revise the target by a decision, or measure again."
    ),
)
def indicator_target_missed(bundle: ContractBundle, _context: Context) -> Iterator[Finding]:
    today = dt.date.today()  # a measure after today is TI114's, not a result to judge
    for src, action in bundle.valid_actions():
        for i, indicator in enumerate(action.indicators):
            latest = indicator.latest(today)
            if latest is None or indicator.target is None or action.planned_end is None or _end_before_start(action):
                continue
            if latest.on >= action.planned_end and latest.value < indicator.target:
                j = indicator.measures.index(latest)
                yield src.finding(
                    "TI126",
                    W,
                    _("indicator '{id}': {value} on {date}, below the target {target} (planned end {end})").format(
                        id=indicator.id,
                        value=_num(latest.value),
                        date=date_short(latest.on),
                        target=_num(indicator.target),
                        end=date_short(action.planned_end),
                    ),
                    ("indicators", i, "measures", j, "value"),
                )


def _end_before_start(action: Action) -> bool:
    """TI128's error: then ``planned_end`` is no date to judge an indicator against (TI126 is silent)."""
    return bool(action.planned_start and action.planned_end and action.planned_end < action.planned_start)


def _num(value: Decimal) -> str:
    return quantity(value)


def quantity(value: Decimal) -> str:
    """An indicator's value French style, with the decimals it has: ``6,5``, ``4 000``."""
    integer, _, fraction = f"{value.normalize():f}".partition(".")
    return group_thousands(integer) + (f",{fraction}" if fraction else "")


@rule(
    "TI127",
    "paid-on-refused",
    E,
    "contract",
    doc=N_(
        "A line at stage ``refuse`` has nothing paid: a financer does not pay what it refused, and a refused "
        "line counts in no sum (SPEC §10), so its ``paid`` would vanish from the figures.\n\n"
        "Bad: ``{status: refuse, amount: 300000, paid: 50000}``. Fix: if money was paid, the line was granted "
        "(``engage`` or ``verse``); if it was refused, remove ``paid``."
    ),
)
def paid_on_refused(bundle: ContractBundle, _context: Context) -> Iterator[Finding]:
    message = _(
        "paid {paid} on a refused line: a refused line pays nothing; give the stage the money reached (engage "
        "or verse), or remove paid"
    )
    yield from _paid_at(bundle, Stage.refuse, "TI127", E, message)


def _paid_at(bundle: ContractBundle, stage: Stage, code: str, severity: Severity, message: str) -> Iterator[Finding]:
    """A finding at the ``paid`` of every line at ``stage`` that has money paid."""
    for src, action in bundle.valid_actions():
        for i, line in enumerate(action.financing):
            if line.status is stage and line.paid:
                yield src.finding(code, severity, message.format(paid=euros(line.paid)), ("financing", i, "paid"))


@rule(
    "TI128",
    "planned-end-after-start",
    E,
    "contract",
    doc=N_(
        "An action's ``planned_end`` is not before its ``planned_start``: an action ends after it starts.\n\n"
        "Bad: ``planned_start: 2025-01-01, planned_end: 2024-06-30``. Fix: swap or correct the dates (often a "
        "mistyped year)."
    ),
)
def planned_end_after_start(bundle: ContractBundle, _context: Context) -> Iterator[Finding]:
    for src, action in bundle.valid_actions():
        if _end_before_start(action):
            assert action.planned_start and action.planned_end
            yield src.finding(
                "TI128",
                E,
                _("planned end {end} before the planned start {start}: swap or correct the dates").format(
                    end=date_short(action.planned_end), start=date_short(action.planned_start)
                ),
                ("planned_end",),
            )


@rule(
    "TI129",
    "volet-in-range",
    E,
    "contract",
    doc=N_(
        "A financing line's ``volet`` is one its dispositif has: Fonds vert axe 3 (``fonds-vert-ti``) has "
        "volets 1, 2 and 3.\n\n"
        "Bad: ``{dispositif: fonds-vert-ti, volet: 99}``. Fix: give the volet of the decision granting the "
        "money."
    ),
)
def volet_in_range(bundle: ContractBundle, _context: Context) -> Iterator[Finding]:
    for src, action in bundle.valid_actions():
        for i, line in enumerate(action.financing):
            count = VOLETS.get(line.dispositif or "")
            if count is not None and line.volet is not None and line.volet > count:
                yield src.finding(
                    "TI129",
                    E,
                    _("volet {volet} does not exist for {dispositif}: its volets are 1 to {count}").format(
                        volet=line.volet, dispositif=line.dispositif, count=count
                    ),
                    ("financing", i, "volet"),
                )


@rule(
    "TI130",
    "dispositif-unique",
    E,
    "contract",
    doc=N_(
        "Each dispositif the contract declares in ``dispositifs:`` has its own ``id``, not one of another "
        "declared dispositif nor of a known one (fonds-vert-ti, fnadt, detr, dsil, france-2030, feder, "
        "autre): a line names its dispositif by this id, which must say one scheme.\n\n"
        "Bad: two entries ``{id: region-industrie-durable, …}``. Fix: remove the duplicate, or give each "
        "scheme its own id."
    ),
)
def dispositif_unique(bundle: ContractBundle, _context: Context) -> Iterator[Finding]:
    contract = _contract(bundle)
    seen: set[str] = set()
    for i, declared in enumerate(contract.dispositifs if contract else []):
        if declared.id in seen:
            message = _("dispositif '{id}' declared twice: one id for one scheme; remove or rename one")
        elif declared.id in DISPOSITIFS:
            message = _("dispositif '{id}' is already a known one ({name}): give your scheme another id")
        else:
            seen.add(declared.id)
            continue
        yield bundle.contract.finding(
            "TI130", E, message.format(id=declared.id, name=DISPOSITIFS.get(declared.id, "")), ("dispositifs", i, "id")
        )


@rule(
    "TI131",
    "dispositif-financer-exists",
    E,
    "contract",
    doc=N_(
        "A declared dispositif's ``financer`` is one of the contract's ``financers``: the scheme belongs to a "
        "financer of the plan.\n\n"
        "Bad: ``dispositifs: [{id: cd17-industrie, name: …, financer: departement}]`` with no financer "
        "``departement``. Fix: add the financer to ``financers:``, or correct the id."
    ),
)
def dispositif_financer_exists(bundle: ContractBundle, _context: Context) -> Iterator[Finding]:
    contract = _contract(bundle)
    if contract is None:
        return
    ids = [f.id for f in contract.financers]
    for i, declared in enumerate(contract.dispositifs):
        if declared.financer is not None and declared.financer not in ids:
            yield bundle.contract.finding(
                "TI131",
                E,
                _(
                    "dispositif '{id}' names the financer '{financer}', which the contract does not have "
                    "(financers: {financers}): add it to financers, or correct the id"
                ).format(id=declared.id, financer=declared.financer, financers=", ".join(ids)),
                ("dispositifs", i, "financer"),
            )


@rule(
    "TI132",
    "dispositif-of-its-financer",
    E,
    "contract",
    doc=N_(
        "A line that names a dispositif the contract declares for a financer is a line of that financer: a "
        "scheme of the Région is money of the Région.\n\n"
        "Bad: ``{financer: etat, dispositif: region-industrie-durable}`` when that dispositif is declared "
        "with ``financer: region``. Fix: correct the line's financer, or its dispositif."
    ),
)
def dispositif_of_its_financer(bundle: ContractBundle, _context: Context) -> Iterator[Finding]:
    contract = _contract(bundle)
    if contract is None:
        return
    financers = {f.id for f in contract.financers}  # a dispositif of an unknown financer is TI131's alone
    owners = {d.id: d.financer for d in contract.dispositifs if d.financer in financers}
    for src, action in bundle.valid_actions():
        for i, line in enumerate(action.financing):
            owner = owners.get(line.dispositif or "")
            if owner is not None and owner != line.financer:
                yield src.finding(
                    "TI132",
                    E,
                    _(
                        "dispositif '{dispositif}' is declared for the financer '{owner}', not '{financer}': "
                        "correct the line's financer or its dispositif"
                    ).format(dispositif=line.dispositif, owner=owner, financer=line.financer),
                    ("financing", i, "dispositif"),
                )


@rule(
    "TI133",
    "paid-on-requested",
    W,
    "contract",
    doc=N_(
        "A line at stage ``sollicite`` (the application is filed) has nothing paid yet: money paid was "
        "granted first.\n\n"
        "Bad: ``{status: sollicite, amount: 300000, paid: 50000}``. Fix: move the line to its stage "
        "(``obtenu``, ``engage`` or ``verse``), or correct ``paid``."
    ),
)
def paid_on_requested(bundle: ContractBundle, _context: Context) -> Iterator[Finding]:
    message = _(
        "paid {paid} on a line only requested (sollicite): money is paid once granted; update the stage "
        "(obtenu, engage or verse) or correct paid"
    )
    yield from _paid_at(bundle, Stage.sollicite, "TI133", W, message)


@rule(
    "TI134",
    "measure-dates",
    W,
    "contract",
    doc=N_(
        "An indicator's measures are dated within the plan and one per date: a measure before the contract's "
        "``period.start`` measures what was there before the plan, and two measures on one date leave the "
        "current value to chance.\n\n"
        "Bad: ``measures: [{on: 2025-06-30, value: 4}, {on: 2025-06-30, value: 6}]``. Fix: correct the date, "
        "or keep one value; a starting point belongs in the action's ``comment``."
    ),
)
def measure_dates(bundle: ContractBundle, _context: Context) -> Iterator[Finding]:
    contract = _contract(bundle)
    start = contract.period.start if contract else None
    for src, action in bundle.valid_actions():
        for i, indicator in enumerate(action.indicators):
            seen: set[dt.date] = set()
            for j, measure in enumerate(indicator.measures):
                if start is not None and measure.on < start:
                    yield src.finding(
                        "TI134",
                        W,
                        _("measure dated {date}, before the plan's period (from {start}): correct the date").format(
                            date=date_short(measure.on), start=date_short(start)
                        ),
                        ("indicators", i, "measures", j, "on"),
                    )
                if measure.on in seen:
                    yield src.finding(
                        "TI134",
                        W,
                        _("indicator '{id}' measured twice on {date}: keep one value, or correct a date").format(
                            id=indicator.id, date=date_short(measure.on)
                        ),
                        ("indicators", i, "measures", j, "on"),
                    )
                seen.add(measure.on)


@rule(
    "TI135",
    "indicator-unique",
    W,
    "contract",
    doc=N_(
        "An indicator is listed once on an action: twice, it has two targets and two series of measures, and "
        "the evaluation would count it twice.\n\n"
        "Bad: two entries ``- id: foncier-mobilise`` on one action. Fix: merge their measures into one entry."
    ),
)
def indicator_unique(bundle: ContractBundle, _context: Context) -> Iterator[Finding]:
    for src, action in bundle.valid_actions():
        seen: set[str] = set()
        for i, indicator in enumerate(action.indicators):
            if indicator.id in seen:
                yield src.finding(
                    "TI135",
                    W,
                    _("indicator '{id}' listed twice on this action: merge its measures into one entry").format(
                        id=indicator.id
                    ),
                    ("indicators", i, "id"),
                )
            seen.add(indicator.id)


@rule(
    "TI136",
    "decisions-file-dated",
    W,
    "contract",
    doc=N_(
        "A relevé de décisions named ``YYYY-MM-DD-slug.yaml`` holds the meeting of that date in ``date:``: "
        "the name is how people find a meeting, the ``date`` is what the rules read.\n\n"
        "Bad: ``decisions/2024-05-22-comite.yaml`` holding ``date: 2019-01-01``. Fix: correct the date, or "
        "rename the file (``git mv``)."
    ),
)
def decisions_file_dated(bundle: ContractBundle, _context: Context) -> Iterator[Finding]:
    for src, decisions in bundle.valid_decisions():
        named = _DATED.match(src.path.name)
        if named is None:
            continue
        try:
            day = dt.date.fromisoformat(named.group(1))
        except ValueError:
            day = None
        if day != decisions.date:
            yield src.finding(
                "TI136",
                W,
                _("the file is named for {name} but holds date {date}: correct the date, or rename the file").format(
                    name=named.group(1), date=decisions.date.isoformat()
                ),
                ("date",),
            )


_DATED = re.compile(r"^(\d{4}-\d{2}-\d{2})")


@rule(
    "TI137",
    "decision-once",
    W,
    "contract",
    doc=N_(
        "A decision is recorded once: the same decision (action, kind and summary) twice in a relevé, or the "
        "same meeting (``date`` and ``body``) in two files, is usually a copy left behind, and the decision "
        "would be counted twice.\n\n"
        "Fix: remove the copy, or merge the two files of one meeting into one."
    ),
)
def decision_once(bundle: ContractBundle, _context: Context) -> Iterator[Finding]:
    meetings: dict[tuple[dt.date, str], str] = {}
    for src, decisions in sorted(bundle.valid_decisions(), key=lambda pair: pair[0].path.name):
        meeting = (decisions.date, decisions.body.value)
        if meeting in meetings:
            yield src.finding(
                "TI137",
                W,
                _("the meeting {body} of {date} is already recorded in {file}: merge the two files").format(
                    body=decisions.body.value, date=date_short(decisions.date), file=meetings[meeting]
                ),
                ("date",),
            )
        else:
            meetings[meeting] = src.path.name
        seen: set[tuple[int | None, str, str | None, str]] = set()
        for i, decision in enumerate(decisions.decisions):
            same = (
                decision.action,
                decision.kind.value,
                decision.opinion.value if decision.opinion else None,
                decision.summary,
            )
            if same in seen:
                yield src.finding(
                    "TI137",
                    W,
                    _("the same decision twice in this relevé (action {number}, {kind}): remove the copy").format(
                        number=decision.action if decision.action is not None else "—", kind=decision.kind.value
                    ),
                    ("decisions", i),
                )
            seen.add(same)


DRAFT_DAYS = 30  # how long a relevé may stay a draft after its meeting before TI138 warns


@rule(
    "TI138",
    "draft-releve-adopted",
    W,
    "contract",
    doc=N_(
        "A draft relevé (``draft: true``, what ``ti decisions draft`` writes) is adopted within 30 days of its "
        "date: until its ``draft: true`` line is deleted, its decisions count as proposed, not taken — the "
        "evaluation, the versions' names and rule TI123 ignore them, the COPIL deck lists them as decisions "
        "to take.\n\n"
        "Fix: once the meeting has adopted the relevé, complete it (``present``, opinions) and delete the "
        "``draft: true`` line; a draft that was never held can be deleted."
    ),
)
def draft_releve_adopted(bundle: ContractBundle, context: Context) -> Iterator[Finding]:
    for src, decisions in bundle.draft_decisions():
        days = (context.as_of - decisions.date).days
        if days > DRAFT_DAYS:
            yield src.finding(
                "TI138",
                W,
                _(
                    "relevé still a draft {days} days after its meeting of {date}: once the meeting has adopted "
                    "it, delete the line draft: true"
                ).format(days=days, date=date_short(decisions.date)),
                ("draft",),
            )
