"""The portal in a real browser: Playwright driving Debian's Chromium against a running CKAN server.

The module starts its own CKAN web server on the test database (organizations and demo data loaded by
`ckan kalmar setup`, as `make run` does; the fixtures are in conftest.py and browser_support.py, shared with
test_crawl.py), then an editor publishes through the form, a visitor searches and filters, and axe-core
checks the main pages for WCAG problems. Screenshots go to .stack/screenshots/, the full axe report to
.stack/reports/axe-report.md (both ignored by git).
"""
from __future__ import annotations

import csv
import io
import json
import os
import re
from pathlib import Path

import requests

# Plain imports: a missing browser toolkit is an error of the set-up, never a quiet skip.
from axe_playwright_python import sync_playwright as axe_module

from .browser_support import EDITOR, REPORTS, SCREENSHOTS, ckan, failed_requests, log_in

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
    # Published is findable, also once the upload's jobs have recorded their outcome (a job that had read
    # the draft indexed it as one again: tests/test_faults.py::TestStaleReads).
    _run_jobs(browser_portal)
    found = requests.get(f"{browser_portal['url']}/api/3/action/package_search",
                         params={"q": "name:webbtest-badplatser"}, timeout=10).json()["result"]
    assert [(d["name"], d["state"]) for d in found["results"]] == [("webbtest-badplatser", "active")]


def test_the_main_menu_keeps_each_entry_on_one_line(page, browser_portal):
    """At 1280 px "Önska data" broke in two and its highlight became a jagged block."""
    for path in ("/onska-data", "/en/onska-data"):
        page.set_viewport_size({"width": 1280, "height": 900})
        page.goto(f"{browser_portal['url']}{path}")
        entries = page.locator(".masthead .navbar-nav li a")
        heights = {round(entries.nth(i).bounding_box()["height"]) for i in range(entries.count())}
        assert entries.count() == 6 and len(heights) == 1 and heights.pop() < 40, (path, heights)
        assert page.locator(".masthead .site-search").bounding_box()["width"] >= 100
        assert _page_overflow(page) <= 0


def test_visitor_searches_filters_by_municipality_goal_and_map(page, browser_portal):
    page.goto(f"{browser_portal['url']}/dataset/")
    page.screenshot(path=str(SCREENSHOTS / "search.png"), full_page=True)
    page.click("nav[aria-label*='Organisationer'] a:has-text('Kalmar kommun')")
    page.wait_for_url("**organization=kalmar-kommun**")
    page.click("nav[aria-label*='Globala mål'] a:has-text('6. Rent')")
    page.wait_for_url("**vocab_sdg=6**")
    assert page.locator(".dataset-item", has_text="Exempel: Badplatser i Kalmar kommun").is_visible()
    assert page.locator(".dataset-item", has_text="Borgholm").count() == 0
    # With goal 6 chosen, every facet's links carry it; only the goals' own links show a goal badge, each its own.
    badges = page.evaluate("""[...document.querySelectorAll('.nav-facet a')].map(a => [
        a.closest('nav').getAttribute('aria-label'), a.querySelector('.item-label').textContent.trim(),
        getComputedStyle(a, '::before').content])""")
    assert len({nav for nav, _, _ in badges}) > 2, badges
    for nav, label, badge in badges:
        if nav.endswith("Globala mål") and not label.startswith("6."):  # 6 is chosen: its link removes it
            assert badge == '"' + label.split(".")[0] + '"', (nav, label, badge)
        else:
            assert not re.fullmatch(r'"\d+"', badge), (nav, label, badge)  # CKAN's own ::before may be there

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
    # The extent's map is drawn by JavaScript after the page has loaded: waited for (Playwright's deadline).
    page.wait_for_selector(".dataset-map .leaflet-container", state="attached")
    assert page.locator(".dataset-map .leaflet-container").count() == 1
    page.screenshot(path=str(SCREENSHOTS / "dataset.png"), full_page=True)


def test_keyboard_reaches_every_form_field(page, browser_portal):
    log_in(page, browser_portal, *EDITOR)
    page.goto(f"{browser_portal['url']}/dataset/new")
    # Once the map is there, the extent's text is behind "Avancerat" (a summary, reached with Tab).
    page.wait_for_selector(".kalmar-extent-map .leaflet-container")
    fields = page.eval_on_selector_all(
        "form#dataset-edit input:not([type=hidden]), form#dataset-edit select, form#dataset-edit textarea, "
        "form#dataset-edit summary",
        "els => els.filter(e => e.checkVisibility()).map(e => e.id || e.name)")  # not inside a closed <details>
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


def _serious(page) -> list[tuple[str, list]]:
    violations = axe_module.Axe().run(page).response["violations"]
    return [(v["id"], [n["target"] for n in v["nodes"][:3]]) for v in violations
            if v["impact"] in ("serious", "critical")]


