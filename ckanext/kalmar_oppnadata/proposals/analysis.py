"""The proposal for one file: what the data tells about the dataset it belongs to, each value with the
reason it is proposed (``report``), and the dataset fields an editor starts from (``dataset_fields``).

Nothing is invented: the title and keywords come from the file name, the header and the matched
specification; an English title only when the specification has one (``title_en`` in the register);
the update frequency cannot be read from one file and is left to the editor with a hint. A file that is
not a usable table (empty, binary, too large, no header row, one column, no rows) raises ``BadFile`` with a
Swedish message, before anything is made.
"""
from __future__ import annotations

import dataclasses
import datetime
import hashlib
import os
import re
from typing import Any

from ckanext.kalmar_oppnadata.files import limits, reading
from ckanext.kalmar_oppnadata.proposals import columns as column_match
from ckanext.kalmar_oppnadata.proposals import extent as extents
from ckanext.kalmar_oppnadata.proposals import mapping
from ckanext.kalmar_oppnadata.proposals import period as periods
from ckanext.kalmar_oppnadata.registers import specifications

MEDIA_TYPES = {"csv": "text/csv", "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
ENCODING_NAMES = {"utf-8-sig": "UTF-8", "cp1252": "Windows-1252"}
SEPARATOR_NAMES = {",": "komma", ";": "semikolon", "\t": "tabb"}
STOPWORDS = {"och", "med", "for", "från", "fran", "till", "data", "fil", "filer", "export", "lista", "listan",
             "utdrag", "kopia", "ny", "nya", "final", "version", "csv", "xlsx", "tabell", "blad"}
# Column names that say nothing about the subject (as keywords).
GENERIC_COLUMNS = {"id", "namn", "name", "beskrivning", "description", "datum", "date", "ar", "kommun",
                   "kommunkod", "adress", "ort", "postnummer", "telefon", "epost", "url", "typ", "kategori",
                   "kommentar", "status", "antal", "vecka", "manad", "tid", "plats", "objekt", "nummer"}
FREQUENCY_HINT = ("Hur ofta datamängden uppdateras går inte att läsa ur en fil: välj det själv under "
                  "Uppdateringsfrekvens (t.ex. årligen om en ny fil kommer varje år).")


class BadFile(Exception):
    """A file the portal cannot propose a dataset from; ``sv`` and ``en`` say why."""

    def __init__(self, sv: str, en: str):
        super().__init__(en)
        self.sv, self.en = sv, en


@dataclasses.dataclass
class Proposal:
    filename: str
    format: str  # "csv" | "xlsx"
    media_type: str
    size: int
    sha1: str
    table: reading.Table
    match: column_match.Match | None  # proposed: a high-confidence match
    near: column_match.Match | None  # named only: the best medium-confidence match
    extent: extents.Extent | None
    period: periods.Period | None
    title: str
    title_en: str | None
    keywords: list[str]
    notes: str
    themes: list[str]
    goals: list[str]
    report: list[str]
    seconds: float = 0.0

    @property
    def encoding(self) -> str | None:
        return ENCODING_NAMES.get(self.table.encoding or "", self.table.encoding)

    @property
    def separator(self) -> str | None:
        return SEPARATOR_NAMES.get(self.table.delimiter or "", self.table.delimiter)

    @property
    def spec(self) -> dict[str, Any] | None:
        return self.match.spec if self.match else None

    @property
    def mapping_offered(self) -> bool:
        """The file almost conforms: it can be corrected to the proposed specification (``mapping``)."""
        return self.match is not None and mapping.needed(self.table, self.match)

    def corrected_csv(self) -> str:
        assert self.match is not None
        return mapping.corrected_csv(self.table, self.match)

    def dataset_fields(self, organization: dict[str, Any] | None = None) -> dict[str, Any]:
        """The proposed fields of the draft dataset (CKAN field names); the organization's extent when the
        file gives none."""
        fields: dict[str, Any] = {"title": self.title, "notes": self.notes,
                                  "tags": [{"name": k} for k in self.keywords]}
        if self.title_en:
            fields["title_en"] = self.title_en
        if self.spec:
            fields["conforms_to"] = [self.spec["uri"]]
            fields["theme"] = list(self.themes)
            fields["sdg"] = list(self.goals)
        if self.extent:
            fields["spatial"] = self.extent.text
        elif organization and organization.get("spatial"):
            fields["spatial"] = organization["spatial"]
        if self.period:
            fields["temporal_start"] = self.period.start.isoformat()
            fields["temporal_end"] = self.period.end.isoformat()
        return fields

    def resource_fields(self) -> dict[str, Any]:
        fields = {"name": self.filename, "format": self.format.upper(), "mimetype": self.media_type,
                  "size": self.size, "hash": self.sha1}
        if self.spec:
            fields["conforms_to"] = [self.spec["uri"]]
        return fields

    def extent_source(self, organization: dict[str, Any] | None = None) -> str | None:
        if self.extent:
            return self.extent.source
        return "organization" if organization and organization.get("spatial") else None


def candidates() -> list[tuple[dict[str, Any], dict[str, Any]]]:
    """Every specification in the register that has a Table Schema (and a URI to conform to), with it."""
    return [(spec, specifications.table_schema(spec)) for spec in specifications.specifications()
            if spec.get("table_schema") and spec.get("uri")]


def file_format(raw: bytes, filename: str) -> str:
    if raw.startswith(reading.XLSX_SIGNATURE) or filename.lower().endswith(".xlsx"):
        return "xlsx"
    return "csv"


def _looks_like_data(cell: str) -> bool:
    text = cell.strip()
    return extents.number(text) is not None or bool(periods._DATE.fullmatch(text))


def read_table(raw: bytes, filename: str) -> tuple[reading.Table, str]:
    """The file as a table, or ``BadFile`` saying in Swedish why it is not one."""
    if len(raw) > limits.PROPOSE:
        raise BadFile(f"Filen är större än {limits.PROPOSE // limits.MB} MB. Dela upp den, eller publicera den "
                      "som länk och beskriv den i formuläret.",
                      f"The file is larger than {limits.PROPOSE // limits.MB} MB.")
    fmt = file_format(raw, filename)
    try:
        table = reading.read(raw, fmt)
    except reading.TableError as error:
        raise BadFile(f"{error.sv} Ladda upp en CSV-fil eller en Excel-arbetsbok (XLSX).", error.en) from None
    header = table.header
    if len([h for h in header if h.strip()]) < 2:
        raise BadFile("Filen har bara en kolumn. Kolumnerna ska skiljas med komma eller semikolon, och "
                      "filen ska ha minst två.", "The file has only one column.")
    if any(not h.strip() for h in header) or sum(_looks_like_data(h) for h in header) * 2 >= len(header):
        raise BadFile("Filen saknar rubrikrad: den första raden ska ge varje kolumn ett namn "
                      "(t.ex. namn;latitud;longitud), inte data.", "The file has no header row.")
    if not table.rows:
        raise BadFile("Filen har inga rader under rubrikraden.", "The file has no rows below the header.")
    return table, fmt


def _base_name(spec: dict[str, Any]) -> str:
    return re.sub(r"\s+\d+(\.\d+)*$", "", spec["name"]).strip()


def _file_words(filename: str) -> list[str]:
    stem = os.path.splitext(os.path.basename(filename))[0]
    return [w for w in re.split(r"[\s_\-.]+", stem) if w]


def _title(filename: str, spec: dict[str, Any] | None, period: periods.Period | None,
           organization: dict[str, Any] | None) -> tuple[str, str]:
    """The Swedish title and where it comes from."""
    if spec:
        title, source = _base_name(spec), f"specifikationen {spec['name']}"
    else:
        words = [w for w in _file_words(filename) if not w.isdigit() or len(w) == 4]
        title = " ".join(words) or "Ny datamängd"
        title, source = title[:1].upper() + title[1:], "filnamnet"
    org_title = (organization or {}).get("title")
    if org_title and org_title.casefold() not in title.casefold():
        title += f" i {org_title}" if org_title.endswith("kommun") else f", {org_title}"
        source += " och organisationen"
    if period and period.start.year == period.end.year and str(period.start.year) not in title:
        title += f" {period.start.year}"
        source += " och filens datum"
    return title, source


def _tag(word: str) -> str | None:
    word = word.strip().lower()
    return word if len(word) >= 3 and re.fullmatch(r"[a-zåäöéü]+", word) and word not in STOPWORDS else None


def _keywords(filename: str, header: list[str], found: column_match.Match | None,
              organization: dict[str, Any] | None) -> list[str]:
    """The specification's name, the file name's words, and up to three of the file's own subject columns
    (not those the specification names: its column names are not Swedish keywords)."""
    spec = found.spec if found else None
    matched = {header[i] for i in found.columns.values()} if found else set()
    org_words = {w.lower() for w in re.split(r"\W+", (organization or {}).get("title", "")) if w}
    words: list[str] = []
    if spec:
        words.append(_base_name(spec).lower())
    words += [w for w in _file_words(filename) if w.lower() not in org_words]
    # Header words: names of the file's own subject columns (one word, not generic, not coordinates).
    subject = [h for h in header if h not in matched and column_match.normal(h) not in GENERIC_COLUMNS
               and column_match.normal(h) not in extents.LATITUDE | extents.LONGITUDE | extents.PROJECTED
               and len(h) >= 5 and " " not in h.strip() and not column_match.normal(h).endswith(("id", "nr", "kod"))]
    words += subject[:3]
    result: list[str] = []
    for word in words:
        tag = _tag(word) if " " not in word else word.lower()
        if tag and tag not in result and tag not in org_words:
            result.append(tag)
    return result[:8]


def _notes(proposal_facts: dict[str, Any]) -> str:
    f = proposal_facts
    shown = ", ".join(f["header"][:8]) + (", …" if len(f["header"]) > 8 else "")
    text = f"Tabell med {f['rows']} rader och {len(f['header'])} kolumner ({shown})."
    if f["spec"]:
        text += f" Filen följer specifikationen {f['spec']['name']}."
    if f["period"]:
        text += f" Uppgifterna gäller {f['period'].start.isoformat()}–{f['period'].end.isoformat()}."
    return text


def _match_line(table: reading.Table, found: column_match.Match, proposed: bool) -> str:
    met = [table.header[pos] for _, pos in sorted(found.columns.items(), key=lambda item: item[1])]
    level = column_match.CONFIDENCE_SV[found.confidence]
    if proposed:
        line = f"Kolumnerna {', '.join(met)} matchar {found.spec['name']} (säkerhet: {level})."
        if found.derived:
            line += " latitude och longitude räknas om från SWEREF 99 TM."
        return line
    return (f"Kolumnerna {', '.join(met)} liknar {found.spec['name']}, men {', '.join(found.missing)} saknas: "
            f"specifikationen föreslås inte (säkerhet: {level}).")


def _extent_line(found: extents.Extent | None, organization: dict[str, Any] | None) -> str:
    if found is None:
        if organization and organization.get("spatial"):
            return (f"Filen har inga koordinater eller kommunkoder: {organization.get('title')}s område "
                    "föreslås som utbredning.")
        return "Filen har inga koordinater eller kommunkoder: utbredningen lämnas tom."
    cols = ", ".join(found.columns)
    if found.source == "wgs84":
        return f"Utbredningen kommer från kolumnerna {cols} (WGS84), {found.points} platser."
    if found.source == "sweref99tm":
        return (f"Utbredningen kommer från kolumnerna {cols} (SWEREF 99 TM, omräknade till WGS84), "
                f"{found.points} platser.")
    return f"Utbredningen kommer från kolumnen {cols} (kommunkod {', '.join(found.codes)})."


def analyse(raw: bytes, filename: str, organization: dict[str, Any] | None = None) -> Proposal:
    """Propose the description of a dataset from its file; ``BadFile`` if the file is not a usable table."""
    started = datetime.datetime.now()
    table, fmt = read_table(raw, filename)
    sweref = extents.sweref_columns(table.header, table.rows) is not None
    matches = column_match.best_matches(table.header, candidates(), sweref=sweref)
    best = matches[0] if matches else None
    found = best if best and best.confidence == column_match.HIGH else None
    near = best if best and best.confidence == column_match.MEDIUM else None
    spec = found.spec if found else None
    extent = extents.extent(table.header, table.rows)
    period = periods.period(table.header, table.rows)
    title, title_source = _title(filename, spec, period, organization)
    title_en = (spec or {}).get("title_en") or None
    suggested = specifications.suggestions([spec["uri"]]) if spec else {"theme": [], "sdg": []}
    report = [f"Filen läses som {fmt.upper()}"
              + (f", {ENCODING_NAMES.get(table.encoding, table.encoding)}" if table.encoding else "")
              + (f", {SEPARATOR_NAMES.get(table.delimiter, table.delimiter)} som avgränsare" if table.delimiter else "")
              + f": {len(table.rows)} rader, {len(table.header)} kolumner."]
    if found:
        report.append(_match_line(table, found, proposed=True))
        if suggested["theme"] or suggested["sdg"]:
            report.append("Datateman och globala mål föreslås från specifikationen.")
    elif near:
        report.append(_match_line(table, near, proposed=False))
    else:
        report.append("Kolumnerna matchar ingen specifikation med tabellschema i registret.")
    report.append(_extent_line(extent, organization))
    if period:
        report.append(f"Tidsperioden {period.start.isoformat()}–{period.end.isoformat()} kommer från "
                      f"{'kolumnen' if len(period.columns) == 1 else 'kolumnerna'} {', '.join(period.columns)}.")
    else:
        report.append("Filen har ingen datum- eller årskolumn: tidsperioden lämnas tom.")
    report.append(f"Titeln kommer från {title_source}."
                  + ("" if title_en else " Ingen engelsk titel föreslås: specifikationen har ingen."))
    report.append(FREQUENCY_HINT)
    proposal = Proposal(
        filename=os.path.basename(filename), format=fmt, media_type=MEDIA_TYPES[fmt], size=len(raw),
        sha1=hashlib.sha1(raw).hexdigest(), table=table, match=found, near=near, extent=extent, period=period,
        title=title, title_en=title_en,
        keywords=_keywords(filename, table.header, found, organization),
        notes=_notes({"header": table.header, "rows": len(table.rows), "spec": spec, "period": period}),
        themes=suggested["theme"], goals=suggested["sdg"], report=report)
    if proposal.mapping_offered:
        report.insert(2, "Filen kan rättas så att den följer specifikationen: "
                         + ", ".join(f"{a} → {b}" for a, b in found.renames(table.header).items())
                         + ("; " if found.renames(table.header) else "")
                         + "ordning, decimalpunkt och UTF-8 enligt specifikationen.")
    proposal.seconds = (datetime.datetime.now() - started).total_seconds()
    return proposal
