"""``ti serve`` in a real browser: Debian's headless chromium driven by Playwright (no browser download).

Skipped, with the reason, where no chromium is installed; ``.ci/run`` installs it so CI runs these. A
screenshot of each page goes to the test's folder (and to ``$TI_SCREENSHOTS`` when set, for docs/img/).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from conftest import CONTRACT, edit, line_of
from serving import ID, serving

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--headless",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
A1 = f"{CONTRACT}/actions/01-filiere-aeronautique.yaml"

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="no chromium on this machine (apt-get install chromium)")


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed")
    with sync_api.sync_playwright() as driver:
        launched = driver.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield launched
        launched.close()


@pytest.fixture
def site(sample: Path, browser):
    with serving(sample / "data", sample / ".ti-cache") as url:
        context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="fr-FR")
        context.set_default_timeout(15_000)
        page = context.new_page()
        errors: list[str] = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)  # CSP violations land here
        yield url, page, errors
        context.close()


def shoot(page, tmp_path: Path, name: str) -> None:
    page.screenshot(path=str(tmp_path / "screenshots" / f"{name}.png"), full_page=False)
    if os.environ.get("TI_SCREENSHOTS"):
        folder = Path(os.environ["TI_SCREENSHOTS"])
        folder.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(folder / f"serve-{name}.png"), full_page=False)


def test_click_from_home_to_an_action_and_its_financing(site, tmp_path):
    url, page, errors = site
    page.goto(url + "/")
    assert page.locator(f'tr[data-contrat="{ID}"] td.total').inner_text() == "43 823 500,00 €"  # ti totals: 43823500.00
    shoot(page, tmp_path, "accueil")
    page.locator(f'tr[data-contrat="{ID}"] a').first.click()
    page.wait_for_url(f"**/contrats/{ID}")
    assert page.locator("#total").inner_text() == "43 823 500,00 €"
    assert page.locator("#table-actions tbody tr").count() == 9
    shoot(page, tmp_path, "contrat")
    page.get_by_role("link", name="Développement de la filière aéronautique").click()
    page.wait_for_url(f"**/contrats/{ID}/actions/1")
    rows = page.locator("#plan-de-financement tbody tr")
    assert rows.count() == 6
    assert rows.nth(0).locator("td").nth(1).inner_text() == "validée"
    assert page.locator("#action-total").inner_text() == "16 753 500,00 €"
    shoot(page, tmp_path, "action")
    assert errors == []


def test_a_filter_applies_on_its_button_only_and_keeps_the_page(site):
    url, page, errors = site
    page.goto(f"{url}/contrats/{ID}")
    page.select_option("select[name=axe]", "ATTIRER")  # nothing happens yet: an arrow key must not reload
    page.wait_for_timeout(300)
    assert "axe=" not in page.url
    page.get_by_role("button", name="Filtrer").click()
    page.wait_for_url("**axe=ATTIRER**")
    numbers = page.locator("#table-actions tbody tr").evaluate_all("rows => rows.map(r => r.dataset.action)")
    assert "1" in numbers and len(numbers) < 9
    options = page.locator("select[name=axe] option").evaluate_all("os => os.map(o => o.value)")
    assert options == ["", "ATTIRER", "RECRUTER", "INNOVER", "SIMPLIFIER"]  # phase 1's axes only
    assert errors == []


PAGES = [
    "/",
    f"/contrats/{ID}",
    f"/contrats/{ID}/actions/1",
    f"/contrats/{ID}-2023",
    f"/contrats/{ID}-2023/actions/1",
    f"/pactes/{ID}",
    f"/pactes/{ID}/membres/chantier-nautique-des-pertuis",
    "/constats",
    "/documents",
]
WIDE = "document.scrollingElement.scrollWidth <= window.innerWidth"


@pytest.mark.parametrize("width", [390, 1280])
def test_every_page_fits_the_window_without_scrolling_sideways(site, width):
    url, page, errors = site
    page.set_viewport_size({"width": width, "height": 800})
    for path in PAGES:
        page.goto(url + path)
        assert page.evaluate(WIDE), (path, page.evaluate("document.scrollingElement.scrollWidth"))
    assert page.get_by_role("link", name="Documents").first.is_visible()  # the whole top bar, even at 390 px
    assert errors == []


def test_a_page_prints_as_a_handout(site, tmp_path):
    url, page, errors = site
    page.set_viewport_size({"width": 794, "height": 1123})  # A4 at 96 dpi
    page.goto(f"{url}/contrats/{ID}-2023")
    page.emulate_media(media="print")
    assert page.locator("header.top").is_hidden() and page.locator("form.filters").is_hidden()
    assert page.evaluate(WIDE)
    # no table is cut: each is as wide as the page at most, and shows its last column
    assert page.evaluate(
        "[...document.querySelectorAll('table')].every(t => t.getBoundingClientRect().right <= window.innerWidth + 1)"
    )
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF")
    assert errors == []


def test_an_edit_shows_in_the_open_page_without_a_reload(site):
    url, page, errors = site
    page.goto(f"{url}/contrats/{ID}/actions/1")
    page.evaluate("window.notReloaded = true")
    page.wait_for_timeout(400)  # the event stream is open
    page.mouse.wheel(0, 300)
    edit(A1, "- {financer: etat, eligibility: validee}", "- {financer: etat, eligibility: validee, amount: 1234567.89}")
    cell = page.locator("#plan-de-financement tbody tr").nth(0).locator("td.num")
    page.wait_for_function(
        "() => document.querySelector('#plan-de-financement tbody td.num').textContent.includes('567,89')",
        timeout=10_000,
    )
    assert cell.inner_text() == "1\u202f234\u202f567,89\xa0€"
    assert page.evaluate("window.notReloaded") is True
    assert errors == []


def test_a_territory_is_found_among_a_generated_portfolio(browser, tmp_path):
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
    from generate import generate

    generate(tmp_path / "portfolio", contracts=24, actions=2)
    with serving(tmp_path / "portfolio" / "data", tmp_path / "cache") as url:
        context = browser.new_context(viewport={"width": 390, "height": 800}, locale="fr-FR")
        page = context.new_page()
        page.goto(url + "/")
        assert page.locator("#contrats tbody tr").count() == 24
        page.get_by_label("Rechercher").fill("communes 1 ti-0007")  # an EPCI's name
        page.keyboard.press("Enter")
        page.wait_for_url("**q=communes**")
        assert page.locator("#contrats tbody tr").evaluate_all("rs => rs.map(r => r.dataset.contrat)") == ["ti-0007"]
        assert "1 contrat sur 24" in page.locator("#selection").inner_text()
        assert page.evaluate(WIDE)
        context.close()


AXE = Path(__file__).resolve().parent / "node_modules" / "axe-core" / "axe.min.js"


@pytest.mark.skipif(not AXE.exists(), reason="axe-core is not installed (cd tests && npm ci)")
def test_axe_finds_no_violation_on_the_main_pages(site):
    url, page, _errors = site
    pages = ["/", f"/contrats/{ID}", f"/contrats/{ID}-2023", f"/contrats/{ID}/actions/1", f"/pactes/{ID}"]
    for path in [*pages, f"/pactes/{ID}/membres/chantier-nautique-des-pertuis", "/constats", "/documents"]:
        page.goto(url + path)
        page.evaluate(AXE.read_text(encoding="utf-8"))  # by the driver: the page's own CSP allows no such script
        found = page.evaluate(
            "async () => (await axe.run(document)).violations"
            ".map(v => v.id + ': ' + v.nodes.map(n => n.target).join(' '))"
        )
        assert found == [], (path, found)
        assert page.evaluate("async () => (await axe.run(document)).passes.length") > 10  # it did look


def test_the_findings_page_shows_a_planted_error_at_its_line(site, tmp_path):
    url, page, errors = site
    edit(A1, "total: 16753500", "total: 16753501")
    line = line_of(A1, "total: 16753501")
    page.goto(url + "/constats")
    finding = page.locator(f'.finding.error[data-line="{line}"]')
    assert finding.count() == 1
    assert "total: 16753501" in finding.locator("pre.excerpt").inner_text()
    shoot(page, tmp_path, "constats")
    finding.get_by_role("link", name="voir la ligne").click()
    page.wait_for_url(f"**#L{line}")
    assert "16753501" in page.locator(f"#L{line}").inner_text()
    assert errors == []


def test_an_edit_shows_after_a_reload_too(site):
    url, page, _ = site
    page.goto(f"{url}/contrats/{ID}/actions/1")
    assert "1 234 567,89 €" not in page.content()
    edit(A1, "- {financer: etat, eligibility: validee}", "- {financer: etat, eligibility: validee, amount: 1234567.89}")
    page.reload()
    assert page.locator("#plan-de-financement tbody tr").nth(0).locator("td.num").inner_text() == "1 234 567,89 €"


def test_pacte_documents_and_a_broken_file(site, tmp_path):
    url, page, errors = site
    page.goto(f"{url}/pactes/{ID}")
    assert page.locator("#membres tbody tr").count() == 4
    shoot(page, tmp_path, "pacte")
    page.goto(url + "/documents")
    assert page.locator(f'#contrat-{ID} a[data-format="pdf"]').count() >= 10
    shoot(page, tmp_path, "documents")
    Path(A1).write_text("number: 1\ntitle: [pas fermé\n", encoding="utf-8")
    page.goto(f"{url}/contrats/{ID}")
    assert "des erreurs à corriger" in page.locator("h1").inner_text()
    assert page.locator(".finding.error").count() >= 1
    shoot(page, tmp_path, "fichier-casse")
    assert errors == []
    page.goto(f"{url}/contrats/inconnu")  # the browser logs the 404 itself: not a page error
    assert page.locator("h1").inner_text() == "Introuvable"
    page.get_by_role("link", name="Retour à l'accueil").click()
    page.wait_for_url(url + "/")
