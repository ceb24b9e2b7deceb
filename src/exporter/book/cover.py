"""The book's cover: a PNG drawn from the guide's data.

A raster cover is what every reader shows in its library (Calibre's Kindle
conversion finds no cover in an SVG one). It shows the exam code, the title,
the certification and a bar per domain sized by the domain's exam weight (the
heaviest ones, when there are many). Whatever the lengths, everything stays
inside the image: long lines shrink, then end in an ellipsis.

It is set in the sheet's family, DejaVu Sans, with the sheet's fallbacks for
what DejaVu lacks (exporter/book/cover_fonts.py), each character in the first font
that has it, so every letter of any script is drawn; Arabic and Hebrew are
shaped and ordered by Pillow's Raqm layout. A character no font has stops the
build with a message naming it.
"""

from __future__ import annotations

import io

from PIL import Image, ImageDraw

from exporter.book.cover_fonts import CoverFonts
from exporter.model.guide import Domain, Guide
from exporter.model.problems import FieldPath
from exporter.text.i18n import labels_for

WIDTH, HEIGHT = 1600, 2560  # the 1:1.6 ratio stores and readers expect
MARGIN = 130
INNER = WIDTH - 2 * MARGIN
NAVY, GOLD, PALE, TEAL, WHITE = (18, 48, 79), (242, 182, 50), (201, 220, 239), (79, 184, 168), (255, 255, 255)
IMPRINT_TOP = HEIGHT - 230
TITLE_SIZES = (100, 88, 76, 66)  # px, largest first
TITLE_LINES = 4


def cover_alt_text(guide: Guide) -> str:
    """What the cover shows, in words: the alt text of the cover image."""
    labels = labels_for(guide)
    shown = _shown_domains(guide)
    domains = labels.gettext("book.cover.alt-separator").join(
        labels.gettext("book.cover.alt-domain", title=d.title.plain, weight=labels.share(d))
        for d in shown)
    if len(shown) < len(guide.domains):
        domains += labels.gettext("book.cover.alt-separator") + _others_line(guide, shown)
    return labels.gettext("book.cover.alt", title=guide.title.plain, certification=guide.certification.plain,
                          code=guide.exam_code.plain, publisher=guide.publisher.plain, version=guide.version,
                          domains=domains)


# The most domains the cover draws a bar for: more would shrink every label past reading,
# so a guide with more shows its heaviest ones, and a line for the others.
COVER_DOMAINS = 6


def _shown_domains(guide: Guide) -> list[Domain]:
    """Every domain, in exam order; with more than COVER_DOMAINS, the heaviest ones."""
    if len(guide.domains) <= COVER_DOMAINS:
        return list(guide.domains)
    heaviest = sorted(guide.domains, key=lambda d: (-d.weight, d.number))[:COVER_DOMAINS - 1]
    return sorted(heaviest, key=lambda d: d.number)


def domains_heading(guide: Guide, shown: list[Domain]) -> str:
    labels = labels_for(guide)
    if len(shown) == len(guide.domains):
        return labels.gettext("book.cover.weights-heading").upper()
    return labels.gettext("book.cover.top-weights-heading", count=labels.number(len(shown))).upper()


def _others_line(guide: Guide, shown: list[Domain]) -> str:
    labels = labels_for(guide)
    others = [d for d in guide.domains if d not in shown]
    return labels.ngettext("book.cover.other-domains", "book.cover.other-domains", len(others),
                           weight=labels.percent(sum(d.weight for d in others)))


def imprint(labels, guide: Guide, date_label: str) -> str:
    return labels.gettext("book.cover.version", version=guide.version, date=date_label)


