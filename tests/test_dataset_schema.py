"""The Swedish dataset schema: round trip, defaults, validation of every field, the classification gate,
upload checksums and the web form."""
from __future__ import annotations

import copy
import hashlib
import io

import pytest

import ckan.model as model

from .examples import DATA_LINK, FULL, FULL_RESOURCE

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")

EU = "http://publications.europa.eu/resource/authority/"


@pytest.fixture
def kalmar_org(api, sysadmin_with_token):
    return api("organization_create", token=sysadmin_with_token["token"], name="kalmar-kommun",
               title="Kalmar kommun", identifier="212000-0746", email="oppnadata@kalmar.se",
               contact_name="Kalmar kommun, kommunledningskontoret", geonames_uri="2702260",
               spatial="15.7406,56.4705,16.4694,56.9363")["result"]


@pytest.fixture
def sysadmin_token(sysadmin_with_token):
    return sysadmin_with_token["token"]


def package_count() -> int:
    return model.Session.query(model.Package).count()


class TestRoundTrip:
    def test_every_field_round_trips_unchanged(self, api, sysadmin_token, kalmar_org):
        data = dict(FULL, owner_org=kalmar_org["id"], tags=[{"name": "bad"}, {"name": "strand"}],
                    resources=[FULL_RESOURCE])
        created = api("package_create", token=sysadmin_token, **copy.deepcopy(data))["result"]
        shown = api("package_show", id=created["id"])["result"]
        for key, value in FULL.items():
            assert shown[key] == value, key
        assert shown["applicable_legislation"] == ["http://data.europa.eu/eli/reg_impl/2023/138/oj"]
        assert sorted(t["name"] for t in shown["tags"]) == ["bad", "strand"]
        resource = shown["resources"][0]
        for key, value in FULL_RESOURCE.items():
            assert resource[key] == value, key

        # Saving what package_show returned changes nothing.
        again = api("package_update", token=sysadmin_token, **copy.deepcopy(shown))["result"]
        for key in list(FULL) + ["applicable_legislation"]:
            assert again[key] == shown[key], key

    def test_codes_and_uris_are_both_accepted(self, api, sysadmin_token, kalmar_org):
        created = api("package_create", token=sysadmin_token, name="koder", title="Koder", notes="x",
                      owner_org=kalmar_org["id"], theme="ENVI,TRAN", sdg=["http://metadata.un.org/sdg/6", 14],
                      frequency="MONTHLY", access_rights=EU + "access-right/RESTRICTED",
                      license_id="http://creativecommons.org/publicdomain/zero/1.0/", language="ENG",
                      hvd_category="c_e1da4e07", spatial_uri="http://sws.geonames.org/2702260/")["result"]
        assert created["theme"] == [EU + "data-theme/ENVI", EU + "data-theme/TRAN"]
        assert created["sdg"] == ["6", "14"]
        assert created["frequency"] == EU + "frequency/MONTHLY"
        assert created["access_rights"] == EU + "access-right/RESTRICTED"
        assert created["license_id"] == "CC0-1.0"
        assert created["license_url"] == "http://creativecommons.org/publicdomain/zero/1.0/"
        assert created["language"] == [EU + "language/ENG"]
        assert created["hvd_category"] == "http://data.europa.eu/bna/c_e1da4e07"
        assert created["spatial_uri"] == "http://sws.geonames.org/2702260"


class TestDefaults:
    def test_minimal_dataset_gets_the_documented_defaults(self, api, sysadmin_token, kalmar_org):
        created = api("package_create", token=sysadmin_token, name="minimal", title="Minimal", notes="Kort.",
                      owner_org=kalmar_org["id"], contact_email="fritid@kalmar.se")["result"]
        assert created["license_id"] == "CC0-1.0"
        assert created["access_rights"] == EU + "access-right/PUBLIC"
        assert created["language"] == [EU + "language/SWE"]
        # From the organization:
        assert created["contact_name"] == "Kalmar kommun, kommunledningskontoret"
        assert created["spatial_uri"] == "http://sws.geonames.org/2702260"
        assert '"Polygon"' in created["spatial"]
        # Not confirmed as classified public: saved as private.
        assert created["classification_confirmed"] is False
        assert created["private"] is True
        assert created["theme"] == [] and created["sdg"] == []

    def test_contact_email_defaults_from_the_organization(self, api, sysadmin_token, kalmar_org):
        created = api("package_create", token=sysadmin_token, name="utan-epost", title="Utan e-post", notes="x",
                      owner_org=kalmar_org["id"])["result"]
        assert created["contact_email"] == "oppnadata@kalmar.se"

    def test_contact_email_is_required_when_the_organization_has_none(self, api, sysadmin_token):
        org = api("organization_create", token=sysadmin_token, name="nybro-kommun", title="Nybro kommun")["result"]
        error = api("package_create", token=sysadmin_token, status=409, name="x-nybro", title="X", notes="x",
                    owner_org=org["id"])["error"]
        assert "contact_email" in error
        assert package_count() == 0


