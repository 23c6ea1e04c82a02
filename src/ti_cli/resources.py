"""Where ``ti`` finds what it ships besides code: templates, CSS, fonts, the starter files of ``ti init``.

Everything lives under the project's ``templates/`` folder, which the build maps to the package
``ti_cli.templates`` (pyproject.toml, ``[tool.setuptools.package-dir]``): an installed wheel carries it,
an editable install reads the source folder, and no code ever looks relative to the source tree.
Every caller goes through ``builtin()``; assets of other features (a PDF engine's fonts, a web page
for ``ti serve``) go into a sub-folder of ``templates/`` and are found with ``builtin("sub/name")``.
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files
from pathlib import Path

PACKAGE = "ti_cli.templates"


@cache
def templates_dir() -> Path:
    """The built-in templates folder, as a real folder on disk (Jinja's loader and WeasyPrint need one)."""
    return Path(str(files(PACKAGE)))


def builtin(name: str = "") -> Path:
    """A built-in resource by its path inside ``templates/`` (``"document.css"``, ``"init/README.md"``)."""
    return templates_dir() / name if name else templates_dir()
