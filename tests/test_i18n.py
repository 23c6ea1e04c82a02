"""ti speaks French by default and English on request, through one gettext catalog that holds every
message of the code, translated, and nothing else (SPEC §12)."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from conftest import ROOT, said
from ti_cli import i18n

SOURCE = ROOT / "src/ti_cli"
CATALOG = SOURCE / "locale/fr/LC_MESSAGES/ti.po"
PLACEHOLDER = re.compile(r"\{[^{}]*\}")


def _code_messages() -> set[str | tuple[str, str]]:
    """What ``make locale`` extracts: the code, and the pages of ti serve (their templates)."""
    found: set[str | tuple[str, str]] = set()
    for folder, method in ((SOURCE, [("**.py", "python")]), (ROOT / "templates/serve", [("**.html.j2", "jinja2")])):
        for _file, _line, message, _comments, _context in extract_from_dir(folder, method):
            found.add(message if isinstance(message, str) else tuple(message))
    return found


def _catalog() -> dict[str | tuple[str, str], object]:
    with CATALOG.open("rb") as handle:
        catalog = read_po(handle, locale="fr")
    return {m.id if isinstance(m.id, str) else tuple(m.id): m for m in catalog if m.id}


def test_every_message_of_the_code_is_in_the_catalog_and_nothing_else():
    code, catalog = _code_messages(), set(_catalog())
    missing, stale = code - catalog, catalog - code
    assert not missing, f"not in the French catalog (run `make locale`, then translate): {sorted(map(str, missing))}"
    assert not stale, f"in the catalog but no longer in the code (run `make locale`): {sorted(map(str, stale))}"


def test_every_message_is_translated_with_the_same_placeholders():
    for key, message in _catalog().items():
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        assert all(strings), f"untranslated: {key!r}"
        assert not message.fuzzy, f"fuzzy (check, then remove the flag): {key!r}"
        english = key if isinstance(key, tuple) else (key,)
        wanted = set(PLACEHOLDER.findall(" ".join(english)))
        for french in strings:
            assert set(PLACEHOLDER.findall(french)) == wanted, f"placeholders differ: {key!r} → {french!r}"


def _marked_calls(tree: ast.AST):
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("_", "N_", "ngettext"):
            yield node


def _sources() -> list[tuple[Path, ast.AST]]:
    return [(p, ast.parse(p.read_text(encoding="utf-8"))) for p in sorted(SOURCE.rglob("*.py"))]


def test_messages_are_never_built_before_translation():
    """``_(f"…")`` or ``_("a" + b)`` would never match the catalog: the English would show through. A
    name is fine: a constant marked ``N_("…")`` where it is defined."""
    found = []
    for path, tree in _sources():
        for call in _marked_calls(tree):
            for argument in call.args[: 2 if call.func.id == "ngettext" else 1]:
                if isinstance(argument, ast.JoinedStr | ast.BinOp | ast.Call):
                    found.append(f"{path.name}:{call.lineno}: translate the literal, then format the result")
            if call.func.id == "N_" and not isinstance(call.args[0], ast.Constant):
                found.append(f"{path.name}:{call.lineno}: N_ marks a literal")
    assert found == []


def test_summary_in_french_and_in_english(sample):
    from ti_cli.output.findings import summary
    from ti_cli.rules.engine import Report

    report = Report(20, [])
    assert summary(report) == "20 fichiers, 0 erreur, 0 avertissement"
    i18n.activate("en")
    try:
        assert summary(report) == "20 files, 0 errors, 0 warnings"
    finally:
        i18n.activate("fr")


def _ti(*args: str, env: dict[str, str] | None = None, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    import os

    environment = {k: v for k, v in os.environ.items() if k != "TI_LANG"} | (env or {})
    return subprocess.run(
        [sys.executable, "-m", "ti_cli", *args], capture_output=True, text=True, cwd=cwd, env=environment
    )


def test_lang_option_anywhere_and_environment_variable():
    french = _ti("validate", "data/contracts/rochefort-royan-marennes-oleron", "--format", "plain")
    assert french.stdout.splitlines()[-1].startswith("14 fichiers, 0 erreur")
    for args, env in (
        (("--lang", "en", "validate"), None),
        (("validate", "--lang=en"), None),
        (("validate",), {"TI_LANG": "en"}),
    ):
        english = _ti(*args, "data/contracts/rochefort-royan-marennes-oleron", "--format", "plain", env=env)
        # the six blanks of the seed's preamble (« n°XXX »…) are TI039 warnings, the seven milestones the
        # last report leaves open, past due, TI056
        assert english.stdout.splitlines()[-1] == "14 files, 0 errors, 13 warnings", args


def test_unknown_language_is_a_usage_error_in_french():
    done = _ti("--lang", "de", "validate")
    assert done.returncode == 2
    assert "langue inconnue « de »" in done.stderr.replace("\u00a0", " ")


def test_json_keys_and_codes_do_not_change_with_the_language():
    import json

    path = "data/contracts/rochefort-royan-marennes-oleron"
    french = json.loads(_ti("validate", path, "--format", "json").stdout)
    english = json.loads(_ti("validate", path, "--format", "json", "--lang", "en").stdout)
    assert french.keys() == english.keys()
    assert [(f["code"], f["severity"], f["line"]) for f in french["findings"]] == [
        (f["code"], f["severity"], f["line"]) for f in english["findings"]
    ]


def test_stored_english_help_page_is_what_the_app_prints():
    code = "from ti_cli.cli import help_page; print(help_page(), end='')"
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**__import__("os").environ, "TI_LANG": "en"},
        check=True,
    )
    assert (SOURCE / "help.en.txt").read_text(encoding="utf-8") == done.stdout, "run `make docs`"


HELP_PAGES = """
import typer.main
from typer.testing import CliRunner
from ti_cli.cli import app

