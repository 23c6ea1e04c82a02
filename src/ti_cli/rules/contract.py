"""Rules on ``contract.yaml`` itself: its id, its ids, its references, its period."""

from __future__ import annotations

from collections.abc import Iterator

from ti_cli.findings import Finding, Severity
from ti_cli.loading.bundle import ContractBundle
from ti_cli.loading.source import Source
from ti_cli.rules.registry import Context, rule

E = Severity.error


@rule("TI030", "id-equals-folder", E, "contract")
def id_equals_folder(bundle: ContractBundle, _: Context) -> Iterator[Finding]:
    """The contract's ``id`` equals its folder name (SPEC §1), so that ``ti totals <id>`` finds it.

    Bad: ``data/contracts/rochefort/contract.yaml`` with ``id: rochefort-royan``.
    Fix: rename the folder or the id so that both read ``rochefort-royan``.
    """
    contract = bundle.contract.model
    if contract and contract.id != bundle.root.name:
        yield bundle.contract.finding(
            "TI030", E, f"id '{contract.id}' differs from its folder name '{bundle.root.name}'", ("id",)
        )


def duplicate_ids(source: Source, items: list, field: str, what: str, code: str) -> Iterator[Finding]:
    seen: set[str] = set()
    for i, item in enumerate(items):
        if item.id in seen:
            yield source.finding(code, E, f"{what} id '{item.id}' is used twice", (field, i, "id"))
        seen.add(item.id)


@rule("TI036", "ids-unique", E, "contract")
def ids_unique(bundle: ContractBundle, _: Context) -> Iterator[Finding]:
    """Party ids and financer ids are each unique, since every reference is by id.

    Bad: two financers with ``id: region``. Fix: give the second its own id (``region-fonds``).
    """
    contract = bundle.contract.model
    if contract:
        yield from duplicate_ids(bundle.contract, contract.parties, "parties", "party", "TI036")
        yield from duplicate_ids(bundle.contract, contract.financers, "financers", "financer", "TI036")


@rule("TI034", "party-exists", E, "contract")
def party_exists(bundle: ContractBundle, _: Context) -> Iterator[Finding]:
    """Every party id named in the contract (a financer's ``party``, a binôme's or chef de projet's
    ``intercommunalite``) and in an action's ``owner_parties`` is a party of the contract.

    Bad: ``owner_parties: [carо]`` with a Cyrillic o. Fix: use an id listed under ``parties:``.
    """
    contract = bundle.contract.model
    if contract is None:
        return
    known = {p.id for p in contract.parties}
    src = bundle.contract
    refs = [(("financers", i, "party"), f.party) for i, f in enumerate(contract.financers) if f.party]
    refs += [(("governance", "binomes", i, "intercommunalite"), b.intercommunalite)
             for i, b in enumerate(contract.governance.binomes)]
    refs += [(("governance", "project_leads", i, "intercommunalite"), p.intercommunalite)
             for i, p in enumerate(contract.governance.project_leads)]
    for at, ref in refs:
        if ref not in known:
            yield src.finding("TI034", E, f"unknown party '{ref}'{_known(known)}", at)
    for action_src, action in bundle.valid_actions():
        for i, ref in enumerate(action.owner_parties):
            if ref not in known:
                yield action_src.finding("TI034", E, f"unknown party '{ref}'{_known(known)}", ("owner_parties", i))


def _known(ids: set[str]) -> str:
    return f" (parties: {', '.join(sorted(ids))})" if len(ids) <= 20 else ""


@rule("TI037", "period-order", E, "contract")
def period_order(bundle: ContractBundle, _: Context) -> Iterator[Finding]:
    """The contract period ends after it starts.

    Bad: ``period: {start: 2022-12-31, end: 2020-01-01}``. Fix: swap the dates.
    """
    contract = bundle.contract.model
    if contract and contract.period.end < contract.period.start:
        yield bundle.contract.finding("TI037", E, "the period ends before it starts", ("period", "end"))


IMAGE_SIGNATURES = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff")  # PNG, JPEG: what every output can embed


@rule("TI038", "logo-is-image", E, "contract")
def logo_is_image(bundle: ContractBundle, _: Context) -> Iterator[Finding]:
    """Each file under ``logos:`` is a PNG or JPEG image inside the contract folder, so that the
    documents' cover can show it (checked here, never discovered while rendering).

    Bad: ``logos: [logos/region.pdf]`` or a file that is not there. Fix: save the logo as PNG or JPEG
    in the contract folder (``logos/region.png``) and give its path relative to that folder.
    """
    contract = bundle.contract.model
    if contract is None or not bundle.root.is_dir():  # a past revision: its files are not on disk
        return
    root = bundle.root.resolve()
    for i, name in enumerate(contract.logos):
        path = (root / name).resolve()
        if not path.is_relative_to(root):
            problem = "is outside the contract folder"
        elif not path.is_file():
            problem = "does not exist"
        else:
            with path.open("rb") as handle:
                head = handle.read(8)
            problem = "" if head.startswith(IMAGE_SIGNATURES) else "is not a PNG or JPEG image"
        if problem:
            yield bundle.contract.finding("TI038", E, f"logo '{name}' {problem}", ("logos", i))
