"""YAML to plain data, with the line and column of every field.

The YAML is read safely and strictly: no tags beyond the plain YAML types, no
anchors or aliases (which also rules out "billion laughs"), no duplicate keys,
and a bounded nesting depth.
"""

from __future__ import annotations

import yaml

from exporter.model.problems import format_path, shown
from exporter.source.problems import Marks, Path_, Problem, SourceError

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

MAX_DEPTH = 32

_PLAIN_TAGS = {
    "tag:yaml.org,2002:" + name
    for name in ("str", "int", "float", "bool", "null", "timestamp", "seq", "map")
}


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


def _comma_message(key: str) -> str:
    return (f"'{shown(key, quote=False)}' follows a comma inside {{…}}, which ends the value before it, so it "
            "reads as a field of its own; put that value in quotes if the comma belongs to it "
            "(or write a number without the comma)")


def _is_tab(text: str, mark) -> bool:
    lines = text.split("\n")
    return mark is not None and mark.line < len(lines) and lines[mark.line][mark.column:mark.column + 1] == "\t"


def parse(text: str, name: str) -> tuple[dict, Marks, list[Problem]]:
    """Parse YAML into plain data, a map from field path to (line, column), and
    the problems found in values (bad tags, duplicate keys, impossible dates).

    One pass over libyaml's event stream builds the data directly: aliases and
    deep nesting are refused as soon as they appear, so hostile input costs no
    memory, and no node tree is built (that tripled the time on big guides).
    """
    builder = _Builder(name, text)
    try:
        for event in yaml.parse(text, Loader=_Loader):
            builder.feed(event)
    except yaml.YAMLError as error:
        raise SourceError([_yaml_problem(name, error, text)]) from None
    return builder.result()


class _Frame:
    """An open mapping or sequence, and where it sits in the data."""

    __slots__ = ("value", "path", "key", "skip_value", "flow", "key_end")

    def __init__(self, value, path: Path_, flow: bool = False):
        self.value = value
        self.path = path
        self.key: str | None = None  # a mapping's key whose value comes next
        self.skip_value = False  # the next value belongs to a refused key
        self.flow = flow  # written inline, `{…}`
        self.key_end = 0  # where that key ends in the text


class _Builder:
    def __init__(self, name: str, text: str = ""):
        self.name = name
        self.text = text
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
            self.problems.append(self.problem(event, child, f"duplicate key '{shown(key, quote=False)}' "
                                                            f"(first given on line {self.marks[child][0]})"))
            parent.skip_value = True
            return
        parent.key = key
        parent.key_end = event.end_mark.index
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
            if parent.flow and self._no_colon_before(event, parent):
                self.problems.append(Problem(self.name, *self.marks[path], format_path(path), _comma_message(parent.key)))
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

    def _no_colon_before(self, event, parent: _Frame) -> bool:
        """A key of `{…}` with no ':' after it: text after a comma that the author meant as part
        of the value before (`{text: a, b}`, `{amount: 50,000}`)."""
        return (isinstance(event, yaml.ScalarEvent) and event.value == "" and event.implicit[0]
                and ":" not in self.text[parent.key_end:event.start_mark.index])

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
            tag_name = tag.replace("tag:yaml.org,2002:", "!!")
            self.problems.append(self.problem(event, path, f"the tag {shown(tag_name, quote=False)} "
                                                           "is not allowed; write a plain value"))
            self.skipping += opens
            return None
        if opens:
            value = {} if isinstance(event, yaml.MappingStartEvent) else []
            self.stack.append(_Frame(value, path, flow=bool(getattr(event, "flow_style", False))))
            return value
        if tag.endswith(":str"):
            return event.value
        node = yaml.ScalarNode(tag, event.value, event.start_mark, event.end_mark, event.style)
        try:
            return _constructor.construct_object(node)
        # A date like 2026-02-30, or a value an explicit tag does not fit: PyYAML's
        # constructors fail on those in several ways (`!!bool maybe`, `!!int ""`).
        except (ValueError, OverflowError, LookupError, AttributeError, yaml.YAMLError) as error:
            kind = "date" if tag.endswith(":timestamp") else tag.rsplit(":", 1)[-1]
            reason = f" ({error})" if isinstance(error, (ValueError, OverflowError)) else ""
            self.problems.append(self.problem(event, path, f"{shown(event.value)} is not a valid {kind}{reason}"))
            return None
        finally:
            _constructor.constructed_objects.clear()  # it remembers every node; ours are used once

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
