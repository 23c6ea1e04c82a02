"""``ti report copil``: the deck of the next comité de pilotage (SPEC §15), read back as a user's
PowerPoint reads it — its slides in order, its figures those of ``ti totals``, its charts chart objects,
no code in any text — and its bad inputs refused."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path

import pytest

from conftest import ROOT, edit, said
from gitrepo import commit, git, init_repo, ti
from ti_cli import french

PLAN = "data/contracts/rochefort-royan-marennes-oleron-2023"
PHASE1 = "data/contracts/rochefort-royan-marennes-oleron"
AS_OF = "2026-11-15"

TITLES = [
    "Plan d'actions Territoire d'industrie Rochefort – Royan – Marennes – Oléron 2023-2027",
    "Le plan en un coup d'œil",
    "Avancement par axe",
    "Financements par étape et par financeur",
    "Actions en retard ou à risque",
    "Évolutions depuis le dernier comité",
    "Décisions à prendre",
    "Indicateurs : réalisé et cibles",
    "Les trois prochains mois",
    "Action 1 — Commercialisation du foncier de 20 ha de l'aéroport de Rochefort-Charente-Maritime",
    "Action 2 — Aménagement du second foncier stratégique aéronautique (hub des mobilités décarbonées)",
    "Action 3 — Pôle de formation et Maison des Industries de Rochefort Océan",
    "Action 5 — Décarbonation de la chaîne de production d'un industriel de l'Arsenal",
    "Annexe — toutes les actions",
]
# What must never show on a slide: the files' codes (SPEC §14) — axes, statuses, stages, dispositifs,
# decision kinds and bodies, financer ids, categories (« structurante » is also the French word).
CODES = re.compile(
    r"\b(TRANSITION|INNOVATION|COMPETENCES|FONCIER|ATTIRER|RECRUTER|INNOVER|SIMPLIFIER|A_CHOISIR|a_lancer|en_cours"
    r"|termine|suspendu|abandonne|sollicite|obtenu|engage|verse|refuse|validee|a_confirmer|fonds-vert-ti|fnadt|detr"
    r"|dsil|france-2030|feder|avis-fonds-vert|comite-de-projets|copil-local|region-industrie-durable|caro|cara|bdt"
    r"|prives|autofinancement|amorcage|non-renseigne)\b"
)


def _texts(slide) -> list[str]:  # type: ignore[no-untyped-def]
    out = []
    for shape in slide.shapes:
        if shape.has_text_frame:
            out.append(shape.text_frame.text)
        if shape.has_table:
            out += [cell.text for row in shape.table.rows for cell in row.cells]
        if shape.has_chart:
            chart = shape.chart
            out.append(chart.chart_title.text_frame.text)
            out += [str(c) for c in chart.plots[0].categories]
    return out


def _rows(slide) -> list[list[str]]:  # type: ignore[no-untyped-def]
    return [[said(c.text) for c in row.cells] for s in slide.shapes if s.has_table for row in s.table.rows]


@pytest.fixture(scope="module")
def deck(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """The sample plan's deck, in the three formats, written once for the module."""
    from pptx import Presentation

    out = tmp_path_factory.mktemp("copil")
    done = ti(
        "report", "copil", str(ROOT / PLAN), "--as-of", AS_OF, "--to", "pptx", "--to", "md", "--to", "pdf",
        "-o", str(out), "--since", "HEAD",
    )  # fmt: skip
    assert done.exit_code == 0, done.output
    return Presentation(str(out / f"copil-{AS_OF}.pptx")), out


def _totals(*args: str) -> dict:  # type: ignore[type-arg]
    done = ti("totals", str(ROOT / PLAN), "--format", "json", *args)
    assert done.exit_code == 0, done.output
    return json.loads(done.stdout)  # type: ignore[no-any-return]


def test_the_slides_come_in_the_order_a_copil_runs_on_a_16_9_page(deck) -> None:  # type: ignore[no-untyped-def]
    prs, _out = deck
    assert [said(s.shapes.title.text) for s in prs.slides] == [said(t) for t in TITLES]
    assert (prs.slide_width, prs.slide_height) == (12191695, 6858000)  # 13,333 × 7,5 in
    assert said(prs.slides[0].placeholders[1].text_frame.text).startswith("Comité de pilotage du 15 novembre 2026")
    assert "Binôme : Sylvie MARCILLY" in said(prs.slides[0].placeholders[1].text_frame.text)


