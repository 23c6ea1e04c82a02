"""What the templates see: plain values built from the models and the computations.

Templates get models (attributes read as in YAML), computed figures (``Totals``, ``QuarterlyReport``)
and labels for people; they never compute money themselves. Charts are drawn only when a ``Figures``
place is given (the commands give one; the golden-file tests do not).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from ti_cli.compute.evaluation import indicator_value
from ti_cli.compute.progress import (
    ActionReport,
    QuarterlyReport,
    finished_entry,
    milestone_views,
    quarterly,
    state_at,
)
from ti_cli.compute.totals import (
    AXIS_LABELS,
    CATEGORY_LABELS,
    STAGE_LABELS,
    STATUS_LABELS,
    Totals,
    contract_totals,
    dispositif_label,
    group_totals,
)
from ti_cli.i18n import _
from ti_cli.loading.bundle import ContractBundle
from ti_cli.model import Action, Contract, Progress, programme
from ti_cli.model.action import Eligibility, FinancingLine
from ti_cli.model.contract import PartyRole
from ti_cli.render.charts import Figures
from ti_cli.render.phase2 import phase2_context

ROLE_LABELS = {
    PartyRole.intercommunalite: "Le Territoire d'industrie (intercommunalités)",
    PartyRole.region: "La Région",
    PartyRole.etat: "L'État",
    PartyRole.operateur: "Les opérateurs publics",
    PartyRole.industriel: "Les partenaires économiques et industriels",
    PartyRole.autre: "Les autres partenaires",
}
OPINION_LABELS = {"favorable": "favorable", "defavorable": "défavorable", "ajourne": "ajourné"}
CONTRACT_STATUS_LABELS = {"projet": "projet", "signe": "signé", "proroge": "prorogé", "clos": "clos"}
ELIGIBILITY_LABELS = {e: programme.ELIGIBILITY_LABELS[e.value] for e in Eligibility}


class NotFinished(Exception):
    """The action has no ``termine`` entry with a completion report: there is nothing to report yet."""


@dataclass(frozen=True)
class FinancingRow:
    financer: str
    eligibility: str  # where it stands: its stage (phase 2) or its eligibility (phase 1), in words
    stage: str  # the key: a phase-2 stage, or the stage a phase-1 line counts as
    validated: bool
    scheme: str | None
    amount: Decimal | None
    comment: str | None
    paid: Decimal | None = None  # « payé à ce jour » on this line, as typed
    volet: int | None = None  # the dispositif's volet (Fonds vert TI: 1, 2 or 3)
    reference: str | None = None  # the decision granting it
    decided_on: dt.date | None = None
    loan: bool = False  # a financer with ``loan: true``: an advance to pay back, not a grant


@dataclass(frozen=True)
class ActionRow:
    """One action as the annex and the fiche show it."""

    action: Action
    axis: str
    category: str
    owner: str
    financing: list[FinancingRow]
    figures: Totals  # the action's figures, computed once (SPEC §14)
    phase2: bool = False

    @property
    def total(self) -> Decimal | None:
        return self.action.cost.amount if self.action.cost else None

    @property
    def investment(self) -> Decimal | None:
        """None (printed « – », never « 0 € ») when the cost is a total whose split is unknown."""
        return self.action.cost.investment if self.action.cost and self.action.cost.split_known else None

    @property
    def operating(self) -> Decimal | None:
        return self.action.cost.operating if self.action.cost and self.action.cost.split_known else None

    @property
    def validated(self) -> list[str]:
        return [f.financer for f in self.financing if f.validated]

    @property
    def to_confirm(self) -> list[str]:
        return [f.financer for f in self.financing if not f.validated]

    @property
    def financed(self) -> Decimal | None:
        """« Total des financements identifiés » (refusé excluded); None when no line has an amount."""
        known = any(f.amount is not None for f in self.financing if f.stage != "refuse")
        return self.figures.financed if known else None

    @property
    def standing_title(self) -> str:
        """The heading of the lines' standing: a phase-2 line has a stage, a phase-1 line an eligibility."""
        return "Étape" if self.phase2 else "Éligibilité"


def labels() -> dict[str, Any]:
    """Enumeration labels every template may use."""
    return {
        "axis_labels": {k.value: v for k, v in AXIS_LABELS.items()},
        "category_labels": {k.value: v for k, v in CATEGORY_LABELS.items()},
        "status_labels": {k.value: v for k, v in STATUS_LABELS.items()},
        "kind_labels": programme.DECISION_KIND_LABELS,
        "body_labels": programme.BODY_LABELS,
    }


