"""The printable cheat sheet: one sheet of paper, two pages, A4 and US Letter.

What goes on the sheet is chosen by rules, not by hand: every optional item
(key topic, concept, trap, pair, mistake, checklist item) gets a rank — the
exam-day essentials, then tier 1, 2, 3, each level shared out round-robin over
the sections so that no section starves — and the sheet holds the longest
prefix of that ranking that still lays out on two pages. The prefix is found
with a few real WeasyPrint layouts (interpolation on the measured fill, with a
bisection fallback), so a guide fifty times larger costs about as many.
"""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
import math
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

import jinja2
from markupsafe import Markup
from weasyprint import CSS, HTML
from weasyprint.document import Document
from weasyprint.formatting_structure.boxes import LineBox
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher

from .markup import Text
from .model import ChecklistItem, Concept, Domain, Guide, Mistake, Pair, Trap
from .output import TEMPLATES_DIR, atomic_output, build_time

PDF_TEMPLATES = TEMPLATES_DIR / "pdf"
SOURCES_DIR = TEMPLATES_DIR.parent / "sources"
PAGES = 2
# CSS page sizes, keyed by the artifact suffix the registry uses.
PAPERS = {"a4": "A4", "letter": "letter"}
PDF_OPTIONS = {"pdf_variant": "pdf/ua-1", "pdf_identifier": True}
# Forecasts for the first layout of the search; measured layouts correct them.
CHARACTERS_PER_PAGE = 10_500
SLOT_OVERHEAD = 40  # a bullet, a label and a part-filled last line


class LocalOnlyFetcher(URLFetcher):
    """Fetch only files under `templates/` and `sources/`; refuse the network and the rest."""

    def __init__(self, allowed: tuple[Path, ...] = (TEMPLATES_DIR, SOURCES_DIR)):
        super().__init__(allowed_protocols=("file",))
        self.allowed = tuple(folder.resolve() for folder in allowed)
        self.refused: list[str] = []

    def fetch(self, url, headers=None):
        parts = urlsplit(url)
        path = Path(unquote(parts.path)).resolve() if parts.scheme == "file" else None
        if path is None or not any(path.is_relative_to(folder) for folder in self.allowed):
            self.refused.append(url)
            raise ValueError(f"refused to fetch {url}: only files under templates/ and sources/ are allowed")
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


# Short lists the issue asks for by name; they go on the sheet before any concept.
ESSENTIAL = 0


def ranked_slots(guide: Guide) -> list[Slot]:
    """Every optional item, most important first.

    Tier first (the essentials before tier 1); within a tier, a round-robin over
    the sections in proportion to their length, so a cut drops the same share
    of every section rather than emptying the last one.
    """
    slots: list[Slot] = []
    sections = 0

    def add(kind: str, items: list[tuple[str, int, tuple[Text, ...]]]) -> None:
        nonlocal sections
        for tier in (ESSENTIAL, 1, 2, 3):
            of_tier = [(item_id, texts) for item_id, item_tier, texts in items if item_tier == tier]
            for position, (item_id, texts) in enumerate(of_tier):
                size = sum(len(text.plain) for text in texts)
                slots.append(Slot((kind, item_id), tier, position / len(of_tier), sections, size))
            sections += 1

    for domain in guide.domains:
        add("topic", [(f"{domain.id}/{k}", ESSENTIAL, (topic,)) for k, topic in enumerate(domain.key_topics)])
        add("concept", [(c.id, c.tier, (c.term, c.text)) for c in domain.concepts])
        add("trap", [(t.id, t.tier, (t.myth, t.truth)) for t in domain.traps])
    add("pair", [(p.id, ESSENTIAL, (p.a.name, p.a.use_when, p.b.name, p.b.use_when, p.trap)) for p in guide.pairs])
    add("mistake", [(m.id, ESSENTIAL, (m.title, m.text)) for m in guide.mistakes])
    add("check", [(c.id, ESSENTIAL, (c.text,)) for c in guide.checklist])
    return sorted(slots, key=lambda slot: slot.rank)


def largest_fitting(total: int, fill: Callable[[int], float], sizes: list[int], limit: float,
                    first_guess: int) -> int:
    """The largest n in 0..total with fill(n) <= limit, given that fill(0) <= limit.

    `fill` is costly (a layout) and grows with n, roughly in proportion to the
    cumulative `sizes`. Probes are placed by interpolating fill against that
    cumulative size. After two probes in a row that failed to halve the
    bracket, the next probe is the midpoint, and without an upper bound yet
    the step at least doubles, so the number of probes stays logarithmic
    even when the forecast is poor.
    """
    cumulative = list(itertools.accumulate(sizes, initial=0))
    start = fill(0)

    def prefix_for(size: float) -> int:
        return bisect.bisect_right(cumulative, size) - 1

    fits, fits_fill = 0, start
    too_many, too_many_fill = None, None
    probe, step, slow, interpolated = first_guess, 1, 0, False
    while too_many is None or too_many - fits > 1:
        before = (too_many or total + 1) - fits
        probe = max(fits + 1, min(probe, total if too_many is None else too_many - 1))
        measured = fill(probe)
        if measured <= limit:
            fits, fits_fill = probe, measured
            if fits == total:
                return total
        else:
            too_many, too_many_fill = probe, measured
        if too_many is None:
            rate = (fits_fill - start) / cumulative[fits] if cumulative[fits] else 0.0
            forecast = prefix_for((limit - start) / rate) if rate > 0 else 0
            # Grow at least by a doubling step, at most fourfold: an overshoot costs a long layout.
            probe, step = min(max(forecast, fits + step), 4 * fits + step), step * 2
            continue
        # Two interpolations in a row that did not halve the bracket: bisect once.
        slow = slow + 1 if interpolated and 2 * (too_many - fits) > before else 0
        interpolated = slow < 2
        if not interpolated:
            probe, slow = (fits + too_many) // 2, 0
        else:
            share = (limit - fits_fill) / (too_many_fill - fits_fill)
            probe = prefix_for(cumulative[fits] + share * (cumulative[too_many] - cumulative[fits]))
    return fits


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


