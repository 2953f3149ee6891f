"""The unit layer: the pure modules (identifiers, geometry, column types, CSV reading, the DCAT mapping,
quality scoring, address checks), without PostgreSQL, Solr or Redis.

Run alone with ``make test-unit`` (``pytest -c tests/unit/pytest.ini``: CKAN's pytest plugin off), and as part
of the full suite (``make test``: the plugin on, test.ini loaded). Either way:

- the settings the modules read are set here (``ckan_settings``), the same values as test.ini;
- nothing leaves the machine: a connection to anything but loopback, or a host-name look-up, fails the test
  (``no_network``). The address checks of files/fetch.py refuse before connecting, and these tests prove it.
"""
from __future__ import annotations

import ipaddress
import socket

import pytest

import ckan.plugins.toolkit as tk

from ckanext.kalmar_oppnadata.files import fetch

from ..examples import ALLOWED_HOST

ALLOWED_HOSTS = [f"{ALLOWED_HOST}=127.0.0.1"]  # as test.ini sets it


class NetworkUsed(RuntimeError):
    """A unit test reached for the network (not an OSError, so no caller can take it for a refusal)."""


@pytest.fixture(autouse=True)
def ckan_settings(monkeypatch):
    """The settings the pure modules read, typed as CKAN's config declaration gives them."""
    monkeypatch.setitem(tk.config, fetch.ALLOWED_HOSTS, list(ALLOWED_HOSTS))


def _literal(host) -> bool:
    try:
        ipaddress.ip_address(str(host).strip("[]").split("%")[0])
    except ValueError:
        return False
    return True


@pytest.fixture(autouse=True)
def no_network(monkeypatch):
    """Host names are not looked up and only loopback may be connected to."""
    lookup, connect = socket.getaddrinfo, socket.socket.connect

    def guarded_lookup(host, *args, **kwargs):
        if host is not None and not _literal(host):
            raise NetworkUsed(f"a unit test looked up the host name {host!r}")
        return lookup(host, *args, **kwargs)

    def guarded_connect(self, address):
        if self.family in (socket.AF_INET, socket.AF_INET6) and not ipaddress.ip_address(address[0]).is_loopback:
            raise NetworkUsed(f"a unit test connected to {address!r}")
        return connect(self, address)

    monkeypatch.setattr(socket, "getaddrinfo", guarded_lookup)
    monkeypatch.setattr(socket.socket, "connect", guarded_connect)
