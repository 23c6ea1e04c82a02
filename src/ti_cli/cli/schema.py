"""``ti schema``: a JSON Schema per file kind, for editors (yaml-language-server) and other tools."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from ti_cli.i18n import _, ngettext
from ti_cli.model.schemas import KINDS, schemas


def register(app: typer.Typer) -> None:
    app.command(
        "schema",
        help=_("Write the JSON Schema of every file kind (contract, action, progress, …) to schemas/, for editors."),
    )(schema)


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
            json.dumps(doc, ensure_ascii=False, indent=2) + "\n", encoding="utf-8", newline="\n"
        )
    typer.echo(
        ngettext("{n} schema written to {folder}/", "{n} schemas written to {folder}/", len(docs)).format(
            n=len(docs), folder=output
        )
    )
