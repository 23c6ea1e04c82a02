"""Rules on cost-sharing files (SPEC §6)."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from ti_cli.compute.share import subsidies
from ti_cli.findings import Finding, Severity
from ti_cli.french import euros
from ti_cli.i18n import N_, _
from ti_cli.loading.bundle import ContractBundle
from ti_cli.model.cost_sharing import Key
from ti_cli.rules.registry import Context, rule

E = Severity.error


@rule(
    "TI060",
    "subsidy-financer-exists",
    E,
    "contract",
    doc=N_(
        "A subsidy names a financer of the contract, and gives either a ``rate`` or an ``amount``.\n\n"
        "Bad: ``- {financer: etat}`` with neither. Fix: ``- {financer: etat, rate: 0.5, cap: 80000}``."
    ),
)
def subsidy_financer_exists(bundle: ContractBundle, _context: Context) -> Iterator[Finding]:
    contract = bundle.contract.model
    known = {f.id for f in contract.financers} if contract else None
    for src in bundle.cost_sharing:
        if src.model is None:
            continue
        for i, sub in enumerate(src.model.subsidies):
            if known is not None and sub.financer not in known:
                yield src.finding(
                    "TI060",
                    E,
                    _("unknown financer '{financer}'").format(financer=sub.financer),
                    ("subsidies", i, "financer"),
                )
            if (sub.rate is None) == (sub.amount is None):
                yield src.finding("TI060", E, _("a subsidy gives either a rate or an amount"), ("subsidies", i))


@rule(
    "TI061",
    "shares-add-up",
    E,
    "contract",
    doc=N_(
        "Subsidies do not exceed the cost; with ``key: fixed`` every member has an ``amount`` and they add up"
        " to what remains after subsidies; with ``key: weights`` every member has a ``weight``.\n\n"
        "Bad: 207 600 € less 80 000 € leaves 127 600 €, but the fixed amounts add up to 127 500 €. Fix: "
        "correct an amount (the message shows the difference), or switch to ``key: weights``."
    ),
)
def shares_add_up(bundle: ContractBundle, _context: Context) -> Iterator[Finding]:
    for src in bundle.cost_sharing:
        sharing = src.model
        if sharing is None:
            continue
        subs = sum((a for _, a in subsidies(sharing)), Decimal(0))
        rest = sharing.amount - subs
        if rest < 0:
            yield src.finding(
                "TI061",
                E,
                _("the subsidies {subsidies} exceed the amount {amount}").format(
                    subsidies=euros(subs), amount=euros(sharing.amount)
                ),
                ("subsidies",),
                key=True,
            )
            continue
        field = {Key.fixed: "amount", Key.weights: "weight"}.get(sharing.key)
        if field is None:
            continue
        missing = [i for i, m in enumerate(sharing.members) if getattr(m, field) is None]
        for i in missing:
            yield src.finding(
                "TI061",
                E,
                _("key: {key} needs a {field} for every member").format(key=sharing.key.value, field=field),
                ("members", i),
            )
        if sharing.key is Key.fixed and not missing:
            total = sum((m.amount or Decimal(0) for m in sharing.members), Decimal(0))
            if total != rest:
                yield src.finding(
                    "TI061",
                    E,
                    (
                        _("the fixed shares add up to {total}, not the {rest} left after subsidies ({gap} too much)")
                        if total > rest
                        else _(
                            "the fixed shares add up to {total}, not the {rest} left after subsidies ({gap} missing)"
                        )
                    ).format(total=euros(total), rest=euros(rest), gap=euros(abs(total - rest))),
                    ("members",),
                    key=True,
                )
        if sharing.key is Key.weights and not missing and sum(m.weight or 0 for m in sharing.members) == 0:
            yield src.finding("TI061", E, _("the weights add up to 0"), ("members",), key=True)
