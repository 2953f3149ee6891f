"""The portal in a real browser: Playwright driving Debian's Chromium against a running CKAN server.

The module starts its own CKAN web server on the test database (organizations and demo data loaded by
`ckan kalmar setup`, as `make run` does; the fixtures are in conftest.py and browser_support.py, shared with
test_crawl.py), then an editor publishes through the form, a visitor searches and filters, and axe-core
checks the main pages for WCAG problems. Screenshots go to .stack/screenshots/, the full axe report to
.stack/reports/axe-report.md (both ignored by git).
"""
from __future__ import annotations

import json
import re

import requests

# Plain imports: a missing browser toolkit is an error of the set-up, never a quiet skip.
from axe_playwright_python import sync_playwright as axe_module

from .browser_support import EDITOR, REPORTS, SCREENSHOTS, log_in

AXE_PAGES = {"start": "/", "search": "/dataset/", "dataset": "/dataset/demo-badplatser-kalmar",
             "organization": "/organization/kalmar-kommun", "overview": "/oversikt",
             "goals": "/agenda2030", "specifications": "/specifikationer"}


def test_editor_publishes_a_dataset_with_a_csv_through_the_form(page, browser_portal, tmp_path):
    log_in(page, browser_portal, *EDITOR)
    page.goto(f"{browser_portal['url']}/dataset/new")
    # The editor belongs to Kalmar kommun only: its contact e-mail and extent are already filled in.
    assert page.input_value("#field-spatial_uri") == "http://sws.geonames.org/2702260"
    page.fill("#field-title", "Webbtest: badplatser")
    page.evaluate("document.getElementById('field-name').value = 'webbtest-badplatser'")
    page.fill("#field-notes", "Badplatser inlagda genom formuläret i ett webbläsartest.")
    page.select_option("#field-private", "False")
    page.fill("#field-contact_email", "fel-adress")
    with page.expect_navigation():
        page.click("form#dataset-edit button[name=save]")
    # The error case: the Swedish message stands at the field, and nothing was saved.
    assert page.locator("#field-contact_email ~ .error-block, .error-block",
                        has_text="Ange en e-postadress som namn@kommun.se").first.is_visible()
    assert page.locator("#field-classification_confirmed-error",
                        has_text="Bekräfta att informationen har klassats som offentlig").is_visible()
    page.screenshot(path=str(SCREENSHOTS / "form-error.png"), full_page=True)

    page.fill("#field-contact_email", "fritid@example.org")
    page.check("#field-classification_confirmed")
    page.evaluate("document.getElementById('field-name').value = 'webbtest-badplatser'")
    page.fill("#field-conforms_to", "https://dataportal.se/specifications/badplatser/1.0")
    page.locator("#field-conforms_to").dispatch_event("change")
    # Picking the specification ticks its suggested goals and themes.
    page.wait_for_function("document.querySelector('input[name=sdg][value=\"6\"]').checked")
    assert page.is_checked("input[name=sdg][value='11']")
    page.keyboard.press("Escape")  # close the specification list's suggestions
    page.locator("#field-title").focus()
    with page.expect_navigation():
        page.click("form#dataset-edit button[name=save]")
    errors = page.locator(".error-block, .error-explanation li").all_inner_texts()
    assert "/resource/new" in page.url, f"not saved: {errors}"

    csv_file = tmp_path / "badplatser.csv"
    csv_file.write_text("place_id,name,latitude,longitude\nw1,Webbtestbadet,56.65,16.35\n", encoding="utf-8")
    page.set_input_files("input[type=file]", str(csv_file))
    page.fill("#field-name", "Badplatser (CSV)")
    with page.expect_navigation():
        page.click("button[name=save][value=go-metadata]")
    assert page.url.endswith("/dataset/webbtest-badplatser"), page.locator(".error-block").all_inner_texts()
    assert page.locator("h1", has_text="Webbtest: badplatser").is_visible()
    page.screenshot(path=str(SCREENSHOTS / "dataset-published.png"), full_page=True)

    dataset = requests.get(f"{browser_portal['url']}/api/3/action/package_show", params={"id": "webbtest-badplatser"},
                           timeout=10).json()["result"]  # anonymous: it is public
    assert dataset["private"] is False and dataset["sdg"] == ["6", "11"]
    assert dataset["resources"][0]["mimetype"] == "text/csv" and len(dataset["resources"][0]["hash"]) == 40


