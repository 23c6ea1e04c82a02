"""The parallel validation works with any start method of worker processes: ``spawn`` (Windows' and
macOS' default) imports the workers afresh, so nothing may rely on what a forked worker inherits — the
tasks are pickled and the language of the messages travels with them."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import CONTRACT, edit, run
from ti_cli import i18n
from ti_cli.rules import engine

COPIES = engine.PARALLEL_FROM + 2  # bundles: enough for the workers to be used


def portfolio() -> None:
    """The sample contract copied under other ids, a defect planted in every other copy."""
    for n in range(COPIES):
        folder = Path(f"{CONTRACT}-{n}")
        shutil.copytree(CONTRACT, folder)
        edit(folder / "contract.yaml", "id: rochefort-royan-marennes-oleron\n", f"id: {folder.name}\n")
        if n % 2:
            edit(folder / "actions/01-filiere-aeronautique.yaml", "total: 16753500", "total: 16754500")


@pytest.fixture
def spawned(sample: Path, monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Validation under ``spawn`` with two workers, whatever the machine; records the pools started."""
    portfolio()
    pools: list[int] = []
    monkeypatch.setattr(engine, "START_METHOD", "spawn")
    monkeypatch.setattr(engine, "_workers", lambda: (pools.append(2), 2)[1])
    return pools


def serial(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str, int, int, str]]:
    with monkeypatch.context() as m:
        m.setattr(engine, "_workers", lambda: 1)
        return [(f.code, f.file, f.line, f.column, f.message) for f in run("data").findings]


def test_spawned_workers_find_what_the_serial_run_finds(spawned: list[int], monkeypatch: pytest.MonkeyPatch):
    parallel = [(f.code, f.file, f.line, f.column, f.message) for f in run("data").findings]
    assert spawned, "the parallel path was not taken"
    assert parallel == serial(monkeypatch)
    assert sum(code == "TI023" for code, *_ in parallel) == COPIES // 2


def test_spawned_workers_speak_the_chosen_language(spawned: list[int], monkeypatch: pytest.MonkeyPatch):
    i18n.activate("en")
    try:
        parallel = {f.message for f in run("data").findings if f.code == "TI023"}
        assert parallel == {f[4] for f in serial(monkeypatch) if f[0] == "TI023"}
    finally:
        i18n.activate("fr")
    french = {f.message for f in run("data").findings if f.code == "TI023"}
    assert parallel.isdisjoint(french)
