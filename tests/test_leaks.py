"""Nothing leaks: private, draft, deleted and unclassified datasets appear in no output that a visitor or
a member of another organization can reach."""
from __future__ import annotations

import io

import pytest

from .examples import BADPLATSER, DATA_LINK

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")

SECRET = "Hemlighet"  # every hidden dataset's title contains it; so must no output


@pytest.fixture
def hidden(app, api, sysadmin_with_token, user_factory, api_token_factory):
    token = sysadmin_with_token["token"]
    for name, title in (("kalmar-kommun", "Kalmar kommun"), ("nybro-kommun", "Nybro kommun")):
        api("organization_create", token=token, name=name, title=title, email=f"oppnadata@{name}.se")
    common = dict(owner_org="kalmar-kommun", notes=f"{SECRET}: får inte synas.", sdg=["6"],
                  conforms_to=[BADPLATSER], answers=["badplatser"], theme=["ENVI"],
                  tags=[{"name": "hemlighetstagg"}], hvd_category="http://data.europa.eu/bna/c_ac64a52d")
    api("package_create", token=token, name="hemlig-privat", title=f"{SECRET} privat", private=True,
        classification_confirmed=True, **common)
    api("package_create", token=token, name="hemlig-oklassad", title=f"{SECRET} oklassad", **common)
    deleted = api("package_create", token=token, name="hemlig-raderad", title=f"{SECRET} raderad", private=False,
                  classification_confirmed=True, **common, resources=[DATA_LINK])["result"]
    api("package_delete", token=token, id=deleted["id"])
    api("package_create", token=token, name="hemlig-utkast", title=f"{SECRET} utkast", state="draft",
        private=False, classification_confirmed=True, **common)
    resource = app.post("/api/3/action/resource_create", headers={"Authorization": token},
                        content_type="multipart/form-data",
                        data={"package_id": "hemlig-privat", "name": "fil",
                              "upload": (io.BytesIO(f"place_id,name\n1,{SECRET}\n".encode()), "hemlig.csv")})
    # A public dataset, so that every output has something to show.
    api("package_create", token=token, name="publik", title="Publik badplats", private=False,
        classification_confirmed=True, owner_org="kalmar-kommun", notes="Öppen.", sdg=["6"],
        conforms_to=[BADPLATSER], resources=[DATA_LINK])
    outsider = user_factory()
    api("organization_member_create", token=token, id="nybro-kommun", username=outsider["name"], role="editor")
    return {"outsider": api_token_factory(user=outsider["id"])["token"],
            "download": resource.json["result"]["url"].replace("http://test.ckan.net", "")}


PAGES = ["/", "/dataset/", "/dataset/?q=synas", "/dataset/?tags=hemlighetstagg", "/agenda2030",
         "/agenda2030/6", "/oversikt", "/oversikt.csv", "/specifikationer", "/organization/kalmar-kommun",
         "/organization/kalmar-kommun/psidata", "/catalog.rdf", "/catalog.ttl", "/catalog.jsonld",
         "/catalog/paged.rdf", "/catalog/hvd.rdf", "/catalog/hvd.ttl", "/catalog/hvd.jsonld",
         "/dataset/hemlig-privat.ttl", "/dataset/hemlig-utkast.jsonld", "/organization/kalmar-kommun/catalog.ttl",
         "/organization/kalmar-kommun/catalog.jsonld",
         "/dataset/hemlig-privat", "/dataset/hemlig-oklassad", "/dataset/hemlig-raderad", "/dataset/hemlig-utkast",
         "/dataset/hemlig-privat.rdf", "/feeds/dataset.atom", "/feeds/organization/kalmar-kommun.atom",
         "/api/2/util/tag/autocomplete?incomplete=hemlig", "/api/2/util/dataset/autocomplete?incomplete=hemlig"]
