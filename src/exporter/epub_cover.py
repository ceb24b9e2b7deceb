"""The book's cover: an SVG drawn from the guide's data.

A vector cover needs no image library and no fonts at build time, is tiny,
and stays byte-identical between builds. It shows the exam code, the title,
the certification and a bar per domain sized by the domain's exam weight.
"""

from __future__ import annotations

import textwrap

from .model import Guide

WIDTH, HEIGHT = 1600, 2560  # the 1:1.6 ratio stores and readers expect
_MARGIN = 130
_BAR_WIDTH = WIDTH - 2 * _MARGIN


def cover_alt_text(guide: Guide) -> str:
    """What the cover shows, in words: the alt text of the cover image."""
    domains = "; ".join(f"{d.title} {d.weight}%" for d in guide.domains)
    return (
        f"Cover of {guide.title.plain}: {guide.certification.plain}, exam {guide.exam_code.plain}, "
        f"by {guide.publisher.plain}, version {guide.version}. Exam domains by weight: {domains}."
    )


def cover_svg(env, guide: Guide, date_label: str) -> bytes:
    """Render `templates/epub/cover.svg.j2` with the layout computed here."""
    title_lines = textwrap.wrap(guide.title.plain, 22) or [guide.title.plain]
    cert_lines = textwrap.wrap(guide.certification.plain, 40)[:3]
    top = 820 + 120 * len(title_lines)
    cert_top = top + 40
    bars_top = max(cert_top + 70 * len(cert_lines) + 170, 1420)
    row = min(150, (HEIGHT - 330 - bars_top) // max(len(guide.domains), 1))
    heaviest = max(d.weight for d in guide.domains)
    bars = [
        {
            "y": bars_top + k * row,
            "label": _shorten(f"{d.number}. {d.title.plain}", 48),
            "weight": d.weight,
            "width": round(_BAR_WIDTH * d.weight / heaviest),
        }
        for k, d in enumerate(guide.domains)
    ]
    svg = env.get_template("cover.svg.j2").render(
        guide=guide, width=WIDTH, height=HEIGHT, margin=_MARGIN, title_lines=title_lines,
        title_top=820, cert_lines=cert_lines, cert_top=cert_top, bars=bars, bars_top=bars_top,
        row=row, alt=cover_alt_text(guide), date_label=date_label,
    )
    return svg.encode("utf-8")


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"

