"""Examples of use (reuse/): proposed by anyone through the form or the API, moderated by the region,
the proposer told by mail through a real SMTP server on loopback, shown on their own pages and as "Används
i" on each dataset's page, counted per organization in the overview; who may do what; bad input refused
in Swedish with nothing saved; images uploaded into storage or linked."""
from __future__ import annotations

import io
import os
import struct
import zlib

import pytest
from bs4 import BeautifulSoup

import ckan.model as model
from ckan.common import config

from ckanext.kalmar_oppnadata.reuse import store

from .examples import ALLOWED_HOST
from .helpers import run_worker

# A linked file on the tests' allowed host, on a port where nothing listens: a link check fails at once.
CLOSED_LINK = f"http://{ALLOWED_HOST}:9/data.csv"
PROPOSER = "anna.appbyggare@example.org"
APP = {"title": "Badkartan", "description": "En app som visar länets badplatser.", "url": "https://badkartan.example.org/",
       "kind": "app"}

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index", "clean_queues",
                                     "no_dialog_counts")

# Who may do what: everyone proposes and reads approved examples; only the region moderates.
USERS = ["anonymous", "editor of another organization", "editor of the organization",
         "admin of the organization", "editor of the region", "admin of the region", "sysadmin"]
REGION = {"editor of the region", "admin of the region", "sysadmin"}


@pytest.fixture
def portal(api, sysadmin_with_token, user_factory, api_token_factory):
    admin = sysadmin_with_token["token"]
    for name, title in (("region-kalmar-lan", "Region Kalmar län"), ("kalmar-kommun", "Kalmar kommun"),
                        ("nybro-kommun", "Nybro kommun")):
        api("organization_create", token=admin, name=name, title=title, email=f"oppnadata@{name}.se")
    common = dict(notes="x", classification_confirmed=True, resources=[{"url": CLOSED_LINK, "name": "Data"}])
    api("package_create", token=admin, name="badplatser", title="Badplatser", private=False,
        owner_org="kalmar-kommun", **common)
    api("package_create", token=admin, name="energi-nybro", title="Energi i Nybro", private=False,
        owner_org="nybro-kommun", **common)
    api("package_create", token=admin, name="utkast", title="Utkast om badvatten", private=True,
        owner_org="kalmar-kommun", **common)
    tokens = {"anonymous": None, "sysadmin": admin}
    for who, org, role in (("editor of the organization", "kalmar-kommun", "editor"),
                           ("admin of the organization", "kalmar-kommun", "admin"),
                           ("editor of another organization", "nybro-kommun", "editor"),
                           ("editor of the region", "region-kalmar-lan", "editor"),
                           ("admin of the region", "region-kalmar-lan", "admin")):
        user = user_factory()
        api("organization_member_create", token=admin, id=org, username=user["name"], role=role)
        tokens[who] = api_token_factory(user=user["id"])["token"]
    return {"tokens": tokens, "region": tokens["editor of the region"]}


def _text(body: str, selector: str = "body") -> str:
    found = BeautifulSoup(body, "html.parser").select_one(selector)
    return found.get_text(" ", strip=True) if found else ""


def propose(app, **fields):
    data = {**APP, "datasets": "http://test.ckan.net/dataset/badplatser\nenergi-nybro", "email": PROPOSER,
            "name": "Anna", **fields}
    return app.post("/anvandningsexempel/foresla", data=data, follow_redirects=False)


def _rows() -> int:
    return model.Session.query(store.reuse_table).count()


