"""Creating, reading, changing and deleting a team's status pages."""

from __future__ import annotations

import hashlib
import ipaddress
import re
import uuid
from collections.abc import Sequence
from urllib.parse import urlsplit

import msgspec
from redis.asyncio import Redis
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from watchdeck.domain.accounts.passwords import hash_password
from watchdeck.domain.statuspages import access, cache, live
from watchdeck.domain.statuspages.models import Access, StatusComponent, StatusPage
from watchdeck.domain.statuspages.schemas import (
    ComponentIn,
    ComponentOut,
    FooterLink,
    StatusPageIn,
    StatusPageOut,
    StatusPagePatch,
)
from watchdeck.platform import subjects
from watchdeck.platform.errors import Conflict, Invalid, NotFound
from watchdeck.platform.vocabulary import TargetKind

# Paths under /status/<slug>/ the public routes use: a page may not take their names.
RESERVED_SLUGS = frozenset({"api", "assets", "static", "badge", "badges"})
_HOST_NAME = re.compile(r"^(?=.{3,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")
LOGO_MAX_BYTES = 256 * 1024
# The image kinds a logo may be, told by their first bytes rather than by what the
# uploader claims; SVG is left out because it can carry script.
_LOGO_SIGNATURES = {
    "image/png": (b"\x89PNG\r\n\x1a\n",),
    "image/jpeg": (b"\xff\xd8\xff",),
    "image/webp": (b"RIFF",),
}


def public_path(slug: str) -> str:
    return f"/status/{slug}"


def logo_path(page: StatusPage, base: str | None = None) -> str | None:
    """Where the page's logo is served; the digest in it changes with the image, so the
    image can be cached for long."""
    if not page.logo:
        return None
    version = hashlib.blake2b(page.logo, digest_size=6).hexdigest()
    return f"{public_path(page.slug) if base is None else base}/logo?v={version}"


def page_out(page: StatusPage) -> StatusPageOut:
    return StatusPageOut(
        id=page.id,
        slug=page.slug,
        title=page.title,
        description=page.description,
        theme=page.theme,
        indexed=page.indexed,
        footer_links=[msgspec.convert(link, FooterLink) for link in page.footer_links],
        components=[
            ComponentOut(
                id=c.id,
                name=c.name,
                group=c.group_name,
                description=c.description,
                service_ids=list(c.service_ids),
                host_ids=list(c.host_ids),
                show_latency=c.show_latency,
            )
            for c in page.components
        ],
        access=page.access,
        has_password=page.password_hash is not None,
        allowed_ips=list(page.allowed_ips),
        custom_domain=page.custom_domain,
        logo_path=logo_path(page),
        path=public_path(page.slug),
        created_at=page.created_at,
        updated_at=page.updated_at,
    )


def _check_links(links: list[FooterLink]) -> None:
    for index, link in enumerate(links):
        parts = urlsplit(link.url)
        if parts.scheme not in {"http", "https"} or not parts.hostname:
            raise Invalid(f"footer_links[{index}].url", "enter a full http:// or https:// URL")


async def _check_members(
    session: AsyncSession, team_id: uuid.UUID, components: list[ComponentIn]
) -> None:
    wanted = {
        TargetKind.service: {i for c in components for i in c.service_ids},
        TargetKind.host: {i for c in components for i in c.host_ids},
    }
    found = {
        kind: await subjects.existing(session, kind, team_id, ids) for kind, ids in wanted.items()
    }
    for index, component in enumerate(components):
        if not component.service_ids and not component.host_ids:
            raise Invalid(f"components[{index}]", "name at least one service or host")
        for kind, field, ids in (
            (TargetKind.service, "service_ids", component.service_ids),
            (TargetKind.host, "host_ids", component.host_ids),
        ):
            missing = [str(i) for i in ids if i not in found[kind]]
            if missing:
                raise Invalid(
                    f"components[{index}].{field}", f"no such {kind} in this team: {missing[0]}"
                )


async def _check_slug(session: AsyncSession, slug: str, page_id: uuid.UUID | None) -> None:
    if slug in RESERVED_SLUGS:
        raise Invalid("slug", f"'{slug}' is reserved")
    taken = await session.scalar(select(StatusPage.id).where(StatusPage.slug == slug))
    if taken is not None and taken != page_id:
        # Slugs are shared by every team on the instance, so this says no more than "taken".
        raise Conflict("slug: already taken", {"slug": "already taken"})


def _components(
    components: list[ComponentIn], existing: Sequence[StatusComponent] = ()
) -> list[StatusComponent]:
    """The rows for `components` in order: one naming an id the page has is that row,
    changed; any other id is ignored and a new row made."""
    kept = {c.id: c for c in existing}
    rows = []
    for position, c in enumerate(components):
        row = kept.pop(c.id, None) if c.id is not None else None
        row = row or StatusComponent()
        row.position = position
        row.group_name = c.group
        row.name = c.name
        row.description = c.description
        row.service_ids = list(dict.fromkeys(c.service_ids))
        row.host_ids = list(dict.fromkeys(c.host_ids))
        row.show_latency = c.show_latency
        rows.append(row)
    return rows


async def _check_domain(
    session: AsyncSession, domain: str | None, page_id: uuid.UUID | None
) -> str | None:
    if domain is None:
        return None
    name = domain.strip().lower().rstrip(".")
    try:
        ipaddress.ip_address(name)
        is_address = True
    except ValueError:
        is_address = False
    if is_address or not _HOST_NAME.match(name):
        raise Invalid("custom_domain", "enter a host name such as status.example.com")
    taken = await session.scalar(select(StatusPage.id).where(StatusPage.custom_domain == name))
    if taken is not None and taken != page_id:
        raise Conflict("custom_domain: already taken", {"custom_domain": "already taken"})
    return name


