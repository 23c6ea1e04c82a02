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


def test_a_filter_applies_on_change(site):
    url, page, errors = site
    page.goto(f"{url}/contrats/{ID}")
    page.select_option("select[name=axe]", "ATTIRER")  # serve.js submits the form
    page.wait_for_url("**axe=ATTIRER**")
    numbers = page.locator("#table-actions tbody tr").evaluate_all("rows => rows.map(r => r.dataset.action)")
    assert "1" in numbers and len(numbers) < 9
    assert errors == []


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


def test_an_edit_shows_after_reload(site):
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
