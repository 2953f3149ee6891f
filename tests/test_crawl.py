"""The portal crawled like a person: every page reachable from the start page, and the dataset, resource,
organization, harvest, user, API-token and admin pages, as a visitor, an editor and a sysadmin.

On every page, at 1280 and 390 px: no request that failed (an asset, a page, an XHR), nothing wider than
the window, zero serious or critical axe-core findings, and a screenshot of each width under
.stack/screenshots/crawl/. In the Swedish UI no English text is visible (text, aria-label, title,
placeholder, alt and button values); in the English UI (/en/) the portal speaks English, with the datasets'
English titles and descriptions, and no printed API address carries a locale. The findings of a run are
listed in .stack/reports/crawl-report.md.

What counts as English: a word of CKAN's and its extensions' English message ids (their .pot files) that
does not also occur in the Swedish texts of the catalogs, unless ALLOWED says it is the same in both
languages or a name. "dataset"/"datasets" is always English here: the portal says "datamängd".
"""
from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path
from urllib.parse import urlsplit

import polib
import pytest
import requests
from axe_playwright_python import sync_playwright as axe_module

import ckan
import ckanext.harvest

from .browser_support import EDITOR, REPORTS, ROOT, SCREENSHOTS, SYSADMIN, failed_requests, log_in
from .examples import ALLOWED_HOST

CRAWL_SHOTS = SCREENSHOTS / "crawl"
WIDTHS = (1280, 390)
# Pages per role found by following links (the fixed pages below come on top).
MAX_LINKED_PAGES = {"anonymous": 30, "editor": 10, "sysadmin": 10}
# Not followed: they change something, leave the HTML UI, or are files (/datastore/api_info/ is the "Data API"
# button's dialog content, not a page).
SKIP = re.compile(r"/user/_logout|/datastore/api_info/|/logout|/delete|/purge|/api/|/catalog[./]|/download|"
                  r"/datastore/dump|"
                  r"/follow|/unfollow|/harvest/(refresh|clear|abort)|/psidata\.|\.(csv|rdf|ttl|jsonld|json|xml|"
                  r"xlsx|png|svg|zip)(\?|$)|/oversikt\.csv|/changes|/activity/|/new_view|/edit_view|/user/reset|"
                  r"/user/register|/revision|/embed|/dashboard/(datasets|organizations|groups)")

# Words that read the same in Swedish and English, and names. Reviewed: each is a proper name, an
# abbreviation, a file format, a code, or a Swedish word spelled like an English one.
ALLOWED = frozenset("""
api csv json xlsx xls rdf ttl jsonld xml html pdf zip geojson wms wfs url uri uris http https www sql id
dcat dcat-ap dcat-ap-se ckan solr leaflet openstreetmap geonames markdown github creative commons cc by
cc0 sa odbl pddl eu digg un agenda wcag ok e-post admin sysadmin kalmar torsås borgholm emmaboda hultsfred
högsby mönsterås mörbylånga nybro oskarshamn vimmerby västervik region län kommun jwt utc cet iso
lat lon latitude longitude place_id table schema
bad system demo
english
""".split())
# "bad" (bath), "system" and "demo" (the demo datasets' contact names) are Swedish words too. "English" is
# the language picker's name for English, in
# English as language pickers name each language (marked lang="en").
ALWAYS_ENGLISH = frozenset({"dataset", "datasets"})
TOKEN = re.compile(r"\S+")
PUNCTUATION = ".,;:!?()[]{}\"'“”‘’«»…*"
IDENTIFIER = re.compile(r"[\d_/@=%&?.:{}<>$#]")
WORD = re.compile(r"[A-Za-zÀ-ÖØ-öø-ÿ][A-Za-zÀ-ÖØ-öø-ÿ'-]*")

