"""The action numbers a contract has used in its git history, so that ``ti new action`` never gives a
removed action's number to a new one (``ti diff`` and the avenant would read it as the old action,
retitled, instead of a removal and an addition).

One ``git log`` over the contract's ``actions/`` folder, on every branch, gives every file name that
ever existed there; the number is the ``NN-`` prefix of the name, or, for the few files named
otherwise, the ``number:`` line of the file as it was committed.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from ti_cli.loading.bundle import YAML_SUFFIXES
from ti_cli.loading.naming import PREFIX
from ti_cli.vcs.git import GitProblem, Repo

NUMBER_LINE = re.compile(rb"^number:[ \t]*(\d+)[ \t]*(?:#.*)?$", re.MULTILINE)
# Files without a number in their name are read one ``git show`` each: enough for any real contract,
# bounded for a pathological history.
MAX_SHOWN = 100
RECORD = "\x01"  # starts each commit in the log below: never in a commit's hash, date or subject line


@dataclass(frozen=True)
class PastUse:
    """The latest commit in which a file of ``actions/`` carried a number."""

    commit: str
    day: dt.date
    subject: str
    path: PurePosixPath  # relative to the top of the repository, as git names it

    def revision(self) -> str:
        """« le commit 3ede5238 du 3 mars 2024 (« Contrat signé ») », for a message."""
        from ti_cli.french import date_long

        subject = f" (« {self.subject} »)" if self.subject else ""
        return f"le commit {self.commit[:8]} du {date_long(self.day)}{subject}"


def past_numbers(root: Path) -> dict[int, PastUse]:
    """Every action number a committed revision of contract ``root`` used, with the latest commit that
    carried it. Empty outside a git repository, without git, or before the first commit: the work tree
    is then all there is to go by."""
    try:
        repo = Repo.containing(root)
        folder = repo.relative(root) / "actions"
        # Additions and changes only (a deletion names a file the commit no longer holds); no rename
        # detection, so that a renamed file's old name is listed with its commit too.
        out = repo.run(
            "log",
            "--all",
            "--no-renames",
            "--diff-filter=ACMRT",
            "--name-only",
            "-z",
            f"--format={RECORD}%H %cs %s",
            "--",
            f"{folder}/",
        )
    except GitProblem:
        return {}
    found: dict[int, PastUse] = {}
    shown = 0
    for use in _uses(out.decode("utf-8", "surrogateescape")):
        if use.path.suffix not in YAML_SUFFIXES or use.path.parent != folder:
            continue
        number: int | None
        if (m := PREFIX.match(use.path.name)) is not None:
            number = int(m.group(1))
        elif shown < MAX_SHOWN:
            shown += 1
            number = _number_in(repo, use)
        else:
            continue
        # The log runs newest first: the first commit seen for a number is its latest.
        if number is not None:
            found.setdefault(number, use)
    return found


def _uses(log: str) -> list[PastUse]:
    """``git log --name-only -z`` with a RECORD-headed format, as one PastUse per file and commit."""
    uses: list[PastUse] = []
    for record in log.split(RECORD)[1:]:
        header, _, names = record.partition("\0")
        commit, _, rest = header.partition(" ")
        day, _, subject = rest.partition(" ")
        try:
            when = dt.date.fromisoformat(day)
        except ValueError:
            continue
        uses += [
            PastUse(commit, when, subject.strip(), PurePosixPath(name.strip("\n")))
            for name in names.split("\0")
            if name.strip("\n")
        ]
    return uses


def _number_in(repo: Repo, use: PastUse) -> int | None:
    """The ``number:`` written at the top level of the file as ``use.commit`` holds it, if any."""
    try:
        m = NUMBER_LINE.search(repo.show(use.commit, use.path))
    except GitProblem:
        return None
    return int(m.group(1)) if m else None
