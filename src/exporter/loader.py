"""Load `sources/<guide>.yaml` into a `Guide`, or into every problem at once.

Each problem names the file, the line and column, and the field, so an author
can go straight to it: `sources/x.yaml:12:5: domains[0].weight: ...`.

The YAML is read safely and strictly: no tags beyond the plain YAML types, no
anchors or aliases (which also rules out "billion laughs"), no duplicate keys,
and a bounded nesting depth. The cross-field rules run even when the schema
fails, on whatever parts have the right shape, so one run reports everything.
"""

from __future__ import annotations

import contextlib
import difflib
import gc
import os
import re
import stat
import typing
from dataclasses import dataclass
from pathlib import Path

import yaml
from pydantic import BaseModel, ValidationError

from .markup import Text
from .model import FORBIDDEN_CHARACTERS, ID_PATTERNS, PATTERN_RULES, Guide, forbidden_character_problem

if typing.TYPE_CHECKING:
    from .releases import Ledger

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

MAX_SOURCE_BYTES = 20 * 1024 * 1024
MAX_DEPTH = 32
MAX_SHOWN = 60  # characters of an offending value quoted back in a message

_PLAIN_TAGS = {
    "tag:yaml.org,2002:" + name
    for name in ("str", "int", "float", "bool", "null", "timestamp", "seq", "map")
}

Path_ = tuple[str | int, ...]
Marks = dict[Path_, tuple[int, int]]


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
        text += f"[{part}]" if isinstance(part, int) else (f".{_shown(part, quote=False)}" if text else _shown(part, quote=False))
    return text or "(top level)"


def _shown(value, quote: bool = True) -> str:
    """A value quoted back to the author, cut short if it is long."""
    if isinstance(value, bool):
        return str(value).lower()
    if value is None:
        return "nothing"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    text = str(value)
    if len(text) > MAX_SHOWN:
        text = text[:MAX_SHOWN] + "…"
    return repr(text) if quote and isinstance(value, str) else text


def load_guide(source: str | os.PathLike[str], root: str | os.PathLike[str] | None = None) -> Guide:
    """Read, parse and validate one guide. Raises SourceError with all problems.

    With `root`, a source that is a symbolic link must point inside `root`.
    """
    return load_guide_located(source, root)[0]


def load_guide_located(source: str | os.PathLike[str], root: str | os.PathLike[str] | None = None) -> tuple[Guide, Marks]:
    """`load_guide`, plus where each field sits in the source: a map from
    field paths such as ("domains", 0, "concepts", 1, "text") to (line, column).
    A mapping's field points at its key, a list's item at its first character."""
    path = Path(source)
    name = str(source)
    text = _read_text(path, name, Path(root) if root is not None else None)
    with _collector_paused():
        data, marks, problems = _parse(text, name)
        guide, schema_problems = _validate_schema(data, marks, name, problems)
        problems += schema_problems
        # Rules on parts the schema already rejected would only repeat its complaint.
        rejected = {problem.field for problem in problems}
        for problem in check_guide(guide or data, marks, name):
            if not any(_within(problem.field, field) for field in rejected):
                problems.append(problem)
    guide_id = data.get("id")
    if path.suffix in (".yaml", ".yml") and isinstance(guide_id, str) and guide_id != path.stem:
        problems.append(
            Problem(name, *marks[("id",)], "id",
                    f"{_shown(guide_id)} must match the file name '{path.stem}'; artifacts are named after it")
        )
    ledger = None
    if path.suffix in (".yaml", ".yml"):
        ledger, ledger_problems = _read_ledger(path, guide_id if isinstance(guide_id, str) else None, root)
        problems += ledger_problems
    if problems:
        raise SourceError(sorted(problems))
    assert guide is not None
    return (guide.with_ledger(ledger) if ledger else guide), marks


def _read_ledger(source: Path, guide_id: str | None, root) -> tuple[Ledger | None, list[Problem]]:
    """The release ledger beside the source, if there is one (none: no release yet)."""
    from . import releases  # imported when used: every command starts faster without it

    path = releases.ledger_path(source)
    if not (path.exists() or path.is_symlink()):
        return None, []
    name = str(path)
    try:
        text = _read_text(path, name, Path(root) if root is not None else None)
    except SourceError as error:
        return None, error.problems
    ledger, problems = releases.parse_ledger(text, guide_id)
    return ledger, [Problem(name, line, column, field, message) for line, column, field, message in problems]


