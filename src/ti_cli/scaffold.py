"""``ti init``: the files of a new data repository (SPEC §11), from the starter templates in
``templates/init/`` — one place, never Python strings.

A starter file's path inside ``templates/init/`` is its path in the new repository, with ``dot-`` for a
leading dot (``dot-gitignore`` → ``.gitignore``: hidden files would not be packaged) and ``.j2`` for a
file rendered with the options of ``ti init``. ``contract/`` goes to ``data/contracts/ID/``, ``pacte/``
to ``data/pactes/ID/``.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from ti_cli.resources import builtin

SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
# The axis of the example action: foncier is what most plans start with (SPEC §10); ti-2019 has no such axis.
EXAMPLE_AXIS = {"ti-2019": "ATTIRER", "ti-2023": "FONCIER"}


@dataclass(frozen=True)
class Options:
    contract: str
    title: str
    programme: str
    pacte: str | None
    version: str

    @property
    def requirement(self) -> str:
        return f"ti-cli=={self.version}"


def planned_files(options: Options) -> dict[PurePosixPath, str]:
    """Every file ``ti init`` writes, by its path in the new repository, with its text."""
    from jinja2 import Environment, StrictUndefined

    from ti_cli.model.programme import PROGRAMMES
    from ti_cli.model.schemas import FILES

    env = Environment(undefined=StrictUndefined, keep_trailing_newline=True)
    programme = PROGRAMMES[options.programme]
    first, last = programme.years
    values = {
        "id": options.contract,
        "title": options.title,
        "pacte": options.pacte,
        "programme": options.programme,
        "phase2": options.programme == "ti-2023",
        "programme_label": programme.label,
        "axis": EXAMPLE_AXIS[options.programme],
        "axes": " | ".join(programme.axis_codes()),
        "start": dt.date(first, 1, 1).isoformat(),
        "end": dt.date(last, 12, 31).isoformat(),
        "today": dt.date.today().isoformat(),
        "schema_files": FILES,
        "version": options.version,
        "requirement": options.requirement,
    }
    root = builtin("init")
    files: dict[PurePosixPath, str] = {}
    for source in sorted(p for p in root.rglob("*") if p.is_file()):
        relative = source.relative_to(root)
        if relative.parts[0] == "pacte" and options.pacte is None:
            continue
        text = source.read_text(encoding="utf-8")
        if source.suffix == ".j2":
            text = env.from_string(text).render(values)
        files[_target(relative, options)] = text
    contract = PurePosixPath("data/contracts", options.contract)
    action = contract / "action.yaml"
    files[contract / "actions/01-exemple.yaml"] = files.pop(action)
    decision = files.pop(contract / "decision.yaml")
    if options.programme != "ti-2019":  # a phase-2 plan changes by decisions of its governance (SPEC §10)
        files[contract / f"decisions/{values['today']}-exemple.yaml"] = decision
    keep = ["progress"] + (["members"] if options.pacte else [])
    for folder in keep:
        base = PurePosixPath("data/pactes", options.pacte or "") if folder == "members" else contract
        files[base / folder / ".gitkeep"] = ""
    files.update(_schemas())
    return files


def _target(relative: Path, options: Options) -> PurePosixPath:
    parts = [("." + p.removeprefix("dot-")) if p.startswith("dot-") else p for p in relative.parts]
    parts[-1] = parts[-1].removesuffix(".j2")
    if parts[0] == "contract":
        parts[0:1] = ["data", "contracts", options.contract]
    elif parts[0] == "pacte":
        parts[0:1] = ["data", "pactes", options.pacte or ""]
    return PurePosixPath(*parts)


def _schemas() -> dict[PurePosixPath, str]:
    from ti_cli.model.schemas import schemas

    return {
        PurePosixPath("schemas", f"{kind}.schema.json"): json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
        for kind, doc in schemas().items()
    }


def existing(folder: Path) -> list[str]:
    """What is already in ``folder`` (its ``.git`` aside), for the refusal message."""
    if not folder.is_dir():
        return []
    return sorted(p.name + ("/" if p.is_dir() else "") for p in folder.iterdir() if p.name != ".git")


def write(folder: Path, files: dict[PurePosixPath, str], *, force: bool) -> None:
    from ti_cli.loading.writer import write_atomic

    for relative, text in files.items():
        write_atomic(folder.joinpath(*relative.parts), text, force=force)
