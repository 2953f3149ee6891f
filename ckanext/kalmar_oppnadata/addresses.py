"""Which addresses the portal may fetch from for its users: http(s) to public addresses only, so a linked
file or a harvest source can never make the portal read from its own network (a database, Solr, a cloud
metadata service). Harvesting may be allowed named hosts besides (``harvest_allowed_hosts``: the tests'
local server)."""
from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit

import ckan.plugins.toolkit as tk


def is_public(url: str) -> bool:
    """http(s), and every address the host name resolves to is a global one."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return False
    try:
        addresses = {info[4][0] for info in socket.getaddrinfo(parts.hostname, None)}
    except OSError:
        return False
    return all(ipaddress.ip_address(a).is_global for a in addresses)


def harvestable(url: str) -> bool:
    """A harvest source may be read from ``url``: a public address, or a host the operator allowed."""
    allowed = tk.aslist(tk.config.get("ckanext.kalmar_oppnadata.harvest_allowed_hosts"))
    parts = urlsplit(url)
    if parts.scheme in ("http", "https") and parts.hostname and parts.hostname in allowed:
        return True
    return is_public(url)
