"""Every table becomes an API: uploaded CSV/XLSX files are loaded into CKAN's DataStore (real PostgreSQL)
by a real RQ worker, queryable with datastore_search and datastore_search_sql, previewed, described by
an API box on the resource page and as a dcat:DataService in the catalog."""
from __future__ import annotations

import datetime
import html
import io
import json
import re
from importlib import resources

import pytest
import sqlalchemy as sa
from rdflib import Graph, URIRef
from rdflib.namespace import DCAT, DCTERMS, RDF

import ckan.model as model
import ckan.plugins.toolkit as tk
from ckan.cli.cli import ckan as ckan_cli

from ckanext.kalmar_oppnadata.catalog import shacl
from ckanext.kalmar_oppnadata.jobs import queue

from .examples import BADPLATSER, DATA_LINK
from .helpers import run_worker, upload

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index", "clean_queues",
                                     "clean_datastore_tables", "with_test_worker")

DEMO = resources.files("ckanext.kalmar_oppnadata").joinpath("data", "demo")
SWEDISH = ("kommunkod;kommun;andel;antal;datum;tidpunkt\n"
           "0880;Kalmar;3,5;1 200;2024-06-01;2024-06-01 08:30\n"
           "0881;Nybro;12,25;87;2024-06-02;2024-06-02 17:05:10\n"
           "0860;Hultsfred;;5;;\n"
           "0861;Mönsterås;1,0;3;2024-06-03;2024-06-03 10:00\n")


@pytest.fixture
def clean_datastore_tables():
    """An empty DataStore database (CKAN's own DataStore test helpers)."""
    from ckanext.datastore.tests import helpers

    engine = helpers.db.get_write_engine()
    helpers.clear_db(helpers.orm.scoped_session(helpers.orm.sessionmaker(bind=engine)))


@pytest.fixture
def kalmar_token(api, sysadmin_with_token):
    """The sysadmin's token, once Kalmar kommun exists."""
    token = sysadmin_with_token["token"]
    api("organization_create", token=token, name="kalmar-kommun", title="Kalmar kommun", email="oppnadata@kalmar.se")
    return token


def dataset(api, token, name, **extra):
    data = {"name": name, "title": name.title(), "notes": "x", "owner_org": "kalmar-kommun",
            "classification_confirmed": True, "private": False, "resources": [DATA_LINK], **extra}
    return api("package_create", token=token, **data)["result"]


def search(api, token=None, status=200, **data):
    return api("datastore_search", token=token, status=status, **data)


def load_status(api, token, resource_id):
    return api("resource_show", token=token, id=resource_id)["result"].get("datastore_load")


def test_uploaded_badplatser_csv_becomes_queryable(app, api, cli, kalmar_token):
    ds = dataset(api, kalmar_token, "badplatser", conforms_to=[BADPLATSER])
    resource = upload(app, kalmar_token, ds["id"], DEMO.joinpath("badplatser-kalmar.csv").read_bytes())
    page = app.get(f"/dataset/badplatser/resource/{resource['id']}").body
    assert "Läses in i API:t" in page  # queued, not yet loaded
    run_worker(cli)

    found = search(api, resource_id=resource["id"], filters={"name": "Exempelbadet Norra"})["result"]
    assert found["total"] == 1
    record = found["records"][0]
    assert record["place_id"] == "demo-kalmar-1" and float(record["latitude"]) == pytest.approx(56.679)
    types = {f["id"]: f["type"] for f in found["fields"]}
    assert types["latitude"] == "numeric" and types["name"] == "text" and types["updated"] == "date"
    status = load_status(api, kalmar_token, resource["id"])
    assert status["status"] == "complete" and status["rows"] == len(
        DEMO.joinpath("badplatser-kalmar.csv").read_text().strip().splitlines()) - 1
    assert api("resource_show", id=resource["id"])["result"]["datastore_active"] is True

    sql = f'SELECT name FROM "{resource["id"]}" WHERE latitude > 56.67'
    assert [r["name"] for r in api("datastore_search_sql", sql=sql)["result"]["records"]] == ["Exempelbadet Norra"]


