"""Whether a figure goes on the cheat sheet, and whether it stays legible there.

A concept's figure goes on the sheet with its concept when the concept is of
tier 1 (or put on the sheet by its author), set at the width of a column (a
raster one never enlarged), vector where the source is vector. Scaled to a
column, a figure must stay legible: its smallest text at least MIN_TEXT_PT
(the sheet's own floor for type), or, for a picture whose text size is
unknown (PNG, JPEG, an SVG without text), no less than MIN_SCALE of its
natural size. The sheet (`exporter.sheet.figures`) leaves out and lists a
figure that would fall below; `studyguide lint` reports it to the author
(SG404). Decided here, in the model, so that both read the same rule.
"""

from __future__ import annotations

from exporter.model.figures import RenderedFigure, svg_text_px
from exporter.model.guide import Concept, Figure, Guide

# The narrower paper's column (A4): 210 mm less two 10.5 mm margins and two 4.5 mm gaps, over
# three columns (cheatsheet.css: `@page` margin, `.flow` columns and column-gap), in CSS pixels.
COLUMN_WIDTH_PX = (210 - 2 * 10.5 - 2 * 4.5) / 3 / 25.4 * 96
MIN_TEXT_PT = 6.5  # cheatsheet.css: "nothing smaller than 6.5 pt"
MIN_SCALE = 0.5
FIRST_TIER = 1


def wants_figure(concept: Concept) -> bool:
    """Whether a concept's figure belongs on the sheet: a tier-1 concept's, or one its author
    pins there (`sheet: always`); never one its author keeps off (`sheet: never`)."""
    placement = getattr(concept, "sheet", None)  # the sheet's own option, where the model has it
    if concept.figure is None or placement == "never":
        return False
    return concept.tier == FIRST_TIER or placement == "always"


def scale(rendered: RenderedFigure) -> float:
    """How much a figure is scaled on the sheet: a vector one to the column's width, a raster
    one shrunk to it if wider (never enlarged: it would blur). cheatsheet.css does the same."""
    if not rendered.width:
        return 1.0
    fit = COLUMN_WIDTH_PX / rendered.width
    return fit if rendered.vector else min(1.0, fit)


def smallest_text_pt(rendered: RenderedFigure) -> float | None:
    """The figure's smallest text, in points, as placed on the sheet; None if it has none we know of."""
    text = svg_text_px(rendered.data) if rendered.vector else None
    return text * scale(rendered) * 72 / 96 if text else None


def legible(rendered: RenderedFigure) -> bool:
    text = smallest_text_pt(rendered)
    return text >= MIN_TEXT_PT if text is not None else scale(rendered) >= MIN_SCALE


def placed(guide: Guide) -> tuple[dict[str, Figure], list[Figure]]:
    """The figures the sheet may show, by concept id, and those too small to read there."""
    shown: dict[str, Figure] = {}
    left_out: list[Figure] = []
    for domain in guide.domains:
        for concept in domain.concepts:
            if wants_figure(concept):
                if legible(guide.rendered(concept.figure)):
                    shown[concept.id] = concept.figure
                else:
                    left_out.append(concept.figure)
    return shown, left_out
