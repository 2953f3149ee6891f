"""Fetching what users point the portal at (linked files, harvest sources, link checks): public addresses
only, at every hop.

- **Every hop is checked.** Redirects are followed one at a time (at most ``MAX_REDIRECTS``); each target is
  checked before anything is sent to it.
- **The address checked is the address connected to.** A host name is resolved once; every address it
  resolves to must be a global one (not loopback, private, link-local such as the cloud metadata address
  169.254.169.254, shared, reserved or multicast), and the connection goes to that checked address (with
  the name kept for the ``Host`` header and for TLS), so a DNS answer that changes between the check and
  the connection cannot slip through.
- **The size limit holds while reading.** The body is read in chunks and reading stops at the caller's
  limit; nothing larger is ever held.

The refusal is an ``AddressRefused`` with a Swedish and an English message saying why, which the caller
shows on the resource or in the harvest report. It is a ``requests`` connection error, so code that
handles failed downloads (ckanext-dcat's harvester) reports it as one.

The tests serve files from loopback under a public-looking name: ``ckanext.kalmar_oppnadata.
fetch_allowed_hosts`` lists such names as ``name=address`` (the name is allowed and taken to be that
address, with no DNS look-up) or as a bare ``name`` (allowed whatever it resolves to). Empty in production.
"""
from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass, field
from typing import Any, Mapping
from urllib.parse import urlsplit

import requests
from requests.adapters import HTTPAdapter

import ckan.plugins.toolkit as tk

MAX_REDIRECTS = 5
TIMEOUT = (10, 30)  # seconds to connect, seconds between bytes
CHUNK = 64 * 1024
ALLOWED_HOSTS = "ckanext.kalmar_oppnadata.fetch_allowed_hosts"


class AddressRefused(requests.exceptions.ConnectionError):
    """The portal does not fetch from this address; ``sv`` and ``en`` say why."""

    def __init__(self, sv: str, en: str):
        super().__init__(sv)  # the portal's language: reports (the harvest job's) show the text as is
        self.sv, self.en = sv, en


@dataclass
class Fetched:
    url: str  # the address that answered, after redirects
    status: int
    headers: Mapping[str, str]
    body: bytes = b""
    truncated: bool = False  # the body was cut at the limit
    redirects: list[str] = field(default_factory=list)


def _allowed_hosts() -> dict[str, str | None]:
    """The operator's allowed names: name → pinned address (None: resolve as usual)."""
    allowed: dict[str, str | None] = {}
    for entry in tk.config.get(ALLOWED_HOSTS):  # a list (typed declaration)
        name, _, address = str(entry).partition("=")
        allowed[name.strip().lower()] = address.strip() or None
    return allowed


def _refuse(url: str, why_sv: str, why_en: str) -> AddressRefused:
    return AddressRefused(f"Adressen {url} hämtas inte: {why_sv}.", f"The address {url} is not fetched: {why_en}.")


