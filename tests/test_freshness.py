"""Freshness (freshness/) in the running portal: judged from the update frequency and the last real change,
said on the dataset page, given in the API, counted by the "Aktualitet" facet, kept current by
``ckan kalmar upkeep`` run by a real jobs worker; the portal's own job records are no change."""
from __future__ import annotations

import json
import time
from datetime import datetime, timedelta

import pytest
from bs4 import BeautifulSoup

import ckan.model as model
import ckan.plugins.toolkit as tk
from ckan.cli.cli import ckan as ckan_cli
from ckan.lib import search

from ckanext.kalmar_oppnadata.jobs import queue

from .examples import ALLOWED_HOST
from .helpers import run_worker

# Linked files on the tests' allowed host, on a port where nothing listens: a link check fails at once,
# without going outside the machine.
CLOSED_LINK = f"http://{ALLOWED_HOST}:9/data.csv"

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index", "clean_queues")

EU = "http://publications.europa.eu/resource/authority/frequency/"


@pytest.fixture
def kalmar(api, sysadmin_with_token):
    token = sysadmin_with_token["token"]
    api("organization_create", token=token, name="kalmar-kommun", title="Kalmar kommun",
        email="oppnadata@kalmar.se")

    def publish(name: str, frequency: str | None, **fields):
        return api("package_create", token=token, name=name, title=name.capitalize(), notes="x",
                   owner_org="kalmar-kommun", classification_confirmed=True, private=False,
                   frequency=frequency and EU + frequency,
                   resources=[{"url": CLOSED_LINK, "name": "Data"}], **fields)["result"]

    return {"token": token, "publish": publish}


def _last_saved_back(dataset_id: str, when: datetime, created: datetime | None = None):
    """As if the dataset had last been saved by its publisher ``when`` (and created ``created``)."""
    package = model.Package.get(dataset_id)
    package.extras = dict(package.extras, last_saved=when.isoformat())
    package.metadata_created = created or when
    model.repo.commit()
    search.rebuild(dataset_id)


def _facet(api) -> dict[str, int]:
    result = api("package_search", **{"facet.field": ["freshness"], "rows": 0})["result"]
    return {item["name"]: item["count"] for item in result["search_facets"]["freshness"]["items"]}


def test_a_new_monthly_dataset_is_up_to_date_in_the_api_and_says_so(api, kalmar):
    dataset = kalmar["publish"]("badplatser", "MONTHLY")
    shown = api("package_show", id=dataset["id"])["result"]
    freshness = shown["freshness"]
    assert (freshness["state"], freshness["label"], freshness["frequency"]) == ("current", "Aktuell", "MONTHLY")
    saved = datetime.fromisoformat(shown["last_saved"])
    assert abs(datetime.utcnow() - saved) < timedelta(minutes=5)
    assert freshness["text"].startswith("Uppdateras varje månad – senast uppdaterad ")
    assert datetime.fromisoformat(freshness["due"]) > datetime.utcnow() + timedelta(days=20)


