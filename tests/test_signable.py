"""Documents signable as is, in Word as in PDF (issue 24): no code of the YAML in what a partner reads,
the fiche's figures, a Word file with its footer fields, its column widths, French proofing and the
territory as author, pages that hold together — read back from the files as a signatory would."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from conftest import CONTRACT, PACTE, ROOT, edit, said
from ti_cli.cli import app
from ti_cli.model import programme
from ti_cli.render.markdown import shorten, to_html
from ti_cli.render.typeset import to_typst

PLAN = f"{CONTRACT}-2023"
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
TERRITORY = "Territoire d'industrie Rochefort – Royan – Marennes – Oléron"
runner = CliRunner()


def ti(*args: str) -> None:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output


def pages(pdf: Path) -> list[str]:
    from pypdf import PdfReader

    return [page.extract_text() for page in PdfReader(pdf).pages]


@pytest.fixture(scope="module")
def documents(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every document type of the sample, as Markdown (what every format is made from)."""
    out = tmp_path_factory.mktemp("signable")
    contract, plan, pacte = str(ROOT / CONTRACT), str(ROOT / PLAN), str(ROOT / PACTE)
    ti("render", "contract", contract, "--to", "md", "-o", str(out / "contract"))
    ti("render", "contract", plan, "--to", "md", "-o", str(out / "plan"))
    ti("render", "fiche", contract, "--all", "--to", "md", "-o", str(out / "fiches"))
    ti("render", "fiche", plan, "--all", "--to", "md", "-o", str(out / "plan-fiches"))
    ti("report", "quarterly", contract, "--to", "md", "-o", str(out / "quarterly"))
    ti("report", "quarterly", plan, "--to", "md", "-o", str(out / "plan-quarterly"))
    ti("report", "completion", contract, "6", "--to", "md", "-o", str(out / "completion"))
    ti("report", "evaluation", plan, "--as-of", "2026-11-23", "--to", "md", "-o", str(out / "evaluation"))
    ti("pacte", "report", pacte, "--as-of", "2026-11-23", "--to", "md", "-o", str(out / "pacte"))
    for member in (ROOT / PACTE / "members").glob("*.yaml"):
        ti("pacte", "fiche", pacte, member.stem, "--as-of", "2026-11-23", "--to", "md", "-o", str(out / "members"))
    return out


def _codes() -> set[str]:
    """What the YAML says in codes: axes, stages, statuses, decision kinds and bodies, dispositifs,
    indicators, financers, parties, the pacte's engagements and members."""
    codes = {a for a in programme.ALL_AXES} | {"a_lancer", "en_cours", "a_confirmer", "validee"}
    codes |= {"avis-fonds-vert", "copil-local", "copil-regional", "comite-de-projets", "fonds-vert-ti"}
    codes |= {k for k in programme.DISPOSITIFS if k != "autre"} | set(programme.INDICATORS)
    for folder in (CONTRACT, PLAN):
        data = yaml.safe_load((ROOT / folder / "contract.yaml").read_text(encoding="utf-8"))
        codes |= {p["id"] for p in data.get("parties", [])} | {f["id"] for f in data.get("financers", [])}
    pacte = yaml.safe_load((ROOT / PACTE / "pacte.yaml").read_text(encoding="utf-8"))
    codes |= {c["id"] for t in pacte["themes"] for c in t.get("commitments", [])}
    codes |= {p.stem for p in (ROOT / PACTE / "members").glob("*.yaml")}
    return codes  # « etat » without its accent is a code, « État » the word


def test_no_code_of_the_yaml_appears_in_any_document(documents: Path) -> None:
    codes = _codes()
    assert {"COMPETENCES", "attr-e1", "avis-fonds-vert", "fonds-vert-ti", "caro"} <= codes
    pattern = re.compile(
        r"(?<![\w-])(" + "|".join(map(re.escape, sorted(codes, key=len, reverse=True))) + r")(?![\w-])"
    )
    # A stage's key is a French verb (« la Région engage »): looked for where a stage is printed, in a cell.
    stages = re.compile(r"\| (sollicite|engage|verse|refuse) \|")
    found = {}
    for path in sorted(documents.rglob("*.md")):
        text = re.sub(r"!\[[^\]]*\]\([^)]*\)", "", path.read_text(encoding="utf-8"))  # image files are named
        # The signed text (text/*.md) is the territory's own words (« Axe ATTIRER »), printed as written.
        text = re.sub(r"(?s)\n---\n.*?(?=\n## Gouvernance : binômes)", "", text)
        hits = sorted(set(pattern.findall(text)) | set(stages.findall(text)))
        if hits:
            found[path.relative_to(documents).as_posix()] = hits
    assert found == {}