def test_dataset_form_controls_are_visible_and_operable(page, browser_portal):
    """Checkboxes with a box, a checked state and a focus ring; labels without a stray colon; a typed keyword
    kept when the field is left; the extent drawn on the map, its text behind "Avancerat"; no failed request."""
    failed = failed_requests(page)
    log_in(page, browser_portal, *EDITOR)
    page.goto(f"{browser_portal['url']}/dataset/new")
    page.wait_for_selector(".kalmar-extent-map .leaflet-draw-draw-rectangle")

    for field in ("theme", "sdg", "answers", "language"):
        boxes = page.locator(f"#field-{field} input[type=checkbox]")
        assert boxes.count() > 1
        size = boxes.first.bounding_box()
        assert size["width"] >= 16 and size["height"] >= 16, (field, size)
    environment = page.locator("#field-theme .form-check", has_text="Miljö")
    box = environment.locator("input")
    unchecked = box.evaluate("el => getComputedStyle(el).backgroundColor")
    environment.locator("label").click()  # the label ticks its box
    assert box.is_checked()
    assert box.evaluate("el => getComputedStyle(el).backgroundColor") == "rgb(11, 83, 148)" != unchecked
    # Keyboard: Tab to the next box shows a focus ring, Space ticks it.
    box.focus()
    page.keyboard.press("Tab")
    focused = page.locator("#field-theme input:focus")
    assert focused.evaluate("el => [getComputedStyle(el).outlineStyle, getComputedStyle(el).outlineWidth]") == [
        "solid", "3px"]
    page.keyboard.press("Space")
    assert focused.is_checked()
    page.locator("#field-theme").screenshot(path=str(SCREENSHOTS / "form-checkboxes.png"))

    labels = page.eval_on_selector_all("form#dataset-edit label, form#dataset-edit legend", """els => els
        .filter(e => e.offsetParent !== null)
        .map(e => e.innerText.trim() + (getComputedStyle(e, '::after').content.replace(/^(none|normal)$/, '')))""")
    assert labels and not [t for t in labels if t.endswith(":") or '":"' in t], labels

    page.click("#field-tag_string + .select2 .select2-search__field")
    page.keyboard.type("bad, strand, friluftsliv")
    page.keyboard.press("Tab")
    assert sorted(page.input_value("#field-tag_string").split(",")) == ["bad", "friluftsliv", "strand"]
    assert page.evaluate("document.activeElement.id") == "field-keywords_en"  # Tab went on to the next field

    # The extent: the text is behind "Avancerat" (closed); a box drawn on the map becomes its GeoJSON.
    assert not page.locator("#field-spatial").is_visible()
    rectangle = page.locator(".kalmar-extent-map .leaflet-draw-draw-rectangle")
    assert "spritesheet" in rectangle.evaluate("el => getComputedStyle(el).backgroundImage")
    rectangle.click()
    area = page.locator(".kalmar-extent-map .leaflet-container").bounding_box()
    page.mouse.move(area["x"] + area["width"] * 0.3, area["y"] + area["height"] * 0.3)
    page.mouse.down()
    page.mouse.move(area["x"] + area["width"] * 0.6, area["y"] + area["height"] * 0.7, steps=8)
    page.mouse.up()
    page.locator(".kalmar-extent-advanced summary", has_text="Avancerat").click()
    assert page.locator("#field-spatial").is_visible()
    extent = json.loads(page.input_value("#field-spatial"))
    assert extent["type"] == "Polygon" and len(extent["coordinates"][0]) == 5
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(SCREENSHOTS / f"dataset-form-{width}.png"), full_page=True)
    assert not failed, failed