def test_the_plan_at_a_glance_prints_the_figures_of_ti_totals_in_full(deck) -> None:  # type: ignore[no-untyped-def]
    prs, _out = deck
    t = _totals()
    f = t["financing"]
    rows = {r[0]: r[1] for r in _rows(prs.slides[1]) if len(r) == 2}
    expected = {
        "Coût total HT": t["total"],
        "dont investissement": t["investment"],
        "dont fonctionnement": t["operating"],
        "Acquis": f["secured"],
        "Sollicité": f["requested"],
        "Reste à financer": f["to_find"],
        "dont sans financeur identifié": f["unfunded"],
        "Payé à ce jour": f["paid"],
        "Refusé (dans aucune autre somme)": f["refused"],
    }
    assert rows == {k: said(french.euros(Decimal(v))) for k, v in expected.items()} | {"Le plan": "Montant"}
    assert rows["Coût total HT"] == "13 560 000 €"  # in full, French spaces
    grid = [r for r in _rows(prs.slides[1]) if len(r) != 2]
    assert grid[0] == ["Actions par axe", "À lancer", "En cours", "Total"]
    assert grid[-1] == ["Total", "1", "5", "6"]


def test_financing_charts_are_native_charts_with_the_groups_of_ti_totals(deck) -> None:  # type: ignore[no-untyped-def]
    from pptx.enum.chart import XL_CHART_TYPE

    prs, _out = deck
    charts = [s.chart for s in prs.slides[3].shapes if s.has_chart]
    assert [c.chart_type for c in charts] == [XL_CHART_TYPE.BAR_CLUSTERED] * 2
    by_stage = [g for g in _totals("--by", "stage")["groups"] if g["key"] != "refuse"]
    by_financer = _totals("--by", "financer")["groups"]
    for chart, groups in zip(charts, (by_stage, by_financer), strict=True):
        plot = chart.plots[0]
        assert list(plot.categories) == [g["label"] for g in groups]
        assert list(plot.series[0].values) == [float(g["total"]) for g in groups]
        shown = [said(p.data_label.text_frame.text) for p in plot.series[0].points]
        assert shown == [said(french.euros(Decimal(g["total"]))) for g in groups]
    progress = next(s.chart for s in prs.slides[2].shapes if s.has_chart)
    assert next(iter(progress.plots[0].categories)) == "Accélérer la transition écologique et énergétique"
    assert list(progress.plots[0].series[0].values) == [78.2, 0.0, 15.0, 30.3]


def test_no_code_appears_in_any_slide_text(deck) -> None:  # type: ignore[no-untyped-def]
    prs, _out = deck
    found = {(n, m) for n, s in enumerate(prs.slides, 1) for t in _texts(s) for m in CODES.findall(t)}
    assert found == set()


def test_quarters_are_written_in_words(deck) -> None:  # type: ignore[no-untyped-def]
    prs, _out = deck
    texts = [t for s in prs.slides for t in _texts(s)]
    assert [t for t in texts if re.search(r"\b\d{4}-Q\d\b", t)] == []  # never « 2026-Q3 »
    assert any("D'après l'état d'avancement du 3e trimestre 2026 (remis le" in said(t) for t in texts)


def test_late_actions_structuring_slides_and_annex(deck) -> None:  # type: ignore[no-untyped-def]
    prs, _out = deck
    late = _rows(prs.slides[4])
    assert late[1][:3] == [
        "5",
        "Décarbonation de la chaîne de production d'un industriel de l'Arsenal",
        "en retard : fin prévue le 30/09/2026",
    ]
    action1 = _rows(prs.slides[9])
    assert action1[0] == ["Financeur", "Dispositif", "Étape", "Montant"]
    assert action1[-1] == ["Total identifié (hors refusé)", "", "", "2 100 000 €"]
    annex = _rows(prs.slides[13])
    assert [r[0] for r in annex[1:-1]] == ["1", "2", "3", "4", "5", "6"]
    assert annex[-1][4:6] == ["13 560 000 €", "7 690 000 €"]


