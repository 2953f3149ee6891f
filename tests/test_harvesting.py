"""Harvesting the municipalities' own DCAT-AP-SE catalogs into their organizations.

Real runs: the catalogs are served by an HTTP server on loopback, harvest jobs are created through the
Action API, and ckanext-harvest's gather and fetch consumers run as separate processes on the real Redis
(`ckan kalmar harvest-consumer`, as `make run` starts them), writing to the real database and Solr core.
"""
from __future__ import annotations

import datetime
import functools
import http.server
import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import DCAT, RDF

import ckan.model as model
import ckan.plugins as plugins
import ckan.plugins.toolkit as tk
from ckan.tests import factories

from .examples import ALLOWED_HOST, DIGG_EXAMPLES
from .harvest_catalog import ORIGIN, Municipal, catalog

ROOT = Path(__file__).resolve().parent.parent
CKAN = str(Path(sys.executable).with_name("ckan"))
STACK = Path(os.environ.get("KALMAR_STACK_DIR", ROOT / ".stack"))
KALMAR_ORGNR = "212000-0746"


# ------------------------------------------------------------------------------------------- fixtures
class _CatalogHandler(http.server.SimpleHTTPRequestHandler):
    """Serves the files of a directory; ``/fel-500`` answers as a broken server does, and
    ``/till-localhost/<file>`` redirects to the file at http://localhost:<port>/."""

    def _special(self) -> bool:
        if self.path.startswith("/fel-500"):
            self.send_error(500, "Internal Server Error")
            return True
        if self.path.startswith("/till-localhost/"):
            self.send_response(302)
            self.send_header("Location", f"http://localhost:{self.server.server_address[1]}/"
                                         + self.path.removeprefix("/till-localhost/"))
            self.end_headers()
            return True
        return False

    def do_HEAD(self):
        self.server.seen.append(self.path)
        if not self._special():
            super().do_HEAD()

    def do_GET(self):
        self.server.seen.append(self.path)
        if not self._special():
            super().do_GET()

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """A directory of catalogs on loopback, served as http://oppen.kalmar.test:<port>/ (test.ini allows that
    name and takes it to be 127.0.0.1)."""
    directory = tmp_path_factory.mktemp("catalogs")
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(_CatalogHandler, directory=str(directory)))
    server.seen = []  # every path asked for, in order
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()

    def publish(name: str, text: str) -> str:
        (directory / name).write_text(text, "utf-8")
        return f"http://{ALLOWED_HOST}:{server.server_address[1]}/{name}"

    publish.base = f"http://{ALLOWED_HOST}:{server.server_address[1]}"
    publish.seen = server.seen
    yield publish
    server.shutdown()


@pytest.fixture(scope="module")
def consumers(reset_db, migrate_db_for):
    """The gather and fetch consumers as processes, on the test configuration, database and Redis."""
    from ckanext.harvest.queue import purge_queues

    plugins.load_all()  # a module-scoped fixture runs before the per-test ``with_plugins``
    reset_db()  # the tables exist before the consumers connect
    migrate_db_for("harvest")
    purge_queues()
    log = open(STACK / "logs" / "harvest-test-consumers.log", "w")
    processes = [subprocess.Popen([CKAN, "-c", str(ROOT / "test.ini"), "kalmar", "harvest-consumer", queue],
                                  env=os.environ, stdout=log, stderr=subprocess.STDOUT)
                 for queue in ("gather", "fetch")]
    yield
    for process in processes:
        process.terminate()
    for process in processes:
        process.wait(timeout=30)
    log.close()


def _site_context() -> dict:
    site_user = tk.get_action("get_site_user")({"ignore_auth": True}, {})
    return {"ignore_auth": True, "user": site_user["name"]}


def _act(action: str, **data):
    return tk.get_action(action)(_site_context(), data)


