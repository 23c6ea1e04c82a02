"""The ``git`` program, run safely: argument lists (no shell), refs checked before use, plain errors.

Every problem a user can cause — git not installed, a folder outside a repository, an unknown or
malformed ref — is a ``UsageProblem`` (exit 2) with a sentence saying what to do, never a traceback.
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from ti_cli.i18n import _
from ti_cli.usage import UsageProblem

# Blobs larger than this are not read at all (the loader refuses files over 5 MB anyway).
MAX_BLOB = 5 * 1024 * 1024
# Where the default --base is looked for, in order (SPEC §11); origin/… last, for a CI checkout.
DEFAULT_BRANCHES = ("origin/HEAD", "main", "master", "origin/main", "origin/master")


class GitProblem(UsageProblem):
    """git could not answer: the message says why in plain words."""


def _git(args: list[str], cwd: Path) -> subprocess.CompletedProcess[bytes]:
    # No pager, no prompt for credentials, no locale-dependent output: ti only ever reads.
    env = {**os.environ, "GIT_PAGER": "cat", "GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C"}
    try:
        return subprocess.run(["git", *args], cwd=cwd, capture_output=True, env=env, check=False)
    except FileNotFoundError:
        raise GitProblem(_("git is not installed (or not on PATH): it is needed to read other revisions")) from None


@dataclass(frozen=True)
class Repo:
    """A git work tree, addressed by its top folder; paths given to it are relative to that folder."""

    top: Path

    @classmethod
    def containing(cls, path: Path) -> Repo:
        """The repository that holds ``path`` (a file or folder, existing or not)."""
        folder = path.resolve()
        while not folder.is_dir():
            folder = folder.parent
        done = _git(["rev-parse", "--show-toplevel"], folder)
        if done.returncode != 0:
            raise GitProblem(
                _("{path}: not inside a git repository (run ti from a clone of the data repository)").format(path=path)
            )
        return cls(Path(done.stdout.decode("utf-8", "surrogateescape").strip()).resolve())

    def run(self, *args: str) -> bytes:
        done = _git(list(args), self.top)
        if done.returncode != 0:
            message = done.stderr.decode("utf-8", "replace").strip().splitlines()
            raise GitProblem(
                _("git {command} failed: {message}").format(command=args[0], message=message[-1] if message else "–")
            )
        return done.stdout

    def relative(self, path: Path) -> PurePosixPath:
        """``path`` relative to the top of the work tree, in git's notation."""
        try:
            return PurePosixPath(path.resolve().relative_to(self.top).as_posix())
        except ValueError:
            raise GitProblem(_("{path}: outside the git repository at {top}").format(path=path, top=self.top)) from None

    def commit(self, ref: str) -> str:
        """The commit ``ref`` names; refused when it looks like an option or names no commit."""
        if not ref or ref.startswith("-") or any(c in ref for c in "\0\n\r"):
            raise GitProblem(
                _("'{ref}' is not a revision: give a branch, a tag or a commit (e.g. origin/main)").format(ref=ref)
            )
        done = _git(["rev-parse", "--verify", "--quiet", "--end-of-options", f"{ref}^{{commit}}"], self.top)
        if done.returncode != 0:
            raise GitProblem(
                _(
                    "unknown revision '{ref}': no branch, tag or commit of that name in {top}; its branches: "
                    "{branches} (in CI, check out with fetch-depth: 0 so the base branch is there)"
                ).format(ref=ref, top=self.top, branches=self.branch_list())
            )
        return done.stdout.decode("ascii").strip()

    def branches(self) -> list[str]:
        """The local and remote-tracking branches, by their short names (``main``, ``origin/main``)."""
        done = _git(["for-each-ref", "--format=%(refname:short)", "refs/heads", "refs/remotes"], self.top)
        names = done.stdout.decode("utf-8", "surrogateescape").split() if done.returncode == 0 else []
        return sorted(n for n in names if n != "origin" and not n.endswith("/HEAD"))

    def branch_list(self) -> str:
        return ", ".join(self.branches()) or _("none (no commit yet)")

    def _exists(self, ref: str) -> bool:
        return _git(["rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}"], self.top).returncode == 0

    def default_branch(self) -> str:
        """The repository's default branch: ``origin/HEAD`` where the clone knows it, else ``main``, else
        ``master`` (locally, then on ``origin``: a CI checkout has only the remote-tracking branches)."""
        for ref in DEFAULT_BRANCHES:
            if self._exists(ref):
                if ref == "origin/HEAD":  # say which branch it is: origin/main, not origin/HEAD
                    named = _git(["rev-parse", "--abbrev-ref", "origin/HEAD"], self.top)
                    return named.stdout.decode("utf-8", "surrogateescape").strip() or ref
                return ref
        raise GitProblem(
            _(
                "no default branch to compare with (origin/HEAD, main or master): give --base; the "
                "branches of {top}: {branches}"
            ).format(top=self.top, branches=self.branch_list())
        )

    def default_base(self) -> tuple[str, str]:
        """The merge-base of HEAD with the default branch (its commit, abbreviated) and that branch."""
        if not self._exists("HEAD"):
            raise GitProblem(_("HEAD has no commit yet in {top}: commit first, or give --base").format(top=self.top))
        branch = self.default_branch()
        found = self.run("merge-base", "HEAD", self.commit(branch)).decode("ascii").strip()
        short = self.run("rev-parse", "--short=12", found).decode("ascii").strip()
        return short, branch

    def files(self, commit: str, folder: PurePosixPath) -> dict[PurePosixPath, int]:
        """Every file under ``folder`` at ``commit`` (recursively), with its size in bytes."""
        out = self.run(
            "ls-tree", "-r", "-z", "--format=%(objecttype) %(objectsize) %(path)", commit, "--", f"{folder}/"
        )
        found: dict[PurePosixPath, int] = {}
        for entry in out.decode("utf-8", "surrogateescape").split("\0"):
            kind, _, rest = entry.partition(" ")
            size, _, name = rest.partition(" ")
            if kind == "blob":
                found[PurePosixPath(name)] = int(size)
        return found

    def show(self, commit: str, path: PurePosixPath) -> bytes:
        """The bytes of ``path`` at ``commit`` (``git show REV:path``)."""
        return self.run("show", f"{commit}:{path}")

    def changed(self, ref: str) -> list[PurePosixPath]:
        """Files that differ between ``ref`` and the work tree: modified, added, deleted, renamed (both
        names) and new files not yet added (untracked, ignored files left out)."""
        commit = self.commit(ref)
        tracked = self.run("diff", "--name-only", "-z", "--no-renames", commit, "--")
        untracked = self.run("ls-files", "--others", "--exclude-standard", "-z")
        names = {n for n in (tracked + b"\0" + untracked).decode("utf-8", "surrogateescape").split("\0") if n}
        return sorted(PurePosixPath(n) for n in names)
