"""The specification check in one pass (files/checking.py), the columns and CSV template of a Table Schema
(registers/table_schemas.py), and dates in Swedish local time (web/dates.py). Pure functions."""
from __future__ import annotations

import csv
import datetime
import io
import json
from importlib import resources
from zoneinfo import ZoneInfo

import pytest

from ckanext.kalmar_oppnadata.files import checking, loading, reading
from ckanext.kalmar_oppnadata.registers import table_schemas
from ckanext.kalmar_oppnadata.web import dates

SCHEMAS = resources.files("ckanext.kalmar_oppnadata").joinpath("data", "table-schemas")


def schema(name="badplatser-1.0.json"):
    return json.loads(SCHEMAS.joinpath(name).read_text("utf-8"))


# A Windows-1252 file with every kind of problem: a column name in the wrong case, an unexpected column,
# an unclosed quote (row 3), a short row (4), a word for a number (5), a latitude outside Sweden (6), a
# decimal comma (7) and an empty required cell (8).
BROKEN = ("place_id,Name,latitude,longitude,namn\n"
          "1,Stensö,56.64,16.33,x\n"
          '2,"Kalmarsund,56.66,16.36,y\n'
          "3,Skälby\n"
          "4,Norr,norr,16.3,z\n"
          "5,Syd,40.1,16.3,z\n"
          '6,Komma,"56,6",16.3,z\n'
          "7,,56.7,16.3,z\n").encode("cp1252")


def codes(report):
    return [(e["code"], e["row"], e["column"]) for e in report["errors"]]


def test_one_pass_finds_every_problem_with_its_row():
    report = checking.validate(BROKEN, schema())
    assert codes(report) == [
        ("encoding", None, None), ("column-name", None, "name"), ("quote", 3, None), ("cells", 4, None),
        ("type", 5, "latitude"), ("range", 6, "latitude"), ("decimal-comma", 7, "latitude"),
        ("required", 8, "name")]
    assert [(w["code"], w["column"]) for w in report["warnings"]] == [("unexpected-column", "namn")]
    assert report["status"] == "invalid" and report["error_count"] == 8 and report["warning_count"] == 1
    assert report["rows"] == 7 and report["rows_with_errors"] == 6
    messages = [e["message"] for e in report["errors"]]
    assert "Kolumnen Name ska heta name: namnen skiljer sig bara i stora och små bokstäver eller accenter." in messages
    assert "Rad 4 har 2 värden men rubrikraden har 5." in messages
    assert messages[2].startswith("Rad 3: ett citattecken (\") stängs aldrig")
    assert "Rad 7: ”56,6” i kolumnen latitude har decimalkomma; specifikationen kräver decimalpunkt (56.6)." in messages
    rows = [e["row"] for e in report["errors"] if e["row"]]
    assert len(rows) == len(set(rows))  # no row reported twice


def test_an_accented_name_gets_the_hint_and_its_values_are_still_checked():
    raw = "köpare,kopare_text,faktura_nr,leverantor,leverantor_id,forvaltning,konto_nr,konto_text,belopp,moms_kod\n" \
          "212000-0746,Kalmar,1,A,12345,X,1,Y,10\n"
    report = checking.validate(raw.encode(), schema("leverantorsreskontra-1.1.json"))
    assert codes(report) == [("column-name", None, "kopare"), ("cells", 2, None)]
    assert report["warnings"] == []  # moms_kod: a *_kod dimension the specification accepts
    raw = raw.replace(",10\n", ",10,\n").replace("12345", "1234567890").replace("212000-0746", "fel")
    report = checking.validate(raw.encode(), schema("leverantorsreskontra-1.1.json"))
    assert codes(report) == [("column-name", None, "kopare"), ("pattern", 2, "kopare")]


def test_a_good_file_passes_and_counts_its_rows():
    report = checking.validate(b"place_id,name,latitude,longitude\n1,A,56.6,16.3\n2,B,56.7,16.4\n", schema())
    assert report["status"] == "valid" and report["errors"] == [] and report["rows"] == 2


