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
