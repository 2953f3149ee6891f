"""Between our schema and ckanext-dcat's dataset dicts (catalog/mapping.py): pure functions over dicts."""
from __future__ import annotations

import copy

from ckanext.kalmar_oppnadata.catalog import mapping

from ..examples import FULL, FULL_RESOURCE

EU = "http://publications.europa.eu/resource/authority/"
KALMAR = {"title": "Kalmar kommun", "identifier": "212000-0746", "url": "https://www.kalmar.se"}
PUBLISHER_URI = "http://dataportal.se/organisation/SE2120000746"
UPLOAD = {"id": "r2", "name": "badplatser.csv", "url": "http://test.ckan.net/dataset/x/resource/r2/download/b.csv",
          "url_type": "upload", "mimetype": "text/csv", "datastore_active": True}


def endpoint(resource):
    return {"uri": f"http://test.ckan.net/dataset/x/resource/{resource['id']}#kalmar-api",
            "endpoint_url": "http://test.ckan.net/api/3/action/datastore_search",
            "endpoint_description": f"http://test.ckan.net/openapi/datastore/{resource['id']}.json"}


def exported():
    dataset = dict(copy.deepcopy(FULL), tags=[{"name": "bad"}], license_url="http://creativecommons.org/licenses/by/4.0/",
                   resources=[dict(FULL_RESOURCE, id="r1"), UPLOAD])
    return mapping.for_export(dataset, KALMAR, lambda d: PUBLISHER_URI, "http://test.ckan.net/contact",
                              "http://test.ckan.net/dataset/1", endpoint)


def test_free_text_becomes_language_maps():
    view = exported()
    assert view["title_translated"] == {"sv": FULL["title"], "en": FULL["title_en"]}
    assert view["notes_translated"] == {"sv": FULL["notes"], "en": FULL["notes_en"]}
    assert view["tags_translated"] == {"sv": ["bad"], "en": ["bathing", "beach"]}
    assert mapping.language_map("bara svenska") == {"sv": "bara svenska"}


def test_publisher_and_contact_point_are_separate_nodes():
    view = exported()
    assert view["contact_uri"] == "http://test.ckan.net/contact"
    assert view["publisher"] == [{"uri": PUBLISHER_URI, "name_translated": {"sv": "Kalmar kommun"},
                                  "type": "http://purl.org/adms/publishertype/LocalAuthority",
                                  "url": "https://www.kalmar.se", "identifier": "212000-0746"}]


def test_spatial_coverage_is_the_geonames_uri_and_a_bbox_location():
    coverage = exported()["spatial_coverage"]
    assert coverage[0] == {"uri": FULL["spatial_uri"]}
    assert coverage[1]["geom"] == FULL["spatial"]
    assert coverage[1]["bbox"] == "POLYGON((16.2 56.6, 16.5 56.6, 16.5 56.8, 16.2 56.8, 16.2 56.6))"
    assert coverage[1]["centroid"].startswith("POINT(16.35")
    assert mapping.wkt_bbox(FULL["spatial"]) == (coverage[1]["bbox"], coverage[1]["centroid"])


def test_resources_get_iana_media_types_licences_and_the_datastore_api():
    linked, uploaded = exported()["resources"]
    assert linked["format"] == "text/csv"  # the IANA literal, Swedish style
    assert linked["mimetype"] == "http://www.iana.org/assignments/media-types/text/csv"
    assert linked["license"] == FULL_RESOURCE["license"]
    assert linked["hash_algorithm"] == mapping.SHA1
    assert "download_url" not in linked and "access_services" not in linked
    assert uploaded["license"] == "http://creativecommons.org/licenses/by/4.0/"  # the dataset's
    assert uploaded["download_url"] == uploaded["access_url"] == UPLOAD["url"]
    (service,) = uploaded["access_services"]
    assert service["uri"].endswith("/resource/r2#kalmar-api")
    assert service["endpoint_url"] == ["http://test.ckan.net/api/3/action/datastore_search"]
    assert service["serves_dataset"] == ["http://test.ckan.net/dataset/1"]
    assert service["title_translated"]["sv"] == "API för badplatser.csv (CKAN DataStore)"
    # The OpenAPI description on the data service and, as DIGG's recommendation 13 asks, on the distribution.
    assert service["endpoint_description"] == "http://test.ckan.net/openapi/datastore/r2.json"
    assert uploaded["conforms_to"] == ["http://test.ckan.net/openapi/datastore/r2.json"]
    assert linked["conforms_to"] == FULL_RESOURCE.get("conforms_to", [])


def test_import_maps_codes_licences_and_outdated_uris_to_our_schema():
    parsed = {
        "title": "T", "notes": "", "theme": ["ENVI", EU + "data-theme/TRAN", "NOPE"],
        "license_url": "http://creativecommons.org/publicdomain/zero/1.0/",
        "frequency": EU + "frequency/annual",
        "extras": [{"key": "spatial_uri", "value": "http://sws.geonames.org/2702260"}],
        "resources": [{"download_url": "https://x.se/a.csv", "url": "https://x.se/", "format": "text/csv",
                       "availability": "http://data.europa.eu/r5r/availability/experimental",
                       "license": "http://creativecommons.org/licenses/by/4.0/"}],
    }
    data = mapping.from_import(parsed)
    assert data["theme"] == [EU + "data-theme/ENVI", EU + "data-theme/TRAN", "NOPE"]  # unknown kept for validation
    assert data["license_id"] == "CC0-1.0"
    assert data["frequency"] == EU + "frequency/ANNUAL"
    assert data["spatial_uri"] == "http://sws.geonames.org/2702260"  # from an extra
    assert "notes" not in data  # empty values are left out
    assert data["extras"] == []
    (resource,) = data["resources"]
    assert resource["url"] == resource["download_url"] == "https://x.se/a.csv"
    assert resource["mimetype"] == "text/csv" and "format" not in resource
    assert resource["availability"] == EU + "planned-availability/EXPERIMENTAL"


def test_goals_from_un_subjects():
    assert mapping.goals_from_subjects(["http://metadata.un.org/sdg/6/", "http://metadata.un.org/sdg/11",
                                        "http://example.org/other"]) == ["6", "11"]