def test_the_handout_says_what_the_slides_say(deck) -> None:  # type: ignore[no-untyped-def]
    from pypdf import PdfReader

    _prs, out = deck
    markdown = said((out / f"copil-{AS_OF}.md").read_text(encoding="utf-8"))
    assert all(said(f"## {t}") in markdown for t in TITLES[1:])
    assert "| Coût total HT | 13 560 000 € |" in markdown
    assert (out / f"copil-{AS_OF}-figures" / "financements-par-etape.png").is_file()
    pdf = said(" ".join(p.extract_text() for p in PdfReader(str(out / f"copil-{AS_OF}.pdf")).pages))
    assert "Le plan en un coup d" in pdf and "13 560 000 €" in pdf and "Annexe" in pdf


def test_a_reference_that_is_not_a_presentation_or_lacks_a_layout_is_refused(tmp_path: Path) -> None:
    from pptx import Presentation

    text = tmp_path / "charte.pptx"
    text.write_text("pas une présentation", encoding="utf-8")
    done = ti("report", "copil", str(ROOT / PLAN), "--reference-pptx", str(text), "-o", str(tmp_path / "out"))
    assert done.exit_code == 2 and "n'est pas une présentation PowerPoint" in said(done.output)
    blank = Presentation()
    for layout in list(blank.slide_layouts):
        if layout.name != "Title Only":
            blank.slide_layouts.remove(layout)
    blank.save(str(tmp_path / "titre-seul.pptx"))
    done = ti("report", "copil", str(ROOT / PLAN), "--reference-pptx", str(tmp_path / "titre-seul.pptx"), "-o",
              str(tmp_path / "out"))  # fmt: skip
    assert done.exit_code == 2
    assert "il manque à ses masques une disposition de titre" in said(done.output)
    assert "disposition de contenu" not in said(done.output)  # Title Only serves the content slides
    assert not (tmp_path / "out").exists()


def test_the_deck_takes_the_territorys_masters_and_not_its_slides(tmp_path: Path) -> None:
    from pptx import Presentation

    charte = Presentation()
    charte.slide_layouts[0].name = "Diapositive de titre"
    charte.slides.add_slide(charte.slide_layouts[0]).shapes.title.text = "Diapositive de la charte"
    charte.save(str(tmp_path / "charte.pptx"))
    done = ti("report", "copil", str(ROOT / PLAN), "--as-of", AS_OF, "--since", "HEAD", "--reference-pptx",
              str(tmp_path / "charte.pptx"), "-o", str(tmp_path / "copil.pptx"))  # fmt: skip
    assert done.exit_code == 0, done.output
    prs = Presentation(str(tmp_path / "copil.pptx"))
    assert len(prs.slides) == len(TITLES)
    assert prs.slides[0].slide_layout.name == "Diapositive de titre"
    assert {s.slide_layout.name for s in list(prs.slides)[1:]} == {"Title Only"}
    assert all("charte" not in t for s in prs.slides for t in _texts(s))


def test_a_phase_1_contract_gets_the_same_deck_in_its_own_words(tmp_path: Path) -> None:
    from pptx import Presentation

    done = ti("report", "copil", str(ROOT / PHASE1), "--as-of", "2022-03-01", "--since", "HEAD", "-o",
              str(tmp_path / "p1.pptx"))  # fmt: skip
    assert done.exit_code == 0, done.output
    prs = Presentation(str(tmp_path / "p1.pptx"))
    titles = [said(s.shapes.title.text) for s in prs.slides]
    assert titles[5:7] == ["Évolutions depuis le dernier avenant", "Décisions à prendre (avenant)"]
    glance = {r[0]: r[1] for r in _rows(prs.slides[1]) if len(r) == 2}
    assert glance["Acquis (16 lignes au montant non précisé)"] == "non précisé"  # unknown is not zero
    assert glance["À confirmer auprès des financeurs identifiés"] == "42 963 500 €"
    words = " ".join(t for s in prs.slides for t in _texts(s))
    assert "Éligibilité" in words and not re.search(r"Sollicité|Obtenu|Engagé|Versé", words)
    assert not {m for s in prs.slides for t in _texts(s) for m in CODES.findall(t)}


