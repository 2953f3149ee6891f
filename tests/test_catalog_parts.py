"""The catalog made of kept per-dataset parts (catalog/keeping.py, catalog/parts.py, catalog/caching.py).

Each served document (/catalog.rdf, .ttl, .jsonld, and an organization's) must be the same graph as the
catalog built whole from the same datasets (``rdflib.compare.isomorphic``), on a few hundred datasets and
after every kind of change; a dataset made private is never in a catalog served after that; concurrent
requests against real server processes start exactly one build; a failed build serves the last good
version only when that leaks nothing; the portal's own job records change neither the dataset nor its part.
"""
from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import requests
from rdflib import Graph
from rdflib.compare import isomorphic
from rdflib.namespace import DCAT, DCTERMS, RDF

import ckan.plugins.toolkit as tk

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")

ROOT = Path(__file__).resolve().parents[1]
STACK = Path(os.environ.get("KALMAR_STACK_DIR", ROOT / ".stack"))
CKAN = str(Path(sys.executable).with_name("ckan"))
PARSE = {"rdf": "xml", "ttl": "turtle", "jsonld": "json-ld"}
MANY = int(os.environ.get("KALMAR_TEST_MANY", 240))  # with the fixture's datasets, a few hundred


def whole_graph(app, org: dict | None = None) -> Graph:
    """The catalog built whole, as before kept parts (documents.serialize)."""
    from ckanext.kalmar_oppnadata.catalog import documents

    with app.flask_app.test_request_context():
        body = (documents.organization_catalog(org, "ttl") if org else documents.portal_catalog("ttl"))[0]
    return Graph().parse(data=body, format="turtle")


def served(app, url: str) -> Graph:
    response = app.get(url)
    assert response.status_code == 200, response.body[:500]
    return Graph().parse(data=response.body, format=PARSE[url.rsplit(".", 1)[1]])


def dataset_ids(graph: Graph) -> set[str]:
    return {str(d).rsplit("/", 1)[-1] for d in graph.subjects(RDF.type, DCAT.Dataset)}


def builds() -> list[dict]:
    log = Path(tk.config.get("ckan.storage_path")) / "kalmar-cache" / "builds.log"
    return [json.loads(line) for line in log.read_text().splitlines()] if log.exists() else []


def assert_same_as_whole(app, org: dict | None = None) -> Graph:
    expected = whole_graph(app, org)
    base = f"/organization/{org['name']}/catalog" if org else "/catalog"
    for fmt in PARSE:
        graph = served(app, f"{base}.{fmt}")
        if not isomorphic(graph, expected):
            from rdflib.compare import graph_diff, to_isomorphic

            _, served_only, whole_only = graph_diff(to_isomorphic(graph), to_isomorphic(expected))
            shown = sorted(f"served: {t}" for t in served_only)[:8] + sorted(f"whole: {t}" for t in whole_only)[:8]
            pytest.fail(f"{base}.{fmt} differs from the whole build:\n" + "\n".join(shown))
    return expected


def _add_datasets(catalog_portal, count: int) -> dict:
    """The catalog fixture plus ``count`` public datasets in two organizations, each with a linked file."""
    from ckan.tests.helpers import call_action

    site_user = call_action("get_site_user", context={"ignore_auth": True})["name"]
    made = []
    for number in range(count):
        org = catalog_portal["kalmar"] if number % 2 else catalog_portal["nybro"]
        made.append(call_action("package_create", context={"ignore_auth": True, "user": site_user},
                                owner_org=org["id"], name=f"mangd-{number:03d}", title=f"Mängd {number}",
                                notes=f"Datamängd nummer {number}.", classification_confirmed=True,
                                private=False, sdg=[str(1 + number % 17)],
                                resources=[{"url": f"https://www.example.org/{number}.csv",
                                            "name": f"Fil {number}"}]))
    return {**catalog_portal, "many": made}


@pytest.fixture(autouse=True)
def fresh_cache():
    """No kept part or document from another test."""
    import shutil

    shutil.rmtree(Path(tk.config.get("ckan.storage_path")) / "kalmar-cache", ignore_errors=True)


@pytest.fixture
def many(catalog_portal):
    return _add_datasets(catalog_portal, MANY)


@pytest.fixture
def some(catalog_portal):
    return _add_datasets(catalog_portal, 24)


