"""The printable cheat sheet: one sheet of paper, two pages (or two sheets, four), A4 and US Letter.

The exporter the registry names. The sheet holds the longest prefix of the
ranking of its optional items (`sheet/ranking.py`) that still lays out on its
pages, found with one layout beyond the one it is written from. The measuring
layout sets every candidate item in a single tall column as wide as a column of
the sheet (a block's height depends only on its own text and the column
width) and reads each block back: its height, its lines, and whether the
stylesheet lets it break or keeps it with the next (`weasyprint_adapter.read_flow`).
Those blocks, poured into the sheet's columns as the break rules do
(`sheet/fill_search.py`, `pack`), say how long a prefix fits; that prefix is
laid out, checked and written. Should it not fit after all, the packing is
asked for the room it missed, and then the forecast-and-probe search
(`largest_fitting`) takes over. The fill reads only measured blocks (`data-slot`
elements and the sections' own), so any new kind of item (a figure) is one more
measured block.

A guide whose every item fits is split between the sides where that balances
them best (`balanced_split`), from the same measured section heights.

The templates and what they may fetch are `sheet/templates.py`'s; WeasyPrint
is reached only through `sheet/weasyprint/adapter.py`.
"""

from __future__ import annotations

import bisect
import itertools
import math
from pathlib import Path

from exporter.build.output import pinned_font_clock
from exporter.model.clock import build_time
from exporter.model.figure_fit import placed
from exporter.model.guide import Guide
from exporter.sheet import check as sheet_check
from exporter.sheet import glyph_check
from exporter.sheet.figures import SheetFigures
from exporter.sheet.fill_search import (
    LOST_PER_BREAK,
    Measure,
    Piece,
    first_fit,
    largest_fitting,
    largest_packed,
    pack,
    pour,
)
from exporter.sheet.ranking import Kept, describe, must_know, ranked_slots
from exporter.sheet.templates import (
    BACK_SECTIONS,
    DOMAIN_ANCHOR,
    PAIRS_SECTION,
    PDF_TEMPLATES,
    STYLESHEET,
    UNBREAKABLE,
    LocalOnlyFetcher,
    domain_anchor,
    flow_columns,
    margin_boxes,
    template,
)
from exporter.sheet.weasyprint import adapter as weasyprint_adapter
from exporter.sheet.weasyprint.adapter import CSS, HTML, Document, FontConfiguration
from exporter.text import scripts
from exporter.text.i18n import labels_for

PAGES = 2  # unless the guide asks for more (`sheet: {pages: 4}`)
# The back side starts at the end: everything is on the front, a sheet of one page.
FRONT_ONLY = "(end)"
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
# Room (CSS px) the packing of measured blocks keeps to spare, for what it cannot see: margins
# that collapse or vanish at a column's head.
PACKING_MARGIN = 0.0
# An item the stylesheet keeps whole (a pair, a mistake, a checklist line) this share of a
# column tall or more breaks after all: kept whole, it could not fit a column.
TALL_SHARE = 0.5