class TestClassificationGate:
    def test_unconfirmed_dataset_cannot_be_made_public(self, api, sysadmin_token, kalmar_org):
        error = api("package_create", token=sysadmin_token, status=409, name="oklassad", title="Oklassad", notes="x",
                    owner_org=kalmar_org["id"], private=False)["error"]
        assert "klassats som offentlig" in " ".join(error["classification_confirmed"])
        assert package_count() == 0

    def test_private_draft_then_confirm_and_publish(self, api, sysadmin_token, kalmar_org):
        created = api("package_create", token=sysadmin_token, name="utkast", title="Utkast", notes="x",
                      owner_org=kalmar_org["id"], private=True, resources=[DATA_LINK])["result"]
        api("package_patch", token=sysadmin_token, status=409, id=created["id"], private=False)
        assert api("package_show", token=sysadmin_token, id=created["id"])["result"]["private"] is True
        published = api("package_patch", token=sysadmin_token, id=created["id"], private=False,
                        classification_confirmed=True)["result"]
        assert published["private"] is False

    def test_withdrawing_the_confirmation_of_a_public_dataset_is_refused(self, api, sysadmin_token, kalmar_org):
        created = api("package_create", token=sysadmin_token, name="publik", title="Publik", notes="x",
                      owner_org=kalmar_org["id"], private=False, classification_confirmed=True,
                      resources=[DATA_LINK])["result"]
        api("package_patch", token=sysadmin_token, status=409, id=created["id"], classification_confirmed=False)
        shown = api("package_show", id=created["id"])["result"]
        assert shown["private"] is False and shown["classification_confirmed"] is True


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("title", "x" * 201, "högst 200 tecken"),
        ("title", "", "Värde saknas"),
        ("notes", "", "Värde saknas"),
        ("theme", ["NOPE"], "okänt värde"),
        ("sdg", ["0"], "okänt värde"),
        ("sdg", ["18"], "okänt värde"),
        ("sdg", ["x"], "okänt värde"),
        ("frequency", "SOMETIMES", "okänt värde"),
        ("access_rights", "SECRET", "okänt värde"),
        ("language", ["KLINGON"], "okänt värde"),
        ("hvd_category", "c_nope", "okänt värde"),
        ("license_id", "GPL-3.0", "okänd licens"),
        ("contact_email", "inte-en-adress", "e-postadress"),
        ("contact_phone", "ring mig", "telefonnummer"),
        ("url", "www.kalmar.se", "https://"),
        ("conforms_to", ["inte en uri"], "https://"),
        ("temporal_start", "2024-13-45", "ÅÅÅÅ-MM-DD"),
        ("temporal_end", "31/12/2024", "ÅÅÅÅ-MM-DD"),
        ("issued", "igår", "ÅÅÅÅ-MM-DD"),
        ("spatial", "{inte json", "Ogiltig GeoJSON"),
        ("spatial", "17,57,16,58", "minsta"),
        ("spatial", '{"type":"Point","coordinates":[16.3,95]}', "Latituden"),
        ("spatial", '{"type":"Polygon","coordinates":[[[16,56],[17,57],[17,56],[16,57],[16,56]]]}', "korsar"),
        ("spatial_uri", "https://example.org/plats", "Geonames"),
        ("version", "v" * 101, "högst 100 tecken"),
    ],
)
def test_bad_value_gives_409_naming_the_field_and_saves_nothing(api, sysadmin_token, kalmar_org, field, value, message):
    data = dict(name="felaktig", title="Felaktig", notes="x", owner_org=kalmar_org["id"])
    data[field] = value
    error = api("package_create", token=sysadmin_token, status=409, **data)["error"]
    assert error["__type"] == "Validation Error"
    assert field in error, error
    assert message.lower() in " ".join(error[field]).lower(), error[field]
    assert package_count() == 0


def test_end_date_before_start_date_is_rejected(api, sysadmin_token, kalmar_org):
    error = api("package_create", token=sysadmin_token, status=409, name="fel-period", title="Fel", notes="x",
                owner_org=kalmar_org["id"], temporal_start="2024-09-30", temporal_end="2024-05-01")["error"]
    assert "slutdatumet är före startdatumet" in " ".join(error["temporal_end"]).lower()
    assert package_count() == 0


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("mimetype", "csv", "text/csv"),
        ("license", "GPL-3.0", "okänd licens"),
        ("availability", "FOREVER", "okänt värde"),
        ("status", "DONE", "okänt värde"),
        ("conforms_to", "ftp://x", "https://"),
    ],
)
def test_bad_resource_value_is_rejected(app, api, sysadmin_token, kalmar_org, field, value, message):
    dataset = api("package_create", token=sysadmin_token, name="med-resurs", title="Med resurs", notes="x",
                  owner_org=kalmar_org["id"])["result"]
    response = app.post("/api/3/action/resource_create", headers={"Authorization": sysadmin_token},
                        json={"package_id": dataset["id"], "url": "https://www.kalmar.se/a.csv", field: value})
    assert response.status_code == 409
    error = response.json["error"]
    assert field in error, error
    assert message.lower() in " ".join(error[field]).lower()
    assert api("package_show", token=sysadmin_token, id=dataset["id"])["result"]["num_resources"] == 0


