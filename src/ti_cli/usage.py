"""``UsageProblem`` and the words of usage and I/O problems, apart from the Typer layer so that the fast
path of ``ti validate`` can use them."""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from ti_cli.i18n import N_, _


class UsageProblem(Exception):
    """A problem with what the user asked (a missing path, an unknown contract): exit 2, no traceback.

    Every command is wrapped by ``guard`` so that it is reported the same way whether ``ti`` runs
    from the console script or from a test's ``CliRunner``.
    """


_OS_PROBLEMS = {
    errno.ENOENT: N_("no such file or folder"),
    errno.EACCES: N_("permission denied"),
    errno.EPERM: N_("permission denied"),
    errno.EISDIR: N_("this is a folder, not a file"),
    errno.ENOTDIR: N_("a part of this path is not a folder"),
    errno.EEXIST: N_("already exists"),
    errno.ENOSPC: N_("the disk is full"),
    errno.EROFS: N_("the disk is read-only"),
}


def os_problem(exc: OSError) -> str:
    """An input/output problem in one line, in the user's language: the operating system's own message
    is English (or the system's language) and says nothing of the file unless we add it."""
    reason = _(_OS_PROBLEMS[exc.errno]) if exc.errno in _OS_PROBLEMS else (exc.strerror or str(exc))
    return f"{exc.filename}: {reason}" if exc.filename else reason


def check_format(fmt: str, choices: tuple[str, ...]) -> None:
    """``--format`` is one of ``choices`` (never translated: scripts pass them)."""
    if fmt not in choices:
        raise UsageProblem(
            _("unknown format '{format}': choose one of: {choices}").format(format=fmt, choices=", ".join(choices))
        )


def regular_file(path: Path) -> bool:
    """Whether ``path`` is a regular file (through its link, if it is one): only those are ever opened for
    reading, so that a FIFO never blocks ``ti`` and a device such as ``/dev/zero`` is never read to no end."""
    try:
        return stat.S_ISREG(os.stat(path).st_mode)
    except (OSError, ValueError):
        return False
