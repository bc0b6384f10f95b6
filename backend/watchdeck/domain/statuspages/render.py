"""The status page as HTML: server-rendered, one small inline style sheet, no inline script."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from watchdeck.domain.statuspages.models import Impact
from watchdeck.domain.statuspages.schemas import (
    ComponentStatus,
    PublicComponent,
    PublicDay,
    PublicNotice,
    Summary,
)

STATUS_LABELS: dict[ComponentStatus | None, str] = {
    "operational": "Operational",
    "degraded_performance": "Degraded performance",
    "partial_outage": "Partial outage",
    "major_outage": "Major outage",
    "under_maintenance": "Under maintenance",
    None: "No data yet",
}

IMPACT_LABELS: dict[str, str] = {
    Impact.none: "No impact",
    Impact.degraded_performance: "Degraded performance",
    Impact.partial_outage: "Partial outage",
    Impact.major_outage: "Major outage",
}

TEMPLATES = Path(__file__).parent / "templates"

_environment = Environment(
    loader=PackageLoader("watchdeck.domain.statuspages", "templates"),
    autoescape=select_autoescape(default=True, default_for_string=True),
    trim_blocks=True,
    lstrip_blocks=True,
)


def _percent(share: float | None) -> str:
    if share is None:
        return "no data"
    # Floors, so 99.996 % is never shown as a perfect 100 %; the nudge keeps a share such
    # as 0.9995 (9994.99… in floating point) at its own 99.95 %.
    return f"{int(share * 10_000 + 1e-6) / 100:.2f}%"


def _day_class(share: float | None) -> str:
    if share is None:
        return "n"
    if share >= 0.999:
        return "a"
    if share >= 0.99:
        return "b"
    if share >= 0.95:
        return "c"
    return "d"


@functools.lru_cache(maxsize=1024)
def _day_text(day: date) -> str:
    return f"{day.day} {day:%b %Y}"


def _bar(days: list[PublicDay]) -> Markup:
    """The bar's stretches: days in a row that show the same figure are one element with
    one tooltip naming their dates, so a page of 100 components does not carry 9,000
    elements. Written here rather than in the template, for speed; every text in it is
    a date or a figure, which need no escaping."""
    parts: list[str] = []
    first = last = None
    shown, share, count = "", None, 0

    def stretch() -> None:
        when = _day_text(first) if count == 1 else f"{_day_text(first)} – {_day_text(last)}"
        grow = f' style="flex-grow:{count}"' if count > 1 else ""
        parts.append(f'<i class="{_day_class(share)}"{grow} title="{when}: {shown}"></i>')

    for day in days:
        text = _percent(day.uptime)
        if count and text == shown:
            last, count = day.date, count + 1
            continue
        if count:
            stretch()
        first = last = day.date
        shown, share, count = text, day.uptime, 1
    if count:
        stretch()
    return Markup("".join(parts))


def _spark(days: list[PublicDay]) -> str:
    """Points of an SVG polyline of the daily mean latency, 0..90 wide and 0..40 high."""
    timed = [(index, d.latency_ms) for index, d in enumerate(days) if d.latency_ms is not None]
    if len(timed) < 2:
        return ""
    top = max(value for _, value in timed) or 1.0
    return " ".join(f"{index},{40 - 38 * value / top:.1f}" for index, value in timed)


def _when(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%d %b %Y, %H:%M UTC")


def _groups(components: list[PublicComponent]) -> list[tuple[str | None, list[PublicComponent]]]:
    """Components in page order, consecutive ones of a group (or of none) together."""
    groups: list[tuple[str | None, list[PublicComponent]]] = []
    for component in components:
        if groups and groups[-1][0] == component.group:
            groups[-1][1].append(component)
        else:
            groups.append((component.group, [component]))
    return groups


_environment.filters["percent"] = _percent
_environment.filters["bar"] = _bar
_environment.filters["spark"] = _spark
_environment.filters["when"] = _when
_environment.globals["labels"] = STATUS_LABELS
_environment.globals["impacts"] = IMPACT_LABELS


@dataclass(frozen=True)
class Frame:
    """What every view of a page shows around its content: title, logo, theme, links."""

    title: str
    description: str | None
    theme: str
    indexed: bool
    footer_links: list[dict]
    logo: str | None  # a root-relative address, or none
    link: Callable[[str], str]  # a root-relative link to one of the page's views


def _render(template: str, frame: Frame | None, **values: object) -> str:
    return _environment.get_template(template).render(frame=frame, **values)


def page_html(summary: Summary, frame: Frame) -> str:
    return _render(
        "page.html.j2",
        frame,
        summary=summary,
        groups=_groups(summary.components),
        live=True,
    )


def history_html(
    frame: Frame, notices: list[PublicNotice], since: date, until: date, older: str | None
) -> str:
    return _render("history.html.j2", frame, notices=notices, since=since, until=until, older=older)


def notice_html(frame: Frame, notice: PublicNotice) -> str:
    return _render("incident.html.j2", frame, notice=notice)


def locked_html(frame: Frame, wrong: bool) -> str:
    return _render("locked.html.j2", frame, wrong=wrong)


def refused_html() -> str:
    return _render("refused.html.j2", None)


def missing_html() -> str:
    return _render("missing.html.j2", None)
