"""Real faults: the services are really stopped (Solr's process, the PostgreSQL cluster) and a jobs worker
is really killed with SIGKILL in the middle of a load; then everything is brought back with the stack's own
command. What visitors get meanwhile is checked as they would see it.

These tests stop the services every other test uses, so each restores them before it ends, also when it
fails (``scripts/stack services`` starts whatever is down).
"""
from __future__ import annotations

import html
import http.server
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import psutil
import pytest
import requests

import ckan.model as model
from ckan.cli.cli import ckan as ckan_cli

from .examples import ALLOWED_HOST

ROOT = Path(__file__).resolve().parents[1]
STACK = Path(os.environ.get("KALMAR_STACK_DIR", ROOT / ".stack"))
CKAN = str(Path(sys.executable).with_name("ckan"))
SOLR_PORT = int(os.environ.get("KALMAR_SOLR_PORT", "8983"))
PG_PORT = int(os.environ.get("KALMAR_PG_PORT", "5433"))


def _until(check, seconds: float, what: str):
    deadline = time.monotonic() + seconds
    while True:
        value = check()
        if value:
            return value
        assert time.monotonic() < deadline, f"{what} within {seconds} s"
        time.sleep(0.25)


def _restore_services() -> None:
    """The stack's own start of PostgreSQL, Redis and Solr (each only if down)."""
    result = subprocess.run([str(ROOT / "scripts/stack"), "services"], capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    model.Session.remove()
    model.meta.engine.dispose()  # connections from before the fault are gone
    from ckanext.datastore.backend import postgres as datastore_postgres

    datastore_postgres._dispose_engines()


def _solr_up() -> bool:
    try:
        return requests.get(f"http://127.0.0.1:{SOLR_PORT}/solr/ckan_test/select?q=*:*&rows=0", timeout=2).ok
    except requests.RequestException:
        return False


def _stop_solr() -> int:
    pid = int((STACK / "run" / "solr.pid").read_text())
    os.kill(pid, signal.SIGTERM)
    _until(lambda: not _solr_up(), 60, "Solr stopped")
    return pid


@pytest.fixture
def solr_stopped():
    pid = _stop_solr()
    try:
        yield
    finally:
        _until(lambda: not _pid_alive(pid), 60, "Solr's process ended")
        _restore_services()


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def _postmaster() -> tuple[int, str]:
    """The PostgreSQL server of the stack (pid, data directory), found by its port among the processes."""
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            args = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        words = [a.decode(errors="replace") for a in args if a]
        if words and words[0].endswith("/postgres") and "-p" in words and words[words.index("-p") + 1] == str(PG_PORT):
            return int(entry.name), words[words.index("-D") + 1]
    raise AssertionError(f"no PostgreSQL server on port {PG_PORT}")


@pytest.fixture
def postgres_stopped():
    _pid, data = _postmaster()
    command = ["/usr/lib/postgresql/15/bin/pg_ctl", "-D", data, "-m", "fast", "-w", "stop"]
    if os.geteuid() == 0:
        command = ["runuser", "-u", "postgres", "--", *command]
    model.Session.remove()
    subprocess.run(command, check=True, capture_output=True, cwd="/", timeout=120)
    try:
        yield
    finally:
        _restore_services()


@pytest.fixture
def bathing_sites(api, sysadmin_with_token):
    token = sysadmin_with_token["token"]
    api("organization_create", token=token, name="kalmar-kommun", title="Kalmar kommun",
        email="oppnadata@kalmar.se")
    dataset = api("package_create", token=token, name="badplatser-i-kalmar", title="Badplatser i Kalmar",
                  notes="Kommunens badplatser.", owner_org="kalmar-kommun", classification_confirmed=True,
                  private=False, resources=[{"url": "https://www.kalmar.se/badplatser", "format": "HTML"}]
                  )["result"]
    return {"token": token, "dataset": dataset}


def _visible_text(body: str) -> str:
    return html.unescape(body)


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
class TestSolrStopped:
    def test_during_the_fault(self, app, bathing_sites, request):
        name = bathing_sites["dataset"]["name"]
        for path in ("/catalog.rdf", "/catalog.ttl", "/organization/kalmar-kommun/catalog.ttl", "/oversikt"):
            assert app.get(path).status_code == 200, path
        request.getfixturevalue("solr_stopped")

        page = app.get(f"/dataset/{name}")
        assert page.status_code == 200 and "Badplatser i Kalmar" in page.body, page.body[-1500:]

        for path in ("/catalog.rdf", "/catalog.ttl", "/organization/kalmar-kommun/catalog.ttl"):
            response = app.get(path)
            assert response.status_code == 200, path
            assert response.headers["X-Kalmar-Stale"] == "search-unavailable", path
            assert "Badplatser i Kalmar" in response.body, path
        overview = app.get("/oversikt")
        assert overview.status_code == 200 and "Kalmar kommun" in overview.body

        for path in ("/dataset/", "/dataset/?q=bad", "/organization/kalmar-kommun"):
            response = app.get(path)
            assert response.status_code == 503, (path, response.status_code)
            text = _visible_text(response.body)
            assert "Sökindexet kan inte nås just nu" in text and "Traceback" not in text, path
            assert response.headers["Retry-After"]
        api = app.get("/api/3/action/package_search?q=bad")
        assert api.status_code == 503 and api.json["success"] is False
        assert "Sökindexet" in api.json["error"]["message"]
        health = app.get("/health")
        assert health.status_code == 503 and health.json["services"]["solr"]["ok"] is False

    def test_nothing_changed_during_the_fault_is_lost_or_leaked(self, app, api, bathing_sites, request):
        """A catalog kept before a dataset changed is not served from before that change."""
        app.get("/catalog.rdf")
        api("package_patch", token=bathing_sites["token"], id=bathing_sites["dataset"]["id"], private=True)
        request.getfixturevalue("solr_stopped")
        response = app.get("/catalog.rdf")
        assert response.status_code == 503
        assert "Badplatser i Kalmar" not in response.body


class _CutOffSolr(http.server.BaseHTTPRequestHandler):
    """Solr behind a proxy that ends its first answer to a page of datasets (1,000 of them: CKAN asks for
    1,001 rows) halfway, as a Solr node stopping while it sends an answer does: the answer looks complete
    to the client (HTTP/1.0, no length: it ends when the connection closes) but its JSON is cut off."""
    protocol_version = "HTTP/1.0"

    def _forward(self, method: str) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        upstream = requests.request(method, self.server.upstream + self.path, data=body or None, timeout=60,
                                    headers={"Content-Type": self.headers.get("Content-Type", "")})
        with self.server.lock:
            page = "/select" in self.path and "rows=1001" in self.path + body.decode(errors="replace")
            self.server.pages += page
            cut = page and not self.server.cut
            self.server.cut += cut
        self.send_response(upstream.status_code)
        self.send_header("Content-Type", upstream.headers.get("Content-Type", "application/json"))
        if not cut:
            self.send_header("Content-Length", str(len(upstream.content)))
        self.end_headers()
        self.wfile.write(upstream.content[: len(upstream.content) // 2] if cut else upstream.content)

    def do_GET(self):  # noqa: N802 - http.server's name
        self._forward("GET")

    def do_POST(self):  # noqa: N802 - http.server's name
        self._forward("POST")

    def log_message(self, *args):
        pass


@pytest.fixture
def solr_cutting_off(monkeypatch):
    """solr_url pointed at a _CutOffSolr in front of the real Solr."""
    from urllib.parse import urlsplit

    import ckan.plugins.toolkit as tk

    real = urlsplit(tk.config["solr_url"])
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _CutOffSolr)
    server.daemon_threads = True
    server.upstream, server.lock, server.pages, server.cut = f"{real.scheme}://{real.netloc}", threading.Lock(), 0, 0
    threading.Thread(target=server.serve_forever, daemon=True).start()
    monkeypatch.setitem(tk.config, "solr_url", f"http://127.0.0.1:{server.server_address[1]}{real.path}")
    yield server
    server.shutdown()
    server.server_close()


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
def test_a_page_of_datasets_cut_off_by_a_stopping_solr_node_is_asked_again(app, bathing_sites, solr_cutting_off):
    """Found by the cluster bench (bench/RESULTS-cluster.md): Solr node 2 stopped while it sent a page of the
    overview's datasets, and the overview answered 500. The page is now asked again (search/paging.py)."""
    overview = app.get("/oversikt")
    assert overview.status_code == 200, overview.body[-1500:]
    assert "Vem publicerar vad" in overview.body and "Kalmar kommun" in overview.body
    assert solr_cutting_off.cut == 1 and solr_cutting_off.pages >= 2  # cut off once, then asked again


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
def test_after_solr_is_back_everything_answers_fresh(app, bathing_sites):
    pid = _stop_solr()
    try:
        assert app.get("/dataset/").status_code == 503
    finally:
        _until(lambda: not _pid_alive(pid), 60, "Solr's process ended")
        _restore_services()
    search = app.get("/dataset/?q=badplatser")
    assert search.status_code == 200 and "Badplatser i Kalmar" in search.body
    catalog = app.get("/catalog.rdf")
    assert catalog.status_code == 200 and "X-Kalmar-Stale" not in catalog.headers


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
def test_postgres_stopped_gives_a_swedish_503_and_no_stack_trace(app, bathing_sites, request):
    name = bathing_sites["dataset"]["name"]
    request.getfixturevalue("postgres_stopped")
    for path in (f"/dataset/{name}", "/dataset/", "/organization/kalmar-kommun", "/"):
        response = app.get(path)
        assert response.status_code == 503, (path, response.status_code, response.body[-1500:])
        text = _visible_text(response.body)
        assert "Portalens databas kan inte nås just nu" in text, path
        assert "Traceback" not in text and "psycopg2" not in text and "OperationalError" not in text, path
    api = app.post("/api/3/action/package_show", json={"id": name})
    assert api.status_code == 503 and api.json["success"] is False
    assert "databas" in api.json["error"]["message"]
    assert app.get("/health").status_code == 503


# ------------------------------------------------------------------- a worker killed in the middle of a load
ROWS = 400


class _SlowFile(http.server.BaseHTTPRequestHandler):
    """A municipality's slow server: the CSV's header at once, then a row every half second, unless the
    server was told to be quick."""

    def do_GET(self):  # noqa: N802
        self.send_response(200)
        self.send_header("Content-Type", "text/csv")
        self.end_headers()
        self.wfile.write(b"namn;antal\n")
        for number in range(ROWS):
            self.wfile.write(f"Plats {number};{number}\n".encode())
            self.wfile.flush()
            if not self.server.quick.is_set():
                time.sleep(0.5)

    def log_message(self, *args):
        pass


@pytest.fixture
def slow_server():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _SlowFile)
    server.quick = threading.Event()
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server
    server.quick.set()
    server.shutdown()


def _kill_tree(pid: int) -> None:
    """SIGKILL to a process and everything it started: a machine or container dying, no goodbye."""
    try:
        process = psutil.Process(pid)
        victims = [process, *process.children(recursive=True)]
    except psutil.NoSuchProcess:
        return
    for victim in victims:
        try:
            victim.kill()
        except psutil.NoSuchProcess:
            pass


def _forget_worker(pid: int) -> None:
    """A killed worker stays in RQ's register until its RQ heartbeat expires (minutes): take it out, so
    that later tests count only live workers. The lock of the scheduler that died with it (it expires after
    a minute) goes too, so that the next test's worker runs the scheduled jobs at once (no two of the
    tests' long-running workers run at the same time)."""
    from rq import Worker
    from rq.scheduler import RQScheduler

    from ckan.lib import jobs as ckan_jobs

    queue = ckan_jobs.get_queue()
    for worker in Worker.all(connection=queue.connection, queue=queue):
        if worker.pid == pid:
            worker.register_death()
    queue.connection.delete(RQScheduler.get_locking_key(queue.name))


def _load_status(api, token, resource_id):
    return api("resource_show", token=token, id=resource_id)["result"].get("datastore_load") or {}


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index", "clean_queues")
def test_a_worker_killed_during_a_load_shows_interrupted_and_the_load_is_queued_again(app, api, cli, bathing_sites,
                                                                                     slow_server):
    token = bathing_sites["token"]
    url = f"http://{ALLOWED_HOST}:{slow_server.server_address[1]}/platser.csv"
    resource = api("resource_create", token=token, package_id=bathing_sites["dataset"]["id"], name="platser.csv",
                   url=url, format="CSV")["result"]
    log = open(STACK / "logs" / "test-killed-worker.log", "w")
    worker = subprocess.Popen([CKAN, "-c", str(ROOT / "test.ini"), "kalmar", "jobs-worker"], env=os.environ,
                              stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        _until(lambda: _load_status(api, token, resource["id"]).get("status") == "loading", 120,
               "the worker started loading")
        _kill_tree(worker.pid)  # the worker and the work horse it forked (RQ gives it a session of its own)
        worker.wait(timeout=30)
    finally:
        if worker.poll() is None:
            _kill_tree(worker.pid)
        log.close()
        _forget_worker(worker.pid)

    # Within the heartbeat's lifetime (test.ini: 4 s) the resource page says the load was interrupted.
    page = lambda: _visible_text(app.get(f"/dataset/{bathing_sites['dataset']['name']}/resource/{resource['id']}").body)
    _until(lambda: "Inläsningen avbröts" in page(), 60, "the load shown as interrupted")
    assert _load_status(api, token, resource["id"])["status"] == "loading"  # what the dead job left

    slow_server.quick.set()
    result = cli.invoke(ckan_cli, ["kalmar", "queue-pending"])
    assert result.exit_code == 0 and "1 job(s) queued" in result.output, result.output
    result = cli.invoke(ckan_cli, ["kalmar", "jobs-worker", "--burst"])
    assert result.exit_code == 0, result.output
    status = _load_status(api, token, resource["id"])
    assert status["status"] == "complete" and status["rows"] == ROWS
    rows = api("datastore_search", resource_id=resource["id"], limit=1)["result"]
    assert rows["total"] == ROWS
    assert "Inläsningen avbröts" not in page()


@pytest.mark.usefixtures("with_plugins", "clean_queues")
def test_health_reports_the_jobs_worker_and_the_harvest_consumers(app):
    def processes():
        response = app.get("/health")
        assert response.status_code == 200  # the services are up; a process down does not make it 503
        return response.json["processes"]

    before = processes()["jobs_worker"]["count"]
    log = open(STACK / "logs" / "test-health-processes.log", "w")
    started = [subprocess.Popen([CKAN, "-c", str(ROOT / "test.ini"), *command], env=os.environ, stdout=log,
                                stderr=subprocess.STDOUT, start_new_session=True)
               for command in (["kalmar", "jobs-worker"], ["kalmar", "harvest-consumer", "gather"],
                               ["kalmar", "harvest-consumer", "fetch"])]
    try:
        alive = _until(lambda: (lambda p: p if p["ok"] and p["jobs_worker"]["count"] > before else None)(
            processes()), 120, "all processes reported")
        assert alive["jobs_worker"]["count"] == before + 1
        assert alive["harvest_gather"]["seconds_since_heartbeat"] < 10
        # A consumer killed without a goodbye: reported down once its heartbeat expires (test.ini: 4 s).
        os.killpg(started[1].pid, signal.SIGKILL)
        _until(lambda: processes()["harvest_gather"]["ok"] is False, 30, "the killed consumer reported down")
        assert processes()["harvest_fetch"]["ok"] is True
        # A worker stopped normally leaves RQ's register at once.
        os.killpg(started[0].pid, signal.SIGTERM)
        started[0].wait(timeout=60)
        _until(lambda: processes()["jobs_worker"]["count"] == before, 30, "the stopped worker gone")
        if before == 0:
            assert processes()["jobs_worker"]["ok"] is False
    finally:
        for process in started:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=30)
        log.close()
