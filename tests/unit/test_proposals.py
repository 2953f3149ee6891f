"""Proposing a dataset from its file (proposals/, issue 28): the benchmark corpus's files give the
specification, extent and period of their manifest; the report says why; bad files are refused in
Swedish; a file that almost conforms is corrected into one that passes the specification check."""
from __future__ import annotations

import json
import pathlib

import pytest

from ckanext.kalmar_oppnadata.files import checking, limits, reading
from ckanext.kalmar_oppnadata.proposals import analysis, columns, extent, mapping
from ckanext.kalmar_oppnadata.registers import specifications

BENCH = pathlib.Path(__file__).parents[2] / "bench" / "proposals"
MANIFEST = json.loads((BENCH / "manifest.json").read_text("utf-8"))["files"]
ORG = {"title": "Kalmar kommun", "spatial": "16.1346,56.5026,16.5810,56.9363"}


def corpus(name: str) -> bytes:
    return (BENCH / "corpus" / name).read_bytes()


def test_the_corpus_has_twenty_files_of_every_kind():
    assert len(MANIFEST) >= 20
    assert {e["encoding"] for e in MANIFEST} >= {"utf-8", "cp1252", None}
    assert {e["separator"] for e in MANIFEST} >= {",", ";"}
    assert {e["expected"]["extent"]["source"] for e in MANIFEST} == {"wgs84", "sweref99tm", "kommunkod",
                                                                     "organization"}


@pytest.mark.parametrize("entry", MANIFEST, ids=[e["file"] for e in MANIFEST])
def test_corpus_file_gives_its_specification_extent_and_period(entry):
    org = {"title": entry["organization"], "spatial": None}
    proposal = analysis.analyse(corpus(entry["file"]), entry["file"], org)
    want = entry["expected"]
    assert (proposal.spec or {}).get("uri") == want["specification"]
    if want["extent"]["source"] == "organization":
        assert proposal.extent is None
    else:
        assert proposal.extent.source == want["extent"]["source"]
        assert proposal.extent.bbox == pytest.approx(want["extent"]["bbox"], abs=0.001)
    got = [proposal.period.start.isoformat(), proposal.period.end.isoformat()] if proposal.period else None
    assert got == want["period"]
    assert proposal.size == len(corpus(entry["file"])) and len(proposal.sha1) == 40
    assert proposal.format == entry["format"] and proposal.table.encoding in (
        None if entry["format"] == "xlsx" else {"utf-8": "utf-8-sig", "cp1252": "cp1252"}[entry["encoding"]],)


def test_swedish_names_in_windows_1252_match_bathing_sites_and_the_report_says_why():
    proposal = analysis.analyse(corpus("Badplatser Borgholm.csv"), "Badplatser Borgholm.csv", ORG)
    assert proposal.spec["name"] == "Badplatser 1.0" and proposal.match.confidence == columns.HIGH
    assert proposal.encoding == "Windows-1252" and proposal.separator == "semikolon"
    assert "Kolumnerna Platsid, Namn, Latitud, Longitud, Toalett, Dusch, Beskrivning matchar Badplatser 1.0 " \
           "(säkerhet: hög)." in proposal.report
    assert proposal.report[0] == "Filen läses som CSV, Windows-1252, semikolon som avgränsare: 11 rader, 7 kolumner."
    fields = proposal.dataset_fields(ORG)
    assert fields["title"] == "Badplatser i Kalmar kommun"
    assert fields["conforms_to"] == ["https://dataportal.se/specifications/badplatser/1.0"]
    assert fields["theme"] == specifications.suggestions(fields["conforms_to"])["theme"] != []
    assert "title_en" not in fields  # the specification has no English title: none is made up
    assert "badplatser" in proposal.keywords and "kalmar" not in proposal.keywords
    assert proposal.resource_fields()["mimetype"] == "text/csv"


def test_close_but_not_matching_columns_are_named_not_proposed():
    proposal = analysis.analyse(corpus("elljusspar_torsas.csv"), "elljusspar_torsas.csv", ORG)
    assert proposal.spec is None and proposal.near.spec["name"] == "Badplatser 1.0"
    assert any("place_id saknas: specifikationen föreslås inte" in line for line in proposal.report)
    assert "conforms_to" not in proposal.dataset_fields(ORG)


