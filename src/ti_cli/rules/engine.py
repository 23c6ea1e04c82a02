"""``ti validate`` as a function: select the bundles, load them, run every rule, keep what was asked.

Bundles are independent, so they are checked in parallel over the machine's cores when there are
many, and each bundle's findings are cached by content (``ti_cli.cache``): a second run over an
unchanged national portfolio only reads and hashes the files.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from ti_cli.cache import Cache, key
from ti_cli.findings import Finding, Severity, count
from ti_cli.loading.bundle import bundle_files, load_contract, load_pacte, select
from ti_cli.rules.registry import Context, check_contract, check_pacte

T = TypeVar("T")
R = TypeVar("R")
PARALLEL_FROM = 8  # bundles; below this, starting worker processes costs more than it saves


@dataclass(frozen=True)
class Report:
    files: int
    findings: list[Finding]

    @property
    def errors(self) -> int:
        return count(self.findings, Severity.error)

    @property
    def warnings(self) -> int:
        return count(self.findings, Severity.warning)

    def failed(self, strict: bool) -> bool:
        return self.errors > 0 or (strict and self.warnings > 0)


Task = tuple[str, Path, Context]


def check_bundle(task: Task) -> list[Finding]:
    kind, root, context = task
    if kind == "contract":
        return check_contract(load_contract(root), context)
    return check_pacte(load_pacte(root), context)


def validate(paths: Iterable[Path], context: Context, cache: Cache | None = None) -> Report:
    selection = select(paths)
    tasks: list[Task] = [("contract", r, context) for r in selection.contracts]
    tasks += [("pacte", r, context) for r in selection.pactes]
    listed = [bundle_files(kind, root) for kind, root, _ in tasks]
    files = {f for bundle in listed for f in bundle if selection.wanted(f)}
    findings = list(selection.strays)
    for result in _run(tasks, listed, cache):
        # Rules ran on whole bundles; only findings on the files asked for are reported.
        findings.extend(f for f in result if selection.wanted(f.file))
    return Report(len(files), sorted(set(findings), key=Finding.sort_key))


def _run(tasks: list[Task], listed: list[list[Path]], cache: Cache | None) -> list[list[Finding]]:
    keys = [_key(task, files) for task, files in zip(tasks, listed, strict=True)] if cache else [None] * len(tasks)
    results: list[list[Finding] | None] = [_cached(cache, k) for k in keys]
    todo = [i for i, result in enumerate(results) if result is None]
    for i, result in zip(todo, _compute([tasks[i] for i in todo]), strict=True):
        results[i] = result
        key = keys[i]
        if cache and key:
            cache.put(key, [f.to_dict() for f in result])
    return [r or [] for r in results]


def _cached(cache: Cache | None, name: str | None) -> list[Finding] | None:
    stored = cache.get(name) if cache and name else None
    if not isinstance(stored, list) or not all(_is_finding(item) for item in stored):
        return None  # a miss, or an entry of another shape: recompute
    return [Finding.from_dict(item) for item in stored]


_FINDING_TEXT = ("code", "message", "file")


def _is_finding(item: Any) -> bool:
    """Whether ``item`` is exactly what ``Finding.to_dict`` writes (the schema of a cache entry)."""
    return (
        isinstance(item, dict)
        and set(item) == {"code", "severity", "file", "line", "column", "message", "details"}
        and all(isinstance(item[k], str) for k in _FINDING_TEXT)
        and item["severity"] in ("error", "warning")
        and all(type(item[k]) is int and item[k] >= 1 for k in ("line", "column"))
        and isinstance(item["details"], list)
        and all(isinstance(d, str) for d in item["details"])
    )


def _compute(tasks: list[Task]) -> list[list[Finding]]:
    return parallel_map(check_bundle, tasks)


# The start method of the worker processes: None is the platform's default (spawn on Windows and macOS,
# fork or forkserver on Linux). Nothing here relies on what a forked worker would inherit: every task is
# pickled, its function is a module-level one, and the language of the messages travels with it.
START_METHOD: str | None = None


def parallel_map(func: Callable[[T], R], items: list[T]) -> list[R]:
    """``[func(i) for i in items]`` over the machine's cores when there are enough items to be worth it.

    ``func`` must be a module-level function and ``items`` picklable (spawned workers import ``func``
    afresh); what it returns travels back pickled, so it should be small (findings, figures), not whole
    bundles. The workers speak the caller's language (``--lang`` is no environment variable they see).
    """
    workers = _workers()
    if len(items) < PARALLEL_FROM or workers < 2:
        return [func(item) for item in items]
    from concurrent.futures import ProcessPoolExecutor  # here: worker processes cost start-up time otherwise
    from multiprocessing import get_context

    from ti_cli.i18n import language

    tasks = [(func, language(), item) for item in items]
    with ProcessPoolExecutor(workers, mp_context=get_context(START_METHOD)) as pool:
        return list(pool.map(_call, tasks, chunksize=max(1, len(items) // (workers * 8))))


def _workers() -> int:
    return min(os.cpu_count() or 1, 8)


def _call(task: tuple[Callable[[T], R], str, T]) -> R:
    """One item in a worker: the caller's language first, then ``func``."""
    from ti_cli.i18n import activate, language

    func, lang, item = task
    if language() != lang:
        activate(lang)
    return func(item)


def _key(task: Task, files: list[Path]) -> str:
    kind, root, context = task
    if kind == "contract":  # the text chapters are read by a rule (TI039): an edited chapter is a new result
        from ti_cli.rules.placeholders import text_files

        files = [*files, *text_files(root)]
    # Pacte rules depend on --as-of; contract rules on the real date (TI114: no measure after today) and on
    # --as-of (TI056: milestones late by then).
    dated = context.as_of.isoformat() if kind == "pacte" else f"{dt.date.today().isoformat()}|{context.as_of}"
    if context.soon is not None:  # TI055 judges against --as-of and --soon
        dated += f"|soon={context.soon}"
    return key(f"validate:{kind}", files, str(root), dated)
