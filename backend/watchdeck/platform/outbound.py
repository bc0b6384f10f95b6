"""Outbound HTTP to user-supplied monitor and webhook URLs, vetted so the server never reaches
inward.

A URL is refused when its form is wrong or when any address its host resolves to is
link-local, a cloud metadata endpoint, unspecified, multicast or reserved (always), or
loopback / private / carrier-grade NAT / unique-local / site-local (unless the team
allows private targets).

Vetting a URL before saving it is not enough: DNS answers change between the check and the
connection (rebinding), and a redirect leads elsewhere. Every outgoing request to a
user-supplied target therefore resolves and vets its host again at the moment it opens a
connection, and connects to exactly the address it vetted: httpx clients through
`vetted_transport`, the health-check prober's aiohttp sessions through `VettingResolver`.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
import ssl
import urllib.parse
from contextvars import ContextVar
from typing import Any, Literal

import httpcore
import httpx
from aiohttp.abc import AbstractResolver, ResolveResult

MAX_URL_LENGTH = 2048
RESOLVE_TIMEOUT = 5.0  # seconds; a stuck resolver must not hold the request

Classification = Literal["public", "private", "forbidden"]
_IP = ipaddress.IPv4Address | ipaddress.IPv6Address

_METADATA = frozenset(
    {ipaddress.ip_address("fd00:ec2::254"), ipaddress.ip_address("100.100.100.200")}
)
_THIS_NETWORK = ipaddress.ip_network("0.0.0.0/8")
_CARRIER_NAT = ipaddress.ip_network("100.64.0.0/10")
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_IPV4_COMPATIBLE = ipaddress.ip_network("::/96")


class TargetRefused(Exception):
    """`message` says why, in words a user understands; `field` names the input."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


class Unresolvable(TargetRefused):
    """The host has no address (or its lookup failed): refused when saving, a DNS failure
    when checking."""


def _embedded_ipv4(ip: _IP) -> _IP:
    """The IPv4 address an IPv6 transition address carries, else the address itself.

    Without this, ::ffff:169.254.169.254 or 2002:a9fe:a9fe:: would pass as ordinary IPv6.
    """
    if isinstance(ip, ipaddress.IPv4Address):
        return ip
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip.sixtofour is not None:
        return ip.sixtofour
    compatible = ip in _IPV4_COMPATIBLE and not (ip.is_unspecified or ip.is_loopback)
    if compatible or ip in _NAT64:
        return ipaddress.IPv4Address(ip.packed[-4:])
    return ip


def _forbidden_reason(ip: _IP) -> str | None:
    if ip.is_loopback:  # ::1 sits inside the reserved ::/8, but it is only private
        return None
    if ip.is_link_local or ip in _METADATA:
        return "a link-local or metadata address"
    if ip.is_unspecified or ip in _THIS_NETWORK:
        return "an unspecified address"
    if ip.is_multicast:
        return "a multicast address"
    if ip.is_reserved:  # includes 240.0.0.0/4 and so 255.255.255.255
        return "a reserved or broadcast address"
    return None


def _is_private(ip: _IP) -> bool:
    # `is_private` misses carrier-grade NAT and the deprecated IPv6 site-local range.
    site_local = isinstance(ip, ipaddress.IPv6Address) and ip.is_site_local
    return ip.is_loopback or ip.is_private or ip in _CARRIER_NAT or site_local


def _parse_ip(address: str) -> _IP:
    return _embedded_ipv4(ipaddress.ip_address(address))


def classify_address(address: str) -> Classification:
    """Classify one IP address literal (IPv4 or IPv6, zone id allowed).

    Raises ValueError when `address` is not an IP address.
    """
    ip = _parse_ip(address)
    if _forbidden_reason(ip) is not None:
        return "forbidden"
    return "private" if _is_private(ip) else "public"


def parse_http_url(url: str, field: str = "url") -> urllib.parse.SplitResult:
    """Check the URL's form only (no resolution); return its parts or raise TargetRefused."""
    if len(url) > MAX_URL_LENGTH:
        raise TargetRefused(field, f"must be at most {MAX_URL_LENGTH} characters")
    # urlsplit silently drops some control characters that other URL parsers keep.
    if any(c.isspace() or not c.isprintable() for c in url):
        raise TargetRefused(field, "must not contain spaces or control characters")
    try:
        parts = urllib.parse.urlsplit(url)
        port = parts.port
    except ValueError:
        raise TargetRefused(field, "is not a valid URL") from None
    if parts.scheme not in ("http", "https"):
        raise TargetRefused(field, "must be an http or https URL")
    if "@" in parts.netloc:
        raise TargetRefused(field, "must not contain a user name or password")
    if not parts.hostname:
        raise TargetRefused(field, "must name a host")
    # Percent-escapes and backslashes in the host are read differently by different parsers.
    if any(c in parts.hostname for c in "%\\"):
        raise TargetRefused(field, "has an invalid host name")
    if port is not None and not 1 <= port <= 65535:
        raise TargetRefused(field, "must use a port between 1 and 65535")
    return parts


async def vet_url(url: str, *, allow_private: bool, field: str = "url") -> list[str]:
    """Check the URL's form and every address its host resolves to; return the addresses.

    Raise TargetRefused(field, message) when refused. A host that resolves to several
    addresses is refused if any one of them is. DNS answers can change, so a caller that
    connects later must connect through `vetted_transport`, which vets again at connect time.
    """
    parts = parse_http_url(url, field)
    return await vet_host(parts.hostname or "", allow_private=allow_private, field=field)


