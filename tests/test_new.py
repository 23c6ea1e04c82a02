"""``ti new action``: the next numbered file, every field present, valid, never written over."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from conftest import CONTRACT
from ti_cli.cli import app
from ti_cli.loading.source import load
from ti_cli.model import Action

ID = "rochefort-royan-marennes-oleron"
TITLE = "Création d'un campus des métiers & de l'industrie"
FILE = Path(CONTRACT, "actions", "10-creation-campus-metiers-industrie.yaml")


def new(*extra: str):
    return CliRunner().invoke(app, ["new", "action", ID, "--title", TITLE, "--axis", "RECRUTER",
                                    "--category", "amorcage", *extra])


def test_the_next_number_gets_a_valid_file_with_the_modeline(sample):
    result = new("--owner", "cara")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == f"created {FILE} (action 10)"
    text = FILE.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../../../../schemas/action.schema.json\nnumber: 10\n")
    assert "axis: RECRUTER  # ATTIRER | RECRUTER | INNOVER | SIMPLIFIER\n" in text
    source = load(FILE, Action)
    assert source.findings == []
    action = source.model
    assert (action.title, action.owner, action.owner_parties) == (
        TITLE, "Communauté d'Agglomération Royan Atlantique", ["cara"])


def test_a_structurante_action_is_created_with_its_warning(sample):
    result = CliRunner().invoke(app, ["new", "action", ID, "--title", "Port", "--axis", "ATTIRER",
                                      "--category", "structurante"])
    assert result.exit_code == 0
    assert "warning TI050" in result.output


def test_an_existing_file_is_kept_unless_force(sample):
    assert new().exit_code == 0
    FILE.write_text(FILE.read_text(encoding="utf-8") + "# my notes\n", encoding="utf-8")
    again = new("--number", "10")
    assert again.exit_code == 2 and "--force" in again.output
    assert FILE.read_text(encoding="utf-8").endswith("# my notes\n")
    assert new("--number", "10", "--force").exit_code == 0
    assert not FILE.read_text(encoding="utf-8").endswith("# my notes\n")


def test_a_number_held_by_another_action_is_refused(sample):
    result = new("--number", "3")
    assert result.exit_code == 2
    assert "action 3 already exists in" in result.output


def test_values_outside_the_schema_are_refused_before_writing(sample):
    result = CliRunner().invoke(app, ["new", "action", ID, "--title", "X", "--axis", "attirer",
                                      "--category", "amorcage"])
    assert result.exit_code == 2 and "ATTIRER, RECRUTER, INNOVER, SIMPLIFIER" in result.output
    assert not any(Path(CONTRACT, "actions").glob("10-*"))
