"""The portal's own identity (web/identity.py): its logo with alt text and favicon instead of CKAN's, a
Swedish /about saying who runs the portal and whom to contact (never an invented address), and an
organization's description built from what is recorded on it when it has written none."""
from __future__ import annotations

import pytest

from ckanext.kalmar_oppnadata.registers import organizations

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")

REGIONAL = "http://purl.org/adms/publishertype/RegionalAuthority"


def _from_register(api, token, name: str) -> dict:
    """An organization exactly as ``ckan kalmar setup`` creates it from organizations.yaml."""
    (entry,) = [o for o in organizations.load_organizations() if o["name"] == name]
    return api("organization_create", token=token, **entry)["result"]


def test_every_page_has_the_portals_logo_with_alt_text_and_its_favicon(app):
    page = app.get("/dataset/").body
    assert '<img src="/kalmar_oppnadata/logo.svg" alt="Öppna data i Kalmar län"' in page
    assert "ckan-logo" not in page and "ckan.ico" not in page
    assert '<link rel="icon" href="/kalmar_oppnadata/favicon.svg"' in page
    for path, media_type in (("/kalmar_oppnadata/logo.svg", "image/svg+xml"),
                             ("/kalmar_oppnadata/favicon.svg", "image/svg+xml"), ("/favicon.ico", "image/")):
        response = app.get(path)
        assert response.status_code == 200 and response.headers["Content-Type"].startswith(media_type), path


@pytest.mark.ckan_config("ckanext.kalmar_oppnadata.logo", "https://region.example.org/logga.svg")
@pytest.mark.ckan_config("ckanext.kalmar_oppnadata.logo_alt", "Region Kalmar län: öppna data")
@pytest.mark.ckan_config("ckanext.kalmar_oppnadata.favicon", "/kalmar_oppnadata/favicon.ico")
def test_the_logo_its_alt_text_and_the_favicon_are_settings(app):
    page = app.get("/").body
    assert '<img src="https://region.example.org/logga.svg" alt="Region Kalmar län: öppna data"' in page
    assert '<link rel="icon" href="/kalmar_oppnadata/favicon.ico"' in page


def test_about_says_who_runs_the_portal_and_points_to_the_regions_website_without_an_address(
        app, api, sysadmin_with_token):
    _from_register(api, sysadmin_with_token["token"], "region-kalmar-lan")
    page = app.get("/about").body
    assert "<h1 class=\"page-heading\">Om Öppna data i Kalmar län</h1>" in page
    assert "Region Kalmar län driver portalen" in page
    for heading in ("Vad portalen är till för", "Så publicerar du", "Kontakt"):
        assert f"<h2>{heading}</h2>" in page
    assert "Sveriges dataportal" in page and "klassad som offentlig" in page
    contact = page[page.index("kalmar-about-contact"):]
    contact = contact[:contact.index("</p>")]
    assert "Region Kalmar län, via webbplatsen" in contact and 'href="https://www.regionkalmar.se"' in contact
    assert "mailto:" not in contact  # no address is known, none is made up
    assert "CKAN is the world" not in page


def test_about_gives_the_regions_own_address_then_the_configured_one(app, api, sysadmin_with_token):
    region = _from_register(api, sysadmin_with_token["token"], "region-kalmar-lan")
    api("organization_patch", token=sysadmin_with_token["token"], id=region["id"], email="oppnadata@region.example.org")
    assert 'href="mailto:oppnadata@region.example.org"' in app.get("/about").body


@pytest.mark.ckan_config("ckanext.kalmar_oppnadata.contact_email", "portalen@region.example.org")
def test_about_gives_the_configured_contact_address(app):
    page = app.get("/about").body
    assert '<a href="mailto:portalen@region.example.org">portalen@region.example.org</a>' in page


def test_an_organization_without_a_description_is_described_from_its_recorded_facts(app, api, sysadmin_with_token):
    _from_register(api, sysadmin_with_token["token"], "borgholms-kommun")
    _from_register(api, sysadmin_with_token["token"], "region-kalmar-lan")
    for path in ("/organization/borgholms-kommun", "/organization/about/borgholms-kommun"):
        page = app.get(path).body
        assert "Borgholms kommun är en kommun i Kalmar län (kommunkod 0885)." in page, path
        assert "Organisationsnummer: 212000-0795." in page and 'href="https://www.borgholm.se"' in page
        assert "There is no description" not in page and "Det finns ingen beskrivning" not in page
    region = app.get("/organization/region-kalmar-lan").body
    assert "Region Kalmar län är en regional myndighet." in region
    assert "Organisationen driver den här portalen" in region
    assert "Organisationsnummer" not in region  # unknown in the register: not shown, not guessed


def test_an_organizations_own_description_is_kept(app, api, sysadmin_with_token):
    org = _from_register(api, sysadmin_with_token["token"], "borgholms-kommun")
    api("organization_patch", token=sysadmin_with_token["token"], id=org["id"], description="Ölands norra kommun.")
    page = app.get("/organization/borgholms-kommun").body
    assert "Ölands norra kommun." in page and "är en kommun i Kalmar län" not in page