async def vet_host(host: str, *, allow_private: bool, field: str = "url") -> list[str]:
    """Resolve `host` and vet every address; return them or raise TargetRefused(field, …)."""
    loop = asyncio.get_running_loop()
    try:
        async with asyncio.timeout(RESOLVE_TIMEOUT):
            infos = await loop.getaddrinfo(host, 0, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError, TimeoutError):
        infos = []
    addresses = list(dict.fromkeys(str(info[4][0]) for info in infos))
    if not addresses:
        raise Unresolvable(field, f"host {host} does not resolve")
    for address in addresses:
        vet_address(address, allow_private=allow_private, field=field)
    return addresses


def vet_address(address: str, *, allow_private: bool, field: str = "url") -> None:
    """Vet one IP address literal; raise TargetRefused(field, …), or ValueError if `address`
    is not one."""
    ip = _parse_ip(address)
    written = ipaddress.ip_address(address)
    # As getaddrinfo writes it, so a message reads the same whichever way the host was given.
    mapped = isinstance(written, ipaddress.IPv6Address) and written.ipv4_mapped
    shown = f"::ffff:{mapped}" if mapped else str(written)
    reason = _forbidden_reason(ip)
    if reason is not None:
        raise TargetRefused(field, f"points at {reason} ({shown})")
    if not allow_private and _is_private(ip):
        raise TargetRefused(
            field,
            f"points at a private network address ({shown}); "
            "an admin can allow private targets in the team settings",
        )


# The addresses the current request's hosts were vetted to, so the resolver dials them
# without a second lookup (see `vet_for_request`).
_vetted_now: ContextVar[dict[str, list[str]] | None] = ContextVar("vetted_now", default=None)


async def vet_for_request(host: str, *, allow_private: bool, field: str = "url") -> None:
    """Vet `host` now, before a request to it, even when a kept-alive connection would
    carry the request: a name re-pointed at a forbidden address is refused at once.

    A host written as an address is read here (aiohttp never passes one to a resolver);
    other numeric spellings (2852039166, 0xa9fea9fe) are read by getaddrinfo as a client
    would, without a DNS query. A name's vetted addresses are what `VettingResolver`
    dials, should the request open a connection.
    """
    if ":" not in host and not host.replace(".", "").isdigit():
        addresses = await vet_host(host, allow_private=allow_private, field=field)
        _vetted_now.set({**(_vetted_now.get() or {}), host: addresses})
        return
    try:
        vet_address(host, allow_private=allow_private, field=field)
    except ValueError:
        await vet_host(host, allow_private=allow_private, field=field)


class VettingResolver(AbstractResolver):
    """aiohttp's resolver for user-supplied targets: a name is resolved and vetted when a
    connection is opened (or was, by `vet_for_request`, just before), and only the vetted
    addresses are returned to be dialled.

    Give the connector `use_dns_cache=False`, or a cached answer would skip the vetting.
    A refused name raises TargetRefused (field "url") out of the session's request call.
    """

    def __init__(self, *, allow_private: bool) -> None:
        self._allow_private = allow_private

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_UNSPEC
    ) -> list[ResolveResult]:
        addresses = (_vetted_now.get() or {}).get(host)
        if addresses is None:
            addresses = await vet_host(host, allow_private=self._allow_private)
        return [
            ResolveResult(
                hostname=host,
                host=address,
                port=port,
                family=socket.AF_INET6 if ":" in address else socket.AF_INET,
                proto=0,
                flags=socket.AI_NUMERICHOST | socket.AI_NUMERICSERV,
            )
            for address in addresses
        ]

    async def close(self) -> None:
        return None


class _VettingBackend(httpcore.AsyncNetworkBackend):
    """Resolves, vets and connects in one step, so the address vetted is the one connected to.

    httpcore hands over the host name of the URL (TLS still verifies the certificate against
    it); the name is resolved here once and only vetted addresses are dialled.
    """

    def __init__(self, *, allow_private: bool) -> None:
        self._allow_private = allow_private
        self._inner = httpcore.AnyIOBackend()

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,  # noqa: ASYNC109  (httpcore's interface)
        local_address: str | None = None,
        socket_options: Any = None,
    ) -> httpcore.AsyncNetworkStream:
        addresses = await vet_host(host, allow_private=self._allow_private)
        failure: httpcore.ConnectError | None = None
        for address in addresses:
            try:
                return await self._inner.connect_tcp(
                    address, port, timeout, local_address, socket_options
                )
            except httpcore.ConnectError as error:
                failure = error
        raise failure or httpcore.ConnectError(f"no address of {host} accepted the connection")

    async def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,  # noqa: ASYNC109  (httpcore's interface)
        socket_options: Any = None,
    ) -> httpcore.AsyncNetworkStream:
        raise TargetRefused("url", "must not be a local socket")

    async def sleep(self, seconds: float) -> None:
        await self._inner.sleep(seconds)


def vetted_transport(
    *,
    allow_private: bool,
    verify: ssl.SSLContext | bool = True,
    limits: httpx.Limits | None = None,
) -> httpx.AsyncHTTPTransport:
    """An httpx transport that vets each host at connect time and dials only vetted addresses.

    A refused host raises TargetRefused (field "url") out of the client's request call. Give
    the client `trust_env=False`, so no proxy from the environment resolves names instead.
    """
    limits = limits or httpx.Limits()
    context = httpx.create_ssl_context(verify=verify, trust_env=False)
    transport = httpx.AsyncHTTPTransport(verify=context, limits=limits, trust_env=False)
    # httpx offers no parameter for the network backend, so its pool is replaced with ours.
    transport._pool = httpcore.AsyncConnectionPool(  # noqa: SLF001
        ssl_context=context,
        max_connections=limits.max_connections,
        max_keepalive_connections=limits.max_keepalive_connections,
        keepalive_expiry=limits.keepalive_expiry,
        network_backend=_VettingBackend(allow_private=allow_private),
    )
    return transport
