"""One numbering for every format: the book's numbered sections, each item's
section and each figure's number.

A domain's chapter in the book has numbered sections ("2.1 Overview",
"2.2 Concepts"…); a card says which one holds its item ("Book § 2.2"), and
card, sheet and book call a figure by one number ("Figure 2.3",
`figures.figure_numbers`). A section's number is fixed by its kind, whether
or not the chapters before it have theirs: a domain losing its last trap
renumbers nothing, so no other card changes in learners' collections.
"""

from __future__ import annotations

from exporter.model.figures import figure_numbers
from exporter.model.guide import Domain, Guide

__all__ = ["DOMAIN_SECTIONS", "book_place", "domain_sections", "figure_numbers"]

# The sections a domain's chapter may have, in order (the book's anchors).
DOMAIN_SECTIONS = ("sec-overview", "sec-concepts", "sec-traps", "sec-pairs", "sec-quick-check")


def domain_sections(guide: Guide, domain: Domain) -> dict[str, str]:
    """The sections a domain's chapter has, in order, with their fixed numbers: {"sec-overview": "2.1", …}."""
    present = {
        "sec-overview": True,
        "sec-concepts": bool(domain.concepts),
        "sec-traps": bool(domain.traps),
        "sec-pairs": bool(guide.pairs_for(domain)),
        "sec-quick-check": bool(domain.questions),
    }
    return {anchor: f"{domain.number}.{place}" for place, anchor in enumerate(DOMAIN_SECTIONS, 1) if present[anchor]}


def book_place(guide: Guide) -> dict[str, tuple[str, str]]:
    """Where the book holds each item, by id: ("section", "2.2") for a domain's items
    (a pair: its first domain's), ("practice", "") for a practice-exam question (not its
    number: a question added before it would change every later card)."""
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
    for question in guide.practice_exam:
        places[question.id] = ("practice", "")
    return places
