"""The model's validation errors as problems an author can act on.

Pydantic's errors are reworded (what was expected, in words; a pattern's rule
as the model declares it, `fields.PATTERN_RULES`), located at the field's key,
and a misspelled field gets a "did you mean" that also silences the
"missing" complaint about the field it was meant to be.
"""

from __future__ import annotations

import difflib
import re
import typing

from pydantic import BaseModel, ValidationError

from exporter.model.fields import ID_PATTERNS, PATTERN_RULES
from exporter.model.guide import Guide
from exporter.model.problems import data_path, format_path, shown
from exporter.source.problems import Marks, Path_, Problem, _locate


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
        return f"{rule}, got {shown(value)}{hint}"
    if kind == "too_short":
        if context["min_length"] == 1:
            return "must not be empty; give at least one item"
        return f"must have at least {context['min_length']} items, got {context['actual_length']}"
    if kind == "too_long":
        return f"must have at most {context['max_length']} items, got {context['actual_length']}"
    if kind in _BOUNDS:
        (limit,) = context.values()
        return f"must be {_BOUNDS[kind]} {limit}, got {shown(value)}"
    if kind == "finite_number":
        return f"must be a finite number, got {shown(value)}"
    if kind == "literal_error":
        return f"must be {context['expected']}, got {shown(value)}"
    if expected and value is None:
        return f"has no value; it should be {expected}"
    if kind == "string_type" and isinstance(value, (int, float, bool)):
        return f"should be text, got {shown(value)}; put it in quotes"
    if expected and (kind.endswith(("_type", "_parsing")) or kind == "int_from_float"):
        return f"should be {expected}, got {shown(value)}"
    return error["msg"].removeprefix("Value error, ")


def validate_schema(data: dict, marks: Marks, name: str,
                    earlier: list[Problem]) -> tuple[Guide | None, list[Problem], list[tuple[Path_, str]]]:
    """Validate against the model. Returns the guide (None if invalid), the
    schema's problems, leaving out fields the parser already complained about,
    and the path and error type of every value the schema rejects."""
    try:
        return Guide.model_validate(data), [], []
    except ValidationError as exc:
        errors = [(data_path(error, data), error) for error in exc.errors()]
    reported = {problem.field for problem in earlier}
    problems: dict[Path_, Problem] = {}
    renamed: set[Path_] = set()  # a typo's path and the field it meant: the rules still read its value
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
                if _rename_field(data, marks, loc, meant):  # the typo explains the missing field
                    problems.pop(missing_field, None)
                    reported.add(format_path(missing_field))
                    renamed |= {loc, missing_field}
        problems[loc] = Problem(name, *_locate(loc, marks), field, message)
    return None, list(problems.values()), [(loc, error["type"]) for loc, error in errors if loc not in renamed]


def _rename_field(data: dict, marks: Marks, loc: Path_, meant: str) -> bool:
    """Move a misspelled field's value under the name the author meant, so the
    cross-field rules check what was intended instead of reporting every
    reference into it as unknown. Its marks follow it. False if the meant field is there too."""
    parent = data
    for part in loc[:-1]:
        parent = parent[part]
    if meant in parent:
        return False
    parent[meant] = parent.pop(loc[-1])
    for path in [path for path in marks if path[:len(loc)] == loc]:
        marks[loc[:-1] + (meant,) + path[len(loc):]] = marks[path]
    return True