def test_the_api_box_calls_work_as_printed(app, api, cli, kalmar_token):
    ds = dataset(api, kalmar_token, "badplatser", conforms_to=[BADPLATSER])
    resource = upload(app, kalmar_token, ds["id"], DEMO.joinpath("badplatser-kalmar.csv").read_bytes())
    run_worker(cli)
    page = app.get(f"/dataset/badplatser/resource/{resource['id']}").body
    assert "API" in page and "datastore_search" in page
    # The preview (CKAN's data table view) is created once the table is loaded.
    views = api("resource_view_list", id=resource["id"])["result"]
    assert {v["view_type"]: v["title"] for v in views}["datatables_view"] == "tabell"  # CKAN's Swedish title
    box = page[page.index('id="kalmar-api"'):]
    box = box[:box.index("</section>")]
    printed = [html.unescape(u) for u in re.findall(r'<code class="kalmar-api-call">([^<]+)</code>', box)]
    calls = [u for u in printed if u.startswith(tk.config["ckan.site_url"])]
    assert len(calls) >= 3, box
    for url in calls:
        response = app.get(url.replace(tk.config["ckan.site_url"], ""))
        assert response.status_code == 200, (url, response.body[:300])
        if "/api/3/action/" in url:
            assert response.json["success"] is True and response.json["result"]["records"], url
            assert all("_full_text" not in r for r in response.json["result"]["records"]), url
        elif "format=xlsx" in url:
            assert "Exempelbadet Norra" in {c for row in _workbook_rows(response) for c in row}, url
        else:
            assert "Exempelbadet Norra" in response.body, url
    assert "SELECT *" not in html.unescape(box) and "SELECT%20%2A" not in box  # the columns are named
    assert any("filters=" in u for u in calls)  # an example filtered by a column


