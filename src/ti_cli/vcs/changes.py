"""``ti validate --changed-since REF``: check what a branch changed, and what those changes can break.

The files changed since ``REF`` (modified, added, deleted, renamed, or new and not yet added) are
mapped to the bundles (contract or pacte folders) they belong to, and those bundles are loaded whole.
Kept: every finding on a changed file, and every rule finding on the other files of those bundles —
rules run on a whole bundle (numbers unique, references resolved, totals…), so a change to one file can
break another (delete a financer from ``contract.yaml`` and an untouched action now names an unknown
one). Loading and schema problems of untouched files are left out: they do not depend on other files;
so are the blanks of untouched text (TI039: a title's or a chapter's own words). A contract's text
chapters (``text/*.md``) count as its files: a branch that edits one has that chapter checked.
"""

from __future__ import annotations

from pathlib import Path

from ti_cli.findings import Finding
from ti_cli.loading.bundle import YAML_SUFFIXES, bundle_root
from ti_cli.loading.source import display_path
from ti_cli.rules import Context
from ti_cli.rules.codes import LOADING
from ti_cli.rules.engine import Report, validate
from ti_cli.vcs.git import Repo


def changed_yaml(ref: str, paths: list[Path]) -> list[Path]:
    """YAML files under ``paths`` that differ between ``ref`` and the work tree (deleted ones included)."""
    repo = Repo.containing(paths[0])
    for path in paths[1:]:
        repo.relative(path)  # every path must be in the same repository
    inside = [p.resolve() for p in paths]
    return [
        file
        for file in (repo.top / Path(name) for name in repo.changed(ref))
        if (file.suffix in YAML_SUFFIXES or _chapter_root(file) is not None)
        and any(file == p or p in file.parents for p in inside)
    ]


def _chapter_root(file: Path) -> Path | None:
    """The contract folder of a text chapter (``<contract>/text/*.md``), None for any other file."""
    root = file.parent.parent
    if file.suffix == ".md" and file.parent.name == "text" and (root / "contract.yaml").is_file():
        return root
    return None


def validate_changed(ref: str, paths: list[Path], context: Context) -> Report:
    changed = changed_yaml(ref, paths)
    targets: set[Path] = set()
    for file in changed:
        if (chapter := _chapter_root(file)) is not None:
            targets.add(chapter)
            continue
        found = bundle_root(file)
        if found is not None:
            kind, root = found
            if (root / f"{kind}.yaml").is_file():  # a bundle deleted whole has nothing left to check
                targets.add(root)
        elif file.is_file():
            targets.add(file)  # a YAML file ti does not know: reported as such
    if not targets:
        return Report(0, [])
    report = validate(sorted(targets), context)
    shown = {display_path(f) for f in changed}
    kept = [f for f in report.findings if _kept(f, shown)]
    return Report(sum(1 for f in changed if f.is_file()), kept)


OWN_FILE = frozenset({"TI039"})  # rule findings that depend on their own file alone, like a loading problem
# Milestones late or due soon (TI056, TI055) come with the date, not with a change: shown when the progress
# file they sit in is changed, not on every branch that touches the contract.
OWN_FILE |= {"TI055", "TI056"}


def _kept(finding: Finding, changed: set[Path]) -> bool:
    return finding.file in changed or (finding.code not in LOADING and finding.code not in OWN_FILE)
