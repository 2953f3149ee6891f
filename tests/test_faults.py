"""Faults: Solr or Redis unreachable, and the operator's backup and restore.

"Unreachable" is a real refused connection: the setting points at a loopback port where nothing listens,
as when the service is stopped. Backup and restore run the commands of the README on the real cluster.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
import sqlalchemy as sa

import ckan.lib.jobs as ckan_jobs
import ckan.lib.redis as ckan_redis
import ckan.lib.search as search
import ckan.model as model
import ckan.plugins.toolkit as tk
from ckan.cli.cli import ckan as ckan_cli

from .examples import BADPLATSER, DATA_LINK, GOOD
from .helpers import report, run_worker, upload

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")

ROOT = Path(__file__).resolve().parents[1]
CLOSED_PORT = "127.0.0.1:9"  # discard port: nothing listens on loopback here


@pytest.fixture
def org(api, sysadmin_with_token):
    token = sysadmin_with_token["token"]
    api("organization_create", token=token, name="kalmar-kommun", title="Kalmar kommun",
        email="oppnadata@kalmar.se")
    return token


def dataset(name: str, **extra) -> dict:
    return {"name": name, "title": f"Datamängd {name}", "notes": "Beskrivning.", "owner_org": "kalmar-kommun",
            "classification_confirmed": True, "private": False, "sdg": ["11"], "resources": [DATA_LINK], **extra}


def row_counts() -> dict[str, int]:
    return {table: model.Session.execute(sa.text(f"SELECT count(*) FROM {table}")).scalar()
            for table in ("package", "resource", "package_tag", "member", "activity")}


def indexed_ids(api, token) -> set[str]:
    result = api("package_search", token=token, q="*:*", rows=1000, include_private=True,
                 include_drafts=True)["result"]
    return {d["id"] for d in result["results"]}


def active_ids_in_database() -> set[str]:
    model.Session.remove()
    return {r[0] for r in model.Session.execute(sa.text("SELECT id FROM package WHERE state = 'active'"))}


class TestSolrUnreachable:
    def test_create_fails_with_a_clear_error_and_saves_nothing(self, app, api, org, monkeypatch):
        before = row_counts()
        with monkeypatch.context() as m:
            m.setitem(tk.config, "solr_url", f"http://{CLOSED_PORT}/solr/ckan_test")
            response = app.post("/api/3/action/package_create", headers={"Authorization": org},
                                json=dataset("under-avbrott", resources=[{"url": "https://example.se/a.csv"}]))
            assert response.status_code == 500
            error = response.json["error"]
            assert error["__type"] == "Search Index Error"
            assert error["message"].startswith("Unable to add package to search index")
            # The web form says it too, and does not save.
            page = app.post("/dataset/new", headers={"Authorization": org},
                            data={**{k: v for k, v in dataset("under-avbrott-form").items() if k != "resources"},
                                  "sdg": "11", "save": "continue", "_ckan_phase": "dataset_new_1"})
            assert page.status_code == 500, page.body[page.body.find('id="content"'):][:3000]
            assert "sökindex" in page.body or "search index" in page.body, page.body[-3000:]
        model.Session.remove()
        assert row_counts() == before
        for name in ("under-avbrott", "under-avbrott-form"):
            assert app.post("/api/3/action/package_show", json={"id": name},
                            headers={"Authorization": org}).status_code == 404
        # Solr is back: creating works again, and the dataset is found.
        created = api("package_create", token=org, **dataset("efter-avbrott"))["result"]
        assert indexed_ids(api, org) == {created["id"]}

    def test_rebuild_makes_search_match_the_database_exactly(self, api, cli, org):
        ids = {n: api("package_create", token=org, **dataset(n))["result"]["id"]
               for n in ("andrad", "saknas", "oforandrad")}
        ids["privat"] = api("package_create", token=org, **dataset("privat", private=True))["result"]["id"]
        # What an outage can leave behind: a change the index did not follow, a dataset the index lost,
        # and an index entry for a dataset the database never committed.
        model.Session.execute(sa.text("UPDATE package SET title = 'Ny titel' WHERE id = :id"), {"id": ids["andrad"]})
        model.Session.commit()
        solr = search.make_connection(decode_dates=False)
        solr.delete(q=f'id:"{ids["saknas"]}"', commit=True)
        ghost = dict(next(iter(solr.search(f'id:"{ids["oforandrad"]}"', fl="*"))))
        ghost.pop("_version_", None)
        ghost.update(id="00000000-0000-0000-0000-000000000000", name="spoke",
                     index_id=ghost["index_id"][:-6] + "spoke0")
        for stored in ("data_dict", "validated_data_dict"):
            ghost[stored] = json.dumps(dict(json.loads(ghost[stored]), id=ghost["id"], name="spoke"))
        solr.add([ghost], commit=True)
        stale = indexed_ids(api, org)
        assert ghost["id"] in stale and ids["saknas"] not in stale

        result = cli.invoke(ckan_cli, ["search-index", "rebuild"])
        assert result.exit_code == 0, result.output

        assert indexed_ids(api, org) == active_ids_in_database() == set(ids.values())
        found = api("package_search", token=org, q="name:andrad")["result"]["results"]
        assert [d["title"] for d in found] == ["Ny titel"]
        assert api("package_search", q="*:*")["result"]["count"] == 3  # visitors: the public ones


class TestIndexReconciliation:
    def test_entries_without_a_dataset_go_once_old_enough_and_missing_datasets_come_back(self, api, cli, org):
        """What a web process killed between CKAN's index write and its commit leaves (an entry for a dataset
        the database never held), and what a lost index leaves (a dataset without its entry): `ckan kalmar
        index-reconcile` (and the hourly upkeep) mends both, but leaves an entry young enough to belong to a
        save still under way."""
        ids = {n: api("package_create", token=org, **dataset(n))["result"]["id"] for n in ("kvar", "borta")}
        solr = search.make_connection(decode_dates=False)
        solr.delete(q=f'id:"{ids["borta"]}"', commit=True)
        template = dict(next(iter(solr.search(f'id:"{ids["kvar"]}"', fl="*"))))
        template.pop("_version_", None)

        def orphan(number: int, name: str, indexed_ts: str) -> str:
            doc = dict(template, id=f"00000000-0000-0000-0000-00000000000{number}", name=name,
                       index_id=template["index_id"][:-6] + name[:6].ljust(6, "0"), indexed_ts=indexed_ts)
            for stored in ("data_dict", "validated_data_dict"):
                doc[stored] = json.dumps(dict(json.loads(doc[stored]), id=doc["id"], name=name))
            solr.add([doc], commit=True)
            return doc["id"]

        old = orphan(1, "gammal", "2026-01-01T00:00:00Z")  # its save died long ago
        young = orphan(2, "ung", template["indexed_ts"])  # as if its save were still under way
        assert indexed_ids(api, org) == {ids["kvar"], old, young}  # "borta" is not found
        assert api("package_search", q="name:borta")["result"]["count"] == 0

        result = cli.invoke(ckan_cli, ["kalmar", "index-reconcile"])
        assert result.exit_code == 0, result.output
        assert "1 index entry(ies) without a dataset removed; 1 dataset(s) indexed." in result.output
        assert indexed_ids(api, org) == {ids["kvar"], ids["borta"], young}
        assert api("package_search", q="name:borta")["result"]["count"] == 1
        # Nothing left to mend: a second run changes nothing.
        result = cli.invoke(ckan_cli, ["kalmar", "index-reconcile"])
        assert "0 index entry(ies) without a dataset removed; 0 dataset(s) indexed." in result.output


class TestPurgeWhileIndexing:
    def test_a_dataset_indexed_again_during_its_purge_is_not_left_in_search(self, app, api, org):
        """A purge removes the dataset from the index before it deletes the rows. A job or a save that indexed
        the dataset in between (here: a job's lock on the row holds the purge at that point, and CKAN's own
        indexing runs meanwhile) must not leave a search hit for a dataset that is gone."""
        import threading
        import time

        created = api("package_create", token=org, **dataset("rensas"))["result"]
        done: list[object] = []

        def purge():
            try:
                with app.flask_app.test_request_context():
                    tk.get_action("dataset_purge")({"ignore_auth": True}, {"id": created["id"]})
                done.append("purged")
            except BaseException as error:  # noqa: BLE001 - reported by the test below
                done.append(error)
            finally:
                model.Session.remove()

        with model.meta.engine.connect() as job:  # a job holding the dataset's row, as reindexing.reindex does
            transaction = job.begin()
            job.execute(sa.text("SELECT id FROM package WHERE id = :id FOR KEY SHARE"), {"id": created["id"]})
            run = threading.Thread(target=purge)
            run.start()
            for _ in range(100):  # the purge has taken the dataset out of the index and waits for the row
                if created["id"] not in indexed_ids(api, org):
                    break
                time.sleep(0.1)
            assert created["id"] not in indexed_ids(api, org) and run.is_alive()
            with app.flask_app.test_request_context():
                search.rebuild(created["id"])  # indexed meanwhile, as a save or an unlocked job would
            model.Session.remove()
            assert created["id"] in indexed_ids(api, org)
            transaction.commit()
        run.join(60)
        assert done == ["purged"]
        assert created["id"] not in indexed_ids(api, org)
        assert api("package_search", q="name:rensas")["result"]["count"] == 0
        assert app.post("/api/3/action/package_show", json={"id": created["id"]},
                        headers={"Authorization": org}).status_code == 404

    def test_a_job_finishing_after_the_purge_indexes_nothing(self, app, api, org):
        from ckanext.kalmar_oppnadata.search import reindexing

        created = api("package_create", token=org, **dataset("rensad"))["result"]
        api("dataset_purge", token=org, id=created["id"])
        with app.flask_app.test_request_context():
            assert reindexing.reindex(created["id"]) is False
        model.Session.remove()
        assert created["id"] not in indexed_ids(api, org)


class TestStaleReads:
    def test_a_job_that_read_a_draft_before_it_was_published_indexes_it_as_published(self, app, api, org):
        """The web form's last step saves the upload, whose load starts at once on the worker, then publishes
        the draft; a load that had read the dataset before the publishing committed indexed it as a draft
        again (seen in the running portal: the dataset page said published, search and catalog had nothing)."""
        from ckanext.kalmar_oppnadata.search import reindexing

        created = api("package_create", token=org, **dataset("utkast", state="draft"))["result"]
        with app.flask_app.test_request_context():
            read = model.Package.get(created["id"])  # what the job's session has read, and holds (context["package"])
            assert read.state == "draft"
            with model.meta.engine.begin() as editor:  # the editor's "Publicera", in a transaction of its own
                editor.execute(sa.text("UPDATE package SET state = 'active' WHERE id = :id"), {"id": created["id"]})
            assert reindexing.reindex(created["id"]) is True
            del read
        model.Session.remove()
        found = api("package_search", q="name:utkast")["result"]
        assert [d["state"] for d in found["results"]] == ["active"]
        assert api("package_show", id=created["id"])["result"]["state"] == "active"


@pytest.mark.usefixtures("clean_queues", "with_test_worker")
class TestRedisUnreachable:
    def test_pages_serve_saves_work_and_file_checks_resume_later(self, app, api, cli, org, monkeypatch):
        created = api("package_create", token=org, **dataset("badplatser", conforms_to=[BADPLATSER]))["result"]
        with monkeypatch.context() as m:
            m.setitem(tk.config, "ckan.redis.url", f"redis://{CLOSED_PORT}/1")
            m.setattr(ckan_redis, "_connection_pool", None)
            m.setattr(ckan_jobs, "_queues", {})
            assert not ckan_redis.is_redis_available()
            for path in ("/", "/dataset/", "/dataset/badplatser", "/organization/kalmar-kommun", "/agenda2030",
                         "/oversikt", "/catalog.ttl", "/api/3/action/package_search?q=badplatser"):
                assert app.get(path).status_code == 200, path
            # An editor uploads a file that should be checked: it is saved; the check waits.
            resource = upload(app, org, created["id"], GOOD.encode())
            assert api("resource_show", id=resource["id"])["result"]["url"].endswith("badplatser.csv")
            assert not report(api, org, resource["id"])
        # Redis is back: nothing was queued meanwhile, so the worker has nothing to do ...
        run_worker(cli)
        assert not report(api, org, resource["id"])
        # ... until the operator's command (also run by `make run`) queues what is missing.
        result = cli.invoke(ckan_cli, ["kalmar", "queue-pending"])
        assert result.exit_code == 0, result.output
        assert "2 job(s) queued" in result.output  # the file check and the table load
        run_worker(cli)
        assert report(api, org, resource["id"])["status"] == "valid"
        # A second run finds nothing left to do.
        result = cli.invoke(ckan_cli, ["kalmar", "queue-pending"])
        assert "0 job(s) queued" in result.output


def _pg_tool(name: str) -> str:
    path = Path(os.environ.get("KALMAR_PG_BIN", "/usr/lib/postgresql/15/bin")) / name
    return str(path) if path.exists() else shutil.which(name) or name


def test_backup_and_restore_into_a_fresh_database_gives_back_every_dataset(app, api, org, tmp_path):
    """The operator's procedure in the README: pg_dump, createdb, pg_restore, search-index rebuild."""
    names = [f"datamangd-{i}" for i in range(5)]
    for name in names:
        api("package_create", token=org, **dataset(name, resources=[{"url": f"https://example.se/{name}.csv"}]))
    api("package_create", token=org, **dataset("privat-kvar", private=True, resources=[]))
    original = api("package_search", token=org, q="*:*", rows=100, include_private=True)["result"]["results"]

    url = sa.engine.make_url(tk.config["sqlalchemy.url"])
    restored = url.set(database="kalmar_restore_test")
    env = dict(os.environ, PGPASSWORD=url.password or "")
    connection = ["-h", url.host, "-p", str(url.port or 5432), "-U", url.username]
    dump = tmp_path / "ckan.dump"
    subprocess.run([_pg_tool("pg_dump"), *connection, "-Fc", "-f", str(dump), url.database], env=env, check=True)
    subprocess.run([_pg_tool("dropdb"), *connection, "--if-exists", restored.database], env=env, check=True)
    subprocess.run([_pg_tool("createdb"), *connection, restored.database], env=env, check=True)
    try:
        subprocess.run([_pg_tool("pg_restore"), *connection, "--no-owner", "-d", restored.database, str(dump)],
                       env=env, check=True)
        # The index is lost too: rebuild it from the restored database.
        search.clear_all()
        assert api("package_search", token=org, q="*:*", include_private=True)["result"]["count"] == 0
        ckan = Path(os.environ.get("KALMAR_STACK_DIR", ROOT / ".stack")) / "venv/bin/ckan"
        rebuild = subprocess.run(
            [str(ckan), "-c", str(ROOT / "test.ini"), "search-index", "rebuild"],
            env=dict(os.environ, CKAN_SQLALCHEMY_URL=restored.render_as_string(hide_password=False)),
            capture_output=True, text=True, timeout=300)
        assert rebuild.returncode == 0, rebuild.stderr[-2000:]

        engine = sa.create_engine(restored)
        with engine.connect() as conn:
            rows = conn.execute(sa.text("SELECT name, title, private, state FROM package")).all()
            resources = conn.execute(sa.text("SELECT count(*) FROM resource WHERE state = 'active'")).scalar()
        engine.dispose()
        assert sorted(rows) == sorted((d["name"], d["title"], d["private"], d["state"]) for d in original)
        assert resources == 5
        again = api("package_search", token=org, q="*:*", rows=100, include_private=True)["result"]["results"]
        assert {(d["id"], d["name"], d["title"], tuple(d["sdg"])) for d in again} == \
            {(d["id"], d["name"], d["title"], tuple(d["sdg"])) for d in original}
        assert api("package_search", q="*:*")["result"]["count"] == 5  # visitors still see only public ones
    finally:
        subprocess.run([_pg_tool("dropdb"), *connection, "--if-exists", restored.database], env=env, check=False)