def test_a_dataset_is_not_published_without_data(page, browser_portal):
    """On the form's data step, "Publish" without a file or link is refused in Swedish; the dataset stays a
    draft; with a link it is published. Both error states of the form pass axe."""
    failed = failed_requests(page)
    log_in(page, browser_portal, *EDITOR)
    page.goto(f"{browser_portal['url']}/dataset/new")
    page.fill("#field-title", "Webbtest: utan data")
    page.evaluate("document.getElementById('field-name').value = 'webbtest-utan-data'")
    page.fill("#field-notes", "En datamängd som först saknar data.")
    page.select_option("#field-private", "False")
    page.fill("#field-contact_email", "fel-adress")
    with page.expect_navigation():
        page.click("form#dataset-edit button[name=save]")
    assert page.locator(".error-block", has_text="Ange en e-postadress").first.is_visible()
    assert not _serious(page), "the dataset form in its error state"

    page.fill("#field-contact_email", "fritid@example.org")
    page.check("#field-classification_confirmed")
    page.evaluate("document.getElementById('field-name').value = 'webbtest-utan-data'")
    with page.expect_navigation():
        page.click("form#dataset-edit button[name=save]")
    assert "/resource/new" in page.url, page.locator(".error-block").all_inner_texts()
    with page.expect_navigation():
        page.click("button[name=save][value=go-metadata]")
    assert "/resource/new" in page.url
    refused = page.locator("#kalmar-publish-refused[role=alert]")
    assert "Datamängden publicerades inte." in refused.inner_text()
    assert "En publik datamängd behöver data: lägg till minst en fil eller länk" in refused.inner_text()
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(SCREENSHOTS / f"publish-refused-{width}.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})
    assert not _serious(page), "the data step in its error state"
    draft = requests.get(f"{browser_portal['url']}/api/3/action/package_show", params={"id": "webbtest-utan-data"},
                         headers={"Authorization": browser_portal["token"]}, timeout=10).json()["result"]
    assert draft["state"] == "draft" and draft["resources"] == []

    page.locator("form#resource-edit button", has_text="Länk").first.click()
    page.fill("#field-resource-url", "https://www.kalmar.se/psidata/badplatser.json")
    with page.expect_navigation():
        page.click("button[name=save][value=go-metadata]")
    assert page.url.endswith("/dataset/webbtest-utan-data"), page.locator(".alert, .error-block").all_inner_texts()
    published = requests.get(f"{browser_portal['url']}/api/3/action/package_show",
                             params={"id": "webbtest-utan-data"}, timeout=10).json()["result"]  # anonymous
    assert published["state"] == "active" and len(published["resources"]) == 1
    assert not failed, failed


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


def test_utforska_api_runs_a_call_against_the_portal(page, browser, browser_portal):
    """From the API box to "Utforska API": Swagger UI (the portal's own copy) on the table's description, in
    a Swedish page; "Try it out" and "Execute" on datastore_search returns the table's rows."""
    page.goto(browser_portal["url"] + _resource_page(browser_portal, "demo-badplatser-kalmar"))
    with page.expect_navigation():
        page.locator("#kalmar-api").get_by_role("link", name="Utforska API").click()
    assert page.url.endswith("/utforska-api")
    # The page's own heading (Swagger UI, once it has drawn, brings a heading of its own).
    assert page.locator("h1").first.inner_text().startswith("Utforska API:")
    assert "Tabellen kan frågas utan registrering" in page.locator("main, [role=main]").first.inner_text()
    outside = page.evaluate("""[...document.querySelectorAll('script[src], link[href]')]
        .map(e => e.src || e.href).filter(u => !u.startsWith(location.origin))""")
    assert outside == []  # Swagger UI from the portal itself, no CDN
    operation = page.locator("#operations-Tabellen-datastore_search")
    operation.locator(".opblock-summary").click()
    operation.get_by_role("button", name="Try it out").click()
    operation.get_by_role("button", name="Execute").click()
    body = operation.locator(".responses-wrapper .live-responses-table .response-col_description pre").first
    body.wait_for()
    answer = json.loads(body.inner_text())
    # The call the page ran answers with the table's first rows, those the description gives as its example.
    description = requests.get(page.locator("#kalmar-swagger-ui").get_attribute("data-description"), timeout=30).json()
    example = description["paths"]["/api/3/action/datastore_search"]["get"]["responses"]["200"]["content"][
        "application/json"]["example"]["result"]["records"]
    assert answer["success"] is True and answer["result"]["records"] == example
    assert "Exempelbadet Norra" in {r.get("name") for r in answer["result"]["records"]}
    assert operation.locator(".request-url pre").inner_text().startswith(browser_portal["url"] + "/api/3/action/")
    page.screenshot(path=str(SCREENSHOTS / "utforska-api-1280.png"), full_page=True)
    narrow = browser.new_context(viewport={"width": 390, "height": 844}, locale="sv-SE").new_page()
    narrow.goto(page.url)
    narrow.locator("#operations-Tabellen-datastore_search").wait_for()
    assert narrow.evaluate("document.documentElement.scrollWidth") <= 390 + 1
    narrow.screenshot(path=str(SCREENSHOTS / "utforska-api-390.png"), full_page=True)
    narrow.context.close()


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


# --- Data pages, the portal's identity and the harvest form (issue 22, items 6–8) ---------------------------

INTERNAL_LABELS = ("Datastore active", "Has views", "Hash", "Id", "Package id", "Position", "Url type", "State",
                   "Kontrollsumma (SHA-1)")


def _no_horizontal_overflow(page, name: str) -> None:
    """The page is no wider than the window, at 1280 and at 390 px (screenshots of both kept)."""
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(SCREENSHOTS / f"{name}-{width}.png"), full_page=True)
        wide = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert wide <= 0, f"{name} at {width}px is {wide}px wider than the window"
    page.set_viewport_size({"width": 1280, "height": 900})


def _serious_axe_findings(page, name: str) -> list[tuple[str, str, list]]:
    violations = axe_module.Axe().run(page).response["violations"]
    return [(name, v["id"], [n["target"] for n in v["nodes"][:3]]) for v in violations
            if v["impact"] in ("serious", "critical")]


