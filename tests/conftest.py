"""Shared fixtures. Every test runs against the real services started by ``scripts/stack test``."""
from __future__ import annotations

import pytest


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
