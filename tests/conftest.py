"""Shared fixtures. Every test runs against the real services started by ``scripts/stack test``.

Under CI (``CI=true``) a skipped test fails the run, and so does a whole-suite run that collected no browser
test: a missing part must never pass as a skip.
"""
from __future__ import annotations

import os

import pytest

BROWSER_TESTS = "tests/test_browser.py"


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
        problems.append(f"no browser test collected from {BROWSER_TESTS}")
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
