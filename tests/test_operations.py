"""Running it for real: the health endpoint, configuration declarations, deployment files."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

import ckan.plugins.toolkit as tk
from ckan.cli.cli import ckan as ckan_cli

from .helpers import stack_solr_jvm_options

ROOT = Path(__file__).resolve().parents[1]
CLOSED_PORT = "127.0.0.1:9"  # discard port: nothing listens on loopback here


@pytest.mark.usefixtures("with_plugins")
class TestHealth:
    def test_all_services_up(self, app):
        response = app.get("/health")
        assert response.status_code == 200
        assert response.json["ok"] is True
        assert {name: s["ok"] for name, s in response.json["services"].items()} == \
            {"database": True, "solr": True, "redis": True}

    @pytest.mark.parametrize("service, key, unreachable", [
        ("database", "sqlalchemy.url", f"postgresql://ckan:ckan@{CLOSED_PORT}/ckan"),
        ("solr", "solr_url", f"http://{CLOSED_PORT}/solr/ckan"),
        ("redis", "ckan.redis.url", f"redis://{CLOSED_PORT}/0"),
    ])
    def test_a_service_down_gives_503_naming_it(self, app, monkeypatch, service, key, unreachable):
        # Point one check at an address where nothing answers: a real refused connection.
        monkeypatch.setitem(tk.config, key, unreachable)
        response = app.get("/health")
        assert response.status_code == 503
        services = response.json["services"]
        assert services[service]["ok"] is False and services[service]["error"]
        assert all(s["ok"] for name, s in services.items() if name != service)
        assert CLOSED_PORT not in response.body  # no addresses or credentials in the answer


@pytest.mark.usefixtures("with_plugins")
def test_every_setting_is_declared_and_documented(cli):
    declared = yaml.safe_load((ROOT / "ckanext/kalmar_oppnadata/config_declaration.yaml").read_text())
    keys = [o["key"] for group in declared["groups"] for o in group["options"]]
    result = cli.invoke(ckan_cli, ["config", "declaration", "kalmar_oppnadata"])
    assert result.exit_code == 0, result.output
    docs = (ROOT / "docs/configuration.md").read_text()
    for key in keys:
        assert key in result.output, key
        assert f"`{key}`" in docs, key
    # No setting is read that is not declared.
    for source in (ROOT / "ckanext/kalmar_oppnadata").rglob("*.py"):
        for line in source.read_text().splitlines():
            if "ckanext.kalmar_oppnadata." in line and "config" in line:
                assert any(k in line for k in keys), f"{source.name}: {line.strip()}"


class TestDeployment:
    def test_compose_file_parses_and_has_the_production_layout(self):
        compose = yaml.safe_load((ROOT / "deploy/compose.yaml").read_text())
        services = compose["services"]
        assert set(services) == {"nginx", "ckan", "worker", "harvest-gather", "harvest-fetch", "harvest-run",
                                 "upkeep", "solr", "db", "redis"}
        assert services["db"]["image"] == "postgres:15"
        assert services["worker"]["command"][-2:] == ["kalmar", "jobs-worker"]
        assert services["ckan"]["build"]["dockerfile"] == "deploy/Dockerfile"
        assert services["worker"]["image"] == services["ckan"]["image"]
        for queue in ("gather", "fetch"):
            assert services[f"harvest-{queue}"]["command"][-3:] == ["kalmar", "harvest-consumer", queue]
        assert "harvester run" in services["harvest-run"]["command"][-1]
        assert "kalmar upkeep" in services["upkeep"]["command"][-1]
        assert services["upkeep"]["image"] == services["ckan"]["image"]
        for name in ("ckan_storage", "solr_data", "pg_data"):
            assert name in compose["volumes"]
        for name in ("solr", "db", "redis", "ckan"):
            assert "healthcheck" in services[name], name
        assert "/health" in " ".join(services["ckan"]["healthcheck"]["test"])
        for path in ("deploy/Dockerfile", "deploy/solr/Dockerfile", "deploy/nginx/default.conf"):
            assert (ROOT / path).is_file(), path

    def test_the_solrcloud_option_is_the_layout_the_local_cluster_runs(self):
        """deploy/compose.solrcloud.yaml, merged onto compose.yaml as `docker compose -f ... -f ...` does: two
        Solr nodes of one ZooKeeper, the collection created with a replica on each (as scripts/stack cluster
        creates it), and every CKAN container reaching Solr through nginx with deploy/nginx/solr.conf, the
        file the local cluster's nginx runs too."""
        base = yaml.safe_load((ROOT / "deploy/compose.yaml").read_text())["services"]
        cloud = yaml.safe_load((ROOT / "deploy/compose.solrcloud.yaml").read_text())["services"]
        nodes = {name: cloud[name]["environment"] for name in ("solr", "solr2")}
        assert {env["SOLR_HOST"] for env in nodes.values()} == {"solr", "solr2"}
        assert {env["ZK_HOST"] for env in nodes.values()} == {"zookeeper:2181"}
        for name in nodes:
            assert cloud[name]["build"]["args"]["SCHEMA_OPTIONS"] == "--cloud"
            assert "solr-precreate" not in " ".join(cloud[name]["command"])
        create = cloud["solr-collection"]["command"][-1]
        assert "upconfig -n ckan" in create
        assert "action=CREATE&name=ckan" in create and "createNodeSet=solr:8983_solr" in create
        assert "action=ADDREPLICA&collection=ckan&shard=shard1&node=solr2:8983_solr" in create
        stack = (ROOT / "scripts/stack").read_text()
        assert "action=CREATE&name=$name&numShards=1&replicationFactor=1" in stack and "ADDREPLICA" in stack
        balancer = (ROOT / "deploy/nginx/solr.conf").read_text()
        assert "server solr:8983;" in balancer and "server solr2:8983;" in balancer
        assert cloud["solr-lb"]["volumes"] == ["./nginx/solr.conf:/etc/nginx/conf.d/default.conf:ro"]
        assert "deploy/nginx/solr.conf" in stack and "deploy/nginx/default.conf" in stack
        ckan_services = [name for name, service in base.items() if service.get("image") == base["ckan"]["image"]]
        assert len(ckan_services) == 6
        for name in ckan_services:
            merged_env = {**base[name]["environment"], **cloud[name]["environment"]}
            assert merged_env["CKAN_SOLR_URL"] == "http://solr-lb:8983/solr/ckan", name
            depends = {**base[name]["depends_on"], **cloud[name]["depends_on"]}
            assert depends["solr-collection"] == {"condition": "service_completed_successfully"}, name
        assert "--cloud" in (ROOT / "stack/solr/build_schema.py").read_text()
        assert "ARG SCHEMA_OPTIONS" in (ROOT / "deploy/solr/Dockerfile").read_text()

    def test_image_and_local_stack_install_with_the_same_script(self):
        dockerfile = (ROOT / "deploy/Dockerfile").read_text()
        assert "FROM ckan/ckan-base:2.12" in dockerfile
        assert "scripts/install-extension python3" in dockerfile
        assert "scripts/install-extension\" \"$PY\"" in (ROOT / "scripts/stack").read_text()
        solr = (ROOT / "deploy/solr/Dockerfile").read_text()
        assert "build_schema.py" in solr and "FROM solr:9" in solr and "jts-core" in solr
        # The image's Solr runs with the JVM options of the stack's (test_stack.py checks the running one).
        solr_opts = re.search(r'^ENV SOLR_OPTS="([^"]*)"', solr, re.M).group(1).split()
        assert solr_opts == stack_solr_jvm_options()

    def test_user_details_are_not_public_in_every_configuration(self):
        """The portal, the tests and production all hide who has an account (test_authorization.py shows
        what that means for visitors)."""
        assert "ckan.auth.public_user_details = false" in (ROOT / "stack/portal.ini").read_text()
        assert "ckan.auth.public_user_details = false" in (ROOT / "test.ini").read_text()
        assert 'CKAN__AUTH__PUBLIC_USER_DETAILS="false"' in (ROOT / "deploy/Dockerfile").read_text()

    def test_env_example_names_every_secret_but_holds_none(self):
        example = (ROOT / "deploy/.env.example").read_text()
        for key in ("POSTGRES_PASSWORD", "CKAN___SECRET_KEY", "CKAN_SITE_URL"):
            assert f"{key}=" in example
        assert "change-me" in example

    def test_nginx_keeps_no_catalog_or_overview_for_a_time(self):
        """A dataset made private must be gone from the next catalog: nginx asks the portal every time
        (which answers 304 to a client that has the current version) and keeps nothing for minutes."""
        conf = (ROOT / "deploy/nginx/default.conf").read_text()
        directives = [line.split("#")[0].strip() for line in conf.splitlines()]
        directives = [d for d in directives if d]
        for timed in ("proxy_cache_path", "proxy_cache_valid", "expires", "proxy_ignore_headers",
                      "fastcgi_cache", "uwsgi_cache"):
            assert not any(d.startswith(timed) for d in directives), timed
        assert all(d == "proxy_cache off;" for d in directives if d.startswith("proxy_cache "))
        # The conditional request reaches the portal unchanged (nginx drops none of these by default, and
        # nothing here clears them).
        assert not any(("If-None-Match" in d or "If-Modified-Since" in d) for d in directives)
        for path in ("/catalog.rdf", "/organization/kalmar-kommun/catalog.ttl", "/oversikt"):
            assert any(path.split(".")[0].split("/")[-1] in d and d.startswith("location") for d in directives), path


