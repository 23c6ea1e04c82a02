"""The pacte industrie-territoire: the sample transcribed from the guide, memberships and reviews on the
edge days, collective indicators checked against hand sums, committees' next meetings, the interview
campaign, and the ``ti pacte`` commands (exit codes, JSON shape, documents)."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import PACTE, ROOT, edit, run, said
from ti_cli.cli import app
from ti_cli.compute.pacte import (
    campaign,
    fiche,
    next_meeting,
    pacte_report,
    pacte_status,
)
from ti_cli.loading.bundle import load_pacte
from ti_cli.model.pacte import Cadence, Member, add_months

D = dt.date
ID = "rochefort-royan-marennes-oleron"
ATELIER = "atelier-composites-charentais"  # joined 2023-03-15, reviews 2024-03-10 and 2025-03-20
NAUTIQUE = "chantier-nautique-des-pertuis"  # joined 2024-02-29, review 2025-02-27
PLASTURGIE = "royan-plasturgie-technique"  # joined 2025-06-01, review 2026-05-28
SAVEURS = "saveurs-iodees-oleron"  # joined 2026-01-15, no review


def loaded(root: Path = ROOT / PACTE):
    bundle = load_pacte(root)
    return bundle.pacte.model, [(s.path.stem, s.model) for s in bundle.members], bundle


def statuses(as_of: D) -> dict[str, object]:
    pacte, members, _ = loaded()
    return {m.slug: m for m in pacte_status(pacte, members, as_of).members}


def invoke(*args: str):
    return CliRunner().invoke(app, list(args))


# --- the sample, transcribed from the ANCT guide -------------------------------------------------------


def test_the_six_themes_and_every_commitment_of_both_sides():
    pacte, _, _ = loaded()
    commitments = {t.id: [c.id for c in t.commitments] for t in pacte.themes}
    assert commitments == {
        "attractivite": ["attr-e1", "attr-t1", "attr-e2", "attr-t2"],
        "environnement": ["env-e1", "env-t1", "env-e2", "env-t2", "env-e3", "env-t3"],
        "formation-emploi": ["fe-e1", "fe-t1", "fe-e2", "fe-t2"],
        "innovation": ["inno-e1", "inno-t1", "inno-e2", "inno-t2"],
        "implantation-mutualisation": ["impl-e1", "impl-t1", "impl-e2", "impl-t2"],
        "mobilite-logement": ["mob-e1", "mob-t1"],
    }
    every = pacte.commitments()
    assert all(c.side.value == ("entreprise" if "-e" in i else "territoire") for i, c in every.items())
    # Items as the guide lists them (9 for the companies' training commitment, 7 for the territory's).
    assert [len(every[i].items) for i in ("fe-e1", "fe-t1", "env-e2", "mob-t1")] == [9, 7, 6, 4]
    assert every["env-e3"].items == [
        "S'engager dans la végétalisation des espaces extérieurs pour préserver la "
        "biodiversité et prévenir les risques climatiques"
    ]
    assert len(pacte.indicators()) == 26
    cadences = {t.id: t.committee.cadence.value for t in pacte.themes}
    assert cadences == {
        "attractivite": "trimestriel",
        "environnement": "semestriel",
        "formation-emploi": "semestriel",
        "innovation": "semestriel",
        "implantation-mutualisation": "ad_hoc",
        "mobilite-logement": "ad_hoc",
    }
    assert (pacte.membership_years, pacte.review_every_months) == (3, 12)


def test_sample_members_are_marked_illustrative():
    _, members, _ = loaded()
    assert len(members) == 4
    for slug, member in members:
        head = (ROOT / PACTE / "members" / f"{slug}.yaml").read_text(encoding="utf-8").splitlines()[:3]
        assert "ILLUSTRATIF" in "".join(head) and member.company.endswith("(exemple)"), slug


# --- memberships and reviews on the edge days ----------------------------------------------------------


def test_review_due_today_is_not_overdue_the_next_day_it_is():
    assert statuses(D(2026, 2, 27))[NAUTIQUE].next_review == D(2026, 2, 27)
    assert statuses(D(2026, 2, 27))[NAUTIQUE].review_overdue is False
    assert statuses(D(2026, 2, 28))[NAUTIQUE].review_overdue is True


def test_the_rule_agrees_with_the_status_on_the_due_day(sample):
    assert "TI077" not in {f.code for f in run(as_of=D(2026, 2, 27)).findings}
    [finding] = [f for f in run(as_of=D(2026, 2, 28)).findings if f.code == "TI077"]
    assert said(finding.message) == "Chantier Nautique des Pertuis (exemple) : revue en retard depuis le 27/02/2026"


def test_membership_ending_today_has_ended():
    day_before = statuses(D(2026, 3, 14))[ATELIER]
    assert (day_before.ends_on, day_before.ended, day_before.next_review) == (D(2026, 3, 15), False, D(2026, 3, 20))
    today = statuses(D(2026, 3, 15))[ATELIER]
    assert (today.ended, today.next_review, today.review_overdue) == (True, None, False)


def test_joined_on_29_february():
    member = statuses(D(2027, 2, 27))[NAUTIQUE]
    assert (member.joined_on, member.ends_on, member.ended) == (D(2024, 2, 29), D(2027, 2, 28), False)
    assert statuses(D(2027, 2, 28))[NAUTIQUE].ended is True
    # First review due one year after 29 February, when there is no 29th: the 28th.
    pacte, _, _ = loaded()
    fresh = Member(company="Bissextile", size="pme", joined_on=D(2024, 2, 29))
    [status] = pacte_status(pacte, [("b", fresh)], D(2025, 3, 1)).members
    assert (status.next_review, status.review_overdue) == (D(2025, 2, 28), True)
    assert add_months(D(2024, 2, 29), 48) == D(2028, 2, 29)


def test_reviews_after_the_date_are_not_counted_yet(sample):
    atelier = statuses(D(2025, 3, 15))[ATELIER]  # its 2025 review is on 20 March
    assert (atelier.last_review, atelier.next_review, atelier.review_overdue) == (D(2024, 3, 10), D(2025, 3, 10), True)
    assert any(f.code == "TI077" and "Atelier" in f.message for f in run(as_of=D(2025, 3, 15)).findings)


def test_members_joining_later_are_not_listed_yet():
    pacte, members, _ = loaded()
    status = pacte_status(pacte, members, D(2025, 12, 31))
    assert [m.slug for m in status.members] == [ATELIER, NAUTIQUE, PLASTURGIE]
    assert status.upcoming == [("Saveurs Iodées d'Oléron (exemple)", D(2026, 1, 15))]


# --- ti pacte status ----------------------------------------------------------------------------------


def test_status_json_is_the_spec(sample):
    result = invoke("pacte", "status", ID, "--as-of", "2026-11-23", "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert list(data) == ["pacte", "as_of", "members"]
    assert (data["pacte"], data["as_of"]) == (ID, "2026-11-23")
    assert [set(m) for m in data["members"]] == [
        {"company", "joined_on", "ends_on", "last_review", "next_review", "review_overdue", "ended"}
    ] * 4
    assert data["members"][1] == {
        "company": "Chantier Nautique des Pertuis (exemple)",
        "joined_on": "2024-02-29",
        "ends_on": "2027-02-28",
        "last_review": "2025-02-27",
        "next_review": "2026-02-27",
        "review_overdue": True,
        "ended": False,
    }
    assert data["members"][0]["next_review"] is None and data["members"][0]["ended"] is True
    assert data["members"][3]["last_review"] is None


def test_status_table_counts(sample):
    result = invoke("pacte", "status", f"data/pactes/{ID}", "--as-of", "2026-11-23")
    assert result.exit_code == 0
    assert "4 membres : 3 en cours, 1 terminé, 1 revue en retard" in said(result.output)
    assert "revue en retard" in result.output


def test_a_pacte_with_errors_is_refused(sample):
    edit(f"{PACTE}/members/{NAUTIQUE}.yaml", "commitments: [env-e2,", "commitments: [env-t2,")
    result = invoke("pacte", "status", ID, "--format", "json")
    assert result.exit_code == 1
    assert "TI071" in result.output
    assert invoke("pacte", "status", "nowhere").exit_code == 2


# --- collective indicators, members per commitment, committees ----------------------------------------

EXTRA = """company: Membre de Test (exemple)
size: pme
joined_on: 2025-09-01
commitments: [mob-e1, fe-e1]
reviews:
  - date: 2026-09-01
    indicators:
      collaborateurs-formes-localement: 5
      parcours-integration-qvt: false
      part-surfaces-vegetalisees: 20
      initiatives-mobilite-entreprise: 4
      engagement-developpement-territoire: "Mécénat du club de voile"