def test_resource_page_shows_what_people_understand_swedish_numbers_and_an_excel_download(page, browser_portal,
                                                                                          tmp_path):
    import openpyxl

    path = _resource_page(browser_portal, "demo-badplatser-kalmar")
    page.goto(browser_portal["url"] + path)
    details = page.locator("table", has=page.locator("th", has_text="Fält"))
    labels = [t.strip() for t in details.locator("tbody th").all_inner_texts()]
    assert {"Format", "Licens", "Mediatyp (IANA)", "Storlek"} <= set(labels), labels
    assert not set(labels) & set(INTERNAL_LABELS), labels
    assert "active" not in details.inner_text() and "Status: active" not in page.locator("body").inner_text()
    # The API box's examples name the table's columns: no SELECT *, no internal _full_text column.
    box = page.locator("#kalmar-api")
    assert "_full_text" not in box.inner_text() and "SELECT *" not in box.inner_text()
    sql = next(c for c in box.locator("code.kalmar-api-call").all_inner_texts() if "datastore_search_sql" in c)
    records = requests.get(sql, timeout=30).json()["result"]["records"]
    assert records and all("_full_text" not in r for r in records) and "latitude" in records[0]
    assert "." in str(records[0]["latitude"]) and "," not in str(records[0]["latitude"])  # the API keeps numbers
    findings = _serious_axe_findings(page, "resource")
    _no_horizontal_overflow(page, "resource-details")

    # The download menu offers Excel: a real download, read with openpyxl.
    page.click("#dropdownDownloadFormat")
    with page.expect_download() as download:
        page.locator(".dropdown-menu").get_by_role("link", name="Excel (XLSX)").click()
    target = tmp_path / "tabell.xlsx"
    download.value.save_as(target)
    rows = list(openpyxl.load_workbook(target, read_only=True).active.iter_rows(values_only=True))
    assert rows[0][:4] == ("place_id", "name", "latitude", "longitude") and "_full_text" not in rows[0]
    assert isinstance(rows[1][2], float) and len(rows) == 3

    # The table preview (CKAN's data table view), in Swedish number format.
    rid = path.rsplit("/", 1)[1]
    views = requests.get(f"{browser_portal['url']}/api/3/action/resource_view_list", params={"id": rid},
                         timeout=30).json()["result"]
    table = next(v for v in views if v["view_type"] == "datatables_view")
    page.goto(f"{browser_portal['url']}/dataset/demo-badplatser-kalmar/resource/{rid}/view/{table['id']}")
    page.wait_for_selector("#dtprv tbody td:not(.dataTables_empty)")
    cells = page.locator("#dtprv tbody td").all_inner_texts()
    assert any(re.fullmatch(r"56,\d+", c.strip()) for c in cells), cells
    assert not any(re.fullmatch(r"-?\d+\.\d+", c.strip()) for c in cells), cells
    page.screenshot(path=str(SCREENSHOTS / "table-preview.png"), full_page=True)
    assert not findings, findings


def test_the_portal_has_its_own_logo_favicon_about_page_and_organization_descriptions(page, browser_portal):
    page.goto(browser_portal["url"] + "/")
    logo = page.locator("header a.logo img")
    assert logo.get_attribute("alt") == "Öppna data i Kalmar län" and logo.evaluate("i => i.naturalWidth") > 0
    assert page.get_by_role("link", name="Öppna data i Kalmar län", exact=True).first.is_visible()
    icon = page.locator("link[rel=icon]").get_attribute("href")
    assert requests.get(browser_portal["url"] + icon, timeout=10).status_code == 200
    assert requests.get(browser_portal["url"] + "/favicon.ico", timeout=10).status_code == 200
    findings = []

    page.goto(browser_portal["url"] + "/about")
    text = page.locator("main, [role=main]").first.inner_text()
    assert "Om Öppna data i Kalmar län" in text and "Region Kalmar län driver portalen" in text
    assert "Så publicerar du" in text and "Kontakt" in text
    contact = page.locator(".kalmar-about-contact")
    assert contact.get_by_role("link", name="https://www.regionkalmar.se").is_visible()  # no address invented
    findings += _serious_axe_findings(page, "about")
    _no_horizontal_overflow(page, "about")

    page.goto(browser_portal["url"] + "/organization/torsas-kommun")
    info = page.locator("#organization-info")
    assert "Torsås kommun är en kommun i Kalmar län (kommunkod 0834)." in info.inner_text()
    assert "There is no description" not in page.locator("body").inner_text()
    findings += _serious_axe_findings(page, "organization-description")
    _no_horizontal_overflow(page, "organization-description")
    assert not findings, findings


