"""Badges drawn as SVG: a grey label on the left, a coloured message on the right.

No font is embedded, so the width of each side is worked out from the text: advance widths
of DejaVu Sans at 11 px (measured from the font's own metrics; Verdana's are within a few
per cent), one em for any other character. Each text also carries `textLength`, so a viewer
with another font still sees it fill its side exactly instead of overflowing it.
"""

from __future__ import annotations

import re
from enum import StrEnum
from xml.sax.saxutils import escape

HEIGHT = 20
_PADDING = 6  # each side of a text
_EM = 11.0
_FONT = "DejaVu Sans,Verdana,Geneva,sans-serif"
_LABEL_FILL = "#555"

# Tenths of a pixel, printable ASCII in order.
_WIDTHS: dict[str, float] = {}
for _chars, _tenths in (
    (" !\"#$%&'()*+,-./", "35 44 51 92 70 105 86 30 43 43 55 92 35 40 35 37"),
    ("0123456789:;<=>?", "70 70 70 70 70 70 70 70 70 70 37 37 92 92 92 58"),
    ("@ABCDEFGHIJKLMNO", "110 75 75 77 85 70 63 85 83 32 32 72 61 95 82 87"),
    ("PQRSTUVWXYZ[\\]^_", "66 87 76 70 67 81 75 109 75 67 75 43 37 43 92 55"),
    ("`abcdefghijklmno", "55 67 70 60 70 68 39 70 70 31 31 64 31 107 70 67"),
    ("pqrstuvwxyz{|}~", "70 70 45 57 43 70 65 90 65 65 58 70 37 70 92"),
):
    _WIDTHS.update(zip(_chars, (int(t) / 10 for t in _tenths.split()), strict=True))

# Characters XML 1.0 cannot hold even escaped; a label carrying one would break the image.
_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


class BadgeStyle(StrEnum):
    flat = "flat"  # rounded corners, a light gloss, a text shadow
    flat_square = "flat-square"  # square corners, plain fills


def text_width(text: str) -> float:
    """How wide `text` is drawn at 11 px, in pixels."""
    return sum(_WIDTHS.get(char, _EM) for char in text)


def clean(text: str) -> str:
    """`text` without the characters an SVG document may not contain."""
    return _NOT_XML.sub("", text)


def _attr(text: str) -> str:
    return escape(text, {'"': "&quot;"})


def _texts(text: str, centre: float, width: float, shadow: bool) -> str:
    body = escape(text)
    common = f'x="{centre:.1f}" textLength="{width:.1f}"'
    drawn = f'<text {common} y="14">{body}</text>'
    if not shadow:
        return drawn
    shade = f'<text aria-hidden="true" {common} y="15" fill="#010101" fill-opacity=".3">'
    return f"{shade}{body}</text>{drawn}"


def badge(label: str, message: str, colour: str, style: BadgeStyle = BadgeStyle.flat) -> bytes:
    """The badge as a complete SVG document; `label` and `message` are plain text (escaped
    here), `colour` a CSS colour the caller chose."""
    label, message = clean(label), clean(message)
    label_text, message_text = text_width(label), text_width(message)
    left = round(label_text) + 2 * _PADDING
    right = round(message_text) + 2 * _PADDING
    width = left + right
    flat = style is BadgeStyle.flat
    summary = _attr(f"{label}: {message}")
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{HEIGHT}" '
        f'role="img" aria-label="{summary}">',
        f"<title>{escape(f'{label}: {message}')}</title>",
    ]
    shapes = (
        f'<rect width="{left}" height="{HEIGHT}" fill="{_LABEL_FILL}"/>'
        f'<rect x="{left}" width="{right}" height="{HEIGHT}" fill="{_attr(colour)}"/>'
    )
    if flat:
        parts += [
            '<linearGradient id="gloss" x2="0" y2="100%">'
            '<stop offset="0" stop-color="#bbb" stop-opacity=".1"/>'
            '<stop offset="1" stop-opacity=".1"/></linearGradient>',
            f'<clipPath id="round"><rect width="{width}" height="{HEIGHT}" rx="3"/></clipPath>',
            f'<g clip-path="url(#round)">{shapes}'
            f'<rect width="{width}" height="{HEIGHT}" fill="url(#gloss)"/></g>',
        ]
    else:
        parts.append(f'<g shape-rendering="crispEdges">{shapes}</g>')
    parts += [
        f'<g fill="#fff" text-anchor="middle" font-family="{_FONT}" font-size="11">',
        _texts(label, left / 2, label_text, flat),
        _texts(message, left + right / 2, message_text, flat),
        "</g></svg>",
    ]
    return "".join(parts).encode()
