"""Actions the extension adds to the Action API (registered with ``toolkit.blanket.actions``)."""
from __future__ import annotations

import functools
import inspect
from typing import Any

import ckan.model as ckan_model
import ckan.plugins.toolkit as tk
from ckan.lib.search.common import SearchError, SolrConnectionError

from ckanext.kalmar_oppnadata.catalog import caching
from ckanext.kalmar_oppnadata.common import current_language
from ckanext.kalmar_oppnadata.data_requests.actions import (
    data_request_comment,
    data_request_create,
    data_request_list,
    data_request_show,
    data_request_support,
    data_request_update,
)
from ckanext.kalmar_oppnadata.dialog.actions import question_answer, question_create, question_list
from ckanext.kalmar_oppnadata.harvesting import classification, sources
from ckanext.kalmar_oppnadata.logic import publishing, schema
from ckanext.kalmar_oppnadata.overview import quality, report
from ckanext.kalmar_oppnadata.registers import specifications
from ckanext.kalmar_oppnadata.reuse import store as reuse_store
from ckanext.kalmar_oppnadata.reuse.actions import (
    reuse_create,
    reuse_delete,
    reuse_list,
    reuse_moderate,
    reuse_show,
    reuse_update,
)
from ckanext.kalmar_oppnadata.search import agenda2030, reindexing
from ckanext.kalmar_oppnadata.web import outages

__all__ = [
    "agenda2030_summary",
    "agenda2030_goal_show",
    "agenda2030_suggest",
    "specification_list",
    "specification_show",
    "overview_show",
    "quality_show",
    "tag_list",
    "tag_search",
    "tag_autocomplete",
    "package_create",
    "package_update",
    "package_search",
    "dataset_purge",
    "help_show",
    "question_create",
    "question_list",
    "question_answer",
    "data_request_create",
    "data_request_show",
    "data_request_list",
    "data_request_support",
    "data_request_comment",
    "data_request_update",
    "reuse_create",
    "reuse_show",
    "reuse_list",
    "reuse_moderate",
    "reuse_update",
    "reuse_delete",
]


@tk.side_effect_free
def agenda2030_summary(context: dict[str, Any], data_dict: dict[str, Any]) -> dict[str, Any]:
    """All 17 goals with the number of datasets following each up, in total and per organization.

    Counts only datasets the caller may see (visitors: public ones).
    """
    tk.check_access("agenda2030_summary", context, data_dict)
    if not context.get("user"):  # the public summary is kept like the overview (catalog/caching.py)
        # Kept per UI language: the goals' names are in the visitor's language.
        return caching.cached_value(f"agenda2030:{current_language()}", caching.fingerprint,
                                    lambda: agenda2030.summary(context))
    return agenda2030.summary(context)


@tk.side_effect_free
@schema.arguments(schema.by_id)
def agenda2030_goal_show(context: dict[str, Any], data_dict: dict[str, Any]) -> dict[str, Any]:
    """One goal (``id``: 1–17 or its UN URI), its datasets and the organizations contributing to it."""
    tk.check_access("agenda2030_goal_show", context, data_dict)
    data = schema.validate(data_dict, schema.by_id(), context)
    return agenda2030.goal(context, data["id"])


@tk.side_effect_free
@schema.arguments(schema.suggest)
def agenda2030_suggest(context: dict[str, Any], data_dict: dict[str, Any]) -> dict[str, Any]:
    """Goals and EU themes suggested for a dataset that conforms to the given specifications.

    ``conforms_to``: one or more specification URIs (a list or comma-separated).
    """
    tk.check_access("agenda2030_suggest", context, data_dict)
    data = schema.validate(data_dict, schema.suggest(), context)
    return specifications.suggestions(data.get("conforms_to", []))


@tk.side_effect_free
def specification_list(context: dict[str, Any], data_dict: dict[str, Any]) -> list[dict[str, Any]]:
    """The register of national dataset specifications."""
    tk.check_access("specification_list", context, data_dict)
    return [dict(spec) for spec in specifications.specifications()]


@tk.side_effect_free
@schema.arguments(schema.by_uri)
def specification_show(context: dict[str, Any], data_dict: dict[str, Any]) -> dict[str, Any]:
    """One specification of the register, by ``uri``, with the columns of its Table Schema (name, required,
    type, rules, example and where the example comes from)."""
    tk.check_access("specification_show", context, data_dict)
    spec = specifications.get(schema.validate(data_dict, schema.by_uri(), context)["uri"])
    if spec is None:
        raise tk.ObjectNotFound(tk._("No specification with that URI in the register"))
    return {**spec, "columns": specifications.columns(spec)}


@tk.side_effect_free
def overview_show(context: dict[str, Any], data_dict: dict[str, Any]) -> dict[str, Any]:
    """The coverage matrix (requested datasets × organizations) with the demand for each (requests for
    data and their supporters), quality per organization and dataset,
    datasets per organization and year. Counts only what the caller may see; the anonymous (public)
    overview is kept until what it shows changes (catalog/caching.py)."""
    tk.check_access("overview_show", context, data_dict)
    if not context.get("user"):
        return caching.cached_value(f"overview:{current_language()}",
                                    lambda: caching.fingerprint() + report.demand_state()
                                    + reuse_store.approved_state(),
                                    lambda: report.overview(context))
    return report.overview(context)


