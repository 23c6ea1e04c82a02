"""Only what pyproject.toml cannot say: the packages found under src/, plus the project's templates/
folder carried as the package ``ti_cli.templates`` (mapped in ``[tool.setuptools.package-dir]``)."""

from setuptools import find_packages, setup

setup(packages=[*find_packages("src"), "ti_cli.templates"])
