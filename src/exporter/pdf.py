"""The printable cheat sheet: one sheet of paper, two pages, A4 and US Letter.

What goes on the sheet is chosen by rules, not by hand: every optional item
(key topic, concept, trap, pair, mistake, checklist item) gets a rank — each
domain's key topics and the checklist first, then tier 1 (with the pairs
and mistakes), 2, 3, each level shared out round-robin over the sections so that
no section starves — and the sheet holds the longest prefix of that ranking
that still lays out on two pages.

The prefix is found with few WeasyPrint layouts. One layout measures every
candidate item in a single tall column as wide as a column of the sheet (an
item's height depends only on its own text and the column width); summing
those heights forecasts how full any prefix makes the sheet. A real layout of
the forecast prefix checks it and, through its measured fill, corrects the
forecast for the room lost at column breaks; the sheet is written from that
same layout. Usually two or three layouts per sheet; when the forecast keeps
missing, the search bisects.
"""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

import jinja2

from . import bidi, glyphs, registry, sheet_check, weasyprint_adapter
from .i18n import N_, Labels, labels_for
from .markup import Text
from .model import ChecklistItem, Concept, Domain, Guide, Mistake, Pair, Trap
from .output import TEMPLATES_DIR, build_time, pinned_font_clock
from .sheet_room import COMPACT_CHART_ABOVE, width
from .weasyprint_adapter import CSS, HTML, Document, FontConfiguration, URLFetcher

PDF_TEMPLATES = TEMPLATES_DIR / "pdf"
PAGES = 2
# CSS page sizes, keyed by the artifact variants the registry declares.
PAPERS = {"a4": "A4", "letter": "letter"}
# Their width and height in CSS pixels (96 per inch), portrait.
PAPER_PIXELS = {"a4": (210 / 25.4 * 96, 297 / 25.4 * 96), "letter": (8.5 * 96, 11 * 96)}
COLUMNS = 3  # as cheatsheet.css sets it; the measuring layout checks that they agree
PDF_OPTIONS = {"pdf_variant": "pdf/ua-1", "pdf_identifier": True}
# Forecasts from text length, to bound what the measuring layout holds.
CHARACTERS_PER_PAGE = 10_500
SLOT_OVERHEAD = 40  # a bullet, a label and a part-filled last line
# The measuring layout holds about this many pages' worth of items: the two pages
# of the sheet hold about 2.2 by this count (AI-300), and each item measured costs.
MEASURED_PAGES = 2.5
# Room lost where a column breaks (CSS px, first guess): lines that must stay
# together move on and leave a gap. Measured 7 to 24 px on AI-300 and its
# ×10 and ×50 copies, about a line of body text.
LOST_PER_BREAK = 12.0
# A forecast this far (CSS px) past the capacity counts as a sure overflow:
# about two lines of body text. Closer calls are settled by a real layout.
SURE_OVERFLOW = 22.0
FORECAST_TRIES = 3  # then the search bisects


class LocalOnlyFetcher(URLFetcher):
    """Fetch only files under `templates/`; refuse the network and the rest."""

    def __init__(self, allowed: tuple[Path, ...] = (TEMPLATES_DIR,)):
        super().__init__(allowed_protocols=("file",))
        self.allowed = tuple(folder.resolve() for folder in allowed)
        self.refused: list[str] = []

    def fetch(self, url, headers=None):
        parts = urlsplit(url)
        path = Path(unquote(parts.path)).resolve() if parts.scheme == "file" else None
        if path is None or not any(path.is_relative_to(folder) for folder in self.allowed):
            self.refused.append(url)
            raise ValueError(f"refused to fetch {url}: only files under templates/ are allowed")
        return super().fetch(url, headers)


@dataclass(frozen=True)
class Slot:
    """One optional item of the sheet and its rank."""

    key: tuple[str, str]  # (kind, id): what the template asks about
    tier: int  # 0 for the exam-day essentials, else the item's own tier
    share: float  # how far down its own section it sits, from 0 to 1
    section: int  # order of its section on the sheet
    size: int  # characters of text: a cheap forecast of the room it takes

    @property
    def rank(self) -> tuple[int, float, int]:
        return (self.tier, self.share, self.section)


# The sections of the back side: the template starts a page before them when the sheet splits.
BACK_SECTIONS = ("pairs", "mistakes", "checklist")

# Each domain's key topics and the exam-ready checklist (a short, fixed list) go on the
# sheet before anything else.
ESSENTIAL = 0
FIRST_TIER = 1  # pairs and mistakes rank with tier 1: they grow with the guide


