"""The address checks of files/fetch.py that need no network: schemes, IP literals (loopback, private,
link-local such as the cloud metadata address, IPv4 inside IPv6 forms) and the operator's allowed names.
The refusal comes before any connection (conftest.py's ``no_network`` would fail the test otherwise)."""
from __future__ import annotations

import pytest
import requests

from ckanext.kalmar_oppnadata.files import fetch

from ..examples import ALLOWED_HOST


@pytest.mark.parametrize("url, shown", [
    ("http://127.0.0.1/fil.csv", "127.0.0.1"),
    ("http://127.0.0.1:6380/intern.csv", "127.0.0.1"),
    ("http://169.254.169.254/latest/meta-data/", "169.254.169.254"),
    ("http://10.20.30.40/fil.csv", "10.20.30.40"),
    ("http://192.168.1.1/fil.csv", "192.168.1.1"),
    ("http://100.64.0.1/fil.csv", "100.64.0.1"),  # shared address space
    ("http://0.0.0.0/fil.csv", "0.0.0.0"),
    ("http://[::1]/fil.csv", "::1"),
    ("http://[::ffff:127.0.0.1]/fil.csv", "::ffff:127.0.0.1"),  # IPv4-mapped loopback
    ("http://[::ffff:169.254.169.254]/fil.csv", "::ffff:169.254.169.254"),
])
def test_an_address_on_the_portals_own_network_is_refused_and_named(url, shown):
    assert not fetch.is_public(url)
    with pytest.raises(fetch.AddressRefused) as refused:
        fetch.checked_address(url)
    assert refused.value.sv == f"Adressen {url} hämtas inte: {shown} är inte en publik adress."
    assert refused.value.en == f"The address {url} is not fetched: {shown} is not a public address."


@pytest.mark.parametrize("url", ["ftp://oppen.kalmar.test/fil.csv", "file:///etc/passwd", "http:///fil.csv",
                                 "http://[::1]/fil.csv", "http://0.0.0.0/fil.csv"])
def test_other_schemes_and_addresses_are_refused(url):
    assert not fetch.is_public(url)
    with pytest.raises(fetch.AddressRefused):
        fetch.fetch(url, limit=10)


@pytest.mark.parametrize("url", ["http://127.0.0.1:9/fil.csv", "http://169.254.169.254/latest/meta-data/"])
def test_fetch_refuses_before_connecting(url):
    with pytest.raises(fetch.AddressRefused) as refused:
        fetch.fetch(url, limit=1000)
    assert "är inte en publik adress" in refused.value.sv


def test_scheme_and_host_name_are_required():
    with pytest.raises(fetch.AddressRefused) as refused:
        fetch.checked_address("gopher://example.se/")
    assert "bara http- och https-adresser hämtas" in refused.value.sv
    with pytest.raises(fetch.AddressRefused) as refused:
        fetch.checked_address("http:///fil.csv")
    assert "saknar värdnamn" in refused.value.sv


@pytest.mark.parametrize("address, public", [
    ("8.8.8.8", True),
    ("2001:4860:4860::8888", True),
    ("127.0.0.1", False),
    ("::127.0.0.1", False),              # the deprecated IPv4-compatible form
    ("2002:7f00:1::", False),            # 6to4 around 127.0.0.1
    ("2002:a9fe:a9fe::", False),         # 6to4 around 169.254.169.254
    ("64:ff9b::a9fe:a9fe", False),       # NAT64 around 169.254.169.254
    ("fe80::1%eth0", False),             # link-local with a zone
    ("224.0.0.1", False),                # multicast (ipaddress's is_global alone would let it through)
    ("ff02::1", False),
])
def test_public_means_global_also_inside_ipv6_forms(address, public):
    assert fetch._public(address) is public


def test_an_allowed_name_is_pinned_to_its_address_without_a_look_up():
    # test.ini's (and conftest.py's) fetch_allowed_hosts: oppen.kalmar.test=127.0.0.1. The name is not in DNS;
    # conftest.py's no_network would fail the test had it been looked up.
    assert fetch.checked_address(f"http://{ALLOWED_HOST}:8080/fil.csv") == "127.0.0.1"
    assert fetch.checked_address(f"https://{ALLOWED_HOST.upper()}/fil.csv") == "127.0.0.1"
    assert fetch.is_public(f"http://{ALLOWED_HOST}/fil.csv")


def test_a_refusal_is_a_connection_error_for_requests_users():
    assert issubclass(fetch.AddressRefused, requests.exceptions.ConnectionError)
