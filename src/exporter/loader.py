"""Load `sources/<guide>.yaml` into a `Guide`, or into every problem at once.

Each problem names the file, the line and column, and the field, so an author
can go straight to it: `sources/x.yaml:12:5: domains[0].weight: ...`.

The YAML is read safely and strictly: no tags beyond the plain YAML types, no
anchors or aliases (which also rules out "billion laughs"), no duplicate keys,
and a bounded nesting depth.
"""

from __future__ import annotations

import difflib
import os
import re
import typing
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import yaml
from pydantic import BaseModel, ValidationError

from .model import Guide, Option, Question

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

MAX_SOURCE_BYTES = 20 * 1024 * 1024
MAX_DEPTH = 32

_PLAIN_TAGS = {
    "tag:yaml.org,2002:" + name
    for name in ("str", "int", "float", "bool", "null", "timestamp", "seq", "map")
}
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")

Path_ = tuple[str | int, ...]


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with a source, located as precisely as we can."""

    file: str
    line: int  # 1-based; 0 when the problem concerns the whole file
    column: int  # 1-based; 0 when unknown
    field: str
    message: str

    def __str__(self) -> str:
        where = self.file
        if self.line:
            where += f":{self.line}"
            if self.column:
                where += f":{self.column}"
        return f"{where}: {self.field}: {self.message}"


class SourceError(Exception):
    """The source could not be loaded; `problems` lists every reason."""

    def __init__(self, problems: list[Problem]):
        super().__init__("\n".join(map(str, problems)))
        self.problems = problems


def format_path(path: Path_) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "(top level)"


def load_guide(source: str | os.PathLike[str], root: str | os.PathLike[str] | None = None) -> Guide:
    """Read, parse and validate one guide. Raises SourceError with all problems."""
    path = Path(source)
    name = str(source)
    text = _read_text(path, name, Path(root) if root else None)
    data, marks, problems = _parse(text, name)
    guide = _validate_schema(data, marks, name, problems)
    problems = check_guide(guide, marks, name)
    if path.suffix in (".yaml", ".yml") and guide.id != path.stem:
        problems.append(
            Problem(name, *marks.get(("id",), (1, 1)), "id",
                    f"'{guide.id}' must match the file name '{path.stem}'; artifacts are named after it")
        )
    if problems:
        raise SourceError(sorted(problems))
    return guide


# --- reading ------------------------------------------------------------------


def _read_text(path: Path, name: str, root: Path | None) -> str:
    def fail(message: str, line: int = 0, column: int = 0) -> typing.NoReturn:
        raise SourceError([Problem(name, line, column, "(file)", message)])

    if path.is_symlink() and root is not None:
        target = path.resolve()
        if not target.is_relative_to(root.resolve()):
            fail(f"is a symbolic link that points outside {root}")
    if not path.exists():
        fail("no such file")
    if path.is_dir():
        fail("is a directory, not a YAML file")
    try:
        size = path.stat().st_size
        if size > MAX_SOURCE_BYTES:
            fail(f"is {size // (1024 * 1024)} MiB; a guide source may be at most {MAX_SOURCE_BYTES // (1024 * 1024)} MiB")
        raw = path.read_bytes()
    except PermissionError:
        fail("cannot be read: permission denied")
    except OSError as error:
        fail(f"cannot be read: {error.strerror or error}")
    if raw.startswith(b"\xef\xbb\xbf"):
        fail("starts with a byte-order mark (BOM); save it as UTF-8 without BOM", 1, 1)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        column = error.start - (raw.rfind(b"\n", 0, error.start) + 1) + 1
        fail(f"is not valid UTF-8 (byte 0x{raw[error.start]:02x}); save it as UTF-8", line, column)
    problems = []
    for line_number, line in enumerate(text.splitlines(), 1):
        for match in _CONTROL.finditer(line):
            problems.append(
                Problem(name, line_number, match.start() + 1, "(file)",
                        f"contains the control character U+{ord(match.group()):04X}; remove it")
            )
    if problems:
        raise SourceError(problems[:50])
    if not text.strip() or all(not l.strip() or l.lstrip().startswith("#") for l in text.splitlines()):
        fail("is empty: a guide needs at least id, title and domains")
    return text


# --- parsing with positions ---------------------------------------------------------


def _mark(mark) -> tuple[int, int]:
    return (mark.line + 1, mark.column + 1)


def _yaml_problem(name: str, error: yaml.YAMLError) -> Problem:
    mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
    line, column = _mark(mark) if mark else (0, 0)
    problem = getattr(error, "problem", None) or str(error)
    context = getattr(error, "context", None)
    message = f"{context}: {problem}" if context else problem
    if "'\\t'" in message or "\\t" in message:
        message = "a tab is used for indentation; YAML indents with spaces only"
    return Problem(name, line, column, "(yaml)", f"YAML syntax error: {message}")


def _parse(text: str, name: str) -> tuple[object, dict[Path_, tuple[int, int]], list[Problem]]:
    """Parse YAML into plain data, a map from field path to (line, column), and
    the problems found in values (bad tags, duplicate keys, impossible dates)."""
    try:
        # First pass over the events only: refuse aliases and deep nesting before
        # anything is built, so hostile input costs no memory.
        depth = 0
        for event in yaml.parse(text, Loader=_Loader):
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                raise SourceError([Problem(name, *_mark(event.start_mark), "(yaml)",
                                           "anchors and aliases (& and *) are not supported; write the value out")])
            if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                depth += 1
                if depth > MAX_DEPTH:
                    raise SourceError([Problem(name, *_mark(event.start_mark), "(yaml)",
                                               f"nested more than {MAX_DEPTH} levels deep")])
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                depth -= 1
        documents = list(yaml.compose_all(text, Loader=_Loader))
    except yaml.YAMLError as error:
        raise SourceError([_yaml_problem(name, error)]) from None
    if len(documents) != 1:
        raise SourceError([Problem(name, 1, 1, "(yaml)", "must hold exactly one YAML document")])
    node = documents[0]
    if not isinstance(node, yaml.MappingNode):
        raise SourceError([Problem(name, *_mark(node.start_mark), "(top level)",
                                   "must be a mapping of fields (id:, title:, domains:, ...)")])
    marks: dict[Path_, tuple[int, int]] = {}
    problems: list[Problem] = []
    data = _to_data(node, (), marks, problems, name)
    return data, marks, problems


_constructor = yaml.SafeLoader("")  # only its scalar constructors are used


def _to_data(node, path: Path_, marks, problems: list[Problem], name: str):
    marks[path] = _mark(node.start_mark)
    if node.tag not in _PLAIN_TAGS:
        problems.append(Problem(name, *_mark(node.start_mark), format_path(path),
                                f"the tag {node.tag} is not allowed; only plain YAML values are"))
        return None
    if isinstance(node, yaml.MappingNode):
        result: dict[str, object] = {}
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
            if not isinstance(key, str) or not key:
                problems.append(Problem(name, *_mark(key_node.start_mark), format_path(path),
                                        "keys must be plain names"))
                continue
            child = path + (key,)
            if key in result:
                problems.append(Problem(name, *_mark(key_node.start_mark), format_path(child),
                                        f"duplicate key '{key}' (first given on line {marks[child][0]})"))
                continue
            result[key] = _to_data(value_node, child, marks, problems, name)
            marks[child] = _mark(key_node.start_mark)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [_to_data(item, path + (i,), marks, problems, name) for i, item in enumerate(node.value)]
    if node.tag.endswith(":str"):
        return node.value
    try:
        return _constructor.construct_object(node)
    except (ValueError, OverflowError) as error:  # e.g. a date like 2026-13-01
        problems.append(Problem(name, *_mark(node.start_mark), format_path(path),
                                f"'{node.value}' is not a valid {node.tag.rsplit(':', 1)[-1]}: {error}"))
        return None


# --- schema -------------------------------------------------------------------


def _closest_field(loc: tuple, name: str) -> str:
    """Suggest the field the author probably meant for an unknown key."""
    model: type[BaseModel] | None = Guide
    for part in loc[:-1]:
        if model is None:
            return ""
        if isinstance(part, int):
            continue
        field = model.model_fields.get(part)
        model = _model_in(field.annotation) if field else None
    if model is None:
        return ""
    match = difflib.get_close_matches(name, list(model.model_fields), n=1, cutoff=0.6)
    return f"; did you mean '{match[0]}'?" if match else ""


def _model_in(annotation) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        found = _model_in(arg)
        if found:
            return found
    return None


_BOUNDS = {
    "greater_than": "more than",
    "greater_than_equal": "at least",
    "less_than": "less than",
    "less_than_equal": "at most",
}


def _message(error: dict) -> str:
    kind = error["type"]
    if kind == "missing":
        return "is required but missing"
    if kind == "extra_forbidden":
        return "is not a known field" + _closest_field(error["loc"], str(error["loc"][-1]))
    if kind == "string_too_short":
        return "must not be empty"
    if kind == "string_pattern_mismatch":
        return f"{error['msg']} (got {error['input']!r})"[:300]
    if kind == "string_too_long":
        return f"is too long ({len(error['input'])} characters; at most {error['ctx']['max_length']})"
    if kind == "too_short":
        return f"must have at least {error['ctx']['min_length']} item(s)"
    if kind == "too_long":
        return f"must have at most {error['ctx']['max_length']} items, got {error['ctx'].get('actual_length', '?')}"
    if kind in _BOUNDS:
        (limit,) = error["ctx"].values()
        return f"must be {_BOUNDS[kind]} {limit}, got {error['input']!r}"
    if kind == "literal_error":
        return f"must be one of {error['ctx']['expected']}, got {error['input']!r}"
    if kind == "string_type" and isinstance(error["input"], (int, float, bool)):
        return f"should be text, got {error['input']!r}; put it in quotes"
    message = error["msg"]
    return message.removeprefix("Value error, ")


def _validate_schema(data, marks: dict[Path_, tuple[int, int]], name: str, earlier: list[Problem]) -> Guide:
    """Validate against the model; report the parser's problems with the schema's."""
    try:
        guide = Guide.model_validate(data)
    except ValidationError as exc:
        problems: dict[tuple[Path_, str], Problem] = {(p.field, p.message): p for p in earlier}
        reported = {p.field for p in earlier}
        for error in exc.errors():
            loc = _data_path(error, marks)
            if format_path(loc) in reported:  # already explained by the parser
                continue
            line, column = _locate(loc, marks)
            message = _message(error)
            problems.setdefault((loc, message.split(";")[0]), Problem(name, line, column, format_path(loc), message))
        raise SourceError(sorted(_drop_union_noise(list(problems.values())))) from None
    if earlier:
        raise SourceError(sorted(earlier))
    return guide


def _data_path(error: dict, marks: dict[Path_, tuple[int, int]]) -> Path_:
    """The error's location as a path into the data.

    Pydantic adds the names of union members and validators to locations;
    those are not in the source, so only parts that are, plus a final
    missing field name, are kept.
    """
    loc: Path_ = ()
    parts = error["loc"]
    for i, part in enumerate(parts):
        candidate = loc + (part,)
        if candidate in marks or (i == len(parts) - 1 and error["type"] == "missing"):
            loc = candidate
    return loc


def _drop_union_noise(problems: list[Problem]) -> list[Problem]:
    """When a field accepts several types, report one line for it, not one per type."""
    seen: set[str] = set()
    kept = []
    for problem in problems:
        if problem.field in seen and "should be a valid" in problem.message:
            continue
        seen.add(problem.field)
        kept.append(problem)
    return kept


def _locate(loc: Path_, marks: dict[Path_, tuple[int, int]]) -> tuple[int, int]:
    while loc and loc not in marks:
        loc = loc[:-1]
    return marks.get(loc, (1, 1))


# --- rules the schema cannot express ----------------------------------------------------


def check_guide(guide: Guide, marks: dict[Path_, tuple[int, int]] | None = None, name: str = "<guide>") -> list[Problem]:
    """Cross-field rules: unique ids, weights, answer keys and references."""
    marks = marks or {}
    problems: list[Problem] = []

    def report(path: Path_, message: str) -> None:
        problems.append(Problem(name, *_locate(path, marks), format_path(path), message))

    # Unique ids across the whole guide.
    first_seen: dict[str, Path_] = {}
    for path, item_id in _ids(guide):
        if item_id in first_seen:
            line = _locate(first_seen[item_id], marks)[0]
            report(path, f"duplicate id '{item_id}' (already used on line {line})")
        else:
            first_seen[item_id] = path

    numbers = Counter(domain.number for domain in guide.domains)
    for i, domain in enumerate(guide.domains):
        if numbers[domain.number] > 1:
            report(("domains", i, "number"), f"domain number {domain.number} is used more than once")
    total = sum(domain.weight for domain in guide.domains)
    if total != 100:
        weights = " + ".join(str(d.weight) for d in guide.domains)
        report(("domains",), f"domain weights must sum to 100, but {weights} = {total}")

    tier_levels = {tier.level for tier in guide.tiers}
    domain_ids = {domain.id for domain in guide.domains}
    testable = {item.id for d in guide.domains for item in (*d.concepts, *d.traps)}
    glossary_ids = {entry.id for entry in guide.glossary}

    for i, domain in enumerate(guide.domains):
        base = ("domains", i)
        for j, concept in enumerate(domain.concepts):
            if concept.tier not in tier_levels:
                report(base + ("concepts", j, "tier"), f"tier {concept.tier} is not described under tiers:")
            for k, ref in enumerate(concept.glossary):
                if ref not in glossary_ids:
                    report(base + ("concepts", j, "glossary", k), _unknown(ref, glossary_ids, "glossary entry"))
        for j, question in enumerate(domain.questions):
            path = base + ("questions", j)
            if question.domain is not None and question.domain != domain.id:
                report(path + ("domain",), f"is '{question.domain}' but the question sits in domain '{domain.id}'")
            _check_question(question, path, testable, report)
    for j, question in enumerate(guide.practice_exam):
        path = ("practice_exam", j)
        if question.domain is None:
            report(path + ("domain",), "is required for practice-exam questions")
        elif question.domain not in domain_ids:
            report(path + ("domain",), _unknown(question.domain, domain_ids, "domain"))
        _check_question(question, path, testable, report)
    for j, pair in enumerate(guide.pairs):
        for k, ref in enumerate(pair.domains):
            if ref not in domain_ids:
                report(("pairs", j, "domains", k), _unknown(ref, domain_ids, "domain"))

    stems: dict[str, Path_] = {}
    for path, question in _questions(guide):
        key = " ".join(question.stem.plain.lower().split())
        if key in stems:
            report(path + ("stem",), f"repeats the stem of the question on line {_locate(stems[key], marks)[0]}")
        else:
            stems[key] = path + ("stem",)
    return problems


def _check_question(question: Question, path: Path_, testable: set[str], report) -> None:
    option_ids = [option.id for option in question.options]
    expected = [chr(ord("a") + i) for i in range(len(option_ids))]
    if option_ids != expected:
        report(path + ("options",), f"option ids must be {', '.join(expected)} in order, got {', '.join(option_ids)}")
    for k, key in enumerate(question.answer):
        if key not in option_ids:
            report(path + ("answer", k), f"'{key}' is not one of the options ({', '.join(option_ids)})")
    if len(set(question.answer)) != len(question.answer):
        report(path + ("answer",), "lists an option more than once")
    if question.kind == "single" and len(question.answer) != 1:
        report(path + ("answer",), f"a single-answer question needs exactly one key, got {len(question.answer)}")
    if question.kind == "multiple" and len(question.answer) < 2:
        report(path + ("answer",), "a multiple-select question needs at least two keys; use kind: single")
    if question.kind == "multiple" and len(question.answer) >= len(question.options):
        report(path + ("answer",), "a multiple-select question needs at least one wrong option")
    for k, ref in enumerate(question.tests):
        if ref not in testable:
            report(path + ("tests", k), _unknown(ref, testable, "concept or trap"))


def _unknown(ref: str, known: set[str], what: str) -> str:
    match = difflib.get_close_matches(ref, sorted(known), n=1, cutoff=0.6)
    return f"'{ref}' is not the id of any {what}" + (f"; did you mean '{match[0]}'?" if match else "")


def _questions(guide: Guide):
    for i, domain in enumerate(guide.domains):
        for j, question in enumerate(domain.questions):
            yield ("domains", i, "questions", j), question
    for j, question in enumerate(guide.practice_exam):
        yield ("practice_exam", j), question


def _ids(guide: Guide):
    """Every (path, id) pair in the guide, in source order."""

    def walk(value, path: Path_):
        if isinstance(value, BaseModel):
            item_id = getattr(value, "id", None)
            if isinstance(item_id, str) and not isinstance(value, Option):  # option ids are per question
                yield path + ("id",), item_id
            for field in type(value).model_fields:
                yield from walk(getattr(value, field), path + (field,))
        elif isinstance(value, list):
            for i, item in enumerate(value):
                yield from walk(item, path + (i,))

    yield from walk(guide, ())

