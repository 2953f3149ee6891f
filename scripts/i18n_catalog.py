"""Build the extension's Swedish catalog: its own messages plus the overrides of upstream messages.

Usage (run by scripts/i18n): python scripts/i18n_catalog.py POT PO UPSTREAM

- POT: the messages extracted from the extension's code and templates (with their locations, so that CKAN's
  ``build_js_translations`` sees which of them the JavaScript modules use);
- PO: the compiled catalog (ckanext-kalmar_oppnadata.po). Its translations of the extension's messages are
  kept; new messages are added untranslated; messages gone from the code become obsolete;
- UPSTREAM: the separately kept Swedish texts for messages of CKAN core and the other extensions (a missing
  or wrong upstream translation, or "dataset" where the portal says "datamängd"). CKAN merges the plugin
  catalogs after its own, ours last (see plugin.py), so an entry here replaces the upstream text. Every one of
  them is written into PO, marked with a comment naming this file: edit them there, not in PO.

PO is written the way babel's write_po writes it (width 76, sorted, no locations). Upstream entries that name
a JavaScript file (``#: ckanext/spatial/assets/js/...js``) are also added to POT: CKAN's JavaScript catalog
(/api/i18n/sv) takes only the messages that some .pot file places in a .js file, and ckanext-spatial ships
none.
"""
from __future__ import annotations

import sys

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

UPSTREAM_COMMENT = "upstream override: edit i18n/upstream-sv.po, not here"


def _read(path: str, locale: str | None = None) -> Catalog:
    with open(path, "rb") as f:
        return read_po(f, locale=locale)


def build(pot_path: str, po_path: str, upstream_path: str) -> Catalog:
    template = _read(pot_path)
    catalog = _read(po_path, locale="sv")
    upstream = _read(upstream_path, locale="sv")
    catalog.update(template, no_fuzzy_matching=True, update_header_comment=False)
    for message in upstream:
        if not message.id:
            continue
        catalog.obsolete.pop(message.id, None)
        ours = catalog.get(message.id, context=message.context)
        if ours is None:
            catalog.add(message.id, message.string, context=message.context,
                        auto_comments=[UPSTREAM_COMMENT])
        else:
            ours.string = message.string
            ours.auto_comments = [UPSTREAM_COMMENT]
    for message in catalog:
        message.locations = []
    return catalog


def add_javascript_messages(pot_path: str, upstream_path: str) -> None:
    template = _read(pot_path)
    for message in _read(upstream_path, locale="sv"):
        if message.id and any(path.endswith(".js") for path, _ in message.locations):
            template.add(message.id, locations=message.locations, context=message.context)
    with open(pot_path, "wb") as f:
        write_po(f, template, width=76, sort_output=True)


def main(pot_path: str, po_path: str, upstream_path: str) -> None:
    add_javascript_messages(pot_path, upstream_path)
    catalog = build(pot_path, po_path, upstream_path)
    with open(po_path, "wb") as f:
        write_po(f, catalog, width=76, sort_output=True, no_location=True)
    untranslated = [m.id for m in catalog if m.id and not m.string]
    print(f"entries without translation: {len(untranslated)}")


if __name__ == "__main__":
    main(*sys.argv[1:])