def _workbook_rows(response) -> list[tuple]:
    import openpyxl

    assert response.status_code == 200, response.body[:300]
    assert response.headers["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    book = openpyxl.load_workbook(io.BytesIO(response.get_data()), read_only=True)
    return list(book.active.iter_rows(values_only=True))


def test_a_table_downloads_as_an_excel_workbook_with_numbers_and_dates(app, api, cli, kalmar_token):
    ds = dataset(api, kalmar_token, "kommuner")
    resource = upload(app, kalmar_token, ds["id"], SWEDISH.encode("cp1252"), filename="kommuner.csv")
    run_worker(cli)
    page = app.get(f"/dataset/kommuner/resource/{resource['id']}").body
    assert f"/datastore/dump/{resource['id']}?format=xlsx" in page  # offered on the page
    rows = _workbook_rows(app.get(f"/datastore/dump/{resource['id']}?format=xlsx"))
    assert rows[0] == ("kommunkod", "kommun", "andel", "antal", "datum", "tidpunkt")  # no _id, no _full_text
    by_code = {row[0]: row for row in rows[1:]}
    assert set(by_code) == {"0880", "0881", "0860", "0861"}  # codes stay text, with their zero
    assert by_code["0880"][2] == 3.5 and by_code["0880"][3] == 1200  # numbers are numbers
    assert by_code["0881"][4].date() == datetime.date(2024, 6, 2)
    assert by_code["0881"][5] == datetime.datetime(2024, 6, 2, 17, 5, 10)
    assert by_code["0860"][2] is None
    # The same arguments as CKAN's dumps.
    filtered = _workbook_rows(app.get(f"/datastore/dump/{resource['id']}",
                                      query_string={"format": "xlsx", "filters": json.dumps({"kommun": "Nybro"})}))
    assert [row[1] for row in filtered[1:]] == ["Nybro"]
    # A format there is not: a 400 in Swedish naming the formats, not CKAN's server error.
    refused = app.get(f"/datastore/dump/{resource['id']}?format=pdf")
    assert refused.status_code == 400 and "Formatet pdf finns inte" in refused.body and "xlsx" in refused.body
    assert app.get(f"/datastore/dump/{resource['id']}?format=csv").status_code == 200  # CKAN's own, as before


def test_a_private_table_is_no_workbook_for_others(app, api, cli, kalmar_token):
    ds = dataset(api, kalmar_token, "hemlig", private=True)
    resource = upload(app, kalmar_token, ds["id"], SWEDISH.encode(), filename="kommuner.csv")
    run_worker(cli)
    assert app.get(f"/datastore/dump/{resource['id']}?format=xlsx").status_code == 404
    rows = _workbook_rows(app.get(f"/datastore/dump/{resource['id']}?format=xlsx",
                                  headers={"Authorization": kalmar_token}))
    assert len(rows) == 5


def test_swedish_numbers_dates_and_codes_keep_their_meaning(app, api, cli, kalmar_token):
    ds = dataset(api, kalmar_token, "kommuner")
    resource = upload(app, kalmar_token, ds["id"], SWEDISH.encode("cp1252"), filename="kommuner.csv")
    run_worker(cli)
    result = search(api, resource_id=resource["id"], sort="kommunkod")["result"]
    types = {f["id"]: f["type"] for f in result["fields"] if f["id"] != "_id"}
    assert types == {"kommunkod": "text", "kommun": "text", "andel": "numeric", "antal": "int4",
                     "datum": "date", "tidpunkt": "timestamp"}
    rows = {r["kommunkod"]: r for r in result["records"]}
    assert set(rows) == {"0860", "0861", "0880", "0881"}  # the leading zero is kept
    assert rows["0861"]["kommun"] == "Mönsterås"  # read as Windows-1252
    assert float(rows["0880"]["andel"]) == 3.5 and rows["0880"]["antal"] == 1200
    assert rows["0881"]["datum"].startswith("2024-06-02")
    assert rows["0881"]["tidpunkt"].startswith("2024-06-02T17:05:10")
    assert rows["0860"]["andel"] is None
    assert load_status(api, kalmar_token, resource["id"])["encoding"] == "cp1252"


def test_xlsx_workbooks_are_loaded(app, api, cli, kalmar_token):
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["kommunkod", "namn", "invånare", "datum"])
    sheet.append(["0880", "Kalmar", 72000, datetime.date(2024, 1, 1)])
    sheet.append(["0882", "Oskarshamn", 27000, datetime.date(2024, 1, 1)])
    data = io.BytesIO()
    workbook.save(data)
    ds = dataset(api, kalmar_token, "invanare")
    resource = upload(app, kalmar_token, ds["id"], data.getvalue(), filename="invanare.xlsx")
    assert resource["format"].lower() == "xlsx"
    run_worker(cli)
    result = search(api, resource_id=resource["id"], filters={"kommunkod": "0882"})["result"]
    assert [(r["namn"], r["invånare"]) for r in result["records"]] == [("Oskarshamn", 27000)]


def test_reupload_reloads_the_table(app, api, cli, kalmar_token):
    ds = dataset(api, kalmar_token, "kommuner")
    resource = upload(app, kalmar_token, ds["id"], SWEDISH.encode(), filename="kommuner.csv")
    run_worker(cli)
    assert search(api, resource_id=resource["id"])["result"]["total"] == 4
    upload(app, kalmar_token, ds["id"], b"kommunkod;kommun\n0885;Borgholm\n", filename="kommuner.csv",
           resource_id=resource["id"])
    run_worker(cli)
    result = search(api, resource_id=resource["id"])["result"]
    assert [r["kommun"] for r in result["records"]] == ["Borgholm"]
    assert {f["id"] for f in result["fields"]} == {"_id", "kommunkod", "kommun"}


