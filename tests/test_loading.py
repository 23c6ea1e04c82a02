"""Loading a file safely: syntax, duplicates, tags, encoding, limits — each at its line and column."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import said
from ti_cli.loading.source import load
from ti_cli.model import Action, CostSharing

ACTION = """\
number: 1
title: Développement de la filière aéronautique
axis: ATTIRER
category: structurante
cost:
  investment: 16663500
  operating: 90000
"""


def load_text(tmp_path: Path, text: str | bytes, model=Action):
    file = tmp_path / "01-a.yaml"
    file.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return load(file, model)


def codes(source) -> list[tuple[str, int, int]]:
    return [(f.code, f.line, f.column) for f in source.findings]


def test_a_valid_action_loads_with_exact_money(tmp_path):
    source = load_text(tmp_path, ACTION)
    assert source.findings == []
    assert source.model.cost.amount == Decimal("16753500")


def test_syntax_error_is_reported_at_its_line(tmp_path):
    source = load_text(tmp_path, ACTION + "financing: [\n  {financer: etat\n")
    assert [c[0] for c in codes(source)] == ["TI001"]
    assert source.findings[0].line >= 8


def test_duplicate_key_is_an_error_at_the_second_key(tmp_path):
    source = load_text(tmp_path, ACTION + "axis: INNOVER\n")
    assert ("TI002", 8, 1) in codes(source)
    assert "la première à la ligne 3" in source.findings[0].message


def test_python_tag_never_runs(tmp_path):
    marker = tmp_path / "pwned"
    text = ACTION + f'comment: !!python/object/apply:os.system ["touch {marker}"]\n'
    source = load_text(tmp_path, text)
    assert not marker.exists()
    assert ("TI003", 8, 10) in codes(source)


def test_non_utf8_file_names_the_byte(tmp_path):
    source = load_text(tmp_path, ACTION.replace("é", "\xe9").encode("latin-1"))
    assert codes(source) == [("TI004", 2, 9)]


def test_utf8_bom_is_accepted(tmp_path):
    assert load_text(tmp_path, b"\xef\xbb\xbf" + ACTION.encode()).findings == []


def test_alias_bomb_ends_quickly_with_an_error(tmp_path):
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 9)]
    source = load_text(tmp_path, "\n".join(lines) + "\n")
    assert [c[0] for c in codes(source)] == ["TI007"]


@pytest.mark.parametrize("text", ["x: " + "[" * 100_000 + "]" * 100_000, "- " * 60_000 + "x"])
def test_deep_nesting_is_refused_without_crashing(tmp_path, text):
    assert [c[0] for c in codes(load_text(tmp_path, text))] == ["TI006"]


def test_libyaml_refusing_depth_itself_is_still_ti006(tmp_path, monkeypatch):
    """libyaml ≥ 0.2.6 stops deep flow nesting on its own; older ones let ti's pre-scan see it first."""
    from ti_cli.loading import yamlsafe

    text = "x: " + "[" * 3000 + "]" * 3000
    assert [c[0] for c in codes(load_text(tmp_path, text))] == ["TI006"]
    monkeypatch.setattr(yamlsafe, "PRESCAN_DEPTH", 10**6)  # as if the pre-scan missed it: libyaml's own refusal
    assert [c[0] for c in codes(load_text(tmp_path, text))] == ["TI006"]


def test_nesting_just_over_the_limit_is_refused(tmp_path):
    assert [c[0] for c in codes(load_text(tmp_path, "x: " + "[" * 70 + "]" * 70))] == ["TI006"]


def test_oversized_file_is_refused(tmp_path):
    source = load_text(tmp_path, ACTION + "description: |\n" + ("  " + "x" * 99 + "\n") * 60_000)
    assert [c[0] for c in codes(source)] == ["TI005"]


def test_empty_file(tmp_path):
    assert [c[0] for c in codes(load_text(tmp_path, "# nothing\n"))] == ["TI015"]


