"""``ti validate`` without Typer: what the command does once its options are read.

``cli/validate.py`` (the Typer command) and the fast path of ``ti_cli.launch`` both call ``check``. The
fast path serves the pre-commit hook's ``ti validate FILE…``: Typer's import is a fifth of a cold run.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from pathlib import Path
from typing import Any

from ti_cli.i18n import N_, _
from ti_cli.usage import UsageProblem, check_format

DATA = Path("data")


NOT_READ = N_(
    "note: .ti-cache/ here is an old cache of ti, no longer read (the cache lives in your own folder, not in "
    "the repository): you may delete it"
)


def check(
    paths: list[Path] | None,
    fmt: str = "auto",
    strict: bool = False,
    output: Path | None = None,
    as_of: dt.date | None = None,
    changed_since: str | None = None,
    no_cache: bool = False,
    *,
    force: bool = False,
    soon: int | None = None,
) -> int:
    """Validate, print or write the report; the exit code (0 clean, 1 findings that fail)."""
    from ti_cli.loading.bundle import OutsideBundles
    from ti_cli.output.findings import EXTENSIONS, FORMATS, RENDERERS
    from ti_cli.rules import Context

    targets = paths or [DATA]
    for path in targets:
        if not path.exists():
            raise UsageProblem(_("{path}: no such file or folder").format(path=path))
    chosen = pick_format(fmt, output, FORMATS, EXTENSIONS)
    targets = [path for path in targets if not _skipped(path)]
    if not targets:  # only YAML files of no contract or pacte (a hook given every YAML file): nothing to check
        return 0
    context = Context(as_of or dt.date.today(), soon)
    try:
        if changed_since is None:
            from ti_cli.cache import Cache
            from ti_cli.rules.engine import validate

            report = validate(targets, context, cache=None if no_cache else Cache())
            if Path(".ti-cache").is_dir() and os.environ.get("TI_CACHE_DIR") != ".ti-cache":
                print(_(NOT_READ), file=sys.stderr)
        else:
            from ti_cli.vcs.changes import validate_changed

            report = validate_changed(changed_since, targets, context)
    except OutsideBundles as exc:  # a path that is in no contract or pacte: say so, never pass silently
        raise UsageProblem(str(exc)) from None
    text = RENDERERS[chosen](report)
    if output is not None:
        from ti_cli.loading.writer import write_output

        write_output(output, text, force=force)  # never over a data file, or any file ti did not write
    elif chosen == "table":
        from rich.console import Console

        Console(highlight=False, soft_wrap=True).print(text, end="")
    else:
        sys.stdout.write(text)
        sys.stdout.flush()
    return 1 if report.failed(strict) else 0


def _skipped(path: Path) -> bool:
    """A YAML file that belongs to no contract or pacte (a workflow, a tool's config) is skipped with a
    note on stderr (SPEC §11); any other path outside them is still refused, by ``select``."""
    from ti_cli.loading.bundle import YAML_SUFFIXES, owning_bundle

    if not path.is_file() or path.suffix not in YAML_SUFFIXES or owning_bundle(path.resolve()) is not None:
        return False
    sys.stderr.write("ti: " + _("{path}: belongs to no contract or pacte, skipped").format(path=path) + "\n")
    return True


def pick_format(fmt: str, output: Path | None, formats: tuple[str, ...], extensions: dict[str, str]) -> str:
    check_format(fmt, formats)
    if fmt != "auto":
        return fmt
    if output is not None:
        return extensions.get(output.suffix, "plain")
    if os.environ.get("GITHUB_ACTIONS") == "true":
        return "github"
    return "table" if sys.stdout.isatty() else "plain"


FAST_FLAGS = {"--no-cache": "no_cache", "--strict": "strict"}


def fast_arguments(argv: list[str]) -> dict[str, Any] | None:
    """The options of ``ti validate`` when ``argv`` (after ``validate``) holds only paths, ``--no-cache``,
    ``--strict`` and ``--format``; None for anything else, which Typer then reads (and explains)."""
    options: dict[str, Any] = {"paths": [], "fmt": "auto"}
    words = iter(argv)
    for word in words:
        if word in FAST_FLAGS:
            options[FAST_FLAGS[word]] = True
        elif word in ("--format", "-f"):
            options["fmt"] = next(words, None)
            if options["fmt"] is None:
                return None
        elif word.startswith("--format="):
            options["fmt"] = word.removeprefix("--format=")
        elif word.startswith("-"):
            return None
        else:
            options["paths"].append(Path(word))
    return options
