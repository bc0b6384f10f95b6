"""Creating, reading, changing and deleting a team's status pages."""

from __future__ import annotations

import uuid
from urllib.parse import urlsplit

import msgspec
from redis.asyncio import Redis
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from watchdeck.domain.statuspages import cache
from watchdeck.domain.statuspages.models import StatusComponent, StatusPage
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


def public_path(slug: str) -> str:
    return f"/status/{slug}"


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


def _components(components: list[ComponentIn]) -> list[StatusComponent]:
    return [
        StatusComponent(
            position=position,
            group_name=c.group,
            name=c.name,
            description=c.description,
            service_ids=list(dict.fromkeys(c.service_ids)),
            host_ids=list(dict.fromkeys(c.host_ids)),
            show_latency=c.show_latency,
        )
        for position, c in enumerate(components)
    ]


async def create(session: AsyncSession, team_id: uuid.UUID, data: StatusPageIn) -> StatusPageOut:
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
    )
    session.add(page)
    await session.commit()
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
        page.components = _components(changes.components)
    for name in ("title", "description", "theme", "indexed"):
        value = getattr(changes, name)
        if value is not msgspec.UNSET:
            setattr(page, name, value)
    await session.commit()
    await session.refresh(page, ["components"])
    await cache.forget(redis, {old_slug, page.slug})
    return page_out(page)


async def delete(
    session: AsyncSession, redis: Redis, team_id: uuid.UUID, page_id: uuid.UUID
) -> None:
    page = await _get(session, team_id, page_id)
    await session.delete(page)
    await session.commit()
    await cache.forget(redis, {page.slug})
