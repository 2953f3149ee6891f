"""Link checking (links/): the scheduled check, run by a real jobs worker, against a real web server on
loopback playing a municipality's (test.ini allows it as ``oppen.kalmar.test``). It answers 200, 404 and
500, too slowly, with a redirect loop, with an HTML page instead of the CSV, and refuses HEAD. What the
editor, the visitor and the quality score then see is checked as they see it."""
from __future__ import annotations

import http.server
import threading
import time

import pytest
from bs4 import BeautifulSoup

from ckan.cli.cli import ckan as ckan_cli
from ckan.lib import jobs as ckan_jobs

from .examples import ALLOWED_HOST
from .helpers import run_worker

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index", "clean_queues")

CSV = b"namn;antal\nKalmar;3\n"


class _Handler(http.server.BaseHTTPRequestHandler):
    def _answer(self, with_body: bool):
        self.server.requests.append((time.monotonic(), self.command, self.path))
        if self.path == "/bra.csv":
            return self._send(200, CSV, "text/csv; charset=utf-8", with_body)
        if self.path == "/fel500.csv":
            return self._send(500, b"fel", "text/plain", with_body)
        if self.path == "/seg.csv":
            time.sleep(4)  # test.ini: link checks wait 2 s
            return self._send(200, CSV, "text/csv", with_body)
        if self.path == "/slinga.csv":
            self.send_response(302)
            self.send_header("Location", "/slinga.csv")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return None
        if self.path == "/sida.csv":  # a CMS answering 200 with a page where the file used to be
            return self._send(200, b"<html><body>Sidan finns inte</body></html>", "text/html", with_body)
        if self.path == "/utan-head.csv":
            if self.command == "HEAD":
                return self._send(405, b"", "text/plain", False)
            self.send_response(206)
            self.send_header("Content-Type", "text/csv")
            self.send_header("Content-Range", f"bytes 0-{len(CSV) - 1}/{len(CSV)}")
            self.send_header("Content-Length", str(len(CSV)))
            self.end_headers()
            self.wfile.write(CSV)
            return None
        return self._send(404, b"saknas", "text/plain", with_body)

    def do_HEAD(self):  # noqa: N802 - the stdlib's name
        self._answer(False)

    def do_GET(self):  # noqa: N802
        self._answer(True)

    def _send(self, status, body, content_type, with_body):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if with_body:
            self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def municipal_server():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.requests = []
    threading.Thread(target=server.serve_forever, daemon=True).start()
    server.base = f"http://{ALLOWED_HOST}:{server.server_address[1]}"
    yield server
    server.shutdown()


FILES = {"bra": "/bra.csv", "saknas": "/saknas.csv", "fel500": "/fel500.csv", "seg": "/seg.csv",
         "slinga": "/slinga.csv", "sida": "/sida.csv", "utan-head": "/utan-head.csv"}


@pytest.fixture
def linked(api, sysadmin_with_token, municipal_server):
    token = sysadmin_with_token["token"]
    api("organization_create", token=token, name="kalmar-kommun", title="Kalmar kommun",
        email="oppnadata@kalmar.se")
    resources = [{"url": municipal_server.base + path, "name": name, "format": "CSV", "mimetype": "text/csv"}
                 for name, path in FILES.items()]
    dataset = api("package_create", token=token, name="lankar", title="Länkade filer", notes="x",
                  owner_org="kalmar-kommun", classification_confirmed=True, private=False,
                  resources=resources)["result"]
    # The files' DataStore loads were queued too; they fetch the files, and are not what is tested here.
    ckan_jobs.get_queue().empty()
    municipal_server.requests.clear()
    return {"token": token, "dataset": dataset}


def _checks(api, dataset_id):
    dataset = api("package_show", id=dataset_id)["result"]
    return {r["name"]: r.get("link_check") for r in dataset["resources"]}