class TestResources:
    def test_upload_gets_size_sha1_and_media_type(self, app, api, sysadmin_token, kalmar_org):
        dataset = api("package_create", token=sysadmin_token, name="uppladdning", title="Uppladdning", notes="x",
                      owner_org=kalmar_org["id"])["result"]
        content = "place_id,name,latitude,longitude\n1,Stensö,56.64,16.33\n".encode("utf-8")
        response = app.post("/api/3/action/resource_create", headers={"Authorization": sysadmin_token},
                            content_type="multipart/form-data",
                            data={"package_id": dataset["id"], "name": "badplatser",
                                  "upload": (io.BytesIO(content), "badplatser.csv")})
        resource = response.json["result"]
        assert resource["url_type"] == "upload"
        assert resource["hash"] == hashlib.sha1(content).hexdigest()
        assert resource["size"] == len(content)
        assert resource["format"] == "CSV"
        assert resource["mimetype"] == "text/csv"
        download = resource["url"].replace("http://test.ckan.net", "")
        assert app.get(download, headers={"Authorization": sysadmin_token}).data == content
        # The dataset is private (classification not confirmed): no anonymous download.
        assert app.get(download).status_code in (403, 404)

    def test_media_type_derived_from_the_link(self, api, sysadmin_token, kalmar_org):
        dataset = api("package_create", token=sysadmin_token, name="lank", title="Länk", notes="x",
                      owner_org=kalmar_org["id"])["result"]
        resource = api("resource_create", token=sysadmin_token, package_id=dataset["id"],
                       url="https://www.kalmar.se/data/lekplatser.geojson")["result"]
        assert resource["mimetype"] == "application/geo+json"
        assert resource["license"] == ""  # inherits the dataset's


class TestWebForm:
    def test_form_is_swedish_grouped_and_prefilled_from_the_organization(self, app, sysadmin_token, kalmar_org):
        page = app.get("/dataset/new?group=kalmar-kommun", headers={"Authorization": sysadmin_token}).body
        for section in ("Grunduppgifter", "Kontaktpunkt", "Ämne och sammanhang", "Tid och plats",
                        "Mer om datamängden"):
            assert f'<legend class="h3">{section}</legend>' in page
        for label in ("Titel på engelska", "Datatema (EU)", "Globala målen (Agenda 2030)",
                      "Informationen är klassad som offentlig", "Uppdateringsfrekvens"):
            assert label in page
        assert 'value="oppnadata@kalmar.se"' in page
        assert 'value="Kalmar kommun, kommunledningskontoret"' in page
        assert 'value="http://sws.geonames.org/2702260"' in page
        assert "CC0 1.0 Universell" in page

    def test_form_shows_swedish_errors_at_the_fields_and_saves_nothing(self, app, sysadmin_token, kalmar_org):
        page = app.post(
            "/dataset/new",
            headers={"Authorization": sysadmin_token},
            data={"name": "formfel", "title": "Formfel", "notes": "x", "owner_org": kalmar_org["id"],
                  "private": "False", "contact_email": "fel", "temporal_start": "2024-09-30",
                  "temporal_end": "2024-01-01", "sdg": ["6", "11"], "save": ""},
        ).body
        assert "Ange en e-postadress som namn@kommun.se" in page
        assert "Slutdatumet är före startdatumet" in page
        assert "Bekräfta att informationen har klassats som offentlig" in page
        # The editor's choices survive the error: goals 6 and 11 (not 1) stay checked.
        assert 'value="6" checked' in page and 'value="11" checked' in page
        assert 'value="1" checked' not in page
        assert package_count() == 0


def test_form_defaults_are_escaped_exactly_once(app, api, sysadmin_token):
    """Defaults from the organization reach the form as text: not double-escaped (the GeoJSON extent
    must submit as valid JSON), and not unescaped (an organization's name cannot inject markup)."""
    api("organization_create", token=sysadmin_token, name="escape-org", title="Escape",
        email="a@example.org", contact_name='Kalmar & Co <script>alert(1)</script>',
        spatial="16.2,56.6,16.5,56.8")
    page = app.get("/dataset/new?group=escape-org", headers={"Authorization": sysadmin_token}).body
    assert "&amp;#34;" not in page and "&amp;amp;" not in page
    assert "{&#34;type&#34;:&#34;Polygon&#34;" in page
    assert "Kalmar &amp; Co &lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script>alert(1)</script>" not in page


def test_dataset_page_shows_filled_fields_only(app, api, sysadmin_token, kalmar_org):
    api("package_create", token=sysadmin_token, name="sparsam", title="Sparsam", notes="x", owner_org=kalmar_org["id"],
        private=False, classification_confirmed=True, frequency="ANNUAL", resources=[DATA_LINK])
    page = app.get("/dataset/sparsam").body
    assert "Uppdateringsfrekvens" in page and "Årligen" in page
    assert "Titel på engelska" not in page and "Version" not in page
    assert "Geografisk utbredning" in page  # the extent map, from the organization's default
