"""What really changed in a followed topic since a moment, as an anonymous visitor sees it (public datasets
only): datasets made public since then (new), and datasets a person saved since then, new files included
(changed). The portal's own job records do not count (``kalmar_changed_date`` is the dataset's last real
change, freshness/changes.py)."""
from __future__ import annotations

from datetime import datetime
from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.kalmar_oppnadata.registers import vocabularies

CHANGED_FIELD = "kalmar_changed_date"


def _topic_filter(topic_type: str, topic: str) -> str:
    if topic_type == "dataset":
        return f'id:"{topic}"'
    if topic_type == "organization":
        return f'owner_org:"{topic}"'
    return f'vocab_sdg:"{topic}"'


def since(topic_type: str, topic: str, moment: datetime) -> dict[str, list[dict[str, Any]]]:
    stamp = moment.isoformat(timespec="seconds") + "Z"
    found = tk.get_action("package_search")({"user": "", "ignore_auth": False}, {
        "fq": f"{_topic_filter(topic_type, topic)} AND {CHANGED_FIELD}:[{stamp} TO *]",
        "rows": 100, "sort": "title_string asc"})
    new, changed = [], []
    for dataset in found["results"]:
        (new if (dataset.get("metadata_created") or "") >= moment.isoformat() else changed).append(dataset)
    return {"new": new, "changed": changed}


def topic_title(topic_type: str, topic: str, lang: str) -> str | None:
    """The followed topic's name, if it is (still) there for anyone to see; else None."""
    if topic_type == "goal":
        concept = vocabularies.get("sdg").get(topic)
        return f"{concept.code}. {concept.label(lang)}" if concept else None
    action = "package_show" if topic_type == "dataset" else "organization_show"
    try:
        shown = tk.get_action(action)({"user": "", "ignore_auth": False}, {"id": topic})
    except (tk.ObjectNotFound, tk.NotAuthorized):
        return None
    if shown.get("private") or shown.get("state") != "active":
        return None
    return shown.get("title") or shown.get("name")
