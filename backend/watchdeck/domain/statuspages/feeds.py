"""Atom and RSS feeds of a page's published incidents and public maintenance."""

from __future__ import annotations

from datetime import datetime

from feedgen.feed import FeedGenerator

from watchdeck.domain.statuspages.render import IMPACT_LABELS
from watchdeck.domain.statuspages.schemas import PublicMaintenance, PublicNotice

ENTRIES = 50


def _notice_text(notice: PublicNotice) -> str:
    lines = [IMPACT_LABELS[notice.impact]]
    if notice.components:
        lines.append("Affects " + ", ".join(notice.components))
    for update in notice.incident_updates:
        lines.append(f"{update.created_at:%d %b %Y %H:%M} UTC — {update.status}: {update.body}")
    return "\n".join(lines)


def _maintenance_text(window: PublicMaintenance) -> str:
    lines = [f"{window.scheduled_for:%d %b %Y %H:%M} – {window.scheduled_until:%d %b %Y %H:%M} UTC"]
    if window.components:
        lines.append("Affects " + ", ".join(window.components))
    if window.description:
        lines.append(window.description)
    return "\n".join(lines)


def feeds(
    title: str,
    page_url: str,
    notices: list[PublicNotice],
    planned: list[PublicMaintenance],
    now: datetime,
) -> dict[str, bytes]:
    """Both feeds, built from the same entries: {"atom": …, "rss": …}."""
    feed = FeedGenerator()
    feed.id(page_url)
    feed.title(f"{title} status")
    feed.link(href=page_url, rel="alternate")
    feed.link(href=f"{page_url}/feed.atom", rel="self")
    feed.description(f"Incidents and maintenance of {title}")
    feed.language("en")
    feed.updated(max([n.updated_at for n in notices], default=now))
    feed.generator("Watchdeck")
    # feedgen puts the entry added last at the top; newest first means adding oldest first.
    for window in reversed(planned):
        entry = feed.add_entry()
        moment = window.scheduled_for.isoformat()
        entry.id(f"{page_url}#maintenance-{moment}")
        entry.title(f"Maintenance: {window.name}")
        entry.link(href=page_url)
        entry.description(_maintenance_text(window))
        entry.published(now)
        entry.updated(now)
    for notice in reversed(notices[:ENTRIES]):
        entry = feed.add_entry()
        entry.id(notice.shortlink)
        entry.title(f"{notice.name} ({notice.status})")
        entry.link(href=notice.shortlink)
        entry.description(_notice_text(notice))
        entry.published(notice.created_at)
        entry.updated(notice.updated_at)
    return {"atom": feed.atom_str(pretty=True), "rss": feed.rss_str(pretty=True)}