class CheatSheet:
    """Lays out one guide on one paper size, with a chosen subset of its items."""

    def __init__(self, guide: Guide, paper: str):
        self.guide = guide
        self.paper = paper
        self.ranking = ranked_slots(guide)
        self.page_count = guide.sheet.pages
        self.fetcher = LocalOnlyFetcher(figures={f.id: guide.rendered(f) for f in placed(guide)[0].values()})
        self.font_config = FontConfiguration()
        self.columns = flow_columns()
        # Parsed once, shared by every layout of this sheet.
        main, script = sheet_stylesheets(guide.language, self.fetcher, self.font_config)
        width, height = PAPER_PIXELS[paper]
        self.labels = labels_for(guide)
        page = CSS(string=f"@page {{ size: {PAPERS[paper]} portrait; {margin_boxes(self.labels)} }}",
                   font_config=self.font_config)
        self.stylesheets = [main, script, page]
        # Tall enough for MEASURED_PAGES pages of columns in one column, and then some.
        self.measure_stylesheets = [
            main, script, CSS(string=f"@page {{ size: {width}px "
                             f"{height * self.columns * MEASURED_PAGES * 2 * self.page_count}px; }}",
                      font_config=self.font_config)]
        self.template = template(self.labels)
        self.figures = SheetFigures(guide)
        self._fills: dict[tuple[int, str | None], float] = {}
        self._lost: dict[tuple[int, str | None], float] = {}
        self._documents: dict[tuple[int, str | None], Document] = {}
        self.measures = 0
        self.split_at: str | None = None  # the balanced split, once every item is measured
        self.flow: weasyprint_adapter.Flow | None = None  # the last measuring layout's blocks
        self.column_heights: list[float] = []  # every column of the sheet, in flow order
        self.chosen: tuple[int, str | None] | None = None  # what `write` laid out: (count, split)
        self._pair_orders: dict[int, tuple[str, ...]] = {}  # pair ids in the order the fill packed them
        # Items the stylesheet keeps whole but too tall for it (TALL_SHARE of a column or more): they break.
        self.may_break: frozenset[tuple[str, str]] = frozenset()

    @property
    def breaks(self) -> int:
        """Column breaks on the sheet, where room is lost: all but the last column's."""
        return self.columns * self.page_count - 1

    def kept(self, count: int) -> Kept:
        return Kept(self.guide, frozenset(slot.key for slot in self.ranking[:count]), self._pair_orders.get(count, ()))

    def split_pages(self, split: str) -> int:
        """Pages of the layout that gives each side a page of its own: one when nothing goes
        on the back, so that a small guide gets an honest one-page sheet, not a blank back."""
        return 1 if split == FRONT_ONLY else PAGES

    def html(self, count: int, split: str | None, measure: bool = False) -> str:
        kept = self.kept(count)
        html = self.template.render(
            guide=self.guide,
            kept=kept,
            figures=self.figures,
            split=split,
            measure=measure,
            # The measuring layout holds the line with the largest count it can show, so that
            # the forecast has room for it whatever the cut.
            left_out=must_know(self.guide) if measure else len(kept.left_out()),
            may_break=self.may_break,
            built=build_time(self.guide),
        )
        # WeasyPrint has no `word-break: keep-all`: Korean words are kept whole another way.
        return scripts.keep_words_whole(html) if scripts.keeps_words_whole(self.guide.language) else html

    def render(self, count: int, split: str | None, measure: bool = False) -> Document:
        document = HTML(string=self.html(count, split, measure), base_url=str(PDF_TEMPLATES) + "/",
                        url_fetcher=self.fetcher)
        stylesheets = self.measure_stylesheets if measure else self.stylesheets
        return document.render(stylesheets=stylesheets, font_config=self.font_config, **PDF_OPTIONS)

    def fill(self, count: int, split: str | None = None) -> float:
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

    def pages(self, count: int, split: str | None = None) -> int:
        return math.ceil(self.fill(count, split))

    def layouts(self) -> int:
        """How many layouts the selection needed, the measuring ones included (for the benchmark)."""
        return len(self._fills) + self.measures

    def tried(self) -> list[tuple[int, str | None]]:
        """The (count, split) of every real layout the selection made, in order."""
        return list(self._fills)

    def measure(self, candidates: int) -> Measure:
        """Lay out the first `candidates` ranked items in one tall column and measure them."""
        self.measures += 1
        document = self.render(candidates, split=None, measure=True)
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
        capacity = self.columns * (front + content * (self.page_count - 1))
        self.flow = flow
        self.column_heights = [front] * self.columns + [content] * (self.columns * (self.page_count - 1))
        self.may_break = frozenset(key for pieces in flow.pieces for key, piece in pieces
                                   if key is not None and not piece.breakable and piece.height > TALL_SHARE * front)
        if candidates == len(self.ranking):
            self.split_at = self.balanced_split(flow, front, content)
        return Measure(candidates, capacity, heights, self.breaks, sides_fit=self.split_at is not None)

    def pieces(self, count: int) -> list[Piece]:
        """The blocks of the flow with the first `count` ranked items, from the measuring layout.

        The pairs' tables, which never break, go in the order that wastes least room at the
        column breaks (`first_fit`, from where the flow before them ends); `kept` shows them so.
        """
        keys = {slot.key for slot in self.ranking[:count]}
        with_topics = {key[1].rsplit("/", 1)[0] for key in keys if key[0] == "topic"}
        flow: list[Piece] = []
        for (section_id, _, _), pieces in zip(self.flow.sections, self.flow.pieces, strict=True):
            shown = [(key, Piece(piece.height, piece.lines, True) if key in self.may_break else piece)
                     for key, piece in pieces if key is None or key in keys]
            has_items = any(key in keys for key, _ in pieces if key is not None)
            domain = section_id.startswith(DOMAIN_ANCHOR)
            if not has_items and (section_id in BACK_SECTIONS or (
                    domain and section_id[len(DOMAIN_ANCHOR):] not in with_topics)):
                continue  # a section the template leaves out
            # A heading left with nothing to head (the traps' heading, without traps) is left out too.
            shown = [(key, piece) for k, (key, piece) in enumerate(shown)
                     if not (piece.keep_with_next and k > 0 and k + 1 < len(shown) and (
                         shown[k + 1][1].keep_with_next or k + 2 == len(shown)))]
            if section_id == PAIRS_SECTION:
                shown = self._pairs_in_order(count, flow, shown)
            flow += [piece for _, piece in shown]
        return flow

    def _pairs_in_order(self, count: int, before: list[Piece], shown: list) -> list:
        """The pairs section's blocks with its tables in first-fit order, recorded for `kept`."""
        heading = [(key, piece) for key, piece in shown[:1] if key is None and piece.keep_with_next]
        tables = [(key, piece) for key, piece in shown if key is not None]
        rest = [(key, piece) for key, piece in shown[len(heading):] if key is None]
        column, room, missing = pour(before, self.column_heights)
        if missing:
            order = list(range(len(tables)))
        else:
            order = first_fit([piece.height for _, piece in tables], self.column_heights, column, room,
                              ahead=sum(piece.height for _, piece in heading))
        self._pair_orders[count] = tuple(tables[k][0][1] for k in order)
        return heading + [tables[k] for k in order] + rest

    def balanced_split(self, flow: weasyprint_adapter.Flow, front: float, content: float) -> str | None:
        """Where the back side should start when every item fits: the section that makes
        the two sides most alike in fullness, each balanced over its columns. None if no
        split fits; FRONT_ONLY when there is nothing for the back and all fits the front.

        From the measuring layout of every item (one column, each section's height):
        a side fits if its sections, plus the room its column breaks may lose (a
        line, or the tallest item that cannot break), fit its columns.
        """
        sections = [(section_id, height) for section_id, height, _ in flow.sections]
        unbreakable = {section_id: 0.0 for section_id, _ in sections}
        for key, index in flow.section_of.items():
            if key[0] in UNBREAKABLE and key not in self.may_break:
                section_id = sections[index][0]
                unbreakable[section_id] = max(unbreakable[section_id], flow.items[key])
        back_first = next((k for k, (section_id, _) in enumerate(sections) if section_id in BACK_SECTIONS),
                          len(sections))
        fixed = 2  # the exam and the weights open the front

        def fullness(part: list[tuple[str, float]], room: float) -> float:
            lost = (self.columns - 1) * max([LOST_PER_BREAK, *(unbreakable[section_id] for section_id, _ in part)])
            return (sum(height for _, height in part) + lost) / (self.columns * room)

        if back_first == len(sections) and fullness(sections, front) <= 1:
            return FRONT_ONLY
        best: tuple[float, str] | None = None
        for k in range(fixed, min(back_first, len(sections) - 1) + 1):
            worst = max(fullness(sections[:k], front), fullness(sections[k:], content))
            if worst <= 1 and (best is None or worst < best[0]):
                best = (worst, sections[k][0])
        return best[1] if best else None

    def choose(self) -> tuple[int, str | None]:
        """How many ranked items to show, and where the back side starts if each side gets
        a page of its own (None: the items flow over every page).

        When everything fits, each side does, split where that balances them, or a
        sheet of one page if there is nothing for the back. Otherwise the items
        flow over the pages, as many as fit.
        """
        total = len(self.ranking)
        cumulative = list(itertools.accumulate(slot.size + SLOT_OVERHEAD for slot in self.ranking))
        budget = MEASURED_PAGES * CHARACTERS_PER_PAGE * self.page_count / PAGES
        while True:  # measure enough items to overfill the sheet (or all of them)
            measure = self.measure(min(total, bisect.bisect_right(cumulative, budget) + 1))
            if measure.candidates == total or measure.heights[-1] > measure.capacity:
                break
            budget *= 2
        # Everything fits: the back side gets a page of its own, if the forecast says each side
        # fits its page. Only then is that layout tried: balancing columns that overflow their
        # page is slow (seconds for a long exam box), and it would fail anyway.
        if self.split_at is not None and self.pages(total, self.split_at) == self.split_pages(self.split_at):
            return total, self.split_at
        # The longest prefix whose measured blocks pack into the columns: usually the only real
        # layout. Should it not fit after all, the forecast-and-probe search takes over below it.
        count = largest_packed(measure.candidates, self.pieces, self.column_heights, PACKING_MARGIN)
        if count and self.fill(count) > self.page_count:
            # The packing was off by what ran over, and by the room it thought was left: ask it
            # for that much room to spare. Should that miss too, the forecast-and-probe search.
            over = (self.fill(count) - self.page_count) * sum(self.column_heights[-self.columns:])
            missed = over + max(0.0, pack(self.pieces(count), self.column_heights))
            count = largest_packed(count - 1, self.pieces, self.column_heights, PACKING_MARGIN + missed)
            if count and self.fill(count) > self.page_count:
                count = self._largest_fitting(measure, below=count)
        if count == 0 and self.pages(0) > self.page_count:  # validate refuses guides whose fixed part cannot fit
            raise ValueError(f"{self.guide.id}: the fixed parts of the cheat sheet do not fit on "
                             f"{self.page_count} pages")
        return count, None

    def _largest_fitting(self, measure: Measure, below: int | None = None) -> int:
        def probe(count: int) -> tuple[bool, float]:
            fits = self.fill(count) <= self.page_count
            return fits, self._lost[(count, None)]

        return largest_fitting(len(self.ranking), measure, probe, below)

    def promised_pages(self, count: int, split: str | None) -> int:
        """The sheet's pages; one only when everything fits on the front (its footer then says
        "page 1 of 1"), with nothing for the back or all of it flowing on one page."""
        if split is not None:
            return self.split_pages(split)
        return 1 if count == len(self.ranking) and self.pages(count) == 1 else self.page_count

    def left_out(self, count: int) -> list[str]:
        """The must-know items the sheet leaves out, as `build` and `stats` list them."""
        return [describe(item) for item in self.kept(count).left_out()]

    def write(self, target: Path) -> str | None:
        """Write the PDF; return what the build should tell the author (the must-know items left out)."""
        count, split = self.chosen = self.choose()
        document = self._documents.get((count, split)) or self.render(count, split)
        sheet_check.require_fit(document, self.promised_pages(count, split), self.guide, self.paper,  # before anything is written
                                may_split={f"{kind} {item_id}" for kind, item_id in self.may_break})
        if scripts.keeps_words_whole(self.guide.language):  # the word joiners are for the layout only
            weasyprint_adapter.remove_from_bookmarks(document, scripts.WORD_JOINER)
        with pinned_font_clock(build_time(self.guide)):
            document.write_pdf(target, **PDF_OPTIONS)
        glyph_check.require_glyphs(target, self.guide)
        return omitted_report(self.guide, self.paper, self.left_out(count))