def _fresh_portal(reset_db, migrate_db_for, reset_index) -> dict:
    """An empty portal with Kalmar (organisation number known) and Nybro. Loads the configured plugins
    itself: a class-scoped fixture runs before the per-test ``with_plugins``."""
    plugins.load_all()
    reset_db()
    migrate_db_for("activity")
    migrate_db_for("harvest")
    reset_index()
    kalmar = _act("organization_create", name="kalmar-kommun", title="Kalmar kommun", identifier=KALMAR_ORGNR,
                  email="oppnadata@kalmar.se", geonames_uri="2702260")
    nybro = _act("organization_create", name="nybro-kommun", title="Nybro kommun", email="oppnadata@nybro.se")
    return {"kalmar": kalmar, "nybro": nybro}


def source(org: dict, url: str, name: str, confirmed: bool = True) -> dict:
    """A source made by the site user (as a sysadmin), its classification confirmed unless asked not to."""
    return _act("harvest_source_create", name=name, title=f"{org['title']}: {name}", url=url,
                source_type="dcat_rdf", owner_org=org["id"], frequency="MANUAL", classification_confirmed=confirmed)


def harvest(source_dict: dict, timeout: float = 240) -> dict:
    """One harvest job through the queues; returns its report when the job runner marks it finished."""
    job = _act("harvest_job_create", source_id=source_dict["id"])
    deadline = time.monotonic() + timeout
    while True:
        model.Session.remove()
        _act("harvest_jobs_run")
        shown = _act("harvest_job_show", id=job["id"])
        if shown["status"] == "Finished":
            return _act("harvest_job_report", id=job["id"])
        assert time.monotonic() < deadline, f"the harvest job did not finish: {shown}"
        time.sleep(0.5)


def gather_errors(report: dict) -> list[str]:
    return [e["message"] for e in report["gather_errors"]]


def object_errors(report: dict) -> list[str]:
    return [e["message"] for obj in report["object_errors"].values() for e in obj["errors"]]


def harvested(api, source_dict: dict) -> list[dict]:
    result = api("package_search", fq=f"harvest_source_id:{source_dict['id']}", rows=1000)["result"]
    return result["results"]


# ------------------------------------------------------------------- the changing municipal catalog
CHANGED = (4, 11, 23, 37, 48)      # edited at the source between the runs
REMOVED = (7, 19, 42)              # removed at the source
ADDED = (51, 52)                   # new at the source


@pytest.fixture(scope="class")
def two_runs(reset_db, migrate_db_for, reset_index, served, consumers):
    portal = _fresh_portal(reset_db, migrate_db_for, reset_index)
    first = [Municipal(n) for n in range(1, 51)]
    url = served("kalmar.ttl", catalog(first))
    kalmar_source = source(portal["kalmar"], url, "kalmar-egen-katalog")
    first_report = harvest(kalmar_source)
    model.Session.remove()
    first_ids = {p.extras["uri"]: p.id for p in model.Session.query(model.Package).filter(
        model.Package.type == "dataset", model.Package.state == "active")}

    second = [Municipal(n, version=2 if n in CHANGED else 1) for n in range(1, 51) if n not in REMOVED]
    second += [Municipal(n) for n in ADDED]
    served("kalmar.ttl", catalog(second))
    second_report = harvest(kalmar_source)
    return {**portal, "source": kalmar_source, "first": first, "second": second, "first_ids": first_ids,
            "first_report": first_report, "second_report": second_report}


def _comparable(dataset: dict) -> dict:
    shown = {k: dataset.get(k) for k in Municipal(1).expected() if k != "resources"}
    shown["tags"] = sorted(t["name"] for t in dataset["tags"])
    shown["resources"] = [{k: r.get(k) for k in ("uri", "name", "url", "mimetype", "license")}
                          for r in dataset["resources"]]
    return shown


