"""What was proposed for a draft, kept beside it (Redis, the portal's own) so that its page and its form
can say which values are suggestions and why: the report, the suggested fields, and whether a corrected
file is offered. Kept for ``KEEP`` seconds; the dataset itself holds every value the editor keeps."""
from __future__ import annotations

import json
from typing import Any

from ckan.lib.redis import connect_to_redis

from ckanext.kalmar_oppnadata.proposals import analysis

KEEP = 90 * 24 * 3600
PREFIX = "kalmar:proposal:"
# Dataset fields proposed from a file, in the form's order, with their Swedish and English labels.
FIELD_LABELS = {"title": ("Titel", "Title"), "notes": ("Beskrivning", "Description"),
                "tags": ("Nyckelord", "Keywords"), "title_en": ("Titel på engelska", "Title in English"),
                "theme": ("Datatema (EU)", "Data theme (EU)"), "sdg": ("Globala mål", "Global goals"),
                "conforms_to": ("Följer specifikation", "Conforms to"),
                "temporal_start": ("Tidsperiod från", "Period from"),
                "temporal_end": ("Tidsperiod till", "Period to"), "spatial": ("Utbredning", "Extent"),
                "contact_email": ("Kontakt-e-post", "Contact e-mail")}


def summary(proposal: analysis.Proposal, fields: dict[str, Any], organization: dict[str, Any]) -> dict[str, Any]:
    return {"filename": proposal.filename, "report": proposal.report,
            "suggested": [name for name in FIELD_LABELS if name in fields],
            "extent_source": proposal.extent_source(organization),
            "specification": proposal.spec["name"] if proposal.spec else None,
            "confidence": proposal.match.confidence if proposal.match else None,
            "mapping_offered": proposal.mapping_offered,
            "renames": proposal.match.renames(proposal.table.header) if proposal.match else {},
            "seconds": round(proposal.seconds, 3)}


def keep(package_id: str, kept: dict[str, Any]) -> None:
    connect_to_redis().set(PREFIX + package_id, json.dumps(kept), ex=KEEP)


def kept(package_id: str) -> dict[str, Any] | None:
    value = connect_to_redis().get(PREFIX + package_id)
    return json.loads(value) if value else None
