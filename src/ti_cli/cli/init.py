"""``ti init [DIR] --contract ID``: make a folder the data repository of a territory (SPEC §11)."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Annotated

import typer

from ti_cli.cli.common import UsageProblem
from ti_cli.i18n import _


def register(app: typer.Typer) -> None:
    app.command(
        "init", help=_("Create a territory's data repository: a contract ready to fill in, schemas, CI and pre-commit.")
    )(init)


def init(
    folder: Annotated[
        Path,
        typer.Argument(metavar=_("FOLDER"), help=_("Folder of the new data repository (default: the current folder).")),
    ] = Path("."),
    contract: Annotated[
        str,
        typer.Option(
            "--contract",
            metavar=_("ID"),
            help=_("The contract's id (lowercase letters, digits, hyphens), for example: mon-territoire."),
        ),
    ] = ...,  # type: ignore[assignment]  # Typer's `...` default marks the option required
    title: Annotated[str | None, typer.Option("--title", metavar=_("TITLE"), help=_("The contract's title."))] = None,
    programme: Annotated[
        str | None,
        typer.Option("--programme", metavar="ti-2023|ti-2019", help=_("ti-2023 (2023-2027) or ti-2019 (2019-2022).")),
    ] = None,
    pacte: Annotated[
        str | None,
        typer.Option("--pacte", metavar=_("ID"), help=_("The id of a pacte industrie-territoire to create too.")),
    ] = None,
    tool_source: Annotated[
        str | None,
        typer.Option(
            "--tool-source",
            metavar=_("REQUIREMENT"),
            help=_(
                "What CI and pre-commit install ti from, as pip writes it (default: where this ti came from), "
                'for example: "ti-cli @ git+https://github.com/OWNER/ti@v0.1.0".'
            ),
        ),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help=_("Replace the files ti init writes if they exist."))] = False,
) -> None:
    from ti_cli import __version__, scaffold

    refused = (
        _(
            "contract id '{value}' refused: use lowercase letters without accents, digits and hyphens, for "
            "example: mon-territoire"
        ),
        _(
            "pacte id '{value}' refused: use lowercase letters without accents, digits and hyphens, for "
            "example: mon-territoire"
        ),
    )
    for message, value in zip(refused, (contract, pacte), strict=True):
        if value is not None and not scaffold.SLUG.match(value):
            raise UsageProblem(message.format(value=value))
    chosen = _programme(programme)
    requirement = _requirement(tool_source, __version__)
    if folder.exists() and not folder.is_dir():
        raise UsageProblem(_("{folder} is a file, not a folder: give ti init a folder to make").format(folder=folder))
    present = scaffold.existing(folder)
    if present and not force:
        listing = "\n".join(f"  {name}" for name in present)
        raise UsageProblem(
            _(
                "{folder} is not empty; nothing was written. It holds:\n{listing}\nChoose an empty "
                "folder, or add --force to replace the files of ti init."
            ).format(folder=folder, listing=listing)
        )
    options = scaffold.Options(
        contract, title or f"Contrat Territoire d'industrie {contract}", chosen, pacte, __version__, requirement
    )
    files = scaffold.planned_files(options)
    scaffold.write(folder, files, force=force)
    _git_init(folder)
    typer.echo(
        _("{count} files written in {folder} for the contract {contract} ({programme}).").format(
            count=len(files), folder=folder, contract=contract, programme=chosen
        )
    )
    if requirement is None:
        typer.echo(
            _(
                "This ti was installed from files on this computer, which CI and pre-commit cannot install "
                "elsewhere: replace {placeholder} in .github/workflows/ti.yml and .pre-commit-config.yaml with "
                'where ti is published (for example "ti-cli @ git+https://github.com/OWNER/ti@v0.1.0"), or run '
                "ti init again with --tool-source and --force."
            ).format(placeholder=_(scaffold.PLACEHOLDER))
        )
    contract_file = Path("data", "contracts", contract, "contract.yaml")
    if folder.resolve() == Path.cwd():
        typer.echo(
            _("Next: fill in {contract_file}, then run `ti validate` in this folder.").format(
                contract_file=contract_file
            )
        )
    else:
        typer.echo(
            _("Next: fill in {contract_file}, then run `ti validate` in {folder}.").format(
                contract_file=contract_file, folder=folder
            )
        )


def _programme(asked: str | None) -> str:
    """The programme of the new repository: phase 2 unless told otherwise, since it is what territories run."""
    from ti_cli.model.programme import PHASE_2, PROGRAMMES

    if asked is not None and asked not in PROGRAMMES:
        raise UsageProblem(_("unknown programme '{value}': choose ti-2023 or ti-2019").format(value=asked))
    return asked or PHASE_2


def _requirement(given: str | None, version: str) -> str | None:
    """What CI and pre-commit install: ``--tool-source`` when given (refused when pip could not read it),
    else where this ti came from; None when that is only files of this computer."""
    from ti_cli import scaffold

    if given is None:
        return scaffold.tool_requirement(version)
    try:
        return scaffold.checked_requirement(given)
    except scaffold.OtherDistribution as exc:
        raise UsageProblem(
            _("--tool-source '{value}' refused: it installs {name}, not ti-cli").format(value=given, name=exc)
        ) from None
    except scaffold.BadRequirement as exc:
        raise UsageProblem(
            _("--tool-source '{value}' refused: pip cannot read it as a requirement ({reason})").format(
                value=given, reason=exc
            )
        ) from None


def _git_init(folder: Path) -> None:
    """``git init`` on a branch named ``main`` (whatever git's default) when the folder is in no repository
    yet; a repository without commits is put on ``main`` too; one whose branch has commits keeps it, and
    ti says which. Without git, say so and go on."""

    def git(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(["git", *args], cwd=folder, capture_output=True, text=True, check=False)

    try:
        if git("rev-parse", "--is-inside-work-tree").returncode != 0:
            if git("init", "--quiet").returncode != 0:
                raise OSError
            git("symbolic-ref", "HEAD", "refs/heads/main")  # `git init -b main` needs git 2.28
            typer.echo(_("git repository created in {folder}, on the branch main").format(folder=folder))
            return
        branch = git("symbolic-ref", "--quiet", "--short", "HEAD").stdout.strip()
        if git("rev-parse", "--verify", "--quiet", "HEAD").returncode != 0:  # no commit yet: nothing to keep
            if branch != "main" and git("symbolic-ref", "HEAD", "refs/heads/main").returncode == 0:
                typer.echo(_("the repository has no commit yet: it is now on the branch main"))
            return
    except OSError:
        typer.echo(
            _(
                "git is not installed: the folder is not a git repository yet (install git, then run "
                "`git init -b main`)"
            ),
            err=True,
        )
        return
    if branch:
        typer.echo(_("the repository already has commits: it stays on its branch {branch}").format(branch=branch))
    else:
        typer.echo(_("the repository already has commits: HEAD is detached, on no branch"))
