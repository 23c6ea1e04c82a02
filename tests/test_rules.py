"""One planted defect per rule, each reported with its code, file and line; the sample is clean."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import CONTRACT, PACTE, ROOT, edit, found, line_of, planted, run, said
from ti_cli.rules.codes import LOADING
from ti_cli.rules.docs import markdown
from ti_cli.rules.registry import all_rules

A1 = f"{CONTRACT}/actions/01-filiere-aeronautique.yaml"
A3 = f"{CONTRACT}/actions/03-pole-territorial-formation.yaml"
A4 = f"{CONTRACT}/actions/04-pepinieres-entreprises.yaml"
Q3 = f"{CONTRACT}/progress/2021-Q3.yaml"
Q4 = f"{CONTRACT}/progress/2021-Q4.yaml"
SHARE = f"{CONTRACT}/cost-sharing/chef-de-projet-finistere.yaml"
NAUTIQUE = f"{PACTE}/members/chantier-nautique-des-pertuis.yaml"


def test_the_sample_has_no_error(sample):
    report = run()
    assert report.errors == 0, [f for f in report.findings]
    assert report.files == len(list(Path("data").rglob("*.yaml")))  # every file is one ti knows


def test_sample_warnings_are_the_pacte_reviews_the_seeds_blanks_and_the_milestones_left_open(sample):
    # the pacte's reviews, the blanks the signed seed left in its preamble (« n°XXX », TI039), and the
    # milestones the phase-1 contract's last report leaves open, past due since 2022 (TI056)
    assert {f.code for f in run().findings} == {"TI077", "TI078", "TI039", "TI056"}


def test_cost_total_mismatch_shows_expected_found_and_difference(sample):
    edit(A1, "total: 16753500", "total: 16754500")
    [finding] = [f for f in run().findings if f.code == "TI023"]
    assert (Path(finding.file).name, finding.line) == ("01-filiere-aeronautique.yaml", line_of(A1, "total:"))
    assert (
        said(finding.message) == "total 16 754 500 € ≠ investissement + fonctionnement 16 753 500 € (1 000 € de trop)"
    )
    assert "attendu : 16 753 500 €" in [said(d) for d in finding.details]


def test_contract_id_must_equal_folder(sample):
    edit(f"{CONTRACT}/contract.yaml", "id: rochefort-royan-marennes-oleron", "id: rochefort")
    assert planted(run()) == {("TI030", "contract.yaml", line_of(f"{CONTRACT}/contract.yaml", "id: rochefort"))}


def test_duplicate_action_number(sample):
    edit(A4, "number: 4", "number: 3")
    findings = planted(run())
    assert {f for f in findings if f[0] != "TI040"} == {
        ("TI031", "04-pepinieres-entreprises.yaml", line_of(A4, "number: 3")),
        ("TI032", "04-pepinieres-entreprises.yaml", line_of(A4, "number: 3")),  # its file still says 04
    }
    # and the quarters that report on action 4, which no file now holds
    assert {f[:2] for f in findings if f[0] == "TI040"} == {("TI040", f"2021-Q{q}.yaml") for q in (2, 3, 4)}


def test_file_prefix_must_equal_number(sample):
    shutil.move(A4, f"{CONTRACT}/actions/14-pepinieres-entreprises.yaml")
    assert planted(run()) == {
        (
            "TI032",
            "14-pepinieres-entreprises.yaml",
            line_of(f"{CONTRACT}/actions/14-pepinieres-entreprises.yaml", "number: 4"),
        )
    }


def test_unknown_financer(sample):
    edit(A1, "{financer: region, eligibility: validee}", "{financer: regoin, eligibility: validee}")
    assert planted(run()) == {("TI033", "01-filiere-aeronautique.yaml", line_of(A1, "regoin"))}


def test_unknown_owner_party(sample):
    edit(A1, "owner_parties: [cara, caro]", "owner_parties: [cara, carp]")
    assert planted(run()) == {("TI034", "01-filiere-aeronautique.yaml", line_of(A1, "carp"))}


def test_duplicate_party_id(sample):
    contract = f"{CONTRACT}/contract.yaml"
    edit(contract, "id: cara\n", "id: caro\n")
    codes = {f.code for f in run().findings}
    assert "TI036" in codes


def test_financing_above_cost(sample):
    edit(A1, "{financer: etat, eligibility: validee}", "{financer: etat, eligibility: validee, amount: 10000000}")
    edit(A1, "{financer: region, eligibility: validee}", "{financer: region, eligibility: validee, amount: 7000000}")
    [finding] = [f for f in run().findings if f.code == "TI035"]
    assert finding.line == line_of(A1, "financing:")
    assert "246 500 € de trop" in said(finding.message)


def test_structurante_without_validated_financer_warns(sample):
    text = Path(A4).read_text(encoding="utf-8").replace("eligibility: validee", "eligibility: a_confirmer")
    Path(A4).write_text(text, encoding="utf-8")
    assert planted(run()) == {("TI050", "04-pepinieres-entreprises.yaml", line_of(A4, "category:"))}


def test_cgct_l1111_10_own_share_below_20_percent(sample):
    edit(A3, "{financer: etat, eligibility: validee}", "{financer: etat, eligibility: validee, amount: 900000}")
    edit(
        A3,
        "{financer: region, eligibility: validee}",
        "{financer: region, eligibility: validee, amount: 500000}\n  - {financer: autofinancement, "
        "eligibility: validee, amount: 100000}",
    )
    [finding] = [f for f in run().findings if f.code == "TI051"]
    assert finding.line == line_of(A3, "financing:")
    assert "100 000 €, fait 6,7 % du financement public 1 500 000 €" in said(finding.message)


def test_cgct_l1111_10_derogation_silences_the_warning(sample):
    edit(A3, "{financer: etat, eligibility: validee}", "{financer: etat, eligibility: validee, amount: 900000}")
    Path(A3).write_text(
        Path(A3).read_text(encoding="utf-8") + "derogation_l1111_10: arrêté préfectoral\n", encoding="utf-8"
    )
    assert "TI051" not in {f.code for f in run().findings}


def test_progress_for_unknown_action(sample):
    edit(Q4, "  - number: 2\n", "  - number: 12\n")
    assert planted(run()) == {
        ("TI040", "2021-Q4.yaml", line_of(Q4, "number: 12")),
        # action 2's latest report is now 2021-Q3: its milestone of 31/03/2022, open there, is late
        ("TI056", "2021-Q3.yaml", line_of(Q3, "Acquisition des terrains de SNCF Réseau")),
    }


def test_quarter_outside_period(sample):
    edit(Q4, "quarter: 2021-Q4", "quarter: 2023-Q4")
    assert planted(run()) == {
        ("TI041", "2021-Q4.yaml", 4),
        ("TI043", "2021-Q4.yaml", line_of(Q4, "reported_on")),  # reported before that quarter began
    }


def test_milestone_outside_period(sample):
    edit(Q4, "{date: 2020-10-15,", "{date: 2019-10-15,")
    assert planted(run()) == {("TI042", "2021-Q4.yaml", line_of(Q4, "2019-10-15"))}


def test_reported_before_quarter_start(sample):
    edit(Q4, "reported_on: 2022-01-18", "reported_on: 2021-09-18")
    assert planted(run()) == {("TI043", "2021-Q4.yaml", line_of(Q4, "reported_on"))}


def test_progress_out_of_range_is_a_schema_error(sample):
    edit(Q4, "progress: 30\n", "progress: 130\n")
    # and no cascade: the milestones of 2021-Q3 are not judged late while the latest report is broken (TI056)
    assert planted(run()) == {("TI014", "2021-Q4.yaml", line_of(Q4, "progress: 130"))}


def test_spent_above_cost_warns(sample):
    edit(Q4, "spent: {investment: 4350000, operating: 42000}", "spent: {investment: 4350000, operating: 92000}")
    assert planted(run()) == {("TI052", "2021-Q4.yaml", line_of(Q4, "operating: 92000"))}


def test_finished_action_checks(sample):
    text = Path(Q4).read_text(encoding="utf-8")
    entry = text.index("  - number: 6")
    report = text.index("    completion_report:", entry)
    after = text.find("\n  - number", report)
    rest = "" if after == -1 else text[after + 1 :]
    Path(Q4).write_text(text[:report].replace("progress: 100", "progress: 90") + rest, encoding="utf-8")
    codes = {f.code for f in run().findings}
    assert {"TI053", "TI054"} <= codes


def test_fixed_shares_must_add_up(sample):
    text = Path(SHARE).read_text(encoding="utf-8").replace("key: weights", "key: fixed")
    text = text.replace("weight: 210000", "amount: 127500")
    for part in text.split("\n"):
        if "weight:" in part:
            text = text.replace(part, part.split(", weight:")[0] + ", amount: 0}")
    Path(SHARE).write_text(text, encoding="utf-8")
    [finding] = [f for f in run().findings if f.code == "TI061"]
    assert "127 500 €, et non les 127 600 € qui restent après subventions (100 € manquants)" in said(finding.message)


def test_subsidy_with_unknown_financer(sample):
    edit(SHARE, "{financer: etat, rate: 0.5", "{financer: eta, rate: 0.5")
    assert planted(run()) == {("TI060", "chef-de-projet-finistere.yaml", line_of(SHARE, "eta,"))}


def test_siret_checksum(sample):
    text = Path(NAUTIQUE).read_text(encoding="utf-8")
    siret = text.split("siret:")[1].split("\n")[0].strip().strip('"')
    bad = siret[:-1] + str((int(siret[-1]) + 1) % 10)
    edit(NAUTIQUE, siret, bad)
    assert planted(run()) == {("TI070", "chantier-nautique-des-pertuis.yaml", line_of(NAUTIQUE, "siret"))}


def test_member_takes_a_territoire_commitment(sample):
    edit(NAUTIQUE, "commitments: [env-e2,", "commitments: [attr-t1,")
    assert planted(run()) == {("TI071", "chantier-nautique-des-pertuis.yaml", line_of(NAUTIQUE, "attr-t1"))}


def test_review_before_joining_and_unknown_indicator(sample):
    edit(NAUTIQUE, "date: 2025-02-27", "date: 2023-02-27")
    assert planted(run()) == {("TI074", "chantier-nautique-des-pertuis.yaml", line_of(NAUTIQUE, "2023-02-27"))}


def test_overdue_review_and_ended_membership_depend_on_the_date(sample):
    import datetime as dt

    assert not {"TI077", "TI078"} & {f.code for f in run(as_of=dt.date(2025, 6, 1)).findings}
    assert {"TI077", "TI078"} <= {f.code for f in run(as_of=dt.date(2026, 11, 23)).findings}


def test_one_broken_file_does_not_stop_the_others(sample):
    Path(A1).write_text("number: [\n", encoding="utf-8")
    edit(A4, "total: 3090000", "total: 3090001")
    codes = {(f.code, Path(f.file).name) for f in run().findings}
    assert ("TI001", "01-filiere-aeronautique.yaml") in codes
    assert ("TI023", "04-pepinieres-entreprises.yaml") in codes


def test_a_named_file_reports_only_its_own_findings(sample):
    edit(A4, "total: 3090000", "total: 3090001")
    edit(A1, "total: 16753500", "total: 16753501")
    report = run(A1)
    assert {Path(f.file).name for f in report.findings} == {"01-filiere-aeronautique.yaml"}
    assert report.files == 1


@pytest.mark.parametrize("code", sorted(all_rules()))
def test_every_rule_is_documented_and_tested(code):
    rule = all_rules()[code]
    assert "Bad" in rule.doc or "Fix" in rule.doc, f"{code}: its doc needs a bad example and a fix"
    tests = "".join(p.read_text(encoding="utf-8") for p in (ROOT / "tests").glob("test_*.py"))
    assert f'"{code}"' in tests, f"no test mentions {code}"


def test_docs_rules_md_is_current_in_french_and_in_english():
    from ti_cli import i18n

    assert (ROOT / "docs" / "rules.md").read_text(encoding="utf-8") == markdown(), "run `make docs`"
    i18n.activate("en")
    try:
        assert (ROOT / "docs" / "rules.en.md").read_text(encoding="utf-8") == markdown(), "run `make docs`"
    finally:
        i18n.activate("fr")
    assert set(LOADING).isdisjoint(all_rules())


def test_period_must_end_after_it_starts(sample):
    contract = f"{CONTRACT}/contract.yaml"
    edit(contract, "end: 2022-12-31", "end: 2019-12-31")
    findings = planted(run())
    assert {f for f in findings if f[0] not in ("TI041", "TI042")} == {
        ("TI037", "contract.yaml", line_of(contract, "2019-12-31"))
    }
    # and every quarter and milestone is now outside the period
    assert {f[1] for f in findings if f[0] in ("TI041", "TI042")} <= {f"2021-Q{q}.yaml" for q in (1, 2, 3, 4)}


def test_a_logo_must_be_a_png_or_jpeg_in_the_contract_folder(sample):
    contract = Path(CONTRACT, "contract.yaml")
    Path(CONTRACT, "logo.png").write_text("pas une image", encoding="utf-8")
    contract.write_text(contract.read_text(encoding="utf-8") + "logos: [logo.png]\n", encoding="utf-8")
    assert planted(run()) == {("TI038", "contract.yaml", line_of(contract, "logos:"))}


def test_review_indicator_must_exist_and_fit_its_unit(sample):
    edit(NAUTIQUE, "investissements-renovation-immobiliere: 185000", "investissements-renovation-immobiliere: beaucoup")
    edit(NAUTIQUE, "part-surfaces-vegetalisees: 12.5", "part-surfaces-vegetalise: 12.5")
    result = found(run())
    assert ("TI073", "chantier-nautique-des-pertuis.yaml", line_of(NAUTIQUE, "beaucoup")) in result
    assert ("TI073", "chantier-nautique-des-pertuis.yaml", line_of(NAUTIQUE, "part-surfaces-vegetalise:")) in result


def test_pacte_ids_unique(sample):
    pacte = f"{PACTE}/pacte.yaml"
    edit(pacte, "- id: env-e1", "- id: attr-e1")
    text = Path(pacte).read_text(encoding="utf-8").splitlines()
    lines = [n for n, line in enumerate(text, 1) if "id: attr-e1" in line]
    members = {
        m: Path(PACTE, "members", m) for m in ("atelier-composites-charentais.yaml", "saveurs-iodees-oleron.yaml")
    }
    assert planted(run()) == {
        ("TI076", "pacte.yaml", lines[1]),
        *(("TI071", name, line_of(path, "env-e1")) for name, path in members.items()),  # env-e1 is gone
    }


def test_pacte_territory_names_a_contract(sample):
    edit(f"{PACTE}/pacte.yaml", "territory: rochefort-royan-marennes-oleron", "territory: rochefort")
    assert planted(run()) == {("TI079", "pacte.yaml", line_of(f"{PACTE}/pacte.yaml", "territory:"))}


def test_siret_written_as_a_bare_number_is_read_as_its_digits(sample):
    text = Path(NAUTIQUE).read_text(encoding="utf-8")
    siret = text.split("siret:")[1].split("\n")[0].strip().strip('"')
    edit(NAUTIQUE, text.split("siret:")[1].split("\n")[0], f" {siret}")
    assert not [f for f in run(NAUTIQUE).findings if f.severity.value == "error"]
