"""The printable cheat sheet: one sheet of paper, two pages, A4 and US Letter.

The exporter the registry names. The sheet holds the longest prefix of the
ranking of its optional items (`sheet/ranking.py`) that still lays out on two
pages, and that prefix is found with few WeasyPrint layouts. One layout measures
every candidate item in a single tall column as wide as a column of the sheet (an
item's height depends only on its own text and the column width); summing
those heights forecasts how full any prefix makes the sheet. A real layout of
the forecast prefix checks it and, through its measured fill, corrects the
forecast for the room lost at column breaks (the search itself is
`sheet/fill_search.py`); the sheet is written from that same layout. Usually two or
three layouts per sheet; when the forecast keeps missing, the search bisects.

The templates and what they may fetch are `sheet/templates.py`'s; WeasyPrint
is reached only through `sheet/weasyprint/adapter.py`.
"""

from __future__ import annotations

import bisect
import itertools
import math
from pathlib import Path

from exporter.build import registry
from exporter.build.output import pinned_font_clock
from exporter.model.clock import build_time
from exporter.model.figure_fit import placed
from exporter.model.guide import Guide
from exporter.sheet import check as sheet_check
from exporter.sheet import glyph_check
from exporter.sheet.figures import SheetFigures
from exporter.sheet.fill_search import LOST_PER_BREAK, Measure, largest_fitting
from exporter.sheet.ranking import Kept, ranked_slots
from exporter.sheet.templates import (
    BACK_SECTIONS,
    PDF_TEMPLATES,
    STYLESHEET,
    LocalOnlyFetcher,
    domain_anchor,
    flow_columns,
    page_number_content,
    template,
)
from exporter.sheet.weasyprint import adapter as weasyprint_adapter
from exporter.sheet.weasyprint.adapter import CSS, HTML, Document, FontConfiguration
from exporter.text.i18n import labels_for

PAGES = 2
# CSS page sizes, keyed by the artifact variants the registry declares.
PAPERS = {"a4": "A4", "letter": "letter"}
# Their width and height in CSS pixels (96 per inch), portrait.
PAPER_PIXELS = {"a4": (210 / 25.4 * 96, 297 / 25.4 * 96), "letter": (8.5 * 96, 11 * 96)}
PDF_OPTIONS = {"pdf_variant": "pdf/ua-1", "pdf_identifier": True}
# Forecasts from text length, to bound what the measuring layout holds.
CHARACTERS_PER_PAGE = 10_500
SLOT_OVERHEAD = 40  # a bullet, a label and a part-filled last line
# The measuring layout holds about this many pages' worth of items: the two pages
# of the sheet hold about 2.2 by this count (AI-300), and each item measured costs.
MEASURED_PAGES = 2.5