# Text a person meets on the page: visible text and the attributes read out or shown to them.
PAGE_TEXTS = """() => {
  // Left out: code (API examples), what is marked translate="no" (data such as column names), and what is
  // marked as another language (lang="en": a dataset's English title, the language picker's "English").
  // They are hidden while the text is read (a code block's text is not found again inside the page's text
  // when its lines are rendered differently), then shown again as they were.
  const left = Array.from(document.querySelectorAll('pre, code, [translate=no], body [lang]:not([lang|=sv])'));
  const shown = left.map(el => el.style.display);
  left.forEach(el => { el.style.display = 'none'; });
  const body = document.body.innerText;
  left.forEach((el, i) => { el.style.display = shown[i]; });
  const texts = [document.title, body];
  for (const el of document.querySelectorAll('[aria-label], [title], [placeholder], [alt], '
                                             + 'input[type=submit], input[type=button], button[value]')) {
    if (el.closest('script, style, head, body [lang]:not([lang|=sv])')) continue;
    for (const a of ['aria-label', 'title', 'placeholder', 'alt']) {
      if (el.getAttribute(a)) texts.push(el.getAttribute(a));
    }
    if (el.matches('input[type=submit], input[type=button]') && el.value) texts.push(el.value);
  }
  return texts;
}"""
LINKS = "() => Array.from(document.querySelectorAll('a[href]'), a => a.href)"
OVERFLOW = "() => [document.documentElement.scrollWidth, window.innerWidth]"


def _words(texts) -> set[str]:
    return {w.lower().strip("'-") for t in texts for w in WORD.findall(t or "")}


def _catalog_words() -> tuple[set[str], set[str]]:
    """(words of the English message ids, words of the Swedish translations) of every catalog in play."""
    ckan_i18n = Path(ckan.__file__).parent / "i18n"
    harvest_i18n = Path(ckanext.harvest.__file__).parent / "i18n"
    ours = ROOT / "ckanext/kalmar_oppnadata/i18n"
    english, swedish = set(), set()
    for pot in (ckan_i18n / "ckan.pot", harvest_i18n / "ckanext-harvest.pot", ours / "ckanext-kalmar_oppnadata.pot"):
        english |= _words(e.msgid for e in polib.pofile(str(pot)))
    for po in (ckan_i18n / "sv/LC_MESSAGES/ckan.po", harvest_i18n / "sv/LC_MESSAGES/ckanext-harvest.po",
               ours / "sv/LC_MESSAGES/ckanext-kalmar_oppnadata.po"):
        swedish |= _words(e.msgstr for e in polib.pofile(str(po)) if e.translated())
    return english, swedish


def english_in(texts: list[str], english: set[str], swedish: set[str]) -> list[str]:
    """The English words among texts, each with a little of its context. Identifiers, addresses and numbers
    (anything with a digit, _, /, @, =, : or . inside) are not words."""
    found = []
    for text in texts:
        for token in TOKEN.finditer(text or ""):
            if IDENTIFIER.search(token.group().strip(PUNCTUATION)):
                continue
            match = WORD.search(token.group())
            if not match:
                continue
            word = match.group().lower().strip("'-")
            if word in ALLOWED or not (word in ALWAYS_ENGLISH or (word in english and word not in swedish)):
                continue
            context = text[max(0, token.start() - 30):token.end() + 30].replace("\n", " ").strip()
            found.append(f"{match.group()!r} in “…{context}…”")
    return found


