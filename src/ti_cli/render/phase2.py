"""What the documents show of a phase-2 plan (SPEC §10): financing by stage and the governance's
decisions — added to the contract and quarterly contexts, used by the ``_phase2_*.md.j2`` includes
behind ``{% if programme == 'ti-2023' %}`` hooks. Every figure comes from ``compute``."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ti_cli.compute.evaluation import SHOWN_STAGES, ZERO, action_evaluation
from ti_cli.compute.totals import contract_totals, group_totals
from ti_cli.loading.bundle import ContractBundle
from ti_cli.model.programme import STAGES


def phase2_context(bundle: ContractBundle, as_of: dt.date | None = None) -> dict[str, Any]:
    contract = bundle.contract.model
    assert contract is not None  # checked before
    if not contract.phase2:
        return {"programme": contract.programme.value}
    day = as_of or dt.date.today()
    actions = bundle.action_models()
    rows = [action_evaluation(a, None, day) for a in actions]
    labels = dict(STAGES)
    by_stage = {g.key: g.total for g in group_totals(contract, actions, "stage")}  # ti totals --by stage
    return {
        "programme": contract.programme.value,
        "phase2": {
            "stages": [(s, labels[s]) for s in SHOWN_STAGES],
            "rows": rows,
            "totals": contract_totals(contract, actions),
            "by_stage": {s: by_stage.get(s, ZERO) for s in SHOWN_STAGES},
            "refused": by_stage.get("refuse", ZERO),
            "decisions": [(f, f.decisions) for _, f in bundle.held_decisions() if f.date <= day],
        },
    }
