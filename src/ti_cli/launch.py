"""The ``ti`` console script. ``ti`` and ``ti --help`` are answered from the stored page ``help.<lang>.txt``
without importing Typer (most of the start-up time), ``ti --version`` too, and so is the pre-commit
hook's ``ti validate [--no-cache] [--strict] [--format F] PATH…``; everything else goes to the Typer app.

``make docs`` regenerates the pages and a test checks it equals what the app prints.
"""

from __future__ import annotations

import sys
from pathlib import Path

TYPE_CHECKING = False  # mypy takes it as true; ``typing`` stays unimported on the ``ti --help`` path
if TYPE_CHECKING:
    from typing import Any


def page(lang: str) -> Path:
    """The stored ``ti --help`` of a language (``make docs`` writes both)."""
    return Path(__file__).with_name(f"help.{lang}.txt")


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


def quiet_libraries() -> None:
    """The libraries' own warnings (English, for programmers: openpyxl on an Excel feature it drops,
    a deprecation) are not for a chef de projet; ``PYTHONWARNINGS`` still shows them to a developer."""
    import os

    if not os.environ.get("PYTHONWARNINGS") and not sys.warnoptions:
        import warnings

        warnings.simplefilter("ignore")


def main() -> None:
    plain_streams()
    quiet_libraries()
    if not _choose_language():
        sys.exit(2)
    from ti_cli.i18n import language

    stored = page(language())
    if sys.argv[1:] in ([], ["--help"]) and stored.is_file():
        sys.stdout.write(stored.read_text(encoding="utf-8"))
        return
    if sys.argv[1:] == ["--version"]:  # as fast as the help page: no Typer for one line
        from ti_cli import __version__

        sys.stdout.write(f"ti {__version__}\n")
        return
    if sys.argv[1:2] == ["validate"]:
        from ti_cli.validation import fast_arguments

        options = fast_arguments(sys.argv[2:])
        if options is not None:
            sys.exit(_validate(options))
    from ti_cli.cli import main as run_app

    run_app()


def _choose_language() -> bool:
    """``--lang X`` (anywhere) or ``TI_LANG``, read before any command is imported: Typer reads the help
    texts as it builds the app. The option leaves ``sys.argv``, so every command accepts it."""
    from ti_cli.i18n import UnknownLanguage, _, activate, chosen_language

    lang, sys.argv[1:] = chosen_language(sys.argv[1:])
    try:
        activate(lang)
    except UnknownLanguage:
        sys.stderr.write("ti: " + _("unknown language '{lang}': choose fr or en").format(lang=lang) + "\n")
        return False
    return True


def _validate(options: dict[str, Any]) -> int:
    """``ti validate [--no-cache] [--strict] [--format F] PATH…`` (the pre-commit hook) without Typer;
    usage and I/O problems are one line and exit 2, as ``cli.common.guard`` makes them."""
    from ti_cli.usage import UsageProblem
    from ti_cli.validation import check

    try:
        return check(options.pop("paths"), **options)
    except UsageProblem as exc:
        message = str(exc)
    except OSError as exc:
        from ti_cli.usage import os_problem

        message = os_problem(exc)
    except KeyboardInterrupt:
        from ti_cli.i18n import _

        sys.stderr.write("ti: " + _("interrupted") + "\n")
        return 130
    sys.stderr.write(f"ti: {message}\n")
    return 2
