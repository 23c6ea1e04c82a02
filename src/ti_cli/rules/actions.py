"""Rules on the fiches actions: numbering, cost, financing plan, CGCT L1111-10."""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal

from ti_cli.compute.own_share import collectivite_owners, own_share
from ti_cli.findings import Finding, Severity
from ti_cli.french import euros, percent
from ti_cli.i18n import N_, _
from ti_cli.loading.bundle import ContractBundle
from ti_cli.model.action import Category, Stage
from ti_cli.rules.registry import Context, rule

E, W = Severity.error, Severity.warning
PREFIX = re.compile(r"^(\d+)-")
L1111_10_MIN = Decimal("0.20")


@rule(
    "TI023",
    "cost-total",
    E,
    "contract",
    doc=N_(
        "When an action's ``cost.total`` is written, it equals ``investment + operating``.\n\n"
        "Bad: ``cost: {investment: 8875000, operating: 0, total: 8876000}``. Fix: correct the figure that is "
        "wrong — usually the total, which the annex only adds up."
    ),
)
def cost_total(bundle: ContractBundle, _context: Context) -> Iterator[Finding]:
    for src, action in bundle.valid_actions():
        cost = action.cost
        if cost is None or cost.total is None or cost.total == cost.amount:
            continue
        diff = cost.total - cost.amount
        message = (
            _("total {total} ≠ investment + operating {sum} ({gap} too much)")
            if diff > 0
            else _("total {total} ≠ investment + operating {sum} ({gap} too little)")
        )
        yield src.finding(
            "TI023",
            E,
            message.format(total=euros(cost.total), sum=euros(cost.amount), gap=euros(abs(diff))),
            ("cost", "total"),
            details=(
                _("expected: {amount}").format(amount=euros(cost.amount)),
                _("found: {amount}").format(amount=euros(cost.total)),
                _("fix: total: {amount}  (or correct investment / operating)").format(amount=cost.amount),
            ),
        )


@rule(
    "TI025",
    "cost-unsplit",
    W,
    "contract",
    doc=N_(
        "An action's cost given as a total alone (``cost: {total: N}``, as an import from Territoires en "
        "Transitions brings it): the sums count the total, but the investment / operating split the annex "
        "shows is unknown.\n\n"
        "Bad: ``cost: {total: 250000}``. Fix: ``cost: {investment: 200000, operating: 50000, total: 250000}``. "
        "Until then, TI051 (CGCT L1111-10) is not checked on the action, and the finding says so when a "
        "collectivité is its maître d'ouvrage."
    ),
)
def cost_unsplit(bundle: ContractBundle, _context: Context) -> Iterator[Finding]:
    contract = bundle.contract.model
    for src, action in bundle.valid_actions():
        if action.cost is None or not action.unsplit:
            continue
        details = [_("fix: add investment and operating (their sum is the total)")]
        if contract is not None and collectivite_owners(contract, action) and not action.derogation_l1111_10:
            # TI051 judges an investment: say that it is not checked, rather than pass in silence
            details.append(
                _(
                    "until then, the own share of the maître d'ouvrage (CGCT L1111-10, rule TI051) is not "
                    "checked: whether the action is an investment is unknown"
                )
            )
        yield src.finding(
            "TI025",
            W,
            _("cost {total} given as a total only: its split into investment and operating is unknown").format(
                total=euros(action.unsplit)
            ),
            ("cost", "total"),
            details=tuple(details),
        )


@rule(
    "TI031",
    "number-unique",
    E,
    "contract",
    doc=N_(
        "Action numbers are unique within a contract: progress, avenants and the annex refer to them.\n\n"
        "Bad: ``01-aeronautique.yaml`` and ``01-port.yaml`` both with ``number: 1``. Fix: give the newer "
        "action the next free number, and rename its file."
    ),
)
def number_unique(bundle: ContractBundle, _context: Context) -> Iterator[Finding]:
    first: dict[int, str] = {}
    for src, action in bundle.valid_actions():
        if action.number in first:
            yield src.finding(
                "TI031",
                E,
                _("action number {number} is already used by {file}").format(
                    number=action.number, file=first[action.number]
                ),
                ("number",),
            )
        else:
            first[action.number] = src.path.name


@rule(
    "TI032",
    "file-prefix",
    E,
    "contract",
    doc=N_(
        "An action file is named ``NN-slug.yaml`` where ``NN`` is its number (``01-…`` for action 1).\n\n"
        "Bad: ``03-formation.yaml`` holding ``number: 4``. Fix: rename the file ``04-formation.yaml``."
    ),
)
def file_prefix(bundle: ContractBundle, _context: Context) -> Iterator[Finding]:
    for src, action in bundle.valid_actions():
        match = PREFIX.match(src.path.name)
        if match is None or int(match.group(1)) != action.number:
            yield src.finding(
                "TI032",
                E,
                _("the file name should start with '{prefix}' for action {number}").format(
                    prefix=f"{action.number:02d}-", number=action.number
                ),
                ("number",),
            )


