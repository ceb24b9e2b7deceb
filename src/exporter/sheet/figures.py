"""Figures on the cheat sheet, as the template places them: each one's image, number
and caption, those left out, and what the ranking's forecast counts a figure as.
Which figures go on the sheet, and at what size, is `exporter.model.figure_fit`'s."""

from __future__ import annotations

from exporter.model.figure_fit import placed, scale
from exporter.model.figures import RenderedFigure
from exporter.model.guide import Figure, Guide

# What the ranking's forecast counts a figure as: characters of text per CSS pixel of column height.
CHARACTERS_PER_PIXEL = 3.5


def forecast_characters(rendered: RenderedFigure) -> int:
    return int(rendered.height * scale(rendered) * CHARACTERS_PER_PIXEL)


class SheetFigures:
    """What the template needs of the figures: each one's image, number and caption, and those left out."""

    def __init__(self, guide: Guide):
        from exporter.model.numbering import figure_numbers

        self.guide = guide
        self.numbers = figure_numbers(guide)
        shown, self.left_out = placed(guide)
        self.legible = {figure.id for figure in shown.values()}

    def rendered(self, figure: Figure) -> RenderedFigure:
        return self.guide.rendered(figure)

    def left_out_numbers(self) -> list[str]:
        """The numbers of the figures too small to read on the sheet (a line lists them)."""
        return [self.numbers[figure.id] for figure in self.left_out]

    def without_room(self, kept, concept) -> bool:
        """Whether the concept's figure would be legible on the sheet but had no room there:
        the concept then names the figure, for the learner to find it in the book."""
        figure = concept.figure
        return figure is not None and figure.id in self.legible and kept.figure(concept) is None
