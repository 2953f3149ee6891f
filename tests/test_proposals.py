"""\"Ny datamängd från fil\" on the real stack (issue 28): an editor gives a file (upload or public link),
the portal makes a private draft in the editor's organization with the proposals and the file, and shows
what it found, the draft's quality and the specification check; the form marks the suggestions. Bad files
get a Swedish message and no draft. (The analysis itself: tests/unit/test_proposals.py.)"""
from __future__ import annotations

import http.server
import io
import pathlib
import threading

import pytest

import ckan.model as model

from .examples import ALLOWED_HOST, BADPLATSER
from .helpers import run_worker

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")

CORPUS = pathlib.Path(__file__).parents[1] / "bench" / "proposals" / "corpus"
KALMAR_EXTENT = "16.1346,56.8876,16.5810,57.2509"


@pytest.fixture
def portal(api, sysadmin_with_token, user_factory, api_token_factory):
    sys_token = sysadmin_with_token["token"]
    org = api("organization_create", token=sys_token, name="kalmar-kommun", title="Kalmar kommun",
              email="oppnadata@kalmar.se", spatial=KALMAR_EXTENT)["result"]
    other = api("organization_create", token=sys_token, name="nybro-kommun", title="Nybro kommun")["result"]
    editor = user_factory()
    api("organization_member_create", token=sys_token, id=org["id"], username=editor["name"], role="editor")
    return {"org": org, "other": other, "token": api_token_factory(user=editor["id"])["token"],
            "sysadmin": sys_token}


def _post(app, portal, filename=None, raw=None, status=302, **form):
    data = {"owner_org": portal["org"]["id"], **form}
    if filename is not None:
        data["upload"] = (io.BytesIO(raw if raw is not None else (CORPUS / filename).read_bytes()), filename)
    response = app.post("/dataset/fran-fil", headers={"Authorization": portal["token"]}, data=data,
                        content_type="multipart/form-data", follow_redirects=False)
    assert response.status_code == status, response.body[:3000]
    return response


def _datasets() -> int:
    model.Session.remove()
    return model.Session.query(model.Package).count()


def _draft(api, portal, response) -> dict:
    name = response.headers["Location"].rstrip("/").split("/")[-2]
    return api("package_show", token=portal["token"], id=name)["result"]


def test_the_page_is_for_editors_only(app, portal, user_factory, api_token_factory):
    page = app.get("/dataset/fran-fil", headers={"Authorization": portal["token"]})
    assert page.status_code == 200 and "Ny datamängd från fil" in page.body and "Kalmar kommun" in page.body
    assert "Nybro kommun" not in page.body  # only the editor's own organizations
    stranger = api_token_factory(user=user_factory()["id"])["token"]
    assert app.get("/dataset/fran-fil", headers={"Authorization": stranger}).status_code == 403
    assert app.get("/dataset/fran-fil", follow_redirects=False).status_code == 302  # to the login


def test_a_file_becomes_a_private_draft_with_the_proposals(app, api, portal):
    response = _post(app, portal, "Badplatser Borgholm.csv")
    assert response.headers["Location"].endswith("/forslag")
    draft = _draft(api, portal, response)
    assert draft["state"] == "draft" and draft["private"] is True
    assert draft["owner_org"] == portal["org"]["id"]
    assert draft["title"] == "Badplatser i Kalmar kommun"
    assert draft["conforms_to"] == [BADPLATSER]
    assert draft["theme"] and draft["sdg"]  # the specification's suggestions
    assert "badplatser" in [t["name"] for t in draft["tags"]]
    assert '"Polygon"' in draft["spatial"]  # from the file's coordinates, not the organization's box
    assert not draft.get("frequency")  # left to the editor
    [resource] = draft["resources"]
    assert resource["url_type"] == "upload" and resource["format"] == "CSV" and resource["mimetype"] == "text/csv"
    raw = (CORPUS / "Badplatser Borgholm.csv").read_bytes()
    assert int(resource["size"]) == len(raw) and len(resource["hash"]) == 40
    # Not public, not even findable for visitors.
    assert app.get(f"/dataset/{draft['name']}").status_code in (403, 404)

    page = app.get(response.headers["Location"], headers={"Authorization": portal["token"]})
    assert page.status_code == 200
    text = page.body
    assert "Kolumnerna Platsid, Namn, Latitud, Longitud, Toalett, Dusch, Beskrivning matchar Badplatser 1.0" in text
    assert "Förslag" in text and "Metadatakvalitet" in text
    assert "Ladda ner den rättade CSV-filen" in text
    assert "Platsid → place_id" in text
    # Names and labels, not the codes and URIs the dataset stores.
    suggested = text[text.index("Föreslagna värden"):text.index("Kontroll mot specifikationen")]
    assert "Badplatser 1.0" in suggested and "6. Rent vatten och sanitet för alla" in suggested
    assert "http" not in suggested

    corrected = app.get(f"/dataset/{draft['name']}/forslag/rattad.csv", headers={"Authorization": portal["token"]})
    assert corrected.status_code == 200 and corrected.headers["Content-Type"].startswith("text/csv")
    assert corrected.body.splitlines()[0] == "place_id,name,latitude,longitude,description,toilet,shower"

    form = app.get(f"/dataset/edit/{draft['name']}", headers={"Authorization": portal["token"]})
    assert "föreslogs från filen Badplatser Borgholm.csv" in form.body
    assert form.body.count("föreslaget från filen") >= 5


