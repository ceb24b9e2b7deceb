"""The cheat sheet's templates (`templates/pdf/`) as the exporter uses them.

Where they are and what a layout of them may fetch (files under `templates/`
only, never the network); the Jinja environment with its filters and globals;
the section anchors the template writes and the exporter reads back; the CSS
of the footer's boxes, of its "page 1 of 2" and of the counters' digits; and the
number of columns the stylesheet sets, read from the stylesheet itself, so that
the layout decision has one owner.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

import jinja2
import tinycss2
from markupsafe import Markup

from exporter.build.templates import TEMPLATES_DIR, template_environment
from exporter.model.anchors import anchor
from exporter.model.guide import Domain
from exporter.sheet.room import COMPACT_CHART_ABOVE, width
from exporter.sheet.weasyprint.adapter import URLFetcher, URLFetcherResponse
from exporter.text import bidi, languages
from exporter.text.i18n import N_, Labels
from exporter.text.times import iso_utc

PDF_TEMPLATES = TEMPLATES_DIR / "pdf"
STYLESHEET = PDF_TEMPLATES / "cheatsheet.css"
TEMPLATE = "cheatsheet.html.j2"
# The sections of the back side: when the sheet splits, the back starts at one of them or earlier.
BACK_SECTIONS = ("pairs", "mistakes", "checklist")
PAIRS_SECTION = "pairs"
# Kinds of items the stylesheet never breaks across columns (`break-inside: avoid`).
UNBREAKABLE = ("pair", "mistake", "check")


# The address the template gives a figure: the fetcher hands over the loaded guide's bytes.
FIGURE_SCHEME = "studyguide-figure"


class LocalOnlyFetcher(URLFetcher):
    """Fetch only files under `templates/` and the guide's figures (from memory, as loaded);
    refuse the network and the rest."""

    def __init__(self, allowed: tuple[Path, ...] = (TEMPLATES_DIR,), figures: dict | None = None):
        super().__init__(allowed_protocols=("file", FIGURE_SCHEME))
        self.allowed = tuple(folder.resolve() for folder in allowed)
        self.figures = {rendered.file_name: rendered for rendered in (figures or {}).values()}
        self.refused: list[str] = []

    def fetch(self, url, headers=None):
        parts = urlsplit(url)
        if parts.scheme == FIGURE_SCHEME and parts.path in self.figures:
            rendered = self.figures[parts.path]
            return URLFetcherResponse(url, rendered.data, {"Content-Type": rendered.media_type})
        path = Path(unquote(parts.path)).resolve() if parts.scheme == "file" else None
        if path is None or not any(path.is_relative_to(folder) for folder in self.allowed):
            self.refused.append(url)
            raise ValueError(f"refused to fetch {url}: only files under templates/ are allowed")
        return super().fetch(url, headers)


def flow_columns(stylesheet: Path = STYLESHEET) -> int:
    """The column count the stylesheet's `.flow` rule sets (`columns` or `column-count`).

    Read from the text, before any layout: the measuring layout needs it. The
    first real layout checks that WeasyPrint's cascade gives the same count.
    """
    count = None
    for rule in tinycss2.parse_stylesheet(stylesheet.read_text(encoding="utf-8"),
                                          skip_comments=True, skip_whitespace=True):
        if rule.type != "qualified-rule" or tinycss2.serialize(rule.prelude).strip() != ".flow":
            continue
        for declaration in tinycss2.parse_declaration_list(rule.content, skip_comments=True,
                                                           skip_whitespace=True):
            if declaration.type == "declaration" and declaration.lower_name in ("columns", "column-count"):
                numbers = [token.int_value for token in declaration.value
                           if token.type == "number" and token.is_integer]
                count = numbers[0] if numbers else count
    if count is None:
        raise ValueError(f"{stylesheet.name}: the .flow rule sets no column count")
    return count


DOMAIN_ANCHOR = anchor("domain", "")  # what every domain's section id starts with


def domain_anchor(domain: Domain) -> str:
    """A domain's section on the sheet, apart from the fixed sections (`exam`, `weights`, `pairs`...)."""
    return anchor("domain", domain.id)


# The counter style of the sheet's numbered lists and page numbers: the guide's own digits.
NUMERALS = "guide-numerals"


def numerals_style(labels: Labels) -> Markup:
    """The CSS `@counter-style` that writes a counter in the digits of the guide's locale (١٢ in
    Egyptian Arabic). In the document's own <style>: WeasyPrint reads a counter style only there."""
    symbols = " ".join(f'"{digit}"' for digit in labels.digits)
    return Markup(f"@counter-style {NUMERALS} {{ system: numeric; symbols: {symbols}; }}")


def margin_boxes(labels: Labels) -> str:
    """The CSS of the page's footer boxes: the footer (the body's `string(footer)`) at the
    side the guide's lines start from, "page 1 of 2" at the other, mirrored right to left."""
    start, end = "bottom-left", "bottom-right"
    if languages.direction(labels.language) == "rtl":
        start, end = end, start
    return f"@{start} {{ content: string(footer); }} @{end} {{ content: {page_number_content(labels)}; }}"


