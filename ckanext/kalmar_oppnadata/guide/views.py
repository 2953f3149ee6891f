"""The developer guide's page: /utvecklare in Swedish, /en/utvecklare in English (CKAN's language prefix)."""
from __future__ import annotations

from flask import Blueprint

import ckan.plugins.toolkit as tk

from ckanext.kalmar_oppnadata.common import current_language
from ckanext.kalmar_oppnadata.guide import examples

guide_pages = Blueprint("kalmar_guide", __name__)


def _example_table() -> tuple[str | None, str]:
    """The example table's resource id and a Markdown link to its dataset, if the visitor may see it."""
    try:
        dataset = tk.get_action("package_show")(
            {"user": tk.current_user.name if tk.current_user.is_authenticated else ""},
            {"id": examples.table_dataset()})
    except (tk.ObjectNotFound, tk.NotAuthorized):
        return None, tk._("a table of the portal (the id is in the API box of its resource page)")
    resource_id = examples.table_resource_id(dataset)
    if resource_id is None:
        return None, tk._("a table of the portal (the id is in the API box of its resource page)")
    title = tk.h.dataset_display_name(dataset)
    return resource_id, f"[{title}]({tk.h.url_for('dataset.read', id=dataset['name'])})"


@guide_pages.route("/utvecklare", endpoint="index")
def guide_index():
    resource_id, dataset_link = _example_table()
    portal = tk.config.get("ckan.site_url")
    sections = examples.sections(portal, resource_id, current_language(), dataset_link)
    return tk.render("guide/index.html", {"sections": sections})