def action_row(contract: Contract, action: Action) -> ActionRow:
    return ActionRow(
        figures=contract_totals(contract, [action]),
        phase2=contract.phase2,
        action=action,
        axis=AXIS_LABELS[action.axis],
        category=CATEGORY_LABELS[action.category],
        owner=action.owner or ", ".join(_party_name(contract, p) for p in action.owner_parties) or "–",
        financing=[
            FinancingRow(
                financer=_financer_name(contract, line.financer),
                eligibility=_standing(line),
                stage=line.stage,
                validated=line.secured,
                amount=line.amount,
                comment=line.comment,
                scheme=line.scheme or (dispositif_label(contract, line.dispositif) if line.dispositif else None),
                paid=line.paid,
                volet=line.volet,
                reference=line.reference,
                decided_on=line.decided_on,
                loan=_is_loan(contract, line.financer),
            )
            for line in action.financing
        ],
    )


def _standing(line: FinancingLine) -> str:
    """Where a line stands: its phase-2 stage when it has one, else its phase-1 eligibility."""
    if line.status is not None:
        return STAGE_LABELS[line.status.value].lower()
    return ELIGIBILITY_LABELS[line.eligibility]


def _party_name(contract: Contract, party_id: str) -> str:
    party = contract.party(party_id)
    return party.name if party else party_id


def _is_loan(contract: Contract, financer_id: str) -> bool:
    financer = contract.financer(financer_id)
    return bool(financer and financer.loan)


def _financer_name(contract: Contract, financer_id: str) -> str:
    financer = contract.financer(financer_id)
    return financer.name if financer else financer_id


def reports(bundle: ContractBundle) -> list[Progress]:
    return [p for _, p in bundle.valid_progress()]


def cover_logos(bundle: ContractBundle, figures: Figures | None) -> list[str]:
    """The contract's logos copied next to the documents (``figures``), as the Markdown refers to them.
    TI038 has checked they are PNG or JPEG files inside the contract folder."""
    contract = bundle.contract.model
    if figures is None or contract is None:
        return []
    import shutil

    hrefs = []
    for i, name in enumerate(contract.logos, 1):
        source = bundle.root / name
        path, href = figures.path(f"logo-{i}")
        shutil.copyfile(source, path.with_suffix(source.suffix.lower()))
        hrefs.append(href.removesuffix(".png") + source.suffix.lower())
    return hrefs


def text_chapters(root: Path) -> list[Path]:
    """The contract's prose, ``text/*.md`` in file-name order: regular files inside the contract folder
    only (a link leading out of it is not read: nothing leaves the data)."""
    folder, base = root / "text", root.resolve()
    if not folder.is_dir():
        return []
    return [p for p in sorted(folder.glob("*.md")) if p.is_file() and p.resolve().is_relative_to(base)]


def contract_context(bundle: ContractBundle, figures: Figures | None = None) -> dict[str, Any]:
    contract = bundle.contract.model
    assert contract is not None  # load_checked_contract refused a contract that did not load
    actions = bundle.action_models()
    totals = contract_totals(contract, actions)
    by_axis = group_totals(contract, actions, "axis")
    by_category = group_totals(contract, actions, "category")
    parties = [(label, [p for p in contract.parties if p.role is role]) for role, label in ROLE_LABELS.items()]
    leads: dict[str, list[Any]] = {}
    for lead in contract.governance.project_leads:
        leads.setdefault(_party_name(contract, lead.intercommunalite), []).append(lead)
    texts = [p.read_text(encoding="utf-8-sig") for p in text_chapters(bundle.root)]
    charts: dict[str, str] = {}
    if figures is not None and actions:
        from ti_cli.render import charts as draw

        path, charts["axis"] = figures.path("financement-par-axe")
        draw.horizontal_bars([g.label for g in by_axis], [g.total for g in by_axis], path, "Coût des actions par axe")
        path, charts["split"] = figures.path("investissement-fonctionnement")
        draw.split_bar(
            [("Investissement", totals.investment), ("Fonctionnement", totals.operating)]
            + ([("Non ventilé", totals.unsplit)] if totals.unsplit else []),
            path,
            "Investissement et fonctionnement",
        )
        if not totals.unknown_secured:  # a share of amounts not given would be drawn as 0 % (SPEC §14)
            path, charts["secured"] = figures.path("financements-acquis")
            draw.split_bar(
                [
                    ("Acquis", totals.secured),
                    ("Sollicité" if contract.phase2 else "À confirmer", totals.to_confirm),
                    ("Sans financeur identifié", totals.unfunded),
                ],
                path,
                "Financements acquis et reste à financer",
            )
    return {
        **labels(),
        "contract": contract,
        "status": CONTRACT_STATUS_LABELS[contract.status.value],
        "parties": [(label, members) for label, members in parties if members],
        "texts": texts,
        "binomes": [(_party_name(contract, b.intercommunalite), b) for b in contract.governance.binomes],
        "project_leads": list(leads.items()),
        "actions": [action_row(contract, a) for a in actions],
        "totals": totals,
        "by_axis": by_axis,
        "by_category": by_category,
        "charts": charts,
        **phase2_context(bundle),
        "logos": cover_logos(bundle, figures),
    }