@pytest.mark.usefixtures("with_plugins")
class TestWebAssetsBuiltOnce:
    """``webassets_built_once`` (web/assets.py), as the production image and the cluster run: a web process
    builds every asset at its first page, and from then on its pages name the same files as CKAN's own
    building gives them, without looking at the files again."""

    @staticmethod
    def asset_addresses(page: str) -> list[str]:
        return re.findall(r'(?:href|src)="(/webassets/[^"]+)"', page)

    @staticmethod
    def built(folder: Path) -> set[str]:
        return {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.suffix in (".css", ".js")}

    @pytest.fixture
    def folders(self, ckan_config, monkeypatch, tmp_path, make_app):
        """The addresses CKAN's own building gives /dataset/ (the setting off), and the setting on, with an
        empty assets folder of its own."""
        monkeypatch.setitem(ckan_config, "ckan.webassets.path", str(tmp_path / "per-page"))
        per_page = self.asset_addresses(make_app().get("/dataset/").body)
        monkeypatch.setitem(ckan_config, "ckan.webassets.path", str(tmp_path / "once"))
        monkeypatch.setitem(ckan_config, "ckanext.kalmar_oppnadata.webassets_built_once", True)
        return per_page, tmp_path / "once"

    def test_built_at_the_first_page_then_never_checked_again(self, folders, make_app, monkeypatch):
        per_page, folder = folders
        app = make_app()
        assert not self.built(folder)  # making the application (as every ckan command does) builds nothing
        first = app.get("/dataset/").body
        built = self.built(folder)
        assert self.asset_addresses(first) == per_page
        assert any("rtl" in name for name in built)  # every bundle, also those no page of this test includes

        def no_building(*args, **kwargs):
            raise AssertionError("an asset was checked or built on a page")
        monkeypatch.setattr("webassets.bundle.Bundle._build", no_building)
        for page in ("/dataset/", "/", "/oversikt"):  # the styles and scripts of several kinds of page
            addresses = self.asset_addresses(app.get(page).body)
            assert addresses, page
            for address in addresses:
                assert address.removeprefix("/webassets/") in built, address
                assert app.get(address).status_code == 200, address
        assert self.asset_addresses(app.get("/dataset/").body) == per_page

    def test_a_bundle_that_cannot_be_built_leaves_the_checks_on(self, folders, make_app, monkeypatch):
        per_page, folder = folders
        app = make_app()
        from webassets.bundle import Bundle
        build = Bundle._build

        def failing_once(bundle, *args, **kwargs):  # the first build fails (a full disk, say), later ones work
            monkeypatch.setattr(Bundle, "_build", build)
            raise OSError("No space left on device")
        monkeypatch.setattr(Bundle, "_build", failing_once)
        page = app.get("/dataset/").body  # the first page: one bundle failed, so pages go on checking
        assert self.asset_addresses(page) == per_page
        for address in self.asset_addresses(app.get("/dataset/").body):
            assert app.get(address).status_code == 200, address

    def test_production_and_the_cluster_set_it(self):
        dockerfile = (ROOT / "deploy/Dockerfile").read_text()
        assert 'CKANEXT__KALMAR_OPPNADATA__WEBASSETS_BUILT_ONCE="true"' in dockerfile
        assert "ckanext.kalmar_oppnadata.webassets_built_once = true" in (ROOT / "scripts/stack").read_text()