def test_kept_catalog_is_the_whole_build_through_every_change(app, api, many, monkeypatch):
    token = many["token"]
    first = assert_same_as_whole(app)
    assert len(dataset_ids(first)) == MANY + 2  # the fixture's two public datasets and MANY
    # Each format's first document makes that format's parts (one serialization per dataset, as a whole build).
    assert [b["parts_made"] for b in builds()] == [MANY + 2] * 3

    # One edit: the next document remakes that dataset's part only.
    edited = many["many"][7]
    api("package_patch", token=token, id=edited["id"], title="Ändrad titel")
    graph = assert_same_as_whole(app)
    assert any(str(t) == "Ändrad titel" for t in graph.objects(None, DCTERMS.title))
    assert [b["parts_made"] for b in builds()[-3:]] == [1, 1, 1]  # that dataset's part in each format, only

    # Deleted and made private: gone from every format, the rest unchanged.
    api("package_delete", token=token, id=many["many"][8]["id"])
    api("package_patch", token=token, id=many["many"][9]["id"], private=True)
    graph = assert_same_as_whole(app)
    assert not {many["many"][8]["id"], many["many"][9]["id"]} & dataset_ids(graph)

    # An organization's edit: its datasets' parts (their publisher) are made again, the others' kept.
    api("organization_patch", token=token, id=many["nybro"]["id"], title="Nybro kommun (ny titel)")
    assert_same_as_whole(app)
    nybro_count = sum(1 for d in many["many"] if d["owner_org"] == many["nybro"]["id"]) - 1  # one deleted
    assert builds()[-3]["parts_made"] == nybro_count + 1  # and the fixture's Nybro dataset
    nybro = api("organization_show", id=many["nybro"]["id"])["result"]
    assert_same_as_whole(app, nybro)

    # A change of the code state (a setting the documents use): every part is made again.
    monkeypatch.setitem(tk.config, "ckan.site_description", "Ny beskrivning av portalen.")
    assert_same_as_whole(app)
    assert builds()[-3]["parts_made"] == MANY  # MANY + 2, less the deleted and the private one


def test_a_dataset_made_private_is_never_in_a_later_catalog(app, api, some):
    token, target = some["token"], some["many"][3]
    assert target["id"] in dataset_ids(served(app, "/catalog.rdf"))
    assert target["id"] in dataset_ids(served(app, f"/organization/{some['kalmar']['name']}/catalog.ttl"))
    api("package_patch", token=token, id=target["id"], private=True)
    for url in ("/catalog.rdf", "/catalog.ttl", "/catalog.jsonld",
                f"/organization/{some['kalmar']['name']}/catalog.ttl"):
        assert target["id"] not in dataset_ids(served(app, url)), url


def test_a_failed_build_serves_the_last_good_version_only_if_it_leaks_nothing(app, api, some, monkeypatch):
    from ckanext.kalmar_oppnadata.catalog import keeping

    token = some["token"]
    good = app.get("/catalog.ttl")
    real = keeping.make_parts

    def failing(*args, **kwargs):
        raise RuntimeError("the build failed")

    monkeypatch.setattr(keeping, "make_parts", failing)
    api("package_patch", token=token, id=some["many"][1]["id"], title="Ny titel")
    stale = app.get("/catalog.ttl")
    assert stale.status_code == 200 and stale.body == good.body
    assert stale.headers["Warning"] == '110 - "Response is Stale"'

    api("package_patch", token=token, id=some["many"][2]["id"], private=True)
    refused = app.get("/catalog.ttl")
    assert refused.status_code == 503  # the last good version has the dataset made private: never served
    assert some["many"][2]["id"] not in refused.body

    monkeypatch.setattr(keeping, "make_parts", real)
    graph = served(app, "/catalog.ttl")
    assert some["many"][2]["id"] not in dataset_ids(graph)
    assert any(str(t) == "Ny titel" for t in graph.objects(None, DCTERMS.title))