@rule(
    "TI033",
    "financer-exists",
    E,
    "contract",
    doc=N_(
        "Every financing line names a financer listed in ``contract.yaml`` (the annex's columns).\n\n"
        "Bad: ``- financer: regoin``. Fix: use an id from ``financers:``, or add the financer there."
    ),
)
def financer_exists(bundle: ContractBundle, _context: Context) -> Iterator[Finding]:
    contract = bundle.contract.model
    if contract is None:
        return
    known = [f.id for f in contract.financers]
    for src, action in bundle.valid_actions():
        for i, line in enumerate(action.financing):
            if line.financer not in known:
                yield src.finding(
                    "TI033",
                    E,
                    _("unknown financer '{financer}' (financers: {known})").format(
                        financer=line.financer, known=", ".join(known)
                    ),
                    ("financing", i, "financer"),
                )


@rule(
    "TI035",
    "financing-within-cost",
    E,
    "contract",
    doc=N_(
        "The amounts of an action's financing plan add up to no more than its cost.\n\n"
        "Why: nobody funds more than the project costs; for the public part, décret n° 2018-514 art. 10 caps "
        "the aid at the cost. Bad: cost 100 000 € with 60 000 € Région + 50 000 € État. Fix: lower an amount,"
        " or raise the cost if the estimate changed."
    ),
)
def financing_within_cost(bundle: ContractBundle, _context: Context) -> Iterator[Finding]:
    for src, action in bundle.valid_actions():
        # A refused phase-2 line counts in no sum (SPEC §10).
        funded = sum(
            (line.amount or Decimal(0) for line in action.financing if line.status is not Stage.refuse), Decimal(0)
        )
        if action.cost is not None and funded > action.total:
            yield src.finding(
                "TI035",
                E,
                _("the financing {funded} exceeds the cost {cost} ({gap} too much)").format(
                    funded=euros(funded), cost=euros(action.total), gap=euros(funded - action.total)
                ),
                ("financing",),
                key=True,
            )


@rule(
    "TI050",
    "structurante-validated",
    W,
    "contract",
    doc=N_(
        "An action ``structurante`` has at least one secured financing line: ``eligibility: validee``, or a "
        "phase-2 ``status`` of obtenu, engage or verse (SPEC §10).\n\n"
        "Why: Article 4 — structurante means eligibility was validated and funding partly secured; otherwise "
        "the action is en amorçage. Fix: mark the validated financer, or set ``category: amorcage``."
    ),
)
def structurante_validated(bundle: ContractBundle, _context: Context) -> Iterator[Finding]:
    for src, action in bundle.valid_actions():
        if action.category is Category.structurante and not any(line.secured for line in action.financing):
            yield src.finding(
                "TI050",
                W,
                _(
                    "action structurante with no secured financer (eligibility: validee, or status "
                    "obtenu, engage or verse)"
                ),
                ("category",),
            )


@rule(
    "TI051",
    "cgct-l1111-10",
    W,
    "contract",
    doc=N_(
        "CGCT L1111-10 III: a collectivité maître d'ouvrage of an investment brings at least 20 per cent of the "
        "public financing of the action, its own share included.\n\n"
        "Collectivité: a party of role ``intercommunalite`` or ``region`` in ``owner_parties``. Own share: "
        "lines whose financer is ``autofinancement`` or names one of the ``owner_parties`` as ``party``. "
        "Public: every line with an amount whose financer is not ``prive``, loans excluded. Skipped when no "
        "public amount is known, or when the action carries ``derogation_l1111_10: <reason>``. Not checked "
        "when the cost is a total alone (``cost: {total: N}``): the rule applies to an investment, and whether "
        "the action is one is unknown; TI025 asks for the split and says that TI051 waits for it. Bad: CARO "
        "maître d'ouvrage, État 900 000 €, autofinancement 100 000 € (10 %). Fix: raise the own share, or "
        "record the derogation (e.g. a prefect's decision) with its reason."
    ),
)
def cgct_l1111_10(bundle: ContractBundle, _context: Context) -> Iterator[Finding]:
    contract = bundle.contract.model
    if contract is None:
        return
    for src, action in bundle.valid_actions():
        if action.cost is not None and not action.cost.split_known:
            continue  # cannot judge without the split: TI025 says so (own_share returns None for it too)
        share = own_share(contract, action)
        if share is None:
            continue
        own, public = share
        if own < public * L1111_10_MIN:
            needed = public * L1111_10_MIN
            yield src.finding(
                "TI051",
                W,
                _(
                    "the own share of the maître d'ouvrage, {own}, is {percent} of the public financing {public}; "
                    "CGCT L1111-10 III asks at least 20 % ({needed})"
                ).format(
                    own=euros(own),
                    percent=percent(own / public * 100, 1),
                    public=euros(public),
                    needed=euros(needed, 2),
                ),
                ("financing",),
                key=True,
                details=(_("fix: raise the autofinancement line, or add `derogation_l1111_10: <reason>`"),),
            )
