"""Organizations: schema validation, the idempotent `ckan kalmar setup`, and the /psidata addresses."""
from __future__ import annotations

import json

import pytest

import ckan.model as model
from ckan.cli.cli import ckan as ckan_cli

from .examples import DATA_LINK

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")


def org_count() -> int:
    return model.Session.query(model.Group).filter_by(is_organization=True).count()


class TestOrganizationSchema:
    def test_orgnr_accepted_in_both_forms_and_stored_canonically(self, api, sysadmin_with_token):
        token = sysadmin_with_token["token"]
        a = api("organization_create", token=token, name="org-a", title="A", identifier="2120000746")
        b = api("organization_create", token=token, name="org-b", title="B", identifier="212000-0746 ")
        assert a["result"]["identifier"] == b["result"]["identifier"] == "212000-0746"

    @pytest.mark.parametrize(
        "field, value, message",
        [
            ("identifier", "212000-0747", "kontrollsiffra"),
            ("identifier", "21200007", "tio siffror"),
            ("identifier", "abcdefghij", "tio siffror"),
            ("municipality_code", "880", "fyra siffror"),
            ("municipality_code", "08800", "fyra siffror"),
            ("url", "www.kalmar.se", "https://"),
            ("psidata_url", "javascript:alert(1)", "https://"),
            ("email", "inte-en-adress", "e-postadress"),
            ("geonames_uri", "http://example.org/x", "Geonames"),
            ("spatial", "17,57,16,58", "minsta"),
            ("spatial", "16,56,17", "fyra tal"),
            ("spatial", '{"type": "Polygon", "coordinates": [[[16,56],[17,57],[17,56],[16,57],[16,56]]]}',
             "ogiltig"),
            ("spatial", '{"type": "Point", "coordinates": [200, 56]}', "Longituden"),
            ("dcat_type", "http://purl.org/adms/publishertype/Alien", ""),
        ],
    )
    def test_bad_value_is_rejected_naming_the_field_and_nothing_is_saved(
        self, api, sysadmin_with_token, field, value, message
    ):
        # The portal's default language is Swedish, so the API answers in Swedish too.
        before = org_count()
        response = api("organization_create", token=sysadmin_with_token["token"], status=409,
                       name="bad-org", title="Bad", **{field: value})
        assert response["error"]["__type"] == "Validation Error"
        assert field in response["error"], response["error"]
        assert message.lower() in " ".join(response["error"][field]).lower()
        assert org_count() == before

    def test_extent_as_bbox_is_stored_as_geojson(self, api, sysadmin_with_token):
        org = api("organization_create", token=sysadmin_with_token["token"], name="bbox-org", title="Bbox",
                  spatial="16.52,56.67,17.13,57.37")["result"]
        geometry = json.loads(org["spatial"])
        assert geometry["type"] == "Polygon"
        xs = [x for x, _ in geometry["coordinates"][0]]
        assert min(xs) == 16.52 and max(xs) == 17.13

    def test_form_shows_swedish_error_at_the_field(self, app, sysadmin_with_token):
        page = app.post(
            "/organization/new",
            data={"name": "felaktig", "title": "Felaktig", "identifier": "212000-0747",
                  "dcat_type": "http://purl.org/adms/publishertype/LocalAuthority", "save": ""},
            headers={"Authorization": sysadmin_with_token["token"]},
        )
        assert "Organisationsnumrets kontrollsiffra stämmer inte" in page.body
        assert model.Group.get("felaktig") is None


