"""Between our dataset schema and the dataset dict shape ckanext-dcat's EU DCAT-AP 3 steps read and write.

``for_export`` gives the EU steps what they need to produce DCAT-AP-SE: language maps for free text,
a URI for the contact point, the publisher as an agent with its dataportal.se URI, spatial coverage as
a Geonames URI plus a bbox/centroid location, IANA media types, and for a table in the DataStore the
API that serves it as a ``dcat:accessService`` DataService. ``from_import`` maps a parsed dict back
to our schema. Pure functions over dicts (organizations are looked up by the caller).
"""
from __future__ import annotations

import json
from typing import Any, Callable

from shapely.geometry import shape

from ckanext.kalmar_oppnadata.common import as_list
from ckanext.kalmar_oppnadata.registers import licenses, vocabularies

IANA_MEDIA_TYPES = "http://www.iana.org/assignments/media-types/"
SHA1 = "http://spdx.org/rdf/terms#checksumAlgorithm_sha1"
SDG_URI = "http://metadata.un.org/sdg/"


def language_map(sv: Any, en: Any = None) -> dict[str, Any]:
    values = {"sv": sv, "en": en}
    return {lang: value for lang, value in values.items() if value}


def publisher_agent(org: dict[str, Any], uri: str) -> dict[str, Any]:
    """The publisher as an agent for ckanext-dcat's agent step (foaf:name@sv, dcterms:type, identifier)."""
    agent = {
        "uri": uri,
        "name_translated": {"sv": org["title"]},
        "type": org.get("dcat_type") or "http://purl.org/adms/publishertype/LocalAuthority",
        "url": org.get("url") or None,
    }
    if org.get("identifier"):
        agent["identifier"] = org["identifier"]
    return agent


def wkt_bbox(geometry_text: str) -> tuple[str, str]:
    """(bbox polygon, centroid point) of a GeoJSON extent as WKT, for dcat:bbox and dcat:centroid."""
    geom = shape(json.loads(geometry_text))
    minx, miny, maxx, maxy = geom.bounds
    bbox = (f"POLYGON(({minx} {miny}, {maxx} {miny}, {maxx} {maxy}, {minx} {maxy}, {minx} {miny}))")
    centroid = geom.centroid
    return bbox, f"POINT({centroid.x} {centroid.y})"


def _data_service(resource: dict[str, Any], license_url: str | None, dataset_uri: str,
                  endpoint: dict[str, str]) -> dict[str, Any]:
    """The DataStore API serving a table resource (DCAT-AP-SE's way to describe an API). The EU step
    writes the URI-valued properties; the language-tagged title and description are the Swedish step's."""
    name = resource.get("name") or resource.get("url", "").rsplit("/", 1)[-1]
    return {"uri": endpoint["uri"],
            "endpoint_url": [endpoint["endpoint_url"]],
            "endpoint_description": endpoint["endpoint_description"],
            "serves_dataset": [dataset_uri] if dataset_uri else [],
            "license": license_url,
            "title_translated": {"sv": f"API för {name} (CKAN DataStore)", "en": f"API for {name} (CKAN DataStore)"},
            "description_translated": {
                "sv": "Tabellen i CKAN:s DataStore: sök, filtrera och hämta rader med datastore_search, "
                      "eller fråga med SQL via datastore_search_sql.",
                "en": "The table in CKAN's DataStore: search, filter and fetch rows with datastore_search, "
                      "or query it with SQL through datastore_search_sql."}}


