"""When each file of a folder was first and last committed (SPEC §16: an exported project's
``createdAt`` / ``updatedAt``), from one ``git log`` over the folder; a file git does not know (no
repository, no commit yet, git not installed) takes its modification time for both."""

from __future__ import annotations

import datetime as dt
from pathlib import Path, PurePosixPath

from ti_cli.vcs.git import GitProblem, Repo

RECORD = "\x01"  # starts each commit in the log: never in a timestamp


def commit_dates(folder: Path, files: list[Path]) -> dict[Path, tuple[dt.datetime, dt.datetime]]:
    """``files`` (inside ``folder``) → (first commit, last commit), as aware UTC datetimes; a file of
    the current branch's history followed under its current name only (no rename detection)."""
    found: dict[PurePosixPath, list[dt.datetime]] = {}
    repo: Repo | None = None
    try:
        repo = Repo.containing(folder)
        out = repo.run(
            "log", "--no-renames", "--name-only", "-z", f"--format={RECORD}%ct", "--", f"{repo.relative(folder)}/"
        )
        for record in out.decode("utf-8", "surrogateescape").split(RECORD)[1:]:
            stamp, _, names = record.partition("\0")
            when = dt.datetime.fromtimestamp(int(stamp.strip()), dt.UTC)
            for name in names.split("\0"):
                if name.strip("\n"):
                    found.setdefault(PurePosixPath(name.strip("\n")), []).append(when)
    except (GitProblem, ValueError):
        repo = None
    dates: dict[Path, tuple[dt.datetime, dt.datetime]] = {}
    for file in files:
        times = found.get(repo.relative(file)) if repo is not None else None
        if times:
            dates[file] = (min(times), max(times))
        else:
            modified = dt.datetime.fromtimestamp(file.stat().st_mtime, dt.UTC).replace(microsecond=0)
            dates[file] = (modified, modified)
    return dates


def iso_utc(when: dt.datetime) -> str:
    """``2025-04-15T14:30:00Z``: ISO 8601 in UTC with ``Z``, to the second."""
    return when.astimezone(dt.UTC).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")
