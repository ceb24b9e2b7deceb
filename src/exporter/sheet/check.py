"""The build's own check of each laid-out cheat sheet, before it is written.

After the final layout of a paper, every run of text is checked against the
boxes that must hold it: a line and its text inside its column (the masthead
inside the page's content area, the footer inside its margin box), no run of
text printed over another, no item that must stay whole (a pair's table, a
top mistake, a checklist line) split across columns, and the number of pages
the selection settled on. A sheet that breaks any of these is not written: the build stops with one
problem per offence, naming the guide's file, the line of the item whose text
overflows and the word that did not fit.

The boxes come from `weasyprint_adapter.read_text`; this module knows only
rectangles and the guide.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from exporter.model.guide import Guide
from exporter.model.problems import FieldPath, FieldProblem, GuideProblems
from exporter.model.walk import at, first_text_with
from exporter.sheet.weasyprint.adapter import PageText, Rect, TextRun, read_text

# Layout arithmetic leaves rounding errors of a thousandth of a pixel; a glyph
# past its column by this much (CSS px, a fiftieth of a millimetre) is no error.
TOLERANCE = 0.08
# Text boxes of one line touch; of neighbour lines they share an edge. Only an
# overlap this deep both ways (CSS px, about a fifth of a letter) is text over text.
OVERLAP = 1.5
MM = 96 / 25.4
# What surrounds a word but is not part of it, and WeasyPrint's hyphen at a break.
EDGE_PUNCTUATION = "\u2010.,;:!?()[]{}\"'«»“”„‘’·…"
SLOT_LISTS = {"concept": "concepts", "trap": "traps"}  # kinds held by each domain
GUIDE_LISTS = {"pair": "pairs", "mistake": "mistakes", "check": "checklist"}
# Said of text that is no field of the guide: a fixed label, which only `labels:` can reword.
FIXED_LABEL_HINT = " (a fixed label: reword it under `labels:` in the guide)"
# Items the sheet never splits across columns, as the check names them.
UNSPLITTABLE = {"pair": "table of a confusable pair", "mistake": "top mistake", "check": "checklist line"}


def problems(pages: list[PageText], expected_pages: int, guide: Guide, paper: str,
             may_split: frozenset[str] | set[str] = frozenset()) -> list[FieldProblem]:
    """Every way the laid-out sheet breaks its rules, named by the guide's field behind it.
    `may_split`: the items ("kind id") too tall to keep whole, which may continue in the next column."""
    found: list[FieldProblem] = []
    if len(pages) != expected_pages:
        found.append(FieldProblem((), f"the {paper} cheat sheet was laid out on {len(pages)} pages, "
                                      f"not the {expected_pages} it promises", label="(sheet)"))
    seen: set[tuple[FieldPath, str, str]] = set()

    def add(run: TextRun, word: str, message: str) -> None:
        problem = _problem(guide, run, word, message)
        if (problem.path, problem.label, word) not in seen:  # a word too long on both pages: once
            seen.add((problem.path, problem.label, word))
            found.append(problem)

    for item, places in _split_items(pages).items():
        if item in may_split:
            continue
        kind, _, _ = item.partition(" ")
        run = places[0][2]
        where = " and ".join(f"page {page} column {column + 1}" for page, column, _ in places)
        add(run, _last_word(run.text), f"on the {paper} cheat sheet the {UNSPLITTABLE[kind]} is split "
                                      f"across columns ({where}): its parts must stay in one column")
    for number, page in enumerate(pages, 1):
        outside = list(_outside(page))
        for run, area, where in outside:
            word = _overflowing_word(run, area)
            add(run, word, f"on the {paper} cheat sheet (page {number}) the word {word!r} runs "
                           f"{_distance(run, area):.1f} mm past {where}: shorten it, or give it a space "
                           f"or hyphen where it may break")
        overflowing = {id(run) for run, _, _ in outside}
        for first, second in _overlapping(page.runs):
            if id(first) in overflowing or id(second) in overflowing:
                continue  # the overflow said it already
            # The text of an item is the author's to change, a fixed label is not.
            culprit, other = (second, first) if first.slot is None and second.slot is not None else (first, second)
            add(culprit, _last_word(culprit.text), f"on the {paper} cheat sheet (page {number}) "
                                                   f"{culprit.text.strip()[:40]!r} is printed over "
                                                   f"{other.text.strip()[:40]!r}")
    return found  # in layout order; the source map sorts them by line


def _split_items(pages: list[PageText]) -> dict[str, list[tuple[int, int, TextRun]]]:
    """Items that must stay whole (a pair's table: its names, both cells and its trap) whose
    text is found in more than one column, with the first run in each."""
    places: dict[str, dict[tuple[int, int], TextRun]] = {}
    for number, page in enumerate(pages, 1):
        for run in page.runs:
            if run.slot and run.column is not None and run.slot.partition(" ")[0] in UNSPLITTABLE:
                places.setdefault(run.slot, {}).setdefault((number, run.column), run)
    return {slot: [(page, column, run) for (page, column), run in found.items()]
            for slot, found in places.items() if len(found) > 1}


def _outside(page: PageText) -> Iterator[tuple[TextRun, Rect, str]]:
    """Each run whose text or line leaves the box that must hold it, with that box."""
    columns = sorted(page.columns, key=lambda column: column.left)
    gap = min((b.left - a.right for a, b in zip(columns, columns[1:])), default=0.0)
    for run in page.runs:
        if run.margin_box is not None:
            area, where = run.margin_box, "the footer's box"
        elif run.column is not None and run.marker:
            # A list's number hangs outside its item by design: into the column gap, never
            # as far as the rule in its middle, nor into the page margin.
            column = page.columns[run.column]
            area = Rect(max(page.content.left, column.left - gap / 2), column.top,
                        min(page.content.right, column.right + gap / 2), column.bottom)
            where = f"the middle of the gap beside column {run.column + 1}"
        elif run.column is not None:
            area, where = page.columns[run.column], f"the edge of column {run.column + 1}"
        else:
            area, where = page.content, "the page margin"
        # The page's content area bounds every column top and bottom; the footer sits below it.
        bounds = area if run.margin_box is not None else Rect(area.left, page.content.top, area.right,
                                                                 page.content.bottom)
        # Across, the text and its line; down, the line: a font's box may be taller than its line.
        if not (_within(run.box.left, run.box.right, bounds.left, bounds.right)
                and _within(run.line.left, run.line.right, bounds.left, bounds.right)
                and _within(run.line.top, run.line.bottom, bounds.top, bounds.bottom)):
            yield run, bounds, where


def _within(low: float, high: float, start: float, end: float) -> bool:
    return low >= start - TOLERANCE and high <= end + TOLERANCE


def _distance(run: TextRun, area: Rect) -> float:
    box, line = run.box, run.line
    return max(area.left - box.left, box.right - area.right, area.left - line.left, line.right - area.right,
               area.top - line.top, line.bottom - area.bottom) / MM


def _overflowing_word(run: TextRun, area: Rect) -> str:
    """The word of the run that crosses the edge, found by its share of the run's characters."""
    text, box = run.text, run.box
    words = [(match.start(), match.end()) for match in re.finditer(r"\S+", text)]
    width = box.right - box.left
    if box.right > area.right + TOLERANCE and width > 0:
        share = (area.right - box.left) / width  # of the run, from its left end, inside the column
    elif box.left < area.left - TOLERANCE and width > 0:
        share = (area.left - box.left) / width
    else:  # above or below the page: the line's first word is as good as any
        share = 1.0 if run.right_to_left else 0.0
    # Right to left, the run's first character is at its right end.
    at = (1 - share if run.right_to_left else share) * len(text)
    chosen = next((word for word in words if word[0] <= at < word[1]), None)
    if chosen is None:  # in a space: the longest word, which cannot break
        chosen = max(words, key=lambda word: word[1] - word[0])
    return text[chosen[0]:chosen[1]].strip(EDGE_PUNCTUATION) or text[chosen[0]:chosen[1]]


def _last_word(text: str) -> str:
    words = text.split()
    return (max(words, key=len).strip(EDGE_PUNCTUATION) or words[0]) if words else text


def _overlapping(runs: list[TextRun]) -> Iterator[tuple[TextRun, TextRun]]:
    """Pairs of runs printed over each other: a sweep from the top of the page down.

    A run spans its text's width and its line's height: a font's own box may be
    taller than the line (CJK faces are), and lines set that close do not collide.
    """
    active: list[TextRun] = []
    for run in sorted(runs, key=lambda run: (run.line.top, run.box.left)):
        active = [other for other in active if other.line.bottom - OVERLAP > run.line.top]
        for other in active:
            width = min(run.box.right, other.box.right) - max(run.box.left, other.box.left)
            height = min(run.line.bottom, other.line.bottom) - max(run.line.top, other.line.top)
            if width > OVERLAP and height > OVERLAP:
                yield other, run
        active.append(run)


def _problem(guide: Guide, run: TextRun, word: str, message: str) -> FieldProblem:
    """The problem, named by the field whose text holds the word in the run's item if it has
    one, else by the field the run's text is part of (the exam box, a title), if any."""
    item = _item_path(guide, run.slot) if run.slot else None
    if item is not None:
        field = first_text_with(at(guide, item), item, lambda text: word in text.plain or word in text) or item
    else:
        # Text outside any item (the exam box, a title): the field whose text the run is part
        # of, not merely one that has the word; a fixed label is no field of the guide.
        fragment = _fragment(run.text)
        field = first_text_with(guide, (), lambda text: fragment in text.plain or fragment in text)
    if field is None:
        return FieldProblem((), message + FIXED_LABEL_HINT, label="(sheet)")
    return FieldProblem(field, message, words=word)


def _fragment(text: str) -> str:
    """A run's text as it is written in the source: without the hyphen the layout adds at a break."""
    return " ".join(text.split()).rstrip("\u2010").strip()


def _item_path(guide: Guide, slot: str) -> FieldPath | None:
    kind, _, item_id = slot.partition(" ")
    if kind in SLOT_LISTS:
        for d, domain in enumerate(guide.domains):
            for k, item in enumerate(getattr(domain, SLOT_LISTS[kind])):
                if item.id == item_id:
                    return ("domains", d, SLOT_LISTS[kind], k)
    elif kind in GUIDE_LISTS:
        for k, item in enumerate(getattr(guide, GUIDE_LISTS[kind])):
            if item.id == item_id:
                return (GUIDE_LISTS[kind], k)
    return None


def require_fit(document, expected_pages: int, guide: Guide, paper: str,
                may_split: frozenset[str] | set[str] = frozenset()) -> None:
    """Raise GuideProblems if the laid-out `document` breaks the sheet's rules (see `problems`)."""
    found = problems(read_text(document), expected_pages, guide, paper, may_split)
    if found:
        raise GuideProblems(found)