@pytest.mark.usefixtures("with_plugins")
class TestTwoRunsOfAChangingCatalog:
    def test_first_run_imports_all_fifty(self, two_runs):
        assert two_runs["first_report"]["gather_errors"] == []
        assert object_errors(two_runs["first_report"]) == []
        assert len(two_runs["first_ids"]) == 50

    def test_second_run_leaves_exactly_the_source_datasets(self, api, two_runs):
        datasets = harvested(api, two_runs["source"])
        uris = [d["uri"] for d in datasets]
        assert sorted(uris) == sorted(m.uri for m in two_runs["second"])  # 49, each once
        assert len(uris) == len(set(uris)) == 49

    def test_every_mapped_field_intact(self, api, two_runs):
        by_uri = {d["uri"]: d for d in harvested(api, two_runs["source"])}
        for municipal in two_runs["second"]:
            shown = api("package_show", id=by_uri[municipal.uri]["id"])["result"]
            assert _comparable(shown) == municipal.expected(), municipal.uri
            assert shown["owner_org"] == two_runs["kalmar"]["id"]
            assert shown["private"] is False

    def test_edits_update_the_same_datasets(self, api, two_runs):
        by_uri = {d["uri"]: d for d in harvested(api, two_runs["source"])}
        for number in CHANGED:
            municipal = Municipal(number, version=2)
            dataset = by_uri[municipal.uri]
            assert dataset["id"] == two_runs["first_ids"][municipal.uri]
            assert dataset["title"] == f"Kommunal datamängd {number} (utgåva 2)"
            assert "uppdaterad" in [t["name"] for t in dataset["tags"]]
        unchanged = Municipal(1)
        assert by_uri[unchanged.uri]["id"] == two_runs["first_ids"][unchanged.uri]

    def test_removed_at_the_source_are_withdrawn(self, app, api, two_runs):
        for number in REMOVED:
            dataset_id = two_runs["first_ids"][Municipal(number).uri]
            assert _act("package_show", id=dataset_id)["state"] == "deleted"
            assert app.get(f"/dataset/{dataset_id}").status_code in (403, 404)
        stats = two_runs["second_report"]
        assert stats["gather_errors"] == [] and object_errors(stats) == []
        counts = _act("harvest_source_show_status", id=two_runs["source"]["id"])["last_job"]["stats"]
        assert counts["added"] == 2 and counts["deleted"] == 3

    def test_harvested_datasets_are_found_and_faceted(self, api, two_runs):
        result = api("package_search", q="Kommunal datamängd", rows=0,
                     **{"facet.field": json.dumps(["organization", "vocab_sdg", "vocab_theme"])})["result"]
        assert result["count"] == 49
        assert result["search_facets"]["organization"]["items"][0]["name"] == "kalmar-kommun"
        goals = {i["name"]: i["count"] for i in result["search_facets"]["vocab_sdg"]["items"]}
        expected = {}
        for municipal in two_runs["second"]:
            goal = municipal.expected()["sdg"][0]
            expected[goal] = expected.get(goal, 0) + 1
        assert goals == expected
        edited = api("package_search", q="utgåva 2")["result"]
        assert edited["count"] == len(CHANGED)

    def test_in_the_overview(self, api, two_runs):
        overview = api("overview_show")["result"]
        kalmar = next(o for o in overview["organizations"] if o["name"] == "kalmar-kommun")
        assert kalmar["datasets"] == 49

    def test_in_the_catalog_with_their_original_uris(self, app, two_runs):
        graph = Graph().parse(data=app.get("/catalog.ttl").body, format="turtle")
        datasets = set(graph.subjects(RDF.type, DCAT.Dataset))
        assert {URIRef(m.uri) for m in two_runs["second"]} <= datasets
        assert not any(URIRef(Municipal(n).uri) in datasets for n in REMOVED)
        assert not any(str(d).startswith("http://test.ckan.net/dataset/") for d in datasets)
        distribution = URIRef(f"{Municipal(1).uri}/distribution/1")
        assert (URIRef(Municipal(1).uri), DCAT.distribution, distribution) in graph
        assert (distribution, DCAT.downloadURL, URIRef(f"{ORIGIN}/filer/001-1.csv")) in graph
        # The publisher is the organization, by the URI Sveriges dataportal knows it by.
        publisher = URIRef("http://dataportal.se/organisation/SE2120000746")
        assert (URIRef(Municipal(1).uri), URIRef("http://purl.org/dc/terms/publisher"), publisher) in graph


# ---------------------------------------------------------------- DIGG's examples, broken sources
@pytest.fixture
def harvest_portal(reset_db, migrate_db_for, reset_index, consumers):
    return _fresh_portal(reset_db, migrate_db_for, reset_index)


