"""Watching the data: a thread over ``watchfiles`` counts the changes to the data files, and /evenements
tells every open page (server-sent events), which then fetches itself again and swaps what changed.

The pages never depend on it: each load reads the files anew (``Repository``); the watcher only spares
the reader the reload. It stops with the server (a stop event), and being a daemon thread it can never
keep the process alive.
"""

from __future__ import annotations

import threading
from pathlib import Path

WATCHED = (".yaml", ".yml", ".md", ".png", ".jpg", ".jpeg", ".svg")


class Watcher:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.version = 0  # read by the event streams; one writer (the thread), ints are atomic to read
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> Watcher:
        self._thread = threading.Thread(target=self._run, name="ti-serve-watch", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(5)

    def changed(self) -> None:
        self.version += 1

    def _run(self) -> None:
        from watchfiles import watch

        def wanted(_change: object, path: str) -> bool:
            parts = Path(path).parts
            return path.lower().endswith(WATCHED) and not any(p.startswith(".") for p in parts)

        try:
            for _changes in watch(
                self.root, watch_filter=wanted, stop_event=self._stop, debounce=200, step=50, rust_timeout=500
            ):
                self.changed()
        except (OSError, RuntimeError):  # the folder vanished, or no watch is possible: pages still reload
            return
