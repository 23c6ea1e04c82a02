"""``ti serve [PATH]``: the contracts, pactes, findings and documents in a browser, live as files change."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ti_cli.cli.common import DATA, AsOf, UsageProblem


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)


def serve(
    path: Annotated[Path | None, typer.Argument(help="Le dossier des données (par défaut data/), ou un "
                                                "dépôt qui contient data/.")] = None,
    port: Annotated[int, typer.Option("--port", "-p", help="Le port où écouter.")] = 8000,
    host: Annotated[str, typer.Option("--host", help="L'adresse où écouter. Par défaut 127.0.0.1 : cet "
                                      "ordinateur seul ; toute autre est joignable depuis le réseau.")] = "127.0.0.1",
    open_browser: Annotated[bool, typer.Option("--open", help="Ouvre la page d'accueil dans le navigateur.")] = False,
    as_of: AsOf = None,
) -> None:
    """Le dépôt dans un navigateur, en local et en lecture seule : contrats, pactes, actions, constats, documents."""
    from ti_cli.serve import server
    from ti_cli.serve.repository import Repository, find_root

    wanted = path or DATA
    root = find_root(wanted)
    if root is None:
        raise UsageProblem(f"{wanted} : ni contracts/ ni pactes/ dans ce dossier (ni dans {wanted / 'data'})")
    if not 0 <= port <= 65535:
        raise UsageProblem(f"--port {port} : un port va de 1 à 65535")
    warning = server.warning_for(host)
    if warning:
        typer.echo(f"ti: {warning}", err=True)
    try:
        server.serve(Repository(root, as_of.date() if as_of else None), host, port, open_browser)
    except server.PortInUse as exc:
        raise UsageProblem(f"le port {port} est déjà utilisé par un autre programme (un autre ti serve ?) : "
                           f"arrêtez-le, ou choisissez-en un autre avec --port {port + 1}") from exc
    except OSError as exc:
        raise UsageProblem(f"impossible d'écouter sur {host}:{port} : {exc.strerror or exc}") from exc
