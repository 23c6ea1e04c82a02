"""Finding the files of a data repo and loading them as bundles: a contract folder, a pacte folder.

Rules that span files (numbers unique, references resolved) need the whole folder, so a bundle is
always loaded whole even when only one of its files was named on the command line.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ti_cli.findings import Finding, Severity
from ti_cli.i18n import N_, _
from ti_cli.loading.source import Source, display_path, load
from ti_cli.model import Action, Contract, CostSharing, Decisions, Member, Pacte, Progress, Stakeholders

YAML_SUFFIXES = (".yaml", ".yml")
ContractSource = Source[Contract] | Source[Action] | Source[Progress] | Source[CostSharing] | Source[Decisions]


@dataclass
class ContractBundle:
    root: Path
    contract: Source[Contract]
    actions: list[Source[Action]] = field(default_factory=list)
    progress: list[Source[Progress]] = field(default_factory=list)
    cost_sharing: list[Source[CostSharing]] = field(default_factory=list)
    decisions: list[Source[Decisions]] = field(default_factory=list)

    @property
    def sources(self) -> list[ContractSource]:
        return [self.contract, *self.actions, *self.progress, *self.cost_sharing, *self.decisions]

    def valid_decisions(self) -> list[tuple[Source[Decisions], Decisions]]:
        """The governance's relevés de décisions (SPEC §10), oldest first."""
        return sorted(((s, s.model) for s in self.decisions if s.model is not None), key=lambda pair: pair[1].date)

    def held_decisions(self) -> list[tuple[Source[Decisions], Decisions]]:
        """The relevés of meetings held, oldest first: without the drafts (``draft: true``), whose decisions are
        proposed, not taken — what the evaluation, the version names and the rules on decisions taken read."""
        return [(s, f) for s, f in self.valid_decisions() if not f.draft]

    def draft_decisions(self) -> list[tuple[Source[Decisions], Decisions]]:
        """The relevés still to adopt (``draft: true``, written by ``ti decisions draft``), oldest first."""
        return [(s, f) for s, f in self.valid_decisions() if f.draft]

    def decisions_complete(self) -> bool:
        """Every relevé loaded: a rule that looks for a missing decision runs only then (a broken relevé
        gets its own finding, not a cascade of « no decision » on the actions it decided)."""
        return all(s.model is not None for s in self.decisions)

    def valid_actions(self) -> list[tuple[Source[Action], Action]]:
        return sorted(((s, s.model) for s in self.actions if s.model is not None), key=lambda pair: pair[1].number)

    def action_models(self) -> list[Action]:
        return [a for _, a in self.valid_actions()]

    def action_numbers(self) -> set[int] | None:
        """The numbers of every action file, those that did not parse or validate included (their
        ``number:`` if readable, else the ``NN-`` of their name); ``None`` when a broken file's number
        cannot be told. A rule that looks an action up by number reports a missing one only when this is
        not ``None``: a broken action file gets its own finding, not a cascade in progress/ or decisions/."""
        numbers: set[int] = set()
        for src in self.actions:
            number = src.model.number if src.model is not None else _number_of_broken(src)
            if number is None:
                return None
            numbers.add(number)
        return numbers

    def valid_progress(self) -> list[tuple[Source[Progress], Progress]]:
        return sorted(((s, s.model) for s in self.progress if s.model is not None), key=lambda pair: pair[1].quarter)


_NUMBERED = re.compile(r"^(\d+)-")


def _number_of_broken(src: Source[Action]) -> int | None:
    data = src.doc.data if src.doc is not None else None
    number = data.get("number") if isinstance(data, dict) else None
    if isinstance(number, int) and not isinstance(number, bool):
        return number
    match = _NUMBERED.match(src.path.name)
    return int(match.group(1)) if match else None


