"""The portal in a real browser: Playwright driving Debian's Chromium against a running CKAN server.

The module starts its own CKAN web server on the test database (organizations and demo data loaded by
`ckan kalmar setup`, as `make run` does), then an editor publishes through the form, a visitor searches
and filters, and axe-core checks the main pages for WCAG problems. Screenshots go to
.stack/screenshots/, the full axe report to .stack/reports/axe-report.md (both ignored by git).
"""
from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

ROOT = Path(__file__).resolve().parents[1]
STACK = Path(os.environ.get("KALMAR_STACK_DIR", ROOT / ".stack"))
SCREENSHOTS = STACK / "screenshots"
REPORTS = STACK / "reports"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CKAN = str(Path(sys.executable).with_name("ckan"))
EDITOR = ("redaktor-kalmar", "Redaktor-losen-1")
AXE_PAGES = {"start": "/", "search": "/dataset/", "dataset": "/dataset/demo-badplatser-kalmar",
             "organization": "/organization/kalmar-kommun", "overview": "/oversikt",
             "goals": "/agenda2030", "specifications": "/specifikationer"}

# Plain imports: a missing browser toolkit is an error of the set-up, never a quiet skip.
from axe_playwright_python import sync_playwright as axe_module  # noqa: E402
from playwright import sync_api  # noqa: E402


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _ckan(*args: str, env: dict[str, str]) -> str:
    result = subprocess.run([CKAN, "-c", str(ROOT / "test.ini"), *args], env=env, capture_output=True,
                            text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


@pytest.fixture(scope="module")
def browser_portal():
    """A fresh test database with the county's organizations and the demo, served on loopback."""
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    env = {**os.environ, "CKAN_SITE_URL": url}
    _ckan("db", "clean", "--yes", env=env)
    _ckan("db", "init", env=env)
    _ckan("db", "pending-migrations", "--apply", env=env)
    _ckan("search-index", "clear", env=env)
    _ckan("kalmar", "setup", env=env)
    _ckan("jobs", "worker", "--burst", env=env)  # the demo's files: checked and loaded into the DataStore
    _ckan("user", "add", EDITOR[0], "email=redaktor@example.org", f"password={EDITOR[1]}", env=env)
    _ckan("user", "add", "browsertest-admin", "email=admin@example.org", "password=Admin-losen-1", env=env)
    _ckan("sysadmin", "add", "browsertest-admin", env=env)
    token = _ckan("user", "token", "add", "browsertest-admin", "browsertest", env=env).strip().splitlines()[-1].strip()

    log = open(STACK / "logs" / "browser-test-ckan.log", "w")
    server = subprocess.Popen([CKAN, "-c", str(ROOT / "test.ini"), "run", "-H", "127.0.0.1", "-p", str(port),
                               "--disable-reloader"], env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                if requests.get(f"{url}/api/3/action/status_show", timeout=2).ok:
                    break
            except requests.ConnectionError:
                pass
            assert server.poll() is None, "the CKAN server exited; see .stack/logs/browser-test-ckan.log"
            assert time.monotonic() < deadline, "the CKAN server did not start"
            time.sleep(0.5)
        member = requests.post(f"{url}/api/3/action/organization_member_create", headers={"Authorization": token},
                               json={"id": "kalmar-kommun", "username": EDITOR[0], "role": "editor"}, timeout=30)
        assert member.ok, member.text
        yield {"url": url, "token": token}
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()


@pytest.fixture(scope="module")
def browser():
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    REPORTS.mkdir(parents=True, exist_ok=True)
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync"])
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="sv-SE")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    context.close()
    assert not errors, f"JavaScript errors: {errors}"


def log_in(page, portal, user, password):
    page.goto(f"{portal['url']}/user/login")
    page.fill("#field-login", user)
    page.fill("#field-password", password)
    with page.expect_navigation():
        page.locator("#field-password").press("Enter")
    assert "/user/login" not in page.url, "login failed"


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


def _failed_requests(page) -> list[str]:
    """Every request of the page that failed or was answered with an error (filled in as the page loads).
    A request the browser itself abandoned because the page went on (ERR_ABORTED) is not a failure."""
    failed: list[str] = []
    page.on("requestfailed", lambda request: failed.append(f"{request.failure} {request.url}")
            if request.failure != "net::ERR_ABORTED" else None)
    page.on("response", lambda response: failed.append(f"{response.status} {response.url}")
            if response.status >= 400 else None)
    return failed


def _serious(page) -> list[tuple[str, list]]:
    violations = axe_module.Axe().run(page).response["violations"]
    return [(v["id"], [n["target"] for n in v["nodes"][:3]]) for v in violations
            if v["impact"] in ("serious", "critical")]


def test_dataset_form_controls_are_visible_and_operable(page, browser_portal):
    """Checkboxes with a box, a checked state and a focus ring; labels without a stray colon; a typed keyword
    kept when the field is left; the extent drawn on the map, its text behind "Avancerat"; no failed request."""
    failed = _failed_requests(page)
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
    failed = _failed_requests(page)
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