def test_a_proposal_waits_for_the_region_and_the_proposer_hears_when_it_is_published(app, api, cli, portal, mail):
    # The dataset page invites the visitor; the form knows the dataset.
    dataset_page = BeautifulSoup(app.get("/dataset/badplatser").body, "html.parser")
    assert _text(str(dataset_page), ".kalmar-reuse-box").startswith("Används i Inga användningsexempel")
    link = dataset_page.find("a", string="Har du använt datamängden? Föreslå ett användningsexempel")
    form = BeautifulSoup(app.get(link["href"]).body, "html.parser")
    assert form.select_one("#field-datasets").get_text() == "badplatser"

    response = propose(app)
    assert response.status_code == 302 and response.headers["Location"].endswith("/anvandningsexempel")
    assert "Tack! Regionen går igenom ditt exempel innan det visas." in _text(app.get("/anvandningsexempel").body)
    # Not shown before the region approved it, to anyone but the region.
    assert "Badkartan" not in app.get("/anvandningsexempel").body
    assert "Badkartan" not in app.get("/dataset/badplatser").body
    assert api("reuse_list")["result"] == []
    [pending] = api("reuse_list", token=portal["region"], state="pending")["result"]
    assert app.get(f"/anvandningsexempel/{pending['id']}").status_code == 404
    assert pending["state"] == "pending" and pending["name"] == "Anna" and "email" not in pending
    assert [d["name"] for d in pending["datasets"]] == ["badplatser", "energi-nybro"]

    moderation = app.get("/anvandningsexempel/moderera", headers={"Authorization": portal["region"]})
    assert "Badkartan" in _text(moderation.body, ".kalmar-reuse-proposal")
    approved = app.post(f"/anvandningsexempel/{pending['id']}/moderera", headers={"Authorization": portal["region"]},
                        data={"decision": "approve", "reason": ""}, follow_redirects=False)
    assert approved.status_code == 302
    run_worker(cli)
    [delivered] = mail.wait_for(1)
    assert delivered.recipients == [PROPOSER]
    assert delivered.message["Subject"] == "Ditt användningsexempel Badkartan är publicerat"
    assert f"/anvandningsexempel/{pending['id']}" in delivered.text

    listing = BeautifulSoup(app.get("/anvandningsexempel").body, "html.parser").select_one(".kalmar-reuse-list")
    assert listing.select_one("h2").get_text(strip=True) == "Badkartan"
    assert listing.select_one(".kalmar-reuse-kind").get_text(strip=True) == "App eller tjänst"
    assert [a.get_text() for a in listing.select(".kalmar-reuse-uses a")] == ["Badplatser", "Energi i Nybro"]
    page = app.get(f"/anvandningsexempel/{pending['id']}")
    assert _text(page.body, "h1") == "Badkartan"
    assert BeautifulSoup(page.body, "html.parser").find("a", string="Gå till Badkartan")["href"] == APP["url"]
    assert _text(app.get("/dataset/badplatser").body, ".kalmar-reuse-used-in") == "Badkartan (App eller tjänst)"
    english = app.get("/en/dataset/badplatser").body
    assert _text(english, ".kalmar-reuse-box").startswith("Used in Badkartan (App or service)")

    # The overview counts it for both organizations whose public datasets it uses.
    overview = {o["name"]: o["reuse"] for o in api("overview_show")["result"]["organizations"]}
    assert overview["kalmar-kommun"] == 1 and overview["nybro-kommun"] == 1 and overview["region-kalmar-lan"] == 0
    table = BeautifulSoup(app.get("/oversikt").body, "html.parser").select_one(".kalmar-reuse-counts")
    row = [r for r in table.select("tbody tr") if "Kalmar kommun" in r.get_text()][0]
    assert row.select_one("td").get_text(strip=True) == "1"


def test_a_declined_proposal_is_never_shown_and_the_proposer_gets_the_reason(app, api, cli, portal, mail):
    created = api("reuse_create", **APP, datasets=["badplatser"], email=PROPOSER)["result"]
    assert created["state"] == "pending"
    api("reuse_moderate", token=portal["region"], id=created["id"], decision="decline",
        reason="Länken fungerar inte.")
    run_worker(cli)
    [delivered] = mail.wait_for(1)
    assert delivered.message["Subject"] == "Ditt användningsexempel Badkartan publicerades inte"
    assert "Regionens kommentar:" in delivered.text and "Länken fungerar inte." in delivered.text
    assert api("reuse_list")["result"] == []
    api("reuse_show", id=created["id"], status=404)
    assert "Badkartan" not in app.get("/dataset/badplatser").body


