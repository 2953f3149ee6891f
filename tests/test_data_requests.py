"""Requests for data ("Önska data", data_requests/): asked through the form, approved by the region before
anyone else sees them, supported once per person, commented, linked to the register of requested datasets
and followed up; the requester and the supporters who left an address hear of each new status through a
real SMTP server on loopback. Who may do what is checked for every kind of user."""
from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from .examples import DATA_LINK
from .helpers import run_worker

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index", "clean_queues",
                                     "no_dialog_counts")

REQUESTER = "frida.forskare@lnu.example.org"
SUPPORTER = "sam.stod@example.org"
ROLES = ["anonymous", "editor of a municipality", "admin of a municipality", "editor of the region",
         "admin of the region", "sysadmin"]
REGION = ("editor of the region", "admin of the region", "sysadmin")


@pytest.fixture
def portal(api, sysadmin_with_token, user_factory, api_token_factory):
    admin = sysadmin_with_token["token"]
    for name, title in (("region-kalmar-lan", "Region Kalmar län"), ("kalmar-kommun", "Kalmar kommun"),
                        ("nybro-kommun", "Nybro kommun")):
        api("organization_create", token=admin, name=name, title=title, email=f"oppnadata@{name}.se")
    common = dict(notes="x", classification_confirmed=True, owner_org="kalmar-kommun")
    api("package_create", token=admin, name="laddplatser-kalmar", title="Laddplatser i Kalmar", private=False,
        resources=[DATA_LINK], **common)
    api("package_create", token=admin, name="hemligt-utkast", title="Hemligt utkast", private=True, **common)
    tokens = {"anonymous": None, "sysadmin": admin}
    for who, org, role in (("editor of a municipality", "kalmar-kommun", "editor"),
                           ("admin of a municipality", "kalmar-kommun", "admin"),
                           ("editor of the region", "region-kalmar-lan", "editor"),
                           ("admin of the region", "region-kalmar-lan", "admin")):
        user = user_factory()
        api("organization_member_create", token=admin, id=org, username=user["name"], role=role)
        tokens[who] = api_token_factory(user=user["id"])["token"]
    return {"tokens": tokens, "region": tokens["editor of the region"]}


def request_data(app, **fields):
    data = {"title": "Laddplatser för elbilar", "purpose": "En app som visar lediga laddplatser.",
            "municipalities": ["kalmar-kommun", "nybro-kommun"], "email": REQUESTER, **fields}
    return app.post("/onska-data/ny", data=data, follow_redirects=False)


def text(body: str, selector: str = "body") -> str:
    found = BeautifulSoup(body, "html.parser").select_one(selector)
    return " ".join(found.get_text(" ").split()) if found else ""


def forget_counts():
    from ckan.lib.redis import connect_to_redis

    redis = connect_to_redis()
    for key in redis.scan_iter("kalmar:dialog:data-request:*"):
        redis.delete(key)


def errors(body: str) -> str:
    """The page's error summary as read: "Field: message"."""
    return " ".join(BeautifulSoup(body, "html.parser").select_one(".alert-danger").get_text().split())


def update(app, token, expect=200, **data):
    """``data_request_update`` over HTTP (its ``status`` field is not the ``api`` fixture's HTTP status)."""
    response = app.post("/api/3/action/data_request_update", json=data,
                        headers={"Authorization": token} if token else {})
    assert response.status_code == expect, response.body[:2000]
    return response.json


def only_request(api, token):
    [found] = api("data_request_list", token=token)["result"]
    return found


