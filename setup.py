"""Only what pyproject.toml cannot say: the packages found under src/, plus the project's templates/
folder carried as the package ``ti_cli.templates`` (mapped in ``[tool.setuptools.package-dir]``).
Its sub-folders are data, declared too so that setuptools packages them without warnings."""

from setuptools import find_namespace_packages, find_packages, setup

DATA = [f"ti_cli.templates.{name}" for name in find_namespace_packages("templates")
        if all(part.isidentifier() for part in name.split("."))]
setup(packages=[*find_packages("src"), "ti_cli.templates", *DATA])
