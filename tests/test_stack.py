"""The stack itself: plugins load, the database and a real Solr index work, fixtures isolate tests."""
from __future__ import annotations

import pytest
import requests

import ckan.plugins as p
import ckan.plugins.toolkit as tk
from ckan.lib.search import check_solr_schema_version

from .examples import DATA_LINK
from .helpers import stack_solr_jvm_options

PLUGINS = ["kalmar_oppnadata", "scheming_datasets", "scheming_organizations", "dcat",
           "spatial_metadata", "spatial_query"]


@pytest.mark.usefixtures("with_plugins")
def test_our_plugin_and_its_companions_are_loaded(api):
    assert p.plugin_loaded("kalmar_oppnadata")
    status = api("status_show")["result"]
    assert status["ckan_version"] == "2.12.0"
    for name in PLUGINS:
        assert name in status["extensions"], name
    # dcat must come before the spatial plugins (see README).
    assert status["extensions"].index("dcat") < status["extensions"].index("spatial_metadata")


def test_solr_core_serves_ckans_schema():
    solr = tk.config["solr_url"].rstrip("/")
    name = requests.get(f"{solr}/schema/name", params={"wt": "json"}, timeout=10).json()["name"]
    assert name == "ckan-2.12"
    # CKAN's own start-up check, asking the live core for its schema.
    assert check_solr_schema_version() is True
    fields = requests.get(f"{solr}/schema/fields", params={"wt": "json"}, timeout=10).json()["fields"]
    names = {f["name"] for f in fields}
    # ckanext-spatial's solr-bbox backend needs these.
    assert {"minx", "maxx", "miny", "maxy", "bbox_area", "spatial_geom"} <= names


def test_solr_runs_with_the_stacks_jvm_options():
    """Without them Java 17 reclaimed Solr's compiled code between bursts and compiled it again, most of a
    node's CPU during single creates (docs/operations.md, "Solr's JVM")."""
    base = tk.config["solr_url"].rstrip("/").rsplit("/", 1)[0]
    system = requests.get(f"{base}/admin/info/system", params={"wt": "json"}, timeout=10).json()
    arguments = system["jvm"]["jmx"]["commandLineArgs"]
    for option in stack_solr_jvm_options():
        assert option in arguments


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
class TestDatasetThroughTheStack:
    def test_created_dataset_is_found_by_search(self, api, sysadmin_with_token, organization):
        token = sysadmin_with_token["token"]
        created = api("package_create", token=token, name="badplatser-stacktest",
                      title="Badplatser i stacktest", notes="Badplatser med faciliteter.",
                      owner_org=organization["id"], contact_email="fritid@kalmar.se",
                      classification_confirmed=True, private=False, resources=[DATA_LINK])["result"]
        assert created["name"] == "badplatser-stacktest"

        found = api("package_search", q="stacktest")["result"]
        assert found["count"] == 1
        assert found["results"][0]["id"] == created["id"]

        # The document is really in Solr, not only in PostgreSQL.
        solr = tk.config["solr_url"].rstrip("/")
        docs = requests.get(f"{solr}/select", params={"q": f"id:{created['id']}", "wt": "json"},
                            timeout=10).json()["response"]
        assert docs["numFound"] == 1

    def test_clean_db_and_clean_index_leave_nothing_behind(self, api, sysadmin_with_token, organization,
                                                            reset_db, migrate_db_for, reset_index):
        """What the per-test ``clean_db`` (conftest.py) and ``clean_index`` run empties both the database and
        the index, so no test sees another's data. Checked within this test: it does not rely on another
        test having run before it."""
        api("package_create", token=sysadmin_with_token["token"], name="kvarlamnad", title="Kvarlämnad",
            notes="x", owner_org=organization["id"], contact_email="fritid@kalmar.se",
            classification_confirmed=True, private=False, resources=[DATA_LINK])
        assert api("package_search", q="*:*")["result"]["count"] == 1
        assert api("package_list")["result"] == ["kvarlamnad"]

        reset_db()  # conftest.py's clean_db: CKAN's reset, then the plugins' migrations
        migrate_db_for("activity")
        migrate_db_for("harvest")
        reset_index()  # CKAN's clean_index
        assert api("package_search", q="*:*")["result"]["count"] == 0
        assert api("package_list")["result"] == []

    def test_dataset_page_renders(self, app, sysadmin_with_token, organization, api):
        api("package_create", token=sysadmin_with_token["token"], name="sidtest",
            title="Sidtest för Kalmar", notes="Beskrivning.", owner_org=organization["id"],
            contact_email="fritid@kalmar.se", classification_confirmed=True, private=False, resources=[DATA_LINK])
        page = app.get("/dataset/sidtest")
        assert "Sidtest för Kalmar" in page.body
