"""Who may call what the extension adds: every action and every page, for each kind of user, and the
operator's commands, which exist only on the command line.

The lists below are checked against what the plugin registers, so a new action or page cannot be added
without deciding (here) who may use it.
"""
from __future__ import annotations

import pytest

import ckan.model as model
from ckan.cli.cli import ckan as ckan_cli

from ckanext.kalmar_oppnadata.logic import action, auth
from ckanext.kalmar_oppnadata.web import cli as kalmar_cli

from .examples import ACTIONS, BADPLATSER, DATA_LINK

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")

# Every page of the extension (rule → an address of it) and who may see it: everyone.
PAGES = {
    "/health": "/health",
    "/catalog.<_format>": "/catalog.ttl",
    "/catalog/hvd.<_format>": "/catalog/hvd.rdf",
    "/organization/<id>/psidata": "/organization/kalmar-kommun/psidata",
    "/organization/<id>/catalog.<_format>": "/organization/kalmar-kommun/catalog.rdf",
    "/agenda2030": "/agenda2030",
    "/agenda2030/<goal>": "/agenda2030/6",
    "/specifikationer": "/specifikationer",
    "/specifikationer/<slug>/mall.csv": "/specifikationer/badplatser-1.0/mall.csv",
    "/oversikt": "/oversikt",
    "/oversikt.csv": "/oversikt.csv",
    # Controlled vocabularies (web/vocabulary_pages.py)
    "/vokabular": "/vokabular",
    "/vokabular/<name>": "/vokabular/sdg",
    "/vokabular/<name>.<_format>": "/vokabular/sdg.ttl",
    "/vokabular/<name>/<code>": "/vokabular/sdg/6",
    "/onska-data": "/onska-data",
    "/onska-data/ny": "/onska-data/ny",
    # The developer guide (guide/) and the portal's own API description with the explorer's files (openapi/)
    "/utvecklare": "/utvecklare",
    "/openapi/kalmar.json": "/openapi/kalmar.json",
    "/openapi/swagger-ui/<filename>": "/openapi/swagger-ui/swagger-ui.css",
    # Images of other plugins' stylesheets (web/assets.py)
    "/kalmar-assets/<library>/<path:filename>":
        "/kalmar-assets/ckanext-spatial/js/vendor/leaflet.draw/0.4.14/images/spritesheet.svg",
}

# The dialog's actions and pages, subscribing, requests for data and examples of use have their own rules
# (tests/test_dialog.py, tests/test_digests.py, tests/test_data_requests.py, tests/test_reuse.py).
DIALOG_ACTIONS = {"question_create", "question_list", "question_answer"}
DIALOG_PAGES = {"/dataset/<id>/fraga", "/organization/<id>/fragor", "/organization/<id>/fragor/<question_id>",
                "/prenumerera", "/prenumerera/bekrafta/<token>", "/prenumerera/avsluta/<token>"}
DATA_REQUEST_ACTIONS = {"data_request_create", "data_request_show", "data_request_list", "data_request_support",
                        "data_request_comment", "data_request_update"}
DATA_REQUEST_PAGES = {"/onska-data/<id>", "/onska-data/<id>/stod",
                      "/onska-data/<id>/kommentar", "/onska-data/<id>/hantera"}

# Examples of use: anyone proposes and reads approved ones, the region moderates (tests/test_reuse.py).
REUSE_ACTIONS = {"reuse_create", "reuse_show", "reuse_list", "reuse_moderate", "reuse_update", "reuse_delete"}
REUSE_PAGES = {"/anvandningsexempel", "/anvandningsexempel/foresla", "/anvandningsexempel/moderera",
               "/anvandningsexempel/<id>", "/anvandningsexempel/<id>/moderera"}

# "Ny datamängd från fil" is for editors, and a draft's proposal for its own editors (tests/test_proposals.py).
# A table's OpenAPI description and explorer follow its dataset's access (tests/test_openapi.py).
OPENAPI_PAGES = {"/openapi/datastore/<resource_id>.json", "/dataset/<id>/resource/<resource_id>/utforska-api"}
PROPOSAL_PAGES = {"/dataset/fran-fil", "/dataset/<id>/forslag", "/dataset/<id>/forslag/rattad.csv"}

# What the region's operator does from the command line only, and must not be reachable over HTTP.
CLI_ONLY = {"setup", "validate-catalog", "queue-pending", "harvest-source", "harvest-consumer", "upkeep",
            "index-reconcile", "jobs-worker"}

USERS = ["anonymous", "editor of another organization", "editor of the organization", "sysadmin"]


