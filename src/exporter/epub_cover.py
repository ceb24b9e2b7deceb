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
    bars_top = max(cert_top + 70 * len(cert_lines) + 170, 1150)
    heaviest = max(d.weight for d in guide.domains)
    bars, y = [], 0  # laid out from the top of the bar chart
    for domain in guide.domains:
        lines = textwrap.wrap(f"{domain.number}. {domain.title.plain}", 44) or [""]
        lines = lines if len(lines) <= 2 else [lines[0], _shorten(" ".join(lines[1:]), 44)]
        bars.append({"y": y, "lines": lines, "weight": domain.weight, "bar_y": y + 22 + 56 * len(lines),
                     "width": round(_BAR_WIDTH * domain.weight / heaviest)})
        y += 56 * len(lines) + 90
    # Many domains would run off the page: shrink the chart to fit above the imprint.
    scale = min(1.0, (HEIGHT - 260 - bars_top) / y)
    svg = env.get_template("cover.svg.j2").render(
        guide=guide, width=WIDTH, height=HEIGHT, margin=_MARGIN, title_lines=title_lines,
        title_top=820, cert_lines=cert_lines, cert_top=cert_top, bars=bars, bars_top=bars_top, bar_width=_BAR_WIDTH,
        scale=f"{scale:.4f}",
        alt=cover_alt_text(guide), date_label=date_label,
    )
    return svg.encode("utf-8")


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"

