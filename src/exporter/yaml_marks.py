"""YAML to plain data, with the line and column of every field.

The YAML is read safely and strictly: no tags beyond the plain YAML types, no
aliases (which also rules out "billion laughs"), no duplicate keys, and a
bounded nesting depth.
"""

from __future__ import annotations

import yaml

from .problems import Marks, Path_, Problem, SourceError, _shown, format_path

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

MAX_DEPTH = 32

_STR = "tag:yaml.org,2002:str"
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
    if "maximum nesting depth" in problem:  # libyaml's own limit (a thousand levels) is far beyond ours
        return Problem(name, *_mark(_first_too_deep(text) or at), "(yaml)", f"nested more than {MAX_DEPTH} levels deep")
    line, column = _mark(at) if at else (0, 0)
    return Problem(name, line, column, "(yaml)", f"YAML syntax error: {message}")


def _first_too_deep(text: str):
    """Where the first collection nested deeper than MAX_DEPTH begins, if libyaml
    gets that far (in flow [[[...]]] its scanner stops first, where it reports)."""
    depth = 0
    try:
        for event in yaml.parse(text, Loader=_Loader):
            if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                depth += 1
                if depth > MAX_DEPTH:
                    return event.start_mark
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                depth -= 1
    except yaml.YAMLError:
        pass
    return None


def _is_tab(text: str, mark) -> bool:
    lines = text.split("\n")
    return mark is not None and mark.line < len(lines) and lines[mark.line][mark.column:mark.column + 1] == "\t"


def parse(text: str, name: str) -> tuple[dict, Marks, list[Problem]]:
    """Parse YAML into plain data, a map from field path to (line, column), and
    the problems found in values (bad tags, duplicate keys, impossible dates).

    libyaml composes the node tree; one walk over it builds the data. An alias
    is a node met a second time, refused there before the walk could expand it,
    so hostile input ("billion laughs") costs no more than its text.
    """
    try:
        documents = list(yaml.compose_all(text, Loader=_Loader))
    except yaml.YAMLError as error:
        raise SourceError([_yaml_problem(name, error, text)]) from None
    walk = _Walk(name)
    if not documents or len(documents) == 1 and _is_null(documents[0]):
        raise SourceError([walk.empty_file()])
    if len(documents) > 1:
        raise SourceError([walk.problem(documents[1], "(yaml)", f"holds {len(documents)} YAML documents "
                                                                 "(separated by ---); a guide is one document")])
    root = documents[0]
    if not isinstance(root, yaml.MappingNode):
        kind = "a list" if isinstance(root, yaml.SequenceNode) else "a single value"
        raise SourceError([walk.problem(root, "(top level)",
                                        f"is {kind}; a guide is a mapping of fields (id:, title:, domains:, ...)")])
    walk.marks[()] = _mark(root.start_mark)
    return walk.value(root, ()), walk.marks, walk.problems


def _is_null(node) -> bool:
    return isinstance(node, yaml.ScalarNode) and node.tag.endswith(":null")


class _Walk:
    def __init__(self, name: str):
        self.name = name
        self.marks: Marks = {}
        self.problems: list[Problem] = []
        self.seen: set[int] = set()  # ids of the nodes walked: a node met again is an alias

    def empty_file(self) -> Problem:
        return Problem(self.name, 0, 0, "(file)", "is empty: a guide needs at least id, title and domains")

    def problem(self, node, path: Path_ | str, message: str) -> Problem:
        field = path if isinstance(path, str) else format_path(path)
        return Problem(self.name, *_mark(node.start_mark), field, message)

    def value(self, node, path: Path_):
        if id(node) in self.seen:
            raise SourceError([self.problem(node, "(yaml)",
                                            "anchors and aliases (& and *) are not supported; write the value out")])
        self.seen.add(id(node))
        tag = node.tag
        if tag == _STR:  # most values: the fast way
            return node.value
        if tag not in _PLAIN_TAGS:
            shown = tag.replace("tag:yaml.org,2002:", "!!")
            self.problems.append(self.problem(node, path, f"the tag {_shown(shown, quote=False)} "
                                                          "is not allowed; write a plain value"))
            return None
        if type(node) is yaml.ScalarNode:
            return self.scalar(node, path)
        if len(path) >= MAX_DEPTH:
            raise SourceError([self.problem(node, "(yaml)", f"nested more than {MAX_DEPTH} levels deep")])
        marks, value = self.marks, self.value
        if type(node) is yaml.SequenceNode:
            items: list = []
            for i, item in enumerate(node.value):
                marks[path + (i,)] = _mark(item.start_mark)
                items.append(value(item, path + (i,)))
            return items
        mapping: dict = {}
        for key_node, value_node in node.value:
            key = key_node.value if type(key_node) is yaml.ScalarNode else None
            if not key:
                self.problems.append(self.problem(key_node, path,
                                                  "a key must be a plain name, not a list, a mapping or nothing"))
                continue
            child = path + (key,)
            if key in mapping:
                self.problems.append(self.problem(key_node, child, f"duplicate key '{_shown(key, quote=False)}' "
                                                                   f"(first given on line {marks[child][0]})"))
                continue
            marks[child] = _mark(key_node.start_mark)  # a field's problems point at its key
            mapping[key] = value(value_node, child)
        return mapping

    def scalar(self, node, path: Path_):
        if node.tag.endswith(":str"):
            return node.value
        try:
            return _constructor.construct_object(node)
        except (ValueError, OverflowError) as error:  # e.g. a date like 2026-02-30
            kind = "date" if node.tag.endswith(":timestamp") else node.tag.rsplit(":", 1)[-1]
            self.problems.append(self.problem(node, path, f"{_shown(node.value)} is not a valid {kind} ({error})"))
            return None


_constructor = yaml.SafeLoader("")  # its resolver and scalar constructors only
