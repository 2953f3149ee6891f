"""Questions and error reports (dialog/): asked on a public dataset's page, mailed to its contact point
through a real SMTP server on loopback, answered by its editors, published with the answer; spam and abuse
refused; the asker's address never shown anywhere."""
from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from .examples import ALLOWED_HOST
from .helpers import run_worker

# Linked files on the tests' allowed host, on a port where nothing listens: a link check fails at once,
# without going outside the machine.
CLOSED_LINK = f"http://{ALLOWED_HOST}:9/data.csv"

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index", "clean_queues",
                                     "no_dialog_counts")

ASKER = "frida.forskare@lnu.example.org"
USERS = ["anonymous", "editor of another organization", "editor of the organization", "sysadmin"]


@pytest.fixture
def portal(api, sysadmin_with_token, user_factory, api_token_factory):
    admin = sysadmin_with_token["token"]
    for name in ("kalmar-kommun", "nybro-kommun"):
        api("organization_create", token=admin, name=name, title=name.replace("-", " ").title(),
            email=f"oppnadata@{name}.se")
    common = dict(notes="x", classification_confirmed=True, owner_org="kalmar-kommun",
                  resources=[{"url": CLOSED_LINK, "name": "Data"}])
    public = api("package_create", token=admin, name="badplatser", title="Badplatser", private=False,
                 contact_email="badplatser@kalmar.se", **common)["result"]
    private = api("package_create", token=admin, name="utkast", title="Utkast", private=True, **common)["result"]
    tokens = {"anonymous": None, "sysadmin": admin}
    for who, org in (("editor of the organization", "kalmar-kommun"),
                     ("editor of another organization", "nybro-kommun")):
        user = user_factory()
        api("organization_member_create", token=admin, id=org, username=user["name"], role="editor")
        tokens[who] = api_token_factory(user=user["id"])["token"]
    return {"public": public, "private": private, "tokens": tokens}


def ask(app, dataset="badplatser", **fields):
    data = {"kind": "question", "message": "Finns vattentemperaturen också?", "email": ASKER,
            "name": "Frida", **fields}
    return app.post(f"/dataset/{dataset}/fraga", data=data, follow_redirects=False)


def test_a_visitors_question_reaches_the_contact_point_and_the_answer_the_asker(app, api, cli, portal, mail):
    form = BeautifulSoup(app.get("/dataset/badplatser").body, "html.parser")
    link = form.find("a", string="Fråga eller rapportera fel")
    assert link["href"] == "/dataset/badplatser/fraga"
    page = BeautifulSoup(app.get(link["href"]).body, "html.parser")
    assert page.select_one("label[for=field-email]").get_text(strip=True) == "Din e-postadress"

    response = ask(app)
    assert response.status_code == 302 and response.headers["Location"].endswith("/dataset/badplatser")
    shown = BeautifulSoup(app.get("/dataset/badplatser").body, "html.parser").get_text(" ", strip=True)
    assert "Tack! Ditt meddelande har skickats till Kalmar Kommun." in shown
    run_worker(cli)
    delivered = mail.wait_for(1)
    assert [d.recipients for d in delivered] == [["badplatser@kalmar.se"]]
    assert delivered[0].message["Subject"] == "Fråga om Badplatser"
    assert delivered[0].message["Reply-To"] == ASKER
    assert "Finns vattentemperaturen också?" in delivered[0].text
    assert "Från: Frida" in delivered[0].text

    editor = portal["tokens"]["editor of the organization"]
    [question] = api("question_list", token=editor, owner_org="kalmar-kommun")["result"]
    assert question["message"] == "Finns vattentemperaturen också?" and "email" not in question
    api("question_answer", token=editor, id=question["id"], answer="Ja, från juni.", publish=True)
    run_worker(cli)
    answer_mail = mail.wait_for(2)[1]
    assert answer_mail.recipients == [ASKER]
    assert answer_mail.message["Subject"] == "Svar på din fråga om Badplatser"
    assert "Ja, från juni." in answer_mail.text

    dataset_page = BeautifulSoup(app.get("/dataset/badplatser").body, "html.parser")
    published = dataset_page.select_one(".kalmar-published-question").get_text(" ", strip=True)
    assert published == "Fråga: Finns vattentemperaturen också? Svar från Kalmar Kommun: Ja, från juni."