def test_the_plan_annex_names_the_axes(documents: Path) -> None:
    text = (documents / "plan" / "contract.md").read_text(encoding="utf-8")
    assert "| 3 | Lever les freins au recrutement, compétences et attractivité | Structurante |" in text
    assert "| 3 | COMPETENCES |" not in text


def test_the_fiche_a_partner_reads_has_the_actions_figures(documents: Path) -> None:
    fiche = said((documents / "plan-fiches" / "fiche-01.md").read_text(encoding="utf-8"))
    assert "| Début prévu | 1er janvier 2024 |" in fiche
    assert "| État | engagé | FNADT | 600 000 € | 240 000 € | Arrêté préfectoral (illustratif), 10/06/2024 |" in fiche
    assert "| CARO | versé | – | 720 000 € | 720 000 € | – |" in fiche
    assert "| **Total des financements identifiés** | | | **2 100 000 €** | **960 000 €** | |" in fiche
    assert "| Acquis (obtenu, engagé ou versé) | 1 800 000 € |" in fiche
    assert "| Sollicité | 300 000 € |" in fiche
    assert "| Payé à ce jour | 960 000 € |" in fiche
    assert "| **Reste à financer** | **660 000 €** |" in fiche
    assert "| dont sans financeur identifié | 360 000 € |" in fiche
    assert "| Foncier industriel mobilisé | 20 ha | 8,5 ha | 30 juin 2026 |" in fiche
    assert "| Emplois créés | 150 ETP | 35 ETP | 30 juin 2026 |" in fiche
    assert (
        "- **14 mars 2024**, Comité de pilotage local du 14 mars 2024 — validation : "
        "Validation de la commercialisation du foncier de l'aéroport (20 ha)"
    ) in fiche
    fonds_vert = said((documents / "plan-fiches" / "fiche-05.md").read_text(encoding="utf-8"))
    assert (
        "| État | engagé | Fonds vert axe 3 « Territoires d'industrie en transition écologique », volet 1 | "
        "540 000 € | 162 000 € | Décision ADEME (illustrative), 20/01/2025 |"
    ) in fonds_vert
    assert "| Émissions de GES évitées | 1 200 tCO2e/an | 300 tCO2e/an | 31 décembre 2025 |" in fonds_vert
    assert "avis sur le Fonds vert (favorable) : Avis favorable au dossier Fonds vert axe 3 volet 1" in fonds_vert
    assert "| **Reste à financer** | **0 €** |" in fonds_vert


def test_a_fiche_never_says_0_euros_spent_when_the_progress_report_gave_no_spending(documents: Path) -> None:
    # action 6 of the plan: « a_lancer, progress: 0 » and no ``spent`` in 2026-Q3 — nothing was declared
    fiche = said((documents / "plan-fiches" / "fiche-06.md").read_text(encoding="utf-8"))
    state = fiche.split("## Dernier état d'avancement")[1]
    assert "3e trimestre 2026 : à lancer, avancement 0 %, dépenses réalisées non déclarées." in state
    assert "0 €" not in state
    declared = said((documents / "plan-fiches" / "fiche-05.md").read_text(encoding="utf-8"))
    assert "dépenses réalisées 1 300 000 € (investissement 1 300 000 €, fonctionnement 0 €)" in declared


def test_the_quarterly_report_never_says_0_euros_spent_when_no_spending_was_declared(documents: Path) -> None:
    report = said(next((documents / "plan-quarterly").glob("*.md")).read_text(encoding="utf-8"))
    detail = report.split("6. Animation de l'écosystème d'innovation")[1].split("\n\n")[1]
    assert "réalisé non déclaré sur 120 000 € prévus" in detail
    row = next(line for line in report.splitlines() if line.startswith("| 6 | Animation"))
    assert row.endswith("| 120 000 € | non déclaré | – |")
    assert (
        "Aucune dépense déclarée pour l'action n° 6 : elle compte pour 0 € dans les dépenses réalisées, et les "
        "écarts réalisé − prévu ne portent que sur les actions qui déclarent leurs dépenses."
    ) in report
    # the plan's variance leaves action 6 out: the total of « Écart » is the sum of the declared ones
    from decimal import Decimal

    def euros(cell: str) -> Decimal:
        return Decimal(re.sub(r"[*\s€+]", "", cell).replace("−", "-").replace(",", "."))

    lines = report.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("| N° | Action | Statut"))
    end = next(i for i in range(start, len(lines)) if "**Total**" in lines[i])
    gaps = [line.split("|")[-2] for line in lines[start + 2 : end]]
    declared = sum(euros(g) for g in gaps if g.strip() != "–")
    assert euros(lines[end].split("|")[-2]) == declared and len(gaps) == 6
    assert euros(next(line for line in lines if line.startswith("| Écart réalisé − prévu")).split("|")[-2]) == declared
    assert "réalisé 1 300 000 € sur 1 800 000 € prévus" in report  # action 5 declared its spending