@pytest.mark.usefixtures("with_plugins")
def test_diggs_examples_are_harvested_and_a_uri_is_never_taken_twice(api, harvest_portal, served):
    recommended = served("rekommenderat.ttl", (DIGG_EXAMPLES / "dcat-ap-se-rekommenderat.ttl").read_text())
    mandatory = served("obligatoriskt.ttl", (DIGG_EXAMPLES / "dcat-ap-se-obligatoriskt.ttl").read_text())
    first = source(harvest_portal["kalmar"], recommended, "digg-rekommenderat")
    report = harvest(first)
    assert report["gather_errors"] == [] and object_errors(report) == []
    (dataset,) = harvested(api, first)
    assert dataset["uri"] == "https://example.com/dataset1"
    assert dataset["title"] == "Bibliotek i Sverige" and dataset["title_en"] == "Libraries in Sweden"
    assert dataset["spatial_uri"] == "http://sws.geonames.org/2661886"
    assert dataset["contact_email"] == "oppnadata@exemple.com"
    assert {r["uri"] for r in dataset["resources"]} == {"https://example.com/distribution1",
                                                        "https://example.com/distribution2"}

    # The same dataset URI in Nybro's source: reported there, not moved or duplicated.
    second = source(harvest_portal["nybro"], mandatory, "digg-obligatoriskt")
    report = harvest(second)
    (message,) = gather_errors(report)
    assert "https://example.com/dataset1" in message and dataset["name"] in message
    assert "Kalmar kommun: digg-rekommenderat" in message  # the source that has it
    assert harvested(api, second) == []
    again = api("package_search", fq='uri:"https://example.com/dataset1"')["result"]
    assert again["count"] == 1 and again["results"][0]["organization"]["name"] == "kalmar-kommun"


@pytest.mark.usefixtures("with_plugins")
def test_broken_sources_are_reported_and_the_valid_datasets_still_import(api, harvest_portal, served):
    failing = source(harvest_portal["kalmar"], f"{served.base}/fel-500", "trasig-server")
    (message,) = gather_errors(harvest(failing))
    assert "500" in message

    missing = source(harvest_portal["kalmar"], f"{served.base}/finns-inte.ttl", "saknad-fil")
    (message,) = gather_errors(harvest(missing))
    assert "404" in message

    malformed = source(harvest_portal["kalmar"], served("trasig.ttl", "<https://x> a dcat:Dataset ;;; ."), "trasig-rdf")
    (message,) = gather_errors(harvest(malformed))
    assert "parsing" in message.lower()

    mixed = [Municipal(1), Municipal(2, valid=False), Municipal(3)]
    partly = source(harvest_portal["nybro"], served("delvis.rdf", catalog(mixed, fmt="xml")),  # RDF/XML
                    "delvis-giltig")
    report = harvest(partly)
    (error,) = object_errors(report)
    assert "notes" in error.lower() and "Värde saknas" in error, error  # the field, in Swedish
    assert sorted(d["uri"] for d in harvested(api, partly)) == [Municipal(1).uri, Municipal(3).uri]
    assert all(d["organization"]["name"] == "nybro-kommun" for d in harvested(api, partly))


