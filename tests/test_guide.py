"""The developer guide (/utvecklare, /en/utvecklare): every example on the page is the one in
guide/examples.yaml filled in for the test portal, and each is run here (curl with bash, Python with this
interpreter, JavaScript with Node.js) and answers what the page says it answers. The page in both languages at
1280 and 390 px: no overflow, no serious axe finding; the footer and the API box link to it."""
from __future__ import annotations

import shutil
import subprocess
import sys

import pytest
import requests
from axe_playwright_python import sync_playwright as axe_module

from ckanext.kalmar_oppnadata.guide import examples

from .browser_support import SCREENSHOTS

RUNNERS = {
    "bash": lambda code: ["bash", "-c", code],
    "python": lambda code: [sys.executable, "-c", code],
    "javascript": lambda code: [shutil.which("node") or "node", "--input-type=module", "-e", code],
}


def _resource_id(portal) -> str:
    dataset = requests.get(f"{portal['url']}/api/3/action/package_show", params={"id": examples.table_dataset()},
                           timeout=30).json()["result"]
    resource_id = examples.table_resource_id(dataset)
    assert resource_id, "the demo's table is not in the DataStore"
    return resource_id


@pytest.fixture(scope="module")
def filled(browser_portal):
    return examples.runnable(browser_portal["url"], _resource_id(browser_portal))


def test_every_example_on_the_page_is_the_one_run_here(browser, browser_portal, filled):
    for path in ("/utvecklare", "/en/utvecklare"):
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        page = context.new_page()
        page.goto(browser_portal["url"] + path)
        shown = {block.get_attribute("data-example"): block.text_content()
                 for block in page.locator("pre code[data-example]").all()}
        assert shown == {example["id"]: example["code"] for example in filled}, path
        for example in filled:
            said = page.locator(f'code[data-expect="{example["id"].rsplit("-", 1)[0]}"]').all_text_contents()
            assert said == example["expect"], (path, example["id"])
        assert "/en/api/" not in page.content()
        context.close()


def test_the_examples_cover_every_way_the_guide_promises(filled):
    kinds = {example["id"].rsplit("-", 1)[1] for example in filled}
    assert kinds == {"curl", "python", "ckanapi", "javascript"}
    codes = "\n".join(example["code"] for example in filled)
    for needle in ("organization:kalmar-kommun", "sdg:6", "theme:", "conforms_to:", "ext_bbox=", "/catalog.ttl",
                   "/organization/kalmar-kommun/catalog.ttl", "datastore_search_sql",
                   "datastore_search'", "/datastore/dump/"):
        assert needle in codes, needle


@pytest.mark.parametrize("index", range(len(examples.runnable("http://x", "y"))))
def test_each_example_answers_what_the_page_says(filled, index):
    example = filled[index]
    run = subprocess.run(RUNNERS[example["language"]](example["code"]), capture_output=True, text=True,
                         timeout=120)
    assert run.returncode == 0, (example["id"], run.stderr[-2000:])
    for line in example["expect"]:
        assert line in run.stdout, (example["id"], line, run.stdout[:3000])


@pytest.mark.parametrize("path", ["/utvecklare", "/en/utvecklare"])
@pytest.mark.parametrize("width", [1280, 390])
def test_the_guide_reads_at_both_widths_without_serious_axe_findings(browser, browser_portal, path, width):
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    page.goto(browser_portal["url"] + path)
    name = f"guide-{'en' if path.startswith('/en') else 'sv'}-{width}"
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
    wide = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert wide <= 0, f"{name}: {wide}px wider than the window"
    violations = axe_module.Axe().run(page).response["violations"]
    serious = [(v["id"], [n["target"] for n in v["nodes"][:3]]) for v in violations
               if v["impact"] in ("serious", "critical")]
    heading = page.locator("h1").inner_text()
    context.close()
    assert heading == ("For developers" if path.startswith("/en") else "För utvecklare")
    assert not serious, serious


def test_the_footer_and_the_api_box_link_to_the_guide(browser_portal):
    base = browser_portal["url"]
    for path, text in (("/", "För utvecklare: API och kataloger"), ("/en/", "For developers: API and catalogs")):
        page = requests.get(base + path, timeout=30).text
        assert text in page
        assert "docs.ckan.org/en/" not in page.split("site-footer", 1)[1]  # CKAN's generic API documentation
    resource_id = _resource_id(browser_portal)
    page = requests.get(f"{base}/dataset/{examples.table_dataset()}/resource/{resource_id}", timeout=30).text
    assert 'href="/utvecklare#tabeller"' in page
    english = requests.get(f"{base}/en/dataset/{examples.table_dataset()}/resource/{resource_id}", timeout=30).text
    assert 'href="/en/utvecklare#tabeller"' in english
