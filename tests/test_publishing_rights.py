"""Publishing rights: editors and admins act only inside their own organization; coordinators are sysadmins.

A matrix of roles × actions on a dataset of organization A (the role's own, for members) and of
organization B, through the Action API with API tokens, as a client would call it.
"""
from __future__ import annotations

import io

import pytest

import ckan.model as model

from .examples import DATA_LINK

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")

ACTIONS = ["create", "update", "make_private", "make_public", "upload_resource", "edit_organization",
           "delete"]
EDITOR_RIGHTS = {"create", "update", "make_private", "make_public", "upload_resource", "delete"}
EXPECTED = {
    # role: (allowed on own organization A, allowed on organization B)
    "anonymous": (set(), set()),
    "non_member": (set(), set()),
    "member": (set(), set()),
    "editor": (EDITOR_RIGHTS, set()),
    "admin": (set(ACTIONS), set()),
    "sysadmin": (set(ACTIONS), set(ACTIONS)),
}


@pytest.fixture
def world(api, sysadmin_with_token, user_with_token, user_factory, api_token_factory):
    """Kalmar kommun (A) and Nybro kommun (B), a public dataset in each, and a user for every role."""
    sys_token = sysadmin_with_token["token"]
    orgs = {}
    for key, name, title in (("A", "kalmar-kommun", "Kalmar kommun"), ("B", "nybro-kommun", "Nybro kommun")):
        org = api("organization_create", token=sys_token, name=name, title=title,
                  email=f"oppnadata@{name}.se")["result"]
        dataset = api("package_create", token=sys_token, name=f"data-{name}", title=f"Data {title}",
                      notes="Test.", owner_org=org["id"], classification_confirmed=True,
                      private=False, resources=[DATA_LINK])["result"]
        orgs[key] = {"org": org, "dataset": dataset}

    tokens = {"anonymous": None, "non_member": user_with_token["token"], "sysadmin": sys_token}
    for role in ("member", "editor", "admin"):
        user = user_factory()
        tokens[role] = api_token_factory(user=user["id"])["token"]
        api("organization_member_create", token=sys_token, id=orgs["A"]["org"]["id"],
            username=user["name"], role=role)
    return {"orgs": orgs, "tokens": tokens}


def attempt(app, api, token, action, org, dataset, n) -> bool:
    """Try one action; True if allowed, False if refused with 403. Anything else fails the test."""
    headers = {"Authorization": token} if token else {}
    if action == "upload_resource":
        response = app.post(
            "/api/3/action/resource_create",
            data={"package_id": dataset["id"], "name": "fil.csv",
                  "upload": (io.BytesIO(b"namn,antal\nBadplats,1\n"), "fil.csv")},
            headers=headers, content_type="multipart/form-data",
        )
    else:
        call = {
            "create": ("package_create", {"name": f"ny-{n}", "title": "Ny", "notes": "Ny.",
                                          "owner_org": org["id"]}),
            "update": ("package_patch", {"id": dataset["id"], "title": "Ändrad titel"}),
            "make_private": ("package_patch", {"id": dataset["id"], "private": True}),
            "make_public": ("package_patch", {"id": dataset["id"], "private": False}),
            "edit_organization": ("organization_patch", {"id": org["id"], "description": "Ändrad."}),
            "delete": ("package_delete", {"id": dataset["id"]}),
        }[action]
        response = app.post(f"/api/3/action/{call[0]}", json=call[1], headers=headers)
    assert response.status_code in (200, 403), f"{action}: {response.status_code} {response.body[:500]}"
    return response.status_code == 200


@pytest.mark.parametrize("role", list(EXPECTED))
@pytest.mark.parametrize("target", ["A", "B"])
def test_role_matrix(app, api, world, role, target):
    org = world["orgs"][target]["org"]
    dataset = world["orgs"][target]["dataset"]
    token = world["tokens"][role]
    allowed = {action for n, action in enumerate(ACTIONS)
               if attempt(app, api, token, action, org, dataset, n)}
    expected = EXPECTED[role][0 if target == "A" else 1]
    assert allowed == expected, f"{role} on organization {target}"


def test_datasets_cannot_be_created_outside_an_organization(app, api, world):
    before = model.Session.query(model.Package).count()
    for role in ("editor", "admin", "sysadmin", "non_member"):
        response = app.post("/api/3/action/package_create",
                            json={"name": f"utan-org-{role.replace('_', '-')}", "title": "Utan org",
                                  "notes": "x"},
                            headers={"Authorization": world["tokens"][role]})
        assert response.status_code in (403, 409), role
    assert model.Session.query(model.Package).count() == before


def test_editor_of_nybro_gets_403_on_a_kalmar_dataset_in_the_web_ui(app, api, world, user_factory,
                                                                     api_token_factory):
    nybro_editor = user_factory()
    token = api_token_factory(user=nybro_editor["id"])["token"]
    api("organization_member_create", token=world["tokens"]["sysadmin"], id="nybro-kommun",
        username=nybro_editor["name"], role="editor")
    kalmar_dataset = world["orgs"]["A"]["dataset"]
    nybro_dataset = world["orgs"]["B"]["dataset"]
    headers = {"Authorization": token}

    # Own organization: the edit form opens.
    app.get(f"/dataset/edit/{nybro_dataset['name']}", headers=headers, status=200)
    # Kalmar kommun's dataset: refused, through the web UI and the API.
    app.get(f"/dataset/edit/{kalmar_dataset['name']}", headers=headers, status=403)
    app.post(f"/dataset/edit/{kalmar_dataset['name']}", headers=headers, status=403,
             data={"title": "Kapad", "notes": "x", "owner_org": kalmar_dataset["owner_org"]})
    app.get(f"/dataset/{kalmar_dataset['name']}/resource/new", headers=headers, status=403)
    api("package_patch", token=token, status=403, id=kalmar_dataset["id"], title="Kapad")
    assert api("package_show", id=kalmar_dataset["id"])["result"]["title"] == "Data Kalmar kommun"