def test_visitor_searches_filters_by_municipality_goal_and_map(page, browser_portal):
    page.goto(f"{browser_portal['url']}/dataset/")
    page.screenshot(path=str(SCREENSHOTS / "search.png"), full_page=True)
    page.click("nav[aria-label*='Organisationer'] a:has-text('Kalmar kommun')")
    page.wait_for_url("**organization=kalmar-kommun**")
    page.click("nav[aria-label*='Globala mål'] a:has-text('6. Rent')")
    page.wait_for_url("**vocab_sdg=6**")
    assert page.locator(".dataset-item", has_text="Exempel: Badplatser i Kalmar kommun").is_visible()
    assert page.locator(".dataset-item", has_text="Borgholm").count() == 0

    # Map search: open the map, draw a box, apply (ckanext-spatial's widget).
    page.goto(f"{browser_portal['url']}/dataset/")
    # The draw button is a real button: keyboard users reach it with Tab and open it with Enter.
    button = page.locator("#dataset-map-container a.leaflet-control-custom-button")
    assert button.get_attribute("href") and button.get_attribute("role") == "button"
    button.focus()
    page.keyboard.press("Enter")
    page.wait_for_selector(".modal.show .leaflet-container", state="visible")
    # Not a fixed wait: ckanext-spatial makes the draw map once the modal has opened (its 'shown' event) and
    # then arms the rectangle tool, which Leaflet.draw marks enabled. Polled until then (Playwright's deadline).
    page.wait_for_selector(".modal.show .leaflet-draw-toolbar-button-enabled", state="attached")
    box = page.locator(".modal.show .leaflet-container").bounding_box()
    page.mouse.move(box["x"] + box["width"] * 0.4, box["y"] + box["height"] * 0.3)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] * 0.7, box["y"] + box["height"] * 0.7, steps=8)
    page.mouse.up()
    with page.expect_navigation():
        page.click(".modal.show .btn-primary:not(.disabled)")
    assert "ext_bbox=" in page.url
    page.screenshot(path=str(SCREENSHOTS / "map-search.png"), full_page=True)

    page.goto(f"{browser_portal['url']}/dataset/demo-badplatser-borgholm")
    assert page.locator("h1", has_text="Exempel: Badplatser i Borgholms kommun").is_visible()
    assert page.locator(".dataset-map .leaflet-container").count() == 1
    page.screenshot(path=str(SCREENSHOTS / "dataset.png"), full_page=True)


def test_keyboard_reaches_every_form_field(page, browser_portal):
    log_in(page, browser_portal, *EDITOR)
    page.goto(f"{browser_portal['url']}/dataset/new")
    fields = page.eval_on_selector_all(
        "form#dataset-edit input:not([type=hidden]), form#dataset-edit select, form#dataset-edit textarea",
        "els => els.filter(e => e.offsetParent !== null).map(e => e.id || e.name)")
    reached = set()
    page.focus("#field-title")
    for _ in range(len(fields) * 3):
        # A select2 widget (tags, organization) stands in for its hidden original field.
        reached.add(page.evaluate("""() => {
            const el = document.activeElement;
            const widget = el.closest('.select2-container');
            const original = widget && widget.parentElement.querySelector('select, input[id^=field-]');
            return original ? original.id : (el.id || el.name);
        }"""))
        page.keyboard.press("Tab")
    missing = [f for f in fields if f not in reached]
    assert not missing, f"not reachable with Tab: {missing}"


def _resource_page(portal, dataset: str) -> str:
    shown = requests.get(f"{portal['url']}/api/3/action/package_show", params={"id": dataset}, timeout=30).json()
    return f"/dataset/{dataset}/resource/{shown['result']['resources'][0]['id']}"


def test_resource_page_api_box_offers_working_calls(page, browser_portal):
    """A developer on a table's resource page: the API box, its copy button, a printed call that works."""
    page.goto(browser_portal["url"] + _resource_page(browser_portal, "demo-badplatser-kalmar"))
    box = page.locator("#kalmar-api")
    assert "I API:t" in box.inner_text()
    call = box.locator("code.kalmar-api-call").first.inner_text()
    assert call.startswith(browser_portal["url"])  # the printed call is the portal's own address
    assert requests.get(call, timeout=30).json()["result"]["records"]
    button = box.get_by_role("button", name=re.compile("Kopiera anropet"))
    assert button.count() >= 3
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    button.first.click()
    page.wait_for_function("document.querySelector('#kalmar-api button').textContent.includes('Kopierat')")
    assert page.evaluate("navigator.clipboard.readText()") == call
    page.screenshot(path=str(SCREENSHOTS / "resource-api.png"), full_page=True)


def test_no_serious_or_critical_accessibility_violations(page, browser_portal):
    axe = axe_module.Axe()
    findings, serious = {}, []
    pages = {**AXE_PAGES, "resource": _resource_page(browser_portal, "demo-badplatser-kalmar")}
    for name, path in pages.items():
        page.goto(browser_portal["url"] + path)
        page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
        findings[name] = axe.run(page).response["violations"]
    log_in(page, browser_portal, *EDITOR)
    page.goto(f"{browser_portal['url']}/dataset/new")
    page.wait_for_selector(".kalmar-extent-map .leaflet-container")
    page.screenshot(path=str(SCREENSHOTS / "dataset-form.png"), full_page=True)
    findings["dataset-form"] = axe.run(page).response["violations"]

    lines = ["# axe-core report", ""]
    for name, violations in findings.items():
        lines.append(f"## {name} ({pages.get(name, '/dataset/new')})")
        lines += [f"- **{v['impact']}** `{v['id']}`: {v['help']} ({len(v['nodes'])} elements: "
                  f"{', '.join(json.dumps(n['target']) for n in v['nodes'][:5])})" for v in violations] or ["- none"]
        lines.append("")
        serious += [(name, v["id"]) for v in violations if v["impact"] in ("serious", "critical")]
    (REPORTS / "axe-report.md").write_text("\n".join(lines), encoding="utf-8")
    assert not serious, f"serious or critical violations (see {REPORTS / 'axe-report.md'}): {serious}"
