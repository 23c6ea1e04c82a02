"""The JSON Schema of every file kind, generated from the models: for ``ti schema``, ``ti init`` and editors."""

from __future__ import annotations

from typing import Any

KINDS = {
    "contract": "Contract",
    "action": "Action",
    "progress": "Progress",
    "cost-sharing": "CostSharing",
    "decisions": "Decisions",
    "pacte": "Pacte",
    "member": "Member",
    "stakeholders": "Stakeholders",
}
# Where each kind's files live in a data repository (SPEC §1): the editors' association of ``ti init``.
FILES = {
    "contract": "data/contracts/*/contract.yaml",
    "action": "data/contracts/*/actions/*.yaml",
    "progress": "data/contracts/*/progress/*.yaml",
    "cost-sharing": "data/contracts/*/cost-sharing/*.yaml",
    "decisions": "data/contracts/*/decisions/*.yaml",
    "pacte": "data/pactes/*/pacte.yaml",
    "member": "data/pactes/*/members/*.yaml",
    "stakeholders": "data/pactes/*/stakeholders.yaml",
}


def schemas() -> dict[str, dict[str, Any]]:
    """Every kind's JSON Schema, generated from its model."""
    import ti_cli.model as model

    out: dict[str, dict[str, Any]] = {}
    for kind, name in KINDS.items():
        cls = getattr(model, name)
        doc = cls.model_json_schema(mode="validation")
        doc["$schema"] = "https://json-schema.org/draft/2020-12/schema"
        doc["$id"] = f"{kind}.schema.json"
        out[kind] = doc
    return out
