"""The cheat sheet's fill search: how many ranked items fit, found with few real layouts.

A pure function of two callbacks' answers, with no WeasyPrint in it (so that
`tests/test_fill_search.py` runs it on made-up layouts in milliseconds): a
`Measure`, from one layout of every candidate item in a single tall column,
forecasts how tall any prefix of the ranking is; a probe lays out a prefix for
real and tells whether it fits and how much room its column breaks lost. That
loss corrects the next forecast; when the forecast keeps missing, the search
bisects. `sheet/pdf.py` makes the measure and the probes.
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