class CheatSheet:
    """Lays out one guide on one paper size, with a chosen subset of its items."""

    def __init__(self, guide: Guide, paper: str):
        self.guide = guide
        self.paper = paper
        self.ranking = ranked_slots(guide)
        self.fetcher = LocalOnlyFetcher(figures={f.id: guide.rendered(f) for f in placed(guide)[0].values()})
        self.font_config = FontConfiguration()
        self.columns = flow_columns()
        # Parsed once, shared by every layout of this sheet.
        main = CSS(filename=str(STYLESHEET), url_fetcher=self.fetcher, font_config=self.font_config)
        width, height = PAPER_PIXELS[paper]
        self.labels = labels_for(guide)
        page = CSS(string=f"@page {{ size: {PAPERS[paper]} portrait; @bottom-right {{ content: "
                          f"{page_number_content(self.labels)}; }} }}", font_config=self.font_config)
        self.stylesheets = [main, page]
        # Tall enough for MEASURED_PAGES pages of columns in one column, and then some.
        self.measure_stylesheets = [
            main, CSS(string=f"@page {{ size: {width}px {height * self.columns * MEASURED_PAGES * 4}px; }}",
                      font_config=self.font_config)]
        self.template = template(self.labels)
        self.figures = SheetFigures(guide)
        self._fills: dict[tuple[int, bool], float] = {}
        self._lost: dict[tuple[int, bool], float] = {}
        self._documents: dict[tuple[int, bool], Document] = {}
        self.measures = 0

    @property
    def breaks(self) -> int:
        """Column breaks on the sheet, where room is lost: all but the last column's."""
        return self.columns * PAGES - 1

    def kept(self, count: int) -> Kept:
        return Kept(self.guide, frozenset(slot.key for slot in self.ranking[:count]))

    def split_pages(self, count: int) -> int:
        """Pages of the layout that gives each side a page of its own: one when the back side
        would be empty, so that a small guide gets an honest one-page sheet, not a blank back."""
        return PAGES if self.kept(count).back_side() else 1

    def html(self, count: int, split: bool, measure: bool = False) -> str:
        return self.template.render(
            guide=self.guide,
            kept=self.kept(count),
            figures=self.figures,
            split=split,
            measure=measure,
            built=build_time(self.guide),
        )

    def render(self, count: int, split: bool, measure: bool = False) -> Document:
        document = HTML(string=self.html(count, split, measure), base_url=str(PDF_TEMPLATES) + "/",
                        url_fetcher=self.fetcher)
        stylesheets = self.measure_stylesheets if measure else self.stylesheets
        return document.render(stylesheets=stylesheets, font_config=self.font_config, **PDF_OPTIONS)

    def fill(self, count: int, split: bool = False) -> float:
        """Pages filled by a layout of the first `count` ranked items: 1.5 is one page and a half."""
        key = (count, split)
        if key not in self._fills:
            document = self.render(count, split)
            if not self._fills and weasyprint_adapter.column_count(document) != self.columns:
                raise ValueError(f"the sheet is laid out in {weasyprint_adapter.column_count(document)} columns, "
                                 f"but the .flow rule of {STYLESHEET.name} sets {self.columns}: set the count in that rule only")
            self._fills[key] = weasyprint_adapter.fill(document)
            self._lost[key] = weasyprint_adapter.lost_at_breaks(document, self.breaks)
            # The chosen layout is among the last ones: keep those, not all.
            self._documents[key] = document
            while len(self._documents) > 3:
                del self._documents[next(iter(self._documents))]
        return self._fills[key]

    def pages(self, count: int, split: bool = False) -> int:
        return math.ceil(self.fill(count, split))

    def layouts(self) -> int:
        """How many layouts the selection needed, the measuring ones included (for the benchmark)."""
        return len(self._fills) + self.measures

    def tried(self) -> list[tuple[int, bool]]:
        """The (count, split) of every real layout the selection made, in order."""
        return list(self._fills)

    def measure(self, candidates: int) -> Measure:
        """Lay out the first `candidates` ranked items in one tall column and measure them."""
        self.measures += 1
        document = self.render(candidates, split=False, measure=True)
        if len(document.pages) > 1:
            raise ValueError(f"{self.guide.id}: the measuring layout ran past its one tall page")
        flow = weasyprint_adapter.read_flow(document)
        items, section_of = flow.items, flow.section_of
        sections = [(height, heading) for _, height, heading in flow.sections]  # with its trap heading's height
        section_ids = {section_id: index for index, (section_id, _, _) in enumerate(flow.sections)}
        # Each section's own part: all but its items and its trap heading. Key topics
        # share one paragraph, part of their domain's own part: no height of their own.
        base = [height - heading for height, heading in sections]
        for key, index in section_of.items():
            base[index] -= items[key]
        domains = {section_ids[domain_anchor(domain)] for domain in self.guide.domains
                   if domain_anchor(domain) in section_ids}
        # The exam and the chart are always there; other sections come with their first item.
        present = set(range(len(sections))) - domains - set(section_of.values())
        with_heading: set[int] = set()
        total = sum(base[index] for index in present)
        heights = [total]
        for slot in self.ranking[:candidates]:
            kind, item_id = slot.key
            if kind == "topic":
                index = section_ids.get(domain_anchor(self.guide.domain(item_id.rsplit("/", 1)[0])))
            else:
                index = section_of.get(slot.key)
            if index is not None:
                if index not in present:
                    present.add(index)
                    total += base[index]
                if kind == "trap" and index not in with_heading:
                    with_heading.add(index)
                    total += sections[index][1]
                total += items.get(slot.key, 0.0)
            heights.append(total)
        content = PAPER_PIXELS[self.paper][1] - flow.page.margin_top - flow.page.margin_bottom
        front = content - (flow.flow_top - flow.page.top)
        capacity = self.columns * (front + content * (PAGES - 1))
        sides_fit = False
        if candidates == len(self.ranking):
            back = sum(sections[index][0] for section_id, index in section_ids.items() if section_id in BACK_SECTIONS)
            lost = LOST_PER_BREAK * (self.columns - 1)
            sides_fit = (total - back + lost <= self.columns * front) and (back + lost <= self.columns * content)
        return Measure(candidates, capacity, heights, self.breaks, sides_fit=sides_fit)

    def choose(self) -> tuple[int, bool]:
        """How many ranked items to show, and whether each side gets a page of its own.

        When everything fits, each side does: the front on page 1, the back on
        page 2, or a sheet of one page if there is nothing for the back. Otherwise
        the items flow over both pages, as many as fit.
        """
        total = len(self.ranking)
        cumulative = list(itertools.accumulate(slot.size + SLOT_OVERHEAD for slot in self.ranking))
        budget = MEASURED_PAGES * CHARACTERS_PER_PAGE
        while True:  # measure enough items to overfill the sheet (or all of them)
            measure = self.measure(min(total, bisect.bisect_right(cumulative, budget) + 1))
            if measure.candidates == total or measure.heights[-1] > measure.capacity:
                break
            budget *= 2
        # Everything fits: the back side gets a page of its own, if the forecast says each side
        # fits its page. Only then is that layout tried: balancing columns that overflow their
        # page is slow (seconds for a long exam box), and it would fail anyway.
        if measure.sides_fit and measure.heights[total] < measure.capacity:
            if self.pages(total, split=True) == self.split_pages(total):
                return total, True
        count = self._largest_fitting(measure)
        if count == 0 and self.pages(0) > PAGES:  # validate refuses guides whose fixed part cannot fit
            raise ValueError(f"{self.guide.id}: the fixed parts of the cheat sheet do not fit on {PAGES} pages")
        if count == total and measure.sides_fit and self.pages(total, split=True) == self.split_pages(total):
            return total, True
        # Fewer than two pages only when everything fits on one: the footer says "page 1 of 1".
        return count, False

    def _largest_fitting(self, measure: Measure) -> int:
        def probe(count: int) -> tuple[bool, float]:
            fits = self.fill(count) <= PAGES
            return fits, self._lost[(count, False)]

        return largest_fitting(len(self.ranking), measure, probe)

    def promised_pages(self, count: int, split: bool) -> int:
        """Two pages; one only when everything fits on the front and nothing goes on the back."""
        if count == len(self.ranking) and not self.kept(count).back_side() and self.pages(count, split) == 1:
            return 1
        return PAGES

    def write(self, target: Path) -> int:
        """Write the PDF; return how many ranked items it shows."""
        count, split = self.choose()
        document = self._documents.get((count, split)) or self.render(count, split)
        sheet_check.require_fit(document, self.promised_pages(count, split), self.guide, self.paper)  # before anything is written
        with pinned_font_clock(build_time(self.guide)):
            document.write_pdf(target, **PDF_OPTIONS)
        glyph_check.require_glyphs(target, self.guide)
        return count


def write(guide: Guide, target: Path, variant: str) -> None:
    """The sheet on paper `variant` (a key of PAPERS), written to `target` (the registry names the file).

    Each paper's selection and layout is independent of the other's: the build
    runs them as two jobs."""
    CheatSheet(guide, variant).write(target)


def export(guide: Guide, out_dir: Path) -> list[Path]:
    """Both papers' sheets, one after the other, written atomically into `out_dir`."""
    return registry.EXPORTERS["pdf"].export(guide, out_dir)
