"""A ``ti serve`` running in a thread over the sample, bound to 127.0.0.1 on a free port, stopped at the end."""

from __future__ import annotations

import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from conftest import AS_OF
from ti_cli.cache import Cache
from ti_cli.serve.repository import Repository
from ti_cli.serve.server import server

ID = "rochefort-royan-marennes-oleron"


@dataclass(frozen=True)
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8")


@contextmanager
def serving(data: Path, cache: Path, incognito: bool = False) -> Iterator[str]:
    """The base URL of a server over ``data``; it stops (and its thread ends) when the block exits."""
    app_server, sock = server(Repository(data, AS_OF, Cache(cache)), "127.0.0.1", 0, incognito)
    thread = threading.Thread(target=app_server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not app_server.started and time.monotonic() < deadline:
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    finally:
        app_server.should_exit = True
        thread.join(20)
        app_server.watcher.stop()
        sock.close()


def get(url: str, method: str = "GET", headers: dict[str, str] | None = None) -> Answer:
    request = urllib.request.Request(url, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return Answer(response.status, dict(response.headers), response.read())
    except urllib.error.HTTPError as exc:
        return Answer(exc.code, dict(exc.headers), exc.read())
