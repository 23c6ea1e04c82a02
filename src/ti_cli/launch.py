"""The ``ti`` console script. ``ti`` and ``ti --help`` are answered from the stored page ``help.txt``
without importing Typer (most of the start-up time); everything else goes to the Typer app.

``make docs`` regenerates the page and a test checks it equals what the app prints.
"""

from __future__ import annotations

import sys
from pathlib import Path

PAGE = Path(__file__).with_name("help.txt")


def plain_streams() -> None:
    """Where stdout or stderr cannot encode French typography (U+202F, U+2212: a Windows pipe in
    cp1252), print ordinary spaces and hyphens there rather than fail with UnicodeEncodeError."""
    import codecs

    from ti_cli.french import plain_fallback

    codecs.register_error("ti-plain", plain_fallback)
    for stream in (sys.stdout, sys.stderr):
        try:
            "\u202f\u2212".encode(stream.encoding or "utf-8")
        except (UnicodeEncodeError, LookupError):
            if hasattr(stream, "reconfigure"):
                stream.reconfigure(errors="ti-plain")


def main() -> None:
    plain_streams()
    if sys.argv[1:] in ([], ["--help"]) and PAGE.is_file():
        sys.stdout.write(PAGE.read_text(encoding="utf-8"))
        return
    from ti_cli.cli import main as run_app

    run_app()
