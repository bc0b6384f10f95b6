"""The status page as HTML: server-rendered, no script, one small inline style sheet."""

from __future__ import annotations

from datetime import date

from jinja2 import Environment, PackageLoader, select_autoescape

from watchdeck.domain.statuspages.schemas import ComponentStatus, PublicComponent, Summary

STATUS_LABELS: dict[ComponentStatus | None, str] = {
    "operational": "Operational",
    "degraded_performance": "Degraded performance",
    "partial_outage": "Partial outage",
    "major_outage": "Major outage",
    "under_maintenance": "Under maintenance",
    None: "No data yet",
}

_environment = Environment(
    loader=PackageLoader("watchdeck.domain.statuspages", "templates"),
    autoescape=select_autoescape(default=True, default_for_string=True),
    trim_blocks=True,
    lstrip_blocks=True,
)


def _percent(share: float | None) -> str:
    if share is None:
        return "no data"
    # Floors, so 99.996 % is never shown as a perfect 100 %.
    return f"{int(share * 10_000) / 100:.2f}%"


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


def _day_text(day: date) -> str:
    return f"{day.day} {day:%b %Y}"


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
_environment.filters["day_class"] = _day_class
_environment.filters["day_text"] = _day_text
_template = _environment.get_template("page.html.j2")
_missing = _environment.get_template("missing.html.j2")


def page_html(summary: Summary, theme: str, indexed: bool, footer_links: list[dict]) -> str:
    return _template.render(
        summary=summary,
        groups=_groups(summary.components),
        labels=STATUS_LABELS,
        theme=theme,
        indexed=indexed,
        footer_links=footer_links,
    )


def missing_html() -> str:
    return _missing.render()
