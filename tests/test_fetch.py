"""Fetching what users link to: public addresses only, at every hop (files/fetch.py).

A real HTTP server on loopback plays a municipality's web server. test.ini allows it under the
public-looking name ``oppen.kalmar.test`` (taken to be 127.0.0.1 without a DNS look-up); 127.0.0.1 itself,
``localhost``, private ranges and the cloud metadata address stay refused, also when a redirect leads there.
The checks that need no server (schemes, IP literals) are in tests/unit/test_fetch_addresses.py.
"""
from __future__ import annotations

import html
import http.server
import socket
import threading

import pytest

from ckan.cli.cli import ckan as ckan_cli

from ckanext.kalmar_oppnadata.files import fetch

from .examples import ALLOWED_HOST, DATA_LINK

CSV = "namn;antal\nKalmar;3\n"


class _Handler(http.server.BaseHTTPRequestHandler):
    """``/fil.csv`` a file; ``/till/<address>`` redirects to http://<address>/fil.csv; ``/slinga`` redirects
    to itself; ``/stor`` sends 5 MB."""

    def do_GET(self):  # noqa: N802 - the stdlib's name
        self.server.seen.append((self.path, self.headers.get("Host")))
        if self.path == "/fil.csv":
            return self._send(200, CSV.encode(), "text/csv")
        if self.path.startswith("/till/"):
            return self._redirect("http://" + self.path.removeprefix("/till/") + "/fil.csv")
        if self.path == "/slinga":
            return self._redirect("/slinga")
        if self.path == "/stor":
            return self._send(200, b"x" * (5 * 1024 * 1024), "text/plain")
        return self._send(404, b"saknas", "text/plain")

    def _send(self, status, body, content_type):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _redirect(self, location):
        self.send_response(302)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def municipal_server():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.seen = []
    threading.Thread(target=server.serve_forever, daemon=True).start()
    server.port = server.server_address[1]
    server.base = f"http://{ALLOWED_HOST}:{server.port}"
    yield server
    server.shutdown()


@pytest.fixture
def seen(municipal_server):
    municipal_server.seen.clear()
    return municipal_server.seen


@pytest.mark.usefixtures("with_plugins")
class TestFetch:
    def test_a_public_name_is_fetched_from_the_address_that_was_checked(self, municipal_server, seen):
        # The name does not exist in DNS: it is fetched only because the connection goes to the checked
        # (here: configured) address, with the name kept in the Host header.
        with pytest.raises(socket.gaierror):
            socket.getaddrinfo(ALLOWED_HOST, 80)
        fetched = fetch.fetch(f"{municipal_server.base}/fil.csv", limit=1000)
        assert fetched.status == 200 and fetched.body.decode() == CSV
        assert seen == [("/fil.csv", f"{ALLOWED_HOST}:{municipal_server.port}")]

    @pytest.mark.parametrize("target, shown", [
        ("127.0.0.1:{port}", "127.0.0.1"),
        ("10.20.30.40", "10.20.30.40"),
        ("192.168.1.1", "192.168.1.1"),
        ("169.254.169.254", "169.254.169.254"),
        ("localhost:{port}", "localhost"),
    ])
    def test_a_redirect_to_the_portals_own_network_is_not_followed(self, municipal_server, seen, target, shown):
        target = target.format(port=municipal_server.port)
        with pytest.raises(fetch.AddressRefused) as refused:
            fetch.fetch(f"{municipal_server.base}/till/{target}", limit=1000)
        assert shown in refused.value.sv and "inte en publik adress" in refused.value.sv.replace("inte är", "är inte")
        assert f"http://{target}/fil.csv" in refused.value.sv  # the hop that was refused is named
        # Only the first hop reached the server: the file behind the loopback redirect was never read.
        assert [path for path, _host in seen] == [f"/till/{target}"]

    def test_a_name_that_resolves_to_loopback_is_refused(self, municipal_server, seen):
        with pytest.raises(fetch.AddressRefused) as refused:
            fetch.fetch(f"http://localhost:{municipal_server.port}/fil.csv", limit=1000)
        assert "localhost pekar på" in refused.value.sv
        assert seen == []

    def test_redirects_are_limited(self, municipal_server, seen):
        with pytest.raises(fetch.AddressRefused) as refused:
            fetch.fetch(f"{municipal_server.base}/slinga", limit=1000)
        assert "omdirigeringar" in refused.value.sv
        assert len(seen) == fetch.MAX_REDIRECTS + 1

    def test_the_size_limit_holds_while_reading(self, municipal_server):
        fetched = fetch.fetch(f"{municipal_server.base}/stor", limit=1000)
        assert len(fetched.body) == 1000 and fetched.truncated

# ------------------------------------------------------------------ on a resource, through the real worker
@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index", "clean_queues", "with_test_worker")
def test_a_linked_file_redirected_to_the_metadata_address_is_not_fetched(app, api, cli, sysadmin_with_token,
                                                                        municipal_server, seen):
    token = sysadmin_with_token["token"]
    api("organization_create", token=token, name="kalmar-kommun", title="Kalmar kommun",
        email="oppnadata@kalmar.se")
    dataset = api("package_create", token=token, name="lankad-fil", title="Länkad fil", notes="x",
                  owner_org="kalmar-kommun", classification_confirmed=True, private=False,
                  resources=[DATA_LINK])["result"]
    good = api("resource_create", token=token, package_id=dataset["id"], name="bra.csv",
               url=f"{municipal_server.base}/fil.csv", format="CSV")["result"]
    bad = api("resource_create", token=token, package_id=dataset["id"], name="metadata.csv",
              url=f"{municipal_server.base}/till/169.254.169.254", format="CSV")["result"]
    result = cli.invoke(ckan_cli, ["kalmar", "jobs-worker", "--burst"])
    assert result.exit_code == 0, result.output

    shown = {r["id"]: r for r in api("package_show", token=token, id=dataset["id"])["result"]["resources"]}
    assert shown[good["id"]]["datastore_load"]["status"] == "complete"
    status = shown[bad["id"]]["datastore_load"]
    assert status["status"] == "error"
    assert status["message"] == ("Adressen http://169.254.169.254/fil.csv hämtas inte: "
                                 "169.254.169.254 är inte en publik adress.")
    assert ("/fil.csv", f"{ALLOWED_HOST}:{municipal_server.port}") in seen
    assert not any(path.startswith("/latest") for path, _ in seen)
    # The editor and the visitor read why on the resource page, in Swedish.
    page = html.unescape(app.get(f"/dataset/lankad-fil/resource/{bad['id']}").body)
    assert "169.254.169.254 är inte en publik adress" in page
