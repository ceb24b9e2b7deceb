"""The rules the schema cannot express: unique ids and numbers, weights that
sum to 100, answer keys and references that resolve.

They read the typed model. On a source the schema rejected they read the part
it accepted (`source/accepted_part.py`), so one run reports everything: what lies
outside the rejected items is checked, and the ids of those items still count.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Sequence

from exporter.model.guide import Guide, Question
from exporter.model.problems import FieldProblem, format_path, shown
from exporter.source.accepted_part import AcceptedPart, ids
from exporter.source.problems import Marks, Path_, Problem, _locate


def check_guide(part: AcceptedPart | Guide, marks: Marks | None = None, name: str = "<guide>",
                checks: Sequence[Callable[[Guide], list[FieldProblem]]] = ()) -> list[Problem]:
    """Cross-field rules: unique ids and numbers, weights, answer keys and references; and
    `checks`, the exporters' own (what a format cannot carry), handed in by the caller."""
    part = part if isinstance(part, AcceptedPart) else AcceptedPart.whole(part)
    guide = part.guide
    marks = marks or {}
    problems: list[Problem] = []

    def report(path: Path_, message: str) -> None:
        path = part.source_path(path)
        problems.append(Problem(name, *_locate(path, marks), format_path(path), message))

    def line_of(path: Path_) -> int:
        return _locate(part.source_path(path), marks)[0]

    # Ids in source order, those of left-out items included: the first written is the original.
    every_id = sorted([(part.source_path(path), item_id) for path, item_id in ids(guide)] + part.left_out_ids,
                      key=lambda entry: _locate(entry[0], marks))
    first_seen: dict[str, Path_] = {}
    for path, item_id in every_id:
        if item_id in first_seen:
            problems.append(Problem(name, *_locate(path, marks), format_path(path),
                                    f"duplicate id {shown(item_id)} (already used on line "
                                    f"{_locate(first_seen[item_id], marks)[0]})"))
        else:
            first_seen[item_id] = path

    def known(*lists: str) -> set[str]:
        """The ids of the items of these lists (by the list's name in the source)."""
        return {item_id for path, item_id in every_id if len(path) >= 3 and path[-3] in lists}

    first_number: dict[int, Path_] = {}
    for i, domain in enumerate(guide.domains):
        if domain.number in first_number:
            report(("domains", i, "number"),
                   f"domain number {domain.number} is already used on line {line_of(first_number[domain.number])}")
        else:
            first_number[domain.number] = ("domains", i, "number")
        if domain.weight_range and not domain.weight_range.min <= domain.weight <= domain.weight_range.max:
            report(("domains", i, "weight"),
                   f"{domain.weight} is outside its weight_range, {domain.weight_range}")
    weights = [domain.weight for domain in guide.domains]
    if weights and part.complete(("domains",)) and sum(weights) != 100:
        report(("domains",), f"domain weights must sum to 100, but {' + '.join(map(str, weights))} = {sum(weights)}")

    for check in checks:
        for found in check(guide):
            report(found.path, found.message)

    tier_levels = {tier.level for tier in guide.tiers} if part.complete(("tiers",)) else None
    # References into a list whose content is unknown (rejected whole, or missing) are not judged.
    glossary_ids = None if "glossary" in part.lost else known("glossary")
    domain_ids = None if "domains" in part.lost else known("domains")
    testable = None if "domains" in part.lost else known("concepts", "traps")
    for d, domain in enumerate(guide.domains):
        for c, concept in enumerate(domain.concepts):
            path = ("domains", d, "concepts", c)
            if tier_levels is not None and concept.tier not in tier_levels:
                report(path + ("tier",), f"tier {concept.tier} is not described under tiers:")
            for g, ref in enumerate(concept.glossary):
                if glossary_ids is not None and ref not in glossary_ids:
                    report(path + ("glossary", g), _unknown(ref, glossary_ids, "glossary entry"))
        for q, question in enumerate(domain.questions):
            if question.domain is not None and question.domain != domain.id:
                report(("domains", d, "questions", q, "domain"),
                       f"is '{question.domain}' but the question sits in domain '{domain.id}'")
    for q, question in enumerate(guide.practice_exam):
        if question.domain is None:
            report(("practice_exam", q, "domain"), "is required for practice-exam questions")
        elif domain_ids is not None and question.domain not in domain_ids:
            report(("practice_exam", q, "domain"), _unknown(question.domain, domain_ids, "domain"))
    for p, pair in enumerate(guide.pairs):
        for r, ref in enumerate(pair.domains):
            if domain_ids is not None and ref not in domain_ids:
                report(("pairs", p, "domains", r), _unknown(ref, domain_ids, "domain"))

    first_stem: dict[str, Path_] = {}
    for path, question in _questions(guide):
        if part.complete(path + ("options",)):  # the key is checked against every option, or not at all
            _check_question(question, path, report)
        for t, ref in enumerate(question.tests):
            if testable is not None and ref not in testable:
                report(path + ("tests", t), _unknown(ref, testable, "concept or trap"))
        key = " ".join(question.stem.plain.lower().split())
        if key in first_stem:
            report(path + ("stem",), f"repeats the stem of the question on line {line_of(first_stem[key])}")
        else:
            first_stem[key] = path + ("stem",)
    return problems


def _check_question(question: Question, path: Path_, report) -> None:
    option_ids = [option.id for option in question.options]
    answer = question.answer
    expected = [chr(ord("a") + i) for i in range(len(option_ids))]
    if option_ids != expected:
        report(path + ("options",), f"option ids must be {', '.join(expected)} in order, got {', '.join(option_ids)}")
    for k, key in enumerate(answer):
        if key not in option_ids:
            report(path + ("answer", k), f"{shown(key)} is not one of the options ({', '.join(option_ids)})")
    if len(set(answer)) != len(answer):
        report(path + ("answer",), "lists an option more than once")
    if question.kind == "single" and len(answer) != 1:
        report(path + ("answer",), f"a single-answer question needs exactly one key, got {len(answer)}; "
                                   "for several, use kind: multiple")
    if question.kind == "multiple" and len(answer) < 2:
        report(path + ("answer",), "a multiple-select question needs at least two keys; use kind: single")
    if question.kind == "multiple" and len(set(answer)) >= len(option_ids):
        report(path + ("answer",), "a multiple-select question needs at least one wrong option")


def _unknown(ref: str, known: set[str], what: str) -> str:
    match = difflib.get_close_matches(ref, sorted(known), n=1, cutoff=0.6)
    return f"{shown(ref)} is not the id of any {what}" + (f"; did you mean '{match[0]}'?" if match else "")


def _questions(guide: Guide):
    for d, domain in enumerate(guide.domains):
        for q, question in enumerate(domain.questions):
            yield ("domains", d, "questions", q), question
    for q, question in enumerate(guide.practice_exam):
        yield ("practice_exam", q), question

