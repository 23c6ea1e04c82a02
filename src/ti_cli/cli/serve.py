"""``ti serve [PATH]``: the contracts, pactes, findings and documents in a browser, live as files change."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ti_cli.cli.common import DATA, AsOf, UsageProblem
from ti_cli.i18n import _


def register(app: typer.Typer) -> None:
    app.command(
        "serve",
        help=_("The repository in a browser, locally and read-only: contracts, pactes, actions, findings, documents."),
    )(serve)


def serve(
    path: Annotated[
        Path | None,
        typer.Argument(
            metavar=_("FOLDER"), help=_("The data folder (default: data/), or a repository that holds data/.")
        ),
    ] = None,
    port: Annotated[int, typer.Option("--port", "-p", metavar=_("NUMBER"), help=_("The port to listen on."))] = 8000,
    host: Annotated[
        str,
        typer.Option(
            "--host",
            metavar=_("ADDRESS"),
            help=_(
                "The address to listen on. Default 127.0.0.1: this computer only; any other can be reached from the "
                "network."
            ),
        ),
    ] = "127.0.0.1",
    open_browser: Annotated[bool, typer.Option("--open", help=_("Open the home page in the browser."))] = False,
    incognito: Annotated[
        bool,
        typer.Option("--incognito", help=_("Hide every amount (for a screen in a public meeting).")),
    ] = False,
    as_of: AsOf = None,
) -> None:
    from ti_cli.serve import server
    from ti_cli.serve.repository import Repository, find_root

    wanted = path or DATA
    root = find_root(wanted)
    if root is None:
        raise UsageProblem(
            _("{folder}: neither contracts/ nor pactes/ in this folder (nor in {data})").format(
                folder=wanted, data=wanted / "data"
            )
        )
    if not 0 <= port <= 65535:
        raise UsageProblem(_("--port {port}: a port goes from 1 to 65535").format(port=port))
    warning = server.warning_for(host)
    if warning:
        typer.echo(f"ti: {warning}", err=True)
    try:
        server.serve(Repository(root, as_of.date() if as_of else None), host, port, open_browser, incognito)
    except server.PortInUse as exc:
        raise UsageProblem(
            _(
                "port {port} is already used by another program (another ti serve?): stop it, or "
                "choose another one with --port {other}"
            ).format(port=port, other=port + 1)
        ) from exc
    except OSError as exc:
        raise UsageProblem(
            _("cannot listen on {host}:{port}: {reason}").format(host=host, port=port, reason=exc.strerror or exc)
        ) from exc