async def _apply_access(
    page: StatusPage,
    mode: Access,
    password: str | None,
    allowed: list[str],
) -> None:
    """Set who may read the page, refusing a mode left without its password or addresses."""
    page.access = mode
    page.allowed_ips = access.check_networks(allowed)
    if password is not None:
        page.password_hash = await hash_password(password)
    if mode is Access.password and page.password_hash is None:
        raise Invalid("password", "a password page needs a password")
    if mode is Access.ip and not page.allowed_ips:
        raise Invalid("allowed_ips", "name at least one address or range")


async def create(
    session: AsyncSession, redis: Redis, team_id: uuid.UUID, data: StatusPageIn
) -> StatusPageOut:
    await _check_slug(session, data.slug, None)
    _check_links(data.footer_links)
    await _check_members(session, team_id, data.components)
    page = StatusPage(
        team_id=team_id,
        slug=data.slug,
        title=data.title,
        description=data.description,
        theme=data.theme,
        indexed=data.indexed,
        footer_links=[msgspec.to_builtins(link) for link in data.footer_links],
        components=_components(data.components),
        custom_domain=await _check_domain(session, data.custom_domain, None),
    )
    await _apply_access(page, data.access, data.password, data.allowed_ips)
    session.add(page)
    await session.commit()
    # A page deleted a moment ago may have had this slug: its copies must not be served.
    await cache.forget(redis, {page.slug})
    return page_out(page)


async def _get(session: AsyncSession, team_id: uuid.UUID, page_id: uuid.UUID) -> StatusPage:
    page = await session.scalar(
        select(StatusPage).where(StatusPage.team_id == team_id, StatusPage.id == page_id)
    )
    if page is None:
        raise NotFound("no such status page")
    return page


async def get(session: AsyncSession, team_id: uuid.UUID, page_id: uuid.UUID) -> StatusPageOut:
    return page_out(await _get(session, team_id, page_id))


async def list_pages(session: AsyncSession, team_id: uuid.UUID) -> list[StatusPageOut]:
    pages = await session.scalars(
        select(StatusPage).where(StatusPage.team_id == team_id).order_by(StatusPage.title)
    )
    return [page_out(page) for page in pages]


async def update(
    session: AsyncSession,
    redis: Redis,
    team_id: uuid.UUID,
    page_id: uuid.UUID,
    changes: StatusPagePatch,
) -> StatusPageOut:
    page = await _get(session, team_id, page_id)
    old_slug = page.slug
    if changes.slug is not msgspec.UNSET:
        await _check_slug(session, changes.slug, page.id)
        page.slug = changes.slug
    if changes.footer_links is not msgspec.UNSET:
        _check_links(changes.footer_links)
        page.footer_links = [msgspec.to_builtins(link) for link in changes.footer_links]
    if changes.components is not msgspec.UNSET:
        await _check_members(session, team_id, changes.components)
        page.components = _components(changes.components, list(page.components))
    for name in ("title", "description", "theme", "indexed"):
        value = getattr(changes, name)
        if value is not msgspec.UNSET:
            setattr(page, name, value)
    if changes.custom_domain is not msgspec.UNSET:
        page.custom_domain = await _check_domain(session, changes.custom_domain, page.id)
    if not all(v is msgspec.UNSET for v in (changes.access, changes.password, changes.allowed_ips)):
        await _apply_access(
            page,
            page.access if changes.access is msgspec.UNSET else changes.access,
            None if changes.password is msgspec.UNSET else changes.password,
            list(page.allowed_ips) if changes.allowed_ips is msgspec.UNSET else changes.allowed_ips,
        )
    await session.commit()
    await session.refresh(page, ["components"])
    await _changed(redis, {old_slug, page.slug})
    return page_out(page)


async def _changed(redis: Redis, slugs: set[str]) -> None:
    await cache.forget(redis, slugs)
    await live.changed(redis, slugs)


async def set_logo(
    session: AsyncSession,
    redis: Redis,
    team_id: uuid.UUID,
    page_id: uuid.UUID,
    image: bytes,
    media_type: str,
) -> StatusPageOut:
    page = await _get(session, team_id, page_id)
    kind = media_type.split(";")[0].strip().lower()
    if kind not in _LOGO_SIGNATURES:
        raise Invalid("logo", "send a PNG, JPEG or WebP image with its Content-Type")
    if not image:
        raise Invalid("logo", "the image is empty")
    if len(image) > LOGO_MAX_BYTES:
        raise Invalid("logo", f"the image is larger than {LOGO_MAX_BYTES // 1024} kB")
    if not image.startswith(_LOGO_SIGNATURES[kind]) or (
        kind == "image/webp" and image[8:12] != b"WEBP"
    ):
        raise Invalid("logo", f"the image is not a {kind.removeprefix('image/').upper()} file")
    page.logo = image
    page.logo_type = kind
    await session.commit()
    await session.refresh(page, ["components"])
    await _changed(redis, {page.slug})
    return page_out(page)


async def remove_logo(
    session: AsyncSession, redis: Redis, team_id: uuid.UUID, page_id: uuid.UUID
) -> StatusPageOut:
    page = await _get(session, team_id, page_id)
    page.logo = None
    page.logo_type = None
    await session.commit()
    await session.refresh(page, ["components"])
    await _changed(redis, {page.slug})
    return page_out(page)


async def delete(
    session: AsyncSession, redis: Redis, team_id: uuid.UUID, page_id: uuid.UUID
) -> None:
    page = await _get(session, team_id, page_id)
    await session.delete(page)
    await session.commit()
    await _changed(redis, {page.slug})