def test_the_askers_address_is_never_shown(app, api, cli, portal, mail):
    ask(app)
    admin = portal["tokens"]["sysadmin"]
    [question] = api("question_list", token=admin, package_id="badplatser")["result"]
    api("question_answer", token=admin, id=question["id"], answer="Svar.", publish=True)
    run_worker(cli)
    headers = {"Authorization": admin}
    answers = [app.get(path, headers=headers).body for path in (
        "/dataset/badplatser", "/organization/kalmar-kommun/fragor", "/organization/kalmar-kommun",
        "/catalog.ttl", "/dataset/badplatser.ttl", "/oversikt.csv", "/dataset/?q=frida",
        "/api/3/action/package_show?id=badplatser", "/api/3/action/package_search?q=frida",
        "/api/3/action/question_list?owner_org=kalmar-kommun")]
    assert all(ASKER not in body for body in answers)
    assert "Finns vattentemperaturen också?" in answers[1]


def test_text_is_escaped_everywhere(app, api, cli, portal, mail):
    attack = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    ask(app, message=attack, name=attack)
    admin = portal["tokens"]["sysadmin"]
    [question] = api("question_list", token=admin, owner_org="kalmar-kommun")["result"]
    api("question_answer", token=admin, id=question["id"], answer=attack, publish=True)
    for path in ("/organization/kalmar-kommun/fragor", "/dataset/badplatser"):
        body = app.get(path, headers={"Authorization": admin}).body
        assert "<script>alert(" not in body and "<img src=x" not in body
        assert "&lt;script&gt;alert(" in body


def test_flooding_is_refused_with_429_in_swedish(app, api, portal, mail):
    for n in range(5):
        assert ask(app, message=f"Fråga {n}").status_code == 302
    refused = ask(app, message="En till")
    assert refused.status_code == 429
    assert "För många meddelanden har skickats härifrån" in refused.body
    api_refused = app.post("/api/3/action/question_create", json={
        "package_id": "badplatser", "message": "Via API", "email": "annan@example.org"})
    assert api_refused.status_code == 429
    assert api_refused.json["error"]["message"].startswith("För många meddelanden")
    kept = api("question_list", token=portal["tokens"]["sysadmin"], package_id="badplatser")["result"]
    assert sorted(q["message"] for q in kept) == [f"Fråga {n}" for n in range(5)]


def test_a_bot_filling_the_honeypot_is_thanked_and_nothing_is_kept(app, api, portal, mail):
    response = ask(app, webbplats="http://spam.example")
    assert response.status_code == 302
    assert api("question_list", token=portal["tokens"]["sysadmin"], package_id="badplatser")["result"] == []


def test_bad_input_is_named_in_swedish_and_nothing_is_kept(app, api, portal, mail):
    page = ask(app, message="", email="inte-en-adress")
    assert page.status_code == 400
    errors = " ".join(BeautifulSoup(page.body, "html.parser").select_one(".alert-danger").get_text().split())
    assert "Meddelande: Skriv din fråga eller vad som är fel" in errors
    assert "Din e-postadress: Ange en e-postadress som vi kan svara till" in errors
    too_long = app.post("/api/3/action/question_create", json={
        "package_id": "badplatser", "message": "x" * 4001, "email": ASKER})
    assert too_long.status_code == 409
    assert too_long.json["error"]["message"] == ["Högst 4000 tecken (nu 4001)"]
    assert api("question_list", token=portal["tokens"]["sysadmin"], package_id="badplatser")["result"] == []


def test_a_private_dataset_has_no_form(app, portal):
    assert app.get("/dataset/utkast/fraga", headers={"Authorization": portal["tokens"]["sysadmin"]}).status_code == 404
    assert ask(app, dataset="utkast").status_code == 404
    refused = app.post("/api/3/action/question_create", json={
        "package_id": portal["private"]["id"], "message": "Hej", "email": ASKER})
    assert refused.status_code == 404
    page = app.get("/dataset/utkast", headers={"Authorization": portal["tokens"]["sysadmin"]}).body
    assert "/dataset/utkast/fraga" not in page


@pytest.mark.parametrize("who", USERS)
def test_only_the_organizations_editors_see_and_answer_questions(app, api, portal, mail, who):
    ask(app)
    admin = portal["tokens"]["sysadmin"]
    [question] = api("question_list", token=admin, owner_org="kalmar-kommun")["result"]
    token = portal["tokens"][who]
    allowed = who in ("editor of the organization", "sysadmin")
    status = 200 if allowed else 403
    api("question_list", token=token, status=status, owner_org="kalmar-kommun")
    api("question_list", token=token, status=status, package_id="badplatser")
    api("question_answer", token=token, status=status, id=question["id"], answer="Svar")
    headers = {"Authorization": token} if token else {}
    assert app.get("/organization/kalmar-kommun/fragor", headers=headers).status_code == status