@tk.side_effect_free
@schema.arguments(schema.by_id)
def quality_show(context: dict[str, Any], data_dict: dict[str, Any]) -> dict[str, Any]:
    """The metadata quality score of one dataset (``id``), with every indicator and what to improve."""
    tk.check_access("quality_show", context, data_dict)
    data = schema.validate(data_dict, schema.by_id(), context)
    dataset = tk.get_action("package_show")(dict(context), {"id": data["id"]})
    return quality.score(dataset)


# CKAN core's tag actions list every free tag, also those used only by private, draft or deleted
# datasets, which can reveal what a municipality keeps unpublished. These chained versions keep only the
# tags of datasets the caller may see (vocabulary tags are not affected).
def _visible_tags(context: dict[str, Any]) -> set[str]:
    result = tk.get_action("package_search")(
        {"user": context.get("user", "")},
        {"rows": 0, "include_private": True, "facet.field": ["tags"], "facet.limit": -1})
    return set(result["facets"].get("tags", {}))


def _tag_name(tag: Any) -> str:
    return tag["name"] if isinstance(tag, dict) else str(tag)


def _checked(context: dict[str, Any], data_dict: dict[str, Any]) -> dict[str, Any]:
    """CKAN's tag actions fail with a server error on a search text that is not text; refuse it first."""
    checked = schema.validate(data_dict, schema.tag_query(), context)
    return {**data_dict, **{k: v for k, v in checked.items() if k in ("q", "query", "vocabulary_id")}}


def _visible_only(context: dict[str, Any], data_dict: dict[str, Any], tags: list[Any]) -> list[Any]:
    if data_dict.get("vocabulary_id"):
        return tags
    visible = _visible_tags(context)
    return [t for t in tags if _tag_name(t) in visible]


@tk.side_effect_free
@tk.chained_action
@schema.arguments(schema.tag_query)
def tag_list(up_func, context, data_dict):
    return _visible_only(context, data_dict, up_func(context, _checked(context, data_dict)))


@tk.side_effect_free
@tk.chained_action
@schema.arguments(schema.tag_query)
def tag_search(up_func, context, data_dict):
    tags = _visible_only(context, data_dict, up_func(context, _checked(context, data_dict))["results"])
    return {"count": len(tags), "results": tags}


@tk.side_effect_free
@tk.chained_action
@schema.arguments(schema.tag_query)
def tag_autocomplete(up_func, context, data_dict):
    return _visible_only(context, data_dict, up_func(context, _checked(context, data_dict)))


# A harvest source: its organization and address checked (``harvesting.sources``), its classification
# confirmation (``harvesting.classification``) recorded from the flag, never taken from input, whichever
# way the source is saved (ckanext-harvest's actions and its form both end in these). An update also notes
# which resources it was sent, for the publishing rule (publishing.py).
@tk.chained_action
def package_create(up_func, context, data_dict):
    if classification.is_source(data_dict):
        sources.check(data_dict)
        classification.record(context, data_dict, None)
    return up_func(context, data_dict)


@tk.chained_action
def package_update(up_func, context, data_dict):
    publishing.note_sent_resources(context, data_dict)  # which resources the save leaves (publishing.py)
    package = ckan_model.Package.get(data_dict.get("id") or data_dict.get("name") or "")
    if not classification.is_source(data_dict, package):
        return up_func(context, data_dict)
    sources.check(data_dict, package)
    before = classification.confirmation(package)
    classification.record(context, data_dict, package)
    result = up_func(context, data_dict)
    if package is not None:
        classification.withdrawn(before, package.id)
    return result


# Solr unreachable: the search page catches the failure itself and would show an empty list with 200;
# noted here, so that the page answers 503 instead (outages.py).
@tk.side_effect_free
@tk.chained_action
def package_search(up_func, context, data_dict):
    try:
        return up_func(context, data_dict)
    except (SearchError, SolrConnectionError) as error:
        outages.note_search_failure(error)
        raise


# A purge removes the dataset from the index before it deletes the rows; whatever indexed it in between is
# removed here once the purge has committed (search/reindexing.py).
@tk.chained_action
def dataset_purge(up_func, context, data_dict):
    package = ckan_model.Package.get(data_dict.get("id") or "")
    package_id = package.id if package is not None else None
    result = up_func(context, data_dict)
    if package_id:
        reindexing.forget_purged(package_id)
    return result


# CKAN chains an action by wrapping it in functools.partial, and its help_show answered with the docstring
# of functools.partial ("partial(func, *args, **keywords) - new function ..."), for package_search too.
# Here: the action's own documentation, CKAN's, followed by what each plugin's link of the chain says.
@tk.side_effect_free
@tk.chained_action
def help_show(up_func, context, data_dict):
    """The portal answers with CKAN's own documentation of the actions it chains, and its own actions'.

    :param name: the action's name, e.g. ``package_search``
    :type name: string
    """
    up_func(context, data_dict)  # the access check, and NotFound for a name that is no action
    return action_doc(tk.get_action(data_dict["name"]))


def action_doc(action: Any) -> str | None:
    """The documentation of an action as CKAN serves it (wrapped, and chained as partials)."""
    notes = []
    inner = getattr(action, "__wrapped__", action)
    while isinstance(inner, functools.partial) and inner.args:
        if inner.func.__doc__:
            notes.append(inspect.cleandoc(inner.func.__doc__))
        inner = getattr(inner.args[0], "__wrapped__", inner.args[0])
    docs = [inspect.cleandoc(inner.__doc__)] if inner.__doc__ else []
    return "\n\n".join(docs + notes[::-1]) or None