def _checked_form(url: str):
    """The address's parts, if it is an http(s) address with a host name (no look-up yet)."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise _refuse(url, "bara http- och https-adresser hämtas", "only http and https addresses are fetched")
    if not parts.hostname:
        raise _refuse(url, "adressen saknar värdnamn", "the address has no host name")
    return parts


def checked_address(url: str) -> str:
    """The one IP address the portal may connect to for ``url``; raises ``AddressRefused`` otherwise."""
    host = _checked_form(url).hostname.lower()
    allowed = _allowed_hosts()
    if host in allowed and allowed[host]:
        return allowed[host]  # type: ignore[return-value]
    try:
        found = {info[4][0] for info in socket.getaddrinfo(host, None, type=socket.SOCK_STREAM)}
    except (OSError, ValueError, UnicodeError):
        raise _refuse(url, "värdnamnet kunde inte slås upp", "the host name could not be resolved") from None
    if not found:
        raise _refuse(url, "värdnamnet kunde inte slås upp", "the host name could not be resolved")
    if host not in allowed:
        for address in found:
            if _public(address):
                continue
            if address == host.strip("[]"):
                raise _refuse(url, f"{address} är inte en publik adress", f"{address} is not a public address")
            raise _refuse(url, f"{host} pekar på {address}, som inte är en publik adress",
                          f"{host} points to {address}, which is not a public address")
    # IPv4 first: many hosts (and containers) have no IPv6 route although the name has an IPv6 address.
    return sorted(found, key=lambda a: (":" in a, a))[0]


_NAT64 = ipaddress.ip_network("64:ff9b::/96")


def _public(address: str) -> bool:
    """A global address, also inside the IPv6 forms that carry an IPv4 address (mapped, 6to4, Teredo,
    NAT64), which would otherwise reach the embedded one."""
    ip = ipaddress.ip_address(address.split("%")[0])
    if isinstance(ip, ipaddress.IPv6Address):
        embedded = [ip.ipv4_mapped, ip.sixtofour, *(ip.teredo or ())]
        if ip in _NAT64:
            embedded.append(ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF))
        if int(ip) >> 32 == 0:  # ::a.b.c.d, the deprecated IPv4-compatible form
            return False
        if any(e is not None and not e.is_global for e in embedded):
            return False
    return ip.is_global and not ip.is_multicast  # is_global alone lets 224.0.0.0/4 through


def is_public(url: str) -> bool:
    """Whether the portal may fetch ``url`` (for checks when an address is saved)."""
    try:
        checked_address(url)
    except AddressRefused:
        return False
    return True


class PublicAddressAdapter(HTTPAdapter):
    """A ``requests`` transport that checks every request's address and connects to the checked one.

    ``requests`` sends each hop of a redirect through the adapter, so every hop is checked, also in
    sessions that others drive (ckanext-dcat's harvester).
    """

    def send(self, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:  # type: ignore[override]
        parts = urlsplit(request.url or "")
        address = checked_address(request.url or "")
        request.headers["Host"] = parts.netloc.rpartition("@")[2]
        request._kalmar_address = address  # type: ignore[attr-defined]  # read by the pool key below
        kwargs["proxies"] = {}  # a proxy would connect somewhere we did not check
        if kwargs.get("timeout") is None:  # callers that set none (ckanext-dcat's harvester) never hang
            kwargs["timeout"] = TIMEOUT
        return super().send(request, **kwargs)

    def build_connection_pool_key_attributes(self, request, verify, cert=None):  # noqa: ANN001
        host_params, pool_kwargs = super().build_connection_pool_key_attributes(request, verify, cert)
        address = getattr(request, "_kalmar_address", None)
        if address:
            name = host_params["host"]
            host_params = {**host_params, "host": address}
            if host_params["scheme"] == "https":
                pool_kwargs = {**pool_kwargs, "server_hostname": name, "assert_hostname": name}
        return host_params, pool_kwargs


def guard(session: requests.Session) -> requests.Session:
    """``session`` with every request going through the address check (and no proxies from the
    environment)."""
    adapter = PublicAddressAdapter(max_retries=0)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    session.trust_env = False
    session.max_redirects = MAX_REDIRECTS
    return session


def _read(response: requests.Response, limit: int) -> tuple[bytes, bool]:
    buffer = bytearray()
    for chunk in response.iter_content(CHUNK):
        buffer += chunk
        if len(buffer) > limit:
            return bytes(buffer[:limit]), True
    return bytes(buffer), False


def fetch(url: str, *, limit: int, method: str = "GET", headers: Mapping[str, str] | None = None,
          timeout: Any = TIMEOUT) -> Fetched:
    """Fetch ``url`` (public addresses only, every hop checked), reading at most ``limit`` bytes of the body.

    Raises ``AddressRefused`` for an address the portal does not fetch from (also after a redirect), and
    ``requests.RequestException`` for other failures (timeouts, too many redirects, refused connections).
    """
    _checked_form(url)  # requests would refuse these with errors of its own
    with guard(requests.Session()) as session:
        try:
            with session.request(method, url, headers=dict(headers or {}), timeout=timeout, stream=True,
                                 allow_redirects=True) as response:
                body, truncated = _read(response, limit) if method != "HEAD" else (b"", False)
                return Fetched(url=response.url, status=response.status_code, headers=dict(response.headers),
                               body=body, truncated=truncated, redirects=[r.url for r in response.history])
        except requests.TooManyRedirects:
            raise _refuse(url, f"fler än {MAX_REDIRECTS} omdirigeringar",
                          f"more than {MAX_REDIRECTS} redirects") from None