def _resource_for_export(resource: dict[str, Any], dataset_license_url: str | None, dataset_uri: str = "",
                         endpoint_for: Callable[[dict[str, Any]], dict[str, str]] | None = None) -> dict[str, Any]:
    view = dict(resource)
    view["name_translated"] = language_map(resource.get("name") or resource.get("url", "").rsplit("/", 1)[-1])
    if resource.get("description"):
        view["description_translated"] = language_map(resource["description"])
    else:
        view.pop("description", None)
    media_type = resource.get("mimetype")
    if media_type:
        # Sweden: the IANA media type as a dcterms:format literal; DCAT-AP 3: the IANA URI as dcat:mediaType.
        view["format"] = media_type
        view["mimetype"] = IANA_MEDIA_TYPES + media_type
    else:
        view.pop("format", None)  # "CSV" alone is neither an IANA literal nor an EU file-type URI
    view["license"] = resource.get("license") or dataset_license_url or None
    if resource.get("hash"):
        view["hash_algorithm"] = SHA1
    if resource.get("url_type") == "upload":
        # A file in the portal: downloadable, and that address is also how it is accessed.
        view["download_url"] = view["access_url"] = resource.get("url")
    elif resource.get("url") not in (resource.get("download_url"), resource.get("access_url")):
        # Addresses kept from an import no longer describe the resource once its link was changed here.
        view.pop("download_url", None)
        view.pop("access_url", None)
    view["conforms_to"] = as_list(resource.get("conforms_to"))
    view.pop("access_services", None)
    if resource.get("datastore_active") and endpoint_for:
        endpoint = endpoint_for(resource)
        view["access_services"] = [_data_service(resource, view["license"], dataset_uri, endpoint)]
        # DIGG's recommendation 13: the API description also as the distribution's "länkade scheman", so
        # that Sveriges dataportal shows "Utforska API" beside the data service's dcat:endpointDescription.
        view["conforms_to"] = [*view["conforms_to"], endpoint["endpoint_description"]]
    return view


def for_export(dataset: dict[str, Any], organization: dict[str, Any] | None,
               publisher_uri_for: Callable[[dict[str, Any]], str], contact_uri: str, dataset_uri: str = "",
               endpoint_for: Callable[[dict[str, Any]], dict[str, str]] | None = None) -> dict[str, Any]:
    """The dataset as ckanext-dcat's EU DCAT-AP 3 steps should see it to produce DCAT-AP-SE.

    ``endpoint_for(resource)`` gives the DataStore endpoint of a table resource (see files/api_box.py)."""
    view = dict(dataset)
    view["title_translated"] = language_map(dataset.get("title"), dataset.get("title_en"))
    view["notes_translated"] = language_map(dataset.get("notes"), dataset.get("notes_en"))
    view["tags_translated"] = language_map(
        [t["name"] for t in dataset.get("tags", [])], as_list(dataset.get("keywords_en")))

    # Contact point: a URI node of its own (never the publisher's), vcard:Organization.
    if dataset.get("contact_email") or dataset.get("contact_name"):
        view["contact_uri"] = contact_uri

    # Publisher: the organization, with the URI by which dataportal.se merges it.
    view.pop("publisher", None)
    if organization:
        view["publisher"] = [publisher_agent(organization, publisher_uri_for(dataset))]

    # Spatial coverage: the Geonames URI, and a location with bbox and centroid.
    view.pop("spatial", None)
    view.pop("spatial_uri", None)
    coverage = []
    if dataset.get("spatial_uri"):
        coverage.append({"uri": dataset["spatial_uri"]})
    if dataset.get("spatial"):
        bbox, centroid = wkt_bbox(dataset["spatial"])
        coverage.append({"geom": dataset["spatial"], "bbox": bbox, "centroid": centroid})
    view["spatial_coverage"] = coverage

    for field in ("theme", "language", "conforms_to", "applicable_legislation"):
        view[field] = as_list(dataset.get(field))
    view["resources"] = [_resource_for_export(r, dataset.get("license_url"), dataset_uri, endpoint_for)
                         for r in dataset.get("resources", [])]
    return view


# ----------------------------------------------------------------------------------------- import
# Fields whose values are vocabulary concepts, and the vocabulary; unknown forms of a known concept
# (e.g. DIGG's older availability URIs ending in the code) are mapped by their last path segment.
VOCABULARY_FIELDS = {"theme": "data-theme", "access_rights": "access-right", "frequency": "frequency",
                     "language": "language", "hvd_category": "hvd-category"}