@pytest.mark.usefixtures("with_plugins")
def test_harvested_datasets_are_marked_and_read_only(app, api, harvest_portal, served):
    kalmar = harvest_portal["kalmar"]
    editor = factories.UserWithToken()
    _act("organization_member_create", id=kalmar["id"], username=editor["name"], role="editor")
    harvest(source(kalmar, served("en.ttl", catalog([Municipal(1)])), "en-datamangd"))
    (dataset,) = api("package_search", fq=f"uri:\"{Municipal(1).uri}\"")["result"]["results"]
    assert dataset["harvest_source_title"] == "Kalmar kommun: en-datamangd"
    # Its CSV links are the source's to check and serve: no file check or DataStore load is queued.
    from ckan.lib import jobs as ckan_jobs

    queued = " ".join(job.id for job in ckan_jobs.get_queue().jobs)
    assert dataset["resources"] and not any(r["id"] in queued for r in dataset["resources"])

    page = app.get(f"/dataset/{dataset['name']}", headers={"Authorization": editor["token"]}).body
    assert "Den här datamängden skördas från" in page and "Kalmar kommun: en-datamangd" in page
    assert f"/dataset/edit/{dataset['name']}" not in page
    assert app.get(f"/dataset/edit/{dataset['name']}", headers={"Authorization": editor["token"]}).status_code == 403
    refused = api("package_patch", token=editor["token"], status=403, id=dataset["id"], title="Ändrad här")
    assert "skördas" in refused["error"]["message"]
    api("resource_create", token=editor["token"], status=403, package_id=dataset["id"], url="https://x.se/a.csv")
    api("package_delete", token=editor["token"], status=403, id=dataset["id"])

    # Being harvested cannot be claimed (or shed) through the API.
    own = api("package_create", token=editor["token"], owner_org=kalmar["id"], name="egen", title="Egen",
              notes="Gjord här.", harvest_source_id=dataset["harvest_source_id"],
              harvest_source_title="Falsk")["result"]
    assert "harvest_source_id" not in own and "harvest_source_title" not in own
    api("package_patch", token=editor["token"], id="egen", title="Egen, ändrad")


@pytest.mark.usefixtures("with_plugins")
def test_sources_are_for_the_organizations_admins(api, harvest_portal):
    editor, admin = factories.UserWithToken(), factories.UserWithToken()
    _act("organization_member_create", id=harvest_portal["nybro"]["id"], username=editor["name"], role="editor")
    _act("organization_member_create", id=harvest_portal["nybro"]["id"], username=admin["name"], role="admin")
    fields = {"url": f"http://{ALLOWED_HOST}/nybro/katalog.ttl", "source_type": "dcat_rdf", "frequency": "WEEKLY"}
    refused = api("harvest_source_create", token=editor["token"], status=403, name="av-redaktor", title="Redaktör",
                  owner_org=harvest_portal["nybro"]["id"], **fields)
    assert "administratörer" in refused["error"]["message"]
    api("harvest_source_create", token=admin["token"], status=403, name="fel-org", title="Fel",
        owner_org=harvest_portal["kalmar"]["id"], **fields)
    created = api("harvest_source_create", token=admin["token"], name="nybro-katalog", title="Nybros katalog",
                  owner_org=harvest_portal["nybro"]["id"], classification_confirmed=True, **fields)["result"]
    assert created["owner_org"] == harvest_portal["nybro"]["id"]
    record = {e["key"]: e["value"] for e in created["extras"]}
    assert record["classification_confirmed_by"] == admin["id"]  # an id: user details are not public
    assert record["classification_confirmed_at"].startswith(str(datetime.date.today().year))
    # Editors may not change a source, nor withdraw or give the confirmation.
    api("harvest_source_patch", token=editor["token"], status=403, id=created["id"], classification_confirmed=False)
    api("package_patch", token=editor["token"], status=403, id=created["id"], title="Ändrad")


@pytest.mark.usefixtures("with_plugins")
def test_the_confirmation_cannot_be_forged_and_is_kept_until_withdrawn(api, harvest_portal):
    admin = factories.UserWithToken()
    _act("organization_member_create", id=harvest_portal["kalmar"]["id"], username=admin["name"], role="admin")
    forged = [{"key": "classification_confirmed_by", "value": "någon-annan"},
              {"key": "classification_confirmed_at", "value": "2020-01-01T00:00:00+00:00"}]
    created = api("harvest_source_create", token=admin["token"], name="forfalskad", title="Förfalskad",
                  url=f"http://{ALLOWED_HOST}/kalmar/a.ttl", source_type="dcat_rdf",
                  owner_org=harvest_portal["kalmar"]["id"], extras=forged)["result"]
    assert not {e["key"] for e in created.get("extras", [])} & {"classification_confirmed_by",
                                                                 "classification_confirmed_at"}
    confirmed = api("harvest_source_patch", token=admin["token"], id=created["id"],
                    classification_confirmed=True)["result"]
    record = {e["key"]: e["value"] for e in confirmed["extras"]}
    assert record["classification_confirmed_by"] == admin["id"]
    kept = api("harvest_source_patch", token=admin["token"], id=created["id"], title="Ny titel",
               classification_confirmed=True)["result"]  # the form re-sends a ticked box: nothing changes
    assert record.items() <= {e["key"]: e["value"] for e in kept["extras"]}.items()
    moved = api("harvest_source_patch", token=admin["token"], id=created["id"],
                url=f"http://{ALLOWED_HOST}/kalmar/annan.ttl")["result"]  # another address: confirm again
    assert "classification_confirmed_by" not in {e["key"] for e in moved.get("extras", [])}
    api("harvest_source_patch", token=admin["token"], id=created["id"], classification_confirmed=True)
    withdrawn = api("harvest_source_patch", token=admin["token"], id=created["id"],
                    classification_confirmed=False)["result"]
    assert "classification_confirmed_by" not in {e["key"] for e in withdrawn.get("extras", [])}