def test_no_place_in_the_file_gives_the_organizations_extent():
    proposal = analysis.analyse(corpus("bygglov_hogsby_2023.csv"), "bygglov_hogsby_2023.csv", ORG)
    assert proposal.extent is None and proposal.dataset_fields(ORG)["spatial"] == ORG["spatial"]
    assert "Kalmar kommuns område föreslås som utbredning" in " ".join(proposal.report)
    assert proposal.dataset_fields(None).get("spatial") is None  # no organization extent: left empty
    assert analysis.FREQUENCY_HINT in proposal.report
    assert analysis.FREQUENCY_HINT.startswith("Hur ofta datamängden uppdateras går inte att läsa ur en fil")


def test_sweref_99_tm_is_told_apart_by_its_values_and_converted():
    header, rows = ["X", "Y"], [["6280000", "583000"], ["6285000", "584000"]]
    assert extent.sweref_columns(header, rows) == (0, 1)  # X is the northing, as Swedish surveying writes it
    assert extent.sweref_columns(["e", "n"], [r[::-1] for r in rows]) == (1, 0)
    lon, lat = extent.sweref_to_wgs84(6280000, 583000)
    assert 16.3 < lon < 16.4 and 56.6 < lat < 56.7  # east of Kalmar's coast
    assert extent.sweref_columns(["a", "b"], rows) is None  # names that are not coordinates


@pytest.mark.parametrize("name", ["Badplatser Borgholm.csv", "badplatser_nybro_sweref.csv",
                                  "Leverantörsreskontra Emmaboda 2023H2.csv", "toaletter_emmaboda.csv"])
def test_the_corrected_file_passes_the_specification_check(name):
    proposal = analysis.analyse(corpus(name), name, ORG)
    assert proposal.mapping_offered
    fixed = proposal.corrected_csv().encode("utf-8")
    assert checking.validate(corpus(name), specifications.table_schema(proposal.spec))["status"] == "invalid"
    report = checking.validate(fixed, specifications.table_schema(proposal.spec))
    assert report["status"] == "valid", report["errors"][:3]
    assert reading.read(fixed, "csv").header[:2] == [f["name"] for f in proposal.spec and
                                                     specifications.table_schema(proposal.spec)["fields"]][:2]


def test_a_conforming_file_needs_no_mapping():
    proposal = analysis.analyse(corpus("badplatser_kalmar.csv"), "badplatser_kalmar.csv", ORG)
    assert proposal.spec and not proposal.mapping_offered
    assert [c["how"] for c in mapping.plan(proposal.table.header, proposal.match)] == ["column"] * 8


def test_names_compare_without_case_accents_or_separators():
    assert columns.normal(" Köpare-Namn ") == "kopare_namn"
    assert "leverantor_id" in {f for f, names in [("leverantor_id", columns.names_of("leverantor_id"))]
                               if "leverantorens_orgnr" in names}


@pytest.mark.parametrize("raw, filename, message", [
    (b"", "tom.csv", "Filen är tom."),
    (b"\x00\x01\x02\x03binary" * 10, "bild.csv", "Filen är inte en textfil (CSV)."),
    (b"PK\x03\x04 not a workbook", "fel.xlsx", "Filen kunde inte läsas som Excel-arbetsbok (XLSX)."),
    (b"1;Stens\xf6;56,64;16,33\r\n2;Kalmarsund;56,66;16,36\r\n", "utan_rubrik.csv", "Filen saknar rubrikrad"),
    ("namn\nStensö\nKalmarsund\n".encode(), "en_kolumn.csv", "Filen har bara en kolumn."),
    (b"namn;latitud;longitud\r\n", "bara_rubrik.csv", "Filen har inga rader under rubrikraden."),
])
def test_bad_files_are_refused_in_swedish(raw, filename, message):
    with pytest.raises(analysis.BadFile) as refused:
        analysis.analyse(raw, filename, ORG)
    assert refused.value.sv.startswith(message) and refused.value.en


def test_a_file_over_the_limit_is_refused_before_it_is_read():
    raw = b"namn;latitud\r\n" + b"x;56.6\r\n" * (limits.PROPOSE // 8 + 1)
    with pytest.raises(analysis.BadFile) as refused:
        analysis.analyse(raw, "stor.csv", ORG)
    assert refused.value.sv.startswith(f"Filen är större än {limits.PROPOSE // limits.MB} MB.")
