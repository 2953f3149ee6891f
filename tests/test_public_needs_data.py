"""A public dataset has data: through the Action API, a dataset saved as active and public needs at least one
resource with a file or link (logic/publishing.py). Drafts and private datasets may be saved without; a
refused save changes nothing. (Harvested datasets are taken as their source has them: test_harvesting.py;
the form's last step: test_browser.py.)"""
from __future__ import annotations

import io

import pytest

from .examples import DATA_LINK

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")

MESSAGE = "En publik datamängd behöver data: lägg till minst en fil eller länk"


@pytest.fixture
def portal(api, sysadmin_with_token, user_factory, api_token_factory):
    """Kalmar kommun and one of its editors (the refusals are the same for an editor as for the region)."""
    sys_token = sysadmin_with_token["token"]
    org = api("organization_create", token=sys_token, name="kalmar-kommun", title="Kalmar kommun",
              email="oppnadata@kalmar.se")["result"]
    editor = user_factory()
    api("organization_member_create", token=sys_token, id=org["id"], username=editor["name"], role="editor")
    return {"org": org, "token": api_token_factory(user=editor["id"])["token"], "sysadmin": sys_token}


def _dataset(portal, **fields) -> dict:
    return {"name": "badplatser", "title": "Badplatser", "notes": "Kommunens badplatser.",
            "owner_org": portal["org"]["id"], "classification_confirmed": True, **fields}


def _refused(api, portal, action, **data) -> None:
    """Refused with the message under ``resources`` (dataset actions), or as the whole error of a resource
    action (CKAN's resource actions pass on the dataset's error about its resources as their own)."""
    error = api(action, token=portal["token"], status=409, **data)["error"]
    if action.startswith("package_"):
        assert MESSAGE in error["resources"][0], error
    else:
        assert MESSAGE in str(error.get("message")), error


def test_a_public_dataset_is_not_created_without_a_file_or_link(api, portal):
    _refused(api, portal, "package_create", **_dataset(portal, private=False))
    _refused(api, portal, "package_create", **_dataset(portal))  # confirmed and no visibility given: public
    _refused(api, portal, "package_create", **_dataset(portal, private=False, resources=[{"name": "Tom"}]))
    _refused(api, portal, "package_create", **_dataset(portal, private=False, resources=[{"url": "  "}]))
    api("package_show", id="badplatser", status=404)  # nothing half-saved

    created = api("package_create", token=portal["token"], **_dataset(portal, private=False,
                                                                       resources=[DATA_LINK]))["result"]
    assert created["state"] == "active" and created["private"] is False
    assert [r["url"] for r in api("package_show", id="badplatser")["result"]["resources"]] == [DATA_LINK["url"]]


def test_drafts_and_private_datasets_may_be_saved_without(api, portal):
    # A draft through the API (CKAN lets only sysadmins set the state there; the form makes editors' drafts).
    draft = api("package_create", token=portal["sysadmin"], **_dataset(portal, private=False, state="draft"))
    assert draft["result"]["state"] == "draft" and draft["result"]["resources"] == []
    private = api("package_create", token=portal["token"], **_dataset(portal, name="privat", private=True))
    assert private["result"]["private"] is True and private["result"]["state"] == "active"
    # Unconfirmed classification: saved as private, so the rule does not apply either.
    unconfirmed = api("package_create", token=portal["token"],
                      **_dataset(portal, name="oklassad", classification_confirmed=False))["result"]
    assert unconfirmed["private"] is True


def test_a_draft_or_private_dataset_is_published_only_with_data(app, api, portal):
    api("package_create", token=portal["sysadmin"], **_dataset(portal, private=False, state="draft"))
    _refused(api, portal, "package_patch", id="badplatser", state="active")
    assert api("package_show", token=portal["token"], id="badplatser")["result"]["state"] == "draft"

    api("package_create", token=portal["token"], **_dataset(portal, name="privat", private=True))
    _refused(api, portal, "package_patch", id="privat", private=False)
    assert api("package_show", token=portal["token"], id="privat")["result"]["private"] is True

    # With an uploaded file (the name CKAN gives the upload counts as its address), the draft is published.
    upload = app.post("/api/3/action/resource_create", headers={"Authorization": portal["token"]},
                      content_type="multipart/form-data",
                      data={"package_id": "badplatser", "name": "Badplatser (CSV)",
                            "upload": (io.BytesIO(b"namn\nStens\xc3\xb6\n"), "badplatser.csv")})
    assert upload.status_code == 200, upload.body
    published = api("package_patch", token=portal["token"], id="badplatser", state="active")["result"]
    assert published["state"] == "active" and published["private"] is False


def test_a_public_dataset_keeps_its_data(api, portal):
    created = api("package_create", token=portal["token"],
                  **_dataset(portal, private=False, resources=[DATA_LINK]))["result"]
    resource_id = created["resources"][0]["id"]
    # Saves that leave the resources as they are (sent unchanged, or not sent) are not refused.
    assert api("package_patch", token=portal["token"], id="badplatser", title="Badplatser 2025")["success"]
    shown = api("package_show", id="badplatser")["result"]
    assert api("package_update", token=portal["token"], **{**shown, "notes": "Ny text."})["success"]
    # Removing the last file or link of a public dataset is refused, and nothing changes.
    _refused(api, portal, "package_patch", id="badplatser", resources=[])
    _refused(api, portal, "resource_delete", id=resource_id)
    _refused(api, portal, "resource_patch", id=resource_id, url="")
    assert [r["id"] for r in api("package_show", id="badplatser")["result"]["resources"]] == [resource_id]
    # Made private first, it may be emptied.
    api("package_patch", token=portal["token"], id="badplatser", private=True)
    api("resource_delete", token=portal["token"], id=resource_id)
    assert api("package_show", token=portal["token"], id="badplatser")["result"]["resources"] == []


def test_the_message_is_english_in_the_english_api(app, portal):
    response = app.post("/en/api/3/action/package_create", headers={"Authorization": portal["token"]},
                        json=_dataset(portal, private=False))
    assert response.status_code == 409, response.body
    assert response.json["error"]["resources"] == [
        "A public dataset needs data: add at least one file or link, or save the dataset as a draft or as private"]