@pytest.mark.usefixtures("with_plugins")
def test_an_unconfirmed_source_harvests_private_datasets_until_an_admin_confirms_in_the_form(app, api, harvest_portal,
                                                                                            served):
    admin = factories.UserWithToken()
    _act("organization_member_create", id=harvest_portal["kalmar"]["id"], username=admin["name"], role="admin")
    headers = {"Authorization": admin["token"]}
    url = served("oklassad.ttl", catalog([Municipal(1), Municipal(2)]))
    form = {"url": url, "title": "Oklassad källa", "name": "oklassad", "notes": "", "source_type": "dcat_rdf",
            "frequency": "MANUAL", "config": "", "owner_org": harvest_portal["kalmar"]["id"], "save": "Save"}
    response = app.post("/harvest/new", headers=headers, data={**form, "classification_confirmed": "false"},
                        follow_redirects=False)
    assert response.status_code == 302, response.body[-2000:]
    unconfirmed = _act("harvest_source_show", id="oklassad")
    harvest(unconfirmed)
    mine = api("package_search", token=admin["token"], fq=f"harvest_source_id:{unconfirmed['id']}",
               include_private=True)["result"]
    assert mine["count"] == 2 and all(d["private"] and not d["classification_confirmed"] for d in mine["results"])
    assert harvested(api, unconfirmed) == []  # anonymous search
    assert URIRef(Municipal(1).uri) not in set(Graph().parse(data=app.get("/catalog.ttl").body, format="turtle")
                                               .subjects(RDF.type, DCAT.Dataset))

    page = app.get("/harvest/edit/oklassad", headers=headers).body
    assert 'name="classification_confirmed"' in page and "klassat informationen" in page
    response = app.post("/harvest/edit/oklassad", headers=headers, follow_redirects=False,
                        data={**form, "classification_confirmed": ["false", "true"]})
    assert response.status_code == 302, response.body[-2000:]
    assert "Bekräftat av" in app.get("/harvest/edit/oklassad", headers=headers).body
    harvest(unconfirmed)
    public = harvested(api, unconfirmed)
    assert len(public) == 2 and all(d["classification_confirmed"] for d in public)
    # Withdrawn: the datasets are private at once, not only after the next harvest.
    api("harvest_source_patch", token=admin["token"], id=unconfirmed["id"], classification_confirmed=False)
    assert harvested(api, unconfirmed) == []


def test_cli_adds_a_source_for_an_organization(cli, harvest_portal):
    from ckan.cli.cli import ckan as ckan_cli

    result = cli.invoke(ckan_cli, ["kalmar", "harvest-source", "kalmar-kommun", f"http://{ALLOWED_HOST}/kalmar/dcat.rdf",
                                   "--frequency", "DAILY"])
    assert result.exit_code == 0, result.output
    shown = _act("harvest_source_show", id="kalmar-kommun-katalog")
    assert shown["owner_org"] == harvest_portal["kalmar"]["id"] and shown["frequency"] == "DAILY"
    assert json.loads(shown["config"]) == {"rdf_format": "xml"}
    assert shown["title"] == "Kalmar kommun, egen katalog"
    assert "classification_confirmed_by" not in {e["key"] for e in shown.get("extras", [])}  # not without the flag
    result = cli.invoke(ckan_cli, ["kalmar", "harvest-source", "kalmar-kommun", f"http://{ALLOWED_HOST}/kalmar/b.ttl",
                                   "--name", "bekraftad", "--classification-confirmed"])
    assert result.exit_code == 0, result.output
    confirmed = {e["key"]: e["value"] for e in _act("harvest_source_show", id="bekraftad")["extras"]}
    site_user = tk.get_action("get_site_user")({"ignore_auth": True}, {})
    assert confirmed["classification_confirmed_by"] == site_user["id"]
    result = cli.invoke(ckan_cli, ["kalmar", "harvest-source", "ingen-kommun", "https://x.example/a.ttl"])
    assert result.exit_code != 0 and "ingen-kommun" in result.output