def test_the_harvest_form_refuses_an_address_without_scheme_and_shows_organizations_by_name(page, browser_portal):
    log_in(page, browser_portal, "browsertest-admin", "Admin-losen-1")
    page.goto(browser_portal["url"] + "/harvest/new")
    options = page.locator("#field-organizations option").all_inner_texts()
    assert "Torsås kommun" in options and "torsas-kommun" not in options
    assert page.locator("#field-organizations").get_attribute("required") is not None
    assert "DCAT-AP-SE" in page.locator("aside, .secondary").first.inner_text()
    assert "CSW" not in page.locator("body").inner_text()
    page.fill("#field-url", "torsas.se/dcat")
    page.fill("#field-title", "Torsås egen katalog")
    page.evaluate("document.getElementById('field-name').value = 'torsas-egen-katalog'")
    page.select_option("#field-organizations", label="Torsås kommun")
    with page.expect_navigation():
        page.click("#save")
    error = page.locator(".form-group:has(#field-url) .error-block")
    assert error.inner_text().strip() == ("Källans adress måste börja med https:// eller http://, till exempel "
                                          "https://torsas.se/dcat.")
    assert page.input_value("#field-organizations") and page.input_value("#field-url") == "torsas.se/dcat"
    findings = _serious_axe_findings(page, "harvest-form-error")
    _no_horizontal_overflow(page, "harvest-form-error")

    page.fill("#field-url", "http://oppen.kalmar.test/torsas/katalog.ttl")  # test.ini: a public-looking name
    with page.expect_navigation():
        page.click("#save")
    assert page.locator(".error-block").count() == 0, page.locator(".error-block").all_inner_texts()
    page.screenshot(path=str(SCREENSHOTS / "harvest-saved.png"), full_page=True)
    assert page.locator(".flash-messages .alert").count() <= 1
    source = requests.get(f"{browser_portal['url']}/api/3/action/harvest_source_show",
                          params={"id": "torsas-egen-katalog"}, headers={"Authorization": browser_portal["token"]},
                          timeout=30).json()["result"]
    page.goto(f"{browser_portal['url']}/harvest/refresh/{source['id']}")
    page.screenshot(path=str(SCREENSHOTS / "harvest-refreshed.png"), full_page=True)
    assert page.locator(".flash-messages .alert").count() == 1, page.locator(".flash-messages").inner_text()
    assert not findings, findings
# ------------------------------------------------------------------ the specification check and the overview
BADPLATSER = "https://dataportal.se/specifications/badplatser/1.0"
# Every kind of problem in one file (Windows-1252): a column name in the wrong case, an unexpected column,
# an unclosed quote (row 3), too few values (4), a word for a number (5), a latitude outside Sweden (6), a
# decimal comma (7), an empty required cell (8).
BROKEN_CSV = ("place_id,Name,latitude,longitude,namn\n"
              "1,Stensö,56.64,16.33,x\n"
              '2,"Kalmarsund,56.66,16.36,y\n'
              "3,Skälby\n"
              "4,Norr,norr,16.3,z\n"
              "5,Syd,40.1,16.3,z\n"
              '6,Komma,"56,6",16.3,z\n'
              "7,,56.7,16.3,z\n").encode("cp1252")
SWEDISH_TIME = re.compile(r"kontrollerad \d{1,2} (januari|februari|mars|april|maj|juni|juli|augusti|september|"
                          r"oktober|november|december) \d{4} kl\. \d{2}:\d{2}\)")


def _api(portal, action: str, **data):
    response = requests.post(f"{portal['url']}/api/3/action/{action}", json=data,
                             headers={"Authorization": portal["token"]}, timeout=60)
    assert response.ok, response.text
    return response.json()["result"]


def _run_jobs(portal) -> None:
    """The background jobs (specification check, DataStore load) on a real worker, until the queue is empty."""
    ckan("kalmar", "jobs-worker", "--burst", env={**os.environ, "CKAN_SITE_URL": portal["url"]})


def _page_overflow(page) -> int:
    """How many pixels the page is wider than the window (0: no horizontal scrolling of the page)."""
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


def _serious(page) -> list[tuple[str, str]]:
    violations = axe_module.Axe().run(page).response["violations"]
    return [(v["id"], v["help"], [n["target"] for n in v["nodes"][:5]]) for v in violations
            if v["impact"] in ("serious", "critical")]


def _add_file_in_the_form(page, portal, dataset: str, path: Path, name: str) -> None:
    page.goto(f"{portal['url']}/dataset/{dataset}/resource/new")
    page.set_input_files("input[type=file]", str(path))
    page.fill("#field-name", name)
    with page.expect_navigation():
        page.click("button[name=save][value=go-dataset-complete]")
    assert "/resource/new" not in page.url, page.locator(".error-block, .error-explanation").all_inner_texts()


