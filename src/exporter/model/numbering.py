"""One numbering for every format: the book's numbered sections, each item's
section and each figure's number.

A domain's chapter in the book has numbered sections ("2.1 Overview",
"2.2 Concepts"…, only those it has); a card says which one holds its item
("Book § 2.2"), and card, sheet and book call a figure by one number
("Figure 2.3", `figures.figure_numbers`).
"""

from __future__ import annotations

from exporter.model.figures import figure_numbers
from exporter.model.guide import Domain, Guide

__all__ = ["DOMAIN_SECTIONS", "book_place", "domain_sections", "figure_numbers"]

# The sections a domain's chapter may have, in order (the book's anchors).
DOMAIN_SECTIONS = ("sec-overview", "sec-concepts", "sec-traps", "sec-pairs", "sec-quick-check")


def domain_sections(guide: Guide, domain: Domain) -> dict[str, str]:
    """The sections of a domain's chapter, in order, with their numbers: {"sec-overview": "2.1", …}."""
    present = {
        "sec-overview": True,
        "sec-concepts": bool(domain.concepts),
        "sec-traps": bool(domain.traps),
        "sec-pairs": bool(guide.pairs_for(domain)),
        "sec-quick-check": bool(domain.questions),
    }
    anchors = [anchor for anchor in DOMAIN_SECTIONS if present[anchor]]
    return {anchor: f"{domain.number}.{place}" for place, anchor in enumerate(anchors, 1)}


def book_place(guide: Guide) -> dict[str, tuple[str, str]]:
    """Where the book holds each item, by id: ("section", "2.2") for a domain's items
    (a pair: its first domain's), ("practice", "12") for a practice-exam question."""
    places: dict[str, tuple[str, str]] = {}
    for domain in guide.domains:
        numbers = domain_sections(guide, domain)
        for concept in domain.concepts:
            places[concept.id] = ("section", numbers["sec-concepts"])
        for trap in domain.traps:
            places[trap.id] = ("section", numbers["sec-traps"])
        for question in domain.questions:
            places[question.id] = ("section", numbers["sec-quick-check"])
        for figure in domain.figures:
            places[figure.id] = ("section", numbers["sec-overview"])
        for pair in guide.pairs_for(domain):
            if pair.domains[0] == domain.id:
                places[pair.id] = ("section", numbers["sec-pairs"])
    for number, question in enumerate(guide.practice_exam, 1):
        places[question.id] = ("practice", str(number))
    return places
