"""The part of a guide the schema accepts, as a typed `Guide`, for the cross-field rules.

The rules (`source/rules.py`) read the typed model. When the schema rejects part of
a source, they still run on the rest, so one run reports everything: every
item (a mapping in a list: a domain, a concept, a question, an option) that
holds a rejected value is left out, and every top-level field that does so
outside any item (a field the model does not know is only dropped itself);
what remains is validated field by field into a `Guide` made without the
whole-model checks (`Guide`'s own field validators, which no rule depends
on). Paths in that guide map back to the source's, and the ids of the items
left out are kept, so that a reference to one is not reported as unknown and
a duplicate of one is still a duplicate. Rules on what a left-out item holds
(a rejected domain's concepts) wait until it is fixed: its own problems come
first.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Annotated

from pydantic import BaseModel, TypeAdapter, ValidationError

from exporter.model.guide import Guide
from exporter.model.problems import data_path
from exporter.source.problems import Path_


@dataclass(frozen=True)
class AcceptedPart:
    guide: Guide
    # For each list that lost items: the source indices of the items kept, in order.
    kept: dict[Path_, list[int]] = field(default_factory=dict)
    # (source path, id) of every item left out, options excepted (their ids are letters).
    left_out_ids: list[tuple[Path_, str]] = field(default_factory=list)
    # Top-level fields whose content is unknown: rejected whole, or required and not written.
    lost: frozenset[str] = frozenset()

    @classmethod
    def whole(cls, guide: Guide) -> AcceptedPart:
        return cls(guide)

    def source_path(self, path: Path_) -> Path_:
        """A path into the accepted guide as a path into the source."""
        source: Path_ = ()
        for part in path:
            if isinstance(part, int) and source in self.kept:
                part = self.kept[source][part]
            source += (part,)
        return source

    def complete(self, path: Path_) -> bool:
        """Whether the list at `path` (a path into the accepted guide) is there with all its items."""
        return path[0] not in self.lost and self.source_path(path) not in self.kept


def accepted_part(data: dict, rejected: Iterable[tuple[Path_, str]]) -> AcceptedPart:
    """The typed part of `data` outside every rejected value, given as its path
    into `data` and pydantic's error type."""
    left_out = _left_out(data, rejected)
    while True:
        view, kept = _view(data, (), left_out)
        values, still_rejected = _validated(view, kept)
        more = _left_out(data, still_rejected) - left_out
        if not more:  # leaving items out can shorten a list below its minimum: then its item goes too
            break
        left_out |= more
    lost = frozenset(name for name, info in Guide.model_fields.items()
                     if name not in values and ((name,) in left_out or info.is_required()))
    for name, info in Guide.model_fields.items():  # a required list left out reads as empty (and lost)
        if name not in values and getattr(info.annotation, "__origin__", None) is list:
            values[name] = []
    outermost = [path for path in left_out if not any(path[:n] in left_out for n in range(1, len(path)))]
    left_out_ids = [id_ for path in sorted(outermost, key=_sort_key) for id_ in _ids(_at(data, path), path)]
    return AcceptedPart(Guide.model_construct(**values), kept, left_out_ids, lost)


def _left_out(data: dict, rejected: Iterable[tuple[Path_, str]]) -> set[Path_]:
    """What the rejected values leave out: a field the model does not know, only
    itself; a value inside an item, the item; one outside any, its top-level field."""
    return {path if kind == "extra_forbidden" else _enclosing_item(data, path) for path, kind in rejected if path}


def _validated(view: dict, kept: dict[Path_, list[int]]) -> tuple[dict, set[tuple[Path_, str]]]:
    """The view's fields validated one by one, and the source paths and kinds of what they reject."""
    values, rejected = {}, set()
    for name, value in view.items():
        if name not in Guide.model_fields:
            continue  # a field the schema does not know; it reports it
        try:
            values[name] = _field_adapter(name).validate_python(value)
        except ValidationError as error:
            rejected |= {(data_path({**detail, "loc": (name, *detail["loc"])}, view, kept), detail["type"])
                         for detail in error.errors()}
    return values, rejected


def ids(guide: Guide) -> Iterator[tuple[Path_, str]]:
    """Every (path, id) of the guide's items, options excepted."""
    return _ids(guide, ())


def _ids(value, path: Path_) -> Iterator[tuple[Path_, str]]:
    """Every (path, id) in a guide, or in a plain value of its source, in order."""
    if isinstance(value, BaseModel):
        value = {name: getattr(value, name) for name in type(value).model_fields if name in value.__dict__}
    if isinstance(value, dict):
        if isinstance(value.get("id"), str) and path[-2:-1] != ("options",):
            yield path + ("id",), value["id"]
        for key, item in value.items():
            yield from _ids(item, path + (key,))
    elif isinstance(value, (list, tuple)):
        for i, item in enumerate(value):
            yield from _ids(item, path + (i,))


@functools.cache
def _field_adapter(name: str) -> TypeAdapter:
    info = Guide.model_fields[name]
    return TypeAdapter(Annotated[(info.annotation, *info.metadata)] if info.metadata else info.annotation)


def _enclosing_item(data, path: Path_) -> Path_:
    """The innermost mapping in a list that holds `path` (or a stray value in a list of
    mappings), else its top-level field. A value in a list of values, such as an answer
    key, leaves out the item holding the list: the rest of the list would mislead."""
    value, best = data, path[:1]
    for depth, part in enumerate(path):
        if isinstance(value, list) and isinstance(part, int) and 0 <= part < len(value):
            if isinstance(value[part], dict) or any(isinstance(item, dict) for item in value):
                best = path[:depth + 1]
            value = value[part]
        elif isinstance(value, dict) and part in value:
            value = value[part]
        else:
            break
    return best


def _view(value, path: Path_, left_out: set[Path_]):
    """`value` without the left-out items and fields, and the kept indices of each list that lost some."""
    kept: dict[Path_, list[int]] = {}
    if isinstance(value, dict):
        view = {}
        for key, item in value.items():
            if path + (key,) not in left_out:
                view[key], inner = _view(item, path + (key,), left_out)
                kept.update(inner)
        return view, kept
    if isinstance(value, list):
        indices = [i for i in range(len(value)) if path + (i,) not in left_out]
        if len(indices) < len(value):
            kept[path] = indices
        view = []
        for i in indices:
            item, inner = _view(value[i], path + (i,), left_out)
            view.append(item)
            kept.update(inner)
        return view, kept
    return value, kept


def _at(data, path: Path_):
    """The value at `path`, or None where there is none (a missing field is rejected too)."""
    for part in path:
        if isinstance(data, dict) and part in data or isinstance(data, list) and isinstance(part, int):
            data = data[part]
        else:
            return None
    return data


def _sort_key(path: Path_) -> tuple:
    return tuple((0, part, "") if isinstance(part, int) else (1, 0, part) for part in path)