def cover_texts(guide: Guide, date_label: str) -> dict[FieldPath, str]:
    """Every text the cover draws, by the field of the guide it comes from (for the glyph
    check); the cover's own words (headings, the imprint, numbers) under the empty path."""
    labels = labels_for(guide)
    weights = " ".join(labels.share(domain) for domain in guide.domains)
    texts = {("vendor",): guide.vendor.plain.upper(), ("exam_code",): guide.exam_code.plain,
             ("title",): guide.title.plain, ("certification",): guide.certification.plain,
             ("publisher",): guide.publisher.plain,
             (): f"{domains_heading(guide, [])} {domains_heading(guide, list(guide.domains))} "
                 f"{imprint(labels, guide, date_label)} {weights} 0123456789… "
                 f"{_others_line(guide, [])}"}
    shown = _shown_domains(guide)
    texts |= {("domains", index, "title"): labels.gettext("common.numbered-domain", number=labels.number(domain.number),
                                                          title=domain.title.plain)
              for index, domain in enumerate(guide.domains) if domain in shown}
    return texts


def require_cover_fonts(guide: Guide, date_label: str = "1 January 2000") -> None:
    """Raise the GuideProblems the cover would, if the installed fonts cannot draw a text it shows:
    `validate` checks it too, so that a guide it passes also builds on this machine."""
    fonts = CoverFonts(guide.language, guide.direction)
    fonts.require(cover_texts(guide, date_label))


def cover_png(guide: Guide, date_label: str) -> bytes:
    require_cover_fonts(guide, date_label)
    fonts = CoverFonts(guide.language, guide.direction)
    _font, _bold = fonts.regular, fonts.bold
    image = Image.new("RGB", (WIDTH, HEIGHT), NAVY)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, WIDTH, 36), fill=GOLD)

    vendor = guide.vendor.plain.upper()
    vendor_font = _fitting(vendor, 64, 4, fonts.regular)
    fonts.draw(draw, (MARGIN, 230), _shorten(vendor, vendor_font, INNER), vendor_font, PALE, INNER)
    code_font = _fitting(guide.exam_code.plain, 230, 10, fonts.bold)
    fonts.draw(draw, (MARGIN, 330), _shorten(guide.exam_code.plain, code_font, INNER), code_font, WHITE, INNER)
    rule_left = WIDTH - MARGIN - 260 if fonts.direction == "rtl" else MARGIN
    draw.rectangle((rule_left, 600, rule_left + 260, 616), fill=GOLD)

    # The title in up to four lines: a long one is set smaller rather than cut.
    size = next((size for size in TITLE_SIZES if len(_wrap(guide.title.plain, _bold(size), INNER)) <= TITLE_LINES),
                TITLE_SIZES[-1])
    y = 680
    for line in _wrap(guide.title.plain, _bold(size), INNER, TITLE_LINES):
        fonts.draw(draw, (MARGIN, y), line, _bold(size), WHITE, INNER)
        y += round(size * 1.2)
    y += 40
    for line in _wrap(guide.certification.plain, _font(54), INNER, 3):
        fonts.draw(draw, (MARGIN, y), line, _font(54), PALE, INNER)
        y += 70
    y += 90
    labels = labels_for(guide)
    shown = _shown_domains(guide)
    fonts.draw(draw, (MARGIN, y), domains_heading(guide, shown), _font(50), GOLD, INNER)
    _draw_weights(draw, guide, shown, y + 90, fonts)

    fonts.draw(draw, (MARGIN, IMPRINT_TOP), _shorten(guide.publisher.plain, _font(54), INNER), _font(54), WHITE, INNER)
    fonts.draw(draw, (MARGIN, IMPRINT_TOP + 80), _shorten(imprint(labels, guide, date_label), _font(44), INNER),
               _font(44), PALE, INNER)

    out = io.BytesIO()
    # Flat colours and anti-aliased text need few colours: a palette image is a quarter of the size.
    # The fast octree and zlib's usual level take 0.06 s, against 0.3 s for median cut and the
    # strongest compression, for a few KB more.
    image.quantize(colors=64, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE).save(out, "PNG")
    return out.getvalue()


