"""WeasyPrint as the cheat sheet uses it: the one module that knows its internals.

Everything of WeasyPrint beyond its public API is here: how it is imported,
the faster column layout, and reading the laid-out boxes (page boxes, line
boxes, columns, the items the template marks with `data-slot`). All of it was
written against WeasyPrint 70.0 (`PINNED`); on any other version the column
speed-up is left out (same output, slower) and the box reading still tries,
failing with a message that names the version, not an AttributeError.

**Loading its libraries.** WeasyPrint opens GObject, Pango, HarfBuzz and
fontconfig through cffi, trying several names for each. For every name that is
not a file, cffi asks `ctypes.util.find_library`, which on Linux runs ldconfig,
gcc and ld in subprocesses: 0.2 s of a 0.45 s import, in every build. The names
WeasyPrint tries include each library's soname (`libpango-1.0.so.0`), which the
dynamic loader finds by itself; so on Linux the lookups answer "not found" at
once. Should no name load that way, WeasyPrint is imported again the usual way.

**A wasted pass in multi-column layout.** See `sheet/weasyprint/columns.py`.

**Fonts of one description merged.** Two font files that Pango describes alike
became one PDF font, drawn with the first file's outlines: `_add_font_by_face`.
On any version but PINNED it is left out, and the build's glyph check
(text/glyphs.py) refuses the sheets it would spoil. docs/weasyprint-upstream-report.md
has all four, as reported upstream.

**A line that fits but for its ending space.** A text before an inline element,
ending in a space, was cut after its first word when only that space overflowed
the line: `_split_first_line_with_hanging_space`.
"""

from __future__ import annotations

import contextlib
import ctypes.util
import hashlib
import importlib
import io
import sys
from collections.abc import Iterator
from dataclasses import dataclass

from exporter.sheet.fill_search import Piece

PINNED = "70.0"  # the version this module reads the internals of; pyproject.toml pins it


def _import_weasyprint() -> None:
    if sys.platform.startswith("linux") and "weasyprint" not in sys.modules:
        find_library = ctypes.util.find_library
        ctypes.util.find_library = lambda name: None
        try:
            with contextlib.redirect_stdout(io.StringIO()):  # WeasyPrint prints its install help on failure
                importlib.import_module("weasyprint")
            return
        except OSError:
            for name in [name for name in sys.modules if name.split(".")[0] == "weasyprint"]:
                del sys.modules[name]
        finally:
            ctypes.util.find_library = find_library
    importlib.import_module("weasyprint")


_import_weasyprint()

import weasyprint  # noqa: E402  (imported above, the fast way)
import weasyprint.layout.block as _block  # noqa: E402
import weasyprint.layout.column as _column  # noqa: E402
import weasyprint.layout.inline as _inline  # noqa: E402
import weasyprint.pdf.stream as _stream  # noqa: E402
import weasyprint.text.line_break as _line_break  # noqa: E402
from weasyprint import CSS, HTML  # noqa: E402, F401  (the public API, for sheet/pdf.py)
from weasyprint.document import Document  # noqa: E402, F401
from weasyprint.formatting_structure.boxes import LineBox, MarginBox, TextBox  # noqa: E402
from weasyprint.text.ffi import ffi as _ffi  # noqa: E402
from weasyprint.text.fonts import FontConfiguration  # noqa: E402, F401
from weasyprint.urls import URLFetcher, URLFetcherResponse  # noqa: E402, F401

VERSION = weasyprint.__version__
IS_PINNED = VERSION == PINNED
UPSTREAM_COLUMNS_LAYOUT = _column.columns_layout


def apply_faster_columns() -> bool:
    """Install the column layout without the trial pass; True if it is in place (only on PINNED)."""
    if not IS_PINNED:
        return False
    from exporter.sheet.weasyprint.columns import columns_layout

    # block.py imported the function by name: replace both references.
    _column.columns_layout = _block.columns_layout = columns_layout
    return True


def undo_faster_columns() -> None:
    """Put WeasyPrint's own function back (for tests that compare the two)."""
    _column.columns_layout = _block.columns_layout = UPSTREAM_COLUMNS_LAYOUT


FASTER_COLUMNS = apply_faster_columns()


# --- one PDF font per font file, not per font description ---------------------------------

UPSTREAM_ADD_FONT = _stream.Stream.add_font


