"""Swedish identifiers (registers/identifiers.py): organisation numbers, municipality codes, Geonames URIs."""
from __future__ import annotations

import pytest

from ckanext.kalmar_oppnadata.registers import identifiers


@pytest.mark.parametrize("written", ["212000-0746", "2120000746", "212000 0746", " 212000–0746 ",
                                     "16212000-0746", "SE2120000746"])
def test_an_organisation_number_in_any_usual_form_is_stored_one_way(written):
    assert identifiers.canonical_orgnr(written) == "212000-0746"


@pytest.mark.parametrize("written, message", [
    ("212000-0747", "check digit"),
    ("21200007", "10 digits"),
    ("abcdefghij", "10 digits"),
    ("", "10 digits"),
])
def test_a_wrong_organisation_number_says_why(written, message):
    with pytest.raises(identifiers.InvalidIdentifier) as refused:
        identifiers.canonical_orgnr(written)
    assert message in refused.value.message
    assert isinstance(refused.value, ValueError)  # the registers' base: callers catch ValueError


def test_luhn_check_digit():
    assert identifiers.luhn_valid("2120000746")
    assert not identifiers.luhn_valid("2120000747")
    assert identifiers.luhn_valid("79927398713")  # the textbook example


def test_the_dataportal_publisher_uri_uses_the_ten_digits():
    assert identifiers.dataportal_publisher_uri("212000-0746") == "http://dataportal.se/organisation/SE2120000746"
    with pytest.raises(identifiers.InvalidIdentifier):
        identifiers.dataportal_publisher_uri("212000-0747")


def test_a_municipality_code_keeps_its_leading_zero():
    assert identifiers.canonical_municipality_code(" 0880 ") == "0880"
    for wrong in ("880", "08800", "08a0"):
        with pytest.raises(identifiers.InvalidIdentifier):
            identifiers.canonical_municipality_code(wrong)


@pytest.mark.parametrize("written", ["2702260", "http://sws.geonames.org/2702260", "http://sws.geonames.org/2702260/",
                                     "https://www.geonames.org/2702260/kalmar.html", "HTTPS://GEONAMES.ORG/02702260"])
def test_a_geonames_reference_becomes_the_sws_uri(written):
    assert identifiers.canonical_geonames_uri(written) == "http://sws.geonames.org/2702260"


def test_an_address_that_is_not_geonames_is_refused():
    for wrong in ("http://example.org/2702260", "Kalmar", ""):
        with pytest.raises(identifiers.InvalidIdentifier):
            identifiers.canonical_geonames_uri(wrong)
