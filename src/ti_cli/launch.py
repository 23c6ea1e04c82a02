"""The ``ti`` console script. ``ti`` and ``ti --help`` are answered from the stored page ``help.txt``
without importing Typer (most of the start-up time); everything else goes to the Typer app.

``make docs`` regenerates the page and a test checks it equals what the app prints.
"""

from __future__ import annotations

import sys
from pathlib import Path

PAGE = Path(__file__).with_name("help.txt")


def main() -> None:
    if sys.argv[1:] in ([], ["--help"]) and PAGE.is_file():
        sys.stdout.write(PAGE.read_text(encoding="utf-8"))
        return
    if sys.argv[1:] == ["--version"]:  # as fast as the help page: no Typer for one line
        from ti_cli import __version__

        sys.stdout.write(f"ti {__version__}\n")
        return
    from ti_cli.cli import main as run_app

    run_app()
