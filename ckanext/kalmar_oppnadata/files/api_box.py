"""What the resource page's API box offers for a table in the DataStore: example calls that work as
printed (Action API and plain downloads), built from the table's own columns and first row."""
from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote, urlencode

import ckan.plugins.toolkit as tk

from ckanext.kalmar_oppnadata.files import loading
from ckanext.kalmar_oppnadata.openapi import addresses


def _action_url(action: str, **params: Any) -> str:
    return tk.url_for("api.action", ver=3, logic_function=action, _external=True, locale="default") + "?" + urlencode(
        params, quote_via=quote)


def data_service(resource: dict[str, Any]) -> dict[str, str]:
    """The DataStore API of a table resource: its URI (the resource page's API box), the search
    endpoint, and the table's OpenAPI description (openapi/)."""
    page = tk.url_for("resource.read", id=resource["package_id"], resource_id=resource["id"], _external=True)
    return {"uri": f"{page}#kalmar-api",
            "endpoint_url": tk.url_for("api.action", ver=3, logic_function="datastore_search", _external=True,
                                         locale="default"),
            "endpoint_description": addresses.table_description(resource["id"])}


def _first_record(context: dict[str, Any], resource_id: str) -> dict[str, Any]:
    try:
        records = tk.get_action("datastore_search")(dict(context), {"resource_id": resource_id, "limit": 1})["records"]
    except (tk.ObjectNotFound, tk.NotAuthorized, tk.ValidationError):
        return {}
    return records[0] if records else {}


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


SQL_EXAMPLE_COLUMNS = 5  # an example, short enough to read; the reader adds the columns they want


def select_example(resource_id: str, fields: list[dict[str, Any]]) -> str:
    """An SQL example naming the table's own columns (its first few): ``SELECT *`` would also return the
    DataStore's internal full-text column (``_full_text``), which means nothing to the reader."""
    own = [f["id"] for f in fields if not f["id"].startswith("_")][:SQL_EXAMPLE_COLUMNS]
    columns = ", ".join(_quoted(name) for name in own) or _quoted("_id")
    return f"SELECT {columns} FROM {_quoted(resource_id)} LIMIT 5"


def box(context: dict[str, Any], resource: dict[str, Any]) -> dict[str, Any] | None:
    """The API box of a resource page: the load state, and when loaded, example calls and downloads."""
    state = loading.state(resource)
    if state is None:
        return None
    result: dict[str, Any] = {**state, "calls": [], "downloads": []}
    if state["state"] != "complete" or not resource.get("datastore_active"):
        return result
    rid = resource["id"]
    calls = [{"label": tk._("The first five rows"), "url": _action_url("datastore_search", resource_id=rid, limit=5)}]
    first = _first_record(context, rid)
    text_column = next((f["id"] for f in state["status"].get("fields", [])
                        if f["type"] == "text" and first.get(f["id"])), None)
    if text_column:
        value = first[text_column]
        calls.append({"label": tk._("Rows where {column} is {value}").format(column=text_column, value=value),
                      "url": _action_url("datastore_search", resource_id=rid,
                                         filters=json.dumps({text_column: value}, ensure_ascii=False))})
    sql = select_example(rid, state["status"].get("fields", []))
    calls.append({"label": tk._("SQL (read-only)"), "url": _action_url("datastore_search_sql", sql=sql)})
    result["calls"] = calls
    dump = tk.url_for("datastore.dump", resource_id=rid, _external=True, locale="default")
    result["description"] = addresses.table_description(rid)
    result["explorer"] = tk.url_for("kalmar_openapi.explorer", id=resource["package_id"], resource_id=rid)
    result["downloads"] = [{"label": label, "url": f"{dump}?format={fmt}"}
                           for label, fmt in (("CSV", "csv"), ("Excel (XLSX)", "xlsx"), ("JSON", "json"))]
    return result