def _load_in_a_thread(app, resource_id, failures):
    """A run of the resource's DataStore load in a thread of its own, started; what it raises goes to
    ``failures``."""
    import threading

    from ckanext.kalmar_oppnadata.files import loading

    def run():
        try:
            with app.flask_app.test_request_context():
                loading.load_resource(resource_id)
        except BaseException as error:  # noqa: BLE001 - reported by the test
            failures.append(error)
        finally:
            model.Session.remove()  # as CKAN's worker does after each job

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def test_a_second_run_of_a_load_waits_for_the_first(app, api, cli, kalmar_token):
    """With several jobs workers, two runs of one resource's load can meet (its file changed again while it
    loaded, or a load queued again): the second waits for the first (jobs/locks.py, held here as the first
    run) instead of replacing the table under it, then loads the file as it is."""
    import time

    from ckanext.kalmar_oppnadata.jobs import locks
    from ckanext.kalmar_oppnadata.search import reindexing

    ds = dataset(api, kalmar_token, "kommuner")
    resource = upload(app, kalmar_token, ds["id"], SWEDISH.encode(), filename="kommuner.csv")
    failures: list[BaseException] = []

    with locks.one_at_a_time(f"load:{resource['id']}", 10):
        run = _load_in_a_thread(app, resource["id"], failures)
        time.sleep(3)  # a load of this file takes well under a second
        assert run.is_alive()
        assert (load_status(api, kalmar_token, resource["id"]) or {}).get("status") != "complete"
    run.join(60)
    assert not failures and not run.is_alive()
    reindexing.make_searchable()  # the record is indexed without a commit, as a burst worker commits at its end
    assert load_status(api, kalmar_token, resource["id"])["status"] == "complete"
    assert search(api, resource_id=resource["id"])["result"]["total"] == 4


def test_a_second_run_waiting_for_a_first_that_loaded_the_file_does_not_load_it_again(app, api, kalmar_token):
    """The first run's record reaches the search index only at its next commit; the second run, once it
    has waited, reads the resource from the database and finds the file loaded."""
    import time

    from ckanext.kalmar_oppnadata.files import records
    from ckanext.kalmar_oppnadata.jobs import locks

    ds = dataset(api, kalmar_token, "kommuner")
    resource = upload(app, kalmar_token, ds["id"], SWEDISH.encode(), filename="kommuner.csv")
    first = {"status": "complete", "file_sha1": resource["hash"], "rows": 99, "finished_at": "2026-12-02T07:00:00"}
    failures: list[BaseException] = []

    with locks.one_at_a_time(f"load:{resource['id']}", 10):
        run = _load_in_a_thread(app, resource["id"], failures)
        time.sleep(3)
        assert run.is_alive()
        with app.flask_app.test_request_context():  # the first run's end: its record, as a worker writes it
            records.write(resource["id"], records.LOAD, first)
        model.Session.remove()
    run.join(60)
    assert not failures and not run.is_alive()
    stored = json.loads(model.Session.get(model.Resource, resource["id"]).extras[records.LOAD])
    model.Session.remove()
    assert stored == first  # not loaded again
    search(api, resource_id=resource["id"], status=404)


def test_a_failed_reload_keeps_the_previous_table(app, api, cli, kalmar_token):
    """The new file is loaded beside the table and replaces it only when it loaded (files/staging.py)."""
    ds = dataset(api, kalmar_token, "kommuner")
    resource = upload(app, kalmar_token, ds["id"], SWEDISH.encode(), filename="kommuner.csv")
    run_worker(cli)
    assert search(api, resource_id=resource["id"])["result"]["total"] == 4

    upload(app, kalmar_token, ds["id"], b"\x00\x01\x02binary\x00" * 100, filename="kommuner.csv",
           resource_id=resource["id"])
    run_worker(cli)
    status = load_status(api, kalmar_token, resource["id"])
    assert status["status"] == "error" and status["message"] == "Filen är inte en textfil (CSV)."
    assert status["kept"]["rows"] == 4
    result = search(api, resource_id=resource["id"], sort="kommunkod")["result"]
    assert [r["kommun"] for r in result["records"]] == ["Hultsfred", "Mönsterås", "Kalmar", "Nybro"]
    assert search(api, resource_id=resource["id"], q="Nybro")["result"]["total"] == 1  # full text still works
    page = html.unescape(app.get(f"/dataset/kommuner/resource/{resource['id']}").body)
    assert "Filen är inte en textfil (CSV)." in page
    assert "API:t svarar fortfarande med den förra filen (4 rader)." in page

    # A good file then replaces the table through the staging table: new columns, full text, SQL, dumps.
    upload(app, kalmar_token, ds["id"],
           b"kod;namn;invanare\n0885;Borgholm;10 900\n0840;M\xc3\xb6rbyl\xc3\xa5nga;15 700\n",
           filename="kommuner.csv", resource_id=resource["id"])
    run_worker(cli)
    status = load_status(api, kalmar_token, resource["id"])
    assert status["status"] == "complete" and "kept" not in status
    result = search(api, resource_id=resource["id"], sort="kod")["result"]
    assert [(r["kod"], r["invanare"]) for r in result["records"]] == [("0840", 15700), ("0885", 10900)]
    assert {f["id"] for f in result["fields"]} == {"_id", "kod", "namn", "invanare"}
    assert search(api, resource_id=resource["id"], q="Borgholm")["result"]["total"] == 1
    sql = api("datastore_search_sql", sql=f'SELECT namn FROM "{resource["id"]}" ORDER BY kod')["result"]
    assert [r["namn"] for r in sql["records"]] == ["Mörbylånga", "Borgholm"]
    assert "Borgholm" in app.get(f"/datastore/dump/{resource['id']}").body
    assert api("datastore_info", id=resource["id"])["result"]["meta"]["count"] == 2
    from ckanext.datastore.backend.postgres import get_write_engine

    with get_write_engine().connect() as connection:
        leftovers = connection.execute(sa.text(
            "SELECT tablename FROM pg_tables WHERE tablename LIKE 'kalmar_staging_%'")).all()
    assert leftovers == []


