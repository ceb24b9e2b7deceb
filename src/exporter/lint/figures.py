"""Figures: alt text that serves a learner who cannot see the picture, and figures the sheet can print."""

from __future__ import annotations

import re
import typing

from exporter.lint.core import Context, Hit, rule
from exporter.lint.words import normalized, word_count
from exporter.model.figure_fit import MIN_SCALE, MIN_TEXT_PT, legible, scale, smallest_text_pt, wants_figure
from exporter.model.figures import figure_paths

# Alt text that names the medium instead of the content (screen readers already say "image").
_NAMES_THE_MEDIUM = re.compile(
    r"^\s*(an?\s+|the\s+)?(image|picture|photo|photograph|graphic|screenshot|diagram)\s+(of|showing)\b"
    r"|^\s*(ein\s+|das\s+)?(bild|foto|grafik|abbildung)\s+(von|mit|zeigt)\b", re.IGNORECASE)
MIN_ALT_WORDS = 5


@rule("SG401", "alt-too-short",
      "a learner who cannot see the figure gets a label, not what it teaches")
def alt_too_short(context: Context) -> typing.Iterator[Hit]:
    for path, figure in figure_paths(context.guide):
        if (count := word_count(figure.alt)) < MIN_ALT_WORDS:
            yield Hit(path + ("alt",), figure.id,
                      f"the alt text has {count} word{'s' if count != 1 else ''}; say what the figure shows "
                      f"in at least {MIN_ALT_WORDS}")


@rule("SG402", "alt-equals-caption",
      "a screen reader reads the same words twice and never says what the figure shows")
def alt_equals_caption(context: Context) -> typing.Iterator[Hit]:
    for path, figure in figure_paths(context.guide):
        if figure.caption is not None and normalized(figure.alt) == normalized(figure.caption.plain):
            yield Hit(path + ("alt",), figure.id, "the alt text repeats the caption; describe what the figure shows")


@rule("SG403", "alt-names-the-medium",
      "screen readers already announce an image; the words spent on it say nothing about the content")
def alt_names_the_medium(context: Context) -> typing.Iterator[Hit]:
    for path, figure in figure_paths(context.guide):
        if match := _NAMES_THE_MEDIUM.search(figure.alt):
            yield Hit(path + ("alt",), figure.id,
                      f"the alt text starts with '{match.group().strip()}'; start with what the figure shows")


@rule("SG404", "figure-too-small-for-sheet",
      "the cheat sheet leaves out a figure it cannot print legibly, so a must-know picture is missing from it")
def figure_too_small_for_sheet(context: Context) -> typing.Iterator[Hit]:
    guide = context.guide
    for path, figure in figure_paths(guide):
        if path[2] != "concepts":
            continue
        concept = guide.domains[path[1]].concepts[path[3]]
        if not wants_figure(concept):
            continue
        rendered = guide.rendered(figure)
        if not legible(rendered):
            text = smallest_text_pt(rendered)
            if text is not None:
                why = f"its text would be {text:.1f} pt at column width, under {MIN_TEXT_PT} pt"
            else:
                why = f"it would shrink to {scale(rendered):.0%} of its size at column width, under {MIN_SCALE:.0%}"
            yield Hit(path, figure.id, f"{why}; draw it narrower (rankdir=TB, shorter labels) or give it tier 2")