def paths(command, prefix):
    yield prefix
    for name, sub in getattr(command, "commands", {}).items():
        yield from paths(sub, [*prefix, name])

root = typer.main.get_command(app)
for path in paths(root, []):
    print("=====", " ".join(path))
    print(CliRunner().invoke(app, [*path, "--help"], env={"COLUMNS": "200", "NO_COLOR": "1"}).output)
"""
PYTHON_TYPES = ("<str>", "<bool>", "<int>", "<path>", "list[", "%Y", "<datetime>", "<float>", "x>=", "<=x")


def _help_pages(lang: str) -> dict[str, str]:
    import os

    done = subprocess.run(
        [sys.executable, "-c", HELP_PAGES],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
        env={**os.environ, "TI_LANG": lang},
    )
    pages = done.stdout.split("===== ")[1:]
    return {page.partition("\n")[0]: page.partition("\n")[2] for page in pages}


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_every_help_page_names_things_in_words_never_python_types(lang):
    pages = _help_pages(lang)
    assert len(pages) > 20 and "render contract" in pages
    for command, page in pages.items():
        assert not [t for t in PYTHON_TYPES if t in page], f"ti {command} --help shows a Python type:\n{page}"
        assert page.strip(), command
        if lang == "fr":
            english = [
                w for w in ("Usage:", "Show this message", "Commands", "[default:", "COMMAND [ARGS]") if w in page
            ]
            assert not english, f"ti {command} --help in French still says {english}:\n{page}"
            assert "Utilisation\u00a0: ti" in page
        else:
            assert "Usage: ti" in page and "Show this message and exit." in page


def test_usage_errors_in_french_and_in_english():
    french = _ti("totals", "--nope")
    assert french.returncode == 2
    assert "Option inconnue\u00a0: --nope" in french.stderr and "Erreur" in french.stderr
    english = _ti("totals", "--nope", "--lang", "en")
    assert "No such option: --nope" in english.stderr
    date = _ti("validate", "--as-of", "2026-13-01", env={"COLUMNS": "200"})
    assert "« 2026-13-01 » n'est pas une date écrite AAAA-MM-JJ" in date.stderr.replace("\u00a0", " ")


C = "data/contracts/rochefort-royan-marennes-oleron"
P = "data/pactes/rochefort-royan-marennes-oleron"
TWINS = [  # one planted mistake per rule family: (file, old, new, code, French, English)
    (
        f"{C}/contract.yaml",
        "id: rochefort-royan-marennes-oleron",
        "id: autre",
        "TI030",
        "l'identifiant « autre » diffère du nom de son dossier",
        "id 'autre' differs from its folder name",
    ),
    (
        f"{C}/actions/01-filiere-aeronautique.yaml",
        "total: 16753500",
        "total: 16754500",
        "TI023",
        "total 16 754 500 € ≠ investissement + fonctionnement",
        "total 16 754 500 € ≠ investment + operating",
    ),
    (
        f"{C}/progress/2021-Q2.yaml",
        "  - number: 1\n",
        "  - number: 42\n",
        "TI040",
        "aucune action n° 42 dans ce contrat",
        "no action number 42 in this contract",
    ),
    (
        f"{C}/cost-sharing/{{sharing}}",
        "{financer: etat,",
        "{financer: inconnu,",
        "TI060",
        "financeur inconnu « inconnu »",
        "unknown financer 'inconnu'",
    ),
    (
        f"{P}/members/atelier-composites-charentais.yaml",
        'siret: "91742638900016"',
        'siret: "91742638900017"',
        "TI070",
        "SIRET 91742638900017 invalide",
        "SIRET 91742638900017 fails its checksum",
    ),
]


@pytest.mark.parametrize(("file", "old", "new", "code", "french", "english"), TWINS, ids=[t[3] for t in TWINS])
def test_a_finding_of_each_rule_family_in_french_and_its_english_twin(sample, file, old, new, code, french, english):
    from conftest import edit, run, said

    if "{sharing}" in file:
        file = str(next(Path(C, "cost-sharing").glob("*.yaml")))
    edit(file, old, new)
    [in_french] = [f for f in run().findings if f.code == code]
    assert french in said(in_french.message)
    i18n.activate("en")
    try:
        [in_english] = [f for f in run().findings if f.code == code]
    finally:
        i18n.activate("fr")
    assert english in said(in_english.message)
    assert (in_english.file, in_english.line, in_english.column) == (in_french.file, in_french.line, in_french.column)


NEW_SCOPES = (
    ast.FunctionDef,
    ast.AsyncFunctionDef,
    ast.Lambda,
    ast.ListComp,
    ast.SetComp,
    ast.DictComp,
    ast.GeneratorExp,
    ast.ClassDef,
)


def _own_nodes(node: ast.AST):
    """The nodes of a function's own scope (not those of nested functions or comprehensions)."""
    for child in ast.iter_child_nodes(node):
        yield child
        if not isinstance(child, NEW_SCOPES):
            yield from _own_nodes(child)