def _add_font_by_face(self, pango_font):
    """`Stream.add_font`, keeping apart fonts whose descriptions agree but whose files differ.

    WeasyPrint keys its PDF fonts by the Pango font description alone. A face
    Pango substitutes (DejaVu Sans Condensed, regular, for a bold character
    DejaVu Sans Condensed Bold lacks) is described as the face asked for, so its
    glyph ids were drawn with the other file's outlines. The first face of a
    description keeps WeasyPrint's key and name (same bytes as before); any other
    gets a key and a name of its own, from its file's digest.
    """
    from weasyprint.pdf.fonts import Font
    from weasyprint.text.ffi import harfbuzz, pango
    from weasyprint.text.fonts import get_pango_font_key

    key, description, font_size = get_pango_font_key(pango_font)
    face = harfbuzz.hb_font_get_face(pango.pango_font_get_hb_font(pango_font))
    first = self._fonts.get(key)
    if first is None:
        first = self._fonts[key] = Font(pango_font, description, font_size)
    if first.hb_face == face:
        return first, font_size
    # Another file under the same description: a font of its own, named after its file.
    other_faces = first.__dict__.setdefault("other_faces", {})
    address = int(_ffi.cast("uintptr_t", face))
    if address not in other_faces:
        font = Font(pango_font, description, font_size)
        digest = hashlib.md5(font.file_content + str(font.index).encode(), usedforsecurity=False).digest()
        font.hash = "".join(chr(65 + byte % 26) for byte in digest[:6])
        font.name = b"/" + font.hash.encode() + font.name[font.name.index(b"+"):]
        other_faces[address] = self._fonts[(key, font.hash)] = font
    return other_faces[address], font_size


def apply_fonts_by_face() -> bool:
    """Key PDF fonts by their file as well (only on PINNED); True if in place."""
    if not IS_PINNED:
        return False
    _stream.Stream.add_font = _add_font_by_face
    return True


def undo_fonts_by_face() -> None:
    """Put WeasyPrint's own `add_font` back (for the test that shows the defect)."""
    _stream.Stream.add_font = UPSTREAM_ADD_FONT


FONTS_BY_FACE = apply_fonts_by_face()


# --- a line that fits but for the space that ends it ---------------------------------------

UPSTREAM_SPLIT_FIRST_LINE = _line_break.split_first_line


def _split_first_line_with_hanging_space(text, style, context, max_width, justification_spacing,
                                         is_line_start=True, minimum=False):
    """`split_first_line`, breaking at a text's ending space when its words fit the line.

    A text that ends in a space (the words before an inline element: "… أجب عن <em>كل</em>")
    and fits the line but for that space was cut after its first word ("لا" alone on a line of
    the exam box): WeasyPrint measures the line with the space, finds it too wide, and reads
    Pango's "it all fits" as "nothing can go on this line but a first word". A space ending a
    line hangs (CSS Text 3): the words fit, so the line ends after them, at that space (whatever
    follows would not fit in less than the space). The space is left to the next line, where it
    collapses, not kept at this line's end, where WeasyPrint would shift a right-to-left line
    by its width when it removes it.
    """
    laid_out = UPSTREAM_SPLIT_FIRST_LINE(text, style, context, max_width, justification_spacing,
                                         is_line_start, minimum)
    if (laid_out[2] is None or max_width is None or not text.endswith(" ")
            or style["white_space"] not in ("normal", "nowrap", "pre-line")):
        return laid_out
    words = UPSTREAM_SPLIT_FIRST_LINE(text.rstrip(" "), style, context, max_width, justification_spacing,
                                      is_line_start, minimum)
    if words[2] is not None or words[3] > max_width:
        return laid_out
    layout, length, _, width, height, baseline = words
    return layout, length, len(text.encode()), width, height, baseline


def apply_hanging_space() -> bool:
    """Let a line's ending space hang in the inline layout (only on PINNED); True if in place."""
    if not IS_PINNED:
        return False
    _inline.split_first_line = _split_first_line_with_hanging_space  # imported there by name
    return True


def undo_hanging_space() -> None:
    """Put WeasyPrint's own function back (for the test that shows the defect)."""
    _inline.split_first_line = UPSTREAM_SPLIT_FIRST_LINE


HANGING_SPACE = apply_hanging_space()


# --- reading the laid-out boxes ---------------------------------------------------------


