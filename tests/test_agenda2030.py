"""Agenda 2030: the goal vocabulary, search facets, goal pages and actions, suggestions."""
from __future__ import annotations

import pytest

from .examples import DATA_LINK

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")


@pytest.fixture
def goal_datasets(api, sysadmin_with_token):
    """Kalmar kommun publishes a dataset linked to goals 6 and 11 and keeps a private one on goal 6."""
    token = sysadmin_with_token["token"]
    org = api("organization_create", token=token, name="kalmar-kommun", title="Kalmar kommun",
              email="oppnadata@kalmar.se")["result"]
    other = api("organization_create", token=token, name="nybro-kommun", title="Nybro kommun",
                email="oppnadata@nybro.se")["result"]
    public = api("package_create", token=token, name="badplatser", title="Badplatser", notes="x",
                 owner_org=org["id"], sdg=["6", "11"], classification_confirmed=True, private=False,
                 resources=[DATA_LINK])["result"]
    api("package_create", token=token, name="hemliga-vattenprover", title="Hemliga vattenprover", notes="x",
        owner_org=org["id"], sdg=["6"], private=True)
    api("package_create", token=token, name="nybro-energi", title="Energi i Nybro", notes="x",
        owner_org=other["id"], sdg=["7"], classification_confirmed=True, private=False, resources=[DATA_LINK])
    return {"public": public, "token": token}


class TestSearch:
    def test_goals_are_facets_with_swedish_names_counting_public_datasets_only(self, api, goal_datasets):
        result = api("package_search", **{"facet.field": ["vocab_sdg"], "rows": 0})["result"]
        assert result["facets"]["vocab_sdg"] == {"6": 1, "11": 1, "7": 1}
        names = {i["name"]: i["display_name"] for i in result["search_facets"]["vocab_sdg"]["items"]}
        assert names["6"] == "6. Rent vatten och sanitet för alla"
        assert names["11"] == "11. Hållbara städer och samhällen"

    def test_filter_by_goal(self, api, goal_datasets):
        for goal in ("6", "11"):
            found = api("package_search", fq=f"vocab_sdg:{goal}")["result"]
            assert [d["name"] for d in found["results"]] == ["badplatser"]
        assert api("package_search", fq="vocab_sdg:7")["result"]["results"][0]["name"] == "nybro-energi"

    def test_sysadmin_also_counts_the_private_dataset(self, api, goal_datasets):
        result = api("package_search", token=goal_datasets["token"], include_private=True,
                     **{"facet.field": ["vocab_sdg"], "rows": 0})["result"]
        assert result["facets"]["vocab_sdg"]["6"] == 2

    def test_search_page_and_organization_page_show_the_goal_facet(self, app, goal_datasets):
        page = app.get("/dataset/").body
        assert "Globala mål" in page
        assert "vocab_sdg=6" in page
        org_page = app.get("/organization/kalmar-kommun").body
        assert "Globala mål" in org_page and "vocab_sdg=11" in org_page
        filtered = app.get("/dataset/?vocab_sdg=11").body
        assert "Badplatser" in filtered and "Energi i Nybro" not in filtered


class TestGoalPages:
    def test_summary_action_counts_per_goal_and_organization(self, api, goal_datasets):
        summary = api("agenda2030_summary")["result"]
        assert len(summary["goals"]) == 17
        goals = {g["goal"]: g for g in summary["goals"]}
        assert goals["6"]["count"] == 1  # the private one is not counted for visitors
        assert goals["6"]["organizations"] == [{"name": "kalmar-kommun", "title": "Kalmar kommun", "count": 1}]
        assert goals["7"]["organizations"][0]["name"] == "nybro-kommun"
        assert goals["1"]["count"] == 0
        assert goals["6"]["uri"] == "http://metadata.un.org/sdg/6"
        assert summary["datasets_with_goals"] == 2

    def test_goal_action_lists_datasets_and_contributors(self, api, goal_datasets):
        goal = api("agenda2030_goal_show", id="http://metadata.un.org/sdg/6")["result"]
        assert goal["goal"] == "6" and goal["count"] == 1
        assert [d["name"] for d in goal["datasets"]] == ["badplatser"]
        assert [o["name"] for o in goal["organizations"]] == ["kalmar-kommun"]
        api("agenda2030_goal_show", id="18", status=404)

    def test_overview_page(self, app, goal_datasets):
        page = app.get("/agenda2030").body
        assert "Öppna data och de globala målen" in page
        assert "Rent vatten och sanitet för alla" in page
        assert "1 datamängd" in page
        assert "Hemliga vattenprover" not in page

    def test_goal_page(self, app, goal_datasets):
        page = app.get("/agenda2030/6").body
        assert "Mål 6: Rent vatten och sanitet för alla" in page
        assert "Badplatser" in page and "Kalmar kommun" in page
        assert "Hemliga vattenprover" not in page
        assert "http://metadata.un.org/sdg/6" in page
        for bad in ("0", "18", "x"):
            app.get(f"/agenda2030/{bad}", status=404)


def test_suggestions_from_the_specification_register(api):
    suggested = api("agenda2030_suggest", conforms_to="https://dataportal.se/specifications/badplatser/1.0")
    assert suggested["result"]["sdg"] == ["6", "11"]
    assert "http://publications.europa.eu/resource/authority/data-theme/ENVI" in suggested["result"]["theme"]
    assert api("agenda2030_suggest", conforms_to="https://example.org/okand")["result"] == {"sdg": [], "theme": []}


def test_goal_facets_carry_the_goal_colour_badge(app, goal_datasets):
    page = app.get("/dataset/").body
    assert 'nav[aria-label="Filtrera efter Globala mål"] a[href$="vocab_sdg=6"]::before' in page
    assert "background: #26BDE2; color: #000000;" in page
    assert "background: #19486A; color: #ffffff;" in page  # goal 17: white on dark blue
