"""The demo collection: loaded by `ckan kalmar setup`, clearly marked, idempotent, skippable."""
from __future__ import annotations

import pytest

import ckan.model as model
from ckan.cli.cli import ckan as ckan_cli

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")


def test_setup_loads_the_demo_once_and_marks_it(cli, api):
    result = cli.invoke(ckan_cli, ["kalmar", "setup"])
    assert result.exit_code == 0, result.output
    assert "6 defined, 6 created" in result.output

    public = api("package_search", q="tags:demodata", rows=50)["result"]
    names = {d["name"] for d in public["results"]}
    assert public["count"] == 5
    assert {"demo-badplatser-kalmar", "demo-badplatser-borgholm", "demo-badplatser-vastervik",
            "demo-leverantorsfakturor-kalmar", "demo-regionala-nyckeltal"} == names
    for dataset in public["results"]:
        assert dataset["title"].startswith("Exempel:")
        assert "demodata" in dataset["notes"].lower()
    # The unclassified draft is private: invisible to visitors.
    assert "demo-utkast-nybro" not in names
    api("package_show", id="demo-utkast-nybro", status=403)

    kalmar = api("package_show", id="demo-badplatser-kalmar")["result"]
    resource = kalmar["resources"][0]
    assert resource["url_type"] == "upload" and len(resource["hash"]) == 40 and resource["size"] > 0
    assert kalmar["sdg"] == ["6", "11"]
    # The previews created from the command line are titled in the portal's language.
    assert [v["title"] for v in api("resource_view_list", id=resource["id"])["result"]] == ["Karta"]

    again = cli.invoke(ckan_cli, ["kalmar", "setup"])
    assert "6 defined, 0 created" in again.output
    assert model.Session.query(model.Package).count() == 6


def test_no_demo_skips_it(cli):
    result = cli.invoke(ckan_cli, ["kalmar", "setup", "--no-demo"])
    assert result.exit_code == 0, result.output
    assert "demo datasets" not in result.output
    assert model.Session.query(model.Package).count() == 0