def test_changes_and_decisions_to_take_are_what_ti_decisions_draft_proposes(sample: Path) -> None:
    from pptx import Presentation

    init_repo(sample)
    plan = Path(PLAN)
    action = plan / "actions/02-hub-aeronautique.yaml"
    action.write_text(action.read_text(encoding="utf-8").replace("investment: 3500000", "investment: 3800000"))
    record = plan / "decisions/2024-09-10-comite-de-projets.yaml"  # the Fonds vert avis withdrawn from the record
    lines = record.read_text(encoding="utf-8").splitlines()
    record.write_text("\n".join(line for line in lines if "avis-fonds-vert" not in line) + "\n", encoding="utf-8")
    commit("avis retiré")
    draft = ti("decisions", "draft", PLAN, "--base", "HEAD~1", "--format", "json")
    proposed = json.loads(draft.stdout)["decisions"]
    git("reset", "-q", "--soft", "HEAD~1")  # the avis change stays in the files, the action's change too
    done = ti("report", "copil", PLAN, "--as-of", AS_OF, "--to", "md", "-o", "out/copil.md", "--to", "pptx")
    assert done.exit_code == 0, done.output
    prs = Presentation("out/copil.pptx")
    decisions = [said(t) for t in _texts(prs.slides[6])]
    assert [p["summary"] for p in proposed] and all(
        said(f"Action {p['action']} — modification : {p['summary']}") in " ".join(decisions) for p in proposed
    )
    assert "Avis de la gouvernance attendu sur le Fonds vert (action 5" in " ".join(decisions)
    changes = _rows(prs.slides[5])
    assert changes[1][0] == "2" and changes[1][3] == "+300 000 €"
    assert "Coût total : 13 560 000 € → 13 860 000 € (+300 000 €)" in said(" ".join(_texts(prs.slides[5])))


def test_the_registry_makes_the_deck_for_ti_serve() -> None:
    import datetime as dt
    import io

    from pptx import Presentation

    from ti_cli.loading.bundle import load_contract
    from ti_cli.workflow.documents import copil_document, copil_pptx, make

    bundle = load_contract(ROOT / PLAN)
    day = dt.date.fromisoformat(AS_OF)
    markdown = said(make(copil_document(bundle, day, since="HEAD"), "md").decode("utf-8"))
    assert markdown.startswith(f"# {said(TITLES[0])}") and "## Décisions à prendre" in markdown
    prs = Presentation(io.BytesIO(copil_pptx(bundle, day, since="HEAD")))
    assert [said(s.shapes.title.text) for s in prs.slides] == [said(t) for t in TITLES]


def test_a_plan_with_no_action_outside_git_still_gets_its_deck(sample: Path) -> None:
    from pptx import Presentation

    for folder in ("actions", "decisions", "progress"):
        for file in (Path(PLAN) / folder).glob("*.yaml"):
            file.unlink()
    done = ti("report", "copil", PLAN, "--as-of", AS_OF, "-o", "out/vide.pptx")
    assert done.exit_code == 0, done.output
    prs = Presentation("out/vide.pptx")
    texts = {said(s.shapes.title.text): said(" ".join(_texts(s))) for s in prs.slides}
    assert len(prs.slides) == 10  # no structuring action, one annex slide
    assert "Aucune action au plan à cette date." in texts["Avancement par axe"]
    assert "pas suivi dans un dépôt git" in texts["Évolutions depuis le dernier comité"]
    assert not any(s.has_chart for slide in prs.slides for s in slide.shapes)


def test_at_risk_is_judged_once_in_compute_and_the_deck_words_it() -> None:
    """« à risque » (SPEC §14: judgements are computed once, in compute/): compute.progress.risk_at, the
    deck only words it."""
    import datetime as dt

    from ti_cli.compute.progress import Risk, late_at, risk_at
    from ti_cli.loading.bundle import load_contract
    from ti_cli.model.progress import Status

    bundle = load_contract(ROOT / PLAN)
    actions = {a.number: a for a in bundle.action_models()}
    [report] = [p for _, p in bundle.valid_progress()]  # 2026-Q3, reported on 08/10/2026

    def why(number: int, day: dt.date, status: Status = Status.en_cours, latest=report):  # type: ignore[no-untyped-def]
        late = number in late_at(list(actions.values()), [report], day)
        return risk_at(actions[number], status, late, latest, day)

    day = dt.date(2026, 11, 15)
    assert why(5, day) is Risk.past_end and Risk.past_end.late  # planned end 30/09/2026
    assert why(1, day) is None  # ends 30/06/2027: beyond three months
    assert why(1, dt.date(2027, 3, 30)) is Risk.ending and not Risk.ending.late  # 30/06/2027, both included
    assert why(1, dt.date(2027, 3, 29)) is None
    assert why(1, day, Status.suspendu) is Risk.suspended
    assert why(5, day, Status.termine) is None and why(5, day, Status.abandonne) is None
    absent = report.model_copy(update={"actions": [e for e in report.actions if e.number != 2]})
    assert why(2, day, latest=absent) is Risk.not_reported


