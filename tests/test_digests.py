"""Subscriptions without an account (digests/): subscribing on a page, a confirmation by a signed link,
at most one digest a day of real changes to public datasets, one-click unsubscribing. Mail is read from a
real SMTP server on loopback; the jobs run in a real worker."""
from __future__ import annotations

import json
import re
from datetime import datetime, timedelta

import pytest
import sqlalchemy as sa
from bs4 import BeautifulSoup

import ckan.model as model
import ckan.plugins.toolkit as tk
from ckan.cli.cli import ckan as ckan_cli
from ckan.common import config
from ckan.lib import search

from ckanext.kalmar_oppnadata.digests.store import subscription_table
from ckanext.kalmar_oppnadata.jobs import queue

from .examples import ALLOWED_HOST
from .helpers import run_worker

# Linked files on the tests' allowed host, on a port where nothing listens: a link check fails at once,
# without going outside the machine.
CLOSED_LINK = f"http://{ALLOWED_HOST}:9/data.csv"

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index", "clean_queues",
                                     "no_dialog_counts")

FOLLOWER = "foljare@example.org"


@pytest.fixture
def portal(api, sysadmin_with_token):
    token = sysadmin_with_token["token"]
    org = api("organization_create", token=token, name="kalmar-kommun", title="Kalmar kommun",
              email="oppnadata@kalmar.se")["result"]

    def publish(name, private=False, **fields):
        fields.setdefault("title", name.capitalize())
        return api("package_create", token=token, name=name, notes="x",
                   owner_org="kalmar-kommun", classification_confirmed=True, private=private,
                   resources=[{"url": CLOSED_LINK, "name": "Data"}], **fields)["result"]

    return {"token": token, "org": org, "publish": publish, "dataset": publish("badplatser", sdg=["6"])}


def _links(text: str) -> list[str]:
    return re.findall(r"https?://\S+", text)


def _local(url: str) -> str:
    return url.removeprefix(config["ckan.site_url"])


def _a_day_passes():
    model.Session.execute(subscription_table.update().values(
        last_sent=datetime.utcnow() - timedelta(hours=25)))
    model.Session.commit()


def _made_long_ago(dataset_id: str, days: int = 2):
    """As if the dataset had been created and last saved ``days`` ago."""
    long_ago = datetime.utcnow() - timedelta(days=days)
    package = model.Package.get(dataset_id)
    package.extras = dict(package.extras, last_saved=long_ago.isoformat())
    package.metadata_created = long_ago
    model.repo.commit()
    search.rebuild(dataset_id)


def _upkeep(cli):
    assert cli.invoke(ckan_cli, ["kalmar", "upkeep"]).exit_code == 0
    run_worker(cli)


def _subscribe(app, cli, mail, topic_type, topic, page) -> str:
    """Subscribe on ``page`` as a visitor would, confirm from the mail; the unsubscribe link."""
    form = BeautifulSoup(app.get(page).body, "html.parser").select_one(".kalmar-subscribe form")
    data = {i["name"]: i.get("value", "") for i in form.select("input") if i.get("name")}
    assert (data["topic_type"], data["topic"]) == (topic_type, topic)
    data["email"] = FOLLOWER
    response = app.post(form["action"], data=data, follow_redirects=False)
    assert response.status_code == 302
    run_worker(cli)
    confirmation = mail.to(FOLLOWER)[-1]
    assert confirmation.recipients == [FOLLOWER]
    confirm, unsubscribe = _links(confirmation.text)[0], _links(confirmation.message["List-Unsubscribe"])[0]
    assert confirm.startswith(config["ckan.site_url"] + "/prenumerera/bekrafta/")
    page = BeautifulSoup(app.get(_local(confirm)).body, "html.parser")
    assert page.select_one("p.alert-success").get_text(strip=True).startswith("Tack! Du får högst ett mejl om dagen")
    return unsubscribe.rstrip(">")


def test_a_follower_of_a_dataset_gets_one_digest_a_day_of_real_changes(app, api, cli, portal, mail):
    unsubscribe = _subscribe(app, cli, mail, "dataset", portal["dataset"]["id"], "/dataset/badplatser")
    assert mail.to(FOLLOWER)[0].message["Subject"] == "Bekräfta din prenumeration på Badplatser"
    assert len(mail.to(FOLLOWER)) == 1

    _upkeep(cli)  # confirmed just now: nothing yet
    assert len(mail.to(FOLLOWER)) == 1

    # The portal's own job records a load on the file: not a change.
    _made_long_ago(portal["dataset"]["id"])
    _a_day_passes()
    resource_id = portal["dataset"]["resources"][0]["id"]
    tk.get_action("resource_patch")(queue.job_context(), {
        "id": resource_id, "datastore_load": json.dumps({"status": "complete", "rows": 1, "columns": 1})})
    _upkeep(cli)
    assert len(mail.to(FOLLOWER)) == 1

    # An editor adds a file: a change, told once.
    api("resource_create", token=portal["token"], package_id=portal["dataset"]["id"], name="Ny fil",
        url=CLOSED_LINK + "?ny")
    _upkeep(cli)
    assert len(mail.to(FOLLOWER)) == 2
    digest = mail.to(FOLLOWER)[1]
    assert digest.message["Subject"] == "Nytt från Öppna data i Kalmar län"
    assert "Uppdaterade datamängder:\n  - Badplatser: http://test.ckan.net/dataset/badplatser" in digest.text
    assert digest.message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    _upkeep(cli)
    assert len(mail.to(FOLLOWER)) == 2  # at most one a day

    # One click stops it.
    page = BeautifulSoup(app.get(_local(unsubscribe)).body, "html.parser")
    assert "Du följer inte längre det här" in page.get_text()
    _a_day_passes()
    api("package_patch", token=portal["token"], id="badplatser", notes="Ändrad igen.")
    _upkeep(cli)
    assert len(mail.to(FOLLOWER)) == 2