def quarterly_context(bundle: ContractBundle, quarter: str, figures: Figures | None = None) -> dict[str, Any]:
    contract = bundle.contract.model
    assert contract is not None
    actions = bundle.action_models()
    report: QuarterlyReport = quarterly(actions, reports(bundle), quarter)
    charts: dict[str, str] = {}
    if figures is not None and report.actions:
        from ti_cli.render import charts as draw

        path, charts["progress"] = figures.path("avancement-par-action")
        draw.progress_bars(
            [f"{a.number}. {a.title}" for a in report.actions],
            [a.progress for a in report.actions],
            path,
            "Avancement par action",
        )
    return {
        **labels(),
        "contract": contract,
        "report": report,
        "charts": charts,
        "titles": {a.number: a.title for a in actions},
        **phase2_context(bundle),
    }


def completion_context(bundle: ContractBundle, number: int) -> dict[str, Any]:
    contract = bundle.contract.model
    assert contract is not None
    action = next((a for a in bundle.action_models() if a.number == number), None)
    if action is None:
        raise LookupError(number)
    found = finished_entry(reports(bundle), number)
    if found is None:
        raise NotFinished(
            _("action {number} is not finished: no progress file reports it 'termine'").format(number=number)
        )
    report, entry = found
    if entry.completion_report is None:
        from ti_cli.render.environment import quarter

        raise NotFinished(
            _(
                "action {number} is finished in {quarter} but that progress file gives no completion_report "
                "(results, perennisation)"
            ).format(number=number, quarter=quarter(report.quarter))
        )
    return {
        **labels(),
        "contract": contract,
        "row": action_row(contract, action),
        "action": action,
        "quarter": report.quarter,
        "entry": entry,
        "completion": entry.completion_report,
        "reported_on": entry.completion_report.reported_on or report.reported_on,
        "line": _line(bundle, action, report.quarter),
    }


def _line(bundle: ContractBundle, action: Action, quarter: str) -> ActionReport:
    """Planned / spent / variance of the action as the quarterly report of ``quarter`` has it."""
    report = quarterly(bundle.action_models(), reports(bundle), quarter)
    return next(a for a in report.actions if a.number == action.number)


def fiche_context(bundle: ContractBundle, action: Action, as_of: dt.date | None = None) -> dict[str, Any]:
    """The fiche of an action. Its milestones are judged against one date, ``as_of`` (today when not
    given), the same date as every other output: one past and not done is overdue (SPEC §14)."""
    contract = bundle.contract.model
    assert contract is not None
    day = as_of or dt.date.today()
    latest = state_at(reports(bundle), "9999-Q4").get(action.number)
    milestones = milestone_views(latest.progress.milestones, day) if latest else []
    spent = latest.progress.spent if latest else None
    decisions = [
        (meeting, decision)
        for _, meeting in bundle.held_decisions()
        if meeting.date <= day
        for decision in meeting.decisions
        if decision.action == action.number
    ]
    return {
        **labels(),
        "contract": contract,
        "row": action_row(contract, action),
        "action": action,
        "indicators": [indicator_value(action.number, i, day) for i in action.indicators],
        "decisions": decisions,
        "opinion_labels": OPINION_LABELS,
        "latest": latest.progress if latest else None,
        "latest_quarter": latest.quarter if latest else None,
        "spent_total": spent.investment + spent.operating if spent else None,
        "milestones": milestones,
        "as_of": day,
    }
