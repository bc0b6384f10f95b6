"""Who may read a page that is not public: those who typed its password, or those whose
address is in its allowed ranges.

A correct password is remembered in a signed cookie scoped to the page, so readers type
it once; the cookie names the password's version, so changing the password locks out
everyone who knew the old one. Every view of such a page (HTML, summary, feeds, events,
subscribing) goes through `admit`.
"""

from __future__ import annotations

import hashlib
import ipaddress
from datetime import timedelta

import jwt
from litestar import Request

from watchdeck.domain.statuspages.cache import Meta
from watchdeck.domain.statuspages.models import Access
from watchdeck.platform import ratelimit
from watchdeck.platform.clock import utcnow
from watchdeck.platform.errors import Forbidden, Invalid, Unauthorized

REMEMBER = timedelta(days=30)
_AUDIENCE = "watchdeck:status-page"


class Locked(Unauthorized):
    """The page needs its password."""


class AddressRefused(Forbidden):
    """The reader's address is not among the page's allowed ones."""


def cookie_name(meta: Meta) -> str:
    return f"wd_status_{meta.slug}"


def password_version(password_hash: str | None) -> str | None:
    if password_hash is None:
        return None
    return hashlib.blake2b(password_hash.encode(), digest_size=9).hexdigest()


def unlock_token(meta: Meta, secret: str) -> str:
    claims = {
        "aud": _AUDIENCE,
        "page": str(meta.page_id),
        "pv": meta.password_version,
        "exp": utcnow() + REMEMBER,
    }
    return jwt.encode(claims, secret, algorithm="HS256")


def _unlocked(meta: Meta, token: str | None, secret: str) -> bool:
    if not token or meta.password_version is None:
        return False
    try:
        claims = jwt.decode(token, secret, algorithms=["HS256"], audience=_AUDIENCE)
    except jwt.PyJWTError:
        return False
    return claims.get("page") == str(meta.page_id) and claims.get("pv") == meta.password_version


def allows(allowed: list[str], address: str) -> bool:
    try:
        reader = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(reader in ipaddress.ip_network(block, strict=False) for block in allowed)


def admit(request: Request, meta: Meta, secret: str) -> None:
    """Return when the request may read the page; raise Locked or AddressRefused."""
    if meta.access == Access.public:
        return
    if meta.access == Access.ip:
        if not allows(meta.allowed_ips, ratelimit.client_ip(request)):
            raise AddressRefused("this status page is not open to your address")
        return
    if not _unlocked(meta, request.cookies.get(cookie_name(meta)), secret):
        raise Locked("this status page needs its password")


def check_networks(allowed: list[str]) -> list[str]:
    """Each entry as a network in canonical form, or Invalid naming the entry."""
    networks = []
    for index, block in enumerate(allowed):
        try:
            networks.append(str(ipaddress.ip_network(block.strip(), strict=False)))
        except ValueError:
            raise Invalid(
                f"allowed_ips[{index}]", "enter an address or a range like 10.0.0.0/8"
            ) from None
    return list(dict.fromkeys(networks))
