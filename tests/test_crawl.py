"""The portal in the English UI and its API errors in Swedish, checked in a real browser and over HTTP.

In the English UI (/en/) the portal speaks English, with the datasets' English titles and descriptions, and
no printed API address carries a locale; an anonymous caller of the Action API gets CKAN's errors in Swedish.

What counts as English: a word of CKAN's and its extensions' English message ids (their .pot files) that
does not also occur in the Swedish texts of the catalogs, unless ALLOWED says it is the same in both
languages or a name. "dataset"/"datasets" is always English here: the portal says "datamängd".

The crawl of every page as a visitor, an editor and a sysadmin (no English, no failed request, no overflow,
no serious axe finding, at 1280 and 390 px) is on the branch crawl-wip: it still finds English and
failures on pages issue 22 has not finished (see that issue), so it is not part of the suite yet.
"""
from __future__ import annotations

import re
from pathlib import Path

import polib
import requests

import ckan
import ckanext.harvest

from .browser_support import ROOT

# Words that read the same in Swedish and English, and names. Reviewed: each is a proper name, an
# abbreviation, a file format, a code, or a Swedish word spelled like an English one.
ALLOWED = frozenset("""
api csv json xlsx xls rdf ttl jsonld xml html pdf zip geojson wms wfs url uri uris http https www sql id
dcat dcat-ap dcat-ap-se ckan solr leaflet openstreetmap geonames markdown github creative commons cc by
cc0 sa odbl pddl eu digg un agenda wcag ok e-post admin sysadmin kalmar torsås borgholm emmaboda hultsfred
högsby mönsterås mörbylånga nybro oskarshamn vimmerby västervik region län kommun jwt utc cet iso
lat lon latitude longitude place_id table schema
bad system
english
""".split())
# "bad" (bath) and "system" are Swedish words too. "English" is the language picker's name for English, in
# English as language pickers name each language (marked lang="en").
ALWAYS_ENGLISH = frozenset({"dataset", "datasets"})
TOKEN = re.compile(r"\S+")
PUNCTUATION = ".,;:!?()[]{}\"'“”‘’«»…*"
IDENTIFIER = re.compile(r"[\d_/@=%&?.:{}<>$#]")
WORD = re.compile(r"[A-Za-zÀ-ÖØ-öø-ÿ][A-Za-zÀ-ÖØ-öø-ÿ'-]*")


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
