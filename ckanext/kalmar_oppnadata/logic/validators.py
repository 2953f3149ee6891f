"""Validators named in the scheming schemas (registered with ``toolkit.blanket.validators``).

Each returns the value's canonical stored form or raises ``Invalid`` with a message that scheming shows
at the field and the API returns under the field's name (Swedish in the Swedish UI, through the
extension's translations). Validators that need other fields of the dataset take CKAN's
``(key, data, errors, context)`` form.
"""
from __future__ import annotations

import datetime
import json
import mimetypes
import re
from typing import Any
from urllib.parse import urlsplit

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.kalmar_oppnadata.common import as_list
from ckanext.kalmar_oppnadata.harvesting import provenance
from ckanext.kalmar_oppnadata.jobs.queue import JOB_CONTEXT_FLAG
from ckanext.kalmar_oppnadata.logic.publishing import kalmar_public_needs_data
from ckanext.kalmar_oppnadata.registers import (
    geometry,
    identifiers,
    licenses,
    requested_datasets,
    specifications,
    vocabularies,
)
from ckanext.kalmar_oppnadata.registers.organizations import dataset_default
from ckanext.kalmar_oppnadata.registers.values import InvalidValue
from ckanext.kalmar_oppnadata.registers.vocabularies import HVD_LEGISLATION

__all__ = [
    "kalmar_orgnr",
    "kalmar_municipality_code",
    "kalmar_http_url",
    "kalmar_resource_url",
    "kalmar_email",
    "kalmar_phone",
    "kalmar_geonames_uri",
    "kalmar_extent",
    "kalmar_max_length",
    "kalmar_date",
    "kalmar_not_before",
    "kalmar_vocabulary_choice",
    "kalmar_vocabulary_choices",
    "kalmar_license_id",
    "kalmar_license_uri",
    "kalmar_uri_list",
    "kalmar_keywords",
    "kalmar_media_type",
    "kalmar_boolean",
    "kalmar_default_from_organization",
    "kalmar_classification_gate",
    "kalmar_applicable_legislation",
    "kalmar_list_output",
    "kalmar_job_record",
    "kalmar_last_saved",
    "kalmar_harvest_record",
    "kalmar_requested_datasets",
    "kalmar_json_output",
    "kalmar_public_needs_data",
]

_EMAIL = re.compile(r"^[^@\s<>()\[\],;:\"]+@[^@\s<>()\[\],;:\"]+\.[A-Za-z]{2,}$")
_PHONE = re.compile(r"^\+?[0-9 ()\-]{5,20}$")
_MEDIA_TYPE = re.compile(r"^[a-z0-9][a-z0-9!#$&^_.+\-]*/[a-z0-9][a-z0-9!#$&^_.+\-]*$")
_EXTENSION_MEDIA_TYPES = {
    "csv": "text/csv",
    "json": "application/json",
    "geojson": "application/geo+json",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "xls": "application/vnd.ms-excel",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "xml": "application/xml",
    "rdf": "application/rdf+xml",
    "ttl": "text/turtle",
    "jsonld": "application/ld+json",
    "pdf": "application/pdf",
    "zip": "application/zip",
    "txt": "text/plain",
    "html": "text/html",
    "gpkg": "application/geopackage+sqlite3",
    "kml": "application/vnd.google-earth.kml+xml",
    "gml": "application/gml+xml",
    "parquet": "application/vnd.apache.parquet",
}


def _empty(value: Any) -> bool:
    return value is None or value is tk.missing or (isinstance(value, str) and not value.strip()) or \
        (isinstance(value, (list, tuple)) and not value)


def _canonical(func, value: Any) -> Any:
    if _empty(value):
        return ""
    try:
        return func(str(value))
    except InvalidValue as e:
        message = tk._(e.message)
        raise tk.Invalid(f"{message}: {e.detail}" if e.detail else message)


def _sibling(key: tuple, field: str) -> tuple:
    """The flattened key of another field of the same dataset or resource."""
    return key[:-1] + (field,)


# ---------------------------------------------------------------------------------- identifiers
def kalmar_orgnr(value: Any) -> Any:
    """Organisationsnummer: ten digits with a valid Luhn check digit, stored as ``NNNNNN-NNNN``."""
    return _canonical(identifiers.canonical_orgnr, value)


def kalmar_municipality_code(value: Any) -> Any:
    """Kommunkod: four digits, kept as text (leading zero)."""
    return _canonical(identifiers.canonical_municipality_code, value)