class TestSetupCommand:
    def test_loads_the_thirteen_organizations_and_is_idempotent(self, cli, api):
        result = cli.invoke(ckan_cli, ["kalmar", "setup"])
        assert result.exit_code == 0, result.output
        assert "13 created" in result.output
        names = api("organization_list")["result"]
        assert len(names) == 13
        assert {"kalmar-kommun", "nybro-kommun", "borgholms-kommun", "region-kalmar-lan"} <= set(names)

        kalmar = api("organization_show", id="kalmar-kommun")["result"]
        assert kalmar["title"] == "Kalmar kommun"
        assert kalmar["identifier"] == "212000-0746"
        assert kalmar["municipality_code"] == "0880"
        assert kalmar["dcat_type"] == "http://purl.org/adms/publishertype/LocalAuthority"
        assert kalmar["geonames_uri"] == "http://sws.geonames.org/2702260"
        region = api("organization_show", id="region-kalmar-lan")["result"]
        assert region["dcat_type"] == "http://purl.org/adms/publishertype/RegionalAuthority"
        # Unconfirmed organisation numbers are never guessed.
        assert not region.get("identifier")
        assert not api("organization_show", id="nybro-kommun")["result"].get("identifier")

        modified = {n: api("organization_show", id=n)["result"]["id"] for n in names}
        again = cli.invoke(ckan_cli, ["kalmar", "setup"])
        assert again.exit_code == 0, again.output
        assert "0 created, 0 updated" in again.output
        assert {n: api("organization_show", id=n)["result"]["id"] for n in names} == modified

    def test_keeps_ui_edits_unless_told_to_overwrite_and_fills_empty_fields(self, cli, api, sysadmin_with_token):
        cli.invoke(ckan_cli, ["kalmar", "setup"])
        token = sysadmin_with_token["token"]
        api("organization_patch", token=token, id="kalmar-kommun", url="https://kalmar.se/ny")
        api("organization_patch", token=token, id="vasterviks-kommun", geonames_uri="")

        result = cli.invoke(ckan_cli, ["kalmar", "setup"])
        assert "kalmar-kommun: kept" in result.output
        assert api("organization_show", id="kalmar-kommun")["result"]["url"] == "https://kalmar.se/ny"
        # An emptied field is completed from the data file.
        assert api("organization_show", id="vasterviks-kommun")["result"]["geonames_uri"] == \
            "http://sws.geonames.org/2664201"

        cli.invoke(ckan_cli, ["kalmar", "setup", "--overwrite"])
        assert api("organization_show", id="kalmar-kommun")["result"]["url"] == "https://www.kalmar.se"

class TestPsidata:
    @pytest.fixture
    def kalmar_with_datasets(self, api, sysadmin_with_token):
        """Kalmar kommun with a public and a private dataset."""
        token = sysadmin_with_token["token"]
        org = api("organization_create", token=token, name="kalmar-kommun", title="Kalmar kommun",
                  identifier="212000-0746", email="oppnadata@kalmar.se")["result"]
        api("package_create", token=token, name="publik-badplatser", title="Badplatser publik",
            notes="Publik.", owner_org=org["id"], classification_confirmed=True, private=False, resources=[DATA_LINK])
        api("package_create", token=token, name="hemlig-plan", title="Hemlig plan", notes="Privat.",
            owner_org=org["id"], private=True)
        return org

    def test_html_lists_public_datasets_only(self, app, kalmar_with_datasets):
        page = app.get("/organization/kalmar-kommun/psidata").body
        assert "Badplatser publik" in page
        assert "Hemlig plan" not in page
        assert "/organization/kalmar-kommun/catalog.rdf" in page

    def test_rdf_clients_are_redirected_to_the_organization_catalog(self, app, kalmar_with_datasets):
        response = app.get("/organization/kalmar-kommun/psidata",
                           headers={"Accept": "application/rdf+xml"}, follow_redirects=False)
        assert response.status_code == 303
        assert response.headers["Location"].endswith("/organization/kalmar-kommun/catalog.rdf")

    def test_organization_catalog_has_only_public_datasets(self, app, kalmar_with_datasets):
        body = app.get("/organization/kalmar-kommun/catalog.ttl").body
        assert "Badplatser publik" in body
        assert "Hemlig plan" not in body

    def test_organization_page_shows_the_psidata_link(self, app, kalmar_with_datasets):
        page = app.get("/organization/kalmar-kommun").body
        assert "http://test.ckan.net/organization/kalmar-kommun/psidata" in page
        assert "Öppna data till er /psidata-sida" in page

    def test_unknown_organization_is_404(self, app):
        app.get("/organization/finns-inte/psidata", status=404)
        app.get("/organization/finns-inte/catalog.rdf", status=404)