# ------------------------------------------------------------------- real server processes, concurrently
def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def servers():
    """Two CKAN web servers (threaded) on the test database, as two processes of a deployment."""
    started = []
    log = open(STACK / "logs" / "catalog-test-ckan.log", "w")
    try:
        for _ in range(2):
            port = _free_port()
            url = f"http://127.0.0.1:{port}"
            process = subprocess.Popen(
                [CKAN, "-c", str(ROOT / "test.ini"), "run", "-H", "127.0.0.1", "-p", str(port),
                 "--disable-reloader", "--threaded"],
                env={**os.environ, "CKAN_SITE_URL": tk.config.get("ckan.site_url")}, stdout=log,
                stderr=subprocess.STDOUT)
            started.append((url, process))
        for url, process in started:
            deadline = time.monotonic() + 120
            while True:
                try:
                    if requests.get(f"{url}/api/3/action/status_show", timeout=2).ok:
                        break
                except requests.ConnectionError:
                    pass
                assert process.poll() is None, "a CKAN server exited; see .stack/logs/catalog-test-ckan.log"
                assert time.monotonic() < deadline, "a CKAN server did not start"
                time.sleep(0.5)
        yield [url for url, _ in started]
    finally:
        for _, process in started:
            process.terminate()
            process.wait(timeout=30)
        log.close()


