"""Where the data is: extents on real Solr (solr-bbox), map search, maps and previews."""
from __future__ import annotations

import io
import json

import pytest

from ckan.cli.cli import ckan as ckan_cli

from .examples import DATA_LINK

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")

OLAND = "16.85,56.75,17.05,57.30"       # northern Öland: Borgholm only
VASTERVIK = "16.30,57.75,16.70,58.10"   # Västervik's archipelago
STOCKHOLM = "17.90,59.20,18.20,59.40"   # outside the county
KALMAR_EDGE = "16.40,56.60,16.60,56.70"  # overlaps Kalmar kommun's eastern edge (and the sea)


@pytest.fixture
def places(cli, api, sysadmin_with_token):
    """The county's organizations with their real extents, and a dataset in three of them."""
    assert cli.invoke(ckan_cli, ["kalmar", "setup", "--no-demo"]).exit_code == 0
    token = sysadmin_with_token["token"]
    names = {}
    for org in ("borgholms-kommun", "vasterviks-kommun", "kalmar-kommun"):
        names[org] = api("package_create", token=token, name=f"data-{org}", title=f"Data {org}", notes="x",
                         owner_org=org, contact_email="oppnadata@example.org",
                         classification_confirmed=True, private=False, resources=[DATA_LINK])["result"]["name"]
    return {"token": token, "names": names}


def found(api, bbox: str) -> set[str]:
    result = api("package_search", ext_bbox=bbox, rows=100)["result"]
    return {d["name"] for d in result["results"]}


class TestMapSearch:
    def test_datasets_take_their_organizations_extent(self, api, places):
        borgholm = api("package_show", id="data-borgholms-kommun")["result"]
        assert json.loads(borgholm["spatial"])["type"] == "Polygon"
        assert borgholm["spatial_uri"] == "http://sws.geonames.org/2720436"

    def test_box_over_oland_finds_borgholm_not_vastervik(self, api, places):
        assert found(api, OLAND) == {"data-borgholms-kommun"}

    def test_box_over_vastervik_finds_vastervik_not_borgholm(self, api, places):
        assert found(api, VASTERVIK) == {"data-vasterviks-kommun"}

    def test_overlapping_box_finds_the_overlapped_extent(self, api, places):
        assert "data-kalmar-kommun" in found(api, KALMAR_EDGE)

    def test_box_outside_the_county_finds_nothing(self, api, places):
        assert found(api, STOCKHOLM) == set()

    def test_editors_own_geojson_extent_wins(self, api, places):
        point = {"type": "Point", "coordinates": [18.07, 59.33]}  # not in Borgholm's extent
        api("package_create", token=places["token"], name="egen-plats", title="Egen plats", notes="x",
            owner_org="borgholms-kommun", contact_email="a@example.org", classification_confirmed=True,
            private=False, spatial=json.dumps(point), resources=[DATA_LINK])
        assert "egen-plats" in found(api, STOCKHOLM)
        assert "egen-plats" not in found(api, OLAND)

    def test_malformed_bbox_is_a_clear_error_not_a_500(self, app, places):
        response = app.get("/api/3/action/package_search?ext_bbox=1,2,three")
        assert response.status_code in (400, 409)


class TestMaps:
    def test_dataset_page_shows_the_extent_on_a_map(self, app, places):
        page = app.get("/dataset/data-borgholms-kommun").body
        assert 'data-module="dataset-map"' in page
        assert "16.5209" in page  # Borgholm's western edge

    def test_search_page_has_map_search_starting_over_the_county(self, app, places):
        page = app.get("/dataset/").body
        assert 'data-module="spatial-query"' in page
        assert "15.3357" in page and "17.1297" in page  # Kalmar län's extent

    def test_search_page_starts_over_the_regions_extent_as_just_edited(self, app, api, places):
        api("organization_patch", token=places["token"], id="region-kalmar-lan", spatial="16.11,56.22,16.33,56.44")
        page = app.get("/dataset/").body
        assert "16.11" in page and "56.44" in page
        assert "15.3357" not in page
        api("organization_patch", token=places["token"], id="region-kalmar-lan", state="deleted")
        page = app.get("/dataset/").body  # a deleted organization's extent is not used
        assert 'data-module="spatial-query"' in page and "16.11" not in page

    def test_tiles_come_from_the_configured_url_not_an_outside_service(self, app, places):
        page = app.get("/dataset/").body
        assert "/kalmar_oppnadata/blank-tile.png" in page
        tile = app.get("/kalmar_oppnadata/blank-tile.png")
        assert tile.status_code == 200 and tile.data.startswith(b"\x89PNG")


def _upload(app, places, name: str, filename: str, body: bytes) -> dict:
    """A file uploaded as a new resource of Kalmar's dataset, through the Action API; the resource."""
    return app.post("/api/3/action/resource_create", headers={"Authorization": places["token"]},
                    content_type="multipart/form-data",
                    data={"package_id": "data-kalmar-kommun", "name": name,
                          "upload": (io.BytesIO(body), filename)}).json["result"]


class TestPreviews:
    def test_uploaded_csv_with_coordinates_gets_a_map_view(self, app, api, places):
        csv = "place_id;name;latitude;longitude\n1;Stensö;56,64;16,33\n2;Utan plats;;\n".encode()
        resource = _upload(app, places, "Badplatser", "badplatser.csv", csv)
        views = api("resource_view_list", id=resource["id"])["result"]
        assert [v["view_type"] for v in views] == ["kalmar_csv_map"]
        page = app.get(f"/dataset/data-kalmar-kommun/resource/{resource['id']}").body
        assert 'data-module="dataset-map"' in page
        assert "16.33" in page and "Stens" in page
        assert "1 plats med koordinater" in page and "1 rad utan giltiga koordinater" in page

    def test_uploaded_csv_without_coordinates_gets_no_map_view(self, app, api, places):
        """A table without places does not open on a map tab that says it cannot be drawn."""
        csv = "kommun;antal\nKalmar;12\nNybro;7\n".encode()
        resource = _upload(app, places, "Antal", "antal.csv", csv)
        views = api("resource_view_list", id=resource["id"])["result"]
        assert "kalmar_csv_map" not in [v["view_type"] for v in views]
        page = app.get(f"/dataset/data-kalmar-kommun/resource/{resource['id']}").body
        assert "kan därför inte visas på en karta" not in page

    def test_coordinates_are_found_in_the_header_of_a_long_file(self, app, api, places):
        """Only the file's start is read for its columns; a header with coordinates is found however long
        the file, and a long file without them gets no map."""
        rows = "".join(f"{i};Plats {i};56,6{i % 10};16,3{i % 10}\n" for i in range(6000)).encode()
        for header, expected in ((b"id;namn;latitud;longitud\n", ["kalmar_csv_map"]), (b"id;namn;x;y\n", [])):
            resource = _upload(app, places, "Långa", "langa.csv", header + rows)
            assert len(header + rows) > 64 * 1024
            views = api("resource_view_list", id=resource["id"])["result"]
            assert [v["view_type"] for v in views if v["view_type"] == "kalmar_csv_map"] == expected

    def test_geojson_resource_gets_the_geojson_view(self, app, api, places):
        geojson = b'{"type":"FeatureCollection","features":[]}'
        resource = _upload(app, places, "Lekplatser", "lekplatser.geojson", geojson)
        assert resource["format"] == "GeoJSON" and resource["mimetype"] == "application/geo+json"
        views = api("resource_view_list", id=resource["id"])["result"]
        assert "geojson_view" in [v["view_type"] for v in views]
