"""Work after the commit (subscriptions.py): a save queues its file jobs from CKAN's ``action_succeeded``
signal, once per change, after the save has committed; the jobs' own records queue nothing."""
from __future__ import annotations

import io
import json

import pytest
import sqlalchemy as sa

import ckan.model as model
import ckan.plugins.toolkit as tk
from ckan.lib import jobs as ckan_jobs

from ckanext.kalmar_oppnadata.jobs import queue

from .examples import BADPLATSER, DATA_LINK

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index", "clean_queues")

CSV = b"place_id,name,latitude,longitude\n1,Stens\xc3\xb6,56.64,16.33\n"


REFRESH = "kalmar-catalog-refresh"


def queued_job_ids() -> list[str]:
    return sorted(job.id for job in ckan_jobs.get_queue().jobs)


@pytest.fixture
def badplatser(api, sysadmin_with_token):
    token = sysadmin_with_token["token"]
    api("organization_create", token=token, name="kalmar-kommun", title="Kalmar kommun",
        email="oppnadata@kalmar.se")
    dataset = api("package_create", token=token, name="badplatser", title="Badplatser", notes="x",
                  owner_org="kalmar-kommun", conforms_to=[BADPLATSER], classification_confirmed=True,
                  private=False, resources=[DATA_LINK])["result"]
    return {"token": token, "dataset": dataset}


def test_a_new_file_queues_its_check_and_its_load_once_after_the_commit(app, badplatser, monkeypatch):
    seen_committed = []
    enqueue = queue.enqueue_once

    def spy(function, kind, resource_id, title, timeout=300):
        # Another connection, as the worker has: the save must already be committed.
        with model.meta.engine.connect() as other:
            found = other.execute(sa.text("SELECT 1 FROM resource WHERE id = :id AND state = 'active'"),
                                  {"id": resource_id}).first()
        seen_committed.append((kind, found is not None))
        return enqueue(function, kind, resource_id, title, timeout)

    monkeypatch.setattr(queue, "enqueue_once", spy)
    response = app.post("/api/3/action/resource_create", headers={"Authorization": badplatser["token"]},
                        content_type="multipart/form-data",
                        data={"package_id": badplatser["dataset"]["id"], "name": "badplatser.csv",
                              "upload": (io.BytesIO(CSV), "badplatser.csv")})
    assert response.status_code == 200, response.body
    resource_id = response.json["result"]["id"]
    assert sorted(seen_committed) == [("load", True), ("validate", True)]
    # And the refresh of the kept catalogs (catalog/refresh.py), once for every save since it last ran.
    assert queued_job_ids() == [REFRESH, f"kalmar-load-{resource_id}", f"kalmar-validate-{resource_id}"]


def test_saves_that_change_no_file_and_the_jobs_own_records_queue_nothing(api, badplatser):
    dataset = badplatser["dataset"]
    url = "http://oppen.kalmar.test/lank.csv"
    resource = api("resource_create", token=badplatser["token"], package_id=dataset["id"], name="lank.csv",
                   url=url, format="CSV")["result"]
    jobs_of_the_file = [REFRESH, f"kalmar-load-{resource['id']}", f"kalmar-validate-{resource['id']}"]
    assert queued_job_ids() == jobs_of_the_file
    api("package_patch", token=badplatser["token"], id=dataset["id"], title="Badplatser i Kalmar")
    assert queued_job_ids() == jobs_of_the_file  # each job once, however often the dataset is saved

    # The worker runs them; what they record on the resource is their own save: nothing is queued.
    for job in ckan_jobs.get_queue().jobs:
        job.delete()
    tk.get_action("resource_patch")(queue.job_context(), {
        "id": resource["id"],
        "datastore_load": json.dumps({"status": "complete", "file_url": url, "rows": 1, "columns": 1}),
        "validation_report": json.dumps({"status": "valid", "specification": BADPLATSER, "file_url": url,
                                         "errors": [], "error_count": 0})})
    assert queued_job_ids() == []
    api("package_patch", token=badplatser["token"], id=dataset["id"], title="Badplatser i Kalmar län")
    assert queued_job_ids() == [REFRESH]  # the files' records are current; the catalogs are to be refreshed

    # A changed link is a new file: its jobs are queued again.
    api("resource_patch", token=badplatser["token"], id=resource["id"], url="http://oppen.kalmar.test/ny.csv")
    assert queued_job_ids() == jobs_of_the_file