def _shadowing(tree: ast.AST):
    """Functions that assign ``_`` (a throw-away) in their own scope and also call ``_("…")`` there: the
    call would fail with UnboundLocalError, since ``_`` is then local to the whole function."""
    for function in ast.walk(tree):
        if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        own = list(_own_nodes(function))
        stored = any(isinstance(n, ast.Name) and n.id == "_" and isinstance(n.ctx, ast.Store) for n in own)
        stored |= any(a.arg == "_" for a in function.args.args + function.args.kwonlyargs)
        called = any(
            isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id == "_" for n in ast.walk(function)
        )
        if stored and called:
            yield function.name, function.lineno


def test_no_function_hides_the_translation_function():
    found = [(path.name, *hidden) for path, tree in _sources() for hidden in _shadowing(tree)]
    assert found == []


def test_a_wide_table_is_printed_in_parts_within_80_columns_with_no_word_cut():
    done = _ti("totals", "rochefort-royan-marennes-oleron-2023", "--by", "stage", env={"COLUMNS": "80"})
    lines = done.stdout.splitlines()
    assert done.returncode == 0 and max(len(line) for line in lines) <= 80
    text = said(done.stdout)
    assert "Payé à ce jour" in text and "10 250 000 €" in text and "Autofinancemen\n" not in text
    assert "Invest." not in text.split("Par étape")[1].split("Part propre")[0]  # lines carry no split
    assert sum(line.startswith(" Sollicité ") for line in lines) == 2  # the first column, repeated in part two


