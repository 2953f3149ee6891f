"""API addresses without a language, and API errors in one language.

Every page a visitor or a sysadmin reaches from the start page of the English UI (and the Swedish one)
prints the Action API's and the table dumps' addresses without /en/; the guide is among them. An anonymous
caller's refusals from the Action API are all Swedish at /api/3 and all English at /en/api/3, also those CKAN
writes without a translation (web/api_errors.py)."""
from __future__ import annotations

import re
from urllib.parse import urljoin, urlparse

import pytest
import requests

# Links a crawl must not follow: they change something, download, or leave the HTML pages.
SKIP = re.compile(r"logout|/delete|follow|/refresh|/clear|/purge|/abort|/api/|/datastore/dump|/download|"
                  r"\.(rdf|ttl|jsonld|csv|xlsx|json|xml|png|svg|ico|js|css)(\?|$)|/job/|/webassets/|/base/")
HREF = re.compile(r'href="([^"#]+)')
LOCALIZED_API = re.compile(r"/en/(api/|datastore/dump)")


def _crawl(base: str, start: str, headers: dict[str, str], limit: int) -> dict[str, list[str]]:
    """Pages reachable from start (same site, GET), and for each the localized API addresses it prints."""
    seen, queue, found = set(), [start], {}
    while queue and len(seen) < limit:
        path = queue.pop(0)
        if path in seen:
            continue
        seen.add(path)
        response = requests.get(base + path, headers=headers, timeout=60, allow_redirects=True)
        if "text/html" not in response.headers.get("content-type", ""):
            continue
        found[path] = LOCALIZED_API.findall(response.text)
        for href in HREF.findall(response.text):
            url = urlparse(urljoin(base + path, href.replace("&amp;", "&")))
            if url.netloc != urlparse(base).netloc or SKIP.search(url.path + ("?" + url.query if url.query else "")):
                continue
            target = url.path + ("?" + url.query if url.query else "")
            if "page=" in url.query or target in seen:
                continue
            queue.append(target)
    return found


@pytest.mark.parametrize("start", ["/en/", "/"])
@pytest.mark.parametrize("who", ["visitor", "sysadmin"])
def test_no_page_prints_an_api_address_with_a_language(browser_portal, start, who):
    headers = {"Authorization": browser_portal["token"]} if who == "sysadmin" else {}
    found = _crawl(browser_portal["url"], start, headers, limit=120)
    assert len(found) > 30, sorted(found)  # the crawl reached the portal's pages
    must_reach = {"/en/utvecklare", "/en/dataset/demo-badplatser-kalmar"} if start == "/en/" else {"/utvecklare"}
    assert must_reach <= set(found), sorted(found)
    assert not {path: hits for path, hits in found.items() if hits}


def _resource_id(portal) -> str:
    dataset = requests.get(f"{portal['url']}/api/3/action/package_show", params={"id": "demo-badplatser-kalmar"},
                           timeout=30).json()["result"]
    return dataset["resources"][0]["id"]


CALLS = [
    ("package_create", {"name": "x"}),
    ("package_update", {"id": "demo-badplatser-kalmar", "title": "x"}),
    ("package_show", {"id": "demo-utkast-nybro"}),
    ("organization_member_create", {"id": "kalmar-kommun", "username": "redaktor-kalmar", "role": "editor"}),
    ("get_site_user", {}),
    ("harvest_log_list", {}),
    ("datastore_create", {"resource_id": "<table>", "records": [{"name": "x"}]}),
    ("datastore_upsert", {"resource_id": "<table>", "records": [{"name": "x"}], "method": "insert"}),
]
# Words of the English refusals (ckan.pot) that a Swedish refusal never contains, and the other way round.
ENGLISH = re.compile(r"\b(Access|denied|User|not authorized|requires|authenticated|Only|internal|services|action)\b")
SWEDISH = re.compile(r"[åäöÅÄÖ]|\b(Användare|behörighet|kräver|inloggad|åtgärd)\b")


@pytest.mark.parametrize("action, data", CALLS, ids=[c[0] for c in CALLS])
def test_an_anonymous_callers_refusal_is_in_one_language(browser_portal, action, data):
    table = _resource_id(browser_portal)
    data = {k: (table if v == "<table>" else v) for k, v in data.items()}
    swedish = requests.post(f"{browser_portal['url']}/api/3/action/{action}", json=data, timeout=30)
    english = requests.post(f"{browser_portal['url']}/en/api/3/action/{action}", json=data, timeout=30)
    assert swedish.status_code == english.status_code == 403, (swedish.text, english.text)
    sv, en = swedish.json()["error"]["message"], english.json()["error"]["message"]
    assert sv.startswith("Åtkomst nekad") and not ENGLISH.search(sv), sv
    assert en.startswith("Access denied") and not SWEDISH.search(en), en


def test_the_refusals_ckan_leaves_untranslated_are_said_in_swedish(browser_portal):
    base = browser_portal["url"]
    message = requests.post(f"{base}/api/3/action/datastore_create", json={"resource_id": _resource_id(browser_portal)},
                            timeout=30).json()["error"]["message"]
    assert message == f"Åtkomst nekad: Behörighet saknas för resource_update på resursen {_resource_id(browser_portal)}"
    message = requests.post(f"{base}/api/3/action/harvest_log_list", json={}, timeout=30).json()["error"]["message"]
    assert message == "Åtkomst nekad: Åtgärden harvest_log_list kräver en inloggad användare (en API-token)"
    message = requests.post(f"{base}/api/3/action/get_site_user", json={}, timeout=30).json()["error"]["message"]
    assert message == "Åtkomst nekad: Bara portalens egna tjänster får använda den här åtgärden"
