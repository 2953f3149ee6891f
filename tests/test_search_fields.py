"""Search field names a person can guess: the names of ``package_show`` (``sdg``, ``theme``, ``conforms_to``,
…) work in ``q``, ``fq``, ``fq_list`` and ``facet.field`` as the indexed ``vocab_*`` fields, through the
Action API and the search page; a name that is no field gets a 409 that names the right one. Never a
silent 0, never a facet bucket of JSON text."""
from __future__ import annotations

import html
import json
import re

import pytest

from .examples import DATA_LINK

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")

BADPLATSER = "https://dataportal.se/specifications/badplatser/1.0"
ENVI = "http://publications.europa.eu/resource/authority/data-theme/ENVI"
SWE = "http://publications.europa.eu/resource/authority/language/SWE"


@pytest.fixture
def datasets(api, sysadmin_with_token):
    token = sysadmin_with_token["token"]
    org = api("organization_create", token=token, name="kalmar-kommun", title="Kalmar kommun",
              email="oppnadata@kalmar.se")["result"]
    common = {"owner_org": org["id"], "notes": "x", "classification_confirmed": True, "private": False,
              "resources": [DATA_LINK]}
    api("package_create", token=token, name="badplatser", title="Badplatser", sdg=["6", "11"],
        theme=["ENVI", "EDUC"], conforms_to=[BADPLATSER], **common)
    api("package_create", token=token, name="energi", title="Energi", sdg=["7"], theme=["ENER"], **common)
    return token


def _names(result):
    return sorted(d["name"] for d in result["results"])


@pytest.mark.parametrize("fq, expected", [
    ("sdg:6", ["badplatser"]),
    ('sdg:"7"', ["energi"]),
    ("sdg:(6 OR 7)", ["badplatser", "energi"]),
    (f'theme:"{ENVI}"', ["badplatser"]),
    (f'conforms_to:"{BADPLATSER}"', ["badplatser"]),
    ('+organization:kalmar-kommun -sdg:6', ["energi"]),
    (f'language:"{SWE}"', ["badplatser", "energi"]),
    ("answers:badplatser", ["badplatser"]),  # a requested dataset's id; its specification was made for it
    ('title:"sdg:6"', []),  # a quoted value is a value, not a field name
])
def test_fq_with_the_field_names_of_package_show(api, datasets, fq, expected):
    assert _names(api("package_search", fq=fq)["result"]) == expected


def test_q_and_fq_list_too(api, datasets):
    assert _names(api("package_search", q="sdg:11")["result"]) == ["badplatser"]
    assert _names(api("package_search", fq_list=["sdg:6", f'theme:"{ENVI}"'])["result"]) == ["badplatser"]


def test_facets_on_the_plain_names_are_the_values_under_the_name_asked(api, datasets):
    result = api("package_search", rows=0, **{"facet.field": ["sdg", "theme", "conforms_to", "organization"]})["result"]
    assert result["facets"]["sdg"] == {"6": 1, "11": 1, "7": 1}
    assert result["facets"]["theme"] == {ENVI: 1, "http://publications.europa.eu/resource/authority/data-theme/EDUC": 1,
                                         "http://publications.europa.eu/resource/authority/data-theme/ENER": 1}
    assert result["facets"]["conforms_to"] == {BADPLATSER: 1}
    assert "vocab_sdg" not in result["facets"]
    items = {i["name"]: i["display_name"] for i in result["search_facets"]["sdg"]["items"]}
    assert items["6"] == "6. Rent vatten och sanitet för alla"
    # Asked for both ways, both come back.
    both = api("package_search", rows=0, **{"facet.field": ["sdg", "vocab_sdg"]})["result"]["facets"]
    assert both["sdg"] == both["vocab_sdg"] == {"6": 1, "11": 1, "7": 1}


def test_no_facet_bucket_of_json_text_for_any_list_field(api, datasets):
    """Every list field of the schema is indexed as values: no bucket looks like a JSON list."""
    fields = ["sdg", "theme", "conforms_to", "answers", "language", "applicable_legislation", "keywords_en"]
    facets = api("package_search", rows=0, **{"facet.field": fields})["result"]["facets"]
    for field in fields:
        assert not [b for b in facets.get(field, {}) if b.startswith("[")], (field, facets[field])
    assert facets["language"] == {SWE: 2}


@pytest.mark.parametrize("param, value, right", [
    ("fq", "kommun:kalmar-kommun", "organization"),
    ("fq", "goal:6", "sdg"),
    ("q", "specification:x", "conforms_to"),
])
def test_a_name_that_is_no_field_gets_a_409_naming_the_right_one(api, datasets, param, value, right):
    error = api("package_search", status=409, **{param: value})["error"]
    assert error["__type"] == "Validation Error"
    assert error[param] == [f'Det finns inget sökfält "{value.split(":")[0]}": använd "{right}"']


def test_a_facet_on_a_name_that_is_no_field_gets_a_409(api, datasets):
    error = api("package_search", status=409, **{"facet.field": ["municipality"]})["error"]
    assert error["facet.field"] == ['Det finns inget sökfält "municipality": använd "organization"']