@pytest.fixture
def role_tokens(api, sysadmin_with_token, user_factory, api_token_factory):
    admin = sysadmin_with_token["token"]
    for name in ("kalmar-kommun", "nybro-kommun"):
        api("organization_create", token=admin, name=name, title=name.title(), email=f"oppnadata@{name}.se")
    api("package_create", token=admin, name="publik", title="Publik badplats", owner_org="kalmar-kommun",
        notes="x", private=False, classification_confirmed=True, conforms_to=[BADPLATSER],
        tags=[{"name": "bad"}], resources=[DATA_LINK])
    tokens = {"anonymous": None, "sysadmin": admin}
    for who, org in (("editor of the organization", "kalmar-kommun"),
                     ("editor of another organization", "nybro-kommun")):
        user = user_factory()
        api("organization_member_create", token=admin, id=org, username=user["name"], role="editor")
        tokens[who] = api_token_factory(user=user["id"])["token"]
    return tokens


def test_the_lists_cover_everything_the_plugin_registers(app):
    # CKAN's package_create and package_update are chained to record a harvest source's classification
    # confirmation (tests/test_harvesting.py), package_search to answer 503 while Solr is down
    # (tests/test_outages.py), dataset_purge to take the dataset out of the index once more after its commit
    # (tests/test_faults.py), help_show to answer a chained action's own documentation (tests/test_openapi.py).
    assert set(action.__all__) == set(ACTIONS) | {"package_create", "package_update", "package_search",
                                                  "dataset_purge", "help_show"} | \
        DIALOG_ACTIONS | DATA_REQUEST_ACTIONS | REUSE_ACTIONS
    # Every action but CKAN's chained tag actions has its own auth function; package_create,
    # package_update and harvest_source_create are chained (harvested datasets are read-only, sources are
    # their organization's admins', tests/test_harvesting.py).
    assert set(auth.__all__) == set(ACTIONS) - {"tag_list", "tag_search", "tag_autocomplete"} | {
        "package_create", "package_update", "harvest_source_create"} | DIALOG_ACTIONS | DATA_REQUEST_ACTIONS \
        | REUSE_ACTIONS
    ours = {rule.rule for rule in app.flask_app.url_map.iter_rules()
            if rule.endpoint.startswith("kalmar_")}
    ours.discard("/kalmar_oppnadata/<path:filename>")  # static files of the extension
    assert ours == set(PAGES) | DIALOG_PAGES | DATA_REQUEST_PAGES | REUSE_PAGES | PROPOSAL_PAGES | OPENAPI_PAGES
    assert set(kalmar_cli.kalmar.commands) == CLI_ONLY


@pytest.mark.parametrize("who", USERS)
def test_every_action_and_page_answers_each_kind_of_user(app, role_tokens, who):
    headers = {"Authorization": role_tokens[who]} if role_tokens[who] else {}
    for name, data in ACTIONS.items():
        response = app.post(f"/api/3/action/{name}", json=data, headers=headers)
        assert response.status_code == 200, (name, who, response.body[:300])
        assert response.json["success"] is True
    for rule, path in PAGES.items():
        assert app.get(path, headers=headers).status_code == 200, (path, who)


@pytest.mark.parametrize("who", USERS)
def test_operator_commands_are_not_reachable_over_http(app, role_tokens, who):
    headers = {"Authorization": role_tokens[who]} if role_tokens[who] else {}
    organizations = model.Session.query(model.Group).count()
    for command in CLI_ONLY:
        for name in (command, command.replace("-", "_"), f"kalmar_{command.replace('-', '_')}"):
            response = app.post(f"/api/3/action/{name}", json={}, headers=headers)
            assert response.status_code == 400, (name, response.status_code)
            assert f"Action name not known: {name}" in response.body
        for path in (f"/kalmar/{command}", f"/{command}"):
            assert app.post(path, headers=headers).status_code in (404, 405), path
    # The validation job's function is not an action either: reports are written only by the worker.
    assert app.post("/api/3/action/validate_resource", json={"id": "x"}, headers=headers).status_code == 400
    assert model.Session.query(model.Group).count() == organizations


def test_operator_commands_work_from_the_command_line(cli, role_tokens):
    result = cli.invoke(ckan_cli, ["kalmar", "queue-pending"])
    assert result.exit_code == 0, result.output
    assert "1 dataset(s) looked at" in result.output


def test_user_details_are_not_public(app, api, role_tokens):
    """Who has an account, their full names, last activity and the sysadmin flag are not shown to
    anonymous visitors (``ckan.auth.public_user_details = false``)."""
    names = [u.name for u in model.Session.query(model.User) if not u.sysadmin]
    assert len(names) >= 2  # the two editors: the checks below run on real accounts
    api("user_list", status=403)
    assert app.get("/user/").status_code == 403
    for name in names:
        response = app.post("/api/3/action/user_show", json={"id": name})
        assert response.status_code == 403, (name, response.body[:300])
        assert app.get(f"/user/{name}").status_code == 403, name


def test_sysadmins_still_see_users(api, role_tokens):
    assert api("user_list", token=role_tokens["sysadmin"])["success"] is True
