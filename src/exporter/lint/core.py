"""Findings, the rule registry, and what every rule may look at."""

from __future__ import annotations

import typing
from dataclasses import dataclass, field
from functools import cached_property

from exporter.lint.words import Language, Phrases, language, phrases
from exporter.model.guide import Concept, Domain, GlossaryEntry, Guide, LintThresholds, Question, Trap
from exporter.model.problems import format_path

FieldPath = tuple[str | int, ...]


@dataclass(frozen=True)
class Hit:
    """What a rule reports: where, about which item, and what it saw."""

    path: FieldPath  # () for the guide as a whole
    item: str  # the id an exception names to silence it
    message: str
    items: tuple[str, ...] = ()  # the items behind a guide-level figure


@dataclass(frozen=True)
class Rule:
    id: str
    name: str
    reason: str  # one line: how the learner is hurt
    check: typing.Callable[[Context], typing.Iterable[Hit]]
    position: bool = False  # its verdict depends on the order of options
    needs_words: bool = False  # runs only for languages with word lists in words.py
    needs_phrases: bool = False  # runs only for languages with phrase lists in words.py


RULES: dict[str, Rule] = {}


def rule(rule_id: str, name: str, reason: str, *, position: bool = False, needs_words: bool = False,
         needs_phrases: bool = False):
    def register(check):
        RULES[rule_id] = Rule(rule_id, name, reason, check, position, needs_words, needs_phrases)
        return check
    return register


@dataclass(frozen=True, order=True)
class Finding:
    file: str
    line: int
    column: int
    field: str
    rule: str
    name: str
    message: str
    reason: str
    item: str
    items: tuple[str, ...] = ()

    def __str__(self) -> str:
        where = self.file + (f":{self.line}:{self.column}" if self.line else "")
        return f"{where}: {self.field}: {self.rule} {self.name}: {self.message}; {self.reason}"

    def as_json(self) -> dict:
        return {"file": self.file, "line": self.line, "column": self.column, "field": self.field,
                "rule": self.rule, "name": self.name, "message": self.message, "reason": self.reason,
                "item": self.item, "items": list(self.items)}


@dataclass
class QuestionAt:
    question: Question
    path: FieldPath
    domain: Domain


@dataclass
class ItemAt:
    item: Concept | Trap
    path: FieldPath
    domain: Domain


@dataclass
class Context:
    guide: Guide
    thresholds: LintThresholds = field(init=False)

    def __post_init__(self):
        self.thresholds = self.guide.lint.thresholds

    @cached_property
    def words(self) -> Language | None:
        return language(self.guide.language)

    @cached_property
    def phrases(self) -> Phrases | None:
        return phrases(self.guide.language)

    @cached_property
    def questions(self) -> list[QuestionAt]:
        found = [QuestionAt(q, ("domains", d, "questions", i), domain)
                 for d, domain in enumerate(self.guide.domains) for i, q in enumerate(domain.questions)]
        found += [QuestionAt(q, ("practice_exam", i), self.guide.domain(q.domain))
                  for i, q in enumerate(self.guide.practice_exam)]
        return found

    @cached_property
    def testable(self) -> list[ItemAt]:
        """Concepts and traps, which questions name in `tests`."""
        return [ItemAt(item, ("domains", d, kind, i), domain)
                for d, domain in enumerate(self.guide.domains)
                for kind in ("concepts", "traps") for i, item in enumerate(getattr(domain, kind))]

    @cached_property
    def glossary(self) -> list[tuple[GlossaryEntry, FieldPath]]:
        return [(entry, ("glossary", i)) for i, entry in enumerate(self.guide.glossary)]


@rule("SG001", "lint-exception",
      "an exception that silences nothing, or the wrong thing, hides future findings from the author")
def _exceptions_are_checked_in_run(context: Context) -> typing.Iterator[Hit]:
    return iter(())  # run() checks exceptions itself, once the other rules have reported


def run(guide: Guide, marks: dict | None = None, file: str = "<guide>") -> tuple[list[Finding], list[str]]:
    """Every finding of every rule, with exceptions applied, and the ids of
    rules skipped because they have no word or phrase list for the guide's language."""
    context = Context(guide)
    marks = marks or {}
    skipped = [r.id for r in RULES.values()
               if (r.needs_words and context.words is None) or (r.needs_phrases and context.phrases is None)]
    hits: list[tuple[Rule, Hit]] = [
        (r, hit) for r in RULES.values() if r.id not in skipped and r.id != "SG001" for hit in r.check(context)]
    exceptions = guide.lint.exceptions
    used = [False] * len(exceptions)
    kept = []
    for r, hit in hits:
        for i, exception in enumerate(exceptions):
            if exception.rule in (r.id, r.name) and (not exception.items or hit.item in exception.items):
                used[i] = True
                break
        else:
            kept.append((r, hit))
    kept += [(RULES["SG001"], hit) for hit in _exception_problems(context, used, skipped)]
    findings = [_finding(r, hit, marks, file) for r, hit in kept]
    return sorted(findings, key=lambda f: (f.line, f.column, f.rule, f.field, f.message)), skipped


def _exception_problems(context: Context, used: list[bool], skipped: list[str]) -> typing.Iterator[Hit]:
    names = {name for r in RULES.values() for name in (r.id, r.name)}
    ids = _all_ids(context.guide)
    for i, exception in enumerate(context.guide.lint.exceptions):
        path = ("lint", "exceptions", i)
        rule_ = next((r for r in RULES.values() if exception.rule in (r.id, r.name)), None)
        unknown = [item for item in exception.items if item not in ids]
        if exception.rule not in names:
            yield Hit(path + ("rule",), context.guide.id, f"'{exception.rule}' is not a lint rule")
        elif unknown:
            yield Hit(path + ("items",), context.guide.id, f"{', '.join(unknown)}: not the id of any item")
        elif not used[i] and rule_ and rule_.id not in skipped:
            yield Hit(path, context.guide.id, f"silences no finding of {rule_.id} {rule_.name}; remove it")


def _all_ids(value) -> set[str]:
    found = set()
    stack = [value.model_dump()]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            if isinstance(node.get("id"), str):
                found.add(node["id"])
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return found


def _finding(r: Rule, hit: Hit, marks: dict, file: str) -> Finding:
    path = hit.path or ("id",)
    while path and path not in marks:
        path = path[:-1]
    line, column = marks.get(path, (0, 0))
    field_name = format_path(hit.path) if hit.path else "(guide)"
    return Finding(file, line, column, field_name, r.id, r.name, hit.message, r.reason, hit.item, hit.items)
