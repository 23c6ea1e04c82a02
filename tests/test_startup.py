"""Start-up stays light: ``ti --help`` from its stored page, no heavy library on the validate path."""

from __future__ import annotations

import subprocess
import sys

from conftest import ROOT
from ti_cli.cli import help_page
from ti_cli.launch import PAGE

HEAVY = ("pandas", "jinja2", "typst", "docx", "matplotlib", "openpyxl", "ruamel")


def test_stored_help_page_is_what_the_app_prints():
    assert PAGE.read_text(encoding="utf-8") == help_page(), "run `make docs` to regenerate src/ti_cli/help.txt"


def test_help_page_lists_every_command():
    from ti_cli.cli import app

    names = {c.name for c in app.registered_commands}
    names |= {g.name if isinstance(g.name, str) else g.typer_instance.info.name for g in app.registered_groups}
    page = PAGE.read_text(encoding="utf-8")
    assert all(f"│ {name} " in page for name in names)


def test_validate_imports_no_heavy_library(sample):
    code = (
        "import sys; from ti_cli.cli import app; from typer.testing import CliRunner; "
        "CliRunner().invoke(app, ['validate']); "
        f"print(sorted(m for m in {HEAVY!r} if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=sample)
    assert out.stdout.strip() == "[]"


def test_fast_help_path_does_not_import_typer():
    code = "import sys; sys.argv = ['ti', '--help']; from ti_cli.launch import main; main(); " \
           "print('typer' in sys.modules, file=sys.stderr)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stderr.strip() == "False"
    assert "Usage: ti" in out.stdout