def test_no_mail_without_an_address(app, api, cli, portal, mail):
    created = api("reuse_create", **APP, datasets=["badplatser"])["result"]
    api("reuse_moderate", token=portal["region"], id=created["id"], decision="approve")
    run_worker(cli)
    assert mail.delivered == []


@pytest.mark.parametrize("who", USERS)
def test_who_may_propose_read_and_moderate(app, api, portal, who):
    token = portal["tokens"][who]
    created = api("reuse_create", token=token, **APP, datasets=["badplatser"])["result"]
    region = who in REGION
    # The region's own examples are published at once; everyone else's wait.
    assert created["state"] == ("approved" if region else "pending")
    pending = api("reuse_create", **APP, datasets=["badplatser"])["result"]
    api("reuse_show", token=token, id=pending["id"], status=200 if region else 404)
    api("reuse_list", token=token, state="pending", status=200 if region else 403)
    approved = api("reuse_create", token=portal["tokens"]["sysadmin"], **APP, datasets=["badplatser"])["result"]
    assert api("reuse_show", token=token, id=approved["id"])["result"]["state"] == "approved"
    assert approved["id"] in [e["id"] for e in api("reuse_list", token=token)["result"]]
    status = 200 if region else 403
    api("reuse_moderate", token=token, id=pending["id"], decision="approve", status=status)
    api("reuse_update", token=token, id=approved["id"], title="Ny titel", status=status)
    api("reuse_delete", token=token, id=approved["id"], status=status)
    if region:
        api("reuse_show", id=approved["id"], status=404)
    else:
        assert api("reuse_show", id=approved["id"])["result"]["title"] == "Badkartan"
    assert app.get("/anvandningsexempel/moderera", headers={"Authorization": token} if token else {}
                   ).status_code == (200 if region else 403)


def test_bad_input_is_refused_in_swedish_at_the_field_and_nothing_is_saved(app, api, portal):
    cases = [({"title": ""}, "title", "Ge exemplet en titel"),
             ({"description": " "}, "description", "Beskriv exemplet"),
             ({"url": "javascript:alert(1)"}, "url", "Ange en webbadress som börjar med http:// eller https://"),
             ({"url": "ftp://example.org/app"}, "url", "Ange en webbadress som börjar med http:// eller https://"),
             ({"kind": "spel"}, "kind", "Välj vilken sorts exempel det är"),
             ({"datasets": []}, "datasets", "Ange minst en datamängd som exemplet använder"),
             ({"datasets": ["finns-inte"]}, "datasets", "Det finns ingen datamängd som heter finns-inte"),
             ({"datasets": ["utkast"]}, "datasets", "Det finns ingen datamängd som heter utkast"),  # private
             ({"image_url": "data:image/png;base64,AAAA"}, "image_url",
              "Ange bildens webbadress som börjar med http:// eller https://"),
             ({"email": "inte-en-adress"}, "email",
              "Ange en e-postadress som vi kan svara till, t.ex. namn@example.se"),
             ({"title": "x" * 201}, "title", "Högst 200 tecken (nu 201)")]
    for change, field, message in cases:
        data = {**APP, "datasets": ["badplatser"], **change}
        error = api("reuse_create", status=409, **data)["error"]
        assert error[field] == [message], (change, error)
    assert _rows() == 0
    # The form: the same message at the field and in the summary, the values kept.
    response = propose(app, url="javascript:alert(1)", title="")
    assert response.status_code == 400
    page = BeautifulSoup(response.body, "html.parser")
    assert page.select_one("#error-url").get_text(strip=True) == "Ange en webbadress som börjar med http:// eller https://"
    assert page.select_one("#error-title").get_text(strip=True) == "Ge exemplet en titel"
    assert page.select_one("#field-url")["aria-invalid"] == "true"
    assert "Exemplet sparades inte. Rätta detta:" in _text(response.body, ".alert-danger")
    assert page.select_one("#field-description").get_text() == APP["description"]
    assert _rows() == 0
    # A private dataset can be named only by those who may see it (here: the region's sysadmin).
    region = api("reuse_create", token=portal["tokens"]["sysadmin"], **APP, datasets=["utkast"])["result"]
    assert [d["name"] for d in region["datasets"]] == ["utkast"]