@pytest.mark.usefixtures("with_plugins")
def test_a_withdrawn_dataset_back_at_the_source_is_active_again(api, harvest_portal, served):
    url = served("tillbaka.ttl", catalog([Municipal(1), Municipal(2)]))
    kalmar_source = source(harvest_portal["kalmar"], url, "tillbaka")
    harvest(kalmar_source)
    before = {d["uri"]: d["id"] for d in harvested(api, kalmar_source)}
    served("tillbaka.ttl", catalog([Municipal(1)]))
    harvest(kalmar_source)
    assert [d["uri"] for d in harvested(api, kalmar_source)] == [Municipal(1).uri]
    served("tillbaka.ttl", catalog([Municipal(1), Municipal(2)]))
    harvest(kalmar_source)
    assert {d["uri"]: d["id"] for d in harvested(api, kalmar_source)} == before


@pytest.mark.usefixtures("with_plugins")
def test_a_harvested_dataset_without_files_is_public_as_its_source_publishes_it(api, harvest_portal, served):
    """The rule that a public dataset has a file or link (logic/publishing.py) is for datasets made in the
    portal; a source's dataset without distributions is harvested as the source publishes it."""
    url = served("utan-filer.ttl", catalog([Municipal(60, files=False), Municipal(61)]))
    kalmar_source = source(harvest_portal["kalmar"], url, "utan-filer")
    report = harvest(kalmar_source)
    assert report["gather_errors"] == [] and object_errors(report) == []
    without = api("package_show", id=next(d["id"] for d in harvested(api, kalmar_source)
                                          if d["uri"] == Municipal(60).uri))["result"]
    assert without["resources"] == [] and without["private"] is False and without["state"] == "active"


@pytest.mark.usefixtures("with_plugins")
def test_sources_and_job_reports_in_the_web_interface(app, harvest_portal, served):
    editor = factories.UserWithToken()
    _act("organization_member_create", id=harvest_portal["nybro"]["id"], username=editor["name"], role="admin")
    headers = {"Authorization": editor["token"]}
    form = app.get("/harvest/new", headers=headers)
    assert form.status_code == 200 and 'name="url"' in form.body
    mixed = [Municipal(1), Municipal(2, valid=False)]
    nybro_source = source(harvest_portal["nybro"], served("webb.ttl", catalog(mixed)), "webb-kalla")
    harvest(nybro_source)
    assert "webb-kalla" in app.get("/harvest").body
    assert app.get("/harvest/webb-kalla", headers=headers).status_code == 200
    (job,) = _act("harvest_job_list", source_id=nybro_source["id"])
    report = app.get(f"/harvest/webb-kalla/job/{job['id']}", headers=headers)
    assert report.status_code == 200 and "Värde saknas" in report.body  # the invalid dataset, in Swedish


@pytest.mark.usefixtures("with_plugins")
def test_a_source_on_the_portals_own_network_is_not_fetched(api, harvest_portal, served):
    """Admins add sources; the portal still reads only public addresses (the tests allow one name for their
    loopback server, ``fetch_allowed_hosts``; ``localhost`` is the portal's own network like any other)."""
    served("intern.ttl", catalog([Municipal(1)]))
    port = served.base.rsplit(":", 1)[1]
    # Refused when saved, with the reason at the address field; nothing is saved.
    with pytest.raises(tk.ValidationError) as refused:
        source(harvest_portal["kalmar"], f"http://localhost:{port}/intern.ttl", "intern-adress")
    (message,) = refused.value.error_dict["url"]
    assert message.startswith("Källans adress kan inte skördas") and "localhost pekar på" in message, message
    assert not model.Package.get("intern-adress")
    # And at every download: a public source that redirects to the portal's own network.
    redirected = source(harvest_portal["kalmar"], f"{served.base}/till-localhost/intern.ttl", "omdirigerad")
    (message,) = gather_errors(harvest(redirected))
    assert f"http://localhost:{port}/intern.ttl" in message and "inte är en publik adress" in message, message
    assert harvested(api, redirected) == []


