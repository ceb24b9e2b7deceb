"""The printable cheat sheet: one sheet of paper, two pages, A4 and US Letter.

What goes on the sheet is chosen by rules, not by hand: every optional item
(key topic, concept, trap, pair, mistake, checklist item) gets a rank — tier
first, then a round-robin over the sections so that no section starves — and
the sheet holds the longest prefix of that ranking that still lays out on two
pages. The prefix length is found by a galloping then binary search over real
WeasyPrint layouts, so a guide fifty times larger costs only a few more layouts.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

import jinja2
from markupsafe import Markup
from weasyprint import CSS, HTML
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
    tier: int
    position: int  # index within its own section
    section: int  # order of its section on the sheet

    @property
    def rank(self) -> tuple[int, int, int]:
        return (self.tier, self.position, self.section)


def ranked_slots(guide: Guide) -> list[tuple[str, str]]:
    """Every optional item, most important first: by tier, then round-robin over sections."""
    slots: list[Slot] = []
    sections = 0

    def add(kind: str, items: list[tuple[str, int]]) -> None:
        nonlocal sections
        for tier in (1, 2, 3):
            of_tier = [item_id for item_id, item_tier in items if item_tier == tier]
            for position, item_id in enumerate(of_tier):
                slots.append(Slot((kind, item_id), tier, position, sections))
            sections += 1

    for domain in guide.domains:
        add("topic", [(f"{domain.id}/{k}", 1) for k in range(len(domain.key_topics))])
        add("concept", [(c.id, c.tier) for c in domain.concepts])
        add("trap", [(t.id, t.tier) for t in domain.traps])
    # Items without a tier are part of the exam-day essentials: tier 1.
    add("pair", [(p.id, 1) for p in guide.pairs])
    add("mistake", [(m.id, 1) for m in guide.mistakes])
    add("check", [(c.id, 1) for c in guide.checklist])
    return [slot.key for slot in sorted(slots, key=lambda slot: slot.rank)]


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
        self._page_counts: dict[tuple[int, bool], int] = {}

    def html(self, count: int, split: bool) -> str:
        return self.template.render(
            guide=self.guide,
            kept=Kept(self.guide, frozenset(self.ranking[:count])),
            split=split,
            paper=self.paper,
            built=build_time(self.guide),
            hidden=len(self.ranking) - count,
        )

    def render(self, count: int, split: bool):
        document = HTML(string=self.html(count, split), base_url=str(PDF_TEMPLATES) + "/",
                        url_fetcher=self.fetcher)
        return document.render(stylesheets=self.stylesheets, font_config=self.font_config, **PDF_OPTIONS)

    def pages(self, count: int, split: bool = False) -> int:
        key = (count, split)
        if key not in self._page_counts:
            self._page_counts[key] = len(self.render(count, split).pages)
        return self._page_counts[key]

    def layouts(self) -> int:
        """How many layouts the selection needed (for the benchmark)."""
        return len(self._page_counts)

    def choose(self) -> tuple[int, bool]:
        """The number of ranked items to show, and whether the back side starts on page 2."""
        total = len(self.ranking)
        if self.pages(0) > PAGES:
            raise ValueError(f"{self.guide.id}: the fixed parts of the cheat sheet do not fit on {PAGES} pages")
        count = self._most_that_fit(total)
        if count == total and self.pages(total, split=True) == PAGES:
            return total, True  # everything fits: front and back sides each get their own page
        if self.pages(count) != PAGES:
            raise ValueError(f"{self.guide.id}: the cheat sheet cannot be laid out on exactly {PAGES} pages")
        return count, False

    def _most_that_fit(self, total: int) -> int:
        # Gallop up from a small prefix, so each trial layout stays near two pages long.
        fits, step = 0, 16
        while fits < total:
            trial = min(total, fits + step)
            if self.pages(trial) > PAGES:
                too_many = trial
                break
            fits, step = trial, step * 2
        else:
            return total
        while too_many - fits > 1:
            middle = (fits + too_many) // 2
            if self.pages(middle) <= PAGES:
                fits = middle
            else:
                too_many = middle
        return fits

    def write(self, target: Path) -> None:
        count, split = self.choose()
        self.render(count, split).write_pdf(target, **PDF_OPTIONS)


def export(guide: Guide, out_dir: Path) -> list[Path]:
    font_config = FontConfiguration()
    paths = []
    for paper in PAPERS:
        final = Path(out_dir) / f"{guide.id}-cheatsheet-{paper}.pdf"
        with atomic_output(final) as temp:
            CheatSheet(guide, paper, font_config).write(temp)
        paths.append(final)
    return paths


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
