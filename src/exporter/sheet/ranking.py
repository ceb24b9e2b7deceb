"""What may go on the cheat sheet, and in which order: the ranking of its optional items.

What goes on the sheet is chosen by rules, not by hand: every optional item
(key topic, concept, trap, pair, mistake, checklist item) gets a rank — each
domain's key topics and the checklist first, then tier 1 (with the pairs
and mistakes), 2, 3, each level shared out round-robin over the sections so that
no section starves — and the sheet holds the longest prefix of that ranking
that still lays out on two pages (`sheet/pdf.py` finds how long). `Kept` is such a
prefix as the template asks for it: the items of each section, in source order.
"""

from __future__ import annotations

from dataclasses import dataclass

from exporter.model.figure_fit import placed
from exporter.model.guide import ChecklistItem, Concept, Domain, Figure, Guide, Mistake, Pair, Trap
from exporter.sheet.figures import forecast_characters
from exporter.text.markup import Text


@dataclass(frozen=True)
class Slot:
    """One optional item of the sheet and its rank."""

    key: tuple[str, str]  # (kind, id): what the template asks about
    tier: int  # 0 for the exam-day essentials, else the item's own tier
    share: float  # how far down its own section it sits, from 0 to 1 (a figure: 1 more than its concept)
    section: int  # order of its section on the sheet
    size: int  # characters of text: a cheap forecast of the room it takes

    @property
    def rank(self) -> tuple[int, float, int]:
        return (self.tier, self.share, self.section)


# Each domain's key topics and the exam-ready checklist (a short, fixed list) go on the
# sheet before anything else.
ESSENTIAL = 0
FIRST_TIER = 1  # pairs and mistakes rank with tier 1: they grow with the guide


def ranked_slots(guide: Guide) -> list[Slot]:
    """Every optional item, most important first.

    Tier first (the key topics and the checklist before tier 1, the pairs and
    mistakes within tier 1); within a tier, a round-robin over the
    sections in proportion to their length, so a cut drops the same share of
    every section rather than emptying the last one.
    """
    slots: list[Slot] = []
    sections = 0

    def add(kind: str, items: list[tuple[str, int, tuple[Text, ...]]]) -> None:
        nonlocal sections
        for tier in (ESSENTIAL, 1, 2, 3):
            of_tier = [(item_id, texts) for item_id, item_tier, texts in items if item_tier == tier]
            for position, (item_id, texts) in enumerate(of_tier):
                size = sum(len(text) for text in texts)  # the source text: no need to render it
                slots.append(Slot((kind, item_id), tier, position / len(of_tier), sections, size))
            sections += 1

    for domain in guide.domains:
        add("topic", [(f"{domain.id}/{k}", ESSENTIAL, (topic,)) for k, topic in enumerate(domain.key_topics)])
        add("concept", [(c.id, c.tier, (c.term, c.text)) for c in domain.concepts])
        add("trap", [(t.id, t.tier, (t.myth, t.truth)) for t in domain.traps])
    add("pair", [(p.id, FIRST_TIER, (p.a.name, p.a.use_when, p.b.name, p.b.use_when, p.trap)) for p in guide.pairs])
    add("mistake", [(m.id, FIRST_TIER, (m.title, m.text)) for m in guide.mistakes])
    add("check", [(c.id, ESSENTIAL, (c.text,)) for c in guide.checklist])
    # A figure the sheet can print ranks after every text item of its concept's tier (it shows
    # its concept again, at the cost of some ten lines), in its concept's turn; the template
    # prints it under its concept.
    shown, _ = placed(guide)
    for slot in list(slots):
        if slot.key[0] == "concept" and slot.key[1] in shown:
            figure = shown[slot.key[1]]
            size = forecast_characters(guide.rendered(figure))
            slots.append(Slot(("figure", figure.id), slot.tier, 1 + slot.share, slot.section, size))
    return sorted(slots, key=lambda slot: slot.rank)


@dataclass(frozen=True)
class Kept:
    """The items of a guide that made it onto the sheet, in source order."""

    guide: Guide
    keys: frozenset[tuple[str, str]]

    def topics(self, domain: Domain) -> list[Text]:
        return [topic for k, topic in enumerate(domain.key_topics) if ("topic", f"{domain.id}/{k}") in self.keys]

    def concepts(self, domain: Domain) -> list[Concept]:
        return [c for c in domain.concepts if ("concept", c.id) in self.keys]

    def figure(self, concept: Concept) -> Figure | None:
        """The concept's figure, if it made it onto the sheet."""
        figure = concept.figure
        return figure if figure is not None and ("figure", figure.id) in self.keys else None

    def traps(self, domain: Domain) -> list[Trap]:
        return [t for t in domain.traps if ("trap", t.id) in self.keys]

    def pairs(self) -> list[Pair]:
        return [p for p in self.guide.pairs if ("pair", p.id) in self.keys]

    def mistakes(self) -> list[Mistake]:
        return [m for m in self.guide.mistakes if ("mistake", m.id) in self.keys]

    def checklist(self) -> list[ChecklistItem]:
        return [c for c in self.guide.checklist if ("check", c.id) in self.keys]

    def omitted_domains(self) -> list[int]:
        """The numbers of the domains of which nothing made it onto the sheet."""
        return [domain.number for domain in self.guide.domains
                if not (self.topics(domain) or self.concepts(domain) or self.traps(domain))]

    def back_side(self) -> bool:
        """Whether anything goes on the back side (pairs, mistakes, checklist)."""
        return bool(self.pairs() or self.mistakes() or self.checklist())