def test_the_scheduled_check_records_what_each_link_answers(api, cli, linked, municipal_server):
    result = cli.invoke(ckan_cli, ["kalmar", "upkeep"])
    assert result.exit_code == 0, result.output
    run_worker(cli)
    checks = _checks(api, linked["dataset"]["id"])
    summary = {name: (c["status"], c.get("problem"), c.get("http_status")) for name, c in checks.items()}
    assert summary == {
        "bra": ("ok", None, 200),
        "saknas": ("broken", "http_error", 404),
        "fel500": ("broken", "http_error", 500),
        "seg": ("broken", "timeout", None),
        "slinga": ("broken", "refused", None),
        "sida": ("broken", "wrong_type", 200),
        "utan-head": ("ok", None, 206),
    }
    assert (checks["bra"]["content_type"], checks["bra"]["size"]) == ("text/csv", len(CSV))
    assert checks["utan-head"]["size"] == len(CSV)  # from the ranged GET's Content-Range
    assert checks["slinga"]["detail"]["sv"].endswith("fler än 5 omdirigeringar.")
    assert all(c["checked_at"] for c in checks.values())

    # Gently: a HEAD first everywhere, a GET only where HEAD was refused, and never two checks of the
    # host closer together than the configured pause (a check's redirect hops and its GET after a refused
    # HEAD belong to that check).
    requests = municipal_server.requests
    assert [m for _, m, p in requests if p == "/utan-head.csv"] == ["HEAD", "GET"]
    assert all(m == "HEAD" for _, m, p in requests if p != "/utan-head.csv")
    first_of_each_check = [t for t, m, p in requests if m == "HEAD" and p != "/slinga.csv"]
    gaps = [later - earlier for earlier, later in zip(first_of_each_check, first_of_each_check[1:])]
    assert len(gaps) == 5 and min(gaps) >= 0.45, gaps


def test_broken_links_are_shown_to_visitors_on_the_resource_and_to_editors_on_their_organization(
        app, api, cli, linked):
    cli.invoke(ckan_cli, ["kalmar", "upkeep"])
    run_worker(cli)
    dataset = api("package_show", id=linked["dataset"]["id"])["result"]
    by_name = {r["name"]: r for r in dataset["resources"]}

    page = BeautifulSoup(app.get(f"/dataset/lankar/resource/{by_name['saknas']['id']}").body, "html.parser")
    alert = page.select_one(".kalmar-link-broken").get_text(" ", strip=True)
    assert alert.startswith("Länken fungerade inte vid senaste kontrollen (")
    assert alert.endswith("): servern svarade med felkod 404.")
    assert " kl. " in alert
    sida = BeautifulSoup(app.get(f"/dataset/lankar/resource/{by_name['sida']['id']}").body, "html.parser")
    assert "adressen ger text/html i stället för filen (text/csv)" in \
        sida.select_one(".kalmar-link-broken").get_text(" ", strip=True)
    ok = BeautifulSoup(app.get(f"/dataset/lankar/resource/{by_name['bra']['id']}").body, "html.parser")
    assert ok.select_one(".kalmar-link-broken") is None
    assert ok.select_one(".kalmar-link-ok").get_text(" ", strip=True).startswith(
        "Länken fungerade vid senaste kontrollen")

    # The organization page: editors see the list, visitors do not.
    editor_page = BeautifulSoup(app.get("/organization/kalmar-kommun",
                                        headers={"Authorization": linked["token"]}).body, "html.parser")
    box = editor_page.select_one(".kalmar-broken-links")
    items = [li.get_text(" ", strip=True) for li in box.select("li")]
    assert len(items) == 5
    assert any(item.startswith("saknas (Länkade filer): servern svarade med felkod 404") for item in items)
    visitor_page = BeautifulSoup(app.get("/organization/kalmar-kommun").body, "html.parser")
    assert visitor_page.select_one(".kalmar-broken-links") is None

    # The region's overview counts them per organization.
    overview = BeautifulSoup(app.get("/oversikt").body, "html.parser")
    row = next(tr for tr in overview.select("table.kalmar-upkeep tbody tr") if "Kalmar kommun" in tr.get_text())
    assert [td.get_text(strip=True) for td in row.select("td")] == ["1", "0", "5"]
    shown = {o["name"]: o for o in api("overview_show")["result"]["organizations"]}
    assert shown["kalmar-kommun"]["broken_links"] == 5

    # The quality score reads the check: a broken link is not reachable.
    score = api("quality_show", id=dataset["id"])["result"]
    row = next(r for r in score["indicators"] if r["indicator"] == "download_url_reachable")
    assert not row["met"]


def test_a_checked_link_is_not_checked_again_until_its_time(api, cli, linked, municipal_server):
    cli.invoke(ckan_cli, ["kalmar", "upkeep"])
    run_worker(cli)
    first = _checks(api, linked["dataset"]["id"])
    municipal_server.requests.clear()
    cli.invoke(ckan_cli, ["kalmar", "upkeep"])
    run_worker(cli)
    assert municipal_server.requests == []
    assert _checks(api, linked["dataset"]["id"]) == first