ACTIONS = [("package_search", {"q": "*:*", "include_private": True, "include_drafts": True, "rows": 100,
                               "facet.field": ["vocab_sdg", "vocab_theme", "vocab_conforms_to", "vocab_answers",
                                               "organization", "tags"]}),
           ("package_list", {}), ("current_package_list_with_resources", {}),
           ("agenda2030_summary", {}), ("agenda2030_goal_show", {"id": "6"}), ("overview_show", {}),
           ("organization_show", {"id": "kalmar-kommun", "include_datasets": True}),
           ("package_autocomplete", {"q": "hemlig"}), ("tag_list", {})]


@pytest.mark.parametrize("who", ["anonymous", "member of another organization"])
def test_hidden_datasets_appear_nowhere(app, api, hidden, who):
    headers = {"Authorization": hidden["outsider"]} if who != "anonymous" else {}
    for path in PAGES:
        response = app.get(path, headers=headers)
        assert response.status_code in (200, 403, 404), (path, response.status_code)
        assert SECRET not in response.body, path
        if "hemlig-" in path:  # the page's own address is echoed (language menu); the dataset is not shown
            assert response.status_code in (403, 404), path
        else:
            assert "hemlig-" not in response.body, path
    for action, data in ACTIONS:
        response = app.post(f"/api/3/action/{action}", json=data, headers=headers)
        assert response.status_code in (200, 403), (action, response.status_code)
        body = response.body
        assert SECRET not in body and "hemlig-" not in body and "hemlighetstagg" not in body, action
    for name in ("hemlig-privat", "hemlig-oklassad", "hemlig-raderad", "hemlig-utkast"):
        assert app.post("/api/3/action/package_show", json={"id": name}, headers=headers).status_code in (403, 404)
        for media_type in ("text/turtle", "application/rdf+xml", "application/ld+json"):  # content negotiation
            response = app.get(f"/dataset/{name}", headers={**headers, "Accept": media_type})
            assert response.status_code == 404 and SECRET not in response.body, (name, media_type)
    assert app.get(hidden["download"], headers=headers).status_code in (403, 404)


def test_counts_exclude_hidden_datasets(api, hidden):
    result = api("package_search", **{"facet.field": ["vocab_sdg", "vocab_conforms_to"], "rows": 0})["result"]
    assert result["count"] == 1
    assert result["facets"]["vocab_sdg"] == {"6": 1}
    assert result["facets"]["vocab_conforms_to"] == {BADPLATSER: 1}
    goals = {g["goal"]: g["count"] for g in api("agenda2030_summary")["result"]["goals"]}
    assert goals["6"] == 1


def test_solr_query_syntax_in_search_is_a_clear_error_not_a_500(app, hidden):
    for query in ('title:"unterminated', "name:[* TO", "{!lucene}*:*", "AND OR NOT", "((("):
        response = app.get("/api/3/action/package_search", query_string={"q": query})
        assert response.status_code in (200, 400, 409), (query, response.status_code)
        page = app.get("/dataset/", query_string={"q": query})
        assert page.status_code in (200, 400), (query, page.status_code)
        assert SECRET not in page.body


