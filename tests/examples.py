"""The suite's example data, shared by the test modules (service-backed and unit alike). Plain data, no CKAN.

- ``FULL`` and ``FULL_RESOURCE``: a dataset using every field of our schema and a linked resource, from
  ``tests/data/full_dataset.json``. Treat them as read-only (copy before changing);
- ``BADPLATSER``: the national specification for bathing sites, and ``GOOD``: a CSV that follows it;
- ``ACTIONS``: every action of the extension with the arguments of a valid call (test_authorization.py
  checks the list against what the plugin registers);
- ``DATA_LINK``: a resource that links to data, for a public dataset (it needs a file or link; a JSON file
  is neither checked nor loaded into the DataStore, so no test fetches it);
- ``ALLOWED_HOST``: the name test.ini lets the portal fetch from, on loopback;
- ``DIGG_EXAMPLES``: DIGG's DCAT-AP-SE example records (see ``tests/data/digg-examples/README.md``).
"""
from __future__ import annotations

import json
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"
DIGG_EXAMPLES = DATA / "digg-examples"

# test.ini (ckanext.kalmar_oppnadata.fetch_allowed_hosts): a public-looking name the portal takes to be
# 127.0.0.1 with no DNS look-up, for the tests' servers on loopback.
ALLOWED_HOST = "oppen.kalmar.test"

DATA_LINK = {"url": "https://www.kalmar.se/psidata/badplatser.json", "name": "Badplatser (JSON)", "format": "JSON"}

BADPLATSER = "https://dataportal.se/specifications/badplatser/1.0"
GOOD = "place_id,name,latitude,longitude,description\n1,Stensö,56.64,16.33,Sandstrand\n2,Kalmarsund,56.66,16.36,\n"


def _full_dataset() -> tuple[dict, dict]:
    data = json.loads((DATA / "full_dataset.json").read_text("utf-8"))
    return data["dataset"], data["resource"]


FULL, FULL_RESOURCE = _full_dataset()

# Every action of the extension: the arguments of a valid call. All read public registers or count
# what the caller may see, so every kind of user may call them (tested in test_leaks.py that the answer
# holds only what the caller may see).
ACTIONS = {
    "agenda2030_summary": {},
    "agenda2030_goal_show": {"id": "6"},
    "agenda2030_suggest": {"conforms_to": [BADPLATSER]},
    "specification_list": {},
    "specification_show": {"uri": BADPLATSER},
    "overview_show": {},
    "quality_show": {"id": "publik"},
    "tag_list": {},
    "tag_search": {"query": "bad"},
    "tag_autocomplete": {"q": "bad"},
}