@contextlib.contextmanager
def _collector_paused() -> typing.Iterator[None]:
    """Pause the cyclic garbage collector while the guide is built.

    Loading makes a large tree of new objects, and the collector would walk it
    again and again as it grows (a third of the time for a 7 MB guide); the
    tree holds no cycles for it to collect.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _within(field: str, outer: str) -> bool:
    return outer == "(top level)" or field == outer or field.startswith((outer + ".", outer + "["))


# --- reading ------------------------------------------------------------------


def _read_text(path: Path, name: str, root: Path | None) -> str:
    def fail(message: str, line: int = 0, column: int = 0) -> typing.NoReturn:
        raise SourceError([Problem(name, line, column, "(file)", message)])

    try:
        if root is not None and path.is_symlink():
            target = path.resolve()
            if not target.is_relative_to(root.resolve()):
                fail(f"is a symbolic link to {target}, outside the source folder; copy the file in instead")
        # Non-blocking, so a named pipe cannot make us wait for a writer.
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
        try:
            info = os.fstat(descriptor)
            if stat.S_ISDIR(info.st_mode):
                fail("is a directory, not a YAML file")
            if not stat.S_ISREG(info.st_mode):
                fail("is not a regular file (a device, pipe or socket?); give the path of a YAML file")
            if info.st_size > MAX_SOURCE_BYTES:
                fail(f"is {info.st_size // 2**20} MiB; a guide source may be at most {MAX_SOURCE_BYTES // 2**20} MiB")
            with open(descriptor, "rb", closefd=False) as file:
                raw = file.read(MAX_SOURCE_BYTES + 1)
        finally:
            os.close(descriptor)
    except FileNotFoundError:
        fail("no such file")
    except PermissionError:
        fail("cannot be read: permission denied")
    except OSError as error:
        fail(f"cannot be read: {error.strerror or error}")
    if len(raw) > MAX_SOURCE_BYTES:  # it grew while we read it
        fail(f"is larger than {MAX_SOURCE_BYTES // 2**20} MiB, the most a guide source may be")
    if raw.startswith(b"\xef\xbb\xbf"):
        fail("starts with a byte-order mark (BOM); save it as UTF-8 without BOM", 1, 1)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        column = len(raw[raw.rfind(b"\n", 0, error.start) + 1:error.start].decode("utf-8", "replace")) + 1
        fail(f"is not valid UTF-8 (byte 0x{raw[error.start]:02x}); save it as UTF-8", line, column)
    problems = []
    # Lines are split on "\n" only, as YAML and editors count them (not on U+0085 and the like).
    for line_number, line in enumerate(text.split("\n"), 1):
        for match in FORBIDDEN_CHARACTERS.finditer(line):
            problems.append(
                Problem(name, line_number, match.start() + 1, "(file)", forbidden_character_problem(match.group())))
    if problems:
        raise SourceError(problems[:50])
    return text


# --- parsing with positions ---------------------------------------------------------


def _mark(mark) -> tuple[int, int]:
    return (mark.line + 1, mark.column + 1)


def _yaml_problem(name: str, error: yaml.YAMLError, text: str) -> Problem:
    """A libyaml error, reworded where authors commonly hit it."""
    problem = str(getattr(error, "problem", None) or error)
    context = str(getattr(error, "context", None) or "")
    at = getattr(error, "problem_mark", None)
    opened = getattr(error, "context_mark", None)
    message = f"{context}: {problem}" if context else problem
    if "tab character" in problem or problem.startswith("found character '\\t'") or (
        problem == "found character that cannot start any token" and _is_tab(text, at)
    ):
        message = "a tab is used for indentation; YAML indents with spaces only"
    elif "quoted scalar" in context and "end of stream" in problem:
        message, at = "this quoted text is never closed; add the closing quote", opened
    elif context in ("while parsing a flow sequence", "while parsing a flow mapping"):
        bracket = "[" if "sequence" in context else "{"
        closing = "]" if bracket == "[" else "}"
        message = f"the {bracket} opened here is never closed with {closing} (the YAML parser gave up on line {at.line + 1})"
        at = opened
    elif context == "while scanning a simple key":
        message, at = "expected 'key: value', but this line has no ':' (or its key is over 1024 characters)", opened
    elif "mapping values are not allowed" in problem:
        message = "unexpected ':'; check the indentation of this line and the one above, or quote a value that contains ': '"
    elif "did not find expected key" in problem or "did not find expected '-'" in problem:
        message = "this line's indentation does not match the lines above it"
    line, column = _mark(at) if at else (0, 0)
    if "maximum nesting depth" in problem:  # libyaml's own limit, for flow [[[...]]]
        return Problem(name, line, column, "(yaml)", f"nested more than {MAX_DEPTH} levels deep")
    return Problem(name, line, column, "(yaml)", f"YAML syntax error: {message}")


def _is_tab(text: str, mark) -> bool:
    lines = text.split("\n")
    return mark is not None and mark.line < len(lines) and lines[mark.line][mark.column:mark.column + 1] == "\t"


def _parse(text: str, name: str) -> tuple[dict, Marks, list[Problem]]:
    """Parse YAML into plain data, a map from field path to (line, column), and
    the problems found in values (bad tags, duplicate keys, impossible dates).

    One pass over libyaml's event stream builds the data directly: aliases and
    deep nesting are refused as soon as they appear, so hostile input costs no
    memory, and no node tree is built (that tripled the time on big guides).
    """
    builder = _Builder(name)
    try:
        for event in yaml.parse(text, Loader=_Loader):
            builder.feed(event)
    except yaml.YAMLError as error:
        raise SourceError([_yaml_problem(name, error, text)]) from None
    return builder.result()


class _Frame:
    """An open mapping or sequence, and where it sits in the data."""

    __slots__ = ("value", "path", "key", "skip_value")

    def __init__(self, value, path: Path_):
        self.value = value
        self.path = path
        self.key: str | None = None  # a mapping's key whose value comes next
        self.skip_value = False  # the next value belongs to a refused key


class _Builder:
    def __init__(self, name: str):
        self.name = name
        self.marks: Marks = {}
        self.problems: list[Problem] = []
        self.stack: list[_Frame] = []
        self.skipping = 0  # depth inside a refused collection, whose events are ignored
        self.root = None
        self.root_problem: Problem | None = None
        self.documents = 0
        self.second_document = None  # the second document's first node event, where that problem points

    def empty_file(self) -> Problem:
        return Problem(self.name, 0, 0, "(file)", "is empty: a guide needs at least id, title and domains")

    def problem(self, event, path: Path_ | str, message: str) -> Problem:
        field = path if isinstance(path, str) else format_path(path)
        return Problem(self.name, *_mark(event.start_mark), field, message)

    def feed(self, event) -> None:
        if isinstance(event, yaml.DocumentStartEvent):
            self.documents += 1
            return
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise SourceError([self.problem(event, "(yaml)",
                                            "anchors and aliases (& and *) are not supported; write the value out")])
        opens = isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent))
        if opens and len(self.stack) + self.skipping >= MAX_DEPTH:
            raise SourceError([self.problem(event, "(yaml)", f"nested more than {MAX_DEPTH} levels deep")])
        if isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            if self.skipping:
                self.skipping -= 1
            else:
                self.stack.pop()
            return
        if not isinstance(event, (yaml.ScalarEvent, yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            return
        if self.skipping or self.documents > 1:
            if self.documents > 1 and self.second_document is None:
                self.second_document = event
            self.skipping += opens
            return
        parent = self.stack[-1] if self.stack else None
        if parent is not None and isinstance(parent.value, dict) and parent.key is None and not parent.skip_value:
            self._key(event, parent, opens)
        else:
            self._value(event, parent, opens)

    def _key(self, event, parent: _Frame, opens: bool) -> None:
        key = event.value if isinstance(event, yaml.ScalarEvent) else None
        if not key:
            self.problems.append(self.problem(event, parent.path,
                                              "a key must be a plain name, not a list, a mapping or nothing"))
            parent.skip_value = True
            self.skipping += opens
            return
        child = parent.path + (key,)
        if key in parent.value:
            self.problems.append(self.problem(event, child, f"duplicate key '{_shown(key, quote=False)}' "
                                                            f"(first given on line {self.marks[child][0]})"))
            parent.skip_value = True
            return
        parent.key = key
        self.marks[child] = _mark(event.start_mark)  # a field's problems point at its key

    def _value(self, event, parent: _Frame | None, opens: bool) -> None:
        if parent is None:
            path: Path_ = ()
        elif isinstance(parent.value, dict):
            if parent.skip_value:  # the value of a refused key
                parent.skip_value = False
                self.skipping += opens
                return
            path = parent.path + (parent.key,)
        else:
            path = parent.path + (len(parent.value),)
        if parent is None or not isinstance(parent.value, dict):
            self.marks[path] = _mark(event.start_mark)
        value = self._build(event, path, opens)
        if parent is None:
            self.root = value
            if not isinstance(value, dict):
                self._refuse_root(event)
        elif isinstance(parent.value, dict):
            parent.value[parent.key] = value
            parent.key = None
        else:
            parent.value.append(value)

    def _build(self, event, path: Path_, opens: bool):
        tag = event.tag
        if isinstance(event, yaml.ScalarEvent):
            if tag is None or tag == "!":
                if not event.implicit[0]:  # quoted: always text
                    return event.value
                tag = _constructor.resolve(yaml.ScalarNode, event.value, (True, False))
        elif tag is None or tag == "!":
            tag = "tag:yaml.org,2002:" + ("map" if isinstance(event, yaml.MappingStartEvent) else "seq")
        if tag not in _PLAIN_TAGS:
            shown = tag.replace("tag:yaml.org,2002:", "!!")
            self.problems.append(self.problem(event, path, f"the tag {_shown(shown, quote=False)} "
                                                           "is not allowed; write a plain value"))
            self.skipping += opens
            return None
        if opens:
            value = {} if isinstance(event, yaml.MappingStartEvent) else []
            self.stack.append(_Frame(value, path))
            return value
        if tag.endswith(":str"):
            return event.value
        node = yaml.ScalarNode(tag, event.value, event.start_mark, event.end_mark, event.style)
        try:
            return _constructor.construct_object(node)
        except (ValueError, OverflowError) as error:  # e.g. a date like 2026-02-30
            kind = "date" if tag.endswith(":timestamp") else tag.rsplit(":", 1)[-1]
            self.problems.append(self.problem(event, path, f"{_shown(event.value)} is not a valid {kind} ({error})"))
            return None

    def _refuse_root(self, event) -> None:
        if isinstance(event, yaml.ScalarEvent) and self.root is None:
            self.root_problem = self.empty_file()
            return
        kind = "a list" if isinstance(event, yaml.SequenceStartEvent) else "a single value"
        self.root_problem = self.problem(event, "(top level)",
                                         f"is {kind}; a guide is a mapping of fields (id:, title:, domains:, ...)")
        self.stack.clear()
        self.skipping += isinstance(event, yaml.SequenceStartEvent)

    def result(self) -> tuple[dict, Marks, list[Problem]]:
        if self.documents == 0 or (self.root is None and self.root_problem is None):
            raise SourceError([self.empty_file()])
        if self.second_document is not None:  # set only once a second document began
            raise SourceError([self.problem(self.second_document, "(yaml)",
                                            f"holds {self.documents} YAML documents (separated by ---); "
                                            "a guide is one document")])
        if self.root_problem:
            raise SourceError([self.root_problem])
        return self.root, self.marks, self.problems


_constructor = yaml.SafeLoader("")  # its resolver and scalar constructors only


# --- schema -------------------------------------------------------------------


def _closest_field(loc: Path_, name: str) -> str | None:
    """The field the author probably meant for an unknown key."""
    model: type[BaseModel] | None = Guide
    for part in loc[:-1]:
        if isinstance(part, int):
            continue
        field = model.model_fields.get(part) if model else None
        model = _model_in(field.annotation) if field else None
    if model is None:
        return None
    match = difflib.get_close_matches(name, list(model.model_fields), n=1, cutoff=0.6)
    return match[0] if match else None


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
# What a type error expected, in the author's words.
_EXPECTED = {
    "string": "text",
    "int": "a whole number",
    "float": "a number",
    "bool": "true or false",
    "list": "a list",
    "model": "a mapping of fields",
    "dict": "a mapping of fields",
    "date": "a date such as 2026-01-31",
    "datetime": "a date such as 2026-01-31",
}


def _message(error: dict) -> str:
    kind, value, context = error["type"], error.get("input"), error.get("ctx", {})
    expected = _EXPECTED.get(kind.split("_")[0])
    if kind == "missing":
        return "is required but missing"
    if kind == "extra_forbidden":
        return "is not a known field"
    if isinstance(value, str) and kind in ("too_short", "too_long"):
        kind = "string_" + kind  # constraints behind a validator report the generic kind
    if kind == "string_too_short":
        return "must not be empty"
    if kind == "string_too_long":
        return f"is too long ({len(value)} characters; at most {context['max_length']})"
    if kind == "string_pattern_mismatch":
        rule = PATTERN_RULES.get(context["pattern"], f"must match {context['pattern']}")
        hint = ""
        if context["pattern"] in ID_PATTERNS:
            suggestion = re.sub(r"[^a-z0-9]+", "-", value.lower()).strip("-")[:64]
            hint = f"; did you mean '{suggestion}'?" if suggestion else ""
        return f"{rule}, got {_shown(value)}{hint}"
    if kind == "too_short":
        if context["min_length"] == 1:
            return "must not be empty; give at least one item"
        return f"must have at least {context['min_length']} items, got {context['actual_length']}"
    if kind == "too_long":
        return f"must have at most {context['max_length']} items, got {context['actual_length']}"
    if kind in _BOUNDS:
        (limit,) = context.values()
        return f"must be {_BOUNDS[kind]} {limit}, got {_shown(value)}"
    if kind == "literal_error":
        return f"must be {context['expected']}, got {_shown(value)}"
    if expected and value is None:
        return f"has no value; it should be {expected}"
    if kind == "string_type" and isinstance(value, (int, float, bool)):
        return f"should be text, got {_shown(value)}; put it in quotes"
    if expected and (kind.endswith(("_type", "_parsing")) or kind == "int_from_float"):
        return f"should be {expected}, got {_shown(value)}"
    return error["msg"].removeprefix("Value error, ")


def _validate_schema(data: dict, marks: Marks, name: str, earlier: list[Problem]) -> tuple[Guide | None, list[Problem]]:
    """Validate against the model. Returns the guide (None if invalid) and the
    schema's problems, leaving out fields the parser already complained about."""
    try:
        guide = Guide.model_validate(data)
    except ValidationError as exc:
        errors = [(_data_path(error, marks), error) for error in exc.errors()]
    else:
        return (None if earlier else guide), []
    reported = {problem.field for problem in earlier}
    problems: dict[Path_, Problem] = {}
    for loc, error in errors:
        field = format_path(loc)
        if field in reported or loc in problems:  # a union's members each fail; one line is enough
            continue
        message = _message(error)
        if error["type"] == "extra_forbidden":
            meant = _closest_field(loc, str(loc[-1]))
            if meant:
                message += f"; did you mean '{meant}'?"
                missing_field = loc[:-1] + (meant,)
                problems.pop(missing_field, None)  # the typo explains the missing field
                reported.add(format_path(missing_field))
                _rename_field(data, marks, loc, meant)
        problems[loc] = Problem(name, *_locate(loc, marks), field, message)
    return None, list(problems.values())


def _rename_field(data: dict, marks: Marks, loc: Path_, meant: str) -> None:
    """Move a misspelled field's value under the name the author meant, so the
    cross-field rules check what was intended instead of reporting every
    reference into it as unknown. Its marks follow it."""
    parent = data
    for part in loc[:-1]:
        parent = parent[part]
    if meant in parent:
        return
    parent[meant] = parent.pop(loc[-1])
    for path in [path for path in marks if path[:len(loc)] == loc]:
        marks[loc[:-1] + (meant,) + path[len(loc):]] = marks[path]


def _data_path(error: dict, marks: Marks) -> Path_:
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


def _locate(loc: Path_, marks: Marks) -> tuple[int, int]:
    while loc and loc not in marks:
        loc = loc[:-1]
    return marks.get(loc, (1, 1))


# --- rules the schema cannot express ----------------------------------------------------
#
# These read plain data (a valid guide is dumped back to it), so they also run
# on a source the schema rejected, skipping any part that has the wrong shape.


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