class Crawl:
    """One browser context per role; every page checked once per role, at both widths."""

    def __init__(self, browser, base_url: str, english: set[str], swedish: set[str]):
        self.browser, self.base = browser, base_url
        self.english, self.swedish = english, swedish
        self.axe = axe_module.Axe()
        self.findings: dict[str, list[str]] = defaultdict(list)
        self.checked: list[str] = []
        CRAWL_SHOTS.mkdir(parents=True, exist_ok=True)

    def context(self, role: str, credentials=None, locale="sv-SE"):
        context = self.browser.new_context(viewport={"width": WIDTHS[0], "height": 900}, locale=locale)
        page = context.new_page()
        if credentials:
            log_in(page, {"url": self.base}, *credentials)
        failed = failed_requests(page)
        page.on("pageerror", lambda e: failed.append(f"JavaScript error: {e}"))
        return context, page, failed

    def _internal(self, url: str) -> str | None:
        url = url.split("#")[0]
        parts = urlsplit(url)
        if not url.startswith(self.base) or SKIP.search(parts.path) or parts.query:
            return None
        return parts.path.rstrip("/") or "/"

    def check(self, role: str, page, failed: list[str], path: str, swedish_ui: bool = True) -> list[str]:
        """Open path, check it, and return the links on it."""
        key = f"{role} {path}"
        failed.clear()
        page.set_viewport_size({"width": WIDTHS[0], "height": 900})
        response = page.goto(self.base + path, wait_until="load")
        if response is None or response.status >= 400:
            self.findings[key].append(f"page answers {response.status if response else 'nothing'}")
        page.wait_for_load_state("networkidle")
        name = re.sub(r"[^A-Za-z0-9]+", "_", f"{role}{path}").strip("_")[:120]
        if swedish_ui:
            self.findings[key] += english_in(page.evaluate(PAGE_TEXTS), self.english, self.swedish)
        self.findings[key] += [f"axe {v['impact']} {v['id']}: {v['help']} "
                               f"({', '.join(str(n['target']) for n in v['nodes'][:3])})"
                               for v in self.axe.run(page).response["violations"]
                               if v["impact"] in ("serious", "critical")]
        links = page.evaluate(LINKS)
        for width in WIDTHS:
            if width != WIDTHS[0]:  # opened on a phone: loaded at that width (maps and grids size themselves then)
                page.set_viewport_size({"width": width, "height": 900})
                page.reload(wait_until="load")
                page.wait_for_load_state("networkidle")
            scroll_width, inner_width = page.evaluate(OVERFLOW)
            if scroll_width > inner_width:
                self.findings[key].append(f"{scroll_width} px wide at {width} px")
            page.screenshot(path=str(CRAWL_SHOTS / f"{name}-{width}.png"), full_page=True)
        self.findings[key] += [f"request {f}" for f in failed]
        self.checked.append(key)
        return links

    def crawl(self, role: str, credentials, fixed: list[str], prefix: str = "", swedish_ui: bool = True):
        context, page, failed = self.context(role, credentials, "sv-SE" if swedish_ui else "en-GB")
        try:
            queue, seen, linked = [prefix + "/"] + fixed, set(), 0
            while queue:
                path = queue.pop(0)
                if path in seen:
                    continue
                seen.add(path)
                is_fixed = path in fixed or path == prefix + "/"
                if not is_fixed and linked >= MAX_LINKED_PAGES[role]:
                    continue
                linked += not is_fixed
                for link in self.check(role, page, failed, path, swedish_ui):
                    target = self._internal(link)
                    if target and target not in seen and target.startswith(prefix + "/") and (
                            prefix or not target.startswith("/en/")):
                        queue.append(target)
        finally:
            context.close()

    def report(self) -> str:
        lines = ["# Crawl report", "", f"{len(self.checked)} pages checked.", ""]
        for key in self.checked:
            if self.findings.get(key):
                lines.append(f"## {key}")
                lines += [f"- {f}" for f in dict.fromkeys(self.findings[key])]
                lines.append("")
        (REPORTS / "crawl-report.md").write_text("\n".join(lines), encoding="utf-8")
        return "\n".join(lines)


def _portal_pages(portal) -> dict[str, list[str]]:
    """The fixed pages of each role: a dataset, its resource, an organization, a harvest source, the user's
    own pages and the admin pages."""
    token = {"Authorization": portal["token"]}
    source = requests.post(f"{portal['url']}/api/3/action/harvest_source_create", headers=token, timeout=30, json={
        "name": "kalmar-dcat", "title": "Kalmar kommuns katalog", "url": f"http://{ALLOWED_HOST}:9/dcat.rdf",
        "source_type": "dcat_rdf", "owner_org": "kalmar-kommun", "frequency": "MANUAL"})
    assert source.ok, source.text
    dataset = requests.get(f"{portal['url']}/api/3/action/package_show", params={"id": "demo-badplatser-kalmar"},
                           timeout=30).json()["result"]
    resource = f"/dataset/{dataset['name']}/resource/{dataset['resources'][0]['id']}"
    common = ["/dataset", f"/dataset/{dataset['name']}", resource, "/organization/kalmar-kommun", "/harvest",
              "/harvest/kalmar-dcat", "/about", "/oversikt", "/specifikationer", "/agenda2030"]
    return {
        "anonymous": common + ["/user/login", "/dataset/activity/demo-badplatser-kalmar", "/utvecklare",
                               "/onska-data", "/onska-data/ny", "/anvandningsexempel", "/anvandningsexempel/foresla",
                               "/vokabular", "/vokabular/sdg", f"{resource}/utforska-api"],
        "editor": common + [f"/user/{EDITOR[0]}", f"/user/{EDITOR[0]}/api-tokens", "/dashboard/datasets",
                            "/dataset/new", f"/dataset/edit/{dataset['name']}", f"{resource}/edit",
                            f"/user/edit/{EDITOR[0]}", "/dataset/fran-fil"],
        "sysadmin": common + [f"/user/{SYSADMIN[0]}", f"/user/{SYSADMIN[0]}/api-tokens", "/ckan-admin",
                              "/ckan-admin/config", "/ckan-admin/trash", "/harvest/new", "/harvest/edit/kalmar-dcat",
                              "/organization/edit/kalmar-kommun", "/organization/members/kalmar-kommun",
                              "/user"],
    }


