"""What the benchmark scripts share: CKAN loaded from test.ini with the benchmark's own database and Solr
core (set by bench/run-catalog through CKAN_SQLALCHEMY_URL and CKAN_SOLR_URL), inside a request context."""
from __future__ import annotations

import contextlib
import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


@contextlib.contextmanager
def ckan_app(config: str = "test.ini", request_context: bool = True):
    """CKAN loaded from ``config`` (relative to the repository), inside a request context unless asked
    not to (a test client's requests must not share one: the logged-in user is kept in it); yields the
    Flask app."""
    database = os.environ.get("CKAN_SQLALCHEMY_URL", "").rsplit("/", 1)[-1]
    if not (database.startswith("ckan_bench") or database == "ckan_cluster"):
        raise SystemExit("run through bench/run-catalog (or bench/run-cluster): the benchmark needs its own "
                         "database and Solr core")
    config = os.environ.get("BENCH_CKAN_INI", config)  # bench/run-cluster: the cluster's own configuration
    from ckan.cli import load_config
    from ckan.config.middleware import make_app

    app = make_app(load_config(str(ROOT / config)))
    if not request_context:
        yield app._wsgi_app
        return
    with app._wsgi_app.test_request_context():
        yield app._wsgi_app
