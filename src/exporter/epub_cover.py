"""The book's cover: a PNG drawn from the guide's data.

A raster cover is what every reader shows in its library (Calibre's Kindle
conversion finds no cover in an SVG one). It is drawn with Pillow's bundled
font, so the build needs no system fonts and the bytes are the same every
time. It shows the exam code, the title, the certification and a bar per
domain sized by the domain's exam weight.
"""

from __future__ import annotations

import io

from PIL import Image, ImageDraw, ImageFont

from .model import Guide

WIDTH, HEIGHT = 1600, 2560  # the 1:1.6 ratio stores and readers expect
MARGIN = 130
INNER = WIDTH - 2 * MARGIN
NAVY, GOLD, PALE, TEAL, WHITE = (18, 48, 79), (242, 182, 50), (201, 220, 239), (79, 184, 168), (255, 255, 255)
IMPRINT_TOP = HEIGHT - 230


def cover_alt_text(guide: Guide) -> str:
    """What the cover shows, in words: the alt text of the cover image."""
    domains = "; ".join(f"{d.title.plain} {d.weight}%" for d in guide.domains)
    return (
        f"Cover of {guide.title.plain}: {guide.certification.plain}, exam {guide.exam_code.plain}, "
        f"by {guide.publisher.plain}, version {guide.version}. Exam domains by weight: {domains}."
    )


def cover_png(guide: Guide, date_label: str) -> bytes:
    image = Image.new("RGB", (WIDTH, HEIGHT), NAVY)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, WIDTH, 36), fill=GOLD)

    draw.text((MARGIN, 230), guide.vendor.plain.upper(), font=_font(64), fill=PALE)
    code_font = _fitting_font(guide.exam_code.plain, 230, INNER)
    draw.text((MARGIN, 330), guide.exam_code.plain, font=code_font, fill=WHITE, stroke_width=3, stroke_fill=WHITE)
    draw.rectangle((MARGIN, 600, MARGIN + 260, 616), fill=GOLD)

    y = 680
    for line in _wrap(guide.title.plain, _font(100), INNER)[:4]:
        draw.text((MARGIN, y), line, font=_font(100), fill=WHITE, stroke_width=2, stroke_fill=WHITE)
        y += 120
    y += 40
    for line in _wrap(guide.certification.plain, _font(54), INNER)[:3]:
        draw.text((MARGIN, y), line, font=_font(54), fill=PALE)
        y += 70
    y += 90
    draw.text((MARGIN, y), "EXAM DOMAINS BY WEIGHT", font=_font(50), fill=GOLD)
    _draw_weights(draw, guide, y + 90)

    draw.text((MARGIN, IMPRINT_TOP), guide.publisher.plain, font=_font(54), fill=WHITE)
    draw.text((MARGIN, IMPRINT_TOP + 80), f"Version {guide.version} · {date_label}", font=_font(44), fill=PALE)

    out = io.BytesIO()
    # Flat colours and anti-aliased text need few colours: a palette image is a quarter of the size.
    # The fast octree and zlib's usual level take 0.06 s, against 0.3 s for median cut and the
    # strongest compression, for a few KB more.
    image.quantize(colors=64, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE).save(out, "PNG")
    return out.getvalue()


def _draw_weights(draw: ImageDraw.ImageDraw, guide: Guide, top: int) -> None:
    """A labelled bar per domain; with many domains everything shrinks to fit above the imprint."""
    scale = 1.0
    while True:
        rows = _weight_rows(guide, scale)
        height = sum(row[0] for row in rows)
        if top + height <= IMPRINT_TOP - 60 or scale < 0.4:
            break
        scale *= 0.9
    heaviest = max(d.weight for d in guide.domains)
    label_font, line = _font(round(44 * scale)), round(56 * scale)
    y = top
    for (row_height, lines), domain in zip(rows, guide.domains):
        for k, text in enumerate(lines):
            draw.text((MARGIN, y + k * line), text, font=label_font, fill=WHITE)
        draw.text((WIDTH - MARGIN, y), f"{domain.weight}%", font=label_font, fill=WHITE, anchor="ra",
                  stroke_width=1, stroke_fill=WHITE)
        bar_top = y + len(lines) * line + round(10 * scale)
        bar_width = round(INNER * domain.weight / heaviest)
        draw.rounded_rectangle((MARGIN, bar_top, MARGIN + bar_width, bar_top + round(34 * scale)),
                               radius=8, fill=TEAL)
        y += row_height


def _weight_rows(guide: Guide, scale: float) -> list[tuple[int, list[str]]]:
    """(height, label lines) of each domain's row at this scale."""
    font, line = _font(round(44 * scale)), round(56 * scale)
    rows = []
    for domain in guide.domains:
        lines = _wrap(f"{domain.number}. {domain.title.plain}", font, INNER - round(140 * scale))
        if len(lines) > 2:
            lines = [lines[0], _shorten(" ".join(lines[1:]), font, INNER - round(140 * scale))]
        rows.append((len(lines) * line + round(100 * scale), lines))
    return rows


def _font(size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.load_default(size=size)


def _fitting_font(text: str, size: int, width: int) -> ImageFont.FreeTypeFont:
    while size > 40 and _font(size).getlength(text) > width:
        size -= 10
    return _font(size)


def _wrap(text: str, font, width: int) -> list[str]:
    """Greedy word wrap by measured width (a single over-long word gets its own line)."""
    lines: list[str] = []
    for word in text.split():
        if lines and font.getlength(f"{lines[-1]} {word}") <= width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines or [""]


def _shorten(text: str, font, width: int) -> str:
    if font.getlength(text) <= width:
        return text
    while text and font.getlength(text + "…") > width:
        text = text[:-1]
    return text.rstrip() + "…"
