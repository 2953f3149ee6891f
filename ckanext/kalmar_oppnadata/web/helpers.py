"""Template helpers (registered with ``toolkit.blanket.helpers``)."""
from __future__ import annotations

import functools
from typing import Any

import ckan.plugins.toolkit as tk
from ckan.lib import datapreview

from ckanext.kalmar_oppnadata.common import as_list, current_language, portal_gettext
from ckanext.kalmar_oppnadata.dialog import guard
from ckanext.kalmar_oppnadata.dialog import store as dialog_store
from ckanext.kalmar_oppnadata.files import api_box, checking, dumps, formats, records, types
from ckanext.kalmar_oppnadata.harvesting import classification
from ckanext.kalmar_oppnadata.links import wording as link_wording
from ckanext.kalmar_oppnadata.overview import quality
from ckanext.kalmar_oppnadata.proposals import store as proposal_store
from ckanext.kalmar_oppnadata.registers import licenses, organizations, requested_datasets, specifications, vocabularies
from ckanext.kalmar_oppnadata.reuse import store as reuse_store
from ckanext.kalmar_oppnadata.search.paging import all_datasets
from ckanext.kalmar_oppnadata.web import dates, error_pages, identity

__all__ = [
    "kalmar_honeypot_name",
    "kalmar_translated_titles",
    "kalmar_column_type",
    "kalmar_proposal",
    "kalmar_organization_facts",
    "kalmar_publisher_uri",
    "kalmar_vocabulary_choices",
    "kalmar_license_uri_choices",
    "kalmar_form_default",
    "kalmar_section_label",
    "kalmar_as_list",
    "kalmar_sdg_goal",
    "kalmar_specifications",
    "kalmar_default_map_extent",
    "kalmar_facet_base_url",
    "kalmar_validation_status",
    "kalmar_invalid_resources",
    "kalmar_table_api",
    "kalmar_requested_dataset_choices",
    "kalmar_quality",
    "kalmar_organization_quality",
    "kalmar_home",
    "kalmar_sdg_goals",
    "kalmar_source_classification",
    "kalmar_organization",
    "kalmar_dump_formats",
    "kalmar_logo",
    "kalmar_favicon",
    "kalmar_contact",
    "kalmar_organization_description",
    "kalmar_link_check",
    "kalmar_link_problem",
    "kalmar_broken_links",
    "kalmar_published_questions",
    "kalmar_reuse_of_dataset",
    "kalmar_reuse_kind",
    "kalmar_column_rule",
    "kalmar_specification_template_url",
    "render_datetime",
    "kalmar_license_title",
    "kalmar_view_title",
    "kalmar_error_page",
    "get_translated",
    "dataset_display_name",
    "url_for",
    "markdown_extract",
]

# Organization fields shown as facts, in this order; the rest of the schema is form-only.
_FACT_FIELDS = ("identifier", "municipality_code", "dcat_type", "url", "email", "contact_name",
                "psidata_url", "geonames_uri")
_LINK_FIELDS = {"url", "psidata_url", "geonames_uri"}


def kalmar_organization_facts(org: dict[str, Any]) -> list[dict[str, Any]]:
    """The organization's facts as rows {label, value, href}, labels and choices in the UI language."""
    schema = tk.h.scheming_get_organization_schema(org.get("type") or "organization") or {}
    fields = {f["field_name"]: f for f in schema.get("fields", [])}
    rows = []
    for name in _FACT_FIELDS:
        field, value = fields.get(name), org.get(name)
        if not field or not value:
            continue
        shown = value
        if field.get("choices"):
            shown = tk.h.scheming_choices_label(field["choices"], value)
        href = value if name in _LINK_FIELDS else (f"mailto:{value}" if name == "email" else None)
        rows.append({"label": tk.h.scheming_language_text(field["label"]), "value": shown, "href": href})
    return rows


def kalmar_publisher_uri(org: dict[str, Any]) -> str | None:
    """``http://dataportal.se/organisation/SE<orgnr>`` when the organisation number is known."""
    return organizations.dataportal_uri(org)


def kalmar_vocabulary_choices(field: dict[str, Any]) -> list[dict[str, Any]]:
    """Scheming ``choices_helper``: the concepts of the field's ``vocabulary``, labels in sv and en."""
    vocab = vocabularies.get(field["vocabulary"])
    return [{"value": vocab.stored(c), "label": dict(c.labels)} for c in vocab.concepts]


