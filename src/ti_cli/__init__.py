"""ti — the toolkit of a Territoire d'industrie chef de projet.

Packages, from the data inward to the user outward:

- ``model``    the domain (pydantic): contract, action, progress, cost sharing, pacte;
- ``loading``  YAML files to models, with the line and column of every value;
- ``rules``    the checks of ``ti validate``, one registry keyed by code;
- ``compute``  figures (totals, cost sharing), exact to the cent;
- ``render``   documents through Jinja (md, html, docx, pdf);
- ``vcs``      reading files at git revisions, diffs between them;
- ``output``   findings and tables printed for people and scripts;
- ``cli``      the Typer commands, a thin layer wiring the others.
"""

from __future__ import annotations


def __getattr__(name: str) -> str:
    # One source of truth for the version: pyproject.toml, read from the installed package's metadata
    # (lazily: importlib.metadata costs start-up time that ``ti validate`` does not need).
    if name == "__version__":
        from importlib.metadata import version

        return version("ti-cli")
    raise AttributeError(f"module 'ti_cli' has no attribute {name!r}")