def test_a_phase_1_fiche_never_says_acquis_0_when_amounts_are_unknown(documents: Path) -> None:
    fiche = said((documents / "fiches" / "fiche-01.md").read_text(encoding="utf-8"))
    assert "Financements acquis (éligibilité validée) : 6 lignes validées, montants non précisés." in fiche
    assert "Acquis (éligibilité validée) | 0 €" not in fiche


def test_a_loan_is_marked_on_the_fiche(sample: Path) -> None:
    edit(
        f"{CONTRACT}/actions/06-conciergerie-territoriale.yaml",
        "financing: []",
        "financing:\n  - {financer: bdt-prets, eligibility: validee, amount: 5000}",
    )
    ti("render", "fiche", CONTRACT, "6", "--to", "md", "-o", "out")
    fiche = said((sample / "out" / "fiche-06.md").read_text(encoding="utf-8"))
    assert "| Banque des territoires (prêts) (prêt) | validée | – | 5 000 € |" in fiche
    assert "| Acquis (éligibilité validée), dont prêts 5 000 € | 5 000 € |" in fiche
    assert "| **Reste à financer** | **15 000 €** |" in fiche


def test_the_signature_formula_is_the_seeds(documents: Path) -> None:
    text = said((documents / "contract" / "contract.md").read_text(encoding="utf-8"))
    assert "Fait à …, le …, en … exemplaires." in text


def test_no_empty_heading_in_the_completion_report(sample: Path) -> None:
    report = sample / CONTRACT / "progress" / "2021-Q4.yaml"
    data = yaml.safe_load(report.read_text(encoding="utf-8"))
    entry = next(a for a in data["actions"] if a["number"] == 6)
    for key in ("milestones", "comment"):
        entry.pop(key, None)
    entry["completion_report"].pop("implementation", None)
    report.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    ti("report", "completion", CONTRACT, "6", "--to", "md", "-o", "out")
    text = (sample / "out" / "completion-06.md").read_text(encoding="utf-8")
    assert "Modalités de mise en œuvre" not in text
    assert "## Résultats atteints" in text


def test_placeholders_are_highlighted_in_every_format() -> None:
    markdown = "Vu la délibération n°XXX du …. [à compléter : date]\n"
    typst = to_typst(markdown, Path("."), "", "T")
    assert "#highlight[XXX]" in typst and "#highlight[[à compléter : date]]" not in typst
    assert typst.count("#highlight[") == 3
    html = said(to_html(markdown, Path(".")))
    assert "<mark>XXX</mark>" in html and "<mark>[à compléter : date]</mark>" in html


def test_a_long_title_is_cut_on_a_whole_word() -> None:
    title = "Fiche action n° 2 — Aménagement du second foncier stratégique aéronautique (hub des mobilités)"
    cut = shorten(title, 60)
    assert cut == "Fiche action n° 2 — Aménagement du second foncier\u00a0…"
    assert shorten("Court", 60) == "Court"


def test_a_long_title_never_runs_into_the_page_number_in_the_pdf(sample: Path) -> None:
    long = "Réhabilitation " + " ".join(["des infrastructures portuaires et aéroportuaires"] * 4)
    edit(
        f"{PLAN}/actions/05-decarbonation-site-industriel.yaml", "title: Décarbonation", f"title: {long} Décarbonation"
    )
    ti("render", "fiche", PLAN, "5", "--to", "pdf,docx", "-o", "out")
    for text in pages(sample / "out" / "fiche-05.pdf"):
        footer = text.strip().splitlines()[-1]
        assert re.search(r"…\s*page \d+ sur \d+$", footer), footer
    from docx import Document

    footer = Document(str(sample / "out" / "fiche-05.docx")).sections[0].footer.paragraphs[0].text
    # (the field's values, N and M, are not paragraph text: Word counts them)
    assert re.fullmatch(
        r"Fiche action n° 5 — Réhabilitation des infrastructures [^…]{10,60}\u00a0…\tpage  sur ", footer
    )