def kalmar_license_uri_choices(field: dict[str, Any]) -> list[dict[str, Any]]:
    """Scheming ``choices_helper`` for a resource's own licence: stored as the licence URI."""
    return [{"value": lic["url"], "label": lic["title"]} for lic in licenses.licenses()]


def kalmar_form_default(field_name: str) -> str:
    """A new dataset's default for ``field_name`` from its organization: the one named in the URL
    (``?group=``, as CKAN's "Add dataset" button on an organization page sends), or the only
    organization the editor may publish in. Otherwise the form's script fills it on choosing one."""
    org_id = tk.request.args.get("group") or tk.request.args.get("owner_org")
    if not org_id:
        available = tk.h.organizations_available("create_dataset", include_dataset_count=False)
        if len(available) == 1:
            org_id = available[0]["id"]
    return organizations.dataset_default(org_id, field_name) if org_id else ""


def kalmar_section_label(section: Any) -> str:
    return tk.h.scheming_language_text(section)


def kalmar_as_list(value: Any) -> list[str]:
    """A field value as a list of strings, whether it is a list, a JSON list, or a single value."""
    return [str(v) for v in as_list(value)]


def kalmar_sdg_goal(value: Any) -> vocabularies.Concept | None:
    return vocabularies.get("sdg").get(value)


def kalmar_specifications() -> tuple[dict[str, Any], ...]:
    return specifications.specifications()


def kalmar_default_map_extent() -> str:
    """Where map search starts: the extent of the organization publishing the portal (the region), as
    stored; read once per request (the search page's templates ask for it twice)."""
    extent = getattr(tk.g, "_kalmar_map_extent", None)
    if extent is None:
        name = tk.config.get("ckanext.kalmar_oppnadata.catalog_publisher")
        region = (organizations.own_fields(name) if name else None) or {}
        extent = tk.g._kalmar_map_extent = region.get("spatial") or ""
    return extent


def kalmar_facet_base_url() -> str | None:
    """The address each facet link adds its filter to, or removes it from: the current page without its
    parameters, as CKAN's ``add_url_param`` and ``remove_url_param`` build it (the request's endpoint and
    view arguments; ``/en`` kept). They build it again for every link, a ``url_for`` each, about 50 per
    search page; ``package/snippets/search_facets.html`` builds it once per page with this and hands it to
    them as ``alternative_url``, which they append the parameters to in the same way. None without an
    endpoint: CKAN's own way then."""
    blueprint, view = tk.get_endpoint()
    if not blueprint or not view:
        return None
    endpoint = f"{getattr(tk.g, 'controller', blueprint)}.{getattr(tk.g, 'action', view)}"
    return tk.url_for(endpoint, **(tk.request.view_args or {}))


def kalmar_validation_status(resource: dict[str, Any], dataset: dict[str, Any]) -> dict[str, Any] | None:
    """What the resource page says about the resource's check against its dataset's specification."""
    spec = specifications.for_dataset(dataset)
    if spec is None or formats.table_format(resource) != "csv":
        return None
    report = records.report_of(resource)
    stale = checking.needs_check(resource, spec)
    return {"state": "pending" if stale else report["status"], "report": None if stale else report,
            "specification_name": spec["name"], "columns": specifications.columns(spec),
            "template_url": kalmar_specification_template_url(spec)}


def kalmar_specification_template_url(spec: dict[str, Any]) -> str | None:
    """Where the specification's CSV template is downloaded (None without a Table Schema)."""
    return tk.url_for("kalmar_specifications.template", slug=spec["slug"]) if spec.get("table_schema") else None


def kalmar_column_rule(column: dict[str, Any]) -> str:
    """A column's type and rules in the UI language: "number, from 55 to 70", "text of the form Q[0-9]+"."""
    kinds = {"string": tk._("text"), "number": tk._("number with a decimal point"), "integer": tk._("whole number"),
             "date": tk._("date (YYYY-MM-DD)"), "boolean": tk._("true or false")}
    parts = [kinds.get(column["type"], column["type"])]
    if column.get("minimum") is not None or column.get("maximum") is not None:
        parts.append(tk._("from {minimum} to {maximum}").format(
            minimum=column.get("minimum", "…") if column.get("minimum") is not None else "…",
            maximum=column.get("maximum") if column.get("maximum") is not None else "…"))
    if column.get("pattern"):
        parts.append(tk._("of the form {pattern}").format(pattern=column["pattern"]))
    if column.get("enum"):
        parts.append(tk._("one of {values}").format(values=", ".join(str(v) for v in column["enum"])))
    return ", ".join(parts)


