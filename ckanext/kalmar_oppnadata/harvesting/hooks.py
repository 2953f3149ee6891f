"""Our steps in ckanext-dcat's RDF harvester (``IDCATRDFHarvester``), called by the plugin.

The harvester parses each source with the portal's profile (``dcat_ap_se``), so a harvested dataset has
exactly the fields of one published here, including its original URI and identifier. These steps add what
the region needs on top: the dataset belongs to the organization that owns the harvest source, it is public
only if an admin confirmed the source's classification (``classification``), and a URI that is already
someone else's is reported, not taken over.
Being harvested is recorded by ckanext-harvest itself (see ``provenance``).
"""
from __future__ import annotations

import json
from typing import Any

from rdflib import URIRef

from ckanext.dcat.profiles import DCAT, RDF

from ckanext.kalmar_oppnadata.common import portal_gettext
from ckanext.kalmar_oppnadata.files import fetch
from ckanext.kalmar_oppnadata.harvesting import classification, provenance


def drop_datasets_held_elsewhere(parser: Any, harvest_job: Any) -> tuple[Any, list[str]]:
    """After parsing: a dataset whose URI is already in the portal from another source, or as a dataset
    made here, is left out of this harvest and named in the job's report (the valid rest imports)."""
    errors = []
    source_id = harvest_job.source.id
    for ref in list(parser.g.subjects(RDF.type, DCAT.Dataset)):
        if not isinstance(ref, URIRef):
            continue
        for holder in provenance.holders_of_uri(str(ref)):
            source = holder["source"]
            if source and source["id"] == source_id:
                continue
            where = (portal_gettext('harvested from the source "{source}"').format(source=source["title"])
                     if source else portal_gettext("made in the portal"))
            errors.append(portal_gettext(
                "The dataset {uri} is already in the portal as {name} ({where}); it was skipped.").format(
                    uri=ref, name=holder["name"], where=where))
            parser.g.remove((ref, RDF.type, DCAT.Dataset))
            break
    return parser, errors


def _source(harvest_object: Any) -> Any:
    """The harvest source (a CKAN dataset of type ``harvest``) as a ``model.Package``."""
    import ckan.model as model

    return model.Package.get(harvest_object.harvest_source_id or harvest_object.job.source_id)


def prepare(harvest_object: Any, dataset: dict[str, Any], existing: bool) -> None:
    """Before a harvested dataset is created or updated: in the source's organization, public only if an
    admin confirmed the source's classification (else private), and (if it had been withdrawn and is back
    at the source) active again."""
    source = _source(harvest_object)
    if source is not None and source.owner_org:
        dataset["owner_org"] = source.owner_org
    confirmed = classification.confirmation(source) is not None
    dataset["private"] = not confirmed
    dataset["classification_confirmed"] = confirmed
    if existing:
        dataset["state"] = "active"


def index_source_validated(pkg_dict: dict[str, Any]) -> dict[str, Any]:
    """A harvest source's index entry with its validated form.

    ckanext-harvest 1.6.3 re-indexes a source after each job with an unvalidated dict as the "validated"
    one on CKAN 2.12, so ``harvest_source_show`` (served from the index) lost ``source_type``, ``config``
    and ``frequency`` after the first run. Validating again here keeps the index entry whole.
    """
    if pkg_dict.get("type") != "harvest":
        return pkg_dict
    import json

    import ckan.logic as logic
    from ckan.lib.navl.dictization_functions import MissingNullEncoder

    _default, validated = logic.package_show_default_and_custom_schemas({}, pkg_dict["id"])
    if validated.get("source_type"):
        pkg_dict["validated_data_dict"] = json.dumps(validated, cls=MissingNullEncoder)
    return pkg_dict


def check_source_address(url: str, harvest_job: Any) -> tuple[str | None, list[str]]:
    """Before downloading a source: only from a public address (see ``files.fetch``), so a source can never
    make the portal read from its own network. The download itself goes through ``guard_redirects``."""
    try:
        fetch.checked_address(url)
    except fetch.AddressRefused as refused:
        return None, [refused.sv]
    return url, []


def refuse_json_ld(content: str, harvest_job: Any) -> tuple[str | None, list[str]]:
    """After downloading a source: JSON-LD is not harvested. Its parser (rdflib's) fetches remote
    ``@context`` documents by itself, outside the portal's address check, so a source could make the
    portal read from its own network. Municipal catalogs come as RDF/XML or Turtle."""
    try:
        json.loads(content)
    except (TypeError, ValueError):
        return content, []
    return None, [portal_gettext(
        "The source is JSON-LD, which the portal does not harvest (its parser fetches documents from other "
        "addresses by itself). Publish the catalog as RDF/XML or Turtle.")]


def guard_redirects(session: Any) -> Any:
    """The download's HTTP session: every request and every redirect goes to a checked public address."""
    return fetch.guard(session)