def test_unknown_field_points_at_the_key_and_suggests(tmp_path):
    source = load_text(tmp_path, ACTION.replace("category:", "categroy:"))
    found = {(f.code, f.line, f.column): f.message for f in source.findings}
    assert "vouliez-vous dire « category » ?" in said(found[("TI010", 4, 1)])
    assert ("TI011", 1, 1) in found  # category is then missing


def test_enum_error_lists_the_allowed_values(tmp_path):
    source = load_text(tmp_path, ACTION.replace("axis: ATTIRER", "axis: ATTIRE"))
    [finding] = source.findings
    assert (finding.code, finding.line, finding.column) == ("TI013", 3, 7)
    assert "ATTIRER, RECRUTER, INNOVER, SIMPLIFIER" in finding.message
    assert "vouliez-vous dire ATTIRER ?" in said(finding.message)


def test_a_date_well_written_that_does_not_exist_is_said_so(tmp_path):
    source = load_text(tmp_path, ACTION.replace("axis: ATTIRER", "axis: ATTIRER\nplanned_end: 2021-02-30"))
    [finding] = source.findings
    assert (finding.code, finding.line) == ("TI012", 4)
    assert "« 2021-02-30 » est écrit comme une date, mais ce jour n'existe pas" in said(finding.message)


def test_french_written_amount_is_refused_with_the_number_it_should_be(tmp_path):
    source = load_text(tmp_path, ACTION.replace("investment: 16663500", "investment: 16 663 500 €"))
    [finding] = source.findings
    assert (finding.code, finding.line, finding.column) == ("TI020", 6, 15)
    assert "écrivez 16663500" in finding.message


def test_million_shorthand_suggests_the_full_number(tmp_path):
    source = load_text(tmp_path, ACTION.replace("operating: 90000", 'operating: "1,5 M€"'))
    assert "écrivez 1500000" in source.findings[0].message


@pytest.mark.parametrize(("value", "code"), [("90000.505", "TI021"), ("-5", "TI022")])
def test_money_decimals_and_sign(tmp_path, value, code):
    source = load_text(tmp_path, ACTION.replace("operating: 90000", f"operating: {value}"))
    assert codes(source) == [(code, 7, 14)]


def test_wrong_type_in_a_list_item_points_at_the_item(tmp_path):
    text = ACTION + "financing:\n  - financer: etat\n    eligibility: validee\n"
    text += "  - financer: region\n    amount: beaucoup\n"
    source = load_text(tmp_path, text)
    assert [(f.code, f.line) for f in source.findings] == [("TI020", 12)]


def test_yes_no_stay_text(tmp_path):
    source = load_text(tmp_path, ACTION + "comment: no\n")
    assert source.model.comment == "no"


@given(st.decimals(min_value=0, max_value=Decimal("999999999999.99"), places=2, allow_nan=False))
def test_money_round_trips_exactly(tmp_path_factory, amount):
    folder = tmp_path_factory.mktemp("money")
    text = f"title: t\namount: {amount}\nmembers: [{{id: a, name: A}}]\n"
    file = folder / "c.yaml"
    file.write_text(text, encoding="utf-8")
    source = load(file, CostSharing)
    assert source.findings == []
    assert source.model.amount == amount


# --- No cascade: a file that did not load gets its own finding, not false ones in the files that refer to it

CASCADE_A3 = "data/contracts/rochefort-royan-marennes-oleron/actions/03-pole-territorial-formation.yaml"


def _findings_by_file(report) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for f in report.findings:
        out.setdefault(Path(f.file).name, []).append(f.code)
    return out


