"""Blanks left in the text to sign (TI039): found in the text chapters and the titles at their own line
and column, told from prose ellipses, and seen again as soon as a chapter changes (the cache's key)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import CONTRACT, PREAMBLE, edit, fill_blanks, run, said
from gitrepo import commit, init_repo, ti
from ti_cli.placeholders import spans

A2 = f"{CONTRACT}/actions/02-port-de-commerce.yaml"


def blanks(text: str) -> list[str]:
    return [text[start:end] for start, end in spans(text)]


@pytest.mark.parametrize(
    "text, found",
    [
        ("délibération n°XXX en date du XXX", ["XXX", "XXX"]),
        ("Fait à …, le ….", ["…", "…."]),
        ("signé le ... à ...", ["...", "..."]),
        ("la convention n°…", ["…"]),
        ("Date : [à compléter]", ["[à compléter]"]),
        ("[À compléter : le nom du maire]", ["[À compléter : le nom du maire]"]),
        ("l'opérateur XX", ["XX"]),
    ],
)
def test_a_blank_is_found_as_typed(text, found):
    assert blanks(text) == found


@pytest.mark.parametrize(
    "text",
    [
        "(stationnement, conciergerie, coworking, restauration...)",  # glued to its word: prose
        "(logistique, bureau d'études, ...)",  # after a comma: an enumeration's end
        "coup de projecteur ...)",  # closing a bracket
        "(Natura 2000, loi Littoral, etc ...)",
        "NAUTITECH Catamarans, SOROMAP, ...",
        "une citation […] coupée",
        "le XXe siècle, Xylofutur, XXI",  # a Roman numeral, a name: not a word of X alone
        "restauration....",
    ],
)
def test_prose_ellipses_and_words_with_x_are_no_blanks(text):
    assert blanks(text) == []


def test_the_seeds_blanks_are_warnings_at_their_line_and_column(sample):
    found = sorted((f.line, f.column) for f in run().findings if f.code == "TI039")
    # « …Nouvelle-Aquitaine n°XXX… », « …communauté XXX n°XXX en date du XXX… », « …l'opérateur XXX en date du XXX… »
    assert found == [(1, 65), (3, 49), (3, 55), (3, 70), (5, 32), (5, 47)]
    [first] = [f for f in run().findings if f.code == "TI039" and f.line == 1]
    assert Path(first.file) == Path(PREAMBLE) and first.severity.value == "warning"
    text = Path(PREAMBLE).read_text(encoding="utf-8").splitlines()[0]
    assert text[64:67] == "XXX"
    assert said(first.message) == (
        "blanc à remplir avant signature : « XXX » tient la place d'un mot qui manque encore (un numéro, une "
        "date, un nom) ; écrivez-le — d'ici là, les documents le montrent surligné"
    )


def test_blanks_in_titles_are_found_in_the_yaml_at_their_column(sample):
    fill_blanks()
    edit(A2, "title: ", "title: Convention n°XXX — ")
    edit(
        f"{CONTRACT}/contract.yaml",
        "title: Contrat Territoire d'industrie",
        "title: Contrat [à compléter] Territoire d'industrie",
    )
    contract = Path(CONTRACT, "contract.yaml").read_text(encoding="utf-8").splitlines()
    action = Path(A2).read_text(encoding="utf-8").splitlines()
    found = {
        (Path(f.file).name, f.line, f.column, f.message.split("«")[1].split("»")[0].strip())
        for f in run().findings
        if f.code == "TI039"
    }
    title_line = next(n for n, line in enumerate(contract, 1) if line.startswith("title:"))
    action_line = next(n for n, line in enumerate(action, 1) if line.startswith("title:"))
    assert found == {
        ("contract.yaml", title_line, contract[title_line - 1].index("[") + 1, "[à compléter]"),
        ("02-port-de-commerce.yaml", action_line, action[action_line - 1].index("XXX") + 1, "XXX"),
    }


def test_a_filled_in_chapter_is_seen_at_once_despite_the_cache(sample, tmp_path, monkeypatch):
    monkeypatch.setenv("TI_CACHE_DIR", str(tmp_path / "cache"))

    def warnings() -> list[str]:
        result = ti("validate", CONTRACT, "--format", "json", "--as-of", "2025-06-01")
        return [f["code"] for f in json.loads(result.stdout)["findings"]]

    assert warnings().count("TI039") == 6
    assert warnings().count("TI039") == 6  # from the cache
    fill_blanks()  # only a text chapter changes, no YAML file
    assert warnings() == ["TI056"] * 7  # the milestones the last report leaves open, past due


def test_a_branch_that_edits_a_chapter_has_its_blanks_checked_and_the_untouched_ones_are_left_out(sample):
    init_repo(sample)
    chapter = f"{CONTRACT}/text/07-articles-5-a-7.md"
    with Path(chapter).open("a", encoding="utf-8") as handle:
        handle.write("\nFait à …, le …\n")
    result = ti("validate", "--changed-since", "main", "--format", "json", "--as-of", "2025-06-01")
    data = json.loads(result.stdout)
    last = len(Path(chapter).read_text(encoding="utf-8").splitlines())
    assert [(f["code"], Path(f["file"]).name, f["line"], f["column"]) for f in data["findings"]] == [
        ("TI039", "07-articles-5-a-7.md", last, 8),
        ("TI039", "07-articles-5-a-7.md", last, 14),
    ]  # the preamble's six blanks, untouched by the branch, are not this branch's
    commit("chapitre 7")
    assert json.loads(ti("validate", "--changed-since", "main", "--format", "json").stdout)["findings"] == []


def test_blanks_in_what_the_signature_block_and_the_fiches_print_are_found(sample):
    # a signatory still « XXX » prints highlighted in the signature block; a convention « n°XXX » and a
    # description « Calendrier : XXX » print on the fiche a partner reads — none of them was warned of
    fill_blanks()
    plan = "data/contracts/rochefort-royan-marennes-oleron-2023"
    a5 = f"{plan}/actions/05-decarbonation-site-industriel.yaml"
    edit(f"{CONTRACT}/contract.yaml", "{name: Jean-Pierre TALLIEU, title: Président}", "{name: XXX, title: Président}")
    edit(a5, "reference: Décision ADEME (illustrative)", "reference: Décision ADEME n°XXX")
    edit(a5, "  Électrification des fours", "  Calendrier détaillé : XXX. Électrification des fours")
    contract = Path(CONTRACT, "contract.yaml").read_text(encoding="utf-8").splitlines()
    action = Path(a5).read_text(encoding="utf-8").splitlines()
    found = {(Path(f.file).name, f.line, f.column) for f in run().findings if f.code == "TI039" and "XXX" in f.message}
    signatory = next(n for n, line in enumerate(contract, 1) if "{name: XXX" in line)
    reference = next(n for n, line in enumerate(action, 1) if "n°XXX" in line)
    described = next(n for n, line in enumerate(action, 1) if "Calendrier" in line)
    assert found == {
        ("contract.yaml", signatory, contract[signatory - 1].index("XXX") + 1),
        ("05-decarbonation-site-industriel.yaml", reference, action[reference - 1].index("XXX") + 1),
        ("05-decarbonation-site-industriel.yaml", described, action[described - 1].index("XXX") + 1),
    }
