"""Metadata quality of a dataset, computed from its stored metadata alone (no network requests).

Modelled on the EU Metadata Quality Assessment (MQA) that data.europa.eu and Sveriges dataportal
compute (data.europa.eu/mqa/methodology): five dimensions, the MQA's indicators and weights, plus four
indicators of our own. Differences from the MQA, and why:

* The MQA probes accessURL/downloadURL over HTTP (status 200); we read the portal's own scheduled link check
  (links/), so the score itself needs no network: a portal upload counts as reachable, a link as reachable
  when its last check succeeded.
* "Format/media type from a vocabulary" is scored for IANA-shaped media types, which our schema enforces.
* "DCAT-AP compliance" is scored when the properties DCAT-AP-SE makes mandatory are present (the catalog
  itself is checked with SHACL by ``ckan kalmar validate-catalog``).
* The MQA's "rights" indicator (dct:rights on distributions, 5 points) has no field in our schema and is
  left out, so the MQA part has 400 points instead of 405.

Rating bands are the MQA's, as shares of the maximum: excellent ≥ 351/405, good ≥ 221/405,
sufficient ≥ 121/405, else bad.
"""
from __future__ import annotations

import dataclasses
from typing import Any, Callable

from ckanext.kalmar_oppnadata.common import as_list, recorded
from ckanext.kalmar_oppnadata.files import formats, records
from ckanext.kalmar_oppnadata.freshness import changes, status
from ckanext.kalmar_oppnadata.registers import specifications

NON_PROPRIETARY = {"text/csv", "application/json", "application/geo+json", "application/xml", "text/xml",
                   "application/rdf+xml", "text/turtle", "application/ld+json", "text/plain",
                   "application/vnd.oasis.opendocument.spreadsheet", "application/geopackage+sqlite3",
                   "application/gml+xml", "application/vnd.google-earth.kml+xml", "application/vnd.apache.parquet"}
MACHINE_READABLE = NON_PROPRIETARY - {"text/plain"} | {
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "application/vnd.ms-excel"}
BANDS = ((351 / 405, "excellent", "Utmärkt", "Excellent"), (221 / 405, "good", "Bra", "Good"),
         (121 / 405, "sufficient", "Tillräcklig", "Sufficient"), (0.0, "bad", "Bristfällig", "Bad"))
DIMENSIONS = {
    "findability": ("Sökbarhet", "Findability"),
    "accessibility": ("Tillgänglighet", "Accessibility"),
    "interoperability": ("Interoperabilitet", "Interoperability"),
    "reusability": ("Återanvändbarhet", "Reusability"),
    "contextuality": ("Sammanhang", "Contextuality"),
    "kalmar": ("Kalmar läns egna", "Kalmar County's own"),
}


def _resources(d: dict[str, Any]) -> list[dict[str, Any]]:
    return d.get("resources") or []


def _all(d: dict[str, Any], test: Callable[[dict[str, Any]], bool]) -> bool:
    return bool(_resources(d)) and all(test(r) for r in _resources(d))


def _validation_passed(d: dict[str, Any]) -> bool:
    spec = specifications.for_dataset(d)
    checked = [r for r in _resources(d) if spec and formats.table_format(r) == "csv"]
    return bool(checked) and all((records.report_of(r) or {}).get("status") == "valid" for r in checked)


def _reachable(d: dict[str, Any]) -> bool:
    """Every file answers: uploaded to the portal, or linked and working at its last check (links/)."""
    return _all(d, lambda r: r.get("url_type") == "upload"
                or (recorded(r, "link_check") or {}).get("status") == "ok")


@dataclasses.dataclass(frozen=True)
class Indicator:
    dimension: str
    key: str
    points: int
    label_sv: str
    label_en: str
    advice_sv: str
    advice_en: str
    test: Callable[[dict[str, Any]], bool]