def test_private_tables_are_not_readable_by_others(app, api, cli, kalmar_token, user_factory, api_token_factory):
    ds = dataset(api, kalmar_token, "hemlig", private=True)
    resource = upload(app, kalmar_token, ds["id"], SWEDISH.encode(), filename="hemlig.csv")
    run_worker(cli)
    assert search(api, token=kalmar_token, resource_id=resource["id"])["result"]["total"] == 4
    outsider = api_token_factory(user=user_factory()["id"])["token"]
    for who in (None, outsider):
        search(api, token=who, resource_id=resource["id"], status=403)
        api("datastore_search_sql", token=who, sql=f'SELECT * FROM "{resource["id"]}"', status=403)
        assert app.get(f"/datastore/dump/{resource['id']}",
                       headers={"Authorization": who} if who else {}).status_code in (403, 404)


def test_a_file_that_fails_to_load_says_why_and_leaves_no_table(app, api, cli, kalmar_token):
    ds = dataset(api, kalmar_token, "trasig")
    resource = upload(app, kalmar_token, ds["id"], b"\x00\x01\x02binary\x00" * 100, filename="trasig.csv")
    run_worker(cli)
    status = load_status(api, kalmar_token, resource["id"])
    assert status["status"] == "error" and status["message"] == "Filen är inte en textfil (CSV)."
    search(api, resource_id=resource["id"], status=404)
    page = app.get(f"/dataset/trasig/resource/{resource['id']}").body
    assert "Kunde inte läsas in i API:t" in page and "Filen är inte en textfil (CSV)." in page


def test_an_interrupted_load_is_shown_and_queued_again(app, api, cli, kalmar_token):
    ds = dataset(api, kalmar_token, "kommuner")
    resource = upload(app, kalmar_token, ds["id"], SWEDISH.encode(), filename="kommuner.csv")
    run_worker(cli)
    # A job that died while loading: its 'loading' status is long overdue.
    long_ago = (datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(hours=3)).isoformat()
    tk.get_action("resource_patch")(queue.job_context(), {"id": resource["id"], "datastore_load": json.dumps(
        {"status": "loading", "started_at": long_ago})})
    model.Session.remove()
    assert "Inläsningen avbröts" in app.get(f"/dataset/kommuner/resource/{resource['id']}").body
    result = cli.invoke(ckan_cli, ["kalmar", "queue-pending"])
    assert result.exit_code == 0 and "1 job(s) queued" in result.output, result.output
    run_worker(cli)
    assert load_status(api, kalmar_token, resource["id"])["status"] == "complete"