def _png(width: int = 2, height: int = 2, padding: int = 0) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    raw = b"".join(b"\x00" + b"\xff\x00\x00" * width for _ in range(height))
    extra = chunk(b"tEXt", b"c\x00" + os.urandom(padding)) if padding else b""
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)) + extra
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def _upload(app, image: bytes, filename: str, token=None):
    data = {**APP, "datasets": "badplatser", "image_upload": (io.BytesIO(image), filename)}
    headers = {"Authorization": token} if token else {}
    return app.post("/api/3/action/reuse_create", data=data, headers=headers, content_type="multipart/form-data")


def _stored_files() -> list[str]:
    folder = os.path.join(config["ckan.storage_path"], "storage", "uploads", "kalmar_reuse")
    return sorted(os.listdir(folder)) if os.path.isdir(folder) else []


def test_an_image_is_uploaded_into_storage_or_refused(app, api, portal):
    before = _stored_files()
    not_an_image = _upload(app, b"<script>alert(1)</script>", "bild.png")
    assert not_an_image.status_code == 409
    assert not_an_image.json["error"]["image_upload"] == ["Bilden ska vara en PNG-, JPEG-, WebP- eller GIF-fil"]
    too_big = _upload(app, _png(padding=2 * 1024 * 1024 + 10), "stor.png")
    assert too_big.status_code == 409
    assert too_big.json["error"]["image_upload"] == ["Bilden får vara högst 2 MB"]
    assert _rows() == 0 and _stored_files() == before

    created = _upload(app, _png(), "skarmbild.png")
    assert created.status_code == 200, created.body
    image_url = created.json["result"]["image_url"]
    assert image_url.startswith("http://test.ckan.net/uploads/kalmar_reuse/") and image_url.endswith(".png")
    served = app.get(image_url.replace("http://test.ckan.net", ""))
    assert served.status_code == 200 and served.data == _png()
    linked = api("reuse_create", **APP, datasets=["badplatser"], image_url="https://badkartan.example.org/bild.png")
    assert linked["result"]["image_url"] == "https://badkartan.example.org/bild.png"


def test_spam_defence_honeypot_and_rate_limit(app, api, portal):
    response = propose(app, webbplats="http://spam.example")
    assert response.status_code == 302
    assert _rows() == 0
    for _ in range(5):
        assert propose(app, email="").status_code == 302
    too_many = propose(app, email="")
    assert too_many.status_code == 429
    assert "För många meddelanden har skickats härifrån" in _text(too_many.body, ".alert-danger")
    api_too_many = app.post("/api/3/action/reuse_create", json={**APP, "datasets": ["badplatser"]})
    assert api_too_many.status_code == 429
    assert _rows() == 5
    # The region is not counted.
    api("reuse_create", token=portal["region"], **APP, datasets=["badplatser"])


def test_a_dataset_made_private_disappears_from_its_examples(app, api, portal):
    created = api("reuse_create", token=portal["region"], **APP, datasets=["badplatser", "energi-nybro"])["result"]
    api("package_patch", token=portal["tokens"]["sysadmin"], id="energi-nybro", private=True)
    shown = api("reuse_show", id=created["id"])["result"]
    assert [d["name"] for d in shown["datasets"]] == ["badplatser"]
    page = app.get(f"/anvandningsexempel/{created['id']}").body
    assert "Energi i Nybro" not in page and "energi-nybro" not in page
    # The editors of Nybro still see it.
    editor = api("reuse_show", token=portal["tokens"]["editor of another organization"], id=created["id"])["result"]
    assert [d["name"] for d in editor["datasets"]] == ["badplatser", "energi-nybro"]
    overview = {o["name"]: o["reuse"] for o in api("overview_show")["result"]["organizations"]}
    assert overview["nybro-kommun"] == 0 and overview["kalmar-kommun"] == 1
