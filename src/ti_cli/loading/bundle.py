"""Finding the files of a data repo and loading them as bundles: a contract folder, a pacte folder.

Rules that span files (numbers unique, references resolved) need the whole folder, so a bundle is
always loaded whole even when only one of its files was named on the command line.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ti_cli.findings import Finding, Severity
from ti_cli.loading.source import Source, display_path, load
from ti_cli.model import Action, Contract, CostSharing, Member, Pacte, Progress, Stakeholders

YAML_SUFFIXES = (".yaml", ".yml")


@dataclass
class ContractBundle:
    root: Path
    contract: Source[Contract]
    actions: list[Source[Action]] = field(default_factory=list)
    progress: list[Source[Progress]] = field(default_factory=list)
    cost_sharing: list[Source[CostSharing]] = field(default_factory=list)

    @property
    def sources(self) -> list[Source]:
        return [self.contract, *self.actions, *self.progress, *self.cost_sharing]

    def valid_actions(self) -> list[tuple[Source[Action], Action]]:
        return sorted(
            ((s, s.model) for s in self.actions if s.model is not None), key=lambda pair: pair[1].number
        )

    def action_models(self) -> list[Action]:
        return [a for _, a in self.valid_actions()]

    def valid_progress(self) -> list[tuple[Source[Progress], Progress]]:
        return sorted(
            ((s, s.model) for s in self.progress if s.model is not None), key=lambda pair: pair[1].quarter
        )


@dataclass
class PacteBundle:
    root: Path
    pacte: Source[Pacte]
    members: list[Source[Member]] = field(default_factory=list)
    stakeholders: Source[Stakeholders] | None = None

    @property
    def sources(self) -> list[Source]:
        return [self.pacte, *self.members, *([self.stakeholders] if self.stakeholders else [])]


def yaml_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.glob("*") if p.suffix in YAML_SUFFIXES and p.is_file())


def load_contract(root: Path) -> ContractBundle:
    return ContractBundle(
        root=root,
        contract=load(root / "contract.yaml", Contract),
        actions=[load(p, Action) for p in yaml_files(root / "actions")],
        progress=[load(p, Progress) for p in yaml_files(root / "progress")],
        cost_sharing=[load(p, CostSharing) for p in yaml_files(root / "cost-sharing")],
    )


def load_pacte(root: Path) -> PacteBundle:
    stakeholders = root / "stakeholders.yaml"
    return PacteBundle(
        root=root,
        pacte=load(root / "pacte.yaml", Pacte),
        members=[load(p, Member) for p in yaml_files(root / "members")],
        stakeholders=load(stakeholders, Stakeholders) if stakeholders.exists() else None,
    )


@dataclass
class Selection:
    """What ``ti validate PATH…`` was asked to check."""

    contracts: list[Path] = field(default_factory=list)
    pactes: list[Path] = field(default_factory=list)
    files: set[Path] | None = None  # None: every file of the bundles; else only these are reported
    strays: list[Finding] = field(default_factory=list)


def bundle_root(path: Path) -> tuple[str, Path] | None:
    """Which bundle a YAML file belongs to: ('contract'|'pacte', its folder), from its place in the tree."""
    parent = path.parent
    if path.name == "contract.yaml":
        return "contract", parent
    if path.name in ("pacte.yaml", "stakeholders.yaml"):
        return "pacte", parent
    if parent.name in ("actions", "progress", "cost-sharing") and (parent.parent / "contract.yaml").exists():
        return "contract", parent.parent
    if parent.name == "members" and (parent.parent / "pacte.yaml").exists():
        return "pacte", parent.parent
    return None


def select(paths: Iterable[Path]) -> Selection:
    """Bundles touched by the given files and folders; a YAML file that fits no bundle is reported."""
    selection = Selection()
    named_files: set[Path] = set()
    roots: dict[Path, str] = {}
    for path in paths:
        candidates = [path] if path.is_file() else _walk(path)
        if path.is_file():
            named_files.add(path.resolve())
        for file in candidates:
            found = bundle_root(file)
            if found is None:
                if path.is_file() or _inside_data_tree(file):
                    selection.strays.append(Finding(
                        "TI016", Severity.warning,
                        "not a file ti knows (contract.yaml, actions/, progress/, cost-sharing/, pacte.yaml, "
                        "members/, stakeholders.yaml): not checked", display_path(file),
                    ))
                continue
            roots.setdefault(found[1].resolve(), found[0])
    for root, kind in sorted(roots.items()):
        (selection.contracts if kind == "contract" else selection.pactes).append(root)
    if named_files and not any(p.is_dir() for p in paths):
        selection.files = named_files
    return selection


def _walk(folder: Path) -> list[Path]:
    return sorted(
        p for p in folder.rglob("*")
        if p.suffix in YAML_SUFFIXES and p.is_file() and not any(part.startswith(".") for part in p.parts[-4:])
    )


def _inside_data_tree(file: Path) -> bool:
    parts = file.resolve().parts
    return "contracts" in parts or "pactes" in parts