"""


def figures_by_id(report) -> dict[str, object]:
    return {f.indicator.id: f for t in report.themes for f in t.indicators}


def test_collective_indicators_against_hand_sums(sample):
    Path(f"{PACTE}/members/membre-de-test.yaml").write_text(EXTRA, encoding="utf-8")
    pacte, members, _ = loaded(Path(PACTE))
    report = pacte_report(pacte, members, D(2026, 11, 23))
    f = figures_by_id(report)
    # Atelier has ended (15/03/2026): only current members' latest reviews count.
    assert f["collaborateurs-formes-localement"].total == 14 + 5
    assert f["initiatives-mobilite-entreprise"].total == 2 + 1 + 4  # Chantier, Plasturgie, test member
    assert f["investissements-renovation-immobiliere"].total == Decimal("185000")
    assert f["part-surfaces-vegetalisees"].total == Decimal("16.25")  # mean of 12.5 and 20, not their sum
    qvt = f["parcours-integration-qvt"]
    assert (qvt.yes, qvt.reporting, qvt.share) == (1, 2, Decimal("50.00"))
    assert f["engagement-developpement-territoire"].texts == [  # members in file-name order
        ("Membre de Test (exemple)", "Mécénat du club de voile"),
        (
            "Royan Plasturgie Technique (exemple)",
            "Parrainage d'une classe du lycée professionnel ; participation au forum des métiers de Royan",
        ),
    ]
    assert f["participation-communication-industrie"].values == []  # Atelier's figures left with its membership
    assert report.current == 4 and report.reviewed == 3
    rows = {r.commitment.id: r.members for t in report.themes for r in t.commitments}
    assert rows["mob-e1"] == [
        "Chantier Nautique des Pertuis (exemple)",
        "Membre de Test (exemple)",
        "Royan Plasturgie Technique (exemple)",
    ]
    assert rows["fe-e1"] == ["Membre de Test (exemple)"]  # Atelier took it too, but has ended
    assert rows["mob-t1"] == []  # the territoire's side


def test_while_atelier_was_a_member_its_latest_review_counted():
    pacte, members, _ = loaded()
    f = figures_by_id(pacte_report(pacte, members, D(2026, 3, 1)))
    assert f["collaborateurs-formes-localement"].total == 9  # 2025 review; Plasturgie's is not held yet
    assert f["demarche-bilan-carbone-ecoconception"].yes == 1
    assert f["initiatives-mobilite-entreprise"].total == 2


@pytest.mark.parametrize(
    ("cadence", "as_of", "expected"),
    [
        (Cadence.trimestriel, D(2026, 11, 23), D(2026, 12, 17)),
        (Cadence.trimestriel, D(2026, 12, 17), D(2026, 12, 17)),  # meeting today
        (Cadence.trimestriel, D(2026, 12, 18), D(2027, 3, 17)),
        (Cadence.trimestriel, D(2024, 1, 1), D(2025, 3, 17)),  # before adoption: the first meeting
        (Cadence.semestriel, D(2026, 7, 1), D(2026, 12, 17)),
        (Cadence.annuel, D(2025, 12, 18), D(2026, 12, 17)),
        (Cadence.ad_hoc, D(2026, 11, 23), None),
    ],
)
def test_next_meeting_by_cadence_from_adoption(cadence, as_of, expected):
    assert next_meeting(D(2024, 12, 17), cadence, as_of) == expected


def test_meetings_do_not_drift_from_the_end_of_month():
    assert next_meeting(D(2025, 1, 31), Cadence.trimestriel, D(2025, 2, 1)) == D(2025, 4, 30)
    assert next_meeting(D(2025, 1, 31), Cadence.trimestriel, D(2025, 5, 1)) == D(2025, 7, 31)
    assert next_meeting(None, Cadence.annuel, D(2025, 5, 1)) is None


def test_report_document_shows_the_figures(sample):
    Path(f"{PACTE}/members/membre-de-test.yaml").write_text(EXTRA, encoding="utf-8")
    result = invoke("pacte", "report", ID, "--as-of", "2026-11-23", "--output", "out")
    assert result.exit_code == 0, result.output
    text = Path("out/pacte-report.md").read_text(encoding="utf-8")
    assert text.count("\n## ") == 2 + 6  # synthèse, adhésions, then the 6 themes
    assert "| Nombre de collaborateurs formés par les pôles de formations locaux | individuel (nombre) | 19 |" in text
    assert "| % surfaces végétalisées | individuel (%) | moyenne 16,25 % |" in text
    assert "| 1 sur 2 (50 %) |" in text
    assert "| Investissements de rénovation immobilière | individuel (€) | 185 000 € |" in text
    assert (
        "| *Les entreprises* — Contribuer pour des solutions de mobilités et de logements | 3 : "
        "Chantier Nautique des Pertuis (exemple), Membre de Test (exemple), Royan Plasturgie Technique "
        "(exemple) |"
    ) in text
    assert "prochaine réunion le **17 décembre 2026**" in text
    assert "- **Chantier Nautique des Pertuis (exemple)** : revue en retard depuis le 27 février 2026." in text
    assert "adhésion échue le 15 mars 2026" in text


def test_report_in_word_and_html(sample):
    result = invoke("pacte", "report", ID, "--as-of", "2026-11-23", "--to", "html", "--to", "docx", "-o", "out")
    assert result.exit_code == 0, result.output
    from docx import Document

    cells = [c.text for t in Document("out/pacte-report.docx").tables for row in t.rows for c in row.cells]
    assert "Chantier Nautique des Pertuis (exemple)" in cells
    assert "17 décembre 2026" in Path("out/pacte-report.html").read_text(encoding="utf-8")


# --- the fiche d'animation -----------------------------------------------------------------------------


def test_fiche_has_the_guide_sections_the_indicators_over_time_and_a_chart(sample):
    result = invoke("pacte", "fiche", ID, "Composites", "--as-of", "2026-01-10", "-o", "out")
    assert result.exit_code == 0, result.output
    [md] = Path("out").glob("*.md")
    text = md.read_text(encoding="utf-8")
    for heading in (
        "## Le pacte et vous",
        "### Les principaux enjeux que vous rencontrez sur le territoire",
        "### La contribution spécifique que vous pensez pouvoir apporter",
        "## Votre plan d'action et indicateurs de réussite",
        "### À horizon 1 an",
        "### À horizon 3 ans",
    ):
        assert f"\n{heading}\n" in text
    assert "| Nombre de collaborateurs formés par les pôles de formations locaux | 6 | 9 |" in text
    assert (
        "| Bilan carbone, démarche d'éco-conception ou politique d'achats durables engagé par l'entreprise "
        "| non | oui |" in text
    )
    assert "| Prochaine revue | 20 mars 2026 |" in text
    charts = [line[line.index("](") + 2 : -1] for line in text.splitlines() if line.startswith("![")]
    assert len(charts) == 4 and all((md.parent / c).is_file() for c in charts)


def test_fiche_as_of_before_a_review_leaves_it_out():
    pacte, members, _ = loaded()
    slug, member = next((s, m) for s, m in members if s == ATELIER)
    sheet = fiche(pacte, slug, member, D(2024, 12, 31))
    assert [r.date for r in sheet.reviews] == [D(2024, 3, 10)]
    assert [c.commitment.id for c in sheet.commitments] == ["attr-e1", "env-e1", "fe-e1", "inno-e1"]
    assert [c.id for c in sheet.commitments[0].territoire] == ["attr-t1", "attr-t2"]


def test_fiche_of_an_unknown_member_is_a_usage_problem(sample):
    result = invoke("pacte", "fiche", ID, "inconnue")
    assert result.exit_code == 2
    assert ATELIER in result.output


# --- the interview campaign -----------------------------------------------------------------------------


def test_campaign_by_typology_and_priority():
    _, _, bundle = loaded()
    c = campaign(bundle.stakeholders.model, D(2026, 11, 23))
    assert (c.overall.total, c.overall.done, c.overall.left) == (21, 14, 6)
    by_typology = {t.key: (t.total, t.done, t.left) for t in c.by_typology}
    assert by_typology == {
        "Collectivités": (7, 5, 2),
        "Services et opérateurs de l'Etat": (5, 2, 2),
        "Entreprises": (4, 3, 1),
        "Société civile": (2, 2, 0),
        "Partenaires du pacte": (3, 2, 1),
    }
    assert {t.key: (t.total, t.done) for t in c.by_priority} == {
        "prioritaire": (8, 7),
        "souhaitable": (11, 7),
        "facultative": (2, 0),
    }
    assert next(x.entity for x, _ in c.to_do()) == "Département de la Charente-Maritime"  # the prioritaire one


def test_interviews_after_the_date_are_not_held_yet():
    _, _, bundle = loaded()
    c = campaign(bundle.stakeholders.model, D(2024, 6, 1))
    assert c.overall.done == 3  # CARO 23/05, CARA 28/05, CCI 30/05


def test_stakeholders_json(sample):
    result = invoke("pacte", "stakeholders", ID, "--as-of", "2026-11-23", "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert (data["contacts"], data["interviewed"], data["left"]) == (21, 14, 6)
    assert data["by_priority"][0] == {
        "priority": "prioritaire",
        "total": 8,
        "a_contacter": 1,
        "contacte": 0,
        "entretien_realise": 7,
        "decline": 0,
        "left": 1,
    }
    owners = {o["contact_owner"]: o["entities"] for o in data["by_owner"]}
    assert owners["Territoire d'industrie (CARA)"] == ["France Travail"]
    assert len(data["to_do"]) == 6


def test_fiche_as_pdf_carries_its_charts(sample):
    result = invoke("pacte", "fiche", ID, ATELIER, "--as-of", "2026-01-10", "--to", "pdf", "-o", "out/fiche.pdf")
    assert result.exit_code == 0, result.output
    from pypdf import PdfReader

    pages = PdfReader("out/fiche.pdf").pages
    assert "Fiche d'animation — Atelier Composites Charentais (exemple)" in " ".join(pages[0].extract_text().split())
    assert sum(len(page.images) for page in pages) == 4  # each chart drawn once


def test_stakeholders_without_the_file_is_a_usage_problem(sample):
    Path(f"{PACTE}/stakeholders.yaml").unlink()
    result = invoke("pacte", "stakeholders", ID)
    assert result.exit_code == 2
    assert (
        "pas de stakeholders.yaml dans data/pactes/rochefort-royan-marennes-oleron : le fichier des contacts"
        in result.output.replace("\u00a0", " ")
    )


ONE_THEME = """id: pacte-un-theme
title: Pacte à une thématique
adopted_on: 2021-03-01
membership_years: 3
review_every_months: 12
themes:
  - id: formation-emploi
    title: Formation et emploi
    commitments:
      - {id: fe-e1, side: entreprise, title: Accueillir des alternants, items: [Deux alternants par an]}
    indicators:
      - {id: alternants, title: Alternants accueillis, unit: personnes, scope: individuel, source: entreprise}
    committee: {participants: [Entreprises], cadence: semestriel, partners: []}
"""


def test_report_counts_one_theme_in_the_singular(sample):
    folder = Path(PACTE).parent / "pacte-un-theme"
    (folder / "members").mkdir(parents=True)
    (folder / "pacte.yaml").write_text(ONE_THEME, encoding="utf-8")
    result = invoke("pacte", "report", str(folder), "--as-of", "2022-01-15", "--output", "out")
    assert result.exit_code == 0, result.output
    text = said(Path("out/pacte-report.md").read_text(encoding="utf-8"))
    assert "- 1 thématique, 1 engagement réciproque, 1 indicateur." in text