def ranked_slots(guide: Guide) -> list[Slot]:
    """Every optional item, most important first.

    Tier first (the key topics and the checklist before tier 1, the pairs and
    mistakes within tier 1); within a tier, a round-robin over the
    sections in proportion to their length, so a cut drops the same share of
    every section rather than emptying the last one.
    """
    slots: list[Slot] = []
    sections = 0

    def add(kind: str, items: list[tuple[str, int, tuple[Text, ...]]]) -> None:
        nonlocal sections
        for tier in (ESSENTIAL, 1, 2, 3):
            of_tier = [(item_id, texts) for item_id, item_tier, texts in items if item_tier == tier]
            for position, (item_id, texts) in enumerate(of_tier):
                size = sum(len(text) for text in texts)  # the source text: no need to render it
                slots.append(Slot((kind, item_id), tier, position / len(of_tier), sections, size))
            sections += 1

    for domain in guide.domains:
        add("topic", [(f"{domain.id}/{k}", ESSENTIAL, (topic,)) for k, topic in enumerate(domain.key_topics)])
        add("concept", [(c.id, c.tier, (c.term, c.text)) for c in domain.concepts])
        add("trap", [(t.id, t.tier, (t.myth, t.truth)) for t in domain.traps])
    add("pair", [(p.id, FIRST_TIER, (p.a.name, p.a.use_when, p.b.name, p.b.use_when, p.trap)) for p in guide.pairs])
    add("mistake", [(m.id, FIRST_TIER, (m.title, m.text)) for m in guide.mistakes])
    add("check", [(c.id, ESSENTIAL, (c.text,)) for c in guide.checklist])
    return sorted(slots, key=lambda slot: slot.rank)


@dataclass(frozen=True)
class Kept:
    """The items of a guide that made it onto the sheet, in source order."""

    guide: Guide
    keys: frozenset[tuple[str, str]]

    def topics(self, domain: Domain) -> list[Text]:
        return [topic for k, topic in enumerate(domain.key_topics) if ("topic", f"{domain.id}/{k}") in self.keys]

    def concepts(self, domain: Domain) -> list[Concept]:
        return [c for c in domain.concepts if ("concept", c.id) in self.keys]

    def traps(self, domain: Domain) -> list[Trap]:
        return [t for t in domain.traps if ("trap", t.id) in self.keys]

    def pairs(self) -> list[Pair]:
        return [p for p in self.guide.pairs if ("pair", p.id) in self.keys]

    def mistakes(self) -> list[Mistake]:
        return [m for m in self.guide.mistakes if ("mistake", m.id) in self.keys]

    def checklist(self) -> list[ChecklistItem]:
        return [c for c in self.guide.checklist if ("check", c.id) in self.keys]

    def omitted_domains(self) -> list[int]:
        """The numbers of the domains of which nothing made it onto the sheet."""
        return [domain.number for domain in self.guide.domains
                if not (self.topics(domain) or self.concepts(domain) or self.traps(domain))]

    def back_side(self) -> bool:
        """Whether anything goes on the back side (pairs, mistakes, checklist)."""
        return bool(self.pairs() or self.mistakes() or self.checklist())


@dataclass
class Measure:
    """Item heights from one layout in a single tall column, and the room on the sheet.

    Heights are CSS pixels. `height(n)` forecasts how tall the flow of the
    first n ranked items is, the columns laid end to end, before the room
    lost at column breaks.
    """

    candidates: int  # how many ranked items the measuring layout held
    capacity: float  # the columns of both pages laid end to end
    heights: list[float]  # heights[n]: forecast for the first n ranked items
    breaks: int = COLUMNS * PAGES - 1  # column breaks on the sheet, where room is lost
    # With every item measured: whether each side fits its own page (the layout
    # that gives the back side a page of its own), by the same forecast.
    sides_fit: bool = False

    def largest_within(self, room: float, low: int, high: int) -> int:
        """The largest n in low..high with heights[n] <= room (low if none)."""
        n = bisect.bisect_right(self.heights, room, low, high + 1) - 1
        return max(low, n)