def kalmar_geonames_uri(value: Any) -> Any:
    return _canonical(identifiers.canonical_geonames_uri, value)


def kalmar_extent(value: Any) -> Any:
    """A GeoJSON geometry or a bbox ``minx,miny,maxx,maxy``, stored as GeoJSON text."""
    return _canonical(lambda v: geometry.to_text(geometry.parse_extent(v)), value)


# --------------------------------------------------------------------------------- plain values
def kalmar_http_url(value: Any) -> Any:
    """An absolute http(s) address with a host and no spaces."""
    if _empty(value):
        return ""
    url = str(value).strip()
    if not _absolute_address(url, ("http", "https")):
        raise tk.Invalid(tk._("Give a full web address starting with https:// or http://"))
    return url


def _absolute_address(url: str, schemes: tuple[str, ...]) -> bool:
    """An absolute address in one of ``schemes``, with a host and no spaces."""
    parts = urlsplit(url)
    return parts.scheme.lower() in schemes and bool(parts.netloc) and not any(c.isspace() for c in url)


def kalmar_resource_url(key, data, errors, context):
    """A resource's link: an absolute http(s) or ftp address (``htp:/kalmar.se/…`` was saved and published
    as a link nobody could follow). An upload's value is its file name, set by CKAN's uploader."""
    value = data.get(key)
    if _empty(value) or data.get(_sibling(key, "url_type")) == "upload":
        return
    if not _absolute_address(str(value).strip(), ("http", "https", "ftp")):
        errors[key].append(tk._("Give a full web address starting with https:// or http://"))


def kalmar_email(value: Any) -> Any:
    if _empty(value):
        return ""
    email = str(value).strip()
    if email.lower().startswith("mailto:"):
        email = email[len("mailto:"):]
    if not _EMAIL.match(email) or len(email) > 254:
        raise tk.Invalid(tk._("Give an e-mail address like namn@kommun.se"))
    return email


def kalmar_phone(value: Any) -> Any:
    if _empty(value):
        return ""
    phone = str(value).strip()
    if not _PHONE.match(phone):
        raise tk.Invalid(tk._("Give a phone number with digits only, e.g. 0480-45 00 00 or +46 480 45 00 00"))
    return phone


def kalmar_max_length(length: str | int):
    limit = int(length)

    def validator(value: Any) -> Any:
        if isinstance(value, str) and len(value) > limit:
            raise tk.Invalid(tk._("At most {limit} characters (now {count})").format(
                limit=limit, count=len(value)))
        if isinstance(value, str) and "\x00" in value:
            raise tk.Invalid(tk._("The text contains a NUL character"))
        return value

    return validator


def kalmar_date(value: Any) -> Any:
    """A calendar date, stored as ``YYYY-MM-DD`` (a date-time is cut to its date)."""
    if _empty(value):
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    text = str(value).strip()
    if len(text) > 10 and text[10] in "T ":
        text = text[:10]
    try:
        return datetime.date.fromisoformat(text).isoformat()
    except ValueError:
        raise tk.Invalid(tk._("Give a date as YYYY-MM-DD, e.g. 2024-05-31"))


def kalmar_not_before(start_field: str):
    """An end date may not come before the dataset's ``start_field``."""
    def validator(key, data, errors, context):
        end, start = data.get(key), data.get(_sibling(key, start_field))
        if _empty(end) or _empty(start) or errors.get(_sibling(key, start_field)):
            return
        try:
            if datetime.date.fromisoformat(str(end)) < datetime.date.fromisoformat(str(start)):
                errors[key].append(tk._("The end date is before the start date"))
        except ValueError:
            pass  # the date validators report malformed dates

    return validator