def sheet_stylesheets(language: str, fetcher, font_config) -> list[CSS]:
    """The sheet's stylesheet, then the fonts and typesetting of the language's script."""
    return [CSS(filename=str(STYLESHEET), url_fetcher=fetcher, font_config=font_config),
            CSS(string=scripts.stylesheet(language, "sheet", STYLESHEET.read_text(encoding="utf-8")),
                font_config=font_config)]


def warm_up(language: str) -> None:
    """Lay out, write and check a few words of the language as the sheet does, in a process that
    will lay out a sheet later (the preview's ready job): its fonts, hyphenation patterns and the
    glyph check's font maps are then loaded while it waits, before its workers fork."""
    import html
    import tempfile

    from exporter.text import glyphs, languages
    from exporter.text.i18n import Labels

    labels = Labels(language)
    words = html.escape(" ".join(labels.message(key) for key in ("sheet.duration", "sheet.format", "sheet.fee")))
    font_config, fetcher = FontConfiguration(), LocalOnlyFetcher()
    stylesheets = sheet_stylesheets(language, fetcher, font_config)
    page = (f'<html lang="{language}" dir="{languages.direction(language)}"><body class="full"><div class="flow front">'
            f'<ul class="concepts"><li><strong>{words}</strong> <em>{words}</em> <code>{words}</code> '
            f'{words} interoperability</li></ul></div></body></html>')
    with tempfile.TemporaryDirectory(prefix="sheet-warm-up-") as folder:
        target = Path(folder) / "warm-up.pdf"
        HTML(string=page, url_fetcher=fetcher).render(
            stylesheets=stylesheets, font_config=font_config).write_pdf(target, **PDF_OPTIONS)
        glyphs.missing_glyphs(target)
    glyphs.installed_code_points()  # the source's check that some font has each character


def omitted_report(guide: Guide, paper: str, left_out: list[str]) -> str | None:
    """One line naming the must-know items a sheet leaves out (None if it has them all)."""
    if not left_out:
        return None
    return (f"{guide.id}: the {paper} cheat sheet leaves out {len(left_out)} of {must_know(guide)} must-know "
            f"items (in the book and the deck): {', '.join(left_out)}")


def write(guide: Guide, target: Path, variant: str) -> str | None:
    """The sheet on paper `variant` (a key of PAPERS), written to `target` (the registry names the file);
    returns the line that names the must-know items it leaves out, if any.

    Each paper's selection and layout is independent of the other's: the build
    runs them as two jobs."""
    return CheatSheet(guide, variant).write(target)


def left_out_line(guide: Guide, variant: str) -> str:
    """What `stats` says of the sheet on paper `variant`: the must-know items it leaves out, or that it has them all."""
    sheet = CheatSheet(guide, variant)
    count, _ = sheet.choose()
    return omitted_report(guide, variant, sheet.left_out(count)) or (
        f"{guide.id}: the {variant} cheat sheet holds all {must_know(guide)} must-know items")
