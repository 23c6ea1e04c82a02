"""Property tests of issue 15: whatever YAML or spreadsheet a user (or an attacker) hands ``ti``, three
invariants hold — no traceback, exit code 0, 1 or 2 only, and no byte of ``data/`` changed by a
read-only command. Example counts stay modest: the whole suite must stay fast."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from openpyxl.utils.exceptions import IllegalCharacterError
from typer.testing import CliRunner

from conftest import CONTRACT, PACTE
from ti_cli.cli import app

ID = "rochefort-royan-marennes-oleron"
A1 = Path(CONTRACT, "actions/01-filiere-aeronautique.yaml")
MEMBER = Path(PACTE, "members/atelier-composites-charentais.yaml")
# No shrinking: a failure is printed as found, and the suite stays within its time.
FAST = settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
)


def snapshot(folder: str = "data") -> dict[str, str]:
    return {str(p): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(Path(folder).rglob("*")) if p.is_file()}


def check(*args: str) -> int:
    """Run ``ti`` in-process and assert the first two invariants; return the exit code."""
    result = CliRunner().invoke(app, list(args))
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"ti {' '.join(args)} raised {result.exception!r}") from result.exception
    assert "Traceback" not in result.output
    assert result.exit_code in (0, 1, 2), (result.exit_code, result.output)
    return result.exit_code


# Pieces that broke ti before, mixed with ordinary YAML: the generator aims at the loader's edges.
TOKENS = st.sampled_from(
    [
        "cost:",
        "  investment: ",
        "  operating: ",
        "  total: ",
        "number: ",
        "title: ",
        "comment: ",
        "axis: ",
        "financing:",
        "  - ",
        "{",
        "}",
        "[",
        "]",
        ", ",
        ": ",
        "\n",
        "\n  ",
        "# ",
        "'",
        '"',
        "&a ",
        "*a",
        "<<: ",
        "!custom ",
        "!!python/object:os.system ",
        "!!str ",
        "1e400",
        "1" + "0" * 40,
        "9" * 30,
        "-5",
        "0.001",
        "2026-02-30",
        "9999-12-31",
        "\t",
        "\0",
        "\v",
        "\x85",
        "\u2028",
        "é",
        "€",
        "null",
        "~",
        "yes",
        "0x1F",
        "? ",
        "- - - ",
        "|\n  ",
        ">-\n  ",
        "%YAML 1.2\n",
        "---\n",
        "...\n",
    ]
)
YAML_TEXT = st.one_of(
    st.lists(TOKENS, max_size=60).map("".join),
    st.text(max_size=300),
)


def read_only_runs(path: Path, text: str, *commands: tuple[str, ...]) -> None:
    """``path`` holds ``text`` while ``commands`` run: each keeps the invariants, none changes data/."""
    original = path.read_bytes()
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    try:
        before = snapshot()
        for command in commands:
            check(*command)
        assert snapshot() == before
    finally:
        path.write_bytes(original)


@FAST
@given(text=YAML_TEXT)
def test_any_action_file(sample: Path, text: str) -> None:
    read_only_runs(
        A1, text, ("validate", CONTRACT, "--no-cache", "--format", "plain"), ("totals", ID, "--format", "json")
    )


@FAST
@given(text=YAML_TEXT)
def test_any_pacte_member_file(sample: Path, text: str) -> None:
    read_only_runs(MEMBER, text, ("validate", PACTE, "--no-cache", "--format", "junit"), ("pacte", "status", ID))


@pytest.fixture
def book(sample: Path) -> Path:
    assert check("totals", ID, "--format", "xlsx", "--output", "base.xlsx") == 0
    return sample / "base.xlsx"


CELL_VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from(
        [
            "²",
            "1e400",
            "=1+1",
            "=350000.5+0",
            "16 753 500 €",
            "1,5 M€",
            "à confirmer",
            "X",
            "",
            " ",
            "ATTIRER",
            "Action structurante",
            "10",
            "-3",
            "\t",
            "12" * 30,
        ]
    ),
    st.text(max_size=20),
)
CELLS = st.lists(st.tuples(st.integers(1, 12), st.integers(1, 40), CELL_VALUES), max_size=12)


@FAST
@given(cells=CELLS)
def test_any_spreadsheet(book: Path, cells: list[tuple[int, int, object]]) -> None:
    wb = load_workbook(book)
    ws = wb["Actions"]
    for row, col, value in cells:
        try:
            ws.cell(row, col).value = value
        except (ValueError, TypeError, AttributeError, IllegalCharacterError):  # openpyxl refuses it
            continue
    edited = book.with_name("edited.xlsx")
    wb.save(edited)
    before = snapshot()
    check("import", "xlsx", str(edited), "--contract", ID, "--dry-run")
    assert snapshot() == before


OUTPUT_COMMANDS = [
    ("totals", ID, "--format", "csv"),
    ("totals", ID, "--format", "json"),
    ("totals", ID, "--format", "xlsx"),
    ("validate", "--format", "json"),
    ("render", "contract", ID, "--to", "md"),
    ("report", "quarterly", ID, "--to", "md"),
    ("pacte", "report", ID, "--to", "md"),
]
DATA_PLACES = st.sampled_from(
    ["data", f"{CONTRACT}", f"{CONTRACT}/text", f"{CONTRACT}/actions", f"{PACTE}", f"{PACTE}/members"]
)


@FAST
@given(command=st.sampled_from(OUTPUT_COMMANDS), place=DATA_PLACES, name=st.sampled_from(["x.md", "x.yaml", ""]))
def test_no_output_of_any_command_changes_a_file_under_data(sample: Path, command, place: str, name: str) -> None:
    """Issue 23.1: an --output inside the data is refused without --force, file or folder, new or not."""
    before = snapshot()
    target = f"{place}/{name}" if name else f"{place}/"
    assert check(*command, "--output", target) == 2
    assert snapshot() == before
