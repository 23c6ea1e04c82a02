"""Rules on ``contract.yaml`` itself: its id, its ids, its references, its period."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path

from ti_cli.findings import Finding, Severity
from ti_cli.i18n import N_, _
from ti_cli.loading.bundle import ContractBundle
from ti_cli.loading.source import Source
from ti_cli.model.contract import Contract, Financer, Party
from ti_cli.rules.images import image_complete
from ti_cli.rules.registry import Context, rule

E = Severity.error


@rule(
    "TI030",
    "id-equals-folder",
    E,
    "contract",
    doc=N_(
        "The contract's ``id`` equals its folder name (SPEC §1), so that ``ti totals <id>`` finds it.\n\n"
        "Bad: ``data/contracts/rochefort/contract.yaml`` with ``id: rochefort-royan``. Fix: rename the folder"
        " or the id so that both read ``rochefort-royan``."
    ),
)
def id_equals_folder(bundle: ContractBundle, _context: Context) -> Iterator[Finding]:
    contract = bundle.contract.model
    if contract and contract.id != bundle.root.name:
        yield bundle.contract.finding(
            "TI030",
            E,
            _("id '{id}' differs from its folder name '{folder}'").format(id=contract.id, folder=bundle.root.name),
            ("id",),
        )


def duplicate_ids(
    source: Source[Contract], items: Sequence[Party | Financer], field: str, what: str, code: str
) -> Iterator[Finding]:
    seen: set[str] = set()
    for i, item in enumerate(items):
        if item.id in seen:
            yield source.finding(code, E, _(what).format(id=item.id), (field, i, "id"))
        seen.add(item.id)


@rule(
    "TI036",
    "ids-unique",
    E,
    "contract",
    doc=N_(
        "Party ids and financer ids are each unique, since every reference is by id.\n\n"
        "Bad: two financers with ``id: region``. Fix: give the second its own id (``region-fonds``)."
    ),
)
def ids_unique(bundle: ContractBundle, _context: Context) -> Iterator[Finding]:
    contract = bundle.contract.model
    if contract:
        yield from duplicate_ids(
            bundle.contract, contract.parties, "parties", N_("party id '{id}' is used twice"), "TI036"
        )
        yield from duplicate_ids(
            bundle.contract, contract.financers, "financers", N_("financer id '{id}' is used twice"), "TI036"
        )


@rule(
    "TI034",
    "party-exists",
    E,
    "contract",
    doc=N_(
        "Every party id named in the contract (a financer's ``party``, a binôme's or chef de projet's "
        "``intercommunalite``) and in an action's ``owner_parties`` is a party of the contract.\n\n"
        "Bad: ``owner_parties: [carо]`` with a Cyrillic o. Fix: use an id listed under ``parties:``."
    ),
)
def party_exists(bundle: ContractBundle, _context: Context) -> Iterator[Finding]:
    contract = bundle.contract.model
    if contract is None:
        return
    known = {p.id for p in contract.parties}
    src = bundle.contract
    refs: list[tuple[tuple[str | int, ...], str]]
    refs = [(("financers", i, "party"), f.party) for i, f in enumerate(contract.financers) if f.party]
    refs += [
        (("governance", "binomes", i, "intercommunalite"), b.intercommunalite)
        for i, b in enumerate(contract.governance.binomes)
    ]
    refs += [
        (("governance", "project_leads", i, "intercommunalite"), p.intercommunalite)
        for i, p in enumerate(contract.governance.project_leads)
    ]
    for at, ref in refs:
        if ref not in known:
            yield src.finding("TI034", E, _unknown_party(ref, known), at)
    for action_src, action in bundle.valid_actions():
        for i, ref in enumerate(action.owner_parties):
            if ref not in known:
                yield action_src.finding("TI034", E, _unknown_party(ref, known), ("owner_parties", i))


def _unknown_party(ref: str, ids: set[str]) -> str:
    if len(ids) > 20:
        return _("unknown party '{party}'").format(party=ref)
    return _("unknown party '{party}' (parties: {known})").format(party=ref, known=", ".join(sorted(ids)))


@rule(
    "TI037",
    "period-order",
    E,
    "contract",
    doc=N_(
        "The contract period ends after it starts.\n\n"
        "Bad: ``period: {start: 2022-12-31, end: 2020-01-01}``. Fix: swap the dates."
    ),
)
def period_order(bundle: ContractBundle, _context: Context) -> Iterator[Finding]:
    contract = bundle.contract.model
    if contract and contract.period.end < contract.period.start:
        yield bundle.contract.finding("TI037", E, _("the period ends before it starts"), ("period", "end"))


IMAGE_SIGNATURES = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff")  # PNG, JPEG: what every output can embed
MAX_LOGO_BYTES = 10 * 1024 * 1024


def _logo_problem(path: Path) -> str:
    """'' when the logo is a whole PNG or JPEG (read to its end, as the outputs will), else the problem."""
    with path.open("rb") as handle:
        data = handle.read(MAX_LOGO_BYTES + 1)
    if not data.startswith(IMAGE_SIGNATURES):
        return _("logo '{name}' is not a PNG or JPEG image")
    if len(data) > MAX_LOGO_BYTES:
        return _("logo '{name}' is larger than 10 MB: save it smaller")
    if not image_complete(data):
        return _("logo '{name}' is damaged or cut short: save it again as PNG or JPEG")
    return ""


@rule(
    "TI038",
    "logo-is-image",
    E,
    "contract",
    doc=N_(
        "Each file under ``logos:`` is a PNG or JPEG image inside the contract folder, so that the documents'"
        " cover can show it (checked here, never discovered while rendering).\n\n"
        "Bad: ``logos: [logos/region.pdf]`` or a file that is not there. Fix: save the logo as PNG or JPEG in"
        " the contract folder (``logos/region.png``) and give its path relative to that folder."
    ),
)
def logo_is_image(bundle: ContractBundle, _context: Context) -> Iterator[Finding]:
    contract = bundle.contract.model
    if contract is None or not bundle.root.is_dir():  # a past revision: its files are not on disk
        return
    root = bundle.root.resolve()
    for i, name in enumerate(contract.logos):
        path = (root / name).resolve()
        if not path.is_relative_to(root):
            problem = _("logo '{name}' is outside the contract folder")
        elif not path.is_file():
            problem = _("logo '{name}' does not exist")
        else:
            problem = _logo_problem(path)
        if problem:
            yield bundle.contract.finding("TI038", E, problem.format(name=name), ("logos", i))
