"""How a freshness is said to people (the dataset page, the organization page) and to programs (the API)."""
from __future__ import annotations

from datetime import datetime
from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.kalmar_oppnadata.common import current_language, local_day
from ckanext.kalmar_oppnadata.freshness import changes
from ckanext.kalmar_oppnadata.freshness.status import DUE_SOON, OVERDUE, Freshness


def sentence(freshness: Freshness, lang: str) -> str:
    phrase = tk._(freshness.phrase)
    if freshness.last_change is None:
        return tk._("{phrase} – never updated").format(phrase=phrase)
    last = local_day(freshness.last_change, lang)
    if freshness.state == OVERDUE:
        return tk._("{phrase} – last updated {date}, overdue").format(phrase=phrase, date=last)
    if freshness.state == DUE_SOON and freshness.due:
        return tk._("{phrase} – last updated {date}, next update due by {due}").format(
            phrase=phrase, date=last, due=local_day(freshness.due, lang))
    return tk._("{phrase} – last updated {date}").format(phrase=phrase, date=last)


def for_api(freshness: Freshness, lang: str) -> dict[str, Any]:
    def iso(moment: datetime | None) -> str | None:
        return moment.isoformat() if moment else None

    return {"state": freshness.state, "label": tk._(freshness.label), "frequency": freshness.frequency,
            "last_change": iso(freshness.last_change), "due": iso(freshness.due),
            "text": sentence(freshness, lang)}


def show(dataset: dict[str, Any]) -> dict[str, Any]:
    """``after_dataset_show``: the dataset's freshness now, in the API (``freshness``)."""
    dataset["freshness"] = for_api(changes.of(dataset), current_language())
    return dataset


def show_in_results(search_results: dict[str, Any]) -> dict[str, Any]:
    """``after_dataset_search``: the same for each hit (the index's copy was judged when it was indexed).
    Hits that are a few fields asked for by name (``fl``, e.g. the catalog's listing) are not datasets, and
    are left as they are."""
    lang = current_language()
    for dataset in search_results.get("results") or []:
        if "resources" in dataset:
            dataset["freshness"] = for_api(changes.of(dataset), lang)
    return search_results