def page_number_content(labels: Labels) -> str:
    """The CSS `content` of "page 1 of 2": the message's text as strings, its placeholders as counters."""
    parts = []
    for k, piece in enumerate(re.split(r"%\((page|pages)\)s", labels.message(N_("sheet.page-of")))):
        if k % 2:
            parts.append(f"counter({piece}, {NUMERALS})")
        elif piece:
            text = piece.replace("%%", "%").replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")
            parts.append(f'"{text}"')
    return " ".join(parts) or '""'


def clipped(text: str, columns: int) -> str:
    """`text` cut to about `columns` narrow characters, with an ellipsis if cut.

    For the footer, which must stay on one line: a wide (East Asian) character
    counts as two columns.
    """
    used = 0
    for index, character in enumerate(text):
        used += width(character)
        if used > columns:
            return text[:index].rstrip() + "…"
    return text


# Advance widths, in em, of what a domain's weight is written with (DejaVu Sans, the sheet's widest
# face for them; an unlisted character counts as a full em). "33 %" and "100%" need more room than
# "20%", and a heading's text must never run under its weight.
_WEIGHT_ADVANCES = {**dict.fromkeys("0123456789٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", 0.64), "%": 0.95, "٪": 0.95,
                    " ": 0.32, "\u00a0": 0.32, "\u202f": 0.2, "\u2009": 0.2, "–": 0.5, "-": 0.36, ".": 0.32,
                    ",": 0.32, "\u066b": 0.32, "\u066c": 0.32, "\u200e": 0.0, "\u200f": 0.0, "\u061c": 0.0}


def weight_room(share: str) -> str:
    """The room a domain heading keeps free at its end for the weight written there, as CSS."""
    return f"{sum(_WEIGHT_ADVANCES.get(character, 1.0) for character in share) + 0.1:.2f}em"


def template(labels: Labels) -> jinja2.Template:
    """The sheet's template, in an environment with the guide's labels and the sheet's filters."""
    environment = template_environment("pdf", labels)
    environment.filters["md"] = bidi.html_filter()
    environment.filters["md_in_link"] = bidi.html_filter(in_link=True)
    environment.globals["domain_anchor"] = domain_anchor
    environment.filters["clipped"] = clipped
    environment.globals["compact_chart_above"] = COMPACT_CHART_ABOVE
    environment.filters["w3c"] = iso_utc
    environment.globals["figure_url"] = figure_url
    environment.filters["weight_room"] = weight_room
    environment.globals["numerals_style"] = numerals_style(labels)
    _isolate_labels(environment, labels)
    return environment.get_template(TEMPLATE)


def _isolate_labels(environment: jinja2.Environment, labels: Labels) -> None:
    """Set each fixed label, and each number range, in its own direction on a page of the other.

    An English label on an Arabic sheet (a language without a catalog) is a
    left-to-right run inside right-to-left text: unisolated, its words are
    reordered with their neighbours across line breaks, and the line is measured
    before that reordering, so a word may run past its column. A range such as
    "20–30" has a dash that takes the page's direction and reads "30–20" there.
    Each becomes an isolate (`<bdi>`), laid out as one unit in its own direction.
    """
    page = languages.direction(labels.language)
    html, nhtml, ranged = environment.globals["_"], environment.globals["ngettext"], environment.filters["range"]

    def label_direction(message: str) -> str | None:
        """The label's own direction where it is not the page's (from its words, not its values)."""
        direction = bidi.text_direction(re.sub(r"%\(\w+\)s", "", message))
        return direction if direction not in (None, page) else None

    def within(direction: str | None, values: dict) -> dict:
        """Inside an isolated label, each value written the other way (a date in Arabic) in an isolate of its own."""
        if direction is None:
            return values
        isolated_values = {}
        for name, value in values.items():
            text = Markup(value).striptags() if isinstance(value, Markup) else str(value)
            own = bidi.text_direction(text)
            isolated_values[name] = (Markup('<bdi dir="%s">%s</bdi>') % (own, value)
                                     if own not in (None, direction) else value)
        return isolated_values

    def isolated(direction: str | None, markup: Markup) -> Markup:
        return Markup('<bdi dir="%s">%s</bdi>') % (direction, markup) if direction else markup

    def gettext(message_id: str, **values) -> Markup:
        direction = label_direction(labels.message(message_id))
        return isolated(direction, html(message_id, **within(direction, values)))

    def ngettext(singular: str, plural: str, count: int, **values) -> Markup:
        direction = label_direction(labels.plural_message(singular, plural, count))
        return isolated(direction, nhtml(singular, plural, count, **within(direction, values)))

    def left_to_right(text: str) -> Markup | str:
        return Markup('<bdi dir="ltr">%s</bdi>') % text if page == "rtl" else text

    listed = environment.filters["number_ranges"]
    environment.globals.update(_=gettext, gettext=gettext, ngettext=ngettext)
    environment.filters["range"] = lambda value: left_to_right(ranged(value)) if value.min != value.max else ranged(value)
    environment.filters["number_ranges"] = lambda numbers: left_to_right(listed(numbers))


def figure_url(rendered) -> str:
    return f"{FIGURE_SCHEME}:{rendered.file_name}"