def test_a_request_is_moderated_supported_followed_up_and_the_people_told(app, api, cli, portal, mail):
    start = BeautifulSoup(app.get("/").body, "html.parser")
    assert start.select_one("nav a[href='/onska-data']").get_text(strip=True) == "Önska data"
    assert start.select_one("footer a[href='/onska-data']") is not None
    form = BeautifulSoup(app.get("/onska-data/ny").body, "html.parser")
    assert form.select_one("label[for=field-title]").get_text(strip=True) == "Vilka data önskar du?"
    assert form.select_one("label[for=field-municipalities-nybro-kommun]").get_text(strip=True) == "Nybro kommun"

    response = request_data(app)
    assert response.status_code == 302 and response.headers["Location"].endswith("/onska-data")
    assert "Tack! Regionen läser ditt önskemål" in text(app.get("/onska-data").body)

    # Waiting: only the region sees it.
    assert api("data_request_list")["result"] == []
    assert "Laddplatser för elbilar" not in app.get("/onska-data").body
    waiting = only_request(api, portal["region"])
    assert waiting["approved"] is False and waiting["status"] == "new" and "email" not in waiting
    assert [m["title"] for m in waiting["municipalities"]] == ["Kalmar kommun", "Nybro kommun"]
    request_id = waiting["id"]
    assert app.get(f"/onska-data/{request_id}").status_code == 404
    api("data_request_support", id=request_id, status=404)

    # The region approves it through the page and links it to the study's "Laddplatser"? No such entry:
    # it is added to the register.
    page = app.post(f"/onska-data/{request_id}/hantera", headers={"Authorization": portal["region"]},
                    data={"approved": "on", "status": "new", "register_name": "Laddplatser för elbilar",
                          "register_name_en": "EV charging points", "organizations": ["kalmar-kommun"]},
                    follow_redirects=False)
    assert page.status_code == 302, text(page.body)
    shown = api("data_request_show", id=request_id)["result"]
    assert shown["approved"] is True
    assert shown["requested"] == {"id": "laddplatser-for-elbilar", "name": "Laddplatser för elbilar",
                                  "name_en": "EV charging points", "source": "request"}
    assert [o["name"] for o in shown["organizations"]] == ["kalmar-kommun"]
    assert "Laddplatser för elbilar" in text(app.get("/onska-data").body)

    # Supported: twice by the same browser counts once; a logged-in user, with an address, once more.
    for _ in range(2):
        assert app.post(f"/onska-data/{request_id}/stod", data={}, follow_redirects=False).status_code == 302
    assert "Du stöder redan detta önskemål." in text(app.get(f"/onska-data/{request_id}").body)
    supporter = portal["tokens"]["editor of a municipality"]
    assert api("data_request_support", token=supporter, id=request_id, email=SUPPORTER)["result"]["counted"] is True
    assert api("data_request_support", token=supporter, id=request_id)["result"] == {
        "id": request_id, "counted": False, "supporters": 2}
    assert text(app.get(f"/onska-data/{request_id}").body, ".kalmar-supporters") == "2"

    # The overview shows the new entry after the 28, with its demand.
    row = next(r for r in api("overview_show")["result"]["requested"] if r["id"] == "laddplatser-for-elbilar")
    assert row["number"] == 29 and row["source"] == "request"
    assert row["demand"] == {"requests": 1, "supporters": 2}
    # Datasets may now say they answer it.
    api("package_patch", token=portal["tokens"]["sysadmin"], id="laddplatser-kalmar",
        answers=["laddplatser-for-elbilar"])

    # Being handled, then published: each change mailed to the requester and the supporter.
    update(app, portal["region"], id=request_id, status="in_progress")
    run_worker(cli)
    delivered = mail.wait_for(2)
    assert sorted(d.recipients[0] for d in delivered) == [REQUESTER, SUPPORTER]
    assert delivered[0].message["Subject"] == 'Ditt önskemål om data "Laddplatser för elbilar": Under behandling'
    assert f"/onska-data/{request_id}" in delivered[0].text

    update(app, portal["region"], id=request_id, status="published", datasets=["laddplatser-kalmar"])
    run_worker(cli)
    published = mail.wait_for(4)[2:]
    assert sorted(d.recipients[0] for d in published) == [REQUESTER, SUPPORTER]
    assert "Laddplatser i Kalmar: http://test.ckan.net/dataset/laddplatser-kalmar" in published[0].text
    page = text(app.get(f"/onska-data/{request_id}").body)
    assert "Status Publicerad" in page and "Publicerad som Laddplatser i Kalmar" in page
    assert REQUESTER not in app.get(f"/onska-data/{request_id}", headers={"Authorization": portal["region"]}).body


