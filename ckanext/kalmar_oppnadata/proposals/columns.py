"""Column names made comparable, and a file's header matched against the specifications' Table Schemas.

A header column meets a schema field when their names are equal after ``normal`` (case, accents, spaces,
hyphens and dots set aside: "Post-nummer" and "postnummer" meet), or when the column's name is one of the
field's common synonyms (``SYNONYMS``: Swedish and English names seen in municipal files, e.g. "latitud" for
``latitude``). Order does not matter.

A match's confidence:

- ``high``: every required column of the schema is there, and the schema explains at least 60 % of the
  file's columns (a file with many columns of its own is something else that happens to share a few);
- ``medium``: at least half of the required columns (and at least two) are there: worth a look, never
  proposed by itself;
- ``low``: anything less (not shown).

Only a ``high`` match is proposed as the dataset's specification; a ``medium`` one is named in the report.
"""
from __future__ import annotations

import dataclasses
import re
from typing import Any, Iterable

from ckanext.kalmar_oppnadata.registers import table_schemas

HIGH, MEDIUM, LOW = "high", "medium", "low"
CONFIDENCE_SV = {HIGH: "hög", MEDIUM: "medel", LOW: "låg"}

# Field name → other names for the same column in Swedish municipal files (compared after ``normal``).
SYNONYMS: dict[str, tuple[str, ...]] = {
    "name": ("namn", "benamning", "title", "titel", "platsnamn", "badplats", "badplatsnamn"),
    "place_id": ("platsid", "plats_id", "badplats_id", "badplatsid", "objektid", "objekt_id"),
    "latitude": ("lat", "latitud", "breddgrad", "wgs84_lat", "lat_wgs84"),
    "longitude": ("lon", "lng", "long", "longitud", "langdgrad", "wgs84_lon", "lon_wgs84"),
    "description": ("beskrivning", "info", "information", "om"),
    "street": ("gata", "gatuadress", "adress", "besoksadress"),
    "housenumber": ("husnummer", "gatunummer"),
    "postcode": ("postnummer", "postnr"),
    "city": ("ort", "postort"),
    "country": ("land",),
    "updated": ("uppdaterad", "senast_uppdaterad", "andrad", "senast_andrad"),
    "email": ("epost", "e_post", "mejl", "mail"),
    "phone": ("telefon", "tel", "telefonnummer"),
    "toilet": ("toalett", "wc"),
    "shower": ("dusch",),
    "drinking_water": ("dricksvatten",),
    "changing_room": ("omkladningsrum",),
    "lifeguard": ("badvakt", "livraddare"),
    "lifebuoy": ("livboj",),
    "trash": ("soptunna", "papperskorg"),
    "firstaid": ("forsta_hjalpen",),
    "fireplace": ("grillplats", "eldstad"),
    "bathing_jetty": ("brygga", "badbrygga"),
    "bathing_ladder": ("badstege", "stege"),
    "diving_tower": ("hopptorn",),
    "accessibility": ("tillganglighet",),
    "wheelchair": ("rullstol", "rullstolsanpassad"),
    "watertype": ("vattentyp",),
    "pet_bath": ("hundbad",),
    "camping": ("camping",),
    "hov_ref": ("hav_id", "badvatten_id", "eu_id", "hav_ref"),
    "visit_url": ("webbplats", "hemsida", "url", "lank"),
    "kopare": ("kopare_orgnr", "kopare_id", "organisationsnummer", "orgnr_kopare", "kopande_organisation"),
    "kopare_text": ("kopare_namn", "kopande_organisation_namn", "organisation"),
    "faktura_nr": ("fakturanummer", "fakturanr", "faktura", "verifikationsnummer", "verifikation"),
    "leverantor": ("leverantorsnamn", "leverantor_namn", "leverantorens_namn"),
    "leverantor_id": ("leverantor_orgnr", "leverantorens_orgnr", "orgnr_leverantor", "leverantorsnummer_orgnr"),
    "forvaltning": ("forvaltningsnamn", "forvaltning_namn", "namnd"),
    "konto_nr": ("konto", "kontonummer", "kontonr"),
    "konto_text": ("kontonamn", "kontobenamning", "konto_namn"),
    "belopp": ("summa", "belopp_sek", "belopp_kr", "amount", "kostnad"),
    "datum": ("bokforingsdatum", "fakturadatum", "betaldatum", "date"),
    "valuta": ("currency",),
    "kommun_id": ("kommunkod", "kommun_kod", "kommunnr"),
    "source": ("kalla", "kommunkod_kalla"),
}


