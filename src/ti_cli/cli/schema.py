"""``ti schema``: a JSON Schema per file kind, for editors (yaml-language-server) and other tools."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer

from ti_cli.i18n import _, ngettext

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


def register(app: typer.Typer) -> None:
    app.command(
        "schema",
        help=_("Write the JSON Schema of every file kind (contract, action, progress, …) to schemas/, for editors."),
    )(schema)


def schemas() -> dict[str, dict[str, Any]]:
    import ti_cli.model as model

    out = {}
    for kind, name in KINDS.items():
        cls = getattr(model, name)
        doc = cls.model_json_schema(mode="validation")
        doc["$schema"] = "https://json-schema.org/draft/2020-12/schema"
        doc["$id"] = f"{kind}.schema.json"
        out[kind] = doc
    return out


def schema(
    output: Annotated[
        Path, typer.Option("--output", "-o", metavar=_("FOLDER"), help=_("Folder the schemas are written to."))
    ] = Path("schemas"),
    kind: Annotated[
        str | None, typer.Option("--kind", metavar="|".join(KINDS), help=_("Print only this kind's schema."))
    ] = None,
) -> None:
    from ti_cli.cli.common import UsageProblem

    docs = schemas()
    if kind is not None:
        if kind not in docs:
            raise UsageProblem(
                _("unknown kind '{kind}': choose one of: {choices}").format(kind=kind, choices=", ".join(docs))
            )
        typer.echo(json.dumps(docs[kind], ensure_ascii=False, indent=2))
        return
    output.mkdir(parents=True, exist_ok=True)
    for name, doc in docs.items():
        (output / f"{name}.schema.json").write_text(
            json.dumps(doc, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
        )
    typer.echo(
        ngettext("{n} schema written to {folder}/", "{n} schemas written to {folder}/", len(docs)).format(
            n=len(docs), folder=output
        )
    )