def test_queue_pending_does_not_queue_again_a_load_just_done(app, api, cli, kalmar_token):
    """A job's record reaches the search index's next (soft) commit, up to a second after the job; the
    operator's queue-pending, which reads the datasets from the index, must not take a load just done for
    one still missing (``make run`` runs it while the worker does the demo's jobs)."""
    from ckan.lib import jobs as ckan_jobs

    from ckanext.kalmar_oppnadata.files import loading

    ds = dataset(api, kalmar_token, "kommuner")
    resource = upload(app, kalmar_token, ds["id"], SWEDISH.encode(), filename="kommuner.csv")
    ckan_jobs.get_queue().empty()  # the upload's load job, run here instead, as a running worker would
    with app.flask_app.test_request_context():
        loading.load_resource(resource["id"])
    model.Session.remove()
    result = cli.invoke(ckan_cli, ["kalmar", "queue-pending"])
    assert result.exit_code == 0 and "0 job(s) queued" in result.output, result.output
    assert load_status(api, kalmar_token, resource["id"])["status"] == "complete"
    assert search(api, resource_id=resource["id"])["result"]["total"] == 4


def test_load_status_cannot_be_forged_through_the_api(app, api, cli, kalmar_token):
    ds = dataset(api, kalmar_token, "kommuner")
    resource = upload(app, kalmar_token, ds["id"], SWEDISH.encode(), filename="kommuner.csv")
    run_worker(cli)
    api("resource_patch", token=kalmar_token, id=resource["id"], datastore_load=json.dumps({"status": "error"}))
    assert load_status(api, kalmar_token, resource["id"])["status"] == "complete"


def test_catalog_describes_the_datastore_api_as_a_data_service(app, api, cli, kalmar_token):
    api("organization_create", token=kalmar_token, name="region-kalmar-lan", title="Region Kalmar län",
        dcat_type="http://purl.org/adms/publishertype/RegionalAuthority", email="region@example.org")
    ds = dataset(api, kalmar_token, "badplatser", conforms_to=[BADPLATSER], contact_email="fritid@kalmar.se")
    resource = upload(app, kalmar_token, ds["id"], DEMO.joinpath("badplatser-kalmar.csv").read_bytes())
    run_worker(cli)
    graph = Graph().parse(data=app.get("/catalog.ttl").body, format="turtle")
    services = list(graph.objects(None, DCAT.accessService))
    assert len(services) == 1
    service = services[0]
    assert (service, RDF.type, DCAT.DataService) in graph
    endpoint = f"{tk.config['ckan.site_url']}/api/3/action/datastore_search"
    assert (service, DCAT.endpointURL, URIRef(endpoint)) in graph
    assert str(service) == f"{tk.config['ckan.site_url']}/dataset/{ds['id']}/resource/{resource['id']}#kalmar-api"
    assert {lit.language for lit in graph.objects(service, DCTERMS.title)} == {"sv", "en"}
    assert list(graph.objects(service, DCTERMS.title))
    assert list(graph.objects(service, DCAT.servesDataset))
    assert shacl.validate(graph) == []
    # A file that is not in the DataStore has no access service.
    api("resource_create", token=kalmar_token, package_id=ds["id"], url="https://www.kalmar.se/karta.pdf", format="PDF")
    graph = Graph().parse(data=app.get("/catalog.ttl").body, format="turtle")
    assert len(list(graph.objects(None, DCAT.accessService))) == 1


def test_resource_details_show_filled_fields_only_and_no_raw_job_records(app, api, cli, kalmar_token):
    ds = dataset(api, kalmar_token, "kommuner")
    resource = upload(app, kalmar_token, ds["id"], SWEDISH.encode(), filename="kommuner.csv")
    run_worker(cli)
    page = app.get(f"/dataset/kommuner/resource/{resource['id']}").body
    details = page[page.index("Mer information"):]
    assert "Mediatyp (IANA)" in details  # filled
    assert "Licens för resursen" not in details and '<a href="" ' not in details  # empty: no row, no empty link
    assert "Datastore load" not in details and "file_sha1" not in details  # the API box shows it instead
    assert "I API:t" in page
    # Only what an editor or a visitor understands, in Swedish: none of CKAN's internal keys.
    labels = re.findall(r'<th scope="row">\s*([^<]+?)\s*</th>', details)
    assert {"Format", "Mediatyp (IANA)", "Storlek"} <= set(labels), labels
    for internal in ("Datastore active", "Has views", "Hash", "Id", "Package id", "Position", "Url type", "State",
                     "Mimetype", "Kontrollsumma (SHA-1)", "Datastore_active"):
        assert internal not in labels, labels
    assert ">active<" not in page and "Status: active" not in page