def test_the_deck_uses_public_names_of_the_rules() -> None:
    """The deck asks rules.phase2 whether a maître d'ouvrage is a company by its public name (rule TI122
    and the deck judge alike), never a private one."""
    from ti_cli.loading.bundle import load_contract
    from ti_cli.rules.phase2 import company_owner

    bundle = load_contract(ROOT / PLAN)
    contract = bundle.contract.model
    assert contract is not None
    assert [a.number for a in bundle.action_models() if company_owner(contract, a)] == [5]
    for module in ("render/deck.py", "workflow/copil.py"):
        source = (ROOT / "src/ti_cli" / module).read_text(encoding="utf-8")
        assert not re.search(r"from ti_cli\.rules\.\w+ import [^\n]*\b_\w", source), module


LONG = (
    " par électrification hybride des fours et récupération de la chaleur fatale sur le site industriel"
    " de l'Arsenal de Rochefort"
)


def _fits(shape, slide_height: int) -> tuple[list[str], bool]:  # type: ignore[no-untyped-def]
    """The words wider than their column, and whether the rows fit above the slide's bottom — measured
    with a generous glyph width (0,55 em, the width of LibreOffice's fallback sans) and 1,2 line height."""
    from pptx.util import Inches

    table, too_wide, bottom = shape.table, [], shape.top
    size = table.cell(0, 0).text_frame.paragraphs[0].runs[0].font.size.pt
    for row in table.rows:
        lines = 1
        for c, cell in enumerate(row.cells):
            room = table.columns[c].width - cell.margin_left - cell.margin_right
            glyph = Inches(0.55 * size / 72)
            too_wide += [w for w in cell.text.split() if len(w) * glyph > room]
            line = max(1, int(room // glyph))
            lines = max(lines, sum(-(-len(p) // line) or 1 for p in cell.text.split("\n")))
        bottom += int(Inches(lines * size * 1.2 / 72 + 0.06))
    return too_wide, bottom <= slide_height


def test_the_annex_of_long_titled_actions_keeps_words_whole_and_stays_on_its_slide(sample: Path) -> None:
    from pptx import Presentation

    for number, file in enumerate(sorted((Path(PLAN) / "actions").glob("*.yaml")), 1):
        text = file.read_text(encoding="utf-8")
        title = next(line for line in text.splitlines() if line.startswith("title: "))
        file.write_text(text.replace(title, title + LONG), encoding="utf-8")
        assert number <= 6
    done = ti("report", "copil", PLAN, "--as-of", AS_OF, "-o", "out/long.pptx")
    assert done.exit_code == 0, done.output
    prs = Presentation("out/long.pptx")
    annex = next(s for s in prs.slides[-1].shapes if s.has_table)
    too_wide, inside = _fits(annex, prs.slide_height)
    assert too_wide == []  # « Structurante » was cut « Structurant/e »
    assert inside  # the total row fell below the slide


def test_the_plan_at_a_glance_adds_up_when_a_cost_is_given_as_a_total_and_marks_loans(sample: Path) -> None:
    from pptx import Presentation

    # action 4 (180 000 €) given as a total only; the Banque des territoires lends instead of granting
    edit(f"{PLAN}/actions/04-pacte-industrie-territoire.yaml", "cost:\n", "cost:\n  total: 180000\n")
    for field in ("  investment: 0\n", "  operating: 180000\n"):
        edit(f"{PLAN}/actions/04-pacte-industrie-territoire.yaml", field, "")
    edit(f"{PLAN}/contract.yaml", "kind: operateur, party", "kind: operateur, loan: true, party")
    edit(
        f"{PLAN}/actions/01-foncier-aeroport.yaml",
        "status: sollicite\n    amount: 300000",
        "status: obtenu\n    amount: 300000",
    )
    done = ti("report", "copil", PLAN, "--as-of", AS_OF, "-o", "out/deck.pptx")
    assert done.exit_code == 0, done.output
    rows = {r[0]: r[1] for r in _rows(Presentation("out/deck.pptx").slides[1]) if len(r) == 2}
    t = _totals_of(PLAN)
    assert rows["dont non ventilé (coût donné en total)"] == said(french.euros(Decimal(t["unsplit"]))) == "180 000 €"
    parts = ("dont investissement", "dont fonctionnement", "dont non ventilé (coût donné en total)")
    assert sum(Decimal(said(rows[k]).replace(" ", "").rstrip("€")) for k in parts) == Decimal(t["total"])
    assert rows["dont prêts (à rembourser)"] == said(french.euros(Decimal(t["financing"]["loans"]))) == "300 000 €"


def _totals_of(path: str) -> dict:  # type: ignore[type-arg]
    done = ti("totals", path, "--format", "json")
    assert done.exit_code == 0, done.output
    return json.loads(done.stdout)  # type: ignore[no-any-return]


def test_an_action_no_decision_put_in_the_plan_is_a_decision_to_take(sample: Path) -> None:
    from pptx import Presentation

    # TI123 warns of it; the COPIL is where the governance inscribes it
    record = Path(PLAN) / "decisions/2025-06-26-comite-de-projets.yaml"
    record.write_text(record.read_text(encoding="utf-8").replace("kind: ajout", "kind: autre"), encoding="utf-8")
    done = ti("report", "copil", PLAN, "--as-of", AS_OF, "-o", "out/copil.pptx")
    assert done.exit_code == 0, done.output
    decisions = " ".join(said(t) for t in _texts(Presentation("out/copil.pptx").slides[6]))
    assert (
        "Action 6 — inscription au plan : aucune décision n'inscrit encore « Animation de l'écosystème d'innovation"
    ) in decisions
    assert "Action 1 — inscription" not in decisions


def test_a_pending_draft_releve_s_proposals_are_the_decisions_to_take(sample: Path) -> None:
    from pptx import Presentation

    init_repo(sample)
    action = Path(PLAN) / "actions/02-hub-aeronautique.yaml"
    action.write_text(action.read_text(encoding="utf-8").replace("investment: 3500000", "investment: 3800000"))
    commit("action 2 : +300 000 €")
    drafted = ti("decisions", "draft", PLAN, "--base", "HEAD~1", "--as-of", AS_OF, "--output", "out/releve")
    assert drafted.exit_code == 0, drafted.output
    commit("projet de relevé")  # the last commit of decisions/ is a draft: not the last meeting

    def slides() -> tuple[str, str]:
        done = ti("report", "copil", PLAN, "--as-of", AS_OF, "-o", "out/copil.pptx", "--force")
        assert done.exit_code == 0, done.output
        prs = Presentation("out/copil.pptx")
        return tuple(" ".join(said(t) for t in _texts(prs.slides[i])) for i in (5, 6))  # type: ignore[return-value]

    changes, decisions = slides()
    assert "Coût total : 13 560 000 € → 13 860 000 € (+300 000 €)" in changes
    assert "Action 2 — modification : Modification de l'action 2 « " in decisions
    # adopted: the meeting is held, its decisions taken — nothing left to decide on action 2
    releve = next(Path(PLAN, "decisions").glob("*-projet-releve.yaml"))
    releve.write_text(releve.read_text(encoding="utf-8").replace("\ndraft: true\n", "\n"), encoding="utf-8")
    commit("relevé adopté")
    changes, decisions = slides()
    assert "Action 2 — modification" not in decisions and "+300 000 €" not in changes


def test_blanks_still_to_fill_are_highlighted_on_the_slides(sample: Path) -> None:
    """A « XXX » left in an action's title is shown highlighted in the deck, as in the PDF and Word."""
    from pptx import Presentation
    from pptx.oxml.ns import qn

    file = sorted((Path(PLAN) / "actions").glob("*.yaml"))[0]
    text = file.read_text(encoding="utf-8")
    title = next(line for line in text.splitlines() if line.startswith("title: "))
    file.write_text(text.replace(title, title + " (lot XXX)"), encoding="utf-8")
    done = ti("report", "copil", PLAN, "--as-of", AS_OF, "-o", "out/blank.pptx")
    assert done.exit_code == 0, done.output
    marked = [
        run.text
        for slide in Presentation("out/blank.pptx").slides
        for shape in slide.shapes
        if shape.has_table
        for row in shape.table.rows
        for cell in row.cells
        for p in cell.text_frame.paragraphs
        for run in p.runs
        if run._r.rPr is not None and run._r.rPr.find(qn("a:highlight")) is not None
    ]
    assert marked and set(marked) == {"XXX"}
