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


def _split(text, separator=","):
    return [(r.line, r.cells, r.problem) for r in reading.split_records(text, separator)]


def test_records_know_the_line_they_start_on_and_keep_quoted_line_breaks():
    text = 'id,notes\r\n1,"two\r\nlines"\r\n\r\n2,"a ""quoted"" word"\r\n'
    assert _split(text) == [(1, ["id", "notes"], None), (2, ["1", "two\nlines"], None),
                            (5, ["2", 'a "quoted" word'], None)]


def test_an_unclosed_quote_costs_its_row_only_and_is_named():
    text = 'id,name,lat\n1,"Badet,57.1\n2,Strand,57.2\n3,Udden,57.3\n'
    assert _split(text) == [(1, ["id", "name", "lat"], None), (2, [], "quote"),
                            (3, ["2", "Strand", "57.2"], None), (4, ["3", "Udden", "57.3"], None)]


def test_a_quote_closed_lines_later_is_not_merged_into_one_value():
    # The quote of line 2 closes only at the first quote of line 4: one value of three lines, and the
    # record has another width than the header, so it is a broken quote and lines 3 and 4 are read anew.
    text = 'id,name,lat\n1,"Badet,57.1\n2,Strand,57.2\n3,"Udden",57.3\n'
    assert _split(text) == [(1, ["id", "name", "lat"], None), (2, [], "quote"),
                            (3, ["2", "Strand", "57.2"], None), (4, ["3", "Udden", "57.3"], None)]


def test_text_after_a_closing_quote_is_a_broken_quote():
    assert _split('id,name\n1,"Bad"et\n2,Ok\n') == [(1, ["id", "name"], None), (2, [], "quote"), (3, ["2", "Ok"], None)]


def test_read_csv_leaves_broken_rows_out_and_says_where_they_were():
    table = reading.read(b'id;name\n1;"Badet\n2;Strand\n\n3;Udden\n', "csv")
    assert table.rows == [["2", "Strand"], ["3", "Udden"]]
    assert table.lines == [3, 5] and table.broken == [2]