def _draw_weights(draw: ImageDraw.ImageDraw, guide: Guide, shown: list[Domain], top: int,
                  fonts: CoverFonts) -> None:
    """A labelled bar per shown domain and a line for the others, shrunk to fit above the
    imprint (at most COVER_DOMAINS rows of at most two lines fit at half size)."""
    others = len(shown) < len(guide.domains)
    scale = 1.0
    while True:
        rows = _weight_rows(guide, shown, scale, fonts)
        height = sum(row[0] for row in rows) + (round(70 * scale) if others else 0)
        if top + height <= IMPRINT_TOP - 60 or scale < 0.5:
            break
        scale *= 0.9
    labels = labels_for(guide)
    heaviest = max(d.weight for d in guide.domains)
    label_font, line = fonts.regular(round(44 * scale)), round(56 * scale)
    y = top
    if others:
        rest = _shorten(_others_line(guide, shown), label_font, INNER)
        fonts.draw(draw, (MARGIN, y + height - round(70 * scale)), rest, label_font, PALE, INNER)
    room = _weight_room(guide, label_font, scale, fonts)
    for (row_height, lines), domain in zip(rows, shown):
        label_width = INNER - room
        for k, text in enumerate(lines):
            # Right to left: the label at the right edge, the weight at the left.
            x = MARGIN + room if fonts.direction == "rtl" else MARGIN
            fonts.draw(draw, (x, y + k * line), text, label_font, WHITE, label_width)
        weight = labels.share(domain)
        weight_x = MARGIN if fonts.direction == "rtl" else WIDTH - MARGIN - round(fonts.length(weight, label_font))
        fonts.draw(draw, (weight_x, y), weight, label_font, WHITE, None)
        bar_top = y + len(lines) * line + round(10 * scale)
        bar_width = round(INNER * domain.weight / heaviest)
        left = WIDTH - MARGIN - bar_width if fonts.direction == "rtl" else MARGIN
        draw.rounded_rectangle((left, bar_top, left + bar_width, bar_top + round(34 * scale)),
                               radius=8, fill=TEAL)
        y += row_height


def _weight_room(guide: Guide, font, scale: float, fonts: CoverFonts) -> int:
    """The width kept free for the weights beside the labels: room for "100%", or for the
    widest published range ("25–30%") and a gap."""
    labels = labels_for(guide)
    widest = max(fonts.length(labels.share(domain), font) for domain in guide.domains)
    return max(round(140 * scale), round(widest + 30 * scale))


def _weight_rows(guide: Guide, domains: list[Domain], scale: float, fonts: CoverFonts) -> list[tuple[int, list[str]]]:
    """(height, label lines) of each domain's row at this scale."""
    font, line = fonts.regular(round(44 * scale)), round(56 * scale)
    labels = labels_for(guide)
    rows = []
    room = _weight_room(guide, font, scale, fonts)
    for domain in domains:
        title = labels.gettext("common.numbered-domain", number=labels.number(domain.number), title=domain.title.plain)
        lines = _wrap(title, font, INNER - room, 2)
        rows.append((len(lines) * line + round(100 * scale), lines))
    return rows


def _fitting(text: str, size: int, step: int, face):
    """The face at the largest size (down to 40 px) at which the text fits on one line."""
    while size > 40 and face(size).getlength(text) > INNER:
        size -= step
    return face(size)


def _wrap(text: str, font, width: int, max_lines: int | None = None) -> list[str]:
    """Greedy word wrap by measured width. A word wider than a line is cut where it must
    be; with `max_lines`, the last line ends in an ellipsis if text is left over."""
    lines: list[str] = []
    for word in text.split():
        if lines and font.getlength(f"{lines[-1]} {word}") <= width:
            lines[-1] = f"{lines[-1]} {word}"
            continue
        while len(word) > 1 and font.getlength(word) > width:  # as much as fits, the rest on the next line
            cut = next((k for k in range(len(word) - 1, 0, -1) if font.getlength(word[:k]) <= width), 1)
            lines.append(word[:cut])
            word = word[cut:]
        lines.append(word)
    if max_lines is not None and len(lines) > max_lines:
        lines = lines[:max_lines - 1] + [_shorten(" ".join(lines[max_lines - 1:]), font, width, cut=True)]
    return lines or [""]


def _shorten(text: str, font, width: int, cut: bool = False) -> str:
    """`text` if it fits `width`, else as much as fits and an ellipsis (always, if `cut`)."""
    if font.getlength(text) <= width and not cut:
        return text
    while text and font.getlength(text + "…") > width:
        text = text[:-1]
    return text.rstrip() + "…"
