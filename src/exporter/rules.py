"""The rules the schema cannot express: unique ids and numbers, weights that
sum to 100, answer keys and references that resolve.

They read plain data (a valid guide is dumped back to it), so they also run on
a source the schema rejected, skipping any part that has the wrong shape:
one run reports everything.
"""

from __future__ import annotations

import difflib

from pydantic import BaseModel

from .markup import Text
from .model import Guide
from .problems import Marks, Path_, Problem, _locate, _shown, format_path
from .sheet_room import fixed_part_problem


def check_guide(guide: Guide | dict, marks: Marks | None = None, name: str = "<guide>") -> list[Problem]:
    """Cross-field rules: unique ids and numbers, weights, answer keys and references."""
    data = guide.model_dump() if isinstance(guide, BaseModel) else guide
    marks = marks or {}
    problems: list[Problem] = []

    def report(path: Path_, message: str) -> None:
        problems.append(Problem(name, *_locate(path, marks), format_path(path), message))

    def line_of(path: Path_) -> int:
        return _locate(path, marks)[0]

    first_seen: dict[str, Path_] = {}
    for path, item_id in _ids(data, ()):
        if item_id in first_seen:
            report(path, f"duplicate id {_shown(item_id)} (already used on line {line_of(first_seen[item_id])})")
        else:
            first_seen[item_id] = path

    domains = _items(data, "domains", ("domains",))
    first_number: dict[int, Path_] = {}
    for path, domain in domains:
        number = domain.get("number")
        if _is_int(number) and number in first_number:
            report(path + ("number",), f"domain number {number} is already used on line {line_of(first_number[number])}")
        elif _is_int(number):
            first_number[number] = path + ("number",)
    weights = [domain.get("weight") for _, domain in domains]
    if weights and all(_is_int(weight) for weight in weights) and sum(weights) != 100:
        report(("domains",), f"domain weights must sum to 100, but {' + '.join(map(str, weights))} = {sum(weights)}")

    if (fixed_part := fixed_part_problem(data)) is not None:
        report(*fixed_part)

    tier_levels = {tier.get("level") for _, tier in _items(data, "tiers", ("tiers",)) if _is_int(tier.get("level"))}
    domain_ids = _ids_of(domains)
    glossary_ids = _ids_of(_items(data, "glossary", ("glossary",)))
    testable = _ids_of(
        item for path, domain in domains for kind in ("concepts", "traps") for item in _items(domain, kind, path + (kind,))
    )
    for path, domain in domains:
        for concept_path, concept in _items(domain, "concepts", path + ("concepts",)):
            tier = concept.get("tier")
            if _is_int(tier) and tier not in tier_levels:
                report(concept_path + ("tier",), f"tier {tier} is not described under tiers:")
            for ref_path, ref in _strings(concept, "glossary", concept_path + ("glossary",)):
                if ref not in glossary_ids:
                    report(ref_path, _unknown(ref, glossary_ids, "glossary entry"))
        for question_path, question in _items(domain, "questions", path + ("questions",)):
            own = question.get("domain")
            if isinstance(own, str) and own != domain.get("id"):
                report(question_path + ("domain",), f"is '{own}' but the question sits in domain '{domain.get('id')}'")
    for question_path, question in _items(data, "practice_exam", ("practice_exam",)):
        own = question.get("domain")
        if own is None:
            report(question_path + ("domain",), "is required for practice-exam questions")
        elif isinstance(own, str) and own not in domain_ids:
            report(question_path + ("domain",), _unknown(own, domain_ids, "domain"))
    for pair_path, pair in _items(data, "pairs", ("pairs",)):
        for ref_path, ref in _strings(pair, "domains", pair_path + ("domains",)):
            if ref not in domain_ids:
                report(ref_path, _unknown(ref, domain_ids, "domain"))

    first_stem: dict[str, Path_] = {}
    for question_path, question in _questions(data, domains):
        _check_question(question, question_path, testable, report)
        stem = question.get("stem")
        if not isinstance(stem, str):
            continue
        key = " ".join(Text(stem).plain.lower().split())
        if key in first_stem:
            report(question_path + ("stem",), f"repeats the stem of the question on line {line_of(first_stem[key])}")
        else:
            first_stem[key] = question_path + ("stem",)
    return problems


def _check_question(question: dict, path: Path_, testable: set[str], report) -> None:
    option_ids = [option.get("id") for _, option in _items(question, "options", path + ("options",))]
    answer = question.get("answer")
    kind = question.get("kind", "single")
    if not all(isinstance(option_id, str) for option_id in option_ids):
        return  # the schema reports the malformed options
    expected = [chr(ord("a") + i) for i in range(len(option_ids))]
    if option_ids != expected:
        report(path + ("options",), f"option ids must be {', '.join(expected)} in order, got {', '.join(option_ids)}")
    if isinstance(answer, list) and all(isinstance(key, str) for key in answer):
        for key_path, key in _strings(question, "answer", path + ("answer",)):
            if key not in option_ids:
                report(key_path, f"{_shown(key)} is not one of the options ({', '.join(option_ids)})")
        if len(set(answer)) != len(answer):
            report(path + ("answer",), "lists an option more than once")
        if kind == "single" and len(answer) != 1:
            report(path + ("answer",), f"a single-answer question needs exactly one key, got {len(answer)}; "
                                       "for several, use kind: multiple")
        if kind == "multiple" and len(answer) < 2:
            report(path + ("answer",), "a multiple-select question needs at least two keys; use kind: single")
        if kind == "multiple" and len(set(answer)) >= len(option_ids):
            report(path + ("answer",), "a multiple-select question needs at least one wrong option")
    for ref_path, ref in _strings(question, "tests", path + ("tests",)):
        if ref not in testable:
            report(ref_path, _unknown(ref, testable, "concept or trap"))


def _unknown(ref: str, known: set[str], what: str) -> str:
    match = difflib.get_close_matches(ref, sorted(known), n=1, cutoff=0.6)
    return f"{_shown(ref)} is not the id of any {what}" + (f"; did you mean '{match[0]}'?" if match else "")


def _ids_of(items) -> set[str]:
    return {item["id"] for _, item in items if isinstance(item.get("id"), str)}


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _items(mapping: dict, key: str, path: Path_) -> list[tuple[Path_, dict]]:
    """The mappings listed under `key`, with their paths; anything else is skipped."""
    value = mapping.get(key) if isinstance(mapping, dict) else None
    if not isinstance(value, list):
        return []
    return [(path + (i,), item) for i, item in enumerate(value) if isinstance(item, dict)]


def _strings(mapping: dict, key: str, path: Path_) -> list[tuple[Path_, str]]:
    value = mapping.get(key)
    if not isinstance(value, list):
        return []
    return [(path + (i,), item) for i, item in enumerate(value) if isinstance(item, str)]


def _questions(data: dict, domains: list[tuple[Path_, dict]]):
    for path, domain in domains:
        yield from _items(domain, "questions", path + ("questions",))
    yield from _items(data, "practice_exam", ("practice_exam",))


def _ids(value, path: Path_):
    """Every (path, id) pair in the data, in source order; option ids are per question."""
    if isinstance(value, dict):
        if isinstance(value.get("id"), str) and path[-2:-1] != ("options",):
            yield path + ("id",), value["id"]
        for key, item in value.items():
            yield from _ids(item, path + (key,))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _ids(item, path + (i,))
