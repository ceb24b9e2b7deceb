"""Coverage: what the questions test, and what they leave out."""

from __future__ import annotations

import typing
from collections import Counter

from exporter.lint.core import Context, Hit, rule
from exporter.lint.words import normalized


def _tested(context: Context) -> Counter:
    return Counter(item for at in context.questions for item in set(at.question.tests))


@rule("SG201", "untested-item",
      "a must-know item no question asks about can be forgotten without the learner ever noticing")
def untested_item(context: Context) -> typing.Iterator[Hit]:
    tested = _tested(context)
    for at in context.testable:
        if at.item.tier <= context.thresholds.untested_max_tier and at.item.id not in tested:
            kind = "concept" if at.path[2] == "concepts" else "trap"
            yield Hit(at.path, at.item.id, f"tier-{at.item.tier} {kind} '{at.item.id}' is tested by no question")


@rule("SG202", "over-tested-item",
      "practice spent on one item again and again is practice missing from the items no question covers")
def over_tested_item(context: Context) -> typing.Iterator[Hit]:
    tested = _tested(context)
    untested = [at for at in context.testable if at.item.id not in tested]
    if not untested:
        return
    for at in context.testable:
        count = tested[at.item.id]
        if count > context.thresholds.max_tests_per_item:
            yield Hit(at.path, at.item.id,
                      f"'{at.item.id}' is tested by {count} questions while "
                      + (f"{len(untested)} concepts and traps are" if len(untested) > 1 else "1 concept or trap is")
                      + " tested by none", tuple(q.question.id for q in context.questions if at.item.id in q.question.tests))


@rule("SG203", "domain-share-off-weight",
      "a practice exam weighted unlike the real one trains the wrong domains and misleads about readiness")
def domain_share_off_weight(context: Context) -> typing.Iterator[Hit]:
    practice = context.guide.practice_exam
    if len(practice) < context.thresholds.min_practice_questions:
        return
    counts = Counter(q.domain for q in practice)
    for d, domain in enumerate(context.guide.domains):
        share = 100 * counts[domain.id] / len(practice)
        if abs(share - domain.weight) > context.thresholds.weight_tolerance:
            yield Hit(("domains", d, "weight"), domain.id,
                      f"domain '{domain.id}' has {counts[domain.id]} of the {len(practice)} practice-exam questions "
                      f"({share:.0f}%), but its exam weight is {domain.weight}% (about {round(domain.weight * len(practice) / 100)} questions)")


@rule("SG204", "unlinked-glossary-entry",
      "an entry no concept links to appears on no Anki card, so learners of the deck never meet it")
def unlinked_glossary_entry(context: Context) -> typing.Iterator[Hit]:
    linked = {ref for at in context.testable if hasattr(at.item, "glossary") for ref in at.item.glossary}
    for entry, path in context.glossary:
        if entry.id not in linked:
            yield Hit(path, entry.id, f"glossary entry '{entry.id}' is linked from no concept")


@rule("SG205", "question-outside-its-domain",
      "a question filed under a domain it does not test skews the learner's per-domain practice and scores")
def question_outside_its_domain(context: Context) -> typing.Iterator[Hit]:
    home = {at.item.id: at.domain.id for at in context.testable}
    for at in context.questions:
        domains = {home[item] for item in at.question.tests}
        if at.domain.id not in domains:
            where = "domain" if at.path[0] == "practice_exam" else "tests"
            yield Hit(at.path + (where,), at.question.id,
                      f"sits in domain '{at.domain.id}' but tests only items of {', '.join(sorted(domains))}")


@rule("SG206", "repeated-options",
      "several questions offering the same options drill one choice again while other items go unpractised")
def repeated_options(context: Context) -> typing.Iterator[Hit]:
    """Questions sharing three or more option texts ask one discrimination again."""
    options = [{normalized(o.text.plain) for o in at.question.options} for at in context.questions]
    asked_by: dict[str, list[int]] = {}  # option text -> questions offering it; avoids comparing every pair
    for i, texts in enumerate(options):
        for text in texts:
            asked_by.setdefault(text, []).append(i)
    for i, at in enumerate(context.questions):
        shared = Counter(j for text in options[i] for j in asked_by[text] if j != i)
        alike = [context.questions[j].question.id for j in sorted(shared) if shared[j] >= 3]
        if len(alike) > context.thresholds.max_same_options:
            yield Hit(at.path + ("options",), at.question.id,
                      f"shares three or more options with {', '.join(alike)}", tuple(alike))
