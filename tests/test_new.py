"""``ti new action``: the next numbered file, every field present, valid, never written over."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import CONTRACT
from gitrepo import A9, A10, NEW_ACTION, amend_actions, commit, git, init_repo
from ti_cli.cli import app
from ti_cli.loading.naming import slug
from ti_cli.loading.source import load
from ti_cli.model import Action

ID = "rochefort-royan-marennes-oleron"
TITLE = "Création d'un campus des métiers & de l'industrie"
FILE = Path(CONTRACT, "actions", "10-creation-campus-metiers-industrie.yaml")


def new(*extra: str):
    return CliRunner().invoke(
        app, ["new", "action", ID, "--title", TITLE, "--axis", "RECRUTER", "--category", "amorcage", *extra]
    )


def test_the_next_number_gets_a_valid_file_with_the_modeline(sample):
    result = new("--owner", "cara")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == f"créé\u00a0: {FILE} (action 10)"
    text = FILE.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../../../../schemas/action.schema.json\nnumber: 10\n")
    assert "axis: RECRUTER  # ATTIRER | RECRUTER | INNOVER | SIMPLIFIER\n" in text
    source = load(FILE, Action)
    assert source.findings == []
    action = source.model
    assert (action.title, action.owner, action.owner_parties) == (
        TITLE,
        "Communauté d'Agglomération Royan Atlantique",
        ["cara"],
    )


def test_a_structurante_action_is_created_with_its_warning(sample):
    result = CliRunner().invoke(
        app, ["new", "action", ID, "--title", "Port", "--axis", "ATTIRER", "--category", "structurante"]
    )
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
    assert "l'action 3 existe déjà dans" in result.output


def test_values_outside_the_schema_are_refused_before_writing(sample):
    result = CliRunner().invoke(
        app, ["new", "action", ID, "--title", "X", "--axis", "attirer", "--category", "amorcage"]
    )
    assert result.exit_code == 2 and "ATTIRER, RECRUTER, INNOVER, SIMPLIFIER" in result.output
    assert not any(Path(CONTRACT, "actions").glob("10-*"))


# Numbers used in the git history (issue 13 point 5): a removed action's number is never given again.
def test_a_number_removed_in_an_earlier_commit_is_not_reused(sample):
    init_repo(sample)
    amend_actions()  # action 9 removed, action 10 added
    commit("Avenant : action 9 retirée, action 10 ajoutée")
    Path(A10).unlink()  # 10 is in no file of the work tree now, only in the last commit
    result = new()
    assert result.exit_code == 0, result.output
    created = f"{CONTRACT}/actions/11-creation-campus-metiers-industrie.yaml (action 11)"
    assert result.output.splitlines()[0] == f"créé\u00a0: {created}"


def test_an_explicit_number_a_past_revision_used_is_refused_naming_it(sample):
    init_repo(sample)
    first = git("rev-parse", "HEAD").strip()[:8]
    amend_actions()
    commit("Avenant : action 9 retirée, action 10 ajoutée")
    result = new("--number", "9")
    assert result.exit_code == 2
    message = " ".join(result.output.split())
    assert "le numéro 9 a déjà servi" in message
    assert f"actions/09-densification-fonciere.yaml, dans le commit {first} du" in message
    assert "(« contrat signé »)" in message
    assert "choisissez --number 11 (libre)" in message
    assert not any(Path(CONTRACT, "actions").glob("09-*"))


def test_a_past_file_named_without_its_number_still_holds_it(sample):
    init_repo(sample)
    odd = Path(CONTRACT, "actions", "campus.yaml")
    odd.write_text(NEW_ACTION.replace("number: 10", "number: 12"), encoding="utf-8")
    commit("Un fichier sans numéro dans son nom")
    odd.unlink()
    commit("Retiré")
    result = new()
    assert result.exit_code == 0, result.output
    assert "(action 13)" in result.output


def test_outside_git_the_work_tree_decides(sample):
    # The sample's temporary folder is in no git repository: the numbers of the files on disk only.
    Path(A9).unlink()
    result = new()
    assert result.exit_code == 0, result.output
    assert "(action 9)" in result.output.splitlines()[0]


def test_without_git_installed_the_work_tree_decides(sample, monkeypatch):
    init_repo(sample)
    Path(A9).unlink()
    commit("action 9 retirée")
    monkeypatch.setenv("PATH", str(sample / "no-programs-here"))
    result = new()
    assert result.exit_code == 0, result.output
    assert "(action 9)" in result.output.splitlines()[0]


@pytest.mark.parametrize(
    ("title", "name"),
    [
        ("Développement de la filière nautique et des industries du littoral", "developpement-filiere-nautique"),
        ("Création d'une conciergerie territoriale", "creation-conciergerie-territoriale"),
        ("Aménagement intérieur", "amenagement-interieur"),
        ("Réindustrialisation" * 3, "reindustrialisationreindustrialisationre"),
        ("« ! »", "action"),
    ],
)
def test_the_slug_is_cut_after_a_whole_word(title, name):
    assert slug(title) == name
    assert len(name) <= 40


def test_a_long_title_names_the_file_with_whole_words(sample):
    result = CliRunner().invoke(
        app,
        [
            "new",
            "action",
            ID,
            "--axis",
            "ATTIRER",
            "--category",
            "amorcage",
            "--title",
            "Développement de la filière nautique et des industries du littoral",
        ],
    )
    assert result.exit_code == 0, result.output
    assert Path(CONTRACT, "actions", "10-developpement-filiere-nautique.yaml").is_file()