def test_the_region_is_its_organizations_editors_and_admins_and_the_sysadmins(app, api, portal, mail):
    request_data(app)
    request_id = only_request(api, portal["tokens"]["sysadmin"])["id"]
    for who in ROLES:
        token = portal["tokens"][who]
        moderator = who in REGION
        headers = {"Authorization": token} if token else {}
        # Before approval only the region sees the request, in the list, the API and the page.
        assert len(api("data_request_list", token=token)["result"]) == (1 if moderator else 0), who
        api("data_request_show", token=token, id=request_id, status=200 if moderator else 404)
        assert app.get(f"/onska-data/{request_id}", headers=headers).status_code == (200 if moderator else 404)
        api("data_request_update", token=token, id=request_id, status=200 if moderator else 403,
            organizations=["nybro-kommun"])
        refused = app.post(f"/onska-data/{request_id}/hantera", headers=headers, data={"status": "new"},
                           follow_redirects=False)
        assert refused.status_code == (302 if moderator else 403), who
    api("data_request_update", token=portal["region"], id=request_id, approved=True)
    for who in ROLES:
        token = portal["tokens"][who]
        assert api("data_request_show", token=token, id=request_id)["result"]["id"] == request_id
        listed = api("data_request_list", token=token)["result"]
        assert [r["id"] for r in listed if r["approved"]] == [request_id]
        assert all(r["approved"] for r in listed) or who in REGION  # the others' new requests: the region's
        assert api("data_request_support", token=token, id=request_id)["success"] is True
        assert api("data_request_comment", token=token, id=request_id, text=f"Från {who}")["success"] is True
        forget_counts()  # each kind of user asks from a new hour (all of them come from 127.0.0.1 here)
        created = api("data_request_create", token=token, title=f"Önskat av {who}", purpose="Forskning",
                      municipalities=["region-kalmar-lan"])["result"]
        assert created["approved"] is False and set(created) == {"id", "status", "approved"}
    # The anonymous supporter of the API is counted by its address, the users by their accounts.
    assert api("data_request_show", id=request_id)["result"]["supporters"] == len(ROLES)


def test_bad_input_is_named_in_swedish_and_nothing_is_kept(app, api, portal, mail):
    page = request_data(app, title="", purpose="", municipalities=[], email="inte-en-adress")
    assert page.status_code == 400
    shown = errors(page.body)
    assert "Vilka data önskar du?: Skriv vilka data du önskar" in shown
    assert "Vad vill du använda dem till?: Skriv vad du skulle använda data till" in shown
    assert "Vilka kommuner?: Välj minst en kommun, eller Region Kalmar län för hela länet" in shown
    assert "Din e-postadress (frivilligt): Ange en e-postadress vi kan skriva till" in shown
    too_long = app.post("/api/3/action/data_request_create", json={
        "title": "x" * 201, "purpose": "p", "municipalities": ["kalmar-kommun"]})
    assert too_long.status_code == 409 and too_long.json["error"]["title"] == ["Högst 200 tecken (nu 201)"]
    unknown = app.post("/api/3/action/data_request_create", json={
        "title": "t", "purpose": "p", "municipalities": ["atlantis"]})
    assert unknown.json["error"]["municipalities"] == ["Okänd organisation 'atlantis'"]
    assert api("data_request_list", token=portal["region"])["result"] == []
    # A bot filling the honeypot is thanked; nothing is kept.
    assert request_data(app, webbplats="http://spam.example").status_code == 302
    assert api("data_request_list", token=portal["region"])["result"] == []


