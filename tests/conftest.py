"""Shared fixtures. The tests in tests/ run against the real services started by ``scripts/stack test``;
tests/unit/ needs none (its own conftest.py and pytest.ini, see the README's Tests section).

Shared data is in examples.py (the full example dataset from tests/data/full_dataset.json), shared
functions in helpers.py; no test module imports another.

Under CI (``CI=true``) a skipped test fails the run, and so does a whole-suite run that collected no browser
test: a missing part must never pass as a skip.
"""
from __future__ import annotations

import copy
import io
import os

import pytest

from . import browser_support
from .examples import FULL, FULL_RESOURCE

BROWSER_TESTS = ("tests/test_browser.py", "tests/test_crawl.py")


def _under_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


def pytest_collection_modifyitems(session, config, items):
    config._kalmar_browser_tests = sum(1 for item in items if item.nodeid.startswith(BROWSER_TESTS))
    config._kalmar_whole_suite = not config.args or all(a.rstrip("/") == "tests" for a in config.args)


def pytest_sessionfinish(session, exitstatus):
    if not _under_ci():
        return
    config = session.config
    reporter = config.pluginmanager.get_plugin("terminalreporter")
    skipped = len(reporter.stats.get("skipped", [])) if reporter else 0
    problems = []
    if skipped:
        problems.append(f"{skipped} test(s) skipped")
    if getattr(config, "_kalmar_whole_suite", False) and not getattr(config, "_kalmar_browser_tests", 0):
        problems.append(f"no browser test collected from {' or '.join(BROWSER_TESTS)}")
    if problems and session.exitstatus == 0:
        if reporter:
            reporter.write_line("CI: " + "; ".join(problems) + " — a missing part is a failure here", red=True)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


@pytest.fixture
def api(app):
    """Call the Action API over HTTP as a web client would, with an optional API token."""

    def call(action: str, token: str | None = None, status: int = 200, **data):
        headers = {"Authorization": token} if token else {}
        if data:
            response = app.post(f"/api/3/action/{action}", json=data, headers=headers)
        else:
            response = app.get(f"/api/3/action/{action}", headers=headers)
        assert response.status_code == status, f"{action}: {response.status_code} {response.body[:2000]}"
        return response.json

    return call


@pytest.fixture
def clean_db(reset_db, migrate_db_for):
    """CKAN's ``clean_db`` plus the migrations of the plugins the portal runs that own tables."""
    reset_db()
    migrate_db_for("activity")
    migrate_db_for("harvest")
    migrate_db_for("kalmar_oppnadata")


@pytest.fixture
def catalog_portal(api, sysadmin_with_token, app):
    """For the catalog tests (test_dcat.py, test_caching.py): the region, Kalmar kommun (orgnr known) and
    Nybro kommun (orgnr unknown), with datasets using every field, an uploaded file, and a private dataset
    that must appear nowhere."""
    token = sysadmin_with_token["token"]
    region = api("organization_create", token=token, name="region-kalmar-lan", title="Region Kalmar län",
                 dcat_type="http://purl.org/adms/publishertype/RegionalAuthority",
                 email="region@example.org")["result"]
    kalmar = api("organization_create", token=token, name="kalmar-kommun", title="Kalmar kommun",
                 identifier="212000-0746", email="oppnadata@kalmar.se", geonames_uri="2702260",
                 url="https://www.kalmar.se")["result"]
    nybro = api("organization_create", token=token, name="nybro-kommun", title="Nybro kommun",
                email="oppnadata@nybro.se")["result"]
    full = api("package_create", token=token, owner_org=kalmar["id"], tags=[{"name": "bad"}],
               resources=[FULL_RESOURCE], **copy.deepcopy(FULL))["result"]
    upload = app.post("/api/3/action/resource_create", headers={"Authorization": token},
                      content_type="multipart/form-data",
                      data={"package_id": full["id"], "name": "Badplatser (CSV)",
                            "upload": (io.BytesIO(b"place_id,name\n1,Stens\xc3\xb6\n"), "badplatser.csv")})
    assert upload.status_code == 200, upload.body
    nybro_dataset = api("package_create", token=token, owner_org=nybro["id"], name="energi-nybro",
                        title="Energianvändning i Nybro", notes="Kommunens energianvändning.",
                        classification_confirmed=True, private=False, sdg=["7"],
                        resources=[{"url": "https://www.nybro.se/energi.xlsx", "name": "Energi"}])["result"]
    private = api("package_create", token=token, owner_org=kalmar["id"], name="hemlig", title="Hemligt utkast",
                  notes="Får inte synas.", private=True)["result"]
    return {"token": token, "region": region, "kalmar": kalmar, "nybro": nybro, "full": full,
            "nybro_dataset": nybro_dataset, "private": private}


# The browser tests (test_browser.py, test_crawl.py): each module gets its own server on a fresh test database.
@pytest.fixture(scope="module")
def browser_portal():
    with browser_support.portal() as portal:
        yield portal


@pytest.fixture(scope="module")
def browser():
    # Imported here: only the browser tests need Playwright (a missing one is an error there, never a skip).
    from playwright import sync_api

    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=browser_support.CHROMIUM,
                                              args=browser_support.CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="sv-SE")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    context.close()
    assert not errors, f"JavaScript errors: {errors}"


@pytest.fixture
def no_dialog_counts():
    """The public forms' rate-limit counts (dialog/guard.py) start from nothing, as on a new day."""
    from ckan.lib.redis import connect_to_redis

    redis = connect_to_redis()
    for key in redis.scan_iter("kalmar:dialog:*"):
        redis.delete(key)


@pytest.fixture
def mail(monkeypatch):
    """A real SMTP server on loopback (tests/mailserver.py) that the portal sends to; its mailbox."""
    from ckan.common import config

    from .mailserver import MailServer

    with MailServer() as server:
        monkeypatch.setitem(config, "smtp.server", server.address)
        monkeypatch.setitem(config, "smtp.starttls", False)
        monkeypatch.setitem(config, "smtp.mail_from", "noreply@oppnadata.kalmar.test")
        yield server.mailbox
