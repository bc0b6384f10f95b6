"""SSRF vetting of monitor and webhook URLs: forms, address classes and resolution."""

from __future__ import annotations

import pytest
from watchdeck.platform.outbound import (
    TargetRefused,
    classify_address,
    parse_http_url,
    vet_url,
)

FORBIDDEN = [
    "169.254.169.254",  # cloud metadata
    "169.254.1.1",
    "fe80::1",
    "fd00:ec2::254",  # AWS metadata over IPv6
    "100.100.100.200",  # Alibaba metadata
    "0.0.0.0",
    "0.1.2.3",
    "::",
    "224.0.0.1",
    "ff02::1",
    "255.255.255.255",
    "240.0.0.1",
]

PRIVATE = [
    "127.0.0.1",
    "127.8.9.10",
    "::1",
    "10.0.0.5",
    "172.16.0.1",
    "172.31.255.254",
    "192.168.1.1",
    "100.64.0.1",
    "fd12:3456::1",
    "fc00::1",
    "fec0::1",
]

PUBLIC = ["93.184.216.34", "1.1.1.1", "8.8.8.8", "2606:4700:4700::1111", "172.32.0.1"]

# IPv6 forms that carry an IPv4 address, and the class of the address they carry.
EMBEDDED = [
    ("::ffff:169.254.169.254", "forbidden"),
    ("::ffff:127.0.0.1", "private"),
    ("::ffff:10.0.0.5", "private"),
    ("::ffff:1.1.1.1", "public"),
    ("::169.254.169.254", "forbidden"),  # IPv4-compatible
    ("::10.0.0.5", "private"),
    ("2002:a9fe:a9fe::1", "forbidden"),  # 6to4 of 169.254.169.254
    ("2002:7f00:1::", "private"),  # 6to4 of 127.0.0.1
    ("2002:101:101::", "public"),  # 6to4 of 1.1.1.1
    ("64:ff9b::169.254.169.254", "forbidden"),  # NAT64
    ("64:ff9b::10.0.0.5", "private"),
    ("64:ff9b::1.1.1.1", "public"),
]


def url_for(address: str) -> str:
    return f"http://[{address}]/" if ":" in address else f"http://{address}/"


@pytest.mark.parametrize("address", FORBIDDEN)
def test_forbidden_addresses_are_classified_forbidden(address: str) -> None:
    assert classify_address(address) == "forbidden"


@pytest.mark.parametrize("address", PRIVATE)
def test_private_addresses_are_classified_private(address: str) -> None:
    assert classify_address(address) == "private"


@pytest.mark.parametrize("address", PUBLIC)
def test_public_addresses_are_classified_public(address: str) -> None:
    assert classify_address(address) == "public"


@pytest.mark.parametrize(("address", "expected"), EMBEDDED)
def test_ipv6_transition_addresses_are_judged_by_the_embedded_ipv4(
    address: str, expected: str
) -> None:
    assert classify_address(address) == expected


@pytest.mark.parametrize("address", FORBIDDEN)
async def test_metadata_address_is_refused_even_when_private_targets_are_allowed(
    address: str,
) -> None:
    with pytest.raises(TargetRefused):
        await vet_url(url_for(address), allow_private=True)


async def test_metadata_refusal_names_the_reason_and_address() -> None:
    with pytest.raises(TargetRefused) as refused:
        await vet_url("http://169.254.169.254/latest/meta-data/", allow_private=True)
    assert refused.value.message == "points at a link-local or metadata address (169.254.169.254)"


@pytest.mark.parametrize("address", ["::ffff:169.254.169.254", "::ffff:a9fe:a9fe"])
async def test_ipv6_mapped_metadata_is_refused(address: str) -> None:
    with pytest.raises(TargetRefused, match="link-local or metadata"):
        await vet_url(url_for(address), allow_private=True)


@pytest.mark.parametrize("address", PRIVATE)
async def test_private_address_is_refused_by_default(address: str) -> None:
    with pytest.raises(TargetRefused) as refused:
        await vet_url(url_for(address), allow_private=False)
    assert refused.value.message.startswith("points at a private network address (")
    assert "an admin can allow private targets in the team settings" in refused.value.message


