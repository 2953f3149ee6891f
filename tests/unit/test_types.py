"""Column types of a table (files/types.py), as a Swedish editor means them."""
from __future__ import annotations

from decimal import Decimal

import pytest

from ckanext.kalmar_oppnadata.files import types


@pytest.mark.parametrize("values, expected", [
    (["1 234,5", "3,5"], "numeric"),      # decimal comma, space as thousands separator
    (["1\u00a0234,5"], "numeric"),        # a no-break space too
    (["3.5", "12.25"], "numeric"),        # decimal point
    (["3,5", "3.5"], "text"),             # a comma in one value and a point in another: ambiguous
    (["0880", "0881"], "text"),           # a leading zero means a code (kommunkod)
    (["0880", "881"], "text"),
    (["1 200", "87", "-5"], "int"),
    (["0", "12"], "int"),
    (["3000000000"], "numeric"),          # beyond int4
    (["2024-06-01", ""], "date"),         # empty cells do not decide
    (["2024-02-30"], "text"),             # no such day
    (["2024-06-01 08:30", "2024-06-02T17:05:10"], "timestamp"),
    (["", "  "], "text"),
    (["56,6", "norr"], "text"),
])
def test_column_type(values, expected):
    assert types.column_type(values) == expected


def test_typed_values_keep_their_meaning():
    assert types.typed_value("1 234,5", "numeric") == Decimal("1234.5")
    assert types.typed_value("3.5", "numeric") == Decimal("3.5")
    assert types.typed_value("1 200", "int") == 1200
    assert types.typed_value("0880", "text") == "0880"
    assert types.typed_value("2024-06-02 17:05:10", "timestamp") == "2024-06-02T17:05:10"
    assert types.typed_value("  ", "int") is None


def test_column_ids_are_unique_and_usable():
    assert types.column_ids(["namn", "namn", "_id", "", 'a"b', "  två   ord "]) == \
        ["namn", "namn_2", "id", "kolumn_4", "ab", "två ord"]
    long = types.column_ids(["x" * 70, "x" * 70])
    assert [len(i) for i in long] == [63, 63] and long[0] != long[1]


def test_infer_and_records_of_a_swedish_table():
    header = ["kommunkod", "kommun", "andel", "antal"]
    rows = [["0880", "Kalmar", "3,5", "1 200"], ["0881", "Nybro", "", "87", "extra"], ["0860"]]
    fields = types.infer(header, rows)
    assert fields == [{"id": "kommunkod", "type": "text"}, {"id": "kommun", "type": "text"},
                      {"id": "andel", "type": "numeric"}, {"id": "antal", "type": "int"}]
    assert list(types.records(fields, rows)) == [
        {"kommunkod": "0880", "kommun": "Kalmar", "andel": Decimal("3.5"), "antal": 1200},
        {"kommunkod": "0881", "kommun": "Nybro", "andel": None, "antal": 87},  # an extra cell is dropped
        {"kommunkod": "0860", "kommun": None, "andel": None, "antal": None},  # a short row is padded
    ]
