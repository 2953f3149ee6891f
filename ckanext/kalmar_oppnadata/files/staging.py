"""Replacing a resource's DataStore table without ever losing the good one.

A new file is loaded into a staging table beside the resource's table, through the DataStore's own backend
(the same table layout, full-text trigger and indexes as ``datastore_create`` makes). Only when every row is
in does one transaction drop the old table and give the staging table its name, so ``datastore_search``
answers either from the old rows or from the new ones, never from half a table and never from none. A load
that fails drops the staging table and leaves the old one as it was. (CKAN's DataStore aliases of a table,
which this portal does not make, do not survive a reload.)

A resource loaded for the first time has no table to keep: it is made with ``datastore_create`` directly,
which also marks the resource ``datastore_active``.
"""
from __future__ import annotations

import hashlib
from typing import Any, Iterable, Iterator

import sqlalchemy as sa

import ckan.plugins.toolkit as tk

BATCH = 1000


def _batches(records: Iterable[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    batch: list[dict[str, Any]] = []
    for record in records:
        batch.append(record)
        if len(batch) >= BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def _engine():
    from ckanext.datastore.backend.postgres import get_write_engine

    return get_write_engine()


def _quoted(name: str) -> str:
    from ckanext.datastore.backend.postgres import identifier

    return identifier(name)


def table_exists(resource_id: str) -> bool:
    with _engine().connect() as connection:
        return connection.execute(sa.text("SELECT 1 FROM pg_tables WHERE tablename = :name"),
                                  {"name": resource_id}).first() is not None


def drop(context: dict[str, Any], resource_id: str) -> None:
    """Remove the resource's table (a file that is no longer a table)."""
    try:
        tk.get_action("datastore_delete")(dict(context), {"resource_id": resource_id, "force": True})
    except tk.ObjectNotFound:
        pass


def _create_directly(context: dict[str, Any], resource_id: str, fields: list[dict[str, Any]],
                     records: Iterable[dict[str, Any]]) -> None:
    batches = _batches(records)
    try:
        tk.get_action("datastore_create")(dict(context), {
            "resource_id": resource_id, "force": True, "fields": fields, "records": next(batches, [])})
        for batch in batches:
            tk.get_action("datastore_upsert")(dict(context), {
                "resource_id": resource_id, "force": True, "method": "insert", "records": batch})
    except Exception:
        drop(context, resource_id)  # a first load that fails leaves no partial table
        raise


def _validated(schema_name: str, context: dict[str, Any], data_dict: dict[str, Any]):
    """``data_dict`` through the DataStore action's own schema (its defaults are what the backend reads),
    with the staging table's name taken as is (it is no resource). Returns it and the plugins' data."""
    from ckanext.datastore.logic import schema as datastore_schema

    schema = getattr(datastore_schema, schema_name)()
    schema["resource_id"] = [tk.get_validator("unicode_safe")]
    records = data_dict.pop("records", None)
    validate_context = {**context, "plugin_data": {}}
    data, errors = tk.navl_validate(data_dict, schema, validate_context)
    if errors:
        raise tk.ValidationError(errors)
    data["records"] = records
    return data, validate_context["plugin_data"]


def _staged(context: dict[str, Any], staging: str, fields: list[dict[str, Any]],
            records: Iterable[dict[str, Any]]) -> None:
    from ckanext.datastore.backend import DatastoreBackend

    backend = DatastoreBackend.get_active_backend()
    batches = _batches(records)
    data, plugin_data = _validated("datastore_create_schema", context, {
        "resource_id": staging, "fields": fields, "records": next(batches, [])})
    backend.create(dict(context), data, plugin_data)
    for batch in batches:
        data, _ = _validated("datastore_upsert_schema", context, {
            "resource_id": staging, "method": "insert", "records": batch})
        backend.upsert(dict(context), data)


def _drop_staging(staging: str) -> None:
    with _engine().begin() as connection:
        connection.execute(sa.text(f"DROP TABLE IF EXISTS {_quoted(staging)} CASCADE"))


def replace(context: dict[str, Any], resource_id: str, fields: list[dict[str, Any]],
            records: Iterable[dict[str, Any]]) -> None:
    """Make the resource's table hold exactly ``records``; on any failure the previous table stays."""
    if not table_exists(resource_id):
        _create_directly(context, resource_id, fields, records)
        return
    # One staging name per resource: a load that died (worker killed) leaves its table, dropped here.
    staging = "kalmar_staging_" + hashlib.sha1(resource_id.encode()).hexdigest()[:32]
    _drop_staging(staging)
    try:
        _staged(context, staging, fields, records)
        with _engine().begin() as connection:
            connection.execute(sa.text(f"DROP TABLE {_quoted(resource_id)} CASCADE"))
            connection.execute(sa.text(f"ALTER TABLE {_quoted(staging)} RENAME TO {_quoted(resource_id)}"))
            # The DataStore's cached row count of the old table goes with it (ckanext-datastore's own table).
            connection.execute(sa.text("DELETE FROM _table_stats WHERE resource_id = :id"), {"id": resource_id})
    except Exception:
        _drop_staging(staging)
        raise
