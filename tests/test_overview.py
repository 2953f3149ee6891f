"""The region's overview: coverage of requested datasets, metadata quality, and who may see what."""
from __future__ import annotations

import copy
import csv
import html
import io
import re

import pytest

from .examples import BADPLATSER, DATA_LINK, FULL, FULL_RESOURCE, GOOD
from .helpers import report, run_worker, upload

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
INVOICES = "https://lankadedata.se/spec/leverantorsreskontra/1.1"


@pytest.fixture
def seeded(api, sysadmin_with_token, user_factory, api_token_factory):
    """Kalmar and Borgholm publish bathing sites, Kalmar supplier invoices; Nybro keeps its bathing
    sites private. A Nybro editor may see that one, visitors may not."""
    token = sysadmin_with_token["token"]
    orgs = {}
    for name, title in (("kalmar-kommun", "Kalmar kommun"), ("borgholms-kommun", "Borgholms kommun"),
                        ("nybro-kommun", "Nybro kommun")):
        orgs[name] = api("organization_create", token=token, name=name, title=title,
                         email=f"oppnadata@{name}.se")["result"]
    public = dict(classification_confirmed=True, private=False, resources=[DATA_LINK])
    api("package_create", token=token, name="bad-kalmar", title="Badplatser Kalmar", notes="x",
        owner_org="kalmar-kommun", conforms_to=[BADPLATSER], **public)
    api("package_create", token=token, name="bad-borgholm", title="Badplatser Borgholm", notes="x",
        owner_org="borgholms-kommun", conforms_to=[BADPLATSER], **public)
    api("package_create", token=token, name="fakturor-kalmar", title="Leverantörsfakturor Kalmar", notes="x",
        owner_org="kalmar-kommun", conforms_to=[INVOICES], **public)
    api("package_create", token=token, name="bad-nybro", title="Badplatser Nybro (utkast)", notes="x",
        owner_org="nybro-kommun", answers=["badplatser"], private=True)
    editor = user_factory()
    api("organization_member_create", token=token, id="nybro-kommun", username=editor["name"], role="editor")
    return {"token": token, "nybro_editor": api_token_factory(user=editor["id"])["token"]}


def matrix(result):
    return {r["id"]: {org: [d["name"] for d in found] for org, found in r["organizations"].items() if found}
            for r in result["requested"] if r["publishers"]}


class TestCoverage:
    def test_visitors_see_exactly_the_published_public_datasets(self, api, seeded):
        result = api("overview_show")["result"]
        assert len(result["requested"]) == 28
        assert matrix(result) == {
            "badplatser": {"kalmar-kommun": ["bad-kalmar"], "borgholms-kommun": ["bad-borgholm"]},
            "leverantorsfakturor": {"kalmar-kommun": ["fakturor-kalmar"]},
        }
        totals = {o["name"]: o["requested_answered"] for o in result["organizations"]}
        assert totals == {"kalmar-kommun": 2, "borgholms-kommun": 1, "nybro-kommun": 0}
        assert "bad-nybro" not in {d["name"] for d in result["datasets"]}

    def test_private_datasets_count_for_those_allowed_to_see_them(self, api, seeded):
        for token in (seeded["nybro_editor"], seeded["token"]):
            result = api("overview_show", token=token)["result"]
            assert matrix(result)["badplatser"]["nybro-kommun"] == ["bad-nybro"]

    def test_page_and_csv(self, app, seeded):
        page = app.get("/oversikt").body
        assert "Vem publicerar vad" in page
        assert "Kalmar kommun publicerar Badplatser Kalmar" in page
        assert "Badplatser Nybro" not in page
        rows = list(csv.reader(io.StringIO(app.get("/oversikt.csv").body)))
        header = rows[0]
        bad = next(r for r in rows if r[1] == "Badplatser")
        assert bad[header.index("Kalmar kommun")] == "1" and bad[header.index("Nybro kommun")] == "0"
        assert bad[-1] == "2"
        assert rows[-1][1] == "Totalt"

    def test_answers_field_accepts_only_known_requests(self, api, seeded):
        error = api("package_create", token=seeded["token"], status=409, name="fel", title="Fel", notes="x",
                    owner_org="kalmar-kommun", answers=["finns-inte"])["error"]
        assert "answers" in error


def page_text(app, path):
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", app.get(path).body, flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", body)).split())