class LayoutReadError(RuntimeError):
    """The boxes are not shaped as in the WeasyPrint version this was written for."""


@contextlib.contextmanager
def _reading() -> Iterator[None]:
    try:
        yield
    except (AttributeError, KeyError, IndexError, TypeError) as error:
        raise LayoutReadError(f"cannot read WeasyPrint {VERSION}'s layout (written for {PINNED}): {error}") from error


def _page_box(document: Document, index: int):
    return document.pages[index]._page_box  # no public API for the laid-out boxes


@dataclass(frozen=True)
class PageArea:
    """A page's content area in CSS px: where it starts, and the margins around it."""

    top: float
    margin_top: float
    margin_bottom: float


@dataclass(frozen=True)
class Flow:
    """What a measuring layout holds, read from its first page."""

    page: PageArea
    flow_top: float  # where the block of class `flow` starts
    items: dict[tuple[str, str], float]  # each `data-slot` item's height, by (kind, id)
    sections: list[tuple[str, float, float]]  # each <section>: its id, height and first <h3>'s height
    section_of: dict[tuple[str, str], int]  # item -> index of its section
    # Each section's blocks as the column breaks see them, in order: the item each belongs
    # to (None for the section's own: headings, key topics, exam facts) and its Piece;
    # the section's bottom margin is a last, unbreakable piece.
    pieces: list[list[tuple[tuple[str, str] | None, Piece]]]


def read_flow(document: Document) -> Flow:
    """The items and sections of a layout's first page, with their heights.

    The template marks each optional item with `data-slot="<kind> <id>"` on
    its element (<li>, <table>, or any other: a figure); the outermost such box
    is the item's.
    """
    with _reading():
        page = _page_box(document, 0)
        items: dict[tuple[str, str], float] = {}
        sections: list[tuple[str, float, float]] = []
        section_of: dict[tuple[str, str], int] = {}
        flow_top = None
        pieces: list[list[tuple[tuple[str, str] | None, Piece]]] = []
        for box in page.descendants():
            if flow_top is None and box.element_tag == "div" and "flow" in (box.element.get("class") or ""):
                flow_top = box.position_y
            if box.element_tag != "section":
                continue
            index, heading = len(sections), 0.0
            for inner in box.descendants():
                slot = inner.element.get("data-slot") if inner.element is not None else None
                if slot:
                    key = tuple(slot.split(" ", 1))
                    if key not in items:  # the outer box: descendants() goes top down
                        items[key] = inner.margin_height()
                        section_of[key] = index
                elif inner.element_tag == "h3" and not heading:
                    heading = inner.margin_height()
            sections.append((box.element.get("id"), box.margin_height(), heading))
            pieces.append(_pieces(box))
        if flow_top is None:
            raise ValueError("the cheat sheet template has no .flow block")
        area = PageArea(page.content_box_y(), page.margin_top, page.margin_bottom)
        return Flow(area, flow_top, items, sections, section_of, pieces)


# The blocks a column may break between: below these, only lines.
_PIECE_TAGS = frozenset({"h1", "h2", "h3", "h4", "p", "li", "table", "div", "figure"})


def _pieces(section) -> list[tuple[tuple[str, str] | None, Piece]]:
    """A section's blocks, top down, each with the `data-slot` item it belongs to and how
    the stylesheet lets it break (`break-inside`) and keep with the next (`break-after`)."""
    found: list[tuple[tuple[str, str] | None, Piece]] = []
    stack = list(reversed(section.children))
    used = 0.0
    while stack:
        box = stack.pop()
        if box.element_tag in _PIECE_TAGS and not isinstance(box, (LineBox, TextBox)) and box.is_in_normal_flow():
            slot = box.element.get("data-slot") if box.element is not None else None
            styles = [box.style, *(child.style for child in getattr(box, "children", ())[:1])]
            lines = sum(1 for inner in box.descendants() if isinstance(inner, LineBox))
            height = box.margin_height()
            found.append((tuple(slot.split(" ", 1)) if slot else None, Piece(
                height, lines, breakable=all(style["break_inside"] == "auto" for style in styles),
                keep_with_next=box.style["break_after"] in ("avoid", "avoid-column"))))
            used += height
            continue
        stack.extend(reversed([child for child in getattr(box, "children", ()) if not isinstance(child, LineBox)]))
    found.append((None, Piece(max(0.0, section.margin_height() - used), 0, False)))
    return found


