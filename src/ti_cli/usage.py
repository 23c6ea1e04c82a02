"""``UsageProblem``, apart from the Typer layer so that the fast path of ``ti validate`` can raise it."""

from __future__ import annotations


class UsageProblem(Exception):
    """A problem with what the user asked (a missing path, an unknown contract): exit 2, no traceback.

    Every command is wrapped by ``guard`` so that it is reported the same way whether ``ti`` runs
    from the console script or from a test's ``CliRunner``.
    """
