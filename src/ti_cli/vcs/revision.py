"""A contract folder as it was at a git revision, loaded by the ordinary loader.

Each file's text comes from ``git show REV:path`` and goes through ``loading.source.load`` like a file
on disk, so the same rules run on it. Its path is the label ``REV:path`` (git's own notation, relative
to the top of the repository, e.g. ``main:data/contracts/x/actions/01-a.yaml``): every finding about
the old revision says which revision it is about, and ``git show`` with that label shows the file.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path, PurePosixPath

from ti_cli.findings import Finding, Severity
from ti_cli.i18n import _
from ti_cli.loading.bundle import YAML_SUFFIXES, ContractBundle
from ti_cli.loading.source import M, Source, load
from ti_cli.model import Action, Contract, CostSharing, Decisions, Progress
from ti_cli.vcs.git import MAX_BLOB, GitProblem, Repo

WORKTREE = "WORKTREE"  # the label of the files on disk, when no --head is given
_PLAIN_REF = re.compile(r"[\w][\w.\-/~^@]*")


class NotAtRevision(GitProblem):
    """The contract folder does not exist at that revision (a contract added since)."""


def label(ref: str, commit: str) -> str:
    """How a revision is named in file labels: the ref as typed when it reads as one, else the commit."""
    plain = _PLAIN_REF.fullmatch(ref) and ".." not in ref and "//" not in ref
    return ref if plain else commit[:12]


def committed_at(root: Path, ref: str) -> dt.datetime:
    """When the revision ``ref`` was committed (its committer date, with the time of day): how a document
    dates a version (``output.diff.version_title``), never by its ref or its subject."""
    repo = Repo.containing(root)
    stamp = repo.run("log", "-1", "--format=%cI", repo.commit(ref)).decode().strip()
    return dt.datetime.fromisoformat(stamp)


def load_contract_at(root: Path, ref: str) -> ContractBundle:
    """The contract folder ``root`` (a path in the work tree) as it was at ``ref``."""
    repo = Repo.containing(root)
    commit = repo.commit(ref)
    folder = repo.relative(root)
    files = repo.files(commit, folder)
    if folder / "contract.yaml" not in files:
        raise NotAtRevision(
            _("no contract at revision '{ref}': {folder}/contract.yaml is not there").format(ref=ref, folder=folder)
        )
    shown = Path(f"{label(ref, commit)}:{folder}")

    def one(name: PurePosixPath, model: type[M]) -> Source[M]:
        path = shown / name.relative_to(folder)
        if files[name] > MAX_BLOB:  # never read it: the loader's own limit, applied before git show
            return _refused(path, "TI005", f"file is {files[name]:,} bytes; the limit is {MAX_BLOB:,} (5 MB)")
        raw = repo.show(commit, name)
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = raw.count(b"\n", 0, exc.start) + 1
            return _refused(path, "TI004", "not UTF-8 text: save the file as UTF-8", line)
        return load(path, model, text=text)

    def group(sub: str, model: type[M]) -> list[Source[M]]:
        names = sorted(n for n in files if n.parent == folder / sub and n.suffix in YAML_SUFFIXES)
        return [one(n, model) for n in names]

    return ContractBundle(
        root=shown,
        contract=one(folder / "contract.yaml", Contract),
        actions=group("actions", Action),
        progress=group("progress", Progress),
        cost_sharing=group("cost-sharing", CostSharing),
        decisions=group("decisions", Decisions),
    )


def _refused(path: Path, code: str, message: str, line: int = 1) -> Source[M]:
    return Source(path, findings=[Finding(code, Severity.error, message, path, line, 1)])