def test_a_linked_file_on_the_portals_own_network_is_not_fetched(app, api, cli, kalmar_token):
    """Linked files are fetched from public addresses only (the same guard as the specification check)."""
    ds = dataset(api, kalmar_token, "lankad")
    resource = api("resource_create", token=kalmar_token, package_id=ds["id"], name="intern.csv",
                   url="http://127.0.0.1:6380/intern.csv", format="CSV")["result"]
    run_worker(cli)
    status = load_status(api, kalmar_token, resource["id"])
    assert status["status"] == "error" and status["message"] == (
        "Adressen http://127.0.0.1:6380/intern.csv hämtas inte: 127.0.0.1 är inte en publik adress.")
    assert status["file_url"] == "http://127.0.0.1:6380/intern.csv"
    search(api, resource_id=resource["id"], status=404)
    # The resource page says why to everyone; what to do about it only to the dataset's editors.
    path = f"/dataset/lankad/resource/{resource['id']}"
    for headers, advised in (({}, False), ({"Authorization": kalmar_token}, True)):
        page = app.get(path, headers=headers).body
        assert "Kunde inte läsas in i API:t" in page and "127.0.0.1 är inte en publik adress" in page
        assert ("Ladda upp en rättad fil för att försöka igen." in page) is advised
    # Correcting the link reloads it (here too onto a refused address: the status follows the new link).
    api("resource_patch", token=kalmar_token, id=resource["id"], url="http://127.0.0.2/ny.csv")
    run_worker(cli)
    assert load_status(api, kalmar_token, resource["id"])["file_url"] == "http://127.0.0.2/ny.csv"


def test_a_job_whose_resource_is_gone_does_nothing(app, api, kalmar_token):
    """Jobs are queued after the save committed (subscriptions.py); a resource deleted before its job ran
    leaves the job nothing to do, and no table."""
    import uuid

    from ckanext.kalmar_oppnadata.files import checking, loading

    gone = str(uuid.uuid4())
    with app.flask_app.test_request_context():
        loading.load_resource(gone)
        checking.check_resource(gone)
    search(api, resource_id=gone, status=404)




def test_a_broken_file_loads_its_readable_rows_and_names_the_others(app, api, cli, kalmar_token):
    """An unclosed quote and a row with too many values: those rows are named and left out, never merged
    into another row's value; the rows around them are in the table."""
    ds = dataset(api, kalmar_token, "trasig")
    broken = ('namn;ort;antal\n'
              'Stensö;Kalmar;3\n'
              '"Kalmarsund;Kalmar;4\n'
              'Skälby;Kalmar;5\n'
              'Udden;Nybro;6;extra\n'
              'Byxelkrok;Borgholm;7\n').encode()
    resource = upload(app, kalmar_token, ds["id"], broken, filename="trasig.csv")
    run_worker(cli)
    result = search(api, resource_id=resource["id"], sort="antal")["result"]
    assert [(r["namn"], r["antal"]) for r in result["records"]] == [("Stensö", 3), ("Skälby", 5), ("Byxelkrok", 7)]
    status = load_status(api, kalmar_token, resource["id"])
    assert status["status"] == "complete" and status["rows"] == 3
    assert status["unreadable_rows"] == [{"row": 3, "reason": "quote"}, {"row": 5, "reason": "cells"}]
    message = ("2 rader kunde inte läsas och finns inte i API:t: rad 3 (ett citattecken stängs aldrig eller "
               "följs av text), rad 5 (fler värden än rubrikraden har kolumner).")
    assert status["message"] == message
    body = app.get(f"/dataset/trasig/resource/{resource['id']}").body
    page = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", body)).split())
    assert "Rader utelämnade " + message in page