RESOURCE_VOCABULARY_FIELDS = {"availability": "planned-availability", "status": "distribution-status"}
DATASET_FIELDS = ("title", "title_en", "notes", "notes_en", "tags", "keywords_en", "uri", "identifier",
                  "license_id", "contact_name", "contact_email", "contact_phone", "theme", "sdg",
                  "conforms_to", "access_rights", "frequency", "language", "hvd_category", "temporal_start",
                  "temporal_end", "spatial_uri", "spatial", "issued", "modified", "url", "version")
RESOURCE_FIELDS = ("url", "name", "description", "format", "mimetype", "license", "availability", "status",
                   "conforms_to", "size", "hash")


def _concept(vocabulary: str, value: Any) -> str:
    vocab = vocabularies.get(vocabulary)
    concept = vocab.get(value) or vocab.get(str(value).rstrip("/").rsplit("/", 1)[-1].upper())
    return vocab.stored(concept) if concept else str(value)


def _resource_from_import(resource: dict[str, Any]) -> dict[str, Any]:
    result = {k: resource[k] for k in RESOURCE_FIELDS if resource.get(k) not in (None, "", [])}
    result["url"] = resource.get("download_url") or resource.get("access_url") or resource.get("url") or ""
    # The distribution's own URI and addresses, so that a harvested dataset keeps them in our catalog.
    for key in ("uri", "access_url", "download_url"):
        if resource.get(key):
            result[key] = resource[key]
    media_type = str(resource.get("mimetype") or "")
    if media_type.startswith(IANA_MEDIA_TYPES):
        media_type = media_type[len(IANA_MEDIA_TYPES):]
    fmt = str(resource.get("format") or "")
    if not media_type and "/" in fmt and not fmt.startswith("http"):
        media_type = fmt  # Swedish style: the IANA literal in dcterms:format
    if media_type:
        result["mimetype"] = media_type
    if "/" in fmt:
        result.pop("format", None)  # CKAN guesses the short format from the URL
    lic = licenses.find(resource.get("license"))
    if lic:
        result["license"] = lic["url"]
    for field, vocabulary in RESOURCE_VOCABULARY_FIELDS.items():
        if result.get(field):
            result[field] = _concept(vocabulary, result[field])
    if result.get("conforms_to"):
        result["conforms_to"] = as_list(result["conforms_to"])
    return result


def from_import(parsed: dict[str, Any]) -> dict[str, Any]:
    """A dict parsed by the EU steps (plus our parse steps), as a dataset of our schema."""
    extras = {e["key"]: e["value"] for e in parsed.get("extras", [])}
    merged = {**extras, **{k: v for k, v in parsed.items() if k != "extras"}}
    data = {k: merged[k] for k in DATASET_FIELDS if merged.get(k) not in (None, "", [])}
    lic = licenses.find(merged.get("license_id") or merged.get("license_url") or merged.get("license"))
    if lic:
        data["license_id"] = lic["id"]
    for field, vocabulary in VOCABULARY_FIELDS.items():
        if field in data:
            values = [_concept(vocabulary, v) for v in as_list(data[field])]
            if field in ("theme", "language"):
                # In the vocabulary's order, as stored; unknown values are kept for validation to report.
                vocab = vocabularies.get(vocabulary)
                known = vocabularies.normalize_many(vocabulary, [v for v in values if vocab.get(v)])
                data[field] = known + [v for v in values if not vocab.get(v)]
            else:
                data[field] = values[0]
    if data.get("conforms_to"):
        data["conforms_to"] = as_list(data["conforms_to"])
    data["resources"] = [_resource_from_import(r) for r in parsed.get("resources", [])]
    data["extras"] = []  # where ckanext-dcat's harvester records its guid
    return data


def goals_from_subjects(subjects: list[str]) -> list[str]:
    sdg = vocabularies.get("sdg")
    return [c.code for c in sdg.concepts if any(str(s).rstrip("/") in c.exact_match for s in subjects)]
