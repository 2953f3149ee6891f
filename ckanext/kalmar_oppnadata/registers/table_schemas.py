"""The columns of a specification's Table Schema as people read them, and its CSV template.

A schema field becomes a column: its name, whether it is required, its type, its rules (a range, a form)
and an example value. The example comes from the schema (a field's ``example``, taken from the reference
the schema names) and is never made up. Where the schema gives none, a required column gets a value
*derived* from its type and rules (the lowest allowed number, the shortest text of the required form, the
placeholder "exempel" for free text), marked ``example_source: "derived"`` so the page says so; an
optional column without an example is left empty. The template (``template_csv``) is UTF-8 with the
header and that one example row, and passes the specification check itself.

A schema may name extra columns it accepts (``acceptedExtraColumns``: shell patterns such as ``*_kod``);
the check does not list those as unexpected.
"""
from __future__ import annotations

import csv
import fnmatch
import io
import re
import unicodedata
from typing import Any

try:  # Python 3.11+
    from re import _parser as sre_parse  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - Python 3.10
    import sre_parse  # type: ignore[no-redef]

PLACEHOLDER = "exempel"  # the derived example of a required free-text column
_DERIVED_BY_TYPE = {"number": "0", "integer": "0", "date": "2000-01-01", "boolean": "true", "year": "2000"}


def slug(name: str) -> str:
    """An address-friendly name: "Leverantörsreskontra 1.1" → "leverantorsreskontra-1.1"."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9.]+", "-", plain).strip("-.")


def comparable(name: str) -> str:
    """A column name with case and accents set aside: "Köpare " and "kopare" compare equal."""
    stripped = "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c))
    return stripped.casefold().strip()


def accepted_extra(schema: dict[str, Any], column: str) -> bool:
    return any(fnmatch.fnmatchcase(column, pattern) for pattern in schema.get("acceptedExtraColumns", []))


def required(field: dict[str, Any]) -> bool:
    return bool(field.get("constraints", {}).get("required"))


# ------------------------------------------------------------------------------ examples from the rules
def _class_matches(items: list, char: str) -> bool:
    code = ord(char)
    for op, av in items:
        if op is sre_parse.LITERAL and av == code:
            return True
        if op is sre_parse.RANGE and av[0] <= code <= av[1]:
            return True
        if op is sre_parse.CATEGORY:
            name = str(av).rsplit("_", 1)[-1].lower()
            if (name == "digit" and char.isdigit()) or (name == "space" and char.isspace()) or \
                    (name == "word" and (char.isalnum() or char == "_")):
                return True
    return False


def _class_sample(items: list) -> str:
    if items and items[0][0] is sre_parse.NEGATE:
        return next(c for c in "a0x_" if not _class_matches(items[1:], c))
    op, av = items[0]
    if op is sre_parse.LITERAL:
        return chr(av)
    if op is sre_parse.RANGE:
        return chr(av[0])
    if op is sre_parse.CATEGORY:
        return {"digit": "0", "space": " "}.get(str(av).rsplit("_", 1)[-1].lower(), "a")
    raise ValueError(f"no sample for {op}")


def _sample(parsed: Any) -> str:
    out = []
    for op, av in parsed:
        if op is sre_parse.LITERAL:
            out.append(chr(av))
        elif op is sre_parse.NOT_LITERAL:
            out.append("a" if chr(av) != "a" else "b")
        elif op is sre_parse.ANY:
            out.append("a")
        elif op is sre_parse.IN:
            out.append(_class_sample(av))
        elif op in (sre_parse.MAX_REPEAT, sre_parse.MIN_REPEAT):
            low, _high, sub = av
            out.append(_sample(sub) * low)
        elif op is sre_parse.SUBPATTERN:
            out.append(_sample(av[-1]))
        elif op is sre_parse.BRANCH:
            out.append(_sample(av[1][0]))
        elif op is sre_parse.AT:
            continue
        else:
            raise ValueError(f"no sample for {op}")
    return "".join(out)


def pattern_sample(pattern: str) -> str | None:
    """The shortest simple text of the form ``pattern`` asks for ("Q[0-9]+" → "Q0"), or None."""
    try:
        sample = _sample(sre_parse.parse(pattern))
    except (ValueError, StopIteration, re.error):
        return None
    return sample if re.fullmatch(pattern, sample) else None


def _derived(field: dict[str, Any]) -> str | None:
    constraints = field.get("constraints", {})
    if "enum" in constraints and constraints["enum"]:
        return str(constraints["enum"][0])
    if constraints.get("pattern"):
        return pattern_sample(constraints["pattern"])
    kind = field.get("type", "string")
    if kind in ("number", "integer") and "minimum" in constraints:
        return str(constraints["minimum"])
    return _DERIVED_BY_TYPE.get(kind, PLACEHOLDER)


def example(field: dict[str, Any]) -> tuple[str, str | None]:
    """The column's example value and where it comes from: "schema", "derived" or None (left empty)."""
    if field.get("example") not in (None, ""):
        return str(field["example"]), "schema"
    if required(field):
        value = _derived(field)
        if value is not None:
            return value, "derived"
    return "", None


# ------------------------------------------------------------------------------ columns and the template
def columns(schema: dict[str, Any]) -> list[dict[str, Any]]:
    """The schema's columns in order: name, required, type, the rules (minimum, maximum, pattern, enum),
    description, and the example with its source."""
    result = []
    for field in schema["fields"]:
        constraints = field.get("constraints", {})
        value, source = example(field)
        result.append({
            "name": field["name"], "required": required(field), "type": field.get("type", "string"),
            "minimum": constraints.get("minimum"), "maximum": constraints.get("maximum"),
            "pattern": constraints.get("pattern"), "enum": constraints.get("enum"),
            "description": field.get("description", ""), "example": value, "example_source": source})
    return result


def template_csv(schema: dict[str, Any]) -> str:
    """The CSV template: the header and one example row, comma-separated (encode it as UTF-8)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    cols = columns(schema)
    writer.writerow([c["name"] for c in cols])
    writer.writerow([c["example"] for c in cols])
    return out.getvalue()
