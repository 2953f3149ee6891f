"""What the search index holds beyond CKAN's own fields (``before_dataset_index``).

Each vocabulary field is indexed into CKAN's multivalued ``vocab_<field>`` Solr fields (already in CKAN's
schema, so no custom Solr schema), and each extent as ckanext-spatial's bounding box, with a small area
for points and lines so that the map search finds them.
"""
from __future__ import annotations

import datetime
import json
from typing import Any

from shapely.geometry import box, mapping, shape

from ckanext.kalmar_oppnadata.common import as_list
from ckanext.kalmar_oppnadata.freshness import changes
from ckanext.kalmar_oppnadata.links import wording as link_wording
from ckanext.kalmar_oppnadata.registers import specifications

# ckanext-spatial's solr-bbox backend ranks by overlapping *area*, so an extent without area (a point,
# a line along a meridian) would never be found. Such extents are indexed as a box this much wider
# (degrees, about 50 m); the stored extent is untouched.
DEGENERATE_PADDING = 0.0005

# Dataset field → vocabulary (None: free values, labelled from the specification register or as they are).
# Every list field of the schema is here: CKAN would otherwise index it under its own name as one string of
# JSON text (it copies each extra to the top level, into Solr's catch-all string field), so that ``sdg:6``
# found nothing and a facet on ``sdg`` gave buckets like '["6", "11"]'. search/fields.py maps the plain names
# to these fields.
INDEXED_FIELDS: dict[str, str | None] = {
    "sdg": "sdg",
    "theme": "data-theme",
    "access_rights": "access-right",
    "hvd_category": "hvd-category",
    "conforms_to": None,
    "answers": "requested",
    "language": "language",
    "applicable_legislation": None,
    "keywords_en": None,
}


def facet_field(field: str) -> str:
    return f"vocab_{field}"


def index_vocabularies(pkg_dict: dict[str, Any]) -> dict[str, Any]:
    """``before_dataset_index``: add ``vocab_<field>`` lists from the validated dataset."""
    validated = pkg_dict.get("validated_data_dict")
    data = json.loads(validated) if isinstance(validated, str) else (validated or pkg_dict)
    for field in INDEXED_FIELDS:
        pkg_dict.pop(field, None)  # CKAN's copy of the extra: JSON text, not the values
        values = [str(v) for v in as_list(data.get(field))]
        if field == "answers":
            values = answered_requests(data)
        if values:
            pkg_dict[facet_field(field)] = values
    return pkg_dict


FRESHNESS_FIELD = "freshness"


def index_freshness(pkg_dict: dict[str, Any]) -> dict[str, Any]:
    """``before_dataset_index``: the dataset's freshness now (the "Aktualitet" facet), and when it next
    changes by time alone (``freshness_next_date``, read by freshness/upkeep.py)."""
    validated = pkg_dict.get("validated_data_dict")
    data = json.loads(validated) if isinstance(validated, str) else (validated or pkg_dict)
    freshness = changes.of(data)
    pkg_dict[FRESHNESS_FIELD] = freshness.state
    if freshness.last_change:  # the last real change, for the subscribers' digests (digests/changes.py)
        pkg_dict["kalmar_changed_date"] = freshness.last_change.isoformat() + "Z"
    if freshness.next_change:
        pkg_dict["freshness_next_date"] = freshness.next_change.isoformat() + "Z"
    return pkg_dict


BROKEN_LINKS_FIELD = "broken_links"


def index_link_checks(pkg_dict: dict[str, Any]) -> dict[str, Any]:
    """``before_dataset_index``: how many of the dataset's linked files failed their last check
    (``broken_links``, 0 when none; for the organization page and the overview)."""
    validated = pkg_dict.get("validated_data_dict")
    data = json.loads(validated) if isinstance(validated, str) else (validated or pkg_dict)
    pkg_dict[BROKEN_LINKS_FIELD] = str(len(link_wording.broken(data)))
    return pkg_dict


INDEXED_FIELD = "indexed_ts"


def index_time(pkg_dict: dict[str, Any]) -> dict[str, Any]:
    """``before_dataset_index``: when the dataset was indexed, as CKAN sends it. CKAN's schema lets Solr
    fill ``indexed_ts`` in (``default="NOW"``), but in a SolrCloud collection every replica does so itself,
    a few milliseconds apart. The kept overview and goal summary watch the newest ``indexed_ts``
    (``caching.fingerprint``) and a search is answered by either replica, so their key changed from one
    request to the next and they were built again on most requests. Sent in the document, the time is the
    same on every replica."""
    now = datetime.datetime.now(datetime.timezone.utc)
    pkg_dict[INDEXED_FIELD] = now.strftime("%Y-%m-%dT%H:%M:%S.") + f"{now.microsecond // 1000:03d}Z"
    return pkg_dict


def answered_requests(dataset: dict[str, Any]) -> list[str]:
    """The requested datasets a dataset answers: those it names, and those of its specifications."""
    answers = [str(v) for v in as_list(dataset.get("answers"))]
    for uri in as_list(dataset.get("conforms_to")):
        spec = specifications.get(str(uri))
        answers += spec.get("requested", []) if spec else []
    return sorted(set(answers))


def index_extent(pkg_dict: dict[str, Any]) -> dict[str, Any]:
    """``before_dataset_index``: give area to extents that have none, whether ckanext-spatial has
    already turned the extent into ``minx…maxy`` (it ran first) or will do so from the geometry."""
    if all(k in pkg_dict for k in ("minx", "miny", "maxx", "maxy")):
        minx, miny, maxx, maxy = (float(pkg_dict[k]) for k in ("minx", "miny", "maxx", "maxy"))
        if maxx - minx < DEGENERATE_PADDING or maxy - miny < DEGENERATE_PADDING:
            pkg_dict.update(minx=minx - DEGENERATE_PADDING, miny=miny - DEGENERATE_PADDING,
                            maxx=maxx + DEGENERATE_PADDING, maxy=maxy + DEGENERATE_PADDING)
            pkg_dict["bbox_area"] = (pkg_dict["maxx"] - pkg_dict["minx"]) * (pkg_dict["maxy"] - pkg_dict["miny"])
        return pkg_dict
    text = pkg_dict.get("extras_spatial") or pkg_dict.get("spatial")
    if not text:
        return pkg_dict
    try:
        minx, miny, maxx, maxy = shape(json.loads(text)).bounds
    except Exception:  # stored extents are validated; anything else is ckanext-spatial's to report
        return pkg_dict
    if maxx - minx < DEGENERATE_PADDING or maxy - miny < DEGENERATE_PADDING:
        padded = box(minx - DEGENERATE_PADDING, miny - DEGENERATE_PADDING,
                     maxx + DEGENERATE_PADDING, maxy + DEGENERATE_PADDING)
        # Both keys of the index document (ckanext-spatial reads one or the other by version).
        pkg_dict["extras_spatial"] = pkg_dict["spatial"] = json.dumps(mapping(padded))
    return pkg_dict