@pytest.fixture(scope="module")
def crawl(browser, browser_portal):
    english, swedish = _catalog_words()
    return Crawl(browser, browser_portal["url"], english, swedish)


def test_every_page_in_swedish_fits_the_window_is_accessible_and_loads(crawl, browser_portal):
    pages = _portal_pages(browser_portal)
    crawl.crawl("anonymous", None, pages["anonymous"])
    crawl.crawl("editor", EDITOR, pages["editor"])
    crawl.crawl("sysadmin", SYSADMIN, pages["sysadmin"])
    report = crawl.report()
    assert len(crawl.checked) > 70, report
    assert not any(crawl.findings.values()), report


def test_english_ui_speaks_english_with_the_datasets_english_texts(browser, browser_portal):
    """/en/: the demo's Kalmar bathing sites by their English title and description (title_en, notes_en) on the
    start, search, organization and dataset pages; the licence, the quality advice and the previews by their
    English names; the requested datasets on /oversikt in English; no address of the API with /en/."""
    base = browser_portal["url"]
    api = f"{base}/api/3/action"
    dataset = requests.get(f"{api}/package_show", params={"id": "demo-badplatser-kalmar"}, timeout=30).json()["result"]
    assert dataset["title_en"] and dataset["notes_en"]
    quality = requests.get(f"{api}/quality_show", params={"id": dataset["name"]}, timeout=30).json()["result"]
    advice = [row for row in quality["indicators"] if row["advice"]]
    assert advice  # the demo leaves something to improve
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    page = context.new_page()
    try:
        for path in ("/en/", "/en/dataset/", "/en/organization/kalmar-kommun", f"/en/dataset/{dataset['name']}"):
            page.goto(base + path)
            text = page.inner_text("body")
            assert dataset["title_en"] in text, path
            assert dataset["title"] not in text, path
            assert "/en/api/" not in page.content(), path
        page.goto(f"{base}/en/dataset/{dataset['name']}")
        text = page.inner_text("body")
        assert dataset["notes_en"].replace("*", "").split("\n")[0] in text  # shown as rendered Markdown
        assert "Creative Commons" in text or "CC0 1.0 Universal" in text
        assert "Universell" not in text and "Erkännande" not in text  # the licence's Swedish name
        for row in advice:
            assert row["advice_en"] in text and row["advice"] not in text, row["indicator"]

        resource = dataset["resources"][0]
        page.goto(f"{base}/en/dataset/{dataset['name']}/resource/{resource['id']}")
        views = page.locator(".view-item").all_inner_texts()
        assert views and not {"Karta", "tabell", "Tabell"} & {v.strip() for v in views}, views
        calls = page.locator("#kalmar-api code").all_inner_texts()
        assert calls and all("/api/3/action/" in c and "/en/" not in c for c in calls if "/api/" in c), calls
        assert "/en/api/" not in page.content()

        page.goto(f"{base}/en/oversikt")
        text = page.inner_text("body")
        assert "Business establishments" in text and "Företagsetableringar" not in text
    finally:
        context.close()


def test_api_errors_are_swedish_for_an_anonymous_caller(browser_portal):
    answer = requests.post(f"{browser_portal['url']}/api/3/action/package_create", json={"name": "x"}, timeout=30)
    assert answer.status_code == 403
    message = answer.json()["error"]["message"]
    assert message.startswith("Åtkomst nekad: "), message
    assert not english_in([message], *_catalog_words()) and "paket" not in message, message
