"""What may go on the cheat sheet, and in which order: the ranking of its optional items.

What goes on the sheet is chosen by rules, not by hand: every optional item
(key topic, concept, trap, pair, mistake, checklist item) gets a rank, and the
sheet holds the longest prefix of that ranking that still lays out on its
pages (`sheet/pdf.py` finds how long). The rules, in order:

1. **Levels.** First what the author pinned (`sheet: always`), each domain's
   key topics and the exam-ready checklist; then tier 1 (with the pairs and
   mistakes), tier 2, tier 3. An item marked `sheet: never` is not ranked.
2. **Shares.** Within a level, the groups (each domain's items, the pairs, the
   mistakes) take turns by the highest-averages rule (Sainte-Laguë): a
   domain's claim is its exam weight, the pairs' and mistakes' their share of
   the level's items. A cut anywhere leaves each domain a share of the sheet
   near its weight, not the first domains everything.
3. **Importance.** Within a group, items tested by more questions come first
   (a pair: by the weight of its heaviest domain); equals are taken spread over
   the group's source order (its middle, then its quarters...), so a cut drops
   items from the whole domain alike, not its last third.

`Kept` is such a prefix as the template asks for it: the items of each
section, in source order (the pairs' tables in the order the fill packed them).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from exporter.model.figure_fit import placed
from exporter.model.guide import ChecklistItem, Concept, Domain, Figure, Guide, Mistake, Pair, Trap
from exporter.sheet.figures import forecast_characters
from exporter.text.markup import Text

ESSENTIAL = 0  # pinned items, each domain's key topics and the checklist
FIRST_TIER = 1  # pairs and mistakes rank with tier 1: they grow with the guide
# Items whose tier makes them must-know: the sheet counts those it leaves out.
MUST_KNOW = 1


@dataclass(frozen=True)
class Slot:
    """One optional item of the sheet and its rank."""

    key: tuple[str, str]  # (kind, id): what the template asks about
    tier: int  # ESSENTIAL for pinned items and the exam-day essentials, else the item's own tier
    group: int  # which group it takes turns in: a domain's index, or past them the pairs, mistakes, checklist
    tested: int  # questions whose `tests` name it
    size: int  # characters of text: a cheap forecast of the room it takes
    title: str  # what the author knows it by (a term, a trap's claim...), for the preview's lists


@dataclass(frozen=True)
class _Candidate:
    key: tuple[str, str]
    tier: int
    tested: int
    importance: float  # for pairs: the weight of the heaviest domain
    size: int
    title: str


def tested_counts(guide: Guide) -> Counter[str]:
    """How many questions (quick checks and practice exam) name each item in `tests`."""
    counts: Counter[str] = Counter()
    for question in [q for domain in guide.domains for q in domain.questions] + guide.practice_exam:
        counts.update(set(question.tests))
    return counts


def spread_order(count: int) -> list[int]:
    """0..count-1 so that every prefix is spread evenly over the range: the middle, then the
    middle of the widest stretch not yet taken, again and again; of stretches equally wide,
    the one farther from the last taken, so that a prefix leans to neither end."""
    order: list[int] = []
    stretches = [(0, count - 1)] if count else []
    while stretches:
        last = order[-1] if order else (count - 1) / 2
        low, high = max(stretches, key=lambda s: (s[1] - s[0], abs((s[0] + s[1]) / 2 - last)))
        stretches.remove((low, high))
        # An even stretch has two middles: take the one toward the far side from the last taken.
        middle = (low + high + 1) // 2 if (low + high) / 2 > last else (low + high) // 2
        order.append(middle)
        stretches += [(a, b) for a, b in ((low, middle - 1), (middle + 1, high)) if a <= b]
    return order


def _by_importance(candidates: list[_Candidate]) -> list[_Candidate]:
    """Most tested first; equals spread over their source order, each kind (concepts, traps)
    over its own list, so that the traps after the concepts do not take the domain's last third."""
    spread: dict[int, float] = {}
    for kind in dict.fromkeys(candidate.key[0] for candidate in candidates):
        of_kind = [k for k, candidate in enumerate(candidates) if candidate.key[0] == kind]
        for position, index in enumerate(spread_order(len(of_kind))):
            spread[of_kind[index]] = position / len(of_kind)
    ordered = sorted(range(len(candidates)),
                     key=lambda k: (-candidates[k].tested, -candidates[k].importance, spread[k], k))
    return [candidates[k] for k in ordered]


def _size(*texts: Text) -> int:
    return sum(len(text) for text in texts)  # the source text: no need to render it


def _level(item, tier: int) -> int | None:
    """The item's level in the ranking, or None if the author keeps it off the sheet."""
    placement = getattr(item, "sheet", None)
    if placement == "never":
        return None
    return ESSENTIAL if placement == "always" else tier