@pytest.mark.parametrize(
    "broken",
    [
        "title: Pôle: formation\n",  # YAML syntax error: the file does not parse
        "number: trois\n",  # schema error: the file parses but does not validate
    ],
)
def test_a_broken_action_file_yields_only_its_own_finding(sample, broken):
    from conftest import edit, planted, run

    edit(CASCADE_A3, "number: 3\n", "number: 3\n" + broken if broken.startswith("title") else broken)
    if broken.startswith("title"):  # the real title comes after: drop it, the broken one stays
        text = Path(CASCADE_A3).read_text(encoding="utf-8")
        Path(CASCADE_A3).write_text(
            text.replace("title: Développement de la formation", "summary: x", 1), encoding="utf-8"
        )
    report = run()
    errors = [f for f in report.findings if f.severity.value == "error"]
    assert [(Path(f.file).name, f.code) for f in errors] == [
        ("03-pole-territorial-formation.yaml", "TI001" if broken.startswith("title") else "TI012")
    ]
    # no cascade in progress/: its findings are the clean sample's (the milestones left open, TI056)
    progress = {f.name for f in Path(CASCADE_A3).parent.parent.glob("progress/*.yaml")}
    assert progress and not [p for p in planted(report) if p[1] in progress]


def test_an_action_file_with_no_readable_number_silences_missing_action_checks(sample):
    from conftest import run

    Path(CASCADE_A3).rename(Path(CASCADE_A3).with_name("pole-formation.yaml"))
    Path(CASCADE_A3).with_name("pole-formation.yaml").write_text("number: [\n", encoding="utf-8")
    report = run()
    assert not [f for f in report.findings if f.code == "TI040"]


def test_a_progress_entry_for_an_action_that_really_is_missing_is_still_reported(sample):
    from conftest import run

    Path(CASCADE_A3).unlink()
    assert {Path(f.file).name for f in run().findings if f.code == "TI040"} == {
        "2021-Q2.yaml",
        "2021-Q3.yaml",
        "2021-Q4.yaml",
    }


# --- A YAML slip said in plain French, with the corrected line


@pytest.mark.parametrize(
    ("text", "line", "column", "said_", "fix"),
    [
        (
            "number: 3\ntitle: Usine: extension\n",
            2,
            13,
            "mettez la valeur entre guillemets",
            'correction : title: "Usine: extension"',
        ),
        ("number: 3\n\ttitle: x\n", 2, 1, "indentée par une tabulation", "correction :   title: x"),
        (
            "number: 3\namount:1000\ntitle: x\n",
            2,
            8,
            "il manque une espace après les deux-points de « amount »",
            "correction : amount: 1000",
        ),
        ("cost:\n  investment: 1\n operating: 2\n", 3, 2, "n'est pas indentée comme ses voisines", None),
        ('number: 3\ntitle: "Usine\nx: 1\n', 2, 8, "guillemet ouvert ici n'est jamais refermé", None),
        ("number: 3\ntitle: x\nplateforme\naxis: X\n", 3, 1, "n'est pas de la forme « champ : valeur »", None),
        (
            "number: 3\ntitle: @usine\n",
            2,
            8,
            "une valeur ne peut pas commencer par « @ » : mettez-la entre guillemets",
            None,
        ),
        ("number: 3\ntitle: *usine\n", 2, 8, "« *usine » ne renvoie à aucun « &usine »", None),
        ('number: 3\ncomment: "C:\\dossier"\n', 2, 13, "une barre oblique inverse entre guillemets doubles", None),
    ],
)
def test_a_yaml_slip_is_explained_at_its_place(tmp_path, text, line, column, said_, fix):
    file = tmp_path / "01-a.yaml"
    file.write_text(text, encoding="utf-8")
    finding = load(file, Action).findings[0]
    assert (finding.code, finding.line, finding.column) == ("TI001", line, column)
    assert said_ in said(finding.message)
    if fix:
        assert said(finding.details[0]) == fix


def _financing_error(tmp_path: Path) -> str:
    text = ACTION + "financing:\n  - financer: etat\n    eligibility: validee\n"
    text += "  - financer: region\n    amount: beaucoup\n"
    return load_text(tmp_path, text).findings[0].message


def test_a_position_is_said_as_a_person_counts(tmp_path):
    from ti_cli import i18n

    assert said(_financing_error(tmp_path)).startswith("2e ligne de financement, amount : « beaucoup »")
    i18n.activate("en")
    try:
        assert _financing_error(tmp_path).startswith("2nd financing line, amount: 'beaucoup'")
    finally:
        i18n.activate("fr")
