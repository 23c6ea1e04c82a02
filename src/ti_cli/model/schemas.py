"""The JSON Schema of every file kind, generated from the models: for ``ti schema``, ``ti init`` and editors."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from pydantic.json_schema import GenerateJsonSchema, JsonSchemaValue
from pydantic_core import core_schema

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


class _Schema(GenerateJsonSchema):
    """A Decimal is a YAML number (pydantic's default also admits a string: « 16 753 500 € » would pass
    the editor and fail ``ti validate``); a Decimal default is written as a number."""

    def decimal_schema(self, schema: core_schema.DecimalSchema) -> JsonSchemaValue:
        out: JsonSchemaValue = {"type": "number"}
        for key, word in (("ge", "minimum"), ("le", "maximum"), ("gt", "exclusiveMinimum"), ("lt", "exclusiveMaximum")):
            if schema.get(key) is not None:
                out[word] = _number(schema.get(key))
        return out

    def encode_default(self, dft: Any) -> Any:
        return _number(dft) if isinstance(dft, Decimal) else super().encode_default(dft)


def _number(value: Any) -> int | float:
    number = Decimal(value)
    return int(number) if number == number.to_integral_value() else float(number)


def _describe(definition: dict[str, Any]) -> None:
    """The French descriptions and labels of ``model/descriptions.py`` put on one model's or enum's schema."""
    from ti_cli.model.descriptions import ENUMS, FIELDS, MODELS

    name = definition.get("title", "")
    if name in MODELS:
        definition["description"] = MODELS[name]
    else:
        definition.pop("description", None)  # a docstring: English, for developers
    for field, prop in definition.get("properties", {}).items():
        if field in FIELDS.get(name, {}):
            prop["description"] = FIELDS[name][field]
    if "enum" in definition and name in ENUMS:
        labels = ENUMS[name]
        definition["enumDescriptions"] = [labels.get(value, "") for value in definition["enum"]]
        definition["description"] = " ; ".join(
            f"{value}\u00a0: {labels.get(value, '')}" for value in definition["enum"]
        )


def schemas() -> dict[str, dict[str, Any]]:
    """Every kind's JSON Schema, generated from its model."""
    import ti_cli.model as model

    out: dict[str, dict[str, Any]] = {}
    for kind, name in KINDS.items():
        cls = getattr(model, name)
        doc = cls.model_json_schema(mode="validation", schema_generator=_Schema)
        for definition in (doc, *doc.get("$defs", {}).values()):
            _describe(definition)
        doc["$schema"] = "https://json-schema.org/draft/2020-12/schema"
        doc["$id"] = f"{kind}.schema.json"
        out[kind] = doc
    return out
