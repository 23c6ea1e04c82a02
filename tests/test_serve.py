"""``ti serve`` over HTTP: the sample's figures to the cent (the same as ``ti totals``), live edits, broken
files as findings, 404s, and the safety rules — loopback, read-only, no path traversal, CSP, port in use."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import AS_OF, CONTRACT, edit, line_of, said
from serving import ID, get, serving
from ti_cli import french
from ti_cli.cli import app
from ti_cli.serve.app import CSP, MAX_PAGE
from ti_cli.serve.server import warning_for

A1 = f"{CONTRACT}/actions/01-filiere-aeronautique.yaml"


@pytest.fixture
def base(sample: Path):
    with serving(sample / "data", sample / ".ti-cache") as url:
        yield url


def totals_json(*args: str) -> dict:
    result = CliRunner().invoke(app, ["totals", ID, "--format", "json", *args])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def cents(amount: str) -> str:
    return french.euros(Decimal(amount), 2)


def test_home_lists_the_sample_with_the_totals_of_ti_totals(base):
    page = get(base + "/")
    expected = totals_json()
    assert page.status == 200
    row = re.search(rf'<tr data-contrat="{ID}">(.*?)</tr>', page.text, re.S).group(1)
    assert f'href="/contrats/{ID}"' in row
    assert cents(expected["total"]) in row  # 16 753 500,00 € style, to the cent
    assert cents(expected["financing"]["to_find"]) in row
    assert "4e trimestre 2021" in row  # the latest progress file
    assert f'href="/pactes/{ID}"' in page.text


def test_contract_page_has_the_totals_and_axis_groups_of_ti_totals(base):
    page = get(f"{base}/contrats/{ID}").text
    expected = totals_json("--by", "axis")
    assert f'id="total">{cents(expected["total"])}<' in page
    # the 16 validated lines of the signed contract have no amounts: acquis is not known, never « 0,00 € »
    assert expected["financing"]["secured"] == "0.00" and expected["financing"]["unknown_amounts"] == 21
    assert 'id="secured">non précisé<' in page and "0,00" not in page.split('id="secured">')[1][:20]
    for group in expected["groups"]:
        assert cents(group["total"]) in page
    assert page.count(f'href="/contrats/{ID}/actions/') == 9


def test_action_table_filters_and_sorts(base):
    page = get(f"{base}/contrats/{ID}?axe=RECRUTER&tri=cout&ordre=desc").text
    rows = [(int(n), Decimal(c)) for n, c in re.findall(r'<tr data-action="(\d+)" data-cout="([\d.]+)"', page)]
    assert rows and 1 not in [n for n, _ in rows]  # action 1 is ATTIRER
    assert f"{len(rows)} action" in page and "sur 9" in page
    assert [c for _, c in rows] == sorted((c for _, c in rows), reverse=True)  # the most expensive first
    late = get(f"{base}/contrats/{ID}?retard=oui").text
    assert all('class="late"' in row for row in re.findall(r"<tr data-action=[^>]*>", late))


def test_an_action_whose_cost_is_not_given_shows_no_cost_of_0_euros(sample):
    # SPEC §4: an action en amorçage may have no cost; unknown is not zero (§14), the annex prints « – »
    edit(
        f"{CONTRACT}/actions/06-conciergerie-territoriale.yaml",
        "cost:\n  investment: 0\n  operating: 20000\n  total: 20000\n",
        "",
    )
    with serving(sample / "data", sample / ".ti-cache") as url:
        page = get(f"{url}/contrats/{ID}?tri=cout").text
    row = said(re.search(r'<tr data-action="6"[^>]*>.*?</tr>', page, re.S).group(0))
    assert 'data-cout=""' in row
    cost, secured, to_find = re.findall(r'<td class="num">([^<]*)</td>', row)[-3:]
    # no cost, no line: a cost and a reste à financer not given, nothing acquis
    assert (cost, secured, to_find) == ("–", "0,00 €", "–")
    # the figure's one name (SPEC §14), as ti totals and the deck print it
    assert "Sans financeur identifié" in page and "Sans financement identifié" not in page


def test_action_page_shows_each_financing_line_and_a_live_edit(sample, base):
    page = get(f"{base}/contrats/{ID}/actions/1").text
    table = re.search(r'<table class="data" id="plan-de-financement">(.*?)</table>', page, re.S).group(1)
    assert table.count("<tr>") == 7  # header + the 6 lines of the fiche
    assert "validée" in table
    edit(A1, "- {financer: etat, eligibility: validee}", "- {financer: etat, eligibility: validee, amount: 1234567.89}")
    page = get(f"{base}/contrats/{ID}/actions/1").text  # no restart
    assert "1 234 567,89 €" in page
    contract = get(f"{base}/contrats/{ID}").text
    assert f'id="secured">{cents(totals_json()["financing"]["secured"])}<' in contract
    assert 'id="secured">1 234 567,89 €<' in contract


def test_a_broken_file_is_a_findings_page_not_a_crash(sample, base, capfd):
    Path(A1).write_text("number: 1\ntitle: [unclosed\n", encoding="utf-8")
    page = get(f"{base}/contrats/{ID}")
    assert page.status == 200
    assert "des erreurs à corriger" in page.text
    assert "01-filiere-aeronautique.yaml" in page.text
    assert "Traceback" not in page.text
    home = get(base + "/").text
    assert re.search(rf'<tr data-contrat="{ID}">.*?erreur', home, re.S)
    assert get(f"{base}/contrats/{ID}/actions/2").status == 200  # the same findings page, not a 500
    assert "Traceback" not in capfd.readouterr().err


def test_findings_page_shows_a_planted_error_at_its_line(sample, base):
    edit(A1, "total: 16753500", "total: 16753501")
    line = line_of(A1, "total: 16753501")
    page = get(base + "/constats").text
    block = re.search(rf'<div class="finding error" data-code="(\w+)" data-line="{line}">(.*?)</div>', page, re.S)
    assert block, page
    assert "total: 16753501" in block.group(2)  # the excerpt
    assert '<span class="caret">' in block.group(2)
    assert f"#L{line}" in block.group(2) and "vscode://file/" in block.group(2)


def test_unknown_contract_or_action_is_a_404_that_links_home(base):
    for path in ("/contrats/inconnu", f"/contrats/{ID}/actions/99", "/pactes/inconnu", "/nulle-part"):
        page = get(base + path)
        assert page.status == 404, path
        assert 'href="/"' in page.text and "Introuvable" in page.text


@pytest.mark.parametrize(
    "path",
    [
        "/fichiers/../../pyproject.toml",
        "/fichiers/%2e%2e/%2e%2e/pyproject.toml",
        "/fichiers/%2e%2e%2f%2e%2e%2fetc/passwd",
        "/fichiers//etc/passwd",
        "/fichiers/contracts/../../templates/base.html.j2",
        "/static/..%2fbase.html.j2",
        f"/documents/contrats/{ID}/..%2f..%2fpyproject.toml",
        f"/documents/contrats/{ID}/contrat.toml",
        "/documents/contrats/..%2f..%2fetc/contrat.md",
    ],
)
def test_no_url_reaches_a_file_outside_the_data(base, path):
    page = get(base + path)
    assert page.status == 404
    assert b"[project]" not in page.body and b"root:" not in page.body


def test_a_data_file_can_be_viewed_by_its_line(base):
    page = get(f"{base}/fichiers/contracts/{ID}/actions/01-filiere-aeronautique.yaml")
    assert page.status == 200 and 'id="L16"' in page.text and "total: 16753500" in page.text


def test_every_page_is_read_only_and_locked_down(sample, base):
    def snapshot() -> dict[str, str]:
        return {
            str(p): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted((sample / "data").rglob("*"))
            if p.is_file()
        }

    before = snapshot()
    for path in (
        "/",
        f"/contrats/{ID}",
        f"/contrats/{ID}/actions/3",
        f"/pactes/{ID}",
        "/constats",
        "/documents",
        f"/fichiers/contracts/{ID}/contract.yaml",
        "/static/serve.js",
    ):
        page = get(base + path)
        assert page.status == 200, path
        assert page.headers["content-security-policy"] == CSP  # no inline script or style, nothing from elsewhere
        assert page.headers["x-content-type-options"] == "nosniff"
    document = get(f"{base}/documents/contrats/{ID}/fiche-01.html")
    assert document.headers["content-security-policy"].startswith("default-src 'none';")
    assert "script-src" not in document.headers["content-security-policy"]
    assert get(base + "/", method="POST").status == 405
    assert get(f"{base}/contrats/{ID}", method="DELETE").status == 405
    assert get(base + "/", headers={"Host": "evil.example"}).status == 400  # DNS rebinding
    assert snapshot() == before


def test_documents_are_the_ones_ti_render_writes(sample, base, tmp_path):
    served = get(f"{base}/documents/contrats/{ID}/fiche-03.md")
    assert served.status == 200
    assert served.headers["content-disposition"].startswith("attachment")
    as_of = AS_OF.isoformat()  # the server's day: the fiche's milestones are judged against it
    result = CliRunner().invoke(
        app, ["render", "fiche", ID, "3", "--to", "md", "--as-of", as_of, "--output", str(tmp_path)]
    )
    assert result.exit_code == 0, result.output
    assert served.body == (tmp_path / "fiche-03.md").read_bytes()
    html = get(f"{base}/documents/pactes/{ID}/bilan-annuel.html")
    assert html.status == 200 and html.headers["content-type"].startswith("text/html")
    assert "script-src" not in html.headers["content-security-policy"]
    pdf = get(f"{base}/documents/contrats/{ID}/etat-2021-Q4.pdf?telecharger=1")
    assert pdf.status == 200 and pdf.body.startswith(b"%PDF") and pdf.headers["content-type"] == "application/pdf"
    assert pdf.headers["content-disposition"] == f'attachment; filename="{ID}-etat-2021-Q4.pdf"'
    listing = get(base + "/documents").text
    for key in ("contrat", "etat-2021-Q4", "fiche-09", "bilan-annuel"):
        assert f"/{key}.pdf" in listing and f"/{key}.docx" in listing
    assert not (sample / "data" / "out").exists() and not list((sample / "data").rglob("*.pdf"))


def test_a_sample_page_answers_within_100_ms_once_warm(base):
    get(f"{base}/contrats/{ID}")
    took = []
    for _ in range(5):
        start = time.perf_counter()
        assert get(f"{base}/contrats/{ID}").status == 200
        took.append(time.perf_counter() - start)
    assert min(took) < 0.1, took


def test_a_port_in_use_is_one_french_line_and_exit_2(sample):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = CliRunner().invoke(app, ["serve", "--port", str(port)])
    assert result.exit_code == 2
    assert f"le port {port} est déjà utilisé" in result.stderr
    assert "Traceback" not in result.output


def test_another_host_than_loopback_warns(sample):
    assert warning_for("127.0.0.1") is None and warning_for("localhost") is None
    with socket.socket() as taken:
        taken.bind(("0.0.0.0", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = CliRunner().invoke(app, ["serve", "--host", "0.0.0.0", "--port", str(port)])
    assert "attention : ti serve écoute sur 0.0.0.0" in said(result.stderr)
    assert result.exit_code == 2


def test_a_folder_without_data_is_a_usage_error(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, ["serve", str(tmp_path)])
    assert result.exit_code == 2
    assert "ni contracts/ ni pactes/" in result.stderr


def test_text_from_the_files_is_escaped_and_never_pulls_in_a_file(sample, base):
    edit(A1, "title: Développement de la filière aéronautique", "title: Filière <script>alert(1)</script>")
    planted = "  <img src=x onerror=alert(2)> ![secret](../../../../../pyproject.toml)\n"
    edit(A1, "description: |\n", "description: |\n" + planted)
    contract = get(f"{base}/contrats/{ID}").text
    assert "<script>alert(1)" not in contract and "Filière &lt;script&gt;alert(1)&lt;/script&gt;" in contract
    action = get(f"{base}/contrats/{ID}/actions/1").text
    assert "<img src=x" not in action and "&lt;img src=x onerror=alert(2)&gt;" in action
    assert "base64" not in action and "[project]" not in action


@pytest.mark.skipif(sys.platform == "win32", reason="SIGINT cannot be sent to a child process on Windows")
def test_the_command_serves_until_ctrl_c_and_exits_0(sample):
    """As a user runs it: a process on a free port, a page, Ctrl+C — a clean stop, no traceback."""
    process = subprocess.Popen(
        [sys.executable, "-m", "ti_cli", "serve", "--port", "0"], cwd=sample, stderr=subprocess.PIPE, text=True
    )
    try:
        started = process.stderr.readline()
        url = re.search(r"http://127\.0\.0\.1:\d+/", started).group(0)
        assert get(url).status == 200
        import urllib.request

        stream = urllib.request.urlopen(url + "evenements", timeout=30)  # an open page's event stream
        assert stream.readline() == b"retry: 2000\n"
        began = time.monotonic()
        process.send_signal(signal.SIGINT)
        _, err = process.communicate(timeout=30)
        stream.close()
    finally:
        process.kill()
    assert process.returncode == 0
    assert time.monotonic() - began < 5  # the open stream does not hold the stop
    assert "arrêté" in err and "Traceback" not in err


def test_a_large_portfolio_gets_an_index_of_documents(base, monkeypatch):
    import ti_cli.serve.app as served

    monkeypatch.setattr(served, "INLINE_DOCUMENTS", 1)  # the sample has two bundles
    index = get(base + "/documents").text
    assert f'href="/documents/contrats/{ID}"' in index and 'data-format="pdf"' not in index
    one = get(f"{base}/documents/contrats/{ID}").text
    # the contract, the COPIL deck, the 3 états d'avancement, the 9 fiches and the completion report of the
    # finished action; the deck as PowerPoint too, and the calendar as iCalendar only
    assert one.count('data-format="docx"') == 1 + 1 + 3 + 9 + 1
    assert len(re.findall(r"/bilan-\d\d\.docx", one)) == 1
    [deck] = re.findall(r'href="(/documents/contrats/[^"]+/copil-[\d-]+\.pptx)"', one)
    assert one.count('data-format="ics"') == 1 and 'calendrier.pdf"' not in one
    pptx = get(base + deck)
    assert pptx.status == 200 and pptx.body[:2] == b"PK" and "attachment" in pptx.headers["content-disposition"]
    ics = get(f"{base}/documents/contrats/{ID}/calendrier.ics")
    assert ics.status == 200 and ics.body.startswith(b"BEGIN:VCALENDAR") and b"PRODID:-//ti-cli" in ics.body
    assert get(f"{base}/documents/contrats/{ID}/calendrier.pdf").status == 404
    assert get(f"{base}/documents/contrats/inconnu").status == 404
    assert get(f"{base}/documents/ailleurs/{ID}").status == 404


PAGES = ("/", f"/contrats/{ID}", f"/contrats/{ID}/actions/3", f"/pactes/{ID}", "/constats", "/documents", "/nulle-part")
ACTION = f"/contrats/{ID}/actions/3"
AMOUNT = re.compile(r"[\d\u202f]+,\d\d\u00a0€")


def test_the_pages_speak_french_by_default_and_english_on_request_with_the_same_figures(base):
    from ti_cli import i18n

    french = {path: get(base + path).text for path in PAGES}
    i18n.activate("en")  # as `ti --lang en serve` does before the server starts
    try:
        english = {path: get(base + path).text for path in PAGES}
    finally:
        i18n.activate("fr")
    assert all('<html lang="fr">' in page for page in french.values())
    assert all('<html lang="en">' in page for page in english.values())
    for words, page in (
        (("Contrats et pactes", "Reste à financer", "aucun"), french["/"]),
        (("Contracts and pactes", "Still to finance", "none"), english["/"]),
        (("Plan de financement", "Structurante", "validée", "Jalons"), french[ACTION]),
        (("Financing plan", "Structuring", "validated", "Milestones"), english[ACTION]),
        (("Ce dépôt ne contient pas cette page",), said(french["/nulle-part"])),
        (("This repository holds no such page",), english["/nulle-part"]),
    ):
        assert all(w in page for w in words), [w for w in words if w not in page]
    interface = (
        "Accueil",
        "Constats",
        "Reste à financer",
        "Lecture seule",
        "Retour à l'accueil",
        "Plan de financement",
        "Éligibilité",
        "Avancement",
    )
    for path in PAGES:  # no French word of the interface left in English; the figures the same in both
        assert not [w for w in interface if w in english[path]], path
        assert AMOUNT.findall(french[path]) == AMOUNT.findall(english[path]), path


def test_forty_concurrent_pdf_requests_all_succeed(base):
    """The Typst compiler is not re-entrant: ti serve serialises it, so requests queue, never fail
    (bounded: 40 requests, 10 at a time, on 127.0.0.1)."""
    from concurrent.futures import ThreadPoolExecutor

    url = f"{base}/documents/contrats/{ID}/etat-2021-Q4.pdf"  # it has a chart: the shared compiler
    with ThreadPoolExecutor(max_workers=10) as pool:
        answers = list(pool.map(lambda _i: get(url), range(40)))
    assert [a.status for a in answers] == [200] * 40
    assert all(a.body.startswith(b"%PDF") for a in answers)


def test_the_web_view_answers_ipv6_loopback_and_says_what_is_allowed(base):
    from ti_cli.serve.app import host_of

    assert [host_of(h) for h in ("[::1]:8000", "[::1]", "localhost:80", "127.0.0.1")] == [
        "::1",
        "::1",
        "localhost",
        "127.0.0.1",
    ]
    port = base.rsplit(":", 1)[1]
    assert get(base + "/", headers={"Host": f"[::1]:{port}"}).status == 200
    assert get(base + "/", headers={"Host": "evil.example:80"}).status == 400
    refused = get(base + "/", method="POST")
    assert refused.status == 405 and refused.headers["allow"] == "GET, HEAD"


def test_a_404_never_echoes_the_url_and_a_huge_file_is_cut(sample, base):
    long = "x" * 5000
    answer = get(f"{base}/contrats/{long}")
    assert answer.status == 404 and long not in answer.text and "ce contrat" in answer.text
    big = sample / "data" / "contracts" / ID / "text" / "zz-annexe.md"
    big.write_text("ligne\n" * 400_000, encoding="utf-8")  # 2.4 MB
    shown = get(f"{base}/fichiers/contracts/{ID}/text/zz-annexe.md")
    assert shown.status == 200 and len(shown.body) < MAX_PAGE
    assert "seules ses 20\u202f000 premières lignes sont affichées" in shown.text
    assert shown.text.count('class="line"') == 20_001
    long_lines = sample / "data" / "contracts" / ID / "text" / "zz-annexe.md"
    long_lines.write_text(("x" * 1000 + "\n") * 3000, encoding="utf-8")  # 3 MB in few lines
    shown = get(f"{base}/fichiers/contracts/{ID}/text/zz-annexe.md")
    assert shown.status == 200 and len(shown.body) < MAX_PAGE
    assert "seul son premier mégaoctet est affiché" in shown.text


def test_ti_serve_never_shows_what_lies_outside_the_data(sample, tmp_path):
    outside = tmp_path / "ailleurs"
    shutil.copytree(sample / "data" / "contracts" / ID, outside)
    (sample / "data" / "contracts" / "lien").symlink_to(outside, target_is_directory=True)
    secret = tmp_path / "secret.yaml"
    secret.write_text("number: MOT DE PASSE 1234\n", encoding="utf-8")
    actions = sample / "data" / "contracts" / ID / "actions"
    (actions / "10-dehors.yaml").symlink_to(secret)
    with serving(sample / "data", sample / ".ti-cache") as url:
        assert get(f"{url}/contrats/lien").status == 404
        assert "lien" not in get(url + "/").text
        findings = get(url + "/constats").text
    assert "MOT DE PASSE" not in findings  # the file linked from outside is not even read


P2 = f"{ID}-2023"


def test_the_plan_shows_its_decisions_and_indicators_by_their_labels(base):
    page = get(f"{base}/contrats/{P2}").text
    assert "Comité de projets du 10 septembre 2024" in page
    assert "avis sur le Fonds vert" in page and "favorable" in page and "avis-fonds-vert" not in page
    assert "comité de pilotage local" in page and "copil-local</" not in page
    from ti_cli import i18n

    i18n.activate("en")  # the meetings and decisions in words of the language chosen, like the statuses
    try:
        english = get(f"{base}/contrats/{P2}").text
    finally:
        i18n.activate("fr")
    assert "Fonds vert opinion" in english and "local steering committee" in english
    assert "avis sur le Fonds vert" not in english and "comité de pilotage local" not in english
    row = re.search(r'<tr data-indicateur="foncier-mobilise">(.*?)</tr>', page, re.S).group(1)
    assert '<td class="num">8,50 ha</td>' in row and "42,5\xa0%" in row  # 8.5 ha of 20 ha, rounded once
    assert "(SPEC" not in page and "(SPEC" not in get(f"{base}/contrats/{ID}/actions/1").text
    axes = re.findall(r'<select name="axe">(.*?)</select>', page, re.S)[0]
    assert "TRANSITION" in axes and "ATTIRER" not in axes  # the plan's own programme's axes
    action = get(f"{base}/contrats/{P2}/actions/1").text
    assert "Validation de la commercialisation du foncier" in action


def test_a_draft_releve_says_it_is_not_adopted_yet(sample):
    Path(f"data/contracts/{P2}/decisions/2024-11-05-projet-releve.yaml").write_text(
        "date: 2024-11-05\nbody: comite-de-projets\ntitle: Comité de projets du 5 novembre 2024\ndraft: true\n"
        "decisions:\n  - {action: 1, kind: modification, summary: Foncier porté à 25 ha}\n",
        encoding="utf-8",
    )
    with serving(sample / "data", sample / ".ti-cache") as url:
        page = get(f"{url}/contrats/{P2}").text
        action = get(f"{url}/contrats/{P2}/actions/1").text
    tag = '<span class="tag warn">projet de relevé, pas encore adopté</span>'
    assert f"<h3>Comité de projets du 5 novembre 2024 {tag}</h3>" in page and page.count(tag) == 1
    row = re.search(r"<tr><td>05/11/2024 · (.*?)</tr>", action, re.S).group(1)
    assert tag in row and "Foncier porté à 25 ha" in row and action.count(tag) == 1


def test_home_search_filters_and_totals_are_in_the_address(base):
    everything = get(base + "/").text
    assert "2 contrats sur 2" in everything
    found = get(base + "/?q=oleron+foncier&programme=ti-2023").text
    assert re.findall(r'<tr data-contrat="([^"]+)"', found) == [P2]
    assert "1 contrat sur 2" in found
    expected = totals_json()  # the phase-1 contract alone
    alone = get(base + "/?programme=ti-2019").text
    assert cents(expected["total"]) in re.search(r'<p id="selection"[^>]*>(.*?)</p>', alone, re.S).group(1)
    ordered = get(base + "/?tri=cout&ordre=desc").text
    assert re.findall(r'<tr data-contrat="([^"]+)"', ordered)[0] == ID  # 43.8 M€ before the plan
    assert 'type="submit"' in everything  # works without JavaScript
    assert '<select name="region"><option value="">toutes</option>' in everything  # « Région : toutes »


def test_a_contract_with_errors_sorts_after_the_figures_either_way(sample, base):
    """Sorted by cost, the smallest contract comes first — not every contract whose figures are unknown."""
    edit(A1, "total: 16753500", "total: 16753501")  # the phase-1 contract has an error: no figure
    for order in ("", "&ordre=desc"):
        for column in ("cout", "acquis", "reste", "actions"):
            rows = re.findall(r'<tr data-contrat="([^"]+)"', get(f"{base}/?tri={column}{order}").text)
            assert rows == [P2, ID], (column, order)


def test_a_warning_keeps_the_documents_and_an_error_explains_them(sample, base):
    assert get(f"{base}/documents/contrats/{ID}/contrat.html").status == 200
    edit(A1, "total: 16753500", "total: 16753501")  # an error
    answer = get(f"{base}/documents/contrats/{ID}/contrat.html")
    assert answer.status == 409 and "ne peut pas être produit" in answer.text and "TI0" in answer.text
    heading = re.search(r"<h1>(.*?)</h1>", get(f"{base}/contrats/{ID}").text).group(1)
    assert (
        said(heading)
        == "Contrat Territoire d&#39;industrie Rochefort – Royan – Marennes – Oléron : des erreurs à corriger"
    )
    listing = get(f"{base}/documents/contrats/{ID}").text  # its documents' page says why it lists none
    assert "Ses documents ne peuvent pas être produits tant que ces erreurs demeurent" in listing and "TI0" in listing
    home = get(base + "/").text
    row = re.search(rf'<tr data-contrat="{ID}">(.*?)</tr>', home, re.S).group(1)
    assert "Rochefort" in row and "Nouvelle-Aquitaine" in row and f"/constats/contrats/{ID}" in row


def test_pdf_opens_inline_and_exports_are_ti_totals(base):
    page = get(f"{base}/documents/contrats/{ID}").text
    assert "telecharger=1" not in page
    pdf = get(f"{base}/documents/contrats/{ID}/fiche-01.pdf")
    assert pdf.headers["content-disposition"].startswith("inline")
    csv_file = get(f"{base}/export/contrats/{ID}/par-axe.csv")
    assert csv_file.status == 200 and "attachment" in csv_file.headers["content-disposition"]
    expected = CliRunner().invoke(app, ["totals", ID, "--by", "axis", "--format", "csv", "--csv-dialect", "fr"])
    assert csv_file.body.decode("utf-8").replace("\r\n", "\n") == expected.stdout.replace("\r\n", "\n")
    xlsx = get(f"{base}/export/contrats/{ID}/actions.xlsx")
    assert xlsx.status == 200 and xlsx.body.startswith(b"PK")
    assert get(f"{base}/export/contrats/{ID}/inconnu.csv").status == 404


def test_a_pacte_member_has_its_page(base):
    pacte = get(f"{base}/pactes/{ID}").text
    assert f'href="/pactes/{ID}/membres/chantier-nautique-des-pertuis"' in pacte
    assert "D&#39;après la dernière revue de 2 membres revus sur 3." in pacte
    member = get(f"{base}/pactes/{ID}/membres/chantier-nautique-des-pertuis").text
    assert "Chantier Nautique des Pertuis" in member and "Engagements" in member
    assert f"/documents/pactes/{ID}/fiche-chantier-nautique-des-pertuis.pdf" in member
    assert get(f"{base}/pactes/{ID}/membres/..%2Fpacte").status == 404


def test_incognito_hides_every_amount(sample):
    with serving(sample / "data", sample / ".ti-cache", incognito=True) as url:
        for path in ["/", f"/contrats/{ID}", f"/contrats/{ID}/actions/1"]:
            page = get(url + path).text
            assert "€" in page and not re.search(r"\d[\d\u202f]*,\d\d\xa0€", page), path
            assert "montants masqués" in page and "/export/" not in page
        assert get(f"{url}/export/contrats/{ID}/totaux.csv").status == 404
    with serving(sample / "data", sample / ".ti-cache") as url:  # the next server shows them again
        assert "43\u202f823\u202f500,00\xa0€" in get(url + "/").text


def test_incognito_masks_a_flow_line_s_amounts_and_keeps_its_commas():
    from ti_cli.serve.app import masked

    line = "  - {financer: etat, status: obtenu, amount: 1275000, paid: 10.5, requested_on: 2024-02-10}"
    assert masked(line) == "  - {financer: etat, status: obtenu, amount: •••, paid: •••, requested_on: 2024-02-10}"
    assert masked("coût 2\u202f000\u202f000,50\xa0€ donné") == "coût •••\u202f€ donné"


def test_incognito_shows_no_amount_through_documents_files_or_findings(sample):
    """On a projector, a click on « Documents » or on a file must not put the amounts back on screen."""
    with serving(sample / "data", sample / ".ti-cache", incognito=True) as url:
        listing = get(f"{url}/documents/contrats/{ID}").text
        assert f"/documents/contrats/{ID}/contrat.pdf" not in listing and "montants" in listing
        pdf = get(f"{url}/documents/contrats/{ID}/contrat.pdf")
        assert pdf.status == 403 and b"%PDF" not in pdf.body
        source = get(f"{url}/fichiers/{A1.removeprefix('data/')}").text
        assert "16663500" not in source and "16753500" not in source and "investment: •••" in source
        assert "planned_start" in source or "number: 1" in source  # the rest of the file is shown
        for pacte_page in (f"/pactes/{ID}", f"/pactes/{ID}/membres/chantier-nautique-des-pertuis"):
            shown = said(get(url + pacte_page).text)
            assert "Investissements de rénovation immobilière" in shown and "185 000" not in shown, pacte_page
        edit(A1, "total: 16753500", "total: 16753501")  # a finding whose message and line carry amounts
        findings = get(f"{url}/constats/contrats/{ID}").text
        assert "TI0" in findings and "total: •••" in findings
        assert not re.search(r"16[\s\u202f\xa0.]?75[3]", findings), "an amount in a finding"


def test_the_events_stream_says_when_a_file_changes(sample, base):
    import threading
    import urllib.request

    lines: list[bytes] = []

    def listen() -> None:
        with urllib.request.urlopen(base + "/evenements", timeout=20) as stream:
            while b"changement" not in b"".join(lines):
                lines.append(stream.readline())

    thread = threading.Thread(target=listen, daemon=True)
    thread.start()
    time.sleep(0.5)
    edit(A1, "total: 16753500", "total: 16753500 ")
    thread.join(10)
    assert b"event: changement\n" in lines


def test_the_avenant_draft_the_changes_call_for_is_offered(sample):
    from gitrepo import ACTION_3_ROWS, amend_actions, init_repo

    init_repo(sample)
    with serving(sample / "data", sample / ".ti-cache") as url:
        before = get(f"{url}/documents/contrats/{ID}").text
        assert "avenant-" not in before  # nothing changed since the default branch
        amend_actions()
        listed = get(f"{url}/documents/contrats/{ID}").text
        assert f"/documents/contrats/{ID}/avenant-01.md" in listed and "Projet d&#39;avenant n° 1" in said(listed)
        draft = get(f"{url}/documents/contrats/{ID}/avenant-01.md").text
        assert said(ACTION_3_ROWS[0]) in said(draft)


def test_a_too_large_file_is_counted_in_french(sample, base):
    big = Path(CONTRACT) / "actions" / "20-enorme.yaml"
    big.write_text("# " + "x" * 6_000_000 + "\n", encoding="utf-8")
    page = get(base + "/constats").text
    assert "le fichier fait 6\u202f000\u202f003 octets" in page and "6,000,003" not in page


def test_the_plan_shows_its_financing_by_stage_axis_by_axis(base):
    page = get(f"{base}/contrats/{P2}").text
    total = re.search(r'<table class="data" id="table-etapes">.*?<tfoot>(.*?)</tfoot>', page, re.S).group(1)
    figures = totals_json_of(P2)["financing"]
    assert cents(figures["paid"]) in total  # « Payé à ce jour », the same figure as ti totals
    assert "Sollicité" in page and "Engagé" in page
    stage = {g["key"]: g["total"] for g in totals_json_of(P2, "--by", "stage")["groups"]}
    assert cents(stage["engage"]) in total and cents(stage["sollicite"]) in total  # ti totals --by stage


def totals_json_of(contract: str, *args: str) -> dict:
    result = CliRunner().invoke(app, ["totals", contract, "--format", "json", *args])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_the_plan_offers_the_draft_record_of_decisions_its_changes_call_for(sample):
    from gitrepo import init_repo

    init_repo(sample)
    plan = Path("data/contracts") / P2 / "actions" / "01-foncier-aeroport.yaml"
    with serving(sample / "data", sample / ".ti-cache") as url:
        assert "releve-decisions-" not in get(f"{url}/documents/contrats/{P2}").text
        edit(plan, "amount: 600000", "amount: 650000")
        listed = get(f"{url}/documents/contrats/{P2}").text
        key = f"releve-decisions-{AS_OF.isoformat()}"
        assert f"/documents/contrats/{P2}/{key}.html" in listed
        draft = said(get(f"{url}/documents/contrats/{P2}/{key}.md").text)
        assert "modification" in draft.lower() and "50 000" in draft