@dataclass
class PacteBundle:
    root: Path
    pacte: Source[Pacte]
    members: list[Source[Member]] = field(default_factory=list)
    stakeholders: Source[Stakeholders] | None = None

    @property
    def sources(self) -> list[Source[Pacte] | Source[Member] | Source[Stakeholders]]:
        return [self.pacte, *self.members, *([self.stakeholders] if self.stakeholders else [])]

    def loaded_members(self) -> list[tuple[str, Member]]:
        """(file stem, member) of every member file that loaded, in file-name order: the stem is how a
        user names a member."""
        return [(s.path.stem, s.model) for s in self.members if s.model is not None]


def yaml_files(folder: Path) -> list[Path]:
    try:
        entries = list(os.scandir(folder))
    except OSError:  # no such folder: the part is simply empty
        return []
    # Every entry named like a data file, whatever it is: a folder, a FIFO, a device or a broken link
    # named ``10-x.yaml`` is an error at its path when loaded (TI008), never a silent pass.
    return sorted(Path(e.path) for e in entries if e.name.endswith(YAML_SUFFIXES))


def contract_files(root: Path) -> dict[str, list[Path]]:
    """The files of a contract folder, by part (SPEC §1)."""
    return {
        "contract": [root / "contract.yaml"],
        "actions": yaml_files(root / "actions"),
        "progress": yaml_files(root / "progress"),
        "cost_sharing": yaml_files(root / "cost-sharing"),
        "decisions": yaml_files(root / "decisions"),
    }


def pacte_files(root: Path) -> dict[str, list[Path]]:
    stakeholders = root / "stakeholders.yaml"
    return {
        "pacte": [root / "pacte.yaml"],
        "members": yaml_files(root / "members"),
        "stakeholders": [stakeholders] if stakeholders.exists() else [],
    }


def bundle_files(kind: str, root: Path) -> list[Path]:
    parts = contract_files(root) if kind == "contract" else pacte_files(root)
    return [file for files in parts.values() for file in files]


def load_contract(root: Path) -> ContractBundle:
    files = contract_files(root)
    return ContractBundle(
        root=root,
        contract=load(files["contract"][0], Contract),
        actions=[load(p, Action) for p in files["actions"]],
        progress=[load(p, Progress) for p in files["progress"]],
        cost_sharing=[load(p, CostSharing) for p in files["cost_sharing"]],
        decisions=[load(p, Decisions) for p in files["decisions"]],
    )


def load_pacte(root: Path) -> PacteBundle:
    files = pacte_files(root)
    return PacteBundle(
        root=root,
        pacte=load(files["pacte"][0], Pacte),
        members=[load(p, Member) for p in files["members"]],
        stakeholders=load(files["stakeholders"][0], Stakeholders) if files["stakeholders"] else None,
    )


@dataclass
class Selection:
    """What ``ti validate PATH…`` was asked to check."""

    contracts: list[Path] = field(default_factory=list)
    pactes: list[Path] = field(default_factory=list)
    scope: list[Path] = field(default_factory=list)  # absolute paths: only findings on files below them count
    strays: list[Finding] = field(default_factory=list)

    def wanted(self, file: Path) -> bool:
        """Whether a file (absolute, or relative to the current folder) is one of those asked for."""
        absolute = file if file.is_absolute() else Path.cwd() / file
        return any(absolute == p or p in absolute.parents for p in self.scope)


PARTS = {"contract": ("actions", "progress", "cost-sharing", "decisions"), "pacte": ("members",)}
ROOT_FILES = {"contract.yaml": "contract", "pacte.yaml": "pacte", "stakeholders.yaml": "pacte"}
OUTSIDE = N_(
    "{path}: this path belongs to no contract or pacte (no contract.yaml or pacte.yaml in this folder, "
    "above or below): nothing was checked"
)
NOT_DATA = N_(
    "{path}: this folder is not a data repository (no data/, contracts/ or pactes/ in it) and belongs to no "
    "contract or pacte: nothing was checked, and its subfolders were not searched"
)
UNKNOWN = N_(
    "not a file ti knows (contract.yaml, actions/, progress/, cost-sharing/, decisions/, pacte.yaml, "
    "members/, stakeholders.yaml): not checked"
)