def test_a_drafts_proposal_is_for_its_own_editors_only(app, api, portal, user_factory, api_token_factory):
    draft = _draft(api, portal, _post(app, portal, "Badplatser Borgholm.csv"))
    outsider = user_factory()
    api("organization_member_create", token=portal["sysadmin"], id=portal["other"]["id"],
        username=outsider["name"], role="editor")
    other = {"Authorization": api_token_factory(user=outsider["id"])["token"]}
    for path in (f"/dataset/{draft['name']}/forslag", f"/dataset/{draft['name']}/forslag/rattad.csv"):
        for headers in ({}, other):
            response = app.get(path, headers=headers)
            assert response.status_code == 403 and "Stensö" not in response.body and "Strand 1" not in response.body
        assert app.get(path, headers={"Authorization": portal["sysadmin"]}).status_code == 200


def test_the_specification_check_is_shown_once_it_ran(app, api, portal, cli):
    response = _post(app, portal, "badplatser_kalmar.csv")
    page_address = response.headers["Location"]
    assert "kontrolleras mot Badplatser 1.0" in app.get(page_address, headers={"Authorization": portal["token"]}).body
    run_worker(cli)
    page = app.get(page_address, headers={"Authorization": portal["token"]}).body
    assert "Filen följer Badplatser 1.0." in page
    assert "Ladda ner den rättade CSV-filen" not in page  # it conforms already


def test_no_coordinates_gives_the_organizations_extent(app, api, portal):
    draft = _draft(api, portal, _post(app, portal, "bygglov_hogsby_2023.csv"))
    assert draft["spatial"].replace(" ", "").startswith('{"type":"Polygon"')
    assert draft["temporal_start"] == "2023-01-03" and draft["temporal_end"] == "2023-12-28"
    assert "conforms_to" not in draft or not draft["conforms_to"]


@pytest.mark.parametrize("filename, raw, message", [
    ("tom.csv", b"", "Filen är tom."),
    ("bild.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 20, "Filen är inte en textfil (CSV)."),
    ("utan_rubrik.csv", b"1;Stens\xf6;56,64;16,33\r\n2;Kalmarsund;56,66;16,36\r\n", "Filen saknar rubrikrad"),
    ("en_kolumn.csv", "namn\nStensö\nKalmarsund\n".encode(), "Filen har bara en kolumn."),
    ("stor.csv", b"namn;latitud\r\n" + b"x;56.6\r\n" * (100 * 1024 * 1024 // 8), "Filen är större än 50 MB."),
])
def test_bad_files_get_a_swedish_message_and_no_draft(app, portal, filename, raw, message):
    before = _datasets()
    page = _post(app, portal, filename, raw, status=400)
    assert "Inget utkast skapades" in page.body and message in page.body
    assert _datasets() == before


def test_an_organization_without_contact_address_gets_the_editors_as_a_suggestion(app, api, portal,
                                                                                  user_factory, api_token_factory):
    editor = user_factory(email="redaktor@nybro.example.org")
    api("organization_member_create", token=portal["sysadmin"], id=portal["other"]["id"], username=editor["name"],
        role="editor")
    nybro = {**portal, "org": portal["other"], "token": api_token_factory(user=editor["id"])["token"]}
    response = _post(app, nybro, "toaletter_emmaboda.csv")
    draft = _draft(api, nybro, response)
    assert draft["contact_email"] == "redaktor@nybro.example.org" and draft["state"] == "draft"
    page = app.get(response.headers["Location"], headers={"Authorization": nybro["token"]}).body
    assert "Organisationen har ingen kontakt-e-post: din egen föreslås." in page and "Kontakt-e-post" in page


def test_no_contact_address_anywhere_is_refused_with_what_to_do(app, api, portal, user_factory,
                                                                 api_token_factory):
    editor = user_factory()
    user = model.User.get(editor["id"])
    user.email = ""  # an account made before e-mail was asked for, or by a harvest of users
    model.Session.commit()
    api("organization_member_create", token=portal["sysadmin"], id=portal["other"]["id"], username=editor["name"],
        role="editor")
    nybro = {**portal, "org": portal["other"], "token": api_token_factory(user=editor["id"])["token"]}
    before = _datasets()
    page = _post(app, nybro, "toaletter_emmaboda.csv", status=400).body
    assert "Inget utkast skapades" in page
    assert "varken Nybro kommun eller ditt konto har någon" in page and "Redigera profil" in page
    assert _datasets() == before


def test_no_file_and_a_foreign_organization_are_refused(app, portal):
    before = _datasets()
    assert "Välj en CSV- eller XLSX-fil" in _post(app, portal, status=400).body
    page = _post(app, portal, "badplatser_kalmar.csv", status=400, owner_org=portal["other"]["id"])
    assert "Välj den organisation som datamängden hör till." in page.body
    assert _datasets() == before


class _Files(http.server.BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802
        body = (CORPUS / "toaletter_emmaboda.csv").read_bytes()
        self.send_response(200)
        self.send_header("Content-Type", "text/csv")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def municipal_server():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Files)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://{ALLOWED_HOST}:{server.server_address[1]}"
    server.shutdown()


def test_a_public_link_is_fetched_and_linked(app, api, portal, municipal_server):
    link = f"{municipal_server}/psidata/toaletter.csv"
    draft = _draft(api, portal, _post(app, portal, url=link))
    assert draft["conforms_to"] == ["https://lankadedata.se/spec/public-toilets/"]
    assert draft["resources"][0]["url"] == link
    refused = _post(app, portal, status=400, url="http://127.0.0.1:1/data.csv")
    assert "Inget utkast skapades" in refused.body