def ranked_slots(guide: Guide) -> list[Slot]:
    """Every optional item the sheet may hold, most important first (see the module's rules)."""
    tested = tested_counts(guide)
    heaviest = {domain.id: domain.weight for domain in guide.domains}
    # groups[level][group] -> candidates in source order
    groups: dict[int, dict[int, list[_Candidate]]] = {}

    def add(level: int | None, group: int, key: tuple[str, str], title: str, size: int,
            importance: float = 0.0) -> None:
        if level is not None:
            groups.setdefault(level, {}).setdefault(group, []).append(
                _Candidate(key, level, tested.get(key[1], 0) if key[0] in ("concept", "trap") else 0,
                           importance, size, title))

    domains = len(guide.domains)
    pairs_group, mistakes_group, checklist_group = domains, domains + 1, domains + 2
    for index, domain in enumerate(guide.domains):
        for k, topic in enumerate(domain.key_topics):
            add(ESSENTIAL, index, ("topic", f"{domain.id}/{k}"), topic.plain, _size(topic))
        for concept in domain.concepts:
            add(_level(concept, concept.tier), index, ("concept", concept.id), concept.term.plain,
                _size(concept.term, concept.text))
        for trap in domain.traps:
            add(_level(trap, trap.tier), index, ("trap", trap.id), trap.myth.plain, _size(trap.myth, trap.truth))
    for pair in guide.pairs:
        add(_level(pair, FIRST_TIER), pairs_group, ("pair", pair.id), f"{pair.a.name.plain} / {pair.b.name.plain}",
            _size(pair.a.name, pair.a.use_when, pair.b.name, pair.b.use_when, pair.trap),
            max((heaviest.get(d, 0) for d in pair.domains), default=0))
    for mistake in guide.mistakes:
        add(_level(mistake, FIRST_TIER), mistakes_group, ("mistake", mistake.id), mistake.title.plain,
            _size(mistake.title, mistake.text))
    for item in guide.checklist:
        add(_level(item, ESSENTIAL), checklist_group, ("check", item.id), item.text.plain, _size(item.text))

    weights = [domain.weight for domain in guide.domains]
    slots: list[Slot] = []
    for level in sorted(groups):
        queues = {group: _by_importance(items) for group, items in groups[level].items()}
        total = sum(len(items) for items in queues.values())
        in_domains = sum(len(items) for group, items in queues.items() if group < domains)
        domain_weight = sum(weights[group] for group in queues if group < domains) or 1
        # Each group's claim on the level: a domain's by its weight (out of the domains' items),
        # the others' by their length.
        claims = {group: (in_domains / total) * weights[group] / domain_weight if group < domains
                  else len(items) / total for group, items in queues.items()}
        taken = dict.fromkeys(queues, 0)
        for _ in range(total):
            group = max((g for g in queues if taken[g] < len(queues[g])),
                        key=lambda g: (claims[g] / (taken[g] + 0.5), -g))
            candidate = queues[group][taken[group]]
            taken[group] += 1
            slots.append(Slot(candidate.key, level, group, candidate.tested, candidate.size, candidate.title))
    return _with_figures(guide, slots)


def _with_figures(guide: Guide, slots: list[Slot]) -> list[Slot]:
    """The figures the sheet can print, each after every text item of its concept's level (a
    figure shows its concept again, at some ten lines' cost), in its concept's order; the
    template prints it under its concept."""
    shown, _ = placed(guide)
    result: list[Slot] = []
    for index, slot in enumerate(slots):
        result.append(slot)
        if index + 1 == len(slots) or slots[index + 1].tier != slot.tier:
            for earlier in slots[:index + 1]:
                if earlier.tier == slot.tier and earlier.key[0] == "concept" and earlier.key[1] in shown:
                    figure = shown[earlier.key[1]]
                    result.append(Slot(("figure", figure.id), slot.tier, earlier.group, 0,
                                       forecast_characters(guide.rendered(figure)), figure.alt))
    return result


@dataclass(frozen=True)
class Kept:
    """The items of a guide that made it onto the sheet, in source order."""

    guide: Guide
    keys: frozenset[tuple[str, str]]
    # The pairs' ids in the order the fill packed their tables (the rest in source order after them).
    pair_order: tuple[str, ...] = ()

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
        kept = [p for p in self.guide.pairs if ("pair", p.id) in self.keys]
        place = {pair_id: k for k, pair_id in enumerate(self.pair_order)}
        return sorted(kept, key=lambda p: place.get(p.id, len(place)))

    def mistakes(self) -> list[Mistake]:
        return [m for m in self.guide.mistakes if ("mistake", m.id) in self.keys]

    def checklist(self) -> list[ChecklistItem]:
        return [c for c in self.guide.checklist if ("check", c.id) in self.keys]

    def omitted_domains(self) -> list[int]:
        """The numbers of the domains of which nothing made it onto the sheet."""
        return [domain.number for domain in self.guide.domains
                if not (self.topics(domain) or self.concepts(domain) or self.traps(domain))]

    def left_out(self) -> list[Concept | Trap]:
        """The must-know (tier 1) concepts and traps not on the sheet, for want of room or
        kept off by their author, in source order: the sheet says how many."""
        return [item for domain in self.guide.domains
                for kind, items in (("concept", domain.concepts), ("trap", domain.traps))
                for item in items if item.tier == MUST_KNOW and (kind, item.id) not in self.keys]

    def back_side(self) -> bool:
        """Whether anything goes on the back side (pairs, mistakes, checklist)."""
        return bool(self.pairs() or self.mistakes() or self.checklist())


def must_know(guide: Guide) -> int:
    """How many must-know concepts and traps the guide has."""
    return sum(1 for domain in guide.domains for item in [*domain.concepts, *domain.traps] if item.tier == MUST_KNOW)


def describe(item: Concept | Trap) -> str:
    """An item as `build` and `stats` list it: its id and its term (a trap: its myth)."""
    label = item.term if isinstance(item, Concept) else item.myth
    return f"{item.id} ({label.plain})"