class CheatSheet:
    """Lays out one guide on one paper size, with a chosen subset of its items."""

    def __init__(self, guide: Guide, paper: str):
        self.guide = guide
        self.paper = paper
        self.ranking = ranked_slots(guide)
        self.fetcher = LocalOnlyFetcher()
        self.font_config = FontConfiguration()
        # Parsed once, shared by every layout of this sheet.
        main = CSS(filename=str(PDF_TEMPLATES / "cheatsheet.css"), url_fetcher=self.fetcher,
                   font_config=self.font_config)
        width, height = PAPER_PIXELS[paper]
        self.labels = labels_for(guide)
        page = CSS(string=f"@page {{ size: {PAPERS[paper]} portrait; @bottom-right {{ content: "
                          f"{page_number_content(self.labels)}; }} }}", font_config=self.font_config)
        self.stylesheets = [main, page]
        # Tall enough for MEASURED_PAGES pages of columns in one column, and then some.
        self.measure_stylesheets = [
            main, CSS(string=f"@page {{ size: {width}px {height * COLUMNS * MEASURED_PAGES * 4}px; }}",
                      font_config=self.font_config)]
        self.template = _environment(self.labels).get_template("cheatsheet.html.j2")
        self._fills: dict[tuple[int, bool], float] = {}
        self._lost: dict[tuple[int, bool], float] = {}
        self._documents: dict[tuple[int, bool], Document] = {}
        self.measures = 0

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
            if not self._fills and weasyprint_adapter.column_count(document) != COLUMNS:
                raise ValueError(f"cheatsheet.css sets {weasyprint_adapter.column_count(document)} columns, "
                                 f"pdf.COLUMNS {COLUMNS}: make them agree")
            self._fills[key] = weasyprint_adapter.fill(document)
            self._lost[key] = weasyprint_adapter.lost_at_breaks(document, PAGES * COLUMNS - 1)
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
        capacity = COLUMNS * (front + content * (PAGES - 1))
        sides_fit = False
        if candidates == len(self.ranking):
            back = sum(sections[index][0] for section_id, index in section_ids.items() if section_id in BACK_SECTIONS)
            lost = LOST_PER_BREAK * (COLUMNS - 1)
            sides_fit = (total - back + lost <= COLUMNS * front) and (back + lost <= COLUMNS * content)
        return Measure(candidates, capacity, heights, sides_fit=sides_fit)

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
        glyphs.require_glyphs(target, self.guide)
        return count


def write(guide: Guide, target: Path, variant: str) -> None:
    """The sheet on paper `variant` (a key of PAPERS), written to `target` (the registry names the file).

    Each paper's selection and layout is independent of the other's: the build
    runs them as two jobs."""
    CheatSheet(guide, variant).write(target)


def export(guide: Guide, out_dir: Path) -> list[Path]:
    """Both papers' sheets, one after the other, written atomically into `out_dir`."""
    return registry.EXPORTERS["pdf"].export(guide, out_dir)


def largest_fitting(total: int, measure: Measure, probe: Callable[[int], tuple[bool, float]]) -> int:
    """The largest n in 0..total whose layout fits on the pages, probing where the forecast points.

    `measure` forecasts the height of any prefix of the ranking (from one
    measuring layout); `probe(n)` lays out the first n items and tells whether
    they fit and how much room the column breaks lost. That loss corrects the
    next forecast; after FORECAST_TRIES probes the search bisects. 0 if nothing
    fits (the caller tells that case apart).
    """
    low, high = 0, total + 1  # low fits (once verified), high does not
    verified, probes = False, 0
    lost = lost_at_low = LOST_PER_BREAK * measure.breaks
    while high - low > 1:
        if verified and low + 1 <= measure.candidates and (
                measure.heights[low + 1] + lost_at_low > measure.capacity + SURE_OVERFLOW):
            break  # the next item surely does not fit
        if high - low <= 3 and high <= total:
            count = high - 1  # a narrow bracket: if this one fits, it is the answer
        elif probes < FORECAST_TRIES:
            count = measure.largest_within(measure.capacity - lost, low, min(high - 1, measure.candidates))
            if verified or high - 1 > measure.candidates:
                count = min(max(count, low + 1), high - 1)
        elif high > total:
            count = min(total, 2 * low + 1)
        else:
            count = (low + high) // 2
        probes += 1
        fits, lost = probe(count)
        if fits:
            low, verified, lost_at_low = count, True, lost
        else:
            high = count
    return low


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


def domain_anchor(domain: Domain) -> str:
    """A domain's section on the sheet. The dot, which ids cannot hold, keeps it apart
    from the fixed sections (`exam`, `weights`, `pairs`...) whatever the domain's id."""
    return f"domain.{domain.id}"


def _environment(labels: Labels) -> jinja2.Environment:
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
    environment.filters["w3c"] = _w3c_date
    return environment


def _w3c_date(moment: dt.datetime) -> str:
    return moment.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
