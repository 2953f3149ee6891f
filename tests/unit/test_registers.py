"""The registers read from package data: the goal vocabulary, the organizations' data file and the
specifications' table schemas (checked with files/checking.py)."""
from __future__ import annotations

from importlib import resources

from ckanext.kalmar_oppnadata.files import checking
from ckanext.kalmar_oppnadata.registers import organizations, specifications, vocabularies

from ..examples import BADPLATSER


def test_vocabulary_has_the_17_goals_with_names_colours_and_un_uris():
    sdg = vocabularies.get("sdg")
    assert [c.code for c in sdg.concepts] == [str(n) for n in range(1, 18)]
    six = sdg.get("6")
    assert six.labels == {"sv": "Rent vatten och sanitet för alla", "en": "Clean water and sanitation"}
    assert six.colour == "#26BDE2"
    assert six.exact_match == ("http://metadata.un.org/sdg/6",)
    assert sdg.get("http://metadata.un.org/sdg/17").code == "17"
    assert {c.category for c in sdg.concepts} == {"social", "ecological", "economic", "overarching"}


def test_organizations_data_file_is_valid_and_has_no_guessed_numbers():
    orgs = organizations.load_organizations()  # every value passes the validators
    assert len(orgs) == 13
    by_name = {o["name"]: o for o in orgs}
    assert "identifier" not in by_name["region-kalmar-lan"]  # 232100-0073 is only a guess
    assert sum(o["dcat_type"].endswith("LocalAuthority") for o in orgs) == 12


def test_every_table_schema_is_marked_derived_and_loads():
    for spec in specifications.specifications():
        schema = specifications.table_schema(spec)
        if schema:
            assert "DERIVED" in schema["description"], spec["name"]
            assert checking.validate(b"", schema)["status"] == "invalid"


def test_demo_files_follow_their_specifications():
    demo = resources.files("ckanext.kalmar_oppnadata").joinpath("data", "demo")
    for name, uri in (("badplatser-kalmar.csv", BADPLATSER),
                      ("leverantorsfakturor-kalmar.csv", "https://lankadedata.se/spec/leverantorsreskontra/1.1")):
        schema = specifications.table_schema(specifications.get(uri))
        assert checking.validate(demo.joinpath(name).read_bytes(), schema)["status"] == "valid", name