def kalmar_boolean(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if _empty(value):
        return False
    text = str(value).strip().lower()
    if text in ("true", "1", "yes", "on", "ja", "t", "y"):
        return True
    if text in ("false", "0", "no", "off", "nej", "f", "n"):
        return False
    raise tk.Invalid(tk._("Answer true or false"))


def kalmar_keywords(value: Any) -> Any:
    """Keywords (a list or comma-separated), stored as a JSON list of trimmed, lower-case words."""
    words = []
    for word in as_list(value):
        word = str(word).strip().lower()
        if len(word) > 100:
            raise tk.Invalid(tk._("A keyword can have at most 100 characters"))
        if word not in words:
            words.append(word)
    return json.dumps(words, ensure_ascii=False) if words else ""


def kalmar_uri_list(value: Any) -> Any:
    """One or more http(s) URIs (e.g. specifications), stored as a JSON list."""
    uris = [kalmar_http_url(v) for v in as_list(value)]
    return json.dumps(uris) if uris else ""


# ------------------------------------------------------------------------------- vocabularies
def _vocabulary(field: dict[str, Any]) -> vocabularies.Vocabulary:
    return vocabularies.get(field["vocabulary"])


def _unknown(vocab: vocabularies.Vocabulary, value: Any) -> tk.Invalid:
    examples = ", ".join(c.code for c in vocab.concepts[:4])
    return tk.Invalid(tk._("Unknown value {value!r}: use a code ({examples}, …) or its URI").format(
        value=str(value)[:80], examples=examples))


def kalmar_vocabulary_choice(field, schema):
    """One value of the field's ``vocabulary``: a code or a URI in, the stored form out."""
    vocab = _vocabulary(field)
    default = field.get("default")

    def validator(value: Any) -> Any:
        if _empty(value):
            return vocab.normalize(default) if default else ""
        try:
            return vocab.normalize(value)
        except vocabularies.UnknownValue:
            raise _unknown(vocab, value)

    return validator


kalmar_vocabulary_choice.is_a_scheming_validator = True


def kalmar_vocabulary_choices(field, schema):
    """Several values of the field's ``vocabulary`` (list, JSON list or comma-separated), stored as a
    JSON list in the vocabulary's order."""
    vocab = _vocabulary(field)
    default = field.get("default")

    def validator(value: Any) -> Any:
        values = as_list(value)
        if not values and default:
            values = as_list(default)
        for v in values:
            if vocab.get(v) is None:
                raise _unknown(vocab, v)
        stored = vocabularies.normalize_many(vocab.name, values)
        return json.dumps(stored) if stored else ""

    return validator


kalmar_vocabulary_choices.is_a_scheming_validator = True


def kalmar_license_id(value: Any) -> Any:
    """A licence of the portal's list by id or URI (CC or EU NAL), stored as its id; CC0 by default."""
    if _empty(value):
        return licenses.DEFAULT_LICENSE
    found = licenses.find(value)
    if not found:
        raise tk.Invalid(tk._("Unknown licence {value!r}: choose one of {choices}").format(
            value=str(value)[:80], choices=", ".join(lic["id"] for lic in licenses.licenses())))
    return found["id"]


def kalmar_license_uri(value: Any) -> Any:
    """A resource's own licence (empty = the dataset's), stored as the exact licence URI."""
    if _empty(value):
        return ""
    found = licenses.find(value)
    if not found:
        raise tk.Invalid(tk._("Unknown licence {value!r}: choose one of {choices}").format(
            value=str(value)[:80], choices=", ".join(lic["id"] for lic in licenses.licenses())))
    return found["url"]


def kalmar_media_type(key, data, errors, context):
    """IANA media type of a resource: given (checked) or derived from its format or file name."""
    value = data.get(key)
    url = str(data.get(_sibling(key, "url")) or "").split("?")[0]
    extension = url.rsplit("/", 1)[-1].rsplit(".", 1)[-1].lower() if "." in url.rsplit("/", 1)[-1] else ""
    if not _empty(value) and extension in _EXTENSION_MEDIA_TYPES and \
            str(value) == mimetypes.guess_type(url)[0]:
        # CKAN filled in Python's generic guess (".geojson" → application/json): refine it.
        value = None
    if not _empty(value):
        media_type = str(value).strip().lower()
        if not _MEDIA_TYPE.match(media_type):
            errors[key].append(tk._("Give a media type like text/csv or application/json"))
            return
        data[key] = media_type
        return
    # The file name's extension is more specific than CKAN's guessed format (".geojson" → "JSON").
    candidates = [extension, str(data.get(_sibling(key, "format")) or "")]
    for candidate in candidates:
        media_type = _EXTENSION_MEDIA_TYPES.get(candidate.strip().lower().lstrip("."))
        if media_type:
            data[key] = media_type
            given_format = str(data.get(_sibling(key, "format")) or "").upper()
            if media_type == "application/geo+json" and given_format in ("", "JSON"):
                data[_sibling(key, "format")] = "GeoJSON"  # CKAN guesses "JSON" from .geojson
            return
    # Nothing to go by: the media type of the specification the dataset conforms to, if it names one.
    for uri in as_list(data.get(("conforms_to",))):
        spec = specifications.get(str(uri))
        if spec and spec.get("media_type"):
            data[key] = spec["media_type"]
            return
    data[key] = ""


# ------------------------------------------------------------------------- dataset-level rules
def kalmar_default_from_organization(field: str):
    """Fill an empty value from the dataset's organization (see organizations.DATASET_DEFAULTS)."""
    def validator(key, data, errors, context):
        if _empty(data.get(key)):
            owner = data.get(("owner_org",))
            read = context.setdefault("kalmar_organizations_read", {})  # one read per save (the context's)
            value = dataset_default(str(owner), field, read) if not _empty(owner) else ""
            if value:
                data[key] = value

    return validator


def kalmar_classification_gate(key, data, errors, context):
    """Only data confirmed as classified public (no personal data, no secrecy) may be public.

    Unconfirmed and no visibility given: the dataset is saved as private. Unconfirmed and asked to be
    public: a validation error at this field, and nothing is saved.
    """
    try:
        confirmed = kalmar_boolean(data.get(key))
    except tk.Invalid as e:
        errors[key].append(str(e))
        return
    data[key] = confirmed
    private = data.get(("private",))
    if _empty(private):
        if not confirmed:
            data[("private",)] = True
        return
    if not confirmed and not tk.asbool(private):
        errors[key].append(tk._(
            "Confirm that the data has been classified as public (no personal data, no secrecy) "
            "before making the dataset public, or save it as private"))


def kalmar_applicable_legislation(key, data, errors, context):
    """Set automatically: the HVD regulation when a high-value-dataset category is given."""
    hvd = data.get(_sibling(key, "hvd_category"))
    data[key] = json.dumps([HVD_LEGISLATION]) if not _empty(hvd) else ""


def kalmar_list_output(value: Any) -> list[Any]:
    """Output of a list field: always a list (empty when nothing is stored)."""
    return as_list(value)


def kalmar_last_saved(key, data, errors, context):
    """``last_saved``: when a person last saved the dataset (the form, the API, a new file), the moment of
    this save; saves by the portal itself (its jobs, the harvester, the set-up, all as the site user) keep
    the stored value. Never taken from what is sent. Read by freshness/changes.py."""
    user = context.get("user")
    if user and user != tk.config.get("ckan.site_id") and not context.get(JOB_CONTEXT_FLAG):
        data[key] = datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None).isoformat()
        return
    dataset_id = data.get(("id",))
    dataset = model.Package.get(dataset_id) if dataset_id and not _empty(dataset_id) else None
    stored = (dataset.extras or {}).get(key[-1], "") if dataset else ""
    if stored:
        data[key] = stored
    else:
        data.pop(key, None)
        raise tk.StopOnError