def test_a_dataset_late_for_its_update_says_so_on_its_page_and_in_search(app, api, kalmar):
    late = kalmar["publish"]("luftkvalitet", "MONTHLY")
    _last_saved_back(late["id"], datetime(2026, 3, 3, 9, 0))
    kalmar["publish"]("badplatser", "ANNUAL")
    kalmar["publish"]("kulturarv", "IRREG")
    kalmar["publish"]("historik", "NEVER")

    page = BeautifulSoup(app.get("/dataset/luftkvalitet").body, "html.parser")
    line = page.select_one(".kalmar-freshness")
    assert line.get_text(" ", strip=True) == "Uppdateras varje månad – senast uppdaterad 3 mars 2026, försenad"
    assert "kalmar-freshness-overdue" in line["class"]
    english = BeautifulSoup(app.get("/en/dataset/luftkvalitet").body, "html.parser")
    assert english.select_one(".kalmar-freshness").get_text(" ", strip=True) == \
        "Updated every month – last updated 3 March 2026, overdue"
    irregular = BeautifulSoup(app.get("/dataset/kulturarv").body, "html.parser")
    assert irregular.select_one(".kalmar-freshness").get_text(" ", strip=True).startswith(
        "Uppdateras oregelbundet – senast uppdaterad ")

    assert _facet(api) == {"current": 1, "overdue": 1, "unscheduled": 1, "not_planned": 1}
    overview = {o["name"]: o for o in api("overview_show")["result"]["organizations"]}
    assert (overview["kalmar-kommun"]["datasets"], overview["kalmar-kommun"]["overdue"]) == (4, 1)
    found = api("package_search", fq="freshness:overdue")["result"]
    assert [d["name"] for d in found["results"]] == ["luftkvalitet"]
    assert found["results"][0]["freshness"]["state"] == "overdue"

    search_page = BeautifulSoup(app.get("/dataset/").body, "html.parser")
    facet = next(section for section in search_page.select("section.module-narrow")
                 if "Aktualitet" in section.get_text())
    assert "Försenad" in facet.get_text(" ", strip=True)
    assert "Aktuell" in facet.get_text(" ", strip=True)


def test_quality_counts_a_late_dataset_as_not_updated_on_time(api, kalmar):
    late = kalmar["publish"]("luftkvalitet", "WEEKLY")
    assert _indicator(api, late["id"])["met"]
    _last_saved_back(late["id"], datetime.utcnow() - timedelta(days=30))
    row = _indicator(api, late["id"])
    assert not row["met"]
    assert row["advice"] == "Ange hur ofta datamängden uppdateras, och uppdatera den i tid."


def _indicator(api, dataset_id: str) -> dict:
    score = api("quality_show", id=dataset_id)["result"]
    return next(row for row in score["indicators"] if row["indicator"] == "timeliness")


def test_the_portals_own_job_records_are_not_a_change(api, kalmar):
    dataset = kalmar["publish"]("badplatser", "MONTHLY")
    long_ago = datetime(2025, 1, 10, 8, 0)
    _last_saved_back(dataset["id"], long_ago)
    resource = dataset["resources"][0]
    tk.get_action("resource_patch")(queue.job_context(), {
        "id": resource["id"], "datastore_load": json.dumps({"status": "complete", "rows": 1, "columns": 1})})
    shown = api("package_show", id=dataset["id"])["result"]
    assert shown["last_saved"] == long_ago.isoformat()
    assert shown["freshness"]["state"] == "overdue"
    # A person's save is a change: the publisher looked at it and saved it.
    api("package_patch", token=kalmar["token"], id=dataset["id"], notes="Kontrollerad.")
    assert api("package_show", id=dataset["id"])["result"]["freshness"]["state"] == "current"


def test_a_forged_last_saved_is_ignored(api, kalmar):
    dataset = kalmar["publish"]("badplatser", "MONTHLY", last_saved="2030-01-01T00:00:00")
    assert not dataset["last_saved"].startswith("2030")


def test_upkeep_run_by_the_worker_moves_a_dataset_on_when_its_time_comes(api, kalmar, cli):
    dataset = kalmar["publish"]("vattenstand", "DAILY")
    # Saved almost 18 hours ago: up to date for a few more seconds, then due soon (the last quarter of a day).
    turns = datetime.utcnow() + timedelta(seconds=8)
    _last_saved_back(dataset["id"], turns - timedelta(hours=18))
    assert _facet(api) == {"current": 1}
    while datetime.utcnow() <= turns:
        time.sleep(0.2)
    assert _facet(api) == {"current": 1}  # the index does not change by itself
    result = cli.invoke(ckan_cli, ["kalmar", "upkeep"])
    assert result.exit_code == 0, result.output
    assert "5 upkeep job(s) queued." in result.output
    run_worker(cli)
    assert _facet(api) == {"due_soon": 1}
    assert api("package_show", id=dataset["id"])["result"]["freshness"]["state"] == "due_soon"