class CheatSheet:
    """Lays out one guide on one paper size, with a chosen subset of its items."""

    def __init__(self, guide: Guide, paper: str, font_config: FontConfiguration | None = None):
        self.guide = guide
        self.paper = paper
        self.ranking = ranked_slots(guide)
        self.fetcher = LocalOnlyFetcher()
        self.font_config = font_config or FontConfiguration()
        self.stylesheets = [
            CSS(filename=str(PDF_TEMPLATES / "cheatsheet.css"), url_fetcher=self.fetcher,
                font_config=self.font_config),
            CSS(string=f"@page {{ size: {PAPERS[paper]} portrait; }}", font_config=self.font_config),
        ]
        self.template = _environment().get_template("cheatsheet.html.j2")
        self._fills: dict[tuple[int, bool], float] = {}
        self._documents: dict[tuple[int, bool], Document] = {}

    def html(self, count: int, split: bool) -> str:
        return self.template.render(
            guide=self.guide,
            kept=Kept(self.guide, frozenset(slot.key for slot in self.ranking[:count])),
            split=split,
            built=build_time(self.guide),
        )

    def render(self, count: int, split: bool):
        document = HTML(string=self.html(count, split), base_url=str(PDF_TEMPLATES) + "/",
                        url_fetcher=self.fetcher)
        return document.render(stylesheets=self.stylesheets, font_config=self.font_config, **PDF_OPTIONS)

    def fill(self, count: int, split: bool = False) -> float:
        """Pages filled by a layout of the first `count` ranked items: 1.5 is one page and a half."""
        key = (count, split)
        if key not in self._fills:
            document = self.render(count, split)
            self._fills[key] = _fill(document)
            # The chosen layout is among the last probed ones: keep those, not all.
            self._documents[key] = document
            while len(self._documents) > 3:
                del self._documents[next(iter(self._documents))]
        return self._fills[key]

    def pages(self, count: int, split: bool = False) -> int:
        return math.ceil(self.fill(count, split))

    def layouts(self) -> int:
        """How many layouts the selection needed (for the benchmark)."""
        return len(self._fills)

    def choose(self, first_guess: int | None = None) -> tuple[int, bool]:
        """How many ranked items to show, and whether the back side starts on page 2.

        `first_guess` might be the count chosen for the other paper size.
        """
        total = len(self.ranking)
        if self.pages(0) > PAGES:
            raise ValueError(f"{self.guide.id}: the fixed parts of the cheat sheet do not fit on {PAGES} pages")
        sizes = [slot.size + SLOT_OVERHEAD for slot in self.ranking]
        if first_guess is None:
            first_guess = bisect.bisect_right(list(itertools.accumulate(sizes)), PAGES * CHARACTERS_PER_PAGE)
        count = largest_fitting(total, self.fill, sizes, PAGES, first_guess)
        if count == total and self.pages(total, split=True) == PAGES:
            return total, True  # everything fits: the back side gets a page of its own
        if self.pages(count) != PAGES:
            raise ValueError(f"{self.guide.id}: the cheat sheet cannot be laid out on exactly {PAGES} pages")
        return count, False

    def write(self, target: Path, first_guess: int | None = None) -> int:
        """Write the PDF; return how many ranked items it shows."""
        count, split = self.choose(first_guess)
        document = self._documents.get((count, split)) or self.render(count, split)
        document.write_pdf(target, **PDF_OPTIONS)
        return count


def export(guide: Guide, out_dir: Path) -> list[Path]:
    font_config = FontConfiguration()
    paths, shown = [], None
    for paper in PAPERS:
        final = Path(out_dir) / f"{guide.id}-cheatsheet-{paper}.pdf"
        with atomic_output(final) as temp:
            # The papers hold about as much: one's count is a good first guess for the other.
            shown = CheatSheet(guide, paper, font_config).write(temp, first_guess=shown)
        paths.append(final)
    return paths


def _fill(document) -> float:
    """Pages filled, counting the last page by how far its columns are filled.

    Columns fill one after the other (`column-fill: auto`), so the last line
    of the last page, located by its column and its height, says how much of
    that page is used.
    """
    page = document.pages[-1]._page_box  # WeasyPrint's laid-out boxes: no public API for them
    top, height = page.content_box_y(), page.height
    left, width = page.content_box_x(), page.width
    boxes = list(page.children[0].descendants())
    columns = next((box.style["column_count"] for box in boxes if box.style["column_count"] != "auto"), 1)
    used = 0.0
    for box in boxes:
        if isinstance(box, LineBox):
            column = min(columns - 1, int((box.position_x - left) / width * columns))
            depth = (box.position_y + box.height - top) / height
            used = max(used, (column + min(1.0, depth)) / columns)
    # A page exists even if empty of lines: count it as barely used, not as unused.
    return len(document.pages) - 1 + max(used, 1e-6)


def _environment() -> jinja2.Environment:
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(PDF_TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters["md"] = lambda text: Markup(text.html)
    environment.filters["w3c"] = _w3c_date
    return environment


def _w3c_date(moment: dt.datetime) -> str:
    return moment.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