def test_a_follower_of_an_organization_hears_only_of_public_datasets(app, api, cli, portal, mail):
    _subscribe(app, cli, mail, "organization", portal["org"]["id"], "/organization/kalmar-kommun")
    _made_long_ago(portal["dataset"]["id"])
    _a_day_passes()
    portal["publish"]("hemlig-plan", private=True, title="Hemlig plan")
    portal["publish"]("luftkvalitet", title="Luftkvalitet")
    _upkeep(cli)
    digest = mail.to(FOLLOWER)[-1]
    assert "Kalmar kommun\nNya datamängder:\n  - Luftkvalitet: http://test.ckan.net/dataset/luftkvalitet\n" \
        "Sluta följa Kalmar kommun: http://test.ckan.net/prenumerera/avsluta/" in digest.text
    assert "Hemlig" not in digest.text and "hemlig-plan" not in digest.text


def test_a_follower_of_a_goal_hears_of_its_datasets(app, api, cli, portal, mail):
    _subscribe(app, cli, mail, "goal", "6", "/agenda2030/6")
    _made_long_ago(portal["dataset"]["id"])
    _a_day_passes()
    portal["publish"]("vattenkvalitet", title="Vattenkvalitet", sdg=["6"])
    portal["publish"]("energi", title="Energi", sdg=["7"])
    _upkeep(cli)
    digest = mail.to(FOLLOWER)[-1].text
    assert "Vattenkvalitet" in digest and "Energi" not in digest and "Badplatser" not in digest


def test_links_cannot_be_forged_and_private_datasets_cannot_be_followed(app, api, portal, mail):
    assert app.get("/prenumerera/bekrafta/inte-en-signatur").status_code == 404
    page = app.get("/prenumerera/avsluta/inte-en-signatur")
    assert page.status_code == 404 and "Länken gäller inte (längre)" in page.body
    private = portal["publish"]("utkast", private=True)
    refused = app.post("/prenumerera", data={"topic_type": "dataset", "topic": private["id"], "email": FOLLOWER})
    assert refused.status_code == 404
    assert model.Session.execute(sa.select(sa.func.count()).select_from(subscription_table)).scalar() == 0
    shown = app.get("/dataset/utkast", headers={"Authorization": portal["token"]}).body
    assert "kalmar-subscribe" not in shown


def test_one_click_unsubscribe_by_post_as_mail_programs_do(app, cli, portal, mail):
    unsubscribe = _subscribe(app, cli, mail, "dataset", portal["dataset"]["id"], "/dataset/badplatser")
    assert app.post(_local(unsubscribe), data={"List-Unsubscribe": "One-Click"}).status_code == 200
    assert model.Session.execute(sa.select(sa.func.count()).select_from(subscription_table)).scalar() == 0


def test_editors_get_a_weekly_summary_of_what_needs_their_attention(app, api, cli, portal, mail, user_factory):
    editor = user_factory(email="redaktor@kalmar.example.org")
    api("organization_member_create", token=portal["token"], id="kalmar-kommun", username=editor["name"],
        role="editor")
    late = portal["publish"]("luftkvalitet", title="Luftkvalitet",
                             frequency="http://publications.europa.eu/resource/authority/frequency/MONTHLY")
    _made_long_ago(late["id"], days=60)
    app.post("/api/3/action/question_create", json={"package_id": "badplatser", "message": "Finns fler badplatser?",
                                                     "email": FOLLOWER})
    _upkeep(cli)
    [summary] = mail.to("redaktor@kalmar.example.org")
    assert summary.message["Subject"] == "Veckosammanfattning för Kalmar kommun"
    assert "Datamängder som är försenade:\n  - Luftkvalitet: http://test.ckan.net/dataset/luftkvalitet" in summary.text
    assert "Frågor som inte besvarats än:\n  - Badplatser: Finns fler badplatser?" in summary.text
    assert FOLLOWER not in summary.text
    _upkeep(cli)
    assert len(mail.to("redaktor@kalmar.example.org")) == 1  # once a week


def test_a_subscription_made_in_the_english_ui_is_confirmed_in_english(app, cli, portal, mail):
    form = BeautifulSoup(app.get("/en/dataset/badplatser").body, "html.parser").select_one(".kalmar-subscribe form")
    data = {i["name"]: i.get("value", "") for i in form.select("input") if i.get("name")}
    assert form.select_one("button").get_text(strip=True) == "Follow"
    app.post(form["action"], data=dict(data, email=FOLLOWER), follow_redirects=False)
    run_worker(cli)
    [confirmation] = mail.to(FOLLOWER)
    assert confirmation.message["Subject"] == "Confirm your subscription to Badplatser"
    assert confirmation.text.startswith("Someone, hopefully you, asked to hear by e-mail when Badplatser changes")
