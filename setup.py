"""Only what pyproject.toml cannot say:

- the packages found under src/, plus the project's templates/ folder carried as the package
  ``ti_cli.templates`` (mapped in ``[tool.setuptools.package-dir]``); its sub-folders are data, declared
  too so that setuptools packages them without warnings, like the folders of ``ti_cli/locale``;
- the message catalogs compiled as the wheel is built: ``locale/*/LC_MESSAGES/*.po`` to ``.mo`` with
  Babel (a build requirement only: ti reads ``.mo`` files with the standard library's gettext).
"""

from pathlib import Path

from setuptools import find_namespace_packages, find_packages, setup
from setuptools.command.build_py import build_py

DATA = [f"ti_cli.templates.{name}" for name in find_namespace_packages("templates")
        if all(part.isidentifier() for part in name.split("."))]
LOCALE = Path("src/ti_cli/locale")
CATALOGS = [f"ti_cli.{name}" for name in find_namespace_packages("src/ti_cli", include=["locale.*"])]


class build_with_catalogs(build_py):
    def run(self) -> None:
        from babel.messages.mofile import write_mo
        from babel.messages.pofile import read_po

        for po in sorted(LOCALE.glob("*/LC_MESSAGES/*.po")):
            target = po.with_suffix(".mo") if self.editable_mode else \
                Path(self.build_lib, "ti_cli", po.relative_to("src/ti_cli")).with_suffix(".mo")
            target.parent.mkdir(parents=True, exist_ok=True)
            with po.open("rb") as source:
                catalog = read_po(source, locale=po.parent.parent.name)
            with target.open("wb") as out:
                write_mo(out, catalog, use_fuzzy=False)
        super().run()


setup(packages=[*find_packages("src"), "ti_cli.templates", *DATA, "ti_cli.locale", *CATALOGS],
      package_data={name: ["*.mo"] for name in CATALOGS}, cmdclass={"build_py": build_with_catalogs})
