"""The cheat sheet's templates (`templates/pdf/`) as the exporter uses them.

Where they are and what a layout of them may fetch (files under `templates/`
only, never the network); the Jinja environment with its filters and globals;
the section anchors the template writes and the exporter reads back; the CSS
of the footer's "page 1 of 2"; and the number of columns the stylesheet sets,
read from the stylesheet itself, so that the layout decision has one owner.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

import jinja2
import tinycss2

from exporter.build.output import TEMPLATES_DIR
from exporter.model.guide import Domain
from exporter.sheet.room import COMPACT_CHART_ABOVE, width
from exporter.sheet.weasyprint.adapter import URLFetcher, URLFetcherResponse
from exporter.text import bidi
from exporter.text.i18n import N_, Labels
from exporter.text.times import iso_utc

PDF_TEMPLATES = TEMPLATES_DIR / "pdf"
STYLESHEET = PDF_TEMPLATES / "cheatsheet.css"
TEMPLATE = "cheatsheet.html.j2"
# The sections of the back side: the template starts a page before them when the sheet splits.
BACK_SECTIONS = ("pairs", "mistakes", "checklist")


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


def domain_anchor(domain: Domain) -> str:
    """A domain's section on the sheet. The dot, which ids cannot hold, keeps it apart
    from the fixed sections (`exam`, `weights`, `pairs`...) whatever the domain's id."""
    return f"domain.{domain.id}"


def page_number_content(labels: Labels) -> str:
    """The CSS `content` of "page 1 of 2": the message's text as strings, its placeholders as counters."""
    parts = []
    # Translators: %(page)s and %(pages)s become the page counters in the sheet's footer.
    for k, piece in enumerate(re.split(r"%\((page|pages)\)s", labels.message(N_("sheet.page-of")))):
        if k % 2:
            parts.append(f"counter({piece})")
        elif piece:
            text = piece.replace("%%", "%").replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")
            parts.append(f'"{text}"')
    return " ".join(parts) or '""'


def number_ranges(numbers: list[int]) -> str:
    """`[1, 2, 3, 5, 7, 8]` as "1–3, 5, 7, 8": runs of three or more as a range."""
    runs: list[list[int]] = []
    for number in sorted(numbers):
        if runs and number == runs[-1][-1] + 1:
            runs[-1].append(number)
        else:
            runs.append([number])
    return ", ".join(f"{run[0]}–{run[-1]}" if len(run) > 2 else ", ".join(map(str, run)) for run in runs)


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


def template(labels: Labels) -> jinja2.Template:
    """The sheet's template, in an environment with the guide's labels and the sheet's filters."""
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(PDF_TEMPLATES),
        extensions=["jinja2.ext.i18n"],
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    labels.install(environment)
    environment.filters["md"] = bidi.html_filter()
    environment.filters["md_in_link"] = bidi.html_filter(in_link=True)
    environment.globals["domain_anchor"] = domain_anchor
    environment.filters["clipped"] = clipped
    environment.filters["number_ranges"] = number_ranges
    environment.globals["compact_chart_above"] = COMPACT_CHART_ABOVE
    environment.filters["w3c"] = iso_utc
    environment.globals["figure_url"] = figure_url
    return environment.get_template(TEMPLATE)


def figure_url(rendered) -> str:
    return f"{FIGURE_SCHEME}:{rendered.file_name}"