def test_a_small_wide_table_stays_on_its_portrait_page(tmp_path: Path) -> None:
    from pypdf import PdfReader

    ti("report", "evaluation", str(ROOT / PLAN), "--as-of", "2026-11-23", "--to", "pdf", "-o", str(tmp_path))
    reader = PdfReader(next(tmp_path.glob("*.pdf")))
    for page in reader.pages:
        assert page.mediabox.width < page.mediabox.height  # no landscape page for a four-row table
    first = reader.pages[0].extract_text()
    assert "Par axe" in first and "Mobiliser un foncier industriel adapté" in first


# --- Word --------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def contract_docx(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("word")
    ti("render", "contract", str(ROOT / CONTRACT), "--to", "docx", "-o", str(out))
    return out / "contract.docx"


def test_word_footer_has_the_title_and_page_fields(contract_docx: Path) -> None:
    from docx import Document

    document = Document(str(contract_docx))
    assert len(document.sections) >= 2  # the annex's landscape pages are a section of their own
    for section in document.sections:
        xml = section.footer._element.xml
        assert 'w:instr=" PAGE "' in xml and 'w:instr=" NUMPAGES "' in xml
        text = "".join(t.text or "" for t in section.footer._element.iter() if t.tag.endswith("}t"))
        assert text.startswith("Contrat Territoire d'industrie Rochefort") and "page 1 sur 1" in text


def test_word_properties_are_the_documents(contract_docx: Path) -> None:
    from docx import Document

    core = Document(str(contract_docx)).core_properties
    assert core.title == "Contrat Territoire d'industrie Rochefort – Royan – Marennes – Oléron"
    assert core.author == TERRITORY and core.last_modified_by == TERRITORY
    now = dt.datetime.now(dt.UTC)
    assert core.created is not None and abs((now - core.created.replace(tzinfo=dt.UTC)).total_seconds()) < 600
    assert core.modified == core.created
    assert "python-docx" not in (core.comments or "")


def test_word_proofs_in_french(contract_docx: Path) -> None:
    from docx import Document
    from docx.oxml.ns import qn

    document = Document(str(contract_docx))
    styles = document.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    assert defaults is not None
    assert {lang.get(qn("w:val")) for lang in defaults.iter(qn("w:lang"))} == {"fr-FR"}
    assert {lang.get(qn("w:val")) for lang in styles.iter(qn("w:lang"))} == {"fr-FR"}


def test_word_table_grids_carry_the_cells_widths(contract_docx: Path) -> None:
    from docx import Document

    document = Document(str(contract_docx))
    assert len(document.tables) >= 7
    for table in document.tables:
        grid = [column.w for column in table._tbl.tblGrid.gridCol_lst]
        cells = [tc.width for tc in table._tbl.tr_lst[0].tc_lst]
        assert grid == cells
        assert len(set(grid)) > 1 or len(grid) == 1  # never python-docx's equal columns


def test_word_keeps_the_signature_block_together(contract_docx: Path) -> None:
    from docx import Document

    document = Document(str(contract_docx))
    formula = next(p for p in document.paragraphs if p.text.startswith("Fait à"))
    assert formula.paragraph_format.keep_with_next
    heading = next(p for p in document.paragraphs if p.text == "Signatures")
    assert heading.paragraph_format.keep_with_next or heading.style.paragraph_format.keep_with_next
    signatures = next(t for t in document.tables if t.rows[0].cells[-1].text == "Signature")
    for row in signatures.rows:
        assert (
            row._tr.trPr is not None
            and row._tr.trPr.find("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}cantSplit") is not None
        )
    highlighted = {run.text for p in document.paragraphs for run in p.runs if run.font.highlight_color}
    assert {"XXX", "…"} <= highlighted  # the blanks of the signed text, to fill in


def in_libreoffice(document: Path, tmp_path: Path) -> Path:
    """The Word file as LibreOffice lays it out: its PDF, made with a profile of its own (no user's)."""
    done = subprocess.run(
        [
            str(SOFFICE),
            f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(document),
        ],
        capture_output=True,
        timeout=240,
        check=False,
        env={"HOME": str(tmp_path), "PATH": "/usr/bin:/bin"},
    )
    assert done.returncode == 0, done.stderr
    return tmp_path / document.with_suffix(".pdf").name


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")
def test_word_in_libreoffice_keeps_the_signatures_on_one_page_and_numbers_pages(
    contract_docx: Path, tmp_path: Path
) -> None:
    text = pages(in_libreoffice(contract_docx, tmp_path))
    where = [i for i, t in enumerate(text) if "Fait à" in t]
    assert len(where) == 1
    page = re.sub(r"\s", "", text[where[0]])
    assert "Signatures" in page
    for party in ("Communautéd'AgglomérationRochefortOcéan", "RégionNouvelle-Aquitaine", "Bpifrance", "SASOcqueteau"):
        assert party in page
    for number, content in enumerate(text, 1):
        assert f"page {number} sur {len(text)}" in content
        assert "Contrat Territoire d'industrie Rochefort" in content
    words = re.sub(r"\s+", " ", " ".join(text))
    assert "Fonctionnemen t" not in words and "Fonctionnemen\nt" not in " ".join(text)


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")
def test_word_in_libreoffice_breaks_no_word_of_the_evaluations_tables(tmp_path: Path) -> None:
    """The stage tables of the evaluation put « Montant » in a first column measured with an average
    capital: LibreOffice (its fallback font, DejaVu Sans) broke it as « Montan/t »."""
    ti("report", "evaluation", str(ROOT / PLAN), "--as-of", "2026-11-23", "--to", "docx", "-o", str(tmp_path))
    [docx_file] = tmp_path.glob("evaluation-*.docx")
    text = "\n".join(pages(in_libreoffice(docx_file, tmp_path)))
    assert "Montant" in text and not re.search(r"Montan\s+t\b", text)


