"""Every string the extension adds is translated to Swedish, and the catalog is current with the code."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parents[1]
PO = ROOT / "ckanext/kalmar_oppnadata/i18n/sv/LC_MESSAGES/ckanext-kalmar_oppnadata.po"


def test_every_message_in_the_code_has_a_swedish_translation(tmp_path):
    pot = tmp_path / "messages.pot"
    subprocess.run(
        [sys.executable, "-m", "babel.messages.frontend", "extract", "-F", str(ROOT / "babel.cfg"),
         "-k", "N_", "--no-location", "-o", str(pot), str(ROOT / "ckanext/kalmar_oppnadata")],
        check=True, capture_output=True, cwd=ROOT,
    )
    extracted = {e.msgid for e in polib.pofile(str(pot)) if e.msgid}
    catalog = polib.pofile(str(PO))
    translated = {e.msgid for e in catalog if e.translated() and not e.obsolete}
    missing = sorted(extracted - translated)
    assert not missing, f"run scripts/i18n and translate: {missing}"
    assert catalog.metadata["Language"] == "sv"


UPSTREAM = ROOT / "ckanext/kalmar_oppnadata/i18n/upstream-sv.po"
POT = ROOT / "ckanext/kalmar_oppnadata/i18n/ckanext-kalmar_oppnadata.pot"


def test_the_upstream_overrides_are_in_the_compiled_catalog_as_kept():
    catalog = {e.msgid: e for e in polib.pofile(str(PO)) if not e.obsolete}
    upstream = [e for e in polib.pofile(str(UPSTREAM)) if not e.obsolete]
    assert len(upstream) > 300
    for entry in upstream:
        assert entry.translated(), entry.msgid
        ours = catalog.get(entry.msgid)
        assert ours is not None, f"run scripts/i18n: {entry.msgid!r} missing from the catalog"
        assert (ours.msgstr, ours.msgstr_plural) == (entry.msgstr, entry.msgstr_plural), entry.msgid


def test_javascript_messages_of_other_extensions_reach_ckans_javascript_catalog():
    """CKAN builds /api/i18n/sv from the messages that a .pot file places in a .js file."""
    in_js = {e.msgid for e in polib.pofile(str(POT)) if any(path.endswith(".js") for path, _ in e.occurrences)}
    assert {"Please draw query extent in the map:", "Apply", "Remove item", "Zoom in", "Draw a rectangle"} <= in_js


def test_one_term_for_a_dataset_in_every_swedish_text():
    """"datamängd", never "dataset" or "paket", in the portal's Swedish texts (identifiers such as
    "min-datamangd" aside)."""
    wrong = [e.msgid for e in polib.pofile(str(PO)) if e.translated() and not e.obsolete
             for text in [e.msgstr, *e.msgstr_plural.values()]
             if any(word in text.lower().split() or f"{word}et" in text.lower() for word in ("dataset", "paket"))]
    assert not wrong, wrong
