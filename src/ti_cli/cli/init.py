"""``ti init [DIR] --contract ID``: make a folder the data repository of a territory (SPEC §11)."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Annotated

import typer

from ti_cli.cli.common import UsageProblem

# What ``ti init`` says, in one place (issue 13 moves every string to gettext).
MESSAGES = {
    "slug": "identifiant {what} '{value}' refusé : il faut {rule}",
    "programme": "programme '{value}' inconnu : choisissez ti-2023 ou ti-2019",
    "not_empty": "{folder} n'est pas vide ; rien n'a été écrit. Il contient :\n{listing}\n"
                 "Choisissez un dossier vide, ou ajoutez --force pour remplacer les fichiers de ti init.",
    "git_missing": "git n'est pas installé : le dossier n'est pas encore un dépôt git (installez git, puis `git init`)",
    "git_init": "dépôt git créé dans {folder}",
    "done": "{count} fichiers écrits dans {folder} pour le contrat {contract} ({programme}).",
    "next": "Ensuite : complétez {contract_file}, puis lancez `ti validate` {where}.",
}


def register(app: typer.Typer) -> None:
    app.command("init")(init)


def init(
    folder: Annotated[Path, typer.Argument(help="Dossier du nouveau dépôt de données (défaut : le dossier courant).")]
    = Path("."),
    contract: Annotated[str, typer.Option("--contract", help="Identifiant du contrat (minuscules, chiffres, "
                                          "tirets), par exemple : mon-territoire.")] = ...,  # type: ignore[assignment]
    title: Annotated[str | None, typer.Option("--title", help="Titre du contrat.")] = None,
    programme: Annotated[str | None, typer.Option("--programme", help="ti-2023 (2023-2027) ou ti-2019 (2019-2022).")]
    = None,
    pacte: Annotated[str | None, typer.Option("--pacte", help="Identifiant d'un pacte industrie-territoire à créer "
                                              "aussi.")] = None,
    force: Annotated[bool, typer.Option("--force", help="Remplacer les fichiers que ti init écrit s'ils existent.")]
    = False,
) -> None:
    """Create a territory's data repository: a contract ready to fill in, schemas, CI and pre-commit."""
    from ti_cli import __version__, scaffold

    for what, value in (("de contrat", contract), ("de pacte", pacte)):
        if value is not None and not scaffold.SLUG.match(value):
            raise UsageProblem(MESSAGES["slug"].format(what=what, value=value, rule=scaffold.SLUG_RULE))
    chosen = _programme(programme)
    present = scaffold.existing(folder)
    if present and not force:
        listing = "\n".join(f"  {name}" for name in present)
        raise UsageProblem(MESSAGES["not_empty"].format(folder=folder, listing=listing))
    options = scaffold.Options(contract, title or f"Contrat Territoire d'industrie {contract}", chosen, pacte,
                               __version__)
    files = scaffold.planned_files(options)
    scaffold.write(folder, files, force=force)
    _git_init(folder)
    typer.echo(MESSAGES["done"].format(count=len(files), folder=folder, contract=contract, programme=chosen))
    contract_file = Path("data", "contracts", contract, "contract.yaml")
    where = "dans ce dossier" if folder.resolve() == Path.cwd() else f"dans {folder}"
    typer.echo(MESSAGES["next"].format(contract_file=contract_file, where=where))


def _programme(asked: str | None) -> str:
    """The programme of the new repository: phase 2 unless told otherwise, since it is what territories run."""
    from ti_cli.model.programme import PHASE_2, PROGRAMMES

    if asked is not None and asked not in PROGRAMMES:
        raise UsageProblem(MESSAGES["programme"].format(value=asked))
    return asked or PHASE_2


def _git_init(folder: Path) -> None:
    """``git init`` when the folder is in no repository yet; without git, say so and go on."""
    try:
        inside = subprocess.run(["git", "rev-parse", "--is-inside-work-tree"], cwd=folder, capture_output=True,
                                check=False)
        if inside.returncode == 0:
            return
        subprocess.run(["git", "init", "--quiet"], cwd=folder, capture_output=True, check=True)
    except (OSError, subprocess.CalledProcessError):
        typer.echo(MESSAGES["git_missing"], err=True)
        return
    typer.echo(MESSAGES["git_init"].format(folder=folder))