def test_a_chart_stays_with_its_section(tmp_path: Path) -> None:
    from pypdf import PdfReader

    ti("render", "contract", str(ROOT / PLAN), "--to", "pdf", "-o", str(tmp_path))
    reader = PdfReader(tmp_path / "contract.pdf")
    page = next(p for p in reader.pages if "Synthèse par axe et par catégorie" in (p.extract_text() or ""))
    assert len(page.images) == 3  # cost by axis, investment / operating, secured / to find


def test_word_footer_tab_is_the_pages_right_edge(contract_docx: Path) -> None:
    from docx import Document
    from docx.enum.text import WD_TAB_ALIGNMENT

    for section in Document(str(contract_docx)).sections:
        stops = list(section.footer.paragraphs[0].paragraph_format.tab_stops)
        right = [s for s in stops if s.alignment == WD_TAB_ALIGNMENT.RIGHT]
        assert [s.position for s in right] == [section.page_width - section.left_margin - section.right_margin]
        # the Footer style's stops (for a Letter page) are cleared: the title is never pushed to a centre stop
        assert all(s.alignment in (WD_TAB_ALIGNMENT.RIGHT, WD_TAB_ALIGNMENT.CLEAR) for s in stops)


def test_the_author_of_a_document_is_its_territory() -> None:
    from types import SimpleNamespace

    from ti_cli.render.documents import author_of, title_of

    plan = SimpleNamespace(
        title="Plan d'actions Territoire d'industrie Rochefort – Royan – Marennes – Oléron 2023-2027"
    )
    assert author_of({"contract": plan}) == TERRITORY
    pacte = SimpleNamespace(title="Pacte industrie-territoire de Rochefort-Royan-Marennes-Oléron")
    assert author_of({"pacte": pacte}) == "Territoire d'industrie Rochefort-Royan-Marennes-Oléron"
    assert title_of("# Fiche n° 1 — Hub\\_aéro \\*2\\*\n", "x") == "Fiche n° 1 — Hub_aéro *2*"  # escapes off


def test_a_heading_with_nothing_under_it_is_not_printed() -> None:
    html = to_html("# T\n\n## Vide\n\n## Plein\n\nTexte.\n\n### Sous-partie\n\nA.\n\n## Fin\n", Path("."))
    assert "Vide" not in html and "Fin" not in html
    assert "<h2>Plein</h2>" in html and "<h3>Sous-partie</h3>" in html and "<h1>T</h1>" in html


def test_what_is_left_to_find_never_says_more_is_requested_than_the_requested_total(sample: Path) -> None:
    # a Région line « sollicité » without amount: the whole rest of action 3 is awaited from the Région, but
    # « dont 5 900 000 € sollicités » after « sollicités : 2 100 000 € » read as two figures for one thing
    edit(
        f"{PLAN}/actions/03-pole-formation-maison-industries.yaml",
        "  - {financer: caro, status: engage, amount: 1100000}",
        "  - {financer: caro, status: engage, amount: 1100000}\n  - {financer: europe, status: sollicite}",
    )
    ti("render", "contract", PLAN, "--to", "md", "-o", "out")
    text = said(Path("out/contract.md").read_text(encoding="utf-8"))
    sentence = text.split("Financements acquis (obtenus, engagés ou versés)")[1].split("\n")[0]
    assert "sollicités : 2 560 000 €" in sentence
    assert "dont 4 460 000 € sollicités" not in sentence  # 4 460 000 € is not what was requested
    assert "dont 4 460 000 € attendus des financeurs identifiés (sollicités ou au montant à préciser)" in sentence
