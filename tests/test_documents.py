"""Documents read back as a partner would: the Markdown, the Word tables, the PDF text, the HTML page.

Golden files (tests/golden/) hold reviewed Markdown; after an intended change, regenerate them with
``TI_UPDATE_GOLDEN=1 .venv/bin/pytest tests/test_documents.py``, read the diff, and commit.
"""

from __future__ import annotations

import os
import re
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import AS_OF, CONTRACT, ROOT, edit, said
from ti_cli.cli import app
from ti_cli.compute.progress import quarterly
from ti_cli.loading.bundle import ContractBundle, load_contract
from ti_cli.render.context import (
    completion_context,
    contract_context,
    fiche_context,
    quarterly_context,
    reports,
)
from ti_cli.render.documents import render_markdown

GOLDEN = Path(__file__).parent / "golden"
SAMPLE = str(ROOT / CONTRACT)
TOTALS = ("43 823 500 €", "42 939 000 €", "884 500 €")  # total, investment, operating of the annex
# (number, total, investment, operating) of each annex row, as the seed's tableau des actions prints them
ROWS = [
    (1, "16 753 500 €", "16 663 500 €", "90 000 €"),
    (2, "15 380 000 €", "14 980 000 €", "400 000 €"),
    (3, "7 580 000 €", "7 500 000 €", "80 000 €"),
    (4, "3 090 000 €", "2 995 500 €", "94 500 €"),
    (5, "–", "–", "–"),
    (6, "20 000 €", "0 €", "20 000 €"),
    (7, "840 000 €", "800 000 €", "40 000 €"),
    (8, "130 000 €", "0 €", "130 000 €"),
    (9, "30 000 €", "0 €", "30 000 €"),
]
runner = CliRunner()


@pytest.fixture(scope="module")
def bundle() -> ContractBundle:
    return load_contract(ROOT / CONTRACT)


def golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("TI_UPDATE_GOLDEN"):
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8"), f"{name} differs from its golden file (see module docstring)"


def squash(text: str) -> str:
    """Text without any whitespace: PDF extraction wraps table cells at arbitrary places."""
    return re.sub(r"\s", "", text)


