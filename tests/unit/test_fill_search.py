"""The cheat sheet's fill search (`fill_search.largest_fitting`) on made-up layouts:
no WeasyPrint, milliseconds per case. The real layouts are in test_pdf.py."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from exporter.sheet.fill_search import FORECAST_TRIES, Measure, Piece, largest_fitting, largest_packed, pack

CAPACITY = 6000.0
BREAKS = 5  # three columns on each of two pages


class FakeSheet:
    """Items of given heights; a real layout also loses `lost` px at column breaks."""

    def __init__(self, heights: list[float], lost: float, forecast_error: float = 1.0):
        self.heights = heights
        self.lost = lost
        self.forecast_error = forecast_error
        self.probed: list[int] = []

    def true_height(self, count: int) -> float:
        return sum(self.heights[:count]) + self.lost

    def measure(self, candidates: int) -> Measure:
        forecast = [sum(self.heights[:n]) * self.forecast_error for n in range(candidates + 1)]
        return Measure(candidates, CAPACITY, forecast, BREAKS)

    def probe(self, count: int) -> tuple[bool, float]:
        self.probed.append(count)
        return self.true_height(count) <= CAPACITY, self.lost

    def answer(self) -> int:
        return max(n for n in range(len(self.heights) + 1) if self.true_height(n) <= CAPACITY or n == 0)


def search(sheet: FakeSheet, candidates: int | None = None) -> int:
    total = len(sheet.heights)
    return largest_fitting(total, sheet.measure(total if candidates is None else candidates), sheet.probe)


def test_a_good_forecast_needs_few_layouts():
    sheet = FakeSheet([37.0] * 500, lost=60.0)
    assert search(sheet) == sheet.answer()
    assert len(sheet.probed) <= 3, sheet.probed


def test_everything_fits():
    sheet = FakeSheet([10.0] * 20, lost=60.0)
    assert search(sheet) == 20


def test_nothing_fits():
    sheet = FakeSheet([CAPACITY + 1] * 5, lost=0.0)
    assert search(sheet) == 0


def test_a_forecast_far_off_falls_back_to_bisection_and_still_finds_the_answer():
    sheet = FakeSheet([25.0 + (k % 7) for k in range(800)], lost=300.0, forecast_error=0.3)
    assert search(sheet) == sheet.answer()
    assert len(sheet.probed) > FORECAST_TRIES
    assert len(sheet.probed) <= FORECAST_TRIES + 12, "bisection, not a walk"


def test_only_a_prefix_was_measured():
    sheet = FakeSheet([30.0] * 1000, lost=40.0)
    assert search(sheet, candidates=260) == sheet.answer()


@settings(max_examples=200, deadline=None)
@given(heights=st.lists(st.floats(1, 400), min_size=1, max_size=300), lost=st.floats(0, 500),
       error=st.floats(0.2, 3.0), measured=st.floats(0.1, 1.0))
def test_any_sheet_gets_the_largest_prefix_that_fits(heights, lost, error, measured):
    sheet = FakeSheet(heights, lost, error)
    candidates = max(1, int(len(heights) * measured))
    result = search(sheet, candidates)
    expected = sheet.answer()
    # The search may stop early only where the forecast makes the next item a sure overflow.
    assert result <= expected
    if result < expected:
        assert result in sheet.probed or result == 0
        assert error > 1.0, "only an over-estimating forecast may stop the search short"
    assert len(set(sheet.probed)) == len(sheet.probed), "no layout twice"
    assert not list(itertools.filterfalse(lambda n: 0 <= n <= len(heights), sheet.probed))


@pytest.mark.parametrize("lost", [0.0, 120.0, 480.0])
def test_the_room_lost_at_breaks_is_learned_from_the_probes(lost):
    sheet = FakeSheet([33.0] * 400, lost=lost)
    assert search(sheet) == sheet.answer()


# --- packing measured pieces into columns ---------------------------------------------------------

LINE = 10.0


def text(lines: int) -> Piece:
    return Piece(lines * LINE, lines, breakable=True)


def table(lines: int) -> Piece:
    return Piece(lines * LINE, lines, breakable=False)


def heading() -> Piece:
    return Piece(LINE, 1, breakable=False, keep_with_next=True)


def test_pieces_that_fit_leave_the_rest_of_the_columns():
    assert pack([text(3), text(4)], [100.0, 100.0]) == 130.0


def test_a_paragraph_breaks_between_lines_keeping_two_at_each_end():
    # 9 lines of room: 9 of a 10-line paragraph would leave 1 at the head of the next column.
    assert pack([text(1), text(10)], [100.0, 100.0]) == 100.0 - 2 * LINE
    # With 1 line of room, none may stay: the paragraph moves on whole, and that line is lost.
    assert pack([text(9), text(4)], [100.0, 100.0]) == 100.0 - 4 * LINE


def test_a_table_moves_whole_and_its_room_is_lost():
    assert pack([text(6), table(5)], [100.0, 100.0]) == 100.0 - 5 * LINE
    assert pack([text(6), table(5), table(6)], [100.0, 100.0]) < 0, "the lost room is missed at the end"


def test_a_heading_goes_with_the_start_of_what_follows():
    assert pack([text(8), heading(), text(6)], [100.0, 100.0]) == 100.0 - 7 * LINE
    assert pack([text(7), heading(), text(6)], [100.0, 100.0]) == 100.0 - 4 * LINE  # heading and 2 lines stay


def test_what_runs_over_is_negative():
    assert pack([table(8), table(8), table(8)], [100.0, 100.0]) == -80.0


def test_the_largest_packed_prefix():
    pieces = [text(3)] * 20

    def prefix(count: int) -> list[Piece]:
        return pieces[:count]

    assert largest_packed(20, prefix, [100.0, 100.0]) == 6
    assert largest_packed(20, prefix, [100.0, 100.0], margin=5.0) == 6  # 10 px left in the last column
    assert largest_packed(20, prefix, [100.0, 100.0], margin=15.0) == 5