def kalmar_job_record(key, data, errors, context):
    """A field only the extension's background jobs write (a file's validation report, its DataStore load
    status); any other save keeps the stored value, so it can never be forged through the API or the form."""
    if context.get(JOB_CONTEXT_FLAG):
        return
    resource_id = data.get(_sibling(key, "id"))
    resource = model.Resource.get(resource_id) if resource_id and not _empty(resource_id) else None
    data[key] = (resource.extras or {}).get(key[-1], "") if resource else ""


def kalmar_harvest_record(key, data, errors, context):
    """``harvest_source_id`` / ``harvest_source_title``: taken from ckanext-harvest's record of where the
    dataset was harvested from, never from what is sent; a dataset made here has neither."""
    dataset_id = data.get(("id",))
    if dataset_id and not _empty(dataset_id):
        held = context.setdefault("_kalmar_harvest_source", {})  # one look-up for both fields
        if dataset_id not in held:
            held[dataset_id] = provenance.source_of(dataset_id)
        source = held[dataset_id]
    else:
        source = None
    if not source:
        data.pop(key, None)
        raise tk.StopOnError
    data[key] = source[key[-1].removeprefix("harvest_source_")]


def kalmar_json_output(value: Any) -> Any:
    if isinstance(value, str) and value.startswith("{"):
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


def kalmar_requested_datasets(value: Any) -> Any:
    """Ids of requested datasets (data/requested_datasets.yaml), stored as a JSON list in rank order."""
    known = [r["id"] for r in requested_datasets.requested_datasets()]
    values = [str(v).strip() for v in as_list(value)]
    for v in values:
        if v not in known:
            raise tk.Invalid(tk._("Unknown requested dataset {value!r}").format(value=v[:80]))
    stored = [k for k in known if k in values]
    return json.dumps(stored) if stored else ""
