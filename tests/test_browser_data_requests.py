"""Requests for data in a real browser (Playwright driving Debian's Chromium; the server and fixtures are
those of test_browser.py, from conftest.py and browser_support.py): a visitor finds "Önska data" in the main
navigation, sends the form wrong and then right, the region approves the request and a visitor supports it.
Every page passes axe (no serious or critical finding), in Swedish and English, and fits at 1280 and 390 px
(screenshots in .stack/screenshots/data-request-*.png)."""
from __future__ import annotations

import requests

# Plain imports: a missing browser toolkit is an error of the set-up, never a quiet skip.
from axe_playwright_python import sync_playwright as axe_module

from .browser_support import SCREENSHOTS, SYSADMIN, log_in


def _serious(page, name: str) -> list[tuple[str, str, list]]:
    violations = axe_module.Axe().run(page).response["violations"]
    return [(name, v["id"], [n["target"] for n in v["nodes"][:3]]) for v in violations
            if v["impact"] in ("serious", "critical")]


def _fits(page, name: str) -> None:
    """No wider than the window at 1280 and 390 px; screenshots of both kept."""
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(SCREENSHOTS / f"data-request-{name}-{width}.png"), full_page=True)
        wide = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert wide <= 0, f"{name} at {width}px is {wide}px wider than the window"
    page.set_viewport_size({"width": 1280, "height": 900})


def _api(portal, action: str, **data):
    response = requests.post(f"{portal['url']}/api/3/action/{action}", json=data,
                             headers={"Authorization": portal["token"]}, timeout=60)
    assert response.ok, response.text
    return response.json()["result"]


def test_a_visitor_requests_data_and_another_supports_it(page, browser, browser_portal):
    url = browser_portal["url"]
    findings = []
    page.goto(url + "/")
    page.locator("header").get_by_role("link", name="Önska data").click()
    page.wait_for_url(url + "/onska-data")
    page.get_by_role("link", name="Önska en datamängd").click()
    page.wait_for_url(url + "/onska-data/ny")
    findings += _serious(page, "form")
    _fits(page, "form")

    # Sent empty: the errors are named by field, in Swedish, and each links to its field.
    with page.expect_navigation():
        page.get_by_role("button", name="Skicka önskemålet").click()
    summary = page.locator(".alert-danger")
    assert "Vilka data önskar du?: Skriv vilka data du önskar" in " ".join(summary.inner_text().split())
    assert page.locator("#field-title").get_attribute("aria-invalid") == "true"
    findings += _serious(page, "form-errors")
    _fits(page, "form-errors")

    page.get_by_label("Vilka data önskar du?").fill("Laddplatser för elbilar")
    page.get_by_label("Vad vill du använda dem till?").fill("En app som visar lediga laddplatser i länet.")
    page.get_by_label("Kalmar kommun").check()
    page.get_by_label("Borgholms kommun").check()
    page.get_by_label("Din e-postadress (frivilligt)").fill("frida@example.org")
    page.get_by_role("button", name="Skicka önskemålet").click()
    page.wait_for_url(url + "/onska-data")
    assert "Tack! Regionen läser ditt önskemål" in page.locator("body").inner_text()
    assert "Laddplatser för elbilar" not in page.locator(".kalmar-data-requests").inner_text()

    # The region approves it on the request's own page.
    [waiting] = _api(browser_portal, "data_request_list", waiting=True)
    region = browser.new_context(viewport={"width": 1280, "height": 900}, locale="sv-SE")
    moderator = region.new_page()
    log_in(moderator, browser_portal, *SYSADMIN)
    moderator.goto(f"{url}/onska-data/{waiting['id']}")
    assert "Väntar på granskning" in moderator.locator("body").inner_text()
    findings += _serious(moderator, "moderation")
    moderator.get_by_label("Godkänt: visas för alla").check()
    moderator.get_by_label("Status", exact=True).select_option("in_progress")
    moderator.get_by_label("Efterfrågad datamängd i registret").select_option("el-och-energianvandning")
    moderator.get_by_role("button", name="Spara").click()
    moderator.wait_for_url(f"{url}/onska-data/{waiting['id']}")
    assert "Önskemålet har sparats." in moderator.locator("body").inner_text()
    _fits(moderator, "moderation")
    region.close()

    # A visitor supports it and comments.
    page.goto(url + "/onska-data")
    page.get_by_role("link", name="Laddplatser för elbilar").click()
    with page.expect_navigation():
        page.get_by_role("button", name="Jag vill också ha detta").click()
    assert "Tack för ditt stöd!" in page.locator("body").inner_text()
    assert page.locator(".kalmar-supporters").inner_text() == "1"
    page.get_by_label("Kommentar", exact=True).fill("Gärna med effekt per laddare.")
    with page.expect_navigation():
        page.get_by_role("button", name="Kommentar").click()
    assert "Gärna med effekt per laddare." in page.locator("#kommentarer").inner_text()
    findings += _serious(page, "request")
    _fits(page, "request")

    page.goto(url + "/onska-data")
    findings += _serious(page, "list")
    _fits(page, "list")
    page.goto(url + "/en/onska-data/ny")
    assert page.locator("h1").inner_text() == "Request a dataset"
    findings += _serious(page, "form-en")
    _fits(page, "form-en")
    page.goto(url + "/oversikt")
    energy = page.locator("table.kalmar-coverage tbody tr", has_text="El- och energianvändning")
    assert energy.locator(".kalmar-demand").inner_text().startswith("2")
    assert not findings, findings
