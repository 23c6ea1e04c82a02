"""Start-up stays light: ``ti --help`` from its stored page, no heavy library on the validate path."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

from conftest import ROOT, said
from ti_cli.cli import help_page
from ti_cli.i18n import language
from ti_cli.launch import page

PAGE = page(language())

HEAVY = ("pandas", "jinja2", "typst", "docx", "matplotlib", "openpyxl", "ruamel", "starlette", "uvicorn")


def test_stored_help_page_is_what_the_app_prints():
    assert PAGE.read_text(encoding="utf-8") == help_page(), "run `make docs` to regenerate src/ti_cli/help.*.txt"


def test_help_page_lists_every_command():
    from ti_cli.cli import app

    names = {c.name for c in app.registered_commands}
    names |= {g.name if isinstance(g.name, str) else g.typer_instance.info.name for g in app.registered_groups}
    page = PAGE.read_text(encoding="utf-8")
    assert all(f"│ {name} " in page for name in names)


def decoys(folder: Path) -> dict[str, str]:
    """An environment where every heavy library can be imported: those not installed here (pandas,
    numpy, matplotlib) get an empty stand-in package, so that importing one would show in
    ``sys.modules`` instead of failing quietly in a ``try``, and the check could not pass by default."""
    for name in (*HEAVY, "numpy"):
        if importlib.util.find_spec(name) is None:
            (folder / name).mkdir(parents=True, exist_ok=True)
            (folder / name / "__init__.py").write_text("", encoding="utf-8")
    return {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(folder), os.environ.get("PYTHONPATH")]))}


def test_decoys_make_a_missing_library_importable(tmp_path):
    code = "import pandas, numpy, sys; print('pandas' in sys.modules and 'numpy' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=decoys(tmp_path))
    assert done.stdout.strip() == "True", done.stderr


def test_validate_imports_no_heavy_library(sample, tmp_path):
    code = (
        "import sys; from ti_cli.cli import app; from typer.testing import CliRunner; "
        "CliRunner().invoke(app, ['validate']); "
        f"print(sorted(m for m in {HEAVY!r} if m in sys.modules))"
    )
    env = decoys(tmp_path / "decoys")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=sample, env=env)
    assert out.stdout.strip() == "[]"


def test_fast_help_path_does_not_import_typer():
    code = (
        "import sys; sys.argv = ['ti', '--help']; from ti_cli.launch import main; main(); "
        "print('typer' in sys.modules, file=sys.stderr)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stderr.strip() == "False"
    assert "Utilisation\u00a0: ti" in out.stdout


def test_pre_commit_validate_skips_typer_and_says_the_same(sample):
    """``ti validate FILE…`` (the pre-commit hook) runs without Typer: same output, same exit code."""
    from conftest import CONTRACT, edit

    edit(f"{CONTRACT}/actions/01-filiere-aeronautique.yaml", "total: 16753500", "total: 16754500")
    files = [f"{CONTRACT}/actions/01-filiere-aeronautique.yaml", f"{CONTRACT}/contract.yaml"]
    fast = "import sys; from ti_cli.launch import main; main()"
    probe = "import sys, atexit; atexit.register(lambda: print('typer' in sys.modules, file=sys.stderr)); " + fast
    env = {"PATH": "", "GITHUB_ACTIONS": ""}
    args = ["validate", "--no-cache", "--format", "plain", *files]
    done = subprocess.run([sys.executable, "-c", probe, *args], capture_output=True, text=True, cwd=sample, env=env)
    slow = subprocess.run(
        [sys.executable, "-c", "from ti_cli.cli import main; main()", *args],
        capture_output=True,
        text=True,
        cwd=sample,
        env=env,
    )
    assert done.returncode == slow.returncode == 1
    assert done.stdout == slow.stdout and "TI023" in done.stdout
    assert done.stderr.strip() == "False"
    outside = subprocess.run(
        [sys.executable, "-c", fast, "validate", "templates"], capture_output=True, text=True, cwd=sample, env=env
    )
    assert outside.returncode == 2 and said(outside.stderr).startswith("ti: templates : ce dossier n'est pas")


def test_pdf_of_a_contract_imports_no_pandas_and_builds_one_command(sample, tmp_path):
    """Issue 12: the PDF within 3× ``ti validate``. The sums of one contract need no pandas (0.45 s of
    import), the PDF no Word/Excel/chart library, and Typer builds only the command run (``ti render``)."""
    from conftest import CONTRACT

    probe = (
        "import sys, atexit; from ti_cli import cli; "
        f"atexit.register(lambda: print(sorted(m for m in {HEAVY!r} + ('numpy', 'rich') if m in sys.modules), "
        "[g.typer_instance.info.name for g in cli.narrowed(cli.app, sys.argv[1:2]).registered_groups], "
        "file=sys.stderr)); from ti_cli.launch import main; main()"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe, "render", "contract", CONTRACT, "--to", "pdf", "-o", str(tmp_path)],
        capture_output=True,
        text=True,
        cwd=sample,
        env=decoys(tmp_path / "decoys"),
    )
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "contract.pdf").read_bytes().startswith(b"%PDF")
    assert done.stderr.strip() == "['jinja2', 'typst'] ['render']"