def test_concurrent_requests_after_an_edit_start_exactly_one_build(api, some, servers):
    first = requests.get(f"{servers[0]}/catalog.rdf", timeout=300)
    assert first.status_code == 200
    target = some["many"][5]
    api("package_patch", token=some["token"], id=target["id"], title="Samtidigt ändrad")
    barrier = threading.Barrier(8)
    answers: list[requests.Response] = []

    def fetch(base: str) -> None:
        barrier.wait()
        answers.append(requests.get(f"{base}/catalog.rdf", timeout=300))

    threads = [threading.Thread(target=fetch, args=(servers[n % 2],)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [a.status_code for a in answers] == [200] * 8
    assert sorted(a.headers["X-Kalmar-Catalog"] for a in answers).count("built") == 1
    assert len({a.content for a in answers}) == 1  # every client got the one new version
    graph = Graph().parse(data=answers[0].content, format="xml")
    assert any(str(t) == "Samtidigt ändrad" for t in graph.objects(None, DCTERMS.title))
    after_edit = [b for b in builds() if b["document"] == "catalog-rdf"][1:]
    assert len(after_edit) == 1 and after_edit[0]["parts_made"] == 1


# ------------------------------------------------------------------------------ the portal's own job records
def test_job_records_are_not_changes_of_the_dataset_nor_of_its_part(app, api, some):
    from ckanext.kalmar_oppnadata.files import records

    token, dataset = some["token"], some["many"][11]
    resource_id = dataset["resources"][0]["id"]
    served(app, "/catalog.ttl")
    before = api("package_show", id=dataset["id"])["result"]
    activities = api("package_activity_list", token=token, id=dataset["id"])["result"]

    with app.flask_app.test_request_context():
        records.write(resource_id, records.REPORT, {"status": "valid", "file_url": "https://www.example.org/11.csv"})
    # Recorded, and served within a second or so: a record is indexed without a commit of its own, and
    # Solr's soft commit (stack/solr/solrconfig.xml) makes it searchable; nothing here commits it.
    deadline = time.monotonic() + 10
    while True:
        after = api("package_show", id=dataset["id"])["result"]
        if after["resources"][0].get(records.REPORT) or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    assert after["resources"][0][records.REPORT]["status"] == "valid"
    assert after["metadata_modified"] == before["metadata_modified"]
    assert api("package_activity_list", token=token, id=dataset["id"])["result"] == activities
    # Nor of the catalog: the kept document is served as it was, not assembled again.
    kept = len(builds())
    response = app.get("/catalog.ttl")
    assert response.status_code == 200 and response.headers["X-Kalmar-Catalog"] == "kept"
    assert len(builds()) == kept


# ----------------------------------------------------------------------------- the kept listing
def test_the_kept_listing_is_the_full_listing_through_changes_reading_only_what_changed(app, api, some,
                                                                                         monkeypatch):
    import datetime

    from ckanext.kalmar_oppnadata.catalog import caching, listing
    from ckanext.kalmar_oppnadata.catalog.keeping import CHANGED_FIELD

    monkeypatch.setattr(listing, "PAGE", 20)  # the full listing of 26 datasets takes two searches
    monkeypatch.setattr(listing, "MARGIN", datetime.timedelta(0))  # the fixture's saves are not "changes"
    searches: list[str] = []
    real = listing._search
    monkeypatch.setattr(listing, "_search", lambda fq, *more, **kw: searches.append(" ".join(more)) or
                        real(fq, *more, **kw))
    real_state = caching.public_state  # the public set's state (count, newest change): one search each
    monkeypatch.setattr(caching, "public_state", lambda fq, field: searches.append("state") or
                        real_state(fq, field))

    def kept_and_full() -> tuple[list, list, list[str]]:
        with app.flask_app.test_request_context():
            searches.clear()
            kept = listing.kept_listing("")
            made_by = list(searches)
            return kept, listing.listing(""), made_by

    def listed_in_full(made_by: list[str]) -> bool:
        return any(search.startswith("id:{") for search in made_by)  # a page after the first

    # The newest change before the kept listing is a save alone in its second: the changes read after the
    # two saves below are then these three (MARGIN 0 counts from the start of that second), however many
    # of the fixture's datasets were made within one second (at 18 of them, a fast machine's, the changes
    # filled a page and every dataset was listed again).
    token = some["token"]
    time.sleep(1.05 - time.time() % 1)
    api("package_patch", token=token, id=some["many"][0]["id"], title="Först ändrad")
    kept, full, made_by = kept_and_full()
    assert kept == full and len(full) == 26 and listed_in_full(made_by), made_by
    digests = {entry.id: entry.digest for entry in kept}

    # Two saves: the kept listing with the changes put over it, without listing every dataset again
    edited = [some["many"][1]["id"], some["many"][2]["id"]]
    api("package_patch", token=token, id=edited[0], title="Ny titel")
    api("package_patch", token=token, id=edited[1], notes="Ny beskrivning.")
    kept, full, made_by = kept_and_full()
    assert kept == full and not listed_in_full(made_by), made_by
    assert [search.split(":")[0] for search in made_by] == ["state", CHANGED_FIELD, "state"]
    assert {entry.id for entry in kept if entry.digest != digests[entry.id]} == set(edited)

    # A dataset made private and one deleted: the counts differ, so every dataset is listed again, without them
    gone = [some["many"][3]["id"], some["many"][4]["id"]]
    api("package_patch", token=token, id=gone[0], private=True)
    api("package_delete", token=token, id=gone[1])
    kept, full, made_by = kept_and_full()
    assert kept == full and listed_in_full(made_by) and not set(gone) & {entry.id for entry in kept}


def test_a_save_reaching_the_index_after_a_later_one_is_in_the_next_catalog(app, api, some, monkeypatch):
    import datetime

    from ckanext.kalmar_oppnadata.catalog import keeping

    token, first, late = some["token"], some["many"][5], some["many"][6]
    api("package_patch", token=token, id=first["id"], title="Sparad först")
    assert "Sparad först" in {str(t) for t in served(app, "/catalog.ttl").objects(None, DCTERMS.title)}
    newest = api("package_search", q=f'id:"{first["id"]}"', fl=keeping.CHANGED_FIELD)["result"]["results"][0]
    at = datetime.datetime.strptime(newest[keeping.CHANGED_FIELD][:19], "%Y-%m-%dT%H:%M:%S")
    # A slow save in another process took its change time half a minute before the one above, and reaches
    # the index only now: the newest change and the count are as they were.
    earlier = (at - datetime.timedelta(seconds=30)).strftime("%Y-%m-%dT%H:%M:%S.000Z")
    monkeypatch.setattr(keeping, "_changed_at", lambda dataset_id, digest: earlier)
    api("package_patch", token=token, id=late["id"], title="Sparad sent")
    indexed = api("package_search", q=f'id:"{late["id"]}"', fl=keeping.CHANGED_FIELD)["result"]["results"][0]
    assert indexed[keeping.CHANGED_FIELD].startswith(earlier[:19])
    graph = assert_same_as_whole(app)
    assert {"Sparad först", "Sparad sent"} <= {str(t) for t in graph.objects(None, DCTERMS.title)}


# ----------------------------------------------------------------------------- refreshed in the background
def _drain_queue() -> None:
    from rq.registry import ScheduledJobRegistry

    from ckan.lib import jobs as ckan_jobs

    queue = ckan_jobs.get_queue()
    queue.empty()
    registry = ScheduledJobRegistry(queue=queue)
    for job_id in registry.get_job_ids():
        registry.remove(job_id, delete_job=True)


def test_after_a_change_the_worker_refreshes_the_catalogs_so_no_visitor_waits(app, api, some, cli):
    from ckan.lib import jobs as ckan_jobs

    from .helpers import run_worker

    token, kalmar = some["token"], some["kalmar"]
    org_url = f"/organization/{kalmar['name']}/catalog.ttl"
    served(app, "/catalog.rdf")
    served(app, org_url)  # asked for once: kept, so it is refreshed from now on
    _drain_queue()  # the fixture's saves queued a refresh (and its files' jobs); not what is tested here

    edited = next(d for d in some["many"] if d["owner_org"] == kalmar["id"])
    api("package_patch", token=token, id=edited["id"], title="Ändrad i bakgrunden")
    api("package_patch", token=token, id=some["many"][3]["id"], notes="Ännu en ändring.")
    queued = [job.id for job in ckan_jobs.get_queue().jobs]
    assert queued.count("kalmar-catalog-refresh") == 1  # one refresh for both saves

    before = len(builds())
    run_worker(cli)
    by_worker = builds()[before:]
    assert {b["document"] for b in by_worker} == {"catalog-rdf", "catalog-ttl", "catalog-jsonld",
                                                  f"catalog-{kalmar['id']}-ttl"}
    # The refresh made the two datasets' parts in every format from one graph each, before the documents.
    assert [b["parts_made"] for b in by_worker] == [0, 0, 0, 0]

    # The next visitors get kept documents with the change: no build in their request.
    for url in ("/catalog.rdf", "/catalog.ttl", org_url):
        response = app.get(url)
        assert response.status_code == 200 and response.headers["X-Kalmar-Catalog"] == "kept", url
        graph = Graph().parse(data=response.body, format=PARSE[url.rsplit(".", 1)[1]])
        assert any(str(t) == "Ändrad i bakgrunden" for t in graph.objects(None, DCTERMS.title)), url
    assert len(builds()) == before + len(by_worker)
    assert_same_as_whole(app)

    # Made private, deleted, and an organization's new name: the refreshed catalogs follow each.
    _drain_queue()
    api("package_patch", token=token, id=edited["id"], private=True)
    api("package_delete", token=token, id=some["many"][4]["id"])
    api("organization_patch", token=token, id=kalmar["id"], title="Kalmar kommun (ny titel)")
    assert [job.id for job in ckan_jobs.get_queue().jobs].count("kalmar-catalog-refresh") == 1
    run_worker(cli)
    response = app.get("/catalog.ttl")
    assert response.headers["X-Kalmar-Catalog"] == "kept"
    graph = Graph().parse(data=response.body, format="turtle")
    assert not {edited["id"], some["many"][4]["id"]} & dataset_ids(graph)
    assert any(str(t) == "Kalmar kommun (ny titel)" for t in graph.objects(None, None))
    assert_same_as_whole(app)


@contextlib.contextmanager
def _running_worker(ini: Path = ROOT / "test.ini", processes: list | None = None):
    """The portal's jobs worker (``ckan kalmar jobs-worker``) running as it does in the stack, with its
    scheduler, until the block ends (its process appended to ``processes``)."""
    from rq import Worker

    from ckan.lib import jobs as ckan_jobs

    from .test_outages import _forget_worker, _until

    queue = ckan_jobs.get_queue()
    log = open(STACK / "logs" / "test-running-worker.log", "w")
    worker = subprocess.Popen([CKAN, "-c", str(ini), "kalmar", "jobs-worker"], env=os.environ,
                              stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    if processes is not None:
        processes.append(worker)
    try:
        _until(lambda: any(w.pid == worker.pid for w in Worker.all(connection=queue.connection, queue=queue)),
               120, "the worker started")
        yield queue
    finally:  # the worker and what it started (RQ's scheduler), as the stack stops a daemon
        with contextlib.suppress(ProcessLookupError):
            os.killpg(worker.pid, signal.SIGTERM)
        try:
            worker.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(worker.pid, signal.SIGKILL)
            worker.wait(timeout=30)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(worker.pid, signal.SIGKILL)  # a scheduler left behind by a worker stopped mid-restart
        log.close()
        _forget_worker(worker.pid)


def _idle(queue) -> bool:
    from rq import Worker
    from rq.registry import ScheduledJobRegistry

    return (not queue.jobs and not ScheduledJobRegistry(queue=queue).get_job_ids()
            and not any(w.get_current_job_id() for w in Worker.all(connection=queue.connection, queue=queue)))


def test_the_running_worker_refreshes_the_catalogs_with_a_site_title_changed_since_it_started(app, api, some):
    """The portal's jobs worker (`ckan kalmar jobs-worker`, jobs/worker.py) does not load CKAN again for
    each job; what an administrator changes in the web UI while it runs (the site's title, the catalog's
    title) is still what its next job uses: the catalog it refreshes has the new title, so the next visitor
    gets it kept, with no build in the request."""
    from .test_outages import _until

    token = some["token"]
    _drain_queue()
    old_title = tk.config.get("ckan.site_title")
    try:
        with _running_worker() as queue:
            before = len(builds())
            api("config_option_update", token=token, **{"ckan.site_title": "Öppna data i Kalmar län (nytt namn)"})
            api("package_patch", token=token, id=some["many"][2]["id"], title="Ändrad medan arbetaren kör")
            _until(lambda: _idle(queue) and any(b["document"] == "catalog-ttl" for b in builds()[before:]),
                   120, "the worker refreshed the catalogs")
        response = app.get("/catalog.ttl")
        assert response.status_code == 200 and response.headers["X-Kalmar-Catalog"] == "kept"
        graph = Graph().parse(data=response.body, format="turtle")
        catalog = next(graph.subjects(RDF.type, DCAT.Catalog))
        assert "Öppna data i Kalmar län (nytt namn)" in {str(t) for t in graph.objects(catalog, DCTERMS.title)}
        assert any(str(t) == "Ändrad medan arbetaren kör" for t in graph.objects(None, DCTERMS.title))
    finally:
        api("config_option_update", token=token, **{"ckan.site_title": old_title})


def test_saves_in_a_burst_are_refreshed_once_after_the_delay_and_no_visitor_misses_one(app, api, some,
                                                                                       monkeypatch):
    """With ``catalog_refresh_delay`` (10 s in the portal, 0 in the other tests), the first save schedules
    the refresh for later and the saves meanwhile schedule nothing: the running worker's scheduler queues
    it once, and it refreshes every kept catalog for all of them. A visitor who asks before that gets
    every save anyway, built in the request."""
    from rq.job import Job
    from rq.registry import ScheduledJobRegistry

    from .test_outages import _until

    token = some["token"]
    served(app, "/catalog.ttl")  # kept before the saves
    _drain_queue()
    # Long enough for the saves and the visitor below on a busy machine; the worker's wait is not timed.
    monkeypatch.setitem(tk.config, "ckanext.kalmar_oppnadata.catalog_refresh_delay", 20)
    with _running_worker() as queue:
        before = len(builds())
        for n, dataset in enumerate(some["many"][5:8]):
            api("package_patch", token=token, id=dataset["id"], title=f"Sparad i skuren {n}")
        assert ScheduledJobRegistry(queue=queue).get_job_ids() == ["kalmar-catalog-refresh"]
        assert Job.fetch("kalmar-catalog-refresh", connection=queue.connection).get_status() == "scheduled"
        assert "kalmar-catalog-refresh" not in [job.id for job in queue.jobs]  # not yet

        # A visitor before the refresh: all three saves, in a document built in the request.
        response = app.get("/catalog.rdf")
        assert response.status_code == 200 and response.headers["X-Kalmar-Catalog"] != "kept"
        titles = {str(t) for t in Graph().parse(data=response.body, format="xml").objects(None, DCTERMS.title)}
        assert {f"Sparad i skuren {n}" for n in range(3)} <= titles

        _until(lambda: _idle(queue) and any(b["document"] == "catalog-ttl" for b in builds()[before:]),
               120, "the scheduled refresh ran")
    by_worker = [b["document"] for b in builds()[before:] if b["pid"] != os.getpid()]
    assert sorted(by_worker) == ["catalog-jsonld", "catalog-ttl"]  # once; the RDF/XML was current already
    response = app.get("/catalog.ttl")
    assert response.status_code == 200 and response.headers["X-Kalmar-Catalog"] == "kept"
    titles = {str(t) for t in Graph().parse(data=response.body, format="turtle").objects(None, DCTERMS.title)}
    assert {f"Sparad i skuren {n}" for n in range(3)} <= titles


def test_a_worker_grown_past_its_memory_limit_starts_again_in_its_process_and_goes_on(app, api, some, tmp_path):
    """Jobs run in the worker's own process (jobs/worker.py). One that leaves the process above
    ``jobs_worker_max_memory`` MB (here 1, so any job) makes the worker leave RQ's register after it and
    start itself again: the same process, a new registration, and the next job is done."""
    from rq import Worker

    from .test_outages import _until

    ini = tmp_path / "worker.ini"
    ini.write_text(f"[app:main]\nuse = config:{ROOT / 'test.ini'}\n"
                   "ckanext.kalmar_oppnadata.jobs_worker_max_memory = 1\n")
    token = some["token"]
    _drain_queue()
    started: list = []
    with _running_worker(ini, started) as queue:
        process = started[0]

        def registered() -> set[str]:
            return {w.name for w in Worker.all(connection=queue.connection, queue=queue) if w.pid == process.pid}

        first = registered()
        before = len(builds())
        api("package_patch", token=token, id=some["many"][9]["id"], title="Före omstarten")
        _until(lambda: _idle(queue) and any(b["pid"] == process.pid for b in builds()[before:])
               and (lambda now: now and now != first)(registered()), 120, "the save's jobs done")
        assert "stopping to start again" in (STACK / "logs" / "test-running-worker.log").read_text()

        again = len(builds())
        api("package_patch", token=token, id=some["many"][10]["id"], title="Efter omstarten")
        _until(lambda: _idle(queue) and any(b["document"] == "catalog-ttl" and b["pid"] == process.pid
                                            for b in builds()[again:]), 120, "the next job done")
        assert process.poll() is None  # the same process throughout
    response = app.get("/catalog.ttl")
    assert response.headers["X-Kalmar-Catalog"] == "kept"
    titles = {str(t) for t in Graph().parse(data=response.body, format="turtle").objects(None, DCTERMS.title)}
    assert {"Före omstarten", "Efter omstarten"} <= titles


def test_a_job_stuck_past_its_time_limit_ends_the_worker_as_a_work_horse_would_be_killed():
    """RQ's alarm ends a job at its time limit only when Python runs again; a job stuck in a C call (here
    ``os.system``, as a database call would be) is not reached. The worker (jobs run in its own process)
    ends a minute after the limit, and the stack or the container's policy starts it again."""
    from .test_outages import _until

    _drain_queue()
    started: list = []
    with _running_worker(processes=started) as queue:
        process = started[0]
        queue.enqueue(os.system, "sleep 150", job_timeout=2)
        _until(lambda: process.poll() is not None, 150, "the worker ended")
        assert process.returncode == 1
        assert "still running a minute after its time limit" in (
            STACK / "logs" / "test-running-worker.log").read_text()
    _drain_queue()


def test_a_worker_killed_during_a_long_job_leaves_the_list_of_workers_within_a_minute_and_a_half():
    """The job (its time limit 20 minutes) holds the worker; the worker's heartbeat is renewed meanwhile
    for 90 s at a time, not for the job's whole limit: killed, it is gone from RQ's workers (what
    ``/health`` counts) within that."""
    from rq import Worker

    from .test_outages import _until

    _drain_queue()
    started: list = []
    with _running_worker(processes=started) as queue:
        process = started[0]

        def listed() -> list:
            return [w for w in Worker.all(connection=queue.connection, queue=queue) if w.pid == process.pid]

        queue.enqueue(os.system, "sleep 300", job_timeout=1200)
        _until(lambda: any(w.get_current_job_id() for w in listed()), 60, "the worker took the job")
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=30)
        _until(lambda: not listed(), 150, "the killed worker left the list")
    _drain_queue()


def test_the_operators_queue_pending_also_queues_the_catalogs_refresh(some, cli):
    """Run by the stack at every start: after a deployment every part is made again in the background."""
    from ckan.cli.cli import ckan as ckan_cli
    from ckan.lib import jobs as ckan_jobs

    _drain_queue()
    result = cli.invoke(ckan_cli, ["kalmar", "queue-pending"])
    assert result.exit_code == 0 and "The catalogs' refresh queued." in result.output, result.output
    assert "kalmar-catalog-refresh" in [job.id for job in ckan_jobs.get_queue().jobs]
    result = cli.invoke(ckan_cli, ["kalmar", "queue-pending"])
    assert "The catalogs' refresh queued." not in result.output  # already waiting: not twice
