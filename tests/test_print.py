"""Documents a préfet signs (issue 12): French typography, pages that hold together, the financing plan
in full, one truth per fact, the avenant in the contract's language, Word styles — read back from the
PDF (pypdf) and the Word file (python-docx) as a signatory would see them."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import CONTRACT, edit, said
from ti_cli import french
from ti_cli.cli import app
from ti_cli.render.typeset import escape

NN, NB, MINUS = "\u202f", "\u00a0", "\u2212"
P4 = f"{CONTRACT}/progress/2021-Q4.yaml"
runner = CliRunner()


def ti(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def pages(pdf: Path) -> list[str]:
    from pypdf import PdfReader

    return [page.extract_text() for page in PdfReader(pdf).pages]


# --- french.py: one place for every output --------------------------------------------------------


def test_amounts_percentages_and_dates_cannot_break() -> None:
    assert french.euros(Decimal("16753500")) == f"16{NN}753{NN}500{NB}€"
    assert french.euros(Decimal("-7220000")) == f"{MINUS}7{NN}220{NN}000{NB}€"
    assert french.euros(Decimal("11593.5")) == f"11{NN}593,50{NB}€"
    assert french.percent(Decimal("5.6"), 1) == f"5,6{NB}%"
    assert french.signed(Decimal("5.6"), "%", 1) == f"+5,6{NB}%"
    assert french.signed(Decimal("-1500")) == f"{MINUS}1{NN}500{NB}€"
    assert french.signed(Decimal("0")) == f"0{NB}€"
    assert french.date_long(dt.date(2020, 1, 1)) == f"1er{NB}janvier 2020"


def test_typography_fixes_spaces_typed_before_punctuation_only() -> None:
    assert french.typography("Statut : signé ; « oui » ! Vraiment ?") == (
        f"Statut{NB}: signé{NN}; «{NB}oui{NB}»{NN}! Vraiment{NN}?"
    )
    assert french.typography("à 10:30, https://x.fr, 1;2") == "à 10:30, https://x.fr, 1;2"


def test_typst_escape_leaves_nothing_to_interpret() -> None:
    assert escape("#set $x$ *a* _b_ <c> @d = - + / [e] ~ // f") == (
        r"\#set \$x\$ \*a\* \_b\_ \<c\> \@d \= \- \+ \/ \[e\] \~ \/\/ f"
    )


# --- the contract in PDF and Word --------------------------------------------------------------------


@pytest.fixture(scope="module")
def contract_docs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    import os
    import shutil

    from conftest import ROOT

    folder = tmp_path_factory.mktemp("print")
    shutil.copytree(ROOT / "data", folder / "data")
    old = Path.cwd()
    os.chdir(folder)
    try:
        code, _, err = ti("render", "contract", CONTRACT, "--to", "pdf,docx", "-o", "out")
        assert code == 0, err
    finally:
        os.chdir(old)
    return folder / "out"


def test_pdf_amounts_carry_no_break_spaces_and_the_footer_names_the_document(contract_docs: Path) -> None:
    text = pages(contract_docs / "contract.pdf")
    annex = next(t for t in text if "Annexe" in t and "Tableau des actions" in t)
    assert f"16{NN}753{NN}500{NB}€" in annex and f"43{NN}823{NN}500{NB}€" in annex
    assert not re.search(r"\d \d{3}\b|\d €", annex)  # no ordinary space inside or after an amount
    total = len(text)
    for number, page in enumerate(text, 1):
        assert f"page {number} sur {total}" in page
        assert "Contrat Territoire d'industrie Rochefort" in page


def test_the_signature_block_holds_on_one_page(contract_docs: Path) -> None:
    text = pages(contract_docs / "contract.pdf")
    where = [i for i, t in enumerate(text) if "Fait à" in t]
    assert len(where) == 1
    page = re.sub(r"\s", "", text[where[0]])
    assert "Signatures" in page
    for party in ("Communautéd'AgglomérationRochefortOcéan", "RégionNouvelle-Aquitaine", "Bpifrance", "SASOcqueteau"):
        assert party in page


def test_summary_tables_never_leave_a_row_alone(contract_docs: Path) -> None:
    text = pages(contract_docs / "contract.pdf")
    page = next(t for t in text if "Synthèse par axe" in t)
    for row in ("Attirer", "Recruter", "Innover", "Structurante", "Amorçage"):
        assert row in page


def test_the_annex_gives_each_financer_and_splits_what_is_left_to_find(contract_docs: Path) -> None:
    text = re.sub(r"[ \n]+", " ", "\n".join(pages(contract_docs / "contract.pdf")))  # keeps no-break spaces
    assert "5 BPI France à confirmer – non précisé" in text
    assert "6 sans financeur identifié" in text
    # Unknown is not zero (SPEC §14): the signed contract gives no amount for its validated lines
    assert (
        f"Financements acquis (éligibilité validée){NB}: 16 lignes validées, montants non précisés dans le contrat."
    ) in text
    assert f"acquis{NB}: 0{NB}€" not in text.lower() and "Financements sécurisés" not in text


def test_word_file_uses_styles_and_keeps_the_signature_rows_together(contract_docs: Path) -> None:
    import docx

    document = docx.Document(str(contract_docs / "contract.docx"))
    assert {"Heading 1", "Heading 2"} <= {p.style.name for p in document.paragraphs}
    annex = next(t for t in document.tables if t.rows[0].cells[0].text == "N°" and len(t.columns) == 8)
    assert annex.rows[1].cells[5].text == f"16{NN}753{NN}500{NB}€"
    assert annex.rows[1].cells[5].paragraphs[0].style.name == "Tableau"
    signatures = next(t for t in document.tables if t.rows[0].cells[-1].text == "Signature")
    for row in signatures.rows:
        assert row._tr.trPr.find("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}cantSplit") is not None


def test_a_reference_docx_gives_its_styles(sample: Path) -> None:
    import docx
    from docx.shared import RGBColor

    reference = docx.Document()
    reference.styles["Heading 1"].font.color.rgb = RGBColor(0xC0, 0x00, 0x00)
    reference.add_paragraph("texte du modèle, à ne pas reprendre")
    reference.save("charte.docx")
    code, _, err = ti("render", "fiche", CONTRACT, "6", "--to", "docx", "--reference-docx", "charte.docx")
    assert code == 0, err
    document = docx.Document("out/fiche-06.docx")
    assert document.styles["Heading 1"].font.color.rgb == RGBColor(0xC0, 0x00, 0x00)
    assert "texte du modèle" not in "\n".join(p.text for p in document.paragraphs)
    Path("broken.docx").write_text("not a word file", encoding="utf-8")
    code, _, err = ti("render", "fiche", CONTRACT, "6", "--to", "docx", "--reference-docx", "broken.docx")
    assert code == 2 and "broken.docx" in err and "Traceback" not in err


# --- one truth per fact ------------------------------------------------------------------------------


def test_an_overdue_milestone_makes_the_action_late_everywhere(sample: Path) -> None:
    edit(
        P4,
        "label: Démarrage des travaux de viabilisation, done: true",
        "label: Démarrage des travaux de viabilisation, done: false",
    )
    assert ti("report", "quarterly", CONTRACT, "--quarter", "2021-Q4")[0] == 0
    report = Path("out/quarterly-2021-Q4.md").read_text(encoding="utf-8")
    assert "| Actions en retard | 1 (n° 1) |" in report
    assert (
        f"- 30{NB}novembre 2021 — Démarrage des travaux de viabilisation : **non réalisé, échéance dépassée**" in report
    )
    # The fiche judges against one date, as every output does (SPEC §14): the quarter's end here…
    assert ti("render", "fiche", CONTRACT, "1", "--as-of", "2021-12-31", "--force")[0] == 0
    fiche = Path("out/fiche-01.md").read_text(encoding="utf-8")
    assert f"Jalons au 31{NB}décembre 2021" in fiche
    assert (
        f"- 30{NB}novembre 2021 — Démarrage des travaux de viabilisation : **non réalisé, échéance dépassée**" in fiche
    )
    assert f"- 30{NB}juin 2022 — Livraison des premiers lots viabilisés : à venir" in fiche
    # … and today, when no date is given: June 2022 is long past
    assert ti("render", "fiche", CONTRACT, "1", "--force")[0] == 0
    fiche = Path("out/fiche-01.md").read_text(encoding="utf-8")
    assert f"- 30{NB}juin 2022 — Livraison des premiers lots viabilisés : **non réalisé, échéance dépassée**" in fiche


def test_quarterly_pdf_and_fiche_pdf_come_out(sample: Path) -> None:
    assert ti("report", "quarterly", CONTRACT, "--to", "pdf")[0] == 0
    assert ti("render", "fiche", CONTRACT, "6", "--to", "pdf")[0] == 0
    quarterly = "\n".join(pages(Path("out/quarterly-2021-Q4.pdf")))
    assert f"26,6{NB}%" in quarterly and f"{MINUS}34{NN}309{NN}000{NB}€" in quarterly
    assert "Création d'une conciergerie territoriale" in "\n".join(pages(Path("out/fiche-06.pdf")))


def test_a_title_full_of_typst_syntax_prints_as_typed(sample: Path) -> None:
    edit(
        f"{CONTRACT}/contract.yaml",
        "title: Contrat Territoire d'industrie Rochefort",
        "title: \"#set page(width: 1cm) $x$ [a] // Contrat Territoire d'industrie Rochefort",
    )
    edit(f"{CONTRACT}/contract.yaml", "Royan – Marennes – Oléron\n", 'Royan – Marennes – Oléron"\n')
    code, _, err = ti("render", "fiche", CONTRACT, "6", "--to", "pdf")
    assert code == 0, err
    assert "#set page(width: 1cm) $x$ [a] // Contrat" in pages(Path("out/fiche-06.pdf"))[0]


# --- the cover's logos ---------------------------------------------------------------------------------


def test_logos_are_checked_at_their_line_and_shown_on_the_cover(sample: Path) -> None:
    from ti_cli.render.charts import horizontal_bars

    logos = Path(CONTRACT, "logos")
    logos.mkdir()
    horizontal_bars(["a"], [Decimal(1)], logos / "region.png", "logo")  # any PNG will do
    (logos / "faux.png").write_text("pas une image", encoding="utf-8")
    contract = Path(CONTRACT, "contract.yaml")
    contract.write_text(
        contract.read_text(encoding="utf-8") + "logos: [logos/region.png, logos/faux.png]\n", encoding="utf-8"
    )
    line = len(contract.read_text(encoding="utf-8").splitlines())
    code, out, _ = ti("validate", CONTRACT)
    wanted = f"contract.yaml:{line}:27: error TI038 le logo « logos/faux.png » n'est pas une image PNG ou JPEG"
    assert code == 1 and wanted in said(out)
    contract.write_text(contract.read_text(encoding="utf-8").replace(", logos/faux.png]", "]"), encoding="utf-8")
    code, _, err = ti("render", "contract", CONTRACT, "--to", "md,pdf,docx")
    assert code == 0, err
    assert "![Logo](contract-figures/logo-1.png)" in Path("out/contract.md").read_text(encoding="utf-8")
    from pypdf import PdfReader

    assert PdfReader("out/contract.pdf").pages[0].images  # the logo is drawn on the cover


def test_a_terminal_that_cannot_show_french_spaces_gets_plain_ones() -> None:
    import os
    import subprocess
    import sys

    from conftest import ROOT

    ti_script = Path(sys.executable).with_name("ti")
    done = subprocess.run(
        [str(ti_script), "totals", CONTRACT],
        cwd=ROOT,
        capture_output=True,
        env={**os.environ, "PYTHONIOENCODING": "cp1252"},
    )
    assert done.returncode == 0 and b"Traceback" not in done.stderr
    assert b"43 823 500\xa0\x80" in done.stdout  # cp1252 has no U+202F: plain spaces; U+00A0 and € kept


def test_a_long_table_never_leaves_its_last_row_alone(tmp_path: Path) -> None:
    from ti_cli.render.documents import PREAMBLE, resource
    from ti_cli.render.typeset import to_pdf

    words = " ".join(["mot"] * 70)  # rows of several lines: about a dozen to a page
    for count in range(17, 24):  # about 19 to a page: at 20 the last row would stand alone
        rows = "\n".join(f"| {i} | {words} |" for i in range(1, count + 1))
        markdown = f"# Essai\n\n| N° | Texte |\n|---:|---|\n{rows}\n"
        pdf = tmp_path / f"t{count}.pdf"
        pdf.write_bytes(to_pdf(markdown, tmp_path, resource(PREAMBLE), "Essai"))
        last = pages(pdf)[-1]
        numbers = [n for n in re.findall(r"^(\d+) mot", last, flags=re.MULTILINE)]
        assert len(numbers) >= 2, (count, numbers)  # the last page holds at least the last two rows
        if len(pages(pdf)) > 1:
            assert "N° Texte" in last  # with the header above them


def test_a_truncated_logo_is_ti038_at_validation_not_a_word_traceback(sample: Path) -> None:
    """A PNG cut short passed a header check, then stopped the Word output: it is read to its end now."""
    from ti_cli.render.charts import horizontal_bars
    from ti_cli.rules.images import image_complete

    logos = Path(CONTRACT, "logos")
    logos.mkdir()
    horizontal_bars(["a"], [Decimal(1)], logos / "entier.png", "logo")
    whole = (logos / "entier.png").read_bytes()
    assert image_complete(whole)
    (logos / "coupe.png").write_bytes(whole[: len(whole) // 2])
    assert not image_complete(whole[: len(whole) // 2]) and not image_complete(whole[:-4])
    # a minimal baseline JPEG (SOI, a segment, a scan, EOI) passes, the same without its end does not
    jpeg = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xda\x00\x02\x12\x34\xff\xd9"
    assert image_complete(jpeg) and not image_complete(jpeg[:-2])
    contract = Path(CONTRACT, "contract.yaml")
    contract.write_text(contract.read_text(encoding="utf-8") + "logos: [logos/coupe.png]\n", encoding="utf-8")
    code, out, _ = ti("validate", CONTRACT)
    assert code == 1 and "TI038 le logo « logos/coupe.png » est abîmé ou tronqué" in said(out)
    code, _, err = ti("render", "contract", CONTRACT, "--to", "docx")
    assert code == 1 and "Traceback" not in err  # refused on the finding, before any output


def test_nothing_outside_the_data_goes_into_a_document(sample: Path, tmp_path: Path) -> None:
    """A text chapter linked out of the contract folder is not read; a Markdown image that is not a PNG or
    JPEG in the document's folder (``../secret.txt``) is never embedded, in any format."""
    secret = tmp_path / "secret.txt"
    secret.write_text("MOT DE PASSE 1234", encoding="utf-8")
    text = Path(CONTRACT, "text")
    (text / "99-dehors.md").symlink_to(secret)
    (text / "98-image.md").write_text(f"![x](../secret.txt) ![y]({secret})\n", encoding="utf-8")
    code, _, err = ti("render", "contract", CONTRACT, "--to", "md,html,docx,pdf", "--output", "out/")
    assert code == 0, err
    import base64

    leaked = base64.b64encode(b"MOT DE PASSE 1234").decode()
    for name in ("contract.md", "contract.html"):
        body = Path("out", name).read_text(encoding="utf-8")
        assert "MOT DE PASSE" not in body and leaked not in body, name
    assert b"MOT DE PASSE" not in Path("out/contract.docx").read_bytes()
    import zipfile

    with zipfile.ZipFile("out/contract.docx") as docx:
        assert not [n for n in docx.namelist() if n.startswith("word/media/") and n.endswith(".txt")]
        assert all(b"MOT DE PASSE" not in docx.read(n) for n in docx.namelist())


def test_a_section_heading_never_ends_a_page_without_its_text(tmp_path: Path) -> None:
    from ti_cli.render.documents import PREAMBLE, resource
    from ti_cli.render.typeset import to_pdf

    # the evaluation left its axis heading « Accélérer la transition écologique et énergétique » alone at
    # the foot of page 1, its first action (a sub-heading, a line, a table) on page 2
    for level in ("#", "##"):
        for lines in range(34, 46):  # paragraphs push the heading down to the foot of page 1
            filler = "\n\n".join(f"Ligne {i} du texte." for i in range(1, lines + 1))
            section = (
                f"{level} Titre de section\n\n{level}# Sous-titre\n\n"
                "Le texte de la section.\n\n| A | B |\n|---|---|\n| 1 | 2 |\n"
            )
            markdown = f"# Essai\n\n{filler}\n\n{section}"
            pdf = tmp_path / f"h{len(level)}-{lines}.pdf"
            pdf.write_bytes(to_pdf(markdown, tmp_path, resource(PREAMBLE), "Essai"))
            for page in pages(pdf):
                if "Titre de section" in page:
                    assert "Le texte de la section." in page, (level, lines)
