"""Helpers for the service-backed tests: upload a file through the Action API, run a real jobs worker on
the real Redis, read a resource's specification report. Plain functions; the fixtures are in conftest.py."""
from __future__ import annotations

import io
import re
from pathlib import Path

from ckan.cli.cli import ckan as ckan_cli


def upload(app, token, dataset_id, content: bytes, filename="badplatser.csv", resource_id=None):
    """Upload ``content`` as a new resource of the dataset, or as the new file of ``resource_id``."""
    data = {"name": filename, "upload": (io.BytesIO(content), filename)}
    if resource_id:
        action, data["id"] = "resource_update", resource_id
    else:
        action, data["package_id"] = "resource_create", dataset_id
    response = app.post(f"/api/3/action/{action}", headers={"Authorization": token},
                        content_type="multipart/form-data", data=data)
    assert response.status_code == 200, response.body
    return response.json["result"]


def run_worker(cli):
    """A real RQ worker on the real Redis, until the queue is empty."""
    result = cli.invoke(ckan_cli, ["kalmar", "jobs-worker", "--burst"])
    assert result.exit_code == 0, result.output


def report(api, token, resource_id):
    """The resource's specification report (None until the check ran)."""
    return api("resource_show", token=token, id=resource_id)["result"].get("validation_report")


def stack_solr_jvm_options() -> list[str]:
    """The JVM options scripts/stack starts every Solr with (its ``SOLR_JVM_OPTIONS``)."""
    script = (Path(__file__).resolve().parents[1] / "scripts/stack").read_text()
    options = re.search(r"^SOLR_JVM_OPTIONS=\(([^)]*)\)", script, re.M).group(1).split()
    assert options, "scripts/stack names no JVM options for Solr"
    return options
