"""Reading a table file's bytes (files/reading.py): decoding, the delimiter, CSV and XLSX; and the map
preview's points from the rows (files/map_view.py)."""
from __future__ import annotations

import datetime
import io

import pytest

from ckanext.kalmar_oppnadata.files import map_view, reading


def test_decode_utf8_with_and_without_bom_else_windows_1252():
    assert reading.decode("Mönsterås".encode("utf-8")) == ("Mönsterås", "utf-8-sig")
    assert reading.decode(b"\xef\xbb\xbfkommun") == ("kommun", "utf-8-sig")  # the BOM is dropped
    assert reading.decode("Mönsterås".encode("cp1252")) == ("Mönsterås", "cp1252")


def test_decode_refuses_binary():
    with pytest.raises(reading.TableError) as refused:
        reading.decode(b"\x00\x01\x02binary")
    assert refused.value.sv == "Filen är inte en textfil (CSV)." and refused.value.en


@pytest.mark.parametrize("header, expected", [
    ("kommunkod;kommun;andel", ";"),
    ("place_id,name,latitude", ","),
    ("a\tb\tc", "\t"),
    ("namn;beskrivning;ort, kommun", ";"),  # the one used most
    ("namn;ort, kommun", ","),  # a tie: the comma, in the order comma, semicolon, tab
    ("bara en kolumn", None),
])
def test_delimiter(header, expected):
    assert reading.delimiter(header) == expected


def test_read_swedish_csv_bytes():
    raw = "kommunkod;kommun;andel\r\n0880;Kalmar;3,5\r\n;;\r\n0861;Mönsterås;\r\n".encode("cp1252")
    table = reading.read(raw, "csv")
    assert table.header == ["kommunkod", "kommun", "andel"]
    assert table.rows == [["0880", "Kalmar", "3,5"], ["0861", "Mönsterås", ""]]  # the empty row is skipped
    assert (table.encoding, table.delimiter) == ("cp1252", ";")


def test_read_keeps_quoted_separators_and_strips_the_header():
    table = reading.read(b' name , notes\nA,"one, two"\n', "csv")
    assert table.header == ["name", "notes"] and table.rows == [["A", "one, two"]]
    assert table.delimiter == ","


@pytest.mark.parametrize("raw", [b"", b"  \n\n", b",,\n"])
def test_an_empty_file_is_a_table_error(raw):
    with pytest.raises(reading.TableError) as refused:
        reading.read(raw, "csv")
    assert refused.value.sv == "Filen är tom."


def test_read_xlsx_by_its_signature_whatever_the_format_says():
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["kommunkod", "namn", "invånare", "datum"])
    sheet.append(["0880", "Kalmar", 72000.0, datetime.datetime(2024, 1, 1)])
    sheet.append([None, None, None, None])
    data = io.BytesIO()
    workbook.save(data)
    table = reading.read(data.getvalue(), "csv")
    assert table.header == ["kommunkod", "namn", "invånare", "datum"]
    assert table.rows == [["0880", "Kalmar", "72000", "2024-01-01"]]


def test_a_broken_workbook_is_a_table_error():
    with pytest.raises(reading.TableError) as refused:
        reading.read(b"PK\x03\x04 not really a zip", "xlsx")
    assert "XLSX" in refused.value.sv


def test_points_from_csv_text():
    collection = map_view.points(reading.read(b"name,lat,lon\nA,56.6,16.3\nB,95,16\nC,x,y\n", "csv"))
    assert [f["geometry"]["coordinates"] for f in collection["features"]] == [[16.3, 56.6]]
    assert collection["skipped"] == 2
    assert map_view.points(reading.read(b"namn,x\nA,1\n", "csv"))["columns_found"] is False