def test_a_tab_separated_file_is_named_and_still_checked():
    report = checking.validate(b"place_id\tname\tlatitude\tlongitude\n1\tA\t96\t16.3\n", schema())
    assert codes(report) == [("delimiter", None, None), ("range", 2, "latitude")]
    assert report["errors"][0]["message"] == "Kolumnerna ska skiljas med komma eller semikolon (filen använder tabb)."


@pytest.mark.parametrize("name", ["badplatser-1.0.json", "leverantorsreskontra-1.1.json", "place-columns.json"])
def test_the_template_has_every_column_and_passes_the_check(name):
    text = table_schemas.template_csv(schema(name))
    header, example = list(csv.reader(io.StringIO(text)))
    assert header == [f["name"] for f in schema(name)["fields"]]
    assert len(example) == len(header)
    report = checking.validate(text.encode("utf-8"), schema(name))
    assert report["status"] == "valid", report["errors"]


def test_template_examples_come_from_the_schema_or_are_marked_derived():
    columns = {c["name"]: c for c in table_schemas.columns(schema())}
    assert (columns["hov_ref"]["example"], columns["hov_ref"]["example_source"]) == ("SE0A21484000000552", "schema")
    assert (columns["latitude"]["example"], columns["latitude"]["example_source"]) == ("55", "derived")
    assert (columns["email"]["example"], columns["email"]["example_source"]) == ("", None)  # optional: empty
    places = {c["name"]: c["example"] for c in table_schemas.columns(schema("place-columns.json"))}
    assert places["email"] == "a@a.a"  # the shortest text of the required form


@pytest.mark.parametrize("pattern, sample", [("Q[0-9]+", "Q0"), ("[0-9]{6}-?[0-9]{4}", "0000000000"),
                                             ("[^@\\s]+@[^@\\s]+\\.[^@\\s]+", "a@a.a"), ("(ab|cd)x", "abx")])
def test_pattern_samples(pattern, sample):
    assert table_schemas.pattern_sample(pattern) == sample


def test_slugs_and_comparable_names():
    assert table_schemas.slug("Leverantörsreskontra 1.1") == "leverantorsreskontra-1.1"
    assert table_schemas.comparable(" Köpare") == table_schemas.comparable("kopare")


def test_rows_that_cannot_be_loaded_are_named():
    table = reading.read(b'id,name\n1,"Badet\n2,Strand\n3,Udden,extra\n4,Kort\n5\n', "csv")
    rows, unreadable = loading.readable_rows(table)
    assert rows == [["2", "Strand"], ["4", "Kort"], ["5"]]
    assert unreadable == [{"row": 2, "reason": "quote"}, {"row": 4, "reason": "cells"}]
    assert loading.unreadable_message(unreadable)["message"] == (
        "2 rader kunde inte läsas och finns inte i API:t: rad 2 (ett citattecken stängs aldrig eller följs av "
        "text), rad 4 (fler värden än rubrikraden har kolumner).")


@pytest.mark.parametrize("stored, sv, en", [
    ("2026-11-30T17:36:12.345678", "30 november 2026 kl. 18:36", "30 November 2026, 18:36"),  # winter: UTC+1
    ("2026-07-01T12:05:00+00:00", "1 juli 2026 kl. 14:05", "1 July 2026, 14:05"),  # summer: UTC+2
])
def test_dates_in_swedish_local_time(stored, sv, en):
    value = dates.parse(stored)
    zone = ZoneInfo("Europe/Stockholm")
    assert dates.local_text(value, "sv", zone, with_hours=True) == sv
    assert dates.local_text(value, "en", zone, with_hours=True) == en
    assert dates.local_text(dates.parse("2026-12-31T23:30:00"), "sv", zone) == "1 januari 2027"
    assert dates.parse("not a date") is None and dates.parse(datetime.datetime(2026, 1, 1)).tzinfo
