"""Agenda 2030 in the portal: how many datasets follow up each goal, and who publishes them.

Everything is counted through ``package_search`` as the asking user, so CKAN's permission labels decide
what is counted: visitors see public datasets only; members also their organization's private ones.
Drafts and deleted datasets are never counted.
"""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.kalmar_oppnadata.common import current_language
from ckanext.kalmar_oppnadata.registers import organizations, vocabularies
from ckanext.kalmar_oppnadata.search.indexing import facet_field

FACET = facet_field("sdg")
MAX_DATASETS_ON_GOAL_PAGE = 1000


def _search(context: dict[str, Any], **params: Any) -> dict[str, Any]:
    query = {"q": "*:*", "rows": 0, "include_private": True, "include_drafts": False, **params}
    return tk.get_action("package_search")(dict(context), query)


def _organizations() -> dict[str, str]:
    return {o["name"]: o["title"] for o in organizations.all_organizations()}


def goal_dict(concept: vocabularies.Concept, lang: str) -> dict[str, Any]:
    return {
        "goal": concept.code,
        "name": concept.label(lang),
        "name_sv": concept.labels.get("sv"),
        "name_en": concept.labels.get("en"),
        "colour": concept.colour,
        "text_colour": concept.text_colour,
        "category": concept.category,
        "uri": concept.exact_match[0] if concept.exact_match else None,
        "url": tk.url_for("kalmar_agenda2030.goal", goal=concept.code, _external=True),
    }


def _counts_by_organization(context: dict[str, Any], goal: str) -> dict[str, int]:
    result = _search(context, fq=f'{FACET}:"{goal}"', **{"facet.field": ["organization"], "facet.limit": -1})
    return {name: n for name, n in result["facets"].get("organization", {}).items() if n}


def summary(context: dict[str, Any]) -> dict[str, Any]:
    lang = current_language()
    overall = _search(context, **{"facet.field": [FACET], "facet.limit": -1})
    tagged = _search(context, fq=f"{FACET}:[* TO *]")["count"]
    counts = overall["facets"].get(FACET, {})
    titles = _organizations()
    goals = []
    for concept in vocabularies.get("sdg").concepts:
        by_org = _counts_by_organization(context, concept.code) if counts.get(concept.code) else {}
        goals.append({**goal_dict(concept, lang), "count": counts.get(concept.code, 0),
                      "organizations": [{"name": n, "title": titles.get(n, n), "count": c}
                                        for n, c in sorted(by_org.items(), key=lambda i: (-i[1], i[0]))]})
    return {"total_datasets": overall["count"], "datasets_with_goals": tagged, "goals": goals}


def goal(context: dict[str, Any], code: Any) -> dict[str, Any]:
    concept = vocabularies.get("sdg").get(code)
    if concept is None:
        raise tk.ObjectNotFound(tk._("There is no global goal {goal}").format(goal=str(code)[:20]))
    titles = _organizations()
    result = _search(context, fq=f'{FACET}:"{concept.code}"', rows=MAX_DATASETS_ON_GOAL_PAGE,
                     sort="title_string asc", **{"facet.field": ["organization"], "facet.limit": -1})
    by_org = {n: c for n, c in result["facets"].get("organization", {}).items() if c}
    return {
        **goal_dict(concept, current_language()),
        "count": result["count"],
        "datasets": [{"name": d["name"], "title": d["title"], "private": d.get("private", False),
                      "organization": (d.get("organization") or {}).get("name"),
                      "url": tk.url_for("dataset.read", id=d["name"], _external=True)}
                     for d in result["results"]],
        "organizations": [{"name": n, "title": titles.get(n, n), "count": c}
                          for n, c in sorted(by_org.items(), key=lambda i: (-i[1], i[0]))],
    }