def lost_at_breaks(document: Document, counted: int) -> float:
    """Room left empty at the foot of the first `counted` columns (at most all but the last), in CSS px.

    Lines that must stay together move on to the next column and leave a gap.
    """
    gaps = []
    with _reading():
        for index in range(len(document.pages)):
            box = _page_box(document, index)
            bottom = box.content_box_y() + box.height
            for column in sorted((child for child in box.descendants() if child.is_column),
                                 key=lambda c: c.position_x):
                lines = [line.position_y + line.height for line in column.descendants() if isinstance(line, LineBox)]
                gaps.append(bottom - max(lines, default=column.position_y))
    return sum(gaps[:min(len(gaps) - 1, counted)])


def remove_from_bookmarks(document: Document, characters: str) -> None:
    """Take the characters out of the PDF's bookmarks (the text of the headings they
    come from keeps them): `Page.bookmarks` holds (level, label, target, state)."""
    table = {ord(character): None for character in characters}
    for page in document.pages:
        page.bookmarks = [(level, label.translate(table), *rest) for level, label, *rest in page.bookmarks]


def column_count(document: Document) -> int:
    """The columns the stylesheet sets on the first page's flow (1 if none)."""
    with _reading():
        boxes = _page_box(document, 0).children[0].descendants()
        return next((box.style["column_count"] for box in boxes if box.style["column_count"] != "auto"), 1)


def fill(document: Document) -> float:
    """Pages filled, counting the last page by how far its columns are filled.

    Columns fill one after the other (`column-fill: auto`), so the last line
    of the last page, located by its column and its height, says how much of
    that page is used.
    """
    with _reading():
        page = _page_box(document, len(document.pages) - 1)
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


# --- the laid-out sheet, for the build's own check of it (exporter/sheet/check.py) ---------


@dataclass(frozen=True)
class Rect:
    """A box's extent on its page, in CSS px."""

    left: float
    top: float
    right: float
    bottom: float


@dataclass(frozen=True)
class TextRun:
    """One text box as laid out: its text, where it is, and what holds it."""

    text: str
    box: Rect
    line: Rect  # the line box it sits in
    slot: str | None  # the `data-slot` of the item it belongs to ("kind id"), if any
    column: int | None  # its column's index on the page; None outside the columns
    margin_box: Rect | None  # the page-margin box (footer) it is set in, if any
    right_to_left: bool = False  # its text starts at the right
    marker: bool = False  # a list item's number or bullet, set outside the item (`::marker`)


@dataclass(frozen=True)
class PageText:
    """A laid-out page: its content area, its columns and every run of text on it."""

    content: Rect
    columns: list[Rect]
    runs: list[TextRun]


def _rect(box) -> Rect:
    return Rect(box.position_x, box.position_y, box.position_x + box.width, box.position_y + box.height)


def _content_rect(box) -> Rect:
    left, top = box.content_box_x(), box.content_box_y()
    return Rect(left, top, left + box.width, top + box.height)


def read_text(document: Document) -> list[PageText]:
    """Every page's text boxes with their line, column and item: what the sheet check reads."""
    pages = []
    with _reading():
        for index in range(len(document.pages)):
            page = _page_box(document, index)
            columns: list[Rect] = []
            runs: list[TextRun] = []
            # Iterative, not recursive: a page holds thousands of boxes.
            stack = [(child, None, None, None, None, False) for child in reversed(page.children)]
            while stack:
                box, slot, column, line, margin, marker = stack.pop()
                marker = marker or (box.element_tag or "").endswith("::marker")
                if isinstance(box, MarginBox):
                    margin = _content_rect(box)
                elif box.is_column:
                    column = len(columns)
                    columns.append(_content_rect(box))
                element = box.element
                if element is not None:
                    slot = element.get("data-slot") or slot
                if isinstance(box, LineBox):
                    line = _rect(box)
                if isinstance(box, TextBox):
                    if box.text.strip():
                        runs.append(TextRun(box.text, _rect(box), line or _rect(box), slot, column, margin,
                                            box.style["direction"] == "rtl", marker))
                    continue
                for child in reversed(getattr(box, "children", ())):
                    stack.append((child, slot, column, line, margin, marker))
            pages.append(PageText(_content_rect(page), columns, runs))
    return pages