@tk.chained_helper
def render_datetime(next_helper, datetime_=None, date_format=None, with_hours=False, with_seconds=False):
    """CKAN's ``render_datetime`` in Swedish form and the portal's time zone ("30 november 2026 kl. 18:36");
    an explicit ``date_format`` is CKAN's to render."""
    value = dates.parse(datetime_)
    if date_format or value is None:
        return next_helper(datetime_, date_format=date_format, with_hours=with_hours, with_seconds=with_seconds)
    return dates.local_text(value, tk.h.lang() or "sv", tk.h.get_display_timezone(),
                            with_hours=with_hours, with_seconds=with_seconds)


def kalmar_table_api(resource: dict[str, Any]) -> dict[str, Any] | None:
    """The resource page's API box (see files/api_box.py): None for files that are not tables."""
    user = tk.current_user.name if tk.current_user.is_authenticated else ""
    return api_box.box({"user": user}, resource)


def kalmar_column_type(column_type: str) -> str:
    """A DataStore column's type as the data dictionary names it."""
    return tk._(types.NAMES[column_type]) if column_type in types.NAMES else column_type


def kalmar_honeypot_name() -> str:
    """The public forms' trap field's name (dialog/guard.py)."""
    return guard.HONEYPOT


def kalmar_translated_titles(titles: dict[str, str]) -> dict[str, str]:
    """Facet titles another extension gives untranslated (ckanext-harvest's), in the page's language."""
    return {field: tk._(title) for field, title in titles.items()}


def kalmar_invalid_resources(dataset: dict[str, Any]) -> list[dict[str, Any]]:
    return checking.failing_resources(dataset)


def kalmar_requested_dataset_choices(field: dict[str, Any]) -> list[dict[str, Any]]:
    return [{"value": r["id"], "label": {"sv": r["name"], "en": r["name_en"]}}
            for r in requested_datasets.requested_datasets()]


def kalmar_quality(dataset: dict[str, Any]) -> dict[str, Any]:
    return quality.score(dataset)


def kalmar_organization_quality(org: dict[str, Any]) -> dict[str, Any] | None:
    """Average quality of the organization's datasets the visitor may see."""
    context = {"user": tk.current_user.name if tk.current_user.is_authenticated else ""}
    scores = [quality.score(d)["percent"]
              for d in all_datasets(context, fq=f'owner_org:"{org["id"]}"', include_private=True)]
    return {"datasets": len(scores), "percent": round(sum(scores) / len(scores))} if scores else None


def kalmar_home() -> dict[str, Any]:
    """The start page's content, counted as the visitor may see it (read once per request)."""
    cached = getattr(tk.g, "_kalmar_home", None)
    if cached is not None:
        return cached
    context = {"user": tk.current_user.name if tk.current_user.is_authenticated else ""}
    found = tk.get_action("package_search")(dict(context), {
        "rows": 5, "sort": "metadata_created desc", "facet.field": ["organization"], "facet.limit": -1})
    counts = found["facets"].get("organization", {})
    home = {
        "organizations": [{"name": o["name"], "title": o["title"], "count": counts.get(o["name"], 0)}
                          for o in organizations.all_organizations()],
        "newest": found["results"],
        "goals": tk.get_action("agenda2030_summary")(dict(context), {})["goals"],
    }
    tk.g._kalmar_home = home
    return home


def kalmar_sdg_goals() -> tuple[vocabularies.Concept, ...]:
    return vocabularies.get("sdg").concepts


def kalmar_source_classification(data: dict[str, Any]) -> dict[str, Any]:
    """The harvest source form's classification box: ``checked`` and the stored ``record`` (by, at)."""
    return classification.form_state(data or {})


def kalmar_organization(id_or_name: str) -> dict[str, Any] | None:
    """An organization's own fields, read from the database only (no dataset count, so no search)."""
    return organizations.organization(id_or_name)


def kalmar_dump_formats() -> tuple[tuple[str, str, bool], ...]:
    """The table downloads the resource page offers: (label, format, byte order mark)."""
    return dumps.OFFERED


def kalmar_logo() -> dict[str, str]:
    return identity.logo()


def kalmar_favicon() -> str:
    return identity.favicon()


def kalmar_contact() -> dict[str, str]:
    return identity.contact()


def kalmar_organization_description(org: dict[str, Any]) -> list[dict[str, str | None]]:
    return identity.organization_description(org or {})


def kalmar_link_check(resource: dict[str, Any]) -> dict[str, Any] | None:
    return link_wording.result(resource)


