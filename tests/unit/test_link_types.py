"""When a linked file's server gives a type that cannot be the file (links/checking.py)."""
from __future__ import annotations

import pytest

from ckanext.kalmar_oppnadata.links.checking import wrong_type


@pytest.mark.parametrize(("expected", "given", "wrong"), [
    ("text/csv", "text/csv; charset=utf-8", False),
    ("text/csv", "text/plain", False),
    ("text/csv", "application/octet-stream", False),
    ("text/csv", "text/html; charset=utf-8", True),  # an error or log-in page answering 200
    ("text/csv", "application/pdf", True),
    ("application/json", "text/html", True),
    ("text/html", "text/html", False),
    (None, "text/html", False),  # nothing declared: nothing to compare with
    ("application/geo+json", "application/json", False),
])
def test_wrong_type(expected, given, wrong):
    assert wrong_type(expected, given) is wrong
