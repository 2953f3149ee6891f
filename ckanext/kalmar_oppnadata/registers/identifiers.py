"""Swedish identifiers: organisationsnummer, kommunkod, Geonames URIs.

Pure functions, no CKAN imports: used by the validators, the DCAT profile and the CLI alike.
"""
from __future__ import annotations

import re

from ckanext.kalmar_oppnadata.registers.values import N_, InvalidValue

GEONAMES_BASE = "http://sws.geonames.org/"
DATAPORTAL_ORGANISATION_BASE = "http://dataportal.se/organisation/SE"

_ORGNR_SEPARATORS = re.compile(r"[\s\-–]")
_GEONAMES = re.compile(
    r"^(?:https?://(?:sws\.|www\.)?geonames\.org/)?(?P<id>\d{1,10})(?:/.*)?$", re.IGNORECASE
)
_MUNICIPALITY_CODE = re.compile(r"^\d{4}$")


class InvalidIdentifier(InvalidValue):
    """An identifier that is not valid (see ``values.InvalidValue``)."""


def luhn_valid(digits: str) -> bool:
    """The Luhn (mod 10) check used by Swedish personal and organisation numbers."""
    total = 0
    for position, char in enumerate(reversed(digits)):
        n = int(char)
        if position % 2 == 1:
            n *= 2
            if n > 9:
                n -= 9
        total += n
    return total % 10 == 0


def canonical_orgnr(value: str) -> str:
    """``212000-0746``, ``2120000746``, ``212000 0746`` or ``16212000-0746`` → ``212000-0746``.

    Raises InvalidIdentifier when the value is not ten digits or the check digit is wrong.
    """
    digits = _ORGNR_SEPARATORS.sub("", value.strip())
    if digits.upper().startswith("SE"):
        digits = digits[2:]
    if len(digits) == 12 and digits.startswith("16"):
        digits = digits[2:]
    if not (len(digits) == 10 and digits.isdigit()):
        raise InvalidIdentifier(N_("An organisation number has 10 digits, e.g. 212000-0746"))
    if not luhn_valid(digits):
        raise InvalidIdentifier(N_("The check digit of the organisation number is wrong"))
    return f"{digits[:6]}-{digits[6:]}"


def orgnr_digits(orgnr: str) -> str:
    """The ten digits of a canonical organisation number (no hyphen)."""
    return canonical_orgnr(orgnr).replace("-", "")


def dataportal_publisher_uri(orgnr: str) -> str:
    """The publisher URI by which Sveriges dataportal merges an organisation across catalogs."""
    return DATAPORTAL_ORGANISATION_BASE + orgnr_digits(orgnr)


def canonical_municipality_code(value: str) -> str:
    code = value.strip()
    if not _MUNICIPALITY_CODE.match(code):
        raise InvalidIdentifier(N_("A municipality code (kommunkod) has 4 digits, e.g. 0880"))
    return code


def canonical_geonames_uri(value: str) -> str:
    """A Geonames id, a sws.geonames.org URI or a geonames.org page → ``http://sws.geonames.org/<id>``."""
    match = _GEONAMES.match(value.strip())
    if not match:
        raise InvalidIdentifier(N_("A Geonames reference is a number or a URI like http://sws.geonames.org/2702260"))
    return GEONAMES_BASE + str(int(match.group("id")))
