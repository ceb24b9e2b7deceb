"""The cheat sheet's fill search: how many ranked items fit, found with few real layouts.

Pure functions, with no WeasyPrint in them (so that `tests/unit/test_fill_search.py`
runs them on made-up layouts in milliseconds):

- `pack` pours measured pieces (headings, paragraphs, list items, tables: each
  with its height, its lines, whether it may break and whether it keeps with
  the next) into the sheet's columns as the stylesheet's break rules do, and
  says how much room is left or missing. `sheet/pdf.py` finds with it the longest
  prefix that fits, from one measuring layout, and lays that prefix out once:
  usually the sheet's only real layout.
- `largest_fitting`, the fallback when that layout does not fit after all: a
  `Measure` forecasts how tall any prefix of the ranking is; a probe lays out
  a prefix for real and tells whether it fits and how much room its column
  breaks lost. That loss corrects the next forecast; when the forecast keeps
  missing, the search bisects.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable
from dataclasses import dataclass

# Room lost where a column breaks (CSS px, first guess): lines that must stay
# together move on and leave a gap. Measured 7 to 24 px on AI-300 and its
# ×10 and ×50 copies, about a line of body text.
LOST_PER_BREAK = 12.0
# A forecast this far (CSS px) past the capacity counts as a sure overflow:
# about two lines of body text. Closer calls are settled by a real layout.
SURE_OVERFLOW = 22.0
FORECAST_TRIES = 3  # then the search bisects


# Lines a paragraph keeps together at a column break, at its foot and at its head
# (CSS `orphans` and `widows`, 2 by default and in the stylesheet).
ORPHANS = WIDOWS = 2
EPSILON = 0.01  # CSS px: layout arithmetic's rounding


@dataclass(frozen=True)
class Piece:
    """One block of the flow as the column breaks see it."""

    height: float  # CSS px, its margins included
    lines: int  # its lines of text (where a breakable piece may break)
    breakable: bool  # may continue in the next column (`break-inside` not `avoid`)
    keep_with_next: bool = False  # `break-after: avoid`: a heading goes with what follows it


def pack(pieces: list[Piece], columns: list[float]) -> float:
    """Room left (CSS px, in the last column used and the empty ones after it) when the
    pieces flow through columns of these heights, one after the other; negative: how
    much did not fit.

    Greedy, like the layout: a piece goes where the last one ended; one that does
    not fit the rest of its column breaks between lines if it may (keeping
    ORPHANS lines at the foot and WIDOWS at the head), else moves whole to the
    next column, and the room it leaves is lost; a heading moves on with the
    start of what follows it.
    """
    column, room, missing = pour(pieces, columns)
    return -missing if missing else room + sum(columns[column + 1:])


def pour(pieces: list[Piece], columns: list[float], column: int = 0,
         room: float | None = None) -> tuple[int, float, float]:
    """Where the pieces end when poured from `column` (with `room` left in it): the column,
    the room left in it, and how much did not fit at all (0 if everything did)."""
    queue = list(pieces)
    room = columns[column] if room is None and columns else (room or 0.0)
    k = 0
    while k < len(queue):
        piece = queue[k]
        need = piece.height
        if piece.keep_with_next and k + 1 < len(queue):
            need += _head(queue[k + 1])
        if need <= room + EPSILON:
            room -= piece.height
            k += 1
            continue
        at_top = room >= columns[column] - EPSILON
        if piece.breakable and piece.lines >= ORPHANS + WIDOWS and not piece.keep_with_next:
            line = piece.height / piece.lines
            fitting = min(int((room + EPSILON) // line), piece.lines - WIDOWS)
            if fitting >= ORPHANS:
                queue[k] = Piece(piece.height - fitting * line, piece.lines - fitting, True)
                room = 0.0
        elif at_top:  # taller than a column and unbreakable: it runs over the foot
            room -= piece.height
            k += 1
            continue
        if column + 1 == len(columns):
            return column, room, sum(p.height for p in queue[k:])
        column += 1
        room = columns[column]
    return column, room, 0.0


def first_fit(heights: list[float], columns: list[float], column: int, room: float, ahead: float = 0.0) -> list[int]:
    """An order for blocks that cannot break (a pair's table), poured from `column` with `room`
    left: into each column, the first block in the given order that still fits, so that a
    smaller block fills the room a larger one would leave empty. `ahead`: what must go with
    the first block (its section's heading)."""
    left = list(range(len(heights)))
    order: list[int] = []
    while left:
        fitting = next((k for k in left if heights[k] + (ahead if not order else 0.0) <= room + EPSILON), None)
        if fitting is None:
            if column + 1 == len(columns) or room >= columns[column] - EPSILON:
                order += left  # the rest runs over, or a block taller than a column: as it comes
                break
            column += 1
            room = columns[column]
            continue
        room -= heights[fitting] + (ahead if not order else 0.0)
        order.append(fitting)
        left.remove(fitting)
    return order


def _head(piece: Piece) -> float:
    """What of a piece must go along with a heading before it: its first lines, or all of it."""
    if piece.breakable and piece.lines >= ORPHANS + WIDOWS:
        return piece.height / piece.lines * ORPHANS
    return piece.height


def largest_packed(total: int, pieces_of: Callable[[int], list[Piece]], columns: list[float],
                   margin: float = 0.0) -> int:
    """The largest n in 0..total whose pieces pack with `margin` px to spare (0 if none),
    by bisection: the room left shrinks as items are added."""
    low, high = 0, total + 1
    while high - low > 1:
        middle = (low + high) // 2
        if pack(pieces_of(middle), columns) >= margin:
            low = middle
        else:
            high = middle
    return low


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
    breaks: int  # column breaks on the sheet, where room is lost
    # With every item measured: whether each side fits its own page (the layout
    # that gives the back side a page of its own), by the same forecast.
    sides_fit: bool = False

    def largest_within(self, room: float, low: int, high: int) -> int:
        """The largest n in low..high with heights[n] <= room (low if none)."""
        n = bisect.bisect_right(self.heights, room, low, high + 1) - 1
        return max(low, n)


def largest_fitting(total: int, measure: Measure, probe: Callable[[int], tuple[bool, float]],
                    below: int | None = None) -> int:
    """The largest n in 0..total whose layout fits on the pages, probing where the forecast points.

    `measure` forecasts the height of any prefix of the ranking (from one
    measuring layout); `probe(n)` lays out the first n items and tells whether
    they fit and how much room the column breaks lost. That loss corrects the
    next forecast; after FORECAST_TRIES probes the search bisects. 0 if nothing
    fits (the caller tells that case apart). `below`: a count already known not to fit.
    """
    low, high = 0, total + 1 if below is None else below  # low fits (once verified), high does not
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