@pytest.mark.parametrize("address", PRIVATE)
async def test_private_address_is_allowed_with_the_private_setting(address: str) -> None:
    assert await vet_url(url_for(address), allow_private=True)


async def test_loopback_needs_the_private_setting() -> None:
    with pytest.raises(TargetRefused, match=r"private network address \(127\.0\.0\.1\)"):
        await vet_url("http://127.0.0.1:8080/health", allow_private=False)
    assert await vet_url("http://127.0.0.1:8080/health", allow_private=True) == ["127.0.0.1"]


@pytest.mark.parametrize("host", ["127.1", "2130706433", "0x7f.0.0.1"])
async def test_unusual_ipv4_spellings_are_judged_by_what_they_resolve_to(host: str) -> None:
    with pytest.raises(TargetRefused, match="private network address"):
        await vet_url(f"http://{host}/", allow_private=False)


async def test_dns_name_resolving_to_loopback_is_private() -> None:
    with pytest.raises(TargetRefused, match="private network address"):
        await vet_url("http://localhost/", allow_private=False)
    addresses = await vet_url("http://localhost/", allow_private=True)
    assert addresses
    assert all(classify_address(address) == "private" for address in addresses)


@pytest.mark.parametrize("address", PUBLIC)
async def test_public_address_is_allowed(address: str) -> None:
    assert await vet_url(url_for(address), allow_private=False) == [address]


async def test_https_with_port_and_path_is_allowed() -> None:
    url = "https://1.1.1.1:8443/status?full=1#top"
    assert await vet_url(url, allow_private=False) == ["1.1.1.1"]


@pytest.mark.parametrize(
    "url", ["file:///etc/passwd", "ftp://1.1.1.1/", "gopher://1.1.1.1:70/", "1.1.1.1/health"]
)
async def test_non_http_scheme_is_refused(url: str) -> None:
    with pytest.raises(TargetRefused) as refused:
        await vet_url(url, allow_private=True)
    assert refused.value.message == "must be an http or https URL"


@pytest.mark.parametrize(
    "url", ["http://user:pass@1.1.1.1/", "http://user@1.1.1.1/", "http://1.1.1.1@127.0.0.1/"]
)
async def test_userinfo_is_refused(url: str) -> None:
    with pytest.raises(TargetRefused, match="user name or password"):
        await vet_url(url, allow_private=True)


async def test_unresolvable_host_is_refused() -> None:
    with pytest.raises(TargetRefused) as refused:
        await vet_url("https://no-such-host.invalid/", allow_private=True)
    assert refused.value.message == "host no-such-host.invalid does not resolve"


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http:///path", "must name a host"),
        ("http://:80/", "must name a host"),
        ("http://1.1.1.1:0/", "port between 1 and 65535"),
        ("http://1.1.1.1:99999/", "not a valid URL"),
        ("http://1.1.1.1:abc/", "not a valid URL"),
        ("http://[not-an-ip]/", "not a valid URL"),
        ("http://1.1.1.1/a b", "spaces or control characters"),
        ("http://1.1.1.1/\n", "spaces or control characters"),
        ("http://127%2e0%2e0%2e1/", "invalid host name"),
        ("http://evil.example\\.1.1.1.1/", "invalid host name"),
        ("http://1.1.1.1/" + "a" * 2048, "at most 2048 characters"),
    ],
)
def test_malformed_url_is_refused(url: str, reason: str) -> None:
    with pytest.raises(TargetRefused, match=reason):
        parse_http_url(url)


def test_well_formed_url_parses() -> None:
    parts = parse_http_url("HTTPS://Example.COM:8443/x")
    assert (parts.scheme, parts.hostname, parts.port) == ("https", "example.com", 8443)


async def test_error_names_the_field() -> None:
    with pytest.raises(TargetRefused) as refused:
        await vet_url("http://169.254.169.254/", allow_private=True, field="webhook_url")
    assert refused.value.field == "webhook_url"
    with pytest.raises(TargetRefused) as refused:
        parse_http_url("ftp://1.1.1.1/", field="target")
    assert refused.value.field == "target"
    assert str(refused.value) == "target: must be an http or https URL"


def test_classify_rejects_a_non_address() -> None:
    with pytest.raises(ValueError):
        classify_address("example.com")