def test_the_regions_changes_are_checked_first_and_nothing_is_half_saved(app, api, portal, mail):
    request_data(app)
    region = portal["region"]
    request_id = only_request(api, region)["id"]
    refused = update(app, region, 409, id=request_id, approved=True, organizations=["kalmar-kommun"],
                     status="rejected")
    assert refused["error"]["reason"] == ["Skriv varför önskemålet avslås"]
    refused = update(app, region, 409, id=request_id, approved=True, status="published",
                     datasets=["hemligt-utkast", "finns-inte"])
    assert refused["error"]["datasets"] == ["'hemligt-utkast' är inte en publik datamängd",
                                            "'finns-inte' är inte en publik datamängd"]
    refused = update(app, region, 409, id=request_id, approved=True, register_name="Badplatser")
    assert refused["error"]["register_name"] == ["Registret har redan 'Badplatser': koppla önskemålet dit"]
    update(app, region, 409, id=request_id, requested_id="finns-inte")
    unchanged = only_request(api, region)
    assert unchanged["approved"] is False and unchanged["organizations"] == [] and unchanged["status"] == "new"
    assert [r["id"] for r in api("overview_show")["result"]["requested"]][-1] == "maltidsinformation"
    # On the page: the error named in Swedish, the form keeps what was typed.
    page = app.post(f"/onska-data/{request_id}/hantera", headers={"Authorization": region},
                    data={"approved": "on", "status": "rejected", "reason": ""})
    assert page.status_code == 400
    assert "Skäl till avslag: Skriv varför önskemålet avslås" in errors(page.body)
    # With a reason it is rejected, and the requester is told why.
    update(app, region, id=request_id, approved=True, status="rejected", reason="Kommunerna har inte dessa data.")
    assert "Skäl Kommunerna har inte dessa data." in text(app.get(f"/onska-data/{request_id}").body)


def test_linked_to_the_study_the_demand_shows_beside_coverage(app, api, portal, mail):
    request_data(app, title="Badplatser med vattentemperatur")
    request_id = only_request(api, portal["region"])["id"]
    api("data_request_update", token=portal["region"], id=request_id, approved=True, requested_id="badplatser")
    for who in ("editor of a municipality", "admin of a municipality"):
        api("data_request_support", token=portal["tokens"][who], id=request_id)
    row = next(r for r in api("overview_show")["result"]["requested"] if r["id"] == "badplatser")
    assert row["demand"] == {"requests": 1, "supporters": 2} and row["score"] == 18.0
    page = BeautifulSoup(app.get("/oversikt").body, "html.parser")
    bathing = next(tr for tr in page.select("table.kalmar-coverage tbody tr") if "Badplatser" in tr.th.get_text())
    assert bathing.select_one(".kalmar-demand-score").get_text(strip=True) == "18,0"
    assert bathing.select_one(".kalmar-demand").get_text(" ", strip=True) == "3 (1 önskemål, 2 stöd)"


def test_comments_are_plain_text_and_the_region_can_hide_them(app, api, portal, mail):
    request_data(app)
    request_id = only_request(api, portal["region"])["id"]
    api("data_request_update", token=portal["region"], id=request_id, approved=True)
    attack = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    assert app.post(f"/onska-data/{request_id}/kommentar", data={"text": attack, "name": attack},
                    follow_redirects=False).status_code == 302
    body = app.get(f"/onska-data/{request_id}").body
    assert "<script>alert(" not in body and "<img src=x" not in body and "&lt;script&gt;alert(" in body
    empty = app.post(f"/onska-data/{request_id}/kommentar", data={"text": " "})
    assert empty.status_code == 400 and "Kommentar: Skriv din kommentar" in errors(empty.body)
    [comment] = api("data_request_show", id=request_id)["result"]["comments"]
    api("data_request_update", token=portal["region"], id=request_id, hide_comments=[comment["id"]])
    assert api("data_request_show", id=request_id)["result"]["comments"] == []
    seen = api("data_request_show", token=portal["region"], id=request_id)["result"]["comments"]
    assert [c["hidden"] for c in seen] == [True]


def test_flooding_is_refused_with_429_in_swedish(app, portal, mail):
    for n in range(5):
        assert request_data(app, title=f"Önskemål {n}", email="").status_code == 302
    refused = request_data(app, title="Ett till", email="")
    assert refused.status_code == 429 and "För många meddelanden har skickats härifrån" in refused.body
    api_refused = app.post("/api/3/action/data_request_create", json={
        "title": "Via API", "purpose": "p", "municipalities": ["kalmar-kommun"]})
    assert api_refused.status_code == 429


def test_the_pages_in_english(app, api, portal, mail):
    page = BeautifulSoup(app.get("/en/onska-data/ny").body, "html.parser")
    assert page.select_one("h1").get_text(strip=True) == "Request a dataset"
    assert page.select_one("label[for=field-purpose]").get_text(strip=True) == "What would you use it for?"
    assert text(app.get("/en/onska-data").body, "h1") == "Request data"