@pytest.mark.usefixtures("with_plugins")
def test_a_json_ld_source_is_not_parsed(api, harvest_portal, served):
    """JSON-LD's parser fetches remote @context documents by itself, outside the address check: a source
    whose catalog points its context at the portal's own network must not make the portal fetch it."""
    port = served.base.rsplit(":", 1)[1]
    document = json.dumps({"@context": f"http://127.0.0.1:{port}/kontext",
                           "@id": "https://kalmar.example/katalog", "@type": "dcat:Catalog"})
    source_dict = source(harvest_portal["kalmar"], served("katalog.jsonld", document), "json-ld")
    served.seen.clear()
    (message,) = gather_errors(harvest(source_dict))
    assert "JSON-LD" in message and "RDF/XML eller Turtle" in message, message
    assert "/kontext" not in served.seen and "/katalog.jsonld" in served.seen
    assert harvested(api, source_dict) == []


@pytest.mark.usefixtures("with_plugins")
def test_the_source_form_checks_the_address_and_the_organization_in_swedish(app, harvest_portal, served):
    """The form an organization's admin fills in: the organization by its name and required, the address
    checked when saved with the reason at the field, help about DCAT-AP-SE catalogs, one message after saving."""
    admin = factories.UserWithToken()
    _act("organization_member_create", id=harvest_portal["kalmar"]["id"], username=admin["name"], role="admin")
    _act("organization_member_create", id=harvest_portal["nybro"]["id"], username=admin["name"], role="admin")
    headers = {"Authorization": admin["token"]}
    page = app.get("/harvest/new", headers=headers).body
    assert ">Kalmar kommun</option>" in page and ">Nybro kommun</option>" in page  # titles, not names
    assert ">kalmar-kommun<" not in page and "Ingen organisation" not in page
    assert 'name="owner_org" class="form-control form-select" required' in page
    assert "DCAT-AP-SE" in page and "CSW" not in page and "WAF" not in page
    form = {"url": "torsas.se/dcat", "title": "Torsås katalog", "name": "torsas-katalog", "notes": "",
            "source_type": "dcat_rdf", "frequency": "MANUAL", "config": "", "owner_org": harvest_portal["kalmar"]["id"],
            "classification_confirmed": "false", "save": "save"}
    refused = app.post("/harvest/new", headers=headers, data=form, follow_redirects=False)
    assert refused.status_code == 200
    assert ('<span class="error-block">Källans adress måste börja med https:// eller http://, till exempel '
            "https://torsas.se/dcat.</span>") in refused.body
    assert "publik adress" not in refused.body and not model.Package.get("torsas-katalog")
    refused = app.post("/harvest/new", headers=headers, data={**form, "url": served("t.ttl", catalog([])),
                                                               "owner_org": ""}, follow_redirects=False)
    assert refused.status_code == 200 and "Välj den organisation som katalogen tillhör." in refused.body
    assert not model.Package.get("torsas-katalog")

    saved = app.post("/harvest/new", headers=headers, data={**form, "url": served("t.ttl", catalog([]))})
    assert saved.status_code == 200 and model.Package.get("torsas-katalog").owner_org == harvest_portal["kalmar"]["id"]
    assert saved.body.count('class="alert') <= 1, saved.body[saved.body.find("flash-messages"):][:1500]
    refreshed = app.get(f"/harvest/refresh/{model.Package.get('torsas-katalog').id}", headers=headers)
    assert refreshed.status_code == 200
    flashes = refreshed.body[refreshed.body.find("flash-messages"):][:3000]
    assert refreshed.body.count('class="alert') == 1, flashes