def kalmar_link_problem(check: dict[str, Any]) -> str:
    return link_wording.problem(check)


def kalmar_broken_links(org: dict[str, Any]) -> list[dict[str, Any]]:
    """The organization's datasets with broken links, as the signed-in user may see them (members see their
    private datasets too), each with its broken resources."""
    found = tk.get_action("package_search")({"user": tk.g.user}, {
        "fq": f'owner_org:"{org["id"]}" -broken_links:0', "include_private": True, "rows": 100,
        "sort": "title_string asc"})
    return [{"dataset": d, "resources": link_wording.broken(d)} for d in found["results"]]


def kalmar_published_questions(dataset: dict[str, Any]) -> list[dict[str, Any]]:
    """Questions about a public dataset answered and published by its editors (never the asker's address)."""
    return [] if dataset.get("private") else dialog_store.published(dataset["id"])
def kalmar_reuse_of_dataset(dataset: dict[str, Any]) -> list[dict[str, Any]]:
    """The approved examples of use of a dataset ("Används i"), as the visitor may see them."""
    return tk.get_action("reuse_list")({"user": tk.g.user}, {"package_id": dataset["id"]})


def kalmar_reuse_kind(kind: str) -> str:
    """The name of an example's kind in the visitor's language."""
    return tk._(reuse_store.KIND_LABELS[kind]) if kind in reuse_store.KIND_LABELS else kind


# The English UI (/en/): a dataset's English title and description (the schema's title_en, notes_en) where the
# editor gave them; CKAN's own answer otherwise. Chained onto CKAN's helpers, so every core template that
# shows a title or description through them follows.
def _in_english(data: Any, field: str) -> str | None:
    if current_language() == "en" and isinstance(data, dict):
        return data.get(f"{field}_en") or None
    return None


@tk.chained_helper
def get_translated(next_helper, data_dict: dict[str, Any], field: str) -> Any:
    return _in_english(data_dict, field) or next_helper(data_dict, field)


@tk.chained_helper
def dataset_display_name(next_helper, package_or_package_dict: Any) -> str:
    return _in_english(package_or_package_dict, "title") or next_helper(package_or_package_dict)


@tk.chained_helper
def markdown_extract(next_helper, text: str | None, extract_length: int = 190) -> str:
    """CKAN's plain-text extract of a Markdown text, made once per text and length: a search page asks
    for each result's twice (CKAN's package_item.html and ours), and the same descriptions come back on
    page after page. The extract depends on nothing but its arguments."""
    return _markdown_extract(next_helper, text or "", extract_length)


@functools.lru_cache(maxsize=2048)
def _markdown_extract(next_helper, text: str, extract_length: int) -> str:
    return next_helper(text, extract_length)


# API addresses and table dumps are the same in every UI language: never /en/api/3/... (CKAN's url_for puts
# the page's language in front of every address it builds).
UNLOCALIZED_ENDPOINTS = ("api.", "datastore.dump")


@tk.chained_helper
def url_for(next_helper, *args: Any, **kw: Any) -> str:
    if args and isinstance(args[0], str) and args[0].startswith(UNLOCALIZED_ENDPOINTS):
        kw.setdefault("locale", "default")
    return next_helper(*args, **kw)


def kalmar_license_title(pkg_dict: dict[str, Any]) -> str:
    """The dataset's licence by its name in the UI language."""
    return licenses.title(pkg_dict.get("license_id"), current_language()) or pkg_dict.get("license_title") or ""


def kalmar_view_title(view: dict[str, Any]) -> str:
    """A preview's name in the UI language. Views get their default title in the portal's language when they
    are made ("Karta", "tabell"); such a title is shown as the view type's default title in the UI language.
    A title an editor wrote is shown as written."""
    plugin = datapreview.get_view_plugin(view.get("view_type"))
    if plugin is None:
        return view.get("title") or ""
    info = plugin.info()
    default = info.get("default_title") or info.get("title")
    if default and view.get("title") in (default, portal_gettext(default)):
        return tk._(default)
    return view.get("title") or ""


def kalmar_proposal(package_id: str) -> dict[str, Any] | None:
    """What was proposed for a draft made from a file (proposals/store.py), if it was."""
    return proposal_store.kept(package_id) if package_id else None


def kalmar_error_page(code: Any, name: str | None, content: Any) -> dict[str, str]:
    """An error page's status, title and text in the visitor's language (web/error_pages.py)."""
    return error_pages.wording(code, name, content)