def test_specification_report_in_one_pass_and_template_download(page, browser_portal, tmp_path):
    """An editor uploads a file with many problems: one report lists them all, with the expected columns; the
    template downloaded from the report passes the check."""
    portal = browser_portal
    _api(portal, "package_create", name="webbtest-trasig", title="Webbtest: badplatser med fel", notes="Test.",
         owner_org="kalmar-kommun", conforms_to=[BADPLATSER], contact_email="fritid@example.org", private=True)
    log_in(page, portal, *EDITOR)
    broken = tmp_path / "badplatser.csv"
    broken.write_bytes(BROKEN_CSV)
    _add_file_in_the_form(page, portal, "webbtest-trasig", broken, "Badplatser med fel")
    _run_jobs(portal)
    resource_id = _api(portal, "package_show", id="webbtest-trasig")["resources"][0]["id"]
    page.goto(f"{portal['url']}/dataset/webbtest-trasig/resource/{resource_id}")
    section = page.locator("section.kalmar-validation")
    text = " ".join(section.inner_text().split())
    assert "8 fel mot Badplatser 1.0." in text
    assert "7 rader under rubrikraden kontrollerades; 6 av dem har fel." in text
    listed = section.locator(".kalmar-validation-errors li").all_inner_texts()
    assert len(listed) == 8
    for expected in ("Filen är inte kodad som UTF-8", "Kolumnen Name ska heta name",
                     'Rad 3: ett citattecken (") stängs aldrig', "Rad 4 har 2 värden men rubrikraden har 5.",
                     "Rad 5: ”norr” i kolumnen latitude är inte ett tal.",
                     "Rad 6: ”40.1” i kolumnen latitude ligger utanför 55–70.",
                     "Rad 7: ”56,6” i kolumnen latitude har decimalkomma",
                     "Rad 8: kolumnen name får inte vara tom."):
        assert sum(item.startswith(expected) for item in listed) == 1, (expected, listed)
    assert "Kolumnen namn ingår inte i specifikationen." in text
    assert SWEDISH_TIME.search(text), text
    assert "Obligatoriska kolumner: place_id, name, latitude, longitude" in text
    page.screenshot(path=str(SCREENSHOTS / "specification-report-1280.png"), full_page=True)
    assert not _serious(page), _serious(page)
    page.set_viewport_size({"width": 390, "height": 900})
    # The report fits a phone (the rest of the resource page is issue 22's data-pages item).
    assert section.evaluate("e => e.getBoundingClientRect().right <= window.innerWidth"
                            " && e.scrollWidth <= e.clientWidth")
    page.screenshot(path=str(SCREENSHOTS / "specification-report-390.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})

    section.locator("details.kalmar-columns summary").click()
    columns = section.locator("details.kalmar-columns table")
    assert columns.is_visible() and columns.locator("tbody tr").count() == 42
    assert "SE0A21484000000552" in columns.inner_text()
    with page.expect_download() as download:
        section.locator("a.kalmar-template-link").click()
    assert download.value.suggested_filename == "badplatser-1.0-mall.csv"
    template = tmp_path / "mall.csv"
    download.value.save_as(str(template))
    header, example = list(csv.reader(io.StringIO(template.read_bytes().decode("utf-8"))))
    assert len(header) == len(example) == 42 and header[:4] == ["place_id", "name", "latitude", "longitude"]

    _add_file_in_the_form(page, portal, "webbtest-trasig", template, "Mallen")
    _run_jobs(portal)
    template_id = next(r["id"] for r in _api(portal, "package_show", id="webbtest-trasig")["resources"]
                       if r["name"] == "Mallen")
    page.goto(f"{portal['url']}/dataset/webbtest-trasig/resource/{template_id}")
    passed = " ".join(page.locator("section.kalmar-validation").inner_text().split())
    assert "Godkänd Filen följer Badplatser 1.0." in passed


def test_specifications_page_shows_columns_and_templates(page, browser_portal):
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(f"{browser_portal['url']}/specifikationer")
        first = page.locator(".kalmar-specification").first
        first.locator("details.kalmar-columns summary").click()
        assert first.locator("details.kalmar-columns tbody tr").count() == 42
        links = page.locator("a.kalmar-template-link")
        assert links.count() == 3 and links.first.get_attribute("href") == "/specifikationer/badplatser-1.0/mall.csv"
        assert _page_overflow(page) <= 0, width
        page.screenshot(path=str(SCREENSHOTS / f"specifications-{width}.png"), full_page=True)
        assert not _serious(page), _serious(page)


def test_overview_on_every_screen(page, browser_portal):
    """All organizations at 1280 px, usable at 390 px, 28 numbered requests, a failing file shown as
    "finns, med fel", and next steps for each organization."""
    portal = browser_portal
    _api(portal, "package_create", name="webbtest-torsas", title="Webbtest: badplatser i Torsås", notes="Test.",
         owner_org="torsas-kommun", conforms_to=[BADPLATSER], contact_email="fritid@example.org",
         classification_confirmed=True, private=True)
    no_coordinates = b"place_id,name\n1,Bad utan koordinater\n"
    created = requests.post(f"{portal['url']}/api/3/action/resource_create", headers={"Authorization": portal["token"]},
                            data={"package_id": "webbtest-torsas", "name": "Badplatser"},
                            files={"upload": ("badplatser.csv", no_coordinates)}, timeout=60)
    assert created.ok, created.text
    _api(portal, "package_patch", id="webbtest-torsas", private=False)
    _run_jobs(portal)
    assert _api(portal, "resource_show", id=created.json()["result"]["id"])["validation_report"]["status"] == "invalid"

    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(f"{portal['url']}/oversikt")
        assert _page_overflow(page) <= 0, f"the page scrolls sideways at {width} px"
        matrix = page.locator(".kalmar-scroll").first
        organizations = page.locator(".kalmar-coverage thead th.kalmar-org-col")
        # The study's score and the demand (data_requests/), 13 organizations and the publishers' count.
        assert organizations.count() == 16
        if width == 1280:
            assert matrix.evaluate("e => e.scrollWidth <= e.clientWidth"), "the matrix needs scrolling at 1280 px"
            boxes = [organizations.nth(i).bounding_box() for i in range(16)]
            assert all(box["x"] + box["width"] <= 1280 for box in boxes)
        else:
            # The matrix scrolls inside its own box, reachable by keyboard, with the requests kept in view.
            assert matrix.evaluate("e => e.scrollWidth > e.clientWidth") and matrix.get_attribute("tabindex") == "0"
            matrix.evaluate("e => { e.scrollLeft = e.scrollWidth; }")
            row_header = page.locator(".kalmar-coverage tbody th[scope=row]").first.bounding_box()
            assert abs(row_header["x"] - matrix.bounding_box()["x"]) < 2
            last = organizations.nth(13).bounding_box()
            assert last["x"] + last["width"] <= width
            matrix.evaluate("e => { e.scrollLeft = 0; }")
        page.screenshot(path=str(SCREENSHOTS / f"overview-{width}.png"), full_page=True)
        assert not _serious(page), (width, _serious(page))

    numbered = page.locator(".kalmar-coverage tbody th[scope=row]").all_inner_texts()
    assert [n.split(".", 1)[0] for n in numbered] == [str(n) for n in range(1, 29)]
    # The bars are to scale (at 390 px too): each bar's share of its track is the number's share of its
    # maximum. Capped at the cell's 70 %, bars of 71 % and 95 % were drawn alike.
    for table in page.locator("table.kalmar-bars").all():
        cells = table.locator("td:has(.kalmar-bar)").all()
        values = [float(c.inner_text().replace("%", "").replace(",", ".").strip()) for c in cells]
        most = 100 if "%" in cells[0].inner_text() else max(values)
        for cell, value in zip(cells, values):
            track = cell.locator(".kalmar-bar-track").bounding_box()
            bar = cell.locator(".kalmar-bar").bounding_box()
            assert track["width"] >= 40, "the bar's scale is too small to read"
            assert abs(bar["width"] / track["width"] - value / most) < 0.02, (cell.inner_text(), bar, track)
    bathing = page.locator(".kalmar-coverage tbody tr", has_text="7. Badplatser")
    flagged = bathing.locator("td.kalmar-errors")
    assert flagged.count() == 1
    assert "Torsås kommun: Webbtest: badplatser i Torsås finns, med fel" in flagged.text_content()
    assert flagged.locator(".kalmar-mark-errors").is_visible()
    assert "finns, med fel: filen följer inte sin specifikation" in page.locator(".kalmar-legend").inner_text()
    torsas = " ".join(page.locator(".kalmar-next-step", has_text="Torsås kommun").inner_text().split())
    assert "Rätta filen: Webbtest: badplatser i Torsås (7. Badplatser: finns, med fel)" in torsas
    assert "Mest efterfrågat, inte publicerat än: 1. Företagsetableringar" in torsas
    assert page.locator(".kalmar-next-step").count() == 13


def test_a_visitor_proposes_an_example_of_use_and_it_is_shown_as_used_in(page, browser_portal, tmp_path):
    """From a dataset page to the proposal form (a Swedish error at the field first), an image uploaded; once
    the region approved it, the example has its page and the dataset page says where it is used. Every page
    passes axe and fits 1280 and 390 px."""
    portal = browser_portal
    dataset = "demo-badplatser-kalmar"
    title = _api(portal, "package_show", id=dataset)["title"]
    findings = []
    page.goto(f"{portal['url']}/dataset/{dataset}")
    assert page.locator("nav a", has_text="Användningsexempel").first.is_visible()
    image = tmp_path / "skarmbild.png"
    page.screenshot(path=str(image), clip={"x": 0, "y": 0, "width": 640, "height": 360})
    with page.expect_navigation():
        page.click("text=Har du använt datamängden? Föreslå ett användningsexempel")
    assert page.input_value("#field-datasets") == dataset

    page.fill("#field-url", "badkartan.example.org")
    with page.expect_navigation():
        page.click("button:has-text(\"Skicka förslaget\")")
    assert page.locator("#error-title").inner_text() == "Ge exemplet en titel"
    assert page.locator("#error-url").inner_text() == "Ange en webbadress som börjar med http:// eller https://"
    assert page.locator(".alert-danger a", has_text="Webbadress till exemplet").is_visible()
    findings += _serious_axe_findings(page, "reuse-form-error")
    _no_horizontal_overflow(page, "reuse-form-error")

    page.fill("#field-title", "Badkartan")
    page.fill("#field-description", "En karta över länets badplatser, byggd på portalens data.")
    page.fill("#field-url", "https://badkartan.example.org/")
    page.check("#field-kind")  # App eller tjänst
    page.set_input_files("#field-image_upload", str(image))
    page.fill("#field-email", "anna@example.org")
    with page.expect_navigation():
        page.click("button:has-text(\"Skicka förslaget\")")
    assert page.url.endswith("/anvandningsexempel"), page.locator(".alert-danger").all_inner_texts()
    assert page.locator(".alert", has_text="Tack! Regionen går igenom ditt exempel innan det visas.").is_visible()
    assert page.locator(".kalmar-reuse-list", has_text="Badkartan").count() == 0

    [proposal] = _api(portal, "reuse_list", state="pending")
    _api(portal, "reuse_moderate", id=proposal["id"], decision="approve")
    page.goto(f"{portal['url']}/dataset/{dataset}")
    used_in = page.locator(".kalmar-reuse-used-in a", has_text="Badkartan")
    assert used_in.is_visible()
    findings += _serious_axe_findings(page, "dataset-used-in")
    page.locator(".kalmar-reuse-box").screenshot(path=str(SCREENSHOTS / "dataset-used-in.png"))
    with page.expect_navigation():
        used_in.click()
    assert page.locator("h1").inner_text() == "Badkartan"
    assert page.locator(".kalmar-reuse-image").evaluate("img => img.complete && img.naturalWidth") == 640
    assert page.locator(".kalmar-reuse li a", has_text=title).first.is_visible()
    findings += _serious_axe_findings(page, "reuse-example")
    _no_horizontal_overflow(page, "reuse-example")
    page.goto(f"{portal['url']}/anvandningsexempel")
    findings += _serious_axe_findings(page, "reuse-list")
    _no_horizontal_overflow(page, "reuse-list")
    page.goto(f"{portal['url']}/en/anvandningsexempel")
    assert page.locator("h1").inner_text() == "Examples of use"
    assert page.locator(".kalmar-reuse-kind").first.inner_text() == "App or service"
    findings += _serious_axe_findings(page, "reuse-list-en")
    _no_horizontal_overflow(page, "reuse-list-en")
    assert not findings, findings


def test_editor_goes_from_a_file_to_a_published_dataset_accepting_suggestions_only(page, browser_portal):
    """Ny datamängd från fil (issue 28): the editor gives a file, reads the proposal, and publishes the draft
    in the normal form changing nothing the portal proposed (the classification confirmation and the choice
    to publish are the editor's own acts); the organization's catalog then passes SHACL and the Swedish checks."""
    corpus = Path(__file__).parents[1] / "bench" / "proposals" / "corpus"
    # The region has filled in Kalmar kommun's contact address (the form's default contact), as in production.
    _api(browser_portal, "organization_patch", id="kalmar-kommun", email="oppnadata@example.org")
    log_in(page, browser_portal, *EDITOR)
    page.goto(f"{browser_portal['url']}/dataset/")
    with page.expect_navigation():
        page.click("text=Ny datamängd från fil")
    page.set_input_files("#field-upload", str(corpus / "badplatser_kalmar.csv"))
    with page.expect_navigation():
        page.click("button[type=submit]:has-text('Föreslå en beskrivning')")
    assert page.url.endswith("/forslag"), page.locator(".alert-danger").all_inner_texts()
    assert page.locator("li", has_text="matchar Badplatser 1.0 (säkerhet: hög)").is_visible()
    assert page.locator(".kalmar-quality").is_visible()
    page.screenshot(path=str(SCREENSHOTS / "proposal.png"), full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    assert _page_overflow(page) <= 0
    page.screenshot(path=str(SCREENSHOTS / "proposal-390.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})
    name = page.url.split("/dataset/")[1].split("/")[0]

    with page.expect_navigation():
        page.click("text=Granska och komplettera i formuläret")
    assert page.locator(".kalmar-proposal-note").is_visible()
    assert page.input_value("#field-title") == "Badplatser i Kalmar kommun"
    page.screenshot(path=str(SCREENSHOTS / "proposal-form.png"), full_page=True)
    page.check("#field-classification_confirmed")
    page.select_option("#field-private", "False")
    with page.expect_navigation():
        page.click("form#dataset-edit button[name=save]")
    # Saved, still a draft: CKAN shows the draft's file; its data step's "Finish" publishes it.
    assert "/resource/" in page.url, page.locator(".error-block, .error-explanation li").all_inner_texts()
    page.goto(f"{browser_portal['url']}/dataset/{name}/resource/new")
    with page.expect_navigation():
        page.click("button[name=save][value=go-metadata]")
    assert page.url.endswith(f"/dataset/{name}"), page.locator(".error-block, .error-explanation").all_inner_texts()

    dataset = requests.get(f"{browser_portal['url']}/api/3/action/package_show", params={"id": name},
                           timeout=10).json()["result"]  # anonymous: it is public now
    assert dataset["state"] == "active" and dataset["private"] is False
    assert dataset["conforms_to"] == ["https://dataportal.se/specifications/badplatser/1.0"]
    assert dataset["title"] == "Badplatser i Kalmar kommun" and dataset["spatial"]
    _run_jobs(browser_portal)  # the file's check, and the organization's kept catalog brought up to date
    catalog = requests.get(f"{browser_portal['url']}/organization/kalmar-kommun/catalog.ttl", timeout=60).text
    assert "Badplatser i Kalmar kommun" in catalog
    # Exits 1 (and ``ckan`` fails) on any SHACL or Swedish finding.
    out = ckan("kalmar", "validate-catalog", "-o", "kalmar-kommun",
               env={**os.environ, "CKAN_SITE_URL": browser_portal["url"]})
    assert "Checked the catalog of Kalmar kommun" in out