@pytest.mark.parametrize("box", ["16,56,17", "16.5,56.8,16.2,56.6", "200,56.6,16.5,56.8", "16.2,-91,16.5,56.8"])
def test_a_bad_box_is_refused_in_swedish_naming_ext_bbox(api, datasets, box):
    # three numbers; corners the wrong way round; a longitude and a latitude out of range: each found nothing
    error = api("package_search", status=409, ext_bbox=box)["error"]
    assert set(error) == {"ext_bbox", "__type"}
    assert error["ext_bbox"][0].startswith("Ange ext_bbox som fyra tal")


def test_a_box_in_order_finds_what_lies_in_it(api, datasets):
    api("package_patch", token=datasets, id="badplatser", spatial="16.2,56.6,16.5,56.8")  # Kalmar
    assert _names(api("package_search", ext_bbox="16.0,56.5,16.6,56.9")["result"]) == ["badplatser"]
    assert api("package_search", ext_bbox="-80,-50,-70,-40")["result"]["count"] == 0


@pytest.mark.parametrize("fq_list", ['["sdg:6"]', '["sdg:(6 OR 7)", "theme:\\"' + ENVI + '\\""]', "sdg:6"])
def test_fq_list_given_once_over_get_as_json_text_or_one_filter(app, datasets, fq_list):
    response = app.get("/api/3/action/package_search", query_string={"fq_list": fq_list})
    assert response.status_code == 200, response.body
    assert _names(response.json["result"]) == ["badplatser"]


def test_over_get_with_json_facet_field_as_a_developer_writes_it(app, datasets):
    response = app.get("/api/3/action/package_search",
                       query_string={"fq": "sdg:6", "facet.field": json.dumps(["sdg"]), "rows": 0})
    assert response.status_code == 200
    assert response.json["result"]["count"] == 1
    assert response.json["result"]["facets"]["sdg"] == {"6": 1, "11": 1}


def test_search_page_takes_the_plain_names(app, datasets):
    response = app.get("/dataset/?sdg=6", follow_redirects=False)
    assert response.status_code == 302 and response.location.endswith("/dataset/?vocab_sdg=6")
    page = app.get("/dataset/?sdg=6").body
    assert "Badplatser" in page and "Energi" not in page
    org_page = app.get("/organization/kalmar-kommun?sdg=7").body
    assert "Energi" in org_page and ">Badplatser<" not in org_page


def test_search_page_refuses_a_name_that_is_no_field_in_swedish(app, datasets):
    response = app.get("/dataset/?kommun=kalmar-kommun")
    assert response.status_code == 400
    assert 'Det finns inget sökfält "kommun": använd "organization"' in html.unescape(response.body)


def _facet_links(page: str) -> dict[str, str]:
    """Each facet link's label (its item's whole name, as its tooltip shows a shortened one, and its count)
    → its address, as the browser follows it."""
    links = {}
    for attributes, short, count in re.findall(r'<a hx-boost="true" (href="[^"]*"[^>]*)>\s*'
                                               r'<span class="item-label">([^<]*)</span>.*?'
                                               r'<span class="item-count badge">(\d+)</span>', page, re.S):
        whole = re.search(r'data-bs-title="([^"]*)"', attributes)
        label = html.unescape((whole.group(1) if whole else short).strip())
        links[f"{label} ({count})"] = html.unescape(re.search(r'href="([^"]*)"', attributes).group(1))
    return links


@pytest.mark.parametrize("address, label, expected", [
    # The search page: the filter is added to the page's query, the page number dropped.
    ("/dataset/?q=Badplatser&page=1", "JSON (2)", "/dataset/?q=Badplatser&res_format=JSON"),
    ("/dataset/?vocab_sdg=7", "Kalmar kommun (1)", "/dataset/?vocab_sdg=7&organization=kalmar-kommun"),
    # An active filter's link takes it away again, keeping the others.
    ("/dataset/?q=Energi&vocab_sdg=7", "7. Hållbar energi för alla (1)", "/dataset/?q=Energi"),
    # The English UI keeps its /en.
    ("/en/dataset/?vocab_sdg=6", "Kalmar kommun (1)", "/en/dataset/?vocab_sdg=6&organization=kalmar-kommun"),
    # The organization page filters within the organization.
    ("/organization/kalmar-kommun?vocab_sdg=6", "11. Hållbara städer och samhällen (1)",
     "/organization/kalmar-kommun?vocab_sdg=6&vocab_sdg=11"),
])
def test_facet_links_filter_the_page_they_are_on(app, datasets, address, label, expected):
    links = _facet_links(app.get(address).body)
    assert links.get(label) == expected, links


@pytest.mark.parametrize("address", [
    "/dataset/", "/dataset/?q=Badplatser&page=1&sort=score+desc", "/dataset/?vocab_sdg=7&_tags_limit=0",
    "/en/dataset/?vocab_sdg=6", "/organization/kalmar-kommun?vocab_sdg=6", "/en/organization/kalmar-kommun"])
def test_facet_links_are_the_ones_ckan_builds(app, datasets, monkeypatch, address):
    """The portal builds the facets' links on the page's address made once (kalmar_facet_base_url); CKAN's
    own way (a url_for per link, taken when the helper gives None) gives the same links, also over htmx."""
    from ckan.lib.helpers import helper_functions
    for headers in ({}, {"HX-Request": "true"}):
        ours = _facet_links(app.get(address, headers=headers).body)
        with monkeypatch.context() as m:
            m.setitem(helper_functions, "kalmar_facet_base_url", lambda: None)
            ckans = _facet_links(app.get(address, headers=headers).body)
        assert ours and ours == ckans