@pytest.mark.parametrize("who", ["anonymous", "member of another organization"])
def test_requests_for_data_wait_for_approval_and_show_no_hidden_dataset(app, api, hidden, sysadmin_with_token, who):
    """A request nobody approved, and a published request whose dataset was made private after it was
    linked (data_requests/): neither the waiting request nor the dataset appears to those who may not see
    them; the region sees both (so the checks can fail)."""
    region = sysadmin_with_token["token"]
    api("package_create", token=region, name="hemlig-snart-privat", title=f"{SECRET} snart privat", private=False,
        classification_confirmed=True, owner_org="kalmar-kommun", notes="x", resources=[DATA_LINK])
    waiting = api("data_request_create", title=f"{SECRET} önskemål", purpose="x",
                  municipalities=["kalmar-kommun"])["result"]
    answered = api("data_request_create", title="Öppet önskemål", purpose="x", municipalities=["kalmar-kommun"])
    answered_id = answered["result"]["id"]
    published = app.post("/api/3/action/data_request_update", headers={"Authorization": region}, json={
        "id": answered_id, "approved": True, "status": "published", "datasets": ["hemlig-snart-privat"]})
    assert published.status_code == 200, published.body
    api("package_patch", token=region, id="hemlig-snart-privat", private=True)

    headers = {"Authorization": hidden["outsider"]} if who != "anonymous" else {}
    for path in ("/onska-data", f"/onska-data/{answered_id}", "/onska-data?status=published", "/oversikt"):
        response = app.get(path, headers=headers)
        assert response.status_code == 200, path
        assert SECRET not in response.body and "hemlig-" not in response.body, path
    assert "Öppet önskemål" in app.get("/onska-data", headers=headers).body
    assert app.get(f"/onska-data/{waiting['id']}", headers=headers).status_code == 404
    for action, data in (("data_request_list", {}), ("data_request_show", {"id": answered_id}),
                         ("data_request_list", {"status": "published"})):
        response = app.post(f"/api/3/action/{action}", json=data, headers=headers)
        assert response.status_code == 200 and SECRET not in response.body and "hemlig-" not in response.body
    assert app.post("/api/3/action/data_request_show", json={"id": waiting["id"]}, headers=headers).status_code == 404
    seen = api("data_request_show", token=region, id=answered_id)["result"]
    assert [d["name"] for d in seen["datasets"]] == ["hemlig-snart-privat"]
    assert SECRET in app.get("/onska-data", headers={"Authorization": region}).body


@pytest.mark.parametrize("who", ["anonymous", "member of another organization"])
def test_examples_of_use_show_no_hidden_dataset(app, api, sysadmin_with_token, hidden, who):
    """An approved example that uses a private dataset beside a public one shows only the public one (no
    title, name or id of the other); a proposal not yet approved is shown to nobody but the region."""
    token = sysadmin_with_token["token"]
    private_id = api("package_show", token=token, id="hemlig-privat")["result"]["id"]
    example = api("reuse_create", token=token, title="Badappen", description="Använder öppna data.",
                  url="https://badappen.example.org", kind="app", datasets=["publik", "hemlig-privat"])["result"]
    assert [d["name"] for d in example["datasets"]] == ["publik", "hemlig-privat"]  # the region sees both
    pending = api("reuse_create", title=f"{SECRET} förslag", description=SECRET, url="https://x.example.org",
                  kind="article", datasets=["publik"])["result"]
    headers = {"Authorization": hidden["outsider"]} if who != "anonymous" else {}
    for path in ("/anvandningsexempel", f"/anvandningsexempel/{example['id']}", "/dataset/publik", "/oversikt",
                 f"/anvandningsexempel/{pending['id']}", "/anvandningsexempel/moderera"):
        response = app.get(path, headers=headers)
        assert response.status_code in (200, 403, 404), (path, response.status_code)
        assert SECRET not in response.body and "hemlig-" not in response.body and private_id not in response.body, path
    assert "Badappen" in app.get(f"/anvandningsexempel/{example['id']}", headers=headers).body
    for action, data in (("reuse_list", {}), ("reuse_show", {"id": example["id"]}),
                         ("reuse_list", {"package_id": "publik"}), ("reuse_list", {"package_id": "hemlig-privat"}),
                         ("reuse_show", {"id": pending["id"]}), ("reuse_list", {"state": "pending"})):
        response = app.post(f"/api/3/action/{action}", json=data, headers=headers)
        assert response.status_code in (200, 403, 404), (action, data, response.status_code)
        body = response.body
        assert SECRET not in body and "hemlig-" not in body and private_id not in body, (action, data)
    shown = app.post("/api/3/action/reuse_show", json={"id": example["id"]}, headers=headers).json["result"]
    assert [d["name"] for d in shown["datasets"]] == ["publik"]
