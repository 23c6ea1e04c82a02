"""``ti calendar`` (SPEC §15): every dated event of a contract or a pacte, as an iCalendar file that a calendar
imports twice without duplicates (stable UIDs, all-day events), a table or JSON; ``ti validate --soon N``."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import icalendar
from typer.testing import CliRunner

from conftest import CONTRACT, PACTE, edit, line_of, run, said
from ti_cli.cli import app

P2 = "data/contracts/rochefort-royan-marennes-oleron-2023"
Q4 = f"{CONTRACT}/progress/2021-Q4.yaml"
PHASE1 = ("--from", "2021-01-01", "--to", "2022-12-31")
MEMBER = f"{PACTE}/members/chantier-nautique-des-pertuis.yaml"


def invoke(*args: str):
    return CliRunner().invoke(app, list(args))


def ics(*args: str) -> icalendar.Calendar:
    result = invoke("calendar", *args, "--format", "ics")
    assert result.exit_code == 0, result.output
    return icalendar.Calendar.from_ical(result.stdout_bytes)


def vevents(calendar: icalendar.Calendar) -> dict[str, icalendar.Event]:
    found = list(calendar.walk("VEVENT"))
    uids = [str(e["UID"]) for e in found]
    assert len(uids) == len(set(uids)), "a UID twice in one file"
    return dict(zip(uids, found, strict=True))


def day_of(event: icalendar.Event) -> dt.date:
    return event.decoded("DTSTART")  # type: ignore[no-any-return]


def test_milestones_are_all_day_events_with_french_summaries_and_the_rfc_s_properties(sample):
    result = invoke("calendar", CONTRACT, *PHASE1, "--format", "ics")
    raw = result.stdout_bytes.decode("utf-8")
    assert raw.startswith("BEGIN:VCALENDAR\r\n") and raw.rstrip().endswith("END:VCALENDAR")
    assert "VERSION:2.0" in raw and "PRODID:" in raw
    assert "DTSTART;VALUE=DATE:20220630\r\n" in raw  # all-day: a date, no time
    calendar = icalendar.Calendar.from_ical(result.stdout_bytes)
    events = vevents(calendar)
    delivery = next(e for e in events.values() if "Livraison des premiers lots" in str(e["SUMMARY"]))
    assert said(str(delivery["SUMMARY"])) == "Jalon — action 1 : Livraison des premiers lots viabilisés"
    assert type(day_of(delivery)) is dt.date and day_of(delivery) == dt.date(2022, 6, 30)
    assert delivery.decoded("DTEND") == dt.date(2022, 7, 1)
    assert isinstance(delivery.decoded("DTSTAMP"), dt.datetime)
    assert "Action 1 — " in str(delivery["DESCRIPTION"])
    done = next(e for e in events.values() if "Démarrage des travaux de viabilisation" in str(e["SUMMARY"]))
    assert str(done["SUMMARY"]).startswith("Jalon atteint — action 1")
    # every event of the window, and the contract's end
    assert sum(1 for e in events.values() if str(e["SUMMARY"]).startswith("Jalon")) == 24
    assert any(str(e["SUMMARY"]).startswith("Fin de la période du contrat") for e in events.values())


def test_uids_are_the_same_on_a_second_run_and_after_a_milestone_moves(sample):
    first = vevents(ics(CONTRACT, *PHASE1))
    again = vevents(ics(CONTRACT, *PHASE1))
    assert first.keys() == again.keys()
    edit(
        Q4,
        "{date: 2022-06-30, label: Livraison des premiers lots viabilisés",
        "{date: 2022-09-15, label: Livraison des premiers lots viabilisés",
    )
    moved = vevents(ics(CONTRACT, *PHASE1))
    assert moved.keys() == first.keys()  # re-imported, the event is updated, not duplicated
    changed = [uid for uid in first if day_of(first[uid]) != day_of(moved[uid])]
    assert len(changed) == 1
    assert day_of(moved[changed[0]]) == dt.date(2022, 9, 15)
    assert changed[0].startswith("rochefort-royan-marennes-oleron.action-1.jalon.")


def test_phase2_plan_planned_ends_meetings_and_reminders_for_financing_still_requested(sample):
    Path(f"{P2}/decisions/2027-01-20-copil-local.yaml").write_text(
        "date: 2027-01-20\nbody: copil-local\ntitle: Comité de pilotage local du 20 janvier 2027\n",
        encoding="utf-8",
    )
    result = invoke("calendar", P2, "--from", "2026-01-01", "--to", "2027-06-30", "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert (data["owner"], data["type"], data["from"], data["to"]) == (
        "rochefort-royan-marennes-oleron-2023",
        "contract",
        "2026-01-01",
        "2027-06-30",
    )
    got = [(e["date"], e["kind"], e["action"]) for e in data["events"]]
    assert got == [
        # fallen due before the window and still sollicité: on its first day, not dropped
        ("2026-01-01", "reminder", 1),
        ("2026-01-01", "reminder", 2),
        ("2026-01-01", "reminder", 3),
        ("2026-04-01", "reminder", 6),  # France 2030 requested on 2025-10-01, still sollicité
        ("2026-09-30", "end", 5),
        ("2027-01-20", "meeting", None),
        ("2027-06-30", "end", 1),
    ]
    overdue = {e["action"]: said(e["summary"]) for e in data["events"][:3]}
    assert overdue[1].endswith(
        "sollicité auprès du financeur Banque des territoires, sans décision (relance due depuis le 01/09/2025)"
    )
    meeting = data["events"][5]
    assert said(meeting["summary"]) == "Comité de pilotage local du 20 janvier 2027"
    assert meeting["file"] == "decisions/2027-01-20-copil-local.yaml"
    assert meeting["uid"] == "rochefort-royan-marennes-oleron-2023.reunion.2027-01-20-copil-local@ti-cli"
    reminder = data["events"][3]
    assert reminder["uid"] == "rochefort-royan-marennes-oleron-2023.action-6.relance.etat-france-2030@ti-cli"
    assert "sollicité le 01/10/2025 auprès du financeur État (France 2030)" in said(reminder["description"])
    assert "auprès du financeur État (France 2030), sans décision" in said(reminder["summary"])  # never « de État »
    assert "60 000 €" in said(reminder["description"])
    # decided: no reminder any more
    edit(f"{P2}/actions/06-ecosysteme-innovation.yaml", "status: sollicite", "status: obtenu")
    result = invoke("calendar", P2, "--from", "2026-01-01", "--to", "2027-06-30", "--format", "json")
    assert [e["action"] for e in json.loads(result.stdout)["events"] if e["kind"] == "reminder"] == [1, 2, 3]


def test_a_draft_releve_is_a_meeting_to_hold_on_its_date_and_keeps_its_uid_once_adopted(sample):
    draft = Path(f"{P2}/decisions/2026-11-20-projet-releve.yaml")
    draft.write_text(
        "date: 2026-11-20\nbody: comite-de-projets\ntitle: Comité de projets du 20 novembre 2026\ndraft: true\n"
        "decisions:\n  - {action: 2, kind: modification, summary: Coût porté à 3 800 000 €}\n",
        encoding="utf-8",
    )

    def meeting() -> dict[str, str]:
        result = invoke("calendar", P2, "--from", "2026-11-20", "--to", "2026-11-20", "--format", "json")
        assert result.exit_code == 0, result.output
        [found] = [e for e in json.loads(result.stdout)["events"] if e["kind"] == "meeting"]
        return {k: said(v) for k, v in found.items() if k in ("uid", "summary", "description")}

    drafted = meeting()
    assert drafted["summary"] == "Comité de projets du 20 novembre 2026 (projet de relevé)"
    assert (
        "\nProjet de relevé, pas encore adopté : ses décisions sont proposées, pas prises.\nDécisions proposées :\n"
        "- action 2 : Coût porté à 3 800 000 €"
    ) in drafted["description"]
    edit(str(draft), "draft: true\n", "")  # the meeting adopted it
    adopted = meeting()
    assert (
        adopted["uid"]
        == drafted["uid"]
        == "rochefort-royan-marennes-oleron-2023.reunion.2026-11-20-projet-releve@ti-cli"
    )
    assert adopted["summary"] == "Comité de projets du 20 novembre 2026"
    assert "Projet de relevé" not in adopted["description"] and "\nDécisions :\n- action 2 : " in adopted["description"]


def test_a_pacte_s_reviews_keep_their_uid_from_due_to_held(sample):
    window = ("--from", "2026-01-01", "--to", "2027-12-31")
    before = vevents(ics(PACTE, *window))
    uid = "rochefort-royan-marennes-oleron.membre-chantier-nautique-des-pertuis.revue-2@ti-cli"
    assert day_of(before[uid]) == dt.date(2026, 2, 27)
    assert said(str(before[uid]["SUMMARY"])) == "Revue due — Chantier Nautique des Pertuis (exemple) (revue n° 2)"
    ends = "rochefort-royan-marennes-oleron.membre-chantier-nautique-des-pertuis.fin-adhesion@ti-cli"
    assert day_of(before[ends]) == dt.date(2027, 2, 28)
    edit(MEMBER, "reviews:\n", "reviews:\n  - {date: 2026-03-10, notes: Revue tenue en retard}\n")
    after = vevents(ics(PACTE, *window))
    assert day_of(after[uid]) == dt.date(2026, 3, 10)
    assert str(after[uid]["SUMMARY"]).startswith("Revue tenue — Chantier Nautique des Pertuis")
    # the review that was projected for 2027 is gone: the next one would fall after the membership's end
    assert "rochefort-royan-marennes-oleron.membre-chantier-nautique-des-pertuis.revue-3@ti-cli" in before
    assert "rochefort-royan-marennes-oleron.membre-chantier-nautique-des-pertuis.revue-3@ti-cli" not in after
    assert any(str(e["SUMMARY"]).startswith("Comité du pacte — Attractivité") for e in after.values())


def test_a_window_with_no_date_is_an_empty_valid_calendar_and_says_so(sample, tmp_path):
    out = tmp_path / "out" / "vide.ics"
    result = invoke("calendar", CONTRACT, "--from", "2023-01-01", "--to", "2023-06-30", "--output", str(out))
    assert result.exit_code == 0, result.output
    assert "aucun événement daté entre le 01/01/2023 et le 30/06/2023 : le calendrier est vide" in said(result.stderr)
    calendar = icalendar.Calendar.from_ical(out.read_bytes())
    assert list(calendar.walk("VEVENT")) == []
    assert calendar.walk("VTIMEZONE")  # RFC 5545 wants one component: the time zone, which no event uses
    # a contract whose period is over, by default from today: empty too, with the reason
    result = invoke("calendar", CONTRACT, "--format", "ics")
    assert result.exit_code == 0
    assert "la période a pris fin le 31/12/2022" in said(result.stderr)
    assert list(icalendar.Calendar.from_ical(result.stdout_bytes).walk("VEVENT")) == []


def test_the_table_and_bad_input(sample):
    result = invoke("calendar", P2, "--from", "2026-09-01", "--to", "2026-10-31")
    assert result.exit_code == 0, result.output
    assert "30/09/2026" in result.stdout and "Fin prévue — action 5" in said(result.stdout)
    result = invoke("calendar", "nulle-part")
    assert result.exit_code == 2
    assert "aucun contrat ni pacte « nulle-part »" in said(result.stderr)
    result = invoke("calendar", P2, "--from", "2026-09-01", "--to", "2026-01-01")
    assert result.exit_code == 2
    result = invoke("calendar", P2, "--format", "pdf")
    assert result.exit_code == 2


def validate_json(*args: str) -> dict:
    result = invoke("validate", CONTRACT, "--format", "json", *args)
    return json.loads(result.stdout)


def test_validate_soon_warns_of_milestones_due_within_n_days_at_their_line(sample):
    soon = [f for f in validate_json("--as-of", "2022-03-01", "--soon", "30")["findings"] if f["code"] == "TI055"]
    # due on 31/03/2022, not done, in the latest report by then (2021-Q4): actions 2, 7 and 8
    assert [(Path(f["file"]).name, f["line"]) for f in soon] == [
        ("2021-Q4.yaml", line_of(Q4, "Acquisition des terrains de SNCF")),
        ("2021-Q4.yaml", line_of(Q4, "Restitution de l'étude d'opportunité")),
        ("2021-Q4.yaml", line_of(Q4, "Mise en ligne du site internet")),
    ]
    assert all(f["severity"] == "warning" for f in soon)
    assert said(soon[0]["message"]) == (
        "action 2 : jalon « Acquisition des terrains de SNCF Réseau » à échéance le 31/03/2022, dans 30 jours"
    )
    # one day short: none; past due or done: never « soon »; without --soon: nothing
    assert not [f for f in validate_json("--as-of", "2022-03-01", "--soon", "29")["findings"] if f["code"] == "TI055"]
    assert not [f for f in validate_json("--as-of", "2022-04-01", "--soon", "20")["findings"] if f["code"] == "TI055"]
    assert not [f for f in validate_json("--as-of", "2022-03-01")["findings"] if f["code"] == "TI055"]
    edit(
        Q4,
        "{date: 2022-03-31, label: Acquisition des terrains de SNCF Réseau, done: false}",
        "{date: 2022-03-31, label: Acquisition des terrains de SNCF Réseau, done: true}",
    )
    soon = [f for f in validate_json("--as-of", "2022-03-01", "--soon", "30")["findings"] if f["code"] == "TI055"]
    assert len(soon) == 2


def test_a_pacte_s_window_runs_to_its_last_membership_s_end_by_default(sample):
    result = invoke("calendar", PACTE, "--from", "2026-01-01", "--format", "json")
    data = json.loads(result.stdout)
    assert (data["type"], data["to"]) == ("pacte", "2029-01-15")  # Saveurs Iodées joined on 2026-01-15, 3 years
    assert data["events"][-1]["kind"] == "membership-end"
    assert data["events"][-1]["member"] == "saveurs-iodees-oleron"


def test_validate_as_of_warns_of_milestones_past_due_at_their_line(sample):
    Q3 = f"{CONTRACT}/progress/2021-Q3.yaml"
    late = [f for f in validate_json("--as-of", "2022-01-15")["findings"] if f["code"] == "TI056"]
    # on 15/01/2022 the latest report is 2021-Q3 (Q4 was reported on 18/01/2022): its milestones dated on or
    # before that day and not done
    assert [(Path(f["file"]).name, f["line"]) for f in late] == [
        ("2021-Q3.yaml", line_of(Q3, "Démarrage des travaux de viabilisation")),
        ("2021-Q3.yaml", line_of(Q3, "Schéma directeur de la formation")),
        ("2021-Q3.yaml", line_of(Q3, "Ouverture de la pépinière de Rochefort")),
        ("2021-Q3.yaml", line_of(Q3, "Validation du scénario par l'instance locale")),
        ("2021-Q3.yaml", line_of(Q3, "Création du groupement d'entreprises")),
    ]
    assert all(f["severity"] == "warning" for f in late)
    assert said(late[0]["message"]) == (
        "action 1 : jalon « Démarrage des travaux de viabilisation » prévu le 30/11/2021 et non atteint : en retard"
    )
    # what to do, where the terminal shows it under the line: report it done, or record the new date
    [first, *_rest] = [f for f in run(CONTRACT, as_of=dt.date(2022, 1, 15)).findings if f.code == "TI056"]
    assert [said(d) for d in first.details] == [
        "s'il est atteint : mettez `done: true` à ce jalon dans l'état d'avancement de l'action",
        "s'il est reporté : écrivez sa nouvelle date, convenue par avenant (phase 1) ou consignée dans une "
        "décision (phase 2)",
    ]
    # the same files judged on another day (the cache does not answer for the first): after Q4's report, its
    # milestones; a milestone due that very day is late (SPEC §14, as in the quarterly report)
    late = [f for f in validate_json("--as-of", "2022-03-31")["findings"] if f["code"] == "TI056"]
    assert [(Path(f["file"]).name, f["line"]) for f in late] == [
        ("2021-Q4.yaml", line_of(Q4, "Acquisition des terrains de SNCF")),
        ("2021-Q4.yaml", line_of(Q4, "Restitution de l'étude d'opportunité")),
        ("2021-Q4.yaml", line_of(Q4, "Mise en ligne du site internet")),
    ]
    edit(
        Q4,
        "{date: 2022-03-31, label: Acquisition des terrains de SNCF Réseau, done: false}",
        "{date: 2022-03-31, label: Acquisition des terrains de SNCF Réseau, done: true}",
    )
    assert len([f for f in validate_json("--as-of", "2022-03-31")["findings"] if f["code"] == "TI056"]) == 2
    # the day before: none past due yet
    assert not [f for f in validate_json("--as-of", "2022-03-30")["findings"] if f["code"] == "TI056"]
    # an action reported termine (or abandonne) is not late, whatever its milestones say
    edit(
        Q4,
        "{date: 2021-12-09, label: Validation du scénario par l'instance locale, done: true}",
        "{date: 2021-12-09, label: Validation du scénario par l'instance locale, done: false}",
    )
    assert len([f for f in validate_json("--as-of", "2022-03-31")["findings"] if f["code"] == "TI056"]) == 2
