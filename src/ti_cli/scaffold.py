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

from ti_cli.i18n import N_, _
from ti_cli.resources import builtin

SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
# The axis of the example action: foncier is what most plans start with (SPEC §10); ti-2019 has no such axis.
EXAMPLE_AXIS = {"ti-2019": "ATTIRER", "ti-2023": "FONCIER"}


# What CI and pre-commit install when ti came from files no other machine has (SPEC §11): a pip
# requirement that cannot parse, so pip stops at once, before any download, and says where.
PLACEHOLDER = N_("<TO REPLACE: where pip gets ti-cli>")
DISTRIBUTION = "ti-cli"


@dataclass(frozen=True)
class Options:
    contract: str
    title: str
    programme: str
    pacte: str | None
    version: str
    requirement: str | None = None  # None: nothing installable elsewhere, PLACEHOLDER is written


class BadRequirement(ValueError):
    """``--tool-source`` that pip could not read: the message says why."""


class OtherDistribution(BadRequirement):
    """``--tool-source`` that pip reads, but as another package than ti-cli (the message is its name)."""


def tool_requirement(version: str) -> str | None:
    """Where the running ``ti`` came from, as a pip requirement another machine can install (PEP 610
    ``direct_url.json`` of the installed distribution); None for a local file, folder or editable install."""
    from importlib import metadata

    try:
        text = metadata.distribution(DISTRIBUTION).read_text("direct_url.json")
    except metadata.PackageNotFoundError:  # run from a source tree, not installed
        return None
    if text is None:  # no direct_url.json: installed from a package index
        return f"{DISTRIBUTION}=={version}"
    try:
        direct = json.loads(text)
    except ValueError:
        return None
    return requirement_from(direct if isinstance(direct, dict) else {}, version)


def requirement_from(direct: dict[str, object], version: str) -> str | None:
    """The requirement a PEP 610 ``direct_url.json`` describes, None when it names only local files."""
    url = direct.get("url")
    if not isinstance(url, str) or url.startswith("file:"):
        return None
    vcs = direct.get("vcs_info")
    if isinstance(vcs, dict):
        revision = vcs.get("commit_id") or vcs.get("requested_revision")
        kind = vcs.get("vcs", "git")
        return f"{DISTRIBUTION} @ {kind}+{url}" + (f"@{revision}" if revision else "")
    if isinstance(direct.get("dir_info"), dict):  # a folder on some other disk: nothing to fetch
        return None
    return f"{DISTRIBUTION} @ {url}"  # an archive (wheel or sdist) at a URL


def checked_requirement(spec: str) -> str:
    """``--tool-source``: any pip requirement of ti-cli, as pip reads it; BadRequirement says why not."""
    from packaging.requirements import InvalidRequirement, Requirement
    from packaging.utils import canonicalize_name

    try:
        requirement = Requirement(spec)
    except InvalidRequirement as exc:
        raise BadRequirement(str(exc)) from None
    if canonicalize_name(requirement.name) != DISTRIBUTION:
        raise OtherDistribution(requirement.name)
    return spec.strip()


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
        "requirement": options.requirement or _(PLACEHOLDER),
        "placeholder": options.requirement is None,
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