def ti(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


# --- golden Markdown, one per template ------------------------------------------------------------


def test_contract_annex_matches_golden(bundle: ContractBundle) -> None:
    markdown = render_markdown("contract.md.j2", contract_context(bundle))
    golden("contract-annex.md", markdown[markdown.index("## Annexe") :])


def test_quarterly_2021_q4_matches_golden(bundle: ContractBundle) -> None:
    golden("quarterly-2021-Q4.md", render_markdown("quarterly.md.j2", quarterly_context(bundle, "2021-Q4")))


def test_completion_and_fiche_match_golden(bundle: ContractBundle) -> None:
    golden("completion-06.md", render_markdown("completion.md.j2", completion_context(bundle, 6)))
    action = next(a for a in bundle.action_models() if a.number == 6)
    golden("fiche-06.md", render_markdown("fiche.md.j2", fiche_context(bundle, action, AS_OF)))


# --- the figures of the quarterly report -------------------------------------------------------------


def test_quarterly_figures_of_the_sample(bundle: ContractBundle) -> None:
    report = quarterly(bundle.action_models(), reports(bundle), "2021-Q4")
    assert report.previous_quarter == "2021-Q3"
    # Σ progress × cost / Σ cost = 1 164 495 000 / 43 823 500 = 26,57 % → 26,6 ; the Q3 figure is 19,2
    assert report.global_progress == Decimal("26.6")
    assert report.progress_change == Decimal("7.4")
    assert (report.planned, report.spent, report.variance) == (43823500, 9514500, -34309000)
    assert report.spent_change == 3152500
    assert [a.number for a in report.not_updated] == [5]
    assert [a.number for a in report.finished] == [6]
    assert report.late == []
    five = report.actions[4]  # not reported in Q4: the Q3 figures are carried forward, no change
    assert (five.reported_in, five.progress, five.progress_change) == ("2021-Q3", 5, 0)
    six = report.actions[5]
    assert (six.variance, six.progress_change, six.status_changed) == (-1500, 25, True)


def test_first_quarter_has_no_comparison(bundle: ContractBundle) -> None:
    report = quarterly(bundle.action_models(), reports(bundle), "2021-Q2")
    assert report.previous_quarter is None and report.progress_change is None
    assert all(a.progress_change is None for a in report.actions)


def test_an_action_past_its_planned_end_is_late(sample: Path) -> None:
    edit(
        f"{CONTRACT}/actions/04-pepinieres-entreprises.yaml", "comment: null", "comment: null\nplanned_end: 2021-11-30"
    )
    edit(
        f"{CONTRACT}/actions/06-conciergerie-territoriale.yaml",
        "comment: null",
        "comment: null\nplanned_end: 2021-10-31",
    )  # finished: not late
    code, out, _ = ti("report", "quarterly", CONTRACT, "--output", "out")
    assert (code, out) == (0, "out/quarterly-2021-Q4.md\n")
    text = Path("out/quarterly-2021-Q4.md").read_text(encoding="utf-8")
    assert "| Actions en retard | 1 (n° 4) |" in text
    assert "**Action 4 en retard** : fin prévue le 30 novembre 2021" in text
    assert "Action 6 en retard" not in text


@pytest.mark.parametrize("typed", ["2021-T3", "2021-t3", "2021T3", "2021-q3"])
def test_a_quarter_may_be_typed_the_french_way(sample: Path, typed: str) -> None:
    code, out, err = ti("report", "quarterly", CONTRACT, "--quarter", typed, "--to", "md", "--output", "out")
    assert (code, out) == (0, "out/quarterly-2021-Q3.md\n"), err


# --- the four formats, read back ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def contract_docs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("contract")
    code, stdout, stderr = ti(
        "render", "contract", SAMPLE, "--to", "md", "--to", "html", "--to", "docx", "--to", "pdf", "--output", str(out)
    )
    assert code == 0, stderr
    assert stdout.split() == [str(out / f"contract.{f}") for f in ("md", "html", "docx", "pdf")]
    return out


def test_contract_markdown_has_every_row_and_the_totals(contract_docs: Path) -> None:
    text = (contract_docs / "contract.md").read_text(encoding="utf-8")
    for number, total, investment, operating in ROWS:
        assert re.search(rf"^\| {number} \|.*\| {total} \| {investment} \| {operating} \|$", text, re.M), number
    assert "| **Total (9 actions)** | | **43 823 500 €** | **42 939 000 €** | **884 500 €** |" in text
    # parties and representatives, the articles in file-name order, binômes, chefs de projet
    assert "**Région Nouvelle-Aquitaine** — Alain ROUSSET, Président" in text
    articles = [text.index(f"## Article {n}.") for n in range(1, 8)]
    assert articles == sorted(articles) and text.index("## Préambule") < articles[0]
    assert "| Communauté d'Agglomération Royan Atlantique | Jean-Pierre TALLIEU, Président de la CARA |" in text
    assert "| Fanny GIRARD | chargée de développement économique |" in text
    assert "![Coût des actions par axe](contract-figures/financement-par-axe.png)" in text
    assert (contract_docs / "contract-figures" / "financement-par-axe.png").stat().st_size > 1000


def test_contract_docx_has_a_real_table_with_every_row(contract_docs: Path) -> None:
    import docx

    document = docx.Document(str(contract_docs / "contract.docx"))
    annex = next(t for t in document.tables if t.rows[0].cells[0].text == "N°" and len(t.columns) == 8)
    cells = [[c.text for c in row.cells] for row in annex.rows]
    assert cells[0] == [
        "N°",
        "Axe",
        "Catégorie",
        "Action",
        "Maître d'ouvrage",
        "Coût total HT",
        "Investissement",
        "Fonctionnement",
    ]
    for (number, total, investment, operating), row in zip(ROWS, cells[1:], strict=False):
        assert [row[0], *row[5:]] == [str(number), total, investment, operating]
    assert cells[-1][3] == "Total (9 actions)" and tuple(cells[-1][5:]) == TOTALS
    assert len(cells) == 1 + len(ROWS) + 1
    # the annex is on a landscape page, like the seed's tableau
    assert any(s.page_width > s.page_height for s in document.sections)
    assert document.paragraphs[0].style.name == "Heading 1"


def test_contract_pdf_text_has_every_row_and_the_totals(contract_docs: Path) -> None:
    from pypdf import PdfReader

    text = squash("\n".join(page.extract_text() for page in PdfReader(contract_docs / "contract.pdf").pages))
    for number, total, investment, operating in ROWS:
        assert squash(f"{total} {investment} {operating}") in text, number
    assert squash("Total (9 actions) 43 823 500 € 42 939 000 € 884 500 €") in text
    assert squash("Développement du Port de commerce de Rochefort & Tonnay-Charente") in text


def test_contract_html_is_a_standalone_page(contract_docs: Path) -> None:
    html = (contract_docs / "contract.html").read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and '<html lang="fr">' in html
    assert "@page" in html and "<link" not in html  # print CSS inlined
    assert 'src="data:image/png;base64,' in html  # charts embedded
    assert '<table class="wide">' in html
    assert '<td style="text-align:right"><strong>43 823 500 €</strong></td>' in html


@pytest.fixture(scope="module")
def quarterly_docs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("quarterly")
    code, _, stderr = ti("report", "quarterly", SAMPLE, "--to", "docx,pdf", "--output", str(out))
    assert code == 0, stderr
    return out


def test_quarterly_docx_and_pdf(quarterly_docs: Path) -> None:
    import docx
    from pypdf import PdfReader

    document = docx.Document(str(quarterly_docs / "quarterly-2021-Q4.docx"))
    follow = next(t for t in document.tables if t.rows[0].cells[1].text == "Action")
    rows = [[c.text for c in row.cells] for row in follow.rows]
    assert [r[0] for r in rows[1:-1]] == [str(n) for n, *_ in ROWS]
    assert rows[6][2:8] == ["Terminé", "100 %", "+25 pts", "20 000 €", "18 500 €", "−1 500 €"]
    assert rows[-1][3:] == ["26,6 %", "+7,4 pts", "43 823 500 €", "9 514 500 €", "−34 309 000 €"]
    text = squash("\n".join(p.extract_text() for p in PdfReader(quarterly_docs / "quarterly-2021-Q4.pdf").pages))
    assert squash("Avancement global (pondéré par le coût des actions) 26,6 %") in text
    assert squash("Action 5 non renseignée ce trimestre") in text
    assert squash("Total 26,6 % +7,4 pts 43 823 500 € 9 514 500 € −34 309 000 €") in text


# --- the commands -------------------------------------------------------------------------------------


def test_quarterly_defaults_to_the_latest_progress_file(sample: Path) -> None:
    code, out, _ = ti("report", "quarterly", CONTRACT)
    assert (code, out) == (0, "out/quarterly-2021-Q4.md\n")
    code, out, _ = ti("report", "quarterly", CONTRACT, "-q", "2021-Q3", "-o", "q3.html")
    assert (code, out) == (0, "q3.html\n")
    assert "<h1>État d'avancement — 3e trimestre 2021</h1>" in Path("q3.html").read_text(encoding="utf-8")


def test_quarterly_names_several_actions_without_spending_in_french(sample: Path) -> None:
    q4 = f"{CONTRACT}/progress/2021-Q4.yaml"
    edit(q4, "    spent: {investment: 4350000, operating: 42000}\n", "")
    edit(q4, "    spent: {investment: 2600000, operating: 110000}\n", "")
    code, out, _ = ti("report", "quarterly", CONTRACT, "-q", "2021-Q4", "-o", "q4.md")
    assert code == 0, out
    text = said(Path("q4.md").read_text(encoding="utf-8"))
    assert (
        "Aucune dépense déclarée pour les actions n° 1 et 2 : elles comptent pour 0 € dans les dépenses réalisées"
        in text
    )
    assert "l'actions" not in text


@pytest.mark.parametrize(
    ("quarter", "message"),
    [
        ("2020-Q1", "aucun fichier d'état d'avancement pour 2020-Q1 (il y a : 2021-Q2, 2021-Q3, 2021-Q4)"),
        ("2021-4", "--quarter 2021-4 : écrivez le trimestre AAAA-QN, par exemple 2021-Q4"),
    ],
)
def test_quarterly_unknown_quarter_is_a_usage_error(quarter: str, message: str) -> None:
    code, _, err = ti("report", "quarterly", SAMPLE, "--quarter", quarter)
    assert code == 2 and message in err.replace("\u00a0", " ")


def test_completion_report(sample: Path) -> None:
    import docx

    code, out, _ = ti("report", "completion", CONTRACT, "6", "--to", "md,docx")
    assert (code, out.split()) == (0, ["out/completion-06.md", "out/completion-06.docx"])
    facts = docx.Document("out/completion-06.docx").tables[0]  # a key/value table: no empty header row
    assert [c.text for c in facts.rows[0].cells] == ["Axe", "Attirer"]
    assert [c.text for c in facts.rows[5].cells] == ["Écart réalisé − prévu", "−1 500 €"]
    code, _, err = ti("report", "completion", CONTRACT, "5")
    assert code == 1 and "l'action 5 n'est pas terminée" in err
    code, _, err = ti("report", "completion", CONTRACT, "42")
    assert code == 2 and "(ses actions : 1, 2, 3, 4, 5, 6, 7, 8, 9)" in err.replace("\u00a0", " ")
    assert "pas d'action n° 42 dans " in err


def test_completion_needs_the_report_of_a_finished_action(sample: Path) -> None:
    # rule TI (warning) flags it; the command refuses to write an empty report
    progress = Path(f"{CONTRACT}/progress/2021-Q4.yaml")
    text = progress.read_text(encoding="utf-8")
    start = text.index("    completion_report:")
    end = text.index("  - number: 7")
    progress.write_text(text[:start] + text[end:], encoding="utf-8")
    code, _, err = ti("report", "completion", CONTRACT, "6")
    assert code == 1 and (
        "l'action 6 est terminée au 4e trimestre 2021 mais cet état d'avancement ne donne pas son "
        "completion_report (résultats, pérennisation)"
    ) in err.replace("\u00a0", " ").replace("\u202f", " ")


def test_fiche_one_or_all(sample: Path) -> None:
    code, out, _ = ti("render", "fiche", CONTRACT, "3", "--to", "docx")
    assert (code, out) == (0, "out/fiche-03.docx\n")
    code, out, _ = ti("render", "fiche", CONTRACT, "--all", "-o", "fiches")
    assert code == 0 and out.split() == [f"fiches/fiche-{n:02d}.md" for n in range(1, 10)]
    assert "# Fiche action n° 9 — Densification" in Path("fiches/fiche-09.md").read_text(encoding="utf-8")
    assert ti("render", "fiche", CONTRACT)[0] == 2
    assert ti("render", "fiche", CONTRACT, "12")[0] == 2


def test_broken_data_renders_nothing(sample: Path) -> None:
    edit(f"{CONTRACT}/actions/01-filiere-aeronautique.yaml", "total: 16753500", "total: 16753501")
    code, out, err = ti("render", "contract", CONTRACT)
    assert code == 1 and out == "" and "TI0" in err
    assert not Path("out").exists()


def test_pdf_engine_missing_fails_alone(sample: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "typst", None)  # import typst now raises ImportError
    code, out, err = ti("render", "fiche", CONTRACT, "1", "--to", "md", "--to", "pdf")
    assert code == 2 and "paquet Python « typst »" in said(err) and len(err.strip().splitlines()) == 1
    assert out == "" and Path("out/fiche-01.md").is_file() and not Path("out/fiche-01.pdf").exists()


def test_output_file_and_format_must_agree(sample: Path) -> None:
    assert ti("render", "fiche", CONTRACT, "1", "-o", "f.pdf", "--to", "html")[0] == 2
    assert ti("render", "fiche", CONTRACT, "1", "--to", "odt")[0] == 2
    code, out, _ = ti("render", "fiche", CONTRACT, "1", "-o", "f.pdf", "--to", "pdf", "--to", "md")
    assert (code, out.split()) == (0, ["f.md", "f.pdf"])


# --- templates: strict, escaped, sandboxed, overridable ----------------------------------------------


def test_user_template_overrides_and_typos_fail_loudly(sample: Path) -> None:
    Path("mine").mkdir()
    Path("mine/fiche.md.j2").write_text("# Ma fiche {{ action.number }} : {{ row.total | euros }}\n", encoding="utf-8")
    code, _, _ = ti("render", "fiche", CONTRACT, "1", "--templates", "mine")
    assert code == 0 and Path("out/fiche-01.md").read_text(encoding="utf-8") == "# Ma fiche 1 : 16 753 500 €\n"
    Path("mine/fiche.md.j2").write_text("# Fiche\n\n{{ action.titel }}\n", encoding="utf-8")
    code, _, err = ti("render", "fiche", CONTRACT, "1", "--templates", "mine")
    assert code == 2 and "fiche.md.j2:3:" in err and "titel" in err  # the template, its line, the name


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("{{ action.__class__.__mro__ }}", "__class__"),
        ('{{ "a" * 10**11 }}', "trop gourmand"),  # refused before it eats the memory
        ("{{ 1 / 0 }}", "ZeroDivisionError"),
    ],
)
def test_user_templates_are_sandboxed(sample: Path, source: str, message: str) -> None:
    Path("mine").mkdir()
    Path("mine/fiche.md.j2").write_text(source, encoding="utf-8")
    code, _, err = ti("render", "fiche", CONTRACT, "1", "--templates", "mine")
    assert code == 2 and message in err and "Traceback" not in err


def test_text_from_yaml_is_shown_as_typed_in_every_format(sample: Path) -> None:
    edit(
        f"{CONTRACT}/actions/06-conciergerie-territoriale.yaml",
        "title: Création d'une conciergerie territoriale",
        'title: "Conciergerie <script>alert(1)</script> | A & B *pilote*"',
    )
    code, _, err = ti("render", "contract", CONTRACT, "--to", "html,docx")
    assert code == 0, err
    html = Path("out/contract.html").read_text(encoding="utf-8")
    assert "<script>" not in html and "Conciergerie &lt;script&gt;alert(1)&lt;/script&gt; | A &amp; B *pilote*" in html
    import docx

    annex = next(t for t in docx.Document("out/contract.docx").tables if len(t.columns) == 8)
    assert annex.rows[6].cells[3].text == "Conciergerie <script>alert(1)</script> | A & B *pilote*"
    assert annex.rows[6].cells[5].text == "20 000 €"