def test_the_words_of_totals_tables_say_in_french_what_the_json_labels_say():
    from ti_cli.compute import totals
    from ti_cli.output.figures import WORDS
    from ti_cli.render.context import ELIGIBILITY_LABELS

    french = {
        "status": {s.value: label for s, label in totals.STATUS_LABELS.items()},
        "category": {c.value: label for c, label in totals.CATEGORY_LABELS.items()},
        "stage": {s: totals.STAGE_LABELS[s] for s in WORDS["stage"]},
        "dispositif": dict([totals.NO_DISPOSITIF]),
        "owner": dict([totals.NO_OWNER]),
        "axis": {"A_CHOISIR": totals.axis_label("A_CHOISIR")},
        "eligibility": {e.value: label for e, label in ELIGIBILITY_LABELS.items()},
    }
    i18n.activate("fr")
    try:
        assert {by: {key: i18n._(word) for key, word in words.items()} for by, words in WORDS.items()} == french
    finally:
        i18n.activate("fr")


@pytest.mark.parametrize(
    "lang, words, foreign",
    [
        (
            "fr",
            ["Coût total HT", "Par statut (dernier état d'avancement)", "En cours", "Terminé", "Fonct."],
            ["Total cost", "In progress"],
        ),
        (
            "en",
            ["Total cost excl. VAT", "By status (latest progress report)", "In progress", "Finished", "Operat."],
            ["Coût", "En cours", "Terminé", "Financements"],
        ),
    ],
)
def test_totals_tables_speak_the_chosen_language_within_80_columns(lang, words, foreign):
    done = _ti("--lang", lang, "totals", "rochefort-royan-marennes-oleron", "--by", "status", env={"COLUMNS": "80"})
    text = said(done.stdout)
    assert done.returncode == 0 and max(len(line) for line in done.stdout.splitlines()) <= 80
    assert all(w in text for w in words) and not any(w in text for w in foreign)
    assert "43 823 500 €" in text  # amounts are written the French way in both languages


def test_financer_table_in_english_cuts_no_word_at_80_columns():
    done = _ti("--lang", "en", "totals", "rochefort-royan-marennes-oleron", "--by", "financer", env={"COLUMNS": "80"})
    lines = done.stdout.splitlines()
    assert max(len(line) for line in lines) <= 80
    assert any("Autofinancement " in line for line in lines) and "Total financing" in done.stdout


# Modules that write French documents or file formats (always French, whatever the language): their
# French literals are meant. Anywhere else, French written in the code would show through `--lang en`.
DOCUMENT_MODULES = {
    "cli/ci.py",
    "cli/plan.py",
    "compute/calendar.py",
    "compute/evaluation.py",
    "compute/totals.py",
    "french.py",
    "loading/xlsx.py",
    "model/descriptions.py",
    "model/programme.py",
    "output/decisions.py",
    "output/diff.py",
    "output/evaluation.py",
    "output/xlsx.py",
    "render/charts.py",
    "render/context.py",
    "render/deck.py",
    "rules/docs.py",
    "workflow/copil.py",
    "workflow/exporting.py",  # the schéma commun's values (SPEC §16), French in every language
    "workflow/tet.py",  # the comment and progress notes written into the imported files (French data)
    "loading/tet.py",  # Territoires en Transitions' headers and statuses, as the template writes them
}
FRENCH = re.compile(r"[àâçéèêëîïôûùœ]| : ")


def _unmarked_french(tree: ast.AST) -> list[tuple[int, str]]:
    marked = {id(n) for call in _marked_calls(tree) for n in ast.walk(call)}
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    return [
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in marked
        and id(node) not in docstrings
        and FRENCH.search(node.value)
    ]