class OutsideBundles(LookupError):
    """A path given to ``ti validate`` that belongs to no contract or pacte: a usage error, not a pass."""


def bundle_root(path: Path, roots: dict[Path, str] | None = None) -> tuple[str, Path] | None:
    """Which bundle a YAML file belongs to: ('contract'|'pacte', its folder), from its place in the tree.

    ``roots`` (bundle folders already seen) spares a look at the disk for each file of a large tree.
    """
    parent = path.parent
    if path.name in ROOT_FILES:
        return ROOT_FILES[path.name], parent
    for kind, parts in PARTS.items():
        if parent.name in parts:
            marker = parent.parent / f"{kind}.yaml"
            if (roots.get(parent.parent) == kind) if roots is not None else marker.exists():
                return kind, parent.parent
    return None


def owning_bundle(path: Path) -> tuple[str, Path] | None:
    """The contract or pacte folder that holds ``path`` (absolute; a file or any folder inside it)."""
    for folder in ([path] if path.is_dir() else []) + list(path.parents):
        for kind in PARTS:
            if (folder / f"{kind}.yaml").is_file():
                return kind, folder
    return None


def select(paths: Iterable[Path]) -> Selection:
    """Bundles touched by the given files and folders, loaded whole (rules span files); findings are kept
    for the paths asked for. A YAML file inside a bundle that fits none of its parts is reported; a path
    in no bundle at all raises ``OutsideBundles``."""
    selection = Selection()
    roots: dict[Path, str] = {}
    for path in paths:
        target = path.resolve()
        owner = owning_bundle(target)
        if owner is not None:
            kind, root = owner
            roots.setdefault(root, kind)
            known = set(bundle_files(kind, root))
            for file in _walk(target) if target.is_dir() else [target]:
                if file not in known:
                    selection.strays.append(Finding("TI016", Severity.warning, _(UNKNOWN), display_path(file)))
        elif target.is_dir() and not _holds_data(target):
            raise OutsideBundles(_(NOT_DATA).format(path=path))
        elif not (target.is_dir() and _walk_above(target, roots, selection)):
            raise OutsideBundles(_(OUTSIDE).format(path=path))
        selection.scope.append(target)
    for root, kind in sorted(roots.items()):
        (selection.contracts if kind == "contract" else selection.pactes).append(root)
    return selection


def _holds_data(folder: Path) -> bool:
    """Whether a folder is laid out as data (SPEC §1): a repository with ``data/``, its ``data/``, its
    ``contracts/`` or ``pactes/``. Anything else (``/``, a home folder) is refused without being walked:
    ``ti validate /`` read the whole disk."""
    if folder.name in ("data", "contracts", "pactes"):
        return True
    if any((folder / part).is_dir() for part in ("contracts", "pactes")):
        return True
    data = folder / "data"
    return any((data / part).is_dir() for part in ("contracts", "pactes"))


def _walk_above(folder: Path, roots: dict[Path, str], selection: Selection) -> bool:
    """Classify the YAML files below a folder that holds bundles (``data/``); whether it held any."""
    before = (len(roots), len(selection.strays))
    for file in _walk(folder):
        found = bundle_root(file, roots)
        if found is not None:
            roots.setdefault(found[1], found[0])
        elif {"contracts", "pactes"} & set(file.parts):
            selection.strays.append(Finding("TI016", Severity.warning, _(UNKNOWN), display_path(file)))
    return (len(roots), len(selection.strays)) != before


def _walk(folder: Path) -> list[Path]:
    """YAML files below ``folder``, parents before children (so bundle roots are known first)."""
    found: list[Path] = []
    for current, dirs, names in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        base = Path(current)
        found.extend(base / n for n in sorted(names) if n.endswith(YAML_SUFFIXES) and not n.startswith("."))
    return found