INDICATORS = (
    Indicator("findability", "keywords", 30, "Nyckelord", "Keywords",
              "Lägg till nyckelord.",
              "Add keywords.", lambda d: bool(d.get("tags"))),
    Indicator("findability", "categories", 30, "Datatema", "Categories",
              "Välj minst ett av EU:s datateman.",
              "Choose at least one of the EU's data themes.", lambda d: bool(as_list(d.get("theme")))),
    Indicator("findability", "spatial", 20, "Geografisk täckning", "Geo search",
              "Ange område eller utbredning.",
              "Give the area or extent the data covers.", lambda d: bool(d.get("spatial") or d.get("spatial_uri"))),
    Indicator("findability", "temporal", 20, "Tidsperiod", "Time-based search",
              "Ange vilken tidsperiod data gäller.",
              "Give the time period the data covers.",
              lambda d: bool(d.get("temporal_start") or d.get("temporal_end"))),
    Indicator("accessibility", "access_url", 50, "Åtkomstadress", "Access URL",
              "Varje resurs behöver en fil eller länk.",
              "Every resource needs a file or link.", lambda d: _all(d, lambda r: bool(r.get("url")))),
    Indicator("accessibility", "download_url", 20, "Nedladdningsadress", "Download URL",
              "Ladda upp filen i portalen så får den en nedladdningsadress.",
              "Upload the file to the portal to give it a download URL.",
              lambda d: any(r.get("url_type") == "upload" for r in _resources(d))),
    Indicator("accessibility", "download_url_reachable", 30, "Nåbar nedladdning", "Download URL reachable",
              "Rätta länkar som inte fungerar, eller ladda upp filen i portalen så är den alltid nåbar.",
              "Fix links that do not work, or upload the file to the portal so that it can always be reached.",
              _reachable),
    Indicator("interoperability", "format", 20, "Format", "Format",
              "Ange format för varje resurs.",
              "Give the format of every resource.", lambda d: _all(d, lambda r: bool(r.get("format")))),
    Indicator("interoperability", "media_type", 10, "Mediatyp", "Media type",
              "Ange mediatyp (t.ex. text/csv) för varje resurs.",
              "Give the media type (e.g. text/csv) of every resource.",
              lambda d: _all(d, lambda r: bool(r.get("mimetype")))),
    Indicator("interoperability", "format_vocabulary", 10, "Format ur vokabulär", "Format from vocabulary",
              "Använd en IANA-mediatyp.",
              "Use an IANA media type.", lambda d: _all(d, lambda r: "/" in str(r.get("mimetype") or ""))),
    Indicator("interoperability", "non_proprietary", 20, "Öppet format", "Non-proprietary format",
              "Publicera minst en resurs i ett öppet format, t.ex. CSV eller GeoJSON.",
              "Publish at least one resource in an open format, e.g. CSV or GeoJSON.",
              lambda d: any(r.get("mimetype") in NON_PROPRIETARY for r in _resources(d))),
    Indicator("interoperability", "machine_readable", 20, "Maskinläsbart", "Machine readable",
              "Publicera minst en resurs i ett maskinläsbart format (inte PDF).",
              "Publish at least one resource in a machine-readable format (not PDF).",
              lambda d: any(r.get("mimetype") in MACHINE_READABLE for r in _resources(d))),
    Indicator("interoperability", "dcat_ap", 30, "DCAT-AP-SE", "DCAT-AP compliance",
              "Titel, beskrivning, organisation och minst en resurs med format behövs.",
              "A title, a description, an organization and at least one resource with a format are needed.",
              lambda d: bool(d.get("title") and d.get("notes") and d.get("owner_org"))
              and _all(d, lambda r: bool(r.get("mimetype")))),
    Indicator("reusability", "licence", 20, "Licens", "Licence information",
              "Välj en licens.",
              "Choose a licence.", lambda d: bool(d.get("license_id"))),
    Indicator("reusability", "licence_vocabulary", 10, "Licens ur vokabulär", "Licence vocabulary",
              "Välj en Creative Commons-licens ur listan.",
              "Choose a Creative Commons licence from the list.",
              lambda d: str(d.get("license_url") or "").startswith("http://creativecommons.org/")),
    Indicator("reusability", "access_rights", 10, "Åtkomsträttigheter", "Access restrictions",
              "Ange åtkomsträttigheter.",
              "Give the access rights.", lambda d: bool(d.get("access_rights"))),
    Indicator("reusability", "access_rights_vocabulary", 5, "Åtkomst ur vokabulär", "Access restrictions vocabulary",
              "Välj åtkomsträttighet ur EU:s lista.",
              "Choose the access rights from the EU's list.",
              lambda d: str(d.get("access_rights") or "").startswith("http://publications.europa.eu/resource/authority/access-right/")),
    Indicator("reusability", "contact_point", 20, "Kontaktpunkt", "Contact point",
              "Ange kontakt-e-post.",
              "Give a contact e-mail address.", lambda d: bool(d.get("contact_email"))),
    Indicator("reusability", "publisher", 10, "Utgivare", "Publisher",
              "Datamängden behöver en organisation.",
              "The dataset needs an organization.", lambda d: bool(d.get("owner_org"))),
    Indicator("contextuality", "byte_size", 5, "Filstorlek", "File size",
              "Ladda upp filerna (storleken räknas då ut) eller ange storlek.",
              "Upload the files (their size is then computed) or give their size.",
              lambda d: _all(d, lambda r: bool(r.get("size")))),
    Indicator("contextuality", "issued", 5, "Utgivningsdatum", "Date of issue",
              "Ange när data gavs ut.",
              "Give the date the data was issued.", lambda d: bool(d.get("issued"))),
    Indicator("contextuality", "modified", 5, "Ändringsdatum", "Modification date",
              "Ange när data senast ändrades.",
              "Give the date the data was last modified.", lambda d: bool(d.get("modified"))),
    Indicator("kalmar", "specification", 20, "Följer specifikation", "Conforms to a specification",
              "Följ en nationell specifikation om det finns en (se /specifikationer).",
              "Follow a national specification where there is one (see /specifikationer).",
              lambda d: bool(as_list(d.get("conforms_to")))),
    Indicator("kalmar", "validation", 20, "Godkänd mot specifikationen", "Passes its specification",
              "Rätta felen i filerna enligt kontrollen mot specifikationen.",
              "Correct the files as the check against the specification reports.", _validation_passed),
    Indicator("kalmar", "english", 10, "Engelsk översättning", "English translation",
              "Lägg till titel och beskrivning på engelska.",
              "Add a title and description in English.", lambda d: bool(d.get("title_en") and d.get("notes_en"))),
    Indicator("kalmar", "timeliness", 10, "Uppdateras i tid", "Updated on time",
              "Ange hur ofta datamängden uppdateras, och uppdatera den i tid.",
              "Say how often the dataset is updated, and update it on time.",
              lambda d: changes.of(d).state in (status.CURRENT, status.DUE_SOON, status.NOT_PLANNED)),
    Indicator("kalmar", "goals", 10, "Globala mål", "Global goals",
              "Koppla datamängden till de globala mål den hjälper till att följa upp.",
              "Link the dataset to the global goals it helps to follow up.",
              lambda d: bool(as_list(d.get("sdg")))),
)
MAXIMUM = sum(i.points for i in INDICATORS)