@pytest.mark.usefixtures("clean_queues", "with_test_worker")
class TestFailingFilesAndNextSteps:
    @pytest.fixture
    def checked(self, app, api, cli, seeded):
        """Borgholm's bathing sites file fails Badplatser 1.0 (no coordinates); Kalmar's passes."""
        kalmar = upload(app, seeded["token"], "bad-kalmar", GOOD.encode())
        borgholm = upload(app, seeded["token"], "bad-borgholm", b"place_id,name\n1,Byxelkrok\n")
        run_worker(cli)
        assert report(api, seeded["token"], kalmar["id"])["status"] == "valid"
        assert report(api, seeded["token"], borgholm["id"])["status"] == "invalid"
        return seeded

    def test_a_failing_file_is_published_with_errors_not_an_answer(self, app, api, checked):
        result = api("overview_show")["result"]
        bathing = next(r for r in result["requested"] if r["id"] == "badplatser")
        assert bathing["states"] == {"kalmar-kommun": "answers", "borgholms-kommun": "errors", "nybro-kommun": "none"}
        assert (bathing["publishers"], bathing["with_errors"]) == (1, 1)
        orgs = {o["name"]: o for o in result["organizations"]}
        borgholm = orgs["borgholms-kommun"]
        assert (borgholm["requested_answered"], borgholm["requested_with_errors"]) == (0, 1)
        text = page_text(app, "/oversikt")
        assert "Borgholms kommun: Badplatser Borgholm finns, med fel" in text
        assert "finns, med fel: filen följer inte sin specifikation" in text  # the legend
        rows = list(csv.reader(io.StringIO(app.get("/oversikt.csv").body)))
        header = rows[0]
        bad = next(r for r in rows if r[1] == "Badplatser")
        assert bad[header.index("Borgholms kommun")] == "0" and bad[-1] == "1"
        assert rows[-2][1] == "Finns, med fel" and rows[-2][header.index("Borgholms kommun")] == "1"

    def test_all_28_requests_are_numbered(self, app, api, checked):
        result = api("overview_show")["result"]
        assert [r["number"] for r in result["requested"]] == list(range(1, 29))
        assert [r["rank"] for r in result["requested"][:10]] == list(range(1, 11))
        text = page_text(app, "/oversikt")
        for number, request in enumerate(result["requested"], start=1):
            assert f"{number}. {request['name']}" in text

    def test_each_organization_gets_its_next_steps(self, app, api, checked):
        steps = {o["name"]: o["next_steps"] for o in api("overview_show")["result"]["organizations"]}
        assert [r["number"] for r in steps["kalmar-kommun"]["requested"]] == [1, 2, 3]
        assert [f["id"] for f in steps["borgholms-kommun"]["fix"]] == ["badplatser"]
        assert [d["name"] for d in steps["borgholms-kommun"]["fix"][0]["datasets"]] == ["bad-borgholm"]
        improve = steps["kalmar-kommun"]["improve"]
        assert len(improve) == 2 and [d["quality"] for d in improve] == sorted(d["quality"] for d in improve)
        assert all(d["advice"] and d["advice"][0]["advice"] for d in improve)
        assert steps["nybro-kommun"] == {"requested": steps["nybro-kommun"]["requested"], "fix": [], "improve": []}
        text = page_text(app, "/oversikt")
        assert "Nästa steg för varje organisation" in text
        assert "Rätta filen: Badplatser Borgholm (7. Badplatser: finns, med fel)" in text
        assert "Mest efterfrågat, inte publicerat än: 1. Företagsetableringar, 2. Vattenförbrukning, " \
               "3. Befolkningsprognoser" in text
        first = improve[0]
        assert f"Förbättra {first['title']} ({first['quality']} %): {first['advice'][0]['advice']}" in text


class TestQuality:
    def test_a_complete_dataset_scores_high(self, api, app, seeded):
        created = api("package_create", token=seeded["token"], owner_org="kalmar-kommun",
                      tags=[{"name": "bad"}], resources=[FULL_RESOURCE], **copy.deepcopy(FULL))["result"]
        score = api("quality_show", id=created["id"])["result"]
        missing = {i["indicator"] for i in score["indicators"] if not i["met"]}
        # Only what needs a portal upload and a passed check is missing for a linked file.
        assert missing == {"download_url", "download_url_reachable", "validation"}
        assert score["rating"] in ("good", "excellent")
        page = app.get(f"/dataset/{created['name']}").body
        assert "Metadatakvalitet" in page and f"{score['percent']} %" in page
        assert "Ladda upp filen i portalen" in page  # what to improve, in Swedish

    def test_organization_page_and_ranking(self, app, api, seeded):
        page = app.get("/organization/kalmar-kommun").body
        assert "Genomsnitt för 2 datamängder" in page
        ranking = api("overview_show")["result"]["quality_ranking"]
        assert {r["name"] for r in ranking} == {"kalmar-kommun", "borgholms-kommun"}
        assert ranking == sorted(ranking, key=lambda r: (-r["quality"], r["title"]))
        assert api("quality_show", id="bad-nybro", status=403)
