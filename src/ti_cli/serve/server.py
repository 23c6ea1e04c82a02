"""Binding the port and running uvicorn: the socket is opened here first, so that a port in use is one
French sentence (exit 2), not a uvicorn log line; uvicorn's own logs stay quiet but for warnings."""

from __future__ import annotations

import errno
import socket
import sys
import threading
from typing import Any

from ti_cli.i18n import _
from ti_cli.serve.app import LOOPBACK, create_app
from ti_cli.serve.repository import Repository


class PortInUse(Exception):
    pass


def loopback(host: str) -> bool:
    return host in LOOPBACK


def warning_for(host: str) -> str | None:
    if loopback(host):
        return None
    return _(
        "warning: ti serve listens on {host} — other machines of the network can read your data. "
        "Without --host, only this computer has access (127.0.0.1)."
    ).format(host=host)


def bind(host: str, port: int) -> socket.socket:
    """A listening socket on host:port; a port taken by another program raises ``PortInUse``."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    if sys.platform != "win32":
        # Reuse a port left in TIME_WAIT by a previous run, never one another program listens on.
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        if exc.errno in (errno.EADDRINUSE, getattr(errno, "WSAEADDRINUSE", -1)):
            raise PortInUse(port) from exc
        raise
    sock.listen(64)
    sock.set_inheritable(True)
    return sock


def server(repo: Repository, host: str, port: int, incognito: bool = False) -> tuple[Any, socket.socket]:
    """A uvicorn server for ``repo`` and its bound socket (``server.run(sockets=[sock])`` serves); its
    ``watcher`` (``live.Watcher``) runs until ``watcher.stop()``."""
    import uvicorn

    from ti_cli.serve.live import Watcher

    sock = bind(host, port)
    hosts = list(LOOPBACK) if loopback(host) else ["*"]
    watcher = Watcher(repo.root)
    holder: dict[str, Any] = {}

    def stopping() -> bool:
        return bool(holder["server"].should_exit)

    app = create_app(repo, hosts, incognito=incognito, live=watcher, stopping=stopping)
    # an open page's event stream ends within a second of Ctrl+C; the grace period bounds any other
    config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off", timeout_graceful_shutdown=3)
    app_server: Any = uvicorn.Server(config)
    holder["server"] = app_server
    app_server.watcher = watcher.start()
    return app_server, sock


def address(host: str, port: int) -> str:
    return f"http://[{host}]:{port}/" if ":" in host else f"http://{host}:{port}/"


def serve(repo: Repository, host: str, port: int, open_browser: bool, incognito: bool = False) -> None:
    """Serve until Ctrl+C."""
    app_server, sock = server(repo, host, port, incognito)
    url = address(host, sock.getsockname()[1])
    print(_("ti serve: {folder} on {url} — Ctrl+C to stop").format(folder=repo.root, url=url), file=sys.stderr)
    if open_browser:
        import webbrowser

        threading.Timer(0.5, webbrowser.open, args=(url,)).start()
    try:
        app_server.run(sockets=[sock])
    except KeyboardInterrupt:
        pass  # uvicorn has shut down cleanly and hands Ctrl+C on: stopping the server is the normal end
    finally:
        app_server.watcher.stop()
        sock.close()
    print(_("ti serve: stopped."), file=sys.stderr)
