"""Room on the cheat sheet's front page for its fixed part, estimated from text lengths.

The exam box and the domain weights are always on the sheet; the selection
fills the rest with the guide's items. A fixed part that cannot fit the front
page leaves the sheet no layout at all, so `validate` refuses such a guide,
naming the field that takes the most room, and a build never searches for a
layout that cannot exist. No layout is run for this: the estimate counts
characters, generously (narrow lines, few lines to a column), so a guide it
lets through always leaves room on the page.
"""

from __future__ import annotations

import math
import unicodedata
from typing import TYPE_CHECKING

from exporter.model.problems import FieldProblem

if TYPE_CHECKING:
    from exporter.model.guide import Domain, Exam, Guide

# With more domains than this, the weights chart shows numbers and weights only, in a few
# lines: a bar and a title each would take the front page from the domains themselves.
COMPACT_CHART_ABOVE = 12
# An estimate for the narrowest paper (A4) and its narrowest text (an exam fact beside its label).
CHARACTERS_PER_LINE = 36
LINES_PER_COLUMN = 70
COLUMNS = 3
FRONT_PAGE_LINES = COLUMNS * LINES_PER_COLUMN
COMPACT_ENTRY = 8  # "12 3% " in the compact chart


def width(text: str) -> int:
    """Characters, a wide (East Asian) one counting as two."""
    return sum(2 if unicodedata.east_asian_width(character) in "WF" else 1 for character in text)


def lines(*texts: str) -> int:
    return max(1, math.ceil(sum(width(text) + 1 for text in texts) / CHARACTERS_PER_LINE))


def fixed_part_problem(exam: Exam, domains: list[Domain]) -> tuple[tuple[str, ...], str] | None:
    """(field path, message) when the exam box and the weights cannot fit the front page."""
    texts = {field: getattr(exam, field) for field in ("labs", "scoring_note", "replaces")}
    lists = {field: getattr(exam, field) for field in ("question_types", "delivery")}
    sizes = {field: width(value) for field, value in texts.items() if value}
    sizes.update({field: sum(width(item) + 2 for item in value) for field, value in lists.items()})
    exam_lines = 2 + 5 + lines(*(value for value in texts.values() if value),
                               *(item for value in lists.values() for item in value))
    if len(domains) > COMPACT_CHART_ABOVE:
        chart_lines = 2 + math.ceil(len(domains) * COMPACT_ENTRY / CHARACTERS_PER_LINE)
    else:
        chart_lines = 2 + sum(lines(domain.title) + 1 for domain in domains)
    needed = exam_lines + chart_lines
    if needed <= FRONT_PAGE_LINES:
        return None
    largest = max(sizes, key=sizes.get)
    shown = ", ".join(f"exam.{field} ({size:,})" for field, size in sorted(sizes.items(), key=lambda kv: -kv[1])
                      if size)
    return (("exam", largest),
            f"the cheat sheet's exam box and domain weights would need about {needed / FRONT_PAGE_LINES:.1f} "
            f"front pages, and must fit on one; shorten the exam facts, in characters {shown} "
            "(the book keeps them whole)")


def fixed_part_problems(guide: Guide) -> list[FieldProblem]:
    """The registry's source check: the sheet's fixed part must fit its front page."""
    if "exam" not in guide.model_fields_set:  # a source whose exam was rejected: its own problem says so
        return []
    found = fixed_part_problem(guide.exam, guide.domains)
    return [FieldProblem(*found)] if found else []