def normal(name: str) -> str:
    """A column name compared: case and accents set aside, spaces/hyphens/dots as ``_``."""
    plain = table_schemas.comparable(name)
    return re.sub(r"[^a-z0-9]+", "_", plain).strip("_")


def names_of(field_name: str) -> set[str]:
    """Every name (after ``normal``) under which a column meets this schema field."""
    return {normal(field_name), *(normal(s) for s in SYNONYMS.get(field_name, ()))}


@dataclasses.dataclass
class Match:
    spec: dict[str, Any]
    schema: dict[str, Any]
    # schema field → the file's column (by position) that meets it
    columns: dict[str, int]
    required: list[str]
    missing: list[str]  # required fields without a column
    explained: int  # the file's columns the schema explains (met, or accepted extra columns)
    width: int
    derived: dict[str, str] = dataclasses.field(default_factory=dict)  # field → how it is derived

    @property
    def required_share(self) -> float:
        return 1.0 if not self.required else (len(self.required) - len(self.missing)) / len(self.required)

    @property
    def explained_share(self) -> float:
        return self.explained / self.width if self.width else 0.0

    @property
    def confidence(self) -> str:
        met_required = len(self.required) - len(self.missing)
        if not self.missing and self.explained_share >= 0.6 and len(self.columns) + len(self.derived) >= 2:
            return HIGH
        if self.required_share >= 0.5 and met_required >= 2:
            return MEDIUM
        return LOW

    @property
    def score(self) -> float:
        return round(0.7 * self.required_share + 0.3 * self.explained_share, 3)

    def renames(self, header: list[str]) -> dict[str, str]:
        """The file's column → the schema's name, for every met column whose name differs."""
        return {header[pos]: field for field, pos in self.columns.items() if header[pos] != field}


def match(header: list[str], spec: dict[str, Any], schema: dict[str, Any],
          sweref: bool = False) -> Match:
    """How the file's header meets one schema. ``sweref``: the file has SWEREF 99 TM coordinates, from
    which ``latitude`` and ``longitude`` can be computed (see ``mapping``)."""
    normals = [normal(h) for h in header]
    taken: set[int] = set()
    met: dict[str, int] = {}
    fields = schema["fields"]
    # Exact names first (after ``normal``), then synonyms, so "id" and "place_id" both land right.
    for pass_names in (lambda f: {normal(f["name"])}, lambda f: names_of(f["name"])):
        for field in fields:
            if field["name"] in met:
                continue
            wanted = pass_names(field)
            position = next((i for i, n in enumerate(normals) if n in wanted and i not in taken), None)
            if position is not None:
                met[field["name"]] = position
                taken.add(position)
    derived: dict[str, str] = {}
    if sweref and {"latitude", "longitude"} <= {f["name"] for f in fields} and \
            "latitude" not in met and "longitude" not in met:
        derived = {"latitude": "SWEREF 99 TM", "longitude": "SWEREF 99 TM"}
    extra = sum(1 for i, h in enumerate(header) if i not in taken and table_schemas.accepted_extra(schema, h))
    required = [f["name"] for f in fields if table_schemas.required(f)]
    missing = [name for name in required if name not in met and name not in derived]
    coordinate_columns = 2 if derived else 0
    return Match(spec=spec, schema=schema, columns=met, required=required, missing=missing,
                 explained=min(len(header), len(taken) + extra + coordinate_columns), width=len(header),
                 derived=derived)


def best_matches(header: list[str], candidates: Iterable[tuple[dict[str, Any], dict[str, Any]]],
                 sweref: bool = False) -> list[Match]:
    """Every candidate (specification, schema) matched, best first (confidence, then score)."""
    order = {HIGH: 0, MEDIUM: 1, LOW: 2}
    matches = [match(header, spec, schema, sweref) for spec, schema in candidates]
    return sorted(matches, key=lambda m: (order[m.confidence], -m.score, m.spec["name"]))