def band(share: float) -> dict[str, str]:
    for threshold, key, sv, en in BANDS:
        if share >= threshold:
            return {"rating": key, "rating_sv": sv, "rating_en": en}
    raise AssertionError("unreachable")


def score(dataset: dict[str, Any]) -> dict[str, Any]:
    """The dataset's score, with every indicator (met or not, points, advice) so the total explains itself."""
    rows = []
    for indicator in INDICATORS:
        met = bool(indicator.test(dataset))
        rows.append({"dimension": indicator.dimension, "indicator": indicator.key, "label": indicator.label_sv,
                     "label_en": indicator.label_en, "max": indicator.points,
                     "points": indicator.points if met else 0, "met": met,
                     "advice": None if met else indicator.advice_sv,
                     "advice_en": None if met else indicator.advice_en})
    total = sum(r["points"] for r in rows)
    dimensions = {
        name: {"label": sv, "label_en": en, "points": sum(r["points"] for r in rows if r["dimension"] == name),
               "max": sum(r["max"] for r in rows if r["dimension"] == name)}
        for name, (sv, en) in DIMENSIONS.items()
    }
    return {"points": total, "max": MAXIMUM, "percent": round(100 * total / MAXIMUM),
            **band(total / MAXIMUM), "dimensions": dimensions, "indicators": rows}