def test_no_french_is_written_in_the_code_outside_the_catalog_and_the_documents():
    """Write it in English inside _() and translate it in ti.po."""
    found = {
        str(path.relative_to(SOURCE)): french
        for path, tree in _sources()
        if str(path.relative_to(SOURCE)) not in DOCUMENT_MODULES and (french := _unmarked_french(tree))
    }
    assert found == {}


def test_a_number_out_of_range_or_not_a_number_is_said_in_words():
    """Typer's own checks of a number speak English (« Input should be greater than or equal to 0 »)."""
    below, word = _ti("validate", "--soon", "-3"), _ti("serve", "--port", "x")
    assert below.returncode == word.returncode == 2
    assert "Valeur invalide pour « --soon » : doit valoir 0 ou plus" in said(below.stderr), below.stderr
    assert "Option obligatoire manquante : « --contract » / « -c »" in said(_ti("import", "xlsx", "plan.xlsx").stderr)
    assert "Invalid value for '--soon'" in _ti("validate", "--soon", "-1", "--lang", "en").stderr
    assert "n'est pas un nombre entier" in said(word.stderr), word.stderr
    english = _ti("validate", "--soon", "x", "--lang", "en")
    assert "Input should" not in english.stderr and "not a whole number" in english.stderr
    assert "must be 0 or more" in _ti("validate", "--soon", "-1", "--lang", "en").stderr


def test_files_ti_cannot_read_are_said_without_pythons_words(tmp_path):
    """No exception's name (PackageNotFoundError) nor the system's English (No such file or directory)."""
    fake = tmp_path / "charte.pptx"
    fake.write_text("pas une présentation", encoding="utf-8")
    plan = "data/contracts/rochefort-royan-marennes-oleron-2023"
    done = _ti("report", "copil", plan, "--reference-pptx", str(fake), "-o", str(tmp_path / "out"))
    assert done.returncode == 2 and "n'est pas une présentation PowerPoint" in said(done.stderr)
    assert "Error" not in done.stderr, done.stderr
    book = tmp_path / "plan.xlsx"
    book.write_text("pas un classeur", encoding="utf-8")
    done = _ti("import", "xlsx", str(book), "-c", plan, "-n")
    assert "TI090" in done.stderr and "zip" not in done.stderr, done.stderr
    from tet_fixture import FICHES, tet_workbook

    tet_workbook(book, FICHES)
    for lang, words in (("fr", "fichier ou dossier introuvable"), ("en", "no such file or folder")):
        done = _ti("import", "xlsx", str(book), "-c", plan, "-n", "--axis-map", str(tmp_path / "axes.yaml"),
                   "--lang", lang)  # fmt: skip
        assert words in said(done.stderr) and "directory" not in done.stderr, done.stderr


def test_english_quotes_the_english_way_and_french_with_guillemets(tmp_path):
    """« … » is French typography: an English message quotes with '…', like the rest of the catalog."""
    english = _ti("validate", C, "--format", "plain", "--as-of", "2026-12-04", "--lang", "en").stdout
    assert "blank to fill in before signature: 'XXX' stands for" in english and "milestone «" not in english
    assert "milestone 'Livraison des premiers lots viabilisés' was due on 30/06/2022" in english
    french = said(_ti("validate", C, "--format", "plain", "--as-of", "2026-12-04").stdout)
    assert "blanc à remplir avant signature : « XXX » tient la place" in french
    from tet_fixture import FICHES, tet_workbook

    tet_workbook(tmp_path / "plan.xlsx", FICHES)
    plan = "data/contracts/rochefort-royan-marennes-oleron-2023"
    done = _ti("import", "xlsx", str(tmp_path / "plan.xlsx"), "-c", plan, "-n", "--lang", "en")
    assert "these headings of the plan: '1 - Foncier et immobilier d'entreprise', '2 - Compétences'" in done.stderr
